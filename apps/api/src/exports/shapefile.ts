/**
 * An ESRI Shapefile (1998 technical description) as a zip of .shp, .shx, .dbf, .prj and .cpg.
 * Polygons are written with clockwise outer rings (PostGIS ST_ForcePolygonCW), as the format
 * wants. The .dbf is dBase III with UTF-8 text, and the .cpg says `UTF-8` so GDAL, QGIS and
 * ArcGIS read Chinese attributes back. Field widths follow the data: the attributes are spooled to
 * a temporary file while the geometry is written, measured, then laid out in the .dbf.
 *
 * Field names are cut to dBase's 10 characters, deterministically: see `dbfFieldNames`.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { open, stat, writeFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { once } from 'node:events';
import { join } from 'node:path';
import { Zip, ZipDeflate } from 'fflate';
import type { CollectionInfo, Column } from '../ogc/catalog.ts';
import { asBuffer, type ExportRow } from './source.ts';
import { readPolygonal } from './wkb.ts';

/**
 * dBase field names (at most 10 ASCII characters) for the attribute names, in order: a name that
 * fits is kept; a longer one is cut to 10; if that was already taken, to 8 plus a two-digit
 * number (01, 02 …). The same attributes always give the same names.
 */
export function dbfFieldNames(names: readonly string[]): string[] {
  const taken = new Set<string>();
  return names.map((name) => {
    const ascii = name.replace(/[^A-Za-z0-9_]/g, '_');
    let short = ascii.slice(0, 10);
    for (let n = 1; taken.has(short.toLowerCase()); n++) short = `${ascii.slice(0, 8)}${String(n).padStart(2, '0')}`;
    taken.add(short.toLowerCase());
    return short;
  });
}

interface FieldPlan {
  column: Column;
  name: string;
  type: 'C' | 'N' | 'L' | 'D';
  width: number;
  decimals: number;
  /** Measured while spooling: widest text in bytes, widest integer part, most decimals. */
  maxBytes: number;
  maxInt: number;
  maxDecimals: number;
}

const MAX_C = 254;

function textOf(c: Column, v: unknown): string {
  if (c.type === 'array' && Array.isArray(v)) return v.join(';');
  if (c.type === 'date-time') return new Date(String(v)).toISOString();
  return String(v);
}

/** Cuts a UTF-8 string to at most `bytes` bytes without splitting a character. */
function utf8Prefix(s: string, bytes: number): Buffer {
  const b = Buffer.from(s, 'utf8');
  if (b.length <= bytes) return b;
  let end = bytes;
  while (end > 0 && (b[end] & 0xc0) === 0x80) end--;
  return b.subarray(0, end);
}

function measure(plan: FieldPlan, v: unknown): void {
  if (v === null || v === undefined) return;
  if (plan.type === 'N') {
    const s = Math.abs(v as number) >= 1e21 ? (v as number).toFixed(0) : String(v);
    const [int, dec = ''] = s.replace(/e.*$/i, '').split('.');
    plan.maxInt = Math.max(plan.maxInt, int.length);
    plan.maxDecimals = Math.max(plan.maxDecimals, /e-/i.test(s) ? 15 : dec.length);
  } else if (plan.type === 'C') {
    plan.maxBytes = Math.max(plan.maxBytes, Buffer.byteLength(textOf(plan.column, v), 'utf8'));
  }
}

function planFields(columns: Column[]): FieldPlan[] {
  const names = dbfFieldNames(columns.map((c) => c.name));
  return columns.map((column, i) => {
    const type = column.type === 'integer' || column.type === 'number' ? 'N' : column.type === 'boolean' ? 'L' : column.type === 'date' ? 'D' : 'C';
    return { column, name: names[i], type, width: 0, decimals: 0, maxBytes: 1, maxInt: 1, maxDecimals: 0 };
  });
}

function finishPlan(plan: FieldPlan): void {
  if (plan.type === 'N') {
    plan.decimals = Math.min(plan.maxDecimals, 15);
    plan.width = Math.min(plan.maxInt + (plan.decimals ? plan.decimals + 1 : 0), 254);
  } else if (plan.type === 'C') plan.width = Math.min(plan.maxBytes, MAX_C);
  else if (plan.type === 'L') plan.width = 1;
  else plan.width = 8;
}

