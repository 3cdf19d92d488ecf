//! The Markdown bodies: a protocol's `## § N Titel` paragraphs with their `::: kind` blocks, and a
//! plan's `## ` sections. Line-based, so every mistake is reported with its line.

use crate::diagnostics::Diagnostic;
use crate::model::{Block, BlockKind, Paragraph, Part, Pos, Section};
use std::collections::{BTreeMap, HashSet};
use std::path::Path;

/// What a protocol body holds.
#[derive(Debug, Default)]
pub struct ProtocolBody {
    pub introduction: Option<String>,
    pub paragraphs: Vec<Paragraph>,
}

/// Tracks fenced code so that `## ` or `:::` inside code is left alone.
#[derive(Default)]
struct Fence {
    marker: Option<String>,
}

impl Fence {
    /// Returns true when the line belongs to (or opens/closes) a code fence.
    fn consume(&mut self, line: &str) -> bool {
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        let opener = |c: char| {
            let n = trimmed.chars().take_while(|&x| x == c).count();
            (n >= 3 && indent <= 3).then(|| c.to_string().repeat(n))
        };
        match &self.marker {
            Some(m) => {
                if trimmed.starts_with(m.as_str())
                    && trimmed.trim_end().chars().all(|c| m.starts_with(c))
                {
                    self.marker = None;
                }
                true
            }
            None => {
                if let Some(m) = opener('`').or_else(|| opener('~')) {
                    self.marker = Some(m);
                    true
                } else {
                    false
                }
            }
        }
    }
}

fn pos(line: usize, column: usize) -> Pos {
    Pos { line, column }
}

fn non_empty(text: &str) -> Option<String> {
    let t = text.trim_matches('\n');
    (!t.trim().is_empty()).then(|| format!("{t}\n"))
}

/// Parses `§ 16 Titel` / `§16 Titel` (the part after `## `). Returns the number and title.
pub fn parse_paragraph_heading(text: &str) -> Option<(u32, String)> {
    let rest = text.trim().strip_prefix('§')?.trim_start();
    let digits: String = rest.chars().take_while(|c| c.is_ascii_digit()).collect();
    if digits.is_empty() {
        return None;
    }
    let number = digits.parse().ok()?;
    let title = rest[digits.len()..].trim();
    let title = title.trim_start_matches(['.', ':']).trim();
    Some((number, title.to_string()))
}

struct OpenBlock {
    kind: BlockKind,
    argument: Option<String>,
    pos: Pos,
    text: String,
}

struct OpenParagraph {
    number: u32,
    title: String,
    pos: Pos,
    parts: Vec<Part>,
}

