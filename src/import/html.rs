//! Web copies of protocols (`.html`, `.htm`): the page is read into the same plain text the PDF
//! path gives, so the header and § rules see the lines they know. Block elements become lines,
//! `<br>` a line break, a table row one line whose cells stand apart by several spaces (as
//! `pdftotext -layout` sets a table; a cell with several lines continues under its own column),
//! an ordered list's items get their numbers as a browser shows them. Scripts, styles,
//! navigation, forms and the document head are dropped; when the page has a `<main>` element only
//! its content is read (the rest is the website around the protocol).
//!
//! Parsing is html5ever's tokenizer (entities, raw-text elements, broken markup); the flattening
//! into lines is ours.

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    BufferQueue, Tag, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};
use std::cell::RefCell;

/// Space between two table cells on one line: more than the two spaces the text rules take for a
/// column gap.
const CELL_GAP: &str = "    ";

/// Elements whose whole content is dropped.
fn dropped(name: &str) -> bool {
    matches!(
        name,
        "script"
            | "style"
            | "title"
            | "textarea"
            | "noscript"
            | "template"
            | "head"
            | "nav"
            | "form"
            | "select"
            | "button"
            | "svg"
            | "aside"
            | "iframe"
            | "object"
            | "canvas"
            | "dialog"
    )
}

/// Elements without content or end tag.
fn void(name: &str) -> bool {
    matches!(
        name,
        "area"
            | "base"
            | "br"
            | "col"
            | "embed"
            | "hr"
            | "img"
            | "input"
            | "link"
            | "meta"
            | "source"
            | "track"
            | "wbr"
    )
}

/// The website around the protocol, marked by role or by the names sites give it: menus,
/// breadcrumbs, cookie notices, the banner and the site footer, search and share buttons.
fn furniture(tag: &Tag) -> bool {
    if attr(tag, "role").is_some_and(|r| {
        matches!(
            r.trim(),
            "navigation"
                | "banner"
                | "contentinfo"
                | "search"
                | "menu"
                | "menubar"
                | "complementary"
        )
    }) {
        return true;
    }
    if attr(tag, "aria-hidden") == Some("true") {
        return true;
    }
    ["class", "id"].iter().any(|a| {
        attr(tag, a).is_some_and(|v| {
            v.split_whitespace().any(|w| {
                let w = w.to_ascii_lowercase();
                ["cookie", "breadcrumb", "navbar", "menu", "skip", "share"]
                    .iter()
                    .any(|k| w.contains(k))
            })
        })
    })
}

/// Elements that stand on lines of their own.
fn block(name: &str) -> bool {
    matches!(
        name,
        "address"
            | "article"
            | "aside"
            | "blockquote"
            | "body"
            | "caption"
            | "center"
            | "dd"
            | "details"
            | "div"
            | "dl"
            | "dt"
            | "fieldset"
            | "figcaption"
            | "figure"
            | "footer"
            | "header"
            | "hgroup"
            | "html"
            | "legend"
            | "li"
            | "main"
            | "menu"
            | "ol"
            | "p"
            | "pre"
            | "section"
            | "summary"
            | "table"
            | "tbody"
            | "thead"
            | "tfoot"
            | "ul"
    )
}

/// Blocks that are set off by an empty line, as a paragraph or heading is on the page.
fn spaced(name: &str) -> bool {
    matches!(
        name,
        "p" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "table" | "pre" | "blockquote"
    )
}

fn heading(name: &str) -> bool {
    matches!(name, "h1" | "h2" | "h3" | "h4" | "h5" | "h6")
}

/// A table row being collected: its cells, each a list of lines.
#[derive(Default)]
struct Row {
    cells: Vec<Vec<String>>,
}

impl Row {
    /// The row's non-empty cells, their lines trimmed.
    fn cells(&self) -> Vec<Vec<String>> {
        self.cells
            .iter()
            .map(|c| {
                c.iter()
                    .map(|l| l.trim().to_string())
                    .filter(|l| !l.is_empty())
                    .collect::<Vec<_>>()
            })
            .filter(|c| !c.is_empty())
            .collect()
    }
}

