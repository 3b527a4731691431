import type { Queryable } from '@parkatlas/db';
import { visibleProperties, type FieldAccess } from '../auth/visibility.ts';
import type { CollectionDef } from './definition.ts';
import { selectItems } from './repository.ts';

/**
 * The zone as it stood at a past moment, from the history of writes. Every write records the item
 * before and after it, so an item's state at time T is the `before` of its first write after T (null:
 * it did not exist yet), or, when nothing was written to it since, the item as it is now. Rows loaded
 * before the history began count as having been there all along.
 */

/** `2026-03-31` means the end of that day (server time); a date-time is taken as it is. */
export function momentOf(asOf: string): { sql: string; value: string } {
  return /^\d{4}-\d{2}-\d{2}$/.test(asOf)
    ? { sql: `($P::date + 1)::timestamptz`, value: asOf }
    : { sql: `$P::timestamptz`, value: asOf };
}

type Snapshot = { properties: Record<string, unknown>; geometry: unknown };

function snapshotJson(def: CollectionDef, id: string, s: Snapshot, access: FieldAccess): string {
  const properties = visibleProperties(def, s.properties, access);
  return JSON.stringify(def.geometry ? { type: 'Feature', id: properties?.[def.idColumn] ?? id, geometry: s.geometry, properties } : properties);
}

/** One item as of a moment, serialized like a current one; undefined when it did not exist then. */
export async function itemAsOf(q: Queryable, def: CollectionDef, id: string | number, asOf: string, access: FieldAccess): Promise<string | undefined> {
  const at = momentOf(asOf);
  const later = await q.query<{ before: Snapshot | null }>(
    `SELECT before FROM change WHERE entity = $1 AND entity_id = $2 AND at > ${at.sql.replace('$P', '$3')} ORDER BY id LIMIT 1`,
    [def.table, String(id), at.value],
  );
  if (later.rows[0]) return later.rows[0].before ? snapshotJson(def, String(id), later.rows[0].before, access) : undefined;
  const now = await q.query<{ json: string }>(`${selectItems(def, access)} WHERE v.${def.idColumn} = $1`, [id]);
  return now.rows[0]?.json;
}

/** Every item of a collection as of a moment, in id order. */
export async function itemsAsOf(q: Queryable, def: CollectionDef, asOf: string, access: FieldAccess): Promise<string[]> {
  const at = momentOf(asOf);
  // The first write after the moment to each item that has one: its `before` is the item then.
  const changed = await q.query<{ entity_id: string; before: Snapshot | null }>(
    `SELECT DISTINCT ON (entity_id) entity_id, before FROM change
     WHERE entity = $1 AND at > ${at.sql.replace('$P', '$2')} ORDER BY entity_id, id`,
    [def.table, at.value],
  );
  const touched = changed.rows.map((r) => r.entity_id);
  const untouched = await q.query<{ id: string; json: string }>(
    `${selectItems(def, access)} WHERE NOT (v.${def.idColumn}::text = ANY($1::text[]))`,
    [touched],
  );
  const items = untouched.rows.map((r) => ({ id: String(r.id), json: r.json }));
  for (const r of changed.rows) if (r.before) items.push({ id: r.entity_id, json: snapshotJson(def, r.entity_id, r.before, access) });
  const numeric = def.idKind === 'int';
  items.sort((a, b) => (numeric ? Number(a.id) - Number(b.id) : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return items.map((i) => i.json);
}
