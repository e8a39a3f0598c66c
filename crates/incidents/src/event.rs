//! The compact form of an event that linking works on: a few integers per field (days, interned
//! codes, actor bits), so that a million events fit in ~100 MB and compare in nanoseconds.

use crate::day;
use crate::taxonomy::{self, TypeId};
use marsad_model::{ActorRef, DatePrecision, EventRecord, Qualifier};
use std::collections::HashMap;

/// A range of at most this many days (to − from) is a *sharp* date, like a day: "in the last
/// 24 hours", "Monday night".
pub const SHARP_SPAN_DAYS: i32 = 3;
/// How far before a report's publication an `on_or_before` event may have happened.
pub const LOOKBACK_DAYS: i32 = 60;

/// How much a date says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateClass {
    /// A day or a short range.
    Sharp,
    /// A month, a year, a long range, or `on_or_before` a publication date.
    Loose,
    /// No date at all.
    Unknown,
}

/// An event's date as days since 1970 (`from..=to`, both inclusive).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub from: i32,
    pub to: i32,
    pub class: DateClass,
    pub precision: DatePrecision,
}

impl Span {
    pub const UNKNOWN: Span = Span { from: 0, to: 0, class: DateClass::Unknown, precision: DatePrecision::Unknown };

    /// The span of an event date; malformed or missing bounds make it `Unknown`.
    pub fn of(from: Option<&str>, to: Option<&str>, precision: DatePrecision) -> Span {
        let f = from.and_then(day::parse_span);
        let t = to.and_then(day::parse_span);
        let (from, to) = match (precision, f, t) {
            (DatePrecision::Unknown, _, _) => return Span::UNKNOWN,
            (DatePrecision::OnOrBefore, _, Some((_, t))) => (t - LOOKBACK_DAYS, t),
            (_, Some((a, _)), Some((_, b))) if a <= b => (a, b),
            (_, Some((a, b)), None) | (_, None, Some((a, b))) => (a, b),
            _ => return Span::UNKNOWN,
        };
        let sharp = matches!(precision, DatePrecision::Day | DatePrecision::Range) && to - from <= SHARP_SPAN_DAYS;
        Span { from, to, class: if sharp { DateClass::Sharp } else { DateClass::Loose }, precision }
    }
}

/// Location precision, most precise first (export.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum LocPrecision {
    Place,
    Near,
    Admin2,
    Admin1,
    Region,
    Country,
    Unknown,
}

impl LocPrecision {
    pub fn parse(s: &str) -> LocPrecision {
        match s {
            "place" => LocPrecision::Place,
            "near" => LocPrecision::Near,
            "admin2" => LocPrecision::Admin2,
            "admin1" => LocPrecision::Admin1,
            "region" => LocPrecision::Region,
            "country" => LocPrecision::Country,
            _ => LocPrecision::Unknown,
        }
    }

    /// The distance (km) within which two reports at this precision may name one spot.
    pub fn window_km(self) -> f32 {
        match self {
            LocPrecision::Place => 6.0,
            LocPrecision::Near => 12.0,
            _ => 0.0,
        }
    }
}

/// The actors on one side of an event, as bits of [`taxonomy::actor_bit`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Actors {
    /// Every named actor.
    pub named: u32,
    /// Named actors given only as suspected.
    pub suspected: u32,
    /// `UNKNOWN` was given (unidentified gunmen).
    pub unknown: bool,
}

impl Actors {
    pub fn of(list: &[ActorRef]) -> Actors {
        let mut a = Actors::default();
        let mut sure = 0u32;
        for r in list {
            match taxonomy::actor_bit(&r.actor) {
                Some(bit) => {
                    a.named |= bit;
                    if !r.suspected {
                        sure |= bit;
                    }
                }
                None if r.actor == "UNKNOWN" => a.unknown = true,
                None => {}
            }
        }
        a.suspected = a.named & !sure;
        a
    }
}

/// Count roles, in this order in [`LinkEvent::counts`].
pub const ROLES: [&str; 6] = ["killed", "injured", "arrested", "escaped", "abducted", "missing"];

/// One count of an event: `value` is `u32::MAX` when absent, `u32::MAX - 1` for "some".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tally {
    pub value: u32,
    pub qualifier: Qualifier,
}

impl Tally {
    pub const NONE: Tally = Tally { value: u32::MAX, qualifier: Qualifier::Exact };
    pub const SOME: u32 = u32::MAX - 1;

    /// The number, when one is given.
    pub fn number(self) -> Option<u32> {
        (self.value < Tally::SOME).then_some(self.value)
    }
}