/// The rows of a table as `pdftotext -layout` would set them: every cell in its column, each
/// column as wide as its widest line in the table, a cell with several lines going on below.
fn render_table(rows: &[Row]) -> Vec<String> {
    let rows: Vec<Vec<Vec<String>>> = rows.iter().map(Row::cells).collect();
    let mut widths: Vec<usize> = Vec::new();
    for row in &rows {
        for (k, cell) in row.iter().enumerate() {
            let w = cell.iter().map(|l| l.chars().count()).max().unwrap_or(0);
            if widths.len() <= k {
                widths.push(w);
            } else {
                widths[k] = widths[k].max(w);
            }
        }
    }
    let mut out = Vec::new();
    for row in &rows {
        let height = row.iter().map(Vec::len).max().unwrap_or(0);
        for i in 0..height {
            let mut line = String::new();
            for (k, cell) in row.iter().enumerate() {
                let text = cell.get(i).map_or("", String::as_str);
                line.push_str(text);
                if k + 1 < row.len() {
                    let pad = widths[k] - text.chars().count();
                    line.extend(std::iter::repeat_n(' ', pad));
                    line.push_str(CELL_GAP);
                }
            }
            out.push(line.trim_end().to_string());
        }
    }
    out
}

#[derive(Default)]
struct State {
    lines: Vec<String>,
    /// The line being written (outside a table cell).
    current: String,
    /// The dropped element being skipped, and how many of its name are open.
    skip: Option<(String, usize)>,
    /// Depth inside `<pre>`: whitespace is kept.
    pre: usize,
    /// Depth inside `<main>` (only counted when the page has one).
    main: usize,
    only_main: bool,
    /// Nesting of tables; only the outermost one is set as rows and columns.
    tables: usize,
    /// The finished rows of the outermost table, set when it ends.
    rows: Vec<Row>,
    row: Option<Row>,
    /// Inside a cell of the outermost table.
    in_cell: bool,
    /// Counters of the open lists: `Some(next number)` for `<ol>`, `None` for `<ul>`.
    lists: Vec<Option<u32>>,
}

impl State {
    fn visible(&self) -> bool {
        self.skip.is_none() && (!self.only_main || self.main > 0)
    }

    /// The text being written: the current cell's last line, or the current line.
    fn target(&mut self) -> &mut String {
        if self.in_cell
            && let Some(row) = self.row.as_mut()
            && let Some(cell) = row.cells.last_mut()
        {
            if cell.is_empty() {
                cell.push(String::new());
            }
            let n = cell.len();
            return &mut cell[n - 1];
        }
        &mut self.current
    }

    fn text(&mut self, s: &str) {
        if !self.visible() {
            return;
        }
        if self.pre > 0 && !self.in_cell {
            let mut parts = s.split('\n');
            if let Some(first) = parts.next() {
                self.current.push_str(first);
            }
            for p in parts {
                self.end_line();
                self.current.push_str(p);
            }
            return;
        }
        let target = self.target();
        for c in s.chars() {
            // HTML collapses runs of white space; a non-breaking space is kept as written.
            if c.is_whitespace() && c != '\u{a0}' {
                if !target.is_empty() && !target.ends_with(' ') {
                    target.push(' ');
                }
            } else {
                target.push(c);
            }
        }
    }

    /// Ends the current line (a `<br>` or a block's edge). Inside a cell, the cell gets a new line.
    fn end_line(&mut self) {
        if self.in_cell
            && let Some(row) = self.row.as_mut()
            && let Some(cell) = row.cells.last_mut()
        {
            cell.push(String::new());
            return;
        }
        let line = std::mem::take(&mut self.current);
        let line = line.trim_end();
        if !line.trim().is_empty() {
            self.lines.push(line.to_string());
        }
    }

    /// Ends the current line and leaves one empty line (not two) before what follows.
    fn blank(&mut self) {
        self.end_line();
        if self.in_cell {
            return;
        }
        if self.lines.last().is_some_and(|l| !l.is_empty()) {
            self.lines.push(String::new());
        }
    }

    fn start_row(&mut self) {
        self.end_row();
        self.end_line();
        self.row = Some(Row::default());
    }

    fn end_row(&mut self) {
        self.in_cell = false;
        if let Some(row) = self.row.take() {
            self.rows.push(row);
        }
    }

    fn end_table(&mut self) {
        self.end_row();
        let rows = std::mem::take(&mut self.rows);
        self.lines.extend(render_table(&rows));
    }

