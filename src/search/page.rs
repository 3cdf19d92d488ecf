//! The server's search results page: the theme's `sok.html`, rendered by `protokoll serve` for
//! each query with the answer as `svar`, so that a reader without JavaScript gets the hits as
//! plain HTML and a theme that overrides the template changes the server's page as well.
//!
//! The build renders the same template without an answer into `sok/index.html`. What the server
//! needs to render it again — the theme's templates and the page's context (site, head, förbund,
//! years) as the build made them — is written by the build beside the server's index
//! ([`super::index::location`]) as [`FILE`]: the page then always matches the index and the
//! output of the last good build, and the server needs nothing but the output folder.

use super::engine::FacetCount;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

/// The file beside the server's index.
pub const FILE: &str = "sida.json";
/// The template of the search page.
pub const TEMPLATE: &str = "sok.html";

/// What the server needs to render the search page.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Kit {
    /// The theme's templates by name (the site's own overrides included).
    pub templates: BTreeMap<String, String>,
    /// The page's context without `svar`.
    pub context: serde_json::Value,
}

impl Kit {
    /// Writes the kit into the index folder `dir` (written whole, then renamed into place).
    pub fn store(&self, dir: &Path) -> std::io::Result<()> {
        std::fs::create_dir_all(dir)?;
        let tmp = dir.join(format!(".{FILE}.tmp"));
        std::fs::write(&tmp, serde_json::to_vec(self)?)?;
        std::fs::rename(&tmp, dir.join(FILE))
    }

    /// The kit in the index folder `dir`, if a build wrote one.
    pub fn load(dir: &Path) -> std::io::Result<Kit> {
        let bytes = std::fs::read(dir.join(FILE))?;
        Ok(serde_json::from_slice(&bytes)?)
    }
}

/// The search page, ready to render answers.
pub struct SearchPage {
    tera: tera::Tera,
    context: tera::Context,
}

impl SearchPage {
    pub fn new(kit: &Kit) -> Result<SearchPage, String> {
        let tera = crate::render::theme::engine(
            kit.templates.iter().map(|(k, t)| (k.as_str(), t.as_str())),
        )
        .map_err(|e| e.to_string())?;
        let context = tera::Context::from_serialize(&kit.context).map_err(|e| e.to_string())?;
        Ok(SearchPage { tera, context })
    }

    /// The page with `answer` as `svar`.
    pub fn render(&self, answer: &Answer) -> Result<String, String> {
        let mut context = self.context.clone();
        context.insert("svar", answer);
        self.tera.render(TEMPLATE, &context).map_err(|e| {
            let mut message = e.to_string();
            let mut source = std::error::Error::source(&e);
            while let Some(s) = source {
                message.push_str(": ");
                message.push_str(&s.to_string());
                source = s.source();
            }
            message
        })
    }
}

/// The answer the template gets as `svar`. Every address in it is a search page address that
/// works without JavaScript; every text is plain (the template escapes it) except
/// [`Hit::excerpt`], which is escaped HTML with the matching words in `<mark>`.
#[derive(Debug, Clone, Serialize, Default)]
pub struct Answer {
    /// The text in the search box.
    pub query: String,
    /// The filters as the form sends them, to show them chosen.
    pub filters: FormFilters,
    /// The line over the results: counts, "Menade du …", the date read from the query, or what
    /// was wrong with the request.
    pub status: String,
    /// The request could not be answered (a filter that is not a year or a date).
    pub error: bool,
    /// Whether anything was searched for: false for an empty form.
    pub searched: bool,
    pub hits: Vec<Hit>,
    pub total: usize,
    /// Units meeting every word.
    pub complete: usize,
    /// The corrected query, as a link: "Menade du …".
    pub suggestion: Option<LinkCount>,
    /// When nothing is found: the same search without each chosen filter, with its count.
    pub nearest: Vec<LinkCount>,
    /// Links that narrow the search, with counts.
    pub facets: FacetLinks,
    pub pages: Pages,
}

impl Answer {
    /// An answer with every field filled, for rendering a theme's template once at build time:
    /// a mistake in the part only the server renders is then the build's error, at its file.
    pub fn sample(base: &str) -> Answer {
        let search = format!("{base}sok/?q=budget");
        let link = |label: &str, count| LinkCount {
            label: label.into(),
            count,
            url: search.clone(),
            current: false,
        };
        Answer {
            query: "budget".into(),
            filters: FormFilters {
                ar: "2025".into(),
                beslut: true,
                ..FormFilters::default()
            },
            status: "12 träffar för ”budget”.".into(),
            error: false,
            searched: true,
            hits: vec![Hit {
                id: "forbund/2025-03-11#p1".into(),
                url: format!("{base}forbund/protokoll/2025-03-11/#p1"),
                heading: "§ 1 Budget".into(),
                forbund_name: "Förbundet".into(),
                kind: "protokoll".into(),
                date: chrono::NaiveDate::from_ymd_opt(2025, 3, 11).map(Into::into),
                document: "Styrelsen 11 mars 2025".into(),
                has_decision: true,
                excerpt: "<mark>Budget</mark> för året".into(),
            }],
            total: 12,
            complete: 12,
            suggestion: Some(link("budget", 12)),
            nearest: vec![link("utan valet av år", 3)],
            facets: FacetLinks {
                forbund: vec![link("Förbundet", 12)],
                year: vec![link("2025", 12)],
                kind: vec![link("Protokoll", 12)],
                decisions: Some(link("Bara paragrafer med beslut", 4)),
            },
            pages: Pages {
                first: 11,
                last: 11,
                previous: Some(search.clone()),
                next: Some(search.clone()),
            },
        }
    }
}

/// The form's values.
#[derive(Debug, Clone, Serialize, Default)]
pub struct FormFilters {
    pub forbund: String,
    pub ar: String,
    pub typ: String,
    pub beslut: bool,
    pub fran: String,
    pub till: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    pub id: String,
    pub url: String,
    /// "§ 16 Budget 2025", or a plan section's title.
    pub heading: String,
    pub forbund_name: String,
    pub kind: String,
    pub date: Option<crate::render::views::DateView>,
    pub document: String,
    pub has_decision: bool,
    pub excerpt: String,
}

/// A text with a count and the address that shows it.
#[derive(Debug, Clone, Serialize)]
pub struct LinkCount {
    pub label: String,
    pub count: usize,
    pub url: String,
    /// The value is already chosen.
    pub current: bool,
}

#[derive(Debug, Clone, Serialize, Default)]
pub struct FacetLinks {
    pub forbund: Vec<LinkCount>,
    pub year: Vec<LinkCount>,
    pub kind: Vec<LinkCount>,
    /// Only §§ with decisions.
    pub decisions: Option<LinkCount>,
}

impl FacetLinks {
    pub fn group(counts: &[FacetCount], link: impl Fn(&str) -> (String, bool)) -> Vec<LinkCount> {
        counts
            .iter()
            .filter(|c| c.count > 0)
            .map(|c| {
                let (url, current) = link(&c.value);
                LinkCount {
                    label: c.label.clone(),
                    count: c.count,
                    url,
                    current,
                }
            })
            .collect()
    }
}

/// Paging through the hits: "Träff 11–20 av 35", earlier and later pages.
#[derive(Debug, Clone, Serialize, Default)]
pub struct Pages {
    /// The first and last hit shown, counted from 1 (0 and 0 when none).
    pub first: usize,
    pub last: usize,
    pub previous: Option<String>,
    pub next: Option<String>,
}
