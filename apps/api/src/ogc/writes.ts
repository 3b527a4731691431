/**
 * OGC API – Features Part 4 (create, replace, update, delete) over the same writes as the REST
 * API: createItem / updateItem / deleteItem with the collection's checks, its history and its
 * ETags. Bodies are GeoJSON Features; read-only attributes a client read back (area_m2, version,
 * park …) are dropped rather than refused, so a feature read from /items can be sent back as it is.
 * A body in another CRS names it with Content-Crs; PostGIS transforms it before it is checked.
 */
import { writerOf } from '../auth/visibility.ts';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Db, Queryable } from '@parkatlas/db';
import { checkGeometry, type Extent } from '../collections/checks.ts';
import { createItem, deleteItem, updateItem, type Item } from '../collections/repository.ts';
import { ApiProblem } from '../errors.ts';
import type { CollectionInfo } from './catalog.ts';
import { geometryFrom, parseCrs, STORAGE_CRS } from './crs.ts';

export interface WriteContext {
  db: Db;
  extent: Extent;
  actorOf: (req: FastifyRequest) => string;
}

/** If-Match: `"7"` (the ETag of a read) or `*`; without it a write could undo someone else's. */
function expectedVersion(req: FastifyRequest): number | '*' {
  const header = req.headers['if-match'];
  if (header === undefined) {
    throw new ApiProblem(428, 'precondition_required', 'send If-Match with the ETag you read, so no concurrent edit is lost', 'if-match');
  }
  if (header.trim() === '*') return '*';
  const m = /^\s*(?:W\/)?"(\d+)"\s*$/.exec(header);
  if (!m) throw new ApiProblem(412, 'version_mismatch', `If-Match '${header}' is not an ETag of this item (expected e.g. "3")`, 'if-match');
  return Number(m[1]);
}

function firstIssue(error: z.ZodError, prefix: string): ApiProblem {
  const issue = error.issues[0];
  const path = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
  const unknown = issue.code === 'unrecognized_keys' ? ` '${(issue as { keys: string[] }).keys.join("', '")}'` : '';
  return new ApiProblem(issue.code === 'unrecognized_keys' ? 400 : 422, issue.code === 'unrecognized_keys' ? 'invalid_body' : 'invalid_value', `${path || 'body'}: ${issue.message}${unknown}`, path || undefined);
}

