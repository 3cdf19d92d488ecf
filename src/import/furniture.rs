//! Page furniture and double extraction: what the page layout adds to the text but the protocol
//! does not say. Running headers and footers ("Justerandes sign", "Utdragsbestyrkande"), page
//! numbers ("Sida 3 av 7"), and a whole document extracted twice (a PDF that holds the protocol
//! once as text and once more, e.g. a signed copy appended to the original).

use super::lines::{Line, squash};
use regex::Regex;
use std::collections::HashMap;
use std::sync::LazyLock;

/// What was removed, for the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Removed {
    pub text: String,
    pub lines: Vec<usize>,
}

static PAGE_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:sida|s\.|page)\s*\d+(?:\s*(?:av|of|/|\()\s*\d+\)?)?$|^\d+\s*(?:\(\d+\)|av\s+\d+|/\s*\d+)$|^-\s*\d+\s*-$")
        .expect("static regex")
});

/// Words of running headers and footers on Swedish protocols.
const FURNITURE_WORDS: &[&str] = &[
    "sign",
    "utdragsbestyrkande",
    "justerandes",
    "protokollsutdrag",
    "sammanträdesprotokoll",
    "sammanträdesdatum",
];

/// Lines that carry structure and may repeat legitimately.
fn structural(s: &str) -> bool {
    let lower = s.to_lowercase();
    let first = lower
        .split(|c: char| !c.is_alphanumeric() && c != '§')
        .next()
        .unwrap_or("");
    s.starts_with('§')
        || [
            "beslut",
            "bilaga",
            "bilagor",
            "förslag",
            "reservation",
            "yrkande",
            "underskrift",
            "underskrifter",
            "justering",
            "summa",
        ]
        .contains(&first)
}

/// Removes running headers/footers and page numbers. A line counts as furniture when it is a page
/// number, or when it repeats at least three times, is short, carries no structure, and either
/// uses a word of page furniture or stands next to a page break every time. The first occurrence
/// of a repeated line among the document's first lines is kept: it is the title.
pub fn strip(lines: Vec<Line>) -> (Vec<Line>, Vec<Removed>) {
    let mut counts: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, l) in lines.iter().enumerate() {
        if !l.is_blank() {
            counts.entry(squash(&l.text)).or_default().push(i);
        }
    }
    let near_page_break = |i: usize| {
        let lo = i.saturating_sub(2);
        let hi = (i + 3).min(lines.len());
        lines[lo..hi].iter().any(|l| l.page_start)
    };
    let first_lines: Vec<usize> = lines
        .iter()
        .enumerate()
        .filter(|(_, l)| !l.is_blank())
        .map(|(i, _)| i)
        .take(3)
        .collect();
    let mut drop = vec![false; lines.len()];
    let mut removed: Vec<Removed> = Vec::new();
    let mut furniture: Vec<(&String, &Vec<usize>)> = counts
        .iter()
        .filter(|(text, at)| {
            let lower = text.to_lowercase();
            at.len() >= 3
                && text.chars().count() <= 50
                && !structural(text)
                && (FURNITURE_WORDS.iter().any(|w| lower.contains(w))
                    || at.iter().all(|&i| near_page_break(i)))
        })
        .collect();
    furniture.sort_by_key(|(_, at)| at[0]);
    for (text, at) in furniture {
        let mut gone = Vec::new();
        for &i in at {
            if first_lines.contains(&i) {
                continue;
            }
            drop[i] = true;
            gone.push(lines[i].no);
        }
        if !gone.is_empty() {
            removed.push(Removed {
                text: text.clone(),
                lines: gone,
            });
        }
    }
    let mut numbers = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        if !drop[i] && PAGE_NUMBER.is_match(l.trimmed()) {
            drop[i] = true;
            numbers.push(l.no);
        }
    }
    if !numbers.is_empty() {
        removed.push(Removed {
            text: "sidnummer".into(),
            lines: numbers,
        });
    }
    let kept = lines
        .into_iter()
        .zip(drop)
        .filter(|(_, d)| !d)
        .map(|(l, _)| l)
        .collect();
    (kept, removed)
}

/// A document extracted twice: the copy that is dropped, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Duplicate {
    /// Source lines of the dropped copy (first, last).
    pub dropped: (usize, usize),
    /// Source line where the kept copy starts.
    pub kept_from: usize,
    /// Lines present only in the dropped copy (they are lost with it; the report lists them).
    pub only_in_dropped: Vec<String>,
}

fn signature(lines: &[Line]) -> Vec<String> {
    lines
        .iter()
        .filter(|l| !l.is_blank())
        .map(|l| squash(&l.text))
        .collect()
}

