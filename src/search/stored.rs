//! The stored answers of the static index (`sok/data/t-….bin`, [`super::static_index`]) read by
//! the server and the command line: a word's total, facet counts and best units are stored with
//! it (so is a typed beginning's), so such a query without filters needs
//! no scoring at all, and the browser, the server and the command line answer it from the very
//! same numbers.
//!
//! The server also reads words' full lists from the postings file (`p-….bin`) rather than score
//! them again from tantivy: they are the same numbers, and reading them is several times faster.
//!
//! Blocks are inflated when first asked for and kept; a site whose static index is missing or of
//! another version is simply searched by scoring.

use super::static_index::DATA_DIR;
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// A stored answer: every unit of a rare word, or the best units of a common one.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredAnswer {
    pub total: usize,
    /// Units by förbund slug, year and kind, and units with a decision.
    pub forbund: BTreeMap<String, usize>,
    pub years: BTreeMap<i32, usize>,
    pub kinds: BTreeMap<String, usize>,
    pub decisions: usize,
    /// (ordinal, impact), best first (impact, then archive order).
    pub best: Vec<(u32, u32)>,
}

type Counts = BTreeMap<String, usize>;
/// `[term, total, [förbund, years, kinds, decisions], ordinal steps, impacts, place]`.
type RawEntry = (
    String,
    usize,
    (Counts, Counts, Counts, usize),
    Vec<u32>,
    Vec<u32>,
    Place,
);

/// Where a term's full list is in the postings file: (offset, length).
type Place = Option<(usize, usize)>;
/// A term (or typed beginning), its answer and the place of its full list.
type Entry = (String, StoredAnswer, Place);

/// A full list: (ordinal, impact) by ordinal.
pub type Impacts = Arc<Vec<(u32, u32)>>;
/// Postings kept decoded in memory, at most: about 32 MB.
const CACHED_POSTINGS: usize = 4_000_000;

#[derive(Deserialize)]
struct RawBlock {
    termer: Vec<RawEntry>,
    prefix: Vec<RawEntry>,
}

#[derive(Deserialize)]
struct RawTerms {
    fil: String,
    block: Vec<(String, usize)>,
}

#[derive(Deserialize)]
struct RawManifest {
    version: u32,
    forbund: Vec<(String, String)>,
    termer: RawTerms,
    poster: String,
}

struct Block {
    /// In byte order of the terms, as stored, with the place of each one's full list in the
    /// postings file when the block keeps only its head.
    terms: Vec<Entry>,
    prefixes: HashMap<String, StoredAnswer>,
}

#[derive(Default)]
struct ListCache {
    lists: HashMap<String, Impacts>,
    postings: usize,
}

pub struct StoredAnswers {
    /// Per block: its key, and where it is in `file`.
    blocks: Vec<(String, usize, usize)>,
    file: Vec<u8>,
    postings: PathBuf,
    forbund: Vec<String>,
    inflated: Mutex<HashMap<usize, Arc<Block>>>,
    lists: Mutex<ListCache>,
}

impl StoredAnswers {
    /// The answers of the site built into `site`, if it has a static index of this version.
    pub fn open(site: &Path) -> Option<StoredAnswers> {
        let dir = site.join(DATA_DIR);
        let manifest: RawManifest =
            serde_json::from_slice(&std::fs::read(dir.join("manifest.json")).ok()?).ok()?;
        if manifest.version != 2 {
            return None;
        }
        let file = std::fs::read(dir.join(&manifest.termer.fil)).ok()?;
        let mut blocks = Vec::with_capacity(manifest.termer.block.len());
        let mut at = 0;
        for (key, length) in manifest.termer.block {
            blocks.push((key, at, length));
            at += length;
        }
        if at != file.len() {
            return None;
        }
        Some(StoredAnswers {
            blocks,
            file,
            postings: dir.join(&manifest.poster),
            forbund: manifest.forbund.into_iter().map(|f| f.0).collect(),
            inflated: Mutex::new(HashMap::new()),
            lists: Mutex::new(ListCache::default()),
        })
    }

    /// The block a term belongs in: the last whose key sorts at or before it.
    fn block_of(&self, term: &str) -> usize {
        self.blocks
            .partition_point(|b| b.0.as_str() <= term)
            .saturating_sub(1)
    }

