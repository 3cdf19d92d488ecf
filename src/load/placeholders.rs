//! Scaffold placeholders left in content: `protokoll new protokoll` writes "(namn)" where a
//! member's name goes and "(text)" where a paragraph's text goes; a draft published with them
//! shows the public an unfinished protocol. Every one is reported at its line and column, as a
//! warning (an error with `strikt = true`, see [`crate::build`]).

use crate::diagnostics::{Diagnostic, Severity};
use crate::model::Pos;
use regex::Regex;
use std::path::Path;
use std::sync::OnceLock;

/// The rule id of the finding; `strikt` turns it into an error.
pub const RULE: &str = "platshallare";

/// The words the scaffold (and the documentation's templates) put in parentheses for the author
/// to replace.
pub const WORDS: &[&str] = &[
    "namn",
    "text",
    "datum",
    "plats",
    "ort",
    "titel",
    "rubrik",
    "beslut",
    "förslag",
    "organisation",
    "roll",
    "paragraf",
    "ledamot",
    "ersättare",
];

fn pattern() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(&format!(
            r"(?i)\((?:{})\)|ÅÅÅÅ-MM-DD|^\s*(?:-\s+)?[\p{{L}}_]+:\s*…\s*$",
            WORDS.join("|")
        ))
        .expect("the placeholder pattern is valid")
    })
}

/// Every placeholder in a content file (front matter and body), skipping YAML comments.
pub fn findings(text: &str, file: &Path) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut in_front_matter = false;
    for (i, line) in text.lines().enumerate() {
        if line.trim_end() == "---" && (i == 0 || in_front_matter) {
            in_front_matter = i == 0;
            continue;
        }
        // A YAML comment (the scaffold's instructions) is not content; a Markdown heading is.
        let scanned = if in_front_matter {
            if line.trim_start().starts_with('#') {
                continue;
            }
            match line.find(" #") {
                Some(at) => &line[..at],
                None => line,
            }
        } else {
            line
        };
        for m in pattern().find_iter(scanned) {
            let found = m.as_str().trim();
            let column = scanned[..m.start()].chars().count()
                + 1
                + (m.as_str().len() - m.as_str().trim_start().len());
            out.push(
                Diagnostic::error(
                    RULE,
                    file,
                    Pos {
                        line: i + 1,
                        column,
                    },
                    format!("platshållaren `{found}` står kvar"),
                )
                .with_severity(Severity::Varning)
                .with_hint("ersätt den med den riktiga uppgiften eller ta bort raden innan protokollet publiceras"),
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<(usize, usize, String)> {
        findings(text, Path::new("p.md"))
            .into_iter()
            .map(|d| (d.line, d.column, d.message))
            .collect()
    }

    #[test]
    fn each_placeholder_is_found_at_its_line_and_column() {
        let text = "---\norgan: Styrelsen\nnarvaro:\n  beslutande:\n    - namn: \"(namn)\"   # fyll i\n---\n\n## § 1 Mötets öppnande\n\n(text)\n\nStyrelsen utser (Namn) att justera.\n";
        assert_eq!(
            found(text),
            vec![
                (5, 14, "platshållaren `(namn)` står kvar".to_string()),
                (10, 1, "platshållaren `(text)` står kvar".to_string()),
                (12, 17, "platshållaren `(Namn)` står kvar".to_string()),
            ]
        );
    }

    #[test]
    fn the_scaffolds_comments_and_ordinary_parentheses_are_not_placeholders() {
        let text = "---\n# justering:\n#   datum: ÅÅÅÅ-MM-DD\n#     namn: …\nplats: Åstorp # (ort)\n---\n\nBudgeten (se bilaga) antas. Ersättare (S) närvarade. Texten (text-TV) visades.\n";
        assert_eq!(found(text), vec![]);
    }

    #[test]
    fn a_date_placeholder_and_an_ellipsis_value_are_found_outside_comments() {
        let text = "---\njustering:\n  datum: ÅÅÅÅ-MM-DD\nunderskrifter:\n  - roll: ordförande\n    namn: …\n---\n";
        let f = found(text);
        assert_eq!(f.len(), 2, "{f:?}");
        assert_eq!((f[0].0, f[1].0), (3, 6));
    }
}
