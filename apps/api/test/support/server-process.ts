import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';
import { openEmbedded, openPostgres, type Db } from '@parkatlas/db';
import { createKey } from '../../src/auth/keys.ts';
import { withDatabase } from './test-db.ts';

/**
 * The real server (apps/api/src/server.ts) as its own process over a private copy of the test
 * zone, for what only a process can show: signals, kills, restarts.
 */

const ROOT = join(import.meta.dirname, '../../../..');

export interface ServerDatabase {
  /** The environment server.ts reads to find this database (no demo seed, no web app). */
  env: NodeJS.ProcessEnv;
  /** Opens the database directly, once no server holds it (the embedded one is single-process). */
  open: () => Promise<Db>;
  remove: () => Promise<void>;
  /** An API key with every scope, made in the copy before any server opens it. */
  staff: { authorization: string };
}

/** A copy of the template database for a server process: a folder, or a PostgreSQL database. */
export async function serverDatabase(label: string): Promise<ServerDatabase> {
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: '0', PARKATLAS_DEMO: '0', LOG_LEVEL: 'info', PARKATLAS_WEB_DIR: '/nonexistent' };
  if (process.env.DATABASE_URL) {
    const name = `parkatlas_${label}_${process.pid}`;
    const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${inject('templateDb')}`);
    await admin.end();
    env.DATABASE_URL = withDatabase(process.env.DATABASE_URL, name);
    const open = () => openPostgres(env.DATABASE_URL!, { max: 1 });
    return {
      env,
      open,
      staff: await staffKey(open),
      remove: async () => {
        const a = new pg.Client({ connectionString: process.env.DATABASE_URL });
        await a.connect();
        await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await a.end();
      },
    };
  }
  const folder = mkdtempSync(join(tmpdir(), `parkatlas-${label}-`));
  cpSync(inject('templateDb'), folder, { recursive: true });
  env.DATABASE_URL = '';
  env.PARKATLAS_DATA_DIR = folder;
  const open = () => openEmbedded(folder);
  return { env, open, staff: await staffKey(open), remove: async () => rmSync(folder, { recursive: true, force: true }) };
}

async function staffKey(open: () => Promise<Db>): Promise<{ authorization: string }> {
  const db = await open();
  try {
    const { secret } = await createKey(db, { name: 'staff', scopes: ['read', 'read-sensitive', 'write'] }, 'test');
    return { authorization: `Bearer ${secret}` };
  } finally {
    await db.close();
  }
}

export interface ServerProcess {
  origin: string;
  child: ChildProcessWithoutNullStreams;
  /** Everything it has logged so far. */
  log: () => string;
}

/** Starts server.ts and resolves once it logs that it serves, with the port it bound. */
export async function startServerProcess(env: NodeJS.ProcessEnv): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'apps/api/src/server.ts'], { cwd: ROOT, env });
  let log = '';
  child.stderr.on('data', (d) => (log += d));
  const origin = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (d) => {
      log += d;
      const m = /"url":"(http:\/\/[^"]+)\/".*ParkAtlas is serving/.exec(log);
      if (m) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`server exited ${code}: ${log}`)));
  });
  return { origin, child, log: () => log };
}

/** Sends a signal and resolves with the exit code once the process is gone. */
export function stopProcess(child: ChildProcessWithoutNullStreams, signal: NodeJS.Signals = 'SIGKILL'): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.kill(signal);
  });
}
