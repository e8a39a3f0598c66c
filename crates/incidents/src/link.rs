//! The linker: blocking, candidate incidents, the choice, stable ids.

use crate::compare::{compare, Comparison, Rule};
use crate::event::{cell_of, DateClass, Events, LinkEvent};
use crate::incident_id;
use marsad_model::IncidentLink;
use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

/// An undated event that qualifies for two incidents whose scores are closer than this joins
/// neither: the place, type and actors do not tell which one it reports.
pub const AMBIGUITY_MARGIN: f32 = 0.25;

/// Kilometres a cell spans at least (east-west at 37°N).
const CELL_KM: f32 = 8.8;
/// At most this many "why not" notes on an event that opened its own incident.
const MAX_NOTES: usize = 3;
/// An event without a sharp date is compared with at most this many incidents (the most
/// recent of its place, kind and perpetrator): beyond that, which one it tells cannot be
/// known from place, type and actors.
pub const MAX_UNDATED_CANDIDATES: usize = 256;

/// Where an event was before this run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prior {
    pub incident: String,
    /// Placed there by a user's merge or split: kept even by a full re-link.
    pub manual: bool,
}

/// The incident ids a new incident must not take (every id issued before): a set of them, or
/// a question to the store that keeps them.
pub trait TakenIds {
    fn is_taken(&self, id: &str) -> bool;
}

impl TakenIds for HashSet<String> {
    fn is_taken(&self, id: &str) -> bool {
        self.contains(id)
    }
}

impl<F: Fn(&str) -> bool> TakenIds for F {
    fn is_taken(&self, id: &str) -> bool {
        self(id)
    }
}

/// How to link.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Recompute every automatic link (keeping the users' merges and splits) instead of only
    /// placing the events that have no incident yet.
    pub relink: bool,
}

/// One incident after linking.
#[derive(Debug, Clone, PartialEq)]
pub struct LinkedIncident {
    pub id: String,
    /// Indices into the events, in `seq` order.
    pub members: Vec<usize>,
    /// Its id was not held before this run.
    pub created: bool,
    /// Its members are not the ones it had before this run.
    pub changed: bool,
}

/// What linking decided.
#[derive(Debug, Clone, Default)]
pub struct Linked {
    pub incidents: Vec<LinkedIncident>,
    /// For each event, its incident (an index into `incidents`).
    pub incident_of: Vec<usize>,
    /// For each event placed in this run, how it joined; `None` for events that kept the
    /// incident they had (their stored explanation stands). Boxed: most events of a large
    /// store keep theirs.
    pub links: Vec<Option<Box<IncidentLink>>>,
    /// Ids held before this run that no event holds now (a full re-link can retire some).
    pub retired: Vec<String>,
    /// Incidents held before this run that an event of this run showed to be one with another
    /// (it qualified for both, and nothing in either contradicts the other): (merged, into).
    pub merged: Vec<(String, String)>,
    /// Events that kept their link but moved with such a merge.
    pub moved: Vec<usize>,
    /// Pairs of events compared (a pair whose result was known from events of the same body
    /// is not counted).
    pub comparisons: u64,
}

/// A small, fast hasher for integer keys (FxHash's mixing).
#[derive(Default, Clone, Copy)]
struct Fx(u64);

impl Hasher for Fx {
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.add(u64::from(*b));
        }
    }
    fn write_u16(&mut self, n: u16) {
        self.add(u64::from(n));
    }
    fn write_u32(&mut self, n: u32) {
        self.add(u64::from(n));
    }
    fn write_i32(&mut self, n: i32) {
        self.add(n as u32 as u64);
    }
    fn write_u64(&mut self, n: u64) {
        self.add(n);
    }
    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

