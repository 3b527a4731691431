/**
 * The rentable units of a building let to tenants: whole or part floors of a standard factory,
 * suites of an office tower, shops on a ground floor. Their specifications (floor load, clear height,
 * power) are what an investor searching for space filters on, so they follow the kind and the floor.
 */
import type { BuildingFacts } from './buildings.ts';
import type { Rng } from './prng.ts';
import type { BuildingUse, UnitKind, UnitRow } from './types.ts';

/** Floor area one unit of each kind usually has; a floor plate is cut into units of about this size. */
const UNIT_TARGET_M2: Record<UnitKind, number> = { workshop: 2000, warehouse: 3000, office: 1200, lab: 1200, retail: 600 };

/** Asking rent, CNY per m² per month (the zone's range is 15–60). */
const RENT: Record<UnitKind, [number, number]> = {
  office: [32, 55], lab: [30, 50], workshop: [15, 26], warehouse: [15, 22], retail: [40, 60],
};

/** Share of units fitted out for tenants to move straight in (拎包入住). */
const MOVE_IN_READY: Record<UnitKind, number> = { office: 0.45, lab: 0.25, retail: 0.2, workshop: 0.15, warehouse: 0.1 };

/** Installed power per m², kVA: process loads in workshops and labs, lighting and air in offices. */
const POWER_KVA_M2: Record<UnitKind, [number, number]> = {
  workshop: [0.08, 0.16], lab: [0.1, 0.18], office: [0.04, 0.07], retail: [0.08, 0.12], warehouse: [0.015, 0.03],
};

const NAME_WORDS: Record<UnitKind, string> = { workshop: '号车间', warehouse: '号库', office: '室', lab: '号实验室', retail: '号商铺' };

const round2 = (v: number) => Math.round(v * 100) / 100;

function kindOf(rng: Rng, use: BuildingUse, floor: number): UnitKind {
  switch (use) {
    case 'industrial': return 'workshop';
    case 'warehouse': return 'warehouse';
    case 'research': return rng.chance(0.6) ? 'lab' : 'office';
    case 'commercial': return floor <= 2 ? 'retail' : 'office';
    case 'mixed': return floor === 1 ? 'retail' : 'office';
    default: return floor === 1 && rng.chance(0.3) ? 'retail' : 'office';
  }
}

/**
 * Units on every floor of a building let to tenants. `reserved` and `available_from` are
 * placeholders here: they follow from the unit's leases, decided next.
 */
export function buildingUnits(rng: Rng, b: BuildingFacts, sizeScale: number): UnitRow[] {
  if (!b.forLease) return [];
  const { row } = b;
  const units: UnitRow[] = [];
  const singleStorey = row.floors === 1;
  for (let floor = 1; floor <= row.floors; floor++) {
    const kind = kindOf(rng, row.use, floor);
    const plate = b.footprintM2 * rng.range(0.78, 0.9);
    const count = Math.min(8, Math.max(1, Math.round(plate / (UNIT_TARGET_M2[kind] * sizeScale))));
    const weights = Array.from({ length: count }, () => rng.range(0.7, 1.3));
    const sum = weights.reduce((a, w) => a + w, 0);
    const [rentLo, rentHi] = RENT[kind];
    for (let suite = 1; suite <= count; suite++) {
      const area = Math.max(0.01, round2((plate * weights[suite - 1]) / sum));
      const ground = floor === 1;
      let load: number;
      let clear: number;
      switch (kind) {
        case 'workshop':
          load = ground ? rng.pick([10, 15, 20, 30]) : rng.pick([5, 6.5, 8]);
          clear = singleStorey ? Math.max(4, Number(row.height_m) - 1.5) : ground ? rng.range(5.5, 7.5) : rng.range(4.2, 5);
          break;
        case 'warehouse':
          load = ground ? rng.pick([15, 20, 30]) : rng.pick([10, 12]);
          clear = singleStorey ? Math.max(4, Number(row.height_m) - 1.5) : rng.range(5, 6);
          break;
        case 'lab': load = rng.pick([5, 6, 8]); clear = rng.range(3.2, 3.8); break;
        case 'retail': load = rng.pick([3.5, 4]); clear = rng.range(3.5, 4.5); break;
        default: load = rng.pick([2.5, 3, 3.5]); clear = rng.range(2.8, 3.2);
      }
      const [pLo, pHi] = POWER_KVA_M2[kind];
      const suiteNo = count === 1 && kind !== 'office' ? '1' : String(suite).padStart(2, '0');
      units.push({
        code: `${row.code}-${floor}${String(suite).padStart(2, '0')}`,
        building: row.code,
        floor,
        name: kind === 'office' ? `${floor}${suiteNo}${NAME_WORDS[kind]}` : `${floor}层${suite}${NAME_WORDS[kind]}`,
        kind,
        area_m2: area,
        rent_cny_m2_month: Math.round(rng.range(rentLo, rentHi) * 2) / 2,
        reserved: false,
        move_in_ready: row.status === 'completed' && rng.chance(MOVE_IN_READY[kind]),
        floor_load_kn_m2: load,
        clear_height_m: round2(clear),
        power_kva: Math.round(area * rng.range(pLo, pHi) * 10) / 10,
        available_from: null,
      });
    }
  }
  return units;
}
