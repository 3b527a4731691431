/** What the rest of ParkAtlas knows about the database: parameterized SQL and transactions. */

export type DriverKind = 'embedded' | 'postgres';

export interface QueryResult<T> {
  rows: T[];
  /** Rows changed by INSERT, UPDATE or DELETE; rows returned otherwise. */
  rowCount: number;
}

/** Something SQL can be sent to: the database itself or one open transaction. */
export interface Queryable {
  /** One statement with `$1, $2 …` parameters. */
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<QueryResult<T>>;
}

export interface Db extends Queryable {
  readonly kind: DriverKind;
  /** Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. */
  tx<T>(fn: (q: Queryable) => Promise<T>): Promise<T>;
  /** Runs a script of several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
  close(): Promise<void>;
}

/** A database error with PostgreSQL's SQLSTATE and details, whichever driver raised it. */
export interface DbError extends Error {
  code?: string;
  constraint?: string;
  detail?: string;
  column?: string;
  table?: string;
}

export function isDbError(e: unknown): e is DbError {
  return e instanceof Error && typeof (e as DbError).code === 'string' && /^[0-9A-Z]{5}$/.test((e as DbError).code!);
}
