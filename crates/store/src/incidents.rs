//! Incidents in the store: what linking decided (records and membership), the users' merges
//! and splits, and the ids in use (schema version 3, `migrations/0003_incidents.sql`; the
//! `stale` flag and the pending events of version 4).
//!
//! The store does not link: `marsad-incidents` does, from the link keys of the events without
//! an incident and of the incidents in their blocks ([`crate::link_keys`]), and the result
//! comes back through [`crate::Store::save_links`], which writes the membership and builds the
//! records of the incidents that changed (and of the stale ones) from their members as stored,
//! one incident at a time. A merge or split here only moves events, pins them (`manual`) and
//! leaves the incidents stale; the next linking rebuilds their records. ([`LinkRow`]s and
//! [`crate::Store::save_incidents`] are the whole-store form, kept for the tests that compare
//! the two.)

use crate::StoreError;
use marsad_incidents::{build_record, Member};
use marsad_model::{EventRecord, IncidentLink, IncidentRecord};
use rusqlite::types::{ToSqlOutput, Value};
use rusqlite::{params, OptionalExtension, Transaction};
use std::collections::{HashMap, HashSet};

/// One stored event as linking needs it.
#[derive(Debug, Clone, PartialEq)]
pub struct LinkRow {
    /// The event's row: its stored order.
    pub event_pk: i64,
    /// The `event` record (JSON).
    pub event: String,
    /// Its document's outlet and publication date.
    pub outlet: Option<String>,
    pub published: Option<String>,
    /// Its incident, if linked before.
    pub incident: Option<String>,
    /// Placed there by a user.
    pub manual: bool,
    /// How it joined (JSON of an [`IncidentLink`]).
    pub link: Option<String>,
}

/// Where an event now belongs, for [`crate::Store::save_incidents`].
#[derive(Debug, Clone, PartialEq)]
pub struct MemberWrite {
    pub event_pk: i64,
    pub incident: String,
    pub manual: bool,
    pub link: IncidentLink,
}

/// What one linking decided, for [`crate::Store::save_links`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LinkWrite {
    /// Where the events it placed go (incidents new to the store are created).
    pub members: Vec<MemberWrite>,
    /// Stored incidents it showed to be one with another: (merged, into). Their members move
    /// along, each explanation noting the move; the merged id leads to the other from then on.
    pub merged: Vec<(String, String)>,
    /// Incidents whose members changed: their records are built again (with those of every
    /// stale incident).
    pub changed: Vec<String>,
    /// Incidents no event holds any more (a full re-link): they become `empty`.
    pub retired: Vec<String>,
    /// Write the membership only, and leave the incidents it changed stale: their records are
    /// built by a later save (when more linking of the same run is to come, an incident that
    /// keeps growing is built once, not once per round).
    pub defer_records: bool,
}

/// What saving incidents did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct IncidentReport {
    /// Incidents stored for the first time.
    pub created: usize,
    /// Incidents whose record changed.
    pub updated: usize,
    /// Incidents whose record was stored already as it is.
    pub unchanged: usize,
    /// Incidents left without events (their documents were replaced, or a re-link spread
    /// their events elsewhere).
    pub emptied: usize,
    /// Membership rows written.
    pub members: usize,
    /// Incidents merged into others (a new report showed them to be one).
    pub merged: usize,
}

/// A stored incident, as `marsad incidents show` finds it.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredIncident {
    /// The id asked for.
    pub asked: String,
    /// The live incident it is or was merged into (the same as `asked` unless merged).
    pub id: String,
    /// `live`, `merged`, `empty`.
    pub status: String,
    /// The `incident` record (JSON), for a live incident.
    pub record: Option<String>,
    pub events: usize,
}

/// A user's merge or split, as logged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IncidentAction {
    pub action: String,
    pub incident: String,
    pub other: String,
    pub events: Vec<String>,
    pub at: String,
}

pub(crate) fn for_each_link_row(
    conn: &rusqlite::Connection,
    f: &mut dyn FnMut(LinkRow) -> Result<(), StoreError>,
) -> Result<(), StoreError> {
    let mut stmt = conn.prepare(
        "SELECT e.pk, e.record, json_extract(d.metadata, '$.outlet'), json_extract(d.metadata, '$.published.date'),
                i.id, m.manual, m.link
         FROM events e
         JOIN documents d ON d.pk = e.doc_pk
         LEFT JOIN incident_members m ON m.event_pk = e.pk
         LEFT JOIN incidents i ON i.pk = m.incident_pk
         WHERE d.status = 'ok'
         ORDER BY e.pk",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        f(LinkRow {
            event_pk: r.get(0)?,
            event: r.get(1)?,
            outlet: r.get(2)?,
            published: r.get(3)?,
            incident: r.get(4)?,
            manual: r.get::<_, Option<i64>>(5)?.unwrap_or(0) != 0,
            link: r.get(6)?,
        })?;
    }
    Ok(())
}

pub(crate) fn pending(conn: &rusqlite::Connection) -> Result<bool, StoreError> {
    // Both flags are indexed: no scan of the events or the incidents.
    Ok(conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM link_pending)
             OR EXISTS (SELECT 1 FROM incidents WHERE stale = 1 AND status = 'live')",
        [],
        |r| r.get(0),
    )?)
}

