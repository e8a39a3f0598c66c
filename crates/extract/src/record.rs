//! Events and tallies as export records: fields aggregated over an event's parts, defaults
//! that Arabic news leaves implicit, and evidence as character offsets of whole sentences.

use crate::actors::{is_attack_type, ActorHit};
use crate::counts::CountVal;
use crate::merge::Event;
use crate::prepare::Prepared;
use crate::tally::Tally;
use marsad_lexicon::Role;
use marsad_model::{ActorRef, CharIndex, Count, DatePrecision, EventDate, EventRecord, Evidence, Period, Qualifier, TallyRecord};
use marsad_text::dates::{DateRange, Precision};
use std::collections::BTreeMap;

fn precision(p: Precision) -> DatePrecision {
    match p {
        Precision::Day => DatePrecision::Day,
        Precision::Range => DatePrecision::Range,
        Precision::Month => DatePrecision::Month,
        Precision::Year => DatePrecision::Year,
        Precision::OnOrBefore => DatePrecision::OnOrBefore,
        Precision::Unknown => DatePrecision::Unknown,
    }
}

fn date_rank(p: Precision) -> u8 {
    match p {
        Precision::Day => 5,
        Precision::Range => 4,
        Precision::Month => 3,
        Precision::Year => 2,
        Precision::OnOrBefore => 1,
        Precision::Unknown => 0,
    }
}

/// Evidence span of a normalised range: original text, character offsets.
fn evidence(p: &Prepared, idx: &CharIndex, start: usize, end: usize) -> Evidence {
    let (os, oe) = p.norm.orig_range(start, end, p.original);
    let text = p.original[os..oe].trim();
    let lead = p.original[os..oe].len() - p.original[os..oe].trim_start().len();
    let os2 = os + lead;
    let oe2 = os2 + text.len();
    Evidence { start: idx.char_of(os2), end: idx.char_of(oe2), text: text.to_string() }
}

fn actor_ref(p: &Prepared, h: &ActorHit) -> ActorRef {
    let (os, oe) = p.norm.orig_range(h.start, h.end, p.original);
    ActorRef { actor: h.code.clone(), text: p.original[os..oe].to_string(), suspected: h.suspected }
}

fn push_actor(list: &mut Vec<ActorRef>, r: ActorRef) {
    if let Some(old) = list.iter_mut().find(|a| a.actor == r.actor) {
        // A plain mention outweighs a hedged one.
        old.suspected &= r.suspected;
    } else {
        list.push(r);
    }
}

/// The count of one role over an event's parts: a revised toll wins, then a number over
/// `some`, then the most frequent number, earliest first on ties.
fn merge_counts(vals: &[CountVal]) -> CountVal {
    if let Some(u) = vals.iter().rev().find(|c| c.update) {
        return *u;
    }
    let numeric: Vec<&CountVal> = vals.iter().filter(|c| c.is_numeric()).collect();
    if numeric.is_empty() {
        return vals[0];
    }
    // Most frequent; on a tie the larger, since a fuller report names more victims
    // ("مقتل قيادي" then "مقتل القيادي وأحد مرافقيه").
    let mut best = numeric[0];
    let mut best_n = 0;
    for c in &numeric {
        let n = numeric.iter().filter(|x| x.value == c.value).count();
        if n > best_n || (n == best_n && c.value > best.value) {
            best = c;
            best_n = n;
        }
    }
    *best
}

fn date_string(d: Option<jiff::civil::Date>) -> Option<String> {
    d.map(|d| d.to_string())
}

/// The default date of an event the text does not date: before the publication date.
fn default_date(p: &Prepared) -> EventDate {
    match p.anchor {
        Some(a) => EventDate { from: None, to: Some(a.last().to_string()), precision: DatePrecision::OnOrBefore, text: None },
        None => EventDate::unknown(),
    }
}

fn event_date(p: &Prepared, e: &Event) -> EventDate {
    let mut best: Option<&(DateRange, (usize, usize))> = None;
    for c in &e.parts {
        if let Some(d) = &c.date {
            if best.is_none_or(|b| date_rank(d.0.precision) > date_rank(b.0.precision)) {
                best = Some(d);
            }
        }
    }
    match best {
        Some((r, (s, t))) => {
            let (os, oe) = p.norm.orig_range(*s, *t, p.original);
            EventDate {
                from: date_string(r.from),
                to: date_string(r.to),
                precision: precision(r.precision),
                text: Some(p.original[os..oe].to_string()),
            }
        }
        None => default_date(p),
    }
}

