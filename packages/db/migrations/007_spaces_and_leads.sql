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

-- Space search (bench/spaces.ts measured these on 100k parcels / 637k units): units are filtered by
-- area range first, then by vacancy through lease_unit_idx (004).
CREATE INDEX IF NOT EXISTS unit_area_idx ON unit (area_m2);
CREATE INDEX IF NOT EXISTS parcel_available_idx ON parcel (area_m2) WHERE status = 'available';
