/**
 * Plane geometry for the demo zone. Everything is laid out in metres on a local east/north plane and
 * turned into longitude/latitude only at the end, by one linear map. A linear map keeps axis-parallel
 * rectangles axis-parallel, and the same metre value always gives the same rounded degree value, so
 * two parcels that share an edge share it exactly after rounding: no slivers, no overlaps.
 */

export type Position = [number, number];
export interface Polygon { type: 'Polygon'; coordinates: Position[][] }
export interface MultiPolygon { type: 'MultiPolygon'; coordinates: Position[][][] }
export interface LineString { type: 'LineString'; coordinates: Position[] }
export interface MultiLineString { type: 'MultiLineString'; coordinates: Position[][] }
export type Geometry = Polygon | MultiPolygon | LineString | MultiLineString;

/** An axis-parallel rectangle in metres, x east and y north of the zone origin. */
export interface Rect { x0: number; y0: number; x1: number; y1: number }

/** South-west corner of the zone's road grid (the G327 / Tongji Road junction). */
export const ORIGIN_LON = 116.615;
export const ORIGIN_LAT = 35.36;

// Metres per degree on the WGS84 ellipsoid at the origin latitude (the usual series expansion).
// Over the zone's 11 km of latitude the scale changes by under 0.1%, far below what the demo needs.
const phi = (ORIGIN_LAT * Math.PI) / 180;
export const M_PER_DEG_LAT = 111132.92 - 559.82 * Math.cos(2 * phi) + 1.175 * Math.cos(4 * phi);
export const M_PER_DEG_LON = 111412.84 * Math.cos(phi) - 93.5 * Math.cos(3 * phi);

/** 7 decimals of a degree is about 1 cm: finer than any survey this data pretends to be. */
export function round7(v: number): number {
  return Math.round(v * 1e7) / 1e7;
}

export function lonOf(x: number): number {
  return round7(ORIGIN_LON + x / M_PER_DEG_LON);
}

export function latOf(y: number): number {
  return round7(ORIGIN_LAT + y / M_PER_DEG_LAT);
}

export function toLonLat(x: number, y: number): Position {
  return [lonOf(x), latOf(y)];
}

export const rectWidth = (r: Rect): number => r.x1 - r.x0;
export const rectHeight = (r: Rect): number => r.y1 - r.y0;
export const rectArea = (r: Rect): number => (r.x1 - r.x0) * (r.y1 - r.y0);

export function insetRect(r: Rect, d: number): Rect {
  return { x0: r.x0 + d, y0: r.y0 + d, x1: r.x1 - d, y1: r.y1 - d };
}

/** A closed, counter-clockwise ring (RFC 7946 right-hand rule for exterior rings), in degrees. */
export function rectRing(r: Rect): Position[] {
  const sw = toLonLat(r.x0, r.y0);
  const se = toLonLat(r.x1, r.y0);
  const ne = toLonLat(r.x1, r.y1);
  const nw = toLonLat(r.x0, r.y1);
  return [sw, se, ne, nw, [sw[0], sw[1]]];
}

export function rectMultiPolygon(r: Rect): MultiPolygon {
  return { type: 'MultiPolygon', coordinates: [[rectRing(r)]] };
}

export type Corner = 'sw' | 'se' | 'ne' | 'nw';

/**
 * An L-shaped footprint: the rectangle with a `cw` × `ch` notch cut from one corner. Counter-clockwise,
 * six corners, valid as long as the notch is strictly smaller than the rectangle.
 */
export function lShapeRing(r: Rect, corner: Corner, cw: number, ch: number): Position[] {
  const { x0, y0, x1, y1 } = r;
  let pts: [number, number][];
  switch (corner) {
    case 'sw': pts = [[x0 + cw, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0 + ch], [x0 + cw, y0 + ch]]; break;
    case 'se': pts = [[x0, y0], [x1 - cw, y0], [x1 - cw, y0 + ch], [x1, y0 + ch], [x1, y1], [x0, y1]]; break;
    case 'ne': pts = [[x0, y0], [x1, y0], [x1, y1 - ch], [x1 - cw, y1 - ch], [x1 - cw, y1], [x0, y1]]; break;
    case 'nw': pts = [[x0, y0], [x1, y0], [x1, y1], [x0 + cw, y1], [x0 + cw, y1 - ch], [x0, y1 - ch]]; break;
  }
  const ring = pts.map(([x, y]) => toLonLat(x, y));
  ring.push([ring[0][0], ring[0][1]]);
  return ring;
}

/** Twice the signed area of a ring in its own units: positive when counter-clockwise. */
export function signedArea2(ring: Position[]): number {
  let s = 0;
  for (let i = 0; i + 1 < ring.length; i++) s += ring[i][0] * ring[i + 1][1] - ring[i + 1][0] * ring[i][1];
  return s;
}

/** A cell of a grid, by column and row index. */
export interface Cell { col: number; row: number }

/**
 * The outline of a set of grid cells as one counter-clockwise ring of grid-node indices.
 * Each cell contributes its four edges counter-clockwise; an edge shared by two cells appears once in
 * each direction and cancels, leaving the boundary, which is then walked and its straight runs merged.
 * The cells must form one piece without holes or corner-only contacts (true of every area and park).
 */
export function outlineOfCells(cells: readonly Cell[]): [number, number][] {
  const key = (a: [number, number], b: [number, number]) => `${a[0]},${a[1]}>${b[0]},${b[1]}`;
  const edges = new Map<string, [[number, number], [number, number]]>();
  for (const { col: i, row: j } of cells) {
    const corners: [number, number][] = [[i, j], [i + 1, j], [i + 1, j + 1], [i, j + 1]];
    for (let k = 0; k < 4; k++) {
      const a = corners[k];
      const b = corners[(k + 1) % 4];
      const back = key(b, a);
      if (edges.has(back)) edges.delete(back);
      else edges.set(key(a, b), [a, b]);
    }
  }
  const next = new Map<string, [number, number]>();
  for (const [a, b] of edges.values()) {
    const from = `${a[0]},${a[1]}`;
    if (next.has(from)) throw new Error(`cells touch at a single corner (${from}); split the shape`);
    next.set(from, b);
  }
  const [first] = edges.values();
  const ring: [number, number][] = [first[0]];
  let at = first[1];
  while (`${at[0]},${at[1]}` !== `${first[0][0]},${first[0][1]}`) {
    ring.push(at);
    at = next.get(`${at[0]},${at[1]}`)!;
    if (ring.length > edges.size) throw new Error('cells do not form one piece without holes');
  }
  if (ring.length !== edges.size) throw new Error('cells do not form one piece without holes');
  // Drop the nodes in the middle of straight runs.
  return ring.filter((p, k) => {
    const prev = ring[(k + ring.length - 1) % ring.length];
    const nxt = ring[(k + 1) % ring.length];
    return (prev[0] - p[0]) * (nxt[1] - p[1]) - (prev[1] - p[1]) * (nxt[0] - p[0]) !== 0;
  });
}
