import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t?.close());

const spatial = ['corridors', 'areas', 'parks', 'parcels', 'buildings'];
const plain = ['units', 'enterprises', 'leases', 'projects'];
const tableOf: Record<string, string> = {
  corridors: 'corridor', areas: 'area', parks: 'park', parcels: 'parcel', buildings: 'building',
  units: 'unit', enterprises: 'enterprise', leases: 'lease', projects: 'project',
};
const idOf = (c: string, item: Record<string, unknown>) => (c === 'enterprises' ? item.uscc : c === 'leases' ? item.id : item.code);

async function count(table: string, where = 'true'): Promise<number> {
  const r = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE ${where}`);
  return r.rows[0].n;
}

/** Every item of a list, page by page through `next`. */
async function readAll(url: string): Promise<{ ids: unknown[]; pages: number }> {
  const ids: unknown[] = [];
  let next: string | null = null;
  let pages = 0;
  do {
    const sep = url.includes('?') ? '&' : '?';
    const res: { statusCode: number; body: string; json: () => any } = await t.app.inject(next ? `${url}${sep}cursor=${encodeURIComponent(next)}` : url);
    expect(res.statusCode, res.body).toBe(200);
    const body: { features?: { id: unknown }[]; items: Record<string, unknown>[]; next: string | null } = res.json();
    const collection = url.split('?')[0].replace('/api/', '');
    const items = body.features ?? body.items.map((i: Record<string, unknown>) => ({ id: idOf(collection, i) }));
    ids.push(...items.map((i: { id: unknown }) => i.id));
    next = body.next;
    pages++;
  } while (next && pages < 1000);
  return { ids, pages };
}

describe.each(spatial)('GET /api/%s', (collection) => {
  it('answers a GeoJSON FeatureCollection of RFC 7946 features', async () => {
    const res = await t.app.inject(`/api/${collection}?limit=5`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/geo\+json/);
    const body = res.json();
    expect(body.type).toBe('FeatureCollection');
    expect(body.features.length).toBe(Math.min(5, await count(tableOf[collection])));
    for (const f of body.features) {
      expect(f.type).toBe('Feature');
      expect(f.geometry.type).toBe('MultiPolygon');
      const [lon, lat] = f.geometry.coordinates[0][0][0];
      expect(lon).toBeGreaterThan(116.5);
      expect(lat).toBeLessThan(35.6);
      expect(f.properties.area_m2 ?? f.properties.footprint_m2).toBeGreaterThan(0);
    }
  });
});

describe.each([...spatial, ...plain])('paging /api/%s', (collection) => {
  it('returns every row exactly once across pages', async () => {
    const total = await count(tableOf[collection]);
    const limit = Math.max(3, Math.ceil(total / 4));
    const { ids, pages } = await readAll(`/api/${collection}?limit=${limit}`);
    expect(ids.length).toBe(total);
    expect(new Set(ids).size).toBe(total);
    expect(pages).toBe(Math.max(1, Math.ceil(total / limit)));
  });
});

describe.each([...spatial, ...plain])('GET /api/%s/{id}', (collection) => {
  it('returns one item with an ETag, 304 when unchanged, 404 when absent', async () => {
    const list = (await t.app.inject(`/api/${collection}?limit=1`)).json();
    const first = list.features?.[0] ?? list.items[0];
    const id = first.id ?? idOf(collection, first);
    const res = await t.app.inject(`/api/${collection}/${encodeURIComponent(String(id))}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers.etag).toMatch(/^"\d+"$/);
    const again = await t.app.inject({ url: `/api/${collection}/${encodeURIComponent(String(id))}`, headers: { 'if-none-match': res.headers.etag as string } });
    expect(again.statusCode).toBe(304);
    const missing = await t.app.inject(`/api/${collection}/${collection === 'leases' ? 99999999 : 'NO-SUCH-ID'}`);
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.code).toBe('not_found');
  });
});

