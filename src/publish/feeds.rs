//! Atom feeds (RFC 4287): new protocols per förbund and for the whole site, and a förbund's
//! notices as they are posted.
//!
//! Entry ids are the protocol's canonical URL (which `docs/urls.md` promises never changes), so a
//! feed reader sees the same entry after every rebuild. `updated` comes from the documents' own
//! dates, never from the clock.

use super::{
    Context, day_start, epoch, forbund_modified, is_posted, protocol_modified, xml_escape,
};
use crate::anslag::LegalDates;
use crate::markdown;
use crate::model::{Archive, Forbund, Protocol};
use crate::render::views::{date_text, protocol_title};
use chrono::{Datelike, NaiveDate};

/// How many entries a feed keeps: readers only need what is new.
pub const MAX_ENTRIES: usize = 50;

/// One feed, before it is written.
#[derive(Debug, Clone)]
pub struct Feed {
    pub id: String,
    pub title: String,
    pub subtitle: String,
    /// Absolute URL of the feed itself.
    pub self_url: String,
    /// Absolute URL of the HTML page it follows.
    pub page_url: String,
    pub author: String,
    pub author_uri: String,
    /// Used when there are no entries.
    pub fallback_updated: NaiveDate,
    pub entries: Vec<Entry>,
}

#[derive(Debug, Clone)]
pub struct Entry {
    pub id: String,
    pub title: String,
    pub link: String,
    pub published: NaiveDate,
    pub updated: NaiveDate,
    pub summary: String,
    /// Sanitised HTML.
    pub content: Option<String>,
    pub author: String,
}

impl Feed {
    /// The feed's `updated`: its newest entry (or the fallback).
    pub fn updated(&self) -> NaiveDate {
        self.entries
            .iter()
            .map(|e| e.updated)
            .max()
            .unwrap_or(self.fallback_updated)
    }

    /// The feed through the default theme's `atom.xml`.
    pub fn to_xml(&self) -> String {
        self.render(None)
    }

    /// The feed through the theme's `atom.xml` (the default one when `theme` is `None`).
    pub fn render(&self, theme: Option<&crate::render::theme::Theme>) -> String {
        #[derive(serde::Serialize)]
        struct Ctx<'a> {
            feed: &'a FeedView,
        }
        super::templates::render(theme, super::templates::ATOM, &Ctx { feed: &self.view() })
    }

    /// What `atom.xml` sees: dates as RFC 3339 timestamps, text fit for XML.
    pub fn view(&self) -> FeedView {
        let t = super::templates::xml_text;
        FeedView {
            id: t(&self.id),
            title: t(&self.title),
            subtitle: t(&self.subtitle),
            updated: day_start(self.updated()),
            self_url: t(&self.self_url),
            page_url: t(&self.page_url),
            author: t(&self.author),
            author_uri: t(&self.author_uri),
            entries: self
                .entries
                .iter()
                .map(|e| EntryView {
                    id: t(&e.id),
                    title: t(&e.title),
                    published: day_start(e.published),
                    updated: day_start(e.updated),
                    link: t(&e.link),
                    author: t(&e.author),
                    summary: t(&e.summary),
                    content: e.content.as_deref().map(t),
                })
                .collect(),
        }
    }
}

/// A feed as the `atom.xml` template sees it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct FeedView {
    pub id: String,
    pub title: String,
    pub subtitle: String,
    pub updated: String,
    pub self_url: String,
    pub page_url: String,
    pub author: String,
    pub author_uri: String,
    pub entries: Vec<EntryView>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct EntryView {
    pub id: String,
    pub title: String,
    pub published: String,
    pub updated: String,
    pub link: String,
    pub author: String,
    pub summary: String,
    pub content: Option<String>,
}

