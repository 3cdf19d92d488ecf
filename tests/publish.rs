//! Issue 7: what the archive publishes besides its pages. Every Atom feed of the built example
//! archive parses (atom_syndication) and has what RFC 4287 requires, every iCalendar file parses
//! with a calendar library (icalendar), every JSON file validates against its schema in
//! `docs/schemas/` (jsonschema); the sitemap, robots.txt, canonical and Open Graph tags, the
//! noindex setting, tombstones, the timeline and the embed page do what the docs say.

mod common;

use common::*;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

const BASE: &str = "/finsam/";
const ORIGIN: &str = "https://arkiv.example.se/finsam/";

/// Files of a built site whose name ends with `suffix`, as text.
fn files_ending(out: &Path, suffix: &str) -> BTreeMap<PathBuf, String> {
    read_tree(out)
        .into_iter()
        .filter(|(p, _)| p.to_string_lossy().ends_with(suffix))
        .map(|(p, b)| (p, String::from_utf8(b).expect("UTF-8")))
        .collect()
}

/// The output file behind an absolute URL of the example site.
fn file_of(url: &str) -> PathBuf {
    let path = url
        .strip_prefix("https://arkiv.example.se")
        .unwrap_or_else(|| panic!("{url} is not on the site"));
    file_for(BASE, path.split('#').next().unwrap()).unwrap_or_else(|| panic!("{url}"))
}

/// A copy of the example archive in a temporary folder, for tests that change it.
fn example_copy() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("arkiv");
    copy_site(&repo(), &site);
    (dir, site)
}

fn append(path: &Path, text: &str) {
    let mut s = read(path);
    s.push_str(text);
    std::fs::write(path, s).unwrap();
}

const MOTEN: &str = "moten:
  - datum: 2025-01-14
    tid:
      start: \"13:00\"
  - datum: 2025-05-13
    tid:
      start: \"13:00\"
      slut: \"15:00\"
    plats: Skolgatan 5, Åstorp
  - datum: 2025-11-18
    organ: Revisorerna
";

// ---------------------------------------------------------------------------------------------
// Atom

#[test]
fn every_atom_feed_parses_and_has_what_rfc_4287_requires() {
    let (_dir, out) = build_example();
    let files: BTreeSet<PathBuf> = read_tree(&out).into_keys().collect();
    let feeds = files_ending(&out, "flode.xml");
    // The site's, and two per förbund.
    assert_eq!(feeds.len(), 1 + 3 * 2, "{:?}", feeds.keys());
    let mut entry_ids = BTreeSet::new();
    for (file, xml) in &feeds {
        let name = file.display();
        let feed: atom_syndication::Feed = xml
            .parse()
            .unwrap_or_else(|e| panic!("{name} is not an Atom feed: {e}"));
        // RFC 4287 4.1.1: atom:feed has exactly one id, title and updated, and an author
        // unless every entry has one; a self link is recommended.
        assert!(feed.id().starts_with(ORIGIN), "{name}: id {}", feed.id());
        assert!(!feed.title().trim().is_empty(), "{name}: no title");
        assert!(
            !feed.authors().is_empty() && !feed.authors()[0].name().is_empty(),
            "{name}"
        );
        let own_url = format!("{ORIGIN}{}", file.to_string_lossy());
        assert!(
            feed.links()
                .iter()
                .any(|l| l.rel() == "self" && l.href() == own_url),
            "{name}: no self link to {own_url}"
        );
        let alternate = feed
            .links()
            .iter()
            .find(|l| l.rel() == "alternate")
            .unwrap_or_else(|| panic!("{name}: no alternate link"));
        assert!(files.contains(&file_of(alternate.href())), "{name}");
        let mut newest = None;
        for entry in feed.entries() {
            // 4.1.2: id, title, updated; an alternate link since there is no content src.
            assert!(entry.id().starts_with(ORIGIN), "{name}: {}", entry.id());
            assert!(!entry.title().trim().is_empty(), "{name}");
            let link = entry
                .links()
                .iter()
                .find(|l| l.rel() == "alternate")
                .unwrap_or_else(|| panic!("{name}: entry {} has no link", entry.id()));
            assert!(
                files.contains(&file_of(link.href())),
                "{name}: {}",
                link.href()
            );
            assert!(
                entry.summary().is_some(),
                "{name}: {} has no summary",
                entry.id()
            );
            // Entries are unique within a feed.
            assert!(
                entry_ids.insert((file.clone(), entry.id().to_string())),
                "{name}: {} twice",
                entry.id()
            );
            newest = newest.max(Some(*entry.updated()));
        }
        if let Some(newest) = newest {
            assert_eq!(
                *feed.updated(),
                newest,
                "{name}: updated is its newest entry"
            );
        }
    }

    // Söderåsen's protocols, newest first, identified by their canonical URL, dated by the
    // documents: the 2025 protocol was last touched when its notice went up on 14 March.
    let feed: atom_syndication::Feed = feeds[Path::new("soderasen/flode.xml")].parse().unwrap();
    let ids: Vec<&str> = feed.entries().iter().map(|e| e.id()).collect();
    assert_eq!(
        ids,
        [
            "https://arkiv.example.se/finsam/soderasen/protokoll/2025-03-11/",
            "https://arkiv.example.se/finsam/soderasen/protokoll/2020-11-24/"
        ]
    );
    assert_eq!(
        feed.entries()[0].updated().to_rfc3339(),
        "2025-03-14T00:00:00+01:00"
    );
    assert_eq!(
        feed.entries()[0].published().map(|d| d.to_rfc3339()),
        Some("2025-03-11T00:00:00+01:00".into())
    );
    let content = feed.entries()[0].content().and_then(|c| c.value()).unwrap();
    assert!(
        content.contains("§ 16 Förslag till årsredovisning 2024"),
        "{content}"
    );
    assert!(content.contains("Beslut"), "{content}");

    // The anslagstavla feed: the notice, with its last appeal day.
    let notices: atom_syndication::Feed = feeds[Path::new("soderasen/anslagstavla/flode.xml")]
        .parse()
        .unwrap();
    let first = &notices.entries()[0];
    assert_eq!(
        first.id(),
        "https://arkiv.example.se/finsam/soderasen/protokoll/2025-03-11/#anslag"
    );
    let summary = first.summary().unwrap().value.as_str();
    assert!(summary.contains("anslogs fredag 14 mars 2025"), "{summary}");
    assert!(
        summary.contains("Sista dag att överklaga är fredag 4 april 2025"),
        "{summary}"
    );
    assert_eq!(first.updated().to_rfc3339(), "2025-03-14T00:00:00+01:00");
    // Blekinge's protocol has no anslag data: its anslagstavla feed is empty but valid.
    let blekinge: atom_syndication::Feed = feeds[Path::new("blekinge/anslagstavla/flode.xml")]
        .parse()
        .unwrap();
    assert!(blekinge.entries().is_empty());
    // The site feed holds every protocol.
    let site: atom_syndication::Feed = feeds[Path::new("flode.xml")].parse().unwrap();
    assert_eq!(site.entries().len(), 3);
}

