/**
 * Where a tile's time goes, for one tile at the zone's centre per layer and zoom, each the median of
 * --runs (default 20), every step timed in each run in turn:
 *   - the JS encoder (what the embedded build does): the features SQL, then JSON parse, geometry
 *     (project, clip, snap: tile-geometry.ts) and protobuf (mvt-writer.ts);
 *   - on PostgreSQL also the bare ST_AsMVT SQL (the floor of issue 3's target);
 *   - gzip as a new tile's first answer is compressed (TileService's gzipFirst);
 *   - the whole uncached tile inside the server (Fastify's elapsedTime, request received → reply sent;
 *     a listening server with the tile cache off, asked over loopback by a plain keep-alive client),
 *     and what that adds to the database and encoder steps above; and a 304 inside the same server
 *     (the same request answered from its ETag, no tile made: what any request costs the server);
 *   - then, per tile, gzip level 1 on the calling thread and through zlib's thread pool, and level 6
 *     (the copy a cached tile keeps): size and time.
 *
 *   npx tsx bench/tile-encode.ts [--dir /tmp/parkatlas-bench-tiles-100000] [--runs 20]
 *   npx tsx bench/tile-encode.ts --database-url postgres://…/parkatlas_bench_tiles_100000
 *   npx tsx bench/tile-encode.ts --database-url postgres://… --dir /tmp/parkatlas-bench-tiles-100000
 *
 * Given both, it then times the embedded build's tile against the native ST_AsMVT tile inside their
 * servers (issue 3: embedded within 1.5× of native), alternately, on the centre tile and its three
 * neighbours towards the south-east at each zoom; the two databases hold the same zone.
 *
 * The zone is the one bench/tiles.ts loads and keeps (embedded folder, or PostgreSQL database).
 */
import { Agent, get } from 'node:http';
import { promisify } from 'node:util';
import { gzip as gzipCallback, gzipSync } from 'node:zlib';
import type { Geometry } from 'geojson';
import { migrate, openEmbedded, openPostgres, type Db } from '@parkatlas/db';
import { decimalsFor, featureRowsSql } from '../apps/api/src/tiles/encode-js.ts';
import { postgisTileSql } from '../apps/api/src/tiles/encode-postgis.ts';
import { tileLayers } from '../apps/api/src/tiles/layers.ts';
import { writeTile, type TileFeature } from '../apps/api/src/tiles/mvt-writer.ts';
import { tileAt, TILE_BUFFER, TILE_EXTENT } from '../apps/api/src/tiles/tile-address.ts';
import { toTileGeometry } from '../apps/api/src/tiles/tile-geometry.ts';
import { gzipFirst, type TileEngine } from '../apps/api/src/tiles/tile-service.ts';
import { tileServer } from './tile-server.ts';
import { timing } from './timing.ts';

const args = process.argv.slice(2);
const option = (name: string, fallback: string) => (args.includes(`--${name}`) ? args[args.indexOf(`--${name}`) + 1] : fallback);
const DIR = option('dir', '/tmp/parkatlas-bench-tiles-100000');
const COMPARE = args.includes('--dir') && args.includes('--database-url');
const DATABASE_URL = option('database-url', '');
const RUNS = Number(option('runs', '20'));

const median = (a: number[]) => timing(a).p50;
const gzipInPool = promisify(gzipCallback);
/** One tile per row: the zone centre's, for these layers and zooms. */
const TILES = [['parcels', 14], ['parcels', 15], ['parcels', 16], ['buildings', 15], ['buildings', 16]] as const;
const time = async <T>(into: number[], f: () => T | Promise<T>): Promise<T> => {
  const t0 = performance.now();
  const out = await f();
  into.push(performance.now() - t0);
  return out;
};

const agent = new Agent({ keepAlive: true, maxSockets: 1 });
/** GET with gzip accepted, the body read and dropped; resolves to the ETag. */
const fetchTile = (url: string, ifNoneMatch?: string) =>
  new Promise<string>((resolve, reject) => {
    const headers = { 'accept-encoding': 'gzip', ...(ifNoneMatch ? { 'if-none-match': ifNoneMatch } : {}) };
    get(url, { agent, headers }, (res) => {
      res.on('data', () => {}).on('end', () => resolve(String(res.headers.etag))).on('error', reject);
    }).on('error', reject);
  });

