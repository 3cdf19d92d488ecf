//! Text recognised from a scan (OCR) gets letters and digits wrong in the places the rules look
//! at: labels lose their diacritics or break ("Sammantradesdatum", "Nar- varande", "Besiutande"),
//! digits and letters swap ("2O24-O3-l4", "kl. l3.OO"), the § glyph is read as "S" or "$".
//! This pass repairs those places in the line model — a label that matches a known one once
//! both are folded (case, diacritics, l/1/i, O/0, rn/m, a hyphen and a break inside a word), a
//! date or time whose digits were read as letters, a month name, a run of "S N" headings — and
//! says which lines it changed. Anything else stays as read: names and places are not guessed.
//! A text with such repairs, or with words where a digit stands between letters ("Ann1ka"), is
//! treated as recognised from a scan: every header value read from it is flagged for review.

use super::header;
use super::lines::Line;
use crate::anslag::calendar::MONTH_NAMES as MONTHS;
use regex::Regex;
use std::sync::LazyLock;

/// What the pass changed, by source line.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Repairs {
    pub labels: Vec<usize>,
    pub digits: Vec<usize>,
    pub markers: Vec<usize>,
    /// Words with a digit between letters: OCR noise no rule repairs.
    pub noisy_words: usize,
}

impl Repairs {
    /// Whether the text shows the marks of OCR.
    pub fn is_ocr(&self) -> bool {
        !self.labels.is_empty()
            || !self.digits.is_empty()
            || !self.markers.is_empty()
            || self.noisy_words >= 2
    }
}

/// One character folded the way OCR confuses it, with the byte where it ends in the source.
fn fold(s: &str) -> Vec<(char, usize)> {
    let chars: Vec<(usize, char)> = s.char_indices().collect();
    let end = |k: usize| chars.get(k + 1).map_or(s.len(), |&(b, _)| b);
    let mut out = Vec::with_capacity(chars.len());
    let mut k = 0;
    while k < chars.len() {
        let c = chars[k].1;
        let lower = c.to_lowercase().next().unwrap_or(c);
        // A word broken by a hyphen at the end of a scanned line: "Nar- varande".
        if c == '-' && k > 0 && chars[k - 1].1.is_alphabetic() {
            let mut j = k + 1;
            while j < chars.len() && chars[j].1 == ' ' {
                j += 1;
            }
            if j > k + 1 && chars.get(j).is_some_and(|&(_, n)| n.is_lowercase()) {
                k = j;
                continue;
            }
        }
        if lower == 'r' && chars.get(k + 1).is_some_and(|&(_, n)| n == 'n') {
            out.push(('m', end(k + 1)));
            k += 2;
            continue;
        }
        let folded = match lower {
            '\u{308}' | '\u{30a}' | '\u{301}' | '¨' | '´' | '˚' => None,
            'å' | 'ä' | 'à' | 'á' | 'â' => Some('a'),
            'ö' | 'ø' | 'ó' | 'ò' | 'ô' | '0' => Some('o'),
            'é' | 'è' | 'ê' => Some('e'),
            'ü' => Some('u'),
            '1' | '|' | '!' | 'i' | 'í' | 'ì' | 'ï' | 'l' => Some('l'),
            other => Some(other),
        };
        if let Some(f) = folded {
            out.push((f, end(k)));
        }
        k += 1;
    }
    out
}

fn folded_string(s: &str) -> String {
    fold(s).into_iter().map(|(c, _)| c).collect()
}

/// Known labels, folded, longest first (as the header matches them).
static LABELS: LazyLock<Vec<(&'static str, String)>> = LazyLock::new(|| {
    let mut v: Vec<(&'static str, String)> = header::label_names()
        .map(|l| (l, folded_string(l)))
        .collect();
    v.sort_by_key(|(l, _)| std::cmp::Reverse(l.chars().count()));
    v
});

/// The label at the start of `text`, matched after folding: the canonical label and the byte
/// length of the source text it covers. Only labels of at least five letters are matched this
/// way ("Tid" and "Plats" are too short to tell from other words once folded).
fn fuzzy_label(text: &str) -> Option<(&'static str, usize)> {
    let folded = fold(text);
    for (label, flabel) in LABELS.iter() {
        if flabel.chars().count() < 6 {
            continue;
        }
        let n = flabel.chars().count();
        if folded.len() < n {
            continue;
        }
        if !folded[..n].iter().map(|(c, _)| *c).eq(flabel.chars()) {
            continue;
        }
        if folded.get(n).is_some_and(|(c, _)| c.is_alphanumeric()) {
            continue;
        }
        return Some((label, folded[n - 1].1));
    }
    None
}

/// Where a label may start on a line: its start and after a column gap.
fn label_positions(text: &str) -> Vec<usize> {
    let mut at = Vec::new();
    let lead = text.len() - text.trim_start().len();
    at.push(lead);
    let bytes = text.as_bytes();
    let mut k = lead;
    while k < bytes.len() {
        if bytes[k] == b'\t' || (bytes[k] == b' ' && bytes.get(k + 1) == Some(&b' ')) {
            let mut j = k;
            while j < bytes.len() && (bytes[j] == b' ' || bytes[j] == b'\t') {
                j += 1;
            }
            if j < bytes.len() {
                at.push(j);
            }
            k = j;
        } else {
            k += 1;
        }
    }
    at
}

