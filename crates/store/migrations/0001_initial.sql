-- marsad store, schema version 1: documents, their records, evidence and input errors.
-- Records are kept whole as JSON (exactly what `export --format jsonl` writes); the key
-- columns beside them are copies for querying and indexing.

CREATE TABLE documents (
    pk           INTEGER PRIMARY KEY,
    id           TEXT NOT NULL UNIQUE,             -- file stem, feed guid or URL
    origin       TEXT NOT NULL,                    -- path, path:line or URL it was read from
    content_hash TEXT NOT NULL,                    -- sha256 of the text, lowercase hex
    metadata     TEXT,                             -- the `doc` record (JSON); NULL when status = 'error'
    text         TEXT NOT NULL,
    encoding     TEXT NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('ok', 'error')),
    error        TEXT,                             -- why extraction failed, when status = 'error'
    inserted_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX documents_content_hash ON documents (content_hash);

CREATE TABLE events (
    pk        INTEGER PRIMARY KEY,
    id        TEXT NOT NULL,                       -- the record's id ("ev-…")
    doc_pk    INTEGER NOT NULL REFERENCES documents (pk) ON DELETE CASCADE,
    doc       TEXT NOT NULL,
    ord       INTEGER NOT NULL,                    -- position in the document's output
    type      TEXT NOT NULL,
    date_from TEXT,
    date_to   TEXT,
    precision TEXT NOT NULL,                       -- date precision
    admin1    TEXT,
    lat       REAL,
    lon       REAL,
    record    TEXT NOT NULL,                       -- the `event` record (JSON)
    UNIQUE (doc_pk, ord)
);

CREATE TABLE tallies (
    pk          INTEGER PRIMARY KEY,
    id          TEXT NOT NULL,
    doc_pk      INTEGER NOT NULL REFERENCES documents (pk) ON DELETE CASCADE,
    doc         TEXT NOT NULL,
    ord         INTEGER NOT NULL,
    measure     TEXT NOT NULL,
    victims     TEXT,
    by_actor    TEXT,
    value       INTEGER,
    qualifier   TEXT NOT NULL,
    period_from TEXT,
    period_to   TEXT,
    record      TEXT NOT NULL,                     -- the `tally` record (JSON)
    UNIQUE (doc_pk, ord)
);

CREATE TABLE evidence (
    event_pk   INTEGER NOT NULL REFERENCES events (pk) ON DELETE CASCADE,
    start_char INTEGER NOT NULL,                   -- Unicode scalar offsets in the document text
    end_char   INTEGER NOT NULL,
    text       TEXT NOT NULL
);
CREATE INDEX evidence_event ON evidence (event_pk);

CREATE TABLE input_errors (
    pk     INTEGER PRIMARY KEY,
    origin TEXT NOT NULL,
    reason TEXT NOT NULL,
    at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
