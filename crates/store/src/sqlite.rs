//! The SQLite store: one file, WAL mode, foreign keys on, versioned migrations.
//!
//! Migrations are the files `migrations/NNNN_name.sql`, compiled in with `include_str!` and
//! listed in [`MIGRATIONS`] in order. The schema version is SQLite's `PRAGMA user_version`;
//! each applied migration is also logged in the `schema_version` table (version, name, time).
//! Opening a database applies, each in its own transaction, every migration newer than its
//! version, and refuses a database made by a newer marsad.

use crate::incidents::{self, IncidentAction, IncidentReport, LinkRow, LinkWrite, MemberWrite, StoredIncident};
use crate::link_keys::{self, KeyHit, LinkKeyRow};
use crate::{BatchReport, Ingested, InputFailure, Stats, Store, StoreError, StoredDoc};
use marsad_model::{DocOutput, EventRecord, IncidentRecord, TallyRecord};
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use std::collections::HashSet;
use std::path::Path;

/// One schema migration.
#[derive(Debug, Clone, Copy)]
pub struct Migration {
    pub version: i64,
    pub name: &'static str,
    pub sql: &'static str,
}

/// Every migration, oldest first. Add new files at the end; never edit an applied one.
pub const MIGRATIONS: &[Migration] = &[
    Migration { version: 1, name: "initial", sql: include_str!("../migrations/0001_initial.sql") },
    Migration {
        version: 2,
        name: "query_indexes",
        sql: include_str!("../migrations/0002_query_indexes.sql"),
    },
    Migration { version: 3, name: "incidents", sql: include_str!("../migrations/0003_incidents.sql") },
    Migration { version: 4, name: "link_keys", sql: include_str!("../migrations/0004_link_keys.sql") },
    Migration { version: 5, name: "lean_writes", sql: include_str!("../migrations/0005_lean_writes.sql") },
    Migration {
        version: 6,
        name: "cascade_triggers",
        sql: include_str!("../migrations/0006_cascade_triggers.sql"),
    },
    Migration {
        version: 7,
        name: "records_without_links",
        sql: include_str!("../migrations/0007_records_without_links.sql"),
    },
];

/// The time of a transaction's writes, as the schema's defaults give it: asked of SQLite once,
/// not computed again for every row (`strftime` cost 5,000 instructions a row).
pub(crate) fn now(tx: &Connection) -> Result<String, StoreError> {
    Ok(tx.query_row("SELECT strftime('%Y-%m-%dT%H:%M:%fZ', 'now')", [], |r| r.get(0))?)
}

/// The schema version this build writes.
pub fn latest_version() -> i64 {
    MIGRATIONS.last().map_or(0, |m| m.version)
}

/// The SQLite implementation of [`Store`].
#[derive(Debug)]
pub struct SqliteStore {
    conn: Connection,
    /// A read transaction of [`Store::begin_reading`] is open.
    reading: std::cell::Cell<bool>,
}

