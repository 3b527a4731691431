import { gunzipSync } from 'node:zlib';
import { VectorTile, type VectorTileFeature } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Db, QueryResult } from '@parkatlas/db';
import { LayerVersions } from '../src/tiles/layer-versions.ts';
import { TILE_LAYERS, tileLayers, type TileLayerName } from '../src/tiles/layers.ts';
import { tileAt, TILE_BUFFER, TILE_EXTENT } from '../src/tiles/tile-address.ts';
import { ENTRY_OVERHEAD, TileCache } from '../src/tiles/tile-cache.ts';
import { TileService } from '../src/tiles/tile-service.ts';
import { startTestApp, type TestApp } from './support/app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t?.close());

interface DecodedFeature {
  type: number;
  properties: Record<string, unknown>;
  /** [minX, minY, maxX, maxY] in tile units. */
  bbox: number[];
  feature: VectorTileFeature;
}

function decode(body: Uint8Array): Record<string, DecodedFeature[]> {
  const tile = new VectorTile(new PbfReader(body));
  return Object.fromEntries(
    Object.entries(tile.layers).map(([name, layer]) => {
      const features: DecodedFeature[] = [];
      for (let i = 0; i < layer.length; i++) {
        const f = layer.feature(i);
        features.push({ type: f.type, properties: { ...f.properties }, bbox: f.bbox(), feature: f });
      }
      return [name, features];
    }),
  );
}

const url = (layer: string, z: number, x: number, y: number) => `/api/tiles/${layer}/${z}/${x}/${y}.mvt`;

/** [west, south, east, north] of a tile grown by `buffer` tile units on each side. */
function bounds(z: number, x: number, y: number, buffer = 0): [number, number, number, number] {
  const n = 2 ** z;
  const b = buffer / TILE_EXTENT;
  const lon = (i: number) => (i / n) * 360 - 180;
  const lat = (j: number) => (Math.atan(Math.sinh(Math.PI * (1 - (2 * j) / n))) * 180) / Math.PI;
  return [lon(x - b), lat(y + 1 + b), lon(x + 1 + b), lat(y - b)];
}

async function one<T>(sql: string, params: unknown[] = []): Promise<T> {
  const r = await t.db.query<T>(sql, params);
  return r.rows[0];
}

/** A parcel of the fixture with the point inside it. */
async function someParcel(where = 'true'): Promise<{ code: string; lon: number; lat: number; version: number }> {
  return one(`SELECT code, ST_X(label_point) AS lon, ST_Y(label_point) AS lat, version FROM parcel WHERE ${where} ORDER BY code LIMIT 1`);
}

async function getTile(layer: string, z: number, x: number, y: number, headers: Record<string, string> = {}) {
  return t.app.inject({ url: url(layer, z, x, y), headers });
}