    fn block(&self, i: usize) -> Option<Arc<Block>> {
        if let Some(b) = self.lock().get(&i) {
            return Some(b.clone());
        }
        let (_, start, length) = self.blocks.get(i)?;
        let mut json = Vec::new();
        flate2::read::GzDecoder::new(self.file.get(*start..start + length)?)
            .read_to_end(&mut json)
            .ok()?;
        let raw: RawBlock = serde_json::from_slice(&json).ok()?;
        // Beginnings have no full list of their own: only their key and answer.
        let keyed = |entries: Vec<RawEntry>| -> HashMap<String, StoredAnswer> {
            entries
                .into_iter()
                .filter_map(|e| self.answer(e))
                .map(|(key, answer, _)| (key, answer))
                .collect()
        };
        let block = Arc::new(Block {
            terms: raw
                .termer
                .into_iter()
                .filter_map(|e| self.answer(e))
                .collect(),
            prefixes: keyed(raw.prefix),
        });
        self.lock().insert(i, block.clone());
        Some(block)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<usize, Arc<Block>>> {
        lock(&self.inflated)
    }

    fn answer(&self, e: RawEntry) -> Option<Entry> {
        let (term, total, (f, y, k, decisions), steps, impacts, place) = e;
        let mut forbund = BTreeMap::new();
        for (ix, n) in f {
            forbund.insert(self.forbund.get(ix.parse::<usize>().ok()?)?.clone(), n);
        }
        let mut years = BTreeMap::new();
        for (year, n) in y {
            years.insert(year.parse().ok()?, n);
        }
        let mut ord = 0;
        let mut best: Vec<(u32, u32)> = steps
            .into_iter()
            .zip(impacts)
            .map(|(step, impact)| {
                ord += step;
                (ord, impact)
            })
            .collect();
        best.sort_by(super::static_index::rank_order);
        Some((
            term,
            StoredAnswer {
                total,
                forbund,
                years,
                kinds: k,
                decisions,
                best,
            },
            place,
        ))
    }

    /// The stored answer for a term.
    pub fn term(&self, term: &str) -> Option<StoredAnswer> {
        let b = self.block(self.block_of(term))?;
        let i = b
            .terms
            .binary_search_by(|(t, ..)| t.as_str().cmp(term))
            .ok()?;
        Some(b.terms[i].1.clone())
    }

    /// The full list of a term, as [`Engine::term_impacts`](super::engine::Engine::term_impacts)
    /// gives it: empty for a word the archive lacks, `None` when the files cannot be read.
    pub fn impacts(&self, term: &str) -> Option<Impacts> {
        if let Some(l) = lock(&self.lists).lists.get(term) {
            return Some(l.clone());
        }
        let b = self.block(self.block_of(term))?;
        let list = match b.terms.binary_search_by(|(t, ..)| t.as_str().cmp(term)) {
            Err(_) => Vec::new(),
            Ok(i) => match &b.terms[i] {
                (_, answer, None) => {
                    let mut all = answer.best.clone();
                    all.sort_unstable_by_key(|p| p.0);
                    all
                }
                (_, _, Some((start, length))) => self.read_full_list(*start, *length)?,
            },
        };
        let list = Arc::new(list);
        let mut cache = lock(&self.lists);
        // Emptied when full: the words asked for again come back within a few queries.
        if cache.postings + list.len() > CACHED_POSTINGS {
            *cache = ListCache::default();
        }
        cache.postings += list.len();
        cache.lists.insert(term.to_string(), list.clone());
        Some(list)
    }

    /// One gzip member of the postings file: varints, the count, the ordinal steps, the impacts.
    fn read_full_list(&self, start: usize, length: usize) -> Option<Vec<(u32, u32)>> {
        use std::io::{Seek, SeekFrom};
        let mut file = std::fs::File::open(&self.postings).ok()?;
        file.seek(SeekFrom::Start(start as u64)).ok()?;
        let mut packed = Vec::new();
        flate2::read::GzDecoder::new(file.take(length as u64))
            .read_to_end(&mut packed)
            .ok()?;
        let mut bytes = packed.iter();
        let mut next = || -> Option<u32> {
            let mut n = 0u32;
            for shift in (0..35).step_by(7) {
                let b = *bytes.next()?;
                n |= u32::from(b & 0x7f).checked_shl(shift)?;
                if b & 0x80 == 0 {
                    return Some(n);
                }
            }
            None
        };
        let count = next()? as usize;
        let mut list = Vec::with_capacity(count.min(packed.len()));
        let mut ord = 0u32;
        for _ in 0..count {
            ord = ord.checked_add(next()?)?;
            list.push((ord, 0));
        }
        for p in &mut list {
            p.1 = next()?;
        }
        Some(list)
    }

    /// The stored answer for a typed beginning of two or more terms: kept in the block of the
    /// first term it begins.
    pub fn prefix(&self, prefix: &str) -> Option<StoredAnswer> {
        for i in self.block_of(prefix)..self.blocks.len() {
            let b = self.block(i)?;
            let at = b.terms.partition_point(|(t, ..)| t.as_str() < prefix);
            if let Some((first, ..)) = b.terms.get(at) {
                return if first.starts_with(prefix) {
                    b.prefixes.get(prefix).cloned()
                } else {
                    None
                };
            }
        }
        None
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // A panic elsewhere while holding the lock leaves data that is still whole.
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}
