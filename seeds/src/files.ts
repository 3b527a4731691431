/**
 * The demo zone on disk: one NDJSON file per table (one row per line, exactly the rows
 * `generateDemoZone` returns, so they load back unchanged) and, for the spatial tables, a GeoJSON
 * FeatureCollection that QGIS or GDAL opens directly. Both are written as the stream produces them,
 * so a zone of a million parcels is written with flat memory.
 */
import { createHash, type Hash } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, mkdirSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { TABLES } from './load.ts';
import type { ZoneChunk, ZoneTable } from './types.ts';

export interface WrittenFile { file: string; rows: number; bytes: number; sha256: string }

/** One output file: buffered, hashed, and paused when the disk falls behind. */
class OutputFile {
  private readonly out: WriteStream;
  private readonly hash: Hash = createHash('sha256');
  private pending: string[] = [];
  private pendingChars = 0;
  rows = 0;
  bytes = 0;

  constructor(readonly path: string, readonly name: string) {
    this.out = createWriteStream(path);
  }

  async write(text: string): Promise<void> {
    this.pending.push(text);
    this.pendingChars += text.length;
    if (this.pendingChars > 1 << 20) await this.flush();
  }

  private async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    const buf = Buffer.from(this.pending.join(''), 'utf8');
    this.pending = [];
    this.pendingChars = 0;
    this.hash.update(buf);
    this.bytes += buf.length;
    if (!this.out.write(buf)) await new Promise<void>((resolve) => this.out.once('drain', () => resolve()));
  }

  async close(): Promise<WrittenFile> {
    await this.flush();
    await new Promise<void>((resolve, reject) => this.out.end((err?: Error | null) => (err ? reject(err) : resolve())));
    return { file: this.name, rows: this.rows, bytes: this.bytes, sha256: this.hash.digest('hex') };
  }
}

export interface WriteOptions {
  /** Also write GeoJSON FeatureCollections of the spatial tables (default true). */
  geojson?: boolean;
}

/** Writes a stream of zone chunks into `dir`; returns what was written, file by file. */
export async function writeZoneFiles(
  dir: string, chunks: Iterable<ZoneChunk>, options: WriteOptions = {},
): Promise<WrittenFile[]> {
  mkdirSync(dir, { recursive: true });
  const geojson = options.geojson ?? true;
  const ndjson = new Map<ZoneTable, OutputFile>();
  const features = new Map<ZoneTable, OutputFile>();
  for (const t of TABLES) {
    ndjson.set(t.key, new OutputFile(join(dir, `${t.key}.ndjson`), `${t.key}.ndjson`));
    if (geojson && t.geom) {
      const f = new OutputFile(join(dir, `${t.key}.geojson`), `${t.key}.geojson`);
      await f.write('{"type":"FeatureCollection","features":[\n');
      features.set(t.key, f);
    }
  }
  for (const chunk of chunks) {
    const nd = ndjson.get(chunk.table)!;
    const fc = features.get(chunk.table);
    for (const row of chunk.rows as unknown as Record<string, unknown>[]) {
      await nd.write(JSON.stringify(row) + '\n');
      nd.rows++;
      if (fc) {
        const { geom, ...properties } = row;
        await fc.write(`${fc.rows > 0 ? ',\n' : ''}${JSON.stringify({ type: 'Feature', properties, geometry: geom })}`);
        fc.rows++;
      }
    }
  }
  const written: WrittenFile[] = [];
  for (const t of TABLES) {
    written.push(await ndjson.get(t.key)!.close());
    const fc = features.get(t.key);
    if (fc) {
      await fc.write('\n]}\n');
      written.push(await fc.close());
    }
  }
  return written;
}

/**
 * Reads a zone written by `writeZoneFiles` back as chunks of `batch` rows, table by table in
 * foreign-key order: ready for `loadZoneChunks`, without holding more than a batch in memory.
 */
export async function* readZoneFiles(dir: string, batch = 4000): AsyncGenerator<ZoneChunk> {
  for (const t of TABLES) {
    const path = join(dir, `${t.key}.ndjson`);
    if (!existsSync(path)) throw new Error(`${path} is missing: not a zone written by the seeds CLI`);
    const lines = createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity });
    let rows: unknown[] = [];
    for await (const line of lines) {
      if (!line) continue;
      rows.push(JSON.parse(line));
      if (rows.length >= batch) {
        yield { table: t.key, rows } as ZoneChunk;
        rows = [];
      }
    }
    if (rows.length) yield { table: t.key, rows } as ZoneChunk;
  }
}
