import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '@parkatlas/db';
import { apiError, apiKeyCreated, apiKeyInput, apiKeyList, loginInput, userInput, userItem, userList, userPatch, whoAmI } from '@parkatlas/schema';
import { ApiProblem } from '../errors.ts';
import { userIdentity, type Identity } from './identity.ts';
import * as keys from './keys.ts';
import { dummyHash, verifyPassword } from './passwords.ts';
import { SESSION_COOKIE, readCookie, sessionCookie } from './plugin.ts';
import { SESSION_HOURS, createSession, endSession } from './sessions.ts';
import { LoginThrottle } from './throttle.ts';
import * as users from './users.ts';

const tags = ['accounts'];

function describe(who: Identity) {
  return {
    user: null as z.infer<typeof whoAmI>['user'],
    role: who.role,
    key: who.keyId ?? null,
    permissions: [...who.permissions],
    parks: who.parks === null ? null : [...who.parks],
    csrf_token: who.csrfToken ?? null,
  };
}

async function whoIs(db: Db, who: Identity) {
  const out = describe(who);
  if (who.username) {
    const u = await users.getUser(db, who.username);
    if (u) out.user = { username: u.username, display_name: u.display_name, role: u.role, parks: u.parks };
  }
  return out;
}

/** Where a login attempt comes from, for throttling. */
const clientOf = (req: FastifyRequest) => `ip:${req.ip}`;

/** Sign in and out, who am I, and the admin's users and keys. */
export function registerAccounts(app: FastifyInstance, db: Db): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const throttle = new LoginThrottle();

  r.post('/api/auth/login', {
    config: { access: 'public' },
    schema: {
      tags, summary: 'Sign in with a password; sets the session cookie',
      description: 'Repeated failures for a username or from an address are throttled: after 5, each further attempt waits (429, Retry-After), doubling up to 15 minutes.',
      body: loginInput, response: { 200: whoAmI, 400: apiError, 401: apiError, 429: apiError },
    },
  }, async (req, reply) => {
    const { username, password } = req.body;
    const subjects = [`user:${username.toLowerCase()}`, clientOf(req)];
    const wait = throttle.waitSeconds(subjects);
    if (wait > 0) {
      reply.header('retry-after', String(wait));
      throw new ApiProblem(429, 'too_many_attempts', `too many failed sign-ins: try again in ${wait} s`, 'password');
    }
    const stored = await users.passwordHashOf(db, username);
    // Verify against a dummy hash for unknown users, so the answer's timing does not tell who exists.
    const ok = await verifyPassword(password, stored ?? (await dummyHash()));
    if (!stored || !ok) {
      throttle.fail(subjects);
      throw new ApiProblem(401, 'invalid_credentials', 'wrong username or password', 'password');
    }
    throttle.succeed(subjects[0]);
    const session = await createSession(db, username);
    const user = (await users.getUser(db, username))!;
    reply.header('set-cookie', sessionCookie(req, session.token, SESSION_HOURS * 3600));
    return whoIs(db, userIdentity(user, session));
  });

  r.post('/api/auth/logout', {
    config: { access: 'signed-in' },
    schema: { tags, summary: 'Sign out: ends the session', response: { 204: z.null(), 401: apiError, 403: apiError } },
  }, async (req, reply) => {
    const token = readCookie(req, SESSION_COOKIE);
    if (token) await endSession(db, token);
    return reply.status(204).header('set-cookie', sessionCookie(req, '', 0)).send(null);
  });

  r.get('/api/auth/me', {
    schema: { tags, summary: 'Who the request is made as, and what it may do', response: { 200: whoAmI } },
  }, async (req) => whoIs(db, req.identity));

  const admin = { access: 'admin' as const };
  const usernameParams = z.strictObject({ username: z.string().max(64) });

  r.get('/api/admin/users', { config: admin, schema: { tags, summary: 'Users', response: { 200: userList, 401: apiError, 403: apiError } } },
    async () => ({ items: await users.listUsers(db) }));

  r.post('/api/admin/users', {
    config: admin,
    schema: { tags, summary: 'Create a user', body: userInput, response: { 201: userItem, 400: apiError, 401: apiError, 403: apiError, 409: apiError, 422: apiError } },
  }, async (req, reply) => reply.status(201).send(await users.createUser(db, req.body)));

  r.patch('/api/admin/users/:username', {
    config: admin,
    schema: {
      tags, summary: 'Change a user (a new password, role, scope or disabling ends their sessions)',
      params: usernameParams, body: userPatch, response: { 200: userItem, 400: apiError, 401: apiError, 403: apiError, 404: apiError, 409: apiError, 422: apiError },
    },
  }, async (req) => {
    if (req.params.username === req.identity.username && (req.body.disabled || (req.body.role && req.body.role !== 'admin'))) {
      throw new ApiProblem(409, 'last_admin', 'an admin cannot disable or demote themselves; ask another admin', 'role');
    }
    return users.updateUser(db, req.params.username, req.body);
  });

  r.get('/api/admin/keys', { config: admin, schema: { tags, summary: 'API keys (never their secrets)', response: { 200: apiKeyList, 401: apiError, 403: apiError } } },
    async () => ({ items: await keys.listKeys(db) }));

  r.post('/api/admin/keys', {
    config: admin,
    schema: { tags, summary: 'Create an API key; its secret is in this answer only', body: apiKeyInput, response: { 201: apiKeyCreated, 400: apiError, 401: apiError, 403: apiError, 422: apiError } },
  }, async (req, reply) => {
    const created = await keys.createKey(db, req.body, req.identity.actor);
    return reply.status(201).header('cache-control', 'no-store').send(created);
  });

  r.delete('/api/admin/keys/:id', {
    config: admin,
    schema: { tags, summary: 'Revoke an API key', params: z.strictObject({ id: z.string().max(64) }), response: { 204: z.null(), 401: apiError, 403: apiError, 404: apiError } },
  }, async (req, reply) => {
    await keys.revokeKey(db, req.params.id);
    return reply.status(204).send(null);
  });
}
