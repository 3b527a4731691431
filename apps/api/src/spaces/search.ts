import type { Queryable } from '@parkatlas/db';
import { SCORE_WEIGHTS, type ReasonCode, type SpaceItem, type SpaceReason, type SpaceSearchCriteria } from '@parkatlas/schema';
import { ApiProblem } from '../errors.ts';
import { parcelSearchSql, unitSearchSql, wantsUnitsOnly, type Pass, type SearchSql, type SpaceRow } from './search-sql.ts';

export const DEFAULT_LIMIT = 50;

/** Codes the criteria name must exist: unknown parks, industries or corridors are the caller's mistake (422). */
export async function checkCriteriaCodes(q: Queryable, c: SpaceSearchCriteria): Promise<void> {
  if (!c.parks && c.industry === undefined && c.corridor === undefined) return;
  // One statement for all three (each round trip to the database counts on a busy machine).
  const r = await q.query<{ parks: string[] | null; industry: boolean; corridor: boolean }>(
    `SELECT (SELECT array_agg(x) FROM unnest($1::text[]) x WHERE x NOT IN (SELECT code FROM park)) AS parks,
            $2::text IS NULL OR EXISTS (SELECT 1 FROM industry_class WHERE code = $2::text) AS industry,
            $3::text IS NULL OR EXISTS (SELECT 1 FROM corridor WHERE code = $3::text) AS corridor`,
    [c.parks ?? null, c.industry ?? null, c.corridor ?? null],
  );
  const known = r.rows[0];
  if (known.parks?.length) throw new ApiProblem(422, 'unknown_code', `parks '${known.parks.join("', '")}' not found (see /api/parks)`, 'parks');
  if (!known.industry) throw new ApiProblem(422, 'unknown_code', `industry '${c.industry}' is not a known GB/T 4754 code (see /api/codes/industry)`, 'industry');
  if (!known.corridor) throw new ApiProblem(422, 'unknown_code', `corridor '${c.corridor}' not found (see /api/corridors)`, 'corridor');
}

/**
 * Settings for the search statements, inside the caller's transaction; returns the database's current
 * date (the default day of vacancy) from the same statement. Parallel workers cost more to start than
 * these small, index-driven statements take (bench/spaces.ts: a 75 ms scan waited 240 ms for its Gather
 * on a busy 2-core machine), so the search runs without them.
 */
export async function searchSettings(q: Queryable): Promise<string> {
  const r = await q.query<{ d: string }>(`SELECT set_config('max_parallel_workers_per_gather', '0', true), current_date::text AS d`);
  return r.rows[0].d;
}

/** Spaces matching the criteria on `day`, best first (score, then units before parcels, then id). */
export async function searchSpaces(q: Queryable, c: SpaceSearchCriteria, day: string, limit = c.limit ?? DEFAULT_LIMIT): Promise<SpaceItem[]> {
  const kinds = c.kinds ?? ['unit', 'parcel'];
  const parks = await perfectParks(q, c);
  const rows: SpaceRow[] = [];
  if (kinds.includes('unit')) rows.push(...(await bestOf(q, (pass) => unitSearchSql(c, day, limit, pass), c, 'unit', limit, parks)));
  // Units go before parcels at equal scores: when `limit` units score at least the most a parcel can,
  // no parcel can enter the list, and the parcels' own ranking (up to 300 ms embedded) is not asked.
  const unitsFill = rows.length >= limit && rows[limit - 1].raw_score >= topScore(c, 'parcel');
  if (kinds.includes('parcel') && !wantsUnitsOnly(c) && !unitsFill) rows.push(...(await bestOf(q, (pass) => parcelSearchSql(c, day, limit, pass), c, 'parcel', limit, parks)));
  rows.sort(byRank);
  return rows.slice(0, limit).map((r) => toItem(r, c, day));
}

/**
 * The most a space of this kind can score under the criteria, at most `within` metres from the point
 * when given, computed as the SQL computes a score (the same float8 operations in the same order, each
 * term at its largest), so no space's score in the database exceeds it.
 * A parcel has no rent: it earns no budget points.
 */
