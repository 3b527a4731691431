import { DEFAULT_LANG, LANGS, type Lang } from '../i18n/messages.ts';
import { LAND_USE_MAJORS, PARCEL_STATUSES, type ParcelStatus } from '../map/palette.ts';

/**
 * Everything a shared link must reproduce: the map view, the filters, the language, the visible
 * layers, 3D, the selected feature and the park in focus. The view lives in the hash
 * (`#zoom/lat/lon/bearing/pitch`, as MapLibre writes it), the rest in the query string.
 */

export interface MapViewState {
  center: [number, number];
  zoom: number;
  bearing: number;
  pitch: number;
}

export interface ParcelFilters {
  status: ParcelStatus[];
  /** GB 50137 major classes (M, B, …). */
  landUse: string[];
  park: string | null;
  area: string | null;
  minAreaMu: number | null;
}

export const LAYER_GROUPS = ['basemap', 'corridors', 'areas', 'parks', 'parcels', 'buildings'] as const;
export type LayerGroup = (typeof LAYER_GROUPS)[number];

export const SELECTABLE = ['parcels', 'buildings', 'parks', 'areas', 'corridors'] as const;
export type SelectableCollection = (typeof SELECTABLE)[number];

export interface Selection {
  collection: SelectableCollection;
  id: string;
}

/** The admin tab is listed only for administrators; a link to it shows the map to anyone else. */
export const TABS = ['map', 'stats', 'space', 'admin'] as const;
export type Tab = (typeof TABS)[number];

/** Indicators the map can shade parks or areas by (the dashboard's choropleth). */
export const CHOROPLETH_INDICATORS = ['vacancy_rate', 'idle_share', 'tax_per_mu', 'revenue_per_mu'] as const;
export type ChoroplethIndicator = (typeof CHOROPLETH_INDICATORS)[number];
export const CHOROPLETH_LEVELS = ['parks', 'areas'] as const;
export type ChoroplethLevel = (typeof CHOROPLETH_LEVELS)[number];

export interface Choropleth {
  indicator: ChoroplethIndicator;
  level: ChoroplethLevel;
}

/** The investor's space finder (POST /api/spaces/search): the criteria as the form holds them. */
export interface SpaceCriteria {
  minAreaM2: number | null;
  maxAreaM2: number | null;
  /** Budget, CNY per m² per month. */
  maxRentM2: number | null;
  /** Budget, CNY per month in total. */
  maxTotalMonth: number | null;
  parks: string[];
  /** GB/T 4754 section or division (C, C27). */
  industry: string | null;
  moveInReady: boolean;
  groundFloor: boolean;
  minFloorLoad: number | null;
  minClearHeight: number | null;
  minPowerKva: number | null;
  availableBy: string | null;
  /** Within km of a point (the map's centre when the search was made). */
  near: { lon: number; lat: number; km: number } | null;
}

export const SPACE_SORTS = ['score', 'area', 'rent'] as const;
export type SpaceSort = (typeof SPACE_SORTS)[number];

export interface SpaceSearch {
  /** null: no search made yet. */
  criteria: SpaceCriteria | null;
  sort: SpaceSort;
  /** Spaces in the comparison, as `kind:id` (at most 4). */
  compare: string[];
}

export const MAX_COMPARE = 4;

export const NO_SPACE_CRITERIA: SpaceCriteria = {
  minAreaM2: null, maxAreaM2: null, maxRentM2: null, maxTotalMonth: null, parks: [], industry: null, moveInReady: false,
  groundFloor: false, minFloorLoad: null, minClearHeight: null, minPowerKva: null, availableBy: null, near: null,
};

export interface AppState {
  view: MapViewState;
  filters: ParcelFilters;
  lang: Lang;
  layers: Record<LayerGroup, boolean>;
  threeD: boolean;
  selection: Selection | null;
  /** The park shown in the park view (and the dashboard's scope; null: the whole zone). */
  park: string | null;
  /** The sidebar: the map's filters and results, the indicators dashboard, the investor view or user and key administration. */
  tab: Tab;
  /** The day the dashboard's figures are for; null: today. */
  asOf: string | null;
  /** Parcels whose record nobody has verified for a year are hatched. */
  stale: boolean;
  /** Parks or areas shaded by an indicator; null: none. */
  choropleth: Choropleth | null;
  /** The investor view's search, sort and comparison. */
  space: SpaceSearch;
}

/** The whole zone in view. */
export const DEFAULT_VIEW: MapViewState = { center: [116.675, 35.415], zoom: 12, bearing: 0, pitch: 0 };

