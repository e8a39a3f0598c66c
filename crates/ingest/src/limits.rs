//! Size and time limits per document, so that one odd input (a 10 MB file on one line, a page
//! of a hundred thousand nested tags) costs an error line, never the run.

use std::time::Duration;

/// Limits applied to every document a reader builds. The defaults are far above any news
/// article and far below what would stall a batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Bytes of a file that holds one document (`.txt`, `.html`), and of one WARC record or
    /// one HTTP response body.
    pub max_document_bytes: u64,
    /// Bytes of a file that holds many documents (`.jsonl`, a feed).
    pub max_container_bytes: u64,
    /// Bytes of a document's text, as read or as extracted from HTML. A long article is some
    /// 50 KB of text; a 2 MB "article" is a dump, a log or a mistake.
    pub max_text_bytes: usize,
    /// Longest line of a document's text, in bytes. Prose comes in paragraphs; a single line
    /// of hundreds of kilobytes is a data file or minified code, and the sentence-level
    /// analysis downstream is not meant for it.
    pub max_line_bytes: usize,
    /// Tags in one HTML page (counted before parsing). Heavy news pages have 5–20 thousand.
    pub max_html_tags: usize,
    /// How deep the tags of one HTML page nest (estimated before parsing). News pages nest
    /// some 20–60 deep; the HTML parser's work grows with depth × tags, so a page of a hundred
    /// thousand unclosed `<div>`s would take minutes.
    pub max_html_depth: usize,
    /// The sum, over a page's start tags, of the depth each opens at (estimated before
    /// parsing): the parser's work. A heavy news page sums to about a million; ten million
    /// takes the parser some seconds.
    pub max_html_nesting_work: u64,
    /// Wall-clock time for extracting the text of one HTML page.
    pub html_time: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_document_bytes: 8 << 20,
            max_container_bytes: 512 << 20,
            max_text_bytes: 2 << 20,
            max_line_bytes: 256 << 10,
            max_html_tags: 150_000,
            max_html_depth: 1_000,
            max_html_nesting_work: 8_000_000,
            html_time: Duration::from_secs(10),
        }
    }
}

/// "10.0 MB", "512 KB", "37 bytes": sizes in error lines.
pub fn human_bytes(n: u64) -> String {
    if n >= 1 << 20 {
        format!("{:.1} MB", n as f64 / (1u64 << 20) as f64)
    } else if n >= 10 << 10 {
        format!("{} KB", n >> 10)
    } else if n >= 1 << 10 {
        format!("{:.1} KB", n as f64 / 1024.0)
    } else {
        format!("{n} bytes")
    }
}

impl Limits {
    /// Checks a document's text against the text and line limits; the reason when it fails.
    pub fn check_text(&self, text: &str) -> Result<(), String> {
        if text.len() > self.max_text_bytes {
            return Err(format!(
                "text too large: {} (the limit for one document is {})",
                human_bytes(text.len() as u64),
                human_bytes(self.max_text_bytes as u64)
            ));
        }
        let longest = text.split('\n').map(str::len).max().unwrap_or(0);
        if longest > self.max_line_bytes {
            return Err(format!(
                "a single line of {}: not article text (the limit for one line is {})",
                human_bytes(longest as u64),
                human_bytes(self.max_line_bytes as u64)
            ));
        }
        Ok(())
    }

    /// Checks the size of a one-document file or record before it is read.
    pub fn check_document_size(&self, bytes: u64) -> Result<(), String> {
        if bytes > self.max_document_bytes {
            return Err(format!(
                "too large: {} (the limit for one document is {})",
                human_bytes(bytes),
                human_bytes(self.max_document_bytes)
            ));
        }
        Ok(())
    }

    /// Checks the size of a many-document file before it is read.
    pub fn check_container_size(&self, bytes: u64) -> Result<(), String> {
        if bytes > self.max_container_bytes {
            return Err(format!(
                "too large: {} (the limit for a file of documents is {})",
                human_bytes(bytes),
                human_bytes(self.max_container_bytes)
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_and_line_limits() {
        let l = Limits { max_text_bytes: 100, max_line_bytes: 10, ..Limits::default() };
        assert!(l.check_text("سطر\nسطر").is_ok());
        let e = l.check_text(&"ا".repeat(60)).unwrap_err();
        assert!(e.starts_with("text too large: 120 bytes"), "{e}");
        let e = l.check_text("short\nthis line is long\n").unwrap_err();
        assert!(e.contains("single line of 17 bytes"), "{e}");
        assert_eq!(human_bytes(10 << 20), "10.0 MB");
        assert_eq!(human_bytes(3000), "2.9 KB");
        assert_eq!(human_bytes(300 << 10), "300 KB");
        assert!(Limits::default().check_document_size(10 << 20).is_err());
        assert!(Limits::default().check_document_size(300 << 10).is_ok());
    }
}
