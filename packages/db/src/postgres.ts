import pg from 'pg';
import type { Db, Queryable, QueryResult } from './db.ts';

// Dates stay 'YYYY-MM-DD' strings and int8 counts become numbers, as they do in the embedded driver.
pg.types.setTypeParser(pg.types.builtins.DATE, (v) => v);
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

export interface PostgresOptions {
  /** Connections at most (the pool's limit); requests beyond it wait for one. */
  max?: number;
  /**
   * Longest a single statement may run, ms (0: no limit). Bulk work that legitimately runs longer
   * (migrations, loads, imports, restores) lifts it for its own transaction with SET LOCAL.
   */
  statementTimeoutMs?: number;
}

/** A real PostgreSQL + PostGIS server through a connection pool. */
export async function openPostgres(url: string, options: PostgresOptions = {}): Promise<Db> {
  const pool = new pg.Pool({ connectionString: url, max: options.max ?? 10, statement_timeout: options.statementTimeoutMs || undefined });
  // An idle connection the server drops (restart, admin termination) must not crash the process;
  // the pool replaces it on the next query.
  pool.on('error', (e) => console.warn(`idle PostgreSQL connection lost: ${e.message}`));
  // Fail at start, with the server's reason, rather than on the first request.
  const probe = await pool.connect();
  probe.release();
  const run = async <T>(c: pg.Pool | pg.PoolClient, sql: string, params?: unknown[]): Promise<QueryResult<T>> => {
    const r = await c.query(sql, params);
    return { rows: r.rows as T[], rowCount: r.rowCount ?? r.rows.length };
  };
  return {
    kind: 'postgres',
    query: (sql, params) => run(pool, sql, params),
    tx: async (fn) => {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await fn({ query: (sql, params) => run(client, sql, params) } as Queryable);
        await client.query('COMMIT');
        return result;
      } catch (e) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw e;
      } finally {
        client.release();
      }
    },
    exec: async (sql) => {
      await pool.query(sql);
    },
    close: () => pool.end(),
  };
}
