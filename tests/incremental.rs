//! Issue 20: a rebuild writes only the files whose bytes changed, leaves every other file as it
//! was (its mtime included), removes what is no longer made, and ends with exactly the output a
//! fresh build of the same input gives, over a series of edits.

mod common;

use common::{build_ok, build_on, copy_site, read, read_tree, repo};
use std::collections::BTreeMap;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

/// Every file of the output with its inode and mtime (seconds and nanoseconds): a file written
/// again, even with the same bytes, gets a new inode (rename) or a new mtime.
fn stamps(dir: &Path) -> BTreeMap<PathBuf, (u64, i64, i64)> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let m = e.metadata().unwrap();
            (
                e.path().strip_prefix(dir).unwrap().to_path_buf(),
                (m.ino(), m.mtime(), m.mtime_nsec()),
            )
        })
        .collect()
}

/// The files whose stamp differs, or that came or went.
fn touched(
    before: &BTreeMap<PathBuf, (u64, i64, i64)>,
    after: &BTreeMap<PathBuf, (u64, i64, i64)>,
) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = after
        .iter()
        .filter(|(p, s)| before.get(*p) != Some(*s))
        .map(|(p, _)| p.clone())
        .collect();
    out.extend(before.keys().filter(|p| !after.contains_key(*p)).cloned());
    out.sort();
    out
}

/// The counts the build prints: "I utdatamappen: 3 filer skrivna, 1 borttagna, 97 orörda."
fn synced(stdout: &str) -> (usize, usize, usize) {
    let line = stdout
        .lines()
        .find(|l| l.starts_with("I utdatamappen:"))
        .unwrap_or_else(|| panic!("no sync line in:\n{stdout}"));
    let numbers: Vec<usize> = line
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .map(|s| s.parse().unwrap())
        .collect();
    (numbers[0], numbers[1], numbers[2])
}

fn assert_same_tree(incremental: &Path, fresh: &Path, step: &str) {
    let (a, b) = (read_tree(incremental), read_tree(fresh));
    assert_eq!(
        a.keys().collect::<Vec<_>>(),
        b.keys().collect::<Vec<_>>(),
        "{step}: the file lists differ"
    );
    for (file, bytes) in &a {
        assert!(
            b[file] == *bytes,
            "{step}: {} differs from a fresh build's",
            file.display()
        );
    }
}

#[test]
fn a_rebuild_of_unchanged_input_writes_nothing_and_one_edit_writes_few_files() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    copy_site(&repo(), &site);
    let out = dir.path().join("public");
    build_ok(&site, &out);
    let first = stamps(&out);
    assert!(first.len() > 50, "{} files", first.len());

    let run = build_ok(&site, &out);
    assert_eq!(
        synced(&run.stdout),
        (0, 0, first.len() - 1),
        "{}",
        run.stdout
    );
    assert_eq!(touched(&first, &stamps(&out)), Vec::<PathBuf>::new());

    // One paragraph of one protocol: its page, the pages and files that show its text, and the
    // search files that hold its words; not the site.
    let protocol = site.join("content/blekinge/protokoll/2025-05-05.md");
    let text = read(&protocol).replace(
        "förklarade mötet öppnat.",
        "förklarade mötet öppnat och hälsade alla välkomna.",
    );
    std::fs::write(&protocol, text).unwrap();
    let run = build_ok(&site, &out);
    let changed = touched(&first, &stamps(&out));
    let (written, removed, _) = synced(&run.stdout);
    assert_eq!(written + removed, changed.len(), "{changed:#?}");
    assert!(
        changed.contains(&PathBuf::from("blekinge/protokoll/2025-05-05/index.html")),
        "{changed:#?}"
    );
    assert!(
        changed.len() * 4 < first.len(),
        "{} of {} files rewritten for one edit: {changed:#?}",
        changed.len(),
        first.len()
    );
    for untouched in [
        "index.html",
        "404.html",
        "soderasen/index.html",
        "assets/style.css",
    ] {
        assert!(
            !changed.contains(&PathBuf::from(untouched)),
            "{untouched} was rewritten"
        );
    }
}

