//! Rendering: the archive's pages through the theme's Tera templates.

pub mod compress;
pub mod external;
pub mod links;
pub mod output;
pub mod tables;
pub mod theme;
pub mod urls;
pub mod views;

use crate::config::{SiteConfig, toml_date};
use crate::model::Archive;
use chrono::NaiveDate;
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::path::PathBuf;
use theme::Theme;
use urls::Urls;
use views::*;

/// The search page's own values (`sok.html`).
#[derive(Debug, Clone, Serialize)]
struct SearchContext {
    forbund: Vec<Link>,
    years: Vec<i32>,
    script: String,
    analysis: String,
    manifest: String,
    /// The server's answer; none in the built page.
    svar: Option<crate::search::page::Answer>,
}

/// One generated file.
#[derive(Debug)]
pub struct Page {
    /// Path relative to the output folder.
    pub file: PathBuf,
    /// The URL it is served at.
    pub url: String,
    pub body: String,
    /// The content file it comes from, for error messages.
    pub source: Option<PathBuf>,
    /// Search engines are asked not to index it; it is left out of the sitemap.
    pub noindex: bool,
}

/// Everything every page shows: the site's name, navigation and footer.
#[derive(Debug, Clone, Serialize)]
pub struct SiteView {
    pub title: String,
    pub description: Option<String>,
    pub base_url: String,
    pub home: String,
    pub forbund_list: String,
    pub anslagstavla: String,
    pub accessibility: String,
    pub stylesheet: String,
    pub anslag_script: String,
    pub search: String,
    pub built: DateView,
    /// The Content-Security-Policy `<meta>` of every page, and of the embed pages
    /// ([`crate::security::meta_policy`]).
    pub csp: String,
    pub csp_embed: String,
}

/// The head and breadcrumbs of one page.
#[derive(Debug, Clone, Serialize)]
pub struct PageMeta {
    pub title: String,
    pub description: String,
    pub url: String,
    pub canonical: String,
    pub breadcrumbs: Vec<Link>,
    /// Which navigation item is current: "start", "forbund", "anslagstavla", "".
    pub section: &'static str,
    /// `<meta name="robots" content="noindex">`: old protocols under `noindex_efter_ar`, embeds.
    pub noindex: bool,
    /// Atom feeds for `<link rel="alternate">`: the site's, and the förbund's on its pages.
    pub feeds: Vec<Link>,
    /// Open Graph type: "article" for documents, "website" otherwise.
    pub og_type: &'static str,
    /// The page shows what holds on the build day (the anslagstavla, a protocol whose appeal
    /// period runs): it carries the build date, from which its script brings it up to a later
    /// visitor's day. Other pages do not, so that moving the date leaves them as they are.
    pub dated: bool,
    /// The page names the build day without carrying it for a script (a count of days left
    /// beside "Läget den …", an embed's board): its key holds the day. Not for templates.
    #[serde(skip)]
    pub shows_day: bool,
}

/// What lets a build leave out pages the output already holds: pages are keyed by what they are
/// made of, and a page whose key the previous build stored, with its file untouched since, is
/// not rendered again.
pub struct Reuse<'k> {
    /// The hash of what every page is made of: this program, site.toml, the theme and the
    /// site's own templates, and the build's output options.
    pub frame: String,
    /// The loader's key of each content file (its bytes and what its model depends on), by the
    /// path the model names it with.
    pub files: &'k std::collections::HashMap<PathBuf, String>,
    /// Whether the output holds the page the previous build made with this key, untouched.
    pub holds: &'k (dyn Fn(&str) -> bool + Sync),
}

/// One page of a build that may reuse pages.
#[derive(Debug)]
pub enum Rendered {
    /// Rendered now, with its key when pages are keyed.
    Page(Page, Option<String>),
    /// The output holds this page as the build that stored this key left it.
    Unchanged(String),
}

/// Feeds serialized bytes into a hash without building them in memory.
struct HashWriter<'h>(&'h mut Sha256);

impl std::io::Write for HashWriter<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.update(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

pub struct Renderer<'a> {
    pub config: &'a SiteConfig,
    pub urls: Urls,
    pub theme: Theme,
    pub today: NaiveDate,
    site: SiteView,
    /// Set by [`Renderer::reusing`]: pages the output holds are not rendered again.
    reuse: Option<Reuse<'a>>,
}