impl Fx {
    fn add(&mut self, v: u64) {
        self.0 = (self.0.rotate_left(5) ^ v).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

type FxMap<K, V> = HashMap<K, V, BuildHasherDefault<Fx>>;
type FxSet<K> = HashSet<K, BuildHasherDefault<Fx>>;

#[derive(Debug)]
struct Cluster {
    id: String,
    members: Vec<u32>,
    /// The documents of the members, those left out as the same as one
    /// ([`Events::collapse`]) included, sorted: two incidents that share one cannot be merged.
    docs: Vec<u32>,
    /// The bodies of the members, sorted, and for each the first member that has it
    /// (`reps`, in member order): the members that compare differently.
    bodies: Vec<u32>,
    reps: Vec<u32>,
    /// Some member has a sharp date.
    sharp: bool,
    created: bool,
    changed: bool,
    /// The earliest `to` and the latest `from` of the dated members: an event whose date lies
    /// more than a day outside them is vetoed by some member, so it need not be compared.
    min_to: i32,
    max_from: i32,
    /// Every named perpetrator of the members.
    perps: u32,
    /// Holds events a user placed: never merged automatically.
    pinned: bool,
    /// Merged into another incident in this run.
    merged_into: Option<u32>,
}

struct State<'a> {
    events: &'a Events,
    clusters: Vec<Cluster>,
    /// (family, governorate, day) → incidents with a sharp member on that day.
    by_day: FxMap<(u16, u32, i32), Vec<u32>>,
    /// (family, cell) → incidents with a precisely placed member there.
    by_cell: FxMap<(u16, i32, i32), Vec<u32>>,
    /// (family, cell) → incidents that had no sharp date when a precise member joined.
    by_cell_undated: FxMap<(u16, i32, i32), Vec<u32>>,
    /// Governorates seen (0 included): what a placeless event looks through.
    governorates: Vec<u32>,
    stamp: Vec<u32>,
    epoch: u32,
    /// Comparisons of the event being placed with each body, valid while `memo_stamp` holds
    /// `memo_epoch` (events of one body compare alike: compare each body once).
    memo: Vec<Judged>,
    memo_stamp: Vec<u32>,
    memo_epoch: u32,
    /// Events left out as the same as event `i`: their documents are
    /// `collapsed_docs[collapsed_at[i]..collapsed_at[i + 1]]`.
    collapsed_at: Vec<u32>,
    collapsed_docs: Vec<u32>,
    of_event: Vec<u32>,
    ids_used: HashSet<String>,
    /// Pairs of incidents (lower index first) found unable to be one. That stays so: members
    /// are only added, so a contradiction or a shared document stays, and the dates only
    /// spread further apart.
    incompatible: FxSet<(u32, u32)>,
    /// Pairs of incidents found able to be one (but not merged: the event that fitted both was
    /// ambiguous), with how far they were compared ([`Seen`]).
    compatible_until: FxMap<(u32, u32), Seen>,
    comparisons: u64,
}

fn cell(e: &LinkEvent) -> (i32, i32) {
    cell_of(e.lat, e.lon)
}

/// How many cells around its own a precise event looks through: as far as the window of its
/// precision reaches.
pub(crate) fn cell_radius(e: &LinkEvent) -> i32 {
    (e.loc.window_km() / CELL_KM).ceil().max(1.0) as i32
}

fn insert_sorted(list: &mut Vec<u32>, v: u32) {
    let at = list.partition_point(|&x| x < v);
    list.insert(at, v);
}

/// Whether two sorted lists have an element in common.
fn share_one(a: &[u32], b: &[u32]) -> bool {
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => return true,
        }
    }
    false
}

fn push_once(list: &mut Vec<u32>, c: u32) {
    if list.last() != Some(&c) {
        list.push(c);
    }
}

const NONE: u32 = u32::MAX;

/// What the choice asks of a comparison, computed once per body: its veto, the rules it
/// passes, its score (the comparison itself is made again for the one pair an event joins by,
/// to explain it: keeping it for every body would take 80 bytes each).
#[derive(Debug, Clone, Copy)]
struct Judged {
    veto: Option<crate::Veto>,
    /// [`Comparison::rule`], [`Comparison::unique_rule`], [`Comparison::score`].
    rule: Option<Rule>,
    weak: Option<Rule>,
    score: f32,
}

impl Judged {
    /// A placeholder (the memo's stamp says which entries hold a comparison).
    const NONE: Judged = Judged { veto: None, rule: None, weak: None, score: 0.0 };

    fn of(cmp: Comparison) -> Judged {
        if cmp.veto.is_some() {
            return Judged { veto: cmp.veto, rule: None, weak: None, score: 0.0 };
        }
        Judged { veto: None, rule: cmp.rule(), weak: cmp.unique_rule(), score: cmp.score() }
    }
}

/// How an event compares with an incident: its best qualifying pair and best pair by the
/// unique rule, or the first veto (member, veto).
type Evaluation = Result<(Option<Pass>, Option<Pass>), (u32, crate::Veto)>;

/// How far two incidents found able to be one were compared: how many of the `reps` and of
/// the `docs` of each.
#[derive(Debug, Clone, Copy, Default)]
struct Seen {
    reps: (usize, usize),
    docs: (usize, usize),
}

/// At most this many pairs of incidents are remembered as unable to be one (16 bytes each, with
/// the table's room), a quarter as many as able to be one (48 bytes each).
const PAIRS_KEPT: usize = 1 << 21;

/// A note on why an event passed an incident over, put in words only for the events that open
/// an incident (most join one, and their notes are dropped).
#[derive(Debug, Clone)]
enum Note {
    Text(String),
    Veto { cluster: u32, member: u32, veto: crate::Veto },
}

/// A candidate incident that an event qualifies for.
#[derive(Debug, Clone, Copy)]
struct Pass {
    cluster: u32,
    member: u32,
    score: f32,
    rule: Rule,
}

