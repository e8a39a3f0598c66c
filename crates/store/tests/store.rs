//! Store behaviour: round trip, idempotent writes, migrations, exports.

use marsad_model::*;
use marsad_store::export::{export, Format, CSV_COLUMNS};
use marsad_store::sqlite::{latest_version, MIGRATIONS};
use marsad_store::{Ingested, InputFailure, SqliteStore, Store, StoreError};
use std::collections::BTreeMap;

fn doc_record(id: &str) -> DocRecord {
    DocRecord {
        kind: "doc".into(),
        doc: id.into(),
        title: Some(format!("عنوان {id}")),
        outlet: Some("مرصد".into()),
        byline: None,
        url: None,
        published: Some(Published { date: "2021-03-04".into(), precision: DatePrecision::Day, text: None }),
        boilerplate: vec!["طباعة".into()],
        language: "ar".into(),
        encoding: "UTF-8".into(),
        text: None,
    }
}

fn event(doc: &str, n: usize, with_coords: bool) -> EventRecord {
    let mut counts = BTreeMap::new();
    counts.insert("killed".to_string(), Count { value: Some(n as u64 + 1), qualifier: Qualifier::Exact });
    EventRecord {
        kind: "event".into(),
        id: format!("ev-{doc}-{n}"),
        doc: doc.into(),
        event_type: "ambush".into(),
        date: EventDate {
            from: Some("2021-03-03".into()),
            to: Some("2021-03-03".into()),
            precision: DatePrecision::Day,
            text: Some("أمس".into()),
        },
        location: Some(Location {
            text: "قرب السخنة".into(),
            place_id: Some("SY040201".into()),
            name_ar: Some("السخنة".into()),
            name_en: Some("Al-Sukhnah".into()),
            admin1: Some("SY04".into()),
            admin1_name: Some("Homs".into()),
            admin2: Some("SY0402".into()),
            lat: with_coords.then_some(34.88),
            lon: with_coords.then_some(38.87),
            precision: "near".into(),
            country: Some("SY".into()),
        }),
        perpetrators: vec![ActorRef { actor: "ISIS".into(), text: "خلايا التنظيم".into(), suspected: false }],
        targets: vec![ActorRef { actor: "SYRIAN_GOV".into(), text: "قوات النظام".into(), suspected: false }],
        counts,
        claimed_by: None,
        reported_by: vec!["SOHR".into()],
        persons: vec![],
        evidence: vec![Evidence { start: 10, end: 40, text: "نص الدليل".into() }],
        confidence: 0.75,
    }
}

fn tally(doc: &str) -> TallyRecord {
    TallyRecord {
        kind: "tally".into(),
        id: format!("ta-{doc}"),
        doc: doc.into(),
        measure: "killed".into(),
        victims: Some("SYRIAN_GOV".into()),
        by: Some("ISIS".into()),
        value: Count { value: Some(40), qualifier: Qualifier::AtLeast },
        period: Period { from: Some("2021-01-01".into()), to: None },
        reported_by: vec!["SOHR".into()],
        evidence: vec![Evidence { start: 0, end: 5, text: "حصيلة".into() }],
    }
}

fn output(id: &str, events: usize) -> DocOutput {
    DocOutput {
        doc: doc_record(id),
        events: (0..events).map(|n| event(id, n, n % 2 == 0)).collect(),
        tallies: vec![tally(id)],
    }
}

fn ingested(id: &str, text: &str, events: usize) -> Ingested {
    Ingested::new(id, format!("corpus/{id}.txt"), text, "UTF-8", Ok(output(id, events)))
}

fn jsonl(store: &dyn Store) -> Vec<serde_json::Value> {
    let mut buf = Vec::new();
    export(store, Format::Jsonl, &mut buf).expect("export");
    String::from_utf8(buf)
        .expect("utf-8")
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object per line"))
        .collect()
}

fn expected_records(outputs: &[DocOutput]) -> Vec<serde_json::Value> {
    let mut v = Vec::new();
    for o in outputs {
        v.push(serde_json::to_value(&o.doc).expect("doc"));
        v.extend(o.events.iter().map(|e| serde_json::to_value(e).expect("event")));
        v.extend(o.tallies.iter().map(|t| serde_json::to_value(t).expect("tally")));
    }
    v
}

#[test]
fn round_trip_insert_then_export_gives_the_same_records_in_order() {
    let mut store = SqliteStore::open_in_memory().expect("open");
    let batch = vec![ingested("b", "نص ب", 2), ingested("a", "نص أ", 0), ingested("c", "نص ج", 3)];
    let report = store.write_batch(&batch).expect("write");
    assert_eq!((report.inserted, report.events, report.tallies), (3, 5, 3));
    let outputs: Vec<DocOutput> = batch.iter().map(|b| b.result.clone().expect("ok")).collect();
    assert_eq!(jsonl(&store), expected_records(&outputs));
    let stats = store.stats().expect("stats");
    assert_eq!((stats.documents, stats.events, stats.tallies, stats.evidence), (3, 5, 3, 5));
}

