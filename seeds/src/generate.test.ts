import { isValidUscc } from '@parkatlas/schema';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseDay, formatDay } from './dates.ts';
import { generateDemoZone } from './generate.ts';
import { signedArea2, type Position } from './geometry.ts';
import { rowKeys, TABLES } from './load.ts';
import { streamDemoZone } from './stream.ts';
import type { DemoZone } from './types.ts';
import {
  asRectangle, codesOf, columnsOf, covers, defaultedColumns, gridCentres, idleLandShare, overlappingLeases,
  overlappingPairs, pointInRing, ringAreaM2, ringBox, unitVacancy, type Box,
} from './zone-checks.ts';

const TODAY = '2026-11-25';
const SMALL = { parcels: 300 };

/** Every ring of every polygon of a row's geometry. */
function rings(geom: DemoZone['parcels'][number]['geom'] | DemoZone['basemap'][number]['geom']): Position[][] {
  switch (geom.type) {
    case 'MultiPolygon': return geom.coordinates.flat();
    case 'Polygon': return geom.coordinates;
    default: return [];
  }
}

function positions(geom: DemoZone['basemap'][number]['geom'] | DemoZone['parcels'][number]['geom']): Position[] {
  switch (geom.type) {
    case 'LineString': return geom.coordinates;
    case 'MultiLineString': return geom.coordinates.flat();
    case 'Polygon': return geom.coordinates.flat();
    case 'MultiPolygon': return geom.coordinates.flat(2);
  }
}

function tally<T>(items: T[], key: (t: T) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const t of items) out[key(t)] = (out[key(t)] ?? 0) + 1;
  return out;
}

const spatialRows = (zone: DemoZone) => [
  ...zone.corridors, ...zone.areas, ...zone.parks, ...zone.parcels, ...zone.buildings,
];

