//! Tables in extracted text: tab-separated rows (budget tables exported from a spreadsheet) and
//! rows that end in a fixed number of figures (a label, then aligned numbers), into Markdown
//! tables in the GitHub form the content format uses.

use super::lines::{Line, squash};

/// A table read from the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    /// A caption found in the first cell (a long sentence rather than a column label).
    pub caption: Option<String>,
    pub rows: Vec<Vec<String>>,
}

pub fn is_tab_row(line: &str) -> bool {
    line.contains('\t') && !line.trim().is_empty()
}

fn numeric(token: &str) -> bool {
    let t = token.trim_end_matches(['%', '*']);
    !t.is_empty()
        && t.chars().any(|c| c.is_ascii_digit())
        && t.chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ',' | '.' | '-' | '−'))
        && !t.starts_with([',', '.'])
}

/// The figures at the end of a line, and the label before them.
pub fn numeric_tail(line: &str) -> Option<(String, Vec<String>)> {
    let tokens: Vec<&str> = line.split_whitespace().collect();
    let n = tokens.iter().rev().take_while(|t| numeric(t)).count();
    if n < 2 || n == tokens.len() {
        return None;
    }
    let label = tokens[..tokens.len() - n].join(" ");
    Some((
        label,
        tokens[tokens.len() - n..]
            .iter()
            .map(|s| s.to_string())
            .collect(),
    ))
}

/// Reads consecutive tab-separated lines as one table.
pub fn from_tabs(lines: &[&Line]) -> Table {
    let mut rows: Vec<Vec<String>> = lines
        .iter()
        .map(|l| {
            l.text
                .trim_end()
                .split('\t')
                .map(squash)
                .collect::<Vec<String>>()
        })
        .collect();
    let width = rows.iter().map(Vec::len).max().unwrap_or(1);
    for r in &mut rows {
        r.resize(width, String::new());
    }
    let mut caption = None;
    if let Some(first) = rows.first_mut()
        && first[0].chars().count() > 40
    {
        caption = Some(first[0].trim_end_matches('.').to_string());
        first[0] = String::new();
    }
    Table { caption, rows }
}

/// Reads rows that each end in the same number of figures. A row whose label goes on from the
/// line before (it starts in lower case) takes that line into its label.
pub fn from_numeric(lines: &[&Line]) -> Table {
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut pending_label: Option<String> = None;
    let width = lines
        .iter()
        .filter_map(|l| numeric_tail(&l.text))
        .map(|(_, n)| n.len())
        .max()
        .unwrap_or(2);
    for l in lines {
        match numeric_tail(&l.text) {
            Some((label, figures)) => {
                let label = match pending_label.take() {
                    Some(p) => format!("{p} {label}"),
                    None => label,
                };
                let mut row = vec![label];
                row.extend(figures);
                row.resize(width + 1, String::new());
                rows.push(row);
            }
            None => {
                let t = squash(&l.text);
                pending_label = Some(match pending_label.take() {
                    Some(p) => format!("{p} {t}"),
                    None => t,
                });
            }
        }
    }
    let mut header = vec![String::new(); width + 1];
    if let Some(p) = pending_label {
        header[0] = p;
    }
    rows.insert(0, header);
    Table {
        caption: None,
        rows,
    }
}

fn escape_cell(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace('*', "\\*")
        .replace('_', "\\_")
}

fn looks_numeric(cell: &str) -> bool {
    let t = cell
        .trim()
        .trim_end_matches(['*', ' '])
        .trim_end_matches("kr")
        .trim();
    !t.is_empty() && t.split_whitespace().all(numeric)
}

/// The table as Markdown; columns of figures are right-aligned.
pub fn to_markdown(table: &Table) -> String {
    let width = table.rows.iter().map(Vec::len).max().unwrap_or(0);
    if width == 0 {
        return String::new();
    }
    let mut out = String::new();
    if let Some(c) = &table.caption {
        out.push_str(&escape_cell(c));
        out.push_str("\n\n");
    }
    let align: Vec<bool> = (0..width)
        .map(|c| {
            let cells: Vec<&String> = table
                .rows
                .iter()
                .skip(1)
                .filter_map(|r| r.get(c))
                .filter(|s| !s.trim().is_empty())
                .collect();
            !cells.is_empty()
                && cells.iter().filter(|s| looks_numeric(s)).count() * 2 >= cells.len()
        })
        .collect();
    for (i, row) in table.rows.iter().enumerate() {
        out.push('|');
        for c in 0..width {
            let cell = row.get(c).map(String::as_str).unwrap_or("");
            out.push(' ');
            out.push_str(&escape_cell(cell));
            out.push_str(" |");
        }
        out.push('\n');
        if i == 0 {
            out.push('|');
            for &right in &align {
                out.push_str(if right { "---:|" } else { "---|" });
            }
            out.push('\n');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::lines::split;

    #[test]
    fn tab_separated_budget() {
        let lines = split(
            "\tBudget 2021\nIntäkter\t\nMedlemsavgifter\t3 084 000 kr\nANTE\t-1 050 000 kr *\n",
        );
        let refs: Vec<&Line> = lines.iter().collect();
        let md = to_markdown(&from_tabs(&refs));
        assert_eq!(
            md,
            "|  | Budget 2021 |\n|---|---:|\n| Intäkter |  |\n| Medlemsavgifter | 3 084 000 kr |\n| ANTE | -1 050 000 kr \\* |\n"
        );
    }

    #[test]
    fn rows_ending_in_figures() {
        let lines = split(
            "Känsla av att ha fått ökad kunskap och kännedom om\nförbundet  5,1 5,3 5,0\nKänsla av tillit  4,8 4,5 5,2\n",
        );
        let refs: Vec<&Line> = lines.iter().collect();
        let t = from_numeric(&refs);
        assert_eq!(t.rows.len(), 3);
        assert_eq!(
            t.rows[1][0],
            "Känsla av att ha fått ökad kunskap och kännedom om förbundet"
        );
        assert_eq!(t.rows[2], ["Känsla av tillit", "4,8", "4,5", "5,2"]);
        assert!(numeric_tail("Känsla av trivsel  5,5 5,1 5,8").is_some());
        assert!(numeric_tail("Försäkringskassan 2435").is_none());
    }
}
