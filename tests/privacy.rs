//! The privacy guard in `build`: planted identity numbers and an IP address fail the build with one
//! error per occurrence, naming file and line, without printing the numbers; and neither the
//! example archive nor a generated corpus trips the guard anywhere in their built output.

mod common;

use protokoll::{privacy, search};
use std::path::Path;
use std::process::Command;

const WORD_LIST: &str = "/usr/share/dict/swedish";

/// Every blocking finding in every file under `dir`, as `path:line kind`.
fn blocking_findings(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut files = 0;
    for e in walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
    {
        if !e.file_type().is_file() {
            continue;
        }
        files += 1;
        // tantivy's files are compressed binary, where any run of bytes may look like an
        // address; what they hold is read decoded below. Its JSON file is text and read here.
        let in_index = e.path().starts_with(search::index::location(dir));
        if in_index && e.path().extension().is_none_or(|x| x != "json") {
            continue;
        }
        if let Some(text) = common::published_text(e.path()) {
            scan_text(&text, &e.path().display().to_string(), &mut out);
        }
    }
    assert!(files > 0, "no files under {}", dir.display());
    if search::index::location(dir).is_dir() {
        let engine = search::engine::Engine::open(dir).unwrap();
        let documents = engine.stored_documents().unwrap();
        assert_eq!(documents.len(), engine.units().len());
        assert!(!documents.is_empty(), "the search index is empty");
        for (i, text) in documents.iter().enumerate() {
            scan_text(
                text,
                &format!("sökindexets dokument {}", engine.units()[i].id),
                &mut out,
            );
        }
    }
    out
}

fn scan_text(text: &str, place: &str, out: &mut Vec<String>) {
    for f in privacy::scan(text, &privacy::Policy::default()) {
        if f.kind.blocks_publication() {
            out.push(format!(
                "{place}:{} {} ({})",
                f.line,
                f.kind.rule_id(),
                f.shown
            ));
        }
    }
}

#[test]
fn planted_identity_numbers_fail_the_build_once_each() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("ut");
    let run = common::build(&common::fixture("personnummer"), &out);
    assert!(!run.ok(), "the build must fail:\n{}", run.stdout);
    let mut found: Vec<(usize, String)> = common::error_locations(&run.stderr)
        .into_iter()
        .map(|(loc, code)| {
            let mut parts = loc.rsplitn(3, ':');
            let _column = parts.next();
            let line: usize = parts.next().unwrap().parse().unwrap();
            let file = parts.next().unwrap();
            assert!(
                file.ends_with("content/alfa/protokoll/2025-03-11.md"),
                "{loc}"
            );
            (line, code)
        })
        .collect();
    found.sort();
    let expected: Vec<(usize, String)> = [
        (13, "personnummer"),          // 12 digits, no separator
        (15, "personnummer"),          // 12 digits with a dash
        (17, "personnummer"),          // 10 digits with a dash
        (19, "personnummer"),          // 10 digits, no separator
        (21, "personnummer"),          // 10 digits with a plus (100 years or older)
        (23, "samordningsnummer"),     // day + 60
        (25, "maskerat-fodelsedatum"), // 19820629XXXX
        (27, "ip-adress"),
    ]
    .into_iter()
    .map(|(l, c)| (l, c.to_string()))
    .collect();
    assert_eq!(found, expected, "{}", run.stderr);
    assert!(!out.exists(), "nothing may be published");
    for number in [
        "198001012387",
        "19800101-2387",
        "800101-2387",
        "8001012387",
        "19800161-2384",
        "192.0.2.14",
    ] {
        assert!(
            !run.stderr.contains(number),
            "the report repeats {number}:\n{}",
            run.stderr
        );
    }
}

#[test]
fn the_example_archive_has_no_false_positives() {
    let (_dir, out) = common::build_example();
    let found = blocking_findings(&out);
    assert!(found.is_empty(), "{found:#?}");
    let found = blocking_findings(&common::repo().join("content"));
    assert!(found.is_empty(), "{found:#?}");
}

#[test]
fn a_generated_corpus_has_no_false_positives() {
    assert!(
        Path::new(WORD_LIST).exists(),
        "{WORD_LIST} saknas: installera wswedish (scripts/test gör det)"
    );
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("korpus");
    let out = Command::new(env!("CARGO_BIN_EXE_protokoll"))
        .args([
            "generate",
            "--storlek",
            "small",
            "--protokoll",
            "200",
            "--ordlista",
            WORD_LIST,
            "--ut",
        ])
        .arg(&corpus)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let site = dir.path().join("webbplats");
    common::build_ok(&corpus, &site);
    let found = blocking_findings(&site);
    assert!(found.is_empty(), "{found:#?}");
    let found = blocking_findings(&corpus.join("content"));
    assert!(found.is_empty(), "{found:#?}");
}

/// Every fixture that builds publishes nothing the guard blocks, read in its normalised forms
/// (the scan below is the guard's own, which normalises first).
#[test]
fn every_fixture_that_builds_has_no_findings_in_its_output() {
    let mut built = 0;
    for fixtures in [
        common::repo().join("tests/fixtures"),
        common::repo().join("tests/browser/fixtures"),
    ] {
        for entry in std::fs::read_dir(&fixtures).unwrap() {
            let root = entry.unwrap().path();
            if !root.join("site.toml").exists() {
                continue;
            }
            let dir = tempfile::tempdir().unwrap();
            let out = dir.path().join("ut");
            if !common::build(&root, &out).ok() {
                // The broken and planted fixtures must fail; their own tests say how.
                continue;
            }
            built += 1;
            let found = blocking_findings(&out);
            assert!(found.is_empty(), "{}: {found:#?}", root.display());
        }
    }
    assert!(built >= 3, "only {built} fixtures built");
}
