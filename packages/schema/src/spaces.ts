import { z } from 'zod';

// The investor's space finder (POST /api/spaces/search), its saved searches and their alerts.

const code = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, _ and - only, 1 to 64 characters');
const industryCode = z.string().regex(/^[A-T]([0-9]{2})?$/, 'a GB/T 4754 section or division such as C27, I65');

export const SPACE_KINDS = ['unit', 'parcel'] as const;
export type SpaceKind = (typeof SPACE_KINDS)[number];

/**
 * How a space scores (0–100): each soft criterion the search gives earns up to its weight, and the
 * score is the points earned ÷ the weights of the criteria given × 100. Hard criteria only filter.
 * A space outside the area range or over budget by up to TOLERANCE (25%) is kept with partial points
 * (linear down to 0 at the tolerance) and a shortfall; beyond it, it is left out.
 */
export const SCORE_WEIGHTS = { area: 30, budget: 30, industry: 20, distance: 20 } as const;
export const SCORE_TOLERANCE = 0.25;

const nonNegative = (what: string) => z.number().nonnegative({ error: `${what} cannot be negative` });

export const spaceSearchCriteria = z
  .strictObject({
    kinds: z.array(z.enum(SPACE_KINDS)).min(1).optional().describe('unit, parcel or both (default both)'),
    min_area_m2: nonNegative('an area').optional().describe('Smallest area, m² (soft: 25% under still listed, with fewer points)'),
    max_area_m2: nonNegative('an area').optional().describe('Largest area, m² (soft, as min_area_m2)'),
    max_rent_m2_month: nonNegative('a budget').optional().describe('Budget: rent, CNY per m² per month (soft)'),
    max_total_month: nonNegative('a budget').optional().describe('Budget: total rent, CNY per month (soft)'),
    parks: z.array(code).min(1).max(50).optional().describe('Only spaces in these parks (hard)'),
    industry: industryCode.optional().describe("The investor's GB/T 4754 section or division, fit against each park's theme industries (soft)"),
    move_in_ready: z.boolean().optional().describe('true: only fitted-out units, move in with a bag in hand (拎包入住) (hard)'),
    min_floor_load_kn_m2: nonNegative('a floor load').optional().describe('Smallest floor load, kN/m² (hard; units only)'),
    min_clear_height_m: nonNegative('a height').optional().describe('Smallest clear height, m (hard; units only)'),
    min_power_kva: nonNegative('a power').optional().describe('Smallest installed power, kVA (hard; units only)'),
    ground_floor: z.boolean().optional().describe('true: only ground-floor units (parcels count as ground) (hard)'),
    available_by: z.iso.date().optional().describe('Vacant on this day, from the leases, and available from it or earlier (default today) (hard)'),
    near: z
      .strictObject({
        lon: z.number().min(-180).max(180),
        lat: z.number().min(-90).max(90),
        max_distance_m: z.number().positive().max(100_000),
      })
      .optional()
      .describe('Within max_distance_m of a point (hard); nearer earns more (soft)'),
    corridor: code.optional().describe('Only spaces in (or within corridor_max_distance_m of) this development corridor (hard)'),
    corridor_max_distance_m: nonNegative('a distance').max(100_000).optional(),
    limit: z.number().int().min(1).max(500).optional().describe('Items to return, best first (default 50)'),
  })
  .superRefine((c, ctx) => {
    if (c.min_area_m2 !== undefined && c.max_area_m2 !== undefined && c.min_area_m2 > c.max_area_m2) {
      ctx.addIssue({ code: 'custom', path: ['max_area_m2'], message: `max_area_m2 (${c.max_area_m2}) is less than min_area_m2 (${c.min_area_m2})` });
    }
    if (c.corridor_max_distance_m !== undefined && c.corridor === undefined) {
      ctx.addIssue({ code: 'custom', path: ['corridor'], message: 'corridor_max_distance_m needs a corridor' });
    }
  });
export type SpaceSearchCriteria = z.infer<typeof spaceSearchCriteria>;

export const spacePoints = z
  .object({
    area: z.number().optional(),
    budget: z.number().optional(),
    industry: z.number().optional(),
    distance: z.number().optional(),
  })
  .describe('Points earned per soft criterion given, out of SCORE_WEIGHTS');

