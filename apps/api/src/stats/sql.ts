/**
 * The SQL of the zone's indicators. The rules themselves are functions and views of migration
 * 004_indicators.sql (idle_land_at, vacancy_at, output_per_mu_at, …); these statements only select,
 * group and name their rows for the API. Values are always `$n` parameters; the grouping (`by`) is one
 * too, checked against an allow-list by the route's schema before it gets here.
 */

/** The idle-land thresholds in force. */
export const IDLE_LAND_RULES = `
SELECT idle_after::text AS idle_after, recoverable_after::text AS recoverable_after, stopped_for::text AS stopped_for,
       min_developed_share::float8 AS min_developed_share, min_invested_share::float8 AS min_invested_share,
       idle_fee_share::float8 AS idle_fee_share
FROM idle_land_config`;

/** $1 a day or NULL → that day, or the database's today. */
export const RESOLVE_AS_OF = `SELECT coalesce($1::date, current_date)::text AS as_of`;

/**
 * Every parcel's idle-land class with the facts that decided it, in parcel-code order.
 * $1 as_of, $2 classes (text[] or NULL), $3 park or NULL, $4 the last code of the previous page or
 * NULL, $5 rows to return (NULL: all).
 */
export const IDLE_LAND_ITEMS = `
SELECT i.parcel, i.class, i.rule, i.since::text AS since, i.days, i.deadline::text AS deadline, i.next_class,
       i.idle_fee_cny::float8 AS idle_fee_cny, i.exemption, i.exempted_class,
       p.land_use, p.status, p.area_m2, mu_of(p.area_m2) AS area_mu, z.park, z.area, z.corridor,
       p.enterprise, p.price_cny::float8 AS price_cny,
       p.approval_date::text AS approval_date, p.supply_date::text AS supply_date,
       p.agreed_start_date::text AS agreed_start_date, p.start_date::text AS start_date,
       p.completion_date::text AS completion_date, p.stopped_since::text AS stopped_since,
       p.developed_share::float8 AS developed_share, p.invested_share::float8 AS invested_share
FROM idle_land_at($1::date) i
JOIN parcel p ON p.code = i.parcel
LEFT JOIN parcel_zone z ON z.parcel = i.parcel
WHERE ($2::text[] IS NULL OR i.class = ANY ($2::text[]))
  AND ($3::text IS NULL OR z.park = $3::text)
  AND ($4::text IS NULL OR i.parcel > $4::text)
ORDER BY i.parcel
LIMIT $5::int`;

/**
 * Idle land per zone, park, area or corridor ($2) on $1, from the kept per-day changes
 * (idle_land_summary_at): one row per group with the parcels and area of each class that matters, the
 * idle share of supplied land, the fees due and the mean age of 批而未供 and 供而未用 land.
 */
