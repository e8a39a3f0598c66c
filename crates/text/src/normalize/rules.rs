//! The character normalisers, applied in the order of [`PIPELINE`]. Each is a unit struct whose
//! doc comment states its rule. Adding a rule means adding a struct and listing it.

/// What one character becomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mapped {
    Keep,
    Drop,
    To(char),
}

/// A one-character normaliser.
pub trait CharRule: Sync {
    fn name(&self) -> &'static str;
    fn map(&self, c: char) -> Mapped;
}

/// The normalisers, in order.
pub static PIPELINE: &[&dyn CharRule] = &[
    &Invisible,
    &Diacritics,
    &Spaces,
    &Hamza,
    &AlefMaqsura,
    &TaMarbuta,
    &PersianLetters,
    &Digits,
    &Punctuation,
    &Quotes,
    &AsciiLower,
];

/// Zero-width characters, bidi controls, the BOM and soft hyphen carry no letters: dropped.
pub struct Invisible;
impl CharRule for Invisible {
    fn name(&self) -> &'static str {
        "invisible"
    }
    fn map(&self, c: char) -> Mapped {
        match c {
            '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{2069}' | '\u{FEFF}' | '\u{00AD}' | '\u{061C}' => Mapped::Drop,
            _ => Mapped::Keep,
        }
    }
}

/// Harakat, tanwin, shadda, sukun, superscript alef, Quranic marks and tatweel (ـ) are dropped:
/// news text uses them inconsistently ("قُتل" / "قتل").
pub struct Diacritics;
impl CharRule for Diacritics {
    fn name(&self) -> &'static str {
        "diacritics"
    }
    fn map(&self, c: char) -> Mapped {
        match c {
            '\u{0610}'..='\u{061A}' | '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{06D6}'..='\u{06ED}'
            | '\u{0640}' => Mapped::Drop,
            _ => Mapped::Keep,
        }
    }
}

/// No-break, thin and other typographic spaces become a plain space; tabs too. Line breaks stay
/// (they separate sentences and headlines).
pub struct Spaces;
impl CharRule for Spaces {
    fn name(&self) -> &'static str {
        "spaces"
    }
    fn map(&self, c: char) -> Mapped {
        match c {
            '\u{00A0}' | '\u{2000}'..='\u{200A}' | '\u{202F}' | '\u{205F}' | '\u{3000}' | '\t' => {
                Mapped::To(' ')
            }
            '\r' | '\u{2028}' | '\u{2029}' | '\u{0085}' => Mapped::To('\n'),
            _ => Mapped::Keep,
        }
    }
}

/// Alef with hamza above or below, madda and wasla become bare alef (أ إ آ ٱ → ا); hamza on waw
/// and on ya become the bare letter (ؤ → و, ئ → ي). Writers drop hamza freely ("اعدم"/"أعدم").
pub struct Hamza;
impl CharRule for Hamza {
    fn name(&self) -> &'static str {
        "hamza"
    }
    fn map(&self, c: char) -> Mapped {
        match c {
            'أ' | 'إ' | 'آ' | 'ٱ' | '\u{0672}' | '\u{0673}' => Mapped::To('ا'),
            'ؤ' => Mapped::To('و'),
            'ئ' => Mapped::To('ي'),
            _ => Mapped::Keep,
        }
    }
}

/// Alef maqsura becomes ya (ى → ي): final ya is often written dotless and vice versa.
pub struct AlefMaqsura;
impl CharRule for AlefMaqsura {
    fn name(&self) -> &'static str {
        "alef_maqsura"
    }
    fn map(&self, c: char) -> Mapped {
        if c == 'ى' {
            Mapped::To('ي')
        } else {
            Mapped::Keep
        }
    }
}

/// Ta marbuta becomes ha (ة → ه): "الحسكة" and "الحسكه" both occur.
pub struct TaMarbuta;
impl CharRule for TaMarbuta {
    fn name(&self) -> &'static str {
        "ta_marbuta"
    }
    fn map(&self, c: char) -> Mapped {
        if c == 'ة' {
            Mapped::To('ه')
        } else {
            Mapped::Keep
        }
    }
}

/// Persian and Urdu letter forms that appear in Arabic web text become the Arabic ones
/// (ی ې → ي, ک → ك, ۀ → ه, ہ → ه).
pub struct PersianLetters;
impl CharRule for PersianLetters {
    fn name(&self) -> &'static str {
        "persian_letters"
    }
    fn map(&self, c: char) -> Mapped {
        match c {
            'ی' | 'ې' | 'ۍ' => Mapped::To('ي'),
            'ک' => Mapped::To('ك'),
            'ۀ' | 'ہ' | 'ە' => Mapped::To('ه'),
            _ => Mapped::Keep,
        }
    }
}

/// Arabic-Indic (٠–٩) and Persian (۰–۹) digits become ASCII digits.
pub struct Digits;
impl CharRule for Digits {
    fn name(&self) -> &'static str {
        "digits"
    }
    fn map(&self, c: char) -> Mapped {
        match c {
            '\u{0660}'..='\u{0669}' => {
                Mapped::To(char::from(b'0' + (c as u32 - 0x0660) as u8))
            }
            '\u{06F0}'..='\u{06F9}' => {
                Mapped::To(char::from(b'0' + (c as u32 - 0x06F0) as u8))
            }
            _ => Mapped::Keep,
        }
    }
}

/// Arabic punctuation becomes its ASCII counterpart (، → ,  ؛ → ;  ؟ → ?  ٬ → ,  ٫ → .  ٪ → %),
/// and every dash becomes '-', so that one set of rules reads both.
pub struct Punctuation;
impl CharRule for Punctuation {
    fn name(&self) -> &'static str {
        "punctuation"
    }
    fn map(&self, c: char) -> Mapped {
        match c {
            '،' | '٬' => Mapped::To(','),
            '؛' => Mapped::To(';'),
            '؟' => Mapped::To('?'),
            '٫' => Mapped::To('.'),
            '٪' => Mapped::To('%'),
            '\u{2010}'..='\u{2015}' | '\u{2212}' => Mapped::To('-'),
            '\u{2026}' => Mapped::To('.'), // … (one char, keeps offsets 1:1)
            _ => Mapped::Keep,
        }
    }
}

/// Every quotation mark becomes '"': “ ” „ « » ‹ › ‘ ’ ' ″ all occur around names in Arabic news.
pub struct Quotes;
impl CharRule for Quotes {
    fn name(&self) -> &'static str {
        "quotes"
    }
    fn map(&self, c: char) -> Mapped {
        match c {
            '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '«' | '»' | '‹' | '›' | '\u{2018}'
            | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\'' | '\u{2033}' | '\u{2032}' | '`' => {
                Mapped::To('"')
            }
            _ => Mapped::Keep,
        }
    }
}

/// ASCII letters are lower-cased, so page furniture ("Facebook", "FACEBOOK") matches one form.
pub struct AsciiLower;
impl CharRule for AsciiLower {
    fn name(&self) -> &'static str {
        "ascii_lower"
    }
    fn map(&self, c: char) -> Mapped {
        if c.is_ascii_uppercase() {
            Mapped::To(c.to_ascii_lowercase())
        } else {
            Mapped::Keep
        }
    }
}
