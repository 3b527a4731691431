import type { ExpressionSpecification, LayerSpecification, SourceSpecification, StyleSpecification } from 'maplibre-gl';
import type { Lang } from '../i18n/messages.ts';
import type { LayerGroup } from '../url/app-state.ts';
import { statusColorExpression, vacancyColorExpression, ZONE_COLORS } from './palette.ts';

/**
 * The map style, built in code from the product's own tiles: no glyph server, no sprites, nothing
 * outside the page's origin. Labels are drawn by MapLibre itself (TinySDF) in the web fonts the page
 * bundles, since the style has no `glyphs` URL.
 */

/** CSS font families of the labels, the page's bundled web fonts. */
export const LABEL_FONTS = ['Noto Sans', 'Noto Sans SC'];
export const IDEOGRAPH_FONT_FAMILY = "'Noto Sans SC', sans-serif";

/**
 * Zoom from which the API fills each tile layer (apps/api/src/tiles/layers.ts), and where the map stops asking.
 * MapLibre asks for tiles source by source in this order, and the API answers them about in turn, so the
 * parcels, the map's subject, come first: last, they waited for every other source's tiles.
 */
const TILE_SOURCES = {
  parcels: { minzoom: 14, maxzoom: 16 },
  basemap: { minzoom: 0, maxzoom: 15 },
  areas: { minzoom: 0, maxzoom: 14 },
  corridors: { minzoom: 0, maxzoom: 14 },
  parks: { minzoom: 0, maxzoom: 15 },
  labels: { minzoom: 0, maxzoom: 12 },
  buildings: { minzoom: 15, maxzoom: 16 },
  floors: { minzoom: 16, maxzoom: 16 },
} as const;
export type TileSourceName = keyof typeof TILE_SOURCES;

/** Below this zoom the map has no parcels to draw (the API's first parcel zoom). */
export const PARCELS_MINZOOM = TILE_SOURCES.parcels.minzoom;

/** Map layers of each group the layer panel switches. */
export const GROUP_LAYERS: Record<LayerGroup, string[]> = {
  basemap: ['basemap-zone-fill', 'basemap-water', 'basemap-river', 'basemap-road-casing', 'basemap-road', 'basemap-zone-line', 'basemap-road-labels'],
  corridors: ['corridors-fill', 'corridors-line', 'labels-corridors'],
  areas: ['areas-fill', 'areas-line', 'labels-areas'],
  parks: ['parks-fill', 'parks-line', 'parks-focus', 'labels-parks'],
  parcels: ['parcels-fill', 'parcels-line', 'parcels-hover', 'parcels-selected', 'parcels-labels'],
  buildings: ['buildings-fill', 'buildings-line', 'buildings-hover', 'buildings-selected'],
};

/** Layers the parcel filters apply to. */
export const FILTERED_PARCEL_LAYERS = ['parcels-fill', 'parcels-line', 'parcels-hover', 'parcels-labels'];
/** Symbol layers whose text follows the language. */
export const NAME_LABEL_LAYERS = ['basemap-road-labels', 'labels-corridors', 'labels-areas', 'labels-parks'];
/** The 3D storeys, shown only in the 3D view. */
export const FLOORS_LAYER = 'floors-3d';

/** The hatch drawn over parcels whose record nobody has verified lately (made by MapView, not a sprite). */
export const STALE_LAYER = 'parcels-stale';
/** The investor view's search results: a circle at each space, coloured by its score (GeoJSON set by MapView). */
export const SPACE_RESULTS_LAYER = 'space-results';
export const STALE_PATTERN = 'stale-hatch';

/** Layers a click can pick, top first, and the collection each one shows. */
export const PICKABLE_LAYERS: [string, 'parcels' | 'buildings' | 'parks' | 'areas' | 'corridors'][] = [
  [FLOORS_LAYER, 'buildings'],
  ['buildings-fill', 'buildings'],
  ['parcels-fill', 'parcels'],
  ['parks-fill', 'parks'],
  ['corridors-fill', 'corridors'],
  ['areas-fill', 'areas'],
];

export function nameField(lang: Lang): ExpressionSpecification {
  return lang === 'en' ? ['coalesce', ['get', 'name_en'], ['get', 'name']] : ['coalesce', ['get', 'name'], ['get', 'name_en']];
}

const hovered: ExpressionSpecification = ['boolean', ['feature-state', 'hover'], false];
const kindIs = (...kinds: string[]): ExpressionSpecification => ['in', ['get', 'kind'], ['literal', kinds]];
const isPolygon: ExpressionSpecification = ['==', ['geometry-type'], 'Polygon'];
const isLine: ExpressionSpecification = ['==', ['geometry-type'], 'LineString'];
const nothing: ExpressionSpecification = ['==', ['get', 'code'], ''];

function sources(origin: string): Record<string, SourceSpecification> {
  return Object.fromEntries(
    Object.entries(TILE_SOURCES).map(([name, { minzoom, maxzoom }]) => [
      name,
      {
        type: 'vector',
        tiles: [`${origin}/api/tiles/${name}/{z}/{x}/{y}.mvt`],
        minzoom,
        maxzoom,
        // Hover and selection address features by their business code.
        ...(name === 'parcels' || name === 'buildings' ? { promoteId: 'code' } : {}),
      } satisfies SourceSpecification,
    ]),
  );
}

