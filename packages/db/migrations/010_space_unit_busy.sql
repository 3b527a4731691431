-- ───────────────────────────────────────────── space search: vacancy kept ─────────────────────────────────────────────

-- The days each unit is let, as one multirange (both ends of a lease included, an open end unbounded), so
-- the search tests vacancy on a day within the candidate's own row: `NOT busy @> day`. Probing the lease
-- index once per candidate cost the embedded driver 0.1–0.7 ms a probe, and a search near the dense centre
-- of the 100k zone probes 10,000 candidates (bench/README.md, Space search). Kept in the writing
-- transaction by statement triggers on lease, like the rest of space_unit (spaces.test.ts checks it
-- against the leases after inserts, updates and deletes).
-- The table is refilled rather than updated in place: an UPDATE of all 637k rows would leave as many
-- dead rows in the table and its indexes, and the embedded database never vacuums on its own. Refilled
-- in (park, area) order, the rows a park's area range asks for lie together: 60 pages instead of 460
-- for a workshop search's 4,000 candidates (later writes may scatter them again; nothing depends on it).
CREATE TEMP TABLE space_unit_before_010 ON COMMIT DROP AS SELECT * FROM space_unit;
TRUNCATE space_unit;
ALTER TABLE space_unit ADD COLUMN busy datemultirange NOT NULL DEFAULT '{}';
INSERT INTO space_unit
SELECT o.*, coalesce(b.busy, '{}')
FROM space_unit_before_010 o
LEFT JOIN (SELECT unit, range_agg(daterange(start_date, end_date, '[]')) AS busy FROM lease WHERE unit IS NOT NULL GROUP BY unit) b
  ON b.unit = o.unit
ORDER BY o.park, o.area_m2, o.unit;

-- Recomputes the busy days of the given units from their leases.
CREATE FUNCTION space_unit_busy_refresh(unit_codes text[]) RETURNS void
LANGUAGE sql AS $$
  UPDATE space_unit s
  SET busy = coalesce((SELECT range_agg(daterange(l.start_date, l.end_date, '[]')) FROM lease l WHERE l.unit = s.unit), '{}')
  WHERE s.unit = ANY (unit_codes)
$$;

CREATE FUNCTION space_unit_after_lease_insert() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM space_unit_busy_refresh(ARRAY(SELECT DISTINCT unit FROM new_leases WHERE unit IS NOT NULL));
  RETURN NULL;
END;
$$;
CREATE FUNCTION space_unit_after_lease_update() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM space_unit_busy_refresh(ARRAY(
    SELECT unit FROM new_leases WHERE unit IS NOT NULL UNION SELECT unit FROM old_leases WHERE unit IS NOT NULL));
  RETURN NULL;
END;
$$;
CREATE FUNCTION space_unit_after_lease_delete() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM space_unit_busy_refresh(ARRAY(SELECT DISTINCT unit FROM old_leases WHERE unit IS NOT NULL));
  RETURN NULL;
END;
$$;
CREATE TRIGGER space_unit_after_lease_insert AFTER INSERT ON lease
  REFERENCING NEW TABLE AS new_leases FOR EACH STATEMENT EXECUTE FUNCTION space_unit_after_lease_insert();
CREATE TRIGGER space_unit_after_lease_update AFTER UPDATE ON lease
  REFERENCING NEW TABLE AS new_leases OLD TABLE AS old_leases FOR EACH STATEMENT EXECUTE FUNCTION space_unit_after_lease_update();
CREATE TRIGGER space_unit_after_lease_delete AFTER DELETE ON lease
  REFERENCING OLD TABLE AS old_leases FOR EACH STATEMENT EXECUTE FUNCTION space_unit_after_lease_delete();


-- The perfect tier asks a park's spaces in an area range within a budget: one range scan of this index
-- answers the first two and tests the rent in the index, where park_idx and area_idx ANDed as bitmaps
-- read 25,000 + 130,000 entries for 8,000 rows (0.3–0.8 s embedded). The day a unit becomes available
-- is tested in the index too (the search compares this very expression): of a workshop search's 9,300
-- units in range, 8,000 are not available yet, and each left out there is a table row not read. Without
-- a park, the area index tests the rent and the day the same way.
CREATE INDEX space_unit_park_area_idx ON space_unit (park, area_m2, rent_cny_m2_month, (coalesce(available_from, '-infinity'::date)));
DROP INDEX space_unit_area_idx;
CREATE INDEX space_unit_area_idx ON space_unit (area_m2, rent_cny_m2_month, (coalesce(available_from, '-infinity'::date)));
