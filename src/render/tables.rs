//! Tables that read like tables: every table from content sits in a focusable box that scrolls
//! sideways by itself (a region with a name, so keyboard and screen reader users find it),
//! numeric cells are marked (`class="tal"`: right-aligned, tabular figures, never broken inside a
//! number), and the spaces inside a grouped number ("3 126 000 kr") become no-break spaces so
//! that an amount is never split over lines even where the cell itself may wrap.
//!
//! The input is HTML this program wrote (the Markdown renderer's sanitised output), so a small
//! scan of `<table>`, `<tr>` and cells is enough; a table with another table inside is wrapped
//! but left as it is.

use regex::Regex;
use std::sync::OnceLock;

/// Wraps every table of `html` and marks its numeric cells; `scope` names where the tables are
/// ("§ 16", "avsnitt Budget") for the boxes' accessible names.
pub fn tables(html: &str, scope: &str) -> String {
    if !html.contains("<table") {
        return html.to_string();
    }
    let mut out = String::with_capacity(html.len() + 256);
    let mut rest = html;
    let mut n = 0;
    while let Some(start) = rest.find("<table") {
        let Some(len) = rest[start..].find("</table>") else {
            break;
        };
        let end = start + len + "</table>".len();
        n += 1;
        out.push_str(&rest[..start]);
        let label = if scope.is_empty() {
            format!("Tabell {n}")
        } else {
            format!("Tabell {n} i {scope}")
        };
        out.push_str(&format!(
            "<div class=\"tabellram\" role=\"region\" aria-label=\"{}\" tabindex=\"0\">",
            crate::publish::xml_escape(&label)
        ));
        let table = &rest[start..end];
        if table[6..].contains("<table") {
            out.push_str(table);
        } else {
            out.push_str(&mark_numbers(table));
        }
        out.push_str("</div>");
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

fn cell_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"(?s)<(td|th)((?:\s[^>]*)?)>(.*?)</(?:td|th)>").unwrap())
}

fn tag_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"<[^>]*>").unwrap())
}

/// "3 126 000", "-603", "12,5 %", "1 200 tkr", "−40 000 kr", "2 000:-": an amount or a count.
pub fn is_numeric(text: &str) -> bool {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(
            r"^[−–+-]?\s?\d{1,3}(?:[\s\u{a0}\u{202f}]?\d{3})*(?:[.,]\d+)?\s?(?:%|kr|tkr|mkr|st|:-)?$",
        )
        .unwrap()
    });
    let t = text.trim().replace("&nbsp;", " ");
    !t.is_empty() && re.is_match(&t)
}

/// No-break spaces inside grouped numbers and between a number and its unit.
fn keep_numbers_whole(cell: &str) -> String {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| Regex::new(r"(\d) (\d{3}\b|%|kr\b|tkr\b|mkr\b)").unwrap());
    // Twice: "3 126 000" has overlapping matches.
    let once = re.replace_all(cell, "$1\u{a0}$2");
    re.replace_all(&once, "$1\u{a0}$2").into_owned()
}

fn add_class(attrs: &str, class: &str) -> String {
    if let Some(at) = attrs.find("class=\"") {
        let at = at + "class=\"".len();
        format!("{}{class} {}", &attrs[..at], &attrs[at..])
    } else {
        format!("{attrs} class=\"{class}\"")
    }
}

