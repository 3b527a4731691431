import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { AdminView } from './admin/AdminView.tsx';
import { api, geometryBounds, type Feature, type NamedZone, type ParcelListItem } from './api/client.ts';
import { useSession } from './auth/session.tsx';
import { SignIn } from './auth/SignIn.tsx';
import { useChoropleth } from './dashboard/choropleth.ts';
import { Dashboard } from './dashboard/Dashboard.tsx';
import { I18nProvider, makeI18n } from './i18n/i18n.tsx';
import { InvestorView } from './investor/InvestorView.tsx';
import { spaceKey, type SpaceItem } from './investor/space-api.ts';
import { useSpaceSearch } from './investor/useSpaceSearch.ts';
import { MapView, type Bounds, type MapViewHandle } from './map/MapView.tsx';
import { PARCELS_MINZOOM } from './map/style.ts';
import { DetailPanel, type ZoneNames } from './panels/DetailPanel.tsx';
import { FilterPanel } from './panels/FilterPanel.tsx';
import { ImportPanel } from './panels/ImportPanel.tsx';
import { LayerPanel } from './panels/LayerPanel.tsx';
import { Legend } from './panels/Legend.tsx';
import { ParkPanel } from './panels/ParkPanel.tsx';
import { ResultList } from './panels/ResultList.tsx';
import { formatAppState, parseAppState, TABS, type AppState, type MapViewState, type Selection, type Tab } from './url/app-state.ts';

type Zones = Record<'parks' | 'areas' | 'corridors', Feature<NamedZone>[]>;

/** Loads the parks, areas and corridors once: they name the filters, the park view and the panels. */
function useZones(): Zones {
  const [zones, setZones] = useState<Zones>({ parks: [], areas: [], corridors: [] });
  useEffect(() => {
    const abort = new AbortController();
    Promise.all([api.zones('parks', abort.signal), api.zones('areas', abort.signal), api.zones('corridors', abort.signal)]).then(
      ([parks, areas, corridors]) => setZones({ parks: parks.features, areas: areas.features, corridors: corridors.features }),
      () => undefined,
    );
    return () => abort.abort();
  }, []);
  return zones;
}

/** Keeps the URL equal to the state (replaceState, a little after the last change), so a link reproduces the view. */
function useUrlSync(state: AppState): void {
  useEffect(() => {
    const timer = setTimeout(() => {
      const url = formatAppState(state);
      // With the path: a bare '#…' would keep the old query string.
      if (url !== window.location.search + window.location.hash) window.history.replaceState(null, '', window.location.pathname + url);
    }, 150);
    return () => clearTimeout(timer);
  }, [state]);
}

