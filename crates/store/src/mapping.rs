//! Data tables for the exports, kept as TSV files beside the code so analysts can edit them:
//!
//! - `data/event_types.tsv`: each marsad event type → marsad sub-event label, ACLED event and
//!   sub-event type, GTD attack type (shared/spec/taxonomy.md), with conditions on the event
//!   (who the targets are, whether arrests were made…). First matching row wins.
//! - `data/event_phrases.tsv`: the English sentence templates of the CSV `notes` column.
//!
//! Lines starting with `#` are comments; the first other line is the header.

use crate::StoreError;
use marsad_model::EventRecord;
use std::collections::HashMap;

const TYPES_FILE: &str = "event_types.tsv";
const PHRASES_FILE: &str = "event_phrases.tsv";
const TYPES_TSV: &str = include_str!("../data/event_types.tsv");
const PHRASES_TSV: &str = include_str!("../data/event_phrases.tsv");

/// When a row of `event_types.tsv` applies to an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Condition {
    Any,
    /// A target is `CIVILIANS` and none is an armed actor.
    TargetCivilian,
    /// A target is an armed actor (any code but `CIVILIANS` and `UNKNOWN`).
    TargetArmed,
    /// The counts give `arrested`.
    HasArrests,
    HasPerpetrator,
    /// A perpetrator is `SYRIAN_GOV`.
    PerpGov,
}

impl Condition {
    fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "any" => Condition::Any,
            "target_civilian" => Condition::TargetCivilian,
            "target_armed" => Condition::TargetArmed,
            "has_arrests" => Condition::HasArrests,
            "has_perpetrator" => Condition::HasPerpetrator,
            "perp_gov" => Condition::PerpGov,
            _ => return None,
        })
    }

    /// Whether the condition holds for an event.
    pub fn holds(self, ev: &EventRecord) -> bool {
        let armed = |code: &str| code != "CIVILIANS" && code != "UNKNOWN";
        match self {
            Condition::Any => true,
            Condition::TargetCivilian => {
                ev.targets.iter().any(|t| t.actor == "CIVILIANS") && !ev.targets.iter().any(|t| armed(&t.actor))
            }
            Condition::TargetArmed => ev.targets.iter().any(|t| armed(&t.actor)),
            Condition::HasArrests => ev.counts.contains_key("arrested"),
            Condition::HasPerpetrator => !ev.perpetrators.is_empty(),
            Condition::PerpGov => ev.perpetrators.iter().any(|p| p.actor == "SYRIAN_GOV"),
        }
    }
}

/// The comparable-dataset categories of one event type under one condition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypeMapping {
    pub event_type: String,
    pub when: Condition,
    pub sub_event_type: String,
    pub acled_event_type: String,
    pub acled_sub_event_type: String,
    /// Empty when GTD has no matching attack type.
    pub gtd_attack_type: String,
}

/// The sentence templates of one event type (see `data/event_phrases.tsv`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Phrases {
    /// The count that quantifies the target; empty for none.
    pub count_role: String,
    pub active_target: String,
    pub active: String,
    pub passive_target: String,
    pub passive: String,
}

/// Both tables, parsed.
#[derive(Debug, Clone)]
pub struct Mappings {
    types: Vec<TypeMapping>,
    phrases: HashMap<String, Phrases>,
}

/// The data lines of a TSV: (1-based line number, fields), header checked and dropped.
fn rows<'a>(
    file: &'static str,
    text: &'a str,
    header: &[&str],
) -> Result<Vec<(usize, Vec<&'a str>)>, StoreError> {
    let mut out = Vec::new();
    let mut seen_header = false;
    for (i, line) in text.lines().enumerate() {
        let line_no = i + 1;
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let fields: Vec<&str> = line.split('\t').collect();
        if !seen_header {
            if fields != header {
                return Err(StoreError::Mapping {
                    file,
                    line: line_no,
                    reason: format!("header should be {:?}", header.join("\t")),
                });
            }
            seen_header = true;
            continue;
        }
        if fields.len() != header.len() {
            return Err(StoreError::Mapping {
                file,
                line: line_no,
                reason: format!("{} fields, expected {}", fields.len(), header.len()),
            });
        }
        out.push((line_no, fields));
    }
    Ok(out)
}

impl Mappings {
    /// The tables built into this binary.
    pub fn builtin() -> Result<Self, StoreError> {
        Self::parse(TYPES_TSV, PHRASES_TSV)
    }

