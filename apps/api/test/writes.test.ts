import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, tableCounts, type TestApp } from './support/app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t?.close());

/** A square parcel in an empty corner of the zone, far from the generated ones. */
const square = (x: number, y: number, d = 0.001) => ({
  type: 'Polygon',
  coordinates: [[[x, y], [x, y + d], [x + d, y + d], [x + d, y], [x, y]]], // clockwise on purpose
});
const newParcel = (code: string, x = 116.0, y = 34.6) => ({
  type: 'Feature',
  geometry: square(x, y),
  properties: { code, land_use: 'M1', status: 'available', agreed_start_date: '2025-03-01', agreed_completion_date: '2027-03-01' },
});

describe('create', () => {
  it('creates a parcel, stores it with a counter-clockwise ring, and records who did it', async () => {
    const planner = await t.as('规划科 王工');
    const res = await planner.inject({ method: 'POST', url: '/api/parcels', payload: newParcel('W-CREATE-1') });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.headers.location).toBe('/api/parcels/W-CREATE-1');
    expect(res.headers.etag).toBe('"1"');
    const f = res.json();
    expect(f.geometry.type).toBe('MultiPolygon');
    const ring = f.geometry.coordinates[0][0];
    // Shoelace: positive signed area means counter-clockwise (RFC 7946 §3.1.6).
    const signed = ring.slice(0, -1).reduce((s: number, [x1, y1]: number[], i: number) => {
      const [x2, y2] = ring[i + 1];
      return s + (x1 * y2 - x2 * y1);
    }, 0);
    expect(signed).toBeGreaterThan(0);
    expect(f.properties.area_m2).toBeGreaterThan(9000);
    expect(f.properties.area_m2).toBeLessThan(11000);
    const history = (await t.app.inject('/api/parcels/W-CREATE-1/history')).json().items;
    expect(history).toHaveLength(1);
    expect(history[0]).toMatchObject({ version: 1, operation: 'create', actor: 'key:规划科 王工', before: null });
    expect(history[0].after.properties.code).toBe('W-CREATE-1');
  });

  it('refuses a second parcel with the same code (409) and writes nothing', async () => {
    await t.staff.inject({ method: 'POST', url: '/api/parcels', payload: newParcel('W-DUP') });
    const before = await tableCounts(t.db);
    const res = await t.staff.inject({ method: 'POST', url: '/api/parcels', payload: newParcel('W-DUP', 116.01) });
    expect(res.statusCode).toBe(409);
    expect(res.json().error).toMatchObject({ code: 'already_exists', field: 'code' });
    expect(await tableCounts(t.db)).toEqual(before);
  });

  it('creates plain items (an enterprise, then a lease of a vacant unit) and gives the lease its id', async () => {
    const uscc = '91350100M000100Y43';
    const e = await t.staff.inject({ method: 'POST', url: '/api/enterprises', payload: { uscc, name: '济宁测试科技有限公司', industry: 'I65', high_tech: true } });
    expect(e.statusCode, e.body).toBe(201);
    // A unit vacant today with no lease ahead of it.
    const free = (await t.db.query<{ unit: string; today: string }>(
      `SELECT o.unit, to_char(current_date, 'YYYY-MM-DD') AS today FROM unit_occupancy o
       WHERE o.status = 'vacant' AND NOT EXISTS (SELECT 1 FROM lease l WHERE l.unit = o.unit AND coalesce(l.end_date, current_date) >= current_date)
       ORDER BY o.unit LIMIT 1`,
    )).rows[0];
    const unit = free.unit;
    const l = await t.staff.inject({ method: 'POST', url: '/api/leases', payload: { enterprise: uscc, unit, start_date: free.today, end_date: '2099-12-31' } });
    expect(l.statusCode, l.body).toBe(201);
    expect(l.json()).toMatchObject({ enterprise: uscc, unit, status: 'active' });
    expect(l.headers.location).toBe(`/api/leases/${l.json().id}`);
    const u = (await t.app.inject(`/api/units/${unit}`)).json();
    expect(u).toMatchObject({ status: 'leased', tenant: uscc });
    // The same unit cannot be let twice over overlapping days.
    const twice = await t.staff.inject({ method: 'POST', url: '/api/leases', payload: { enterprise: uscc, unit, start_date: '2030-01-01' } });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().error.code).toBe('overlapping_dates');
  });
});