#[derive(Debug, thiserror::Error)]
#[error("mallen {template}: {message}")]
pub struct RenderError {
    pub template: String,
    pub message: String,
    pub source_file: Option<PathBuf>,
}

impl<'a> Renderer<'a> {
    pub fn new(config: &'a SiteConfig, theme: Theme, today: NaiveDate) -> Self {
        let urls = Urls::new(&config.base_path());
        let site = SiteView {
            title: config.titel.clone(),
            description: config.beskrivning.clone(),
            base_url: config.origin_and_base(),
            home: urls.home(),
            forbund_list: urls.forbund_list(),
            anslagstavla: urls.anslagstavla(),
            accessibility: urls.accessibility(),
            stylesheet: urls.asset("style.css"),
            anslag_script: urls.asset("anslag.js"),
            search: urls.search(),
            built: today.into(),
            csp: crate::security::meta_policy(crate::security::CONTENT_SECURITY_POLICY),
            csp_embed: crate::security::meta_policy(crate::security::EMBED_CONTENT_SECURITY_POLICY),
        };
        Renderer {
            config,
            urls,
            theme,
            today,
            site,
            reuse: None,
        }
    }

    /// This renderer, keying every page and leaving out those `reuse` says the output holds
    /// ([`Renderer::render_reusing`]).
    pub fn reusing(mut self, reuse: Reuse<'a>) -> Self {
        self.reuse = Some(reuse);
        self
    }

    fn meta(
        &self,
        title: String,
        description: String,
        url: String,
        breadcrumbs: Vec<Link>,
        section: &'static str,
    ) -> PageMeta {
        let canonical = format!(
            "{}{}",
            self.config.origin_and_base(),
            url.strip_prefix(self.urls.base().trim_end_matches('/'))
                .unwrap_or(&url)
        );
        PageMeta {
            title,
            description,
            url,
            canonical,
            breadcrumbs,
            section,
            noindex: false,
            feeds: vec![Link {
                name: format!("Nya protokoll i {}", self.config.titel),
                url: self.urls.feed(),
            }],
            og_type: "website",
            dated: section == "anslagstavla",
            shows_day: false,
        }
    }

    /// A förbund's pages also announce its own feeds.
    fn with_forbund_feeds(&self, mut meta: PageMeta, f: &crate::model::Forbund) -> PageMeta {
        meta.feeds.push(Link {
            name: format!("Nya protokoll från {}", f.short_name),
            url: self.urls.forbund_feed(&f.slug),
        });
        meta.feeds.push(Link {
            name: format!("Anslagstavla – {}", f.short_name),
            url: self.urls.notices_feed(&f.slug),
        });
        meta
    }

    fn crumb(&self, name: &str, url: String) -> Link {
        Link {
            name: name.to_string(),
            url,
        }
    }

    /// Renders a page, unless the output holds it as a build with the same key left it; the key
    /// is made of what its template sees.
    fn render(
        &self,
        template: &str,
        meta: PageMeta,
        extra: impl Serialize,
        source: Option<PathBuf>,
    ) -> Result<Rendered, RenderError> {
        let key = self
            .reuse
            .as_ref()
            .map(|r| self.context_key(r, template, &meta, &extra));
        self.render_keyed(template, meta, extra, source, key)
    }

    /// The key of a page from what its template sees: its template, head and context, and the
    /// build day when the page shows it. The site view comes from site.toml and the day, and
    /// site.toml is in the frame with the theme.
    fn context_key(
        &self,
        reuse: &Reuse,
        template: &str,
        meta: &PageMeta,
        extra: &impl Serialize,
    ) -> String {
        let day = (meta.shows_day || meta.dated).then_some(self.today);
        let mut hasher = Sha256::new();
        hasher.update(reuse.frame.as_bytes());
        hasher.update([0]);
        let serialized =
            serde_json::to_writer(HashWriter(&mut hasher), &(template, meta, extra, day));
        if serialized.is_err() {
            // Never reused: a key no build has stored.
            hasher.update(format!("\0{:?}", std::time::SystemTime::now()).as_bytes());
        }
        format!("{:x}", hasher.finalize())
    }

