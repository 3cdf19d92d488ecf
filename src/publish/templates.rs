//! The theme's templates for what is not a page: Atom feeds (`atom.xml`), the sitemap
//! (`sitemap.xml`, `sitemap_index.xml`) and `robots.txt`. A site overrides them like any page
//! template (`templates/atom.xml` in the archive, or a theme's own). The template engine escapes
//! values for XML in the `.xml` templates; control characters, which XML 1.0 forbids, are taken
//! out of the values before they reach it.

use crate::diagnostics::Diagnostic;
use crate::model::Pos;
use crate::render::theme::{DEFAULT_THEME, Theme};
use serde::Serialize;
use std::sync::OnceLock;

pub const ATOM: &str = "atom.xml";
pub const SITEMAP: &str = "sitemap.xml";
pub const SITEMAP_INDEX: &str = "sitemap_index.xml";
pub const ROBOTS: &str = "robots.txt";
pub const ALL: [&str; 4] = [ATOM, SITEMAP, SITEMAP_INDEX, ROBOTS];

/// Text fit for XML 1.0: control characters other than tab and line breaks removed.
pub fn xml_text(s: &str) -> String {
    s.chars()
        .filter(|&c| (c as u32) >= 0x20 || matches!(c, '\n' | '\t' | '\r'))
        .collect()
}

/// The compiled-in templates alone: what a theme falls back to, and what tests render.
fn default_tera() -> &'static tera::Tera {
    static TERA: OnceLock<tera::Tera> = OnceLock::new();
    TERA.get_or_init(|| {
        let mut tera = tera::Tera::new();
        tera.add_raw_templates(DEFAULT_THEME.iter().filter_map(|(file, text)| {
            let name = file.strip_prefix("templates/")?;
            ALL.contains(&name).then_some((name, *text))
        }))
        .expect("the default theme's feed and sitemap templates parse");
        tera
    })
}

/// Renders `template` with `value` as its context, through the site's theme when there is one.
/// A theme template that fails at this point (its syntax and names were checked when the theme
/// was loaded, see [`check`]) falls back to the default one, with a warning on stderr, so that a
/// feed is never left empty.
pub fn render(theme: Option<&Theme>, template: &str, value: &impl Serialize) -> String {
    let context = match tera::Context::from_serialize(value) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("varning: {template}: {e}");
            tera::Context::new()
        }
    };
    if let Some(theme) = theme.filter(|t| t.origin(template).is_some()) {
        match theme.render(template, &context) {
            Ok(text) => return text,
            Err(e) => eprintln!(
                "varning: mallen {template} gick inte att använda ({e}); standardmallen används"
            ),
        }
    }
    default_tera()
        .render(template, &context)
        .unwrap_or_else(|e| panic!("the default {template} renders: {e}"))
}

#[derive(Serialize)]
struct Sample {
    feed: super::feeds::FeedView,
    urls: Vec<String>,
    parts: Vec<String>,
    site_title: String,
    sitemap: String,
}

/// Renders each of these templates of `theme` with sample values, so that a mistake in a site's
/// own `atom.xml` or `robots.txt` is an error of the build, at the template's file.
pub fn check(theme: &Theme) -> Vec<Diagnostic> {
    let sample = Sample {
        feed: super::feeds::FeedView::sample(),
        urls: vec!["https://example.se/a/".into()],
        parts: vec!["https://example.se/sitemap-1.xml".into()],
        site_title: "Exempel".into(),
        sitemap: "https://example.se/sitemap.xml".into(),
    };
    let Ok(context) = tera::Context::from_serialize(&sample) else {
        return Vec::new();
    };
    ALL.iter()
        // A theme of its own without these templates uses the default ones.
        .filter(|t| theme.origin(t).is_some())
        .filter_map(|t| {
            let e = theme.render(t, &context).err()?;
            let file = theme
                .origin(t)
                .map(std::path::Path::to_path_buf)
                .unwrap_or_else(|| std::path::PathBuf::from(t));
            Some(Diagnostic::error(
                "mall",
                &file,
                Pos::default(),
                format!("mallen {t} går inte att använda: {e}"),
            ))
        })
        .collect()
}