/** Why a space matched or falls short, as codes with their figures, so any client can word them. */
export const REASON_CODES = [
  'vacant', 'released', 'area_fits', 'area_under', 'area_over', 'land_not_let', 'no_rent', 'rent_within', 'rent_over',
  'total_within', 'total_over', 'industry_no_park', 'industry_fits', 'industry_section', 'industry_outside', 'in_park',
  'move_in_ready', 'ground_floor', 'ground_land', 'floor_load', 'clear_height', 'power', 'near_point', 'in_corridor', 'near_corridor',
] as const;
export type ReasonCode = (typeof REASON_CODES)[number];

export const spaceReason = z.object({
  code: z.enum(REASON_CODES),
  matched: z.boolean().describe('true: a reason it matched; false: where it falls short'),
  values: z.record(z.string(), z.union([z.string(), z.number(), z.null()])).describe('The figures the reason names: areas in m², rents in CNY, shares 0–1, distances in m'),
});
export type SpaceReason = z.infer<typeof spaceReason>;

export const spaceItem = z.object({
  kind: z.enum(SPACE_KINDS),
  id: z.string(),
  score: z.number().describe('0–100, see SCORE_WEIGHTS'),
  points: spacePoints,
  matched: z.array(z.string()).describe('Why it matched, e.g. "area fits (320 m² in 200–400)"'),
  shortfalls: z.array(z.string()).describe('Where it falls short, e.g. "rent 12% over budget"'),
  reasons: z.array(spaceReason).describe('matched and shortfalls as codes with their figures, in the same order'),
  name: z.string().nullable(),
  park: z.string().nullable(),
  park_name: z.string().nullable(),
  corridor: z.string().nullable(),
  parcel: z.string(),
  building: z.string().nullable(),
  unit_kind: z.string().nullable(),
  land_use: z.string().nullable(),
  floor: z.number().nullable(),
  area_m2: z.number(),
  rent_cny_m2_month: z.number().nullable(),
  total_rent_cny_month: z.number().nullable(),
  price_cny: z.number().nullable(),
  move_in_ready: z.boolean().nullable(),
  floor_load_kn_m2: z.number().nullable(),
  clear_height_m: z.number().nullable(),
  power_kva: z.number().nullable(),
  available_from: z.string().nullable(),
  distance_m: z.number().nullable(),
  lon: z.number(),
  lat: z.number(),
  geometry: z.object({ type: z.literal('Point'), coordinates: z.tuple([z.number(), z.number()]) }),
  link: z.string().describe('Where the map shows it'),
});
export type SpaceItem = z.infer<typeof spaceItem>;

export const spaceSearchResponse = z.object({
  available_by: z.string(),
  weights: z.record(z.string(), z.number()),
  items: z.array(spaceItem),
});

// ── saved searches and alerts ──────────────────────────────────────────────────────────────────────

const owner = z.string().regex(/^[\p{L}\p{N} ._@:-]{1,70}$/u, '1 to 70 letters, digits, spaces or . _ @ : -');

export const savedSearchInput = z.strictObject({
  owner: owner.optional().describe('Whose search (default: your own; only staff may name another owner)'),
  name: z.string().max(200).optional(),
  criteria: spaceSearchCriteria,
  webhook_url: z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' }).optional(),
});

export const savedSearch = z.object({
  id: z.number().int(),
  owner: z.string(),
  name: z.string().nullable(),
  criteria: z.record(z.string(), z.unknown()),
  webhook_url: z.string().nullable(),
  created_at: z.string(),
  last_evaluated_at: z.string().nullable(),
  matches: z.number().int().describe('Spaces matching at the last evaluation'),
});

export const savedSearchList = z.object({ items: z.array(savedSearch) });
export const ownerQuery = z.strictObject({ owner: owner.optional() });

export const alertItem = z.object({
  id: z.number().int(),
  saved_search: z.number().int(),
  saved_search_name: z.string().nullable(),
  owner: z.string(),
  kind: z.enum(SPACE_KINDS),
  space: z.string(),
  score: z.number().nullable(),
  link: z.string(),
  created_at: z.string(),
  read_at: z.string().nullable(),
  webhook_status: z.string().nullable(),
});
export const alertQuery = z.strictObject({
  owner: owner.optional().describe('Whose inbox (default: your own)'),
  unread: z.enum(['true', 'false']).optional().describe('true: only unread alerts'),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
});
export const alertList = z.object({ items: z.array(alertItem), unread: z.number().int() });

export const evaluationResult = z.object({
  evaluated: z.number().int(),
  alerts: z.array(alertItem),
});
