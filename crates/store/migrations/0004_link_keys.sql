-- marsad store, schema version 4: link keys. What incident linking needs of each event
-- (marsad_incidents::LinkKey), in columns written when the event is stored, so that linking
-- reads only the events whose incidents a new event may join (by day or by map cell, as the
-- linker's blocking finds them) and never parses the records. marsad fills the table for the
-- events stored before this version when it opens the database.

CREATE TABLE event_link_keys (
    event_pk      INTEGER PRIMARY KEY REFERENCES events (pk) ON DELETE CASCADE,
    doc_pk        INTEGER NOT NULL,                -- its document (two events of one document are never linked)
    event_id      TEXT NOT NULL,                   -- the record's id
    type          TEXT NOT NULL,
    day_from      INTEGER NOT NULL,                -- the date as days since 1970-01-01, both inclusive
    day_to        INTEGER NOT NULL,                --   (0 and 0 when the date is unknown)
    date_class    INTEGER NOT NULL CHECK (date_class IN (0, 1, 2)),  -- 0 sharp (a day or a short range), 1 loose, 2 unknown
    date_precision TEXT NOT NULL,                  -- as in the record: day, range, month, year, on_or_before, unknown
    admin1        TEXT,
    admin2        TEXT,
    place         TEXT,                            -- gazetteer id, or '~' and the name; only with admin1
    place_name    TEXT,                            -- the place's name, for explanations
    location_precision TEXT NOT NULL,              -- place, near, admin2, admin1, region, country, unknown
    lat           REAL,
    lon           REAL,
    cell_x        INTEGER,                         -- the 0.1° map cell of a precisely placed event, else NULL
    cell_y        INTEGER,
    perpetrators  INTEGER NOT NULL,                -- actor codes as bits (ACTOR_CODES order)
    perpetrators_suspected INTEGER NOT NULL,       -- of those, the ones only suspected
    perpetrators_unknown INTEGER NOT NULL,         -- 1: unidentified actors named
    targets       INTEGER NOT NULL,
    targets_suspected INTEGER NOT NULL,
    targets_unknown INTEGER NOT NULL,
    killed        INTEGER,                         -- each count as value * 8 + qualifier (exact 0, at_least 1,
    injured       INTEGER,                         --   more_than 2, about 3, up_to 4, some 5; the value of
    arrested      INTEGER,                         --   'some' is 4294967294); NULL when the record has none
    escaped       INTEGER,
    abducted      INTEGER,
    missing       INTEGER
);
CREATE INDEX event_link_keys_days ON event_link_keys (date_class, day_from);
CREATE INDEX event_link_keys_cells ON event_link_keys (cell_x, cell_y);

-- The events not in an incident yet: a row each, written with the event, deleted when linking
-- places it (a narrow table: cheaper to keep than a flag on the keys).
CREATE TABLE link_pending (
    event_pk INTEGER PRIMARY KEY REFERENCES events (pk) ON DELETE CASCADE
);

-- The fingerprint (marsad_incidents::key_format) the keys were computed under: one row. When
-- marsad's differs (a new actor code, another cell size), the keys are computed again.
CREATE TABLE link_key_format (
    format TEXT NOT NULL
);

-- An incident whose record no longer matches its members (a member went with its replaced
-- document, or a user moved some): the next linking builds its record again.
ALTER TABLE incidents ADD COLUMN stale INTEGER NOT NULL DEFAULT 0 CHECK (stale IN (0, 1));
UPDATE incidents SET stale = 1
 WHERE status = 'live'
   AND (record IS NULL OR events <> (SELECT count(*) FROM incident_members m WHERE m.incident_pk = incidents.pk));
-- A plain index, not a partial one: SQLite prepares a statement again at every new value bound
-- to a column that a partial index's condition names.
CREATE INDEX incidents_stale ON incidents (stale, status);
-- The aliases of an incident that is merged in turn are pointed at the one it joined.
CREATE INDEX incidents_merged_into ON incidents (merged_into);

-- A member that goes with its replaced document leaves its incident stale (a user's merge and
-- split mark theirs; linking writes the records of the incidents it changes).
CREATE TRIGGER incident_members_removed AFTER DELETE ON incident_members BEGIN
    UPDATE incidents SET stale = 1 WHERE pk = OLD.incident_pk;
END;
