import type { Lead, SpaceItem, SpaceSearchCriteria } from '@parkatlas/schema';
import { postJson } from '../api/client.ts';
import type { SpaceCriteria, SpaceSort } from '../url/app-state.ts';

/** The investor view's endpoints: the space search (POST /api/spaces/search) and the enquiry (POST /api/leads). */

export type { Lead, SpaceItem };

export interface SpaceSearchAnswer {
  available_by: string;
  weights: Record<string, number>;
  items: SpaceItem[];
}

export interface EnquiryInput {
  enterprise?: string;
  company_name?: string;
  contact_name: string;
  contact_phone?: string;
  note?: string;
  unit?: string;
  parcel?: string;
}

/** How many spaces a search asks for. */
export const SEARCH_LIMIT = 100;

/** `kind:id`: a unit and a parcel may share a code. */
export const spaceKey = (item: Pick<SpaceItem, 'kind' | 'id'>) => `${item.kind}:${item.id}`;

/** The form's criteria as the API's request body; unset criteria are left out. */
export function searchBody(c: SpaceCriteria): SpaceSearchCriteria {
  const body: SpaceSearchCriteria = { limit: SEARCH_LIMIT };
  if (c.minAreaM2 !== null) body.min_area_m2 = c.minAreaM2;
  if (c.maxAreaM2 !== null) body.max_area_m2 = c.maxAreaM2;
  if (c.maxRentM2 !== null) body.max_rent_m2_month = c.maxRentM2;
  if (c.maxTotalMonth !== null) body.max_total_month = c.maxTotalMonth;
  if (c.parks.length) body.parks = c.parks;
  if (c.industry) body.industry = c.industry;
  if (c.moveInReady) body.move_in_ready = true;
  if (c.groundFloor) body.ground_floor = true;
  if (c.minFloorLoad !== null) body.min_floor_load_kn_m2 = c.minFloorLoad;
  if (c.minClearHeight !== null) body.min_clear_height_m = c.minClearHeight;
  if (c.minPowerKva !== null) body.min_power_kva = c.minPowerKva;
  if (c.availableBy) body.available_by = c.availableBy;
  if (c.near) body.near = { lon: c.near.lon, lat: c.near.lat, max_distance_m: Math.round(c.near.km * 1000) };
  return body;
}

export const spaceApi = {
  search: (c: SpaceCriteria, signal?: AbortSignal) => postJson<SpaceSearchAnswer>('/api/spaces/search', searchBody(c), signal),
  enquire: (input: EnquiryInput, signal?: AbortSignal) => postJson<Lead>('/api/leads', input, signal),
};

/** The list in the order asked: the API's (best score first), smallest area first, or cheapest rent first (no rent last). */
export function sortSpaces(items: SpaceItem[], sort: SpaceSort): SpaceItem[] {
  if (sort === 'score') return items;
  const value = (i: SpaceItem) => (sort === 'area' ? i.area_m2 : i.rent_cny_m2_month ?? Infinity);
  // Stable: equal values keep the API's order.
  return items.map((item, index) => ({ item, index })).sort((a, b) => value(a.item) - value(b.item) || a.index - b.index).map((x) => x.item);
}

/** A USCC (GB 32100-2015): 18 characters, digits and capitals without I, O, S, V, Z. */
export const looksLikeUscc = (v: string) => /^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$/.test(v);

const csvCell = (v: unknown) => {
  const s = v === null || v === undefined ? '' : Array.isArray(v) ? v.join('; ') : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
};

/** The columns of the CSV export, in order: [heading, value]. */
export type CsvColumn = [string, (i: SpaceItem, rank: number) => unknown];

/** The results as CSV text with a UTF-8 byte-order mark, so Excel reads the Chinese right. */
export function spacesCsv(items: SpaceItem[], columns: CsvColumn[]): string {
  const lines = [columns.map(([h]) => csvCell(h)).join(',')];
  items.forEach((item, i) => lines.push(columns.map(([, get]) => csvCell(get(item, i + 1))).join(',')));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
