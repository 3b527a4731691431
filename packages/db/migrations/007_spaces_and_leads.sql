-- The space finder and the lead pipeline (issue 4): enquiries about a unit or a parcel followed from
-- first contact to move-in, every step dated and attributed; saved searches and the alerts they raise.
-- Whether a space is free stays derived from `lease` (002); nothing here stores a vacancy flag.

-- An enquiry (线索): who asks (a known enterprise, or a contact with a company name), about which unit
-- or parcel, and where it stands. The park is not stored: it follows from the space (lead_api).
CREATE TABLE lead (
  id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  enterprise     text REFERENCES enterprise (uscc) ON UPDATE CASCADE,
  company_name   text CHECK (company_name <> ''),
  contact_name   text NOT NULL CHECK (contact_name <> ''),
  contact_phone  text,
  contact_email  text,
  industry       text REFERENCES industry_class (code),
  unit           text REFERENCES unit (code) ON UPDATE CASCADE,
  parcel         text REFERENCES parcel (code) ON UPDATE CASCADE,
  stage          text NOT NULL DEFAULT 'new'
                 CHECK (stage IN ('new', 'contacted', 'site_visit', 'negotiating', 'signed', 'moved_in', 'lost')),
  lost_reason    text,
  -- The lease signing created; a lease referred to by a lead cannot be deleted behind its back.
  lease          bigint REFERENCES lease (id),
  note           text,
  created_by     text NOT NULL,
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now(),
  version        integer NOT NULL DEFAULT 1,
  CONSTRAINT lead_one_space CHECK (num_nonnulls(unit, parcel) = 1),
  CONSTRAINT lead_who CHECK (enterprise IS NOT NULL OR company_name IS NOT NULL),
  CONSTRAINT lead_lost_has_reason CHECK ((stage = 'lost') = (lost_reason IS NOT NULL AND lost_reason <> '')),
  CONSTRAINT lead_signed_has_lease CHECK (stage NOT IN ('signed', 'moved_in') OR lease IS NOT NULL)
);
CREATE INDEX lead_unit_idx ON lead (unit) WHERE unit IS NOT NULL;
CREATE INDEX lead_parcel_idx ON lead (parcel) WHERE parcel IS NOT NULL;
CREATE INDEX lead_enterprise_idx ON lead (enterprise) WHERE enterprise IS NOT NULL;
CREATE INDEX lead_stage_idx ON lead (stage);

-- Every step of a lead: from which stage to which, when, by whom. The first row (from_stage NULL) is
-- the enquiry itself.
CREATE TABLE lead_event (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  lead        bigint NOT NULL REFERENCES lead (id) ON DELETE CASCADE,
  from_stage  text,
  to_stage    text NOT NULL,
  at          timestamptz NOT NULL DEFAULT now(),
  actor       text NOT NULL,
  note        text,
  lease       bigint
);
CREATE INDEX lead_event_lead_idx ON lead_event (lead, id);

