import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db, Queryable } from '@parkatlas/db';
import { apiError, bboxParam, revertInput } from '@parkatlas/schema';
import { checkFilters, fieldAccess, visibleProperties, writerOf } from '../auth/visibility.ts';
import { ApiProblem, notFound } from '../errors.ts';
import { checkGeometry, type Extent } from './checks.ts';
import { itemAsOf, itemsAsOf } from './as-of.ts';
import type { CollectionDef } from './definition.ts';
import { createItem, deleteItem, getItem, itemHistory, listItems, updateItem, type Item } from './repository.ts';

export interface CollectionContext {
  db: Db;
  extent: Extent;
  /** Who is writing, for the history. */
  actorOf: (req: FastifyRequest) => string;
}

const MAX_LIMIT = 10000;
const etagOf = (item: Item) => `"${item.version}"`;
const errors = { 400: apiError, 404: apiError, 409: apiError, 412: apiError, 413: apiError, 422: apiError, 428: apiError };

/** If-Match: `"7"` (the ETag of a read) or `*`. Without it a write could silently undo someone else's. */
function expectedVersion(req: FastifyRequest): number | '*' {
  const header = req.headers['if-match'];
  if (header === undefined) {
    throw new ApiProblem(428, 'precondition_required', 'send If-Match with the ETag you read, so no concurrent edit is lost', 'if-match');
  }
  if (header.trim() === '*') return '*';
  const m = /^\s*"(\d+)"\s*$/.exec(header);
  if (!m) throw new ApiProblem(412, 'version_mismatch', `If-Match '${header}' is not an ETag of this item (expected e.g. "3")`, 'if-match');
  return Number(m[1]);
}

function encodeCursor(sort: string, item: Item): string {
  return Buffer.from(JSON.stringify({ s: sort, k: [item.sortKey, item.id] })).toString('base64url');
}

function decodeCursor(cursor: string, sort: string): [unknown, string | number] {
  try {
    const c = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    // Keys go back to the database as text, parsed there as the column's type: a forged key of another
    // JSON type (true, {}, 1e308 for a date) would otherwise fail in the driver as a 500, not a 4xx.
    const key = (k: unknown) => typeof k === 'string' || (typeof k === 'number' && Number.isFinite(k));
    if (c.s === sort && Array.isArray(c.k) && c.k.length === 2 && c.k.every(key)) return [String(c.k[0]), String(c.k[1])];
  } catch {
    // fall through to the error below
  }
  throw new ApiProblem(400, 'invalid_cursor', 'cursor is not one this list returned (or the sort changed): start again without it', 'cursor');
}

