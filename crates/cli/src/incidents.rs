//! `marsad incidents [list|show ID|merge A B|split ID EVENT…|explain ID|relink]`, and the
//! linking that follows `marsad run`: events of different documents that tell the same
//! happening become one incident (crates/incidents decides; the store keeps the result).

use crate::Globals;
use anyhow::Context;
use clap::Subcommand;
use marsad_incidents::{incident_id, link, Events, Incremental, Options, Prior, StoredMember};
use marsad_model::{EventRecord, IncidentRecord};
#[cfg(test)]
use marsad_model::IncidentLink;
use marsad_store::{IncidentReport, KeyHit, LinkKeyRow, LinkWrite, MemberWrite, Store, StoreError};
use std::cell::RefCell;
use std::collections::{BTreeSet, HashSet};
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

/// What `marsad incidents` does.
#[derive(Debug, Clone, Subcommand)]
pub enum Action {
    /// List the incidents (the default): id, date, type, place, events and sources, and the
    /// low / best / high of the killed.
    List {
        /// Only incidents told by at least N documents.
        #[arg(long, default_value_t = 1, value_name = "N")]
        min_sources: usize,
    },
    /// Print the record of an incident (JSON); a merged id shows the incident it went into.
    Show { id: String },
    /// Merge incident B into A: B's events join A and stay with it on every later run.
    Merge { a: String, b: String },
    /// Move events out of an incident into a new one, which stays apart on later runs.
    Split {
        id: String,
        /// Event ids (ev-…) to move.
        #[arg(required = true)]
        events: Vec<String>,
    },
    /// Explain an incident: how each event joined (rule, score, the signals that matched), how
    /// the low / best / high figures were chosen, and the users' merges and splits.
    Explain { id: String },
    /// Recompute every automatic link (after an upgrade of the linker); users' merges and
    /// splits stay, and incidents keep their ids.
    Relink,
}

/// At most this many events without an incident are placed in one round (then the rest of
/// the last one's document): linking holds about 1 KB per event placed, so a run of any size
/// links in bounded memory. A run that stored more is linked in rounds, in stored order, as if
/// it had been stored by several runs.
pub const ROUND_EVENTS: usize = 100_000;

/// What one linking did.
#[derive(Debug, Clone, Copy, Default)]
pub struct Linked {
    /// Events placed in this run (joined an incident or opened one).
    pub placed: usize,
    /// Of those, events that joined an incident another document opened.
    pub joined: usize,
    pub store: IncidentReport,
    /// Stored events read besides those placed: the members of the incidents they could join.
    pub read: usize,
    /// Incidents those members were read for.
    pub incidents_read: usize,
    /// Rounds of at most [`ROUND_EVENTS`] events.
    pub rounds: usize,
}

impl Linked {
    pub fn add(&mut self, o: Linked) {
        self.placed += o.placed;
        self.joined += o.joined;
        self.read += o.read;
        self.incidents_read += o.incidents_read;
        self.rounds += o.rounds;
        let (a, b) = (&mut self.store, o.store);
        a.created += b.created;
        a.updated += b.updated;
        a.emptied += b.emptied;
        a.members += b.members;
        a.merged += b.merged;
        // Every round counts the live incidents it left as they were: the last one's stands.
        a.unchanged = b.unchanged;
    }
}

/// Links the stored events that have no incident yet, against the stored incidents they could
/// join only (marsad_incidents::incremental), and stores what changed. With `relink`, every
/// automatic link is computed again over the whole store.
pub fn link_store(store: &mut dyn Store, relink: bool) -> anyhow::Result<Linked> {
    if relink {
        return relink_store(store);
    }
    link_in_rounds(store, ROUND_EVENTS)
}

/// [`link_store`] in rounds of at least `round_events` events (the rest of the last one's
/// document with them).
fn link_in_rounds(store: &mut dyn Store, round_events: usize) -> anyhow::Result<Linked> {
    let (mut total, rest) = link_full_rounds(store, round_events)?;
    total.add(link_rest(store, rest)?);
    Ok(total)
}

/// The rounds of exactly `round_events` pending events (and the rest of the last one's
/// document) that the store holds, in stored order; returns what they did and the events left
/// pending (fewer than a round: read to find that out, and handed to [`link_rest`] so that it
/// does not read them again). Such a round may not be the last, so it leaves the records of
/// the incidents it changed for the end ([`link_rest`]): an incident that grows in every
/// round is built once. Where the rounds start and end depends only on what is stored, so
/// `run` can link this way while it stores and give what linking after it gives.
pub fn link_full_rounds(store: &mut dyn Store, round_events: usize) -> anyhow::Result<(Linked, Vec<LinkKeyRow>)> {
    let mut total = Linked::default();
    loop {
        let rows = store.pending_link_keys(round_events).context("reading the events to link")?;
        if rows.len() < round_events {
            return Ok((total, rows));
        }
        total.add(link_round(store, rows, true)?);
    }
}

/// The last round (`rows`: the events still pending, fewer than a round), which also builds
/// the records left for the end and those made stale by a replaced document or a user's merge
/// or split.
fn link_rest(store: &mut dyn Store, rows: Vec<LinkKeyRow>) -> anyhow::Result<Linked> {
    if rows.is_empty() {
        let records = store.save_links(&LinkWrite::default()).context("writing the incidents")?;
        return Ok(Linked { store: records, ..Linked::default() });
    }
    link_round(store, rows, false)
}

/// The linker's number of a document: its row in the store.
fn doc_number(doc_pk: i64) -> Result<u32, StoreError> {
    u32::try_from(doc_pk).map_err(|_| StoreError::BadRecord { what: format!("document row {doc_pk}"), reason: "beyond 2^32".into() })
}

