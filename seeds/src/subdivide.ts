/**
 * How the blocks of the zone are cut up: each arterial block into sub-blocks along local roads, each
 * sub-block into parcels. The plan (which sub-block gets how many parcels) is cheap and made up front,
 * so the parcels themselves can be generated one sub-block at a time, even for a million of them.
 */
import { OUTSIDE_PARKS_LAND_USE, PARCEL_DENSITY, type LandUse } from './catalog.ts';
import { rectArea, rectHeight, rectWidth, type Rect } from './geometry.ts';
import { Rng } from './prng.ts';
import { zoneCells, type ZoneCell } from './zone-layout.ts';

/** Width of a local road between sub-blocks, kerb to kerb plus verges. */
const LOCAL_ROAD_M = 20;
/** Sub-blocks are never cut smaller than this on either side. */
const MIN_SUB_BLOCK_M = 280;
/** About this many parcels make a sub-block worth its own ring of local roads. */
const PARCELS_PER_SUB_BLOCK = 7;
/**
 * At this many parcels the blocks are fully cut into parcels of realistic size (about 2 ha on
 * average). A smaller zone is an earlier stage of the same zone: parcels keep that size and fill only
 * part of each block, from one corner, so buildings, units and leases shrink in proportion to the
 * parcel count. A larger zone has to cut its parcels smaller (see `sizeScale`).
 */
export const FULL_TILING_PARCELS = 5000;

export interface SubBlock {
  /** Position in the stream of sub-blocks, 0-based; also seeds the sub-block's random numbers. */
  index: number;
  cell: ZoneCell;
  rect: Rect;
  /** What the sub-block is zoned for; most of its parcels get this land use. */
  zoning: LandUse;
  parcels: number;
}

export interface ZonePlan {
  /**
   * Parcel, building and unit sizes relative to the realistic ones: 1 up to FULL_TILING_PARCELS,
   * then FULL_TILING_PARCELS ÷ parcels, so the counts of buildings and units per parcel stay the same.
   */
  sizeScale: number;
  cells: ZoneCell[];
  subBlocks: SubBlock[];
  /** The local roads drawn between sub-blocks, per cell: polylines in metres. */
  localRoads: [number, number][][][];
}

function landUseMix(cell: ZoneCell): Partial<Record<LandUse, number>> {
  return cell.park?.landUse ?? OUTSIDE_PARKS_LAND_USE;
}

function expectedDensity(mix: Partial<Record<LandUse, number>>): number {
  let total = 0;
  let weight = 0;
  for (const [use, share] of Object.entries(mix) as [LandUse, number][]) {
    total += share * PARCEL_DENSITY[use];
    weight += share;
  }
  return total / weight;
}

/**
 * Splits `total` into whole numbers proportional to `weights` (largest remainder, ties to the
 * earlier index), giving each at least `minEach` when the total allows it.
 */
export function apportion(total: number, weights: readonly number[], minEach = 0): number[] {
  const n = weights.length;
  const base = total >= minEach * n ? minEach : 0;
  const rest = total - base * n;
  const sum = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (sum > 0 ? (w / sum) * rest : rest / n));
  const out = exact.map((e) => base + Math.floor(e));
  let left = total - out.reduce((a, b) => a + b, 0);
  const order = exact
    .map((e, i) => ({ i, frac: e - Math.floor(e) }))
    .sort((a, b) => b.frac - a.frac || a.i - b.i);
  for (let k = 0; left > 0; k = (k + 1) % n, left--) out[order[k].i]++;
  return out;
}

/** Cut positions that split [from, to] into `parts` pieces of roughly equal size, jittered. */
function cuts(rng: Rng, from: number, to: number, parts: number): number[] {
  const step = (to - from) / parts;
  return Array.from({ length: parts - 1 }, (_, k) => from + step * (k + 1 + rng.range(-0.12, 0.12)));
}

/** The part of a block developed so far: a `share` of its area, in one corner. */
function developedPart(rng: Rng, block: Rect, share: number): Rect {
  if (share >= 1) return block;
  const f = Math.sqrt(share);
  const w = rectWidth(block) * f;
  const h = rectHeight(block) * f;
  const east = rng.chance(0.5);
  const north = rng.chance(0.5);
  const x0 = east ? block.x1 - w : block.x0;
  const y0 = north ? block.y1 - h : block.y0;
  return { x0, y0, x1: x0 + w, y1: y0 + h };
}

