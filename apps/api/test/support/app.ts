import type { InjectOptions } from 'fastify';
import { inject } from 'vitest';
import type { Db } from '@parkatlas/db';
import { buildApp, type App } from '../../src/app.ts';
import type { KeyScope } from '../../src/auth/identity.ts';
import { createKey } from '../../src/auth/keys.ts';
import { openTestDb, type TestDb } from './test-db.ts';

/** Requests made as one API key: `inject` adds its Authorization header. */
export interface Caller {
  headers: { authorization: string };
  inject: (opts: InjectOptions | string) => Promise<Awaited<ReturnType<App['inject']>>>;
}

export interface TestApp {
  /** The API, called as the public (no credentials). */
  app: App;
  db: TestDb['db'];
  /** Staff with every key scope (read, read-sensitive, write): history records `key:staff`. */
  staff: Caller;
  /** A caller with an API key of its own: recorded as `key:<name>`. */
  as: (name: string, scopes?: KeyScope[], parks?: string[]) => Promise<Caller>;
  close: () => Promise<void>;
}

export const ALL_SCOPES: KeyScope[] = ['read', 'read-sensitive', 'write'];

/** A new API key in `db` and a caller using it on `app`. */
export async function keyCaller(app: App, db: Db, name: string, scopes: KeyScope[] = ALL_SCOPES, parks?: string[]): Promise<Caller> {
  const { secret } = await createKey(db, { name, scopes, parks: parks ?? null }, 'test');
  const headers = { authorization: `Bearer ${secret}` };
  return {
    headers,
    inject: (opts) => {
      const o: InjectOptions = typeof opts === 'string' ? { url: opts } : opts;
      return app.inject({ ...o, headers: { ...headers, ...(o.headers ?? {}) } });
    },
  };
}

/** The API over a private copy of the seeded template database. */
export async function startTestApp(): Promise<TestApp> {
  const testDb = await openTestDb(inject('templateDb'));
  const app = await buildApp({ db: testDb.db });
  await app.ready();
  const callers = new Map<string, Promise<Caller>>();
  const as = (name: string, scopes = ALL_SCOPES, parks?: string[]) => {
    const key = JSON.stringify([name, scopes, parks]);
    if (!callers.has(key)) callers.set(key, keyCaller(app, testDb.db, name, scopes, parks));
    return callers.get(key)!;
  };
  return {
    app,
    db: testDb.db,
    staff: await as('staff'),
    as,
    close: async () => {
      await app.close();
      await testDb.close();
    },
  };
}

/** Row counts of every table a write could touch, to prove a refused write changed nothing. */
export async function tableCounts(db: TestDb['db']): Promise<Record<string, number>> {
  const r = await db.query<{ t: string; n: number }>(
    `SELECT 'corridor' AS t, count(*)::int AS n FROM corridor UNION ALL SELECT 'area', count(*)::int FROM area
     UNION ALL SELECT 'park', count(*)::int FROM park UNION ALL SELECT 'parcel', count(*)::int FROM parcel
     UNION ALL SELECT 'building', count(*)::int FROM building UNION ALL SELECT 'unit', count(*)::int FROM unit
     UNION ALL SELECT 'enterprise', count(*)::int FROM enterprise UNION ALL SELECT 'lease', count(*)::int FROM lease
     UNION ALL SELECT 'project', count(*)::int FROM project UNION ALL SELECT 'change', count(*)::int FROM change`,
  );
  return Object.fromEntries(r.rows.map((x) => [x.t, x.n]));
}
