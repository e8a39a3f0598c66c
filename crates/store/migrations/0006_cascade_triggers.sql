-- marsad store, schema version 6: the deletes that follow a replaced document are triggers.
--
-- The REFERENCES clauses stay as the schema's documentation, but marsad's connections no longer
-- enforce foreign keys (they set PRAGMA foreign_keys = OFF when they open): checking them looked up
-- the parent row of every event, tally, link key, pending row and membership written, which
-- tripled the cost of inserting those rows (the events of 20,000 articles: 0.76 s of CPU
-- against 0.28 s unchecked; their link keys and pending rows 0.51 s against 0.11 s). marsad
-- writes a child row only with the key of the parent it has just written, so the checks never
-- failed. What the constraints did besides, the cascade when a document is replaced, the
-- triggers below do, on deletes only. (A connection that does enforce foreign keys still
-- works: its cascades come first and the triggers find nothing left to delete.)

CREATE TRIGGER documents_removed AFTER DELETE ON documents BEGIN
    DELETE FROM events WHERE doc_pk = OLD.pk;
    DELETE FROM tallies WHERE doc_pk = OLD.pk;
END;

-- (Removing a membership marks its incident stale: incident_members_removed, version 4.)
CREATE TRIGGER events_removed AFTER DELETE ON events BEGIN
    DELETE FROM incident_members WHERE event_pk = OLD.pk;
    DELETE FROM event_link_keys WHERE event_pk = OLD.pk;
    DELETE FROM link_pending WHERE event_pk = OLD.pk;
END;
