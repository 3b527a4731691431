import type { FastifyInstance } from 'fastify';

/**
 * Browser-facing protections on every response, and a strict CORS policy: the map is served by the
 * API itself, so by default no other origin may read anything; an agency's web dashboard gets in by
 * being named in PARKATLAS_CORS_ORIGINS. (GIS tools and scripts do not use CORS at all.)
 */

/**
 * Everything the pages load comes from this origin (the product is offline by design). MapLibre
 * runs its workers from blob: URLs and decodes images through blob:/data:; React sets inline styles.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "child-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const HEADERS: Record<string, string> = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'same-origin',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=()',
};

const ALLOWED_METHODS = 'GET, HEAD, POST, PUT, PATCH, DELETE';
const ALLOWED_HEADERS = 'Content-Type, If-Match, If-None-Match, X-CSRF-Token, Authorization, X-Api-Key';
const EXPOSED_HEADERS = 'ETag, Location, Content-Disposition, Link';

export function registerSecurity(app: FastifyInstance, corsOrigins: readonly string[] = []): void {
  const allowed = new Set(corsOrigins.map((o) => o.replace(/\/$/, '')));
  app.addHook('onRequest', async (req, reply) => {
    const origin = req.headers.origin;
    // A CORS preflight: answer it here, before routing (no route handles OPTIONS).
    if (req.method === 'OPTIONS' && origin && req.headers['access-control-request-method']) {
      if (!allowed.has(origin)) {
        return reply.status(403).send({ error: { code: 'cors_origin_not_allowed', message: `origin ${origin} may not call this API (PARKATLAS_CORS_ORIGINS)`, field: 'origin' } });
      }
      return reply
        .status(204)
        .header('access-control-allow-origin', origin)
        .header('access-control-allow-methods', ALLOWED_METHODS)
        .header('access-control-allow-headers', ALLOWED_HEADERS)
        .header('access-control-max-age', '600')
        .header('vary', 'Origin')
        .send();
    }
  });
  app.addHook('onSend', async (req, reply, payload) => {
    for (const [name, value] of Object.entries(HEADERS)) if (!reply.hasHeader(name)) reply.header(name, value);
    const origin = req.headers.origin;
    if (origin && allowed.has(origin)) {
      reply.header('access-control-allow-origin', origin).header('access-control-expose-headers', EXPOSED_HEADERS);
      // Cross-origin readers named by the operator may read the tiles and data too.
      reply.header('cross-origin-resource-policy', 'cross-origin');
    }
    if (allowed.size > 0) reply.header('vary', reply.hasHeader('vary') ? `${reply.getHeader('vary')}, Origin` : 'Origin');
    return payload;
  });
}
