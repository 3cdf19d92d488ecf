//! Pre-compressed copies of the site's text files (`build --forkomprimera`): `index.html.gz` and
//! `index.html.br` beside `index.html`, for servers that send a stored compressed file
//! (nginx `gzip_static`/`brotli_static`, Apache rewrite rules; see `docs/deploy.md`).
//!
//! Both are deterministic: the gzip header has no file name and time 0, and the same input gives
//! the same bytes, so two builds of the same archive stay byte-identical.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// The file types worth compressing (images other than SVG are compressed already).
const TEXT_TYPES: &[&str] = &[
    "html", "css", "js", "json", "xml", "svg", "txt", "ics", "rss",
];

/// Whether `path` is a text file that gets compressed copies.
pub fn compressible(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| TEXT_TYPES.contains(&e))
}

/// gzip at level 9, with an empty header (no name, time 0).
pub fn gzip(bytes: &[u8]) -> io::Result<Vec<u8>> {
    let mut encoder = flate2::GzBuilder::new().mtime(0).write(
        Vec::with_capacity(bytes.len() / 3),
        flate2::Compression::best(),
    );
    encoder.write_all(bytes)?;
    encoder.finish()
}

/// Brotli at quality 11 with a 4 MiB window.
pub fn brotli(bytes: &[u8]) -> io::Result<Vec<u8>> {
    let params = brotli::enc::BrotliEncoderParams {
        quality: 11,
        lgwin: 22,
        size_hint: bytes.len(),
        ..Default::default()
    };
    let mut out = Vec::with_capacity(bytes.len() / 4);
    brotli::BrotliCompress(&mut &bytes[..], &mut out, &params)?;
    Ok(out)
}

/// `path` with `.gz` or `.br` appended to its name.
pub fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// The names of the compressed copies of one file: `path.gz` and `path.br`; none when the file
/// type is not compressible.
pub fn copy_names(path: &Path) -> Vec<PathBuf> {
    if !compressible(path) {
        return Vec::new();
    }
    vec![with_suffix(path, ".gz"), with_suffix(path, ".br")]
}

/// The compressed copies of one file: `(path.gz, bytes)` and `(path.br, bytes)`; none when the
/// file type is not compressible.
pub fn copies(path: &Path, bytes: &[u8]) -> io::Result<Vec<(PathBuf, Vec<u8>)>> {
    if !compressible(path) {
        return Ok(Vec::new());
    }
    Ok(vec![
        (with_suffix(path, ".gz"), gzip(bytes)?),
        (with_suffix(path, ".br"), brotli(bytes)?),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn both_copies_decompress_to_the_original_and_are_deterministic() {
        let page = "<!DOCTYPE html><html lang=\"sv\"><title>Å</title>".repeat(50);
        let copies = copies(Path::new("a/index.html"), page.as_bytes()).unwrap();
        assert_eq!(copies[0].0, PathBuf::from("a/index.html.gz"));
        assert_eq!(copies[1].0, PathBuf::from("a/index.html.br"));
        let mut gz = String::new();
        flate2::read::GzDecoder::new(&copies[0].1[..])
            .read_to_string(&mut gz)
            .unwrap();
        assert_eq!(gz, page);
        let mut br = Vec::new();
        brotli::BrotliDecompress(&mut &copies[1].1[..], &mut br).unwrap();
        assert_eq!(br, page.as_bytes());
        assert!(copies.iter().all(|(_, b)| b.len() < page.len() / 5));
        assert_eq!(
            copies,
            super::copies(Path::new("a/index.html"), page.as_bytes()).unwrap()
        );
        // gzip header: no file name flag, modification time 0.
        assert_eq!(&copies[0].1[3..8], &[0, 0, 0, 0, 0]);
    }

    #[test]
    fn only_text_files_are_compressed() {
        assert!(compressible(Path::new("assets/style.css")));
        assert!(compressible(Path::new("sok/data/t-1a2b.json")));
        assert!(!compressible(Path::new("assets/logga.png")));
        assert!(!compressible(Path::new("index.html.gz")));
        assert!(copies(Path::new("bild.png"), b"x").unwrap().is_empty());
    }
}