/// Detects a document whose text occurs twice in a row and keeps the fuller copy. The second copy
/// starts with the first copy's first line, followed by the same next lines; and most lines of
/// each copy occur in the other.
pub fn dedupe(lines: Vec<Line>) -> (Vec<Line>, Option<Duplicate>) {
    let non_blank: Vec<usize> = (0..lines.len()).filter(|&i| !lines[i].is_blank()).collect();
    let Some(&first) = non_blank.first() else {
        return (lines, None);
    };
    let head: Vec<String> = non_blank
        .iter()
        .take(4)
        .map(|&i| squash(&lines[i].text))
        .collect();
    if head[0].chars().count() < 8 {
        return (lines, None);
    }
    let start_of_second = non_blank.iter().enumerate().skip(1).find_map(|(k, &i)| {
        let candidate: Vec<String> = non_blank[k..]
            .iter()
            .take(head.len())
            .map(|&j| squash(&lines[j].text))
            .collect();
        let same = candidate.iter().zip(&head).filter(|(a, b)| a == b).count();
        (squash(&lines[i].text) == head[0] && same + 1 >= head.len()).then_some(i)
    });
    let Some(second) = start_of_second else {
        return (lines, None);
    };
    let a = signature(&lines[first..second]);
    let b = signature(&lines[second..]);
    let set_a: std::collections::HashSet<&String> = a.iter().collect();
    let set_b: std::collections::HashSet<&String> = b.iter().collect();
    let common = set_a.intersection(&set_b).count();
    if common * 10 < set_a.len().min(set_b.len()) * 8 {
        return (lines, None);
    }
    let chars = |v: &[String]| v.iter().map(|s| s.chars().count()).sum::<usize>();
    let keep_first = chars(&a) >= chars(&b);
    let last_no = lines.last().map_or(0, |l| l.no);
    let (kept, dup) = if keep_first {
        let only: Vec<String> = b.iter().filter(|s| !set_a.contains(s)).cloned().collect();
        let dropped = (lines[second].no, last_no);
        let kept: Vec<Line> = lines[..second].to_vec();
        (
            kept,
            Duplicate {
                dropped,
                kept_from: lines[first].no,
                only_in_dropped: only,
            },
        )
    } else {
        let only: Vec<String> = a.iter().filter(|s| !set_b.contains(s)).cloned().collect();
        let dropped = (lines[first].no, lines[second - 1].no);
        let kept_from = lines[second].no;
        let kept: Vec<Line> = lines[second..].to_vec();
        (
            kept,
            Duplicate {
                dropped,
                kept_from,
                only_in_dropped: only,
            },
        )
    };
    (kept, Some(dup))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::lines::split;

    #[test]
    fn running_footers_and_page_numbers_go() {
        let text = "Protokoll 2020-11-24\n§ 1 A\ntext\nJusterandes sign\nUtdragsbestyrkande\n§ 2 B\nmer\nJusterandes sign\nUtdragsbestyrkande\nSida 2 av 3\n§ 3 C\nJusterandes sign\nUtdragsbestyrkande\nBeslut\nBeslut\nBeslut\n";
        let (kept, removed) = strip(split(text));
        let texts: Vec<&str> = kept.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "Protokoll 2020-11-24",
                "§ 1 A",
                "text",
                "§ 2 B",
                "mer",
                "§ 3 C",
                "Beslut",
                "Beslut",
                "Beslut"
            ]
        );
        assert_eq!(removed.len(), 3, "{removed:?}");
        assert_eq!(removed[0].lines, vec![4, 8, 12]);
    }

    #[test]
    fn a_document_extracted_twice_keeps_the_fuller_copy() {
        let copy = "Sammanträdesprotokoll nr 2 2025-03-11\nPlats och tid Åstorp\nBeslutande Anna\n§ 1 Öppnande\nText.\n";
        let text = format!("{copy}Underskrifter\nMagnus Lind\n{copy}");
        let (kept, dup) = dedupe(split(&text));
        let dup = dup.expect("duplicate found");
        assert_eq!(dup.dropped, (8, 12));
        assert_eq!(kept.len(), 7);
        assert!(dup.only_in_dropped.is_empty());
    }

    #[test]
    fn a_single_copy_is_left_alone() {
        let text = "Protokoll styrelsen 2025\n§ 1 A\nProtokoll styrelsen 2025\nannat\n";
        let (kept, dup) = dedupe(split(text));
        assert!(dup.is_none());
        assert_eq!(kept.len(), 4);
    }
}
