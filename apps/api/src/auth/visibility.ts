import type { CollectionDef } from '../collections/definition.ts';
import { ApiProblem } from '../errors.ts';
import { can, type Identity } from './identity.ts';

/**
 * Which sensitive fields (enterprise revenue, tax, employees, contacts; lease rents) a reader sees:
 * all of them, none (the public, investors, read-only keys), or only those of rows in some parks
 * (staff limited to their parks). Public fields are the same for everyone.
 *
 * Hidden fields are left out of every output (the key is absent, not null), and may not be filtered,
 * sorted or queried on either: a filter on a hidden value would reveal it one question at a time.
 */
export type FieldAccess = 'all' | 'none' | { parks: readonly string[] };

export function fieldAccess(who: Identity): FieldAccess {
  if (!can(who, 'read-sensitive')) return 'none';
  return who.parks === null ? 'all' : { parks: who.parks };
}

const isSensitive = (def: CollectionDef, name: string) => def.sensitive?.includes(name) ?? false;

/** Park codes are checked against the park table and match [A-Za-z0-9_-], so they are safe as a literal. */
const parkList = (parks: readonly string[]) => `ARRAY[${parks.map((p) => `'${p.replace(/'/g, "''")}'`).join(', ')}]::text[]`;

/**
 * The SQL for attribute `name` of the collection's view `v` as `access` may see it, or undefined
 * when the attribute is hidden. Staff limited to some parks see a sensitive value only on rows in
 * those parks (NULL elsewhere).
 */
export function attributeSql(def: CollectionDef, name: string, access: FieldAccess): string | undefined {
  if (!isSensitive(def, name) || access === 'all') return `v.${name}`;
  if (access === 'none' || !def.parkSql) return undefined;
  return `CASE WHEN (${def.parkSql}) = ANY(${parkList(access.parks)}) THEN v.${name} END`;
}

/** The attributes `access` may filter or query on: sensitive ones only with access to all of them. */
export function mayQuery(def: CollectionDef, name: string, access: FieldAccess): boolean {
  return access === 'all' || !isSensitive(def, name);
}

/** Refuses a list filter on a hidden attribute (e.g. min_employees for the public). */
export function checkFilters(def: CollectionDef, filters: Record<string, unknown>, access: FieldAccess): void {
  if (access === 'all') return;
  for (const [name, value] of Object.entries(filters)) {
    if (value !== undefined && def.filters[name]?.sensitive) {
      throw new ApiProblem(403, 'sensitive_filter', `the filter '${name}' reads a sensitive field: it needs the read-sensitive permission`, name);
    }
  }
}

/** A stored snapshot's attributes (history before/after) as `access` may see them. */
export function visibleProperties(def: CollectionDef, properties: Record<string, unknown> | null, access: FieldAccess): Record<string, unknown> | null {
  if (!properties || access === 'all' || !def.sensitive) return properties;
  const inScope = typeof access === 'object' && typeof properties.park === 'string' && access.parks.includes(properties.park);
  if (inScope) return properties;
  const out = { ...properties };
  for (const name of def.sensitive) delete out[name];
  return out;
}

/** Who writes, as the repository needs to know: the name for the history, the row scope, and what the answer may show. */
export interface Writer {
  actor: string;
  parks: readonly string[] | null;
  access: FieldAccess;
}

export const writerOf = (who: Identity): Writer => ({ actor: who.actor, parks: who.parks, access: fieldAccess(who) });

/** The one writer who sees and may change everything: migrations, seeds and tests of the repository. */
export const SYSTEM_WRITER = (actor: string): Writer => ({ actor, parks: null, access: 'all' });

/**
 * The parks a read covers: the one asked for (refused outside the reader's scope), else the
 * reader's parks, else (null) the whole zone. For staff-only lists such as leads.
 */
export function parksFor(who: Identity, asked: string | undefined): string[] | null {
  if (asked !== undefined) {
    if (who.parks !== null && !who.parks.includes(asked)) throw new ApiProblem(403, 'outside_scope', `${who.actor} may read parks ${who.parks.join(', ')} only`, 'park');
    return [asked];
  }
  return who.parks === null ? null : [...who.parks];
}
