import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Db } from '@parkatlas/db';
import { AlertEvaluator } from '../alerts/evaluator.ts';
import { registerAlerts } from '../alerts/routes.ts';
import { registerLeads } from '../leads/routes.ts';
import { registerSpaceSearch } from './routes.ts';

export interface SpacesContext {
  db: Db;
  actorOf: (req: FastifyRequest) => string;
}

/** Writes after which a space may newly match a saved search (a lease ends or goes, a unit is fitted out, a parcel is released). */
const SPACE_WRITES = /^\/api\/(units|parcels|buildings|leases)(\/|\?|$)/;

/** The investor's space finder, the lead pipeline, the enterprise service file, saved searches and alerts. */
export function registerSpaces(app: FastifyInstance, ctx: SpacesContext, evaluateEveryMs: number): void {
  const evaluator = new AlertEvaluator(ctx.db, (msg, err) => app.log.error({ err }, msg));
  registerSpaceSearch(app, ctx.db);
  registerLeads(app, ctx.db, ctx.actorOf, () => evaluator.schedule());
  registerAlerts(app, ctx.db, evaluator);
  app.addHook('onResponse', async (req, reply) => {
    if (req.method !== 'GET' && req.method !== 'HEAD' && reply.statusCode < 300 && SPACE_WRITES.test(req.url)) evaluator.schedule();
  });
  // A lease that ends frees its space with no write at all: look again now and then.
  const timer = evaluateEveryMs > 0 ? setInterval(() => evaluator.schedule(), evaluateEveryMs).unref() : undefined;
  app.addHook('onClose', async () => {
    clearInterval(timer);
    await evaluator.close();
  });
}
