/**
 * Exact checks of a generated zone without a database, for the tests: the columns of each table as
 * the migrations declare them, the code lists, and plane geometry on the rectangles and rectilinear
 * outlines the generator draws (parcels are axis-parallel rectangles; buildings lie inside them).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { M_PER_DEG_LAT, M_PER_DEG_LON, signedArea2, type Position } from './geometry.ts';
import type { DemoZone, LeaseRow } from './types.ts';

const migrationsDir = fileURLToPath(new URL('../../packages/db/migrations/', import.meta.url));

function migrationSql(): string {
  return readdirSync(migrationsDir).filter((f) => f.endsWith('.sql')).sort().map((f) => readFileSync(migrationsDir + f, 'utf8')).join('\n');
}

/** The codes inserted into a code table (land_use_class, industry_class) by the migrations. */
export function codesOf(table: 'land_use_class' | 'industry_class'): Set<string> {
  const sql = migrationSql();
  const start = sql.indexOf(`INSERT INTO ${table}`);
  const block = sql.slice(start, sql.indexOf(';', start));
  return new Set([...block.matchAll(/^\s*\('([A-Z0-9]+)'/gm)].map((m) => m[1]));
}

/** Column names of a table as its CREATE TABLE declares them (constraints skipped). */
export function columnsOf(table: string): string[] {
  const sql = migrationSql();
  const start = sql.indexOf(`CREATE TABLE ${table} (`);
  if (start < 0) throw new Error(`no CREATE TABLE ${table} in the migrations`);
  const body = sql.slice(sql.indexOf('(', start) + 1, sql.indexOf('\n);', start));
  return body
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => /^[a-z_][a-z0-9_]*\s+[a-z]/.test(line) && !/^(constraint|check|exclude|primary|unique|foreign)\b/i.test(line))
    .map((line) => line.split(/\s+/)[0])
    .concat(addedColumns(sql, table));
}

/** Columns later migrations add: `ALTER TABLE t ADD COLUMN a …, ADD COLUMN b …;`. */
function addedColumns(sql: string, table: string): string[] {
  const out: string[] = [];
  for (const m of sql.matchAll(new RegExp(`ALTER TABLE\\s+${table}\\s+([^;]*);`, 'g'))) {
    for (const c of m[1].matchAll(/ADD COLUMN\s+(?:IF NOT EXISTS\s+)?([a-z_][a-z0-9_]*)/g)) out.push(c[1]);
  }
  return out;
}

/** Columns the database fills in itself, which seed rows leave out. */
export function defaultedColumns(table: string): string[] {
  const cols = ['version', 'updated_at'];
  if (table === 'parcel') cols.push('area_m2', 'label_point');
  if (table === 'basemap_feature') cols.push('id');
  // Provenance (migration 006): the demo gives parcels theirs; other records start unconfirmed.
  if (['building', 'unit', 'enterprise', 'project'].includes(table)) cols.push('department', 'verified_at');
  return cols;
}

export interface Box { minX: number; minY: number; maxX: number; maxY: number }

export function ringBox(ring: Position[]): Box {
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (const [x, y] of ring) {
    if (x < minX) minX = x;
    if (y < minY) minY = y;
    if (x > maxX) maxX = x;
    if (y > maxY) maxY = y;
  }
  return { minX, minY, maxX, maxY };
}

/** The rectangle a ring describes, or null if the ring is not an axis-parallel rectangle. */
export function asRectangle(ring: Position[]): Box | null {
  if (ring.length !== 5) return null;
  const b = ringBox(ring);
  const onCorner = ring.every(([x, y]) => (x === b.minX || x === b.maxX) && (y === b.minY || y === b.maxY));
  const distinct = new Set(ring.slice(0, 4).map(([x, y]) => `${x},${y}`)).size === 4;
  return onCorner && distinct && b.minX < b.maxX && b.minY < b.maxY ? b : null;
}