export function registerOgcWrites(app: FastifyInstance, ctx: WriteContext, infoOf: (id: string) => Promise<CollectionInfo>): void {
  const send = (reply: FastifyReply, status: number, item: Item) =>
    reply.status(status).header('etag', `"${item.version}"`).header('content-crs', `<${STORAGE_CRS.uri}>`).type('application/geo+json; charset=utf-8').send(item.json);

  /** The writable attributes of a body's properties: read-only ones dropped, unknown ones refused. */
  const writableOf = (info: CollectionInfo, properties: unknown, keepId: boolean): Record<string, unknown> => {
    if (properties === null || typeof properties !== 'object' || Array.isArray(properties)) {
      throw new ApiProblem(400, 'invalid_body', 'properties must be an object', 'properties');
    }
    const input = info.def.input.shape as Record<string, unknown>;
    const readable = info.def.properties.shape as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(properties)) {
      if (k in input) {
        if (keepId || k !== info.def.idColumn) out[k] = v;
      } else if (!(k in readable)) {
        throw new ApiProblem(400, 'invalid_body', `properties.${k}: unknown attribute of a ${info.def.label}`, `properties.${k}`);
      }
    }
    return out;
  };

  /** The body's geometry as GeoJSON in EPSG:4326, transformed by PostGIS from Content-Crs. */
  const storedGeometry = async (req: FastifyRequest, info: CollectionInfo, geometry: unknown): Promise<unknown> => {
    const parsed = info.def.geometry!.safeParse(geometry);
    if (!parsed.success) throw firstIssue(parsed.error, 'geometry');
    const header = req.headers['content-crs'];
    if (header === undefined) return parsed.data;
    const crs = parseCrs(String(header).replace(/^<|>$/g, ''), 'content-crs');
    if (crs.srid === 4326 && !crs.flip) return parsed.data;
    const r = await ctx.db.query<{ g: string }>(
      `SELECT ST_AsGeoJSON(${geometryFrom(`ST_SetSRID(ST_GeomFromGeoJSON($1::text), ${crs.srid})`, crs)}, 9, 0) AS g`,
      [JSON.stringify(parsed.data)],
    );
    return JSON.parse(r.rows[0].g);
  };

  const featureBody = (body: unknown): { id?: unknown; geometry?: unknown; properties?: unknown } => {
    const b = body as Record<string, unknown> | null;
    if (!b || typeof b !== 'object' || Array.isArray(b)) throw new ApiProblem(400, 'invalid_body', 'the body must be a GeoJSON Feature', 'body');
    if (b.type !== undefined && b.type !== 'Feature') throw new ApiProblem(400, 'invalid_body', `type must be 'Feature', not '${String(b.type).slice(0, 40)}'`, 'type');
    return b;
  };

  const checks = (info: CollectionInfo) => async (q: Queryable, row: Record<string, unknown>, geometry: unknown) => {
    if (geometry !== undefined) await checkGeometry(q, geometry, ctx.extent);
    for (const check of info.def.checks ?? []) await check(q, row, geometry);
  };

  const parseRow = (info: CollectionInfo, row: Record<string, unknown>, partial: boolean) => {
    const schema = partial ? info.def.input.partial() : info.def.input;
    const parsed = schema.safeParse(row);
    if (!parsed.success) throw firstIssue(parsed.error, 'properties');
    return parsed.data as Record<string, unknown>;
  };

  const idOf = (info: CollectionInfo, featureId: string): string | number => {
    if (info.def.idKind !== 'int') return featureId;
    const n = Number(featureId);
    if (!Number.isInteger(n) || n <= 0) throw new ApiProblem(404, 'not_found', `${info.def.label} '${featureId}' does not exist`);
    return n;
  };

  app.post('/ogc/collections/:collectionId/items', { schema: { hide: true } }, async (req, reply) => {
    const info = await infoOf((req.params as { collectionId: string }).collectionId);
    const body = featureBody(req.body);
    const row = parseRow(info, writableOf(info, body.properties ?? {}, true), false);
    if (body.id !== undefined && body.id !== null && row[info.def.idColumn] !== undefined && String(body.id) !== String(row[info.def.idColumn])) {
      throw new ApiProblem(422, 'id_mismatch', `Feature id '${body.id}' differs from properties.${info.def.idColumn} '${row[info.def.idColumn]}'`, 'id');
    }
    if (body.id !== undefined && body.id !== null && row[info.def.idColumn] === undefined && info.def.idColumn in info.def.input.shape) row[info.def.idColumn] = body.id;
    const geometry = await storedGeometry(req, info, body.geometry);
    const full = { ...row, geometry };
    const item = await createItem(ctx.db, info.def, full, writerOf(req.identity), (q) => checks(info)(q, full, geometry));
    reply.header('location', `${req.protocol}://${req.host}/ogc/collections/${info.def.name}/items/${encodeURIComponent(String(item.id))}`);
    return send(reply, 201, item);
  });

  app.put('/ogc/collections/:collectionId/items/:featureId', { schema: { hide: true } }, async (req, reply) => {
    const { collectionId, featureId } = req.params as { collectionId: string; featureId: string };
    const info = await infoOf(collectionId);
    const id = idOf(info, featureId);
    const expected = expectedVersion(req);
    const body = featureBody(req.body);
    const given = writableOf(info, body.properties ?? {}, true);
    if (given[info.def.idColumn] !== undefined && String(given[info.def.idColumn]) !== String(id)) {
      throw new ApiProblem(422, 'id_mismatch', `properties.${info.def.idColumn} '${given[info.def.idColumn]}' differs from the feature id '${featureId}'`, info.def.idColumn);
    }
    delete given[info.def.idColumn];
    // Replace: every writable attribute the body leaves out is cleared.
    const writable = Object.keys(info.def.input.shape).filter((k) => k !== info.def.idColumn);
    const schema = info.def.idColumn in info.def.input.shape ? info.def.input.omit({ [info.def.idColumn]: true } as never) : info.def.input;
    const parsed = schema.safeParse(given);
    if (!parsed.success) throw firstIssue(parsed.error, 'properties');
    const row = parsed.data as Record<string, unknown>;
    const geometry = await storedGeometry(req, info, body.geometry);
    const item = await updateItem(ctx.db, info.def, id, expected, () => ({ ...nullsFor(writable, row), [info.def.idColumn]: id, geometry }), writerOf(req.identity), (q, r) => checks(info)(q, r, geometry));
    return send(reply, 200, item);
  });

  app.patch('/ogc/collections/:collectionId/items/:featureId', { schema: { hide: true } }, async (req, reply) => {
    const { collectionId, featureId } = req.params as { collectionId: string; featureId: string };
    const info = await infoOf(collectionId);
    const id = idOf(info, featureId);
    const expected = expectedVersion(req);
    const body = featureBody(req.body);
    const patch = writableOf(info, body.properties ?? {}, false);
    const geometry = body.geometry === undefined ? undefined : await storedGeometry(req, info, body.geometry);
    const writable = Object.keys(info.def.input.shape).filter((k) => k !== info.def.idColumn);
    const item = await updateItem(ctx.db, info.def, id, expected, (before) => {
      // Merge patch: given attributes replace, null clears, absent ones stay.
      const kept = Object.fromEntries(writable.map((k) => [k, before.properties[k]]));
      const row = parseRow(info, { ...kept, ...patch }, true);
      return { ...row, [info.def.idColumn]: before.id, ...(geometry !== undefined ? { geometry } : {}) };
    }, writerOf(req.identity), (q, r) => checks(info)(q, r, geometry));
    return send(reply, 200, item);
  });

  app.delete('/ogc/collections/:collectionId/items/:featureId', { schema: { hide: true } }, async (req, reply) => {
    const { collectionId, featureId } = req.params as { collectionId: string; featureId: string };
    const info = await infoOf(collectionId);
    await deleteItem(ctx.db, info.def, idOf(info, featureId), expectedVersion(req), writerOf(req.identity));
    return reply.status(204).send();
  });
}

function nullsFor(keys: string[], row: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(keys.map((k) => [k, row[k] ?? null]));
}
