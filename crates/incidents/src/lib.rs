//! One incident, many sources: events from different documents that tell the same happening
//! are linked into one [`IncidentRecord`](marsad_model::IncidentRecord).
//!
//! A library of pure functions over plain structs, like every stage; the `marsad` binary loads
//! the link keys ([`LinkKey`]) of the stored events without an incident and of the stored
//! incidents they could join ([`incremental`]), calls [`link()`] and stores what it returns.
//!
//! # How events are linked
//! 1. **Blocking** ([`link()`]): an event is compared only with the incidents that share its
//!    *type family* ([`taxonomy::family`]) and either its *governorate and a day* of its date
//!    (± 1 day) when its date is sharp (a day, or a range of at most
//!    [`SHARP_SPAN_DAYS`](event::SHARP_SPAN_DAYS) days), or its *map cell* (0.1°, with the
//!    neighbouring cells) when its date is loose or unknown and its place is precise (then at
//!    most the [`MAX_UNDATED_CANDIDATES`](link::MAX_UNDATED_CANDIDATES) latest incidents there
//!    with its perpetrator). Incident-level bounds (the dates and perpetrators of the members)
//!    drop candidates before any pair is compared. Each event looks at a handful of incidents,
//!    so linking is near-linear in the number of events (a million synthetic events: about 6
//!    pairs compared per event, 3.2 s on one quiet core in a release build, ~10 s with the
//!    machine shared; tests/scale.rs).
//! 2. **Comparison** ([`compare()`]) of the event with each member of a candidate incident gives
//!    signals — type, date, place, perpetrators, targets, counts — or a **veto**: same
//!    document (the extractor already decided within a document), other governorate, dates
//!    more than a day apart (a loose date must contain the other, an `on_or_before` date looks
//!    back at most [`LOOKBACK_DAYS`](event::LOOKBACK_DAYS) days), precise places farther apart
//!    than their precision allows (6 km for a place, 12 km for "near"), other districts, named
//!    perpetrators that are neither the same nor allies. One veto from any member keeps the
//!    event out of that incident (complete linkage for contradictions); support comes from the
//!    best member (single linkage for evidence).
//!
//!    Members that differ only in their document and stored order (one *body*, as when outlets
//!    publish one wire report word for word) compare alike with an event of another document,
//!    so an incident is compared through the first member of each body, and each body once per
//!    event; two incidents found unable to be one stay so (members are only added), and two
//!    found able are checked again only against new members. An incident told by hundreds of
//!    outlets alike then costs a few comparisons, not hundreds.
//! 3. **Rules** ([`compare::Rule`]): a link needs one of
//!    - `dated-place`: sharp dates within a day, the same place or within the window, and
//!      compatible types;
//!    - `dated-area`: sharp dates within a day but only a district or governorate in common:
//!      also closely compatible types, the same perpetrator, no far-apart tolls, and either an
//!      equal toll or (same day, same district) the same target;
//!    - `dated-area-unique`: as `dated-area` without an equal toll but with the same target,
//!      on overlapping dates — allowed only when exactly one incident of the block qualifies
//!      (a report that names only the governorate joins the one matching incident of that day
//!      there, and none when there are two);
//!    - `undated-place`: a loose or unknown date on either side, so the place, type and actors
//!      must carry it: the same place (or, for the very same type, a place within the window
//!      of its precision), compatible types, the same named perpetrator, no far-apart
//!      tolls, and the same target or an equal toll — at the very same place, targets that do
//!      not contradict (one side unnamed, or civilians against a force) will do. When two
//!      incidents that cannot be one qualify about equally (within
//!      [`AMBIGUITY_MARGIN`](link::AMBIGUITY_MARGIN)) the event is left on its own, with a
//!      note. An undated event inherits the incident's date range.
//!
//!    An event that qualifies for several incidents that *can* be one (no member of one
//!    vetoes a member of another, and no user placed their events) shows that they are: they
//!    are merged into the oldest, and the others' ids lead to it from then on.
//!
//!    Among the incidents that qualify, the event joins the one with the highest score (the
//!    sum of the signals). The events of one document are placed together, best pairs first
//!    and one per incident. Every link is kept with its signals
//!    ([`IncidentLink`](marsad_model::IncidentLink)) to be shown.
//!
//! # Types
//! An attack and the prison break it caused are different families, so never one incident;
//! "attack" and "bombing" of the same prison on the same day are one family and compatible
//! types (see [`taxonomy::type_compat`]).
//!
//! # Counts across sources (like UCDP's low / best / high)
//! For each role (killed, injured, …) each *document* gives one report: the largest number its
//! member events give for that role. Then
//! - **low** = the smallest credible report: the smallest number, leaving out `up_to` figures
//!   (a ceiling, not a report of that many) unless nothing else is given;
//! - **high** = the largest number reported (any qualifier);
//! - **best** = the most recent report from the most specific source: among the reports whose
//!   event is placed most precisely (a place or "near" a place, then a district, then wider),
//!   the one from the latest publication date (undated documents count as oldest; ties go to
//!   the document stored last, then to exact figures).
//!
//! # Stability
//! An incident's id is [`incident_id`] of the event that opened it (a hash of its id), kept in
//! the store. Events linked earlier keep their incident: new events only join incidents or
//! open new ones (or, bridging two, merge them into the older), so ids stay the same as
//! documents arrive and running again over the same input changes nothing. A user's merge or
//! split pins the events it moves ([`Prior::manual`]); a full re-link
//! ([`Options::relink`]) recomputes every automatic link but keeps pinned events where the user
//! put them and gives each incident back the id its earliest member had.

pub mod compare;
pub mod day;
pub mod event;
pub mod incremental;
pub mod link;
pub mod record;
pub mod taxonomy;

pub use compare::{compare, Comparison, Rule, Veto};
pub use event::{key_format, Events, LinkEvent, LinkKey};
pub use incremental::{Blocks, Incremental, StoredMember};
pub use link::{link, Linked, LinkedIncident, Options, Prior, TakenIds};
pub use record::{build_record, Member};

use sha2::{Digest, Sha256};

/// The id of an incident opened by the event `seed_event`: `in-` and 16 hex digits of a hash
/// of the event id. `salt` (0 first) gives another id when that one is taken (a document that
/// was replaced reuses its event ids).
pub fn incident_id(seed_event: &str, salt: u32) -> String {
    let mut h = Sha256::new();
    h.update(seed_event.as_bytes());
    if salt > 0 {
        h.update(format!("#{salt}").as_bytes());
    }
    let digest = h.finalize();
    format!("in-{}", hex::encode(&digest[..8]))
}

#[cfg(test)]
mod tests {
    use super::incident_id;

    #[test]
    fn ids_are_stable_short_and_salted() {
        let a = incident_id("ev-doc-1", 0);
        assert_eq!(a, incident_id("ev-doc-1", 0));
        assert!(a.starts_with("in-") && a.len() == 19, "{a}");
        assert_ne!(a, incident_id("ev-doc-1", 1));
        assert_ne!(a, incident_id("ev-doc-2", 0));
    }
}

mod batch;
pub use batch::{link_records, Outcome, StoredEvent};
