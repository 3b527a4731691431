import type { FastifyRequest } from 'fastify';
import { ApiProblem } from '../errors.ts';
import type { CollectionInfo } from './catalog.ts';
import { parseBbox, parseCrs, STORAGE_CRS, type CrsDef } from './crs.ts';
import { parseCql2 } from './cql2.ts';
import type { PageQuery } from './repository.ts';
import type { Selection } from './sql.ts';

export const DEFAULT_LIMIT = 10;
export const MAX_LIMIT = 10_000;

type Query = Record<string, string | string[] | undefined>;

/** The OGC parameters of /items; a collection's own attribute filters come on top. */
const ITEM_PARAMETERS = new Set(['limit', 'offset', 'cursor', 'bbox', 'bbox-crs', 'crs', 'datetime', 'filter', 'filter-lang', 'filter-crs', 'f', 'resultType']);

/** One value of a query parameter; a repeated parameter is a 400. */
export function single(query: Query, name: string): string | undefined {
  const v = query[name];
  if (Array.isArray(v)) throw new ApiProblem(400, 'invalid_query', `${name} is given more than once`, name);
  return v;
}

/** Unknown parameters are reported, not ignored (OGC API – Features /req/core/query-param-unknown). */
export function rejectUnknown(query: Query, allowed: Set<string> | string[]): void {
  const known = allowed instanceof Set ? allowed : new Set(allowed);
  for (const name of Object.keys(query)) {
    if (!known.has(name)) throw new ApiProblem(400, 'invalid_query', `unknown query parameter '${name.slice(0, 100)}'`, name.slice(0, 100));
  }
}

/** HTML when asked for with f=html, or by a browser's Accept header when no f is given. */
export function wantsHtml(req: FastifyRequest, allowed: string[] = ['json', 'html']): boolean {
  const f = single(req.query as Query, 'f');
  if (f !== undefined) {
    if (!allowed.includes(f)) throw new ApiProblem(400, 'invalid_query', `f must be one of ${allowed.join(', ')}`, 'f');
    return f === 'html';
  }
  const accept = req.headers.accept ?? '';
  const html = accept.indexOf('text/html');
  if (html < 0) return false;
  const json = Math.min(...['application/json', 'application/geo+json'].map((t) => accept.indexOf(t)).filter((i) => i >= 0), Infinity);
  return html < json;
}

export function crsParam(query: Query, name: string): CrsDef {
  const v = single(query, name);
  return v === undefined ? STORAGE_CRS : parseCrs(v, name);
}

function integer(query: Query, name: string, min: number, max: number, fallback: number): number {
  const v = single(query, name);
  if (v === undefined) return fallback;
  if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max) {
    throw new ApiProblem(400, 'invalid_query', `${name} must be a whole number from ${min} to ${max}`, name);
  }
  return Number(v);
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * `datetime` against updated_at: an instant (a date means that whole day, UTC) or an interval
 * `start/end` where `..` or an empty side is open.
 */
export function parseDatetime(value: string): NonNullable<Selection['datetime']> {
  const bad = () => new ApiProblem(400, 'invalid_query', `datetime '${value.slice(0, 100)}' must be an RFC 3339 instant or interval such as 2024-01-01T00:00:00Z/.. or 2024-01-01/2024-06-30`, 'datetime');
  const valid = (s: string) => (RFC3339.test(s) || DATE.test(s)) && !Number.isNaN(Date.parse(s));
  const nextDay = (d: string) => new Date(Date.parse(`${d}T00:00:00Z`) + 86_400_000).toISOString();
  if (!value.includes('/')) {
    if (!valid(value)) throw bad();
    return DATE.test(value) ? { start: `${value}T00:00:00Z`, end: nextDay(value), endExclusive: true } : { instant: value };
  }
  const [a, b, ...rest] = value.split('/');
  if (rest.length) throw bad();
  const open = (s: string) => s === '' || s === '..';
  if (open(a) && open(b)) return {};
  if ((!open(a) && !valid(a)) || (!open(b) && !valid(b))) throw bad();
  const start = open(a) ? undefined : DATE.test(a) ? `${a}T00:00:00Z` : a;
  const end = open(b) ? undefined : DATE.test(b) ? nextDay(b) : b;
  if (start && end && Date.parse(start) > Date.parse(end)) throw bad();
  return { start, end, endExclusive: !open(b) && DATE.test(b) };
}

