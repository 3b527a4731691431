import type { FastifyInstance } from 'fastify';
import { registerOgc } from './routes.ts';
import type { WriteContext } from './writes.ts';

/**
 * OGC API – Features at /ogc, in its own Fastify scope: Part 4 bodies arrive as
 * application/geo+json or application/merge-patch+json, parsed as JSON here only.
 */
export async function registerOgcApi(app: FastifyInstance, ctx: WriteContext): Promise<void> {
  await app.register(async (scope) => {
    for (const type of ['application/geo+json', 'application/merge-patch+json']) {
      if (!scope.hasContentTypeParser(type)) scope.addContentTypeParser(type, { parseAs: 'string' }, scope.getDefaultJsonParser('error', 'ignore'));
    }
    await registerOgc(scope, ctx);
  });
}
