//! Meeting dates written in a query. A reader who types "2025-03-11", "11 mars 2025", "den 11:e
//! mars 2025", "11/3 2025", "11.3.2025" or "mars 2025" means the meeting of that day (or month):
//! the date becomes a filter on the meeting date and its words are not searched for. A date that
//! does not exist ("2025-02-30") is reported, not silently matched against nothing.
//!
//! Dates are day numbers (days since 1970-01-01), as the static index stores meeting days.

use crate::analysis::words;

/// Swedish month names; a month is also recognised by its first three letters ("mar", "sept").
pub const MONTHS: [&str; 12] = [
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
];

/// An inclusive range of meeting days.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DayRange {
    pub from: i32,
    pub to: i32,
}

/// What [`find`] read in a query.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QueryDate {
    /// The days meant, when the date exists.
    pub range: Option<DayRange>,
    /// The date as written, when it does not exist ("2025-02-30").
    pub invalid: Option<String>,
    /// Byte ranges of the query taken by dates: their words are not searched for.
    pub spans: Vec<(usize, usize)>,
}

/// Days since 1970-01-01 of a proleptic Gregorian date, or `None` when it does not exist.
pub fn day_number(year: i32, month: u32, day: u32) -> Option<i32> {
    if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
        return None;
    }
    // Howard Hinnant's days_from_civil.
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = month as i32;
    let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + day as i32 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

/// The ISO date `ÅÅÅÅ-MM-DD` of a day number.
pub fn iso_of(day: i32) -> String {
    // Howard Hinnant's civil_from_days.
    let z = day + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i32::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 31,
    }
}

/// The day number of an ISO date `ÅÅÅÅ-MM-DD` (the form fields' format), `None` when it is not
/// one or does not exist.
pub fn parse_iso(text: &str) -> Option<i32> {
    let mut it = text.trim().splitn(3, '-');
    let (y, m, d) = (it.next()?, it.next()?, it.next()?);
    if y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return None;
    }
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if !(all_digits(y) && all_digits(m) && all_digits(d)) {
        return None;
    }
    day_number(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
}

/// The month a word names: 1 to 12.
pub fn month_of(word: &str) -> Option<u32> {
    if word.chars().count() < 3 {
        return None;
    }
    MONTHS
        .iter()
        .position(|m| m.starts_with(word) && (word.len() >= 3))
        .map(|i| i as u32 + 1)
}