/// What linking needs of one event.
#[derive(Debug, Clone, Copy)]
pub struct LinkEvent {
    /// Stable order: the order the events were stored in. The first event of an incident
    /// names it; later ones join.
    pub seq: u64,
    /// Interned document id.
    pub doc: u32,
    pub etype: TypeId,
    pub family: u16,
    pub date: Span,
    /// Interned governorate code, 0 when there is none.
    pub admin1: u32,
    /// Interned district code, 0 when there is none.
    pub admin2: u32,
    /// Interned place key (gazetteer id, or `~` and the name for places the gazetteer lacks),
    /// 0 when there is none.
    pub place: u32,
    /// Coordinates; NaN when unknown.
    pub lat: f32,
    pub lon: f32,
    pub loc: LocPrecision,
    pub perps: Actors,
    pub targets: Actors,
    pub counts: [Tally; 6],
}

impl LinkEvent {
    /// Has coordinates and a place-level precision: it can be compared by distance.
    pub fn precise(&self) -> bool {
        matches!(self.loc, LocPrecision::Place | LocPrecision::Near) && !self.lat.is_nan() && !self.lon.is_nan()
    }
}

/// What linking needs of one event before its strings are interned: what [`Events::push`]
/// derives from an event record, and what the store keeps beside each event (its link key),
/// so that linking never parses the records themselves.
#[derive(Debug, Clone, PartialEq)]
pub struct LinkKey {
    pub event_type: String,
    pub date: Span,
    pub admin1: Option<String>,
    pub admin2: Option<String>,
    /// Gazetteer id, or `~` and the name for places the gazetteer lacks; only with a
    /// governorate.
    pub place: Option<String>,
    /// The place's name, for explanations (with `place`).
    pub place_name: Option<String>,
    pub loc: LocPrecision,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub perps: Actors,
    pub targets: Actors,
    pub counts: [Tally; 6],
}

impl LinkKey {
    /// The link key of an event record.
    pub fn of(ev: &EventRecord) -> LinkKey {
        let loc = ev.location.as_ref();
        let place = match loc {
            Some(l) if l.admin1.is_some() => match (&l.place_id, &l.name_ar) {
                (Some(id), _) => Some(id.clone()),
                (None, Some(name)) if !name.is_empty() => Some(format!("~{name}")),
                _ => None,
            },
            _ => None,
        };
        let place_name = match (loc, &place) {
            (Some(l), Some(_)) => Some(l.name_ar.clone().or_else(|| l.name_en.clone()).unwrap_or_else(|| l.text.clone())),
            _ => None,
        };
        let mut counts = [Tally::NONE; 6];
        for (role, c) in &ev.counts {
            if let Some(i) = ROLES.iter().position(|r| r == role) {
                let value = match c.value {
                    Some(v) => v.min(u64::from(Tally::SOME - 1)) as u32,
                    None => Tally::SOME,
                };
                counts[i] = Tally { value, qualifier: c.qualifier };
            }
        }
        LinkKey {
            event_type: ev.event_type.clone(),
            date: Span::of(ev.date.from.as_deref(), ev.date.to.as_deref(), ev.date.precision),
            admin1: loc.and_then(|l| l.admin1.clone()),
            admin2: loc.and_then(|l| l.admin2.clone()),
            place,
            place_name,
            loc: loc.map_or(LocPrecision::Unknown, |l| LocPrecision::parse(&l.precision)),
            lat: loc.and_then(|l| l.lat),
            lon: loc.and_then(|l| l.lon),
            perps: Actors::of(&ev.perpetrators),
            targets: Actors::of(&ev.targets),
            counts,
        }
    }

    /// Has coordinates and a place-level precision (see [`LinkEvent::precise`]).
    pub fn precise(&self) -> bool {
        matches!(self.loc, LocPrecision::Place | LocPrecision::Near) && self.lat.is_some() && self.lon.is_some()
    }

    /// The map cell the linker files a precise event under (see [`cell_of`]).
    pub fn cell(&self) -> Option<(i32, i32)> {
        match (self.precise(), self.lat, self.lon) {
            (true, Some(lat), Some(lon)) => Some(cell_of(lat as f32, lon as f32)),
            _ => None,
        }
    }
}

/// Size of a map cell of the place index, in degrees (about 9 to 11 km in Syria).
pub const CELL_DEG: f32 = 0.1;

/// The map cell of a point (in the f32 coordinates linking compares).
pub fn cell_of(lat: f32, lon: f32) -> (i32, i32) {
    ((lat / CELL_DEG).floor() as i32, (lon / CELL_DEG).floor() as i32)
}

