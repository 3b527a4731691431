-- ───────────────────────────────────────────── tiles: vacancy from space_unit ─────────────────────────────────────────────

-- The building and floor tiles count each building's vacant units from space_unit, whose `busy` days
-- (010) and `reserved` flag are kept in the writing transaction, instead of probing the leases once
-- per unit (100k zone, a z15 building tile: embedded 300 → 60 ms; PostgreSQL, whole ST_AsMVT tiles,
-- 44–45 → 41–42 ms; bench/README, Tiles). The tiles ask by building.
CREATE INDEX space_unit_building_idx ON space_unit (building);
