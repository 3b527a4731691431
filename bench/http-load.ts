import { spawn } from 'node:child_process';

/**
 * Requests per second a server sustains, measured by autocannon in a child process: a load client
 * in the server's own event loop (fetch in the same thread) measures mostly itself, and tops out at
 * a few hundred small requests a second on these machines. (Not a worker thread: there autocannon
 * takes itself for one of its own workers and returns raw, unaggregated histograms.)
 */

export interface LoadResult {
  perSecond: number;
  p50Ms: number;
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
    perSecond: result.requests.total / (result.duration || job.seconds),
    p50Ms: result.latency.p50, p99Ms: result.latency.p99, statuses, errors: result.errors + result.timeouts,
  }));
});
`;

/** Cycles `paths` on `connections` keep-alive connections for `seconds`. */
export function measureRate(
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
