//! The legal checks (`protokoll check`): findings about anslag, dates and paragraphs.

use crate::diagnostics::Diagnostic;
use crate::model::Archive;

/// Every finding for the archive, sorted by file and line.
pub fn check_archive(_archive: &Archive) -> Vec<Diagnostic> {
    Vec::new()
}
