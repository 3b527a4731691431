import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestApp, tableCounts, type TestApp } from './support/app.ts';

// Every refused request must say what is wrong (code, message, field) and change nothing:
// each test compares the row counts of every table, history included, before and after.

let t: TestApp;
let before: Record<string, number>;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t?.close());
beforeEach(async () => {
  before = await tableCounts(t.db);
});

const polygon = (ring: number[][]) => ({ type: 'Polygon', coordinates: [ring] });
const square = [[116.2, 34.7], [116.201, 34.7], [116.201, 34.701], [116.2, 34.701], [116.2, 34.7]];
const feature = (properties: Record<string, unknown>, geometry: unknown = polygon(square)) => ({ type: 'Feature', geometry, properties });
const parcel = (extra: Record<string, unknown> = {}) => ({ code: 'BAD-1', land_use: 'M1', status: 'idle', ...extra });

async function expectRefused(
  req: string | InjectOptions,
  status: number,
  code: string,
  field?: string,
  message?: RegExp,
) {
  // Staff make these requests: what is refused is the input, not the caller.
  const res = await t.staff.inject(req);
  expect(res.statusCode, res.body).toBe(status);
  const error = res.json().error;
  expect(error.code).toBe(code);
  if (field !== undefined) expect(error.field).toBe(field);
  expect(error.message.length).toBeGreaterThan(5);
  if (message) expect(error.message).toMatch(message);
  expect(await tableCounts(t.db)).toEqual(before);
  return error;
}

describe('malformed requests (400)', () => {
  it('malformed JSON', () =>
    expectRefused({ method: 'POST', url: '/api/parcels', payload: '{"type": "Feature", ', headers: { 'content-type': 'application/json' } }, 400, 'malformed_json', 'body'));

  it('a wrong type, naming the field', () =>
    expectRefused({ method: 'POST', url: '/api/parcels', payload: feature(parcel({ plot_ratio_max: 'high' })) }, 400, 'invalid_body', 'properties.plot_ratio_max'));

  it('an unknown status value', () =>
    expectRefused({ method: 'POST', url: '/api/parcels', payload: feature(parcel({ status: 'abandoned' })) }, 400, 'invalid_body', 'properties.status'));

  it('an unknown field', () =>
    expectRefused({ method: 'POST', url: '/api/parcels', payload: feature(parcel({ colour: 'red' })) }, 400, 'invalid_body', 'properties.colour', /unknown field 'colour'/));

  it('an unknown field in a plain collection', () =>
    expectRefused({ method: 'POST', url: '/api/projects', payload: { code: 'X', name: 'x', investment_cny: 1, status: 'planned', budget: 3 } }, 400, 'invalid_body', 'budget'));

  it('an unknown query parameter', () => expectRefused('/api/parcels?colour=red', 400, 'invalid_query', 'colour', /unknown query parameter/));

  it('a limit above the maximum', () => expectRefused('/api/parcels?limit=10001', 400, 'invalid_query', 'limit'));

  it('a bbox that is not four numbers, or inverted', async () => {
    await expectRefused('/api/parcels?bbox=116.6,35.4,116.7', 400, 'invalid_query', 'bbox');
    await expectRefused('/api/parcels?bbox=116.7,35.4,116.6,35.5', 400, 'invalid_query', 'bbox', /minimum/);
  });

  it('a sort column that is not offered', () => expectRefused('/api/parcels?sort=geom;DROP TABLE parcel', 400, 'invalid_query', 'sort'));

  it('a forged cursor', () => expectRefused('/api/parcels?cursor=bm90IGEgY3Vyc29y', 400, 'invalid_cursor', 'cursor'));

  it('a geometry of the wrong type', () =>
    expectRefused({ method: 'POST', url: '/api/parcels', payload: feature(parcel(), { type: 'Point', coordinates: [116.6, 35.4] }) }, 400, 'invalid_body', 'geometry.type'));

  it('a PATCH with an If-Match that is not an ETag', () =>
    expectRefused({ method: 'PATCH', url: '/api/parks/P01', payload: { properties: { name: 'x' } }, headers: { 'if-match': 'yesterday' } }, 412, 'version_mismatch', 'if-match'));
});

