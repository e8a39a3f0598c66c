//! Storage of extraction results, and the exports written from it.
//!
//! - [`Store`]: what every backend does (skip what is stored already, write a batch in one
//!   transaction, walk the stored records in order). [`open`] picks the backend from the
//!   `--db` argument.
//! - [`sqlite`]: the embedded default (one file, WAL mode, versioned migrations from
//!   `migrations/*.sql`).
//! - PostgreSQL (`postgres://…`): **not built yet** — a later issue. [`open`] answers
//!   [`StoreError::PostgresNotBuilt`] for such URLs so the flag's shape is fixed now.
//! - [`export`]: JSON Lines (exactly `shared/spec/export.md`, then the `incident` records),
//!   CSV (ACLED-like columns, with a generated English sentence from [`notes`]) and GeoJSON.
//! - [`incidents`]: incident records and membership as linking (`marsad-incidents`) decided
//!   them, the users' merges and splits, and the ids in use.
//! - [`link_keys`]: what linking needs of each event (`marsad_incidents::LinkKey`), in
//!   indexed columns written with the event, so that linking reads only the blocks it needs.
//!
//! Records are stored whole as JSON, so `export --format jsonl` gives back exactly what
//! extraction produced; key columns beside them (type, dates, governorate, coordinates) are
//! copies for querying.

use marsad_model::DocOutput;
use sha2::{Digest, Sha256};
use std::collections::HashSet;

pub mod export;
pub mod incidents;
pub mod link_keys;
pub mod mapping;
pub mod notes;
pub mod sqlite;

pub use incidents::{IncidentAction, IncidentReport, LinkRow, LinkWrite, MemberWrite, StoredIncident};
pub use link_keys::{KeyHit, KeyIncident, LinkKeyRow};
pub use sqlite::SqliteStore;

/// Why a store operation failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("{0}: PostgreSQL store not built yet (use a SQLite file path for --db)")]
    PostgresNotBuilt(String),
    #[error("database schema version {found} is newer than this marsad supports ({supported}); upgrade marsad")]
    SchemaTooNew { found: i64, supported: i64 },
    #[error("stored record of {what} is not valid: {reason}")]
    BadRecord { what: String, reason: String },
    #[error("JSON: {0}")]
    Json(#[from] serde_json::Error),
    #[error("CSV: {0}")]
    Csv(#[from] csv::Error),
    #[error("writing output: {0}")]
    Io(#[from] std::io::Error),
    #[error("mapping table {file}, line {line}: {reason}")]
    Mapping { file: &'static str, line: usize, reason: String },
    /// A merge or split that cannot be done (unknown incident, event not in it, …).
    #[error("{0}")]
    Incident(String),
}

/// One document ready to store: what was read, and what extraction made of it (or why it
/// failed).
#[derive(Debug, Clone)]
pub struct Ingested {
    pub id: String,
    pub origin: String,
    pub text: String,
    pub encoding: String,
    /// [`content_hash`] of `text`.
    pub content_hash: String,
    /// The records, or the reason extraction failed (stored with status `error`).
    pub result: Result<DocOutput, String>,
    /// The records as JSON, when they were serialised already (by the thread that analysed
    /// the document, so that the one writer only binds them); else the writer serialises.
    pub json: Option<RecordsJson>,
}

/// A document's records as the store keeps them: JSON, in the order of [`DocOutput`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordsJson {
    pub doc: String,
    pub events: Vec<String>,
    pub tallies: Vec<String>,
}

impl RecordsJson {
    pub fn of(out: &DocOutput) -> Result<Self, serde_json::Error> {
        Ok(RecordsJson {
            doc: serde_json::to_string(&out.doc)?,
            events: out.events.iter().map(serde_json::to_string).collect::<Result<_, _>>()?,
            tallies: out.tallies.iter().map(serde_json::to_string).collect::<Result<_, _>>()?,
        })
    }

    /// Whether these are the records of `out` (as many of each kind).
    fn fits(&self, out: &DocOutput) -> bool {
        self.events.len() == out.events.len() && self.tallies.len() == out.tallies.len()
    }
}

impl Ingested {
    /// Builds the entry for a document, hashing its text.
    pub fn new(
        id: impl Into<String>,
        origin: impl Into<String>,
        text: impl Into<String>,
        encoding: impl Into<String>,
        result: Result<DocOutput, String>,
    ) -> Self {
        let text = text.into();
        Ingested {
            id: id.into(),
            origin: origin.into(),
            content_hash: content_hash(&text),
            text,
            encoding: encoding.into(),
            result,
            json: None,
        }
    }

    /// The same, with the records serialised now (see [`Ingested::json`]).
    pub fn with_json(mut self) -> Self {
        self.json = self.result.as_ref().ok().and_then(|out| RecordsJson::of(out).ok());
        self
    }

    /// The JSON of the records, when it was made for them.
    pub(crate) fn json_of(&self, out: &DocOutput) -> Option<&RecordsJson> {
        self.json.as_ref().filter(|j| j.fits(out))
    }
}

/// What a batch write did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BatchReport {
    /// Documents stored for the first time.
    pub inserted: usize,
    /// Documents whose id was stored with other text (or as failed): the old version and its
    /// records were replaced.
    pub replaced: usize,
    /// Documents skipped because the same text was stored already.
    pub skipped: usize,
    pub events: usize,
    pub tallies: usize,
    /// Documents stored with status `error`.
    pub failed: usize,
}

impl BatchReport {
    pub fn add(&mut self, other: BatchReport) {
        self.inserted += other.inserted;
        self.replaced += other.replaced;
        self.skipped += other.skipped;
        self.events += other.events;
        self.tallies += other.tallies;
        self.failed += other.failed;
    }
}

/// Row counts of a store.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stats {
    pub documents: u64,
    pub failed_documents: u64,
    pub events: u64,
    pub tallies: u64,
    pub evidence: u64,
    pub input_errors: u64,
    pub schema_version: i64,
}

