//! Unit tests on articles written for these tests (no line comes from the shared corpus).
use super::*;
use marsad_model::GivenMeta;

fn doc(text: &str) -> Document {
    Document {
        id: "t".into(),
        text: text.into(),
        encoding: "UTF-8".into(),
        ..Default::default()
    }
}

fn bp(a: &DocAnalysis) -> Vec<&str> {
    a.record.boilerplate.iter().map(String::as_str).collect()
}

const SITE: &str = "ad ad\n\
\n\
اشتباكات عنيفة في ريف المدينة الشمالي وسقوط جرحى\n\
\n\
الأحد 14/آب/2022 - 10:15 ص\n\
النهار\n\
سامر الخطيب\n\
طباعة\n\
\n\
شهد ريف المدينة الشمالي اشتباكات عنيفة بين فصيلين محليين استمرت ساعات، وأسفرت عن سقوط جرحى بين المدنيين.\n\
\n\
اشتباكات عنيفة في ريف\n\
خلفية النزاع\n\
وقال سكان إن الخلاف بدأ على حاجز عند مدخل البلدة قبل أن يتوسع.\n\
وصلت التعزيزات صباحا.\n\
اقرأ أيضاً: انقطاع الكهرباء عن أحياء واسعة\n\
Twitter\n\
اشترك في نشرتنا البريدية لتصلك آخر الأخبار\n\
تحرير: ليلى حداد\n";

#[test]
fn site_article_furniture() {
    let a = analyse(&doc(SITE));
    assert_eq!(
        a.record.title.as_deref(),
        Some("اشتباكات عنيفة في ريف المدينة الشمالي وسقوط جرحى")
    );
    let (s, e) = a.title.unwrap();
    assert_eq!(
        &SITE[s..e],
        "اشتباكات عنيفة في ريف المدينة الشمالي وسقوط جرحى"
    );
    assert_eq!(a.record.outlet.as_deref(), Some("النهار"));
    assert_eq!(a.record.byline.as_deref(), Some("سامر الخطيب"));
    assert_eq!(
        bp(&a),
        [
            "ad ad",
            "الأحد 14/آب/2022 - 10:15 ص",
            "النهار",
            "سامر الخطيب",
            "طباعة",
            "اشتباكات عنيفة في ريف",
            "اقرأ أيضاً: انقطاع الكهرباء عن أحياء واسعة",
            "Twitter",
            "اشترك في نشرتنا البريدية لتصلك آخر الأخبار",
            "تحرير: ليلى حداد",
        ]
    );
    // Ranges slice the text to exactly the reported lines.
    let texts: Vec<&str> = a.boilerplate.iter().map(|&(s, e)| &SITE[s..e]).collect();
    assert_eq!(texts, bp(&a));
}

#[test]
fn prose_subheads_and_place_titles_are_not_furniture() {
    let text = "حمص\nتفاصيل الهجوم\nكتب الناشط على صفحته أن القصف طال المدرسة القديمة في الحي.\n\
        وصلت التعزيزات صباحا.\nحمص\nالمعارك الأخيرة\nكتب فلان الفلاني\n";
    let a = analyse(&doc(text));
    assert_eq!(a.record.title.as_deref(), Some("حمص"));
    // "تفاصيل الهجوم" sits under the headline but nothing else says it is a byline; the second
    // "حمص" is a section name, far from the headline; "كتب فلان الفلاني" is a byline.
    assert_eq!(bp(&a), ["كتب فلان الفلاني"]);
    assert_eq!(a.record.byline.as_deref(), Some("كتب فلان الفلاني"));
    assert_eq!(a.record.outlet, None);
}

#[test]
fn subheads_under_share_buttons_and_keyword_lookalikes() {
    // Share buttons under the headline do not make the next short line a byline, and byline
    // keywords followed by a common noun are subheadings.
    let text = "عنوان عن موسم الحصاد في السهول
Facebook
تفاصيل الموسم
متابعة الأوضاع الزراعية
        تقرير خاص
بدأ المزارعون حصاد القمح في السهول الشرقية وسط توقعات بإنتاج وفير.
";
    let a = analyse(&doc(text));
    assert_eq!(bp(&a), ["Facebook"]);
    assert_eq!(a.record.byline, None);
}

#[test]
fn unknown_first_name_in_a_byline_block() {
    let text = "عنوان عن افتتاح الجسر الجديد
الخميس 3 آذار 2022
جورج حبيب
افتتح الجسر الجديد فوق النهر بعد سنتين من العمل المتواصل.
";
    let a = analyse(&doc(text));
    assert_eq!(a.record.byline.as_deref(), Some("جورج حبيب"));
    assert_eq!(bp(&a), ["الخميس 3 آذار 2022", "جورج حبيب"]);
}

#[test]
fn long_first_line_is_the_title() {
    let text = "قالت مصادر محلية إن انفجارا وقع قرب السوق المركزي في المدينة صباح اليوم.\nوأضافت أن فرق الإسعاف وصلت.\n";
    let a = analyse(&doc(text));
    assert_eq!(a.record.title.as_deref(), text.lines().next());
    assert!(a.record.boilerplate.is_empty());
}

