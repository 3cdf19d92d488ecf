//! Search on the example archive (issue 5): ranking, Swedish analysis, phrases, filters, the
//! server's routes and the privacy guard over everything search publishes.

mod common;

use common::tags;
use protokoll::build::{BuildOptions, build};
use protokoll::search::engine::{Engine, Filters, Request};
use protokoll::search::http::SearchService;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

fn site() -> &'static Path {
    static SITE: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    &SITE
        .get_or_init(|| {
            let dir = tempfile::tempdir().expect("temp dir");
            let out = dir.path().join("finsam");
            let options = BuildOptions {
                root: PathBuf::from(env!("CARGO_MANIFEST_DIR")),
                today: chrono::NaiveDate::from_ymd_opt(2025, 3, 20).expect("date"),
                output: Some(out.clone()),
                progress: false,
                precompress: false,
                full: false,
            };
            build(&options)
                .map_err(|f| format!("{:?}", f.diagnostics))
                .expect("the example builds");
            (dir, out)
        })
        .1
}

fn engine() -> &'static Engine {
    static E: OnceLock<Engine> = OnceLock::new();
    E.get_or_init(|| Engine::open(site()).expect("index opens"))
}

fn ids(text: &str, filters: Filters) -> Vec<String> {
    let r = engine()
        .search(&Request {
            text: text.into(),
            filters,
            limit: 50,
            ..Default::default()
        })
        .expect("search");
    r.hits.into_iter().map(|h| h.id).collect()
}

#[test]
fn arsredovisning_2024_ranks_soderasen_p16_first() {
    assert_eq!(
        ids("årsredovisning 2024", Filters::default())[0],
        "soderasen/2025-03-11#p16"
    );
}

#[test]
fn karlskrona_forstudie_finds_blekinge_p14() {
    assert!(
        ids("Karlskrona förstudie", Filters::default())
            .contains(&"blekinge/2025-05-05#p14".to_string())
    );
}

#[test]
fn forbundet_finds_units_that_only_say_samordningsforbundet() {
    let units = engine().units();
    let found = ids(
        "förbundet ",
        Filters {
            ..Default::default()
        },
    );
    let all = engine()
        .search(&Request {
            text: "förbundet ".into(),
            limit: 10_000,
            ..Default::default()
        })
        .expect("search");
    let found: Vec<String> = all.hits.into_iter().map(|h| h.id).chain(found).collect();
    // §§ whose text has "samordningsförbundet" but no form of "förbund" on its own.
    let texts = texts_by_id();
    let only_compound: Vec<&String> = texts
        .iter()
        .filter(|(_, t)| {
            let w: Vec<String> = protokoll::search::analysis::words(t)
                .into_iter()
                .map(|w| w.lower)
                .collect();
            w.iter().any(|w| w.starts_with("samordningsförbund"))
                && !w.iter().any(|w| w.starts_with("förbund"))
        })
        .map(|(id, _)| id)
        .collect();
    assert!(!only_compound.is_empty(), "the example has such a §");
    for id in only_compound {
        assert!(found.contains(id), "{id} not found; units: {}", units.len());
    }
}

fn texts_by_id() -> Vec<(String, String)> {
    let (_, loaded) = protokoll::build::load_site(Path::new(env!("CARGO_MANIFEST_DIR")));
    let urls = protokoll::render::urls::Urls::new("/finsam/");
    protokoll::search::index::units(&loaded.archive, &urls)
        .into_iter()
        .map(|u| (u.id, format!("{} {} {}", u.title, u.body, u.decisions)))
        .collect()
}

#[test]
fn mal_is_not_mal() {
    let texts = texts_by_id();
    for id in ids("mål ", Filters::default()) {
        let text = &texts.iter().find(|(i, _)| *i == id).expect("unit").1;
        assert!(text.to_lowercase().contains("mål"), "{id} has no \"mål\"");
    }
    for id in ids("mal ", Filters::default()) {
        let text = &texts.iter().find(|(i, _)| *i == id).expect("unit").1;
        let words: Vec<String> = protokoll::search::analysis::words(text)
            .into_iter()
            .map(|w| w.lower)
            .collect();
        assert!(
            words.iter().any(|w| w.starts_with("mal")),
            "{id} matched \"mal\" without it"
        );
    }
}

