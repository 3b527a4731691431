import { inject } from 'vitest';
import { buildApp, type App } from '../../src/app.ts';
import { openTestDb, type TestDb } from './test-db.ts';

export interface TestApp {
  app: App;
  db: TestDb['db'];
  close: () => Promise<void>;
}

/** The API over a private copy of the seeded template database. */
export async function startTestApp(): Promise<TestApp> {
  const testDb = await openTestDb(inject('templateDb'));
  const app = await buildApp({ db: testDb.db });
  await app.ready();
  return {
    app,
    db: testDb.db,
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