export const NO_FILTERS: ParcelFilters = { status: [], landUse: [], park: null, area: null, minAreaMu: null };

export function defaultState(): AppState {
  return {
    view: { ...DEFAULT_VIEW },
    filters: { ...NO_FILTERS },
    lang: DEFAULT_LANG,
    layers: Object.fromEntries(LAYER_GROUPS.map((g) => [g, true])) as Record<LayerGroup, boolean>,
    threeD: false,
    selection: null,
    park: null,
    tab: 'map',
    asOf: null,
    choropleth: null,
    stale: false,
    space: { criteria: null, sort: 'score', compare: [] },
  };
}

const code = /^[A-Za-z0-9_-]{1,64}$/;

function list<T extends string>(value: string | null, allowed: readonly T[]): T[] {
  if (!value) return [];
  return [...new Set(value.split(',').filter((v): v is T => (allowed as readonly string[]).includes(v)))];
}

function finite(value: string | undefined, min: number, max: number): number | undefined {
  if (value === undefined || value === '') return undefined;
  const n = Number(value);
  return Number.isFinite(n) && n >= min && n <= max ? n : undefined;
}

/** Reads the state from a URL's query string and hash; anything missing or malformed keeps its default. */
export function parseAppState(search: string, hash: string): AppState {
  const state = defaultState();
  const q = new URLSearchParams(search);
  const [zoom, lat, lon, bearing, pitch] = hash.replace(/^#/, '').split('/');
  const z = finite(zoom, 0, 22);
  const la = finite(lat, -85, 85);
  const lo = finite(lon, -180, 180);
  if (z !== undefined && la !== undefined && lo !== undefined) {
    state.view = { zoom: z, center: [lo, la], bearing: finite(bearing, -180, 180) ?? 0, pitch: finite(pitch, 0, 85) ?? 0 };
  }
  state.filters.status = list(q.get('status'), PARCEL_STATUSES);
  state.filters.landUse = list(q.get('land_use'), LAND_USE_MAJORS);
  const park = q.get('park');
  if (park && code.test(park)) state.filters.park = park;
  const area = q.get('area');
  if (area && code.test(area)) state.filters.area = area;
  state.filters.minAreaMu = finite(q.get('min_area_mu') ?? undefined, 0, 1e9) ?? null;
  const lang = q.get('lang');
  if (lang && (LANGS as readonly string[]).includes(lang)) state.lang = lang as Lang;
  for (const hidden of list(q.get('hide'), LAYER_GROUPS)) state.layers[hidden] = false;
  state.threeD = q.get('3d') === '1';
  const sel = q.get('sel')?.split(':');
  if (sel?.length === 2 && (SELECTABLE as readonly string[]).includes(sel[0]) && code.test(sel[1])) {
    state.selection = { collection: sel[0] as SelectableCollection, id: sel[1] };
  }
  const focus = q.get('focus');
  if (focus && code.test(focus)) state.park = focus;
  const tab = q.get('tab');
  if (tab && tab !== 'map' && (TABS as readonly string[]).includes(tab)) state.tab = tab as Tab;
  state.stale = q.get('stale') === '1';
  const asOf = q.get('as_of');
  if (asOf && /^\d{4}-\d{2}-\d{2}$/.test(asOf) && !Number.isNaN(Date.parse(asOf))) state.asOf = asOf;
  const [indicator, level] = q.get('choro')?.split(':') ?? [];
  if ((CHOROPLETH_INDICATORS as readonly string[]).includes(indicator) && (CHOROPLETH_LEVELS as readonly string[]).includes(level)) {
    state.choropleth = { indicator: indicator as ChoroplethIndicator, level: level as ChoroplethLevel };
  }
  state.space = parseSpaceSearch(q);
  return state;
}

const isoDay = (v: string | null) => (v && /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(v)) ? v : null);
const SPACE_KEY = /^(unit|parcel):[A-Za-z0-9_-]{1,64}$/;

/**
 * The investor view's part of the link: `s=1` says a search was made; each criterion has its own
 * `s_…` parameter (ranges as `min~max`, the point as `lon,lat,km`), `s_sort` the order and `cmp` the
 * compared spaces.
 */
