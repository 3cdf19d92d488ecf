//! Finding and reading the files of `content/` without surprises: symbolic links are followed
//! when they stay inside the archive and reported when they do not (never dropped silently), and
//! no file is read that is larger than [`MAX_CONTENT_FILE_BYTES`].

use crate::diagnostics::Diagnostic;
use crate::model::Pos;
use std::io::Read;
use std::path::{Path, PathBuf};

/// The largest content file that is read: 5 MiB. The largest protocol of the example archive is
/// 20 kB, the generator's (`protokoll generate --storlek small`) 25 kB. A 100 MB file took 3.2 GB
/// of memory; the example archive with one protocol padded to this limit on a single line builds
/// with a peak of about 200 MB. Documented in docs/content-format.md.
pub const MAX_CONTENT_FILE_BYTES: u64 = 5 * 1024 * 1024;

/// Every regular file under `content_dir`, sorted by name within each folder, following links
/// that point inside the archive (the folder holding `content/`) or inside `content/` itself.
/// Links that lead outside, in a loop or nowhere are errors at the link; so is a folder that
/// cannot be read.
pub fn content_files(content_dir: &Path, diagnostics: &mut Vec<Diagnostic>) -> Vec<PathBuf> {
    let archive = match content_dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let allowed: Vec<PathBuf> = [archive, content_dir]
        .iter()
        .filter_map(|p| p.canonicalize().ok())
        .collect();
    let mut files = Vec::new();
    let mut walker = walkdir::WalkDir::new(content_dir)
        .sort_by_file_name()
        .follow_links(true)
        .into_iter();
    while let Some(entry) = walker.next() {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                // Only the content folder itself missing is reported elsewhere.
                if e.depth() > 0 {
                    diagnostics.push(walk_error(&e, content_dir));
                }
                continue;
            }
        };
        if entry.depth() > 0 && entry.path_is_symlink() {
            let inside = entry
                .path()
                .canonicalize()
                .is_ok_and(|real| allowed.iter().any(|a| real.starts_with(a)));
            if !inside {
                diagnostics.push(
                    Diagnostic::error(
                        "lank-utanfor",
                        entry.path(),
                        Pos::default(),
                        "länken pekar utanför arkivet och följs inte",
                    )
                    .with_hint(
                        "kopiera filen eller mappen in i arkivet i stället för att länka till den",
                    ),
                );
                if entry.file_type().is_dir() {
                    walker.skip_current_dir();
                }
                continue;
            }
        }
        if entry.file_type().is_file() {
            files.push(entry.into_path());
        }
    }
    files
}

/// A folder or link the walk could not follow, at its path.
fn walk_error(e: &walkdir::Error, content_dir: &Path) -> Diagnostic {
    let path = e.path().unwrap_or(content_dir);
    if let Some(ancestor) = e.loop_ancestor() {
        return Diagnostic::error(
            "lank-slinga",
            path,
            Pos::default(),
            format!(
                "länken bildar en slinga: den pekar på {}, som den själv ligger i",
                ancestor.display()
            ),
        )
        .with_hint("ta bort länken");
    }
    let dangling = e
        .io_error()
        .is_some_and(|io| io.kind() == std::io::ErrorKind::NotFound)
        && std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    if dangling {
        return Diagnostic::error(
            "lank-trasig",
            path,
            Pos::default(),
            "länken pekar på något som inte finns",
        )
        .with_hint("ta bort länken eller rätta vart den pekar");
    }
    Diagnostic::error(
        "las-mapp",
        path,
        Pos::default(),
        format!(
            "kan inte läsa: {}",
            e.io_error()
                .map_or_else(|| e.to_string(), ToString::to_string)
        ),
    )
    .with_hint("kontrollera att filen eller mappen går att läsa")
}

/// Reads a content file as text, refusing one larger than [`MAX_CONTENT_FILE_BYTES`] before
/// reading it (and, should it grow meanwhile, after reading no more than the limit).
pub fn read_limited(file: &Path) -> Result<String, Diagnostic> {
    let cannot = |e: std::io::Error| {
        Diagnostic::error(
            "las-fil",
            file,
            Pos::default(),
            format!("kan inte läsa filen: {}", crate::sv::io_error(&e)),
        )
        .with_hint("filen måste vara UTF-8-text")
    };
    let too_large = |bytes: u64| {
        Diagnostic::error(
            "for-stor",
            file,
            Pos::default(),
            format!(
                "filen är {} men en innehållsfil får vara högst {}",
                megabytes(bytes),
                megabytes(MAX_CONTENT_FILE_BYTES)
            ),
        )
        .with_hint(
            "dela upp dokumentet, eller lägg stora bilagor som egna filer och länka till dem",
        )
    };
    let size = std::fs::metadata(file).map_err(cannot)?.len();
    if size > MAX_CONTENT_FILE_BYTES {
        return Err(too_large(size));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    std::fs::File::open(file)
        .map_err(cannot)?
        .take(MAX_CONTENT_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(cannot)?;
    if bytes.len() as u64 > MAX_CONTENT_FILE_BYTES {
        return Err(too_large(bytes.len() as u64));
    }
    String::from_utf8(bytes)
        .map_err(|_| cannot(std::io::Error::from(std::io::ErrorKind::InvalidData)))
}

/// A size in MB with one decimal, Swedish style ("5,0 MB").
fn megabytes(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0)).replace('.', ",")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_over_the_limit_is_refused_without_being_read() {
        let dir = tempfile::tempdir().unwrap();
        let big = dir.path().join("2025-01-01.md");
        // Sparse: 100 MB long, almost nothing on disk, and not read.
        std::fs::File::create(&big)
            .unwrap()
            .set_len(100 * 1024 * 1024)
            .unwrap();
        let d = read_limited(&big).unwrap_err();
        assert_eq!(d.code, "for-stor");
        assert!(
            d.message.contains("100,0 MB") && d.message.contains("5,0 MB"),
            "{d}"
        );
        let small = dir.path().join("ok.md");
        std::fs::write(&small, "text").unwrap();
        assert_eq!(read_limited(&small).unwrap(), "text");
        std::fs::write(&small, [0xff, 0xfe]).unwrap();
        assert_eq!(read_limited(&small).unwrap_err().code, "las-fil");
    }
}
