/**
 * From parsed file rows to rows a collection accepts: attribute names matched to the collection's
 * (Shapefile's 10-character cuts included, as our export makes them), values coerced to the types
 * the schema wants (CSV and dBase carry text), provenance set, each row validated by the
 * collection's own input schema. Every fault becomes a problem of its row; nothing is thrown.
 */
import type { z } from 'zod';
import type { CollectionDef } from '../collections/definition.ts';
import { unclosedRing } from '../collections/checks.ts';
import { dbfFieldNames } from '../exports/shapefile.ts';
import { gcj02ToWgs84 } from './gcj02.ts';
import { familyOf, type Geometry } from './parse/geometry.ts';
import type { ParsedFile } from './parse/types.ts';

export interface Problem {
  row: number;
  field?: string;
  code: string;
  message: string;
}

export interface PreparedRow {
  row: number;
  id: string;
  /** Input attributes, validated; the id and provenance included. */
  values: Record<string, unknown>;
  /** In the file's CRS (GCJ-02 already converted to WGS84). */
  geometry: Geometry | null;
  ok: boolean;
}

export interface Provenance {
  department?: string;
  verified_at: string;
}

type Kind = 'string' | 'number' | 'boolean' | 'array';

function kindOf(schema: z.ZodType): Kind {
  let s = schema as unknown as { _zod: { def: { type: string } }; unwrap?: () => unknown };
  while (['optional', 'nullable', 'default', 'prefault'].includes(s._zod.def.type) && s.unwrap) s = s.unwrap() as typeof s;
  const t = s._zod.def.type;
  return t === 'number' || t === 'int' ? 'number' : t === 'boolean' ? 'boolean' : t === 'array' ? 'array' : 'string';
}

const TRUE = new Set(['true', 't', '1', 'yes', 'y', '是']);
const FALSE = new Set(['false', 'f', '0', 'no', 'n', '否']);

function coerce(kind: Kind, v: unknown): unknown {
  if (v === undefined || v === null) return null;
  if (typeof v === 'string') {
    const s = v.trim();
    if (s === '') return null;
    switch (kind) {
      case 'number':
        return Number.isFinite(Number(s)) ? Number(s) : v;
      case 'boolean':
        return TRUE.has(s.toLowerCase()) ? true : FALSE.has(s.toLowerCase()) ? false : v;
      case 'array':
        if (s.startsWith('[')) {
          try {
            return JSON.parse(s);
          } catch {
            return v;
          }
        }
        return s.split(/[;,]/).map((x) => x.trim()).filter(Boolean);
      default:
        return v;
    }
  }
  if (kind === 'boolean' && typeof v === 'number') return v === 1 ? true : v === 0 ? false : v;
  if (kind === 'string' && (typeof v === 'number' || typeof v === 'bigint')) return String(v);
  return v;
}

/** Maps a file's attribute names to the collection's input keys; the rest is reported as ignored. */
export function matchFields(def: CollectionDef, file: ParsedFile): { map: Map<string, string>; ignored: string[] } {
  const input = Object.keys(def.input.shape);
  const all = Object.keys(def.properties.shape);
  const lookup = new Map<string, string>();
  for (const k of all) lookup.set(k.toLowerCase(), k);
  if (file.shortNames) dbfFieldNames(all).forEach((short, i) => lookup.set(short.toLowerCase(), all[i]));
  const map = new Map<string, string>();
  const ignored: string[] = [];
  for (const f of file.fields) {
    const key = lookup.get(f.toLowerCase());
    if (key && input.includes(key)) map.set(f, key);
    else if (!key) ignored.push(f);
  }
  return { map, ignored };
}

