import { SCORE_TOLERANCE, SCORE_WEIGHTS, type SpaceSearchCriteria } from '@parkatlas/schema';

/**
 * The space search as SQL: one statement for units, one for parcels, each filtering by the hard
 * criteria, scoring by the soft ones and returning the best `limit` rows. Every value is a `$n`
 * parameter; the helpers below only choose which fixed fragments to assemble.
 *
 * Scoring (the same for both kinds; SCORE_WEIGHTS in packages/schema documents it):
 *   area      30 × (1 − gap ÷ 0.25), gap = how far outside [min, max], as a share of the bound crossed
 *   budget    30 × (1 − over ÷ 0.25), over = rent ÷ budget − 1 (the worse of per-m² and total)
 *   industry  20 when a theme industry of the park is the investor's code (or a section holding it,
 *             or a division of the section asked for), 10 when only the section agrees, else 0
 *   distance  20 × (1 − distance ÷ max_distance_m)
 *   score     100 × points ÷ weights of the criteria given, rounded to 0.1 (100 when none is given)
 * A space beyond the tolerance of the area or budget is left out (hard); one without an asking rent
 * stays in with 0 budget points. Ties (on the unrounded score) go by id.
 *
 * Speed (bench/spaces.ts): scoring every candidate of a broad search over 637k units costs hundreds of
 * ms, so each kind is first asked for its *perfect* spaces only (every soft criterion at full points:
 * area in range, within budget, in a park whose themes fit), in id order, which the indexes answer
 * without scoring. When that finds `limit` of them, they are exactly the first `limit` of the full
 * ranking (all share the top score and ties go by id); otherwise, near a point, the nearest spaces are
 * ranked first (`Pass.within`), and the full ranking runs only when those cannot be the answer (search.ts
 * decides both). A unit's vacancy is read from its own row (space_unit.busy, kept from the leases by
 * migration 010); a parcel's, by one probe of its leases per candidate.
 */

export class Params {
  readonly values: unknown[] = [];
  add(v: unknown, cast: string): string {
    this.values.push(v);
    return `$${this.values.length}::${cast}`;
  }
}

export interface SpaceRow {
  kind: 'unit' | 'parcel';
  id: string;
  name: string | null;
  park: string | null;
  park_name: string | null;
  theme_industries: string[] | null;
  corridor: string | null;
  parcel: string;
  building: string | null;
  unit_kind: string | null;
  land_use: string | null;
  floor: number | null;
  area_m2: number;
  rent_cny_m2_month: number | null;
  total_rent_cny_month: number | null;
  price_cny: number | null;
  move_in_ready: boolean | null;
  floor_load_kn_m2: number | null;
  clear_height_m: number | null;
  power_kva: number | null;
  available_from: string | null;
  distance_m: number | null;
  lon: number;
  lat: number;
  area_points: number | null;
  budget_points: number | null;
  industry_points: number | null;
  distance_points: number | null;
  /** The unrounded score, which ranks; `score` is it rounded to 0.1 for display. */
  raw_score: number;
  score: number;
}

/** Criteria that only a built unit can meet: with any of them, parcels are not searched. */
export function wantsUnitsOnly(c: SpaceSearchCriteria): boolean {
  return c.move_in_ready === true || c.min_floor_load_kn_m2 !== undefined || c.min_clear_height_m !== undefined || c.min_power_kva !== undefined;
}

/** Metres per degree of latitude, and of longitude at a latitude: for the index prefilter's box. */
const M_PER_DEG = 111_320;
export function expandDegrees(lat: number, metres: number): { dx: number; dy: number } {
  // A little wider than the true distance (1%), so the box never cuts off a space the distance keeps.
  const dy = (metres * 1.01) / M_PER_DEG;
  const dx = (metres * 1.01) / (M_PER_DEG * Math.max(0.01, Math.cos((Math.abs(lat) * Math.PI) / 180)));
  return { dx, dy };
}


