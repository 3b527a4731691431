/**
 * The investor's space search (POST /api/spaces/search) on the 100k-parcel demo zone, on PostgreSQL +
 * PostGIS and on the embedded database: p50 and p95 of typical searches through the API (app.inject,
 * JSON included), against baselines measured in the same run: the bare `SELECT … FROM unit WHERE
 * area_m2 BETWEEN 40 AND 80 LIMIT 50` (an index range scan, no vacancy, no scoring) and each search's own SQL
 * without HTTP.
 *
 *   npx tsx bench/spaces.ts                    # both drivers; PostgreSQL from scripts/pg-throwaway.sh 55442
 *   BENCH_DATABASE_URL=postgres://…/parkatlas_bench_spaces BENCH_EMBEDDED_DIR=/tmp/pa-spaces-100k npx tsx bench/spaces.ts
 *
 * BENCH_PARCELS (default 100000) sizes the zone, BENCH_RUNS (default 30) the timed runs per search,
 * BENCH_DRIVERS=embedded or postgres runs one driver only. A database or folder that already holds a zone
 * of that size is reused (and migrated); otherwise it is migrated and loaded with generateDemoZone +
 * loadDemoZone. Targets: p95 < 50 ms on PostgreSQL, < 150 ms embedded.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrate, openEmbedded, openPostgres, type Db } from '@parkatlas/db';
import { spaceSearchCriteria } from '@parkatlas/schema';
import { generateDemoZone, loadDemoZone } from '@parkatlas/seeds';
import { buildApp } from '../apps/api/src/app.ts';
import { parcelSearchSql, unitSearchSql } from '../apps/api/src/spaces/search-sql.ts';
import { searchSettings } from '../apps/api/src/spaces/search.ts';
import { measure } from './timing.ts';

const PARCELS = Number(process.env.BENCH_PARCELS ?? 100_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 30);
const DRIVERS = (process.env.BENCH_DRIVERS ?? 'postgres,embedded').split(',');

async function prepare(db: Db): Promise<string> {
  const applied = await migrate(db);
  const n = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM parcel')).rows[0].n;
  let note = `reused (${n} parcels)`;
  if (n !== PARCELS) {
    if (n !== 0) throw new Error(`the database holds ${n} parcels, not ${PARCELS}: give an empty one`);
    const t0 = performance.now();
    await loadDemoZone(db, generateDemoZone({ parcels: PARCELS }));
    note = `loaded in ${((performance.now() - t0) / 1000).toFixed(0)} s`;
  }
  if (applied.length) note += `; migrations applied now: ${applied.join(', ')}`;
  // PGlite runs no autovacuum: without statistics the planner guesses, and guesses badly.
  await db.exec('ANALYZE');
  return note;
}

/** Typical searches, built from the zone itself (a real park, corridor and point). */
async function searches(db: Db): Promise<[string, Record<string, unknown>][]> {
  const park = (await db.query<{ code: string; industry: string }>(
    `SELECT k.code, k.theme_industries[1] AS industry FROM park k JOIN parcel_zone z ON z.park = k.code GROUP BY k.code ORDER BY count(*) DESC LIMIT 1`,
  )).rows[0];
  const corridor = (await db.query<{ code: string }>(`SELECT corridor AS code FROM parcel_zone WHERE corridor IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC LIMIT 1`)).rows[0].code;
  const centre = (await db.query<{ lon: number; lat: number }>(
    `SELECT ST_X(c)::float8 AS lon, ST_Y(c)::float8 AS lat FROM (SELECT ST_Centroid(ST_Extent(label_point)::geometry) AS c FROM parcel) s`,
  )).rows[0];
  const inAYear = new Date(Date.now() + 365 * 86400e3).toISOString().slice(0, 10);
  // At 100k parcels the generator cuts floors into smaller units (16–229 m², median 59) and parcels
  // (available ones 170–5,700 m², median 1,000), so the ranges follow that zone.
  return [
    ['workshop 80–200 m², ≤ ¥22, C35 fit, floor load ≥ 5', { min_area_m2: 80, max_area_m2: 200, max_rent_m2_month: 22, industry: 'C35', min_floor_load_kn_m2: 5 }],
    [`office 40–80 m², ≤ ¥45, move-in ready, park ${park.code}`, { min_area_m2: 40, max_area_m2: 80, max_rent_m2_month: 45, move_in_ready: true, parks: [park.code] }],
    ['100–200 m², ≤ ¥5,000/month, I65 fit, units + parcels', { min_area_m2: 100, max_area_m2: 200, max_total_month: 5000, industry: 'I65' }],
    ['30–100 m² within 2 km of the zone centre', { min_area_m2: 30, max_area_m2: 100, near: { lon: centre.lon, lat: centre.lat, max_distance_m: 2000 } }],
    [`50–150 m² in corridor ${corridor}, free in a year`, { min_area_m2: 50, max_area_m2: 150, corridor, available_by: inAYear }],
    ['parcels 2,000–5,000 m², C27 fit', { kinds: ['parcel'], min_area_m2: 2000, max_area_m2: 5000, industry: 'C27' }],
    ['rare: 200–230 m², ≤ ¥15, ground floor (few perfect: the full ranking runs)', { min_area_m2: 200, max_area_m2: 230, max_rent_m2_month: 15, ground_floor: true }],
    ['no criteria at all (every vacant unit and parcel ranked)', {}],
  ];
}

