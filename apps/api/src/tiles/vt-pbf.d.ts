// vt-pbf 3 ships no types; this is the part ParkAtlas uses.
declare module 'vt-pbf' {
  import type { LegacyTile } from 'geojson-vt';

  /** Serializes geojson-vt tiles (one per layer name) to a Mapbox Vector Tile (protobuf). */
  export function fromGeojsonVt(layers: Record<string, LegacyTile>, options?: { version?: number; extent?: number }): Uint8Array;
  const vtpbf: { fromGeojsonVt: typeof fromGeojsonVt };
  export default vtpbf;
}
