//! iCalendar (RFC 5545) per förbund: coming board meetings (from `moten:` in the profile) and
//! notice periods (posted → last appeal day, all-day events).
//!
//! Written by hand: the format is a few lines per event, and this keeps escaping, line folding and
//! the deterministic DTSTAMP in view. Times are converted from Swedish local time to UTC, so the
//! files need no VTIMEZONE block.

use super::{Context, forbund_modified, local_time};
use crate::anslag::LegalDates;
use crate::model::{Forbund, PlannedMeeting};
use crate::render::views::{date_text, protocol_title};
use chrono::{NaiveDate, Utc};

/// Escapes a TEXT value (RFC 5545 3.3.11).
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// Folds a content line at 75 octets (RFC 5545 3.1), never inside a UTF-8 character, and ends
/// it with CRLF.
pub fn fold(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let mut width = 0;
    for c in line.chars() {
        let len = c.len_utf8();
        // The first line holds 75 octets; continuation lines start with a space, so 74.
        if width + len > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += len;
    }
    out.push_str("\r\n");
    out
}

fn date_value(d: NaiveDate) -> String {
    d.format("%Y%m%d").to_string()
}

fn utc_stamp(d: NaiveDate) -> String {
    format!("{}T000000Z", date_value(d))
}

struct Calendar {
    lines: Vec<String>,
}

impl Calendar {
    fn new(name: &str) -> Self {
        Calendar {
            lines: vec![
                "BEGIN:VCALENDAR".into(),
                "VERSION:2.0".into(),
                "PRODID:-//protokoll//Finsamarkivet//SV".into(),
                "CALSCALE:GREGORIAN".into(),
                "METHOD:PUBLISH".into(),
                format!("X-WR-CALNAME:{}", escape(name)),
            ],
        }
    }

    fn push(&mut self, line: String) {
        self.lines.push(line);
    }

    fn finish(mut self) -> String {
        self.lines.push("END:VCALENDAR".into());
        self.lines.iter().map(|l| fold(l)).collect()
    }
}

/// Lower-case a–z and digits of a name, for UIDs.
fn uid_part(s: &str) -> String {
    s.chars()
        .filter_map(|c| match c.to_ascii_lowercase() {
            c @ ('a'..='z' | '0'..='9') => Some(c),
            'å' | 'ä' | 'Å' | 'Ä' => Some('a'),
            'ö' | 'Ö' => Some('o'),
            _ => None,
        })
        .collect()
}

fn meeting_event(ctx: &Context, f: &Forbund, m: &PlannedMeeting, stamp: NaiveDate) -> Vec<String> {
    let d = m.date.value;
    let start = m.start_time.as_deref().and_then(|t| local_time(d, t));
    let end = m.end_time.as_deref().and_then(|t| local_time(d, t));
    // `20270103T1300`, as iCalendar writes a time: with a dash (`20270103-1300`) a meeting's
    // id read as a personnummer for about one date and time in ten, and the guard refused it.
    let when = match &m.start_time {
        Some(t) => format!("T{}", t.replace(':', "")),
        None => "-heldag".into(),
    };
    let mut e = vec![
        "BEGIN:VEVENT".to_string(),
        format!(
            "UID:mote-{}-{}{when}-{}@{}",
            f.slug,
            date_value(d),
            uid_part(&m.organ),
            ctx.host()
        ),
        format!("DTSTAMP:{}", utc_stamp(stamp)),
    ];
    match start {
        Some(s) => {
            let fmt = |t: chrono::DateTime<chrono_tz::Tz>| {
                t.with_timezone(&Utc).format("%Y%m%dT%H%M%SZ").to_string()
            };
            e.push(format!("DTSTART:{}", fmt(s)));
            if let Some(end) = end.filter(|end| *end > s) {
                e.push(format!("DTEND:{}", fmt(end)));
            }
        }
        None => {
            e.push(format!("DTSTART;VALUE=DATE:{}", date_value(d)));
            e.push(format!(
                "DTEND;VALUE=DATE:{}",
                date_value(d.succ_opt().unwrap_or(d))
            ));
        }
    }
    e.push(format!(
        "SUMMARY:{}",
        escape(&format!("Sammanträde: {}, {}", m.organ, f.short_name))
    ));
    if let Some(place) = &m.place {
        e.push(format!("LOCATION:{}", escape(place)));
    }
    let page = ctx.absolute(&ctx.urls.forbund(&f.slug));
    e.push(format!(
        "DESCRIPTION:{}",
        escape(&format!(
            "{} i {} sammanträder {}. Protokollen publiceras på {page}",
            m.organ,
            f.name,
            date_text(d)
        ))
    ));
    e.push(format!("URL:{page}"));
    e.push("END:VEVENT".into());
    e
}