describe('update', () => {
  it('needs If-Match (428), refuses a stale one (412), applies a current one', async () => {
    await t.staff.inject({ method: 'POST', url: '/api/parcels', payload: newParcel('W-PATCH-1', 116.02) });
    const patch = { properties: { status: 'reserved', name: '预留地块' } };
    const none = await t.staff.inject({ method: 'PATCH', url: '/api/parcels/W-PATCH-1', payload: patch });
    expect(none.statusCode).toBe(428);
    expect(none.json().error).toMatchObject({ code: 'precondition_required', field: 'if-match' });
    const ok = await t.staff.inject({ method: 'PATCH', url: '/api/parcels/W-PATCH-1', payload: patch, headers: { 'if-match': '"1"' } });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.headers.etag).toBe('"2"');
    expect(ok.json().properties).toMatchObject({ status: 'reserved', name: '预留地块', land_use: 'M1', agreed_start_date: '2025-03-01' });
    const stale = await t.staff.inject({ method: 'PATCH', url: '/api/parcels/W-PATCH-1', payload: { properties: { status: 'idle' } }, headers: { 'if-match': '"1"' } });
    expect(stale.statusCode).toBe(412);
    expect(stale.json().error.code).toBe('version_mismatch');
    expect((await t.app.inject('/api/parcels/W-PATCH-1')).json().properties.status).toBe('reserved');
  });

  it('merges like OGC API Features Part 4: null clears a field, absent fields stay, geometry may change alone', async () => {
    await t.staff.inject({ method: 'POST', url: '/api/parcels', payload: newParcel('W-PATCH-2', 116.03) });
    const cleared = await t.staff.inject({ method: 'PATCH', url: '/api/parcels/W-PATCH-2', payload: { properties: { agreed_completion_date: null } }, headers: { 'if-match': '"1"' } });
    expect(cleared.json().properties).toMatchObject({ agreed_completion_date: null, agreed_start_date: '2025-03-01', status: 'available' });
    const moved = await t.staff.inject({ method: 'PATCH', url: '/api/parcels/W-PATCH-2', payload: { geometry: square(116.03, 34.6, 0.002) }, headers: { 'if-match': '"2"' } });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json().properties.area_m2).toBeGreaterThan(36000);
    const history = (await t.app.inject('/api/parcels/W-PATCH-2/history')).json().items;
    expect(history.map((h: { version: number }) => h.version)).toEqual([1, 2, 3]);
    expect(history[1].changed).toEqual(['agreed_completion_date']);
    expect(history[2].changed).toEqual(expect.arrayContaining(['geometry', 'area_m2', 'area_mu']));
  });

  it('lets exactly one of two edits made from the same version win; the other gets 412', async () => {
    await t.staff.inject({ method: 'POST', url: '/api/parcels', payload: newParcel('W-RACE', 116.04) });
    const edit = (status: string) => t.staff.inject({ method: 'PATCH', url: '/api/parcels/W-RACE', payload: { properties: { status } }, headers: { 'if-match': '"1"' } });
    const results = await Promise.all([edit('reserved'), edit('idle'), edit('occupied')]);
    const codes = results.map((r) => r.statusCode).sort();
    expect(codes).toEqual([200, 412, 412]);
    const winner = results.find((r) => r.statusCode === 200)!.json().properties.status;
    expect((await t.app.inject('/api/parcels/W-RACE')).json().properties.status).toBe(winner);
    expect((await t.app.inject('/api/parcels/W-RACE/history')).json().items).toHaveLength(2);
  });

  it('cannot change an id through PATCH', async () => {
    await t.staff.inject({ method: 'POST', url: '/api/parcels', payload: newParcel('W-ID', 116.05) });
    const res = await t.staff.inject({ method: 'PATCH', url: '/api/parcels/W-ID', payload: { properties: { code: 'W-ID-2' } }, headers: { 'if-match': '"1"' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.field).toBe('properties.code');
  });

  it('derives park and area again when a parcel moves', async () => {
    const park = (await t.db.query<{ code: string; x: number; y: number }>(
      'SELECT code, ST_X(ST_PointOnSurface(geom)) AS x, ST_Y(ST_PointOnSurface(geom)) AS y FROM park ORDER BY code LIMIT 1',
    )).rows[0];
    await t.staff.inject({ method: 'POST', url: '/api/parcels', payload: newParcel('W-MOVE', 116.06) });
    expect((await t.app.inject('/api/parcels/W-MOVE')).json().properties.park).toBeNull();
    const tiny = { type: 'Polygon', coordinates: [[[park.x - 0.00005, park.y - 0.00005], [park.x + 0.00005, park.y - 0.00005], [park.x + 0.00005, park.y + 0.00005], [park.x - 0.00005, park.y + 0.00005], [park.x - 0.00005, park.y - 0.00005]]] };
    const moved = await t.staff.inject({ method: 'PATCH', url: '/api/parcels/W-MOVE', payload: { geometry: tiny }, headers: { 'if-match': '"1"' } });
    expect(moved.json().properties.park).toBe(park.code);
  });
});

describe('delete', () => {
  it('needs a current If-Match, then removes the item and keeps its history', async () => {
    await t.staff.inject({ method: 'POST', url: '/api/parcels', payload: newParcel('W-DEL', 116.07) });
    expect((await t.staff.inject({ method: 'DELETE', url: '/api/parcels/W-DEL' })).statusCode).toBe(428);
    expect((await t.staff.inject({ method: 'DELETE', url: '/api/parcels/W-DEL', headers: { 'if-match': '"7"' } })).statusCode).toBe(412);
    const res = await t.staff.inject({ method: 'DELETE', url: '/api/parcels/W-DEL', headers: { 'if-match': '"1"' } });
    expect(res.statusCode).toBe(204);
    expect((await t.app.inject('/api/parcels/W-DEL')).statusCode).toBe(404);
    const history = (await t.app.inject('/api/parcels/W-DEL/history')).json().items;
    expect(history.map((h: { operation: string }) => h.operation)).toEqual(['create', 'delete']);
    expect(history[1].after).toBeNull();
    // Created again, it continues its history instead of reusing version 1.
    const again = await t.staff.inject({ method: 'POST', url: '/api/parcels', payload: newParcel('W-DEL', 116.07) });
    expect(again.headers.etag).toBe('"3"');
  });

  it('refuses to delete a parcel that still has buildings (409) and changes nothing', async () => {
    const parcel = (await t.db.query<{ parcel: string; version: number }>(
      'SELECT b.parcel, p.version FROM building b JOIN parcel p ON p.code = b.parcel LIMIT 1',
    )).rows[0];
    const before = await tableCounts(t.db);
    const res = await t.staff.inject({ method: 'DELETE', url: `/api/parcels/${parcel.parcel}`, headers: { 'if-match': `"${parcel.version}"` } });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('in_use');
    expect(await tableCounts(t.db)).toEqual(before);
  });
});