/// One stored document with its records: each record's JSON text exactly as stored (one line,
/// as extraction serialised it), so exports reproduce `marsad extract` byte for byte.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredDoc {
    pub doc: String,
    pub events: Vec<String>,
    pub tallies: Vec<String>,
}

/// A failed input, as stored in `input_errors`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputFailure {
    pub origin: String,
    pub reason: String,
}

/// What every storage backend does.
pub trait Store {
    /// `sqlite`, `postgres`, …
    fn backend(&self) -> &'static str;

    /// Which of these content hashes belong to documents already stored successfully (those
    /// documents need no extraction again).
    fn known_hashes(&self, hashes: &[&str]) -> Result<HashSet<String>, StoreError>;

    /// Stores a batch in one transaction. A document whose text is stored already is skipped;
    /// one whose id is stored with other text replaces the old version.
    fn write_batch(&mut self, docs: &[Ingested]) -> Result<BatchReport, StoreError>;

    /// Appends failed inputs to the log of input errors.
    fn record_input_errors(&mut self, errors: &[InputFailure]) -> Result<(), StoreError>;

    /// Calls `f` for every successfully stored document, in insertion order, with its event
    /// and tally records in extraction order.
    fn for_each_doc(
        &self,
        f: &mut dyn FnMut(StoredDoc) -> Result<(), StoreError>,
    ) -> Result<(), StoreError>;

    fn stats(&self) -> Result<Stats, StoreError>;

    /// Calls `f` for every stored event of a successfully stored document, in stored order,
    /// with what incident linking needs ([`LinkRow`]).
    fn for_each_link_row(&self, f: &mut dyn FnMut(LinkRow) -> Result<(), StoreError>) -> Result<(), StoreError>;

    /// Whether linking has anything to do: an event with no incident, or an incident whose
    /// record no longer matches its events (a document stored again took some away).
    fn incidents_pending(&self) -> Result<bool, StoreError>;

    /// The link keys of the first events with no incident, in stored order: `limit` of them
    /// (or all when fewer), and the rest of the last one's document.
    fn pending_link_keys(&self, limit: usize) -> Result<Vec<LinkKeyRow>, StoreError>;

