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

fn hashed_bytes(prefix: &str, bytes: Vec<u8>) -> (String, Vec<u8>) {
    // FNV-1a: a stable content hash for cache-busting names, not for security.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in &bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    (format!("{prefix}-{h:016x}.json"), bytes)
}

fn hashed(prefix: &str, value: &Value) -> (String, Vec<u8>) {
    hashed_bytes(prefix, value.to_string().into_bytes())
}

/// Serialises typed data straight to JSON bytes: the index holds millions of numbers, and going
/// through `serde_json::Value` cost seconds and hundreds of megabytes at national size.
fn push_json<T: serde::Serialize + ?Sized>(out: &mut Vec<u8>, value: &T) {
    // Writing plain data (strings, numbers, maps with string or integer keys) into a Vec cannot fail.
    let _ = serde_json::to_writer(&mut *out, value);
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
type TermFacets<'a> = (
    usize,
    BTreeMap<usize, usize>,
    BTreeMap<i32, usize>,
    BTreeMap<&'a str, usize>,
    usize,
);

fn term_facets<'a>(
    units: &'a [UnitInfo],
    forbund_ix: &BTreeMap<&str, usize>,
    ords: &[u32],
) -> TermFacets<'a> {
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
    (ords.len(), f, y, k, d)
}

/// One term's entry in its term shard, and for a common term its full list for the shard's tail
/// file, both as JSON.
struct TermEntry {
    term: String,
    entry: Vec<u8>,
    tail: Option<Vec<u8>>,
}

fn term_entry(
    term: String,
    list: &[(u32, u32)],
    units: &[UnitInfo],
    forbund_ix: &BTreeMap<&str, usize>,
) -> TermEntry {
    let ords: Vec<u32> = list.iter().map(|p| p.0).collect();
    let impacts: Vec<u32> = list.iter().map(|p| p.1).collect();
    let mut entry = Vec::new();
    if list.len() > COMMON {
        let mut best = list.to_vec();
        best.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        best.truncate(HEAD);
        best.sort_by_key(|p| p.0);
        let head_ords: Vec<u32> = best.iter().map(|p| p.0).collect();
        let head_impacts: Vec<u32> = best.iter().map(|p| p.1).collect();
        let mut tail = Vec::new();
        push_json(&mut tail, &(delta(&ords), impacts));
        push_json(
            &mut entry,
            &(
                &term,
                delta(&head_ords),
                head_impacts,
                term_facets(units, forbund_ix, &ords),
            ),
        );
        TermEntry {
            term,
            entry,
            tail: Some(tail),
        }
    } else {
        push_json(&mut entry, &(&term, delta(&ords), impacts));
        TermEntry {
            term,
            entry,
            tail: None,
        }
    }
}

/// Writes the term shards (and their tail files) of `entries`, in byte order of the terms.
fn term_shards(entries: Vec<TermEntry>, files: &mut Vec<DataFile>) -> Vec<(String, String)> {
    let mut shards = Vec::new();
    let mut body: Vec<u8> = Vec::new();
    let mut tails: Vec<u8> = Vec::new();
    let mut first = String::new();
    let mut flush = |body: &mut Vec<u8>, tails: &mut Vec<u8>, first: &str| {
        if body.is_empty() {
            return;
        }
        // {"svans": <tail file or null>, "termer": [...]}: the keys in byte order, as before.
        let mut shard = br#"{"svans":"#.to_vec();
        if tails.is_empty() {
            shard.extend_from_slice(b"null");
        } else {
            tails.push(b'}');
            let (name, bytes) = hashed_bytes("p", std::mem::take(tails));
            push_json(&mut shard, &name);
            files.push(DataFile {
                path: PathBuf::from(DATA_DIR).join(&name),
                bytes,
            });
        }
        shard.extend_from_slice(br#","termer":["#);
        shard.append(body);
        shard.extend_from_slice(b"]}");
        let (name, bytes) = hashed_bytes("t", shard);
        files.push(DataFile {
            path: PathBuf::from(DATA_DIR).join(&name),
            bytes,
        });
        shards.push((first.to_string(), name));
    };
    let mut size = 0usize;
    for e in entries {
        if body.is_empty() {
            first.clone_from(&e.term);
        } else {
            body.push(b',');
        }
        size += e.entry.len();
        body.extend_from_slice(&e.entry);
        if let Some(t) = e.tail {
            tails.push(if tails.is_empty() { b'{' } else { b',' });
            push_json(&mut tails, &e.term);
            tails.push(b':');
            tails.extend_from_slice(&t);
        }
        if size > TERM_SHARD_BYTES {
            flush(&mut body, &mut tails, &first);
            size = 0;
        }
    }
    flush(&mut body, &mut tails, &first);
    shards
}

/// The text kept on a unit's result card for its excerpt: the start of its decisions, then of
/// its body, [`CARD_TEXT_CHARS`] characters in all. Taken before the index is written so that the
/// units' full texts can be let go of before the static index is built.
pub fn card_text(decisions: &str, body: &str) -> String {
    let mut text: String = decisions.chars().take(CARD_TEXT_CHARS).collect();
    let used = text.chars().count();
    if used < CARD_TEXT_CHARS && !body.is_empty() {
        if !text.is_empty() {
            text.push(' ');
        }
        let room = CARD_TEXT_CHARS - text.chars().count();
        text.extend(body.chars().take(room));
    }
    text
}

/// Builds every file of the static index from an open engine; `card_texts` holds each unit's
/// [`card_text`], in the archive's order.
pub fn build(engine: &Engine, card_texts: &[String]) -> Result<Vec<DataFile>, SearchError> {
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
    let entries: Vec<Result<Option<TermEntry>, SearchError>> = terms
        .into_par_iter()
        .map(|t| {
            let list = engine.term_impacts(&t)?;
            Ok((!list.is_empty()).then(|| term_entry(t, &list, units, &forbund_ix)))
        })
        .collect();
    let mut present = Vec::with_capacity(entries.len());
    for e in entries {
        if let Some(e) = e? {
            present.push(e);
        }
    }
    let mut files = Vec::new();
    let shards = term_shards(present, &mut files);

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

    let cards: Vec<(usize, DataFile)> = units
        .par_chunks(CARDS_PER_SHARD)
        .enumerate()
        .map(|(i, chunk)| {
            let first = i * CARDS_PER_SHARD;
            let mut bytes = vec![b'['];
            for (j, u) in chunk.iter().enumerate() {
                if j > 0 {
                    bytes.push(b',');
                }
                let text = card_texts.get(first + j).map_or("", String::as_str);
                push_json(
                    &mut bytes,
                    &(
                        &u.id,
                        &u.url,
                        &u.label,
                        &u.title,
                        &u.document,
                        &u.date,
                        text,
                    ),
                );
            }
            bytes.push(b']');
            let (name, bytes) = hashed_bytes("u", bytes);
            (
                first,
                DataFile {
                    path: PathBuf::from(DATA_DIR).join(name),
                    bytes,
                },
            )
        })
        .collect();
    let mut card_files = Vec::new();
    for (first, file) in cards {
        let name = file
            .path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        card_files.push(json!([first, name]));
        files.push(file);
    }
    let manifest = json!({
        "version": 1,
        "enheter": units.len(),
        "forbund": forbund.iter().map(|f| json!([f.0, f.1])).collect::<Vec<_>>(),
        "termer": shards.iter().map(|(first, name)| json!([first, name])).collect::<Vec<_>>(),
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
