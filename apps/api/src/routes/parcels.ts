import { arealGeometry, PARCEL_STATUSES, parcelInput, parcelProperties } from '@parkatlas/schema';
import { z } from 'zod';
import { datesInOrder, knownCode, rangeInOrder, usccField } from '../collections/checks.ts';
import { anyOf, atLeast, atMost, type CollectionDef } from '../collections/definition.ts';
import { provenanceFilters } from '../collections/provenance.ts';

/** Land parcels (宗地): the zone's land, each with its GB 50137 use and its development dates. */
export const parcels: CollectionDef = {
  name: 'parcels',
  table: 'parcel',
  view: 'parcel_api',
  label: 'parcel',
  idColumn: 'code',
  idKind: 'text',
  geometry: arealGeometry,
  input: parcelInput,
  properties: parcelProperties,
  filters: {
    status: anyOf('status', PARCEL_STATUSES),
    land_use: {
      // M1 picks one class; M picks the whole major class (M1, M2, M3).
      schema: anyOf('land_use', z.string().regex(/^[A-Z][0-9]?$/, 'a GB 50137 class (M1) or major class (M)')).schema,
      sql: (p) => `(v.land_use = ANY(${p}) OR left(v.land_use, 1) = ANY(${p}))`,
    },
    park: anyOf('park', z.string().max(64)),
    area: anyOf('area', z.string().max(64)),
    corridor: anyOf('corridor', z.string().max(64)),
    enterprise: anyOf('enterprise', z.string().max(18)),
    min_area_m2: atLeast('area_m2', 'Smallest area in m²'),
    max_area_m2: atMost('area_m2', 'Largest area in m²'),
    min_area_mu: atLeast('area_mu', 'Smallest area in mu'),
    max_area_mu: atMost('area_mu', 'Largest area in mu'),
    ...provenanceFilters,
  },
  sortable: ['code', 'area_m2', 'status', 'land_use'],
  parkSql: 'v.park',
  checks: [
    knownCode('land_use', 'land_use_class', 'GB 50137 land-use class', 'see /api/codes/land-use'),
    usccField('enterprise'),
    datesInOrder('approval_date', 'supply_date'),
    datesInOrder('agreed_start_date', 'agreed_completion_date'),
    datesInOrder('start_date', 'completion_date'),
    rangeInOrder('plot_ratio_min', 'plot_ratio_max'),
  ],
};
