//! Personnummer, samordningsnummer and masked birth dates, in every way people write them.
//!
//! Reads a normalised text ([`super::normalize::View`]): ASCII digits, `-` for every dash, a
//! space for every space. A number is a *date part* and a *serial part* made of digit groups:
//! the date as `YYMMDD`, `YYYYMMDD`, `YY-MM-DD`, `YYYY.MM.DD`, `19 820629`, or letter-spaced
//! (`8 2 0 6 2 9`, as text extraction gives letter-spaced fonts); then a separator (none, `-`,
//! `+`, `.`, `/`, spaces, one line break, as in a folded YAML line); then four digits, `12 32`,
//! or a mask (`XXXX`, `****`, `12XX`). The date must be real (day + 60 for a
//! samordningsnummer) and the check digit right, which keeps amounts, dates, times, phone
//! numbers, organisationsnummer (month 20 and up) and diarienummer out.

use super::Kind;
use std::ops::Range;

/// One identity number found in a view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub kind: Kind,
    pub range: Range<usize>,
    /// A safe rendering for reports: the first four digits of the date only.
    pub shown: String,
    /// The date's digits and the serial's, without separators: what makes two findings the same.
    pub key: String,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Gap {
    /// The one separator character, if any (`-`, `+`, `.`, `/`).
    core: Option<u8>,
    space: bool,
    newline: bool,
}

impl Gap {
    fn is_space_only(self) -> bool {
        self.core.is_none() && self.space && !self.newline
    }

    /// A wrapped line: a line break (and indentation), nothing else.
    fn is_line_break(self) -> bool {
        self.core.is_none() && self.newline
    }
}

/// What follows a group: another group after a gap, a mask, or the end.
#[derive(Debug, Clone)]
struct Group {
    range: Range<usize>,
    /// The gap before this group (default for the first).
    gap: Gap,
}

/// Groups longer than this are some other number.
const MAX_GROUPS: usize = 16;

fn digit(b: Option<&u8>) -> bool {
    b.is_some_and(u8::is_ascii_digit)
}

/// The gap at `at`: spaces, at most one line break (a list bullet after it ends the gap), at
/// most one separator. `None` when what follows is not a digit group (or a mask).
fn gap_at(bytes: &[u8], mut at: usize) -> Option<(Gap, usize)> {
    let mut gap = Gap::default();
    let start = at;
    while let Some(&b) = bytes.get(at) {
        match b {
            b' ' => gap.space = true,
            b'\n' if !gap.newline => gap.newline = true,
            b'-' | b'+' | b'.' | b'/' if gap.core.is_none() => {
                // `\n- ` starts a list item, not the rest of a number.
                if gap.newline && bytes.get(at + 1) == Some(&b' ') {
                    return None;
                }
                gap.core = Some(b);
            }
            _ => break,
        }
        at += 1;
        if at - start > 12 {
            return None;
        }
    }
    (at > start).then_some((gap, at))
}

fn mask_len(bytes: &[u8], at: usize) -> Option<usize> {
    let run = bytes[at..]
        .iter()
        .take(5)
        .take_while(|b| b.is_ascii_digit() || matches!(b, b'X' | b'x' | b'*'))
        .count();
    let masked = bytes[at..at + run.min(4)]
        .iter()
        .any(|b| matches!(b, b'X' | b'x' | b'*'));
    let after = bytes.get(at + 4);
    (run == 4 && masked && after.is_none_or(|b| !b.is_ascii_alphanumeric())).then_some(4)
}

