//! `sitemap.xml` (sitemaps.org protocol) and `robots.txt`.
//!
//! A sitemap file may hold at most 50,000 URLs; a larger archive gets a sitemap index at
//! `sitemap.xml` that points at parts `sitemap-1.xml`, `sitemap-2.xml`, … so that the address
//! given to search engines never changes. Pages that ask not to be indexed (old protocols under a
//! förbund's `noindex_efter_ar`, the embed pages) are left out.

use super::{Context, xml_escape};

/// The sitemaps.org limit of URLs per file.
pub const MAX_URLS: usize = 50_000;

const NS: &str = "http://www.sitemaps.org/schemas/sitemap/0.9";

fn urlset(urls: &[String]) -> String {
    let mut x = format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"{NS}\">\n");
    for u in urls {
        x.push_str(&format!("  <url><loc>{}</loc></url>\n", xml_escape(u)));
    }
    x.push_str("</urlset>\n");
    x
}

/// The sitemap files: `(URL path, contents)`. `urls` are absolute; `max` is the limit per file
/// (a parameter so that tests can split a small site).
pub fn sitemaps(ctx: &Context, urls: &[String], max: usize) -> Vec<(String, String)> {
    let max = max.max(1);
    let mut sorted = urls.to_vec();
    sorted.sort();
    sorted.dedup();
    if sorted.len() <= max {
        return vec![(ctx.urls.sitemap(), urlset(&sorted))];
    }
    let mut out = Vec::new();
    let mut index =
        format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"{NS}\">\n");
    for (i, chunk) in sorted.chunks(max).enumerate() {
        let path = ctx.urls.sitemap_part(i + 1);
        index.push_str(&format!(
            "  <sitemap><loc>{}</loc></sitemap>\n",
            xml_escape(&ctx.absolute(&path))
        ));
        out.push((path, urlset(chunk)));
    }
    index.push_str("</sitemapindex>\n");
    out.insert(0, (ctx.urls.sitemap(), index));
    out
}

/// `robots.txt`: everything may be crawled; the sitemap's address. Search engines read it only
/// at the root of a host: a site under a sub-path must copy these lines into the host's own.
pub fn robots(ctx: &Context) -> String {
    format!(
        "# {}\nUser-agent: *\nDisallow:\n\nSitemap: {}\n",
        ctx.config.titel,
        ctx.absolute(&ctx.urls.sitemap())
    )
}
