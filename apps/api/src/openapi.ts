import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';

/**
 * The OpenAPI 3 document, generated from the routes' zod schemas, at /api/openapi.json, and its
 * browsable page at /api/docs. The page's scripts and styles are served from the package, so it
 * works on an offline intranet.
 */
export async function registerOpenApi(app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'ParkAtlas API',
        description: 'Every parcel, building and rentable space of the zone: one API, standard formats (园区资源一张图).',
        version: '0.1.0',
      },
      // Reading public fields needs neither; see README "Accounts, roles and keys" for who may do what.
      components: {
        securitySchemes: {
          apiKey: { type: 'http', scheme: 'bearer', description: 'An API key (pa_…) made by an admin, with scopes read, read-sensitive, write' },
          session: { type: 'apiKey', in: 'cookie', name: 'parkatlas_session', description: 'The web app\'s session (POST /api/auth/login); changes also need the X-CSRF-Token header' },
        },
      },
      security: [{}, { apiKey: [] }, { session: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: true, uiConfig: { validatorUrl: null } as never });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}