describe('GET /api/tiles/{layer}/{z}/{x}/{y}.mvt', () => {
  it('answers each layer as a Mapbox Vector Tile whose only layer bears the URL name', async () => {
    const pointIn: Record<TileLayerName, string> = {
      parks: 'SELECT ST_PointOnSurface(geom) AS g FROM park',
      areas: 'SELECT ST_PointOnSurface(geom) AS g FROM area',
      corridors: 'SELECT ST_PointOnSurface(geom) AS g FROM corridor',
      labels: 'SELECT ST_PointOnSurface(geom) AS g FROM park',
      basemap: "SELECT ST_PointOnSurface(geom) AS g FROM basemap_feature WHERE kind = 'road'",
      parcels: 'SELECT label_point AS g FROM parcel',
      buildings: 'SELECT ST_PointOnSurface(geom) AS g FROM building',
      floors: 'SELECT ST_PointOnSurface(geom) AS g FROM building',
    };
    for (const layer of TILE_LAYERS) {
      const at = await one<{ lon: number; lat: number }>(`SELECT ST_X(g) AS lon, ST_Y(g) AS lat FROM (${pointIn[layer]} LIMIT 1) s`);
      const z = Math.max(14, tileLayers[layer].minzoom);
      const { x, y } = tileAt(at.lon, at.lat, z);
      const res = await getTile(layer, z, x, y);
      expect(res.statusCode, `${layer}: ${res.body}`).toBe(200);
      expect(res.headers['content-type']).toBe('application/vnd.mapbox-vector-tile');
      const layers = decode(res.rawPayload);
      expect(Object.keys(layers)).toEqual([layer]);
      expect(layers[layer].length, layer).toBeGreaterThan(0);
      for (const f of layers[layer]) {
        expect(Object.keys(f.properties).every((k) => tileLayers[layer].attributes.includes(k)), layer).toBe(true);
      }
    }
  });

  it('carries the same parcels with the same attributes as /api/parcels over the tile', async () => {
    const p = await someParcel();
    const z = 15;
    const { x, y } = tileAt(p.lon, p.lat, z);
    const tile = decode((await getTile('parcels', z, x, y)).rawPayload).parcels;
    const list = async (b: number[]) =>
      (await t.app.inject(`/api/parcels?limit=10000&bbox=${b.join(',')}`)).json().features as { id: string; properties: Record<string, unknown> }[];
    const inside = await list(bounds(z, x, y));
    const nearby = new Set((await list(bounds(z, x, y, TILE_BUFFER + 1))).map((f) => f.id));
    const byCode = new Map(tile.map((f) => [f.properties.code as string, f]));
    expect(inside.length).toBeGreaterThan(0);
    expect(byCode.size).toBe(tile.length);
    for (const f of inside) {
      const got = byCode.get(f.id);
      expect(got, `parcel ${f.id} missing from the tile`).toBeDefined();
      for (const k of tileLayers.parcels.attributes) {
        expect(got!.properties[k] ?? null, `${f.id}.${k}`).toEqual(f.properties[k] ?? null);
      }
      expect(got!.type).toBe(3);
    }
    // Nothing from beyond the tile's buffer.
    for (const code of byCode.keys()) expect(nearby.has(code), `${code} is beyond the buffer`).toBe(true);
  });

  it("places a parcel's geometry where the parcel is (within a tile unit)", async () => {
    const p = await someParcel();
    const z = 16;
    const { x, y } = tileAt(p.lon, p.lat, z);
    const f = decode((await getTile('parcels', z, x, y)).rawPayload).parcels.find((g) => g.properties.code === p.code)!;
    const extent = await one<{ w: number; s: number; e: number; n: number }>(
      `SELECT ST_XMin(g) AS w, ST_YMin(g) AS s, ST_XMax(g) AS e, ST_YMax(g) AS n
       FROM (SELECT ST_Intersection(geom, ST_Transform(ST_TileEnvelope($2, $3, $4, margin => ${TILE_BUFFER / TILE_EXTENT}), 4326)) AS g FROM parcel WHERE code = $1) s`,
      [p.code, z, x, y],
    );
    const geo = f.feature.toGeoJSON(x, y, z).geometry as { coordinates: number[][][] | number[][][][] };
    const flat = JSON.stringify(geo.coordinates).match(/-?\d+\.\d+/g)!.map(Number);
    const lons = flat.filter((_, i) => i % 2 === 0);
    const lats = flat.filter((_, i) => i % 2 === 1);
    const unit = 360 / 2 ** z / TILE_EXTENT;
    expect(Math.abs(Math.min(...lons) - extent.w)).toBeLessThan(unit * 1.5);
    expect(Math.abs(Math.max(...lons) - extent.e)).toBeLessThan(unit * 1.5);
    expect(Math.abs(Math.min(...lats) - extent.s)).toBeLessThan(unit * 1.5);
    expect(Math.abs(Math.max(...lats) - extent.n)).toBeLessThan(unit * 1.5);
  });

  it("carries each building's vacancy rate as /api/buildings reports it", async () => {
    const b = await one<{ code: string; lon: number; lat: number }>(
      `SELECT b.code, ST_X(ST_PointOnSurface(b.geom)) AS lon, ST_Y(ST_PointOnSurface(b.geom)) AS lat
       FROM building b WHERE EXISTS (SELECT 1 FROM unit u WHERE u.building = b.code) ORDER BY b.code LIMIT 1`,
    );
    const { x, y } = tileAt(b.lon, b.lat, 16);
    const tile = decode((await getTile('buildings', 16, x, y)).rawPayload).buildings;
    const api = (await t.app.inject(`/api/buildings?bbox=${bounds(16, x, y).join(',')}&limit=10000`)).json().features as { id: string; properties: Record<string, unknown> }[];
    expect(api.some((f) => f.id === b.code)).toBe(true);
    for (const f of api) {
      const got = tile.find((g) => g.properties.code === f.id);
      expect(got, f.id).toBeDefined();
      for (const k of ['vacancy_rate', 'floors', 'height_m', 'units', 'vacant_units', 'use', 'status', 'parcel', 'park', 'area']) {
        expect(got!.properties[k] ?? null, `${f.id}.${k}`).toEqual(f.properties[k] ?? null);
      }
    }
  });

  it("stacks one footprint per storey with that storey's vacancy (floors layer)", async () => {
    const b = await one<{ code: string; floors: number; lon: number; lat: number }>(
      `SELECT b.code, b.floors, ST_X(ST_PointOnSurface(b.geom)) AS lon, ST_Y(ST_PointOnSurface(b.geom)) AS lat
       FROM building b WHERE (SELECT count(DISTINCT floor) FROM unit u WHERE u.building = b.code AND u.floor > 0) > 1
       ORDER BY b.code LIMIT 1`,
    );
    const { x, y } = tileAt(b.lon, b.lat, 16);
    const storeys = decode((await getTile('floors', 16, x, y)).rawPayload).floors.filter((f) => f.properties.building === b.code);
    const floors = storeys.map((f) => f.properties.floor as number).sort((m, n) => m - n);
    expect(floors).toEqual(Array.from({ length: b.floors }, (_, i) => i + 1));
    const units = (await t.app.inject(`/api/units?building=${b.code}&limit=10000`)).json().items as { floor: number; area_m2: number; status: string }[];
    for (const s of storeys) {
      const p = s.properties as { floor: number; base_m: number; top_m: number; vacancy_rate?: number; units: number };
      expect(p.top_m).toBeGreaterThan(p.base_m);
      const on = units.filter((u) => u.floor === p.floor);
      expect(p.units).toBe(on.length);
      if (on.length === 0) {
        expect(p.vacancy_rate).toBeUndefined();
        continue;
      }
      const total = on.reduce((a, u) => a + u.area_m2, 0);
      const vacant = on.filter((u) => u.status === 'vacant').reduce((a, u) => a + u.area_m2, 0);
      expect(p.vacancy_rate).toBeCloseTo(vacant / total, 4);
    }
    // Storeys stack: each one starts where the one below ends (less the gap between them).
    const sorted = storeys.map((s) => s.properties as { floor: number; base_m: number; top_m: number }).sort((m, n) => m.floor - n.floor);
    for (let i = 1; i < sorted.length; i++) expect(sorted[i].base_m).toBeGreaterThanOrEqual(sorted[i - 1].top_m);
  });

  it('answers 204 with an ETag where there is nothing, and below the layer’s first zoom', async () => {
    const far = tileAt(0.5, 0.5, 14);
    const empty = await getTile('parcels', 14, far.x, far.y);
    expect(empty.statusCode).toBe(204);
    expect(empty.rawPayload.length).toBe(0);
    expect(empty.headers.etag).toMatch(/^W\/".+"$/);
    const p = await someParcel();
    const low = tileAt(p.lon, p.lat, tileLayers.parcels.minzoom - 1);
    expect((await getTile('parcels', low.z, low.x, low.y)).statusCode).toBe(204);
    const ok = tileAt(p.lon, p.lat, tileLayers.parcels.minzoom);
    expect((await getTile('parcels', ok.z, ok.x, ok.y)).statusCode).toBe(200);
  });

  it.each([
    ['/api/tiles/roads/14/0/0.mvt', 'unknown_layer', 'layer'],
    ['/api/tiles/parcels/23/0/0.mvt', 'invalid_tile', 'z'],
    ['/api/tiles/parcels/-1/0/0.mvt', 'invalid_tile', 'z'],
    ['/api/tiles/parcels/3/8/0.mvt', 'invalid_tile', 'x'],
    ['/api/tiles/parcels/3/0/8.mvt', 'invalid_tile', 'y'],
    ['/api/tiles/parcels/14/1.5/0.mvt', 'invalid_tile', 'x'],
    ['/api/tiles/parcels/14/0/abc.mvt', 'invalid_tile', 'y'],
    ['/api/tiles/parcels/14/0/0.mvt?color=red', 'invalid_query', 'color'],
  ])('answers %s with 400 %s', async (path, code, field) => {
    const res = await t.app.inject(path);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: { code, field } });
  });

  it('answers 304 to If-None-Match with the current ETag, without a body', async () => {
    const p = await someParcel();
    const { x, y } = tileAt(p.lon, p.lat, 15);
    const first = await getTile('parcels', 15, x, y);
    expect(first.statusCode).toBe(200);
    expect(first.headers['cache-control']).toMatch(/no-cache/);
    const etag = first.headers.etag as string;
    const again = await getTile('parcels', 15, x, y, { 'if-none-match': etag });
    expect(again.statusCode).toBe(304);
    expect(again.rawPayload.length).toBe(0);
    expect(again.headers.etag).toBe(etag);
    expect((await getTile('parcels', 15, x, y, { 'if-none-match': 'W/"other"' })).statusCode).toBe(200);
  });

  it('sends gzip to clients that accept it, the same tile once inflated', async () => {
    const p = await someParcel();
    const { x, y } = tileAt(p.lon, p.lat, 14);
    const plain = await getTile('parcels', 14, x, y);
    const zipped = await getTile('parcels', 14, x, y, { 'accept-encoding': 'gzip, deflate, br' });
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.headers.vary).toMatch(/Accept-Encoding/i);
    expect(zipped.rawPayload.length).toBeLessThan(plain.rawPayload.length);
    expect(Buffer.compare(gunzipSync(zipped.rawPayload), plain.rawPayload)).toBe(0);
  });

  it('changes the ETag and content of the tiles a parcel write touches, and only those layers', async () => {
    const p = await someParcel(`status <> 'reserved'`);
    const { x, y } = tileAt(p.lon, p.lat, 16);
    const before = await getTile('parcels', 16, x, y);
    const parksBefore = await getTile('parks', 16, x, y);
    const res = await t.staff.inject({
      method: 'PATCH',
      url: `/api/parcels/${p.code}`,
      headers: { 'if-match': `"${p.version}"` },
      payload: { properties: { status: 'reserved' } },
    });
    expect(res.statusCode, res.body).toBe(200);
    const after = await getTile('parcels', 16, x, y, { 'if-none-match': before.headers.etag as string });
    expect(after.statusCode).toBe(200);
    expect(after.headers.etag).not.toBe(before.headers.etag);
    expect(decode(after.rawPayload).parcels.find((f) => f.properties.code === p.code)!.properties.status).toBe('reserved');
    // Parks do not show parcels: their tiles keep their ETag and still answer 304.
    const parksAfter = await getTile('parks', 16, x, y, { 'if-none-match': parksBefore.headers.etag as string });
    expect(parksAfter.statusCode).toBe(304);
  });

  it("changes a building tile's vacancy when one of its units is reserved", async () => {
    const u = await one<{ code: string; building: string; version: number; lon: number; lat: number }>(
      `SELECT u.code, u.building, u.version, ST_X(ST_PointOnSurface(b.geom)) AS lon, ST_Y(ST_PointOnSurface(b.geom)) AS lat
       FROM unit_api u JOIN building b ON b.code = u.building WHERE u.status = 'vacant' ORDER BY u.code LIMIT 1`,
    );
    const { x, y } = tileAt(u.lon, u.lat, 16);
    const rate = (body: Uint8Array) => decode(body).buildings.find((f) => f.properties.code === u.building)!.properties.vacancy_rate as number;
    const before = await getTile('buildings', 16, x, y);
    const res = await t.staff.inject({
      method: 'PATCH',
      url: `/api/units/${u.code}`,
      headers: { 'if-match': `"${u.version}"` },
      payload: { reserved: true },
    });
    expect(res.statusCode, res.body).toBe(200);
    const after = await getTile('buildings', 16, x, y, { 'if-none-match': before.headers.etag as string });
    expect(after.statusCode).toBe(200);
    expect(rate(after.rawPayload)).toBeLessThan(rate(before.rawPayload));
    const api = (await t.app.inject(`/api/buildings/${u.building}`)).json();
    expect(rate(after.rawPayload)).toBe(api.properties.vacancy_rate);
  });

  it('serves a repeated tile from memory without asking the database for its features', async () => {
    const counted: string[] = [];
    const counting: Db = {
      ...t.db,
      kind: t.db.kind,
      query: <T>(sql: string, params?: unknown[]): Promise<QueryResult<T>> => {
        counted.push(sql);
        return t.db.query<T>(sql, params);
      },
    };
    const service = await TileService.create(counting, { engine: 'js' });
    const p = await someParcel();
    const address = { layer: 'parcels' as const, ...tileAt(p.lon, p.lat, 15) };
    const first = await service.tile(address, await service.state(address));
    counted.length = 0;
    const [a, b] = await Promise.all([1, 2].map(async () => service.tile(address, await service.state(address))));
    expect(a).toBe(first);
    expect(b).toBe(first);
    // No tile query, and within a second of the last look not even a version look-up.
    expect(counted).toEqual([]);
    expect(service.cache.hits).toBeGreaterThanOrEqual(2);
    // After a write this process answered, the next request looks at the change log again.
    service.versions.writeSeen();
    await service.tile(address, await service.state(address));
    expect(counted.length).toBeGreaterThan(0);
    expect(counted.every((sql) => /FROM change/.test(sql))).toBe(true);
  });

  it('answers a new tile with a fast gzip, then keeps a smaller one for the later answers', async () => {
    // The zone's busiest z14 tile: big enough for level 6 to beat level 1.
    const points = (await t.db.query<{ lon: number; lat: number }>('SELECT ST_X(label_point) AS lon, ST_Y(label_point) AS lat FROM parcel')).rows;
    const perTile = new Map<string, number>();
    for (const q of points) {
      const k = JSON.stringify(tileAt(q.lon, q.lat, 14));
      perTile.set(k, (perTile.get(k) ?? 0) + 1);
    }
    const busiest = [...perTile].sort((a, b) => b[1] - a[1])[0][0];
    const address = { layer: 'parcels' as const, ...(JSON.parse(busiest) as ReturnType<typeof tileAt>) };
    const service = await TileService.create(t.db, { engine: 'js' });
    const entry = await service.tile(address, await service.state(address));
    const first = await service.gzipped(address, entry);
    expect(Buffer.compare(gunzipSync(first), entry.body)).toBe(0);
    // The level-6 form replaces the first in the background; the cache counts its size, not the first's.
    await vi.waitFor(async () => expect(await service.gzipped(address, entry)).not.toBe(first));
    const kept = await service.gzipped(address, entry);
    expect(kept.byteLength).toBeLessThan(first.byteLength);
    expect(Buffer.compare(gunzipSync(kept), entry.body)).toBe(0);
    expect(entry.gzipBytes).toBe(kept.byteLength);
    expect(service.cache.byteSize).toBe(entry.body.byteLength + kept.byteLength + ENTRY_OVERHEAD);
    // With the cache off nothing is kept, so the tile is not compressed twice.
    const uncached = await TileService.create(t.db, { engine: 'js', cacheBytes: 0 });
    const once = await uncached.tile(address, await uncached.state(address));
    const zipped = await uncached.gzipped(address, once);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await uncached.gzipped(address, once)).toBe(zipped);
  });

  it('keeps the most recently used tiles within its byte budget, and misses at another version', () => {
    const cache = new TileCache(3 * 1200);
    const tile = (version: string) => ({ version, body: new Uint8Array(1000) });
    cache.set('a', tile('1'));
    cache.set('b', tile('1'));
    cache.set('c', tile('1'));
    expect(cache.get('a', '1')).toBeDefined(); // a is now the most recently used
    cache.set('d', tile('1'));
    expect(cache.get('b', '1')).toBeUndefined(); // b was the least recently used
    expect(cache.get('a', '1')).toBeDefined();
    expect(cache.get('d', '1')).toBeDefined();
    expect(cache.get('d', '2')).toBeUndefined();
    expect(cache.byteSize).toBeLessThanOrEqual(3 * 1200);
  });

  it('sees a change that committed after a later one (a lower id appearing late)', async () => {
    // maxAgeMs 0: look at the change log on every call, as these rows are written behind the API's back.
    const versions = new LayerVersions(t.db, 0);
    const layers = [tileLayers.parks, tileLayers.floors];
    const [parks0, floors0] = await versions.current(layers);
    const { m } = await one<{ m: number }>('SELECT coalesce(max(id), 0)::int AS m FROM change');
    const insert = (id: number, entity: string) =>
      t.db.query(
        `INSERT INTO change (id, entity, entity_id, version, operation, actor) OVERRIDING SYSTEM VALUE VALUES ($1, $2, 'X', 1, 'update', 'test')`,
        [id, entity],
      );
    await insert(m + 10, 'park');
    const [parks1, floors1] = await versions.current(layers);
    expect(parks1).not.toBe(parks0);
    expect(floors1).toBe(floors0);
    // id m+5 < m+10: it does not raise the highest id, yet the unit it records changes the floors.
    await insert(m + 5, 'unit');
    const [parks2, floors2] = await versions.current(layers);
    expect(parks2).toBe(parks1);
    expect(floors2).not.toBe(floors1);
    await t.db.query(`SELECT setval(pg_get_serial_sequence('change', 'id'), (SELECT max(id) FROM change))`);
  });
});

