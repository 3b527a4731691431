import { createReadStream, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { createGunzip, createGzip } from 'node:zlib';
import type { Db, Queryable } from './db.ts';
import { listMigrations } from './migrate.ts';

/**
 * Logical backup and restore, the same on both drivers: every table of the data model, row by row,
 * each value in PostgreSQL's own text form (geometry as hex EWKB, so nothing is rounded), written as
 * gzipped JSON lines. One format for both drivers means a zone begun on the embedded database can be
 * restored into a PostgreSQL server, and back.
 *
 * File: a header line {format, version, migrations, created_at}; then for each table a line
 * {table, columns, rows} followed by `rows` lines, each a JSON array of the values in column order.
 */

export const BACKUP_FORMAT = 'parkatlas-backup';
const VERSION = 1;
const BATCH = 2000;

interface Header {
  format: string;
  version: number;
  migrations: string[];
  created_at: string;
}

interface TableHeader {
  table: string;
  columns: string[];
  rows: number;
}

export interface BackupReport {
  tables: { table: string; rows: number }[];
  ms: number;
}

/** An SQL identifier, quoted: names read from the catalog go into statements this way. */
export const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;

/**
 * The tables a backup holds: every ordinary table in the public schema but PostGIS's catalog of
 * coordinate systems (the extension owns it) and the migration log (the header carries it).
 */
async function dataTables(q: Queryable): Promise<string[]> {
  const r = await q.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')
       AND c.relname NOT IN ('spatial_ref_sys', 'schema_migration')
       AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype = 'e')
     ORDER BY c.relname`,
  );
  return r.rows.map((x) => x.name);
}

/** A table's columns that hold data (generated columns are made again on insert), in order. */
async function storedColumns(q: Queryable, table: string): Promise<string[]> {
  const r = await q.query<{ name: string }>(
    `SELECT attname AS name FROM pg_attribute
     WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped AND attgenerated = ''
     ORDER BY attnum`,
    [quoteIdent(table)],
  );
  return r.rows.map((x) => x.name);
}

async function appliedMigrations(q: Queryable): Promise<string[]> {
  const r = await q.query<{ name: string }>('SELECT name FROM schema_migration ORDER BY name');
  return r.rows.map((x) => x.name);
}

/** Writes every table to `file` from one snapshot (a repeatable-read transaction). */
export async function backupDatabase(db: Db, file: string): Promise<BackupReport> {
  const started = performance.now();
  const gzip = createGzip({ level: 6 });
  const out = createWriteStream(file);
  gzip.pipe(out);
  const write = async (line: unknown) => {
    if (!gzip.write(`${JSON.stringify(line)}\n`)) await once(gzip, 'drain');
  };
  const tables: BackupReport['tables'] = [];
  await db.tx(async (q) => {
    // One consistent view of every table, even while the server keeps writing.
    await q.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ');
    await q.query('SET LOCAL statement_timeout = 0');
    const header: Header = { format: BACKUP_FORMAT, version: VERSION, migrations: await appliedMigrations(q), created_at: new Date().toISOString() };
    await write(header);
    for (const table of await dataTables(q)) {
      const columns = await storedColumns(q, table);
      const count = (await q.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${quoteIdent(table)}`)).rows[0].n;
      await write({ table, columns, rows: count } satisfies TableHeader);
      const values = columns.map((c) => `${quoteIdent(c)}::text`).join(', ');
      // Text arrays keep every value exact; a cursor keeps memory flat on big tables.
      await q.query(`DECLARE backup_rows NO SCROLL CURSOR FOR SELECT ARRAY[${values}] AS v FROM ${quoteIdent(table)}`);
      let written = 0;
      for (;;) {
        const batch = await q.query<{ v: (string | null)[] }>(`FETCH ${BATCH} FROM backup_rows`);
        for (const row of batch.rows) await write(row.v);
        written += batch.rows.length;
        if (batch.rows.length < BATCH) break;
      }
      await q.query('CLOSE backup_rows');
      if (written !== count) throw new Error(`backup of ${table}: counted ${count} rows, read ${written}`);
      tables.push({ table, rows: written });
    }
  });
  gzip.end();
  await once(out, 'close');
  return { tables, ms: Math.round(performance.now() - started) };
}

export class BackupError extends Error {}

/**
 * Replaces every table's rows with the backup's, in one transaction: on any error nothing changes.
 * The database must be migrated to the same migrations as the backup (run `migrate` first). Triggers
 * and foreign keys are switched off for the transaction (session_replication_role = replica, which
 * needs a superuser): the backup is a consistent snapshot, kept tables included, so nothing needs
 * recomputing, and rows may arrive in any order.
 */
