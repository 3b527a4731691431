/**
 * Geometries as the import parsers hand them on: GeoJSON objects in the file's own coordinates
 * (x = easting or longitude). Readers for the two encodings files carry besides GeoJSON: WKT (CSV
 * columns) and WKB (GeoPackage blobs, after their header). Every reader counts vertices as it goes
 * and gives up as soon as one feature exceeds the limit, before building its coordinates.
 */
import { ApiProblem } from '../../errors.ts';

export interface Geometry {
  type: 'Point' | 'LineString' | 'Polygon' | 'MultiPoint' | 'MultiLineString' | 'MultiPolygon';
  coordinates: unknown;
}

/** The largest number of vertices one feature may have (issue 6: a million-vertex polygon is refused). */
export const MAX_VERTICES = 1_000_000;

export class TooManyVertices extends Error {
  constructor(readonly count: number) {
    super(`has more than ${MAX_VERTICES.toLocaleString('en')} vertices (${count.toLocaleString('en')} counted)`);
  }
}

/** The refusal a parser sends for a feature with too many vertices: fast, before any database work. */
export function tooManyVertices(row: number, e: TooManyVertices): ApiProblem {
  return new ApiProblem(
    422,
    'too_many_vertices',
    `row ${row}: the geometry ${e.message}; simplify it (e.g. ogr2ogr -simplify) or split it before importing`,
    'geometry',
  );
}

/** Counts the positions of a GeoJSON geometry, stopping past `limit`. */
export function countVertices(g: { type?: unknown; coordinates?: unknown }, limit = MAX_VERTICES): number {
  let n = 0;
  const walk = (c: unknown, depth: number): void => {
    if (!Array.isArray(c)) return;
    if (depth === 0) {
      n++;
      return;
    }
    for (const x of c) {
      walk(x, depth - 1);
      if (n > limit) throw new TooManyVertices(n);
    }
  };
  const depth = { Point: 0, MultiPoint: 1, LineString: 1, MultiLineString: 2, Polygon: 2, MultiPolygon: 3 }[String(g.type)] ?? 0;
  walk(g.coordinates, depth);
  return n;
}

/** The geometry family: Polygon and MultiPolygon are one kind for a layer, as GIS tools treat them. */
export function familyOf(type: string): string {
  return type.replace(/^Multi/, '');
}

// ---- WKB (ISO and extended: Z, M, ZM type codes, big or little endian) ----

const WKB_TYPES = ['', 'Point', 'LineString', 'Polygon', 'MultiPoint', 'MultiLineString', 'MultiPolygon'] as const;

/** Reads one WKB geometry from `buf` at `start` as 2D GeoJSON (heights and measures dropped). */
export function readWkb(buf: Buffer, start = 0, limit = MAX_VERTICES): Geometry {
  let o = start;
  let vertices = 0;
  const need = (bytes: number) => {
    if (o + bytes > buf.length) throw new Error('the WKB geometry ends early');
  };
  const read = (): Geometry => {
    need(5);
    const le = buf[o] === 1;
    o += 1;
    let code = le ? buf.readUInt32LE(o) : buf.readUInt32BE(o);
    o += 4;
    // EWKB flags (PostGIS) and ISO offsets (1000 Z, 2000 M, 3000 ZM)
    let dims = 2;
    if (code & 0x80000000) dims++;
    if (code & 0x40000000) dims++;
    if (code & 0x20000000) {
      need(4);
      o += 4; // SRID
    }
    code &= 0x0fffffff;
    if (code >= 1000) {
      const iso = Math.floor(code / 1000);
      dims = iso === 3 ? 4 : 3;
      code %= 1000;
    }
    const u32 = () => {
      need(4);
      const v = le ? buf.readUInt32LE(o) : buf.readUInt32BE(o);
      o += 4;
      return v;
    };
    const point = (): number[] => {
      need(8 * dims);
      const x = le ? buf.readDoubleLE(o) : buf.readDoubleBE(o);
      const y = le ? buf.readDoubleLE(o + 8) : buf.readDoubleBE(o + 8);
      o += 8 * dims;
      return [x, y];
    };
    const points = (): number[][] => {
      const n = u32();
      vertices += n;
      if (vertices > limit) throw new TooManyVertices(vertices);
      need(n * 8 * dims);
      const out = new Array<number[]>(n);
      for (let i = 0; i < n; i++) out[i] = point();
      return out;
    };
    const type = WKB_TYPES[code];
    switch (type) {
      case 'Point':
        vertices++;
        return { type, coordinates: point() };
      case 'LineString':
        return { type, coordinates: points() };
      case 'Polygon': {
        const n = u32();
        const rings = [];
        for (let i = 0; i < n; i++) rings.push(points());
        return { type, coordinates: rings };
      }
      case 'MultiPoint':
      case 'MultiLineString':
      case 'MultiPolygon': {
        const n = u32();
        const parts = [];
        for (let i = 0; i < n; i++) parts.push(read().coordinates);
        return { type, coordinates: parts };
      }
      default:
        throw new Error(`WKB geometry type ${code} is not supported (points, lines and polygons only)`);
    }
  };
  return read();
}

/**
 * Writes a GeoJSON geometry as little-endian ISO WKB in hex, the form PostGIS reads fastest
 * (`'…'::geometry`): the import sends each geometry to the database once, this way, rather than as
 * GeoJSON text for PostGIS to parse. Positions keep a height when the first one has it.
 */
