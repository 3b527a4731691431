import { useMemo } from 'react';
import type { SpaceMarker } from '../map/MapView.tsx';
import { useFetch, type Fetched } from '../panels/useFetch.ts';
import type { SpaceSearch } from '../url/app-state.ts';
import { sortSpaces, spaceApi, spaceKey, type SpaceItem, type SpaceSearchAnswer } from './space-api.ts';

export interface SpaceResults {
  fetched: Fetched<SpaceSearchAnswer>;
  /** The items in the order the list shows them. */
  sorted: SpaceItem[];
  /** The same items for the map, ranked by the API's order. */
  markers: SpaceMarker[];
}

/**
 * Runs the search the URL holds (when the investor view is open), so a shared link re-runs it; the
 * sidebar lists the answer and the map draws it.
 */
export function useSpaceSearch(space: SpaceSearch, active: boolean): SpaceResults {
  const criteria = space.criteria;
  const fetched = useFetch(active && criteria ? `spaces:${JSON.stringify(criteria)}` : null, (signal) => spaceApi.search(criteria!, signal));
  const items = fetched.data?.items;
  const sorted = useMemo(() => sortSpaces(items ?? [], space.sort), [items, space.sort]);
  const compare = space.compare.join(',');
  const markers = useMemo<SpaceMarker[]>(
    () => (items ?? []).map((i, n) => ({ key: spaceKey(i), rank: n + 1, score: i.score, lon: i.lon, lat: i.lat, compared: compare.split(',').includes(spaceKey(i)) })),
    [items, compare],
  );
  return { fetched, sorted, markers };
}
