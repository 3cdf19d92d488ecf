//! Integration tests for issue 2: real sites built by the real binary, checked in the output.
//!
//! - the example archive in `content/` (every § of every seed, decisions, the förbund page),
//! - the build's own link check failing on a broken link,
//! - `tests/fixtures/broken/`: every mistake in one report, previous output untouched,
//! - `tests/fixtures/xss/`: nothing executable gets through,
//! - reproducible output,
//! - links under a sub-path and at the root (`tests/fixtures/subpath/`).

mod common;

use common::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

const BASE: &str = "/finsam/";

/// `## § N Titel` lines of a content file: number, title and how many `::: beslut` blocks the
/// paragraph has, with their decision ids.
#[derive(Debug)]
struct SourceParagraph {
    number: u32,
    title: String,
    decision_ids: Vec<Option<String>>,
}

fn source_paragraphs(file: &Path) -> Vec<SourceParagraph> {
    let text = read(file);
    let mut out: Vec<SourceParagraph> = Vec::new();
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("## §") {
            let rest = rest.trim_start();
            let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
            out.push(SourceParagraph {
                number: digits.parse().unwrap(),
                title: rest[digits.len()..].trim().to_string(),
                decision_ids: Vec::new(),
            });
        } else if let Some(rest) = line.strip_prefix(":::") {
            let rest = rest.trim();
            let (word, arg) = rest.split_once(' ').unwrap_or((rest, ""));
            if word.eq_ignore_ascii_case("beslut") {
                let arg = arg.trim();
                out.last_mut()
                    .expect("a decision belongs to a paragraph")
                    .decision_ids
                    .push((!arg.is_empty()).then(|| arg.to_string()));
            }
        }
    }
    out
}

/// The lines that open a decision block in a content file, counted the simple way.
fn beslut_lines(file: &Path) -> usize {
    read(file)
        .lines()
        .filter(|l| {
            l.strip_prefix(":::")
                .is_some_and(|r| r.trim_start().to_lowercase().starts_with("beslut"))
        })
        .count()
}

fn page<'a>(pages: &'a BTreeMap<PathBuf, String>, file: &str) -> &'a str {
    pages.get(Path::new(file)).unwrap_or_else(|| {
        panic!(
            "{file} was not built; pages: {:?}",
            pages.keys().collect::<Vec<_>>()
        )
    })
}

#[test]
fn soderasen_2025_03_11_shows_paragraph_16_with_its_decision() {
    let (_dir, out) = build_example();
    let pages = html_pages(&out);
    let html = page(&pages, "soderasen/protokoll/2025-03-11/index.html");

    let p16 = by_id(html, "p16").expect("the page has an element with id p16");
    let heading = by_tag(p16, "h2");
    assert_eq!(heading.len(), 1, "§ 16 has one heading: {p16}");
    assert_eq!(
        text(heading[0]),
        "§ 16 Förslag till årsredovisning 2024 avseende Söderåsens samordningsförbund"
    );
    let decisions = by_class(p16, "div", "beslut");
    assert_eq!(decisions.len(), 1, "§ 16 has one decision block: {p16}");
    let decision = text(decisions[0]);
    assert!(
        decision.contains("Styrelsen beslutar att fastställa förslag till årsredovisning 2024 avseende Söderåsens samordningsförbund samt att översända redovisningen till revisionen."),
        "{decision}"
    );
    // The decision is set apart from the background text, which is not inside the block.
    assert!(
        !decision.contains("Det ekonomiska resultatet"),
        "{decision}"
    );
    assert!(
        text(p16)
            .contains("Det ekonomiska resultatet för år 2024 visar på ett underskott på 603 tkr.")
    );

    // The paragraph's address is the documented one, and the page links to it.
    let links = links(html);
    assert!(
        links
            .iter()
            .any(|l| l == "#p16" || l == "/finsam/soderasen/protokoll/2025-03-11/#p16"),
        "{links:?}"
    );
    // The address resolves from anywhere in the site.
    let target = resolve(
        "/finsam/soderasen/",
        "/finsam/soderasen/protokoll/2025-03-11/#p16",
    );
    assert_eq!(
        file_for(BASE, target.split('#').next().unwrap()),
        Some(PathBuf::from("soderasen/protokoll/2025-03-11/index.html"))
    );
}

