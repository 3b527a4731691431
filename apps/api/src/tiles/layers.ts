/**
 * The vector-tile layers: which rows each one carries, with which attributes, from which zoom, and
 * which tables decide its content (so a write to them changes the tiles' ETag).
 *
 * Each layer is one SQL SELECT written here, never assembled from a request. It returns the layer's
 * attributes under their tile names plus `geom` (EPSG:4326), limited to rows whose geometry meets
 * `bbox`, an SQL expression for the tile's buffered envelope in EPSG:4326 (so the GiST index on the
 * stored geometry is used). Attribute types are text, int, float8 or boolean only: ST_AsMVT writes any
 * other type (numeric, arrays) as a string, while the JS encoder would write a number.
 */

/** The layer names of the URL, which are also the layer names inside the tile. */
export const TILE_LAYERS = ['parks', 'areas', 'corridors', 'parcels', 'buildings', 'floors', 'basemap', 'labels'] as const;
export type TileLayerName = (typeof TILE_LAYERS)[number];

/**
 * Where a parcel's park, area and corridor are read: the `parcel_zone` table, which triggers keep
 * equal to the parcel_containment view (migration 004) and which costs one index look-up per parcel
 * instead of three spatial ones; or the view itself, where that table does not exist.
 */
export type ContainmentSource = 'parcel_zone' | 'parcel_containment';

export interface LayerSqlContext {
  containment: ContainmentSource;
}

export interface TileLayer {
  name: TileLayerName;
  description: string;
  /** Below this zoom the layer's tiles are empty (204): too many features to be useful or fast. */
  minzoom: number;
  /** Attribute names, in the order the SELECT returns them (besides `geom`). */
  attributes: readonly string[];
  /** Entities (as named in the `change` table) whose writes change this layer's tiles. */
  dependsOn: readonly string[];
  /** True when the content also follows the calendar (occupancy is decided by lease dates). */
  followsToday: boolean;
  /** The SELECT: attributes + geom, for rows meeting `bbox`. */
  sql: (bbox: string, ctx: LayerSqlContext) => string;
}

/**
 * The park, area and corridor of one parcel, looked up by its key. As a plain join the planner hashed
 * all 100,000 parcel_zone rows for a tile of a few thousand features (whole ST_AsMVT tiles near the
 * zone centre on PostgreSQL, old and new alternated: parcels z15 19–26 → 12–14 ms, buildings z15
 * 188–228 → 67–74 ms; bench/README, Tiles); LIMIT keeps this subquery a lookup per row.
 */
const containmentOf = (parcel: string, ctx: LayerSqlContext) =>
  `SELECT z.park, z.area, z.corridor FROM ${ctx.containment} z WHERE z.parcel = ${parcel} LIMIT 1`;

const mu = (m2: string) => `round((${m2} / (10000.0 / 15))::numeric, 2)::float8`;

/** The zone's planning units, drawn at every zoom: there are only a few dozen of them. */
const parks: TileLayer = {
  name: 'parks',
  description: 'The specialized parks (outlines)',
  minzoom: 0,
  attributes: ['code', 'name', 'name_en', 'theme', 'area_m2', 'area_mu'],
  dependsOn: ['park'],
  followsToday: false,
  sql: (bbox) => `
    SELECT k.code, k.name, k.name_en, k.theme,
           round(ST_Area(k.geom::geography))::float8 AS area_m2, ${mu('ST_Area(k.geom::geography)')} AS area_mu,
           k.geom
    FROM park k WHERE k.geom && ${bbox}`,
};

const areas: TileLayer = {
  name: 'areas',
  description: 'The development areas (outlines)',
  minzoom: 0,
  attributes: ['code', 'name', 'name_en', 'area_m2', 'area_mu'],
  dependsOn: ['area'],
  followsToday: false,
  sql: (bbox) => `
    SELECT a.code, a.name, a.name_en,
           round(ST_Area(a.geom::geography))::float8 AS area_m2, ${mu('ST_Area(a.geom::geography)')} AS area_mu,
           a.geom
    FROM area a WHERE a.geom && ${bbox}`,
};

