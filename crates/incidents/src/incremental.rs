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

use crate::event::{DateClass, Events, LinkEvent, LinkKey};
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
        let Some(family) = events.family_of(&key.event_type) else { return false };
        if key.date.class == DateClass::Sharp {
            let governorate = match key.admin1.as_deref() {
                None => 0,
                Some(name) => match events.names.get(name) {
                    0 => OTHER_GOVERNORATE,
                    id => id,
                },
            };
            for d in key.date.from..=key.date.to {
                if self.days.contains(&(family, governorate, d)) || self.days.contains(&(family, ANY_GOVERNORATE, d)) {
                    return true;
                }
            }
        }
        match key.cell() {
            Some((x, y)) => {
                self.cells.contains(&(family, x, y))
                    || (key.date.class != DateClass::Sharp && self.undated_cells.contains(&(family, x, y)))
            }
            None => false,
        }
    }
}
