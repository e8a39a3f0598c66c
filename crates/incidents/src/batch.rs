//! Linking whole event records: build the compact events, link, and build the incident
//! records — what the `marsad` binary and the tests call.

use crate::link::{link, Linked, Options, Prior, TakenIds};
use crate::record::{build_record, Member};
use crate::Events;
use marsad_model::{DocOutput, EventRecord, IncidentLink, IncidentRecord};

/// A stored event with what linking and the incident record need besides the event.
#[derive(Debug, Clone)]
pub struct StoredEvent {
    pub record: EventRecord,
    /// The outlet and publication date of its document.
    pub outlet: Option<String>,
    pub published: Option<String>,
    /// Stored order.
    pub seq: u64,
    /// Its incident before this run.
    pub prior: Option<Prior>,
    /// How it joined that incident (kept when it stays there).
    pub link: Option<IncidentLink>,
}

impl StoredEvent {
    /// The events of extracted documents, numbered from `first_seq` in order.
    pub fn from_outputs<'a>(outputs: impl IntoIterator<Item = &'a DocOutput>, first_seq: u64) -> Vec<StoredEvent> {
        let mut out = Vec::new();
        for o in outputs {
            for ev in &o.events {
                out.push(StoredEvent {
                    record: ev.clone(),
                    outlet: o.doc.outlet.clone(),
                    published: o.doc.published.as_ref().map(|p| p.date.clone()),
                    seq: first_seq + out.len() as u64,
                    prior: None,
                    link: None,
                });
            }
        }
        out
    }
}

/// What linking records gave.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub linked: Linked,
    /// The record of each incident, parallel to `linked.incidents`.
    pub records: Vec<IncidentRecord>,
}

impl Outcome {
    /// The record of the incident that holds an event id.
    pub fn incident_of(&self, event_id: &str) -> Option<&IncidentRecord> {
        self.records.iter().find(|r| r.events.iter().any(|e| e == event_id))
    }
}

/// Links stored events (see [`link`]) and builds the record of every incident.
pub fn link_records(items: &[StoredEvent], taken: &dyn TakenIds, opts: Options) -> Outcome {
    let mut events = Events::new();
    for it in items {
        events.push(&it.record, it.seq);
    }
    let prior: Vec<Option<Prior>> = items.iter().map(|it| it.prior.clone()).collect();
    let mut linked = link(&events, &prior, taken, opts);
    // Events that moved with a merge keep their explanation, with a word on the move.
    for &i in &linked.moved {
        let it = &items[i];
        let to = &linked.incidents[linked.incident_of[i]].id;
        let from = it.prior.as_ref().map_or("?", |p| p.incident.as_str());
        let mut l = it.link.clone().unwrap_or_else(|| IncidentLink::seed(&it.record.id));
        l.note_moved(from, to);
        linked.links[i] = Some(Box::new(l));
    }
    let records = linked
        .incidents
        .iter()
        .map(|inc| {
            let members: Vec<Member<'_>> = inc
                .members
                .iter()
                .map(|&i| {
                    let it = &items[i];
                    Member {
                        event: &it.record,
                        outlet: it.outlet.as_deref(),
                        published: it.published.as_deref(),
                        seq: it.seq,
                        link: linked.links[i].as_deref().cloned().or_else(|| it.link.clone()),
                    }
                })
                .collect();
            build_record(&inc.id, &members)
        })
        .collect();
    Outcome { linked, records }
}
