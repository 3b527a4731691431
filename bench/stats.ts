/**
 * The zone dashboard's indicator queries (/api/stats) on the 100k-parcel demo zone, on the embedded
 * database and on PostgreSQL + PostGIS: p50 and p95 of each request through the API (app.inject, JSON
 * included), against a baseline measured in the same run, a bare `SELECT count(*) FROM parcel`.
 * It also times what the kept tables replace (the same figures computed live from the data), the
 * requests that stay live, and what keeping costs a single write (the same write with the triggers
 * switched off, in the same run).
 *
 *   npx tsx bench/stats.ts                     # both drivers; PostgreSQL from scripts/pg-throwaway.sh
 *   BENCH_DATABASE_URL=postgres://… BENCH_EMBEDDED_DIR=/tmp/parkatlas-bench-100k npx tsx bench/stats.ts
 *
 * BENCH_PARCELS (default 100000) sizes the zone, BENCH_RUNS (default 30) the timed runs per request.
 * A database or folder that already holds a zone of that size is reused; otherwise it is migrated and
 * loaded with generateDemoZone + loadDemoZone (the load time, triggers included, is printed too).
 * BENCH_DRIVERS=embedded or postgres runs one driver only.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrate, openEmbedded, openPostgres, type Db } from '@parkatlas/db';
import { generateDemoZone, loadDemoZone } from '@parkatlas/seeds';
import { buildApp } from '../apps/api/src/app.ts';
import { measure, type Timing } from './timing.ts';

const PARCELS = Number(process.env.BENCH_PARCELS ?? 100_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 30);
const DRIVERS = (process.env.BENCH_DRIVERS ?? 'embedded,postgres').split(',');

/** The dashboard's requests, with the targets they are held to. */
const DASHBOARD = [
  ['idle-land summary by park', '/api/stats/idle-land/summary?by=park'],
  ['vacancy by park', '/api/stats/vacancy?by=park'],
  ['output per mu by park', '/api/stats/output-per-mu?by=park'],
  ['industries by park', '/api/stats/industries?by=park'],
  ['projects by status', '/api/stats/projects?by=status'],
] as const;

/** Requests that stay live (reports, exports), timed fewer times. */
const OTHERS = [
  ['vacancy series by park, 2024-01…2026-11 (kept)', '/api/stats/vacancy/series?by=park&from=2024-01&to=2026-11'],
  ['idle-land list, first page of 1000 (live)', '/api/stats/idle-land?limit=1000'],
  ['idle-land warnings, 90 days (live)', '/api/stats/idle-land/warnings?within_days=90'],
  ['idle-land ages by park (live)', '/api/stats/idle-land/ages?by=park'],
  ['output per mu by enterprise, best 1000 (kept)', '/api/stats/output-per-mu?by=enterprise'],
] as const;

/** What the kept tables replace: the same figures computed from the data on every read. */
const LIVE_SQL = [
  ['idle-land summary by park, live', `SELECT z.park, i.class, count(*), sum(i.area_m2) FROM idle_land_at(current_date) i LEFT JOIN parcel_zone z ON z.parcel = i.parcel GROUP BY 1, 2`],
  ['vacancy by park, live', `SELECT * FROM vacancy_at(current_date, 'park')`],
  ['output per mu by park, live', `SELECT * FROM output_per_mu_at(current_date) WHERE level IN ('park', 'zone')`],
  ['industries by park, live', `SELECT park, industry, count(*), sum(revenue_cny), sum(tax_cny) FROM enterprise GROUP BY 1, 2`],
  ['parks of all parcels via parcel_containment (view)', `SELECT park, count(*) FROM parcel_containment GROUP BY 1`],
  ['parks of all parcels via parcel_zone (kept)', `SELECT park, count(*) FROM parcel_zone GROUP BY 1`],
] as const;

let zone: ReturnType<typeof generateDemoZone> | undefined;
const demoZone = () => (zone ??= generateDemoZone({ parcels: PARCELS }));

/** Reuses a database that already holds the zone; otherwise migrates and loads it. */
async function prepare(db: Db): Promise<string> {
  await migrate(db);
  const n = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM parcel')).rows[0].n;
  let note = `reused (${n} parcels)`;
  if (n !== PARCELS) {
    if (n !== 0) throw new Error(`the database holds ${n} parcels, not ${PARCELS}: give an empty one`);
    const t0 = performance.now();
    await loadDemoZone(db, demoZone());
    note = `loaded in ${((performance.now() - t0) / 1000).toFixed(0)} s (kept tables included)`;
  }
  // PGlite runs no autovacuum: without statistics the planner guesses, and guesses badly.
  await db.exec('ANALYZE');
  return note;
}

/** One write, timed with the kept tables maintained and with triggers off, rolled back each time. */
async function writeCost(db: Db, write: string, params: unknown[]): Promise<{ kept: Timing; bare: Timing }> {
  const run = (bare: boolean) => async () => {
    await db.tx(async (q) => {
      if (bare) await q.query('SET LOCAL session_replication_role = replica');
      await q.query(write, params);
      // The kept tables are refreshed at commit; fire that now, so it is timed, then roll back.
      await q.query('SET CONSTRAINTS ALL IMMEDIATE');
      throw new RollBack();
    }).catch((e) => {
      if (!(e instanceof RollBack)) throw e;
    });
  };
  return { kept: await measure(run(false), 10, 2), bare: await measure(run(true), 10, 2) };
}
class RollBack extends Error {}

