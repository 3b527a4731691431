import { migrate, openEmbedded, openPostgres, type Db } from '@parkatlas/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeUscc, organizationCode } from './enterprises.ts';
import { generateDemoZone } from './generate.ts';
import { isDatabaseEmpty, loadDemoZone, TABLES, type LoadReport } from './load.ts';
import type { DemoZone } from './types.ts';
import { unitVacancy } from './zone-checks.ts';

/**
 * Loads a small zone into a migrated database and checks it with PostGIS itself. Embedded PGlite by
 * default; a real PostgreSQL + PostGIS when DATABASE_URL is set. On PostgreSQL the test works in a
 * schema of its own, dropped and re-created each run, so it never touches the tables of whoever
 * else uses that database.
 */
const url = process.env.DATABASE_URL;
const TEST_SCHEMA = 'seeds_load_test';
const TODAY = '2026-11-25';

async function openTestDb(): Promise<Db> {
  if (!url) return openEmbedded();
  const host = new URL(url).hostname;
  if (!['127.0.0.1', 'localhost', '::1', '[::1]'].includes(host)) {
    throw new Error(`refusing to drop schema ${TEST_SCHEMA} on non-local database host ${host}`);
  }
  const admin = await openPostgres(url, { max: 1 });
  await admin.exec(`DROP SCHEMA IF EXISTS ${TEST_SCHEMA} CASCADE; CREATE SCHEMA ${TEST_SCHEMA};`);
  await admin.close();
  // Every pooled connection starts with the test schema first, PostGIS still found in public.
  const scoped = new URL(url);
  scoped.searchParams.set('options', `-c search_path=${TEST_SCHEMA},public`);
  return openPostgres(scoped.toString());
}

const count = async (db: Db, sql: string, params?: unknown[]) =>
  Number((await db.query<{ n: string | number }>(sql, params)).rows[0].n);

class Rollback extends Error {}

