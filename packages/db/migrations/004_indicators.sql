-- The zone's indicators (DOMAIN.md): idle land by rule, vacancy, output per mu (亩均效益), industry
-- statistics and the project book.
--
-- Each rule is one SQL function over the tables of 002 (idle_land_at, vacancy_at, output_per_mu_at …),
-- the reference for every figure. Over a 100k-parcel zone the dashboard's figures cannot be computed on
-- every read within 100 ms (bench/stats.ts), so they are also kept: per entity, its states over time as
-- segments between the days they change (a unit's leased/vacant spans, a parcel's idle-land classes, an
-- enterprise's land per park); per zone and day, the sum of the changes, so the figures of any day D are
-- the sums of the rows with day <= D. Statement-level triggers refresh the entities each write touches,
-- in the writing transaction, so the kept figures never disagree with the data (stats.test.ts checks
-- them against the reference after every kind of write, and against a full rebuild).
--
-- The only stored inputs are the thresholds, benchmarks, weights and bands below, which vary by
-- province and year and are therefore configuration rather than literals in the queries.
--
-- "As of D" means at the end of day D throughout, the way the lease table reads its inclusive dates.

-- ───────────────────────────────────────────── configuration ─────────────────────────────────────────────

-- Idle-land rules of 闲置土地处置办法 (MLR Order No. 53, 2012). One row.
CREATE TABLE idle_land_config (
  id                   boolean PRIMARY KEY DEFAULT true CHECK (id),
  -- Art. 2 ¶1: idle when development has not started one full year after the agreed start date.
  -- A full year is a calendar year (Civil Code art. 201–203: the start day is not counted and the period
  -- ends on the corresponding day, or the month's last day when there is none: 2024-02-29 + 1 year =
  -- 2025-02-28), not 365 days; a province that counts days can store '365 days'.
  idle_after           interval NOT NULL CHECK (idle_after > interval '0'),
  -- Art. 14 (2): idle two full years → the right may be recovered without compensation.
  recoverable_after    interval NOT NULL,
  -- Art. 2 ¶2: started, but less than a third of the land developed or under 25% of the investment
  -- made, and development stopped for one full year, is idle too.
  stopped_for          interval NOT NULL CHECK (stopped_for > interval '0'),
  min_developed_share  numeric NOT NULL CHECK (min_developed_share BETWEEN 0 AND 1),
  min_invested_share   numeric NOT NULL CHECK (min_invested_share BETWEEN 0 AND 1),
  -- Art. 14 (1): the idle-land fee is 20% of the land price (出让或者划拨价款).
  idle_fee_share       numeric NOT NULL CHECK (idle_fee_share BETWEEN 0 AND 1),
  CHECK (recoverable_after > idle_after)
);
INSERT INTO idle_land_config
  (idle_after, recoverable_after, stopped_for, min_developed_share, min_invested_share, idle_fee_share)
VALUES (interval '1 year', interval '2 years', interval '1 year', 1::numeric / 3, 0.25, 0.20);

-- 亩均效益 evaluation: the published default scheme (Linhai, Zhejiang; DOMAIN.md). `standard` applies
-- to land users on small_land_mu or more, `small` below it. An indicator counts in a score only when
-- ParkAtlas measures it (tax, revenue and employees are in `enterprise`; energy, COD, water and
-- electricity are not) and it has a benchmark; the weights of the counted ones are renormalized to 100.
CREATE TABLE output_per_mu_indicator (
  scheme     text NOT NULL CHECK (scheme IN ('standard', 'small')),
  indicator  text NOT NULL CHECK (indicator ~ '^[a-z_0-9]+$'),
  name       text NOT NULL,
  unit       text NOT NULL,
  benchmark  numeric CHECK (benchmark > 0),   -- NULL: none published; the indicator is not scored
  weight     numeric NOT NULL CHECK (weight >= 0),
  PRIMARY KEY (scheme, indicator)
);
INSERT INTO output_per_mu_indicator (scheme, indicator, name, unit, benchmark, weight) VALUES
  ('standard', 'tax_per_mu',              '亩均税收',                 'CNY/mu',        150000,  40),
  ('standard', 'revenue_per_mu',          '亩均销售收入',             'CNY/mu',        3000000, 10),
  ('standard', 'value_added_per_tce',     '单位能耗工业增加值',       'CNY/tce',       30000,   20),
  ('standard', 'value_added_per_t_cod',   '单位排放工业增加值',       'CNY/t COD',     5000000, 15),
  ('standard', 'value_added_per_t_water', '单位水耗工业增加值',       'CNY/t water',   1000,    5),
  ('standard', 'labour_productivity',     '全员劳动生产率',           'CNY/employee',  150000,  10),
  ('small',    'tax_per_mu',              '亩均税收',                 'CNY/mu',        150000,  50),
  ('small',    'revenue_per_mu',          '亩均销售收入',             'CNY/mu',        3000000, 20),
  ('small',    'tax_per_kwh',             '单位电耗税收',             'CNY/kWh',       NULL,    30);

CREATE TABLE output_per_mu_config (
  id             boolean PRIMARY KEY DEFAULT true CHECK (id),
  -- Land users below this many mu are scored with the `small` scheme.
  small_land_mu  numeric NOT NULL CHECK (small_land_mu >= 0)
);
INSERT INTO output_per_mu_config (small_land_mu) VALUES (3);

-- Grades by score band: the highest band whose min_score the score reaches. The bands are set locally
-- (DOMAIN.md); these defaults put A at the benchmark itself (a score of 100 means every scored
-- indicator at its benchmark on average).
CREATE TABLE output_per_mu_grade (
  grade      text PRIMARY KEY CHECK (grade ~ '^[A-Z]$'),
  min_score  numeric NOT NULL UNIQUE,
  meaning    text NOT NULL
);
INSERT INTO output_per_mu_grade (grade, min_score, meaning) VALUES
  ('A', 100, '优先发展 priority support'),
  ('B', 60,  '提升发展 improve'),
  ('C', 30,  '转型发展 transform'),
  ('D', 0,   '整治或退出 rectify or exit');

-- The scheme as it is applied: an indicator is scored when ParkAtlas measures it (the three that
-- output_per_mu_at computes) and it has a benchmark; effective_weight renormalizes the scored weights
-- of each scheme to 100 (standard: tax 40, revenue 10, labour 10 of 60 → 66.7, 16.7, 16.7;
-- small: tax 50, revenue 20 of 70 → 71.4, 28.6).
CREATE VIEW output_per_mu_weight AS
WITH i AS (
  SELECT i.*, i.benchmark IS NOT NULL AND i.indicator IN ('tax_per_mu', 'revenue_per_mu', 'labour_productivity') AS scored
  FROM output_per_mu_indicator i
)
SELECT i.*,
       CASE WHEN i.scored THEN 100 * i.weight / sum(i.weight) FILTER (WHERE i.scored) OVER (PARTITION BY i.scheme) END AS effective_weight
FROM i;

-- ───────────────────────────────────────────── helpers ─────────────────────────────────────────────

-- Checkpoints: each kept figure is also summed up to 1 January of every year from 1990 to 2100, so
-- the figures of a day read one checkpoint and the changes since that 1 January, not all history.
-- The first checkpoint a change on `day` counts in (changes before 1990, -infinity included, in 1990's):
CREATE FUNCTION stats_first_checkpoint(day date) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN day < date '1990-01-01' THEN 1990 ELSE extract(year FROM day)::int + 1 END
$$;
-- The checkpoint a day's figures start from: its year's, or NULL outside the span (read all changes).
CREATE FUNCTION stats_checkpoint_of(as_of date) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN as_of BETWEEN date '1990-01-01' AND date '2100-12-31' THEN extract(year FROM as_of)::int END
$$;
CREATE FUNCTION stats_last_checkpoint() RETURNS integer LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT 2100 $$;

-- 1 mu = 10,000 / 15 m² (DOMAIN.md).
CREATE FUNCTION mu_of(m2 double precision) RETURNS double precision
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT m2 / (10000.0 / 15) $$;

-- ───────────────────────────────────────── containment, kept ─────────────────────────────────────────

-- Which park, area and corridor hold each parcel: exactly parcel_containment (003), kept as a table
-- because every zone-wide indicator groups by it, and the view costs three spatial look-ups per parcel
-- on every read (bench/stats.ts measures both). Triggers keep it equal to the view after every write
-- of a parcel, park, area or corridor; stats.test.ts checks that they stay equal.
CREATE TABLE parcel_zone (
  parcel    text PRIMARY KEY REFERENCES parcel (code) ON UPDATE CASCADE ON DELETE CASCADE,
  park      text,
  area      text,
  corridor  text
);
CREATE INDEX parcel_zone_park_idx ON parcel_zone (park);
CREATE INDEX parcel_zone_area_idx ON parcel_zone (area);
CREATE INDEX parcel_zone_corridor_idx ON parcel_zone (corridor);

-- Parcels inserted or updated by a statement (its transition table `changed_parcels`): recompute them.
CREATE FUNCTION parcel_zone_after_parcel_write() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO parcel_zone AS z (parcel, park, area, corridor)
  SELECT c.parcel, c.park, c.area, c.corridor
  FROM parcel_containment c
  WHERE c.parcel IN (SELECT code FROM changed_parcels)
  ON CONFLICT (parcel) DO UPDATE SET park = EXCLUDED.park, area = EXCLUDED.area, corridor = EXCLUDED.corridor
  WHERE (z.park, z.area, z.corridor) IS DISTINCT FROM (EXCLUDED.park, EXCLUDED.area, EXCLUDED.corridor);
  RETURN NULL;
END;
$$;

CREATE TRIGGER parcel_zone_after_parcel_insert AFTER INSERT ON parcel
  REFERENCING NEW TABLE AS changed_parcels FOR EACH STATEMENT EXECUTE FUNCTION parcel_zone_after_parcel_write();
CREATE TRIGGER parcel_zone_after_parcel_update AFTER UPDATE ON parcel
  REFERENCING NEW TABLE AS changed_parcels FOR EACH STATEMENT EXECUTE FUNCTION parcel_zone_after_parcel_write();
-- A deleted parcel's row goes with it (ON DELETE CASCADE).

-- A park, area or corridor inserted, redrawn or deleted: only parcels whose label point lies in one of
-- the outlines before or after the statement can change zone, so recompute those.
CREATE FUNCTION parcel_zone_after_zone_write() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  outlines geometry[];
BEGIN
  IF TG_OP = 'INSERT' THEN
    SELECT array_agg(geom) INTO outlines FROM new_zones;
  ELSIF TG_OP = 'DELETE' THEN
    SELECT array_agg(geom) INTO outlines FROM old_zones;
  ELSE
    SELECT array_agg(g) INTO outlines FROM (SELECT geom FROM old_zones UNION ALL SELECT geom FROM new_zones) x (g);
  END IF;
  UPDATE parcel_zone z
  SET park = c.park, area = c.area, corridor = c.corridor
  FROM parcel p
  JOIN parcel_containment c ON c.parcel = p.code
  WHERE z.parcel = p.code
    AND EXISTS (SELECT 1 FROM unnest(outlines) o (geom) WHERE o.geom && p.label_point AND ST_Intersects(o.geom, p.label_point))
    AND (z.park, z.area, z.corridor) IS DISTINCT FROM (c.park, c.area, c.corridor);
  RETURN NULL;
END;
$$;

-- Transition tables need one trigger per event.
CREATE TRIGGER parcel_zone_after_park_insert AFTER INSERT ON park
  REFERENCING NEW TABLE AS new_zones FOR EACH STATEMENT EXECUTE FUNCTION parcel_zone_after_zone_write();
CREATE TRIGGER parcel_zone_after_park_update AFTER UPDATE ON park
  REFERENCING OLD TABLE AS old_zones NEW TABLE AS new_zones FOR EACH STATEMENT EXECUTE FUNCTION parcel_zone_after_zone_write();
CREATE TRIGGER parcel_zone_after_park_delete AFTER DELETE ON park
  REFERENCING OLD TABLE AS old_zones FOR EACH STATEMENT EXECUTE FUNCTION parcel_zone_after_zone_write();
CREATE TRIGGER parcel_zone_after_area_insert AFTER INSERT ON area
  REFERENCING NEW TABLE AS new_zones FOR EACH STATEMENT EXECUTE FUNCTION parcel_zone_after_zone_write();
CREATE TRIGGER parcel_zone_after_area_update AFTER UPDATE ON area
  REFERENCING OLD TABLE AS old_zones NEW TABLE AS new_zones FOR EACH STATEMENT EXECUTE FUNCTION parcel_zone_after_zone_write();
CREATE TRIGGER parcel_zone_after_area_delete AFTER DELETE ON area
  REFERENCING OLD TABLE AS old_zones FOR EACH STATEMENT EXECUTE FUNCTION parcel_zone_after_zone_write();
CREATE TRIGGER parcel_zone_after_corridor_insert AFTER INSERT ON corridor
  REFERENCING NEW TABLE AS new_zones FOR EACH STATEMENT EXECUTE FUNCTION parcel_zone_after_zone_write();
CREATE TRIGGER parcel_zone_after_corridor_update AFTER UPDATE ON corridor
  REFERENCING OLD TABLE AS old_zones NEW TABLE AS new_zones FOR EACH STATEMENT EXECUTE FUNCTION parcel_zone_after_zone_write();
CREATE TRIGGER parcel_zone_after_corridor_delete AFTER DELETE ON corridor
  REFERENCING OLD TABLE AS old_zones FOR EACH STATEMENT EXECUTE FUNCTION parcel_zone_after_zone_write();

-- The names of parks, areas and corridors by kind and code, for the tables the indicators print.
CREATE VIEW zone_name AS
SELECT 'park' AS kind, code, name, name_en FROM park
UNION ALL SELECT 'area', code, name, name_en FROM area
UNION ALL SELECT 'corridor', code, name, name_en FROM corridor;


-- ───────────────────────────────────────────── idle land ─────────────────────────────────────────────

-- A parcel's standing under the idle-land rules on a day: its class, the rule that decided it, the day
-- it entered the class, the day it enters next_class unless something changes, the idle-land fee due,
-- and for an exempt parcel the reason and the class it would otherwise have.
CREATE TYPE idle_land_decision AS (
  class text, rule text, since date, deadline date, next_class text,
  idle_fee_cny numeric, exemption text, exempted_class text
);

-- What a class means for a parcel. Art. 8: a delay caused by the government or by force majeure is
-- excluded, so a parcel carrying such an exemption is `exempt` wherever the clock of the rules would
-- run (supplied_unused, stalled, idle_1y, recoverable). Art. 14 (1): idle land owes a fee of
-- idle_fee_share (20%) of its land price.
CREATE FUNCTION idle_land_state(p parcel, c idle_land_config, class text, rule text, since date, deadline date, next_class text)
RETURNS idle_land_decision
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE
    WHEN p.idle_exemption IS NOT NULL AND class IN ('supplied_unused', 'stalled', 'idle_1y', 'recoverable')
      THEN ROW('exempt', 'exempt_art8', since, NULL, NULL, NULL, p.idle_exemption, class)::idle_land_decision
    ELSE ROW(class, rule, since, deadline, next_class,
             CASE WHEN class IN ('idle_1y', 'recoverable') THEN round(p.price_cny * c.idle_fee_share, 2) END,
             NULL, NULL)::idle_land_decision
  END
$$;

-- The idle-land rules of 闲置土地处置办法 (MLR Order No. 53, 2012) for one parcel on one day, with the
-- thresholds of idle_land_config. Classes:
--   unapproved           not approved for construction use (nor supplied) by that day
--   approved_unsupplied  批而未供: approved, not yet supplied; `since` = approval day (its age)
--   completed            built: completion day reached
--   supplied_unused      供而未用: supplied, not started, not (yet) idle; `since` = supply day (its age)
--   idle_1y              Art. 2 ¶1: not started one full year after the agreed start (not_started_1y);
--                        Art. 2 ¶2: started, under a third developed or under 25% invested, and stopped
--                        one full year (stalled_1y). Art. 14 (1): fee of 20% of the land price.
--   recoverable          idle two full years (Art. 14 (2)): may be recovered without compensation
--                        (not_started_2y; stalled_2y, where the stop counts as the start of idleness)
--   stalled              Art. 2 ¶2's shares, stopped less than a full year
--   developing           started, none of the above
--   exempt               see idle_land_state (Art. 8)
-- A period has passed once the day reaches start + period (date + interval; see idle_land_config for
-- why a full year is a calendar year). "Started" is start_date (Art. 30: foundations done, not site works
-- below ±0.00). Land built on without a recorded supply date has evidently been supplied.
-- Written as one expression so that PostgreSQL inlines it into the queries that call it.
CREATE FUNCTION idle_land_rule(p parcel, c idle_land_config, as_of date)
RETURNS idle_land_decision
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE
    WHEN NOT coalesce(coalesce(p.supply_date, p.start_date) <= as_of, false) THEN
      CASE WHEN p.approval_date <= as_of
        THEN idle_land_state(p, c, 'approved_unsupplied', 'approved_not_supplied', p.approval_date, NULL, NULL)
        ELSE idle_land_state(p, c, 'unapproved', 'not_approved', NULL, NULL, NULL)
      END
    WHEN p.completion_date <= as_of
      THEN idle_land_state(p, c, 'completed', 'completed', p.completion_date, NULL, NULL)
    -- Supplied, not started (Art. 2 ¶1, Art. 14).
    WHEN NOT coalesce(p.start_date <= as_of, false) THEN
      CASE
        WHEN p.agreed_start_date IS NULL
          THEN idle_land_state(p, c, 'supplied_unused', 'no_agreed_start_date', coalesce(p.supply_date, p.start_date), NULL, NULL)
        WHEN (p.agreed_start_date + c.recoverable_after)::date <= as_of
          THEN idle_land_state(p, c, 'recoverable', 'not_started_2y', (p.agreed_start_date + c.recoverable_after)::date, NULL, NULL)
        WHEN (p.agreed_start_date + c.idle_after)::date <= as_of
          THEN idle_land_state(p, c, 'idle_1y', 'not_started_1y', (p.agreed_start_date + c.idle_after)::date,
                               (p.agreed_start_date + c.recoverable_after)::date, 'recoverable')
        ELSE idle_land_state(p, c, 'supplied_unused', 'supplied_not_started', p.supply_date,
                             (p.agreed_start_date + c.idle_after)::date, 'idle_1y')
      END
    -- Started, then stopped with under a third developed or under 25% invested (Art. 2 ¶2).
    WHEN p.stopped_since <= as_of AND (p.developed_share < c.min_developed_share OR p.invested_share < c.min_invested_share) THEN
      CASE
        WHEN (p.stopped_since + c.recoverable_after)::date <= as_of
          THEN idle_land_state(p, c, 'recoverable', 'stalled_2y', (p.stopped_since + c.recoverable_after)::date, NULL, NULL)
        WHEN (p.stopped_since + c.stopped_for)::date <= as_of
          THEN idle_land_state(p, c, 'idle_1y', 'stalled_1y', (p.stopped_since + c.stopped_for)::date,
                               (p.stopped_since + c.recoverable_after)::date, 'recoverable')
        ELSE idle_land_state(p, c, 'stalled', 'stalled_under_1y', p.stopped_since, (p.stopped_since + c.stopped_for)::date, 'idle_1y')
      END
    ELSE idle_land_state(p, c, 'developing', 'started', p.start_date, NULL, NULL)
  END
$$;

-- Every parcel's standing as of a day, computed from the parcels as they are.
CREATE FUNCTION idle_land_at(as_of date)
RETURNS TABLE (
  parcel text, class text, rule text, since date, days integer, deadline date, next_class text,
  idle_fee_cny numeric, exemption text, exempted_class text, area_m2 double precision
)
LANGUAGE sql STABLE AS $$
  SELECT p.code, (x.d).class, (x.d).rule, (x.d).since, as_of - (x.d).since, (x.d).deadline, (x.d).next_class,
         (x.d).idle_fee_cny, (x.d).exemption, (x.d).exempted_class, p.area_m2
  FROM parcel p
  CROSS JOIN idle_land_config c
  -- OFFSET 0 keeps the decision one value per parcel, evaluated once.
  CROSS JOIN LATERAL (SELECT idle_land_rule(p, c, as_of) AS d OFFSET 0) x
$$;

-- Parcels that reach their `deadline` (enter next_class) after as_of and at most within_days later.
CREATE FUNCTION idle_land_warnings_at(as_of date, within_days integer)
RETURNS TABLE (parcel text, class text, rule text, next_class text, deadline date, days_left integer)
LANGUAGE sql STABLE AS $$
  SELECT i.parcel, i.class, i.rule, i.next_class, i.deadline, i.deadline - as_of
  FROM idle_land_at(as_of) i
  WHERE i.deadline > as_of AND i.deadline <= as_of + within_days
$$;

-- Kept: each parcel's standing over all time, as segments between the days its class can change (the
-- dates the rules compare against), and the changes of the zone-wide counts summed per zone and day,
-- so the summary of any day reads a few thousand rows instead of judging every parcel.
CREATE TABLE idle_land_segment (
  parcel        text NOT NULL,
  park          text,
  area          text,
  corridor      text,
  class         text NOT NULL,
  during        daterange NOT NULL,
  area_m2       numeric NOT NULL,
  idle_fee_cny  numeric,
  since         date
);
CREATE INDEX idle_land_segment_parcel_idx ON idle_land_segment (parcel);

-- Parcels entering (+) and leaving (−) each class on each day; `since_days` sums `since` (days after
-- 2000-01-01) for the mean age. The figures of day D are the sums over day <= D.
CREATE TABLE idle_land_day (
  park          text,
  area          text,
  corridor      text,
  day           date NOT NULL,
  class         text NOT NULL,
  parcels       integer NOT NULL,
  area_m2       numeric NOT NULL,
  idle_fee_cny  numeric NOT NULL,
  since_days    bigint NOT NULL,
  UNIQUE NULLS NOT DISTINCT (park, area, corridor, day, class)
);
-- Rows whose changes cancel out are removed; this index finds them.
CREATE INDEX idle_land_day_empty_idx ON idle_land_day (day)
  WHERE parcels = 0 AND area_m2 = 0 AND idle_fee_cny = 0 AND since_days = 0;
CREATE INDEX idle_land_day_day_idx ON idle_land_day (day);

-- The same sums up to 1 January of each checkpoint year.
CREATE TABLE idle_land_year (
  park          text,
  area          text,
  corridor      text,
  year          integer NOT NULL,
  class         text NOT NULL,
  parcels       integer NOT NULL,
  area_m2       numeric NOT NULL,
  idle_fee_cny  numeric NOT NULL,
  since_days    bigint NOT NULL,
  UNIQUE NULLS NOT DISTINCT (park, area, corridor, year, class)
);
CREATE INDEX idle_land_year_year_idx ON idle_land_year (year);

-- The segments of some parcels, from their current rows: the decision at each day a comparison of the
-- rules can flip, merged while class, since and fee stay the same.
CREATE FUNCTION idle_land_segments_of(parcel_codes text[])
RETURNS TABLE (
  parcel text, park text, area text, corridor text, class text, during daterange, area_m2 numeric,
  idle_fee_cny numeric, since date
)
LANGUAGE sql STABLE AS $$
  WITH turns AS (
    SELECT p.code, t.day, idle_land_rule(p, c, t.day) AS d
    FROM parcel p
    CROSS JOIN idle_land_config c
    CROSS JOIN LATERAL (
      SELECT DISTINCT v.day
      FROM (VALUES ('-infinity'::date), (p.approval_date), (p.supply_date), (p.start_date), (p.completion_date),
                   (p.stopped_since), ((p.agreed_start_date + c.idle_after)::date),
                   ((p.agreed_start_date + c.recoverable_after)::date), ((p.stopped_since + c.stopped_for)::date),
                   ((p.stopped_since + c.recoverable_after)::date)) v (day)
      WHERE v.day IS NOT NULL
    ) t
    WHERE p.code IN (SELECT unnest(parcel_codes))
  ),
  changes AS (
    SELECT code, day, d,
           (d).class IS DISTINCT FROM lag((d).class) OVER w
           OR (d).since IS DISTINCT FROM lag((d).since) OVER w
           OR (d).idle_fee_cny IS DISTINCT FROM lag((d).idle_fee_cny) OVER w AS changed
    FROM turns
    WINDOW w AS (PARTITION BY code ORDER BY day)
  ),
  segments AS (
    SELECT code, d, daterange(day, lead(day) OVER (PARTITION BY code ORDER BY day)) AS during
    FROM changes
    WHERE changed
  )
  SELECT s.code, z.park, z.area, z.corridor, (s.d).class, s.during, p.area_m2::numeric, (s.d).idle_fee_cny, (s.d).since
  FROM segments s
  JOIN parcel p ON p.code = s.code
  LEFT JOIN parcel_zone z ON z.parcel = s.code
$$;

-- Replaces the kept segments of some parcels with their current ones and corrects idle_land_day by the
-- difference (each segment counts +1 on its first day and −1 on the day after its last).
CREATE FUNCTION idle_land_refresh(parcel_codes text[]) RETURNS void
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
  )
  INSERT INTO idle_land_year AS y (park, area, corridor, year, class, parcels, area_m2, idle_fee_cny, since_days)
  SELECT n.park, n.area, n.corridor, g.year, n.class, sum(n.parcels), sum(n.area_m2), sum(n.idle_fee_cny), sum(n.since_days)
  FROM net n
  CROSS JOIN LATERAL generate_series(stats_first_checkpoint(n.day), stats_last_checkpoint()) g (year)
  GROUP BY n.park, n.area, n.corridor, g.year, n.class
  ON CONFLICT (park, area, corridor, year, class) DO UPDATE
  SET parcels = y.parcels + EXCLUDED.parcels, area_m2 = y.area_m2 + EXCLUDED.area_m2,
      idle_fee_cny = y.idle_fee_cny + EXCLUDED.idle_fee_cny, since_days = y.since_days + EXCLUDED.since_days;
  DELETE FROM idle_land_day WHERE parcels = 0 AND area_m2 = 0 AND idle_fee_cny = 0 AND since_days = 0;
  DELETE FROM idle_land_year WHERE parcels = 0 AND area_m2 = 0 AND idle_fee_cny = 0 AND since_days = 0;
