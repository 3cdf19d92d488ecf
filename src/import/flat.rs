//! Pages flattened to one line (web copies of protocols, some extractors): such a line is broken
//! again before each header label and each paragraph marker, so that the header and § rules see
//! the lines they expect. Only very long lines are touched; ordinary text is left as it is.

use super::header;
use super::lines::Line;
use regex::Regex;
use std::sync::LazyLock;

/// A line longer than this, holding at least two labels or markers, is a flattened page.
const FLAT_LINE_CHARS: usize = 300;

static MARKER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:§\s*\d{1,4}\s+\p{Lu}|\b\d{1,3}\.\s+\p{Lu}|\b\d{1,4}\s*§\s+\p{Lu}|\bANSLAG/BEVIS|\bANSLAGSBEVIS|\b(?:Beslut|Förslag till beslut)\s+(?:\p{Lu}|att\b))")
        .expect("static regex")
});

/// A bare number before a capitalised word, standing alone (not the end of a date, time or
/// range): a § whose glyph was dropped, or a numbered item. The § rules' chain decides.
static BARE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:^|\s)(\d{1,3}\.?\s+\p{Lu}\p{Ll})").expect("static regex"));

/// Byte offsets in `text` where a new line should start.
fn break_points(text: &str) -> Vec<usize> {
    let mut at: Vec<usize> = MARKER.find_iter(text).map(|m| m.start()).collect();
    at.extend(
        BARE.captures_iter(text)
            .filter_map(|c| c.get(1).map(|m| m.start()))
            .filter(|&p| {
                // "§ 14 Titel" is broken before the §; "Sida 4 (9)", "nr 8" are no markers.
                let before = text[..p].trim_end().to_lowercase();
                !before.ends_with('§')
                    && !["sida", "nr", "kl", "kl.", "punkt"]
                        .iter()
                        .any(|w| before.ends_with(w))
            }),
    );
    at.extend(header::label_starts(text));
    at.sort_unstable();
    at.dedup();
    at.retain(|&p| p > 0);
    at
}

static HEADING_START: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:\p{Lu}[\p{L}]{0,5}\s+)?(?:§\s*)?\d{1,4}(?:\s*§)?\.?\s+\S+")
        .expect("static regex")
});

/// A flattened heading runs on into its body ("§ 9 Mötets öppnande Ordföranden öppnade mötet"):
/// titles are written in sentence case, so the title ends before the next capitalised word.
/// Proper names in a title cut it short; the report's note on flattened pages asks for review.
fn split_title(piece: &str) -> Option<(&str, &str)> {
    let m = HEADING_START.find(piece)?;
    let rest = &piece[m.end()..];
    let mut offset = m.end();
    for w in rest.split_inclusive(' ') {
        let word = w.trim();
        if word.starts_with(|c: char| c.is_uppercase()) {
            let (title, body) = piece.split_at(offset);
            return Some((title.trim(), body.trim()));
        }
        offset += w.len();
    }
    None
}

/// Re-breaks flattened lines; every piece keeps the source line number of its line.
pub fn unflatten(lines: Vec<Line>) -> (Vec<Line>, usize) {
    let mut out = Vec::with_capacity(lines.len());
    let mut broken = 0;
    for l in lines {
        let points = if l.text.chars().count() > FLAT_LINE_CHARS {
            break_points(&l.text)
        } else {
            Vec::new()
        };
        if points.len() < 2 {
            out.push(l);
            continue;
        }
        broken += 1;
        let mut last = 0;
        for p in points.into_iter().chain(std::iter::once(l.text.len())) {
            let piece = l.text[last..p].trim();
            let mut push = |text: &str| {
                out.push(Line {
                    no: l.no,
                    text: text.to_string(),
                    page_start: l.page_start && last == 0,
                });
                out.push(Line {
                    no: l.no,
                    text: String::new(),
                    page_start: false,
                });
            };
            if !piece.is_empty() {
                match split_title(piece) {
                    Some((title, rest)) => {
                        push(title);
                        push(rest);
                    }
                    None => push(piece),
                }
            }
            last = p;
        }
    }
    (out, broken)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_flattened_page_is_broken_before_labels_and_markers() {
        let text = format!(
            "Styrelsen Plats och tid Kommunhuset, Hedby, kl 13.00-15.00 Beslutande Kalle Ragnarsson, ordförande Justering 2024-03-18 § 1 Mötets öppnande Ordföranden öppnade mötet. § 2 Val av justerare {}",
            "Text ".repeat(40)
        );
        let (lines, n) = unflatten(vec![Line {
            no: 1,
            text,
            page_start: false,
        }]);
        assert_eq!(n, 1);
        let texts: Vec<&str> = lines
            .iter()
            .map(|l| l.text.as_str())
            .filter(|t| !t.is_empty())
            .collect();
        assert!(texts.contains(&"Plats och tid Kommunhuset, Hedby, kl 13.00-15.00"));
        // The title ends before the next capitalised word; the body follows on its own line.
        assert!(texts.contains(&"§ 1 Mötets öppnande"));
        assert!(texts.contains(&"Ordföranden öppnade mötet."));
        let short = vec![Line {
            no: 1,
            text: "Plats och tid Kommunhuset Beslutande Anna".into(),
            page_start: false,
        }];
        assert_eq!(unflatten(short).1, 0);
    }
}
