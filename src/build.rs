//! The build: site.toml, theme and content in; a checked site swapped into the output folder out.

use crate::anslag::LegalDates;
use crate::config::{self, SiteConfig};
use crate::diagnostics::{Diagnostic, Severity};
use crate::load::{self, Loaded};
use crate::model::{Archive, Pos};
use crate::render::links::{self, PageLinks};
use crate::render::output::Staging;
use crate::render::theme::Theme;
use crate::render::{Page, Rendered, Renderer};
use chrono::NaiveDate;
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// The archive's folder: `site.toml`, `content/`, optional `themes/` and `templates/`.
    pub root: PathBuf,
    /// The day the site is built for (`--idag`); decides what is on the anslagstavla.
    pub today: NaiveDate,
    /// Overrides `utdata` in site.toml.
    pub output: Option<PathBuf>,
    /// Show a progress bar (only on a terminal, never in CI).
    pub progress: bool,
    /// Also write gzip and Brotli copies of every text file (`--forkomprimera`).
    pub precompress: bool,
    /// Build everything, without reading the build cache (`--full`).
    pub full: bool,
}

/// A progress bar on a terminal for builds that take more than a moment; hidden elsewhere.
fn progress_bar(wanted: bool, pages: usize) -> indicatif::ProgressBar {
    use std::io::IsTerminal;
    let visible = wanted
        && pages >= 500
        && std::io::stderr().is_terminal()
        && std::env::var_os("CI").is_none();
    if !visible {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(pages as u64);
    if let Ok(style) = indicatif::ProgressStyle::with_template(
        "{prefix} [{bar:40}] {pos}/{len} sidor ({eta} kvar)",
    ) {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.set_prefix("Bygger");
    bar
}

#[derive(Debug)]
pub struct BuildReport {
    pub output: PathBuf,
    /// The site's base path (`/finsam/`), where the output is served.
    pub base_path: String,
    pub pages: usize,
    pub files: usize,
    /// What the build changed in the output folder: files written, removed and left alone.
    pub synced: crate::render::output::Synced,
    pub bytes: u64,
    pub protocols: usize,
    pub plans: usize,
    /// Warnings about the content (errors fail the build).
    pub diagnostics: Vec<Diagnostic>,
    /// The legal checks' findings (`protokoll check`), summed up by the build.
    pub checks: Vec<Diagnostic>,
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
    let (config, loaded, _) = load_site_with(root, |_| None::<crate::build_cache::ModelStore>);
    (config, loaded)
}

/// [`load_site`] with the per-file results `cache` gives for the privacy policy site.toml sets
/// (returned, to be swept after a successful build).
fn load_site_with<C: load::ParseCache>(
    root: &Path,
    cache: impl FnOnce(&crate::privacy::Policy) -> Option<C>,
) -> (Option<SiteConfig>, Loaded, Option<C>) {
    let root = display_root(root);
    let config = config::load(&root.join("site.toml"));
    let policy = config
        .as_ref()
        .map(SiteConfig::privacy_policy)
        .unwrap_or_default();
    let cache = cache(&policy);
    let mut loaded = load::load_content_cached(
        &root.join("content"),
        &policy,
        cache.as_ref().map(|c| c as &dyn load::ParseCache),
    );
    let config = match config {
        Ok(c) => Some(c),
        Err(errors) => {
            loaded.diagnostics.extend(errors);
            None
        }
    };
    (config, loaded, cache)
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
    /// CPU seconds at the last lap.
    cpu: f64,
    on: bool,
}

/// The process's memory now and at its peak so far, from /proc (Linux), for the phase timings.
fn memory_note() -> String {
    let Ok(status) = std::fs::read_to_string("/proc/self/status") else {
        return String::new();
    };
    let kb = |key: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(key))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
    };
    match (kb("VmRSS:"), kb("VmHWM:")) {
        (Some(now), Some(peak)) => format!(", minne {} MB, topp {} MB", now / 1024, peak / 1024),
        _ => String::new(),
    }
}

/// The CPU time the process has used so far (user and system, all threads), from /proc: on a
/// shared, loaded machine a phase's CPU time says more than its wall time.
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // The fields after the command name (which is in parentheses and may hold spaces).
    let rest = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = rest.split(' ').collect();
    // utime and stime are fields 14 and 15 of the whole line, 12 and 13 after the name.
    let ticks: f64 = fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
    // Linux's USER_HZ is 100 on every architecture it runs on.
    Some(ticks / 100.0)
}

impl PhaseClock {
    /// A line of its own beside the timings.
    fn note(&self, text: &str) {
        if self.on {
            eprintln!("tid {text}");
        }
    }