#[test]
fn a_phrase_needs_all_its_words_and_the_advanced_language_their_order() {
    // A citizen's phrase means what the browser can check without word positions: all its
    // words in one unit, ranked by their impacts; so the static host, the server and the
    // command line answer it alike (docs/search.md). The order is the advanced language's.
    let phrase = ids("\"extern utvärdering\"", Filters::default());
    assert!(
        phrase.contains(&"soderasen/2025-03-11#p19".to_string()),
        "{phrase:?}"
    );
    let reversed = ids("\"utvärdering extern\"", Filters::default());
    assert_eq!(reversed, phrase);
    // Every hit has both words (a phrase is one requirement: no partial matches of it).
    let extern_ = ids("extern", Filters::default());
    for id in &phrase {
        assert!(extern_.contains(id), "{id} lacks \"extern\"");
    }
    // Inside a longer query.
    let longer = ids("upphandling \"extern utvärdering\"", Filters::default());
    assert_eq!(
        longer.first().map(String::as_str),
        Some("soderasen/2025-03-11#p19")
    );
    // tantivy's phrases check the order.
    let advanced = |q: &str| -> Vec<String> {
        engine()
            .search(&Request {
                text: q.into(),
                advanced: true,
                limit: 50,
                ..Default::default()
            })
            .expect("search")
            .hits
            .into_iter()
            .map(|h| h.id)
            .collect()
    };
    assert!(advanced("\"extern utvärdering\"").contains(&"soderasen/2025-03-11#p19".to_string()));
    assert!(!advanced("\"utvärdering extern\"").contains(&"soderasen/2025-03-11#p19".to_string()));
}

#[test]
fn a_year_filter_keeps_that_year_and_counts_the_others() {
    let all = engine()
        .search(&Request {
            text: "beslutar ".into(),
            limit: 100,
            ..Default::default()
        })
        .expect("search");
    let filtered = engine()
        .search(&Request {
            text: "beslutar ".into(),
            limit: 100,
            filters: Filters {
                year: Some(2020),
                ..Default::default()
            },
            ..Default::default()
        })
        .expect("search");
    assert!(filtered.total > 0 && filtered.total < all.total);
    assert!(filtered.hits.iter().all(|h| h.year == 2020));
    let y2025 = filtered
        .facets
        .year
        .iter()
        .find(|y| y.value == "2025")
        .expect("2025 counted");
    assert!(y2025.count > 0, "other years keep their counts");
}

#[test]
fn results_are_the_same_from_the_server_the_json_route_and_the_engine() {
    let service = SearchService::open(site(), "/finsam/").expect("service");
    let r = service
        .handle("/finsam/sok/svar.json", "q=%C3%A5rsredovisning+2024")
        .expect("route");
    assert_eq!(r.status, 200);
    let v: serde_json::Value = serde_json::from_slice(&r.body).expect("json");
    assert_eq!(v["hits"][0]["id"], "soderasen/2025-03-11#p16");
    assert!(
        v["hits"][0]["excerpt"]
            .as_str()
            .unwrap_or("")
            .contains("<mark>")
    );
    let html = service
        .handle(
            "/finsam/sok/",
            "q=Karlskrona+f%C3%B6rstudie&forbund=blekinge",
        )
        .expect("route");
    let html = String::from_utf8(html.body).expect("utf8");
    assert!(
        html.contains("data-id=\"blekinge/2025-05-05#p14\""),
        "{html}"
    );
    assert!(html.contains("<option value=\"blekinge\" selected>"));
    assert!(
        !html.contains("id=\"sok-info\""),
        "the static-host note is gone"
    );
    assert!(service.handle("/finsam/annat/", "").is_none());
    let bad = service
        .handle("/finsam/sok/svar.json", "q=x&ar=tjugo")
        .expect("route");
    assert_eq!(bad.status, 400);
}

#[test]
fn nothing_search_publishes_carries_personal_data() {
    let policy = protokoll::privacy::Policy::default();
    let blocking = |text: &str| -> Vec<_> {
        protokoll::privacy::scan(text, &policy)
            .into_iter()
            .filter(|f| f.kind.blocks_publication())
            .collect()
    };
    let index_dir = protokoll::search::index::location(site());
    let mut scanned = 0;
    for e in walkdir::WalkDir::new(site().join("sok"))
        .into_iter()
        .filter_map(Result::ok)
    {
        // tantivy's own files are compressed binary, where any run of bytes may read as a number
        // (this test once failed on a randomly named store file); what they hold is read back
        // decoded below. Its JSON files are text and scanned here.
        let in_index = e.path().starts_with(&index_dir);
        if !e.file_type().is_file()
            || (in_index && e.path().extension().is_none_or(|x| x != "json"))
        {
            continue;
        }
        let Some(text) = common::published_text(e.path()) else {
            continue;
        };
        let bad = blocking(&text);
        assert!(bad.is_empty(), "{}: {bad:?}", e.path().display());
        scanned += 1;
    }
    assert!(scanned > 5);
    // Every document the (compressed) tantivy index stores, decoded.
    let documents = engine().stored_documents().expect("stored documents");
    assert_eq!(documents.len(), engine().units().len());
    for (text, unit) in documents.iter().zip(engine().units()) {
        let bad = blocking(text);
        assert!(bad.is_empty(), "{}: {bad:?}", unit.id);
    }
}