END;
$$;

-- Parcels, area, fees and summed `since` per class on a day, by 'park', 'area', 'corridor' or 'zone',
-- from the kept day table. Agrees with grouping idle_land_at(as_of) (stats.test.ts checks it).
CREATE FUNCTION idle_land_summary_at(as_of date, group_by text)
RETURNS TABLE (key text, class text, parcels integer, area_m2 double precision, idle_fee_cny double precision, mean_age_days double precision)
LANGUAGE sql STABLE AS $$
  WITH c AS (SELECT stats_checkpoint_of(as_of) AS year),
  sums AS (
    SELECT y.park, y.area, y.corridor, y.class, y.parcels, y.area_m2, y.idle_fee_cny, y.since_days
    FROM idle_land_year y, c WHERE y.year = c.year
    UNION ALL
    SELECT d.park, d.area, d.corridor, d.class, d.parcels, d.area_m2, d.idle_fee_cny, d.since_days
    FROM idle_land_day d, c WHERE d.day <= as_of AND (c.year IS NULL OR d.day >= make_date(c.year, 1, 1))
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

-- ───────────────────────────────────────────── vacancy ─────────────────────────────────────────────

-- The rentable stock on a day, each unit with its state (unit_occupancy_at, 003). A unit is stock from
-- 1 January of its building's completion year (the year is all the model records) once the building is
-- completed; units of buildings not completed are not stock, whatever pre-lets they have.
CREATE FUNCTION unit_stock_at(as_of date)
RETURNS TABLE (unit text, building text, parcel text, area_m2 numeric, status text)
LANGUAGE sql STABLE AS $$
  SELECT u.code, u.building, b.parcel, u.area_m2, o.status
  FROM unit_occupancy_at(as_of) o
  JOIN unit u ON u.code = o.unit
  JOIN building b ON b.code = u.building
  WHERE b.status = 'completed' AND coalesce(b.completion_year, 0) <= extract(year FROM as_of)
$$;

-- Vacant floor area and vacancy rate (vacant ÷ stock) on a day, by 'building', 'park', 'area',
-- 'corridor' or 'zone', computed from the units and leases as they are. Reserved units are neither let
-- nor vacant; stock outside any park (area, corridor) is the row whose key is NULL.
CREATE FUNCTION vacancy_at(as_of date, group_by text)
RETURNS TABLE (
  key text, units integer, vacant_units integer, stock_m2 double precision, leased_m2 double precision,
  reserved_m2 double precision, vacant_m2 double precision, vacancy_rate double precision
)
LANGUAGE sql STABLE AS $$
  SELECT CASE group_by
           WHEN 'building' THEN s.building WHEN 'park' THEN z.park WHEN 'area' THEN z.area
           WHEN 'corridor' THEN z.corridor WHEN 'zone' THEN 'zone'
         END AS key,
         count(*)::int,
         count(*) FILTER (WHERE s.status = 'vacant')::int,
         sum(s.area_m2)::float8,
         coalesce(sum(s.area_m2) FILTER (WHERE s.status = 'leased'), 0)::float8,
         coalesce(sum(s.area_m2) FILTER (WHERE s.status = 'reserved'), 0)::float8,
         coalesce(sum(s.area_m2) FILTER (WHERE s.status = 'vacant'), 0)::float8,
         (coalesce(sum(s.area_m2) FILTER (WHERE s.status = 'vacant'), 0) / sum(s.area_m2))::float8
  FROM unit_stock_at(as_of) s
  LEFT JOIN parcel_zone z ON z.parcel = s.parcel
  GROUP BY 1
$$;

-- Kept: each unit's states over time (leased while a lease covers the day, else reserved or vacant, from
-- the day it becomes stock), and the changes summed per zone, day and state.
CREATE TABLE vacancy_segment (
  unit      text NOT NULL,
  park      text,
  area      text,
  corridor  text,
  status    text NOT NULL CHECK (status IN ('leased', 'reserved', 'vacant')),
  during    daterange NOT NULL,
  area_m2   numeric NOT NULL
);
CREATE INDEX vacancy_segment_unit_idx ON vacancy_segment (unit);

