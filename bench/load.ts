/**
 * Load run: many concurrent clients mixing vector tiles, space searches and edits against the real
 * server (its own process, as `npm start` runs it) for a bounded time, on the embedded database and
 * on PostgreSQL. It reports throughput, p50/p99 latency, every status code, and then checks that
 * every write the server acknowledged (201) is in the database. The baseline in the same run is
 * GET /api/health at the same concurrency: what the HTTP stack alone sustains.
 *
 *   npx tsx bench/load.ts                              # embedded, and PostgreSQL from scripts/pg-throwaway.sh
 *   options: --connections N (200)  --seconds N (60)  --drivers embedded,postgres
 *   BENCH_DATABASE_URL=postgres://… to use a running server
 *
 * Each driver gets the default demo zone (5,000 parcels), made once and copied per run.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import { migrate, openEmbedded, openPostgres, type Db } from '@parkatlas/db';
import { usccCheckChar } from '@parkatlas/schema';
import { generateDemoZone, loadDemoZone } from '@parkatlas/seeds';
import { createKey } from '../apps/api/src/auth/keys.ts';
import { tileAt } from '../apps/api/src/tiles/tile-address.ts';

const args = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const CONNECTIONS = Number(option('connections', '200'));
const SECONDS = Number(option('seconds', '60'));
const DRIVERS = option('drivers', 'embedded,postgres').split(',');

interface Server {
  origin: string;
  child: ChildProcess;
  stop: () => Promise<void>;
}

async function startServer(env: Record<string, string>): Promise<Server> {
  const port = 20000 + Math.floor(Math.random() * 20000);
  const child = spawn(process.execPath, ['--import', 'tsx', 'apps/api/src/server.ts'], {
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', PARKATLAS_DEMO: '0', PARKATLAS_WEB_DIR: '/nonexistent' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const origin = `http://127.0.0.1:${port}`;
  const t0 = performance.now();
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited (${child.exitCode})`);
    try {
      if ((await fetch(`${origin}/api/ready`)).ok) break;
    } catch {
      // not listening yet
    }
    if (performance.now() - t0 > 300_000) throw new Error('server did not start in 300 s');
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    origin,
    child,
    stop: async () => {
      child.kill('SIGTERM');
      if (child.exitCode === null) await new Promise((r) => child.once('exit', r));
    },
  };
}

/** Tiles around the zone's parcels at z14–z16 (what a map of the zone asks for). */
async function tilePaths(db: Db): Promise<string[]> {
  const points = (await db.query<{ lon: number; lat: number }>(
    'SELECT ST_X(label_point) AS lon, ST_Y(label_point) AS lat FROM parcel ORDER BY code LIMIT 400',
  )).rows;
  const paths = new Set<string>();
  points.forEach((p, i) => {
    const z = 14 + (i % 3);
    const { x, y } = tileAt(p.lon, p.lat, z);
    paths.add(`/api/tiles/${i % 2 ? 'buildings' : 'parcels'}/${z}/${x}/${y}.mvt`);
  });
  return [...paths];
}

const SEARCHES = [
  { kinds: ['unit'], min_area_m2: 200, max_area_m2: 800, max_rent_m2_month: 40, limit: 20 },
  { kinds: ['unit'], move_in_ready: true, industry: 'I65', limit: 20 },
  { kinds: ['parcel'], min_area_m2: 10000, limit: 20 },
  { min_area_m2: 500, max_total_month: 30000, limit: 20 },
].map((c) => JSON.stringify(c));

interface LoadResult {
  perSecond: number;
  p50: number;
  p99: number;
  statuses: Record<string, number>;
  errors: number;
  acknowledged: string[];
}

/** The mixed load: per connection, tiles, a search, more tiles and a new enterprise, round and round. */
function mixedLoad(origin: string, tiles: string[], runId: string, authorization: string): Promise<LoadResult> {
  let n = 0;
  const acknowledged: string[] = [];
  const tile = () => ({
    method: 'GET' as const,
    setupRequest: (req: Record<string, unknown>) => ({ ...req, path: tiles[n++ % tiles.length], headers: { 'accept-encoding': 'gzip' } }),
  });
  const search = {
    method: 'POST' as const,
    setupRequest: (req: Record<string, unknown>) => ({ ...req, path: '/api/spaces/search', headers: { 'content-type': 'application/json' }, body: SEARCHES[n++ % SEARCHES.length] }),
  };
  const write = {
    method: 'POST' as const,
    setupRequest: (req: Record<string, unknown>, context: Record<string, unknown>) => {
      // A unique, valid USCC per write: 91 3708 00 + 9 characters of a counter + the check character.
      const body17 = `91370800L${runId}${String(n++).padStart(5, '0')}`.slice(0, 17);
      const uscc = body17 + usccCheckChar(body17);
      context.uscc = uscc;
      return { ...req, path: '/api/enterprises', headers: { 'content-type': 'application/json', authorization }, body: JSON.stringify({ uscc, name: `负载测试企业 ${uscc}`, industry: 'I65' }) };
    },
    onResponse: (status: number, _body: string, context: Record<string, unknown>) => {
      if (status === 201) acknowledged.push(context.uscc as string);
    },
  };
  return new Promise((resolve, reject) => {
    autocannon({
      url: origin,
      connections: CONNECTIONS,
      duration: SECONDS,
      timeout: 30,
      requests: [tile(), tile(), search, tile(), tile(), write],
    } as unknown as autocannon.Options, (err, r) => {
      if (err) return reject(err);
      const statuses: Record<string, number> = {};
      for (const [k, v] of Object.entries(r.statusCodeStats ?? {})) statuses[k] = (v as { count: number }).count;
      resolve({ perSecond: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, statuses, errors: r.errors + r.timeouts, acknowledged });
    });
  });
}

