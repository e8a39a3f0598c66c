//! Publication date inference. OWNER: dates helper.
