//! The date and § parsers and the legal calendar over arbitrary dates.
//!
//! Input: three dates of four bytes each (see `protokoll_fuzz::date_from`: meeting, justering and
//! posting day), then text for the § parsers. Every date chrono can represent is allowed, including
//! the very first and last.
#![no_main]

use chrono::{Datelike, Days, NaiveDate, Weekday};
use libfuzzer_sys::fuzz_target;
use protokoll::anslag::LegalDates;
use protokoll::anslag::calendar;
use protokoll::check::check_protocol;
use protokoll::load::body::parse_paragraph_heading;
use protokoll::load::{parse_forbund, parse_protocol, parse_ranges};
use protokoll::model::{Forbund, Justering, Located, Notice, Pos, Protocol};
use protokoll::render::urls::Urls;
use protokoll::render::views;
use protokoll_fuzz::date_from;
use std::path::Path;
use std::sync::OnceLock;

const FORBUND: &str = "namn: Samordningsförbundet Fuzz\nkortnamn: Fuzz\nsate: Åstorp\nmedlemmar:\n  - namn: Åstorps kommun\n    typ: kommun\n  - namn: Försäkringskassan\n    typ: forsakringskassan\n";
const PROTOCOL: &str = "---\norgan: Styrelsen\ndatum: 2025-03-11\njustering:\n  datum: 2025-03-12\nforvaringsplats: Åstorp\nanslag:\n  - anslagstavla: Tavlan\n    uppsatt: 2025-03-14\n---\n## § 1 Öppnande\n\n::: beslut\nStyrelsen beslutar att öppna mötet.\n:::\n";

static FIXED: OnceLock<(Forbund, Protocol)> = OnceLock::new();

fn located(value: NaiveDate) -> Located<NaiveDate> {
    Located {
        value,
        pos: Pos { line: 3, column: 8 },
    }
}

fn calendar_properties(d: NaiveDate) {
    let year = d.year();
    let easter = calendar::easter_sunday(year);
    if easter != NaiveDate::MAX && easter != NaiveDate::MIN {
        assert_eq!(easter.weekday(), Weekday::Sun, "påskdagen {year}: {easter}");
        assert!(
            matches!(easter.month(), 3 | 4),
            "påskdagen {year}: {easter}"
        );
    }
    let holidays = calendar::holidays(year);
    assert!(
        holidays.windows(2).all(|w| w[0].0 <= w[1].0),
        "{holidays:?}"
    );
    assert!(
        holidays.iter().all(|(h, _)| h.year() == year),
        "{holidays:?}"
    );
    let _ = calendar::holiday_on(d);
    let _ = calendar::is_allman_helgdag(d);
    if let Some(reason) = calendar::non_working_reason(d) {
        let _ = reason.describe();
    }

    let moved = calendar::next_weekday_explained(d);
    assert!(moved.result >= d, "{moved:?}");
    if moved.result != NaiveDate::MAX {
        assert_eq!(
            calendar::non_working_reason(moved.result),
            None,
            "{moved:?}"
        );
    }
    // Every skipped day is listed, in order, from d up to the day before the result.
    let mut day = d;
    for (skipped, _) in &moved.reasons {
        assert_eq!(*skipped, day, "{moved:?}");
        day = day.succ_opt().unwrap_or(day);
    }
    assert_eq!(moved.was_moved(), !moved.reasons.is_empty(), "{moved:?}");
    let _ = moved.explain();

    let appeal = calendar::last_appeal_day(d);
    let posting = calendar::posting_deadline(d);
    let justering = calendar::justering_deadline(d);
    match d.checked_add_days(Days::new(21)) {
        Some(raw) => assert!(appeal >= raw, "{d}: {appeal}"),
        None => assert_eq!(appeal, NaiveDate::MAX),
    }
    assert!(posting > d || d == NaiveDate::MAX, "{d}: {posting}");
    assert!(justering > d || d == NaiveDate::MAX, "{d}: {justering}");
    let _ = views::DateView::from(d);
}

fuzz_target!(|data: &[u8]| {
    if data.len() < 12 {
        return;
    }
    let date = |i: usize| date_from([data[i], data[i + 1], data[i + 2], data[i + 3]]);
    let (meeting, justerad, posted) = (date(0), date(4), date(8));
    let text = String::from_utf8_lossy(&data[12..]);

    for d in [meeting, justerad, posted] {
        calendar_properties(d);
    }

    // The § parsers.
    if let Some(ranges) = parse_ranges(&text) {
        assert!(!ranges.is_empty());
        assert!(ranges.iter().all(|(a, b)| a <= b), "{ranges:?}");
    }
    if let Some((_, title)) = parse_paragraph_heading(&text) {
        assert_eq!(title.trim(), title, "{text:?}");
    }

    // A protocol with these dates through the legal dates, the checks and the page views.
    let (forbund, protocol) = FIXED.get_or_init(|| {
        let mut errors = Vec::new();
        match (
            parse_forbund(FORBUND, Path::new("forbund.yaml"), "fuzz", &mut errors),
            parse_protocol(
                PROTOCOL,
                Path::new("content/fuzz/protokoll/2025-03-11.md"),
                &mut errors,
            ),
        ) {
            (Some(f), Some(p)) => (f, p),
            _ => panic!("the fixed protocol does not parse: {errors:?}"),
        }
    });
    let mut protocol = protocol.clone();
    protocol.date = located(meeting);
    protocol.justering = Some(Justering {
        date: located(justerad),
        method: None,
        place: None,
    });
    protocol.notices = vec![Notice {
        board: "Tavlan".into(),
        posted: located(posted),
        removed: Some(located(posted)),
        certified_by: None,
    }];
    let legal = LegalDates::of(&protocol);
    let urls = Urls::new("/finsam/");
    for today in [meeting, justerad, posted, NaiveDate::MIN, NaiveDate::MAX] {
        let _ = legal.status_on(today);
        if let Some(next) = legal.next_change_after(today) {
            assert!(next > today, "{today} → {next}");
        }
        let _ = views::legal_view(&legal, today);
        let _ = check_protocol(forbund, &protocol, today);
        let _ = views::protocol_view(forbund, &protocol, &urls, today);
        let _ = views::board_notice(forbund, &protocol, &urls, today);
    }
});
