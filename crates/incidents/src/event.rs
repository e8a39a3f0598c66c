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

    /// The string of an id (`""` for 0 or an unknown id).
    pub fn name(&self, id: u32) -> &str {
        if id == 0 {
            return "";
        }
        self.names.get(id as usize - 1).map_or("", String::as_str)
    }
}

/// The events to link, with their ids and the strings their fields were interned from.
#[derive(Debug, Default, Clone)]
pub struct Events {
    pub items: Vec<LinkEvent>,
    /// Event ids, parallel to `items`.
    pub ids: Vec<String>,
    pub names: Interner,
    /// Place key → the place's name, for explanations.
    pub place_names: HashMap<u32, String>,
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
        let etype = taxonomy::type_id(&ev.event_type)
            .unwrap_or_else(|| taxonomy::OTHER_TYPES + self.names.intern(&format!("type:{}", ev.event_type)) as TypeId);
        let date = Span::of(ev.date.from.as_deref(), ev.date.to.as_deref(), ev.date.precision);
        let loc = ev.location.as_ref();
        let admin1 = loc.and_then(|l| l.admin1.as_deref()).map_or(0, |s| self.names.intern(s));
        let admin2 = loc.and_then(|l| l.admin2.as_deref()).map_or(0, |s| self.names.intern(s));
        let place = match loc {
            Some(l) if l.admin1.is_some() => match (&l.place_id, &l.name_ar) {
                (Some(id), _) => self.names.intern(id),
                (None, Some(name)) if !name.is_empty() => self.names.intern(&format!("~{name}")),
                _ => 0,
            },
            _ => 0,
        };
        if place != 0 && !self.place_names.contains_key(&place) {
            if let Some(l) = loc {
                let name = l.name_ar.clone().or_else(|| l.name_en.clone()).unwrap_or_else(|| l.text.clone());
                self.place_names.insert(place, name);
            }
        }
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
        let item = LinkEvent {
            seq,
            doc: self.names.intern(&ev.doc),
            etype,
            family: taxonomy::family(etype),
            date,
            admin1,
            admin2,
            place,
            lat: loc.and_then(|l| l.lat).map_or(f32::NAN, |v| v as f32),
            lon: loc.and_then(|l| l.lon).map_or(f32::NAN, |v| v as f32),
            loc: loc.map_or(LocPrecision::Unknown, |l| LocPrecision::parse(&l.precision)),
            perps: Actors::of(&ev.perpetrators),
            targets: Actors::of(&ev.targets),
            counts,
        };
        self.items.push(item);
        self.ids.push(ev.id.clone());
        self.items.len() - 1
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