/// A fingerprint of everything a stored [`LinkKey`] depends on besides the record: the
/// listed types and actor codes (stored as indices and bits), the count roles, the date
/// classes and the cell size. A store whose keys were written under another fingerprint
/// computes them again.
pub fn key_format() -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    // Raise when the derivation of a key changes in a way the list below does not show.
    h.update(b"link-key 1\n");
    for t in marsad_model::EVENT_TYPES {
        h.update(t.as_bytes());
        h.update(b",");
    }
    h.update(b"\n");
    for a in marsad_model::ACTOR_CODES {
        h.update(a.as_bytes());
        h.update(b",");
    }
    h.update(format!("\n{ROLES:?}\n{SHARP_SPAN_DAYS} {LOOKBACK_DAYS} {CELL_DEG}").as_bytes());
    hex::encode(&h.finalize()[..8])
}

/// Strings interned to small integers (0 is reserved for "none").
#[derive(Debug, Default, Clone)]
pub struct Interner {
    ids: HashMap<String, u32>,
    names: Vec<String>,
}

impl Interner {
    pub fn intern(&mut self, s: &str) -> u32 {
        if let Some(&id) = self.ids.get(s) {
            return id;
        }
        self.names.push(s.to_string());
        let id = self.names.len() as u32;
        self.ids.insert(s.to_string(), id);
        id
    }

    /// The id of a string interned already (0 when it was not).
    pub fn get(&self, s: &str) -> u32 {
        self.ids.get(s).copied().unwrap_or(0)
    }

    /// The string of an id (`""` for 0 or an unknown id).
    pub fn name(&self, id: u32) -> &str {
        if id == 0 {
            return "";
        }
        self.names.get(id as usize - 1).map_or("", String::as_str)
    }
}

/// The events to link, with their ids and the strings their fields were interned from.
///
/// Documents are numbered by [`Events::push`] (interned ids) or by the caller of
/// [`Events::push_key`] (the store's document keys): one set of events uses one numbering.
#[derive(Debug, Default, Clone)]
pub struct Events {
    pub items: Vec<LinkEvent>,
    /// Event ids, parallel to `items`.
    pub ids: Vec<String>,
    pub names: Interner,
    /// Place key → the place's name, for explanations.
    pub place_names: HashMap<u32, String>,
    /// For each event, its *body*: events with one body differ only in their document and
    /// stored order, so they compare alike with every other event (of another document).
    body: Vec<u32>,
    /// Body → the first event that has it.
    body_first: Vec<u32>,
    /// Hash of a body's fields → body (a hash shared by two bodies keeps the first).
    body_by_hash: HashMap<u64, u32>,
    /// Stored events left out as the same as an event of their incident (see
    /// [`Events::collapse`]): (that event, the document of the one left out).
    pub(crate) collapsed: Vec<(u32, u32)>,
}

