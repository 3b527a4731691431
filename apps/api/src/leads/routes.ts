import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '@parkatlas/db';
import { apiError, lead, leadInput, leadList, leadListQuery, leadTransitionInput, pipeline, pipelineQuery, serviceFile } from '@parkatlas/schema';
import { seesSensitiveIn } from '../auth/identity.ts';
import { parksFor } from '../auth/visibility.ts';
import { ApiProblem, notFound } from '../errors.ts';
import * as repo from './repository.ts';

const tags = ['leads'];
const idParams = z.strictObject({ id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) });

const PIPELINE = `new → contacted → site_visit → negotiating → signed → moved_in, one step at a time, or lost (with a
reason) before signing. Signing needs the lease terms and creates the lease in the same transaction; if the
space is already let over those days, 409 and nothing is written. Every step is recorded with its time and
who made it (the signed-in user or API key). Anyone may register an enquiry; reading leads needs
read-sensitive (they hold contacts), moving them needs write.`;

/** Enquiries, the lead pipeline per park, and an enterprise's service file. */
export function registerLeads(app: FastifyInstance, db: Db, actorOf: (req: FastifyRequest) => string, afterWrite: () => void): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  const staff = { access: 'read-sensitive' as const };

  r.post('/api/leads', {
    config: { access: 'public' },
    schema: { tags, summary: 'Register an enquiry about a unit or a parcel', body: leadInput, response: { 201: lead, 400: apiError, 422: apiError } },
  }, async (req, reply) => {
    const created = await repo.createLead(db, req.body, actorOf(req));
    return reply.status(201).header('location', `/api/leads/${created.id}`).send(created);
  });

  r.get('/api/leads', {
    config: staff,
    schema: { tags, summary: 'Leads, newest first, by park, stage or enterprise', querystring: leadListQuery, response: { 200: leadList, 400: apiError, 422: apiError } },
  }, async (req) => {
    await repo.checkPark(db, req.query.park);
    const { park, ...filters } = req.query;
    return { items: await repo.listLeads(db, { ...filters, parks: parksFor(req.identity, park) }) };
  });

  r.get('/api/leads/pipeline', {
    config: staff,
    schema: { tags, summary: 'Leads per stage of a park (or the zone)', description: PIPELINE, querystring: pipelineQuery, response: { 200: pipeline, 400: apiError, 422: apiError } },
  }, async (req) => {
    await repo.checkPark(db, req.query.park);
    const stages = await repo.pipelineCounts(db, parksFor(req.identity, req.query.park));
    return { park: req.query.park ?? null, stages, total: Object.values(stages).reduce((a, b) => a + b, 0) };
  });

  r.get('/api/leads/:id', {
    config: staff,
    schema: { tags, summary: 'One lead with its dated, attributed steps', params: idParams, response: { 200: lead, 404: apiError } },
  }, async (req) => {
    const found = await repo.getLead(db, req.params.id);
    // Staff limited to some parks see their parks' leads; another park's is as good as absent.
    if (!found || !seesSensitiveIn(req.identity, found.park)) throw notFound('lead', String(req.params.id));
    return found;
  });

  r.post('/api/leads/:id/transitions', {
    schema: {
      tags, summary: 'Move a lead to its next stage (signing creates the lease)', description: PIPELINE,
      params: idParams, body: leadTransitionInput, response: { 200: lead, 400: apiError, 404: apiError, 409: apiError, 422: apiError },
    },
  }, async (req) => {
    const who = req.identity;
    if (who.parks !== null) {
      const found = await repo.getLead(db, req.params.id, false);
      if (found && !(found.park && who.parks.includes(found.park))) {
        throw new ApiProblem(403, 'outside_scope', `lead ${req.params.id} is in park ${found.park ?? '(none)'}; ${who.actor} may move leads of parks ${who.parks.join(', ')} only`, 'park');
      }
    }
    const moved = await repo.transitionLead(db, req.params.id, req.body, actorOf(req));
    afterWrite();
    return moved;
  });

  r.get('/api/enterprises/:uscc/file', {
    config: staff,
    schema: {
      tags, summary: "An enterprise's service file: enquiries, leases, projects, indicators over time",
      params: z.strictObject({ uscc: z.string().max(18) }), response: { 200: serviceFile, 401: apiError, 403: apiError, 404: apiError },
    },
  }, async (req) => {
    const file = await repo.serviceFile(db, req.params.uscc);
    if (!file) throw notFound('enterprise', req.params.uscc);
    const park = (file.enterprise as { park?: string | null }).park;
    if (!seesSensitiveIn(req.identity, park)) throw new ApiProblem(403, 'outside_scope', `enterprise '${req.params.uscc}' is registered in park ${park ?? '(none)'}, outside ${req.identity.actor}'s parks`, 'uscc');
    return file;
  });
}
