import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { unzipSync, strFromU8 } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbfFieldNames } from '../src/exports/shapefile.ts';
import { startTestApp, type TestApp } from './support/app.ts';

// GET /api/{collection}/export: every format is read back by GDAL and compared with the database.
// GDAL is required, never skipped: CI installs it (apt-get install gdal-bin).

const run = promisify(execFile);
async function gdal(tool: 'ogrinfo' | 'ogr2ogr', args: string[]): Promise<{ stdout: string; stderr: string }> {
  try {
    return await run(tool, args, { maxBuffer: 256 * 1024 * 1024 });
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { stderr?: string };
    if (err.code === 'ENOENT') throw new Error(`${tool} is not installed: install GDAL with \`apt-get install gdal-bin\` (CI installs it)`);
    throw new Error(`${tool} ${args.join(' ')} failed: ${err.stderr ?? err.message}`);
  }
}

let t: TestApp;
let dir: string;
beforeAll(async () => {
  t = await startTestApp();
  dir = mkdtempSync(join(tmpdir(), 'parkatlas-export-test-'));
  // An awkward name: Chinese, quotes, a comma and a line break must all survive every format.
  await t.db.query(`UPDATE parcel SET name = $1 WHERE code = (SELECT min(code) FROM parcel)`, ['蓼河新区 "一号", 地块\n东侧']);
});
afterAll(async () => {
  await t?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

interface Download {
  status: number;
  headers: Record<string, string | string[] | number | undefined>;
  path: string;
  body: Buffer;
}

async function download(url: string, file: string): Promise<Download> {
  const res = await t.app.inject(url);
  const path = join(dir, file);
  writeFileSync(path, res.rawPayload);
  return { status: res.statusCode, headers: res.headers, path, body: res.rawPayload };
}

/** Features as GDAL reads them back, converted to GeoJSON (in EPSG:4326). */
async function readBack(source: string, extra: string[] = []): Promise<{ type: string; features: { properties: Record<string, unknown>; geometry: unknown }[] }> {
  const { stdout } = await gdal('ogr2ogr', ['-f', 'GeoJSON', '/vsistdout/', source, ...extra, '-t_srs', 'EPSG:4326', '-lco', 'RFC7946=YES']);
  return JSON.parse(stdout);
}

async function truth(where = 'true'): Promise<{ n: number; area: number; byCode: Map<string, { name: string | null; status: string; area: number }> }> {
  const r = await t.db.query<{ code: string; name: string | null; status: string; area: number }>(
    `SELECT code, name, status, ST_Area(geom::geography) AS area FROM parcel_api WHERE ${where} ORDER BY code`,
  );
  return {
    n: r.rows.length,
    area: r.rows.reduce((s, x) => s + x.area, 0),
    byCode: new Map(r.rows.map((x) => [x.code, x])),
  };
}

/** Total geodesic area of GeoJSON polygons, as PostGIS measures it. */
async function areaOf(features: { geometry: unknown }[]): Promise<number> {
  const r = await t.db.query<{ a: number }>(
    `SELECT sum(ST_Area(ST_SetSRID(ST_GeomFromGeoJSON(g::text), 4326)::geography)) AS a FROM jsonb_array_elements($1::jsonb) AS g`,
    [JSON.stringify(features.map((f) => f.geometry))],
  );
  return r.rows[0].a;
}

function expectSameParcels(features: { properties: Record<string, unknown> }[], expected: Awaited<ReturnType<typeof truth>>, nameField = 'name') {
  expect(features.length).toBe(expected.n);
  for (const f of features) {
    const want = expected.byCode.get(String(f.properties.code));
    expect(want, String(f.properties.code)).toBeDefined();
    expect(f.properties.status).toBe(want!.status);
    expect(f.properties[nameField] ?? null).toBe(want!.name);
  }
}

const FILTER = 'status=occupied,available,idle&min_area_m2=2000';
const FILTER_SQL = "status IN ('occupied', 'available', 'idle') AND area_m2 >= 2000";

describe('parcel exports read back by GDAL', () => {
  it('GeoJSON: same features, attributes, Chinese names and areas as the list selection', async () => {
    const d = await download(`/api/parcels/export?format=geojson&${FILTER}`, 'parcels.geojson');
    expect(d.status, d.body.toString()).toBe(200);
    expect(d.headers['content-type']).toMatch(/^application\/geo\+json/);
    expect(d.headers['content-disposition']).toBe('attachment; filename=parcels.geojson');
    const expected = await truth(FILTER_SQL);
    const back = await readBack(d.path);
    expectSameParcels(back.features, expected);
    expect(Math.abs((await areaOf(back.features)) - expected.area) / expected.area).toBeLessThan(0.001);
    const { stdout } = await gdal('ogrinfo', ['-ro', '-so', '-al', d.path]);
    expect(Number(/Feature Count: (\d+)/.exec(stdout)?.[1])).toBe(expected.n);
  });

  it('has the same selection and order as the list, page after page', async () => {
    const ids: string[] = [];
    let next: string | null = null;
    do {
      const res: { json: () => { features: { id: string }[]; next: string | null } } = await t.app.inject(`/api/parcels?limit=37&sort=-area_m2&${FILTER}${next ? `&cursor=${encodeURIComponent(next)}` : ''}`);
      const body = res.json();
      ids.push(...body.features.map((f) => f.id));
      next = body.next;
    } while (next);
    const d = await download(`/api/parcels/export?format=geojson&sort=-area_m2&${FILTER}`, 'sorted.geojson');
    expect(JSON.parse(d.body.toString()).features.map((f: { id: string }) => f.id)).toEqual(ids);
  });

  it('CSV: UTF-8 with a BOM, WKT geometry, quoted text', async () => {
    const d = await download(`/api/parcels/export?format=csv&${FILTER}`, 'parcels.csv');
    expect(d.status).toBe(200);
    expect(d.headers['content-type']).toMatch(/^text\/csv; charset=utf-8/);
    expect(d.headers['content-disposition']).toBe('attachment; filename=parcels.csv');
    expect([...d.body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(d.body.toString('utf8').split('\r\n')[0]).toMatch(/^\uFEFFcode,name,land_use,status,.*,wkt$/);
    const expected = await truth(FILTER_SQL);
    // GDAL's CSV driver takes a column named WKT as the geometry; the CSV says nothing of its CRS.
    const back = await readBack(d.path, ['-s_srs', 'EPSG:4326']);
    expectSameParcels(back.features, expected);
    expect(Math.abs((await areaOf(back.features)) - expected.area) / expected.area).toBeLessThan(0.001);
  });

  it('GeoPackage: opens in GDAL with no warning, same count, attributes and areas', async () => {
    const d = await download(`/api/parcels/export?format=gpkg&${FILTER}`, 'parcels.gpkg');
    expect(d.status, d.body.toString()).toBe(200);
    expect(d.headers['content-type']).toBe('application/geopackage+sqlite3');
    expect(d.headers['content-disposition']).toBe('attachment; filename=parcels.gpkg');
    const info = await gdal('ogrinfo', ['-ro', '-so', '-al', d.path]);
    expect(info.stderr).toBe('');
    const expected = await truth(FILTER_SQL);
    expect(Number(/Feature Count: (\d+)/.exec(info.stdout)?.[1])).toBe(expected.n);
    expect(info.stdout).toMatch(/Geometry: Multi Polygon/);
    expect(info.stdout).toMatch(/ID\["EPSG",4326\]/);
    expect(info.stdout).toMatch(/supply_date: Date/);
    expect(info.stdout).toMatch(/area_m2: Real/);
    const { stdout } = await gdal('ogrinfo', ['-ro', '-q', d.path, '-dialect', 'SQLite', '-sql', 'SELECT count(*) AS n, sum(ST_Area(geom, 1)) AS area FROM parcels']);
    expect(Math.abs(Number(/area \(Real\) = ([\d.e+]+)/.exec(stdout)?.[1]) - expected.area) / expected.area).toBeLessThan(0.001);
    expectSameParcels((await readBack(d.path)).features, expected);
  });

  it('GeoPackage in CGCS2000 Gauss-Krüger CM 117°E keeps the areas', async () => {
    const d = await download(`/api/parcels/export?format=gpkg&crs=EPSG:4548&${FILTER}`, 'parcels-4548.gpkg');
    expect(d.status, d.body.toString()).toBe(200);
    const info = await gdal('ogrinfo', ['-ro', '-so', '-al', d.path]);
    expect(info.stderr).toBe('');
    expect(info.stdout).toMatch(/CGCS2000 \/ 3-degree Gauss-Kruger CM 117E/);
    const expected = await truth(FILTER_SQL);
    const { stdout } = await gdal('ogrinfo', ['-ro', '-q', d.path, '-dialect', 'SQLite', '-sql', 'SELECT sum(ST_Area(geom)) AS area FROM parcels']);
    // Plane area in the projection agrees with the geodesic area to about 0.1 % this close to the meridian.
    expect(Math.abs(Number(/area \(Real\) = ([\d.e+]+)/.exec(stdout)?.[1]) - expected.area) / expected.area).toBeLessThan(0.001);
  });

  it('Shapefile: zipped .shp/.shx/.dbf/.prj/.cpg, UTF-8, same count, attributes and areas', async () => {
    const d = await download(`/api/parcels/export?format=shp&${FILTER}`, 'parcels.shp.zip');
    expect(d.status, d.body.toString()).toBe(200);
    expect(d.headers['content-type']).toBe('application/zip');
    expect(d.headers['content-disposition']).toBe('attachment; filename=parcels.shp.zip');
    const files = unzipSync(new Uint8Array(d.body));
    expect(Object.keys(files).sort()).toEqual(['parcels.cpg', 'parcels.dbf', 'parcels.prj', 'parcels.shp', 'parcels.shx']);
    expect(strFromU8(files['parcels.cpg'])).toBe('UTF-8');
    const info = await gdal('ogrinfo', ['-ro', '-so', '-al', `/vsizip/${d.path}`]);
    expect(info.stderr).toBe('');
    const expected = await truth(FILTER_SQL);
    expect(Number(/Feature Count: (\d+)/.exec(info.stdout)?.[1])).toBe(expected.n);
    expect(info.stdout).toMatch(/Geometry: Polygon/);
    expect(info.stdout).toMatch(/agreed_sta: Date/);
    const back = await readBack(`/vsizip/${d.path}`);
    expectSameParcels(back.features, expected);
    expect(Math.abs((await areaOf(back.features)) - expected.area) / expected.area).toBeLessThan(0.001);
    // Exterior rings clockwise in the file, as the format wants.
    const { stdout } = await gdal('ogrinfo', ['-ro', '-q', `/vsizip/${d.path}`, '-dialect', 'SQLite', '-sql', 'SELECT count(*) AS bad FROM parcels WHERE NOT ST_IsValid(geometry)']);
    expect(Number(/bad \(Integer\) = (\d+)/.exec(stdout)?.[1])).toBe(0);
  });

  it('KML: same features, Chinese attributes and areas', async () => {
    const d = await download(`/api/parcels/export?format=kml&${FILTER}`, 'parcels.kml');
    expect(d.status).toBe(200);
    expect(d.headers['content-type']).toMatch(/^application\/vnd\.google-earth\.kml\+xml/);
    expect(d.headers['content-disposition']).toBe('attachment; filename=parcels.kml');
    const expected = await truth(FILTER_SQL);
    const back = await readBack(d.path);
    // LIBKML reads the placemark's <name> as its `Name` attribute.
    expectSameParcels(back.features, expected, 'Name');
    expect(Math.abs((await areaOf(back.features)) - expected.area) / expected.area).toBeLessThan(0.001);
  });
});

describe('exports of every collection', () => {
  const spatial: [string, string][] = [['corridors', 'corridor'], ['areas', 'area'], ['parks', 'park'], ['buildings', 'building']];
  it.each(spatial)('%s round-trip through GeoPackage and Shapefile with the full count', async (collection, table) => {
    const n = (await t.db.query<{ n: number }>(`SELECT count(*)::int n FROM ${table}`)).rows[0].n;
    for (const [format, file] of [['gpkg', `${collection}.gpkg`], ['shp', `${collection}.shp.zip`]]) {
      const d = await download(`/api/${collection}/export?format=${format}`, file);
      expect(d.status, d.body.toString()).toBe(200);
      const info = await gdal('ogrinfo', ['-ro', '-so', '-al', format === 'shp' ? `/vsizip/${d.path}` : d.path]);
      expect(info.stderr, `${collection}.${format}`).toBe('');
      expect(Number(/Feature Count: (\d+)/.exec(info.stdout)?.[1])).toBe(n);
    }
  });

  it.each([['units', 'unit'], ['enterprises', 'enterprise'], ['leases', 'lease'], ['projects', 'project']])('%s export as CSV, GeoJSON and a GeoPackage attributes table', async (collection, table) => {
    const n = (await t.db.query<{ n: number }>(`SELECT count(*)::int n FROM ${table}`)).rows[0].n;
    const csv = await download(`/api/${collection}/export?format=csv`, `${collection}.csv`);
    expect(csv.status).toBe(200);
    expect(csv.body.toString('utf8').split('\r\n').filter(Boolean).length).toBeGreaterThanOrEqual(n + 1);
    expect(csv.body.toString('utf8').split('\r\n')[0]).not.toContain('wkt');
    const gj = await download(`/api/${collection}/export?format=geojson`, `${collection}.geojson`);
    const body = JSON.parse(gj.body.toString());
    expect(body.features.length).toBe(n);
    expect(body.features[0].geometry).toBeNull();
    const gpkg = await download(`/api/${collection}/export?format=gpkg`, `${collection}.gpkg`);
    const info = await gdal('ogrinfo', ['-ro', '-so', '-al', gpkg.path]);
    expect(info.stderr).toBe('');
    expect(Number(/Feature Count: (\d+)/.exec(info.stdout)?.[1])).toBe(n);
    const shp = await t.app.inject(`/api/${collection}/export?format=shp`);
    expect(shp.statusCode).toBe(400);
    expect(shp.json().error).toMatchObject({ code: 'unsupported_format', field: 'format' });
  });

  it('keeps Chinese enterprise names in CSV and GeoPackage', async () => {
    const r = await t.db.query<{ name: string }>('SELECT name FROM enterprise ORDER BY uscc LIMIT 1');
    const csv = await download('/api/enterprises/export?format=csv', 'e.csv');
    expect(csv.body.toString('utf8')).toContain(r.rows[0].name);
    const gpkg = await download('/api/enterprises/export?format=gpkg', 'e.gpkg');
    const { stdout } = await gdal('ogrinfo', ['-ro', '-q', gpkg.path, '-sql', `SELECT name FROM enterprises WHERE name = '${r.rows[0].name.replaceAll("'", "''")}'`]);
    expect(stdout).toContain(r.rows[0].name);
  });
});

describe('export parameters', () => {
  it('answers bad input in the API error shape', async () => {
    const cases: [string, number, string, string][] = [
      ['/api/parcels/export?format=xls', 400, 'invalid_query', 'format'],
      ['/api/parcels/export?status=sold', 400, 'invalid_query', 'status.0'],
      ['/api/parcels/export?limit=10', 400, 'invalid_query', 'limit'],
      ['/api/parcels/export?format=gpkg&crs=EPSG:1234', 400, 'invalid_crs', 'crs'],
      ['/api/parcels/export?format=kml&crs=EPSG:4548', 400, 'invalid_crs', 'crs'],
      [`/api/parcels/export?filter=${encodeURIComponent("nope = 1")}`, 400, 'unknown_property', 'filter'],
      [`/api/parcels/export?filter=${encodeURIComponent("status = ")}`, 400, 'invalid_filter', 'filter'],
    ];
    for (const [url, status, code, field] of cases) {
      const res = await t.app.inject(url);
      expect(res.statusCode, url).toBe(status);
      expect(res.json().error, url).toMatchObject({ code, field });
    }
  });

  it('exports the bbox and CQL2 selection', async () => {
    const box = '116.6,35.35,116.65,35.4';
    const expected = (await t.db.query<{ n: number }>(`SELECT count(*)::int n FROM parcel WHERE land_use LIKE 'M%' AND ST_Intersects(geom, ST_MakeEnvelope(116.6, 35.35, 116.65, 35.4, 4326))`)).rows[0].n;
    const res = await t.app.inject(`/api/parcels/export?bbox=${box}&filter=${encodeURIComponent("land_use LIKE 'M%'")}`);
    expect(res.json().features.length).toBe(expected);
    expect(Number(res.headers['x-feature-count'])).toBe(expected);
  });

  it('maps long attribute names to 10-character dBase names, the same way every time', () => {
    const names = ['code', 'agreed_start_date', 'agreed_completion_date', 'agreed_start_x', 'completion_date', 'completion_year'];
    expect(dbfFieldNames(names)).toEqual(['code', 'agreed_sta', 'agreed_com', 'agreed_s01', 'completion', 'completi01']);
    expect(dbfFieldNames(names)).toEqual(dbfFieldNames([...names]));
  });
});

it('reads back the CSV header it wrote', () => {
  // Guards the test helpers themselves: the CSV written above is on disk.
  expect(readFileSync(join(dir, 'parcels.csv')).subarray(0, 3).toString('hex')).toBe('efbbbf');
});
