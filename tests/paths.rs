//! Issue 8, paths: content names that are not plain slugs (`..` look-alikes, percent-encoding,
//! bidi controls, Unicode that normalises to something else, upper case, dot folders) never write
//! outside the output folder. Three layers, each proved on its own:
//!
//! 1. the loader rejects such förbund folders and protocol and plan file names (located errors,
//!    and the build writes nothing at all);
//! 2. the renderer refuses a page whose address cannot be a file inside the output folder (a
//!    förbund whose slug bypassed the loader);
//! 3. the output writer refuses relative paths that are absolute or have a component other than a
//!    plain name (`src/render/output.rs`, unit tests there).

mod common;

use common::*;
use protokoll::diagnostics::Severity;
use protokoll::load::{self, parse_forbund};
use protokoll::privacy::Policy;
use protokoll::render::Renderer;
use protokoll::render::theme::Theme;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Förbund folder names that must not become addresses. `..` and `.` themselves cannot be folder
/// names; these are what can.
const BAD_SLUGS: &[&str] = &[
    "%2e%2e",
    "%2E%2E%2Fetc",
    "...",
    ".dold",
    "a\u{202e}b",       // right-to-left override
    "a\u{200b}b",       // zero-width space
    "ola\u{301}",       // a combining accent (NFD)
    "\u{ff41}\u{ff42}", // fullwidth "ab", NFKC-normalises to ASCII
    "\u{2025}",         // two-dot leader, NFKC "..", a path traversal after normalisation
    "Soderasen",
    "söderåsen",
    "a b",
    "a\\b",
    "-a",
    "a-",
    "anslagstavla",
    "assets",
];

/// Protocol and plan file names (in an otherwise valid förbund) that are not addresses.
const BAD_PROTOCOL_FILES: &[&str] = &[
    "2025-03-11-..md",
    "2025-03-11-%2e%2e.md",
    "2025-03-11-a\u{202e}b.md",
    "2025-03-11-\u{2025}.md",
    "2025-03-11-Styrelsen.md",
    "2025-03-11-a\\b.md",
    "\u{ff12}025-03-11.md",
];
const BAD_PLAN_FILES: &[&str] = &["2025-..md", "2025-%2e%2e.md", "2025-\u{202e}.md"];

const FORBUND: &str = "namn: Samordningsförbundet Test\nkortnamn: Test\nsate: Åstorp\nmedlemmar:\n  - namn: Åstorps kommun\n    typ: kommun\n  - namn: Försäkringskassan\n    typ: forsakringskassan\n";

fn protocol(date: &str) -> String {
    format!(
        "---\norgan: Styrelsen\ndatum: {date}\nforvaringsplats: Åstorp\n---\n\n## § 1 Öppnande\n\nMötet öppnas.\n"
    )
}

const PLAN: &str = "---\ntitel: Verksamhetsplan 2025\nar: 2025\n---\n\n## Mål\n\nText.\n";

/// A site with a valid förbund `test` that holds the bad protocol and plan files, and a förbund
/// folder for each bad slug.
fn hostile_site(root: &Path) {
    std::fs::copy(repo().join("site.toml"), root.join("site.toml")).unwrap();
    let content = root.join("content");
    let good = content.join("test");
    std::fs::create_dir_all(good.join("protokoll")).unwrap();
    std::fs::create_dir_all(good.join("planer")).unwrap();
    std::fs::write(good.join("forbund.yaml"), FORBUND).unwrap();
    std::fs::write(good.join("protokoll/2025-03-11.md"), protocol("2025-03-11")).unwrap();
    for name in BAD_PROTOCOL_FILES {
        std::fs::write(good.join("protokoll").join(name), protocol("2025-03-11")).unwrap();
    }
    for name in BAD_PLAN_FILES {
        std::fs::write(good.join("planer").join(name), PLAN).unwrap();
    }
    for slug in BAD_SLUGS {
        let dir = content.join(slug);
        std::fs::create_dir_all(dir.join("protokoll")).unwrap();
        std::fs::write(dir.join("forbund.yaml"), FORBUND).unwrap();
        std::fs::write(dir.join("protokoll/2025-03-11.md"), protocol("2025-03-11")).unwrap();
    }
}

