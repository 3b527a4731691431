import type { Geometry } from './geometry.ts';

/** One feature or record of an uploaded file, numbered from 1 in file order (headers not counted). */
export interface ParsedRow {
  row: number;
  /** Attribute values as the file holds them: strings, numbers, booleans or null. */
  properties: Record<string, unknown>;
  geometry: Geometry | null;
  /** Why the row's geometry could not be read, when it could not. */
  geometryError?: string;
}

export type ImportFormat = 'geojson' | 'csv' | 'shapefile' | 'gpkg';

export interface ParsedFile {
  format: ImportFormat;
  rows: ParsedRow[];
  /** The attribute names the file has, as written in it. */
  fields: string[];
  /** The EPSG code the file itself declares (.prj, GeoPackage srs, GeoJSON `crs`), if any. */
  declaredSrid?: number;
  /** Shapefiles cut names to 10 characters: attribute names are matched on that cut too. */
  shortNames?: boolean;
}
