import { z } from 'zod';
import { anyOf, type Filter } from './definition.ts';

const day = z.iso.date();

/**
 * List filters on a record's provenance (issue 6): the department that supplies it and the day it
 * was last verified. `verified_before` finds what is stale: verified before that day or never.
 */
export const provenanceFilters: Record<string, Filter> = {
  department: anyOf('department', z.string().min(1).max(500)),
  verified_before: {
    schema: day.describe('Only records last verified before this day (YYYY-MM-DD), or never verified'),
    sql: (p) => `(v.verified_at IS NULL OR v.verified_at < ${p}::date)`,
  },
  verified_since: {
    schema: day.describe('Only records verified on or after this day (YYYY-MM-DD)'),
    sql: (p) => `v.verified_at >= ${p}::date`,
  },
};