interface Target {
  /** The space's area, rent per m² per month and total per month, as stored (NULL for parcels: not let). */
  area: string;
  rent: string;
  total: string;
  /** The point distances are measured from, and the geometry column the prefilter box tests. */
  point: string;
  indexed: string;
  /** False for parcels: land is supplied, not let, so no parcel is ever within a budget. */
  rented: boolean;
}

interface Parts {
  where: string[];
  /** Extra conditions that hold exactly when every soft criterion earns full points; null: never (distance). */
  perfect: string[] | null;
  distance: string;
  pointColumns: string;
  score: string;
}

/** WHERE fragments and point expressions shared by both kinds. */
function softAndSpatial(c: SpaceSearchCriteria, t: Target, p: Params, where: string[], tier: 'full' | 'perfect', parks?: string[], within?: number): Parts {
  const points: Record<keyof typeof SCORE_WEIGHTS, string | null> = { area: null, budget: null, industry: null, distance: null };
  let perfect: string[] | null = [];
  // Parameters of the perfect tier's conditions only when it runs: an unused parameter has no type.
  const only = (sql: () => string) => {
    if (tier === 'perfect' && perfect) perfect.push(sql());
  };
  // A hard bound with its perfect-tier counterpart: the perfect tier tests only the narrower one (it
  // implies the other; both together made the planner multiply their selectivities and guess 3 rows for
  // 546, choosing the wrong plan).
  const hard = (tolerated: () => string, exact: () => string) => {
    if (tier === 'perfect' && perfect) perfect.push(exact());
    else where.push(tolerated());
  };
  let distance = 'NULL::float8';
  const f = (col: string) => `${col}::float8`;
  // Near a point, the spatial index leads: an area range of most units ANDed into the bitmap only costs
  // (bench/spaces.ts: 300 ms of a 790 ms search), so compare the area in a form no index matches.
  const areaCol = c.near ? f(t.area) : t.area;

  if (c.min_area_m2 !== undefined || c.max_area_m2 !== undefined) {
    const gaps: string[] = ['0'];
    if (c.min_area_m2 !== undefined && c.min_area_m2 > 0) {
      const min = p.add(c.min_area_m2, 'float8');
      hard(() => `${areaCol} >= ${p.add(c.min_area_m2! * (1 - SCORE_TOLERANCE), 'numeric')}`, () => `${t.area} >= ${p.add(c.min_area_m2, 'numeric')}`);
      gaps.push(`(${min} - ${f(t.area)}) / ${min}`);
    }
    if (c.max_area_m2 !== undefined) {
      const max = p.add(c.max_area_m2, 'float8');
      hard(() => `${areaCol} <= ${p.add(c.max_area_m2! * (1 + SCORE_TOLERANCE), 'numeric')}`, () => `${t.area} <= ${p.add(c.max_area_m2, 'numeric')}`);
      gaps.push(`(${f(t.area)} - ${max}) / nullif(${max}, 0)`);
    }
    points.area = `${SCORE_WEIGHTS.area} * greatest(0, 1 - greatest(${gaps.join(', ')}) / ${SCORE_TOLERANCE})`;
  }

  if (c.max_rent_m2_month !== undefined || c.max_total_month !== undefined) {
    const overs: string[] = ['0'];
    if (!t.rented) perfect = null;
    only(() => `${t.rent} IS NOT NULL`);
    if (c.max_rent_m2_month !== undefined) {
      overs.push(`${f(t.rent)} / nullif(${p.add(c.max_rent_m2_month, 'float8')}, 0) - 1`);
      hard(() => `(${t.rent} IS NULL OR ${t.rent} <= ${p.add(c.max_rent_m2_month! * (1 + SCORE_TOLERANCE), 'numeric')})`, () => `${t.rent} <= ${p.add(c.max_rent_m2_month, 'numeric')}`);
    }
    if (c.max_total_month !== undefined) {
      overs.push(`${f(t.total)} / nullif(${p.add(c.max_total_month, 'float8')}, 0) - 1`);
      hard(() => `(${t.rent} IS NULL OR ${t.total} <= ${p.add(c.max_total_month! * (1 + SCORE_TOLERANCE), 'numeric')})`, () => `${t.total} <= ${p.add(c.max_total_month, 'numeric')}`);
    }
    // greatest() skips NULLs, so test the rent itself: no asking rent, no budget points.
    points.budget = `CASE WHEN ${t.rent} IS NULL THEN 0 ELSE ${SCORE_WEIGHTS.budget} * greatest(0, 1 - greatest(${overs.join(', ')}) / ${SCORE_TOLERANCE}) END`;
  }

  if (c.industry !== undefined) {
    const ind = p.add(c.industry, 'text');
    const fits = `EXISTS (SELECT 1 FROM unnest(k.theme_industries) t WHERE t = ${ind} OR left(${ind}, length(t)) = t OR left(t, length(${ind})) = ${ind})`;
    points.industry = `CASE WHEN ${fits} THEN ${SCORE_WEIGHTS.industry}
      WHEN EXISTS (SELECT 1 FROM unnest(k.theme_industries) t WHERE left(t, 1) = left(${ind}, 1)) THEN ${SCORE_WEIGHTS.industry / 2}
      ELSE 0 END`;
    if (parks === undefined) only(() => `z.park IN (SELECT k2.code FROM park k2 WHERE EXISTS (SELECT 1 FROM unnest(k2.theme_industries) t WHERE t = ${ind} OR left(${ind}, length(t)) = t OR left(t, length(${ind})) = ${ind}))`);
  }

  if (c.near) {
    const pt = `ST_SetSRID(ST_MakePoint(${p.add(c.near.lon, 'float8')}, ${p.add(c.near.lat, 'float8')}), 4326)`;
    const max = p.add(c.near.max_distance_m, 'float8');
    // The geography distance cannot use the index (DESIGN.md: 700 ms over 100k rows); the box can.
    // On the sphere rather than the spheroid: within 0.5% at these distances, and several times cheaper.
    // `within`: the nearest-first pass (search.ts) looks only this close, with a box to match.
    const { dx, dy } = expandDegrees(c.near.lat, within ?? c.near.max_distance_m);
    where.push(`${t.indexed} && ST_Expand(${pt}, ${p.add(dx, 'float8')}, ${p.add(dy, 'float8')})`);
    distance = `ST_Distance(${t.point}::geography, ${pt}::geography, false)`;
    where.push(`${distance} <= ${within === undefined ? max : p.add(within, 'float8')}`);
    points.distance = `${SCORE_WEIGHTS.distance} * greatest(0, 1 - ${distance} / ${max})`;
    perfect = null;
  }

  // One park as an equality; `parks`: the perfect tier in the parks the caller found to fit, as a list
  // the (park, area, rent) index takes park by park.
  const inParks = parks ?? c.parks;
  if (inParks?.length === 1) where.push(`z.park = ${p.add(inParks[0], 'text')}`);
  else if (inParks) where.push(`z.park = ANY(${p.add(inParks, 'text[]')})`);

  if (c.corridor !== undefined) {
    const corridor = p.add(c.corridor, 'text');
    const within = c.corridor_max_distance_m ?? 0;
    if (within === 0) where.push(`z.corridor = ${corridor}`);
    else {
      const m = p.add(within, 'float8');
      where.push(`(z.corridor = ${corridor} OR EXISTS (SELECT 1 FROM corridor r WHERE r.code = ${corridor}
        AND ${t.indexed} && ST_Expand(r.geom, ${m} * 1.01 / 111320 / cos(radians(ST_Y(${t.point}))), ${m} * 1.01 / 111320)
        AND ST_DWithin(r.geom::geography, ${t.point}::geography, ${m})))`);
    }
  }

  const given = (Object.keys(points) as (keyof typeof SCORE_WEIGHTS)[]).filter((k) => points[k] !== null);
  const weight = given.reduce((s, k) => s + SCORE_WEIGHTS[k], 0);
  const score = given.length ? `(100 * (${given.map((k) => `(${points[k]})`).join(' + ')}) / ${weight})::float8` : '100::float8';
  const pointColumns = (Object.keys(points) as (keyof typeof SCORE_WEIGHTS)[])
    .map((k) => `${points[k] === null ? 'NULL' : `round((${points[k]})::numeric, 2)`}::float8 AS ${k}_points`)
    .join(', ');
  return { where, perfect, distance, pointColumns, score };
}