#[test]
fn exclusive_outlet_and_lede_outlet() {
    let t1 = "عنوان الخبر عن الحاجز الجديد\n\nFacebook\nWhatsApp\n\nموقع الغد -خاص\n\nأقامت القوات حاجزا جديدا على الطريق الدولي بين المدينتين.\n";
    let a = analyse(&doc(t1));
    assert_eq!(a.record.outlet.as_deref(), Some("موقع الغد"));
    assert_eq!(bp(&a), ["Facebook", "WhatsApp", "موقع الغد -خاص"]);

    let t2 = "عنوان آخر عن الانتخابات المحلية\n\n(المشهد) – قالت مصادر مطلعة إن الانتخابات ستجري في موعدها المحدد.\n";
    let a = analyse(&doc(t2));
    assert_eq!(a.record.outlet.as_deref(), Some("المشهد"));
    assert!(
        a.record.boilerplate.is_empty(),
        "the lede is prose, not furniture"
    );

    let t3 = "تقرير عن الطرق المقطوعة في الشمال\n\nرامي يوسف\n\nالمصدر – رامي يوسف\n\nتقطعت الطرق بين القرى بعد العاصفة الثلجية التي ضربت المنطقة.\n";
    let a = analyse(&doc(t3));
    assert_eq!(a.record.outlet.as_deref(), Some("المصدر"));
    assert_eq!(a.record.byline.as_deref(), Some("رامي يوسف"));
    assert_eq!(bp(&a), ["رامي يوسف", "المصدر – رامي يوسف"]);
}

#[test]
fn repeated_headline_full_and_truncated() {
    let text = "هل تعود الأسواق إلى نشاطها بعد العيد؟\n\nهل تعود الأسواق إلى نشاطها بعد العيد؟\n\n\
        يترقب التجار عودة الحركة إلى الأسواق بعد عطلة العيد الطويلة.\nهل تعود الأسواق إلى نش\nالأسواق\n";
    let a = analyse(&doc(text));
    assert_eq!(
        bp(&a),
        [
            "هل تعود الأسواق إلى نشاطها بعد العيد؟",
            "هل تعود الأسواق إلى نش"
        ]
    );
}

#[test]
fn given_metadata_wins() {
    let mut d = doc(
        "العنوان المعطى للخبر\n\nإذاعة المدينة\nنص الخبر يبدأ هنا ويستمر طويلا في وصف الحادثة.\n",
    );
    d.given = GivenMeta {
        published: Some("2021-06-28".into()),
        outlet: Some("إذاعة المدينة (example.org; note)".into()),
        title: Some("العنوان  المعطى للخبر".into()),
        byline: Some("هيئة التحرير".into()),
        url: Some("https://example.org/x".into()),
    };
    let a = analyse(&d);
    assert_eq!(a.record.outlet.as_deref(), Some("إذاعة المدينة"));
    assert_eq!(a.record.title.as_deref(), Some("العنوان المعطى للخبر"));
    assert!(a.title.is_some());
    assert_eq!(a.record.byline.as_deref(), Some("هيئة التحرير"));
    assert_eq!(a.record.url.as_deref(), Some("https://example.org/x"));
    assert_eq!(bp(&a), ["إذاعة المدينة"]);
    let p = a.record.published.unwrap();
    assert_eq!(
        (p.date.as_str(), p.precision),
        ("2021-06-28", DatePrecision::Day)
    );
    assert_eq!(a.anchor.unwrap().date, Date::new(2021, 6, 28).unwrap());
}

#[test]
fn given_outlet_suppresses_guessing() {
    // With an outlet given, a one-word line under the headline is not taken for another outlet.
    let mut d =
        doc("عنوان قصير عن السوق\nالحسكة\nنص الخبر الطويل عن افتتاح السوق الجديد في المدينة.\n");
    d.given.outlet = Some("راديو الشرق".into());
    let a = analyse(&d);
    assert_eq!(a.record.outlet.as_deref(), Some("راديو الشرق"));
    assert!(a.record.boilerplate.is_empty());
}

#[test]
fn crlf_offsets() {
    let text =
        "  عنوان بمسافات قبله  \r\n\r\nنص الخبر في سطر يطول قليلا حتى يكون نثرا.\r\nطباعة\r\n";
    let a = analyse(&doc(text));
    let (s, e) = a.title.unwrap();
    assert_eq!(&text[s..e], "عنوان بمسافات قبله");
    let (s, e) = a.boilerplate[0];
    assert_eq!(&text[s..e], "طباعة");
}

#[test]
fn odd_inputs_do_not_panic() {
    for t in [
        "",
        "\n\n",
        "\r",
        "-",
        "( ) -",
        "(x",
        "ـــ\n–\n",
        "a\u{200f}\n\u{feff}",
        "تحرير",
        "كتب:",
        "خاص -",
        "- خاص",
        "1/2/3",
    ] {
        let a = analyse(&doc(t));
        for (s, e) in a.boilerplate {
            assert!(t.is_char_boundary(s) && t.is_char_boundary(e) && s <= e);
        }
    }
}

