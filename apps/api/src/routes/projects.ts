import { PROJECT_STATUSES, projectInput, projectProperties } from '@parkatlas/schema';
import { z } from 'zod';
import { datesInOrder, knownCode, usccField } from '../collections/checks.ts';
import { anyOf, atLeast, nameContains, type CollectionDef } from '../collections/definition.ts';
import { provenanceFilters } from '../collections/provenance.ts';

/** Investment projects (the zone tracks 149, ¥20.2 bn). */
export const projects: CollectionDef = {
  name: 'projects',
  table: 'project',
  view: 'project_api',
  label: 'project',
  idColumn: 'code',
  idKind: 'text',
  input: projectInput,
  properties: projectProperties,
  filters: {
    status: anyOf('status', PROJECT_STATUSES),
    park: anyOf('park', z.string().max(64)),
    area: anyOf('area', z.string().max(64)),
    corridor: anyOf('corridor', z.string().max(64)),
    parcel: anyOf('parcel', z.string().max(64)),
    industry: anyOf('industry', z.string().max(3)),
    name: nameContains(),
    min_investment_cny: atLeast('investment_cny', 'Smallest investment, CNY'),
    ...provenanceFilters,
  },
  sortable: ['code', 'investment_cny', 'name'],
  parkSql: 'v.park',
  checks: [
    usccField('enterprise'),
    knownCode('industry', 'industry_class', 'GB/T 4754 industry code', 'see /api/codes/industry'),
    datesInOrder('start_date', 'completion_date'),
  ],
};