#[test]
fn feeds_do_not_change_with_the_build_day_once_the_notices_are_up() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a");
    let b = dir.path().join("b");
    build_ok(&repo(), &a);
    let run = build_on(&repo(), &b, "2025-06-01");
    assert!(run.ok(), "{}", run.stderr);
    for f in [
        "flode.xml",
        "soderasen/flode.xml",
        "soderasen/anslagstavla/flode.xml",
        "soderasen/protokoll/2025-03-11/protokoll.json",
        "soderasen/anslagstavla/kalender.ics",
    ] {
        assert_eq!(
            read(&a.join(f)),
            read(&b.join(f)),
            "{f} depends on the build day"
        );
    }
}

#[test]
fn a_notice_planned_after_the_build_day_is_not_in_the_feed_yet() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("ut");
    // 13 March: the 2025 notice goes up on the 14th.
    let run = build_on(&repo(), &out, "2025-03-13");
    assert!(run.ok(), "{}", run.stderr);
    let feed: atom_syndication::Feed = read(&out.join("soderasen/anslagstavla/flode.xml"))
        .parse()
        .unwrap();
    let ids: Vec<&str> = feed.entries().iter().map(|e| e.id()).collect();
    assert_eq!(
        ids,
        ["https://arkiv.example.se/finsam/soderasen/protokoll/2020-11-24/#anslag"]
    );
}