/// Whether a new incident must not take this id (see [`crate::Store::incident_ids`]).
pub(crate) fn id_taken(conn: &rusqlite::Connection, id: &str) -> Result<bool, StoreError> {
    let taken: Option<bool> = conn
        .prepare_cached(
            "SELECT status = 'merged'
                 OR (status = 'live' AND EXISTS (SELECT 1 FROM incident_members m WHERE m.incident_pk = incidents.pk))
             FROM incidents WHERE id = ?1",
        )?
        .query_row([id], |r| r.get(0))
        .optional()?;
    Ok(taken.unwrap_or(false))
}

pub(crate) fn incident_ids(conn: &rusqlite::Connection) -> Result<std::collections::HashSet<String>, StoreError> {
    // A live incident whose events all went (their document was stored again) is as good as
    // empty.
    let mut stmt = conn.prepare(
        "SELECT id FROM incidents WHERE status = 'merged'
            OR (status = 'live' AND EXISTS (SELECT 1 FROM incident_members m WHERE m.incident_pk = incidents.pk))",
    )?;
    let ids = stmt.query_map([], |r| r.get::<_, String>(0))?;
    Ok(ids.collect::<Result<_, _>>()?)
}

fn incident_pk(tx: &rusqlite::Connection, id: &str) -> Result<Option<(i64, String, Option<String>)>, StoreError> {
    Ok(tx
        .query_row("SELECT pk, status, merged_into FROM incidents WHERE id = ?1", [id], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .optional()?)
}

/// The live incident an id is or was merged into.
fn resolve(tx: &rusqlite::Connection, id: &str) -> Result<(i64, String), StoreError> {
    let mut cur = id.to_string();
    for _ in 0..64 {
        match incident_pk(tx, &cur)? {
            None => return Err(StoreError::Incident(format!("no incident {id}"))),
            Some((_, status, Some(into))) if status == "merged" => cur = into,
            Some((_, status, _)) if status == "empty" => {
                return Err(StoreError::Incident(format!("incident {id} has no events any more")))
            }
            Some((pk, _, _)) => return Ok((pk, cur)),
        }
    }
    Err(StoreError::Incident(format!("incident {id}: merged in a loop")))
}

/// A new incident's row, from [`incident_columns`].
const INSERT_INCIDENT: &str = "INSERT INTO incidents (id, status, type, date_from, date_to, admin1, lat, lon, events, record,
                            created_at, updated_at)
     VALUES (?1, 'live', ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10)";

/// A stored incident's row written anew, from [`incident_columns`] (an empty or merged one
/// comes back to life: an event of a document stored again opens it anew).
const UPDATE_INCIDENT: &str = "UPDATE incidents SET status = 'live', merged_into = NULL, type = ?2, date_from = ?3,
         date_to = ?4, admin1 = ?5, lat = ?6, lon = ?7, events = ?8, record = ?9, stale = 0, updated_at = ?10
     WHERE id = ?1";

/// The columns of an incident's row (id, type, dates, governorate, coordinates, number of
/// events, record, the time of writing), borrowed from its record, the record's JSON and
/// [`crate::sqlite::now`].
fn incident_columns<'a>(id: &'a str, r: &'a IncidentRecord, json: &'a str, now: &'a str) -> [ToSqlOutput<'a>; 10] {
    let text = |s: Option<&'a str>| s.map_or(ToSqlOutput::Owned(Value::Null), ToSqlOutput::from);
    let real = |x: Option<f64>| ToSqlOutput::Owned(x.map_or(Value::Null, Value::Real));
    let loc = r.location.as_ref();
    [
        ToSqlOutput::from(id),
        ToSqlOutput::from(r.event_type.as_str()),
        text(r.date.from.as_deref()),
        text(r.date.to.as_deref()),
        text(loc.and_then(|l| l.admin1.as_deref())),
        real(loc.and_then(|l| l.lat)),
        real(loc.and_then(|l| l.lon)),
        ToSqlOutput::Owned(Value::Integer(r.events.len() as i64)),
        ToSqlOutput::from(json),
        ToSqlOutput::from(now),
    ]
}