    /// Calls `f` with every event in an incident whose date is sharp and meets the days
    /// `from..=to` (days since 1970), as the linker's blocks see it.
    fn for_each_linked_key_on_days(
        &self,
        from: i32,
        to: i32,
        f: &mut dyn FnMut(KeyHit<'_>) -> Result<(), StoreError>,
    ) -> Result<(), StoreError>;

    /// Calls `f` with every precisely placed event in an incident in a map cell
    /// (`marsad_incidents::event::cell_of`), as the linker's blocks see it.
    fn for_each_linked_key_in_cell(
        &self,
        cell: (i32, i32),
        f: &mut dyn FnMut(KeyHit<'_>) -> Result<(), StoreError>,
    ) -> Result<(), StoreError>;

    /// The link keys of an incident's members (by the incident's row), in stored order.
    fn incident_link_keys(&self, incident_pk: i64) -> Result<Vec<LinkKeyRow>, StoreError>;

    /// Calls `f` with every stored link key, in stored order (a full re-link).
    fn for_each_link_key(&self, f: &mut dyn FnMut(LinkKeyRow) -> Result<(), StoreError>) -> Result<(), StoreError>;

    /// Whether a new incident must not take this id (see [`Store::incident_ids`]).
    fn incident_id_taken(&self, id: &str) -> Result<bool, StoreError>;

    /// Makes the reads until [`Store::end_reading`] one read transaction, where the backend
    /// has them: linking a round reads the store thousands of times (the incidents in its
    /// blocks, an id check per new incident) and each read on its own took and let go of the
    /// database's read lock. Nothing may be written in between. Does nothing when a
    /// transaction is open already.
    fn begin_reading(&self) -> Result<(), StoreError> {
        Ok(())
    }

    /// Ends what [`Store::begin_reading`] began (nothing when it began nothing).
    fn end_reading(&self) -> Result<(), StoreError> {
        Ok(())
    }

    /// Stores what one linking decided, in one transaction: the membership of the events it
    /// placed (creating the incidents new to the store), the merges, and the records of the
    /// incidents whose members changed and of every stale one, built from their members as
    /// stored (written only when they differ). Incidents left without members become `empty`.
    fn save_links(&mut self, write: &LinkWrite) -> Result<IncidentReport, StoreError>;

    /// The incident ids a new incident must not take: those with events and merged ones (which
    /// lead to the incident they joined). An emptied incident's id is left out: it comes back
    /// when the same event (a document stored again with new text) opens an incident again.
    fn incident_ids(&self) -> Result<HashSet<String>, StoreError>;

    /// Stores what linking decided, in one transaction: the records (written only when they
    /// changed), the membership of the events it placed, and the incidents it merged into
    /// others (`(merged, into)`: kept as aliases). Incidents left without events become
    /// `empty`.
    fn save_incidents(
        &mut self,
        records: &[marsad_model::IncidentRecord],
        members: &[MemberWrite],
        merged: &[(String, String)],
    ) -> Result<IncidentReport, StoreError>;

    /// Calls `f` with the record (JSON) of every live incident, oldest first.
    fn for_each_incident(&self, f: &mut dyn FnMut(String) -> Result<(), StoreError>) -> Result<(), StoreError>;

    /// An incident by id; a merged id leads to the incident it was merged into.
    fn incident(&self, id: &str) -> Result<Option<StoredIncident>, StoreError>;

    /// A user's merge: every event of `from` moves to `into`, and both incidents' events are
    /// pinned there (a full re-link keeps them); `from` is kept as an alias. Returns the id of
    /// the incident that holds them. The records are rebuilt by the next linking.
    fn merge_incidents(&mut self, into: &str, from: &str) -> Result<String, StoreError>;

    /// A user's split: the named events of `id` move to a new incident `new_id`; the events of
    /// both are pinned. Returns the id of the incident split.
    fn split_incident(&mut self, id: &str, events: &[String], new_id: &str) -> Result<String, StoreError>;

    /// The users' merges and splits that involve an incident, oldest first.
    fn incident_actions(&self, id: &str) -> Result<Vec<IncidentAction>, StoreError>;
}

/// Opens the store that `--db` names: a `postgres://` / `postgresql://` URL, or a SQLite file
/// path (optionally written `sqlite://PATH`), created when absent.
pub fn open(spec: &str) -> Result<Box<dyn Store>, StoreError> {
    if spec.starts_with("postgres://") || spec.starts_with("postgresql://") {
        // NEXT STEP (later issue): a PostgreSQL backend implementing `Store` with the same
        // schema (migrations/postgres/*.sql), via the `postgres` crate.
        return Err(StoreError::PostgresNotBuilt(redact_url(spec)));
    }
    let path = spec.strip_prefix("sqlite://").unwrap_or(spec);
    Ok(Box::new(SqliteStore::open(std::path::Path::new(path))?))
}

/// A URL with any password removed, for messages.
fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let userinfo = &url[scheme + 3..at];
            match userinfo.find(':') {
                Some(colon) => format!("{}{}:***{}", &url[..scheme + 3], &userinfo[..colon], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

/// sha256 of a document's text, lowercase hex: the key that makes `run` idempotent.
pub fn content_hash(text: &str) -> String {
    hex::encode(Sha256::digest(text.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_hash_is_sha256_hex() {
        assert_eq!(
            content_hash(""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert_eq!(
            content_hash("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn postgres_urls_are_refused_for_now_without_leaking_passwords() {
        let Err(e) = open("postgres://user:secret@127.0.0.1:5432/test") else {
            panic!("postgres store should not open yet");
        };
        let msg = e.to_string();
        assert!(msg.contains("PostgreSQL store not built yet"), "{msg}");
        assert!(!msg.contains("secret"), "{msg}");
    }
}
