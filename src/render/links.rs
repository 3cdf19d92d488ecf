//! The build's own link check: every internal link and anchor in the generated pages must resolve.
//!
//! Pages are our own output (templates plus sanitised Markdown), so a scan of `href`/`src`/`id`
//! attributes written with double quotes covers them; there is no need for a full HTML parser.

use super::urls::Urls;
use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

/// What the link check needs to know of one generated page.
#[derive(Debug, Default, Clone, serde::Serialize, serde::Deserialize)]
pub struct PageLinks {
    pub ids: BTreeSet<String>,
    pub links: Vec<String>,
}

/// The values of the `id`, `href` and `src` attributes written with double quotes, in one pass
/// over the page (pages are large and many; three passes showed in the build profile).
pub fn scan(html: &str) -> PageLinks {
    let mut page = PageLinks::default();
    let bytes = html.as_bytes();
    let mut from = 0;
    while let Some(found) = html[from..].find("=\"") {
        let eq = from + found;
        let value_start = eq + 2;
        let Some(len) = html[value_start..].find('"') else {
            break;
        };
        let value = &html[value_start..value_start + len];
        from = value_start + len;
        let name_start = html[..eq]
            .rfind(|c: char| !c.is_ascii_alphanumeric() && c != '-')
            .map_or(0, |i| i + 1);
        if name_start == 0 || bytes[name_start - 1] != b' ' {
            continue;
        }
        match &html[name_start..eq] {
            "id" => {
                page.ids.insert(unescape(value).into_owned());
            }
            "href" | "src" => page.links.push(unescape(value).into_owned()),
            _ => {}
        }
    }
    page
}

fn unescape(s: &str) -> Cow<'_, str> {
    if !s.contains('&') {
        return Cow::Borrowed(s);
    }
    Cow::Owned(
        s.replace("&amp;", "&")
            .replace("&#x2F;", "/")
            .replace("&#47;", "/"),
    )
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

/// A relative file path as one string with `/` between its parts, so that paths built in
/// different ways compare equal and hash cheaply.
fn file_key(path: &Path) -> String {
    let mut key = String::new();
    for part in path.iter() {
        if !key.is_empty() {
            key.push('/');
        }
        key.push_str(&part.to_string_lossy());
    }
    key
}

/// Checks every page's links against the set of pages and their ids, pages in parallel.
/// `pages` maps a page's file (relative to the output folder) to its URL and links; `files` is
/// every file written, pages or not. Broken links come in the order of `pages`.
pub fn check(
    urls: &Urls,
    pages: &BTreeMap<PathBuf, (String, PageLinks)>,
    files: &BTreeSet<PathBuf>,
) -> Vec<BrokenLink> {
    use rayon::prelude::*;
    // Every file, with the ids of those that are pages.
    let mut known: HashMap<String, Option<&BTreeSet<String>>> =
        files.iter().map(|f| (file_key(f), None)).collect();
    for (file, (_, page)) in pages {
        known.insert(file_key(file), Some(&page.ids));
    }
    let pages: Vec<_> = pages.iter().collect();
    pages
        .par_iter()
        .flat_map_iter(|(file, (page_url, page))| {
            let known = &known;
            page.links.iter().filter_map(move |link| {
                if link.is_empty() || is_external(link) {
                    return None;
                }
                let broken = |reason: String| {
                    Some(BrokenLink {
                        page: (*file).clone(),
                        target: link.clone(),
                        reason,
                    })
                };
                let target = absolute(page_url, link);
                let Some(target_file) = urls.file_for(&target) else {
                    return broken("leder utanför webbplatsen".into());
                };
                let Some(ids) = known.get(&file_key(&target_file)) else {
                    return broken("sidan finns inte".into());
                };
                match target.split_once('#') {
                    Some((_, fragment))
                        if !fragment.is_empty()
                            && !ids.is_some_and(|ids| ids.contains(fragment)) =>
                    {
                        broken(format!("ankaret #{fragment} finns inte på sidan"))
                    }
                    _ => None,
                }
            })
        })
        .collect()
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
