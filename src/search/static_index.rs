//! The static index for plain web hosts: the same terms and impacts as the tantivy index
//! ([`Engine::term_impacts`]), in a handful of files under `sok/data/` that the browser reads in
//! small pieces with HTTP range requests (themes/default/static/sok.js).
//!
//! Each `.bin` file is a run of independent gzip members, one per block; the browser asks for one
//! block's bytes (`Range: bytes=a-b`) and inflates it itself. A host that ignores ranges sends the
//! whole file, which still works, only slower. docs/search.md has the layout for developers.
//!
//! - `manifest.json`: counts, förbund names, the first term (shortened) and byte length of every
//!   term block, and the names of the other files.
//! - `t-<hash>.bin`, term blocks: per term its total, its facet counts, and its units with impacts:
//!   every unit for a rare term, the [`HEAD`] best for the others, with the place of the full list.
//!   Each block also carries the result cards of the first page of each of its terms, so a
//!   one-word query is answered from one block.
//! - `p-<hash>.bin`: the full list ([`full_list`]: ordinals delta-coded, impacts, as varints) of
//!   every term that has more than [`HEAD`] units, one member per term, fetched when a query
//!   combines words or filters.
//! - `u-<hash>.bin`: result cards (id, address, label, title, document, date, excerpt text) by
//!   ordinal, [`CARDS_PER_BLOCK`] per member.
//! - `k-<hash>.json`: the directory: förbund, year, kind and decision of every unit, run-length
//!   coded, for filters and facet counts, and the byte lengths of the card blocks.
//! - `d-<hash>.json`: every unit's meeting day, run-length coded, read only for a date range.

use super::engine::{Engine, FacetColumns, SearchError, UnitInfo};
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

/// Folder of the static index, relative to the output folder.
pub const DATA_DIR: &str = "sok/data";
/// Units kept with a term in its block (one page of results); a term with more also has its full
/// list in the postings file.
pub const HEAD: usize = 10;
/// Raw bytes after which a term block is closed (about 8–12 KB compressed).
const TERM_BLOCK_BYTES: usize = 40_000;
/// Result cards per card block.
pub const CARDS_PER_BLOCK: usize = 48;
/// Characters of text kept on a card for the excerpt.
const CARD_TEXT_CHARS: usize = 200;

/// One file of the static index.
pub struct DataFile {
    pub path: PathBuf,
    /// The file as published.
    pub bytes: Vec<u8>,
    /// What the privacy check reads: the uncompressed blocks of a file of gzip blocks (none for
    /// the postings, which hold only numbers), or `None` when `bytes` is the text already.
    pub plain: Option<Vec<Vec<u8>>>,
}

impl DataFile {
    /// The texts the privacy check reads.
    pub fn texts(&self) -> Vec<&[u8]> {
        match &self.plain {
            Some(blocks) => blocks.iter().map(Vec::as_slice).collect(),
            None => vec![self.bytes.as_slice()],
        }
    }
}