/// Export records of the events of a document.
pub fn events(p: &Prepared, events: &[Event]) -> Vec<EventRecord> {
    let idx = &p.chars;
    let mut out = Vec::new();
    for (n, e) in events.iter().enumerate() {
        let ty = e.event_type();
        // Evidence: each sentence once, in text order; only the event's own clauses of a
        // sentence that tells several events.
        let mut sents: Vec<usize> = e.parts.iter().map(|c| c.clause.sentence).collect();
        sents.sort_unstable();
        sents.dedup();
        let evidence: Vec<Evidence> = sents
            .iter()
            .map(|&si| {
                let s = &p.sentences[si];
                let shared = events.iter().enumerate().any(|(m, other)| m != n && other.parts.iter().any(|c| c.clause.sentence == si));
                if shared {
                    let lo = e.parts.iter().filter(|c| c.clause.sentence == si).map(|c| c.clause.start).min().unwrap_or(s.start);
                    let hi = e.parts.iter().filter(|c| c.clause.sentence == si).map(|c| c.clause.end).max().unwrap_or(s.end);
                    evidence(p, idx, lo, hi)
                } else {
                    evidence(p, idx, s.start, s.end)
                }
            })
            .collect();
        // Location: body sentences first (they say more than the headline), the trigger's first.
        let mut loc_sents: Vec<(usize, usize)> = Vec::new();
        for c in e.parts.iter().filter(|c| !p.sentences[c.clause.sentence].title).chain(e.parts.iter().filter(|c| p.sentences[c.clause.sentence].title)) {
            let s = &p.sentences[c.clause.sentence];
            if !loc_sents.contains(&(s.start, s.end)) {
                loc_sents.push((s.start, s.end));
            }
        }
        let first_body = e.parts.iter().find(|c| !p.sentences[c.clause.sentence].title).unwrap_or(&e.parts[0]);
        let location = marsad_geo::locate(&p.engine.gazetteer, &p.geo, &p.norm, p.original, &loc_sents, Some(first_body.trigger.0));
        // Actors.
        // Each part votes for the side of each actor; an actor goes where most parts put it
        // (both sides in a clash), so one misread clause does not turn victims into attackers.
        let mut perpetrators: Vec<ActorRef> = Vec::new();
        let mut targets: Vec<ActorRef> = Vec::new();
        let mut votes: Vec<(String, i32, i32)> = Vec::new();
        for c in &e.parts {
            for h in &c.perpetrators {
                match votes.iter_mut().find(|v| v.0 == h.code) {
                    Some(v) => v.1 += 1,
                    None => votes.push((h.code.clone(), 1, 0)),
                }
            }
            for h in &c.targets {
                match votes.iter_mut().find(|v| v.0 == h.code) {
                    Some(v) => v.2 += 1,
                    None => votes.push((h.code.clone(), 0, 1)),
                }
            }
        }
        for c in &e.parts {
            for h in &c.perpetrators {
                let v = votes.iter().find(|v| v.0 == h.code).unwrap();
                if v.1 >= v.2 || ty == "armed_clash" {
                    push_actor(&mut perpetrators, actor_ref(p, h));
                }
            }
            for h in &c.targets {
                let v = votes.iter().find(|v| v.0 == h.code).unwrap();
                if v.2 > v.1 || ty == "armed_clash" {
                    push_actor(&mut targets, actor_ref(p, h));
                }
            }
        }
        defaults(p, ty, &mut perpetrators, &mut targets);
        // Counts.
        let mut counts: BTreeMap<String, Count> = BTreeMap::new();
        for role in [Role::Killed, Role::Injured, Role::Arrested, Role::Escaped, Role::Abducted] {
            // Arrests count in raids, arrests and the re-capture after a break; attackers
            // caught after an attack are no toll of the attack.
            if role == Role::Arrested && !matches!(ty, "security_operation" | "arrest" | "prison_break") {
                continue;
            }
            let vals: Vec<CountVal> = e.parts.iter().flat_map(|c| c.counts.iter().filter(|(r, _)| *r == role).map(|(_, v)| *v)).collect();
            if vals.is_empty() {
                continue;
            }
            let c = merge_counts(&vals);
            counts.insert(role.as_str().to_string(), Count { value: c.value, qualifier: if c.value.is_none() { Qualifier::Some } else { c.qualifier } });
        }
        let claimed_by = if e.parts.iter().any(|c| c.claimed) && perpetrators.iter().any(|a| a.actor == "ISIS") {
            Some("ISIS".to_string())
        } else {
            None
        };
        let mut reported_by: Vec<String> = Vec::new();
        for c in &e.parts {
            for r in &c.reported_by {
                if !reported_by.contains(r) {
                    reported_by.push(r.clone());
                }
            }
        }
        let confidence = (0.5 + 0.1 * e.parts.len() as f32 + if counts.is_empty() { 0.0 } else { 0.1 } + if location.is_some() { 0.1 } else { 0.0 }).min(0.95);
        out.push(EventRecord {
            kind: "event".into(),
            id: format!("ev-{}-{}", p.doc.id, n + 1),
            doc: p.doc.id.clone(),
            event_type: ty.to_string(),
            date: event_date(p, e),
            location,
            perpetrators,
            targets,
            counts,
            claimed_by,
            reported_by,
            persons: Vec::new(),
            evidence,
            confidence,
        });
    }
    out
}

