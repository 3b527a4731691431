import type { Db, Queryable } from '@parkatlas/db';
import { attributeSql, type FieldAccess, type Writer } from '../auth/visibility.ts';
import { ApiProblem, notFound } from '../errors.ts';
import type { CollectionDef } from './definition.ts';

/**
 * An item as the API shows it, already serialized by the database: a GeoJSON Feature for spatial
 * collections, the attribute object otherwise. Lists are sent as these texts joined, never parsed
 * and serialized again (7× faster than building jsonb and re-encoding it in Node).
 */
export interface Item {
  id: string | number;
  version: number;
  json: string;
  /** The value of the list's sort column, for the next page's cursor. */
  sortKey?: unknown;
}

/** An item's attributes and geometry as objects, for merging and history. */
export interface ParsedItem {
  id: string | number;
  properties: Record<string, unknown>;
  geometry: unknown;
}

export function parseItem(def: CollectionDef, item: Item): ParsedItem {
  const value = JSON.parse(item.json);
  return def.geometry ? { id: item.id, properties: value.properties, geometry: value.geometry } : { id: item.id, properties: value, geometry: null };
}

export interface ListQuery {
  access: FieldAccess;
  filters: Record<string, unknown>;
  bbox?: [number, number, number, number];
  limit: number;
  sort: { column: string; descending: boolean };
  after?: [unknown, string | number];
}

/** Collects `$n` parameters while a statement is assembled. */
class Params {
  readonly values: unknown[] = [];
  add(v: unknown): string {
    this.values.push(v);
    return `$${this.values.length}`;
  }
}

/**
 * The SELECT that serializes items. Attributes are the keys of the collection's response schema
 * that `access` may see, read from its view; geometry is GeoJSON written by PostGIS with 7 decimals
 * (about 1 cm).
 */
/** The item's attributes `access` may see, as `'name', sql` pairs for json(b)_build_object over the view `v`. */
export function attributePairs(def: CollectionDef, access: FieldAccess): string {
  return Object.keys(def.properties.shape)
    .flatMap((k) => {
      const sql = attributeSql(def, k, access);
      return sql === undefined ? [] : [`'${k}', ${sql}`];
    })
    .join(', ');
}

/** The view's geometry as GeoJSON text, to 7 decimals (about a centimetre). */
export const GEOMETRY_GEOJSON = 'ST_AsGeoJSON(v.geom, 7)';

export function selectItems(def: CollectionDef, access: FieldAccess, extra = ''): string {
  const attributes = `json_build_object(${attributePairs(def, access)})`;
  const json = def.geometry
    ? `json_build_object('type', 'Feature', 'id', v.${def.idColumn}, 'geometry', ${GEOMETRY_GEOJSON}::json, 'properties', ${attributes})::text`
    : `${attributes}::text`;
  return `SELECT v.${def.idColumn} AS id, v.version AS version, ${json} AS json${extra} FROM ${def.view} v`;
}

/** One page of a collection, filtered and sorted, with one row more than asked to tell if another page follows. */
export async function listItems(db: Queryable, def: CollectionDef, q: ListQuery): Promise<{ items: Item[]; more: boolean }> {
  const p = new Params();
  const where: string[] = [];
  for (const [name, value] of Object.entries(q.filters)) {
    if (value !== undefined) where.push(def.filters[name].sql(p.add(value)));
  }
  if (q.bbox) {
    // && lets the GiST index pick candidates; ST_Intersects keeps only true intersections.
    const env = `ST_MakeEnvelope(${p.add(q.bbox[0])}, ${p.add(q.bbox[1])}, ${p.add(q.bbox[2])}, ${p.add(q.bbox[3])}, 4326)`;
    where.push(`v.geom && ${env} AND ST_Intersects(v.geom, ${env})`);
  }
  const { column, descending } = q.sort;
  const order = descending ? 'DESC' : 'ASC';
  if (q.after) {
    // Keyset paging: the page starts after the last row of the previous one, even if rows were added.
    const cmp = descending ? '<' : '>';
    where.push(
      column === def.idColumn
        ? `v.${column} ${cmp} ${p.add(q.after[1])}`
        : `(v.${column}, v.${def.idColumn}) ${cmp} (${p.add(q.after[0])}, ${p.add(q.after[1])})`,
    );
  }
  const sql =
    selectItems(def, q.access, `, v.${column} AS "sortKey"`) +
    (where.length ? ` WHERE ${where.join(' AND ')}` : '') +
    ` ORDER BY v.${column} ${order}` +
    (column === def.idColumn ? '' : `, v.${def.idColumn} ${order}`) +
    ` LIMIT ${p.add(q.limit + 1)}`;
  const r = await db.query<Item>(sql, p.values);
  const more = r.rows.length > q.limit;
  return { items: more ? r.rows.slice(0, q.limit) : r.rows, more };
}