#[test]
fn forbund_page_lists_both_soderasen_protocols_under_their_years_newest_first() {
    let (_dir, out) = build_example();
    let pages = html_pages(&out);
    let html = page(&pages, "soderasen/index.html");

    // Walk the page in order: year headings and links to protocols.
    let mut year_headings: Vec<(usize, String)> = Vec::new();
    let mut protocol_links: Vec<(usize, String)> = Vec::new();
    for t in tags(html) {
        if matches!(t.name.as_str(), "h2" | "h3" | "h4") {
            let heading = text(outer(html, &t));
            if heading.len() == 4 && heading.chars().all(|c| c.is_ascii_digit()) {
                year_headings.push((t.start, heading));
            }
        }
        if t.name == "a"
            && let Some(href) = t.attr("href")
            && href.starts_with("/finsam/soderasen/protokoll/")
        {
            protocol_links.push((t.start, href.to_string()));
        }
    }
    let years: Vec<&str> = year_headings.iter().map(|(_, y)| y.as_str()).collect();
    assert_eq!(years, ["2025", "2020"], "year headings, newest first");
    // The list by year; the anslagstavla box above it links the protocol posted now as well.
    let first_year = year_headings[0].0;
    protocol_links.retain(|(pos, _)| *pos > first_year);
    let under = |href: &str| -> String {
        let (pos, _) = protocol_links
            .iter()
            .find(|(_, h)| h == href)
            .unwrap_or_else(|| panic!("no link to {href} on the förbund page: {protocol_links:?}"));
        year_headings
            .iter()
            .rev()
            .find(|(h, _)| h < pos)
            .map(|(_, y)| y.clone())
            .unwrap_or_else(|| panic!("{href} is not under a year heading"))
    };
    assert_eq!(under("/finsam/soderasen/protokoll/2025-03-11/"), "2025");
    assert_eq!(under("/finsam/soderasen/protokoll/2020-11-24/"), "2020");
    assert_eq!(
        protocol_links.len(),
        2,
        "exactly the two Söderåsen protocols: {protocol_links:?}"
    );
}

/// The § numbers each seed has (issue 2, point 2): Blekinge's source has no § 6.
fn seeds() -> Vec<(&'static str, &'static str, Vec<u32>)> {
    vec![
        ("soderasen", "2025-03-11", (12..=27).collect()),
        ("soderasen", "2020-11-24", (67..=79).collect()),
        (
            "blekinge",
            "2025-05-05",
            (1..=17).filter(|&n| n != 6).collect(),
        ),
    ]
}

#[test]
fn every_paragraph_of_every_seed_protocol_is_on_its_page() {
    let (_dir, out) = build_example();
    let pages = html_pages(&out);
    for (slug, id, numbers) in seeds() {
        let source = repo().join(format!("content/{slug}/protokoll/{id}.md"));
        let written: Vec<u32> = source_paragraphs(&source)
            .iter()
            .map(|p| p.number)
            .collect();
        assert_eq!(written, numbers, "the § of {}", source.display());

        let html = page(&pages, &format!("{slug}/protokoll/{id}/index.html"));
        let rendered: Vec<String> = by_class(html, "section", "paragraf")
            .iter()
            .map(|s| tags(s)[0].attr("id").unwrap_or("").to_string())
            .collect();
        let expected: Vec<String> = numbers.iter().map(|n| format!("p{n}")).collect();
        assert_eq!(rendered, expected, "the paragraph sections of {slug}/{id}");
        for p in source_paragraphs(&source) {
            let section = by_id(html, &format!("p{}", p.number)).unwrap();
            let heading = text(by_tag(section, "h2")[0]);
            assert_eq!(
                heading,
                format!("§ {} {}", p.number, p.title),
                "{slug}/{id}"
            );
        }
    }
}

