import type { Queryable } from '@parkatlas/db';
import { SCORE_WEIGHTS, type SpaceItem, type SpaceSearchCriteria } from '@parkatlas/schema';
import { ApiProblem } from '../errors.ts';
import { parcelSearchSql, unitSearchSql, wantsUnitsOnly, type SearchSql, type SpaceRow } from './search-sql.ts';

export const DEFAULT_LIMIT = 50;

/** Codes the criteria name must exist: unknown parks, industries or corridors are the caller's mistake (422). */
export async function checkCriteriaCodes(q: Queryable, c: SpaceSearchCriteria): Promise<void> {
  if (c.parks) {
    const r = await q.query<{ code: string }>(`SELECT x AS code FROM unnest($1::text[]) x WHERE x NOT IN (SELECT code FROM park)`, [c.parks]);
    if (r.rows.length) throw new ApiProblem(422, 'unknown_code', `parks '${r.rows.map((x) => x.code).join("', '")}' not found (see /api/parks)`, 'parks');
  }
  if (c.industry !== undefined) {
    const r = await q.query(`SELECT 1 FROM industry_class WHERE code = $1::text`, [c.industry]);
    if (!r.rows.length) throw new ApiProblem(422, 'unknown_code', `industry '${c.industry}' is not a known GB/T 4754 code (see /api/codes/industry)`, 'industry');
  }
  if (c.corridor !== undefined) {
    const r = await q.query(`SELECT 1 FROM corridor WHERE code = $1::text`, [c.corridor]);
    if (!r.rows.length) throw new ApiProblem(422, 'unknown_code', `corridor '${c.corridor}' not found (see /api/corridors)`, 'corridor');
  }
}

/**
 * Settings for the search statements, inside the caller's transaction. Parallel workers cost more to
 * start than these small, index-driven statements take (bench/spaces.ts: a 75 ms scan waited 240 ms
 * for its Gather on a busy 2-core machine), so the search runs without them.
 */
export async function searchSettings(q: Queryable): Promise<void> {
  await q.query('SET LOCAL max_parallel_workers_per_gather = 0');
}

export async function today(q: Queryable): Promise<string> {
  return (await q.query<{ d: string }>('SELECT current_date::text AS d')).rows[0].d;
}