function labelLayout(lang: Lang, size: ExpressionSpecification | number) {
  return {
    'text-field': nameField(lang),
    'text-font': LABEL_FONTS,
    'text-size': size,
    'text-max-width': 8,
    'text-padding': 4,
  } as const;
}

const halo = { 'text-halo-color': 'rgba(255,255,255,0.9)', 'text-halo-width': 1.4 } as const;

function layers(): LayerSpecification[] {
  const roadWidth = (base: number): ExpressionSpecification => [
    'interpolate', ['exponential', 1.6], ['zoom'],
    10, ['*', base, ['match', ['get', 'rank'], 1, 1.6, 2, 1, 0.6]],
    17, ['*', base * 14, ['match', ['get', 'rank'], 1, 1.6, 2, 1, 0.6]],
  ];
  return [
    { id: 'basemap-zone-fill', type: 'fill', source: 'basemap', 'source-layer': 'basemap', filter: ['all', kindIs('zone_boundary'), isPolygon], paint: { 'fill-color': ZONE_COLORS.zone } },
    { id: 'areas-fill', type: 'fill', source: 'areas', 'source-layer': 'areas', paint: { 'fill-color': ZONE_COLORS.area, 'fill-opacity': 0.12 } },
    { id: 'corridors-fill', type: 'fill', source: 'corridors', 'source-layer': 'corridors', paint: { 'fill-color': ZONE_COLORS.corridor, 'fill-opacity': ['interpolate', ['linear'], ['zoom'], 11, 0.25, 15, 0.1] } },
    { id: 'basemap-water', type: 'fill', source: 'basemap', 'source-layer': 'basemap', filter: ['all', kindIs('water', 'river'), isPolygon], paint: { 'fill-color': ZONE_COLORS.water } },
    { id: 'basemap-river', type: 'line', source: 'basemap', 'source-layer': 'basemap', filter: ['all', kindIs('river', 'water'), isLine], paint: { 'line-color': ZONE_COLORS.river, 'line-width': ['interpolate', ['linear'], ['zoom'], 10, 1.5, 16, 8] } },
    { id: 'parks-fill', type: 'fill', source: 'parks', 'source-layer': 'parks', paint: { 'fill-color': ZONE_COLORS.park, 'fill-opacity': ['interpolate', ['linear'], ['zoom'], 11, 0.18, 13, 0.05] } },
    { id: 'basemap-road-casing', type: 'line', source: 'basemap', 'source-layer': 'basemap', filter: ['all', kindIs('road'), isLine], layout: { 'line-cap': 'round', 'line-join': 'round' }, paint: { 'line-color': ZONE_COLORS.roadCasing, 'line-width': roadWidth(1.4) } },
    { id: 'basemap-road', type: 'line', source: 'basemap', 'source-layer': 'basemap', filter: ['all', kindIs('road'), isLine], layout: { 'line-cap': 'round', 'line-join': 'round' }, paint: { 'line-color': ZONE_COLORS.road, 'line-width': roadWidth(1) } },
    { id: 'parcels-fill', type: 'fill', source: 'parcels', 'source-layer': 'parcels', paint: { 'fill-color': statusColorExpression(), 'fill-opacity': ['interpolate', ['linear'], ['zoom'], 12, 0.7, 15, 0.85] } },
    { id: 'parcels-line', type: 'line', source: 'parcels', 'source-layer': 'parcels', paint: { 'line-color': '#ffffff', 'line-width': ['interpolate', ['linear'], ['zoom'], 12, 0.3, 16, 1.2], 'line-opacity': 0.9 } },
    // Parcels whose record is stale, hatched over their status colour (filter and visibility set by MapView).
    { id: 'parcels-stale', type: 'fill', source: 'parcels', 'source-layer': 'parcels', layout: { visibility: 'none' }, filter: nothing, paint: { 'fill-pattern': STALE_PATTERN } },
    { id: 'buildings-fill', type: 'fill', source: 'buildings', 'source-layer': 'buildings', paint: { 'fill-color': vacancyColorExpression(), 'fill-opacity': 0.95 } },
    { id: 'buildings-line', type: 'line', source: 'buildings', 'source-layer': 'buildings', paint: { 'line-color': '#4a4a4a', 'line-width': 0.6 } },
    { id: 'areas-line', type: 'line', source: 'areas', 'source-layer': 'areas', paint: { 'line-color': ZONE_COLORS.area, 'line-width': 1.5, 'line-dasharray': [4, 2] } },
    { id: 'corridors-line', type: 'line', source: 'corridors', 'source-layer': 'corridors', paint: { 'line-color': ZONE_COLORS.corridor, 'line-width': 1.2, 'line-dasharray': [1, 1.5] } },
    { id: 'parks-line', type: 'line', source: 'parks', 'source-layer': 'parks', paint: { 'line-color': ZONE_COLORS.park, 'line-width': ['interpolate', ['linear'], ['zoom'], 11, 1, 15, 2.5] } },
    { id: 'parks-focus', type: 'line', source: 'parks', 'source-layer': 'parks', filter: nothing, paint: { 'line-color': ZONE_COLORS.selected, 'line-width': 4 } },
    { id: 'basemap-zone-line', type: 'line', source: 'basemap', 'source-layer': 'basemap', filter: kindIs('zone_boundary'), paint: { 'line-color': ZONE_COLORS.zoneLine, 'line-width': 2.5, 'line-dasharray': [3, 1.5] } },
    { id: 'parcels-hover', type: 'line', source: 'parcels', 'source-layer': 'parcels', paint: { 'line-color': ZONE_COLORS.hover, 'line-width': 3, 'line-opacity': ['case', hovered, 1, 0] } },
    { id: 'parcels-selected', type: 'line', source: 'parcels', 'source-layer': 'parcels', filter: nothing, paint: { 'line-color': ZONE_COLORS.selected, 'line-width': 3 } },
    { id: 'buildings-hover', type: 'line', source: 'buildings', 'source-layer': 'buildings', paint: { 'line-color': ZONE_COLORS.hover, 'line-width': 3, 'line-opacity': ['case', hovered, 1, 0] } },
    { id: 'buildings-selected', type: 'line', source: 'buildings', 'source-layer': 'buildings', filter: nothing, paint: { 'line-color': ZONE_COLORS.selected, 'line-width': 3 } },
    {
      id: FLOORS_LAYER, type: 'fill-extrusion', source: 'floors', 'source-layer': 'floors', layout: { visibility: 'none' },
      paint: {
        'fill-extrusion-color': vacancyColorExpression(),
        'fill-extrusion-base': ['get', 'base_m'],
        'fill-extrusion-height': ['get', 'top_m'],
        'fill-extrusion-opacity': 0.92,
      },
    },
    {
      id: SPACE_RESULTS_LAYER, type: 'circle', source: SPACE_RESULTS_LAYER,
      paint: {
        'circle-radius': ['case', ['boolean', ['get', 'compared'], false], 9, 7],
        'circle-color': ['interpolate', ['linear'], ['get', 'score'], 0, '#d73027', 50, '#fee08b', 100, '#1a9850'],
        'circle-stroke-color': ['case', ['boolean', ['get', 'compared'], false], '#1f2328', '#ffffff'],
        'circle-stroke-width': 2,
      },
    },
  ];
}

