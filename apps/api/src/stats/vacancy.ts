import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Db } from '@parkatlas/db';
import { apiError, vacancyItem, vacancyQuery, vacancyResponse, vacancySeriesItem, vacancySeriesQuery, vacancySeriesResponse } from '@parkatlas/schema';
import * as repo from './repository.ts';
import { respond } from './respond.ts';

const tags = ['stats'];

const STOCK = `Stock: units of buildings completed by the day (from 1 January of the completion year). A unit is
leased when a lease covers the day (start and end days included), else reserved when flagged, else vacant.
vacancy_rate = vacant_m2 ÷ stock_m2.`;

/** /api/stats/vacancy…: vacant floor area and vacancy rate on a day, and month by month. */
export function registerVacancyStats(app: FastifyInstance, db: Db): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get('/api/stats/vacancy', {
    schema: {
      tags, summary: 'Vacant floor area and vacancy rate per building, park, area or corridor', description: STOCK,
      querystring: vacancyQuery, response: { 200: vacancyResponse, 400: apiError },
    },
  }, async (req, reply) => {
    const q = req.query;
    const asOf = await repo.resolveAsOf(db, q.as_of);
    const { items, total } = await repo.vacancy(db, asOf, q.by);
    return respond(reply, q.format, { name: `vacancy-${q.by}-${asOf}`, item: vacancyItem, rows: items }, () => ({
      as_of: asOf, by: q.by, items, total,
    })) as never;
  });

  r.get('/api/stats/vacancy/series', {
    schema: {
      tags, summary: 'Vacancy month by month, as of each month’s last day', description: STOCK,
      querystring: vacancySeriesQuery, response: { 200: vacancySeriesResponse, 400: apiError },
    },
  }, async (req, reply) => {
    const q = req.query;
    const items = await repo.vacancySeries(db, q.from, q.to, q.by);
    return respond(reply, q.format, { name: `vacancy-series-${q.by}-${q.from}-${q.to}`, item: vacancySeriesItem, rows: items }, () => ({
      by: q.by, from: q.from, to: q.to, items,
    })) as never;
  });
}
