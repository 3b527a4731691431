/**
 * A zipped ESRI Shapefile (1998 technical description): .shp geometry, .dbf attributes (dBase III),
 * .prj CRS, .cpg code page. Text attributes are UTF-8 or GBK/GB18030: the .cpg decides, else the
 * dBase language driver byte, else UTF-8 when the bytes are valid UTF-8 and GB18030 otherwise.
 * Polygon rings follow the format's rule: clockwise rings are outer boundaries, counter-clockwise
 * ones holes of the outer ring that contains them.
 */
import { unzipSync } from 'fflate';
import { ApiProblem } from '../../errors.ts';
import { MAX_VERTICES, TooManyVertices, tooManyVertices, type Geometry } from './geometry.ts';
import { sridOfWkt } from './prj.ts';
import type { ParsedFile, ParsedRow } from './types.ts';

const broken = (message: string) => new ApiProblem(422, 'broken_file', message, 'file');

function unzip(zip: Buffer): Record<string, Uint8Array> {
  try {
    return unzipSync(new Uint8Array(zip.buffer, zip.byteOffset, zip.byteLength), {
      // Only the parts of a shapefile are inflated; anything else in the archive is left packed.
      filter: (f) => /\.(shp|dbf|prj|cpg)$/i.test(f.name) && !/(^|\/)__MACOSX\//.test(f.name),
    });
  } catch (e) {
    throw broken(`the file is not a readable zip archive: ${(e as Error).message}`);
  }
}

export function parseShapefileZip(zip: Buffer, preferredLayer?: string): ParsedFile {
  const entries = unzip(zip);
  const names = Object.keys(entries);
  const shps = names.filter((n) => /\.shp$/i.test(n));
  if (shps.length === 0) {
    throw new ApiProblem(422, 'no_shapefile', `the zip holds no .shp file${names.length ? ` (it has ${names.slice(0, 5).join(', ')})` : ''}: zip the .shp, .dbf, .prj and .cpg of one layer`, 'file');
  }
  const base = (n: string) => n.replace(/\.[^.]+$/, '');
  const shp = shps.length === 1 ? shps[0] : shps.find((n) => base(n).split('/').pop()?.toLowerCase() === preferredLayer?.toLowerCase());
  if (!shp) throw new ApiProblem(422, 'several_layers', `the zip holds several layers (${shps.join(', ')}): send one per import, or name one after the collection`, 'file');
  const part = (ext: string) => {
    const key = names.find((n) => base(n) === base(shp) && n.slice(base(n).length).toLowerCase() === ext);
    return key ? Buffer.from(entries[key]) : undefined;
  };
  const dbf = part('.dbf');
  if (!dbf) throw new ApiProblem(422, 'no_dbf', `the zip holds ${shp} but no .dbf with its attributes`, 'file');
  const prj = part('.prj');
  const cpg = part('.cpg')?.toString('latin1').trim();
  const declaredSrid = prj && prj.length ? sridOfWkt(prj.toString('utf8'), 'prj') : undefined;
  const geometries = readShp(Buffer.from(entries[shp]));
  const { fields, records } = readDbf(dbf, cpg);
  if (records.length !== geometries.length) {
    throw broken(`${shp} has ${geometries.length} shapes but the .dbf ${records.length} records`);
  }
  const rows: ParsedRow[] = [];
  for (let i = 0; i < records.length; i++) {
    if (records[i] === null) continue; // deleted in the .dbf
    rows.push({ row: i + 1, properties: records[i]!, geometry: geometries[i] });
  }
  return { format: 'shapefile', rows, fields, declaredSrid, shortNames: true };
}

/** Signed area ×2 with y up: negative for clockwise rings (outer rings in a shapefile). */
function ringArea(ring: number[][]): number {
  let s = 0;
  // Σ (x_prev − x) (y_prev + y): the shoelace sum, negative when the ring turns clockwise.
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) s += (ring[j][0] - ring[i][0]) * (ring[j][1] + ring[i][1]);
  return s;
}

