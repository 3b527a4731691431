import { LEASE_STATUSES, leaseInput, leaseProperties } from '@parkatlas/schema';
import { z } from 'zod';
import { ApiProblem } from '../errors.ts';
import { datesInOrder, usccField } from '../collections/checks.ts';
import { anyOf, type CollectionDef } from '../collections/definition.ts';

/** Who occupies which unit or parcel, from when to when (both days included). */
export const leases: CollectionDef = {
  name: 'leases',
  table: 'lease',
  view: 'lease_api',
  label: 'lease',
  idColumn: 'id',
  idKind: 'int',
  input: leaseInput,
  properties: leaseProperties,
  filters: {
    enterprise: anyOf('enterprise', z.string().max(18)),
    unit: anyOf('unit', z.string().max(64)),
    parcel: anyOf('parcel', z.string().max(64)),
    status: anyOf('status', LEASE_STATUSES),
  },
  sortable: ['id', 'start_date'],
  sensitive: ['rent_cny_m2_month'],
  // A lease is in the park of its unit or its parcel.
  parkSql: `coalesce((SELECT u.park FROM unit_api u WHERE u.code = v.unit), (SELECT p.park FROM parcel_api p WHERE p.code = v.parcel))`,
  checks: [
    usccField('enterprise'),
    datesInOrder('start_date', 'end_date'),
    async (_q, row) => {
      const targets = [row.unit, row.parcel].filter((t) => t !== null && t !== undefined);
      if (targets.length !== 1) throw new ApiProblem(422, 'lease_target', 'a lease is of exactly one unit or one parcel: give unit or parcel', 'unit');
    },
  ],
};
