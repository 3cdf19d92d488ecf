//! `protokoll serve`: a preview server on 127.0.0.1 for the webmaster.
//!
//! It builds the archive like `protokoll build` (into the same output folder), serves that folder
//! under the site's base path, watches `site.toml`, `content/`, `themes/` and `templates/`, and
//! rebuilds shortly after a change (debounced, so a save that touches several files builds
//! once). Open pages reload by themselves: every HTML reply carries a small script that
//! long-polls `/__protokoll/andringar` and reloads when the build generation changes. A failed
//! rebuild leaves the last good site in place (the build is atomic); the server keeps serving it
//! with the diagnostics shown in a panel at the top of every page and in the terminal.
//!
//! Dynamic routes (the search issue's `/sok`) go in [`extra::route_extra`].

pub mod extra;
pub mod files;

use crate::build::{self, BuildOptions};
use crate::diagnostics::{self, Diagnostic, Severity};
use chrono::NaiveDate;
use extra::{ExtraContext, Reply};
use files::Lookup;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

/// Where the server's own files live: outside any site path (a förbund slug cannot start
/// with `_`).
pub const INTERNAL: &str = "/__protokoll/";

/// How long the reload long-poll waits before answering "nothing new".
const POLL_WAIT: Duration = Duration::from_secs(25);

/// How long the files must be quiet before a rebuild.
const DEBOUNCE: Duration = Duration::from_millis(150);

const WORKERS: usize = 8;

const RELOAD_JS: &str = include_str!("reload.js");
const SERVE_CSS: &str = include_str!("serve.css");

#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The archive's folder.
    pub root: PathBuf,
    /// Port on 127.0.0.1; 0 picks a free one.
    pub port: u16,
    /// Build as if it were this day; `None`: today in Sweden, at each rebuild.
    pub today: Option<NaiveDate>,
    /// Overrides `utdata` in site.toml.
    pub output: Option<PathBuf>,
}

#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("mappen `{0}` finns inte")]
    NoRoot(PathBuf),
    #[error("kan inte lyssna på 127.0.0.1:{port}: {message}")]
    Listen { port: u16, message: String },
    #[error("kan inte bevaka ändringar i arkivet: {0}")]
    Watch(String),
    /// The output folder is the sources' or someone else's: nothing is built or served.
    #[error("{0}")]
    Output(String),
}

/// What the server knows about the builds so far.
#[derive(Debug, Default)]
struct State {
    /// Increases with every build, good or failed: open pages reload when it changes.
    generation: u64,
    /// The output folder of the last good build, if any.
    output: Option<PathBuf>,
    /// The site's base path, from the last good build's config.
    base: String,
    /// The errors of the last build; empty when it succeeded.
    errors: Vec<Diagnostic>,
}

struct Shared {
    state: Mutex<State>,
    changed: Condvar,
    options: ServeOptions,
}

impl Shared {
    fn base(&self) -> String {
        self.state
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .base
            .clone()
    }

    fn snapshot(&self) -> (u64, Option<PathBuf>, String, Vec<Diagnostic>) {
        let s = self.state.lock().unwrap_or_else(|e| e.into_inner());
        (
            s.generation,
            s.output.clone(),
            s.base.clone(),
            s.errors.clone(),
        )
    }
}

