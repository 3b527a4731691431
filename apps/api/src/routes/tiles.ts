import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '@parkatlas/db';
import { apiError } from '@parkatlas/schema';
import { tileLayers, TILE_LAYERS } from '../tiles/layers.ts';
import { MAX_ZOOM, parseTileAddress } from '../tiles/tile-address.ts';
import { TileService, type TileServiceOptions } from '../tiles/tile-service.ts';

export const MVT_TYPE = 'application/vnd.mapbox-vector-tile';

/**
 * Clients keep tiles but ask again each time (If-None-Match): an unchanged tile costs a 304 and one
 * small query, and a write shows on the next look rather than after some max-age.
 */
const CACHE_CONTROL = 'public, no-cache';

const layerList = TILE_LAYERS.map((name) => `\`${name}\` (from z${tileLayers[name].minzoom}: ${tileLayers[name].description})`).join('; ');

// Values are checked in the handler so each mistake gets its own code and message (unknown_layer, invalid_tile).
const tileParams = z.strictObject({
  layer: z.string().max(64).describe(`Layer: ${layerList}`),
  z: z.string().max(8).describe(`Zoom, 0–${MAX_ZOOM}`),
  x: z.string().max(8).describe('Column, 0 … 2^z − 1'),
  y: z.string().max(8).describe('Row from the top (XYZ scheme), 0 … 2^z − 1'),
});

/** Accepts gzip unless the client said q=0 for it. */
function acceptsGzip(header: string | string[] | undefined): boolean {
  const value = Array.isArray(header) ? header.join(',') : header ?? '';
  return value.split(',').some((part) => {
    const [coding, ...params] = part.trim().toLowerCase().split(';');
    if (coding !== 'gzip' && coding !== '*') return false;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    return q === undefined || Number(q.slice(2)) > 0;
  });
}

/** A Buffer over the same bytes (the drivers return plain Uint8Arrays, Fastify sends Buffers). */
function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function matches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  const bare = (t: string) => t.trim().replace(/^W\//, '');
  return ifNoneMatch.split(',').some((t) => t.trim() === '*' || bare(t) === bare(etag));
}

/**
 * GET /api/tiles/{layer}/{z}/{x}/{y}.mvt: Mapbox Vector Tiles of the zone's layers. The layer name
 * inside the tile is the URL's. Empty tiles answer 204; every answer carries an ETag that changes
 * when a write touches the layer (see LayerVersions) and tiles are kept in an in-process LRU cache.
 */
export async function registerTiles(app: FastifyInstance, db: Db, options: TileServiceOptions = {}): Promise<TileService> {
  const service = await TileService.create(db, options);
  // Every write the API answers is a reason to look at the change log again before the next tile.
  // onSend runs after the write's transaction committed and before its client hears of it.
  app.addHook('onSend', async (req, _reply, payload) => {
    if (req.method !== 'GET' && req.method !== 'HEAD' && req.method !== 'OPTIONS') service.versions.writeSeen();
    return payload;
  });
  app.log.info({ engine: service.engine, containment: service.sqlContext.containment }, 'vector tiles ready');
  app.withTypeProvider<ZodTypeProvider>().get('/api/tiles/:layer/:z/:x/:y.mvt', {
    schema: {
      tags: ['tiles'],
      summary: 'A Mapbox Vector Tile of one layer',
      description:
        'XYZ tiles in Web Mercator, extent 4096, buffer 64. 204 when the tile has no features (also below the ' +
        "layer's first zoom). Send If-None-Match with the ETag to get 304 when nothing changed.",
      params: tileParams,
      querystring: z.strictObject({}),
      response: { 400: apiError },
    },
  }, async (req, typedReply) => {
    // The reply is a binary tile, 204 or 304; the zod types only know the error body.
    const reply = typedReply as FastifyReply;
    const address = parseTileAddress(req.params);
    const state = await service.state(address);
    reply.header('etag', state.etag).header('cache-control', CACHE_CONTROL).header('vary', 'Accept-Encoding');
    if (matches(req.headers['if-none-match'], state.etag)) return reply.status(304).send();
    const entry = await service.tile(address, state);
    if (entry.body.byteLength === 0) return reply.status(204).send();
    reply.type(MVT_TYPE);
    if (acceptsGzip(req.headers['accept-encoding'])) {
      reply.header('content-encoding', 'gzip');
      return reply.send(asBuffer(await service.gzipped(address, entry)));
    }
    return reply.send(asBuffer(entry.body));
  });
  return service;
}
