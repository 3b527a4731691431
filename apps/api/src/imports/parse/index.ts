import { ApiProblem } from '../../errors.ts';
import { decodeText, parseCsv } from './csv.ts';
import { parseGeoJson } from './geojson.ts';
import { parseGeoPackage } from './gpkg.ts';
import { parseShapefileZip } from './shapefile.ts';
import type { ImportFormat, ParsedFile } from './types.ts';

export type { ParsedFile, ParsedRow, ImportFormat } from './types.ts';

/** The format of an upload, from its first bytes (zip, SQLite) and then its name. */
export function detectFormat(buf: Buffer, fileName = ''): ImportFormat {
  if (buf.length >= 4 && buf.readUInt32LE(0) === 0x04034b50) return 'shapefile';
  if (buf.subarray(0, 16).toString('latin1') === 'SQLite format 3\0') return 'gpkg';
  const ext = /\.([a-z]+)$/i.exec(fileName)?.[1]?.toLowerCase();
  if (ext === 'zip' || ext === 'shp') {
    throw new ApiProblem(422, 'broken_file', `'${fileName}' is not a zip archive: send the shapefile's .shp, .dbf, .prj and .cpg zipped together`, 'file');
  }
  if (ext === 'gpkg') throw new ApiProblem(422, 'broken_file', `'${fileName}' is not a GeoPackage (SQLite) file`, 'file');
  if (ext === 'csv' || ext === 'txt') return 'csv';
  if (ext === 'json' || ext === 'geojson') return 'geojson';
  const head = decodeText(buf.subarray(0, 64)).trimStart();
  if (head.startsWith('{') || head.startsWith('[')) return 'geojson';
  return 'csv';
}

/** Reads an uploaded file into rows; file-level faults (no .shp, unsupported .prj, garbage) are 4xx. */
export function parseUpload(buf: Buffer, fileName: string, layer: string): ParsedFile {
  if (buf.length === 0) throw new ApiProblem(422, 'empty_file', 'the file is empty', 'file');
  switch (detectFormat(buf, fileName)) {
    case 'shapefile':
      return parseShapefileZip(buf, layer);
    case 'gpkg':
      return parseGeoPackage(buf, layer);
    case 'geojson':
      return parseGeoJson(decodeText(buf));
    case 'csv':
      return parseCsv(buf);
  }
}