CREATE TABLE vacancy_day (
  park      text,
  area      text,
  corridor  text,
  day       date NOT NULL,
  status    text NOT NULL,
  units     integer NOT NULL,
  area_m2   numeric NOT NULL,
  UNIQUE NULLS NOT DISTINCT (park, area, corridor, day, status)
);
CREATE INDEX vacancy_day_empty_idx ON vacancy_day (day) WHERE units = 0 AND area_m2 = 0;
CREATE INDEX vacancy_day_day_idx ON vacancy_day (day);

CREATE TABLE vacancy_year (
  park      text,
  area      text,
  corridor  text,
  year      integer NOT NULL,
  status    text NOT NULL,
  units     integer NOT NULL,
  area_m2   numeric NOT NULL,
  UNIQUE NULLS NOT DISTINCT (park, area, corridor, year, status)
);
CREATE INDEX vacancy_year_year_idx ON vacancy_year (year);

-- A unit's lease look-ups by unit (the exclusion constraint's GiST index serves them slowly).
CREATE INDEX IF NOT EXISTS lease_unit_idx ON lease (unit) WHERE unit IS NOT NULL;

-- The segments of some units, from their current rows, building, parcel zone and leases.
CREATE FUNCTION vacancy_segments_of(unit_codes text[])
RETURNS TABLE (unit text, park text, area text, corridor text, status text, during daterange, area_m2 numeric)
LANGUAGE sql STABLE AS $$
  WITH stock AS (
    SELECT u.code, u.area_m2, u.reserved, z.park, z.area, z.corridor,
           datemultirange(daterange(CASE WHEN b.completion_year IS NULL THEN '-infinity'::date
                                         ELSE make_date(b.completion_year, 1, 1) END, NULL)) AS stock
    FROM unit u
    JOIN building b ON b.code = u.building
    LEFT JOIN parcel_zone z ON z.parcel = b.parcel
    WHERE u.code IN (SELECT unnest(unit_codes)) AND b.status = 'completed'
  ),
  let AS (
    SELECT s.*, s.stock * coalesce((SELECT range_agg(daterange(l.start_date, l.end_date, '[]'))
                                    FROM lease l WHERE l.unit = s.code), '{}'::datemultirange) AS leased
    FROM stock s
  )
  SELECT code, park, area, corridor, 'leased', r, area_m2 FROM let CROSS JOIN LATERAL unnest(leased) r
  UNION ALL
  SELECT code, park, area, corridor, CASE WHEN reserved THEN 'reserved' ELSE 'vacant' END, r, area_m2
  FROM let CROSS JOIN LATERAL unnest(stock - leased) r
