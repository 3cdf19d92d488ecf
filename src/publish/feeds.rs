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

    pub fn to_xml(&self) -> String {
        let mut x = String::new();
        x.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
        x.push_str("<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"sv\">\n");
        tag(&mut x, 1, "id", &self.id);
        tag(&mut x, 1, "title", &self.title);
        tag(&mut x, 1, "subtitle", &self.subtitle);
        tag(&mut x, 1, "updated", &day_start(self.updated()));
        x.push_str(&format!(
            "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n",
            xml_escape(&self.self_url)
        ));
        x.push_str(&format!(
            "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
            xml_escape(&self.page_url)
        ));
        x.push_str(&format!(
            "  <author>\n    <name>{}</name>\n    <uri>{}</uri>\n  </author>\n",
            xml_escape(&self.author),
            xml_escape(&self.author_uri)
        ));
        tag(&mut x, 1, "generator", "protokoll");
        for e in &self.entries {
            x.push_str("  <entry>\n");
            tag(&mut x, 2, "id", &e.id);
            tag(&mut x, 2, "title", &e.title);
            tag(&mut x, 2, "published", &day_start(e.published));
            tag(&mut x, 2, "updated", &day_start(e.updated));
            x.push_str(&format!(
                "    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
                xml_escape(&e.link)
            ));
            x.push_str(&format!(
                "    <author>\n      <name>{}</name>\n    </author>\n",
                xml_escape(&e.author)
            ));
            tag(&mut x, 2, "summary", &e.summary);
            if let Some(html) = &e.content {
                x.push_str(&format!(
                    "    <content type=\"html\">{}</content>\n",
                    xml_escape(html)
                ));
            }
            x.push_str("  </entry>\n");
        }
        x.push_str("</feed>\n");
        x
    }
}

fn tag(x: &mut String, indent: usize, name: &str, text: &str) {
    x.push_str(&"  ".repeat(indent));
    x.push_str(&format!("<{name}>{}</{name}>\n", xml_escape(text)));
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
    forbund_feed_data(ctx, f).to_xml()
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
    notices_feed_data(ctx, f).to_xml()
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
    site_feed_data(ctx, archive).to_xml()
}
