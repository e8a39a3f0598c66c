/// Converts byte offsets of a text into character offsets (Unicode scalar values), the unit of
/// the export format. Built once per document; each lookup is a binary search.
#[derive(Debug, Clone)]
pub struct CharIndex {
    /// Byte offset of every character boundary that starts a non-ASCII run, with the character
    /// count at that point; ASCII stretches are interpolated.
    marks: Vec<(u32, u32)>,
    len_bytes: usize,
    len_chars: usize,
}

impl CharIndex {
    pub fn new(text: &str) -> Self {
        let mut marks = Vec::new();
        let mut chars = 0u32;
        let mut prev_ascii = false;
        for (b, c) in text.char_indices() {
            let ascii = c.is_ascii();
            // Record a mark wherever the byte/char ratio changes, so lookups can interpolate
            // inside runs of ASCII (one byte per char) and step through non-ASCII characters.
            if !ascii || !prev_ascii {
                marks.push((b as u32, chars));
            }
            prev_ascii = ascii;
            chars += 1;
        }
        CharIndex { marks, len_bytes: text.len(), len_chars: chars as usize }
    }

    /// Character offset of a byte offset. A byte offset inside a multi-byte character maps to
    /// that character's start.
    pub fn char_of(&self, byte: usize) -> usize {
        if byte >= self.len_bytes {
            return self.len_chars;
        }
        let i = match self.marks.binary_search_by_key(&(byte as u32), |m| m.0) {
            Ok(i) => return self.marks[i].1 as usize,
            Err(0) => return 0,
            Err(i) => i - 1,
        };
        let (mb, mc) = self.marks[i];
        let next_b = self.marks.get(i + 1).map(|m| m.0 as usize).unwrap_or(self.len_bytes);
        let next_c = self.marks.get(i + 1).map(|m| m.1 as usize).unwrap_or(self.len_chars);
        let run_chars = next_c - mc as usize;
        let run_bytes = next_b - mb as usize;
        if run_chars == run_bytes {
            mc as usize + (byte - mb as usize)
        } else {
            // Inside one multi-byte character.
            mc as usize
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_naive_count() {
        for text in ["", "abc", "قتل 7 عناصر في دير الزور", "a«ب»c 12,000 ١٢٬٠٠٠ x", "😀a😀bc"] {
            let idx = CharIndex::new(text);
            for (b, _) in text.char_indices().chain(std::iter::once((text.len(), ' '))) {
                assert_eq!(idx.char_of(b), text[..b].chars().count(), "{text:?} at {b}");
            }
        }
    }
}
