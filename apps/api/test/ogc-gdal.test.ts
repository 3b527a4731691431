import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/app.ts';
import { gdal } from './support/gdal.ts';

// A real client: GDAL's OAPIF driver reads /ogc over HTTP from a listening copy of the API.

let t: TestApp;
let base: string;
let dir: string;
beforeAll(async () => {
  t = await startTestApp();
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}/ogc`;
  dir = mkdtempSync(join(tmpdir(), 'parkatlas-ogc-gdal-'));
});
afterAll(async () => {
  await t?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const featureCount = (info: string) => Number(/Feature Count: (\d+)/.exec(info)?.[1]);

describe('GDAL OAPIF driver', () => {
  it('lists every collection of the landing page', async () => {
    const { stdout, stderr } = await gdal('ogrinfo', ['-ro', '-q', `OAPIF:${base}`]);
    for (const id of ['corridors', 'areas', 'parks', 'parcels', 'buildings']) expect(stdout).toContain(`${id} (`);
    expect(stdout).not.toContain('units');
    expect(stderr).not.toMatch(/ERROR|Warning/i);
  });

  it.each([
    ['parcels', 'parcel'],
    ['buildings', 'building'],
    ['parks', 'park'],
  ])('gives the feature count of %s', async (collection, table) => {
    const { stdout } = await gdal('ogrinfo', ['-ro', '-so', '-al', `OAPIF:${base}/collections/${collection}`]);
    const n = (await t.db.query<{ n: number }>(`SELECT count(*)::int n FROM ${table}`)).rows[0].n;
    expect(featureCount(stdout)).toBe(n);
    expect(stdout).toMatch(/Geometry: Multi Polygon/);
    const { stdout: byName } = await gdal('ogrinfo', ['-ro', '-so', `OAPIF:${base}`, collection]);
    expect(featureCount(byName)).toBe(n);
  });

  it('copies all parcels into a GeoPackage with the same count, total area and Chinese names', async () => {
    const out = join(dir, 'parcels.gpkg');
    await gdal('ogr2ogr', ['-f', 'GPKG', out, `OAPIF:${base}`, 'parcels', '-oo', 'PAGE_SIZE=1000']);
    const r = await t.db.query<{ n: number; area: number }>('SELECT count(*)::int n, sum(ST_Area(geom::geography)) area FROM parcel');
    const { stdout } = await gdal('ogrinfo', ['-ro', '-q', out, '-sql', 'SELECT count(*) AS n, sum(ST_Area(geom, 1)) AS area FROM parcels', '-dialect', 'SQLite']);
    expect(Number(/n \(Integer\) = (\d+)/.exec(stdout)?.[1])).toBe(r.rows[0].n);
    const area = Number(/area \(Real\) = ([\d.e+]+)/.exec(stdout)?.[1]);
    expect(Math.abs(area - r.rows[0].area) / r.rows[0].area).toBeLessThan(0.001);
    const named = await t.db.query<{ code: string; name: string }>("SELECT code, name FROM parcel WHERE name IS NOT NULL ORDER BY code LIMIT 1");
    if (named.rows[0]) {
      const { stdout: one } = await gdal('ogrinfo', ['-ro', '-q', out, '-sql', `SELECT name FROM parcels WHERE code = '${named.rows[0].code}'`]);
      expect(one).toContain(named.rows[0].name);
    }
  });

  it('sends attribute filters to the server as CQL2 and gets the same features as SQL', async () => {
    const { stdout, stderr } = await gdal('ogrinfo', ['-ro', '-so', `OAPIF:${base}`, 'parcels', '-where', "status = 'idle' AND area_m2 > 3000"], true);
    const n = (await t.db.query<{ n: number }>("SELECT count(*)::int n FROM parcel_api WHERE status = 'idle' AND area_m2 > 3000")).rows[0].n;
    expect(featureCount(stdout)).toBe(n);
    // GDAL read the queryables, sent the whole filter as CQL text and counted with one request.
    expect(stderr).toMatch(/items\?resultType=hits&filter=\(status%20%3D%20'idle'\)%20AND%20\(area_m2%20%3E%203000\)&filter-lang=cql-text/);
    expect(stderr).not.toMatch(/client side|ERROR/);
    const { stdout: box } = await gdal('ogrinfo', ['-ro', '-so', `OAPIF:${base}`, 'parcels', '-spat', '116.6', '35.35', '116.65', '35.4']);
    const m = (await t.db.query<{ n: number }>('SELECT count(*)::int n FROM parcel WHERE ST_Intersects(geom, ST_MakeEnvelope(116.6, 35.35, 116.65, 35.4, 4326))')).rows[0].n;
    expect(featureCount(box)).toBe(m);
  });
});
