//! Search on the example archive (issue 5): ranking, Swedish analysis, phrases, filters, the
//! server's routes and the privacy guard over everything search publishes.

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
fn phrases_need_the_words_in_order() {
    let phrase = ids("\"extern utvärdering\"", Filters::default());
    assert!(
        phrase.contains(&"soderasen/2025-03-11#p19".to_string()),
        "{phrase:?}"
    );
    let reversed = ids("\"utvärdering extern\"", Filters::default());
    assert!(
        !reversed.contains(&"soderasen/2025-03-11#p19".to_string()),
        "{reversed:?}"
    );
    // Inside a longer query.
    let longer = ids("upphandling \"extern utvärdering\"", Filters::default());
    assert_eq!(
        longer.first().map(String::as_str),
        Some("soderasen/2025-03-11#p19")
    );
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
    let index_dir = site().join(protokoll::search::index::INDEX_DIR);
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
        let bytes = std::fs::read(e.path()).expect("read");
        let bad = blocking(&String::from_utf8_lossy(&bytes));
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