function baseline(origin: string): Promise<{ perSecond: number; p99: number }> {
  return new Promise((resolve, reject) =>
    autocannon({ url: `${origin}/api/health`, connections: CONNECTIONS, duration: Math.min(10, SECONDS) }, (err, r) =>
      err ? reject(err) : resolve({ perSecond: r.requests.average, p99: r.latency.p99 })),
  );
}

async function runAgainst(label: string, env: Record<string, string>, open: () => Promise<Db>) {
  // Before the server holds the database (the embedded one is one process's): the tiles to ask
  // for, and a key for the edits (writes need one; its rate limit is set out of the way).
  const db = await open();
  let tiles: string[];
  let authorization: string;
  try {
    await migrate(db);
    tiles = await tilePaths(db);
    const { secret } = await createKey(db, { name: 'bench-load', scopes: ['read', 'write'], rate_limit_per_minute: 1_000_000 }, 'bench');
    authorization = `Bearer ${secret}`;
  } finally {
    await db.close();
  }
  const server = await startServer(env);
  try {
    const base = await baseline(server.origin);
    const runId = Math.random().toString(36).slice(2, 5).toUpperCase().replace(/[^0-9A-HJ-NP-RTUW-Y]/g, '0').padEnd(3, '0');
    const load = await mixedLoad(server.origin, tiles, runId, authorization);
    // Every acknowledged write must be there, read after the server has stopped.
    await server.stop();
    const after = await open();
    try {
      const found = (await after.query<{ n: number }>('SELECT count(*)::int AS n FROM enterprise WHERE uscc = ANY($1)', [load.acknowledged])).rows[0].n;
      const fiveXX = Object.entries(load.statuses).filter(([s]) => s.startsWith('5')).reduce((a, [, c]) => a + c, 0);
      console.log(
        `${label.padEnd(10)} c=${CONNECTIONS} ${SECONDS}s  mixed ${load.perSecond.toFixed(0)} req/s  p50 ${load.p50} ms  p99 ${load.p99} ms  ` +
          `statuses ${JSON.stringify(load.statuses)}  errors ${load.errors}  5xx ${fiveXX}  ` +
          `writes acknowledged ${load.acknowledged.length}, present ${found}  |  baseline /api/health ${base.perSecond.toFixed(0)} req/s p99 ${base.p99} ms`,
      );
      if (found !== load.acknowledged.length) console.log(`  !! ${load.acknowledged.length - found} acknowledged writes are missing`);
    } finally {
      await after.close();
    }
  } finally {
    if (server.child.exitCode === null) await server.stop();
  }
}

async function main() {
  if (DRIVERS.includes('embedded')) {
    const template = join(tmpdir(), 'parkatlas-bench-load-embedded');
    if (!existsSync(template)) {
      const db = await openEmbedded(template);
      await migrate(db);
      await loadDemoZone(db, generateDemoZone());
      await db.close();
    }
    const dir = mkdtempSync(join(tmpdir(), 'parkatlas-bench-load-'));
    cpSync(template, dir, { recursive: true });
    try {
      await runAgainst('embedded', { DATABASE_URL: '', PARKATLAS_DATA_DIR: dir }, () => openEmbedded(dir));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  if (DRIVERS.includes('postgres')) {
    const base = process.env.BENCH_DATABASE_URL ?? execFileSync('scripts/pg-throwaway.sh', ['start', '55443'], { encoding: 'utf8' }).trim();
    const admin = new pg.Client({ connectionString: base });
    await admin.connect();
    const name = 'parkatlas_bench_load';
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(base);
    url.pathname = `/${name}`;
    const db = await openPostgres(url.toString());
    await db.exec('CREATE EXTENSION IF NOT EXISTS postgis');
    await migrate(db);
    await loadDemoZone(db, generateDemoZone());
    await db.close();
    await runAgainst('postgres', { DATABASE_URL: url.toString(), PARKATLAS_DB_POOL_MAX: '20' }, () => openPostgres(url.toString(), { max: 2 }));
    if (!process.env.BENCH_DATABASE_URL) execFileSync('scripts/pg-throwaway.sh', ['stop', '55443']);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
