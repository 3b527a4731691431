import { arealGeometry, BUILDING_STATUSES, BUILDING_USES, buildingInput, buildingProperties } from '@parkatlas/schema';
import { z } from 'zod';
import { ApiProblem } from '../errors.ts';
import { anyOf, atLeast, atMost, type CollectionDef } from '../collections/definition.ts';
import { provenanceFilters } from '../collections/provenance.ts';

/** Buildings, each standing inside one parcel; vacancy comes from its units' leases. */
export const buildings: CollectionDef = {
  name: 'buildings',
  table: 'building',
  view: 'building_api',
  label: 'building',
  idColumn: 'code',
  idKind: 'text',
  geometry: arealGeometry,
  input: buildingInput,
  properties: buildingProperties,
  filters: {
    parcel: anyOf('parcel', z.string().max(64)),
    use: anyOf('use', BUILDING_USES),
    status: anyOf('status', BUILDING_STATUSES),
    park: anyOf('park', z.string().max(64)),
    area: anyOf('area', z.string().max(64)),
    min_floors: atLeast('floors', 'Fewest floors'),
    min_vacancy_rate: atLeast('vacancy_rate', 'Smallest vacancy rate, 0–1'),
    max_vacancy_rate: atMost('vacancy_rate', 'Largest vacancy rate, 0–1'),
    ...provenanceFilters,
  },
  sortable: ['code', 'floors', 'parcel', 'footprint_m2'],
  parkSql: 'v.park',
  checks: [
    async (q, row, geometry) => {
      // A footprint must lie on its own parcel (ST_CoveredBy allows sharing the parcel's edge).
      const r = await q.query<{ inside: boolean | null }>(
        `SELECT ST_CoveredBy(ST_SetSRID(ST_GeomFromGeoJSON($2::text), 4326), p.geom) AS inside
         FROM parcel p WHERE p.code = $1`,
        [row.parcel, JSON.stringify(geometry ?? (await currentGeometry(q, row.code as string)))],
      );
      if (r.rows.length === 0) throw new ApiProblem(422, 'unknown_reference', `parcel '${row.parcel}' does not exist`, 'parcel');
      if (!r.rows[0].inside) throw new ApiProblem(422, 'outside_parcel', `the building's footprint is not inside parcel '${row.parcel}'`, 'geometry');
    },
  ],
};

async function currentGeometry(q: import('@parkatlas/db').Queryable, code: string): Promise<unknown> {
  const r = await q.query<{ g: unknown }>('SELECT ST_AsGeoJSON(geom)::jsonb AS g FROM building WHERE code = $1', [code]);
  return r.rows[0]?.g;
}
