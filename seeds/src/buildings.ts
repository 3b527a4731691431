/**
 * Buildings on a parcel. Footprints are laid out on a grid of slots inside the parcel's setback line,
 * each a rectangle or an L, so every footprint lies strictly inside its parcel and no two overlap.
 * Storeys follow the use and the parcel's plot ratio; gross floor area is footprint × storeys.
 */
import type { LandUse } from './catalog.ts';
import { yearOf, type Day } from './dates.ts';
import {
  insetRect, lShapeRing, rectArea, rectHeight, rectRing, rectWidth, type Corner, type MultiPolygon, type Rect,
} from './geometry.ts';
import type { ParcelFacts } from './parcels.ts';
import type { Rng } from './prng.ts';
import type { BuildingRow, BuildingStatus, BuildingUse } from './types.ts';

/** What the units and leases of a building need to know about it. */
export interface BuildingFacts {
  row: BuildingRow;
  footprintM2: number;
  /** Completed: the day it was finished. Otherwise: the day it is expected to be. */
  readyDay: Day;
  /** Built to let (standard factory, office tower …) rather than for its owner's own use. */
  forLease: boolean;
}

interface UsePlan { uses: BuildingUse[]; perBuildingM2: number; min: number; max: number }

/** Building uses on each land use, and how much land one building typically takes. */
const PLANS: Record<LandUse, UsePlan> = {
  M1: { uses: ['industrial', 'industrial', 'industrial', 'office'], perBuildingM2: 10000, min: 1, max: 7 },
  M2: { uses: ['industrial', 'industrial', 'industrial', 'warehouse', 'office'], perBuildingM2: 11000, min: 1, max: 7 },
  W1: { uses: ['warehouse', 'warehouse', 'warehouse', 'office'], perBuildingM2: 11000, min: 1, max: 6 },
  B1: { uses: ['commercial', 'commercial', 'mixed'], perBuildingM2: 6000, min: 1, max: 4 },
  B2: { uses: ['office', 'office', 'mixed', 'research'], perBuildingM2: 6000, min: 1, max: 4 },
  R2: { uses: ['residential', 'residential', 'residential', 'residential', 'commercial'], perBuildingM2: 3000, min: 2, max: 14 },
  A1: { uses: ['office', 'public'], perBuildingM2: 6000, min: 1, max: 3 },
  A3: { uses: ['research', 'research', 'public'], perBuildingM2: 7000, min: 1, max: 5 },
  A5: { uses: ['public'], perBuildingM2: 6000, min: 1, max: 4 },
  U1: { uses: ['public'], perBuildingM2: 8000, min: 1, max: 2 },
  S4: { uses: ['public', 'warehouse'], perBuildingM2: 8000, min: 1, max: 2 },
  G1: { uses: ['public'], perBuildingM2: 40000, min: 0, max: 1 },
};

/** Largest footprint side for each use, metres: long factory sheds, slab housing, compact towers. */
const MAX_SIDE: Record<BuildingUse, [number, number]> = {
  industrial: [220, 110], warehouse: [200, 90], office: [70, 40], research: [80, 35], commercial: [120, 60],
  mixed: [70, 45], residential: [65, 16], public: [60, 40],
};

/** Share of buildings of each use that are let to tenants, so carry rentable units. */
const FOR_LEASE: Record<BuildingUse, number> = {
  industrial: 0.45, warehouse: 0.45, office: 0.55, research: 0.5, commercial: 0.55, mixed: 0.55, residential: 0, public: 0,
};

const NAME_WORDS: Record<BuildingUse, string> = {
  industrial: '厂房', warehouse: '仓库', office: '办公楼', research: '研发楼', commercial: '商业楼',
  mixed: '综合楼', residential: '住宅楼', public: '配套用房',
};

const round2 = (v: number) => Math.round(v * 100) / 100;
const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

function storeys(rng: Rng, use: BuildingUse, targetFar: number, parcelM2: number, footprintsM2: number): number {
  // Towers are as tall as the parcel's plot ratio asks; sheds are low whatever the plot ratio.
  const byFar = Math.round((targetFar * parcelM2) / Math.max(footprintsM2, 1));
  switch (use) {
    case 'industrial': return Number(rng.weighted({ 1: 0.45, 2: 0.2, 3: 0.15, 4: 0.1, 5: 0.06, 6: 0.04 }));
    case 'warehouse': return rng.chance(0.8) ? 1 : rng.int(2, 3);
    case 'office': return clamp(byFar, 4, 30);
    case 'mixed': return clamp(byFar, 3, 24);
    case 'research': return clamp(byFar, 3, 10);
    case 'commercial': return clamp(byFar, 1, 8);
    case 'residential': return clamp(byFar, 6, 30);
    case 'public': return rng.int(1, 4);
  }
}

function heightM(rng: Rng, use: BuildingUse, floors: number): number {
  if ((use === 'industrial' || use === 'warehouse') && floors === 1) return round2(rng.range(8, 14));
  const perFloor =
    use === 'industrial' || use === 'warehouse' ? rng.range(4.5, 5.5)
    : use === 'residential' ? rng.range(2.9, 3.1)
    : use === 'public' ? rng.range(3.8, 4.5)
    : rng.range(3.6, 4.3);
  return round2(floors * perFloor + 1);
}

/**
 * The buildings of one parcel, from its facts. Only parcels that are built or being built have any;
 * an occupied parcel sometimes has a second phase under way or planned.
 */
