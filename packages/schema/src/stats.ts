import { z } from 'zod';

// The zone's indicators (/api/stats/…): query parameters and the rows each table answers with. The
// API validates and documents with these; the dashboard reads the same types.

// ── parameters ──────────────────────────────────────────────────────────────────────────────────────

export const asOfParam = z.iso
  .date({ error: 'expected a calendar date as YYYY-MM-DD' })
  .optional()
  .describe('The day the figures are for, YYYY-MM-DD (at the end of that day); default today');

export const formatParam = z
  .enum(['json', 'csv'])
  .default('json')
  .describe('json, or csv: the items table as a UTF-8 CSV file with a byte-order mark (opens in Excel with Chinese intact)');

const monthParam = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'expected a month as YYYY-MM');

export const limitParam = z.coerce
  .number()
  .int()
  .min(1)
  .max(10000)
  .optional()
  .describe('Items per page, at most 10000 (JSON default 1000; CSV exports every row unless given)');

export const IDLE_LAND_CLASSES = [
  'unapproved', 'approved_unsupplied', 'supplied_unused', 'idle_1y', 'recoverable', 'stalled', 'developing', 'completed', 'exempt',
] as const;
export const IDLE_LAND_RULES = [
  'not_approved', 'approved_not_supplied', 'completed', 'no_agreed_start_date', 'supplied_not_started', 'not_started_1y',
  'not_started_2y', 'stalled_under_1y', 'stalled_1y', 'stalled_2y', 'started', 'exempt_art8',
] as const;
export const ZONE_GROUPINGS = ['zone', 'park', 'area', 'corridor'] as const;
export const VACANCY_GROUPINGS = ['building', 'park', 'area', 'corridor', 'zone'] as const;
export const OUTPUT_PER_MU_LEVELS = ['enterprise', 'parcel', 'park'] as const;
export const INDUSTRY_GROUPINGS = ['park', 'division', 'section'] as const;
export const PROJECT_GROUPINGS = ['status', 'corridor', 'area', 'park'] as const;
export const GRADES = ['A', 'B', 'C', 'D'] as const;

const idleClass = z.enum(IDLE_LAND_CLASSES);
export type IdleLandClass = (typeof IDLE_LAND_CLASSES)[number];
const code = z.string().max(64);

export const idleLandQuery = z.strictObject({
  as_of: asOfParam,
  class: z
    .string()
    .transform((s, ctx) => {
      const classes = s.split(',').map((c) => c.trim());
      const unknown = classes.filter((c) => !(IDLE_LAND_CLASSES as readonly string[]).includes(c));
      if (unknown.length) {
        ctx.addIssue({ code: 'custom', message: `unknown class '${unknown.join("', '")}' (one of ${IDLE_LAND_CLASSES.join(', ')})` });
        return z.NEVER;
      }
      return classes as IdleLandClass[];
    })
    .optional()
    .describe(`Only these classes, comma-separated: ${IDLE_LAND_CLASSES.join(', ')}`),
  park: code.optional().describe('Only parcels in this park'),
  limit: limitParam,
  cursor: z.string().max(200).optional().describe('The `next` value of the previous page'),
  format: formatParam,
});

const withinDaysParam = z.coerce.number().int().min(1).max(3650).default(90).describe('Look-ahead of the early warning, days');

export const idleLandSummaryQuery = z.strictObject({
  as_of: asOfParam,
  by: z.enum(ZONE_GROUPINGS).default('zone').describe('One row for the zone, or one per park, area or corridor'),
  format: formatParam,
});

export const idleLandAgesQuery = z.strictObject({
  as_of: asOfParam,
  by: z.enum(ZONE_GROUPINGS).default('zone'),
  format: formatParam,
});

export const idleLandWarningsQuery = z.strictObject({
  as_of: asOfParam,
  within_days: withinDaysParam,
  park: code.optional().describe('Only parcels in this park'),
  format: formatParam,
});

export const vacancyQuery = z.strictObject({
  as_of: asOfParam,
  by: z.enum(VACANCY_GROUPINGS).default('park'),
  format: formatParam,
});