impl<'a> State<'a> {
    fn new(events: &'a Events) -> Self {
        let mut governorates: Vec<u32> = events.items.iter().map(|e| e.admin1).collect();
        governorates.push(0);
        governorates.sort_unstable();
        governorates.dedup();
        let mut collapsed = events.collapsed.clone();
        collapsed.sort_unstable();
        let mut collapsed_at = Vec::with_capacity(if collapsed.is_empty() { 0 } else { events.len() + 1 });
        if !collapsed.is_empty() {
            let mut k = 0;
            for i in 0..=events.len() {
                while k < collapsed.len() && (collapsed[k].0 as usize) < i {
                    k += 1;
                }
                collapsed_at.push(k as u32);
            }
        }
        State {
            events,
            clusters: Vec::new(),
            by_day: FxMap::default(),
            by_cell: FxMap::default(),
            by_cell_undated: FxMap::default(),
            governorates,
            stamp: Vec::new(),
            epoch: 0,
            memo: vec![Judged::NONE; events.bodies()],
            memo_stamp: vec![0; events.bodies()],
            memo_epoch: 0,
            collapsed_at,
            collapsed_docs: collapsed.into_iter().map(|(_, doc)| doc).collect(),
            of_event: vec![NONE; events.len()],
            ids_used: HashSet::new(),
            incompatible: FxSet::default(),
            compatible_until: FxMap::default(),
            comparisons: 0,
        }
    }

    fn open(&mut self, id: String, created: bool) -> u32 {
        self.ids_used.insert(id.clone());
        self.clusters.push(Cluster {
            id,
            members: Vec::new(),
            docs: Vec::new(),
            bodies: Vec::new(),
            reps: Vec::new(),
            sharp: false,
            created,
            changed: created,
            min_to: i32::MAX,
            max_from: i32::MIN,
            perps: 0,
            pinned: false,
            merged_into: None,
        });
        self.stamp.push(0);
        (self.clusters.len() - 1) as u32
    }

    fn add(&mut self, c: u32, i: usize) {
        let e = &self.events.items[i];
        self.of_event[i] = c;
        let cl = &mut self.clusters[c as usize];
        cl.members.push(i as u32);
        insert_sorted(&mut cl.docs, e.doc);
        let body = self.events.body(i);
        if let Err(at) = cl.bodies.binary_search(&body) {
            cl.bodies.insert(at, body);
            cl.reps.push(i as u32);
        }
        if let (Some(&a), Some(&b)) = (self.collapsed_at.get(i), self.collapsed_at.get(i + 1)) {
            for &doc in &self.collapsed_docs[a as usize..b as usize] {
                insert_sorted(&mut cl.docs, doc);
            }
        }
        cl.perps |= e.perps.named;
        if e.date.class != DateClass::Unknown {
            cl.min_to = cl.min_to.min(e.date.to);
            cl.max_from = cl.max_from.max(e.date.from);
        }
        if e.date.class == DateClass::Sharp {
            cl.sharp = true;
            for d in e.date.from..=e.date.to {
                push_once(self.by_day.entry((e.family, e.admin1, d)).or_default(), c);
            }
        }
        if e.precise() {
            let (x, y) = cell(e);
            push_once(self.by_cell.entry((e.family, x, y)).or_default(), c);
            if !cl.sharp {
                push_once(self.by_cell_undated.entry((e.family, x, y)).or_default(), c);
            }
        }
    }

    /// The incidents an event is compared with (the blocking), oldest first. Returns whether
    /// the list was cut at [`MAX_UNDATED_CANDIDATES`].
    fn candidates(&mut self, i: usize, out: &mut Vec<u32>) -> bool {
        out.clear();
        self.epoch += 1;
        let epoch = self.epoch;
        let e = self.events.items[i];
        let stamp = &mut self.stamp;
        let mut take = |list: Option<&Vec<u32>>| {
            for &c in list.into_iter().flatten() {
                if stamp[c as usize] != epoch {
                    stamp[c as usize] = epoch;
                    out.push(c);
                }
            }
        };
        let radius = cell_radius(&e);
        let (x, y) = if e.precise() { cell(&e) } else { (0, 0) };
        let sharp = e.date.class == DateClass::Sharp;
        if sharp {
            let own = [e.admin1, 0];
            let govs: &[u32] = if e.admin1 != 0 { &own } else { &self.governorates };
            for d in e.date.from - 1..=e.date.to + 1 {
                for &g in govs {
                    take(self.by_day.get(&(e.family, g, d)));
                }
            }
            if e.precise() {
                for dx in -radius..=radius {
                    for dy in -radius..=radius {
                        take(self.by_cell_undated.get(&(e.family, x + dx, y + dy)));
                    }
                }
            }
        } else if e.precise() && e.perps.named != 0 {
            // Without a sharp date only `undated-place` can link, which needs the same place
            // and the same named perpetrator.
            for dx in -radius..=radius {
                for dy in -radius..=radius {
                    take(self.by_cell.get(&(e.family, x + dx, y + dy)));
                }
            }
        }
        let clusters = &self.clusters;
        out.retain(|&c| {
            let cl = &clusters[c as usize];
            if cl.merged_into.is_some() {
                return false;
            }
            let dated_ok = e.date.class == DateClass::Unknown
                || cl.min_to == i32::MAX
                || (e.date.from - cl.min_to <= 1 && cl.max_from - e.date.to <= 1);
            dated_ok && (sharp || cl.perps & e.perps.named != 0)
        });
        let cut = !sharp && out.len() > MAX_UNDATED_CANDIDATES;
        if cut {
            // The most recent ones: more than this many incidents of the kind and actors at
            // one place leave an undated report ambiguous anyway.
            out.sort_unstable_by(|a, b| b.cmp(a));
            out.truncate(MAX_UNDATED_CANDIDATES);
        }
        out.sort_unstable();
        cut
    }