pub(crate) fn save(
    tx: &Transaction<'_>,
    records: &[IncidentRecord],
    members: &[MemberWrite],
    merged: &[(String, String)],
) -> Result<IncidentReport, StoreError> {
    let mut report = IncidentReport::default();
    let now = crate::sqlite::now(tx)?;
    {
        let mut find = tx.prepare("SELECT record FROM incidents WHERE id = ?1")?;
        let mut insert = tx.prepare(INSERT_INCIDENT)?;
        let mut update = tx.prepare(UPDATE_INCIDENT)?;
        for r in records {
            let json = stored_json(&mut r.clone())?;
            let values = rusqlite::params_from_iter(incident_columns(&r.id, r, &json, &now));
            match find.query_row([&r.id], |row| row.get::<_, Option<String>>(0)).optional()? {
                None => {
                    insert.execute(values)?;
                    report.created += 1;
                }
                Some(Some(old)) if old == json => report.unchanged += 1,
                Some(_) => {
                    update.execute(values)?;
                    report.updated += 1;
                }
            }
        }
        let mut pk_of = tx.prepare("SELECT pk FROM incidents WHERE id = ?1")?;
        let mut put = tx.prepare(
            "INSERT INTO incident_members (event_pk, incident_pk, manual, link) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (event_pk) DO UPDATE SET incident_pk = excluded.incident_pk, manual = excluded.manual,
                                                  link = excluded.link",
        )?;
        let mut cache: Option<(String, i64)> = None;
        for m in members {
            let pk = match &cache {
                Some((id, pk)) if *id == m.incident => *pk,
                _ => {
                    let pk: i64 = match pk_of.query_row([&m.incident], |r| r.get(0)).optional()? {
                        Some(pk) => pk,
                        None => {
                            tx.execute("INSERT INTO incidents (id, status) VALUES (?1, 'live')", [&m.incident])?;
                            tx.last_insert_rowid()
                        }
                    };
                    cache = Some((m.incident.clone(), pk));
                    pk
                }
            };
            put.execute(params![m.event_pk, pk, i64::from(m.manual), serde_json::to_string(&m.link)?])?;
            report.members += 1;
        }
    }
    for (from, into) in merged {
        tx.execute(
            "UPDATE incidents SET status = 'merged', merged_into = ?2, record = NULL, events = 0,
                    updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
             WHERE id = ?1",
            params![from, into],
        )?;
        tx.execute("UPDATE incidents SET merged_into = ?2 WHERE status = 'merged' AND merged_into = ?1", params![from, into])?;
        report.merged += 1;
    }
    report.emptied = tx.execute(
        "UPDATE incidents SET status = 'empty', record = NULL, events = 0,
                updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
         WHERE status = 'live' AND NOT EXISTS (SELECT 1 FROM incident_members m WHERE m.incident_pk = incidents.pk)",
        [],
    )?;
    // Every record was given: none is stale, and every event with an incident is placed.
    tx.execute("UPDATE incidents SET stale = 0 WHERE stale = 1", [])?;
    tx.execute("DELETE FROM link_pending WHERE event_pk IN (SELECT event_pk FROM incident_members)", [])?;
    Ok(report)
}

/// The explanation of an event that moved with its incident into another.
fn moved_link(old: &str, event: &str, from: &str, into: &str) -> Result<String, StoreError> {
    let mut link: IncidentLink = serde_json::from_str(old).unwrap_or_else(|_| IncidentLink::seed(event));
    link.note_moved(from, into);
    Ok(serde_json::to_string(&link)?)
}