/** The list, item, write and history routes of one collection, all under /api/{name}. */
export function registerCollection(app: FastifyInstance, def: CollectionDef, ctx: CollectionContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const spatial = def.geometry !== undefined;
  const idParam = z.strictObject({
    id: def.idKind === 'int' ? z.coerce.number().int().positive() : z.string().min(1).max(64),
  });
  const sortValues = def.sortable.flatMap((c) => [c, `-${c}`]) as [string, ...string[]];
  const filterSchemas = Object.fromEntries(Object.entries(def.filters).map(([k, f]) => [k, f.schema.optional()]));
  const listQuery = z.strictObject({
    limit: z.coerce.number().int().min(1).max(MAX_LIMIT).default(100).describe(`Items per page, at most ${MAX_LIMIT}`),
    cursor: z.string().max(2000).optional().describe('The `next` value of the previous page'),
    sort: z.enum(sortValues).default(def.idColumn).describe('Column to sort on; a leading - sorts descending'),
    ...(spatial ? { bbox: bboxParam.optional() } : {}),
    ...filterSchemas,
  });

  const feature = z.object({ type: z.literal('Feature'), id: z.union([z.string(), z.number()]), geometry: z.any(), properties: def.properties });
  const itemSchema = spatial ? feature : def.properties;
  const listSchema = spatial
    ? z.object({ type: z.literal('FeatureCollection'), features: z.array(feature), numberReturned: z.number(), next: z.string().nullable() })
    : z.object({ items: z.array(def.properties), next: z.string().nullable() });
  const writable = def.idColumn in def.input.shape ? def.input.omit({ [def.idColumn]: true } as never) : def.input;
  const createBody = spatial
    ? z.strictObject({ type: z.literal('Feature'), id: z.union([z.string(), z.number()]).optional(), geometry: def.geometry!, properties: def.input })
    : def.input;
  const patchBody = spatial
    ? z.strictObject({ type: z.literal('Feature').optional(), properties: writable.partial().optional(), geometry: def.geometry!.optional() })
    : writable.partial();

  // Items arrive serialized by the database (see repository.ts) and are sent as they are.
  const contentType = spatial ? 'application/geo+json; charset=utf-8' : 'application/json; charset=utf-8';
  // What an item shows depends on who reads it when the collection has sensitive fields.
  const vary = def.sensitive ? 'Cookie, Authorization, X-Api-Key' : undefined;
  const send = (reply: FastifyReply, status: number, item: Item) => {
    if (vary) reply.header('vary', vary);
    return (reply as FastifyReply).status(status).header('etag', etagOf(item)).type(contentType).send(item.json);
  };
  const runChecks = async (q: Queryable, row: Record<string, unknown>, geometry: unknown) => {
    if (spatial && geometry !== undefined) await checkGeometry(q, geometry, ctx.extent);
    for (const check of def.checks ?? []) await check(q, row, geometry);
  };
  const tags = [def.name];

  r.get(`/api/${def.name}`, {
    schema: { tags, summary: `List ${def.name}`, querystring: listQuery, response: { 200: listSchema, 400: apiError } },
  }, async (req, reply) => {
    const { limit, cursor, sort, bbox, ...filters } = req.query as Record<string, unknown> & { limit: number; sort: string; cursor?: string; bbox?: [number, number, number, number] };
    const access = fieldAccess(req.identity);
    checkFilters(def, filters, access);
    const { items, more } = await listItems(ctx.db, def, {
      access,
      filters,
      bbox,
      limit,
      sort: { column: sort.replace(/^-/, ''), descending: sort.startsWith('-') },
      after: cursor ? decodeCursor(cursor, sort) : undefined,
    });
    const next = JSON.stringify(more ? encodeCursor(sort, items[items.length - 1]) : null);
    const list = items.map((i) => i.json).join(',');
    const body = spatial
      ? `{"type":"FeatureCollection","numberReturned":${items.length},"next":${next},"features":[${list}]}`
      : `{"next":${next},"items":[${list}]}`;
    if (vary) reply.header('vary', vary);
    return (reply as FastifyReply).type(contentType).send(body);
  });

  const asOfSchema = spatial
    ? z.object({ type: z.literal('FeatureCollection'), numberReturned: z.number(), as_of: z.string(), features: z.array(feature) })
    : z.object({ as_of: z.string(), items: z.array(def.properties) });
  const asOf = z.union([z.iso.date(), z.iso.datetime({ offset: true })], { error: 'a date (2026-03-31, meaning the end of that day) or a date-time with its offset' });

  r.get(`/api/${def.name}/as-of`, {
    schema: {
      tags, summary: `Every ${def.label} as it stood at a past date, from the history`,
      description: 'Each item as its first later write found it; items written since then show their earlier state, items created since are absent, items deleted since are back. No paging: the whole collection.',
      querystring: z.strictObject({ date: asOf }), response: { 200: asOfSchema, 400: apiError },
    },
  }, async (req, reply) => {
    const items = await itemsAsOf(ctx.db, def, req.query.date, fieldAccess(req.identity));
    if (vary) reply.header('vary', vary);
    const body = spatial
      ? `{"type":"FeatureCollection","numberReturned":${items.length},"as_of":${JSON.stringify(req.query.date)},"features":[${items.join(',')}]}`
      : `{"as_of":${JSON.stringify(req.query.date)},"items":[${items.join(',')}]}`;
    return (reply as FastifyReply).type(contentType).send(body);
  });

  r.get(`/api/${def.name}/:id`, {
    schema: {
      tags, summary: `One ${def.label}`, params: idParam,
      querystring: z.strictObject({ as_of: asOf.optional().describe('The item as it stood then, from its history') }),
      response: { 200: itemSchema, 404: apiError },
    },
  }, async (req, reply) => {
    if (req.query.as_of) {
      const then = await itemAsOf(ctx.db, def, req.params.id, req.query.as_of, fieldAccess(req.identity));
      if (!then) throw new ApiProblem(404, 'not_found', `${def.label} '${req.params.id}' did not exist on ${req.query.as_of}`, 'as_of');
      if (vary) reply.header('vary', vary);
      return (reply as FastifyReply).type(contentType).send(then);
    }
    const item = await getItem(ctx.db, def, req.params.id, fieldAccess(req.identity));
    if (!item) throw notFound(def.label, String(req.params.id));
    if (req.headers['if-none-match'] === etagOf(item)) return (reply as FastifyReply).status(304).header('etag', etagOf(item)).send();
    return send(reply, 200, item);
  });

  r.post(`/api/${def.name}`, {
    schema: { tags, summary: `Create a ${def.label}`, body: createBody, response: { 201: itemSchema, ...errors } },
  }, async (req, reply) => {
    const body = req.body as { id?: unknown; geometry?: unknown; properties?: Record<string, unknown> } & Record<string, unknown>;
    const row = spatial ? { ...body.properties!, geometry: body.geometry } : body;
    if (spatial && body.id !== undefined && body.id !== row[def.idColumn]) {
      throw new ApiProblem(422, 'id_mismatch', `Feature id '${body.id}' differs from properties.${def.idColumn} '${row[def.idColumn]}'`, 'id');
    }
    const item = await createItem(ctx.db, def, row, writerOf(req.identity), (q) => runChecks(q, row, row.geometry));
    reply.header('location', `/api/${def.name}/${encodeURIComponent(String(item.id))}`);
    return send(reply, 201, item);
  });

  r.patch(`/api/${def.name}/:id`, {
    schema: { tags, summary: `Change a ${def.label} (needs If-Match)`, params: idParam, body: patchBody, response: { 200: itemSchema, ...errors } },
  }, async (req, reply) => {
    const expected = expectedVersion(req);
    const body = req.body as Record<string, unknown>;
    const patch = (spatial ? body.properties ?? {} : body) as Record<string, unknown>;
    const item = await updateItem(ctx.db, def, req.params.id, expected, (before) => {
      // Merge patch (OGC API – Features Part 4): given fields replace, null clears, absent ones stay.
      const kept = Object.fromEntries(Object.keys(writable.shape).map((k) => [k, before.properties[k]]));
      const merged = writable.safeParse({ ...kept, ...patch });
      if (!merged.success) {
        const issue = merged.error.issues[0];
        const field = issue.path.join('.');
        throw new ApiProblem(422, 'invalid_value', `${field}: ${issue.message}`, field);
      }
      const row: Record<string, unknown> = { ...merged.data, [def.idColumn]: before.id };
      if (spatial && body.geometry !== undefined) row.geometry = body.geometry;
      return row;
    }, writerOf(req.identity), (q, row) => runChecks(q, row, row.geometry));
    return send(reply, 200, item);
  });

  r.delete(`/api/${def.name}/:id`, {
    schema: { tags, summary: `Delete a ${def.label} (needs If-Match)`, params: idParam, response: { 204: z.null(), ...errors } },
  }, async (req, reply) => {
    await deleteItem(ctx.db, def, req.params.id, expectedVersion(req), writerOf(req.identity));
    return (reply as FastifyReply).status(204).send();
  });

  const historyEntry = z.object({
    version: z.number(),
    operation: z.enum(['create', 'update', 'delete', 'revert']),
    actor: z.string(),
    at: z.string(),
    changed: z.array(z.string()).describe('Attributes (and geometry) that differ from the version before'),
    before: z.any(),
    after: z.any(),
  });
  r.get(`/api/${def.name}/:id/history`, {
    schema: { tags, summary: `Every version of a ${def.label}`, params: idParam, response: { 200: z.object({ items: z.array(historyEntry) }), 404: apiError } },
  }, async (req, reply) => {
    const entries = await itemHistory(ctx.db, def, req.params.id);
    if (entries.length === 0 && !(await getItem(ctx.db, def, req.params.id))) throw notFound(def.label, String(req.params.id));
    const access = fieldAccess(req.identity);
    const shown = (s: unknown) => (s ? { ...(s as object), properties: visibleProperties(def, (s as Snapshot)!.properties ?? null, access) } : s);
    if (vary) reply.header('vary', vary);
    return {
      items: entries.map((e) => {
        const [before, after] = [shown(e.before), shown(e.after)];
        return { ...e, before, after, changed: changedFields(before, after) };
      }),
    };
  });

  r.post(`/api/${def.name}/:id/revert`, {
    schema: {
      tags, summary: `Bring a ${def.label} back to an earlier version (needs If-Match)`,
      description: 'Writes the attributes and geometry the item had after that version as a new version, recorded in the history as a revert by you.',
      params: idParam, body: revertInput, response: { 200: itemSchema, ...errors },
    },
  }, async (req, reply) => {
    const expected = expectedVersion(req);
    // A version is what its own entry left (after), or, for rows loaded before the history began,
    // what the next entry found (before).
    const history = await itemHistory(ctx.db, def, req.params.id);
    const own = history.find((e) => e.version === req.body.version);
    const snapshot = (own ? own.after : history.find((e) => e.version === req.body.version + 1)?.before) as Snapshot;
    if (!snapshot?.properties) {
      throw new ApiProblem(422, 'unknown_version', `${def.label} '${req.params.id}' has no version ${req.body.version} to go back to (see its history)`, 'version');
    }
    const item = await updateItem(ctx.db, def, req.params.id, expected, () => {
      const row: Record<string, unknown> = Object.fromEntries(Object.keys(writable.shape).map((k) => [k, snapshot.properties![k] ?? null]));
      row[def.idColumn] = req.params.id;
      if (spatial) row.geometry = snapshot.geometry;
      return row;
    }, writerOf(req.identity), (q, row) => runChecks(q, row, row.geometry), 'revert');
    return send(reply, 200, item);
  });
}

type Snapshot = { properties?: Record<string, unknown>; geometry?: unknown } | null;

/** Which attributes differ between two snapshots; bookkeeping fields are left out. */
function changedFields(before: unknown, after: unknown): string[] {
  const b = (before as Snapshot)?.properties ?? {};
  const a = (after as Snapshot)?.properties ?? {};
  const keys = new Set([...Object.keys(b), ...Object.keys(a)]);
  const out = [...keys].filter((k) => k !== "version" && k !== "updated_at" && JSON.stringify(b[k] ?? null) !== JSON.stringify(a[k] ?? null));
  if (JSON.stringify((before as Snapshot)?.geometry ?? null) !== JSON.stringify((after as Snapshot)?.geometry ?? null)) out.push('geometry');
  return out.sort();
}
