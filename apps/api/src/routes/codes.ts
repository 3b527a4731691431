import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '@parkatlas/db';

/** The code lists writes are checked against, for forms and for other agencies' mapping tables. */
export function registerCodes(app: FastifyInstance, db: Db): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/api/codes/land-use', {
    schema: {
      tags: ['codes'],
      summary: 'GB 50137-2011 land-use classes with their 2023 land-and-sea use (用地用海) class',
      response: {
        200: z.object({
          items: z.array(z.object({ code: z.string(), name: z.string(), name_en: z.string(), major: z.string(), tdyh_code: z.string() })),
        }),
      },
    },
  }, async () => ({ items: (await db.query<never>('SELECT code, name, name_en, major, tdyh_code FROM land_use_class ORDER BY code')).rows }));
  r.get('/api/codes/industry', {
    schema: {
      tags: ['codes'],
      summary: 'GB/T 4754-2017 industry sections and divisions',
      response: { 200: z.object({ items: z.array(z.object({ code: z.string(), name: z.string(), name_en: z.string() })) }) },
    },
  }, async () => ({ items: (await db.query<never>('SELECT code, name, name_en FROM industry_class ORDER BY code')).rows }));
}
