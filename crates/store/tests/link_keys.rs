//! Link keys and incremental saving: keys written with the events and read back as computed,
//! pending events in stored order by whole documents, linked events found by day and by map
//! cell, `save_links` (created, updated, merged, emptied, stale), and keys given to a database
//! from before them.

use marsad_incidents::event::cell_of;
use marsad_incidents::LinkKey;
use marsad_model::*;
use marsad_store::{Ingested, LinkKeyRow, LinkWrite, MemberWrite, SqliteStore, Store};
use std::collections::BTreeMap;

fn day(n: i32) -> String {
    marsad_incidents::day::format(marsad_incidents::day::from_civil(2024, 3, 1) + n)
}

fn day_number(n: i32) -> i32 {
    marsad_incidents::day::from_civil(2024, 3, 1) + n
}

/// Event `n` of `doc`: on day `on` (`None`: no date), at a place of governorate SY09 near
/// (35.15 + `north`, 40.42), by ISIS against the SDF, with a toll.
fn event(doc: &str, n: usize, on: Option<i32>, north: f64, killed: u64) -> EventRecord {
    let mut counts = BTreeMap::new();
    counts.insert("killed".to_string(), Count { value: Some(killed), qualifier: Qualifier::AtLeast });
    counts.insert("injured".to_string(), Count { value: None, qualifier: Qualifier::Some });
    let actor = |a: &str, suspected| vec![ActorRef { actor: a.into(), text: format!("{a} text"), suspected }];
    EventRecord {
        kind: "event".into(),
        id: format!("ev-{doc}-{n}"),
        doc: doc.into(),
        event_type: "armed_attack".into(),
        date: match on {
            Some(d) => EventDate { from: Some(day(d)), to: Some(day(d)), precision: DatePrecision::Day, text: Some("أمس".into()) },
            None => EventDate::unknown(),
        },
        location: Some(Location {
            text: "قرية".into(),
            place_id: Some(format!("P{}", (north * 100.0) as i64)),
            name_ar: Some("قرية".into()),
            name_en: Some("Qarya".into()),
            admin1: Some("SY09".into()),
            admin1_name: None,
            admin2: Some("SY0900".into()),
            lat: Some(35.15 + north),
            lon: Some(40.42),
            precision: "place".into(),
            country: Some("SY".into()),
        }),
        perpetrators: actor("ISIS", true),
        targets: actor("SDF", false),
        counts,
        claimed_by: None,
        reported_by: vec![],
        persons: vec![],
        evidence: vec![Evidence { start: 0, end: 4, text: "نص".into() }],
        confidence: 0.5,
    }
}

fn ingested(doc: &str, events: Vec<EventRecord>) -> Ingested {
    let out = DocOutput {
        doc: DocRecord {
            kind: "doc".into(),
            doc: doc.into(),
            title: None,
            outlet: Some(format!("outlet {doc}")),
            byline: None,
            url: None,
            published: Some(Published { date: day(20), precision: DatePrecision::Day, text: None }),
            boilerplate: vec![],
            language: "ar".into(),
            encoding: "UTF-8".into(),
            text: None,
        },
        events,
        tallies: vec![],
    };
    Ingested::new(doc, format!("{doc}.txt"), format!("text of {doc}"), "UTF-8", Ok(out))
}

fn link(event: &str, how: &str) -> IncidentLink {
    IncidentLink { event: event.into(), how: how.into(), to: None, rule: None, score: 0.0, signals: vec![], note: None }
}

fn placed(row: &LinkKeyRow, incident: &str, how: &str) -> MemberWrite {
    MemberWrite { event_pk: row.event_pk, incident: incident.into(), manual: false, link: link(&row.event_id, how) }
}

/// a: 2 events (day 3, day 4), b: 1 event (undated, 20 km north), c: 1 event (day 3).
fn store() -> (SqliteStore, Vec<EventRecord>) {
    let mut store = SqliteStore::open_in_memory().expect("open");
    let events = vec![event("a", 1, Some(3), 0.0, 5), event("a", 2, Some(4), 0.0, 2), event("b", 1, None, 0.2, 7), event("c", 1, Some(3), 0.0, 5)];
    store
        .write_batch(&[
            ingested("a", events[..2].to_vec()),
            ingested("b", vec![events[2].clone()]),
            ingested("c", vec![events[3].clone()]),
        ])
        .expect("write");
    (store, events)
}