$$;

CREATE FUNCTION vacancy_refresh(unit_codes text[]) RETURNS void
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
  )
  INSERT INTO vacancy_year AS y (park, area, corridor, year, status, units, area_m2)
  SELECT n.park, n.area, n.corridor, g.year, n.status, sum(n.units), sum(n.area_m2)
  FROM net n
  CROSS JOIN LATERAL generate_series(stats_first_checkpoint(n.day), stats_last_checkpoint()) g (year)
  GROUP BY n.park, n.area, n.corridor, g.year, n.status
  ON CONFLICT (park, area, corridor, year, status) DO UPDATE
  SET units = y.units + EXCLUDED.units, area_m2 = y.area_m2 + EXCLUDED.area_m2;
  DELETE FROM vacancy_day WHERE units = 0 AND area_m2 = 0;
  DELETE FROM vacancy_year WHERE units = 0 AND area_m2 = 0;
END;
$$;

-- vacancy_at for 'park', 'area', 'corridor' and 'zone', from the kept day table.
CREATE FUNCTION vacancy_kept_at(as_of date, group_by text)
RETURNS TABLE (
  key text, units integer, vacant_units integer, stock_m2 double precision, leased_m2 double precision,
  reserved_m2 double precision, vacant_m2 double precision, vacancy_rate double precision
)
LANGUAGE sql STABLE AS $$
  WITH c AS (SELECT stats_checkpoint_of(as_of) AS year),
  sums AS (
    SELECT y.park, y.area, y.corridor, y.status, y.units, y.area_m2 FROM vacancy_year y, c WHERE y.year = c.year
    UNION ALL
    SELECT d.park, d.area, d.corridor, d.status, d.units, d.area_m2
    FROM vacancy_day d, c WHERE d.day <= as_of AND (c.year IS NULL OR d.day >= make_date(c.year, 1, 1))
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
CREATE FUNCTION vacancy_series(from_month date, to_month date, group_by text)
RETURNS TABLE (
  month text, as_of date, key text, units integer, vacant_units integer, stock_m2 double precision,
  leased_m2 double precision, reserved_m2 double precision, vacant_m2 double precision, vacancy_rate double precision
)
LANGUAGE sql STABLE AS $$
  WITH c AS (SELECT stats_checkpoint_of(from_month) AS year),
  sums AS (
    -- The checkpoint at 1 January of the first month's year, then the changes from that day on.
    SELECT y.park, y.area, y.corridor, from_month AS day, y.status, y.units, y.area_m2 FROM vacancy_year y, c WHERE y.year = c.year
    UNION ALL
    SELECT d.park, d.area, d.corridor, d.day, d.status, d.units, d.area_m2
    FROM vacancy_day d, c
    WHERE d.day < (to_month + interval '1 month')::date AND (c.year IS NULL OR d.day >= make_date(c.year, 1, 1))
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

-- ───────────────────────────────────────── output per mu (亩均效益) ─────────────────────────────────────────

-- Who uses each parcel on a day: the holder of a parcel lease covering the day (the land-use right,
-- transfers included), else the enterprise recorded on the parcel once it is supplied. One user per
-- parcel, so no land counts twice.
CREATE INDEX IF NOT EXISTS lease_parcel_idx ON lease (parcel) WHERE parcel IS NOT NULL;

CREATE FUNCTION parcel_user_at(as_of date)
RETURNS TABLE (parcel text, enterprise text, via text)
LANGUAGE sql STABLE AS $$
  SELECT p.code, coalesce(l.enterprise, p.enterprise), CASE WHEN l.id IS NOT NULL THEN 'lease' ELSE 'parcel' END
  FROM parcel p
  LEFT JOIN lease l ON l.parcel = p.code AND daterange(l.start_date, l.end_date, '[]') @> as_of
  WHERE l.id IS NOT NULL
     OR (p.enterprise IS NOT NULL AND coalesce(p.supply_date <= as_of, true))
$$;

-- The same rule over all time: every span of days an enterprise uses a parcel.
CREATE FUNCTION parcel_use_of(enterprise_codes text[])
RETURNS TABLE (enterprise text, parcel text, park text, area_m2 numeric, during daterange)
LANGUAGE sql STABLE AS $$
  SELECT l.enterprise, l.parcel, z.park, p.area_m2::numeric, daterange(l.start_date, l.end_date, '[]')
  FROM lease l
  JOIN parcel p ON p.code = l.parcel
  LEFT JOIN parcel_zone z ON z.parcel = l.parcel
  WHERE l.enterprise IN (SELECT unnest(enterprise_codes)) AND l.parcel IS NOT NULL
  UNION ALL
  SELECT p.enterprise, p.code, z.park, p.area_m2::numeric, r.during
  FROM parcel p
  LEFT JOIN parcel_zone z ON z.parcel = p.code
  CROSS JOIN LATERAL unnest(
    datemultirange(daterange(p.supply_date, NULL))
    - coalesce((SELECT range_agg(daterange(l.start_date, l.end_date, '[]')) FROM lease l WHERE l.parcel = p.code), '{}'::datemultirange)
  ) r (during)
  WHERE p.enterprise IN (SELECT unnest(enterprise_codes))
$$;

-- Scores and grades of land users (or aggregates of them) from their indicator values, with the
-- scheme of output_per_mu_indicator, _config and _grade (DOMAIN.md):
--   score = 100 × Σ (value ÷ benchmark × weight) ÷ Σ weight
-- over the indicators ParkAtlas measures (tax per mu, revenue per mu, labour productivity = revenue ÷
-- employees, the data having no value added) that have a value and a benchmark: the published weights
-- renormalized (standard 40 : 10 : 10, small 50 : 20), so 100 means "at the benchmarks". `small` applies
-- below small_land_mu. The grade is the highest band of output_per_mu_grade the score reaches.
-- Takes parallel arrays so that a whole table is scored in one set-based call.
CREATE FUNCTION output_per_mu_graded(keys text[], land_mu float8[], tax_per_mu float8[], revenue_per_mu float8[], labour_productivity float8[])
RETURNS TABLE (key text, scheme text, score double precision, grade text)
LANGUAGE sql STABLE AS $$
  WITH m AS (
    SELECT v.*, CASE WHEN v.land_mu < cfg.small_land_mu THEN 'small' ELSE 'standard' END AS scheme
    FROM unnest(keys, land_mu, tax_per_mu, revenue_per_mu, labour_productivity) AS v (key, land_mu, tax_per_mu, revenue_per_mu, labour_productivity)
    CROSS JOIN output_per_mu_config cfg
  ),
  scored AS (
    SELECT m.key, (100 * sum(x.value / i.benchmark * i.weight) / nullif(sum(i.weight), 0))::float8 AS score
    FROM m
    CROSS JOIN LATERAL (VALUES
      ('tax_per_mu', m.tax_per_mu), ('revenue_per_mu', m.revenue_per_mu), ('labour_productivity', m.labour_productivity)
    ) x (indicator, value)
    JOIN output_per_mu_indicator i ON i.scheme = m.scheme AND i.indicator = x.indicator
    WHERE x.value IS NOT NULL AND i.benchmark IS NOT NULL
    GROUP BY m.key
  ),
  bands AS (
    SELECT grade, min_score, lead(min_score) OVER (ORDER BY min_score) AS below FROM output_per_mu_grade
  )
  SELECT m.key, m.scheme, s.score, b.grade
  FROM m
  LEFT JOIN scored s ON s.key = m.key
  LEFT JOIN bands b ON s.score >= b.min_score AND (b.below IS NULL OR s.score < b.below)
$$;

-- Revenue, tax and employees per mu of land used on a day, scored and graded, for each land-using
-- enterprise, each park and the zone, from the data as it is. A park's figures share each enterprise's
-- over its parcels by area, so an enterprise on land in two parks counts in each for its share.
-- Rank 1 is the highest score of its level.
CREATE FUNCTION output_per_mu_at(as_of date)
RETURNS TABLE (
  level text, key text, park text, parcels integer, land_m2 double precision, land_mu double precision,
  revenue_cny double precision, tax_cny double precision, employees double precision,
  revenue_per_mu double precision, tax_per_mu double precision, labour_productivity double precision,
  scheme text, score double precision, grade text, rank integer
)
LANGUAGE sql STABLE AS $$
  WITH used AS (
    SELECT u.enterprise, u.parcel, p.area_m2, z.park
    FROM parcel_user_at(as_of) u
    JOIN parcel p ON p.code = u.parcel
    LEFT JOIN parcel_zone z ON z.parcel = u.parcel
  ),
  holding AS (
    SELECT e.uscc, e.park, count(*)::int AS parcels, sum(x.area_m2) AS land_m2,
           e.revenue_cny::float8 AS revenue_cny, e.tax_cny::float8 AS tax_cny, e.employees::float8 AS employees
    FROM used x
    JOIN enterprise e ON e.uscc = x.enterprise
    GROUP BY e.uscc
  ),
  totals AS (
    SELECT 'enterprise' AS level, h.uscc AS key, h.park, h.parcels, h.land_m2, h.revenue_cny, h.tax_cny, h.employees
    FROM holding h
    UNION ALL
    SELECT 'park', x.park, x.park, count(*)::int, sum(x.area_m2),
           sum(h.revenue_cny * x.area_m2 / h.land_m2), sum(h.tax_cny * x.area_m2 / h.land_m2),
           sum(h.employees * x.area_m2 / h.land_m2)
    FROM used x
    JOIN holding h ON h.uscc = x.enterprise
    WHERE x.park IS NOT NULL
    GROUP BY x.park
    UNION ALL
    SELECT 'zone', 'zone', NULL, sum(h.parcels)::int, sum(h.land_m2), sum(h.revenue_cny), sum(h.tax_cny), sum(h.employees)
    FROM holding h
  ),
  metrics AS (
    SELECT t.*, mu_of(t.land_m2) AS land_mu,
           t.revenue_cny / nullif(mu_of(t.land_m2), 0) AS revenue_per_mu,
           t.tax_cny / nullif(mu_of(t.land_m2), 0) AS tax_per_mu,
           t.revenue_cny / nullif(t.employees, 0) AS labour_productivity
    FROM totals t
    WHERE t.parcels > 0
  ),
  graded AS (
    SELECT g.*
    FROM (SELECT array_agg(level || ':' || key) AS k, array_agg(land_mu) AS l, array_agg(tax_per_mu) AS t,
                 array_agg(revenue_per_mu) AS r, array_agg(labour_productivity) AS p FROM metrics) a
    CROSS JOIN LATERAL output_per_mu_graded(a.k, a.l, a.t, a.r, a.p) g
  )
  SELECT m.level, m.key, m.park, m.parcels, m.land_m2, m.land_mu, m.revenue_cny, m.tax_cny, m.employees,
         m.revenue_per_mu, m.tax_per_mu, m.labour_productivity, g.scheme, g.score, g.grade,
         (CASE WHEN g.score IS NOT NULL THEN rank() OVER (PARTITION BY m.level ORDER BY g.score DESC NULLS LAST) END)::int
  FROM metrics m
  JOIN graded g ON g.key = m.level || ':' || m.key
$$;

-- Kept: each land user's share of each park over time (its land there, and its revenue, tax and
-- employees shared out by area), as segments between the days its land changes; and the changes summed
-- per park and day (park NULL: land outside the parks).
CREATE TABLE output_per_mu_segment (
  enterprise   text NOT NULL,
  park         text,
  during       daterange NOT NULL,
  parcels      integer NOT NULL,
  land_m2      numeric NOT NULL,
  revenue_cny  numeric NOT NULL,
  tax_cny      numeric NOT NULL,
  employees    numeric NOT NULL
);
CREATE INDEX output_per_mu_segment_enterprise_idx ON output_per_mu_segment (enterprise);

CREATE TABLE output_per_mu_day (
  park         text,
  day          date NOT NULL,
  parcels      integer NOT NULL,
  land_m2      numeric NOT NULL,
  revenue_cny  numeric NOT NULL,
  tax_cny      numeric NOT NULL,
  employees    numeric NOT NULL,
  UNIQUE NULLS NOT DISTINCT (park, day)
);
CREATE INDEX output_per_mu_day_empty_idx ON output_per_mu_day (day)
  WHERE parcels = 0 AND land_m2 = 0 AND revenue_cny = 0 AND tax_cny = 0 AND employees = 0;
CREATE INDEX output_per_mu_day_day_idx ON output_per_mu_day (day);

CREATE TABLE output_per_mu_year (
  park         text,
  year         integer NOT NULL,
  parcels      integer NOT NULL,
  land_m2      numeric NOT NULL,
  revenue_cny  numeric NOT NULL,
  tax_cny      numeric NOT NULL,
  employees    numeric NOT NULL,
  UNIQUE NULLS NOT DISTINCT (park, year)
);

CREATE FUNCTION output_per_mu_segments_of(enterprise_codes text[])
RETURNS TABLE (
  enterprise text, park text, during daterange, parcels integer, land_m2 numeric, revenue_cny numeric,
  tax_cny numeric, employees numeric
)
LANGUAGE sql STABLE AS $$
  WITH used AS (SELECT * FROM parcel_use_of(enterprise_codes)),
  cuts AS (
    SELECT enterprise, coalesce(lower(during), '-infinity'::date) AS day FROM used
    UNION
    SELECT enterprise, upper(during) FROM used WHERE upper(during) IS NOT NULL
  ),
  spans AS (
    SELECT enterprise, day AS first_day, lead(day) OVER (PARTITION BY enterprise ORDER BY day) AS end_day FROM cuts
  ),
  held AS (
    SELECT s.enterprise, s.first_day, s.end_day, u.park, count(*)::int AS parcels, sum(u.area_m2) AS land_m2
    FROM spans s
    JOIN used u ON u.enterprise = s.enterprise AND u.during @> s.first_day
    GROUP BY s.enterprise, s.first_day, s.end_day, u.park
  )
  SELECT h.enterprise, h.park, daterange(h.first_day, h.end_day), h.parcels, h.land_m2,
         coalesce(e.revenue_cny * h.land_m2 / t.land_m2, 0), coalesce(e.tax_cny * h.land_m2 / t.land_m2, 0),
         coalesce(e.employees * h.land_m2 / t.land_m2, 0)
  FROM held h
  JOIN (SELECT enterprise, first_day, sum(land_m2) AS land_m2 FROM held GROUP BY enterprise, first_day) t
    ON t.enterprise = h.enterprise AND t.first_day = h.first_day
  JOIN enterprise e ON e.uscc = h.enterprise
$$;

CREATE FUNCTION output_per_mu_refresh(enterprise_codes text[]) RETURNS void
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
  )
  INSERT INTO output_per_mu_year AS y (park, year, parcels, land_m2, revenue_cny, tax_cny, employees)
  SELECT n.park, g.year, sum(n.parcels), sum(n.land_m2), sum(n.revenue_cny), sum(n.tax_cny), sum(n.employees)
  FROM net n
  CROSS JOIN LATERAL generate_series(stats_first_checkpoint(n.day), stats_last_checkpoint()) g (year)
  GROUP BY n.park, g.year
  ON CONFLICT (park, year) DO UPDATE
  SET parcels = y.parcels + EXCLUDED.parcels, land_m2 = y.land_m2 + EXCLUDED.land_m2,
      revenue_cny = y.revenue_cny + EXCLUDED.revenue_cny, tax_cny = y.tax_cny + EXCLUDED.tax_cny,
      employees = y.employees + EXCLUDED.employees;
  DELETE FROM output_per_mu_day WHERE parcels = 0 AND land_m2 = 0 AND revenue_cny = 0 AND tax_cny = 0 AND employees = 0;
  DELETE FROM output_per_mu_year WHERE parcels = 0 AND land_m2 = 0 AND revenue_cny = 0 AND tax_cny = 0 AND employees = 0;
