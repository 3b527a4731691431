/**
 * The database's part of a dry run, in batches of rows rather than one query per row: each
 * geometry transformed to EPSG:4326, judged by PostGIS (validity with its reason, the configured
 * extent), compared with the stored item of the same code, and, for parcels, tested for overlap
 * with existing parcels the file does not replace. Then the collection's own domain checks
 * (codes, USCC, dates, references) run row by row, with repeated lookups answered from a memo.
 */
import type { Queryable, QueryResult } from '@parkatlas/db';
import type { Extent } from '../collections/checks.ts';
import type { CollectionDef } from '../collections/definition.ts';
import { selectItems } from '../collections/repository.ts';
import { ApiProblem } from '../errors.ts';
import { wkbHex, type Geometry } from './parse/geometry.ts';
import type { PreparedRow, Problem } from './rows.ts';

export const BATCH = 1000;

/** Overlap with an existing parcel counts when larger than this, in m² (slivers from rounding don't). */
export const OVERLAP_TOLERANCE_M2 = 1;

interface GeometryFacts {
  r: number;
  valid: boolean | null;
  reason: string | null;
  xmin: number;
  ymin: number;
  xmax: number;
  ymax: number;
  wgs84: string | null;
  same: boolean | null;
  overlaps: { code: string; m2: number }[] | null;
}

/**
 * SQL judging a batch of geometries ($1 row numbers, $2 codes, $3 WKB in hex) and staging each, in
 * EPSG:4326 as the collection stores it, in `import_geometry` under the job ($4): the commit inserts
 * from there, so every geometry crosses to the database once.
 */
function geometrySql(def: CollectionDef, srid: number): string {
  const overlap =
    def.table === 'parcel'
      ? `(SELECT json_agg(json_build_object('code', o.code, 'm2', round(o.m2::numeric, 1)))
          FROM (SELECT p.code, ST_Area(ST_Intersection(p.geom, j.g)::geography) AS m2
                FROM parcel p
                WHERE j.valid AND p.geom && j.g AND ST_Relate(p.geom, j.g, 'T********') AND p.code <> j.id) o
          WHERE o.m2 > ${OVERLAP_TOLERANCE_M2})`
      : 'NULL';
  const transformed = srid === 4326 ? 'ST_SetSRID(i.raw, 4326)' : `ST_Transform(ST_SetSRID(i.raw, ${Number(srid)}), 4326)`;
  // A transformed geometry is kept as its GeoJSON at 9 decimals (≈ 0.1 mm), as the report gives it back.
  const wgs84 = srid === 4326 ? 'NULL::text' : 'ST_AsGeoJSON(g.g, 9)';
  const stored = srid === 4326 ? 'j.g' : 'ST_SetSRID(ST_GeomFromGeoJSON(j.wgs84), 4326)';
  return `
    WITH i AS (
      SELECT i.r, i.id, i.h::geometry AS raw FROM unnest($1::int[], $2::text[], $3::text[]) AS i (r, id, h)
    ), g AS (
      SELECT r, id, ${transformed} AS g FROM i
    ), j AS (
      SELECT r, id, g, ST_IsValid(g) AS valid, ${wgs84} AS wgs84 FROM g
    ), staged AS (
      INSERT INTO import_geometry (job, row_no, geom)
      SELECT $4, j.r, ST_ForcePolygonCCW(ST_Multi(${stored})) FROM j
    )
    SELECT j.r, j.valid, CASE WHEN NOT j.valid THEN ST_IsValidReason(j.g) END AS reason,
           ST_XMin(j.g) AS xmin, ST_YMin(j.g) AS ymin, ST_XMax(j.g) AS xmax, ST_YMax(j.g) AS ymax,
           j.wgs84,
           CASE WHEN t.geom IS NOT NULL AND j.valid THEN ST_HausdorffDistance(t.geom, j.g) < 2e-7 END AS same,
           ${overlap} AS overlaps
    FROM j LEFT JOIN ${def.table} t ON t.${def.idColumn} = j.id`;
}

export interface ValidationResult {
  /** Row number → stored geometry equal to the file's (within 2 cm). */
  sameGeometry: Map<number, boolean>;
}

/**
 * Runs the geometry batch; a batch PostGIS refuses outright (a geometry it cannot even parse) is
 * retried row by row so the one at fault is named and the others still judged.
 */
async function judgeGeometries(q: Queryable, job: string, def: CollectionDef, srid: number, rows: PreparedRow[]): Promise<{ facts: GeometryFacts[]; unreadable: Map<number, string> }> {
  const sql = geometrySql(def, srid);
  const params = (rs: PreparedRow[]) => [rs.map((r) => r.row), rs.map((r) => r.id), rs.map((r) => wkbHex(r.geometry!)), job];
  const unreadable = new Map<number, string>();
  try {
    return { facts: (await q.query<GeometryFacts>(sql, params(rows))).rows, unreadable };
  } catch {
    const facts: GeometryFacts[] = [];
    for (const row of rows) {
      try {
        facts.push(...(await q.query<GeometryFacts>(sql, params([row]))).rows);
      } catch (e) {
        unreadable.set(row.row, (e as Error).message);
      }
    }
    return { facts, unreadable };
  }
}