#[test]
fn every_decision_is_rendered_as_a_decision_in_its_paragraph() {
    let (_dir, out) = build_example();
    let pages = html_pages(&out);
    let mut total = 0;
    for (slug, id, _) in seeds() {
        let source = repo().join(format!("content/{slug}/protokoll/{id}.md"));
        let html = page(&pages, &format!("{slug}/protokoll/{id}/index.html"));
        let blocks = by_class(html, "div", "beslut");
        assert_eq!(
            blocks.len(),
            beslut_lines(&source),
            "decision blocks on {slug}/{id} vs `::: beslut` lines in {}",
            source.display()
        );
        assert!(!blocks.is_empty());
        total += blocks.len();
        for p in source_paragraphs(&source) {
            let section = by_id(html, &format!("p{}", p.number)).unwrap();
            let decisions = by_class(section, "div", "beslut");
            assert_eq!(
                decisions.len(),
                p.decision_ids.len(),
                "decisions in § {} of {slug}/{id}",
                p.number
            );
            for (block, decision_id) in decisions.iter().zip(&p.decision_ids) {
                assert!(
                    text(block).len() > "Beslut".len() + 10,
                    "an empty decision in § {}: {block}",
                    p.number
                );
                if let Some(decision_id) = decision_id {
                    assert!(
                        text(block).contains(decision_id.as_str()),
                        "decision id {decision_id} in § {}: {block}",
                        p.number
                    );
                }
            }
        }
    }
    // 11 + 12 + 11 in the three content files.
    assert_eq!(total, 34);
}

#[test]
fn the_sydostra_skane_plan_has_every_section_and_its_budget_tables() {
    let (_dir, out) = build_example();
    let pages = html_pages(&out);
    let source = read(&repo().join("content/sydostraskane/planer/2020.md"));
    let html = page(&pages, "sydostraskane/planer/2020/index.html");

    let titles: Vec<&str> = source
        .lines()
        .filter_map(|l| l.strip_prefix("## "))
        .map(str::trim)
        .collect();
    assert_eq!(titles.len(), 12, "the plan's twelve numbered sections");
    assert_eq!(titles[0], "1. Inledning");
    assert_eq!(titles[11], "12. Ekonomi");
    let headings: Vec<String> = by_tag(html, "h2").iter().map(|h| text(h)).collect();
    let mut position = 0;
    for title in &titles {
        let found = headings[position..]
            .iter()
            .position(|h| h == title)
            .unwrap_or_else(|| {
                panic!(
                    "section {title:?} is not a heading (in order) on the plan page: {headings:?}"
                )
            });
        position += found + 1;
    }

    // Every Markdown table is a table on the page; the budget is in the Ekonomi section.
    let markdown_tables = source
        .lines()
        .filter(|l| {
            let t = l.trim();
            t.starts_with('|') && t.contains("---") && t.chars().all(|c| "|-: ".contains(c))
        })
        .count();
    assert_eq!(markdown_tables, 8);
    assert_eq!(by_tag(html, "table").len(), markdown_tables);
    let ekonomi = by_id(html, "12-ekonomi").expect("the section anchor comes from its title");
    let tables = by_tag(ekonomi, "table");
    assert_eq!(tables.len(), 3, "intäkter, kostnader, flerårsplan");
    let rows = |table: &str| -> Vec<Vec<String>> {
        by_tag(table, "tr")
            .iter()
            .map(|r| {
                tags(r)
                    .iter()
                    .filter(|t| t.name == "td" || t.name == "th")
                    .map(|t| text(outer(r, t)))
                    .collect()
            })
            .collect()
    };
    let income = rows(tables[0]);
    assert_eq!(income[0], ["Medlemsavgifter", "Tkr"]);
    assert!(
        income.contains(&vec!["Försäkringskassan".to_string(), "2435".to_string()]),
        "{income:?}"
    );
    assert_eq!(income.last().unwrap(), &["Summa intäkter", "4 870"]);
    let costs = rows(tables[1]);
    assert_eq!(costs.last().unwrap(), &["Summa kostnader", "7381"]);
    assert!(
        costs.contains(&vec![
            "Förbundschef (inlånad 42 %)".to_string(),
            "409".to_string()
        ]),
        "{costs:?}"
    );
}