/// Hostile query text for the escaping tests: markup, an event handler, template syntax of the
/// theme's engine (the server fills the built page by string replacement, and must not hand the
/// text to a template engine either) and a script URL.
const HOSTILE: &[&str] = &[
    "<script>alert(1)</script>",
    "\"><img src=x onerror=alert(1)>",
    "'><svg onload=alert(1)>",
    "{{ x }}",
    "{% raw %}",
    "javascript:alert(1)",
];

/// Percent-encodes every byte but ASCII letters and digits, as a form would.
fn form_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// What in a page could run script or load something: each element that can, each event
/// handler attribute, each `javascript:` URL, and the raw text `<script` (in case the tag scanner
/// missed one). The answer may have no more than the built page itself, which loads its own
/// script with `<script src=…>`.
fn dangerous(html: &str) -> Vec<String> {
    let mut found = Vec::new();
    for tag in tags(html) {
        if matches!(
            tag.name.as_str(),
            "script" | "img" | "svg" | "iframe" | "object" | "embed" | "style" | "base"
        ) {
            found.push(format!("<{}>", tag.name));
        }
        for (name, value) in &tag.attrs {
            if name.starts_with("on") {
                found.push(format!("{name}= on <{}>", tag.name));
            }
            // A form field's value is text, not a URL.
            if value.trim().to_lowercase().starts_with("javascript:") && name != "value" {
                found.push(format!("{name}=\"{value}\" on <{}>", tag.name));
            }
        }
    }
    let raw = html.to_lowercase().matches("<script").count();
    found.push(format!("{raw} × <script"));
    found.sort();
    found
}

#[test]
fn the_server_escapes_query_text_in_its_html_and_json_answers() {
    let service = SearchService::open(site(), "/finsam/").expect("service");
    let page = std::fs::read_to_string(site().join("sok/index.html")).expect("search page");
    let page_dangers = dangerous(&page);
    let escaped = protokoll::search::engine::html_escape;
    for payload in HOSTILE {
        let q = form_encode(payload);
        // The citizens' language, tantivy's (whose syntax errors quote the query back), a query
        // with hits (so that excerpts and facet links are written, with the payload in the
        // links) and the payload in every filter field (bad values are quoted in the error).
        // Every word of the payload excluded (a double quote would open a phrase that must
        // match, so it becomes a single one).
        let excluded: Vec<String> = payload
            .replace('"', "'")
            .split_whitespace()
            .map(|w| format!("-{w}"))
            .collect();
        let with_hits = form_encode(&format!("årsredovisning {}", excluded.join(" ")));
        let queries = [
            format!("q={q}"),
            format!("q={q}&avancerad=1"),
            format!("q={with_hits}"),
            format!("q={q}&forbund={q}&ar={q}&typ={q}&fran={q}&till={q}&beslut={q}"),
            format!("q=budget&fran={q}"),
        ];
        for query in &queries {
            let html = service.handle("/finsam/sok/", query).expect("route");
            let body = String::from_utf8(html.body).expect("utf8");
            assert_eq!(
                dangerous(&body),
                page_dangers,
                "{query}: markup from the query in\n{body}"
            );
            let text = protokoll::search::http::request(&protokoll::search::http::params(query))
                .map(|r| r.text)
                .unwrap_or_default();
            if html.status == 200 {
                // Read back as a browser would (entities decoded), the field holds the query as
                // typed, and its markup is written as entities.
                let field = tags(&body).into_iter().find(|t| t.attr("id") == Some("q"));
                assert_eq!(
                    field.as_ref().and_then(|t| t.attr("value")),
                    Some(text.as_str()),
                    "{query}: the search field does not hold the query"
                );
                assert!(
                    body.contains(&format!("name=\"q\" value=\"{}\"", escaped(&text))),
                    "{query}: the search field does not hold the query, escaped"
                );
            }
            let json = service
                .handle("/finsam/sok/svar.json", query)
                .expect("route");
            assert!(matches!(json.status, 200 | 400), "{query}: {}", json.status);
            let value: serde_json::Value = serde_json::from_slice(&json.body)
                .unwrap_or_else(|e| panic!("{query}: the answer is not JSON: {e}"));
            assert!(
                value.get("hits").is_some() || value.get("fel").is_some(),
                "{query}: {value}"
            );
        }
        // The status line says what was searched for, as text.
        let html = service
            .handle("/finsam/sok/", &format!("q={q}"))
            .expect("route");
        let body = String::from_utf8(html.body).expect("utf8");
        assert!(
            body.contains(&format!("för ”{}”", escaped(payload.trim()))),
            "{payload}: the status does not quote the query\n{body}"
        );
        let hits = service
            .handle("/finsam/sok/", &format!("q={with_hits}"))
            .expect("route");
        let hits = String::from_utf8(hits.body).expect("utf8");
        assert!(
            hits.contains("class=\"traff\""),
            "{payload}: the query with hits found nothing, so the excerpts went untested"
        );
    }
}

