//! `protokoll serve` (issue 7, Done when 3): started on a free loopback port on a temporary copy
//! of the example archive, it shows an edited protocol once it has rebuilt (how fast is a
//! benchmark, BENCHMARKS.md; here only a bound against a hang), keeps serving the previous
//! page with the error listed when the YAML breaks, and serves files safely (no traversal in any
//! spelling, right Content-Type, 404 page, framing allowed only for the embed). Search (issue 5)
//! answers `/sok/` as plain HTML and `/sok/svar.json` as JSON, under any base path.

mod common;

use common::*;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// The server process; killed when the test ends, however it ends.
struct Server {
    child: Child,
    port: u16,
    /// What the server printed, line by line (stdout and stderr), as it prints it.
    lines: mpsc::Receiver<String>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(site: &Path) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_protokoll"))
        .args(["serve", "--port", "0", "--idag", IDAG, "--rot"])
        .arg(site)
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("protokoll serve starts");
    let (tx, rx) = mpsc::channel();
    for stream in [
        Box::new(child.stdout.take().unwrap()) as Box<dyn Read + Send>,
        Box::new(child.stderr.take().unwrap()),
    ] {
        let tx = tx.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stream).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
    }
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut seen = Vec::new();
    while Instant::now() < deadline {
        let Ok(line) = rx.recv_timeout(Duration::from_millis(100)) else {
            continue;
        };
        if let Some(rest) = line.split("http://127.0.0.1:").nth(1) {
            let port: u16 = rest
                .split('/')
                .next()
                .and_then(|p| p.parse().ok())
                .unwrap_or_else(|| panic!("no port in {line:?}"));
            assert!(
                rest.contains("/finsam/"),
                "the address names the base path: {line}"
            );
            return Server {
                child,
                port,
                lines: rx,
            };
        }
        seen.push(line);
    }
    let _ = child.kill();
    let _ = child.wait();
    panic!("serve printed no address within 30 s:\n{}", seen.join("\n"));
}

/// One HTTP/1.1 exchange over a fresh connection, with the request line sent as is (no
/// normalisation of `..`, unlike an HTTP library).
#[derive(Debug)]
struct Response {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

impl Response {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

fn request(port: u16, method: &str, target: &str) -> Response {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(40)))
        .unwrap();
    write!(
        stream,
        "{method} {target} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).expect("read the response");
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or(raw.len());
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut body = raw.get(split + 4..).unwrap_or_default().to_vec();
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no status line in {head:?}"));
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_string(), v.trim().to_string()))
        .collect();
    // tiny_http sends bodies of unknown length chunked. Chunks are counted in bytes and may split
    // a UTF-8 character, so they are joined before the body is read as text.
    if headers_chunked(&head) {
        body = dechunk(&body);
    }
    Response {
        status,
        headers,
        body: String::from_utf8_lossy(&body).into_owned(),
    }
}

fn headers_chunked(head: &str) -> bool {
    head.to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
}

fn dechunk(s: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut rest = s;
    while let Some(end) = rest.windows(2).position(|w| w == b"\r\n") {
        let size = String::from_utf8_lossy(&rest[..end]);
        let n = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if n == 0 {
            break;
        }
        let after = &rest[end + 2..];
        out.extend_from_slice(&after[..n.min(after.len())]);
        rest = after.get(n + 2..).unwrap_or_default();
    }
    out
}

fn get(port: u16, target: &str) -> Response {
    request(port, "GET", target)
}