function decodeCursor(cursor: string, info: CollectionInfo): { after?: string | number; before?: string | number } {
  try {
    const c = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    const key = c.a ?? c.b;
    const okType = info.def.idKind === 'int' ? Number.isInteger(key) : typeof key === 'string';
    if (c.c === info.def.name && okType) return c.a !== undefined ? { after: key } : { before: key };
  } catch {
    // reported below
  }
  throw new ApiProblem(400, 'invalid_cursor', 'cursor is not one this collection returned: follow the links, or start again without it', 'cursor');
}

export function encodeCursor(info: CollectionInfo, side: 'a' | 'b', id: string | number): string {
  return Buffer.from(JSON.stringify({ c: info.def.name, [side]: id })).toString('base64url');
}

/** Everything /items understands, checked; the collection's filters parsed by their own schemas. */
export function parseItemsQuery(query: Query, info: CollectionInfo, queryablesUrl: string): PageQuery & { usesOffset: boolean } {
  rejectUnknown(query, new Set([...ITEM_PARAMETERS, ...Object.keys(info.def.filters)]));
  const crs = crsParam(query, 'crs');
  const bboxCrs = crsParam(query, 'bbox-crs');
  const filterCrs = crsParam(query, 'filter-crs');
  const bboxText = single(query, 'bbox');
  if (bboxText === undefined && single(query, 'bbox-crs') !== undefined) {
    throw new ApiProblem(400, 'invalid_query', 'bbox-crs is given without bbox', 'bbox-crs');
  }
  const filters: Record<string, unknown> = {};
  for (const [name, f] of Object.entries(info.def.filters)) {
    const v = single(query, name);
    if (v === undefined) continue;
    const parsed = f.schema.safeParse(v);
    if (!parsed.success) throw new ApiProblem(400, 'invalid_query', `${name}: ${parsed.error.issues[0]?.message ?? 'is not valid'}`, name);
    filters[name] = parsed.data;
  }
  const lang = single(query, 'filter-lang');
  if (lang !== undefined && lang !== 'cql2-text' && lang !== 'cql-text') {
    throw new ApiProblem(400, 'invalid_query', `filter-lang '${lang.slice(0, 50)}' is not supported: use cql2-text`, 'filter-lang');
  }
  const filterText = single(query, 'filter');
  const datetime = single(query, 'datetime');
  const cursor = single(query, 'cursor');
  const offset = integer(query, 'offset', 0, 10_000_000, 0);
  if (cursor !== undefined && offset > 0) throw new ApiProblem(400, 'invalid_query', 'give either cursor or offset, not both', 'offset');
  const resultType = single(query, 'resultType');
  if (resultType !== undefined && resultType !== 'results' && resultType !== 'hits') {
    throw new ApiProblem(400, 'invalid_query', 'resultType must be results or hits', 'resultType');
  }
  return {
    crs,
    hitsOnly: resultType === 'hits',
    // A limit above the maximum is clamped, not refused (OGC API – Features 1.0.1, /req/core/fc-limit-response).
    limit: Math.min(integer(query, 'limit', 1, Number.MAX_SAFE_INTEGER, DEFAULT_LIMIT), MAX_LIMIT),
    offset,
    usesOffset: single(query, 'offset') !== undefined,
    ...(cursor !== undefined ? decodeCursor(cursor, info) : {}),
    filters,
    bbox: bboxText === undefined ? undefined : parseBbox(bboxText, bboxCrs),
    bboxCrs,
    datetime: datetime === undefined ? undefined : parseDatetime(datetime),
    cql: filterText === undefined ? undefined : { node: parseCql2(filterText), filterCrs, source: filterText, queryablesUrl },
  };
}

