import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { postgisVersion, type Db } from '@parkatlas/db';

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
