//! Shared helpers for the integration tests: run the real binary on a site, read what it wrote,
//! and look into the HTML the way a reader (or a browser) would.
//!
//! The pages are our own output, so a small tolerant tag scanner is enough; it does not trust the
//! build's own link check (`src/render/links.rs`) but re-implements link resolution independently.

#![allow(dead_code)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The build day used by every test, so that the anslagstavla and the build date are fixed.
pub const IDAG: &str = "2025-03-20";

/// The repository: `site.toml` and the example archive in `content/`.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn fixture(name: &str) -> PathBuf {
    repo().join("tests").join("fixtures").join(name)
}

/// What one run of `protokoll build` did.
#[derive(Debug)]
pub struct Run {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn ok(&self) -> bool {
        self.code == Some(0)
    }
}

/// Runs the binary with these arguments in `cwd`.
pub fn protokoll<S: AsRef<std::ffi::OsStr>>(cwd: &Path, args: &[S]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_protokoll"))
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .args(args)
        .output()
        .expect("the protokoll binary runs");
    Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Runs `protokoll build --rot <rot> --utdata <utdata> --idag <idag>` in the repository folder.
pub fn build_on(rot: &Path, utdata: &Path, idag: &str) -> Run {
    let args: [&std::ffi::OsStr; 7] = [
        "build".as_ref(),
        "--rot".as_ref(),
        rot.as_os_str(),
        "--utdata".as_ref(),
        utdata.as_os_str(),
        "--idag".as_ref(),
        idag.as_ref(),
    ];
    protokoll(&repo(), &args)
}

pub fn build(rot: &Path, utdata: &Path) -> Run {
    build_on(rot, utdata, IDAG)
}

/// Builds and fails the test, showing the report, unless the build succeeded.
pub fn build_ok(rot: &Path, utdata: &Path) -> Run {
    let run = build(rot, utdata);
    assert!(
        run.ok(),
        "the build of {} failed ({:?}):\n{}\n{}",
        rot.display(),
        run.code,
        run.stdout,
        run.stderr
    );
    run
}

/// Builds the repository's example archive into a fresh temporary folder.
pub fn build_example() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    build_ok(&repo(), &out);
    (dir, out)
}

/// Every file under `dir`, by path relative to `dir`, with its bytes.
pub fn read_tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let entry = entry.unwrap();
            let path = entry.path();
            if entry.file_type().unwrap().is_dir() {
                stack.push(path);
            } else {
                let rel = path.strip_prefix(dir).unwrap().to_path_buf();
                files.insert(rel, std::fs::read(&path).unwrap());
            }
        }
    }
    files
}

/// The HTML pages of a built site, by path relative to the output folder.
pub fn html_pages(dir: &Path) -> BTreeMap<PathBuf, String> {
    read_tree(dir)
        .into_iter()
        .filter(|(p, _)| p.extension().is_some_and(|e| e == "html"))
        .map(|(p, b)| (p, String::from_utf8(b).expect("pages are UTF-8")))
        .collect()
}

pub fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Copies a site (`site.toml`, `content/`, and `themes/` and `templates/` if any) into `to`.
/// Theme files on disk win over the compiled-in default theme, so they are part of the input.
pub fn copy_site(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    std::fs::copy(from.join("site.toml"), to.join("site.toml")).unwrap();
    copy_dir(&from.join("content"), &to.join("content"));
    for dir in ["themes", "templates"] {
        if from.join(dir).is_dir() {
            copy_dir(&from.join(dir), &to.join(dir));
        }
    }
}

/// Replaces the `base_url` line of a copied site's `site.toml`.
pub fn set_base_url(site: &Path, base_url: &str) {
    let path = site.join("site.toml");
    let text = read(&path);
    let mut found = false;
    let new: Vec<String> = text
        .lines()
        .map(|l| {
            if l.trim_start().starts_with("base_url") {
                found = true;
                format!("base_url = \"{base_url}\"")
            } else {
                l.to_string()
            }
        })
        .collect();
    assert!(found, "no base_url in {}", path.display());
    std::fs::write(&path, new.join("\n") + "\n").unwrap();
}

// ---------------------------------------------------------------------------------------------
// HTML

