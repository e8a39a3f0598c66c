//! Event candidates, one clause at a time.
//!
//! The triggers of a clause that tell one violent act (an attack, the bombing it used, the
//! killing it caused) make one candidate whose type is the most specific of them; a prison
//! break, a displacement, a curfew, a mobilisation and a change of territory are separate
//! candidates of their own. A candidate that may not stand alone (a plural "هجمات" without a
//! number, an instrument without a victim) can still add its evidence to an event told nearby.

use crate::actors::{self, ActorHit};
use crate::clause::Clause;
use crate::discourse::{self, Class};
use crate::counts::{self, CountVal};
use crate::prepare::{Prepared, TriggerInfo};
use marsad_lexicon::{Cue, Flags, Mention, Number, Pos, Role};
use marsad_text::dates::{self, DateRange, Precision};

/// One event candidate.
#[derive(Debug, Clone)]
pub struct Candidate {
    pub event_type: &'static str,
    pub clause: Clause,
    pub trigger: (usize, usize),
    /// The trigger is a definite noun that refers back ("الهجوم"، "العملية").
    pub definite: bool,
    /// May be an event on its own; otherwise it only adds to a neighbouring one.
    pub standalone: bool,
    pub counts: Vec<(Role, CountVal)>,
    pub perpetrators: Vec<ActorHit>,
    pub targets: Vec<ActorHit>,
    pub claimed: bool,
    pub reported_by: Vec<String>,
    /// Date from the clause or sentence: the range, the words, a rank of precision.
    pub date: Option<(DateRange, (usize, usize))>,
    /// The clause tells of another victim or a prior incident: "امرأة أخرى"، "عنصر ثالث"،
    /// "وكانت … قد عثرت"، a sentence opening with "كما".
    pub another: bool,
    /// The sentence opens with a date of its own.
    pub opens_with_date: bool,
    /// Its victims are "the attackers" of an attack told before.
    pub attackers: bool,
    /// A counted series ("3 تمردات"، "هجومين"): never one incident with a single report.
    pub series: bool,
    /// The day the clause names, resolved or not (day, month if given): two different days
    /// are two incidents even when no publication date resolves them.
    pub day: Option<(i8, Option<i8>)>,
    /// A re-capture of escapees ("ألقي القبض على 89 حاولوا الفرار"): belongs to the break.
    pub recapture: bool,
}

/// Priority of the attack-family types: the most specific wins when one clause holds several.
const ATTACK_PRIORITY: &[&str] = &[
    "execution",
    "security_operation",
    "ambush",
    "bombing",
    "airstrike",
    "shelling",
    "assassination",
    "abduction",
    "armed_clash",
    "armed_attack",
    "arrest",
    "killing",
];

/// Types that are their own candidates, never folded into the attack.
pub fn is_separate(t: &str) -> bool {
    matches!(t, "prison_break" | "displacement" | "curfew" | "mobilization" | "territorial_change" | "weapons_seizure")
}

fn rank(t: &str) -> usize {
    ATTACK_PRIORITY.iter().position(|x| *x == t).unwrap_or(ATTACK_PRIORITY.len())
}

/// Candidates of the whole document, in text order.
pub fn find(p: &Prepared) -> Vec<Candidate> {
    let mut out = Vec::new();
    for cl in &p.clauses {
        let s = &p.sentences[cl.sentence];
        if s.question || sentence_blocked(p, s.start, s.end) {
            continue;
        }
        clause_candidates(p, cl, &mut out);
    }
    out
}

/// Sentences that report no event: habits, diseases, stock figures.
fn sentence_blocked(p: &Prepared, start: usize, end: usize) -> bool {
    p.mentions_in(start, end).iter().any(|m| {
        p.has_cue(m, Cue::Disease) || p.has_cue(m, Cue::Question) || p.has_cue(m, Cue::Stock)
    })
}

struct Trig<'a> {
    m: &'a Mention,
    info: TriggerInfo,
}

