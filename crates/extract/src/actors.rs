//! Who did it and to whom, from Arabic cues around the actor mentions of a clause.
//!
//! In order: perpetrator-only words (مجهولون) and civilians (always victims); an agent phrase
//! before the actor (من قبل، على يد، نفذه، شنته) or a hedge (يعتقد، يرجح: then `suspected`) or a
//! claim (تبنى) → perpetrator; a target cue (ضد، استهدف، على) → target; "بين X و Y" → both;
//! "لـ" after an attack word (كمين لداعش) → perpetrator, after a facility or a person noun
//! (حاجزا لقوات، عنصرين لقسد) → target; the group named after victims (مقتل 7 عناصر من قوات
//! النظام) → target; the subject before an active verb (داعش يقتل، خلايا داعش شنت) or right after
//! it (ألقت قسد القبض) → perpetrator. What remains falls to priors by event type.

use crate::clause::Clause;
use crate::discourse::{self, Class};
use crate::prepare::Prepared;
use marsad_lexicon::{Cue, Flags, Mention, PersonClass, Pos};

/// An actor with its role in one clause.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActorHit {
    pub code: String,
    /// Normalised byte range of the words that named it.
    pub start: usize,
    pub end: usize,
    pub suspected: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    Perp,
    Target,
    Both,
    Unsure,
}

/// Event types whose actors are attackers and victims.
pub fn is_attack_type(t: &str) -> bool {
    matches!(
        t,
        "armed_attack" | "ambush" | "bombing" | "assassination" | "execution" | "abduction" | "killing" | "shelling" | "airstrike"
    )
}

/// Event types whose actors are the security forces acting and the cell acted on.
fn is_security_type(t: &str) -> bool {
    matches!(t, "security_operation" | "arrest" | "weapons_seizure" | "territorial_change" | "curfew" | "mobilization")
}

/// Armed forces that raid, arrest and hold ground.
fn is_state_force(code: &str) -> bool {
    matches!(code, "SDF" | "COALITION" | "SYRIAN_GOV" | "IRAQ_GOV" | "RUSSIA" | "TURKEY" | "SNA" | "HTS" | "LOCAL_ARMED" | "TRIBAL" | "IRAN_BACKED")
}

/// Words that describe who controls a place ("الخاضعة لسيطرة قسد"): the actor is no party.
fn is_control_phrase(p: &Prepared, start: usize) -> bool {
    let text = p.text();
    let lo = text[..start].char_indices().rev().nth(14).map(|(i, _)| i).unwrap_or(0);
    let before = &text[lo..start];
    // ("سيطر" is also in "سيطره".)
    before.contains("سيطر") || before.contains("نفوذ") || before.contains("مناطق تحت") || before.ends_with("من سكان ")
}

fn is_attack_trigger(p: &Prepared, m: &Mention) -> bool {
    p.trigger(m).is_some_and(|t| is_attack_type(t.event_type) || t.event_type == "armed_clash")
}


fn word_before(text: &str, pos: usize) -> &str {
    let t = text[..pos].trim_end();
    let s = t.rfind(|c: char| c.is_whitespace()).map(|i| i + 1).unwrap_or(0);
    t[s..].trim_matches(|c: char| !marsad_text::is_alnum(c))
}

