import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '@parkatlas/db';
import { ApiProblem } from '../errors.ts';
import { PUBLIC, can, keyIdentity, userIdentity, type Identity, type Permission } from './identity.ts';
import { findKey, touchKey } from './keys.ts';
import { findSession } from './sessions.ts';
import { RateLimiter } from './throttle.ts';

/**
 * What a route asks of its caller. Unless a route says otherwise, reading is public and every
 * other method needs `write`: a new route is closed by default.
 * - `public`: anyone (an investor registering interest, the space search);
 * - `signed-in`: any user or key (saved searches and their inbox);
 * - a permission: callers holding it.
 */
export type Access = 'public' | 'signed-in' | Permission;

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
  interface FastifyRequest {
    identity: Identity;
  }
}

export const SESSION_COOKIE = 'parkatlas_session';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function readCookie(req: FastifyRequest, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}

/**
 * The cookie is HttpOnly (scripts cannot read it) and SameSite=Strict (other sites cannot send it);
 * Secure over HTTPS and on loopback, where browsers accept it over plain HTTP too. A plain-HTTP
 * intranet address gets no Secure flag, or the browser would drop the cookie and nobody could sign in.
 */
export function sessionCookie(req: FastifyRequest, token: string, maxAgeSeconds: number): string {
  const loopback = /^(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$/.test(req.headers.host ?? '');
  const secure = req.protocol === 'https' || loopback ? '; Secure' : '';
  return `${SESSION_COOKIE}=${encodeURIComponent(token)}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAgeSeconds}${secure}`;
}

/** The API key, from `Authorization: Bearer pa_…` or `X-Api-Key: pa_…`. */
function presentedKey(req: FastifyRequest): string | undefined {
  const auth = req.headers.authorization;
  if (auth !== undefined) {
    const m = /^Bearer\s+(\S+)$/i.exec(auth);
    if (!m) throw new ApiProblem(401, 'invalid_authorization', 'the Authorization header must be "Bearer <API key>"', 'authorization');
    return m[1];
  }
  const header = req.headers['x-api-key'];
  return typeof header === 'string' ? header : undefined;
}

function requiredAccess(req: FastifyRequest): Access {
  return req.routeOptions.config?.access ?? (SAFE_METHODS.has(req.method) ? 'public' : 'write');
}

function allows(who: Identity, access: Access): boolean {
  if (access === 'public') return true;
  if (access === 'signed-in') return who.kind !== 'public';
  return can(who, access);
}

export function refuse(who: Identity, need: string): ApiProblem {
  return who.kind === 'public'
    ? new ApiProblem(401, 'unauthenticated', `sign in (POST /api/auth/login) or send an API key to ${need}`, 'authorization')
    : new ApiProblem(403, 'forbidden', `${who.actor} (${who.role}) may not ${need}`);
}

/** Resolves every request's identity, then applies rate limits, CSRF protection and the route's access rule. */
export function registerAuth(app: FastifyInstance, db: Db): void {
  const rates = new RateLimiter();
  const lastTouched = new Map<string, number>();
  app.decorateRequest('identity', null as unknown as Identity);

  async function identify(req: FastifyRequest, reply: FastifyReply): Promise<Identity> {
    const secret = presentedKey(req);
    if (secret !== undefined) {
      const key = await findKey(db, secret);
      const wait = rates.take(key.id, key.rate_limit_per_minute);
      if (wait > 0) {
        reply.header('retry-after', String(wait));
        throw new ApiProblem(429, 'rate_limited', `API key '${key.id}' is limited to ${key.rate_limit_per_minute} requests a minute; retry in ${wait} s`);
      }
      // Recording use is a write; once a minute per key is enough to tell a dormant key.
      if (Date.now() - (lastTouched.get(key.id) ?? 0) > 60_000) {
        lastTouched.set(key.id, Date.now());
        await touchKey(db, key.id);
      }
      return keyIdentity(key);
    }
    const token = readCookie(req, SESSION_COOKIE);
    if (token === undefined) return PUBLIC;
    const session = await findSession(db, token);
    if (session) return userIdentity(session, { token, csrfToken: session.csrf_token });
    // A stale or forged cookie: reads go on as the public (and the cookie is cleared); writes are refused.
    reply.header('set-cookie', sessionCookie(req, '', 0));
    if (!SAFE_METHODS.has(req.method)) throw new ApiProblem(401, 'session_expired', 'your session has ended or is not valid: sign in again', 'cookie');
    return PUBLIC;
  }

  app.addHook('onRequest', async (req, reply) => {
    req.identity = PUBLIC;
    req.identity = await identify(req, reply);
    const who = req.identity;
    // No route: the 404 handler answers, whoever asks.
    if (req.routeOptions.url === undefined) return;
    if (who.kind === 'user' && !SAFE_METHODS.has(req.method) && req.headers['x-csrf-token'] !== who.csrfToken) {
      throw new ApiProblem(403, 'csrf_token', 'a signed-in browser must send its X-CSRF-Token header with every change', 'x-csrf-token');
    }
    const access = requiredAccess(req);
    if (!allows(who, access)) throw refuse(who, access === 'signed-in' ? 'use this' : access === 'write' ? 'change data' : access === 'admin' ? 'manage users and keys' : 'read sensitive data');
  });
}
