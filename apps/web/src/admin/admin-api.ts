import { getJson, sendJson } from '../api/client.ts';

/** The admin endpoints (need the 'admin' permission): users under /api/admin/users, API keys under /api/admin/keys. */

export const USER_ROLES = ['admin', 'planner', 'analyst', 'investor'] as const;
export type UserRole = (typeof USER_ROLES)[number];

export const KEY_SCOPES = ['read', 'read-sensitive', 'write'] as const;
export type KeyScope = (typeof KEY_SCOPES)[number];

/** Passwords shorter than this are refused by the API. */
export const MIN_PASSWORD = 12;

export interface AdminUser {
  username: string;
  display_name: string;
  role: UserRole;
  /** The parks they may change; null: the whole zone. */
  parks: string[] | null;
  department: string | null;
  disabled: boolean;
  created_at: string;
  last_login_at: string | null;
}

export interface NewUser {
  username: string;
  display_name?: string;
  password: string;
  role: UserRole;
  parks?: string[] | null;
  department?: string;
}

export interface UserChange {
  display_name?: string;
  password?: string;
  role?: UserRole;
  parks?: string[] | null;
  disabled?: boolean;
}

export interface ApiKey {
  id: string;
  name: string;
  scopes: KeyScope[];
  parks: string[] | null;
  rate_limit_per_minute: number;
  created_by: string;
  created_at: string;
  expires_at: string | null;
  revoked_at: string | null;
  last_used_at: string | null;
}

export interface NewKey {
  name: string;
  scopes: KeyScope[];
  parks?: string[] | null;
  rate_limit_per_minute?: number;
  /** YYYY-MM-DD */
  expires_at?: string;
}

export const adminApi = {
  users: (signal?: AbortSignal) => getJson<{ items: AdminUser[] }>('/api/admin/users', signal),
  createUser: (user: NewUser) => sendJson<AdminUser>('POST', '/api/admin/users', user),
  updateUser: (username: string, change: UserChange) => sendJson<AdminUser>('PATCH', `/api/admin/users/${encodeURIComponent(username)}`, change),
  keys: (signal?: AbortSignal) => getJson<{ items: ApiKey[] }>('/api/admin/keys', signal),
  /** The secret comes back here only: the API keeps its digest. */
  createKey: (key: NewKey) => sendJson<{ key: ApiKey; secret: string }>('POST', '/api/admin/keys', key),
  revokeKey: (id: string) => sendJson<void>('DELETE', `/api/admin/keys/${encodeURIComponent(id)}`),
};
