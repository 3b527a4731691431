import { enterpriseInput, enterpriseProperties } from '@parkatlas/schema';
import { z } from 'zod';
import { knownCode, usccField } from '../collections/checks.ts';
import { anyOf, atLeast, booleanIs, nameContains, type CollectionDef } from '../collections/definition.ts';
import { provenanceFilters } from '../collections/provenance.ts';

/** Enterprises of the zone, identified by their unified social credit code. */
export const enterprises: CollectionDef = {
  name: 'enterprises',
  table: 'enterprise',
  view: 'enterprise_api',
  label: 'enterprise',
  idColumn: 'uscc',
  idKind: 'text',
  input: enterpriseInput,
  properties: enterpriseProperties,
  filters: {
    park: anyOf('park', z.string().max(64)),
    industry: {
      // C picks the whole manufacturing section, C27 one division.
      schema: anyOf('industry', z.string().regex(/^[A-T]([0-9]{2})?$/, 'a GB/T 4754 section (C) or division (C27)')).schema,
      sql: (p) => `(v.industry = ANY(${p}) OR left(v.industry, 1) = ANY(${p}))`,
    },
    high_tech: booleanIs('high_tech', 'Only high-tech enterprises (true) or only others (false)'),
    name: nameContains(),
    min_employees: { ...atLeast('employees', 'Fewest employees'), sensitive: true },
    ...provenanceFilters,
  },
  sortable: ['uscc', 'name'],
  sensitive: ['revenue_cny', 'tax_cny', 'employees', 'contact_name', 'contact_phone'],
  parkSql: 'v.park',
  checks: [usccField('uscc'), knownCode('industry', 'industry_class', 'GB/T 4754 industry code', 'see /api/codes/industry')],
};
