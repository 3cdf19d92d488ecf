//! The build's own link check: every internal link and anchor in the generated pages must resolve.
//!
//! Pages are our own output (templates plus sanitised Markdown), so a scan of `href`/`src`/`id`
//! attributes written with double quotes covers them; there is no need for a full HTML parser.

use super::urls::Urls;
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

/// What the link check needs to know of one generated page.
#[derive(Debug, Default, Clone)]
pub struct PageLinks {
    pub ids: BTreeSet<String>,
    pub links: Vec<String>,
}

fn attribute_values<'a>(html: &'a str, name: &str) -> Vec<&'a str> {
    let needle = format!(" {name}=\"");
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find(&needle) {
        let after = &rest[i + needle.len()..];
        match after.find('"') {
            Some(end) => {
                out.push(&after[..end]);
                rest = &after[end..];
            }
            None => break,
        }
    }
    out
}

fn unescape(s: &str) -> String {
    s.replace("&amp;", "&")
        .replace("&#x2F;", "/")
        .replace("&#47;", "/")
}

pub fn scan(html: &str) -> PageLinks {
    PageLinks {
        ids: attribute_values(html, "id")
            .into_iter()
            .map(unescape)
            .collect(),
        links: attribute_values(html, "href")
            .into_iter()
            .chain(attribute_values(html, "src"))
            .map(unescape)
            .collect(),
    }
}

/// One broken link: the page it is on and the target that does not resolve.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrokenLink {
    pub page: PathBuf,
    pub target: String,
    pub reason: String,
}

fn is_external(link: &str) -> bool {
    let lower = link.to_ascii_lowercase();
    ["http://", "https://", "mailto:", "tel:", "//"]
        .iter()
        .any(|p| lower.starts_with(p))
}

/// Resolves `link` found on the page served at `page_url` to an absolute path.
fn absolute(page_url: &str, link: &str) -> String {
    if link.starts_with('/') {
        return link.to_string();
    }
    if let Some(fragment) = link.strip_prefix('#') {
        return format!(
            "{}#{fragment}",
            page_url.split('#').next().unwrap_or(page_url)
        );
    }
    let dir = match page_url.rfind('/') {
        Some(i) => &page_url[..=i],
        None => "/",
    };
    let mut parts: Vec<&str> = dir.split('/').filter(|s| !s.is_empty()).collect();
    let (path, fragment) = match link.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (link, None),
    };
    let trailing = path.ends_with('/');
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
    if trailing && !out.ends_with('/') {
        out.push('/');
    }
    if let Some(f) = fragment {
        out.push('#');
        out.push_str(f);
    }
    out
}

/// Checks every page's links against the set of pages and their ids.
/// `pages` maps a page's file (relative to the output folder) to its URL and links; `files` is
/// every file written, pages or not.
pub fn check(
    urls: &Urls,
    pages: &BTreeMap<PathBuf, (String, PageLinks)>,
    files: &BTreeSet<PathBuf>,
) -> Vec<BrokenLink> {
    let mut broken = Vec::new();
    for (file, (page_url, page)) in pages {
        for link in &page.links {
            if link.is_empty() || is_external(link) {
                continue;
            }
            let target = absolute(page_url, link);
            let Some(target_file) = urls.file_for(&target) else {
                broken.push(BrokenLink {
                    page: file.clone(),
                    target: link.clone(),
                    reason: "leder utanför webbplatsen".into(),
                });
                continue;
            };
            if !files.contains(&target_file) {
                broken.push(BrokenLink {
                    page: file.clone(),
                    target: link.clone(),
                    reason: "sidan finns inte".into(),
                });
                continue;
            }
            if let Some((_, fragment)) = target.split_once('#')
                && !fragment.is_empty()
            {
                let has = pages
                    .get(&target_file)
                    .is_some_and(|(_, p)| p.ids.contains(fragment));
                if !has {
                    broken.push(BrokenLink {
                        page: file.clone(),
                        target: link.clone(),
                        reason: format!("ankaret #{fragment} finns inte på sidan"),
                    });
                }
            }
        }
    }
    broken
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_missing_pages_and_anchors() {
        let urls = Urls::new("/f/");
        let mut pages = BTreeMap::new();
        pages.insert(
            PathBuf::from("index.html"),
            ("/f/".to_string(), scan(r##"<a href="/f/a/#p1">x</a><a href="a/#p2">y</a><a href="/f/saknas/">z</a><a href="https://x.se/">e</a><a href="#topp">t</a><img src="/f/assets/x.png">"##)),
        );
        pages.insert(
            PathBuf::from("a/index.html"),
            ("/f/a/".to_string(), scan(r#"<h2 id="p1">"#)),
        );
        let files: BTreeSet<PathBuf> = ["index.html", "a/index.html"]
            .iter()
            .map(PathBuf::from)
            .collect();
        let broken = check(&urls, &pages, &files);
        let targets: Vec<&str> = broken.iter().map(|b| b.target.as_str()).collect();
        assert_eq!(targets, ["a/#p2", "/f/saknas/", "#topp", "/f/assets/x.png"]);
    }

    #[test]
    fn relative_links_resolve() {
        assert_eq!(absolute("/f/a/b/", "../c/#x"), "/f/a/c/#x");
        assert_eq!(absolute("/f/a/", "#x"), "/f/a/#x");
    }
}
