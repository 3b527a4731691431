import type { Queryable } from '@parkatlas/db';
import { usccProblem } from '@parkatlas/schema';
import { ApiProblem } from '../errors.ts';
import type { Check } from './definition.ts';

export type Extent = [number, number, number, number];

interface GeometryFacts {
  valid: boolean;
  reason: string;
  xmin: number;
  ymin: number;
  xmax: number;
  ymax: number;
}

/**
 * Rejects a geometry PostGIS finds invalid (with PostGIS's own reason, e.g. "Self-intersection
 * [116.6 35.4]") or with a coordinate outside the configured extent. A geometry that would fit once
 * its coordinates are swapped is reported as lat/lon order, the most common mistake.
 */
export async function checkGeometry(q: Queryable, geometry: unknown, extent: Extent): Promise<void> {
  // GEOS cannot even judge an unclosed ring (it raises instead of answering), so say it here.
  const open = unclosedRing(geometry);
  if (open) throw new ApiProblem(422, 'invalid_geometry', `geometry is not valid: ${open}`, 'geometry');
  let facts: GeometryFacts | undefined;
  try {
    const r = await q.query<GeometryFacts>(
      `SELECT ST_IsValid(g) AS valid, ST_IsValidReason(g) AS reason,
              ST_XMin(g) AS xmin, ST_YMin(g) AS ymin, ST_XMax(g) AS xmax, ST_YMax(g) AS ymax
       FROM (SELECT ST_GeomFromGeoJSON($1::text) AS g) AS s`,
      [JSON.stringify(geometry)],
    );
    facts = r.rows[0];
  } catch (e) {
    throw new ApiProblem(422, 'invalid_geometry', `geometry cannot be read: ${(e as Error).message}`, 'geometry');
  }
  if (!facts || facts.valid === null) throw new ApiProblem(422, 'invalid_geometry', 'geometry cannot be read by PostGIS', 'geometry');
  const [minX, minY, maxX, maxY] = extent;
  const inside = (x0: number, y0: number, x1: number, y1: number) => x0 >= minX && y0 >= minY && x1 <= maxX && y1 <= maxY;
  if (!inside(facts.xmin, facts.ymin, facts.xmax, facts.ymax)) {
    const swapped = inside(facts.ymin, facts.xmin, facts.ymax, facts.xmax);
    throw new ApiProblem(
      422,
      'outside_extent',
      `geometry spans ${facts.xmin},${facts.ymin} – ${facts.xmax},${facts.ymax}, outside the zone's extent ${extent.join(',')}` +
        (swapped ? '; the coordinates look like latitude,longitude: GeoJSON wants longitude first' : ''),
      'geometry',
    );
  }
  if (!facts.valid) throw new ApiProblem(422, 'invalid_geometry', `geometry is not valid: ${facts.reason}`, 'geometry');
}

/** Describes the first ring whose last position is not its first, if any. */
export function unclosedRing(geometry: unknown): string | undefined {
  const g = geometry as { type?: string; coordinates?: unknown };
  const polygons = (g.type === 'Polygon' ? [g.coordinates] : g.type === 'MultiPolygon' ? g.coordinates : []) as number[][][][];
  for (const [p, rings] of polygons.entries()) {
    for (const [r, ring] of rings.entries()) {
      const first = ring[0];
      const last = ring[ring.length - 1];
      if (first.length !== last.length || first.some((v, i) => v !== last[i])) {
        const where = g.type === 'MultiPolygon' ? `polygon ${p}, ring ${r}` : `ring ${r}`;
        return `${where} is not closed: it starts at [${first}] but ends at [${last}]`;
      }
    }
  }
  return undefined;
}

/** A USCC field must carry a correct check character (GB 32100-2015). */
export function usccField(field: string): Check {
  return async (_q, row) => {
    const value = row[field];
    if (typeof value !== 'string') return;
    const problem = usccProblem(value);
    if (problem) throw new ApiProblem(422, 'invalid_uscc', `${field} '${value}' is not a valid unified social credit code: ${problem}`, field);
  };
}

/** A code field must name a row of a code table, e.g. land_use in land_use_class. */
export function knownCode(field: string, table: string, what: string, hint: string): Check {
  return async (q, row) => {
    const value = row[field];
    if (value === null || value === undefined) return;
    const values = Array.isArray(value) ? value : [value];
    for (const v of values) {
      const r = await q.query(`SELECT 1 FROM ${table} WHERE code = $1`, [v]);
      if (r.rows.length === 0) throw new ApiProblem(422, 'unknown_code', `${field} '${v}' is not a known ${what} (${hint})`, field);
    }
  };
}

/** Dates that must come in order, e.g. start before completion. */
export function datesInOrder(first: string, second: string): Check {
  return async (_q, row) => {
    const a = row[first];
    const b = row[second];
    if (typeof a === 'string' && typeof b === 'string' && b < a) {
      throw new ApiProblem(422, 'dates_out_of_order', `${second} (${b}) is before ${first} (${a})`, second);
    }
  };
}

/** Two numbers that must come in order, e.g. plot_ratio_min ≤ plot_ratio_max. */
export function rangeInOrder(min: string, max: string): Check {
  return async (_q, row) => {
    const a = row[min];
    const b = row[max];
    if (typeof a === 'number' && typeof b === 'number' && b < a) {
      throw new ApiProblem(422, 'range_out_of_order', `${max} (${b}) is less than ${min} (${a})`, max);
    }
  };
}
