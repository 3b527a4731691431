/**
 * Measures the seeds: generation time and memory, and the load into a fresh database.
 *
 *   npx tsx seeds/src/measure.ts [--parcels 5000] [--no-load] [--migrations-upto 003]
 *
 * `--migrations-upto` applies only the migrations up to that number, to tell the loader's own cost
 * from that of triggers later migrations add to the tables.
 * Loads into an in-memory PGlite, or, when DATABASE_URL names a local PostgreSQL + PostGIS, into a
 * schema `seeds_measure` there (dropped and re-created; public is left alone).
 */
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { listMigrations, migrate, openEmbedded, openPostgres, type Db } from '@parkatlas/db';
import { generateDemoZone } from './generate.ts';
import { loadDemoZone } from './load.ts';

const SCHEMA = 'seeds_measure';

async function openTarget(url: string | undefined): Promise<Db> {
  if (!url) return openEmbedded();
  const admin = await openPostgres(url, { max: 1 });
  await admin.exec(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE; CREATE SCHEMA ${SCHEMA};`);
  await admin.close();
  const scoped = new URL(url);
  scoped.searchParams.set('options', `-c search_path=${SCHEMA},public`);
  return openPostgres(scoped.toString());
}

const mb = (bytes: number) => `${Math.round(bytes / 1e6)} MB`;
/** CPU time of this process since `from`, ms: on a busy machine a fairer figure than wall time for PGlite, which runs in-process. */
const cpuMs = (from: NodeJS.CpuUsage) => {
  const d = process.cpuUsage(from);
  return Math.round((d.user + d.system) / 1000);
};

/** A folder holding the migrations numbered up to `upto`, or undefined for all of them. */
function migrationsUpTo(upto: string | undefined): string | undefined {
  if (!upto) return undefined;
  const dir = mkdtempSync(join(tmpdir(), 'parkatlas-migrations-'));
  const source = new URL('../../packages/db/migrations/', import.meta.url).pathname;
  for (const m of listMigrations()) if (m.name.slice(0, 3) <= upto.padStart(3, '0')) copyFileSync(source + m.name, join(dir, m.name));
  return dir + '/';
}

const { values } = parseArgs({
  options: { parcels: { type: 'string' }, 'no-load': { type: 'boolean' }, 'migrations-upto': { type: 'string' } },
});
const parcels = Number(values.parcels ?? 5000);

let t = performance.now();
let cpu = process.cpuUsage();
const zone = generateDemoZone({ parcels });
const counts = Object.entries(zone).map(([k, rows]) => `${k} ${rows.length}`).join(', ');
console.log(`generate ${parcels} parcels: ${Math.round(performance.now() - t)} ms (CPU ${cpuMs(cpu)} ms), heap ${mb(process.memoryUsage().heapUsed)}, rss ${mb(process.memoryUsage().rss)}`);
console.log(`  ${counts}`);

if (!values['no-load']) {
  const url = process.env.DATABASE_URL;
  t = performance.now();
  cpu = process.cpuUsage();
  const db = await openTarget(url);
  const applied = await migrate(db, migrationsUpTo(values['migrations-upto']));
  console.log(`migrations: ${applied.join(', ')}`);
  // Opening PGlite costs about 8 s on an idle machine (DESIGN.md): a yardstick for a busy one.
  console.log(`open + migrate ${db.kind}: ${Math.round(performance.now() - t)} ms (CPU ${cpuMs(cpu)} ms)`);
  t = performance.now();
  cpu = process.cpuUsage();
  const report = await loadDemoZone(db, zone);
  const loadMs = Math.round(performance.now() - t);
  console.log(`load on ${db.kind}: ${loadMs} ms (CPU of this process ${cpuMs(cpu)} ms), rss ${mb(process.memoryUsage().rss)}`);
  for (const r of report) console.log(`  ${r.table.padEnd(16)} ${String(r.rows).padStart(9)} rows ${String(r.ms).padStart(7)} ms`);
  // What is left is the commit: deferred triggers of later migrations (004's kept indicators) run there.
  const inserts = report.reduce((sum, r) => sum + r.ms, 0);
  console.log(`  inserts ${inserts} ms, commit and deferred triggers ${loadMs - inserts} ms`);
  await db.close();
}
