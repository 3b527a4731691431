import { usccCheckChar } from '@parkatlas/schema';
import type { TestApp } from './app.ts';

/**
 * A small hand-made corner of the zone for the space finder and the lead pipeline, far east of the
 * generated parks (about 117.5° E, 35.9° N), so searches restricted to its parks see only it:
 *
 *   park TP1 (theme C27, M73) ─ parcel TPA1 ─ building TBA1 ─ units TU1…TU8
 *                             ─ parcel TPC1 (available), TPC2 (available, leased), TPC3 (reserved)
 *   park TP2 (theme I65)      ─ parcel TPB1 ─ building TBB1 ─ units TV1, TV2
 *   corridor TC1 covers TPA1 only.
 *
 * Unit   area  rent  floor  notes
 * TU1    300   40    1      move-in ready, floor load 5, clear height 4, power 50
 * TU2    380   46    2
 * TU3    180   38    1
 * TU4    320   30    1      leased 2020-01-01 … 2030-12-31
 * TU5    250   35    1      available from 2099-01-01
 * TU6    600   35    1
 * TU7    300   55    1
 * TU8    300   35    1      reserved
 * TV1    350   36    3
 * TV2    220   –     1      no asking rent
 */
export const square = (x: number, y: number, d: number) => ({
  type: 'MultiPolygon',
  coordinates: [[[[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]]]],
});

/** A valid USCC from a 17-character body (GB 32100-2015 check character). */
export function uscc(body17: string): string {
  return body17 + usccCheckChar(body17)!;
}

export const ENTERPRISE_A = uscc('91370811TPA00001X');
export const ENTERPRISE_B = uscc('91370811TPB00002Y');

const geo = (g: unknown) => `ST_SetSRID(ST_GeomFromGeoJSON('${JSON.stringify(g)}'), 4326)`;

export async function loadSpacesFixture(t: TestApp): Promise<void> {
  const units: [string, string, number, number | null, number, Record<string, unknown>][] = [
    ['TU1', 'TBA1', 300, 40, 1, { move_in_ready: true, floor_load_kn_m2: 5, clear_height_m: 4, power_kva: 50 }],
    ['TU2', 'TBA1', 380, 46, 2, { floor_load_kn_m2: 3 }],
    ['TU3', 'TBA1', 180, 38, 1, {}],
    ['TU4', 'TBA1', 320, 30, 1, {}],
    ['TU5', 'TBA1', 250, 35, 1, { available_from: '2099-01-01' }],
    ['TU6', 'TBA1', 600, 35, 1, {}],
    ['TU7', 'TBA1', 300, 55, 1, {}],
    ['TU8', 'TBA1', 300, 35, 1, { reserved: true }],
    ['TV1', 'TBB1', 350, 36, 3, {}],
    ['TV2', 'TBB1', 220, null, 1, {}],
  ];
  await t.db.tx(async (q) => {
    await q.query(`INSERT INTO corridor (code, name, geom) VALUES ('TC1', '测试走廊', ST_Multi(${geo(square(117.5, 35.9, 0.006))}))`);
    await q.query(`INSERT INTO park (code, name, theme_industries, geom) VALUES
      ('TP1', '测试医药园', '{C27,M73}', ST_Multi(${geo(square(117.5, 35.9, 0.02))})),
      ('TP2', '测试软件园', '{I65}', ST_Multi(${geo(square(117.53, 35.9, 0.02))}))`);
    await q.query(`INSERT INTO enterprise (uscc, name, industry) VALUES ($1, '测试药业', 'C27'), ($2, '测试软件', 'I65')`, [ENTERPRISE_A, ENTERPRISE_B]);
    await q.query(`INSERT INTO parcel (code, land_use, status, geom) VALUES
      ('TPA1', 'M1', 'occupied', ST_Multi(${geo(square(117.501, 35.901, 0.002))})),
      ('TPB1', 'M1', 'occupied', ST_Multi(${geo(square(117.535, 35.905, 0.002))})),
      ('TPC1', 'M1', 'available', ST_Multi(${geo(square(117.51, 35.91, 0.002))})),
      ('TPC2', 'M1', 'available', ST_Multi(${geo(square(117.513, 35.91, 0.002))})),
      ('TPC3', 'M1', 'reserved', ST_Multi(${geo(square(117.516, 35.91, 0.002))}))`);
    await q.query(`INSERT INTO building (code, parcel, floors, use, status, geom) VALUES
      ('TBA1', 'TPA1', 3, 'industrial', 'completed', ST_Multi(${geo(square(117.5015, 35.9015, 0.001))})),
      ('TBB1', 'TPB1', 3, 'office', 'completed', ST_Multi(${geo(square(117.5355, 35.9055, 0.001))}))`);
    for (const [code, building, area, rent, floor, extra] of units) {
      await q.query(
        `INSERT INTO unit (code, building, floor, kind, area_m2, rent_cny_m2_month, move_in_ready, floor_load_kn_m2, clear_height_m, power_kva, available_from, reserved)
         VALUES ($1, $2, $3, 'workshop', $4, $5, $6, $7, $8, $9, $10, $11)`,
        [code, building, floor, area, rent, extra.move_in_ready ?? false, extra.floor_load_kn_m2 ?? null, extra.clear_height_m ?? null,
          extra.power_kva ?? null, extra.available_from ?? null, extra.reserved ?? false],
      );
    }
    await q.query(`INSERT INTO lease (enterprise, unit, start_date, end_date) VALUES ($1, 'TU4', '2020-01-01', '2030-12-31')`, [ENTERPRISE_B]);
    await q.query(`INSERT INTO lease (enterprise, parcel, start_date, end_date) VALUES ($1, 'TPC2', '2020-01-01', NULL)`, [ENTERPRISE_B]);
  });
}

/** A POST as staff; with `actor`, as a key of that name (recorded as `key:<actor>`). */
export const post = async (t: TestApp, url: string, payload: object, actor?: string) =>
  (actor ? await t.as(actor) : t.staff).inject({ method: 'POST', url, payload });
