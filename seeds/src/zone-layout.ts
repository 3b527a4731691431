/**
 * The fixed skeleton of the demo zone: the arterial road grid, the two rivers, and which grid cells
 * belong to which area and park. It is the same for every seed and size, so maps and screenshots of
 * different demo builds line up; only what happens inside the blocks varies.
 *
 * The grid has 12 columns and 9 rows of roughly 1.2 km cells. Area and park outlines follow road
 * centre lines, and parcels stay inside the road reserves, so every parcel lies inside exactly one area
 * and at most one park.
 */
import { AREAS, CORRIDORS, PARKS, type AreaDef, type CellRange, type ParkDef } from './catalog.ts';
import {
  lonOf, latOf, outlineOfCells, rectMultiPolygon, toLonLat,
  type Cell, type LineString, type MultiPolygon, type Position, type Rect,
} from './geometry.ts';
import type { AreaRow, BasemapRow, CorridorRow, ParkRow } from './types.ts';

/** North–south road centre lines, metres east of the origin. Index 4 is the Liao River. */
export const XS = [0, 1250, 2450, 3700, 5000, 6250, 7450, 8700, 9900, 11150, 12400, 13600, 14850];
/** East–west road centre lines, metres north of the origin. Index 1 is the Guang River. */
export const YS = [0, 1350, 2550, 3800, 5000, 6250, 7450, 8700, 9900, 11100];

/** Width of the reserve between blocks along each line: road, or river with its green banks. */
const RESERVE_X = [50, 40, 40, 40, 320, 40, 60, 40, 40, 40, 40, 40, 50];
const RESERVE_Y = [60, 300, 40, 60, 60, 40, 40, 40, 40, 50];

const LIAO_X = XS[4];
const GUANG_Y = YS[1];
const HAICHUAN_X = XS[6];
const XIPU_Y = YS[4];

export interface ZoneCell extends Cell {
  area: AreaDef;
  park: ParkDef | null;
  /** The buildable block: the cell minus half of each surrounding road reserve. */
  block: Rect;
  /** 1-based number of the cell within its area, part of each parcel code. */
  seq: number;
}

function expand(ranges: CellRange[]): Cell[] {
  const cells: Cell[] = [];
  for (const r of ranges) {
    for (let row = r.rows[0]; row <= r.rows[1]; row++) {
      for (let col = r.cols[0]; col <= r.cols[1]; col++) cells.push({ col, row });
    }
  }
  return cells;
}

/** Every cell of every area, area by area, south to north, west to east. */
export function zoneCells(): ZoneCell[] {
  const parkOf = new Map<string, ParkDef>();
  for (const park of PARKS) for (const c of expand(park.cells)) parkOf.set(`${c.col},${c.row}`, park);
  const out: ZoneCell[] = [];
  for (const area of AREAS) {
    const cells = expand(area.cells).sort((a, b) => a.row - b.row || a.col - b.col);
    cells.forEach((c, k) => {
      const park = parkOf.get(`${c.col},${c.row}`) ?? null;
      if (park && park.area !== area.code) throw new Error(`park ${park.code} reaches outside area ${park.area}`);
      out.push({
        ...c, area, park, seq: k + 1,
        block: {
          x0: XS[c.col] + RESERVE_X[c.col] / 2,
          x1: XS[c.col + 1] - RESERVE_X[c.col + 1] / 2,
          y0: YS[c.row] + RESERVE_Y[c.row] / 2,
          y1: YS[c.row + 1] - RESERVE_Y[c.row + 1] / 2,
        },
      });
    });
  }
  return out;
}

function outlinePolygon(ranges: CellRange[]): Position[] {
  const ring = outlineOfCells(expand(ranges)).map(([i, j]) => toLonLat(XS[i], YS[j]));
  ring.push([ring[0][0], ring[0][1]]);
  return ring;
}

export function areaRows(): AreaRow[] {
  return AREAS.map((a) => ({
    code: a.code, name: a.name, name_en: a.name_en,
    geom: { type: 'MultiPolygon', coordinates: [[outlinePolygon(a.cells)]] },
  }));
}

