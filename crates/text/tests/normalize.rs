//! Every normaliser, one case each (sentences of our own), and the offset map as a property:
//! for arbitrary Unicode input, every character of the normalised text maps back to a boundary
//! of the original, ranges map to in-order substrings, and re-normalising the substring gives
//! back the normalised span.

use marsad_text::normalize::{fold, fold_key, normalize};
use proptest::prelude::*;

#[test]
fn invisible_characters_are_dropped() {
    // zero-width joiner, non-joiner, LRM/RLM, BOM, soft hyphen
    assert_eq!(normalize("قت\u{200D}ل\u{200C} \u{200F}عنصر\u{FEFF}\u{00AD}").text, "قتل عنصر");
}

#[test]
fn diacritics_and_tatweel_are_dropped() {
    assert_eq!(normalize("قُتِلَ الجُنْديُّ فـــي الكَمِيـن").text, "قتل الجندي في الكمين");
}

#[test]
fn spaces_fold_to_one_kind() {
    // NBSP, thin space, ideographic space, tab
    assert_eq!(normalize("دير\u{00A0}الزور\u{2009}و\u{3000}الرقة\tاليوم").text, "دير الزور و الرقه اليوم");
}

#[test]
fn hamza_forms_fold_to_alef_and_carriers() {
    assert_eq!(normalize("أعلن إعلام آخر ٱلجيش").text, "اعلن اعلام اخر الجيش");
    assert_eq!(fold("مسؤول"), fold("مسوول"));
    assert_eq!(fold("رئيس"), fold("رييس"));
}

#[test]
fn alef_maqsura_folds_to_ya() {
    assert_eq!(normalize("قوى الأمن على الطريق").text, "قوي الامن علي الطريق");
}

#[test]
fn ta_marbuta_folds_to_ha() {
    assert_eq!(normalize("مدينة الحسكة").text, "مدينه الحسكه");
}

#[test]
fn persian_letters_fold_to_arabic() {
    assert_eq!(normalize("ی ک").text, "ي ك");
}

#[test]
fn digits_of_every_script_become_ascii() {
    assert_eq!(normalize("٣٦٧ و۱۲ و12").text, "367 و12 و12");
}

#[test]
fn quote_marks_fold() {
    assert_eq!(normalize("“قسد” «داعش» ‹التحالف› 'الجيش'").text, "\"قسد\" \"داعش\" \"التحالف\" \"الجيش\"");
}

#[test]
fn fold_key_is_the_comparison_form() {
    assert_eq!(fold_key(" ديرُ  الزّور "), "دير الزور");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn every_offset_maps_back(src in "\\PC{0,120}|[\\u{0600}-\\u{06FF}\\u{200B}-\\u{200F}\\u{00A0} ]{0,120}") {
        let n = normalize(&src);
        let mut last = 0;
        for (i, _) in n.text.char_indices() {
            let o = n.orig_start(i);
            prop_assert!(src.is_char_boundary(o), "offset {o} not a boundary");
            prop_assert!(o >= last, "offsets go backwards");
            last = o;
        }
        // Every word of the normalised text maps to an original substring that normalises
        // back to the same word.
        let mut pos = 0;
        for w in n.text.split(' ') {
            let (s, e) = (pos, pos + w.len());
            pos = e + 1;
            if w.is_empty() {
                continue;
            }
            let (os, oe) = n.orig_range(s, e, &src);
            prop_assert!(os <= oe && oe <= src.len());
            prop_assert!(src.is_char_boundary(os) && src.is_char_boundary(oe));
            let again = normalize(&src[os..oe]);
            prop_assert_eq!(again.text.trim(), w, "{:?} -> {:?}", &src[os..oe], w);
        }
    }
}