pub(crate) fn save_links(tx: &Transaction<'_>, w: &LinkWrite) -> Result<IncidentReport, StoreError> {
    let mut report = IncidentReport::default();
    let now = crate::sqlite::now(tx)?;
    // Each incident's record is built from the store as it stands (before anything of this
    // linking is written) and from what linking decided, then written with its row; the
    // membership comes after. So a new incident is written once, whole, and nothing written
    // here is read back.
    let placed_into: HashMap<&str, Vec<&MemberWrite>> = w.members.iter().fold(HashMap::new(), |mut m, p| {
        m.entry(p.incident.as_str()).or_default().push(p);
        m
    });
    let placed: HashMap<i64, &MemberWrite> = w.members.iter().map(|m| (m.event_pk, m)).collect();
    let mut merged_into: HashMap<&str, Vec<&str>> = HashMap::new();
    for (from, into) in &w.merged {
        merged_into.entry(into.as_str()).or_default().push(from.as_str());
    }
    // Incidents to build, in the order linking opened them (new ones take rows in that order:
    // `incidents list` shows them so), then those it placed events in, then the stale ones.
    let mut order: Vec<&str> = Vec::new();
    let mut seen: HashSet<&str> = HashSet::new();
    for id in w.changed.iter().map(String::as_str).chain(w.members.iter().map(|m| m.incident.as_str())) {
        if seen.insert(id) {
            order.push(id);
        }
    }
    let mut pk_of: HashMap<&str, i64> = HashMap::new();
    if w.defer_records {
        for &id in &order {
            pk_of.insert(id, mark_stale(tx, id)?);
        }
    } else {
        let mut builder = Builder::new(tx, order.len())?;
        let jobs: Vec<Job<'_>> = order
            .iter()
            .map(|&id| Job {
                id,
                placed_here: placed_into.get(id).map_or(&[][..], Vec::as_slice),
                merged_in: merged_into.get(id).map_or(&[][..], Vec::as_slice),
            })
            .collect();
        builder.build_each(tx, &jobs, &placed, &mut |job, built| {
            pk_of.insert(job.id, write_built(tx, job.id, built, &now, &mut report)?);
            Ok(())
        })?;
        drop(jobs);
        // The stale ones, a batch of rows at a time (after a run linked in rounds, that can be
        // every incident of the run: no list of them is held).
        let merged_from: HashSet<&str> = w.merged.iter().map(|(from, _)| from.as_str()).collect();
        let mut after = 0i64;
        loop {
            let batch: Vec<(i64, String)> = tx
                .prepare_cached(
                    "SELECT pk, id FROM incidents WHERE stale = 1 AND status = 'live' AND pk > ?1 ORDER BY pk LIMIT 512",
                )?
                .query_map([after], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<Result<_, _>>()?;
            let Some(&(last, _)) = batch.last() else { break };
            after = last;
            let jobs: Vec<Job<'_>> = batch
                .iter()
                .map(|(_, id)| id.as_str())
                .filter(|id| !seen.contains(id) && !merged_from.contains(id))
                .map(|id| Job { id, placed_here: &[], merged_in: &[] })
                .collect();
            builder.build_each(tx, &jobs, &placed, &mut |job, built| {
                write_built(tx, job.id, built, &now, &mut report).map(|_| ())
            })?;
        }
    }
    for (from, into) in &w.merged {
        let Some((from_pk, _, _)) = incident_pk(tx, from)? else { continue };
        let into_pk = match pk_of.get(into.as_str()) {
            Some(&pk) => pk,
            None => match incident_pk(tx, into)? {
                Some((pk, _, _)) => pk,
                None => return Err(StoreError::Incident(format!("no incident {into} to merge {from} into"))),
            },
        };
        let rows: Vec<(i64, String, String)> = tx
            .prepare_cached(
                // `+?1`: see the module documentation of link_keys.
                "SELECT m.event_pk, e.id, m.link FROM incident_members m JOIN events e ON e.pk = m.event_pk
                 WHERE m.incident_pk = +?1",
            )?
            .query_map([from_pk], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<Result<_, _>>()?;
        let mut put = tx.prepare_cached("UPDATE incident_members SET incident_pk = ?2, link = ?3 WHERE event_pk = ?1")?;
        for (event_pk, event, link) in rows {
            if placed.contains_key(&event_pk) {
                continue;
            }
            put.execute(params![event_pk, into_pk, moved_link(&link, &event, from, into)?])?;
        }
        tx.prepare_cached(
            "UPDATE incidents SET status = 'merged', merged_into = ?2, record = NULL, events = 0, stale = 0,
                    updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
             WHERE pk = ?1",
        )?
        .execute(params![from_pk, into])?;
        tx.prepare_cached("UPDATE incidents SET merged_into = ?2 WHERE status = 'merged' AND merged_into = ?1")?
            .execute(params![from, into])?;
        report.merged += 1;
    }
    {
        let mut put = tx.prepare_cached(
            "INSERT INTO incident_members (event_pk, incident_pk, manual, link) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (event_pk) DO UPDATE SET incident_pk = excluded.incident_pk, manual = excluded.manual,
                                                  link = excluded.link",
        )?;
        let mut placed_now = tx.prepare_cached("DELETE FROM link_pending WHERE event_pk = ?1")?;
        for m in &w.members {
            let Some(&pk) = pk_of.get(m.incident.as_str()) else {
                return Err(StoreError::Incident(format!("incident {} was not written", m.incident)));
            };
            put.execute(params![m.event_pk, pk, i64::from(m.manual), serde_json::to_string(&m.link)?])?;
            placed_now.execute([m.event_pk])?;
            report.members += 1;
        }
    }
    // Incidents whose every member went to others (a full re-link can do that).
    {
        let mut empty = tx.prepare_cached(
            "UPDATE incidents SET status = 'empty', record = NULL, events = 0, stale = 0,
                    updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
             WHERE id = ?1 AND status = 'live'
               AND NOT EXISTS (SELECT 1 FROM incident_members m WHERE m.incident_pk = incidents.pk)",
        )?;
        for id in &w.retired {
            report.emptied += empty.execute([id])?;
        }
    }
    let live: i64 = tx.query_row("SELECT count(*) FROM incidents WHERE status = 'live'", [], |r| r.get(0))?;
    report.unchanged = (live.max(0) as usize).saturating_sub(report.created + report.updated);
    Ok(report)
}

/// Documents' outlets and publication dates read while building records (a document has
/// several events, often in one incident), by row.
#[derive(Default)]
struct DocCache(HashMap<i64, (Option<String>, Option<String>)>);

/// At most this many documents in a [`DocCache`] (forgotten wholesale beyond).
const DOCS_KEPT: usize = 1 << 16;

/// The row of an incident whose record a later save builds: created when new, stale.
fn mark_stale(tx: &Transaction<'_>, id: &str) -> Result<i64, StoreError> {
    let row: Option<(i64, String)> = tx
        .prepare_cached("SELECT pk, status FROM incidents WHERE id = ?1")?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    match row {
        // (Counted when its record is built.)
        Some((pk, _)) => {
            tx.prepare_cached("UPDATE incidents SET status = 'live', merged_into = NULL, stale = 1 WHERE pk = ?1")?
                .execute([pk])?;
            Ok(pk)
        }
        None => {
            tx.prepare_cached("INSERT INTO incidents (id, status, stale) VALUES (?1, 'live', 1)")?.execute([id])?;
            Ok(tx.last_insert_rowid())
        }
    }
}

/// An incident whose record is to be built: the events linking placed in it now, and the
/// incidents merged into it.
struct Job<'a> {
    id: &'a str,
    placed_here: &'a [&'a MemberWrite],
    merged_in: &'a [&'a str],
}

/// An incident's row as stored (pk, status, record), and its record built anew from its
/// members: `None` when it has none left.
struct Built {
    row: Option<(i64, String, Option<String>)>,
    record: Option<(IncidentRecord, String)>,
}

/// Builds records of incidents on this transaction's connection and, when the store is a file
/// and there are cores to spare, on read-only connections of their own at the same time. They
/// read what the transaction reads: a record is built from what was stored before this
/// linking, which the transaction has not changed yet but for the rows of incidents already
/// built (each incident is built once), and the membership is written after every record.
struct Builder {
    helpers: Vec<(rusqlite::Connection, DocCache)>,
    docs: DocCache,
}