/// The digit groups from `start`, each with the gap before it.
fn groups_from(bytes: &[u8], start: usize) -> Vec<Group> {
    let mut groups = Vec::new();
    let mut at = start;
    let mut gap = Gap::default();
    while groups.len() < MAX_GROUPS {
        let len = bytes[at..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count();
        if len == 0 {
            break;
        }
        groups.push(Group {
            range: at..at + len,
            gap,
        });
        at += len;
        match gap_at(bytes, at) {
            Some((g, next)) if digit(bytes.get(next)) => {
                gap = g;
                at = next;
            }
            _ => break,
        }
    }
    groups
}

/// A date part: how many groups it takes and its digits.
fn date_parts(bytes: &[u8], groups: &[Group]) -> Vec<(usize, String, bool)> {
    let text = |r: &Range<usize>| String::from_utf8_lossy(&bytes[r.clone()]).into_owned();
    let lens: Vec<usize> = groups.iter().map(|g| g.range.len()).collect();
    let mut out = Vec::new();
    if matches!(lens[0], 6 | 8) {
        out.push((1, text(&groups[0].range), false));
    }
    // YY-MM-DD, YYYY.MM.DD, YY MM DD: one separator throughout, no line break.
    if lens.len() >= 3 && matches!(lens[0], 2 | 4) && lens[1] == 2 && lens[2] == 2 {
        let (a, b) = (groups[1].gap, groups[2].gap);
        let same = a == b && !a.newline && (a.core.is_some_and(|c| c != b'+') || a.space);
        if same {
            let digits: String = groups[..3].iter().map(|g| text(&g.range)).collect();
            out.push((3, digits, a.core.is_some()));
        }
    }
    // A line wrapped inside the date: `7503` / `14-4821`.
    if lens.len() >= 2 && matches!(lens[0] + lens[1], 6 | 8) && groups[1].gap.is_line_break() {
        out.push((2, text(&groups[0].range) + &text(&groups[1].range), false));
    }
    // 19 820629: the century apart.
    if lens.len() >= 2 && lens[0] == 2 && lens[1] == 6 && groups[1].gap.is_space_only() {
        out.push((2, text(&groups[0].range) + &text(&groups[1].range), false));
    }
    // Letter-spaced digits.
    for n in [6, 8] {
        if lens.len() >= n
            && lens[..n].iter().all(|&l| l == 1)
            && groups[1..n].iter().all(|g| g.gap.is_space_only())
        {
            let digits: String = groups[..n].iter().map(|g| text(&g.range)).collect();
            out.push((n, digits, false));
        }
    }
    out
}

/// The serial part after `used` groups: four digits, `12 32` or letter-spaced. Returns its
/// digits and end.
fn serial_part(
    bytes: &[u8],
    groups: &[Group],
    used: usize,
    spaced: bool,
) -> Option<(String, usize)> {
    let rest = &groups[used..];
    let text = |r: &Range<usize>| String::from_utf8_lossy(&bytes[r.clone()]).into_owned();
    let lens: Vec<usize> = rest.iter().map(|g| g.range.len()).collect();
    if spaced {
        if lens.len() >= 4
            && lens[..4].iter().all(|&l| l == 1)
            && rest[1..4].iter().all(|g| g.gap.is_space_only())
        {
            let digits: String = rest[..4].iter().map(|g| text(&g.range)).collect();
            return Some((digits, rest[3].range.end));
        }
        return None;
    }
    match lens.as_slice() {
        [4, ..] => Some((text(&rest[0].range), rest[0].range.end)),
        [2, 2, ..] if rest[1].gap.is_space_only() => Some((
            text(&rest[0].range) + &text(&rest[1].range),
            rest[1].range.end,
        )),
        // A line wrapped inside the serial: `48` / `21`.
        [a, b, ..] if a + b == 4 && rest[1].gap.is_line_break() => Some((
            text(&rest[0].range) + &text(&rest[1].range),
            rest[1].range.end,
        )),
        _ => None,
    }
}

/// Whether the number ending at `end` goes on (more digits, or `-5`, `.5`, `,5`, `:5`).
fn continues(bytes: &[u8], end: usize) -> bool {
    digit(bytes.get(end))
        || (matches!(bytes.get(end), Some(b'-' | b'.' | b'/' | b',' | b':'))
            && digit(bytes.get(end + 1)))
}

/// Whether the digits at `start` continue a number before them.
fn continued(bytes: &[u8], start: usize) -> bool {
    let before = start.checked_sub(1).map(|i| bytes[i]);
    let before2 = start.checked_sub(2).map(|i| bytes[i]);
    before.is_some_and(|b| b.is_ascii_digit())
        || (matches!(before, Some(b'-' | b'.' | b'/' | b',' | b':'))
            && before2.is_some_and(|b| b.is_ascii_digit()))
}

/// Whether the number at `range` is part of a longer code: letters and digits run on around it
/// and hold digits of their own (`3f9a8206291232b`, `id48206291232`), or the whole run is a
/// hexadecimal hash of 16 characters or more. `pnr8206291232` is not a code: letters alone.
fn inside_a_code(bytes: &[u8], range: &Range<usize>) -> bool {
    let alnum = |b: &u8| b.is_ascii_alphanumeric();
    let before_len = bytes[..range.start]
        .iter()
        .rev()
        .take_while(|b| alnum(b))
        .count();
    let after_len = bytes[range.end..].iter().take_while(|b| alnum(b)).count();
    let before = &bytes[range.start - before_len..range.start];
    let after = &bytes[range.end..range.end + after_len];
    if before.iter().chain(after).any(u8::is_ascii_digit) {
        return true;
    }
    let whole = &bytes[range.start - before_len..range.end + after_len];
    whole.len() >= 16 && (before_len + after_len) > 0 && whole.iter().all(u8::is_ascii_hexdigit)
}

/// Every identity number (or masked birth date) in a normalised text.
pub fn find(text: &str) -> Vec<Found> {
    let bytes = text.as_bytes();
    let mut found = find_all(text);
    found.retain(|f| !inside_a_code(bytes, &f.range));
    found
}

fn find_all(text: &str) -> Vec<Found> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    let mut at = 0;
    while let Some(i) = bytes[at..].iter().position(u8::is_ascii_digit) {
        let start = at + i;
        let run_end = bytes[start..]
            .iter()
            .position(|b| !b.is_ascii_digit())
            .map_or(bytes.len(), |j| start + j);
        at = run_end;
        if continued(bytes, start) {
            continue;
        }
        if let Some(f) = whole_run(bytes, start..run_end) {
            found.push(f);
            continue;
        }
        if !may_start_a_date(bytes, start, run_end) {
            continue;
        }
        let groups = groups_from(bytes, start);
        for (used, date, separated) in date_parts(bytes, &groups) {
            if let Some(f) = after_date(bytes, &groups, used, &date, separated) {
                found.push(f);
                break;
            }
        }
    }
    found
}

