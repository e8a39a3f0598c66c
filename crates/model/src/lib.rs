//! Plain data shared by every stage of the pipeline.
//!
//! Records serialise to the JSON Lines contract in `shared/spec/export.md`. Offsets inside the
//! pipeline are byte offsets into the document text; they become character offsets (Unicode
//! scalar values, i.e. Python string indices) only at the export edge, via [`CharIndex`].

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

mod offsets;
pub use offsets::CharIndex;

/// A document as read from its source, before any analysis.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Document {
    /// File stem, feed item guid or URL.
    pub id: String,
    /// The text that every offset refers to (for HTML: the extracted main text).
    pub text: String,
    /// Metadata given with the document (sidecar, JSONL fields, HTML meta tags). It takes
    /// precedence over what is inferred from the text.
    pub given: GivenMeta,
    /// Where the document came from (path, path:line, URL), for error messages and the store.
    pub origin: String,
    /// The encoding the bytes were decoded from ("UTF-8", "UTF-16LE", "windows-1256", …).
    pub encoding: String,
}

/// Metadata that arrived with a document rather than being inferred from its text.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct GivenMeta {
    /// `YYYY-MM-DD`, `YYYY-MM` or `YYYY`.
    pub published: Option<String>,
    pub outlet: Option<String>,
    pub url: Option<String>,
    pub title: Option<String>,
    pub byline: Option<String>,
}

/// How precise a date is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DatePrecision {
    Day,
    Range,
    Month,
    Year,
    OnOrBefore,
    Unknown,
}

/// The publication date of a document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Published {
    /// `YYYY-MM-DD`, `YYYY-MM` or `YYYY`.
    pub date: String,
    /// `day`, `month` or `year`.
    pub precision: DatePrecision,
    /// The words that gave the date, or `null` when it came with the document's metadata.
    pub text: Option<String>,
}

/// The `doc` record of the export.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocRecord {
    pub kind: String,
    pub doc: String,
    pub title: Option<String>,
    pub outlet: Option<String>,
    pub byline: Option<String>,
    pub url: Option<String>,
    pub published: Option<Published>,
    pub boilerplate: Vec<String>,
    pub language: String,
    pub encoding: String,
    /// The text offsets refer to; carried for inputs whose text is not a file on disk (HTML,
    /// feeds, WARC). `None` for plain-text inputs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

/// A date or date range with its precision and the words that gave it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventDate {
    /// `YYYY-MM-DD` or null.
    pub from: Option<String>,
    /// `YYYY-MM-DD` or null.
    pub to: Option<String>,
    pub precision: DatePrecision,
    pub text: Option<String>,
}

impl EventDate {
    pub fn unknown() -> Self {
        EventDate { from: None, to: None, precision: DatePrecision::Unknown, text: None }
    }
}

/// Where an event happened.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Location {
    /// The words of the text that name the place ("قرية الرشوانية في بادية حمص").
    pub text: String,
    pub place_id: Option<String>,
    pub name_ar: Option<String>,
    pub name_en: Option<String>,
    /// Governorate P-code (SY01…SY14) or, for Iraq, an ISO-like code ("IQ-KI").
    pub admin1: Option<String>,
    pub admin1_name: Option<String>,
    pub admin2: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    /// `place`, `near`, `admin2`, `admin1`, `region`, `country`, `unknown`.
    pub precision: String,
    /// ISO 3166 alpha-2 ("SY", "IQ").
    pub country: Option<String>,
}

/// An actor named in an event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ActorRef {
    /// Actor code from taxonomy.md (ISIS, SDF, SYRIAN_GOV, …).
    pub actor: String,
    /// The words that named it.
    pub text: String,
    #[serde(default)]
    pub suspected: bool,
}

/// Count qualifier (taxonomy.md, "Count roles and qualifiers").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Qualifier {
    Exact,
    AtLeast,
    MoreThan,
    About,
    UpTo,
    Some,
}

/// A count with its qualifier; `value` is null for `some`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Count {
    pub value: Option<u64>,
    pub qualifier: Qualifier,
}

/// One evidence span: character offsets in the document text and the text itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    pub start: usize,
    pub end: usize,
    pub text: String,
}

/// The `event` record of the export.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventRecord {
    pub kind: String,
    pub id: String,
    pub doc: String,
    #[serde(rename = "type")]
    pub event_type: String,
    pub date: EventDate,
    pub location: Option<Location>,
    pub perpetrators: Vec<ActorRef>,
    pub targets: Vec<ActorRef>,
    /// Role (`killed`, `injured`, `arrested`, `escaped`, `abducted`, `missing`) → count.
    pub counts: BTreeMap<String, Count>,
    pub claimed_by: Option<String>,
    pub reported_by: Vec<String>,
    pub persons: Vec<String>,
    pub evidence: Vec<Evidence>,
    pub confidence: f32,
}

