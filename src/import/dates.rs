//! Dates and times in the forms protocols write them: `2025-03-11`, `250312` (ÅÅMMDD),
//! `20211231`, `29 november 2023`, `23-24/1 2025`, `11/3 2025`; times `kl 13-15`, `13.00–14.30`,
//! `09.00 - 12.00`.

use crate::anslag::calendar::MONTH_NAMES as MONTHS;
use chrono::NaiveDate;
use regex::Regex;
use std::sync::LazyLock;

static ISO: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b(\d{4})-(\d{2})-(\d{2})\b").expect("static regex"));
static COMPACT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b(\d{6}|\d{8})\b").expect("static regex"));
static WORDS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(\d{1,2})(?:\s*[-–]\s*\d{1,2})?\s+(januari|februari|mars|april|maj|juni|juli|augusti|september|oktober|november|december)\s+(\d{4})\b")
        .expect("static regex")
});
static SLASH: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(\d{1,2})(?:\s*[-–]\s*\d{1,2})?/(\d{1,2})\s+(\d{4})\b").expect("static regex")
});
static TIME_RANGE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:kl(?:ockan)?\.?\s*)?(\d{1,2})(?:[.:](\d{2}))?\s*[-–]\s*(\d{1,2})(?:[.:](\d{2}))?\b")
        .expect("static regex")
});
/// A second sitting right after a time range: ", 13:30–16:00", " och 13.30-16.00".
static NEXT_SITTING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(?:,|;|och)\s*\d{1,2}[.:]\d{2}\s*[-–]\s*(\d{1,2})[.:](\d{2})\b")
        .expect("static regex")
});
/// Inside a field labelled for time ("Tid", "Plats och tid") the clock words are often left out:
/// `13–15`, `Starttid 13:00 Sluttid 16:15`.
static TIME_BARE_RANGE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(\d{1,2})(?:[.:](\d{2}))?\s*[-–]\s*(\d{1,2})(?:[.:](\d{2}))?\b")
        .expect("static regex")
});
static TIME_CLOCK: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b(\d{1,2})[.:](\d{2})\b").expect("static regex"));
static TIME_ONE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\bkl(?:ockan)?\.?\s*(\d{1,2})(?:[.:](\d{2}))?\b").expect("static regex")
});

/// A date found in a text, and the form it had (for the report).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FoundDate {
    pub date: NaiveDate,
    /// Byte offset of the match in the text.
    pub start: usize,
    pub end: usize,
    /// The date was written without its century (`250312`) or as the first day of a range:
    /// a reviewer should look at it.
    pub inferred: bool,
}

/// A six-digit ÅÅMMDD date: 20ÅÅ unless that lies more than a year ahead of `latest_year`.
fn yymmdd(s: &str, latest_year: i32) -> Option<NaiveDate> {
    let yy: i32 = s[..2].parse().ok()?;
    let mm: u32 = s[2..4].parse().ok()?;
    let dd: u32 = s[4..6].parse().ok()?;
    let year = if 2000 + yy <= latest_year + 1 {
        2000 + yy
    } else {
        1900 + yy
    };
    NaiveDate::from_ymd_opt(year, mm, dd)
}