#[test]
fn keys_are_written_with_the_events_and_read_back_as_computed() {
    let (store, events) = store();
    let rows = store.pending_link_keys(100).expect("pending");
    assert_eq!(rows.len(), 4);
    for (row, ev) in rows.iter().zip(&events) {
        assert_eq!(row.key, LinkKey::of(ev), "{}", ev.id);
        assert_eq!(row.event_id, ev.id);
        assert!(row.incident.is_none());
    }
    assert!(rows.windows(2).all(|w| w[0].event_pk < w[1].event_pk), "stored order");
    assert_eq!(rows[0].doc_pk, rows[1].doc_pk);
    // A limit of one still gives the whole first document.
    let first = store.pending_link_keys(1).expect("pending");
    assert_eq!(first.iter().map(|r| r.event_id.as_str()).collect::<Vec<_>>(), ["ev-a-1", "ev-a-2"]);
    assert!(store.incidents_pending().expect("pending"));
}

#[test]
fn linked_events_are_found_by_day_and_by_cell_and_placing_them_ends_pending() {
    let (mut store, _) = store();
    let rows = store.pending_link_keys(100).expect("pending");
    let write = LinkWrite {
        members: vec![placed(&rows[0], "in-1", "seed"), placed(&rows[1], "in-2", "seed"), placed(&rows[2], "in-3", "seed")],
        changed: vec!["in-1".into(), "in-2".into(), "in-3".into()],
        ..LinkWrite::default()
    };
    let rep = store.save_links(&write).expect("save");
    assert_eq!((rep.created, rep.members, rep.updated), (3, 3, 0));
    let left = store.pending_link_keys(100).expect("pending");
    assert_eq!(left.iter().map(|r| r.event_id.as_str()).collect::<Vec<_>>(), ["ev-c-1"]);

    let mut on_days = Vec::new();
    store
        .for_each_linked_key_on_days(day_number(4), day_number(9), &mut |h| {
            on_days.push((h.incident_pk, h.event_type.to_string(), h.admin1.map(str::to_string), h.date.from, h.cell));
            Ok(())
        })
        .expect("days");
    // Linked, sharp, meeting the days: a's second event only.
    assert_eq!(on_days.len(), 1);
    let (in_2, ty, admin1, from, cell) = on_days.remove(0);
    assert_eq!((ty.as_str(), admin1.as_deref(), from, cell), ("armed_attack", Some("SY09"), day_number(4), Some(cell_of(35.15, 40.42))));

    let mut in_cell = Vec::new();
    store
        .for_each_linked_key_in_cell(cell_of(35.35, 40.42), &mut |h| {
            in_cell.push((h.incident_pk, h.date.class));
            Ok(())
        })
        .expect("cell");
    assert_eq!(in_cell.len(), 1, "b's undated event");
    assert_eq!(in_cell[0].1, marsad_incidents::event::DateClass::Unknown);

    let members = store.incident_link_keys(in_2).expect("members");
    assert_eq!(members.iter().map(|m| m.event_id.as_str()).collect::<Vec<_>>(), ["ev-a-2"]);
    assert_eq!(members[0].incident.as_ref().map(|i| i.id.as_str()), Some("in-2"));
    assert!(store.incident_id_taken("in-1").expect("taken"));
    assert!(!store.incident_id_taken("in-9").expect("taken"));
}

#[test]
fn save_links_updates_merges_notes_the_move_and_builds_records_from_the_store() {
    let (mut store, _) = store();
    let rows = store.pending_link_keys(100).expect("pending");
    store
        .save_links(&LinkWrite {
            members: vec![placed(&rows[0], "in-1", "seed"), placed(&rows[1], "in-2", "seed"), placed(&rows[2], "in-1", "auto")],
            changed: vec!["in-1".into(), "in-2".into()],
            ..LinkWrite::default()
        })
        .expect("save");
    let rec: IncidentRecord = serde_json::from_str(&store.incident("in-1").unwrap().unwrap().record.unwrap()).unwrap();
    assert_eq!(rec.events, ["ev-a-1", "ev-b-1"]);
    assert_eq!(rec.counts["killed"].high, Some(7));
    assert_eq!(rec.sources[1].outlet.as_deref(), Some("outlet b"));

    // c's event joins in-2, which a later report showed to be in-1.
    let rep = store
        .save_links(&LinkWrite {
            members: vec![placed(&rows[3], "in-1", "auto")],
            merged: vec![("in-2".into(), "in-1".into())],
            changed: vec!["in-1".into()],
            ..LinkWrite::default()
        })
        .expect("save");
    assert_eq!((rep.created, rep.updated, rep.merged, rep.members), (0, 1, 1, 1));
    let found = store.incident("in-2").unwrap().unwrap();
    assert_eq!((found.id.as_str(), found.status.as_str()), ("in-1", "merged"));
    let rec: IncidentRecord = serde_json::from_str(&found.record.unwrap()).unwrap();
    assert_eq!(rec.events, ["ev-a-1", "ev-a-2", "ev-b-1", "ev-c-1"]);
    let moved = rec.links.iter().find(|l| l.event == "ev-a-2").unwrap();
    assert_eq!(moved.note.as_deref(), Some("moved with in-2 when a later report showed it to be in-1"));
    assert!(!store.incidents_pending().unwrap());
    let ids = store.incident_ids().unwrap();
    assert!(ids.contains("in-1") && ids.contains("in-2"));

    // Saving nothing changes nothing.
    let rep = store.save_links(&LinkWrite::default()).expect("save");
    assert_eq!((rep.created, rep.updated, rep.unchanged), (0, 0, 1));
}

