//! The build: site.toml, theme and content in; a checked site swapped into the output folder out.

use crate::anslag::LegalDates;
use crate::config::{self, SiteConfig};
use crate::diagnostics::{Diagnostic, Severity};
use crate::load::{self, Loaded};
use crate::model::{Archive, Pos};
use crate::render::links::{self, PageLinks};
use crate::render::output::Staging;
use crate::render::theme::Theme;
use crate::render::{Page, Renderer};
use chrono::NaiveDate;
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The archive's folder: `site.toml`, `content/`, optional `themes/` and `templates/`.
    pub root: PathBuf,
    /// The day the site is built for (`--idag`); decides what is on the anslagstavla.
    pub today: NaiveDate,
    /// Overrides `utdata` in site.toml.
    pub output: Option<PathBuf>,
}

#[derive(Debug)]
pub struct BuildReport {
    pub output: PathBuf,
    /// The site's base path (`/finsam/`), where the output is served.
    pub base_path: String,
    pub pages: usize,
    pub files: usize,
    pub bytes: u64,
    pub protocols: usize,
    pub plans: usize,
    /// Warnings and notes (errors fail the build).
    pub diagnostics: Vec<Diagnostic>,
    /// The first day after the build day on which a notice goes up or its appeal period ends:
    /// rebuild on that day at the latest.
    pub next_status_change: Option<NaiveDate>,
}

#[derive(Debug)]
pub struct BuildFailure {
    pub diagnostics: Vec<Diagnostic>,
}

/// Today's date in Sweden: legal dates are Swedish local dates, whatever the server's zone.
pub fn today_in_sweden() -> NaiveDate {
    chrono::Utc::now()
        .with_timezone(&chrono_tz::Europe::Stockholm)
        .date_naive()
}

/// The path shown to the user for a file of the site: relative when the site is the current folder.
pub fn display_root(root: &Path) -> PathBuf {
    if root == Path::new(".") || root.as_os_str().is_empty() {
        PathBuf::new()
    } else {
        root.to_path_buf()
    }
}

/// Reads site.toml and content/ without writing anything.
pub fn load_site(root: &Path) -> (Option<SiteConfig>, Loaded) {
    let root = display_root(root);
    let config = config::load(&root.join("site.toml"));
    let policy = config
        .as_ref()
        .map(SiteConfig::privacy_policy)
        .unwrap_or_default();
    let mut loaded = load::load_content(&root.join("content"), &policy);
    let config = match config {
        Ok(c) => Some(c),
        Err(errors) => {
            loaded.diagnostics.extend(errors);
            None
        }
    };
    (config, loaded)
}

/// The first day after `today` on which any notice's status changes.
pub fn next_status_change(archive: &Archive, today: NaiveDate) -> Option<NaiveDate> {
    archive
        .protocols()
        .filter_map(|(_, p)| LegalDates::of(p).next_change_after(today))
        .min()
}

/// Prints how long each phase took when PROTOKOLL_TIDER is set (for profiling, not for tests).
struct PhaseClock {
    start: std::time::Instant,
    last: std::time::Instant,
    on: bool,
}

impl PhaseClock {
    fn new() -> Self {
        let now = std::time::Instant::now();
        PhaseClock {
            start: now,
            last: now,
            on: std::env::var_os("PROTOKOLL_TIDER").is_some(),
        }
    }
    fn lap(&mut self, phase: &str) {
        if self.on {
            let now = std::time::Instant::now();
            eprintln!(
                "tid {phase:<12} {:>8.3} s (totalt {:.3} s)",
                (now - self.last).as_secs_f64(),
                (now - self.start).as_secs_f64()
            );
            self.last = now;
        }
    }
}