    /// Compares an event with every member of an incident: the best qualifying pair and the
    /// best pair qualifying by the weaker unique rule, or the first veto.
    fn evaluate(&mut self, i: usize, c: u32) -> Evaluation {
        let e = &self.events.items[i];
        let cl = &self.clusters[c as usize];
        // Without a member of its document, the members after the first of each body change
        // nothing: the first veto and the first best pair are those of the first members.
        // With one, every member in order: the same-document veto comes where that member is.
        let every = cl.docs.binary_search(&e.doc).is_ok();
        let cl = &mut self.clusters[c as usize];
        let members = std::mem::take(if every { &mut cl.members } else { &mut cl.reps });
        let result = self.fold_members(i, c, &members);
        let cl = &mut self.clusters[c as usize];
        *(if every { &mut cl.members } else { &mut cl.reps }) = members;
        result
    }

    /// Compares an event with members of an incident, in order.
    fn fold_members(&mut self, i: usize, c: u32, members: &[u32]) -> Evaluation {
        let e = &self.events.items[i];
        let (mut best, mut weak): (Option<Pass>, Option<Pass>) = (None, None);
        for &m in members {
            let other = &self.events.items[m as usize];
            let body = self.events.body(m as usize) as usize;
            // The same document is a veto whatever the body; otherwise the body decides.
            let judged = if other.doc != e.doc && self.memo_stamp[body] == self.memo_epoch {
                self.memo[body]
            } else {
                self.comparisons += 1;
                let judged = Judged::of(compare(e, other));
                if other.doc != e.doc {
                    self.memo[body] = judged;
                    self.memo_stamp[body] = self.memo_epoch;
                }
                judged
            };
            if let Some(v) = judged.veto {
                return Err((m, v));
            }
            let slot = match (judged.rule, judged.weak) {
                (Some(rule), _) => Some((&mut best, rule)),
                (None, Some(rule)) => Some((&mut weak, rule)),
                (None, None) => None,
            };
            if let Some((slot, rule)) = slot {
                if slot.as_ref().is_none_or(|b| judged.score > b.score) {
                    *slot = Some(Pass { cluster: c, member: m, score: judged.score, rule });
                }
            }
        }
        Ok((best, weak))
    }

    fn fresh_id(&mut self, seed: usize, taken: &dyn TakenIds) -> String {
        let seed_id = &self.events.ids[seed];
        (0u32..)
            .map(|salt| incident_id(seed_id, salt))
            .find(|id| !taken.is_taken(id) && !self.ids_used.contains(id))
            .expect("some salt gives a free id")
    }

