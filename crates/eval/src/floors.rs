//! The quality gate: per-set floors (minimums) and ceilings (maximums) on report figures.
//!
//! Floors live in `quality/floors.toml`, one table per set of documents:
//!
//! ```toml
//! # comment
//! [seeds]
//! event_f1 = 0.85          # minimum
//! negatives_violated = 0   # maximum
//! field_accuracy_by_field.place = 0.5
//! ```
//!
//! Every figure whose name is a ratio (`event_precision`, `event_recall`, `event_f1`,
//! `field_accuracy`, `field_accuracy_by_field.<field>`, `tally_precision`, `tally_recall`,
//! `doc_title_accuracy`, `doc_published_accuracy`, `boilerplate_recall`) is a minimum.
//! `negatives_violated` and `events_false_positive` are maximums. Unknown keys are reported as
//! violations so that a typo cannot silently disable a floor.

use crate::{float_repr, Figure, Report};
use std::path::Path;

/// Figures that must not exceed their bound (all others must not fall below theirs).
pub const MAXIMUMS: &[&str] = &["negatives_violated", "events_false_positive"];

/// Figures accepted as minimums.
pub const MINIMUMS: &[&str] = &[
    "event_precision",
    "event_recall",
    "event_f1",
    "field_accuracy",
    "tally_precision",
    "tally_recall",
    "doc_title_accuracy",
    "doc_published_accuracy",
    "boilerplate_recall",
];

/// One `[set]` table: `(key, bound)` in file order; nested tables (`field_accuracy_by_field`)
/// are flattened to dotted keys.
#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    pub name: String,
    pub bounds: Vec<(String, f64)>,
}

/// Parses a floors file (TOML). Errors name the offending key or say where the TOML is broken.
pub fn parse(text: &str) -> Result<Vec<Section>, String> {
    let table: toml::Table = text.parse().map_err(|e: toml::de::Error| {
        let msg = e.message().to_string();
        match e.span() {
            Some(span) => {
                let line = text[..span.start.min(text.len())].matches('\n').count() + 1;
                format!("line {line}: {msg}")
            }
            None => msg,
        }
    })?;
    let mut sections = Vec::new();
    for (name, value) in table {
        let toml::Value::Table(t) = value else {
            return Err(format!("`{name}` outside any [set] table"));
        };
        let mut bounds = Vec::new();
        flatten("", &t, &mut bounds)?;
        sections.push(Section { name, bounds });
    }
    Ok(sections)
}

fn flatten(prefix: &str, t: &toml::Table, out: &mut Vec<(String, f64)>) -> Result<(), String> {
    for (k, v) in t {
        let key = if prefix.is_empty() { k.clone() } else { format!("{prefix}.{k}") };
        match v {
            toml::Value::Integer(i) => out.push((key, *i as f64)),
            toml::Value::Float(f) if f.is_finite() => out.push((key, *f)),
            toml::Value::Table(inner) => flatten(&key, inner, out)?,
            other => return Err(format!("`{key}`: a {}, not a finite number", other.type_str())),
        }
    }
    Ok(())
}

fn show_bound(v: f64, integral: bool) -> String {
    if integral && v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        float_repr(v)
    }
}

/// Checks `report` against the `[set]` section of a parsed floors file.
pub fn check_sections(report: &Report, sections: &[Section], set: &str) -> Result<(), Vec<String>> {
    let matching: Vec<&Section> = sections.iter().filter(|s| s.name == set).collect();
    if matching.is_empty() {
        return Err(vec![format!("{set}: no [{set}] section in the floors file")]);
    }
    let mut violations = Vec::new();
    for sec in matching {
        for (key, bound) in &sec.bounds {
            let is_max = MAXIMUMS.contains(&key.as_str());
            let known = is_max
                || MINIMUMS.contains(&key.as_str())
                || key.starts_with("field_accuracy_by_field.");
            let fig = if known { report.figure(key) } else { None };
            let Some(fig) = fig else {
                violations.push(format!("{set}: unknown figure `{key}` in floors"));
                continue;
            };
            let value = match fig {
                Figure::Int(i) => Some(i as f64),
                Figure::Float(f) => Some(f),
                Figure::None => None,
                Figure::ByField(_) => None,
            };
            match (value, is_max) {
                (Some(v), true) if v > *bound => violations.push(format!(
                    "{set}: {key} {} > max {}",
                    fig.py_str(),
                    show_bound(*bound, true)
                )),
                (Some(v), false) if v < *bound => violations.push(format!(
                    "{set}: {key} {} < floor {}",
                    fig.py_str(),
                    show_bound(*bound, false)
                )),
                (None, false) if *bound > 0.0 => violations.push(format!(
                    "{set}: {key} None < floor {} (figure absent)",
                    show_bound(*bound, false)
                )),
                _ => {}
            }
        }
    }
    if violations.is_empty() {
        Ok(())
    } else {
        Err(violations)
    }
}