impl Builder {
    /// At least this many records to build before other connections are opened for them.
    const PARALLEL_FROM: usize = 64;

    /// At most this many records built and not written yet.
    const AHEAD: usize = 512;

    fn new(tx: &Transaction<'_>, records: usize) -> Result<Self, StoreError> {
        let mut helpers = Vec::new();
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
        if let Some(path) = tx.path().filter(|p| !p.is_empty()) {
            // (Few records, or one core: not worth a connection.)
            if records >= Self::PARALLEL_FROM {
                for _ in 1..threads {
                    let conn = rusqlite::Connection::open_with_flags(
                        path,
                        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
                    )?;
                    conn.busy_timeout(std::time::Duration::from_secs(10))?;
                    helpers.push((conn, DocCache::default()));
                }
            }
        }
        tracing::debug!("incidents: {records} records to build on {} connections", helpers.len() + 1);
        Ok(Builder { helpers, docs: DocCache::default() })
    }

    /// Builds the records of `jobs` and hands each to `write`, in their order. The other
    /// connections build ahead (at most [`Builder::AHEAD`] records) while this one writes, and
    /// this one builds too whenever the next record is not ready: writing no longer waits for
    /// a whole chunk to be built, nor building for it to be written.
    fn build_each<'j>(
        &mut self,
        tx: &Transaction<'_>,
        jobs: &[Job<'j>],
        placed: &HashMap<i64, &MemberWrite>,
        write: &mut dyn FnMut(&Job<'j>, Built) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
        if self.helpers.is_empty() || jobs.len() < 2 {
            for job in jobs {
                write(job, build_incident(tx, job, placed, &mut self.docs)?)?;
            }
            return Ok(());
        }
        let next = AtomicUsize::new(0);
        // Records written so far, and whether the writer stopped (an error): the helpers wait
        // for the one and give up on the other.
        let written = AtomicUsize::new(0);
        let stop = AtomicBool::new(false);
        let slots: std::sync::Mutex<Vec<Option<Result<Built, StoreError>>>> =
            std::sync::Mutex::new(jobs.iter().map(|_| None).collect());
        let ready = std::sync::Condvar::new();
        let lock = || slots.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let helping = |conn: &rusqlite::Connection, docs: &mut DocCache| -> Result<(), StoreError> {
            // (Its reads in one read transaction, not one each: three or more per incident.)
            conn.execute_batch("BEGIN")?;
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= jobs.len() || stop.load(Ordering::Relaxed) {
                    break;
                }
                // (A panic becomes the record's error: the writer waits for every record it
                // is to write, and would wait for this one for ever.)
                let built = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| build_incident(conn, &jobs[i], placed, docs)))
                    .unwrap_or_else(|_| Err(StoreError::Incident(format!("building the record of {} failed", jobs[i].id))));
                let mut s = lock();
                while i >= written.load(Ordering::Relaxed) + Self::AHEAD && !stop.load(Ordering::Relaxed) {
                    s = ready.wait(s).unwrap_or_else(std::sync::PoisonError::into_inner);
                }
                s[i] = Some(built);
                ready.notify_all();
            }
            conn.execute_batch("COMMIT")?;
            Ok(())
        };
        let mut docs = std::mem::take(&mut self.docs);
        let mut writing = || -> Result<(), StoreError> {
            for w in 0..jobs.len() {
                let built = loop {
                    if let Some(b) = lock()[w].take() {
                        break b;
                    }
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= jobs.len() {
                        // Every job is taken: the one to write next is being built elsewhere.
                        let mut s = lock();
                        while s[w].is_none() {
                            s = ready.wait(s).unwrap_or_else(std::sync::PoisonError::into_inner);
                        }
                        continue;
                    }
                    let built = build_incident(tx, &jobs[i], placed, &mut docs);
                    if i == w {
                        break built;
                    }
                    lock()[i] = Some(built);
                };
                write(&jobs[w], built?)?;
                written.store(w + 1, Ordering::Relaxed);
                ready.notify_all();
            }
            Ok(())
        };
        let (mine, theirs) = std::thread::scope(|scope| {
            let helping = &helping;
            let handles: Vec<_> =
                self.helpers.iter_mut().map(|(conn, docs)| scope.spawn(move || helping(conn, docs))).collect();
            let mine = writing();
            if mine.is_err() {
                stop.store(true, Ordering::Relaxed);
                // (Under the lock: a helper about to wait sees it.)
                let _s = lock();
                ready.notify_all();
            }
            let theirs: Vec<_> = handles.into_iter().map(|h| h.join()).collect();
            (mine, theirs)
        });
        self.docs = docs;
        mine?;
        for t in theirs {
            t.unwrap_or_else(|p| std::panic::resume_unwind(p))?;
        }
        Ok(())
    }
}