fn clause_candidates(p: &Prepared, cl: &Clause, out: &mut Vec<Candidate>) {
    let ms = p.mentions_in(cl.start, cl.end);
    // A habit ("تتعرض باستمرار للقصف") is no incident.
    if ms.iter().any(|m| p.has_cue(m, Cue::Habitual)) {
        return;
    }
    let has_cue = |c: Cue| ms.iter().any(|m| p.has_cue(m, c));
    let prison = has_cue(Cue::Prison);
    let air = has_cue(Cue::Air);
    // An accident word close to a killing makes it no conflict event ("لقي مصرعه في حريق");
    // further off it belongs to another clause of the headline ("مقتل لاجئ ووفاة أربعة بحريق").
    let accident_near = |pos: usize| ms.iter().any(|m| p.has_cue(m, Cue::Accident) && p.words_between(pos.min(m.start), pos.max(m.start)) <= 4);
    let stock = has_cue(Cue::Stock);
    let listed = listed_triggers(p, cl);
    let mut trigs: Vec<Trig> = Vec::new();
    for m in ms {
        let Some(info) = p.trigger(m) else { continue };
        // A list of kinds ("بين تفجير وهجوم واستهداف وكمائن") or the kind of a cell ("خلية
        // اغتيالات") names no incident.
        if listed.contains(&m.start) || after_cell_word(p, m) {
            continue;
        }
        if info.flags.has(Flags::NEEDS_PRISON) && !prison {
            continue;
        }
        // A hypothetical or a warning before the trigger in its clause ("يخشى هجوم"، "محاولة").
        if ms.iter().filter(|x| x.end <= m.start).any(|x| p.has_cue(x, Cue::Hypothetical) || p.has_cue(x, Cue::Negation)) {
            continue;
        }
        let mut info = info;
        if air && info.flags.has(Flags::AIR_UPGRADE) {
            info.event_type = "airstrike";
        }
        trigs.push(Trig { m, info });
    }
    if trigs.is_empty() {
        return;
    }
    // Effects of the clause with their counts, first per role; a breakdown cue ends the
    // reading for a role that already has its total ("نحو 70 قتيلا من بينهم 40").
    let mut counts: Vec<(Role, CountVal)> = Vec::new();
    if !stock {
        let mut breakdown_at: Option<usize> = None;
        for m in ms {
            if p.has_cue(m, Cue::Breakdown) && !counts.is_empty() {
                breakdown_at.get_or_insert(m.start);
            }
            let Some((role, _, _, flags)) = p.effect(m) else { continue };
            if breakdown_at.is_some_and(|b| m.start > b) {
                continue;
            }
            if flags.has(Flags::NEEDS_PRISON) && !prison {
                continue;
            }
            if let Some(c) = counts::count_at(p, m, cl.start, cl.end) {
                match counts.iter_mut().find(|(r, _)| *r == role) {
                    Some((_, old)) => {
                        if !old.is_numeric() && c.is_numeric() {
                            *old = c;
                        }
                    }
                    None => counts.push((role, c)),
                }
            }
        }
    }
    let has_victims = counts.iter().any(|(r, _)| matches!(r, Role::Killed | Role::Injured));
    // Attack family: the strongest trigger gives the type.
    // A definite attack noun after the main verb of another act refers to an earlier event
    // ("اعتقل شخصين بتهمة التورط في التفجير"): it does not type this clause.
    let first_verb = trigs.iter().find(|t| matches!(t.info.pos, Pos::Verb | Pos::Passive | Pos::Phrase) || p.effect(t.m).is_some_and(|e| e.1 == Pos::Verb)).map(|t| (t.m.start, t.info.event_type));
    let attack: Vec<&Trig> = trigs
        .iter()
        .filter(|t| !is_separate(t.info.event_type))
        .filter(|t| {
            !(t.m.definite
                && matches!(t.info.pos, Pos::Masdar)
                && first_verb.is_some_and(|(vs, vt)| vs < t.m.start && vt != t.info.event_type && matches!(vt, "arrest" | "security_operation")))
        })
        .collect();
    let strong: Vec<&Trig> = attack.iter().copied().filter(|t| !t.info.flags.has(Flags::WEAK) && !t.info.flags.has(Flags::GENERIC)).collect();
    let generic: Vec<&Trig> = attack.iter().copied().filter(|t| t.info.flags.has(Flags::GENERIC) && !t.info.flags.has(Flags::WEAK)).collect();
    let weak: Vec<&Trig> = attack.iter().copied().filter(|t| t.info.flags.has(Flags::WEAK)).collect();
    let chosen: Option<&Trig> = if !strong.is_empty() {
        let mut best = strong.iter().copied().min_by_key(|t| rank(t.info.event_type)).unwrap();
        // "العملية استهدفت خلية … وأسفرت عن القبض على": the targeting is the raid's.
        if best.info.event_type == "armed_attack" && best.info.flags.has(Flags::AIR_UPGRADE) {
            if let Some(raid) = strong.iter().copied().find(|t| matches!(t.info.event_type, "security_operation" | "arrest")) {
                best = raid;
            }
        }
        // An instrument names how a plain attack or killing was done ("هجوم بعبوة ناسفة"،
        // "استهداف بقذائف"); a definite instrument without "بـ" refers back to another event.
        let instrument = generic.iter().copied().filter(|g| !g.m.definite || p.text()[g.m.start..g.m.form_start].contains('ب')).min_by_key(|t| rank(t.info.event_type));
        match instrument {
            Some(g) if matches!(best.info.event_type, "armed_attack" | "killing") => Some(g),
            _ => Some(best),
        }
    } else if !generic.is_empty() && has_victims {
        generic.iter().copied().min_by_key(|t| rank(t.info.event_type))
    } else if !weak.is_empty() && has_victims {
        // Among weak words a plain killing wins over "by gunfire".
        weak.iter().copied().min_by_key(|t| if t.info.event_type == "killing" { 0 } else { 1 + rank(t.info.event_type) })
    } else {
        None
    };
    if let Some(t) = chosen {
        let ty = t.info.event_type;
        if !(ty == "killing" && accident_near(t.m.start)) {
            // A plural without its number ("هجمات") is no single incident, unless another
            // strong trigger of the clause is singular ("عمليات إنزال … وألقت القبض").
            // Remote fire is reported in the plural ("شن الطيران غارات"); and a plural with
            // its victims counted is one reported incident.
            let has_numeric = counts.iter().any(|(_, c)| c.is_numeric());
            // "هجمات أخرى استهدفت …": a verb that describes a plural act noun before it is as
            // plural as the noun.
            let describes_plural = |t: &Trig| {
                t.info.pos == Pos::Verb
                    && trigs.iter().any(|o| o.m.end <= t.m.start && o.info.number == Number::Plural && o.info.pos == Pos::Masdar && p.words_between(o.m.end, t.m.start) <= 1)
            };
            let singular = |t: &Trig| {
                (t.info.number != Number::Plural && !describes_plural(t))
                    || has_exact_number_before(p, cl, t.m)
                    || matches!(t.info.event_type, "airstrike" | "shelling")
                    || has_victims && t.info.event_type != "armed_attack"
                    || has_numeric && counts_after(p, cl, t.m)
            };
            let mut standalone = singular(t) || strong.iter().any(|x| singular(x));
            // Outside the headline, a present-tense verb tells a habit or a trend ("ينشط
            // التنظيم ويختطف ويقتل"), not an incident.
            let title = p.sentences[cl.sentence].title;
            // "هجوم مماثل": a likeness, not a report; "بعد أيام من هجوم": an earlier act
            // recalled to date this one.
            if p.text()[t.m.end..cl.end].split_whitespace().next().is_some_and(|w| w.starts_with("مماثل")) || recalled(p, cl, t.m) {
                standalone = false;
            }
            if !title && is_imperfective(p, t) && !strong.iter().any(|x| !is_imperfective(p, x) && singular(x)) {
                standalone = false;
            }
            // A killing needs a victim count; an arrest needs someone arrested.
            if ty == "killing" && !has_victims {
                standalone = false;
            }
            let role_counts: Vec<(Role, CountVal)> =
                counts.iter().copied().filter(|(r, _)| *r != Role::Escaped).collect();

            let escape_word = ms.iter().any(|m| p.effect(m).is_some_and(|e| e.0 == Role::Escaped));
            let mut cand = make(p, cl, ty, t, standalone, role_counts, ty == "arrest" && escape_word);
            // A headline or a lede that counts incidents ("بهجومين منفصلين"، "تبنى ثلاث
            // هجمات") leaves each to the sentences that tell them, unless it gives their toll.
            if cand.series && (p.sentences[cl.sentence].title || cand.counts.is_empty()) {
                cand.standalone = false;
            }
            out.push(cand);
        }
    } else if !weak.is_empty() || !generic.is_empty() {
        // Weak or instrument words alone: evidence for a neighbouring event only.
        let t = *weak.first().or(generic.first()).unwrap();
        let cand = make(p, cl, t.info.event_type, t, false, Vec::new(), false);
        out.push(cand);
    }
    // Separate types.
    let mut seen_sep: Vec<&str> = Vec::new();
    for t in trigs.iter().filter(|t| is_separate(t.info.event_type)) {
        let ty = t.info.event_type;
        if seen_sep.contains(&ty) {
            continue;
        }
        // Inmates taking a wing of their prison are the riot, not a change of territory.
        if ty == "territorial_change" && prison {
            continue;
        }
        // Seizures told with a raid or an arrest are part of it.
        if ty == "weapons_seizure" && chosen.is_some_and(|c| matches!(c.info.event_type, "security_operation" | "arrest")) {
            continue;
        }
        seen_sep.push(ty);
        let role_counts: Vec<(Role, CountVal)> = if ty == "prison_break" {
            counts.iter().copied().filter(|(r, _)| *r == Role::Escaped).collect()
        } else {
            Vec::new()
        };
        // A plural prison word without its number ("تمردات") tells a series, not one break.
        let plural_without_number = ty == "prison_break" && t.info.number == Number::Plural && !has_exact_number_before(p, cl, t.m);
        let mut standalone = !plural_without_number;
        if ty == "mobilization" {
            // A mobilisation is an event only when an armed actor is named with it.
            standalone &= ms.iter().any(|m| p.actor(m).is_some());
        }
        let cand = make(p, cl, ty, t, standalone, role_counts, false);
        out.push(cand);
    }
}