/// Builds once; records the result; prints it. Returns whether the build succeeded.
fn rebuild(shared: &Shared) -> bool {
    let o = &shared.options;
    let options = BuildOptions {
        root: o.root.clone(),
        today: o.today.unwrap_or_else(build::today_in_sweden),
        output: o.output.clone(),
        // The terminal shows what changed and the result; a bar would only flicker.
        progress: false,
        // serve compresses nothing: .gz/.br copies would only slow each rebuild down.
        precompress: false,
        full: false,
    };
    let started = std::time::Instant::now();
    let result = build::build(&options);
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let mut state = shared.state.lock().unwrap_or_else(|e| e.into_inner());
    state.generation += 1;
    let ok = match result {
        Ok(report) => {
            state.base = report.base_path.clone();
            state.output = Some(report.output.clone());
            state.errors.clear();
            println!(
                "Byggt {} på {} ms.",
                crate::sv::antal(report.pages, "sida", "sidor"),
                started.elapsed().as_millis()
            );
            true
        }
        Err(failure) => {
            // Where the site lives is known as soon as site.toml reads, even if content fails.
            if let Ok(c) = crate::config::load(&o.root.join("site.toml")) {
                state.base = c.base_path();
            }
            // Only the errors: warnings and notes do not stop the preview (`check` lists them).
            let errors: Vec<Diagnostic> = failure
                .diagnostics
                .into_iter()
                .filter(|d| d.severity == Severity::Fel)
                .collect();
            eprint!("{}", diagnostics::render(&errors, color));
            eprintln!(
                "Bygget misslyckades: {} fel. Den senaste fungerande versionen visas, med felen överst på varje sida.",
                errors.len()
            );
            state.errors = errors;
            false
        }
    };
    let _ = std::io::stdout().flush();
    drop(state);
    shared.changed.notify_all();
    ok
}

/// The paths whose changes trigger a rebuild.
fn watched(root: &Path) -> Vec<(PathBuf, bool)> {
    let mut out = vec![(root.to_path_buf(), false)];
    for dir in ["content", "themes", "templates"] {
        let p = root.join(dir);
        if p.is_dir() {
            out.push((p, true));
        }
    }
    out
}