#[test]
fn every_internal_link_of_the_example_archive_resolves_under_the_sub_path() {
    let (_dir, out) = build_example();
    let pages = html_pages(&out);
    assert!(pages.len() >= 20, "{} pages", pages.len());
    let mut internal = 0;
    for (file, html) in &pages {
        for link in links(html) {
            assert!(
                link.starts_with(BASE) || link.starts_with('#') || is_external(&link),
                "{}: link {link:?} is neither under {BASE}, a fragment nor external",
                file.display()
            );
            if !is_external(&link) {
                internal += 1;
            }
        }
    }
    assert!(internal > 300, "only {internal} internal links");
    let broken = broken_links(&out, BASE);
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
}

#[test]
fn the_build_fails_on_a_broken_internal_link_and_names_file_and_target() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    copy_site(&repo(), &site);
    let protocol = site.join("content/soderasen/protokoll/2020-11-24.md");
    let mut text = read(&protocol);
    text.push_str(
        "\nSe även [§ 99](/finsam/soderasen/protokoll/2025-03-11/#p99) och [mötet](/finsam/soderasen/protokoll/2025-03-12/).\n",
    );
    std::fs::write(&protocol, text).unwrap();
    // The example archive as it was, already published in the output folder.
    let out = dir.path().join("public");
    build_ok(&repo(), &out);
    let before = read_tree(&out);

    // The link check runs on the written pages, so this build fails after writing its pages.
    let run = build(&site, &out);
    assert_eq!(run.code, Some(1), "{}\n{}", run.stdout, run.stderr);
    let errors = error_locations(&run.stderr);
    let file = protocol.display().to_string();
    let ours: Vec<&(String, String)> = errors
        .iter()
        .filter(|(loc, _)| loc.starts_with(&format!("{file}:")))
        .collect();
    assert_eq!(ours.len(), 2, "two broken links in {file}:\n{}", run.stderr);
    let lines: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.starts_with(&format!("{file}:")) && l.contains(": fel ["))
        .collect();
    assert!(
        lines.iter().any(
            |l| l.contains("/finsam/soderasen/protokoll/2025-03-11/#p99")
                && l.contains("#p99 finns inte")
        ),
        "{}",
        run.stderr
    );
    assert!(
        lines
            .iter()
            .any(|l| l.contains("/finsam/soderasen/protokoll/2025-03-12/")
                && l.contains("sidan finns inte")),
        "{}",
        run.stderr
    );
    assert_eq!(errors.len(), 2, "nothing else is wrong:\n{}", run.stderr);
    // The pages of the failed build were never swapped in.
    let after = read_tree(&out);
    assert_eq!(
        before.keys().collect::<Vec<_>>(),
        after.keys().collect::<Vec<_>>()
    );
    assert!(before == after, "the published site changed");
    let mut beside: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    beside.sort();
    assert_eq!(
        beside,
        [".protokoll", "public", "site"],
        "only the site, public/ and the search server's index beside each other"
    );
    assert_no_staging_left(&dir.path().join(".protokoll/sokindex"));

    // The same link to an anchor that exists builds.
    let fixed = read(&protocol)
        .replace("#p99", "#p16")
        .replace("2025-03-12/", "2025-03-11/");
    std::fs::write(&protocol, fixed).unwrap();
    build_ok(&site, &out);
    let html = read(&out.join("soderasen/protokoll/2020-11-24/index.html"));
    assert!(
        links(&html)
            .iter()
            .any(|l| l == "/finsam/soderasen/protokoll/2025-03-11/#p16")
    );
}