/** Pairs of boxes whose interiors overlap (a sweep along x: n log n for tiled rectangles). */
export function overlappingPairs(boxes: Box[]): [number, number][] {
  const order = boxes.map((_, i) => i).sort((a, b) => boxes[a].minX - boxes[b].minX);
  const out: [number, number][] = [];
  const active: number[] = [];
  for (const i of order) {
    const b = boxes[i];
    for (let k = active.length - 1; k >= 0; k--) if (boxes[active[k]].maxX <= b.minX) active.splice(k, 1);
    for (const j of active) {
      const a = boxes[j];
      if (a.minX < b.maxX && b.minX < a.maxX && a.minY < b.maxY && b.minY < a.maxY) out.push([j, i]);
    }
    active.push(i);
  }
  return out;
}

/** Ray casting; points on the boundary count as outside, which callers avoid by testing cell centres. */
export function pointInRing([x, y]: Position, ring: Position[]): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 2; i < ring.length - 1; j = i++) {
    const [xi, yi] = ring[i];
    const [xj, yj] = ring[j];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/**
 * For rectilinear polygons (areas, parks, corridors): the centres of the cells of the grid made by
 * all their vertex coordinates. Each such cell lies wholly inside or wholly outside every polygon,
 * so testing its centre decides overlap and containment exactly.
 */
export function gridCentres(rings: Position[][]): Position[] {
  const xs = [...new Set(rings.flat().map((p) => p[0]))].sort((a, b) => a - b);
  const ys = [...new Set(rings.flat().map((p) => p[1]))].sort((a, b) => a - b);
  const out: Position[] = [];
  for (let i = 0; i + 1 < xs.length; i++) {
    for (let j = 0; j + 1 < ys.length; j++) out.push([(xs[i] + xs[i + 1]) / 2, (ys[j] + ys[j + 1]) / 2]);
  }
  return out;
}

/** Area of a ring in m², from degrees, on the local plane the generator uses. */
export function ringAreaM2(ring: Position[]): number {
  return (Math.abs(signedArea2(ring)) / 2) * M_PER_DEG_LON * M_PER_DEG_LAT;
}

/** Share of parcel area whose status is idle. */
export function idleLandShare(zone: DemoZone): number {
  let idle = 0;
  let total = 0;
  for (const p of zone.parcels) {
    const a = ringAreaM2(p.geom.coordinates[0][0]);
    total += a;
    if (p.status === 'idle') idle += a;
  }
  return idle / total;
}

/** Whether a lease covers a day ('YYYY-MM-DD' strings compare like dates). */
export function covers(l: LeaseRow, day: string): boolean {
  return l.start_date <= day && (l.end_date === null || l.end_date >= day);
}

/** Shares of unit floor area on `day`: not covered by any lease, and of that, not reserved either. */
export function unitVacancy(zone: DemoZone, day: string): { uncovered: number; vacant: number } {
  const let_ = new Set(zone.leases.filter((l) => l.unit !== null && covers(l, day)).map((l) => l.unit));
  let total = 0, uncovered = 0, vacant = 0;
  for (const u of zone.units) {
    total += u.area_m2;
    if (!let_.has(u.code)) {
      uncovered += u.area_m2;
      if (!u.reserved) vacant += u.area_m2;
    }
  }
  return { uncovered: uncovered / total, vacant: vacant / total };
}

/** Leases of the same unit or parcel whose day ranges (both ends included) overlap. */
export function overlappingLeases(leases: LeaseRow[]): [LeaseRow, LeaseRow][] {
  const byTarget = new Map<string, LeaseRow[]>();
  for (const l of leases) {
    const key = l.unit !== null ? `u:${l.unit}` : `p:${l.parcel}`;
    let list = byTarget.get(key);
    if (!list) byTarget.set(key, (list = []));
    list.push(l);
  }
  const out: [LeaseRow, LeaseRow][] = [];
  for (const list of byTarget.values()) {
    list.sort((a, b) => (a.start_date < b.start_date ? -1 : a.start_date > b.start_date ? 1 : 0));
    for (let i = 1; i < list.length; i++) {
      const prev = list[i - 1];
      if (prev.end_date === null || prev.end_date >= list[i].start_date) out.push([prev, list[i]]);
    }
  }
  return out;
}