export const IDLE_LAND_SUMMARY = `
WITH s AS (SELECT * FROM idle_land_summary_at($1::date, $2::text)),
g AS (
  SELECT key,
         sum(parcels)::int AS parcels,
         sum(area_m2) AS area_m2,
         coalesce(sum(area_m2) FILTER (WHERE class NOT IN ('unapproved', 'approved_unsupplied')), 0) AS supplied_area_m2,
         coalesce(sum(idle_fee_cny), 0) AS idle_fee_cny,
         coalesce(sum(parcels) FILTER (WHERE class IN ('idle_1y', 'recoverable')), 0)::int AS idle_parcels,
         coalesce(sum(area_m2) FILTER (WHERE class IN ('idle_1y', 'recoverable')), 0) AS idle_area_m2,
         coalesce(sum(parcels) FILTER (WHERE class = 'recoverable'), 0)::int AS recoverable_parcels,
         coalesce(sum(area_m2) FILTER (WHERE class = 'recoverable'), 0) AS recoverable_area_m2,
         coalesce(sum(parcels) FILTER (WHERE class = 'stalled'), 0)::int AS stalled_parcels,
         coalesce(sum(area_m2) FILTER (WHERE class = 'stalled'), 0) AS stalled_area_m2,
         coalesce(sum(parcels) FILTER (WHERE class = 'exempt'), 0)::int AS exempt_parcels,
         coalesce(sum(area_m2) FILTER (WHERE class = 'exempt'), 0) AS exempt_area_m2,
         coalesce(sum(parcels) FILTER (WHERE class = 'approved_unsupplied'), 0)::int AS approved_unsupplied_parcels,
         coalesce(sum(area_m2) FILTER (WHERE class = 'approved_unsupplied'), 0) AS approved_unsupplied_area_m2,
         max(mean_age_days) FILTER (WHERE class = 'approved_unsupplied') AS approved_unsupplied_mean_age_days,
         coalesce(sum(parcels) FILTER (WHERE class = 'supplied_unused'), 0)::int AS supplied_unused_parcels,
         coalesce(sum(area_m2) FILTER (WHERE class = 'supplied_unused'), 0) AS supplied_unused_area_m2,
         max(mean_age_days) FILTER (WHERE class = 'supplied_unused') AS supplied_unused_mean_age_days
  FROM s
  GROUP BY key
)
SELECT g.key, n.name, g.parcels, g.area_m2, mu_of(g.area_m2) AS area_mu, g.supplied_area_m2,
       g.idle_area_m2 / nullif(g.supplied_area_m2, 0) AS idle_share, g.idle_fee_cny,
       g.idle_parcels, g.idle_area_m2, mu_of(g.idle_area_m2) AS idle_area_mu,
       g.recoverable_parcels, g.recoverable_area_m2, mu_of(g.recoverable_area_m2) AS recoverable_area_mu,
       g.stalled_parcels, g.stalled_area_m2, mu_of(g.stalled_area_m2) AS stalled_area_mu,
       g.exempt_parcels, g.exempt_area_m2, mu_of(g.exempt_area_m2) AS exempt_area_mu,
       g.approved_unsupplied_parcels, g.approved_unsupplied_area_m2,
       mu_of(g.approved_unsupplied_area_m2) AS approved_unsupplied_area_mu, g.approved_unsupplied_mean_age_days,
       g.supplied_unused_parcels, g.supplied_unused_area_m2,
       mu_of(g.supplied_unused_area_m2) AS supplied_unused_area_mu, g.supplied_unused_mean_age_days
FROM g
LEFT JOIN zone_name n ON n.kind = $2::text AND n.code = g.key
ORDER BY g.key NULLS LAST`;

/**
 * 批而未供 and 供而未用 land by whole years of age (since approval, since supply), per group.
 * $1 as_of, $2 grouping.
 */
export const IDLE_LAND_AGES = `
WITH i AS (
  SELECT i.class, i.since, p.area_m2 AS m2,
         CASE $2::text WHEN 'park' THEN z.park WHEN 'area' THEN z.area WHEN 'corridor' THEN z.corridor ELSE 'zone' END AS key
  FROM idle_land_at($1::date) i
  JOIN parcel p ON p.code = i.parcel
  LEFT JOIN parcel_zone z ON z.parcel = i.parcel
  WHERE i.class IN ('approved_unsupplied', 'supplied_unused')
)
SELECT i.key, n.name, i.class, extract(year FROM age($1::date, i.since))::int AS age_years,
       count(*)::int AS parcels, sum(i.m2) AS area_m2, mu_of(sum(i.m2)) AS area_mu
FROM i
LEFT JOIN zone_name n ON n.kind = $2::text AND n.code = i.key
GROUP BY i.key, n.name, i.class, 4
ORDER BY i.key NULLS LAST, i.class, age_years`;

/** Parcels crossing an idle-land threshold within $2 days of $1, soonest first; $3 park or NULL. */
export const IDLE_LAND_WARNINGS = `
SELECT w.parcel, w.class, w.rule, w.next_class, w.deadline::text AS deadline, w.days_left,
       p.area_m2, mu_of(p.area_m2) AS area_mu, z.park, z.area, p.enterprise, p.price_cny::float8 AS price_cny,
       CASE WHEN w.next_class = 'idle_1y' THEN round(p.price_cny * c.idle_fee_share, 2)::float8 END AS idle_fee_cny
FROM idle_land_warnings_at($1::date, $2::int) w
JOIN parcel p ON p.code = w.parcel
LEFT JOIN parcel_zone z ON z.parcel = w.parcel
CROSS JOIN idle_land_config c
WHERE $3::text IS NULL OR z.park = $3::text
ORDER BY w.deadline, w.parcel`;

