import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { verifyPassword } from '../src/auth/passwords.ts';
import { serverDatabase, startServerProcess, stopProcess, type ServerDatabase } from './support/server-process.ts';

// The first admin without a default password: by command (`npm run create-admin -- USERNAME`) or
// from the environment at the server's first start.

const ROOT = join(import.meta.dirname, '../../..');
const run = promisify(execFile);
let database: ServerDatabase;

beforeAll(async () => {
  database = await serverDatabase('create_admin');
}, 120_000);
afterAll(() => database?.remove());

const createAdmin = (username: string, env: NodeJS.ProcessEnv) =>
  run(process.execPath, ['--import', 'tsx', 'apps/api/src/create-admin-cli.ts', username], { cwd: ROOT, env: { ...database.env, ...env } });

it('creates an admin with the password from the environment, and refuses a short one, creating nothing', { timeout: 120_000 }, async () => {
  const weak = await createAdmin('chief', { PARKATLAS_ADMIN_PASSWORD: 'short' }).catch((e) => e);
  expect(weak.code).toBe(1);
  expect(weak.stderr).toMatch(/at least 12 characters/);
  const done = await createAdmin('chief', { PARKATLAS_ADMIN_PASSWORD: 'the chief passphrase' });
  expect(done.stdout).toMatch(/created admin 'chief'/);
  const db = await database.open();
  try {
    const users = await db.query<{ username: string; role: string; password_hash: string }>(`SELECT username, role, password_hash FROM app_user`);
    expect(users.rows.map((u) => [u.username, u.role])).toEqual([['chief', 'admin']]);
    expect(await verifyPassword('the chief passphrase', users.rows[0].password_hash)).toBe(true);
  } finally {
    await db.close();
  }
});

/** Starts server.ts on this database with `env`, signs in as `username`, stops it; the login's status and the log. */
async function startAndSignIn(env: NodeJS.ProcessEnv, username: string, password: string): Promise<{ status: number; log: string }> {
  const server = await startServerProcess({ ...database.env, ...env });
  try {
    const res = await fetch(`${server.origin}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password }),
    });
    return { status: res.status, log: server.log() };
  } finally {
    await stopProcess(server.child, 'SIGTERM');
  }
}

it('the server makes the first admin from PARKATLAS_ADMIN_USER / PARKATLAS_ADMIN_PASSWORD, once, and warns when there is none', { timeout: 300_000 }, async () => {
  const fresh = await serverDatabase('first_admin');
  const previous = database;
  database = fresh;
  try {
    const none = await startAndSignIn({ PARKATLAS_ADMIN_USER: 'warden', PARKATLAS_ADMIN_PASSWORD: '' }, 'warden', 'anything at all');
    expect(none.status).toBe(401);
    expect(none.log).toMatch(/no admin yet: set PARKATLAS_ADMIN_PASSWORD/);

    const first = await startAndSignIn({ PARKATLAS_ADMIN_USER: 'warden', PARKATLAS_ADMIN_PASSWORD: 'the warden passphrase' }, 'warden', 'the warden passphrase');
    expect(first.status).toBe(200);
    expect(first.log).toMatch(/first admin created from PARKATLAS_ADMIN_PASSWORD/);

    // A later start with another password changes nothing: the environment only seeds an empty zone.
    const later = await startAndSignIn({ PARKATLAS_ADMIN_USER: 'warden', PARKATLAS_ADMIN_PASSWORD: 'a different passphrase' }, 'warden', 'a different passphrase');
    expect(later.status).toBe(401);
    expect(later.log).not.toMatch(/first admin created/);
    const db = await fresh.open();
    try {
      expect((await db.query<{ username: string; role: string }>(`SELECT username, role FROM app_user`)).rows).toEqual([{ username: 'warden', role: 'admin' }]);
    } finally {
      await db.close();
    }
  } finally {
    database = previous;
    await fresh.remove();
  }
});