fn content_hash(bytes: &[u8]) -> u64 {
    // FNV-1a: a stable content hash for cache-busting names, not for security.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

fn data_path(name: &str) -> PathBuf {
    PathBuf::from(DATA_DIR).join(name)
}

/// Serialises typed data straight to JSON bytes: the index holds millions of numbers, and going
/// through `serde_json::Value` cost seconds and hundreds of megabytes at national size.
fn push_json<T: serde::Serialize + ?Sized>(out: &mut Vec<u8>, value: &T) {
    // Writing plain data (strings, numbers, maps with string or integer keys) into a Vec cannot fail.
    let _ = serde_json::to_writer(&mut *out, value);
}

fn delta(ords: impl IntoIterator<Item = u32>) -> Vec<u32> {
    let mut prev = 0;
    ords.into_iter()
        .map(|o| {
            let d = o - prev;
            prev = o;
            d
        })
        .collect()
}

/// gzip at level 9, with an empty header (no name, time 0): the blocks a query reads.
fn gzip(bytes: &[u8]) -> Result<Vec<u8>, SearchError> {
    Ok(crate::render::compress::gzip(bytes)?)
}

/// gzip at level 6 for the full lists and the cards by ordinal: level 9 took up to six times as
/// long for 2–3 % fewer bytes, and they are read only when a query combines words or filters.
fn gzip_fast(bytes: &[u8]) -> Result<Vec<u8>, SearchError> {
    use std::io::Write;
    let mut encoder = flate2::GzBuilder::new().mtime(0).write(
        Vec::with_capacity(bytes.len() / 3),
        flate2::Compression::new(6),
    );
    encoder.write_all(bytes)?;
    Ok(encoder.finish()?)
}

/// A file of gzip members: the published bytes and each member's compressed length.
struct Blocks {
    bytes: Vec<u8>,
    lengths: Vec<usize>,
}

fn blocks(compressed: Vec<Vec<u8>>) -> Blocks {
    let mut bytes = Vec::with_capacity(compressed.iter().map(Vec::len).sum());
    let mut lengths = Vec::with_capacity(compressed.len());
    for c in compressed {
        lengths.push(c.len());
        bytes.extend_from_slice(&c);
    }
    Blocks { bytes, lengths }
}

/// Compresses every member in parallel with `gzip`.
fn compress_all(
    members: &[Vec<u8>],
    gzip: fn(&[u8]) -> Result<Vec<u8>, SearchError>,
) -> Result<Vec<Vec<u8>>, SearchError> {
    use rayon::prelude::*;
    members.par_iter().map(|m| gzip(m)).collect()
}

/// Names a file by its content and adds it to `files`; returns the name.
fn publish(
    files: &mut Vec<DataFile>,
    prefix: &str,
    ext: &str,
    bytes: Vec<u8>,
    plain: Option<Vec<Vec<u8>>>,
) -> String {
    let name = format!("{prefix}-{:016x}.{ext}", content_hash(&bytes));
    files.push(DataFile {
        path: data_path(&name),
        bytes,
        plain,
    });
    name
}

/// Facet counts of a term's units: {förbund index: n}, {year: n}, {kind: n}, decisions.
type TermFacets<'a> = (
    BTreeMap<usize, usize>,
    BTreeMap<i32, usize>,
    BTreeMap<&'a str, usize>,
    usize,
);

fn term_facets<'a>(cols: &'a FacetColumns, list: &[(u32, u32)]) -> TermFacets<'a> {
    let (forbund, year, kind, decision) =
        (cols.forbund(), cols.year(), cols.kind(), cols.decision());
    let mut f = vec![0usize; cols.forbund_names().len()];
    let mut y = vec![0usize; cols.years().len()];
    let mut k = vec![0usize; cols.kinds().len()];
    let mut d = 0;
    for &(o, _) in list {
        let o = o as usize;
        f[forbund[o] as usize] += 1;
        y[year[o] as usize] += 1;
        k[kind[o] as usize] += 1;
        d += usize::from(decision[o]);
    }
    let nonzero = |counts: Vec<usize>| counts.into_iter().enumerate().filter(|c| c.1 > 0);
    (
        nonzero(f).collect(),
        nonzero(y).map(|(i, n)| (cols.years()[i], n)).collect(),
        nonzero(k)
            .map(|(i, n)| (cols.kinds()[i].as_str(), n))
            .collect(),
        d,
    )
}

/// The order results are shown in: (ordinal, impact) by impact, then archive order.
pub fn rank_order(a: &(u32, u32), b: &(u32, u32)) -> std::cmp::Ordering {
    b.1.cmp(&a.1).then(a.0.cmp(&b.0))
}

/// The best `n` units of a list, in [`rank_order`].
pub fn best(list: &[(u32, u32)], n: usize) -> Vec<(u32, u32)> {
    let mut b = list.to_vec();
    b.sort_by(rank_order);
    b.truncate(n);
    b
}