    fn tag(&mut self, tag: &Tag) -> TokenSinkResult<()> {
        let name: &str = &tag.name;
        let start = tag.kind == TagKind::StartTag;
        if name == "main" {
            if start {
                self.main += 1;
            } else {
                self.main = self.main.saturating_sub(1);
            }
        }
        let raw = match name {
            "script" | "style" | "noscript" | "xmp" | "iframe" => Some(RawKind::Rawtext),
            "title" | "textarea" => Some(RawKind::Rcdata),
            _ => None,
        };
        let to_raw = match (start, raw) {
            (true, Some(kind)) if !tag.self_closing => TokenSinkResult::RawData(kind),
            _ => TokenSinkResult::Continue,
        };
        // Inside a dropped element only its own end matters (nested ones of the same name count).
        // `</head>` may be left out: the body ends the head.
        if name == "body" && self.skip.as_ref().is_some_and(|(open, _)| open == "head") {
            self.skip = None;
        }
        if let Some((open, depth)) = self.skip.as_mut() {
            if name == open.as_str() && !void(name) {
                if start && !tag.self_closing {
                    *depth += 1;
                } else if !start {
                    *depth -= 1;
                    if *depth == 0 {
                        self.skip = None;
                    }
                }
            }
            return to_raw;
        }
        if start && !tag.self_closing && !void(name) && (dropped(name) || furniture(tag)) {
            self.skip = Some((name.to_string(), 1));
            return to_raw;
        }
        if !self.visible() {
            return TokenSinkResult::Continue;
        }
        match (name, start) {
            ("br", _) => self.end_line(),
            ("hr", _) => self.blank(),
            ("table", true) => {
                self.tables += 1;
                if self.tables == 1 {
                    self.blank();
                }
            }
            ("table", false) => {
                if self.tables == 1 {
                    self.end_table();
                    self.blank();
                }
                self.tables = self.tables.saturating_sub(1);
            }
            ("tr", true) if self.tables == 1 => self.start_row(),
            ("tr", false) if self.tables == 1 => self.end_row(),
            ("td" | "th", true) if self.tables == 1 => {
                if self.row.is_none() {
                    self.start_row();
                }
                if let Some(row) = self.row.as_mut() {
                    row.cells.push(Vec::new());
                }
                self.in_cell = true;
            }
            ("td" | "th", false) if self.tables == 1 => {}
            // A nested table is read inside its cell: rows as lines, cells apart.
            ("tr", _) => self.end_line(),
            ("td" | "th", true) => {
                let t = self.target();
                if !t.trim().is_empty() {
                    t.push_str(CELL_GAP);
                }
            }
            ("ol", true) => {
                self.end_line();
                let first = attr(tag, "start").and_then(|s| s.trim().parse().ok());
                self.lists.push(Some(first.unwrap_or(1)));
            }
            ("ul" | "menu", true) => {
                self.end_line();
                self.lists.push(None);
            }
            ("ol" | "ul" | "menu", false) => {
                self.end_line();
                self.lists.pop();
            }
            ("li", true) => {
                self.end_line();
                let value = attr(tag, "value").and_then(|s| s.trim().parse().ok());
                let marker = match self.lists.last_mut() {
                    Some(Some(n)) => {
                        if let Some(v) = value {
                            *n = v;
                        }
                        let m = format!("{n}. ");
                        *n += 1;
                        m
                    }
                    _ => "• ".to_string(),
                };
                self.target().push_str(&marker);
            }
            ("pre", true) => {
                self.blank();
                self.pre += 1;
            }
            ("pre", false) => {
                self.pre = self.pre.saturating_sub(1);
                self.blank();
            }
            (n, _) if spaced(n) || heading(n) => self.blank(),
            (n, _) if block(n) => self.end_line(),
            _ => {}
        }
        TokenSinkResult::Continue
    }
}

fn attr<'a>(tag: &'a Tag, name: &str) -> Option<&'a str> {
    tag.attrs
        .iter()
        .find(|a| &*a.name.local == name)
        .map(|a| &*a.value)
}

struct Sink {
    state: RefCell<State>,
}

impl TokenSink for Sink {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        let mut s = self.state.borrow_mut();
        match token {
            Token::TagToken(tag) => return s.tag(&tag),
            Token::CharacterTokens(t) => s.text(&t),
            Token::EOFToken => {
                s.end_table();
                s.end_line();
            }
            _ => {}
        }
        TokenSinkResult::Continue
    }
}

/// Whether the page has a `<main>` element: then only that is the protocol.
fn has_main(html: &str) -> bool {
    html.to_ascii_lowercase().contains("<main")
}

/// The page's own publication stamp ("Publicerad 2023-12-12", "Senast uppdaterad …"): about
/// the web page, not the meeting, so its date must not be taken for the meeting's.
fn page_stamp(line: &str) -> bool {
    let lower = line.trim().to_lowercase();
    let stamp = [
        "publicerad",
        "publicerat",
        "uppdaterad",
        "senast uppdaterad",
        "senast ändrad",
        "sidan uppdaterades",
        "sidan publicerades",
        "sidan ändrades",
    ]
    .iter()
    .any(|w| lower.starts_with(w));
    stamp && lower.chars().any(|c| c.is_ascii_digit()) && lower.split_whitespace().count() <= 8
}