pub fn build(options: &BuildOptions) -> Result<BuildReport, BuildFailure> {
    let mut clock = PhaseClock::new();
    let root = display_root(&options.root);
    let (config, loaded) = load_site(&root);
    clock.lap("läsa");
    let mut diagnostics = loaded.diagnostics;
    let theme = match &config {
        Some(c) => match Theme::load(&root, &c.tema) {
            Ok(t) => Some(t),
            Err(errors) => {
                diagnostics.extend(errors);
                None
            }
        },
        None => None,
    };
    let archive = loaded.archive;
    if let Some(c) = &config {
        diagnostics.extend(crate::publish::check_tombstones(
            c,
            &archive,
            &root.join("site.toml"),
        ));
    }
    let findings = crate::check::check_archive_on(&archive, options.today);
    clock.lap("kontroller");
    let strict = config.as_ref().is_some_and(|c| c.strikt);
    for f in findings {
        // Legal findings fail the build only in strict mode; otherwise they are reported.
        if f.severity == Severity::Fel && !strict {
            diagnostics.push(f.with_severity(Severity::Varning));
        } else {
            diagnostics.push(f);
        }
    }
    crate::diagnostics::sort(&mut diagnostics);
    let fail = |diagnostics: Vec<Diagnostic>| BuildFailure { diagnostics };
    if diagnostics.iter().any(|d| d.severity == Severity::Fel) {
        return Err(fail(diagnostics));
    }
    let (Some(config), Some(theme)) = (config, theme) else {
        return Err(fail(diagnostics));
    };
    let output = options
        .output
        .clone()
        .unwrap_or_else(|| root.join(&config.utdata));
    let renderer = Renderer::new(&config, theme, options.today);
    let mut pages = match renderer.pages(&archive) {
        Ok(p) => p,
        Err(errors) => {
            for e in errors {
                let file = e
                    .source_file
                    .clone()
                    .or_else(|| renderer.theme.origin(&e.template).map(Path::to_path_buf))
                    .unwrap_or_else(|| PathBuf::from(&e.template));
                diagnostics.push(Diagnostic::error(
                    "mall",
                    &file,
                    Pos::default(),
                    e.to_string(),
                ));
            }
            return Err(fail(diagnostics));
        }
    };
    clock.lap("rendera");
    let publish = crate::publish::Context {
        config: &config,
        urls: &renderer.urls,
        today: options.today,
    };
    let files = crate::publish::files(&publish, &archive, &pages);
    pages.extend(files);
    clock.lap("publicera");
    let staging = match Staging::new(&output) {
        Ok(s) => s,
        Err(e) => {
            diagnostics.push(io_error(&output, &e));
            return Err(fail(diagnostics));
        }
    };
    let leaks = output_leaks(&pages);
    clock.lap("integritet");
    if !leaks.is_empty() {
        staging.discard();
        diagnostics.extend(leaks);
        return Err(fail(diagnostics));
    }
    match write_site(&staging, &renderer, &pages) {
        Ok((files, bytes, broken)) if broken.is_empty() => {
            clock.lap("skriva+länkar");
            if let Err(e) = staging.commit() {
                diagnostics.push(io_error(&output, &e));
                return Err(fail(diagnostics));
            }
            Ok(BuildReport {
                output,
                base_path: config.base_path(),
                pages: pages
                    .iter()
                    .filter(|p| p.file.extension().is_some_and(|e| e == "html"))
                    .count(),
                files,
                bytes,
                protocols: archive.protocols().count(),
                plans: archive.plans().count(),
                next_status_change: next_status_change(&archive, options.today),
                diagnostics,
            })
        }
        Ok((_, _, broken)) => {
            staging.discard();
            let sources: BTreeMap<&Path, &Page> =
                pages.iter().map(|p| (p.file.as_path(), p)).collect();
            for b in broken {
                let page = sources.get(b.page.as_path());
                let file = page
                    .and_then(|p| p.source.clone())
                    .unwrap_or_else(|| output.join(&b.page));
                // Point at the line of the content file that holds the link, when it is there.
                let pos = std::fs::read_to_string(&file)
                    .ok()
                    .and_then(|text| {
                        text.find(b.target.as_str())
                            .map(|i| crate::load::position_of(&text, i))
                    })
                    .unwrap_or_default();
                diagnostics.push(
                    Diagnostic::error(
                        "trasig-lank",
                        &file,
                        pos,
                        format!(
                            "sidan {} länkar till {}: {}",
                            page.map_or("?", |p| p.url.as_str()),
                            b.target,
                            b.reason
                        ),
                    )
                    .with_hint("rätta länken i innehållet eller mallen"),
                );
            }
            Err(fail(diagnostics))
        }
        Err(e) => {
            staging.discard();
            diagnostics.push(io_error(&output, &e));
            Err(fail(diagnostics))
        }
    }
}

/// The last line of defence: no generated page may carry an identity number, signature data or an
/// IP address, whatever a template or a site's own override puts there.
fn output_leaks(pages: &[Page]) -> Vec<Diagnostic> {
    let policy = crate::privacy::Policy::default();
    pages
        .par_iter()
        .flat_map_iter(|page| {
            crate::privacy::scan(&page.body, &policy)
                .into_iter()
                .filter(|f| f.kind.blocks_publication())
                .map(|f| {
                    let file = page.source.clone().unwrap_or_else(|| page.file.clone());
                    Diagnostic::error(
                        f.kind.rule_id(),
                        &file,
                        Pos::default(),
                        format!("sidan {} skulle publicera {} ({})", page.url, f.kind.describe(), f.shown),
                    )
                    .with_hint("uppgiften kommer från en mall eller ett fält som inte granskats; ta bort den")
                })
                .collect::<Vec<_>>()
        })
        .collect()
}

fn io_error(path: &Path, e: &std::io::Error) -> Diagnostic {
    Diagnostic::error(
        "skriva",
        path,
        Pos::default(),
        format!("kan inte skriva webbplatsen: {e}"),
    )
    .with_hint("kontrollera att utdatamappen går att skriva till")
}

/// Writes pages and assets in parallel, then checks every internal link.
fn write_site(
    staging: &Staging,
    renderer: &Renderer,
    pages: &[Page],
) -> std::io::Result<(usize, u64, Vec<links::BrokenLink>)> {
    let scanned: Vec<std::io::Result<(PathBuf, String, PageLinks)>> = pages
        .par_iter()
        .map(|p| {
            staging.write(&p.file, p.body.as_bytes())?;
            Ok((p.file.clone(), p.url.clone(), links::scan(&p.body)))
        })
        .collect();
    let mut page_links = BTreeMap::new();
    let mut files = BTreeSet::new();
    let mut bytes: u64 = pages.iter().map(|p| p.body.len() as u64).sum();
    for s in scanned {
        let (file, url, links) = s?;
        files.insert(file.clone());
        page_links.insert(file, (url, links));
    }
    for (name, content) in &renderer.theme.assets {
        let file = PathBuf::from("assets").join(name);
        staging.write(&file, content)?;
        bytes += content.len() as u64;
        files.insert(file);
    }
    let broken = links::check(&renderer.urls, &page_links, &files);
    Ok((files.len(), bytes, broken))
}