/// Appends `n` as a LEB128 varint: seven bits a byte, the high bit set on all but the last.
fn push_varint(out: &mut Vec<u8>, mut n: u32) {
    while n >= 0x80 {
        out.push((n as u8 & 0x7f) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

/// A term's full list as the postings file holds it, in varints: the number of units, each
/// unit's ordinal as the change from the previous one, then each unit's impact. Binary, not JSON:
/// half the bytes, and a quarter of the time to compress.
fn full_list(list: &[(u32, u32)]) -> Vec<u8> {
    let mut out = Vec::with_capacity(list.len() * 4 + 4);
    push_varint(&mut out, list.len() as u32);
    for d in delta(list.iter().map(|p| p.0)) {
        push_varint(&mut out, d);
    }
    for p in list {
        push_varint(&mut out, p.1);
    }
    out
}

/// What the static index keeps of one term.
struct TermData {
    term: String,
    /// `[total, facets, ordinals (delta), impacts` without the closing place of the full list.
    entry: Vec<u8>,
    /// Ordinals of its first page of results, for the block's cards.
    top: Vec<u32>,
    /// Its full list for the postings file, when the block keeps only its head.
    full: Option<Vec<u8>>,
}

/// A term's entry. `answer`: the units of a one-word query of the term when it also matches other
/// forms ([`sok_core::plan::forms_of`]); the entry then holds that answer, and the term's own
/// list always goes to the postings file.
fn term_data(
    term: String,
    list: &[(u32, u32)],
    answer: Option<&[(u32, u32)]>,
    cols: &FacetColumns,
) -> Result<TermData, SearchError> {
    let shown = answer.unwrap_or(list);
    let top_list = best(shown, HEAD);
    let top: Vec<u32> = top_list.iter().map(|p| p.0).collect();
    let (kept, full) = if shown.len() > HEAD || answer.is_some() {
        let mut head = top_list;
        head.sort_by_key(|p| p.0);
        (head, Some(gzip_fast(&full_list(list))?))
    } else {
        (list.to_vec(), None)
    };
    let mut entry = Vec::new();
    push_json(
        &mut entry,
        &(
            &term,
            shown.len(),
            term_facets(cols, shown),
            delta(kept.iter().map(|p| p.0)),
            kept.iter().map(|p| p.1).collect::<Vec<_>>(),
        ),
    );
    entry.pop(); // the closing bracket: the place of the full list follows
    Ok(TermData {
        term,
        entry,
        top,
        full,
    })
}

/// The answer for a typed beginning that is not a term itself and begins two or more terms: the
/// union of its first [`MAX_PREFIX_TERMS`](super::engine::MAX_PREFIX_TERMS) completions, each unit
/// with its best impact among them, as the server scores it. Kept with the block of its first
/// completion, so that search-as-you-type reads one block.
struct PrefixData {
    /// Index of its first completion in the terms.
    first: usize,
    /// `[prefix, total, facets, ordinals (delta), impacts, null]`: the shape of a term's entry.
    entry: Vec<u8>,
    top: Vec<u32>,
}

/// The entry of an answer that is not a term's own (a typed beginning's)
/// from its units by ordinal: `[key, total, facets, ordinals (delta), impacts, null]`, the shape of
/// a term's entry with no full list, as it has none; and the ordinals of its best units, whose
/// cards go in its block.
fn keyed_entry(key: &str, units: &[(u32, u32)], cols: &FacetColumns) -> (Vec<u8>, Vec<u32>) {
    let top_list = best(units, HEAD);
    let mut head = top_list.clone();
    head.sort_by_key(|p| p.0);
    let mut entry = Vec::new();
    push_json(
        &mut entry,
        &(
            key,
            units.len(),
            term_facets(cols, units),
            delta(head.iter().map(|p| p.0)),
            head.iter().map(|p| p.1).collect::<Vec<_>>(),
            (),
        ),
    );
    (entry, top_list.iter().map(|p| p.0).collect())
}

fn prefix_data(
    engine: &Engine,
    names: &[String],
    cols: &FacetColumns,
) -> Result<Vec<PrefixData>, SearchError> {
    use rayon::prelude::*;
    let min = super::query::MIN_PREFIX_CHARS;
    let limit = super::engine::MAX_PREFIX_TERMS;
    let is_term = |p: &str| names.binary_search_by(|n| n.as_str().cmp(p)).is_ok();
    let mut candidates: BTreeSet<&str> = BTreeSet::new();
    for t in names {
        for (n, (i, _)) in t.char_indices().enumerate() {
            if n >= min && !is_term(&t[..i]) {
                candidates.insert(&t[..i]);
            }
        }
    }
    // Grouped by their first `min` characters, so each group reads its terms' lists once.
    let mut groups: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for p in candidates {
        let root_end = p.char_indices().nth(min).map_or(p.len(), |(i, _)| i);
        groups.entry(&p[..root_end]).or_default().push(p);
    }
    let groups: Vec<Vec<&str>> = groups.into_values().collect();
    let done: Vec<Result<Vec<PrefixData>, SearchError>> = groups
        .par_iter()
        .map(|group| {
            let mut lists: BTreeMap<usize, Vec<(u32, u32)>> = BTreeMap::new();
            let mut out = Vec::new();
            for p in group {
                let first = names.partition_point(|n| n.as_str() < *p);
                let end = names[first..]
                    .iter()
                    .take(limit)
                    .take_while(|n| n.starts_with(*p))
                    .count()
                    + first;
                if end - first < 2 {
                    continue;
                }
                let mut union: Vec<(u32, u32)> = Vec::new();
                for i in first..end {
                    if let std::collections::btree_map::Entry::Vacant(v) = lists.entry(i) {
                        v.insert(engine.term_impacts(&names[i])?);
                    }
                    union.extend_from_slice(&lists[&i]);
                }
                // By ordinal, the best impact first, then one per unit.
                union.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
                union.dedup_by_key(|p| p.0);
                let (entry, top) = keyed_entry(p, &union, cols);
                out.push(PrefixData { first, entry, top });
            }
            Ok(out)
        })
        .collect();
    let mut all = Vec::new();
    for d in done {
        all.extend(d?);
    }
    all.sort_by_key(|p| p.first);
    Ok(all)
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

/// A result card: id, address, label, title, document, date, excerpt text and the place of the
/// unit's förbund in the manifest.
fn push_card(out: &mut Vec<u8>, u: &UnitInfo, text: &str, forbund: u32) {
    push_json(
        out,
        &(
            &u.id,
            &u.url,
            &u.label,
            &u.title,
            &u.document,
            &u.date,
            text,
            forbund,
        ),
    );
}

/// The shortest beginning of `first` that still sorts after `previous`: enough for the browser to
/// find the block of a term.
fn separator(previous: &str, first: &str) -> String {
    for (i, _) in first.char_indices().skip(1) {
        if &first[..i] > previous {
            return first[..i].to_string();
        }
    }
    first.to_string()
}

/// Builds every file of the static index from an open engine; `card_texts` holds each unit's
/// [`card_text`], in the archive's order.
pub fn build(engine: &Engine, card_texts: &[String]) -> Result<Vec<DataFile>, SearchError> {
    use rayon::prelude::*;
    let units = engine.units();
    let text_of = |o: usize| card_texts.get(o).map_or("", String::as_str);
    let cols = engine.facet_columns();
    let forbund_of = cols.forbund();
    let terms = engine.all_terms()?;
    let is_term = |t: &str| terms.binary_search_by(|x| x.as_str().cmp(t)).is_ok();
    let data: Vec<Result<Option<TermData>, SearchError>> = terms
        .par_iter()
        .map(|t| {
            let list = engine.term_impacts(t)?;
            if list.is_empty() {
                return Ok(None);
            }
            // A one-word query of the term also matches its other forms (sok-core's plan): its
            // stored answer is theirs together, so that it is still read from one block.
            let forms = sok_core::plan::forms_of(t, &is_term);
            let answer = if forms.is_empty() {
                None
            } else {
                let mut lists = vec![list.clone()];
                for f in &forms {
                    lists.push(engine.term_impacts(f)?);
                }
                let refs: Vec<&[(u32, u32)]> = lists.iter().map(Vec::as_slice).collect();
                let merged: Vec<(u32, u32)> = sok_core::rank::best_of(&refs)
                    .into_iter()
                    .map(|(o, i)| (o, u32::try_from(i).unwrap_or(u32::MAX)))
                    .collect();
                Some(merged)
            };
            term_data(t.clone(), &list, answer.as_deref(), cols).map(Some)
        })
        .collect();
    let mut terms = Vec::with_capacity(data.len());
    for d in data {
        if let Some(d) = d? {
            terms.push(d);
        }
    }
    let mut files = Vec::new();

    // The postings file: the full lists, in term order.
    let mut full_lists = Vec::new();
    let mut places: Vec<Option<(usize, usize)>> = Vec::with_capacity(terms.len());
    let mut at = 0;
    for t in &mut terms {
        places.push(t.full.take().map(|f| {
            let place = (at, f.len());
            at += f.len();
            full_lists.push(f);
            place
        }));
    }
    let postings = blocks(full_lists);
    // Only varint numbers: no text in it for the privacy check to read.
    let postings_name = publish(&mut files, "p", "bin", postings.bytes, Some(Vec::new()));

    let names: Vec<String> = terms.iter().map(|t| t.term.clone()).collect();
    let prefixes = prefix_data(engine, &names, cols)?;
    drop(names);

    // The term blocks, in the byte order of terms: each with the answers for the beginnings of
    // its terms and the cards of every first page it holds.
    let mut members: Vec<Vec<u8>> = Vec::new();
    let mut firsts: Vec<String> = Vec::new();
    let (mut start, mut next_prefix) = (0, 0);
    let mut last_key: Option<&str> = None;
    while start < terms.len() {
        let mut end = start;
        let mut size = 0;
        let mut cards: BTreeSet<u32> = BTreeSet::new();
        let prefix_start = next_prefix;
        let mut first_key: Option<&str> = None;
        let mut block_last: &str = "";
        while end < terms.len() && (first_key.is_none() || size < TERM_BLOCK_BYTES) {
            let mut tops = Vec::new();
            let t = &terms[end];
            size += t.entry.len() + 16;
            tops.push(&t.top);
            while next_prefix < prefixes.len() && prefixes[next_prefix].first == end {
                size += prefixes[next_prefix].entry.len() + 1;
                tops.push(&prefixes[next_prefix].top);
                next_prefix += 1;
            }
            end += 1;
            let key = t.term.as_str();
            first_key.get_or_insert(key);
            for &o in tops.into_iter().flatten() {
                if cards.insert(o) {
                    size += 120 + text_of(o as usize).len();
                }
            }
            block_last = key;
        }
        let mut m = br#"{"termer":["#.to_vec();
        for (i, (t, place)) in terms[start..end]
            .iter()
            .zip(&places[start..end])
            .enumerate()
        {
            if i > 0 {
                m.push(b',');
            }
            m.extend_from_slice(&t.entry);
            m.push(b',');
            match place {
                Some(p) => push_json(&mut m, &[p.0, p.1]),
                None => m.extend_from_slice(b"null"),
            }
            m.push(b']');
        }
        let entries = |m: &mut Vec<u8>, list: &mut dyn Iterator<Item = &Vec<u8>>| {
            for (i, e) in list.enumerate() {
                if i > 0 {
                    m.push(b',');
                }
                m.extend_from_slice(e);
            }
        };
        m.extend_from_slice(br#"],"prefix":["#);
        entries(
            &mut m,
            &mut prefixes[prefix_start..next_prefix].iter().map(|p| &p.entry),
        );
        m.extend_from_slice(br#"],"kort":["#);
        for (i, &o) in cards.iter().enumerate() {
            if i > 0 {
                m.push(b',');
            }
            m.push(b'[');
            push_json(&mut m, &o);
            m.push(b',');
            push_card(
                &mut m,
                &units[o as usize],
                text_of(o as usize),
                forbund_of[o as usize],
            );
            m.push(b']');
        }
        m.extend_from_slice(b"]}");
        let first = first_key.unwrap_or_default();
        firsts.push(match last_key {
            Some(previous) => separator(previous, first),
            None => String::new(),
        });
        last_key = Some(block_last);
        members.push(m);
        start = end;
    }
    drop(prefixes);
    let term_blocks = blocks(compress_all(&members, gzip)?);
    let terms_name = publish(&mut files, "t", "bin", term_blocks.bytes, Some(members));

    // The card blocks by ordinal.
    let members: Vec<Vec<u8>> = units
        .par_chunks(CARDS_PER_BLOCK)
        .enumerate()
        .map(|(i, chunk)| {
            let first = i * CARDS_PER_BLOCK;
            let mut m = vec![b'['];
            for (j, u) in chunk.iter().enumerate() {
                if j > 0 {
                    m.push(b',');
                }
                push_card(&mut m, u, text_of(first + j), forbund_of[first + j]);
            }
            m.push(b']');
            m
        })
        .collect();
    let card_blocks = blocks(compress_all(&members, gzip_fast)?);
    let cards_name = publish(&mut files, "u", "bin", card_blocks.bytes, Some(members));

    // The directory, run-length coded: [[value, count], …] per column.
    fn run_lengths<T: PartialEq>(values: impl Iterator<Item = T>) -> Vec<(T, usize)> {
        let mut out: Vec<(T, usize)> = Vec::new();
        for v in values {
            match out.last_mut() {
                Some((last, n)) if *last == v => *n += 1,
                _ => out.push((v, 1)),
            }
        }
        out
    }
    fn runs<T: PartialEq + serde::Serialize>(values: impl Iterator<Item = T>) -> Value {
        json!(run_lengths(values))
    }
    let days = |u: &UnitInfo| -> i64 {
        u.date
            .as_deref()
            .and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
            .map_or(-1, |d| (d - chrono::NaiveDate::default()).num_days())
    };
    let directory = json!({
        "forbund": runs(forbund_of.iter()),
        "ar": runs(units.iter().map(|u| u.year)),
        "typ": runs(units.iter().map(|u| u.kind.clone())),
        "beslut": runs(cols.decision().iter().map(|&d| u8::from(d))),
        "kort": card_blocks.lengths,
    });
    let directory_name = publish(
        &mut files,
        "k",
        "json",
        directory.to_string().into_bytes(),
        None,
    );
    // Meeting days (days since 1970, -1 for none) apart, read only for a date range: each run's
    // day as the change from the previous run's, mostly small as documents come in date order
    // within a förbund (less than half the bytes of plain day numbers).
    let mut previous = 0;
    let day_runs: Vec<(i64, usize)> = run_lengths(units.iter().map(days))
        .into_iter()
        .map(|(d, n)| {
            let change = d - previous;
            previous = d;
            (change, n)
        })
        .collect();
    let dates_name = publish(
        &mut files,
        "d",
        "json",
        json!({ "datum": day_runs }).to_string().into_bytes(),
        None,
    );

    let manifest = json!({
        "version": 2,
        "enheter": units.len(),
        "forbund": cols.forbund_names().iter().map(|f| json!([f.0, f.1])).collect::<Vec<_>>(),
        "termer": {
            "fil": terms_name,
            "block": firsts.iter().zip(&term_blocks.lengths).map(|(f, n)| json!([f, n])).collect::<Vec<_>>(),
        },
        "poster": postings_name,
        "kort": { "fil": cards_name, "per": CARDS_PER_BLOCK },
        "katalog": directory_name,
        "datum": dates_name,
        "topp": HEAD,
        "prefix": super::engine::MAX_PREFIX_TERMS,
        "minPrefix": super::query::MIN_PREFIX_CHARS,
    });
    files.push(DataFile {
        path: data_path("manifest.json"),
        bytes: manifest.to_string().into_bytes(),
        plain: None,
    });
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_block_key_is_the_shortest_beginning_after_the_previous_block() {
        assert_eq!(separator("beslut", "budget"), "bu");
        assert_eq!(separator("och", "ocha"), "ocha");
        assert_eq!(separator("år", "åtgärd"), "åt");
        // Every term of the block sorts at or after its key, every earlier term before it.
        for (prev, first) in [("a", "b"), ("möte", "möten"), ("2024", "2025")] {
            let key = separator(prev, first);
            assert!(
                key.as_str() > prev && key.as_str() <= first,
                "{prev} {first} {key}"
            );
        }
    }

    #[test]
    fn a_full_list_is_its_length_the_ordinal_steps_and_the_impacts_as_varints() {
        let list = [(3, 5), (130, 300), (131, 1)];
        // 3 units; steps 3, 127, 1; impacts 5, 300 (0xac 0x02), 1.
        assert_eq!(
            full_list(&list),
            vec![3, 3, 127, 1, 5, 0xac, 0x02, 1],
            "LEB128 as sok.js reads it"
        );
    }

    #[test]
    fn the_best_units_go_by_impact_then_archive_order() {
        let list = [(0, 5), (1, 9), (2, 5), (3, 1)];
        assert_eq!(best(&list, 3), vec![(1, 9), (0, 5), (2, 5)]);
    }
}