export function parkRows(): ParkRow[] {
  return PARKS.map((p) => ({
    code: p.code, name: p.name, name_en: p.name_en, theme: p.theme, theme_industries: p.industries,
    operator: p.operator, committee: p.committee,
    geom: { type: 'MultiPolygon', coordinates: [[outlinePolygon(p.cells)]] },
  }));
}

/**
 * Corridor bands: 800 m along Haichuan Road, 1 km along the Liao River, 900 m along Xipu Road. Xipu
 * Road's band stops where it meets the other two, so no two corridors overlap.
 */
const CORRIDOR_BANDS: Record<string, Rect[]> = {
  'C-HAICHUAN': [{ x0: HAICHUAN_X - 400, x1: HAICHUAN_X + 400, y0: YS[0], y1: YS[9] }],
  'C-XIPU': [
    { x0: XS[0], x1: LIAO_X - 500, y0: XIPU_Y - 450, y1: XIPU_Y + 450 },
    { x0: LIAO_X + 500, x1: HAICHUAN_X - 400, y0: XIPU_Y - 450, y1: XIPU_Y + 450 },
    { x0: HAICHUAN_X + 400, x1: XS[12], y0: XIPU_Y - 450, y1: XIPU_Y + 450 },
  ],
  'C-LIAOHE': [{ x0: LIAO_X - 500, x1: LIAO_X + 500, y0: GUANG_Y, y1: YS[9] }],
};

export function corridorRows(): CorridorRow[] {
  return CORRIDORS.map((c) => {
    const geom: MultiPolygon = {
      type: 'MultiPolygon',
      coordinates: CORRIDOR_BANDS[c.code].map((r) => rectMultiPolygon(r).coordinates[0]),
    };
    return { code: c.code, name: c.name, name_en: c.name_en, theme: c.theme, geom };
  });
}

/** The corridor whose band holds a point (metres), as parcel_containment decides it. */
export function corridorAt(x: number, y: number): string | null {
  for (const c of CORRIDORS) {
    for (const r of CORRIDOR_BANDS[c.code]) if (x > r.x0 && x < r.x1 && y > r.y0 && y < r.y1) return c.code;
  }
  return null;
}

// The rivers meander inside their reserves (±85 m of the centre line, the reserve is ±160 m).
const guangY = (x: number) =>
  GUANG_Y - 20 + 55 * Math.sin(x / 800) + 20 * Math.sin(x / 270) + (x > XS[12] ? (x - XS[12]) * 0.3 : 0);
const liaoX = (y: number) => LIAO_X + 60 * Math.sin(y / 700) + 25 * Math.sin(y / 230);

function line(points: [number, number][]): LineString {
  return { type: 'LineString', coordinates: points.map(([x, y]) => toLonLat(x, y)) };
}

function samples(from: number, to: number, step: number): number[] {
  const n = Math.max(1, Math.round(Math.abs(to - from) / step));
  return Array.from({ length: n + 1 }, (_, k) => from + ((to - from) * k) / n);
}

const NS_ROADS: { x: number; name: string; name_en: string; rank: number }[] = [
  { x: XS[0], name: '同济路', name_en: 'Tongji Road', rank: 2 },
  { x: XS[1], name: '开源路', name_en: 'Kaiyuan Road', rank: 2 },
  { x: XS[2], name: '杨柳路', name_en: 'Yangliu Road', rank: 2 },
  { x: XS[3], name: '金宇路', name_en: 'Jinyu Road', rank: 2 },
  { x: LIAO_X - 130, name: '蓼河西路', name_en: 'Liaohe West Road', rank: 3 },
  { x: LIAO_X + 130, name: '蓼河东路', name_en: 'Liaohe East Road', rank: 3 },
  { x: XS[5], name: '科苑路', name_en: 'Keyuan Road', rank: 2 },
  { x: XS[6], name: '海川路', name_en: 'Haichuan Road', rank: 1 },
  { x: XS[7], name: '康宝路', name_en: 'Kangbao Road', rank: 2 },
  { x: XS[8], name: '嘉达路', name_en: 'Jiada Road', rank: 2 },
  { x: XS[9], name: '山博路', name_en: 'Shanbo Road', rank: 2 },
  { x: XS[10], name: '荷花路', name_en: 'Hehua Road', rank: 2 },
  { x: XS[11], name: '吴泰闸路', name_en: 'Wutaizha Road', rank: 2 },
  { x: XS[12], name: '机场路', name_en: 'Airport Road', rank: 2 },
];