/** A search statement: the full ranking, or (tier 'perfect') only spaces at the top score, in id order. */
export interface SearchSql {
  sql: string;
  values: unknown[];
}

/** Which part of the ranking a statement asks for (search.ts chooses; the default is all of it). */
export interface Pass {
  /** 'perfect': only spaces at the top score, in id order; 'full' (default): the ranking. */
  tier?: 'full' | 'perfect';
  /** Only spaces in these parks (the perfect tier, asked in the parks whose themes fit). */
  parks?: string[];
  /** Near a point: only spaces at most this many metres away (the nearest-first pass). */
  within?: number;
}

// Units are searched in space_unit (007): each unit's attributes with its park, corridor and point, kept
// by triggers, so no candidate needs a join. The alias is z, as parcel_zone's is for parcels.
const UNIT_TARGET: Target = {
  area: 'z.area_m2',
  rent: 'z.rent_cny_m2_month',
  total: '(z.rent_cny_m2_month * z.area_m2)',
  point: 'z.pt',
  indexed: 'z.pt',
  rented: true,
};

/** The best `limit` vacant units on the day, scored; null when tier 'perfect' cannot apply. */
export function unitSearchSql(c: SpaceSearchCriteria, day: string, limit: number, { tier = 'full', parks, within }: Pass = {}): SearchSql | null {
  const p = new Params();
  const d = p.add(day, 'date');
  const where = [
    'NOT z.reserved',
    // Available by the day (no date: now); written as the expression the indexes hold (010).
    `coalesce(z.available_from, '-infinity'::date) <= ${d}`,
    // Vacant on the day: no lease covers it, both ends included (busy is kept from the leases, 010).
    `NOT z.busy @> ${d}`,
  ];
  if (c.move_in_ready) where.push('z.move_in_ready');
  if (c.ground_floor) where.push('z.floor = 1');
  if (c.min_floor_load_kn_m2 !== undefined) where.push(`z.floor_load_kn_m2 >= ${p.add(c.min_floor_load_kn_m2, 'numeric')}`);
  if (c.min_clear_height_m !== undefined) where.push(`z.clear_height_m >= ${p.add(c.min_clear_height_m, 'numeric')}`);
  if (c.min_power_kva !== undefined) where.push(`z.power_kva >= ${p.add(c.min_power_kva, 'numeric')}`);
  const s = softAndSpatial(c, UNIT_TARGET, p, where, tier, parks, within);
  if (tier === 'perfect' && !s.perfect) return null;
  const conditions = tier === 'perfect' ? [...s.where, ...s.perfect!] : s.where;
  const order = tier === 'perfect' ? 'z.unit' : 'score DESC, z.unit';
  const sql = `
WITH hits AS (
  SELECT z.unit AS id, z.park, z.corridor, z.pt, ${s.distance} AS distance_m, ${s.pointColumns}, ${s.score} AS score
  FROM space_unit z
  LEFT JOIN park k ON k.code = z.park
  WHERE ${conditions.join('\n    AND ')}
  ORDER BY ${order}
  LIMIT ${p.add(limit, 'int')}
)
SELECT 'unit' AS kind, h.id, u.name, h.park, k.name AS park_name, k.theme_industries, h.corridor, b.parcel, u.building,
       u.kind AS unit_kind, NULL AS land_use, u.floor, u.area_m2::float8 AS area_m2,
       u.rent_cny_m2_month::float8 AS rent_cny_m2_month, round(u.rent_cny_m2_month * u.area_m2, 2)::float8 AS total_rent_cny_month,
       NULL::float8 AS price_cny, u.move_in_ready, u.floor_load_kn_m2::float8 AS floor_load_kn_m2,
       u.clear_height_m::float8 AS clear_height_m, u.power_kva::float8 AS power_kva, u.available_from::text AS available_from,
       round(h.distance_m::numeric, 1)::float8 AS distance_m, round(ST_X(h.pt)::numeric, 7)::float8 AS lon, round(ST_Y(h.pt)::numeric, 7)::float8 AS lat,
       h.area_points, h.budget_points, h.industry_points, h.distance_points, h.score AS raw_score, round(h.score::numeric, 1)::float8 AS score
FROM hits h
JOIN unit u ON u.code = h.id
JOIN building b ON b.code = u.building
LEFT JOIN park k ON k.code = h.park
ORDER BY h.score DESC, h.id`;
  return { sql, values: p.values };
}