/// The actors of a clause with their sides, for an event of type `etype` whose trigger is at
/// `trigger`.
pub fn assign(p: &Prepared, cl: &Clause, etype: &str, trigger: (usize, usize)) -> (Vec<ActorHit>, Vec<ActorHit>) {
    let text = p.text();
    let mut perps: Vec<ActorHit> = Vec::new();
    let mut targets: Vec<ActorHit> = Vec::new();
    let mut unsure: Vec<ActorHit> = Vec::new();
    let ms = p.mentions_in(cl.start, cl.end);
    let mut last_hit: Option<(usize, Side)> = None;
    let claims = ms.iter().any(|x| p.has_cue(x, Cue::Claim));
    for (i, m) in ms.iter().enumerate() {
        let (code, flags) = match p.actor(m) {
            Some((c, f)) => (c.to_string(), f),
            None => match p.person(m) {
                Some((PersonClass::Civilian, _)) => {
                    // "على يد امرأة من عائلات مقاتلي داعش": the doer, described; her group
                    // follows.
                    if ms[..i].iter().rev().take(2).any(|x| p.has_cue(x, Cue::Agent) && p.words_between(x.end, m.start) <= 1) {
                        continue;
                    }
                    ("CIVILIANS".to_string(), Flags::default())
                }
                // Unnamed people killed ("مقتل شخصين"، "إعدام رجل") are counted as civilians.
                Some((PersonClass::Generic, _)) if i > 0 && p.effect(&ms[i - 1]).is_some() && p.words_between(ms[i - 1].end, m.start) <= 1 => {
                    ("CIVILIANS".to_string(), Flags::default())
                }
                _ => continue,
            },
        };
        if code != "CIVILIANS" && is_control_phrase(p, m.start) {
            continue;
        }
        // "ميليشيا النظام" after an origin cue ("من سكان") names where someone is from.
        if i > 0 && p.has_cue(&ms[i - 1], Cue::Origin) && p.words_between(ms[i - 1].end, m.start) <= 1 {
            continue;
        }
        // The subject of a report or a finding ("عثرت قوى الأمن على جثة"، "أعلنت قسد") is no
        // party to the act unless its own cues say so.
        let speech_before = i > 0 && p.words_between(ms[i - 1].end, m.start) == 0 && p.has_cue(&ms[i - 1], Cue::Speech);
        if code != "CIVILIANS" && ((speech_before && !claims) || is_finding(word_before(text, m.start))) {
            continue;
        }
        let mut suspected = false;
        // An actor in apposition to the one before ("الدفاع الوطني التابع لقوات الحكومة")
        // stands where that one stands.
        let apposed = last_hit.filter(|(end, _)| {
            text[*end..m.start]
                .split_whitespace()
                .map(|w| w.trim_matches(|c: char| !marsad_text::is_alnum(c)))
                .all(|w| w.is_empty() || discourse::is(w, Class::Apposition))
                && p.words_between(*end, m.start) <= 2
        });
        let side = if let Some((_, side)) = apposed {
            side
        } else if flags.has(Flags::PERP_ONLY) {
            Side::Perp
        } else if code == "CIVILIANS" {
            Side::Target
        } else {
            side_of(p, cl, m, i, ms, &mut suspected, trigger, text)
        };
        last_hit = Some((m.end, side));
        let hit = ActorHit { code, start: m.start, end: m.end, suspected };
        match side {
            Side::Perp => perps.push(hit),
            Side::Target => targets.push(hit),
            Side::Both => {
                perps.push(hit.clone());
                targets.push(hit);
            }
            Side::Unsure => unsure.push(hit),
        }
    }
    // Priors by event type for the actors no cue placed.
    for hit in unsure {
        let c = hit.code.as_str();
        if etype == "armed_clash" {
            perps.push(hit.clone());
            targets.push(hit);
        } else if matches!(etype, "airstrike" | "shelling") && matches!(c, "COALITION" | "RUSSIA" | "SYRIAN_GOV" | "TURKEY" | "IRAN_BACKED") && perps.is_empty() {
            // Remote fire comes from those with aircraft and artillery.
            perps.push(hit);
        } else if is_attack_type(etype) || etype == "prison_break" {
            if c == "ISIS" && !targets.iter().any(|t| t.code == "ISIS") || perps.is_empty() && !is_state_force(c) {
                perps.push(hit);
            } else if !perps.iter().any(|x| x.code == c) {
                targets.push(hit);
            }
        } else if is_security_type(etype) {
            if c == "ISIS" {
                targets.push(hit);
            } else if !targets.iter().any(|x| x.code == c) {
                perps.push(hit);
            }
        } else if etype == "displacement" {
            // Displacement names those who fled; an armed group there is the cause.
            perps.push(hit);
        } else {
            perps.push(hit);
        }
    }
    // A prison break is against those who hold the prison; aircraft overhead are no party.
    if etype == "prison_break" {
        targets.retain(|h| matches!(h.code.as_str(), "SDF" | "SYRIAN_GOV" | "IRAQ_GOV" | "TURKEY" | "SNA" | "HTS"));
    }
    dedup(&mut perps);
    dedup(&mut targets);
    (perps, targets)
}

