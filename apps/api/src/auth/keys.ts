import { randomBytes } from 'node:crypto';
import type { Queryable } from '@parkatlas/db';
import type { ApiKeyItem, KEY_SCOPES } from '@parkatlas/schema';
import { ApiProblem } from '../errors.ts';
import { newToken, sha256 } from './tokens.ts';
import { checkParks } from './users.ts';

/** A key as the admin API shows it (never its secret or digest). */
export type ApiKey = ApiKeyItem;

const COLUMNS = `id, name, scopes, parks, rate_limit_per_minute, created_by, to_jsonb(created_at) #>> '{}' AS created_at,
  to_jsonb(expires_at) #>> '{}' AS expires_at, to_jsonb(revoked_at) #>> '{}' AS revoked_at, to_jsonb(last_used_at) #>> '{}' AS last_used_at`;

export interface NewKey {
  name: string;
  scopes: (typeof KEY_SCOPES)[number][];
  parks?: string[] | null;
  rate_limit_per_minute?: number;
  expires_at?: string | null;
}

/** `pa_<id>_<secret>`: the id is public (it names the key in lists and logs), the secret is not. */
const SECRET = /^pa_([a-z0-9]{8,32})_([A-Za-z0-9_-]{43})$/;

/** Creates a key; the secret is returned this once and only its digest is kept. */
export async function createKey(q: Queryable, k: NewKey, createdBy: string): Promise<{ key: ApiKey; secret: string }> {
  await checkParks(q, k.parks);
  const id = randomBytes(8).toString('hex');
  const secret = `pa_${id}_${newToken()}`;
  const r = await q.query<ApiKey>(
    `INSERT INTO api_key (id, name, secret_sha256, scopes, parks, rate_limit_per_minute, created_by, expires_at)
     VALUES ($1, $2, $3, $4::text[], $5::text[], $6, $7, $8::date) RETURNING ${COLUMNS}`,
    [id, k.name, sha256(secret), k.scopes, k.parks ?? null, k.rate_limit_per_minute ?? 600, createdBy, k.expires_at ?? null],
  );
  return { key: r.rows[0], secret };
}

export async function listKeys(q: Queryable): Promise<ApiKey[]> {
  return (await q.query<ApiKey>(`SELECT ${COLUMNS} FROM api_key ORDER BY created_at, id`)).rows;
}

export async function revokeKey(q: Queryable, id: string): Promise<void> {
  const r = await q.query(`UPDATE api_key SET revoked_at = coalesce(revoked_at, now()) WHERE id = $1`, [id]);
  if (!r.rowCount) throw new ApiProblem(404, 'not_found', `API key '${id}' does not exist`);
}

/** The key a presented secret belongs to; a forged, revoked or expired secret is refused with its reason. */
export async function findKey(q: Queryable, presented: string): Promise<ApiKey> {
  const m = SECRET.exec(presented);
  const r = m ? await q.query<ApiKey & { secret_sha256: string; expired: boolean }>(`SELECT ${COLUMNS}, secret_sha256, expires_at <= now() AS expired FROM api_key WHERE id = $1`, [m[1]]) : undefined;
  const row = r?.rows[0];
  if (!row || row.secret_sha256 !== sha256(presented)) throw new ApiProblem(401, 'invalid_key', 'the API key is not valid', 'authorization');
  if (row.revoked_at) throw new ApiProblem(401, 'key_revoked', `the API key '${row.id}' was revoked`, 'authorization');
  if (row.expired) throw new ApiProblem(401, 'key_expired', `the API key '${row.id}' expired on ${row.expires_at}`, 'authorization');
  const { secret_sha256: _s, expired: _e, ...key } = row;
  return key;
}

export async function touchKey(q: Queryable, id: string): Promise<void> {
  await q.query(`UPDATE api_key SET last_used_at = now() WHERE id = $1`, [id]);
}