/// A period of time a tally covers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Period {
    pub from: Option<String>,
    pub to: Option<String>,
}

/// The `tally` record of the export: an aggregate over a period, never an event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TallyRecord {
    pub kind: String,
    pub id: String,
    pub doc: String,
    /// `killed`, `injured`, `operations`, `arrested`, `escaped`.
    pub measure: String,
    pub victims: Option<String>,
    pub by: Option<String>,
    pub value: Count,
    pub period: Period,
    pub reported_by: Vec<String>,
    pub evidence: Vec<Evidence>,
}

/// Everything extraction produces for one document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocOutput {
    pub doc: DocRecord,
    pub events: Vec<EventRecord>,
    pub tallies: Vec<TallyRecord>,
}

/// Stable short names of the event types (taxonomy.md). Never rename one, only add.
pub const EVENT_TYPES: &[&str] = &[
    "armed_attack",
    "ambush",
    "armed_clash",
    "bombing",
    "shelling",
    "airstrike",
    "assassination",
    "execution",
    "abduction",
    "killing",
    "prison_break",
    "security_operation",
    "arrest",
    "weapons_seizure",
    "territorial_change",
    "curfew",
    "displacement",
    "mobilization",
];

/// Actor codes (taxonomy.md). Never rename one, only add.
pub const ACTOR_CODES: &[&str] = &[
    "ISIS",
    "SDF",
    "SYRIAN_GOV",
    "COALITION",
    "IRAN_BACKED",
    "RUSSIA",
    "TURKEY",
    "SNA",
    "HTS",
    "TRIBAL",
    "IRAQ_GOV",
    "LOCAL_ARMED",
    "CIVILIANS",
    "UNKNOWN",
];

/// The range of figures that different reports give for one count role of an incident, in the
/// manner of UCDP's low / best / high estimates (the rule is documented in `marsad-incidents`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CountRange {
    /// The smallest credible report (`null` when no report gives a number).
    pub low: Option<u64>,
    /// The most recent report from the most specific source.
    pub best: Option<u64>,
    /// The largest report.
    pub high: Option<u64>,
    /// How many sources report this role (with or without a number).
    pub reports: usize,
    /// The document whose figure is `best`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub best_doc: Option<String>,
}

/// One source of an incident: a document that reported it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IncidentSource {
    pub doc: String,
    pub outlet: Option<String>,
    /// The document's publication date (`YYYY-MM-DD`, `YYYY-MM` or `YYYY`), when known.
    pub published: Option<String>,
}

/// One signal that a link between two events rests on (type, date, place, actors, counts).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LinkSignal {
    /// `type`, `date`, `place`, `perpetrators`, `targets`, `counts`.
    pub signal: String,
    /// Its contribution to the link score (negative: evidence against).
    pub score: f32,
    /// What was compared, in words ("same day 2023-03-14", "4.2 km apart").
    pub detail: String,
}

/// Why an event belongs to its incident.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IncidentLink {
    /// The member event.
    pub event: String,
    /// `seed` (it opened the incident), `auto` (linked by the matcher), `manual` (placed by a
    /// user's merge or split).
    pub how: String,
    /// For `auto`: the member event it matched best.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    /// For `auto`: the rule that allowed the link.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
    #[serde(default)]
    pub score: f32,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub signals: Vec<LinkSignal>,
    /// Free words: the user's action, or why a tempting link was not made.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl IncidentLink {
    /// The link of an event that opened its incident.
    pub fn seed(event: &str) -> Self {
        IncidentLink {
            event: event.to_string(),
            how: "seed".into(),
            to: None,
            rule: None,
            score: 0.0,
            signals: Vec::new(),
            note: None,
        }
    }

    /// Records that the event moved with incident `from` into `into`, when a later report showed
    /// the two to be one; earlier notes are kept.
    pub fn note_moved(&mut self, from: &str, into: &str) {
        let note = format!("moved with {from} when a later report showed it to be {into}");
        self.note = Some(match self.note.take() {
            Some(n) => format!("{n}; {note}"),
            None => note,
        });
    }
}

/// The `incident` record of the export: events from different documents that describe the
/// same happening.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IncidentRecord {
    pub kind: String,
    pub id: String,
    #[serde(rename = "type")]
    pub event_type: String,
    pub date: EventDate,
    pub location: Option<Location>,
    pub perpetrators: Vec<ActorRef>,
    pub targets: Vec<ActorRef>,
    /// Role → low / best / high across the sources.
    pub counts: BTreeMap<String, CountRange>,
    /// Member event ids, in the order they were stored.
    pub events: Vec<String>,
    pub sources: Vec<IncidentSource>,
    /// One entry per member event: how it joined.
    #[serde(default)]
    pub links: Vec<IncidentLink>,
}