/** Plans the whole zone for `parcels` parcels. Deterministic in (parcels, seed). */
export function planZone(parcels: number, seed: number): ZonePlan {
  const cells = zoneCells();
  const perCell = apportion(parcels, cells.map((c) => rectArea(c.block) * expectedDensity(landUseMix(c))), 1);
  const developed = Math.min(1, parcels / FULL_TILING_PARCELS);
  const subBlocks: SubBlock[] = [];
  const localRoads: [number, number][][][] = [];
  cells.forEach((cell, ci) => {
    const rng = Rng.for(seed, 1, ci);
    const b = developedPart(rng, cell.block, developed);
    const k = perCell[ci];
    const maxCols = Math.max(1, Math.floor(rectWidth(b) / MIN_SUB_BLOCK_M));
    const maxRows = Math.max(1, Math.floor(rectHeight(b) / MIN_SUB_BLOCK_M));
    const wanted = Math.max(1, Math.round(k / PARCELS_PER_SUB_BLOCK));
    const cols = Math.min(maxCols, Math.max(1, Math.round(Math.sqrt((wanted * rectWidth(b)) / rectHeight(b)))));
    const rows = Math.min(maxRows, Math.max(1, Math.round(wanted / cols)));
    const xs = [b.x0, ...cuts(rng, b.x0, b.x1, cols), b.x1];
    const ys = [b.y0, ...cuts(rng, b.y0, b.y1, rows), b.y1];
    const roads: [number, number][][] = [
      ...xs.slice(1, -1).map((x): [number, number][] => [[x, b.y0], [x, b.y1]]),
      ...ys.slice(1, -1).map((y): [number, number][] => [[b.x0, y], [b.x1, y]]),
    ];
    localRoads.push(roads);
    const half = LOCAL_ROAD_M / 2;
    const rects: Rect[] = [];
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        rects.push({
          x0: xs[c] + (c > 0 ? half : 0),
          x1: xs[c + 1] - (c < cols - 1 ? half : 0),
          y0: ys[r] + (r > 0 ? half : 0),
          y1: ys[r + 1] - (r < rows - 1 ? half : 0),
        });
      }
    }
    const mix = landUseMix(cell);
    const zoning = rects.map(() => rng.weighted(mix as Record<LandUse, number>));
    const counts = apportion(k, rects.map((r, i) => rectArea(r) * PARCEL_DENSITY[zoning[i]]), 1);
    rects.forEach((rect, i) => {
      subBlocks.push({ index: subBlocks.length, cell, rect, zoning: zoning[i], parcels: counts[i] });
    });
  });
  return { sizeScale: Math.min(1, FULL_TILING_PARCELS / parcels), cells, subBlocks, localRoads };
}

/**
 * Cuts a sub-block into exactly `k` rectangles by recursive guillotine cuts across the longer side.
 * The cut falls near the share of parcels on each side, jittered, so sizes vary but none is a sliver.
 * Neighbours share their cut line exactly, so the parcels tile the sub-block with no gap or overlap.
 */
export function splitIntoParcels(rng: Rng, rect: Rect, k: number): Rect[] {
  if (k <= 0) return [];
  if (k === 1) return [rect];
  const left = k === 2 ? 1 : Math.min(k - 1, Math.max(1, Math.round(k * rng.range(0.3, 0.7))));
  const share = Math.min(0.85, Math.max(0.15, (left / k) * rng.range(0.8, 1.2)));
  if (rectWidth(rect) >= rectHeight(rect)) {
    const x = rect.x0 + rectWidth(rect) * share;
    return [
      ...splitIntoParcels(rng, { ...rect, x1: x }, left),
      ...splitIntoParcels(rng, { ...rect, x0: x }, k - left),
    ];
  }
  const y = rect.y0 + rectHeight(rect) * share;
  return [
    ...splitIntoParcels(rng, { ...rect, y1: y }, left),
    ...splitIntoParcels(rng, { ...rect, y0: y }, k - left),
  ];
}
