/**
 * The API as the map uses it: same-origin JSON over fetch. Types describe only what the app reads;
 * the API's own schemas (packages/schema) are the full contract.
 */

export interface Feature<P = Record<string, unknown>> {
  type: 'Feature';
  id: string | number;
  geometry: { type: string; coordinates: unknown };
  properties: P;
}

export interface FeatureCollection<P = Record<string, unknown>> {
  type: 'FeatureCollection';
  features: Feature<P>[];
  numberReturned: number;
  next: string | null;
}

export interface Page<T> {
  items: T[];
  next: string | null;
}

export interface NamedZone {
  code: string;
  name: string;
  name_en: string | null;
}

export interface ParcelListItem extends NamedZone {
  status: string;
  land_use: string;
  area_mu: number;
  park: string | null;
  area: string | null;
}

export interface UnitItem {
  code: string;
  floor: number;
  name: string | null;
  kind: string;
  area_m2: number;
  status: 'vacant' | 'leased' | 'reserved';
  tenant: string | null;
  rent_cny_m2_month: number | null;
}

export interface EnterpriseItem {
  uscc: string;
  name: string;
  name_en: string | null;
  industry: string;
}

export interface HistoryEntry {
  version: number;
  operation: 'create' | 'update' | 'delete';
  actor: string;
  at: string;
  changed: string[];
}

export interface ParkSummary {
  code: string;
  name: string;
  name_en: string | null;
  area_mu: number;
  land: { parcels: number; land_mu: number; idle_mu: number; by_status: Record<string, { parcels: number; land_mu: number }> };
  buildings: { count: number; floor_area_m2: number };
  space: { units: number; vacant_units: number; unit_area_m2: number; vacant_area_m2: number; vacancy_rate: number | null };
  enterprises: { registered: number; tenants: number };
}

export class ApiError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

/** Sends a request and reads its JSON answer; an error answer throws ApiError with the API's message. */
async function requestJson<T>(path: string, init: RequestInit): Promise<T> {
  const res = await fetch(path, init);
  if (!res.ok) {
    let message = `${res.status} ${res.statusText}`;
    try {
      message = ((await res.json()) as { error?: { message?: string } }).error?.message ?? message;
    } catch {
      // not JSON: keep the status line
    }
    throw new ApiError(res.status, message);
  }
  return (await res.json()) as T;
}

export function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  return requestJson<T>(path, { signal, headers: { accept: 'application/json, application/geo+json' } });
}

export function postJson<T>(path: string, body: unknown, signal?: AbortSignal): Promise<T> {
  return requestJson<T>(path, {
    method: 'POST',
    signal,
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify(body),
  });
}

export const api = {
  zones: (collection: 'parks' | 'areas' | 'corridors', signal?: AbortSignal) =>
    getJson<FeatureCollection<NamedZone>>(`/api/${collection}?limit=1000`, signal),
  item: (collection: string, id: string, signal?: AbortSignal) =>
    getJson<Feature | Record<string, unknown>>(`/api/${collection}/${encodeURIComponent(id)}`, signal),
  history: (collection: string, id: string, signal?: AbortSignal) =>
    getJson<{ items: HistoryEntry[] }>(`/api/${collection}/${encodeURIComponent(id)}/history`, signal),
  parcels: (query: URLSearchParams, signal?: AbortSignal) =>
    getJson<FeatureCollection<ParcelListItem>>(`/api/parcels?${query}`, signal),
  buildingsOn: (parcel: string, signal?: AbortSignal) =>
    getJson<FeatureCollection>(`/api/buildings?parcel=${encodeURIComponent(parcel)}&limit=1000`, signal),
  unitsIn: (building: string, signal?: AbortSignal) =>
    getJson<Page<UnitItem>>(`/api/units?building=${encodeURIComponent(building)}&limit=10000&sort=floor`, signal),
  enterprise: (uscc: string, signal?: AbortSignal) => getJson<EnterpriseItem>(`/api/enterprises/${encodeURIComponent(uscc)}`, signal),
  parkSummary: (code: string, signal?: AbortSignal) => getJson<ParkSummary>(`/api/parks/${encodeURIComponent(code)}/summary`, signal),
};

/** [west, south, east, north] of a GeoJSON geometry's coordinates. */
export function geometryBounds(geometry: { coordinates: unknown }): [number, number, number, number] {
  const b: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
  const walk = (c: unknown): void => {
    if (Array.isArray(c) && typeof c[0] === 'number') {
      b[0] = Math.min(b[0], c[0]);
      b[1] = Math.min(b[1], c[1] as number);
      b[2] = Math.max(b[2], c[0]);
      b[3] = Math.max(b[3], c[1] as number);
    } else if (Array.isArray(c)) c.forEach(walk);
  };
  walk(geometry.coordinates);
  return b;
}
