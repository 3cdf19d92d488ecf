//! Third-party requests: a page of the archive loads nothing from another host (BRIEF §5), so a
//! visitor's browser tells no one else which protocols they read. The pages' Content-Security-
//! Policy (`img-src 'self' data:`, …) would block such a load anyway, and the sanitiser removes
//! embeds; this check says so at the source, with file and line, instead of leaving a broken
//! image.
//!
//! The sources are scanned, not the pages: content files (Markdown images, raw HTML tags), the
//! archive's and the theme's templates (tags) and the theme's style sheets (`url()`, `@import`).

use crate::diagnostics::{Diagnostic, Severity};
use crate::load::{normalize_newlines, position_of};
use pulldown_cmark::{Event, Options, Parser, Tag};
use std::path::{Path, PathBuf};

/// One load from another host found in a source text: where (byte offset), what and from where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExternalLoad {
    pub offset: usize,
    /// How the source asks for it, e.g. `<img src>`, `![bild]()`, `url()`.
    pub what: String,
    pub url: String,
}

/// A URL that a browser fetches from another host: absolute with a scheme and `//`, or
/// scheme-relative. `data:` (allowed by the policy), relative paths and fragments are the site's.
pub fn is_external(url: &str) -> bool {
    // Browsers drop tabs and newlines anywhere and leading spaces and controls.
    let url: String = url
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect::<String>()
        .trim_start_matches(|c: char| c <= ' ')
        .to_ascii_lowercase();
    if url.starts_with("//") || url.starts_with("\\\\") || url.starts_with("/\\") {
        return true;
    }
    match url.find(':') {
        Some(i) => {
            let scheme = &url[..i];
            !scheme.is_empty()
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
                && !matches!(scheme, "data" | "mailto" | "tel" | "javascript")
                && url[i + 1..].starts_with("//")
        }
        None => false,
    }
}

/// The `rel` values of a `<link>` whose `href` the browser fetches.
const LOADING_RELS: &[&str] = &[
    "stylesheet",
    "icon",
    "apple-touch-icon",
    "preload",
    "prefetch",
    "modulepreload",
    "manifest",
    "preconnect",
    "dns-prefetch",
    "mask-icon",
];

/// Loads from other hosts in the HTML tags of `text` (a template, or raw HTML in Markdown):
/// `src`, `srcset`, `poster`, `background`, `data` (`<object>`), a loading `<link href>` and
/// `url()` in a `style` attribute.
pub fn in_tags(text: &str) -> Vec<ExternalLoad> {
    let mut out = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    while let Some(found) = text[i..].find('<') {
        let start = i + found;
        i = start + 1;
        let name_len = bytes[i..]
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric())
            .count();
        if name_len == 0 || !bytes[i].is_ascii_alphabetic() {
            continue;
        }
        let name = text[i..i + name_len].to_ascii_lowercase();
        let (attrs, end) = attributes(text, i + name_len);
        i = end;
        let rel = attrs
            .iter()
            .find(|a| a.0 == "rel")
            .map(|a| a.1.to_ascii_lowercase());
        for (attr, value, at) in &attrs {
            let urls: Vec<&str> = match attr.as_str() {
                "src" | "poster" | "background" => vec![value],
                "data" if name == "object" => vec![value],
                "href" if name == "link" => {
                    let loads = rel.as_deref().is_some_and(|r| {
                        r.split_ascii_whitespace()
                            .any(|r| LOADING_RELS.contains(&r))
                    });
                    if loads { vec![value] } else { Vec::new() }
                }
                // Candidates are `url [descriptor]`, separated by commas.
                "srcset" => value
                    .split(',')
                    .filter_map(|c| c.split_ascii_whitespace().next())
                    .collect(),
                "style" => {
                    for (offset, url) in css_urls(value) {
                        if is_external(&url) {
                            out.push(ExternalLoad {
                                offset: at + offset,
                                what: format!("<{name} style> url()"),
                                url,
                            });
                        }
                    }
                    Vec::new()
                }
                _ => Vec::new(),
            };
            for url in urls {
                if is_external(url) {
                    out.push(ExternalLoad {
                        offset: *at,
                        what: format!("<{name} {attr}>"),
                        url: url.to_string(),
                    });
                }
            }
        }
    }
    out
}

