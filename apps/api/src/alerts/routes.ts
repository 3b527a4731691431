import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '@parkatlas/db';
import { alertItem, alertList, alertQuery, apiError, evaluationResult, ownerQuery, savedSearch, savedSearchInput, savedSearchList } from '@parkatlas/schema';
import { can } from '../auth/identity.ts';
import { ApiProblem, notFound } from '../errors.ts';
import { WEBHOOK_TIMEOUT_MS, type AlertEvaluator } from './evaluator.ts';
import * as repo from './repository.ts';

const tags = ['alerts'];
const idParams = z.strictObject({ id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) });

const HOW = `A saved search is evaluated when it is saved (recording what matches then, without alerts), after every
write to units, parcels, buildings, leases or leads, and on POST /api/saved-searches/evaluate (e.g. daily from
cron, for leases that end with time). Each space that newly matches raises one alert in the owner's inbox
(GET /api/alerts?owner=), linking to the space on the map; with a webhook_url, each new batch is POSTed there as
JSON (fire-and-forget, ${WEBHOOK_TIMEOUT_MS / 1000} s timeout; the outcome is kept in webhook_status).
Saved searches and inboxes need a signed-in user or an API key. Each owns those under its own name (the
username, or key:<name>); staff with read-sensitive may name any owner.`;

const signedIn = { access: 'signed-in' as const };

/**
 * The owner a request may act for: staff (read-sensitive) any they name (all when none), anyone
 * else only themselves.
 */
function ownerFor(req: FastifyRequest, named: string | undefined): string | undefined {
  const who = req.identity;
  if (can(who, 'read-sensitive')) return named;
  if (named !== undefined && named !== who.actor) throw new ApiProblem(403, 'not_owner', `${who.actor} may only use its own saved searches and inbox (owner=${who.actor})`, 'owner');
  return who.actor;
}

/** Saved searches, their evaluation, and the alert inbox. */
export function registerAlerts(app: FastifyInstance, db: Db, evaluator: AlertEvaluator): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post('/api/saved-searches', {
    config: signedIn,
    schema: { tags, summary: 'Save a space search to be alerted when a space newly matches', description: HOW, body: savedSearchInput, response: { 201: savedSearch, 400: apiError, 422: apiError } },
  }, async (req, reply) => {
    const id = await repo.createSavedSearch(db, { ...req.body, owner: ownerFor(req, req.body.owner) ?? req.identity.actor });
    const [done] = await evaluator.evaluate([id]);
    return reply.status(201).header('location', `/api/saved-searches/${id}`).send(done.search);
  });

  r.get('/api/saved-searches', {
    config: signedIn,
    schema: { tags, summary: 'Saved searches, of one owner or all', querystring: ownerQuery, response: { 200: savedSearchList, 400: apiError, 401: apiError, 403: apiError } },
  }, async (req) => ({ items: await repo.listSavedSearches(db, ownerFor(req, req.query.owner)) }));

  /** A saved search the caller may see: someone else's is as good as absent. */
  async function ownSavedSearch(req: FastifyRequest, id: number) {
    const found = await repo.getSavedSearch(db, id);
    if (!found || (ownerFor(req, undefined) ?? found.owner) !== found.owner) throw notFound('saved search', String(id));
    return found;
  }

  r.get('/api/saved-searches/:id', {
    config: signedIn,
    schema: { tags, summary: 'One saved search', params: idParams, response: { 200: savedSearch, 401: apiError, 404: apiError } },
  }, async (req) => ownSavedSearch(req, req.params.id));

  r.delete('/api/saved-searches/:id', {
    config: signedIn,
    schema: { tags, summary: 'Delete a saved search and its alerts', params: idParams, response: { 204: z.null(), 401: apiError, 403: apiError, 404: apiError } },
  }, async (req, reply) => {
    await ownSavedSearch(req, req.params.id);
    await evaluator.idle();
    await repo.deleteSavedSearch(db, req.params.id);
    return reply.status(204).send(null);
  });

  r.post('/api/saved-searches/evaluate', {
    schema: {
      tags, summary: 'Evaluate saved searches now (all, or ?id=)', description: HOW,
      querystring: z.strictObject({ id: z.coerce.number().int().positive().optional() }), response: { 200: evaluationResult, 400: apiError },
    },
  }, async (req) => {
    const results = await evaluator.evaluate(req.query.id === undefined ? undefined : [req.query.id]);
    return { evaluated: results.length, alerts: results.flatMap((x) => x.alerts) };
  });

  r.get('/api/alerts', {
    config: signedIn,
    schema: { tags, summary: "An owner's alert inbox, newest first", querystring: alertQuery, response: { 200: alertList, 400: apiError, 401: apiError, 403: apiError } },
  }, async (req) => {
    await evaluator.idle();
    const owner = ownerFor(req, req.query.owner) ?? req.identity.actor;
    return repo.listAlerts(db, owner, req.query.unread === 'true', req.query.limit ?? 100);
  });

  r.post('/api/alerts/:id/read', {
    config: signedIn,
    schema: { tags, summary: 'Mark an alert read', params: idParams, response: { 200: alertItem, 401: apiError, 403: apiError, 404: apiError } },
  }, async (req) => {
    const owner = await repo.alertOwner(db, req.params.id);
    if (owner === undefined || (ownerFor(req, undefined) ?? owner) !== owner) throw notFound('alert', String(req.params.id));
    return repo.markAlertRead(db, req.params.id);
  });
}