/// Builds an incident's record from its members: those the store holds for it and for the
/// incidents merged into it (their explanations noting the move), less the events placed
/// elsewhere, and those placed in it now. Reads only.
fn build_incident(
    conn: &rusqlite::Connection,
    job: &Job<'_>,
    placed: &HashMap<i64, &MemberWrite>,
    docs: &mut DocCache,
) -> Result<Built, StoreError> {
    let Job { id, placed_here, merged_in } = *job;
    let row: Option<(i64, String, Option<String>)> = conn
        .prepare_cached("SELECT pk, status, record FROM incidents WHERE id = ?1")?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?;
    // (event row, how it joined)
    let mut members: Vec<(i64, Option<IncidentLink>)> = Vec::new();
    {
        let mut stored = conn.prepare_cached(
            "SELECT m.event_pk, m.link, e.id FROM incident_members m JOIN events e ON e.pk = m.event_pk
             WHERE m.incident_pk = +?1",
        )?;
        let mut held = |pk: i64, moved_from: Option<&str>, members: &mut Vec<(i64, Option<IncidentLink>)>| -> Result<(), StoreError> {
            let mut q = stored.query([pk])?;
            while let Some(r) = q.next()? {
                let event_pk: i64 = r.get(0)?;
                if placed.contains_key(&event_pk) {
                    continue;
                }
                let link = r.get_ref(1)?.as_str().unwrap_or_default();
                let link: Option<IncidentLink> = match moved_from {
                    Some(from) => serde_json::from_str(&moved_link(link, r.get_ref(2)?.as_str().unwrap_or_default(), from, id)?).ok(),
                    // An explanation that cannot be read shows as a seed, as it always did.
                    None => serde_json::from_str(link).ok(),
                };
                members.push((event_pk, link));
            }
            Ok(())
        };
        if let Some((pk, _, _)) = &row {
            held(*pk, None, &mut members)?;
        }
        for from in merged_in {
            if let Some((from_pk, _, _)) = incident_pk(conn, from)? {
                held(from_pk, Some(from), &mut members)?;
            }
        }
    }
    members.extend(placed_here.iter().map(|m| (m.event_pk, Some(m.link.clone()))));
    members.sort_by_key(|(pk, _)| *pk);
    if members.is_empty() {
        return Ok(Built { row, record: None });
    }
    let mut rows: Vec<(i64, EventRecord, Option<String>, Option<String>, Option<IncidentLink>)> = Vec::with_capacity(members.len());
    {
        let mut event = conn.prepare_cached("SELECT record, doc_pk FROM events WHERE pk = ?1")?;
        let mut doc = conn.prepare_cached(
            "SELECT json_extract(metadata, '$.outlet'), json_extract(metadata, '$.published.date') FROM documents
             WHERE pk = ?1",
        )?;
        for (event_pk, link) in members {
            let bad = |reason: String| StoreError::BadRecord { what: format!("event row {event_pk}"), reason };
            let mut q = event.query([event_pk])?;
            let Some(e) = q.next()? else { return Err(bad("not stored".into())) };
            // Parsed from the stored bytes: serde checks the text it keeps (checking all of it
            // first, as a String would, doubled the cost).
            let record = incident_event(e.get_ref(0)?.as_bytes().map_err(|x| bad(x.to_string()))?)
                .map_err(|x| bad(x.to_string()))?;
            let doc_pk: i64 = e.get(1)?;
            drop(q);
            let (outlet, published) = match docs.0.get(&doc_pk) {
                Some(d) => d.clone(),
                None => {
                    let d: (Option<String>, Option<String>) = doc.query_row([doc_pk], |d| Ok((d.get(0)?, d.get(1)?)))?;
                    if docs.0.len() >= DOCS_KEPT {
                        docs.0.clear();
                    }
                    docs.0.insert(doc_pk, d.clone());
                    d
                }
            };
            rows.push((event_pk, record, outlet, published, link));
        }
    }
    // (The explanations move into the members: an incident of thousands holds them twice, not
    // three times, while its record is built.)
    let links: Vec<Option<IncidentLink>> = rows.iter_mut().map(|row| row.4.take()).collect();
    let members: Vec<Member<'_>> = rows
        .iter()
        .zip(links)
        .map(|((seq, event, outlet, published, _), link)| Member {
            event,
            outlet: outlet.as_deref(),
            published: published.as_deref(),
            seq: *seq as u64,
            link,
        })
        .collect();
    let r = build_record(id, &members);
    drop(members);
    drop(rows);
    let mut r = r;
    let json = stored_json(&mut r)?;
    Ok(Built { row, record: Some((r, json)) })
}

/// Writes an incident's row from its built record (created when new; written when the record
/// changed); an incident left without members becomes `empty`. Returns its row.
fn write_built(tx: &Transaction<'_>, id: &str, built: Built, now: &str, report: &mut IncidentReport) -> Result<i64, StoreError> {
    let Built { row, record } = built;
    let Some((r, json)) = record else {
        let Some((pk, status, _)) = row else { return Err(StoreError::Incident(format!("incident {id} has no events"))) };
        if status == "live" {
            tx.prepare_cached(
                "UPDATE incidents SET status = 'empty', record = NULL, events = 0, stale = 0,
                        updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
                 WHERE pk = ?1",
            )?
            .execute([pk])?;
            report.emptied += 1;
        }
        return Ok(pk);
    };
    let columns = rusqlite::params_from_iter(incident_columns(id, &r, &json, now));
    match row {
        None => {
            tx.prepare_cached(INSERT_INCIDENT)?.execute(columns)?;
            report.created += 1;
            Ok(tx.last_insert_rowid())
        }
        Some((pk, status, old)) => {
            if status == "live" && old.as_deref() == Some(json.as_str()) {
                tx.prepare_cached("UPDATE incidents SET stale = 0 WHERE pk = ?1 AND stale = 1")?.execute([pk])?;
            } else {
                tx.prepare_cached(UPDATE_INCIDENT)?.execute(columns)?;
                // Its first record (a new incident whose record was left for later, or made
                // by a user's split), or a changed one.
                if old.is_none() && status == "live" {
                    report.created += 1;
                } else {
                    report.updated += 1;
                }
            }
            Ok(pk)
        }
    }
}

