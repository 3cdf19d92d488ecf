//! The static index for plain web hosts: the same terms and impacts as the tantivy index
//! ([`Engine::term_impacts`]), cut into small content-hashed JSON files under `sok/data/` that
//! the browser fetches as a query needs them (themes/default/static/sok.js).
//!
//! - `manifest.json`: counts, förbund names, the first term of each term shard and every file name.
//! - `t-<hash>.json`: a range of terms in byte order; per term its units (ordinals, delta-coded)
//!   and impacts. A very common term keeps only its [`HEAD`] best units here, with its total and
//!   facet counts; its full list is in the shard's `p-<hash>.json`, fetched only when a query
//!   needs more than the head (filters, several words).
//! - `k-<hash>.json`: the directory: förbund, year, kind, decision and meeting date of every unit,
//!   run-length coded, for filters and facet counts.
//! - `u-<hash>.json`: result cards (address, label, title, document, excerpt text) by ordinal range.

use super::engine::{Engine, SearchError, UnitInfo};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::path::PathBuf;

/// Folder of the static index, relative to the output folder.
pub const DATA_DIR: &str = "sok/data";
/// A term with more units than this keeps only its best ones in the term shard.
pub const COMMON: usize = 2_000;
/// The best units kept in the term shard for a common term.
pub const HEAD: usize = 100;
/// Raw bytes after which a term shard is closed.
const TERM_SHARD_BYTES: usize = 120_000;
/// Units per card shard.
const CARDS_PER_SHARD: usize = 2_000;
/// Characters of text kept on a card for the excerpt.
const CARD_TEXT_CHARS: usize = 200;

/// One file of the static index.
pub struct DataFile {
    pub path: PathBuf,
    pub bytes: Vec<u8>,
}

fn hashed(prefix: &str, value: &Value) -> (String, Vec<u8>) {
    let bytes = value.to_string().into_bytes();
    // FNV-1a: a stable content hash for cache-busting names, not for security.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in &bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    (format!("{prefix}-{h:016x}.json"), bytes)
}

fn delta(ords: &[u32]) -> Vec<u32> {
    let mut prev = 0;
    ords.iter()
        .map(|&o| {
            let d = o - prev;
            prev = o;
            d
        })
        .collect()
}

/// Facet counts of a term's units: [total, {förbund index: n}, {year: n}, {kind: n}, decisions].
fn term_facets(units: &[UnitInfo], forbund_ix: &BTreeMap<&str, usize>, ords: &[u32]) -> Value {
    let mut f: BTreeMap<usize, usize> = BTreeMap::new();
    let mut y: BTreeMap<i32, usize> = BTreeMap::new();
    let mut k: BTreeMap<&str, usize> = BTreeMap::new();
    let mut d = 0;
    for &o in ords {
        let u = &units[o as usize];
        *f.entry(forbund_ix[u.forbund.as_str()]).or_default() += 1;
        *y.entry(u.year).or_default() += 1;
        *k.entry(u.kind.as_str()).or_default() += 1;
        d += usize::from(u.has_decision);
    }
    json!([ords.len(), f, y, k, d])
}

