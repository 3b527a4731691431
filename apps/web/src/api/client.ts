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
  operation: 'create' | 'update' | 'delete' | 'revert';
  actor: string;
  at: string;
  changed: string[];
  /** The item before and after this change (null before a create, after a delete). */
  before: unknown;
  after: unknown;
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
  constructor(
    readonly status: number,
    message: string,
    /** The API's error code (`invalid_credentials`, `forbidden`, …), when it sent one. */
    readonly code?: string,
    /** Seconds to wait before trying again (a 429's Retry-After). */
    readonly retryAfter?: number,
  ) {
    super(message);
  }
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * The session's CSRF token (from /api/auth/me and the sign-in answer). The cookie alone cannot
 * write: every unsafe request also carries this token, which another site's page cannot read.
 */
let csrfToken: string | null = null;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/**
 * fetch for this API: unsafe methods carry the CSRF token. Every request the app makes goes through
 * here, so no write can forget it.
 */
export function apiFetch(path: string, init: RequestInit = {}): Promise<Response> {
  const method = (init.method ?? 'GET').toUpperCase();
  if (!UNSAFE.has(method) || !csrfToken) return fetch(path, init);
  const headers = new Headers(init.headers);
  headers.set('x-csrf-token', csrfToken);
  return fetch(path, { ...init, headers });
}

/** The API's error answer as an ApiError (its message and code; the status line when it is not JSON). */
export async function errorOf(res: Response): Promise<ApiError> {
  let message = `${res.status} ${res.statusText}`;
  let code: string | undefined;
  try {
    const error = ((await res.json()) as { error?: { message?: string; code?: string } }).error;
    message = error?.message ?? message;
    code = error?.code;
  } catch {
    // not JSON: keep the status line
  }
  const retry = Number(res.headers.get('retry-after'));
  return new ApiError(res.status, message, code, Number.isFinite(retry) && retry > 0 ? retry : undefined);
}

/** Sends a request and reads its JSON answer (undefined for 204); an error answer throws ApiError with the API's message. */
async function requestJson<T>(path: string, init: RequestInit): Promise<T> {
  const res = await apiFetch(path, init);
  if (!res.ok) throw await errorOf(res);
  if (res.status === 204) return undefined as T;
  return (await res.json()) as T;
}

export function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  return requestJson<T>(path, { signal, headers: { accept: 'application/json, application/geo+json' } });
}

/** A JSON write (POST, PATCH, PUT, DELETE); `ifMatch` is the ETag of the version the change is based on. */
export function sendJson<T>(method: 'POST' | 'PATCH' | 'PUT' | 'DELETE', path: string, body?: unknown, options: { signal?: AbortSignal; ifMatch?: string } = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (options.ifMatch) headers['if-match'] = options.ifMatch;
  return requestJson<T>(path, { method, signal: options.signal, headers, body: body === undefined ? undefined : JSON.stringify(body) });
}

export function postJson<T>(path: string, body: unknown, signal?: AbortSignal): Promise<T> {
  return sendJson<T>('POST', path, body, { signal });
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
  /** Puts an item back as it was at `version`, as a new version; `etag` is the current version's. */
  revert: (collection: string, id: string, version: number, etag: string) =>
    sendJson<Feature | Record<string, unknown>>('POST', `/api/${collection}/${encodeURIComponent(id)}/revert`, { version }, { ifMatch: etag }),
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
