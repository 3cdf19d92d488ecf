//! The search query parser and the server's search routes, on any query string.
//!
//! The input is a query string as a browser sends it (`q=…&forbund=…&fran=…&avancerad=1`); its
//! decoded `q` goes through the citizens' parser (`query::parse`), the highlighter and the
//! excerpt, and the whole string through `SearchService::handle` over a small index of a few
//! hand-made units, as HTML (`/sok/?…`) and as JSON (`/sok/svar.json?…`). With `avancerad=1`
//! the text goes to tantivy's query language (OR, `titel:…`, `datum:[… TO …]`) as well.
//! Asserts: nothing panics; the parsed query is well formed; highlights are ranges on character
//! boundaries in order; the excerpt and the HTML answer have no markup a browser would run or
//! that came from the query (checked with the same html5ever walk as the markdown target); the
//! JSON answer is JSON. The input also becomes a deeply nested advanced query
//! ([`protokoll_fuzz::deep`]: up to 120,000 levels of `(`, `+(`, `titel:(`, `NOT `, …, which
//! overflowed the server's stack before the depth limit): it is answered, with 400 and the depth
//! error whenever it nests deeper than the limit.
#![no_main]

use chrono::NaiveDate;
use libfuzzer_sys::fuzz_target;
use protokoll::render::theme::DEFAULT_THEME;
use protokoll::search::engine::{MAX_ADVANCED_DEPTH, excerpt_html, html_escape};
use protokoll::search::http::{SearchService, params, request};
use protokoll::search::index::{Unit, location, write_index};
use protokoll::search::page::Kit;
use protokoll::search::query::{MIN_PREFIX_CHARS, highlights, parse};
use protokoll_fuzz::{Nesting, deep, unsafe_html};
use std::sync::OnceLock;

/// The search page the server renders: the default theme's results (`sok_svar.html`) under the
/// form's fields, with the form as a `div`: the HTML check refuses `<form>` (the Markdown
/// renderer must never emit one), and what is checked here is what the server puts into the
/// page, not the page around it.
const PAGE: &str = r#"<div class="sok" id="sokformular">
<input type="search" id="q" name="q" value="{{ svar.query }}" autocomplete="off">
<input type="text" id="forbund" name="forbund" value="{{ svar.filters.forbund }}">
<input type="text" id="ar" name="ar" value="{{ svar.filters.ar }}">
<input type="text" id="typ" name="typ" value="{{ svar.filters.typ }}">
<input type="checkbox" id="beslut" name="beslut" value="1"{% if svar.filters.beslut %} checked{% endif %}>
<input type="text" id="fran" name="fran" value="{{ svar.filters.fran }}">
<input type="text" id="till" name="till" value="{{ svar.filters.till }}">
</div>
<section id="sok-resultat" aria-labelledby="sok-resultat-rubrik">
<h2 id="sok-resultat-rubrik">Resultat</h2>
{% include "sok_svar.html" %}
</section>
"#;

fn unit(
    id: &str,
    forbund: &str,
    kind: &'static str,
    date: Option<NaiveDate>,
    title: &str,
    body: &str,
    decisions: &str,
) -> Unit {
    Unit {
        id: id.into(),
        url: format!("/{id}"),
        forbund: forbund.into(),
        forbund_name: format!("Samordningsförbundet {forbund} <&\"'>"),
        organ: "Styrelsen".into(),
        kind,
        date,
        year: date.map_or(2020, |d| chrono::Datelike::year(&d)),
        label: "§ 1".into(),
        number: Some(1),
        title: title.into(),
        document: format!("Styrelsen {id}"),
        body: body.into(),
        decisions: decisions.into(),
        decision_ids: vec![format!("{forbund}-1")],
        has_decision: !decisions.is_empty(),
        meeting: String::new(),
    }
}

