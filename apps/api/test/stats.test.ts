import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { usccCheckChar } from '@parkatlas/schema';
import { toCsv } from '../src/stats/csv.ts';
import { startTestApp, type TestApp } from './support/app.ts';

// The indicators against values worked out by hand on a small zone made here, on whichever driver the
// suite runs (PGlite by default, PostgreSQL + PostGIS with DATABASE_URL). The generated demo data is
// removed first so every figure below is known. Rules: DOMAIN.md and migration 004_indicators.sql.

let t: TestApp;
const AS_OF = '2025-06-30';
const MU = 10000 / 15;

/** Days from a to b, both 'YYYY-MM-DD'. */
const daysBetween = (a: string, b: string) => (Date.parse(b) - Date.parse(a)) / 86_400_000;

/** An axis-aligned box as a WKT MultiPolygon with a counter-clockwise ring. */
const box = (x0: number, y0: number, x1: number, y1: number) =>
  `MULTIPOLYGON(((${x0} ${y0},${x1} ${y0},${x1} ${y1},${x0} ${y1},${x0} ${y0})))`;

/** A valid USCC (GB 32100-2015) numbered n. */
const uscc = (n: number) => {
  const first17 = `91370800MAK0000${String(n).padStart(2, '0')}`;
  return first17 + usccCheckChar(first17);
};
const E1 = uscc(1), E2 = uscc(2), E3 = uscc(3), E4 = uscc(4), E5 = uscc(5);

interface ParcelSpec {
  code: string; park: 'P1' | 'P2'; approval?: string; supply?: string; agreedStart?: string; start?: string; completion?: string;
  developed?: number; invested?: number; stopped?: string; exemption?: string; enterprise?: string; price?: number; small?: boolean;
}

// Dates chosen for the rules' edges as of 2025-06-30 (2024 is a leap year).
const PARCELS: ParcelSpec[] = [
  { code: 'T-UNAPP', park: 'P1' },
  { code: 'T-APPR', park: 'P1', approval: '2023-06-30' },
  { code: 'T-SUPUN', park: 'P1', approval: '2024-10-01', supply: '2025-01-10', agreedStart: '2025-03-01', price: 800000 },
  // Agreed start exactly one year (365 days, no 29 February between) before: idle from today.
  { code: 'T-IDLE1', park: 'P1', approval: '2023-01-01', supply: '2023-05-01', agreedStart: '2024-06-30', price: 1000000 },
  // 364 days: not yet idle; crosses tomorrow.
  { code: 'T-IDLE364', park: 'P1', approval: '2023-01-01', supply: '2023-05-01', agreedStart: '2024-07-01', price: 500000 },
  // Two full years (731 days across 29 February 2024): recoverable from today.
  { code: 'T-RECOV', park: 'P1', approval: '2022-01-01', supply: '2022-06-01', agreedStart: '2023-06-30', price: 2000000 },
  // 730 days, but 29 February lies between: two full years only tomorrow.
  { code: 'T-LEAP730', park: 'P1', approval: '2022-01-01', supply: '2022-06-01', agreedStart: '2023-07-01', price: 300000 },
  // Started, 20% developed, stopped exactly one year: idle (Art. 2 ¶2).
  { code: 'T-STALL1', park: 'P1', approval: '2020-06-01', supply: '2021-01-01', agreedStart: '2021-06-01', start: '2022-01-01', developed: 0.2, invested: 0.5, stopped: '2024-06-30', price: 900000 },
  { code: 'T-DONE', park: 'P1', approval: '2015-01-01', supply: '2015-06-01', agreedStart: '2016-01-01', start: '2016-02-01', completion: '2018-05-01', developed: 1, invested: 1, enterprise: E1 },
  { code: 'T-DEV', park: 'P1', approval: '2024-01-01', supply: '2024-03-01', agreedStart: '2025-01-01', start: '2025-01-01', developed: 0.4, invested: 0.3, enterprise: E1 },
  { code: 'T-SMALL', park: 'P2', approval: '2018-01-01', supply: '2018-03-01', agreedStart: '2018-06-01', start: '2018-06-01', completion: '2019-06-01', small: true },
  { code: 'T-DONE2', park: 'P2', approval: '2019-01-01', supply: '2019-03-01', agreedStart: '2019-06-01', start: '2019-07-01', completion: '2025-03-01', enterprise: E4 },
  // 24.99% invested (under a quarter), stopped half a year: stalled, idle on 2026-01-01.
  { code: 'T-STALL', park: 'P2', approval: '2021-01-01', supply: '2021-06-01', agreedStart: '2022-01-01', start: '2023-01-01', developed: 0.5, invested: 0.2499, stopped: '2025-01-01' },
  // Exactly a quarter invested and over a third developed: stopped long ago, yet not idle.
  { code: 'T-STOPOK', park: 'P2', approval: '2021-01-01', supply: '2021-06-01', agreedStart: '2022-01-01', start: '2022-06-01', developed: 0.3334, invested: 0.25, stopped: '2023-01-01' },
  // 0.3333 is under one third: stopped 2024-01-01, idle since 2025-01-01.
  { code: 'T-DEV3333', park: 'P2', approval: '2021-01-01', supply: '2021-06-01', agreedStart: '2022-01-01', start: '2022-06-01', developed: 0.3333, invested: 0.5, stopped: '2024-01-01' },
  { code: 'T-STALL2', park: 'P2', approval: '2019-01-01', supply: '2019-06-01', agreedStart: '2020-01-01', start: '2020-03-01', developed: 0.1, invested: 0.1, stopped: '2023-06-29', price: 400000 },
  { code: 'T-EXEMPT', park: 'P2', approval: '2020-01-01', supply: '2021-01-01', agreedStart: '2022-01-01', exemption: '政府原因：配套道路未建成', price: 700000 },
  { code: 'T-FUTSUP', park: 'P2', approval: '2025-03-01', supply: '2025-07-01', agreedStart: '2025-12-01' },
  // Edge parcels, read at several days.
  { code: 'E-NONLEAP', park: 'P2', approval: '2020-01-01', supply: '2020-06-01', agreedStart: '2021-01-01' },
  { code: 'E-LEAP', park: 'P2', approval: '2022-01-01', supply: '2022-06-01', agreedStart: '2023-03-01' },
  { code: 'E-FEB29', park: 'P2', approval: '2023-06-01', supply: '2023-12-01', agreedStart: '2024-02-29' },
];

/** Parcel areas as the database measures them (geography), m². */
const area: Record<string, number> = {};

async function sql(text: string, params: unknown[] = []) {
  return (await t.db.query<Record<string, unknown>>(text, params)).rows;
}

