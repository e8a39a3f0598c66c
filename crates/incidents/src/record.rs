//! The `incident` record of a linked incident: its type, date, place, actors, the low / best /
//! high figures across its sources, its events, sources and links.

use crate::day;
use crate::event::{DateClass, LocPrecision, Span};
use crate::taxonomy::TYPE_SPECIFICITY;
use marsad_model::{
    ActorRef, CountRange, DatePrecision, EventDate, EventRecord, IncidentLink, IncidentRecord, IncidentSource,
    Location, Qualifier,
};
use std::collections::{BTreeMap, HashMap, HashSet};

/// One member event with what the record needs of its document.
#[derive(Debug, Clone)]
pub struct Member<'a> {
    pub event: &'a EventRecord,
    pub outlet: Option<&'a str>,
    /// The document's publication date (`YYYY-MM-DD`, `YYYY-MM` or `YYYY`).
    pub published: Option<&'a str>,
    /// Stored order.
    pub seq: u64,
    /// How it joined; `None` is shown as a seed.
    pub link: Option<IncidentLink>,
}

/// Builds the record of an incident from its members (any order).
pub fn build_record(id: &str, members: &[Member<'_>]) -> IncidentRecord {
    let mut ms: Vec<&Member<'_>> = members.iter().collect();
    ms.sort_by_key(|m| m.seq);
    // Sets beside the lists: an incident told by hundreds of documents stays linear.
    let mut sources: Vec<IncidentSource> = Vec::new();
    let mut source_docs: HashSet<&str> = HashSet::new();
    for m in &ms {
        if source_docs.insert(m.event.doc.as_str()) {
            sources.push(IncidentSource {
                doc: m.event.doc.clone(),
                outlet: m.outlet.map(str::to_string),
                published: m.published.map(str::to_string),
            });
        }
    }
    IncidentRecord {
        kind: "incident".into(),
        id: id.to_string(),
        event_type: incident_type(&ms),
        date: incident_date(&ms),
        location: incident_location(&ms),
        perpetrators: union_actors(ms.iter().map(|m| (m.event.doc.as_str(), &m.event.perpetrators))),
        targets: union_actors(ms.iter().map(|m| (m.event.doc.as_str(), &m.event.targets))),
        counts: counts(&ms),
        events: ms.iter().map(|m| m.event.id.clone()).collect(),
        sources,
        links: ms
            .iter()
            .map(|m| {
                m.link.clone().unwrap_or_else(|| IncidentLink::seed(&m.event.id))
            })
            .collect(),
    }
}

/// The type most sources give; a tie goes to the more specific type.
fn incident_type(ms: &[&Member<'_>]) -> String {
    let mut n: BTreeMap<&str, usize> = BTreeMap::new();
    for m in ms {
        *n.entry(m.event.event_type.as_str()).or_default() += 1;
    }
    let rank = |t: &str| TYPE_SPECIFICITY.iter().position(|x| *x == t).unwrap_or(usize::MAX);
    n.into_iter()
        .max_by(|a, b| a.1.cmp(&b.1).then(rank(b.0).cmp(&rank(a.0))))
        .map(|(t, _)| t.to_string())
        .unwrap_or_default()
}

fn span(m: &Member<'_>) -> Span {
    let d = &m.event.date;
    Span::of(d.from.as_deref(), d.to.as_deref(), d.precision)
}

/// - members with a day: the day most of them give (a tie: the earliest);
/// - else short ranges: their intersection, or when they do not meet, their union;
/// - else the narrowest loose date (a month before an `on_or_before`);
/// - else unknown. Undated members inherit this date.
fn incident_date(ms: &[&Member<'_>]) -> EventDate {
    let sharp: Vec<(&Member<'_>, Span)> =
        ms.iter().map(|m| (*m, span(m))).filter(|(_, s)| s.class == DateClass::Sharp).collect();
    let days: Vec<(&Member<'_>, i32)> =
        sharp.iter().filter(|(_, s)| s.from == s.to).map(|(m, s)| (*m, s.from)).collect();
    if !days.is_empty() {
        let mut n: BTreeMap<i32, usize> = BTreeMap::new();
        for (_, d) in &days {
            *n.entry(*d).or_default() += 1;
        }
        let best = n.iter().max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0))).map(|(d, _)| *d).unwrap_or(0);
        let text = days.iter().find(|(_, d)| *d == best).and_then(|(m, _)| m.event.date.text.clone());
        let s = day::format(best);
        return EventDate { from: Some(s.clone()), to: Some(s), precision: DatePrecision::Day, text };
    }
    if let Some((first, _)) = sharp.first() {
        let lo = sharp.iter().map(|(_, s)| s.from).max().unwrap_or(0);
        let hi = sharp.iter().map(|(_, s)| s.to).min().unwrap_or(0);
        let (a, b) = if lo <= hi {
            (lo, hi)
        } else {
            (sharp.iter().map(|(_, s)| s.from).min().unwrap_or(0), sharp.iter().map(|(_, s)| s.to).max().unwrap_or(0))
        };
        return EventDate {
            from: Some(day::format(a)),
            to: Some(day::format(b)),
            precision: if a == b { DatePrecision::Day } else { DatePrecision::Range },
            text: first.event.date.text.clone(),
        };
    }
    ms.iter()
        .map(|m| (*m, span(m)))
        .filter(|(_, s)| s.class == DateClass::Loose)
        .min_by_key(|(m, s)| (m.event.date.precision == DatePrecision::OnOrBefore, s.to - s.from, s.to))
        .map(|(m, _)| m.event.date.clone())
        .unwrap_or_else(EventDate::unknown)
}

fn loc_rank(l: &Location) -> LocPrecision {
    LocPrecision::parse(&l.precision)
}

/// The most precise place the sources give; among equally precise ones the one most of them
/// name, then the first.
fn incident_location(ms: &[&Member<'_>]) -> Option<Location> {
    let locs: Vec<&Location> = ms.iter().filter_map(|m| m.event.location.as_ref()).collect();
    let best = locs.iter().map(|l| loc_rank(l)).min()?;
    let top: Vec<&Location> = locs.into_iter().filter(|l| loc_rank(l) == best).collect();
    let key = |l: &Location| l.place_id.clone().or_else(|| l.name_ar.clone()).unwrap_or_else(|| l.text.clone());
    let mut n: Vec<(String, usize)> = Vec::new();
    for l in &top {
        let k = key(l);
        match n.iter_mut().find(|(x, _)| *x == k) {
            Some(e) => e.1 += 1,
            None => n.push((k, 1)),
        }
    }
    let most = n.iter().map(|(_, c)| *c).max().unwrap_or(0);
    let k = n.into_iter().find(|(_, c)| *c == most).map(|(k, _)| k)?;
    top.into_iter().find(|l| key(l) == k).cloned()
}

/// The actors that at least half of the sources naming anyone on this side name (so that
/// one outlet's misreading does not become the incident's), in the order first named;
/// `suspected` only when every mention says so; `UNKNOWN` only when nobody is named.
fn union_actors<'a>(lists: impl Iterator<Item = (&'a str, &'a Vec<ActorRef>)>) -> Vec<ActorRef> {
    let mut out: Vec<(ActorRef, HashSet<&str>)> = Vec::new();
    let mut docs: HashSet<&str> = HashSet::new();
    for (doc, list) in lists {
        if !list.is_empty() {
            docs.insert(doc);
        }
        for a in list {
            match out.iter_mut().find(|(x, _)| x.actor == a.actor) {
                Some((x, ds)) => {
                    x.suspected &= a.suspected;
                    ds.insert(doc);
                }
                None => out.push((a.clone(), HashSet::from([doc]))),
            }
        }
    }
    let need = docs.len().div_ceil(2).max(1);
    let mut kept: Vec<ActorRef> = out.into_iter().filter(|(_, ds)| ds.len() >= need).map(|(a, _)| a).collect();
    if kept.iter().any(|a| a.actor != "UNKNOWN") {
        kept.retain(|a| a.actor != "UNKNOWN");
    }
    kept
}

/// One document's report of one role.
struct Report<'a> {
    doc: &'a str,
    value: Option<u64>,
    qualifier: Qualifier,
    place: LocPrecision,
    published: Option<i32>,
    seq: u64,
}

/// Specificity of a report's place: a place (or near one) over a district over anything wider.
fn place_tier(p: LocPrecision) -> u8 {
    match p {
        LocPrecision::Place | LocPrecision::Near => 2,
        LocPrecision::Admin2 => 1,
        _ => 0,
    }
}

/// low / best / high per role (crate documentation, "Counts across sources").
fn counts(ms: &[&Member<'_>]) -> BTreeMap<String, CountRange> {
    // Per role: the reports in order, and where each document's report is.
    let mut roles: BTreeMap<&str, (Vec<Report<'_>>, HashMap<&str, usize>)> = BTreeMap::new();
    for m in ms {
        for (role, c) in &m.event.counts {
            let (reports, of_doc) = roles.entry(role.as_str()).or_default();
            let place = m.event.location.as_ref().map_or(LocPrecision::Unknown, loc_rank);
            let published = m.published.and_then(day::parse_span).map(|(a, _)| a);
            match of_doc.get(m.event.doc.as_str()).map(|&k| &mut reports[k]) {
                // One report per document: its largest figure.
                Some(r) => {
                    if c.value.is_some() && (r.value.is_none() || c.value > r.value) {
                        r.value = c.value;
                        r.qualifier = c.qualifier;
                        r.place = r.place.min(place);
                    }
                    r.seq = r.seq.max(m.seq);
                }
                None => {
                    of_doc.insert(m.event.doc.as_str(), reports.len());
                    reports.push(Report {
                    doc: &m.event.doc,
                    value: c.value,
                    qualifier: c.qualifier,
                    place,
                    published,
                    seq: m.seq,
                    })
                }
            }
        }
    }
    roles
        .into_iter()
        .map(|(role, (reports, _))| {
            let numeric: Vec<&Report<'_>> = reports.iter().filter(|r| r.value.is_some()).collect();
            let floors: Vec<u64> =
                numeric.iter().filter(|r| r.qualifier != Qualifier::UpTo).filter_map(|r| r.value).collect();
            let low = floors.iter().min().copied().or_else(|| numeric.iter().filter_map(|r| r.value).min());
            let high = numeric.iter().filter_map(|r| r.value).max();
            let best = numeric.iter().max_by_key(|r| {
                (place_tier(r.place), r.published.unwrap_or(i32::MIN), r.seq, r.qualifier == Qualifier::Exact)
            });
            (
                role.to_string(),
                CountRange {
                    low,
                    best: best.and_then(|r| r.value),
                    high,
                    reports: reports.len(),
                    best_doc: best.map(|r| r.doc.to_string()),
                },
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use marsad_model::Count;

    fn ev(doc: &str, day: Option<&str>, killed: Option<(u64, Qualifier)>, precision: &str) -> EventRecord {
        let mut counts = BTreeMap::new();
        if let Some((v, q)) = killed {
            counts.insert("killed".to_string(), Count { value: Some(v), qualifier: q });
        }
        EventRecord {
            kind: "event".into(),
            id: format!("ev-{doc}-1"),
            doc: doc.into(),
            event_type: "armed_attack".into(),
            date: match day {
                Some(d) => EventDate {
                    from: Some(d.into()),
                    to: Some(d.into()),
                    precision: DatePrecision::Day,
                    text: Some("أمس".into()),
                },
                None => EventDate::unknown(),
            },
            location: Some(Location {
                text: "x".into(),
                place_id: Some(if precision == "place" { "P1".into() } else { "SY09".into() }),
                name_ar: None,
                name_en: None,
                admin1: Some("SY09".into()),
                admin1_name: None,
                admin2: None,
                lat: None,
                lon: None,
                precision: precision.into(),
                country: Some("SY".into()),
            }),
            perpetrators: vec![ActorRef { actor: "ISIS".into(), text: "داعش".into(), suspected: doc == "c" }],
            targets: vec![],
            counts,
            claimed_by: None,
            reported_by: vec![],
            persons: vec![],
            evidence: vec![],
            confidence: 0.5,
        }
    }

    #[test]
    fn low_best_high_follow_the_rule() {
        let a = ev("a", Some("2023-03-14"), Some((5, Qualifier::Exact)), "place");
        let b = ev("b", Some("2023-03-14"), Some((12, Qualifier::UpTo)), "place");
        let c = ev("c", Some("2023-03-15"), Some((3, Qualifier::Exact)), "admin1");
        let d = ev("d", None, Some((7, Qualifier::AtLeast)), "place");
        let e = ev("e", Some("2023-03-14"), Some((9, Qualifier::Exact)), "admin1");
        let m = |e: &'static EventRecord, p: Option<&'static str>, seq| Member {
            event: e,
            outlet: Some("o"),
            published: p,
            seq,
            link: None,
        };
        let (a, b, c, d, e) = (
            Box::leak(Box::new(a)),
            Box::leak(Box::new(b)),
            Box::leak(Box::new(c)),
            Box::leak(Box::new(d)),
            Box::leak(Box::new(e)),
        );
        let r = build_record(
            "in-x",
            &[
                m(a, Some("2023-03-15"), 1),
                m(b, Some("2023-03-14"), 2),
                m(c, Some("2023-03-16"), 3),
                m(d, None, 4),
                m(e, Some("2023-03-20"), 5),
            ],
        );
        let k = &r.counts["killed"];
        // low: 3 (c; b's "up to 12" is a ceiling); high: 12; best: the latest of the
        // place-precise reports (a, b, d) is a (2023-03-15), since d has no date.
        assert_eq!((k.low, k.best, k.high, k.reports), (Some(3), Some(5), Some(12), 5));
        assert_eq!(k.best_doc.as_deref(), Some("a"));
        assert_eq!(r.date.from.as_deref(), Some("2023-03-14"));
        assert_eq!(r.date.precision, DatePrecision::Day);
        assert_eq!(r.location.as_ref().map(|l| l.precision.as_str()), Some("place"));
        assert_eq!(r.sources.len(), 5);
        assert_eq!(r.perpetrators.len(), 1);
        assert!(!r.perpetrators[0].suspected);
        assert_eq!(r.links.len(), 5);
    }

    #[test]
    fn undated_only_incident_stays_unknown() {
        let a = Box::leak(Box::new(ev("a", None, None, "place")));
        let r = build_record("in-y", &[Member { event: a, outlet: None, published: None, seq: 0, link: None }]);
        assert_eq!(r.date.precision, DatePrecision::Unknown);
        assert!(r.counts.is_empty());
    }
}