describe('invalid content (422)', () => {
  it('a self-intersecting polygon, with PostGIS reason and location', () =>
    expectRefused(
      { method: 'POST', url: '/api/parcels', payload: feature(parcel(), polygon([[116.2, 34.7], [116.21, 34.71], [116.21, 34.7], [116.2, 34.71], [116.2, 34.7]])) },
      422, 'invalid_geometry', 'geometry', /Self-intersection/,
    ));

  it('a ring that is not closed', () =>
    expectRefused(
      { method: 'POST', url: '/api/parcels', payload: feature(parcel(), polygon([[116.2, 34.7], [116.21, 34.7], [116.21, 34.71], [116.2, 34.71]])) },
      422, 'invalid_geometry', 'geometry', /ring 0 is not closed/,
    ));

  it('coordinates in latitude, longitude order', () =>
    expectRefused(
      { method: 'POST', url: '/api/parcels', payload: feature(parcel(), polygon(square.map(([x, y]) => [y, x]))) },
      422, 'outside_extent', 'geometry', /latitude,longitude/,
    ));

  it('coordinates outside the configured extent', () =>
    expectRefused(
      { method: 'POST', url: '/api/parcels', payload: feature(parcel(), polygon(square.map(([x, y]) => [x + 5, y]))) },
      422, 'outside_extent', 'geometry', /outside the zone's extent/,
    ));

  it('an unknown land-use code', () =>
    expectRefused({ method: 'POST', url: '/api/parcels', payload: feature(parcel({ land_use: 'X9' })) }, 422, 'unknown_code', 'land_use', /X9/));

  it('a USCC with a wrong check character', () =>
    expectRefused(
      { method: 'POST', url: '/api/enterprises', payload: { uscc: '91350100M000100Y44', name: '错误代码公司', industry: 'C27' } },
      422, 'invalid_uscc', 'uscc', /check character/,
    ));

  it('a parcel whose land user has an invalid USCC', () =>
    expectRefused({ method: 'POST', url: '/api/parcels', payload: feature(parcel({ enterprise: '91350100M000100Y44' })) }, 422, 'invalid_uscc', 'enterprise'));

  it('an enterprise in an unknown park', () =>
    expectRefused(
      { method: 'POST', url: '/api/enterprises', payload: { uscc: '91350100M000100Y43', name: '某公司', industry: 'C27', park: 'P99' } },
      422, 'unknown_reference', 'park',
    ));

  it('an unknown industry code', () =>
    expectRefused(
      { method: 'POST', url: '/api/enterprises', payload: { uscc: '91350100M000100Y43', name: '某公司', industry: 'C99' } },
      422, 'unknown_code', 'industry',
    ));

  it('dates in the wrong order', () =>
    expectRefused(
      { method: 'POST', url: '/api/parcels', payload: feature(parcel({ agreed_start_date: '2025-01-01', agreed_completion_date: '2024-01-01' })) },
      422, 'dates_out_of_order', 'agreed_completion_date',
    ));

  it('a building outside its parcel', async () => {
    const p = (await t.db.query<{ code: string }>('SELECT code FROM parcel ORDER BY code LIMIT 1')).rows[0];
    await expectRefused(
      { method: 'POST', url: '/api/buildings', payload: feature({ code: 'BAD-B', parcel: p.code, floors: 3, use: 'office', status: 'completed' }) },
      422, 'outside_parcel', 'geometry',
    );
  });

  it('a lease of both a unit and a parcel', () =>
    expectRefused(
      { method: 'POST', url: '/api/leases', payload: { enterprise: '91350100M000100Y43', unit: 'U1', parcel: 'P1', start_date: '2024-01-01' } },
      422, 'lease_target', 'unit',
    ));

  it('a PATCH that clears a required field', async () => {
    const park = (await t.db.query<{ code: string; version: number }>('SELECT code, version FROM park ORDER BY code LIMIT 1')).rows[0];
    await expectRefused(
      { method: 'PATCH', url: `/api/parks/${park.code}`, payload: { properties: { name: null } }, headers: { 'if-match': `"${park.version}"` } },
      400, 'invalid_body', 'properties.name',
    );
  });

  it('a PATCH with an invalid geometry leaves the stored one', async () => {
    const park = (await t.db.query<{ code: string; version: number }>('SELECT code, version FROM park ORDER BY code LIMIT 1')).rows[0];
    const geometryBefore = (await t.app.inject(`/api/parks/${park.code}`)).json().geometry;
    await expectRefused(
      { method: 'PATCH', url: `/api/parks/${park.code}`, payload: { geometry: polygon([[116.6, 35.4], [116.61, 35.41], [116.61, 35.4], [116.6, 35.41], [116.6, 35.4]]) }, headers: { 'if-match': `"${park.version}"` } },
      422, 'invalid_geometry', 'geometry',
    );
    expect((await t.app.inject(`/api/parks/${park.code}`)).json().geometry).toEqual(geometryBefore);
  });
});

describe('oversized bodies (413)', () => {
  it('refuses a body over the limit', () => {
    const ring = Array.from({ length: 400_000 }, (_, i) => [116.2 + (i % 1000) * 1e-6, 34.7 + Math.floor(i / 1000) * 1e-6]);
    return expectRefused({ method: 'POST', url: '/api/parcels', payload: feature(parcel(), polygon(ring)) }, 413, 'payload_too_large', 'body');
  });
});
