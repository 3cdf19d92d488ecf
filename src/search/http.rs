//! The search routes of `protokoll serve`: `/sok/?q=…` renders the theme's search page with the
//! results as plain HTML (works without JavaScript; [`super::page`]), `/sok/svar.json?q=…`
//! answers with hits, highlighted excerpts, facet counts and the total. A plain function of
//! (path, query string) so that any HTTP server can mount it.

use super::engine::{Engine, Filters, Request, Results, SearchError};
use super::page::{Answer, FacetLinks, FormFilters, Hit, Kit, LinkCount, Pages, SearchPage};
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
    /// `None` for a site built by a version that stored no search page: the built page is
    /// served then, and searches the static files in the browser.
    page: Option<SearchPage>,
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
    /// Opens the index of the site built into `site`, and the search page the build stored
    /// beside it; `base` is the site's base path ("/finsam/").
    pub fn open(site: &Path, base: &str) -> Result<SearchService, SearchError> {
        let engine = Engine::open(site)?;
        let page = Kit::load(&super::index::location(site))
            .ok()
            .and_then(|kit| SearchPage::new(&kit).ok());
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
        if !json && self.page.is_none() {
            return None;
        }
        let key = format!("{json}?{query}");
        if let Ok(cache) = self.cache.lock()
            && let Some(r) = cache.get(&key)
        {
            return Some(r.clone());
        }
        let p = params(query);
        let outcome = request(&p).and_then(|r| self.engine.search(&r).map(|res| (r, res)));
        let response = match (outcome, json) {
            (Ok((_, res)), true) => Response {
                status: 200,
                content_type: "application/json",
                body: serde_json::to_vec(&res).unwrap_or_default(),
            },
            (Ok((req, res)), false) => self.html(200, &answer(&self.base, &p, &req, Ok(&res))),
            (Err(e), true) => Response {
                status: 400,
                content_type: "application/json",
                body: serde_json::json!({ "fel": e.to_string() })
                    .to_string()
                    .into_bytes(),
            },
            (Err(e), false) => {
                self.html(400, &answer(&self.base, &p, &Request::default(), Err(&e)))
            }
        };
        if let Ok(mut cache) = self.cache.lock() {
            if cache.len() >= CACHE_ENTRIES {
                cache.clear();
            }
            cache.insert(key, response.clone());
        }
        Some(response)
    }

    /// The search page with `answer`; a theme whose template fails names the template.
    fn html(&self, status: u16, answer: &Answer) -> Response {
        let rendered = match &self.page {
            Some(page) => page.render(answer),
            None => Err("sidan saknas".into()),
        };
        match rendered {
            Ok(body) => Response {
                status,
                content_type: "text/html; charset=utf-8",
                body: body.into_bytes(),
            },
            Err(message) => Response {
                status: 500,
                content_type: "text/plain; charset=utf-8",
                body: format!(
                    "Sökningens sida (mallen {}) kunde inte visas: {message}",
                    super::page::TEMPLATE
                )
                .into_bytes(),
            },
        }
    }
}

/// The search page's address with the parameters `p`, less `drop` and the page offset, plus
/// `set`.
fn address(base: &str, p: &HashMap<String, String>, drop: &[&str], set: &[(&str, &str)]) -> String {
    let mut q: Vec<(String, String)> = p
        .iter()
        .filter(|(k, v)| {
            !v.is_empty()
                && k.as_str() != "start"
                && !drop.contains(&k.as_str())
                && !set.iter().any(|(s, _)| s == k)
        })
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    q.extend(
        set.iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(k, v)| (k.to_string(), v.to_string())),
    );
    q.sort();
    let qs: Vec<String> = q
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect();
    if qs.is_empty() {
        format!("{base}sok/")
    } else {
        format!("{base}sok/?{}", qs.join("&"))
    }
}