#[test]
fn given_dates() {
    assert_eq!(given_date("2020").unwrap().0.precision, DatePrecision::Year);
    assert_eq!(given_date("2020-05").unwrap().0.date, "2020-05");
    assert_eq!(
        given_date("2020-05-26T07:37:00Z").unwrap().0.date,
        "2020-05-26"
    );
    assert!(given_date("2020-13-01").is_none());
    assert!(given_date("soon").is_none());
}

#[test]
fn word_runs_are_matched_on_word_boundaries_only() {
    assert!(contains_words("وكالة الانباء المحلية", "الانباء"));
    assert!(!contains_words("وكالة الانباء المحلية", "انباء"));
    // An earlier occurrence inside a word does not hide a later one on boundaries.
    assert!(contains_words("بكر بكر ب", "بكر ب"));
    assert!(starts_with_words("تحرير سامي العلي", "تحرير"));
    assert!(!starts_with_words("تحريرات سامي", "تحرير"));
    assert!(!starts_with_words("تحرير", "تحرير"));
    assert!(ends_with_words("حلب نيوز", "نيوز"));
    assert!(!ends_with_words("حلبنيوز", "نيوز"));
}

#[test]
fn a_line_key_folds_and_keeps_only_letters_and_digits() {
    assert_eq!(
        key("  «مقتلُ» ثلاثة – في  إدلب! ٢٠٢٤ "),
        "مقتل ثلاثه في ادلب 2024"
    );
    assert_eq!(key("—"), "");
}

#[test]
fn line_keys_read_off_the_normalised_text_equal_keys_of_the_lines() {
    let text = "\u{FEFF}  «مقتلُ» ثلاثة – في  إدلب! ٢٠٢٤ \r\n\n\u{200F}نُشر في: الأحد ـ 3/5\u{00A0}\r\n\tكتب: فلان الفلاني\u{2066}\nok BBC ﻻ\n—\n";
    let norm = marsad_text::normalize(text);
    let lines = split_lines(text, &norm);
    assert_eq!(lines.len(), text.split('\n').count());
    for l in &lines {
        assert_eq!(l.key, key(l.text), "{:?}", l.text);
        assert_eq!(key_of_normalised(&marsad_text::normalize(l.text).text), key(l.text));
    }
    assert_eq!(lines[0].key, "مقتل ثلاثه في ادلب 2024");
}

#[test]
fn mostly_arabic_counts_letters_as_decoding_every_character_does() {
    fn by_chars(text: &str) -> bool {
        let (mut ar, mut all) = (0usize, 0usize);
        for c in text.chars().filter(|c| marsad_text::is_alpha(*c)) {
            all += 1;
            ar += is_arabic(c) as usize;
        }
        all > 0 && ar * 2 > all
    }
    let mut texts: Vec<String> = vec![
        String::new(),
        "قتل 3 عناصر in Idlib today".into(),
        "Breaking news: قتل".into(),
        "ﻻ ﻻ abc ٣٤ ۝ ـ ً".into(),
        "Éé ÀÀ قت".into(),
    ];
    // Each character of the first two blocks of Arabic and around, among Latin letters.
    for cp in 0x0550..0x0900u32 {
        if let Some(c) = char::from_u32(cp) {
            texts.push(format!("{c}a"));
            texts.push(format!("{c}{c}a"));
        }
    }
    for t in &texts {
        assert_eq!(is_mostly_arabic(t), by_chars(t), "{t:?}");
    }
}

#[test]
fn phrase_lines_agree_with_trying_each_phrase_of_the_file() {
    let phrases: Vec<(String, String)> = rows(include_str!("../../data/furniture.tsv"))
        .filter_map(|row| match row[..] {
            [_, how, phrase] => Some((how.to_string(), key(phrase))),
            _ => None,
        })
        .collect();
    let by_each = |k: &str, words: usize| {
        !k.is_empty()
            && phrases.iter().any(|(how, p)| match how.as_str() {
                "line" => k == p,
                "prefix" => words <= 25 && (k == p || starts_with_words(k, p)),
                "contains" => words <= 30 && k.contains(p.as_str()),
                _ => false,
            })
    };
    let filler = |n: usize| vec!["كلمه"; n].join(" ");
    let mut keys: Vec<String> = vec![String::new(), "خبر عاجل من المدينه".into()];
    for (_, p) in &phrases {
        keys.push(p.clone());
        keys.push(format!("{p} {}", filler(3)));
        keys.push(format!("{} {p} {}", filler(2), filler(2)));
        keys.push(format!("{} {p}", filler(40)));
        keys.push(format!("ب{p}"));
        let mut chars = p.chars();
        chars.next_back();
        keys.push(chars.as_str().to_string());
    }
    for k in &keys {
        let words = word_count(k);
        assert_eq!(phrase_line(k, words), by_each(k, words), "{k}");
    }
}
