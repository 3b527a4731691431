import { promisify } from 'node:util';
import { gzip as gzipCallback, gzipSync } from 'node:zlib';
import type { Db } from '@parkatlas/db';
import { encodeWithJs } from './encode-js.ts';
import { encodeWithPostgis } from './encode-postgis.ts';
import { LayerVersions } from './layer-versions.ts';
import { tileLayers, type LayerSqlContext, type TileLayer } from './layers.ts';
import type { TileAddress } from './tile-address.ts';
import { TileCache, type CachedTile } from './tile-cache.ts';

const gzip = promisify(gzipCallback);

/** zlib levels: the first answer of a new tile, and the form a cached tile keeps (see `gzipped`). */
const FIRST_GZIP_LEVEL = 1;
const KEPT_GZIP_LEVEL = 6;

/**
 * Below this size a tile is compressed on the calling thread: under a millisecond at level 1, and
 * 0.15–0.25 ms less than through zlib's thread pool for z15–z16 tiles (bench/tile-encode.ts). Larger
 * ones go to the pool, so the event loop stays free for other requests meanwhile.
 */
const SYNC_GZIP_BYTES = 64 * 1024;

/** A tile's key in the cache: its address, whatever the version. */
function cacheKey(t: TileAddress): string {
  return `${t.layer}/${t.z}/${t.x}/${t.y}`;
}

/** A new tile's first gzip form (see `TileService.gzipped`). */
export function gzipFirst(body: Uint8Array): Promise<Uint8Array> {
  return body.byteLength < SYNC_GZIP_BYTES ? Promise.resolve(gzipSync(body, { level: FIRST_GZIP_LEVEL })) : gzip(body, { level: FIRST_GZIP_LEVEL });
}

/** `postgis`: ST_AsMVT in the database; `js`: PostGIS selects, tile-geometry.ts and mvt-writer.ts encode. */
export type TileEngine = 'postgis' | 'js';

export interface TileServiceOptions {
  /** Force an engine (tests, benchmarks); by default ST_AsMVT when the database has it. */
  engine?: TileEngine;
  /** Bytes of encoded tiles kept in memory; 0 disables the cache. */
  cacheBytes?: number;
  /** How long one look at the change log answers for (ms); see LayerVersions. */
  versionMaxAgeMs?: number;
}

export const DEFAULT_CACHE_BYTES = 64 * 1024 * 1024;

/** What a tile request resolves to before its body is needed: enough to answer 304. */
export interface TileState {
  layer: TileLayer;
  version: string;
  etag: string;
}

/**
 * Whether this database can encode tiles itself. Asked once: the embedded PostGIS is compiled
 * without protobuf-c, so there ST_AsMVT raises an error and tiles are encoded in JS.
 */
export async function detectTileEngine(db: Db): Promise<TileEngine> {
  try {
    await db.query(`SELECT ST_AsMVT(t, 'probe') FROM (SELECT 1 AS a, ST_AsMVTGeom(ST_Point(0, 0, 3857), ST_TileEnvelope(0, 0, 0)) AS geom) t`);
    return 'postgis';
  } catch {
    return 'js';
  }
}

/** Reads containment from the parcel_zone table when the database has it (see ContainmentSource). */
export async function detectLayerSqlContext(db: Db): Promise<LayerSqlContext> {
  const r = await db.query<{ kept: boolean }>(`SELECT to_regclass('parcel_zone') IS NOT NULL AS kept`);
  return { containment: r.rows[0].kept ? 'parcel_zone' : 'parcel_containment' };
}

/** Builds, versions and caches vector tiles. */
export class TileService {
  readonly versions: LayerVersions;
  readonly cache: TileCache;
  private readonly building = new Map<string, Promise<CachedTile>>();

  private constructor(
    private readonly db: Db,
    readonly engine: TileEngine,
    readonly sqlContext: LayerSqlContext,
    cacheBytes: number,
    versionMaxAgeMs?: number,
  ) {
    this.versions = new LayerVersions(db, versionMaxAgeMs);
    this.cache = new TileCache(cacheBytes);
  }

  static async create(db: Db, options: TileServiceOptions = {}): Promise<TileService> {
    const engine = options.engine ?? (await detectTileEngine(db));
    return new TileService(db, engine, await detectLayerSqlContext(db), options.cacheBytes ?? DEFAULT_CACHE_BYTES, options.versionMaxAgeMs);
  }

  /** The layer's current version and the tile's ETag: one small query, no tile built. */
  async state(t: TileAddress): Promise<TileState> {
    const layer = tileLayers[t.layer];
    const [version] = await this.versions.current([layer]);
    return { layer, version, etag: `W/"${version}"` };
  }

  /** The encoded tile at this version: from the cache, or built once however many ask at the same time. */
  async tile(t: TileAddress, state: TileState): Promise<CachedTile> {
    const key = cacheKey(t);
    const cached = this.cache.get(key, state.version);
    if (cached) return cached;
    const flightKey = `${key}@${state.version}`;
    let flight = this.building.get(flightKey);
    if (!flight) {
      flight = this.encode(state.layer, t)
        .then((body) => {
          const entry: CachedTile = { version: state.version, body };
          this.cache.set(key, entry);
          return entry;
        })
        .finally(() => this.building.delete(flightKey));
      this.building.set(flightKey, flight);
    }
    return flight;
  }

  /**
   * The tile's gzip form, made once per cached tile however many ask at the same time. The first
   * answer is compressed at level 1, 3–4× faster than level 6 and 8–10% larger, so a new
   * tile waits on little more than its SQL; a cached tile is then compressed again at level 6, in the
   * background, and every later answer sends that smaller form.
   */
  gzipped(t: TileAddress, entry: CachedTile): Promise<Uint8Array> {
    if (entry.gzip) return entry.gzip;
    const key = cacheKey(t);
    const fast = gzipFirst(entry.body);
    entry.gzip = fast;
    void fast
      .then(async (first) => {
        this.resized(key, entry, first.byteLength);
        if (!this.cache.holds(key, entry)) return;
        const small = await gzip(entry.body, { level: KEPT_GZIP_LEVEL });
        entry.gzip = Promise.resolve(small);
        this.resized(key, entry, small.byteLength);
      })
      // A failed recompression keeps the first form (a failed first one is the caller's to report).
      .catch(() => {});
    return fast;
  }

  /** Records the size of the entry's gzip form in the cache's budget. */
  private resized(key: string, entry: CachedTile, gzipBytes: number): void {
    this.cache.grew(key, entry, gzipBytes - (entry.gzipBytes ?? 0));
    entry.gzipBytes = gzipBytes;
  }

  /** Encodes one tile with the chosen engine; below the layer's minimum zoom a tile is empty. */
  encode(layer: TileLayer, t: TileAddress, engine: TileEngine = this.engine): Promise<Uint8Array> {
    if (t.z < layer.minzoom) return Promise.resolve(new Uint8Array(0));
    return engine === 'postgis' ? encodeWithPostgis(this.db, layer, t, this.sqlContext) : encodeWithJs(this.db, layer, t, this.sqlContext);
  }
}