/// The linker's order of an event: its row in the store.
fn seq(event_pk: i64) -> Result<u64, StoreError> {
    u64::try_from(event_pk).map_err(|_| StoreError::BadRecord { what: format!("event row {event_pk}"), reason: "negative".into() })
}

/// The incident-id check of linking, asked of the store; an error stops the linking.
fn link_with_store_ids(
    store: &dyn Store,
    run: impl FnOnce(&dyn marsad_incidents::TakenIds) -> marsad_incidents::Linked,
) -> anyhow::Result<marsad_incidents::Linked> {
    let failure: RefCell<Option<StoreError>> = RefCell::new(None);
    let taken = |id: &str| {
        store.incident_id_taken(id).unwrap_or_else(|e| {
            failure.replace(Some(e));
            // Taken: a failing store never gets an id twice.
            true
        })
    };
    let linked = run(&taken);
    match failure.into_inner() {
        Some(e) => Err(e).context("reading the incident ids"),
        None => Ok(linked),
    }
}

/// Ends the store's read transaction when dropped (an error included): see
/// [`Store::begin_reading`].
struct Reading<'a>(&'a dyn Store);

impl<'a> Reading<'a> {
    fn begin(store: &'a dyn Store) -> anyhow::Result<Self> {
        store.begin_reading().context("reading the incidents")?;
        Ok(Reading(store))
    }
}

impl Drop for Reading<'_> {
    fn drop(&mut self) {
        if let Err(e) = self.0.end_reading() {
            tracing::warn!("incidents: ending a read transaction: {e}");
        }
    }
}

/// One round: the pending events, the stored incidents in their blocks, link, write.
fn link_round(store: &mut dyn Store, rows: Vec<LinkKeyRow>, defer_records: bool) -> anyhow::Result<Linked> {
    let started = Instant::now();
    let reading = Reading::begin(store)?;
    let store_read: &dyn Store = reading.0;
    let mut inc = Incremental::new();
    let to_place = rows.len();
    for r in rows {
        inc.push_pending(&r.key, seq(r.event_pk)?, doc_number(r.doc_pk)?, r.event_id);
    }
    let blocks = inc.blocks();
    let mut wanted: BTreeSet<i64> = BTreeSet::new();
    {
        let events = &inc.events;
        let mut want = |hit: KeyHit<'_>| {
            if !wanted.contains(&hit.incident_pk)
                && blocks.wants_fields(events, hit.event_type, hit.admin1, hit.date, hit.cell)
            {
                wanted.insert(hit.incident_pk);
            }
            Ok(())
        };
        for (from, to) in blocks.day_ranges() {
            store_read.for_each_linked_key_on_days(from, to, &mut want).context("reading the incidents by day")?;
        }
        for cell in blocks.cells() {
            store_read.for_each_linked_key_in_cell(cell, &mut want).context("reading the incidents by place")?;
        }
    }
    for &pk in &wanted {
        let rows = store_read.incident_link_keys(pk).context("reading an incident's events")?;
        let Some(id) = rows.first().and_then(|r| r.incident.as_ref()).map(|i| i.id.clone()) else { continue };
        let mut members = Vec::with_capacity(rows.len());
        for r in rows {
            members.push(StoredMember {
                seq: seq(r.event_pk)?,
                doc: doc_number(r.doc_pk)?,
                manual: r.incident.as_ref().is_some_and(|i| i.manual),
                id: r.event_id,
                key: r.key,
            });
        }
        inc.push_incident(&id, &members);
    }
    let read = started.elapsed();
    let linked = link_with_store_ids(store_read, |taken| inc.link(taken))?;
    let linking = started.elapsed() - read;
    let comparisons = linked.comparisons;
    let (mut write, placed, joined) = write_of(&inc.events, linked, false)?;
    write.defer_records = defer_records;
    let inc_read = inc.stored_read;
    let collapsed = inc.collapsed;
    drop(inc);
    drop(reading);
    let report = store.save_links(&write).context("writing the incidents")?;
    tracing::info!(
        "incidents: {} events to place; read {} stored events of {} incidents in their blocks ({} kept as their \
         document only) in {:.2?}, linked in {:.2?} ({} comparisons), stored in {:.2?}",
        to_place,
        inc_read,
        wanted.len(),
        collapsed,
        read,
        linking,
        comparisons,
        started.elapsed() - read - linking
    );
    Ok(Linked { placed, joined, store: report, read: inc_read, incidents_read: wanted.len(), rounds: 1 })
}

/// A full re-link: every stored event, every automatic link computed again; the users'
/// placements stay and incidents keep their ids.
fn relink_store(store: &mut dyn Store) -> anyhow::Result<Linked> {
    let mut events = Events::new();
    let mut prior: Vec<Option<Prior>> = Vec::new();
    store
        .for_each_link_key(&mut |row| {
            events.push_key(&row.key, seq(row.event_pk)?, doc_number(row.doc_pk)?, row.event_id);
            prior.push(row.incident.map(|i| Prior { incident: i.id, manual: i.manual }));
            Ok(())
        })
        .context("reading the stored events")?;
    let read = events.len();
    let incidents_read = prior.iter().flatten().map(|p| p.incident.as_str()).collect::<HashSet<_>>().len();
    let linked = link_with_store_ids(store, |taken| link(&events, &prior, taken, Options { relink: true }))?;
    let (write, placed, joined) = write_of(&events, linked, true)?;
    drop(events);
    let report = store.save_links(&write).context("writing the incidents")?;
    Ok(Linked { placed, joined, store: report, read, incidents_read, rounds: 1 })
}

