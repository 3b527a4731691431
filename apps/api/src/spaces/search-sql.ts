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
 * stays in with 0 budget points.
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
  /** SQL of the space's area, its rent per m² per month and its total per month (NULL for parcels). */
  area: string;
  rent: string;
  total: string;
  /** The point distances are measured from, and the geometry column the prefilter box tests. */
  point: string;
  indexed: string;
}

/** WHERE fragments and point expressions shared by both kinds. */
function softAndSpatial(c: SpaceSearchCriteria, t: Target, p: Params, where: string[]) {
  const points: Record<keyof typeof SCORE_WEIGHTS, string | null> = { area: null, budget: null, industry: null, distance: null };
  let distance = 'NULL::float8';

  if (c.min_area_m2 !== undefined || c.max_area_m2 !== undefined) {
    const gaps: string[] = ['0'];
    if (c.min_area_m2 !== undefined && c.min_area_m2 > 0) {
      const min = p.add(c.min_area_m2, 'float8');
      where.push(`${t.area} >= ${p.add(c.min_area_m2 * (1 - SCORE_TOLERANCE), 'float8')}`);
      gaps.push(`(${min} - ${t.area}) / ${min}`);
    }
    if (c.max_area_m2 !== undefined) {
      const max = p.add(c.max_area_m2, 'float8');
      where.push(`${t.area} <= ${p.add(c.max_area_m2 * (1 + SCORE_TOLERANCE), 'float8')}`);
      gaps.push(`(${t.area} - ${max}) / nullif(${max}, 0)`);
    }
    points.area = `${SCORE_WEIGHTS.area} * greatest(0, 1 - greatest(${gaps.join(', ')}) / ${SCORE_TOLERANCE})`;
  }

  if (c.max_rent_m2_month !== undefined || c.max_total_month !== undefined) {
    const overs: string[] = ['0'];
    if (c.max_rent_m2_month !== undefined) overs.push(`${t.rent} / nullif(${p.add(c.max_rent_m2_month, 'float8')}, 0) - 1`);
    if (c.max_total_month !== undefined) overs.push(`${t.total} / nullif(${p.add(c.max_total_month, 'float8')}, 0) - 1`);
    // greatest() skips NULLs, so test the rent itself: no asking rent, no budget points.
    const over = `greatest(${overs.join(', ')})`;
    where.push(`(${t.rent} IS NULL OR ${over} <= ${SCORE_TOLERANCE})`);
    points.budget = `CASE WHEN ${t.rent} IS NULL THEN 0 ELSE ${SCORE_WEIGHTS.budget} * greatest(0, 1 - ${over} / ${SCORE_TOLERANCE}) END`;
  }

  if (c.industry !== undefined) {
    const ind = p.add(c.industry, 'text');
    points.industry = `CASE
      WHEN EXISTS (SELECT 1 FROM unnest(k.theme_industries) t WHERE t = ${ind} OR left(${ind}, length(t)) = t OR left(t, length(${ind})) = ${ind}) THEN ${SCORE_WEIGHTS.industry}
      WHEN EXISTS (SELECT 1 FROM unnest(k.theme_industries) t WHERE left(t, 1) = left(${ind}, 1)) THEN ${SCORE_WEIGHTS.industry / 2}
      ELSE 0 END`;
  }

  if (c.near) {
    const { dx, dy } = expandDegrees(c.near.lat, c.near.max_distance_m);
    const pt = `ST_SetSRID(ST_MakePoint(${p.add(c.near.lon, 'float8')}, ${p.add(c.near.lat, 'float8')}), 4326)`;
    const max = p.add(c.near.max_distance_m, 'float8');
    // The geography distance cannot use the index (DESIGN.md: 700 ms over 100k rows); the box can.
    where.push(`${t.indexed} && ST_Expand(${pt}, ${p.add(dx, 'float8')}, ${p.add(dy, 'float8')})`);
    distance = `ST_Distance(${t.point}::geography, ${pt}::geography)`;
    where.push(`${distance} <= ${max}`);
    points.distance = `${SCORE_WEIGHTS.distance} * greatest(0, 1 - ${distance} / ${max})`;
  }

  if (c.parks) where.push(`z.park = ANY(${p.add(c.parks, 'text[]')})`);

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
  const score = given.length ? `round((100 * (${given.map((k) => `(${points[k]})`).join(' + ')}) / ${weight})::numeric, 1)::float8` : '100::float8';
  const pointColumns = (Object.keys(points) as (keyof typeof SCORE_WEIGHTS)[])
    .map((k) => `${points[k] === null ? 'NULL' : `round((${points[k]})::numeric, 2)`}::float8 AS ${k}_points`)
    .join(', ');
  return { distance, pointColumns, score };
}

