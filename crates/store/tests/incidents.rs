//! Incidents in the store: rows for linking, saving records and membership, export, ids that
//! are never reused, replaced documents, and the users' merges and splits.

use marsad_model::*;
use marsad_store::export::{export, Format};
use marsad_store::{Ingested, MemberWrite, SqliteStore, Store, StoreError};
use std::collections::BTreeMap;

fn doc(id: &str, outlet: &str, published: &str) -> DocRecord {
    DocRecord {
        kind: "doc".into(),
        doc: id.into(),
        title: None,
        outlet: Some(outlet.into()),
        byline: None,
        url: None,
        published: Some(Published { date: published.into(), precision: DatePrecision::Day, text: None }),
        boilerplate: vec![],
        language: "ar".into(),
        encoding: "UTF-8".into(),
        text: None,
    }
}

fn event(doc: &str, n: usize) -> EventRecord {
    EventRecord {
        kind: "event".into(),
        id: format!("ev-{doc}-{n}"),
        doc: doc.into(),
        event_type: "armed_attack".into(),
        date: EventDate { from: Some("2024-02-13".into()), to: Some("2024-02-13".into()), precision: DatePrecision::Day, text: None },
        location: None,
        perpetrators: vec![],
        targets: vec![],
        counts: BTreeMap::new(),
        claimed_by: None,
        reported_by: vec![],
        persons: vec![],
        evidence: vec![],
        confidence: 0.5,
    }
}

fn ingested(id: &str, text: &str, events: usize) -> Ingested {
    let out = DocOutput {
        doc: doc(id, &format!("outlet {id}"), "2024-02-14"),
        events: (1..=events).map(|n| event(id, n)).collect(),
        tallies: vec![],
    };
    Ingested::new(id, format!("{id}.txt"), text, "UTF-8", Ok(out))
}

fn record(id: &str, events: &[&str]) -> IncidentRecord {
    IncidentRecord {
        kind: "incident".into(),
        id: id.into(),
        event_type: "armed_attack".into(),
        date: EventDate { from: Some("2024-02-13".into()), to: Some("2024-02-13".into()), precision: DatePrecision::Day, text: None },
        location: None,
        perpetrators: vec![],
        targets: vec![],
        counts: BTreeMap::new(),
        events: events.iter().map(|e| e.to_string()).collect(),
        sources: vec![],
        links: vec![],
    }
}

fn link(event: &str, how: &str) -> IncidentLink {
    IncidentLink {
        event: event.into(),
        how: how.into(),
        to: None,
        rule: None,
        score: 0.0,
        signals: vec![],
        note: None,
    }
}

fn rows(store: &dyn Store) -> Vec<marsad_store::LinkRow> {
    let mut v = Vec::new();
    store
        .for_each_link_row(&mut |r| {
            v.push(r);
            Ok(())
        })
        .expect("rows");
    v
}

/// Stores a: 2 events, b: 1 event, all in incident in-1 (a-1 seed), except a-2 in in-2.
fn linked_store() -> SqliteStore {
    let mut store = SqliteStore::open_in_memory().expect("open");
    store.write_batch(&[ingested("a", "نص أ", 2), ingested("b", "نص ب", 1)]).expect("write");
    let r = rows(&store);
    let members = vec![
        MemberWrite { event_pk: r[0].event_pk, incident: "in-1".into(), manual: false, link: link("ev-a-1", "seed") },
        MemberWrite { event_pk: r[1].event_pk, incident: "in-2".into(), manual: false, link: link("ev-a-2", "seed") },
        MemberWrite { event_pk: r[2].event_pk, incident: "in-1".into(), manual: false, link: link("ev-b-1", "auto") },
    ];
    let rep = store
        .save_incidents(&[record("in-1", &["ev-a-1", "ev-b-1"]), record("in-2", &["ev-a-2"])], &members, &[])
        .expect("save");
    assert_eq!((rep.created, rep.members, rep.emptied), (2, 3, 0));
    store
}

#[test]
fn link_rows_carry_the_documents_outlet_date_and_incident() {
    let mut store = linked_store();
    assert!(!store.incidents_pending().expect("pending"), "every event is linked");
    store.write_batch(&[ingested("c", "نص ج", 1)]).expect("write");
    assert!(store.incidents_pending().expect("pending"), "c's event is not");
    let r = rows(&store);
    assert_eq!(r.len(), 4);
    assert_eq!(r[0].outlet.as_deref(), Some("outlet a"));
    assert_eq!(r[0].published.as_deref(), Some("2024-02-14"));
    assert_eq!(r[2].incident.as_deref(), Some("in-1"));
    assert!(!r[2].manual);
    let l: IncidentLink = serde_json::from_str(r[2].link.as_deref().expect("link")).expect("link json");
    assert_eq!(l.how, "auto");
    assert!(r.windows(2).all(|w| w[0].event_pk < w[1].event_pk), "stored order");
    let ev: EventRecord = serde_json::from_str(&r[0].event).expect("event json");
    assert_eq!(ev.id, "ev-a-1");
}