#[test]
fn the_word_being_typed_is_completed_only_while_it_is_not_a_word() {
    // "budget" is a word of the archive: typed or finished, it finds the same.
    assert_eq!(
        ids("budget", Filters::default()),
        ids("budget ", Filters::default())
    );
    // "utvär" is not: it finds the words it begins, "utvärdering" among them.
    let typed = ids("utvär", Filters::default());
    assert!(!typed.is_empty());
    // Finished, it is no word: it is not completed, only corrected to a word one edit away.
    let finished = engine()
        .search(&Request {
            text: "utvär ".into(),
            limit: 10,
            ..Default::default()
        })
        .expect("search");
    assert!(
        finished.total == 0 || finished.corrected.is_some(),
        "{finished:?}"
    );
    for id in ids("utvärdering", Filters::default()) {
        assert!(
            typed.contains(&id),
            "{id} has utvärdering but utvär misses it"
        );
    }
}

/// One block of a static index file, inflated.
fn static_block(file: &Path, start: usize, length: usize) -> serde_json::Value {
    let bytes = std::fs::read(file).expect("read");
    let mut text = String::new();
    std::io::Read::read_to_string(
        &mut flate2::read::GzDecoder::new(&bytes[start..start + length]),
        &mut text,
    )
    .expect("one gzip block");
    serde_json::from_str(&text).expect("JSON block")
}

#[test]
fn the_static_index_answers_one_word_from_one_block() {
    use protokoll::search::static_index::{HEAD, best};
    let data = site().join(protokoll::search::static_index::DATA_DIR);
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(data.join("manifest.json")).expect("manifest"))
            .expect("manifest JSON");
    let file = data.join(manifest["termer"]["fil"].as_str().expect("term file"));
    let blocks = manifest["termer"]["block"].as_array().expect("blocks");
    let mut checked = 0;
    for word in [
        "och",
        "styrelsen",
        "årsredovisning",
        "förbundet",
        "karlskrona",
    ] {
        let stem = protokoll::search::analysis::stem(word);
        let term = stem.as_str();
        // The block of a term: the last whose key sorts at or before it, as sok.js finds it.
        let mut start = 0;
        let mut found = None;
        for b in blocks {
            let key = b[0].as_str().expect("key");
            let length = b[1].as_u64().expect("length") as usize;
            if key <= term {
                found = Some((start, length));
            }
            start += length;
        }
        let (start, length) = found.expect("a block");
        let block = static_block(&file, start, length);
        let entry = block["termer"]
            .as_array()
            .expect("terms")
            .iter()
            .find(|e| e[0] == term)
            .unwrap_or_else(|| panic!("{term} is in its block"));
        let list = engine().term_impacts(term).expect("impacts");
        assert_eq!(entry[1].as_u64(), Some(list.len() as u64), "{term}: total");
        // Its kept units: all of them, or the best HEAD with the place of the full list.
        let mut prev = 0;
        let kept: Vec<u64> = entry[3]
            .as_array()
            .expect("ordinals")
            .iter()
            .map(|d| {
                prev += d.as_u64().expect("delta");
                prev
            })
            .collect();
        let top = best(&list, HEAD);
        if list.len() > HEAD {
            assert_eq!(kept.len(), HEAD, "{term}");
            assert!(entry[5].is_array(), "{term}: the place of its full list");
        } else {
            assert_eq!(kept.len(), list.len(), "{term}");
            assert!(entry[5].is_null(), "{term}");
        }
        for (o, _) in &top {
            assert!(
                kept.contains(&u64::from(*o)),
                "{term}: {o} is among its best"
            );
            let card = block["kort"]
                .as_array()
                .expect("cards")
                .iter()
                .find(|c| c[0] == *o)
                .unwrap_or_else(|| panic!("{term}: the card of {o} is in the block"));
            assert_eq!(
                card[1][0].as_str(),
                Some(engine().units()[*o as usize].id.as_str())
            );
        }
        // Its facet counts add up to its total.
        let by_forbund: u64 = entry[2][0]
            .as_object()
            .expect("förbund counts")
            .values()
            .map(|n| n.as_u64().expect("count"))
            .sum();
        assert_eq!(by_forbund, list.len() as u64, "{term}");
        checked += 1;
    }
    assert_eq!(checked, 5);
}