export const vacancySeriesQuery = z
  .strictObject({
    by: z.enum(VACANCY_GROUPINGS).default('park'),
    from: monthParam.describe('First month, YYYY-MM'),
    to: monthParam.describe('Last month, YYYY-MM (at most 240 months after from)'),
    format: formatParam,
  })
  .superRefine((q, ctx) => {
    const months = (m: string) => Number(m.slice(0, 4)) * 12 + Number(m.slice(5, 7)) - 1;
    const span = months(q.to) - months(q.from);
    if (span < 0) ctx.addIssue({ code: 'custom', path: ['to'], message: 'must not be before from' });
    else if (span >= 240) ctx.addIssue({ code: 'custom', path: ['to'], message: 'at most 240 months after from' });
  });

export const outputPerMuQuery = z.strictObject({
  by: z.enum(OUTPUT_PER_MU_LEVELS).default('park'),
  as_of: asOfParam.describe('The day whose land use counts (leases of parcels); default today'),
  grade: z.enum(GRADES).optional().describe('Only this grade'),
  park: code.optional().describe('Only this park (enterprise: the park it is registered with)'),
  limit: limitParam.describe('by=enterprise or parcel: the best this many (JSON default 1000; CSV exports every row unless given)'),
  format: formatParam,
});

export const industriesQuery = z.strictObject({
  by: z.enum(INDUSTRY_GROUPINGS).default('park').describe('park: per park and division; division or section: zone-wide'),
  format: formatParam,
});

export const industryChainsQuery = z.strictObject({
  park: code.optional(),
  format: formatParam,
});

export const projectsQuery = z.strictObject({
  by: z.enum(PROJECT_GROUPINGS).default('status'),
  format: formatParam,
});

// ── answers ─────────────────────────────────────────────────────────────────────────────────────────

const date = z.string().describe('YYYY-MM-DD');
const m2 = z.number().describe('m²');
const mu = z.number().describe('mu (亩), 1 mu = 666.67 m²');
const cny = z.number().describe('CNY');

export const idleLandRules = z
  .object({
    idle_after: z.string().describe('Not started this long after the agreed start: idle (Art. 2)'),
    recoverable_after: z.string().describe('Idle this long: may be recovered without compensation (Art. 14)'),
    stopped_for: z.string().describe('Started but stalled and stopped this long: idle (Art. 2 ¶2)'),
    min_developed_share: z.number(),
    min_invested_share: z.number(),
    idle_fee_share: z.number().describe('Idle-land fee as a share of the land price (Art. 14)'),
  })
  .describe('The thresholds in force (table idle_land_config)');

export const idleLandItem = z.object({
  parcel: z.string(),
  class: idleClass,
  rule: z.enum(IDLE_LAND_RULES).describe('The rule that decided the class'),
  since: date.nullable().describe('The day the parcel entered its class (for 批而未供/供而未用 the approval/supply day)'),
  days: z.number().int().nullable().describe('Days from `since` to as_of: the age'),
  deadline: date.nullable().describe('The day it enters next_class unless something changes'),
  next_class: idleClass.nullable(),
  idle_fee_cny: cny.nullable().describe('Idle-land fee due: idle_fee_share × price_cny'),
  exemption: z.string().nullable().describe('Why the delay is excluded (Art. 8), for class exempt'),
  exempted_class: idleClass.nullable().describe('The class the parcel would have without its exemption'),
  land_use: z.string(),
  status: z.string(),
  area_m2: m2,
  area_mu: mu,
  park: z.string().nullable(),
  area: z.string().nullable(),
  corridor: z.string().nullable(),
  enterprise: z.string().nullable(),
  price_cny: cny.nullable(),
  approval_date: date.nullable(),
  supply_date: date.nullable(),
  agreed_start_date: date.nullable(),
  start_date: date.nullable(),
  completion_date: date.nullable(),
  stopped_since: date.nullable(),
  developed_share: z.number().nullable(),
  invested_share: z.number().nullable(),
});
export const idleLandResponse = z.object({
  as_of: date,
  rules: idleLandRules,
  items: z.array(idleLandItem),
  next: z.string().nullable(),
});

