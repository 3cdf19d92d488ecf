//! `protokoll build --forkomprimera` (docs/deploy.md, part 4): every text file of the site gets a
//! gzip and a Brotli copy that decompress to exactly its bytes, binary files get none, the copies
//! are the same from build to build, and a build without the option writes none.

mod common;

use common::*;
use std::io::Read;
use std::path::Path;
use std::process::Command;

fn build_compressed(out: &Path) {
    let run = Command::new(env!("CARGO_BIN_EXE_protokoll"))
        .current_dir(repo())
        .env("NO_COLOR", "1")
        .args(["build", "--idag", IDAG, "--forkomprimera", "--utdata"])
        .arg(out)
        .output()
        .expect("the protokoll binary runs");
    assert!(
        run.status.success(),
        "{}{}",
        String::from_utf8_lossy(&run.stdout),
        String::from_utf8_lossy(&run.stderr)
    );
}

fn gunzip(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(bytes)
        .read_to_end(&mut out)
        .expect("valid gzip");
    out
}

fn unbrotli(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    brotli::BrotliDecompress(&mut &bytes[..], &mut out).expect("valid brotli");
    out
}

#[test]
fn every_text_file_has_gzip_and_brotli_copies_of_exactly_its_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    build_compressed(&out);
    let files = read_tree(&out);
    let originals: Vec<_> = files
        .keys()
        .filter(|p| !p.extension().is_some_and(|e| e == "gz" || e == "br"))
        // The search server's own index (tantivy and its unit list) is read from disk by
        // `protokoll serve`, never sent to a browser.
        .filter(|p| !p.starts_with("sok/index"))
        .collect();
    let mut checked = 0;
    for file in &originals {
        let text = ["html", "css", "js", "json", "xml", "svg", "txt", "ics"]
            .iter()
            .any(|e| file.extension().is_some_and(|x| x == *e));
        let gz = files.get(&Path::new(&format!("{}.gz", file.display())).to_path_buf());
        let br = files.get(&Path::new(&format!("{}.br", file.display())).to_path_buf());
        if !text {
            assert!(
                gz.is_none() && br.is_none(),
                "{}: a binary file was compressed",
                file.display()
            );
            continue;
        }
        let (Some(gz), Some(br)) = (gz, br) else {
            panic!("{} has no .gz or no .br copy", file.display());
        };
        let original = &files[*file];
        assert_eq!(&gunzip(gz), original, "{}.gz", file.display());
        assert_eq!(&unbrotli(br), original, "{}.br", file.display());
        if original.len() > 2000 {
            assert!(
                br.len() < original.len() * 2 / 3,
                "{}.br is hardly smaller",
                file.display()
            );
        }
        checked += 1;
    }
    assert!(checked >= 15, "only {checked} files checked");
    // Nothing but the originals and their copies.
    let served = |t: &std::collections::BTreeMap<std::path::PathBuf, Vec<u8>>| {
        let mut t = t.clone();
        // tantivy names its segments at random; tests/build.rs compares it by its answers.
        t.retain(|p, _| !p.starts_with("sok/index"));
        t
    };
    let files = served(&files);
    assert_eq!(files.len(), originals.len() + 2 * checked);

    // The same bytes again.
    let again = dir.path().join("igen");
    build_compressed(&again);
    assert!(
        served(&read_tree(&again)) == files,
        "two compressed builds differ"
    );
}

#[test]
fn without_the_option_no_compressed_copies_are_written() {
    let (_dir, out) = build_example();
    let compressed: Vec<_> = read_tree(&out)
        .into_keys()
        .filter(|p| p.extension().is_some_and(|e| e == "gz" || e == "br"))
        .collect();
    assert!(compressed.is_empty(), "{compressed:?}");
}
