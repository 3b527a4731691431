/**
 * GeoPackage 1.3 (OGC 12-128r18) written with better-sqlite3: the required gpkg_spatial_ref_sys
 * (with its three mandatory rows), gpkg_contents and gpkg_geometry_columns, one feature table
 * whose geometry is a GeoPackage binary header (magic "GP", version 0, little-endian flags with an
 * xy envelope, srs_id) followed by the WKB PostGIS wrote. Plain collections become an
 * `attributes` table. Written to a temporary file, chunk by chunk in transactions.
 */
import Database from 'better-sqlite3';
import type { CollectionInfo, Column } from '../ogc/catalog.ts';
import { asBuffer, type ExportRow } from './source.ts';
import { readPolygonal } from './wkb.ts';

/** GeoPackage column type of each kind of attribute; lists are stored as JSON text. */
const GPKG_TYPES: Record<Column['type'], string> = {
  string: 'TEXT', integer: 'INTEGER', number: 'DOUBLE', boolean: 'BOOLEAN', date: 'DATE', 'date-time': 'DATETIME', array: 'TEXT', geometry: 'TEXT',
};

export interface SrsInfo {
  srid: number;
  name: string;
  /** OGC WKT 1 from PostGIS's spatial_ref_sys. */
  wkt: string;
}

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** The GeoPackage binary geometry: header (8 bytes + xy envelope) and the WKB. */
export function gpkgGeometry(wkb: Buffer, srsId: number): Buffer {
  const { bbox } = readPolygonal(wkb);
  const header = Buffer.alloc(8 + 32);
  header.write('GP', 0, 'ascii');
  header.writeUInt8(0, 2); // version 1 of the format is written as 0
  header.writeUInt8(0b0000_0011, 3); // little-endian header, envelope [minx, maxx, miny, maxy], not empty, standard
  header.writeInt32LE(srsId, 4);
  header.writeDoubleLE(bbox[0], 8);
  header.writeDoubleLE(bbox[2], 16);
  header.writeDoubleLE(bbox[1], 24);
  header.writeDoubleLE(bbox[3], 32);
  return Buffer.concat([header, wkb]);
}

function cellValue(c: Column, v: unknown): unknown {
  if (v === null || v === undefined) return null;
  switch (c.type) {
    case 'boolean':
      return v ? 1 : 0;
    case 'date-time':
      // GeoPackage DATETIME is ISO 8601 UTC with milliseconds and a Z.
      return new Date(String(v)).toISOString();
    case 'array':
      return JSON.stringify(v);
    default:
      return v;
  }
}

export async function writeGeoPackage(path: string, info: CollectionInfo, srs: SrsInfo | undefined, chunks: AsyncIterable<ExportRow[]>): Promise<number> {
  const db = new Database(path);
  try {
    db.pragma('journal_mode = OFF');
    db.pragma('synchronous = OFF');
    db.pragma(`application_id = ${0x47504b47}`); // "GPKG"
    db.pragma('user_version = 10300');
    db.exec(`
      CREATE TABLE gpkg_spatial_ref_sys (
        srs_name TEXT NOT NULL, srs_id INTEGER NOT NULL PRIMARY KEY, organization TEXT NOT NULL,
        organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, description TEXT);
      CREATE TABLE gpkg_contents (
        table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL, identifier TEXT UNIQUE,
        description TEXT DEFAULT '', last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
        min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER,
        CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id));
      CREATE TABLE gpkg_geometry_columns (
        table_name TEXT NOT NULL, column_name TEXT NOT NULL, geometry_type_name TEXT NOT NULL,
        srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL,
        CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
        CONSTRAINT uk_gc_table_name UNIQUE (table_name),
        CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
        CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id));
    `);
    const addSrs = db.prepare('INSERT INTO gpkg_spatial_ref_sys VALUES (?, ?, ?, ?, ?, ?)');
    addSrs.run('Undefined cartesian SRS', -1, 'NONE', -1, 'undefined', 'undefined cartesian coordinate reference system');
    addSrs.run('Undefined geographic SRS', 0, 'NONE', 0, 'undefined', 'undefined geographic coordinate reference system');
    if (srs) addSrs.run(srs.name, srs.srid, 'EPSG', srs.srid, srs.wkt, srs.name);
    if (srs?.srid !== 4326) {
      addSrs.run('WGS 84 geodetic', 4326, 'EPSG', 4326, WGS84_WKT, 'longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid');
    }

    const table = info.def.name;
    const spatial = info.def.geometry !== undefined && srs !== undefined;
    const columns = info.columns.map((c) => `${quote(c.name)} ${GPKG_TYPES[c.type]}`);
    db.exec(`CREATE TABLE ${quote(table)} (fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL${spatial ? ', geom MULTIPOLYGON' : ''}, ${columns.join(', ')})`);
    db.prepare('INSERT INTO gpkg_contents (table_name, data_type, identifier, description, srs_id) VALUES (?, ?, ?, ?, ?)').run(
      table, spatial ? 'features' : 'attributes', table, `ParkAtlas ${table}`, spatial ? srs!.srid : null,
    );
    if (spatial) db.prepare('INSERT INTO gpkg_geometry_columns VALUES (?, ?, ?, ?, 0, 0)').run(table, 'geom', 'MULTIPOLYGON', srs!.srid);

    const names = info.columns.map((c) => quote(c.name));
    const insert = db.prepare(
      `INSERT INTO ${quote(table)} (${spatial ? 'geom, ' : ''}${names.join(', ')}) VALUES (${[...(spatial ? ['?'] : []), ...names.map(() => '?')].join(', ')})`,
    );
    const bbox = [Infinity, Infinity, -Infinity, -Infinity];
    let count = 0;
    const writeChunk = db.transaction((rows: ExportRow[]) => {
      for (const r of rows) {
        const p = JSON.parse(r.props) as Record<string, unknown>;
        const values = info.columns.map((c) => cellValue(c, p[c.name]));
        if (spatial) {
          const wkb = asBuffer(r.geom);
          const blob = gpkgGeometry(wkb, srs!.srid);
          const minX = blob.readDoubleLE(8), maxX = blob.readDoubleLE(16), minY = blob.readDoubleLE(24), maxY = blob.readDoubleLE(32);
          if (minX < bbox[0]) bbox[0] = minX;
          if (minY < bbox[1]) bbox[1] = minY;
          if (maxX > bbox[2]) bbox[2] = maxX;
          if (maxY > bbox[3]) bbox[3] = maxY;
          insert.run(blob, ...values);
        } else {
          insert.run(...values);
        }
        count++;
      }
    });
    for await (const rows of chunks) writeChunk(rows);
    if (spatial && count > 0) {
      db.prepare('UPDATE gpkg_contents SET min_x = ?, min_y = ?, max_x = ?, max_y = ? WHERE table_name = ?').run(bbox[0], bbox[1], bbox[2], bbox[3], table);
    }
    return count;
  } finally {
    db.close();
  }
}

/** The WKT GeoPackage itself gives for EPSG:4326 (its mandatory row). */
const WGS84_WKT =
  'GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],' +
  'AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,' +
  'AUTHORITY["EPSG","9122"]],AXIS["Latitude",NORTH],AXIS["Longitude",EAST],AUTHORITY["EPSG","4326"]]';
