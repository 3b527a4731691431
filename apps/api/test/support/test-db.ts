import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { migrate, openEmbedded, openPostgres, type Db } from '@parkatlas/db';
import { generateDemoZone, loadDemoZone } from '@parkatlas/seeds';

/**
 * Test databases. The suite runs on the embedded driver by default and on a real PostgreSQL +
 * PostGIS when DATABASE_URL is set. A template is migrated and seeded once (global setup); each
 * test file then works on its own copy, so files never see each other's writes.
 */

/** The small zone every API test starts from, made by the same generator as the demo data. */
export const FIXTURE_OPTIONS = { parcels: 300 } as const;

export function fixtureZone() {
  return generateDemoZone(FIXTURE_OPTIONS);
}

export function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/** Creates the template; returns what test files need to find it, and how to remove it. */
export async function createTemplate(databaseUrl?: string): Promise<{ template: string; remove: () => Promise<void> }> {
  if (databaseUrl) {
    const name = `parkatlas_tpl_${process.pid}`;
    const admin = new pg.Client({ connectionString: databaseUrl });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${name}`);
    await admin.query(`CREATE DATABASE ${name}`);
    const db = await openPostgres(withDatabase(databaseUrl, name), { max: 2 });
    await migrate(db);
    await loadDemoZone(db, fixtureZone());
    await db.close();
    return {
      template: name,
      remove: async () => {
        const left = await admin.query(`SELECT datname FROM pg_database WHERE datname LIKE 'parkatlas_t%_${process.pid}%'`);
        for (const row of left.rows) await admin.query(`DROP DATABASE IF EXISTS ${row.datname} WITH (FORCE)`);
        await admin.end();
      },
    };
  }
  const dir = mkdtempSync(join(tmpdir(), 'parkatlas-template-'));
  const db = await openEmbedded(dir);
  await migrate(db);
  await loadDemoZone(db, fixtureZone());
  await db.close();
  return { template: dir, remove: async () => rmSync(dir, { recursive: true, force: true }) };
}

export interface TestDb {
  db: Db;
  close: () => Promise<void>;
}

let copies = 0;

/** A private copy of the template for one test file. */
export async function openTestDb(template: string, databaseUrl = process.env.DATABASE_URL): Promise<TestDb> {
  if (databaseUrl) {
    const name = `parkatlas_test_${process.pid}_${copies++}`;
    const admin = new pg.Client({ connectionString: databaseUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
    const db = await openPostgres(withDatabase(databaseUrl, name));
    return {
      db,
      close: async () => {
        await db.close();
        await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await admin.end();
      },
    };
  }
  const dir = mkdtempSync(join(tmpdir(), 'parkatlas-test-'));
  cpSync(template, dir, { recursive: true });
  const db = await openEmbedded(dir);
  return {
    db,
    close: async () => {
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