    /// Renders a page whose key is known, unless the output holds it.
    fn render_keyed(
        &self,
        template: &str,
        meta: PageMeta,
        extra: impl Serialize,
        source: Option<PathBuf>,
        key: Option<String>,
    ) -> Result<Rendered, RenderError> {
        if let (Some(r), Some(k)) = (&self.reuse, &key)
            && (r.holds)(k)
        {
            return Ok(Rendered::Unchanged(k.clone()));
        }
        let mut context = tera::Context::new();
        context.insert("site", &self.site);
        context.insert("page", &meta);
        let extra_value = tera::Context::from_serialize(&extra).map_err(|e| RenderError {
            template: template.to_string(),
            message: e.to_string(),
            source_file: source.clone(),
        })?;
        context.extend(extra_value);
        let body = self
            .theme
            .render(template, &context)
            .map_err(|message| RenderError {
                template: template.to_string(),
                message,
                source_file: source.clone(),
            })?;
        // An address that cannot be a file inside the output folder (outside the base path, or
        // with `..`) is an error, never a fallback file name: the loader's slug rules should make
        // this impossible, and the output writer refuses such paths as well.
        let file = self.urls.file_for(&meta.url).ok_or_else(|| RenderError {
            template: template.to_string(),
            message: format!("adressen {} kan inte bli en fil i utdatamappen", meta.url),
            source_file: source.clone(),
        })?;
        Ok(Rendered::Page(
            Page {
                file,
                noindex: meta.noindex,
                url: meta.url,
                body,
                source,
            },
            key,
        ))
    }

    /// Every page of the archive, rendered in parallel and handed to `sink` one at a time, so that
    /// a national archive never holds all its pages in memory. Returns what the sink returned, in
    /// a fixed order, or every rendering error.
    pub fn render_each<T, F>(&self, archive: &Archive, sink: F) -> Result<Vec<T>, Vec<RenderError>>
    where
        T: Send,
        F: Fn(Page) -> T + Sync,
    {
        let page = |rendered| match rendered {
            Rendered::Page(page, _) => Some(sink(page)),
            Rendered::Unchanged(_) => None,
        };
        // Without reuse every page is rendered, so there is no `None`.
        self.render_reusing(archive, page)
            .map(|pages| pages.into_iter().flatten().collect())
    }

    /// [`Self::render_each`], leaving out the pages the output holds as they would be rendered
    /// now (see [`Reuse`]): the sink gets [`Rendered::Unchanged`] with their key.
    pub fn render_reusing<T, F>(
        &self,
        archive: &Archive,
        sink: F,
    ) -> Result<Vec<T>, Vec<RenderError>>
    where
        T: Send,
        F: Fn(Rendered) -> T + Sync,
    {
        use rayon::prelude::*;
        let jobs = jobs(archive);
        let results: Vec<Result<T, RenderError>> = jobs
            .par_iter()
            .map(|job| self.job(archive, job).map(&sink))
            .collect();
        let mut out = Vec::with_capacity(results.len());
        let mut errors = Vec::new();
        for r in results {
            match r {
                Ok(t) => out.push(t),
                Err(e) => errors.push(e),
            }
        }
        if errors.is_empty() {
            Ok(out)
        } else {
            Err(errors)
        }
    }

    /// Every page of the archive, collected (for tests and small sites).
    pub fn pages(&self, archive: &Archive) -> Result<Vec<Page>, Vec<RenderError>> {
        self.render_each(archive, |p| p)
    }

    /// The key of a protocol's or a plan's page from its inputs, without building its view
    /// (which renders its Markdown): the content files it is made of (the document and its
    /// förbund's profile, by the loader's keys) and, for a protocol, what it shows of the build
    /// day (its appeal status, whether it is old enough for noindex, the day itself while the
    /// appeal runs). `None` for other pages, or when a file's key is unknown.
    fn input_key(&self, archive: &Archive, job: &Job, reuse: &Reuse) -> Option<String> {
        let (template, f, document, today_part) = match *job {
            Job::Protocol(fi, pi) => {
                let f = &archive.forbund[fi];
                let p = &f.protocols[pi];
                let legal = legal_view(&crate::anslag::LegalDates::of(p), self.today);
                let dated = legal.status == "pagar";
                let today_part = serde_json::to_string(&(
                    &legal,
                    crate::publish::is_noindex(f, p, self.today),
                    dated.then_some(self.today),
                ))
                .ok()?;
                ("protocol.html", f, &p.source, today_part)
            }
            Job::Plan(fi, pi) => {
                let f = &archive.forbund[fi];
                ("plan.html", f, &f.plans[pi].source, String::new())
            }
            _ => return None,
        };
        let mut hasher = Sha256::new();
        for part in [
            reuse.frame.as_str(),
            template,
            reuse.files.get(&f.source)?,
            reuse.files.get(document)?,
            &today_part,
        ] {
            hasher.update(part.as_bytes());
            hasher.update([0]);
        }
        Some(format!("{:x}", hasher.finalize()))
    }