    fn new() -> Self {
        let now = std::time::Instant::now();
        let on = std::env::var_os("PROTOKOLL_TIDER").is_some();
        PhaseClock {
            start: now,
            last: now,
            cpu: if on {
                cpu_seconds().unwrap_or(0.0)
            } else {
                0.0
            },
            on,
        }
    }
    fn lap(&mut self, phase: &str) {
        if self.on {
            let now = std::time::Instant::now();
            let cpu = cpu_seconds().unwrap_or(0.0);
            eprintln!(
                "tid {phase:<12} {:>8.3} s, cpu {:>7.2} s (totalt {:.3} s){}",
                (now - self.last).as_secs_f64(),
                cpu - self.cpu,
                (now - self.start).as_secs_f64(),
                memory_note()
            );
            self.last = now;
            self.cpu = cpu;
        }
    }
}

/// The build cache of the output the options name, with the keys of this build's inputs; `None`
/// when site.toml or the output folder is wrong (the full build reports it).
fn open_cache(root: &Path, options: &BuildOptions) -> Option<CacheUse> {
    let config = config::load(&root.join("site.toml")).ok()?;
    let (owned, _) = output_folder(root, &config, options.output.as_deref()).ok()?;
    let mut cache = crate::build_cache::BuildCache::open(&owned.target, options.full);
    let keys = cache.keys(root, options.today, options.precompress, &owned.target);
    Some(CacheUse {
        cache,
        keys,
        shown: options
            .output
            .clone()
            .unwrap_or_else(|| root.join(&config.utdata)),
        target: owned.target,
    })
}

/// The build cache with this build's keys and the output folder it belongs to.
struct CacheUse {
    cache: crate::build_cache::BuildCache,
    keys: crate::build_cache::Keys,
    /// The output folder, resolved.
    target: PathBuf,
    /// The output folder as the report names it.
    shown: PathBuf,
}

/// Builds the site. A failed build leaves nothing behind: the parsed models are cached as they
/// are made, so a cache folder that did not exist before the build is removed again.
pub fn build(options: &BuildOptions) -> Result<BuildReport, BuildFailure> {
    let new_cache = cache_location(options).filter(|dir| !dir.exists());
    let result = run_phases(options);
    if result.is_err()
        && let Some(dir) = new_cache
    {
        crate::build_cache::remove_new(&dir);
    }
    result
}

/// Where the build cache of the output the options name lies; `None` when site.toml or the
/// output folder is wrong.
fn cache_location(options: &BuildOptions) -> Option<PathBuf> {
    let root = display_root(&options.root);
    let config = config::load(&root.join("site.toml")).ok()?;
    let (owned, _) = output_folder(&root, &config, options.output.as_deref()).ok()?;
    Some(crate::build_cache::location(&owned.target))
}

