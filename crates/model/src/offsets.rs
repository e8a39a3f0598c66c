/// Converts byte offsets of a text into character offsets (Unicode scalar values), the unit of
/// the export format. Built once per document in one pass over the bytes; each lookup counts
/// the character starts of at most one block.
#[derive(Debug, Clone)]
pub struct CharIndex {
    /// `starts_before[k]`: characters that start before byte `k * BLOCK`.
    starts_before: Vec<u32>,
    /// Per byte, whether it starts a character (is not a UTF-8 continuation byte).
    is_start: Vec<bool>,
    len_chars: usize,
}

/// Bytes per block of [`CharIndex`]: a lookup scans at most this many flags.
const BLOCK: usize = 64;

impl CharIndex {
    pub fn new(text: &str) -> Self {
        let is_start: Vec<bool> = text.bytes().map(|b| (b & 0xC0) != 0x80).collect();
        let mut starts_before = Vec::with_capacity(is_start.len() / BLOCK + 2);
        let mut n = 0u32;
        for block in is_start.chunks(BLOCK) {
            starts_before.push(n);
            n += block.iter().filter(|&&s| s).count() as u32;
        }
        starts_before.push(n);
        CharIndex { starts_before, is_start, len_chars: n as usize }
    }

    /// Character offset of a byte offset. A byte offset inside a multi-byte character maps to
    /// that character's start.
    pub fn char_of(&self, byte: usize) -> usize {
        if byte >= self.is_start.len() {
            return self.len_chars;
        }
        let k = byte / BLOCK;
        let before = self.is_start[k * BLOCK..byte].iter().filter(|&&s| s).count();
        let n = self.starts_before[k] as usize + before;
        // Inside a character: the character whose start was just counted.
        if self.is_start[byte] {
            n
        } else {
            n.saturating_sub(1)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_naive_count() {
        let long = "قتل 7 عناصر في دير الزور، a«ب»c 12,000 ١٢٬٠٠٠ x 😀 ".repeat(9);
        for text in ["", "abc", "قتل 7 عناصر في دير الزور", "a«ب»c 12,000 ١٢٬٠٠٠ x", "😀a😀bc", long.as_str()] {
            let idx = CharIndex::new(text);
            for (b, _) in text.char_indices().chain(std::iter::once((text.len(), ' '))) {
                assert_eq!(idx.char_of(b), text[..b].chars().count(), "{text:?} at {b}");
            }
        }
    }

    #[test]
    fn a_byte_inside_a_character_maps_to_its_start() {
        let text = "ab😀قc".repeat(20);
        let idx = CharIndex::new(&text);
        for b in 0..=text.len() {
            let start = (0..=b).rev().find(|&i| text.is_char_boundary(i)).unwrap();
            assert_eq!(idx.char_of(b), text[..start].chars().count(), "at {b}");
        }
    }
}
