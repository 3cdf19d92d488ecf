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
    Regex::new(r"(?:§\s*\d{1,4}[.:]?\s+(?:[–-]\s+)?\p{Lu}|\b\d{1,3}\.\s+\p{Lu}|\b\d{1,4}\s*§\s+\p{Lu}|\bANSLAG/BEVIS|\bANSLAGSBEVIS|\b(?:Beslut|Förslag till beslut):?\s+(?:\p{Lu}|att\b))")
        .expect("static regex")
});

/// A bare number before a capitalised word, standing alone (not the end of a date, time or
/// range): a § whose glyph was dropped, or a numbered item. The § rules' chain decides.
static BARE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:^|\s)(\d{1,3}\.?\s+\p{Lu}\p{Ll})").expect("static regex"));

/// Where a sentence ends and the next begins with a capital: a soft break (a new line in the
/// same paragraph), so a place written after the title's sentence stands on its own line as it
/// did on the page. An abbreviation ("ordf. Anna Berg") breaks too, which only separates people.
static SENTENCE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:[\p{L})]|\b\d{4})[.!?]\s+(\p{Lu})").expect("static regex"));

/// The signature block at the foot ("Vid protokollet", "Justeras den …"): its own lines, so the
/// foot rules read it.
static FOOT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?:Vid protokollet|Justeras|Justerat|Protokollet är justerat)\b")
        .expect("static regex")
});

/// Byte offsets in `text` where a new line should start, each with whether it also starts a new
/// paragraph (labels, markers, the foot) or only a new line (a sentence).
fn breaks(text: &str) -> Vec<(usize, bool)> {
    let mut out: Vec<(usize, bool)> = break_points(text).into_iter().map(|p| (p, true)).collect();
    out.extend(FOOT.find_iter(text).map(|m| (m.start(), true)));
    out.extend(
        SENTENCE
            .captures_iter(text)
            .filter_map(|c| c.get(1))
            .map(|m| (m.start(), false)),
    );
    // A hard break wins over a soft one at the same place.
    out.sort_unstable_by_key(|&(p, hard)| (p, !hard));
    out.dedup_by_key(|&mut (p, _)| p);
    out.retain(|&(p, _)| p > 0);
    out
}

/// Text ending in a paragraph number: "… § 5.", "… Ks 12", "… 7.".
static AFTER_MARKER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:(?:\p{Lu}[\p{L}]{0,5}\s+)?§\s*\d{1,4}|\b\d{1,4}\s*§|(?:^|\s)\p{Lu}[\p{L}]{0,5}\s+\d{1,4}|(?:^|\s)\d{1,3}\.)[.:]?$")
        .expect("static regex")
});

/// Byte offsets in `text` where a new paragraph should start: labels and markers.
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
    // A label word right after a § number is the title ("… mötet. § 5. Övriga frågor"), not a
    // label; a number after a name is an attendance note ("Kent Dal § 40. Justering …").
    at.extend(header::label_starts(text).into_iter().filter(|&p| {
        let before = text[..p].trim_end();
        let Some(m) = AFTER_MARKER.find(before) else {
            return true;
        };
        let word = before[..m.start()].split_whitespace().next_back();
        word.is_some_and(|w| w.starts_with(char::is_uppercase) && w.ends_with(char::is_alphabetic))
    }));
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
            breaks(&l.text)
        } else {
            Vec::new()
        };
        if points.iter().filter(|(_, hard)| *hard).count() < 2 {
            out.push(l);
            continue;
        }
        broken += 1;
        let mut last = 0;
        // Whether the piece starting at `last` follows a hard break (or the line's start).
        let mut hard_before = true;
        let end = std::iter::once((l.text.len(), true));
        for (p, hard) in points.into_iter().chain(end) {
            let piece = l.text[last..p].trim();
            let mut push = |text: &str, blank: bool| {
                out.push(Line {
                    no: l.no,
                    text: text.to_string(),
                    page_start: l.page_start && last == 0,
                });
                if blank {
                    out.push(Line {
                        no: l.no,
                        text: String::new(),
                        page_start: false,
                    });
                }
            };
            if !piece.is_empty() {
                match split_title(piece).filter(|_| hard_before) {
                    Some((title, rest)) => {
                        push(title, true);
                        push(rest, hard);
                    }
                    None => push(piece, hard),
                }
            }
            last = p;
            hard_before = hard;
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

    #[test]
    fn sentences_and_the_foot_get_their_own_lines() {
        let text = format!(
            "Styrelsens protokoll Protokoll från sammanträdet den 12 mars 2025. Kansliet, Bruksgatan 7, Älvsby kl 13.15 - 15.45 Beslutande: Lena Ek (S) ordf. Mats Ås (M) § 12 Val av justerare Mats Ås utses att justera. {} Vid protokollet Olle Brink Justeras den 19 mars 2025 Lena Ek Mats Ås",
            "Text text. ".repeat(30)
        );
        let (lines, n) = unflatten(vec![Line {
            no: 1,
            text,
            page_start: false,
        }]);
        assert_eq!(n, 1);
        let texts: Vec<&str> = lines.iter().map(|l| l.text.as_str()).collect();
        assert!(
            texts.contains(&"Kansliet, Bruksgatan 7, Älvsby kl 13.15 - 15.45"),
            "{texts:#?}"
        );
        assert!(
            texts.contains(&"Justeras den 19 mars 2025 Lena Ek Mats Ås"),
            "{texts:#?}"
        );
        assert!(texts.contains(&"§ 12 Val av justerare"), "{texts:#?}");
        // A label word as the title's first word stays in the title.
        let (lines, _) = unflatten(vec![Line {
            no: 1,
            text: format!(
                "Plats Kansliet Tid kl 13 Beslutande Anna Ek § 4. Budget {} § 5. Övriga frågor Inga övriga frågor.",
                "ord ".repeat(80)
            ),
            page_start: false,
        }]);
        assert!(
            lines.iter().any(|l| l.text == "§ 5. Övriga frågor"),
            "{lines:#?}"
        );
        // A number before a title is no sentence end: "2025. Kansliet" breaks, "7. Val" does not.
        let (lines, _) = unflatten(vec![Line {
            no: 1,
            text: format!(
                "Plats Kansliet Tid kl 13 Justering 2019-05-20 7. Val av justerare Anna Ek valdes. 8. Budget {}",
                "ord ".repeat(80)
            ),
            page_start: false,
        }]);
        assert!(
            lines.iter().any(|l| l.text == "7. Val av justerare"),
            "{lines:#?}"
        );
    }
}