/**
 * The label (symbol) layers, drawn above every other layer. They stay out of the first style and are
 * added by MapView once the label fonts are loaded: MapLibre draws each glyph once and keeps it, so a
 * label laid out before would stay in a fallback font (or boxes, with no CJK font on the system), and
 * waiting for the fonts before making the map would hold back the parcels too.
 */
export function labelLayers(lang: Lang): LayerSpecification[] {
  return [
    {
      id: 'basemap-road-labels', type: 'symbol', source: 'basemap', 'source-layer': 'basemap', minzoom: 13, filter: ['all', kindIs('road'), isLine],
      layout: { ...labelLayout(lang, 12), 'symbol-placement': 'line', 'text-max-angle': 30 }, paint: { 'text-color': '#5b5446', ...halo },
    },
    {
      id: 'parcels-labels', type: 'symbol', source: 'parcels', 'source-layer': 'parcels', minzoom: 16.5,
      layout: { 'text-field': ['get', 'code'], 'text-font': LABEL_FONTS, 'text-size': 11 }, paint: { 'text-color': '#222222', ...halo },
    },
    {
      id: 'labels-corridors', type: 'symbol', source: 'labels', 'source-layer': 'labels', maxzoom: 14, filter: kindIs('corridor'),
      layout: labelLayout(lang, 13), paint: { 'text-color': '#a86a12', ...halo },
    },
    {
      id: 'labels-areas', type: 'symbol', source: 'labels', 'source-layer': 'labels', maxzoom: 13, filter: kindIs('area'),
      layout: labelLayout(lang, ['interpolate', ['linear'], ['zoom'], 10, 13, 13, 17]), paint: { 'text-color': '#6b604a', ...halo },
    },
    {
      id: 'labels-parks', type: 'symbol', source: 'labels', 'source-layer': 'labels', minzoom: 11.5, filter: kindIs('park'),
      layout: labelLayout(lang, ['interpolate', ['linear'], ['zoom'], 12, 12, 16, 16]), paint: { 'text-color': ZONE_COLORS.park, ...halo },
    },
  ];
}

/** The style without its labels (see `labelLayers`); `origin` makes the tile URLs absolute, as MapLibre needs. */
export function buildStyle(origin: string): StyleSpecification {
  const results: SourceSpecification = { type: 'geojson', data: { type: 'FeatureCollection', features: [] } };
  return { version: 8, name: 'ParkAtlas', sources: { ...sources(origin), [SPACE_RESULTS_LAYER]: results }, layers: layers() };
}