#[test]
fn a_replaced_document_and_a_users_merge_leave_records_stale_until_the_next_save() {
    let (mut store, _) = store();
    let rows = store.pending_link_keys(100).expect("pending");
    store
        .save_links(&LinkWrite {
            members: vec![
                placed(&rows[0], "in-1", "seed"),
                placed(&rows[1], "in-2", "seed"),
                placed(&rows[2], "in-1", "auto"),
                placed(&rows[3], "in-3", "seed"),
            ],
            changed: vec!["in-1".into(), "in-2".into(), "in-3".into()],
            ..LinkWrite::default()
        })
        .expect("save");
    assert!(!store.incidents_pending().unwrap());
    // b stored again, corrected, without events: in-1 loses one.
    let mut b = ingested("b", vec![]);
    b = Ingested::new("b", "b.txt", "corrected text of b", "UTF-8", b.result);
    store.write_batch(&[b]).unwrap();
    assert!(store.incidents_pending().unwrap());
    let rep = store.save_links(&LinkWrite::default()).expect("save");
    assert_eq!(rep.updated, 1);
    let rec: IncidentRecord = serde_json::from_str(&store.incident("in-1").unwrap().unwrap().record.unwrap()).unwrap();
    assert_eq!(rec.events, ["ev-a-1"]);
    assert!(!store.incidents_pending().unwrap());
    // A user's merge.
    store.merge_incidents("in-3", "in-2").unwrap();
    assert!(store.incidents_pending().unwrap());
    store.save_links(&LinkWrite::default()).expect("save");
    let rec: IncidentRecord = serde_json::from_str(&store.incident("in-3").unwrap().unwrap().record.unwrap()).unwrap();
    assert_eq!(rec.events, ["ev-a-2", "ev-c-1"]);
    assert!(!store.incidents_pending().unwrap());
    // An incident that loses every member to a re-link is emptied.
    let rows: Vec<LinkKeyRow> = {
        let mut v = Vec::new();
        store.for_each_link_key(&mut |r| {
            v.push(r);
            Ok(())
        })
        .unwrap();
        v
    };
    let a1 = rows.iter().find(|r| r.event_id == "ev-a-1").unwrap();
    let rep = store
        .save_links(&LinkWrite {
            members: vec![placed(a1, "in-3", "auto")],
            changed: vec!["in-3".into()],
            retired: vec!["in-1".into()],
            ..LinkWrite::default()
        })
        .expect("save");
    assert_eq!(rep.emptied, 1);
    assert_eq!(store.incident("in-1").unwrap().unwrap().status, "empty");
}

