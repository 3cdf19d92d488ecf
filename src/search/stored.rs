//! The one-word answers of the static index (`sok/data/t-….bin`, [`super::static_index`]) read
//! by the server and the command line: a word's total, facet counts and best units are stored
//! with it, so a one-word query without filters needs no scoring at all, and the browser, the
//! server and the command line answer it from the very same numbers.
//!
//! Blocks are inflated when first asked for and kept; a site whose static index is missing or of
//! another version is simply searched by scoring.

use super::static_index::DATA_DIR;
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};
use std::io::Read;
use std::path::Path;
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
    serde::de::IgnoredAny,
);

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
}

struct Block {
    /// In byte order of the terms, as stored.
    terms: Vec<(String, StoredAnswer)>,
    prefixes: HashMap<String, StoredAnswer>,
}

pub struct StoredAnswers {
    /// Per block: its key, and where it is in `file`.
    blocks: Vec<(String, usize, usize)>,
    file: Vec<u8>,
    forbund: Vec<String>,
    inflated: Mutex<HashMap<usize, Arc<Block>>>,
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
            forbund: manifest.forbund.into_iter().map(|f| f.0).collect(),
            inflated: Mutex::new(HashMap::new()),
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
        let block = Arc::new(Block {
            terms: raw
                .termer
                .into_iter()
                .filter_map(|e| self.answer(e))
                .collect(),
            prefixes: raw
                .prefix
                .into_iter()
                .filter_map(|e| self.answer(e))
                .collect(),
        });
        self.lock().insert(i, block.clone());
        Some(block)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<usize, Arc<Block>>> {
        // A panic elsewhere while holding the lock leaves a map that is still whole.
        self.inflated
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn answer(&self, e: RawEntry) -> Option<(String, StoredAnswer)> {
        let (term, total, (f, y, k, decisions), steps, impacts, _) = e;
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
        best.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
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
        ))
    }

    /// The stored answer for a term.
    pub fn term(&self, term: &str) -> Option<StoredAnswer> {
        let b = self.block(self.block_of(term))?;
        let i = b
            .terms
            .binary_search_by(|(t, _)| t.as_str().cmp(term))
            .ok()?;
        Some(b.terms[i].1.clone())
    }

    /// The stored answer for a typed beginning of two or more terms: kept in the block of the
    /// first term it begins.
    pub fn prefix(&self, prefix: &str) -> Option<StoredAnswer> {
        for i in self.block_of(prefix)..self.blocks.len() {
            let b = self.block(i)?;
            let at = b.terms.partition_point(|(t, _)| t.as_str() < prefix);
            if let Some((first, _)) = b.terms.get(at) {
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
