import { z } from 'zod';
import type { Queryable } from '@parkatlas/db';

/** A query parameter that narrows a list, and the SQL condition it becomes. */
export interface Filter {
  schema: z.ZodType;
  /** The condition on the collection's view `v`; `p` is the placeholder ($n) holding the parsed value. */
  sql: (p: string) => string;
  /** The filter reads a sensitive field: only readers who see that field may use it. */
  sensitive?: boolean;
}

/** Fields whose value names a row elsewhere; their USCC or code is checked before writing. */
export type Check = (q: Queryable, row: Record<string, unknown>, geometry: unknown) => Promise<void>;

/**
 * Everything the generic routes need to serve one collection. The SQL identifiers here are
 * written by us, never taken from a request: a request picks among them by name.
 */
export interface CollectionDef {
  /** URL segment: /api/{name} */
  name: string;
  /** Table written to, and the entity name recorded in `change`. */
  table: string;
  /** The read view with the public shape (`…_api` in the migrations). */
  view: string;
  /** Human name for messages: "parcel". */
  label: string;
  idColumn: string;
  idKind: 'text' | 'int';
  /** Spatial collections read and write GeoJSON Features with this geometry schema. */
  geometry?: z.ZodType;
  /** Writable attributes (strict): the create body. */
  input: z.ZodObject;
  /** Attributes as read back. */
  properties: z.ZodObject;
  filters: Record<string, Filter>;
  /** Columns of the view a list may sort on; all NOT NULL so keyset paging is exact. */
  sortable: readonly string[];
  /** Attributes hidden from readers without read-sensitive (auth/visibility.ts). */
  sensitive?: readonly string[];
  /** SQL over the view `v` giving a row's park, for staff limited to some parks; absent: zone-wide rows. */
  parkSql?: string;
  /** Domain rules beyond the shape: codes, references, containment (422 when broken). */
  checks?: Check[];
}

/** `status=idle,available`: any of the listed values. */
export function anyOf(column: string, values: readonly [string, ...string[]] | z.ZodType<string | number>): Filter {
  const item: z.ZodType<string | number> = Array.isArray(values) ? z.enum(values as [string, ...string[]]) : (values as z.ZodType<string | number>);
  return {
    schema: z
      .string()
      .transform((s) => s.split(',').map((x) => x.trim()))
      .pipe(z.array(item).min(1) as z.ZodType<unknown, string[]>)
      .describe(`One value or several separated by commas`),
    sql: (p) => `v.${column} = ANY(${p})`,
  };
}

export function atLeast(column: string, description: string): Filter {
  return { schema: z.coerce.number().describe(description), sql: (p) => `v.${column} >= ${p}` };
}

export function atMost(column: string, description: string): Filter {
  return { schema: z.coerce.number().describe(description), sql: (p) => `v.${column} <= ${p}` };
}

export function booleanIs(column: string, description: string): Filter {
  return {
    schema: z.enum(['true', 'false']).transform((s) => s === 'true').describe(description),
    sql: (p) => `v.${column} = ${p}`,
  };
}

export function nameContains(description = 'Part of the name, Chinese or English'): Filter {
  return {
    schema: z.string().min(1).max(100).describe(description),
    // strpos, not LIKE: a % or _ typed by the user is just a character.
    sql: (p) => `(strpos(lower(v.name), lower(${p})) > 0 OR strpos(lower(coalesce(v.name_en, '')), lower(${p})) > 0)`,
  };
}