const classColumns = (name: string, label: string) => ({
  [`${name}_parcels`]: z.number().int().describe(`${label}: parcels`),
  [`${name}_area_m2`]: m2,
  [`${name}_area_mu`]: mu,
});
export const idleLandSummaryItem = z.object({
  key: z.string().nullable().describe('Park, area or corridor code; zone for the whole zone; null outside any'),
  name: z.string().nullable(),
  parcels: z.number().int(),
  area_m2: m2,
  area_mu: mu,
  supplied_area_m2: m2.describe('Land supplied by as_of (every class but unapproved and approved_unsupplied)'),
  idle_share: z.number().nullable().describe('Idle area (idle_1y + recoverable) ÷ supplied area'),
  idle_fee_cny: cny,
  ...classColumns('idle', 'Idle (idle_1y and recoverable)'),
  ...classColumns('recoverable', 'Idle two years or more'),
  ...classColumns('stalled', 'Stalled, not yet idle'),
  ...classColumns('exempt', 'Exempt (Art. 8)'),
  ...classColumns('approved_unsupplied', '批而未供'),
  approved_unsupplied_mean_age_days: z.number().nullable(),
  ...classColumns('supplied_unused', '供而未用'),
  supplied_unused_mean_age_days: z.number().nullable(),
});
export const idleLandSummaryResponse = z.object({
  as_of: date,
  by: z.enum(ZONE_GROUPINGS),
  rules: idleLandRules,
  items: z.array(idleLandSummaryItem),
});

export const idleLandAgeItem = z.object({
  key: z.string().nullable(),
  name: z.string().nullable(),
  class: z.enum(['approved_unsupplied', 'supplied_unused']),
  age_years: z.number().int().describe('Whole years since approval (批而未供) or supply (供而未用)'),
  parcels: z.number().int(),
  area_m2: m2,
  area_mu: mu,
});
export const idleLandAgesResponse = z.object({
  as_of: date,
  by: z.enum(ZONE_GROUPINGS),
  items: z.array(idleLandAgeItem),
});

export const idleLandWarningItem = z.object({
  parcel: z.string(),
  class: idleClass,
  rule: z.enum(IDLE_LAND_RULES),
  next_class: idleClass,
  deadline: date,
  days_left: z.number().int(),
  area_m2: m2,
  area_mu: mu,
  park: z.string().nullable(),
  area: z.string().nullable(),
  enterprise: z.string().nullable(),
  price_cny: cny.nullable(),
  idle_fee_cny: cny.nullable().describe('Fee that falls due if the parcel becomes idle'),
});
export const idleLandWarningsResponse = z.object({
  as_of: date,
  within_days: z.number().int(),
  items: z.array(idleLandWarningItem),
});

export const vacancyItem = z.object({
  key: z.string().nullable().describe('Building, park, area or corridor code; zone; null: stock outside any'),
  name: z.string().nullable(),
  units: z.number().int().describe('Units in the stock'),
  vacant_units: z.number().int(),
  stock_m2: m2.describe('Floor area of units in completed buildings'),
  leased_m2: m2,
  reserved_m2: m2,
  vacant_m2: m2,
  vacancy_rate: z.number().nullable().describe('vacant_m2 ÷ stock_m2, 0–1'),
});
export const vacancyResponse = z.object({
  as_of: date,
  by: z.enum(VACANCY_GROUPINGS),
  items: z.array(vacancyItem),
  total: vacancyItem.nullable(),
});

export const vacancySeriesItem = vacancyItem.extend({
  month: z.string().describe('YYYY-MM'),
  as_of: date.describe('The month’s last day, the day the figures are for'),
});
export const vacancySeriesResponse = z.object({
  by: z.enum(VACANCY_GROUPINGS),
  from: z.string(),
  to: z.string(),
  items: z.array(vacancySeriesItem),
});

