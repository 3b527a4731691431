import maplibregl, { type FeatureIdentifier, type LngLatBoundsLike, type Map as MlMap } from 'maplibre-gl';
import 'maplibre-gl/dist/maplibre-gl.css';
import { useEffect, useImperativeHandle, useRef, useState, type Ref } from 'react';
import type { Lang } from '../i18n/messages.ts';
import { LAYER_GROUPS, type LayerGroup, type MapViewState, type ParcelFilters, type Selection } from '../url/app-state.ts';
import { labelFontsReady } from './fonts.ts';
import { ZONE_COLORS } from './palette.ts';
import { parcelFilterExpression, staleExpression } from './parcel-filters.ts';
import {
  buildStyle,
  FILTERED_PARCEL_LAYERS,
  FLOORS_LAYER,
  GROUP_LAYERS,
  IDEOGRAPH_FONT_FAMILY,
  labelLayers,
  nameField,
  NAME_LABEL_LAYERS,
  PICKABLE_LAYERS,
  SPACE_RESULTS_LAYER,
  STALE_LAYER,
  STALE_PATTERN,
} from './style.ts';

/** [west, south, east, north] in degrees. */
export type Bounds = [number, number, number, number];

export interface MapViewHandle {
  fitBounds: (bounds: Bounds, maxZoom?: number) => void;
}

/** A space found by the investor's search, as the map draws it. */
export interface SpaceMarker {
  /** `kind:id`, as the URL names it. */
  key: string;
  rank: number;
  score: number;
  lon: number;
  lat: number;
  compared: boolean;
}

export interface MapViewProps {
  /** Where the map opens; later view changes come from the user or from the handle. */
  initialView: MapViewState;
  lang: Lang;
  filters: ParcelFilters;
  layers: Record<LayerGroup, boolean>;
  threeD: boolean;
  selection: Selection | null;
  focusPark: string | null;
  /** Hatch the parcels whose record is stale. */
  stale?: boolean;
  /** Parks or areas filled by an indicator's class colours (code → colour); null: their plain fill. */
  choropleth?: { level: 'parks' | 'areas'; colors: Record<string, string> } | null;
  /** The investor view's results, drawn as circles coloured by score; empty or absent: none. */
  spaceResults?: SpaceMarker[];
  onViewChange: (view: MapViewState, bounds: Bounds) => void;
  onSelect: (selection: Selection | null) => void;
  ref?: Ref<MapViewHandle>;
}

declare global {
  interface Window {
    /** The map, for the browser tests and for whoever debugs in the console. */
    parkatlasMap?: MlMap;
  }
}

// MapLibre's tile worker takes a second or more to start (it parses the library again); start it as
// this module loads, while React renders, rather than when the map is made.
maplibregl.prewarm();

/** However slow the parcel tiles, the rest of the map shows after this long. */
const CANVAS_REVEAL_TIMEOUT_MS = 3000;

const HOVERABLE = ['buildings-fill', 'parcels-fill'];
const SOURCE_OF: Record<string, 'buildings' | 'parcels'> = { 'buildings-fill': 'buildings', 'parcels-fill': 'parcels' };

function viewOf(map: MlMap): MapViewState {
  const c = map.getCenter();
  return { center: [c.lng, c.lat], zoom: map.getZoom(), bearing: map.getBearing(), pitch: map.getPitch() };
}

function boundsOf(map: MlMap): Bounds {
  const b = map.getBounds();
  const clamp = (v: number, lim: number) => Math.max(-lim, Math.min(lim, v));
  return [clamp(b.getWest(), 180), clamp(b.getSouth(), 85), clamp(b.getEast(), 180), clamp(b.getNorth(), 85)];
}

/**
 * The one owner of the MapLibre map. The map and its style are made once; each prop then changes
 * the existing layers in place (filters, visibility, text fields), never rebuilding them.
 */
