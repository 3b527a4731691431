import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tileAt } from '../src/tiles/tile-address.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { gdal } from './support/gdal.ts';

// A real client: GDAL's MVT driver reads our vector tiles over HTTP from a listening copy of the API,
// whichever encoder made them (ST_AsMVT on PostgreSQL, the JS encoder embedded).

let t: TestApp;
let base: string;
let dir: string;
beforeAll(async () => {
  t = await startTestApp();
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  dir = mkdtempSync(join(tmpdir(), 'parkatlas-tiles-gdal-'));
});
afterAll(async () => {
  await t?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

interface GdalFeature {
  properties: Record<string, unknown>;
  geometry: { type: string; coordinates: number[][][] | number[][][][] };
}

/** The tile as ogr2ogr reads it from the URL (z/x/y from the path), converted to GeoJSON in EPSG:4326. */
async function readWithGdal(layer: string, z: number, x: number, y: number): Promise<GdalFeature[]> {
  const out = join(dir, `${layer}-${z}-${x}-${y}.geojson`);
  await gdal('ogr2ogr', ['-f', 'GeoJSON', '-t_srs', 'EPSG:4326', out, `/vsicurl/${base}/api/tiles/${layer}/${z}/${x}/${y}.mvt`, layer]);
  return (JSON.parse(readFileSync(out, 'utf8')) as { features: GdalFeature[] }).features;
}

/** [west, south, east, north] of all the coordinates of a geometry. */
function bboxOf(g: GdalFeature['geometry']): number[] {
  const xs: number[] = [];
  const ys: number[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v) && typeof v[0] === 'number') {
      xs.push(v[0]);
      ys.push(v[1] as number);
    } else if (Array.isArray(v)) v.forEach(walk);
  };
  walk(g.coordinates);
  return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
}

describe('GDAL MVT driver', () => {
  it('reads a parcel tile: every parcel in the tile, with its attributes and in its place', async () => {
    const p = (await t.db.query<{ code: string; status: string; land_use: string; area_m2: number; lon: number; lat: number; bbox: number[] }>(
      `SELECT code, status, land_use, area_m2, ST_X(label_point) AS lon, ST_Y(label_point) AS lat,
              ARRAY[ST_XMin(geom), ST_YMin(geom), ST_XMax(geom), ST_YMax(geom)] AS bbox
       FROM parcel ORDER BY code LIMIT 1`,
    )).rows[0];
    const { z, x, y } = tileAt(p.lon, p.lat, 16);
    const features = await readWithGdal('parcels', z, x, y);
    // The tile holds the parcels meeting it (the buffer reaches 64/4096 of a tile beyond its edges).
    const n = (await t.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM parcel WHERE ST_Intersects(geom, ST_Transform(ST_TileEnvelope($1, $2, $3), 4326))`,
      [z, x, y],
    )).rows[0].n;
    expect(features.length).toBeGreaterThanOrEqual(n);
    const f = features.find((g) => g.properties.code === p.code)!;
    expect(f, `parcel ${p.code} in tile ${z}/${x}/${y}`).toBeDefined();
    expect(f.geometry.type).toMatch(/Polygon/);
    expect(f.properties).toMatchObject({ status: p.status, land_use: p.land_use });
    expect(Number(f.properties.area_m2)).toBeCloseTo(p.area_m2, 1);
    // In place to within a tile unit at z16 (≈ 0.04 m … 0.6 m), unless clipped at the tile's buffer.
    const unit = 360 / 2 ** z / 4096;
    const got = bboxOf(f.geometry);
    const clippedWest = p.bbox[0] < got[0] - 2 * unit;
    if (!clippedWest) expect(Math.abs(got[0] - p.bbox[0])).toBeLessThan(2 * unit);
    expect(got[0]).toBeLessThanOrEqual(p.lon);
    expect(got[2]).toBeGreaterThanOrEqual(p.lon);
    expect(got[1]).toBeLessThanOrEqual(p.lat);
    expect(got[3]).toBeGreaterThanOrEqual(p.lat);
  });

  it('reads a building tile with its vacancy', async () => {
    const b = (await t.db.query<{ code: string; lon: number; lat: number }>(
      `SELECT code, ST_X(ST_PointOnSurface(geom)) AS lon, ST_Y(ST_PointOnSurface(geom)) AS lat FROM building b WHERE EXISTS (SELECT 1 FROM space_unit u WHERE u.building = b.code) ORDER BY code LIMIT 1`,
    )).rows[0];
    const { z, x, y } = tileAt(b.lon, b.lat, 16);
    const f = (await readWithGdal('buildings', z, x, y)).find((g) => g.properties.code === b.code)!;
    expect(f).toBeDefined();
    const api = (await t.app.inject({ url: `/api/buildings/${encodeURIComponent(b.code)}` })).json() as { properties: { floors: number; units: number; vacancy_rate: number | null } };
    expect(Number(f.properties.floors)).toBe(api.properties.floors);
    expect(Number(f.properties.units)).toBe(api.properties.units);
    expect(api.properties.units).toBeGreaterThan(0);
    expect(Number(f.properties.vacancy_rate)).toBeCloseTo(api.properties.vacancy_rate!, 4);
  });
});