    /// The incidents an event may join, best first (none when it qualifies for none, or for
    /// several about equally without a date), and notes on why others were passed over.
    fn assess(&mut self, i: usize, buf: &mut Vec<u32>) -> (Vec<Pass>, Vec<Note>) {
        let cut = self.candidates(i, buf);
        self.memo_epoch += 1;
        let mut passes: Vec<Pass> = Vec::new();
        let mut weak: Vec<Pass> = Vec::new();
        let mut notes: Vec<Note> = Vec::new();
        let mut vetoes = 0;
        for &c in buf.iter() {
            match self.evaluate(i, c) {
                Ok((p, w)) => {
                    passes.extend(p);
                    weak.extend(w);
                }
                Err((member, veto)) => {
                    if vetoes < MAX_NOTES {
                        vetoes += 1;
                        notes.push(Note::Veto { cluster: c, member, veto });
                    }
                }
            }
        }
        if passes.is_empty() && weak.len() == 1 {
            passes = weak;
        } else if passes.is_empty() && weak.len() > 1 {
            let names: Vec<&str> = weak.iter().take(3).map(|p| self.clusters[p.cluster as usize].id.as_str()).collect();
            notes.insert(
                0,
                Note::Text(format!("only the governorate in common, and {} incidents fit: {}", weak.len(), names.join(", "))),
            );
        }
        passes.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.cluster.cmp(&b.cluster)));
        if cut {
            notes.insert(
                0,
                Note::Text(format!("more than {MAX_UNDATED_CANDIDATES} incidents of its kind here: compared with the latest")),
            );
        }
        (passes, notes)
    }

    /// The words of notes on event `i`.
    fn note_words(&self, i: usize, notes: &[Note]) -> Vec<String> {
        notes
            .iter()
            .map(|n| match n {
                Note::Text(t) => t.clone(),
                Note::Veto { cluster, member, veto } => format!(
                    "not {} ({} vs {}: {})",
                    self.clusters[*cluster as usize].id,
                    self.events.ids[i],
                    self.events.ids[*member as usize],
                    veto.describe()
                ),
            })
            .collect()
    }

    /// Whether two incidents may be one: neither holds events a user placed, and no member of
    /// one vetoes a member of the other.
    fn compatible(&mut self, a: u32, b: u32) -> bool {
        let (a, b) = (a.min(b), a.max(b));
        if self.incompatible.contains(&(a, b)) {
            return false;
        }
        let one = self.may_be_one(a, b);
        // What is known of pairs is only a shortcut: forgotten wholesale when it grows too large.
        if self.incompatible.len() >= PAIRS_KEPT {
            self.incompatible.clear();
        }
        if self.compatible_until.len() >= PAIRS_KEPT / 4 {
            self.compatible_until.clear();
        }
        if one {
            let (ca, cb) = (&self.clusters[a as usize], &self.clusters[b as usize]);
            self.compatible_until.insert((a, b), Seen { reps: (ca.reps.len(), cb.reps.len()), docs: (ca.docs.len(), cb.docs.len()) });
        } else {
            self.incompatible.insert((a, b));
            self.compatible_until.remove(&(a, b));
        }
        one
    }

    /// [`State::compatible`], from the members (`a` < `b`).
    fn may_be_one(&mut self, a: u32, b: u32) -> bool {
        let (ca, cb) = (&self.clusters[a as usize], &self.clusters[b as usize]);
        if ca.pinned || cb.pinned {
            return false;
        }
        let dated = |c: &Cluster| c.min_to != i32::MAX;
        if dated(ca) && dated(cb) && (ca.max_from - cb.min_to > 1 || cb.max_from - ca.min_to > 1) {
            return false;
        }
        // The veto of a pair of events of two documents depends on their bodies only: compare
        // the first member of each body with those of the other incident, then look for a
        // document on both sides (a same-document veto).
        // Pairs found without a veto before need no second look: only those with a new member.
        let seen = self.compatible_until.get(&(a, b)).copied().unwrap_or_default();
        let (seen_a, seen_b) = seen.reps;
        let events = self.events;
        for (k, &x) in ca.reps.iter().enumerate() {
            let ys = if k < seen_a { &cb.reps[seen_b..] } else { &cb.reps[..] };
            for &y in ys {
                self.comparisons += 1;
                if compare(&events.items[x as usize], &events.items[y as usize]).veto.is_some() {
                    return false;
                }
            }
        }
        // Without a new document on either side, none is shared now either.
        seen.docs == (ca.docs.len(), cb.docs.len()) || !share_one(&ca.docs, &cb.docs)
    }

    /// Moves every event of incident `from` into `into`.
    fn merge(&mut self, from: u32, into: u32) {
        let members = std::mem::take(&mut self.clusters[from as usize].members);
        let from_cluster = &mut self.clusters[from as usize];
        from_cluster.docs = Vec::new();
        from_cluster.bodies = Vec::new();
        from_cluster.reps = Vec::new();
        self.clusters[from as usize].merged_into = Some(into);
        for m in members {
            self.add(into, m as usize);
        }
        self.clusters[into as usize].changed = true;
    }

    /// Adds an event to the incident of a qualifying pair.
    fn join(&mut self, i: usize, top: &Pass) -> IncidentLink {
        let events = self.events;
        let link = IncidentLink {
            event: events.ids[i].clone(),
            how: "auto".into(),
            to: Some(events.ids[top.member as usize].clone()),
            rule: Some(top.rule.name().into()),
            score: (top.score * 100.0).round() / 100.0,
            signals: {
                let (e, m) = (&events.items[i], &events.items[top.member as usize]);
                compare(e, m).signals(e, m, events)
            },
            note: (events.items[i].date.class == DateClass::Unknown)
                .then(|| "date unknown: the incident's date applies".to_string()),
        };
        self.clusters[top.cluster as usize].changed = true;
        self.add(top.cluster, i);
        link
    }

    /// Opens an incident for an event that joins none.
    fn seed(&mut self, i: usize, notes: Vec<String>, taken: &dyn TakenIds, reusable: Option<&str>) -> IncidentLink {
        // A fresh id is one no incident had; an old one given back is new only if no incident
        // holds it now.
        let (id, created) = match reusable.filter(|id| !self.ids_used.contains(*id)) {
            Some(old) => (old.to_string(), !taken.is_taken(old)),
            None => (self.fresh_id(i, taken), true),
        };
        let c = self.open(id, created);
        self.clusters[c as usize].changed = true;
        self.add(c, i);
        IncidentLink { note: (!notes.is_empty()).then(|| notes.join("; ")), ..IncidentLink::seed(&self.events.ids[i]) }
    }
}

/// How much an event says besides its type, for the order of placing undated events.
fn richness(e: &LinkEvent) -> u8 {
    let place = if e.precise() {
        2
    } else {
        u8::from(e.admin1 != 0)
    };
    place
        + u8::from(e.perps.named != 0)
        + u8::from(e.targets.named != 0)
        + u8::from(e.counts.iter().any(|c| c.number().is_some()))
        + u8::from(e.date.class != DateClass::Unknown)
}