/// Whether a changed path is input to the build (and not, say, the output folder or an editor's
/// swap file next to site.toml).
fn is_input(root: &Path, path: &Path) -> bool {
    if path == root.join("site.toml") {
        return true;
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    if name.starts_with('.') || name.ends_with('~') || name.ends_with(".swp") {
        return false;
    }
    ["content", "themes", "templates"]
        .iter()
        .any(|d| path.starts_with(root.join(d)))
}

/// Runs the server until the process is stopped.
pub fn run(options: ServeOptions) -> Result<(), ServeError> {
    if !options.root.is_dir() {
        return Err(ServeError::NoRoot(options.root.clone()));
    }
    // Watch an absolute path, so events can be matched whatever the working folder.
    let root = options
        .root
        .canonicalize()
        .unwrap_or_else(|_| options.root.clone());
    let options = ServeOptions {
        root: root.clone(),
        ..options
    };
    // Refused before the first build, so a wrong `--utdata` stops the server instead of showing
    // an error panel over nothing. Each rebuild checks again (site.toml may change).
    if let Ok(config) = crate::config::load(&root.join("site.toml"))
        && let Err(d) = build::output_folder(&root, &config, options.output.as_deref())
    {
        return Err(ServeError::Output(d.to_string()));
    }
    let port = options.port;
    let shared = Arc::new(Shared {
        state: Mutex::new(State {
            base: "/".into(),
            ..State::default()
        }),
        changed: Condvar::new(),
        options,
    });
    rebuild(&shared);

    let (tx, rx) = std::sync::mpsc::channel();
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        let _ = tx.send(event);
    })
    .map_err(|e| ServeError::Watch(e.to_string()))?;
    for (path, recursive) in watched(&root) {
        use notify::Watcher;
        let mode = if recursive {
            notify::RecursiveMode::Recursive
        } else {
            notify::RecursiveMode::NonRecursive
        };
        watcher
            .watch(&path, mode)
            .map_err(|e| ServeError::Watch(format!("{}: {e}", path.display())))?;
    }
    let builder = Arc::clone(&shared);
    std::thread::spawn(move || {
        // Keep the watcher alive as long as the builder runs.
        let _watcher = watcher;
        let relevant = |event: &notify::Event| -> Vec<PathBuf> {
            // Reading files (the build itself does) must not trigger a build: only writes,
            // creations, renames and removals count.
            use notify::EventKind;
            match event.kind {
                EventKind::Create(_) | EventKind::Remove(_) => {}
                EventKind::Modify(m) if !matches!(m, notify::event::ModifyKind::Metadata(_)) => {}
                _ => return Vec::new(),
            }
            event
                .paths
                .iter()
                .filter(|p| is_input(&builder.options.root, p))
                .cloned()
                .collect()
        };
        while let Ok(first) = rx.recv() {
            let mut changed: Vec<PathBuf> = first.map(|e| relevant(&e)).unwrap_or_default();
            if changed.is_empty() {
                continue;
            }
            // Debounce: gather what else arrives until the files have been quiet a moment, so
            // an editor's save (write, rename, attribute change) builds once.
            while let Ok(next) = rx.recv_timeout(DEBOUNCE) {
                if let Ok(e) = next {
                    changed.extend(relevant(&e));
                }
            }
            changed.sort();
            changed.dedup();
            println!(
                "Ändrat: {}",
                changed
                    .iter()
                    .map(|p| p
                        .strip_prefix(&builder.options.root)
                        .unwrap_or(p)
                        .display()
                        .to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            );
            rebuild(&builder);
        }
    });

    let server = listen(port)
        .map_err(|e| e.to_string())
        .and_then(|l| tiny_http::Server::from_listener(l, None).map_err(|e| e.to_string()))
        .map_err(|message| ServeError::Listen { port, message })?;
    let actual = server.server_addr().to_ip().map_or(port, |a| a.port());
    let base = shared.snapshot().2;
    println!("Förhandsvisning: http://127.0.0.1:{actual}{base} (Ctrl+C avslutar)");
    let _ = std::io::stdout().flush();

    let server = Arc::new(server);
    let mut workers = Vec::new();
    // Searches are pure computation: one thread per core answers them, in the order they came,
    // so that under load each answer waits for those before it instead of sharing the cores
    // with all of them (which made every answer as slow as the slowest; BENCHMARKS.md, server
    // search). Files and everything else stay on the workers.
    let (searches, queued) = std::sync::mpsc::channel::<tiny_http::Request>();
    let queued = Arc::new(Mutex::new(queued));
    for _ in 0..std::thread::available_parallelism().map_or(1, usize::from) {
        let queued = Arc::clone(&queued);
        let shared = Arc::clone(&shared);
        workers.push(std::thread::spawn(move || {
            loop {
                let next = queued.lock().unwrap_or_else(|e| e.into_inner()).recv();
                let Ok(request) = next else { break };
                handle(&shared, request);
            }
        }));
    }
    for _ in 0..WORKERS {
        let server = Arc::clone(&server);
        let shared = Arc::clone(&shared);
        let searches = searches.clone();
        workers.push(std::thread::spawn(move || {
            while let Ok(request) = server.recv() {
                let base = shared.base();
                let path = request.url().split('?').next().unwrap_or_default();
                if !extra::is_search_route(&base, path) {
                    handle(&shared, request);
                } else if let Err(std::sync::mpsc::SendError(request)) = searches.send(request) {
                    handle(&shared, request);
                }
            }
        }));
    }
    drop(searches);
    for w in workers {
        let _ = w.join();
    }
    Ok(())
}

/// The listening socket on 127.0.0.1. With TCP_NODELAY, which Linux passes on to every accepted
/// connection: tiny_http writes a response in pieces, and with Nagle's algorithm the last piece
/// waited for the client's delayed ACK, about 40 ms per request (seen in the load run,
/// scripts/load and BENCHMARKS.md).
fn listen(port: u16) -> std::io::Result<std::net::TcpListener> {
    use socket2::{Domain, Protocol, Socket, Type};
    let socket = Socket::new(Domain::IPV4, Type::STREAM, Some(Protocol::TCP))?;
    socket.set_reuse_address(true)?;
    socket.set_tcp_nodelay(true)?;
    socket.bind(&std::net::SocketAddr::from(([127, 0, 0, 1], port)).into())?;
    socket.listen(1024)?;
    Ok(socket.into())
}

/// Security headers for a path of the site: those of [`crate::security::headers_for`], the one
/// place that defines them (docs/deploy.md shows them for nginx and Apache). The embed pages
/// (`/<förbund>/inbaddning/`) may be framed by any site (`frame-ancestors *`); every other page
/// only by the archive itself. The policy allows no inline script or style: the theme has none,
/// and the reload script this server adds is a file of its own.
pub fn security_headers(path: &str) -> Vec<(&'static str, String)> {
    crate::security::headers_for(path)
        .into_iter()
        .map(|(name, value)| (name, value.to_string()))
        .collect()
}

