/**
 * A least-recently-used cache of encoded tiles, bounded by bytes. Each entry remembers the layer
 * version it was built at; a lookup at another version misses, so a write makes the old entries
 * unreachable at once (and they age out as new tiles come in).
 */
export interface CachedTile {
  version: string;
  /** The encoded tile; empty when the tile has no features (served as 204). */
  body: Uint8Array;
  /** The same, gzip-compressed: made on the first request that accepts gzip, then made smaller once (TileService.gzipped). */
  gzip?: Promise<Uint8Array>;
  /** Size of the gzip copy once made, counted in the cache's budget. */
  gzipBytes?: number;
}

/** Bytes counted for an entry besides its bodies: key, object and Map overhead. */
export const ENTRY_OVERHEAD = 200;

export class TileCache {
  private readonly entries = new Map<string, CachedTile>();
  private bytes = 0;
  hits = 0;
  misses = 0;

  constructor(private readonly maxBytes: number) {}

  get(key: string, version: string): CachedTile | undefined {
    const entry = this.entries.get(key);
    if (!entry || entry.version !== version) {
      this.misses++;
      return undefined;
    }
    // Map keeps insertion order: re-inserting marks the entry most recently used.
    this.entries.delete(key);
    this.entries.set(key, entry);
    this.hits++;
    return entry;
  }

  set(key: string, entry: CachedTile): void {
    this.delete(key);
    const size = sizeOf(entry);
    if (size > this.maxBytes) return;
    this.entries.set(key, entry);
    this.bytes += size;
    for (const [oldest, old] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(oldest);
      this.bytes -= sizeOf(old);
    }
  }

  /** Whether this very entry is the one cached under the key. */
  holds(key: string, entry: CachedTile): boolean {
    return this.entries.get(key) === entry;
  }

  /** Records that an entry grew or shrank (its gzip copy was added or replaced), if it is still the one cached there. */
  grew(key: string, entry: CachedTile, by: number): void {
    if (this.holds(key, entry)) this.bytes += by;
  }

  delete(key: string): void {
    const old = this.entries.get(key);
    if (old) {
      this.entries.delete(key);
      this.bytes -= sizeOf(old);
    }
  }

  get size(): number {
    return this.entries.size;
  }

  get byteSize(): number {
    return this.bytes;
  }
}

function sizeOf(e: CachedTile): number {
  return e.body.byteLength + (e.gzipBytes ?? 0) + ENTRY_OVERHEAD;
}