/// Places the events of one document (see [`link`]).
#[allow(clippy::too_many_arguments)]
fn place_document(
    st: &mut State<'_>,
    run: &[usize],
    links: &mut [Option<Box<IncidentLink>>],
    buf: &mut Vec<u32>,
    taken: &dyn TakenIds,
    prior: &[Option<Prior>],
    opts: Options,
) {
    let mut assessed: Vec<(Vec<Pass>, Vec<Note>)> = run.iter().map(|&i| st.assess(i, buf)).collect();
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    for (k, (passes, _)) in assessed.iter().enumerate() {
        pairs.extend((0..passes.len()).map(|j| (k, j)));
    }
    pairs.sort_by(|&(k1, j1), &(k2, j2)| {
        let (a, b) = (&assessed[k1].0[j1], &assessed[k2].0[j2]);
        b.score.total_cmp(&a.score).then(k1.cmp(&k2)).then(a.cluster.cmp(&b.cluster))
    });
    // decided[k]: placed, or left on its own as ambiguous.
    let mut decided = vec![false; run.len()];
    let mut used: Vec<u32> = Vec::new();
    for (k, j) in pairs {
        let top = assessed[k].0[j].cluster;
        if decided[k] || used.contains(&top) || st.clusters[top as usize].merged_into.is_some() {
            continue;
        }
        // The other incidents it qualifies for: one with it (nothing contradicts), or a rival.
        let mut bridge: Vec<u32> = Vec::new();
        let mut rival: Option<u32> = None;
        let top_score = assessed[k].0[j].score;
        let others: Vec<(u32, f32)> = assessed[k]
            .0
            .iter()
            .enumerate()
            .filter(|(j2, p)| *j2 != j && !used.contains(&p.cluster) && st.clusters[p.cluster as usize].merged_into.is_none())
            .map(|(_, p)| (p.cluster, p.score))
            .collect();
        for (c, score) in others {
            if st.compatible(top, c) {
                bridge.push(c);
            } else if score >= top_score - AMBIGUITY_MARGIN && rival.is_none() {
                rival = Some(c);
            }
        }
        decided[k] = true;
        if let (Rule::UndatedPlace, Some(r)) = (assessed[k].0[j].rule, rival) {
            let note = format!(
                "ambiguous: qualifies about equally for {} and {}",
                st.clusters[top as usize].id, st.clusters[r as usize].id
            );
            assessed[k].1.insert(0, Note::Text(note));
            continue;
        }
        let i = run[k];
        let mut link = st.join(i, &assessed[k].0[j]);
        if !bridge.is_empty() {
            let names: Vec<String> = bridge.iter().map(|&c| st.clusters[c as usize].id.clone()).collect();
            for &c in &bridge {
                st.merge(c, top);
            }
            let note = format!("it shows {} to be the same incident: merged in", names.join(", "));
            link.note = Some(match link.note.take() {
                Some(n) => format!("{n}; {note}"),
                None => note,
            });
        }
        used.push(top);
        links[i] = Some(Box::new(link));
    }
    for (k, &i) in run.iter().enumerate() {
        if links[i].is_none() {
            let notes = st.note_words(i, &std::mem::take(&mut assessed[k].1));
            let reusable = if opts.relink { prior[i].as_ref().map(|p| p.incident.as_str()) } else { None };
            links[i] = Some(Box::new(st.seed(i, notes, taken, reusable)));
        }
    }
}