fn escape_html(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The error panel: every error of the last build, with file, line and column.
fn error_panel(errors: &[Diagnostic], showing_previous: bool) -> String {
    let mut s = String::from(
        "<div class=\"protokoll-fel\" role=\"alert\" aria-labelledby=\"protokoll-fel-rubrik\">\n<h2 id=\"protokoll-fel-rubrik\">Bygget misslyckades</h2>\n",
    );
    s.push_str(if showing_previous {
        "<p>Sidan nedan är den senaste fungerande versionen. Rätta felen så byggs webbplatsen om av sig själv.</p>\n"
    } else {
        "<p>Webbplatsen har inte kunnat byggas ännu. Rätta felen så byggs den om av sig själv.</p>\n"
    });
    s.push_str("<ul>\n");
    for d in errors {
        s.push_str(&format!(
            "<li><code>{}</code> [{}] {}{}</li>\n",
            escape_html(&d.location()),
            escape_html(&d.code),
            escape_html(&d.message),
            d.hint
                .as_ref()
                .map(|h| format!("<br><span class=\"tips\">tips: {}</span>", escape_html(h)))
                .unwrap_or_default()
        ));
    }
    s.push_str("</ul>\n</div>\n");
    s
}

/// Adds the reload script (and the error panel after a failed rebuild) to an HTML page.
fn inject(html: &str, generation: u64, errors: &[Diagnostic]) -> String {
    let mut out = html.to_string();
    let script = format!(
        "<script src=\"{INTERNAL}reload.js\" data-generation=\"{generation}\" defer></script>\n"
    );
    match out.rfind("</body>") {
        Some(i) => out.insert_str(i, &script),
        None => out.push_str(&script),
    }
    if !errors.is_empty() {
        let style = format!("<link rel=\"stylesheet\" href=\"{INTERNAL}serve.css\">\n");
        if let Some(i) = out.find("</head>") {
            out.insert_str(i, &style);
        }
        let panel = error_panel(errors, true);
        let at = out
            .find("<body")
            .and_then(|b| out[b..].find('>').map(|e| b + e + 1));
        match at {
            Some(i) => out.insert_str(i, &format!("\n{panel}")),
            None => out.insert_str(0, &panel),
        }
    }
    out
}

/// The page shown when no build has succeeded yet.
fn error_page(errors: &[Diagnostic], generation: u64) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"sv\">\n<head>\n<meta charset=\"utf-8\">\n<title>Bygget misslyckades</title>\n<link rel=\"stylesheet\" href=\"{INTERNAL}serve.css\">\n</head>\n<body>\n<main>\n{}</main>\n<script src=\"{INTERNAL}reload.js\" data-generation=\"{generation}\" defer></script>\n</body>\n</html>\n",
        error_panel(errors, false)
    )
}

fn header(name: &str, value: &str) -> Option<tiny_http::Header> {
    tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes()).ok()
}

/// Sends a reply, adding the security headers and leaving the body off for HEAD.
fn send(request: tiny_http::Request, path: &str, reply: Reply) {
    let head = *request.method() == tiny_http::Method::Head;
    let length = reply.body.len();
    let body = if head { Vec::new() } else { reply.body };
    let mut response = tiny_http::Response::from_data(body).with_status_code(reply.status);
    let mut names: Vec<String> = reply
        .headers
        .iter()
        .map(|(n, _)| n.to_ascii_lowercase())
        .collect();
    if let Some(h) = header("Content-Type", &reply.content_type) {
        response.add_header(h);
    }
    for (name, value) in &reply.headers {
        if let Some(h) = header(name, value) {
            response.add_header(h);
        }
    }
    for (name, value) in security_headers(path) {
        if !names.contains(&name.to_ascii_lowercase())
            && let Some(h) = header(name, &value)
        {
            response.add_header(h);
            names.push(name.to_ascii_lowercase());
        }
    }
    if head {
        // HEAD tells the length the GET would have.
        if let Some(h) = header("Content-Length", &length.to_string()) {
            response.add_header(h);
        }
    }
    let _ = request.respond(response);
}

