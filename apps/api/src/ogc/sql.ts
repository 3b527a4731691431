/**
 * SQL pieces shared by the OGC API and the exports: the selection a request makes (the
 * collection's own attribute filters, bbox, CQL2, datetime) and features serialized by PostGIS.
 * Identifiers come from the collection definitions and the catalog; values are `$n` parameters.
 */
import { attributeSql } from '../auth/visibility.ts';
import type { CollectionInfo } from './catalog.ts';
import { geometryFrom, geometryIn, type CrsDef } from './crs.ts';
import { compileFilter, type FilterNode } from './cql2.ts';

/** Collects `$n` parameters while a statement is assembled. */
export class Params {
  readonly values: unknown[] = [];
  add = (v: unknown): string => {
    this.values.push(v);
    return `$${this.values.length}`;
  };
}

export interface Selection {
  /** Parsed values of the collection's documented filters (`status`, `min_area_m2` …). */
  filters?: Record<string, unknown>;
  /** [minX, minY, maxX, maxY] in the x, y order of `bboxCrs`. */
  bbox?: [number, number, number, number];
  bboxCrs?: CrsDef;
  /** Inclusive bounds on `updated_at`, ISO 8601; `end` exclusive when `endExclusive`. */
  datetime?: { start?: string; end?: string; endExclusive?: boolean; instant?: string };
  cql?: { node: FilterNode; filterCrs: CrsDef; source: string; queryablesUrl: string };
}

/** The conditions of a selection, each on the collection's view `v`. */
export function selectionConditions(info: CollectionInfo, s: Selection, p: Params): string[] {
  const where: string[] = [];
  for (const [name, value] of Object.entries(s.filters ?? {})) {
    // The same SQL as the REST list: the filter definitions are the collection's own.
    if (value !== undefined) where.push(info.def.filters[name].sql(p.add(value)));
  }
  if (s.bbox) where.push(bboxCondition(s.bbox, s.bboxCrs, p));
  if (s.datetime) {
    const d = s.datetime;
    if (d.instant) where.push(`v.updated_at = ${p.add(d.instant)}::timestamptz`);
    if (d.start) where.push(`v.updated_at >= ${p.add(d.start)}::timestamptz`);
    if (d.end) where.push(`v.updated_at ${d.endExclusive ? '<' : '<='} ${p.add(d.end)}::timestamptz`);
  }
  if (s.cql) {
    where.push(compileFilter(s.cql.node, { queryables: info.queryables, param: p.add, filterCrs: s.cql.filterCrs, queryablesUrl: s.cql.queryablesUrl, source: s.cql.source }));
  }
  return where;
}

/**
 * A bbox as a condition on the stored geometry: the box is transformed to EPSG:4326, never the
 * column, so the GiST index still picks the candidates (&&); ST_Intersects keeps true hits.
 */
export function bboxCondition(bbox: [number, number, number, number], crs: CrsDef | undefined, p: Params): string {
  const [minX, minY, maxX, maxY] = bbox.map((n) => `${p.add(n)}::float8`);
  const srid = crs?.srid ?? 4326;
  let env = `ST_MakeEnvelope(${minX}, ${minY}, ${maxX}, ${maxY}, ${srid})`;
  if (srid !== 4326) {
    // Straight edges in a projected CRS bend in degrees: densify before transforming.
    const step = Math.max(bbox[2] - bbox[0], bbox[3] - bbox[1]) / 32 || 1;
    env = geometryFrom(`ST_Segmentize(${env}, ${p.add(step)}::float8)`, { ...crs!, flip: false });
  }
  return `(v.geom && ${env} AND ST_Intersects(v.geom, ${env}))`;
}

/**
 * The attributes of an item as one JSON object, keys in the schema's order. row_to_json of a one-row
 * sub-select rather than json_build_object: the same JSON values, without the spaces around `:` and
 * after `,` (a tenth of a parcel's bytes), in half the time (json_build_object sorts out the type
 * of each of its variadic arguments on every row).
 */
export function propertiesJson(info: CollectionInfo): string {
  const columns = info.columns.map((c) => `${attributeSql(info.def, c.name, info.access)} AS "${c.name}"`);
  return `(SELECT row_to_json(a) FROM (SELECT ${columns.join(', ')}) a)`;
}

/**
 * A GeoJSON Feature as text, serialized by PostGIS. Options 0 keeps ST_AsGeoJSON from adding a
 * `crs` member for other CRSs: OGC API – Features names the CRS in the Content-Crs header.
 */
export function featureJson(info: CollectionInfo, crs: CrsDef): string {
  const { def } = info;
  // Concatenated as text: PostGIS's GeoJSON is not parsed into json and printed again (a third faster).
  const geometry = def.geometry ? `coalesce(ST_AsGeoJSON(${geometryIn('v.geom', crs)}, ${crs.decimals}, 0), 'null')` : `'null'`;
  return `('{"type":"Feature","id":' || to_json(v.${def.idColumn})::text || ',"geometry":' || ${geometry} || ',"properties":' || ${propertiesJson(info)}::text || '}')`;
}