impl SqliteStore {
    /// Opens (creating if needed) the database file and brings its schema up to date.
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        let conn = Connection::open(path)?;
        Self::from_connection(conn, true)
    }

    /// An in-memory database (tests, scratch work).
    pub fn open_in_memory() -> Result<Self, StoreError> {
        Self::from_connection(Connection::open_in_memory()?, false)
    }

    fn from_connection(conn: Connection, wal: bool) -> Result<Self, StoreError> {
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        if wal {
            // journal_mode answers with the mode now in force.
            let _mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
            conn.pragma_update(None, "synchronous", "NORMAL")?;
        }
        // Not enforced: the deletes they cascaded are triggers since schema version 6, and
        // checking every row written against its parent tripled the cost of writing it (see
        // migrations/0006_cascade_triggers.sql). (The SQLite that rusqlite bundles enforces
        // them unless told not to.)
        conn.pragma_update(None, "foreign_keys", "OFF")?;
        // A batch inserts into several indexes at once (documents, events, link keys): with
        // SQLite's default 2 MB page cache their pages keep leaving and coming back. 64 MB
        // holds the working set of a large run; it is an upper bound, not an allocation.
        conn.pragma_update(None, "cache_size", -65536)?;
        if wal {
            // SQLite copies the WAL into the database (and syncs both) every 1,000 pages by
            // default: a run of 20,000 articles did that some 80 times, and each time wrote
            // again the index pages that every batch touches. Every 8,192 pages (32 MB) does
            // it a tenth as often; the WAL is emptied when the last connection closes.
            conn.pragma_update(None, "wal_autocheckpoint", 8192)?;
        }
        let mut store = SqliteStore { conn, reading: std::cell::Cell::new(false) };
        store.migrate_to(latest_version())?;
        // Link keys of events stored before they existed, or under another key format.
        let unreadable = link_keys::ensure_format(&mut store.conn)?;
        if unreadable > 0 {
            tracing::warn!("{unreadable} stored events could not be read and are left out of incidents");
        }
        Ok(store)
    }

    /// Opens the read transaction of [`Store::begin_reading`] unless a transaction is open;
    /// says whether it did.
    fn open_read(&self) -> Result<bool, StoreError> {
        if self.reading.get() || !self.conn.is_autocommit() {
            return Ok(false);
        }
        self.conn.execute_batch("BEGIN")?;
        self.reading.set(true);
        Ok(true)
    }

    /// The schema version of the open database.
    pub fn schema_version(&self) -> Result<i64, StoreError> {
        Ok(self.conn.query_row("PRAGMA user_version", [], |r| r.get(0))?)
    }

    /// Applies every migration up to and including `target`, each in its own transaction.
    pub fn migrate_to(&mut self, target: i64) -> Result<(), StoreError> {
        let current = self.schema_version()?;
        let supported = latest_version();
        if current > supported {
            return Err(StoreError::SchemaTooNew { found: current, supported });
        }
        self.conn.execute_batch(
            "CREATE TABLE IF NOT EXISTS schema_version (
                 version    INTEGER PRIMARY KEY,
                 name       TEXT NOT NULL,
                 applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
             )",
        )?;
        for m in MIGRATIONS.iter().filter(|m| m.version > current && m.version <= target) {
            let tx = self.conn.transaction()?;
            tx.execute_batch(m.sql)?;
            tx.execute(
                "INSERT INTO schema_version (version, name) VALUES (?1, ?2)",
                params![m.version, m.name],
            )?;
            tx.pragma_update(None, "user_version", m.version)?;
            tx.commit()?;
        }
        Ok(())
    }

    /// The applied migrations as logged: (version, name).
    pub fn applied_migrations(&self) -> Result<Vec<(i64, String)>, StoreError> {
        let mut stmt = self.conn.prepare("SELECT version, name FROM schema_version ORDER BY version")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The input errors logged so far, oldest first.
    pub fn input_errors(&self) -> Result<Vec<InputFailure>, StoreError> {
        let mut stmt = self.conn.prepare("SELECT origin, reason FROM input_errors ORDER BY pk")?;
        let rows = stmt.query_map([], |r| Ok(InputFailure { origin: r.get(0)?, reason: r.get(1)? }))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

/// Inserts one document (and its records) inside the batch transaction.
/// (`now`: the batch's time of writing, [`now`].)
fn write_doc(
    tx: &Transaction<'_>,
    d: &Ingested,
    now: &str,
    report: &mut BatchReport,
) -> Result<(), StoreError> {
    // Same text stored successfully already: nothing to do.
    let same_text: Option<i64> = tx
        .prepare_cached("SELECT pk FROM documents WHERE content_hash = ?1 AND status = 'ok' LIMIT 1")?
        .query_row([&d.content_hash], |r| r.get(0))
        .optional()?;
    if same_text.is_some() {
        report.skipped += 1;
        return Ok(());
    }
    // Same id with other text, or a failed earlier attempt: replace it (records cascade).
    let removed = tx
        .prepare_cached("DELETE FROM documents WHERE id = ?1 OR content_hash = ?2")?
        .execute(params![d.id, d.content_hash])?;
    if removed > 0 {
        report.replaced += 1;
    } else {
        report.inserted += 1;
    }

    let out = match &d.result {
        Ok(out) => out,
        Err(reason) => {
            tx.prepare_cached(
                "INSERT INTO documents (id, origin, content_hash, metadata, text, encoding, status, error, inserted_at)
                 VALUES (?1, ?2, ?3, NULL, ?4, ?5, 'error', ?6, ?7)",
            )?
            .execute(
                params![d.id, d.origin, d.content_hash, d.text, d.encoding, reason, now],
            )?;
            report.failed += 1;
            return Ok(());
        }
    };
    let DocOutput { doc, events, tallies } = out;
    let json = d.json_of(out);
    let doc_json = record_json(doc, json.map(|j| j.doc.as_str()))?;
    tx.prepare_cached(
        "INSERT INTO documents (id, origin, content_hash, metadata, text, encoding, status, error, inserted_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'ok', NULL, ?7)",
    )?
    .execute(params![d.id, d.origin, d.content_hash, doc_json, d.text, d.encoding, now])?;
    let doc_pk = tx.last_insert_rowid();
    for (ord, ev) in events.iter().enumerate() {
        insert_event(tx, doc_pk, ord, ev, json.map(|j| j.events[ord].as_str()))?;
    }
    for (ord, ta) in tallies.iter().enumerate() {
        insert_tally(tx, doc_pk, ord, ta, json.map(|j| j.tallies[ord].as_str()))?;
    }
    report.events += events.len();
    report.tallies += tallies.len();
    Ok(())
}

/// The record's JSON: as given, else serialised now.
fn record_json<'a, T: serde::Serialize>(record: &T, given: Option<&'a str>) -> Result<std::borrow::Cow<'a, str>, StoreError> {
    Ok(match given {
        Some(json) => std::borrow::Cow::Borrowed(json),
        None => std::borrow::Cow::Owned(serde_json::to_string(record)?),
    })
}