/// Links events into incidents.
///
/// - `prior[i]`: the incident event `i` had before (from the store), if any; such events keep
///   it (a full re-link keeps only the users' placements).
/// - `taken`: every incident id issued before (so a new incident never takes an old id).
///
/// New events are placed in `seq` order, those with sharp dates first, so that an undated
/// report finds the dated incidents of its batch.
pub fn link(events: &Events, prior: &[Option<Prior>], taken: &dyn TakenIds, opts: Options) -> Linked {
    assert_eq!(prior.len(), events.len(), "one prior per event");
    let mut order: Vec<u32> = (0..events.len() as u32).collect();
    order.sort_by_key(|&i| (events.items[i as usize].seq, i));

    let mut st = State::new(events);
    let mut links: Vec<Option<Box<IncidentLink>>> = vec![None; events.len()];
    let mut held: FxMap<&str, u32> = FxMap::default();
    let mut prior_size: FxMap<&str, usize> = FxMap::default();
    for p in prior.iter().flatten() {
        *prior_size.entry(p.incident.as_str()).or_default() += 1;
    }

    // Events that keep their incident.
    for &i in &order {
        let i = i as usize;
        let Some(p) = &prior[i] else { continue };
        if opts.relink && !p.manual {
            continue;
        }
        let c = match held.get(p.incident.as_str()) {
            Some(&c) => c,
            None => {
                let c = st.open(p.incident.clone(), false);
                held.insert(p.incident.as_str(), c);
                c
            }
        };
        if p.manual {
            st.clusters[c as usize].pinned = true;
        }
        st.add(c, i);
    }

    // Events to place: sharp dates first, then the rest, each in stored order — the rest
    // document by document, the documents that say most first (a precise place, actors,
    // tolls), so that a thin report finds the incident a fuller one opened. The events of one
    // document are placed together: best pairs first, one event of a document per incident (an
    // attack and the clash it led to, told by one outlet, must not take each other's place in
    // another outlet's incident).
    let mut buf = Vec::new();
    for pass in [true, false] {
        let todo: Vec<usize> = order
            .iter()
            .map(|&i| i as usize)
            .filter(|&i| st.of_event[i] == NONE && (events.items[i].date.class == DateClass::Sharp) == pass)
            .collect();
        let mut runs: Vec<&[usize]> = todo.chunk_by(|&a, &b| events.items[a].doc == events.items[b].doc).collect();
        if !pass {
            runs.sort_by_key(|run| std::cmp::Reverse(run.iter().map(|&i| richness(&events.items[i])).max()));
        }
        for run in runs {
            place_document(&mut st, run, &mut links, &mut buf, taken, prior, opts);
        }
    }

    // A re-link that gives an incident back exactly its old members changed nothing.
    let mut incidents = Vec::with_capacity(st.clusters.len());
    let mut new_index = vec![usize::MAX; st.clusters.len()];
    for (ci, cl) in st.clusters.iter_mut().enumerate() {
        if cl.members.is_empty() {
            continue;
        }
        cl.members.sort_by_key(|&m| (events.items[m as usize].seq, m));
        let mut changed = cl.changed;
        if opts.relink && changed && !cl.created {
            let same = prior_size.get(cl.id.as_str()) == Some(&cl.members.len())
                && cl.members.iter().all(|&m| prior[m as usize].as_ref().is_some_and(|p| p.incident == cl.id));
            changed = !same;
        }
        new_index[ci] = incidents.len();
        incidents.push(LinkedIncident {
            id: cl.id.clone(),
            members: cl.members.iter().map(|&m| m as usize).collect(),
            created: cl.created,
            changed,
        });
    }
    let survivor = |mut c: u32| {
        while let Some(n) = st.clusters[c as usize].merged_into {
            c = n;
        }
        c
    };
    let mut merged: Vec<(String, String)> = Vec::new();
    for cl in st.clusters.iter().filter(|cl| cl.merged_into.is_some() && !cl.created) {
        let into = survivor(cl.merged_into.unwrap_or_default());
        merged.push((cl.id.clone(), st.clusters[into as usize].id.clone()));
    }
    let live: HashSet<&str> = incidents.iter().map(|x| x.id.as_str()).collect();
    let gone: HashSet<&str> = merged.iter().map(|(a, _)| a.as_str()).collect();
    let mut retired: Vec<String> = prior_size
        .keys()
        .filter(|id| !live.contains(**id) && !gone.contains(**id))
        .map(|id| id.to_string())
        .collect();
    retired.sort();
    let incident_of: Vec<usize> = st.of_event.iter().map(|&c| new_index[c as usize]).collect();
    let moved = (0..events.len())
        .filter(|&i| {
            links[i].is_none()
                && prior[i].as_ref().is_some_and(|p| p.incident != incidents[incident_of[i]].id)
        })
        .collect();
    Linked { incidents, incident_of, links, retired, merged, moved, comparisons: st.comparisons }
}

#[cfg(test)]
mod tests {
    use super::*;
    use marsad_model::*;
    use std::collections::BTreeMap;

    fn ev(doc: &str, n: usize, ty: &str, day: &str, killed: Option<u64>) -> EventRecord {
        let mut counts = BTreeMap::new();
        if let Some(k) = killed {
            counts.insert("killed".to_string(), Count { value: Some(k), qualifier: Qualifier::Exact });
        }
        let actor = |a: &str| vec![ActorRef { actor: a.into(), text: a.into(), suspected: false }];
        EventRecord {
            kind: "event".into(),
            id: format!("ev-{doc}-{n}"),
            doc: doc.into(),
            event_type: ty.into(),
            date: EventDate { from: Some(day.into()), to: Some(day.into()), precision: DatePrecision::Day, text: None },
            location: Some(Location {
                text: "P".into(),
                place_id: Some("P".into()),
                name_ar: Some("P".into()),
                name_en: None,
                admin1: Some("SY08".into()),
                admin1_name: None,
                admin2: None,
                lat: Some(36.47),
                lon: Some(40.74),
                precision: "place".into(),
                country: None,
            }),
            perpetrators: actor("ISIS"),
            targets: actor("SDF"),
            counts,
            claimed_by: None,
            reported_by: vec![],
            persons: vec![],
            evidence: vec![],
            confidence: 0.5,
        }
    }

    fn run(records: &[EventRecord]) -> (Events, Linked) {
        let mut events = Events::new();
        for (i, r) in records.iter().enumerate() {
            events.push(r, i as u64);
        }
        let linked = link(&events, &vec![None; records.len()], &HashSet::new(), Options::default());
        (events, linked)
    }