export function topScore(c: SpaceSearchCriteria, kind: 'unit' | 'parcel', within?: number): number {
  const best: Partial<Record<keyof typeof SCORE_WEIGHTS, number>> = {};
  if (c.min_area_m2 !== undefined || c.max_area_m2 !== undefined) best.area = SCORE_WEIGHTS.area;
  if (c.max_rent_m2_month !== undefined || c.max_total_month !== undefined) best.budget = kind === 'parcel' ? 0 : SCORE_WEIGHTS.budget;
  if (c.industry !== undefined) best.industry = SCORE_WEIGHTS.industry;
  if (c.near) best.distance = SCORE_WEIGHTS.distance * Math.max(0, 1 - (within ?? 0) / c.near.max_distance_m);
  const given = (Object.keys(SCORE_WEIGHTS) as (keyof typeof SCORE_WEIGHTS)[]).filter((k) => best[k] !== undefined);
  if (!given.length) return 100;
  const weight = given.reduce((s, k) => s + SCORE_WEIGHTS[k], 0);
  return (100 * given.reduce((s, k) => s + best[k]!, 0)) / weight;
}

const byId = (a: SpaceRow, b: SpaceRow) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
const byRank = (a: SpaceRow, b: SpaceRow) => b.raw_score - a.raw_score || (a.kind === b.kind ? byId(a, b) : a.kind === 'unit' ? -1 : 1);

/**
 * The parks a perfect space can lie in, when the criteria restrict them (parks given, or an industry
 * whose full points only parks with fitting themes give); undefined: any park, or none.
 */
async function perfectParks(q: Queryable, c: SpaceSearchCriteria): Promise<string[] | undefined> {
  if (c.industry === undefined) return c.parks && c.parks.length <= 16 ? c.parks : undefined;
  const r = await q.query<{ code: string }>(
    `SELECT code FROM park k
     WHERE ($2::text[] IS NULL OR k.code = ANY($2::text[]))
       AND EXISTS (SELECT 1 FROM unnest(k.theme_industries) t WHERE t = $1::text OR left($1::text, length(t)) = t OR left(t, length($1::text)) = $1::text)
     ORDER BY code`,
    [c.industry, c.parks ?? null],
  );
  return r.rows.map((x) => x.code);
}

type Build = (pass: Pass) => SearchSql | null;

/**
 * Near a point, the nearest-first passes: the ranking of the spaces within these shares of the distance
 * asked. Near the dense centre of the 100k zone, 2 km holds 10,000 vacant units; a tenth of it, about
 * 100, and their best `limit` are usually the answer (see bestOf).
 */
export const NEAR_PASSES = [1 / 10, 1 / 3] as const;

/**
 * The ranking's first `limit` spaces of one kind, asked as cheaply as the criteria allow:
 *
 * - The perfect spaces if there are `limit` of them (the ranking's head, see search-sql.ts), in the
 *   parks that fit when the criteria narrow them (one statement: the (park, area, rent) index is read
 *   park by park, one range each).
 * - Near a point, the best `limit` within a fraction of the distance (NEAR_PASSES): every space farther
 *   out earns fewer distance points, so scores at most topScore(…, within); when the `limit`-th found
 *   scores more than that, nothing farther can displace it (not even on a tie, which goes by id).
 * - Otherwise the full ranking.
 */
async function bestOf(q: Queryable, build: Build, c: SpaceSearchCriteria, kind: 'unit' | 'parcel', limit: number, parks: string[] | undefined): Promise<SpaceRow[]> {
  // No park fits: nothing is perfect.
  const perfect = parks?.length === 0 ? null : build({ tier: 'perfect', parks: parks && parks.length <= 16 ? parks : undefined });
  if (perfect) {
    const r = await q.query<SpaceRow>(perfect.sql, perfect.values);
    if (r.rows.length >= limit) return r.rows;
  }
  if (c.near) {
    for (const share of NEAR_PASSES) {
      const within = c.near.max_distance_m * share;
      const near = build({ within })!;
      const r = await q.query<SpaceRow>(near.sql, near.values);
      if (r.rows.length >= limit && r.rows[limit - 1].raw_score > topScore(c, kind, within)) return r.rows;
    }
  }
  const full = build({})!;
  return (await q.query<SpaceRow>(full.sql, full.values)).rows;
}

// One formatter per precision: toLocaleString builds a new Intl.NumberFormat at every call, and 50 items'
// reasons made 300 of them, 15 ms of CPU per search (bench/spaces.ts, profiled).
const formats = new Map<number, Intl.NumberFormat>();
const n = (v: number, digits = 0) => {
  let f = formats.get(digits);
  if (!f) formats.set(digits, (f = new Intl.NumberFormat('en-US', { maximumFractionDigits: digits })));
  return f.format(v);
};
const pct = (share: number) => `${Math.round(share * 100)}%`;