/// The förbund's coming meetings: those in `moten:` on or after the build day.
pub fn meetings_calendar(ctx: &Context, f: &Forbund) -> String {
    let mut cal = Calendar::new(&format!("Sammanträden – {}", f.name));
    for m in f.meetings.iter().filter(|m| m.date.value >= ctx.today) {
        // DTSTAMP must not come from the clock: the förbund's newest document date, or the
        // meeting's own date for a förbund without documents.
        let stamp = forbund_modified(f).unwrap_or(m.date.value);
        for line in meeting_event(ctx, f, m, stamp) {
            cal.push(line);
        }
    }
    cal.finish()
}

/// The förbund's notice periods: from the day the notice went up to the last appeal day.
pub fn notices_calendar(ctx: &Context, f: &Forbund) -> String {
    let mut cal = Calendar::new(&format!("Anslag och överklagandetider – {}", f.name));
    let mut protocols: Vec<_> = f.protocols.iter().collect();
    protocols.sort_by(|a, b| (a.date.value, &a.id).cmp(&(b.date.value, &b.id)));
    for p in protocols {
        let legal = LegalDates::of(p);
        let (Some(posted), Some(last)) = (legal.latest_posting, legal.last_appeal_day()) else {
            continue;
        };
        let page = ctx.absolute(&ctx.urls.protocol(&f.slug, &p.id));
        let mut description = format!(
            "Anslaget om justering sattes upp {}. Sista dag att överklaga är {}.",
            date_text(posted),
            date_text(last)
        );
        if let Some(place) = &p.storage_place {
            description.push_str(&format!(" Protokollet förvaras hos {place}."));
        }
        description.push_str(&format!(" {page}"));
        for line in [
            "BEGIN:VEVENT".to_string(),
            format!("UID:anslag-{}-{}@{}", f.slug, p.id, ctx.host()),
            format!("DTSTAMP:{}", utc_stamp(posted)),
            format!("DTSTART;VALUE=DATE:{}", date_value(posted)),
            // DTEND is exclusive: the period includes the last appeal day.
            format!(
                "DTEND;VALUE=DATE:{}",
                date_value(last.succ_opt().unwrap_or(last))
            ),
            format!(
                "SUMMARY:{}",
                escape(&format!(
                    "Överklagandetid: {}, {}",
                    protocol_title(p),
                    f.short_name
                ))
            ),
            format!("DESCRIPTION:{}", escape(&description)),
            format!("URL:{page}"),
            "TRANSP:TRANSPARENT".into(),
            "END:VEVENT".into(),
        ] {
            cal.push(line);
        }
    }
    cal.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_keeps_lines_at_75_octets_and_characters_whole() {
        let long = format!("SUMMARY:{}", "å".repeat(60));
        let folded = fold(&long);
        for line in folded.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(line.len() <= 75, "{} octets: {line}", line.len());
        }
        let unfolded = folded.trim_end_matches("\r\n").replace("\r\n ", "");
        assert_eq!(unfolded, long);
    }

    #[test]
    fn text_values_are_escaped() {
        assert_eq!(escape("a,b;c\\d\ne"), "a\\,b\\;c\\\\d\\ne");
    }

    #[test]
    fn uid_parts_are_ascii() {
        assert_eq!(uid_part("Styrelsen för Öst"), "styrelsenforost");
    }
}
