//! The Arabic text layer of marsad. Pure functions, no I/O.
//!
//! Every stage after this one matches against *normalised* text ([`normalize::NormalizedText`])
//! and reports evidence in *original* offsets through the normaliser's offset map, so that the
//! export can point at the exact words of the article.

pub mod dates;
pub mod normalize;
pub mod numbers;
pub mod sentences;
pub mod tokens;

pub use normalize::{normalize, NormalizedText};

/// `char::is_alphanumeric` with fast paths for ASCII and the Arabic block, the characters this
/// project's text is made of (the standard library's lookup for non-ASCII characters is a binary
/// search through Unicode tables and dominated profiles of whole-article extraction).
#[inline]
pub fn is_alnum(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    let u = c as u32;
    if (0x0600..=0x06FF).contains(&u) {
        return ARABIC_ALNUM[(u - 0x0600) as usize];
    }
    c.is_alphanumeric()
}

/// `char::is_alphanumeric` for U+0600..U+06FF, computed once.
static ARABIC_ALNUM: std::sync::LazyLock<[bool; 256]> = std::sync::LazyLock::new(|| {
    let mut t = [false; 256];
    for (i, slot) in t.iter_mut().enumerate() {
        *slot = char::from_u32(0x0600 + i as u32).is_some_and(char::is_alphanumeric);
    }
    t
});

/// `char::is_alphabetic` with the same fast paths as [`is_alnum`].
#[inline]
pub fn is_alpha(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphabetic();
    }
    let u = c as u32;
    if (0x0600..=0x06FF).contains(&u) {
        return ARABIC_ALPHA[(u - 0x0600) as usize];
    }
    c.is_alphabetic()
}

static ARABIC_ALPHA: std::sync::LazyLock<[bool; 256]> = std::sync::LazyLock::new(|| {
    let mut t = [false; 256];
    for (i, slot) in t.iter_mut().enumerate() {
        *slot = char::from_u32(0x0600 + i as u32).is_some_and(char::is_alphabetic);
    }
    t
});

#[cfg(test)]
mod alnum_tests {
    #[test]
    fn alpha_same_as_std() {
        for u in 0..0x3000u32 {
            if let Some(c) = char::from_u32(u) {
                assert_eq!(super::is_alpha(c), c.is_alphabetic(), "U+{u:04X}");
            }
        }
    }

    #[test]
    fn same_as_std_on_the_arabic_block_and_around() {
        for u in 0..0x3000u32 {
            if let Some(c) = char::from_u32(u) {
                assert_eq!(super::is_alnum(c), c.is_alphanumeric(), "U+{u:04X}");
            }
        }
    }
}