/// One edit of the series: what it is, and how it changes the copied archive.
type Edit = (&'static str, Box<dyn Fn(&Path)>);

/// The edits of the series, in order.
fn edits() -> Vec<Edit> {
    let protocols = |site: &Path| site.join("content/blekinge/protokoll");
    let with_date = |text: String, from: &str, to: &str| {
        text.replace(&format!("datum: {from}"), &format!("datum: {to}"))
    };
    vec![
        (
            "a protocol added",
            Box::new(move |site: &Path| {
                let text = read(&protocols(site).join("2025-05-05.md"));
                std::fs::write(
                    protocols(site).join("2025-06-09.md"),
                    with_date(text, "2025-05-05", "2025-06-09"),
                )
                .unwrap();
            }),
        ),
        (
            "a protocol changed",
            Box::new(move |site: &Path| {
                let file = protocols(site).join("2025-06-09.md");
                let text = read(&file).replace(
                    "Föregående mötes protokoll lades till handlingarna.",
                    "Föregående mötes protokoll godkändes och lades till handlingarna.",
                );
                std::fs::write(file, text).unwrap();
            }),
        ),
        (
            "a protocol renamed",
            Box::new(move |site: &Path| {
                let from = protocols(site).join("2025-06-09.md");
                let text = with_date(read(&from), "2025-06-09", "2025-06-16");
                std::fs::remove_file(&from).unwrap();
                std::fs::write(protocols(site).join("2025-06-16.md"), text).unwrap();
            }),
        ),
        (
            "a protocol deleted",
            Box::new(move |site: &Path| {
                std::fs::remove_file(protocols(site).join("2025-06-16.md")).unwrap();
            }),
        ),
        (
            "a förbund profile changed",
            Box::new(|site: &Path| {
                let file = site.join("content/blekinge/forbund.yaml");
                let text = read(&file).replace("sate: Karlshamn", "sate: Karlskrona");
                std::fs::write(file, text).unwrap();
            }),
        ),
        (
            "a template changed",
            Box::new(|site: &Path| {
                let file = site.join("themes/default/templates/protocol.html");
                let text =
                    read(&file).replace("Sista dag att överklaga:", "Sista dagen att överklaga:");
                std::fs::write(file, text).unwrap();
            }),
        ),
        (
            "site.toml changed",
            Box::new(|site: &Path| {
                let file = site.join("site.toml");
                let text = read(&file).replace(
                    "titel = \"Finsamarkivet\"",
                    "titel = \"Finsamarkivet i Skåne och Blekinge\"",
                );
                std::fs::write(file, text).unwrap();
            }),
        ),
    ]
}

#[test]
fn after_every_edit_of_a_series_the_rebuilt_output_equals_a_fresh_build() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    copy_site(&repo(), &site);
    assert!(
        site.join("themes/default/templates/protocol.html")
            .is_file(),
        "the example archive's theme is on disk"
    );
    let out = dir.path().join("public");
    build_ok(&site, &out);
    for (i, (step, edit)) in edits().into_iter().enumerate() {
        edit(&site);
        let run = build_ok(&site, &out);
        let (written, removed, _) = synced(&run.stdout);
        assert!(written + removed > 0, "{step}: nothing was written");
        let fresh = dir.path().join(format!("fresh-{i}"));
        build_ok(&site, &fresh);
        assert_same_tree(&out, &fresh, step);
        std::fs::remove_dir_all(&fresh).unwrap();
    }
    // The date moved: the same holds.
    let run = build_on(&site, &out, "2025-06-30");
    assert!(run.ok(), "{}", run.stderr);
    let fresh = dir.path().join("fresh-dag");
    let run = build_on(&site, &fresh, "2025-06-30");
    assert!(run.ok(), "{}", run.stderr);
    assert_same_tree(&out, &fresh, "the date moved");
}

#[test]
fn a_failed_rebuild_leaves_the_output_and_its_mtimes_as_they_were() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    copy_site(&repo(), &site);
    let out = dir.path().join("public");
    build_ok(&site, &out);
    let before = stamps(&out);
    let bytes = read_tree(&out);
    // A valid edit and a broken file in the same build: nothing of the edit may show.
    let protocol = site.join("content/blekinge/protokoll/2025-05-05.md");
    std::fs::write(
        &protocol,
        read(&protocol).replace("förklarade mötet öppnat.", "öppnade mötet."),
    )
    .unwrap();
    std::fs::write(
        site.join("content/soderasen/protokoll/2025-04-01.md"),
        "---\norgan: Styrelsen\ndatum: inte-ett-datum\n---\n",
    )
    .unwrap();
    let run = common::build(&site, &out);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert_eq!(touched(&before, &stamps(&out)), Vec::<PathBuf>::new());
    assert!(
        read_tree(&out) == bytes,
        "the failed build changed the output"
    );
    let beside: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".public"))
        .collect();
    assert!(beside.is_empty(), "staging left: {beside:?}");
}

