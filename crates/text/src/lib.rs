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
        return in_block(&ARABIC_ALNUM, u - 0x0600);
    }
    c.is_alphanumeric()
}

/// Bit `i` of a 256-bit set.
#[inline]
fn in_block(bits: &[u64; 4], i: u32) -> bool {
    bits[(i / 64) as usize] & (1 << (i % 64)) != 0
}

/// `char::is_alphanumeric` for U+0600..U+06FF, bit `cp - 0x600`: a constant, so that the
/// lookup needs no first-use check (the tests compare it with the standard library).
const ARABIC_ALNUM: [u64; 4] = [0xFFFFFFFF07FF0000, 0xFFFFC3FFFEFFFFFF, 0xFFFFFFFFFFFFFFFF, 0x9FFFE1FE1FEFFFFF];

/// `char::is_alphabetic` with the same fast paths as [`is_alnum`].
#[inline]
pub fn is_alpha(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphabetic();
    }
    let u = c as u32;
    if (0x0600..=0x06FF).contains(&u) {
        return in_block(&ARABIC_ALPHA, u - 0x0600);
    }
    c.is_alphabetic()
}

/// `char::is_alphabetic` for U+0600..U+06FF, as [`ARABIC_ALNUM`].
const ARABIC_ALPHA: [u64; 4] = [0xFFFFFFFF07FF0000, 0xFFFFC000FEFFFFFF, 0xFFFFFFFFFFFFFFFF, 0x9C00E1FE1FEFFFFF];

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