/** As an analyst: per-enterprise figures need read-sensitive (access.test.ts covers the public). */
async function get(url: string) {
  const res = await t.staff.inject(url);
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

async function loadFixture() {
  await t.db.exec(`TRUNCATE change, lease, project, unit, building, parcel, enterprise, park, area, corridor, basemap_feature CASCADE`);
  const zone = (table: string, code: string, name: string, geom: string, extra = '', extraValues: unknown[] = []) =>
    sql(`INSERT INTO ${table} (code, name, geom${extra ? `, ${extra}` : ''}) VALUES ($1, $2, ST_GeomFromText($3, 4326)${extraValues.map((_, i) => `, $${i + 4}`).join('')})`, [code, name, geom, ...extraValues]);
  await zone('corridor', 'C1', '测试走廊', box(116.5, 35.3, 116.51, 35.31));
  await zone('area', 'A1', '测试片区', box(116.5, 35.3, 116.52, 35.31));
  await zone('area', 'A2', '空片区', box(116.53, 35.3, 116.54, 35.31));
  await zone('park', 'P1', '测试一园', box(116.5, 35.3, 116.51, 35.31), 'theme, theme_industries', ['医药', ['C27', 'M73', 'I65']]);
  await zone('park', 'P2', '测试"二"园,东区', box(116.51, 35.3, 116.52, 35.31), 'theme, theme_industries', ['电子', ['C39', 'P']]);

  const enterprises = [
    [E1, '济宁测试医药有限公司', 'C27', true, 100, 30e6, 1.5e6, 'P1'],
    [E2, '济宁测试电子有限公司', 'C39', false, 20, 2e6, 1e5, 'P2'],
    [E3, '济宁测试软件有限公司', 'I65', true, 10, 5e6, 2e5, 'P1'],
    [E4, '济宁测试微电子有限公司', 'C39', true, 0, 12e6, 3e5, 'P2'],
    [E5, '=济宁测试置业有限公司', 'K', false, 5, 1e6, 5e4, null],
  ];
  for (const e of enterprises) {
    await sql(`INSERT INTO enterprise (uscc, name, industry, high_tech, employees, revenue_cny, tax_cny, park) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, e);
  }

  const slot = { P1: 0, P2: 0 };
  for (const p of PARCELS) {
    const i = slot[p.park]++;
    const x0 = (p.park === 'P1' ? 116.5 : 116.51) + 0.0012 * (i % 8) + 0.0001;
    const y0 = 35.3 + 0.0012 * Math.floor(i / 8) + 0.0001;
    const size = p.small ? 0.0004 : 0.001;
    await sql(
      `INSERT INTO parcel (code, geom, land_use, status, approval_date, supply_date, agreed_start_date, start_date, completion_date,
                           developed_share, invested_share, stopped_since, idle_exemption, enterprise, price_cny)
       VALUES ($1, ST_GeomFromText($2, 4326), $3, 'available', $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
      [p.code, box(x0, y0, x0 + size, y0 + size), p.code === 'T-UNAPP' ? 'G1' : 'M1', p.approval ?? null, p.supply ?? null,
        p.agreedStart ?? null, p.start ?? null, p.completion ?? null, p.developed ?? null, p.invested ?? null, p.stopped ?? null,
        p.exemption ?? null, p.enterprise ?? null, p.price ?? null],
    );
  }
  for (const r of await sql('SELECT code, area_m2 FROM parcel')) area[r.code as string] = r.area_m2 as number;

  const building = (code: string, parcel: string, status: string, year: number) =>
    sql(`INSERT INTO building (code, parcel, geom, floors, use, status, completion_year)
         SELECT $1, $2, ST_Multi(ST_Buffer(ST_Centroid(geom), 0.0001, 'quad_segs=1')), 3, 'industrial', $3, $4 FROM parcel WHERE code = $2`,
    [code, parcel, status, year]);
  await building('B1', 'T-DONE', 'completed', 2018);
  await building('B2', 'T-DEV', 'under_construction', 2026);
  await building('B3', 'T-DONE2', 'completed', 2025);
  const units: [string, string, number, boolean][] = [
    ['U1', 'B1', 100, false], ['U2', 'B1', 200, false], ['U3', 'B1', 300, true], ['U4', 'B1', 400, false],
    ['U5', 'B2', 500, false], ['U6', 'B3', 250, false],
  ];
  for (const [code, b, m2, reserved] of units) {
    await sql(`INSERT INTO unit (code, building, floor, kind, area_m2, reserved) VALUES ($1, $2, 1, 'workshop', $3, $4)`, [code, b, m2, reserved]);
  }
  const leases: [string, string | null, string | null, string, string | null][] = [
    [E3, 'U1', null, '2024-01-01', '2025-06-30'], // ends on the day: still let that day
    [E3, 'U2', null, '2025-06-30', null], // starts on the day: let that day
    [E5, 'U4', null, '2023-01-01', '2025-06-29'], // ended the day before: vacant
    [E3, 'U5', null, '2025-01-01', null], // pre-let in a building not completed: not stock
    [E2, null, 'T-SMALL', '2018-03-01', null],
    [E4, null, 'T-DEV', '2024-03-01', '2025-06-29'], // T-DEV changed hands: E4 until the 29th, E1 from the 30th
    [E1, null, 'T-DEV', '2025-06-30', null],
  ];
  for (const l of leases) await sql(`INSERT INTO lease (enterprise, unit, parcel, start_date, end_date) VALUES ($1, $2, $3, $4, $5)`, l);

  const projects: [string, number, string, string | null, string | null, string | null, string | null][] = [
    ['J1', 100e6, 'under_construction', null, 'P1', 'C1', 'A1'],
    ['J2', 50e6, 'operating', 'T-DONE2', null, null, null], // counted where its parcel lies
    ['J3', 25e6, 'planned', null, null, null, null],
  ];
  for (const [code, inv, status, parcel, park, corridor, areaCode] of projects) {
    await sql(`INSERT INTO project (code, name, investment_cny, status, parcel, park, corridor, area) VALUES ($1, $1, $2, $3, $4, $5, $6, $7)`,
      [code, inv, status, parcel, park, corridor, areaCode]);
  }
}

beforeAll(async () => {
  t = await startTestApp();
  await loadFixture();
});
afterAll(() => t?.close());

type IdleItem = { parcel: string; class: string; rule: string; since: string | null; days: number | null; deadline: string | null; next_class: string | null; idle_fee_cny: number | null; exemption: string | null; exempted_class: string | null };

async function idleLand(asOf: string): Promise<Record<string, IdleItem>> {
  const body = await get(`/api/stats/idle-land?as_of=${asOf}&limit=10000`);
  expect(body.as_of).toBe(asOf);
  return Object.fromEntries(body.items.map((i: IdleItem) => [i.parcel, i]));
}

describe('idle land by rule (闲置土地处置办法 2012)', () => {
  it('classifies every parcel with the rule and the dates that decided it', async () => {
    const c = await idleLand(AS_OF);
    expect(Object.keys(c).length).toBe(PARCELS.length);
    expect(c['T-UNAPP']).toMatchObject({ class: 'unapproved', rule: 'not_approved', since: null, days: null, deadline: null });
    expect(c['T-APPR']).toMatchObject({ class: 'approved_unsupplied', rule: 'approved_not_supplied', since: '2023-06-30', days: 731, deadline: null });
    expect(c['T-SUPUN']).toMatchObject({ class: 'supplied_unused', rule: 'supplied_not_started', since: '2025-01-10', days: 171, deadline: '2026-03-01', next_class: 'idle_1y', idle_fee_cny: null });
    expect(c['T-DONE']).toMatchObject({ class: 'completed', since: '2018-05-01' });
    expect(c['T-DEV']).toMatchObject({ class: 'developing', rule: 'started', since: '2025-01-01', deadline: null });
    expect(c['T-FUTSUP']).toMatchObject({ class: 'approved_unsupplied', since: '2025-03-01', days: 121 });
  });

  it('idle one full year after the agreed start: 365 days is idle, 364 is not (Art. 2)', async () => {
    const c = await idleLand(AS_OF);
    expect(daysBetween('2024-06-30', AS_OF)).toBe(365);
    expect(c['T-IDLE1']).toMatchObject({ class: 'idle_1y', rule: 'not_started_1y', since: AS_OF, days: 0, deadline: '2026-06-30', next_class: 'recoverable' });
    expect(daysBetween('2024-07-01', AS_OF)).toBe(364);
    expect(c['T-IDLE364']).toMatchObject({ class: 'supplied_unused', since: '2023-05-01', days: daysBetween('2023-05-01', AS_OF), deadline: '2025-07-01' });
  });

  it('charges the idle-land fee, 20% of the land price, on idle land only (Art. 14)', async () => {
    const c = await idleLand(AS_OF);
    expect(c['T-IDLE1'].idle_fee_cny).toBe(200000);
    expect(c['T-RECOV'].idle_fee_cny).toBe(400000);
    expect(c['T-STALL1'].idle_fee_cny).toBe(180000);
    expect(c['T-IDLE364'].idle_fee_cny).toBeNull();
    expect(c['T-EXEMPT'].idle_fee_cny).toBeNull();
  });

  it('recoverable after two full years: 731 days across 29 February is, 730 is not', async () => {
    const c = await idleLand(AS_OF);
    expect(daysBetween('2023-06-30', AS_OF)).toBe(731);
    expect(c['T-RECOV']).toMatchObject({ class: 'recoverable', rule: 'not_started_2y', since: AS_OF, deadline: null, next_class: null });
    expect(daysBetween('2023-07-01', AS_OF)).toBe(730);
    expect(c['T-LEAP730']).toMatchObject({ class: 'idle_1y', since: '2024-07-01', deadline: '2025-07-01', next_class: 'recoverable', idle_fee_cny: 60000 });
  });

  it('without a leap day between, 364 | 365 and 729 | 730 days are the edges', async () => {
    // Agreed start 2021-01-01.
    const at = async (d: string) => (await idleLand(d))['E-NONLEAP'];
    expect(await at('2021-12-31')).toMatchObject({ class: 'supplied_unused', deadline: '2022-01-01' });
    expect(await at('2022-01-01')).toMatchObject({ class: 'idle_1y', since: '2022-01-01', days: 0, deadline: '2023-01-01' });
    expect(daysBetween('2021-01-01', '2022-12-31')).toBe(729);
    expect(await at('2022-12-31')).toMatchObject({ class: 'idle_1y', days: 364 });
    expect(await at('2023-01-01')).toMatchObject({ class: 'recoverable', since: '2023-01-01' });
  });

  it('a full year is a calendar year: 365 days across 29 February is not yet one', async () => {
    // Agreed start 2023-03-01; 2024-02-29 is 365 days later, the full year ends on 2024-03-01.
    const at = async (d: string) => (await idleLand(d))['E-LEAP'];
    expect(daysBetween('2023-03-01', '2024-02-29')).toBe(365);
    expect(await at('2024-02-29')).toMatchObject({ class: 'supplied_unused', deadline: '2024-03-01' });
    expect(await at('2024-03-01')).toMatchObject({ class: 'idle_1y', since: '2024-03-01' });
  });

  it('a year from 29 February ends on 28 February (no corresponding day)', async () => {
    const at = async (d: string) => (await idleLand(d))['E-FEB29'];
    expect(await at('2025-02-27')).toMatchObject({ class: 'supplied_unused', deadline: '2025-02-28' });
    expect(await at('2025-02-28')).toMatchObject({ class: 'idle_1y', since: '2025-02-28', deadline: '2026-02-28' });
    expect(await at('2026-02-27')).toMatchObject({ class: 'idle_1y' });
    expect(await at('2026-02-28')).toMatchObject({ class: 'recoverable' });
  });

  it('started but under a third developed or under 25% invested, stopped a full year: idle (Art. 2 ¶2)', async () => {
    const c = await idleLand(AS_OF);
    expect(c['T-STALL1']).toMatchObject({ class: 'idle_1y', rule: 'stalled_1y', since: AS_OF, deadline: '2026-06-30' });
    expect(c['T-STALL']).toMatchObject({ class: 'stalled', rule: 'stalled_under_1y', since: '2025-01-01', deadline: '2026-01-01', next_class: 'idle_1y' });
    // 0.3333 < 1/3; 0.3334 and exactly 0.25 are not under their thresholds.
    expect(c['T-DEV3333']).toMatchObject({ class: 'idle_1y', rule: 'stalled_1y', since: '2025-01-01' });
    expect(c['T-STOPOK']).toMatchObject({ class: 'developing', rule: 'started' });
    expect(c['T-STALL2']).toMatchObject({ class: 'recoverable', rule: 'stalled_2y', since: '2025-06-29', idle_fee_cny: 80000 });
    const at = async (d: string) => (await idleLand(d))['T-STALL'];
    expect(await at('2025-12-31')).toMatchObject({ class: 'stalled' });
    expect(await at('2026-01-01')).toMatchObject({ class: 'idle_1y', rule: 'stalled_1y' });
  });

  it('an exemption (government or force majeure, Art. 8) replaces the class and keeps its reason', async () => {
    const c = await idleLand(AS_OF);
    expect(c['T-EXEMPT']).toMatchObject({
      class: 'exempt', rule: 'exempt_art8', exemption: '政府原因：配套道路未建成', exempted_class: 'recoverable', deadline: null, next_class: null,
    });
  });

  it('the thresholds are configuration: a province counting 365 days makes the leap-year parcel idle a day earlier', async () => {
    try {
      await sql(`UPDATE idle_land_config SET idle_after = interval '365 days'`);
      expect((await idleLand('2024-02-29'))['E-LEAP'].class).toBe('idle_1y');
      const rules = (await get('/api/stats/idle-land?as_of=2024-02-29&limit=1')).rules;
      expect(rules.idle_after).toBe('365 days');
    } finally {
      await sql(`UPDATE idle_land_config SET idle_after = interval '1 year'`);
    }
    expect((await idleLand('2024-02-29'))['E-LEAP'].class).toBe('supplied_unused');
  });

  it('filters by class and park, and pages by parcel code', async () => {
    const idle = await get(`/api/stats/idle-land?as_of=${AS_OF}&class=idle_1y,recoverable&park=P1`);
    expect(idle.items.map((i: IdleItem) => i.parcel)).toEqual(['T-IDLE1', 'T-LEAP730', 'T-RECOV', 'T-STALL1']);
    const first = await get(`/api/stats/idle-land?as_of=${AS_OF}&limit=5`);
    expect(first.items.length).toBe(5);
    const second = await get(`/api/stats/idle-land?as_of=${AS_OF}&limit=100&cursor=${first.next}`);
    expect(second.next).toBeNull();
    expect([...first.items, ...second.items].map((i: IdleItem) => i.parcel)).toEqual(PARCELS.map((p) => p.code).sort());
  });

  it('summarizes per park: idle parcels, area, share of supplied land, fees, 批而未供 and 供而未用 with their age', async () => {
    const body = await get(`/api/stats/idle-land/summary?as_of=${AS_OF}&by=park`);
    const row = (k: string | null) => body.items.find((i: { key: string | null }) => i.key === k);
    const sum = (codes: string[]) => codes.reduce((s, c) => s + area[c], 0);
    const p1 = row('P1');
    const p1Idle = ['T-IDLE1', 'T-RECOV', 'T-LEAP730', 'T-STALL1'];
    const p1Supplied = ['T-SUPUN', 'T-IDLE1', 'T-IDLE364', 'T-RECOV', 'T-LEAP730', 'T-STALL1', 'T-DONE', 'T-DEV'];
    expect(p1).toMatchObject({ name: '测试一园', parcels: 10, idle_parcels: 4, recoverable_parcels: 1, stalled_parcels: 0, exempt_parcels: 0, idle_fee_cny: 840000 });
    expect(p1.idle_area_m2).toBeCloseTo(sum(p1Idle), 1);
    expect(p1.idle_area_mu).toBeCloseTo(sum(p1Idle) / MU, 1);
    expect(p1.supplied_area_m2).toBeCloseTo(sum(p1Supplied), 1);
    expect(p1.idle_share).toBeCloseTo(sum(p1Idle) / sum(p1Supplied), 4);
    expect(p1).toMatchObject({ approved_unsupplied_parcels: 1, approved_unsupplied_mean_age_days: 731, supplied_unused_parcels: 2 });
    expect(p1.supplied_unused_mean_age_days).toBeCloseTo((171 + daysBetween('2023-05-01', AS_OF)) / 2, 2);
    const p2 = row('P2');
    expect(p2).toMatchObject({ idle_parcels: 5, recoverable_parcels: 3, stalled_parcels: 1, exempt_parcels: 1, idle_fee_cny: 80000, approved_unsupplied_parcels: 1, supplied_unused_parcels: 0 });
    expect(p2.exempt_area_m2).toBeCloseTo(area['T-EXEMPT'], 1);
    const zone = (await get(`/api/stats/idle-land/summary?as_of=${AS_OF}`)).items;
    expect(zone).toHaveLength(1);
    expect(zone[0]).toMatchObject({ key: 'zone', parcels: PARCELS.length, idle_parcels: 9, idle_fee_cny: 920000 });
  });

  it('counts 批而未供 and 供而未用 land by whole years of age', async () => {
    const body = await get(`/api/stats/idle-land/ages?as_of=${AS_OF}&by=park`);
    expect(body.items.map((i: Record<string, unknown>) => [i.key, i.class, i.age_years, i.parcels])).toEqual([
      ['P1', 'approved_unsupplied', 2, 1], // T-APPR, 2023-06-30
      ['P1', 'supplied_unused', 0, 1], // T-SUPUN, 2025-01-10
      ['P1', 'supplied_unused', 2, 1], // T-IDLE364, 2023-05-01
      ['P2', 'approved_unsupplied', 0, 1], // T-FUTSUP
    ]);
  });

  it('warns of parcels crossing a threshold within N days, soonest first', async () => {
    const soon = await get(`/api/stats/idle-land/warnings?as_of=${AS_OF}&within_days=90`);
    expect(soon.items.map((i: Record<string, unknown>) => [i.parcel, i.class, i.next_class, i.deadline, i.days_left, i.idle_fee_cny])).toEqual([
      ['T-IDLE364', 'supplied_unused', 'idle_1y', '2025-07-01', 1, 100000],
      ['T-LEAP730', 'idle_1y', 'recoverable', '2025-07-01', 1, null],
    ]);
    // 2026-01-01 is 185 days on: T-DEV3333's recovery and T-STALL's idleness enter the window then.
    const later = await get(`/api/stats/idle-land/warnings?as_of=${AS_OF}&within_days=185`);
    expect(later.items.map((i: { parcel: string }) => i.parcel)).toEqual(['T-IDLE364', 'T-LEAP730', 'T-DEV3333', 'T-STALL']);
    const before = await get(`/api/stats/idle-land/warnings?as_of=${AS_OF}&within_days=184`);
    expect(before.items.map((i: { parcel: string }) => i.parcel)).toEqual(['T-IDLE364', 'T-LEAP730']);
  });
});

describe('vacancy (from leases, start and end days included)', () => {
  // B1 (P1, completed 2018): U1 100 m² let until the day, U2 200 let from the day, U3 300 reserved,
  // U4 400 let until the day before. B2 under construction: no stock. B3 (P2, completed 2025): U6 250 vacant.
  it('per building, park, area and corridor on the day', async () => {
    const park = await get(`/api/stats/vacancy?by=park&as_of=${AS_OF}`);
    expect(park.items).toEqual([
      { key: 'P1', name: '测试一园', units: 4, vacant_units: 1, stock_m2: 1000, leased_m2: 300, reserved_m2: 300, vacant_m2: 400, vacancy_rate: 0.4 },
      { key: 'P2', name: '测试"二"园,东区', units: 1, vacant_units: 1, stock_m2: 250, leased_m2: 0, reserved_m2: 0, vacant_m2: 250, vacancy_rate: 1 },
    ]);
    expect(park.total).toMatchObject({ key: 'zone', stock_m2: 1250, vacant_m2: 650, vacancy_rate: 0.52 });
    const building = await get(`/api/stats/vacancy?by=building&as_of=${AS_OF}`);
    expect(building.items.map((i: Record<string, unknown>) => [i.key, i.stock_m2, i.vacant_m2])).toEqual([['B1', 1000, 400], ['B3', 250, 250]]);
    const area = await get(`/api/stats/vacancy?by=area&as_of=${AS_OF}`);
    expect(area.items.map((i: Record<string, unknown>) => [i.key, i.stock_m2, i.vacancy_rate])).toEqual([['A1', 1250, 0.52], ['A2', 0, null]]);
    const corridor = await get(`/api/stats/vacancy?by=corridor&as_of=${AS_OF}`);
    expect(corridor.items.map((i: Record<string, unknown>) => [i.key, i.stock_m2, i.vacant_m2])).toEqual([['C1', 1000, 400], [null, 250, 250]]);
  });

  it('a lease ending on the day still lets the unit that day; one starting on it already does', async () => {
    const at = async (d: string) => (await get(`/api/stats/vacancy?by=building&as_of=${d}`)).items.find((i: { key: string }) => i.key === 'B1');
    expect(await at('2025-06-29')).toMatchObject({ leased_m2: 500, vacant_m2: 200 }); // U1 + U4 let, U2 not yet
    expect(await at('2025-06-30')).toMatchObject({ leased_m2: 300, vacant_m2: 400 }); // U1 + U2 let
    expect(await at('2025-07-01')).toMatchObject({ leased_m2: 200, vacant_m2: 500 }); // U2 only
  });

  it('a building is stock from 1 January of its completion year', async () => {
    const end2024 = await get('/api/stats/vacancy?by=park&as_of=2024-12-31');
    expect(end2024.items.find((i: { key: string }) => i.key === 'P2')).toMatchObject({ units: 0, stock_m2: 0, vacancy_rate: null });
    const start2025 = await get('/api/stats/vacancy?by=park&as_of=2025-01-01');
    expect(start2025.items.find((i: { key: string }) => i.key === 'P2')).toMatchObject({ stock_m2: 250 });
  });

  it('month by month, as of each month’s last day, equal to the figures on that day', async () => {
    const body = await get('/api/stats/vacancy/series?by=park&from=2024-12&to=2025-07');
    const p1 = body.items.filter((i: { key: string }) => i.key === 'P1');
    expect(p1.map((i: Record<string, unknown>) => [i.month, i.as_of, i.vacant_m2])).toEqual([
      ['2024-12', '2024-12-31', 200], ['2025-01', '2025-01-31', 200], ['2025-02', '2025-02-28', 200], ['2025-03', '2025-03-31', 200],
      ['2025-04', '2025-04-30', 200], ['2025-05', '2025-05-31', 200], ['2025-06', '2025-06-30', 400], ['2025-07', '2025-07-31', 500],
    ]);
    expect(body.items.filter((i: { key: string }) => i.key === 'P2').map((i: { month: string }) => i.month)[0]).toBe('2025-01');
    for (const m of body.items) {
      const day = (await get(`/api/stats/vacancy?by=park&as_of=${m.as_of}`)).items.find((i: { key: string }) => i.key === m.key);
      expect(m).toMatchObject(day);
    }
  });
});

describe('output per mu (亩均效益)', () => {
  const score = (parts: [number, number, number][]) => (100 * parts.reduce((s, [v, b, w]) => s + (v / b) * w, 0)) / parts.reduce((s, [, , w]) => s + w, 0);
  const grade = (s: number) => (s >= 100 ? 'A' : s >= 60 ? 'B' : s >= 30 ? 'C' : 'D');

  it('per enterprise: land from parcels and parcel leases on the day, weights renormalized, graded, ranked', async () => {
    const body = await get(`/api/stats/output-per-mu?by=enterprise&as_of=${AS_OF}`);
    const e = (k: string) => body.items.find((i: { key: string }) => i.key === k);
    // E1 holds T-DONE and, by the lease starting today, T-DEV: standard scheme, tax 40 : revenue 10 : labour 10.
    const e1mu = (area['T-DONE'] + area['T-DEV']) / MU;
    const e1 = score([[1.5e6 / e1mu, 150000, 40], [30e6 / e1mu, 3e6, 10], [30e6 / 100, 150000, 10]]);
    expect(e(E1)).toMatchObject({ name: '济宁测试医药有限公司', industry: 'C27', parcels: 2, scheme: 'standard', grade: grade(e1) });
    expect(e(E1).land_mu).toBeCloseTo(e1mu, 2);
    expect(e(E1).tax_per_mu).toBeCloseTo(1.5e6 / e1mu, 1);
    expect(e(E1).revenue_per_mu).toBeCloseTo(30e6 / e1mu, 1);
    expect(e(E1).labour_productivity).toBe(300000);
    expect(e(E1).score).toBeCloseTo(e1, 1);
    // E2 leases T-SMALL, under 3 mu: the small scheme, tax 50 : revenue 20 (tax per kWh is not measured).
    const e2mu = area['T-SMALL'] / MU;
    expect(e2mu).toBeLessThan(3);
    const e2 = score([[1e5 / e2mu, 150000, 50], [2e6 / e2mu, 3e6, 20]]);
    expect(e(E2)).toMatchObject({ scheme: 'small', parcels: 1, grade: grade(e2) });
    expect(e(E2).score).toBeCloseTo(e2, 1);
    // E4 has no employees on record: labour productivity drops out, tax 40 : revenue 10.
    const e4mu = area['T-DONE2'] / MU;
    const e4 = score([[3e5 / e4mu, 150000, 40], [12e6 / e4mu, 3e6, 10]]);
    expect(e(E4)).toMatchObject({ labour_productivity: null, grade: grade(e4) });
    expect(e(E4).score).toBeCloseTo(e4, 1);
    // E3 and E5 hold no land.
    expect(body.items.map((i: { key: string }) => i.key).sort()).toEqual([E1, E2, E4].sort());
    const ranked = [[E1, e1], [E2, e2], [E4, e4]].sort((a, b) => (b[1] as number) - (a[1] as number)).map(([k]) => k);
    expect(body.items.map((i: { key: string }) => i.key)).toEqual(ranked);
    expect(body.items.map((i: { rank: number }) => i.rank)).toEqual([1, 2, 3]);
    expect(body.scheme.indicators.filter((i: { scored: boolean }) => i.scored).map((i: { indicator: string; effective_weight: number }) => [i.indicator, Math.round(i.effective_weight * 100) / 100])).toEqual([
      ['tax_per_mu', 66.67], ['labour_productivity', 16.67], ['revenue_per_mu', 16.67], ['tax_per_mu', 71.43], ['revenue_per_mu', 28.57],
    ]);
  });

  it('follows the land-use right: the day before the transfer T-DEV is E4’s', async () => {
    const body = await get('/api/stats/output-per-mu?by=enterprise&as_of=2025-06-29');
    const e = (k: string) => body.items.find((i: { key: string }) => i.key === k);
    expect(e(E1).parcels).toBe(1);
    expect(e(E4).parcels).toBe(2);
    expect(e(E4).land_mu).toBeCloseTo((area['T-DONE2'] + area['T-DEV']) / MU, 2);
  });

  it('per park and for the zone: each enterprise’s figures shared over its parcels by area', async () => {
    const body = await get(`/api/stats/output-per-mu?by=park&as_of=${AS_OF}`);
    const p = (k: string) => body.items.find((i: { key: string }) => i.key === k);
    const p1mu = (area['T-DONE'] + area['T-DEV']) / MU;
    expect(p('P1')).toMatchObject({ name: '测试一园', parcels: 2, revenue_cny: 30e6, tax_cny: 1.5e6, employees: 100 });
    expect(p('P1').land_mu).toBeCloseTo(p1mu, 2);
    const p2mu = (area['T-SMALL'] + area['T-DONE2']) / MU;
    const p2 = score([[4e5 / p2mu, 150000, 40], [14e6 / p2mu, 3e6, 10], [14e6 / 20, 150000, 10]]);
    expect(p('P2')).toMatchObject({ parcels: 2, revenue_cny: 14e6, tax_cny: 4e5, employees: 20, scheme: 'standard', grade: grade(p2) });
    expect(p('P2').score).toBeCloseTo(p2, 1);
    const zmu = p1mu + p2mu;
    expect(body.zone).toMatchObject({ key: 'zone', parcels: 4, revenue_cny: 44e6, tax_cny: 1.9e6, employees: 120 });
    expect(body.zone.tax_per_mu).toBeCloseTo(1.9e6 / zmu, 1);
  });

  it('per parcel: the user’s figures, its area’s share of revenue and tax', async () => {
    const body = await get(`/api/stats/output-per-mu?by=parcel&as_of=${AS_OF}`);
    const dev = body.items.find((i: { key: string }) => i.key === 'T-DEV');
    const share = area['T-DEV'] / (area['T-DONE'] + area['T-DEV']);
    expect(dev).toMatchObject({ enterprise: E1, park: 'P1', parcels: 1 });
    expect(dev.revenue_cny).toBeCloseTo(30e6 * share, 1);
    expect(dev.tax_per_mu).toBeCloseTo(1.5e6 / ((area['T-DONE'] + area['T-DEV']) / MU), 1);
    expect(body.items.map((i: { key: string }) => i.key).sort()).toEqual(['T-DEV', 'T-DONE', 'T-DONE2', 'T-SMALL']);
    const best = await get(`/api/stats/output-per-mu?by=parcel&as_of=${AS_OF}&limit=2`);
    expect(best.items.map((i: { key: string }) => i.key)).toEqual(body.items.slice(0, 2).map((i: { key: string }) => i.key));
  });

  it('bands, weights and benchmarks are configuration', async () => {
    try {
      await sql(`UPDATE output_per_mu_grade SET min_score = min_score + 1000 WHERE grade <> 'D'`);
      const body = await get(`/api/stats/output-per-mu?by=enterprise&as_of=${AS_OF}`);
      expect(body.items.every((i: { grade: string }) => i.grade === 'D')).toBe(true);
      await sql(`UPDATE output_per_mu_indicator SET weight = 0 WHERE indicator <> 'tax_per_mu'`);
      const taxOnly = await get(`/api/stats/output-per-mu?by=enterprise&as_of=${AS_OF}&grade=D`);
      const e1 = taxOnly.items.find((i: { key: string }) => i.key === E1);
      expect(e1.score).toBeCloseTo((100 * e1.tax_per_mu) / 150000, 1);
    } finally {
      await sql(`UPDATE output_per_mu_grade SET min_score = min_score - 1000 WHERE grade <> 'D'`);
      await sql(`UPDATE output_per_mu_indicator i SET weight = d.w FROM (VALUES
        ('standard', 'tax_per_mu', 40), ('standard', 'revenue_per_mu', 10), ('standard', 'value_added_per_tce', 20),
        ('standard', 'value_added_per_t_cod', 15), ('standard', 'value_added_per_t_water', 5), ('standard', 'labour_productivity', 10),
        ('small', 'tax_per_mu', 50), ('small', 'revenue_per_mu', 20), ('small', 'tax_per_kwh', 30)) d (s, k, w)
        WHERE i.scheme = d.s AND i.indicator = d.k`);
    }
  });
});

describe('industries', () => {
  it('by park and GB/T 4754 division: enterprises, revenue, tax, high-tech output', async () => {
    const body = await get('/api/stats/industries?by=park');
    expect(body.items.map((i: Record<string, unknown>) => [i.park, i.section, i.division, i.enterprises, i.high_tech_enterprises, i.revenue_cny, i.tax_cny, i.high_tech_output_cny])).toEqual([
      ['P1', 'C', 'C27', 1, 1, 30e6, 1.5e6, 30e6],
      ['P1', 'I', 'I65', 1, 1, 5e6, 2e5, 5e6],
      ['P2', 'C', 'C39', 2, 1, 14e6, 4e5, 12e6],
      [null, 'K', null, 1, 0, 1e6, 5e4, 0],
    ]);
    expect(body.items[0]).toMatchObject({ park_name: '测试一园', section_name: '制造业', division_name: '医药制造业' });
    expect(body.totals).toEqual({ enterprises: 5, revenue_cny: 50e6, tax_cny: 2.15e6, high_tech_output_cny: 47e6 });
    const section = await get('/api/stats/industries?by=section');
    expect(section.items.map((i: Record<string, unknown>) => [i.section, i.enterprises, i.high_tech_output_cny])).toEqual([['C', 3, 42e6], ['I', 1, 5e6], ['K', 1, 0]]);
    expect(section.chains).toBeUndefined();
  });

  it('each park’s theme chain: links present and missing', async () => {
    const { chains } = await get('/api/stats/industries?by=park');
    expect(chains.map((c: Record<string, unknown>) => [c.park, c.present, c.missing, c.coverage])).toEqual([
      ['P1', ['C27', 'I65'], ['M73'], 0.6667],
      ['P2', ['C39'], ['P'], 0.5],
    ]);
    const links = await get('/api/stats/industries/chains?park=P1');
    expect(links.items.map((l: Record<string, unknown>) => [l.position, l.link, l.link_name, l.enterprises, l.present])).toEqual([
      [1, 'C27', '医药制造业', 1, true], [2, 'M73', '研究和试验发展', 0, false], [3, 'I65', '软件和信息技术服务业', 1, true],
    ]);
  });
});

describe('projects', () => {
  it('by status in lifecycle order, and where they lie (a project’s own zone, else its parcel’s)', async () => {
    const status = await get('/api/stats/projects?by=status');
    expect(status.items.map((i: Record<string, unknown>) => [i.key, i.name, i.projects, i.investment_cny])).toEqual([
      ['planned', '谋划', 1, 25e6], ['under_construction', '在建', 1, 100e6], ['operating', '投产运营', 1, 50e6],
    ]);
    expect(status.total).toEqual({ projects: 3, investment_cny: 175e6 });
    const park = await get('/api/stats/projects?by=park');
    expect(park.items.map((i: Record<string, unknown>) => [i.key, i.projects, i.investment_cny, i.investment_share, i.started, i.completed])).toEqual([
      ['P1', 1, 100e6, 0.5714, 1, 0], ['P2', 1, 50e6, 0.2857, 1, 1], [null, 1, 25e6, 0.1429, 0, 0],
    ]);
    const area = await get('/api/stats/projects?by=area');
    expect(area.items.map((i: Record<string, unknown>) => [i.key, i.projects])).toEqual([['A1', 2], [null, 1]]);
    const corridor = await get('/api/stats/projects?by=corridor');
    expect(corridor.items.map((i: Record<string, unknown>) => [i.key, i.projects, i.investment_cny])).toEqual([['C1', 1, 100e6], [null, 2, 75e6]]);
  });
});

describe('CSV, validation and OpenAPI', () => {
  it('every table downloads as UTF-8 CSV with a BOM, Chinese intact', async () => {
    const urls = [
      `/api/stats/idle-land?as_of=${AS_OF}`, `/api/stats/idle-land/summary?as_of=${AS_OF}&by=park`, `/api/stats/idle-land/ages?as_of=${AS_OF}`,
      `/api/stats/idle-land/warnings?as_of=${AS_OF}`, `/api/stats/vacancy?as_of=${AS_OF}`, '/api/stats/vacancy/series?from=2025-01&to=2025-02',
      `/api/stats/output-per-mu?as_of=${AS_OF}`, '/api/stats/industries', '/api/stats/industries/chains', '/api/stats/projects',
    ];
    for (const url of urls) {
      const json = await get(url);
      const res = await t.app.inject(`${url}${url.includes('?') ? '&' : '?'}format=csv`);
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(res.headers['content-disposition']).toMatch(/^attachment; filename="[a-z0-9-]+\.csv"$/);
      expect(res.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
      const lines = res.body.replace(/^\uFEFF/, '').trimEnd().split('\r\n');
      expect(lines.length, url).toBe(json.items.length + 1);
    }
    const vacancy = (await t.app.inject(`/api/stats/vacancy?by=park&as_of=${AS_OF}&format=csv`)).body;
    expect(vacancy).toBe('\uFEFFkey,name,units,vacant_units,stock_m2,leased_m2,reserved_m2,vacant_m2,vacancy_rate\r\n' +
      'P1,测试一园,4,1,1000,300,300,400,0.4\r\nP2,"测试""二""园,东区",1,1,250,0,0,250,1\r\n');
  });

  it('CSV cells: quotes, commas and line breaks quoted; a formula-like text defused', () => {
    const csv = toCsv(['a', 'b', 'c'], [{ a: '=SUM(A1)', b: 'x,"y"\nz', c: null }, { a: -3, b: ['C27', 'I65'], c: true }]).toString('utf8');
    expect(csv).toBe('\uFEFFa,b,c\r\n\'=SUM(A1),"x,""y""\nz",\r\n-3,C27;I65,true\r\n');
  });

  it('refuses a bad as_of, grouping, month range or unknown parameter with the one error shape', async () => {
    const cases: [string, string][] = [
      ['/api/stats/idle-land?as_of=2025-02-30', 'as_of'],
      ['/api/stats/idle-land?as_of=20250101', 'as_of'],
      ['/api/stats/idle-land/summary?as_of=yesterday', 'as_of'],
      ['/api/stats/vacancy?by=street', 'by'],
      ['/api/stats/vacancy?as_of=2025-13-01', 'as_of'],
      ['/api/stats/vacancy/series?from=2025-06&to=2025-01', 'to'],
      ['/api/stats/vacancy/series?from=2025-6&to=2025-07', 'from'],
      ['/api/stats/idle-land/warnings?within_days=0', 'within_days'],
      ['/api/stats/idle-land?class=idle', 'class'],
      ['/api/stats/output-per-mu?by=company', 'by'],
      ['/api/stats/projects?by=status&colour=red', 'colour'],
      ['/api/stats/industries?format=xlsx', 'format'],
      ['/api/stats/idle-land?cursor=nonsense', 'cursor'],
    ];
    for (const [url, field] of cases) {
      const res = await t.app.inject(url);
      expect(res.statusCode, url).toBe(400);
      const { error } = res.json();
      expect(error.field, url).toBe(field);
      expect(error.code, url).toMatch(/^invalid_(query|cursor)$/);
      expect(error.message.length).toBeGreaterThan(5);
    }
  });

  it('documents every stats route in OpenAPI, with as_of and the response schema', async () => {
    const doc = await get('/api/openapi.json');
    for (const path of ['/api/stats/idle-land', '/api/stats/idle-land/summary', '/api/stats/idle-land/ages', '/api/stats/idle-land/warnings',
      '/api/stats/vacancy', '/api/stats/vacancy/series', '/api/stats/output-per-mu', '/api/stats/industries', '/api/stats/industries/chains', '/api/stats/projects']) {
      const op = doc.paths[path]?.get;
      expect(op, path).toBeDefined();
      expect(op.responses['200'].content['application/json'].schema.properties.items, path).toBeDefined();
      expect(op.parameters.some((p: { name: string }) => p.name === 'format'), path).toBe(true);
    }
    const asOf = doc.paths['/api/stats/vacancy'].get.parameters.find((p: { name: string }) => p.name === 'as_of');
    expect(asOf.schema.format ?? asOf.schema.pattern).toBeDefined();
  });
});

describe('kept figures (the dashboard’s fast path) stay equal to the live computation', () => {
  const DAYS = ['2010-01-01', '2024-12-31', AS_OF, '2025-07-01', '2026-03-01', '2030-01-01'];
  const AGE_CLASSES = "('approved_unsupplied', 'supplied_unused')";

  async function expectKeptEqualsLive(step: string) {
    for (const d of DAYS) {
      for (const by of ['park', 'area', 'corridor', 'zone']) {
        const keptVacancy = await sql(`SELECT * FROM vacancy_kept_at($1, $2) ORDER BY key NULLS LAST`, [d, by]);
        const liveVacancy = await sql(`SELECT * FROM vacancy_at($1, $2) ORDER BY key NULLS LAST`, [d, by]);
        expect(keptVacancy, `${step}: vacancy by ${by} on ${d}`).toEqual(liveVacancy);
        const keptIdle = await sql(
          `SELECT key, class, parcels, round(area_m2::numeric, 3)::float8 AS area, round(idle_fee_cny::numeric, 2)::float8 AS fee,
                  CASE WHEN class IN ${AGE_CLASSES} THEN round(mean_age_days::numeric, 4)::float8 END AS age
           FROM idle_land_summary_at($1, $2) ORDER BY 1 NULLS LAST, 2`, [d, by]);
        const liveIdle = await sql(
          `SELECT CASE $2::text WHEN 'park' THEN z.park WHEN 'area' THEN z.area WHEN 'corridor' THEN z.corridor ELSE 'zone' END AS key,
                  i.class, count(*)::int AS parcels, round(sum(i.area_m2)::numeric, 3)::float8 AS area,
                  round(coalesce(sum(i.idle_fee_cny), 0), 2)::float8 AS fee,
                  CASE WHEN i.class IN ${AGE_CLASSES} THEN round(avg(i.days), 4)::float8 END AS age
           FROM idle_land_at($1) i LEFT JOIN parcel_zone z ON z.parcel = i.parcel GROUP BY 1, 2 ORDER BY 1 NULLS LAST, 2`, [d, by]);
        expect(keptIdle, `${step}: idle land by ${by} on ${d}`).toEqual(liveIdle);
      }
      const columns = `level, key, parcels, round(land_m2::numeric, 3)::float8 AS land, round(revenue_cny::numeric, 2)::float8 AS revenue,
                       round(tax_cny::numeric, 2)::float8 AS tax, round(employees::numeric, 4)::float8 AS employees,
                       scheme, round(score::numeric, 4)::float8 AS score, grade, rank`;
      const keptOutput = await sql(`SELECT ${columns} FROM park_output_per_mu_at($1) ORDER BY level, key`, [d]);
      const liveOutput = await sql(`SELECT ${columns} FROM output_per_mu_at($1) WHERE level IN ('park', 'zone') ORDER BY level, key`, [d]);
      expect(keptOutput, `${step}: output per mu on ${d}`).toEqual(liveOutput);
      const perEnterprise = columns.replace('level, ', '');
      const keptEnterprises = await sql(`SELECT ${perEnterprise} FROM enterprise_output_per_mu_at($1) ORDER BY key`, [d]);
      const liveEnterprises = await sql(`SELECT ${perEnterprise} FROM output_per_mu_at($1) WHERE level = 'enterprise' ORDER BY key`, [d]);
      expect(keptEnterprises, `${step}: output per mu of enterprises on ${d}`).toEqual(liveEnterprises);
    }
    const keptIndustry = await sql(`SELECT park, section, division, enterprises, high_tech_enterprises, employees::float8, revenue_cny::float8, tax_cny::float8, high_tech_output_cny::float8 FROM industry_stats('park') ORDER BY 1 NULLS LAST, 2, 3 NULLS FIRST`);
    const liveIndustry = await sql(
      `SELECT park, left(industry, 1) AS section, CASE WHEN length(industry) = 3 THEN industry END AS division, count(*)::int AS enterprises,
              count(*) FILTER (WHERE high_tech)::int AS high_tech_enterprises, coalesce(sum(employees), 0)::float8 AS employees,
              coalesce(sum(revenue_cny), 0)::float8 AS revenue_cny, coalesce(sum(tax_cny), 0)::float8 AS tax_cny,
              coalesce(sum(revenue_cny) FILTER (WHERE high_tech), 0)::float8 AS high_tech_output_cny
       FROM enterprise GROUP BY 1, 2, 3 ORDER BY 1 NULLS LAST, 2, 3 NULLS FIRST`);
    expect(keptIndustry, `${step}: industries`).toEqual(liveIndustry);
  }

  // The kept tables with their numbers as values (a rebuild may write 0.00 where a refresh wrote 0.0000).
  const keptTables = async () => ({
    idle: await sql(`SELECT park, area, corridor, day::text, class, parcels, trim_scale(area_m2)::text AS m2, trim_scale(idle_fee_cny)::text AS fee, since_days::text
                     FROM idle_land_day ORDER BY park, area, corridor, day, class`),
    vacancy: await sql(`SELECT park, area, corridor, day::text, status, units, trim_scale(area_m2)::text AS m2 FROM vacancy_day ORDER BY park, area, corridor, day, status`),
    output: await sql(`SELECT park, day::text, parcels, trim_scale(land_m2)::text AS land, trim_scale(revenue_cny)::text AS revenue,
                       trim_scale(tax_cny)::text AS tax, trim_scale(employees)::text AS employees FROM output_per_mu_day ORDER BY park, day`),
    industry: await sql(`SELECT park, industry, enterprises, high_tech_enterprises, employees::text, trim_scale(revenue_cny)::text AS revenue,
                         trim_scale(tax_cny)::text AS tax, trim_scale(high_tech_output_cny)::text AS output FROM industry_total ORDER BY park, industry`),
  });

  it('after writes of leases, units, buildings, parcels, enterprises and thresholds; and a rebuild changes nothing', async () => {
    await expectKeptEqualsLive('loaded');
    // Leases: one shortened, one removed, one new on a unit of the building completed in 2025.
    await sql(`UPDATE lease SET end_date = '2025-12-31' WHERE unit = 'U2'`);
    await sql(`DELETE FROM lease WHERE unit = 'U4'`);
    await sql(`INSERT INTO lease (enterprise, unit, start_date, end_date) VALUES ($1, 'U6', '2025-03-01', '2025-09-30')`, [E5]);
    await expectKeptEqualsLive('leases');
    // Units: resized and reserved, moved to another building, removed, added.
    await sql(`UPDATE unit SET area_m2 = 150, reserved = true WHERE code = 'U1'`);
    await sql(`UPDATE unit SET building = 'B3' WHERE code = 'U3'`);
    await sql(`DELETE FROM lease WHERE unit = 'U5'`);
    await sql(`DELETE FROM unit WHERE code = 'U5'`);
    await sql(`INSERT INTO unit (code, building, floor, kind, area_m2) VALUES ('U7', 'B2', 2, 'office', 320)`);
    await sql(`INSERT INTO lease (enterprise, unit, start_date) VALUES ($1, 'U7', '2024-06-01')`, [E3]);
    await expectKeptEqualsLive('units');
    // A building completed: its units (and their pre-lets) join the stock.
    await sql(`UPDATE building SET status = 'completed', completion_year = 2025 WHERE code = 'B2'`);
    await expectKeptEqualsLive('building');
    // Parcels: started, exempted, repriced, sold on by a parcel lease; an enterprise's figures change.
    await sql(`UPDATE parcel SET start_date = '2025-05-01' WHERE code = 'T-SUPUN'`);
    await sql(`UPDATE parcel SET idle_exemption = '不可抗力：洪水' WHERE code = 'T-IDLE1'`);
    await sql(`UPDATE parcel SET price_cny = 123456 WHERE code = 'T-RECOV'`);
    await sql(`INSERT INTO lease (enterprise, parcel, start_date) VALUES ($1, 'T-DONE2', '2025-05-01')`, [E2]);
    await sql(`UPDATE enterprise SET revenue_cny = 99e6, employees = 50 WHERE uscc = $1`, [E4]);
    await expectKeptEqualsLive('parcels');
    // A parcel moved into another park takes its buildings, units and land use with it.
    await sql(`UPDATE parcel SET geom = ST_GeomFromText($1, 4326) WHERE code = 'T-DONE2'`, [box(116.5085, 35.3085, 116.5095, 35.3095)]);
    expect((await sql(`SELECT park FROM parcel_zone WHERE parcel = 'T-DONE2'`))[0].park).toBe('P1');
    await expectKeptEqualsLive('moved');
    // New thresholds re-judge every parcel.
    try {
      await sql(`UPDATE idle_land_config SET stopped_for = interval '6 months', recoverable_after = interval '3 years'`);
      await expectKeptEqualsLive('thresholds');
    } finally {
      await sql(`UPDATE idle_land_config SET stopped_for = interval '1 year', recoverable_after = interval '2 years'`);
    }
    // Enterprises: added, reclassified, removed.
    await sql(`INSERT INTO enterprise (uscc, name, industry, high_tech, employees, revenue_cny, tax_cny, park) VALUES ($1, '新企业', 'M73', true, 3, 1e6, 1e4, 'P1')`, [uscc(6)]);
    await sql(`UPDATE enterprise SET industry = 'C40', park = 'P2', high_tech = true WHERE uscc = $1`, [E5]);
    await expectKeptEqualsLive('enterprises');
    await sql(`DELETE FROM enterprise WHERE uscc = $1`, [uscc(6)]);
    await expectKeptEqualsLive('enterprise removed');

    const incremental = await keptTables();
    await sql('SELECT stats_rebuild()');
    expect(await keptTables()).toEqual(incremental);
  });

  it('are refreshed once when a transaction of several writes commits, and untouched when it rolls back', async () => {
    const before = await keptTables();
    await expect(t.db.tx(async (q) => {
      await q.query(`INSERT INTO lease (enterprise, unit, start_date) VALUES ($1, 'U1', '2026-01-01')`, [E5]);
      await q.query(`UPDATE parcel SET start_date = '2026-01-01' WHERE code = 'T-APPR'`);
      throw new Error('changed my mind');
    })).rejects.toThrow('changed my mind');
    expect(await keptTables()).toEqual(before);
    expect((await sql('SELECT count(*)::int AS n FROM stats_pending'))[0].n).toBe(0);
    await t.db.tx(async (q) => {
      await q.query(`INSERT INTO lease (enterprise, unit, start_date) VALUES ($1, 'U1', '2026-01-01')`, [E5]);
      await q.query(`UPDATE unit SET area_m2 = 175 WHERE code = 'U1'`);
      await q.query(`UPDATE parcel SET supply_date = '2025-08-01', agreed_start_date = '2026-01-01' WHERE code = 'T-APPR'`);
      await q.query(`UPDATE lease SET end_date = '2025-12-31' WHERE parcel = 'T-SMALL'`);
      await q.query(`INSERT INTO lease (enterprise, parcel, start_date) VALUES ($1, 'T-SMALL', '2026-01-01')`, [E1]);
    });
    expect((await sql('SELECT count(*)::int AS n FROM stats_pending'))[0].n).toBe(0);
    expect((await sql('SELECT count(*)::int AS n FROM stats_pending_commit'))[0].n).toBe(0);
    await expectKeptEqualsLive('one transaction');
  });
});

describe('parcel_zone, the kept containment', () => {
  const mismatches = async () =>
    (await sql(`SELECT count(*)::int AS n FROM parcel_containment c FULL JOIN parcel_zone z ON z.parcel = c.parcel
                WHERE (z.park, z.area, z.corridor) IS DISTINCT FROM (c.park, c.area, c.corridor) OR z.parcel IS NULL OR c.parcel IS NULL`))[0].n;

  it('equals parcel_containment after parcels, parks, areas and corridors are written', async () => {
    expect(await mismatches()).toBe(0);
    // A park shrinks: the parcels left outside lose it.
    await sql(`UPDATE park SET geom = ST_GeomFromText($1, 4326) WHERE code = 'P1'`, [box(116.5, 35.3, 116.5035, 35.31)]);
    expect(await mismatches()).toBe(0);
    expect((await sql(`SELECT count(*)::int AS n FROM parcel_zone WHERE park = 'P1'`))[0].n).toBe(5);
    // A corridor is drawn over P2, a parcel moves into the empty area, another is deleted.
    await sql(`INSERT INTO corridor (code, name, geom) VALUES ('C2', '新走廊', ST_GeomFromText($1, 4326))`, [box(116.51, 35.3, 116.52, 35.31)]);
    await sql(`UPDATE parcel SET geom = ST_GeomFromText($1, 4326) WHERE code = 'T-UNAPP'`, [box(116.531, 35.301, 116.532, 35.302)]);
    await sql(`DELETE FROM parcel WHERE code = 'E-LEAP'`);
    expect(await mismatches()).toBe(0);
    expect((await sql(`SELECT area, park FROM parcel_zone WHERE parcel = 'T-UNAPP'`))[0]).toEqual({ area: 'A2', park: null });
    expect((await sql(`SELECT count(*)::int AS n FROM parcel_zone WHERE corridor = 'C2'`))[0].n).toBeGreaterThan(5);
    await sql(`DELETE FROM corridor WHERE code = 'C2'`);
    expect(await mismatches()).toBe(0);
  });
});
