import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Db } from '@parkatlas/db';
import { apiError, industriesQuery, industriesResponse, industryChainLink, industryChainsQuery, industryChainsResponse, industryItem } from '@parkatlas/schema';
import * as repo from './repository.ts';
import { respond } from './respond.ts';

const tags = ['stats'];

/** /api/stats/industries…: enterprises and output by GB/T 4754 industry and park; theme chains. */
export function registerIndustryStats(app: FastifyInstance, db: Db): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get('/api/stats/industries', {
    schema: {
      tags, summary: 'Enterprises, revenue, tax and high-tech output by GB/T 4754 section/division and park',
      description: 'An enterprise counts in the park it is registered with. High-tech output: revenue of high-tech enterprises. by=park adds each park’s theme industry chain.',
      querystring: industriesQuery, response: { 200: industriesResponse, 400: apiError },
    },
  }, async (req, reply) => {
    const q = req.query;
    const items = await repo.industries(db, q.by);
    return respond(reply, q.format, { name: `industries-${q.by}`, item: industryItem, rows: items }, async () => {
      const sum = (k: 'enterprises' | 'revenue_cny' | 'tax_cny' | 'high_tech_output_cny') => items.reduce((s, i) => s + i[k], 0);
      const totals = repo.roundFigures({ enterprises: sum('enterprises'), revenue_cny: sum('revenue_cny'), tax_cny: sum('tax_cny'), high_tech_output_cny: sum('high_tech_output_cny') });
      return { by: q.by, items, totals, ...(q.by === 'park' ? { chains: (await repo.industryChains(db, undefined)).chains } : {}) };
    }) as never;
  });

  r.get('/api/stats/industries/chains', {
    schema: {
      tags, summary: 'Each park’s theme industry chain: links present and missing',
      description: 'The links are park.theme_industries (GB/T 4754 divisions or sections); a link is present when an enterprise of the park works in it.',
      querystring: industryChainsQuery, response: { 200: industryChainsResponse, 400: apiError },
    },
  }, async (req, reply) => {
    const q = req.query;
    const { items, chains } = await repo.industryChains(db, q.park);
    return respond(reply, q.format, { name: 'industry-chains', item: industryChainLink, rows: items }, () => ({ items, chains })) as never;
  });
}
