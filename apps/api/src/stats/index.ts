import type { FastifyInstance } from 'fastify';
import type { Db } from '@parkatlas/db';
import { registerIdleLandStats } from './idle-land.ts';
import { registerIndustryStats } from './industries.ts';
import { registerOutputPerMuStats } from './output-per-mu.ts';
import { registerProjectStats } from './projects.ts';
import { registerVacancyStats } from './vacancy.ts';

/**
 * The zone's indicators under /api/stats: idle land by rule, vacancy, output per mu, industries and
 * projects. Every figure is computed in SQL (migration 004_indicators.sql) from the data as it is.
 */
export function registerStats(app: FastifyInstance, db: Db): void {
  registerIdleLandStats(app, db);
  registerVacancyStats(app, db);
  registerOutputPerMuStats(app, db);
  registerIndustryStats(app, db);
  registerProjectStats(app, db);
}