fn insert_event(
    tx: &Transaction<'_>,
    doc_pk: i64,
    ord: usize,
    ev: &EventRecord,
    json: Option<&str>,
) -> Result<(), StoreError> {
    // The event and its link key.
    let precision = serde_json::to_value(ev.date.precision)?;
    let loc = ev.location.as_ref();
    tx.prepare_cached(
        "INSERT INTO events (id, doc_pk, doc, ord, type, date_from, date_to, precision, admin1, lat, lon, record)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
    )?
    .execute(
        params![
            ev.id,
            doc_pk,
            ev.doc,
            ord as i64,
            ev.event_type,
            ev.date.from,
            ev.date.to,
            precision.as_str().unwrap_or("unknown"),
            loc.and_then(|l| l.admin1.as_deref()),
            loc.and_then(|l| l.lat),
            loc.and_then(|l| l.lon),
            record_json(ev, json)?,
        ],
    )?;
    let event_pk = tx.last_insert_rowid();
    // (Its evidence is in the record: the `evidence` view reads it from there.)
    link_keys::insert(tx, event_pk, doc_pk, ev)?;
    Ok(())
}

fn insert_tally(
    tx: &Transaction<'_>,
    doc_pk: i64,
    ord: usize,
    ta: &TallyRecord,
    json: Option<&str>,
) -> Result<(), StoreError> {
    let qualifier = serde_json::to_value(ta.value.qualifier)?;
    tx.prepare_cached(
        "INSERT INTO tallies (id, doc_pk, doc, ord, measure, victims, by_actor, value, qualifier,
                              period_from, period_to, record)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
    )?
    .execute(
        params![
            ta.id,
            doc_pk,
            ta.doc,
            ord as i64,
            ta.measure,
            ta.victims,
            ta.by,
            ta.value.value.map(|v| v as i64),
            qualifier.as_str().unwrap_or("exact"),
            ta.period.from,
            ta.period.to,
            record_json(ta, json)?,
        ],
    )?;
    Ok(())
}

