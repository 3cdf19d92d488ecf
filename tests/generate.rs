//! The corpus generator and the build stay in step: deterministic corpora, exactly the planted
//! rule breaks, and a generated archive that builds with every link resolving.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

const WORD_LIST: &str = "/usr/share/dict/swedish";

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_protokoll"))
}

fn word_list() -> &'static str {
    assert!(
        Path::new(WORD_LIST).exists(),
        "{WORD_LIST} saknas: installera Debians paket wswedish (scripts/test gör det)"
    );
    WORD_LIST
}

fn generate(dir: &Path, size: &str, protocols: Option<usize>, seed: u64) {
    let mut cmd = bin();
    cmd.args([
        "generate",
        "--storlek",
        size,
        "--seed",
        &seed.to_string(),
        "--ordlista",
        word_list(),
        "--ut",
    ])
    .arg(dir);
    if let Some(n) = protocols {
        cmd.args(["--protokoll", &n.to_string()]);
    }
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn all_files(root: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(root)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().strip_prefix(root).unwrap().to_path_buf(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

#[derive(serde::Deserialize)]
struct Manifest {
    forbund: usize,
    protokoll: usize,
    planer: usize,
    planterade_fel: Vec<Planted>,
}

#[derive(serde::Deserialize)]
struct Planted {
    fil: String,
    regel: String,
}

fn manifest(dir: &Path) -> Manifest {
    serde_json::from_slice(&std::fs::read(dir.join("planterade-fel.json")).unwrap()).unwrap()
}

#[test]
fn small_corpus_is_deterministic_and_check_finds_exactly_the_planted_breaks() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    generate(&a, "small", None, 7);
    generate(&b, "small", None, 7);
    let (fa, fb) = (all_files(&a), all_files(&b));
    assert_eq!(fa.len(), fb.len());
    for (path, bytes) in &fa {
        assert!(
            fb.get(path) == Some(bytes),
            "{} differs between two runs with the same seed",
            path.display()
        );
    }
    let m = manifest(&a);
    assert_eq!(m.protokoll, 1000);
    assert_eq!((m.forbund, m.planer), (10, 200));
    assert!(
        !m.planterade_fel.is_empty(),
        "a small corpus plants some rule breaks"
    );
    let sizes: Vec<usize> = fa
        .iter()
        .filter(|(p, _)| p.to_string_lossy().contains("/protokoll/"))
        .map(|(_, b)| b.len())
        .collect();
    let mean = sizes.iter().sum::<usize>() / sizes.len();
    assert!(
        (9_000..=19_000).contains(&mean),
        "mean protocol size {mean} bytes"
    );

    // A different seed gives a different corpus.
    let c = tmp.path().join("c");
    generate(&c, "small", Some(50), 8);
    assert_ne!(
        all_files(&c).get(Path::new("planterade-fel.json")),
        fa.get(Path::new("planterade-fel.json"))
    );

    let out = bin()
        .args(["check", "--format", "json", "--idag", "2025-12-31", "--rot"])
        .arg(&a)
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let prefix = format!("{}/", a.display());
    let found: BTreeSet<(String, String)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let file = f["file"].as_str().unwrap();
            (
                file.strip_prefix(&prefix).unwrap_or(file).to_string(),
                f["code"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let planted: BTreeSet<(String, String)> = m
        .planterade_fel
        .iter()
        .map(|p| (p.fil.clone(), p.regel.clone()))
        .collect();
    let extra: Vec<_> = found.difference(&planted).collect();
    let missing: Vec<_> = planted.difference(&found).collect();
    assert!(
        extra.is_empty() && missing.is_empty(),
        "check reported {extra:?} that were not planted; missed {missing:?}"
    );
    assert_eq!(
        out.status.code(),
        Some(1),
        "planted errors make check exit 1"
    );
}

#[test]
fn generated_archive_builds_with_every_link_resolving() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    generate(&site, "small", Some(300), 11);
    let m = manifest(&site);
    let out_dir = tmp.path().join("ut");
    let out = bin()
        .args(["build", "--idag", "2025-06-01", "--rot"])
        .arg(&site)
        .arg("--utdata")
        .arg(&out_dir)
        .output()
        .unwrap();
    // The build checks every internal link and anchor itself and fails on a broken one.
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let pages: Vec<PathBuf> = all_files(&out_dir)
        .into_keys()
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .collect();
    let protocol_pages = pages
        .iter()
        .filter(|p| p.to_string_lossy().contains("/protokoll/"))
        .count();
    let plan_pages = pages
        .iter()
        .filter(|p| p.to_string_lossy().contains("/planer/"))
        .count();
    assert_eq!(protocol_pages, m.protokoll);
    assert_eq!(plan_pages, m.planer);
    // Start, förbund list, national anslagstavla, tillgänglighet, 404, search, 20 national year
    // pages; per förbund: its page, its anslagstavla, its embed page and 20 year pages.
    let years = 20;
    assert_eq!(
        pages.len(),
        6 + years + m.forbund * (3 + years) + m.protokoll + m.planer
    );
}
