import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.ts';
import { startTestApp, tableCounts, type TestApp } from './support/app.ts';
import { spaceSearchCriteria } from '@parkatlas/schema';
import { parcelSearchSql, unitSearchSql, type SpaceRow } from '../src/spaces/search-sql.ts';
import { NEAR_PASSES, searchSettings, searchSpaces, topScore } from '../src/spaces/search.ts';
import { ENTERPRISE_B, loadSpacesFixture, post } from './support/spaces-fixture.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
  await loadSpacesFixture(t);
});
afterAll(() => t?.close());

const search = (criteria: object) => post(t, '/api/spaces/search', criteria);
const ids = (res: { json: () => { items: { id: string }[] } }) => res.json().items.map((i) => i.id);

describe('ranking', () => {
  // Weights: area 30, budget 30, industry 20 → out of 80.
  //   TU1 300 m², ¥40, C27 in TP1 themes     30 + 30 + 20 = 80 → 100
  //   TU3 180 m² (10% under 200): 30 × (1 − 0.1/0.25) = 18; + 30 + 20 = 68 → 85
  //   TU2 380 m², ¥46 (15% over): 30 + 30 × (1 − 0.15/0.25) = 12; + 20 = 62 → 77.5
  //   TV1 350 m², ¥36, TP2 themes I65 only   30 + 30 + 0 = 60 → 75
  //   TV2 220 m², no rent, TP2               30 + 0 + 0 = 30 → 37.5
  // Left out: TU4 leased today, TU5 available only from 2099, TU6 600 m² (50% over), TU7 ¥55 (37.5% over),
  // TU8 reserved.
  const criteria = { kinds: ['unit'], parks: ['TP1', 'TP2'], min_area_m2: 200, max_area_m2: 400, max_rent_m2_month: 40, industry: 'C27' };

  it('ranks by the documented weights, best first, with the reasons', async () => {
    const res = await search(criteria);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.items.map((i: { id: string; score: number }) => [i.id, i.score])).toEqual([
      ['TU1', 100], ['TU3', 85], ['TU2', 77.5], ['TV1', 75], ['TV2', 37.5],
    ]);
    const [tu1, tu3, tu2, tv1, tv2] = body.items;
    expect(tu1.points).toEqual({ area: 30, budget: 30, industry: 20 });
    expect(tu1.matched).toContain('area fits (300 m² in 200–400)');
    expect(tu1.shortfalls).toEqual([]);
    expect(tu1).toMatchObject({ kind: 'unit', park: 'TP1', building: 'TBA1', parcel: 'TPA1', area_m2: 300, rent_cny_m2_month: 40, total_rent_cny_month: 12000, corridor: 'TC1' });
    expect(tu1.geometry.type).toBe('Point');
    expect(tu1.link).toBe('/?sel=buildings:TBA1&unit=TU1');
    expect(tu3.points.area).toBe(18);
    expect(tu3.shortfalls).toContain('area 10% under the minimum (180 m² < 200)');
    expect(tu2.points.budget).toBe(12);
    expect(tu2.shortfalls[0]).toMatch(/^rent 15% over budget/);
    expect(tv1.points.industry).toBe(0);
    expect(tv1.shortfalls[0]).toMatch(/industry C27 is outside the park's themes \(I65\)/);
    expect(tv2.points.budget).toBe(0);
    expect(tv2.shortfalls).toContain('no asking rent published: ask the park');
    // The same reasons as codes with their figures, for clients that word them in their own language.
    expect(tu3.reasons).toContainEqual({ code: 'area_under', matched: false, values: { area: 180, min: 200, share: 0.1 } });
    expect(tu2.reasons.find((r: { code: string }) => r.code === 'rent_over')).toMatchObject({ matched: false, values: { budget: 40 } });
    expect(tu2.reasons.find((r: { code: string }) => r.code === 'rent_over').values.share).toBeCloseTo(0.15, 6);
    expect(tu1.reasons.filter((r: { matched: boolean }) => r.matched)).toHaveLength(tu1.matched.length);
    expect(tv1.reasons.filter((r: { matched: boolean }) => !r.matched).map((r: { code: string }) => r.code)).toContain('industry_outside');
  });

  it('reads vacancy from the leases on the day asked: TU4 is free after its lease ends', async () => {
    const res = await search({ ...criteria, available_by: '2031-01-01' });
    expect(ids(res)).toEqual(['TU1', 'TU4', 'TU3', 'TU2', 'TV1', 'TV2']);
    expect(res.json().items[1].score).toBe(100);
    expect(ids(await search({ ...criteria, available_by: '2030-12-31' }))).not.toContain('TU4');
  });

  it('gives half the industry points when only the section agrees', async () => {
    // C35 is not a theme of TP1 (C27, M73) but shares section C.
    const res = await search({ kinds: ['unit'], parks: ['TP1'], industry: 'C35', max_area_m2: 400 });
    const tu1 = res.json().items.find((i: { id: string }) => i.id === 'TU1');
    expect(tu1.points).toEqual({ area: 30, industry: 10 });
    expect(tu1.score).toBe(80);
  });

  it('applies the hard criteria', async () => {
    expect(ids(await search({ parks: ['TP1', 'TP2'], move_in_ready: true }))).toEqual(['TU1']);
    expect(ids(await search({ parks: ['TP1', 'TP2'], min_floor_load_kn_m2: 5 }))).toEqual(['TU1']);
    expect(ids(await search({ parks: ['TP1', 'TP2'], min_clear_height_m: 3.5, min_power_kva: 40 }))).toEqual(['TU1']);
    expect(ids(await search({ kinds: ['unit'], parks: ['TP1', 'TP2'], ground_floor: true }))).toEqual(['TU1', 'TU3', 'TU6', 'TU7', 'TV2']);
    // Corridor TC1 covers parcel TPA1 only.
    expect(ids(await search({ kinds: ['unit'], corridor: 'TC1' }))).toEqual(['TU1', 'TU2', 'TU3', 'TU6', 'TU7']);
  });

  it('finds spaces near a point, nearer first, with the index prefilter', async () => {
    // Building TBA1 is at about 117.502, 35.902; parcel TPC1 about 1.3 km north-east; TBB1 about 3 km east.
    const res = await search({ near: { lon: 117.502, lat: 35.902, max_distance_m: 1500 } });
    expect(res.statusCode, res.body).toBe(200);
    const items = res.json().items;
    expect(items.length).toBeGreaterThan(0);
    expect(items.every((i: { park: string; distance_m: number }) => i.park === 'TP1' && i.distance_m <= 1500)).toBe(true);
    expect(new Set(items.map((i: { id: string }) => i.id))).toEqual(new Set(['TU1', 'TU2', 'TU3', 'TU6', 'TU7', 'TPC1']));
    const tu1 = items.find((i: { id: string }) => i.id === 'TU1');
    expect(tu1.distance_m).toBeLessThan(20);
    expect(tu1.points.distance).toBeCloseTo(20 * (1 - tu1.distance_m / 1500), 1);
    const tpc1 = items.find((i: { id: string }) => i.id === 'TPC1');
    expect(tpc1.distance_m).toBeGreaterThan(tu1.distance_m);
    expect(tpc1.score).toBeLessThan(tu1.score);
  });

  it('searches parcels released for use, not those leased or reserved', async () => {
    const area = (await t.db.query<{ a: number }>(`SELECT area_m2 AS a FROM parcel WHERE code = 'TPC1'`)).rows[0].a;
    const res = await search({ kinds: ['parcel'], parks: ['TP1'], min_area_m2: Math.floor(area * 0.9), max_area_m2: Math.ceil(area * 1.1), max_rent_m2_month: 20 });
    expect(res.statusCode, res.body).toBe(200);
    const items = res.json().items;
    expect(items.map((i: { id: string }) => i.id)).toEqual(['TPC1']);
    // Area fits (30 of 30); a parcel is supplied, not let: no budget points (0 of 30) → 50.
    expect(items[0]).toMatchObject({ kind: 'parcel', score: 50, points: { area: 30, budget: 0 }, link: '/?sel=parcels:TPC1', land_use: 'M1' });
    expect(items[0].shortfalls[0]).toMatch(/land is supplied, not let/);
  });

  it('pages with limit', async () => {
    const res = await search({ ...criteria, limit: 2 });
    expect(ids(res)).toEqual(['TU1', 'TU3']);
  });
});