/// What a linking writes: the events it placed, the merges, the incidents that changed (all
/// of them on a full re-link, whose new links every record shows).
/// (The explanations move from what linking decided into what is written: a round holds them
/// once.)
fn write_of(events: &Events, linked: marsad_incidents::Linked, relink: bool) -> anyhow::Result<(LinkWrite, usize, usize)> {
    let mut members = Vec::new();
    let mut joined = 0;
    for (i, link) in linked.links.into_iter().enumerate() {
        let Some(link) = link else { continue };
        if link.how == "auto" {
            joined += 1;
        }
        let incident = &linked.incidents[linked.incident_of[i]];
        let event_pk = i64::try_from(events.items[i].seq).context("an event row beyond 2^63")?;
        members.push(MemberWrite { event_pk, incident: incident.id.clone(), manual: false, link: *link });
    }
    let changed = linked.incidents.iter().filter(|x| relink || x.created || x.changed).map(|x| x.id.clone()).collect();
    let placed = members.len();
    let write = LinkWrite { members, merged: linked.merged, changed, retired: linked.retired, defer_records: false };
    Ok((write, placed, joined))
}

/// The linking that ends `marsad run`: the events not linked while storing (`along`, see
/// [`link_full_rounds`]) join incidents or open new ones, and the records left for the end are
/// built.
pub fn finish_linking(g: &Globals, store: &mut dyn Store, along: Linked) -> anyhow::Result<Linked> {
    if along.rounds == 0 && !store.incidents_pending().context("reading the incidents")? {
        tracing::info!("incidents: up to date");
        return Ok(along);
    }
    let mut l = along;
    l.add(link_in_rounds(store, ROUND_EVENTS).context("linking incidents")?);
    if !g.quiet {
        eprintln!("marsad: {}", summary(&l));
    }
    Ok(l)
}

/// "1 event", "2 events".
fn n(count: usize, what: &str) -> String {
    format!("{count} {what}{}", if count == 1 { "" } else { "s" })
}

fn summary(l: &Linked) -> String {
    let merged = if l.store.merged > 0 { format!(", {} merged into others", l.store.merged) } else { String::new() };
    format!(
        "incidents: {} placed ({} joined another report's incident), {} new, {} updated{merged}, {} left empty; \
         {} read ({})",
        n(l.placed, "event"),
        l.joined,
        l.store.created,
        l.store.updated,
        l.store.emptied,
        n(l.read, "stored event"),
        n(l.incidents_read, "incident")
    )
}