const corridors: TileLayer = {
  name: 'corridors',
  description: 'The development corridors (bands)',
  minzoom: 0,
  attributes: ['code', 'name', 'name_en', 'theme'],
  dependsOn: ['corridor'],
  followsToday: false,
  sql: (bbox) => `
    SELECT c.code, c.name, c.name_en, c.theme, c.geom
    FROM corridor c WHERE c.geom && ${bbox}`,
};

/**
 * Parcels with what the map colours and filters on, and nothing more: names and owners stay in the
 * API, where the detail panel reads them. Park, area and corridor are those of parcel_containment (a
 * point inside the parcel), so the tile agrees with /api/parcels.
 *
 * From z14: over the 100k-parcel zone the densest z12 tile would hold 46,000 parcels (3.2 MB, 800 kB
 * gzipped) and a z13 one 14,000 (1 MB); at z14 it is 4,300 parcels, 300 kB (90 kB gzipped). Below,
 * the map shows the parks, areas and corridors (bench/tiles.ts measures what z12–13 would cost).
 */
const parcels: TileLayer = {
  name: 'parcels',
  description: 'Land parcels (宗地) with status, land use, containment, area and provenance (department, verified_at)',
  minzoom: 14,
  attributes: ['code', 'status', 'land_use', 'park', 'area', 'corridor', 'area_m2', 'department', 'verified_at'],
  dependsOn: ['parcel', 'park', 'area', 'corridor'],
  followsToday: false,
  // department and verified_at (provenance): the map shades records nobody has confirmed lately.
  sql: (bbox, ctx) => `
    SELECT p.code, p.status, p.land_use, c.park, c.area, c.corridor, round(p.area_m2::numeric, 2)::float8 AS area_m2,
           p.department, p.verified_at::text AS verified_at, p.geom
    FROM parcel p LEFT JOIN LATERAL (${containmentOf('p.code', ctx)}) c ON true
    WHERE p.geom && ${bbox}`,
};

/**
 * A unit is vacant today when no lease covers today and it is not reserved: unit_occupancy's rule
 * (003), read from space_unit (007), whose leased days (`busy`, 010) are kept in the writing
 * transaction, so a tile needs no lease look-up per unit (012's index finds a building's units).
 */
const VACANT_TODAY = `NOT su.reserved AND NOT su.busy @> current_date`;

/**
 * Building footprints with today's vacancy. The occupancy sum is building_api's (003), written out
 * here so the planner starts from the footprint index: through the view it scanned every building
 * (100 ms against 23 ms for a z15 tile over 100k parcels). tiles.test.ts checks both agree.
 */
const buildings: TileLayer = {
  name: 'buildings',
  description: "Building footprints with floors, height and today's vacancy rate",
  minzoom: 15,
  attributes: ['code', 'name', 'parcel', 'use', 'status', 'floors', 'height_m', 'units', 'vacant_units', 'vacancy_rate', 'park', 'area'],
  dependsOn: ['building', 'unit', 'lease', 'parcel', 'park', 'area'],
  followsToday: true,
  sql: (bbox, ctx) => `
    SELECT b.code, b.name, b.parcel, b.use, b.status, b.floors, b.height_m::float8 AS height_m,
           occ.units, occ.vacant_units,
           CASE WHEN occ.unit_area_m2 > 0 THEN round(occ.vacant_area_m2 / occ.unit_area_m2, 4)::float8 END AS vacancy_rate,
           c.park, c.area, b.geom
    FROM building b
    LEFT JOIN LATERAL (${containmentOf('b.parcel', ctx)}) c ON true
    CROSS JOIN LATERAL (
      SELECT count(*)::int AS units,
             count(*) FILTER (WHERE v.vacant)::int AS vacant_units,
             coalesce(sum(v.area_m2), 0) AS unit_area_m2,
             coalesce(sum(v.area_m2) FILTER (WHERE v.vacant), 0) AS vacant_area_m2
      FROM (SELECT su.area_m2, ${VACANT_TODAY} AS vacant FROM space_unit su WHERE su.building = b.code) v
    ) occ
    WHERE b.geom && ${bbox}`,
};

