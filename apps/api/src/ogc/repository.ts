import type { Queryable } from '@parkatlas/db';
import type { CollectionInfo } from './catalog.ts';
import type { CrsDef } from './crs.ts';
import { featureJson, Params, selectionConditions, type Selection } from './sql.ts';

export interface FeaturePage {
  /** The page's features as GeoJSON texts, in id order. */
  features: string[];
  numberReturned: number;
  firstId?: string | number;
  lastId?: string | number;
  /** Another page follows (for `after`/`offset`) or precedes (for `before`). */
  more: boolean;
  numberMatched: number;
}

export interface PageQuery extends Selection {
  crs: CrsDef;
  limit: number;
  offset?: number;
  /** Keyset paging on the id: the page starts after, or ends before, this id. */
  after?: string | number;
  before?: string | number;
  /** resultType=hits: the count only, no features. */
  hitsOnly?: boolean;
}

/**
 * One page of features and the number matching the selection. Pages are keyset pages on the id
 * (an index scan however deep the page), or, when the client asks for it, an OFFSET.
 */
export async function listFeatures(db: Queryable, info: CollectionInfo, q: PageQuery): Promise<FeaturePage> {
  const id = `v.${info.def.idColumn}`;
  const p = new Params();
  const where = selectionConditions(info, q, p);
  // Each collection's view has exactly one row per row of its table (003_derived_views.sql joins
  // 1:1), so an unfiltered count reads the table and skips the derived columns' joins.
  const countSql = where.length
    ? `SELECT count(*)::int AS n FROM ${info.def.view} v WHERE ${where.join(' AND ')}`
    : `SELECT count(*)::int AS n FROM ${info.def.table}`;
  const countParams = [...p.values];
  const backwards = q.before !== undefined;
  if (q.after !== undefined) where.push(`${id} > ${p.add(q.after)}`);
  if (backwards) where.push(`${id} < ${p.add(q.before)}`);
  const sql =
    `SELECT ${id} AS id, ${featureJson(info, q.crs)} AS json FROM ${info.def.view} v` +
    (where.length ? ` WHERE ${where.join(' AND ')}` : '') +
    ` ORDER BY ${id} ${backwards ? 'DESC' : 'ASC'} LIMIT ${p.add(q.limit + 1)}` +
    (q.offset ? ` OFFSET ${p.add(q.offset)}` : '');
  // On a pool the two run side by side; the embedded driver queues them.
  const [page, count] = await Promise.all([
    q.hitsOnly ? { rows: [] } : db.query<{ id: string | number; json: string }>(sql, p.values),
    db.query<{ n: number }>(countSql, countParams),
  ]);
  // One row more than asked tells whether another page follows.
  let rows = page.rows;
  const more = rows.length > q.limit;
  if (more) rows = rows.slice(0, q.limit);
  if (backwards) rows.reverse();
  return {
    features: rows.map((r) => r.json),
    numberReturned: rows.length,
    firstId: rows[0]?.id,
    lastId: rows[rows.length - 1]?.id,
    more,
    numberMatched: count.rows[0].n,
  };
}

export async function getFeature(db: Queryable, info: CollectionInfo, id: string | number, crs: CrsDef): Promise<{ json: string; version: number } | undefined> {
  const r = await db.query<{ json: string; version: number }>(
    `SELECT ${featureJson(info, crs)} AS json, v.version FROM ${info.def.view} v WHERE v.${info.def.idColumn} = $1`,
    [id],
  );
  return r.rows[0];
}

export interface Extent {
  bbox: [number, number, number, number] | null;
  interval: [string | null, string | null];
}

/** The bounding box (CRS84) and the span of last-modified times of a collection. */
export async function collectionExtent(db: Queryable, info: CollectionInfo): Promise<Extent> {
  // The table, not the view: the extent needs no derived attributes.
  const r = await db.query<{ xmin: number | null; ymin: number; xmax: number; ymax: number; t0: string | null; t1: string | null }>(
    `SELECT ST_XMin(e) AS xmin, ST_YMin(e) AS ymin, ST_XMax(e) AS xmax, ST_YMax(e) AS ymax, t0, t1
     FROM (SELECT ST_Extent(geom) AS e,
                  to_json(min(updated_at)) #>> '{}' AS t0, to_json(max(updated_at)) #>> '{}' AS t1
           FROM ${info.def.table}) s`,
  );
  const x = r.rows[0];
  // Rounded outwards to 7 decimals (about 1 cm), so the box still holds every feature.
  const down = (n: number) => Math.floor(n * 1e7) / 1e7;
  const up = (n: number) => Math.ceil(n * 1e7) / 1e7;
  return {
    bbox: x.xmin === null ? null : [down(x.xmin), down(x.ymin), up(x.xmax), up(x.ymax)],
    interval: [x.t0 ? new Date(x.t0).toISOString() : null, x.t1 ? new Date(x.t1).toISOString() : null],
  };
}
