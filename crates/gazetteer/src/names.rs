//! Arabic name variants: the forms under which one gazetteer name is compiled into the automaton.
//!
//! Every variant is in `fold_key` form (normalised, single spaces). A variant that starts with the
//! article ال is compiled without it and marked [`Form::Article`]: it then matches only where the
//! text writes the article (الحسكه, بالحسكه, للحسكه) so that the bare word is never a place
//! (طبقه "layer" is not الطبقه). A variant without the article matches bare or with it
//! (حريزه, الحريزه).

use marsad_text::normalize::fold_key;

/// Words that only say what kind of place follows ("محافظة دير الزور", "ناحية الهول").
pub const FORMAL_PREFIXES: &[&str] = &["ناحيه", "منطقه", "مدينه", "محافظه", "مركز", "حي", "قريه", "بلده"];

/// Last words that distinguish two halves of one village (فوقاني/تحتاني) or a quarter; the
/// name without them is also how the news names the place ("الباغوز").
const SPLIT_SUFFIXES: &[&str] = &[
    "فوقاني", "تحتاني", "الفوقاني", "التحتاني", "شرقي", "غربي", "الشرقي", "الغربي", "الشرقيه",
    "الغربيه", "الشماليه", "الجنوبيه", "الكبير", "الصغير", "الكبيره", "الصغيره", "كبير", "صغير",
    "جزيره", "شاميه", "الجزيره", "الشاميه",
];

/// First words that writers join to the next word or keep apart (كفر نبل / كفرنبل).
const JOINABLE_PREFIXES: &[&str] = &["كفر", "دير", "ابو", "عبد", "بيت", "بني"];

/// How a compiled pattern relates to the article.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Form {
    /// The name has no article: it matches bare or after ال.
    Any,
    /// The name starts with ال, compiled without it: the text must write the article.
    Article,
}

/// Number of letters in a string (spaces and punctuation not counted).
pub fn letters(s: &str) -> usize {
    s.chars().filter(|c| marsad_text::is_alnum(*c)).count()
}

/// Splits a folded form into (pattern, form): "الحسكه" → ("حسكه", Article).
pub fn pattern_of(variant: &str) -> (String, Form) {
    match variant.strip_prefix("ال") {
        Some(rest) if letters(rest.split(' ').next().unwrap_or("")) >= 2 => {
            (rest.to_string(), Form::Article)
        }
        _ => (variant.to_string(), Form::Any),
    }
}

fn push(out: &mut Vec<String>, s: String) {
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if !s.is_empty() && !out.contains(&s) {
        out.push(s);
    }
}