impl Events {
    pub fn new() -> Self {
        Events::default()
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Adds an event record; `seq` orders events (the store's insertion order). Returns its
    /// index.
    pub fn push(&mut self, ev: &EventRecord, seq: u64) -> usize {
        let doc = self.names.intern(&ev.doc);
        self.push_key(&LinkKey::of(ev), seq, doc, ev.id.clone())
    }

    /// Adds an event by its link key; `doc` numbers its document (see [`Events`]). Returns its
    /// index.
    pub fn push_key(&mut self, key: &LinkKey, seq: u64, doc: u32, id: String) -> usize {
        let etype = taxonomy::type_id(&key.event_type)
            .unwrap_or_else(|| taxonomy::OTHER_TYPES + self.names.intern(&format!("type:{}", key.event_type)) as TypeId);
        let admin1 = key.admin1.as_deref().map_or(0, |s| self.names.intern(s));
        let admin2 = key.admin2.as_deref().map_or(0, |s| self.names.intern(s));
        let place = key.place.as_deref().map_or(0, |s| self.names.intern(s));
        if place != 0 && !self.place_names.contains_key(&place) {
            if let Some(name) = &key.place_name {
                self.place_names.insert(place, name.clone());
            }
        }
        let item = LinkEvent {
            seq,
            doc,
            etype,
            family: taxonomy::family(etype),
            date: key.date,
            admin1,
            admin2,
            place,
            lat: key.lat.map_or(f32::NAN, |v| v as f32),
            lon: key.lon.map_or(f32::NAN, |v| v as f32),
            loc: key.loc,
            perps: key.perps,
            targets: key.targets,
            counts: key.counts,
        };
        let index = self.items.len();
        let hash = body_hash(&item);
        let body = match self.body_by_hash.get(&hash) {
            Some(&b) if same_body(&self.items[self.body_first[b as usize] as usize], &item) => b,
            found => {
                let b = self.body_first.len() as u32;
                self.body_first.push(index as u32);
                if found.is_none() {
                    self.body_by_hash.insert(hash, b);
                }
                b
            }
        };
        self.items.push(item);
        self.ids.push(id);
        self.body.push(body);
        index
    }

    /// Records that a stored event of document `doc`, with the same key as event `rep` and in
    /// the same incident after it, was left out: it compares as `rep` does, so linking needs
    /// only its document (for the same-document veto between incidents).
    pub fn collapse(&mut self, rep: usize, doc: u32) {
        self.collapsed.push((rep as u32, doc));
    }

    /// The body of an event (see the field).
    pub fn body(&self, i: usize) -> u32 {
        self.body[i]
    }

    /// How many distinct bodies the events have.
    pub fn bodies(&self) -> usize {
        self.body_first.len()
    }

    /// The blocking family of a type name, when the events know it (an unlisted type is a
    /// family of its own, known only once an event of it was pushed).
    pub fn family_of(&self, event_type: &str) -> Option<u16> {
        match taxonomy::type_id(event_type) {
            Some(t) => Some(taxonomy::family(t)),
            None => match self.names.get(&format!("type:{event_type}")) {
                0 => None,
                n => Some(taxonomy::family(taxonomy::OTHER_TYPES + n as TypeId)),
            },
        }
    }

    /// A place's name for explanations.
    pub fn place_name(&self, place: u32) -> &str {
        self.place_names.get(&place).map_or_else(|| self.names.name(place).trim_start_matches('~'), String::as_str)
    }

    /// A type name for explanations.
    pub fn type_name(&self, t: TypeId) -> String {
        match taxonomy::type_name(t) {
            Some(n) => n.to_string(),
            None => self.names.name(u32::from(t - taxonomy::OTHER_TYPES)).trim_start_matches("type:").to_string(),
        }
    }
}

/// A hash of the fields [`same_body`] compares.
fn body_hash(e: &LinkEvent) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    (e.etype, e.family, e.date.from, e.date.to, e.date.class as u8, e.date.precision as u8).hash(&mut h);
    (e.admin1, e.admin2, e.place, e.lat.to_bits(), e.lon.to_bits(), e.loc as u8).hash(&mut h);
    for side in [e.perps, e.targets] {
        (side.named, side.suspected, side.unknown).hash(&mut h);
    }
    for t in e.counts {
        (t.value, t.qualifier as u8).hash(&mut h);
    }
    h.finish()
}

/// Whether two events have one body: every field but `seq` and `doc` equal (coordinates
/// bit for bit, so that two unknown ones are equal).
fn same_body(a: &LinkEvent, b: &LinkEvent) -> bool {
    a.etype == b.etype
        && a.family == b.family
        && a.date == b.date
        && a.admin1 == b.admin1
        && a.admin2 == b.admin2
        && a.place == b.place
        && a.lat.to_bits() == b.lat.to_bits()
        && a.lon.to_bits() == b.lon.to_bits()
        && a.loc == b.loc
        && a.perps == b.perps
        && a.targets == b.targets
        && a.counts == b.counts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_of_each_precision() {
        let d = Span::of(Some("2023-03-14"), Some("2023-03-14"), DatePrecision::Day);
        assert_eq!((d.class, d.to - d.from), (DateClass::Sharp, 0));
        let r = Span::of(Some("2023-03-13"), Some("2023-03-14"), DatePrecision::Range);
        assert_eq!(r.class, DateClass::Sharp);
        let w = Span::of(Some("2023-03-01"), Some("2023-03-14"), DatePrecision::Range);
        assert_eq!(w.class, DateClass::Loose);
        let m = Span::of(Some("2023-03-01"), Some("2023-03-31"), DatePrecision::Month);
        assert_eq!((m.class, m.to - m.from), (DateClass::Loose, 30));
        let o = Span::of(None, Some("2023-03-14"), DatePrecision::OnOrBefore);
        assert_eq!((o.class, o.to - o.from), (DateClass::Loose, LOOKBACK_DAYS));
        assert_eq!(Span::of(None, None, DatePrecision::Unknown).class, DateClass::Unknown);
        assert_eq!(Span::of(Some("garbage"), None, DatePrecision::Day).class, DateClass::Unknown);
    }

    #[test]
    fn actors_keep_suspected_and_unknown_apart() {
        let r = |a: &str, s: bool| ActorRef { actor: a.into(), text: String::new(), suspected: s };
        let a = Actors::of(&[r("UNKNOWN", false), r("ISIS", true)]);
        assert!(a.unknown);
        assert_eq!(a.named, a.suspected);
        let b = Actors::of(&[r("ISIS", true), r("ISIS", false)]);
        assert_eq!(b.suspected, 0);
    }
}