#[test]
fn a_database_from_before_link_keys_gets_them_with_its_pending_events_and_stale_incidents() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("v3.db");
    let (kept, new) = (event("a", 1, Some(3), 0.0, 5), event("b", 1, None, 0.2, 7));
    {
        // Stored and linked by a marsad of schema version 3: a's event in in-1, b's not yet.
        let mut store = SqliteStore::open(&path).expect("open");
        store.write_batch(&[ingested("a", vec![kept.clone()]), ingested("b", vec![new.clone()])]).expect("write");
        let rows = store.pending_link_keys(10).expect("rows");
        store
            .save_links(&LinkWrite { members: vec![placed(&rows[0], "in-1", "seed")], changed: vec!["in-1".into()], ..LinkWrite::default() })
            .expect("save");
        drop(store);
        let conn = rusqlite::Connection::open(&path).expect("raw");
        conn.execute_batch(
            "DROP TABLE event_link_keys; DROP TABLE link_pending; DROP TABLE link_key_format;
             DROP TRIGGER incident_members_removed; DROP INDEX incidents_stale; DROP INDEX incidents_merged_into;
             DROP TRIGGER documents_removed; DROP TRIGGER events_removed;
             ALTER TABLE incidents DROP COLUMN stale;
             UPDATE incidents SET events = 7;
             DROP VIEW evidence;
             CREATE TABLE evidence (event_pk INTEGER NOT NULL REFERENCES events (pk) ON DELETE CASCADE,
                                    start_char INTEGER NOT NULL, end_char INTEGER NOT NULL, text TEXT NOT NULL);
             CREATE INDEX evidence_event ON evidence (event_pk);
             CREATE INDEX events_doc ON events (doc_pk, ord);
             DELETE FROM schema_version WHERE version >= 4; PRAGMA user_version = 3;",
        )
        .expect("back to version 3");
    }
    let store = SqliteStore::open(&path).expect("upgrade");
    assert_eq!(store.schema_version().unwrap(), marsad_store::sqlite::latest_version());
    let pending = store.pending_link_keys(10).expect("pending");
    assert_eq!(pending.len(), 1);
    assert_eq!((pending[0].event_id.as_str(), &pending[0].key), ("ev-b-1", &LinkKey::of(&new)));
    let mut all = Vec::new();
    store
        .for_each_link_key(&mut |r| {
            all.push((r.event_id, r.incident.map(|i| i.id)));
            Ok(())
        })
        .unwrap();
    assert_eq!(all, [("ev-a-1".to_string(), Some("in-1".to_string())), ("ev-b-1".to_string(), None)]);
    // in-1's stored count did not match its members: stale, so the next linking rebuilds it.
    assert!(store.incidents_pending().unwrap());
}

