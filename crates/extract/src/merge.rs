//! Within-document merging: the headline, the lede and a later paragraph about one incident
//! become one event; distinct incidents stay apart.
//!
//! A candidate joins an earlier event only with positive evidence — it refers back (a definite
//! "الهجوم"، "العملية"، "الكمين"), the earlier one is the headline and this is the first
//! compatible report in the body, they name the same specific place, or it cannot stand alone
//! and follows right after — and never across a block: a new-event cue ("في حادثة أخرى"،
//! "وكذلك"), another governorate or village, dates that cannot overlap, or types of different
//! families (an attack and the prison break it caused are two events).

use crate::candidates::Candidate;
use crate::discourse::{self, Class};
use crate::prepare::Prepared;
use marsad_text::dates::Precision;

/// An event: the candidates that tell it, in text order.
#[derive(Debug, Clone)]
pub struct Event {
    pub parts: Vec<Candidate>,
}

impl Event {
    /// The type of the event: the most specific of its standalone parts.
    pub fn event_type(&self) -> &'static str {
        // Within the family of the event's first report: a re-capture of escapees joined to a
        // prison break does not make it an arrest.
        let mut best = self.parts[0].event_type;
        let fam = family(best);
        let first = best;
        // A plain attack may turn out to be shelling or a strike once the body says how.
        let allowed = |t: &str| family(t) == fam || (first == "armed_attack" && family(t) == 2);
        for c in self.parts.iter().filter(|c| c.standalone && allowed(c.event_type)) {
            if type_rank(c.event_type) < type_rank(best) {
                best = c.event_type;
            }
        }
        best
    }
}

fn type_rank(t: &str) -> usize {
    const ORDER: &[&str] = &[
        "execution", "ambush", "bombing", "airstrike", "shelling", "assassination", "abduction", "security_operation",
        "armed_attack", "armed_clash", "arrest", "killing",
    ];
    ORDER.iter().position(|x| *x == t).unwrap_or(ORDER.len())
}

/// Type families that can tell one incident.
fn family(t: &str) -> u8 {
    match t {
        "armed_attack" | "ambush" | "armed_clash" | "bombing" | "assassination" | "execution" | "abduction" | "killing" => 1,
        "shelling" | "airstrike" => 2,
        "security_operation" | "arrest" | "weapons_seizure" => 3,
        "prison_break" => 4,
        "displacement" => 5,
        "curfew" => 6,
        "mobilization" => 7,
        "territorial_change" => 8,
        _ => 9,
    }
}

fn compatible(a: &str, b: &str) -> bool {
    let (fa, fb) = (family(a), family(b));
    // A raid is fought: its clashes are part of it.
    if (fa == 3 && b == "armed_clash") || (fb == 3 && a == "armed_clash") {
        return true;
    }
    fa == fb || (fa == 1 && b == "killing") || (fb == 1 && a == "killing") || (fa == 2 && b == "killing") || (fb == 2 && a == "killing")
}

/// Place keys of a clause: governorates and specific places named in it.
struct PlaceKeys {
    admin1: Vec<String>,
    specific: Vec<String>,
}

