//! Tokens with byte offsets into normalised text, and clitic analyses (non-destructive).
//! OWNER: text helper. Contract below is fixed; implementation may change.

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// A run of letters (Arabic or Latin).
    Word,
    /// A run of digits, possibly with thousands separators or a decimal point ("12,000", "2.5").
    Number,
    /// One punctuation character.
    Punct,
    /// One or more line breaks.
    Newline,
}

/// A token: byte offsets into the normalised text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    pub start: u32,
    pub end: u32,
    pub kind: TokenKind,
}

impl Token {
    pub fn text<'a>(&self, norm: &'a str) -> &'a str {
        &norm[self.start as usize..self.end as usize]
    }
}

/// Splits normalised text into tokens (spaces are not tokens).
pub fn tokenize(norm: &str) -> Vec<Token> {
    let _ = norm;
    Vec::new()
}

/// The clitic analyses of a normalised word, as (prefix length in bytes, stem): always the whole
/// word first, then every split off of the proclitics و ف ب ل ك ال لل and their combinations
/// (وال، بال، فال، كال، ولل، فلل، وب، ول، فب …) that leaves a stem of at least two letters.
pub fn clitic_splits(word: &str) -> Vec<(usize, &str)> {
    vec![(0, word)]
}