impl FeedView {
    /// A small feed for checking a site's own `atom.xml` when its theme loads.
    pub fn sample() -> FeedView {
        let entry = EntryView {
            id: "https://example.se/p/".into(),
            title: "Protokoll".into(),
            published: "2025-03-11T00:00:00+01:00".into(),
            updated: "2025-03-11T00:00:00+01:00".into(),
            link: "https://example.se/p/".into(),
            author: "Förbundet".into(),
            summary: "Sammanfattning.".into(),
            content: Some("<p>Text</p>".into()),
        };
        FeedView {
            id: "https://example.se/flode.xml".into(),
            title: "Protokoll".into(),
            subtitle: "Nya protokoll.".into(),
            updated: "2025-03-11T00:00:00+01:00".into(),
            self_url: "https://example.se/flode.xml".into(),
            page_url: "https://example.se/".into(),
            author: "Förbundet".into(),
            author_uri: "https://example.se/".into(),
            entries: vec![
                entry.clone(),
                EntryView {
                    content: None,
                    ..entry
                },
            ],
        }
    }
}

/// An entry for one protocol: its paragraphs, with the decisions in full.
fn protocol_entry(ctx: &Context, f: &Forbund, p: &Protocol) -> Entry {
    let url = ctx.absolute(&ctx.urls.protocol(&f.slug, &p.id));
    let mut html = String::from("<ul>\n");
    for par in &p.paragraphs {
        html.push_str(&format!(
            "<li><a href=\"{}#{}\">§ {} {}</a>",
            xml_escape(&url),
            par.anchor(),
            par.number,
            xml_escape(&par.title)
        ));
        for d in par.decisions() {
            // Relative links in content would resolve against the reader, not the archive.
            html.push_str("<blockquote><p><strong>Beslut");
            if let Some(id) = &d.argument {
                html.push_str(&format!(" {}", xml_escape(id)));
            }
            html.push_str("</strong></p>");
            html.push_str(&markdown::to_html(&d.markdown));
            html.push_str("</blockquote>");
        }
        html.push_str("</li>\n");
    }
    html.push_str("</ul>\n");
    Entry {
        id: url.clone(),
        title: format!("{}: {}", f.short_name, protocol_title(p)),
        link: url,
        published: p.date.value,
        updated: protocol_modified(p),
        summary: format!(
            "Protokoll från {} {} i {}: {} paragrafer, {} beslut.",
            p.organ.to_lowercase(),
            date_text(p.date.value),
            f.name,
            p.paragraphs.len(),
            p.decision_count()
        ),
        content: Some(html),
        author: f.name.clone(),
    }
}

/// The protocols a feed shows, chosen before any entry is rendered: a national archive has
/// thousands, and the site feed keeps 50. Same order as [`newest_first`].
fn newest_protocols<'a>(
    ctx: &Context,
    all: impl Iterator<Item = (&'a Forbund, &'a Protocol)>,
) -> Vec<(&'a Forbund, &'a Protocol)> {
    let mut chosen: Vec<(NaiveDate, NaiveDate, String, &Forbund, &Protocol)> = all
        .map(|(f, p)| {
            (
                p.date.value,
                protocol_modified(p),
                ctx.absolute(&ctx.urls.protocol(&f.slug, &p.id)),
                f,
                p,
            )
        })
        .collect();
    chosen.sort_by(|a, b| (b.0, b.1).cmp(&(a.0, a.1)).then_with(|| a.2.cmp(&b.2)));
    chosen.truncate(MAX_ENTRIES);
    chosen.into_iter().map(|(_, _, _, f, p)| (f, p)).collect()
}

fn newest_first(entries: &mut Vec<Entry>) {
    entries.sort_by(|a, b| {
        (b.published, b.updated)
            .cmp(&(a.published, a.updated))
            .then_with(|| a.id.cmp(&b.id))
    });
    entries.truncate(MAX_ENTRIES);
}

/// The förbund's protocols, newest first.
pub fn forbund_feed_data(ctx: &Context, f: &Forbund) -> Feed {
    let u = ctx.urls;
    let mut entries: Vec<Entry> = newest_protocols(ctx, f.protocols.iter().map(|p| (f, p)))
        .into_iter()
        .map(|(f, p)| protocol_entry(ctx, f, p))
        .collect();
    newest_first(&mut entries);
    let self_url = ctx.absolute(&u.forbund_feed(&f.slug));
    Feed {
        id: self_url.clone(),
        title: format!("Protokoll – {}", f.name),
        subtitle: format!("Nya protokoll från {} i {}.", f.name, ctx.config.titel),
        self_url,
        page_url: ctx.absolute(&u.forbund(&f.slug)),
        author: f.name.clone(),
        author_uri: ctx.absolute(&u.forbund(&f.slug)),
        fallback_updated: forbund_modified(f).unwrap_or_else(epoch),
        entries,
    }
}