/**
 * Vacancy on $1 by $2 ('park', 'area', 'corridor', 'zone') from the kept per-day changes
 * (vacancy_kept_at). Parks, areas and corridors without stock are listed too, with zeros.
 */
export const VACANCY = `
WITH v AS (SELECT * FROM vacancy_kept_at($1::date, $2::text))
SELECT coalesce(v.key, n.code) AS key, n.name,
       coalesce(v.units, 0) AS units, coalesce(v.vacant_units, 0) AS vacant_units,
       coalesce(v.stock_m2, 0) AS stock_m2, coalesce(v.leased_m2, 0) AS leased_m2,
       coalesce(v.reserved_m2, 0) AS reserved_m2, coalesce(v.vacant_m2, 0) AS vacant_m2, v.vacancy_rate
FROM v
FULL JOIN (SELECT code, name FROM zone_name WHERE kind = $2::text) n ON n.code = v.key
ORDER BY 1 NULLS LAST`;

/** Vacancy per building on $1, computed from units and leases (vacancy_at). */
export const VACANCY_BY_BUILDING = `
SELECT v.key, b.name, v.units, v.vacant_units, v.stock_m2, v.leased_m2, v.reserved_m2, v.vacant_m2, v.vacancy_rate
FROM vacancy_at($1::date, 'building') v
JOIN building b ON b.code = v.key
ORDER BY v.key`;

/** Vacancy as of each month's last day, months $1 to $2 (first days), by $3, from the kept changes. */
export const VACANCY_SERIES = `
SELECT s.month, s.as_of::text AS as_of, s.key, coalesce(n.name, b.name) AS name, s.units, s.vacant_units,
       s.stock_m2, s.leased_m2, s.reserved_m2, s.vacant_m2, s.vacancy_rate
FROM vacancy_series($1::date, $2::date, $3::text) s
LEFT JOIN zone_name n ON n.kind = $3::text AND n.code = s.key
LEFT JOIN building b ON $3::text = 'building' AND b.code = s.key
ORDER BY s.month, s.key NULLS LAST`;

const OUTPUT_PER_MU_COLUMNS = `o.parcels, o.land_m2, o.land_mu, o.revenue_cny, o.tax_cny, o.employees, o.revenue_per_mu,
       o.tax_per_mu, o.labour_productivity, o.scheme, o.score, o.grade, o.rank`;

/**
 * Output per mu of each park (by land in the park) on $1 from the kept per-day changes
 * (park_output_per_mu_at), best first, after the zone's own row (level 'zone'); $2 grade or NULL,
 * $3 park or NULL filter the parks.
 */
export const OUTPUT_PER_MU_PARKS = `
SELECT o.level, o.key, k.name, CASE WHEN o.level = 'park' THEN o.key END AS park, NULL::text AS enterprise,
       NULL::text AS industry, ${OUTPUT_PER_MU_COLUMNS}
FROM park_output_per_mu_at($1::date) o
LEFT JOIN park k ON k.code = o.key AND o.level = 'park'
WHERE o.level = 'zone'
   OR (o.level = 'park' AND ($2::text IS NULL OR o.grade = $2::text) AND ($3::text IS NULL OR o.key = $3::text))
ORDER BY o.level = 'park', o.rank NULLS LAST, o.key`;

/**
 * Output per mu of each land-using enterprise on $1 (kept), best first; $2 grade or NULL, $3 park
 * (registered) or NULL, $4 the number of rows or NULL (all).
 */
export const OUTPUT_PER_MU_ENTERPRISES = `
SELECT 'enterprise' AS level, o.key, e.name, o.park, NULL::text AS enterprise, e.industry, ${OUTPUT_PER_MU_COLUMNS}
FROM enterprise_output_per_mu_at($1::date) o
JOIN enterprise e ON e.uscc = o.key
WHERE ($2::text IS NULL OR o.grade = $2::text) AND ($3::text IS NULL OR o.park = $3::text)
ORDER BY o.rank NULLS LAST, o.key
LIMIT $4::int`;