export async function validateGeometries(
  q: Queryable,
  job: string,
  def: CollectionDef,
  rows: PreparedRow[],
  srid: number,
  extent: Extent,
  problems: Problem[],
  onBatch: (done: number) => Promise<void>,
): Promise<ValidationResult> {
  const sameGeometry = new Map<number, boolean>();
  const codes = new Set(rows.map((r) => r.id).filter(Boolean));
  const withGeometry = rows.filter((r) => r.geometry);
  const [minX, minY, maxX, maxY] = extent;
  const inside = (x0: number, y0: number, x1: number, y1: number) => x0 >= minX && y0 >= minY && x1 <= maxX && y1 <= maxY;
  const byRow = new Map(rows.map((r) => [r.row, r]));
  const judge = (i: number) => judgeGeometries(q, job, def, srid, withGeometry.slice(i, i + BATCH));
  let next = withGeometry.length ? judge(0) : undefined;
  for (let i = 0; i < withGeometry.length; i += BATCH) {
    const current = next!;
    // The next batch is sent before this one's facts are read: PostgreSQL judges it (on another pooled
    // connection) while Node reads these and encodes the one after. PGlite queues the two.
    next = i + BATCH < withGeometry.length ? judge(i + BATCH) : undefined;
    next?.catch(() => undefined); // a failure surfaces when it is awaited, in its turn
    const { facts, unreadable } = await current;
    for (const [row, message] of unreadable) {
      problems.push({ row, field: 'geometry', code: 'invalid_geometry', message: `geometry cannot be read by PostGIS: ${message}` });
      byRow.get(row)!.ok = false;
    }
    for (const f of facts) {
      const row = byRow.get(f.r)!;
      const fail = (code: string, message: string) => {
        problems.push({ row: f.r, field: 'geometry', code, message });
        row.ok = false;
      };
      if (!inside(f.xmin, f.ymin, f.xmax, f.ymax)) {
        const swapped = inside(f.ymin, f.xmin, f.ymax, f.xmax);
        fail(
          'outside_extent',
          `geometry spans ${f.xmin},${f.ymin} – ${f.xmax},${f.ymax} (EPSG:4326), outside the zone's extent ${extent.join(',')}` +
            (swapped ? '; the coordinates look like latitude,longitude: files want longitude (x) first' : srid === 4326 ? '; is the crs right?' : ''),
        );
      } else if (f.valid === false) {
        fail('invalid_geometry', `geometry is not valid: ${f.reason}`);
      }
      // Parcels the file itself replaces are judged by their new geometry, not their stored one.
      const overlaps = f.overlaps?.filter((o) => !codes.has(o.code));
      if (overlaps?.length) {
        const list = overlaps.slice(0, 5).map((o) => `${o.code} (${o.m2} m²)`).join(', ');
        fail('overlaps_parcel', `the parcel overlaps existing parcel${overlaps.length > 1 ? 's' : ''} ${list}${overlaps.length > 5 ? ` and ${overlaps.length - 5} more` : ''}`);
      }
      if (f.wgs84) row.geometry = JSON.parse(f.wgs84) as Geometry;
      if (f.same !== null) sameGeometry.set(f.r, f.same);
    }
    await onBatch(Math.min(i + BATCH, withGeometry.length));
  }
  return { sameGeometry };
}

/** A Queryable that answers a repeated read (e.g. "is M1 a land-use class?") from memory. */
function memo(q: Queryable): Queryable {
  const cache = new Map<string, Promise<QueryResult<unknown>>>();
  return {
    query: <T>(sql: string, params: unknown[] = []) => {
      const key = `${sql}\u0000${JSON.stringify(params)}`;
      if (key.length > 400) return q.query<T>(sql, params);
      let hit = cache.get(key);
      if (!hit) {
        hit = q.query(sql, params);
        cache.set(key, hit);
      }
      return hit as Promise<QueryResult<T>>;
    },
  };
}

/** The collection's domain checks, each run on its own so a row reports every rule it breaks. */
export async function runDomainChecks(q: Queryable, def: CollectionDef, rows: PreparedRow[], problems: Problem[]): Promise<void> {
  const checks = def.checks ?? [];
  if (!checks.length) return;
  const m = memo(q);
  for (const row of rows) {
    if (!row.ok) continue;
    for (const check of checks) {
      try {
        await check(m, row.values, row.geometry ?? undefined);
      } catch (e) {
        if (!(e instanceof ApiProblem)) throw e;
        problems.push({ row: row.row, field: e.field, code: e.code, message: e.message });
        row.ok = false;
      }
    }
  }
}

