import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

/** Serves the built map app at `/`; any non-API path falls back to index.html (client-side routes). */
export async function registerWeb(app: FastifyInstance, webDir: string): Promise<void> {
  const root = resolve(webDir);
  if (!existsSync(resolve(root, 'index.html'))) {
    app.log.warn({ root }, 'no built web app here: run `npm run build --workspace @parkatlas/web`');
    return;
  }
  await app.register(fastifyStatic, { root, prefix: '/', wildcard: false, maxAge: '1h' });
  // Paths of the map app itself (a shared link) get index.html; unknown API paths stay JSON 404s.
  app.get('/*', { schema: { hide: true } }, (req, reply) => {
    if (req.url.startsWith('/api/') || req.url.startsWith('/ogc')) {
      return reply.status(404).send({ error: { code: 'not_found', message: `no route GET ${req.url.split('?')[0]}` } });
    }
    return reply.type('text/html').sendFile('index.html', root, { maxAge: 0 });
  });
}
