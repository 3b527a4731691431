import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '@parkatlas/db';
import { apiError, PARCEL_STATUSES } from '@parkatlas/schema';
import { notFound } from '../errors.ts';

const mu = z.number().describe('mu (亩), 1 mu = 666.67 m²');

const statusTotals = z.object({ parcels: z.number().int(), land_mu: mu });

export const parkSummary = z.object({
  code: z.string(),
  name: z.string(),
  name_en: z.string().nullable(),
  area_mu: mu.describe("The park's own area in mu"),
  land: z.object({
    parcels: z.number().int().describe('Parcels whose inside point lies in the park (as /api/parcels?park=)'),
    land_mu: mu.describe('Their total area'),
    idle_mu: mu.describe("Area of parcels whose status is 'idle'"),
    by_status: z.record(z.enum(PARCEL_STATUSES), statusTotals),
  }),
  buildings: z.object({
    count: z.number().int(),
    floor_area_m2: z.number().describe('Gross floor area of the buildings on those parcels'),
  }),
  space: z.object({
    units: z.number().int(),
    vacant_units: z.number().int(),
    unit_area_m2: z.number(),
    vacant_area_m2: z.number(),
    vacancy_rate: z.number().nullable().describe('Vacant ÷ total unit floor area today, 0–1 (null without units)'),
  }),
  enterprises: z.object({
    registered: z.number().int().describe('Enterprises registered to the park'),
    tenants: z.number().int().describe('Distinct enterprises leasing a unit or a parcel in the park today'),
  }),
});

export type ParkSummary = z.infer<typeof parkSummary>;

// One statement, so every figure comes from the same snapshot. Parcels are found through the
// label-point index first, then parcel_containment decides (a point in two parks belongs to one).
const PARK_SUMMARY_SQL = `
WITH k AS (
  SELECT code, name, name_en, ST_Area(geom::geography) / (10000.0 / 15) AS area_mu, geom FROM park WHERE code = $1
), pa AS (
  SELECT p.code, p.status, p.area_m2 / (10000.0 / 15) AS mu
  FROM k JOIN parcel p ON ST_Intersects(k.geom, p.label_point)
  JOIN parcel_containment c ON c.parcel = p.code AND c.park = k.code
), bu AS (
  SELECT b.code, b.gross_floor_area_m2 FROM building b WHERE b.parcel IN (SELECT code FROM pa)
), un AS (
  SELECT u.area_m2, o.status, o.tenant FROM unit u JOIN unit_occupancy o ON o.unit = u.code
  WHERE u.building IN (SELECT code FROM bu)
)
SELECT k.code, k.name, k.name_en, k.area_mu::float8 AS area_mu,
  (SELECT count(*) FROM pa)::int AS parcels,
  (SELECT coalesce(sum(mu), 0) FROM pa)::float8 AS land_mu,
  (SELECT coalesce(jsonb_object_agg(status, jsonb_build_object('parcels', n, 'land_mu', m)), '{}')
     FROM (SELECT status, count(*)::int AS n, sum(mu)::float8 AS m FROM pa GROUP BY status) s) AS by_status,
  (SELECT count(*) FROM bu)::int AS buildings,
  (SELECT coalesce(sum(gross_floor_area_m2), 0) FROM bu)::float8 AS floor_area_m2,
  (SELECT count(*) FROM un)::int AS units,
  (SELECT count(*) FILTER (WHERE status = 'vacant') FROM un)::int AS vacant_units,
  (SELECT coalesce(sum(area_m2), 0) FROM un)::float8 AS unit_area_m2,
  (SELECT coalesce(sum(area_m2) FILTER (WHERE status = 'vacant'), 0) FROM un)::float8 AS vacant_area_m2,
  (SELECT count(*) FROM enterprise e WHERE e.park = k.code)::int AS registered,
  (SELECT count(DISTINCT t) FROM (
     SELECT tenant AS t FROM un WHERE tenant IS NOT NULL
     UNION ALL
     SELECT l.enterprise FROM lease l JOIN pa ON pa.code = l.parcel
     WHERE daterange(l.start_date, l.end_date, '[]') @> current_date) x)::int AS tenants
FROM k`;

interface SummaryRow {
  code: string;
  name: string;
  name_en: string | null;
  area_mu: number;
  parcels: number;
  land_mu: number;
  by_status: Record<string, { parcels: number; land_mu: number }>;
  buildings: number;
  floor_area_m2: number;
  units: number;
  vacant_units: number;
  unit_area_m2: number;
  vacant_area_m2: number;
  registered: number;
  tenants: number;
}

const round2 = (n: number) => Math.round(n * 100) / 100;

/** The figures shown next to the map in the park view: land, idle land, floor area, vacancy, enterprises. */
export async function summarizePark(db: Db, code: string): Promise<ParkSummary | undefined> {
  const r = await db.query<SummaryRow>(PARK_SUMMARY_SQL, [code]);
  const s = r.rows[0];
  if (!s) return undefined;
  const byStatus = Object.fromEntries(
    PARCEL_STATUSES.map((st) => [st, { parcels: s.by_status[st]?.parcels ?? 0, land_mu: round2(s.by_status[st]?.land_mu ?? 0) }]),
  ) as ParkSummary['land']['by_status'];
  return {
    code: s.code,
    name: s.name,
    name_en: s.name_en,
    area_mu: round2(s.area_mu),
    land: { parcels: s.parcels, land_mu: round2(s.land_mu), idle_mu: byStatus.idle.land_mu, by_status: byStatus },
    buildings: { count: s.buildings, floor_area_m2: round2(s.floor_area_m2) },
    space: {
      units: s.units,
      vacant_units: s.vacant_units,
      unit_area_m2: round2(s.unit_area_m2),
      vacant_area_m2: round2(s.vacant_area_m2),
      vacancy_rate: s.unit_area_m2 > 0 ? Math.round((s.vacant_area_m2 / s.unit_area_m2) * 10000) / 10000 : null,
    },
    enterprises: { registered: s.registered, tenants: s.tenants },
  };
}

/** GET /api/parks/{code}/summary */
export function registerParkSummary(app: FastifyInstance, db: Db): void {
  app.withTypeProvider<ZodTypeProvider>().get('/api/parks/:code/summary', {
    schema: {
      tags: ['parks'],
      summary: "A park's totals: land, idle land, floor area, vacancy and enterprises",
      params: z.strictObject({ code: z.string().min(1).max(64).describe('Park code') }),
      querystring: z.strictObject({}),
      response: { 200: parkSummary, 404: apiError },
    },
  }, async (req) => {
    const summary = await summarizePark(db, req.params.code);
    if (!summary) throw notFound('park', req.params.code);
    return summary;
  });
}