const ms = (v: number) => (v >= 100 ? v.toFixed(0) : v.toFixed(1));

async function benchDriver(kind: 'embedded' | 'postgres', db: Db, note: string, target: number): Promise<string[]> {
  const out: string[] = [];
  const app = await buildApp({ db });
  await app.ready();
  const counts = (await db.query<Record<string, number>>(
    `SELECT (SELECT count(*) FROM parcel)::int AS parcels, (SELECT count(*) FROM unit)::int AS units,
            (SELECT count(*) FROM lease)::int AS leases, (SELECT count(*) FROM parcel WHERE status = 'available')::int AS available`,
  )).rows[0];
  out.push(`\n### ${kind}: ${counts.parcels} parcels (${counts.available} available), ${counts.units} units, ${counts.leases} leases; ${note}\n`);
  const base = await measure(() => db.query(`SELECT code, area_m2 FROM unit WHERE area_m2 BETWEEN 40 AND 80 LIMIT 50`), RUNS);
  out.push('| search | items | p50 ms | p95 ms | full ranking SQL alone, p50 ms | p95 ÷ baseline p50 | target p95 |', '|---|---|---|---|---|---|---|');
  out.push(`| baseline: SELECT … FROM unit WHERE area_m2 BETWEEN 40 AND 80 LIMIT 50 | 50 | ${ms(base.p50)} | ${ms(base.p95)} | | 1 | |`);
  const day = (await db.query<{ d: string }>('SELECT current_date::text AS d')).rows[0].d;
  for (const [name, criteria] of await searches(db)) {
    let items = 0;
    const t = await measure(async () => {
      const res = await app.inject({ method: 'POST', url: '/api/spaces/search', payload: criteria });
      if (res.statusCode !== 200) throw new Error(`${name}: ${res.statusCode} ${res.body.slice(0, 300)}`);
      items = res.json().items.length;
    }, RUNS);
    const c = spaceSearchCriteria.parse(criteria);
    // The full ranking's SQL alone (no perfect-tier shortcut, no HTTP): what the shortcut saves.
    const sqlOnly = await measure(() => db.tx(async (q) => {
      await searchSettings(q);
      const d = c.available_by ?? day;
      const u = unitSearchSql(c, d, 50)!;
      await q.query(u.sql, u.values);
      const p = parcelSearchSql(c, d, 50)!;
      await q.query(p.sql, p.values);
    }), Math.min(5, RUNS), 1);
    out.push(`| ${name} | ${items} | ${ms(t.p50)} | ${ms(t.p95)} | ${ms(sqlOnly.p50)} | ${(t.p95 / base.p50).toFixed(0)} | ${t.p95 <= target ? `✓ < ${target}` : `✗ > ${target}`} |`);
  }
  await app.close();
  return out;
}

function postgresUrl(): { url: string; stop: () => void } {
  if (process.env.BENCH_DATABASE_URL) return { url: process.env.BENCH_DATABASE_URL, stop: () => undefined };
  const url = execFileSync('scripts/pg-throwaway.sh', ['start', '55442'], { encoding: 'utf8' }).trim();
  return { url, stop: () => execFileSync('scripts/pg-throwaway.sh', ['stop', '55442']) };
}

const report: string[] = [`## bench/spaces.ts — ${new Date().toISOString().slice(0, 10)}, ${PARCELS} parcels, ${RUNS} runs per search`];

if (DRIVERS.includes('postgres')) {
  const pg = postgresUrl();
  try {
    const db = await openPostgres(pg.url);
    try {
      report.push(...(await benchDriver('postgres', db, await prepare(db), 50)));
    } finally {
      await db.close();
    }
  } finally {
    pg.stop();
  }
}

if (DRIVERS.includes('embedded')) {
  const dir = process.env.BENCH_EMBEDDED_DIR ?? mkdtempSync(join(tmpdir(), 'parkatlas-bench-spaces-'));
  const fresh = !existsSync(join(dir, 'PG_VERSION'));
  const db = await openEmbedded(dir);
  try {
    const note = await prepare(db);
    report.push(...(await benchDriver('embedded', db, `${note}${fresh ? '' : ', folder reused'}`, 150)));
  } finally {
    await db.close();
  }
}

console.log(report.join('\n'));