/** The best `limit` parcels released for use (status 'available') with no lease on the day, scored. */
export function parcelSearchSql(c: SpaceSearchCriteria, day: string, limit: number, { tier = 'full', parks, within }: Pass = {}): SearchSql | null {
  const p = new Params();
  const d = p.add(day, 'date');
  const where = [
    `p.status = 'available'`,
    // Vacant on the day, asked per candidate and last. OFFSET 0 keeps it a per-row probe (as an anti-join
    // the planner merged 100 candidates with 80,000 lease index entries, 300 ms embedded); naming z as well
    // as p makes it a test of the joined row, so a park narrows the candidates before any probe (tested on
    // the parcel scan, it probed 2,000 parcels of every park for 142 of one).
    `NOT EXISTS (SELECT 1 FROM lease l WHERE l.parcel = p.code AND l.parcel = z.parcel AND l.start_date <= ${d} AND (l.end_date IS NULL OR l.end_date >= ${d}) OFFSET 0)`,
  ];
  const t: Target = { area: 'p.area_m2', rent: 'NULL::numeric', total: 'NULL::numeric', point: 'p.label_point', indexed: 'p.label_point', rented: false };
  const s = softAndSpatial(c, t, p, where, tier, parks, within);
  if (tier === 'perfect' && !s.perfect) return null;
  const conditions = tier === 'perfect' ? [...s.where, ...s.perfect!] : s.where;
  const order = tier === 'perfect' ? 'p.code' : 'score DESC, p.code';
  const sql = `
WITH hits AS (
  SELECT p.code AS id, z.park, z.corridor, ${s.distance} AS distance_m, ${s.pointColumns}, ${s.score} AS score
  FROM parcel p
  JOIN parcel_zone z ON z.parcel = p.code
  LEFT JOIN park k ON k.code = z.park
  WHERE ${conditions.join('\n    AND ')}
  ORDER BY ${order}
  LIMIT ${p.add(limit, 'int')}
)
SELECT 'parcel' AS kind, h.id, p.name, h.park, k.name AS park_name, k.theme_industries, h.corridor, p.code AS parcel,
       NULL AS building, NULL AS unit_kind, p.land_use, NULL::int AS floor, round(p.area_m2::numeric, 2)::float8 AS area_m2,
       NULL::float8 AS rent_cny_m2_month, NULL::float8 AS total_rent_cny_month, p.price_cny::float8 AS price_cny,
       NULL::boolean AS move_in_ready, NULL::float8 AS floor_load_kn_m2, NULL::float8 AS clear_height_m, NULL::float8 AS power_kva,
       p.supply_date::text AS available_from,
       round(h.distance_m::numeric, 1)::float8 AS distance_m, round(ST_X(p.label_point)::numeric, 7)::float8 AS lon,
       round(ST_Y(p.label_point)::numeric, 7)::float8 AS lat,
       h.area_points, h.budget_points, h.industry_points, h.distance_points, h.score AS raw_score, round(h.score::numeric, 1)::float8 AS score
FROM hits h
JOIN parcel p ON p.code = h.id
LEFT JOIN park k ON k.code = h.park
ORDER BY h.score DESC, h.id`;
  return { sql, values: p.values };
}