describe('generateDemoZone, small zone ({ parcels: 300 })', () => {
  let zone: DemoZone;
  beforeAll(() => {
    zone = generateDemoZone(SMALL);
  });

  it('is deterministic: the same options give byte-identical rows', () => {
    expect(JSON.stringify(generateDemoZone(SMALL))).toBe(JSON.stringify(zone));
  });

  it('gives a different zone for a different seed', () => {
    const other = generateDemoZone({ ...SMALL, seed: 99 });
    expect(other.parcels.length).toBe(300);
    expect(JSON.stringify(other.parcels)).not.toBe(JSON.stringify(zone.parcels));
  });

  it('is the stream collected: streamDemoZone yields the same rows in foreign-key order', () => {
    const seen = new Set<string>();
    const collected: Record<string, unknown[]> = {};
    for (const chunk of streamDemoZone(SMALL)) {
      seen.add(chunk.table);
      (collected[chunk.table] ??= []).push(...chunk.rows);
    }
    expect(JSON.stringify(collected.parcels)).toBe(JSON.stringify(zone.parcels));
    expect(JSON.stringify(collected.leases)).toBe(JSON.stringify(zone.leases));
  });

  it('keeps the fixed skeleton: 7 areas, 13 parks, 3 corridors, exactly 300 parcels', () => {
    expect(zone.areas.map((a) => a.code)).toEqual(['A01', 'A02', 'A03', 'A04', 'A05', 'A06', 'A07']);
    expect(zone.areas.map((a) => a.name)).toEqual(['蓼河新区', '吟龙新城', '创智广场', '崇文片区', '三贾片区', '杨家河片区', '洸河中学片区']);
    expect(zone.parks.map((p) => p.code)).toEqual(Array.from({ length: 13 }, (_, i) => `P${String(i + 1).padStart(2, '0')}`));
    expect(zone.corridors.map((c) => c.code)).toEqual(['C-HAICHUAN', 'C-XIPU', 'C-LIAOHE']);
    expect(zone.parcels).toHaveLength(300);
    const parkNames = zone.parks.map((p) => p.name);
    for (const name of ['国家检验检测认证公共服务平台示范区', '综合保税区', '大数据产业园', '生物医药产业园', '人力资源产业园']) {
      expect(parkNames).toContain(name);
    }
  });

  it('scales the rest with the parcels: a small zone has proportionally few rows', () => {
    expect(zone.buildings.length).toBeGreaterThan(300);
    expect(zone.buildings.length).toBeLessThan(300 * 4);
    expect(zone.units.length).toBeGreaterThan(300 * 3);
    expect(zone.units.length).toBeLessThan(300 * 12);
    expect(zone.enterprises.length).toBeGreaterThan(300 * 0.6);
    expect(zone.enterprises.length).toBeLessThan(300 * 3);
  });

  it('has some of every parcel, building, project status and lease state', () => {
    expect(Object.keys(tally(zone.parcels, (p) => p.status)).sort()).toEqual(['available', 'idle', 'occupied', 'reserved', 'under_construction']);
    expect(Object.keys(tally(zone.buildings, (b) => b.status)).sort()).toEqual(['completed', 'planned', 'under_construction']);
    expect(Object.keys(tally(zone.projects, (p) => p.status)).sort()).toEqual(['approved', 'completed', 'operating', 'planned', 'under_construction']);
    const states = tally(zone.leases, (l) => (l.start_date > TODAY ? 'future' : l.end_date !== null && l.end_date < TODAY ? 'ended' : 'active'));
    expect(Object.keys(states).sort()).toEqual(['active', 'ended', 'future']);
  });

  it('gives every row exactly the columns of its table, less what the database fills in', () => {
    for (const t of TABLES) {
      const expected = columnsOf(t.table).filter((c) => !defaultedColumns(t.table).includes(c)).sort();
      expect([...rowKeys(t.key)].sort(), t.table).toEqual(expected);
      for (const row of zone[t.key] as object[]) expect(Object.keys(row).sort(), t.table).toEqual(expected);
    }
  });

  it('uses only codes of land_use_class and industry_class', () => {
    const landUses = codesOf('land_use_class');
    const industries = codesOf('industry_class');
    expect(landUses.size).toBeGreaterThan(20);
    expect(industries.size).toBeGreaterThan(40);
    for (const p of zone.parcels) expect(landUses, p.code).toContain(p.land_use);
    for (const e of zone.enterprises) expect(industries, e.uscc).toContain(e.industry);
    for (const k of zone.parks) for (const c of k.theme_industries) expect(industries, k.code).toContain(c);
    for (const j of zone.projects) expect(industries, j.code).toContain(j.industry);
  });

  it('gives every enterprise a valid, unique USCC of a Jining registration', () => {
    for (const e of zone.enterprises) {
      expect(isValidUscc(e.uscc), e.uscc).toBe(true);
      expect(e.uscc).toMatch(/^91(370800|370811|370812|370881|370883)[0-9A-HJ-NP-RTUW-Y]{10}$/);
    }
    expect(new Set(zone.enterprises.map((e) => e.uscc)).size).toBe(zone.enterprises.length);
  });

  it('refers only to rows that exist', () => {
    const ids = (rows: { code: string }[]) => new Set(rows.map((r) => r.code));
    const enterprises = new Set(zone.enterprises.map((e) => e.uscc));
    const [parks, areas, corridors, parcels, buildings, units] =
      [zone.parks, zone.areas, zone.corridors, zone.parcels, zone.buildings, zone.units].map(ids);
    for (const e of zone.enterprises) if (e.park !== null) expect(parks).toContain(e.park);
    for (const p of zone.parcels) if (p.enterprise !== null) expect(enterprises).toContain(p.enterprise);
    for (const b of zone.buildings) expect(parcels).toContain(b.parcel);
    for (const u of zone.units) expect(buildings).toContain(u.building);
    for (const l of zone.leases) {
      expect(enterprises).toContain(l.enterprise);
      expect((l.unit === null) !== (l.parcel === null), `lease ${l.id} has one target`).toBe(true);
      if (l.unit !== null) expect(units).toContain(l.unit);
      if (l.parcel !== null) expect(parcels).toContain(l.parcel);
    }
    for (const j of zone.projects) {
      if (j.parcel !== null) expect(parcels).toContain(j.parcel);
      if (j.area !== null) expect(areas).toContain(j.area);
      if (j.corridor !== null) expect(corridors).toContain(j.corridor);
      if (j.park !== null) expect(parks).toContain(j.park);
      if (j.enterprise !== null) expect(enterprises).toContain(j.enterprise);
    }
    // Codes are primary keys.
    for (const rows of [zone.parcels, zone.buildings, zone.units, zone.projects]) expect(ids(rows).size).toBe(rows.length);
    expect(new Set(zone.leases.map((l) => l.id)).size).toBe(zone.leases.length);
  });

  it('has exactly 149 projects summing to exactly ¥20.2 bn', () => {
    expect(zone.projects).toHaveLength(149);
    expect(zone.projects.reduce((s, p) => s + p.investment_cny, 0)).toBe(20_200_000_000);
    for (const p of zone.projects) {
      expect(p.investment_cny).toBeGreaterThan(0);
      expect(Number.isInteger(p.investment_cny)).toBe(true);
      if (p.start_date && p.completion_date) expect(p.completion_date >= p.start_date, p.code).toBe(true);
    }
  });

  it('writes closed, counter-clockwise rings with 7-decimal coordinates inside the demo extent', () => {
    for (const row of [...spatialRows(zone), ...zone.basemap]) {
      for (const [x, y] of positions(row.geom)) {
        expect(x).toBeGreaterThanOrEqual(116.55);
        expect(x).toBeLessThanOrEqual(116.8);
        expect(y).toBeGreaterThanOrEqual(35.33);
        expect(y).toBeLessThanOrEqual(35.5);
        expect(Math.round(x * 1e7) / 1e7).toBe(x);
        expect(Math.round(y * 1e7) / 1e7).toBe(y);
      }
      for (const ring of rings(row.geom)) {
        expect(ring[0]).toEqual(ring[ring.length - 1]);
        expect(signedArea2(ring)).toBeGreaterThan(0);
      }
    }
    for (const row of spatialRows(zone)) expect(row.geom.type).toBe('MultiPolygon');
    expect(tally(zone.basemap, (b) => `${b.kind}:${b.geom.type}`)).toMatchObject({ 'zone_boundary:Polygon': 1, 'river:LineString': 2 });
    const roads = zone.basemap.filter((b) => b.kind === 'road').map((b) => b.name);
    expect(roads).toContain('海川路');
    expect(roads).toContain('西浦路');
    expect(zone.basemap.filter((b) => b.kind === 'river').map((b) => b.name).sort()).toEqual(['洸河', '蓼河'].sort());
  });

  it('lays out areas that do not overlap, parks inside one area each, corridors that do not overlap', () => {
    const outer = (rows: { geom: { coordinates: Position[][][] } }[]) => rows.map((r) => r.geom.coordinates.map((p) => p[0]));
    const areaRings = outer(zone.areas);
    const parkRings = outer(zone.parks);
    const corridorRings = outer(zone.corridors);
    const centres = gridCentres([...areaRings, ...parkRings, ...corridorRings].flat());
    const inAny = (polys: Position[][][], c: Position) => polys.map((p, i) => (p.some((ring) => pointInRing(c, ring)) ? i : -1)).filter((i) => i >= 0);
    const areaOfPark = new Map<number, Set<number>>();
    for (const c of centres) {
      const areas = inAny(areaRings, c);
      expect(areas.length).toBeLessThanOrEqual(1);
      expect(inAny(corridorRings, c).length).toBeLessThanOrEqual(1);
      const parks = inAny(parkRings, c);
      expect(parks.length).toBeLessThanOrEqual(1);
      for (const p of parks) {
        expect(areas, `park ${zone.parks[p].code} outside every area`).toHaveLength(1);
        (areaOfPark.get(p) ?? areaOfPark.set(p, new Set()).get(p)!).add(areas[0]);
      }
    }
    expect(areaOfPark.size).toBe(13);
    for (const set of areaOfPark.values()) expect(set.size).toBe(1);
  });

  it('tiles parcels as rectangles that never overlap, each inside one area', () => {
    const boxes = zone.parcels.map((p) => {
      expect(p.geom.coordinates).toHaveLength(1);
      const box = asRectangle(p.geom.coordinates[0][0]);
      expect(box, p.code).not.toBeNull();
      return box!;
    });
    expect(overlappingPairs(boxes)).toEqual([]);
    const areaRings = zone.areas.map((a) => a.geom.coordinates[0][0]);
    zone.parcels.forEach((p, i) => {
      const b = boxes[i];
      const centre: Position = [(b.minX + b.maxX) / 2, (b.minY + b.maxY) / 2];
      expect(areaRings.filter((r) => pointInRing(centre, r)), p.code).toHaveLength(1);
    });
  });

  it('puts every building strictly inside its parcel, with floors and floor area that fit', () => {
    const parcelBox = new Map(zone.parcels.map((p) => [p.code, asRectangle(p.geom.coordinates[0][0])!]));
    const byParcel = new Map<string, Box[]>();
    for (const b of zone.buildings) {
      const box = parcelBox.get(b.parcel)!;
      const ring = b.geom.coordinates[0][0];
      for (const [x, y] of ring) {
        expect(x > box.minX && x < box.maxX && y > box.minY && y < box.maxY, `${b.code} inside ${b.parcel}`).toBe(true);
      }
      expect(b.floors).toBeGreaterThanOrEqual(1);
      expect(b.floors).toBeLessThanOrEqual(30);
      expect(b.height_m!).toBeGreaterThanOrEqual(b.floors * 2.5);
      const ratio = b.gross_floor_area_m2! / (ringAreaM2(ring) * b.floors);
      expect(ratio, b.code).toBeGreaterThan(0.94);
      expect(ratio, b.code).toBeLessThan(1.02);
      (byParcel.get(b.parcel) ?? byParcel.set(b.parcel, []).get(b.parcel)!).push(ringBox(ring));
    }
    for (const boxes of byParcel.values()) expect(overlappingPairs(boxes)).toEqual([]);
  });

  it('dates parcels consistently with their status and the CHECK constraints', () => {
    const yearAgo = formatDay(parseDay(TODAY) - 365);
    let approvedNotSupplied = 0;
    for (const p of zone.parcels) {
      if (p.agreed_start_date && p.agreed_completion_date) expect(p.agreed_completion_date >= p.agreed_start_date).toBe(true);
      if (p.approval_date && p.supply_date) expect(p.supply_date >= p.approval_date).toBe(true);
      expect(p.plot_ratio_min!).toBeLessThanOrEqual(p.plot_ratio_max!);
      if (p.approval_date && !p.supply_date) approvedNotSupplied++;
      switch (p.status) {
        case 'idle':
          expect(p.agreed_start_date! < yearAgo, p.code).toBe(true);
          expect(p.start_date).toBeNull();
          expect(p.enterprise).not.toBeNull();
          if (p.stopped_since) {
            expect(p.stopped_since <= yearAgo).toBe(true);
            expect(p.developed_share!).toBeLessThan(1 / 3);
            expect(p.invested_share!).toBeLessThan(0.25);
          }
          break;
        case 'occupied':
          expect(p.enterprise).not.toBeNull();
          expect(p.completion_date! <= TODAY && p.start_date! < p.completion_date!).toBe(true);
          break;
        case 'under_construction':
          expect(p.enterprise).not.toBeNull();
          expect(p.start_date! <= TODAY).toBe(true);
          expect(p.completion_date).toBeNull();
          break;
        default:
          expect(p.start_date).toBeNull();
      }
    }
    expect(approvedNotSupplied).toBeGreaterThan(0);
  });

  it('keeps idle land at 10–20% of parcel area', () => {
    const share = idleLandShare(zone);
    expect(share).toBeGreaterThanOrEqual(0.1);
    expect(share).toBeLessThanOrEqual(0.2);
  });

  it('never lets one unit or parcel twice on the same day', () => {
    for (const l of zone.leases) if (l.end_date !== null) expect(l.end_date >= l.start_date, `lease ${l.id}`).toBe(true);
    expect(overlappingLeases(zone.leases)).toEqual([]);
  });

  it('leaves 10–20% of unit floor area with no lease today', () => {
    const { uncovered, vacant } = unitVacancy(zone, TODAY);
    expect(uncovered).toBeGreaterThanOrEqual(0.1);
    expect(uncovered).toBeLessThanOrEqual(0.2);
    expect(vacant).toBeGreaterThanOrEqual(0.1);
    expect(vacant).toBeLessThanOrEqual(0.2);
  });

  it('numbers units by floor within their building, with specs in range', () => {
    const floors = new Map(zone.buildings.map((b) => [b.code, b.floors]));
    for (const u of zone.units) {
      expect(u.floor).not.toBe(0);
      expect(u.floor).toBeGreaterThanOrEqual(1);
      expect(u.floor).toBeLessThanOrEqual(floors.get(u.building)!);
      expect(u.area_m2).toBeGreaterThan(0);
      expect(u.rent_cny_m2_month!).toBeGreaterThanOrEqual(15);
      expect(u.rent_cny_m2_month!).toBeLessThanOrEqual(60);
      expect(u.floor_load_kn_m2!).toBeGreaterThan(0);
      expect(u.clear_height_m!).toBeGreaterThan(0);
      expect(u.power_kva!).toBeGreaterThanOrEqual(0);
    }
  });

  it('marks a vacant unit available from when its last tenant left, or it was built', () => {
    const leasesOf = new Map<string, string[]>();
    for (const l of zone.leases) if (l.unit && covers(l, TODAY)) leasesOf.set(l.unit, [l.start_date]);
    for (const u of zone.units) {
      if (!leasesOf.has(u.code)) expect(u.available_from, u.code).not.toBeNull();
    }
  });
});