export const outputPerMuItem = z.object({
  key: z.string().describe('USCC, parcel code or park code'),
  name: z.string().nullable(),
  park: z.string().nullable(),
  enterprise: z.string().nullable().describe('Land user (by=parcel)'),
  industry: z.string().nullable().describe('GB/T 4754 code (by=enterprise)'),
  parcels: z.number().int(),
  land_m2: m2,
  land_mu: mu,
  revenue_cny: cny.nullable(),
  tax_cny: cny.nullable(),
  employees: z.number().nullable(),
  revenue_per_mu: cny.nullable(),
  tax_per_mu: cny.nullable(),
  labour_productivity: cny.nullable().describe('Revenue per employee (stands in for value added per employee)'),
  scheme: z.enum(['standard', 'small']).describe('standard: 3 mu or more; small: below'),
  score: z.number().nullable(),
  grade: z.string().nullable(),
  rank: z.number().int().nullable().describe('1 = highest score among the rows of this level'),
});
export const outputPerMuScheme = z.object({
  small_land_mu: z.number(),
  indicators: z.array(
    z.object({
      scheme: z.string(),
      indicator: z.string(),
      name: z.string(),
      unit: z.string(),
      benchmark: z.number().nullable(),
      weight: z.number().describe('Weight in the published scheme'),
      scored: z.boolean().describe('Measured by ParkAtlas and benchmarked'),
      effective_weight: z.number().nullable().describe('Weight after renormalizing the scored ones to 100'),
    }),
  ),
  grades: z.array(z.object({ grade: z.string(), min_score: z.number(), meaning: z.string() })),
});
export const outputPerMuResponse = z.object({
  as_of: date,
  by: z.enum(OUTPUT_PER_MU_LEVELS),
  scheme: outputPerMuScheme,
  zone: outputPerMuItem.nullable().describe('The whole zone'),
  items: z.array(outputPerMuItem),
});

export const industryItem = z.object({
  park: z.string().nullable(),
  park_name: z.string().nullable(),
  section: z.string(),
  section_name: z.string().nullable(),
  division: z.string().nullable(),
  division_name: z.string().nullable(),
  enterprises: z.number().int(),
  high_tech_enterprises: z.number().int(),
  employees: z.number(),
  revenue_cny: cny,
  tax_cny: cny,
  high_tech_output_cny: cny.describe('Revenue of high-tech enterprises'),
});
export const industryChainLink = z.object({
  park: z.string(),
  park_name: z.string(),
  position: z.number().int(),
  link: z.string(),
  link_name: z.string().nullable(),
  enterprises: z.number().int(),
  present: z.boolean(),
});
export const industryChain = z.object({
  park: z.string(),
  name: z.string(),
  theme: z.string().nullable(),
  present: z.array(z.string()),
  missing: z.array(z.string()),
  coverage: z.number().nullable().describe('Links present ÷ links'),
  links: z.array(industryChainLink),
});
export const industriesResponse = z.object({
  by: z.enum(INDUSTRY_GROUPINGS),
  items: z.array(industryItem),
  totals: z.object({ enterprises: z.number().int(), revenue_cny: cny, tax_cny: cny, high_tech_output_cny: cny }),
  chains: z.array(industryChain).optional().describe('by=park: each park’s theme industry chain'),
});
export const industryChainsResponse = z.object({ items: z.array(industryChainLink), chains: z.array(industryChain) });

export const projectStatsItem = z.object({
  key: z.string().nullable().describe('Status, corridor, area or park; null: none'),
  name: z.string().nullable(),
  projects: z.number().int(),
  investment_cny: cny,
  investment_share: z.number().describe('Of the total investment'),
  started: z.number().int().describe('Under construction, completed or operating'),
  completed: z.number().int().describe('Completed or operating'),
});
export const projectStatsResponse = z.object({
  by: z.enum(PROJECT_GROUPINGS),
  items: z.array(projectStatsItem),
  total: z.object({ projects: z.number().int(), investment_cny: cny }),
});

export type IdleLandItem = z.infer<typeof idleLandItem>;
export type IdleLandSummaryItem = z.infer<typeof idleLandSummaryItem>;
export type VacancyItem = z.infer<typeof vacancyItem>;
export type OutputPerMuItem = z.infer<typeof outputPerMuItem>;
export type IndustryItem = z.infer<typeof industryItem>;
export type ProjectStatsItem = z.infer<typeof projectStatsItem>;