/// Parses a protocol body whose first line is line `first_line` of `file`.
pub fn parse_protocol_body(
    body: &str,
    first_line: usize,
    file: &Path,
    errors: &mut Vec<Diagnostic>,
) -> ProtocolBody {
    let mut result = ProtocolBody::default();
    let mut intro = String::new();
    let mut text = String::new();
    let mut block: Option<OpenBlock> = None;
    let mut current: Option<OpenParagraph> = None;
    let mut seen: BTreeMap<u32, usize> = BTreeMap::new();
    let mut fence = Fence::default();
    // After a block of unknown kind its text stays in the paragraph and its `:::` closes nothing.
    let mut unknown_open = false;

    let flush_text =
        |text: &mut String, current: &mut Option<OpenParagraph>, intro: &mut String| {
            if let Some(p) = current.as_mut() {
                if let Some(markdown) = non_empty(text) {
                    p.parts.push(Part::Text { markdown });
                }
            } else {
                intro.push_str(text);
            }
            text.clear();
        };
    let close_block = |block: &mut Option<OpenBlock>, current: &mut Option<OpenParagraph>| {
        if let (Some(b), Some(p)) = (block.take(), current.as_mut()) {
            p.parts.push(Part::Block(Block {
                kind: b.kind,
                argument: b.argument,
                markdown: non_empty(&b.text).unwrap_or_default(),
                pos: b.pos,
            }));
        }
    };

    for (i, line) in body.lines().enumerate() {
        let line_no = first_line + i;
        let target = match block.as_mut() {
            Some(b) => &mut b.text,
            None => &mut text,
        };
        if fence.consume(line) {
            target.push_str(line);
            target.push('\n');
            continue;
        }
        let trimmed = line.trim_end();
        if let Some(rest) = trimmed.strip_prefix(":::") {
            let rest = rest.trim();
            if rest.is_empty() {
                if block.is_some() {
                    close_block(&mut block, &mut current);
                } else if unknown_open {
                    unknown_open = false;
                } else {
                    errors.push(
                        Diagnostic::error(
                            "block",
                            file,
                            pos(line_no, 1),
                            "`:::` stänger inget block",
                        )
                        .with_hint("ett block öppnas med t.ex. `::: beslut` och stängs med `:::`"),
                    );
                }
                continue;
            }
            if let Some(b) = &block {
                errors.push(
                    Diagnostic::error(
                        "block",
                        file,
                        pos(line_no, 1),
                        format!("nytt block innan blocket på rad {} har stängts", b.pos.line),
                    )
                    .with_hint("block kan inte ligga i varandra; stäng det förra med en rad `:::`"),
                );
                close_block(&mut block, &mut current);
            }
            let (word, argument) = match rest.split_once(char::is_whitespace) {
                Some((w, a)) => (w, Some(a.trim().to_string()).filter(|a| !a.is_empty())),
                None => (rest, None),
            };
            let Some(kind) = BlockKind::parse(word) else {
                errors.push(
                    Diagnostic::error(
                        "block",
                        file,
                        pos(line_no, 5),
                        format!("okänd blocktyp `{word}`"),
                    )
                    .with_hint("blocktyper: förslag, beslut, reservation, bilaga"),
                );
                unknown_open = true;
                continue;
            };
            if current.is_none() {
                errors.push(
                    Diagnostic::error(
                        "block",
                        file,
                        pos(line_no, 1),
                        format!("blocket `{word}` står före första paragrafen"),
                    )
                    .with_hint("ett block hör till en paragraf: skriv `## § N Titel` före det"),
                );
            }
            if kind == BlockKind::Bilaga && argument.is_none() {
                errors.push(
                    Diagnostic::error("block", file, pos(line_no, 1), "bilagan saknar titel")
                        .with_hint("skriv t.ex. `::: bilaga Internkontrollplan 2024`"),
                );
            }
            flush_text(&mut text, &mut current, &mut intro);
            block = Some(OpenBlock {
                kind,
                argument,
                pos: pos(line_no, 1),
                text: String::new(),
            });
            continue;
        }
        let heading_level = trimmed.chars().take_while(|&c| c == '#').count();
        let is_heading =
            heading_level > 0 && trimmed[heading_level..].starts_with(' ') && line.starts_with('#');
        if is_heading && heading_level <= 2 {
            if let Some(b) = &block {
                errors.push(
                    Diagnostic::error(
                        "block",
                        file,
                        b.pos,
                        format!("blocket `{}` stängs aldrig", b.kind.css_class()),
                    )
                    .with_hint("avsluta blocket med en rad `:::` före nästa rubrik"),
                );
                close_block(&mut block, &mut current);
            }
            if heading_level == 1 {
                errors.push(
                    Diagnostic::error(
                        "rubrik",
                        file,
                        pos(line_no, 1),
                        "rubrik på nivå 1 i protokollet",
                    )
                    .with_hint("paragrafer skrivs `## § N Titel`, underrubriker `### Titel`"),
                );
                continue;
            }
            flush_text(&mut text, &mut current, &mut intro);
            if let Some(p) = current.take() {
                result.paragraphs.push(finish(p));
            }
            match parse_paragraph_heading(&trimmed[3..]) {
                Some((number, title)) => {
                    if title.is_empty() {
                        errors.push(
                            Diagnostic::error(
                                "paragraf",
                                file,
                                pos(line_no, 4),
                                format!("§ {number} saknar titel"),
                            )
                            .with_hint("skriv t.ex. `## § 12 Mötets öppnande`"),
                        );
                    }
                    if let Some(first) = seen.insert(number, line_no) {
                        errors.push(
                            Diagnostic::error(
                                "paragraf-dubblett",
                                file,
                                pos(line_no, 4),
                                format!("§ {number} finns redan på rad {first}"),
                            )
                            .with_hint(
                                "varje paragrafnummer får bara förekomma en gång i ett protokoll",
                            ),
                        );
                    }
                    current = Some(OpenParagraph {
                        number,
                        title,
                        pos: pos(line_no, 4),
                        parts: Vec::new(),
                    });
                }
                None => errors.push(
                    Diagnostic::error(
                        "paragraf",
                        file,
                        pos(line_no, 4),
                        format!("rubriken `{}` är ingen paragraf", trimmed),
                    )
                    .with_hint(
                        "en paragraf börjar med `## § N Titel`, t.ex. `## § 12 Mötets öppnande`",
                    ),
                ),
            }
            continue;
        }
        let target = match block.as_mut() {
            Some(b) => &mut b.text,
            None => &mut text,
        };
        target.push_str(line);
        target.push('\n');
    }
    if let Some(b) = &block {
        errors.push(
            Diagnostic::error(
                "block",
                file,
                b.pos,
                format!("blocket `{}` stängs aldrig", b.kind.css_class()),
            )
            .with_hint("avsluta blocket med en rad `:::`"),
        );
        close_block(&mut block, &mut current);
    }
    flush_text(&mut text, &mut current, &mut intro);
    if let Some(p) = current.take() {
        result.paragraphs.push(finish(p));
    }
    result.introduction = non_empty(&intro);
    result
}