/// The attributes of the tag whose name ends at `from`: (lower-case name, value, offset of the
/// value), and the offset after the tag.
fn attributes(text: &str, from: usize) -> (Vec<(String, String, usize)>, usize) {
    let bytes = text.as_bytes();
    let mut attrs = Vec::new();
    let mut i = from;
    loop {
        while i < bytes.len() && (bytes[i].is_ascii_whitespace() || bytes[i] == b'/') {
            i += 1;
        }
        if i >= bytes.len() || bytes[i] == b'>' || bytes[i] == b'<' {
            return (attrs, (i + 1).min(bytes.len()));
        }
        let name_start = i;
        while i < bytes.len() && !b" \t\n\r\x0c/>=<".contains(&bytes[i]) {
            i += 1;
        }
        let name = text[name_start..i].to_ascii_lowercase();
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        if i >= bytes.len() || bytes[i] != b'=' {
            attrs.push((name, String::new(), name_start));
            continue;
        }
        i += 1;
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        let (value_start, value_end, next) = match bytes.get(i) {
            Some(&q @ (b'"' | b'\'')) => {
                let end = text[i + 1..]
                    .find(q as char)
                    .map_or(text.len(), |e| i + 1 + e);
                (i + 1, end, (end + 1).min(text.len()))
            }
            _ => {
                let end = text[i..]
                    .find(|c: char| c.is_ascii_whitespace() || c == '>')
                    .map_or(text.len(), |e| i + e);
                (i, end, end)
            }
        };
        attrs.push((name, text[value_start..value_end].to_string(), value_start));
        i = next;
    }
}

/// The URLs of `url(…)` and `@import "…"` in CSS, with their offsets.
pub fn css_urls(css: &str) -> Vec<(usize, String)> {
    let lower = css.to_ascii_lowercase();
    let mut out = Vec::new();
    for (at, _) in lower.match_indices("url(") {
        let rest = &css[at + 4..];
        let end = rest.find(')').unwrap_or(rest.len());
        let url = rest[..end].trim().trim_matches(['"', '\'']).trim();
        out.push((at, url.to_string()));
    }
    for (at, _) in lower.match_indices("@import") {
        let rest = css[at + 7..].trim_start();
        if let Some(q @ ('"' | '\'')) = rest.chars().next() {
            let inner = &rest[1..];
            let end = inner.find(q).unwrap_or(inner.len());
            out.push((at, inner[..end].to_string()));
        }
    }
    out
}

/// Loads from other hosts in a content file: Markdown images (also in YAML strings and by
/// reference) and raw HTML tags.
pub fn in_content(text: &str) -> Vec<ExternalLoad> {
    let mut out = in_tags(text);
    // Leading whitespace removed from every line (lines stay where they are), so that Markdown in
    // an indented YAML block is read as Markdown, not as a code block.
    let dedented: String = text
        .split_inclusive('\n')
        .map(|l| l.trim_start_matches([' ', '\t']))
        .collect();
    let line_starts = |t: &str| -> Vec<usize> {
        std::iter::once(0)
            .chain(t.match_indices('\n').map(|(i, _)| i + 1))
            .collect()
    };
    let (original, shifted) = (line_starts(text), line_starts(&dedented));
    // Front matter is read as Markdown too: its strings are rendered as Markdown.
    let options = Options::all()
        - Options::ENABLE_YAML_STYLE_METADATA_BLOCKS
        - Options::ENABLE_PLUSES_DELIMITED_METADATA_BLOCKS;
    for (event, range) in Parser::new_ext(&dedented, options).into_offset_iter() {
        if let Event::Start(Tag::Image { dest_url, .. }) = event
            && is_external(&dest_url)
        {
            // Back to the same place in the original text: the line's start there, plus the
            // indentation that was removed, plus the column in the dedented line.
            let line = shifted.partition_point(|&s| s <= range.start).max(1) - 1;
            let line_len = |starts: &[usize], t: &str| {
                let start = starts.get(line).copied().unwrap_or(t.len());
                let end = starts.get(line + 1).copied().unwrap_or(t.len());
                end.saturating_sub(start)
            };
            let removed = line_len(&original, text).saturating_sub(line_len(&shifted, &dedented));
            let offset = original.get(line).copied().unwrap_or(0)
                + removed
                + (range.start - shifted.get(line).copied().unwrap_or(0));
            out.push(ExternalLoad {
                offset: offset.min(text.len()),
                what: "![bild]()".to_string(),
                url: dest_url.to_string(),
            });
        }
    }
    out.sort_by_key(|l| l.offset);
    out
}

