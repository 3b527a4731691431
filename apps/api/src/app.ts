import Fastify, { type FastifyReply, type FastifyRequest, type FastifyServerOptions } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { Db } from '@parkatlas/db';
import { registerAuth } from './auth/plugin.ts';
import { registerAccounts } from './auth/routes.ts';
import { registerCollection } from './collections/routes.ts';
import type { Extent } from './collections/checks.ts';
import { defaultExtent } from './config.ts';
import { registerErrorHandler } from './errors.ts';
import { registerOpenApi } from './openapi.ts';
import { registerExports } from './exports/routes.ts';
import type { HandlersInFlight } from './in-flight.ts';
import { registerImports, type ImportOptions } from './imports/routes.ts';
import { registerOgcApi } from './ogc/index.ts';
import { registerCodes } from './routes/codes.ts';
import { collections } from './routes/collections.ts';
import { registerHealth, registerReadiness, type Lifecycle } from './routes/health.ts';
import { registerSecurity } from './security.ts';
import { registerParkSummary } from './routes/park-summary.ts';
import { registerTiles } from './routes/tiles.ts';
import { registerStats } from './stats/index.ts';
import { registerSpaces } from './spaces/index.ts';
import { registerWeb } from './web.ts';

export interface AppOptions {
  db: Db;
  /** Every stored coordinate must fall in here: minLon, minLat, maxLon, maxLat. */
  extent?: Extent;
  logger?: FastifyServerOptions['logger'];
  /** The built web app to serve at `/`. */
  webDir?: string;
  /** Largest request body, bytes. */
  bodyLimit?: number;
  /** Longest a request may take to arrive and be answered, ms (slow clients are cut off). */
  requestTimeoutMs?: number;
  /** Other origins whose pages may call the API (CORS); none by default. */
  corsOrigins?: string[];
  /** Shutdown state for /api/ready, shared with server.ts. */
  lifecycle?: Lifecycle;
  /** Counts running handlers, for shutdown to wait on (server.ts). */
  handlers?: HandlersInFlight;
  /** Saved searches are evaluated this often, ms (a lease ends with time, not with a write); 0 or absent: only after writes. */
  alertsEveryMs?: number;
  /** Bulk imports: the upload size limit. */
  imports?: ImportOptions;
}

/** Who made a write, for the history: the signed-in user or the API key. */
const actorOf = (req: FastifyRequest): string => req.identity.actor;

/** Builds the API from its parts. It never listens: server.ts does, tests use inject(). */
export async function buildApp(options: AppOptions) {
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: options.bodyLimit ?? 8 * 1024 * 1024,
    requestTimeout: options.requestTimeoutMs ?? 300_000,
    // Unknown query parameters must be reported, so keep them as given.
    routerOptions: { ignoreTrailingSlash: true },
    // URLs the router cannot even read (broken percent-encoding): answered in the API's error
    // shape, without echoing the path back.
    frameworkErrors: (error, _req, reply) => {
      const status = error.statusCode && error.statusCode < 500 ? error.statusCode : 400;
      (reply as FastifyReply).code(status).send({ error: { code: status === 414 ? 'url_too_long' : 'bad_url', message: status === 414 ? 'a part of the URL is too long' : 'the URL is not valid (broken percent-encoding?)', field: 'url' } });
    },
  });
  options.handlers?.track(app);
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandler(app);
  registerSecurity(app, options.corsOrigins);
  registerAuth(app, options.db);
  await registerOpenApi(app);
  registerHealth(app, options.db);
  registerReadiness(app, options.db, options.lifecycle ?? { draining: false });
  registerAccounts(app, options.db);
  registerCodes(app, options.db);
  const ctx = { db: options.db, extent: options.extent ?? defaultExtent(), actorOf };
  for (const def of collections) registerCollection(app, def, ctx);
  registerExports(app, options.db);
  await registerImports(app, ctx, options.imports);
  registerStats(app, options.db);
  registerParkSummary(app, options.db);
  registerSpaces(app, ctx, options.alertsEveryMs ?? 0);
  await registerTiles(app, options.db);
  await registerOgcApi(app, ctx);
  if (options.webDir) await registerWeb(app, options.webDir);
  return app;
}

export type App = Awaited<ReturnType<typeof buildApp>>;