fn place_keys(p: &Prepared, c: &Candidate) -> PlaceKeys {
    let gaz = &p.engine.gazetteer;
    let s = &p.sentences[c.clause.sentence];
    // The place the clause itself names (no guessing from the article's region), else the one
    // its sentence names.
    let loc = marsad_geo::locate_strict(gaz, &p.geo, &p.norm, p.original, &[(c.clause.start, c.clause.end)], Some(c.trigger.0))
        .or_else(|| marsad_geo::locate_strict(gaz, &p.geo, &p.norm, p.original, &[(s.start, s.end)], Some(c.trigger.0)))
        // "وشهدت تلك المنطقة هجوما": the place of the sentences around, for its governorate.
        .or_else(|| {
            marsad_geo::locate(gaz, &p.geo, &p.norm, p.original, &[(s.start, s.end)], Some(c.trigger.0))
                .map(|mut l| {
                    l.place_id = None;
                    l.precision = "admin1".into();
                    l
                })
        });
    let mut admin1 = Vec::new();
    let mut specific = Vec::new();
    if let Some(l) = loc {
        // A phrase that names two governorates ("ريفي حمص ودير الزور") pins neither.
        let t = marsad_text::normalize::fold(&l.text);
        let several = matches!(l.precision.as_str(), "admin1" | "region" | "admin2")
            && (t.split_whitespace().skip(1).any(|w| w.starts_with('و') && w.len() > 2) || t.split_whitespace().any(|w| discourse::is(w, Class::DualRegion)));
        if let Some(a) = l.admin1.clone().filter(|_| !several) {
            admin1.push(a);
        }
        match l.place_id.as_deref().and_then(|id| gaz.by_id(id)) {
            // Towns and villages part incidents; a site or a neighbourhood may be named
            // differently by each sentence about one incident.
            Some(idx) if matches!(l.precision.as_str(), "place" | "near") && gaz.place(idx).level == "place" => specific.push(idx.to_string()),
            Some(_) => {}
            None => {
                // A village the gazetteer does not know still parts incidents: by the known
                // town it is said to lie in ("قرية حريزة التابعة لبلدة الصبحة"), else by its name.
                let words: Vec<&str> = t.split_whitespace().skip_while(|w| discourse::is(w, Class::Relation)).collect();
                let first = words.first().copied().unwrap_or("");
                if l.lat.is_none() && discourse::is(first, Class::Village) {
                    let container = p
                        .geo
                        .matches
                        .iter()
                        .filter(|m| m.start >= c.clause.start && m.end <= c.clause.end && m.places.len() == 1)
                        .map(|m| m.places[0])
                        .find(|&i| gaz.place(i).level == "place" && t.contains(&marsad_text::normalize::fold(&gaz.place(i).name_ar)));
                    match container {
                        Some(i) => specific.push(i.to_string()),
                        None => {
                            let name: String = words.iter().skip(1).take(2).copied().collect::<Vec<_>>().join(" ");
                            specific.push(format!("?{name}"));
                        }
                    }
                }
            }
        }
    }
    PlaceKeys { admin1, specific }
}

fn place_conflict(a: &PlaceKeys, b: &PlaceKeys) -> bool {
    let admin_clash = !a.admin1.is_empty() && !b.admin1.is_empty() && !a.admin1.iter().any(|x| b.admin1.contains(x));
    let place_clash = !a.specific.is_empty() && !b.specific.is_empty() && !a.specific.iter().any(|x| b.specific.contains(x));
    admin_clash || place_clash
}

fn same_place(a: &PlaceKeys, b: &PlaceKeys) -> bool {
    a.specific.iter().any(|x| b.specific.contains(x))
}

fn date_conflict(a: &Candidate, b: &Candidate) -> bool {
    if let (Some((da, ma)), Some((db, mb))) = (a.day, b.day) {
        if da != db || matches!((ma, mb), (Some(x), Some(y)) if x != y) {
            return true;
        }
    }
    let (Some((ra, _)), Some((rb, _))) = (&a.date, &b.date) else { return false };
    if matches!(ra.precision, Precision::OnOrBefore | Precision::Unknown) || matches!(rb.precision, Precision::OnOrBefore | Precision::Unknown) {
        return false;
    }
    match (ra.from, ra.to, rb.from, rb.to) {
        (Some(af), Some(at), Some(bf), Some(bt)) => {
            // One day of slack either side.
            let slack = jiff::ToSpan::days(1);
            at.checked_add(slack).is_ok_and(|x| x < bf) || bt.checked_add(slack).is_ok_and(|x| x < af)
        }
        _ => false,
    }
}

/// Named perpetrators on both sides and none in common (an ISIS attack and an SDF raid).
fn perp_conflict(e: &Event, c: &Candidate) -> bool {
    // Fighting has both sides on each side.
    if c.event_type == "armed_clash" || e.event_type() == "armed_clash" {
        return false;
    }
    let named = |code: &str| code != "UNKNOWN" && code != "CIVILIANS";
    // Forces that fight together: a joint operation names either.
    let allied = |a: &str, b: &str| {
        a == b || [["SDF", "COALITION"], ["SYRIAN_GOV", "IRAN_BACKED"], ["SYRIAN_GOV", "RUSSIA"], ["TURKEY", "SNA"], ["IRAQ_GOV", "TRIBAL"], ["IRAQ_GOV", "COALITION"]]
            .iter()
            .any(|[x, y]| (a == *x && b == *y) || (a == *y && b == *x))
    };
    let ep: Vec<&str> = e.parts.iter().flat_map(|x| x.perpetrators.iter().map(|a| a.code.as_str())).filter(|c| named(c)).collect();
    let cp: Vec<&str> = c.perpetrators.iter().map(|a| a.code.as_str()).filter(|c| named(c)).collect();
    !ep.is_empty() && !cp.is_empty() && !cp.iter().any(|x| ep.iter().any(|y| allied(x, y)))
}

