import type { Geometry, LineString, MultiLineString, MultiPolygon, Polygon } from './geometry.ts';

/*
 * One row type per table. Keys are exactly the table's SQL columns (packages/db/migrations), minus
 * what the database fills in itself: generated columns (parcel.area_m2, parcel.label_point), `version`,
 * `updated_at`, and basemap_feature.id. Dates are 'YYYY-MM-DD' strings, geometry is GeoJSON in `geom`.
 */

export interface BasemapRow {
  kind: 'zone_boundary' | 'road' | 'river' | 'water';
  name: string | null;
  name_en: string | null;
  rank: number;
  geom: Polygon | LineString | MultiLineString;
}

export interface CorridorRow {
  code: string;
  name: string;
  name_en: string | null;
  theme: string | null;
  geom: MultiPolygon;
}

export interface AreaRow {
  code: string;
  name: string;
  name_en: string | null;
  geom: MultiPolygon;
}

export interface ParkRow {
  code: string;
  name: string;
  name_en: string | null;
  theme: string | null;
  theme_industries: string[];
  operator: string | null;
  committee: string | null;
  geom: MultiPolygon;
}

export interface EnterpriseRow {
  uscc: string;
  name: string;
  name_en: string | null;
  industry: string;
  high_tech: boolean;
  employees: number | null;
  revenue_cny: number | null;
  tax_cny: number | null;
  park: string | null;
  registered_date: string | null;
  contact_name: string | null;
  contact_phone: string | null;
}

export type ParcelStatus = 'idle' | 'available' | 'under_construction' | 'occupied' | 'reserved';

export interface ParcelRow {
  code: string;
  name: string | null;
  geom: MultiPolygon;
  land_use: string;
  status: ParcelStatus;
  approval_date: string | null;
  supply_date: string | null;
  agreed_start_date: string | null;
  agreed_completion_date: string | null;
  start_date: string | null;
  completion_date: string | null;
  developed_share: number | null;
  invested_share: number | null;
  stopped_since: string | null;
  idle_exemption: string | null;
  plot_ratio_min: number | null;
  plot_ratio_max: number | null;
  price_cny: number | null;
  enterprise: string | null;
  /** Who supplies the record and when they last confirmed it (provenance, migration 006). */
  department: string | null;
  verified_at: string | null;
}

export type BuildingUse = 'industrial' | 'office' | 'research' | 'warehouse' | 'commercial' | 'residential' | 'mixed' | 'public';
export type BuildingStatus = 'planned' | 'under_construction' | 'completed';

export interface BuildingRow {
  code: string;
  parcel: string;
  name: string | null;
  geom: MultiPolygon;
  floors: number;
  height_m: number | null;
  gross_floor_area_m2: number | null;
  use: BuildingUse;
  status: BuildingStatus;
  completion_year: number | null;
}

export type UnitKind = 'office' | 'workshop' | 'lab' | 'warehouse' | 'retail';

export interface UnitRow {
  code: string;
  building: string;
  floor: number;
  name: string | null;
  kind: UnitKind;
  area_m2: number;
  rent_cny_m2_month: number | null;
  reserved: boolean;
  move_in_ready: boolean;
  floor_load_kn_m2: number | null;
  clear_height_m: number | null;
  power_kva: number | null;
  available_from: string | null;
}

export interface LeaseRow {
  id: number;
  enterprise: string;
  unit: string | null;
  parcel: string | null;
  start_date: string;
  end_date: string | null;
  rent_cny_m2_month: number | null;
}

export type ProjectStatus = 'planned' | 'approved' | 'under_construction' | 'completed' | 'operating';

export interface ProjectRow {
  code: string;
  name: string;
  name_en: string | null;
  investment_cny: number;
  status: ProjectStatus;
  industry: string | null;
  start_date: string | null;
  completion_date: string | null;
  parcel: string | null;
  area: string | null;
  corridor: string | null;
  park: string | null;
  enterprise: string | null;
}

/** The whole demo zone, one array of rows per table. */
export interface DemoZone {
  basemap: BasemapRow[];
  corridors: CorridorRow[];
  areas: AreaRow[];
  parks: ParkRow[];
  enterprises: EnterpriseRow[];
  parcels: ParcelRow[];
  buildings: BuildingRow[];
  units: UnitRow[];
  leases: LeaseRow[];
  projects: ProjectRow[];
}

export type ZoneTable = keyof DemoZone;

/** The row type of each DemoZone key. */
export type RowOf<T extends ZoneTable> = DemoZone[T][number];

/**
 * A batch of rows of one table, as the streaming generator hands them out. The stream's order is
 * safe for foreign keys: no row refers to a row of a later chunk.
 */
export type ZoneChunk = { [T in ZoneTable]: { table: T; rows: DemoZone[T] } }[ZoneTable];

export type { Geometry };
