-- The zone's data model (DESIGN.md). Geometry is EPSG:4326, always valid, polygons stored with
-- counter-clockwise exterior rings (RFC 7946). Every editable table carries `version`, which the API
-- turns into the ETag so that no concurrent edit is lost.

CREATE TABLE corridor (
  code        text PRIMARY KEY CHECK (code ~ '^[A-Za-z0-9_-]{1,64}$'),
  name        text NOT NULL CHECK (name <> ''),
  name_en     text,
  theme       text,
  geom        geometry(MultiPolygon, 4326) NOT NULL CHECK (ST_IsValid(geom)),
  version     integer NOT NULL DEFAULT 1,
  updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX corridor_geom_idx ON corridor USING gist (geom);

CREATE TABLE area (
  code        text PRIMARY KEY CHECK (code ~ '^[A-Za-z0-9_-]{1,64}$'),
  name        text NOT NULL CHECK (name <> ''),
  name_en     text,
  geom        geometry(MultiPolygon, 4326) NOT NULL CHECK (ST_IsValid(geom)),
  version     integer NOT NULL DEFAULT 1,
  updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX area_geom_idx ON area USING gist (geom);

CREATE TABLE park (
  code              text PRIMARY KEY CHECK (code ~ '^[A-Za-z0-9_-]{1,64}$'),
  name              text NOT NULL CHECK (name <> ''),
  name_en           text,
  theme             text,
  theme_industries  text[] NOT NULL DEFAULT '{}',
  operator          text,
  committee         text,
  geom              geometry(MultiPolygon, 4326) NOT NULL CHECK (ST_IsValid(geom)),
  version           integer NOT NULL DEFAULT 1,
  updated_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX park_geom_idx ON park USING gist (geom);

CREATE TABLE enterprise (
  uscc            text PRIMARY KEY CHECK (uscc_is_valid(uscc)),
  name            text NOT NULL CHECK (name <> ''),
  name_en         text,
  industry        text NOT NULL REFERENCES industry_class (code),
  high_tech       boolean NOT NULL DEFAULT false,
  employees       integer CHECK (employees >= 0),
  revenue_cny     numeric(16, 2) CHECK (revenue_cny >= 0),
  tax_cny         numeric(16, 2) CHECK (tax_cny >= 0),
  park            text REFERENCES park (code) ON UPDATE CASCADE,
  registered_date date,
  contact_name    text,
  contact_phone   text,
  version         integer NOT NULL DEFAULT 1,
  updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX enterprise_park_idx ON enterprise (park);
CREATE INDEX enterprise_industry_idx ON enterprise (industry);

CREATE TABLE parcel (
  code                    text PRIMARY KEY CHECK (code ~ '^[A-Za-z0-9_-]{1,64}$'),
  name                    text,
  geom                    geometry(MultiPolygon, 4326) NOT NULL CHECK (ST_IsValid(geom)),
  land_use                text NOT NULL REFERENCES land_use_class (code),
  status                  text NOT NULL
                          CHECK (status IN ('idle', 'available', 'under_construction', 'occupied', 'reserved')),
  -- The dates the idle-land rules (闲置土地处置办法, 2012) are decided from.
  approval_date           date,
  supply_date             date,
  agreed_start_date       date,
  agreed_completion_date  date,
  start_date              date,
  completion_date         date,
  developed_share         numeric(5, 4) CHECK (developed_share BETWEEN 0 AND 1),
  invested_share          numeric(5, 4) CHECK (invested_share BETWEEN 0 AND 1),
  stopped_since           date,
  idle_exemption          text,
  plot_ratio_min          numeric(6, 2) CHECK (plot_ratio_min >= 0),
  plot_ratio_max          numeric(6, 2) CHECK (plot_ratio_max >= 0),
  price_cny               numeric(16, 2) CHECK (price_cny >= 0),
  enterprise              text REFERENCES enterprise (uscc) ON UPDATE CASCADE,
  -- True ground area (geography), and a point inside the parcel that decides which park and area
  -- contain it; both follow the geometry, so neither can go stale.
  area_m2                 double precision GENERATED ALWAYS AS (ST_Area(geom::geography)) STORED,
  label_point             geometry(Point, 4326) GENERATED ALWAYS AS (ST_PointOnSurface(geom)) STORED,
  version                 integer NOT NULL DEFAULT 1,
  updated_at              timestamptz NOT NULL DEFAULT now(),
  CHECK (plot_ratio_min <= plot_ratio_max),
  CHECK (agreed_completion_date >= agreed_start_date),
  CHECK (supply_date >= approval_date)
);
CREATE INDEX parcel_geom_idx ON parcel USING gist (geom);
CREATE INDEX parcel_label_point_idx ON parcel USING gist (label_point);
CREATE INDEX parcel_status_idx ON parcel (status);
CREATE INDEX parcel_land_use_idx ON parcel (land_use);
CREATE INDEX parcel_enterprise_idx ON parcel (enterprise);
CREATE INDEX parcel_area_idx ON parcel (area_m2, code);

CREATE TABLE building (
  code                 text PRIMARY KEY CHECK (code ~ '^[A-Za-z0-9_-]{1,64}$'),
  parcel               text NOT NULL REFERENCES parcel (code) ON UPDATE CASCADE,
  name                 text,
  geom                 geometry(MultiPolygon, 4326) NOT NULL CHECK (ST_IsValid(geom)),
  floors               integer NOT NULL CHECK (floors BETWEEN 1 AND 200),
  height_m             numeric(6, 2) CHECK (height_m > 0),
  gross_floor_area_m2  numeric(12, 2) CHECK (gross_floor_area_m2 > 0),
  use                  text NOT NULL
                       CHECK (use IN ('industrial', 'office', 'research', 'warehouse', 'commercial',
                                      'residential', 'mixed', 'public')),
  status               text NOT NULL CHECK (status IN ('planned', 'under_construction', 'completed')),
  completion_year      integer CHECK (completion_year BETWEEN 1900 AND 2100),
  version              integer NOT NULL DEFAULT 1,
  updated_at           timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX building_geom_idx ON building USING gist (geom);
CREATE INDEX building_parcel_idx ON building (parcel);

-- A rentable or saleable space. Whether it is leased is not stored: it follows from `lease`.
CREATE TABLE unit (
  code               text PRIMARY KEY CHECK (code ~ '^[A-Za-z0-9_-]{1,64}$'),
  building           text NOT NULL REFERENCES building (code) ON UPDATE CASCADE,
  floor              integer NOT NULL CHECK (floor BETWEEN -10 AND 200 AND floor <> 0),
  name               text,
  kind               text NOT NULL CHECK (kind IN ('office', 'workshop', 'lab', 'warehouse', 'retail')),
  area_m2            numeric(10, 2) NOT NULL CHECK (area_m2 > 0),
  rent_cny_m2_month  numeric(8, 2) CHECK (rent_cny_m2_month >= 0),
  reserved           boolean NOT NULL DEFAULT false,
  move_in_ready      boolean NOT NULL DEFAULT false,
  floor_load_kn_m2   numeric(6, 2) CHECK (floor_load_kn_m2 > 0),
  clear_height_m     numeric(5, 2) CHECK (clear_height_m > 0),
  power_kva          numeric(8, 1) CHECK (power_kva >= 0),
  available_from     date,
  version            integer NOT NULL DEFAULT 1,
  updated_at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX unit_building_idx ON unit (building);

-- An enterprise occupying a unit or a whole parcel from start_date to end_date, both days included
-- (end_date NULL: open-ended). A unit or parcel cannot be let twice over the same days.
CREATE TABLE lease (
  id                 bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  enterprise         text NOT NULL REFERENCES enterprise (uscc) ON UPDATE CASCADE,
  unit               text REFERENCES unit (code) ON UPDATE CASCADE,
  parcel             text REFERENCES parcel (code) ON UPDATE CASCADE,
  start_date         date NOT NULL,
  end_date           date,
  rent_cny_m2_month  numeric(8, 2) CHECK (rent_cny_m2_month >= 0),
  version            integer NOT NULL DEFAULT 1,
  updated_at         timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT lease_one_target CHECK (num_nonnulls(unit, parcel) = 1),
  CONSTRAINT lease_dates_in_order CHECK (end_date >= start_date),
  CONSTRAINT lease_unit_no_overlap EXCLUDE USING gist
    (unit WITH =, daterange(start_date, end_date, '[]') WITH &&) WHERE (unit IS NOT NULL),
  CONSTRAINT lease_parcel_no_overlap EXCLUDE USING gist
    (parcel WITH =, daterange(start_date, end_date, '[]') WITH &&) WHERE (parcel IS NOT NULL)
);
CREATE INDEX lease_enterprise_idx ON lease (enterprise);

CREATE TABLE project (
  code             text PRIMARY KEY CHECK (code ~ '^[A-Za-z0-9_-]{1,64}$'),
  name             text NOT NULL CHECK (name <> ''),
  name_en          text,
  investment_cny   numeric(16, 2) NOT NULL CHECK (investment_cny > 0),
  status           text NOT NULL
                   CHECK (status IN ('planned', 'approved', 'under_construction', 'completed', 'operating')),
  industry         text REFERENCES industry_class (code),
  start_date       date,
  completion_date  date,
  parcel           text REFERENCES parcel (code) ON UPDATE CASCADE,
  area             text REFERENCES area (code) ON UPDATE CASCADE,
  corridor         text REFERENCES corridor (code) ON UPDATE CASCADE,
  park             text REFERENCES park (code) ON UPDATE CASCADE,
  enterprise       text REFERENCES enterprise (uscc) ON UPDATE CASCADE,
  version          integer NOT NULL DEFAULT 1,
  updated_at       timestamptz NOT NULL DEFAULT now(),
  CHECK (completion_date >= start_date)
);
CREATE INDEX project_parcel_idx ON project (parcel);

-- Every write, with who made it and the item before and after (as the API showed it).
CREATE TABLE change (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  entity      text NOT NULL,
  entity_id   text NOT NULL,
  version     integer NOT NULL,
  operation   text NOT NULL CHECK (operation IN ('create', 'update', 'delete')),
  actor       text NOT NULL,
  at          timestamptz NOT NULL DEFAULT now(),
  before      jsonb,
  after       jsonb
);
CREATE INDEX change_entity_idx ON change (entity, entity_id, version);

-- Roads, rivers and the zone outline for the offline basemap; not an API collection.
CREATE TABLE basemap_feature (
  id       integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  kind     text NOT NULL CHECK (kind IN ('zone_boundary', 'road', 'river', 'water')),
  name     text,
  name_en  text,
  rank     integer NOT NULL DEFAULT 1,
  geom     geometry(Geometry, 4326) NOT NULL CHECK (ST_IsValid(geom))
);
CREATE INDEX basemap_feature_geom_idx ON basemap_feature USING gist (geom);