/// What an incident's record takes of an event record: the record without its evidence,
/// persons and sources, which are skipped unread.
#[derive(serde::Deserialize)]
struct IncidentEvent {
    id: String,
    doc: String,
    #[serde(rename = "type")]
    event_type: String,
    date: marsad_model::EventDate,
    location: Option<marsad_model::Location>,
    perpetrators: Vec<marsad_model::ActorRef>,
    targets: Vec<marsad_model::ActorRef>,
    counts: std::collections::BTreeMap<String, marsad_model::Count>,
}

fn incident_event(json: &[u8]) -> Result<EventRecord, serde_json::Error> {
    let e: IncidentEvent = serde_json::from_slice(json)?;
    Ok(EventRecord {
        kind: "event".into(),
        id: e.id,
        doc: e.doc,
        event_type: e.event_type,
        date: e.date,
        location: e.location,
        perpetrators: e.perpetrators,
        targets: e.targets,
        counts: e.counts,
        claimed_by: None,
        reported_by: Vec::new(),
        persons: Vec::new(),
        evidence: Vec::new(),
        confidence: 0.0,
    })
}

/// The end of a record as stored: its `links` left empty (see [`stored_json`]).
const STORED_LINKS: &str = r#""links":[]}"#;

/// An incident's record as stored in its row: without the explanation of how each member
/// joined, which its membership row holds (`incident_members.link`). They were 22 M of the
/// 48 M characters of the records of the benchmark's 32,233 incidents, written twice.
/// [`with_links`] puts them back when the record is read.
fn stored_json(r: &mut IncidentRecord) -> Result<String, StoreError> {
    // (`links` is the record's last field: the stored text ends with STORED_LINKS. They are
    // taken out and put back, not copied: a large incident has thousands.)
    let links = std::mem::take(&mut r.links);
    let json = serde_json::to_string(r);
    r.links = links;
    Ok(json?)
}

/// A stored record with its members' explanations put back, in stored order, as
/// `marsad_incidents::build_record` gives them (an explanation that cannot be read shows as
/// the event's seed, as it does there). A record stored with its links is returned as it is.
fn with_links(conn: &rusqlite::Connection, incident_pk: i64, record: String) -> Result<String, StoreError> {
    let Some(head) = record.strip_suffix(STORED_LINKS) else { return Ok(record) };
    let mut out = String::with_capacity(record.len() * 2);
    out.push_str(head);
    out.push_str(r#""links":["#);
    let mut stmt = conn.prepare_cached(
        // `+?1`: see the module documentation of link_keys.
        "SELECT e.id, m.link FROM incident_members m JOIN events e ON e.pk = m.event_pk
         WHERE m.incident_pk = +?1 ORDER BY m.event_pk",
    )?;
    let mut rows = stmt.query([incident_pk])?;
    let mut first = true;
    while let Some(row) = rows.next()? {
        if !first {
            out.push(',');
        }
        first = false;
        let event = row.get_ref(0)?.as_str().unwrap_or_default();
        let link: IncidentLink = serde_json::from_str(row.get_ref(1)?.as_str().unwrap_or_default())
            .unwrap_or_else(|_| IncidentLink::seed(event));
        out.push_str(&serde_json::to_string(&link)?);
    }
    out.push_str("]}");
    Ok(out)
}

pub(crate) fn for_each_incident(
    conn: &rusqlite::Connection,
    f: &mut dyn FnMut(String) -> Result<(), StoreError>,
) -> Result<(), StoreError> {
    let mut stmt =
        conn.prepare("SELECT pk, record FROM incidents WHERE status = 'live' AND record IS NOT NULL ORDER BY pk")?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        f(with_links(conn, r.get(0)?, r.get(1)?)?)?;
    }
    Ok(())
}