/// Marks numeric cells, and the header cells of columns that hold numbers.
fn mark_numbers(table: &str) -> String {
    // Pass 1: which columns are numeric (every non-empty body cell in them is a number).
    let mut numeric_cols: Vec<(usize, usize)> = Vec::new(); // (numbers, other text) per column
    for row in table.split("<tr").skip(1) {
        for (col, c) in cell_re().captures_iter(row).enumerate() {
            if &c[1] != "td" {
                continue;
            }
            let text = tag_re().replace_all(&c[3], "");
            if numeric_cols.len() <= col {
                numeric_cols.resize(col + 1, (0, 0));
            }
            if text.trim().is_empty() || text.trim() == "–" || text.trim() == "-" {
                continue;
            }
            if is_numeric(&text) {
                numeric_cols[col].0 += 1;
            } else {
                numeric_cols[col].1 += 1;
            }
        }
    }
    let column_is_numeric = |col: usize| {
        numeric_cols
            .get(col)
            .is_some_and(|&(nums, other)| nums > 0 && other == 0)
    };
    // Pass 2: rewrite the cells row by row.
    let mut out = String::with_capacity(table.len() + 64);
    let mut parts = table.split("<tr");
    out.push_str(parts.next().unwrap_or(""));
    for row in parts {
        out.push_str("<tr");
        let mut col = 0;
        let rewritten = cell_re().replace_all(row, |c: &regex::Captures| {
            let (tag, attrs, inner) = (&c[1], &c[2], &c[3]);
            let text = tag_re().replace_all(inner, "");
            let numeric = if tag == "td" {
                is_numeric(&text)
            } else {
                column_is_numeric(col) && !row.contains("scope=\"row\"")
            };
            col += 1;
            let attrs = if numeric {
                add_class(attrs, "tal")
            } else {
                attrs.to_string()
            };
            format!("<{tag}{attrs}>{}</{tag}>", keep_numbers_whole(inner))
        });
        out.push_str(&rewritten);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_and_counts_are_numbers_words_are_not() {
        for t in [
            "3 126 000",
            "3 126 000 kr",
            "-603",
            "−40 000",
            "12,5 %",
            "1 200 tkr",
            "7",
            "2 000:-",
            "100%",
            "0,5",
        ] {
            assert!(is_numeric(t), "{t}");
        }
        for t in [
            "",
            "Summa",
            "2024-12-31",
            "§ 16",
            "Ystad 12",
            "1 2 3",
            "kr",
            "12 34",
        ] {
            assert!(!is_numeric(t), "{t}");
        }
    }

    #[test]
    fn a_table_is_wrapped_in_a_named_scrolling_region_and_its_numbers_kept_whole() {
        let html = "<p>x</p><table><thead><tr><th>Post</th><th>Belopp</th></tr></thead>\
            <tbody><tr><td>Region Skåne</td><td>1 563 000 kr</td></tr>\
            <tr><td>Summa</td><td>3 126 000</td></tr></tbody></table><p>y</p>";
        let out = tables(html, "§ 72");
        assert!(out.starts_with("<p>x</p><div class=\"tabellram\" role=\"region\" aria-label=\"Tabell 1 i § 72\" tabindex=\"0\"><table>"));
        assert!(out.ends_with("</table></div><p>y</p>"));
        assert!(
            out.contains("<td class=\"tal\">1\u{a0}563\u{a0}000\u{a0}kr</td>"),
            "{out}"
        );
        assert!(out.contains("<td class=\"tal\">3\u{a0}126\u{a0}000</td>"));
        assert!(out.contains("<td>Region Skåne</td>"));
        assert!(out.contains("<th class=\"tal\">Belopp</th>"), "{out}");
        assert!(out.contains("<th>Post</th>"));
    }

    #[test]
    fn existing_classes_are_kept_and_a_second_table_gets_its_own_number() {
        let html =
            "<table><tr><td class=\"hoger\">5</td></tr></table><table><tr><td>a</td></tr></table>";
        let out = tables(html, "");
        assert!(out.contains("<td class=\"tal hoger\">5</td>"), "{out}");
        assert!(out.contains("aria-label=\"Tabell 2\""));
        assert_eq!(out.matches("tabellram").count(), 2);
    }

    #[test]
    fn html_without_tables_is_unchanged() {
        assert_eq!(tables("<p>3 000 kr</p>", "x"), "<p>3 000 kr</p>");
    }
}
