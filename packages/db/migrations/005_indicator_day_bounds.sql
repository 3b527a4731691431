-- Indicator readers bound the day tables by a plain date (stats_checkpoint_day), so the planner can use
-- the day index; 004's readers computed the bound in a CTE the index could not see.
-- The day a day's checkpoint sums up to (its year's 1 January), or -infinity outside the span; the
-- readers add the changes from this day on, a bound the day index can use.
CREATE FUNCTION stats_checkpoint_day(as_of date) RETURNS date
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT coalesce(make_date(stats_checkpoint_of(as_of), 1, 1), '-infinity'::date)
$$;

-- Parcels, area, fees and summed `since` per class on a day, by 'park', 'area', 'corridor' or 'zone',
-- from the kept day table. Agrees with grouping idle_land_at(as_of) (stats.test.ts checks it).
CREATE OR REPLACE FUNCTION idle_land_summary_at(as_of date, group_by text)
RETURNS TABLE (key text, class text, parcels integer, area_m2 double precision, idle_fee_cny double precision, mean_age_days double precision)
LANGUAGE sql STABLE AS $$
  WITH sums AS (
    SELECT y.park, y.area, y.corridor, y.class, y.parcels, y.area_m2, y.idle_fee_cny, y.since_days
    FROM idle_land_year y WHERE y.year = stats_checkpoint_of(as_of)
    UNION ALL
    SELECT d.park, d.area, d.corridor, d.class, d.parcels, d.area_m2, d.idle_fee_cny, d.since_days
    FROM idle_land_day d WHERE d.day <= as_of AND d.day >= stats_checkpoint_day(as_of)
  )
  SELECT CASE group_by WHEN 'park' THEN park WHEN 'area' THEN area WHEN 'corridor' THEN corridor ELSE 'zone' END,
         class,
         sum(parcels)::int,
         sum(area_m2)::float8,
         sum(idle_fee_cny)::float8,
         ((as_of - date '2000-01-01') - sum(since_days)::numeric / sum(parcels))::float8
  FROM sums
  GROUP BY 1, 2
  HAVING sum(parcels) > 0
$$;

-- vacancy_at for 'park', 'area', 'corridor' and 'zone', from the kept day table.
CREATE OR REPLACE FUNCTION vacancy_kept_at(as_of date, group_by text)
RETURNS TABLE (
  key text, units integer, vacant_units integer, stock_m2 double precision, leased_m2 double precision,
  reserved_m2 double precision, vacant_m2 double precision, vacancy_rate double precision
)
LANGUAGE sql STABLE AS $$
  WITH sums AS (
    SELECT y.park, y.area, y.corridor, y.status, y.units, y.area_m2 FROM vacancy_year y WHERE y.year = stats_checkpoint_of(as_of)
    UNION ALL
    SELECT d.park, d.area, d.corridor, d.status, d.units, d.area_m2
    FROM vacancy_day d WHERE d.day <= as_of AND d.day >= stats_checkpoint_day(as_of)
  )
  SELECT CASE group_by WHEN 'park' THEN park WHEN 'area' THEN area WHEN 'corridor' THEN corridor ELSE 'zone' END,
         sum(units)::int,
         coalesce(sum(units) FILTER (WHERE status = 'vacant'), 0)::int,
         sum(area_m2)::float8,
         coalesce(sum(area_m2) FILTER (WHERE status = 'leased'), 0)::float8,
         coalesce(sum(area_m2) FILTER (WHERE status = 'reserved'), 0)::float8,
         coalesce(sum(area_m2) FILTER (WHERE status = 'vacant'), 0)::float8,
         (coalesce(sum(area_m2) FILTER (WHERE status = 'vacant'), 0) / nullif(sum(area_m2), 0))::float8
  FROM sums
  GROUP BY 1
  HAVING sum(units) > 0
$$;