pub fn forbund_feed(ctx: &Context, f: &Forbund) -> String {
    forbund_feed_data(ctx, f).render(ctx.theme)
}

/// The förbund's notices of justering, as posted: one entry per protocol, from the day its
/// (latest) notice went up. Notices planned after the build day are left out until then.
pub fn notices_feed_data(ctx: &Context, f: &Forbund) -> Feed {
    let u = ctx.urls;
    let mut entries = Vec::new();
    for p in f.protocols.iter().filter(|p| is_posted(p, ctx.today)) {
        let legal = LegalDates::of(p);
        let (Some(posted), Some(last)) = (legal.latest_posting, legal.last_appeal_day()) else {
            continue;
        };
        let first = p
            .notices
            .iter()
            .map(|n| n.posted.value)
            .min()
            .unwrap_or(posted);
        let page = ctx.absolute(&u.protocol(&f.slug, &p.id));
        let long = |d: NaiveDate| {
            format!(
                "{} {}",
                crate::anslag::calendar::weekday_name(d.weekday()),
                date_text(d)
            )
        };
        let mut summary = format!(
            "Justeringen av protokollet från {} {} anslogs {}. Sista dag att överklaga är {}.",
            p.organ.to_lowercase(),
            date_text(p.date.value),
            long(posted),
            long(last)
        );
        if let Some(place) = &p.storage_place {
            summary.push_str(&format!(" Protokollet förvaras hos {place}."));
        }
        let appeal = ctx.absolute(&format!("{}#overklaga", u.anslagstavla()));
        let content = format!(
            "<p>{}</p><p><a href=\"{}\">Så överklagar du ett beslut</a></p>",
            xml_escape(&summary),
            xml_escape(&appeal)
        );
        entries.push(Entry {
            id: format!("{page}#anslag"),
            title: format!(
                "Anslag: {} – sista dag att överklaga {}",
                protocol_title(p),
                date_text(last)
            ),
            link: format!("{page}#anslag"),
            published: first,
            updated: posted,
            summary,
            content: Some(content),
            author: f.name.clone(),
        });
    }
    newest_first(&mut entries);
    let self_url = ctx.absolute(&u.notices_feed(&f.slug));
    Feed {
        id: self_url.clone(),
        title: format!("Anslagstavla – {}", f.name),
        subtitle: format!(
            "Anslag om justerade protokoll från {}, med sista dag att överklaga.",
            f.name
        ),
        self_url,
        page_url: ctx.absolute(&u.forbund_anslagstavla(&f.slug)),
        author: f.name.clone(),
        author_uri: ctx.absolute(&u.forbund(&f.slug)),
        fallback_updated: forbund_modified(f).unwrap_or_else(epoch),
        entries,
    }
}

pub fn notices_feed(ctx: &Context, f: &Forbund) -> String {
    notices_feed_data(ctx, f).render(ctx.theme)
}

/// The newest protocols of every förbund.
pub fn site_feed_data(ctx: &Context, archive: &Archive) -> Feed {
    let u = ctx.urls;
    let mut entries: Vec<Entry> = newest_protocols(ctx, archive.protocols())
        .into_iter()
        .map(|(f, p)| protocol_entry(ctx, f, p))
        .collect();
    newest_first(&mut entries);
    let self_url = ctx.absolute(&u.feed());
    Feed {
        id: self_url.clone(),
        title: format!("Protokoll – {}", ctx.config.titel),
        subtitle: ctx
            .config
            .beskrivning
            .clone()
            .unwrap_or_else(|| "Nya protokoll från samordningsförbund.".into()),
        self_url,
        page_url: ctx.absolute(&u.home()),
        author: ctx.config.titel.clone(),
        author_uri: ctx.absolute(&u.home()),
        fallback_updated: archive
            .forbund
            .iter()
            .filter_map(forbund_modified)
            .max()
            .unwrap_or_else(epoch),
        entries,
    }
}

pub fn site_feed(ctx: &Context, archive: &Archive) -> String {
    site_feed_data(ctx, archive).render(ctx.theme)
}
