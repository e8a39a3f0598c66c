//! The `notes` column of the CSV export: one English sentence generated from an event's
//! fields, e.g. "ISIS executed 3 SYRIAN_GOV members near Al-Rashwaniyah (Homs) between
//! 2020-03-31 and 2020-04-01; reported by SOHR."
//!
//! [`describe`] is a pure function of the event and the phrase table
//! (`data/event_phrases.tsv`): who did what to whom (with the count of the type's main role),
//! the other counts in brackets, where, when, who claimed it and who reported it.

use crate::mapping::Mappings;
use marsad_model::{ActorRef, Count, DatePrecision, EventRecord, Location, Qualifier};

/// Count roles in the order they are mentioned.
const ROLES: &[&str] = &["killed", "injured", "arrested", "abducted", "escaped", "missing"];

/// One English sentence describing the event.
pub fn describe(ev: &EventRecord, mappings: &Mappings) -> String {
    let phrases = mappings.phrases(&ev.event_type);
    let count_role = phrases.map_or("", |p| p.count_role.as_str());
    let main_count = ev.counts.get(count_role).filter(|_| !count_role.is_empty());
    let target = target_phrase(&ev.targets, main_count);
    let singular = matches!(main_count, Some(Count { value: Some(1), qualifier: Qualifier::Exact }));
    let were = if singular { "was" } else { "were" };

    let mut s = match phrases {
        Some(p) => {
            let template = match (ev.perpetrators.is_empty(), target.is_some()) {
                (false, true) => &p.active_target,
                (false, false) => &p.active,
                (true, true) => &p.passive_target,
                (true, false) => &p.passive,
            };
            template
                .replace("{actor}", &actor_phrase(&ev.perpetrators))
                .replace("{target}", target.as_deref().unwrap_or("people"))
                .replace("{were}", were)
        }
        None => {
            let mut s = format!("A {} event", ev.event_type.replace('_', " "));
            if !ev.perpetrators.is_empty() {
                s.push_str(&format!(" by {}", actor_phrase(&ev.perpetrators)));
            }
            if let Some(t) = &target {
                s.push_str(&format!(" involving {t}"));
            }
            s
        }
    };

    let others: Vec<String> = ROLES
        .iter()
        .filter(|r| **r != count_role || main_count.is_none())
        .filter_map(|r| ev.counts.get(*r).map(|c| format!("{} {r}", count_words(c))))
        .collect();
    if !others.is_empty() {
        s.push_str(&format!(" ({})", others.join(", ")));
    }
    if let Some(loc) = &ev.location {
        s.push_str(&location_phrase(loc));
    }
    s.push_str(&date_phrase(ev));
    if let Some(c) = &ev.claimed_by {
        s.push_str(&format!("; claimed by {c}"));
    }
    if !ev.reported_by.is_empty() {
        s.push_str(&format!("; reported by {}", join_and(&ev.reported_by)));
    }
    s.push('.');
    capitalise(&s)
}

/// "ISIS", "suspected ISIS", "ISIS and SDF", "unidentified perpetrators".
fn actor_phrase(actors: &[ActorRef]) -> String {
    let names: Vec<String> = actors
        .iter()
        .map(|a| {
            let name = match a.actor.as_str() {
                "UNKNOWN" => "unidentified perpetrators".to_string(),
                "CIVILIANS" => "civilians".to_string(),
                code => code.to_string(),
            };
            if a.suspected {
                format!("suspected {name}")
            } else {
                name
            }
        })
        .collect();
    if names.is_empty() {
        "unidentified perpetrators".into()
    } else {
        join_and(&names)
    }
}

/// "3 SYRIAN_GOV members", "at least 2 civilians", "an SDF member", or `None` when the event
/// names no target and gives no count for it.
fn target_phrase(targets: &[ActorRef], count: Option<&Count>) -> Option<String> {
    let one = matches!(count, Some(Count { value: Some(1), qualifier: Qualifier::Exact }));
    let mut armed: Vec<&str> = Vec::new();
    let (mut civilians, mut unknown) = (false, false);
    for t in targets {
        match t.actor.as_str() {
            "CIVILIANS" => civilians = true,
            "UNKNOWN" => unknown = true,
            code if !armed.contains(&code) => armed.push(code),
            _ => {}
        }
    }
    let mut groups: Vec<String> = Vec::new();
    if !armed.is_empty() {
        groups.push(format!("{} {}", join_and(&armed), if one { "member" } else { "members" }));
    }
    if civilians {
        groups.push(if one { "civilian" } else { "civilians" }.to_string());
    }
    if unknown {
        groups.push(if one { "unidentified person" } else { "unidentified people" }.to_string());
    }
    if groups.is_empty() {
        count?;
        groups.push(if one { "person" } else { "people" }.to_string());
    }
    let noun = join_and(&groups);
    Some(match count {
        Some(c) => format!("{} {noun}", count_words(c)),
        None => noun,
    })
}