/** The best `limit` vacant units on the day, scored. */
export function unitSearchSql(c: SpaceSearchCriteria, day: string, limit: number): { sql: string; values: unknown[] } {
  const p = new Params();
  const d = p.add(day, 'date');
  const where = [
    'NOT u.reserved',
    `(u.available_from IS NULL OR u.available_from <= ${d})`,
    // Vacant on the day: no lease covers it (the exclusion constraint allows at most one).
    `NOT EXISTS (SELECT 1 FROM lease l WHERE l.unit = u.code AND daterange(l.start_date, l.end_date, '[]') @> ${d})`,
  ];
  if (c.move_in_ready) where.push('u.move_in_ready');
  if (c.ground_floor) where.push('u.floor = 1');
  if (c.min_floor_load_kn_m2 !== undefined) where.push(`u.floor_load_kn_m2 >= ${p.add(c.min_floor_load_kn_m2, 'float8')}`);
  if (c.min_clear_height_m !== undefined) where.push(`u.clear_height_m >= ${p.add(c.min_clear_height_m, 'float8')}`);
  if (c.min_power_kva !== undefined) where.push(`u.power_kva >= ${p.add(c.min_power_kva, 'float8')}`);
  const t: Target = {
    area: 'u.area_m2::float8',
    rent: 'u.rent_cny_m2_month::float8',
    total: '(u.rent_cny_m2_month * u.area_m2)::float8',
    point: 'ST_PointOnSurface(b.geom)',
    indexed: 'b.geom',
  };
  const s = softAndSpatial(c, t, p, where);
  const sql = `
WITH hits AS (
  SELECT u.code AS id, u.building, z.park, z.corridor, ${s.distance} AS distance_m, ${s.pointColumns}, ${s.score} AS score
  FROM unit u
  JOIN building b ON b.code = u.building
  JOIN parcel_zone z ON z.parcel = b.parcel
  LEFT JOIN park k ON k.code = z.park
  WHERE ${where.join('\n    AND ')}
  ORDER BY score DESC, u.code
  LIMIT ${p.add(limit, 'int')}
)
SELECT 'unit' AS kind, h.id, u.name, h.park, k.name AS park_name, k.theme_industries, h.corridor, b.parcel, u.building,
       u.kind AS unit_kind, NULL AS land_use, u.floor, u.area_m2::float8 AS area_m2,
       u.rent_cny_m2_month::float8 AS rent_cny_m2_month, round(u.rent_cny_m2_month * u.area_m2, 2)::float8 AS total_rent_cny_month,
       NULL::float8 AS price_cny, u.move_in_ready, u.floor_load_kn_m2::float8 AS floor_load_kn_m2,
       u.clear_height_m::float8 AS clear_height_m, u.power_kva::float8 AS power_kva, u.available_from::text AS available_from,
       round(h.distance_m::numeric, 1)::float8 AS distance_m, round(ST_X(g.pt)::numeric, 7)::float8 AS lon, round(ST_Y(g.pt)::numeric, 7)::float8 AS lat,
       h.area_points, h.budget_points, h.industry_points, h.distance_points, h.score
FROM hits h
JOIN unit u ON u.code = h.id
JOIN building b ON b.code = u.building
LEFT JOIN park k ON k.code = h.park
CROSS JOIN LATERAL (SELECT ST_PointOnSurface(b.geom) AS pt) g
ORDER BY h.score DESC, h.id`;
  return { sql, values: p.values };
}

/** The best `limit` parcels released for use (status 'available') with no lease on the day, scored. */
export function parcelSearchSql(c: SpaceSearchCriteria, day: string, limit: number): { sql: string; values: unknown[] } {
  const p = new Params();
  const d = p.add(day, 'date');
  const where = [
    `p.status = 'available'`,
    `NOT EXISTS (SELECT 1 FROM lease l WHERE l.parcel = p.code AND daterange(l.start_date, l.end_date, '[]') @> ${d})`,
  ];
  const t: Target = { area: 'p.area_m2', rent: 'NULL::float8', total: 'NULL::float8', point: 'p.label_point', indexed: 'p.label_point' };
  const s = softAndSpatial(c, t, p, where);
  const sql = `
WITH hits AS (
  SELECT p.code AS id, z.park, z.corridor, ${s.distance} AS distance_m, ${s.pointColumns}, ${s.score} AS score
  FROM parcel p
  JOIN parcel_zone z ON z.parcel = p.code
  LEFT JOIN park k ON k.code = z.park
  WHERE ${where.join('\n    AND ')}
  ORDER BY score DESC, p.code
  LIMIT ${p.add(limit, 'int')}
)
SELECT 'parcel' AS kind, h.id, p.name, h.park, k.name AS park_name, k.theme_industries, h.corridor, p.code AS parcel,
       NULL AS building, NULL AS unit_kind, p.land_use, NULL::int AS floor, round(p.area_m2::numeric, 2)::float8 AS area_m2,
       NULL::float8 AS rent_cny_m2_month, NULL::float8 AS total_rent_cny_month, p.price_cny::float8 AS price_cny,
       NULL::boolean AS move_in_ready, NULL::float8 AS floor_load_kn_m2, NULL::float8 AS clear_height_m, NULL::float8 AS power_kva,
       p.supply_date::text AS available_from,
       round(h.distance_m::numeric, 1)::float8 AS distance_m, round(ST_X(p.label_point)::numeric, 7)::float8 AS lon,
       round(ST_Y(p.label_point)::numeric, 7)::float8 AS lat,
       h.area_points, h.budget_points, h.industry_points, h.distance_points, h.score
FROM hits h
JOIN parcel p ON p.code = h.id
LEFT JOIN park k ON k.code = h.park
ORDER BY h.score DESC, h.id`;
  return { sql, values: p.values };
}
