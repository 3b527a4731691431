import type { Queryable } from '@parkatlas/db';
import type { Role } from './identity.ts';
import { newToken, sha256 } from './tokens.ts';

/** A session lasts a working day at most; signing in again starts a new one. */
export const SESSION_HOURS = 12;

export async function createSession(q: Queryable, username: string): Promise<{ token: string; csrfToken: string }> {
  const token = newToken();
  const csrfToken = newToken();
  await q.query(
    `INSERT INTO app_session (token_sha256, username, csrf_token, expires_at) VALUES ($1, $2, $3, now() + make_interval(hours => $4))`,
    [sha256(token), username, csrfToken, SESSION_HOURS],
  );
  await q.query(`UPDATE app_user SET last_login_at = now() WHERE username = $1`, [username]);
  // Expired sessions are swept here rather than by a timer.
  await q.query(`DELETE FROM app_session WHERE expires_at < now()`);
  return { token, csrfToken };
}

export interface SessionUser {
  username: string;
  role: Exclude<Role, 'public'>;
  parks: string[] | null;
  csrf_token: string;
}

/** The user behind a session token, if the session is live and the user enabled. */
export async function findSession(q: Queryable, token: string): Promise<SessionUser | undefined> {
  const r = await q.query<SessionUser>(
    `SELECT u.username, u.role, u.parks, s.csrf_token
     FROM app_session s JOIN app_user u USING (username)
     WHERE s.token_sha256 = $1 AND s.expires_at > now() AND NOT u.disabled`,
    [sha256(token)],
  );
  return r.rows[0];
}

export async function endSession(q: Queryable, token: string): Promise<void> {
  await q.query(`DELETE FROM app_session WHERE token_sha256 = $1`, [sha256(token)]);
}
