import { areaInput, areaProperties, arealGeometry, corridorInput, corridorProperties, parkInput, parkProperties } from '@parkatlas/schema';
import { knownCode } from '../collections/checks.ts';
import { nameContains, type CollectionDef } from '../collections/definition.ts';

// The zone's planning units: three corridors, seven areas and thirteen specialized parks.

export const corridors: CollectionDef = {
  name: 'corridors',
  table: 'corridor',
  view: 'corridor_api',
  label: 'corridor',
  idColumn: 'code',
  idKind: 'text',
  geometry: arealGeometry,
  input: corridorInput,
  properties: corridorProperties,
  filters: { name: nameContains() },
  sortable: ['code', 'name'],
};

export const areas: CollectionDef = {
  name: 'areas',
  table: 'area',
  view: 'area_api',
  label: 'area',
  idColumn: 'code',
  idKind: 'text',
  geometry: arealGeometry,
  input: areaInput,
  properties: areaProperties,
  filters: { name: nameContains() },
  sortable: ['code', 'name'],
};

export const parks: CollectionDef = {
  name: 'parks',
  table: 'park',
  view: 'park_api',
  label: 'park',
  idColumn: 'code',
  idKind: 'text',
  geometry: arealGeometry,
  input: parkInput,
  properties: parkProperties,
  filters: { name: nameContains() },
  sortable: ['code', 'name'],
  parkSql: 'v.code',
  checks: [knownCode('theme_industries', 'industry_class', 'GB/T 4754 industry code', 'see /api/codes/industry')],
};