/// Every mistake in `tests/fixtures/broken/`, where the report must point at it.
const BROKEN: &[(&str, &str, &str)] = &[
    // (file:line:column, code, what is wrong)
    (
        "alfa/forbund.yaml:4:22",
        "organisationsnummer",
        "nine digits",
    ),
    ("alfa/forbund.yaml:5:10", "url", "hemsida without https://"),
    (
        "alfa/forbund.yaml:10:10",
        "medlem",
        "member type `landsting`",
    ),
    (
        "alfa/forbund.yaml:13:10",
        "url",
        "notice board url without https://",
    ),
    (
        "alfa/planer/2025.md:3:5",
        "ar",
        "year 2026 in the file 2025.md",
    ),
    ("alfa/planer/2025.md:5:10", "datum", "2024-11-31"),
    (
        "alfa/protokoll/11-mars.md:1:1",
        "filnamn",
        "file name is not a date",
    ),
    (
        "alfa/protokoll/2025-03-11.md:3:8",
        "datum",
        "datum disagrees with the file name",
    ),
    ("alfa/protokoll/2025-03-11.md:6:9", "tid", "25:61"),
    ("alfa/protokoll/2025-03-11.md:8:10", "datum", "2025-02-30"),
    (
        "alfa/protokoll/2025-03-11.md:11:14",
        "datum",
        "`14 mars 2025`",
    ),
    (
        "alfa/protokoll/2025-03-11.md:22:5",
        "block",
        "unknown block kind `beslutt`",
    ),
    (
        "alfa/protokoll/2025-03-11.md:25:4",
        "paragraf-dubblett",
        "§ 2 twice",
    ),
    (
        "alfa/protokoll/2025-03-11.md:27:1",
        "block",
        "`::: förslag` never closed",
    ),
    (
        "alfa/protokoll/2025-04-01.md:4:1",
        "yaml",
        "misspelt key `forvaringplats`",
    ),
    (
        "alfa/protokoll/2025-04-01.md:9:1",
        "block",
        "bilaga without a title",
    ),
    // A missing key has no place of its own; the report points into the mapping that lacks it.
    ("alfa/protokoll/2025-05-06.md:3:1", "yaml", "no `organ`"),
    ("alfa/protokoll/2025-06-10.md:4:8", "yaml", "unclosed quote"),
    (
        "beta/protokoll/2025-03-11.md:1:1",
        "okant-forbund",
        "no content/beta/forbund.yaml",
    ),
    ("gamma/forbund.yaml:3:1", "yaml", "no `sate`"),
];

#[test]
fn broken_content_is_reported_at_once_and_the_previous_site_is_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    // A good site in the output folder first.
    build_ok(&repo(), &out);
    let before = read_tree(&out);
    assert!(before.len() > 20);

    let rot = Path::new("tests/fixtures/broken");
    let run = build(rot, &out);
    assert_eq!(run.code, Some(1), "{}\n{}", run.stdout, run.stderr);

    let reported = error_locations(&run.stderr);
    let expected: Vec<(String, String)> = BROKEN
        .iter()
        .map(|(loc, code, _)| {
            (
                format!("tests/fixtures/broken/content/{loc}"),
                code.to_string(),
            )
        })
        .collect();
    for ((loc, code), (_, _, what)) in expected.iter().zip(BROKEN) {
        assert!(
            reported.contains(&(loc.clone(), code.clone())),
            "the report does not name {what} at {loc} [{code}]:\n{}",
            run.stderr
        );
    }
    assert_eq!(
        reported, expected,
        "exactly these errors, in file order:\n{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains(&format!("Bygget misslyckades: {} fel", BROKEN.len())),
        "{}",
        run.stderr
    );
    // Hints say what was expected.
    for hint in [
        "menade du `forvaringsplats`?",
        "medlemstyper: kommun, region, forsakringskassan, arbetsformedlingen",
        "skriv datum som ÅÅÅÅ-MM-DD",
        "blocktyper: förslag, beslut, reservation, bilaga",
    ] {
        assert!(
            run.stderr.contains(hint),
            "no hint {hint:?}:\n{}",
            run.stderr
        );
    }
    // Nothing was written: the previous site is byte for byte what it was, and no staging folder
    // is left beside it.
    let after = read_tree(&out);
    assert_eq!(
        before.keys().collect::<Vec<_>>(),
        after.keys().collect::<Vec<_>>(),
        "the file list changed"
    );
    for (file, bytes) in &before {
        assert!(after[file] == *bytes, "{} changed", file.display());
    }
    let mut beside: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    beside.sort();
    assert_eq!(
        beside,
        [".protokoll", "public"],
        "leftovers beside the output folder"
    );
    assert_no_staging_left(&dir.path().join(".protokoll/sokindex"));
}

