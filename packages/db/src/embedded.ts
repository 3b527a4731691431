import { PGlite } from '@electric-sql/pglite';
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist';
import { postgis } from '@electric-sql/pglite-postgis';
import type { Db, Queryable, QueryResult } from './db.ts';

/**
 * The embedded database: PostgreSQL compiled to WebAssembly (PGlite) with PostGIS, kept in a folder
 * so a fresh machine needs no database server. `dataDir` undefined keeps it in memory.
 *
 * PGlite is one session: it queues every query and holds the queue for the whole of a transaction,
 * so transactions here are serialized and never interleave.
 */
export async function openEmbedded(dataDir?: string): Promise<Db> {
  const pg = await PGlite.create({ dataDir, extensions: { postgis, btree_gist } });
  const run = async <T>(q: Pick<PGlite, 'query'>, sql: string, params?: unknown[]): Promise<QueryResult<T>> => {
    const r = await q.query<T>(sql, params as unknown[] | undefined);
    return { rows: r.rows, rowCount: r.affectedRows ?? r.rows.length };
  };
  return {
    kind: 'embedded',
    query: (sql, params) => run(pg, sql, params),
    tx: (fn) => pg.transaction((t) => fn({ query: (sql, params) => run(t, sql, params) } as Queryable)),
    exec: async (sql) => {
      await pg.exec(sql);
    },
    close: () => pg.close(),
  };
}