describe(`loadDemoZone into ${url ? 'PostgreSQL (DATABASE_URL)' : 'embedded PGlite'}`, () => {
  let db: Db;
  let zone: DemoZone;
  let report: LoadReport[];

  beforeAll(async () => {
    db = await openTestDb();
    await migrate(db);
    expect(await isDatabaseEmpty(db)).toBe(true);
    zone = generateDemoZone({ parcels: 300 });
    const t0 = performance.now();
    report = await loadDemoZone(db, zone);
    console.log(`loaded { parcels: 300 } on ${db.kind} in ${Math.round(performance.now() - t0)} ms`, report);
  }, 300_000);

  afterAll(async () => {
    await db?.close();
  });

  // The embedded database never vacuums; the load must leave no dead rows behind (space_unit's busy
  // days are rewritten once per lease by a trigger). PostgreSQL reports these counts lazily: embedded only.
  it.runIf(!url)('leaves no dead rows in space_unit (the load ends with VACUUM)', async () => {
    expect(await count(db, `SELECT n_live_tup AS n FROM pg_stat_user_tables WHERE relname = 'space_unit'`)).toBeGreaterThan(0);
    expect(await count(db, `SELECT n_dead_tup AS n FROM pg_stat_user_tables WHERE relname = 'space_unit'`)).toBe(0);
  });

  it('reports and stores every row of every table', async () => {
    expect(await isDatabaseEmpty(db)).toBe(false);
    for (const t of TABLES) {
      const expected = zone[t.key].length;
      expect(report.find((r) => r.table === t.table)!.rows, t.table).toBe(expected);
      expect(await count(db, `SELECT count(*) AS n FROM ${t.table}`), t.table).toBe(expected);
    }
  });

  it('stores only valid geometry, polygons counter-clockwise', async () => {
    for (const table of ['basemap_feature', 'corridor', 'area', 'park', 'parcel', 'building']) {
      expect(await count(db, `SELECT count(*) AS n FROM ${table} WHERE NOT ST_IsValid(geom)`), table).toBe(0);
      expect(
        await count(db, `SELECT count(*) AS n FROM ${table} WHERE GeometryType(geom) IN ('POLYGON', 'MULTIPOLYGON') AND NOT ST_IsPolygonCCW(geom)`),
        table,
      ).toBe(0);
    }
  });

  it('has no two parcels sharing any area', async () => {
    const overlaps = await count(db, `
      SELECT count(*) AS n
      FROM parcel a JOIN parcel b ON a.code < b.code AND a.geom && b.geom
      WHERE ST_Relate(a.geom, b.geom, '2********') OR ST_Area(ST_Intersection(a.geom, b.geom)) > 0`);
    expect(overlaps).toBe(0);
  });

  it('has every building within its parcel', async () => {
    expect(await count(db, `
      SELECT count(*) AS n FROM building b JOIN parcel p ON p.code = b.parcel
      WHERE NOT ST_Within(b.geom, p.geom)`)).toBe(0);
  });

  it('places each parcel in the area its code names, and few outside every park', async () => {
    // Parcel codes carry the area: 370811 + (100 + area number) + …
    expect(await count(db, `
      SELECT count(*) AS n FROM parcel_api
      WHERE area IS DISTINCT FROM 'A0' || (substr(code, 7, 3)::int - 100)`)).toBe(0);
    const outside = await count(db, 'SELECT count(*) AS n FROM parcel_api WHERE park IS NULL');
    expect(outside).toBeLessThan(0.08 * zone.parcels.length);
    for (const park of zone.parks) {
      expect(await count(db, 'SELECT count(*) AS n FROM parcel_api WHERE park = $1', [park.code]), park.code).toBeGreaterThan(0);
    }
  });

  it('keeps parks within areas and corridors apart', async () => {
    expect(await count(db, `
      SELECT count(*) AS n FROM park k
      WHERE NOT EXISTS (SELECT 1 FROM area a WHERE ST_Within(k.geom, a.geom))`)).toBe(0);
    expect(await count(db, `
      SELECT count(*) AS n FROM area a JOIN area b ON a.code < b.code AND ST_Relate(a.geom, b.geom, '2********')`)).toBe(0);
    expect(await count(db, `
      SELECT count(*) AS n FROM corridor a JOIN corridor b ON a.code < b.code AND ST_Relate(a.geom, b.geom, '2********')`)).toBe(0);
  });

  it('agrees with the generator on vacancy and on the ¥20.2 bn of projects', async () => {
    const vacantArea = (await db.query<{ share: string | number }>(`
      SELECT sum(u.area_m2) FILTER (WHERE o.status = 'vacant') / sum(u.area_m2) AS share
      FROM unit u JOIN unit_occupancy_at($1::date) o ON o.unit = u.code`, [TODAY])).rows[0].share;
    expect(Number(vacantArea)).toBeCloseTo(unitVacancy(zone, TODAY).vacant, 6);
    const sum = (await db.query<{ total: string }>('SELECT sum(investment_cny)::text AS total FROM project')).rows[0].total;
    expect(sum).toBe('20200000000.00');
  });

  it('restores the lease constraints and moves the id sequence past the loaded ids', async () => {
    expect(await count(db, `SELECT count(*) AS n FROM pg_constraint WHERE conrelid = 'lease'::regclass AND contype = 'x'`)).toBe(2);
    const free = (await db.query<{ code: string; uscc: string }>(`
      SELECT p.code, (SELECT uscc FROM enterprise ORDER BY uscc LIMIT 1) AS uscc
      FROM parcel p WHERE NOT EXISTS (SELECT 1 FROM lease l WHERE l.parcel = p.code) ORDER BY p.code LIMIT 1`)).rows[0];
    const maxId = await count(db, 'SELECT max(id) AS n FROM lease');
    await expect(
      db.tx(async (q) => {
        const a = await q.query<{ id: string | number }>(
          `INSERT INTO lease (enterprise, parcel, start_date, end_date) VALUES ($1, $2, '2030-01-01', '2030-12-31') RETURNING id`,
          [free.uscc, free.code],
        );
        expect(Number(a.rows[0].id)).toBeGreaterThan(maxId);
        // The same parcel again over an overlapping span: the exclusion constraint must refuse it.
        await q.query(
          `INSERT INTO lease (enterprise, parcel, start_date, end_date) VALUES ($1, $2, '2030-06-01', '2031-05-31')`,
          [free.uscc, free.code],
        );
        throw new Rollback();
      }),
    ).rejects.toMatchObject({ code: '23P01' });
  });

  it('writes nothing when a load fails part-way', async () => {
    const before = await count(db, 'SELECT count(*) AS n FROM enterprise');
    // The same zone again: the first parcel collides with a loaded one, after new enterprises went in.
    const newcomer = { ...zone.enterprises[0], uscc: makeUscc('370800', organizationCode(999_999, true)) };
    const again: DemoZone = { ...zone, basemap: [], corridors: [], areas: [], parks: [], enterprises: [newcomer] };
    await expect(loadDemoZone(db, again)).rejects.toThrow();
    expect(await count(db, 'SELECT count(*) AS n FROM enterprise')).toBe(before);
    expect(await count(db, `SELECT count(*) AS n FROM pg_constraint WHERE conrelid = 'lease'::regclass AND contype = 'x'`)).toBe(2);
  });
});