/// Whether the digit run `start..end` can begin a date part: a run of 6 or 8 digits, or of 1,
/// 2 or 4 digits that a gap and more digits follow. Most runs on a page (years, amounts, §
/// numbers, times) fail this at once.
fn may_start_a_date(bytes: &[u8], start: usize, end: usize) -> bool {
    match end - start {
        6 | 8 => true,
        1 | 2 | 4 => gap_at(bytes, end).is_some_and(|(_, next)| digit(bytes.get(next))),
        _ => false,
    }
}

/// `YYMMDDNNNN` and `YYYYMMDDNNNN` written without a separator.
fn whole_run(bytes: &[u8], run: Range<usize>) -> Option<Found> {
    if !matches!(run.len(), 10 | 12) || continues(bytes, run.end) {
        // A masked twelve-digit form (`19820629XXXX`) is a run of eight and a mask.
        if run.len() == 8
            && let Some(len) = mask_len(bytes, run.end)
        {
            let date = String::from_utf8_lossy(&bytes[run.clone()]).into_owned();
            super::birth_date_kind(&date)?;
            return Some(masked(run.start..run.end + len, &date));
        }
        return None;
    }
    let digits = std::str::from_utf8(&bytes[run.clone()]).ok()?;
    let (date, serial) = digits.split_at(digits.len() - 4);
    identity(run, date, serial)
}

