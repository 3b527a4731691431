import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { Db } from '@parkatlas/db';
import { registerErrorHandler } from '../apps/api/src/errors.ts';
import { registerTiles } from '../apps/api/src/routes/tiles.ts';
import type { TileEngine } from '../apps/api/src/tiles/tile-service.ts';

/**
 * A server with only the tile route on loopback, as the API registers it. `onReply`, when given,
 * hears each reply's time inside the server (Fastify's elapsedTime: request received → reply sent)
 * and its status.
 */
export async function tileServer(db: Db, engine: TileEngine, cacheBytes: number, onReply?: (ms: number, status: number) => void) {
  const app = Fastify({ logger: false });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandler(app);
  await registerTiles(app, db, { engine, cacheBytes });
  if (onReply) app.addHook('onResponse', async (_req, reply) => onReply(reply.elapsedTime, reply.statusCode));
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  return { origin: `http://127.0.0.1:${port}`, close: () => app.close() };
}
