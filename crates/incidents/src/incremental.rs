//! Linking a store incrementally: only the events without an incident (the *pending* ones)
//! are placed, against the stored incidents they could join, read whole; never the rest of
//! the store.
//!
//! Why the result is the one linking every stored event gives (with [`Options::relink`]
//! off): stored events keep their incidents, so only pending events are placed, and an
//! incident can change a pending event's placement only by being one of its candidates
//! ([`Blocks`] finds every incident with a member in a block the event looks through; loading
//! more is harmless, since an incident that is no candidate is never compared). A candidate is
//! loaded with all its members in stored order, so its members, bounds, index entries and its
//! order among the other incidents are what they would be. Ids a new incident must not take
//! are asked of the store ([`TakenIds`]).
//!
//! Memory: a stored member with the same key as an earlier member of its incident compares as
//! that one does with any event of another document, so it is kept as its document only
//! ([`Events::collapse`]) — unless a pending event shares its document (then the order of the
//! same-document veto matters) or a user placed it (it pins the incident). Large incidents
//! told by many outlets alike then cost a few bytes a member.

use crate::event::{DateClass, Events, LinkEvent, LinkKey, Span};
use crate::link::{cell_radius, link, Linked, Options, Prior, TakenIds};
use std::collections::{HashMap, HashSet};

/// A stored event of an incident, as the store gives it.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredMember {
    /// Stored order (the event's row).
    pub seq: u64,
    /// Its document's number (the store's key of the document).
    pub doc: u32,
    pub id: String,
    pub key: LinkKey,
    /// Placed there by a user.
    pub manual: bool,
}

/// The events of one incremental linking: the pending ones, then the stored incidents they
/// may join (see the module documentation).
#[derive(Debug, Default)]
pub struct Incremental {
    pub events: Events,
    pub prior: Vec<Option<Prior>>,
    /// Indices of the pending events.
    pub pending: Vec<usize>,
    pending_docs: HashSet<u32>,
    /// Stored events read (members of the incidents loaded, collapsed ones included).
    pub stored_read: usize,
    /// Of those, the ones kept as their document only.
    pub collapsed: usize,
}

impl Incremental {
    pub fn new() -> Self {
        Incremental::default()
    }

    /// Adds an event to place. Pending events come first, before any incident.
    pub fn push_pending(&mut self, key: &LinkKey, seq: u64, doc: u32, id: String) {
        let i = self.events.push_key(key, seq, doc, id);
        self.prior.push(None);
        self.pending.push(i);
        self.pending_docs.insert(doc);
    }

    /// The blocks the pending events look through.
    pub fn blocks(&self) -> Blocks {
        Blocks::of(&self.events, &self.pending)
    }

    /// Adds a stored incident with all its members, in stored order.
    pub fn push_incident(&mut self, id: &str, members: &[StoredMember]) {
        // Per hash of a key, the first members with that key: (member, event index).
        let mut first: HashMap<u64, Vec<(usize, usize)>> = HashMap::new();
        for (k, m) in members.iter().enumerate() {
            self.stored_read += 1;
            let alone = m.manual || self.pending_docs.contains(&m.doc);
            let hash = key_hash(&m.key);
            if !alone {
                let same = first.get(&hash).and_then(|list| list.iter().find(|(j, _)| members[*j].key == m.key));
                if let Some(&(_, rep)) = same {
                    self.events.collapse(rep, m.doc);
                    self.collapsed += 1;
                    continue;
                }
            }
            let i = self.events.push_key(&m.key, m.seq, m.doc, m.id.clone());
            self.prior.push(Some(Prior { incident: id.to_string(), manual: m.manual }));
            if !alone {
                first.entry(hash).or_default().push((k, i));
            }
        }
    }

    /// Links the pending events (see [`link`]).
    pub fn link(&self, taken: &dyn TakenIds) -> Linked {
        link(&self.events, &self.prior, taken, Options::default())
    }
}

/// A hash of every field of a key.
fn key_hash(k: &LinkKey) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    k.event_type.hash(&mut h);
    (k.date.from, k.date.to, k.date.class as u8, k.date.precision as u8).hash(&mut h);
    (&k.admin1, &k.admin2, &k.place, &k.place_name, k.loc as u8).hash(&mut h);
    (k.lat.map(f64::to_bits), k.lon.map(f64::to_bits)).hash(&mut h);
    for side in [k.perps, k.targets] {
        (side.named, side.suspected, side.unknown).hash(&mut h);
    }
    for t in k.counts {
        (t.value, t.qualifier as u8).hash(&mut h);
    }
    h.finish()
}

