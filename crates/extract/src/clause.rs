//! Clauses: a sentence cut where Arabic news prose moves to another incident ("فيما"، "بينما"،
//! "في حين"، "وكذلك"، a semicolon). Events are assembled per clause; counts and actors never
//! cross a clause boundary.

use crate::discourse::{self, Class};
use crate::prepare::Prepared;
use marsad_lexicon::Cue;

/// A clause: normalised byte range and the sentence it belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Clause {
    pub sentence: usize,
    pub start: usize,
    pub end: usize,
    /// The clause opens with a cue that announces another incident.
    pub new_event: bool,
}


/// Cuts every sentence of the document into clauses.
pub fn clauses(p: &Prepared) -> Vec<Clause> {
    let text = p.text();
    let mut out = Vec::new();
    for (si, s) in p.sentences.iter().enumerate() {
        let mut cuts: Vec<(usize, bool)> = Vec::new();
        // Semicolons (Latin and Arabic) end a clause. Found on the bytes: "؛" (U+061B) is D8 9B,
        // and 9B never starts a character.
        let body = text[s.start..s.end].as_bytes();
        for (i, &b) in body.iter().enumerate() {
            if b == b';' {
                cuts.push((s.start + i + 1, false));
            } else if b == 0x9B && i > 0 && body[i - 1] == 0xD8 {
                cuts.push((s.start + i + 1, false));
            }
        }
        // Split words at word starts.
        for (ws, _, classes) in p.chunk_classes(s.start, s.end) {
            if ws == s.start {
                continue;
            }
            if classes.word.has(Class::ClauseWord) {
                cuts.push((ws, false));
                continue;
            }
            let rest = &text[ws..s.end];
            if classes.phrase_head && discourse::phrases(Class::ClausePhrase).any(|ph| rest.starts_with(ph)) {
                cuts.push((ws, false));
            }
        }
        // "…، ومطلع حزيران تبنى …": a comma and a conjoined date open a new dated statement.
        for d in p.dates.iter().filter(|d| d.start > s.start && d.start < s.end) {
            let before = text[s.start..d.start].trim_end();
            let joined = text[d.start..].starts_with('و') || before.ends_with(" و");
            let lead = if text[d.start..].starts_with('و') { before } else { before.trim_end_matches('و').trim_end() };
            if joined && (lead.ends_with('،') || lead.ends_with(',')) {
                // Cut at the conjunction: the date itself, or the lone "و" before it.
                let at = if text[d.start..].starts_with('و') { d.start } else { s.start + before.len() - 'و'.len_utf8() };
                if text.is_char_boundary(at) && at > s.start {
                    cuts.push((at, false));
                }
            }
        }
        // "تزامن مع استهداف …": a second act at the same time is another incident.
        for (i, _) in text[s.start..s.end].match_indices("تزامن") {
            let at = s.start + i;
            let word_start = text[..at].rfind(' ').map_or(s.start, |b| (b + 1).max(s.start));
            let rest = text[at..s.end].split_whitespace().nth(1).unwrap_or("");
            if rest == "مع" && word_start > s.start {
                // Another incident only when an act of the same kind was told before it
                // ("الهجوم تزامن مع استهداف حافلة"); a riot "coinciding with an attack" is two
                // kinds that the types keep apart anyway, and the attack may be the main one.
                let attack_before = p
                    .mentions_in(s.start, word_start)
                    .iter()
                    .any(|m| p.trigger(m).is_some_and(|t| !crate::candidates::is_separate(t.event_type)));
                cuts.push((word_start, attack_before));
            }
        }
        // New-event cues ("وكذلك", "في حادثة أخرى") open a clause that must not merge backwards.
        for m in p.mentions_in(s.start, s.end) {
            if p.has_cue(m, Cue::NewEvent) && m.start > s.start && !is_ordinal_only(p, m) {
                cuts.push((m.start, true));
            }
        }
        // Two coordinated verbs of different events ("قتل عنصرا في البلدة وأعدم 3 جنود"): the
        // second, with its conjunction, opens a clause when two or more words part them.
        let mut last_verb: Option<(usize, &str)> = None;
        for m in p.mentions_in(s.start, s.end) {
            let Some(t) = p.trigger(m) else { continue };
            if !matches!(t.pos, marsad_lexicon::Pos::Verb | marsad_lexicon::Pos::Passive | marsad_lexicon::Pos::Masdar | marsad_lexicon::Pos::Phrase) {
                continue;
            }
            if let Some((lv, lt)) = last_verb {
                // Masdars part only when they name different acts ("مقتل عنصر … وإعدام 3").
                // After "أسفر عن" the coordinated masdars are outcomes of one act.
                let outcome = t.pos == marsad_lexicon::Pos::Masdar
                    && p.mentions_in(s.start, m.start).iter().any(|x| p.has_cue(x, Cue::Result));
                let differs = (!matches!(t.pos, marsad_lexicon::Pos::Masdar | marsad_lexicon::Pos::Phrase) || lt != t.event_type) && !outcome;
                if differs && text[m.start..].starts_with('و') && m.form_start > m.start && p.words_between(lv, m.start) >= 1 {
                    cuts.push((m.start, false));
                }
            }
            last_verb = Some((m.end, t.event_type));
        }
        cuts.sort();
        cuts.dedup_by_key(|c| c.0);
        // "…؛ ما أسفر عن مقتل": a result clause belongs to the act before it.
        cuts.retain(|&(c, _)| {
            !p.mentions_in(c, s.end).first().is_some_and(|m| p.words_between(c, m.start) <= 1 && p.has_cue(m, Cue::Result))
        });
        let mut start = s.start;
        let mut new_event = starts_new_event(p, s.start, s.end);
        for (c, ne) in cuts {
            if c <= start || c >= s.end {
                continue;
            }
            out.push(Clause { sentence: si, start, end: c, new_event });
            start = c;
            new_event = ne;
        }
        out.push(Clause { sentence: si, start, end: s.end, new_event });
    }
    out
}

/// "ثالث" (a third one) marks a new incident only as a new-event cue word of its own; it is
/// in the cue list so that "قتل عنصر ثالث" does not merge with the first two. It does not cut.
fn is_ordinal_only(p: &Prepared, m: &marsad_lexicon::Mention) -> bool {
    p.cue_value(m, Cue::NewEvent).is_some() && &p.text()[m.form_start..m.form_end] == "ثالث"
}

/// Whether a sentence opens with a new-event cue (within its first two words).
fn starts_new_event(p: &Prepared, start: usize, end: usize) -> bool {
    p.mentions_in(start, end)
        .iter()
        .take_while(|m| p.words_between(start, m.start) <= 1)
        .any(|m| p.has_cue(m, Cue::NewEvent))
}

#[cfg(test)]
mod tests {
    use crate::testutil::prepared;

    #[test]
    fn splits_at_while_and_semicolon() {
        let (eng, doc) = prepared("هاجم مسلحون حاجزا في البلدة؛ فيما قصفت القوات قرية مجاورة بينما فر السكان.");
        let p = crate::prepare::Prepared::new(eng, &doc, &mut marsad_ingest::analyse(&doc));
        let cl = super::clauses(&p);
        assert_eq!(cl.len(), 3, "{cl:?}");
    }

    #[test]
    fn new_event_cue_marks_clause() {
        let (eng, doc) = prepared("قتل عنصر في البلدة. وكذلك أصيب مدني في قرية أخرى.");
        let p = crate::prepare::Prepared::new(eng, &doc, &mut marsad_ingest::analyse(&doc));
        let cl = super::clauses(&p);
        assert!(cl.iter().any(|c| c.new_event), "{cl:?}");
    }
}