/// One start tag: its name (lower case), attributes (names lower case, values decoded) and where
/// it starts and ends in the page.
#[derive(Debug, Clone)]
pub struct Tag {
    pub name: String,
    pub attrs: Vec<(String, String)>,
    pub start: usize,
    pub end: usize,
}

impl Tag {
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn has_class(&self, class: &str) -> bool {
        self.attr("class")
            .is_some_and(|c| c.split_whitespace().any(|x| x == class))
    }
}

/// Every start tag of a page, in order. Comments and the doctype are skipped; attribute values may
/// be double-quoted, single-quoted or bare.
pub fn tags(html: &str) -> Vec<Tag> {
    let bytes = html.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(off) = html[i..].find('<') {
        let start = i + off;
        if html[start..].starts_with("<!--") {
            i = html[start..]
                .find("-->")
                .map_or(html.len(), |e| start + e + 3);
            continue;
        }
        let mut j = start + 1;
        if j >= bytes.len() || !bytes[j].is_ascii_alphabetic() {
            i = start + 1;
            continue;
        }
        while j < bytes.len() && (bytes[j].is_ascii_alphanumeric() || bytes[j] == b'-') {
            j += 1;
        }
        let name = html[start + 1..j].to_ascii_lowercase();
        let mut attrs = Vec::new();
        loop {
            while j < bytes.len() && (bytes[j].is_ascii_whitespace() || bytes[j] == b'/') {
                j += 1;
            }
            if j >= bytes.len() || bytes[j] == b'>' {
                break;
            }
            let n0 = j;
            while j < bytes.len() && !bytes[j].is_ascii_whitespace() && !b"=>/".contains(&bytes[j])
            {
                j += 1;
            }
            let attr_name = html[n0..j].to_ascii_lowercase();
            let mut value = String::new();
            if j < bytes.len() && bytes[j] == b'=' {
                j += 1;
                if j < bytes.len() && (bytes[j] == b'"' || bytes[j] == b'\'') {
                    let q = bytes[j];
                    let v0 = j + 1;
                    let end = html[v0..].find(q as char).map_or(html.len(), |e| v0 + e);
                    value = decode(&html[v0..end]);
                    j = (end + 1).min(html.len());
                } else {
                    let v0 = j;
                    while j < bytes.len() && !bytes[j].is_ascii_whitespace() && bytes[j] != b'>' {
                        j += 1;
                    }
                    value = decode(&html[v0..j]);
                }
            }
            if attr_name.is_empty() {
                j += 1;
            } else {
                attrs.push((attr_name, value));
            }
        }
        let end = (j + 1).min(html.len());
        out.push(Tag {
            name,
            attrs,
            start,
            end,
        });
        i = end;
    }
    out
}

/// The whole element (start tag to matching end tag) that starts at `tag`.
pub fn outer<'a>(html: &'a str, tag: &Tag) -> &'a str {
    let open = format!("<{}", tag.name);
    let close = format!("</{}>", tag.name);
    let mut depth = 1;
    let mut i = tag.end;
    while depth > 0 {
        let next_open = html[i..].find(&open).map(|o| i + o).filter(|&o| {
            html.as_bytes()
                .get(o + open.len())
                .is_some_and(|b| b.is_ascii_whitespace() || *b == b'>')
        });
        let next_close = html[i..].find(&close).map(|c| i + c);
        match (next_open, next_close) {
            (Some(o), Some(c)) if o < c => {
                depth += 1;
                i = o + open.len();
            }
            (_, Some(c)) => {
                depth -= 1;
                i = c + close.len();
            }
            (_, None) => return &html[tag.start..],
        }
    }
    &html[tag.start..i]
}

/// The element with this id, if the page has one.
pub fn by_id<'a>(html: &'a str, id: &str) -> Option<&'a str> {
    tags(html)
        .into_iter()
        .find(|t| t.attr("id") == Some(id))
        .map(|t| outer(html, &t))
}

/// Every element `<name class="… class …">`, in page order.
pub fn by_class<'a>(html: &'a str, name: &str, class: &str) -> Vec<&'a str> {
    tags(html)
        .into_iter()
        .filter(|t| t.name == name && t.has_class(class))
        .map(|t| outer(html, &t))
        .collect()
}