/// "3", "at least 367", "about 70", "several".
pub fn count_words(c: &Count) -> String {
    let Some(v) = c.value else { return "several".into() };
    match c.qualifier {
        Qualifier::Exact => v.to_string(),
        Qualifier::AtLeast => format!("at least {v}"),
        Qualifier::MoreThan => format!("more than {v}"),
        Qualifier::About => format!("about {v}"),
        Qualifier::UpTo => format!("up to {v}"),
        Qualifier::Some => "several".into(),
    }
}

/// " near Al-Rashwaniyah (Homs)", " in Deir-ez-Zor governorate", "" when nothing is known.
fn location_phrase(loc: &Location) -> String {
    let name = loc
        .name_en
        .as_deref()
        .or(loc.name_ar.as_deref())
        .filter(|n| !n.trim().is_empty())
        .unwrap_or(loc.text.as_str())
        .trim();
    let admin1 = loc.admin1_name.as_deref().filter(|a| !a.is_empty() && *a != name);
    match (loc.precision.as_str(), name.is_empty()) {
        ("unknown" | "country", true) => String::new(),
        ("admin1", _) => match loc.admin1_name.as_deref().filter(|a| !a.is_empty()) {
            Some(a) => format!(" in {a} governorate"),
            None => format!(" in {name}"),
        },
        (_, true) => admin1.map(|a| format!(" in {a} governorate")).unwrap_or_default(),
        (precision, false) => {
            let prep = if precision == "near" { "near" } else { "in" };
            match admin1 {
                Some(a) => format!(" {prep} {name} ({a})"),
                None => format!(" {prep} {name}"),
            }
        }
    }
}

/// " on 2020-03-31", " between 2020-03-31 and 2020-04-01", " on or before 2020-04-01", "".
fn date_phrase(ev: &EventRecord) -> String {
    let (from, to) = (ev.date.from.as_deref(), ev.date.to.as_deref());
    match (ev.date.precision, from, to) {
        (DatePrecision::Day, Some(d), _) | (DatePrecision::Day, None, Some(d)) => format!(" on {d}"),
        (DatePrecision::Range, Some(f), Some(t)) if f == t => format!(" on {f}"),
        (DatePrecision::Range, Some(f), Some(t)) => format!(" between {f} and {t}"),
        (DatePrecision::Month, Some(d), _) => format!(" in {}", d.get(..7).unwrap_or(d)),
        (DatePrecision::Year, Some(d), _) => format!(" in {}", d.get(..4).unwrap_or(d)),
        (DatePrecision::OnOrBefore, _, Some(t)) | (DatePrecision::Range, None, Some(t)) => {
            format!(" on or before {t}")
        }
        (DatePrecision::Range, Some(f), None) => format!(" on or after {f}"),
        _ => String::new(),
    }
}

/// "A", "A and B", "A, B and C".
fn join_and<S: AsRef<str>>(items: &[S]) -> String {
    match items {
        [] => String::new(),
        [one] => one.as_ref().to_string(),
        [init @ .., last] => {
            let init: Vec<&str> = init.iter().map(|s| s.as_ref()).collect();
            format!("{} and {}", init.join(", "), last.as_ref())
        }
    }
}

fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use marsad_model::EventDate;

    fn tables() -> Mappings {
        Mappings::builtin().expect("built-in tables")
    }

    fn actor(code: &str, suspected: bool) -> ActorRef {
        ActorRef { actor: code.into(), text: String::new(), suspected }
    }

    fn base(event_type: &str) -> EventRecord {
        EventRecord {
            kind: "event".into(),
            id: "ev-1".into(),
            doc: "d".into(),
            event_type: event_type.into(),
            date: EventDate::unknown(),
            location: None,
            perpetrators: vec![],
            targets: vec![],
            counts: Default::default(),
            claimed_by: None,
            reported_by: vec![],
            persons: vec![],
            evidence: vec![],
            confidence: 0.5,
        }
    }

    fn place(name_en: &str, admin1: &str, precision: &str) -> Location {
        Location {
            text: "نص".into(),
            place_id: None,
            name_ar: None,
            name_en: Some(name_en.into()),
            admin1: Some("SY04".into()),
            admin1_name: Some(admin1.into()),
            admin2: None,
            lat: None,
            lon: None,
            precision: precision.into(),
            country: Some("SY".into()),
        }
    }

    fn count(value: Option<u64>, qualifier: Qualifier) -> Count {
        Count { value, qualifier }
    }

    #[test]
    fn full_execution_sentence() {
        let mut ev = base("execution");
        ev.perpetrators = vec![actor("ISIS", false)];
        ev.targets = vec![actor("SYRIAN_GOV", false)];
        ev.counts.insert("killed".into(), count(Some(3), Qualifier::Exact));
        ev.location = Some(place("Al-Rashwaniyah", "Homs", "near"));
        ev.date = EventDate {
            from: Some("2020-03-31".into()),
            to: Some("2020-04-01".into()),
            precision: DatePrecision::Range,
            text: None,
        };
        ev.reported_by = vec!["SOHR".into()];
        assert_eq!(
            describe(&ev, &tables()),
            "ISIS executed 3 SYRIAN_GOV members near Al-Rashwaniyah (Homs) between 2020-03-31 and 2020-04-01; reported by SOHR."
        );
    }

    #[test]
    fn passive_voice_when_no_perpetrator_and_singular_agreement() {
        let mut ev = base("killing");
        ev.targets = vec![actor("CIVILIANS", false)];
        ev.counts.insert("killed".into(), count(Some(1), Qualifier::Exact));
        ev.date = EventDate { from: Some("2021-06-02".into()), to: Some("2021-06-02".into()), precision: DatePrecision::Day, text: None };
        assert_eq!(describe(&ev, &tables()), "1 civilian was killed on 2021-06-02.");
    }

    #[test]
    fn other_counts_follow_in_brackets_and_qualifiers_are_spelt_out() {
        let mut ev = base("bombing");
        ev.perpetrators = vec![actor("ISIS", true)];
        ev.counts.insert("killed".into(), count(Some(4), Qualifier::AtLeast));
        ev.counts.insert("injured".into(), count(None, Qualifier::Some));
        ev.location = Some(place("Deir-ez-Zor", "Deir-ez-Zor", "admin1"));
        ev.date = EventDate { from: None, to: Some("2022-01-09".into()), precision: DatePrecision::OnOrBefore, text: None };
        ev.reported_by = vec!["LOCAL_SOURCES".into(), "SOHR".into()];
        ev.claimed_by = Some("ISIS".into());
        assert_eq!(
            describe(&ev, &tables()),
            "Suspected ISIS carried out a bombing against at least 4 people (several injured) in Deir-ez-Zor governorate \
             on or before 2022-01-09; claimed by ISIS; reported by LOCAL_SOURCES and SOHR."
        );
    }

    #[test]
    fn arrests_quantify_the_target_of_a_raid() {
        let mut ev = base("security_operation");
        ev.perpetrators = vec![actor("SDF", false), actor("COALITION", false)];
        ev.targets = vec![actor("ISIS", false)];
        ev.counts.insert("arrested".into(), count(Some(5), Qualifier::Exact));
        ev.location = Some(place("Al-Busayrah", "Deir-ez-Zor", "place"));
        ev.date = EventDate { from: Some("2023-02-01".into()), to: Some("2023-02-28".into()), precision: DatePrecision::Month, text: None };
        assert_eq!(
            describe(&ev, &tables()),
            "SDF and COALITION conducted a security operation against 5 ISIS members in Al-Busayrah (Deir-ez-Zor) in 2023-02."
        );
    }

    #[test]
    fn bare_event_still_makes_a_sentence() {
        assert_eq!(describe(&base("curfew"), &tables()), "A curfew was imposed.");
        assert_eq!(describe(&base("made_up_type"), &tables()), "A made up type event.");
        let mut ev = base("ambush");
        ev.perpetrators = vec![actor("UNKNOWN", false)];
        assert_eq!(describe(&ev, &tables()), "Unidentified perpetrators carried out an ambush.");
    }
}