    fn job(&self, archive: &Archive, job: &Job) -> Result<Rendered, RenderError> {
        // A protocol's or a plan's page is keyed by its inputs, before its view is built.
        let known = self
            .reuse
            .as_ref()
            .and_then(|r| self.input_key(archive, job, r));
        if let (Some(r), Some(k)) = (&self.reuse, &known)
            && (r.holds)(k)
        {
            return Ok(Rendered::Unchanged(k.clone()));
        }
        let u = &self.urls;
        let home = self.crumb("Start", u.home());
        match *job {
            Job::Home => {
                let mut latest: Vec<DocumentItem> = archive
                    .protocols()
                    .map(|(f, p)| protocol_item(f, p, u))
                    .collect();
                latest.sort_by(|a, b| {
                    b.date
                        .as_ref()
                        .map(|d| &d.iso)
                        .cmp(&a.date.as_ref().map(|d| &d.iso))
                        .then(a.url.cmp(&b.url))
                });
                latest.truncate(10);
                let notices = self.current_notices(archive, None);
                let years: Vec<Link> = {
                    let mut ys: Vec<i32> = archive
                        .protocols()
                        .map(|(_, p)| p.year())
                        .chain(archive.plans().map(|(_, p)| p.year.value))
                        .collect();
                    ys.sort_unstable_by(|a, b| b.cmp(a));
                    ys.dedup();
                    ys.into_iter()
                        .map(|y| Link {
                            name: y.to_string(),
                            url: u.year(y),
                        })
                        .collect()
                };
                let meta = self.meta(
                    self.config.titel.clone(),
                    self.config
                        .beskrivning
                        .clone()
                        .unwrap_or_else(|| "Protokoll och planer från samordningsförbund.".into()),
                    u.home(),
                    vec![],
                    "start",
                );
                #[derive(Serialize)]
                struct Ctx {
                    latest: Vec<DocumentItem>,
                    notices: Notices,
                    board_forbund: Option<ForbundRef>,
                    forbund: Vec<ForbundView>,
                    years: Vec<Link>,
                    protocol_count: usize,
                }
                let mut meta = meta;
                // The start page names the day beside the count of days left.
                meta.shows_day = !notices.now.is_empty();
                self.render(
                    "index.html",
                    meta,
                    Ctx {
                        latest,
                        notices,
                        board_forbund: None,
                        forbund: archive.forbund.iter().map(|f| forbund_view(f, u)).collect(),
                        years,
                        protocol_count: archive.protocols().count(),
                    },
                    None,
                )
            }
            Job::ForbundList => {
                let meta = self.meta(
                    "Samordningsförbund".into(),
                    "Alla samordningsförbund i arkivet.".into(),
                    u.forbund_list(),
                    vec![home],
                    "forbund",
                );
                #[derive(Serialize)]
                struct Ctx {
                    forbund: Vec<ForbundView>,
                }
                self.render(
                    "forbund_list.html",
                    meta,
                    Ctx {
                        forbund: archive.forbund.iter().map(|f| forbund_view(f, u)).collect(),
                    },
                    None,
                )
            }
            Job::Forbund(fi) => {
                let f = &archive.forbund[fi];
                let protocols = by_year(
                    f.protocols.iter().map(|p| protocol_item(f, p, u)).collect(),
                    |y| u.forbund_year(&f.slug, y),
                );
                let plans: Vec<DocumentItem> = f.plans.iter().map(|p| plan_item(f, p, u)).collect();
                let meta = self.meta(
                    f.name.clone(),
                    format!("Protokoll, planer och anslagstavla för {}.", f.name),
                    u.forbund(&f.slug),
                    vec![home, self.crumb("Samordningsförbund", u.forbund_list())],
                    "forbund",
                );
                let meta = self.with_forbund_feeds(meta, f);
                let rows = crate::publish::timeline::rows(f);
                #[derive(Serialize)]
                struct Timeline {
                    image: String,
                    summary: String,
                    rows: Vec<crate::publish::timeline::YearRow>,
                }
                #[derive(Serialize)]
                struct Ctx {
                    forbund: ForbundView,
                    protocols: Vec<YearGroup>,
                    plans: Vec<DocumentItem>,
                    notices: Notices,
                    board_forbund: Option<ForbundRef>,
                    timeline: Timeline,
                    upcoming: Vec<MeetingView>,
                    follow: FollowLinks,
                }
                let notices = self.current_notices(archive, Some(fi));
                let mut meta = meta;
                // The förbund's page names the day beside the count of days left.
                meta.shows_day = !notices.now.is_empty();
                self.render(
                    "forbund.html",
                    meta,
                    Ctx {
                        forbund: forbund_view(f, u),
                        protocols,
                        plans,
                        notices,
                        board_forbund: Some(ForbundRef::of(f, u)),
                        timeline: Timeline {
                            image: u.timeline(&f.slug),
                            summary: crate::publish::timeline::summary(&rows),
                            rows,
                        },
                        upcoming: f
                            .meetings
                            .iter()
                            .filter(|m| m.date.value >= self.today)
                            .map(meeting_view)
                            .collect(),
                        follow: follow_links(f, u),
                    },
                    Some(f.source.clone()),
                )
            }
            Job::Embed(fi) => {
                let f = &archive.forbund[fi];
                let mut meta = self.meta(
                    format!("{} – protokoll och anslag", f.short_name),
                    format!(
                        "De senaste protokollen och anslagen från {}, för inbäddning.",
                        f.name
                    ),
                    u.embed(&f.slug),
                    vec![],
                    "",
                );
                // The embed repeats what other pages say: it is not for search engines.
                meta.noindex = true;
                let meta = self.with_forbund_feeds(meta, f);
                #[derive(Serialize)]
                struct Ctx {
                    forbund: ForbundRef,
                    notices: Vec<BoardNotice>,
                    coming: Vec<BoardNotice>,
                    latest: Vec<DocumentItem>,
                    /// More protocols than the embed lists.
                    more: bool,
                    total: usize,
                    notices_feed: String,
                }
                let board = self.current_notices(archive, Some(fi));
                let mut meta = meta;
                // The embed names the day its board shows ("Läget den …").
                meta.shows_day = true;
                let latest: Vec<DocumentItem> = f
                    .protocols
                    .iter()
                    .take(crate::publish::data::EMBED_LATEST)
                    .map(|p| protocol_item(f, p, u))
                    .collect();
                self.render(
                    "inbaddning.html",
                    meta,
                    Ctx {
                        forbund: ForbundRef::of(f, u),
                        notices: board.now,
                        coming: board.coming,
                        more: f.protocols.len() > latest.len(),
                        total: f.protocols.len(),
                        latest,
                        notices_feed: u.notices_feed(&f.slug),
                    },
                    Some(f.source.clone()),
                )
            }
            Job::Protocol(fi, pi) => {
                let f = &archive.forbund[fi];
                let p = &f.protocols[pi];
                let view = protocol_view(f, p, u, self.today);
                let meta = self.meta(
                    format!("{} – {}", view.title, f.short_name),
                    format!(
                        "Protokoll från {} {} i {}: {} paragrafer, {} beslut.",
                        p.organ.to_lowercase(),
                        views::date_text(p.date.value),
                        f.name,
                        p.paragraphs.len(),
                        p.decision_count()
                    ),
                    view.url.clone(),
                    vec![
                        home,
                        self.crumb(&f.short_name, u.forbund(&f.slug)),
                        self.crumb(&p.year().to_string(), u.forbund_year(&f.slug, p.year())),
                    ],
                    "forbund",
                );
                let mut meta = self.with_forbund_feeds(meta, f);
                meta.noindex = crate::publish::is_noindex(f, p, self.today);
                meta.og_type = "article";
                // Only while the appeal runs do its days left change by the day; a notice not yet
                // posted changes on its posting day, for which the build names the rebuild day.
                meta.dated = view.legal.status == "pagar";
                #[derive(Serialize)]
                struct Ctx {
                    protocol: ProtocolView,
                    data: String,
                }
                self.render_keyed(
                    "protocol.html",
                    meta,
                    Ctx {
                        protocol: view,
                        data: u.protocol_data(&f.slug, &p.id),
                    },
                    Some(p.source.clone()),
                    known,
                )
            }
            Job::Plan(fi, pi) => {
                let f = &archive.forbund[fi];
                let p = &f.plans[pi];
                let view = plan_view(f, p, u);
                let meta = self.meta(
                    format!("{} – {}", p.title, f.short_name),
                    format!("{} för {}.", p.title, f.name),
                    view.url.clone(),
                    vec![home, self.crumb(&f.short_name, u.forbund(&f.slug))],
                    "forbund",
                );
                let mut meta = self.with_forbund_feeds(meta, f);
                meta.og_type = "article";
                #[derive(Serialize)]
                struct Ctx {
                    plan: PlanView,
                }
                self.render_keyed(
                    "plan.html",
                    meta,
                    Ctx { plan: view },
                    Some(p.source.clone()),
                    known,
                )
            }
            Job::Year(forbund, year) => {
                let (items, title, url, crumbs, fref) = match forbund {
                    Some(fi) => {
                        let f = &archive.forbund[fi];
                        let items: Vec<DocumentItem> = f
                            .protocols
                            .iter()
                            .filter(|p| p.year() == year)
                            .map(|p| protocol_item(f, p, u))
                            .chain(
                                f.plans
                                    .iter()
                                    .filter(|p| p.year.value == year)
                                    .map(|p| plan_item(f, p, u)),
                            )
                            .collect();
                        (
                            items,
                            format!("{} {year}", f.short_name),
                            u.forbund_year(&f.slug, year),
                            vec![home, self.crumb(&f.short_name, u.forbund(&f.slug))],
                            Some(ForbundRef::of(f, u)),
                        )
                    }
                    None => {
                        let items: Vec<DocumentItem> = archive
                            .protocols()
                            .filter(|(_, p)| p.year() == year)
                            .map(|(f, p)| protocol_item(f, p, u))
                            .chain(
                                archive
                                    .plans()
                                    .filter(|(_, p)| p.year.value == year)
                                    .map(|(f, p)| plan_item(f, p, u)),
                            )
                            .collect();
                        (
                            items,
                            format!("Protokoll och planer {year}"),
                            u.year(year),
                            vec![home],
                            None,
                        )
                    }
                };
                let mut meta = self.meta(
                    title.clone(),
                    format!("{title}: {} dokument.", items.len()),
                    url,
                    crumbs,
                    if forbund.is_some() { "forbund" } else { "" },
                );
                if let Some(fi) = forbund {
                    meta = self.with_forbund_feeds(meta, &archive.forbund[fi]);
                }
                #[derive(Serialize)]
                struct Ctx {
                    year: i32,
                    forbund: Option<ForbundRef>,
                    items: Vec<DocumentItem>,
                }
                self.render(
                    "year.html",
                    meta,
                    Ctx {
                        year,
                        forbund: fref,
                        items,
                    },
                    None,
                )
            }
            Job::Anslagstavla(forbund) => {
                let board = self.current_notices(archive, forbund);
                let (title, url, crumbs, fref) = match forbund {
                    Some(fi) => {
                        let f = &archive.forbund[fi];
                        (
                            format!("Anslagstavla – {}", f.short_name),
                            u.forbund_anslagstavla(&f.slug),
                            vec![home, self.crumb(&f.short_name, u.forbund(&f.slug))],
                            Some(ForbundRef::of(f, u)),
                        )
                    }
                    None => (
                        "Anslagstavla".to_string(),
                        u.anslagstavla(),
                        vec![home],
                        None,
                    ),
                };
                let mut meta = self.meta(
                    title,
                    "Protokoll som är anslagna nu, med sista dag att överklaga.".into(),
                    url,
                    crumbs,
                    "anslagstavla",
                );
                if let Some(fi) = forbund {
                    meta = self.with_forbund_feeds(meta, &archive.forbund[fi]);
                }
                #[derive(Serialize)]
                struct Ctx {
                    forbund: Option<ForbundRef>,
                    now: Vec<BoardNotice>,
                    coming: Vec<BoardNotice>,
                    expired: Vec<BoardNotice>,
                    recent_days: i64,
                    court: Option<CourtView>,
                }
                let court = forbund.and_then(|fi| court_view(&archive.forbund[fi]));
                self.render(
                    "anslagstavla.html",
                    meta,
                    Ctx {
                        forbund: fref,
                        now: board.now,
                        coming: board.coming,
                        expired: board.expired,
                        recent_days: board.recent_days,
                        court,
                    },
                    None,
                )
            }
            Job::Accessibility => {
                let a = &self.config.tillganglighet;
                let meta = self.meta(
                    "Tillgänglighetsredogörelse".into(),
                    format!(
                        "Hur {} uppfyller lagen om tillgänglighet till digital offentlig service.",
                        self.config.titel
                    ),
                    u.accessibility(),
                    vec![home],
                    "",
                );
                #[derive(Serialize)]
                struct Ctx {
                    actor: String,
                    service: String,
                    conformance: &'static str,
                    shortcomings: Vec<String>,
                    assessed: Option<DateView>,
                    method: String,
                    updated: Option<DateView>,
                    contact: String,
                }
                self.render(
                    "tillganglighet.html",
                    meta,
                    Ctx {
                        actor: a.aktor.clone(),
                        service: a.tjanst.clone(),
                        conformance: a.forenlighet.statement(),
                        shortcomings: a.brister.clone(),
                        assessed: toml_date(&a.bedomning_datum).map(Into::into),
                        method: a.bedomning_metod.clone(),
                        updated: toml_date(&a.senast_uppdaterad).map(Into::into),
                        contact: a.kontakt_epost.clone(),
                    },
                    None,
                )
            }
            Job::Search => {
                let (meta, ctx) = self.search_parts(archive);
                // `protokoll serve` renders the same template with an answer: a mistake in
                // that part is found now, at the template, not by the first reader.
                let answered = SearchContext {
                    svar: Some(crate::search::page::Answer::sample(u.base())),
                    ..ctx.clone()
                };
                self.render("sok.html", meta.clone(), answered, None)
                    .map_err(|e| RenderError {
                        message: format!("med ett svar från servern (svar): {}", e.message),
                        ..e
                    })?;
                self.render("sok.html", meta, ctx, None)
            }
            Job::NotFound => {
                let mut meta = self.meta(
                    "Sidan finns inte".into(),
                    "Sidan finns inte.".into(),
                    u.not_found(),
                    vec![],
                    "",
                );
                // Served at any missing address: it has no canonical address of its own.
                meta.canonical = String::new();
                meta.noindex = true;
                self.render("404.html", meta, serde_json_empty(), None)
            }
        }
    }