/// The search server's indexes hold the last good build's index and no staging folder.
fn assert_no_staging_left(index_home: &Path) {
    let names: Vec<_> = std::fs::read_dir(index_home)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, ["public"], "leftovers beside the search index");
}

#[test]
fn the_library_reports_the_same_mistakes() {
    let options = protokoll::build::BuildOptions {
        root: PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/broken"),
        today: chrono::NaiveDate::from_ymd_opt(2025, 3, 20).unwrap(),
        output: Some(tempfile::tempdir().unwrap().path().join("public")),
        progress: false,
        precompress: false,
        full: false,
    };
    let failure = protokoll::build::build(&options).expect_err("the broken fixture does not build");
    let errors: Vec<String> = failure
        .diagnostics
        .iter()
        .filter(|d| d.severity == protokoll::diagnostics::Severity::Fel)
        .map(|d| {
            let loc = d.location();
            let rel = loc
                .split("tests/fixtures/broken/content/")
                .nth(1)
                .unwrap_or(&loc)
                .to_string();
            format!("{rel} {}", d.code)
        })
        .collect();
    let expected: Vec<String> = BROKEN
        .iter()
        .map(|(loc, code, _)| format!("{loc} {code}"))
        .collect();
    assert_eq!(errors, expected);
}

#[test]
fn script_event_handlers_and_javascript_urls_never_reach_the_output() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    build_ok(&fixture("xss"), &out);
    let pages = html_pages(&out);
    assert!(pages.len() >= 10);
    for (file, html) in &pages {
        let name = file.display();
        // The only scripts are the site's own, empty and loaded from its assets.
        let scripts: Vec<Tag> = tags(html)
            .into_iter()
            .filter(|t| t.name == "script")
            .collect();
        for script in &scripts {
            assert!(
                matches!(
                    script.attr("src"),
                    Some("/finsam/assets/anslag.js" | "/finsam/assets/sok.js")
                ),
                "{name}: {script:?}"
            );
            assert_eq!(
                &outer(html, script)[script.end - script.start..],
                "</script>",
                "{name}: an inline script"
            );
        }
        let lower = html.to_lowercase();
        assert_eq!(
            lower.matches("<script").count(),
            scripts.len(),
            "{name}: a script tag got through"
        );
        for bad in [
            "onerror",
            "onload",
            "onclick",
            "javascript:",
            "<iframe",
            "<svg",
        ] {
            assert!(!lower.contains(bad), "{name}: `{bad}` got through");
        }
        for tag in tags(html) {
            for (attr, value) in &tag.attrs {
                assert!(
                    !attr.starts_with("on"),
                    "{name}: event handler {attr} on <{}>",
                    tag.name
                );
                let v = value.trim().to_lowercase();
                for scheme in ["javascript:", "data:", "vbscript:"] {
                    assert!(
                        !v.starts_with(scheme),
                        "{name}: {attr}={value:?} on <{}>",
                        tag.name
                    );
                }
            }
        }
    }

    // Front matter is text: the script tags are there, escaped, where a reader sees the values.
    let protocol = page(&pages, "xss/protokoll/2025-03-11/index.html");
    assert!(
        protocol.contains("&lt;script&gt;"),
        "front matter values are escaped"
    );
    let seen = text(protocol);
    for value in [
        "<script>alert('organ')</script>Styrelsen",
        "<script>alert('plats')</script>Skolgatan 5",
        "<script>alert('person')</script>Anna Andersson",
        "<script>alert('namn')</script> Samordningsförbundet Ondsint",
        "<script>alert('forvaringsplats')</script>Åstorp",
        "<script>alert('beslutsid')</script>",
    ] {
        assert!(
            seen.contains(value),
            "the value {value:?} is not shown as text"
        );
    }
    let forbund = page(&pages, "xss/index.html");
    assert!(text(forbund).contains("<script>alert('namn')</script> Samordningsförbundet Ondsint"));
    assert!(forbund.contains("&lt;script&gt;alert("));
    let plan = page(&pages, "xss/planer/2025/index.html");
    assert!(text(plan).contains("<script>alert('titel')</script>Verksamhetsplan 2025"));

    // What is not dangerous survives the sanitiser: text, link texts, safe images, ids and classes.
    for kept in [
        "Egen text",
        "Styrelsen beslutar att öppna mötet.",
        "Mötet avslutas.",
    ] {
        assert!(seen.contains(kept), "{kept:?} was lost");
    }
    let all = tags(protocol);
    assert!(
        all.iter()
            .any(|t| t.name == "img" && t.attr("src") == Some("https://example.se/x.png"))
    );
    assert!(
        all.iter().any(|t| t.name == "p"
            && t.has_class("markerad")
            && t.attr("id").is_some_and(|i| i.ends_with("eget"))),
        "id and class of author HTML are kept"
    );
}