export function MapView(props: MapViewProps) {
  const container = useRef<HTMLDivElement>(null);
  const mapRef = useRef<MlMap | null>(null);
  const [ready, setReady] = useState(false);
  // The labels come later than the map: see `labelLayers`.
  const [labelsReady, setLabelsReady] = useState(false);
  // Event handlers are bound once; they read the latest callbacks through this ref.
  const latest = useRef(props);
  latest.current = props;

  useImperativeHandle(props.ref, () => ({
    fitBounds: (bounds, maxZoom = 16) => mapRef.current?.fitBounds(bounds as LngLatBoundsLike, { padding: 60, maxZoom, duration: 900 }),
  }), []);

  useEffect(() => {
    let cancelled = false;
    const created = createMap();
    // Parcels need no font: the map starts at once, and its labels join once the first view is drawn and
    // the fonts are in. Asking for the fonts only then (the page's own text may have loaded them already)
    // keeps their decoding out of the way of the first frames: navigation → parcels painted, warm, median
    // 2.52 → 2.26 s over six alternated pairs (bench/README, Tiles, first paint, session 5).
    created.once('load', () => {
      void labelFontsReady().then(() => {
        if (cancelled) return;
        for (const layer of labelLayers(latest.current.lang)) created.addLayer(layer);
        performance.mark('parkatlas:labels-added');
        setLabelsReady(true);
      });
    });
    return () => {
      cancelled = true;
      created.remove();
      mapRef.current = null;
      if (window.parkatlasMap === created) delete window.parkatlasMap;
    };
  }, []);

  /** Makes the map and binds its events, once. */
  function createMap(): MlMap {
    const { initialView } = latest.current;
    const map = new maplibregl.Map({
      container: container.current!,
      style: buildStyle(window.location.origin),
      center: initialView.center,
      zoom: initialView.zoom,
      bearing: initialView.bearing,
      pitch: initialView.pitch,
      maxPitch: 75,
      localIdeographFontFamily: IDEOGRAPH_FONT_FAMILY,
      fadeDuration: 0,
      attributionControl: { compact: true, customAttribution: 'ParkAtlas' },
    });
    mapRef.current = map;
    window.parkatlasMap = map;
    performance.mark('parkatlas:map-created');
    map.addControl(new maplibregl.NavigationControl({ visualizePitch: true }), 'top-right');
    map.addControl(new maplibregl.ScaleControl({ unit: 'metric' }), 'bottom-right');

    const report = () => latest.current.onViewChange(viewOf(map), boundsOf(map));
    map.on('moveend', report);
    // The canvas stays hidden until the view's parcels are in (or the map is idle, or a few seconds
    // pass). Without a GPU (headless Chromium, and the virtual desktops of many government offices)
    // each frame the page shows is rasterized on the CPU and read back synchronously: the partial
    // frames drawn as each tile arrives held the next tile's arrival back by 100–200 ms each. Hidden,
    // those frames are still drawn but not composited. Navigation → parcels painted, warm median
    // 1.91 → 1.56 s, cold 2.93 → 2.46 s, six alternated pairs (bench/README, Tiles, first paint, session 6).
    const canvas = map.getCanvas();
    canvas.style.visibility = 'hidden';
    const revealCanvas = () => {
      if (canvas.style.visibility !== 'hidden') return;
      canvas.style.visibility = '';
      clearTimeout(revealAnyway);
      performance.mark('parkatlas:canvas-shown');
    };
    const revealAnyway = setTimeout(revealCanvas, CANVAS_REVEAL_TIMEOUT_MS);
    map.once('remove', () => clearTimeout(revealAnyway));
    // The first frame drawn with every parcel tile of the view in it: what "the map is up" means to a
    // user (the bench reads it), whatever the basemap and zone sources are still doing.
    const markParcelsPainted = () => {
      if (!map.getLayer('parcels-fill') || !map.isSourceLoaded('parcels')) return;
      revealCanvas();
      if (map.queryRenderedFeatures({ layers: ['parcels-fill'] }).length === 0) return;
      performance.mark('parkatlas:parcels-painted');
      map.off('render', markParcelsPainted);
    };
    map.on('render', markParcelsPainted);
    // By the first idle every tile of the view is drawn: a view with no parcels (zoomed out) marks nothing.
    map.once('idle', () => {
      revealCanvas();
      map.off('render', markParcelsPainted);
    });
    map.on('load', () => {
      performance.mark('parkatlas:map-loaded');
      setReady(true);
      report();
    });

    map.on('click', (e) => {
      const pickable = PICKABLE_LAYERS.filter(([id]) => map.getLayoutProperty(id, 'visibility') !== 'none');
      const hits = map.queryRenderedFeatures(e.point, { layers: pickable.map(([id]) => id) });
      const top = hits[0];
      if (!top) return latest.current.onSelect(null);
      const collection = pickable.find(([id]) => id === top.layer.id)![1];
      const id = top.layer.id === FLOORS_LAYER ? top.properties.building : top.properties.code;
      latest.current.onSelect(id ? { collection, id: String(id) } : null);
    });

    let hover: FeatureIdentifier | null = null;
    const setHover = (next: FeatureIdentifier | null) => {
      if (hover && next && hover.source === next.source && hover.id === next.id) return;
      if (hover) map.setFeatureState(hover, { hover: false });
      hover = next;
      if (hover) map.setFeatureState(hover, { hover: true });
      map.getCanvas().style.cursor = hover ? 'pointer' : '';
    };
    map.on('mousemove', (e) => {
      const layers = HOVERABLE.filter((id) => map.getLayer(id) && map.getLayoutProperty(id, 'visibility') !== 'none');
      const top = map.queryRenderedFeatures(e.point, { layers })[0];
      const source = top && SOURCE_OF[top.layer.id];
      setHover(top && source && top.id !== undefined ? { source, sourceLayer: source, id: top.id } : null);
    });
    map.on('mouseout', () => setHover(null));
    // The stale-record hatch: a small diagonal stripe made here, so the style needs no sprite server.
    map.on('styleimagemissing', (e) => {
      if (e.id !== STALE_PATTERN || map.hasImage(STALE_PATTERN)) return;
      const size = 8;
      const data = new Uint8Array(size * size * 4);
      for (let y = 0; y < size; y++) {
        for (let x = 0; x < size; x++) {
          if ((x + y) % size < 2) data.set([31, 35, 40, 200], (y * size + x) * 4);
        }
      }
      map.addImage(STALE_PATTERN, { width: size, height: size, data });
    });
    return map;
  }

  const map = ready ? mapRef.current : null;
  /** The layers among `ids` the map has now (the labels only once added). */
  const present = (ids: string[]) => ids.filter((id) => map!.getLayer(id));

  useEffect(() => {
    if (!map) return;
    for (const id of present(NAME_LABEL_LAYERS)) map.setLayoutProperty(id, 'text-field', nameField(props.lang));
  }, [map, labelsReady, props.lang]);

  useEffect(() => {
    if (!map) return;
    const filter = parcelFilterExpression(props.filters);
    for (const id of present(FILTERED_PARCEL_LAYERS)) map.setFilter(id, filter);
    map.setFilter(STALE_LAYER, (filter ? ['all', filter, staleExpression()] : staleExpression()) as maplibregl.FilterSpecification);
  }, [map, labelsReady, props.filters]);

  useEffect(() => {
    if (!map) return;
    map.setLayoutProperty(STALE_LAYER, 'visibility', props.stale && props.layers.parcels ? 'visible' : 'none');
  }, [map, props.stale, props.layers.parcels]);

  useEffect(() => {
    if (!map) return;
    for (const group of LAYER_GROUPS) {
      for (const id of present(GROUP_LAYERS[group])) map.setLayoutProperty(id, 'visibility', props.layers[group] ? 'visible' : 'none');
    }
    map.setLayoutProperty(FLOORS_LAYER, 'visibility', props.threeD && props.layers.buildings ? 'visible' : 'none');
  }, [map, labelsReady, props.layers, props.threeD]);

  const firstThreeD = useRef(true);
  useEffect(() => {
    if (!map) return;
    // Flat footprints would show through the storeys; in 3D the storeys carry the colour.
    map.setPaintProperty('buildings-fill', 'fill-opacity', props.threeD ? 0.25 : 0.95);
    if (firstThreeD.current) {
      // The view a link opened with (pitch included) stays as it was.
      firstThreeD.current = false;
      return;
    }
    // Storeys come in tiles from z16 on.
    if (props.threeD) map.easeTo({ pitch: 60, zoom: Math.max(map.getZoom(), 16), duration: 800 });
    else map.easeTo({ pitch: 0, duration: 600 });
  }, [map, props.threeD]);

  useEffect(() => {
    if (!map) return;
    const sel = props.selection;
    const only = (collection: string) => ['==', ['get', 'code'], sel?.collection === collection ? sel.id : ''] as maplibregl.FilterSpecification;
    map.setFilter('parcels-selected', only('parcels'));
    map.setFilter('buildings-selected', only('buildings'));
  }, [map, props.selection]);

  useEffect(() => {
    if (!map) return;
    map.setFilter('parks-focus', ['==', ['get', 'code'], props.focusPark ?? '']);
  }, [map, props.focusPark]);

  // The style's own fills of parks and areas, to put back when the choropleth goes.
  const plainFills = useRef<Record<string, { color: unknown; opacity: unknown }>>({});
  useEffect(() => {
    if (!map) return;
    for (const level of ['parks', 'areas'] as const) {
      const id = `${level}-fill`;
      plainFills.current[id] ??= { color: map.getPaintProperty(id, 'fill-color'), opacity: map.getPaintProperty(id, 'fill-opacity') };
      const c = props.choropleth;
      const entries = c?.level === level ? Object.entries(c.colors) : [];
      if (entries.length) {
        map.setPaintProperty(id, 'fill-color', ['match', ['get', 'code'], ...entries.flat(), '#d0d0d0']);
        map.setPaintProperty(id, 'fill-opacity', 0.75);
      } else {
        map.setPaintProperty(id, 'fill-color', plainFills.current[id].color);
        map.setPaintProperty(id, 'fill-opacity', plainFills.current[id].opacity);
      }
    }
  }, [map, props.choropleth]);

  useEffect(() => {
    if (!map) return;
    const source = map.getSource(SPACE_RESULTS_LAYER) as maplibregl.GeoJSONSource | undefined;
    source?.setData({
      type: 'FeatureCollection',
      features: (props.spaceResults ?? []).map(({ lon, lat, ...p }) => ({ type: 'Feature', geometry: { type: 'Point', coordinates: [lon, lat] }, properties: p })),
    });
  }, [map, props.spaceResults]);

  return <div ref={container} className="map" style={{ background: ZONE_COLORS.background }} data-testid="map" data-ready={ready && labelsReady ? 'true' : 'false'} />;
}
