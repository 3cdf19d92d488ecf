//! The anslagstavla as built on a given day, without its script: what a visitor with JavaScript
//! off, a search engine or an archive crawler sees on that day.

mod common;

use common::*;

fn section<'a>(html: &'a str, heading_id: &str) -> &'a str {
    let start = html
        .find(&format!("id=\"{heading_id}\""))
        .unwrap_or_else(|| panic!("no #{heading_id}"));
    let rest = &html[start..];
    let end = rest.find("</section>").unwrap_or(rest.len());
    &rest[..end]
}

#[test]
fn soderasen_2025_03_11_is_up_on_20_march_and_expired_on_10_april() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("den-20-mars");
    let run = build_on(&repo(), &out, "2025-03-20");
    assert!(run.ok(), "{}", run.stderr);
    let board = read(&out.join("anslagstavla/index.html"));
    let now = section(&board, "aktuella-rubrik");
    assert!(
        now.contains("/finsam/soderasen/protokoll/2025-03-11/"),
        "{now}"
    );
    assert!(
        now.contains("<time datetime=\"2025-03-14\">14 mars 2025</time>"),
        "{now}"
    );
    assert!(
        now.contains("<time datetime=\"2025-04-04\">fredag 4 april 2025</time>"),
        "{now}"
    );
    assert!(now.contains("15 dagar kvar att överklaga."), "{now}");
    // The 2020 protocol's period ended long ago and is not on the board at all.
    assert!(!board.contains("2020-11-24"), "old notices are not listed");
    // The förbund's own board says the same.
    let own = read(&out.join("soderasen/anslagstavla/index.html"));
    assert!(section(&own, "aktuella-rubrik").contains("2025-04-04"));
    assert!(
        run.stdout.contains("bygg om senast 2025-04-05"),
        "{}",
        run.stdout
    );

    let out = dir.path().join("den-10-april");
    let run = build_on(&repo(), &out, "2025-04-10");
    assert!(run.ok(), "{}", run.stderr);
    let board = read(&out.join("anslagstavla/index.html"));
    let now = section(&board, "aktuella-rubrik");
    assert!(!now.contains("2025-03-11"), "not up any more: {now}");
    assert!(now.contains("Inga protokoll är anslagna just nu."), "{now}");
    let expired = section(&board, "nedtagna-rubrik");
    assert!(
        expired.contains("/finsam/soderasen/protokoll/2025-03-11/"),
        "{expired}"
    );
    assert!(
        expired.contains("Tiden för överklagande har löpt ut."),
        "{expired}"
    );
    // The protocol page itself says the period has run out.
    let page = read(&out.join("soderasen/protokoll/2025-03-11/index.html"));
    assert!(page.contains("Tiden för överklagande har löpt ut."));
}

#[test]
fn the_protocol_page_shows_every_computed_date() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("ut");
    let run = build_on(&repo(), &out, "2025-03-20");
    assert!(run.ok(), "{}", run.stderr);
    let page = read(&out.join("soderasen/protokoll/2020-11-24/index.html"));
    // Justering deadline: meeting 2020-11-24 + 14 days.
    assert!(
        page.contains("<time datetime=\"2020-12-08\">"),
        "justering deadline"
    );
    // Posting deadline: justerad 2020-11-27 + 2 = Sunday 2020-11-29, moved to Monday 2020-11-30.
    assert!(
        page.contains(
            "<time datetime=\"2020-11-30\">30 november 2020</time> (andra dagen efter justering"
        ),
        "posting deadline"
    );
    assert!(page.contains("söndag 2020-11-29"), "the move is explained");
    // Last appeal day: posted 2020-11-30 + 21 = Monday 2020-12-21.
    assert!(
        page.contains("<time datetime=\"2020-12-21\">måndag 21 december 2020</time>"),
        "last appeal day"
    );
}
