/** Latency figures the benchmarks share: nearest-rank percentiles of repeated runs. */

export interface Timing { p50: number; p95: number; n: number }

/** Nearest-rank percentiles. */
export function timing(samples: number[]): Timing {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)];
  return { p50: at(0.5), p95: at(0.95), n: s.length };
}

/** Runs `fn` a few times to warm up, then `runs` times, timing each. */
export async function measure(fn: () => Promise<unknown>, runs: number, warmup = Math.min(3, runs)): Promise<Timing> {
  for (let i = 0; i < warmup; i++) await fn();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    samples.push(performance.now() - t0);
  }
  return timing(samples);
}