fn run_phases(options: &BuildOptions) -> Result<BuildReport, BuildFailure> {
    let mut clock = PhaseClock::new();
    let root = display_root(&options.root);
    let mut cache = open_cache(&root, options);
    clock.lap("cache");
    if let Some(CacheUse {
        cache: c,
        keys,
        target,
        shown,
    }) = &mut cache
    {
        let index = crate::search::index::location(target);
        if let Some(r) = c.unchanged(&keys.whole, target, &index) {
            let mut diagnostics = c.take_notes();
            // What killed builds left is cleared even when nothing else is to be done.
            diagnostics.extend(stale_staging_notes(target));
            diagnostics.extend(stale_staging_notes(&index));
            diagnostics.extend(r.diagnostics);
            return Ok(BuildReport {
                output: shown.clone(),
                base_path: r.base_path,
                pages: r.pages,
                files: r.files,
                synced: crate::render::output::Synced {
                    written: 0,
                    removed: 0,
                    kept: r.files,
                },
                bytes: r.bytes,
                protocols: r.protocols,
                plans: r.plans,
                diagnostics,
                checks: r.checks,
                next_status_change: r.next_status_change,
            });
        }
    }
    let (config, loaded, models) = load_site_with(&root, |policy| {
        cache
            .as_ref()
            .map(|c| c.cache.models(&root, &format!("{policy:?}"), options.full))
    });
    clock.lap("läsa");
    let mut diagnostics = loaded.diagnostics;
    if let Some(CacheUse { cache: c, .. }) = &mut cache {
        diagnostics.extend(c.take_notes());
    }
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
    // The output folder is checked before anything is written, and reported with the content's
    // errors so that one run shows everything to fix.
    let owned =
        config.as_ref().and_then(
            |c| match output_folder(&root, c, options.output.as_deref()) {
                Ok((owned, adopted)) => {
                    diagnostics.extend(adopted);
                    Some(owned)
                }
                Err(d) => {
                    diagnostics.push(d);
                    None
                }
            },
        );
    let findings = crate::check::check_archive_on(&archive, options.today);
    clock.lap("kontroller");
    let strict = config.as_ref().is_some_and(|c| c.strikt);
    // Legal findings are summed up in one line (`protokoll check` lists them); only in strict
    // mode do their errors stop the build, and then they are reported in full.
    let checks = findings;
    if strict {
        diagnostics.extend(
            checks
                .iter()
                .filter(|f| f.severity == Severity::Fel)
                .cloned(),
        );
    }
    // Scaffold placeholders left in content: a warning, an error in strict mode.
    if strict {
        for d in diagnostics.iter_mut().filter(|d| {
            d.code == crate::load::placeholders::RULE || d.code == crate::load::PDF_UNREAD
        }) {
            d.severity = Severity::Fel;
        }
    }
    // Images and embeds from other hosts: a warning, an error in strict mode.
    if let Some(c) = &config {
        let severity = if strict {
            Severity::Fel
        } else {
            Severity::Varning
        };
        diagnostics.extend(
            crate::render::external::scan_archive(&root, &c.tema)
                .into_iter()
                .map(|d| d.with_severity(severity)),
        );
        clock.lap("externt");
    }
    crate::diagnostics::sort(&mut diagnostics);
    let fail = |diagnostics: Vec<Diagnostic>| BuildFailure { diagnostics };
    if diagnostics.iter().any(|d| d.severity == Severity::Fel) {
        return Err(fail(diagnostics));
    }
    let (Some(config), Some(theme), Some(owned)) = (config, theme, owned) else {
        return Err(fail(diagnostics));
    };
    let output = options
        .output
        .clone()
        .unwrap_or_else(|| root.join(&config.utdata));
    // Pages the output holds as they would be rendered now are left as they are.
    let previous = match &cache {
        Some(c) if models.is_some() => c.cache.previous_pages(),
        _ => Default::default(),
    };
    let renderer = Renderer::new(&config, theme, options.today);
    diagnostics.extend(stale_staging_notes(&owned.target));
    // Write failures are gathered, not reported one by one: on a full disk every file fails for
    // the same reason, and the reason is what the user needs to see first.
    let mut io_failures: Vec<(PathBuf, std::io::Error)> = Vec::new();
    let staging = match Staging::new(&owned.target) {
        Ok(s) => s,
        Err(e) => {
            io_failures.push((output.clone(), e));
            return Err(fail_with_causes(diagnostics, &output, io_failures));
        }
    };
    // A page is left out only when the output folder can keep its file (and copies) as they are.
    let keeper = staging.keeper();
    let previous = &previous;
    let holds = move |key: &str| {
        previous
            .get(key)
            .is_some_and(|r| keeper.keep(&r.file) && r.copies.iter().all(|c| keeper.keep(c)))
    };
    let renderer = match (&cache, &models) {
        (Some(c), Some(m)) => renderer.reusing(crate::render::Reuse {
            frame: c.keys.frame.clone(),
            files: m.keys(),
            holds: &holds,
        }),
        _ => renderer,
    };
    // One pass per page: render, guard, write, note its links; the body is dropped at once.
    let progress = progress_bar(options.progress, crate::render::page_count(&archive));
    let reused = std::sync::atomic::AtomicUsize::new(0);
    let written = renderer.render_reusing(&archive, |rendered| {
        progress.inc(1);
        match rendered {
            Rendered::Page(page, key) => {
                write_page(&staging, page, options.precompress).map(|w| (w, key))
            }
            Rendered::Unchanged(key) => {
                reused.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let kept = previous
                    .get(&key)
                    .map(|r| keep_page(&staging, r))
                    .ok_or_else(|| {
                        (
                            PathBuf::new(),
                            std::io::Error::other("en återanvänd sida saknas i byggcachen"),
                        )
                    })?;
                Ok((kept, Some(key)))
            }
        }
    });
    progress.finish_and_clear();
    clock.lap("rendera+skriva");
    clock.note(&format!(
        "{} sidor oförändrade, inte renderade",
        reused.into_inner()
    ));
    let written = match written {
        Ok(w) => w,
        Err(errors) => {
            staging.discard();
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
    let mut page_links = BTreeMap::new();
    let mut files = BTreeSet::new();
    let mut bytes = 0u64;
    let mut sources: BTreeMap<PathBuf, (String, Option<PathBuf>)> = BTreeMap::new();
    let mut failed = false;
    let mut indexable = Vec::new();
    let mut records: Vec<(String, crate::build_cache::PageRecord)> = Vec::new();
    for w in written {
        match w {
            Ok((w, key)) => {
                if let Some(key) = key
                    && w.leaks.is_empty()
                {
                    records.push((key, w.record()));
                }
                indexable.push(w.indexable.clone());
                diagnostics.extend(w.leaks.iter().cloned());
                failed |= !w.leaks.is_empty();
                bytes += w.bytes;
                files.insert(w.file.clone());
                sources.insert(w.file.clone(), (w.url.clone(), w.source));
                page_links.insert(w.file, (w.url, w.links));
            }
            Err((file, e)) => {
                io_failures.push((output.join(file), e));
                failed = true;
            }
        }
    }
    let page_count = page_links.len();
    // Feeds, data, calendars, sitemap: written and guarded like pages. The sitemap lists the
    // pages just written that may be indexed.
    let indexed: Vec<String> = indexable.into_iter().flatten().collect();
    let publish = crate::publish::Context {
        config: &config,
        urls: &renderer.urls,
        today: options.today,
        theme: Some(&renderer.theme),
    };
    let published = crate::publish::each_file(&publish, &archive, &indexed, |page| {
        write_page(&staging, page, options.precompress)
    });
    clock.lap("publicera");
    for w in published {
        match w {
            Ok(w) => {
                diagnostics.extend(w.leaks.iter().cloned());
                failed |= !w.leaks.is_empty();
                bytes += w.bytes;
                files.insert(w.file.clone());
                files.extend(w.copies);
                sources.insert(w.file.clone(), (w.url.clone(), w.source));
                page_links.insert(w.file, (w.url, w.links));
            }
            Err((file, e)) => {
                io_failures.push((output.join(file), e));
                failed = true;
            }
        }
    }
    // A build that already failed (a page would leak) publishes nothing: no index is needed, and
    // the pages' errors name the places to fix.
    // The server's tantivy index is staged beside its own folder, outside the output, and
    // swapped in with the site.
    let index_home = crate::search::index::location(&owned.target);
    diagnostics.extend(stale_staging_notes(&index_home));
    let reused = match (&cache, failed) {
        (Some(CacheUse { cache: c, keys, .. }), false) => c.search_files(&keys.search, &index_home),
        _ => None,
    };
    let index_staging = if failed || reused.is_some() {
        None
    } else {
        match Staging::replacing(&index_home) {
            Ok(s) => Some(s),
            Err(e) => {
                staging.discard();
                io_failures.push((index_home, e));
                return Err(fail_with_causes(diagnostics, &output, io_failures));
            }
        }
    };
    let discard_index = |s: Option<Staging>| {
        if let Some(s) = s {
            s.discard();
        }
    };
    let searched = match reused {
        // Made from the same content by an earlier build, and checked then.
        Some(files) => Ok(files
            .into_iter()
            .map(|(path, bytes)| crate::search::static_index::DataFile {
                path,
                bytes,
                plain: Some(Vec::new()),
            })
            .collect()),
        None => write_search(index_staging.as_ref(), &archive, &renderer.urls, &mut clock),
    };
    let search_files = match searched {
        Ok(f) => f,
        Err(SearchFailure::Leaks(leaks)) => {
            discard_index(index_staging);
            staging.discard();
            diagnostics.extend(leaks);
            crate::diagnostics::sort(&mut diagnostics);
            return Err(fail(diagnostics));
        }
        Err(SearchFailure::Index(e)) => {
            discard_index(index_staging);
            staging.discard();
            // First: with the pages written, this is what stopped the build.
            diagnostics.insert(
                0,
                Diagnostic::error(
                    "sokindex",
                    &output,
                    Pos::default(),
                    format!("sökindexet kunde inte byggas: {e}"),
                ),
            );
            return Err(fail(diagnostics));
        }
    };
    clock.lap("sökindex");
    // The static index is published like the pages, so it passes the same guard.
    let search_leaks = search_leaks(&search_files, &archive);
    failed |= !search_leaks.is_empty();
    diagnostics.extend(search_leaks);
    // With their compressed copies, like the pages: these are what a browser fetches.
    let written: Vec<_> = search_files
        .par_iter()
        .map(|f| write_with_copies(&staging, &f.path, &f.bytes, options.precompress))
        .collect();
    for (f, w) in search_files.iter().zip(written) {
        match w {
            Ok((copies, copy_bytes)) => {
                bytes += copy_bytes;
                files.extend(copies);
            }
            Err(e) => {
                io_failures.push((output.join(&f.path), e));
                failed = true;
            }
        }
        bytes += f.bytes.len() as u64;
        files.insert(f.path.clone());
    }
    for (name, content) in &renderer.theme.assets {
        let file = PathBuf::from("assets").join(name);
        match write_with_copies(&staging, &file, content, options.precompress) {
            Ok((copies, copy_bytes)) => {
                bytes += copy_bytes;
                files.extend(copies);
            }
            Err(e) => {
                io_failures.push((output.join(&file), e));
                failed = true;
            }
        }
        bytes += content.len() as u64;
        files.insert(file);
    }
    // The originals and annexes beside the protocols, as they are (their text passed the guard
    // when the content was read). They are inputs of the build, so a changed PDF changes its key.
    for f in &archive.forbund {
        for p in &f.protocols {
            for a in &p.attachments {
                let url = crate::render::views::attachment_view(f, p, a, &renderer.urls).url;
                let Some(file) = renderer.urls.file_for(&url) else {
                    continue;
                };
                let written = std::fs::read(&a.path).and_then(|content| {
                    staging.write(&file, &content)?;
                    Ok(content.len() as u64)
                });
                match written {
                    Ok(n) => {
                        bytes += n;
                        files.insert(file);
                    }
                    Err(e) => {
                        io_failures.push((output.join(&file), e));
                        failed = true;
                    }
                }
            }
        }
    }
    // Links to files that could not be written are not broken links but follow-on errors of
    // the write failure: they are not checked then.
    let broken = if io_failures.is_empty() {
        links::check(&renderer.urls, &page_links, &files)
    } else {
        Vec::new()
    };
    clock.lap("länkar");
    for b in &broken {
        let (url, source) = sources.get(&b.page).cloned().unwrap_or_default();
        let file = source.unwrap_or_else(|| output.join(&b.page));
        // Point at the line of the content file that holds the link, when it is there.
        let pos = std::fs::read_to_string(&file)
            .ok()
            .map(|text| crate::load::normalize_newlines(&text).into_owned())
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
                format!("sidan {url} länkar till {}: {}", b.target, b.reason),
            )
            .with_hint("rätta länken i innehållet eller mallen"),
        );
    }
    if failed || !broken.is_empty() {
        discard_index(index_staging);
        staging.discard();
        crate::diagnostics::sort(&mut diagnostics);
        return Err(fail_with_causes(diagnostics, &output, io_failures));
    }
    let synced = match staging.commit() {
        Ok(s) => s,
        Err(e) => {
            discard_index(index_staging);
            return Err(fail_with_causes(
                diagnostics,
                &output,
                vec![(output.clone(), e)],
            ));
        }
    };
    if let Some(Err(e)) = index_staging.map(Staging::commit) {
        return Err(fail_with_causes(
            diagnostics,
            &output,
            vec![(index_home, e)],
        ));
    }
    // The server renders the search page from the same templates and context (search::page).
    if let Err(e) = renderer.search_page(&archive).store(&index_home) {
        diagnostics.push(
            Diagnostic::error(
                "sokindex",
                &index_home,
                Pos::default(),
                format!("sökningens sida för `protokoll serve` kunde inte sparas: {e}"),
            )
            .with_severity(Severity::Varning),
        );
    }
    clock.lap("byta");
    let report = BuildReport {
        output,
        base_path: config.base_path(),
        pages: page_count,
        files: files.len(),
        synced,
        bytes,
        protocols: archive.protocols().count(),
        plans: archive.plans().count(),
        next_status_change: next_status_change(&archive, options.today),
        diagnostics,
        checks,
    };
    if let Some(CacheUse {
        cache: c,
        keys,
        target,
        ..
    }) = cache
    {
        let stored: Vec<(PathBuf, &[u8])> = search_files
            .iter()
            .map(|f| (f.path.clone(), f.bytes.as_slice()))
            .collect();
        let cached = crate::build_cache::CachedReport {
            base_path: report.base_path.clone(),
            pages: report.pages,
            files: report.files,
            bytes: report.bytes,
            protocols: report.protocols,
            plans: report.plans,
            // Notes about this run (a cache discarded, a killed build's folder removed) are not
            // repeated.
            diagnostics: report
                .diagnostics
                .iter()
                .filter(|d| d.severity != Severity::Notis)
                .cloned()
                .collect(),
            checks: report.checks.clone(),
            next_status_change: report.next_status_change,
        };
        if let Some(m) = &models {
            m.sweep();
        }
        let pages: Vec<(&String, &crate::build_cache::PageRecord)> =
            records.iter().map(|(k, r)| (k, r)).collect();
        // The cache only saves time: a build whose cache cannot be written has still succeeded.
        if let Err(e) = c.store(&keys, cached, &target, &index_home, &stored, &pages) {
            eprintln!(
                "OBS: byggcachen i {} kunde inte skrivas: {e}",
                crate::build_cache::location(&target).display()
            );
        }
    }
    clock.lap("cache");
    Ok(report)
}