-- A lead with its park, derived from the space it is about (parcel_zone is kept by 004's triggers).
CREATE VIEW lead_api AS
SELECT l.id, l.enterprise, l.company_name, l.contact_name, l.contact_phone, l.contact_email, l.industry,
       l.unit, l.parcel, coalesce(l.parcel, b.parcel) AS space_parcel, z.park,
       l.stage, l.lost_reason, l.lease, l.note, l.created_by, l.created_at, l.updated_at, l.version
FROM lead l
LEFT JOIN unit u ON u.code = l.unit
LEFT JOIN building b ON b.code = u.building
LEFT JOIN parcel_zone z ON z.parcel = coalesce(l.parcel, b.parcel);

-- A saved space search: the criteria of POST /api/spaces/search, its owner, an optional webhook.
CREATE TABLE saved_search (
  id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  owner              text NOT NULL CHECK (owner <> ''),
  name               text,
  criteria           jsonb NOT NULL,
  webhook_url        text CHECK (webhook_url ~ '^https?://'),
  created_at         timestamptz NOT NULL DEFAULT now(),
  last_evaluated_at  timestamptz
);
CREATE INDEX saved_search_owner_idx ON saved_search (owner);

-- The spaces that matched a saved search when it was last evaluated; a space in the new match set and
-- not in this one is new, and raises an alert.
CREATE TABLE saved_search_match (
  saved_search  bigint NOT NULL REFERENCES saved_search (id) ON DELETE CASCADE,
  kind          text NOT NULL CHECK (kind IN ('unit', 'parcel')),
  space         text NOT NULL,
  PRIMARY KEY (saved_search, kind, space)
);

-- The in-app inbox.
CREATE TABLE alert (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  saved_search    bigint NOT NULL REFERENCES saved_search (id) ON DELETE CASCADE,
  owner           text NOT NULL,
  kind            text NOT NULL CHECK (kind IN ('unit', 'parcel')),
  space           text NOT NULL,
  score           double precision,
  link            text NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  read_at         timestamptz,
  webhook_status  text
);
CREATE INDEX alert_owner_idx ON alert (owner, id DESC);
CREATE INDEX alert_saved_search_idx ON alert (saved_search);

-- ───────────────────────────────────────────── space search ─────────────────────────────────────────────

-- What the space search reads of a unit, in one row: its own attributes and where it is (the park and
-- corridor of its parcel, a point of its building). Over 637k units, joining unit → building →
-- parcel_zone for every candidate cost the search 0.2–1 s (bench/spaces.ts); one table costs a few ms.
-- Kept in the writing transaction by the triggers below, like 004's parcel_zone, so it never disagrees
-- with unit, building and parcel_zone (spaces.test.ts checks it against a fresh computation). Vacancy is
-- not kept: the search tests the leases on the day asked.
CREATE TABLE space_unit (
  unit               text PRIMARY KEY REFERENCES unit (code) ON UPDATE CASCADE ON DELETE CASCADE,
  building           text NOT NULL,
  parcel             text NOT NULL,
  park               text,
  corridor           text,
  area_m2            numeric(10, 2) NOT NULL,
  rent_cny_m2_month  numeric(8, 2),
  reserved           boolean NOT NULL,
  move_in_ready      boolean NOT NULL,
  floor              integer NOT NULL,
  floor_load_kn_m2   numeric(6, 2),
  clear_height_m     numeric(5, 2),
  power_kva          numeric(8, 1),
  available_from     date,
  pt                 geometry(Point, 4326) NOT NULL
);
CREATE INDEX space_unit_park_idx ON space_unit (park, unit);
CREATE INDEX space_unit_corridor_idx ON space_unit (corridor, unit);
CREATE INDEX space_unit_area_idx ON space_unit (area_m2);
CREATE INDEX space_unit_pt_idx ON space_unit USING gist (pt);

-- Recomputes the rows of the given units from unit, building and parcel_zone.
CREATE FUNCTION space_unit_refresh(unit_codes text[]) RETURNS void
LANGUAGE sql AS $$
  INSERT INTO space_unit AS s (unit, building, parcel, park, corridor, area_m2, rent_cny_m2_month, reserved, move_in_ready,
                               floor, floor_load_kn_m2, clear_height_m, power_kva, available_from, pt)
  SELECT u.code, u.building, b.parcel, z.park, z.corridor, u.area_m2, u.rent_cny_m2_month, u.reserved, u.move_in_ready,
         u.floor, u.floor_load_kn_m2, u.clear_height_m, u.power_kva, u.available_from, ST_PointOnSurface(b.geom)
  FROM unit u
  JOIN building b ON b.code = u.building
  LEFT JOIN parcel_zone z ON z.parcel = b.parcel
  WHERE u.code = ANY (unit_codes)
  ON CONFLICT (unit) DO UPDATE SET
    building = EXCLUDED.building, parcel = EXCLUDED.parcel, park = EXCLUDED.park, corridor = EXCLUDED.corridor,
    area_m2 = EXCLUDED.area_m2, rent_cny_m2_month = EXCLUDED.rent_cny_m2_month, reserved = EXCLUDED.reserved,
    move_in_ready = EXCLUDED.move_in_ready, floor = EXCLUDED.floor, floor_load_kn_m2 = EXCLUDED.floor_load_kn_m2,
    clear_height_m = EXCLUDED.clear_height_m, power_kva = EXCLUDED.power_kva, available_from = EXCLUDED.available_from,
    pt = EXCLUDED.pt
$$;

-- Units inserted or updated by a statement (a deleted unit's row goes with it, ON DELETE CASCADE).
CREATE FUNCTION space_unit_after_unit_write() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM space_unit_refresh(ARRAY(SELECT code FROM changed_units));
  RETURN NULL;
END;
$$;
CREATE TRIGGER space_unit_after_unit_insert AFTER INSERT ON unit
  REFERENCING NEW TABLE AS changed_units FOR EACH STATEMENT EXECUTE FUNCTION space_unit_after_unit_write();
CREATE TRIGGER space_unit_after_unit_update AFTER UPDATE ON unit
  REFERENCING NEW TABLE AS changed_units FOR EACH STATEMENT EXECUTE FUNCTION space_unit_after_unit_write();

-- A building moved to another parcel or redrawn: its units.
CREATE FUNCTION space_unit_after_building_update() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM space_unit_refresh(ARRAY(SELECT u.code FROM unit u WHERE u.building IN (SELECT code FROM changed_buildings)));
  RETURN NULL;
END;
$$;
CREATE TRIGGER space_unit_after_building_update AFTER UPDATE ON building
  REFERENCING NEW TABLE AS changed_buildings FOR EACH STATEMENT EXECUTE FUNCTION space_unit_after_building_update();

-- A parcel that changed park or corridor (parcel_zone is kept by 004's triggers): the units on it.
CREATE FUNCTION space_unit_after_zone_write() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM space_unit_refresh(ARRAY(
    SELECT u.code FROM unit u JOIN building b ON b.code = u.building WHERE b.parcel IN (SELECT parcel FROM changed_zones)));
  RETURN NULL;
END;
$$;
CREATE TRIGGER space_unit_after_zone_insert AFTER INSERT ON parcel_zone
  REFERENCING NEW TABLE AS changed_zones FOR EACH STATEMENT EXECUTE FUNCTION space_unit_after_zone_write();
CREATE TRIGGER space_unit_after_zone_update AFTER UPDATE ON parcel_zone
  REFERENCING NEW TABLE AS changed_zones FOR EACH STATEMENT EXECUTE FUNCTION space_unit_after_zone_write();

SELECT space_unit_refresh(ARRAY(SELECT code FROM unit));

-- Vacancy on a day is tested per candidate against its leases: with the dates in the index the test
-- never reads the table (the GiST exclusion index answers it too, but several times slower per probe).
CREATE INDEX lease_unit_dates_idx ON lease (unit, start_date, end_date) WHERE unit IS NOT NULL;
CREATE INDEX lease_parcel_dates_idx ON lease (parcel, start_date, end_date) WHERE parcel IS NOT NULL;
CREATE INDEX parcel_available_idx ON parcel (area_m2) WHERE status = 'available';