export function parcelBuildings(
  rng: Rng, parcelCode: string, rect: Rect, use: LandUse, facts: ParcelFacts, today: Day, sizeScale: number,
): BuildingFacts[] {
  if (facts.status !== 'occupied' && facts.status !== 'under_construction') return [];
  const plan = PLANS[use];
  const parcelM2 = rectArea(rect);
  const count = clamp(Math.round(parcelM2 / (plan.perBuildingM2 * sizeScale) + rng.range(-0.5, 0.9)), plan.min, plan.max);
  const linearScale = Math.sqrt(sizeScale);
  if (count === 0) return [];

  // Setback from the parcel line, and slots on a grid that follows the parcel's shape.
  const setback = clamp(0.06 * Math.min(rectWidth(rect), rectHeight(rect)), 0.3, 12 * linearScale);
  const usable = insetRect(rect, setback);
  const cols = Math.max(1, Math.round(Math.sqrt((count * rectWidth(usable)) / rectHeight(usable))));
  const rows = Math.ceil(count / cols);
  const slotW = rectWidth(usable) / cols;
  const slotH = rectHeight(usable) / rows;
  const gap = clamp(0.08 * Math.min(slotW, slotH), 0.2, 20);

  const uses = Array.from({ length: count }, (_, i) => (i === 0 ? plan.uses[0] : rng.pick(plan.uses)));
  const footprints = uses.map((u, i): { rect: Rect; notch: [Corner, number, number] | null; m2: number } => {
    const c = i % cols;
    const r = Math.floor(i / cols);
    const slot: Rect = {
      x0: usable.x0 + c * slotW + gap / 2, x1: usable.x0 + (c + 1) * slotW - gap / 2,
      y0: usable.y0 + r * slotH + gap / 2, y1: usable.y0 + (r + 1) * slotH - gap / 2,
    };
    const [maxA, maxB] = MAX_SIDE[u].map((m) => m * linearScale);
    const wide = rectWidth(slot) >= rectHeight(slot);
    const w = Math.min(rectWidth(slot) * rng.range(0.55, 0.92), wide ? maxA : maxB);
    const h = Math.min(rectHeight(slot) * rng.range(0.55, 0.92), wide ? maxB : maxA);
    const x0 = slot.x0 + (rectWidth(slot) - w) * rng.float();
    const y0 = slot.y0 + (rectHeight(slot) - h) * rng.float();
    const fp: Rect = { x0, y0, x1: x0 + w, y1: y0 + h };
    const lShaped = u !== 'residential' && u !== 'warehouse' && rng.chance(0.2);
    const notch: [Corner, number, number] | null = lShaped
      ? [rng.pick(['sw', 'se', 'ne', 'nw'] as const), w * rng.range(0.3, 0.5), h * rng.range(0.3, 0.5)]
      : null;
    return { rect: fp, notch, m2: w * h - (notch ? notch[1] * notch[2] : 0) };
  });
  const footprintsM2 = footprints.reduce((s, f) => s + f.m2, 0);
  const targetFar = facts.plotRatioMin + (facts.plotRatioMax - facts.plotRatioMin) * rng.range(0.3, 0.9);

  const todayYear = yearOf(today);
  return footprints.map((fp, i) => {
    const use = uses[i];
    const floors = storeys(rng, use, targetFar, parcelM2, footprintsM2);
    let status: BuildingStatus;
    let readyDay: Day;
    if (facts.status === 'occupied') {
      // A later phase on a built parcel: finished since, under way, or on the drawing board.
      const phase = i > 0 && count > 2 ? rng.weighted({ done: 0.9, later: 0.05, building: 0.03, planned: 0.02 }) : 'done';
      if (phase === 'building' || phase === 'planned') {
        status = phase === 'building' ? 'under_construction' : 'planned';
        readyDay = today + rng.int(120, 900);
      } else {
        status = 'completed';
        readyDay = phase === 'later' ? Math.min(today - 30, facts.completion! + rng.int(365, 2500)) : facts.completion!;
      }
    } else {
      status = rng.chance(0.75) || i === 0 ? 'under_construction' : 'planned';
      readyDay = Math.max(facts.agreedCompletion!, today + rng.int(60, 400)) + (status === 'planned' ? rng.int(180, 720) : 0);
    }
    const geom: MultiPolygon = {
      type: 'MultiPolygon',
      coordinates: [[fp.notch ? lShapeRing(fp.rect, ...fp.notch) : rectRing(fp.rect)]],
    };
    const row: BuildingRow = {
      code: `${parcelCode}-B${i + 1}`,
      parcel: parcelCode,
      name: `${i + 1}号${NAME_WORDS[use]}`,
      geom,
      floors,
      height_m: heightM(rng, use, floors),
      gross_floor_area_m2: round2(fp.m2 * floors * rng.range(0.96, 1)),
      use,
      status,
      completion_year: status === 'completed' ? yearOf(readyDay) : Math.max(yearOf(readyDay), todayYear),
    };
    // Units of a building still going up are listed only when its developer already markets them.
    const listed = status === 'completed' || (status === 'under_construction' && rng.chance(0.3));
    const forLease = listed && rng.chance(use === 'industrial' && floors >= 3 ? 0.7 : FOR_LEASE[use]);
    return { row, footprintM2: fp.m2, readyDay, forLease };
  });
}