/// `MARSAD_DEBUG` set: each merge decision is traced on stderr (read once, not per candidate).
static DEBUG: std::sync::LazyLock<bool> = std::sync::LazyLock::new(|| std::env::var_os("MARSAD_DEBUG").is_some());

/// Merges the candidates of a document into events.
pub fn merge(p: &Prepared, cands: Vec<Candidate>) -> Vec<Event> {
    let mut events: Vec<Event> = Vec::new();
    let mut keys: Vec<PlaceKeys> = Vec::new();
    // Whether the headline event has taken its first body report already.
    let mut title_open: Vec<bool> = Vec::new();
    for c in cands {
        let ck = place_keys(p, &c);
        let title = p.sentences[c.clause.sentence].title;
        let mut target: Option<usize> = None;
        if !c.clause.new_event && !c.another && !c.series {
            // Among the events no block parts from this candidate, the one that agrees best:
            // same type, same tolls, same place; recency breaks ties. A back-reference
            // ("الهجوم") may only name the latest compatible event.
            let mut best: Option<(f32, usize)> = None;
            let n = events.len();
            // Latest told first: an event extended a moment ago is more recent in the story
            // than one opened after it and left.
            let mut order: Vec<usize> = (0..n).collect();
            order.sort_by_key(|&i| std::cmp::Reverse(events[i].parts.last().map_or(0, |x| x.clause.start)));
            for (rank_i, &ei) in order.iter().enumerate() {
                let e = &events[ei];
                let ety = e.event_type();
                if !(compatible(ety, c.event_type) || c.recapture && ety == "prison_break") {
                    continue;
                }
                if e.parts[0].series {
                    continue;
                }
                // A newly dated sentence may complete a headline, not a told incident.
                if c.opens_with_date && e.parts.iter().any(|x| !p.sentences[x.clause.sentence].title) {
                    continue;
                }
                let blocked = place_conflict(&keys[ei], &ck)
                    || e.parts.iter().any(|x| date_conflict(x, &c))
                    || (!c.recapture && !c.attackers && perp_conflict(e, &c));
                if !blocked {
                    let mut score = -0.1 * rank_i as f32;
                    if e.parts.iter().any(|x| x.event_type == c.event_type) {
                        score += 3.0;
                    }
                    for (r, v) in c.counts.iter().filter(|(_, v)| v.is_numeric() && !v.update) {
                        let theirs: Vec<_> = e.parts.iter().flat_map(|x| x.counts.iter()).filter(|(r2, v2)| r2 == r && v2.is_numeric() && !v2.update).collect();
                        if theirs.iter().any(|(_, v2)| v2.value == v.value) {
                            score += 2.0;
                        } else if !theirs.is_empty() && !c.attackers {
                            // (The attackers killed are a part of a toll, not a rival one.)
                            score -= 2.0;
                        }
                    }
                    if !keys[ei].admin1.is_empty() && keys[ei].admin1.iter().any(|a| ck.admin1.contains(a)) {
                        score += 1.0;
                    }
                    if same_place(&keys[ei], &ck) {
                        score += 2.0;
                    }
                    // A back-reference ("المواجهات"، "الهجوم") joins its antecedent even when
                    // the toll it gives is more precise.
                    if (score > -1.5 || c.definite) && best.is_none_or(|(b, _)| score > b) {
                        best = Some((score, ei));
                    }
                }
                if c.definite {
                    break;
                }
            }
            target = best.map(|(_, ei)| ei);
        }
        if *DEBUG {
            eprintln!(
                "merge s{} {} standalone={} def={} keys={:?}/{:?} -> {:?}",
                c.clause.sentence, c.event_type, c.standalone, c.definite, ck.admin1, ck.specific, target
            );
        }
        match target {
            Some(ei) => {
                title_open[ei] = false;
                let k = &mut keys[ei];
                for a in ck.admin1 {
                    if !k.admin1.contains(&a) {
                        k.admin1.push(a);
                    }
                }
                k.specific.extend(ck.specific);
                events[ei].parts.push(c);
            }
            None => {
                if !c.standalone {
                    continue;
                }
                title_open.push(title);
                keys.push(ck);
                events.push(Event { parts: vec![c] });
            }
        }
    }
    events
}