/// A governorate key that matches every governorate: a pending event without one looks
/// through all of them.
const ANY_GOVERNORATE: u32 = u32::MAX;
/// The governorate key of a stored event whose governorate no pending event names.
const OTHER_GOVERNORATE: u32 = u32::MAX - 1;

/// The blocks pending events look through, as the linker's candidates are found
/// (`link::State::candidates`): a stored event in one of them may put its incident among the
/// candidates of a pending event.
/// - a sharp event looks at the incidents with a sharp member on a day of its date ± 1, in its
///   governorate or with none (in every governorate when it has none);
/// - a sharp, precisely placed event also looks at the incidents that had no sharp member when
///   a precise member joined them, in the cells around its own (precise members without a
///   sharp date stand for those);
/// - a precisely placed event without a sharp date but with a named perpetrator looks at
///   every incident with a precise member in the cells around its own.
#[derive(Debug, Default, Clone)]
pub struct Blocks {
    /// (family, governorate, day) of the sharp stored events wanted.
    days: HashSet<(u16, u32, i32)>,
    /// (family, cell) where every precise stored event is wanted.
    cells: HashSet<(u16, i32, i32)>,
    /// (family, cell) where precise stored events without a sharp date are wanted.
    undated_cells: HashSet<(u16, i32, i32)>,
}

impl Blocks {
    /// The blocks of some events.
    pub fn of(events: &Events, which: &[usize]) -> Blocks {
        let mut b = Blocks::default();
        for &i in which {
            let e: &LinkEvent = &events.items[i];
            let around = |set: &mut HashSet<(u16, i32, i32)>| {
                let (x, y) = crate::event::cell_of(e.lat, e.lon);
                let r = cell_radius(e);
                for dx in -r..=r {
                    for dy in -r..=r {
                        set.insert((e.family, x + dx, y + dy));
                    }
                }
            };
            if e.date.class == DateClass::Sharp {
                for d in e.date.from - 1..=e.date.to + 1 {
                    if e.admin1 != 0 {
                        b.days.insert((e.family, e.admin1, d));
                        b.days.insert((e.family, 0, d));
                    } else {
                        b.days.insert((e.family, ANY_GOVERNORATE, d));
                    }
                }
                if e.precise() {
                    around(&mut b.undated_cells);
                }
            } else if e.precise() && e.perps.named != 0 {
                around(&mut b.cells);
            }
        }
        b
    }

    /// Whether no stored event is wanted.
    pub fn is_empty(&self) -> bool {
        self.days.is_empty() && self.cells.is_empty() && self.undated_cells.is_empty()
    }

    /// The days to read sharp stored events on, as inclusive ranges: a stored event whose
    /// date meets one may be wanted.
    pub fn day_ranges(&self) -> Vec<(i32, i32)> {
        let mut days: Vec<i32> = self.days.iter().map(|&(_, _, d)| d).collect();
        days.sort_unstable();
        days.dedup();
        let mut out: Vec<(i32, i32)> = Vec::new();
        for d in days {
            match out.last_mut() {
                Some((_, hi)) if *hi + 1 == d => *hi = d,
                _ => out.push((d, d)),
            }
        }
        out
    }

    /// The cells to read precise stored events in.
    pub fn cells(&self) -> Vec<(i32, i32)> {
        let mut cells: Vec<(i32, i32)> =
            self.cells.iter().chain(&self.undated_cells).map(|&(_, x, y)| (x, y)).collect();
        cells.sort_unstable();
        cells.dedup();
        cells
    }

    /// Whether a stored event with this key is in a block (its incident must be loaded).
    /// `events` are those the blocks were made of (for the interned names).
    pub fn wants(&self, events: &Events, key: &LinkKey) -> bool {
        self.wants_fields(events, &key.event_type, key.admin1.as_deref(), key.date, key.cell())
    }