/// Every date in `text`, in order of position. Bare six- and eight-digit numbers count only when
/// they are real dates between 1990 and `latest_year + 1`.
pub fn find_all(text: &str, latest_year: i32) -> Vec<FoundDate> {
    let mut out: Vec<FoundDate> = Vec::new();
    for c in ISO.captures_iter(text) {
        let m = c.get(0).map_or(0..0, |m| m.range());
        let (y, mo, d) = (c[1].parse(), c[2].parse(), c[3].parse());
        if let (Ok(y), Ok(mo), Ok(d)) = (y, mo, d)
            && let Some(date) = NaiveDate::from_ymd_opt(y, mo, d)
        {
            out.push(FoundDate {
                date,
                start: m.start,
                end: m.end,
                inferred: false,
            });
        }
    }
    for c in WORDS.captures_iter(text) {
        let m = c.get(0).map_or(0..0, |m| m.range());
        let month = MONTHS
            .iter()
            .position(|n| n.eq_ignore_ascii_case(&c[2].to_lowercase()))
            .map(|i| i as u32 + 1);
        if let (Ok(d), Some(mo), Ok(y)) = (c[1].parse(), month, c[3].parse())
            && let Some(date) = NaiveDate::from_ymd_opt(y, mo, d)
        {
            out.push(FoundDate {
                date,
                start: m.start,
                end: m.end,
                inferred: c[0].contains(['-', '–']),
            });
        }
    }
    for c in SLASH.captures_iter(text) {
        let m = c.get(0).map_or(0..0, |m| m.range());
        if let (Ok(d), Ok(mo), Ok(y)) = (c[1].parse(), c[2].parse(), c[3].parse())
            && let Some(date) = NaiveDate::from_ymd_opt(y, mo, d)
        {
            out.push(FoundDate {
                date,
                start: m.start,
                end: m.end,
                inferred: c[0].contains(['-', '–']),
            });
        }
    }
    for m in COMPACT.find_iter(text) {
        // Part of a longer number ("3 084 000"), an amount or an id: not a date.
        let before = text[..m.start()].chars().next_back();
        let after = text[m.end()..].chars().next();
        if before.is_some_and(|c| c == '-' || c == '/' || c == '.' || c == ',')
            || after.is_some_and(|c| c == '-' || c == '/' || c == ',' || c == ':')
        {
            continue;
        }
        let s = m.as_str();
        let (date, inferred) = if s.len() == 6 {
            (yymmdd(s, latest_year), true)
        } else {
            let parsed = (s[..4].parse(), s[4..6].parse(), s[6..].parse());
            let date = match parsed {
                (Ok(y), Ok(mo), Ok(d)) => NaiveDate::from_ymd_opt(y, mo, d),
                _ => None,
            };
            (date, false)
        };
        if let Some(date) = date {
            use chrono::Datelike;
            if (1990..=latest_year + 1).contains(&date.year()) {
                out.push(FoundDate {
                    date,
                    start: m.start(),
                    end: m.end(),
                    inferred,
                });
            }
        }
    }
    out.sort_by_key(|f| f.start);
    out
}

/// The first date in `text`.
pub fn first(text: &str, latest_year: i32) -> Option<FoundDate> {
    find_all(text, latest_year).into_iter().next()
}

fn hhmm(h: &str, m: Option<&str>) -> Option<String> {
    let h: u32 = h.parse().ok()?;
    let m: u32 = m.map_or(Some(0), |m| m.parse().ok())?;
    (h < 24 && m < 60).then(|| format!("{h:02}:{m:02}"))
}

/// Start and end times of a meeting: `kl 13-15`, `kl 13.00–14.30`, `kl. 09.00 - 12.00`, or one
/// time `kl 13.00`. Returns the times and the byte offset where the time expression starts.
pub fn times(text: &str) -> Option<(String, Option<String>, usize)> {
    // A range needs "kl" or minutes on both ends; "23-24/1" or "2022-2024" are not times.
    for c in TIME_RANGE.captures_iter(text) {
        let whole = c.get(0)?;
        let has_kl = whole.as_str().to_lowercase().starts_with("kl");
        let has_minutes = c.get(2).is_some() && c.get(4).is_some();
        let after = &text[whole.end()..];
        if (!has_kl && !has_minutes) || after.starts_with('/') || after.starts_with('-') {
            continue;
        }
        let start = hhmm(&c[1], c.get(2).map(|m| m.as_str()))?;
        let mut end = hhmm(&c[3], c.get(4).map(|m| m.as_str()));
        // "09:00–12:30, 13:30–16:00": a meeting held in two sittings ends with the last one.
        if let Some(next) = NEXT_SITTING.captures(after)
            && let Some(e) = hhmm(&next[1], Some(&next[2]))
        {
            end = Some(e);
        }
        return Some((start, end, whole.start()));
    }
    let c = TIME_ONE.captures(text)?;
    let whole = c.get(0)?;
    Some((
        hhmm(&c[1], c.get(2).map(|m| m.as_str()))?,
        None,
        whole.start(),
    ))
}

