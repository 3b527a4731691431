import type { Queryable } from '@parkatlas/db';
import type { LayerSqlContext, TileLayer } from './layers.ts';
import { TILE_BUFFER, TILE_EXTENT, type TileAddress } from './tile-address.ts';

/** The tile's envelope widened by the buffer, in EPSG:4326, from the z/x/y parameters $1–$3. */
export const BUFFERED_BBOX_4326 = `ST_Transform(ST_TileEnvelope($1::int, $2::int, $3::int, margin => ${TILE_BUFFER / TILE_EXTENT}), 4326)`;

/**
 * The tile query of a layer for PostGIS built with protobuf: z/x/y are parameters, the layer's rows
 * are picked by the geometry index against the buffered tile envelope, ST_AsMVTGeom projects,
 * clips and snaps them to the tile grid and ST_AsMVT encodes the tile.
 */
export function postgisTileSql(layer: TileLayer, ctx: LayerSqlContext): string {
  const attributes = layer.attributes.map((a) => `f.${a}`).join(', ');
  return `
    SELECT ST_AsMVT(t, $4::text, ${TILE_EXTENT}, 'geom') AS tile FROM (
      SELECT ${attributes},
             ST_AsMVTGeom(ST_Transform(f.geom, 3857), ST_TileEnvelope($1::int, $2::int, $3::int), ${TILE_EXTENT}, ${TILE_BUFFER}, true) AS geom
      FROM (${layer.sql(BUFFERED_BBOX_4326, ctx)}) f
    ) t
    WHERE t.geom IS NOT NULL`;
}

/** Builds one tile with ST_AsMVT; an empty tile is an empty buffer. */
export async function encodeWithPostgis(db: Queryable, layer: TileLayer, t: TileAddress, ctx: LayerSqlContext): Promise<Uint8Array> {
  const r = await db.query<{ tile: Uint8Array | null }>(postgisTileSql(layer, ctx), [t.z, t.x, t.y, layer.name]);
  return r.rows[0]?.tile ?? new Uint8Array(0);
}
