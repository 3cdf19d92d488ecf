//! Publishing beyond the HTML pages: Atom feeds, machine-readable JSON, iCalendar files, the
//! sitemap and robots.txt, and the förbund timeline image (`docs/urls.md`, `docs/data.md`).
//!
//! Every file here is a [`Page`] like the HTML pages, so the build writes it atomically and runs
//! the privacy guard over it. Nothing here reads the clock: dates come from the documents (and
//! the build day `--idag` where the law's status on that day matters), so two builds of the same
//! archive on the same day are byte-identical.

pub mod data;
pub mod feeds;
pub mod ics;
pub mod sitemap;
pub mod templates;
pub mod timeline;

use crate::anslag::LegalDates;
use crate::config::{RemovedKind, SiteConfig};
use crate::diagnostics::Diagnostic;
use crate::model::{Archive, Forbund, Protocol};
use crate::render::Page;
use crate::render::urls::Urls;
use chrono::{NaiveDate, TimeZone};
use std::path::{Path, PathBuf};

/// What every publisher needs: where the site lives and which day it is built for.
pub struct Context<'a> {
    pub config: &'a SiteConfig,
    pub urls: &'a Urls,
    pub today: NaiveDate,
    /// The site's theme, for the feed, sitemap and robots.txt templates; `None` renders them with
    /// the default theme's.
    pub theme: Option<&'a crate::render::theme::Theme>,
}

impl Context<'_> {
    /// The absolute URL of a path of this site (`/finsam/x/` → `https://…/finsam/x/`).
    pub fn absolute(&self, path: &str) -> String {
        absolute_url(self.config, self.urls, path)
    }

    /// The host of base_url, for tag URIs and calendar UIDs.
    pub fn host(&self) -> String {
        let after = self
            .config
            .base_url
            .split_once("://")
            .map_or(self.config.base_url.as_str(), |(_, r)| r);
        after
            .split(['/', ':'])
            .next()
            .unwrap_or("localhost")
            .to_ascii_lowercase()
    }

    fn page(&self, url: String, body: String, source: Option<PathBuf>) -> Page {
        let file = self
            .urls
            .file_for(&url)
            .unwrap_or_else(|| PathBuf::from("index.html"));
        Page {
            file,
            url,
            body,
            source,
            noindex: true,
        }
    }
}

/// `https://host/base` + a path under the base.
pub fn absolute_url(config: &SiteConfig, urls: &Urls, path: &str) -> String {
    format!(
        "{}{}",
        config.origin_and_base(),
        path.strip_prefix(urls.base().trim_end_matches('/'))
            .unwrap_or(path)
    )
}

/// A legal date as the start of that day in Sweden, RFC 3339 with the offset of the day
/// (`2025-03-14T00:00:00+01:00`). Midnight always exists in Sweden: clocks change at 02:00/03:00.
pub fn day_start(d: NaiveDate) -> String {
    let local = d.and_hms_opt(0, 0, 0).unwrap_or_default();
    match chrono_tz::Europe::Stockholm.from_local_datetime(&local) {
        chrono::LocalResult::Single(t) | chrono::LocalResult::Ambiguous(t, _) => {
            t.format("%Y-%m-%dT%H:%M:%S%:z").to_string()
        }
        chrono::LocalResult::None => format!("{}T00:00:00Z", d.format("%Y-%m-%d")),
    }
}

/// A Swedish local date and `TT:MM` time as RFC 3339 with the right offset for that day.
pub fn local_time(d: NaiveDate, time: &str) -> Option<chrono::DateTime<chrono_tz::Tz>> {
    let t = chrono::NaiveTime::parse_from_str(time, "%H:%M").ok()?;
    chrono_tz::Europe::Stockholm
        .from_local_datetime(&d.and_time(t))
        .earliest()
}

/// The newest date a protocol carries: meeting, justering or a posting.
pub fn protocol_modified(p: &Protocol) -> NaiveDate {
    let mut newest = p.date.value;
    if let Some(j) = &p.justering {
        newest = newest.max(j.date.value);
    }
    for n in &p.notices {
        newest = newest.max(n.posted.value);
    }
    newest
}

/// The newest date of any document of a förbund, if it has any.
pub fn forbund_modified(f: &Forbund) -> Option<NaiveDate> {
    f.protocols
        .iter()
        .map(protocol_modified)
        .chain(
            f.plans
                .iter()
                .filter_map(|p| p.adopted.as_ref().map(|a| a.date.value)),
        )
        .max()
}

/// The date feeds and data fall back on when there is no document at all: the Unix epoch, so
/// that an empty feed still has the required `updated` and never the clock.
pub fn epoch() -> NaiveDate {
    NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default()
}

/// Whether a protocol's page asks search engines not to index it (`noindex_efter_ar`).
pub fn is_noindex(f: &Forbund, p: &Protocol, today: NaiveDate) -> bool {
    f.noindex_after_years.is_some_and(|years| {
        today
            .checked_sub_months(chrono::Months::new(years.saturating_mul(12)))
            .is_some_and(|limit| p.date.value < limit)
    })
}