#[test]
fn writing_the_same_documents_twice_stores_each_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("m.db");
    let batch = vec![ingested("a", "نص أ", 1), ingested("b", "نص ب", 2)];
    let first = {
        let mut store = SqliteStore::open(&path).expect("open");
        store.write_batch(&batch).expect("write")
    };
    assert_eq!(first.inserted, 2);
    let mut store = SqliteStore::open(&path).expect("reopen");
    let before = store.stats().expect("stats");
    let hashes: Vec<&str> = batch.iter().map(|b| b.content_hash.as_str()).collect();
    assert_eq!(store.known_hashes(&hashes).expect("hashes").len(), 2);
    let second = store.write_batch(&batch).expect("write again");
    assert_eq!((second.inserted, second.replaced, second.skipped, second.events), (0, 0, 2, 0));
    assert_eq!(store.stats().expect("stats"), before);
    assert_eq!(jsonl(&store).len(), 2 + 3 + 2);
}

#[test]
fn same_id_with_new_text_replaces_and_failed_documents_are_retried() {
    let mut store = SqliteStore::open_in_memory().expect("open");
    store.write_batch(&[ingested("a", "نسخة أولى", 3)]).expect("write");
    let r = store.write_batch(&[ingested("a", "نسخة ثانية", 1)]).expect("rewrite");
    assert_eq!((r.inserted, r.replaced), (0, 1));
    let s = store.stats().expect("stats");
    assert_eq!((s.documents, s.events, s.evidence), (1, 1, 1));

    let failed = Ingested::new("f", "corpus/f.txt", "نص", "UTF-8", Err("extraction failed: boom".into()));
    let r = store.write_batch(&[failed]).expect("failed doc");
    assert_eq!(r.failed, 1);
    assert!(store.known_hashes(&[marsad_store::content_hash("نص").as_str()]).expect("hashes").is_empty());
    let s = store.stats().expect("stats");
    assert_eq!((s.documents, s.failed_documents), (1, 1));
    // Exports leave failed documents out; a later successful run replaces them.
    assert_eq!(jsonl(&store).len(), 3);
    let r = store.write_batch(&[ingested("f", "نص", 0)]).expect("retry");
    assert_eq!(r.replaced, 1);
    let s = store.stats().expect("stats");
    assert_eq!((s.documents, s.failed_documents), (2, 0));
}

#[test]
fn input_errors_are_logged() {
    let mut store = SqliteStore::open_in_memory().expect("open");
    let errs = vec![InputFailure { origin: "x/empty.txt".into(), reason: "empty file".into() }];
    store.record_input_errors(&errs).expect("log");
    assert_eq!(store.input_errors().expect("read"), errs);
    assert_eq!(store.stats().expect("stats").input_errors, 1);
}

#[test]
fn migrations_are_ordered_applied_once_and_upgrade_old_files() {
    let versions: Vec<i64> = MIGRATIONS.iter().map(|m| m.version).collect();
    let expected: Vec<i64> = (1..=versions.len() as i64).collect();
    assert_eq!(versions, expected, "migrations must be numbered 1, 2, 3… in order");

    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("m.db");
    {
        // A database made by an older marsad (schema version 1 only).
        let conn = rusqlite::Connection::open(&path).expect("open raw");
        conn.execute_batch(MIGRATIONS[0].sql).expect("v1");
        conn.execute_batch(
            "CREATE TABLE schema_version (version INTEGER PRIMARY KEY, name TEXT NOT NULL,
             applied_at TEXT NOT NULL DEFAULT '');
             INSERT INTO schema_version (version, name) VALUES (1, 'initial');
             PRAGMA user_version = 1;",
        )
        .expect("mark v1");
    }
    let store = SqliteStore::open(&path).expect("upgrade");
    assert_eq!(store.schema_version().expect("version"), latest_version());
    let applied = store.applied_migrations().expect("log");
    assert_eq!(applied.iter().map(|(v, _)| *v).collect::<Vec<_>>(), expected);
    drop(store);
    // Reopening applies nothing again.
    let store = SqliteStore::open(&path).expect("reopen");
    assert_eq!(store.applied_migrations().expect("log").len(), MIGRATIONS.len());
    drop(store);

    // A database from a newer marsad is refused, not damaged.
    {
        let conn = rusqlite::Connection::open(&path).expect("open raw");
        conn.pragma_update(None, "user_version", latest_version() + 1).expect("bump");
    }
    match SqliteStore::open(&path) {
        Err(StoreError::SchemaTooNew { found, supported }) => {
            assert_eq!((found, supported), (latest_version() + 1, latest_version()))
        }
        other => panic!("expected SchemaTooNew, got {other:?}"),
    }
}