/// The first line where two files differ, both versions.
fn first_difference(a: &[u8], b: &[u8]) -> String {
    let (a, b) = (String::from_utf8_lossy(a), String::from_utf8_lossy(b));
    let mut lines = a.lines().zip(b.lines()).enumerate();
    match lines.find(|(_, (x, y))| x != y) {
        Some((i, (x, y))) => format!("line {}:\n- {x}\n+ {y}", i + 1),
        None => format!("lengths {} and {}", a.len(), b.len()),
    }
}

#[test]
fn two_builds_of_the_same_input_are_byte_identical() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a");
    let b = dir.path().join("b");
    build_ok(&repo(), &a);
    build_ok(&repo(), &b);
    // The same archive copied elsewhere: no path of the build machine may leak into the site.
    let copy = dir.path().join("kopia");
    copy_site(&repo(), &copy);
    let c = dir.path().join("c");
    build_ok(&copy, &c);

    // Every byte of the output, the static search index included. The server's tantivy index
    // lies outside it (tantivy names its segment files at random): it is compared by what it
    // holds and answers (below).
    for site in [&a, &b, &c] {
        assert!(
            !site.join("sok/index").exists(),
            "the tantivy index is published"
        );
        assert!(
            protokoll::search::index::location(site)
                .join("meta.json")
                .is_file()
        );
    }
    let (ta, tb, tc) = (read_tree(&a), read_tree(&b), read_tree(&c));
    assert!(ta.len() > 20);
    for (name, other) in [("second build", &tb), ("build of a copy", &tc)] {
        assert_eq!(
            ta.keys().collect::<Vec<_>>(),
            other.keys().collect::<Vec<_>>(),
            "{name}: file lists differ"
        );
        for (file, bytes) in &ta {
            assert!(
                other[file] == *bytes,
                "{name}: {} differs, first at:\n{}",
                file.display(),
                first_difference(bytes, &other[file])
            );
        }
    }

    let answers = |site: &Path| {
        let engine = protokoll::search::engine::Engine::open(site).unwrap();
        let mut out = vec![format!("{:?}", engine.stored_documents().unwrap())];
        for q in [
            "årsredovisning 2024",
            "förbundet",
            "budget -revision",
            "utv",
            "och",
        ] {
            let request = protokoll::search::engine::Request {
                text: q.to_string(),
                limit: 1_000,
                ..Default::default()
            };
            let r = engine.search(&request).unwrap();
            assert!(r.total > 0, "{q}");
            out.push(format!("{q}: {} {:?}", r.total, r.hits));
        }
        out
    };
    let first = answers(&a);
    assert_eq!(
        first,
        answers(&b),
        "the second build's index answers otherwise"
    );
    assert_eq!(first, answers(&c), "the copy's index answers otherwise");

    // The comparison is not blind: another build day gives another site.
    let d = dir.path().join("d");
    let run = build_on(&repo(), &d, "2025-03-21");
    assert!(run.ok(), "{}", run.stderr);
    let td = read_tree(&d);
    assert!(ta.iter().any(|(f, bytes)| td.get(f) != Some(bytes)));
}