const EW_ROADS: { y: number; name: string; name_en: string; rank: number }[] = [
  { y: YS[0], name: '327国道', name_en: 'National Road G327', rank: 1 },
  { y: GUANG_Y + 110, name: '洸河路', name_en: 'Guanghe Road', rank: 2 },
  { y: YS[2], name: '火炬南路', name_en: 'Huoju South Road', rank: 2 },
  { y: YS[3], name: '崇文大道', name_en: 'Chongwen Avenue', rank: 1 },
  { y: YS[4], name: '西浦路', name_en: 'Xipu Road', rank: 1 },
  { y: YS[5], name: '黄河路', name_en: 'Huanghe Road', rank: 2 },
  { y: YS[6], name: '吟龙路', name_en: 'Yinlong Road', rank: 2 },
  { y: YS[7], name: '诗仙路', name_en: 'Shixian Road', rank: 2 },
  { y: YS[8], name: '杨家河路', name_en: 'Yangjiahe Road', rank: 2 },
  { y: YS[9], name: '北外环路', name_en: 'North Ring Road', rank: 1 },
];

/**
 * Roads, rivers and the zone outline. East–west roads run 2.8 km further west, towards Jining's old
 * city; `localRoads` are the block roads the subdivision drew (one MultiLineString per cell).
 */
export function basemapRows(localRoads: [number, number][][][]): BasemapRow[] {
  const zoneCellsAll = AREAS.flatMap((a) => a.cells);
  const zone: BasemapRow = {
    kind: 'zone_boundary', name: '济宁高新技术产业开发区', name_en: 'Jining High-tech Industrial Development Zone',
    rank: 1, geom: { type: 'Polygon', coordinates: [outlinePolygon(zoneCellsAll)] },
  };
  const yTop = YS[YS.length - 1];
  const xEast = XS[XS.length - 1];
  const roads: BasemapRow[] = [
    ...NS_ROADS.map((r): BasemapRow => ({
      kind: 'road', name: r.name, name_en: r.name_en, rank: r.rank,
      // The bank roads of the Liao River start at the Guang River, where the Liao flows in.
      geom: line([[r.x, Math.abs(r.x - LIAO_X) < 200 ? GUANG_Y + 110 : -300], [r.x, yTop + 300]]),
    })),
    ...EW_ROADS.map((r): BasemapRow => ({
      kind: 'road', name: r.name, name_en: r.name_en, rank: r.rank,
      geom: line([[-2800, r.y], [xEast + 300, r.y]]),
    })),
  ];
  const liaoMouthY = guangY(liaoX(GUANG_Y));
  const rivers: BasemapRow[] = [
    {
      // Flows south through the zone into the Guang River.
      kind: 'river', name: '蓼河', name_en: 'Liao River', rank: 1,
      geom: line([...samples(yTop + 2000, GUANG_Y + 40, 100).map((y): [number, number] => [liaoX(y), y]), [liaoX(GUANG_Y), liaoMouthY]]),
    },
    {
      // Flows south-west, past the zone's southern blocks, towards the Grand Canal.
      kind: 'river', name: '洸河', name_en: 'Guang River', rank: 1,
      geom: line(samples(xEast + 1500, -3000, 100).map((x): [number, number] => [x, guangY(x)])),
    },
  ];
  const local: BasemapRow[] = localRoads
    .filter((segments) => segments.length > 0)
    .map((segments) => ({
      kind: 'road', name: null, name_en: null, rank: 3,
      geom: {
        type: 'MultiLineString',
        coordinates: segments.map((seg) => seg.map(([x, y]): Position => [lonOf(x), latOf(y)])),
      },
    }));
  return [zone, ...roads, ...rivers, ...local];
}
