import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { migrate } from '@parkatlas/db';
import { openTestDb, type TestDb } from './support/test-db.ts';

// The Db interface behaves the same on both drivers: the suite runs this file on PGlite, and on
// PostgreSQL when DATABASE_URL is set.

let t: TestDb;
beforeAll(async () => {
  t = await openTestDb(inject('templateDb'));
});
afterAll(() => t?.close());

describe('Db', () => {
  it('migrations are recorded and a second run applies nothing', async () => {
    expect(await migrate(t.db)).toEqual([]);
    const r = await t.db.query<{ name: string }>('SELECT name FROM schema_migration ORDER BY name');
    expect(r.rows.map((x) => x.name)).toContain('001_extensions_and_codes.sql');
  });

  it('commits a transaction that resolves and rolls back one that throws', async () => {
    await t.db.tx((q) => q.query(`INSERT INTO land_use_class VALUES ('H9', 't', 't', 'H', '0')`));
    await expect(
      t.db.tx(async (q) => {
        await q.query(`INSERT INTO land_use_class VALUES ('H8', 't', 't', 'H', '0')`);
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    const r = await t.db.query<{ code: string }>(`SELECT code FROM land_use_class WHERE code IN ('H8', 'H9') ORDER BY code`);
    expect(r.rows).toEqual([{ code: 'H9' }]);
  });

  it('reports constraint errors with SQLSTATE, constraint and detail', async () => {
    const e = await t.db.query(`INSERT INTO parcel (code, geom, land_use, status) VALUES ('x', ST_GeomFromText('MULTIPOLYGON(((116.6 35.4,116.61 35.4,116.61 35.41,116.6 35.4)))', 4326), 'Q1', 'idle')`).catch((x) => x);
    expect(e.code).toBe('23503');
    expect(e.detail).toMatch(/Key \(land_use\)=\(Q1\)/);
  });

  it('checks USCC check characters in the database too', async () => {
    const r = await t.db.query<{ ok: boolean; bad: boolean }>(`SELECT uscc_is_valid('91350100M000100Y43') AS ok, uscc_is_valid('91350100M000100Y44') AS bad`);
    expect(r.rows[0]).toEqual({ ok: true, bad: false });
  });

  it('refuses an invalid geometry even when written with SQL', async () => {
    const e = await t.db.query(`INSERT INTO area (code, name, geom) VALUES ('bow', 'bow', ST_GeomFromText('MULTIPOLYGON(((116.6 35.4,116.61 35.41,116.61 35.4,116.6 35.41,116.6 35.4)))', 4326))`).catch((x) => x);
    expect(e.code).toBe('23514');
  });

  it('forbids two leases of one unit over overlapping days', async () => {
    const unit = (await t.db.query<{ code: string }>('SELECT code FROM unit ORDER BY code LIMIT 1')).rows[0].code;
    const enterprise = (await t.db.query<{ uscc: string }>('SELECT uscc FROM enterprise LIMIT 1')).rows[0].uscc;
    await t.db.query('DELETE FROM lease WHERE unit = $1', [unit]);
    await t.db.query(`INSERT INTO lease (enterprise, unit, start_date, end_date) VALUES ($1, $2, '2030-01-01', '2030-12-31')`, [enterprise, unit]);
    // The next lease may start the day after the last day, not on it.
    await t.db.query(`INSERT INTO lease (enterprise, unit, start_date, end_date) VALUES ($1, $2, '2031-01-01', '2031-06-30')`, [enterprise, unit]);
    const e = await t.db.query(`INSERT INTO lease (enterprise, unit, start_date) VALUES ($1, $2, '2031-06-30')`, [enterprise, unit]).catch((x) => x);
    expect(e.code).toBe('23P01');
  });

  it('returns dates as YYYY-MM-DD strings and counts as numbers on both drivers', async () => {
    const r = await t.db.query<{ d: unknown; n: unknown; j: unknown }>(`SELECT to_char(DATE '2024-02-29', 'YYYY-MM-DD') AS d, count(*)::int AS n, to_jsonb(DATE '2024-02-29') AS j FROM park`);
    expect(r.rows[0]).toEqual({ d: '2024-02-29', n: 13, j: '2024-02-29' });
  });
});
