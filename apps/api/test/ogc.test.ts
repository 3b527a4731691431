import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/app.ts';

// OGC API – Features at /ogc, through app.inject(), on whichever driver the run uses.

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t?.close());

const SPATIAL = ['corridors', 'areas', 'parks', 'parcels', 'buildings'];
const TABLE: Record<string, string> = { corridors: 'corridor', areas: 'area', parks: 'park', parcels: 'parcel', buildings: 'building' };
const CRS84 = 'http://www.opengis.net/def/crs/OGC/1.3/CRS84';
const EPSG = (n: number) => `http://www.opengis.net/def/crs/EPSG/0/${n}`;

async function get(url: string, headers: Record<string, string> = {}) {
  const res = await t.app.inject({ url, headers });
  return res;
}

async function json(url: string) {
  const res = await get(url);
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

async function count(sql: string, params: unknown[] = []): Promise<number> {
  const r = await t.db.query<{ n: number }>(sql, params);
  return Number(r.rows[0].n);
}

function expectError(res: { statusCode: number; json: () => any; body: string }, status: number, code: string, field?: string) {
  expect(res.statusCode, res.body).toBe(status);
  const body = res.json();
  expect(Object.keys(body)).toEqual(['error']);
  expect(body.error.code).toBe(code);
  if (field) expect(body.error.field).toBe(field);
  return body.error as { code: string; message: string; field?: string };
}

describe('landing page, conformance, API definition', () => {
  it('links the API definition, the conformance classes and the collections', async () => {
    const body = await json('/ogc');
    const rels = body.links.map((l: { rel: string }) => l.rel);
    for (const rel of ['self', 'alternate', 'service-desc', 'conformance', 'data']) expect(rels).toContain(rel);
    const desc = body.links.find((l: { rel: string }) => l.rel === 'service-desc');
    expect(desc.type).toBe('application/vnd.oai.openapi+json;version=3.0');
    expect(desc.href).toMatch(/^http:\/\/.+\/ogc\/api$/);
  });

  it('answers HTML to a browser and to f=html', async () => {
    const byAccept = await get('/ogc', { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' });
    expect(byAccept.headers['content-type']).toMatch(/^text\/html/);
    expect(byAccept.body).toContain('<h1>');
    const byF = await get('/ogc?f=html');
    expect(byF.headers['content-type']).toMatch(/^text\/html/);
    for (const path of ['/ogc/collections', '/ogc/collections/parcels', '/ogc/collections/parcels/items?limit=3', '/ogc/conformance']) {
      const res = await get(`${path}${path.includes('?') ? '&' : '?'}f=html`);
      expect(res.statusCode, path).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
    }
    const json = await get('/ogc', { accept: 'application/json' });
    expect(json.headers['content-type']).toMatch(/^application\/json/);
  });

  it('declares Parts 1 to 4 and CQL2 text', async () => {
    const { conformsTo } = await json('/ogc/conformance');
    for (const c of [
      'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core',
      'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson',
      'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html',
      'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30',
      'http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs',
      'http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/filter',
      'http://www.opengis.net/spec/cql2/1.0/conf/cql2-text',
      'http://www.opengis.net/spec/ogcapi-features-4/1.0/conf/create-replace-delete',
    ]) expect(conformsTo).toContain(c);
  });

  it('serves an OpenAPI 3.0 document of the /ogc paths, with each collection\'s filters', async () => {
    const res = await get('/ogc/api');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/vnd\.oai\.openapi\+json;version=3\.0/);
    const doc = res.json();
    expect(doc.openapi).toMatch(/^3\.0/);
    for (const p of ['/', '/conformance', '/collections', '/collections/{collectionId}', '/collections/{collectionId}/items', '/collections/{collectionId}/items/{featureId}']) {
      expect(doc.paths[p], p).toBeDefined();
    }
    const names = doc.paths['/collections/parcels/items'].get.parameters.map((p: { name?: string; $ref?: string }) => p.name ?? p.$ref);
    expect(names).toContain('status');
    expect(names).toContain('#/components/parameters/filter');
    expect(doc.components.parameters.crs.schema.enum).toContain(EPSG(4548));
  });
});

describe('collections', () => {
  it('lists the five spatial collections with extent and CRSs', async () => {
    const body = await json('/ogc/collections');
    expect(body.collections.map((c: { id: string }) => c.id)).toEqual(SPATIAL);
    for (const c of body.collections) {
      expect(c.extent.spatial.crs).toBe(CRS84);
      const [minX, minY, maxX, maxY] = c.extent.spatial.bbox[0];
      expect(minX).toBeGreaterThan(116);
      expect(maxX).toBeLessThan(117.5);
      expect(minY).toBeLessThan(maxY);
      expect(c.crs).toEqual(expect.arrayContaining([CRS84, EPSG(4326), EPSG(4490), EPSG(4548), EPSG(4527), EPSG(4549), EPSG(3857)]));
      expect(c.storageCrs).toBe(CRS84);
      expect(c.links.some((l: { rel: string; type: string }) => l.rel === 'items' && l.type === 'application/geo+json')).toBe(true);
    }
  });

  it('gives one collection\'s extent, equal to the data\'s', async () => {
    const c = await json('/ogc/collections/parcels');
    const r = await t.db.query<{ xmin: number; ymin: number; xmax: number; ymax: number }>(
      'SELECT ST_XMin(e) xmin, ST_YMin(e) ymin, ST_XMax(e) xmax, ST_YMax(e) ymax FROM (SELECT ST_Extent(geom) e FROM parcel) s',
    );
    const [minX, minY, maxX, maxY] = c.extent.spatial.bbox[0];
    expect(minX).toBeLessThanOrEqual(r.rows[0].xmin);
    expect(minY).toBeLessThanOrEqual(r.rows[0].ymin);
    expect(maxX).toBeGreaterThanOrEqual(r.rows[0].xmax);
    expect(maxY).toBeGreaterThanOrEqual(r.rows[0].ymax);
    expect(maxX - r.rows[0].xmax).toBeLessThan(1e-6);
    expect(c.extent.temporal.interval[0][0]).toMatch(/^\d{4}-\d{2}-\d{2}T/);
  });

  it('answers 404 in the API error shape for an unknown or non-spatial collection', async () => {
    for (const id of ['nope', 'units', 'enterprises']) {
      expectError(await get(`/ogc/collections/${id}`), 404, 'not_found');
      expectError(await get(`/ogc/collections/${id}/items`), 404, 'not_found');
    }
    expectError(await get('/ogc/collections/parcels/items/NO-SUCH-PARCEL'), 404, 'not_found');
  });

  it('publishes queryables as JSON Schema, typed from the database', async () => {
    const res = await get('/ogc/collections/parcels/queryables', { accept: 'application/schema+json' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/schema\+json/);
    expect((await get('/ogc/collections/parcels/queryables', { accept: 'application/json' })).headers['content-type']).toMatch(/^application\/json/);
    const q = res.json();
    expect(q.type).toBe('object');
    expect(q.properties.status.type).toBe('string');
    expect(q.properties.area_m2.type).toBe('number');
    expect(q.properties.supply_date).toMatchObject({ type: 'string', format: 'date' });
    expect(q.properties.updated_at).toMatchObject({ type: 'string', format: 'date-time' });
    expect(q.properties.geometry.format).toBe('geometry-multipolygon');
    expect(q.properties.geom).toBeUndefined();
  });
});

describe.each(SPATIAL)('items of %s', (collection) => {
  it('pages through every feature with next links, numberMatched and numberReturned', async () => {
    const total = await count(`SELECT count(*)::int n FROM ${TABLE[collection]}`);
    const seen: string[] = [];
    let url: string | undefined = `/ogc/collections/${collection}/items?limit=${Math.max(2, Math.ceil(total / 3))}`;
    let pages = 0;
    while (url && pages < 20) {
      const res = await get(url);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.headers['content-type']).toMatch(/^application\/geo\+json/);
      expect(res.headers['content-crs']).toBe(`<${CRS84}>`);
      const body = res.json();
      expect(body.type).toBe('FeatureCollection');
      expect(body.numberMatched).toBe(total);
      expect(body.numberReturned).toBe(body.features.length);
      expect(Date.parse(body.timeStamp)).not.toBeNaN();
      expect(body.links.map((l: { rel: string }) => l.rel)).toEqual(expect.arrayContaining(['self', 'collection']));
      seen.push(...body.features.map((f: { id: string }) => f.id));
      const next = body.links.find((l: { rel: string }) => l.rel === 'next');
      url = next ? next.href.replace(/^http:\/\/[^/]+/, '') : undefined;
      pages++;
    }
    expect(seen.length).toBe(total);
    expect(new Set(seen).size).toBe(total);
    expect([...seen].sort()).toEqual(seen);
  });
});

describe('paging', () => {
  it('goes back with the prev link and forward again to the same page', async () => {
    const p1 = await json('/ogc/collections/parcels/items?limit=7');
    expect(p1.links.some((l: { rel: string }) => l.rel === 'prev')).toBe(false);
    const nextHref = p1.links.find((l: { rel: string }) => l.rel === 'next').href.replace(/^http:\/\/[^/]+/, '');
    const p2 = await json(nextHref);
    const prev = await json(p2.links.find((l: { rel: string }) => l.rel === 'prev').href.replace(/^http:\/\/[^/]+/, ''));
    expect(prev.features.map((f: { id: string }) => f.id)).toEqual(p1.features.map((f: { id: string }) => f.id));
    const again = await json(prev.links.find((l: { rel: string }) => l.rel === 'next').href.replace(/^http:\/\/[^/]+/, ''));
    expect(again.features.map((f: { id: string }) => f.id)).toEqual(p2.features.map((f: { id: string }) => f.id));
  });

  it('walks back from the last page to the first by prev links, each page the same as going forward', async () => {
    // A filter, so that "one row more" must respect the selection; a limit that leaves a short last page.
    const query = 'status=idle,available,occupied';
    const total = (await json(`/ogc/collections/parcels/items?limit=1&${query}`)).numberMatched as number;
    const limit = Math.max(2, Math.ceil(total / 4));
    const ids = (page: { features: { id: string }[] }) => page.features.map((f) => f.id);
    const href = (page: { links: { rel: string; href: string }[] }, rel: string) => page.links.find((l) => l.rel === rel)?.href.replace(/^http:\/\/[^/]+/, '');
    const forward = [await json(`/ogc/collections/parcels/items?limit=${limit}&${query}`)];
    for (let next = href(forward[0], 'next'); next; next = href(forward[forward.length - 1], 'next')) forward.push(await json(next));
    expect(forward.length).toBeGreaterThan(2);
    const last = forward[forward.length - 1];
    expect(last.numberReturned).toBe(total - limit * (forward.length - 1));
    expect(forward.map((p) => p.numberReturned).reduce((a, b) => a + b)).toBe(total);
    const backward = [last];
    for (let prev = href(last, 'prev'); prev; prev = href(backward[backward.length - 1], 'prev')) backward.push(await json(prev));
    expect(backward.map(ids)).toEqual([...forward].reverse().map(ids));
    for (const page of backward) {
      expect(page.numberReturned).toBe(page.features.length);
      expect(page.numberMatched).toBe(total);
      expect(href(page, 'next') === undefined).toBe(page === last);
    }
  });

  it('gives no next link when the rest fits the page exactly, and an empty page for a selection that matches nothing', async () => {
    const all = await json('/ogc/collections/parcels/items?limit=10000');
    const total = all.numberReturned as number;
    const tail = await json(`/ogc/collections/parcels/items?limit=5&offset=${total - 5}`);
    expect(tail.features.map((f: { id: string }) => f.id)).toEqual(all.features.slice(-5).map((f: { id: string }) => f.id));
    expect(tail.links.some((l: { rel: string }) => l.rel === 'next')).toBe(false);
    const exact = await json(`/ogc/collections/parcels/items?limit=${total}`);
    expect(exact.numberReturned).toBe(total);
    expect(exact.links.some((l: { rel: string }) => l.rel === 'next')).toBe(false);
    const short = await json(`/ogc/collections/parcels/items?limit=${total - 1}`);
    expect(short.links.some((l: { rel: string }) => l.rel === 'next')).toBe(true);
    const none = await json('/ogc/collections/parcels/items?bbox=10,10,10.001,10.001');
    expect(none).toMatchObject({ numberMatched: 0, numberReturned: 0, features: [] });
    expect(none.links.map((l: { rel: string }) => l.rel)).not.toContain('next');
    expect(none.links.map((l: { rel: string }) => l.rel)).not.toContain('prev');
    const html = await get('/ogc/collections/parcels/items?bbox=10,10,10.001,10.001&f=html');
    expect(html.statusCode).toBe(200);
    expect(html.body).toContain('0 features match; 0 shown.');
  });

  it('pages by offset when asked, with next and prev offsets', async () => {
    const all = await json('/ogc/collections/parcels/items?limit=30');
    const page = await json('/ogc/collections/parcels/items?limit=10&offset=10');
    expect(page.features.map((f: { id: string }) => f.id)).toEqual(all.features.slice(10, 20).map((f: { id: string }) => f.id));
    const next = page.links.find((l: { rel: string }) => l.rel === 'next');
    const prev = page.links.find((l: { rel: string }) => l.rel === 'prev');
    expect(new URL(next.href).searchParams.get('offset')).toBe('20');
    expect(new URL(prev.href).searchParams.get('offset')).toBe('0');
  });

  it('refuses a limit out of range, a forged cursor and unknown parameters', async () => {
    expectError(await get('/ogc/collections/parcels/items?limit=0'), 400, 'invalid_query', 'limit');
    expectError(await get('/ogc/collections/parcels/items?limit=ten'), 400, 'invalid_query', 'limit');
    const clamped = await json('/ogc/collections/corridors/items?limit=99999');
    expect(clamped.numberReturned).toBe(clamped.numberMatched);
    expectError(await get('/ogc/collections/parcels/items?cursor=abc'), 400, 'invalid_cursor', 'cursor');
    expectError(await get('/ogc/collections/parcels/items?colour=red'), 400, 'invalid_query', 'colour');
  });
});

describe('bbox, datetime and the collection\'s attribute filters', () => {
  const box = [116.6, 35.35, 116.65, 35.4];

  it('selects by bbox in CRS84, and the same box in EPSG:4326 lat/lon order', async () => {
    const expected = await count(`SELECT count(*)::int n FROM parcel WHERE ST_Intersects(geom, ST_MakeEnvelope($1, $2, $3, $4, 4326))`, box);
    expect(expected).toBeGreaterThan(0);
    const a = await json(`/ogc/collections/parcels/items?limit=1&bbox=${box.join(',')}`);
    expect(a.numberMatched).toBe(expected);
    const latLon = [box[1], box[0], box[3], box[2]].join(',');
    const b = await json(`/ogc/collections/parcels/items?limit=1&bbox=${latLon}&bbox-crs=${encodeURIComponent(EPSG(4326))}`);
    expect(b.numberMatched).toBe(expected);
  });

  it('selects by a bbox given in Gauss-Krüger metres (northing, easting)', async () => {
    const r = await t.db.query<{ n0: number; e0: number; n1: number; e1: number }>(
      `SELECT ST_YMin(g) n0, ST_XMin(g) e0, ST_YMax(g) n1, ST_XMax(g) e1 FROM (SELECT ST_Transform(ST_MakeEnvelope($1, $2, $3, $4, 4326), 4548) g) s`, box,
    );
    const { n0, e0, n1, e1 } = r.rows[0];
    const expected = await count(
      `SELECT count(*)::int n FROM parcel WHERE ST_Intersects(ST_Transform(geom, 4548), ST_MakeEnvelope($1, $2, $3, $4, 4548))`, [e0, n0, e1, n1],
    );
    const res = await json(`/ogc/collections/parcels/items?limit=1&bbox=${[n0, e0, n1, e1].join(',')}&bbox-crs=${encodeURIComponent(EPSG(4548))}`);
    expect(res.numberMatched).toBe(expected);
  });

  it('applies the REST list\'s filters by the same names', async () => {
    const expected = await count(`SELECT count(*)::int n FROM parcel WHERE status IN ('idle', 'available') AND area_m2 >= 5000`);
    const res = await json('/ogc/collections/parcels/items?limit=1&status=idle,available&min_area_m2=5000');
    expect(res.numberMatched).toBe(expected);
    expectError(await get('/ogc/collections/parcels/items?status=sold'), 400, 'invalid_query', 'status');
  });

  it('filters on updated_at with datetime instants and intervals', async () => {
    await t.db.query(`UPDATE parcel SET updated_at = '2020-03-01T10:00:00Z' WHERE code IN (SELECT code FROM parcel ORDER BY code LIMIT 3)`);
    const total = await count('SELECT count(*)::int n FROM parcel');
    expect((await json('/ogc/collections/parcels/items?limit=1&datetime=2020-03-01T10:00:00Z')).numberMatched).toBe(3);
    expect((await json('/ogc/collections/parcels/items?limit=1&datetime=2020-03-01')).numberMatched).toBe(3);
    expect((await json('/ogc/collections/parcels/items?limit=1&datetime=../2020-12-31T00:00:00Z')).numberMatched).toBe(3);
    expect((await json('/ogc/collections/parcels/items?limit=1&datetime=2021-01-01T00:00:00Z/..')).numberMatched).toBe(total - 3);
    expectError(await get('/ogc/collections/parcels/items?datetime=yesterday'), 400, 'invalid_query', 'datetime');
  });
});

describe('CRS (Part 2)', () => {
  it('answers in EPSG:4326 with latitude first, and says so in Content-Crs', async () => {
    const a = await json('/ogc/collections/parcels/items?limit=1');
    const res = await get(`/ogc/collections/parcels/items?limit=1&crs=${encodeURIComponent(EPSG(4326))}`);
    expect(res.headers['content-crs']).toBe(`<${EPSG(4326)}>`);
    const [lon, lat] = a.features[0].geometry.coordinates[0][0][0];
    const [y, x] = res.json().features[0].geometry.coordinates[0][0][0];
    expect(y).toBeCloseTo(lat, 7);
    expect(x).toBeCloseTo(lon, 7);
  });

  it('answers in CGCS2000 (EPSG:4490), lat/lon, and in Gauss-Krüger metres as PostGIS computes them', async () => {
    const code = (await json('/ogc/collections/parcels/items?limit=1')).features[0].id;
    const r = await t.db.query<{ x: number; y: number }>(
      `SELECT ST_X(p) x, ST_Y(p) y FROM (SELECT ST_Transform(ST_PointN(ST_ExteriorRing(ST_GeometryN(geom, 1)), 1), 4548) p FROM parcel WHERE code = $1) s`, [code],
    );
    const gk = await get(`/ogc/collections/parcels/items/${code}?crs=${encodeURIComponent(EPSG(4548))}`);
    expect(gk.headers['content-crs']).toBe(`<${EPSG(4548)}>`);
    const [northing, easting] = gk.json().geometry.coordinates[0][0][0];
    expect(northing).toBeCloseTo(r.rows[0].y, 2);
    expect(easting).toBeCloseTo(r.rows[0].x, 2);
    // CM 117° E: Jining (116.6° E) lies about 36 km west of the central meridian.
    expect(easting).toBeGreaterThan(450_000);
    expect(easting).toBeLessThan(500_000);
    expect(northing).toBeGreaterThan(3_900_000);
    const zone39 = await get(`/ogc/collections/parcels/items/${code}?crs=${encodeURIComponent(EPSG(4527))}`);
    expect(zone39.json().geometry.coordinates[0][0][0][1]).toBeCloseTo(easting + 39_000_000, 2);
    const cgcs = await get(`/ogc/collections/parcels/items/${code}?crs=${encodeURIComponent(EPSG(4490))}`);
    const [lat, lon] = cgcs.json().geometry.coordinates[0][0][0];
    expect(lat).toBeGreaterThan(34);
    expect(lon).toBeGreaterThan(116);
    const merc = await get(`/ogc/collections/parcels/items/${code}?crs=${encodeURIComponent(EPSG(3857))}`);
    expect(merc.json().geometry.coordinates[0][0][0][0]).toBeGreaterThan(12_900_000);
    const cm120 = await get(`/ogc/collections/parcels/items/${code}?crs=${encodeURIComponent(EPSG(4549))}`);
    expect(cm120.statusCode).toBe(200);
    expect(cm120.json().geometry.coordinates[0][0][0][1]).toBeLessThan(easting);
  });

  it('refuses an unsupported CRS, naming the parameter', async () => {
    expectError(await get(`/ogc/collections/parcels/items?crs=${encodeURIComponent(EPSG(2000))}`), 400, 'invalid_crs', 'crs');
    expectError(await get('/ogc/collections/parcels/items?crs=WGS84'), 400, 'invalid_crs', 'crs');
    expectError(await get(`/ogc/collections/parcels/items?bbox=1,2,3,4&bbox-crs=EPSG:9999`), 400, 'invalid_crs', 'bbox-crs');
    expectError(await get('/ogc/collections/parcels/items/X?crs=nope'), 400, 'invalid_crs', 'crs');
  });
});

describe('CQL2 text filters (Part 3)', () => {
  const matched = async (filter: string) => {
    const res = await get(`/ogc/collections/parcels/items?limit=1&filter-lang=cql2-text&filter=${encodeURIComponent(filter)}`);
    expect(res.statusCode, `${filter}: ${res.body}`).toBe(200);
    return res.json().numberMatched as number;
  };
  const cases: [string, string][] = [
    ["status = 'idle'", "status = 'idle'"],
    ["status <> 'idle'", "status <> 'idle'"],
    ['area_m2 > 20000', 'round(area_m2::numeric, 2) > 20000'],
    ['area_m2 >= 20000 AND area_m2 < 40000.5', 'round(area_m2::numeric, 2) >= 20000 AND round(area_m2::numeric, 2) < 40000.5'],
    ["status = 'idle' OR land_use = 'M1'", "status = 'idle' OR land_use = 'M1'"],
    ["NOT (status = 'idle')", "NOT (status = 'idle')"],
    ["land_use LIKE 'M%'", "land_use LIKE 'M%'"],
    ["status IN ('idle', 'reserved')", "status IN ('idle', 'reserved')"],
    ["status NOT IN ('idle', 'reserved')", "status NOT IN ('idle', 'reserved')"],
    ['enterprise IS NULL', 'enterprise IS NULL'],
    ['enterprise IS NOT NULL', 'enterprise IS NOT NULL'],
    ["supply_date < DATE('2015-01-01')", "supply_date < '2015-01-01'"],
    ["supply_date >= '2015-01-01'", "supply_date >= '2015-01-01'"],
    ['plot_ratio_max BETWEEN 1 AND 2.5', 'plot_ratio_max BETWEEN 1 AND 2.5'],
    ["S_INTERSECTS(geometry, BBOX(116.6, 35.35, 116.65, 35.4))", 'ST_Intersects(geom, ST_MakeEnvelope(116.6, 35.35, 116.65, 35.4, 4326))'],
    [
      "S_INTERSECTS(geometry, POLYGON((116.6 35.35, 116.65 35.35, 116.65 35.4, 116.6 35.4, 116.6 35.35))) AND status = 'occupied'",
      "ST_Intersects(geom, ST_MakeEnvelope(116.6, 35.35, 116.65, 35.4, 4326)) AND status = 'occupied'",
    ],
    ["S_WITHIN(geometry, BBOX(116.6, 35.35, 116.65, 35.4))", 'ST_Within(geom, ST_MakeEnvelope(116.6, 35.35, 116.65, 35.4, 4326))'],
  ];
  it.each(cases)('%s', async (filter, sqlWhere) => {
    const expected = await count(`SELECT count(*)::int n FROM parcel WHERE ${sqlWhere}`);
    expect(await matched(filter)).toBe(expected);
  });

  it('selects something and leaves something out in the cases above', async () => {
    const total = await count('SELECT count(*)::int n FROM parcel');
    const idle = await matched("status = 'idle'");
    expect(idle).toBeGreaterThan(0);
    expect(idle).toBeLessThan(total);
  });

  it('treats quotes in values as data, never as SQL', async () => {
    expect(await matched("name = 'x'' OR ''1''=''1'")).toBe(0);
    expect(await matched("status = 'idle''; DROP TABLE parcel; --'")).toBe(0);
    expect(await count('SELECT count(*)::int n FROM parcel')).toBeGreaterThan(0);
  });

  it('filters buildings and parks by their own queryables, Chinese text included', async () => {
    const r = await t.db.query<{ name: string }>('SELECT name FROM park ORDER BY code LIMIT 1');
    const res = await json(`/ogc/collections/parks/items?filter=${encodeURIComponent(`name = '${r.rows[0].name.replaceAll("'", "''")}'`)}`);
    expect(res.numberMatched).toBe(1);
    const floors = await count('SELECT count(*)::int n FROM building WHERE floors >= 5');
    expect((await json(`/ogc/collections/buildings/items?limit=1&filter=${encodeURIComponent('floors >= 5')}`)).numberMatched).toBe(floors);
  });

  it('combines filter with bbox, attribute filters and crs', async () => {
    const expected = await count(`SELECT count(*)::int n FROM parcel WHERE status = 'occupied' AND land_use LIKE 'M%' AND ST_Intersects(geom, ST_MakeEnvelope(116.55, 35.3, 116.7, 35.45, 4326))`);
    const res = await json(`/ogc/collections/parcels/items?limit=1&status=occupied&bbox=116.55,35.3,116.7,35.45&crs=${encodeURIComponent(EPSG(4548))}&filter=${encodeURIComponent("land_use LIKE 'M%'")}`);
    expect(res.numberMatched).toBe(expected);
  });

  it('reads geometry literals in filter-crs (EPSG:4326 is lat/lon)', async () => {
    const a = await matched('S_INTERSECTS(geometry, POINT(116.62 35.37))');
    const res = await get(`/ogc/collections/parcels/items?limit=1&filter-crs=${encodeURIComponent(EPSG(4326))}&filter=${encodeURIComponent('S_INTERSECTS(geometry, POINT(35.37 116.62))')}`);
    expect(res.json().numberMatched).toBe(a);
  });

  it('reports a syntax error with its position', async () => {
    const e = expectError(await get(`/ogc/collections/parcels/items?filter=${encodeURIComponent("status = 'idle' AND (area_m2 > 5")}`), 400, 'invalid_filter', 'filter');
    expect(e.message).toMatch(/character 33/);
    const e2 = expectError(await get(`/ogc/collections/parcels/items?filter=${encodeURIComponent('status = = 1')}`), 400, 'invalid_filter', 'filter');
    expect(e2.message).toMatch(/character 10/);
    expectError(await get(`/ogc/collections/parcels/items?filter=${encodeURIComponent("status = 'idle")}`), 400, 'invalid_filter', 'filter');
    expectError(await get(`/ogc/collections/parcels/items?filter=${encodeURIComponent('S_INTERSECTS(geometry, POLYGON((1 2, 3 4, 5 6)))')}`), 400, 'invalid_filter', 'filter');
    expectError(await get(`/ogc/collections/parcels/items?filter=${encodeURIComponent("area_m2 > 'big'")}`), 400, 'invalid_filter', 'filter');
    expectError(await get(`/ogc/collections/parcels/items?filter=${encodeURIComponent('('.repeat(200) + 'TRUE' + ')'.repeat(200))}`), 400, 'invalid_filter', 'filter');
    expectError(await get(`/ogc/collections/parcels/items?filter=x&filter-lang=cql2-json`), 400, 'invalid_query', 'filter-lang');
  });

  it('reports an unknown property by name, in the API error shape', async () => {
    const e = expectError(await get(`/ogc/collections/parcels/items?filter=${encodeURIComponent("colour = 'red'")}`), 400, 'unknown_property', 'filter');
    expect(e.message).toContain("'colour'");
    const e2 = expectError(await get(`/ogc/collections/parcels/items?filter=${encodeURIComponent('geom IS NULL')}`), 400, 'unknown_property', 'filter');
    expect(e2.message).toContain("'geom'");
  });
});

describe('one feature', () => {
  it('has links, an ETag and Content-Crs', async () => {
    const first = (await json('/ogc/collections/buildings/items?limit=1')).features[0];
    const res = await get(`/ogc/collections/buildings/items/${first.id}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers.etag).toMatch(/^"\d+"$/);
    expect(res.headers['content-crs']).toBe(`<${CRS84}>`);
    const f = res.json();
    expect(f.id).toBe(first.id);
    expect(f.properties).toEqual(first.properties);
    expect(f.links.map((l: { rel: string }) => l.rel)).toEqual(expect.arrayContaining(['self', 'collection']));
  });
});

describe('writes (Part 4)', () => {
  const square = (x: number, y: number, d = 0.0004) => ({
    type: 'Polygon',
    coordinates: [[[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]]],
  });
  const send = (method: 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, body?: unknown, headers: Record<string, string> = {}) =>
    t.staff.inject({ method, url, payload: body === undefined ? undefined : JSON.stringify(body), headers: { ...(body === undefined ? {} : { 'content-type': 'application/geo+json' }), ...headers } });

  it('creates, replaces, patches and deletes a parcel, with If-Match, through the same rules as /api', async () => {
    const created = await send('POST', '/ogc/collections/parcels/items', {
      type: 'Feature',
      geometry: square(117.1, 35.1),
      properties: { code: 'OGC-T-1', name: '测试地块 "甲"', land_use: 'M1', status: 'available' },
    });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.headers.location).toMatch(/\/ogc\/collections\/parcels\/items\/OGC-T-1$/);
    const etag = created.headers.etag as string;

    const read = await json('/ogc/collections/parcels/items/OGC-T-1');
    expect(read.properties.name).toBe('测试地块 "甲"');
    // What was read can be sent back as it is: read-only attributes are dropped.
    expectError(await send('PUT', '/ogc/collections/parcels/items/OGC-T-1', read), 428, 'precondition_required', 'if-match');
    const replaced = await send('PUT', '/ogc/collections/parcels/items/OGC-T-1', { ...read, properties: { ...read.properties, status: 'reserved', name: null } }, { 'if-match': etag });
    expect(replaced.statusCode, replaced.body).toBe(200);
    expect(replaced.json().properties).toMatchObject({ status: 'reserved', name: null });
    expectError(await send('PATCH', '/ogc/collections/parcels/items/OGC-T-1', { properties: { status: 'idle' } }, { 'if-match': etag }), 412, 'version_mismatch');
    const patched = await send('PATCH', '/ogc/collections/parcels/items/OGC-T-1', { properties: { status: 'idle' } }, { 'if-match': replaced.headers.etag as string, 'content-type': 'application/merge-patch+json' });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.json().properties).toMatchObject({ status: 'idle', land_use: 'M1' });
    expectError(await send('PATCH', '/ogc/collections/parcels/items/OGC-T-1', { properties: { colour: 'red' } }, { 'if-match': '*' }), 400, 'invalid_body', 'properties.colour');
    const history = await get('/api/parcels/OGC-T-1/history');
    expect(history.json().items.map((e: { operation: string }) => e.operation)).toEqual(['create', 'update', 'update']);
    expect((await send('DELETE', '/ogc/collections/parcels/items/OGC-T-1', undefined, { 'if-match': patched.headers.etag as string })).statusCode).toBe(204);
    expectError(await get('/ogc/collections/parcels/items/OGC-T-1'), 404, 'not_found');
  });

  it('takes a body in Gauss-Krüger metres named by Content-Crs, and refuses a bad geometry', async () => {
    const r = await t.db.query<{ x: number; y: number }>('SELECT ST_X(p) x, ST_Y(p) y FROM (SELECT ST_Transform(ST_SetSRID(ST_MakePoint(117.1, 35.2), 4326), 4548) p) s');
    const { x: e, y: n } = r.rows[0];
    const ring = [[n, e], [n, e + 40], [n + 40, e + 40], [n + 40, e], [n, e]];
    const created = await send('POST', '/ogc/collections/parcels/items', {
      type: 'Feature', geometry: { type: 'Polygon', coordinates: [ring] }, properties: { code: 'OGC-T-2', land_use: 'B1', status: 'available' },
    }, { 'content-crs': `<${EPSG(4548)}>` });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json().properties.area_m2).toBeGreaterThan(1590);
    expect(created.json().properties.area_m2).toBeLessThan(1610);
    const bow = { type: 'Polygon', coordinates: [[[117.1, 35.3], [117.101, 35.301], [117.101, 35.3], [117.1, 35.301], [117.1, 35.3]]] };
    expectError(await send('POST', '/ogc/collections/parcels/items', { type: 'Feature', geometry: bow, properties: { code: 'OGC-T-3', land_use: 'B1', status: 'available' } }), 422, 'invalid_geometry', 'geometry');
  });
});
