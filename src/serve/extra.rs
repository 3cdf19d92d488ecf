//! The place for dynamic routes of `protokoll serve`, such as the server search `/sok` of the
//! search issue.
//!
//! [`route_extra`] is asked first for every GET or HEAD request under the site's base path,
//! before a static file is looked up. Return `Some(reply)` to answer the request, `None` to let
//! the static site answer. It runs on one of the server's worker threads; keep it quick or hand
//! the work to a pool of your own. Requests for the search routes ([`is_search_route`]) come
//! here from the server's search threads instead, one per core, taken in arrival order.
//!
//! What the server does around it, so a route need not:
//! - HTML replies (`text/html`) get the live-reload script and, after a failed rebuild, the error
//!   panel injected, like static pages.
//! - Security headers ([`super::security_headers`]) are added unless the reply sets its own
//!   header of the same name.
//! - HEAD requests get the headers without the body.
//!
//! The search routes are the only ones: `<base>sok/` (the theme's search page rendered with the
//! results, for readers without JavaScript; [`crate::search::page`]) and `<base>sok/svar.json`,
//! answered by
//! [`SearchService`] over the index of the last good build. `ctx.generation` changes with every
//! rebuild, so the opened index is kept per generation.

use crate::search::http::SearchService;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// What a route sees of the server.
#[derive(Debug, Clone, Copy)]
pub struct ExtraContext<'a> {
    /// The folder of the last good build (the site's output folder).
    pub output: &'a Path,
    /// The site's base path, starting and ending with `/` (e.g. `/finsam/`).
    pub base: &'a str,
    /// Increases with every rebuild, good or failed.
    pub generation: u64,
}

/// A response from a route.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    pub status: u16,
    pub content_type: String,
    pub body: Vec<u8>,
    /// Extra headers, e.g. `("Cache-Control", "no-store")`.
    pub headers: Vec<(String, String)>,
}

impl Reply {
    pub fn new(status: u16, content_type: &str, body: impl Into<Vec<u8>>) -> Self {
        Reply {
            status,
            content_type: content_type.to_string(),
            body: body.into(),
            headers: Vec::new(),
        }
    }

    pub fn html(status: u16, body: impl Into<Vec<u8>>) -> Self {
        Reply::new(status, "text/html; charset=utf-8", body)
    }

    pub fn json(status: u16, body: impl Into<Vec<u8>>) -> Self {
        Reply::new(status, "application/json", body)
    }

    pub fn with_header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_string(), value.to_string()));
        self
    }
}

/// The search service of the last good build, opened once per build generation: opening reads
/// the unit facts and compiles the search page's templates, which is too slow to do for every
/// request.
static SEARCH: Mutex<Option<(u64, PathBuf, Arc<SearchService>)>> = Mutex::new(None);

fn search_service(ctx: &ExtraContext) -> Option<Arc<SearchService>> {
    let mut slot = SEARCH.lock().unwrap_or_else(|e| e.into_inner());
    if let Some((generation, output, service)) = slot.as_ref()
        && *generation == ctx.generation
        && output == ctx.output
    {
        return Some(Arc::clone(service));
    }
    // A site built without a search index (or one being replaced) falls back to the static page.
    let service = Arc::new(SearchService::open(ctx.output, ctx.base).ok()?);
    *slot = Some((
        ctx.generation,
        ctx.output.to_path_buf(),
        Arc::clone(&service),
    ));
    Some(service)
}

/// Whether `path` (without the query string) is one of the search routes under `base`.
pub fn is_search_route(base: &str, path: &str) -> bool {
    path.strip_prefix(base)
        .is_some_and(|rest| matches!(rest, "sok" | "sok/" | "sok/index.html" | "sok/svar.json"))
}

/// Dynamic routes. `path` is the request path (still percent-encoded), `query` the raw query
/// string without `?` (empty when there is none). The search routes `<base>sok/?q=…` (results as
/// plain HTML) and `<base>sok/svar.json?q=…` are answered by [`SearchService`]; everything else
/// is left to the static site.
pub fn route_extra(ctx: &ExtraContext, path: &str, query: &str) -> Option<Reply> {
    if !is_search_route(ctx.base, path) {
        return None;
    }
    let service = search_service(ctx)?;
    let response = service.handle(path, query)?;
    Some(Reply::new(
        response.status,
        response.content_type,
        response.body,
    ))
}