/** Output per mu of each used parcel on $1 (its user's figures, kept); $2 grade, $3 park, $4 rows, each or NULL. */
export const OUTPUT_PER_MU_PARCELS = `
SELECT 'parcel' AS level, o.parcel AS key, p.name, o.park, o.enterprise, NULL::text AS industry, 1 AS parcels,
       o.land_m2, o.land_mu, o.revenue_cny, o.tax_cny, NULL::float8 AS employees, o.revenue_per_mu, o.tax_per_mu,
       o.labour_productivity, o.scheme, o.score, o.grade, o.rank
FROM parcel_output_per_mu_at($1::date) o
JOIN parcel p ON p.code = o.parcel
WHERE ($2::text IS NULL OR o.grade = $2::text) AND ($3::text IS NULL OR o.park = $3::text)
ORDER BY o.rank NULLS LAST, o.parcel
LIMIT $4::int`;

/** The whole zone's output per mu on $1 (kept). */
export const OUTPUT_PER_MU_ZONE = `
SELECT o.level, o.key, NULL::text AS name, NULL::text AS park, NULL::text AS enterprise, NULL::text AS industry, ${OUTPUT_PER_MU_COLUMNS}
FROM park_output_per_mu_at($1::date) o
WHERE o.level = 'zone'`;

/** The scoring scheme in force: indicators with their published and effective weights, and the bands. */
export const OUTPUT_PER_MU_INDICATORS = `
SELECT scheme, indicator, name, unit, benchmark::float8 AS benchmark, weight::float8 AS weight, scored,
       effective_weight::float8 AS effective_weight
FROM output_per_mu_weight
ORDER BY scheme DESC, weight DESC, indicator`;
export const OUTPUT_PER_MU_GRADES = `SELECT grade, min_score::float8 AS min_score, meaning FROM output_per_mu_grade ORDER BY min_score DESC`;
export const OUTPUT_PER_MU_SMALL_LAND = `SELECT small_land_mu::float8 AS small_land_mu FROM output_per_mu_config`;

/** Enterprises and their figures by industry, per park ($1 'park') or zone-wide ('division', 'section'). */
export const INDUSTRIES = `
SELECT s.park, k.name AS park_name, s.section, sc.name AS section_name, s.division, dc.name AS division_name,
       s.enterprises, s.high_tech_enterprises, s.employees::float8 AS employees, s.revenue_cny::float8 AS revenue_cny,
       s.tax_cny::float8 AS tax_cny, s.high_tech_output_cny::float8 AS high_tech_output_cny
FROM industry_stats($1::text) s
LEFT JOIN park k ON k.code = s.park
LEFT JOIN industry_class sc ON sc.code = s.section
LEFT JOIN industry_class dc ON dc.code = s.division
ORDER BY s.park NULLS LAST, s.section, s.division NULLS FIRST`;

/** Each park's theme industry chain, link by link; $1 park or NULL. */
export const INDUSTRY_CHAINS = `
SELECT c.park, k.name AS park_name, k.theme, c.position, c.link, c.link_name, c.enterprises, c.enterprises > 0 AS present
FROM park_industry_chain c
JOIN park k ON k.code = c.park
WHERE $1::text IS NULL OR c.park = $1::text
ORDER BY c.park, c.position`;

/** Projects and investment by $1 ('status', 'corridor', 'area', 'park'), statuses in lifecycle order. */
export const PROJECTS = `
SELECT s.key, coalesce(n.name, st.name) AS name, s.projects, s.investment_cny::float8 AS investment_cny,
       (s.investment_cny / sum(s.investment_cny) OVER ())::float8 AS investment_share, s.started, s.completed
FROM project_stats($1::text) s
LEFT JOIN zone_name n ON n.kind = $1::text AND n.code = s.key
LEFT JOIN (VALUES (1, 'planned', '谋划'), (2, 'approved', '已审批'), (3, 'under_construction', '在建'),
                  (4, 'completed', '竣工'), (5, 'operating', '投产运营')) st (position, code, name)
  ON $1::text = 'status' AND st.code = s.key
ORDER BY st.position, s.key NULLS LAST`;
