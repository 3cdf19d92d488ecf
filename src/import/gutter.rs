//! Two text columns side by side, as `pdftotext -layout` prints a two-column page: each page
//! whose lines share a gutter (a column where the right-hand text starts on many lines and no
//! line runs across) is read column by column, left first. A label/value table is not taken for
//! two columns: the right column must hold a § marker, as a protocol's text column does.
//! Lines keep their source numbers, so the report still points into the extracted text.

use super::lines::Line;
use regex::Regex;
use std::sync::LazyLock;

static MARKER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:§\s*\d|\d{1,4}\s*§)").expect("static regex"));

/// The page's gutter: the column where the right-hand text starts, if the page has two columns.
fn gutter(page: &[Line]) -> Option<usize> {
    let rows: Vec<Vec<char>> = page.iter().map(|l| l.text.chars().collect()).collect();
    let widest = rows.iter().map(Vec::len).max()?;
    let non_blank = page.iter().filter(|l| !l.is_blank()).count();
    let mut best: Option<(usize, usize)> = None;
    for g in 20..widest.min(120) {
        let mut starts = 0;
        let mut both = 0;
        let mut marker = false;
        let mut crossing = false;
        for r in &rows {
            if r.len() <= g {
                continue;
            }
            let gap = r[g - 1] == ' ' && r[g - 2] == ' ';
            if r[g] != ' ' && gap {
                starts += 1;
                let right: String = r[g..].iter().collect();
                marker |= MARKER.is_match(&right);
                if r[..g - 2].iter().any(|c| *c != ' ') {
                    both += 1;
                }
            } else if r[g - 1] != ' ' && r[g] != ' ' {
                crossing = true;
                break;
            }
        }
        let fits = !crossing
            && marker
            && starts >= 4
            && both * 3 >= starts
            && starts * 10 >= non_blank * 3;
        if fits && best.is_none_or(|(_, s)| starts > s) {
            best = Some((g, starts));
        }
    }
    best.map(|(g, _)| g)
}

/// Reads two-column pages column by column; returns the lines and how many pages were split.
pub fn split(lines: Vec<Line>) -> (Vec<Line>, usize) {
    let mut pages: Vec<Vec<Line>> = Vec::new();
    for l in lines {
        match pages.last_mut() {
            Some(p) if !l.page_start => p.push(l),
            _ => pages.push(vec![l]),
        }
    }
    let mut out = Vec::new();
    let mut split_pages = 0;
    for page in pages {
        let Some(g) = gutter(&page) else {
            out.extend(page);
            continue;
        };
        split_pages += 1;
        let mut right = Vec::new();
        for l in page {
            let chars: Vec<char> = l.text.chars().collect();
            let (a, b) = chars.split_at(g.min(chars.len()));
            let left: String = a.iter().collect();
            let rest: String = b.iter().collect();
            out.push(Line {
                no: l.no,
                text: left.trim_end().to_string(),
                page_start: l.page_start,
            });
            right.push(Line {
                no: l.no,
                text: rest.trim().to_string(),
                page_start: false,
            });
        }
        out.push(Line {
            no: right.first().map_or(0, |l| l.no),
            text: String::new(),
            page_start: false,
        });
        out.extend(right);
    }
    (out, split_pages)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::lines;

    #[test]
    fn a_two_column_page_is_read_column_by_column() {
        let text = "Protokoll från styrelsemöte i       Ordförande Eva Ek förklarade\nSamordningsförbundet Dalby          mötet öppnat.\n\nStyrelsen sammanträdde måndagen     §2 Val av justerare\nden 1 november 2021 kl. 13–15       Styrelsen valde Bo Ås till\npå biblioteket i Dalby.             justerare.\n\n§1 Mötet öppnas                     §3 Avslut\n";
        let (l, n) = split(lines::split(text));
        assert_eq!(n, 1);
        let texts: Vec<&str> = l
            .iter()
            .map(|l| l.text.as_str())
            .filter(|t| !t.is_empty())
            .collect();
        let pos = |s: &str| texts.iter().position(|t| *t == s);
        assert!(pos("§1 Mötet öppnas") < pos("Ordförande Eva Ek förklarade"));
        assert!(pos("§2 Val av justerare") < pos("§3 Avslut"));
    }

    #[test]
    fn a_label_value_table_is_not_two_columns() {
        let text = "Plats och tid             Folkets hus, Östmark, kl. 15.00-16.15\nBeslutande                Greta Solberg, ordförande\n                          Harald Vik, ledamot\nJustering                 Folkets hus, 2023-12-04\nJusterande paragrafer     §§ 31-33\n";
        assert_eq!(split(lines::split(text)).1, 0);
    }
}