-- The same month by month, as of each month's last day, months from_month to to_month (first days):
-- the sums up to the first month, then running sums of each month's changes.
CREATE OR REPLACE FUNCTION vacancy_series(from_month date, to_month date, group_by text)
RETURNS TABLE (
  month text, as_of date, key text, units integer, vacant_units integer, stock_m2 double precision,
  leased_m2 double precision, reserved_m2 double precision, vacant_m2 double precision, vacancy_rate double precision
)
LANGUAGE sql STABLE AS $$
  WITH sums AS (
    -- The checkpoint at 1 January of the first month's year, then the changes from that day on.
    SELECT y.park, y.area, y.corridor, from_month AS day, y.status, y.units, y.area_m2
    FROM vacancy_year y WHERE y.year = stats_checkpoint_of(from_month)
    UNION ALL
    SELECT d.park, d.area, d.corridor, d.day, d.status, d.units, d.area_m2
    FROM vacancy_day d
    WHERE d.day < (to_month + interval '1 month')::date AND d.day >= stats_checkpoint_day(from_month)
  ),
  changes AS (
    SELECT CASE group_by WHEN 'park' THEN park WHEN 'area' THEN area WHEN 'corridor' THEN corridor ELSE 'zone' END AS key,
           greatest(date_trunc('month', day::timestamp)::date, from_month) AS month, status, units, area_m2
    FROM sums
  ),
  monthly AS (
    SELECT key, month,
           sum(units) AS units, sum(units) FILTER (WHERE status = 'vacant') AS vacant_units, sum(area_m2) AS stock_m2,
           sum(area_m2) FILTER (WHERE status = 'leased') AS leased_m2, sum(area_m2) FILTER (WHERE status = 'reserved') AS reserved_m2,
           sum(area_m2) FILTER (WHERE status = 'vacant') AS vacant_m2
    FROM changes
    GROUP BY key, month
  ),
  grid AS (
    SELECT k.key, m::date AS month
    FROM (SELECT DISTINCT key FROM monthly) k
    CROSS JOIN generate_series(from_month::timestamp, to_month::timestamp, interval '1 month') m
  ),
  running AS (
    SELECT g.key, g.month,
           sum(coalesce(x.units, 0)) OVER w AS units, sum(coalesce(x.vacant_units, 0)) OVER w AS vacant_units,
           sum(coalesce(x.stock_m2, 0)) OVER w AS stock_m2, sum(coalesce(x.leased_m2, 0)) OVER w AS leased_m2,
           sum(coalesce(x.reserved_m2, 0)) OVER w AS reserved_m2, sum(coalesce(x.vacant_m2, 0)) OVER w AS vacant_m2
    FROM grid g
    LEFT JOIN monthly x ON x.key IS NOT DISTINCT FROM g.key AND x.month = g.month
    WINDOW w AS (PARTITION BY g.key ORDER BY g.month)
  )
  SELECT to_char(month, 'YYYY-MM'), (month + interval '1 month - 1 day')::date, key, units::int, vacant_units::int,
         stock_m2::float8, leased_m2::float8, reserved_m2::float8, vacant_m2::float8,
         (vacant_m2 / nullif(stock_m2, 0))::float8
  FROM running
  WHERE units > 0
$$;

-- Output per mu of each park and of the zone (level 'zone') on a day, from the kept day table, graded
-- like output_per_mu_at (stats.test.ts checks that they agree).
CREATE OR REPLACE FUNCTION park_output_per_mu_at(as_of date)
RETURNS TABLE (
  level text, key text, parcels integer, land_m2 double precision, land_mu double precision,
  revenue_cny double precision, tax_cny double precision, employees double precision,
  revenue_per_mu double precision, tax_per_mu double precision, labour_productivity double precision,
  scheme text, score double precision, grade text, rank integer
)
LANGUAGE sql STABLE AS $$
  WITH sums AS (
    SELECT y.park, y.parcels, y.land_m2, y.revenue_cny, y.tax_cny, y.employees FROM output_per_mu_year y WHERE y.year = stats_checkpoint_of(as_of)
    UNION ALL
    SELECT d.park, d.parcels, d.land_m2, d.revenue_cny, d.tax_cny, d.employees
    FROM output_per_mu_day d WHERE d.day <= as_of AND d.day >= stats_checkpoint_day(as_of)
  ),
  parks AS (
    SELECT park, sum(parcels) AS parcels, sum(land_m2) AS land_m2, sum(revenue_cny) AS revenue_cny,
           sum(tax_cny) AS tax_cny, sum(employees) AS employees
    FROM sums
    GROUP BY park
    HAVING sum(parcels) > 0
  ),
  totals AS (
    SELECT 'park' AS level, park AS key, parcels, land_m2, revenue_cny, tax_cny, employees FROM parks WHERE park IS NOT NULL
    UNION ALL
    SELECT 'zone', 'zone', sum(parcels), sum(land_m2), sum(revenue_cny), sum(tax_cny), sum(employees) FROM parks
  ),
  metrics AS (
    SELECT t.level, t.key, t.parcels::int AS parcels, t.land_m2::float8 AS land_m2, mu_of(t.land_m2::float8) AS land_mu,
           t.revenue_cny::float8 AS revenue_cny, t.tax_cny::float8 AS tax_cny, t.employees::float8 AS employees,
           (t.revenue_cny::float8 / nullif(mu_of(t.land_m2::float8), 0)) AS revenue_per_mu,
           (t.tax_cny::float8 / nullif(mu_of(t.land_m2::float8), 0)) AS tax_per_mu,
           (t.revenue_cny / nullif(t.employees, 0))::float8 AS labour_productivity
    FROM totals t
    WHERE t.parcels > 0
  ),
  graded AS (
    SELECT g.*
    FROM (SELECT array_agg(level || ':' || key) AS k, array_agg(land_mu) AS l, array_agg(tax_per_mu) AS t,
                 array_agg(revenue_per_mu) AS r, array_agg(labour_productivity) AS p FROM metrics) a
    CROSS JOIN LATERAL output_per_mu_graded(a.k, a.l, a.t, a.r, a.p) g
  )
  SELECT m.level, m.key, m.parcels, m.land_m2, m.land_mu, m.revenue_cny, m.tax_cny, m.employees,
         m.revenue_per_mu, m.tax_per_mu, m.labour_productivity, g.scheme, g.score, g.grade,
         (CASE WHEN g.score IS NOT NULL THEN rank() OVER (PARTITION BY m.level ORDER BY g.score DESC NULLS LAST) END)::int
  FROM metrics m
  JOIN graded g ON g.key = m.level || ':' || m.key
$$;