describe('list filters', () => {
  it('filters parcels by status, several values at once', async () => {
    const body = (await t.app.inject('/api/parcels?status=idle,reserved&limit=10000')).json();
    expect(body.features.length).toBe(await count('parcel', "status IN ('idle', 'reserved')"));
    expect(body.features.every((f: { properties: { status: string } }) => ['idle', 'reserved'].includes(f.properties.status))).toBe(true);
  });

  it('filters parcels by major land-use class and minimum area', async () => {
    const body = (await t.app.inject('/api/parcels?land_use=M&min_area_m2=20000&limit=10000')).json();
    expect(body.features.length).toBe(await count('parcel', "land_use LIKE 'M%' AND area_m2 >= 20000"));
    for (const f of body.features) {
      expect(f.properties.land_use).toMatch(/^M/);
      expect(f.properties.area_m2).toBeGreaterThanOrEqual(20000);
    }
  });

  it('filters parcels by the park that contains them (derived from geometry)', async () => {
    const park = (await t.db.query<{ park: string; n: number }>(
      'SELECT park, count(*)::int AS n FROM parcel_containment WHERE park IS NOT NULL GROUP BY park ORDER BY n DESC LIMIT 1',
    )).rows[0];
    const body = (await t.app.inject(`/api/parcels?park=${park.park}&limit=10000`)).json();
    expect(body.features.length).toBe(park.n);
    const inside = await t.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM parcel p JOIN park k ON k.code = $1 WHERE ST_Intersects(k.geom, ST_PointOnSurface(p.geom))`,
      [park.park],
    );
    expect(body.features.length).toBe(inside.rows[0].n);
  });

  it('returns exactly the parcels intersecting a bbox', async () => {
    const bbox = [116.6, 35.38, 116.68, 35.44];
    const body = (await t.app.inject(`/api/parcels?bbox=${bbox.join(',')}&limit=10000`)).json();
    const expected = await count('parcel', `ST_Intersects(geom, ST_MakeEnvelope(${bbox.join(',')}, 4326))`);
    expect(expected).toBeGreaterThan(0);
    expect(body.features.length).toBe(expected);
  });

  it('sorts descending by area and pages in that order', async () => {
    const first = (await t.app.inject('/api/parcels?sort=-area_m2&limit=5')).json();
    const second = (await t.app.inject(`/api/parcels?sort=-area_m2&limit=5&cursor=${first.next}`)).json();
    const areas = [...first.features, ...second.features].map((f: { properties: { area_m2: number } }) => f.properties.area_m2);
    expect(areas).toEqual([...areas].sort((a, b) => b - a));
    const max = await t.db.query<{ a: number }>('SELECT round(max(area_m2)::numeric, 2)::float8 AS a FROM parcel');
    expect(areas[0]).toBe(max.rows[0].a);
  });

  it('filters units by derived status and enterprises by industry section', async () => {
    const vacant = (await t.app.inject('/api/units?status=vacant&limit=10000')).json();
    expect(vacant.items.length).toBe((await t.db.query<{ n: number }>("SELECT count(*)::int AS n FROM unit_occupancy WHERE status = 'vacant'")).rows[0].n);
    const makers = (await t.app.inject('/api/enterprises?industry=C&limit=10000')).json();
    expect(makers.items.length).toBe(await count('enterprise', "industry LIKE 'C%'"));
  });
});

describe('derived values', () => {
  it('gives true ground areas in m² and mu', async () => {
    const f = (await t.app.inject('/api/parcels?limit=1')).json().features[0];
    const geodesic = await t.db.query<{ a: number }>("SELECT ST_Area(geom::geography) AS a FROM parcel WHERE code = $1", [f.id]);
    expect(f.properties.area_m2).toBeCloseTo(geodesic.rows[0].a, 1);
    expect(f.properties.area_mu).toBeCloseTo(f.properties.area_m2 / 666.6667, 1);
  });

  it('counts a unit as leased from the first to the last day of its lease, both included', async () => {
    const l = (await t.db.query<{ id: number; unit: string; s: string; e: string; before: string; after: string }>(
      `SELECT id::int AS id, unit, to_char(start_date, 'YYYY-MM-DD') AS s, to_char(end_date, 'YYYY-MM-DD') AS e,
              to_char(start_date - 1, 'YYYY-MM-DD') AS before, to_char(end_date + 1, 'YYYY-MM-DD') AS after
       FROM lease WHERE unit IS NOT NULL AND end_date IS NOT NULL ORDER BY id LIMIT 1`,
    )).rows[0];
    const leaseOn = async (day: string) => (await t.db.query<{ lease_id: number | null }>(
      'SELECT lease_id::int AS lease_id FROM unit_occupancy_at($1::date) WHERE unit = $2', [day, l.unit])).rows[0].lease_id;
    expect(await leaseOn(l.s)).toBe(l.id);
    expect(await leaseOn(l.e)).toBe(l.id);
    expect(await leaseOn(l.before)).not.toBe(l.id);
    expect(await leaseOn(l.after)).not.toBe(l.id);
  });
});

describe('service routes', () => {
  it('reports health with the driver and PostGIS version', async () => {
    const body = (await t.app.inject('/api/health')).json();
    expect(body).toEqual({ status: 'ok', db: t.db.kind, postgis: expect.stringMatching(/^3\.\d+\.\d+/) });
  });

  it('serves an OpenAPI 3 document covering every collection, and its page without external requests', async () => {
    const doc = (await t.app.inject('/api/openapi.json')).json();
    expect(doc.openapi).toMatch(/^3\./);
    for (const c of [...spatial, ...plain]) {
      expect(Object.keys(doc.paths)).toContain(`/api/${c}`);
      expect(Object.keys(doc.paths)).toContain(`/api/${c}/{id}/history`);
    }
    const page = await t.app.inject('/api/docs/');
    expect(page.statusCode).toBe(200);
    // Scripts, styles and the document itself come from this server.
    expect(page.body).not.toMatch(/(src|href)=["']?(https?:)?\/\//i);
    const init = await t.app.inject('/api/docs/static/swagger-initializer.js');
    expect(init.statusCode).toBe(200);
    expect(init.body).toContain("url: resolveUrl('./json')");
    expect(init.body).not.toMatch(/petstore|(src|url)\s*[:=]\s*["']https?:/i);
  });

  it('lists the land-use and industry code tables', async () => {
    const lu = (await t.app.inject('/api/codes/land-use')).json().items;
    expect(lu.find((c: { code: string }) => c.code === 'M1')).toMatchObject({ major: 'M', tdyh_code: '100101' });
    const ind = (await t.app.inject('/api/codes/industry')).json().items;
    expect(ind.find((c: { code: string }) => c.code === 'C27').name).toBe('医药制造业');
  });
});
