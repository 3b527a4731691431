import type { Queryable } from '@parkatlas/db';
import type { IdleLandItem, IdleLandSummaryItem, IndustryItem, OutputPerMuItem, ProjectStatsItem, VacancyItem } from '@parkatlas/schema';
import * as sql from './sql.ts';

type Row = Record<string, unknown>;

const round = (v: number, digits: number) => {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
};

/** Figures rounded for people: shares, rates and coverage to 4 decimals (0.1234 = 12.34%), the rest to 2. */
export function roundFigures<T extends Row>(row: T): T {
  const out: Row = {};
  for (const [k, v] of Object.entries(row)) {
    out[k] = typeof v === 'number' && !Number.isInteger(v) ? round(v, /(_share|_rate|^coverage)$/.test(k) ? 4 : 2) : v;
  }
  return out as T;
}

async function rows<T>(db: Queryable, text: string, params: unknown[]): Promise<T[]> {
  const r = await db.query<Row>(text, params);
  return r.rows.map(roundFigures) as T[];
}

/** The day the figures are for: the one asked for, or the database's today. */
export async function resolveAsOf(db: Queryable, asOf: string | undefined): Promise<string> {
  return (await db.query<{ as_of: string }>(sql.RESOLVE_AS_OF, [asOf ?? null])).rows[0].as_of;
}

export async function idleLandRules(db: Queryable) {
  const r = await db.query<{
    idle_after: string; recoverable_after: string; stopped_for: string;
    min_developed_share: number; min_invested_share: number; idle_fee_share: number;
  }>(sql.IDLE_LAND_RULES);
  return r.rows[0];
}

export interface IdleLandFilter {
  asOf: string;
  classes?: string[];
  park?: string;
  /** The last parcel code of the previous page. */
  after?: string;
  /** Undefined: every row. */
  limit?: number;
}

/** Parcels with their idle-land class, one page (and whether another follows). */
export async function listIdleLand(db: Queryable, f: IdleLandFilter): Promise<{ items: IdleLandItem[]; more: boolean }> {
  const items = await rows<IdleLandItem>(db, sql.IDLE_LAND_ITEMS, [
    f.asOf, f.classes ?? null, f.park ?? null, f.after ?? null, f.limit === undefined ? null : f.limit + 1,
  ]);
  const more = f.limit !== undefined && items.length > f.limit;
  return { items: more ? items.slice(0, f.limit) : items, more };
}

export const idleLandSummary = (db: Queryable, asOf: string, by: string) =>
  rows<IdleLandSummaryItem>(db, sql.IDLE_LAND_SUMMARY, [asOf, by]);

export const idleLandAges = (db: Queryable, asOf: string, by: string) => rows<Row>(db, sql.IDLE_LAND_AGES, [asOf, by]);

export const idleLandWarnings = (db: Queryable, asOf: string, withinDays: number, park: string | undefined) =>
  rows<Row>(db, sql.IDLE_LAND_WARNINGS, [asOf, withinDays, park ?? null]);

/** Vacancy by group on a day, and the zone's total (the groups partition the stock, so it is their sum). */
export async function vacancy(db: Queryable, asOf: string, by: string): Promise<{ items: VacancyItem[]; total: VacancyItem | null }> {
  const items = by === 'building'
    ? await rows<VacancyItem>(db, sql.VACANCY_BY_BUILDING, [asOf])
    : await rows<VacancyItem>(db, sql.VACANCY, [asOf, by]);
  if (by === 'zone') return { items, total: items[0] ?? null };
  const sum = (k: keyof VacancyItem) => items.reduce((s, i) => s + (i[k] as number), 0);
  const stock = sum('stock_m2');
  const total = roundFigures({
    key: 'zone', name: null, units: sum('units'), vacant_units: sum('vacant_units'), stock_m2: stock,
    leased_m2: sum('leased_m2'), reserved_m2: sum('reserved_m2'), vacant_m2: sum('vacant_m2'),
    vacancy_rate: stock > 0 ? sum('vacant_m2') / stock : null,
  });
  return { items, total };
}

export const vacancySeries = (db: Queryable, from: string, to: string, by: string) =>
  rows<Row>(db, sql.VACANCY_SERIES, [`${from}-01`, `${to}-01`, by]);

const outputPerMuQueries = {
  park: sql.OUTPUT_PER_MU_PARKS,
  enterprise: sql.OUTPUT_PER_MU_ENTERPRISES,
  parcel: sql.OUTPUT_PER_MU_PARCELS,
} as const;

/** Output per mu of each park, enterprise or parcel, best first, and the zone's. */
export async function outputPerMu(
  db: Queryable, asOf: string, by: keyof typeof outputPerMuQueries, grade: string | undefined, park: string | undefined,
  limit: number | undefined,
): Promise<{ items: OutputPerMuItem[]; zone: OutputPerMuItem | null }> {
  const params = by === 'park' ? [asOf, grade ?? null, park ?? null] : [asOf, grade ?? null, park ?? null, limit ?? null];
  const found = await rows<OutputPerMuItem & { level: string }>(db, outputPerMuQueries[by], params);
  // Parks come with the zone's row; enterprises and parcels need it fetched.
  const zoneRows = by === 'park' ? found : await rows<OutputPerMuItem & { level: string }>(db, sql.OUTPUT_PER_MU_ZONE, [asOf]);
  const strip = ({ level: _level, ...item }: OutputPerMuItem & { level: string }) => item as OutputPerMuItem;
  const zone = zoneRows.find((r) => r.level === 'zone');
  return { items: found.filter((r) => r.level !== 'zone').map(strip), zone: zone ? strip(zone) : null };
}

/** The scheme in force: small-land threshold, indicators with weights, grade bands. */
export async function outputPerMuScheme(db: Queryable) {
  const [small, indicators, grades] = await Promise.all([
    db.query<{ small_land_mu: number }>(sql.OUTPUT_PER_MU_SMALL_LAND),
    rows<Row>(db, sql.OUTPUT_PER_MU_INDICATORS, []),
    db.query<{ grade: string; min_score: number; meaning: string }>(sql.OUTPUT_PER_MU_GRADES),
  ]);
  return { small_land_mu: small.rows[0].small_land_mu, indicators, grades: grades.rows };
}

export const industries = (db: Queryable, by: string) => rows<IndustryItem>(db, sql.INDUSTRIES, [by]);

export interface ChainLink {
  park: string; park_name: string; theme: string | null; position: number; link: string; link_name: string | null;
  enterprises: number; present: boolean;
}

/** Each park's theme industry chain: its links, which are present and which missing. */
export async function industryChains(db: Queryable, park: string | undefined) {
  const links = (await db.query<ChainLink>(sql.INDUSTRY_CHAINS, [park ?? null])).rows;
  const byPark = new Map<string, ChainLink[]>();
  for (const l of links) byPark.set(l.park, [...(byPark.get(l.park) ?? []), l]);
  const chains = [...byPark.values()].map((ls) => ({
    park: ls[0].park,
    name: ls[0].park_name,
    theme: ls[0].theme,
    present: ls.filter((l) => l.present).map((l) => l.link),
    missing: ls.filter((l) => !l.present).map((l) => l.link),
    coverage: round(ls.filter((l) => l.present).length / ls.length, 4),
    links: ls.map(({ theme: _theme, ...l }) => l),
  }));
  return { items: links.map(({ theme: _theme, ...l }) => l), chains };
}

export const projectStats = (db: Queryable, by: string) => rows<ProjectStatsItem>(db, sql.PROJECTS, [by]);