/// What Arabic reports leave implicit: an attack nobody is named for is by unknown
/// perpetrators (or the cells of the group the article is about); a raid is by the force the
/// article names, on the cells it hunts.
fn defaults(p: &Prepared, ty: &str, perps: &mut Vec<ActorRef>, targets: &mut Vec<ActorRef>) {
    let named = |c: &str| p.named_actors.iter().any(|a| a == c);
    if is_attack_type(ty) || ty == "prison_break" {
        if perps.is_empty() {
            let code = if named("ISIS") && !targets.iter().any(|t| t.actor == "ISIS") { "ISIS" } else { "UNKNOWN" };
            perps.push(ActorRef { actor: code.into(), text: String::new(), suspected: false });
        }
        if ty == "prison_break" && targets.is_empty() {
            if let Some(c) = ["SDF", "SYRIAN_GOV", "IRAQ_GOV"].iter().find(|c| named(c)) {
                targets.push(ActorRef { actor: (*c).into(), text: String::new(), suspected: false });
            }
        }
    } else if matches!(ty, "security_operation" | "arrest" | "weapons_seizure") {
        if perps.is_empty() {
            if let Some(c) = ["SDF", "COALITION", "SYRIAN_GOV", "IRAQ_GOV"].iter().find(|c| named(c)) {
                perps.push(ActorRef { actor: (*c).into(), text: String::new(), suspected: false });
            }
        }
        if targets.is_empty() && named("ISIS") {
            targets.push(ActorRef { actor: "ISIS".into(), text: String::new(), suspected: false });
        }
    } else if ty == "displacement" && !targets.iter().any(|t| t.actor == "CIVILIANS") {
        targets.push(ActorRef { actor: "CIVILIANS".into(), text: String::new(), suspected: false });
    }
}

/// Export records of the tallies of a document.
pub fn tallies(p: &Prepared, tallies: &[Tally]) -> Vec<TallyRecord> {
    let idx = &p.chars;
    tallies
        .iter()
        .enumerate()
        .map(|(n, t)| {
            let s = &p.sentences[t.clause.sentence];
            TallyRecord {
                kind: "tally".into(),
                id: format!("ta-{}-{}", p.doc.id, n + 1),
                doc: p.doc.id.clone(),
                measure: t.measure.to_string(),
                victims: t.victims.clone(),
                by: t.by.clone(),
                value: Count { value: t.value.value, qualifier: t.value.qualifier },
                period: Period { from: None, to: p.anchor.map(|a| a.last().to_string()) },
                reported_by: t.reported_by.clone(),
                evidence: vec![evidence(p, idx, s.start, s.end)],
            }
        })
        .collect()
}