/** Spaces matching the criteria on `day`, best first (score, then units before parcels, then id). */
export async function searchSpaces(q: Queryable, c: SpaceSearchCriteria, day: string, limit = c.limit ?? DEFAULT_LIMIT): Promise<SpaceItem[]> {
  const kinds = c.kinds ?? ['unit', 'parcel'];
  const parks = await perfectParks(q, c);
  const rows: SpaceRow[] = [];
  if (kinds.includes('unit')) rows.push(...(await bestOf(q, (tier, park) => unitSearchSql(c, day, limit, tier, park), limit, parks)));
  if (kinds.includes('parcel') && !wantsUnitsOnly(c)) rows.push(...(await bestOf(q, (tier, park) => parcelSearchSql(c, day, limit, tier, park), limit, parks)));
  rows.sort(byRank);
  return rows.slice(0, limit).map((r) => toItem(r, c, day));
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

type Build = (tier: 'full' | 'perfect', park?: string) => SearchSql | null;

/**
 * The perfect spaces if there are `limit` of them (the ranking's head, see search-sql.ts), else the full
 * ranking. With a few parks, the perfect ones are asked park by park, each walking its (park, id) index,
 * and merged by id: the first `limit` of the union are the first `limit` of the merged lists.
 */
async function bestOf(q: Queryable, build: Build, limit: number, parks: string[] | undefined): Promise<SpaceRow[]> {
  if (parks && parks.length <= 16) {
    const found: SpaceRow[] = [];
    for (const park of parks) {
      const perfect = build('perfect', park);
      if (!perfect) break;
      found.push(...(await q.query<SpaceRow>(perfect.sql, perfect.values)).rows);
    }
    if (found.length >= limit) return found.sort(byId).slice(0, limit);
  } else {
    const perfect = build('perfect');
    if (perfect) {
      const r = await q.query<SpaceRow>(perfect.sql, perfect.values);
      if (r.rows.length >= limit) return r.rows;
    }
  }
  const full = build('full')!;
  return (await q.query<SpaceRow>(full.sql, full.values)).rows;
}

const n = (v: number, digits = 0) => v.toLocaleString('en-US', { maximumFractionDigits: digits });
const pct = (share: number) => `${Math.round(share * 100)}%`;

/** Reasons in words, from the same figures the SQL scored. */
export function explain(r: SpaceRow, c: SpaceSearchCriteria, day: string): { matched: string[]; shortfalls: string[] } {
  const matched: string[] = [];
  const short: string[] = [];
  matched.push(r.kind === 'unit' ? `vacant on ${day}` : `released for use (available), no lease on ${day}`);

  if (c.min_area_m2 !== undefined || c.max_area_m2 !== undefined) {
    const a = r.area_m2;
    const range = c.min_area_m2 !== undefined && c.max_area_m2 !== undefined ? `in ${n(c.min_area_m2)}–${n(c.max_area_m2)}`
      : c.min_area_m2 !== undefined ? `≥ ${n(c.min_area_m2)}` : `≤ ${n(c.max_area_m2!)}`;
    if (c.min_area_m2 !== undefined && a < c.min_area_m2) short.push(`area ${pct((c.min_area_m2 - a) / c.min_area_m2)} under the minimum (${n(a)} m² < ${n(c.min_area_m2)})`);
    else if (c.max_area_m2 !== undefined && a > c.max_area_m2) short.push(`area ${pct((a - c.max_area_m2) / c.max_area_m2)} over the maximum (${n(a)} m² > ${n(c.max_area_m2)})`);
    else matched.push(`area fits (${n(a)} m² ${range})`);
  }

  if (c.max_rent_m2_month !== undefined || c.max_total_month !== undefined) {
    if (r.kind === 'parcel') short.push(`land is supplied, not let: no rent to compare with the budget${r.price_cny !== null ? ` (price ¥${n(r.price_cny)})` : ''}`);
    else if (r.rent_cny_m2_month === null) short.push('no asking rent published: ask the park');
    else {
      if (c.max_rent_m2_month !== undefined) {
        const over = r.rent_cny_m2_month / c.max_rent_m2_month - 1;
        if (over > 1e-9) short.push(`rent ${pct(over)} over budget (¥${n(r.rent_cny_m2_month, 2)}/m²/month > ¥${n(c.max_rent_m2_month, 2)})`);
        else matched.push(`rent within budget (¥${n(r.rent_cny_m2_month, 2)}/m²/month ≤ ¥${n(c.max_rent_m2_month, 2)})`);
      }
      if (c.max_total_month !== undefined && r.total_rent_cny_month !== null) {
        const over = r.total_rent_cny_month / c.max_total_month - 1;
        if (over > 1e-9) short.push(`total rent ${pct(over)} over budget (¥${n(r.total_rent_cny_month)}/month > ¥${n(c.max_total_month)})`);
        else matched.push(`total rent within budget (¥${n(r.total_rent_cny_month)}/month ≤ ¥${n(c.max_total_month)})`);
      }
    }
  }

  if (c.industry !== undefined) {
    const themes = r.theme_industries ?? [];
    const pts = r.industry_points ?? 0;
    if (!r.park) short.push(`not in a park: no theme industries to fit ${c.industry}`);
    else if (pts >= SCORE_WEIGHTS.industry) matched.push(`industry ${c.industry} fits the park's themes (${themes.join(', ')})`);
    else if (pts > 0) short.push(`industry ${c.industry} shares only its section with the park's themes (${themes.join(', ')})`);
    else short.push(`industry ${c.industry} is outside the park's themes (${themes.join(', ') || 'none'})`);
  }

  if (c.parks && r.park) matched.push(`in park ${r.park}${r.park_name ? ` (${r.park_name})` : ''}`);
  if (c.move_in_ready) matched.push('move-in ready (拎包入住)');
  if (c.ground_floor) matched.push(r.kind === 'unit' ? 'ground floor' : 'land (ground level)');
  if (c.min_floor_load_kn_m2 !== undefined) matched.push(`floor load ${n(r.floor_load_kn_m2 ?? 0, 1)} kN/m² ≥ ${n(c.min_floor_load_kn_m2, 1)}`);
  if (c.min_clear_height_m !== undefined) matched.push(`clear height ${n(r.clear_height_m ?? 0, 2)} m ≥ ${n(c.min_clear_height_m, 2)}`);
  if (c.min_power_kva !== undefined) matched.push(`power ${n(r.power_kva ?? 0, 1)} kVA ≥ ${n(c.min_power_kva, 1)}`);
  if (c.near && r.distance_m !== null) matched.push(`${n(r.distance_m)} m from the point (≤ ${n(c.near.max_distance_m)})`);
  if (c.corridor !== undefined) {
    matched.push(r.corridor === c.corridor ? `in corridor ${c.corridor}` : `within ${n(c.corridor_max_distance_m ?? 0)} m of corridor ${c.corridor}`);
  }
  if (!c.move_in_ready && r.kind === 'unit' && r.move_in_ready) matched.push('move-in ready (拎包入住)');
  return { matched, shortfalls: short };
}

function toItem(r: SpaceRow, c: SpaceSearchCriteria, day: string): SpaceItem {
  const { matched, shortfalls } = explain(r, c, day);
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