/// Where the noun phrase of an actor starts: "7 عناصر من قوات النظام"، "عنصر في استخبارات
/// قسد"، "مسلحو تنظيم داعش" start at the number or the person noun before the group.
fn np_start(p: &Prepared, cl: &Clause, m: &Mention) -> (usize, bool) {
    let text = p.text();
    let ms = p.mentions_in(cl.start, m.start);
    let Some(prev) = ms.iter().rev().find(|x| x.end <= m.start) else { return (m.start, false) };
    if p.person(prev).is_none() || p.words_between(prev.end, m.start) > 2 {
        return (m.start, false);
    }
    let gap = text[prev.end..m.start].trim();
    if p.words_between(prev.end, m.start) > 2 || gap.contains(['،', ',']) {
        return (m.start, false);
    }
    let mut start = prev.start;
    if let Some(n) = p.numbers_in(cl.start, prev.start).last() {
        if p.words_between(n.end, prev.start) <= 1 {
            start = n.start;
        }
    }
    (start, true)
}

#[allow(clippy::too_many_arguments)]
fn side_of(p: &Prepared, cl: &Clause, m: &Mention, i: usize, ms: &[Mention], suspected: &mut bool, trigger: (usize, usize), text: &str) -> Side {
    let (at, has_person) = np_start(p, cl, m);
    let before: Vec<&Mention> = ms[..i].iter().filter(|x| x.end <= at).collect();
    // Cues before the phrase (within three words).
    for prev in before.iter().rev().take(4) {
        if p.words_between(prev.end, at) > 3 {
            break;
        }
        // A cue belongs to the nearest actor after it: another actor in between ends the look.
        if p.actor(prev).is_some() {
            break;
        }
        if p.has_cue(prev, Cue::Hedge) {
            *suspected = true;
            return Side::Perp;
        }
        if p.has_cue(prev, Cue::Agent) || p.has_cue(prev, Cue::Claim) {
            return Side::Perp;
        }
        if p.has_cue(prev, Cue::Between) {
            return Side::Both;
        }
        if p.has_cue(prev, Cue::Target) && p.words_between(prev.end, at) <= 1 {
            // "استهدف التنظيم سيارة": a verb with no subject before it takes the next actor as
            // its subject (Arabic verb-subject-object order).
            let verb = p.trigger(prev).is_some_and(|t| t.pos == Pos::Verb);
            if verb && !has_subject_before(p, cl, prev) && p.words_between(prev.end, at) == 0 && !has_person {
                return Side::Perp;
            }
            return Side::Target;
        }
    }
    // "بين X و Y": the second of a pair after "بين".
    if i >= 2 && p.has_cue(&ms[i - 2], Cue::Between) && p.actor(&ms[i - 1]).is_some() {
        return Side::Both;
    }
    let wb = word_before(text, at);
    let has_lam = text[m.start..m.form_start].contains('ل');
    let prev_near = before.last().copied().filter(|x| p.words_between(x.end, at) <= 2);
    if let Some(prev) = prev_near {
        // Victims of an effect: "مقتل 7 عناصر من قوات النظام"، "اعتقال عناصر داعش".
        if let Some(e) = p.effect(prev).filter(|_| p.words_between(prev.end, at) <= 1 && (has_person || !has_lam)) {
            // After an active verb ("اعتقلت قسد سبعة"، "قتلت خلايا داعش ضابطا") the group is
            // its subject, unless a subject stood before the verb.
            if e.1 == Pos::Verb && !has_person && p.words_between(prev.end, at) == 0 && !has_subject_before(p, cl, prev) {
                return Side::Perp;
            }
            return Side::Target;
        }
        if is_attack_trigger(p, prev) && p.words_between(prev.end, at) <= 1 {
            let t = p.trigger(prev).unwrap();
            if has_person {
                // "استهدف عنصرين لقسد": the people struck.
                if t.pos == Pos::Verb || t.flags.has(Flags::AIR_UPGRADE) {
                    return if has_subject_before(p, cl, prev) || has_lam { Side::Target } else { Side::Perp };
                }
            } else if matches!(t.pos, Pos::Masdar | Pos::Phrase) && p.words_between(prev.end, at) == 0 {
                // "هجوم لداعش"، "كمين لداعش"، "هجوم قوات العشائر": the attacker; but
                // "استهداف قسد" is the target of the strike.
                if t.flags.has(Flags::AIR_UPGRADE) && !has_lam {
                    return Side::Target;
                }
                return Side::Perp;
            } else if t.pos == Pos::Verb && is_undergo(p, prev) {
                // "تعرضت القاعدة لقصف": the subject of "undergo" is what was hit.
                return Side::Target;
            } else if t.pos == Pos::Verb {
                // VSO: "هاجمت عناصر التنظيم" is the subject unless one stood before the verb.
                return if has_subject_before(p, cl, prev) || has_lam { Side::Target } else { Side::Perp };
            }
        }
        if !has_person && p.person(prev).is_some() && p.words_between(prev.end, at) <= 1 {
            return Side::Target;
        }
    }
    // A facility noun ("حاجزا لقوات …") or "تابعة لـ" after one names what was attacked.
    let facility_near = near_class(text, at, Class::Facility, 4);
    if discourse::is(wb, Class::Facility) || (has_lam && facility_near) || (discourse::is(wb, Class::Belonging) && facility_near) {
        return Side::Target;
    }
    // A victim noun with a number, or right after a number: "4 عناصر من قوات النظام".
    if has_person {
        if let Some(n) = p.numbers_in(cl.start, m.start).last() {
            if n.start >= at && p.effect_before(cl.start, at, 3) {
                return Side::Target;
            }
        }
    }
    // Subject before an active verb trigger or an agent verb ("خلايا داعش شنت"، "قسد تعلن").
    for next in ms[i + 1..].iter().take(3) {
        // "الميليشيات الإيرانية في منطقة غرب الفرات استهدفت": a place phrase may part them.
        if p.words_between(m.end, next.start) > 5 {
            break;
        }
        if p.actor(next).is_some() {
            break;
        }
        if let Some(t) = p.trigger(next) {
            if is_undergo(p, next) {
                return Side::Target;
            }
            if matches!(t.pos, Pos::Verb | Pos::Phrase) {
                return Side::Perp;
            }
        }
        if (p.has_cue(next, Cue::Agent) && !is_prepositional_agent(p, next)) || p.has_cue(next, Cue::Claim) {
            return Side::Perp;
        }
        if p.effect(next).is_some_and(|e| e.1 == Pos::Verb) {
            return Side::Perp;
        }
    }
    // Right after an active verb or an agent verb (VSO): "ألقت قسد القبض"، "نفذت قسد عملية".
    if let Some(prev) = before.last() {
        if p.words_between(prev.end, at) == 0 && (p.has_cue(prev, Cue::Agent) || p.effect(prev).is_some_and(|e| e.1 == Pos::Verb)) {
            return Side::Perp;
        }
    }
    let _ = trigger;
    Side::Unsure
}