    /// Parses both tables from text, checking that every event type of the taxonomy has an
    /// unconditional (`any`) mapping row and a phrase row.
    pub fn parse(types_tsv: &str, phrases_tsv: &str) -> Result<Self, StoreError> {
        let mut types = Vec::new();
        for (line, f) in rows(
            TYPES_FILE,
            types_tsv,
            &["type", "when", "sub_event_type", "acled_event_type", "acled_sub_event_type", "gtd_attack_type"],
        )? {
            let when = Condition::parse(f[1]).ok_or_else(|| StoreError::Mapping {
                file: TYPES_FILE,
                line,
                reason: format!("unknown condition {:?}", f[1]),
            })?;
            types.push(TypeMapping {
                event_type: f[0].to_string(),
                when,
                sub_event_type: f[2].to_string(),
                acled_event_type: f[3].to_string(),
                acled_sub_event_type: f[4].to_string(),
                gtd_attack_type: f[5].to_string(),
            });
        }
        let mut phrases = HashMap::new();
        for (line, f) in rows(
            PHRASES_FILE,
            phrases_tsv,
            &["type", "count_role", "active_target", "active", "passive_target", "passive"],
        )? {
            let p = Phrases {
                count_role: f[1].to_string(),
                active_target: f[2].to_string(),
                active: f[3].to_string(),
                passive_target: f[4].to_string(),
                passive: f[5].to_string(),
            };
            if phrases.insert(f[0].to_string(), p).is_some() {
                return Err(StoreError::Mapping { file: PHRASES_FILE, line, reason: format!("{} listed twice", f[0]) });
            }
        }
        for t in marsad_model::EVENT_TYPES {
            if !types.iter().any(|m| m.event_type == *t && m.when == Condition::Any) {
                return Err(StoreError::Mapping { file: TYPES_FILE, line: 0, reason: format!("no `any` row for {t}") });
            }
            if !phrases.contains_key(*t) {
                return Err(StoreError::Mapping { file: PHRASES_FILE, line: 0, reason: format!("no row for {t}") });
            }
        }
        Ok(Mappings { types, phrases })
    }

    /// The first mapping row of the event's type whose condition holds; `None` for a type
    /// the tables do not know.
    pub fn classify(&self, ev: &EventRecord) -> Option<&TypeMapping> {
        self.types.iter().find(|m| m.event_type == ev.event_type && m.when.holds(ev))
    }

    /// The sentence templates of an event type.
    pub fn phrases(&self, event_type: &str) -> Option<&Phrases> {
        self.phrases.get(event_type)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use marsad_model::{ActorRef, Count, EventDate, Qualifier};

    pub(crate) fn event(event_type: &str, perps: &[&str], targets: &[&str]) -> EventRecord {
        let actor = |a: &&str| ActorRef { actor: a.to_string(), text: String::new(), suspected: false };
        EventRecord {
            kind: "event".into(),
            id: "ev-1".into(),
            doc: "d".into(),
            event_type: event_type.into(),
            date: EventDate::unknown(),
            location: None,
            perpetrators: perps.iter().map(actor).collect(),
            targets: targets.iter().map(actor).collect(),
            counts: Default::default(),
            claimed_by: None,
            reported_by: vec![],
            persons: vec![],
            evidence: vec![],
            confidence: 0.5,
        }
    }

    #[test]
    fn builtin_tables_cover_every_event_type() {
        let m = Mappings::builtin().expect("built-in tables parse");
        for t in marsad_model::EVENT_TYPES {
            let ev = event(t, &[], &[]);
            assert!(m.classify(&ev).is_some(), "{t}");
            assert!(m.phrases(t).is_some(), "{t}");
        }
    }

    #[test]
    fn conditions_pick_the_acled_category() {
        let m = Mappings::builtin().expect("tables");
        let on_civilians = m.classify(&event("armed_attack", &["ISIS"], &["CIVILIANS"])).expect("row");
        assert_eq!(on_civilians.acled_event_type, "Violence against civilians");
        let on_army = m.classify(&event("armed_attack", &["ISIS"], &["SYRIAN_GOV"])).expect("row");
        assert_eq!((on_army.acled_event_type.as_str(), on_army.acled_sub_event_type.as_str()), ("Battles", "Armed clash"));
        assert_eq!(on_army.gtd_attack_type, "2 Armed Assault");

        let mut raid = event("security_operation", &["SDF"], &["ISIS"]);
        assert_eq!(m.classify(&raid).expect("row").acled_sub_event_type, "Armed clash");
        raid.counts.insert("arrested".into(), Count { value: Some(4), qualifier: Qualifier::Exact });
        assert_eq!(m.classify(&raid).expect("row").acled_sub_event_type, "Arrests");

        let regain = m.classify(&event("territorial_change", &["SYRIAN_GOV"], &[])).expect("row");
        assert_eq!(regain.acled_sub_event_type, "Government regains territory");
        assert_eq!(m.classify(&event("abduction", &[], &[])).expect("row").gtd_attack_type, "6 Hostage Taking (Kidnapping)");
    }

    #[test]
    fn bad_tables_are_reported_with_file_and_line() {
        let Err(e) = Mappings::parse("type\twhen\n", PHRASES_TSV) else { panic!("bad header accepted") };
        assert!(e.to_string().contains("event_types.tsv, line 1"), "{e}");
        let bad_cond = TYPES_TSV.replacen("\tany\t", "\tsometimes\t", 1);
        let Err(e) = Mappings::parse(&bad_cond, PHRASES_TSV) else { panic!("bad condition accepted") };
        assert!(e.to_string().contains("sometimes"), "{e}");
    }
}