/// Discourse signs of a different incident than the one told before.
fn another_incident(p: &Prepared, cl: &Clause, trig: &Mention) -> bool {
    let text = p.text();
    let s = &p.sentences[cl.sentence];
    let head: Vec<&str> = text[s.start..s.end].split_whitespace().take(10).collect();
    // "كما شهد …" at the head of a sentence adds an incident.
    if cl.start == s.start && head.first().is_some_and(|w| *w == "كما") {
        return true;
    }
    // Pluperfect "وكان(ت) … قد" + verb: an earlier incident told as background.
    if cl.start == s.start && head.first().is_some_and(|w| discourse::is(w, Class::Was)) {
        if let Some(qad) = head.iter().position(|w| *w == "قد") {
            // Not a report verb: "وكان المرصد قد قال" still tells the same incident.
            let verb_at = text[s.start..s.end].split_whitespace().nth(qad + 1).map(|w| w.as_ptr() as usize - text.as_ptr() as usize);
            let speech = verb_at.is_some_and(|v| p.mentions_in(v, s.end).first().is_some_and(|m| m.start == v && p.has_cue(m, Cue::Speech)));
            if !speech {
                return true;
            }
        }
    }
    // The act itself called another or a third ("في هجوم ثالث"، "حادثة أخرى").
    // Only acts: after an effect ("اعتقال آخر"، "إصابة آخر") the word is the other victim.
    for m in p.mentions_in(cl.start, cl.end).iter().filter(|m| p.trigger(m).is_some() && p.effect(m).is_none()) {
        if let Some(next) = text[m.end..cl.end].split_whitespace().next() {
            let w = next.trim_matches(|c: char| !marsad_text::is_alnum(c));
            if discourse::is(w, Class::Another) {
                return true;
            }
        }
    }
    // The first victim noun after the trigger called "another" or "a third".
    let from = cl.start.max(trig.start.saturating_sub(0));
    if let Some(person) = p.mentions_in(from, cl.end).iter().find(|m| p.person(m).is_some()) {
        let after = p.mentions_in(person.end, cl.end);
        if after.iter().take(2).any(|m| {
            p.words_between(person.end, m.start) <= 2
                && (p.cue_value(m, Cue::Other).is_some() && matches!(&text[m.form_start..m.form_end], "اخر" | "اخري")
                    || &text[m.form_start..m.form_end] == "ثالث")
        }) {
            return true;
        }
    }
    false
}