/// Repairs OCR-damaged labels on one line; true when something changed.
fn repair_labels(text: &mut String) -> bool {
    let mut changed = false;
    for p in label_positions(text).into_iter().rev() {
        let Some(rest) = text.get(p..) else { continue };
        let Some((label, len)) = fuzzy_label(rest) else {
            continue;
        };
        let found = &rest[..len];
        if found.to_lowercase() == label {
            continue;
        }
        let mut fixed = label.to_string();
        if found.starts_with(|c: char| c.is_uppercase()) {
            fixed = capitalise(&fixed);
        }
        if found
            .chars()
            .filter(|c| c.is_alphabetic())
            .all(char::is_uppercase)
        {
            fixed = fixed.to_uppercase();
        }
        text.replace_range(p..p + len, &fixed);
        changed = true;
    }
    changed
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// Digit-like runs: dates (`2O24-O3-l4`), times (`l3.OO-l5.3O`) and numbers such as years
/// (`2O22`).
static DIGITISH: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[0-9OolI|]{1,2}[.:][0-9OolI|]{2}\s*[-–]\s*[0-9OolI|]{1,2}[.:][0-9OolI|]{2}|[0-9OolI|]{2,4}[-./][0-9OolI|]{1,2}[-./][0-9OolI|]{2,4}|[0-9OolI|]{1,2}[.:][0-9OolI|]{2}|[0-9OolI|]{3,4}")
        .expect("static regex")
});

fn digit_of(c: char) -> char {
    match c {
        'O' | 'o' => '0',
        'l' | 'I' | '|' => '1',
        c => c,
    }
}

/// Repairs dates and times whose digits were read as letters; true when something changed.
fn repair_digits(text: &mut String) -> bool {
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    let mut changed = false;
    for m in DIGITISH.find_iter(text) {
        let s = m.as_str();
        let before = text[..m.start()].chars().next_back();
        let after = text[m.end()..].chars().next();
        let alone = before.is_none_or(|c| !c.is_alphanumeric())
            && after.is_none_or(|c| !c.is_alphanumeric());
        let digits = s.chars().filter(char::is_ascii_digit).count();
        let lookalikes = s.chars().filter(|c| "OolI|".contains(*c)).count();
        // The shape of a date or time with at least two real digits: not a word.
        if !alone || lookalikes == 0 || digits < 2 {
            continue;
        }
        out.push_str(&text[last..m.start()]);
        out.extend(s.chars().map(digit_of));
        last = m.end();
        changed = true;
    }
    if changed {
        out.push_str(&text[last..]);
        *text = out;
    }
    changed
}

static WORD_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b([0-9lIO|]{1,2})\s+(\p{L}{3,10})\s+([0-9lIO|]{4})\b").expect("static regex")
});

/// "l4 rnars 2O24" → "14 mars 2024"; true when something changed.
fn repair_word_dates(text: &mut String) -> bool {
    let mut changed = false;
    let fixed = WORD_DATE.replace_all(text, |c: &regex::Captures<'_>| {
        let word = &c[2];
        let month = MONTHS
            .iter()
            .find(|m| folded_string(m) == folded_string(word));
        let day: String = c[1].chars().map(digit_of).collect();
        let year: String = c[3].chars().map(digit_of).collect();
        let real_digits = c[1]
            .chars()
            .chain(c[3].chars())
            .filter(char::is_ascii_digit)
            .count();
        match month {
            Some(m)
                if real_digits >= 3 && day.parse::<u32>().is_ok_and(|d| (1..=31).contains(&d)) =>
            {
                let out = format!("{day} {m} {year}");
                if out != c[0] {
                    changed = true;
                }
                out
            }
            _ => c[0].to_string(),
        }
    });
    if changed {
        *text = fixed.into_owned();
    }
    changed
}

/// A heading whose § was read as "S" or "$", or whose number has letters for digits.
static OCR_MARKER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(\s*(?:\p{Lu}[\p{L}]{0,5}\s+)?)(?:[S$]\s?|§\s*)([0-9lIO|]{1,4})(\s*[.:]?\s+\p{Lu}.*)$",
    )
    .expect("static regex")
});