/// What the build keeps of a written page.
struct Written {
    file: PathBuf,
    /// Its pre-compressed copies (`--forkomprimera`).
    copies: Vec<PathBuf>,
    /// The page's URL if the sitemap should list it (an `index.html` without noindex).
    indexable: Option<String>,
    url: String,
    source: Option<PathBuf>,
    links: PageLinks,
    leaks: Vec<Diagnostic>,
    bytes: u64,
}

impl Written {
    /// What the build cache keeps of the page, to leave it out of a later build.
    fn record(&self) -> crate::build_cache::PageRecord {
        crate::build_cache::PageRecord {
            file: self.file.clone(),
            url: self.url.clone(),
            source: self.source.clone(),
            indexable: self.indexable.clone(),
            links: self.links.clone(),
            bytes: self.bytes,
            copies: self.copies.clone(),
        }
    }
}

/// A page the output holds as the previous build left it: kept, with what that build knew of it
/// (it passed the privacy guard then, with the same input).
fn keep_page(staging: &Staging, r: &crate::build_cache::PageRecord) -> Written {
    staging.keep(&r.file);
    for copy in &r.copies {
        staging.keep(copy);
    }
    Written {
        file: r.file.clone(),
        copies: r.copies.clone(),
        indexable: r.indexable.clone(),
        url: r.url.clone(),
        source: r.source.clone(),
        links: r.links.clone(),
        leaks: Vec::new(),
        bytes: r.bytes,
    }
}

