import type { Geometry } from 'geojson';
import type { Queryable } from '@parkatlas/db';
import { BUFFERED_BBOX_4326 } from './encode-postgis.ts';
import type { LayerSqlContext, TileLayer } from './layers.ts';
import { writeTile, type TileFeature } from './mvt-writer.ts';
import { TILE_BUFFER, TILE_EXTENT, type TileAddress } from './tile-address.ts';
import { toTileGeometry } from './tile-geometry.ts';

/**
 * The layer's rows in the buffered tile envelope as one JSON array, built by PostGIS in one string so
 * the driver converts a single value rather than thousands of rows. Each row is an array: the
 * geometry as GeoJSON, then the attributes in the layer's order (no key repeated per row).
 */
export function featureRowsSql(layer: TileLayer, ctx: LayerSqlContext): string {
  const attributes = layer.attributes.map((a) => `f.${a}`).join(', ');
  return `
    SELECT coalesce(json_agg(json_build_array(ST_AsGeoJSON(f.geom, $4::int)::json, ${attributes})), '[]')::text AS features
    FROM (${layer.sql(BUFFERED_BBOX_4326, ctx)}) f`;
}

/**
 * Decimal places of the coordinates the tile needs: a tenth of a tile unit. Longitude spans
 * 4096 × 2^z units over 360°, so z12 needs 6 places and z22 9; fewer digits make less JSON to
 * write, send and parse at the low zooms where tiles hold the most features.
 */
export function decimalsFor(z: number): number {
  return Math.min(9, Math.max(5, Math.ceil(Math.log10((TILE_EXTENT * 2 ** z) / 360)) + 1));
}

/**
 * Builds one tile where PostGIS cannot (the embedded build has no protobuf): PostGIS selects the
 * features and writes their geometry as GeoJSON; each one is projected, clipped to the buffered tile
 * and snapped to its grid as ST_AsMVTGeom would (tile-geometry.ts), and the protobuf is written
 * directly (mvt-writer.ts). An empty tile is an empty buffer.
 */
export async function encodeWithJs(db: Queryable, layer: TileLayer, t: TileAddress, ctx: LayerSqlContext): Promise<Uint8Array> {
  const r = await db.query<{ features: string }>(featureRowsSql(layer, ctx), [t.z, t.x, t.y, decimalsFor(t.z)]);
  const rows = JSON.parse(r.rows[0].features) as [Geometry | null, ...unknown[]][];
  const frame = { z: t.z, x: t.x, y: t.y, extent: TILE_EXTENT, buffer: TILE_BUFFER };
  const features: TileFeature[] = [];
  for (const row of rows) {
    const geometry = toTileGeometry(row[0], frame);
    // The row is [geometry, ...values]: drop the geometry in place rather than copy the values.
    row.shift();
    if (geometry) features.push({ geometry, values: row });
  }
  return writeTile(layer.name, layer.attributes, features, TILE_EXTENT);
}
