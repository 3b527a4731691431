-- The kept statistics of 004 refreshed faster when one transaction touches many keys (a bulk import
-- of 100k parcels: bench/README.md, Imports). Same results, other arithmetic:
--
-- Each refresh spread every (zone, day, class) change over all the checkpoint years from its first to
-- 2100 and only then summed per year: 100k new parcels made ~10⁵ changes × ~80 years ≈ 10⁷ rows to
-- group at COMMIT. The changes are now first summed per (zone, class, first checkpoint year) — a few
-- hundred rows — and those spread over the years. Sums of the same numbers, so the kept tables hold
-- exactly what they held (stats.test.ts compares them with the rules and with a full rebuild).

CREATE OR REPLACE FUNCTION idle_land_refresh(parcel_codes text[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  IF coalesce(cardinality(parcel_codes), 0) = 0 THEN
    RETURN;
  END IF;
  WITH gone AS (
    DELETE FROM idle_land_segment s WHERE s.parcel IN (SELECT unnest(parcel_codes)) RETURNING s.*, -1 AS side
  ),
  fresh AS (
    INSERT INTO idle_land_segment SELECT * FROM idle_land_segments_of(parcel_codes) RETURNING *, 1 AS side
  ),
  net AS (
    SELECT s.park, s.area, s.corridor, e.day, s.class, sum(e.sign)::int AS parcels, sum(e.sign * s.area_m2) AS area_m2,
           coalesce(sum(e.sign * s.idle_fee_cny), 0) AS idle_fee_cny,
           coalesce(sum(e.sign * (s.since - date '2000-01-01')), 0) AS since_days
    FROM (SELECT * FROM gone UNION ALL SELECT * FROM fresh) s
    CROSS JOIN LATERAL (VALUES (lower(s.during), s.side), (upper(s.during), -s.side)) e (day, sign)
    WHERE e.day IS NOT NULL
    GROUP BY s.park, s.area, s.corridor, e.day, s.class
    HAVING sum(e.sign) <> 0 OR sum(e.sign * s.area_m2) <> 0 OR coalesce(sum(e.sign * s.idle_fee_cny), 0) <> 0
        OR coalesce(sum(e.sign * (s.since - date '2000-01-01')), 0) <> 0
  ),
  by_day AS (
    INSERT INTO idle_land_day AS d (park, area, corridor, day, class, parcels, area_m2, idle_fee_cny, since_days)
    SELECT * FROM net
    ON CONFLICT (park, area, corridor, day, class) DO UPDATE
    SET parcels = d.parcels + EXCLUDED.parcels, area_m2 = d.area_m2 + EXCLUDED.area_m2,
        idle_fee_cny = d.idle_fee_cny + EXCLUDED.idle_fee_cny, since_days = d.since_days + EXCLUDED.since_days
  ),
  by_first_year AS (
    SELECT n.park, n.area, n.corridor, stats_first_checkpoint(n.day) AS first_year, n.class,
           sum(n.parcels) AS parcels, sum(n.area_m2) AS area_m2, sum(n.idle_fee_cny) AS idle_fee_cny, sum(n.since_days) AS since_days
    FROM net n
    GROUP BY 1, 2, 3, 4, 5
  )
  INSERT INTO idle_land_year AS y (park, area, corridor, year, class, parcels, area_m2, idle_fee_cny, since_days)
  SELECT n.park, n.area, n.corridor, g.year, n.class, sum(n.parcels), sum(n.area_m2), sum(n.idle_fee_cny), sum(n.since_days)
  FROM by_first_year n
  CROSS JOIN LATERAL generate_series(n.first_year, stats_last_checkpoint()) g (year)
  GROUP BY n.park, n.area, n.corridor, g.year, n.class
  ON CONFLICT (park, area, corridor, year, class) DO UPDATE
  SET parcels = y.parcels + EXCLUDED.parcels, area_m2 = y.area_m2 + EXCLUDED.area_m2,
      idle_fee_cny = y.idle_fee_cny + EXCLUDED.idle_fee_cny, since_days = y.since_days + EXCLUDED.since_days;
  DELETE FROM idle_land_day WHERE parcels = 0 AND area_m2 = 0 AND idle_fee_cny = 0 AND since_days = 0;
  DELETE FROM idle_land_year WHERE parcels = 0 AND area_m2 = 0 AND idle_fee_cny = 0 AND since_days = 0;
END;
$$;

CREATE OR REPLACE FUNCTION vacancy_refresh(unit_codes text[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  IF coalesce(cardinality(unit_codes), 0) = 0 THEN
    RETURN;
  END IF;
  WITH gone AS (
    DELETE FROM vacancy_segment s WHERE s.unit IN (SELECT unnest(unit_codes)) RETURNING s.*, -1 AS side
  ),
  fresh AS (
    INSERT INTO vacancy_segment SELECT * FROM vacancy_segments_of(unit_codes) RETURNING *, 1 AS side
  ),
  net AS (
    SELECT s.park, s.area, s.corridor, e.day, s.status, sum(e.sign)::int AS units, sum(e.sign * s.area_m2) AS area_m2
    FROM (SELECT * FROM gone UNION ALL SELECT * FROM fresh) s
    CROSS JOIN LATERAL (VALUES (lower(s.during), s.side), (upper(s.during), -s.side)) e (day, sign)
    WHERE e.day IS NOT NULL
    GROUP BY s.park, s.area, s.corridor, e.day, s.status
    HAVING sum(e.sign) <> 0 OR sum(e.sign * s.area_m2) <> 0
  ),
  by_day AS (
    INSERT INTO vacancy_day AS d (park, area, corridor, day, status, units, area_m2)
    SELECT * FROM net
    ON CONFLICT (park, area, corridor, day, status) DO UPDATE
    SET units = d.units + EXCLUDED.units, area_m2 = d.area_m2 + EXCLUDED.area_m2
  ),
  by_first_year AS (
    SELECT n.park, n.area, n.corridor, stats_first_checkpoint(n.day) AS first_year, n.status,
           sum(n.units) AS units, sum(n.area_m2) AS area_m2
    FROM net n
    GROUP BY 1, 2, 3, 4, 5
  )
  INSERT INTO vacancy_year AS y (park, area, corridor, year, status, units, area_m2)
  SELECT n.park, n.area, n.corridor, g.year, n.status, sum(n.units), sum(n.area_m2)
  FROM by_first_year n
  CROSS JOIN LATERAL generate_series(n.first_year, stats_last_checkpoint()) g (year)
  GROUP BY n.park, n.area, n.corridor, g.year, n.status
  ON CONFLICT (park, area, corridor, year, status) DO UPDATE
  SET units = y.units + EXCLUDED.units, area_m2 = y.area_m2 + EXCLUDED.area_m2;
  DELETE FROM vacancy_day WHERE units = 0 AND area_m2 = 0;
  DELETE FROM vacancy_year WHERE units = 0 AND area_m2 = 0;
END;
$$;

CREATE OR REPLACE FUNCTION output_per_mu_refresh(enterprise_codes text[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  IF coalesce(cardinality(enterprise_codes), 0) = 0 THEN
    RETURN;
  END IF;
  WITH gone AS (
    DELETE FROM output_per_mu_segment s WHERE s.enterprise IN (SELECT unnest(enterprise_codes)) RETURNING s.*, -1 AS side
  ),
  fresh AS (
    INSERT INTO output_per_mu_segment SELECT * FROM output_per_mu_segments_of(enterprise_codes) RETURNING *, 1 AS side
  ),
  net AS (
    SELECT s.park, e.day, sum(e.sign * s.parcels)::int AS parcels, sum(e.sign * s.land_m2) AS land_m2,
           sum(e.sign * s.revenue_cny) AS revenue_cny, sum(e.sign * s.tax_cny) AS tax_cny, sum(e.sign * s.employees) AS employees
    FROM (SELECT * FROM gone UNION ALL SELECT * FROM fresh) s
    CROSS JOIN LATERAL (VALUES (lower(s.during), s.side), (upper(s.during), -s.side)) e (day, sign)
    WHERE e.day IS NOT NULL
    GROUP BY s.park, e.day
    HAVING sum(e.sign * s.parcels) <> 0 OR sum(e.sign * s.land_m2) <> 0 OR sum(e.sign * s.revenue_cny) <> 0
        OR sum(e.sign * s.tax_cny) <> 0 OR sum(e.sign * s.employees) <> 0
  ),
  by_day AS (
    INSERT INTO output_per_mu_day AS d (park, day, parcels, land_m2, revenue_cny, tax_cny, employees)
    SELECT * FROM net
    ON CONFLICT (park, day) DO UPDATE
    SET parcels = d.parcels + EXCLUDED.parcels, land_m2 = d.land_m2 + EXCLUDED.land_m2,
        revenue_cny = d.revenue_cny + EXCLUDED.revenue_cny, tax_cny = d.tax_cny + EXCLUDED.tax_cny,
        employees = d.employees + EXCLUDED.employees
  ),
  by_first_year AS (
    SELECT n.park, stats_first_checkpoint(n.day) AS first_year, sum(n.parcels) AS parcels, sum(n.land_m2) AS land_m2,
           sum(n.revenue_cny) AS revenue_cny, sum(n.tax_cny) AS tax_cny, sum(n.employees) AS employees
    FROM net n
    GROUP BY 1, 2
  )
  INSERT INTO output_per_mu_year AS y (park, year, parcels, land_m2, revenue_cny, tax_cny, employees)
  SELECT n.park, g.year, sum(n.parcels), sum(n.land_m2), sum(n.revenue_cny), sum(n.tax_cny), sum(n.employees)
  FROM by_first_year n
  CROSS JOIN LATERAL generate_series(n.first_year, stats_last_checkpoint()) g (year)
  GROUP BY n.park, g.year
  ON CONFLICT (park, year) DO UPDATE
  SET parcels = y.parcels + EXCLUDED.parcels, land_m2 = y.land_m2 + EXCLUDED.land_m2,
      revenue_cny = y.revenue_cny + EXCLUDED.revenue_cny, tax_cny = y.tax_cny + EXCLUDED.tax_cny,
      employees = y.employees + EXCLUDED.employees;
  DELETE FROM output_per_mu_day WHERE parcels = 0 AND land_m2 = 0 AND revenue_cny = 0 AND tax_cny = 0 AND employees = 0;
  DELETE FROM output_per_mu_year WHERE parcels = 0 AND land_m2 = 0 AND revenue_cny = 0 AND tax_cny = 0 AND employees = 0;
END;
$$;