/** Features as comparable records: properties, geometry type and bounding box in tile units. */
function summary(features: DecodedFeature[]) {
  return features
    .map((f) => ({ key: JSON.stringify(Object.fromEntries(Object.entries(f.properties).sort())), type: f.type, bbox: f.bbox, feature: f.feature }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.bbox[0] - b.bbox[0] || a.bbox[1] - b.bbox[1]));
}

/** A part's vertices as text; a ring starts at its least vertex (encoders may start it anywhere). */
function canonical(part: { x: number; y: number }[], type: number): string {
  const points = part.map((p) => `${p.x},${p.y}`);
  if (type !== 3) return points.join(' ');
  const open = points.slice(0, -1);
  const start = open.indexOf([...open].sort()[0]);
  return [...open.slice(start), ...open.slice(0, start)].join(' ');
}

describe('the two tile encoders', () => {
  // ST_AsMVT exists only on a PostGIS built with protobuf: run this file with DATABASE_URL set.
  it.runIf(process.env.DATABASE_URL)('ST_AsMVT and the JS encoder decode to the same features, attributes and geometry', async () => {
    const postgis = await TileService.create(t.db, { engine: 'postgis', cacheBytes: 0 });
    const js = await TileService.create(t.db, { engine: 'js', cacheBytes: 0 });
    expect(postgis.engine).toBe('postgis');
    const places = (await t.db.query<{ lon: number; lat: number }>(
      `SELECT ST_X(ST_PointOnSurface(geom)) AS lon, ST_Y(ST_PointOnSurface(geom)) AS lat FROM building ORDER BY md5(code) LIMIT 8`,
    )).rows;
    let compared = 0;
    let shapeDiffers = 0;
    for (const place of places) {
      for (const z of [11, 12, 13, 14, 15, 16, 18]) {
        const { x, y } = tileAt(place.lon, place.lat, z);
        for (const layer of TILE_LAYERS as readonly TileLayerName[]) {
          const address = { layer, z, x, y };
          const [a, b] = await Promise.all([postgis.encode(tileLayers[layer], address), js.encode(tileLayers[layer], address)]);
          const da = summary(decode(a)[layer] ?? []);
          const db = summary(decode(b)[layer] ?? []);
          const where = `${layer} ${z}/${x}/${y}`;
          expect(db.map((f) => f.key), where).toEqual(da.map((f) => f.key));
          for (let i = 0; i < da.length; i++) {
            expect(db[i].type, where).toBe(da[i].type);
            // Both clip to the same buffered square and round to the same grid.
            for (let k = 0; k < 4; k++) expect(Math.abs(db[i].bbox[k] - da[i].bbox[k]), `${where} ${da[i].key}`).toBeLessThanOrEqual(1);
            // The same parts, and nearly always the same vertices: the JS path reads coordinates rounded to a
            // tenth of a tile unit, so a vertex can land one unit off and change which points are collinear.
            const [ga, gb] = [da[i].feature.loadGeometry(), db[i].feature.loadGeometry()];
            expect(gb.length, `${where} ${da[i].key} parts`).toBe(ga.length);
            if (ga.some((part, j) => canonical(part, da[i].type) !== canonical(gb[j], da[i].type))) shapeDiffers++;
          }
          compared += da.length;
        }
      }
    }
    expect(compared).toBeGreaterThan(100);
    expect(shapeDiffers, `features whose vertices differ, of ${compared}`).toBeLessThan(compared * 0.02);
  });

  it.runIf(!process.env.DATABASE_URL)('falls back to the JS encoder where PostGIS has no ST_AsMVT (embedded)', async () => {
    const service = await TileService.create(t.db);
    expect(t.db.kind).toBe('embedded');
    expect(service.engine).toBe('js');
  });
});