/// "عثر"/"عثرت": found (a body, a cache).
fn is_finding(word: &str) -> bool {
    discourse::is(word.trim_start_matches(['و', 'ف']), Class::Finding)
}

/// "من قبل"، "على يد": the agent of a passive; what stands before it is the victim.
fn is_prepositional_agent(p: &Prepared, m: &Mention) -> bool {
    let f = &p.text()[m.form_start..m.form_end];
    f.starts_with("من ") || f.starts_with("علي ")
}

/// "تعرض"/"تعرضت"/"يتعرض": to undergo an attack.
fn is_undergo(p: &Prepared, m: &Mention) -> bool {
    let f = &p.text()[m.form_start..m.form_end];
    f.starts_with("تعرض") || f.starts_with("يتعرض")
}

fn near_class(text: &str, pos: usize, class: Class, words: usize) -> bool {
    let mut t = text[..pos].trim_end();
    for _ in 0..words {
        let s = t.rfind(|c: char| c.is_whitespace()).map(|i| i + 1).unwrap_or(0);
        if discourse::is(t[s..].trim_matches(|c: char| !marsad_text::is_alnum(c)), class) {
            return true;
        }
        if s == 0 {
            break;
        }
        t = t[..s].trim_end();
    }
    false
}

/// Whether an actor stands before the verb `v` in its clause, as its subject.
fn has_subject_before(p: &Prepared, cl: &Clause, v: &Mention) -> bool {
    p.mentions_in(cl.start, v.start)
        .iter()
        .rev()
        .take(3)
        .any(|m| p.actor(m).is_some() && p.words_between(m.end, v.start) <= 3)
}

