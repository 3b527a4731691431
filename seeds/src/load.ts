/**
 * Loads a demo zone into a migrated database: every table in foreign-key order, in one transaction,
 * a few thousand rows per statement passed as a single jsonb parameter. PostgreSQL unpacks the rows
 * (jsonb_to_recordset, each column typed as the catalog types it) and PostGIS parses the GeoJSON, so
 * the same SQL runs on PGlite and on a real server, and a failed load leaves nothing behind.
 */
import { quoteIdent, type Db, type Queryable } from '@parkatlas/db';
import type { DemoZone, ZoneChunk, ZoneTable } from './types.ts';

interface TableSpec {
  /** Key of the rows in a DemoZone. */
  key: ZoneTable;
  /** SQL table. */
  table: string;
  /** Columns the rows carry, besides `geom`; all other columns take their defaults. */
  columns: string[];
  /** Spatial tables: how GeoJSON `geom` becomes the column's geometry (areal tables are MultiPolygon columns). */
  geom?: 'multipolygon' | 'any';
}

/** In foreign-key order: a table only refers to tables above it. */
export const TABLES: readonly TableSpec[] = [
  { key: 'basemap', table: 'basemap_feature', columns: ['kind', 'name', 'name_en', 'rank'], geom: 'any' },
  { key: 'corridors', table: 'corridor', columns: ['code', 'name', 'name_en', 'theme'], geom: 'multipolygon' },
  { key: 'areas', table: 'area', columns: ['code', 'name', 'name_en'], geom: 'multipolygon' },
  {
    key: 'parks', table: 'park',
    columns: ['code', 'name', 'name_en', 'theme', 'theme_industries', 'operator', 'committee'], geom: 'multipolygon',
  },
  {
    key: 'enterprises', table: 'enterprise',
    columns: ['uscc', 'name', 'name_en', 'industry', 'high_tech', 'employees', 'revenue_cny', 'tax_cny', 'park',
      'registered_date', 'contact_name', 'contact_phone'],
  },
  {
    key: 'parcels', table: 'parcel',
    columns: ['code', 'name', 'land_use', 'status', 'approval_date', 'supply_date', 'agreed_start_date',
      'agreed_completion_date', 'start_date', 'completion_date', 'developed_share', 'invested_share', 'stopped_since',
      'idle_exemption', 'plot_ratio_min', 'plot_ratio_max', 'price_cny', 'enterprise', 'department', 'verified_at'],
    geom: 'multipolygon',
  },
  {
    key: 'buildings', table: 'building',
    columns: ['code', 'parcel', 'name', 'floors', 'height_m', 'gross_floor_area_m2', 'use', 'status', 'completion_year'],
    geom: 'multipolygon',
  },
  {
    key: 'units', table: 'unit',
    columns: ['code', 'building', 'floor', 'name', 'kind', 'area_m2', 'rent_cny_m2_month', 'reserved', 'move_in_ready',
      'floor_load_kn_m2', 'clear_height_m', 'power_kva', 'available_from'],
  },
  {
    key: 'leases', table: 'lease',
    columns: ['id', 'enterprise', 'unit', 'parcel', 'start_date', 'end_date', 'rent_cny_m2_month'],
  },
  {
    key: 'projects', table: 'project',
    columns: ['code', 'name', 'name_en', 'investment_cny', 'status', 'industry', 'start_date', 'completion_date', 'parcel',
      'area', 'corridor', 'park', 'enterprise'],
  },
];

/** The keys a row of each table has: its columns, plus `geom` for spatial tables. */
export function rowKeys(key: ZoneTable): string[] {
  const spec = TABLES.find((t) => t.key === key)!;
  return spec.geom ? [...spec.columns, 'geom'] : [...spec.columns];
}

/**
 * The column definitions jsonb_to_recordset needs, `"name" type`, exactly as the catalog types each
 * column (numeric(16,2), date, text[] …), so values arrive in the column's own type with no further
 * cast; geometry arrives as the GeoJSON object it is in the row. Read once per load.
 */
async function columnTypes(q: Queryable): Promise<Map<string, Map<string, string>>> {
  const { rows } = await q.query<{ table_name: string; column_name: string; type: string }>(
    `SELECT c.relname AS table_name, a.attname AS column_name, format_type(a.atttypid, a.atttypmod) AS type
     FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
     WHERE c.oid = ANY ($1::regclass[]) AND a.attnum > 0 AND NOT a.attisdropped`,
    [TABLES.map((t) => t.table)],
  );
  const types = new Map<string, Map<string, string>>();
  for (const r of rows) {
    if (!types.has(r.table_name)) types.set(r.table_name, new Map());
    types.get(r.table_name)!.set(r.column_name, r.type);
  }
  return types;
}

/**
 * INSERT … SELECT over one jsonb array of rows. jsonb_to_recordset unpacks the whole array in one
 * call (measured about 40% cheaper in PGlite than a jsonb_populate_record per element). Geometry is
 * read from GeoJSON, put in EPSG:4326 and its exterior rings forced counter-clockwise (RFC 7946),
 * whatever the rows held.
 */
