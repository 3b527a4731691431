import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { verifyPassword } from '../src/auth/passwords.ts';
import { serverDatabase, type ServerDatabase } from './support/server-process.ts';

// `npm run create-admin -- USERNAME`: the first admin without a default password, by command.

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
