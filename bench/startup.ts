/**
 * Start-up benchmark: cold first start (empty data folder → serving, demo zone loaded) and warm
 * restart of the embedded mode, the same on PostgreSQL, the demo seed's load time on each driver,
 * and each server's peak memory (VmHWM). The baseline in the same run is the floor no server can
 * beat: opening PGlite with PostGIS and creating the extension, nothing else.
 *
 *   npx tsx bench/startup.ts                 # embedded, and PostgreSQL if scripts/pg-throwaway.sh can start one
 *   BENCH_DATABASE_URL=postgres://… npx tsx bench/startup.ts
 */
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openEmbedded } from '@parkatlas/db';

interface Run {
  ms: number;
  seedMs?: number;
  peakMb: number;
}

/** Starts the server, waits until /api/health answers, and stops it. */
async function startServer(env: Record<string, string>): Promise<Run> {
  const port = 20000 + Math.floor(Math.random() * 20000);
  const t0 = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', 'apps/api/src/server.ts'], {
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let log = '';
  child.stdout.on('data', (d) => (log += d));
  let peakKb = 0;
  const sample = setInterval(() => {
    try {
      const m = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
      if (m) peakKb = Math.max(peakKb, Number(m[1]));
    } catch {
      // the process has exited
    }
  }, 100);
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`server exited (${child.exitCode}):\n${log}`);
      try {
        const res = await fetch(`http://127.0.0.1:${port}/api/health`);
        if (res.ok) break;
      } catch {
        // not listening yet
      }
      if (performance.now() - t0 > 600_000) throw new Error(`server did not start in 600 s:\n${log}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const ms = performance.now() - t0;
    // A few reads so the peak includes serving, not just starting.
    for (const path of ['/api/parcels?limit=10000', '/api/buildings?limit=10000', '/api/units?limit=10000']) await (await fetch(`http://127.0.0.1:${port}${path}`)).arrayBuffer();
    await new Promise((r) => setTimeout(r, 300));
    const seed = /"ms":(\d+)[^\n]*demo zone loaded/.exec(log);
    return { ms, seedMs: seed ? Number(seed[1]) : undefined, peakMb: peakKb / 1024 };
  } finally {
    clearInterval(sample);
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
}

async function baselineEmbedded(): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'parkatlas-bench-base-'));
  const t0 = performance.now();
  const db = await openEmbedded(dir);
  await db.exec('CREATE EXTENSION postgis; CREATE EXTENSION btree_gist;');
  const ms = performance.now() - t0;
  await db.close();
  rmSync(dir, { recursive: true, force: true });
  return ms;
}

function postgresUrl(): { url: string; stop: () => void } | undefined {
  if (process.env.BENCH_DATABASE_URL) return { url: process.env.BENCH_DATABASE_URL, stop: () => undefined };
  try {
    const url = execFileSync('scripts/pg-throwaway.sh', ['start', '55441'], { encoding: 'utf8' }).trim();
    return { url, stop: () => execFileSync('scripts/pg-throwaway.sh', ['stop', '55441']) };
  } catch {
    return undefined;
  }
}

const fmt = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const rows: string[][] = [];

const base = await baselineEmbedded();
rows.push(['baseline: PGlite open + CREATE EXTENSION postgis', fmt(base), '', '']);

const dataDir = mkdtempSync(join(tmpdir(), 'parkatlas-bench-'));
const cold = await startServer({ PARKATLAS_DATA_DIR: dataDir, DATABASE_URL: '' });
rows.push(['embedded cold start (empty folder → serving, demo loaded)', fmt(cold.ms), cold.seedMs ? fmt(cold.seedMs) : '', cold.peakMb.toFixed(0)]);
const warm = await startServer({ PARKATLAS_DATA_DIR: dataDir, DATABASE_URL: '' });
rows.push(['embedded warm restart', fmt(warm.ms), '', warm.peakMb.toFixed(0)]);
rmSync(dataDir, { recursive: true, force: true });

const pg = postgresUrl();
if (pg) {
  try {
    const first = await startServer({ DATABASE_URL: pg.url });
    rows.push(['postgres first start (empty database → serving, demo loaded)', fmt(first.ms), first.seedMs ? fmt(first.seedMs) : '', first.peakMb.toFixed(0)]);
    const again = await startServer({ DATABASE_URL: pg.url });
    rows.push(['postgres restart', fmt(again.ms), '', again.peakMb.toFixed(0)]);
  } finally {
    pg.stop();
  }
} else {
  rows.push(['postgres', 'skipped: no BENCH_DATABASE_URL and no local PostgreSQL', '', '']);
}

console.log('\n| run | time to serving | demo seed load | peak RSS (MB) |\n|---|---|---|---|');
for (const r of rows) console.log(`| ${r.join(' | ')} |`);