/// Triggers in a list of three or more joined by "و" with nothing between them.
pub fn listed_triggers(p: &Prepared, cl: &Clause) -> Vec<usize> {
    let text = p.text();
    let trig: Vec<&Mention> = p.mentions_in(cl.start, cl.end).iter().filter(|m| p.trigger(m).is_some()).collect();
    let mut out = Vec::new();
    let mut run: Vec<usize> = Vec::new();
    for (i, m) in trig.iter().enumerate() {
        let joined = i > 0 && p.words_between(trig[i - 1].end, m.start) == 0 && text[m.start..].starts_with('و');
        if !joined {
            if run.len() >= 3 {
                out.extend(run.iter().copied());
            }
            run.clear();
        }
        run.push(m.start);
    }
    if run.len() >= 3 {
        out.extend(run);
    }
    out
}

/// "خلية اغتيالات"، "خلايا التفخيخ": a trigger that names what a cell does.
fn after_cell_word(p: &Prepared, m: &Mention) -> bool {
    let t = p.text()[..m.start].trim_end();
    let w = t.rsplit(|c: char| c.is_whitespace()).next().unwrap_or("");
    discourse::is(w, Class::Cell)
}

/// "بعد أيام من هجوم"، "بعد ساعات على تفجير": a trigger recalled as a point in time.
fn recalled(p: &Prepared, cl: &Clause, m: &Mention) -> bool {
    let before: Vec<&str> = p.text()[cl.start..m.start].split_whitespace().rev().take(3).collect();
    matches!(before.as_slice(), [prep, unit, after] if matches!(*prep, "من" | "علي") && after.ends_with("بعد")
        && discourse::is(unit, Class::TimeUnit))
}

