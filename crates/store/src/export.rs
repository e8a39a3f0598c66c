//! Exports of the stored records (shared/spec/export.md):
//!
//! - [`Format::Jsonl`]: per document, its `doc` record, then its `event` and `tally` records,
//!   documents in the order they were stored; each record exactly as extraction produced it.
//!   Then the `incident` records (crates/incidents), oldest first, once linking has run.
//! - [`Format::Csv`]: one row per event, ACLED-like columns ([`CSV_COLUMNS`]), with the
//!   ACLED/GTD categories of [`crate::mapping`] and the sentence of [`crate::notes`].
//! - [`Format::Geojson`]: a FeatureCollection of the events that have coordinates.

use crate::mapping::Mappings;
use crate::{notes, Store, StoreError, StoredDoc};
use marsad_model::{ActorRef, EventRecord};
use std::io::Write;
use std::str::FromStr;

/// An export format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Jsonl,
    Csv,
    Geojson,
}

impl FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.to_ascii_lowercase().as_str() {
            "jsonl" | "json-lines" | "ndjson" => Ok(Format::Jsonl),
            "csv" => Ok(Format::Csv),
            "geojson" => Ok(Format::Geojson),
            other => Err(format!("unknown format {other:?} (jsonl, csv or geojson)")),
        }
    }
}

/// What an export wrote.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ExportSummary {
    pub documents: usize,
    pub events: usize,
    pub tallies: usize,
    /// JSON Lines only: `incident` records written (after the documents).
    pub incidents: usize,
    /// GeoJSON only: events left out for want of coordinates.
    pub events_without_coordinates: usize,
}

/// The columns of the CSV export, in order.
pub const CSV_COLUMNS: &[&str] = &[
    "event_id",
    "event_date",
    "date_precision",
    "event_type",
    "sub_event_type",
    "acled_event_type",
    "acled_sub_event_type",
    "gtd_attack_type",
    "actor1",
    "actor2",
    "admin1",
    "admin2",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "fatalities",
    "injured",
    "source",
    "doc",
    "notes",
];

/// Writes every stored record in `format` to `out`.
pub fn export(store: &dyn Store, format: Format, out: &mut dyn Write) -> Result<ExportSummary, StoreError> {
    let summary = match format {
        Format::Jsonl => write_jsonl(store, out)?,
        Format::Csv => write_csv(store, out)?,
        Format::Geojson => write_geojson(store, out)?,
    };
    out.flush()?;
    Ok(summary)
}

fn write_jsonl(store: &dyn Store, out: &mut dyn Write) -> Result<ExportSummary, StoreError> {
    let mut summary = ExportSummary::default();
    store.for_each_doc(&mut |d: StoredDoc| {
        summary.documents += 1;
        summary.events += d.events.len();
        summary.tallies += d.tallies.len();
        for rec in std::iter::once(&d.doc).chain(&d.events).chain(&d.tallies) {
            out.write_all(rec.trim_end().as_bytes())?;
            out.write_all(b"\n")?;
        }
        Ok(())
    })?;
    // Then the incidents (events of different documents that tell one happening), once
    // linking has run.
    store.for_each_incident(&mut |rec: String| {
        summary.incidents += 1;
        out.write_all(rec.trim_end().as_bytes())?;
        out.write_all(b"\n")?;
        Ok(())
    })?;
    Ok(summary)
}

/// Decodes the stored event records of a document.
fn typed_events(d: &StoredDoc) -> Result<Vec<EventRecord>, StoreError> {
    d.events
        .iter()
        .map(|text| {
            serde_json::from_str(text).map_err(|e| {
                let id = serde_json::from_str::<serde_json::Value>(text)
                    .ok()
                    .and_then(|v| v.get("id")?.as_str().map(str::to_string))
                    .unwrap_or_else(|| "?".into());
                StoreError::BadRecord { what: format!("event {id}"), reason: e.to_string() }
            })
        })
        .collect()
}

fn actors(list: &[ActorRef]) -> String {
    list.iter()
        .map(|a| if a.suspected { format!("{} (suspected)", a.actor) } else { a.actor.clone() })
        .collect::<Vec<_>>()
        .join("; ")
}

fn count_value(ev: &EventRecord, role: &str) -> String {
    ev.counts.get(role).and_then(|c| c.value).map(|v| v.to_string()).unwrap_or_default()
}

fn enum_str<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_value(v).ok().and_then(|j| j.as_str().map(str::to_string)).unwrap_or_default()
}