fn diagnostic(file: &Path, text: &str, load: &ExternalLoad) -> Diagnostic {
    Diagnostic::error(
        "extern-resurs",
        file,
        position_of(text, load.offset),
        format!(
            "{} hämtar {} från en annan webbplats: arkivets sidor gör inga anrop till andra värdar \
             (besökarens webbläsare skulle avslöja vad hen läser), så den visas inte",
            load.what, load.url
        ),
    )
    .with_severity(Severity::Varning)
    .with_hint(
        "lägg filen i arkivet bredvid innehållet och hänvisa till den med en relativ adress, \
         eller gör den till en vanlig länk",
    )
}

fn files_under(dir: &Path, extensions: &[&str]) -> Vec<PathBuf> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(walkdir::DirEntry::into_path)
        .filter(|p| {
            p.extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| extensions.contains(&e.to_ascii_lowercase().as_str()))
        })
        .collect()
}

/// Every load from another host in the archive at `root` with the theme `tema`: content files,
/// templates and the theme's style sheets. Warnings; the build makes them errors with `strikt`.
/// Files that cannot be read are the loader's and the theme's to report.
pub fn scan_archive(root: &Path, tema: &str) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let read = |path: &Path| {
        std::fs::read_to_string(path)
            .ok()
            .map(|t| normalize_newlines(&t).into_owned())
    };
    // In parallel, like the loader: a national archive has thousands of files.
    use rayon::prelude::*;
    let files = files_under(&root.join("content"), &["md", "markdown", "yaml", "yml"]);
    let content: Vec<Diagnostic> = files
        .par_iter()
        .flat_map_iter(|path| {
            let text = read(path).unwrap_or_default();
            in_content(&text)
                .iter()
                .map(|l| diagnostic(path, &text, l))
                .collect::<Vec<_>>()
        })
        .collect();
    out.extend(content);
    let theme = root.join("themes").join(tema);
    for dir in [root.join("templates"), theme.join("templates")] {
        for path in files_under(&dir, &["html", "htm", "xml", "svg"]) {
            if let Some(text) = read(&path) {
                out.extend(in_tags(&text).iter().map(|l| diagnostic(&path, &text, l)));
            }
        }
    }
    for path in files_under(&theme.join("static"), &["css", "html", "svg"]) {
        let Some(text) = read(&path) else { continue };
        let mut loads = if path.extension().is_some_and(|e| e == "css") {
            Vec::new()
        } else {
            in_tags(&text)
        };
        loads.extend(
            css_urls(&text)
                .into_iter()
                .filter(|(_, url)| is_external(url))
                .map(|(offset, url)| ExternalLoad {
                    offset,
                    what: "url()".to_string(),
                    url,
                }),
        );
        out.extend(loads.iter().map(|l| diagnostic(&path, &text, l)));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn urls(loads: &[ExternalLoad]) -> Vec<(&str, &str)> {
        loads
            .iter()
            .map(|l| (l.what.as_str(), l.url.as_str()))
            .collect()
    }

    #[test]
    fn other_hosts_are_external_and_the_sites_own_addresses_are_not() {
        for url in [
            "https://example.org/a.png",
            "HTTP://x",
            "//cdn.example/x.js",
            " \thttps://x",
            "ftp://x/y",
            "\\\\evil/x",
        ] {
            assert!(is_external(url), "{url}");
        }
        for url in [
            "bild.png",
            "/finsam/assets/x.png",
            "../x.png",
            "#p1",
            "data:image/png;base64,AAAA",
            "mailto:a@b.se",
            "a:b",
            "",
        ] {
            assert!(!is_external(url), "{url}");
        }
    }

    #[test]
    fn tags_that_load_are_found_with_their_attribute() {
        let html = r#"<p>Text <a href="https://example.org/">länk</a></p>
<img alt="x" src="https://bilder.example/a.png">
<IMG SRC=//cdn.example/b.png>
<img srcset="liten.png 1x, https://bilder.example/stor.png 2x">
<iframe src='https://www.youtube.com/embed/x'></iframe>
<video poster="https://v.example/p.jpg"><source src="https://v.example/v.mp4"></video>
<audio src="https://a.example/a.mp3"></audio>
<object data="https://o.example/o.swf"></object>
<link rel="canonical" href="https://example.org/finsam/">
<link rel="stylesheet" href="https://fonts.example/css">
<div style="background: url('https://s.example/bg.png')"></div>
<img src="egen.png">"#;
        let loads = in_tags(html);
        assert_eq!(
            urls(&loads),
            [
                ("<img src>", "https://bilder.example/a.png"),
                ("<img src>", "//cdn.example/b.png"),
                ("<img srcset>", "https://bilder.example/stor.png"),
                ("<iframe src>", "https://www.youtube.com/embed/x"),
                ("<video poster>", "https://v.example/p.jpg"),
                ("<source src>", "https://v.example/v.mp4"),
                ("<audio src>", "https://a.example/a.mp3"),
                ("<object data>", "https://o.example/o.swf"),
                ("<link href>", "https://fonts.example/css"),
                ("<div style> url()", "https://s.example/bg.png"),
            ]
        );
        // Offsets point into the line of the tag.
        assert_eq!(position_of(html, loads[0].offset).line, 2);
        assert_eq!(position_of(html, loads[9].offset).line, 11);
    }

    #[test]
    fn markdown_images_are_found_on_their_line_also_in_yaml_blocks_and_by_reference() {
        let text = "---\nbeskrivning: |\n    Text\n    ![logga](https://x.example/l.png)\n---\n\n## § 1 Rubrik\n\nSe ![karta][k] och ![egen](karta.png).\n\n[k]: https://kartor.example/k.png\n\n```\n![kod](https://inte.example/x.png)\n```\n";
        let loads = in_content(text);
        let lines: Vec<(usize, usize, &str)> = loads
            .iter()
            .map(|l| {
                let p = position_of(text, l.offset);
                (p.line, p.column, l.url.as_str())
            })
            .collect();
        assert_eq!(
            lines,
            [
                (4, 5, "https://x.example/l.png"),
                (9, 4, "https://kartor.example/k.png")
            ]
        );
    }

    #[test]
    fn css_urls_and_imports_are_read() {
        let css = "@import \"https://fonts.example/a.css\";\nbody { background: url( 'https://x.example/b.png' ) }\n.a { background: url(bild.png) }";
        let at = |s: &str| css.find(s).unwrap_or(usize::MAX);
        assert_eq!(
            css_urls(css),
            [
                (at("url( '"), "https://x.example/b.png".to_string()),
                (at("url(bild"), "bild.png".to_string()),
                (0, "https://fonts.example/a.css".to_string()),
            ]
        );
    }
}
