-- Derived facts: containment and occupancy are computed from geometry and leases on every read,
-- so they never disagree with the data they come from.

-- Which park, area and corridor hold a parcel: the one containing a point inside the parcel
-- (ST_PointOnSurface), so a parcel that straddles a boundary still gets exactly one of each.
CREATE VIEW parcel_containment AS
SELECT p.code AS parcel,
       (SELECT k.code FROM park k WHERE ST_Intersects(k.geom, p.label_point) ORDER BY k.code LIMIT 1) AS park,
       (SELECT a.code FROM area a WHERE ST_Intersects(a.geom, p.label_point) ORDER BY a.code LIMIT 1) AS area,
       (SELECT c.code FROM corridor c WHERE ST_Intersects(c.geom, p.label_point) ORDER BY c.code LIMIT 1) AS corridor
FROM parcel p;

-- A unit's state on a given day: leased when a lease covers that day (the exclusion constraint on
-- lease guarantees at most one), else reserved when flagged, else vacant.
CREATE FUNCTION unit_occupancy_at(as_of date)
RETURNS TABLE (unit text, status text, tenant text, lease_id bigint)
LANGUAGE sql STABLE AS $$
  SELECT u.code,
         CASE WHEN l.id IS NOT NULL THEN 'leased' WHEN u.reserved THEN 'reserved' ELSE 'vacant' END,
         l.enterprise,
         l.id
  FROM unit u
  LEFT JOIN lease l ON l.unit = u.code AND daterange(l.start_date, l.end_date, '[]') @> as_of
$$;

CREATE VIEW unit_occupancy AS SELECT * FROM unit_occupancy_at(current_date);

-- The public shape of each collection, as the API and the exports show it.
CREATE VIEW corridor_api AS
SELECT c.code, c.name, c.name_en, c.theme,
       round(ST_Area(c.geom::geography)::numeric, 2) AS area_m2,
       round((ST_Area(c.geom::geography) / (10000.0 / 15))::numeric, 2) AS area_mu,
       c.version, c.updated_at, c.geom
FROM corridor c;

CREATE VIEW area_api AS
SELECT a.code, a.name, a.name_en,
       round(ST_Area(a.geom::geography)::numeric, 2) AS area_m2,
       round((ST_Area(a.geom::geography) / (10000.0 / 15))::numeric, 2) AS area_mu,
       a.version, a.updated_at, a.geom
FROM area a;

CREATE VIEW park_api AS
SELECT k.code, k.name, k.name_en, k.theme, k.theme_industries, k.operator, k.committee,
       round(ST_Area(k.geom::geography)::numeric, 2) AS area_m2,
       round((ST_Area(k.geom::geography) / (10000.0 / 15))::numeric, 2) AS area_mu,
       k.version, k.updated_at, k.geom
FROM park k;

CREATE VIEW parcel_api AS
SELECT p.code, p.name, p.land_use, p.status,
       p.approval_date, p.supply_date, p.agreed_start_date, p.agreed_completion_date,
       p.start_date, p.completion_date, p.developed_share, p.invested_share, p.stopped_since,
       p.idle_exemption, p.plot_ratio_min, p.plot_ratio_max, p.price_cny, p.enterprise,
       round(p.area_m2::numeric, 2) AS area_m2,
       round((p.area_m2 / (10000.0 / 15))::numeric, 2) AS area_mu,
       c.park, c.area, c.corridor,
       p.version, p.updated_at, p.geom
FROM parcel p
JOIN parcel_containment c ON c.parcel = p.code;

CREATE VIEW building_api AS
SELECT b.code, b.parcel, b.name, b.floors, b.height_m, b.gross_floor_area_m2, b.use, b.status,
       b.completion_year,
       round(ST_Area(b.geom::geography)::numeric, 2) AS footprint_m2,
       occ.units, occ.vacant_units, occ.unit_area_m2, occ.vacant_area_m2,
       CASE WHEN occ.unit_area_m2 > 0 THEN round(occ.vacant_area_m2 / occ.unit_area_m2, 4) END AS vacancy_rate,
       c.park, c.area,
       b.version, b.updated_at, b.geom
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

CREATE VIEW unit_api AS
SELECT u.code, u.building, u.floor, u.name, u.kind, u.area_m2, u.rent_cny_m2_month, u.reserved,
       u.move_in_ready, u.floor_load_kn_m2, u.clear_height_m, u.power_kva, u.available_from,
       o.status, o.tenant,
       b.parcel, c.park, c.area,
       u.version, u.updated_at
FROM unit u
JOIN unit_occupancy o ON o.unit = u.code
JOIN building b ON b.code = u.building
JOIN parcel_containment c ON c.parcel = b.parcel;

CREATE VIEW enterprise_api AS
SELECT e.uscc, e.name, e.name_en, e.industry, e.high_tech, e.employees, e.revenue_cny, e.tax_cny,
       e.park, e.registered_date, e.contact_name, e.contact_phone, e.version, e.updated_at
FROM enterprise e;

CREATE VIEW lease_api AS
SELECT l.id, l.enterprise, l.unit, l.parcel, l.start_date, l.end_date, l.rent_cny_m2_month,
       CASE WHEN l.start_date > current_date THEN 'future'
            WHEN l.end_date < current_date THEN 'ended'
            ELSE 'active' END AS status,
       l.version, l.updated_at
FROM lease l;

CREATE VIEW project_api AS
SELECT j.code, j.name, j.name_en, j.investment_cny, j.status, j.industry, j.start_date,
       j.completion_date, j.parcel, j.area, j.corridor, j.park, j.enterprise, j.version, j.updated_at
FROM project j;
