/**
 * Bulk import throughput: the 100k parcels of the demo zone imported through POST /api/imports
 * (commit mode: parse, validate every row — geometry validity, extent, codes, USCC, overlaps,
 * duplicates, diff — then one transaction with a history row per parcel) as GeoJSON and as
 * GeoPackage, on a real PostgreSQL + PostGIS. In the same run, the baseline agencies use today:
 * `ogr2ogr -f PostgreSQL` loading the same files into a plain table (no validation, no history);
 * and, for what the database's own rules cost, ogr2ogr appending them to the `parcel` table itself.
 *
 *   scripts/pg-throwaway.sh start 55441
 *   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:55441/parkatlas npx tsx bench/imports.ts
 *   options: --parcels N (default 100000)  --data DIR (the generator's files; made if missing)
 *            --formats geojson,gpkg (default both)
 *            --into-parcel (also time ogr2ogr appending to the parcel table itself; minutes)
 *            --into-parcel-limit S (stop that one after S seconds, default 600)
 *
 * The files are made by `npx tsx seeds/src/cli.ts --parcels N --out DIR` (parcels.geojson) and
 * `ogr2ogr -f GPKG parcels.gpkg parcels.geojson`. The database holds the zone's corridors, areas,
 * parks and enterprises (parcels refer to them) and no parcels: each import inserts all of them.
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { migrate, openPostgres, type Db } from '@parkatlas/db';
import { loadZoneChunks, readZoneFiles } from '@parkatlas/seeds';
import { buildApp } from '../apps/api/src/app.ts';
import { createKey } from '../apps/api/src/auth/keys.ts';

const run = promisify(execFile);
const args = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const PARCELS = Number(option('parcels', '100000'));
const DATA = option('data', join(tmpdir(), `parkatlas-bench-imports-data-${PARCELS}`));
const FORMATS = option('formats', 'geojson,gpkg').split(',');
const INTO_PARCEL = args.includes('--into-parcel');
const INTO_PARCEL_LIMIT_S = Number(option('into-parcel-limit', '600'));
const URL_ = process.env.BENCH_DATABASE_URL;
if (!URL_) {
  console.error('set BENCH_DATABASE_URL (start a server with scripts/pg-throwaway.sh start 55441)');
  process.exit(2);
}

/** Tables the parcels refer to; parcels and what stands on them are left out. */
const KEEP = new Set(['basemap', 'corridors', 'areas', 'parks', 'enterprises']);

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

async function openBenchDb(): Promise<{ db: Db; url: string }> {
  const name = `parkatlas_bench_imports_${PARCELS}`;
  const admin = new pg.Client({ connectionString: URL_ });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = withDatabase(URL_!, name);
  const db = await openPostgres(url);
  await migrate(db);
  const chunks = async function* () {
    for await (const c of readZoneFiles(DATA)) if (KEEP.has(c.table)) yield c;
  };
  await loadZoneChunks(db, chunks());
  await db.query('ANALYZE');
  return { db, url };
}

