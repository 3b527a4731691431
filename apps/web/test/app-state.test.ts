import { describe, expect, it } from 'vitest';
import { parcelFilterExpression, parcelQuery } from '../src/map/parcel-filters.ts';
import { defaultState, formatAppState, NO_SPACE_CRITERIA, parseAppState, type AppState } from '../src/url/app-state.ts';

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
      space: { criteria: null, sort: 'score', compare: [] },
    };
    expect(roundTrip(state)).toEqual(state);
  });

  it('reproduces the investor view: every criterion, the sort and the compared spaces', () => {
    const state: AppState = {
      ...defaultState(),
      tab: 'space',
      space: {
        criteria: {
          minAreaM2: 200, maxAreaM2: 1500.5, maxRentM2: 28, maxTotalMonth: 40000, parks: ['P01', 'P03'], industry: 'C27',
          moveInReady: true, groundFloor: true, minFloorLoad: 5, minClearHeight: 6.5, minPowerKva: 250, availableBy: '2026-03-01',
          near: { lon: 116.654321, lat: 35.412345, km: 2.5 },
        },
        sort: 'rent',
        compare: ['unit:U-0001', 'parcel:JN-2021-007'],
      },
    };
    expect(roundTrip(state)).toEqual(state);
    expect(formatAppState(state)).toContain('s_area=200~1500.5');
  });

  it('keeps a search with no criteria, and an open-ended area range', () => {
    const empty: AppState = { ...defaultState(), space: { criteria: { ...NO_SPACE_CRITERIA }, sort: 'score', compare: [] } };
    expect(roundTrip(empty)).toEqual(empty);
    expect(formatAppState(empty)).toBe('?s=1#12/35.415/116.675/0/0');
    const open: AppState = { ...defaultState(), space: { criteria: { ...NO_SPACE_CRITERIA, maxAreaM2: 800 }, sort: 'score', compare: [] } };
    expect(roundTrip(open)).toEqual(open);
  });

  it('drops malformed investor criteria and caps the comparison at four', () => {
    const s = parseAppState('?tab=space&s=1&s_area=abc~-3&s_ind=Z99&s_parks=P1;x,P02&s_by=2026-02-31x&s_near=1,2&s_sort=price&cmp=unit:A,parcel:B,unit:C,unit:D,unit:E,bogus:F', '');
    expect(s.tab).toBe('space');
    expect(s.space.criteria).toEqual({ ...NO_SPACE_CRITERIA, parks: ['P02'] });
    expect(s.space.sort).toBe('score');
    expect(s.space.compare).toEqual(['unit:A', 'parcel:B', 'unit:C', 'unit:D']);
    expect(parseAppState('?s_rent=30', '').space.criteria).toBeNull();
  });

  it('keeps the admin tab in the link', () => {
    const state: AppState = { ...defaultState(), tab: 'admin' };
    expect(formatAppState(state)).toBe('?tab=admin#12/35.415/116.675/0/0');
    expect(roundTrip(state)).toEqual(state);
  });

  it('leaves defaults out, so the plain link is short', () => {
    expect(formatAppState(defaultState())).toBe('#12/35.415/116.675/0/0');
  });

  it('ignores malformed or unknown values rather than failing', () => {
    const s = parseAppState(
      '?status=idle,bogus&land_use=M,ZZ&park=P1;DROP&min_area_mu=-5&lang=fr&hide=parcels,nothing&sel=units:U1&tab=settings&as_of=2025-13-45&choro=tax_per_mu:buildings',
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