fn dedup(v: &mut Vec<ActorHit>) {
    let mut seen: Vec<String> = Vec::new();
    v.retain(|h| {
        if seen.contains(&h.code) {
            false
        } else {
            seen.push(h.code.clone());
            true
        }
    });
}

#[cfg(test)]
mod tests {
    use crate::testutil::{actors_of, with_prepared};

    #[test]
    fn control_words_before_an_actor() {
        let at = |text: &str, word: &str| {
            with_prepared(text, |p| {
                let start = p.text().find(word).expect("the word is in the text");
                super::is_control_phrase(p, start)
            })
        };
        assert!(at("سقطت قذيفة على قرية في مناطق سيطرة قسد شرقي النهر.", "قسد"));
        assert!(at("انفجرت عبوة في بلدة خاضعة لنفوذ النظام.", "النظام"));
        assert!(at("يسيطر عليها داعش منذ أشهر.", "داعش"));
        assert!(!at("هاجمت قسد حاجزا في الريف الشرقي.", "قسد"));
    }

    #[test]
    fn agent_phrase_makes_perpetrator() {
        let (p, t) = actors_of("قتل جندي في هجوم نفذه تنظيم داعش على حاجز لقوات النظام.");
        assert!(p.contains(&"ISIS".to_string()), "{p:?}");
        assert!(t.contains(&"SYRIAN_GOV".to_string()), "{t:?}");
    }
    #[test]
    fn hedge_is_suspected_perpetrator() {
        let (p, _) = actors_of("أصيب عامل بانفجار عبوة زرعها مجهولون يعتقد أنهم من خلايا داعش.");
        assert!(p.contains(&"UNKNOWN".to_string()), "{p:?}");
    }
    #[test]
    fn victims_group_after_person_noun() {
        let (_, t) = actors_of("أسفر الكمين عن مقتل 4 عناصر من قوات النظام في البادية.");
        assert!(t.contains(&"SYRIAN_GOV".to_string()), "{t:?}");
    }
    #[test]
    fn between_gives_both_sides() {
        let (p, t) = actors_of("اندلعت اشتباكات بين قوات النظام وقسد في الريف الشرقي.");
        assert!(p.contains(&"SYRIAN_GOV".to_string()) && p.contains(&"SDF".to_string()), "{p:?}");
        assert!(t.contains(&"SYRIAN_GOV".to_string()) && t.contains(&"SDF".to_string()), "{t:?}");
    }
    #[test]
    fn vso_subject_of_arrest() {
        let (p, t) = actors_of("ألقت قسد القبض على عنصرين من داعش في البلدة.");
        assert!(p.contains(&"SDF".to_string()), "{p:?}");
        assert!(t.contains(&"ISIS".to_string()), "{t:?}");
    }
    #[test]
    fn control_phrase_is_no_party() {
        let (p, t) = actors_of("انفجرت عبوة في البلدة الخاضعة لسيطرة قسد وأصيب مدني.");
        assert!(!p.contains(&"SDF".to_string()) && !t.contains(&"SDF".to_string()), "{p:?} {t:?}");
    }
}