/// A search service over a few units in a temporary folder, made once per process. The texts
/// hold markup and quotes of their own so that excerpts must escape them too.
fn service() -> &'static SearchService {
    static SERVICE: OnceLock<SearchService> = OnceLock::new();
    SERVICE.get_or_init(|| {
        let site = std::env::temp_dir().join(format!("protokoll-fuzz-sok-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&site);
        let date = NaiveDate::from_ymd_opt;
        let units = [
            unit(
                "alfa/2025-03-11#p1",
                "alfa",
                "protokoll",
                date(2025, 3, 11),
                "Extern utvärdering av samordningsförbundet",
                "Styrelsen diskuterade budget och extern utvärdering. <script>alert(1)</script> \"citat\" & mer.",
                "Styrelsen beslutar att godkänna budgeten för 2025.",
            ),
            unit(
                "alfa/2025-06-10#p2",
                "alfa",
                "protokoll",
                date(2025, 6, 10),
                "Revision",
                "Revisorernas rapport {{ x }} {% raw %} javascript:alert(1) <img src=x onerror=alert(1)>",
                "",
            ),
            unit(
                "beta/planer/2020#budget",
                "beta",
                "plan",
                None,
                "Budget 2020",
                "Förbundets verksamhetsplan och budget för året, styrelsemöte varje månad. ÅÄÖ åäö ß ﬁ İ",
                "",
            ),
        ];
        if let Err(e) = write_index(&location(&site), &units) {
            panic!("the fuzz index cannot be written: {e}");
        }
        // What the build stores beside the index for the server's search page.
        let results = DEFAULT_THEME
            .iter()
            .find(|(name, _)| *name == "templates/sok_svar.html")
            .map(|(_, text)| text.to_string())
            .unwrap_or_else(|| panic!("the default theme has no sok_svar.html"));
        let kit = Kit {
            templates: [("sok.html".to_string(), PAGE.to_string()), ("sok_svar.html".to_string(), results)]
                .into_iter()
                .collect(),
            context: serde_json::json!({}),
        };
        if let Err(e) = kit.store(&location(&site)) {
            panic!("the fuzz search page cannot be written: {e}");
        }
        match SearchService::open(&site, "/") {
            Ok(s) => s,
            Err(e) => panic!("the fuzz index cannot be opened: {e}"),
        }
    })
}

/// The excerpt without its own `<mark>` tags has no markup at all: every `<`, `>` and `"` of the
/// texts and of the query is escaped.
fn assert_excerpt_escaped(html: &str) {
    let bare = html.replace("<mark>", "").replace("</mark>", "");
    assert!(
        !bare.contains(['<', '>', '"']),
        "unescaped excerpt: {html:?}"
    );
}

fn check_parser(text: &str) {
    let q = parse(text);
    assert_eq!(q.is_empty(), q.words.is_empty() && q.phrases.is_empty());
    for w in &q.words {
        assert!(!w.stem.is_empty(), "{q:?}");
        if let Some(p) = &w.prefix {
            assert!(p.chars().count() >= MIN_PREFIX_CHARS, "{q:?}");
            assert_eq!(p.to_lowercase(), *p, "{q:?}");
        }
    }
    // One entry per stem: the engine counts each required word once.
    for (i, w) in q.words.iter().enumerate() {
        assert!(q.words[i + 1..].iter().all(|v| v.stem != w.stem), "{q:?}");
    }
    for phrase in &q.phrases {
        assert!(phrase.len() >= 2, "a one-word phrase is a word: {q:?}");
        assert!(phrase.iter().all(|s| !s.is_empty()), "{q:?}");
    }
    assert!(q.excluded.iter().all(|s| !s.is_empty()), "{q:?}");
    // A query without a quote, a minus sign or a word character asks for nothing.
    if !text.contains(|c: char| c.is_alphanumeric()) {
        assert!(q.is_empty() && q.excluded.is_empty(), "{q:?}");
    }

    let (stems, prefixes) = q.highlight_terms();
    let marks = highlights(text, &stems, &prefixes);
    let mut at = 0;
    for &(a, b) in &marks {
        assert!(at <= a && a < b && b <= text.len(), "{marks:?}");
        assert!(
            text.is_char_boundary(a) && text.is_char_boundary(b),
            "{marks:?}"
        );
        at = b;
    }
    // The query as the text of a document: the excerpt marks its words and escapes the rest.
    assert_excerpt_escaped(&excerpt_html(&[text], &stems, &prefixes));
}

fn check_service(query: &str) {
    let p = params(query);
    let service = service();
    let Some(html) = service.handle("/sok/", query) else {
        panic!("/sok/ is not a search route");
    };
    assert!(matches!(html.status, 200 | 400), "{}", html.status);
    let body = String::from_utf8_lossy(&html.body);
    let problems = unsafe_html(&body);
    assert!(problems.is_empty(), "{problems:?} in {body}");
    // The query text is in the form only escaped, and the status line has it trimmed and escaped.
    if html.status == 200
        && let Ok(req) = request(&p)
    {
        let value = format!("name=\"q\" value=\"{}\"", html_escape(&req.text));
        assert!(body.contains(&value), "{value} is not in {body}");
        assert!(req.limit <= 50, "{}", req.limit);
    }

    let Some(json) = service.handle("/sok/svar.json", query) else {
        panic!("/sok/svar.json is not a search route");
    };
    assert!(matches!(json.status, 200 | 400), "{}", json.status);
    let value: serde_json::Value = match serde_json::from_slice(&json.body) {
        Ok(v) => v,
        Err(e) => panic!("the JSON answer is not JSON ({e}): {:?}", json.body),
    };
    if json.status == 200 {
        let hits = value["hits"].as_array().map_or(0, Vec::len);
        let total = value["total"].as_u64().unwrap_or(0);
        assert!(hits as u64 <= total, "{value}");
        for hit in value["hits"].as_array().into_iter().flatten() {
            assert_excerpt_escaped(hit["excerpt"].as_str().unwrap_or(""));
        }
    } else {
        assert!(value["fel"].is_string(), "{value}");
    }
}

/// The ways tantivy's query grammar nests (parentheses, field groups, `NOT` chains), each one
/// level per repetition.
const NESTED_QUERIES: &[Nesting] = &[
    ("(", ")"),
    ("+(", ")"),
    ("-(", ")"),
    ("titel:(", ")"),
    ("NOT ", ""),
    ("(\"", "\")"),
    ("NOT (", ")"),
    ("(budget OR ", ")"),
    ("+(-(", "))"),
];

fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// A deeply nested advanced query: answered on both routes, refused with the depth error when it
/// nests deeper than the limit.
fn check_deep(data: &[u8]) {
    let Some((text, depth)) = deep(data, NESTED_QUERIES) else {
        return;
    };
    let query = format!("q={}&avancerad=1", encode(&text));
    let service = service();
    let Some(json) = service.handle("/sok/svar.json", &query) else {
        panic!("/sok/svar.json is not a search route");
    };
    let value: serde_json::Value = match serde_json::from_slice(&json.body) {
        Ok(v) => v,
        Err(e) => panic!("the JSON answer is not JSON ({e}): {:?}", json.body),
    };
    if depth > MAX_ADVANCED_DEPTH {
        assert_eq!(json.status, 400, "depth {depth}: {value}");
        let message = value["fel"].as_str().unwrap_or_default();
        assert!(
            message.contains("för djupt nästlad"),
            "depth {depth}: {message}"
        );
    } else {
        assert!(matches!(json.status, 200 | 400), "{}", json.status);
    }
    let Some(html) = service.handle("/sok/", &query) else {
        panic!("/sok/ is not a search route");
    };
    assert_eq!(html.status, json.status);
}

fuzz_target!(|data: &[u8]| {
    check_deep(data);
    let text = String::from_utf8_lossy(data);
    check_parser(&text);
    // Query strings as a browser sends them: the input as the whole string, and as the text of q
    // (with the advanced language too), so that the parser sees raw text either way.
    let p = params(&text);
    if let Some(q) = p.get("q") {
        check_parser(q);
    }
    check_service(&text);
    let encoded: String = text
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect();
    check_service(&format!("q={encoded}"));
    check_service(&format!("q={encoded}&avancerad=1"));
});
