/**
 * Writes a Mapbox Vector Tile (vector_tile.proto, version 2) from features already in tile units:
 * the protobuf by hand, since a tile needs only varints, packed varints, strings and doubles. Like
 * tile-geometry.ts, it makes no closure or key string per feature: allocation was most of the cost.
 */
import { POINT, POLYGON, type TileGeometry } from './tile-geometry.ts';

export interface TileFeature {
  geometry: TileGeometry;
  /** The layer's attribute values, in the order of its keys; null and undefined are left out, as ST_AsMVT leaves out NULLs. */
  values: readonly unknown[];
}

/** A growable protobuf buffer. */
class ProtoWriter {
  buf = Buffer.allocUnsafe(64 * 1024);
  pos = 0;

  private room(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + n));
    this.buf.copy(bigger, 0, 0, this.pos);
    this.buf = bigger;
  }

  varint(v: number): void {
    this.room(10);
    // Values here are below 2^53 (uint32 mostly); division keeps them exact past 2^31.
    while (v >= 0x80) {
      this.buf[this.pos++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    this.buf[this.pos++] = v;
  }

  tag(field: number, wireType: 0 | 1 | 2): void {
    this.varint((field << 3) | wireType);
  }

  double(field: number, v: number): void {
    this.tag(field, 1);
    this.room(8);
    this.buf.writeDoubleLE(v, this.pos);
    this.pos += 8;
  }

  string(field: number, s: string): void {
    this.tag(field, 2);
    const n = Buffer.byteLength(s);
    this.varint(n);
    this.room(n);
    this.pos += this.buf.write(s, this.pos);
  }

  /** Opens a length-delimited field; returns where its content starts, for `end`. */
  begin(field: number): number {
    this.tag(field, 2);
    // One byte kept for the length; `end` moves the content along when the length needs more.
    this.room(1);
    return ++this.pos;
  }

  end(start: number): void {
    const len = this.pos - start;
    let size = 1;
    for (let v = len; v >= 0x80; v = Math.floor(v / 0x80)) size++;
    if (size > 1) {
      this.room(size - 1);
      this.buf.copy(this.buf, start + size - 1, start, this.pos);
      this.pos += size - 1;
    }
    const after = this.pos;
    this.pos = start - 1;
    this.varint(len);
    this.pos = after;
  }

  bytes(): Uint8Array {
    return this.buf.subarray(0, this.pos);
  }
}

const zigzag = (n: number) => (n << 1) ^ (n >> 31);
const command = (id: number, count: number) => (id & 7) | (count << 3);
const MOVE_TO = 1;
const LINE_TO = 2;
const CLOSE_PATH = 7;

/** The geometry as packed MVT commands: MoveTo/LineTo with zigzag deltas from one cursor across all parts. */
function writeGeometry(w: ProtoWriter, g: TileGeometry): void {
  const start = w.begin(4);
  let cx = 0;
  let cy = 0;
  for (const p of g.parts) {
    const n = p.length / 2;
    if (g.type === POINT) w.varint(command(MOVE_TO, n));
    for (let i = 0; i < n; i++) {
      if (g.type !== POINT && i < 2) w.varint(i === 0 ? command(MOVE_TO, 1) : command(LINE_TO, n - 1));
      const x = p[2 * i];
      const y = p[2 * i + 1];
      w.varint(zigzag(x - cx));
      w.varint(zigzag(y - cy));
      cx = x;
      cy = y;
    }
    if (g.type === POLYGON) w.varint(command(CLOSE_PATH, 1));
  }
  w.end(start);
}

/** The Value message's field for a value, as ST_AsMVT chooses it. */
function writeValue(w: ProtoWriter, v: string | number | boolean): void {
  const start = w.begin(4);
  if (typeof v === 'string') w.string(1, v);
  else if (typeof v === 'boolean') {
    w.tag(7, 0);
    w.varint(v ? 1 : 0);
  } else if (Number.isInteger(v) && Math.abs(v) < 2 ** 31) {
    // uint_value for naturals, sint_value (zigzag) for negatives.
    w.tag(v >= 0 ? 5 : 6, 0);
    w.varint(v >= 0 ? v : zigzag(v));
  } else w.double(3, v);
  w.end(start);
}

/**
 * One tile holding one layer; an empty buffer when there is no feature. `keys` are the layer's
 * attribute names; each feature's values follow their order. Equal values are stored once.
 */
export function writeTile(layerName: string, keys: readonly string[], features: TileFeature[], extent: number): Uint8Array {
  if (features.length === 0) return new Uint8Array(0);
  const strings = new Map<string, number>();
  const numbers = new Map<number, number>();
  const booleans = new Map<boolean, number>();
  const values: (string | number | boolean)[] = [];
  const indexOf = (v: string | number | boolean): number => {
    const map = (typeof v === 'string' ? strings : typeof v === 'number' ? numbers : booleans) as Map<typeof v, number>;
    let i = map.get(v);
    if (i === undefined) {
      i = values.push(v) - 1;
      map.set(v, i);
    }
    return i;
  };
  const w = new ProtoWriter();
  const layer = w.begin(3);
  w.tag(15, 0);
  w.varint(2);
  w.string(1, layerName);
  for (const f of features) {
    const feature = w.begin(2);
    const tags = w.begin(2);
    for (let k = 0; k < keys.length; k++) {
      const raw = f.values[k];
      if (raw === null || raw === undefined) continue;
      w.varint(k);
      w.varint(indexOf(typeof raw === 'string' || typeof raw === 'number' || typeof raw === 'boolean' ? raw : String(raw)));
    }
    w.end(tags);
    w.tag(3, 0);
    w.varint(f.geometry.type);
    writeGeometry(w, f.geometry);
    w.end(feature);
  }
  for (const key of keys) w.string(3, key);
  for (const v of values) writeValue(w, v);
  w.tag(5, 0);
  w.varint(extent);
  w.end(layer);
  return w.bytes();
}
