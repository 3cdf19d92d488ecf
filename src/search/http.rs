//! The search routes of `protokoll serve`: `/sok/?q=…` renders the results into the built search
//! page as plain HTML (works without JavaScript), `/sok/svar.json?q=…` answers with hits,
//! highlighted excerpts, facet counts and the total. A plain function of (path, query string) so
//! that any HTTP server can mount it.

use super::engine::{Engine, Filters, Request, Results, SearchError, html_escape};
use std::collections::HashMap;
use std::path::Path;
use std::sync::Mutex;

/// An HTTP answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    pub status: u16,
    pub content_type: &'static str,
    pub body: Vec<u8>,
}

/// Answers to repeated searches are kept: readers repeat popular queries, and the index does not
/// change while the server runs.
const CACHE_ENTRIES: usize = 2_048;
const MAX_LIMIT: usize = 50;

pub struct SearchService {
    engine: Engine,
    base: String,
    page: String,
    cache: Mutex<HashMap<String, Response>>,
}

/// Decodes `application/x-www-form-urlencoded` text.
pub fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                match u8::from_str_radix(
                    std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("zz"),
                    16,
                ) {
                    Ok(b) => {
                        out.push(b);
                        i += 2;
                    }
                    Err(_) => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The parameters of a query string.
pub fn params(query: &str) -> HashMap<String, String> {
    query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| match p.split_once('=') {
            Some((k, v)) => (decode(k), decode(v)),
            None => (decode(p), String::new()),
        })
        .collect()
}

/// A search request from the parameters `q`, `forbund`, `ar`, `typ`, `beslut`, `fran`, `till`,
/// `start`, `antal` and `avancerad`.
pub fn request(p: &HashMap<String, String>) -> Result<Request, SearchError> {
    let nonempty = |k: &str| {
        p.get(k)
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
    };
    let year = match nonempty("ar") {
        Some(y) => Some(y.parse::<i32>().map_err(|_| SearchError::BadFilter {
            field: "ar",
            value: y,
        })?),
        None => None,
    };
    let number = |k: &'static str, default: usize| -> Result<usize, SearchError> {
        match nonempty(k) {
            Some(v) => v
                .parse()
                .map_err(|_| SearchError::BadFilter { field: k, value: v }),
            None => Ok(default),
        }
    };
    Ok(Request {
        text: p.get("q").cloned().unwrap_or_default(),
        advanced: nonempty("avancerad").is_some_and(|v| v == "1"),
        filters: Filters {
            forbund: nonempty("forbund"),
            year,
            kind: nonempty("typ"),
            decisions_only: nonempty("beslut").is_some_and(|v| v == "1"),
            from: nonempty("fran"),
            to: nonempty("till"),
        },
        offset: number("start", 0)?,
        limit: number("antal", 10)?.min(MAX_LIMIT),
    })
}

impl SearchService {
    /// Opens the index of the site built into `site`; `base` is the site's base path ("/finsam/").
    pub fn open(site: &Path, base: &str) -> Result<SearchService, SearchError> {
        let engine = Engine::open(site)?;
        let page = std::fs::read_to_string(site.join("sok").join("index.html"))?;
        Ok(SearchService {
            engine,
            base: base.to_string(),
            page,
            cache: Mutex::new(HashMap::new()),
        })
    }

    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    /// The answer for `path` (without the query string), or `None` when it is not a search route.
    pub fn handle(&self, path: &str, query: &str) -> Option<Response> {
        let rest = path.strip_prefix(&self.base)?;
        let json = match rest {
            "sok" | "sok/" | "sok/index.html" => false,
            "sok/svar.json" => true,
            _ => return None,
        };
        let key = format!("{json}?{query}");
        if let Ok(cache) = self.cache.lock()
            && let Some(r) = cache.get(&key)
        {
            return Some(r.clone());
        }
        let p = params(query);
        let answer = request(&p).and_then(|r| self.engine.search(&r).map(|res| (r, res)));
        let response = match (answer, json) {
            (Ok((_, res)), true) => Response {
                status: 200,
                content_type: "application/json",
                body: serde_json::to_vec(&res).unwrap_or_default(),
            },
            (Ok((req, res)), false) => Response {
                status: 200,
                content_type: "text/html; charset=utf-8",
                body: self.render(&p, &req, Ok(&res)).into_bytes(),
            },
            (Err(e), true) => Response {
                status: 400,
                content_type: "application/json",
                body: serde_json::json!({ "fel": e.to_string() })
                    .to_string()
                    .into_bytes(),
            },
            (Err(e), false) => Response {
                status: 400,
                content_type: "text/html; charset=utf-8",
                body: self.render(&p, &Request::default(), Err(&e)).into_bytes(),
            },
        };
        if let Ok(mut cache) = self.cache.lock() {
            if cache.len() >= CACHE_ENTRIES {
                cache.clear();
            }
            cache.insert(key, response.clone());
        }
        Some(response)
    }