type Values = SpaceReason['values'];
const num = (v: Values[string]) => Number(v ?? 0);

/** The reasons in English words: the API's `matched` and `shortfalls` (clients may word `reasons` themselves). */
const ENGLISH: Record<ReasonCode, (v: Values) => string> = {
  vacant: (v) => `vacant on ${v.day}`,
  released: (v) => `released for use (available), no lease on ${v.day}`,
  area_fits: (v) => `area fits (${n(num(v.area))} m² ${v.min !== null && v.max !== null ? `in ${n(num(v.min))}–${n(num(v.max))}` : v.min !== null ? `≥ ${n(num(v.min))}` : `≤ ${n(num(v.max))}`})`,
  area_under: (v) => `area ${pct(num(v.share))} under the minimum (${n(num(v.area))} m² < ${n(num(v.min))})`,
  area_over: (v) => `area ${pct(num(v.share))} over the maximum (${n(num(v.area))} m² > ${n(num(v.max))})`,
  land_not_let: (v) => `land is supplied, not let: no rent to compare with the budget${v.price !== null ? ` (price ¥${n(num(v.price))})` : ''}`,
  no_rent: () => 'no asking rent published: ask the park',
  rent_within: (v) => `rent within budget (¥${n(num(v.rent), 2)}/m²/month ≤ ¥${n(num(v.budget), 2)})`,
  rent_over: (v) => `rent ${pct(num(v.share))} over budget (¥${n(num(v.rent), 2)}/m²/month > ¥${n(num(v.budget), 2)})`,
  total_within: (v) => `total rent within budget (¥${n(num(v.total))}/month ≤ ¥${n(num(v.budget))})`,
  total_over: (v) => `total rent ${pct(num(v.share))} over budget (¥${n(num(v.total))}/month > ¥${n(num(v.budget))})`,
  industry_no_park: (v) => `not in a park: no theme industries to fit ${v.industry}`,
  industry_fits: (v) => `industry ${v.industry} fits the park's themes (${v.themes})`,
  industry_section: (v) => `industry ${v.industry} shares only its section with the park's themes (${v.themes})`,
  industry_outside: (v) => `industry ${v.industry} is outside the park's themes (${v.themes || 'none'})`,
  in_park: (v) => `in park ${v.park}${v.park_name ? ` (${v.park_name})` : ''}`,
  move_in_ready: () => 'move-in ready (拎包入住)',
  ground_floor: () => 'ground floor',
  ground_land: () => 'land (ground level)',
  floor_load: (v) => `floor load ${n(num(v.value), 1)} kN/m² ≥ ${n(num(v.min), 1)}`,
  clear_height: (v) => `clear height ${n(num(v.value), 2)} m ≥ ${n(num(v.min), 2)}`,
  power: (v) => `power ${n(num(v.value), 1)} kVA ≥ ${n(num(v.min), 1)}`,
  near_point: (v) => `${n(num(v.distance))} m from the point (≤ ${n(num(v.max))})`,
  in_corridor: (v) => `in corridor ${v.corridor}`,
  near_corridor: (v) => `within ${n(num(v.max))} m of corridor ${v.corridor}`,
};