fn finish(p: OpenParagraph) -> Paragraph {
    Paragraph {
        number: p.number,
        title: p.title,
        parts: p.parts,
        pos: p.pos,
    }
}

/// An anchor from a title: lower case ASCII letters, digits and dashes (å/ä → a, ö → o).
pub fn slugify(title: &str) -> String {
    let mut out = String::new();
    let mut dash = false;
    for c in title.chars().flat_map(char::to_lowercase) {
        let mapped = match c {
            'å' | 'ä' | 'à' | 'á' | 'â' => Some('a'),
            'ö' | 'ø' | 'ó' | 'ò' | 'ô' => Some('o'),
            'é' | 'è' | 'ê' | 'ë' => Some('e'),
            'ü' | 'ú' => Some('u'),
            c if c.is_ascii_alphanumeric() => Some(c),
            _ => None,
        };
        match mapped {
            Some(c) => {
                if dash && !out.is_empty() {
                    out.push('-');
                }
                dash = false;
                out.push(c);
            }
            None => dash = true,
        }
    }
    if out.is_empty() {
        "avsnitt".to_string()
    } else {
        out
    }
}

/// Splits `Titel {#id}` into the title and the explicit id.
fn explicit_id(title: &str) -> (String, Option<String>) {
    let t = title.trim_end();
    if let Some(start) = t.rfind("{#")
        && t.ends_with('}')
    {
        let id = &t[start + 2..t.len() - 1];
        if !id.is_empty()
            && id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            return (t[..start].trim_end().to_string(), Some(id.to_string()));
        }
    }
    (t.to_string(), None)
}

