import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { listMigrations, postgisVersion, type Db } from '@parkatlas/db';

/** Shared with server.ts: set when shutdown begins, so load balancers stop sending new work. */
export interface Lifecycle {
  draining: boolean;
}

/** GET /api/health: the server answers, which database it runs on, and that PostGIS works. */
export function registerHealth(app: FastifyInstance, db: Db): void {
  app.withTypeProvider<ZodTypeProvider>().get('/api/health', {
    schema: {
      tags: ['service'],
      summary: 'Service health',
      response: {
        200: z.object({ status: z.literal('ok'), db: z.enum(['embedded', 'postgres']), postgis: z.string() }),
      },
    },
  }, async () => ({ status: 'ok' as const, db: db.kind, postgis: await postgisVersion(db) }));
}

const readiness = z.object({
  ready: z.boolean(),
  checks: z.object({
    database: z.boolean().describe('answers a query'),
    migrations: z.boolean().describe('every migration this build knows is applied'),
    draining: z.boolean().describe('shutting down: finishing requests in flight, taking no new work'),
  }),
  message: z.string().optional(),
});

/**
 * GET /api/ready: 200 when this instance should get traffic (database answering, schema current,
 * not shutting down), else 503 with the failing check; /api/health says only that the process lives.
 */
export function registerReadiness(app: FastifyInstance, db: Db, lifecycle: Lifecycle): void {
  const expected = listMigrations().map((m) => m.name);
  app.withTypeProvider<ZodTypeProvider>().get('/api/ready', {
    schema: { tags: ['service'], summary: 'Readiness for traffic', response: { 200: readiness, 503: readiness } },
  }, async (_req, reply) => {
    const checks = { database: false, migrations: false, draining: lifecycle.draining };
    let message: string | undefined;
    try {
      const applied = new Set((await db.query<{ name: string }>('SELECT name FROM schema_migration')).rows.map((r) => r.name));
      checks.database = true;
      const missing = expected.filter((m) => !applied.has(m));
      checks.migrations = missing.length === 0;
      if (missing.length) message = `migrations not applied: ${missing.join(', ')}`;
    } catch (e) {
      message = `database: ${(e as Error).message}`;
    }
    if (checks.draining) message = 'shutting down';
    const ready = checks.database && checks.migrations && !checks.draining;
    return reply.status(ready ? 200 : 503).send({ ready, checks, ...(message ? { message } : {}) });
  });
}