/// Every file and folder under `dir`, relative.
fn listing(dir: &Path) -> BTreeSet<PathBuf> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| e.path().strip_prefix(dir).unwrap().to_path_buf())
        .collect()
}

#[test]
fn the_loader_rejects_every_name_that_is_not_a_plain_slug() {
    let dir = tempfile::tempdir().unwrap();
    hostile_site(dir.path());
    let loaded = load::load_content(&dir.path().join("content"), &Policy::default());

    // Each bad förbund folder gets a `slug` error on its profile.
    for slug in BAD_SLUGS {
        let profile = dir.path().join("content").join(slug).join("forbund.yaml");
        assert!(
            loaded
                .diagnostics
                .iter()
                .any(|d| d.code == "slug" && d.severity == Severity::Fel && d.file == profile),
            "no slug error for the folder {slug:?}: {:#?}",
            loaded.diagnostics
        );
    }
    // Each bad file name gets a `filnamn` error.
    for (folder, names) in [
        ("protokoll", BAD_PROTOCOL_FILES),
        ("planer", BAD_PLAN_FILES),
    ] {
        for name in names {
            let file = dir.path().join("content/test").join(folder).join(name);
            assert!(
                loaded
                    .diagnostics
                    .iter()
                    .any(|d| d.code == "filnamn" && d.severity == Severity::Fel && d.file == file),
                "no file name error for {folder}/{name:?}: {:#?}",
                loaded.diagnostics
            );
        }
    }
    // The one good protocol is still read.
    let test = loaded.archive.find("test").expect("the förbund test");
    assert!(test.protocols.iter().any(|p| p.id == "2025-03-11"));
}

#[test]
fn a_build_of_hostile_names_fails_and_writes_nothing_anywhere() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("arkiv");
    std::fs::create_dir_all(&root).unwrap();
    hostile_site(&root);
    let before = listing(dir.path());
    let out = dir.path().join("ut").join("webb");
    let run = build(&root, &out);
    assert_eq!(run.code, Some(1), "{}\n{}", run.stdout, run.stderr);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    assert!(
        run.stderr.contains("kan inte vara en förbundsadress"),
        "{}",
        run.stderr
    );
    // Nothing was created: not the output, not a staging folder, nothing beside or above.
    let after = listing(dir.path());
    let new: Vec<_> = after.difference(&before).collect();
    assert!(
        new.iter().all(|p| p.starts_with("ut")) && !out.exists(),
        "the failed build wrote {new:?}"
    );
}

#[test]
fn the_renderer_refuses_a_slug_that_leaves_the_output_folder() {
    // A förbund whose slug never went through the loader's check (a library user, a bug).
    let site = std::fs::read_to_string(repo().join("site.toml")).unwrap();
    let config = protokoll::config::parse(&site, Path::new("site.toml")).unwrap();
    let today = chrono::NaiveDate::from_ymd_opt(2025, 3, 20).unwrap();
    for slug in ["../utanfor", "a/../../utanfor", "..", "a\\..\\b"] {
        let mut errors = Vec::new();
        let forbund = parse_forbund(FORBUND, Path::new("forbund.yaml"), slug, &mut errors)
            .expect("the profile parses");
        let archive = protokoll::model::Archive {
            forbund: vec![forbund],
        };
        let renderer = Renderer::new(&config, Theme::load(&repo(), "default").unwrap(), today);
        let result = renderer.pages(&archive);
        let Err(errors) = result else {
            let files: Vec<_> = result
                .unwrap_or_default()
                .into_iter()
                .map(|p| p.file)
                .collect();
            panic!("the slug {slug:?} rendered to {files:?}");
        };
        assert!(
            errors
                .iter()
                .any(|e| e.message.contains("kan inte bli en fil i utdatamappen")),
            "{slug:?}: {errors:?}"
        );
    }
}