    /// The built search page with the form filled in and the results in place.
    fn render(
        &self,
        p: &HashMap<String, String>,
        req: &Request,
        res: Result<&Results, &SearchError>,
    ) -> String {
        let mut page = self.page.replace(
            "name=\"q\" value=\"\"",
            &format!("name=\"q\" value=\"{}\"", html_escape(&req.text)),
        );
        page = page.replace("id=\"sokformular\"", "id=\"sokformular\" data-server=\"1\"");
        // The note for static hosts does not apply: this server searches.
        if let (Some(a), Some(b)) = (
            page.find("<p id=\"sok-info\""),
            page.find("<section id=\"sok-resultat\""),
        ) {
            page.replace_range(a..b, "");
        }
        for name in ["forbund", "ar", "typ"] {
            if let Some(v) = p.get(name).filter(|v| !v.is_empty()) {
                page = select_option(&page, name, v);
            }
        }
        for name in ["fran", "till"] {
            if let Some(v) = p.get(name).filter(|v| !v.is_empty()) {
                page = page.replace(
                    &format!("id=\"{name}\" name=\"{name}\">"),
                    &format!(
                        "id=\"{name}\" name=\"{name}\" value=\"{}\">",
                        html_escape(v)
                    ),
                );
            }
        }
        if req.filters.decisions_only {
            page = page.replace(
                "name=\"beslut\" value=\"1\">",
                "name=\"beslut\" value=\"1\" checked>",
            );
        }
        let (status, list) = match res {
            Err(e) => (html_escape(&e.to_string()), String::new()),
            Ok(r) if req.text.trim().is_empty() && !r.browse => (
                "Skriv ett eller flera ord i sökrutan.".into(),
                String::new(),
            ),
            Ok(r) => {
                let status = html_escape(&r.status);
                let mut list = String::from("<ol class=\"sok-traffar\">\n");
                for h in &r.hits {
                    let heading = if h.label.starts_with('§') {
                        format!("{} {}", h.label, h.title)
                    } else {
                        h.title.clone()
                    };
                    let date = h.date.as_deref().map_or(String::new(), |d| {
                        let text = chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d")
                            .map(crate::render::views::date_text)
                            .unwrap_or_else(|_| d.to_string());
                        format!(" · <time datetime=\"{d}\">{text}</time>")
                    });
                    list.push_str(&format!(
                        "<li class=\"traff\" data-id=\"{}\"><h3><a href=\"{}\">{}</a></h3>\n<p class=\"meta\">{}{date} · {}</p>\n<p class=\"utdrag\">{}</p></li>\n",
                        html_escape(&h.id),
                        html_escape(&h.url),
                        html_escape(&heading),
                        html_escape(&h.forbund_name),
                        html_escape(&h.document),
                        h.excerpt
                    ));
                }
                list.push_str("</ol>\n");
                let facets = facet_links(&self.base, p, r);
                (status, list + &facets)
            }
        };
        page = page.replacen(
            "<p id=\"sok-antal\" role=\"status\">Skriv ett eller flera ord i sökrutan.</p>",
            &format!("<p id=\"sok-antal\" role=\"status\">{status}</p>"),
            1,
        );
        page.replacen("<!--SOKRESULTAT-->", &list, 1)
    }
}

fn select_option(page: &str, select: &str, value: &str) -> String {
    let open = format!("<select id=\"{select}\"");
    let Some(start) = page.find(&open) else {
        return page.to_string();
    };
    let end = page[start..]
        .find("</select>")
        .map_or(page.len(), |e| start + e);
    let section = page[start..end].replace(
        &format!("<option value=\"{}\">", html_escape(value)),
        &format!("<option value=\"{}\" selected>", html_escape(value)),
    );
    format!("{}{}{}", &page[..start], section, &page[end..])
}

/// Without JavaScript the counts are links that narrow the search.
fn facet_links(base: &str, p: &HashMap<String, String>, r: &Results) -> String {
    let link = |key: &str, value: &str| {
        let mut q: Vec<(String, String)> = p
            .iter()
            .filter(|(k, v)| k.as_str() != key && k.as_str() != "start" && !v.is_empty())
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        q.push((key.to_string(), value.to_string()));
        q.sort();
        let qs: Vec<String> = q
            .iter()
            .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
            .collect();
        html_escape(&format!("{base}sok/?{}", qs.join("&")))
    };
    let mut out = String::from(
        "<h3 id=\"sok-avgransa\">Avgränsa träffarna</h3>\n<ul class=\"sok-facetter\" aria-labelledby=\"sok-avgransa\">\n",
    );
    for f in &r.facets.forbund {
        out.push_str(&format!(
            "<li><a href=\"{}\">{} ({})</a></li>\n",
            link("forbund", &f.value),
            html_escape(&f.label),
            f.count
        ));
    }
    for y in &r.facets.year {
        out.push_str(&format!(
            "<li><a href=\"{}\">{} ({})</a></li>\n",
            link("ar", &y.value),
            y.label,
            y.count
        ));
    }
    for k in &r.facets.kind {
        out.push_str(&format!(
            "<li><a href=\"{}\">{} ({})</a></li>\n",
            link("typ", &k.value),
            k.label,
            k.count
        ));
    }
    out.push_str(&format!(
        "<li><a href=\"{}\">Bara paragrafer med beslut ({})</a></li>\n</ul>\n",
        link("beslut", "1"),
        r.facets.decisions
    ));
    out
}

fn encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}