/// `marsad incidents [ACTION]`
pub fn command(g: &Globals, db: &str, action: Option<Action>) -> anyhow::Result<ExitCode> {
    if !db.contains("://") && !Path::new(db).exists() {
        anyhow::bail!("no database at {db} (store documents first: marsad run PATH... --db {db})");
    }
    let mut store = marsad_store::open(db).with_context(|| format!("cannot open database {db}"))?;
    let store = store.as_mut();
    match action.unwrap_or(Action::List { min_sources: 1 }) {
        Action::List { min_sources } => list(store, min_sources),
        Action::Show { id } => {
            let Some(found) = store.incident(&id)? else { anyhow::bail!("no incident {id}") };
            if found.id != found.asked {
                eprintln!("marsad: {} was merged into {}", found.asked, found.id);
            }
            match found.record {
                Some(rec) => {
                    let v: serde_json::Value = serde_json::from_str(&rec).context("stored incident record")?;
                    println!("{}", serde_json::to_string_pretty(&v)?);
                    Ok(ExitCode::SUCCESS)
                }
                None => anyhow::bail!("incident {id} has no events any more ({})", found.status),
            }
        }
        Action::Merge { a, b } => {
            let into = store.merge_incidents(&a, &b)?;
            let l = link_store(store, false)?;
            if !g.quiet {
                eprintln!("marsad: merged {b} into {into}; {}", summary(&l));
            }
            Ok(ExitCode::SUCCESS)
        }
        Action::Split { id, events } => {
            let new_id = split_id(store, &events)?;
            let from = store.split_incident(&id, &events, &new_id)?;
            let l = link_store(store, false)?;
            if !g.quiet {
                eprintln!("marsad: split {} of {from} into {new_id}; {}", n(events.len(), "event"), summary(&l));
            }
            println!("{new_id}");
            Ok(ExitCode::SUCCESS)
        }
        Action::Explain { id } => explain(store, &id),
        Action::Relink => {
            let l = link_store(store, true)?;
            if !g.quiet {
                eprintln!("marsad: {}", summary(&l));
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// The id of the incident a split makes: that of its earliest event, as if it had opened it.
fn split_id(store: &dyn Store, events: &[String]) -> anyhow::Result<String> {
    let mut first: Option<(i64, String)> = None;
    store.for_each_link_row(&mut |row| {
        if first.is_none() {
            if let Ok(ev) = serde_json::from_str::<serde_json::Value>(&row.event) {
                if let Some(id) = ev.get("id").and_then(|v| v.as_str()) {
                    if events.iter().any(|e| e == id) {
                        first = Some((row.event_pk, id.to_string()));
                    }
                }
            }
        }
        Ok(())
    })?;
    let Some((_, seed)) = first else { anyhow::bail!("no stored event {}", events.join(", ")) };
    let taken = store.incident_ids()?;
    Ok((0u32..).map(|salt| incident_id(&seed, salt)).find(|id| !taken.contains(id)).expect("a free id"))
}

fn records(store: &dyn Store) -> anyhow::Result<Vec<IncidentRecord>> {
    let mut out = Vec::new();
    store.for_each_incident(&mut |rec| {
        out.push(serde_json::from_str(&rec)?);
        Ok(())
    })?;
    Ok(out)
}

fn place(r: &IncidentRecord) -> String {
    match &r.location {
        Some(l) => format!(
            "{} ({})",
            l.name_ar.as_deref().unwrap_or(l.text.as_str()),
            l.admin1.as_deref().unwrap_or("?")
        ),
        None => "-".into(),
    }
}

fn date(r: &IncidentRecord) -> String {
    match (&r.date.from, &r.date.to) {
        (Some(a), Some(b)) if a == b => a.clone(),
        (Some(a), Some(b)) => format!("{a}..{b}"),
        (None, Some(b)) => format!("<={b}"),
        _ => "unknown".into(),
    }
}

fn killed(r: &IncidentRecord) -> String {
    let n = |v: Option<u64>| v.map_or("?".to_string(), |v| v.to_string());
    r.counts.get("killed").map_or(String::new(), |k| format!("killed {}/{}/{}", n(k.low), n(k.best), n(k.high)))
}

fn list(store: &dyn Store, min_sources: usize) -> anyhow::Result<ExitCode> {
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    use std::io::Write;
    for r in records(store)?.iter().filter(|r| r.sources.len() >= min_sources) {
        writeln!(
            out,
            "{}\t{}\t{}\t{}\t{}, {}\t{}",
            r.id,
            date(r),
            r.event_type,
            place(r),
            n(r.events.len(), "event"),
            n(r.sources.len(), "source"),
            killed(r)
        )?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn explain(store: &dyn Store, id: &str) -> anyhow::Result<ExitCode> {
    let Some(found) = store.incident(id)? else { anyhow::bail!("no incident {id}") };
    let Some(rec) = found.record.as_deref() else { anyhow::bail!("incident {id} has no events any more") };
    let r: IncidentRecord = serde_json::from_str(rec).context("stored incident record")?;
    if found.id != found.asked {
        println!("{} was merged into {}", found.asked, found.id);
    }
    println!(
        "{}: {} on {} at {}, {} from {}",
        r.id,
        r.event_type,
        date(&r),
        place(&r),
        n(r.events.len(), "event"),
        n(r.sources.len(), "source")
    );
    // The member events, for their outlets and figures.
    let wanted: HashSet<&str> = r.events.iter().map(String::as_str).collect();
    let mut members: Vec<(EventRecord, Option<String>, Option<String>)> = Vec::new();
    store.for_each_link_row(&mut |row| {
        if let Ok(ev) = serde_json::from_str::<EventRecord>(&row.event) {
            if wanted.contains(ev.id.as_str()) {
                members.push((ev, row.outlet, row.published));
            }
        }
        Ok(())
    })?;
    println!("\nevents (how each joined):");
    for l in &r.links {
        let (outlet, published) = members
            .iter()
            .find(|(e, _, _)| e.id == l.event)
            .map(|(_, o, p)| (o.clone().unwrap_or_default(), p.clone().unwrap_or_else(|| "undated".into())))
            .unwrap_or_default();
        let head = match (&l.rule, &l.to) {
            (Some(rule), Some(to)) => format!("{} by {rule} with {to}, score {:.2}", l.how, l.score),
            _ => l.how.clone(),
        };
        println!("  {} [{outlet}, {published}]: {head}", l.event);
        for s in &l.signals {
            println!("      {:<13}{:+.2}  {}", s.signal, s.score, s.detail);
        }
        if let Some(note) = &l.note {
            println!("      note: {note}");
        }
    }
    if !r.counts.is_empty() {
        println!(
            "\ncounts (one report per document, its largest figure; low = smallest credible report, \
             leaving out 'up to'; high = largest; best = the most recent report among those placed most precisely):"
        );
        for (role, c) in &r.counts {
            let n = |v: Option<u64>| v.map_or("?".to_string(), |v| v.to_string());
            let reports: Vec<String> = members
                .iter()
                .filter_map(|(e, _, p)| {
                    let k = e.counts.get(role)?;
                    let q = serde_json::to_value(k.qualifier).ok()?.as_str().unwrap_or("").to_string();
                    Some(format!("{} {} {q} ({})", e.doc, n(k.value), p.as_deref().unwrap_or("undated")))
                })
                .collect();
            println!(
                "  {role}: low {}, best {} (from {}), high {}; reports: {}",
                n(c.low),
                n(c.best),
                c.best_doc.as_deref().unwrap_or("-"),
                n(c.high),
                reports.join("; ")
            );
        }
    }
    let actions = store.incident_actions(&r.id)?;
    if !actions.is_empty() {
        println!("\nusers' changes (kept on every later run):");
        for a in actions {
            match a.action.as_str() {
                "merge" => println!("  {} merge: {} into {}", a.at, a.other, a.incident),
                _ => println!("  {} split: {} out of {} into {}", a.at, a.events.join(", "), a.incident, a.other),
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;
    use marsad_model::*;
    use marsad_store::{Ingested, SqliteStore};
    use std::collections::BTreeMap;

    fn doc_output(doc: &str, published: &str, day: &str, place: (&str, f64, f64), killed: u64) -> DocOutput {
        let mut counts = BTreeMap::new();
        counts.insert("killed".to_string(), Count { value: Some(killed), qualifier: Qualifier::Exact });
        let actor = |a: &str| vec![ActorRef { actor: a.into(), text: a.into(), suspected: false }];
        DocOutput {
            doc: DocRecord {
                kind: "doc".into(),
                doc: doc.into(),
                title: None,
                outlet: Some(format!("outlet {doc}")),
                byline: None,
                url: None,
                published: Some(Published { date: published.into(), precision: DatePrecision::Day, text: None }),
                boilerplate: vec![],
                language: "ar".into(),
                encoding: "UTF-8".into(),
                text: None,
            },
            events: vec![EventRecord {
                kind: "event".into(),
                id: format!("ev-{doc}-1"),
                doc: doc.into(),
                event_type: "armed_attack".into(),
                date: EventDate { from: Some(day.into()), to: Some(day.into()), precision: DatePrecision::Day, text: None },
                location: Some(Location {
                    text: place.0.into(),
                    place_id: Some(place.0.into()),
                    name_ar: Some(place.0.into()),
                    name_en: None,
                    admin1: Some("SY09".into()),
                    admin1_name: None,
                    admin2: None,
                    lat: Some(place.1),
                    lon: Some(place.2),
                    precision: "place".into(),
                    country: Some("SY".into()),
                }),
                perpetrators: actor("ISIS"),
                targets: actor("SDF"),
                counts,
                claimed_by: None,
                reported_by: vec![],
                persons: vec![],
                evidence: vec![],
                confidence: 0.5,
            }],
            tallies: vec![],
        }
    }

    fn put(store: &mut SqliteStore, o: DocOutput) {
        let id = o.doc.doc.clone();
        store.write_batch(&[Ingested::new(&id, format!("{id}.txt"), format!("text of {id}"), "UTF-8", Ok(o))]).unwrap();
    }

    const TOWN: (&str, f64, f64) = ("P1", 35.15, 40.42);
    const OTHER: (&str, f64, f64) = ("P2", 35.02, 40.49);

    fn ids(store: &dyn Store) -> Vec<(String, Vec<String>)> {
        records(store).unwrap().into_iter().map(|r| (r.id, r.events)).collect()
    }

    #[test]
    fn runs_link_new_reports_keep_ids_and_users_changes() {
        let mut store = SqliteStore::open_in_memory().unwrap();
        put(&mut store, doc_output("a", "2024-02-13", "2024-02-13", TOWN, 5));
        let l = link_store(&mut store, false).unwrap();
        assert_eq!((l.placed, l.store.created), (1, 1));
        let first = ids(&store);
        let id = first[0].0.clone();
        assert_eq!(id, incident_id("ev-a-1", 0));

        // Two more reports: one of the same attack, one of another town.
        put(&mut store, doc_output("b", "2024-02-14", "2024-02-13", TOWN, 7));
        put(&mut store, doc_output("c", "2024-02-14", "2024-02-13", OTHER, 2));
        let l = link_store(&mut store, false).unwrap();
        assert_eq!((l.placed, l.joined, l.store.created, l.store.updated), (2, 1, 1, 1));
        let now = ids(&store);
        assert_eq!(now[0], (id.clone(), vec!["ev-a-1".to_string(), "ev-b-1".to_string()]));
        let other = now[1].0.clone();

        // Running again adds nothing.
        assert!(!store.incidents_pending().unwrap());
        let l = link_store(&mut store, false).unwrap();
        assert_eq!((l.placed, l.store.created, l.store.updated, l.store.unchanged), (0, 0, 0, 2));

        // A user merges the other town's report in; it stays merged on re-runs and re-links.
        store.merge_incidents(&id, &other).unwrap();
        link_store(&mut store, false).unwrap();
        for relink in [false, true] {
            link_store(&mut store, relink).unwrap();
            let merged = ids(&store);
            assert_eq!(merged.len(), 1, "{merged:?}");
            assert_eq!(merged[0].1.len(), 3);
        }
        let rec = &records(&store).unwrap()[0];
        assert_eq!(rec.counts["killed"].low, Some(2));
        assert_eq!(rec.counts["killed"].high, Some(7));

        // A user splits it off again; a new report of that town joins the split incident.
        let new_id = split_id(&store, &["ev-c-1".to_string()]).unwrap();
        assert_ne!(new_id, id);
        store.split_incident(&id, &["ev-c-1".to_string()], &new_id).unwrap();
        link_store(&mut store, true).unwrap();
        put(&mut store, doc_output("d", "2024-02-15", "2024-02-13", OTHER, 3));
        link_store(&mut store, false).unwrap();
        let after = ids(&store);
        assert_eq!(after.len(), 2, "{after:?}");
        assert!(after.contains(&(id.clone(), vec!["ev-a-1".into(), "ev-b-1".into()])), "{after:?}");
        assert!(after.contains(&(new_id.clone(), vec!["ev-c-1".into(), "ev-d-1".into()])), "{after:?}");
        // The merged id still leads somewhere.
        assert_eq!(store.incident(&other).unwrap().unwrap().id, id);
    }

    #[test]
    fn a_later_report_that_fits_two_stored_incidents_merges_them_and_the_old_id_leads_on() {
        let mut store = SqliteStore::open_in_memory().unwrap();
        const PRISON: (&str, f64, f64) = ("PRISON", 35.186, 40.42);
        let undated = |mut o: DocOutput, ty: &str| {
            o.events[0].date = EventDate::unknown();
            o.events[0].event_type = ty.into();
            o.events[0].counts.clear();
            o
        };
        put(&mut store, doc_output("a", "2024-02-13", "2024-02-13", TOWN, 5));
        put(&mut store, undated(doc_output("u", "2024-02-13", "2024-02-13", PRISON, 5), "bombing"));
        link_store(&mut store, false).unwrap();
        let before = ids(&store);
        assert_eq!(before.len(), 2, "{before:?}");
        put(&mut store, undated(doc_output("c", "2024-02-13", "2024-02-13", PRISON, 5), "armed_attack"));
        let l = link_store(&mut store, false).unwrap();
        assert_eq!(l.store.merged, 1);
        let after = ids(&store);
        assert_eq!(after, [(before[0].0.clone(), vec!["ev-a-1".into(), "ev-u-1".into(), "ev-c-1".into()])]);
        let old = store.incident(&before[1].0).unwrap().unwrap();
        assert_eq!((old.status.as_str(), old.id.as_str()), ("merged", before[0].0.as_str()));
        assert!(!store.incidents_pending().unwrap());
    }

    #[test]
    fn a_document_stored_again_with_new_text_keeps_its_incident_id() {
        let mut store = SqliteStore::open_in_memory().unwrap();
        put(&mut store, doc_output("a", "2024-02-13", "2024-02-13", TOWN, 5));
        link_store(&mut store, false).unwrap();
        let before = ids(&store);
        let o = doc_output("a", "2024-02-13", "2024-02-13", TOWN, 6);
        store.write_batch(&[Ingested::new("a", "a.txt", "corrected text of a", "UTF-8", Ok(o))]).unwrap();
        assert!(store.incidents_pending().unwrap());
        let l = link_store(&mut store, false).unwrap();
        assert_eq!(l.placed, 1);
        assert_eq!(ids(&store), before);
        assert_eq!(records(&store).unwrap()[0].counts["killed"].best, Some(6));
    }

    /// The linking as it was before link keys, kept as the reference the incremental linking
    /// must equal: every stored event read and parsed, linked, every record built and compared.
    fn link_store_full(store: &mut dyn Store, relink: bool) -> Linked {
        use marsad_incidents::{link_records, StoredEvent};
        let mut items: Vec<StoredEvent> = Vec::new();
        let mut pks: Vec<i64> = Vec::new();
        store
            .for_each_link_row(&mut |row| {
                let mut record: EventRecord = serde_json::from_str(&row.event).expect("stored event");
                record.evidence = Vec::new();
                let link: Option<IncidentLink> = row.link.as_deref().and_then(|l| serde_json::from_str(l).ok());
                items.push(StoredEvent {
                    record,
                    outlet: row.outlet,
                    published: row.published,
                    seq: row.event_pk as u64,
                    prior: row.incident.map(|incident| Prior { incident, manual: row.manual }),
                    link,
                });
                pks.push(row.event_pk);
                Ok(())
            })
            .expect("rows");
        let taken = store.incident_ids().expect("ids");
        let out = link_records(&items, &taken, Options { relink });
        let mut members = Vec::new();
        let mut joined = 0;
        for (i, link) in out.linked.links.iter().enumerate() {
            let Some(link) = link else { continue };
            if link.how == "auto" {
                joined += 1;
            }
            let incident = &out.linked.incidents[out.linked.incident_of[i]];
            members.push(MemberWrite { event_pk: pks[i], incident: incident.id.clone(), manual: false, link: (**link).clone() });
        }
        let report = store.save_incidents(&out.records, &members, &out.linked.merged).expect("save");
        Linked { placed: members.len(), joined, store: report, ..Linked::default() }
    }

    /// splitmix64: a small deterministic generator.
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut z = self.0;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            z ^ (z >> 31)
        }
        fn below(&mut self, n: u64) -> u64 {
            self.next() % n
        }
        fn pick<'a, T>(&mut self, list: &'a [T]) -> &'a T {
            &list[self.below(list.len() as u64) as usize]
        }
    }

    /// Invented places in three governorates: some a few km apart, one district-level entry.
    const TOWNS: [(&str, &str, f64, f64); 6] = [
        ("P1", "SY09", 35.15, 40.42),
        ("P2", "SY09", 35.17, 40.45),
        ("P3", "SY09", 35.40, 40.10),
        ("P4", "SY08", 36.47, 40.74),
        ("P5", "SY08", 36.49, 40.77),
        ("P6", "SY02", 36.20, 37.15),
    ];

    fn day(n: u64) -> String {
        marsad_incidents::day::format(marsad_incidents::day::from_civil(2024, 3, 1) + n as i32)
    }

    /// `docs` invented documents of 1 to 3 reports each, over `days` days: several outlets
    /// telling the same attacks with other types, a day off, other tolls, no perpetrator, only
    /// the governorate, or no date; `undated` allows loose and unknown dates.
    fn corpus(docs: usize, days: u64, undated: bool, seed: u64) -> Vec<DocOutput> {
        let mut rng = Rng(seed);
        let types = ["armed_attack", "bombing", "ambush", "shelling", "arrest", "armed_clash", "abduction"];
        let actors = ["ISIS", "SDF", "SYRIAN_GOV", "UNKNOWN"];
        (0..docs)
            .map(|d| {
                let doc = format!("d{seed}-{d:04}");
                let published = rng.below(days) + 1;
                let n = 1 + rng.below(3) as usize;
                let events = (1..=n)
                    .map(|k| {
                        let (place, admin1, lat, lon) = *rng.pick(&TOWNS);
                        let on = published - rng.below(2);
                        let date = match rng.below(if undated { 10 } else { 8 }) {
                            0..=5 => EventDate { from: Some(day(on)), to: Some(day(on)), precision: DatePrecision::Day, text: None },
                            6 | 7 => EventDate {
                                from: Some(day(on.saturating_sub(1))),
                                to: Some(day(on)),
                                precision: DatePrecision::Range,
                                text: None,
                            },
                            8 => EventDate { from: None, to: Some(day(published)), precision: DatePrecision::OnOrBefore, text: None },
                            _ => EventDate::unknown(),
                        };
                        let coarse = rng.below(10) == 0;
                        let location = Location {
                            text: place.into(),
                            place_id: (!coarse).then(|| place.to_string()),
                            name_ar: (!coarse).then(|| place.to_string()),
                            name_en: None,
                            admin1: Some(admin1.into()),
                            admin1_name: None,
                            admin2: None,
                            lat: (!coarse).then_some(lat),
                            lon: (!coarse).then_some(lon),
                            precision: if coarse { "admin1".into() } else { "place".into() },
                            country: Some("SY".into()),
                        };
                        let side = |rng: &mut Rng| match rng.below(5) {
                            4 => vec![],
                            _ => {
                                let a = *rng.pick(&actors);
                                vec![ActorRef { actor: a.into(), text: a.into(), suspected: rng.below(6) == 0 }]
                            }
                        };
                        let mut counts = BTreeMap::new();
                        if rng.below(3) > 0 {
                            counts.insert("killed".to_string(), Count { value: Some(rng.below(9)), qualifier: Qualifier::Exact });
                        }
                        EventRecord {
                            kind: "event".into(),
                            id: format!("ev-{doc}-{k}"),
                            doc: doc.clone(),
                            event_type: (*rng.pick(&types)).into(),
                            date,
                            location: Some(location),
                            perpetrators: side(&mut rng),
                            targets: side(&mut rng),
                            counts,
                            claimed_by: None,
                            reported_by: vec![],
                            persons: vec![],
                            evidence: vec![],
                            confidence: 0.5,
                        }
                    })
                    .collect();
                let mut o = doc_output(&doc, &day(published), &day(published), TOWN, 0);
                o.doc.outlet = Some(format!("outlet {}", rng.below(7)));
                o.events = events;
                o
            })
            .collect()
    }

    fn store_all(store: &mut SqliteStore, docs: &[DocOutput]) {
        let batch: Vec<Ingested> = docs
            .iter()
            .map(|o| Ingested::new(&o.doc.doc, format!("{}.txt", o.doc.doc), format!("text of {}", o.doc.doc), "UTF-8", Ok(o.clone())))
            .collect();
        store.write_batch(&batch).expect("write");
    }

    /// Everything linking decided: every incident id and what it is (live with its record,
    /// merged into, empty), and each event's incident and explanation.
    type Snapshot = (Vec<(String, String, Option<String>)>, Vec<(i64, Option<String>, bool, Option<String>)>);

    fn snapshot(store: &dyn Store) -> Snapshot {
        let mut ids: Vec<String> = store.incident_ids().expect("ids").into_iter().collect();
        ids.sort();
        let incidents = ids
            .into_iter()
            .map(|id| {
                let found = store.incident(&id).expect("incident").expect("known id");
                (id, found.id, found.record)
            })
            .collect();
        let mut rows = Vec::new();
        store
            .for_each_link_row(&mut |r| {
                rows.push((r.event_pk, r.incident, r.manual, r.link));
                Ok(())
            })
            .expect("rows");
        (incidents, rows)
    }

    /// The first difference between two snapshots, for a readable failure.
    fn first_difference(a: &Snapshot, b: &Snapshot) -> Option<String> {
        for (x, y) in a.0.iter().zip(&b.0) {
            if x != y {
                return Some(format!("incident\n  {x:?}\nvs\n  {y:?}"));
            }
        }
        for (x, y) in a.1.iter().zip(&b.1) {
            if x != y {
                return Some(format!("event row\n  {x:?}\nvs\n  {y:?}"));
            }
        }
        (a.0.len() != b.0.len() || a.1.len() != b.1.len())
            .then(|| format!("{} / {} incidents, {} / {} rows", a.0.len(), b.0.len(), a.1.len(), b.1.len()))
    }

    fn assert_same(a: &dyn Store, b: &dyn Store, when: &str) {
        let (x, y) = (snapshot(a), snapshot(b));
        if let Some(d) = first_difference(&x, &y) {
            panic!("{when}: {d}");
        }
    }

    #[test]
    fn incremental_linking_gives_what_linking_the_whole_store_gives() {
        let docs = corpus(240, 20, true, 7);
        let mut inc = SqliteStore::open_in_memory().unwrap();
        let mut full = SqliteStore::open_in_memory().unwrap();
        for (run, batch) in docs.chunks(80).enumerate() {
            store_all(&mut inc, batch);
            store_all(&mut full, batch);
            if run == 2 {
                // A document stored again with other text: its events go, the new ones come.
                let mut o = docs[3].clone();
                for e in &mut o.events {
                    e.counts.insert("killed".into(), Count { value: Some(40), qualifier: Qualifier::AtLeast });
                }
                for store in [&mut inc, &mut full] {
                    store.write_batch(&[Ingested::new(&o.doc.doc, "again.txt", "corrected text", "UTF-8", Ok(o.clone()))]).unwrap();
                }
            }
            let a = link_store(&mut inc, false).unwrap();
            let b = link_store_full(&mut full, false);
            // (The reference counts the events that moved with a merge as placed.)
            assert_eq!(a.joined, b.joined, "run {run}");
            assert_eq!((a.store.created, a.store.merged, a.store.emptied), (b.store.created, b.store.merged, b.store.emptied));
            assert_same(&inc, &full, &format!("after run {run}"));
            if run == 0 {
                assert_eq!(a.read, 0, "the first run reads no stored incident");
            } else {
                assert!(a.read > 0, "run {run} links against stored incidents");
            }
            if run == 1 {
                // A user's merge and split, done alike in both.
                let (live, _) = snapshot(&inc);
                let live: Vec<&(String, String, Option<String>)> = live.iter().filter(|(id, at, r)| id == at && r.is_some()).collect();
                let (a_id, b_id) = (live[0].0.clone(), live[1].0.clone());
                let big = records(&inc).unwrap().into_iter().find(|r| r.events.len() >= 2 && r.id != a_id && r.id != b_id).expect("an incident of two");
                let moved = vec![big.events[big.events.len() - 1].clone()];
                let new_id = split_id(&inc, &moved).unwrap();
                for store in [&mut inc, &mut full] {
                    store.merge_incidents(&a_id, &b_id).unwrap();
                    store.split_incident(&big.id, &moved, &new_id).unwrap();
                }
                let a = link_store(&mut inc, false).unwrap();
                link_store_full(&mut full, false);
                assert_eq!(a.placed, 0);
                assert_same(&inc, &full, "after the user's merge and split");
            }
        }
        assert!(docs.iter().flat_map(|o| &o.events).any(|e| e.date.precision == DatePrecision::Unknown));
        let merged = snapshot(&inc).0.iter().filter(|(id, at, _)| id != at).count();
        assert!(merged >= 1, "the user's merge at least");
        // A full re-link, too.
        link_store(&mut inc, true).unwrap();
        link_store_full(&mut full, true);
        assert_same(&inc, &full, "after a full re-link");
    }

    #[test]
    fn a_corpus_linked_in_one_run_or_in_three_gives_the_same_incidents_and_ids() {
        // Dated reports: placed in stored order, in one run as in three. (A report without a
        // sharp date is placed after the dated ones of its run, so one that arrives before the
        // dated reports of its incident opens the incident when it comes in a run of its own,
        // and joins it when it comes with them: the linker's rule, with or without link keys.)
        let docs = corpus(300, 12, false, 11);
        let mut one = SqliteStore::open_in_memory().unwrap();
        store_all(&mut one, &docs);
        let l = link_store(&mut one, false).unwrap();
        assert!(l.joined > 100, "{l:?}");
        let mut three = SqliteStore::open_in_memory().unwrap();
        for batch in docs.chunks(100) {
            store_all(&mut three, batch);
            link_store(&mut three, false).unwrap();
        }
        // The same incidents under the same ids, each event in the same one. (The explanations
        // of events whose incident a later run merged into another say so; an incident opened
        // and merged within one run leaves no id behind.)
        let placement = |store: &dyn Store| {
            let mut rows = Vec::new();
            store
                .for_each_link_row(&mut |r| {
                    rows.push((r.event_pk, r.incident));
                    Ok(())
                })
                .unwrap();
            let mut incidents = ids(store);
            // (Listed in the order they were stored.)
            incidents.sort();
            (incidents, rows)
        };
        assert_eq!(placement(&one), placement(&three));
    }

    #[test]
    fn a_later_run_reads_only_the_incidents_in_the_blocks_of_its_events() {
        let mut store = SqliteStore::open_in_memory().unwrap();
        let march = corpus(200, 20, true, 3);
        store_all(&mut store, &march);
        link_store(&mut store, false).unwrap();
        let stored = store.stats().unwrap().events as usize;
        // Reports of one town on one day: only the incidents of that town and its days.
        let mut later = corpus(3, 1, false, 5);
        for o in &mut later {
            for e in &mut o.events {
                e.date = EventDate { from: Some(day(10)), to: Some(day(10)), precision: DatePrecision::Day, text: None };
                e.location = march[0].events[0].location.clone();
            }
        }
        store_all(&mut store, &later);
        let l = link_store(&mut store, false).unwrap();
        assert_eq!(l.placed, later.iter().map(|o| o.events.len()).sum::<usize>());
        assert!(l.read > 0 && l.read < stored / 4, "read {} of {stored}", l.read);
        // Nothing new: nothing read.
        let l = link_store(&mut store, false).unwrap();
        assert_eq!((l.placed, l.read, l.rounds), (0, 0, 0));
    }

    #[test]
    fn a_run_linked_in_rounds_gives_what_as_many_runs_give() {
        let docs = corpus(200, 15, true, 13);
        let mut rounds = SqliteStore::open_in_memory().unwrap();
        store_all(&mut rounds, &docs);
        let l = link_in_rounds(&mut rounds, 60).unwrap();
        assert!(l.rounds >= 5, "{l:?}");
        // The same documents stored by runs that end where the rounds do.
        let mut runs = SqliteStore::open_in_memory().unwrap();
        let mut start = 0;
        while start < docs.len() {
            let mut end = start;
            let mut events = 0;
            while end < docs.len() && events < 60 {
                events += docs[end].events.len();
                end += 1;
            }
            store_all(&mut runs, &docs[start..end]);
            link_store(&mut runs, false).unwrap();
            start = end;
        }
        assert_same(&rounds, &runs, "rounds against runs");
        assert!(!rounds.incidents_pending().unwrap());
    }

    #[test]
    fn records_built_on_several_connections_are_those_built_on_one() {
        // A file store builds records on read-only connections besides its own (when the
        // machine has more than one core); an in-memory store on its own only.
        let docs = corpus(400, 25, true, 17);
        let dir = tempfile::tempdir().unwrap();
        let mut file = SqliteStore::open(&dir.path().join("i.db")).unwrap();
        let mut memory = SqliteStore::open_in_memory().unwrap();
        for batch in docs.chunks(150) {
            store_all(&mut file, batch);
            store_all(&mut memory, batch);
            let (a, b) = (link_store(&mut file, false).unwrap(), link_store(&mut memory, false).unwrap());
            assert_eq!((a.placed, a.store), (b.placed, b.store));
        }
        assert!(records(&file).unwrap().len() > 64);
        assert_same(&file, &memory, "file against memory");
        link_store(&mut file, true).unwrap();
        link_store(&mut memory, true).unwrap();
        assert_same(&file, &memory, "file against memory, re-linked");
    }

    #[test]
    fn run_links_in_rounds_while_storing_as_linking_after_it_does() {
        // `marsad run`: full rounds while storing, the rest after;
        // the same as storing everything, then the same rounds.
        let docs = corpus(300, 20, true, 19);
        let mut along = SqliteStore::open_in_memory().unwrap();
        let mut after = SqliteStore::open_in_memory().unwrap();
        let mut linked = Linked::default();
        let mut unlinked = 0;
        for batch in docs.chunks(37) {
            store_all(&mut along, batch);
            unlinked += batch.iter().map(|o| o.events.len()).sum::<usize>();
            if unlinked >= 90 {
                let (l, left) = link_full_rounds(&mut along, 90).unwrap();
                assert!(left.len() < 90);
                linked.add(l);
                unlinked = left.len();
            }
        }
        assert!(linked.rounds >= 3, "{linked:?}");
        let g = Globals { gazetteer: None, quiet: true };
        let total = finish_linking(&g, &mut along, linked).unwrap();
        store_all(&mut after, &docs);
        let (mut rounds, _) = link_full_rounds(&mut after, 90).unwrap();
        rounds.add(link_store(&mut after, false).unwrap());
        assert_eq!((total.placed, total.rounds), (rounds.placed, rounds.rounds));
        assert_same(&along, &after, "along against after");
        assert!(!along.incidents_pending().unwrap());
    }
}
