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
    Regex::new(r"(?:§\s*\d{1,4}\s+\p{Lu}|\b\d{1,4}\s*§\s+\p{Lu}|\bANSLAG/BEVIS|\bANSLAGSBEVIS|\b(?:Beslut|Förslag till beslut)\s+(?:\p{Lu}|att\b))")
        .expect("static regex")
});

/// Byte offsets in `text` where a new line should start.
fn break_points(text: &str) -> Vec<usize> {
    let mut at: Vec<usize> = MARKER.find_iter(text).map(|m| m.start()).collect();
    at.extend(header::label_starts(text));
    at.sort_unstable();
    at.dedup();
    at.retain(|&p| p > 0);
    at
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
            if !piece.is_empty() {
                out.push(Line {
                    no: l.no,
                    text: piece.to_string(),
                    page_start: l.page_start && last == 0,
                });
                out.push(Line {
                    no: l.no,
                    text: String::new(),
                    page_start: false,
                });
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
        assert!(texts.contains(&"§ 1 Mötets öppnande Ordföranden öppnade mötet."));
        let short = vec![Line {
            no: 1,
            text: "Plats och tid Kommunhuset Beslutande Anna".into(),
            page_start: false,
        }];
        assert_eq!(unflatten(short).1, 0);
    }
}
