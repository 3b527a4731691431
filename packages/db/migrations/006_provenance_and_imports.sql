-- Provenance: which department supplies a record and the day it last confirmed it (issue 6, part 5),
-- so the map can shade what is stale and the API can filter on it. Both are optional: data typed in
-- by hand has neither until a department takes it over.
ALTER TABLE parcel     ADD COLUMN department text, ADD COLUMN verified_at date;
ALTER TABLE building   ADD COLUMN department text, ADD COLUMN verified_at date;
ALTER TABLE unit       ADD COLUMN department text, ADD COLUMN verified_at date;
ALTER TABLE enterprise ADD COLUMN department text, ADD COLUMN verified_at date;
ALTER TABLE project    ADD COLUMN department text, ADD COLUMN verified_at date;

-- The public views gain the two columns at their end (CREATE OR REPLACE may only append), with
-- everything before them exactly as in 003_derived_views.sql.
CREATE OR REPLACE VIEW parcel_api AS
SELECT p.code, p.name, p.land_use, p.status,
       p.approval_date, p.supply_date, p.agreed_start_date, p.agreed_completion_date,
       p.start_date, p.completion_date, p.developed_share, p.invested_share, p.stopped_since,
       p.idle_exemption, p.plot_ratio_min, p.plot_ratio_max, p.price_cny, p.enterprise,
       round(p.area_m2::numeric, 2) AS area_m2,
       round((p.area_m2 / (10000.0 / 15))::numeric, 2) AS area_mu,
       c.park, c.area, c.corridor,
       p.version, p.updated_at, p.geom,
       p.department, p.verified_at
FROM parcel p
JOIN parcel_containment c ON c.parcel = p.code;

CREATE OR REPLACE VIEW building_api AS
SELECT b.code, b.parcel, b.name, b.floors, b.height_m, b.gross_floor_area_m2, b.use, b.status,
       b.completion_year,
       round(ST_Area(b.geom::geography)::numeric, 2) AS footprint_m2,
       occ.units, occ.vacant_units, occ.unit_area_m2, occ.vacant_area_m2,
       CASE WHEN occ.unit_area_m2 > 0 THEN round(occ.vacant_area_m2 / occ.unit_area_m2, 4) END AS vacancy_rate,
       c.park, c.area,
       b.version, b.updated_at, b.geom,
       b.department, b.verified_at
FROM building b
JOIN parcel_containment c ON c.parcel = b.parcel
CROSS JOIN LATERAL (
  SELECT count(*)::int AS units,
         count(*) FILTER (WHERE o.status = 'vacant')::int AS vacant_units,
         coalesce(sum(u.area_m2), 0) AS unit_area_m2,
         coalesce(sum(u.area_m2) FILTER (WHERE o.status = 'vacant'), 0) AS vacant_area_m2
  FROM unit u
  JOIN unit_occupancy o ON o.unit = u.code
  WHERE u.building = b.code
) occ;

CREATE OR REPLACE VIEW unit_api AS
SELECT u.code, u.building, u.floor, u.name, u.kind, u.area_m2, u.rent_cny_m2_month, u.reserved,
       u.move_in_ready, u.floor_load_kn_m2, u.clear_height_m, u.power_kva, u.available_from,
       o.status, o.tenant,
       b.parcel, c.park, c.area,
       u.version, u.updated_at,
       u.department, u.verified_at
FROM unit u
JOIN unit_occupancy o ON o.unit = u.code
JOIN building b ON b.code = u.building
JOIN parcel_containment c ON c.parcel = b.parcel;

CREATE OR REPLACE VIEW enterprise_api AS
SELECT e.uscc, e.name, e.name_en, e.industry, e.high_tech, e.employees, e.revenue_cny, e.tax_cny,
       e.park, e.registered_date, e.contact_name, e.contact_phone, e.version, e.updated_at,
       e.department, e.verified_at
FROM enterprise e;

CREATE OR REPLACE VIEW project_api AS
SELECT j.code, j.name, j.name_en, j.investment_cny, j.status, j.industry, j.start_date,
       j.completion_date, j.parcel, j.area, j.corridor, j.park, j.enterprise, j.version, j.updated_at,
       j.department, j.verified_at
FROM project j;

-- Bulk import jobs (POST /api/imports): kept after they finish so GET /api/imports/{id} still
-- answers. `problems` holds the row-by-row findings (capped), `diff` the upsert comparison.
CREATE TABLE import_job (
  id           text PRIMARY KEY,
  collection   text NOT NULL,
  mode         text NOT NULL CHECK (mode IN ('dry-run', 'commit')),
  format       text NOT NULL,
  crs          text NOT NULL,
  file_name    text,
  department   text,
  verified_at  date,
  actor        text NOT NULL,
  status       text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'succeeded', 'failed')),
  rows_done    integer NOT NULL DEFAULT 0,
  rows_total   integer NOT NULL DEFAULT 0,
  counts       jsonb NOT NULL DEFAULT '{}',
  problems     jsonb NOT NULL DEFAULT '[]',
  problem_count integer NOT NULL DEFAULT 0,
  diff         jsonb,
  error        text,
  created_at   timestamptz NOT NULL DEFAULT now(),
  finished_at  timestamptz
);
CREATE INDEX import_job_created_idx ON import_job (created_at);