fn text(status: u16, message: &str) -> Reply {
    Reply::new(
        status,
        "text/plain; charset=utf-8",
        message.as_bytes().to_vec(),
    )
}

/// The longest request target served. The site's own addresses are far shorter; a longer one
/// (an oversized query, a path of 100 000 characters) gets 414 before it is looked at.
const MAX_TARGET: usize = 8 * 1024;

/// The largest request header served, all fields together.
const MAX_HEADERS: usize = 32 * 1024;

fn handle(shared: &Arc<Shared>, request: tiny_http::Request) {
    let url = request.url().to_string();
    if url.len() > MAX_TARGET {
        let reply = text(414, "Adressen är för lång.\n");
        return send(request, "/", reply);
    }
    // tiny_http has read the header already (the server listens on 127.0.0.1 only); a header
    // far beyond any browser's is refused rather than looked at.
    let header_bytes: usize = request
        .headers()
        .iter()
        .map(|h| h.field.as_str().as_str().len() + h.value.as_str().len() + 4)
        .sum();
    if header_bytes > MAX_HEADERS {
        let reply = text(431, "Förfrågans rubriker är för stora.\n");
        return send(request, "/", reply);
    }
    let (path, query) = url.split_once('?').unwrap_or((url.as_str(), ""));
    let path = path.to_string();
    let query = query.to_string();
    match request.method() {
        tiny_http::Method::Get | tiny_http::Method::Head => {}
        _ => {
            let reply = text(405, "Metoden stöds inte.\n").with_header("Allow", "GET, HEAD");
            return send(request, &path, reply);
        }
    }
    if let Some(internal) = path.strip_prefix(INTERNAL) {
        return internal_route(shared, request, internal, &query);
    }
    let (generation, output, base, errors) = shared.snapshot();
    let Some(output) = output else {
        let reply = Reply::html(500, error_page(&errors, generation));
        return send(request, &path, reply);
    };
    if path == "/" && base != "/" {
        let reply = text(302, "").with_header("Location", &base);
        return send(request, &path, reply);
    }
    let ctx = ExtraContext {
        output: &output,
        base: &base,
        generation,
    };
    let range = request
        .headers()
        .iter()
        .find(|h| h.field.equiv("Range"))
        .map(|h| h.value.as_str().to_string());
    let reply = match extra::route_extra(&ctx, &path, &query) {
        Some(reply) => reply,
        None => static_reply(&output, &base, &path, range.as_deref()),
    };
    let reply = if reply.content_type.starts_with("text/html") {
        let html = String::from_utf8_lossy(&reply.body);
        Reply {
            body: inject(&html, generation, &errors).into_bytes(),
            ..reply
        }
    } else {
        reply
    };
    send(
        request,
        &path,
        reply.with_header("Cache-Control", "no-cache"),
    )
}

/// A file of the site, or the part of it that `range` (the `Range` header) asks for: a web host
/// answers ranges, and the search on a static host reads its index in ranges of a few KB. Pages
/// are always sent whole (the reload script goes into them).
fn static_reply(output: &Path, base: &str, path: &str, range: Option<&str>) -> Reply {
    match files::lookup(output, base, path) {
        Lookup::File(file) => match std::fs::read(&file) {
            Ok(bytes) => {
                let kind = files::content_type(&file);
                let len = bytes.len();
                let cut = range
                    .filter(|_| !kind.starts_with("text/html"))
                    .and_then(|r| files::byte_range(r, len));
                let reply = match cut {
                    None => Reply::new(200, kind, bytes),
                    Some(Ok((a, b))) => Reply::new(206, kind, bytes[a..b].to_vec())
                        .with_header("Content-Range", &format!("bytes {a}-{}/{len}", b - 1)),
                    Some(Err(())) => Reply::new(416, kind, Vec::new())
                        .with_header("Content-Range", &format!("bytes */{len}")),
                };
                let reply = if kind.starts_with("text/html") {
                    reply
                } else {
                    reply.with_header("Accept-Ranges", "bytes")
                };
                // Feeds, data and calendars are for other sites' scripts too (docs/embed.md).
                if kind.starts_with("application/json")
                    || kind.starts_with("application/atom+xml")
                    || kind.starts_with("application/xml")
                    || kind.starts_with("text/calendar")
                {
                    reply.with_header("Access-Control-Allow-Origin", "*")
                } else {
                    reply
                }
            }
            Err(_) => not_found(output),
        },
        Lookup::Redirect(to) => text(301, "").with_header("Location", &to),
        Lookup::Missing => not_found(output),
        Lookup::Refused => text(400, "Ogiltig adress.\n"),
    }
}