describe('generateDemoZone, another seed and size', () => {
  it('holds the same rules for { parcels: 1200, seed: 42, today: 2025-06-30 }', () => {
    const today = '2025-06-30';
    const zone = generateDemoZone({ parcels: 1200, seed: 42, today });
    expect(zone.parcels).toHaveLength(1200);
    expect(zone.projects.reduce((s, p) => s + p.investment_cny, 0)).toBe(20_200_000_000);
    expect(overlappingPairs(zone.parcels.map((p) => asRectangle(p.geom.coordinates[0][0])!))).toEqual([]);
    expect(overlappingLeases(zone.leases)).toEqual([]);
    const idle = idleLandShare(zone);
    expect(idle).toBeGreaterThanOrEqual(0.1);
    expect(idle).toBeLessThanOrEqual(0.2);
    const { vacant } = unitVacancy(zone, today);
    expect(vacant).toBeGreaterThanOrEqual(0.1);
    expect(vacant).toBeLessThanOrEqual(0.2);
    for (const e of zone.enterprises) expect(isValidUscc(e.uscc)).toBe(true);
  });

  it('rejects options it cannot honour', () => {
    expect(() => generateDemoZone({ parcels: 0 })).toThrow(/positive integer/);
    expect(() => generateDemoZone({ parcels: 2.5 })).toThrow(/positive integer/);
    expect(() => generateDemoZone({ today: '2026-02-30' })).toThrow(/not a calendar date/);
  });
});