function dbfHeader(plans: FieldPlan[], records: number): Buffer {
  const headerLength = 32 + 32 * plans.length + 1;
  const recordLength = 1 + plans.reduce((s, p) => s + p.width, 0);
  const h = Buffer.alloc(headerLength);
  const now = new Date();
  h.writeUInt8(0x03, 0);
  h.writeUInt8(now.getUTCFullYear() - 1900, 1);
  h.writeUInt8(now.getUTCMonth() + 1, 2);
  h.writeUInt8(now.getUTCDate(), 3);
  h.writeUInt32LE(records, 4);
  h.writeUInt16LE(headerLength, 8);
  h.writeUInt16LE(recordLength, 10);
  plans.forEach((p, i) => {
    const o = 32 + 32 * i;
    h.write(p.name, o, 10, 'ascii');
    h.write(p.type, o + 11, 1, 'ascii');
    h.writeUInt8(p.width, o + 16);
    h.writeUInt8(p.decimals, o + 17);
  });
  h.writeUInt8(0x0d, headerLength - 1);
  return h;
}

function dbfRecord(plans: FieldPlan[], values: Record<string, unknown>): Buffer {
  const rec = Buffer.alloc(1 + plans.reduce((s, p) => s + p.width, 0), 0x20);
  let o = 1;
  for (const p of plans) {
    const v = values[p.column.name];
    if (v !== null && v !== undefined) {
      let text: Buffer;
      if (p.type === 'N') text = Buffer.from((v as number).toFixed(p.decimals).padStart(p.width, ' ').slice(-p.width), 'ascii');
      else if (p.type === 'L') text = Buffer.from(v ? 'T' : 'F', 'ascii');
      else if (p.type === 'D') text = Buffer.from(String(v).replaceAll('-', '').slice(0, 8), 'ascii');
      else text = utf8Prefix(textOf(p.column, v), p.width);
      text.copy(rec, o);
    } else if (p.type === 'L') {
      rec.write('?', o, 'ascii');
    }
    o += p.width;
  }
  return rec;
}

function shpHeader(fileWords: number, bbox: number[]): Buffer {
  const h = Buffer.alloc(100);
  h.writeInt32BE(9994, 0);
  h.writeInt32BE(fileWords, 24);
  h.writeInt32LE(1000, 28);
  h.writeInt32LE(5, 32); // Polygon
  bbox.forEach((v, i) => h.writeDoubleLE(v, 36 + 8 * i));
  return h;
}

/** One Polygon record (shape type 5): every ring of every part, with its bounding box. */
function polygonRecord(n: number, wkb: Buffer): { record: Buffer; bbox: [number, number, number, number] } {
  const { rings, bbox } = readPolygonal(wkb);
  const points = rings.reduce((s, r) => s + r.length / 2, 0);
  const content = 44 + 4 * rings.length + 16 * points;
  const rec = Buffer.alloc(8 + content);
  rec.writeInt32BE(n, 0);
  rec.writeInt32BE(content / 2, 4);
  rec.writeInt32LE(5, 8);
  rec.writeDoubleLE(bbox[0], 12);
  rec.writeDoubleLE(bbox[1], 20);
  rec.writeDoubleLE(bbox[2], 28);
  rec.writeDoubleLE(bbox[3], 36);
  rec.writeInt32LE(rings.length, 44);
  rec.writeInt32LE(points, 48);
  let o = 52;
  let start = 0;
  for (const r of rings) {
    rec.writeInt32LE(start, o);
    o += 4;
    start += r.length / 2;
  }
  for (const r of rings) {
    for (const v of r) {
      rec.writeDoubleLE(v, o);
      o += 8;
    }
  }
  return { record: rec, bbox };
}

/**
 * Writes `<dir>/<name>.shp.zip` from rows whose geometry is WKB with clockwise outer rings.
 * Returns the zip's path and the number of features.
 */
