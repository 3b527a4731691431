import { describe, expect, it } from 'vitest';
import { parcelFilterExpression, parcelQuery } from '../src/map/parcel-filters.ts';
import { defaultState, formatAppState, parseAppState, type AppState } from '../src/url/app-state.ts';

function roundTrip(state: AppState): AppState {
  const url = new URL(formatAppState(state), 'http://localhost/');
  return parseAppState(url.search, url.hash);
}

describe('the shared link', () => {
  it('reproduces view, filters, language, layers, 3D, selection and park', () => {
    const state: AppState = {
      view: { center: [116.654321, 35.412345], zoom: 15.25, bearing: -30, pitch: 45 },
      filters: { status: ['idle', 'available'], landUse: ['M', 'W'], park: 'P03', area: 'A01', minAreaMu: 50 },
      lang: 'en',
      layers: { ...defaultState().layers, corridors: false, buildings: false },
      threeD: true,
      selection: { collection: 'buildings', id: 'B-0012' },
      park: 'P07',
      tab: 'stats',
      asOf: '2025-06-30',
      choropleth: { indicator: 'tax_per_mu', level: 'parks' },
      stale: true,
    };
    expect(roundTrip(state)).toEqual(state);
  });

  it('leaves defaults out, so the plain link is short', () => {
    expect(formatAppState(defaultState())).toBe('#12/35.415/116.675/0/0');
  });

  it('ignores malformed or unknown values rather than failing', () => {
    const s = parseAppState(
      '?status=idle,bogus&land_use=M,ZZ&park=P1;DROP&min_area_mu=-5&lang=fr&hide=parcels,nothing&sel=units:U1&tab=admin&as_of=2025-13-45&choro=tax_per_mu:buildings',
      '#99/abc/1/2/3',
    );
    expect(s.filters.status).toEqual(['idle']);
    expect(s.filters.landUse).toEqual(['M']);
    expect(s.filters.park).toBeNull();
    expect(s.filters.minAreaMu).toBeNull();
    expect(s.lang).toBe('zh');
    expect(s.layers.parcels).toBe(false);
    expect(s.selection).toBeNull();
    expect(s.view).toEqual(defaultState().view);
    expect(s.tab).toBe('map');
    expect(s.asOf).toBeNull();
    expect(s.choropleth).toBeNull();
  });
});

describe('the parcel filters', () => {
  it('say the same thing to the map and to the API', () => {
    const f = { status: ['idle' as const], landUse: ['M'], park: 'P01', area: null, minAreaMu: 10 };
    expect(parcelFilterExpression(f)).toEqual([
      'all',
      ['in', ['get', 'status'], ['literal', ['idle']]],
      ['in', ['slice', ['get', 'land_use'], 0, 1], ['literal', ['M']]],
      ['==', ['get', 'park'], 'P01'],
      ['>=', ['get', 'area_m2'], 6666.67],
    ]);
    expect(Object.fromEntries(parcelQuery(f))).toEqual({ status: 'idle', land_use: 'M', park: 'P01', min_area_m2: '6666.67' });
  });

  it('show everything when none is set', () => {
    expect(parcelFilterExpression(defaultState().filters)).toBeNull();
    expect(parcelQuery(defaultState().filters).toString()).toBe('');
  });
});