/// Whether a protocol's notice is up or down by `today` (it has been posted).
pub fn is_posted(p: &Protocol, today: NaiveDate) -> bool {
    LegalDates::of(p).latest_posting.is_some_and(|d| d <= today)
}

/// Tombstones that cannot be listed, or that contradict the content: located in site.toml.
pub fn check_tombstones(
    config: &SiteConfig,
    archive: &Archive,
    site_toml: &Path,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for t in &config.tombstones {
        let Some(f) = archive.find(&t.slug) else {
            out.push(
                Diagnostic::error(
                    "borttagen",
                    site_toml,
                    t.pos,
                    format!("förbundet `{}` finns inte i content/", t.slug),
                )
                .with_hint(
                    "borttagna dokument listas i sitt förbunds data; förbundet måste finnas kvar",
                ),
            );
            continue;
        };
        let still_there = match t.kind {
            RemovedKind::Protokoll => f.protocols.iter().any(|p| p.id == t.id),
            RemovedKind::Plan => f.plans.iter().any(|p| p.id == t.id),
        };
        if still_there {
            out.push(
                Diagnostic::error(
                    "borttagen",
                    site_toml,
                    t.pos,
                    format!(
                        "dokumentet {} är listat som borttaget men finns kvar i content/{}/",
                        t.id, t.slug
                    ),
                )
                .with_hint("ta bort filen eller raden under [[borttagna]]"),
            );
        }
    }
    out
}

/// Every published file that is not an HTML page, rendered in parallel and handed to `sink` one
/// at a time (like the pages, so a national archive never holds them all in memory). `indexed`
/// are the URL paths of the pages the sitemap lists. Returns what the sink returned, in a fixed
/// order.
pub fn each_file<T, F>(ctx: &Context, archive: &Archive, indexed: &[String], sink: F) -> Vec<T>
where
    T: Send,
    F: Fn(Page) -> T + Sync,
{
    use rayon::prelude::*;
    let u = ctx.urls;
    let mut out = vec![
        sink(ctx.page(u.feed(), feeds::site_feed(ctx, archive), None)),
        sink(ctx.page(u.data_index(), data::index_json(ctx, archive), None)),
    ];
    // Förbund and protocols are independent: written in parallel, collected in a fixed order.
    let per_forbund: Vec<T> = archive
        .forbund
        .par_iter()
        .flat_map_iter(|f| {
            let src = Some(f.source.clone());
            let sink = &sink;
            [
                (u.forbund_feed(&f.slug), feeds::forbund_feed(ctx, f)),
                (u.notices_feed(&f.slug), feeds::notices_feed(ctx, f)),
                (u.meetings_calendar(&f.slug), ics::meetings_calendar(ctx, f)),
                (u.notices_calendar(&f.slug), ics::notices_calendar(ctx, f)),
                (u.forbund_data(&f.slug), data::forbund_json(ctx, f)),
                (u.embed_data(&f.slug), data::embed_json(ctx, f)),
                (u.timeline(&f.slug), timeline::svg(&timeline::rows(f))),
            ]
            .into_iter()
            .map(move |(url, body)| sink(ctx.page(url, body, src.clone())))
        })
        .collect();
    out.extend(per_forbund);
    let protocols: Vec<(&Forbund, &Protocol)> = archive.protocols().collect();
    let per_protocol: Vec<T> = protocols
        .par_iter()
        .map(|(f, p)| {
            sink(ctx.page(
                u.protocol_data(&f.slug, &p.id),
                data::protocol_json(ctx, f, p),
                Some(p.source.clone()),
            ))
        })
        .collect();
    out.extend(per_protocol);
    let absolute: Vec<String> = indexed.iter().map(|p| ctx.absolute(p)).collect();
    for (url, body) in sitemap::sitemaps(ctx, &absolute, sitemap::MAX_URLS) {
        out.push(sink(ctx.page(url, body, None)));
    }
    out.push(sink(ctx.page(u.robots(), sitemap::robots(ctx), None)));
    out
}

/// Every published file that is not an HTML page, collected (for tests and small sites).
pub fn files(ctx: &Context, archive: &Archive, indexed: &[String]) -> Vec<Page> {
    each_file(ctx, archive, indexed, |p| p)
}

/// Escapes text for XML content and attribute values.
pub fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Control characters are not allowed in XML 1.0; content never needs them.
            c if (c as u32) < 0x20 && !matches!(c, '\n' | '\t' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn day_start_uses_swedish_summer_and_winter_time() {
        assert_eq!(day_start(d("2025-03-14")), "2025-03-14T00:00:00+01:00");
        assert_eq!(day_start(d("2025-06-14")), "2025-06-14T00:00:00+02:00");
        // The day clocks go forward: midnight is still winter time.
        assert_eq!(day_start(d("2025-03-30")), "2025-03-30T00:00:00+01:00");
    }

    #[test]
    fn xml_escape_escapes_markup_and_drops_control_characters() {
        assert_eq!(xml_escape("a<b>&\"'\u{1}"), "a&lt;b&gt;&amp;&quot;&apos;");
    }
}
