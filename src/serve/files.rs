//! Safe static file lookup for `protokoll serve`: a request path becomes a file inside the built
//! site or is refused. Nothing outside the output folder is ever read, whatever the encoding.

use std::path::{Path, PathBuf};

/// What a request path resolves to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lookup {
    /// A file inside the site.
    File(PathBuf),
    /// A folder asked for without its trailing slash: redirect here.
    Redirect(String),
    /// Nothing there (404).
    Missing,
    /// A malformed or hostile path (400): `..`, encoded slashes or dots, NUL, backslashes,
    /// invalid UTF-8.
    Refused,
}

/// Decodes `%XX` escapes. `None` for a broken escape or a result that is not UTF-8.
pub fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// The segments of the part of `path` below `base`, decoded and checked; `None` when the path
/// is refused. Each segment is decoded on its own, so an encoded slash (`%2F`) can never create
/// a new segment, and a segment that decodes to `.` or `..` (`%2e%2e`) is refused like a literal.
pub fn segments(rest: &str) -> Option<Vec<String>> {
    let mut out = Vec::new();
    for raw in rest.split('/') {
        if raw.is_empty() {
            continue;
        }
        let seg = percent_decode(raw)?;
        if seg == "."
            || seg == ".."
            || seg.contains(['/', '\\', '\0'])
            || seg.chars().any(char::is_control)
            // A Windows drive or stream name has no business in a URL of this site.
            || seg.contains(':')
        {
            return None;
        }
        out.push(seg);
    }
    Some(out)
}

/// Resolves the URL path `path` (without query) of a site served under `base` (starts and ends
/// with `/`) from the folder `root`.
pub fn lookup(root: &Path, base: &str, path: &str) -> Lookup {
    // Refuse traversal anywhere in the path, even outside the base, before anything else.
    let Some(rest) = path.strip_prefix(base.trim_end_matches('/')) else {
        return match segments(path) {
            Some(_) => Lookup::Missing,
            None => Lookup::Refused,
        };
    };
    let Some(parts) = segments(rest) else {
        return Lookup::Refused;
    };
    if !rest.is_empty() && !rest.starts_with('/') {
        // `/finsamx` is not under `/finsam/`.
        return Lookup::Missing;
    }
    // The build's marker says who owns the folder; it is not a page of the site.
    if parts
        .last()
        .is_some_and(|p| p == crate::output_guard::MARKER)
    {
        return Lookup::Missing;
    }
    let mut file = root.to_path_buf();
    for p in &parts {
        file.push(p);
    }
    // Symbolic links inside the output could point anywhere: the real path must stay inside.
    let (Ok(real_root), Ok(real)) = (root.canonicalize(), file.canonicalize()) else {
        return Lookup::Missing;
    };
    if !real.starts_with(&real_root) {
        return Lookup::Missing;
    }
    if real.is_dir() {
        if !path.ends_with('/') {
            return Lookup::Redirect(format!("{path}/"));
        }
        let index = real.join("index.html");
        return if index.is_file() {
            Lookup::File(index)
        } else {
            Lookup::Missing
        };
    }
    if real.is_file() {
        Lookup::File(real)
    } else {
        Lookup::Missing
    }
}

/// The Content-Type of a file of the site, by its name.
pub fn content_type(file: &Path) -> &'static str {
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let ext = file
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        // The feeds are Atom; the sitemaps are plain XML.
        "xml" if name == "flode.xml" => "application/atom+xml; charset=utf-8",
        "xml" => "application/xml; charset=utf-8",
        "ics" => "text/calendar; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "pdf" => "application/pdf",
        "wasm" => "application/wasm",
        _ => "application/octet-stream",
    }
}