/// The quality gate: `Ok(())` when every bound of `[set]` in `floors_file` holds, otherwise one
/// line per violation, e.g. `seeds: event_f1 0.81 < floor 0.85`. An unreadable or malformed
/// file, or a missing section, is reported the same way (as a single line).
pub fn check(report: &Report, floors_file: &Path, set: &str) -> Result<(), Vec<String>> {
    let text = std::fs::read_to_string(floors_file)
        .map_err(|e| vec![format!("{set}: cannot read {}: {e}", floors_file.display())])?;
    let sections =
        parse(&text).map_err(|e| vec![format!("{set}: {}: {e}", floors_file.display())])?;
    check_sections(report, &sections, set)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn report() -> Report {
        Report {
            events_main_gold: 10,
            events_system: 12,
            events_matched_main: 8,
            events_matched_background: 1,
            events_false_positive: 3,
            event_precision: 0.7273,
            event_recall: 0.8,
            event_f1: 0.81,
            field_accuracy: 0.9,
            field_accuracy_by_field: BTreeMap::from([("place".to_string(), 0.5)]),
            tally_precision: 1.0,
            tally_recall: 0.5,
            negatives_violated: 2,
            doc_title_accuracy: Some(1.0),
            doc_published_accuracy: Some(0.75),
            boilerplate_recall: None,
        }
    }

    #[test]
    fn passes_and_fails() {
        let text = "# floors\n[seeds]\nevent_f1 = 0.85  # min\nfield_accuracy = 0.5\nnegatives_violated = 0\nboilerplate_recall = 0.0\n\n[dev]\nevent_f1 = 0.0\n";
        let secs = parse(text).unwrap();
        assert_eq!(
            check_sections(&report(), &secs, "seeds").unwrap_err(),
            vec![
                "seeds: event_f1 0.81 < floor 0.85".to_string(),
                "seeds: negatives_violated 2 > max 0".to_string(),
            ]
        );
        assert!(check_sections(&report(), &secs, "dev").is_err() == false);
        assert_eq!(
            check_sections(&report(), &secs, "other").unwrap_err(),
            vec!["other: no [other] section in the floors file".to_string()]
        );
    }

    #[test]
    fn absent_figures_typos_and_by_field() {
        let secs = parse("[s]\nboilerplate_recall = 0.5\nevent_f2 = 0.1\nfield_accuracy_by_field.place = 0.6\nfield_accuracy_by_field.date = 0\n").unwrap();
        assert_eq!(
            check_sections(&report(), &secs, "s").unwrap_err(),
            vec![
                "s: boilerplate_recall None < floor 0.5 (figure absent)".to_string(),
                "s: unknown figure `event_f2` in floors".to_string(),
                "s: field_accuracy_by_field.place 0.5 < floor 0.6".to_string(),
            ]
        );
    }

    #[test]
    fn parse_errors() {
        assert_eq!(parse("event_f1 = 1\n").unwrap_err(), "`event_f1` outside any [set] table");
        assert_eq!(parse("[s]\nevent_f1 = \"high\"\n").unwrap_err(), "`event_f1`: a string, not a finite number");
        assert!(parse("[s]\nevent_f1 = nan\n").is_err());
        assert!(parse("[s]\n\njunk\n").unwrap_err().starts_with("line 3:"), "{:?}", parse("[s]\n\njunk\n"));
    }
}
