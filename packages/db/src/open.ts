import { openEmbedded } from './embedded.ts';
import { openPostgres } from './postgres.ts';
import type { Db } from './db.ts';

export interface OpenOptions {
  /** postgres://… of a PostgreSQL server with PostGIS; absent: the embedded database. */
  databaseUrl?: string;
  /** The embedded database's folder; absent: in memory. */
  dataDir?: string;
  /** PostgreSQL only: the pool's size and the statement time limit (see PostgresOptions). */
  poolMax?: number;
  statementTimeoutMs?: number;
}

/** Opens whichever database the configuration names. The only place that chooses a driver. */
export function openDb(options: OpenOptions): Promise<Db> {
  return options.databaseUrl
    ? openPostgres(options.databaseUrl, { max: options.poolMax, statementTimeoutMs: options.statementTimeoutMs })
    : openEmbedded(options.dataDir);
}

/** The PostGIS version the database runs, for /api/health. */
export async function postgisVersion(db: Db): Promise<string> {
  const r = await db.query<{ v: string }>('SELECT postgis_lib_version() AS v');
  return r.rows[0].v;
}

/** A connection string safe to log: the password replaced. */
export function redactUrl(url: string): string {
  return url.replace(/(\/\/[^:/@]+:)[^@]*@/, '$1***@');
}
