-- Geometries of an import job, staged once by its validation (apps/api/src/imports/validate.ts) and
-- inserted from here by its commit, instead of crossing to the database twice as GeoJSON text
-- (bench/README.md, Imports). In EPSG:4326, multi and counter-clockwise, as the collections store
-- them. A job deletes its rows when it finishes; the API deletes those of jobs a restart cut off.
-- Unlogged: scratch data, nothing to recover after a crash (the job it belonged to failed with it).
CREATE UNLOGGED TABLE import_geometry (
  job     text NOT NULL,
  row_no  integer NOT NULL,
  geom    geometry NOT NULL,
  PRIMARY KEY (job, row_no)
);
