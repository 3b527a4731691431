/**
 * The rows of an export, read in chunks so that a zone of 100,000 parcels never sits in memory at
 * once. First the ids of the whole selection are read in list order (one sorted query, ids only);
 * then the items are read a chunk of ids at a time through the primary key, with the selection
 * applied again, so a row changed meanwhile is shown as it is now or left out if it no longer
 * matches. Between chunks other requests run: the embedded database serves one query at a time.
 */
import type { Queryable } from '@parkatlas/db';
import type { CollectionInfo } from '../ogc/catalog.ts';
import { Params, propertiesJson, selectionConditions, type Selection } from '../ogc/sql.ts';

export const CHUNK_ROWS = 1000;

export interface ExportRow {
  id: string | number;
  /** The attributes as JSON text, serialized by PostgreSQL (numbers as numbers, dates as strings). */
  props: string;
  /** The geometry as the format needs it: WKT, WKB, KML, or a whole GeoJSON Feature. */
  geom: unknown;
}

export interface ExportQuery extends Selection {
  sort: { column: string; descending: boolean };
}

/** SQL turning the stored geometry `v.geom` into what a format writes. */
export type GeometryOutput = string | null;

/** The ids of the selection in list order (the REST list's order: sort column, then id). */
export async function selectionIds(db: Queryable, info: CollectionInfo, q: ExportQuery): Promise<(string | number)[]> {
  const p = new Params();
  const where = selectionConditions(info, q, p);
  const id = `v.${info.def.idColumn}`;
  const order = q.sort.descending ? 'DESC' : 'ASC';
  const r = await db.query<{ id: string | number }>(
    `SELECT ${id} AS id FROM ${info.def.view} v${where.length ? ` WHERE ${where.join(' AND ')}` : ''}` +
      ` ORDER BY v.${q.sort.column} ${order}${q.sort.column === info.def.idColumn ? '' : `, ${id} ${order}`}`,
    p.values,
  );
  return r.rows.map((x) => x.id);
}

/** Reads the selection chunk by chunk, in list order; `geometry` is SQL over `v.geom` (or null). */
export async function* exportRows(db: Queryable, info: CollectionInfo, q: ExportQuery, geometry: GeometryOutput, ids?: (string | number)[]): AsyncGenerator<ExportRow[]> {
  const all = ids ?? (await selectionIds(db, info, q));
  const idType = info.def.idKind === 'int' ? 'bigint' : 'text';
  for (let i = 0; i < all.length; i += CHUNK_ROWS) {
    const chunk = all.slice(i, i + CHUNK_ROWS);
    const p = new Params();
    const where = selectionConditions(info, q, p);
    where.push(`v.${info.def.idColumn} = ANY(${p.add(chunk)}::${idType}[])`);
    const r = await db.query<ExportRow>(
      `SELECT v.${info.def.idColumn} AS id, ${propertiesJson(info)}::text AS props, ${geometry ?? 'NULL'} AS geom
       FROM ${info.def.view} v WHERE ${where.join(' AND ')}`,
      p.values,
    );
    const byId = new Map(r.rows.map((row) => [String(row.id), row]));
    const rows: ExportRow[] = [];
    for (const id of chunk) {
      const row = byId.get(String(id));
      if (row) rows.push(row);
    }
    yield rows;
  }
}

/** A bytea value as a Buffer, whichever driver read it. */
export function asBuffer(value: unknown): Buffer {
  if (Buffer.isBuffer(value)) return value;
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  if (typeof value === 'string' && value.startsWith('\\x')) return Buffer.from(value.slice(2), 'hex');
  throw new Error(`expected binary geometry, got ${typeof value}`);
}
