-- marsad store, schema version 2: indexes for the queries of export and the coming API
-- (events by document, type, date and governorate; tallies by document).

CREATE INDEX events_doc ON events (doc_pk, ord);
CREATE INDEX events_type ON events (type);
CREATE INDEX events_date ON events (date_from, date_to);
CREATE INDEX events_admin1 ON events (admin1);
CREATE INDEX tallies_doc ON tallies (doc_pk, ord);