/// Whether an effect with a number follows the trigger in its clause ("إعدامات بحق خمسة").
fn counts_after(p: &Prepared, cl: &Clause, m: &Mention) -> bool {
    p.numbers_in(m.end, cl.end).iter().any(|n| n.value.exact().is_some())
}

/// A present-tense (imperfective) verb: يقتل، تستهدف، يهاجمون.
fn is_imperfective(p: &Prepared, t: &Trig) -> bool {
    t.info.pos == Pos::Verb && {
        let f = &p.text()[t.m.form_start..t.m.form_end];
        f.starts_with('ي') || f.starts_with('ت') && !f.starts_with("تم") && !f.starts_with("تعرض")
    }
}

/// "3 هجمات"، "هجومين": a plural trigger with its own exact number before it.
fn has_exact_number_before(p: &Prepared, cl: &Clause, m: &Mention) -> bool {
    p.numbers_in(cl.start, m.start)
        .last()
        .is_some_and(|n| p.words_between(n.end, m.start) == 0 && n.value.exact().is_some())
}

fn make(p: &Prepared, cl: &Clause, ty: &'static str, t: &Trig, standalone: bool, counts: Vec<(Role, CountVal)>, recapture: bool) -> Candidate {
    let (perpetrators, targets) = actors::assign(p, cl, ty, (t.m.start, t.m.end));
    let s = &p.sentences[cl.sentence];
    let sms = p.mentions_in(s.start, s.end);
    let claimed = sms.iter().any(|m| p.has_cue(m, Cue::Claim))
        || sms.iter().any(|m| p.cue_value(m, Cue::Source) == Some("AMAQ"));
    let mut reported_by: Vec<String> = Vec::new();
    for m in sms {
        if let Some(v) = p.cue_value(m, Cue::Source) {
            if !v.is_empty() && !reported_by.iter().any(|r| r == v) {
                reported_by.push(v.to_string());
            }
        }
    }
    let date = date_for(p, cl, t.m.start);
    let day = p
        .dates
        .iter()
        .filter(|d| d.start >= cl.start && d.end <= cl.end && !statement_date(p, d))
        .find_map(|d| day_of(&d.kind));
    // Back-references ("الهجوم"، "الانفجار") bind to the latest event; a definite "السيطرة على"
    // or "القضاء على" names a state of affairs, not one report.
    // ("القبض على" carries its article in the idiom: no back-reference.)
    let lexical_article = p.text()[t.m.form_start..t.m.form_end].starts_with("ال");
    let definite = t.m.definite && !lexical_article && matches!(t.info.pos, Pos::Masdar | Pos::Noun) && !is_separate(ty);
    let another = !is_separate(ty) && another_incident(p, cl, t.m);
    // Victims called "the attackers" ("قتلت 23 من المهاجمين") belong to the attack just told.
    let attackers = p.mentions_in(cl.start, cl.end).iter().any(|m| {
        let f = &p.text()[m.form_start..m.form_end];
        m.definite && (f.starts_with("مهاجم") || f.starts_with("المهاجم"))
    });
    let series = t.info.number != Number::Singular
        && p.numbers_in(cl.start, t.m.start).last().is_some_and(|n| p.words_between(n.end, t.m.start) == 0 && n.value.exact().is_some_and(|v| v >= 2))
        || (t.info.number == Number::Dual && !t.info.flags.has(Flags::GENERIC));
    // Instruments ("بسيارتين مفخختين") count weapons, not incidents.
    let series = series && !t.info.flags.has(Flags::GENERIC);
    // A sentence that opens with its own date ("وفي 21 الشهر الجاري أعلنت …"، "ومطلع حزيران
    // تبنى …") tells an incident of that date, not more of the one before.
    let sent = &p.sentences[cl.sentence];
    let _ = sent;
    let opens_with_date = p.dates.iter().any(|d| {
        d.start >= cl.start
            && d.start < cl.end
            && matches!(p.text()[cl.start..d.start].trim(), "" | "و" | "وفي" | "في" | "ف")
            && !statement_date(p, d)
    });
    Candidate {
        opens_with_date,
        attackers,
        day,
        series,
        another,
        event_type: ty,
        clause: *cl,
        trigger: (t.m.start, t.m.end),
        definite,
        standalone,
        counts,
        perpetrators,
        targets,
        claimed,
        reported_by,
        date,
        recapture,
    }
}

