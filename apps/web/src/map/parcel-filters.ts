import type { FilterSpecification } from 'maplibre-gl';
import type { ParcelFilters } from '../url/app-state.ts';

/**
 * The same filters, said twice: as a MapLibre filter on the parcel tiles' attributes and as the
 * /api/parcels query. Both read the same fields (status, land_use, park, area, area_m2), so the map
 * and the list always agree.
 */

/** 1 mu = 10,000 / 15 m². The filter is typed in mu; both sides compare the parcels' area_m2, to the cent. */
export function minAreaM2(mu: number): number {
  return Math.round((mu * 10000 * 100) / 15) / 100;
}

/** The MapLibre filter of the parcel layers; null shows every parcel. */
export function parcelFilterExpression(f: ParcelFilters): FilterSpecification | null {
  const all: unknown[] = [];
  if (f.status.length) all.push(['in', ['get', 'status'], ['literal', f.status]]);
  if (f.landUse.length) all.push(['in', ['slice', ['get', 'land_use'], 0, 1], ['literal', f.landUse]]);
  if (f.park) all.push(['==', ['get', 'park'], f.park]);
  if (f.area) all.push(['==', ['get', 'area'], f.area]);
  if (f.minAreaMu !== null) all.push(['>=', ['get', 'area_m2'], minAreaM2(f.minAreaMu)]);
  return all.length ? (['all', ...all] as FilterSpecification) : null;
}

/** The /api/parcels query parameters of the filters. */
export function parcelQuery(f: ParcelFilters): URLSearchParams {
  const q = new URLSearchParams();
  if (f.status.length) q.set('status', f.status.join(','));
  if (f.landUse.length) q.set('land_use', f.landUse.join(','));
  if (f.park) q.set('park', f.park);
  if (f.area) q.set('area', f.area);
  if (f.minAreaMu !== null) q.set('min_area_m2', String(minAreaM2(f.minAreaMu)));
  return q;
}

export function hasFilters(f: ParcelFilters): boolean {
  return parcelFilterExpression(f) !== null;
}

/** How long a record stays fresh after its department verified it. */
export const STALE_AFTER_DAYS = 365;

/** Parcels never verified, or last verified before `today` minus a year (ISO dates compare as text). */
export function staleExpression(today: Date = new Date()): FilterSpecification {
  const cutoff = new Date(today.getTime() - STALE_AFTER_DAYS * 86_400_000).toISOString().slice(0, 10);
  return ['any', ['!', ['has', 'verified_at']], ['<', ['get', 'verified_at'], cutoff]];
}