/// Writes one file and, when asked, its gzip and Brotli copies. Returns the copies and their size.
fn write_with_copies(
    staging: &Staging,
    file: &Path,
    bytes: &[u8],
    precompress: bool,
) -> std::io::Result<(Vec<PathBuf>, u64)> {
    let changed = staging.write(file, bytes)?;
    let mut written = (Vec::new(), 0);
    if precompress {
        use crate::render::compress;
        // The copies of an unchanged file are the output's own: compressing again would give
        // the same bytes, at the cost of most of a build's time.
        let names = compress::copy_names(file);
        if !changed && !names.is_empty() && names.iter().all(|c| staging.keep(c)) {
            for copy in names {
                written.1 += staging.size_in_output(&copy);
                written.0.push(copy);
            }
            return Ok(written);
        }
        for (copy, compressed) in compress::copies(file, bytes)? {
            staging.write(&copy, &compressed)?;
            written.1 += compressed.len() as u64;
            written.0.push(copy);
        }
    }
    Ok(written)
}

/// Guards, writes and scans one page. A page that would leak personal data is not written.
fn write_page(
    staging: &Staging,
    page: Page,
    precompress: bool,
) -> Result<Written, (PathBuf, std::io::Error)> {
    let leaks = page_leaks(&page);
    let mut copies = (Vec::new(), 0);
    if leaks.is_empty() {
        copies = write_with_copies(staging, &page.file, page.body.as_bytes(), precompress)
            .map_err(|e| (page.file.clone(), e))?;
    }
    let indexable = (!page.noindex && page.file.file_name().is_some_and(|n| n == "index.html"))
        .then(|| page.url.clone());
    Ok(Written {
        indexable,
        links: links::scan(&page.body),
        bytes: page.body.len() as u64 + copies.1,
        copies: copies.0,
        file: page.file,
        url: page.url,
        source: page.source,
        leaks,
    })
}

