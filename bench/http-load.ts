import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Requests per second a server sustains, measured by autocannon in a child process: a load client
 * in the server's own event loop (fetch in the same thread) measures mostly itself, and tops out at
 * a few hundred small requests a second on these machines. (Not a worker thread: there autocannon
 * takes itself for one of its own workers and returns raw, unaggregated histograms.)
 */

export interface LoadResult {
  /** Which load client measured it. */
  client: 'wrk' | 'autocannon';
  perSecond: number;
  p50Ms: number;
  /** wrk only (autocannon has no 95th percentile). */
  p95Ms?: number;
  p99Ms: number;
  statuses: Record<string, number>;
  errors: number;
}

const CLIENT = `
const autocannon = require('autocannon');
const job = JSON.parse(process.env.PARKATLAS_LOAD_JOB);
autocannon({
  url: job.origin,
  connections: job.connections,
  duration: job.seconds,
  requests: job.paths.map((path) => ({ method: 'GET', path, headers: job.headers[path] ?? {} })),
}, (err, result) => {
  if (err) throw err;
  const statuses = {};
  for (const [k, v] of Object.entries(result.statusCodeStats ?? {})) statuses[k] = v.count;
  process.stdout.write(JSON.stringify({
    client: 'autocannon', perSecond: result.requests.total / (result.duration || job.seconds),
    p50Ms: result.latency.p50, p99Ms: result.latency.p99, statuses, errors: result.errors + result.timeouts,
  }));
});
`;

/** Is wrk (Debian package `wrk`) installed? */
export const HAVE_WRK = (() => {
  try {
    execFileSync('wrk', ['--version'], { stdio: 'ignore' });
    return true;
  } catch (e) {
    // wrk --version exits 1 after printing its version.
    return (e as { status?: number }).status === 1;
  }
})();

/**
 * Cycles `paths` on `connections` keep-alive connections for `seconds`, with wrk when it is
 * installed, else autocannon. autocannon parses every body in JavaScript and tops out near 450
 * replies a second for a 60 kB tile, where wrk (C) measured 8,500 from the same server; for small
 * replies the two agree within a third.
 */
export function measureRate(
  origin: string,
  paths: string[],
  options: { connections?: number; seconds?: number; headers?: Record<string, Record<string, string>> } = {},
): Promise<LoadResult> {
  return HAVE_WRK ? measureRateWrk(origin, paths, options) : measureRateAutocannon(origin, paths, options);
}

/**
 * wrk's Lua: each thread cycles the paths with their headers and counts the statuses it gets;
 * `done` adds the threads' counts up and prints one JSON line.
 */
const WRK_SCRIPT = `
local threads = {}
function setup(thread)
  table.insert(threads, thread)
  thread:set("id", #threads - 1)
end
-- Threads start half the list apart, so two never ask for the same tile at once (the server would
-- make it once for both).
function init(args) n = (id * math.floor(#job / 2)) % #job; statuses = {} end
function request()
  n = n % #job + 1
  return wrk.format("GET", job[n].path, job[n].headers)
end
function response(status, headers, body) statuses[tostring(status)] = (statuses[tostring(status)] or 0) + 1 end
function done(summary, latency, requests)
  local merged = {}
  for _, t in ipairs(threads) do
    for k, v in pairs(t:get("statuses")) do merged[k] = (merged[k] or 0) + v end
  end
  local parts = {}
  for k, v in pairs(merged) do table.insert(parts, string.format('"%s":%d', k, v)) end
  local e = summary.errors
  io.write(string.format('PARKATLAS {"requests":%d,"us":%d,"p50":%f,"p95":%f,"p99":%f,"errors":%d,"statuses":{%s}}\\n',
    summary.requests, summary.duration, latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    e.connect + e.read + e.write + e.timeout, table.concat(parts, ",")))
end
`;

const luaString = (s: string) => `"${s.replace(/[\\"]/g, (c) => `\\${c}`)}"`;

async function measureRateWrk(
  origin: string,
  paths: string[],
  options: { connections?: number; seconds?: number; headers?: Record<string, Record<string, string>> },
): Promise<LoadResult> {
  const job = paths
    .map((path) => {
      const headers = Object.entries(options.headers?.[path] ?? {}).map(([k, v]) => `[${luaString(k)}] = ${luaString(v)}`);
      return `{ path = ${luaString(path)}, headers = { ${headers.join(', ')} } }`;
    })
    .join(',\n');
  const dir = mkdtempSync(join(tmpdir(), 'parkatlas-wrk-'));
  const script = join(dir, 'job.lua');
  writeFileSync(script, `job = {\n${job}\n}\n${WRK_SCRIPT}`);
  const connections = options.connections ?? 20;
  try {
    const out = await new Promise<string>((resolve, reject) => {
      // wrk drops a reply slower than its timeout (2 s by default) from the rate: uncached embedded z14 tiles,
      // queued 8 deep behind one database connection, took longer and came out as 0.3/s instead of ~4/s.
      const args = ['-t', String(Math.min(2, connections)), '-c', String(connections), '-d', `${options.seconds ?? 4}s`, '--timeout', '60s', '-s', script, origin];
      const child = spawn('wrk', args, { stdio: ['ignore', 'pipe', 'inherit'] });
      let text = '';
      child.stdout.on('data', (d) => (text += d));
      child.once('error', reject);
      child.once('exit', (code) => (code === 0 ? resolve(text) : reject(new Error(`wrk exited ${code}: ${text}`))));
    });
    const line = /PARKATLAS (.*)/.exec(out);
    if (!line) throw new Error(`wrk printed no result: ${out}`);
    const r = JSON.parse(line[1]) as { requests: number; us: number; p50: number; p95: number; p99: number; errors: number; statuses: Record<string, number> };
    return { client: 'wrk', perSecond: r.requests / (r.us / 1e6), p50Ms: r.p50, p95Ms: r.p95, p99Ms: r.p99, statuses: r.statuses, errors: r.errors };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function measureRateAutocannon(
  origin: string,
  paths: string[],
  options: { connections?: number; seconds?: number; headers?: Record<string, Record<string, string>> } = {},
): Promise<LoadResult> {
  const job = { origin, paths, connections: options.connections ?? 20, seconds: options.seconds ?? 4, headers: options.headers ?? {} };
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', CLIENT], { env: { ...process.env, PARKATLAS_LOAD_JOB: JSON.stringify(job) }, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve(JSON.parse(out) as LoadResult) : reject(new Error(`load client exited ${code}`))));
  });
}
