//! Data-driven table for the number parser. Each case is written in ordinary spelling (hamza,
//! ta marbuta, Arabic-Indic digits, tatweel), goes through `normalize`, and every match is
//! mapped back to the original so that expectations read as the writer wrote them.

use marsad_text::normalize;
use marsad_text::numbers::{find_numbers, NumberForm, NumberForm::*, Quantity};

/// (matched original text, exact value or None for `Quantity::Some`, form)
type Expect = (&'static str, Option<u64>, NumberForm);

fn run(src: &str) -> Vec<(String, Option<u64>, NumberForm)> {
    let n = normalize(src);
    find_numbers(&n.text)
        .into_iter()
        .map(|m| {
            let (s, e) = n.orig_range(m.start, m.end, src);
            let v = match m.value {
                Quantity::Exact(v) => Some(v),
                Quantity::Some => None,
            };
            (src[s..e].to_string(), v, m.form)
        })
        .collect()
}

const CASES: &[(&str, &[Expect])] = &[
    // --- digits
    ("قُتل 3 عناصر في الهجوم", &[("3", Some(3), Digits)]),
    ("نزح 12,000 شخص من البلدة", &[("12,000", Some(12_000), Digits)]),
    ("نزح ١٢٬٠٠٠ شخص من البلدة", &[("١٢٬٠٠٠", Some(12_000), Digits)]),
    ("أصيب ٤٥ مدنياً بجروح", &[("٤٥", Some(45), Digits)]),
    ("سجلت ۷ حالات جديدة", &[("۷", Some(7), Digits)]),
    ("الحصيلة 1,234,567 دولارا", &[("1,234,567", Some(1_234_567), Digits)]),
    ("ارتفعت النسبة إلى 2.5 بالمئة", &[]),
    ("بلغ العدد 2.0 تقريبا", &[("2.0", Some(2), Digits)]),
    ("قتل 3، 4 جرحى", &[("3", Some(3), Digits), ("4", Some(4), Digits)]),
    ("وقع الحادث في 1.4.2020 صباحا", &[("1", Some(1), Digits), ("4", Some(4), Digits), ("2020", Some(2020), Digits)]),
    ("في 26/5/2020 وقع الانفجار", &[("26", Some(26), Digits), ("5", Some(5), Digits), ("2020", Some(2020), Digits)]),
    ("نقلا عن موقع SY24 الإخباري", &[]),
    ("رقم طويل 123456789012345678901234 لا يقرأ", &[]),
    // --- clitics before digits (tatweel dropped by the normaliser)
    ("بالإضافة لـ67 من المسلحين", &[("67", Some(67), Digits)]),
    ("خلال الـ24 ساعة الماضية", &[("24", Some(24), Digits)]),
    ("قصفوا الحي بـ4 صواريخ", &[("4", Some(4), Digits)]),
    ("قتل اثنان و4 آخرون", &[("اثنان", Some(2), Words), ("4", Some(4), Digits)]),
    // --- units, both genders and cases
    ("قتل واحد من الحراس", &[("واحد", Some(1), Words)]),
    ("أصيبت امرأة واحدة", &[("واحدة", Some(1), Words)]),
    ("جرح اثنان من المارة", &[("اثنان", Some(2), Words)]),
    ("اعتقلت الدورية اثنين منهم", &[("اثنين", Some(2), Words)]),
    ("نجت اثنتان من الفتيات", &[("اثنتان", Some(2), Words)]),
    ("خطفوا ثلاث نساء", &[("ثلاث", Some(3), Words)]),
    ("مقتل ثلاثة عناصر", &[("ثلاثة", Some(3), Words)]),
    ("أربعة انفجارات هزت المدينة", &[("أربعة", Some(4), Words)]),
    ("خمس غارات متتالية", &[("خمس", Some(5), Words)]),
    ("استمرت المعارك ستة أشهر", &[("ستة", Some(6), Words)]),
    ("سقطت ست قذائف", &[("ست", Some(6), Words)]),
    ("عائلة من سبعة أشخاص", &[("سبعة", Some(7), Words)]),
    ("دمرت ثماني سيارات", &[("ثماني", Some(8), Words)]),
    ("اعتقل ثمانية شبان", &[("ثمانية", Some(8), Words)]),
    ("تسع عمليات خلال الشهر", &[("تسع", Some(9), Words)]),
    ("عشرة أيام من الحصار", &[("عشرة", Some(10), Words)]),
    ("من عشر عمليات إنزال", &[("عشر", Some(10), Words)]),
    // --- teens
    ("قتل أحد عشر شخصا", &[("أحد عشر", Some(11), Words)]),
    ("احترقت إحدى عشرة خيمة", &[("إحدى عشرة", Some(11), Words)]),
    ("جرح اثنا عشر مدنيا", &[("اثنا عشر", Some(12), Words)]),
    ("اعتقل اثني عشر شابا", &[("اثني عشر", Some(12), Words)]),
    ("قتل خمسة عشر عنصرا", &[("خمسة عشر", Some(15), Words)]),
    ("أطلقت ثلاث عشرة قذيفة", &[("ثلاث عشرة", Some(13), Words)]),
    ("فر ثمانية عشر سجينا", &[("ثمانية عشر", Some(18), Words)]),
    // --- tens and unit-tens compounds
    ("مقتل عشرين مدنيا", &[("عشرين", Some(20), Words)]),
    ("نجا ثلاثون شخصا", &[("ثلاثون", Some(30), Words)]),
    ("أكثر من تسعين عائلة", &[("تسعين", Some(90), Words)]),
    ("فقد خمسة وعشرون شخصا", &[("خمسة وعشرون", Some(25), Words)]),
    ("اعتقل اثنين وثلاثين مطلوبا", &[("اثنين وثلاثين", Some(32), Words)]),
    ("قتل واحد و عشرون عنصرا", &[("واحد و عشرون", Some(21), Words)]),
    // --- hundreds
    ("أفرج عن مئة معتقل", &[("مئة", Some(100), Words)]),
    ("أفرج عن مائة معتقل", &[("مائة", Some(100), Words)]),
    ("نحو مئتي عائلة ومئتين آخرين", &[("مئتين", Some(200), Words)]),
    ("وصل مائتان من المقاتلين", &[("مائتان", Some(200), Words)]),
    ("ثلاثمئة عنصر", &[("ثلاثمئة", Some(300), Words)]),
    ("ثلاثمائة عنصر", &[("ثلاثمائة", Some(300), Words)]),
    ("خمس مئة قذيفة", &[("خمس مئة", Some(500), Words)]),
    ("مئة وخمسون مقاتلا", &[("مئة وخمسون", Some(150), Words)]),
    ("مئة وخمسة وعشرون", &[("مئة وخمسة وعشرون", Some(125), Words)]),
    ("ثمانمئة واثنا عشر", &[("ثمانمئة واثنا عشر", Some(812), Words)]),
    // --- thousands, millions
    ("ألف نازح", &[("ألف", Some(1_000), Words)]),
    ("ألفا لاجئ", &[("ألفا", Some(1_000), Words)]),
    ("نزح ألفان من السكان", &[("ألفان", Some(2_000), Words)]),
    ("ستة آلاف لاجئ", &[("ستة آلاف", Some(6_000), Words)]),
    ("ثلاثة آلاف وخمسمئة", &[("ثلاثة آلاف وخمسمئة", Some(3_500), Words)]),
    ("أحد عشر ألفا", &[("أحد عشر ألفا", Some(11_000), Words)]),
    ("خمسة وعشرين ألف نازح", &[("خمسة وعشرين ألف", Some(25_000), Words)]),
    ("مئة ألف", &[("مئة ألف", Some(100_000), Words)]),
    ("ألفين وخمسمئة", &[("ألفين وخمسمئة", Some(2_500), Words)]),
    ("مليون وخمسمئة ألف نسمة", &[("مليون وخمسمئة ألف", Some(1_500_000), Words)]),
    ("ثلاثة ملايين شخص", &[("ثلاثة ملايين", Some(3_000_000), Words)]),
    ("مليونين", &[("مليونين", Some(2_000_000), Words)]),
    // --- digit-word mixes
    ("يضم 72 ألف شخص", &[("72 ألف", Some(72_000), Mixed)]),
    ("بينهم 12 ألفاً من الأطفال", &[("12 ألفاً", Some(12_000), Mixed)]),
    ("ضمنهم 8 آلاف و256 عائلة", &[("8 آلاف و256", Some(8_256), Mixed)]),
    ("بأفراد 30 ألف و738 شخص", &[("30 ألف و738", Some(30_738), Mixed)]),
    ("كلفت 1.5 مليون دولار", &[("1.5 مليون", Some(1_500_000), Mixed)]),
    ("نحو ٣ ملايين نازح", &[("٣ ملايين", Some(3_000_000), Mixed)]),
    ("12ألف", &[("12ألف", Some(12_000), Mixed)]),
    // --- joins that must NOT happen
    ("بين 3 و4 أشخاص", &[("3", Some(3), Digits), ("4", Some(4), Digits)]),
    ("ثلاثة وأربعة", &[("ثلاثة", Some(3), Words), ("أربعة", Some(4), Words)]),
    ("عشرين وخمسة", &[("عشرين", Some(20), Words), ("خمسة", Some(5), Words)]),
    ("قتل خمسة وجرح ثلاثة", &[("خمسة", Some(5), Words), ("ثلاثة", Some(3), Words)]),
    ("300 و4", &[("300", Some(300), Digits), ("4", Some(4), Digits)]),
    // --- clitics before number words
    ("قتل ثلاثة وسبعة آخرون", &[("ثلاثة", Some(3), Words), ("سبعة", Some(7), Words)]),
    ("مقتل ثلاثة مدنيين واعتقال سبعة", &[("ثلاثة", Some(3), Words), ("سبعة", Some(7), Words)]),
    ("بخمسة صواريخ", &[("خمسة", Some(5), Words)]),
    ("لعشرة أيام", &[("عشرة", Some(10), Words)]),
];

#[test]
fn number_table() {
    let mut failures = Vec::new();
    for (src, want) in CASES {
        let got = run(src);
        let want: Vec<(String, Option<u64>, NumberForm)> =
            want.iter().map(|(t, v, f)| (t.to_string(), *v, *f)).collect();
        if got != want {
            failures.push(format!("{src}: got {got:?}, want {want:?}"));
        }
    }
    assert!(failures.is_empty(), "{} of {} cases failed:\n{}", failures.len(), CASES.len(), failures.join("\n"));
}

#[test]
fn at_least_sixty_cases() {
    assert!(CASES.len() >= 60, "{} cases", CASES.len());
}
