import { UNIT_KINDS, UNIT_STATUSES, unitInput, unitProperties } from '@parkatlas/schema';
import { z } from 'zod';
import { anyOf, atLeast, atMost, booleanIs, type CollectionDef } from '../collections/definition.ts';
import { provenanceFilters } from '../collections/provenance.ts';

/** Rentable spaces: floors, suites and workshops; whether one is let follows from its leases. */
export const units: CollectionDef = {
  name: 'units',
  table: 'unit',
  view: 'unit_api',
  label: 'unit',
  idColumn: 'code',
  idKind: 'text',
  input: unitInput,
  properties: unitProperties,
  filters: {
    building: anyOf('building', z.string().max(64)),
    parcel: anyOf('parcel', z.string().max(64)),
    park: anyOf('park', z.string().max(64)),
    area: anyOf('area', z.string().max(64)),
    kind: anyOf('kind', UNIT_KINDS),
    status: anyOf('status', UNIT_STATUSES),
    move_in_ready: booleanIs('move_in_ready', 'Only fitted-out spaces (true) or only bare ones (false)'),
    min_area_m2: atLeast('area_m2', 'Smallest area in m²'),
    max_area_m2: atMost('area_m2', 'Largest area in m²'),
    max_rent: atMost('rent_cny_m2_month', 'Highest rent, CNY per m² per month'),
    floor: anyOf('floor', z.coerce.number().int()),
    ...provenanceFilters,
  },
  sortable: ['code', 'area_m2', 'floor', 'building'],
  parkSql: 'v.park',
};
