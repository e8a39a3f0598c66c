-- marsad store, schema version 5: less written for each event.
--
-- The evidence table held each evidence span a second time, beside the event's record that
-- carries it (a row, an index entry and the text again for every span: a tenth of what `run`
-- wrote). It becomes a view over the records, with the same columns: `WHERE event_pk = ?`
-- still finds one event's spans by the events' primary key.
DROP INDEX IF EXISTS evidence_event;
DROP TABLE evidence;
CREATE VIEW evidence (event_pk, start_char, end_char, text) AS
    SELECT e.pk, json_extract(j.value, '$.start'), json_extract(j.value, '$.end'), json_extract(j.value, '$.text')
      FROM events e, json_each(e.record, '$.evidence') j;

-- events_doc repeated the index SQLite keeps for UNIQUE (doc_pk, ord).
DROP INDEX IF EXISTS events_doc;