    /// The search page's head and its own values (`svar` stays empty: the build has no query).
    fn search_parts(&self, archive: &Archive) -> (PageMeta, SearchContext) {
        let u = &self.urls;
        let meta = self.meta(
            "Sök".into(),
            "Sök bland samordningsförbundens protokoll, beslut och planer.".into(),
            u.search(),
            vec![self.crumb("Start", u.home())],
            "sok",
        );
        let mut years: Vec<i32> = archive
            .protocols()
            .map(|(_, p)| p.year())
            .chain(archive.plans().map(|(_, p)| p.year.value))
            .collect();
        years.sort_unstable_by(|a, b| b.cmp(a));
        years.dedup();
        let ctx = SearchContext {
            forbund: archive
                .forbund
                .iter()
                .map(|f| Link {
                    name: f.short_name.clone(),
                    url: f.slug.clone(),
                })
                .collect(),
            years,
            script: u.asset("sok.js"),
            analysis: u.asset("sok-analys.wasm"),
            manifest: format!("{}sok/data/manifest.json", u.base()),
            svar: None,
        };
        (meta, ctx)
    }

    /// What `protokoll serve` needs to render the search page with an answer: the theme's
    /// templates and the page's context as the build rendered it.
    pub fn search_page(&self, archive: &Archive) -> crate::search::page::Kit {
        let (meta, ctx) = self.search_parts(archive);
        let mut context = serde_json::Map::new();
        context.insert("site".into(), serde_json::json!(self.site));
        context.insert("page".into(), serde_json::json!(meta));
        if let Ok(serde_json::Value::Object(own)) = serde_json::to_value(&ctx) {
            context.extend(own);
        }
        crate::search::page::Kit {
            templates: self.theme.sources().clone(),
            context: serde_json::Value::Object(context),
        }
    }