/// Checks that every absolute link of a built site starts with `base` (the others are fragments,
/// external, or relative links an author wrote in Markdown) and that every internal one resolves.
fn assert_links_under(out: &Path, base: &str) {
    let pages = html_pages(out);
    for (file, html) in &pages {
        for link in links(html) {
            assert!(
                link.starts_with(base) || !link.starts_with('/') || link.starts_with("//"),
                "{}: {link:?} does not start with {base}",
                file.display()
            );
        }
    }
    let broken = broken_links(out, base);
    assert!(
        broken.is_empty(),
        "broken links under {base}:\n{}",
        broken.join("\n")
    );
}

#[test]
fn a_site_at_the_root_links_from_slash_and_every_link_resolves() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let site = fixture("subpath");
    assert!(read(&site.join("site.toml")).contains("base_url = \"https://example.se/\""));
    build_ok(&site, &out);
    assert_links_under(&out, "/");
    let html = read(&out.join("rot/protokoll/2025-03-11/index.html"));
    let l = links(&html);
    for expected in [
        "/",
        "/rot/",
        "/assets/style.css",
        "/assets/anslag.js",
        "/tillganglighet/",
    ] {
        assert!(
            l.iter().any(|x| x == expected),
            "no link {expected:?} in {l:?}"
        );
    }
    // Links that the author wrote in Markdown keep working: to a § of the same protocol, to
    // another protocol, to a plan section.
    assert!(l.iter().any(|x| x == "#p2"), "{l:?}");
    assert!(l.iter().any(|x| x == "../2025-03-12/#p3"), "{l:?}");
    assert!(l.iter().any(|x| x == "../../planer/2025/#budget"), "{l:?}");
    let forbund = read(&out.join("rot/index.html"));
    assert!(
        links(&forbund)
            .iter()
            .any(|x| x == "/rot/protokoll/2025-03-12/")
    );
}

#[test]
fn the_same_site_under_a_deeper_sub_path_and_the_example_archive_at_the_root() {
    let dir = tempfile::tempdir().unwrap();

    let deep = dir.path().join("djup");
    copy_site(&fixture("subpath"), &deep);
    set_base_url(&deep, "https://example.se/kommun/finsam/");
    let out = dir.path().join("djup-ut");
    build_ok(&deep, &out);
    assert_links_under(&out, "/kommun/finsam/");
    let html = read(&out.join("rot/protokoll/2025-03-11/index.html"));
    assert!(links(&html).iter().any(|x| x == "/kommun/finsam/rot/"));
    let forbund = read(&out.join("rot/index.html"));
    assert!(
        links(&forbund)
            .iter()
            .any(|x| x == "/kommun/finsam/rot/protokoll/2025-03-12/")
    );

    let example = dir.path().join("exempel");
    copy_site(&repo(), &example);
    set_base_url(&example, "https://example.se/");
    let out = dir.path().join("exempel-ut");
    build_ok(&example, &out);
    assert_links_under(&out, "/");
    let html = read(&out.join("soderasen/index.html"));
    assert!(
        links(&html)
            .iter()
            .any(|x| x == "/soderasen/protokoll/2025-03-11/")
    );
    assert!(
        !html.contains("/finsam/"),
        "nothing of the old sub-path is left"
    );
}

#[test]
fn the_example_archive_builds_without_warnings_and_sums_up_the_legal_checks() {
    let dir = tempfile::tempdir().unwrap();
    let run = build_ok(&repo(), &dir.path().join("public"));
    // Nothing about the content itself: no warning, no error, on stderr.
    assert_eq!(
        run.stderr, "",
        "the example archive builds without warnings"
    );
    // The legal checks (issue 3) are summed up in one line, with the rebuild date.
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert!(
        lines.iter().any(|l| l.starts_with("Byggt 25 sidor")),
        "{}",
        run.stdout
    );
    assert_eq!(
        lines
            .iter()
            .filter(|l| l.starts_with("Lagkontroller: "))
            .count(),
        1,
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("bygg om senast 2025-04-05"),
        "{}",
        run.stdout
    );
}