    fn together(l: &Linked, a: usize, b: usize) -> bool {
        l.incident_of[a] == l.incident_of[b]
    }

    #[test]
    fn one_documents_events_go_to_their_best_incidents() {
        // A tells the attack; B tells the clash that followed it first, then the attack.
        let recs = [
            ev("a", 1, "armed_attack", "2022-01-20", Some(20)),
            ev("b", 1, "armed_clash", "2022-01-20", None),
            ev("b", 2, "armed_attack", "2022-01-20", Some(20)),
        ];
        let (_, l) = run(&recs);
        assert!(together(&l, 0, 2), "{l:?}");
        assert!(!together(&l, 1, 2));
        assert_eq!(l.incidents.len(), 2);
        assert_eq!(l.links[2].as_ref().unwrap().how, "auto");
    }

    #[test]
    fn an_undated_report_joins_the_dated_incident_of_its_batch_and_ids_follow_the_first_event() {
        let mut u = ev("u", 1, "armed_attack", "2022-01-20", None);
        u.date = EventDate::unknown();
        // The undated report is stored first, but dated reports are placed first.
        let recs = [u, ev("a", 1, "armed_attack", "2022-01-20", Some(20)), ev("b", 1, "bombing", "2022-01-21", None)];
        let (_, l) = run(&recs);
        assert!(together(&l, 0, 1) && together(&l, 1, 2), "{l:?}");
        assert_eq!(l.incidents[0].id, crate::incident_id("ev-a-1", 0));
        assert_eq!(l.links[0].as_ref().unwrap().rule.as_deref(), Some("undated-place"));
    }

    #[test]
    fn an_undated_report_between_two_incidents_joins_neither() {
        let mut u = ev("u", 1, "armed_attack", "2022-01-20", None);
        u.date = EventDate::unknown();
        let recs = [ev("a", 1, "armed_attack", "2022-01-20", None), ev("b", 1, "armed_attack", "2022-03-02", None), u];
        let (_, l) = run(&recs);
        assert_eq!(l.incidents.len(), 3);
        let note = l.links[2].as_ref().unwrap().note.clone().unwrap();
        assert!(note.starts_with("ambiguous"), "{note}");
    }

    #[test]
    fn a_report_that_fits_two_incidents_that_can_be_one_merges_them() {
        // Stored before: the attack on a town (dated), and an undated car bomb at the prison
        // 4 km away, which could not be linked (another type, not the same place).
        let a = ev("a", 1, "armed_attack", "2022-01-20", None);
        let mut u = ev("u", 1, "bombing", "2022-01-20", None);
        u.date = EventDate::unknown();
        if let Some(l) = u.location.as_mut() {
            l.place_id = Some("PRISON".into());
            l.lat = Some(36.47 + 0.036);
        }
        // New: an undated report of an attack on the prison: it fits both.
        let mut c = u.clone();
        c.id = "ev-c-1".into();
        c.doc = "c".into();
        c.event_type = "armed_attack".into();
        let recs = [a, u, c];
        let mut events = Events::new();
        for (i, r) in recs.iter().enumerate() {
            events.push(r, i as u64);
        }
        let prior = vec![
            Some(Prior { incident: "in-a".into(), manual: false }),
            Some(Prior { incident: "in-u".into(), manual: false }),
            None,
        ];
        let taken: HashSet<String> = ["in-a".to_string(), "in-u".to_string()].into();
        let l = link(&events, &prior, &taken, Options::default());
        assert_eq!(l.incidents.len(), 1, "{l:?}");
        assert_eq!(l.incidents[0].id, "in-a", "the older incident stays");
        assert_eq!(l.merged, [("in-u".to_string(), "in-a".to_string())]);
        assert_eq!(l.moved, [1]);
        assert!(l.links[2].as_ref().unwrap().note.as_deref().unwrap_or("").contains("in-u"));

        // Had a user placed the car bomb, nothing would merge it, and the new report, fitting
        // two incidents that stay apart, joins neither.
        let prior = vec![prior[0].clone(), Some(Prior { incident: "in-u".into(), manual: true }), None];
        let l = link(&events, &prior, &taken, Options::default());
        assert_eq!(l.incidents.len(), 3);
        assert!(l.merged.is_empty());
        assert!(l.links[2].as_ref().unwrap().note.as_deref().unwrap_or("").starts_with("ambiguous"));
    }

    #[test]
    fn a_taken_id_is_never_given_again() {
        let recs = [ev("a", 1, "armed_attack", "2022-01-20", None)];
        let mut events = Events::new();
        events.push(&recs[0], 0);
        let taken: HashSet<String> = [crate::incident_id("ev-a-1", 0)].into();
        let l = link(&events, &[None], &taken, Options::default());
        assert_eq!(l.incidents[0].id, crate::incident_id("ev-a-1", 1));
        assert!(l.incidents[0].created);
    }
}
