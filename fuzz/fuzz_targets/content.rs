//! Front matter and body parsing: any text as a protocol, a plan and a förbund profile. The loader
//! reports mistakes as diagnostics and never panics; what it accepts goes on through the legal
//! checks and the page views (dates, Markdown) as in a build.
#![no_main]

use chrono::NaiveDate;
use libfuzzer_sys::fuzz_target;
use protokoll::anslag::LegalDates;
use protokoll::check::check_protocol;
use protokoll::load::{normalize_newlines, parse_forbund, parse_plan, parse_protocol, position_of};
use protokoll::model::Forbund;
use protokoll::render::urls::Urls;
use protokoll::render::views;
use std::path::Path;

/// The förbund a protocol or plan belongs to when the input is not a valid profile itself.
fn fallback_forbund() -> Forbund {
    const PROFILE: &str = "namn: Samordningsförbundet Fuzz\nkortnamn: Fuzz\nsate: Åstorp\nmedlemmar:\n  - namn: Åstorps kommun\n    typ: kommun\n";
    let mut errors = Vec::new();
    match parse_forbund(
        PROFILE,
        Path::new("content/fuzz/forbund.yaml"),
        "fuzz",
        &mut errors,
    ) {
        Some(f) => f,
        None => panic!("the fixed profile does not parse: {errors:?}"),
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let urls = Urls::new("/finsam/");
    let mut errors = Vec::new();

    let forbund = parse_forbund(
        text,
        Path::new("content/fuzz/forbund.yaml"),
        "fuzz",
        &mut errors,
    );
    if let Some(f) = &forbund {
        let _ = views::forbund_view(f, &urls);
    }
    let forbund = forbund.unwrap_or_else(fallback_forbund);

    if let Some(p) = parse_protocol(
        text,
        Path::new("content/fuzz/protokoll/2025-03-11.md"),
        &mut errors,
    ) {
        let legal = LegalDates::of(&p);
        for today in [p.date.value, legal.latest_posting.unwrap_or(p.date.value)] {
            let _ = check_protocol(&forbund, &p, today);
            let _ = views::protocol_view(&forbund, &p, &urls, today);
            let _ = views::board_notice(&forbund, &p, &urls, today);
            let _ = legal.next_change_after(today);
        }
        let _ = check_protocol(&forbund, &p, NaiveDate::MAX);
    }

    if let Some(plan) = parse_plan(text, Path::new("content/fuzz/planer/2025.md"), &mut errors) {
        let _ = views::plan_view(&forbund, &plan, &urls);
    }

    // Every diagnostic points into the file (the line after the last one at most), counting
    // lines as the loader and the YAML parser do (a lone `\r` is a line break).
    let lines = normalize_newlines(text).lines().count() + 1;
    for d in &errors {
        assert!(d.line <= lines + 1, "line {} of {lines}: {d:?}", d.line);
    }
    let _ = position_of(text, text.len() / 2);
});