#[test]
fn one_word_answers_read_from_the_static_index_equal_the_scored_ones() {
    let e = engine();
    let terms = e.all_terms().expect("terms");
    assert!(terms.len() > 1000, "{}", terms.len());
    let stored = e.stored_answers().expect("the built site's static index");
    let mut read_from_store = 0;
    // Every word of the archive as a finished word, and every beginning of three to six letters
    // as the word being typed, on the first page.
    let mut queries: Vec<String> = terms.iter().map(|t| format!("{t} ")).collect();
    let mut typed = std::collections::BTreeSet::new();
    for t in &terms {
        for n in 3..=6 {
            if let Some((i, _)) = t.char_indices().nth(n) {
                typed.insert(t[..i].to_string());
            }
        }
    }
    queries.extend(typed);
    let mut differ = Vec::new();
    for q in &queries {
        let req = Request {
            text: q.clone(),
            limit: 10,
            ..Default::default()
        };
        let read = e.search(&req).expect("search");
        let scored = e.search_scored(&req).expect("scored search");
        let word = q.trim_end();
        if q.ends_with(' ') && stored.term(word).is_some()
            || !q.ends_with(' ') && stored.prefix(word).is_some()
        {
            read_from_store += 1;
        }
        if read != scored {
            differ.push(format!("{q:?}: {} / {} hits", read.total, scored.total));
        }
    }
    assert!(
        differ.is_empty(),
        "{} of {}: {:?}",
        differ.len(),
        queries.len(),
        &differ[..differ.len().min(10)]
    );
    // Every term has its answer stored, and so do the beginnings of two or more terms.
    assert!(read_from_store > terms.len(), "{read_from_store}");
}

#[test]
fn full_lists_read_from_the_static_index_equal_the_scored_ones() {
    let e = engine();
    let stored = e.stored_answers().expect("the built site's static index");
    let terms = e.all_terms().expect("terms");
    let mut long = 0;
    for t in &terms {
        let read = stored.impacts(t).expect("the postings file is readable");
        let scored = e.term_impacts(t).expect("impacts");
        assert_eq!(*read, scored, "{t}");
        if scored.len() > protokoll::search::static_index::HEAD {
            long += 1;
        }
    }
    // Both kinds of entry were compared: those with their whole list in the block and those
    // whose full list is in the postings file.
    assert!(long > 50, "{long} of {} terms", terms.len());
    assert!(
        stored
            .impacts("ordsomintefinns")
            .is_some_and(|l| l.is_empty())
    );
    // Combined queries (words, a typed word, a phrase, an excluded word, filters) give the same
    // answer from the read lists as from tantivy's.
    let year = Filters {
        year: Some(2025),
        ..Default::default()
    };
    for (q, filters) in [
        ("årsredovisning 2024", Filters::default()),
        ("karlskrona förstudie", Filters::default()),
        ("styrelsen beslut och", Filters::default()),
        ("förbundet utv", Filters::default()),
        ("\"extern utvärdering\" insatser", Filters::default()),
        ("budget -2025", Filters::default()),
        ("protokoll", year.clone()),
        ("möte justering", year),
    ] {
        let req = Request {
            text: q.to_string(),
            limit: 20,
            filters,
            ..Default::default()
        };
        let read = e.search(&req).expect("search");
        assert!(read.total > 0, "{q}: found nothing");
        assert_eq!(read, e.search_scored(&req).expect("scored search"), "{q}");
    }
}