function parseSpaceSearch(q: URLSearchParams): SpaceSearch {
  const num = (name: string) => finite(q.get(name) ?? undefined, 0, 1e12) ?? null;
  const [minArea, maxArea] = (q.get('s_area') ?? '').split('~');
  const sort = q.get('s_sort');
  const compare = [...new Set((q.get('cmp') ?? '').split(',').filter((k) => SPACE_KEY.test(k)))].slice(0, MAX_COMPARE);
  const space: SpaceSearch = { criteria: null, sort: (SPACE_SORTS as readonly string[]).includes(sort ?? '') ? (sort as SpaceSort) : 'score', compare };
  if (q.get('s') !== '1') return space;
  const industry = q.get('s_ind');
  const [lon, lat, km] = (q.get('s_near') ?? '').split(',');
  const near = { lon: finite(lon, -180, 180), lat: finite(lat, -90, 90), km: finite(km, 0.001, 100) };
  space.criteria = {
    minAreaM2: finite(minArea, 0, 1e12) ?? null,
    maxAreaM2: finite(maxArea, 0, 1e12) ?? null,
    maxRentM2: num('s_rent'),
    maxTotalMonth: num('s_total'),
    parks: [...new Set((q.get('s_parks') ?? '').split(',').filter((p) => code.test(p)))],
    industry: industry && /^[A-T]([0-9]{2})?$/.test(industry) ? industry : null,
    moveInReady: q.get('s_ready') === '1',
    groundFloor: q.get('s_ground') === '1',
    minFloorLoad: num('s_load'),
    minClearHeight: num('s_height'),
    minPowerKva: num('s_power'),
    availableBy: isoDay(q.get('s_by')),
    near: near.lon !== undefined && near.lat !== undefined && near.km !== undefined ? { lon: near.lon, lat: near.lat, km: near.km } : null,
  };
  return space;
}

function formatSpaceSearch(space: SpaceSearch, q: URLSearchParams): void {
  const c = space.criteria;
  if (c) {
    q.set('s', '1');
    if (c.minAreaM2 !== null || c.maxAreaM2 !== null) q.set('s_area', `${c.minAreaM2 ?? ''}~${c.maxAreaM2 ?? ''}`);
    if (c.maxRentM2 !== null) q.set('s_rent', String(c.maxRentM2));
    if (c.maxTotalMonth !== null) q.set('s_total', String(c.maxTotalMonth));
    if (c.parks.length) q.set('s_parks', c.parks.join(','));
    if (c.industry) q.set('s_ind', c.industry);
    if (c.moveInReady) q.set('s_ready', '1');
    if (c.groundFloor) q.set('s_ground', '1');
    if (c.minFloorLoad !== null) q.set('s_load', String(c.minFloorLoad));
    if (c.minClearHeight !== null) q.set('s_height', String(c.minClearHeight));
    if (c.minPowerKva !== null) q.set('s_power', String(c.minPowerKva));
    if (c.availableBy) q.set('s_by', c.availableBy);
    if (c.near) q.set('s_near', `${round(c.near.lon, 6)},${round(c.near.lat, 6)},${c.near.km}`);
  }
  if (space.sort !== 'score') q.set('s_sort', space.sort);
  if (space.compare.length) q.set('cmp', space.compare.join(','));
}

const round = (n: number, digits: number) => String(Number(n.toFixed(digits)));

/** Writes the state as `?query#hash`; defaults are left out so links stay short. */
export function formatAppState(state: AppState): string {
  const q = new URLSearchParams();
  const f = state.filters;
  if (f.status.length) q.set('status', f.status.join(','));
  if (f.landUse.length) q.set('land_use', f.landUse.join(','));
  if (f.park) q.set('park', f.park);
  if (f.area) q.set('area', f.area);
  if (f.minAreaMu !== null) q.set('min_area_mu', String(f.minAreaMu));
  if (state.lang !== DEFAULT_LANG) q.set('lang', state.lang);
  const hidden = LAYER_GROUPS.filter((g) => !state.layers[g]);
  if (hidden.length) q.set('hide', hidden.join(','));
  if (state.threeD) q.set('3d', '1');
  if (state.selection) q.set('sel', `${state.selection.collection}:${state.selection.id}`);
  if (state.park) q.set('focus', state.park);
  if (state.tab !== 'map') q.set('tab', state.tab);
  if (state.stale) q.set('stale', '1');
  if (state.asOf) q.set('as_of', state.asOf);
  if (state.choropleth) q.set('choro', `${state.choropleth.indicator}:${state.choropleth.level}`);
  formatSpaceSearch(state.space, q);
  const v = state.view;
  const hash = [round(v.zoom, 2), round(v.center[1], 6), round(v.center[0], 6), round(v.bearing, 1), round(v.pitch, 1)].join('/');
  const search = q.toString().replaceAll('%2C', ',').replaceAll('%3A', ':').replaceAll('%7E', '~');
  return `${search ? `?${search}` : ''}#${hash}`;
}