#[test]
fn records_serialised_before_the_writer_are_stored_as_the_writer_would() {
    let mut by_writer = SqliteStore::open_in_memory().expect("open");
    let mut given = SqliteStore::open_in_memory().expect("open");
    let batch = vec![ingested("b", "نص ب", 2), ingested("c", "نص ج", 3)];
    by_writer.write_batch(&batch).expect("write");
    let serialised: Vec<Ingested> = batch.iter().cloned().map(Ingested::with_json).collect();
    assert!(serialised.iter().all(|d| d.json.is_some()));
    given.write_batch(&serialised).expect("write");
    assert_eq!(jsonl(&given), jsonl(&by_writer));
    // JSON that is not of these records (one event short) is not used.
    let mut wrong = ingested("d", "نص د", 2).with_json();
    if let Some(j) = wrong.json.as_mut() {
        j.events.pop();
    }
    given.write_batch(&[wrong.clone()]).expect("write");
    let events = jsonl(&given).into_iter().filter(|r| r["doc"] == "d" && r["kind"] == "event").count();
    assert_eq!(events, 2);
}

#[test]
fn the_evidence_view_reads_each_events_spans_from_its_record() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("e.db");
    let mut store = SqliteStore::open(&path).expect("open");
    store.write_batch(&[ingested("a", "نص أ", 2)]).expect("write");
    drop(store);
    let conn = rusqlite::Connection::open(&path).expect("raw");
    let rows: Vec<(i64, i64, i64, String)> = conn
        .prepare(
            "SELECT v.event_pk, v.start_char, v.end_char, v.text FROM evidence v JOIN events e ON e.pk = v.event_pk
             WHERE e.id = 'ev-a-1'",
        )
        .expect("prepare")
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .expect("query")
        .collect::<Result<_, _>>()
        .expect("rows");
    assert_eq!(rows.len(), 1);
    assert_eq!((rows[0].1, rows[0].2, rows[0].3.as_str()), (10, 40, "نص الدليل"));
}

#[test]
fn file_databases_use_wal() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("m.db");
    drop(SqliteStore::open(&path).expect("open"));
    let conn = rusqlite::Connection::open(&path).expect("raw");
    let mode: String = conn.query_row("PRAGMA journal_mode", [], |r| r.get(0)).expect("mode");
    assert_eq!(mode, "wal");
}

#[test]
fn csv_has_one_row_per_event_with_acled_columns_and_notes() {
    let mut store = SqliteStore::open_in_memory().expect("open");
    store.write_batch(&[ingested("a", "أ", 2), ingested("b", "ب", 1)]).expect("write");
    let mut buf = Vec::new();
    let summary = export(&store, Format::Csv, &mut buf).expect("csv");
    assert_eq!(summary.events, 3);
    let mut r = csv::Reader::from_reader(buf.as_slice());
    let headers: Vec<String> = r.headers().expect("headers").iter().map(str::to_string).collect();
    assert_eq!(headers, CSV_COLUMNS);
    let rows: Vec<csv::StringRecord> = r.records().collect::<Result<_, _>>().expect("rows");
    assert_eq!(rows.len(), 3);
    let col = |name: &str| CSV_COLUMNS.iter().position(|c| *c == name).expect("column");
    let first = &rows[0];
    assert_eq!(&first[col("event_id")], "ev-a-0");
    assert_eq!(&first[col("acled_event_type")], "Battles");
    assert_eq!(&first[col("gtd_attack_type")], "2 Armed Assault");
    assert_eq!(&first[col("fatalities")], "1");
    assert_eq!(&first[col("latitude")], "34.88");
    assert_eq!(
        &first[col("notes")],
        "ISIS ambushed 1 SYRIAN_GOV member near Al-Sukhnah (Homs) on 2021-03-03; reported by SOHR."
    );
}

#[test]
fn geojson_holds_events_with_coordinates() {
    let mut store = SqliteStore::open_in_memory().expect("open");
    store.write_batch(&[ingested("a", "أ", 3)]).expect("write");
    let mut buf = Vec::new();
    let summary = export(&store, Format::Geojson, &mut buf).expect("geojson");
    assert_eq!((summary.events, summary.events_without_coordinates), (3, 1));
    let v: serde_json::Value = serde_json::from_slice(&buf).expect("valid JSON");
    assert_eq!(v["type"], "FeatureCollection");
    let features = v["features"].as_array().expect("features");
    assert_eq!(features.len(), 2);
    assert_eq!(features[0]["geometry"]["coordinates"], serde_json::json!([38.87, 34.88]));
    assert_eq!(features[0]["properties"]["type"], "ambush");

    let empty = SqliteStore::open_in_memory().expect("open");
    let mut buf = Vec::new();
    export(&empty, Format::Geojson, &mut buf).expect("empty geojson");
    let v: serde_json::Value = serde_json::from_slice(&buf).expect("valid JSON");
    assert_eq!(v["features"], serde_json::json!([]));
}
