//! Searching a built index: the citizens' queries ([`super::query`]) with BM25 scores computed
//! from tantivy's postings and statistics, filters with counts, and excerpts; and tantivy's own
//! query language for power users.
//!
//! A citizen query is scored with **impacts**: for a term and a unit, the BM25 weight of the term
//! in each text field (tantivy's formula, k1 = 1.2, b = 0.75, its field-length coding), times the
//! field's weight, summed over the fields and rounded to hundredths ([`Engine::term_impacts`]).
//! A unit's score is the sum over the query's words of the best impact among the word's forms
//! (the stem or, for the word being typed while it is not yet a word of the archive, the words it
//! begins), plus the impacts of each
//! phrase's words. The static index stores exactly these integers, so the browser, the server and
//! the command line rank alike; ties go to the unit that comes first in the archive.

use super::index::{self, Fields, SvTokenizer, TEXT_FIELDS, TOKENIZER};
use super::query::{self, ParsedQuery};
use serde::{Deserialize, Serialize};
pub use sok_core::excerpt::{excerpt_html, html_escape};
pub use sok_core::plan::MAX_PREFIX_TERMS;
use sok_core::plan::{self, Lexicon, Plan};
use sok_core::{dates, rank};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::fieldnorm::FieldNormReader;
use tantivy::postings::Postings;
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, DocSet, Index, IndexReader, Searcher, TERMINATED, Term};

/// How deeply an advanced query may nest groups: parentheses (also `titel:(…)`) and `NOT`
/// chains. Tantivy's parser, its query tree and the query built from it recurse once per level, and
/// a stack overflow ends the whole process (`protokoll serve` with it), so depth is counted before
/// tantivy sees the text. Real queries nest two or three levels.
pub const MAX_ADVANCED_DEPTH: usize = 20;
/// The longest advanced query, in characters: far more than anyone types, and it bounds the
/// number of clauses tantivy builds.
pub const MAX_ADVANCED_CHARS: usize = 1_000;
/// Impacts are BM25 weights in hundredths.
pub const IMPACT_SCALE: f64 = 100.0;
const K1: f64 = 1.2;
const B: f64 = 0.75;
/// The per-unit facts next to the index, written by the build: `enheter.json`.
pub const UNITS_FILE: &str = "enheter.json";

/// What the engine knows of each unit without reading the index: the facts a result shows and
/// the facets. Also the source of the static index's directory.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct UnitInfo {
    pub id: String,
    pub url: String,
    pub forbund: String,
    pub forbund_name: String,
    pub kind: String,
    pub date: Option<String>,
    pub year: i32,
    pub label: String,
    pub title: String,
    pub document: String,
    pub has_decision: bool,
}

