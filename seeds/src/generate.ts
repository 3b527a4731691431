/**
 * The demo zone in memory: a believable Jining High-tech Zone east of Jining city, with the zone's 7
 * areas, 13 parks, 3 corridors and 149 projects (¥20.2 bn), and as many parcels as asked for, with
 * their buildings, rentable units, enterprises and leases.
 *
 * Deterministic: the same options give byte-identical rows (own seeded generator, no clock).
 * For very large zones use `streamDemoZone` (or the CLI) instead, which never holds the zone at once.
 */
import { streamDemoZone, type GenerateOptions } from './stream.ts';
import type { DemoZone } from './types.ts';

export function emptyZone(): DemoZone {
  return {
    basemap: [], corridors: [], areas: [], parks: [], enterprises: [],
    parcels: [], buildings: [], units: [], leases: [], projects: [],
  };
}

export function generateDemoZone(options: GenerateOptions = {}): DemoZone {
  const zone = emptyZone();
  for (const chunk of streamDemoZone(options)) {
    const rows = zone[chunk.table] as unknown[];
    // push(...rows) would overflow the call stack on very large chunks.
    for (const row of chunk.rows) rows.push(row);
  }
  return zone;
}

export { DEFAULT_OPTIONS, type GenerateOptions } from './stream.ts';