#[test]
fn pages_announce_their_feeds_with_rel_alternate() {
    let (_dir, out) = build_example();
    let files: BTreeSet<PathBuf> = read_tree(&out).into_keys().collect();
    for (file, html) in html_pages(&out) {
        let feeds: Vec<String> = tags(&html)
            .into_iter()
            .filter(|t| {
                t.name == "link"
                    && t.attr("rel") == Some("alternate")
                    && t.attr("type") == Some("application/atom+xml")
            })
            .map(|t| {
                assert!(t.attr("title").is_some_and(|x| !x.is_empty()), "{t:?}");
                t.attr("href").unwrap().to_string()
            })
            .collect();
        assert!(
            feeds.contains(&"/finsam/flode.xml".to_string()),
            "{}: {feeds:?}",
            file.display()
        );
        for f in &feeds {
            assert!(files.contains(&file_for(BASE, f).unwrap()), "{f}");
        }
        let name = file.to_string_lossy();
        if name.starts_with("soderasen/") {
            for own in [
                "/finsam/soderasen/flode.xml",
                "/finsam/soderasen/anslagstavla/flode.xml",
            ] {
                assert!(feeds.iter().any(|f| f == own), "{name}: {feeds:?}");
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// iCalendar

fn parse_calendar(name: &str, text: &str) -> icalendar::Calendar {
    // RFC 5545 3.1: CRLF line ends and lines of at most 75 octets.
    for line in text.split_inclusive('\n') {
        assert!(
            line.ends_with("\r\n"),
            "{name}: a line without CRLF: {line:?}"
        );
        assert!(
            line.len() <= 77,
            "{name}: {} octets: {line:?}",
            line.len() - 2
        );
    }
    let unfolded = icalendar::parser::unfold(text);
    let parsed = icalendar::parser::read_calendar(&unfolded)
        .unwrap_or_else(|e| panic!("{name} does not parse: {e}"));
    for p in ["VERSION", "PRODID"] {
        assert!(
            parsed.properties.iter().any(|x| x.name.as_str() == p),
            "{name}: no {p}"
        );
    }
    icalendar::Calendar::from(parsed)
}

fn events(cal: &icalendar::Calendar) -> Vec<&icalendar::Event> {
    cal.components
        .iter()
        .filter_map(|c| match c {
            icalendar::CalendarComponent::Event(e) => Some(e),
            _ => None,
        })
        .collect()
}

#[test]
fn every_calendar_parses_with_a_calendar_library() {
    use icalendar::{CalendarDateTime, Component, DatePerhapsTime, EventLike};
    let (dir, site) = example_copy();
    append(&site.join("content/soderasen/forbund.yaml"), MOTEN);
    let out = dir.path().join("ut");
    build_ok(&site, &out);
    let calendars = files_ending(&out, ".ics");
    assert_eq!(calendars.len(), 3 * 2, "{:?}", calendars.keys());
    let mut uids = BTreeSet::new();
    for (file, text) in &calendars {
        let name = file.display().to_string();
        let cal = parse_calendar(&name, text);
        for e in events(&cal) {
            let uid = e
                .get_uid()
                .unwrap_or_else(|| panic!("{name}: event without UID"));
            assert!(uids.insert(uid.to_string()), "{name}: UID {uid} twice");
            assert!(e.get_timestamp().is_some(), "{name}: {uid} has no DTSTAMP");
            assert!(e.get_start().is_some(), "{name}: {uid} has no DTSTART");
            assert!(e.get_summary().is_some_and(|s| !s.is_empty()), "{name}");
        }
    }

    // Coming meetings only (the build day is 20 March 2025), in Swedish time converted to UTC.
    let meetings = parse_calendar("kalender", &calendars[Path::new("soderasen/kalender.ics")]);
    let meetings = events(&meetings);
    assert_eq!(meetings.len(), 2, "the January meeting has passed");
    let may = meetings[0];
    let utc = |s: &str| {
        chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M")
            .unwrap()
            .and_utc()
    };
    assert_eq!(
        may.get_start(),
        Some(DatePerhapsTime::DateTime(CalendarDateTime::Utc(utc(
            "2025-05-13 11:00"
        ))))
    );
    assert_eq!(
        may.get_end(),
        Some(DatePerhapsTime::DateTime(CalendarDateTime::Utc(utc(
            "2025-05-13 13:00"
        ))))
    );
    // The library unescapes the TEXT value (`\\,` in the file).
    assert_eq!(may.get_location(), Some("Skolgatan 5, Åstorp"));
    assert!(
        calendars[Path::new("soderasen/kalender.ics")]
            .contains("LOCATION:Skolgatan 5\\, Åstorp\r\n")
    );
    // DTSTAMP comes from the förbund's newest document, not from the clock.
    assert_eq!(may.get_timestamp(), Some(utc("2025-03-14 00:00")));
    let november = meetings[1];
    let day = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    assert_eq!(
        november.get_start(),
        Some(DatePerhapsTime::Date(day("2025-11-18")))
    );
    assert!(november.get_summary().unwrap().contains("Revisorerna"));

    // Notice periods: all-day, from the posting to the last appeal day (DTEND exclusive).
    let notices = parse_calendar(
        "anslag",
        &calendars[Path::new("soderasen/anslagstavla/kalender.ics")],
    );
    let notices = events(&notices);
    assert_eq!(notices.len(), 2);
    let current = notices
        .iter()
        .find(|e| e.get_uid() == Some("anslag-soderasen-2025-03-11@arkiv.example.se"))
        .expect("the 2025 notice");
    assert_eq!(
        current.get_start(),
        Some(DatePerhapsTime::Date(day("2025-03-14")))
    );
    assert_eq!(
        current.get_end(),
        Some(DatePerhapsTime::Date(day("2025-04-05")))
    );
    assert_eq!(current.get_timestamp(), Some(utc("2025-03-14 00:00")));
    assert!(
        current
            .get_description()
            .unwrap()
            .contains("Sista dag att överklaga är 4 april 2025")
    );
}

#[test]
fn a_bad_meeting_in_the_profile_is_reported_at_its_line() {
    let (dir, site) = example_copy();
    let profile = site.join("content/soderasen/forbund.yaml");
    let lines_before = read(&profile).lines().count();
    append(
        &profile,
        "moten:\n  - datum: 2025-13-01\n  - datum: 2025-05-13\n    tid:\n      start: \"25:00\"\n",
    );
    let run = build(&site, &dir.path().join("ut"));
    assert_eq!(run.code, Some(1), "{}", run.stdout);
    let errors = error_locations(&run.stderr);
    let at = |line: usize| format!("{}:{line}:", profile.display());
    assert!(
        errors
            .iter()
            .any(|(l, c)| l.starts_with(&at(lines_before + 2)) && c == "datum"),
        "{errors:?}\n{}",
        run.stderr
    );
    assert!(
        errors
            .iter()
            .any(|(l, c)| l.starts_with(&at(lines_before + 5)) && c == "tid"),
        "{errors:?}"
    );
}

// ---------------------------------------------------------------------------------------------
// JSON and its schemas

fn schema(name: &str) -> jsonschema::Validator {
    let text = read(&repo().join("docs/schemas").join(name));
    let value: serde_json::Value = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("docs/schemas/{name} is not JSON: {e}"));
    jsonschema::options()
        .should_validate_formats(true)
        .build(&value)
        .unwrap_or_else(|e| panic!("docs/schemas/{name} is not a valid schema: {e}"))
}

/// The schema a JSON file of the site follows, by its address (docs/data.md).
fn schema_for(file: &Path) -> &'static str {
    let name = file.to_string_lossy();
    if name == "data/forbund.json" {
        "forbundslista.schema.json"
    } else if name.ends_with("/protokoll.json") {
        "protokoll.schema.json"
    } else if name.ends_with("/forbund.json") {
        "forbund.schema.json"
    } else if name.ends_with("/inbaddning.json") {
        "inbaddning.schema.json"
    } else {
        panic!("{name}: a JSON file that docs/data.md does not describe")
    }
}

fn errors_of(v: &jsonschema::Validator, value: &serde_json::Value) -> Vec<String> {
    v.iter_errors(value)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

/// Validates every JSON file of a built site; returns them parsed.
fn validate_all(out: &Path) -> BTreeMap<PathBuf, serde_json::Value> {
    let validators: BTreeMap<&str, jsonschema::Validator> = [
        "protokoll.schema.json",
        "forbund.schema.json",
        "inbaddning.schema.json",
        "forbundslista.schema.json",
    ]
    .into_iter()
    .map(|n| (n, schema(n)))
    .collect();
    let mut all = BTreeMap::new();
    for (file, text) in files_ending(out, ".json") {
        // The search's files under sok/ are the static index, read by the site's own script and
        // described in docs/search.md; they are not part of the published data.
        if file.starts_with("sok") {
            continue;
        }
        let value: serde_json::Value = serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("{} is not JSON: {e}", file.display()));
        let errors = errors_of(&validators[schema_for(&file)], &value);
        assert!(
            errors.is_empty(),
            "{} breaks {}:\n{}",
            file.display(),
            schema_for(&file),
            errors.join("\n")
        );
        all.insert(file, value);
    }
    all
}

#[test]
fn every_json_file_validates_against_its_schema_in_docs() {
    let (_dir, out) = build_example();
    let all = validate_all(&out);
    // One per protocol, two per förbund (data and embed), and the list.
    assert_eq!(all.len(), 3 + 3 * 2 + 1, "{:?}", all.keys());

    let p = &all[Path::new("soderasen/protokoll/2025-03-11/protokoll.json")];
    assert_eq!(p["type"], "https://schema.oparl.org/1.1/Meeting");
    assert_eq!(
        p["web"],
        "https://arkiv.example.se/finsam/soderasen/protokoll/2025-03-11/"
    );
    assert_eq!(p["start"], "2025-03-11T13:00:00+01:00");
    assert_eq!(p["legalDates"]["lastAppealDay"], "2025-04-04");
    assert_eq!(p["legalDates"]["latestPosting"], "2025-03-14");
    assert_eq!(p["legalDates"]["justeringDeadline"], "2025-03-25");
    assert_eq!(
        p["justerandeParagrafer"]["numbers"]
            .as_array()
            .unwrap()
            .len(),
        16
    );
    let items = p["agendaItem"].as_array().unwrap();
    assert_eq!(items.len(), 16);
    let p16 = items.iter().find(|i| i["number"] == "16").unwrap();
    assert_eq!(
        p16["web"],
        "https://arkiv.example.se/finsam/soderasen/protokoll/2025-03-11/#p16"
    );
    assert!(
        p16["resolutionText"]
            .as_str()
            .unwrap()
            .contains("fastställa förslag till årsredovisning 2024")
    );
    let chair = p["participant"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["name"] == "Maria Brantmark Lennartsson")
        .unwrap();
    assert_eq!(chair["post"], "ordförande");
    assert_eq!(chair["attendance"], "beslutande");
    // Blekinge's decision ids and reservation survive.
    let b = &all[Path::new("blekinge/protokoll/2025-05-05/protokoll.json")];
    let text = b.to_string();
    assert!(text.contains("\"identifier\":\"2025-3 §14:2\""), "{text}");
    assert!(
        b["agendaItem"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| !i["reservations"].as_array().unwrap().is_empty())
    );

    let f = &all[Path::new("soderasen/forbund.json")];
    assert_eq!(f["type"], "https://schema.oparl.org/1.1/Body");
    assert_eq!(f["meeting"].as_array().unwrap().len(), 2);
    assert_eq!(
        f["meeting"][0]["id"],
        "https://arkiv.example.se/finsam/soderasen/protokoll/2025-03-11/protokoll.json"
    );
    let s = &all[Path::new("sydostraskane/forbund.json")];
    assert_eq!(s["plans"][0]["year"], 2020);
    let list = &all[Path::new("data/forbund.json")];
    assert_eq!(list["body"].as_array().unwrap().len(), 3);
    // Every address in the data is a file of the site.
    let files: BTreeSet<PathBuf> = read_tree(&out).into_keys().collect();
    for (file, value) in &all {
        for url in value
            .to_string()
            .split('"')
            .filter(|s| s.starts_with(ORIGIN))
        {
            assert!(
                files.contains(&file_of(url)),
                "{}: {url} is not on the site",
                file.display()
            );
        }
    }
}

#[test]
fn the_schemas_reject_what_they_do_not_describe() {
    let (_dir, out) = build_example();
    let text = read(&out.join("soderasen/protokoll/2025-03-11/protokoll.json"));
    let good: serde_json::Value = serde_json::from_str(&text).unwrap();
    let v = schema("protokoll.schema.json");
    assert!(errors_of(&v, &good).is_empty());
    let mut missing = good.clone();
    missing.as_object_mut().unwrap().remove("agendaItem");
    assert!(!errors_of(&v, &missing).is_empty());
    let mut unknown = good.clone();
    unknown["agendaItem"][0]["beslut"] = serde_json::json!("x");
    assert!(!errors_of(&v, &unknown).is_empty());
    let mut bad_date = good;
    bad_date["legalDates"]["lastAppealDay"] = serde_json::json!("4 april 2025");
    assert!(!errors_of(&v, &bad_date).is_empty());
}

// ---------------------------------------------------------------------------------------------
// Tombstones

#[test]
fn tombstones_are_listed_as_deleted_and_contradictions_fail_the_build() {
    let (dir, site) = example_copy();
    append(
        &site.join("site.toml"),
        "\n[[borttagna]]\nurl = \"/soderasen/protokoll/2019-05-01/\"\ndatum = 2025-01-10\nskal = \"Publicerades under fel förbund.\"\n\n[[borttagna]]\nurl = \"/sydostraskane/planer/2019/\"\ndatum = 2025-02-01\n",
    );
    let out = dir.path().join("ut");
    build_ok(&site, &out);
    let all = validate_all(&out);
    let f = &all[Path::new("soderasen/forbund.json")];
    let gone: Vec<&serde_json::Value> = f["meeting"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["deleted"] == true)
        .collect();
    assert_eq!(gone.len(), 1);
    assert_eq!(
        gone[0]["web"],
        "https://arkiv.example.se/finsam/soderasen/protokoll/2019-05-01/"
    );
    assert_eq!(gone[0]["modified"], "2025-01-10T00:00:00+01:00");
    assert_eq!(gone[0]["deletedReason"], "Publicerades under fel förbund.");
    let plans = all[Path::new("sydostraskane/forbund.json")]["plans"].clone();
    assert!(
        plans
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["deleted"] == true && p["web"].as_str().unwrap().ends_with("/planer/2019/"))
    );

    // A document that is still there, and a förbund that does not exist: located in site.toml.
    let lines = read(&site.join("site.toml")).lines().count();
    append(
        &site.join("site.toml"),
        "\n[[borttagna]]\nurl = \"/soderasen/protokoll/2025-03-11/\"\ndatum = 2025-04-01\n\n[[borttagna]]\nurl = \"/okand/protokoll/2025-03-11/\"\ndatum = 2025-04-01\n",
    );
    let run = build(&site, &dir.path().join("ut2"));
    assert_eq!(run.code, Some(1));
    let toml = site.join("site.toml");
    let errors = error_locations(&run.stderr);
    for line in [lines + 3, lines + 7] {
        assert!(
            errors.iter().any(
                |(l, c)| l.starts_with(&format!("{}:{line}:", toml.display())) && c == "borttagen"
            ),
            "no error at line {line}: {errors:?}\n{}",
            run.stderr
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Sitemap, robots, noindex, canonical and Open Graph

fn sitemap_locs(xml: &str) -> Vec<String> {
    xml.split("<loc>")
        .skip(1)
        .map(|s| decode(s.split("</loc>").next().unwrap()))
        .collect()
}

#[test]
fn the_sitemap_lists_every_indexable_page_and_robots_points_to_it() {
    let (_dir, out) = build_example();
    let sitemap = read(&out.join("sitemap.xml"));
    assert!(sitemap.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">"));
    let locs: BTreeSet<String> = sitemap_locs(&sitemap).into_iter().collect();
    let expected: BTreeSet<String> = html_pages(&out)
        .into_keys()
        .filter(|f| f.file_name().unwrap() == "index.html")
        .filter(|f| !f.to_string_lossy().contains("inbaddning"))
        .map(|f| format!("https://arkiv.example.se{}", url_of(BASE, &f)))
        .collect();
    assert_eq!(locs, expected);
    assert!(locs.contains("https://arkiv.example.se/finsam/soderasen/protokoll/2025-03-11/"));
    let robots = read(&out.join("robots.txt"));
    assert!(robots.contains("User-agent: *\n"), "{robots}");
    assert!(
        robots.contains("\nSitemap: https://arkiv.example.se/finsam/sitemap.xml\n"),
        "{robots}"
    );
}

#[test]
fn a_large_sitemap_is_split_behind_an_index() {
    let config =
        protokoll::config::parse(&read(&repo().join("site.toml")), Path::new("site.toml")).unwrap();
    let urls = protokoll::render::urls::Urls::new(&config.base_path());
    let ctx = protokoll::publish::Context {
        config: &config,
        urls: &urls,
        today: chrono::NaiveDate::from_ymd_opt(2025, 3, 20).unwrap(),
        theme: None,
    };
    let pages: Vec<String> = (0..7).map(|i| format!("{ORIGIN}s/{i}/")).collect();
    let files = protokoll::publish::sitemap::sitemaps(&ctx, &pages, 3);
    let names: Vec<&str> = files.iter().map(|(u, _)| u.as_str()).collect();
    assert_eq!(
        names,
        [
            "/finsam/sitemap.xml",
            "/finsam/sitemap-1.xml",
            "/finsam/sitemap-2.xml",
            "/finsam/sitemap-3.xml"
        ]
    );
    assert!(files[0].1.contains("<sitemapindex"));
    assert_eq!(
        sitemap_locs(&files[0].1),
        [
            "https://arkiv.example.se/finsam/sitemap-1.xml",
            "https://arkiv.example.se/finsam/sitemap-2.xml",
            "https://arkiv.example.se/finsam/sitemap-3.xml"
        ]
    );
    let mut all: Vec<String> = files[1..]
        .iter()
        .flat_map(|(_, x)| sitemap_locs(x))
        .collect();
    all.sort();
    assert_eq!(all, pages);
    assert!(files[1..].iter().all(|(_, x)| sitemap_locs(x).len() <= 3));
    // At the limit itself there is still one plain sitemap.
    let one = protokoll::publish::sitemap::sitemaps(&ctx, &pages, 7);
    assert_eq!(one.len(), 1);
    assert!(one[0].1.contains("<urlset"));
    assert_eq!(protokoll::publish::sitemap::MAX_URLS, 50_000);
}

fn meta(html: &str, attr: &str, value: &str) -> Option<String> {
    tags(html)
        .into_iter()
        .find(|t| t.name == "meta" && t.attr(attr) == Some(value))
        .and_then(|t| t.attr("content").map(str::to_string))
}

fn canonical(html: &str) -> Option<String> {
    tags(html)
        .into_iter()
        .find(|t| t.name == "link" && t.attr("rel") == Some("canonical"))
        .and_then(|t| t.attr("href").map(str::to_string))
}

#[test]
fn old_protocols_get_noindex_and_leave_the_sitemap_when_the_forbund_asks() {
    let (dir, site) = example_copy();
    append(
        &site.join("content/soderasen/forbund.yaml"),
        "noindex_efter_ar: 3\n",
    );
    let out = dir.path().join("ut");
    build_ok(&site, &out);
    let old = read(&out.join("soderasen/protokoll/2020-11-24/index.html"));
    let new = read(&out.join("soderasen/protokoll/2025-03-11/index.html"));
    let other = read(&out.join("blekinge/protokoll/2025-05-05/index.html"));
    assert_eq!(meta(&old, "name", "robots").as_deref(), Some("noindex"));
    assert_eq!(meta(&new, "name", "robots"), None);
    assert_eq!(meta(&other, "name", "robots"), None);
    let locs = sitemap_locs(&read(&out.join("sitemap.xml")));
    assert!(!locs.iter().any(|l| l.contains("2020-11-24")), "{locs:?}");
    assert!(locs.iter().any(|l| l.contains("2025-03-11")));
    // Without the setting the old protocol is indexed (the example archive).
    let (_d, plain) = build_example();
    assert_eq!(
        meta(
            &read(&plain.join("soderasen/protokoll/2020-11-24/index.html")),
            "name",
            "robots"
        ),
        None
    );

    // 0 years makes no sense: an error at its line.
    let profile = site.join("content/soderasen/forbund.yaml");
    let text = read(&profile).replace("noindex_efter_ar: 3", "noindex_efter_ar: 0");
    let line = text
        .lines()
        .position(|l| l.starts_with("noindex_efter_ar"))
        .unwrap()
        + 1;
    std::fs::write(&profile, text).unwrap();
    let run = build(&site, &dir.path().join("ut2"));
    assert_eq!(run.code, Some(1));
    assert!(
        error_locations(&run.stderr).iter().any(|(l, c)| l
            .starts_with(&format!("{}:{line}:", profile.display()))
            && c == "noindex"),
        "{}",
        run.stderr
    );
}

#[test]
fn canonical_and_open_graph_tags_name_the_page_itself() {
    let (_dir, out) = build_example();
    for (file, html) in html_pages(&out) {
        let name = file.display().to_string();
        let description = meta(&html, "name", "description").unwrap_or_default();
        assert!(!description.is_empty(), "{name}: no description");
        if name == "404.html" {
            // The 404 page is served at any missing address: it names none.
            assert_eq!(canonical(&html), None, "{name}");
            assert_eq!(meta(&html, "name", "robots").as_deref(), Some("noindex"));
            continue;
        }
        if name.contains("inbaddning") {
            assert_eq!(meta(&html, "name", "robots").as_deref(), Some("noindex"));
            continue;
        }
        let own = format!("https://arkiv.example.se{}", url_of(BASE, &file));
        assert_eq!(canonical(&html).as_deref(), Some(own.as_str()), "{name}");
        assert_eq!(
            meta(&html, "property", "og:url").as_deref(),
            Some(own.as_str())
        );
        assert_eq!(
            meta(&html, "property", "og:description"),
            Some(description.clone()),
            "{name}"
        );
        let title = text(by_tag(&html, "title")[0]);
        let og_title = meta(&html, "property", "og:title").unwrap();
        assert!(
            title.starts_with(&og_title),
            "{name}: {og_title:?} vs {title:?}"
        );
        let og_type = meta(&html, "property", "og:type").unwrap();
        let document = name.contains("/protokoll/") || name.contains("/planer/");
        assert_eq!(
            og_type,
            if document { "article" } else { "website" },
            "{name}"
        );
        assert_eq!(
            meta(&html, "property", "og:site_name").as_deref(),
            Some("Finsamarkivet")
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Timeline and embed

#[test]
fn the_forbund_page_shows_a_timeline_with_a_text_alternative_and_a_table() {
    let (_dir, out) = build_example();
    let html = read(&out.join("soderasen/index.html"));
    let img = tags(&html)
        .into_iter()
        .find(|t| t.name == "img" && t.attr("src") == Some("/finsam/soderasen/tidslinje.svg"))
        .expect("the timeline image");
    let alt = img.attr("alt").unwrap();
    assert_eq!(
        alt,
        "Möten och beslut per år. 2020: 1 möte, 12 beslut; 2021: 0 möten, 0 beslut; 2022: 0 möten, 0 beslut; 2023: 0 möten, 0 beslut; 2024: 0 möten, 0 beslut; 2025: 1 möte, 11 beslut."
    );
    let table = by_id(&html, "tidslinje-tabell").map(|_| ()).and_then(|_| {
        by_tag(&html, "table")
            .into_iter()
            .find(|t| t.contains("tidslinje-tabell"))
    });
    let rows: Vec<String> = by_tag(table.expect("the timeline table"), "tr")
        .into_iter()
        .skip(1)
        .map(text)
        .collect();
    assert_eq!(rows.len(), 6);
    assert_eq!(rows[0], "2020 1 12");
    assert_eq!(rows[5], "2025 1 11");
    let svg = read(&out.join("soderasen/tidslinje.svg"));
    assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
    assert!(svg.contains("role=\"img\""));
    assert!(svg.contains("<title id=\"titel\">"));
    assert!(svg.contains(&format!("<desc id=\"beskrivning\">{alt}</desc>")));
    assert!(!svg.to_lowercase().contains("<script"));
    // A förbund without protocols says so instead.
    let empty = read(&out.join("sydostraskane/index.html"));
    assert!(text(by_id(&empty, "tidslinje-rubrik").unwrap()).contains("per år"));
    assert!(!empty.contains("tidslinje.svg"));
}

#[test]
fn the_embed_page_shows_notices_and_latest_protocols_and_opens_links_in_the_top_window() {
    let (_dir, out) = build_example();
    let html = read(&out.join("soderasen/inbaddning/index.html"));
    assert!(html.contains("<html lang=\"sv\">"));
    assert_eq!(meta(&html, "name", "robots").as_deref(), Some("noindex"));
    let seen = text(&html);
    assert!(
        seen.contains("Styrelsen 11 mars 2025, protokoll nr 2"),
        "{seen}"
    );
    assert!(
        seen.contains("Sista dag att överklaga: fredag 4 april 2025"),
        "{seen}"
    );
    assert!(seen.contains("15 dagar kvar att överklaga."), "{seen}");
    for t in tags(&html).into_iter().filter(|t| t.name == "a") {
        let href = t.attr("href").unwrap();
        if href == "#innehall" {
            assert_eq!(t.attr("target"), None, "the skip link stays in the frame");
        } else {
            assert_eq!(t.attr("target"), Some("_top"), "{href}");
        }
    }
    assert!(tags(&html).iter().all(|t| t.attr("style").is_none()));
    let scripts: Vec<_> = tags(&html)
        .into_iter()
        .filter(|t| t.name == "script")
        .collect();
    assert_eq!(scripts.len(), 1);
    assert_eq!(scripts[0].attr("src"), Some("/finsam/assets/anslag.js"));
    // The förbund page links the embed, its JSON, the feeds and the calendars.
    let forbund = read(&out.join("soderasen/index.html"));
    for link in [
        "/finsam/soderasen/inbaddning/",
        "/finsam/soderasen/inbaddning.json",
        "/finsam/soderasen/forbund.json",
        "/finsam/soderasen/kalender.ics",
        "/finsam/soderasen/anslagstavla/kalender.ics",
    ] {
        assert!(links(&forbund).iter().any(|l| l == link), "{link}");
    }
    // A förbund with nothing posted says so.
    let empty = text(&read(&out.join("sydostraskane/inbaddning/index.html")));
    assert!(empty.contains("Inga protokoll ännu."), "{empty}");
}

/// Issue 21: Atom feeds, the sitemap and robots.txt come from the theme's templates, which a site
/// overrides like the page templates (its own `templates/` folder); a mistake in one is an error
/// at its file, and the previous site stays.
#[test]
fn feeds_sitemap_and_robots_are_theme_templates_a_site_can_override() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("arkiv");
    copy_site(&repo(), &site);
    std::fs::create_dir_all(site.join("templates")).unwrap();
    std::fs::write(
        site.join("templates/robots.txt"),
        "# Egen robots.txt för {{ site_title }}\nUser-agent: *\nDisallow: /finsam/sok/\n\nSitemap: {{ sitemap }}\n",
    )
    .unwrap();
    let default_atom = read(&repo().join("themes/default/templates/atom.xml"));
    std::fs::write(
        site.join("templates/atom.xml"),
        default_atom.replace(
            "<generator>protokoll</generator>",
            "<rights>Offentlig handling</rights>\n  <generator>protokoll</generator>",
        ),
    )
    .unwrap();
    let out = dir.path().join("ut");
    build_ok(&site, &out);
    let robots = read(&out.join("robots.txt"));
    assert_eq!(
        robots,
        "# Egen robots.txt för Finsamarkivet\nUser-agent: *\nDisallow: /finsam/sok/\n\nSitemap: https://arkiv.example.se/finsam/sitemap.xml\n"
    );
    for feed in [
        "flode.xml",
        "soderasen/flode.xml",
        "soderasen/anslagstavla/flode.xml",
    ] {
        let xml = read(&out.join(feed));
        assert!(
            xml.contains("<rights>Offentlig handling</rights>"),
            "{feed}: {xml}"
        );
        // Still a feed a reader parses, with its entries.
        let parsed = atom_syndication::Feed::read_from(xml.as_bytes()).unwrap();
        assert_eq!(
            parsed.rights().map(|r| r.value.as_str()),
            Some("Offentlig handling")
        );
    }
    assert!(!read(&out.join("flode.xml")).is_empty());
    // The sitemap keeps the default template.
    assert!(read(&out.join("sitemap.xml")).contains("<urlset"));

    // A template that names what does not exist stops the build at its file; nothing is replaced.
    std::fs::write(
        site.join("templates/robots.txt"),
        "Sitemap: {{ finns_inte.alls }}\n",
    )
    .unwrap();
    let before = read_tree(&out);
    let run = build(&site, &out);
    assert_eq!(run.code, Some(1), "{}\n{}", run.stdout, run.stderr);
    let text = format!("{}{}", run.stdout, run.stderr);
    assert!(text.contains("templates/robots.txt"), "{text}");
    assert!(
        text.contains("fel [mall] mallen robots.txt går inte att använda"),
        "{text}"
    );
    assert_eq!(read_tree(&out), before);
}
