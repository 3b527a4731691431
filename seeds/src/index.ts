/**
 * @parkatlas/seeds: the deterministic demo zone (a synthetic Jining High-tech Zone) and its loader.
 *
 *   const zone = generateDemoZone({ parcels: 300 });           // in memory, for tests and the demo
 *   await loadDemoZone(db, zone);                              // one transaction, FK order
 *   await loadZoneChunks(db, streamDemoZone({ parcels: 1e6 })); // streamed, flat memory
 *   await loadZoneChunks(db, readZoneFiles('data/generated'));  // from the CLI's files
 */
export { generateDemoZone, emptyZone } from './generate.ts';
export { streamDemoZone, resolveOptions, DEFAULT_OPTIONS, IDLE_TARGET, type GenerateOptions } from './stream.ts';
export { loadDemoZone, loadZoneChunks, isDatabaseEmpty, rowKeys, TABLES, BATCH_ROWS, type LoadReport } from './load.ts';
export { writeZoneFiles, readZoneFiles, type WrittenFile, type WriteOptions } from './files.ts';
export { VACANCY_TARGET } from './leases.ts';
export { PROJECT_COUNT, TOTAL_INVESTMENT_CNY } from './projects.ts';
export { AREAS, PARKS, CORRIDORS } from './catalog.ts';
export { makeUscc, organizationCode } from './enterprises.ts';
export type {
  DemoZone, ZoneChunk, ZoneTable, RowOf, BasemapRow, CorridorRow, AreaRow, ParkRow, EnterpriseRow, ParcelRow,
  ParcelStatus, BuildingRow, BuildingUse, BuildingStatus, UnitRow, UnitKind, LeaseRow, ProjectRow, ProjectStatus,
} from './types.ts';
export type { Geometry, Polygon, MultiPolygon, LineString, MultiLineString, Position } from './geometry.ts';