impl UnitInfo {
    pub fn of(u: &index::Unit) -> Self {
        UnitInfo {
            id: u.id.clone(),
            url: u.url.clone(),
            forbund: u.forbund.clone(),
            forbund_name: u.forbund_name.clone(),
            kind: u.kind.to_string(),
            date: u.date.map(|d| d.format("%Y-%m-%d").to_string()),
            year: u.year,
            label: u.label.clone(),
            title: u.title.clone(),
            document: u.document.clone(),
            has_decision: u.has_decision,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("det finns inget sökindex i {0}: bygg webbplatsen först (protokoll build)")]
    Missing(String),
    #[error("sökindexet går inte att läsa: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
    #[error("sökindexet går inte att läsa: {0}")]
    Io(#[from] std::io::Error),
    #[error("sökindexets enhetslista går inte att läsa: {0}")]
    Units(#[from] serde_json::Error),
    #[error("frågan går inte att tolka: {0}")]
    Syntax(String),
    #[error(
        "frågan är för djupt nästlad: {depth} nivåer av parenteser och NOT, högst {max} tillåts"
    )]
    TooDeep { depth: usize, max: usize },
    #[error("frågan är för lång: {chars} tecken, högst {max} tillåts")]
    TooLong { chars: usize, max: usize },
    #[error("ogiltigt värde för {field}: {value}")]
    BadFilter { field: &'static str, value: String },
}

/// How deeply `text` nests in tantivy's query language: the most groups open at once, where a
/// `(` opens a group until its `)` and each `NOT` opens one until the next other word. Counted
/// on the raw text, parentheses inside quotes and after `\\` too: overcounting only refuses a
/// silly query, undercounting could let one through that overflows the stack.
pub fn advanced_depth(text: &str) -> usize {
    // What each open `(` added: itself and the NOTs right before it, closed together.
    let mut groups: Vec<usize> = Vec::new();
    let mut open = 0usize;
    let mut nots = 0usize;
    let mut deepest = 0usize;
    let mut word = String::new();
    // A word ends at whitespace or a parenthesis; `NOT` counts only as a word of its own.
    let end_word = |word: &mut String, nots: &mut usize| {
        if !word.is_empty() {
            *nots = if word == "NOT" { *nots + 1 } else { 0 };
            word.clear();
        }
    };
    for c in text.chars() {
        match c {
            '(' => {
                end_word(&mut word, &mut nots);
                groups.push(nots + 1);
                open += nots + 1;
                nots = 0;
            }
            ')' => {
                end_word(&mut word, &mut nots);
                open -= groups.pop().unwrap_or(0);
                nots = 0;
            }
            c if c.is_whitespace() => end_word(&mut word, &mut nots),
            c => word.push(c),
        }
        deepest = deepest.max(open + nots);
    }
    end_word(&mut word, &mut nots);
    deepest.max(open + nots)
}

/// Refuses an advanced query that is too deep or too long for tantivy's recursive parser.
pub fn check_advanced(text: &str) -> Result<(), SearchError> {
    let depth = advanced_depth(text);
    if depth > MAX_ADVANCED_DEPTH {
        return Err(SearchError::TooDeep {
            depth,
            max: MAX_ADVANCED_DEPTH,
        });
    }
    let chars = text.chars().count();
    if chars > MAX_ADVANCED_CHARS {
        return Err(SearchError::TooLong {
            chars,
            max: MAX_ADVANCED_CHARS,
        });
    }
    Ok(())
}

/// Filters of a search: each narrows the results; `None` means all.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filters {
    pub forbund: Option<String>,
    pub year: Option<i32>,
    pub kind: Option<String>,
    pub decisions_only: bool,
    /// Meeting dates, inclusive, `ÅÅÅÅ-MM-DD`.
    pub from: Option<String>,
    pub to: Option<String>,
}

impl Filters {
    /// Narrows the date range to the days of a date written in the query (both must hold).
    pub fn narrow_to_days(&mut self, days: dates::DayRange) {
        let (from, to) = (dates::iso_of(days.from), dates::iso_of(days.to));
        if self.from.as_ref().is_none_or(|f| *f < from) {
            self.from = Some(from);
        }
        if self.to.as_ref().is_none_or(|t| *t > to) {
            self.to = Some(to);
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct Request {
    pub text: String,
    /// Tantivy's query language instead of the citizens' one.
    pub advanced: bool,
    pub filters: Filters,
    pub offset: usize,
    pub limit: usize,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Hit {
    pub id: String,
    pub url: String,
    pub forbund: String,
    pub forbund_name: String,
    pub kind: String,
    pub date: Option<String>,
    pub year: i32,
    pub label: String,
    pub title: String,
    pub document: String,
    pub has_decision: bool,
    pub score: f64,
    /// HTML: escaped text with the matching words in `<mark>`.
    pub excerpt: String,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct FacetCount {
    pub value: String,
    pub label: String,
    pub count: usize,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq, Default)]
pub struct Facets {
    pub forbund: Vec<FacetCount>,
    pub year: Vec<FacetCount>,
    pub kind: Vec<FacetCount>,
    /// Matching units with at least one decision.
    pub decisions: usize,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Results {
    /// Units that meet every requirement or, after them, the best partial matches.
    pub total: usize,
    /// Of them, the units that meet every word and phrase.
    pub complete: usize,
    pub hits: Vec<Hit>,
    pub facets: Facets,
    /// The query with its unknown words corrected, when some were ("Menade du …").
    pub corrected: Option<String>,
    /// The meeting date (or range) read from the query, ISO.
    pub date: Option<String>,
    /// A date written in the query that does not exist.
    pub invalid_date: Option<String>,
    /// A search by filters alone: every unit that passes them, newest first.
    pub browse: bool,
    /// The status line over the results ([`sok_core::status`]).
    pub status: String,
}

impl Results {
    /// The status line over these results for `query` ([`sok_core::status`]).
    pub fn status_for(&self, query: &str, filters: &Filters) -> String {
        let sum = |f: &[FacetCount]| f.iter().map(|c| c.count).sum::<usize>();
        let mut without = Vec::new();
        if filters.forbund.is_some() {
            without.push(("förbund", sum(&self.facets.forbund)));
        }
        if filters.year.is_some() {
            without.push(("år", sum(&self.facets.year)));
        }
        if filters.kind.is_some() {
            without.push(("typ", sum(&self.facets.kind)));
        }
        sok_core::status::status(&sok_core::status::Status {
            query,
            total: self.total,
            complete: self.complete,
            browse: self.browse,
            corrected: self.corrected.as_deref(),
            date: self.date.as_deref(),
            invalid_date: self.invalid_date.as_deref(),
            without,
        })
    }
}

struct FieldStats {
    field: tantivy::schema::Field,
    weight: f64,
    avg_len: f64,
}

/// An open index.
pub struct Engine {
    reader: IndexReader,
    fields: Fields,
    units: Vec<UnitInfo>,
    /// Per segment: the global ordinal of each document.
    ords: Vec<Vec<u32>>,
    /// Per global ordinal: where the document is.
    addresses: Vec<DocAddress>,
    text: Vec<FieldStats>,
    total: f64,
    /// The static index's one-word answers, when the site has them.
    stored: Option<super::stored::StoredAnswers>,
    facet_columns: FacetColumns,
}

impl Engine {
    /// Opens the index of the site built into `site` (the output folder).
    pub fn open(site: &Path) -> Result<Engine, SearchError> {
        Engine::open_at(&index::open_location(site), site)
    }

    /// Opens the index in `dir` for the site built into `site`.
    pub fn open_at(dir: &Path, site: &Path) -> Result<Engine, SearchError> {
        if !dir.join("meta.json").is_file() {
            return Err(SearchError::Missing(dir.display().to_string()));
        }
        let index = Index::open_in_dir(dir)?;
        index
            .tokenizers()
            .register(TOKENIZER, SvTokenizer::for_query());
        let fields = index::fields_of(&index.schema())?;
        let units: Vec<UnitInfo> = serde_json::from_slice(&std::fs::read(dir.join(UNITS_FILE))?)?;
        let reader = index.reader()?;
        let searcher = reader.searcher();
        let mut ords = Vec::new();
        let mut addresses = vec![DocAddress::new(0, 0); units.len()];
        for (si, segment) in searcher.segment_readers().iter().enumerate() {
            let column = segment.fast_fields().u64("ord")?;
            let mut map = Vec::with_capacity(segment.max_doc() as usize);
            for doc in 0..segment.max_doc() {
                let ord = column.first(doc).unwrap_or(0) as u32;
                if let Some(a) = addresses.get_mut(ord as usize) {
                    *a = DocAddress::new(si as u32, doc);
                }
                map.push(ord);
            }
            ords.push(map);
        }
        let total = units.len().max(1) as f64;
        let mut text = Vec::new();
        for (name, weight) in TEXT_FIELDS {
            let field = index.schema().get_field(name)?;
            let mut tokens = 0u64;
            for segment in searcher.segment_readers() {
                tokens += segment.inverted_index(field)?.total_num_tokens();
            }
            text.push(FieldStats {
                field,
                weight,
                avg_len: (tokens as f64 / total).max(1.0),
            });
        }
        Ok(Engine {
            reader,
            fields,
            ords,
            addresses,
            text,
            total,
            stored: super::stored::StoredAnswers::open(site),
            facet_columns: FacetColumns::of(&units),
            units,
        })
    }

    pub fn units(&self) -> &[UnitInfo] {
        &self.units
    }

    /// The units' facet values as numbers, by ordinal.
    pub fn facet_columns(&self) -> &FacetColumns {
        &self.facet_columns
    }

    /// The static index's one-word answers, when the site has a static index of this version.
    pub fn stored_answers(&self) -> Option<&super::stored::StoredAnswers> {
        self.stored.as_ref()
    }

    fn searcher(&self) -> Searcher {
        self.reader.searcher()
    }

    /// What the index keeps of every unit, decoded: the stored fields of each document as one
    /// text per document, in the archive's order. The index's files are binary
    /// (compressed, with arbitrary bytes that can look like text), so this is what a privacy check
    /// must read to know what the index would reveal.
    pub fn stored_documents(&self) -> Result<Vec<String>, SearchError> {
        use tantivy::schema::Value;
        let searcher = self.searcher();
        let mut out = Vec::with_capacity(self.addresses.len());
        for address in &self.addresses {
            let doc: tantivy::TantivyDocument = searcher.doc(*address)?;
            let mut text = String::new();
            for (_, value) in doc.field_values() {
                if let Some(s) = value.as_str() {
                    text.push_str(s);
                } else if let Some(n) = value.as_u64() {
                    text.push_str(&n.to_string());
                } else if let Some(d) = value.as_datetime() {
                    text.push_str(&format!("{d:?}"));
                }
                text.push('\n');
            }
            out.push(text);
        }
        Ok(out)
    }

    /// Every term of the text fields, in byte order (the static index's dictionary).
    pub fn all_terms(&self) -> Result<Vec<String>, SearchError> {
        self.terms_in_range("", None)
    }

    /// Terms of the text fields beginning with `prefix`, at most `limit`, in byte order.
    pub fn terms_with_prefix(
        &self,
        prefix: &str,
        limit: usize,
    ) -> Result<Vec<String>, SearchError> {
        self.terms_in_range(prefix, Some(limit))
    }

    fn terms_in_range(
        &self,
        prefix: &str,
        limit: Option<usize>,
    ) -> Result<Vec<String>, SearchError> {
        let searcher = self.searcher();
        let mut all = std::collections::BTreeSet::new();
        for segment in searcher.segment_readers() {
            for fs in &self.text {
                let inverted = segment.inverted_index(fs.field)?;
                let mut builder = inverted.terms().range().ge(prefix.as_bytes());
                if let Some(upper) = prefix_upper_bound(prefix) {
                    builder = builder.lt(upper);
                }
                let mut stream = builder.into_stream()?;
                let mut taken = 0;
                while stream.advance() {
                    if let Ok(t) = std::str::from_utf8(stream.key()) {
                        all.insert(t.to_string());
                        taken += 1;
                    }
                    if limit.is_some_and(|l| taken >= l) {
                        break;
                    }
                }
            }
        }
        let mut out: Vec<String> = all.into_iter().collect();
        if let Some(l) = limit {
            out.truncate(l);
        }
        Ok(out)
    }

    /// The impact of `term` in every unit that has it: (ordinal, BM25 in hundredths), by ordinal.
    pub fn term_impacts(&self, term: &str) -> Result<Vec<(u32, u32)>, SearchError> {
        let searcher = self.searcher();
        let mut acc: Vec<(u32, f64)> = Vec::new();
        for fs in &self.text {
            let t = Term::from_field_text(fs.field, term);
            let df = searcher.doc_freq(&t)? as f64;
            if df == 0.0 {
                continue;
            }
            let idf = (1.0 + (self.total - df + 0.5) / (df + 0.5)).ln();
            for (si, segment) in searcher.segment_readers().iter().enumerate() {
                let inverted = segment.inverted_index(fs.field)?;
                let Some(mut postings) =
                    inverted.read_postings(&t, IndexRecordOption::WithFreqs)?
                else {
                    continue;
                };
                let norms: FieldNormReader = segment.get_fieldnorms_reader(fs.field)?;
                let mut doc = postings.doc();
                while doc != TERMINATED {
                    let tf = f64::from(postings.term_freq());
                    let len = f64::from(norms.fieldnorm(doc));
                    let w = fs.weight * idf * tf * (K1 + 1.0)
                        / (tf + K1 * (1.0 - B + B * len / fs.avg_len));
                    acc.push((self.ords[si][doc as usize], w));
                    doc = postings.advance();
                }
            }
        }
        // A stable sort keeps each unit's field weights in field order, so the sums are the
        // same floating-point sums a map would give; sorting once is several times faster.
        acc.sort_by_key(|p| p.0);
        let mut out: Vec<(u32, u32)> = Vec::with_capacity(acc.len());
        let mut i = 0;
        while i < acc.len() {
            let o = acc[i].0;
            let mut w = 0.0;
            while i < acc.len() && acc[i].0 == o {
                w += acc[i].1;
                i += 1;
            }
            out.push((o, (w * IMPACT_SCALE).round().max(1.0) as u32));
        }
        Ok(out)
    }

    /// Whether `term` occurs in any text field.
    pub fn has_term(&self, term: &str) -> Result<bool, SearchError> {
        let searcher = self.searcher();
        for fs in &self.text {
            if searcher.doc_freq(&Term::from_field_text(fs.field, term))? > 0 {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// The number of units with `term`: from its stored answer when the site has a static index
    /// (the number the browser reads), else from its full list.
    fn units_with(&self, term: &str) -> Result<u32, SearchError> {
        if let Some(s) = &self.stored {
            return Ok(s.term(term).map_or(0, |a| a.total as u32));
        }
        if !self.has_term(term)? {
            return Ok(0);
        }
        Ok(self.term_impacts(term)?.len() as u32)
    }

    /// The plan of a citizen query: what each word matches ([`sok_core::plan`]).
    pub fn plan(&self, q: &ParsedQuery) -> Plan {
        // The engine answers every question of the plan (a term it cannot read counts as
        // absent), so it never needs more.
        plan::resolve(q, self).unwrap_or_default()
    }

    /// A term's full list: from the static index's postings file when the site has one and
    /// `stored` allows it (the same numbers, read instead of scored), else from tantivy.
    fn impacts(&self, term: &str, stored: bool) -> Result<super::stored::Impacts, SearchError> {
        if let Some(list) = self
            .stored
            .as_ref()
            .filter(|_| stored)
            .and_then(|s| s.impacts(term))
        {
            return Ok(list);
        }
        Ok(std::sync::Arc::new(self.term_impacts(term)?))
    }

    /// The ranked units of a plan with words: (ordinal, rank key) by ordinal, before filters
    /// ([`sok_core::rank`]: all-word matches first, then the best partial ones). `stored`:
    /// whether the lists may be read from the static index.
    pub fn rank_plan(&self, plan: &Plan, stored: bool) -> Result<Vec<(u32, u64)>, SearchError> {
        let mut requirements: Vec<Vec<(u32, u64)>> = Vec::new();
        for w in &plan.words {
            let lists = w
                .forms
                .iter()
                .map(|f| self.impacts(f, stored))
                .collect::<Result<Vec<_>, _>>()?;
            let refs: Vec<&[(u32, u32)]> = lists.iter().map(|l| l.as_slice()).collect();
            requirements.push(rank::best_of(&refs));
        }
        // A phrase needs all its words in the unit, as on a static host, which has no word
        // positions: so the browser, the server and the command line answer a phrase alike.
        // Word order is checked by the advanced query language (tantivy's phrases).
        for phrase in &plan.phrases {
            let lists = phrase
                .iter()
                .map(|s| self.impacts(s, stored))
                .collect::<Result<Vec<_>, _>>()?;
            let refs: Vec<&[(u32, u32)]> = lists.iter().map(|l| l.as_slice()).collect();
            requirements.push(rank::all_of(&refs));
        }
        let excluded = plan
            .excluded
            .iter()
            .map(|s| self.impacts(s, stored))
            .collect::<Result<Vec<_>, _>>()?;
        let refs: Vec<&[(u32, u32)]> = excluded.iter().map(|l| l.as_slice()).collect();
        Ok(rank::rank(&requirements, &refs))
    }

    /// Every unit, newest meeting first: the list of a search by filters alone.
    fn browse_all(&self) -> Vec<(u32, u64)> {
        sok_core::filter::browse_all(&self.facet_columns.core.day)
    }

    /// Scores of a query in tantivy's language (AND, OR, -, "phrases", `titel:…`, `ar:2024`,
    /// `datum:[2025-01-01T00:00:00Z TO 2025-06-30T00:00:00Z]`), with tantivy's own BM25.
    pub fn score_advanced(&self, text: &str) -> Result<Vec<(u32, u64)>, SearchError> {
        check_advanced(text)?;
        let searcher = self.searcher();
        let index = searcher.index();
        let f = &self.fields;
        let mut parser =
            tantivy::query::QueryParser::for_index(index, vec![f.title, f.decisions, f.body]);
        for fs in &self.text {
            parser.set_field_boost(fs.field, fs.weight as f32);
        }
        parser.set_conjunction_by_default();
        let query = parser
            .parse_query(text)
            .map_err(|e| SearchError::Syntax(query_error(&e)))?;
        let found = searcher.search(&query, &AllScores { ords: &self.ords })?;
        // Rounded like the impacts, so that ties fall to the archive's order.
        Ok(found
            .into_iter()
            .map(|(o, s)| (o, (f64::from(s) * IMPACT_SCALE).round().max(0.0) as u64))
            .collect())
    }

    /// The stored answer of a one-word query without filters, when it covers the page asked
    /// for: what [`Engine::search_scored`] would compute, read instead.
    fn stored_answer(&self, plan: &Plan, req: &Request) -> Option<super::stored::StoredAnswer> {
        let stored = self.stored.as_ref()?;
        if req.filters != Filters::default() || plan.date.is_some() {
            return None;
        }
        let answer = match (plan.single_term(), plan.single_prefix()) {
            (Some(term), _) => stored.term(term)?,
            (None, Some(prefix)) => stored.prefix(prefix)?,
            _ => return None,
        };
        (answer.best.len() == answer.total || req.offset + req.limit <= answer.best.len())
            .then_some(answer)
    }

    pub fn search(&self, req: &Request) -> Result<Results, SearchError> {
        self.search_with(req, true)
    }

    /// [`Engine::search`] always by scoring, never from the stored answers (which tests compare
    /// it with).
    pub fn search_scored(&self, req: &Request) -> Result<Results, SearchError> {
        self.search_with(req, false)
    }

    fn search_with(&self, req: &Request, use_stored: bool) -> Result<Results, SearchError> {
        let parsed = query::parse(&req.text);
        let plan = if req.advanced {
            Plan::default()
        } else {
            self.plan(&parsed)
        };
        let mut filters = req.filters.clone();
        if let Some(d) = plan.date {
            filters.narrow_to_days(d);
        }
        let browse = !req.advanced && !plan.has_words() && filters != Filters::default();
        let stored = use_stored.then(|| self.stored_answer(&plan, req)).flatten();
        let (total, complete, matched, facets) = if let Some(a) = stored {
            let forbund = a
                .forbund
                .into_iter()
                .map(|(slug, n)| {
                    let name = self.facet_columns.forbund_name(&slug).unwrap_or_default();
                    (slug, (name.to_string(), n))
                })
                .collect();
            let matched: Scored = a
                .best
                .iter()
                .map(|&(o, i)| (o, rank::key(1, u64::from(i))))
                .collect();
            (
                a.total,
                a.total,
                matched,
                facets_of(forbund, a.years, a.kinds, a.decisions),
            )
        } else {
            let scored = if req.advanced {
                if req.text.trim().is_empty() {
                    Vec::new()
                } else {
                    self.score_advanced(&req.text)?
                }
            } else if plan.has_words() {
                self.rank_plan(&plan, use_stored)?
            } else if browse {
                self.browse_all()
            } else {
                Vec::new()
            };
            let (total, mut matched, facets) =
                filter_and_count(&self.facet_columns, &scored, &filters)?;
            let requirements = plan.words.len() + plan.phrases.len();
            let complete = if req.advanced || browse {
                total
            } else {
                rank::complete(&matched, requirements)
            };
            // Only the page asked for is put in order: key, then archive order (a total order,
            // so the page is the same as after sorting everything).
            sok_core::filter::page(&mut matched, req.offset.saturating_add(req.limit));
            (total, complete, matched, facets)
        };
        let (stems, prefixes) = if req.advanced {
            parsed.highlight_terms()
        } else {
            plan.highlight_terms()
        };
        let searcher = self.searcher();
        let mut hits = Vec::new();
        for &(o, s) in matched.iter().skip(req.offset).take(req.limit) {
            let u = &self.units[o as usize];
            let doc: tantivy::TantivyDocument = searcher.doc(self.addresses[o as usize])?;
            let field_text = |field| {
                use tantivy::schema::Value;
                doc.get_first(field)
                    .and_then(|v| v.as_str().map(str::to_string))
                    .unwrap_or_default()
            };
            let texts = [
                field_text(self.fields.decisions),
                field_text(self.fields.body),
                field_text(self.fields.meeting),
            ];
            let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
            hits.push(Hit {
                id: u.id.clone(),
                url: u.url.clone(),
                forbund: u.forbund.clone(),
                forbund_name: u.forbund_name.clone(),
                kind: u.kind.clone(),
                date: u.date.clone(),
                year: u.year,
                label: u.label.clone(),
                title: u.title.clone(),
                document: u.document.clone(),
                has_decision: u.has_decision,
                score: if browse {
                    0.0
                } else {
                    rank::score_of(s) as f64 / IMPACT_SCALE
                },
                excerpt: excerpt_html(&texts, &stems, &prefixes),
            });
        }
        let mut results = Results {
            total,
            complete,
            hits,
            facets,
            corrected: (!plan.corrections.is_empty())
                .then(|| plan::corrected_text(&req.text, &plan.corrections)),
            date: plan.date.map(|d| {
                let (a, b) = (dates::iso_of(d.from), dates::iso_of(d.to));
                if a == b { a } else { format!("{a} – {b}") }
            }),
            invalid_date: plan.invalid_date.clone(),
            browse,
            status: String::new(),
        };
        results.status = results.status_for(&req.text, &req.filters);
        Ok(results)
    }
}

impl Lexicon for Engine {
    fn units(&self, term: &str) -> Option<u32> {
        Some(self.units_with(term).unwrap_or(0))
    }

    fn completions(&self, prefix: &str) -> Option<Vec<String>> {
        Some(
            self.terms_with_prefix(prefix, MAX_PREFIX_TERMS)
                .unwrap_or_default(),
        )
    }
}

/// The smallest byte string greater than every string that begins with `prefix`.
fn prefix_upper_bound(prefix: &str) -> Option<Vec<u8>> {
    let mut b = prefix.as_bytes().to_vec();
    while let Some(last) = b.pop() {
        if last < 0xff {
            b.push(last + 1);
            return Some(b);
        }
    }
    None
}

/// Applies the filters, counts the facets (each facet counted with the other filters applied,
/// so a reader sees what choosing another value would give) and returns the matching units.
/// (ordinal, score) of the units that match.
pub type Scored = Vec<(u32, u64)>;

/// Each unit's förbund, year, kind and decision flag as small numbers, made once when the index
/// opens: counting facets then adds to arrays instead of looking strings up, both for the
/// server's queries (string-keyed lookups per matched unit were two thirds of a common two-word
/// query) and for every term of the build's static index (6 % of a national build). Values are
/// numbered in sorted order, so that a förbund's number is also its place in the static
/// manifest's list.
pub struct FacetColumns {
    /// (slug, name) of each förbund, by slug.
    forbund_names: Vec<(String, String)>,
    years: Vec<i32>,
    kinds: Vec<String>,
    forbund: Vec<u32>,
    year: Vec<u32>,
    kind: Vec<u32>,
    decision: Vec<bool>,
    /// The same values, with meeting days, as the search core filters them.
    core: sok_core::filter::Columns,
}

impl FacetColumns {
    pub fn of(units: &[UnitInfo]) -> FacetColumns {
        let mut names: BTreeMap<&str, &str> = BTreeMap::new();
        for u in units {
            names.entry(&u.forbund).or_insert(&u.forbund_name);
        }
        let years: Vec<i32> = units
            .iter()
            .map(|u| u.year)
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let kinds: Vec<&str> = units
            .iter()
            .map(|u| u.kind.as_str())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let slugs: Vec<&str> = names.keys().copied().collect();
        let mut columns = FacetColumns {
            forbund: units
                .iter()
                .map(|u| number_in(&slugs, &u.forbund.as_str()))
                .collect(),
            year: units.iter().map(|u| number_in(&years, &u.year)).collect(),
            kind: units
                .iter()
                .map(|u| number_in(&kinds, &u.kind.as_str()))
                .collect(),
            decision: units.iter().map(|u| u.has_decision).collect(),
            forbund_names: names
                .into_iter()
                .map(|(slug, name)| (slug.to_string(), name.to_string()))
                .collect(),
            kinds: kinds.into_iter().map(str::to_string).collect(),
            years,
            core: sok_core::filter::Columns::default(),
        };
        columns.core = sok_core::filter::Columns {
            forbund: columns.forbund.clone(),
            year: columns.year.clone(),
            kind: columns.kind.clone(),
            decision: columns.decision.clone(),
            day: units
                .iter()
                .map(|u| u.date.as_deref().and_then(dates::parse_iso).unwrap_or(-1))
                .collect(),
            forbund_values: columns.forbund_names.len(),
            year_values: columns.years.len(),
            kind_values: columns.kinds.len(),
        };
        columns
    }

    /// (slug, name) of each förbund: a förbund's number is its place here.
    pub fn forbund_names(&self) -> &[(String, String)] {
        &self.forbund_names
    }

    /// The number of the förbund `slug`, if any unit has it.
    pub fn forbund_number(&self, slug: &str) -> Option<u32> {
        self.forbund_names
            .binary_search_by(|(s, _)| s.as_str().cmp(slug))
            .ok()
            .map(|i| i as u32)
    }

    /// The name of the förbund `slug`, if any unit has it.
    pub fn forbund_name(&self, slug: &str) -> Option<&str> {
        self.forbund_number(slug)
            .map(|i| self.forbund_names[i as usize].1.as_str())
    }

    /// The years, ascending: a year's number is its place here.
    pub fn years(&self) -> &[i32] {
        &self.years
    }

    /// The kinds, sorted: a kind's number is its place here.
    pub fn kinds(&self) -> &[String] {
        &self.kinds
    }

    /// Each unit's förbund number, by ordinal.
    pub fn forbund(&self) -> &[u32] {
        &self.forbund
    }

    /// Each unit's year number, by ordinal.
    pub fn year(&self) -> &[u32] {
        &self.year
    }

    /// Each unit's kind number, by ordinal.
    pub fn kind(&self) -> &[u32] {
        &self.kind
    }

    /// Whether each unit holds a decision, by ordinal.
    pub fn decision(&self) -> &[bool] {
        &self.decision
    }
}

/// The number of `value` in the sorted, distinct `values`: its place there, or u32::MAX (no
/// value's number) when it is not there. The lists are no longer than the units, whose ordinals
/// are u32.
fn number_in<T: Ord>(values: &[T], value: &T) -> u32 {
    values.binary_search(value).map_or(u32::MAX, |i| i as u32)
}

/// The scored units that pass the filters, and the facet counts: each facet counted with every
/// filter but its own, so that a citizen sees what choosing another value would give.
pub fn filter_and_count(
    columns: &FacetColumns,
    scored: &[(u32, u64)],
    filters: &Filters,
) -> Result<(usize, Scored, Facets), SearchError> {
    let mut days = [None, None];
    for (i, (field, value)) in [("fran", &filters.from), ("till", &filters.to)]
        .into_iter()
        .enumerate()
    {
        if let Some(v) = value {
            days[i] = Some(dates::parse_iso(v).ok_or_else(|| SearchError::BadFilter {
                field,
                value: v.clone(),
            })?);
        }
    }
    // A filter on a value no unit has keeps nothing (u32::MAX is no förbund's, year's or kind's
    // number).
    let want = sok_core::filter::Want {
        forbund: filters
            .forbund
            .as_ref()
            .map(|f| columns.forbund_number(f).unwrap_or(u32::MAX)),
        year: filters.year.map(|y| number_in(&columns.years, &y)),
        kind: filters.kind.as_ref().map(|k| number_in(&columns.kinds, k)),
        decisions_only: filters.decisions_only,
        from: days[0],
        to: days[1],
    };
    let c = sok_core::filter::filter_and_count(&columns.core, scored, &want);
    let forbund = columns
        .forbund_names
        .iter()
        .zip(c.forbund)
        .filter(|(_, n)| *n > 0)
        .map(|((slug, name), n)| (slug.clone(), (name.clone(), n)))
        .collect();
    let years = columns
        .years
        .iter()
        .zip(c.year)
        .filter(|(_, n)| *n > 0)
        .map(|(&y, n)| (y, n))
        .collect();
    let kinds = columns
        .kinds
        .iter()
        .zip(c.kind)
        .filter(|(_, n)| *n > 0)
        .map(|(k, n)| (k.clone(), n))
        .collect();
    let facets = facets_of(forbund, years, kinds, c.decisions);
    Ok((c.matched.len(), c.matched, facets))
}

/// Facet counts as results show them: förbund by count (then name), years newest first, kinds.
fn facets_of(
    forbund: BTreeMap<String, (String, usize)>,
    years: BTreeMap<i32, usize>,
    kinds: BTreeMap<String, usize>,
    decisions: usize,
) -> Facets {
    let mut forbund: Vec<FacetCount> = forbund
        .into_iter()
        .map(|(value, (label, count))| FacetCount {
            value,
            label,
            count,
        })
        .collect();
    forbund.sort_by(|a, b| b.count.cmp(&a.count).then(a.label.cmp(&b.label)));
    Facets {
        forbund,
        year: years
            .into_iter()
            .rev()
            .map(|(y, count)| FacetCount {
                value: y.to_string(),
                label: y.to_string(),
                count,
            })
            .collect(),
        kind: kinds
            .into_iter()
            .map(|(k, count)| FacetCount {
                label: if k == "plan" {
                    "Plan".into()
                } else {
                    "Protokoll".into()
                },
                value: k,
                count,
            })
            .collect(),
        decisions,
    }
}

/// What is wrong with a query in tantivy's language, in Swedish (tantivy's own messages are
/// English).
pub fn query_error(e: &tantivy::query::QueryParserError) -> String {
    use tantivy::query::QueryParserError as E;
    match e {
        E::SyntaxError(q) => format!(
            "fel i frågans syntax (”{q}”): kontrollera parenteser, citattecken och fältnamn"
        ),
        E::UnsupportedQuery(q) => format!("den sortens fråga stöds inte: {q}"),
        E::FieldDoesNotExist(f) => format!(
            "fältet `{f}` finns inte; sökbara fält är titel, beslut, text, forbund, typ, ar, organ, beslutsid och datum"
        ),
        E::ExpectedInt(_) => "ett heltal väntades, till exempel ar:2025".into(),
        E::ExpectedFloat(_) => "ett tal väntades".into(),
        E::ExpectedBool(_) => "sant eller falskt (true/false) väntades".into(),
        E::ExpectedBase64(_) => "ett värde i base64 väntades".into(),
        E::AllButQueryForbidden => {
            "frågan utesluter bara ord: skriv också minst ett ord som ska finnas".into()
        }
        E::NoDefaultFieldDeclared => "frågan nämner inget fält att söka i".into(),
        E::FieldNotIndexed(f) => format!("fältet `{f}` går inte att söka i"),
        E::FieldDoesNotHavePositionsIndexed(f) => {
            format!("fältet `{f}` kan inte sökas med fraser i citattecken")
        }
        E::PhrasePrefixRequiresAtLeastTwoTerms { phrase, .. } => {
            format!("frasen ”{phrase}” måste ha minst två ord")
        }
        E::UnknownTokenizer { field, .. } => format!("fältet `{field}` kan inte analyseras"),
        E::RangeMustNotHavePhrase => "ett intervall kan inte ha en fras som gräns".into(),
        E::DateFormatError(_) => {
            "datumet har fel form: skriv datum:[2025-01-01T00:00:00Z TO 2025-06-30T00:00:00Z]"
                .into()
        }
        E::FacetFormatError(e) => format!("fel form på värdet: {e}"),
        E::IpFormatError(_) => "fel form på adressen".into(),
    }
}

/// Reverses [`html_escape`], for plain-text output.
pub fn html_unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// Collects every matching document's ordinal and tantivy score.
struct AllScores<'a> {
    ords: &'a [Vec<u32>],
}

struct AllScoresSegment {
    ords: Vec<u32>,
    found: Vec<(u32, f32)>,
}

impl Collector for AllScores<'_> {
    type Fruit = Vec<(u32, f32)>;
    type Child = AllScoresSegment;

    fn for_segment(
        &self,
        segment_local_id: tantivy::SegmentOrdinal,
        _segment: &tantivy::SegmentReader,
    ) -> tantivy::Result<AllScoresSegment> {
        Ok(AllScoresSegment {
            ords: self
                .ords
                .get(segment_local_id as usize)
                .cloned()
                .unwrap_or_default(),
            found: Vec::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    fn merge_fruits(&self, fruits: Vec<Vec<(u32, f32)>>) -> tantivy::Result<Vec<(u32, f32)>> {
        Ok(fruits.into_iter().flatten().collect())
    }
}

impl SegmentCollector for AllScoresSegment {
    type Fruit = Vec<(u32, f32)>;
    fn collect(&mut self, doc: tantivy::DocId, score: tantivy::Score) {
        if let Some(&o) = self.ords.get(doc as usize) {
            self.found.push((o, score));
        }
    }
    fn harvest(self) -> Vec<(u32, f32)> {
        self.found
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(forbund: &str, kind: &str, date: Option<&str>, year: i32, decision: bool) -> UnitInfo {
        UnitInfo {
            id: format!("{forbund}-{year}"),
            url: String::new(),
            forbund: forbund.to_string(),
            forbund_name: format!("Samordningsförbundet {forbund}"),
            kind: kind.to_string(),
            date: date.map(str::to_string),
            year,
            label: String::new(),
            title: String::new(),
            document: String::new(),
            has_decision: decision,
        }
    }

    #[test]
    fn advanced_depth_counts_groups_and_not_chains() {
        for (text, depth) in [
            ("", 0),
            ("budget OR revision", 0),
            ("(budget)", 1),
            ("+(budget -(revision)) titel:(a)", 2),
            ("((a) (b)) (c)", 2),
            ("NOT a", 1),
            ("NOT NOT NOT a", 3),
            ("NOT a NOT b", 1),
            ("NOT (NOT (a))", 4),
            ("NOT NOT (a) b", 3),
            ("NOTa (b)", 1),
            ("\"(((\"", 3),
            (")))(", 1),
        ] {
            assert_eq!(advanced_depth(text), depth, "{text:?}");
        }
        let deep = |n: usize| format!("{}budget{}", "(".repeat(n), ")".repeat(n));
        assert!(check_advanced(&deep(MAX_ADVANCED_DEPTH)).is_ok());
        let too_deep = check_advanced(&deep(50_000));
        assert!(
            matches!(too_deep, Err(SearchError::TooDeep { depth: 50_000, .. })),
            "{too_deep:?}"
        );
        let long = "budget ".repeat(MAX_ADVANCED_CHARS / 7 + 1);
        assert!(matches!(
            check_advanced(&long),
            Err(SearchError::TooLong { .. })
        ));
    }

    #[test]
    fn html_escape_escapes_the_five_and_keeps_the_rest() {
        assert_eq!(
            html_escape("a<b> & \"c\" 'd' – å"),
            "a&lt;b&gt; &amp; &quot;c&quot; &#39;d&#39; – å"
        );
        assert_eq!(html_unescape(&html_escape("<&>\"'")), "<&>\"'");
    }

    #[test]
    fn facet_values_are_numbered_in_sorted_order_whatever_order_units_come_in() {
        // The static manifest lists the förbund in this order and its cards carry these
        // numbers, so the browser names a hit's förbund by them.
        let units = vec![
            unit("vara", "protokoll", None, 2025, true),
            unit("ale", "plan", None, 2023, false),
            unit("vara", "plan", None, 2024, false),
        ];
        let columns = FacetColumns::of(&units);
        let slugs: Vec<&str> = columns
            .forbund_names()
            .iter()
            .map(|(slug, _)| slug.as_str())
            .collect();
        assert_eq!(slugs, ["ale", "vara"]);
        assert_eq!(columns.forbund(), [1, 0, 1]);
        assert_eq!(columns.years(), [2023, 2024, 2025]);
        assert_eq!(columns.year(), [2, 0, 1]);
        assert_eq!(columns.kinds(), ["plan", "protokoll"]);
        assert_eq!(columns.kind(), [1, 0, 0]);
        assert_eq!(columns.decision(), [true, false, false]);
        assert_eq!(columns.forbund_number("vara"), Some(1));
        assert_eq!(
            columns.forbund_name("ale"),
            Some("Samordningsförbundet ale")
        );
        assert_eq!(columns.forbund_number("okänt"), None);
    }

    #[test]
    fn each_facet_is_counted_with_every_filter_but_its_own() {
        let units = vec![
            unit("ale", "protokoll", Some("2024-03-01"), 2024, true),
            unit("ale", "plan", None, 2025, false),
            unit("blekinge", "protokoll", Some("2025-05-05"), 2025, true),
            unit("blekinge", "protokoll", Some("2025-06-01"), 2025, false),
        ];
        let columns = FacetColumns::of(&units);
        let scored: Vec<(u32, u64)> = (0..4).map(|o| (o, 1)).collect();
        let filters = Filters {
            forbund: Some("blekinge".into()),
            year: Some(2025),
            ..Default::default()
        };
        let (total, matched, facets) =
            filter_and_count(&columns, &scored, &filters).expect("valid filters");
        assert_eq!(total, 2);
        assert_eq!(matched.iter().map(|m| m.0).collect::<Vec<_>>(), [2, 3]);
        // Förbund with the year filter only: Ale has one unit in 2025 too.
        let forbund: Vec<(&str, usize)> = facets
            .forbund
            .iter()
            .map(|f| (f.value.as_str(), f.count))
            .collect();
        assert_eq!(forbund, [("blekinge", 2), ("ale", 1)]);
        // Years with the förbund filter only.
        let years: Vec<(&str, usize)> = facets
            .year
            .iter()
            .map(|f| (f.value.as_str(), f.count))
            .collect();
        assert_eq!(years, [("2025", 2)]);
        assert_eq!(facets.decisions, 1);

        // A date range leaves out units without a date; an unknown förbund keeps nothing.
        let dated = Filters {
            from: Some("2024-01-01".into()),
            to: Some("2025-05-31".into()),
            ..Default::default()
        };
        let (total, matched, _) = filter_and_count(&columns, &scored, &dated).expect("ok");
        assert_eq!((total, matched[1].0), (2, 2));
        let nowhere = Filters {
            forbund: Some("okänt".into()),
            ..Default::default()
        };
        let (total, _, facets) = filter_and_count(&columns, &scored, &nowhere).expect("ok");
        assert_eq!(total, 0);
        assert_eq!(
            facets.forbund.len(),
            2,
            "the other förbund are still offered"
        );
        let bad = Filters {
            to: Some("2025-13-01".into()),
            ..Default::default()
        };
        assert!(filter_and_count(&columns, &scored, &bad).is_err());
    }
}
