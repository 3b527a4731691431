import { VectorTile } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';
import { describe, expect, it } from 'vitest';
import { writeTile } from './mvt-writer.ts';
import { LINESTRING, POINT, POLYGON, toTileGeometry, type TileFrame } from './tile-geometry.ts';

/** z1 tile 1/0 (north-east quarter of the world): lon 0…180 maps to x 0…4096 across it. */
const frame: TileFrame = { z: 1, x: 1, y: 0, extent: 4096, buffer: 64 };
/** Longitude of tile unit x in this frame. */
const lonAt = (x: number) => (x / 4096) * 180;
/** Latitude of tile unit y in this frame (Web Mercator). */
const latAt = (y: number) => (Math.atan(Math.sinh(Math.PI * (1 - (2 * y) / 4096 / 2))) * 180) / Math.PI;
const at = (x: number, y: number): [number, number] => [lonAt(x), latAt(y)];
const square = (x0: number, y0: number, x1: number, y1: number) => [at(x0, y0), at(x0, y1), at(x1, y1), at(x1, y0), at(x0, y0)];

/** Twice the signed area of a ring of {x, y} points (positive: clockwise on screen). */
function area(ring: { x: number; y: number }[]): number {
  let s = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) s += ring[j].x * ring[i].y - ring[i].x * ring[j].y;
  return s;
}

describe('toTileGeometry: ST_AsMVTGeom in JS', () => {
  it('projects to tile units and snaps to the integer grid', () => {
    const g = toTileGeometry({ type: 'Point', coordinates: at(100.4, 2000.6) }, frame)!;
    expect(g).toEqual({ type: POINT, parts: [[100, 2001]] });
  });

  it('keeps points inside the buffer only', () => {
    const g = toTileGeometry({ type: 'MultiPoint', coordinates: [at(-63, 10), at(-65, 10), at(4159, 4159), at(4161, 10)] }, frame)!;
    expect(g.parts).toEqual([[-63, 10, 4159, 4159]]);
    expect(toTileGeometry({ type: 'Point', coordinates: at(-100, 10) }, frame)).toBeNull();
  });

  it('clips a polygon to the tile grown by its buffer and winds exterior and hole as the spec says', () => {
    // A square reaching past the left edge, with a hole inside the tile.
    const outer = square(-500, 100, 1000, 1000);
    const hole = square(200, 200, 400, 400);
    const g = toTileGeometry({ type: 'Polygon', coordinates: [outer, hole.reverse()] }, frame)!;
    expect(g.type).toBe(POLYGON);
    expect(g.parts).toHaveLength(2);
    const xs = g.parts[0].filter((_, i) => i % 2 === 0);
    expect(Math.min(...xs)).toBe(-64);
    expect(Math.max(...xs)).toBe(1000);
    const ring = (p: number[]) => p.flatMap((v, i) => (i % 2 === 0 ? [{ x: v, y: p[i + 1] }] : []));
    expect(area(ring(g.parts[0]))).toBeGreaterThan(0);
    expect(area(ring(g.parts[1]))).toBeLessThan(0);
  });

  it('drops repeated points and points on the straight line through their neighbours, as ST_AsMVTGeom does', () => {
    // A square with a midpoint on its top edge, a point repeated after snapping, and back to the start.
    const ring = [at(100, 100), at(200, 100), at(300, 100), at(300, 300), at(300.2, 300.1), at(100, 300), at(100, 100)];
    const g = toTileGeometry({ type: 'Polygon', coordinates: [ring] }, frame)!;
    expect(g.parts).toHaveLength(1);
    const corners = g.parts[0].flatMap((v, i) => (i % 2 === 0 ? [`${v},${g.parts[0][i + 1]}`] : []));
    expect(corners.sort()).toEqual(['100,100', '100,300', '300,100', '300,300']);
    // A line keeps its two ends, whatever lies between on the same line.
    expect(toTileGeometry({ type: 'LineString', coordinates: [at(10, 10), at(20, 20), at(30, 30)] }, frame)!.parts).toEqual([[10, 10, 30, 30]]);
  });

  it('drops a polygon that only touches the buffer edge, and the holes of an exterior that is gone', () => {
    // Outside but for a sliver that snaps to zero width on x = -64.
    expect(toTileGeometry({ type: 'Polygon', coordinates: [square(-300, 100, -64.2, 200)] }, frame)).toBeNull();
    const far = toTileGeometry({ type: 'MultiPolygon', coordinates: [[square(-900, 0, -600, 300), square(-800, 100, -700, 200)], [square(10, 10, 20, 20)]] }, frame)!;
    expect(far.parts).toHaveLength(1);
  });

  it('splits a line that leaves the tile and comes back into two pieces', () => {
    const g = toTileGeometry({ type: 'LineString', coordinates: [at(100, 100), at(100, -1000), at(300, -1000), at(300, 100)] }, frame)!;
    expect(g.type).toBe(LINESTRING);
    expect(g.parts).toEqual([[100, 100, 100, -64], [300, -64, 300, 100]]);
  });
});

describe('writeTile', () => {
  it('decodes with @mapbox/vector-tile to the same features, attributes and geometry', () => {
    const big = toTileGeometry({ type: 'Polygon', coordinates: [Array.from({ length: 200 }, (_, i) => at(2000 + 1500 * Math.cos((i / 199) * 2 * Math.PI), 2000 + 1500 * Math.sin((i / 199) * 2 * Math.PI)))] }, frame)!;
    const keys = ['name', 'n', 'neg', 'rate', 'ok', 'gone'];
    const body = writeTile('things', keys, [
      { geometry: toTileGeometry({ type: 'Point', coordinates: at(10, 20) }, frame)!, values: ['高新区', 7, -3, 0.25, true, null] },
      { geometry: big, values: ['big', 3_000_000_000] },
    ], 4096);
    const layer = new VectorTile(new PbfReader(body)).layers.things;
    expect(layer.version).toBe(2);
    expect(layer.extent).toBe(4096);
    expect(layer.length).toBe(2);
    const p = layer.feature(0);
    expect(p.type).toBe(POINT);
    expect(p.properties).toEqual({ name: '高新区', n: 7, neg: -3, rate: 0.25, ok: true });
    expect(p.loadGeometry()).toEqual([[{ x: 10, y: 20 }]]);
    const q = layer.feature(1);
    expect(q.properties).toEqual({ name: 'big', n: 3_000_000_000 });
    const ring = q.loadGeometry()[0];
    // The decoder closes the ring by repeating its first point.
    expect(ring.slice(0, -1).flatMap((pt) => [pt.x, pt.y])).toEqual(big.parts[0]);
    expect(area(ring)).toBeGreaterThan(0);
  });

  it('is an empty buffer with no features', () => {
    expect(writeTile('things', ['name'], [], 4096).byteLength).toBe(0);
  });
});
