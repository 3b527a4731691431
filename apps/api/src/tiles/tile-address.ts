import { ApiProblem } from '../errors.ts';
import { isTileLayerName, TILE_LAYERS, type TileLayerName } from './layers.ts';

/** Zoom levels served: the web map's range (MapLibre overzooms beyond what it asks for). */
export const MIN_ZOOM = 0;
export const MAX_ZOOM = 22;

/** Tile extent (units per tile side) and buffer (units beyond each side), the same on both encoders. */
export const TILE_EXTENT = 4096;
export const TILE_BUFFER = 64;

export interface TileAddress {
  layer: TileLayerName;
  z: number;
  x: number;
  y: number;
}

const integer = /^(0|[1-9][0-9]{0,7})$/;

/**
 * Checks a tile address from the URL; anything outside the XYZ scheme (z 0–22, x and y within
 * 0 … 2^z − 1) or an unknown layer is the client's mistake, answered 400 with the field at fault.
 */
export function parseTileAddress(raw: { layer: string; z: string; x: string; y: string }): TileAddress {
  if (!isTileLayerName(raw.layer)) {
    throw new ApiProblem(400, 'unknown_layer', `no tile layer '${raw.layer}': one of ${TILE_LAYERS.join(', ')}`, 'layer');
  }
  if (!integer.test(raw.z) || Number(raw.z) > MAX_ZOOM) {
    throw new ApiProblem(400, 'invalid_tile', `z must be an integer from ${MIN_ZOOM} to ${MAX_ZOOM}, not '${raw.z}'`, 'z');
  }
  const z = Number(raw.z);
  const last = 2 ** z - 1;
  for (const field of ['x', 'y'] as const) {
    if (!integer.test(raw[field]) || Number(raw[field]) > last) {
      throw new ApiProblem(400, 'invalid_tile', `${field} must be an integer from 0 to ${last} at zoom ${z}, not '${raw[field]}'`, field);
    }
  }
  return { layer: raw.layer, z, x: Number(raw.x), y: Number(raw.y) };
}

/** The tile's bounds in degrees, [west, south, east, north] (Web Mercator XYZ scheme). */
export function tileBounds(z: number, x: number, y: number): [number, number, number, number] {
  const n = 2 ** z;
  const lon = (i: number) => (i / n) * 360 - 180;
  const lat = (j: number) => (Math.atan(Math.sinh(Math.PI * (1 - (2 * j) / n))) * 180) / Math.PI;
  return [lon(x), lat(y + 1), lon(x + 1), lat(y)];
}

/** The tile holding a point at a zoom. */
export function tileAt(lon: number, lat: number, z: number): { z: number; x: number; y: number } {
  const n = 2 ** z;
  const x = Math.floor(((lon + 180) / 360) * n);
  const r = (lat * Math.PI) / 180;
  const y = Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * n);
  return { z, x: Math.min(n - 1, Math.max(0, x)), y: Math.min(n - 1, Math.max(0, y)) };
}
