//! `sitemap.xml` (sitemaps.org protocol) and `robots.txt`.
//!
//! A sitemap file may hold at most 50,000 URLs; a larger archive gets a sitemap index at
//! `sitemap.xml` that points at parts `sitemap-1.xml`, `sitemap-2.xml`, … so that the address
//! given to search engines never changes. Pages that ask not to be indexed (old protocols under a
//! förbund's `noindex_efter_ar`, the embed pages) are left out.

use super::Context;
use super::templates::{ROBOTS, SITEMAP, SITEMAP_INDEX, render, xml_text};

/// The sitemaps.org limit of URLs per file.
pub const MAX_URLS: usize = 50_000;

fn urlset(ctx: &Context, urls: &[String]) -> String {
    #[derive(serde::Serialize)]
    struct Ctx<'a> {
        urls: &'a [String],
    }
    let urls: Vec<String> = urls.iter().map(|u| xml_text(u)).collect();
    render(ctx.theme, SITEMAP, &Ctx { urls: &urls })
}

/// The sitemap files: `(URL path, contents)`. `urls` are absolute; `max` is the limit per file
/// (a parameter so that tests can split a small site).
pub fn sitemaps(ctx: &Context, urls: &[String], max: usize) -> Vec<(String, String)> {
    let max = max.max(1);
    let mut sorted = urls.to_vec();
    sorted.sort();
    sorted.dedup();
    if sorted.len() <= max {
        return vec![(ctx.urls.sitemap(), urlset(ctx, &sorted))];
    }
    let mut out = Vec::new();
    let mut parts = Vec::new();
    for (i, chunk) in sorted.chunks(max).enumerate() {
        let path = ctx.urls.sitemap_part(i + 1);
        parts.push(xml_text(&ctx.absolute(&path)));
        out.push((path, urlset(ctx, chunk)));
    }
    #[derive(serde::Serialize)]
    struct Ctx {
        parts: Vec<String>,
    }
    out.insert(
        0,
        (
            ctx.urls.sitemap(),
            render(ctx.theme, SITEMAP_INDEX, &Ctx { parts }),
        ),
    );
    out
}

/// `robots.txt`: everything may be crawled; the sitemap's address. Search engines read it only
/// at the root of a host: a site under a sub-path must copy these lines into the host's own.
pub fn robots(ctx: &Context) -> String {
    #[derive(serde::Serialize)]
    struct Ctx {
        site_title: String,
        sitemap: String,
    }
    // One line each: a title with a line break must not add directives.
    let line = |s: &str| s.split(['\n', '\r']).collect::<Vec<_>>().join(" ");
    render(
        ctx.theme,
        ROBOTS,
        &Ctx {
            site_title: line(&ctx.config.titel),
            sitemap: line(&ctx.absolute(&ctx.urls.sitemap())),
        },
    )
}