#[test]
fn moving_the_date_one_day_rewrites_only_the_pages_that_show_the_day() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    // Söderåsen's protocol of 2025-03-11 is posted and open to appeal on these days; the other
    // protocols' periods have ended or not begun.
    let run = build_on(&repo(), &out, "2025-03-20");
    assert!(run.ok(), "{}", run.stderr);
    let before = stamps(&out);
    let run = build_on(&repo(), &out, "2025-03-21");
    assert!(run.ok(), "{}", run.stderr);
    let changed = touched(&before, &stamps(&out));
    assert_eq!(synced(&run.stdout).0, changed.len());
    // The anslagstavla pages (site and förbund), the embeds that show a förbund's board, and the
    // one protocol whose days left to appeal are counted, and the pages that list it: nothing else.
    let shows_the_day = |p: &PathBuf| {
        let s = p.to_string_lossy();
        s.starts_with("anslagstavla/")
            || s.contains("/anslagstavla/")
            || s.contains("/inbaddning")
            || s == "soderasen/protokoll/2025-03-11/index.html"
            // The start page and Söderåsen's page list that posted protocol with its days left.
            || s == "index.html"
            || s == "soderasen/index.html"
    };
    let others: Vec<&PathBuf> = changed.iter().filter(|p| !shows_the_day(p)).collect();
    assert!(
        others.is_empty(),
        "rewritten for the date alone: {others:#?}"
    );
    assert!(changed.contains(&PathBuf::from("soderasen/protokoll/2025-03-11/index.html")));
    assert!(changed.contains(&PathBuf::from("anslagstavla/index.html")));
    assert!(
        changed.len() * 4 < before.len(),
        "{} of {}",
        changed.len(),
        before.len()
    );
    // No page says when it was built; only dated pages carry the day for their script.
    for (file, html) in common::html_pages(&out) {
        assert!(!html.contains("Sidan byggdes"), "{}", file.display());
        if html.contains("data-byggdatum") {
            assert!(
                shows_the_day(&file),
                "{} carries the build day",
                file.display()
            );
        }
    }
}

/// The build cache of the output folder `out` (issue 20): beside it, outside the output.
fn cache_state(out: &Path) -> PathBuf {
    out.parent()
        .unwrap()
        .join(".protokoll/bygge")
        .join(out.file_name().unwrap())
        .join("tillstand.json")
}

#[test]
fn a_corrupt_or_foreign_cache_is_discarded_with_a_note_and_full_ignores_it() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    copy_site(&repo(), &site);
    let out = dir.path().join("public");
    let first = build_ok(&site, &out);
    let state = cache_state(&out);
    assert!(state.is_file(), "no cache at {}", state.display());
    assert!(!out.join(".protokoll").exists());
    let built = read_tree(&out);

    // Nothing changed: done from the cache, the warnings and the summary of the legal checks
    // said again.
    let again = build_ok(&site, &out);
    assert_eq!(first.stderr, again.stderr);
    let report = |stdout: &str| -> Vec<String> {
        stdout
            .lines()
            .filter(|l| !l.starts_with("I utdatamappen:"))
            .map(str::to_string)
            .collect()
    };
    assert_eq!(report(&first.stdout), report(&again.stdout));
    assert_eq!(synced(&again.stdout), (0, 0, built.len() - 1));

    // A cache that does not parse: discarded, said, and the build is whole.
    std::fs::write(&state, "{\"format\": 1, \"versi").unwrap();
    let run = build_ok(&site, &out);
    assert!(
        run.stderr.contains("byggcachen kasserades") && run.stderr.contains("skadad"),
        "{}",
        run.stderr
    );
    assert!(read_tree(&out) == built);
    // Another version's cache: the same.
    let text = read(&state);
    let version = format!("\"version\":\"{}\"", env!("CARGO_PKG_VERSION"));
    assert!(text.contains(&version), "{text}");
    std::fs::write(
        &state,
        text.replace(&version, "\"version\":\"0.0.1-gammal\""),
    )
    .unwrap();
    let run = build_ok(&site, &out);
    assert!(
        run.stderr.contains("byggcachen kasserades") && run.stderr.contains("0.0.1-gammal"),
        "{}",
        run.stderr
    );
    assert!(read_tree(&out) == built);

    // A stored search file altered in the cache is not trusted: the search index is made anew.
    let blobs = state.parent().unwrap().join("filer");
    for entry in std::fs::read_dir(&blobs).unwrap() {
        std::fs::write(entry.unwrap().path(), b"fel").unwrap();
    }
    let protocol = site.join("content/blekinge/protokoll/2025-05-05.md");
    let text = read(&protocol);
    std::fs::write(&protocol, text.clone() + "\n").unwrap();
    std::fs::write(&protocol, text).unwrap();
    let run = common::build_on(&site, &out, "2025-03-21");
    assert!(run.ok(), "{}", run.stderr);
    let fresh = dir.path().join("ny");
    let run = common::build_on(&site, &fresh, "2025-03-21");
    assert!(run.ok(), "{}", run.stderr);
    assert_same_tree(&out, &fresh, "altered cache");

    // --full reads no cache: an unreadable one is not even noticed, and the output is the same.
    std::fs::write(&state, "trasig").unwrap();
    let run = common::protokoll(
        &repo(),
        &[
            "build".as_ref(),
            "--rot".as_ref(),
            site.as_os_str(),
            "--utdata".as_ref(),
            out.as_os_str(),
            "--idag".as_ref(),
            "2025-03-21".as_ref(),
            "--full".as_ref(),
        ],
    );
    assert!(run.ok(), "{}", run.stderr);
    assert!(!run.stderr.contains("byggcachen"), "{}", run.stderr);
    assert_eq!(synced(&run.stdout).0, 0, "{}", run.stdout);
    assert_same_tree(&out, &fresh, "--full");
}