export async function getItem(db: Queryable, def: CollectionDef, id: string | number, access: FieldAccess = 'all'): Promise<Item | undefined> {
  const r = await db.query<Item>(`${selectItems(def, access)} WHERE v.${def.idColumn} = $1`, [id]);
  return r.rows[0];
}

/**
 * Staff limited to some parks may only touch rows in them, before and after their change (so they
 * can neither edit another park's row nor move one of theirs out).
 */
async function checkScope(q: Queryable, def: CollectionDef, id: string | number, who: Writer): Promise<void> {
  if (who.parks === null) return;
  const park = def.parkSql
    ? (await q.query<{ park: string | null }>(`SELECT (${def.parkSql}) AS park FROM ${def.view} v WHERE v.${def.idColumn} = $1`, [id])).rows[0]?.park
    : undefined;
  if (park == null || !who.parks.includes(park)) {
    const where = def.parkSql ? (park ? `is in park ${park}` : 'is in no park') : 'belongs to the whole zone';
    throw new ApiProblem(403, 'outside_scope', `${def.label} '${id}' ${where}; ${who.actor} may change only parks ${who.parks.join(', ')}`, 'park');
  }
}

/** The stored version of a row, locked until the transaction ends so no other write can slip in. */
async function lockVersion(q: Queryable, def: CollectionDef, id: string | number): Promise<number | undefined> {
  const r = await q.query<{ version: number }>(`SELECT version FROM ${def.table} WHERE ${def.idColumn} = $1 FOR UPDATE`, [id]);
  return r.rows[0]?.version;
}

/**
 * The writable columns of `row` and a SELECT producing their values: jsonb_populate_record converts
 * each JSON value to its column's type, the same way on both drivers.
 */
function rowSource(def: CollectionDef, row: Record<string, unknown>, p: Params, withGeometry: boolean) {
  const columns = Object.keys(def.input.shape).filter((c) => c in row);
  const values = columns.map((c) => `r.${c}`);
  if (withGeometry) {
    columns.push('geom');
    // Polygons are stored as MultiPolygons with counter-clockwise exterior rings (RFC 7946).
    values.push(`ST_ForcePolygonCCW(ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(${p.add(JSON.stringify(row.geometry))}::text), 4326)))`);
  }
  const from = `FROM jsonb_populate_record(NULL::${def.table}, ${p.add(JSON.stringify(row))}::jsonb) AS r`;
  return { columns, values, from };
}

async function nextVersion(q: Queryable, def: CollectionDef, id: string | number): Promise<number> {
  // A row deleted and created again continues its history rather than restarting at 1.
  const r = await q.query<{ v: number }>(
    `SELECT coalesce(max(version), 0) + 1 AS v FROM change WHERE entity = $1 AND entity_id = $2`,
    [def.table, String(id)],
  );
  return r.rows[0].v;
}

async function recordChange(
  q: Queryable,
  def: CollectionDef,
  change: { id: string | number; version: number; operation: HistoryEntry['operation']; actor: string; before?: Item; after?: Item },
): Promise<void> {
  const snapshot = (i?: Item) => {
    if (!i) return null;
    const { properties, geometry } = parseItem(def, i);
    return JSON.stringify({ properties, geometry });
  };
  await q.query(
    `INSERT INTO change (entity, entity_id, version, operation, actor, before, after)
     VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7::jsonb)`,
    [def.table, String(change.id), change.version, change.operation, change.actor, snapshot(change.before), snapshot(change.after)],
  );
}