/// The part of a file of `len` bytes that a `Range` header asks for, as the half-open byte span:
/// `Some(Ok(span))` for one satisfiable range (`bytes=a-b`, `bytes=a-`, `bytes=-n`), `Some(Err(()))`
/// for one that lies wholly past the end (416), and `None` for no range or one this server does
/// not cut (several ranges, another unit, a malformed value): the whole file is sent then, as
/// RFC 9110 allows. The static search reads its index this way (docs/search.md).
pub fn byte_range(header: &str, len: usize) -> Option<Result<(usize, usize), ()>> {
    let spec = header.trim().strip_prefix("bytes=")?.trim();
    if spec.contains(',') {
        return None;
    }
    let (first, last) = spec.split_once('-')?;
    let number = |s: &str| -> Option<Option<usize>> {
        let s = s.trim();
        if s.is_empty() {
            Some(None)
        } else if s.bytes().all(|b| b.is_ascii_digit()) {
            // A number too large for memory is past any end.
            Some(Some(s.parse().unwrap_or(usize::MAX)))
        } else {
            None
        }
    };
    match (number(first)?, number(last)?) {
        (Some(a), last) => {
            if last.is_some_and(|b| b < a) {
                return None;
            }
            if a >= len {
                return Some(Err(()));
            }
            let end = last.map_or(len, |b| b.saturating_add(1).min(len));
            Some(Ok((a, end)))
        }
        (None, Some(n)) => {
            if n == 0 {
                return Some(Err(()));
            }
            if len == 0 {
                return Some(Err(()));
            }
            Some(Ok((len.saturating_sub(n), len)))
        }
        (None, None) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        std::fs::create_dir_all(root.join("a")).unwrap();
        std::fs::write(root.join("index.html"), "start").unwrap();
        std::fs::write(root.join("a/index.html"), "a").unwrap();
        std::fs::write(root.join("a/flode.xml"), "x").unwrap();
        std::fs::write(dir.path().join("hemlig.txt"), "nej").unwrap();
        dir
    }

    #[test]
    fn files_folders_and_redirects() {
        let dir = site();
        let root = dir.path().join("site");
        let real = root.canonicalize().unwrap();
        assert_eq!(
            lookup(&root, "/f/", "/f/"),
            Lookup::File(real.join("index.html"))
        );
        assert_eq!(
            lookup(&root, "/f/", "/f/a/"),
            Lookup::File(real.join("a/index.html"))
        );
        assert_eq!(
            lookup(&root, "/f/", "/f/a"),
            Lookup::Redirect("/f/a/".into())
        );
        assert_eq!(
            lookup(&root, "/f/", "/f/%61/flode.xml"),
            Lookup::File(real.join("a/flode.xml"))
        );
        assert_eq!(lookup(&root, "/f/", "/f/saknas/"), Lookup::Missing);
        assert_eq!(lookup(&root, "/f/", "/annat/"), Lookup::Missing);
        assert_eq!(lookup(&root, "/f/", "/fx/"), Lookup::Missing);
    }

    #[test]
    fn traversal_in_any_spelling_is_refused() {
        let dir = site();
        let root = dir.path().join("site");
        for path in [
            "/f/../hemlig.txt",
            "/f/a/../../hemlig.txt",
            "/f/%2e%2e/hemlig.txt",
            "/f/%2E%2E/hemlig.txt",
            "/f/.%2e/hemlig.txt",
            "/f/..%2fhemlig.txt",
            "/f/..%2Fhemlig.txt",
            "/f/..%5chemlig.txt",
            "/f/a%00",
            "/f/%ff",
            "/f/%2",
            "/../hemlig.txt",
            "/f/C:/x",
        ] {
            assert_eq!(lookup(&root, "/f/", path), Lookup::Refused, "{path}");
        }
    }

    #[test]
    fn content_types() {
        assert_eq!(
            content_type(Path::new("a/flode.xml")),
            "application/atom+xml; charset=utf-8"
        );
        assert_eq!(
            content_type(Path::new("sitemap.xml")),
            "application/xml; charset=utf-8"
        );
        assert_eq!(
            content_type(Path::new("k.ics")),
            "text/calendar; charset=utf-8"
        );
        assert_eq!(content_type(Path::new("d.json")), "application/json");
    }

    #[test]
    fn a_range_header_is_cut_as_a_web_host_cuts_it() {
        assert_eq!(byte_range("bytes=0-99", 1000), Some(Ok((0, 100))));
        assert_eq!(byte_range("bytes=990-2000", 1000), Some(Ok((990, 1000))));
        assert_eq!(byte_range("bytes=500-", 1000), Some(Ok((500, 1000))));
        assert_eq!(byte_range("bytes=-10", 1000), Some(Ok((990, 1000))));
        assert_eq!(byte_range("bytes=-5000", 1000), Some(Ok((0, 1000))));
        // Past the end: 416.
        assert_eq!(byte_range("bytes=1000-1100", 1000), Some(Err(())));
        assert_eq!(
            byte_range("bytes=99999999999999999999999-", 1000),
            Some(Err(()))
        );
        assert_eq!(byte_range("bytes=-0", 1000), Some(Err(())));
        // The whole file: several ranges, other units, nonsense.
        for h in [
            "bytes=0-1,5-9",
            "items=0-1",
            "bytes=9-1",
            "bytes=-",
            "bytes=a-b",
            "0-99",
            "",
        ] {
            assert_eq!(byte_range(h, 1000), None, "{h}");
        }
    }
}
