-- The API views read a parcel's park, area and corridor from parcel_zone, which migration 004's
-- triggers keep equal to parcel_containment at every statement, instead of evaluating the view's three
-- point-in-polygon look-ups for every row read. Measured on the 100k-parcel zone (bench/README.md,
-- Stats): the parks of all parcels cost 234 ms through the view and 11 ms through parcel_zone on
-- PostgreSQL, 583 and 26 ms embedded. Columns unchanged (stats.test.ts checks the two always agree).
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
JOIN parcel_zone c ON c.parcel = p.code;

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
JOIN parcel_zone c ON c.parcel = b.parcel
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
JOIN parcel_zone c ON c.parcel = b.parcel;
