//! Encoding detection and decoding. OWNER: ingest helper.