describe('bad input', () => {
  const bad: [string, object, number, string][] = [
    ['min > max', { min_area_m2: 500, max_area_m2: 100 }, 400, 'max_area_m2'],
    ['a negative area', { min_area_m2: -5 }, 400, 'min_area_m2'],
    ['a negative budget', { max_rent_m2_month: -1 }, 400, 'max_rent_m2_month'],
    ['an unknown park', { parks: ['TP1', 'NOPE'] }, 422, 'parks'],
    ['an unknown industry code', { industry: 'C99' }, 422, 'industry'],
    ['a malformed industry code', { industry: 'c27x' }, 400, 'industry'],
    ['an unknown corridor', { corridor: 'NOPE' }, 422, 'corridor'],
    ['an impossible date', { available_by: '2026-02-30' }, 400, 'available_by'],
    ['an unknown criterion', { colour: 'red' }, 400, 'colour'],
    ['a distance without a point', { near: { max_distance_m: 100 } }, 400, 'near.lon'],
  ];
  for (const [what, body, status, field] of bad) {
    it(`rejects ${what}, naming ${field}`, async () => {
      const res = await search(body);
      expect(res.statusCode, res.body).toBe(status);
      expect(res.json().error.field).toBe(field);
    });
  }
});

describe('saved searches and alerts', () => {
  let hook: Server;
  let hookUrl: string;
  const received: { body: { saved_search: { id: number }; alerts: { space: string }[] } }[] = [];
  let notify: () => void = () => undefined;
  beforeAll(async () => {
    hook = createServer((req: IncomingMessage, res) => {
      let data = '';
      req.on('data', (c) => (data += c));
      req.on('end', () => {
        received.push({ body: JSON.parse(data) });
        res.end('ok');
        notify();
      });
    });
    await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
    hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook`;
  });
  afterAll(() => new Promise<void>((r) => hook.close(() => r())));
  const nextWebhook = () => new Promise<void>((r) => (notify = r));

  const inbox = async (owner: string) => (await t.staff.inject(`/api/alerts?owner=${encodeURIComponent(owner)}`)).json();
  const etag = async (url: string) => (await t.app.inject(url)).headers.etag as string;

  it('records what matches when saved, without alerting', async () => {
    const res = await post(t, '/api/saved-searches', {
      owner: 'investor a', name: '300 m² in TP1', criteria: { kinds: ['unit'], parks: ['TP1'], min_area_m2: 290, max_area_m2: 330 }, webhook_url: hookUrl,
    });
    expect(res.statusCode, res.body).toBe(201);
    // The area tolerance admits 217.5–412.5 m²: TU1 (300), TU7 (300), TU2 (380); TU4 is leased, TU8 reserved,
    // TU5 free only from 2099.
    expect(res.json()).toMatchObject({ owner: 'investor a', matches: 3, webhook_url: hookUrl });
    expect((await inbox('investor a')).items).toEqual([]);
    const list = (await t.staff.inject('/api/saved-searches?owner=investor%20a')).json();
    expect(list.items).toHaveLength(1);
  });

  it('alerts when a lease ends, in the inbox and by webhook, once', async () => {
    const lease = (await t.db.query<{ id: number }>(`SELECT id::int AS id FROM lease WHERE unit = 'TU4'`)).rows[0].id;
    const delivered = nextWebhook();
    const end = await t.staff.inject({
      method: 'PATCH', url: `/api/leases/${lease}`, payload: { end_date: '2025-12-31' },
      headers: { 'if-match': await etag(`/api/leases/${lease}`), },
    });
    expect(end.statusCode, end.body).toBe(200);
    const box = await inbox('investor a');
    expect(box.unread).toBe(1);
    expect(box.items[0]).toMatchObject({ kind: 'unit', space: 'TU4', link: '/?sel=buildings:TBA1&unit=TU4', read_at: null, saved_search_name: '300 m² in TP1' });
    await delivered;
    expect(received.at(-1)!.body.alerts.map((a) => a.space)).toEqual(['TU4']);
    // Evaluating again finds nothing new.
    const again = await post(t, '/api/saved-searches/evaluate', {});
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json().alerts).toEqual([]);
    expect((await inbox('investor a')).items).toHaveLength(1);
    // Mark read.
    const read = await post(t, `/api/alerts/${box.items[0].id}/read`, {});
    expect(read.statusCode, read.body).toBe(200);
    expect(read.json().read_at).not.toBeNull();
    expect((await inbox('investor a')).unread).toBe(0);
    // The webhook's outcome is kept.
    await new Promise((r) => setTimeout(r, 100));
    expect((await inbox('investor a')).items[0].webhook_status).toBe('delivered: HTTP 200');
  });

  it('alerts when a unit is fitted out and when a parcel is released', async () => {
    await post(t, '/api/saved-searches', { owner: 'agency b', criteria: { parks: ['TP1'], move_in_ready: true, max_area_m2: 200 } });
    await post(t, '/api/saved-searches', { owner: 'agency b', criteria: { kinds: ['parcel'], parks: ['TP1'] } });
    expect((await inbox('agency b')).items).toEqual([]);
    const fit = await t.staff.inject({ method: 'PATCH', url: '/api/units/TU3', payload: { move_in_ready: true }, headers: { 'if-match': await etag('/api/units/TU3') } });
    expect(fit.statusCode, fit.body).toBe(200);
    const release = await t.staff.inject({
      method: 'PATCH', url: '/api/parcels/TPC3', payload: { properties: { status: 'available' } }, headers: { 'if-match': await etag('/api/parcels/TPC3') },
    });
    expect(release.statusCode, release.body).toBe(200);
    const box = await inbox('agency b');
    expect(box.items.map((a: { kind: string; space: string; link: string }) => [a.kind, a.space, a.link])).toEqual([
      ['parcel', 'TPC3', '/?sel=parcels:TPC3'],
      ['unit', 'TU3', '/?sel=buildings:TBA1&unit=TU3'],
    ]);
  });

  it('alerts when a lease ends with time alone, by evaluating now and then', async () => {
    // A server evaluating every 50 ms over the same data; the lease's end passes with no write to the API.
    const ticking = await buildApp({ db: t.db, alertsEveryMs: 50 });
    const lease = await t.db.query<{ id: number }>(`INSERT INTO lease (enterprise, unit, start_date, end_date) VALUES ($1, 'TU6', '2020-01-01', '2099-12-31') RETURNING id::int AS id`, [ENTERPRISE_B]);
    try {
      await ticking.ready();
      const saved = await post(t, '/api/saved-searches', { owner: 'investor c', criteria: { kinds: ['unit'], parks: ['TP1'], min_area_m2: 550, max_area_m2: 650 } });
      expect(saved.statusCode, saved.body).toBe(201);
      await t.db.query(`UPDATE lease SET end_date = current_date - 1 WHERE id = $1`, [lease.rows[0].id]);
      let items: { space: string }[] = [];
      for (let i = 0; i < 100 && !items.some((a) => a.space === 'TU6'); i++) {
        await new Promise((r) => setTimeout(r, 50));
        items = (await t.staff.inject('/api/alerts?owner=investor%20c')).json().items;
      }
      expect(items.map((a) => a.space)).toEqual(['TU6']);
    } finally {
      await ticking.close();
      await t.db.query(`DELETE FROM lease WHERE id = $1`, [lease.rows[0].id]);
    }
  });

  it('deletes a saved search with its alerts', async () => {
    const list = (await t.staff.inject('/api/saved-searches?owner=agency%20b')).json().items;
    for (const s of list) expect((await t.staff.inject({ method: 'DELETE', url: `/api/saved-searches/${s.id}` })).statusCode).toBe(204);
    expect((await inbox('agency b')).items).toEqual([]);
    expect((await t.staff.inject({ method: 'DELETE', url: `/api/saved-searches/${list[0].id}` })).statusCode).toBe(404);
  });

  it('refuses bad saved searches, naming the field, saving nothing', async () => {
    const before = (await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM saved_search')).rows[0].n;
    const counts = await tableCounts(t.db);
    const cases: [object, number, string][] = [
      [{ owner: 'x', criteria: { min_area_m2: 10, max_area_m2: 5 } }, 400, 'criteria.max_area_m2'],
      [{ owner: 'x', criteria: { parks: ['NOPE'] } }, 422, 'parks'],
      [{ owner: 'x', criteria: {}, webhook_url: 'ftp://example.org/' }, 400, 'webhook_url'],
    ];
    for (const [body, status, field] of cases) {
      const res = await post(t, '/api/saved-searches', body);
      expect(res.statusCode, res.body).toBe(status);
      expect(res.json().error.field).toBe(field);
    }
    // Only staff may save a search for someone else; the public may not save one at all.
    const investor = await t.as('investor x', ['read']);
    const forOther = await investor.inject({ method: 'POST', url: '/api/saved-searches', payload: { owner: 'someone else', criteria: {} } });
    expect(forOther.statusCode, forOther.body).toBe(403);
    expect(forOther.json().error).toMatchObject({ code: 'not_owner', field: 'owner' });
    const anonymous = await t.app.inject({ method: 'POST', url: '/api/saved-searches', payload: { criteria: {} } });
    expect(anonymous.json().error.code).toBe('unauthenticated');
    expect((await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM saved_search')).rows[0].n).toBe(before);
    expect(await tableCounts(t.db)).toEqual(counts);
  });
});

describe('space_unit (kept by triggers)', () => {
  it('agrees with unit, building and parcel_zone after every kind of write', async () => {
    // Writes above moved TU3 to move-in ready and TPC3 to available; now a unit, a building and a park.
    const etag = async (url: string) => (await t.app.inject(url)).headers.etag as string;
    expect((await t.staff.inject({ method: 'PATCH', url: '/api/units/TU2', payload: { rent_cny_m2_month: 41, area_m2: 390 }, headers: { 'if-match': await etag('/api/units/TU2') } })).statusCode).toBe(200);
    await t.db.query(`UPDATE building SET geom = ST_Multi(ST_GeomFromText('POLYGON((117.5016 35.9016,117.5024 35.9016,117.5024 35.9024,117.5016 35.9024,117.5016 35.9016))', 4326)) WHERE code = 'TBA1'`);
    await t.db.query(`UPDATE park SET geom = ST_Multi(ST_GeomFromText('POLYGON((117.53 35.9,117.55 35.9,117.55 35.92,117.53 35.92,117.53 35.9))', 4326)), code = 'TP2' WHERE code = 'TP2'`);
    await t.db.query(`INSERT INTO unit (code, building, floor, kind, area_m2) VALUES ('TU9', 'TBB1', 2, 'office', 99)`);
    await t.db.query(`DELETE FROM unit WHERE code = 'TU9'`);
    const diff = await t.db.query(`
      (SELECT u.code, u.building, b.parcel, z.park, z.corridor, u.area_m2, u.rent_cny_m2_month, u.reserved, u.move_in_ready,
              u.floor, u.floor_load_kn_m2, u.clear_height_m, u.power_kva, u.available_from, ST_AsText(ST_PointOnSurface(b.geom)) AS pt
       FROM unit u JOIN building b ON b.code = u.building LEFT JOIN parcel_zone z ON z.parcel = b.parcel
       EXCEPT
       SELECT unit, building, parcel, park, corridor, area_m2, rent_cny_m2_month, reserved, move_in_ready,
              floor, floor_load_kn_m2, clear_height_m, power_kva, available_from, ST_AsText(pt) FROM space_unit)
      UNION ALL
      (SELECT unit, building, parcel, park, corridor, area_m2, rent_cny_m2_month, reserved, move_in_ready,
              floor, floor_load_kn_m2, clear_height_m, power_kva, available_from, ST_AsText(pt) FROM space_unit
       EXCEPT
       SELECT u.code, u.building, b.parcel, z.park, z.corridor, u.area_m2, u.rent_cny_m2_month, u.reserved, u.move_in_ready,
              u.floor, u.floor_load_kn_m2, u.clear_height_m, u.power_kva, u.available_from, ST_AsText(ST_PointOnSurface(b.geom))
       FROM unit u JOIN building b ON b.code = u.building LEFT JOIN parcel_zone z ON z.parcel = b.parcel)`);
    expect(diff.rows).toEqual([]);
    const tu2 = (await t.db.query<{ area: number; park: string }>(`SELECT area_m2::float8 AS area, park FROM space_unit WHERE unit = 'TU2'`)).rows[0];
    expect(tu2).toEqual({ area: 390, park: 'TP1' });
  });
});

describe('space_unit.busy (kept by triggers on lease, 010)', () => {
  const disagreeing = () => t.db.query(`
    SELECT s.unit FROM space_unit s
    WHERE s.busy IS DISTINCT FROM coalesce(
      (SELECT range_agg(daterange(l.start_date, l.end_date, '[]')) FROM lease l WHERE l.unit = s.unit), '{}')`);

  it('agrees with the leases after inserting, moving, ending and deleting leases', async () => {
    expect((await disagreeing()).rows).toEqual([]);
    const open = await t.db.query<{ id: number }>(
      `INSERT INTO lease (enterprise, unit, start_date, end_date) VALUES ($1, 'TU6', '2040-01-01', NULL), ($1, 'TU6', '2035-01-01', '2035-12-31') RETURNING id::int AS id`,
      [ENTERPRISE_B],
    );
    const busy = async (unit: string) => (await t.db.query<{ b: string }>(`SELECT busy::text AS b FROM space_unit WHERE unit = $1`, [unit])).rows[0].b;
    expect(await busy('TU6')).toBe('{[2035-01-01,2036-01-01),[2040-01-01,)}');
    // Moving the open lease to another unit refreshes both.
    await t.db.query(`UPDATE lease SET unit = 'TU7' WHERE id = $1`, [open.rows[0].id]);
    expect(await busy('TU6')).toBe('{[2035-01-01,2036-01-01)}');
    expect(await busy('TU7')).toBe('{[2040-01-01,)}');
    await t.db.query(`UPDATE lease SET end_date = '2040-06-30' WHERE id = $1`, [open.rows[0].id]);
    expect(await busy('TU7')).toBe('{[2040-01-01,2040-07-01)}');
    await t.db.query(`DELETE FROM lease WHERE id = ANY($1::bigint[])`, [open.rows.map((r) => r.id)]);
    expect(await busy('TU6')).toBe('{}');
    expect(await busy('TU7')).toBe('{}');
    expect((await disagreeing()).rows).toEqual([]);
  });
});

describe('the perfect-tier shortcut', () => {
  // The shortcut (perfect spaces first, park by park, in id order) must give exactly the head of the full
  // ranking. Checked on the generated zone of the test database, with searches that hit it and miss it.
  const cases: object[] = [
    { min_area_m2: 40, max_area_m2: 400 },
    { min_area_m2: 100, max_area_m2: 2000, max_rent_m2_month: 30, limit: 20 },
    { industry: 'C27', max_area_m2: 3000, limit: 10 },
    { industry: 'I65', parks: ['P01', 'P03', 'P05'], min_area_m2: 50, limit: 5 },
    { max_total_month: 20000, industry: 'C', limit: 30 },
    { kinds: ['parcel'], min_area_m2: 1000, max_area_m2: 100000, industry: 'C35', limit: 5 },
    // Rents start at ¥15: nothing is perfect, so the full ranking answers.
    { min_area_m2: 1500, max_area_m2: 2500, max_rent_m2_month: 14 },
  ];
  for (const raw of cases) {
    it(`agrees with the full ranking for ${JSON.stringify(raw)}`, async () => {
      const c = spaceSearchCriteria.parse(raw);
      const limit = c.limit ?? 50;
      const day = '2026-06-30';
      const { viaShortcut, full } = await t.db.tx(async (q) => {
        await searchSettings(q);
        const viaShortcut = (await searchSpaces(q, c, day)).map((i) => `${i.kind}:${i.id}:${i.score}`);
        const rows: SpaceRow[] = [];
        for (const build of [unitSearchSql, parcelSearchSql]) {
          if (build === parcelSearchSql && c.kinds?.includes('parcel') === false) continue;
          if (build === unitSearchSql && c.kinds && !c.kinds.includes('unit')) continue;
          const s = build(c, day, limit)!;
          rows.push(...(await q.query<SpaceRow>(s.sql, s.values)).rows);
        }
        rows.sort((a, b) => b.raw_score - a.raw_score || (a.kind === b.kind ? (a.id < b.id ? -1 : 1) : a.kind === 'unit' ? -1 : 1));
        return { viaShortcut, full: rows.slice(0, limit).map((r) => `${r.kind}:${r.id}:${r.score}`) };
      });
      expect(viaShortcut.length).toBeGreaterThan(0);
      expect(viaShortcut).toEqual(full);
    });
  }
});

/** The search through searchSpaces and by the full ranking of each kind, with the statements searchSpaces sent. */
async function bothWays(raw: object, day = '2026-06-30') {
  const c = spaceSearchCriteria.parse(raw);
  const limit = c.limit ?? 50;
  return t.db.tx(async (q) => {
    await searchSettings(q);
    const sent: { sql: string; values: unknown[] }[] = [];
    const recording = { query: (sql: string, values?: unknown[]) => (sent.push({ sql, values: values ?? [] }), q.query(sql, values)) } as typeof q;
    const viaShortcut = (await searchSpaces(recording, c, day)).map((i) => `${i.kind}:${i.id}:${i.score}`);
    const rows: SpaceRow[] = [];
    if (!c.kinds || c.kinds.includes('unit')) rows.push(...(await q.query<SpaceRow>(unitSearchSql(c, day, limit)!.sql, unitSearchSql(c, day, limit)!.values)).rows);
    if (!c.kinds || c.kinds.includes('parcel')) rows.push(...(await q.query<SpaceRow>(parcelSearchSql(c, day, limit)!.sql, parcelSearchSql(c, day, limit)!.values)).rows);
    rows.sort((a, b) => b.raw_score - a.raw_score || (a.kind === b.kind ? (a.id < b.id ? -1 : 1) : a.kind === 'unit' ? -1 : 1));
    return { viaShortcut, full: rows.slice(0, limit).map((r) => `${r.kind}:${r.id}:${r.score}`), sent };
  });
}

describe('the nearest-first passes', () => {
  // A unit's point in the generated park P01: dense around it, as the zone centre is in the 100k zone.
  let at: { lon: number; lat: number };
  beforeAll(async () => {
    at = (await t.db.query<{ lon: number; lat: number }>(`SELECT ST_X(pt)::float8 AS lon, ST_Y(pt)::float8 AS lat FROM space_unit WHERE park = 'P01' ORDER BY unit LIMIT 1`)).rows[0];
  });
  const cases: [string, (near: { lon: number; lat: number }) => object, boolean][] = [
    // The test zone's units are 580–2,250 m² (5th–95th percentile).
    // Within 50 km, the first pass looks 5 km around: in this small zone, enough units to answer.
    ['area within 50 km: the first pass answers', (p) => ({ min_area_m2: 500, max_area_m2: 3000, near: { ...p, max_distance_m: 50_000 } }), true],
    ['area within 8 km: the later passes or the full ranking answer', (p) => ({ min_area_m2: 500, max_area_m2: 3000, near: { ...p, max_distance_m: 8000 } }), false],
    ['budget and industry within 3 km, 20 asked', (p) => ({ max_rent_m2_month: 40, industry: 'C27', near: { ...p, max_distance_m: 3000 }, limit: 20 }), false],
    ['units only, within 1 km', (p) => ({ kinds: ['unit'], min_area_m2: 100, near: { ...p, max_distance_m: 1000 } }), false],
    ['200 asked within 400 m: too few near, the full ranking answers', (p) => ({ near: { ...p, max_distance_m: 400 }, limit: 200 }), false],
  ];
  for (const [what, make, firstPass] of cases) {
    it(`agrees with the full ranking: ${what}`, async () => {
      const raw = make(at) as { near: { max_distance_m: number } };
      const { viaShortcut, full, sent } = await bothWays(raw);
      expect(viaShortcut.length).toBeGreaterThan(0);
      expect(viaShortcut).toEqual(full);
      if (firstPass) {
        // Units answered by the first pass: one unit statement, bounded by a tenth of the distance.
        const units = sent.filter((s) => s.sql.includes('FROM space_unit'));
        expect(units).toHaveLength(1);
        expect(units[0].values).toContain(raw.near.max_distance_m * NEAR_PASSES[0]);
      }
    });
  }
});

describe('parcels left out when units fill the list', () => {
  it('asks no parcel when `limit` units score at least what a parcel can (no rent: no budget points)', async () => {
    const { viaShortcut, full, sent } = await bothWays({ min_area_m2: 500, max_area_m2: 3000, max_rent_m2_month: 60, limit: 20 });
    expect(viaShortcut).toEqual(full);
    expect(viaShortcut.every((s) => s.startsWith('unit:'))).toBe(true);
    expect(sent.some((s) => s.sql.includes('FROM parcel p'))).toBe(false);
  });

  it('still asks the parcels when units do not fill the list', async () => {
    // Larger than any unit, even with the area tolerance: only parcels fit.
    const largest = (await t.db.query<{ a: number }>(`SELECT max(area_m2)::float8 AS a FROM unit`)).rows[0].a;
    const { viaShortcut, full, sent } = await bothWays({ min_area_m2: Math.ceil(largest * 1.5) });
    expect(viaShortcut).toEqual(full);
    expect(viaShortcut.some((s) => s.startsWith('parcel:'))).toBe(true);
    expect(sent.some((s) => s.sql.includes('FROM parcel p'))).toBe(true);
  });

  it('topScore is what the best parcel and unit can score', () => {
    const c = spaceSearchCriteria.parse({ min_area_m2: 10, max_total_month: 100, industry: 'C27', near: { lon: 117, lat: 35, max_distance_m: 1000 } });
    expect(topScore(c, 'unit')).toBe(100);
    expect(topScore(c, 'parcel')).toBe(70);
    expect(topScore(c, 'unit', 500)).toBe(90);
    expect(topScore(spaceSearchCriteria.parse({}), 'parcel')).toBe(100);
  });
});

