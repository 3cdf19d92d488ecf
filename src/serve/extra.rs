//! The place for dynamic routes of `protokoll serve`, such as the server search `/sok` of the
//! search issue.
//!
//! [`route_extra`] is asked first for every GET or HEAD request under the site's base path,
//! before a static file is looked up. Return `Some(reply)` to answer the request, `None` to let
//! the static site answer. It runs on one of the server's worker threads; keep it quick or hand
//! the work to a pool of your own.
//!
//! What the server does around it, so a route need not:
//! - HTML replies (`text/html`) get the live-reload script and, after a failed rebuild, the error
//!   panel injected, like static pages.
//! - Security headers ([`super::security_headers`]) are added unless the reply sets its own
//!   header of the same name.
//! - HEAD requests get the headers without the body.
//!
//! To add `/sok`: match `path == format!("{}sok", ctx.base)` (or `…sok/`), read `query` (the raw
//! query string after `?`, still percent-encoded: decode with [`super::files::percent_decode`]
//! after turning `+` into a space), open the index from `ctx.output` (the last good build), and
//! return a [`Reply`]. `ctx.generation` changes with every rebuild, so an open index can be
//! cached per generation.

use std::path::Path;

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

/// Dynamic routes. `path` is the request path (still percent-encoded), `query` the raw query
/// string without `?` (empty when there is none). No route exists yet: the search issue adds
/// `/sok` here.
pub fn route_extra(ctx: &ExtraContext, path: &str, query: &str) -> Option<Reply> {
    let _ = (ctx, path, query);
    None
}
