import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Db } from '@parkatlas/db';
import { apiError, outputPerMuItem, outputPerMuQuery, outputPerMuResponse } from '@parkatlas/schema';
import { can } from '../auth/identity.ts';
import { refuse } from '../auth/plugin.ts';
import { parksFor } from '../auth/visibility.ts';
import { ApiProblem } from '../errors.ts';
import * as repo from './repository.ts';
import { respond } from './respond.ts';

const tags = ['stats'];
const JSON_PAGE = 1000;

const SCHEME = `亩均效益: revenue, tax and employees per mu of land used. An enterprise's land is the parcels it uses on
as_of (holder of a parcel lease covering the day, else the parcel's enterprise once supplied); a park's figures
share each enterprise's over its parcels by area. Score = 100 × Σ(value ÷ benchmark × weight) ÷ Σ weight over the
scheme's indicators the data measures (tax per mu, revenue per mu, labour productivity = revenue per employee),
i.e. the published weights renormalized (standard, 3 mu or more: 40/10/10; small: 50/20). Grades by score band.
Scheme, benchmarks, weights and bands: tables output_per_mu_indicator, output_per_mu_config, output_per_mu_grade.`;

/** /api/stats/output-per-mu: 亩均效益 per enterprise, parcel or park, scored, graded and ranked. */
export function registerOutputPerMuStats(app: FastifyInstance, db: Db): void {
  app.withTypeProvider<ZodTypeProvider>().get('/api/stats/output-per-mu', {
    schema: {
      tags, summary: 'Revenue and tax per mu with the A/B/C/D grade, per enterprise, parcel or park', description: SCHEME,
      querystring: outputPerMuQuery, response: { 200: outputPerMuResponse, 400: apiError, 401: apiError, 403: apiError },
    },
  }, async (req, reply) => {
    const q = req.query;
    // Per enterprise (or per parcel, which is mostly one enterprise's) the figures are the firm's own.
    if (q.by !== 'park' && !can(req.identity, 'read-sensitive')) throw refuse(req.identity, `read output per mu by ${q.by} (an enterprise's revenue and tax)`);
    // Staff limited to some parks see their parks' firms only: one park at a time.
    let park = q.park;
    if (q.by !== 'park' && req.identity.parks !== null) {
      const parks = parksFor(req.identity, q.park);
      if (parks!.length !== 1) throw new ApiProblem(400, 'missing_park', `give park= one of ${parks!.join(', ')}`, 'park');
      park = parks![0];
    }
    const asOf = await repo.resolveAsOf(db, q.as_of);
    const limit = q.limit ?? (q.format === 'csv' ? undefined : JSON_PAGE);
    const { items, zone } = await repo.outputPerMu(db, asOf, q.by, q.grade, park, limit);
    return respond(reply, q.format, { name: `output-per-mu-${q.by}-${asOf}`, item: outputPerMuItem, rows: items }, async () => ({
      as_of: asOf, by: q.by, scheme: await repo.outputPerMuScheme(db), zone, items,
    })) as never;
  });
}
