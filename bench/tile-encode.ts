/**
 * Where the embedded build's tile time goes: for one tile at the zone's centre per layer and zoom,
 * the features SQL (PGlite), then the JS encoder's parts: JSON parse, geometry (project, clip, snap:
 * tile-geometry.ts) and protobuf (mvt-writer.ts), each the median of --runs (default 20).
 *
 *   npx tsx bench/tile-encode.ts [--dir /tmp/parkatlas-bench-tiles-100000] [--runs 20]
 *
 * The folder is the embedded zone bench/tiles.ts loads and keeps (default above).
 */
import type { Geometry } from 'geojson';
import { migrate, openEmbedded } from '@parkatlas/db';
import { decimalsFor, featureRowsSql } from '../apps/api/src/tiles/encode-js.ts';
import { tileLayers } from '../apps/api/src/tiles/layers.ts';
import { writeTile, type TileFeature } from '../apps/api/src/tiles/mvt-writer.ts';
import { tileAt, TILE_BUFFER, TILE_EXTENT } from '../apps/api/src/tiles/tile-address.ts';
import { toTileGeometry } from '../apps/api/src/tiles/tile-geometry.ts';

const args = process.argv.slice(2);
const option = (name: string, fallback: string) => (args.includes(`--${name}`) ? args[args.indexOf(`--${name}`) + 1] : fallback);
const DIR = option('dir', '/tmp/parkatlas-bench-tiles-100000');
const RUNS = Number(option('runs', '20'));

const median = (a: number[]) => [...a].sort((x, y) => x - y)[a.length >> 1];
const time = async <T>(into: number[], f: () => T | Promise<T>): Promise<T> => {
  const t0 = performance.now();
  const out = await f();
  into.push(performance.now() - t0);
  return out;
};

const db = await openEmbedded(DIR);
await migrate(db);
const ctx = { containment: 'parcel_zone' as const };
const c = (await db.query<{ lon: number; lat: number }>(
  `SELECT ST_X(ST_Centroid(ST_Extent(geom)::geometry)) AS lon, ST_Y(ST_Centroid(ST_Extent(geom)::geometry)) AS lat FROM parcel`,
)).rows[0];
console.log(`tile-encode: ${DIR}, one tile at the zone centre per row, median of ${RUNS} (ms)\n`);
console.log('| layer | zoom | features | features SQL | JSON parse | geometry | protobuf | JS total |');
console.log('|---|---|---|---|---|---|---|---|');
for (const [name, z] of [['parcels', 14], ['parcels', 15], ['parcels', 16], ['buildings', 15], ['buildings', 16]] as const) {
  const layer = tileLayers[name];
  const t = tileAt(c.lon, c.lat, z);
  const frame = { ...t, extent: TILE_EXTENT, buffer: TILE_BUFFER };
  const ms = { sql: [] as number[], parse: [] as number[], geometry: [] as number[], write: [] as number[] };
  let n = 0;
  for (let i = 0; i < RUNS; i++) {
    const r = await time(ms.sql, () => db.query<{ features: string }>(featureRowsSql(layer, ctx), [t.z, t.x, t.y, decimalsFor(t.z)]));
    const rows = await time(ms.parse, () => JSON.parse(r.rows[0].features) as [Geometry | null, ...unknown[]][]);
    const features = await time(ms.geometry, () => {
      const out: TileFeature[] = [];
      for (const row of rows) {
        const geometry = toTileGeometry(row[0], frame);
        if (geometry) out.push({ geometry, values: row.slice(1) });
      }
      return out;
    });
    await time(ms.write, () => writeTile(layer.name, layer.attributes, features, TILE_EXTENT));
    n = features.length;
  }
  const [sql, parse, geometry, write] = [ms.sql, ms.parse, ms.geometry, ms.write].map(median);
  const f = (v: number) => v.toFixed(1);
  console.log(`| ${name} | ${z} | ${n} | ${f(sql)} | ${f(parse)} | ${f(geometry)} | ${f(write)} | ${f(parse + geometry + write)} |`);
}
await db.close();
