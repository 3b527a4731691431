import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { usccCheckChar } from '@parkatlas/schema';
import { buildApp } from '../src/app.ts';
import { wgs84ToGcj02 } from '../src/imports/gcj02.ts';
import { startTestApp, tableCounts, type TestApp } from './support/app.ts';

// POST /api/imports and GET /api/imports/{id}: every format, CRS and fault of issue 6, on whichever
// driver the suite runs (embedded, or PostgreSQL with DATABASE_URL). GDAL makes the foreign files.

const run = promisify(execFile);
let t: TestApp;
let dir: string;

beforeAll(async () => {
  t = await startTestApp();
  dir = mkdtempSync(join(tmpdir(), 'parkatlas-import-test-'));
});
afterAll(async () => {
  await t?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

interface Upload {
  file?: { name: string; body: Buffer | string };
  fields: Record<string, string>;
  headers?: Record<string, string>;
}

/** A multipart/form-data body, written out as a browser or curl would. */
function multipart({ file, fields }: Upload): { body: Buffer; contentType: string } {
  const boundary = `----parkatlas${Math.random().toString(16).slice(2)}`;
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  }
  if (file) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: application/octet-stream\r\n\r\n`));
    parts.push(Buffer.isBuffer(file.body) ? file.body : Buffer.from(file.body));
    parts.push(Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

async function post(upload: Upload, app = t.app) {
  const { body, contentType } = multipart(upload);
  return app.inject({ method: 'POST', url: '/api/imports', payload: body, headers: { 'content-type': contentType, ...(upload.headers ?? t.staff.headers) } });
}

interface Job {
  id: string;
  status: string;
  progress: { done: number; total: number; phase: string };
  counts: Record<string, number>;
  problems: { row: number; field?: string; code: string; message: string }[];
  problem_count: number;
  diff: { added: string[]; changed: { id: string; fields: { field: string; before: unknown; after: unknown }[] }[]; unchanged: string[]; absent: string[]; counts: Record<string, number> };
  error: string | null;
}

/** Starts an import and waits for its job to finish. */
async function importFile(upload: Upload): Promise<Job> {
  const res = await post(upload);
  expect(res.statusCode, res.body).toBe(202);
  const { id } = res.json();
  for (let i = 0; i < 600; i++) {
    const job = (await t.staff.inject(`/api/imports/${id}`)).json() as Job;
    if (job.status === 'succeeded' || job.status === 'failed') return job;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`import ${id} did not finish`);
}

async function exported(query: string): Promise<Buffer> {
  const res = await t.app.inject(`/api/parcels/export?${query}`);
  expect(res.statusCode).toBe(200);
  return res.rawPayload;
}

async function parcelTruth(): Promise<{ n: number; area: number }> {
  const r = await t.db.query<{ n: number; area: number }>(`SELECT count(*)::int AS n, sum(ST_Area(geom::geography)) AS area FROM parcel`);
  return r.rows[0];
}

/** Geometries a job staged in import_geometry and has not removed. */
async function stagedGeometries(job: string): Promise<number> {
  return (await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM import_geometry WHERE job = $1', [job])).rows[0].n;
}

const square = (lon: number, lat: number, d = 0.001) => ({
  type: 'Polygon',
  coordinates: [[[lon, lat], [lon + d, lat], [lon + d, lat + d], [lon, lat + d], [lon, lat]]],
});

/** An 18-character code with a correct check character (GB 32100-2015). */
const uscc = (org: string) => {
  const first17 = `91370800${org}`.slice(0, 17);
  return first17 + usccCheckChar(first17);
};

const featureCollection = (features: unknown[]) => JSON.stringify({ type: 'FeatureCollection', features });

async function someParcels(n: number): Promise<{ type: string; id: string; geometry: { type: string; coordinates: number[][][][] }; properties: Record<string, unknown> }[]> {
  const res = await t.app.inject(`/api/parcels?limit=${n}`);
  return res.json().features;
}

describe('imports: round trips', () => {
  it('re-importing our own GeoJSON export is a dry run with no problem and nothing changed', async () => {
    const before = await tableCounts(t.db);
    const job = await importFile({ file: { name: 'parcels.geojson', body: await exported('format=geojson') }, fields: { collection: 'parcels', mode: 'dry-run' } });
    const truth = await parcelTruth();
    expect(job.status).toBe('succeeded');
    expect(job.problems).toEqual([]);
    expect(job.counts.rows).toBe(truth.n);
    expect(job.diff.counts).toEqual({ added: 0, changed: 0, unchanged: truth.n, absent: 0 });
    expect(job.progress.done).toBe(job.progress.total);
    expect(await tableCounts(t.db)).toEqual(before);
  });

  it('reads our zipped Shapefile export (10-character field names) and our GeoPackage in Gauss-Krüger EPSG:4548 back unchanged', async () => {
    const truth = await parcelTruth();
    const shp = await importFile({ file: { name: 'parcels.zip', body: await exported('format=shp') }, fields: { collection: 'parcels' } });
    expect(shp.problems).toEqual([]);
    expect(shp.diff.counts).toMatchObject({ added: 0, changed: 0, unchanged: truth.n });
    const gk = await importFile({ file: { name: 'parcels.gpkg', body: await exported('format=gpkg&crs=EPSG:4548') }, fields: { collection: 'parcels' } });
    expect(gk.problems).toEqual([]);
    expect(gk.diff.counts).toMatchObject({ added: 0, changed: 0, unchanged: truth.n });
  });

  it('commits a GDAL-made GeoPackage and Shapefile of our export: same count, same total area, every row in the history', async () => {
    const src = join(dir, 'parcels.geojson');
    writeFileSync(src, await exported('format=geojson'));
    const gpkg = join(dir, 'gdal.gpkg');
    await run('ogr2ogr', ['-f', 'GPKG', gpkg, src, '-nln', 'parcels']);
    const before = await parcelTruth();
    const changesBefore = (await tableCounts(t.db)).change;
    const job = await importFile({ file: { name: 'gdal.gpkg', body: readFileSync(gpkg) }, fields: { collection: 'parcels', mode: 'commit', department: '自然资源和规划局' }, headers: (await t.as('gdal-test')).headers });
    expect(job.error).toBeNull();
    expect(job.status).toBe('succeeded');
    expect(job.counts.updated).toBe(before.n);
    const after = await parcelTruth();
    expect(after.n).toBe(before.n);
    expect(after.area).toBeCloseTo(before.area, 0);
    expect((await tableCounts(t.db)).change).toBe(changesBefore + before.n);
    const actors = await t.db.query<{ actor: string; n: number }>(`SELECT actor, count(*)::int AS n FROM change WHERE actor = 'key:gdal-test' GROUP BY actor`);
    expect(actors.rows[0].n).toBe(before.n);

    const shpDir = join(dir, 'gdal-shp');
    await run('ogr2ogr', ['-f', 'ESRI Shapefile', shpDir, src, '-nln', 'parcels', '-lco', 'ENCODING=UTF-8']);
    const zip = zipSync(Object.fromEntries(readdirSync(shpDir).map((f) => [f, new Uint8Array(readFileSync(join(shpDir, f)))])));
    const shp = await importFile({ file: { name: 'gdal.zip', body: Buffer.from(zip) }, fields: { collection: 'parcels', mode: 'dry-run' } });
    expect(shp.problems).toEqual([]);
    expect(shp.counts.rows).toBe(before.n);
    expect(shp.diff.counts.added).toBe(0);
  });

  it('decodes GBK attributes of a Shapefile whose .cpg says CP936', async () => {
    const [p] = await someParcels(1);
    const src = join(dir, 'one.geojson');
    writeFileSync(src, featureCollection([{ ...p, properties: { code: p.properties.code, name: '洸河中学片区 一号地块' } }]));
    const shpDir = join(dir, 'gbk-shp');
    await run('ogr2ogr', ['-f', 'ESRI Shapefile', shpDir, src, '-nln', 'parcels', '-lco', 'ENCODING=CP936']);
    expect(readFileSync(join(shpDir, 'parcels.cpg'), 'latin1').trim()).toMatch(/936/);
    const zip = zipSync(Object.fromEntries(readdirSync(shpDir).map((f) => [f, new Uint8Array(readFileSync(join(shpDir, f)))])));
    const job = await importFile({ file: { name: 'gbk.zip', body: Buffer.from(zip) }, fields: { collection: 'parcels' } });
    expect(job.problems).toEqual([]);
    expect(job.diff.changed[0].fields).toContainEqual({ field: 'name', before: p.properties.name ?? null, after: '洸河中学片区 一号地块' });
  });

  it('converts GCJ-02 coordinates copied from a web map back to the stored WGS84 ones', async () => {
    const parcels = await someParcels(5);
    const offset = parcels.map((f) => ({
      ...f,
      geometry: { type: 'MultiPolygon', coordinates: f.geometry.coordinates.map((poly) => poly.map((ring) => ring.map(([x, y]) => wgs84ToGcj02(x, y)))) },
    }));
    const job = await importFile({ file: { name: 'gcj.geojson', body: featureCollection(offset) }, fields: { collection: 'parcels', crs: 'GCJ-02' } });
    expect(job.problems).toEqual([]);
    expect(job.diff.counts).toMatchObject({ unchanged: 5, changed: 0 });
    // The same file read as WGS84 is about 500 m off: every parcel's geometry changed.
    const raw = await importFile({ file: { name: 'gcj.geojson', body: featureCollection(offset) }, fields: { collection: 'parcels', crs: 'EPSG:4326' } });
    expect(raw.diff.counts.unchanged).toBe(0);
  });

  it('commits a parcel given in Gauss-Krüger EPSG:4548 as its WGS84 geometry, at the 9 decimals the report gives', async () => {
    const wgs84 = square(115.85, 34.8);
    const projected = await t.db.query<{ g: string }>(`SELECT ST_AsGeoJSON(ST_Transform(ST_SetSRID(ST_GeomFromGeoJSON($1), 4326), 4548), 6) AS g`, [JSON.stringify(wgs84)]);
    const rows = [{ type: 'Feature', geometry: JSON.parse(projected.rows[0].g), properties: { code: 'IMP-GK-1', land_use: 'M1', status: 'available' } }];
    const job = await importFile({ file: { name: 'gk.geojson', body: featureCollection(rows) }, fields: { collection: 'parcels', mode: 'commit', crs: 'EPSG:4548' } });
    expect(job.status, job.error ?? '').toBe('succeeded');
    const stored = await t.db.query<{ off: number; rounded: boolean }>(
      `SELECT ST_HausdorffDistance(geom, ST_SetSRID(ST_GeomFromGeoJSON($1), 4326)) AS off,
              ST_Equals(geom, ST_SetSRID(ST_GeomFromGeoJSON(ST_AsGeoJSON(geom, 9)), 4326)) AND ST_AsBinary(geom) = ST_AsBinary(ST_SetSRID(ST_GeomFromGeoJSON(ST_AsGeoJSON(geom, 9)), 4326)) AS rounded
       FROM parcel WHERE code = 'IMP-GK-1'`,
      [JSON.stringify(wgs84)],
    );
    expect(stored.rows[0].off).toBeLessThan(1e-7);
    expect(stored.rows[0].rounded).toBe(true);
    expect(await stagedGeometries(job.id)).toBe(0);
  });
});

describe('imports: upsert, diff and provenance', () => {
  it('shows the diff in a dry run, then commits adds and changes with history, department and verified_at', async () => {
    const [p] = await someParcels(1);
    const newStatus = p.properties.status === 'idle' ? 'available' : 'idle';
    const rows = [
      { type: 'Feature', geometry: p.geometry, properties: { ...p.properties, status: newStatus } },
      { type: 'Feature', geometry: square(115.9, 34.5), properties: { code: 'IMP-NEW-1', land_use: 'M1', status: 'available', name: '新宗地' } },
    ];
    const before = await tableCounts(t.db);
    const dry = await importFile({ file: { name: 'update.geojson', body: featureCollection(rows) }, fields: { collection: 'parcels', mode: 'dry-run', department: '园区建设局' } });
    expect(dry.problems).toEqual([]);
    expect(dry.diff.added).toEqual(['IMP-NEW-1']);
    expect(dry.diff.changed).toEqual([{ id: p.id, row: 1, fields: [{ field: 'status', before: p.properties.status, after: newStatus }] }]);
    expect(dry.diff.counts.absent).toBe(before.parcel - 1);
    expect(await tableCounts(t.db)).toEqual(before);
    expect(await stagedGeometries(dry.id)).toBe(0);

    const job = await importFile({ file: { name: 'update.geojson', body: featureCollection(rows) }, fields: { collection: 'parcels', mode: 'commit', department: '园区建设局', verified_at: '2026-03-31' }, headers: (await t.as('planning-bureau')).headers });
    expect(job.status).toBe('succeeded');
    expect(job.counts).toMatchObject({ created: 1, updated: 1 });
    const after = await tableCounts(t.db);
    expect(after.parcel).toBe(before.parcel + 1);
    expect(after.change).toBe(before.change + 2);

    const changed = (await t.app.inject(`/api/parcels/${p.id}`)).json();
    expect(changed.properties).toMatchObject({ status: newStatus, department: '园区建设局', verified_at: '2026-03-31', version: p.properties.version as number + 1 });
    const history = (await t.app.inject(`/api/parcels/${p.id}/history`)).json().items;
    expect(history.at(-1)).toMatchObject({ operation: 'update', actor: 'key:planning-bureau' });
    expect(history.at(-1).changed).toEqual(expect.arrayContaining(['status', 'department', 'verified_at']));
    const created = (await t.app.inject('/api/parcels/IMP-NEW-1/history')).json().items;
    expect(created).toMatchObject([{ operation: 'create', actor: 'key:planning-bureau', version: 1 }]);
    const stored = (await t.app.inject('/api/parcels/IMP-NEW-1')).json();
    expect(stored.properties.area_m2).toBeGreaterThan(9000);
    // The geometry the validation staged (as WKB, once) is the one stored, and the job's staging is gone.
    const sent = square(115.9, 34.5).coordinates.map((ring) => ring.map(([x, y]) => [Number(x.toFixed(9)), Number(y.toFixed(9))]));
    expect(stored.geometry).toEqual({ type: 'MultiPolygon', coordinates: [sent] });
    expect(await stagedGeometries(job.id)).toBe(0);
    // The history's `after` is the item as the API serves it (the import builds it as jsonb, not from the item's JSON text).
    const snapshot = await t.db.query<{ after: { properties: unknown; geometry: unknown } }>(`SELECT after FROM change WHERE entity_id = 'IMP-NEW-1'`);
    expect(snapshot.rows[0].after).toEqual({ properties: stored.properties, geometry: stored.geometry });

    const byDepartment = (await t.app.inject(`/api/parcels?department=${encodeURIComponent('园区建设局')}`)).json();
    expect(byDepartment.features.map((f: { id: string }) => f.id).sort()).toEqual([p.id, 'IMP-NEW-1'].sort());
    const stale = (await t.app.inject('/api/parcels?verified_before=2026-04-01&limit=10000')).json();
    expect(stale.features.some((f: { id: string }) => f.id === 'IMP-NEW-1')).toBe(true);
    const onThatDay = (await t.app.inject('/api/parcels?verified_since=2026-03-31&verified_before=2026-04-01')).json();
    expect(onThatDay.features.map((f: { id: string }) => f.id).sort()).toEqual([p.id, 'IMP-NEW-1'].sort());
  });

  it('imports enterprises from a GBK CSV (Excel in China) and sets verified_at to today by default', async () => {
    const code = uscc('MA3C0N9X1');
    const csv = `uscc,name,industry,high_tech,employees\r\n${code},济宁示范检测有限公司,M74,是,120\r\n`;
    // iconv (glibc) writes the GBK bytes Excel would.
    const gbk = execFileSync('iconv', ['-f', 'UTF-8', '-t', 'GBK'], { input: csv });
    expect(gbk.includes(Buffer.from('济宁'))).toBe(false);
    const job = await importFile({ file: { name: 'enterprises.csv', body: gbk }, fields: { collection: 'enterprises', mode: 'commit', department: '市场监管局' } });
    expect(job.problems).toEqual([]);
    expect(job.status).toBe('succeeded');
    const e = (await t.staff.inject(`/api/enterprises/${code}`)).json();
    expect(e).toMatchObject({ name: '济宁示范检测有限公司', industry: 'M74', high_tech: true, employees: 120, department: '市场监管局', verified_at: new Date().toISOString().slice(0, 10) });
  });

  it('reads parcels from a CSV with a WKT column', async () => {
    const csv = `code,land_use,status,wkt\r\nIMP-CSV-1,M2,idle,"POLYGON ((115.91 34.5, 115.911 34.5, 115.911 34.501, 115.91 34.501, 115.91 34.5))"\r\n`;
    const job = await importFile({ file: { name: 'parcels.csv', body: csv }, fields: { collection: 'parcels' } });
    expect(job.problems).toEqual([]);
    expect(job.diff.added).toEqual(['IMP-CSV-1']);
  });
});

describe('imports: row problems and bad input', () => {
  it('reports every problem row by row in a dry run, and a commit of the same file writes nothing', async () => {
    const [a, b] = await someParcels(2);
    const ok = { land_use: 'M1', status: 'available' };
    const rows = [
      { type: 'Feature', geometry: { type: 'Polygon', coordinates: [[[116.0, 34.6], [116.001, 34.601], [116.001, 34.6], [116.0, 34.601], [116.0, 34.6]]] }, properties: { code: 'BAD-BOWTIE', ...ok } },
      { type: 'Feature', geometry: square(120.5, 30.2), properties: { code: 'BAD-FAR', ...ok } },
      { type: 'Feature', geometry: square(115.95, 34.55), properties: { code: 'BAD-USE', land_use: 'X9', status: 'available' } },
      { type: 'Feature', geometry: square(115.96, 34.55), properties: { code: 'BAD-USCC', ...ok, enterprise: '91370800MA3C0N9X1X' } },
      { type: 'Feature', geometry: square(115.97, 34.55), properties: { code: 'DUP', ...ok } },
      { type: 'Feature', geometry: square(115.98, 34.55), properties: { code: 'DUP', ...ok } },
      { type: 'Feature', geometry: a.geometry, properties: { code: 'BAD-OVERLAP', ...ok } },
      { type: 'Feature', geometry: b.geometry, properties: { ...b.properties } },
    ];
    const before = await tableCounts(t.db);
    const job = await importFile({ file: { name: 'bad.geojson', body: featureCollection(rows) }, fields: { collection: 'parcels' } });
    expect(job.status).toBe('succeeded');
    const found = job.problems.map((p) => [p.row, p.field, p.code]);
    expect(found).toEqual(expect.arrayContaining([
      [1, 'geometry', 'invalid_geometry'],
      [2, 'geometry', 'outside_extent'],
      [3, 'land_use', 'unknown_code'],
      [4, 'enterprise', 'invalid_uscc'],
      [6, 'code', 'duplicate_code'],
      [7, 'geometry', 'overlaps_parcel'],
    ]));
    expect(job.problems.filter((p) => p.row === 8)).toEqual([]);
    expect(job.problems.find((p) => p.code === 'overlaps_parcel')!.message).toContain(a.id);
    expect(job.problems.find((p) => p.code === 'invalid_geometry')!.message).toMatch(/Self-intersection/);
    expect(job.counts.invalid).toBe(6);

    const commit = await importFile({ file: { name: 'bad.geojson', body: featureCollection(rows) }, fields: { collection: 'parcels', mode: 'commit' } });
    expect(commit.status).toBe('failed');
    expect(commit.error).toMatch(/nothing was written/);
    expect(await tableCounts(t.db)).toEqual(before);
  });

  it('judges geometries in several batches, each problem at its own row, and commits each staged geometry to its own code', async () => {
    // 2,100 small squares on a grid: three batches of the geometry validation (1,000 rows each, sent
    // before the previous one is read), and two bad rows in the later batches.
    const at = (i: number) => [115.82 + (i % 50) * 0.0002, 34.42 + Math.floor(i / 50) * 0.0002];
    const rows = Array.from({ length: 2100 }, (_, i) => {
      const [x, y] = at(i);
      return { type: 'Feature', geometry: square(x, y, 0.0001), properties: { code: `BATCH-${i}`, land_use: 'M1', status: 'available' } };
    });
    const bowtie = (x: number, y: number) => ({ type: 'Polygon', coordinates: [[[x, y], [x + 0.0001, y + 0.0001], [x + 0.0001, y], [x, y + 0.0001], [x, y]]] });
    const bad = rows.map((r, i) => (i === 1499 ? { ...r, geometry: bowtie(at(i)[0], at(i)[1]) } : i === 2049 ? { ...r, geometry: square(120.5, 30.2) } : r));
    const dry = await importFile({ file: { name: 'batches.geojson', body: featureCollection(bad) }, fields: { collection: 'parcels' } });
    expect(dry.problems.map((p) => [p.row, p.code])).toEqual([[1500, 'invalid_geometry'], [2050, 'outside_extent']]);
    expect(dry.counts).toMatchObject({ rows: 2100, valid: 2098, invalid: 2 });
    expect(await stagedGeometries(dry.id)).toBe(0);

    const good = rows.filter((_, i) => i !== 1499 && i !== 2049);
    const job = await importFile({ file: { name: 'batches.geojson', body: featureCollection(good) }, fields: { collection: 'parcels', mode: 'commit' } });
    expect(job.status, job.error ?? '').toBe('succeeded');
    expect(job.counts).toMatchObject({ created: 2098 });
    const placed = await t.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM parcel
       WHERE code LIKE 'BATCH-%'
         AND abs(ST_XMin(geom) - (115.82 + (substr(code, 7)::int % 50) * 0.0002)) < 1e-9
         AND abs(ST_YMin(geom) - (34.42 + (substr(code, 7)::int / 50) * 0.0002)) < 1e-9`,
    );
    expect(placed.rows[0].n).toBe(2098);
    expect(await stagedGeometries(job.id)).toBe(0);
  });

  it('refuses mixed geometry types row by row and writes nothing', async () => {
    const before = await tableCounts(t.db);
    const rows = [
      { type: 'Feature', geometry: square(115.9, 34.7), properties: { code: 'MIX-1', land_use: 'M1', status: 'idle' } },
      { type: 'Feature', geometry: square(115.91, 34.7), properties: { code: 'MIX-2', land_use: 'M1', status: 'idle' } },
      { type: 'Feature', geometry: { type: 'Point', coordinates: [115.92, 34.7] }, properties: { code: 'MIX-3', land_use: 'M1', status: 'idle' } },
    ];
    const job = await importFile({ file: { name: 'mixed.geojson', body: featureCollection(rows) }, fields: { collection: 'parcels', mode: 'commit' } });
    expect(job.status).toBe('failed');
    expect(job.problems).toEqual([expect.objectContaining({ row: 3, field: 'geometry', code: 'mixed_geometry_types' })]);
    expect(await tableCounts(t.db)).toEqual(before);
  });

  it('answers clear 4xx errors for bad files and leaves the data and the server as they were', async () => {
    const before = await tableCounts(t.db);
    const expectProblem = async (upload: Upload, status: number, code: string, field: string) => {
      const res = await post(upload);
      expect(res.statusCode, res.body).toBe(status);
      expect(res.json().error).toMatchObject({ code, field });
      return res.json().error.message as string;
    };
    const noShp = Buffer.from(zipSync({ 'parcels.dbf': new Uint8Array(10), 'readme.txt': new TextEncoder().encode('hi') }));
    expect(await expectProblem({ file: { name: 'x.zip', body: noShp }, fields: { collection: 'parcels' } }, 422, 'no_shapefile', 'file')).toMatch(/no \.shp/);
    // Pseudo-Mercator is a CRS GDAL writes, but not one an import may be in.
    const mercator = await exported('format=shp&crs=EPSG:3857');
    expect(await expectProblem({ file: { name: 'm.zip', body: mercator }, fields: { collection: 'parcels' } }, 422, 'unsupported_crs', 'prj')).toMatch(/3857|Pseudo/);
    await expectProblem({ file: { name: 'broken.gpkg', body: Buffer.from('SQLite format 3\0 but not really') }, fields: { collection: 'parcels' } }, 422, 'broken_file', 'file');
    await expectProblem({ file: { name: 'broken.geojson', body: '{"type": "FeatureCollection", "features": [' }, fields: { collection: 'parcels' } }, 422, 'broken_file', 'file');
    await expectProblem({ file: { name: 'x.zip', body: 'not a zip' }, fields: { collection: 'parcels' } }, 422, 'broken_file', 'file');
    await expectProblem({ file: { name: 'p.geojson', body: featureCollection([]) }, fields: { collection: 'leases' } }, 400, 'invalid_form', 'collection');
    await expectProblem({ file: { name: 'p.geojson', body: featureCollection([]) }, fields: { collection: 'parcels', crs: 'EPSG:3857' } }, 422, 'unsupported_crs', 'crs');
    await expectProblem({ fields: { collection: 'parcels' } }, 400, 'missing_file', 'file');

    // A million-vertex polygon is refused before any database work (how fast is bench material, not a test's).
    const ring: number[][] = [];
    for (let i = 0; i < 1_000_001; i++) {
      const a = (2 * Math.PI * i) / 1_000_001;
      ring.push([116.5 + 0.01 * Math.cos(a), 35.3 + 0.01 * Math.sin(a)]);
    }
    ring.push(ring[0]);
    const huge = featureCollection([{ type: 'Feature', geometry: { type: 'Polygon', coordinates: [ring] }, properties: { code: 'HUGE', land_use: 'M1', status: 'idle' } }]);
    expect(await expectProblem({ file: { name: 'huge.geojson', body: huge }, fields: { collection: 'parcels' } }, 422, 'too_many_vertices', 'geometry')).toMatch(/1,000,000/);

    expect(await tableCounts(t.db)).toEqual(before);
    expect((await t.app.inject('/api/health')).statusCode).toBe(200);
  });

  it('refuses an upload over the configured size limit with 413', async () => {
    const small = await buildApp({ db: t.db, imports: { maxFileBytes: 1024 } });
    try {
      await small.ready();
      const before = await tableCounts(t.db);
      const res = await post({ file: { name: 'big.geojson', body: 'x'.repeat(4096) }, fields: { collection: 'parcels' } }, small);
      expect(res.statusCode).toBe(413);
      expect(res.json().error).toMatchObject({ code: 'file_too_large', field: 'file' });
      expect(res.json().error.message).toContain('1 kB');
      expect(await tableCounts(t.db)).toEqual(before);
      expect((await small.inject('/api/health')).statusCode).toBe(200);
    } finally {
      await small.close();
    }
  });

  it('reports a job cut off by a restart as failed instead of running forever, and drops the geometries it staged', async () => {
    await t.db.query(
      `INSERT INTO import_job (id, collection, mode, format, crs, actor, status) VALUES ('cut-off', 'parcels', 'commit', 'geojson', 'EPSG:4326', 'test', 'running')`,
    );
    await t.db.query(`INSERT INTO import_geometry (job, row_no, geom) VALUES ('cut-off', 1, ST_GeomFromText('MULTIPOLYGON(((116 35, 116.1 35, 116.1 35.1, 116 35)))', 4326))`);
    const restarted = await buildApp({ db: t.db });
    try {
      await restarted.ready();
      const job = (await restarted.inject({ url: '/api/imports/cut-off', headers: t.staff.headers })).json();
      expect(job).toMatchObject({ status: 'failed', error: expect.stringMatching(/stopped before this import finished/) });
      expect(await stagedGeometries('cut-off')).toBe(0);
    } finally {
      await restarted.close();
    }
  });

  it('answers 404 for an unknown job', async () => {
    const res = await t.staff.inject('/api/imports/no-such-job');
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('not_found');
  });
});