/// Writes the tantivy index into its staging folder and derives the static index from it; the
/// static files are returned for the privacy check and written with the pages.
fn write_search(
    index_staging: Option<&Staging>,
    archive: &Archive,
    urls: &crate::render::urls::Urls,
    clock: &mut PhaseClock,
) -> Result<Vec<crate::search::static_index::DataFile>, SearchFailure> {
    use crate::search::{engine::Engine, index, static_index};
    let Some(index_staging) = index_staging else {
        return Ok(Vec::new());
    };
    // What the tantivy index will hold is checked as text while it is made: its files are binary
    // and cannot be scanned afterwards.
    let card_texts =
        match index::write_archive_index(index_staging.dir(), archive, urls, &unit_leaks) {
            Ok(c) => c,
            Err(index::ArchiveIndexError::Guarded(leaks)) => {
                return Err(SearchFailure::Leaks(leaks));
            }
            Err(index::ArchiveIndexError::Index(e)) => {
                return Err(SearchFailure::Index(e.to_string()));
            }
        };
    clock.lap("sök: tantivy");
    // No static index yet: the engine is opened for the index alone.
    let engine = Engine::open_at(index_staging.dir(), index_staging.dir())
        .map_err(|e| SearchFailure::Index(e.to_string()))?;
    static_index::build(&engine, &card_texts).map_err(|e| SearchFailure::Index(e.to_string()))
}

/// Why the search index was not written.
enum SearchFailure {
    /// Personal data would reach the index: reported at the source files.
    Leaks(Vec<Diagnostic>),
    Index(String),
}

/// The blocking privacy findings in the text of a search unit, at their line in the unit's
/// source file, described without the numbers.
fn unit_leaks(u: &crate::search::index::Unit, source: &Path) -> Vec<Diagnostic> {
    let text = [
        u.title.as_str(),
        &u.body,
        &u.decisions,
        &u.document,
        &u.decision_ids.join(" "),
        &u.meeting,
    ]
    .join("\n");
    let found = crate::privacy::scan_blocking(&text);
    if found.is_empty() {
        return Vec::new();
    }
    let source_text = std::fs::read_to_string(source).ok();
    found
        .into_iter()
        .map(|x| {
            let pos = source_pos(source_text.as_deref(), &x);
            Diagnostic::error(
                x.kind.rule_id(),
                source,
                pos,
                format!(
                    "sökindexet skulle publicera {} ({}, {})",
                    x.kind.describe(),
                    x.shown,
                    u.id
                ),
            )
        })
        .collect()
}