    /// The notices of one anslagstavla on the build day, by the rule `anslag.js` applies on the
    /// visitor's day: up (soonest deadline first), posted later (hidden in the page until their
    /// day), and taken down within the last [`RECENT_DAYS`] days (most recent first).
    pub fn current_notices(&self, archive: &Archive, forbund: Option<usize>) -> Notices {
        let mut n = Notices {
            recent_days: RECENT_DAYS,
            ..Notices::default()
        };
        for (fi, f) in archive.forbund.iter().enumerate() {
            if forbund.is_some_and(|x| x != fi) {
                continue;
            }
            for p in &f.protocols {
                let Some(notice) = board_notice(f, p, &self.urls, self.today) else {
                    continue;
                };
                match notice.status {
                    "pagar" => n.now.push(notice),
                    "kommande" => n.coming.push(notice),
                    "utgangen" => {
                        let last =
                            NaiveDate::parse_from_str(&notice.last_appeal.iso, "%Y-%m-%d").ok();
                        if last.is_some_and(|l| (self.today - l).num_days() <= RECENT_DAYS) {
                            n.expired.push(notice);
                        }
                    }
                    _ => {}
                }
            }
        }
        let soonest = |a: &BoardNotice, b: &BoardNotice| {
            (&a.last_appeal.iso, &a.url).cmp(&(&b.last_appeal.iso, &b.url))
        };
        n.now.sort_by(soonest);
        n.coming.sort_by(soonest);
        n.expired
            .sort_by(|a, b| (&b.last_appeal.iso, &a.url).cmp(&(&a.last_appeal.iso, &b.url)));
        n
    }
}