/** Inserts a row and its history entry in one transaction; returns the item as read back. */
export async function createItem(
  db: Db,
  def: CollectionDef,
  row: Record<string, unknown>,
  who: Writer,
  check: (q: Queryable) => Promise<void>,
): Promise<Item> {
  return db.tx(async (q) => {
    await check(q);
    const p = new Params();
    const { columns, values, from } = rowSource(def, row, p, def.geometry !== undefined);
    const idGiven = def.idColumn in row;
    const version = idGiven ? await nextVersion(q, def, row[def.idColumn] as string) : 1;
    const r = await q.query<{ id: string | number }>(
      `INSERT INTO ${def.table} (${columns.join(', ')}, version)
       SELECT ${values.join(', ')}, ${p.add(version)} ${from}
       RETURNING ${def.idColumn} AS id`,
      p.values,
    );
    const id = r.rows[0].id;
    await checkScope(q, def, id, who);
    const after = (await getItem(q, def, id))!;
    await recordChange(q, def, { id, version, operation: 'create', actor: who.actor, after });
    return shownTo(q, def, id, who, after);
  });
}

/**
 * Applies a merged row to an existing item if its version is still `expectedVersion`
 * (the client's If-Match); otherwise nothing is written and 412 tells the client to reload.
 */
export async function updateItem(
  db: Db,
  def: CollectionDef,
  id: string | number,
  expectedVersion: number | '*',
  merge: (before: ParsedItem) => Record<string, unknown>,
  who: Writer,
  check: (q: Queryable, row: Record<string, unknown>) => Promise<void>,
  operation: 'update' | 'revert' = 'update',
): Promise<Item> {
  return db.tx(async (q) => {
    const current = await lockVersion(q, def, id);
    if (current === undefined) throw notFound(def.label, String(id));
    if (expectedVersion !== '*' && current !== expectedVersion) throw staleVersion(current, expectedVersion);
    await checkScope(q, def, id, who);
    const before = (await getItem(q, def, id))!;
    const row = merge(parseItem(def, before));
    await check(q, row);
    const p = new Params();
    const { columns, values, from } = rowSource(def, row, p, def.geometry !== undefined && 'geometry' in row);
    const set = columns.length ? `(${columns.join(', ')}) = (SELECT ${values.join(', ')} ${from}),` : '';
    await q.query(
      `UPDATE ${def.table} SET ${set} version = version + 1, updated_at = now() WHERE ${def.idColumn} = ${p.add(id)}`,
      p.values,
    );
    await checkScope(q, def, id, who);
    const after = (await getItem(q, def, id))!;
    await recordChange(q, def, { id, version: current + 1, operation, actor: who.actor, before, after });
    return shownTo(q, def, id, who, after);
  });
}

/** The item as its writer may see it: the full row, or read again without what they may not see. */
async function shownTo(q: Queryable, def: CollectionDef, id: string | number, who: Writer, full: Item): Promise<Item> {
  return who.access === 'all' || !def.sensitive ? full : (await getItem(q, def, id, who.access))!;
}

export async function deleteItem(db: Db, def: CollectionDef, id: string | number, expectedVersion: number | '*', who: Writer): Promise<void> {
  await db.tx(async (q) => {
    const current = await lockVersion(q, def, id);
    if (current === undefined) throw notFound(def.label, String(id));
    if (expectedVersion !== '*' && current !== expectedVersion) throw staleVersion(current, expectedVersion);
    await checkScope(q, def, id, who);
    const before = (await getItem(q, def, id))!;
    await q.query(`DELETE FROM ${def.table} WHERE ${def.idColumn} = $1`, [id]);
    await recordChange(q, def, { id, version: current + 1, operation: 'delete', actor: who.actor, before });
  });
}

function staleVersion(current: number, expected: number): ApiProblem {
  return new ApiProblem(
    412,
    'version_mismatch',
    `the item changed since you read it (your version ${expected}, now ${current}): reload it and apply your edit again`,
    'if-match',
  );
}

export interface HistoryEntry {
  version: number;
  operation: 'create' | 'update' | 'delete' | 'revert';
  actor: string;
  at: string;
  before: unknown;
  after: unknown;
}

export async function itemHistory(db: Queryable, def: CollectionDef, id: string | number): Promise<HistoryEntry[]> {
  const r = await db.query<HistoryEntry>(
    `SELECT version, operation, actor, to_jsonb(at) #>> '{}' AS at, before, after
     FROM change WHERE entity = $1 AND entity_id = $2 ORDER BY id`,
    [def.table, String(id)],
  );
  return r.rows;
}