/** Why a space matched and where it falls short, from the same figures the SQL scored. */
export function explain(r: SpaceRow, c: SpaceSearchCriteria, day: string): { matched: string[]; shortfalls: string[]; reasons: SpaceReason[] } {
  const reasons: SpaceReason[] = [];
  const yes = (code: ReasonCode, values: Values = {}) => reasons.push({ code, matched: true, values });
  const no = (code: ReasonCode, values: Values = {}) => reasons.push({ code, matched: false, values });
  yes(r.kind === 'unit' ? 'vacant' : 'released', { day });

  if (c.min_area_m2 !== undefined || c.max_area_m2 !== undefined) {
    const [area, min, max] = [r.area_m2, c.min_area_m2 ?? null, c.max_area_m2 ?? null];
    if (min !== null && area < min) no('area_under', { area, min, share: (min - area) / min });
    else if (max !== null && area > max) no('area_over', { area, max, share: (area - max) / max });
    else yes('area_fits', { area, min, max });
  }

  if (c.max_rent_m2_month !== undefined || c.max_total_month !== undefined) {
    if (r.kind === 'parcel') no('land_not_let', { price: r.price_cny });
    else if (r.rent_cny_m2_month === null) no('no_rent');
    else {
      if (c.max_rent_m2_month !== undefined) {
        const values = { rent: r.rent_cny_m2_month, budget: c.max_rent_m2_month, share: r.rent_cny_m2_month / c.max_rent_m2_month - 1 };
        if (values.share > 1e-9) no('rent_over', values);
        else yes('rent_within', values);
      }
      if (c.max_total_month !== undefined && r.total_rent_cny_month !== null) {
        const values = { total: r.total_rent_cny_month, budget: c.max_total_month, share: r.total_rent_cny_month / c.max_total_month - 1 };
        if (values.share > 1e-9) no('total_over', values);
        else yes('total_within', values);
      }
    }
  }

  if (c.industry !== undefined) {
    const values = { industry: c.industry, themes: (r.theme_industries ?? []).join(', ') };
    const pts = r.industry_points ?? 0;
    if (!r.park) no('industry_no_park', values);
    else if (pts >= SCORE_WEIGHTS.industry) yes('industry_fits', values);
    else if (pts > 0) no('industry_section', values);
    else no('industry_outside', values);
  }

  if (c.parks && r.park) yes('in_park', { park: r.park, park_name: r.park_name });
  if (c.move_in_ready) yes('move_in_ready');
  if (c.ground_floor) yes(r.kind === 'unit' ? 'ground_floor' : 'ground_land');
  if (c.min_floor_load_kn_m2 !== undefined) yes('floor_load', { value: r.floor_load_kn_m2 ?? 0, min: c.min_floor_load_kn_m2 });
  if (c.min_clear_height_m !== undefined) yes('clear_height', { value: r.clear_height_m ?? 0, min: c.min_clear_height_m });
  if (c.min_power_kva !== undefined) yes('power', { value: r.power_kva ?? 0, min: c.min_power_kva });
  if (c.near && r.distance_m !== null) yes('near_point', { distance: r.distance_m, max: c.near.max_distance_m });
  if (c.corridor !== undefined) {
    if (r.corridor === c.corridor) yes('in_corridor', { corridor: c.corridor });
    else yes('near_corridor', { corridor: c.corridor, max: c.corridor_max_distance_m ?? 0 });
  }
  if (!c.move_in_ready && r.kind === 'unit' && r.move_in_ready) yes('move_in_ready');
  const words = (matched: boolean) => reasons.filter((x) => x.matched === matched).map((x) => ENGLISH[x.code](x.values));
  return { matched: words(true), shortfalls: words(false), reasons };
}

function toItem(r: SpaceRow, c: SpaceSearchCriteria, day: string): SpaceItem {
  const { matched, shortfalls, reasons } = explain(r, c, day);
  const points: SpaceItem['points'] = {};
  if (r.area_points !== null) points.area = r.area_points;
  if (r.budget_points !== null) points.budget = r.budget_points;
  if (r.industry_points !== null) points.industry = r.industry_points;
  if (r.distance_points !== null) points.distance = r.distance_points;
  return {
    kind: r.kind,
    id: r.id,
    score: r.score,
    points,
    matched,
    shortfalls,
    reasons,
    name: r.name,
    park: r.park,
    park_name: r.park_name,
    corridor: r.corridor,
    parcel: r.parcel,
    building: r.building,
    unit_kind: r.unit_kind,
    land_use: r.land_use,
    floor: r.floor,
    area_m2: r.area_m2,
    rent_cny_m2_month: r.rent_cny_m2_month,
    total_rent_cny_month: r.total_rent_cny_month,
    price_cny: r.price_cny,
    move_in_ready: r.move_in_ready,
    floor_load_kn_m2: r.floor_load_kn_m2,
    clear_height_m: r.clear_height_m,
    power_kva: r.power_kva,
    available_from: r.available_from,
    distance_m: r.distance_m,
    lon: r.lon,
    lat: r.lat,
    geometry: { type: 'Point', coordinates: [r.lon, r.lat] },
    link: spaceLink(r.kind, r.id, r.building),
  };
}

/**
 * Where the map shows a space: the map selects parcels and buildings (`sel`, apps/web url state); a
 * unit opens its building, and `unit` names the unit for the investor view.
 */
export function spaceLink(kind: 'unit' | 'parcel', id: string, building: string | null): string {
  return kind === 'parcel' ? `/?sel=parcels:${encodeURIComponent(id)}` : `/?sel=buildings:${encodeURIComponent(building ?? '')}&unit=${encodeURIComponent(id)}`;
}