/// The day of month an expression names, with its month when given.
fn day_of(k: &dates::DateKind) -> Option<(i8, Option<i8>)> {
    use dates::{DateKind, Relative};
    match k {
        DateKind::Absolute { day: Some(d), month, .. } => Some((*d, *month)),
        DateKind::Relative(Relative::DayOfThisMonth(d) | Relative::DayOfLastMonth(d)) => Some((*d, None)),
        DateKind::Relative(Relative::Weekday { day: Some(d), month, .. } | Relative::LastWeekday { day: Some(d), month, .. }) => Some((*d, *month)),
        _ => None,
    }
}

/// The date of a candidate: the date expression of its clause nearest the trigger, else of its
/// sentence, resolved against the publication date.
/// "وقال المدير، الثلاثاء (19 نيسان)، إن …": the date of a statement, not of the act.
fn statement_date(p: &Prepared, d: &dates::DateExpr) -> bool {
    let after = p.text()[d.end..].trim_start_matches(|c: char| !marsad_text::is_alnum(c));
    let w = after.split_whitespace().next().unwrap_or("");
    discourse::is(w, Class::That)
}

fn date_for(p: &Prepared, cl: &Clause, trig: usize) -> Option<(DateRange, (usize, usize))> {
    let s = &p.sentences[cl.sentence];
    let pick = |lo: usize, hi: usize| {
        p.dates
            .iter()
            .filter(|d| d.start >= lo && d.end <= hi)
            .filter(|d| !statement_date(p, d))
            .filter_map(|d| dates::resolve(&d.kind, p.anchor).map(|r| (r, (d.start, d.end))))
            .filter(|(r, _)| r.precision != Precision::Unknown)
            .min_by_key(|(_, (a, b))| if *b <= trig { trig - b } else { a.saturating_sub(trig) })
    };
    pick(cl.start, cl.end).or_else(|| pick(s.start, s.end))
}
