//! Tallies: aggregates over a period ("ما لا يقل عن 367 قتيلا منذ 24 آذار"، "43 عملية خلال
//! رمضان"، "سجل المخيم 16 اغتيالا"). A tally is never an event; the clause that gives one gives
//! no violent event of its own.

use crate::clause::Clause;
use crate::counts::{self, CountVal};
use crate::discourse::{self, Class};
use crate::prepare::Prepared;
use marsad_lexicon::{Cue, Flags, Number, Role};
use marsad_text::numbers::Quantity;

/// One tally found in the text.
#[derive(Debug, Clone)]
pub struct Tally {
    pub measure: &'static str,
    pub victims: Option<String>,
    pub by: Option<String>,
    pub value: CountVal,
    pub clause: Clause,
    pub reported_by: Vec<String>,
}


fn word_after(text: &str, pos: usize) -> &str {
    let t = text[pos..].trim_start();
    let e = t.find(|c: char| c.is_whitespace()).unwrap_or(t.len());
    t[..e].trim_matches(|c: char| !marsad_text::is_alnum(c))
}

/// Tallies of the document, and the clauses they came from.
/// The tallies of a document, and every clause that gave one (before duplicates are dropped:
/// each of those clauses tells no event of its own).
pub fn find(p: &Prepared) -> (Vec<Tally>, Vec<Clause>) {
    let all = found(p);
    let clauses = all.iter().map(|t| t.clause).collect();
    (dedup(all), clauses)
}

