import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gunzipSync, gzipSync } from 'node:zlib';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  backupDatabase, BackupError, migrate, openEmbedded, openPostgres, restoreDatabase, tableFingerprints, type Db,
} from '@parkatlas/db';
import { generateDemoZone, loadDemoZone } from '@parkatlas/seeds';
import { openTestDb, type TestDb } from './support/test-db.ts';

/**
 * Backup and restore on the driver under test: a restored database equals the backed-up one in
 * every table (rows, values, geometry bit for bit, kept indicator tables included), a bad file
 * changes nothing, and on PostgreSQL a backup of the embedded database restores into it.
 */

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '../../..');
let dir: string;
let a: TestDb;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'parkatlas-backup-'));
  a = await openTestDb(inject('templateDb'));
});

afterAll(async () => {
  await a?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Writes through the data model, triggers and all: a renamed enterprise, a changed parcel, a lease gone. */
async function scribble(db: Db): Promise<void> {
  await db.tx(async (q) => {
    await q.query(`UPDATE enterprise SET name = name || '（改）' WHERE uscc = (SELECT min(uscc) FROM enterprise)`);
    await q.query(`UPDATE parcel SET status = 'idle', version = version + 1 WHERE code = (SELECT min(code) FROM parcel WHERE status <> 'idle')`);
    await q.query(`DELETE FROM lease WHERE id = (SELECT max(id) FROM lease)`);
  });
}

describe('backup and restore', () => {
  it('restores every table exactly as it was backed up', { timeout: 180_000 }, async () => {
    const before = await tableFingerprints(a.db);
    expect(Object.keys(before)).toEqual(expect.arrayContaining(['parcel', 'building', 'unit', 'lease', 'enterprise', 'change', 'parcel_zone']));
    const file = join(dir, 'a.parkatlas.gz');
    const report = await backupDatabase(a.db, file);
    expect(report.tables.find((t) => t.table === 'parcel')!.rows).toBe(Number(before.parcel.split(':')[0]));

    await scribble(a.db);
    const changed = await tableFingerprints(a.db);
    expect(changed.lease).not.toBe(before.lease);
    expect(changed.parcel).not.toBe(before.parcel);

    await restoreDatabase(a.db, file);
    expect(await tableFingerprints(a.db)).toEqual(before);
    // Sequences go on after the restored ids: a new lease does not collide.
    const max = (await a.db.query<{ m: number }>('SELECT max(id)::int AS m FROM lease')).rows[0].m;
    const next = (await a.db.query<{ id: number }>(`SELECT nextval(pg_get_serial_sequence('lease', 'id'))::int AS id`)).rows[0].id;
    expect(next).toBeGreaterThan(max);
  });

  it('changes nothing when the file is not a backup, is damaged, or comes from another schema', { timeout: 180_000 }, async () => {
    const before = await tableFingerprints(a.db);
    const good = join(dir, 'good.parkatlas.gz');
    await backupDatabase(a.db, good);
    const lines = gunzipSync(readFileSync(good)).toString('utf8').split('\n');

    const notBackup = join(dir, 'not.gz');
    writeFileSync(notBackup, gzipSync('{"type":"FeatureCollection","features":[]}\n'));
    await expect(restoreDatabase(a.db, notBackup)).rejects.toThrow(BackupError);

    // Cut off in the middle of a table: the rows already inserted are rolled back.
    const damaged = join(dir, 'damaged.gz');
    writeFileSync(damaged, gzipSync(lines.slice(0, Math.floor(lines.length * 0.6)).join('\n') + '\n["half a row'));
    await expect(restoreDatabase(a.db, damaged)).rejects.toThrow();

    const header = JSON.parse(lines[0]);
    const otherSchema = join(dir, 'other.gz');
    writeFileSync(otherSchema, gzipSync([JSON.stringify({ ...header, migrations: header.migrations.slice(0, -1) }), ...lines.slice(1)].join('\n')));
    await expect(restoreDatabase(a.db, otherSchema)).rejects.toThrow(/migrate first/);

    expect(await tableFingerprints(a.db)).toEqual(before);
  });

  it('runs as one command each way (npm run backup / restore)', { timeout: 240_000 }, async () => {
    const file = join(dir, 'cli.parkatlas.gz');
    const before = await tableFingerprints(a.db);
    let env: NodeJS.ProcessEnv;
    let target: (TestDb & { url: string }) | undefined;
    if (process.env.DATABASE_URL) {
      env = { ...process.env, DATABASE_URL: await currentDatabaseUrl(a.db) };
    } else {
      // The embedded database belongs to one process: the command gets its own copy of the template,
      // which the tests above left this file's database equal to.
      const folder = join(dir, 'handover');
      cpSync(inject('templateDb'), folder, { recursive: true });
      env = { ...process.env, DATABASE_URL: '', PARKATLAS_DATA_DIR: folder };
    }
    const backup = await run('npm', ['run', '--silent', 'backup', '--', file], { cwd: ROOT, env });
    expect(backup.stdout).toMatch(/backed up .*tables, \d+ rows/);
    // Restore into a fresh, empty database: the command migrates it first.
    if (process.env.DATABASE_URL) {
      target = await emptyPostgres();
      env = { ...process.env, DATABASE_URL: target.url };
    } else {
      env = { ...process.env, DATABASE_URL: '', PARKATLAS_DATA_DIR: join(dir, 'restored') };
    }
    const restore = await run('npm', ['run', '--silent', 'restore', '--', file], { cwd: ROOT, env });
    expect(restore.stdout).toMatch(/restored .* tables, \d+ rows/);
    const restored = process.env.DATABASE_URL ? target!.db : await openEmbedded(join(dir, 'restored'));
    try {
      expect(await tableFingerprints(restored)).toEqual(before);
    } finally {
      if (target) await target.close();
      else await restored.close();
    }
  });

  it.runIf(process.env.DATABASE_URL)('restores a backup of the embedded database into PostgreSQL', { timeout: 300_000 }, async () => {
    const embedded = await openEmbedded();
    const file = join(dir, 'embedded.parkatlas.gz');
    let before: Record<string, string>;
    try {
      await migrate(embedded);
      await loadDemoZone(embedded, generateDemoZone({ parcels: 40 }));
      before = await tableFingerprints(embedded);
      await backupDatabase(embedded, file);
    } finally {
      await embedded.close();
    }
    const target = await emptyPostgres();
    try {
      await migrate(target.db);
      await restoreDatabase(target.db, file);
      expect(await tableFingerprints(target.db)).toEqual(before);
    } finally {
      await target.close();
    }
  });
});

// ── helpers for the command test ─────────────────────────────────────────────────────────────────────

async function currentDatabaseUrl(db: Db): Promise<string> {
  const name = (await db.query<{ d: string }>('SELECT current_database() AS d')).rows[0].d;
  const u = new URL(process.env.DATABASE_URL!);
  u.pathname = `/${name}`;
  return u.toString();
}

async function emptyPostgres(): Promise<TestDb & { url: string }> {
  const name = `parkatlas_restore_${process.pid}_${Math.floor(Math.random() * 1e6)}`;
  const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(process.env.DATABASE_URL!);
  url.pathname = `/${name}`;
  const db = await openPostgres(url.toString(), { max: 2 });
  await db.exec('CREATE EXTENSION IF NOT EXISTS postgis');
  return {
    db,
    url: url.toString(),
    close: async () => {
      await db.close();
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}
