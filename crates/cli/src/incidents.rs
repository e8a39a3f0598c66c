//! `marsad incidents [list|show ID|merge A B|split ID EVENT…|explain ID|relink]`, and the
//! linking that follows `marsad run`: events of different documents that tell the same
//! happening become one incident (crates/incidents decides; the store keeps the result).

use crate::Globals;
use anyhow::Context;
use clap::Subcommand;
use marsad_incidents::{incident_id, link_records, Options, Prior, StoredEvent};
use marsad_model::{EventRecord, IncidentLink, IncidentRecord};
use marsad_store::{IncidentReport, MemberWrite, Store};
use std::collections::HashSet;
use std::path::Path;
use std::process::ExitCode;

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

/// What one linking did.
#[derive(Debug, Clone, Copy, Default)]
pub struct Linked {
    /// Events placed in this run (joined an incident or opened one).
    pub placed: usize,
    /// Of those, events that joined an incident another document opened.
    pub joined: usize,
    pub store: IncidentReport,
}

/// Links the stored events that have no incident yet (every automatic link with `relink`) and
/// stores the incidents.
pub fn link_store(store: &mut dyn Store, relink: bool) -> anyhow::Result<Linked> {
    let mut items: Vec<StoredEvent> = Vec::new();
    let mut pks: Vec<i64> = Vec::new();
    let mut bad = 0usize;
    store
        .for_each_link_row(&mut |row| {
            let mut record: EventRecord = match serde_json::from_str(&row.event) {
                Ok(r) => r,
                Err(e) => {
                    bad += 1;
                    tracing::warn!("stored event {} is not readable, left out of incidents: {e}", row.event_pk);
                    return Ok(());
                }
            };
            // Evidence is not needed to link: keep memory small on big stores.
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
        .context("reading the stored events")?;
    if bad > 0 {
        eprintln!("marsad: {bad} stored events could not be read and were left out of incidents");
    }
    let taken = store.incident_ids().context("reading the incident ids")?;
    let out = link_records(&items, &taken, Options { relink });
    let mut members = Vec::new();
    let mut joined = 0;
    for (i, link) in out.linked.links.iter().enumerate() {
        let Some(link) = link else { continue };
        if link.how == "auto" {
            joined += 1;
        }
        let incident = &out.linked.incidents[out.linked.incident_of[i]];
        members.push(MemberWrite { event_pk: pks[i], incident: incident.id.clone(), manual: false, link: link.clone() });
    }
    let report = store.save_incidents(&out.records, &members, &out.linked.merged).context("writing the incidents")?;
    Ok(Linked { placed: members.len(), joined, store: report })
}

/// The linking that follows `marsad run`: new events join incidents or open new ones.
pub fn after_run(g: &Globals, db: &str) -> anyhow::Result<()> {
    let mut store = marsad_store::open(db).with_context(|| format!("cannot open database {db}"))?;
    if !store.incidents_pending().context("reading the incidents")? {
        tracing::info!("incidents: up to date");
        return Ok(());
    }
    let l = link_store(store.as_mut(), false).context("linking incidents")?;
    if !g.quiet {
        eprintln!("marsad: {}", summary(&l));
    }
    Ok(())
}

/// "1 event", "2 events".
fn n(count: usize, what: &str) -> String {
    format!("{count} {what}{}", if count == 1 { "" } else { "s" })
}

fn summary(l: &Linked) -> String {
    let merged = if l.store.merged > 0 { format!(", {} merged into others", l.store.merged) } else { String::new() };
    format!(
        "incidents: {} placed ({} joined another report's incident), {} new, {} updated{merged}, {} left empty",
        n(l.placed, "event"),
        l.joined,
        l.store.created,
        l.store.updated,
        l.store.emptied
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
}

