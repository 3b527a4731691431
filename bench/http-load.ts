import { Worker } from 'node:worker_threads';

/**
 * Requests per second a server sustains, measured by autocannon from a worker thread: a load client
 * in the server's own event loop (fetch in the same thread) measures mostly itself, and tops out at a
 * few hundred small requests a second on these machines.
 */

export interface LoadResult {
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  statuses: Record<string, number>;
  errors: number;
}

const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const autocannon = require('autocannon');
autocannon({
  url: workerData.origin,
  connections: workerData.connections,
  duration: workerData.seconds,
  requests: workerData.paths.map((path) => ({ method: 'GET', path, headers: workerData.headers[path] ?? {} })),
}, (err, result) => {
  if (err) throw err;
  const statuses = {};
  for (const [k, v] of Object.entries(result.statusCodeStats ?? {})) statuses[k] = v.count;
  parentPort.postMessage({
    perSecond: result.requests.total / (result.duration || workerData.seconds),
    p50Ms: result.latency.p50, p99Ms: result.latency.p99, statuses, errors: result.errors + result.timeouts,
  });
});
`;

/** Cycles `paths` on `connections` keep-alive connections for `seconds`. */
export function measureRate(
  origin: string,
  paths: string[],
  options: { connections?: number; seconds?: number; headers?: Record<string, Record<string, string>> } = {},
): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER, {
      eval: true,
      workerData: { origin, paths, connections: options.connections ?? 20, seconds: options.seconds ?? 4, headers: options.headers ?? {} },
    });
    worker.once('message', (m: LoadResult) => {
      resolve(m);
      void worker.terminate();
    });
    worker.once('error', reject);
  });
}