fn number(s: &str, digits: std::ops::RangeInclusive<usize>) -> Option<u32> {
    (digits.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()
}

/// Finds the dates of a query. The first date found is the filter; every date's words are taken
/// out of the search.
pub fn find(text: &str) -> QueryDate {
    let w = words(text);
    let mut out = QueryDate::default();
    let between = |a: usize, b: usize| text[w[a].end..w[b].start].trim();
    let mut i = 0;
    while i < w.len() {
        // (words taken, year, month, day or None for a whole month)
        let mut found: Option<(usize, i32, u32, Option<u32>)> = None;
        let word = |k: usize| w.get(k).map(|x| x.lower.as_str());
        // 2025-03-11
        if let (Some(y), Some(m), Some(d)) = (
            word(i).and_then(|s| number(s, 4..=4)),
            word(i + 1).and_then(|s| number(s, 1..=2)),
            word(i + 2).and_then(|s| number(s, 1..=2)),
        ) && between(i, i + 1) == "-"
            && between(i + 1, i + 2) == "-"
        {
            found = Some((3, y as i32, m, Some(d)));
        }
        // 11 mars 2025, 11:e mars 2025, 11/3 2025, 11.3.2025, 11/3-2025
        if found.is_none()
            && let Some(d) = word(i).and_then(|s| number(s, 1..=2))
        {
            let mut k = i + 1;
            if matches!(word(k), Some("e" | "a")) && between(i, k) == ":" {
                k += 1;
            }
            let month = word(k).and_then(|s| {
                month_of(s)
                    .or_else(|| number(s, 1..=2).filter(|_| matches!(between(k - 1, k), "/" | ".")))
            });
            if let Some(m) = month
                && let Some(y) = word(k + 1).and_then(|s| number(s, 4..=4))
                && matches!(between(k, k + 1), "" | "." | "-" | "/" | ",")
            {
                found = Some((k + 2 - i, y as i32, m, Some(d)));
            }
        }
        // mars 2025: the whole month
        if found.is_none()
            && let Some(m) = word(i).and_then(month_of)
            && let Some(y) = word(i + 1).and_then(|s| number(s, 4..=4))
            && between(i, i + 1).is_empty()
        {
            found = Some((2, y as i32, m, None));
        }
        let Some((n, y, m, d)) = found else {
            i += 1;
            continue;
        };
        let start = if i > 0 && w[i - 1].lower == "den" && between(i - 1, i).is_empty() {
            w[i - 1].start
        } else {
            w[i].start
        };
        let end = w[i + n - 1].end;
        out.spans.push((start, end));
        let range = match d {
            Some(d) => day_number(y, m, d).map(|day| DayRange { from: day, to: day }),
            None => day_number(y, m, 1)
                .zip(day_number(y, m, days_in_month(y, m)))
                .map(|(from, to)| DayRange { from, to }),
        };
        match range {
            Some(r) if out.range.is_none() && out.invalid.is_none() => out.range = Some(r),
            None if out.invalid.is_none() && out.range.is_none() => {
                out.invalid = Some(text[w[i].start..end].to_string())
            }
            _ => {}
        }
        i += n;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> Option<DayRange> {
        find(text).range
    }

    #[test]
    fn day_numbers_are_days_since_1970() {
        assert_eq!(day_number(1970, 1, 1), Some(0));
        assert_eq!(day_number(2025, 3, 11), Some(20158));
        assert_eq!(day_number(2024, 2, 29), Some(19782));
        assert_eq!(day_number(2025, 2, 29), None);
        assert_eq!(day_number(2025, 13, 1), None);
        assert_eq!(parse_iso("2025-03-11"), Some(20158));
        assert_eq!(parse_iso("2025-3-11"), None);
        assert_eq!(parse_iso("2025-02-30"), None);
        for day in [-1, 0, 59, 20158, 19782, 30000] {
            assert_eq!(parse_iso(&iso_of(day)), Some(day), "{day}");
        }
    }

    #[test]
    fn a_date_is_read_in_every_common_spelling() {
        let d = Some(DayRange {
            from: 20158,
            to: 20158,
        });
        for text in [
            "2025-03-11",
            "2025-3-11",
            "11 mars 2025",
            "11 Mars 2025",
            "den 11 mars 2025",
            "11:e mars 2025",
            "11 mar 2025",
            "11/3 2025",
            "11.3.2025",
            "budget 11 mars 2025",
            "protokoll från 2025-03-11 om budget",
        ] {
            assert_eq!(day(text), d, "{text}");
        }
    }

    #[test]
    fn a_month_and_year_is_the_whole_month() {
        let r = day("mars 2025").expect("a month");
        assert_eq!((r.from, r.to), (20148, 20178));
    }

    #[test]
    fn plain_years_and_numbers_are_words_not_dates() {
        for text in [
            "årsredovisning 2024",
            "2025-3 §14:2",
            "§ 11",
            "11 2025",
            "mars",
        ] {
            let f = find(text);
            assert_eq!((f.range, f.spans.len()), (None, 0), "{text}");
        }
    }

    #[test]
    fn an_impossible_date_is_reported_and_its_words_taken_out() {
        let f = find("budget 2025-02-30");
        assert_eq!(f.range, None);
        assert_eq!(f.invalid.as_deref(), Some("2025-02-30"));
        assert_eq!(f.spans, vec![(7, 17)]);
        assert_eq!(
            find("31 april 2025").invalid.as_deref(),
            Some("31 april 2025")
        );
    }

    #[test]
    fn the_date_span_covers_den() {
        let text = "möte den 11 mars 2025";
        let f = find(text);
        assert_eq!(f.spans.len(), 1);
        assert_eq!(&text[f.spans[0].0..f.spans[0].1], "den 11 mars 2025");
    }
}