export async function restoreDatabase(db: Db, file: string): Promise<BackupReport> {
  const started = performance.now();
  const lines = createInterface({ input: createReadStream(file).pipe(createGunzip()), crlfDelay: Infinity })[Symbol.asyncIterator]();
  const next = async (): Promise<unknown> => {
    const r = await lines.next();
    return r.done ? undefined : JSON.parse(r.value);
  };
  let header: Header;
  try {
    header = (await next()) as Header;
  } catch (e) {
    throw new BackupError(`${file} is not a ParkAtlas backup (${(e as Error).message})`);
  }
  if (header?.format !== BACKUP_FORMAT || header.version !== VERSION) throw new BackupError(`${file} is not a ParkAtlas backup of version ${VERSION}`);
  const known = new Set(listMigrations().map((m) => m.name));
  const unknown = header.migrations.filter((m) => !known.has(m));
  if (unknown.length) throw new BackupError(`the backup comes from a newer ParkAtlas (migrations ${unknown.join(', ')}): upgrade first`);

  const tables: BackupReport['tables'] = [];
  await db.tx(async (q) => {
    const applied = await appliedMigrations(q);
    if (applied.join() !== header.migrations.join()) {
      throw new BackupError(`the database has migrations ${applied.join(', ') || '(none)'}, the backup ${header.migrations.join(', ')}: migrate first`);
    }
    await q.query('SET LOCAL statement_timeout = 0');
    try {
      await q.query('SET LOCAL session_replication_role = replica');
    } catch (e) {
      throw new BackupError(`restoring needs a superuser connection (${(e as Error).message})`);
    }
    const present = await dataTables(q);
    if (present.length) await q.query(`TRUNCATE ${present.map(quoteIdent).join(', ')}`);
    for (let t = (await next()) as TableHeader | undefined; t; t = (await next()) as TableHeader | undefined) {
      if (!present.includes(t.table)) throw new BackupError(`the backup has a table ${t.table} this database lacks`);
      const columns = await storedColumns(q, t.table);
      const missing = t.columns.filter((c) => !columns.includes(c));
      if (missing.length) throw new BackupError(`table ${t.table} has no columns ${missing.join(', ')}`);
      const names = t.columns.map(quoteIdent).join(', ');
      // Each value goes through its column type's own input function, as in COPY.
      const insert = `INSERT INTO ${quoteIdent(t.table)} (${names}) OVERRIDING SYSTEM VALUE SELECT ${names} FROM json_populate_recordset(NULL::${quoteIdent(t.table)}, $1::json)`;
      let batch: Record<string, string | null>[] = [];
      for (let i = 0; i < t.rows; i++) {
        const values = (await next()) as (string | null)[];
        if (!Array.isArray(values) || values.length !== t.columns.length) throw new BackupError(`table ${t.table}: row ${i + 1} is damaged`);
        batch.push(Object.fromEntries(t.columns.map((c, k) => [c, values[k]])));
        if (batch.length === BATCH) {
          await q.query(insert, [JSON.stringify(batch)]);
          batch = [];
        }
      }
      if (batch.length) await q.query(insert, [JSON.stringify(batch)]);
      tables.push({ table: t.table, rows: t.rows });
    }
    // Sequences continue after the restored ids.
    const sequences = await q.query<{ tbl: string; col: string; seq: string }>(
      `SELECT c.relname AS tbl, a.attname AS col, pg_get_serial_sequence(quote_ident(c.relname), a.attname) AS seq
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_attribute a ON a.attrelid = c.oid
       WHERE n.nspname = 'public' AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped
         AND pg_get_serial_sequence(quote_ident(c.relname), a.attname) IS NOT NULL`,
    );
    for (const s of sequences.rows) {
      await q.query(`SELECT setval($1, coalesce((SELECT max(${quoteIdent(s.col)}) FROM ${quoteIdent(s.tbl)}), 0) + 1, false)`, [s.seq]);
    }
  });
  await db.exec('ANALYZE');
  return { tables, ms: Math.round(performance.now() - started) };
}

/**
 * A fingerprint of every data table (row count and a hash of its sorted rows), to compare two
 * databases. Over the stored columns, what a backup carries: generated ones (a parcel's area, its
 * label point) are PostGIS's to recompute, and two PostGIS versions may differ in the last digit.
 */
export async function tableFingerprints(db: Queryable): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const table of await dataTables(db)) {
    const row = `ARRAY[${(await storedColumns(db, table)).map((c) => `${quoteIdent(c)}::text`).join(', ')}]::text`;
    const r = await db.query<{ n: number; h: string | null }>(
      `SELECT count(*)::int AS n, md5(string_agg(r, E'\\n' ORDER BY r)) AS h FROM (SELECT ${row} AS r FROM ${quoteIdent(table)}) t`,
    );
    out[table] = `${r.rows[0].n}:${r.rows[0].h ?? ''}`;
  }
  return out;
}