/// Repairs "S 12 Titel" headings when at least two of them rise, as §§ do.
fn repair_markers(lines: &mut [Line]) -> Vec<usize> {
    let mut found: Vec<(usize, u32)> = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        let Some(c) = OCR_MARKER.captures(&l.text) else {
            continue;
        };
        let t = l.text.trim_start();
        let number: String = c[2].chars().map(digit_of).collect();
        let already = t.contains('§') && c[2].chars().all(|ch| ch.is_ascii_digit());
        // "lOl" may be all letters; one letter alone ("S I Kommunen") is no number.
        if already || (c[2].chars().count() < 2 && !c[2].chars().any(|ch| ch.is_ascii_digit())) {
            continue;
        }
        if let Ok(n) = number.parse() {
            found.push((i, n));
        }
    }
    let rising = found.windows(2).filter(|w| w[1].1 > w[0].1).count();
    if found.len() < 2 || rising + 1 < found.len().div_ceil(2) {
        return Vec::new();
    }
    let mut changed = Vec::new();
    for (i, n) in found {
        let l = &mut lines[i];
        let Some(c) = OCR_MARKER.captures(&l.text) else {
            continue;
        };
        l.text = format!("{}§ {n}{}", &c[1], &c[3]);
        changed.push(l.no);
    }
    changed
}

static NOISY_WORD: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\p{L}[0-9|]\p{L}").expect("static regex"));

/// Repairs OCR damage in the lines, in place, and says what it changed.
pub fn repair(lines: &mut [Line]) -> Repairs {
    let mut r = Repairs::default();
    for l in lines.iter_mut() {
        if l.text.trim().is_empty() {
            continue;
        }
        r.noisy_words += NOISY_WORD.find_iter(&l.text).count();
        if repair_labels(&mut l.text) {
            r.labels.push(l.no);
        }
        let d = repair_digits(&mut l.text);
        let w = repair_word_dates(&mut l.text);
        if d || w {
            r.digits.push(l.no);
        }
    }
    r.markers = repair_markers(lines);
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(text: &str) -> Line {
        Line {
            no: 1,
            text: text.to_string(),
            page_start: false,
        }
    }

    fn fixed(text: &str) -> String {
        let mut l = vec![line(text)];
        repair(&mut l);
        l.remove(0).text
    }

    #[test]
    fn damaged_labels_are_read_as_the_labels_they_were() {
        assert_eq!(
            fixed("Sammantradesdatum 2024-03-14"),
            "Sammanträdesdatum 2024-03-14"
        );
        assert_eq!(
            fixed("Nar- varande ersattare: Bo Ek"),
            "Närvarande ersättare: Bo Ek"
        );
        assert_eq!(
            fixed("Besiutande    Anna Berg (S)"),
            "Beslutande    Anna Berg (S)"
        );
        assert_eq!(
            fixed("Direktionen          Sammantr&desdatum 2021-05-18"),
            "Direktionen          Sammantr&desdatum 2021-05-18"
        );
        assert_eq!(
            fixed("Direktionen          SAMMANTRADESDATUM 2021-05-18"),
            "Direktionen          SAMMANTRÄDESDATUM 2021-05-18"
        );
        assert_eq!(
            fixed("Justeringens p1ats och tid"),
            "Justeringens plats och tid"
        );
        // Words that only look alike once folded are not labels.
        assert_eq!(
            fixed("Beslutanderätt har ledamöterna"),
            "Beslutanderätt har ledamöterna"
        );
        assert_eq!(fixed("Anna Berg, ordförande"), "Anna Berg, ordförande");
    }

    #[test]
    fn digits_read_as_letters_are_repaired_in_dates_and_times_only() {
        assert_eq!(fixed("Datum 2O24-O3-l4"), "Datum 2024-03-14");
        assert_eq!(fixed("Tid kl. l3.OO-l5.3O"), "Tid kl. 13.00-15.30");
        assert_eq!(fixed("den l4 rnars 2O24"), "den 14 mars 2024");
        assert_eq!(fixed("Bo/Ola 2024"), "Bo/Ola 2024");
        assert_eq!(fixed("Kl. 13.00-15.00"), "Kl. 13.00-15.00");
        assert_eq!(fixed("Budget 2O25 och lOl"), "Budget 2025 och lOl");
    }

    #[test]
    fn section_signs_read_as_s_are_repaired_when_they_rise() {
        let mut lines = vec![
            line("S 12 Val av justerare"),
            line("Text."),
            line("$ 13 Budget 2025"),
            line("§ l4 Avslutning"),
        ];
        let r = repair(&mut lines);
        assert_eq!(r.markers.len(), 3);
        assert_eq!(lines[0].text, "§ 12 Val av justerare");
        assert_eq!(lines[2].text, "§ 13 Budget 2025");
        assert_eq!(lines[3].text, "§ 14 Avslutning");
        assert!(r.is_ocr());
        // An organ's prefix stays; a number read as letters is repaired.
        let mut prefixed = vec![
            line("BN S lOl   Val av justerare"),
            line("BN S lO2   Budget"),
        ];
        assert_eq!(repair(&mut prefixed).markers.len(), 2);
        assert_eq!(prefixed[0].text, "BN § 101   Val av justerare");
        // One "S 3" alone is no heading.
        let mut lone = vec![line("S 3 Kommunen")];
        assert!(repair(&mut lone).markers.is_empty());
        let mut clean = vec![
            line("Plats och tid Kansliet, kl 13.00-15.00"),
            line("§ 1 Budget"),
        ];
        assert!(!repair(&mut clean).is_ocr());
    }
}