#[test]
fn an_output_file_changed_by_hand_is_put_right_by_the_next_build() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    build_ok(&repo(), &out);
    let page = out.join("soderasen/index.html");
    let good = std::fs::read(&page).unwrap();
    std::fs::write(&page, b"<p>handredigerad</p>").unwrap();
    std::fs::write(out.join("egen.html"), b"x").unwrap();
    let run = build_ok(&repo(), &out);
    assert_eq!(std::fs::read(&page).unwrap(), good);
    assert!(!out.join("egen.html").exists());
    assert_eq!(synced(&run.stdout).0, 1, "{}", run.stdout);
    assert_eq!(synced(&run.stdout).1, 1, "{}", run.stdout);
}

/// Builds with the phase timings on and returns the report's page count and the pages the build
/// left out because the output held them as they would be rendered now.
fn build_counting(site: &Path, out: &Path, idag: &str) -> (usize, usize) {
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_protokoll"))
        .current_dir(repo())
        .env("NO_COLOR", "1")
        .env("PROTOKOLL_TIDER", "1")
        .args(["build", "--rot"])
        .arg(site)
        .arg("--utdata")
        .arg(out)
        .args(["--idag", idag])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&run.stdout);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "{stdout}\n{stderr}");
    let pages = stdout
        .split_once("Byggt ")
        .and_then(|(_, rest)| rest.split_once(" sidor"))
        .map(|(n, _)| n.replace(' ', "").parse::<usize>().unwrap())
        .unwrap_or_else(|| panic!("no page count in {stdout}"));
    let reused = stderr
        .lines()
        .find_map(|l| {
            l.strip_prefix("tid ")?
                .strip_suffix(" sidor oförändrade, inte renderade")
        })
        .map(|n| n.parse::<usize>().unwrap())
        .unwrap_or_else(|| panic!("no count of reused pages in {stderr}"));
    (pages, reused)
}

#[test]
fn a_rebuild_renders_only_the_pages_whose_inputs_changed() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    copy_site(&repo(), &site);
    let out = dir.path().join("public");
    let (pages, reused) = build_counting(&site, &out, "2025-06-01");
    assert_eq!(reused, 0, "a first build renders every page");
    // One protocol edited: its page and the pages that list it (its förbund's page, year pages,
    // the start page, the embed), not the others.
    let protocol = site.join("content/blekinge/protokoll/2025-05-05.md");
    std::fs::write(
        &protocol,
        read(&protocol).replace("förklarade mötet öppnat.", "öppnade mötet."),
    )
    .unwrap();
    let (_, reused) = build_counting(&site, &out, "2025-06-01");
    let rendered = pages - reused;
    assert!(
        (1..=8).contains(&rendered),
        "{rendered} of {pages} pages rendered for one edit"
    );
    // Nothing changed but the build cache's whole-build record lost: every page is reused.
    let state = cache_state(&out);
    std::fs::write(
        &state,
        read(&state).replace("\"whole\":{\"key\":\"", "\"whole\":{\"key\":\"x"),
    )
    .unwrap();
    let (_, reused) = build_counting(&site, &out, "2025-06-01");
    assert_eq!(reused, pages, "nothing changed, yet pages were rendered");
    // The date moved: only the pages that show the day or a status that changed (here the
    // anslagstavlor and embeds of a small archive).
    let (_, reused) = build_counting(&site, &out, "2025-06-02");
    assert!(
        (1..pages / 2).contains(&(pages - reused)),
        "{} of {pages} pages rendered for the date",
        pages - reused
    );
    // A template every protocol page uses: all of them are rendered again.
    let template = site.join("themes/default/templates/protocol.html");
    std::fs::write(
        &template,
        read(&template).replace("Sista dag att överklaga:", "Sista dagen att överklaga:"),
    )
    .unwrap();
    let (_, reused) = build_counting(&site, &out, "2025-06-02");
    assert_eq!(reused, 0, "the theme changed: every page is rendered again");
}