/// Polls `target` until `ok` holds for its body; returns the time it took.
fn wait_for(port: u16, target: &str, limit: Duration, ok: impl Fn(&Response) -> bool) -> Duration {
    let start = Instant::now();
    loop {
        let r = get(port, target);
        if ok(&r) {
            return start.elapsed();
        }
        assert!(
            start.elapsed() < limit,
            "{target} did not change within {limit:?}; last reply {}:\n{}",
            r.status,
            &r.body[..r.body.len().min(3000)]
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn site_copy() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("arkiv");
    copy_site(&repo(), &site);
    (dir, site)
}

const PAGE: &str = "/finsam/soderasen/protokoll/2025-03-11/";

fn generation(port: u16) -> u64 {
    // A generation that cannot be current answers at once with the current one.
    let r = get(port, "/__protokoll/andringar?generation=999999999");
    assert_eq!(r.status, 200);
    let v: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    v["generation"].as_u64().unwrap()
}

/// How long a rebuild may take before the test calls it a hang. Speed is measured in
/// BENCHMARKS.md; under a loaded machine (CI shares two cores) a rebuild takes several seconds.
const RELOAD_BOUND: Duration = Duration::from_secs(60);

#[test]
fn an_edit_is_shown_after_the_rebuild_and_a_broken_file_shows_its_error_over_the_last_good_page() {
    let (_dir, site) = site_copy();
    let server = start(&site);
    let port = server.port;
    let first = get(port, PAGE);
    assert_eq!(first.status, 200);
    assert!(first.body.contains("Mötets öppnande"));
    // The preview's reload script, and no error panel.
    assert!(
        first
            .body
            .contains("<script src=\"/__protokoll/reload.js\" data-generation=\"")
    );
    assert!(!first.body.contains("protokoll-fel"));

    // A browser waiting for changes is answered when the rebuild is done.
    let before = generation(port);
    let waiting = std::thread::spawn(move || {
        let r = get(port, &format!("/__protokoll/andringar?generation={before}"));
        serde_json::from_str::<serde_json::Value>(&r.body).unwrap()["generation"]
            .as_u64()
            .unwrap()
    });
    std::thread::sleep(Duration::from_millis(200));

    let file = site.join("content/soderasen/protokoll/2025-03-11.md");
    let text = read(&file);
    let edited = text.replace(
        "## § 12 Mötets öppnande",
        "## § 12 Mötets öppnande ÄNDRAD-7341",
    );
    assert_ne!(edited, text);
    std::fs::write(&file, &edited).unwrap();
    let took = wait_for(port, PAGE, RELOAD_BOUND, |r| {
        r.status == 200 && r.body.contains("ÄNDRAD-7341")
    });
    eprintln!("the edit was served after {took:?}");
    assert!(
        waiting.join().unwrap() > before,
        "the long poll saw the rebuild"
    );

    // Break the YAML: the previous page is still served, with the error listed above it.
    let broken = edited.replace("organ: Styrelsen", "organ: [Styrelsen");
    std::fs::write(&file, &broken).unwrap();
    let took = wait_for(port, PAGE, RELOAD_BOUND, |r| {
        r.body.contains("class=\"protokoll-fel\"")
    });
    eprintln!("the error was shown after {took:?}");
    let page = get(port, PAGE);
    assert_eq!(page.status, 200, "the last good page is still served");
    assert!(page.body.contains("ÄNDRAD-7341"), "the last good page");
    assert!(page.body.contains("Bygget misslyckades"));
    let panel = page
        .body
        .split("<div class=\"protokoll-fel\"")
        .nth(1)
        .unwrap()
        .split("</div>")
        .next()
        .unwrap();
    assert!(
        panel.contains("2025-03-11.md:2:"),
        "the panel names file and line: {panel}"
    );
    assert!(panel.contains("[yaml]"), "{panel}");
    // Other pages carry the panel too, and the error page lists it.
    assert!(
        get(port, "/finsam/")
            .body
            .contains("class=\"protokoll-fel\"")
    );
    assert!(
        get(port, "/__protokoll/fel")
            .body
            .contains("2025-03-11.md:2:")
    );
    // And the terminal shows it.
    let deadline = Instant::now() + Duration::from_secs(5);
    let mut terminal = String::new();
    while Instant::now() < deadline
        && !(terminal.contains("2025-03-11.md:2:") && terminal.contains("Bygget misslyckades"))
    {
        if let Ok(line) = server.lines.recv_timeout(Duration::from_millis(100)) {
            terminal.push_str(&line);
            terminal.push('\n');
        }
    }
    assert!(terminal.contains("2025-03-11.md:2:"), "{terminal}");
    assert!(terminal.contains("Bygget misslyckades"), "{terminal}");

    // Fixing it clears the panel.
    std::fs::write(&file, &edited).unwrap();
    wait_for(port, PAGE, RELOAD_BOUND, |r| {
        r.status == 200 && !r.body.contains("protokoll-fel") && r.body.contains("ÄNDRAD-7341")
    });
}

#[test]
fn a_site_that_never_built_shows_its_errors_until_it_does() {
    let (_dir, site) = site_copy();
    let file = site.join("content/soderasen/forbund.yaml");
    let good = read(&file);
    std::fs::write(&file, good.replace("sate: Åstorp", "sate: [Åstorp")).unwrap();
    let server = start(&site);
    let r = get(server.port, "/finsam/");
    assert_eq!(r.status, 500);
    assert!(r.body.contains("Webbplatsen har inte kunnat byggas ännu"));
    assert!(r.body.contains("forbund.yaml:"), "{}", r.body);
    std::fs::write(&file, good).unwrap();
    wait_for(server.port, "/finsam/", RELOAD_BOUND, |r| r.status == 200);
}

#[test]
fn files_are_served_safely_with_the_right_headers() {
    let (_dir, site) = site_copy();
    // A file beside the output that traversal would reach.
    std::fs::write(site.join("hemlig.txt"), "HEMLIGT").unwrap();
    let server = start(&site);
    let port = server.port;

    for target in [
        "/finsam/../hemlig.txt",
        "/finsam/../../hemlig.txt",
        "/finsam/%2e%2e/hemlig.txt",
        "/finsam/%2E%2E/%2e%2e/hemlig.txt",
        "/finsam/.%2e/hemlig.txt",
        "/finsam/..%2fhemlig.txt",
        "/finsam/..%2F..%2Fhemlig.txt",
        "/finsam/..%5c..%5chemlig.txt",
        "/finsam/soderasen/%00",
        "/finsam/%c0%ae%c0%ae/hemlig.txt",
        "/../hemlig.txt",
    ] {
        let r = get(port, target);
        assert!(
            (400..500).contains(&r.status),
            "{target}: {} {}",
            r.status,
            r.body
        );
        assert!(!r.body.contains("HEMLIGT"), "{target}");
    }

    let missing = get(port, "/finsam/finns-inte/");
    assert_eq!(missing.status, 404);
    assert!(missing.body.contains("Sidan finns inte"));
    assert_eq!(
        missing.header("Content-Type"),
        Some("text/html; charset=utf-8")
    );

    let root = get(port, "/");
    assert_eq!(root.status, 302);
    assert_eq!(root.header("Location"), Some("/finsam/"));
    let folder = get(port, "/finsam/soderasen");
    assert_eq!(folder.status, 301);
    assert_eq!(folder.header("Location"), Some("/finsam/soderasen/"));

    for (target, kind, cors) in [
        ("/finsam/", "text/html; charset=utf-8", false),
        ("/finsam/assets/style.css", "text/css; charset=utf-8", false),
        (
            "/finsam/assets/anslag.js",
            "text/javascript; charset=utf-8",
            false,
        ),
        (
            "/finsam/soderasen/flode.xml",
            "application/atom+xml; charset=utf-8",
            true,
        ),
        (
            "/finsam/sitemap.xml",
            "application/xml; charset=utf-8",
            true,
        ),
        (
            "/finsam/soderasen/kalender.ics",
            "text/calendar; charset=utf-8",
            true,
        ),
        (
            "/finsam/soderasen/inbaddning.json",
            "application/json",
            true,
        ),
        ("/finsam/soderasen/tidslinje.svg", "image/svg+xml", false),
        ("/finsam/robots.txt", "text/plain; charset=utf-8", false),
    ] {
        let r = get(port, target);
        assert_eq!(r.status, 200, "{target}");
        assert_eq!(r.header("Content-Type"), Some(kind), "{target}");
        assert_eq!(
            r.header("Access-Control-Allow-Origin"),
            cors.then_some("*"),
            "{target}"
        );
        assert_eq!(r.header("X-Content-Type-Options"), Some("nosniff"));
        // Only HTML gets the reload script.
        assert_eq!(
            r.body.contains("/__protokoll/reload.js"),
            kind.starts_with("text/html"),
            "{target}"
        );
    }

    // The embed may be framed by any site; other pages only by the archive itself.
    let embed = get(port, "/finsam/soderasen/inbaddning/");
    assert_eq!(embed.status, 200);
    let csp = embed.header("Content-Security-Policy").unwrap();
    assert!(csp.contains("frame-ancestors *"), "{csp}");
    assert_eq!(embed.header("X-Frame-Options"), None);
    let page = get(port, PAGE);
    assert!(
        page.header("Content-Security-Policy")
            .unwrap()
            .contains("frame-ancestors 'self'")
    );
    assert_eq!(page.header("X-Frame-Options"), Some("SAMEORIGIN"));

    let head = request(port, "HEAD", PAGE);
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
    let post = request(port, "POST", PAGE);
    assert_eq!(post.status, 405);
    assert_eq!(post.header("Allow"), Some("GET, HEAD"));
    let script = get(port, "/__protokoll/reload.js");
    assert_eq!(
        script.header("Content-Type"),
        Some("text/javascript; charset=utf-8")
    );
    assert!(script.body.contains("/__protokoll/andringar"));
}

/// Percent-encodes a query value the way a browser's form does.
fn form_value(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => out.push(b as char),
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// The ids of the hits in a server-rendered search page, in order.
fn hit_ids(html: &str) -> Vec<String> {
    tags(html)
        .iter()
        .filter(|t| t.name == "li" && t.has_class("traff"))
        .filter_map(|t| t.attr("data-id").map(str::to_string))
        .collect()
}

#[test]
fn search_answers_as_plain_html_and_as_json_and_follows_rebuilds() {
    let (_dir, site) = site_copy();
    let server = start(&site);
    let port = server.port;
    let q = form_value("årsredovisning 2024");

    // Without JavaScript: the form posts to /sok/ and the server renders the hits into the page.
    let page = get(port, &format!("/finsam/sok/?q={q}"));
    assert_eq!(page.status, 200);
    assert!(
        page.header("Content-Type")
            .unwrap()
            .starts_with("text/html")
    );
    let ids = hit_ids(&page.body);
    assert_eq!(
        ids.first().map(String::as_str),
        Some("soderasen/2025-03-11#p16")
    );
    assert!(
        page.body
            .contains("href=\"/finsam/soderasen/protokoll/2025-03-11/#p16\"")
    );
    assert!(page.body.contains("<mark>"), "the excerpts mark the words");
    let status = by_id(&page.body, "sok-antal").unwrap();
    assert!(
        text(status).contains("träffar för ”årsredovisning 2024”"),
        "{status}"
    );
    assert!(status.contains("role=\"status\""));
    assert!(
        page.body.contains("value=\"årsredovisning 2024\""),
        "the form keeps the query"
    );
    assert!(
        page.body.contains("data-server=\"1\""),
        "the script knows a server searches"
    );
    assert!(
        !page.body.contains("id=\"sok-info\""),
        "no note that JavaScript is needed"
    );
    // The same address without the slash answers the same.
    assert_eq!(hit_ids(&get(port, &format!("/finsam/sok?q={q}")).body), ids);

    // The JSON endpoint: the same hits, with facet counts and the total.
    let json = get(port, &format!("/finsam/sok/svar.json?q={q}"));
    assert_eq!(json.status, 200);
    assert!(
        json.header("Content-Type")
            .unwrap()
            .starts_with("application/json")
    );
    let v: serde_json::Value = serde_json::from_str(&json.body).unwrap();
    let json_ids: Vec<String> = v["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(json_ids, ids);
    assert!(v["total"].as_u64().unwrap() >= ids.len() as u64);
    assert!(
        v["facets"]["forbund"]
            .as_array()
            .is_some_and(|f| !f.is_empty())
    );

    // A förbund filter keeps that förbund only; a facet link narrows the search.
    let blekinge = get(
        port,
        &format!("/finsam/sok/svar.json?q={q}&forbund=blekinge"),
    );
    let v: serde_json::Value = serde_json::from_str(&blekinge.body).unwrap();
    assert!(
        v["hits"]
            .as_array()
            .unwrap()
            .iter()
            .all(|h| h["forbund"] == "blekinge")
    );
    assert!(
        page.body.contains("forbund=soderasen"),
        "facet links narrow the search"
    );

    // A bad filter is a Swedish message, not a crash.
    let bad = get(port, "/finsam/sok/svar.json?q=budget&ar=tjugo");
    assert_eq!(bad.status, 400);
    assert!(bad.body.contains("ogiltigt värde för ar"), "{}", bad.body);

    // After a rebuild the new text is found: the index is reopened per build.
    let word = "zebrasamverkan";
    let file = site.join("content/soderasen/protokoll/2025-03-11.md");
    let source = read(&file);
    let edited = source.replace(
        "## § 12 Mötets öppnande",
        &format!("## § 12 Mötets öppnande och {word}"),
    );
    assert_ne!(edited, source);
    std::fs::write(&file, edited).unwrap();
    wait_for(
        port,
        &format!("/finsam/sok/svar.json?q={word}"),
        Duration::from_secs(10),
        |r| r.body.contains("\"id\":\"soderasen/2025-03-11#p12\""),
    );
    drop(server);
}

#[test]
fn search_lives_under_the_base_path_of_the_site() {
    let (_dir, site) = site_copy();
    set_base_url(&site, "https://example.org/kommun/finsam/");
    let server = start(&site);
    let r = get(server.port, "/kommun/finsam/sok/svar.json?q=budget");
    assert_eq!(r.status, 200);
    let v: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert!(v["hits"].as_array().is_some_and(|h| !h.is_empty()));
    assert!(
        v["hits"][0]["url"]
            .as_str()
            .unwrap()
            .starts_with("/kommun/finsam/"),
        "{}",
        r.body
    );
    let page = get(server.port, "/kommun/finsam/sok/?q=budget");
    assert!(!hit_ids(&page.body).is_empty());
    assert!(page.body.contains("action=\"/kommun/finsam/sok/\""));
    // Outside the base path there is no search.
    assert_eq!(
        get(server.port, "/finsam/sok/svar.json?q=budget").status,
        404
    );
}

/// Sends `bytes` as they are and reads the answer: the status, if the server sent one, and the
/// whole reply. A server may close a connection on garbage without answering.
fn raw_request(port: u16, bytes: &[u8]) -> (Option<u16>, String) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    // The server may answer and close before it has read everything (a huge request).
    let _ = stream.write_all(bytes);
    let mut raw = Vec::new();
    let _ = stream.read_to_end(&mut raw);
    let text = String::from_utf8_lossy(&raw).into_owned();
    let status = text
        .lines()
        .next()
        .filter(|l| l.starts_with("HTTP/"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|s| s.parse().ok());
    (status, text)
}

#[test]
fn security_headers_are_the_documented_ones_on_every_kind_of_reply() {
    use protokoll::security::{
        CONTENT_SECURITY_POLICY, EMBED_CONTENT_SECURITY_POLICY, PERMISSIONS_POLICY,
    };
    let (_dir, site) = site_copy();
    let server = start(&site);
    let port = server.port;
    for (target, status) in [
        ("/finsam/", 200),
        (PAGE, 200),
        ("/finsam/assets/style.css", 200),
        ("/finsam/finns-inte/", 404),
        ("/finsam/%2e%2e/", 400),
        ("/finsam/soderasen/inbaddning/", 200),
    ] {
        let r = get(port, target);
        assert_eq!(r.status, status, "{target}");
        let embed = target.ends_with("/inbaddning/");
        assert_eq!(
            r.header("Content-Security-Policy"),
            Some(if embed {
                EMBED_CONTENT_SECURITY_POLICY
            } else {
                CONTENT_SECURITY_POLICY
            }),
            "{target}"
        );
        assert_eq!(
            r.header("X-Content-Type-Options"),
            Some("nosniff"),
            "{target}"
        );
        assert_eq!(r.header("Referrer-Policy"), Some("no-referrer"), "{target}");
        assert_eq!(
            r.header("Permissions-Policy"),
            Some(PERMISSIONS_POLICY),
            "{target}"
        );
        assert_eq!(
            r.header("X-Frame-Options"),
            (!embed).then_some("SAMEORIGIN"),
            "{target}"
        );
    }
}

#[test]
fn hostile_requests_get_4xx_never_a_file_outside_and_never_a_crash() {
    let (_dir, site) = site_copy();
    std::fs::write(site.join("hemlig.txt"), "HEMLIGT").unwrap();
    let server = start(&site);
    let port = server.port;
    let long_path = format!("/finsam/{}/", "a".repeat(100_000));
    let long_query = format!("/finsam/?q={}", "%41".repeat(40_000));
    let mut requests: Vec<(String, Vec<u8>)> = Vec::new();
    let line = |target: &str| {
        format!("GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
    };
    for target in [
        "/finsam/..\\hemlig.txt",
        "/finsam\\..\\hemlig.txt",
        "/finsam/soderasen\\..\\..\\hemlig.txt",
        "/finsam/%5c..%5chemlig.txt",
        "/finsam/%2e%2e%2fhemlig.txt",
        "/finsam/%252e%252e/hemlig.txt",
        "/finsam/..;/hemlig.txt",
        "/finsam/%e0%80%ae%e0%80%ae/hemlig.txt",
        "/finsam/%ff%fe/",
        "/finsam/%zz/",
        "/finsam/%/",
        "/finsam/%2/",
        "/finsam/%00/",
        "/finsam/a%0d%0aSet-Cookie:%20x=1/",
        "http://127.0.0.1/finsam/../hemlig.txt",
        "//hemlig.txt",
        "*",
        long_path.as_str(),
        long_query.as_str(),
    ] {
        requests.push((target.chars().take(80).collect(), line(target).into_bytes()));
    }
    // Bytes no well-behaved client sends: a raw NUL, raw non-UTF-8, a raw control character, a
    // line without version, a TLS handshake, a huge header.
    let mut nul = b"GET /finsam/".to_vec();
    nul.extend_from_slice(b"\0/../hemlig.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    requests.push(("rå NUL".into(), nul));
    let mut invalid = b"GET /finsam/".to_vec();
    invalid.extend_from_slice(&[0xff, 0xfe, 0x2e, 0x2e]);
    invalid.extend_from_slice(b"/hemlig.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    requests.push(("rå ogiltig UTF-8".into(), invalid));
    requests.push((
        "rå tabb".into(),
        b"GET /finsam/\t../hemlig.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".to_vec(),
    ));
    requests.push((
        "utan version".into(),
        b"GET /finsam/../hemlig.txt\r\n\r\n".to_vec(),
    ));
    requests.push((
        "TLS".into(),
        vec![
            0x16, 0x03, 0x01, 0x00, 0xa5, 0x01, 0x00, 0x00, 0xa1, 0x03, 0x03,
        ],
    ));
    requests.push((
        "stor rubrik".into(),
        format!(
            "GET /finsam/ HTTP/1.1\r\nHost: x\r\nX-Stor: {}\r\nConnection: close\r\n\r\n",
            "b".repeat(200_000)
        )
        .into_bytes(),
    ));

    for (what, bytes) in &requests {
        let (status, reply) = raw_request(port, bytes);
        assert!(
            !reply.contains("HEMLIGT"),
            "{what}: a file outside the site was served"
        );
        assert!(
            !reply.to_ascii_lowercase().contains("set-cookie"),
            "{what}: {reply:.300}"
        );
        if let Some(status) = status {
            assert!(
                (400..500).contains(&status),
                "{what}: status {status}\n{:.300}",
                reply
            );
        }
        // Whatever came before, the server still answers.
        assert_eq!(get(port, "/finsam/").status, 200, "after {what}");
    }
    // The requests that a server must answer at all were answered with a 4xx, not dropped.
    for target in [
        "/finsam/..\\hemlig.txt",
        "/finsam/%ff%fe/",
        "/finsam/%zz/",
        long_path.as_str(),
        long_query.as_str(),
    ] {
        let (status, _) = raw_request(port, line(target).as_bytes());
        assert!(
            status.is_some_and(|s| (400..500).contains(&s)),
            "{:.80}: {status:?}",
            target
        );
    }
}

/// Queries nested deeper than tantivy's recursive parser can take on a thread's stack. Each was a
/// crash of the whole server (3,000 parentheses did it) or of `protokoll search --avancerad`.
fn deep_queries(depth: usize) -> Vec<(&'static str, String)> {
    vec![
        (
            "parenteser",
            format!("{}budget{}", "(".repeat(depth), ")".repeat(depth)),
        ),
        ("oavslutade parenteser", "(".repeat(depth)),
        ("+( och -(", "+(-(".repeat(depth / 2)),
        ("fältgrupper", "titel:(".repeat(depth)),
        ("NOT-kedja", format!("{}budget", "NOT ".repeat(depth))),
        ("citattecken och parenteser", "(\"".repeat(depth)),
    ]
}

/// Percent-encodes what a query value cannot hold as it is; parentheses, quotes and colons stay,
/// so that deep queries fit in the server's 8 KiB address limit.
fn url_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b' ' | b'+' | b'%' | b'&' | b'#' | b'"' => format!("%{b:02X}"),
            b if b.is_ascii_graphic() => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[test]
fn deeply_nested_advanced_queries_get_a_clear_400_and_the_server_keeps_answering() {
    use protokoll::search::engine::MAX_ADVANCED_DEPTH;
    let (_dir, site) = site_copy();
    let server = start(&site);
    let port = server.port;
    let normal = |after: &str| {
        let r = get(port, "/finsam/sok/svar.json?q=budget&avancerad=1");
        assert_eq!(r.status, 200, "after {after}: {}", r.body);
        let v: serde_json::Value = serde_json::from_str(&r.body).unwrap();
        assert!(v["total"].as_u64().is_some_and(|t| t > 0), "after {after}");
    };
    // Deep enough to have crashed the server (3,000 parentheses did), short enough for its 8 KiB
    // address limit: the search itself refuses them.
    let mut deep = deep_queries(1_000);
    deep.push((
        "3 000 parenteser",
        format!("{}budget{}", "(".repeat(3_000), ")".repeat(3_000)),
    ));
    for (what, q) in deep {
        let q = url_encode(&q);
        let json = get(port, &format!("/finsam/sok/svar.json?avancerad=1&q={q}"));
        assert_eq!(
            json.status,
            400,
            "{what}: {}",
            &json.body[..json.body.len().min(300)]
        );
        let v: serde_json::Value = serde_json::from_str(&json.body).unwrap();
        let message = v["fel"].as_str().unwrap_or_default();
        assert!(
            message.contains("för djupt nästlad")
                && message.contains(&format!("högst {MAX_ADVANCED_DEPTH}")),
            "{what}: {message}"
        );
        let html = get(port, &format!("/finsam/sok/?avancerad=1&q={q}"));
        assert_eq!(html.status, 400, "{what}");
        assert!(html.body.contains("för djupt nästlad"), "{what}");
        normal(what);
    }
    // At the limit every form is searched (the server thread's stack takes it).
    for (what, q) in deep_queries(MAX_ADVANCED_DEPTH) {
        let r = get(
            port,
            &format!("/finsam/sok/svar.json?avancerad=1&q={}", url_encode(&q)),
        );
        assert!(
            r.status == 200 || r.body.contains("går inte att tolka"),
            "{what} at depth {MAX_ADVANCED_DEPTH}: {} {}",
            r.status,
            r.body
        );
        assert!(!r.body.contains("för djupt"), "{what}: {}", r.body);
    }
    // 50,000 parentheses are longer than any address the server reads: refused as such.
    for (what, q) in deep_queries(50_000) {
        let q = url_encode(&q);
        for route in ["sok/svar.json", "sok/"] {
            let r = get(port, &format!("/finsam/{route}?avancerad=1&q={q}"));
            assert_eq!(r.status, 414, "{what} to {route}");
            assert!(
                r.body.contains("Adressen är för lång"),
                "{what}: {}",
                r.body
            );
        }
        normal(what);
    }
}

#[test]
fn a_site_that_overrides_the_search_template_changes_the_servers_page() {
    let (_dir, site) = site_copy();
    // The site's own templates/ overrides the theme's search page: the server renders it, with
    // the answer as `svar`, and renders the new one after a rebuild.
    let own = |label: &str| {
        format!(
            "{{% extends \"base.html\" %}}{{% block content %}}<h1>{label}</h1>\
             {{% if svar %}}<p id=\"egen-status\">{{{{ svar.total }}}} träffar på ”{{{{ svar.query }}}}”</p>\
             <ul>{{% for h in svar.hits %}}<li class=\"egen-traff\" data-id=\"{{{{ h.id }}}}\">{{{{ h.heading }}}}</li>{{% endfor %}}</ul>\
             {{% else %}}<p>Skriv en fråga.</p>{{% endif %}}{{% endblock content %}}"
        )
    };
    std::fs::create_dir_all(site.join("templates")).unwrap();
    std::fs::write(site.join("templates/sok.html"), own("Egen sökning")).unwrap();
    let server = start(&site);
    let port = server.port;
    let q = form_value("årsredovisning 2024");
    let page = get(port, &format!("/finsam/sok/?q={q}"));
    assert_eq!(page.status, 200);
    assert!(page.body.contains("<h1>Egen sökning</h1>"), "{}", page.body);
    let status = by_id(&page.body, "egen-status").expect("the template's own status line");
    assert!(
        text(status).ends_with("träffar på ”årsredovisning 2024”"),
        "{status}"
    );
    assert!(
        page.body
            .contains("class=\"egen-traff\" data-id=\"soderasen/2025-03-11#p16\""),
        "{}",
        page.body
    );
    assert!(
        !page.body.contains("id=\"sokformular\""),
        "nothing of the default page"
    );
    // The built page is the same template without an answer.
    assert!(read(&site.join("public/sok/index.html")).contains("<p>Skriv en fråga.</p>"));
    // A changed template is the server's page after the rebuild.
    std::fs::write(site.join("templates/sok.html"), own("Sök igen")).unwrap();
    wait_for(port, &format!("/finsam/sok/?q={q}"), RELOAD_BOUND, |r| {
        r.body.contains("<h1>Sök igen</h1>") && r.body.contains("egen-traff")
    });
    drop(server);
}

/// A GET with a `Range` header: the status, the headers and the body as bytes.
fn get_range(port: u16, target: &str, range: &str) -> (u16, String, Vec<u8>) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(40)))
        .unwrap();
    write!(
        stream,
        "GET {target} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nRange: {range}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).expect("read the response");
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a head");
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut body = raw[split + 4..].to_vec();
    if headers_chunked(&head) {
        body = dechunk(&body);
    }
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .expect("a status");
    (status, head, body)
}

#[test]
fn files_are_sent_in_the_byte_ranges_asked_for_as_a_web_host_does() {
    // README's preview: the static search reads its index in ranges of a few KB, so the server
    // that previews the site must answer ranges like the web host that will serve it.
    let (_dir, site) = site_copy();
    let server = start(&site);
    let data = site.join("public/sok/data");
    let file = std::fs::read_dir(&data)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "bin"))
        .max_by_key(|p| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0))
        .expect("an index file");
    let bytes = std::fs::read(&file).unwrap();
    assert!(bytes.len() > 300, "{}", bytes.len());
    let name = file.file_name().unwrap().to_string_lossy().to_string();
    let target = format!("/finsam/sok/data/{name}");
    let len = bytes.len();

    let (status, head, body) = get_range(server.port, &target, "bytes=100-299");
    assert_eq!(status, 206, "{head}");
    assert_eq!(body, bytes[100..300], "the asked bytes, no more");
    assert!(
        head.contains(&format!("Content-Range: bytes 100-299/{len}")),
        "{head}"
    );
    assert!(head.contains("Accept-Ranges: bytes"), "{head}");
    // The last bytes, and a start with no end.
    let (status, _, body) = get_range(server.port, &target, "bytes=-50");
    assert_eq!((status, body.as_slice()), (206, &bytes[len - 50..]));
    let (status, _, body) = get_range(server.port, &target, &format!("bytes={}-", len - 10));
    assert_eq!((status, body.as_slice()), (206, &bytes[len - 10..]));
    // Past the end: 416 with the length; several ranges: the whole file.
    let (status, head, _) = get_range(server.port, &target, &format!("bytes={len}-"));
    assert_eq!(status, 416, "{head}");
    assert!(
        head.contains(&format!("Content-Range: bytes */{len}")),
        "{head}"
    );
    let (status, _, body) = get_range(server.port, &target, "bytes=0-1,5-9");
    assert_eq!((status, body.len()), (200, len));
    // Pages are sent whole: the reload script goes into them.
    let (status, _, body) = get_range(server.port, "/finsam/", "bytes=0-9");
    assert_eq!(status, 200);
    assert!(body.len() > 10);
    drop(server);
}

#[test]
fn a_mistake_in_the_part_of_the_search_template_only_the_server_renders_fails_the_build() {
    // The build renders sok.html once with a sample answer as well: a name `svar` does not have
    // is found at build time, at the template, not as a 500 for the first reader.
    let (dir, site) = site_copy();
    std::fs::create_dir_all(site.join("templates")).unwrap();
    std::fs::write(
        site.join("templates/sok.html"),
        "{% extends \"base.html\" %}{% block content %}<h1>Sök</h1>\
         {% if svar %}<p>{{ svar.traffar_totalt }}</p>{% endif %}{% endblock content %}",
    )
    .unwrap();
    let out = dir.path().join("ut");
    let run = build(&site, &out);
    assert!(!run.ok(), "{}\n{}", run.stdout, run.stderr);
    let report = format!("{}{}", run.stdout, run.stderr);
    assert!(report.contains("sok.html"), "{report}");
    assert!(report.contains("svar"), "{report}");
    assert!(!out.join("sok/index.html").exists(), "nothing is published");
}
