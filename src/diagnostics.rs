//! Diagnostics: every problem found in a build, with file, line and column, reported together.
//!
//! Inside the crate a problem is a plain [`Diagnostic`]; at the edge (the CLI) they are rendered
//! with miette so the webmaster sees the offending line of the source.

use crate::model::Pos;
use serde::Serialize;
use std::fmt;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// fel: the content is wrong or the law is broken.
    Fel,
    /// varning: probably wrong; the archive is still built.
    Varning,
    /// notis: worth checking.
    Notis,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Fel => "fel",
            Severity::Varning => "varning",
            Severity::Notis => "notis",
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// A stable id, e.g. `yaml`, `okant-forbund`, `anslag-sent`.
    pub code: String,
    pub file: PathBuf,
    pub line: usize,
    pub column: usize,
    pub message: String,
    pub hint: Option<String>,
}

impl Diagnostic {
    pub fn error(code: &str, file: &Path, pos: Pos, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Fel,
            code: code.to_string(),
            file: file.to_path_buf(),
            line: pos.line.max(1),
            column: pos.column.max(1),
            message: message.into(),
            hint: None,
        }
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn with_severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }

    /// `file:line:column`, the form editors and terminals turn into links.
    pub fn location(&self) -> String {
        format!("{}:{}:{}", self.file.display(), self.line, self.column)
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {} [{}] {}",
            self.location(),
            self.severity,
            self.code,
            self.message
        )?;
        if let Some(hint) = &self.hint {
            write!(f, "\n  tips: {hint}")?;
        }
        Ok(())
    }
}

/// Sorts diagnostics by file and position so reports are stable from build to build.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        (&a.file, a.line, a.column, &a.code, &a.message)
            .cmp(&(&b.file, b.line, b.column, &b.code, &b.message))
    });
}

/// Byte offset of a 1-based line and (character) column in `text`.
pub fn byte_offset(text: &str, line: usize, column: usize) -> usize {
    let mut offset = 0;
    for (i, l) in text.split_inclusive('\n').enumerate() {
        if i + 1 == line {
            let col = l
                .char_indices()
                .nth(column.saturating_sub(1))
                .map(|(b, _)| b)
                .unwrap_or(l.trim_end_matches('\n').len());
            return offset + col;
        }
        offset += l.len();
    }
    text.len()
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("{message}")]
struct Report {
    message: String,
    #[source_code]
    code: miette::NamedSource<String>,
    #[label("{label}")]
    span: miette::SourceSpan,
    label: String,
    #[help]
    help: Option<String>,
}

/// Renders diagnostics for a terminal: a headline with `file:line:column`, then the source line.
/// Falls back to the headline alone when the file cannot be read.
pub fn render(diagnostics: &[Diagnostic], color: bool) -> String {
    use miette::{GraphicalReportHandler, GraphicalTheme};
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme).with_context_lines(1);
    let mut out = String::new();
    for d in diagnostics {
        out.push_str(&format!(
            "{}: {} [{}] {}\n",
            d.location(),
            d.severity,
            d.code,
            d.message
        ));
        // The guard's findings are shown without the source line: printing the line would
        // repeat the very personnummer the build refuses to publish, into logs and CI output.
        let quote_source = !crate::privacy::Kind::is_rule_id(&d.code);
        if quote_source && let Ok(text) = std::fs::read_to_string(&d.file) {
            // Lines as the loader counted them.
            let text = crate::load::normalize_newlines(&text).into_owned();
            let offset = byte_offset(&text, d.line, d.column);
            let report = Report {
                message: format!("{} [{}]", d.severity, d.code),
                code: miette::NamedSource::new(d.file.display().to_string(), text),
                span: (offset, 0).into(),
                label: "här".to_string(),
                // miette would head it "help:"; the hint follows in Swedish below.
                help: None,
            };
            let mut rendered = String::new();
            if handler.render_report(&mut rendered, &report).is_ok() {
                out.push_str(&rendered);
            }
            if let Some(hint) = &d.hint {
                out.push_str(&format!("  tips: {hint}\n"));
            }
        } else if let Some(hint) = &d.hint {
            out.push_str(&format!("  tips: {hint}\n"));
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_offset_counts_characters_not_bytes() {
        let text = "a: 1\nförvaring: x\n";
        assert_eq!(byte_offset(text, 2, 1), 5);
        // "förvaring: " is 11 characters but 12 bytes.
        assert_eq!(&text[byte_offset(text, 2, 12)..], "x\n");
    }

    #[test]
    fn rendered_report_names_file_line_and_column() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.md");
        std::fs::write(&file, "---\norgan: x\n---\n").unwrap();
        let d = Diagnostic::error("yaml", &file, Pos { line: 2, column: 3 }, "fel nyckel")
            .with_hint("skriv rätt");
        let out = render(&[d], false);
        assert!(out.contains("a.md:2:3: fel [yaml] fel nyckel"), "{out}");
        assert!(out.contains("skriv rätt"), "{out}");
    }
}
