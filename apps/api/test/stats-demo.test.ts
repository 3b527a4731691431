import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/app.ts';

// Sanity of the indicators on the generated demo zone (the fixture every API test starts from): the
// figures must tell the story the generator wrote, on either driver.

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t?.close());

/** As an analyst: per-enterprise figures need read-sensitive (access.test.ts covers the public). */
async function get(url: string) {
  const res = await t.staff.inject(url);
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}
const one = async <T>(text: string) => (await t.db.query<T>(text)).rows[0];

describe('indicators on the demo zone', () => {
  it('gives every parcel one idle-land class, agreeing with the status the generator chose', async () => {
    const rows = (await t.db.query<{ status: string; class: string; n: number }>(
      `SELECT p.status, i.class, count(*)::int AS n FROM idle_land_at(current_date) i JOIN parcel p ON p.code = i.parcel GROUP BY 1, 2`,
    )).rows;
    const total = await one<{ n: number }>('SELECT count(*)::int AS n FROM parcel');
    expect(rows.reduce((s, r) => s + r.n, 0)).toBe(total.n);
    const classesOf = (status: string) => new Set(rows.filter((r) => r.status === status).map((r) => r.class));
    expect([...classesOf('idle')].every((c) => ['idle_1y', 'recoverable', 'exempt'].includes(c))).toBe(true);
    expect([...classesOf('occupied')]).toEqual(['completed']);
    expect([...classesOf('under_construction')]).toEqual(['developing']);
    expect([...classesOf('available')].every((c) => ['unapproved', 'approved_unsupplied'].includes(c))).toBe(true);
  });

  it('idle land is 5–30% of the supplied land, and the list and the summary agree', async () => {
    const zone = (await get('/api/stats/idle-land/summary')).items[0];
    expect(zone.idle_share).toBeGreaterThanOrEqual(0.05);
    expect(zone.idle_share).toBeLessThanOrEqual(0.3);
    const idle = await get('/api/stats/idle-land?class=idle_1y,recoverable&limit=10000');
    expect(idle.items.length).toBe(zone.idle_parcels);
    const byPark = (await get('/api/stats/idle-land/summary?by=park')).items;
    expect(byPark.reduce((s: number, r: { parcels: number }) => s + r.parcels, 0)).toBe(zone.parcels);
    expect(byPark.reduce((s: number, r: { idle_parcels: number }) => s + r.idle_parcels, 0)).toBe(zone.idle_parcels);
  });

  it('vacancy agrees with the buildings’ own figures and the parks add up to the zone', async () => {
    const byPark = await get('/api/stats/vacancy?by=park');
    expect(byPark.total.vacancy_rate).toBeGreaterThan(0);
    expect(byPark.total.vacancy_rate).toBeLessThan(0.5);
    const zone = (await get('/api/stats/vacancy?by=zone')).items[0];
    expect(zone.stock_m2).toBeCloseTo(byPark.total.stock_m2, 1);
    expect(zone.vacant_m2).toBeCloseTo(byPark.total.vacant_m2, 1);
    // building_api counts every unit; the stock is the completed buildings' units.
    const built = await one<{ unit_area_m2: number; vacant_area_m2: number }>(
      `SELECT sum(unit_area_m2)::float8 AS unit_area_m2, sum(vacant_area_m2)::float8 AS vacant_area_m2
       FROM building_api WHERE status = 'completed' AND completion_year <= extract(year FROM current_date)`,
    );
    expect(zone.stock_m2).toBeCloseTo(built.unit_area_m2, 1);
    expect(zone.vacant_m2).toBeCloseTo(built.vacant_area_m2, 1);
  });

  it('grades land-using enterprises A–D, ranks them, and the parks’ land adds up to the zone’s', async () => {
    const enterprises = await get('/api/stats/output-per-mu?by=enterprise');
    expect(enterprises.items.length).toBeGreaterThan(10);
    expect(enterprises.items.every((i: { grade: string | null }) => i.grade === null || ['A', 'B', 'C', 'D'].includes(i.grade))).toBe(true);
    const scores = enterprises.items.filter((i: { score: number | null }) => i.score !== null).map((i: { score: number }) => i.score);
    expect(scores).toEqual([...scores].sort((a: number, b: number) => b - a));
    const parks = await get('/api/stats/output-per-mu?by=park');
    const parkLand = parks.items.reduce((s: number, p: { land_m2: number }) => s + p.land_m2, 0);
    expect(parkLand).toBeLessThanOrEqual(parks.zone.land_m2 + 1);
    expect(parks.zone.tax_per_mu).toBeGreaterThan(0);
  });

  it('counts the zone’s 149 projects and their ¥20.2 bn', async () => {
    const body = await get('/api/stats/projects?by=status');
    expect(body.total.projects).toBe(149);
    expect(body.total.investment_cny / 1e9).toBeCloseTo(20.2, 1);
    for (const by of ['corridor', 'area', 'park']) {
      const other = await get(`/api/stats/projects?by=${by}`);
      expect(other.total).toEqual(body.total);
    }
  });

  it('industry totals are the enterprise register’s, and every park’s chain is judged', async () => {
    const body = await get('/api/stats/industries?by=park');
    const register = await one<{ n: number; revenue: number }>('SELECT count(*)::int AS n, sum(revenue_cny)::float8 AS revenue FROM enterprise');
    expect(body.totals.enterprises).toBe(register.n);
    expect(body.totals.revenue_cny).toBeCloseTo(register.revenue, -2);
    expect(body.chains.length).toBe(13);
    for (const c of body.chains) expect(c.present.length + c.missing.length).toBe(c.links.length);
  });

  it('keeps parcel_zone equal to parcel_containment', async () => {
    const diff = await one<{ n: number }>(
      `SELECT count(*)::int AS n FROM parcel_containment c FULL JOIN parcel_zone z ON z.parcel = c.parcel
       WHERE (z.park, z.area, z.corridor) IS DISTINCT FROM (c.park, c.area, c.corridor) OR z.parcel IS NULL OR c.parcel IS NULL`,
    );
    expect(diff.n).toBe(0);
  });
});