pub(crate) fn find(conn: &rusqlite::Connection, asked: &str) -> Result<Option<StoredIncident>, StoreError> {
    let tx = conn;
    let Some((_, status, _)) = incident_pk(tx, asked)? else { return Ok(None) };
    let id = match resolve(tx, asked) {
        Ok((_, id)) => id,
        Err(_) => asked.to_string(),
    };
    let (pk, record, events): (i64, Option<String>, i64) = tx.query_row(
        "SELECT pk, record, events FROM incidents WHERE id = ?1",
        [&id],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    let record = record.map(|r| with_links(tx, pk, r)).transpose()?;
    Ok(Some(StoredIncident { asked: asked.to_string(), id, status, record, events: events.max(0) as usize }))
}

/// The stored link of a member, marked as placed by the user.
fn manual_link(old: &str, event: &str, note: &str) -> String {
    let mut link: IncidentLink = serde_json::from_str(old).unwrap_or(IncidentLink {
        event: event.to_string(),
        how: "manual".into(),
        to: None,
        rule: None,
        score: 0.0,
        signals: Vec::new(),
        note: None,
    });
    link.how = "manual".into();
    link.note = Some(match link.note.take() {
        Some(n) if !n.is_empty() => format!("{note} (before: {n})"),
        _ => note.to_string(),
    });
    serde_json::to_string(&link).unwrap_or_default()
}

fn move_members(tx: &Transaction<'_>, from_pk: i64, to_pk: i64, only: Option<&[String]>, note: &str) -> Result<usize, StoreError> {
    let mut stmt = tx.prepare(
        "SELECT m.event_pk, e.id, m.link FROM incident_members m JOIN events e ON e.pk = m.event_pk
         WHERE m.incident_pk = ?1",
    )?;
    let rows: Vec<(i64, String, String)> =
        stmt.query_map([from_pk], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?.collect::<Result<_, _>>()?;
    let mut put = tx.prepare("UPDATE incident_members SET incident_pk = ?2, manual = 1, link = ?3 WHERE event_pk = ?1")?;
    let mut n = 0;
    for (pk, id, link) in rows {
        if only.is_some_and(|list| !list.contains(&id)) {
            continue;
        }
        put.execute(params![pk, to_pk, manual_link(&link, &id, note)])?;
        n += 1;
    }
    Ok(n)
}

pub(crate) fn merge(conn: &mut rusqlite::Connection, into: &str, from: &str) -> Result<String, StoreError> {
    let tx = conn.transaction()?;
    let (a_pk, a) = resolve(&tx, into)?;
    let (b_pk, b) = resolve(&tx, from)?;
    if a_pk == b_pk {
        return Err(StoreError::Incident(format!("{into} and {from} are one incident already ({a})")));
    }
    move_members(&tx, b_pk, a_pk, None, &format!("merged from {b} into {a} by a user"))?;
    // The next linking builds the record again.
    tx.execute("UPDATE incidents SET stale = 1 WHERE pk = ?1", [a_pk])?;
    // Pin the events that were there too, so that a full re-link keeps the merge.
    tx.execute("UPDATE incident_members SET manual = 1 WHERE incident_pk = ?1", [a_pk])?;
    tx.execute(
        "UPDATE incidents SET status = 'merged', merged_into = ?2, record = NULL, events = 0,
                updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
         WHERE pk = ?1",
        params![b_pk, a],
    )?;
    tx.execute("UPDATE incidents SET merged_into = ?2 WHERE status = 'merged' AND merged_into = ?1", params![b, a])?;
    tx.execute("INSERT INTO incident_actions (action, incident, other) VALUES ('merge', ?1, ?2)", params![a, b])?;
    tx.commit()?;
    Ok(a)
}

pub(crate) fn split(conn: &mut rusqlite::Connection, id: &str, events: &[String], new_id: &str) -> Result<String, StoreError> {
    let tx = conn.transaction()?;
    let (pk, id) = resolve(&tx, id)?;
    let members: Vec<String> = {
        let mut stmt = tx.prepare(
            "SELECT e.id FROM incident_members m JOIN events e ON e.pk = m.event_pk WHERE m.incident_pk = ?1",
        )?;
        let rows = stmt.query_map([pk], |r| r.get::<_, String>(0))?;
        rows.collect::<Result<_, _>>()?
    };
    if events.is_empty() {
        return Err(StoreError::Incident("name the events to split off".into()));
    }
    for e in events {
        if !members.contains(e) {
            return Err(StoreError::Incident(format!("event {e} is not in incident {id}")));
        }
    }
    if members.iter().all(|m| events.contains(m)) {
        return Err(StoreError::Incident(format!("that is every event of {id}: nothing would stay")));
    }
    if incident_pk(&tx, new_id)?.is_some() {
        return Err(StoreError::Incident(format!("incident id {new_id} is taken")));
    }
    tx.execute("INSERT INTO incidents (id, status) VALUES (?1, 'live')", [new_id])?;
    let new_pk = tx.last_insert_rowid();
    move_members(&tx, pk, new_pk, Some(events), &format!("split from {id} into {new_id} by a user"))?;
    // The next linking builds both records.
    tx.execute("UPDATE incidents SET stale = 1 WHERE pk IN (?1, ?2)", [pk, new_pk])?;
    tx.execute("UPDATE incident_members SET manual = 1 WHERE incident_pk = ?1", [pk])?;
    tx.execute(
        "INSERT INTO incident_actions (action, incident, other, events) VALUES ('split', ?1, ?2, ?3)",
        params![id, new_id, serde_json::to_string(events)?],
    )?;
    tx.commit()?;
    Ok(id)
}

pub(crate) fn actions(conn: &rusqlite::Connection, id: &str) -> Result<Vec<IncidentAction>, StoreError> {
    let mut stmt = conn.prepare(
        "SELECT action, incident, other, events, at FROM incident_actions
         WHERE incident = ?1 OR other = ?1 ORDER BY pk",
    )?;
    let rows = stmt.query_map([id], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?, r.get::<_, Option<String>>(3)?, r.get::<_, String>(4)?))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (action, incident, other, events, at) = row?;
        let events = events.and_then(|e| serde_json::from_str(&e).ok()).unwrap_or_default();
        out.push(IncidentAction { action, incident, other, events, at });
    }
    Ok(out)
}