/// The static index is scanned like a page; a file that would leak is reported at the content
/// file that holds the number (found by reading the sources again: this happens only on
/// failure), or else at the index file, and the build fails.
fn search_leaks(
    files: &[crate::search::static_index::DataFile],
    archive: &Archive,
) -> Vec<Diagnostic> {
    let texts: Vec<(&crate::search::static_index::DataFile, &[u8])> = files
        .iter()
        .flat_map(|f| f.texts().into_iter().map(move |t| (f, t)))
        .collect();
    let found: Vec<(PathBuf, crate::privacy::Finding)> = texts
        .par_iter()
        .flat_map_iter(|&(f, text)| {
            crate::privacy::scan_blocking(&String::from_utf8_lossy(text))
                .into_iter()
                .map(|x| (f.path.clone(), x))
                .collect::<Vec<_>>()
        })
        .collect();
    if found.is_empty() {
        return Vec::new();
    }
    let sources: Vec<(PathBuf, String)> = archive
        .forbund
        .iter()
        .flat_map(|f| {
            let protocols = f.protocols.iter().map(|p| p.source.clone());
            protocols
                .chain(f.plans.iter().map(|p| p.source.clone()))
                .chain([f.source.clone()])
        })
        .filter_map(|path| std::fs::read_to_string(&path).ok().map(|t| (path, t)))
        .collect();
    found
        .into_iter()
        .map(|(index_file, x)| {
            let (file, pos) = sources
                .iter()
                .find_map(|(path, text)| {
                    crate::privacy::locate(text, &x)
                        .map(|(line, column)| (path.clone(), Pos { line, column }))
                })
                .unwrap_or((index_file, Pos::default()));
            Diagnostic::error(
                x.kind.rule_id(),
                &file,
                pos,
                format!(
                    "sökindexet skulle publicera {} ({})",
                    x.kind.describe(),
                    x.shown
                ),
            )
        })
        .collect()
}

/// The last line of defence: no generated page may carry an identity number, signature data or an
/// IP address, whatever a template or a site's own override puts there. A finding is reported
/// at its line in the content file the page is made from, when it stands there.
fn page_leaks(page: &Page) -> Vec<Diagnostic> {
    let text = published_text(&page.file, &page.body);
    let found = crate::privacy::scan_blocking(&text);
    if found.is_empty() {
        return Vec::new();
    }
    let source_text = page
        .source
        .as_ref()
        .and_then(|s| std::fs::read_to_string(s).ok());
    found
        .into_iter()
        .map(|f| {
            let file = page.source.clone().unwrap_or_else(|| page.file.clone());
            let pos = source_pos(source_text.as_deref(), &f);
            Diagnostic::error(
                f.kind.rule_id(),
                &file,
                pos,
                format!(
                    "sidan {} skulle publicera {} ({})",
                    page.url,
                    f.kind.describe(),
                    f.shown
                ),
            )
            .with_hint(
                "uppgiften kommer från en mall eller ett fält som inte granskats; ta bort den",
            )
        })
        .collect()
}

/// Where a finding of a generated text stands in its content file, when it stands there.
fn source_pos(source_text: Option<&str>, finding: &crate::privacy::Finding) -> Pos {
    source_text
        .and_then(|t| crate::privacy::locate(t, finding))
        .map(|(line, column)| Pos { line, column })
        .unwrap_or_default()
}

/// The text of a published file as a reader's program shows it: a calendar's folded lines
/// (RFC 5545: a line break and one space or tab continue the line) joined.
fn published_text<'a>(file: &Path, body: &'a str) -> std::borrow::Cow<'a, str> {
    if file.extension().is_some_and(|e| e == "ics") {
        std::borrow::Cow::Owned(
            body.replace("\r\n ", "")
                .replace("\r\n\t", "")
                .replace("\n ", ""),
        )
    } else {
        std::borrow::Cow::Borrowed(body)
    }
}

/// The folder the build may write to, checked against the sources and other people's files
/// before anything is written; with a warning when an older build's unmarked output is taken over.
pub fn output_folder(
    root: &Path,
    config: &SiteConfig,
    flag: Option<&Path>,
) -> Result<(crate::output_guard::Owned, Option<Diagnostic>), Diagnostic> {
    use crate::output_guard::{self, Setting};
    let site_toml = root.join("site.toml");
    let (output, setting) = match flag {
        Some(f) => (f.to_path_buf(), Setting::Flag),
        None => (
            root.join(&config.utdata),
            Setting::SiteToml {
                line: std::fs::read_to_string(&site_toml)
                    .ok()
                    .and_then(|t| output_guard::setting_line(&t)),
                file: site_toml,
            },
        ),
    };
    let owned = output_guard::check(root, &output)
        .map_err(|refusal| output_guard::diagnostic(&refusal, &setting))?;
    let adopted = owned.adopted.then(|| {
        Diagnostic::error(
            "utdata",
            &output,
            Pos::default(),
            format!(
                "utdatamappen saknade markeringsfilen {} men innehåller en tidigare byggd webbplats; den ersätts och märks nu",
                output_guard::MARKER
            ),
        )
        .with_severity(Severity::Notis)
    });
    Ok((owned, adopted))
}