/** Foreign keys the checks do not cover (e.g. parcel.enterprise): a value must name a stored row. */
const REFERENCES: Record<string, { field: string; table: string; column: string; what: string }[]> = {
  parcel: [{ field: 'enterprise', table: 'enterprise', column: 'uscc', what: 'enterprise' }],
  unit: [{ field: 'building', table: 'building', column: 'code', what: 'building' }],
  enterprise: [{ field: 'park', table: 'park', column: 'code', what: 'park' }],
  project: [
    { field: 'parcel', table: 'parcel', column: 'code', what: 'parcel' },
    { field: 'area', table: 'area', column: 'code', what: 'area' },
    { field: 'corridor', table: 'corridor', column: 'code', what: 'corridor' },
    { field: 'park', table: 'park', column: 'code', what: 'park' },
    { field: 'enterprise', table: 'enterprise', column: 'uscc', what: 'enterprise' },
  ],
};

export async function checkReferences(q: Queryable, def: CollectionDef, rows: PreparedRow[], problems: Problem[]): Promise<void> {
  for (const ref of REFERENCES[def.table] ?? []) {
    const values = [...new Set(rows.filter((r) => r.ok && typeof r.values[ref.field] === 'string').map((r) => r.values[ref.field] as string))];
    if (!values.length) continue;
    const found = await q.query<{ v: string }>(`SELECT ${ref.column} AS v FROM ${ref.table} WHERE ${ref.column} = ANY($1::text[])`, [values]);
    const known = new Set(found.rows.map((x) => x.v));
    for (const row of rows) {
      const v = row.values[ref.field];
      if (row.ok && typeof v === 'string' && !known.has(v)) {
        problems.push({ row: row.row, field: ref.field, code: 'unknown_reference', message: `${ref.field} '${v}' is not a stored ${ref.what}` });
        row.ok = false;
      }
    }
  }
}

export interface FieldChange {
  field: string;
  before: unknown;
  after: unknown;
}

export interface Diff {
  added: string[];
  changed: { id: string; row: number; fields: FieldChange[] }[];
  unchanged: string[];
  absent: string[];
  counts: { added: number; changed: number; unchanged: number; absent: number };
}

/** How far a diff's lists go in the job report; the counts are always complete. */
export const DIFF_LIST_LIMIT = 1000;

const PROVENANCE = new Set(['department', 'verified_at']);
const same = (a: unknown, b: unknown) => {
  if (typeof a === 'number' && typeof b === 'number') return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a));
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
};

/**
 * The upsert's diff: rows whose code is new (added), stored rows that differ field by field
 * (changed; provenance is not a change of content), equal ones (unchanged), and stored codes the
 * file does not mention (absent: an import never deletes them).
 */
export async function diffRows(
  q: Queryable,
  def: CollectionDef,
  rows: PreparedRow[],
  sameGeometry: Map<number, boolean>,
  problems: Problem[],
  missingColumns: string[],
): Promise<Diff> {
  const diff: Diff = { added: [], changed: [], unchanged: [], absent: [], counts: { added: 0, changed: 0, unchanged: 0, absent: 0 } };
  const push = <T>(list: T[], v: T) => list.length < DIFF_LIST_LIMIT && list.push(v);
  const candidates = rows.filter((r) => r.id);
  for (let i = 0; i < candidates.length; i += BATCH) {
    const batch = candidates.slice(i, i + BATCH);
    const r = await q.query<{ id: string; json: string }>(`${selectItems(def, 'all')} WHERE v.${def.idColumn} = ANY($1::text[])`, [batch.map((x) => x.id)]);
    const stored = new Map(r.rows.map((x) => [String(x.id), JSON.parse(x.json)]));
    for (const row of batch) {
      const item = stored.get(row.id);
      if (!item) {
        if (missingColumns.length && row.ok) {
          problems.push({ row: row.row, field: missingColumns[0], code: 'missing_value', message: `a new ${def.label} needs ${missingColumns.join(', ')}, which the file has no column for` });
          row.ok = false;
        }
        diff.counts.added++;
        push(diff.added, row.id);
        continue;
      }
      const props = (def.geometry ? item.properties : item) as Record<string, unknown>;
      const fields: FieldChange[] = [];
      for (const [k, v] of Object.entries(row.values)) {
        if (PROVENANCE.has(k) || k === def.idColumn) continue;
        if (!same(props[k], v)) fields.push({ field: k, before: props[k] ?? null, after: v ?? null });
      }
      if (def.geometry && row.geometry && sameGeometry.get(row.row) === false) fields.push({ field: 'geometry', before: null, after: null });
      if (fields.length) {
        diff.counts.changed++;
        push(diff.changed, { id: row.id, row: row.row, fields });
      } else {
        diff.counts.unchanged++;
        push(diff.unchanged, row.id);
      }
    }
  }
  const absent = await q.query<{ id: string; n: number }>(
    `SELECT ${def.idColumn} AS id, count(*) OVER ()::int AS n FROM ${def.table} WHERE NOT (${def.idColumn} = ANY($1::text[])) ORDER BY ${def.idColumn} LIMIT ${DIFF_LIST_LIMIT}`,
    [candidates.map((x) => x.id)],
  );
  diff.absent = absent.rows.map((x) => x.id);
  diff.counts.absent = absent.rows[0]?.n ?? 0;
  return diff;
}