END;
$$;

-- Output per mu of each park and of the zone (level 'zone') on a day, from the kept day table, graded
-- like output_per_mu_at (stats.test.ts checks that they agree).
CREATE FUNCTION park_output_per_mu_at(as_of date)
RETURNS TABLE (
  level text, key text, parcels integer, land_m2 double precision, land_mu double precision,
  revenue_cny double precision, tax_cny double precision, employees double precision,
  revenue_per_mu double precision, tax_per_mu double precision, labour_productivity double precision,
  scheme text, score double precision, grade text, rank integer
)
LANGUAGE sql STABLE AS $$
  WITH c AS (SELECT stats_checkpoint_of(as_of) AS year),
  sums AS (
    SELECT y.park, y.parcels, y.land_m2, y.revenue_cny, y.tax_cny, y.employees FROM output_per_mu_year y, c WHERE y.year = c.year
    UNION ALL
    SELECT d.park, d.parcels, d.land_m2, d.revenue_cny, d.tax_cny, d.employees
    FROM output_per_mu_day d, c WHERE d.day <= as_of AND (c.year IS NULL OR d.day >= make_date(c.year, 1, 1))
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

-- Output per mu of each land-using enterprise on a day, from its kept segments (its land per park on
-- that day; summed, its whole land), with its own revenue, tax and employees; graded and ranked like
-- output_per_mu_at (stats.test.ts checks that they agree).
CREATE FUNCTION enterprise_output_per_mu_at(as_of date)
RETURNS TABLE (
  key text, park text, parcels integer, land_m2 double precision, land_mu double precision,
  revenue_cny double precision, tax_cny double precision, employees double precision,
  revenue_per_mu double precision, tax_per_mu double precision, labour_productivity double precision,
  scheme text, score double precision, grade text, rank integer
)
LANGUAGE sql STABLE AS $$
  WITH held AS (
    SELECT s.enterprise, sum(s.parcels)::int AS parcels, sum(s.land_m2)::float8 AS land_m2
    FROM output_per_mu_segment s
    WHERE s.during @> as_of
    GROUP BY s.enterprise
  ),
  metrics AS (
    SELECT h.enterprise AS key, e.park, h.parcels, h.land_m2, mu_of(h.land_m2) AS land_mu,
           e.revenue_cny::float8 AS revenue_cny, e.tax_cny::float8 AS tax_cny, e.employees::float8 AS employees,
           e.revenue_cny::float8 / nullif(mu_of(h.land_m2), 0) AS revenue_per_mu,
           e.tax_cny::float8 / nullif(mu_of(h.land_m2), 0) AS tax_per_mu,
           e.revenue_cny::float8 / nullif(e.employees, 0) AS labour_productivity
    FROM held h
    JOIN enterprise e ON e.uscc = h.enterprise
  ),
  graded AS (
    SELECT g.*
    FROM (SELECT array_agg(key) AS k, array_agg(land_mu) AS l, array_agg(tax_per_mu) AS t,
                 array_agg(revenue_per_mu) AS r, array_agg(labour_productivity) AS p FROM metrics) a
    CROSS JOIN LATERAL output_per_mu_graded(a.k, a.l, a.t, a.r, a.p) g
  )
  SELECT m.key, m.park, m.parcels, m.land_m2, m.land_mu, m.revenue_cny, m.tax_cny, m.employees,
         m.revenue_per_mu, m.tax_per_mu, m.labour_productivity, g.scheme, g.score, g.grade,
         (CASE WHEN g.score IS NOT NULL THEN rank() OVER (ORDER BY g.score DESC NULLS LAST) END)::int
  FROM metrics m
  JOIN graded g ON g.key = m.key
$$;

-- Each used parcel with its user's per-mu figures, score and grade (kept), and its area's share of the
-- user's revenue and tax.
CREATE FUNCTION parcel_output_per_mu_at(as_of date)
RETURNS TABLE (
  parcel text, enterprise text, park text, land_m2 double precision, land_mu double precision,
  revenue_cny double precision, tax_cny double precision, revenue_per_mu double precision,
  tax_per_mu double precision, labour_productivity double precision, scheme text, score double precision,
  grade text, rank integer
)
LANGUAGE sql STABLE AS $$
  SELECT u.parcel, u.enterprise, z.park, p.area_m2, mu_of(p.area_m2),
         o.revenue_cny * p.area_m2 / o.land_m2, o.tax_cny * p.area_m2 / o.land_m2,
         o.revenue_per_mu, o.tax_per_mu, o.labour_productivity, o.scheme, o.score, o.grade,
         (CASE WHEN o.score IS NOT NULL THEN rank() OVER (ORDER BY o.score DESC NULLS LAST) END)::int
  FROM parcel_user_at(as_of) u
  JOIN parcel p ON p.code = u.parcel
  LEFT JOIN parcel_zone z ON z.parcel = u.parcel
  JOIN enterprise_output_per_mu_at(as_of) o ON o.key = u.enterprise
$$;

-- ───────────────────────────────────────────── industries ─────────────────────────────────────────────

-- Kept: enterprises and their figures summed per park and GB/T 4754 code, corrected by the enterprises
-- each write changes (the table is small: a park has a few dozen codes).
CREATE TABLE industry_total (
  park                   text,
  industry               text NOT NULL,
  enterprises            integer NOT NULL,
  high_tech_enterprises  integer NOT NULL,
  employees              bigint NOT NULL,
  revenue_cny            numeric NOT NULL,
  tax_cny                numeric NOT NULL,
  high_tech_output_cny   numeric NOT NULL,
  UNIQUE NULLS NOT DISTINCT (park, industry)
);

-- Adds (sign 1) or takes out (sign −1) some enterprises' figures (rows: a JSON array of enterprise rows,
-- the form a trigger's transition table can be handed on in).
CREATE FUNCTION industry_total_apply(sign integer, rows jsonb) RETURNS void
LANGUAGE sql AS $$
  INSERT INTO industry_total AS t (park, industry, enterprises, high_tech_enterprises, employees, revenue_cny, tax_cny, high_tech_output_cny)
  SELECT e.park, e.industry, sign * count(*), sign * count(*) FILTER (WHERE e.high_tech),
         sign * coalesce(sum(e.employees), 0), sign * coalesce(sum(e.revenue_cny), 0), sign * coalesce(sum(e.tax_cny), 0),
         sign * coalesce(sum(e.revenue_cny) FILTER (WHERE e.high_tech), 0)
  FROM jsonb_populate_recordset(NULL::enterprise, coalesce(rows, '[]')) e
  GROUP BY e.park, e.industry
  ON CONFLICT (park, industry) DO UPDATE
  SET enterprises = t.enterprises + EXCLUDED.enterprises,
      high_tech_enterprises = t.high_tech_enterprises + EXCLUDED.high_tech_enterprises,
      employees = t.employees + EXCLUDED.employees, revenue_cny = t.revenue_cny + EXCLUDED.revenue_cny,
      tax_cny = t.tax_cny + EXCLUDED.tax_cny, high_tech_output_cny = t.high_tech_output_cny + EXCLUDED.high_tech_output_cny;
  DELETE FROM industry_total WHERE enterprises = 0;
$$;

-- Enterprises, employees, revenue, tax and high-tech output (revenue of high-tech enterprises) by
-- GB/T 4754-2017 section and division, per park ('park': the enterprise's park, NULL outside parks) or
-- zone-wide ('division', 'section'). Enterprises classified only to a section have a NULL division.
CREATE FUNCTION industry_stats(group_by text)
RETURNS TABLE (
  park text, section text, division text, enterprises integer, high_tech_enterprises integer,
  employees bigint, revenue_cny numeric, tax_cny numeric, high_tech_output_cny numeric
)
LANGUAGE sql STABLE AS $$
  SELECT CASE WHEN group_by = 'park' THEN t.park END,
         left(t.industry, 1),
         CASE WHEN group_by <> 'section' AND length(t.industry) = 3 THEN t.industry END,
         sum(t.enterprises)::int, sum(t.high_tech_enterprises)::int, sum(t.employees)::bigint,
         sum(t.revenue_cny), sum(t.tax_cny), sum(t.high_tech_output_cny)
  FROM industry_total t
  GROUP BY 1, 2, 3
$$;

-- Each park's industry chain: the links of its theme (park.theme_industries, in order) and how many of
-- the park's enterprises work in each. A link is a division (C27) or a whole section (P).
CREATE VIEW park_industry_chain AS
SELECT k.code AS park, l.position::int AS position, l.link, ic.name AS link_name,
       coalesce(sum(t.enterprises), 0)::int AS enterprises
FROM park k
CROSS JOIN LATERAL unnest(k.theme_industries) WITH ORDINALITY AS l (link, position)
LEFT JOIN industry_class ic ON ic.code = l.link
LEFT JOIN industry_total t
  ON t.park = k.code AND (t.industry = l.link OR (length(l.link) = 1 AND left(t.industry, 1) = l.link))
GROUP BY k.code, l.position, l.link, ic.name;

-- ───────────────────────────────────────────── projects ─────────────────────────────────────────────

-- Projects and their investment by 'status', 'corridor', 'area' or 'park'. A project without its own
-- area, park or corridor is counted where its parcel lies.
CREATE FUNCTION project_stats(group_by text)
RETURNS TABLE (key text, projects integer, investment_cny numeric, started integer, completed integer)
LANGUAGE sql STABLE AS $$
  SELECT CASE group_by
           WHEN 'status' THEN j.status
           WHEN 'corridor' THEN coalesce(j.corridor, z.corridor)
           WHEN 'area' THEN coalesce(j.area, z.area)
           WHEN 'park' THEN coalesce(j.park, z.park)
         END,
         count(*)::int,
         sum(j.investment_cny),
         count(*) FILTER (WHERE j.status IN ('under_construction', 'completed', 'operating'))::int,
         count(*) FILTER (WHERE j.status IN ('completed', 'operating'))::int
  FROM project j
  LEFT JOIN parcel_zone z ON z.parcel = j.parcel
  GROUP BY 1
$$;

-- ──────────────────────────────── keeping the kept tables equal to the data ────────────────────────────────

-- Statement-level triggers collect the keys each statement's rows touch (from the transition tables
-- new_rows and old_rows; transition tables need one trigger per event) and queue them; a deferred
-- trigger refreshes the queued entities once, when the writing transaction commits. So a reader never
-- sees kept figures that disagree with committed data, and a bulk load of many statements in one
-- transaction does one set-based refresh instead of one per statement (bench/stats.ts: the load of
-- the 100k zone). Within the writing transaction itself the kept figures lag until commit.
-- parcel_zone and industry_total are cheap to correct and are kept immediately.

-- Entities whose kept segments are due for a refresh, and one row per transaction that has some:
-- inserting it arms the deferred trigger. Rows are only ever visible to their own transaction, which
-- deletes them before it commits, so concurrent writers never meet (and there is no key to collide on).
CREATE TABLE stats_pending (
  kind  text NOT NULL CHECK (kind IN ('idle_land', 'vacancy', 'output_per_mu')),
  key   text NOT NULL
);
CREATE TABLE stats_pending_commit (
  armed_at  timestamptz NOT NULL DEFAULT now()
);

CREATE FUNCTION stats_enqueue(entity_kind text, keys text[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  IF coalesce(cardinality(keys), 0) = 0 THEN
    RETURN;
  END IF;
  INSERT INTO stats_pending (kind, key) SELECT entity_kind, k FROM unnest(keys) k WHERE k IS NOT NULL;
  IF NOT EXISTS (SELECT 1 FROM stats_pending_commit) THEN
    INSERT INTO stats_pending_commit DEFAULT VALUES;
  END IF;
END;
$$;

-- Refreshes every queued entity, each once.
CREATE FUNCTION stats_apply_pending() RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  due record;
BEGIN
  WITH taken AS (DELETE FROM stats_pending RETURNING kind, key)
  SELECT array_agg(DISTINCT key) FILTER (WHERE kind = 'idle_land') AS idle_land,
         array_agg(DISTINCT key) FILTER (WHERE kind = 'vacancy') AS vacancy,
         array_agg(DISTINCT key) FILTER (WHERE kind = 'output_per_mu') AS output_per_mu
  INTO due
  FROM taken;
  PERFORM idle_land_refresh(due.idle_land);
  PERFORM vacancy_refresh(due.vacancy);
  PERFORM output_per_mu_refresh(due.output_per_mu);
  DELETE FROM stats_pending_commit;
END;
$$;

CREATE FUNCTION stats_apply_at_commit() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM stats_apply_pending();
  RETURN NULL;
END;
$$;
CREATE CONSTRAINT TRIGGER stats_apply_at_commit AFTER INSERT ON stats_pending_commit
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION stats_apply_at_commit();

CREATE FUNCTION stats_after_parcel_write() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  codes text[] := '{}';
  owners text[] := '{}';
BEGIN
  IF TG_OP <> 'DELETE' THEN
    codes := codes || ARRAY(SELECT code FROM new_rows);
    owners := owners || ARRAY(SELECT enterprise FROM new_rows WHERE enterprise IS NOT NULL);
  END IF;
  IF TG_OP <> 'INSERT' THEN
    codes := codes || ARRAY(SELECT code FROM old_rows);
    owners := owners || ARRAY(SELECT enterprise FROM old_rows WHERE enterprise IS NOT NULL);
  END IF;
  PERFORM stats_enqueue('idle_land', codes);
  PERFORM stats_enqueue('output_per_mu', owners || ARRAY(SELECT l.enterprise FROM lease l WHERE l.parcel IN (SELECT unnest(codes))));
  RETURN NULL;
END;
$$;
-- New parcels are refreshed through their parcel_zone row, inserted by parcel_zone_after_parcel_insert.
CREATE TRIGGER stats_after_parcel_update AFTER UPDATE ON parcel
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION stats_after_parcel_write();
CREATE TRIGGER stats_after_parcel_delete AFTER DELETE ON parcel
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION stats_after_parcel_write();

-- A parcel placed or moved to another park, area or corridor.
CREATE FUNCTION stats_after_parcel_zone_write() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  parcel_codes text[] := ARRAY(SELECT parcel FROM new_rows);
BEGIN
  PERFORM stats_enqueue('idle_land', parcel_codes);
  PERFORM stats_enqueue('vacancy', ARRAY(
    SELECT u.code FROM unit u JOIN building b ON b.code = u.building WHERE b.parcel IN (SELECT unnest(parcel_codes))));
  PERFORM stats_enqueue('output_per_mu', ARRAY(
    SELECT p.enterprise FROM parcel p WHERE p.code IN (SELECT unnest(parcel_codes)) AND p.enterprise IS NOT NULL
    UNION
    SELECT l.enterprise FROM lease l WHERE l.parcel IN (SELECT unnest(parcel_codes))));
  RETURN NULL;
END;
$$;
CREATE TRIGGER stats_after_parcel_zone_insert AFTER INSERT ON parcel_zone
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION stats_after_parcel_zone_write();
CREATE TRIGGER stats_after_parcel_zone_update AFTER UPDATE ON parcel_zone
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION stats_after_parcel_zone_write();

CREATE FUNCTION stats_after_unit_write() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  unit_codes text[] := '{}';
BEGIN
  IF TG_OP <> 'DELETE' THEN unit_codes := unit_codes || ARRAY(SELECT code FROM new_rows); END IF;
  IF TG_OP <> 'INSERT' THEN unit_codes := unit_codes || ARRAY(SELECT code FROM old_rows); END IF;
  PERFORM stats_enqueue('vacancy', unit_codes);
  RETURN NULL;
END;
$$;
CREATE TRIGGER stats_after_unit_insert AFTER INSERT ON unit
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION stats_after_unit_write();
CREATE TRIGGER stats_after_unit_update AFTER UPDATE ON unit
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION stats_after_unit_write();
CREATE TRIGGER stats_after_unit_delete AFTER DELETE ON unit
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION stats_after_unit_write();

-- A building completed, redated, moved to another parcel or removed: its units' stock changes.
CREATE FUNCTION stats_after_building_write() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  buildings text[] := ARRAY(SELECT code FROM old_rows);
BEGIN
  IF TG_OP = 'UPDATE' THEN buildings := buildings || ARRAY(SELECT code FROM new_rows); END IF;
  PERFORM stats_enqueue('vacancy', ARRAY(SELECT u.code FROM unit u WHERE u.building IN (SELECT unnest(buildings))));
  RETURN NULL;
END;
$$;
-- A new building has no units yet.
CREATE TRIGGER stats_after_building_update AFTER UPDATE ON building
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION stats_after_building_write();
CREATE TRIGGER stats_after_building_delete AFTER DELETE ON building
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION stats_after_building_write();

-- A lease of a unit changes the unit's states; a lease of a parcel changes who uses the parcel, for
-- the tenant and for the parcel's own enterprise.
CREATE FUNCTION stats_after_lease_write() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  unit_codes text[] := '{}';
  parcel_codes text[] := '{}';
  tenants text[] := '{}';
BEGIN
  IF TG_OP <> 'DELETE' THEN
    unit_codes := unit_codes || ARRAY(SELECT unit FROM new_rows WHERE unit IS NOT NULL);
    parcel_codes := parcel_codes || ARRAY(SELECT parcel FROM new_rows WHERE parcel IS NOT NULL);
    tenants := tenants || ARRAY(SELECT enterprise FROM new_rows WHERE parcel IS NOT NULL);
  END IF;
  IF TG_OP <> 'INSERT' THEN
    unit_codes := unit_codes || ARRAY(SELECT unit FROM old_rows WHERE unit IS NOT NULL);
    parcel_codes := parcel_codes || ARRAY(SELECT parcel FROM old_rows WHERE parcel IS NOT NULL);
    tenants := tenants || ARRAY(SELECT enterprise FROM old_rows WHERE parcel IS NOT NULL);
  END IF;
  PERFORM stats_enqueue('vacancy', ARRAY(SELECT DISTINCT unnest(unit_codes)));
  PERFORM stats_enqueue('output_per_mu', ARRAY(
    SELECT unnest(tenants)
    UNION
    SELECT p.enterprise FROM parcel p WHERE p.code IN (SELECT unnest(parcel_codes)) AND p.enterprise IS NOT NULL));
  RETURN NULL;
END;
$$;
CREATE TRIGGER stats_after_lease_insert AFTER INSERT ON lease
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION stats_after_lease_write();
CREATE TRIGGER stats_after_lease_update AFTER UPDATE ON lease
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION stats_after_lease_write();
CREATE TRIGGER stats_after_lease_delete AFTER DELETE ON lease
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION stats_after_lease_write();

-- An enterprise's figures: its industry totals, and its shares of the parks it uses land in. A new
-- enterprise uses no land yet, and one that does cannot be deleted (parcel and lease refer to it).
CREATE FUNCTION stats_after_enterprise_write() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN
    PERFORM industry_total_apply(-1, (SELECT jsonb_agg(r) FROM old_rows r));
  END IF;
  IF TG_OP <> 'DELETE' THEN
    PERFORM industry_total_apply(1, (SELECT jsonb_agg(r) FROM new_rows r));
  END IF;
  IF TG_OP = 'UPDATE' THEN
    PERFORM stats_enqueue('output_per_mu', ARRAY(SELECT uscc FROM old_rows UNION SELECT uscc FROM new_rows));
  END IF;
  RETURN NULL;
END;
$$;
CREATE TRIGGER stats_after_enterprise_insert AFTER INSERT ON enterprise
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION stats_after_enterprise_write();
CREATE TRIGGER stats_after_enterprise_update AFTER UPDATE ON enterprise
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION stats_after_enterprise_write();
CREATE TRIGGER stats_after_enterprise_delete AFTER DELETE ON enterprise
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION stats_after_enterprise_write();

-- New thresholds re-judge every parcel.
CREATE FUNCTION stats_after_idle_land_config_write() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM stats_enqueue('idle_land', ARRAY(SELECT code FROM parcel));
  RETURN NULL;
END;
$$;
CREATE TRIGGER stats_after_idle_land_config_update AFTER UPDATE ON idle_land_config
  FOR EACH STATEMENT EXECUTE FUNCTION stats_after_idle_land_config_write();

-- Recomputes every kept table from the data: parcel_zone from parcel_containment, then idle land,
-- vacancy and output per mu of every parcel, unit and land user, then the industry totals. Run by this
-- migration and after a TRUNCATE, which fires no row or statement triggers of its own.
CREATE FUNCTION stats_rebuild() RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  -- DELETE, not TRUNCATE: this runs inside the TRUNCATE of a source table, which holds these tables.
  DELETE FROM parcel_zone;
  DELETE FROM idle_land_segment;
  DELETE FROM idle_land_day;
  DELETE FROM vacancy_segment;
  DELETE FROM vacancy_day;
  DELETE FROM output_per_mu_segment;
  DELETE FROM output_per_mu_day;
  DELETE FROM industry_total;
  DELETE FROM idle_land_year;
  DELETE FROM vacancy_year;
  DELETE FROM output_per_mu_year;
  DELETE FROM stats_pending;
  -- Its insert trigger queues every parcel, unit and land user; apply them now rather than at commit.
  INSERT INTO parcel_zone (parcel, park, area, corridor) SELECT parcel, park, area, corridor FROM parcel_containment;
  PERFORM stats_apply_pending();
  PERFORM industry_total_apply(1, (SELECT jsonb_agg(e) FROM enterprise e));
END;
$$;

CREATE FUNCTION stats_after_truncate() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM stats_rebuild();
  RETURN NULL;
END;
$$;
CREATE TRIGGER stats_after_parcel_truncate AFTER TRUNCATE ON parcel FOR EACH STATEMENT EXECUTE FUNCTION stats_after_truncate();
CREATE TRIGGER stats_after_unit_truncate AFTER TRUNCATE ON unit FOR EACH STATEMENT EXECUTE FUNCTION stats_after_truncate();
CREATE TRIGGER stats_after_lease_truncate AFTER TRUNCATE ON lease FOR EACH STATEMENT EXECUTE FUNCTION stats_after_truncate();
CREATE TRIGGER stats_after_building_truncate AFTER TRUNCATE ON building FOR EACH STATEMENT EXECUTE FUNCTION stats_after_truncate();
CREATE TRIGGER stats_after_enterprise_truncate AFTER TRUNCATE ON enterprise FOR EACH STATEMENT EXECUTE FUNCTION stats_after_truncate();
CREATE TRIGGER stats_after_park_truncate AFTER TRUNCATE ON park FOR EACH STATEMENT EXECUTE FUNCTION stats_after_truncate();
CREATE TRIGGER stats_after_area_truncate AFTER TRUNCATE ON area FOR EACH STATEMENT EXECUTE FUNCTION stats_after_truncate();
CREATE TRIGGER stats_after_corridor_truncate AFTER TRUNCATE ON corridor FOR EACH STATEMENT EXECUTE FUNCTION stats_after_truncate();

SELECT stats_rebuild();
