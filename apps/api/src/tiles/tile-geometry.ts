/**
 * A GeoJSON geometry (EPSG:4326) as it sits in one vector tile: projected to Web Mercator tile units
 * (0 … extent across the tile, y down), clipped to the tile grown by its buffer, snapped to the
 * integer grid, repeated and collinear points dropped, collapsed rings dropped, rings wound as the
 * MVT spec says. This is what ST_AsMVTGeom(…, clip_geom => true) does on PostGIS, for the embedded
 * build that lacks it.
 *
 * Written as plain loops over flat number arrays with no closures made per call: a z14 tile holds
 * thousands of features, and allocation (garbage collection) was most of the cost of the first version.
 */
import type { Geometry, Position } from 'geojson';

/** MVT geometry types (vector_tile.proto). */
export const POINT = 1;
export const LINESTRING = 2;
export const POLYGON = 3;

/** x0, y0, x1, y1, … in integer tile units. */
export type Part = number[];

export interface TileGeometry {
  type: typeof POINT | typeof LINESTRING | typeof POLYGON;
  /** Points: one part holding every point. Lines: one part per line. Polygons: rings, each exterior before its holes. */
  parts: Part[];
}

export interface TileFrame {
  z: number;
  x: number;
  y: number;
  extent: number;
  buffer: number;
}

/** x0, y0, x1, y1, … as floats. */
type Flat = number[];

/** Projects positions to the tile's units (floats), appended to `out`. */
function project(positions: Position[], count: number, t: TileFrame, out: Flat): Flat {
  const scale = 2 ** t.z * t.extent;
  const ox = t.x * t.extent;
  const oy = t.y * t.extent;
  for (let i = 0; i < count; i++) {
    const p = positions[i];
    const s = Math.sin((p[1] * Math.PI) / 180);
    out.push(((p[0] + 180) / 360) * scale - ox, (0.5 - (0.25 * Math.log((1 + s) / (1 - s))) / Math.PI) * scale - oy);
  }
  return out;
}

/**
 * Sutherland–Hodgman against one side of the box: keeps the part of the (open) ring where
 * coordinate `axis` (0 x, 1 y) is ≥ k (keepAbove) or ≤ k, adding the crossing points.
 */
function clipRingSide(ring: Flat, axis: 0 | 1, k: number, keepAbove: boolean): Flat {
  const out: Flat = [];
  const len = ring.length;
  if (len === 0) return out;
  let prev = len - 2;
  let prevIn = keepAbove ? ring[prev + axis] >= k : ring[prev + axis] <= k;
  for (let i = 0; i < len; i += 2) {
    const curIn = keepAbove ? ring[i + axis] >= k : ring[i + axis] <= k;
    if (curIn !== prevIn) {
      const a = ring[prev + axis];
      const f = (k - a) / (ring[i + axis] - a);
      out.push(ring[prev] + f * (ring[i] - ring[prev]), ring[prev + 1] + f * (ring[i + 1] - ring[prev + 1]));
    }
    if (curIn) out.push(ring[i], ring[i + 1]);
    prev = i;
    prevIn = curIn;
  }
  return out;
}

/** True when every point of flat[from, to) lies within [lo, hi]² (most features of a tile: no clip needed). */
function inside(flat: Flat, lo: number, hi: number, from = 0, to = flat.length): boolean {
  for (let i = from; i < to; i++) if (flat[i] < lo || flat[i] > hi) return false;
  return true;
}

/** Twice the signed area (surveyor's formula, tile units): positive is clockwise on screen (y down). */
function doubleArea(ring: Part): number {
  let sum = 0;
  for (let i = 0, j = ring.length - 2; i < ring.length; j = i, i += 2) sum += ring[j] * ring[i + 1] - ring[i] * ring[j + 1];
  return sum;
}

/**
 * Rounds a float path to the grid, dropping a point equal to the one before or on the straight line
 * through its neighbours (ST_AsMVTGeom simplifies with tolerance 0 after snapping). The first point
 * stays, and a line's last; a ring's points are compared round the ring.
 */
function snap(flat: Flat, ring: boolean): Part {
  const grid: Part = [];
  for (let i = 0; i < flat.length; i += 2) {
    const x = Math.round(flat[i]);
    const y = Math.round(flat[i + 1]);
    const n = grid.length;
    if (n > 0 && grid[n - 2] === x && grid[n - 1] === y) continue;
    grid.push(x, y);
  }
  if (ring) {
    while (grid.length >= 4 && grid[0] === grid[grid.length - 2] && grid[1] === grid[grid.length - 1]) grid.length -= 2;
  }
  const n = grid.length / 2;
  if (n < 3) return grid;
  const out: Part = [grid[0], grid[1]];
  for (let i = 1; i < n; i++) {
    const last = i === n - 1;
    if (last && !ring) {
      out.push(grid[2 * i], grid[2 * i + 1]);
      break;
    }
    const next = last ? 0 : i + 1;
    const ax = out[out.length - 2];
    const ay = out[out.length - 1];
    const bx = grid[2 * i];
    const by = grid[2 * i + 1];
    if ((bx - ax) * (grid[2 * next + 1] - ay) - (by - ay) * (grid[2 * next] - ax) !== 0) out.push(bx, by);
  }
  return out;
}

