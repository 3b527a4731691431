/**
 * CSV (RFC 4180) with a header row, in UTF-8 (with or without BOM) or GB18030/GBK as Excel saves it
 * in China. Geometry comes from a WKT column (`wkt`, `geometry`, `geom`, `the_geom`) or from
 * longitude/latitude columns (`lon`/`lng`/`longitude`/`x` and `lat`/`latitude`/`y`) as points.
 */
import { ApiProblem } from '../../errors.ts';
import { parseWkt, TooManyVertices, tooManyVertices } from './geometry.ts';
import type { ParsedFile, ParsedRow } from './types.ts';

export function decodeText(buf: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(buf).replace(/^\uFEFF/, '');
  } catch {
    return new TextDecoder('gb18030').decode(buf);
  }
}

/** Splits CSV text into records of fields; quoted fields may hold commas, quotes ("") and line breaks. */
export function csvRecords(text: string): string[][] {
  const out: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i++;
        continue;
      }
      field += c;
      i++;
      continue;
    }
    if (c === '"' && field === '') {
      quoted = true;
      i++;
    } else if (c === ',') {
      record.push(field);
      field = '';
      i++;
    } else if (c === '\r' || c === '\n') {
      record.push(field);
      field = '';
      if (record.length > 1 || record[0] !== '') out.push(record);
      record = [];
      i += c === '\r' && text[i + 1] === '\n' ? 2 : 1;
    } else {
      field += c;
      i++;
    }
  }
  if (quoted) throw new ApiProblem(422, 'broken_file', 'the CSV ends inside a quoted field', 'file');
  if (field !== '' || record.length) {
    record.push(field);
    out.push(record);
  }
  return out;
}

const WKT_NAMES = ['wkt', 'geometry', 'geom', 'the_geom'];
const LON_NAMES = ['lon', 'lng', 'longitude', 'x'];
const LAT_NAMES = ['lat', 'latitude', 'y'];

export function parseCsv(buf: Buffer): ParsedFile {
  const records = csvRecords(decodeText(buf));
  if (records.length === 0) throw new ApiProblem(422, 'broken_file', 'the CSV is empty: a header row is needed', 'file');
  const header = records[0].map((h) => h.trim());
  const find = (names: string[]) => header.findIndex((h) => names.includes(h.toLowerCase()));
  const wkt = find(WKT_NAMES);
  const lon = wkt < 0 ? find(LON_NAMES) : -1;
  const lat = wkt < 0 ? find(LAT_NAMES) : -1;
  const geometryColumns = new Set([wkt, ...(lon >= 0 && lat >= 0 ? [lon, lat] : [])].filter((i) => i >= 0));
  const fields = header.filter((_, i) => !geometryColumns.has(i));
  const rows: ParsedRow[] = records.slice(1).map((rec, r) => {
    const properties: Record<string, unknown> = {};
    header.forEach((h, i) => {
      if (!geometryColumns.has(i)) properties[h] = rec[i] ?? '';
    });
    const row: ParsedRow = { row: r + 1, properties, geometry: null };
    try {
      if (wkt >= 0 && (rec[wkt] ?? '').trim() !== '') row.geometry = parseWkt(rec[wkt]);
      else if (lon >= 0 && lat >= 0 && `${rec[lon] ?? ''}${rec[lat] ?? ''}`.trim() !== '') {
        const x = Number(rec[lon]);
        const y = Number(rec[lat]);
        if (!Number.isFinite(x) || !Number.isFinite(y)) row.geometryError = `longitude '${rec[lon]}' / latitude '${rec[lat]}' are not numbers`;
        else row.geometry = { type: 'Point', coordinates: [x, y] };
      }
    } catch (e) {
      if (e instanceof TooManyVertices) throw tooManyVertices(r + 1, e);
      row.geometryError = (e as Error).message;
    }
    return row;
  });
  return { format: 'csv', rows, fields };
}
