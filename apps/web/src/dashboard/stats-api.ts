import type {
  IdleLandItem,
  IdleLandSummaryItem,
  IndustryItem,
  OutputPerMuItem,
  ProjectStatsItem,
  VacancyItem,
} from '@parkatlas/schema';
import { getJson } from '../api/client.ts';

/** The indicator endpoints the dashboard reads (/api/stats/…); each table is also a CSV download. */

/** A summary row's per-class columns (the schema builds their names, so TypeScript cannot see them). */
export type IdleSummaryRow = IdleLandSummaryItem & Record<
  'idle_area_mu' | 'recoverable_area_mu' | 'stalled_area_mu' | 'supplied_unused_area_mu' | 'approved_unsupplied_area_mu', number
>;

export interface IdleLandWarning {
  parcel: string;
  class: string;
  next_class: string;
  deadline: string;
  days_left: number;
  area_mu: number;
  park: string | null;
  idle_fee_cny: number | null;
}

export interface IndustryChain {
  park: string;
  name: string;
  present: string[];
  missing: string[];
  coverage: number | null;
  links: { link: string; link_name: string | null; enterprises: number; present: boolean }[];
}

/** A stats path with its query; `csv` gives the same table as a file. */
export function statsUrl(path: string, params: Record<string, string | number | null | undefined>, csv = false): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== null && v !== undefined && v !== '') q.set(k, String(v));
  if (csv) q.set('format', 'csv');
  const query = q.toString().replaceAll('%2C', ',');
  return `/api/stats/${path}${query ? `?${query}` : ''}`;
}

const get = <T>(path: string, params: Record<string, string | number | null | undefined>, signal: AbortSignal) =>
  getJson<T>(statsUrl(path, params), signal);

export const statsApi = {
  idleSummary: (by: 'zone' | 'park' | 'area', asOf: string | null, signal: AbortSignal) =>
    get<{ as_of: string; items: IdleSummaryRow[] }>('idle-land/summary', { by, as_of: asOf }, signal),
  idleList: (park: string | null, asOf: string | null, signal: AbortSignal) =>
    get<{ as_of: string; items: IdleLandItem[]; next: string | null }>(
      'idle-land',
      { class: IDLE_LIST_CLASSES.join(','), park, as_of: asOf, limit: 200 },
      signal,
    ),
  warnings: (park: string | null, asOf: string | null, signal: AbortSignal) =>
    get<{ items: IdleLandWarning[] }>('idle-land/warnings', { park, as_of: asOf, within_days: 90 }, signal),
  vacancy: (by: 'park' | 'area' | 'zone', asOf: string | null, signal: AbortSignal) =>
    get<{ as_of: string; items: VacancyItem[]; total: VacancyItem | null }>('vacancy', { by, as_of: asOf }, signal),
  vacancySeries: (by: 'park' | 'zone', from: string, to: string, signal: AbortSignal) =>
    get<{ items: (VacancyItem & { month: string })[] }>('vacancy/series', { by, from, to }, signal),
  outputPerMu: (asOf: string | null, signal: AbortSignal) =>
    get<{ as_of: string; zone: OutputPerMuItem | null; items: OutputPerMuItem[] }>('output-per-mu', { by: 'park', as_of: asOf }, signal),
  industries: (signal: AbortSignal) =>
    get<{ items: IndustryItem[]; chains?: IndustryChain[] }>('industries', { by: 'park' }, signal),
  projects: (by: 'status' | 'park', signal: AbortSignal) =>
    get<{ items: ProjectStatsItem[]; total: { projects: number; investment_cny: number } }>('projects', { by }, signal),
};

/** The classes the idle-land list shows: land that is idle, about to be, or not put to use. */
export const IDLE_LIST_CLASSES = ['recoverable', 'idle_1y', 'stalled', 'supplied_unused', 'approved_unsupplied'] as const;