export async function writeShapefileZip(dir: string, info: CollectionInfo, prjWkt: string, chunks: AsyncIterable<ExportRow[]>): Promise<{ path: string; count: number }> {
  const name = info.def.name;
  const shpPath = join(dir, `${name}.shp`);
  const shxPath = join(dir, `${name}.shx`);
  const dbfPath = join(dir, `${name}.dbf`);
  const spoolPath = join(dir, 'attributes.jsonl');
  const plans = planFields(info.columns);

  const shp = await open(shpPath, 'w');
  const shx = await open(shxPath, 'w');
  const spool = await open(spoolPath, 'w');
  let count = 0;
  let shpOffset = 100;
  const bbox = [Infinity, Infinity, -Infinity, -Infinity];
  try {
    await shp.write(Buffer.alloc(100), 0, 100, 0);
    await shx.write(Buffer.alloc(100), 0, 100, 0);
    for await (const rows of chunks) {
      const shpParts: Buffer[] = [];
      const shxPart = Buffer.alloc(8 * rows.length);
      let lines = '';
      rows.forEach((r, i) => {
        const { record, bbox: b } = polygonRecord(++count, asBuffer(r.geom));
        shxPart.writeInt32BE(shpOffset / 2, 8 * i);
        shxPart.writeInt32BE((record.length - 8) / 2, 8 * i + 4);
        shpOffset += record.length;
        shpParts.push(record);
        if (b[0] < bbox[0]) bbox[0] = b[0];
        if (b[1] < bbox[1]) bbox[1] = b[1];
        if (b[2] > bbox[2]) bbox[2] = b[2];
        if (b[3] > bbox[3]) bbox[3] = b[3];
        const values = JSON.parse(r.props) as Record<string, unknown>;
        for (const p of plans) measure(p, values[p.column.name]);
        lines += JSON.stringify(values) + '\n';
      });
      // Positioned writes throughout: a write at an explicit position does not move the file's offset.
      const body = Buffer.concat(shpParts);
      await shp.write(body, 0, body.length, shpOffset - body.length);
      await shx.write(shxPart, 0, shxPart.length, 100 + 8 * (count - rows.length));
      await spool.write(lines);
    }
    const box = count ? [...bbox, 0, 0, 0, 0] : [0, 0, 0, 0, 0, 0, 0, 0];
    await shp.write(shpHeader(shpOffset / 2, box), 0, 100, 0);
    await shx.write(shxHeader(count, box), 0, 100, 0);
  } finally {
    await shp.close();
    await shx.close();
    await spool.close();
  }

  // The .dbf, now that every width is known.
  plans.forEach(finishPlan);
  const dbf = createWriteStream(dbfPath);
  dbf.write(dbfHeader(plans, count));
  const lines = createInterface({ input: createReadStream(spoolPath, 'utf8'), crlfDelay: Infinity });
  for await (const line of lines) {
    if (!dbf.write(dbfRecord(plans, JSON.parse(line)))) await once(dbf, 'drain');
  }
  dbf.end(Buffer.from([0x1a]));
  await once(dbf, 'finish');

  await writeFile(join(dir, `${name}.prj`), prjWkt);
  await writeFile(join(dir, `${name}.cpg`), 'UTF-8');

  const zipPath = join(dir, `${name}.shp.zip`);
  await zipFiles(zipPath, [`${name}.shp`, `${name}.shx`, `${name}.dbf`, `${name}.prj`, `${name}.cpg`].map((f) => ({ name: f, path: join(dir, f) })));
  return { path: zipPath, count };
}

function shxHeader(records: number, bbox: number[]): Buffer {
  return shpHeader((100 + 8 * records) / 2, bbox);
}

/** Streams files into a deflated zip, never holding more than a read buffer of each. */
async function zipFiles(zipPath: string, files: { name: string; path: string }[]): Promise<void> {
  const out = createWriteStream(zipPath);
  let failure: Error | undefined;
  const done = new Promise<void>((resolve, reject) => {
    out.on('finish', resolve);
    out.on('error', reject);
  });
  const zip = new Zip((err, data, final) => {
    if (err) failure = err;
    else out.write(data);
    if (final || err) out.end();
  });
  for (const f of files) {
    const entry = new ZipDeflate(f.name, { level: 6 });
    zip.add(entry);
    if ((await stat(f.path)).size === 0) {
      entry.push(new Uint8Array(0), true);
      continue;
    }
    const stream = createReadStream(f.path, { highWaterMark: 1 << 20 });
    let pending: Buffer | undefined;
    for await (const chunk of stream) {
      if (pending) entry.push(pending);
      pending = chunk as Buffer;
      if (out.writableNeedDrain) await once(out, 'drain');
    }
    entry.push(pending ?? new Uint8Array(0), true);
  }
  zip.end();
  await done;
  if (failure) throw failure;
}