/// The rows that hang off a document, by table: events, tallies, link keys, pending events,
/// memberships (of the events of `doc`, or of events no longer stored).
fn rows_of(conn: &rusqlite::Connection, doc: &str) -> [i64; 5] {
    let n = |sql: &str| -> i64 { conn.query_row(sql, [doc], |r| r.get(0)).expect(sql) };
    [
        n("SELECT count(*) FROM events WHERE doc = ?1"),
        n("SELECT count(*) FROM tallies WHERE doc = ?1"),
        n("SELECT count(*) FROM event_link_keys k WHERE k.event_pk IN (SELECT pk FROM events WHERE doc = ?1)
              OR NOT EXISTS (SELECT 1 FROM events e WHERE e.pk = k.event_pk)"),
        n("SELECT count(*) FROM link_pending p WHERE p.event_pk IN (SELECT pk FROM events WHERE doc = ?1)
              OR NOT EXISTS (SELECT 1 FROM events e WHERE e.pk = p.event_pk)"),
        n("SELECT count(*) FROM incident_members m WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.pk = m.event_pk)
              OR m.event_pk IN (SELECT pk FROM events WHERE doc = ?1)"),
    ]
}

#[test]
fn a_replaced_documents_rows_go_with_it_by_the_triggers_whether_foreign_keys_are_enforced_or_not() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("t.db");
    let mut store = SqliteStore::open(&path).expect("open");
    let mut with_tally = ingested("a", vec![event("a", 1, Some(3), 0.0, 5), event("a", 2, Some(4), 0.0, 2)]);
    if let Ok(out) = &mut with_tally.result {
        out.tallies.push(TallyRecord {
            kind: "tally".into(),
            id: "ta-a-1".into(),
            doc: "a".into(),
            measure: "killed".into(),
            victims: None,
            by: None,
            value: Count { value: Some(12), qualifier: Qualifier::AtLeast },
            period: Period { from: None, to: None },
            reported_by: vec![],
            evidence: vec![],
        });
    }
    store.write_batch(&[with_tally, ingested("b", vec![event("b", 1, Some(3), 0.0, 5)])]).expect("write");
    let rows = store.pending_link_keys(10).expect("pending");
    store
        .save_links(&LinkWrite {
            members: vec![placed(&rows[0], "in-1", "seed"), placed(&rows[2], "in-1", "auto")],
            changed: vec!["in-1".into()],
            ..LinkWrite::default()
        })
        .expect("save");
    {
        let conn = rusqlite::Connection::open(&path).expect("raw");
        assert_eq!(rows_of(&conn, "a"), [2, 1, 2, 1, 1]);
    }
    // Replaced by marsad (no foreign keys enforced): everything of the old text goes, and the
    // incident that lost a member is stale.
    let replaced = Ingested::new("a", "a.txt", "corrected text of a", "UTF-8", ingested("a", vec![]).result);
    store.write_batch(&[replaced]).expect("replace");
    {
        let conn = rusqlite::Connection::open(&path).expect("raw");
        assert_eq!(rows_of(&conn, "a"), [0, 0, 0, 0, 0]);
        assert_eq!(conn.query_row("SELECT stale FROM incidents WHERE id = 'in-1'", [], |r| r.get::<_, i64>(0)).unwrap(), 1);
        // Another program that enforces them: its cascade and the triggers agree.
        conn.execute_batch("PRAGMA foreign_keys = ON; DELETE FROM documents WHERE id = 'b';").expect("delete b");
        assert_eq!(rows_of(&conn, "b"), [0, 0, 0, 0, 0]);
        assert_eq!(conn.query_row("SELECT count(*) FROM incident_members", [], |r| r.get::<_, i64>(0)).unwrap(), 0);
    }
}

#[test]
fn reads_in_one_read_transaction_leave_the_store_writable_after_it() {
    let (mut store, _) = store();
    store.begin_reading().expect("begin");
    // A read that opens its own transaction when none is open leaves this one open.
    assert!(store.known_hashes(&["no such hash"]).expect("hashes").is_empty());
    assert!(store.incident_id_taken("in-none").is_ok());
    assert_eq!(store.pending_link_keys(100).expect("pending").len(), 4);
    store.end_reading().expect("end");
    // Nothing left open: a batch and a linking write as before, and ending twice is harmless.
    store.end_reading().expect("end again");
    store.write_batch(&[ingested("d", vec![event("d", 1, Some(3), 0.0, 1)])]).expect("write");
    let rows = store.pending_link_keys(100).expect("pending");
    store
        .save_links(&LinkWrite { members: vec![placed(&rows[4], "in-9", "seed")], changed: vec!["in-9".into()], ..LinkWrite::default() })
        .expect("save");
    assert!(store.incident("in-9").expect("read").is_some());
}

#[test]
fn records_are_stored_without_their_links_and_read_with_them_and_old_ones_are_upgraded() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("r.db");
    let mut store = SqliteStore::open(&path).expect("open");
    store
        .write_batch(&[ingested("a", vec![event("a", 1, Some(3), 0.0, 5)]), ingested("b", vec![event("b", 1, Some(3), 0.0, 6)])])
        .expect("write");
    let rows = store.pending_link_keys(10).expect("pending");
    store
        .save_links(&LinkWrite {
            members: vec![placed(&rows[0], "in-1", "seed"), placed(&rows[1], "in-1", "auto")],
            changed: vec!["in-1".into()],
            ..LinkWrite::default()
        })
        .expect("save");
    let read = store.incident("in-1").unwrap().unwrap().record.unwrap();
    let rec: IncidentRecord = serde_json::from_str(&read).unwrap();
    assert_eq!(rec.links, vec![link("ev-a-1", "seed"), link("ev-b-1", "auto")]);
    let mut listed = Vec::new();
    store
        .for_each_incident(&mut |r| {
            listed.push(r);
            Ok(())
        })
        .unwrap();
    assert_eq!(listed, vec![read.clone()]);
    drop(store);
    let stored = || -> String {
        rusqlite::Connection::open(&path).unwrap().query_row("SELECT record FROM incidents", [], |r| r.get(0)).unwrap()
    };
    assert!(stored().ends_with(r#""links":[]}"#), "{}", stored());
    assert!(!stored().contains("ev-a-1\",\"how"));
    // A database of schema version 6 held the record whole: opening it takes the links out.
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute("UPDATE incidents SET record = ?1", [&read]).unwrap();
        conn.execute_batch("DELETE FROM schema_version WHERE version = 7; PRAGMA user_version = 6;").unwrap();
    }
    let store = SqliteStore::open(&path).expect("upgrade");
    assert!(stored().ends_with(r#""links":[]}"#));
    let again: IncidentRecord = serde_json::from_str(&store.incident("in-1").unwrap().unwrap().record.unwrap()).unwrap();
    assert_eq!(again, rec);
}
