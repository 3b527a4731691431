import type { Queryable } from '@parkatlas/db';
import type { UserItem } from '@parkatlas/schema';
import { ApiProblem } from '../errors.ts';
import { hashPassword } from './passwords.ts';

/** A user as the admin API shows it (never the password hash). */
export type User = UserItem;

const COLUMNS = `username, display_name, role, parks, department, disabled,
  to_jsonb(created_at) #>> '{}' AS created_at, to_jsonb(last_login_at) #>> '{}' AS last_login_at`;

/** The shortest password accepted: long passphrases beat composition rules (NIST SP 800-63B). */
export const MIN_PASSWORD_LENGTH = 12;

export interface NewUser {
  username: string;
  password: string;
  role: User['role'];
  display_name?: string;
  parks?: string[] | null;
  department?: string | null;
}

export async function createUser(q: Queryable, u: NewUser): Promise<User> {
  if (u.password.length < MIN_PASSWORD_LENGTH) throw new ApiProblem(400, 'weak_password', `a password needs at least ${MIN_PASSWORD_LENGTH} characters`, 'password');
  await checkParks(q, u.parks);
  const r = await q.query<User>(
    `INSERT INTO app_user (username, display_name, password_hash, role, parks, department)
     VALUES ($1, $2, $3, $4, $5::text[], $6) RETURNING ${COLUMNS}`,
    [u.username, u.display_name ?? u.username, await hashPassword(u.password), u.role, u.parks ?? null, u.department ?? null],
  );
  return r.rows[0];
}

export async function listUsers(q: Queryable): Promise<User[]> {
  return (await q.query<User>(`SELECT ${COLUMNS} FROM app_user ORDER BY username`)).rows;
}

export async function getUser(q: Queryable, username: string): Promise<User | undefined> {
  return (await q.query<User>(`SELECT ${COLUMNS} FROM app_user WHERE username = $1`, [username])).rows[0];
}

/** The stored hash of an enabled user, for a login. */
export async function passwordHashOf(q: Queryable, username: string): Promise<string | undefined> {
  const r = await q.query<{ password_hash: string }>(`SELECT password_hash FROM app_user WHERE username = $1 AND NOT disabled`, [username]);
  return r.rows[0]?.password_hash;
}

export interface UserChange {
  display_name?: string;
  password?: string;
  role?: User['role'];
  parks?: string[] | null;
  department?: string | null;
  disabled?: boolean;
}

/** Changes a user; a new password, a new role or disabling ends their sessions. */
export async function updateUser(q: Queryable, username: string, c: UserChange): Promise<User> {
  if (c.password !== undefined && c.password.length < MIN_PASSWORD_LENGTH) {
    throw new ApiProblem(400, 'weak_password', `a password needs at least ${MIN_PASSWORD_LENGTH} characters`, 'password');
  }
  await checkParks(q, c.parks);
  const hash = c.password === undefined ? null : await hashPassword(c.password);
  const r = await q.query<User>(
    `UPDATE app_user SET
       display_name = coalesce($2, display_name),
       password_hash = coalesce($3, password_hash),
       role = coalesce($4, role),
       parks = CASE WHEN $5::boolean THEN $6::text[] ELSE parks END,
       department = CASE WHEN $7::boolean THEN $8 ELSE department END,
       disabled = coalesce($9, disabled)
     WHERE username = $1 RETURNING ${COLUMNS}`,
    [username, c.display_name ?? null, hash, c.role ?? null, c.parks !== undefined, c.parks ?? null, c.department !== undefined, c.department ?? null, c.disabled ?? null],
  );
  if (!r.rows[0]) throw new ApiProblem(404, 'not_found', `user '${username}' does not exist`);
  if (hash || c.role || c.disabled || c.parks !== undefined) await q.query(`DELETE FROM app_session WHERE username = $1`, [username]);
  return r.rows[0];
}

export async function adminExists(q: Queryable): Promise<boolean> {
  return (await q.query(`SELECT 1 FROM app_user WHERE role = 'admin' AND NOT disabled LIMIT 1`)).rows.length > 0;
}

/** Park codes named for a row-level scope must exist, so a typo cannot silently scope someone to nothing. */
export async function checkParks(q: Queryable, parks: string[] | null | undefined): Promise<void> {
  if (!parks) return;
  if (parks.length === 0) throw new ApiProblem(400, 'invalid_parks', 'give at least one park, or null for the whole zone', 'parks');
  const r = await q.query<{ code: string }>(`SELECT code FROM park WHERE code = ANY($1::text[])`, [parks]);
  const unknown = parks.filter((p) => !r.rows.some((x) => x.code === p));
  if (unknown.length) throw new ApiProblem(422, 'unknown_park', `no park with code ${unknown.join(', ')}`, 'parks');
}

/**
 * The first admin, from PARKATLAS_ADMIN_USER / PARKATLAS_ADMIN_PASSWORD at start: there is no
 * default password, so a zone with no admin has none until one is given.
 */
export async function createFirstAdmin(q: Queryable, username: string, password: string | undefined): Promise<'created' | 'exists' | 'no-password'> {
  if (await adminExists(q)) return 'exists';
  if (!password) return 'no-password';
  await createUser(q, { username, password, role: 'admin', display_name: username });
  return 'created';
}