fn after_date(
    bytes: &[u8],
    groups: &[Group],
    used: usize,
    date: &str,
    separated: bool,
) -> Option<Found> {
    super::birth_date_kind(date)?;
    let start = groups[0].range.start;
    let date_end = groups[used - 1].range.end;
    let spaced = used >= 6;
    // A mask right after the date's separator.
    if let Some((gap, next)) = gap_at(bytes, date_end)
        && let Some(len) = mask_len(bytes, next)
        && (gap.core.is_some() || date.len() == 8)
    {
        return Some(masked(start..next + len, date));
    }
    let serial_gap = groups.get(used)?.gap;
    // A date written with separators needs a dash or plus before the serial: `1982-06-29-1232`.
    if separated && !matches!(serial_gap.core, Some(b'-' | b'+')) {
        return None;
    }
    let (serial, end) = serial_part(bytes, groups, used, spaced)?;
    if continues(bytes, end) {
        return None;
    }
    identity(start..end, date, &serial)
}

fn masked(range: Range<usize>, date: &str) -> Found {
    Found {
        kind: Kind::MaskedBirthDate,
        range,
        shown: format!("{}…-XXXX", &date[..4]),
        key: date.to_string(),
    }
}

fn identity(range: Range<usize>, date: &str, serial: &str) -> Option<Found> {
    let coordination = super::birth_date_kind(date)?;
    let ten: Vec<u8> = date[date.len() - 6..]
        .bytes()
        .chain(serial.bytes())
        .map(|b| b - b'0')
        .collect();
    if !super::luhn_valid(&ten) {
        return None;
    }
    Some(Found {
        kind: if coordination {
            Kind::Samordningsnummer
        } else {
            Kind::Personnummer
        },
        range,
        shown: format!("{}…-****", &date[..4]),
        key: format!("{}{serial}", &date[date.len() - 6..]),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<(Kind, &str)> {
        find(text)
            .into_iter()
            .map(|f| (f.kind, &text[f.range]))
            .collect()
    }

    #[test]
    fn the_written_forms() {
        // 820629-1232 has a valid check digit (the example).
        for text in [
            "820629-1232",
            "19820629-1232",
            "820629 1232",
            "19820629 1232",
            "8206291232",
            "198206291232",
            "820629+1232",
            "820629.1232",
            "820629/1232",
            "820629 - 1232",
            "820629-\n  1232",
            "820629\n1232",
            "8206\n  29-1232",
            "820629-12\n32",
            "82-06-29-1232",
            "1982-06-29-1232",
            "82.06.29-1232",
            "19 820629-1232",
            "820629-12 32",
            "8 2 0 6 2 9 - 1 2 3 2",
            "pnr820629-1232",
            "820629-1232pnr",
        ] {
            let f = found(text);
            let number = text.trim_start_matches("pnr").trim_end_matches("pnr");
            assert_eq!(
                f.first(),
                Some(&(Kind::Personnummer, number)),
                "{text:?}: {f:?}"
            );
        }
    }

    #[test]
    fn masks_that_show_a_birth_date() {
        for text in [
            "19820629-XXXX",
            "820629-xxxx",
            "19820629XXXX",
            "820629-****",
            "820629-12XX",
        ] {
            assert_eq!(
                found(text).first().map(|f| f.0),
                Some(Kind::MaskedBirthDate),
                "{text}"
            );
        }
        assert!(found("820629XXXX").is_empty(), "too weak without separator");
    }

    #[test]
    fn numbers_that_are_not_identity_numbers() {
        for text in [
            "070-123 45 67",
            "0701-23 45 67",
            "08-12 34 56",
            "222000-1347",
            "16222000-1347",
            "5050-1055",
            "12 34 56-7",
            "2025-03-11 - 2025-03-20",
            "13.00-14.30",
            "Dnr 2024-00123",
            "10 674 888 kr",
            "820629-1232-5",
            "1820629-1232",
            "- 820629\n- 1232",
            "3f9a8206291232ab",
            "abcdef8206291232",
            "id4x8206291232",
            "t-8206291232ff00.bin",
        ] {
            assert!(found(text).is_empty(), "{text}: {:?}", found(text));
        }
    }
}
