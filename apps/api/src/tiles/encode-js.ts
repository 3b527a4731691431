import GeoJSONVT from 'geojson-vt';
import type { FeatureCollection } from 'geojson';
import vtpbf from 'vt-pbf';
import type { Queryable } from '@parkatlas/db';
import { BUFFERED_BBOX_4326 } from './encode-postgis.ts';
import type { LayerSqlContext, TileLayer } from './layers.ts';
import { TILE_BUFFER, TILE_EXTENT, type TileAddress } from './tile-address.ts';

/**
 * The layer's rows in the buffered tile envelope as one GeoJSON feature array, built by PostGIS in
 * one string so the driver converts a single value rather than thousands of rows.
 */
export function geojsonFeaturesSql(layer: TileLayer, ctx: LayerSqlContext): string {
  const properties = layer.attributes.map((a) => `'${a}', f.${a}`).join(', ');
  return `
    SELECT coalesce(json_agg(json_build_object(
             'type', 'Feature',
             'geometry', ST_AsGeoJSON(f.geom, $4::int)::json,
             'properties', json_build_object(${properties}))), '[]')::text AS features
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
 * features and writes them as GeoJSON, geojson-vt projects and clips them to the tile exactly as
 * ST_AsMVTGeom would (same extent and buffer; no simplification, since the index's maxZoom is the
 * tile's own zoom) and vt-pbf encodes the protobuf. An empty tile is an empty buffer.
 */
export async function encodeWithJs(db: Queryable, layer: TileLayer, t: TileAddress, ctx: LayerSqlContext): Promise<Uint8Array> {
  const r = await db.query<{ features: string }>(geojsonFeaturesSql(layer, ctx), [t.z, t.x, t.y, decimalsFor(t.z)]);
  const features = JSON.parse(r.rows[0].features) as FeatureCollection['features'];
  if (features.length === 0) return new Uint8Array(0);
  const index = new GeoJSONVT(
    { type: 'FeatureCollection', features },
    { maxZoom: t.z, indexMaxZoom: 0, extent: TILE_EXTENT, buffer: TILE_BUFFER, tolerance: 3 },
  );
  const tile = index.getTile(t.z, t.x, t.y);
  if (!tile || tile.features.length === 0) return new Uint8Array(0);
  return vtpbf.fromGeojsonVt({ [layer.name]: tile }, { version: 2, extent: TILE_EXTENT });
}