/// All folded spellings of one Arabic name. Unusable names give an empty list.
pub fn variants(name: &str) -> Vec<String> {
    let key = fold_key(name);
    // Pieces: OCHA writes alternatives as "A_B" or "A / B"; some names carry a bracketed part.
    let mut pieces: Vec<String> = Vec::new();
    let cleaned: String = key
        .chars()
        .map(|c| match c {
            '"' | '\'' | '«' | '»' | '.' => ' ',
            _ => c,
        })
        .collect();
    push(&mut pieces, cleaned.replace(['(', ')'], " "));
    for p in cleaned.split(['_', '/', '(', ')', '،', ',']) {
        push(&mut pieces, p.to_string());
    }
    if pieces.len() > 1 {
        // the whole "A_B" string is not a way anyone writes the name
        pieces.retain(|p| !cleaned.contains('_') || !p.contains('_'));
    }

    let mut out: Vec<String> = Vec::new();
    for p in pieces {
        let mut stage = vec![p.clone()];
        // Formal prefixes: "ناحية الهول" → "الهول".
        let mut cur = p.clone();
        loop {
            let mut words = cur.splitn(2, ' ');
            let first = words.next().unwrap_or("");
            let rest = words.next().unwrap_or("");
            if FORMAL_PREFIXES.contains(&first) && !rest.is_empty() {
                cur = rest.to_string();
                if !stage.contains(&cur) {
                    stage.push(cur.clone());
                }
            } else {
                break;
            }
        }
        // Distinguishing last words: "الباغوز فوقاني" → "الباغوز".
        let mut more = Vec::new();
        for s in &stage {
            let words: Vec<&str> = s.split(' ').collect();
            if words.len() >= 2 {
                if let Some(last) = words.last() {
                    if SPLIT_SUFFIXES.contains(last) {
                        let base = words[..words.len() - 1].join(" ");
                        // "منطقة الجزيرة" is not "منطقة", "ريف حمص الشرقي" is not "ريف حمص"
                        let first = words[0];
                        let generic = words.len() == 2 && (FORMAL_PREFIXES.contains(&first) || crate::TYPE_WORDS.contains(&first));
                        if !generic && first != "ريف" && letters(base.trim_start_matches("ال")) >= 4 {
                            more.push(base);
                        }
                    }
                }
            }
        }
        stage.extend(more);
        // Article on the second word of two-word names: "جزره ميلاج" ↔ "جزره الميلاج".
        let mut more = Vec::new();
        for s in &stage {
            let words: Vec<&str> = s.split(' ').collect();
            if words.len() == 2 && !JOINABLE_PREFIXES.contains(&words[0]) {
                let (a, b) = (words[0], words[1]);
                if let Some(bare) = b.strip_prefix("ال") {
                    if letters(bare) >= 3 {
                        more.push(format!("{a} {bare}"));
                    }
                } else if letters(b) >= 3 && b.chars().all(|c| marsad_text::is_alpha(c)) {
                    more.push(format!("{a} ال{b}"));
                }
            }
        }
        stage.extend(more);
        // Joined and split forms: "دير الزور" ↔ "ديرالزور", "كفر نبل" ↔ "كفرنبل".
        let mut more = Vec::new();
        for s in &stage {
            let words: Vec<&str> = s.split(' ').collect();
            if words.len() >= 2 {
                for i in 0..words.len() - 1 {
                    if words[i + 1].starts_with("ال") || JOINABLE_PREFIXES.contains(&words[i]) {
                        let mut w: Vec<String> = words.iter().map(|x| x.to_string()).collect();
                        let next = w.remove(i + 1);
                        w[i].push_str(&next);
                        more.push(w.join(" "));
                    }
                }
            } else if let Some(word) = words.first() {
                for pre in JOINABLE_PREFIXES {
                    if let Some(rest) = word.strip_prefix(pre) {
                        if letters(rest) >= 3 {
                            more.push(format!("{pre} {rest}"));
                        }
                    }
                }
            }
        }
        stage.extend(more);
        for s in stage {
            push(&mut out, s);
        }
    }
    // Too short to be told apart from ordinary words: under three letters without the article.
    out.retain(|v| {
        let (pat, _) = pattern_of(v);
        letters(&pat) >= 3 && pat.chars().any(|c| marsad_text::is_alpha(c))
    });
    out
}

/// A short slug for ids ("Abi Fares roundabout" → "abi-fares-roundabout").
pub fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variants_cover_common_spellings() {
        let v = variants("دير الزور");
        assert!(v.contains(&"دير الزور".to_string()), "{v:?}");
        assert!(v.contains(&"ديرالزور".to_string()), "{v:?}");
        let v = variants("ناحية الهول");
        assert!(v.contains(&"الهول".to_string()), "{v:?}");
        let v = variants("الباغوز فوقاني");
        assert!(v.contains(&"الباغوز".to_string()), "{v:?}");
        let v = variants("جزرة ميلاج");
        assert!(v.contains(&"جزره الميلاج".to_string()), "{v:?}");
        let v = variants("منطقة الجزيرة");
        assert!(!v.contains(&"منطقه".to_string()), "{v:?}");
        let v = variants("ريف حمص الشرقي");
        assert!(!v.contains(&"ريف حمص".to_string()), "{v:?}");
        let v = variants("كفرنبل");
        assert!(v.contains(&"كفر نبل".to_string()), "{v:?}");
        let v = variants("تشرين / دفيل");
        assert!(v.contains(&"دفيل".to_string()) && v.contains(&"تشرين".to_string()), "{v:?}");
        assert!(variants("الحي").is_empty());
        assert_eq!(pattern_of("الحسكه"), ("حسكه".to_string(), Form::Article));
        assert_eq!(pattern_of("حلب"), ("حلب".to_string(), Form::Any));
    }
}
