import type { KEY_SCOPES, PERMISSIONS, USER_ROLES } from '@parkatlas/schema';

/**
 * Who is asking, and what they may do. Every request has an identity: a signed-in user (session
 * cookie), another system (API key), or the public (neither).
 *
 * Permissions:
 * - `read-sensitive`: enterprise revenue, tax, employees and contacts, lease rents, leads;
 * - `write`: create, change, delete, import, revert;
 * - `admin`: manage users and keys.
 * Everyone may read the public fields.
 */
export type Permission = (typeof PERMISSIONS)[number];
export type Role = 'public' | (typeof USER_ROLES)[number];
export type KeyScope = (typeof KEY_SCOPES)[number];

const ROLE_PERMISSIONS: Record<Role, Permission[]> = {
  public: [],
  investor: [],
  analyst: ['read-sensitive'],
  planner: ['read-sensitive', 'write'],
  admin: ['read-sensitive', 'write', 'admin'],
};

export interface Identity {
  kind: 'public' | 'user' | 'key';
  /** Recorded in the history: the username, or `key:<name>`. */
  actor: string;
  role: Role;
  permissions: ReadonlySet<Permission>;
  /** The parks this identity may change and see sensitive fields of; null: the whole zone. */
  parks: readonly string[] | null;
  /** For a cookie session: the token unsafe requests must echo in X-CSRF-Token. */
  csrfToken?: string;
  sessionToken?: string;
  username?: string;
  keyId?: string;
}

export const PUBLIC: Identity = { kind: 'public', actor: 'public', role: 'public', permissions: new Set(), parks: null };

export function userIdentity(u: { username: string; role: Role; parks: string[] | null }, session: { token: string; csrfToken: string }): Identity {
  return {
    kind: 'user',
    actor: u.username,
    role: u.role,
    permissions: new Set(ROLE_PERMISSIONS[u.role]),
    parks: u.parks,
    username: u.username,
    csrfToken: session.csrfToken,
    sessionToken: session.token,
  };
}

/** A key's role is the closest one its scopes amount to; its permissions are exactly its scopes. */
export function keyIdentity(k: { id: string; name: string; scopes: string[]; parks: string[] | null }): Identity {
  const permissions = new Set(k.scopes.filter((s): s is Permission => s === 'read-sensitive' || s === 'write'));
  const role: Role = permissions.has('write') ? 'planner' : permissions.has('read-sensitive') ? 'analyst' : 'public';
  return { kind: 'key', actor: `key:${k.name}`, role, permissions, parks: k.parks, keyId: k.id };
}

export const can = (who: Identity, permission: Permission): boolean => who.permissions.has(permission);

/** May this identity see the sensitive fields of a row in `park`? */
export function seesSensitiveIn(who: Identity, park: string | null | undefined): boolean {
  if (!can(who, 'read-sensitive')) return false;
  return who.parks === null || (park != null && who.parks.includes(park));
}