export function App() {
  const [state, setState] = useState<AppState>(() => parseAppState(window.location.search, window.location.hash));
  const [bounds, setBounds] = useState<Bounds | null>(null);
  const initialView = useRef(state.view).current;
  const map = useRef<MapViewHandle>(null);
  const zones = useZones();
  const session = useSession();
  useUrlSync(state);
  // The tabs this user may open; a link to another (the admin tab, signed out) shows the map.
  const tabs = TABS.filter((tab) => tab !== 'admin' || session.can('admin'));
  const tab: Tab = tabs.includes(state.tab) ? state.tab : 'map';

  const i18n = makeI18n(state.lang);
  useEffect(() => {
    document.documentElement.lang = state.lang === 'zh' ? 'zh-CN' : 'en';
    document.title = `${i18n.t('appTitle')} · ParkAtlas`;
  }, [state.lang]);

  const update = useCallback((patch: Partial<AppState>) => setState((s) => ({ ...s, ...patch })), []);
  const onViewChange = useCallback((view: MapViewState, b: Bounds) => {
    setState((s) => ({ ...s, view }));
    setBounds(b);
  }, []);
  const onSelect = useCallback((selection: Selection | null) => update({ selection }), [update]);
  const onPickParcel = useCallback((f: Feature<ParcelListItem>) => {
    update({ selection: { collection: 'parcels', id: String(f.properties.code) } });
    map.current?.fitBounds(geometryBounds(f.geometry), 17);
  }, [update]);
  const onPickParcelCode = useCallback((code: string) => {
    update({ selection: { collection: 'parcels', id: code } });
    api.item('parcels', code).then((f) => 'geometry' in f && map.current?.fitBounds(geometryBounds(f.geometry as Feature['geometry']), 17), () => undefined);
  }, [update]);
  const choroplethColors = useChoropleth(state.choropleth, state.asOf);
  const onChoosePark = useCallback((park: Feature<NamedZone> | null) => {
    update({ park: park?.properties.code ?? null });
    if (park) map.current?.fitBounds(geometryBounds(park.geometry), 15);
  }, [update]);

  const spaceResults = useSpaceSearch(state.space, tab === 'space');
  // The list's item last flown to, with what it selected: it stays marked while that selection holds.
  const [pickedSpace, setPickedSpace] = useState<{ key: string; selection: Selection } | null>(null);
  const onPickSpace = useCallback((item: SpaceItem) => {
    // The map selects parcels and buildings: a unit shows as its building.
    const selection: Selection = item.kind === 'unit' && item.building ? { collection: 'buildings', id: item.building } : { collection: 'parcels', id: item.parcel };
    update({ selection });
    setPickedSpace({ key: spaceKey(item), selection });
    const d = 0.0015;
    map.current?.fitBounds([item.lon - d, item.lat - d, item.lon + d, item.lat + d], 17);
  }, [update]);

  const zoneNames = useMemo<ZoneNames>(() => {
    const index = (list: Feature<NamedZone>[]) => new Map(list.map((f) => [f.properties.code, f.properties]));
    return { parks: index(zones.parks), areas: index(zones.areas), corridors: index(zones.corridors) };
  }, [zones]);

  return (
    <I18nProvider lang={state.lang}>
      <div className={`app tab-${tab}`} data-lang={state.lang}>
        <header className="topbar">
          <h1>
            {i18n.t('appTitle')} <small>{i18n.t('appSubtitle')}</small>
          </h1>
          <div className="actions">
            <button type="button" data-testid="toggle-3d" className={state.threeD ? 'on' : ''} onClick={() => update({ threeD: !state.threeD })}>
              {state.threeD ? i18n.t('view2d') : i18n.t('view3d')}
            </button>
            <button type="button" data-testid="toggle-lang" onClick={() => update({ lang: state.lang === 'zh' ? 'en' : 'zh' })}>
              {i18n.t('switchLanguage')}
            </button>
            <SignIn />
          </div>
        </header>
        <aside className="sidebar">
          <nav className="tabs" role="tablist">
            {tabs.map((t) => (
              <button key={t} type="button" role="tab" data-testid={`tab-${t}`} aria-selected={tab === t}
                className={tab === t ? 'on' : ''} onClick={() => update({ tab: t })}>
                {i18n.t(`tab_${t}`)}
              </button>
            ))}
          </nav>
          {tab === 'map' ? (
            <>
              <ParkPanel parks={zones.parks} park={state.park} onChoose={onChoosePark} />
              <FilterPanel filters={state.filters} parks={zones.parks.map((f) => f.properties)} areas={zones.areas.map((f) => f.properties)} onChange={(filters) => update({ filters })} />
              <ResultList filters={state.filters} bounds={bounds} selected={state.selection?.collection === 'parcels' ? state.selection.id : null} onPick={onPickParcel} />
              {session.can('write') && <ImportPanel />}
            </>
          ) : tab === 'admin' ? (
            <AdminView parks={zones.parks.map((f) => f.properties)} />
          ) : tab === 'space' ? (
            <InvestorView
              space={state.space}
              results={spaceResults}
              parks={zones.parks.map((f) => f.properties)}
              center={state.view.center}
              selected={pickedSpace && state.selection?.collection === pickedSpace.selection.collection && state.selection.id === pickedSpace.selection.id ? pickedSpace.key : null}
              onChange={(space) => update({ space })}
              onPick={onPickSpace}
            />
          ) : (
            <Dashboard
              park={state.park}
              asOf={state.asOf}
              choropleth={state.choropleth}
              choroplethColors={choroplethColors}
              parks={zones.parks.map((f) => f.properties)}
              onChange={(patch) => {
                update(patch);
                const park = patch.park && zones.parks.find((f) => f.properties.code === patch.park);
                if (park) map.current?.fitBounds(geometryBounds(park.geometry), 15);
              }}
              onPickParcel={onPickParcelCode}
            />
          )}
        </aside>
        <main className="map-area">
          <MapView
            ref={map}
            initialView={initialView}
            lang={state.lang}
            filters={state.filters}
            layers={state.layers}
            threeD={state.threeD}
            selection={state.selection}
            focusPark={state.park}
            stale={state.stale}
            choropleth={state.choropleth && choroplethColors ? { level: state.choropleth.level, colors: choroplethColors.colors } : null}
            spaceResults={tab === 'space' ? spaceResults.markers : undefined}
            onViewChange={onViewChange}
            onSelect={onSelect}
          />
          {state.layers.parcels && state.view.zoom < PARCELS_MINZOOM && (
            <div className="overlay top-center hint" data-testid="zoom-hint">
              {i18n.t('zoomInForParcels')}
            </div>
          )}
          <div className="overlay top-left">
            <LayerPanel layers={state.layers} onChange={(layers) => update({ layers })} stale={state.stale} onStaleChange={(stale) => update({ stale })} />
          </div>
          <div className="overlay bottom-left">
            <Legend threeD={state.threeD} stale={state.stale} />
          </div>
          {state.selection && (
            // Keyed by the user too: signing in or out reloads it with what they may see and do.
            <DetailPanel key={`${state.selection.collection}/${state.selection.id}/${session.me.user?.username ?? ''}`} selection={state.selection} zones={zoneNames}
              canWrite={session.can('write')} onSelect={onSelect} />
          )}
        </main>
      </div>
    </I18nProvider>
  );
}