/** Validates and converts every row; returns rows and their problems. */
export function prepareRows(
  def: CollectionDef,
  file: ParsedFile,
  options: { gcj02: boolean; provenance: Provenance },
): { rows: PreparedRow[]; problems: Problem[]; ignoredFields: string[]; missingColumns: string[] } {
  const { map, ignored } = matchFields(def, file);
  const shape = def.input.shape as Record<string, z.ZodType>;
  // Required attributes the file has no column for: fine for rows that update a stored item (its
  // value stays), a problem for new ones (reported with the diff, when it is known which are new).
  const present = new Set(map.values());
  const missingColumns = Object.keys(shape).filter((k) => k !== def.idColumn && !present.has(k) && !shape[k].safeParse(undefined).success);
  const schema = missingColumns.length ? def.input.partial(Object.fromEntries(missingColumns.map((k) => [k, true])) as never) : def.input;
  const kinds = new Map(Object.entries(shape).map(([k, s]) => [k, kindOf(s)]));
  const acceptsNull = new Map(Object.entries(shape).map(([k, s]) => [k, s.safeParse(null).success]));
  const problems: Problem[] = [];
  const rows: PreparedRow[] = [];
  const spatial = def.geometry !== undefined;
  const seen = new Map<string, number>();
  const families = new Map<string, number>();
  for (const r of file.rows) if (r.geometry) families.set(familyOf(r.geometry.type), (families.get(familyOf(r.geometry.type)) ?? 0) + 1);
  // The family most rows have is the layer's; with more than one, the others are reported.
  const layerFamily = [...families.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];

  for (const r of file.rows) {
    const before = problems.length;
    const raw: Record<string, unknown> = {};
    for (const [f, v] of Object.entries(r.properties)) {
      const key = map.get(f);
      if (!key) continue;
      const value = coerce(kinds.get(key)!, v);
      if (value === null && !acceptsNull.get(key)) continue; // absent: the column's default applies
      raw[key] = value;
    }
    if (options.provenance.department !== undefined) raw.department = options.provenance.department;
    raw.verified_at = options.provenance.verified_at;
    const parsed = schema.safeParse(raw);
    const values = parsed.success ? (parsed.data as Record<string, unknown>) : raw;
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const field = issue.path.map(String).join('.') || undefined;
        problems.push({ row: r.row, field, code: field === def.idColumn && raw[def.idColumn] === undefined ? 'missing_code' : 'invalid_value', message: `${field ? `${field}: ` : ''}${issue.message}` });
      }
    }
    const id = typeof values[def.idColumn] === 'string' ? (values[def.idColumn] as string) : '';
    if (id) {
      const first = seen.get(id);
      if (first !== undefined) {
        problems.push({ row: r.row, field: def.idColumn, code: 'duplicate_code', message: `${def.idColumn} '${id}' is already in row ${first} of this file` });
      } else seen.set(id, r.row);
    }
    let geometry: Geometry | null = null;
    if (spatial) {
      const fail = (code: string, message: string) => problems.push({ row: r.row, field: 'geometry', code, message });
      if (r.geometryError) fail('invalid_geometry', `geometry cannot be read: ${r.geometryError}`);
      else if (!r.geometry) fail('missing_geometry', `a ${def.label} needs a geometry`);
      else {
        const family = familyOf(r.geometry.type);
        if (layerFamily && families.size > 1 && family !== layerFamily) {
          fail('mixed_geometry_types', `geometry is a ${r.geometry.type} in a file of ${layerFamily === 'Polygon' ? 'polygons' : `${layerFamily}s`}: one layer holds one geometry type`);
        } else if (family !== 'Polygon') {
          fail('wrong_geometry_type', `${def.name} are polygons, but this geometry is a ${r.geometry.type}`);
        } else {
          const open = unclosedRing(r.geometry);
          const shaped = def.geometry!.safeParse(r.geometry);
          if (open) fail('invalid_geometry', `geometry is not valid: ${open}`);
          else if (!shaped.success) fail('invalid_geometry', `geometry is not valid: ${shaped.error.issues[0].message} at ${shaped.error.issues[0].path.join('.')}`);
          else geometry = options.gcj02 ? fromGcj02(r.geometry) : r.geometry;
        }
      }
    }
    rows.push({ row: r.row, id, values, geometry, ok: problems.length === before });
  }
  return { rows, problems, ignoredFields: ignored, missingColumns };
}

function fromGcj02(g: Geometry): Geometry {
  const map = (c: unknown): unknown =>
    typeof (c as unknown[])[0] === 'number' ? gcj02ToWgs84((c as number[])[0], (c as number[])[1]) : (c as unknown[]).map(map);
  return { type: g.type, coordinates: map(g.coordinates) };
}
