/**
 * A GeoPackage (OGC 12-128) read with better-sqlite3: the feature (or attributes) table named in
 * gpkg_contents, its geometry column from gpkg_geometry_columns, each blob's binary header
 * (magic "GP", flags, srs_id, optional envelope) skipped to reach the WKB.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { ApiProblem } from '../../errors.ts';
import { readWkb, TooManyVertices, tooManyVertices, type Geometry } from './geometry.ts';
import { IMPORT_SRIDS, sridOfWkt, unsupported } from './prj.ts';
import type { ParsedFile, ParsedRow } from './types.ts';

const quote = (name: unknown) => `"${String(name).replaceAll('"', '""')}"`;
const ENVELOPE_BYTES = [0, 32, 48, 48, 64];

/** The WKB inside a GeoPackage geometry blob, or null for an empty geometry. */
export function gpkgWkbOffset(blob: Buffer): number | null {
  if (blob.length < 8 || blob[0] !== 0x47 || blob[1] !== 0x50) throw new Error('not a GeoPackage geometry blob (no "GP" magic)');
  const flags = blob[3];
  if (flags & 0b1_0000) return null;
  const envelope = ENVELOPE_BYTES[(flags >> 1) & 0b111];
  if (envelope === undefined) throw new Error('GeoPackage geometry blob has an invalid envelope code');
  return 8 + envelope;
}

export function parseGeoPackage(file: Buffer | string, preferredLayer?: string): ParsedFile {
  let dir: string | undefined;
  let path = typeof file === 'string' ? file : '';
  if (typeof file !== 'string') {
    dir = mkdtempSync(join(tmpdir(), 'parkatlas-import-'));
    path = join(dir, 'upload.gpkg');
    writeFileSync(path, file);
  }
  let db: Database.Database | undefined;
  try {
    try {
      db = new Database(path, { readonly: true, fileMustExist: true });
      db.prepare('SELECT count(*) FROM sqlite_master').get();
    } catch (e) {
      throw new ApiProblem(422, 'broken_file', `the file is not a readable GeoPackage: ${(e as Error).message}`, 'file');
    }
    let layers: { table_name: string; data_type: string; srs_id: number | null }[];
    try {
      layers = db.prepare(`SELECT table_name, data_type, srs_id FROM gpkg_contents WHERE data_type IN ('features', 'attributes')`).all() as typeof layers;
    } catch {
      throw new ApiProblem(422, 'broken_file', 'the SQLite file is not a GeoPackage: it has no gpkg_contents table', 'file');
    }
    if (layers.length === 0) throw new ApiProblem(422, 'broken_file', 'the GeoPackage has no feature or attribute table', 'file');
    const layer = layers.length === 1 ? layers[0] : layers.find((l) => l.table_name.toLowerCase() === preferredLayer?.toLowerCase());
    if (!layer) {
      throw new ApiProblem(422, 'several_layers', `the GeoPackage has several layers (${layers.map((l) => l.table_name).join(', ')}): name one after the collection or send one per import`, 'file');
    }
    const geomColumn = db.prepare('SELECT column_name, srs_id FROM gpkg_geometry_columns WHERE table_name = ?').get(layer.table_name) as
      | { column_name: string; srs_id: number }
      | undefined;
    let declaredSrid: number | undefined;
    if (geomColumn && geomColumn.srs_id > 0) {
      const srs = db.prepare('SELECT organization, organization_coordsys_id AS code, definition FROM gpkg_spatial_ref_sys WHERE srs_id = ?').get(geomColumn.srs_id) as
        | { organization: string; code: number; definition: string }
        | undefined;
      // SQLite keeps whatever type a file put in a column: read each as the type it should be.
      if (srs && String(srs.organization).toUpperCase() === 'EPSG') {
        const code = Number(srs.code);
        if (!(IMPORT_SRIDS as readonly number[]).includes(code)) throw unsupported(`EPSG:${srs.code}`, 'crs');
        declaredSrid = code;
      } else if (srs) declaredSrid = sridOfWkt(String(srs.definition ?? ''), 'crs');
    }
    const pk = (db.prepare(`SELECT name FROM pragma_table_info(?) WHERE pk > 0`).all(layer.table_name) as { name: string }[]).map((c) => c.name);
    const columns = (db.prepare(`SELECT name FROM pragma_table_info(?)`).all(layer.table_name) as { name: string }[])
      .map((c) => c.name)
      .filter((n) => n !== geomColumn?.column_name && !pk.includes(n));
    const rows: ParsedRow[] = [];
    let n = 0;
    // Records as arrays (the attributes, then the geometry), not one object per record: half the time
    // and garbage for 100k rows (bench/README.md, Imports).
    const select = `SELECT ${[...columns, ...(geomColumn ? [geomColumn.column_name] : [])].map(quote).join(', ') || 'NULL'} FROM ${quote(layer.table_name)}`;
    for (const rec of db.prepare(select).raw().iterate() as Iterable<unknown[]>) {
      n++;
      const properties: Record<string, unknown> = {};
      for (let i = 0; i < columns.length; i++) properties[columns[i]] = rec[i] ?? null;
      const row: ParsedRow = { row: n, properties, geometry: null };
      const blob = geomColumn ? (rec[columns.length] as Buffer | null) : null;
      if (blob) {
        try {
          const at = gpkgWkbOffset(blob);
          row.geometry = at === null ? null : (readWkb(blob, at) as Geometry);
        } catch (e) {
          if (e instanceof TooManyVertices) throw tooManyVertices(n, e);
          row.geometryError = (e as Error).message;
        }
      }
      rows.push(row);
    }
    return { format: 'gpkg', rows, fields: columns, declaredSrid };
  } catch (e) {
    // A damaged page, or a table named in gpkg_contents that is missing, shows only once it is read.
    if (e instanceof Database.SqliteError) throw new ApiProblem(422, 'broken_file', `the GeoPackage cannot be read: ${e.message}`, 'file');
    throw e;
  } finally {
    db?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
}