/// Parses a plan body into its introduction and `## ` sections.
pub fn parse_plan_body(
    body: &str,
    first_line: usize,
    file: &Path,
    errors: &mut Vec<Diagnostic>,
) -> (Option<String>, Vec<Section>) {
    let mut intro = String::new();
    let mut sections: Vec<Section> = Vec::new();
    let mut used: HashSet<String> = HashSet::new();
    let mut fence = Fence::default();
    for (i, line) in body.lines().enumerate() {
        let line_no = first_line + i;
        let target = match sections.last_mut() {
            Some(s) => &mut s.markdown,
            None => &mut intro,
        };
        if fence.consume(line) {
            target.push_str(line);
            target.push('\n');
            continue;
        }
        if line.starts_with("# ") {
            errors.push(
                Diagnostic::error("rubrik", file, pos(line_no, 1), "rubrik på nivå 1 i planen")
                    .with_hint("avsnitt skrivs `## Titel`, underrubriker `### Titel`"),
            );
            continue;
        }
        if let Some(rest) = line.strip_prefix("## ") {
            let (title, id) = explicit_id(rest);
            let base = id.unwrap_or_else(|| slugify(&title));
            let mut anchor = base.clone();
            let mut n = 2;
            while !used.insert(anchor.clone()) {
                anchor = format!("{base}-{n}");
                n += 1;
            }
            sections.push(Section {
                anchor,
                title,
                markdown: String::new(),
                pos: pos(line_no, 4),
            });
            continue;
        }
        target.push_str(line);
        target.push('\n');
    }
    for s in &mut sections {
        s.markdown = non_empty(&s.markdown).unwrap_or_default();
    }
    (non_empty(&intro), sections)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(body: &str) -> (ProtocolBody, Vec<Diagnostic>) {
        let mut errors = Vec::new();
        let b = parse_protocol_body(body, 10, Path::new("p.md"), &mut errors);
        (b, errors)
    }

    #[test]
    fn paragraphs_and_blocks() {
        let (b, errors) = parse(
            "## § 16 Årsredovisning\n\nText.\n\n::: beslut 2025-3 §16:1\nAtt fastställa.\n:::\n\n## §17 Nästa\n::: bilaga Plan 2024\n:::\n",
        );
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(b.paragraphs.len(), 2);
        let p = &b.paragraphs[0];
        assert_eq!(
            (p.number, p.title.as_str(), p.pos.line),
            (16, "Årsredovisning", 10)
        );
        let decisions: Vec<_> = p.decisions().collect();
        assert_eq!(decisions.len(), 1);
        assert_eq!(decisions[0].argument.as_deref(), Some("2025-3 §16:1"));
        assert_eq!(decisions[0].markdown, "Att fastställa.\n");
        assert_eq!(decisions[0].pos.line, 14);
        assert_eq!(b.paragraphs[1].number, 17);
    }

    #[test]
    fn mistakes_are_reported_with_lines() {
        let (_, errors) = parse(
            "::: beslut\nx\n:::\n## § 1 A\n::: bseslut\n:::\n::: beslut\n## § 1 B\n## Inte en paragraf\n:::\n",
        );
        let found: Vec<(usize, &str)> = errors.iter().map(|e| (e.line, e.code.as_str())).collect();
        assert_eq!(
            found,
            vec![
                (10, "block"), // block before the first §
                (14, "block"), // unknown kind; its closing ::: on line 15 is no second error
                (16, "block"), // never closed
                (17, "paragraf-dubblett"),
                (18, "paragraf"),
                (19, "block"), // stray :::
            ]
        );
    }

    #[test]
    fn code_fences_hide_markers() {
        let (b, errors) = parse("## § 1 A\n```\n## § 2 inte\n:::\n```\n");
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(b.paragraphs.len(), 1);
    }

    #[test]
    fn plan_sections_get_unique_anchors() {
        let mut errors = Vec::new();
        let (intro, sections) = parse_plan_body(
            "Inledande text.\n## 1. Inledning\nA\n## Budget 2020 {#budget}\n| a |\n## 1. Inledning\n",
            5,
            Path::new("plan.md"),
            &mut errors,
        );
        assert!(errors.is_empty());
        assert_eq!(intro.as_deref(), Some("Inledande text.\n"));
        let anchors: Vec<_> = sections.iter().map(|s| s.anchor.as_str()).collect();
        assert_eq!(anchors, ["1-inledning", "budget", "1-inledning-2"]);
        assert_eq!(sections[1].title, "Budget 2020");
    }

    #[test]
    fn slugify_folds_swedish_letters() {
        assert_eq!(
            slugify("Mål och Återrapportering!"),
            "mal-och-aterrapportering"
        );
    }
}