function contains(ring: number[][], p: number[]): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i];
    const [xj, yj] = ring[j];
    if (yi > p[1] !== yj > p[1] && p[0] < ((xj - xi) * (p[1] - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

function polygonsOf(rings: number[][][]): Geometry {
  const polygons: number[][][][] = [];
  const holes: number[][][] = [];
  // A part with no points (its index equal to the next one's) has nothing to place: it is left out.
  for (const r of rings) if (r.length) (ringArea(r) < 0 ? polygons.push([r]) : holes.push(r));
  if (polygons.length === 0) return { type: 'Polygon', coordinates: rings }; // all counter-clockwise: written by a lax tool
  for (const h of holes) (polygons.find((p) => contains(p[0], h[0])) ?? polygons[polygons.length - 1]).push(h);
  return polygons.length === 1 ? { type: 'Polygon', coordinates: polygons[0] } : { type: 'MultiPolygon', coordinates: polygons };
}

export function readShp(buf: Buffer): (Geometry | null)[] {
  if (buf.length < 100 || buf.readInt32BE(0) !== 9994) throw broken('the .shp is not a shapefile (its file code is not 9994)');
  const out: (Geometry | null)[] = [];
  let o = 100;
  const end = Math.min(buf.length, buf.readInt32BE(24) * 2);
  while (o + 8 <= end) {
    const length = buf.readInt32BE(o + 4) * 2;
    const c = o + 8;
    o = c + length;
    // Every record holds at least its shape type; a shorter (or negative) length would read backwards, or forever.
    if (length < 4) throw broken(`record ${out.length + 1} of the .shp has an impossible length (${length} bytes)`);
    if (o > buf.length) throw broken(`the .shp ends inside record ${out.length + 1}`);
    try {
      readRecord(buf, c, o, out);
    } catch (e) {
      // A count or part index that points past the file: reading it is Node's RangeError, the client's broken file.
      if (e instanceof RangeError) throw broken(`record ${out.length + 1} of the .shp points past the end of the file`);
      throw e;
    }
  }
  return out;
}

/** Reads the record whose content runs from `c` to `o` and appends its geometry (or null) to `out`. */
function readRecord(buf: Buffer, c: number, o: number, out: (Geometry | null)[]): void {
  const type = buf.readInt32LE(c);
  const base = type % 10 === 0 ? 0 : type > 20 ? type - 20 : type > 10 ? type - 10 : type;
  if (type === 0) {
    out.push(null);
  } else if (base === 1) {
    out.push({ type: 'Point', coordinates: [buf.readDoubleLE(c + 4), buf.readDoubleLE(c + 12)] });
  } else if (base === 8) {
    const n = buf.readInt32LE(c + 36);
    if (n > MAX_VERTICES) throw tooManyVertices(out.length + 1, new TooManyVertices(n));
    const pts = [];
    for (let i = 0; i < n; i++) pts.push([buf.readDoubleLE(c + 40 + 16 * i), buf.readDoubleLE(c + 48 + 16 * i)]);
    out.push({ type: 'MultiPoint', coordinates: pts });
  } else if (base === 3 || base === 5) {
    const nParts = buf.readInt32LE(c + 36);
    const nPoints = buf.readInt32LE(c + 40);
    // Refused from the record header alone, before a single coordinate is read.
    if (nPoints > MAX_VERTICES) throw tooManyVertices(out.length + 1, new TooManyVertices(nPoints));
    const pointsAt = c + 44 + 4 * nParts;
    if (pointsAt + 16 * nPoints > o) throw broken(`record ${out.length + 1} of the .shp is shorter than its point count says`);
    const parts: number[][][] = [];
    for (let p = 0; p < nParts; p++) {
      const from = buf.readInt32LE(c + 44 + 4 * p);
      const to = p + 1 < nParts ? buf.readInt32LE(c + 48 + 4 * p) : nPoints;
      const ring: number[][] = [];
      for (let i = from; i < to; i++) ring.push([buf.readDoubleLE(pointsAt + 16 * i), buf.readDoubleLE(pointsAt + 16 * i + 8)]);
      parts.push(ring);
    }
    if (base === 3) out.push(parts.length === 1 ? { type: 'LineString', coordinates: parts[0] } : { type: 'MultiLineString', coordinates: parts });
    else out.push(polygonsOf(parts));
  } else {
    throw broken(`shape type ${type} in the .shp is not supported (points, lines and polygons only)`);
  }
}

/** The text decoder a .cpg (or, lacking one, the dBase language driver id) asks for. */
function decoderFor(cpg: string | undefined, languageDriver: number): (b: Buffer) => string {
  const utf8 = new TextDecoder('utf-8');
  const gbk = new TextDecoder('gb18030');
  const name = cpg?.toUpperCase().replace(/[^A-Z0-9]/g, '');
  if (name && /^(UTF8|65001)$/.test(name)) return (b) => utf8.decode(b);
  if (name && /^(GBK|CP936|936|GB2312|GB18030|ANSI936)$/.test(name)) return (b) => gbk.decode(b);
  if (!name && languageDriver === 0x4d) return (b) => gbk.decode(b);
  const strict = new TextDecoder('utf-8', { fatal: true });
  return (b) => {
    try {
      return strict.decode(b);
    } catch {
      return gbk.decode(b);
    }
  };
}

export function readDbf(buf: Buffer, cpg?: string): { fields: string[]; records: (Record<string, unknown> | null)[] } {
  if (buf.length < 32) throw broken('the .dbf is too short to be a dBase file');
  const count = buf.readUInt32LE(4);
  const headerLength = buf.readUInt16LE(8);
  const recordLength = buf.readUInt16LE(10);
  const decode = decoderFor(cpg, buf[29]);
  const fields: { name: string; type: string; length: number; offset: number }[] = [];
  let offset = 1;
  for (let o = 32; o + 32 <= headerLength && buf[o] !== 0x0d; o += 32) {
    const raw = buf.subarray(o, o + 11);
    const name = decode(raw.subarray(0, raw.indexOf(0) >= 0 ? raw.indexOf(0) : 11)).trim();
    const length = buf[o + 16];
    fields.push({ name, type: String.fromCharCode(buf[o + 11]), length, offset });
    offset += length;
  }
  // A record holds at least its deletion flag: with length 0, any record count would "fit" (billions of empty records).
  if (recordLength < 1 || headerLength + count * recordLength > buf.length + 1) throw broken('the .dbf is shorter than its header says');
  const records: (Record<string, unknown> | null)[] = [];
  for (let r = 0; r < count; r++) {
    const at = headerLength + r * recordLength;
    if (buf[at] === 0x2a) {
      records.push(null);
      continue;
    }
    const rec: Record<string, unknown> = {};
    for (const f of fields) {
      const cell = buf.subarray(at + f.offset, at + f.offset + f.length);
      let v: unknown;
      switch (f.type) {
        case 'N':
        case 'F': {
          const s = cell.toString('latin1').trim();
          v = s === '' || /^\*+$/.test(s) ? null : Number(s);
          break;
        }
        case 'L': {
          const s = cell.toString('latin1').trim().toUpperCase();
          v = 'TY'.includes(s) && s ? true : 'FN'.includes(s) && s ? false : null;
          break;
        }
        case 'D': {
          const s = cell.toString('latin1').trim();
          // GDAL writes an empty date as 00000000.
          v = /^\d{8}$/.test(s) && s !== '00000000' ? `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}` : null;
          break;
        }
        default: {
          const s = decode(cell).replace(/[\s\0]+$/, '').replace(/^\s+/, '');
          v = s === '' ? null : s;
        }
      }
      rec[f.name] = v;
    }
    records.push(rec);
  }
  return { fields: fields.map((f) => f.name), records };
}