/// Builds every file of the static index from an open engine.
pub fn build(engine: &Engine, texts: &[(String, String)]) -> Result<Vec<DataFile>, SearchError> {
    use rayon::prelude::*;
    let units = engine.units();
    let mut forbund: Vec<(&str, &str)> = units
        .iter()
        .map(|u| (u.forbund.as_str(), u.forbund_name.as_str()))
        .collect();
    forbund.dedup();
    forbund.sort();
    forbund.dedup();
    let forbund_ix: BTreeMap<&str, usize> =
        forbund.iter().enumerate().map(|(i, f)| (f.0, i)).collect();
    let terms = engine.all_terms()?;
    type TermList = (String, Vec<(u32, u32)>);
    let postings: Vec<Result<TermList, SearchError>> = terms
        .into_par_iter()
        .map(|t| engine.term_impacts(&t).map(|p| (t, p)))
        .collect();
    let mut files = Vec::new();
    let mut shards: Vec<Value> = Vec::new();
    let mut entries: Vec<Value> = Vec::new();
    let mut tails: BTreeMap<String, Value> = BTreeMap::new();
    let mut first_term = String::new();
    let mut size = 0usize;
    let flush = |entries: &mut Vec<Value>,
                 tails: &mut BTreeMap<String, Value>,
                 first: &str,
                 files: &mut Vec<DataFile>,
                 shards: &mut Vec<Value>| {
        if entries.is_empty() {
            return;
        }
        let tail_name = if tails.is_empty() {
            Value::Null
        } else {
            let (name, bytes) = hashed("p", &json!(std::mem::take(tails)));
            files.push(DataFile {
                path: PathBuf::from(DATA_DIR).join(&name),
                bytes,
            });
            Value::String(name)
        };
        let (name, bytes) = hashed(
            "t",
            &json!({"termer": std::mem::take(entries), "svans": tail_name}),
        );
        files.push(DataFile {
            path: PathBuf::from(DATA_DIR).join(&name),
            bytes,
        });
        shards.push(json!([first, name]));
    };
    for p in postings {
        let (term, list) = p?;
        if list.is_empty() {
            continue;
        }
        if entries.is_empty() {
            first_term = term.clone();
        }
        let ords: Vec<u32> = list.iter().map(|p| p.0).collect();
        let entry = if list.len() > COMMON {
            let mut best = list.clone();
            best.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            best.truncate(HEAD);
            best.sort_by_key(|p| p.0);
            let head_ords: Vec<u32> = best.iter().map(|p| p.0).collect();
            tails.insert(
                term.clone(),
                json!([delta(&ords), list.iter().map(|p| p.1).collect::<Vec<_>>()]),
            );
            json!([
                term,
                delta(&head_ords),
                best.iter().map(|p| p.1).collect::<Vec<_>>(),
                term_facets(units, &forbund_ix, &ords)
            ])
        } else {
            json!([
                term,
                delta(&ords),
                list.iter().map(|p| p.1).collect::<Vec<_>>()
            ])
        };
        size += entry.to_string().len();
        entries.push(entry);
        if size > TERM_SHARD_BYTES {
            flush(
                &mut entries,
                &mut tails,
                &first_term,
                &mut files,
                &mut shards,
            );
            size = 0;
        }
    }
    flush(
        &mut entries,
        &mut tails,
        &first_term,
        &mut files,
        &mut shards,
    );

    // The directory, run-length coded: [[value, count], …] per column.
    fn runs<T: PartialEq + Clone + serde::Serialize>(values: impl Iterator<Item = T>) -> Value {
        let mut out: Vec<(T, usize)> = Vec::new();
        for v in values {
            match out.last_mut() {
                Some((last, n)) if *last == v => *n += 1,
                _ => out.push((v, 1)),
            }
        }
        json!(
            out.into_iter()
                .map(|(v, n)| json!([v, n]))
                .collect::<Vec<_>>()
        )
    }
    let days = |u: &UnitInfo| -> i64 {
        u.date
            .as_deref()
            .and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
            .map_or(-1, |d| (d - chrono::NaiveDate::default()).num_days())
    };
    let directory = json!({
        "forbund": runs(units.iter().map(|u| forbund_ix[u.forbund.as_str()])),
        "ar": runs(units.iter().map(|u| u.year)),
        "typ": runs(units.iter().map(|u| u.kind.clone())),
        "datum": runs(units.iter().map(days)),
        "beslut": units.iter().map(|u| if u.has_decision { '1' } else { '0' }).collect::<String>(),
    });
    let (dir_name, bytes) = hashed("k", &directory);
    files.push(DataFile {
        path: PathBuf::from(DATA_DIR).join(&dir_name),
        bytes,
    });

    let mut card_files = Vec::new();
    for (i, chunk) in units.chunks(CARDS_PER_SHARD).enumerate() {
        let cards: Vec<Value> = chunk
            .iter()
            .enumerate()
            .map(|(j, u)| {
                let (decisions, body) = &texts[i * CARDS_PER_SHARD + j];
                let mut text: String = decisions.chars().take(CARD_TEXT_CHARS).collect();
                if text.chars().count() < CARD_TEXT_CHARS && !body.is_empty() {
                    if !text.is_empty() {
                        text.push(' ');
                    }
                    let room = CARD_TEXT_CHARS - text.chars().count();
                    text.extend(body.chars().take(room));
                }
                json!([u.id, u.url, u.label, u.title, u.document, u.date, text])
            })
            .collect();
        let (name, bytes) = hashed("u", &json!(cards));
        files.push(DataFile {
            path: PathBuf::from(DATA_DIR).join(&name),
            bytes,
        });
        card_files.push(json!([i * CARDS_PER_SHARD, name]));
    }
    let manifest = json!({
        "version": 1,
        "enheter": units.len(),
        "forbund": forbund.iter().map(|f| json!([f.0, f.1])).collect::<Vec<_>>(),
        "termer": shards,
        "katalog": dir_name,
        "kort": card_files,
        "vanlig": COMMON,
        "topp": HEAD,
        "prefix": super::engine::MAX_PREFIX_TERMS,
        "minPrefix": super::query::MIN_PREFIX_CHARS,
    });
    files.push(DataFile {
        path: PathBuf::from(DATA_DIR).join("manifest.json"),
        bytes: manifest.to_string().into_bytes(),
    });
    Ok(files)
}