impl Store for SqliteStore {
    fn backend(&self) -> &'static str {
        "sqlite"
    }

    fn known_hashes(&self, hashes: &[&str]) -> Result<HashSet<String>, StoreError> {
        // (One read transaction for the batch, not one per document.)
        let began = self.open_read()?;
        let known = (|| {
            let mut stmt = self
                .conn
                .prepare_cached("SELECT 1 FROM documents WHERE content_hash = ?1 AND status = 'ok' LIMIT 1")?;
            let mut known = HashSet::new();
            for h in hashes {
                if stmt.exists([h])? {
                    known.insert((*h).to_string());
                }
            }
            Ok(known)
        })();
        if began {
            self.end_reading()?;
        }
        known
    }

    fn begin_reading(&self) -> Result<(), StoreError> {
        self.open_read().map(|_| ())
    }

    fn end_reading(&self) -> Result<(), StoreError> {
        if self.reading.replace(false) {
            self.conn.execute_batch("COMMIT")?;
        }
        Ok(())
    }

    fn write_batch(&mut self, docs: &[Ingested]) -> Result<BatchReport, StoreError> {
        let tx = self.conn.transaction()?;
        let mut report = BatchReport::default();
        let now = now(&tx)?;
        for d in docs {
            write_doc(&tx, d, &now, &mut report)?;
        }
        tx.commit()?;
        Ok(report)
    }

    fn record_input_errors(&mut self, errors: &[InputFailure]) -> Result<(), StoreError> {
        let tx = self.conn.transaction()?;
        {
            let mut stmt = tx.prepare("INSERT INTO input_errors (origin, reason) VALUES (?1, ?2)")?;
            for e in errors {
                stmt.execute(params![e.origin, e.reason])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    fn for_each_doc(
        &self,
        f: &mut dyn FnMut(StoredDoc) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        let mut docs =
            self.conn.prepare("SELECT pk, id, metadata FROM documents WHERE status = 'ok' ORDER BY pk")?;
        let mut events = self.conn.prepare("SELECT record FROM events WHERE doc_pk = ?1 ORDER BY ord")?;
        let mut tallies = self.conn.prepare("SELECT record FROM tallies WHERE doc_pk = ?1 ORDER BY ord")?;
        let mut rows = docs.query([])?;
        while let Some(row) = rows.next()? {
            let pk: i64 = row.get(0)?;
            let id: String = row.get(1)?;
            let metadata: Option<String> = row.get(2)?;
            let doc = metadata.ok_or_else(|| StoreError::BadRecord {
                what: format!("document {id}"),
                reason: "no doc record".into(),
            })?;
            let read = |stmt: &mut rusqlite::Statement<'_>| -> Result<Vec<String>, StoreError> {
                let rs = stmt.query_map([pk], |r| r.get::<_, String>(0))?;
                Ok(rs.collect::<Result<_, _>>()?)
            };
            let ev = read(&mut events)?;
            let ta = read(&mut tallies)?;
            f(StoredDoc { doc, events: ev, tallies: ta })?;
        }
        Ok(())
    }

    fn stats(&self) -> Result<Stats, StoreError> {
        let count = |sql: &str| -> Result<u64, StoreError> {
            let n: i64 = self.conn.query_row(sql, [], |r| r.get(0))?;
            Ok(n.max(0) as u64)
        };
        Ok(Stats {
            documents: count("SELECT count(*) FROM documents WHERE status = 'ok'")?,
            failed_documents: count("SELECT count(*) FROM documents WHERE status = 'error'")?,
            events: count("SELECT count(*) FROM events")?,
            tallies: count("SELECT count(*) FROM tallies")?,
            evidence: count("SELECT count(*) FROM evidence")?,
            input_errors: count("SELECT count(*) FROM input_errors")?,
            schema_version: self.schema_version()?,
        })
    }

    fn for_each_link_row(&self, f: &mut dyn FnMut(LinkRow) -> Result<(), StoreError>) -> Result<(), StoreError> {
        incidents::for_each_link_row(&self.conn, f)
    }

    fn incidents_pending(&self) -> Result<bool, StoreError> {
        incidents::pending(&self.conn)
    }

    fn pending_link_keys(&self, limit: usize) -> Result<Vec<LinkKeyRow>, StoreError> {
        link_keys::pending(&self.conn, limit)
    }

    fn for_each_linked_key_on_days(
        &self,
        from: i32,
        to: i32,
        f: &mut dyn FnMut(KeyHit<'_>) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        link_keys::linked_on_days(&self.conn, from, to, f)
    }

    fn for_each_linked_key_in_cell(
        &self,
        cell: (i32, i32),
        f: &mut dyn FnMut(KeyHit<'_>) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        link_keys::linked_in_cell(&self.conn, cell, f)
    }

    fn incident_link_keys(&self, incident_pk: i64) -> Result<Vec<LinkKeyRow>, StoreError> {
        link_keys::of_incident(&self.conn, incident_pk)
    }

    fn for_each_link_key(&self, f: &mut dyn FnMut(LinkKeyRow) -> Result<(), StoreError>) -> Result<(), StoreError> {
        link_keys::all(&self.conn, f)
    }

    fn incident_id_taken(&self, id: &str) -> Result<bool, StoreError> {
        incidents::id_taken(&self.conn, id)
    }

    fn save_links(&mut self, write: &LinkWrite) -> Result<IncidentReport, StoreError> {
        let tx = self.conn.transaction()?;
        let report = incidents::save_links(&tx, write)?;
        tx.commit()?;
        Ok(report)
    }

    fn incident_ids(&self) -> Result<HashSet<String>, StoreError> {
        incidents::incident_ids(&self.conn)
    }

    fn save_incidents(
        &mut self,
        records: &[IncidentRecord],
        members: &[MemberWrite],
        merged: &[(String, String)],
    ) -> Result<IncidentReport, StoreError> {
        let tx = self.conn.transaction()?;
        let report = incidents::save(&tx, records, members, merged)?;
        tx.commit()?;
        Ok(report)
    }

    fn for_each_incident(&self, f: &mut dyn FnMut(String) -> Result<(), StoreError>) -> Result<(), StoreError> {
        incidents::for_each_incident(&self.conn, f)
    }

    fn incident(&self, id: &str) -> Result<Option<StoredIncident>, StoreError> {
        incidents::find(&self.conn, id)
    }

    fn merge_incidents(&mut self, into: &str, from: &str) -> Result<String, StoreError> {
        incidents::merge(&mut self.conn, into, from)
    }

    fn split_incident(&mut self, id: &str, events: &[String], new_id: &str) -> Result<String, StoreError> {
        incidents::split(&mut self.conn, id, events, new_id)
    }

    fn incident_actions(&self, id: &str) -> Result<Vec<IncidentAction>, StoreError> {
        incidents::actions(&self.conn, id)
    }
}