/** Metres per storey when a building has no recorded height. */
export const DEFAULT_STOREY_M = 3.6;

/**
 * One footprint per storey above ground, stacked from base_m to top_m, with that storey's vacancy
 * today: the 3D view extrudes each one, so an empty floor stands out in its own colour. A storey
 * without units has no vacancy_rate (nothing to let).
 */
const floors: TileLayer = {
  name: 'floors',
  description: "Each building's storeys as stacked footprints with each storey's vacancy (for 3D)",
  minzoom: 16,
  attributes: ['building', 'floor', 'base_m', 'top_m', 'units', 'vacant_units', 'vacancy_rate'],
  dependsOn: ['building', 'unit', 'lease'],
  followsToday: true,
  sql: (bbox) => `
    WITH b AS (
      SELECT code, floors, coalesce(height_m::float8 / floors, ${DEFAULT_STOREY_M}) AS storey, geom
      FROM building WHERE geom && ${bbox}
    ), occ AS (
      SELECT v.building, v.floor, count(*)::int AS units,
             count(*) FILTER (WHERE v.vacant)::int AS vacant_units,
             sum(v.area_m2) AS unit_area, coalesce(sum(v.area_m2) FILTER (WHERE v.vacant), 0) AS vacant_area
      FROM (
        SELECT su.building, su.floor, su.area_m2, ${VACANT_TODAY} AS vacant
        FROM space_unit su WHERE su.building IN (SELECT code FROM b) AND su.floor > 0
      ) v
      GROUP BY v.building, v.floor
    )
    SELECT b.code AS building, f.floor,
           round(((f.floor - 1) * b.storey)::numeric, 2)::float8 AS base_m,
           round((f.floor * b.storey - least(0.4, b.storey * 0.12))::numeric, 2)::float8 AS top_m,
           coalesce(occ.units, 0) AS units, coalesce(occ.vacant_units, 0) AS vacant_units,
           CASE WHEN occ.unit_area > 0 THEN round(occ.vacant_area / occ.unit_area, 4)::float8 END AS vacancy_rate,
           b.geom
    FROM b CROSS JOIN LATERAL generate_series(1, b.floors) AS f(floor)
    LEFT JOIN occ ON occ.building = b.code AND occ.floor = f.floor`,
};

/** Roads, rivers, water and the zone outline: the offline basemap, from the product's own data. */
const basemap: TileLayer = {
  name: 'basemap',
  description: 'Zone outline, roads, rivers and water for the offline basemap',
  minzoom: 0,
  attributes: ['kind', 'name', 'name_en', 'rank'],
  dependsOn: ['basemap_feature'],
  followsToday: false,
  sql: (bbox) => `
    SELECT f.kind, f.name, f.name_en, f.rank, f.geom
    FROM basemap_feature f WHERE f.geom && ${bbox}`,
};

/**
 * One label point per park, area and corridor (a point inside each), so a name is drawn once rather
 * than once per tile its outline crosses.
 */
const labels: TileLayer = {
  name: 'labels',
  description: 'One label point inside each park, area and corridor',
  minzoom: 0,
  attributes: ['kind', 'code', 'name', 'name_en'],
  dependsOn: ['park', 'area', 'corridor'],
  followsToday: false,
  sql: (bbox) => `
    SELECT l.kind, l.code, l.name, l.name_en, l.geom FROM (
      SELECT 'park' AS kind, code, name, name_en, ST_PointOnSurface(geom) AS geom FROM park
      UNION ALL SELECT 'area', code, name, name_en, ST_PointOnSurface(geom) FROM area
      UNION ALL SELECT 'corridor', code, name, name_en, ST_PointOnSurface(geom) FROM corridor
    ) l WHERE l.geom && ${bbox}`,
};

export const tileLayers: Record<TileLayerName, TileLayer> = { parks, areas, corridors, parcels, buildings, floors, basemap, labels };

export function isTileLayerName(name: string): name is TileLayerName {
  return (TILE_LAYERS as readonly string[]).includes(name);
}