/// Removes what killed builds left beside the output, and says so.
fn stale_staging_notes(target: &Path) -> Vec<Diagnostic> {
    crate::render::output::remove_stale(target)
        .into_iter()
        .map(|(dir, result)| match result {
            Ok(()) => Diagnostic::error(
                "gammalt-bygge",
                &dir,
                Pos::default(),
                "tog bort en byggmapp som ett avbrutet bygge lämnat kvar",
            )
            .with_severity(Severity::Notis),
            Err(e) => Diagnostic::error(
                "gammalt-bygge",
                &dir,
                Pos::default(),
                format!("kan inte ta bort en byggmapp som ett avbrutet bygge lämnat kvar: {e}"),
            )
            .with_severity(Severity::Varning)
            .with_hint("ta bort mappen för hand"),
        })
        .collect()
}

/// The failure with the write errors' root causes first: one line for each kind of cause.
fn fail_with_causes(
    mut diagnostics: Vec<Diagnostic>,
    output: &Path,
    io_failures: Vec<(PathBuf, std::io::Error)>,
) -> BuildFailure {
    let causes = summarise_io_errors(output, io_failures);
    diagnostics.splice(0..0, causes);
    BuildFailure { diagnostics }
}

/// What a write failure means, in the user's words, and what to do about it.
fn io_cause(e: &std::io::Error) -> (String, &'static str) {
    use std::io::ErrorKind;
    match e.kind() {
        ErrorKind::StorageFull => (
            format!("disken är full ({e})"),
            "frigör utrymme på disken där utdatamappen ligger, eller välj en utdatamapp på en annan disk med --utdata",
        ),
        ErrorKind::QuotaExceeded => (
            format!("diskkvoten är slut ({e})"),
            "frigör utrymme inom kvoten, eller välj en annan utdatamapp med --utdata",
        ),
        ErrorKind::PermissionDenied => (
            format!("åtkomst nekad ({e})"),
            "ge användaren skrivrätt till utdatamappen och mappen den ligger i, eller välj en annan med --utdata",
        ),
        ErrorKind::ReadOnlyFilesystem => (
            format!("filsystemet är skrivskyddat ({e})"),
            "välj en utdatamapp på ett skrivbart filsystem med --utdata",
        ),
        _ => (
            e.to_string(),
            "kontrollera att utdatamappen går att skriva till",
        ),
    }
}

/// One diagnostic per cause of the write failures, the most frequent first: the first file
/// named and the others counted ("… och 95 999 filer till kunde inte skrivas av samma orsak").
pub fn summarise_io_errors(
    output: &Path,
    mut failures: Vec<(PathBuf, std::io::Error)>,
) -> Vec<Diagnostic> {
    failures.sort_by(|a, b| a.0.cmp(&b.0));
    // Same cause: the same OS error, or for errors without one the same kind.
    let mut groups: Vec<(String, Vec<(PathBuf, std::io::Error)>)> = Vec::new();
    for (path, e) in failures {
        let key = match e.raw_os_error() {
            Some(code) => format!("os {code}"),
            None => format!("{:?}", e.kind()),
        };
        match groups.iter_mut().find(|(k, _)| *k == key) {
            Some((_, list)) => list.push((path, e)),
            None => groups.push((key, vec![(path, e)])),
        }
    }
    groups.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then_with(|| a.0.cmp(&b.0)));
    groups
        .into_iter()
        .filter_map(|(_, list)| {
            let more = list.len() - 1;
            let (first, e) = list.into_iter().next()?;
            let (cause, hint) = io_cause(&e);
            let mut message = format!(
                "kan inte skriva webbplatsen: {cause}, vid {}",
                first.display()
            );
            if more > 0 {
                message.push_str(&format!(
                    ", och {} {} till kunde inte skrivas av samma orsak",
                    crate::sv::thousands(more),
                    if more == 1 { "fil" } else { "filer" }
                ));
            }
            Some(
                Diagnostic::error("skriva", output, Pos::default(), message)
                    .with_hint(format!("{hint}; den tidigare webbplatsen är orörd")),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn many_write_failures_of_one_cause_are_one_line_naming_it() {
        let out = Path::new("/srv/public");
        let mut failures: Vec<(PathBuf, std::io::Error)> = (0..96_000)
            .map(|i| {
                (
                    out.join(format!("f{i:05}/index.html")),
                    std::io::Error::from_raw_os_error(28),
                )
            })
            .collect();
        failures.push((
            out.join("sok/x.json"),
            std::io::Error::from_raw_os_error(13),
        ));
        let summary = summarise_io_errors(out, failures);
        assert_eq!(summary.len(), 2, "{summary:#?}");
        let first = &summary[0].message;
        assert!(first.contains("disken är full"), "{first}");
        assert!(first.contains("/srv/public/f00000/index.html"), "{first}");
        assert!(
            first.contains("och 95 999 filer till kunde inte skrivas av samma orsak"),
            "{first}"
        );
        assert!(summary[1].message.contains("åtkomst nekad"), "{summary:#?}");
        assert!(!summary[1].message.contains("till kunde"), "{summary:#?}");
        assert_eq!(summary[0].file, out);
    }
}
