-- marsad store, schema version 3: incidents — events of different documents that tell the same
-- happening (marsad-incidents links them; the store keeps the result and the users' changes).
-- An incident row is never deleted, so an id is never given to another incident: one merged
-- into another keeps status 'merged' and points at it; one left without events is 'empty'.

CREATE TABLE incidents (
    pk          INTEGER PRIMARY KEY,
    id          TEXT NOT NULL UNIQUE,              -- "in-…": a hash of the event that opened it
    status      TEXT NOT NULL DEFAULT 'live' CHECK (status IN ('live', 'merged', 'empty')),
    merged_into TEXT,                              -- status 'merged': the incident it joined
    type        TEXT,
    date_from   TEXT,
    date_to     TEXT,
    admin1      TEXT,
    lat         REAL,
    lon         REAL,
    events      INTEGER NOT NULL DEFAULT 0,        -- number of member events
    record      TEXT,                              -- the `incident` record (JSON); NULL unless live
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX incidents_status ON incidents (status, pk);
CREATE INDEX incidents_date ON incidents (date_from, date_to);
CREATE INDEX incidents_admin1 ON incidents (admin1);

-- Which incident each event belongs to. A replaced document's events go, and their
-- membership with them; the next linking places the new events.
CREATE TABLE incident_members (
    event_pk    INTEGER PRIMARY KEY REFERENCES events (pk) ON DELETE CASCADE,
    incident_pk INTEGER NOT NULL REFERENCES incidents (pk),
    manual      INTEGER NOT NULL DEFAULT 0 CHECK (manual IN (0, 1)),  -- placed by a user's merge or split
    link        TEXT NOT NULL                      -- how it joined (JSON, the record's `links` entry)
);
CREATE INDEX incident_members_incident ON incident_members (incident_pk);

-- The users' merges and splits, oldest first.
CREATE TABLE incident_actions (
    pk       INTEGER PRIMARY KEY,
    action   TEXT NOT NULL CHECK (action IN ('merge', 'split')),
    incident TEXT NOT NULL,                        -- the incident that stays (merge) or was split
    other    TEXT NOT NULL,                        -- the incident merged in, or made by the split
    events   TEXT,                                 -- split: the event ids moved (JSON array)
    at       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

CREATE INDEX events_id ON events (id);
