import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Db } from '@parkatlas/db';
import { apiError, SCORE_TOLERANCE, SCORE_WEIGHTS, spaceSearchCriteria, spaceSearchResponse } from '@parkatlas/schema';
import { checkCriteriaCodes, searchSettings, searchSpaces } from './search.ts';

const tags = ['spaces'];

const SCORING = `Hard criteria filter: vacancy on available_by (from the leases; default today), kinds, parks,
move_in_ready, ground_floor, floor load, clear height, power, near (distance), corridor. Soft criteria score:
area ${SCORE_WEIGHTS.area}, budget ${SCORE_WEIGHTS.budget}, industry fit ${SCORE_WEIGHTS.industry}, distance ${SCORE_WEIGHTS.distance} points; score = 100 × points ÷ the
weights of the soft criteria given. A space up to ${SCORE_TOLERANCE * 100}% outside the area range or over budget earns partial points
(linear) and a shortfall; beyond that it is left out. A parcel has no building yet: criteria only a built unit can
meet (move_in_ready, floor load, clear height, power) search units only.`;

/** POST /api/spaces/search: the investor's space finder over units and parcels. */
export function registerSpaceSearch(app: FastifyInstance, db: Db): void {
  app.withTypeProvider<ZodTypeProvider>().post('/api/spaces/search', {
    config: { access: 'public' },
    schema: {
      tags, summary: 'Find vacant units and available parcels, ranked by a transparent score', description: SCORING,
      body: spaceSearchCriteria, response: { 200: spaceSearchResponse, 400: apiError, 422: apiError },
    },
  }, async (req) => {
    const c = req.body;
    const { day, items } = await db.tx(async (q) => {
      const today = await searchSettings(q);
      await checkCriteriaCodes(q, c);
      const day = c.available_by ?? today;
      return { day, items: await searchSpaces(q, c, day) };
    });
    return { available_by: day, weights: { ...SCORE_WEIGHTS }, items };
  });
}
