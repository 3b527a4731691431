import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Db } from '@parkatlas/db';
import {
  apiError, idleLandAgeItem, idleLandAgesQuery, idleLandAgesResponse, idleLandItem, idleLandQuery, idleLandResponse,
  idleLandSummaryItem, idleLandSummaryQuery, idleLandSummaryResponse, idleLandWarningItem, idleLandWarningsQuery,
  idleLandWarningsResponse,
} from '@parkatlas/schema';
import * as repo from './repository.ts';
import { decodeCursor, encodeCursor, respond } from './respond.ts';

const tags = ['stats'];
const JSON_PAGE = 1000;

const RULES = `Classes follow 闲置土地处置办法 (MLR Order No. 53, 2012), first match wins:
unapproved; approved_unsupplied (批而未供, age from approval); completed; supplied_unused (供而未用, age from supply);
idle_1y (Art. 2: not started one full year after the agreed start date, or started with under 1/3 developed or
under 25% invested and stopped one full year; Art. 14: fee of 20% of the land price); recoverable (idle two full
years: may be recovered without compensation); stalled (Art. 2 ¶2 but stopped under a year); developing;
exempt (Art. 8: government or force majeure, with the reason). A full year is a calendar year:
idle from agreed_start_date + 1 year (2024-02-29 + 1 year = 2025-02-28). Thresholds: table idle_land_config.`;

/** /api/stats/idle-land…: every parcel's idle-land class, summaries, ages and the early warning. */
export function registerIdleLandStats(app: FastifyInstance, db: Db): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get('/api/stats/idle-land', {
    schema: {
      tags, summary: 'Every parcel’s idle-land class with the rule and dates that decided it', description: RULES,
      querystring: idleLandQuery, response: { 200: idleLandResponse, 400: apiError },
    },
  }, async (req, reply) => {
    const q = req.query;
    const asOf = await repo.resolveAsOf(db, q.as_of);
    const limit = q.limit ?? (q.format === 'csv' ? undefined : JSON_PAGE);
    const after = q.cursor === undefined ? undefined : decodeCursor(q.cursor);
    const { items, more } = await repo.listIdleLand(db, { asOf, classes: q.class, park: q.park, after, limit });
    return respond(reply, q.format, { name: `idle-land-${asOf}`, item: idleLandItem, rows: items }, async () => ({
      as_of: asOf,
      rules: await repo.idleLandRules(db),
      items,
      next: more ? encodeCursor(items[items.length - 1].parcel) : null,
    })) as never;
  });

  r.get('/api/stats/idle-land/summary', {
    schema: {
      tags, summary: 'Idle, 批而未供 and 供而未用 land per zone, park, area or corridor', description: RULES,
      querystring: idleLandSummaryQuery, response: { 200: idleLandSummaryResponse, 400: apiError },
    },
  }, async (req, reply) => {
    const q = req.query;
    const asOf = await repo.resolveAsOf(db, q.as_of);
    const items = await repo.idleLandSummary(db, asOf, q.by);
    return respond(reply, q.format, { name: `idle-land-summary-${q.by}-${asOf}`, item: idleLandSummaryItem, rows: items }, async () => ({
      as_of: asOf, by: q.by, rules: await repo.idleLandRules(db), items,
    })) as never;
  });

  r.get('/api/stats/idle-land/ages', {
    schema: {
      tags, summary: '批而未供 and 供而未用 land by whole years of age',
      querystring: idleLandAgesQuery, response: { 200: idleLandAgesResponse, 400: apiError },
    },
  }, async (req, reply) => {
    const q = req.query;
    const asOf = await repo.resolveAsOf(db, q.as_of);
    const items = await repo.idleLandAges(db, asOf, q.by);
    return respond(reply, q.format, { name: `idle-land-ages-${q.by}-${asOf}`, item: idleLandAgeItem, rows: items }, () => ({
      as_of: asOf, by: q.by, items,
    })) as never;
  });

  r.get('/api/stats/idle-land/warnings', {
    schema: {
      tags, summary: 'Early warning: parcels crossing an idle-land threshold within N days',
      description: 'Parcels whose deadline (the day they become idle_1y or recoverable) falls after as_of and at most within_days later, soonest first.',
      querystring: idleLandWarningsQuery, response: { 200: idleLandWarningsResponse, 400: apiError },
    },
  }, async (req, reply) => {
    const q = req.query;
    const asOf = await repo.resolveAsOf(db, q.as_of);
    const items = await repo.idleLandWarnings(db, asOf, q.within_days, q.park);
    return respond(reply, q.format, { name: `idle-land-warnings-${asOf}`, item: idleLandWarningItem, rows: items }, () => ({
      as_of: asOf, within_days: q.within_days, items,
    })) as never;
  });
}