#[test]
fn every_word_of_the_archive_begins_with_its_stem() {
    // The excerpt marking skips stemming words that begin with no query stem: right only if the
    // stemmer never changes a word's beginning.
    let mut words = 0;
    for e in walkdir::WalkDir::new(Path::new(env!("CARGO_MANIFEST_DIR")).join("content"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
    {
        let text = std::fs::read_to_string(e.path()).expect("read");
        for w in protokoll::search::analysis::words(&text) {
            let s = protokoll::search::analysis::stem(&w.lower);
            assert!(w.lower.starts_with(s.as_str()), "{} → {s}", w.lower);
            words += 1;
        }
    }
    assert!(words > 5_000, "{words}");
}

/// `protokoll search --avancerad` with a query nested 50,000 levels deep (40,000 overflowed the
/// stack and killed the process): a clear error on stderr and exit code 2, no crash.
#[test]
fn the_command_line_refuses_a_deeply_nested_advanced_query_with_a_clear_error() {
    let deep = [
        format!("{}budget{}", "(".repeat(50_000), ")".repeat(50_000)),
        "NOT ".repeat(25_000),
        "titel:(".repeat(15_000),
    ];
    for query in deep {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_protokoll"))
            .args(["search", "--avancerad", "--rot"])
            .arg(site())
            .arg(&query)
            .env("NO_COLOR", "1")
            .output()
            .expect("protokoll search runs");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        assert!(
            stderr.starts_with("protokoll search: frågan är för djupt nästlad"),
            "{stderr}"
        );
        assert!(stderr.lines().count() == 1, "{stderr}");
    }
    // A normal advanced query still answers.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_protokoll"))
        .args(["search", "--avancerad", "--rot"])
        .arg(site())
        .arg("(budget OR revision) AND NOT (titel:(extern))")
        .output()
        .expect("protokoll search runs");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The depth limit leaves room: at the deepest query allowed, in every nesting form, a search
/// runs on a thread with an eighth of the stack of the server's search threads (Rust's 2 MiB),
/// unoptimised as the tests are built.
#[test]
fn the_deepest_advanced_query_allowed_fits_easily_on_a_server_threads_stack() {
    use protokoll::search::engine::{MAX_ADVANCED_DEPTH, SearchError};
    let engine = engine();
    let n = MAX_ADVANCED_DEPTH;
    let queries = [
        format!("{}budget{}", "(".repeat(n), ")".repeat(n)),
        format!(
            "{}budget{}",
            "+(-(budget OR ".repeat(n / 2),
            "))".repeat(n / 2)
        ),
        format!("{}budget{}", "titel:(".repeat(n), ")".repeat(n)),
        format!("{}budget", "NOT ".repeat(n - 1)) + " revision",
        format!(
            "{}(budget){}",
            "NOT (".repeat(n / 2 - 1),
            ")".repeat(n / 2 - 1)
        ),
    ];
    let results = std::thread::scope(|s| {
        std::thread::Builder::new()
            .stack_size(256 * 1024)
            .spawn_scoped(s, || {
                queries
                    .iter()
                    .map(|q| {
                        engine.search(&Request {
                            text: q.clone(),
                            advanced: true,
                            limit: 5,
                            ..Default::default()
                        })
                    })
                    .collect::<Vec<_>>()
            })
            .expect("thread")
            .join()
            .expect("no stack overflow")
    });
    for (q, r) in queries.iter().zip(results) {
        match r {
            Ok(_) | Err(SearchError::Syntax(_)) => {}
            Err(e) => panic!("{q}: {e}"),
        }
    }
}

fn search(text: &str, filters: Filters) -> protokoll::search::engine::Results {
    engine()
        .search(&Request {
            text: text.into(),
            filters,
            limit: 10,
            ..Default::default()
        })
        .expect("search")
}

#[test]
fn a_misspelt_word_is_corrected_and_answered() {
    // A letter missing, two letters swapped, a letter changed: each finds the § the right
    // spelling finds, and offers the right spelling. Also near the word's beginning (a letter
    // missing at the second place, two swapped at the second and third), where corrections are
    // tried last.
    for q in [
        "årsredovisnng 2024",
        "årsredovsining 2024",
        "årsredovisnimg 2024",
        "åsredovisning 2024",
        "åsrredovisning 2024",
    ] {
        let r = search(q, Filters::default());
        assert_eq!(
            r.corrected.as_deref(),
            Some("årsredovisning 2024"),
            "{q}: {r:?}"
        );
        let top: Vec<&str> = r.hits.iter().take(2).map(|h| h.id.as_str()).collect();
        assert!(top.contains(&"soderasen/2025-03-11#p16"), "{q}: {top:?}");
    }
    // A word spelt right is never corrected.
    assert_eq!(search("årsredovisning", Filters::default()).corrected, None);
}

#[test]
fn a_member_is_found_by_name_role_and_organisation() {
    // Roger Eliasson, vice ordförande, Arbetsförmedlingen, attended Söderåsen's meetings: every
    // hit is a § of a Söderåsen protocol, and no unit of another förbund is found.
    let r = search("Roger Eliasson", Filters::default());
    assert!(r.complete > 0, "{r:?}");
    assert!(
        r.hits.iter().all(|h| h.id.starts_with("soderasen/")),
        "{r:?}"
    );
    assert!(
        r.hits
            .iter()
            .any(|h| h.excerpt.contains("<mark>Eliasson</mark>")),
        "the excerpt shows the name: {:?}",
        r.hits[0].excerpt
    );
    let r = search(
        "Eliasson vice ordförande arbetsförmedlingen",
        Filters::default(),
    );
    assert!(
        r.complete > 0 && r.hits[0].id.starts_with("soderasen/"),
        "{r:?}"
    );
}

#[test]
fn a_date_in_the_query_is_a_filter_on_the_meeting_date() {
    for q in ["11 mars 2025", "2025-03-11", "den 11 mars 2025"] {
        let r = search(q, Filters::default());
        assert!(r.total >= 10, "{q}: {}", r.total);
        assert!(
            r.hits
                .iter()
                .all(|h| h.date.as_deref() == Some("2025-03-11")),
            "{q}"
        );
        assert_eq!(r.date.as_deref(), Some("2025-03-11"));
    }
    // With words: the words searched among that meeting's §§.
    let r = search("budget 2025-03-11", Filters::default());
    assert!(r.total > 0);
    assert!(
        r.hits
            .iter()
            .all(|h| h.date.as_deref() == Some("2025-03-11"))
    );
    // A date that does not exist is said, not silently matched against nothing.
    let r = search("budget 2025-02-30", Filters::default());
    assert_eq!(r.invalid_date.as_deref(), Some("2025-02-30"));
    assert!(r.total > 0, "the words are still searched");
}

#[test]
fn block_labels_and_decision_ids_are_searchable() {
    let r = search("reservation", Filters::default());
    assert_eq!(r.hits[0].id, "blekinge/2025-05-05#p14", "{r:?}");
    assert!(r.hits[0].excerpt.contains("<mark>Reservation</mark>"));
    assert!(search("bilaga", Filters::default()).total > 0);
    let r = search("2025-3 §14:2", Filters::default());
    assert_eq!(r.hits[0].id, "blekinge/2025-05-05#p14", "{r:?}");
}

#[test]
fn a_compound_query_word_is_split_when_the_archive_does_not_have_it_whole() {
    // "förbundsbudget" stands nowhere whole; its parts do.
    let texts = texts_by_id();
    assert!(
        !texts
            .iter()
            .any(|(_, t)| t.to_lowercase().contains("förbundsbudget"))
    );
    let r = search("förbundsbudget", Filters::default());
    assert!(r.complete > 0, "{r:?}");
    let top = &r.hits[0];
    let text = &texts
        .iter()
        .find(|(id, _)| *id == top.id)
        .expect("unit")
        .1
        .to_lowercase();
    assert!(
        text.contains("förbund") && text.contains("budget"),
        "{}",
        top.id
    );
}

#[test]
fn filters_alone_list_the_matching_paragraphs_newest_first() {
    let blekinge = Filters {
        forbund: Some("blekinge".into()),
        ..Default::default()
    };
    let r = search("", blekinge.clone());
    assert!(r.browse);
    let all = ids("budget", Filters::default()).len();
    assert!(r.total > 10 && all > 0, "{}", r.total);
    assert!(r.hits.iter().all(|h| h.forbund == "blekinge"));
    let dates: Vec<&str> = r.hits.iter().filter_map(|h| h.date.as_deref()).collect();
    let mut sorted = dates.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(dates, sorted, "newest first");
    // Nothing at all (no words, no filters) is still the prompt to type.
    assert_eq!(search("", Filters::default()).total, 0);
}

#[test]
fn zero_results_offer_the_nearest_alternatives() {
    let narrow = Filters {
        forbund: Some("blekinge".into()),
        year: Some(2020),
        ..Default::default()
    };
    let r = search("budget", narrow);
    assert_eq!(r.total, 0);
    // Without the förbund: Söderåsen's budget of 2020; without the year: Blekinge's of 2025.
    assert!(
        r.status.contains("Närmast: utan valet av förbund: ")
            && r.status.contains("utan valet av år: "),
        "{}",
        r.status
    );
}

#[test]
fn no_query_of_known_words_comes_back_empty() {
    // Three words, each from a different §, rarely stand together: the best partial matches
    // are given instead of nothing.
    let texts = texts_by_id();
    let vocab: Vec<Vec<String>> = texts
        .iter()
        .map(|(_, t)| {
            protokoll::search::analysis::words(t)
                .into_iter()
                .map(|w| w.lower)
                .filter(|w| w.chars().count() >= 4 && w.chars().all(char::is_alphabetic))
                .collect()
        })
        .filter(|w: &Vec<String>| !w.is_empty())
        .collect();
    let mut seed: u64 = 19;
    let mut next = |n: usize| {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (seed >> 33) as usize % n
    };
    let mut empty = Vec::new();
    for _ in 0..200 {
        let words: Vec<String> = (0..3)
            .map(|_| {
                let unit = &vocab[next(vocab.len())];
                unit[next(unit.len())].clone()
            })
            .collect();
        let q = words.join(" ") + " ";
        if search(&q, Filters::default()).total == 0 {
            empty.push(q);
        }
    }
    assert!(empty.is_empty(), "{empty:?}");
}

#[test]
fn a_word_with_other_forms_is_answered_from_its_own_stored_entry() {
    // "insatser" and "insats" stem apart (Snowball: "insats" / "insat"); a one-word query of
    // either matches both, and the term's stored entry holds that answer, so the browser reads
    // one block for it.
    let e = engine();
    let stored = e.stored_answers().expect("the built site's static index");
    let mut with_forms = 0;
    for word in ["insatser", "insats", "beslut", "förbundet", "kapitalet"] {
        let plan = e.plan(&protokoll::search::query::parse(&format!("{word} ")));
        let term = plan.single_term().expect("one word, answered by its term");
        if plan.words[0].forms.len() > 1 {
            with_forms += 1;
        }
        let entry = stored.term(term).expect("stored");
        let r = search(word, Filters::default());
        assert_eq!(entry.total, r.total, "{word}");
        let ids: Vec<&str> = r.hits.iter().map(|h| h.id.as_str()).collect();
        let best: Vec<&str> = entry
            .best
            .iter()
            .take(10)
            .map(|&(o, _)| e.units()[o as usize].id.as_str())
            .collect();
        assert_eq!(ids, best, "{word}");
    }
    assert!(with_forms > 0, "some of the words have other forms");
}

/// The server's search page for `query`, as plain HTML (what a browser without JavaScript gets).
fn server_page(query: &str) -> (u16, String) {
    static SERVICE: OnceLock<SearchService> = OnceLock::new();
    let service = SERVICE.get_or_init(|| SearchService::open(site(), "/finsam/").expect("service"));
    let r = service.handle("/finsam/sok/", query).expect("route");
    (r.status, String::from_utf8(r.body).expect("utf8"))
}

#[test]
fn the_server_page_is_the_themes_search_page_with_the_answer_in_it() {
    let (status, html) = server_page("q=styrelsen&typ=protokoll");
    assert_eq!(status, 200);
    // The theme's page around the answer: the header, the form and the filters as the build
    // rendered them, with the chosen values kept.
    let built = std::fs::read_to_string(site().join("sok/index.html")).expect("built page");
    for part in [
        "<header class=\"sidhuvud\">",
        "<footer class=\"sidfot\">",
        "action=\"/finsam/sok/\"",
    ] {
        assert!(built.contains(part) && html.contains(part), "{part}");
    }
    assert!(html.contains("name=\"q\" value=\"styrelsen\""), "{html}");
    assert!(html.contains("<option value=\"protokoll\" selected>"));
    assert!(
        html.contains("<details class=\"sok-filter\" id=\"sok-filter\" open>"),
        "a chosen filter shows"
    );
    // The hits as a list of links with excerpts, no note that JavaScript is needed.
    let hits = common::by_class(&html, "li", "traff");
    assert_eq!(hits.len(), 10, "{html}");
    assert!(hits.iter().all(|h| h.contains("<a href=\"/finsam/")));
    assert!(html.contains("<mark>"));
    assert!(!html.contains("id=\"sok-info\""));
    let total = engine()
        .search(&Request {
            text: "styrelsen".into(),
            limit: 10,
            filters: Filters {
                kind: Some("protokoll".into()),
                ..Default::default()
            },
            ..Default::default()
        })
        .expect("search")
        .total;
    assert!(total > 10, "the example has more than a page of hits");
    // Later pages by an ordinary link, which keeps the query and the filter.
    let pages = common::by_class(&html, "nav", "sok-sidor");
    assert_eq!(pages.len(), 1, "{html}");
    let next = common::text(pages[0]);
    assert!(next.contains(&format!("Träff 1–10 av {total}")), "{next}");
    assert!(
        pages[0].contains("href=\"/finsam/sok/?q=styrelsen&amp;start=10&amp;typ=protokoll\""),
        "{}",
        pages[0]
    );
    let (_, second) = server_page("q=styrelsen&start=10&typ=protokoll");
    let second_hits = common::by_class(&second, "li", "traff");
    assert!(!second_hits.is_empty());
    assert!(
        second_hits.iter().all(|h| !hits.contains(h)),
        "page 2 repeats page 1"
    );
    assert!(second.contains("rel=\"prev\""));
    assert!(second.contains("<ol class=\"sok-traffar\" start=\"11\">"));
}

#[test]
fn the_server_page_links_the_correction_and_the_nearest_searches() {
    // Nothing in Blekinge's 2020: links to the same search without each filter.
    let (status, html) = server_page("q=budget&forbund=blekinge&ar=2020");
    assert_eq!(status, 200);
    let nearest = common::by_class(&html, "ul", "sok-narmast");
    assert_eq!(nearest.len(), 1, "{html}");
    assert!(
        nearest[0].contains("href=\"/finsam/sok/?ar=2020&amp;q=budget\"")
            && nearest[0].contains("href=\"/finsam/sok/?forbund=blekinge&amp;q=budget\""),
        "{}",
        nearest[0]
    );
    assert!(common::text(nearest[0]).contains("Sök utan valet av förbund ("));
    assert!(
        html.contains("<option value=\"2020\" selected>"),
        "the year stays chosen"
    );
    assert!(html.contains("<option value=\"blekinge\" selected>"));
    // A misspelt word: the status says what was searched, and a link searches for it.
    let (_, html) = server_page("q=%C3%A5rsredovisnig");
    let suggestion = common::by_class(&html, "p", "sok-forslag");
    assert_eq!(suggestion.len(), 1, "{html}");
    assert!(common::text(suggestion[0]).contains("Sök i stället efter årsredovisning"));
    assert!(suggestion[0].contains("href=\"/finsam/sok/?q=%C3%A5rsredovisning\""));
    // A bad filter: the form comes back with the message, not a bare error.
    let (status, html) = server_page("q=budget&ar=tjugo");
    assert_eq!(status, 400);
    assert!(common::text(common::by_id(&html, "sok-antal").expect("status")).contains("ar"));
    assert!(html.contains("name=\"q\" value=\"budget\""));
}
