import type { FastifyInstance } from 'fastify';

/**
 * Counts route handlers still running. Fastify's close() waits for open connections, but a
 * handler whose client has hung up keeps running (and querying) after its connection is gone;
 * shutdown waits for those too before it closes the database under them.
 */
export class HandlersInFlight {
  private count = 0;
  private idle: (() => void)[] = [];

  /** Wraps the handler of every route registered on `app` from now on. */
  track(app: FastifyInstance): void {
    const run = this.run.bind(this);
    app.addHook('onRoute', (route) => {
      const handler = route.handler;
      route.handler = function (req, reply) {
        return run(() => handler.call(this, req, reply));
      };
    });
  }

  async run<T>(fn: () => T | Promise<T>): Promise<T> {
    this.count++;
    try {
      return await fn();
    } finally {
      if (--this.count === 0) for (const wake of this.idle.splice(0)) wake();
    }
  }

  get running(): number {
    return this.count;
  }

  /** Resolves once no handler runs, or after `timeoutMs` (a stuck handler must not stop shutdown). */
  settled(timeoutMs: number): Promise<boolean> {
    if (this.count === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      this.idle.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }
}
