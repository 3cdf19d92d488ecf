//! Running text into Markdown: wrapped lines joined into paragraphs, bullets and numbered items
//! into lists, short title lines into sub-headings, tables into GitHub tables. Text that Markdown
//! or the content format would read as structure (`#`, `>`, `:::`) is escaped, so a protocol's
//! words never turn into markup by accident.

use super::lines::{Line, heading_like, join, paragraphs, squash};
use super::tables;
use regex::Regex;
use std::sync::LazyLock;

static BULLET: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:[•\-–*]\s*|o\s+)(\S.*)$").expect("static regex"));
static NUMBERED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(\d{1,2})[.)]\s+(\S.*)$").expect("static regex"));

/// Escapes what would start Markdown structure at the beginning of a paragraph.
pub fn escape_start(s: &str) -> String {
    let t = s.trim_start();
    let structural = ["#", ">", ":::", "|", "+ ", "= "]
        .iter()
        .any(|m| t.starts_with(m));
    if structural {
        format!("\\{t}")
    } else {
        t.to_string()
    }
}

fn numeric_run_len(lines: &[&Line], from: usize) -> usize {
    // Rows ending in the same number of figures, allowing one wrapped label line before a row.
    let mut n = 0;
    let mut width = None;
    let mut i = from;
    while i < lines.len() {
        match tables::numeric_tail(&lines[i].text) {
            Some((_, figs)) if width.is_none_or(|w| w == figs.len()) => {
                width = Some(figs.len());
                n = i + 1 - from;
                i += 1;
            }
            _ => {
                let next_is_row = lines
                    .get(i + 1)
                    .and_then(|l| tables::numeric_tail(&l.text))
                    .is_some_and(|(label, f)| {
                        width.is_none_or(|w| w == f.len())
                            && label.starts_with(|c: char| c.is_lowercase())
                    });
                if next_is_row && width.is_some() {
                    i += 1;
                } else {
                    break;
                }
            }
        }
    }
    let rows = lines[from..from + n]
        .iter()
        .filter(|l| tables::numeric_tail(&l.text).is_some())
        .count();
    if rows >= 3 { n } else { 0 }
}

/// Formats lines (with blank lines between paragraphs) as Markdown blocks. With `headings`, a
/// paragraph of one short title-like line becomes a `###` sub-heading (not inside a decision,
/// where "Styrelsen tackar för informationen" is a sentence without its full stop).
pub fn format(lines: &[Line], headings: bool) -> Vec<String> {
    let mut blocks: Vec<String> = Vec::new();
    for para in paragraphs(lines) {
        let refs: Vec<&Line> = para.iter().collect();
        let mut i = 0;
        let mut text: Vec<Line> = Vec::new();
        let mut list: Vec<String> = Vec::new();
        let flush_text = |text: &mut Vec<Line>, blocks: &mut Vec<String>| {
            if text.is_empty() {
                return;
            }
            let joined = join(text);
            if headings && text.len() == 1 && heading_like(&joined) && !joined.starts_with('§') {
                blocks.push(format!("### {}", escape_start(&joined)));
            } else {
                blocks.push(escape_start(&joined));
            }
            text.clear();
        };
        let flush_list = |list: &mut Vec<String>, blocks: &mut Vec<String>| {
            if !list.is_empty() {
                blocks.push(list.join("\n"));
                list.clear();
            }
        };
        while i < refs.len() {
            let l = refs[i];
            let t = squash(&l.text);
            if tables::is_tab_row(&l.text) {
                flush_text(&mut text, &mut blocks);
                flush_list(&mut list, &mut blocks);
                let start = i;
                while i < refs.len() && tables::is_tab_row(&refs[i].text) {
                    i += 1;
                }
                blocks.push(
                    tables::to_markdown(&tables::from_tabs(&refs[start..i]))
                        .trim_end()
                        .to_string(),
                );
                continue;
            }
            let run = numeric_run_len(&refs, i);
            if run > 0 {
                // A label line just before the first row belongs to the table's first row.
                let mut start = i;
                if text.len() == 1
                    && refs[i]
                        .text
                        .trim_start()
                        .starts_with(|c: char| c.is_lowercase())
                {
                    text.clear();
                    start = i - 1;
                }
                flush_text(&mut text, &mut blocks);
                flush_list(&mut list, &mut blocks);
                let table = tables::from_numeric(&refs[start..i + run]);
                blocks.push(tables::to_markdown(&table).trim_end().to_string());
                i += run;
                continue;
            }
            if let Some(c) = BULLET.captures(&t).filter(|_| !t.starts_with("--")) {
                flush_text(&mut text, &mut blocks);
                list.push(format!("- {}", escape_start(&c[1])));
                i += 1;
                continue;
            }
            if let Some(c) = NUMBERED.captures(&t) {
                flush_text(&mut text, &mut blocks);
                list.push(format!("{}. {}", &c[1], escape_start(&c[2])));
                i += 1;
                continue;
            }
            if let Some(last) = list.last_mut() {
                // A wrapped list item goes on in lower case or after an unfinished line; anything else
                // ends the list.
                let open_ended = !last.trim_end().ends_with(['.', '!', '?', ':', ';']);
                if t.starts_with(|c: char| c.is_lowercase()) || open_ended {
                    last.push(' ');
                    last.push_str(&t);
                    i += 1;
                    continue;
                }
                flush_list(&mut list, &mut blocks);
            }
            text.push(l.clone());
            i += 1;
        }
        flush_text(&mut text, &mut blocks);
        flush_list(&mut list, &mut blocks);
    }
    blocks
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::lines::split;

    #[test]
    fn lists_headings_and_escapes() {
        let blocks = format(
            &split(
                "Upplägg bör innehålla följande delar:\n\n• Uppstartsmöte samt detaljplanering av upplägg tillsammans med\nFörbundschef.\n• Löpande möten\n\nNextStep\n\n# inte en rubrik\n",
            ),
            true,
        );
        assert_eq!(
            blocks,
            vec![
                "Upplägg bör innehålla följande delar:",
                "- Uppstartsmöte samt detaljplanering av upplägg tillsammans med Förbundschef.\n- Löpande möten",
                "### NextStep",
                "\\# inte en rubrik"
            ]
        );
    }
}