/// How long a notice stays under "Nyligen nedtagna" after its last appeal day, in days; the
/// same number is in `anslag.js` and stated on the anslagstavla.
pub const RECENT_DAYS: i64 = 60;

/// The notices of one anslagstavla on the build day.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Notices {
    /// Up now.
    pub now: Vec<BoardNotice>,
    /// Posted after the build day: in the page, hidden until the visitor's date reaches them.
    pub coming: Vec<BoardNotice>,
    /// Taken down within the last [`RECENT_DAYS`] days.
    pub expired: Vec<BoardNotice>,
    /// [`RECENT_DAYS`], for the page's wording.
    pub recent_days: i64,
}

/// How many pages a build of `archive` writes.
pub fn page_count(archive: &Archive) -> usize {
    jobs(archive).len()
}

/// The list of pages to render, in a fixed order.
fn jobs(archive: &Archive) -> Vec<Job> {
    let mut jobs: Vec<Job> = vec![
        Job::Home,
        Job::ForbundList,
        Job::Anslagstavla(None),
        Job::Accessibility,
        Job::NotFound,
        Job::Search,
    ];
    let mut years: Vec<i32> = archive
        .protocols()
        .map(|(_, p)| p.year())
        .chain(archive.plans().map(|(_, p)| p.year.value))
        .collect();
    years.sort_unstable();
    years.dedup();
    jobs.extend(years.iter().map(|&y| Job::Year(None, y)));
    for (fi, f) in archive.forbund.iter().enumerate() {
        jobs.push(Job::Forbund(fi));
        jobs.push(Job::Anslagstavla(Some(fi)));
        jobs.push(Job::Embed(fi));
        let mut fyears: Vec<i32> = f
            .protocols
            .iter()
            .map(|p| p.year())
            .chain(f.plans.iter().map(|p| p.year.value))
            .collect();
        fyears.sort_unstable();
        fyears.dedup();
        jobs.extend(fyears.into_iter().map(|y| Job::Year(Some(fi), y)));
        jobs.extend((0..f.protocols.len()).map(|pi| Job::Protocol(fi, pi)));
        jobs.extend((0..f.plans.len()).map(|pi| Job::Plan(fi, pi)));
    }
    jobs
}

fn serde_json_empty() -> std::collections::BTreeMap<String, String> {
    std::collections::BTreeMap::new()
}

enum Job {
    Home,
    ForbundList,
    Forbund(usize),
    Protocol(usize, usize),
    Plan(usize, usize),
    Year(Option<usize>, i32),
    Anslagstavla(Option<usize>),
    Embed(usize),
    Accessibility,
    NotFound,
    Search,
}
