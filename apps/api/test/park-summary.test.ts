import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t?.close());

/** Every item of a list, following `next`. */
async function all<T>(path: string): Promise<T[]> {
  const out: T[] = [];
  let next: string | null = null;
  do {
    const res: { statusCode: number; body: string; json: () => { features?: { properties: T }[]; items?: T[]; next: string | null } } = await t.app.inject(`${path}${path.includes('?') ? '&' : '?'}limit=10000${next ? `&cursor=${encodeURIComponent(next)}` : ''}`);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    out.push(...(body.features?.map((f) => f.properties) ?? body.items ?? []));
    next = body.next;
  } while (next);
  return out;
}

const sum = <T>(xs: T[], f: (x: T) => number) => xs.reduce((a, x) => a + f(x), 0);

describe('GET /api/parks/{code}/summary', () => {
  it("adds up the park's parcels, buildings, units and enterprises as the lists report them", async () => {
    const parks = await all<{ code: string }>('/api/parks');
    expect(parks.length).toBeGreaterThan(0);
    let withUnits = 0;
    for (const { code } of parks) {
      const res = await t.app.inject(`/api/parks/${code}/summary`);
      expect(res.statusCode, res.body).toBe(200);
      const s = res.json();
      const parcels = await all<{ status: string; area_mu: number }>(`/api/parcels?park=${code}`);
      expect(s.land.parcels).toBe(parcels.length);
      expect(s.land.land_mu).toBeCloseTo(sum(parcels, (p) => p.area_mu), 0);
      expect(s.land.idle_mu).toBeCloseTo(sum(parcels.filter((p) => p.status === 'idle'), (p) => p.area_mu), 0);
      expect(s.land.by_status.available.parcels).toBe(parcels.filter((p) => p.status === 'available').length);
      const buildings = await all<{ gross_floor_area_m2: number | null; unit_area_m2: number; vacant_area_m2: number; units: number }>(`/api/buildings?park=${code}`);
      expect(s.buildings.count).toBe(buildings.length);
      expect(s.buildings.floor_area_m2).toBeCloseTo(sum(buildings, (b) => b.gross_floor_area_m2 ?? 0), 0);
      expect(s.space.units).toBe(sum(buildings, (b) => b.units));
      const area = sum(buildings, (b) => b.unit_area_m2);
      if (area > 0) {
        withUnits++;
        expect(s.space.vacancy_rate).toBeCloseTo(sum(buildings, (b) => b.vacant_area_m2) / area, 3);
      } else expect(s.space.vacancy_rate).toBeNull();
      const enterprises = await all<unknown>(`/api/enterprises?park=${code}`);
      expect(s.enterprises.registered).toBe(enterprises.length);
      const units = await all<{ tenant: string | null }>(`/api/units?park=${code}`);
      expect(s.enterprises.tenants).toBeGreaterThanOrEqual(new Set(units.map((u) => u.tenant).filter(Boolean)).size);
    }
    expect(withUnits).toBeGreaterThan(0);
  });

  it('answers 404 for a park that does not exist', async () => {
    const res = await t.app.inject('/api/parks/NO-SUCH-PARK/summary');
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ error: { code: 'not_found' } });
  });
});
