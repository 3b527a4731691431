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

export const TABS = ['map', 'stats'] as const;
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

export interface AppState {
  view: MapViewState;
  filters: ParcelFilters;
  lang: Lang;
  layers: Record<LayerGroup, boolean>;
  threeD: boolean;
  selection: Selection | null;
  /** The park shown in the park view (and the dashboard's scope; null: the whole zone). */
  park: string | null;
  /** The sidebar: the map's filters and results, or the indicators dashboard. */
  tab: Tab;
  /** The day the dashboard's figures are for; null: today. */
  asOf: string | null;
  /** Parcels whose record nobody has verified for a year are hatched. */
  stale: boolean;
  /** Parks or areas shaded by an indicator; null: none. */
  choropleth: Choropleth | null;
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
  if (q.get('tab') === 'stats') state.tab = 'stats';
  state.stale = q.get('stale') === '1';
  const asOf = q.get('as_of');
  if (asOf && /^\d{4}-\d{2}-\d{2}$/.test(asOf) && !Number.isNaN(Date.parse(asOf))) state.asOf = asOf;
  const [indicator, level] = q.get('choro')?.split(':') ?? [];
  if ((CHOROPLETH_INDICATORS as readonly string[]).includes(indicator) && (CHOROPLETH_LEVELS as readonly string[]).includes(level)) {
    state.choropleth = { indicator: indicator as ChoroplethIndicator, level: level as ChoroplethLevel };
  }
  return state;
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
  const v = state.view;
  const hash = [round(v.zoom, 2), round(v.center[1], 6), round(v.center[0], 6), round(v.bearing, 1), round(v.pitch, 1)].join('/');
  const search = q.toString().replaceAll('%2C', ',').replaceAll('%3A', ':');
  return `${search ? `?${search}` : ''}#${hash}`;
}