#[test]
fn export_ends_with_the_incidents_and_saving_again_changes_nothing() {
    let mut store = linked_store();
    let mut buf = Vec::new();
    let summary = export(&store, Format::Jsonl, &mut buf).expect("export");
    assert_eq!(summary.incidents, 2);
    let lines: Vec<serde_json::Value> =
        String::from_utf8(buf).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let kinds: Vec<&str> = lines.iter().map(|l| l["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["doc", "event", "event", "doc", "event", "incident", "incident"]);
    assert_eq!(lines[5]["id"], "in-1");
    assert_eq!(lines[5]["events"], serde_json::json!(["ev-a-1", "ev-b-1"]));

    let rep = store.save_incidents(&[record("in-1", &["ev-a-1", "ev-b-1"]), record("in-2", &["ev-a-2"])], &[], &[]).expect("again");
    assert_eq!((rep.created, rep.updated, rep.unchanged), (0, 0, 2));
    let ids = store.incident_ids().expect("ids");
    assert!(ids.contains("in-1") && ids.contains("in-2"));
    assert_eq!(store.stats().expect("stats").schema_version, marsad_store::sqlite::latest_version());
}

#[test]
fn a_replaced_document_takes_its_events_out_and_ids_are_kept() {
    let mut store = linked_store();
    // a gets new text: its events go, and their membership with them.
    store.write_batch(&[ingested("a", "نص أ، نسخة ثانية", 0)]).expect("replace");
    assert!(store.incidents_pending().expect("pending"), "in-1's record lists an event that went");
    store.write_batch(&[ingested("a", "نص أ، نسخة ثالثة", 1)]).expect("replace again");
    let r = rows(&store);
    assert_eq!(r.len(), 2);
    let new_a = r.iter().find(|x| x.event.contains("ev-a-1")).expect("new a");
    assert_eq!(new_a.incident, None, "a new event is not linked yet");
    // Linking saves in-1 with b only; in-2 lost its only event.
    let rep = store.save_incidents(&[record("in-1", &["ev-b-1"])], &[], &[]).expect("save");
    assert_eq!((rep.updated, rep.emptied), (1, 1));
    let gone = store.incident("in-2").expect("find").expect("still known");
    assert_eq!((gone.status.as_str(), gone.record), ("empty", None));
    assert!(!store.incident_ids().expect("ids").contains("in-2"), "free for the same event to open again");
    // It comes back live when linking gives it a record again.
    let r = rows(&store);
    let members = vec![MemberWrite { event_pk: r[1].event_pk, incident: "in-2".into(), manual: false, link: link("ev-a-1", "seed") }];
    let rep = store.save_incidents(&[record("in-1", &["ev-b-1"]), record("in-2", &["ev-a-1"])], &members, &[]).expect("revive");
    assert_eq!((rep.updated, rep.emptied), (1, 0));
    assert_eq!(store.incident("in-2").expect("find").expect("known").status, "live");
    let mut n = 0;
    store
        .for_each_incident(&mut |_| {
            n += 1;
            Ok(())
        })
        .expect("incidents");
    assert_eq!(n, 2);
}

#[test]
fn merge_moves_and_pins_events_and_keeps_an_alias() {
    let mut store = linked_store();
    assert_eq!(store.merge_incidents("in-1", "in-2").expect("merge"), "in-1");
    let r = rows(&store);
    assert!(r.iter().all(|x| x.incident.as_deref() == Some("in-1") && x.manual), "{r:?}");
    let moved: IncidentLink = serde_json::from_str(r[1].link.as_deref().unwrap()).unwrap();
    assert_eq!(moved.how, "manual");
    assert!(moved.note.unwrap().contains("merged from in-2 into in-1"));
    let alias = store.incident("in-2").expect("find").expect("alias");
    assert_eq!((alias.asked.as_str(), alias.id.as_str(), alias.status.as_str()), ("in-2", "in-1", "merged"));
    assert!(matches!(store.merge_incidents("in-2", "in-1"), Err(StoreError::Incident(_))), "one incident already");
    assert!(matches!(store.merge_incidents("in-1", "in-9"), Err(StoreError::Incident(m)) if m.contains("no incident in-9")));
    let log = store.incident_actions("in-1").expect("log");
    assert_eq!((log[0].action.as_str(), log[0].other.as_str()), ("merge", "in-2"));
}

#[test]
fn split_moves_the_named_events_to_a_new_incident() {
    let mut store = linked_store();
    let err = |r: Result<String, StoreError>| match r {
        Err(StoreError::Incident(m)) => m,
        other => panic!("expected a refusal, got {other:?}"),
    };
    assert!(err(store.split_incident("in-1", &["ev-a-2".into()], "in-3")).contains("not in incident in-1"));
    assert!(err(store.split_incident("in-1", &["ev-a-1".into(), "ev-b-1".into()], "in-3")).contains("nothing would stay"));
    assert!(err(store.split_incident("in-1", &["ev-b-1".into()], "in-2")).contains("taken"));
    store.split_incident("in-1", &["ev-b-1".into()], "in-3").expect("split");
    let r = rows(&store);
    let of = |id: &str| r.iter().find(|x| x.event.contains(id)).unwrap();
    assert_eq!(of("ev-b-1").incident.as_deref(), Some("in-3"));
    assert_eq!(of("ev-a-1").incident.as_deref(), Some("in-1"));
    assert!(of("ev-a-1").manual && of("ev-b-1").manual);
    let log = store.incident_actions("in-3").expect("log");
    assert_eq!(log[0].events, ["ev-b-1"]);
}