fn not_found(output: &Path) -> Reply {
    match std::fs::read(output.join("404.html")) {
        Ok(bytes) => Reply::html(404, bytes),
        Err(_) => text(404, "Sidan finns inte.\n"),
    }
}

fn internal_route(shared: &Arc<Shared>, request: tiny_http::Request, name: &str, query: &str) {
    let path = format!("{INTERNAL}{name}");
    match name {
        "reload.js" => send(
            request,
            &path,
            Reply::new(200, "text/javascript; charset=utf-8", RELOAD_JS),
        ),
        "serve.css" => send(
            request,
            &path,
            Reply::new(200, "text/css; charset=utf-8", SERVE_CSS),
        ),
        "andringar" => {
            let seen: Option<u64> = query
                .split('&')
                .find_map(|kv| kv.strip_prefix("generation="))
                .and_then(|v| v.parse().ok());
            // A long wait must not hold up a worker: it gets a thread of its own.
            let shared = Arc::clone(shared);
            std::thread::spawn(move || {
                let state = shared.state.lock().unwrap_or_else(|e| e.into_inner());
                let (state, _) = shared
                    .changed
                    .wait_timeout_while(state, POLL_WAIT, |s| Some(s.generation) == seen)
                    .unwrap_or_else(|e| e.into_inner());
                let body = format!(
                    "{{\"generation\":{},\"errors\":{}}}",
                    state.generation,
                    state.errors.len()
                );
                drop(state);
                send(
                    request,
                    &path,
                    Reply::json(200, body).with_header("Cache-Control", "no-store"),
                );
            });
        }
        "fel" => {
            let (generation, _, _, errors) = shared.snapshot();
            send(
                request,
                &path,
                Reply::html(200, error_page(&errors, generation)),
            );
        }
        _ => send(request, &path, text(404, "Finns inte.\n")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Pos;

    #[test]
    fn injection_adds_script_and_error_panel_in_place() {
        let html = "<!DOCTYPE html><html><head><title>x</title></head><body class=\"a\"><p>gammal</p></body></html>";
        let d = Diagnostic::error(
            "yaml",
            Path::new("content/a/protokoll/2025-03-11.md"),
            Pos { line: 3, column: 5 },
            "okänd nyckel `<x>`",
        );
        let out = inject(html, 7, &[d]);
        assert!(out.contains("<body class=\"a\">\n<div class=\"protokoll-fel\""));
        assert!(out.contains("content/a/protokoll/2025-03-11.md:3:5"));
        assert!(out.contains("okänd nyckel `&lt;x&gt;`"));
        assert!(out.contains("<p>gammal</p>"));
        assert!(out.contains("data-generation=\"7\" defer></script>\n</body>"));
        assert!(out.contains("serve.css\">\n</head>"));
        let clean = inject(html, 1, &[]);
        assert!(!clean.contains("protokoll-fel"));
    }

    #[test]
    fn only_the_embed_may_be_framed_by_others() {
        let embed = security_headers("/finsam/soderasen/inbaddning/");
        let csp = &embed[0].1;
        assert!(csp.ends_with("frame-ancestors *"), "{csp}");
        assert!(!embed.iter().any(|(n, _)| *n == "X-Frame-Options"));
        let page = security_headers("/finsam/soderasen/");
        assert!(page[0].1.ends_with("frame-ancestors 'self'"));
        assert!(page.iter().any(|(n, _)| *n == "X-Frame-Options"));
    }
}