/// One CSV row (see [`CSV_COLUMNS`]).
pub fn csv_row(ev: &EventRecord, mappings: &Mappings) -> Vec<String> {
    let class = mappings.classify(ev);
    let loc = ev.location.as_ref();
    let opt = |v: Option<&str>| v.unwrap_or_default().to_string();
    let num = |v: Option<f64>| v.map(|x| x.to_string()).unwrap_or_default();
    let event_date = ev.date.from.as_deref().or(ev.date.to.as_deref());
    vec![
        ev.id.clone(),
        opt(event_date),
        enum_str(&ev.date.precision),
        ev.event_type.clone(),
        opt(class.map(|c| c.sub_event_type.as_str())),
        opt(class.map(|c| c.acled_event_type.as_str())),
        opt(class.map(|c| c.acled_sub_event_type.as_str())),
        opt(class.map(|c| c.gtd_attack_type.as_str())),
        actors(&ev.perpetrators),
        actors(&ev.targets),
        opt(loc.and_then(|l| l.admin1.as_deref())),
        opt(loc.and_then(|l| l.admin2.as_deref())),
        opt(loc.map(|l| l.name_en.as_deref().or(l.name_ar.as_deref()).unwrap_or(l.text.as_str()))),
        num(loc.and_then(|l| l.lat)),
        num(loc.and_then(|l| l.lon)),
        opt(loc.map(|l| l.precision.as_str())),
        count_value(ev, "killed"),
        count_value(ev, "injured"),
        ev.reported_by.join("; "),
        ev.doc.clone(),
        notes::describe(ev, mappings),
    ]
}

fn write_csv(store: &dyn Store, out: &mut dyn Write) -> Result<ExportSummary, StoreError> {
    let mappings = Mappings::builtin()?;
    let mut summary = ExportSummary::default();
    let mut w = csv::Writer::from_writer(out);
    w.write_record(CSV_COLUMNS)?;
    store.for_each_doc(&mut |d: StoredDoc| {
        summary.documents += 1;
        summary.tallies += d.tallies.len();
        for ev in typed_events(&d)? {
            w.write_record(csv_row(&ev, &mappings))?;
            summary.events += 1;
        }
        Ok(())
    })?;
    w.flush()?;
    Ok(summary)
}

/// The GeoJSON feature of an event, or `None` when it has no coordinates.
pub fn geojson_feature(ev: &EventRecord, mappings: &Mappings) -> Option<serde_json::Value> {
    let loc = ev.location.as_ref()?;
    let (lat, lon) = (loc.lat?, loc.lon?);
    let class = mappings.classify(ev);
    Some(serde_json::json!({
        "type": "Feature",
        "id": ev.id,
        "geometry": {"type": "Point", "coordinates": [lon, lat]},
        "properties": {
            "id": ev.id,
            "doc": ev.doc,
            "type": ev.event_type,
            "acled_event_type": class.map(|c| c.acled_event_type.as_str()),
            "acled_sub_event_type": class.map(|c| c.acled_sub_event_type.as_str()),
            "date_from": ev.date.from,
            "date_to": ev.date.to,
            "date_precision": ev.date.precision,
            "place": loc.name_en.as_deref().or(loc.name_ar.as_deref()).unwrap_or(loc.text.as_str()),
            "name_ar": loc.name_ar,
            "place_id": loc.place_id,
            "admin1": loc.admin1,
            "admin1_name": loc.admin1_name,
            "admin2": loc.admin2,
            "geo_precision": loc.precision,
            "perpetrators": ev.perpetrators.iter().map(|a| a.actor.as_str()).collect::<Vec<_>>(),
            "targets": ev.targets.iter().map(|a| a.actor.as_str()).collect::<Vec<_>>(),
            "fatalities": ev.counts.get("killed").and_then(|c| c.value),
            "injured": ev.counts.get("injured").and_then(|c| c.value),
            "reported_by": ev.reported_by,
            "notes": notes::describe(ev, mappings),
        }
    }))
}

fn write_geojson(store: &dyn Store, out: &mut dyn Write) -> Result<ExportSummary, StoreError> {
    let mappings = Mappings::builtin()?;
    let mut summary = ExportSummary::default();
    out.write_all(b"{\"type\": \"FeatureCollection\", \"features\": [")?;
    let mut first = true;
    store.for_each_doc(&mut |d: StoredDoc| {
        summary.documents += 1;
        summary.tallies += d.tallies.len();
        for ev in typed_events(&d)? {
            summary.events += 1;
            let Some(feature) = geojson_feature(&ev, &mappings) else {
                summary.events_without_coordinates += 1;
                continue;
            };
            out.write_all(if first { b"\n" } else { b",\n" })?;
            first = false;
            serde_json::to_writer(&mut *out, &feature)?;
        }
        Ok(())
    })?;
    out.write_all(b"\n]}\n")?;
    Ok(summary)
}
