import type { ApiKeyCreated, ApiKeyInput, ApiKeyItem, UserInput, UserItem, UserPatch } from '@parkatlas/schema';
import { getJson, sendJson } from '../api/client.ts';

/** The admin endpoints (need the 'admin' permission): users under /api/admin/users, API keys under /api/admin/keys. */

// The values are repeated from @parkatlas/schema (importing them would bundle zod); the types
// below are the schema's own, so the two cannot drift apart unnoticed.
export const USER_ROLES = ['admin', 'planner', 'analyst', 'investor'] as const satisfies readonly AdminUser['role'][];
export type UserRole = AdminUser['role'];

export const KEY_SCOPES = ['read', 'read-sensitive', 'write'] as const satisfies readonly ApiKey['scopes'][number][];
export type KeyScope = ApiKey['scopes'][number];

/** Passwords shorter than this are refused by the API. */
export const MIN_PASSWORD = 12;

export type AdminUser = UserItem;
export type NewUser = UserInput;
export type UserChange = UserPatch;
export type ApiKey = ApiKeyItem;
export type NewKey = ApiKeyInput;

export const adminApi = {
  users: (signal?: AbortSignal) => getJson<{ items: AdminUser[] }>('/api/admin/users', signal),
  createUser: (user: NewUser) => sendJson<AdminUser>('POST', '/api/admin/users', user),
  updateUser: (username: string, change: UserChange) => sendJson<AdminUser>('PATCH', `/api/admin/users/${encodeURIComponent(username)}`, change),
  keys: (signal?: AbortSignal) => getJson<{ items: ApiKey[] }>('/api/admin/keys', signal),
  /** The secret comes back here only: the API keeps its digest. */
  createKey: (key: NewKey) => sendJson<ApiKeyCreated>('POST', '/api/admin/keys', key),
  revokeKey: (id: string) => sendJson<void>('DELETE', `/api/admin/keys/${encodeURIComponent(id)}`),
};
