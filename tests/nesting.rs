//! Issue 17, no input can crash or exhaust the process: content nested 100,000 levels deep (block
//! quotes, lists, emphasis, raw HTML, YAML flow and block collections) stops the build with one
//! clear error at the file and line where it gets too deep, after well under a second of work
//! (100,000 nested `<div>` took the sanitiser most of a minute), and never with a crash. Nesting
//! that real protocols use builds.

mod common;

use common::*;
const PROTOCOL: &str = "content/soderasen/protokoll/2025-03-11.md";
const FIRST_HEADING: &str = "## § 12 Mötets öppnande\n";

/// The example archive with `edit` applied to one protocol's text; the build's result.
fn build_with(edit: impl Fn(&str) -> String) -> (Run, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("arkiv");
    copy_site(&repo(), &site);
    let file = site.join(PROTOCOL);
    let text = read(&file);
    let edited = edit(&text);
    assert_ne!(edited, text, "the edit changed nothing");
    std::fs::write(&file, edited).unwrap();
    let run = build(&site, &dir.path().join("public"));
    (run, dir)
}

/// Text put right after the first § heading, on the line after a blank one.
fn in_body(text: &str, insert: &str) -> String {
    text.replacen(FIRST_HEADING, &format!("{FIRST_HEADING}\n{insert}\n"), 1)
}

fn line_of(text: &str, needle: &str) -> usize {
    text[..text.find(needle).expect("needle")]
        .matches('\n')
        .count()
        + 1
}

#[test]
fn markdown_nested_too_deep_is_refused_at_its_line() {
    let original = read(&repo().join(PROTOCOL));
    // The inserted text starts two lines below the heading.
    let line = line_of(&original, FIRST_HEADING) + 2;
    let deep_list: String = (0..2_000)
        .map(|i| format!("{}- punkt\n", "  ".repeat(i)))
        .collect();
    let cases = [
        ("citat", format!("{} text", ">".repeat(100_000))),
        ("listor på en rad", format!("{}text", "- ".repeat(100_000))),
        ("indragna listor", deep_list),
        (
            "betoningar",
            format!("{}b{}", "*a ".repeat(100_000), "*".repeat(100_000)),
        ),
        (
            "div",
            format!(
                "{}text{}",
                "<div>".repeat(100_000),
                "</div>".repeat(100_000)
            ),
        ),
        (
            "span utan slut",
            format!("{}text", "<span>".repeat(100_000)),
        ),
        ("citat och listor", format!("{}text", "> - ".repeat(50_000))),
    ];
    for (what, insert) in cases {
        let started = std::time::Instant::now();
        let (run, _dir) = build_with(|t| in_body(t, &insert));
        assert_eq!(run.code, Some(1), "{what}: {}", run.stderr);
        let first = run
            .stdout
            .lines()
            .chain(run.stderr.lines())
            .next()
            .unwrap_or("");
        let at = "2025-03-11.md:";
        assert!(
            first.contains(at) && first.contains("fel [for-djup]") && first.contains("högst 64"),
            "{what}: {first}"
        );
        let reported: usize = first
            .split(at)
            .nth(1)
            .and_then(|r| r.split(':').next())
            .and_then(|l| l.parse().ok())
            .unwrap_or(0);
        // Deep indented lists go too deep some lines into the insertion.
        assert!(
            (line..line + 40).contains(&reported),
            "{what}: line {reported}, the text starts at {line}"
        );
        assert!(
            started.elapsed().as_secs() < 30,
            "{what} took {:?}",
            started.elapsed()
        );
    }
}

#[test]
fn deep_yaml_in_front_matter_is_a_yaml_error_at_its_line() {
    // 1,000 levels: deep enough for the YAML budget (64), small enough for the size limit.
    let deep_block: String = (0..1_000)
        .map(|i| format!("{}-\n", "  ".repeat(i + 1)))
        .collect();
    let cases = [
        (
            "flödeslistor",
            format!("plats: {}{}", "[".repeat(100_000), "]".repeat(100_000)),
        ),
        (
            "flödesmappar",
            format!("plats: {}1{}", "{a: ".repeat(100_000), "}".repeat(100_000)),
        ),
        ("blocklistor", format!("plats:\n{deep_block}")),
    ];
    for (what, plats) in cases {
        let (run, _dir) = build_with(|t| t.replacen("plats: Skolgatan 5, 26534 Åstorp", &plats, 1));
        assert_eq!(run.code, Some(1), "{what}: {}", run.stderr);
        let first = run
            .stdout
            .lines()
            .chain(run.stderr.lines())
            .next()
            .unwrap_or("");
        assert!(
            (first.contains("2025-03-11.md:8:") || first.contains("2025-03-11.md:9:"))
                && first.contains("fel [yaml]"),
            "{what}: {first}"
        );
    }
}

#[test]
fn nesting_that_protocols_use_builds() {
    let quotes = format!("{} citat i citat", ">".repeat(20));
    let list: String = (0..10)
        .map(|i| format!("{}- punkt {i}\n", "  ".repeat(i)))
        .collect();
    let html = format!("{}inne{}", "<div>".repeat(20), "</div>".repeat(20));
    let (run, dir) = build_with(|t| in_body(t, &format!("{quotes}\n\n{list}\n{html}\n")));
    assert!(run.ok(), "{}\n{}", run.stdout, run.stderr);
    let page = read(
        &dir.path()
            .join("public/soderasen/protokoll/2025-03-11/index.html"),
    );
    assert!(
        page.contains(&"<blockquote>\n".repeat(20)),
        "the quotes are on the page"
    );
    assert!(page.contains("punkt 9"));
    assert!(page.contains(&format!("{}inne", "<div>".repeat(20))));
}