/** The ring wound as the MVT spec wants: exterior rings positive, holes negative (reversed in place if not). */
function wound(ring: Part, exterior: boolean): Part {
  if (doubleArea(ring) > 0 === exterior) return ring;
  for (let i = 0, j = ring.length - 2; i < j; i += 2, j -= 2) {
    const x = ring[i];
    const y = ring[i + 1];
    ring[i] = ring[j];
    ring[i + 1] = ring[j + 1];
    ring[j] = x;
    ring[j + 1] = y;
  }
  return ring;
}

/** A ring in tile units, or null when nothing of it is left after the clip and the snap. */
function ringInTile(positions: Position[], t: TileFrame): Part | null {
  // GeoJSON rings repeat their first point at the end; the clip works on open rings.
  let ring = project(positions, positions.length - 1, t, []);
  const lo = -t.buffer;
  const hi = t.extent + t.buffer;
  if (!inside(ring, lo, hi)) {
    ring = clipRingSide(ring, 0, lo, true);
    ring = clipRingSide(ring, 0, hi, false);
    ring = clipRingSide(ring, 1, lo, true);
    ring = clipRingSide(ring, 1, hi, false);
  }
  const snapped = snap(ring, true);
  return snapped.length >= 6 && doubleArea(snapped) !== 0 ? snapped : null;
}

function polygons(polys: Position[][][], t: TileFrame): TileGeometry | null {
  const parts: Part[] = [];
  for (const poly of polys) {
    const exterior = ringInTile(poly[0], t);
    // A hole lies inside its exterior: when the exterior is gone, so are its holes.
    if (!exterior) continue;
    parts.push(wound(exterior, true));
    for (let h = 1; h < poly.length; h++) {
      const hole = ringInTile(poly[h], t);
      if (hole) parts.push(wound(hole, false));
    }
  }
  return parts.length ? { type: POLYGON, parts } : null;
}

/**
 * The pieces of a line inside the box [lo, hi]², each segment clipped by Liang–Barsky: a line that
 * leaves the box and comes back is two pieces.
 */
function clipLine(line: Flat, lo: number, hi: number): Flat[] {
  if (inside(line, lo, hi)) return [line];
  const pieces: Flat[] = [];
  let current: Flat | null = null;
  for (let i = 0; i + 2 < line.length; i += 2) {
    const ax = line[i];
    const ay = line[i + 1];
    const dx = line[i + 2] - ax;
    const dy = line[i + 3] - ay;
    let t0 = 0;
    let t1 = 1;
    // Each side as p·t ≤ q: the segment's part inside it.
    const sides = [-dx, ax - lo, dx, hi - ax, -dy, ay - lo, dy, hi - ay];
    for (let s = 0; s < 8; s += 2) {
      const p = sides[s];
      const q = sides[s + 1];
      if (p === 0) {
        if (q < 0) t0 = 2; // parallel to the side and outside it
      } else if (p < 0) t0 = Math.max(t0, q / p);
      else t1 = Math.min(t1, q / p);
    }
    if (t0 > t1) {
      current = null;
      continue;
    }
    if (!current || t0 > 0) {
      current = [ax + t0 * dx, ay + t0 * dy];
      pieces.push(current);
    }
    current.push(ax + t1 * dx, ay + t1 * dy);
    if (t1 < 1) current = null;
  }
  return pieces;
}

function lines(positions: Position[][], t: TileFrame): TileGeometry | null {
  const parts: Part[] = [];
  for (const line of positions) {
    for (const piece of clipLine(project(line, line.length, t, []), -t.buffer, t.extent + t.buffer)) {
      const snapped = snap(piece, false);
      if (snapped.length >= 4) parts.push(snapped);
    }
  }
  return parts.length ? { type: LINESTRING, parts } : null;
}

function points(positions: Position[], t: TileFrame): TileGeometry | null {
  const flat = project(positions, positions.length, t, []);
  const part: Part = [];
  for (let i = 0; i < flat.length; i += 2) {
    if (inside(flat, -t.buffer, t.extent + t.buffer, i, i + 2)) part.push(Math.round(flat[i]), Math.round(flat[i + 1]));
  }
  return part.length ? { type: POINT, parts: [part] } : null;
}

export function toTileGeometry(geometry: Geometry | null, t: TileFrame): TileGeometry | null {
  switch (geometry?.type) {
    case 'Point':
      return points([geometry.coordinates], t);
    case 'MultiPoint':
      return points(geometry.coordinates, t);
    case 'LineString':
      return lines([geometry.coordinates], t);
    case 'MultiLineString':
      return lines(geometry.coordinates, t);
    case 'Polygon':
      return polygons([geometry.coordinates], t);
    case 'MultiPolygon':
      return polygons(geometry.coordinates, t);
    default:
      return null;
  }
}