describe('generateDemoZone, default zone (5,000 parcels)', () => {
  it('has the demo counts: 5,000 parcels, ≥8,000 buildings, ≥30,000 units, ≥2,000 enterprises, 149 projects', () => {
    const zone = generateDemoZone();
    expect(zone.parcels).toHaveLength(5000);
    expect(zone.buildings.length).toBeGreaterThanOrEqual(8000);
    expect(zone.units.length).toBeGreaterThanOrEqual(30000);
    expect(zone.enterprises.length).toBeGreaterThanOrEqual(2000);
    expect(zone.projects).toHaveLength(149);
    expect(zone.projects.reduce((s, p) => s + p.investment_cny, 0)).toBe(20_200_000_000);
    const idle = idleLandShare(zone);
    expect(idle).toBeGreaterThanOrEqual(0.1);
    expect(idle).toBeLessThanOrEqual(0.2);
    const { vacant, uncovered } = unitVacancy(zone, TODAY);
    expect(vacant).toBeGreaterThanOrEqual(0.1);
    expect(uncovered).toBeLessThanOrEqual(0.2);
    expect(overlappingLeases(zone.leases)).toEqual([]);
    expect(overlappingPairs(zone.parcels.map((p) => asRectangle(p.geom.coordinates[0][0])!))).toEqual([]);
    // Parcels outside every park are few: the new town's homes and schools.
    const parkRings = zone.parks.map((k) => k.geom.coordinates[0][0]);
    const outside = zone.parcels.filter((p) => {
      const b = ringBox(p.geom.coordinates[0][0]);
      return !parkRings.some((r) => pointInRing([(b.minX + b.maxX) / 2, (b.minY + b.maxY) / 2], r));
    });
    expect(outside.length / zone.parcels.length).toBeLessThan(0.08);
  }, 120_000);
});