/// Times in a field whose label says it holds a time: what [`times`] accepts, and also bare
/// ranges (`13–15`) and clock times without "kl" (`Starttid 13:00 Sluttid 16:15`). Dates are
/// removed first so that their digits are not read as hours.
pub fn times_in_field(text: &str, latest_year: i32) -> Option<(String, Option<String>, usize)> {
    if let Some(t) = times(text) {
        return Some(t);
    }
    let mut blanked = text.to_string();
    for d in find_all(text, latest_year) {
        let n = blanked[d.start..d.end].len();
        blanked.replace_range(d.start..d.end, &" ".repeat(n));
    }
    for c in TIME_BARE_RANGE.captures_iter(&blanked) {
        let whole = c.get(0)?;
        let after = &blanked[whole.end()..];
        let before = blanked[..whole.start()].chars().next_back();
        if after.starts_with(['/', '-', '–']) || before.is_some_and(|b| b == '-' || b == '/') {
            continue;
        }
        let (Some(start), Some(end)) = (
            hhmm(&c[1], c.get(2).map(|m| m.as_str())),
            hhmm(&c[3], c.get(4).map(|m| m.as_str())),
        ) else {
            continue;
        };
        if end > start {
            return Some((start, Some(end), whole.start()));
        }
    }
    let clocks: Vec<(String, usize)> = TIME_CLOCK
        .captures_iter(&blanked)
        .filter_map(|c| {
            let at = c.get(0)?.start();
            Some((hhmm(&c[1], Some(&c[2]))?, at))
        })
        .collect();
    let (start, at) = clocks.first()?.clone();
    let end = clocks.get(1).map(|c| c.0.clone()).filter(|e| *e > start);
    Some((start, end, at))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn dates(text: &str) -> Vec<NaiveDate> {
        find_all(text, 2025).into_iter().map(|f| f.date).collect()
    }

    #[test]
    fn every_form_the_seeds_use() {
        assert_eq!(
            dates("Sammanträdesprotokoll nr 2  2025-03-11"),
            [d("2025-03-11")]
        );
        assert_eq!(
            dates("signeras via digital signering 250312"),
            [d("2025-03-12")]
        );
        assert_eq!(dates("avslutas 20211231 ska"), [d("2021-12-31")]);
        assert_eq!(
            dates("medlemssamråd den 29 november 2023."),
            [d("2023-11-29")]
        );
        assert_eq!(dates("Den 23-24/1 2025 hade förbundet"), [d("2025-01-23")]);
        assert_eq!(dates("den 12 mars 2025"), [d("2025-03-12")]);
        assert!(find_all("Den 23-24/1 2025", 2025)[0].inferred);
    }

    #[test]
    fn numbers_that_are_not_dates() {
        assert!(dates("3 084 000 kr, 1 542 000 kr, 968 431 kronor, 465 000").is_empty());
        assert!(dates("Beslut 2025-3 §14:2, organisationsnummer 222000-1347").is_empty());
        assert!(dates("mellan klockan 1400–1600").is_empty());
    }

    #[test]
    fn meeting_times() {
        assert_eq!(
            times("Skolgatan 5, 26534 Åstorp kl 13-15"),
            Some(("13:00".into(), Some("15:00".into()), 27))
        );
        assert_eq!(
            times("Åstorp, kl 13.00–14.30").map(|t| (t.0, t.1)),
            Some(("13:00".into(), Some("14:30".into())))
        );
        assert_eq!(
            times("Måndag 2025-05-05 kl. 09.00 - 12.00").map(|t| (t.0, t.1)),
            Some(("09:00".into(), Some("12:00".into())))
        );
        assert_eq!(
            times("2020-11-27 kl 13.00").map(|t| (t.0, t.1)),
            Some(("13:00".into(), None))
        );
        assert_eq!(times("Den 23-24/1 2025"), None);
    }

    #[test]
    fn times_in_a_time_field() {
        let t = |s: &str| times_in_field(s, 2025).map(|t| (t.0, t.1));
        assert_eq!(
            t("Kommunhuset 13–15"),
            Some(("13:00".into(), Some("15:00".into())))
        );
        assert_eq!(
            t("Starttid 13:00 Sluttid 16:15"),
            Some(("13:00".into(), Some("16:15".into())))
        );
        assert_eq!(
            t("14 mars 2024 kl. 09.00-11.30"),
            Some(("09:00".into(), Some("11:30".into())))
        );
        assert_eq!(t("den 23-24/1 2025"), None);
        assert_eq!(t("2024-03-14"), None);
    }
}