    /// [`Blocks::wants`] of the fields of a key the blocks name: its type, governorate, date
    /// and map cell (when it is precisely placed).
    pub fn wants_fields(
        &self,
        events: &Events,
        event_type: &str,
        admin1: Option<&str>,
        date: Span,
        cell: Option<(i32, i32)>,
    ) -> bool {
        let Some(family) = events.family_of(event_type) else { return false };
        if date.class == DateClass::Sharp {
            let governorate = match admin1 {
                None => 0,
                Some(name) => match events.names.get(name) {
                    0 => OTHER_GOVERNORATE,
                    id => id,
                },
            };
            for d in date.from..=date.to {
                if self.days.contains(&(family, governorate, d)) || self.days.contains(&(family, ANY_GOVERNORATE, d)) {
                    return true;
                }
            }
        }
        match cell {
            Some((x, y)) => {
                self.cells.contains(&(family, x, y))
                    || (date.class != DateClass::Sharp && self.undated_cells.contains(&(family, x, y)))
            }
            None => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Prior;
    use marsad_model::*;
    use std::collections::{BTreeMap, HashSet};

    /// An event of `doc` on `day` (days from 2024-01-01; `None`: no date) at a place with
    /// coordinates in governorate `admin1`, by ISIS.
    fn record(doc: &str, day: Option<i32>, place: (&str, &str, f64, f64), ty: &str) -> EventRecord {
        let date = match day {
            Some(d) => {
                let s = crate::day::format(crate::day::from_civil(2024, 1, 1) + d);
                EventDate { from: Some(s.clone()), to: Some(s), precision: DatePrecision::Day, text: None }
            }
            None => EventDate::unknown(),
        };
        EventRecord {
            kind: "event".into(),
            id: format!("ev-{doc}-1"),
            doc: doc.into(),
            event_type: ty.into(),
            date,
            location: Some(Location {
                text: place.0.into(),
                place_id: Some(place.0.into()),
                name_ar: Some(place.0.into()),
                name_en: None,
                admin1: Some(place.1.into()),
                admin1_name: None,
                admin2: None,
                lat: Some(place.2),
                lon: Some(place.3),
                precision: "place".into(),
                country: Some("SY".into()),
            }),
            perpetrators: vec![ActorRef { actor: "ISIS".into(), text: "ISIS".into(), suspected: false }],
            targets: vec![],
            counts: BTreeMap::new(),
            claimed_by: None,
            reported_by: vec![],
            persons: vec![],
            evidence: vec![],
            confidence: 0.5,
        }
    }

    const TOWN: (&str, &str, f64, f64) = ("P1", "SY09", 35.15, 40.42);
    const NEXT_TOWN: (&str, &str, f64, f64) = ("P2", "SY09", 35.17, 40.45);
    const FAR_TOWN: (&str, &str, f64, f64) = ("P3", "SY02", 36.20, 37.15);

    fn pending(events: &[EventRecord]) -> Incremental {
        let mut inc = Incremental::new();
        for (k, e) in events.iter().enumerate() {
            inc.push_pending(&LinkKey::of(e), 1000 + k as u64, 1000 + k as u32, e.id.clone());
        }
        inc
    }

    #[test]
    fn a_dated_event_wants_its_days_in_its_governorate_and_the_undated_incidents_around_it() {
        let inc = pending(&[record("new", Some(10), TOWN, "armed_attack")]);
        let b = inc.blocks();
        let wants = |e: EventRecord| b.wants(&inc.events, &LinkKey::of(&e));
        assert!(wants(record("a", Some(10), TOWN, "bombing")), "same day, same family");
        assert!(!wants(record("a", Some(11), FAR_TOWN, "armed_attack")), "other governorate");
        assert!(wants(record("a", Some(9), NEXT_TOWN, "armed_attack")), "a day before");
        assert!(!wants(record("a", Some(12), TOWN, "armed_attack")), "two days after");
        assert!(!wants(record("a", Some(10), TOWN, "prison_break")), "other family");
        assert!(wants(record("a", None, NEXT_TOWN, "armed_attack")), "undated, in a cell around");
        assert!(!wants(record("a", None, FAR_TOWN, "armed_attack")), "undated, far away");
        let mut placeless = record("a", Some(10), TOWN, "armed_attack");
        placeless.location = None;
        assert!(wants(placeless), "no governorate: a candidate everywhere");
        assert_eq!(b.day_ranges(), vec![(crate::day::from_civil(2024, 1, 1) + 9, crate::day::from_civil(2024, 1, 1) + 11)]);
    }

    #[test]
    fn an_event_without_a_governorate_looks_everywhere_and_an_undated_one_by_place_only() {
        let mut placeless = record("new", Some(10), TOWN, "armed_attack");
        placeless.location = None;
        let inc = pending(&[placeless, record("new2", None, TOWN, "armed_attack")]);
        let b = inc.blocks();
        let wants = |e: EventRecord| b.wants(&inc.events, &LinkKey::of(&e));
        assert!(wants(record("a", Some(10), FAR_TOWN, "armed_attack")), "any governorate on its days");
        assert!(wants(record("a", Some(40), NEXT_TOWN, "armed_attack")), "the undated one: any date around its place");
        assert!(!wants(record("a", Some(40), FAR_TOWN, "armed_attack")));
        assert!(!b.cells().is_empty());
    }

    fn placements(l: &Linked, events: &Events) -> Vec<(String, String, Option<String>)> {
        let mut out: Vec<(String, String, Option<String>)> = (0..events.len())
            .map(|i| {
                let link = l.links[i].as_ref().map(|x| format!("{} {:?} {:?} {}", x.how, x.to, x.rule, x.score));
                (events.ids[i].clone(), l.incidents[l.incident_of[i]].id.clone(), link)
            })
            .collect();
        out.sort();
        out
    }

    #[test]
    fn stored_members_kept_as_their_document_only_change_nothing() {
        // A stored incident told by twelve outlets alike (one body), and one other report.
        let mut stored: Vec<StoredMember> = (0..12)
            .map(|k| {
                let e = record(&format!("s{k}"), Some(10), TOWN, "armed_attack");
                StoredMember { seq: k as u64 + 1, doc: k as u32 + 1, id: e.id.clone(), key: LinkKey::of(&e), manual: false }
            })
            .collect();
        let other = record("s12", Some(11), NEXT_TOWN, "bombing");
        stored.push(StoredMember { seq: 13, doc: 13, id: other.id.clone(), key: LinkKey::of(&other), manual: false });
        let new = [record("n1", Some(10), TOWN, "armed_attack"), record("n2", None, NEXT_TOWN, "armed_attack")];

        let mut collapsed = pending(&new);
        collapsed.push_incident("in-stored", &stored);
        assert_eq!((collapsed.stored_read, collapsed.collapsed), (13, 11));
        let taken: HashSet<String> = ["in-stored".to_string()].into();
        let a = collapsed.link(&taken);

        // The same without collapsing: every member an event of its own.
        let mut whole = Events::new();
        let mut prior = Vec::new();
        for (k, e) in new.iter().enumerate() {
            whole.push_key(&LinkKey::of(e), 1000 + k as u64, 1000 + k as u32, e.id.clone());
            prior.push(None);
        }
        for m in &stored {
            whole.push_key(&m.key, m.seq, m.doc, m.id.clone());
            prior.push(Some(Prior { incident: "in-stored".into(), manual: false }));
        }
        let b = crate::link(&whole, &prior, &taken, crate::Options::default());
        let pa: Vec<_> = placements(&a, &collapsed.events).into_iter().filter(|p| p.0.starts_with("ev-n")).collect();
        let pb: Vec<_> = placements(&b, &whole).into_iter().filter(|p| p.0.starts_with("ev-n")).collect();
        assert_eq!(pa, pb);
        assert!(pa.iter().all(|p| p.1 == "in-stored"), "{pa:?}");
    }

    #[test]
    fn a_pending_document_keeps_its_stored_events_apart() {
        // A stored member of a document that also has an event to place is never collapsed:
        // the same-document veto must come where that member is.
        let e = record("d", Some(10), TOWN, "armed_attack");
        let key = LinkKey::of(&e);
        let mut inc = Incremental::new();
        inc.push_pending(&key, 100, 7, "ev-d-2".into());
        let members: Vec<StoredMember> = [(1, 5), (2, 7), (3, 6)]
            .iter()
            .map(|&(seq, doc)| StoredMember { seq, doc, id: format!("ev-{seq}"), key: key.clone(), manual: false })
            .collect();
        inc.push_incident("in-x", &members);
        assert_eq!(inc.collapsed, 1, "only the third: the second shares the pending document");
        assert_eq!(inc.events.len(), 3);
    }
}
