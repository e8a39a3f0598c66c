//! Document metadata: title, outlet, byline, boilerplate. OWNER: ingest helper. Contract fixed.
use marsad_model::{DocRecord, Document};
use marsad_text::dates::Anchor;

/// What the analysis of a document's text found.
#[derive(Debug, Clone)]
pub struct DocAnalysis {
    /// The `doc` record of the export.
    pub record: DocRecord,
    /// Byte ranges (in `Document::text`) of lines judged page furniture, including the byline and
    /// dateline lines. Extraction skips them.
    pub boilerplate: Vec<(usize, usize)>,
    /// Byte range of the headline line, when one was found (extraction reads it: headlines often
    /// carry the event).
    pub title: Option<(usize, usize)>,
    /// The publication date as an anchor for relative dates, when known.
    pub anchor: Option<Anchor>,
}

/// Analyses a document's text and given metadata.
pub fn analyse(doc: &Document) -> DocAnalysis {
    let title_line = doc.text.lines().find(|l| !l.trim().is_empty());
    let title = title_line.map(|l| {
        let start = l.as_ptr() as usize - doc.text.as_ptr() as usize;
        (start, start + l.len())
    });
    DocAnalysis {
        record: DocRecord {
            kind: "doc".into(),
            doc: doc.id.clone(),
            title: doc.given.title.clone().or(title_line.map(|l| l.trim().to_string())),
            outlet: doc.given.outlet.clone(),
            byline: doc.given.byline.clone(),
            url: doc.given.url.clone(),
            published: None,
            boilerplate: Vec::new(),
            language: "ar".into(),
            encoding: doc.encoding.clone(),
            text: None,
        },
        boilerplate: Vec::new(),
        title,
        anchor: None,
    }
}
