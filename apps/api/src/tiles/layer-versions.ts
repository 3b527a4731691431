import { randomBytes } from 'node:crypto';
import type { Queryable } from '@parkatlas/db';
import type { TileLayer } from './layers.ts';

/** How many of the latest change ids are watched for rows that commit late (see below). */
export const CHANGE_WINDOW = 1000;

interface WindowStats {
  latest: number;
  count: number;
}

/**
 * The version of each tile layer, read from the `change` table that every API write records
 * (DESIGN.md). A write to a parcel changes the version (so the ETag and the cache key) of the layers
 * that show parcels, and leaves the parks' tiles alone.
 *
 * A look costs one small index range scan: the highest id and the number of rows among the latest
 * change ids (the "window"). Only when those differ from the last look does it read which entities
 * the new rows touched, and only those rows. One look answers for a second (`maxAgeMs`), so a cached
 * tile or a 304 usually costs no query at all; a write answered by this process forces a new look. Counting rows, not just the highest id, catches
 * a transaction that took its id before another but committed after it (concurrent writers on
 * PostgreSQL): its row appears inside the window without raising the maximum.
 *
 * Layers showing today's occupancy also carry the database's current date, since a lease starts or
 * ends at midnight without any write. The version also carries a token of this process, so after a
 * restart, or against a database that was replaced, an old ETag cannot match by accident. A write
 * that bypasses the API records no change and is not seen: call `forget()` after one.
 */
export class LayerVersions {
  private token = newToken();
  private windowStart = -1;
  private seen: WindowStats = { latest: 0, count: 0 };
  private byEntity = new Map<string, WindowStats>();
  /** Bumped each time an entity's rows in the window change. */
  private readonly generation = new Map<string, number>();
  /** Catch-ups run one at a time, so an older snapshot never replaces a newer one. */
  private catchingUp: Promise<void> = Promise.resolve();

  /** When the change log was last read (ms, performance.now()), and the day it said it was. */
  private checkedAt = -Infinity;
  private today = '';
  /** Bumped by every write this process answers: a look-up begun before it must not count as fresh. */
  private writes = 0;

  /**
   * @param maxAgeMs how long one look at the change log answers for. Writes made through this
   *   process's API mark it stale at once (see `writeSeen`); writes by other processes (another API
   *   instance on the same PostgreSQL) show within this time.
   */
  constructor(
    private readonly db: Queryable,
    private readonly maxAgeMs = 1000,
  ) {}

  /** The current version of each of these layers, e.g. "3fa2c1d0.4" or "3fa2c1d0.4.2025-06-01". */
  async current(layers: readonly TileLayer[]): Promise<string[]> {
    if (performance.now() - this.checkedAt > this.maxAgeMs) await this.look();
    return layers.map((layer) => {
      let sum = 0;
      for (const entity of layer.dependsOn) sum += this.generation.get(entity) ?? 0;
      return `${this.token}.${sum}${layer.followsToday ? `.${this.today}` : ''}`;
    });
  }

  /** A write went through this process: the next request reads the change log again. */
  writeSeen(): void {
    this.writes++;
    this.checkedAt = -Infinity;
  }

  private async look(): Promise<void> {
    const writesBefore = this.writes;
    const startedAt = performance.now();
    if (this.windowStart < 0) await this.serially(() => (this.windowStart < 0 ? this.start() : Promise.resolve()));
    const r = await this.db.query<{ latest: number; count: number; today: string }>(
      `SELECT coalesce(max(id), 0)::float8 AS latest, count(*)::float8 AS count, current_date::text AS today
       FROM change WHERE id > $1`,
      [this.windowStart],
    );
    const { latest, count, today } = r.rows[0];
    if (latest !== this.seen.latest || count !== this.seen.count) await this.serially(() => this.catchUp());
    this.today = today;
    if (this.writes === writesBefore) this.checkedAt = Math.max(this.checkedAt, startedAt);
  }

  /** Makes every layer's version new, for writes that bypassed the API. */
  forget(): void {
    this.token = newToken();
  }

  private serially(step: () => Promise<void>): Promise<void> {
    const run = this.catchingUp.then(step);
    this.catchingUp = run.catch(() => undefined);
    return run;
  }

  private async start(): Promise<void> {
    const r = await this.db.query<{ latest: number }>('SELECT coalesce(max(id), 0)::float8 AS latest FROM change');
    this.windowStart = Math.max(0, r.rows[0].latest - CHANGE_WINDOW);
    this.byEntity = await this.readWindow();
    this.seen = total(this.byEntity);
  }

  private async catchUp(): Promise<void> {
    const now = await this.readWindow();
    if (total(now).latest < this.seen.latest) {
      // The change log went backwards: another database. Nothing cached can be trusted.
      this.token = newToken();
      this.generation.clear();
      await this.start();
      return;
    }
    for (const entity of new Set([...now.keys(), ...this.byEntity.keys()])) {
      const a = now.get(entity);
      const b = this.byEntity.get(entity);
      if (a?.latest !== b?.latest || a?.count !== b?.count) this.generation.set(entity, (this.generation.get(entity) ?? 0) + 1);
    }
    this.byEntity = now;
    this.seen = total(now);
    if (this.seen.latest - this.windowStart > 2 * CHANGE_WINDOW) {
      // Slide the window forward so each look stays small; what leaves it is old enough to be settled.
      this.windowStart = this.seen.latest - CHANGE_WINDOW;
      this.byEntity = await this.readWindow();
      this.seen = total(this.byEntity);
    }
  }

  private async readWindow(): Promise<Map<string, WindowStats>> {
    const r = await this.db.query<{ entity: string; latest: number; count: number }>(
      `SELECT entity, max(id)::float8 AS latest, count(*)::float8 AS count FROM change WHERE id > $1 GROUP BY entity`,
      [this.windowStart],
    );
    return new Map(r.rows.map((row) => [row.entity, { latest: row.latest, count: row.count }]));
  }
}

function total(byEntity: Map<string, WindowStats>): WindowStats {
  let latest = 0;
  let count = 0;
  for (const s of byEntity.values()) {
    latest = Math.max(latest, s.latest);
    count += s.count;
  }
  return { latest, count };
}

function newToken(): string {
  return randomBytes(4).toString('hex');
}