export function wkbHex(g: Geometry): string {
  const first = (c: unknown): unknown => (Array.isArray(c) && Array.isArray(c[0]) ? first(c[0]) : c);
  const dims = ((first(g.coordinates) as number[] | undefined)?.length ?? 2) > 2 ? 3 : 2;
  // Sized first, written once: one buffer per geometry.
  const size = (c: unknown, type: string): number => {
    const cs = c as unknown[];
    if (type === 'Point') return 5 + 8 * dims;
    if (type === 'LineString') return 9 + cs.length * 8 * dims;
    if (type === 'Polygon') return 9 + cs.reduce<number>((n, ring) => n + 4 + (ring as unknown[]).length * 8 * dims, 0);
    const part = type.slice(5);
    return 9 + cs.reduce<number>((n, x) => n + size(x, part), 0);
  };
  const buf = Buffer.allocUnsafe(size(g.coordinates, g.type));
  let o = 0;
  const head = (code: number) => {
    buf[o] = 1;
    buf.writeUInt32LE(dims === 3 ? code + 1000 : code, o + 1);
    o += 5;
  };
  const u32 = (n: number) => {
    buf.writeUInt32LE(n, o);
    o += 4;
  };
  const point = (p: number[]) => {
    buf.writeDoubleLE(p[0], o);
    buf.writeDoubleLE(p[1], o + 8);
    if (dims === 3) buf.writeDoubleLE(p[2] ?? 0, o + 16);
    o += 8 * dims;
  };
  const points = (ps: number[][]) => {
    u32(ps.length);
    for (const p of ps) point(p);
  };
  const write = (c: unknown, type: string): void => {
    const code = WKB_TYPES.indexOf(type as (typeof WKB_TYPES)[number]);
    head(code);
    if (type === 'Point') point(c as number[]);
    else if (type === 'LineString') points(c as number[][]);
    else if (type === 'Polygon') {
      u32((c as unknown[]).length);
      for (const ring of c as number[][][]) points(ring);
    } else {
      u32((c as unknown[]).length);
      for (const part of c as unknown[]) write(part, type.slice(5));
    }
  };
  write(g.coordinates, g.type);
  return buf.toString('hex');
}

// ---- WKT ----

/** Parses OGC WKT (2D, 3D or with M; EMPTY not accepted) into GeoJSON. */
export function parseWkt(text: string, limit = MAX_VERTICES): Geometry {
  const s = text.trim().replace(/^SRID=\d+;/i, '');
  let i = 0;
  let vertices = 0;
  const fail = (what: string): never => {
    throw new Error(`WKT: ${what} at character ${i + 1}`);
  };
  const ws = () => {
    while (i < s.length && /\s/.test(s[i])) i++;
  };
  const word = () => {
    ws();
    const m = /^[A-Za-z]+/.exec(s.slice(i, i + 30));
    if (!m) fail('a geometry type is expected');
    i += m![0].length;
    return m![0].toUpperCase();
  };
  const expect = (ch: string) => {
    ws();
    if (s[i] !== ch) fail(`'${ch}' is expected`);
    i++;
  };
  const position = (): number[] => {
    const nums: number[] = [];
    for (;;) {
      ws();
      const m = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?/.exec(s.slice(i, i + 40));
      if (!m) break;
      nums.push(Number(m[0]));
      i += m[0].length;
    }
    if (nums.length < 2) fail('a position needs at least two numbers');
    if (++vertices > limit) throw new TooManyVertices(vertices);
    return nums.slice(0, 2);
  };
  const list = <T>(item: () => T): T[] => {
    expect('(');
    const out = [item()];
    for (;;) {
      ws();
      if (s[i] === ',') {
        i++;
        out.push(item());
      } else break;
    }
    expect(')');
    return out;
  };
  // MULTIPOINT allows both (1 2, 3 4) and ((1 2), (3 4)).
  const multiPointItem = () => {
    ws();
    if (s[i] === '(') {
      i++;
      const p = position();
      expect(')');
      return p;
    }
    return position();
  };
  const type = word();
  ws();
  const dim = /^(ZM|Z|M)\b/i.exec(s.slice(i));
  if (dim) i += dim[0].length;
  ws();
  if (/^EMPTY/i.test(s.slice(i))) fail('EMPTY geometries cannot be imported');
  let g: Geometry;
  switch (type) {
    case 'POINT':
      g = { type: 'Point', coordinates: list(position)[0] };
      break;
    case 'LINESTRING':
      g = { type: 'LineString', coordinates: list(position) };
      break;
    case 'POLYGON':
      g = { type: 'Polygon', coordinates: list(() => list(position)) };
      break;
    case 'MULTIPOINT':
      g = { type: 'MultiPoint', coordinates: list(multiPointItem) };
      break;
    case 'MULTILINESTRING':
      g = { type: 'MultiLineString', coordinates: list(() => list(position)) };
      break;
    case 'MULTIPOLYGON':
      g = { type: 'MultiPolygon', coordinates: list(() => list(() => list(position))) };
      break;
    default:
      return fail(`geometry type ${type} is not supported`);
  }
  ws();
  if (i !== s.length) fail('unexpected text after the geometry');
  return g;
}