function insertSql(spec: TableSpec, types: Map<string, string>): string {
  const typeOf = (c: string) => {
    const type = types.get(c);
    if (!type) throw new Error(`table ${spec.table} has no column ${c}: migrate the database first`);
    return type;
  };
  const fromGeoJson = `ST_SetSRID(ST_GeomFromGeoJSON(geom), 4326)`;
  const geom = spec.geom === 'multipolygon' ? `ST_Multi(ST_ForcePolygonCCW(${fromGeoJson}))` : `ST_ForcePolygonCCW(${fromGeoJson})`;
  const names = spec.columns.map(quoteIdent);
  const definitions = [...spec.columns.map((c) => `${quoteIdent(c)} ${typeOf(c)}`), ...(spec.geom ? ['geom jsonb'] : [])];
  return [
    `INSERT INTO ${spec.table} (${[...names, ...(spec.geom ? ['geom'] : [])].join(', ')})`,
    `SELECT ${[...names, ...(spec.geom ? [geom] : [])].join(', ')}`,
    `FROM jsonb_to_recordset($1::jsonb) AS r(${definitions.join(', ')})`,
  ].join('\n');
}

const ORDER = new Map(TABLES.map((t, i) => [t.key, i]));

/** Rows per statement: big enough to amortize the round trip, small enough to keep the JSON text modest. */
export const BATCH_ROWS = 4000;

export interface LoadReport { table: string; rows: number; ms: number }

/**
 * Loads rows arriving in chunks (from `streamDemoZone`, or `readZoneFiles`), in one
 * transaction. Chunks must come in a foreign-key-safe order, as the stream yields them; rows are
 * buffered per table, and a table's buffer is written only after the buffers of every table it may
 * refer to, so a row never arrives before the row it refers to.
 */
export async function loadZoneChunks(db: Db, chunks: Iterable<ZoneChunk> | AsyncIterable<ZoneChunk>): Promise<LoadReport[]> {
  const reports = TABLES.map((t): LoadReport => ({ table: t.table, rows: 0, ms: 0 }));
  const leaseReport = reports[ORDER.get('leases')!];
  await db.tx(async (q) => {
    // The commit refreshes the kept indicator tables for the whole zone: no statement time limit.
    await q.query('SET LOCAL statement_timeout = 0');
    const types = await columnTypes(q);
    const sql = new Map(TABLES.map((t) => [t.key, insertSql(t, types.get(t.table) ?? new Map())]));
    const t0 = performance.now();
    const restoreExclusions = await suspendExclusionConstraints(q, 'lease');
    leaseReport.ms += performance.now() - t0;
    const buffers: unknown[][] = TABLES.map(() => []);
    const flush = async (upTo: number) => {
      for (let i = 0; i <= upTo; i++) {
        if (buffers[i].length === 0) continue;
        const rows = buffers[i].splice(0);
        const t0 = performance.now();
        await q.query(sql.get(TABLES[i].key)!, [JSON.stringify(rows)]);
        reports[i].rows += rows.length;
        reports[i].ms += performance.now() - t0;
      }
    };
    for await (const chunk of chunks) {
      const i = ORDER.get(chunk.table)!;
      const buffer = buffers[i];
      for (const row of chunk.rows) {
        buffer.push(row);
        if (buffer.length >= BATCH_ROWS) await flush(i);
      }
    }
    await flush(TABLES.length - 1);
    const t1 = performance.now();
    await restoreExclusions();
    // Leases carry their ids; later inserts must not collide with them.
    await q.query(`SELECT setval(pg_get_serial_sequence('lease', 'id'), max(id)) FROM lease`);
    leaseReport.ms += performance.now() - t1;
  });
  // Fresh statistics for the planner: PGlite never runs autovacuum, so without this it plans every
  // query as if the tables were empty (one stats query took 100 s instead of 2 s), and PostgreSQL's
  // autovacuum would only catch up a minute later. VACUUM too: the rows triggers rewrote during the
  // load (space_unit's busy days, once per lease) would otherwise stay as dead rows that every
  // embedded index scan steps over (a 3,000-parcel load left 17,895 beside 19,685 live).
  await db.exec('VACUUM ANALYZE');
  return reports.map((r) => ({ ...r, ms: Math.round(r.ms) }));
}

/**
 * Drops a table's exclusion constraints and returns a function that adds them back, exactly as the
 * catalog defined them. Checking each new lease against the GiST index one row at a time cost about
 * 7 s of CPU in PGlite for the default zone's ~40k leases; inserting without it and building the
 * index once afterwards, 3 s, checking the same rule (adding the constraint fails if two leases
 * overlap). On PostgreSQL the two ways cost the same. Both happen in the loader's transaction, so
 * other sessions never see the table without its constraints.
 */
async function suspendExclusionConstraints(q: Queryable, table: string): Promise<() => Promise<void>> {
  const { rows } = await q.query<{ name: string; definition: string }>(
    `SELECT conname AS name, pg_get_constraintdef(oid) AS definition
     FROM pg_constraint WHERE conrelid = $1::regclass AND contype = 'x' ORDER BY conname`,
    [table],
  );
  for (const c of rows) await q.query(`ALTER TABLE ${table} DROP CONSTRAINT ${quoteIdent(c.name)}`);
  return async () => {
    for (const c of rows) await q.query(`ALTER TABLE ${table} ADD CONSTRAINT ${quoteIdent(c.name)} ${c.definition}`);
  };
}

/** Loads a whole zone (as `generateDemoZone` makes it) into a migrated, empty database. */
export async function loadDemoZone(db: Db, zone: DemoZone): Promise<LoadReport[]> {
  function* chunks(): Generator<ZoneChunk> {
    for (const t of TABLES) yield { table: t.key, rows: zone[t.key] } as ZoneChunk;
  }
  return loadZoneChunks(db, chunks());
}

/** True when the database holds no parcels and no parks: a new database the demo may fill. */
export async function isDatabaseEmpty(db: Db): Promise<boolean> {
  const r = await db.query<{ empty: boolean }>(
    'SELECT NOT EXISTS (SELECT 1 FROM parcel) AND NOT EXISTS (SELECT 1 FROM park) AS empty',
  );
  return r.rows[0].empty;
}
