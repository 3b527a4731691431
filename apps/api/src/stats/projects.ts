import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Db } from '@parkatlas/db';
import { apiError, projectStatsItem, projectsQuery, projectStatsResponse } from '@parkatlas/schema';
import * as repo from './repository.ts';
import { respond } from './respond.ts';

/** /api/stats/projects: the project book by status, corridor, area or park. */
export function registerProjectStats(app: FastifyInstance, db: Db): void {
  app.withTypeProvider<ZodTypeProvider>().get('/api/stats/projects', {
    schema: {
      tags: ['stats'], summary: 'Projects and investment by status, corridor, area or park',
      description: 'A project without its own area, park or corridor counts where its parcel lies; key null: none.',
      querystring: projectsQuery, response: { 200: projectStatsResponse, 400: apiError },
    },
  }, async (req, reply) => {
    const q = req.query;
    const items = await repo.projectStats(db, q.by);
    return respond(reply, q.format, { name: `projects-${q.by}`, item: projectStatsItem, rows: items }, () => ({
      by: q.by,
      items,
      total: repo.roundFigures({
        projects: items.reduce((s, i) => s + i.projects, 0),
        investment_cny: items.reduce((s, i) => s + i.investment_cny, 0),
      }),
    })) as never;
  });
}