/// What the template gets as `svar` for the parameters `p`, the request read from them and its
/// results (or why there are none).
fn answer(
    base: &str,
    p: &HashMap<String, String>,
    req: &Request,
    res: Result<&Results, &SearchError>,
) -> Answer {
    let value = |k: &str| p.get(k).map(|v| v.trim().to_string()).unwrap_or_default();
    let mut out = Answer {
        query: p.get("q").cloned().unwrap_or_default(),
        filters: FormFilters {
            forbund: value("forbund"),
            ar: value("ar"),
            typ: value("typ"),
            beslut: value("beslut") == "1",
            fran: value("fran"),
            till: value("till"),
        },
        ..Answer::default()
    };
    let r = match res {
        Err(e) => {
            out.status = e.to_string();
            out.error = true;
            return out;
        }
        Ok(r) if req.text.trim().is_empty() && !r.browse => {
            out.status = "Skriv ett eller flera ord i sökrutan.".into();
            return out;
        }
        Ok(r) => r,
    };
    out.searched = true;
    out.status = r.status.clone();
    out.total = r.total;
    out.complete = r.complete;
    out.hits = r
        .hits
        .iter()
        .map(|h| Hit {
            id: h.id.clone(),
            url: h.url.clone(),
            heading: if h.label.starts_with('§') {
                format!("{} {}", h.label, h.title)
            } else {
                h.title.clone()
            },
            forbund_name: h.forbund_name.clone(),
            kind: h.kind.clone(),
            date: h
                .date
                .as_deref()
                .and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
                .map(Into::into),
            document: h.document.clone(),
            has_decision: h.has_decision,
            excerpt: h.excerpt.clone(),
        })
        .collect();
    out.suggestion = r.corrected.as_ref().map(|c| LinkCount {
        label: c.trim().to_string(),
        count: r.total,
        url: address(base, p, &[], &[("q", c.trim())]),
        current: false,
    });
    if r.total == 0 {
        let sum = |f: &[super::engine::FacetCount]| f.iter().map(|c| c.count).sum::<usize>();
        for (key, what, n, chosen) in [
            (
                "forbund",
                "förbund",
                sum(&r.facets.forbund),
                req.filters.forbund.is_some(),
            ),
            ("ar", "år", sum(&r.facets.year), req.filters.year.is_some()),
            (
                "typ",
                "typ",
                sum(&r.facets.kind),
                req.filters.kind.is_some(),
            ),
        ] {
            if chosen && n > 0 {
                out.nearest.push(LinkCount {
                    label: format!("utan valet av {what}"),
                    count: n,
                    url: address(base, p, &[key], &[]),
                    current: false,
                });
            }
        }
    }
    let facet = |key: &'static str| {
        move |v: &str| {
            (
                address(base, p, &[], &[(key, v)]),
                p.get(key).is_some_and(|c| c.trim() == v),
            )
        }
    };
    out.facets = FacetLinks {
        forbund: FacetLinks::group(&r.facets.forbund, facet("forbund")),
        year: FacetLinks::group(&r.facets.year, facet("ar")),
        kind: FacetLinks::group(&r.facets.kind, facet("typ")),
        decisions: (r.facets.decisions > 0).then(|| LinkCount {
            label: "Bara paragrafer med beslut".into(),
            count: r.facets.decisions,
            url: address(base, p, &[], &[("beslut", "1")]),
            current: req.filters.decisions_only,
        }),
    };
    let shown = r.hits.len();
    let offset = req.offset.min(r.total);
    let start = |n: usize| n.to_string();
    out.pages = Pages {
        first: if shown == 0 { 0 } else { offset + 1 },
        last: offset + shown,
        previous: (offset > 0).then(|| {
            let to = offset.saturating_sub(req.limit.max(1));
            address(base, p, &[], &[("start", &start(to))])
        }),
        next: (offset + shown < r.total && shown > 0)
            .then(|| address(base, p, &[], &[("start", &start(offset + shown))])),
    };
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_keeps_the_request_but_its_page_and_encodes_every_value() {
        let p = params("q=%C3%A5r+2024&forbund=blekinge&start=20&ar=");
        // The page offset is dropped unless set; empty values are left out; the order is fixed.
        assert_eq!(
            address("/finsam/", &p, &[], &[("typ", "plan")]),
            "/finsam/sok/?forbund=blekinge&q=%C3%A5r+2024&typ=plan"
        );
        assert_eq!(
            address("/finsam/", &p, &["forbund"], &[("start", "10")]),
            "/finsam/sok/?q=%C3%A5r+2024&start=10"
        );
        // A value set replaces the request's own.
        assert_eq!(
            address("/", &p, &["q"], &[("forbund", "a&b\"<")]),
            "/sok/?forbund=a%26b%22%3C"
        );
        assert_eq!(address("/", &HashMap::new(), &[], &[]), "/sok/");
    }
}
