-- ───────────────────────────────────────────── tiles: vacancy from space_unit ─────────────────────────────────────────────

-- The building and floor tiles count each building's vacant units from space_unit, whose `busy` days
-- (010) and `reserved` flag are kept in the writing transaction, instead of probing the leases once
-- per unit: a z15 building tile of the 100k zone took 45 ms of SQL on PostgreSQL that way, 11 ms
-- through this index. The tiles ask by building.
CREATE INDEX space_unit_building_idx ON space_unit (building);