/// Does this text look like an HTML document (for files without an `.html` name)?
pub fn looks_like_html(text: &str) -> bool {
    let head: String = text
        .trim_start_matches('\u{feff}')
        .trim_start()
        .chars()
        .take(200)
        .collect::<String>()
        .to_ascii_lowercase();
    head.starts_with("<!doctype html")
        || head.starts_with("<html")
        || head.starts_with("<?xml") && head.contains("<html")
}

/// The page's text, one line per block, table rows with their cells apart.
pub fn to_text(html: &str) -> String {
    let sink = Sink {
        state: RefCell::new(State {
            only_main: has_main(html),
            ..State::default()
        }),
    };
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(html));
    let tok = Tokenizer::new(sink, TokenizerOpts::default());
    let _ = tok.feed(&input);
    tok.end();
    let mut lines = std::mem::take(&mut tok.sink.state.borrow_mut().lines);
    lines.retain(|l| !page_stamp(l));
    while lines.last().is_some_and(|l| l.is_empty()) {
        lines.pop();
    }
    let mut out = lines.join("\n");
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_become_lines_and_table_cells_stay_apart() {
        let html = r#"<!DOCTYPE html><html><head><title>Protokoll</title>
<style>p { color: red }</style><script>var x = "<p>§ 9 Fel</p>";</script></head>
<body><nav><a href="/">Start</a> <a href="/politik">Politik</a></nav>
<h1>Styrelsen &ndash; protokoll</h1>
<table><tr><th>Plats och tid</th><td>Kansliet,&nbsp;Hedby<br>kl 13.00&ndash;15.00</td></tr>
<tr><td>Beslutande</td><td>Anna Ek (S), ordf&ouml;rande</td></tr></table>
<h2>§ 1 Val av justerare</h2><p>Bo Ek utses att justera.</p>
<ol start="3"><li>Budget</li><li>Övrigt</li></ol></body></html>"#;
        let text = to_text(html);
        let lines: Vec<&str> = text.lines().collect();
        assert!(!text.contains("Fel"), "{text}");
        assert!(!text.contains("Politik"), "{text}");
        assert!(!text.contains("color"), "{text}");
        assert!(lines.contains(&"Styrelsen – protokoll"), "{text}");
        assert!(
            lines.contains(&"Plats och tid    Kansliet,\u{a0}Hedby"),
            "{text}"
        );
        // The cell's second line stands under its own column.
        assert!(lines.contains(&"                 kl 13.00–15.00"), "{text}");
        assert!(
            lines.contains(&"Beslutande       Anna Ek (S), ordförande"),
            "{text}"
        );
        assert!(lines.contains(&"§ 1 Val av justerare"), "{text}");
        assert!(lines.contains(&"3. Budget"), "{text}");
        assert!(lines.contains(&"4. Övrigt"), "{text}");
    }

    #[test]
    fn the_pages_publication_stamp_is_no_part_of_the_protocol() {
        let text = to_text(
            "<h1>Direktionens protokoll</h1><p>Publicerad 2023-12-12</p><p>Sammanträdesdatum 5 december 2023</p>",
        );
        assert!(!text.contains("2023-12-12"), "{text}");
        assert!(text.contains("Sammanträdesdatum 5 december 2023"), "{text}");
    }

    #[test]
    fn only_main_is_read_when_the_page_has_it() {
        let html = "<body><header>Hedby kommun Meny</header><main><p>§ 1 Budget</p></main><footer>Senast ändrad 2024-01-01</footer></body>";
        let text = to_text(html);
        assert_eq!(text.trim(), "§ 1 Budget");
    }

    #[test]
    fn broken_markup_and_unclosed_tags_still_give_lines() {
        let text = to_text("<p>Plats och tid: Kansliet<p>Beslutande:<br>Anna Ek<div>§ 2 Budget");
        let lines: Vec<&str> = text.lines().filter(|l| !l.is_empty()).collect();
        assert_eq!(
            lines,
            vec![
                "Plats och tid: Kansliet",
                "Beslutande:",
                "Anna Ek",
                "§ 2 Budget"
            ]
        );
        assert!(looks_like_html("  <!DOCTYPE html>\n<html>"));
        assert!(!looks_like_html("Protokoll <b>"));
    }
}