fn dedup(mut out: Vec<Tally>) -> Vec<Tally> {
    // A headline and its lede often give the same figure: one tally.
    let mut seen: Vec<(&'static str, Option<u64>, Option<String>)> = Vec::new();
    out.retain(|t| {
        let k = (t.measure, t.value.value, t.by.clone());
        if seen.contains(&k) {
            false
        } else {
            seen.push(k);
            true
        }
    });
    out
}

fn found(p: &Prepared) -> Vec<Tally> {
    let mut out = Vec::new();
    for &cl in &p.clauses {
        let s = &p.sentences[cl.sentence];
        if s.question {
            continue;
        }
        let ms = p.mentions_in(cl.start, cl.end);
        if ms.iter().any(|m| p.has_cue(m, Cue::Disease) || p.has_cue(m, Cue::Stock)) {
            continue;
        }
        let period = ms.iter().any(|m| p.has_cue(m, Cue::Period)) || p.mentions_in(s.start, s.end).iter().any(|m| p.has_cue(m, Cue::Period));
        let record_verb = p.chunk_classes(cl.start, cl.end).any(|(_, _, c)| c.after_and.has(Class::Record));
        let reported_by: Vec<String> = p
            .mentions_in(s.start, s.end)
            .iter()
            .filter_map(|m| p.cue_value(m, Cue::Source))
            .filter(|v| !v.is_empty())
            .map(str::to_string)
            .fold(Vec::new(), |mut acc, v| {
                if !acc.contains(&v) {
                    acc.push(v);
                }
                acc
            });
        let before = out.len();
        // Operations: "N عملية" with an exact N of at least 3 is a count of attacks.
        for n in p.numbers_in(cl.start, cl.end) {
            let Quantity::Exact(v) = n.value else { continue };
            if v < 3 {
                continue;
            }
            let w = word_after(p.text(), n.end);
            // "43 عملية" counts attacks; "عشر عمليات إنزال" counts the raids of one campaign,
            // told as an event.
            let raid = p
                .mentions_in(n.end, cl.end)
                .first()
                .is_some_and(|m| p.words_between(n.end, m.start) == 0 && p.trigger(m).is_some_and(|t| t.event_type == "security_operation"));
            // Without a period or a recording verb, a small count is a list of incidents
            // ("تبنى ثلاث هجمات"), told one by one after it.
            if discourse::is(w, Class::Operation) && !raid && (period || record_verb || v >= 5) {
                let mut value = CountVal::exact(v);
                if let Some(q) = qualifier_before(p, cl.start, n.start) {
                    value.qualifier = q;
                }
                let (by, victims) = parties(p, &cl);
                out.push(Tally { measure: "operations", victims, by, value, clause: cl, reported_by: reported_by.clone() });
            } else if record_verb && is_killing_noun(w) {
                let value = CountVal::exact(v);
                out.push(Tally { measure: "killed", victims: None, by: None, value, clause: cl, reported_by: reported_by.clone() });
            }
        }
        if out.len() > before || !period {
            continue;
        }
        // Casualties over a period: the count of each effect, when the clause tells of no one
        // incident (no singular, non-weak trigger).
        let listed = crate::candidates::listed_triggers(p, &cl);
        let single = ms.iter().any(|m| {
            !listed.contains(&m.start)
                && p.trigger(m).is_some_and(|t| t.number != Number::Plural && !t.flags.has(Flags::WEAK) && !t.flags.has(Flags::GENERIC))
        });
        if single {
            continue;
        }
        for m in ms {
            let Some((role, ..)) = p.effect(m) else { continue };
            if !matches!(role, Role::Killed | Role::Injured | Role::Arrested) {
                continue;
            }
            let Some(value) = counts::count_at(p, m, cl.start, cl.end) else { continue };
            if value.value.is_none_or(|v| v < 3) {
                continue;
            }
            // The group follows the number: "مقتل ما لا يقل عن 367 من قوات النظام".
            let from = p.numbers_in(m.end, cl.end).first().filter(|n| p.words_between(m.end, n.start) <= 5).map_or(m.end, |n| n.end);
            let victims = victims_after(p, from, cl.end);
            let by = by_of(p, &cl);
            out.push(Tally { measure: role.as_str(), victims, by: by.clone(), value, clause: cl, reported_by: reported_by.clone() });
            // "بالإضافة لـ67 من المليشيات": further groups of the same measure.
            let text = p.text();
            let mut after_breakdown = false;
            for n in p.numbers_in(m.end, cl.end).iter().skip(1) {
                let lead = &text[cl.start..n.start];
                if let Some(b) = p.mentions_in(m.end, n.start).iter().rev().find(|x| p.has_cue(x, Cue::Breakdown)) {
                    after_breakdown = !lead[b.end - cl.start..].contains("بالاضافه");
                }
                if after_breakdown {
                    continue;
                }
                let Quantity::Exact(v) = n.value else { continue };
                if word_after(text, n.end) != "من" {
                    continue;
                }
                let Some(victims) = victims_after(p, n.end, cl.end) else { continue };
                out.push(Tally {
                    measure: role.as_str(),
                    victims: Some(victims),
                    by: by.clone(),
                    value: CountVal::exact(v),
                    clause: cl,
                    reported_by: reported_by.clone(),
                });
            }
            break;
        }
    }
    out
}

fn is_killing_noun(w: &str) -> bool {
    discourse::is(w, Class::KillingNoun)
}

fn qualifier_before(p: &Prepared, lo: usize, pos: usize) -> Option<marsad_model::Qualifier> {
    let m = p.mentions_in(lo, pos).last()?;
    if p.words_between(m.end, pos) > 0 {
        return None;
    }
    match p.cue_value(m, Cue::Qualifier)? {
        "at_least" => Some(marsad_model::Qualifier::AtLeast),
        "more_than" => Some(marsad_model::Qualifier::MoreThan),
        "about" => Some(marsad_model::Qualifier::About),
        "up_to" => Some(marsad_model::Qualifier::UpTo),
        _ => None,
    }
}

/// The group right after a count ("367 من قوات النظام").
fn victims_after(p: &Prepared, from: usize, to: usize) -> Option<String> {
    // Person nouns may stand between ("120 عنصرا من قوات النظام").
    let m = p.mentions_in(from, to).iter().find(|m| p.actor(m).is_some() || (p.person(m).is_none() && p.effect(m).is_some()))?;
    if p.words_between(from, m.start) > 4 {
        return None;
    }
    p.actor(m).map(|(c, _)| c.to_string())
}

/// Who carried out the tallied acts: an actor after an agent phrase or "لـ" after an attack word.
fn by_of(p: &Prepared, cl: &Clause) -> Option<String> {
    let ms = p.mentions_in(cl.start, cl.end);
    for (i, m) in ms.iter().enumerate() {
        if let Some((code, _)) = p.actor(m) {
            if i > 0 && (p.trigger(&ms[i - 1]).is_some() || p.has_cue(&ms[i - 1], Cue::Agent)) && p.words_between(ms[i - 1].end, m.start) <= 1 {
                return Some(code.to_string());
            }
        }
    }
    None
}

/// The doer and the single victim group of an operations count.
fn parties(p: &Prepared, cl: &Clause) -> (Option<String>, Option<String>) {
    let ms = p.mentions_in(cl.start, cl.end);
    let codes: Vec<&str> = ms.iter().filter_map(|m| p.actor(m).map(|a| a.0)).collect();
    let by = if codes.contains(&"ISIS") { Some("ISIS".to_string()) } else { codes.first().map(|c| c.to_string()) };
    let mut others: Vec<&str> = codes.iter().copied().filter(|c| Some(c.to_string()) != by).collect();
    others.dedup();
    let victims = if others.len() == 1 { Some(others[0].to_string()) } else { None };
    (by, victims)
}

#[cfg(test)]
mod tests {
    use crate::testutil::engine;
    use marsad_model::Qualifier;

    fn tallies(text: &str) -> Vec<(String, Option<u64>, Qualifier, Option<String>)> {
        let d = crate::testutil::doc(&format!("نشرة\n\n{text}"));
        engine()
            .process(&d)
            .tallies
            .into_iter()
            .map(|t| (t.measure, t.value.value, t.value.qualifier, t.victims))
            .collect()
    }

    #[test]
    fn killed_over_a_period_with_victims() {
        let t = tallies("وثق المرصد منذ مطلع العام مقتل ما لا يقل عن 215 من قوات النظام خلال هجمات متفرقة.");
        assert_eq!(t, vec![("killed".into(), Some(215), Qualifier::AtLeast, Some("SYRIAN_GOV".into()))]);
    }

    #[test]
    fn further_groups_after_in_addition() {
        let t = tallies("وثق المرصد خلال الفترة الممتدة من بداية الشهر مقتل 90 من قسد، بالإضافة لـ14 من قوات التحالف الدولي.");
        assert_eq!(t.len(), 2, "{t:?}");
        assert_eq!(t[1].1, Some(14));
    }

    #[test]
    fn counted_attacks_are_operations() {
        let t = tallies("ونفذ التنظيم نحو 58 عملية في مناطق متفرقة.");
        assert_eq!(t, vec![("operations".into(), Some(58), Qualifier::About, None)]);
    }

    #[test]
    fn counted_raids_are_not_a_tally() {
        assert!(tallies("شهدت القرى أكثر من عشر عمليات إنزال جوي نفذها التحالف.").is_empty());
    }

    #[test]
    fn recorded_assassinations() {
        let t = tallies("وسجلت البلدة 12 اغتيالا منذ الصيف.");
        assert_eq!(t[0].0, "killed");
        assert_eq!(t[0].1, Some(12));
    }

    #[test]
    fn a_single_attack_toll_is_no_tally() {
        assert!(tallies("ارتفعت حصيلة قتلى الهجوم على السجن إلى 40 قتيلا.").is_empty());
    }
}