/// Every element with this tag name, in page order.
pub fn by_tag<'a>(html: &'a str, name: &str) -> Vec<&'a str> {
    tags(html)
        .into_iter()
        .filter(|t| t.name == name)
        .map(|t| outer(html, &t))
        .collect()
}

/// Decodes the character references our pages use.
pub fn decode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let after = &rest[i..];
        let Some(semi) = after.find(';').filter(|&n| n <= 10) else {
            out.push('&');
            rest = &after[1..];
            continue;
        };
        let entity = &after[1..semi];
        let c = match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            "nbsp" => Some('\u{a0}'),
            _ => {
                if let Some(hex) = entity
                    .strip_prefix("#x")
                    .or_else(|| entity.strip_prefix("#X"))
                {
                    u32::from_str_radix(hex, 16).ok().and_then(char::from_u32)
                } else if let Some(dec) = entity.strip_prefix('#') {
                    dec.parse().ok().and_then(char::from_u32)
                } else {
                    None
                }
            }
        };
        match c {
            Some(c) => {
                out.push(c);
                rest = &after[semi + 1..];
            }
            None => {
                out.push('&');
                rest = &after[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The text a reader sees: tags removed, references decoded, white space collapsed, and the
/// invisible break hints of headings (soft hyphens, zero-width spaces) left out.
pub fn text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => {
                in_tag = true;
                out.push(' ');
            }
            '>' if in_tag => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    decode(&out)
        .replace(['\u{ad}', '\u{200b}'], "")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Every link target (`href` and `src`) on a page.
pub fn links(html: &str) -> Vec<String> {
    tags(html)
        .into_iter()
        .flat_map(|t| {
            t.attrs
                .into_iter()
                .filter(|(n, _)| n == "href" || n == "src")
                .map(|(_, v)| v)
        })
        .collect()
}

/// Every id on a page.
pub fn ids(html: &str) -> BTreeSet<String> {
    tags(html)
        .into_iter()
        .filter_map(|t| t.attr("id").map(str::to_string))
        .collect()
}

pub fn is_external(link: &str) -> bool {
    let l = link.to_ascii_lowercase();
    l.starts_with("https://")
        || l.starts_with("http://")
        || l.starts_with("mailto:")
        || l.starts_with("tel:")
}

/// The output file that serves `path` (an absolute URL path under `base`), if it is under it.
pub fn file_for(base: &str, path: &str) -> Option<PathBuf> {
    let rest = path.strip_prefix(base)?;
    let mut file = PathBuf::new();
    for seg in rest.split('/').filter(|s| !s.is_empty()) {
        if seg == "." || seg == ".." {
            return None;
        }
        file.push(seg);
    }
    if rest.is_empty() || rest.ends_with('/') {
        file.push("index.html");
    }
    Some(file)
}

/// Resolves a link found on the page served at `page_url` (an absolute path) like a browser.
pub fn resolve(page_url: &str, link: &str) -> String {
    let (path, fragment) = match link.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (link, None),
    };
    let path = path.split('?').next().unwrap_or("");
    let absolute = if path.is_empty() {
        page_url.to_string()
    } else if path.starts_with('/') {
        path.to_string()
    } else {
        let dir = &page_url[..=page_url.rfind('/').unwrap_or(0)];
        let mut parts: Vec<&str> = dir.split('/').filter(|s| !s.is_empty()).collect();
        for seg in path.split('/') {
            match seg {
                "" | "." => {}
                ".." => {
                    parts.pop();
                }
                s => parts.push(s),
            }
        }
        let mut out = format!("/{}", parts.join("/"));
        if path.ends_with('/') && !out.ends_with('/') {
            out.push('/');
        }
        out
    };
    match fragment {
        Some(f) => format!("{absolute}#{f}"),
        None => absolute,
    }
}

/// The URL path a page file of the site is served at.
pub fn url_of(base: &str, file: &Path) -> String {
    let rel = file.to_string_lossy().replace('\\', "/");
    match rel.strip_suffix("index.html") {
        Some(dir) => format!("{base}{dir}"),
        None => format!("{base}{rel}"),
    }
}

/// Checks every internal link of a built site (pages and fragments) the way a browser would
/// follow it. Returns the broken ones as `page -> link (why)`.
pub fn broken_links(out: &Path, base: &str) -> Vec<String> {
    let files: BTreeSet<PathBuf> = read_tree(out).into_keys().collect();
    let pages = html_pages(out);
    let page_ids: BTreeMap<&PathBuf, BTreeSet<String>> =
        pages.iter().map(|(f, h)| (f, ids(h))).collect();
    let mut broken = Vec::new();
    for (file, html) in &pages {
        let page_url = url_of(base, file);
        for link in links(html) {
            if is_external(&link) {
                continue;
            }
            let target = resolve(&page_url, &link);
            let (path, fragment) = match target.split_once('#') {
                Some((p, f)) => (p.to_string(), Some(f.to_string())),
                None => (target.clone(), None),
            };
            let Some(target_file) = file_for(base, &path) else {
                broken.push(format!("{} -> {link} (outside {base})", file.display()));
                continue;
            };
            if !files.contains(&target_file) {
                broken.push(format!(
                    "{} -> {link} (no file {})",
                    file.display(),
                    target_file.display()
                ));
                continue;
            }
            if let Some(f) = fragment.filter(|f| !f.is_empty()) {
                let has = page_ids
                    .get(&target_file)
                    .is_some_and(|ids| ids.contains(&f));
                if !has {
                    broken.push(format!(
                        "{} -> {link} (no id {f} in {})",
                        file.display(),
                        target_file.display()
                    ));
                }
            }
        }
    }
    broken
}

/// Error lines of a build report: `path:line:col` with the diagnostic code, for every `fel`.
pub fn error_locations(stderr: &str) -> Vec<(String, String)> {
    stderr
        .lines()
        .filter_map(|l| {
            let (loc, rest) = l.split_once(": fel [")?;
            let code = rest.split(']').next()?;
            Some((loc.to_string(), code.to_string()))
        })
        .collect()
}

/// The text a published file holds, as the privacy checks read it. The static search index's
/// `.bin` files are runs of gzip blocks and are read inflated; its postings file (`p-….bin`) holds
/// nothing but varint lists (length, ordinal steps, impacts), which is checked here, so it has no
/// text (`None`). Other files are read as UTF-8, lossily.
pub fn published_text(path: &Path) -> Option<String> {
    let bytes = std::fs::read(path).unwrap();
    // An archive without search units writes its index files empty.
    if bytes.is_empty() {
        return Some(String::new());
    }
    // A published PDF (an original or annex beside a protocol) is read as its text, which is
    // what the build's guard reads.
    if path.extension().is_some_and(|x| x == "pdf") {
        let text = protokoll::extract::Extractor::default()
            .extract(path)
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        return Some(text.text);
    }
    if path.extension().is_none_or(|x| x != "bin") {
        return Some(String::from_utf8_lossy(&bytes).into_owned());
    }
    let mut inflated = Vec::new();
    std::io::Read::read_to_end(
        &mut flate2::read::MultiGzDecoder::new(&bytes[..]),
        &mut inflated,
    )
    .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert!(!inflated.is_empty(), "{}", path.display());
    let name = path.file_name().unwrap().to_string_lossy();
    if !name.starts_with("p-") {
        return Some(String::from_utf8_lossy(&inflated).into_owned());
    }
    fn varint(bytes: &[u8], at: &mut usize) -> u64 {
        let (mut n, mut shift) = (0u64, 0);
        loop {
            let b = bytes[*at];
            *at += 1;
            n |= u64::from(b & 0x7f) << shift;
            shift += 7;
            if b & 0x80 == 0 {
                return n;
            }
        }
    }
    let mut at = 0;
    let mut lists = 0;
    while at < inflated.len() {
        let count = varint(&inflated, &mut at);
        for _ in 0..2 * count {
            varint(&inflated, &mut at);
        }
        lists += 1;
    }
    assert_eq!(at, inflated.len(), "{}: not varint lists", path.display());
    assert!(lists > 0);
    None
}