function multipart(file: Buffer, name: string, fields: Record<string, string>): { body: Buffer; contentType: string } {
  const boundary = '----parkatlasbench';
  const head = Object.entries(fields).map(([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`).join('');
  return {
    body: Buffer.concat([
      Buffer.from(`${head}--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\n\r\n`),
      file,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]),
    contentType: `multipart/form-data; boundary=${boundary}`,
  };
}

/** Every parcel and its history gone, the table vacuumed: each load starts from the same empty table. */
async function emptyParcels(db: Db): Promise<void> {
  await db.query(`DELETE FROM change WHERE entity = 'parcel'`);
  await db.query('DELETE FROM parcel');
  await db.query('VACUUM ANALYZE parcel');
}

async function importOnce(db: Db, path: string, authorization: string): Promise<{ seconds: number; accepted: number; job: Record<string, unknown> }> {
  await emptyParcels(db);
  const app = await buildApp({ db, imports: { maxFileBytes: 2 * 1024 * 1024 * 1024 } });
  await app.ready();
  // The client's request body is made before the clock starts (a client streams its file); the
  // server's reading of the upload, the parse and everything after are timed.
  const { body, contentType } = multipart(readFileSync(path), path.split('/').pop()!, { collection: 'parcels', mode: 'commit', department: 'bench' });
  const t0 = performance.now();
  const res = await app.inject({ method: 'POST', url: '/api/imports', payload: body, headers: { 'content-type': contentType, authorization } });
  if (res.statusCode !== 202) throw new Error(`import refused: ${res.body}`);
  const accepted = (performance.now() - t0) / 1000;
  const { id } = res.json();
  let job: Record<string, unknown>;
  for (;;) {
    job = (await app.inject({ url: `/api/imports/${id}`, headers: { authorization } })).json();
    if (job.status === 'succeeded' || job.status === 'failed') break;
    await new Promise((r) => setTimeout(r, 200));
  }
  const seconds = (performance.now() - t0) / 1000;
  await app.close();
  if (job.status !== 'succeeded') throw new Error(`import failed: ${job.error} ${JSON.stringify(job.problems).slice(0, 500)}`);
  await expectAllParcels(db, 'import');
  return { seconds, accepted, job };
}

async function expectAllParcels(db: Db, who: string): Promise<void> {
  const n = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM parcel')).rows[0].n;
  if (n !== PARCELS) throw new Error(`${who}: expected ${PARCELS} parcels, found ${n}`);
}

/**
 * ogr2ogr into PostgreSQL: by default a new plain table; `into` an existing table instead. Seconds,
 * or null when it was stopped at `limitSeconds` (its transaction then rolls back).
 */
async function ogr2ogrOnce(url: string, path: string, into?: string, limitSeconds = 0): Promise<number | null> {
  const u = new URL(url);
  const conn = `PG:host=${u.hostname} port=${u.port} dbname=${u.pathname.slice(1)} user=${u.username}`;
  const target = into ? ['-nln', into, '-append'] : ['-nln', 'ogr_parcels', '-overwrite', '-lco', 'GEOMETRY_NAME=geom'];
  const t0 = performance.now();
  try {
    await run('ogr2ogr', ['-f', 'PostgreSQL', conn, path, ...target, '-nlt', 'PROMOTE_TO_MULTI'], { maxBuffer: 64 * 1024 * 1024, timeout: limitSeconds * 1000 });
  } catch (e) {
    if ((e as { killed?: boolean }).killed) return null;
    throw e;
  }
  return (performance.now() - t0) / 1000;
}

/**
 * ogr2ogr appending the same file to the `parcel` table itself (its fields are named as the table's
 * columns): the rows meet the same constraints, foreign keys, `parcel_zone` trigger and kept
 * statistics as an import's, with no validation report, history or change rows: what an agency's
 * ogr2ogr would cost if it wrote into ParkAtlas's database directly. GDAL 3.6 appends to an existing
 * table with one INSERT a row, so each row's statement also fires the statement triggers: it can run
 * for many minutes, hence an option and a time limit (null: stopped unfinished).
 */
async function ogr2ogrIntoParcelOnce(db: Db, url: string, path: string): Promise<number | null> {
  await emptyParcels(db);
  // The table has two geometry columns (geom and label_point), so GDAL names the layer by the one meant.
  const seconds = await ogr2ogrOnce(url, path, 'parcel(geom)', INTO_PARCEL_LIMIT_S);
  if (seconds !== null) await expectAllParcels(db, 'ogr2ogr into parcel');
  return seconds;
}

async function main(): Promise<void> {
  if (!existsSync(join(DATA, 'parcels.geojson'))) {
    console.log(`generating ${PARCELS} parcels into ${DATA}…`);
    execFileSync('npx', ['tsx', 'seeds/src/cli.ts', '--parcels', String(PARCELS), '--out', DATA], { stdio: 'inherit' });
  }
  const geojson = join(DATA, 'parcels.geojson');
  const gpkg = join(DATA, 'parcels.gpkg');
  if (!existsSync(gpkg)) execFileSync('ogr2ogr', ['-f', 'GPKG', gpkg, geojson, '-nln', 'parcels']);
  console.log(`preparing the database (zone without parcels)…; load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  const { db, url } = await openBenchDb();
  const rows: string[] = [];
  // Writes need an account or a key with `write` (migration 009).
  const { secret } = await createKey(db, { name: 'bench-imports', scopes: ['read', 'write'], rate_limit_per_minute: 1_000_000 }, 'bench');
  try {
    for (const [label, path] of [['GeoJSON', geojson], ['GeoPackage', gpkg]] as const) {
      if (!FORMATS.includes(path.split('.').pop()!)) continue;
      const ours = await importOnce(db, path, `Bearer ${secret}`);
      const ogr = (await ogr2ogrOnce(url, path))!;
      let line = `${label.padEnd(10)} ParkAtlas import ${ours.seconds.toFixed(1).padStart(6)} s (${Math.round(PARCELS / ours.seconds)} rows/s)   ogr2ogr ${ogr.toFixed(1).padStart(6)} s   ratio ${(ours.seconds / ogr).toFixed(2)}×`;
      console.log(line);
      if (INTO_PARCEL) {
        const ogrParcel = await ogr2ogrIntoParcelOnce(db, url, path);
        const more =
          ogrParcel === null
            ? `           ogr2ogr appending to the parcel table itself: unfinished after ${INTO_PARCEL_LIMIT_S} s (stopped)   ratio > ${(INTO_PARCEL_LIMIT_S / ours.seconds).toFixed(1)}× in ParkAtlas's favour`
            : `           ogr2ogr appending to the parcel table itself ${ogrParcel.toFixed(1)} s   ratio ${(ours.seconds / ogrParcel).toFixed(2)}×`;
        console.log(more);
        line += `\n${more}`;
      }
      console.log(`           upload and parse until the 202: ${ours.accepted.toFixed(1)} s; job phases (ms): ${JSON.stringify((ours.job.counts as { ms?: unknown }).ms)}`);
      rows.push(line);
    }
  } finally {
    await db.close();
  }
  console.log(`\n${PARCELS} parcels, PostgreSQL + PostGIS on loopback, ${new Date().toISOString()}; load average at the end ${loadavg().map((l) => l.toFixed(1)).join(' ')} (2 cores, shared)`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
