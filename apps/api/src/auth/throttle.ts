/**
 * In-memory counters for one server process: failed logins and per-key request rates. (Several
 * servers behind a balancer would each count on their own; the limits then multiply by their number.)
 */

/** Failures allowed before a wait is imposed; each further failure doubles the wait, up to a cap. */
const FREE_FAILURES = 5;
const FIRST_WAIT_S = 30;
const MAX_WAIT_S = 15 * 60;
/** Failures older than this are forgotten. */
const WINDOW_MS = 15 * 60 * 1000;

interface Failures {
  count: number;
  last: number;
}

/** Throttles password guessing per username and per client address, so neither spraying nor one account's brute force pays. */
export class LoginThrottle {
  private readonly failures = new Map<string, Failures>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Seconds to wait before another attempt may be made for any of these subjects (0: go ahead). */
  waitSeconds(subjects: string[]): number {
    let wait = 0;
    for (const s of subjects) {
      const f = this.current(s);
      if (!f || f.count < FREE_FAILURES) continue;
      const penalty = Math.min(MAX_WAIT_S, FIRST_WAIT_S * 2 ** (f.count - FREE_FAILURES));
      wait = Math.max(wait, Math.ceil((f.last + penalty * 1000 - this.now()) / 1000));
    }
    return wait;
  }

  fail(subjects: string[]): void {
    for (const s of subjects) {
      const f = this.current(s);
      this.failures.set(s, { count: (f?.count ?? 0) + 1, last: this.now() });
    }
    if (this.failures.size > 100_000) this.sweep();
  }

  succeed(subject: string): void {
    this.failures.delete(subject);
  }

  private current(subject: string): Failures | undefined {
    const f = this.failures.get(subject);
    if (f && this.now() - f.last > WINDOW_MS) {
      this.failures.delete(subject);
      return undefined;
    }
    return f;
  }

  private sweep(): void {
    for (const s of [...this.failures.keys()]) this.current(s);
  }
}

/** A fixed one-minute window per key: simple, and a burst at a window's edge is at most twice the limit. */
export class RateLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Counts a request; returns the seconds until the window resets if the limit is already spent. */
  take(key: string, perMinute: number): number {
    const t = this.now();
    let w = this.windows.get(key);
    if (!w || t - w.start >= 60_000) {
      w = { start: t, count: 0 };
      this.windows.set(key, w);
    }
    if (w.count >= perMinute) return Math.ceil((w.start + 60_000 - t) / 1000);
    w.count++;
    return 0;
  }
}