const ms = (v: number) => (v >= 100 ? v.toFixed(0) : v.toFixed(1));

async function benchDriver(kind: 'embedded' | 'postgres', db: Db, note: string, target: number): Promise<string[]> {
  const out: string[] = [];
  const app = await buildApp({ db });
  await app.ready();
  const get = (url: string) => async () => {
    const res = await app.inject(url);
    if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body.slice(0, 300)}`);
  };
  const counts = (await db.query<Record<string, number>>(
    `SELECT (SELECT count(*) FROM parcel)::int AS parcels, (SELECT count(*) FROM unit)::int AS units,
            (SELECT count(*) FROM lease)::int AS leases, (SELECT count(*) FROM enterprise)::int AS enterprises`,
  )).rows[0];
  out.push(`\n### ${kind}: ${counts.parcels} parcels, ${counts.units} units, ${counts.leases} leases, ${counts.enterprises} enterprises; ${note}\n`);

  const base = await measure(() => db.query('SELECT count(*) FROM parcel'), RUNS);
  out.push(`| request | p50 ms | p95 ms | p95 ÷ baseline p50 | target p95 |`, `|---|---|---|---|---|`);
  out.push(`| baseline: SELECT count(*) FROM parcel | ${ms(base.p50)} | ${ms(base.p95)} | 1 | |`);
  for (const [name, url] of DASHBOARD) {
    const t = await measure(get(url), RUNS);
    out.push(`| ${name} \`${url}\` | ${ms(t.p50)} | ${ms(t.p95)} | ${(t.p95 / base.p50).toFixed(1)} | ${t.p95 <= target ? `✓ < ${target}` : `✗ > ${target}`} |`);
  }

  out.push('', `| other request (${Math.min(5, RUNS)} runs) | p50 ms | p95 ms |`, '|---|---|---|');
  for (const [name, url] of OTHERS) {
    const t = await measure(get(url), Math.min(5, RUNS), 1);
    out.push(`| ${name} \`${url}\` | ${ms(t.p50)} | ${ms(t.p95)} |`);
  }

  out.push('', '| what the kept tables replace (3 runs, SQL only) | p50 ms |', '|---|---|');
  for (const [name, sql] of LIVE_SQL) {
    const t = await measure(() => db.query(sql), 3, 1);
    out.push(`| ${name} | ${ms(t.p50)} |`);
  }

  const unit = (await db.query<{ code: string }>(`SELECT u.code FROM unit u WHERE NOT EXISTS (SELECT 1 FROM lease l WHERE l.unit = u.code) LIMIT 1`)).rows[0]?.code;
  const enterprise = (await db.query<{ uscc: string }>('SELECT enterprise AS uscc FROM parcel WHERE enterprise IS NOT NULL LIMIT 1')).rows[0].uscc;
  const parcel = (await db.query<{ code: string }>(`SELECT code FROM parcel WHERE status = 'idle' LIMIT 1`)).rows[0].code;
  const writes: [string, string, unknown[]][] = [
    ['insert a lease of a unit', `INSERT INTO lease (enterprise, unit, start_date) VALUES ($1, $2, current_date)`, [enterprise, unit]],
    ['update a parcel (start date)', `UPDATE parcel SET start_date = current_date, version = version + 1 WHERE code = $1`, [parcel]],
    ['update an enterprise (revenue)', `UPDATE enterprise SET revenue_cny = revenue_cny + 1 WHERE uscc = $1`, [enterprise]],
  ];
  out.push('', '| write (10 runs, rolled back) | p50 ms, keeping | p50 ms, triggers off |', '|---|---|---|');
  for (const [name, sql, params] of writes) {
    if (params.some((p) => p === undefined)) continue;
    const { kept, bare } = await writeCost(db, sql, params);
    out.push(`| ${name} | ${ms(kept.p50)} | ${ms(bare.p50)} |`);
  }
  await app.close();
  return out;
}

function postgresUrl(): { url: string; stop: () => void } {
  if (process.env.BENCH_DATABASE_URL) return { url: process.env.BENCH_DATABASE_URL, stop: () => undefined };
  const url = execFileSync('scripts/pg-throwaway.sh', ['start', '55442'], { encoding: 'utf8' }).trim();
  return { url, stop: () => execFileSync('scripts/pg-throwaway.sh', ['stop', '55442']) };
}

const report: string[] = [`## bench/stats.ts — ${new Date().toISOString().slice(0, 10)}, ${PARCELS} parcels, ${RUNS} runs per dashboard request`];

if (DRIVERS.includes('embedded')) {
  const dir = process.env.BENCH_EMBEDDED_DIR ?? mkdtempSync(join(tmpdir(), 'parkatlas-bench-stats-'));
  const fresh = !existsSync(join(dir, 'PG_VERSION'));
  const db = await openEmbedded(dir);
  try {
    const note = await prepare(db);
    report.push(...(await benchDriver('embedded', db, `${note}${fresh ? '' : ', folder reused'}`, 300)));
  } finally {
    await db.close();
  }
}

if (DRIVERS.includes('postgres')) {
  const pg = postgresUrl();
  try {
    const db = await openPostgres(pg.url);
    try {
      const note = await prepare(db);
      report.push(...(await benchDriver('postgres', db, note, 100)));
    } finally {
      await db.close();
    }
  } finally {
    pg.stop();
  }
}

console.log(report.join('\n'));