const db: Db = DATABASE_URL ? await openPostgres(DATABASE_URL) : await openEmbedded(DIR);
await migrate(db);
const engines: TileEngine[] = DATABASE_URL ? ['postgis', 'js'] : ['js'];
const serverMs: Record<TileEngine, number[]> = { postgis: [], js: [] };
const notModifiedMs: number[] = [];
const record = (e: TileEngine) => (ms: number, status: number) => (status === 304 ? notModifiedMs : serverMs[e]).push(ms);
const servers = Object.fromEntries(await Promise.all(engines.map(async (e) => [e, await tileServer(db, e, 0, record(e))] as const)));
const ctx = { containment: 'parcel_zone' as const };
const c = (await db.query<{ lon: number; lat: number }>(
  `SELECT ST_X(ST_Centroid(ST_Extent(geom)::geometry)) AS lon, ST_Y(ST_Centroid(ST_Extent(geom)::geometry)) AS lat FROM parcel`,
)).rows[0];
console.log(`tile-encode: ${DATABASE_URL ? 'PostgreSQL' : DIR}, one tile at the zone centre per row, median of ${RUNS} (ms)\n`);
const engineColumns = DATABASE_URL ? ' bare ST_AsMVT | server, ST_AsMVT | added to the SQL |' : '';
console.log(`| layer | zoom | features | features SQL | JSON parse | geometry | protobuf | gzip | server, JS | added to SQL + JS + gzip | 304 |${engineColumns}`);
console.log(`|---|---|---|---|---|---|---|---|---|---|---|${DATABASE_URL ? '---|---|---|' : ''}`);
const bodies: Uint8Array[] = [];
for (const [name, z] of TILES) {
  const layer = tileLayers[name];
  const t = tileAt(c.lon, c.lat, z);
  const frame = { ...t, extent: TILE_EXTENT, buffer: TILE_BUFFER };
  const url = (e: TileEngine) => `${servers[e].origin}/api/tiles/${name}/${t.z}/${t.x}/${t.y}.mvt`;
  const ms = { sql: [] as number[], parse: [] as number[], geometry: [] as number[], write: [] as number[], gzip: [] as number[], mvt: [] as number[] };
  for (const e of engines) serverMs[e].length = 0;
  notModifiedMs.length = 0;
  let n = 0;
  let body: Uint8Array = new Uint8Array(0);
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
    body = await time(ms.write, () => writeTile(layer.name, layer.attributes, features, TILE_EXTENT));
    await time(ms.gzip, () => gzipFirst(body));
    n = features.length;
    if (DATABASE_URL) await time(ms.mvt, () => db.query(postgisTileSql(layer, ctx), [t.z, t.x, t.y, layer.name]));
    for (const e of engines) await fetchTile(url(e), await fetchTile(url(e)));
  }
  bodies.push(body);
  const [sql, parse, geometry, write, gzip] = [ms.sql, ms.parse, ms.geometry, ms.write, ms.gzip].map(median);
  const js = median(serverMs.js);
  const f = (v: number) => v.toFixed(1);
  let line = `| ${name} | ${z} | ${n} | ${f(sql)} | ${f(parse)} | ${f(geometry)} | ${f(write)} | ${f(gzip)} | ${f(js)} | ${f(js - (sql + parse + geometry + write + gzip))} | ${median(notModifiedMs).toFixed(2)} |`;
  if (DATABASE_URL) {
    const [mvt, server] = [median(ms.mvt), median(serverMs.postgis)];
    line += ` ${f(mvt)} | ${f(server)} | ${f(server - mvt)} (${(((server - mvt) / mvt) * 100).toFixed(0)}%) |`;
  }
  console.log(line);
}
console.log(`\ngzip of the same tiles, median of ${RUNS}: size kB / ms\n`);
console.log('| layer | zoom | raw kB | level 1, this thread | level 1, thread pool | level 6, thread pool |');
console.log('|---|---|---|---|---|---|');
for (const [i, [name, z]] of TILES.entries()) {
  const body = bodies[i];
  const ms = { sync1: [] as number[], pool1: [] as number[], pool6: [] as number[] };
  let [kb1, kb6] = [0, 0];
  for (let r = 0; r < RUNS; r++) {
    kb1 = (await time(ms.sync1, () => gzipSync(body, { level: 1 }))).byteLength / 1024;
    await time(ms.pool1, () => gzipInPool(body, { level: 1 }));
    kb6 = (await time(ms.pool6, () => gzipInPool(body, { level: 6 }))).byteLength / 1024;
  }
  const kb = (v: number) => v.toFixed(1);
  console.log(`| ${name} | ${z} | ${kb(body.byteLength / 1024)} | ${kb(kb1)} / ${median(ms.sync1).toFixed(2)} | ${kb(kb1)} / ${median(ms.pool1).toFixed(2)} | ${kb(kb6)} / ${median(ms.pool6).toFixed(2)} |`);
}
if (COMPARE) {
  const embedded = await openEmbedded(DIR);
  await migrate(embedded);
  const embeddedMs: number[] = [];
  const embeddedServer = await tileServer(embedded, 'js', 0, (ms) => embeddedMs.push(ms));
  console.log(`\nembedded (${DIR}, JS encoder) against PostgreSQL (ST_AsMVT): the tile inside the server, four tiles a row, median of ${RUNS} each (ms)\n`);
  console.log('| layer | zoom | native, per tile | embedded, per tile | embedded ÷ native (sum of the four) |');
  console.log('|---|---|---|---|---|');
  for (const [name, z] of TILES) {
    const centre = tileAt(c.lon, c.lat, z);
    const native: number[] = [];
    const local: number[] = [];
    for (const [dx, dy] of [[0, 0], [1, 0], [0, 1], [1, 1]]) {
      const path = `/api/tiles/${name}/${z}/${centre.x + dx}/${centre.y + dy}.mvt`;
      serverMs.postgis.length = 0;
      embeddedMs.length = 0;
      for (let i = 0; i < RUNS; i++) {
        await fetchTile(servers.postgis.origin + path);
        await fetchTile(embeddedServer.origin + path);
      }
      native.push(median(serverMs.postgis));
      local.push(median(embeddedMs));
    }
    const sum = (a: number[]) => a.reduce((x, y) => x + y, 0);
    const list = (a: number[]) => a.map((v) => v.toFixed(1)).join(' · ');
    console.log(`| ${name} | ${z} | ${list(native)} | ${list(local)} | ${(sum(local) / sum(native)).toFixed(2)}× |`);
  }
  await embeddedServer.close();
  await embedded.close();
}
await Promise.all(Object.values(servers).map((s) => s.close()));
agent.destroy();
await db.close();
