import { z } from 'zod';

// Accounts, sessions and API keys (issue 7).

export const USER_ROLES = ['admin', 'planner', 'analyst', 'investor'] as const;
export const KEY_SCOPES = ['read', 'read-sensitive', 'write'] as const;
export const PERMISSIONS = ['read-sensitive', 'write', 'admin'] as const;

const parkCode = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'a park code');
const parks = z.array(parkCode).max(100).nullable().describe('Parks this account is limited to (row-level scope); null: the whole zone');
const password = z.string().max(1024);

export const loginInput = z.strictObject({
  username: z.string().min(1).max(64),
  password,
});

export const userSummary = z.object({
  username: z.string(),
  display_name: z.string(),
  role: z.enum(USER_ROLES),
  parks: z.array(z.string()).nullable(),
});

export const whoAmI = z.object({
  user: userSummary.nullable(),
  role: z.enum(['public', ...USER_ROLES]).describe('A key is shown as the role its scopes amount to'),
  key: z.string().nullable().describe('The API key in use, by id'),
  permissions: z.array(z.enum(PERMISSIONS)),
  parks: z.array(z.string()).nullable(),
  csrf_token: z.string().nullable().describe('A signed-in browser sends this in X-CSRF-Token with every change'),
});

export const userItem = userSummary.extend({
  department: z.string().nullable(),
  disabled: z.boolean(),
  created_at: z.string(),
  last_login_at: z.string().nullable(),
});
export const userList = z.object({ items: z.array(userItem) });

const username = z.string().regex(/^[a-z0-9][a-z0-9._-]{1,63}$/, '2 to 64 lowercase letters, digits, . _ -');

export const userInput = z.strictObject({
  username,
  display_name: z.string().min(1).max(100).optional(),
  password: password.describe('At least 12 characters'),
  role: z.enum(USER_ROLES),
  parks: parks.optional(),
  department: z.string().max(100).nullable().optional(),
});

export const userPatch = z.strictObject({
  display_name: z.string().min(1).max(100).optional(),
  password: password.optional(),
  role: z.enum(USER_ROLES).optional(),
  parks: parks.optional(),
  department: z.string().max(100).nullable().optional(),
  disabled: z.boolean().optional(),
});

export const apiKeyItem = z.object({
  id: z.string(),
  name: z.string(),
  scopes: z.array(z.enum(KEY_SCOPES)),
  parks: z.array(z.string()).nullable(),
  rate_limit_per_minute: z.number().int(),
  created_by: z.string(),
  created_at: z.string(),
  expires_at: z.string().nullable(),
  revoked_at: z.string().nullable(),
  last_used_at: z.string().nullable(),
});
export const apiKeyList = z.object({ items: z.array(apiKeyItem) });

export const apiKeyInput = z.strictObject({
  name: z.string().min(1).max(100),
  scopes: z.array(z.enum(KEY_SCOPES)).min(1).max(3),
  parks: parks.optional(),
  rate_limit_per_minute: z.number().int().min(1).max(1_000_000).optional(),
  expires_at: z.iso.date().optional().describe('The key stops working when this day begins (server time)'),
});

export const apiKeyCreated = z.object({
  key: apiKeyItem,
  secret: z.string().describe('Shown this once; only its digest is stored'),
});

export const revertInput = z.strictObject({
  version: z.number().int().positive().describe('The version to bring back'),
});

export type WhoAmI = z.infer<typeof whoAmI>;
export type UserItem = z.infer<typeof userItem>;
export type UserInput = z.infer<typeof userInput>;
export type UserPatch = z.infer<typeof userPatch>;
export type ApiKeyItem = z.infer<typeof apiKeyItem>;
export type ApiKeyInput = z.infer<typeof apiKeyInput>;
export type ApiKeyCreated = z.infer<typeof apiKeyCreated>;
