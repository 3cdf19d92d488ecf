//! The tantivy index: one document per § of a protocol and per section of a plan, written by
//! every build into a staging folder and swapped in with the site. It is the search server's and
//! the command line's, never a browser's, so it lives outside the published output (see
//! [`location`]): tantivy names its segments at random, and the output stays byte-identical.
//!
//! Text fields are analysed by [`super::analysis`] through a tokenizer registered as `sv`: at
//! build time with the compound dictionary of this archive, at search time without it (queries
//! are not split). Documents carry a global ordinal (`ord`) in the archive's own order, which is
//! how the server, the command line and the static index name a document and break ties, so that
//! results do not depend on how tantivy happened to split the work into segments.

use super::analysis::{Decompounder, WordCache, query_tokens};
use crate::markdown::to_plain_text;
use crate::model::{Archive, BlockKind, Forbund, Part, Plan, Protocol};
use crate::render::urls::Urls;
use chrono::{Datelike, NaiveDate};
use rayon::prelude::*;
use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;
use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::tokenizer::{Token, TokenStream, Tokenizer};
use tantivy::{Index, TantivyDocument};

/// Where builds before 0.x kept the tantivy index: inside the output folder. Still opened when
/// the index's own folder is missing, so an older build stays searchable until it is rebuilt.
pub const LEGACY_INDEX_DIR: &str = "sok/index";
/// The folder holding the tantivy indexes, in the folder where the output folder lies.
pub const INDEX_HOME: &str = ".protokoll/sokindex";

/// The tantivy index of the site built into `site` (the output folder): `.protokoll/sokindex/<name>`
/// in the folder that holds the output, so `public/` of an archive has its index in the archive's
/// `.protokoll/sokindex/public/`, outside what is published, and found from the output alone
/// (`protokoll search --rot public`).
pub fn location(site: &Path) -> std::path::PathBuf {
    let resolved = crate::output_guard::resolve(site).unwrap_or_else(|_| site.to_path_buf());
    let name = resolved
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_else(|| "public".into());
    let parent = resolved.parent().unwrap_or(Path::new("/"));
    parent.join(INDEX_HOME).join(name)
}

/// The folder to open for `site`: [`location`], or the index inside an older build's output.
pub fn open_location(site: &Path) -> std::path::PathBuf {
    let own = location(site);
    let legacy = site.join(LEGACY_INDEX_DIR);
    if !own.join("meta.json").is_file() && legacy.join("meta.json").is_file() {
        legacy
    } else {
        own
    }
}
/// The name the text fields' analyser is registered under.
pub const TOKENIZER: &str = "sv";

/// One unit of search: a § of a protocol or a section of a plan.
#[derive(Debug, Clone)]
pub struct Unit {
    /// Stable id: `soderasen/2025-03-11#p16`, `sydostraskane/planer/2020#budget-2020`.
    pub id: String,
    pub url: String,
    pub forbund: String,
    pub forbund_name: String,
    pub organ: String,
    /// "protokoll" or "plan".
    pub kind: &'static str,
    pub date: Option<NaiveDate>,
    pub year: i32,
    /// "§ 16" or the section's title.
    pub label: String,
    pub number: Option<u32>,
    pub title: String,
    /// The document's title: "Styrelsen 11 mars 2025, protokoll nr 2".
    pub document: String,
    pub body: String,
    pub decisions: String,
    pub decision_ids: Vec<String>,
    pub has_decision: bool,
    /// What the protocol's header shows of the meeting: the organ and who attended, with their
    /// roles and organisations (searchable text only: names are never facets or pages).
    pub meeting: String,
}

/// The label a block carries on the page.
fn block_label(kind: BlockKind) -> &'static str {
    match kind {
        BlockKind::Forslag => "Förslag",
        BlockKind::Beslut => "Beslut",
        BlockKind::Reservation => "Reservation",
        BlockKind::Bilaga => "Bilaga",
    }
}

/// The organ and the attendance of a protocol as one text: "Styrelsen. Närvarande: Anna Berg,
/// ordförande, Region Blekinge; …".
fn meeting_text(p: &Protocol) -> String {
    let a = &p.attendance;
    let mut out = p.organ.clone();
    for (heading, people) in [
        ("Ledamöter", &a.voting),
        ("Tjänstgörande ersättare", &a.serving_substitutes),
        ("Ersättare", &a.substitutes),
        ("Övriga", &a.others),
        ("Frånvarande", &a.absent),
    ] {
        if people.is_empty() {
            continue;
        }
        out.push_str(&format!(". {heading}: "));
        let list: Vec<String> = people
            .iter()
            .map(|person| {
                let mut parts = vec![person.name.clone()];
                parts.extend(person.assignment.clone());
                if !person.role.is_empty() {
                    parts.push(person.role.clone());
                }
                parts.extend(person.organisation.clone());
                parts.join(", ")
            })
            .collect();
        out.push_str(&list.join("; "));
    }
    out
}

/// A document of the archive: its units are the §§ of a protocol or the sections of a plan.
#[derive(Clone, Copy)]
pub enum Document<'a> {
    Protocol(&'a Forbund, &'a Protocol),
    Plan(&'a Forbund, &'a Plan),
}

impl Document<'_> {
    /// The content file the document is written in.
    pub fn source(&self) -> &Path {
        match self {
            Document::Protocol(_, p) => &p.source,
            Document::Plan(_, plan) => &plan.source,
        }
    }

    fn unit_count(&self) -> usize {
        match self {
            Document::Protocol(_, p) => p.paragraphs.len(),
            Document::Plan(_, plan) => plan.sections.len(),
        }
    }
}

/// The archive's documents in its order (förbund by slug, newest document first, then the
/// plans), each with the ordinal of its first unit.
pub fn documents(archive: &Archive) -> Vec<(Document<'_>, usize)> {
    let mut out = Vec::new();
    let mut first = 0;
    for f in &archive.forbund {
        let docs = f
            .protocols
            .iter()
            .map(|p| Document::Protocol(f, p))
            .chain(f.plans.iter().map(|plan| Document::Plan(f, plan)));
        for d in docs {
            out.push((d, first));
            first += d.unit_count();
        }
    }
    out
}

/// Every unit of the archive, in the archive's order (förbund by slug, newest document first).
pub fn units(archive: &Archive, urls: &Urls) -> Vec<Unit> {
    documents(archive)
        .into_iter()
        .flat_map(|(d, _)| document_units(d, urls))
        .collect()
}

/// The units of one document, in its order.
pub fn document_units(document: Document<'_>, urls: &Urls) -> Vec<Unit> {
    let mut out = Vec::new();
    match document {
        Document::Protocol(f, p) => {
            let document = crate::render::views::protocol_title(p);
            for para in &p.paragraphs {
                let mut body = Vec::new();
                let mut decisions = Vec::new();
                let mut ids = Vec::new();
                // Each block under the label the page shows ("Beslut 2025-3 §14:2",
                // "Reservation Anna Berg", "Bilaga Budget 2025", "Förslag"), so the label, the
                // decision id and the reserving names are searched as the reader sees them.
                for part in &para.parts {
                    match part {
                        Part::Text { markdown } => body.push(to_plain_text(markdown)),
                        Part::Block(b) => {
                            let text = to_plain_text(&b.markdown);
                            let label = match &b.argument {
                                Some(a) => format!("{} {a}:", block_label(b.kind)),
                                None => format!("{}:", block_label(b.kind)),
                            };
                            match b.kind {
                                BlockKind::Beslut => {
                                    if let Some(a) = &b.argument {
                                        ids.push(a.clone());
                                    }
                                    decisions.push(label);
                                    decisions.push(text);
                                }
                                _ => {
                                    body.push(label);
                                    body.push(text);
                                }
                            }
                        }
                    }
                }
                let has_decision = para.decisions().next().is_some();
                out.push(Unit {
                    id: format!("{}/{}#{}", f.slug, p.id, para.anchor()),
                    url: urls.paragraph(&f.slug, &p.id, para.number),
                    forbund: f.slug.clone(),
                    forbund_name: f.short_name.clone(),
                    organ: p.organ.clone(),
                    kind: "protokoll",
                    date: Some(p.date.value),
                    year: p.year(),
                    label: format!("§ {}", para.number),
                    number: Some(para.number),
                    title: para.title.clone(),
                    document: document.clone(),
                    body: join(body),
                    decisions: join(decisions),
                    decision_ids: ids,
                    has_decision,
                    meeting: meeting_text(p),
                });
            }
        }
        Document::Plan(f, plan) => {
            for s in &plan.sections {
                out.push(Unit {
                    id: format!("{}/planer/{}#{}", f.slug, plan.id, s.anchor),
                    url: format!("{}#{}", urls.plan(&f.slug, &plan.id), s.anchor),
                    forbund: f.slug.clone(),
                    forbund_name: f.short_name.clone(),
                    organ: plan
                        .adopted
                        .as_ref()
                        .and_then(|a| a.organ.clone())
                        .unwrap_or_default(),
                    kind: "plan",
                    date: plan.adopted.as_ref().map(|a| a.date.value),
                    year: plan.year.value,
                    label: s.title.clone(),
                    number: None,
                    title: s.title.clone(),
                    document: plan.title.clone(),
                    body: to_plain_text(&s.markdown),
                    decisions: String::new(),
                    decision_ids: Vec::new(),
                    has_decision: false,
                    meeting: String::new(),
                });
            }
        }
    }
    out
}

fn join(parts: Vec<String>) -> String {
    parts
        .into_iter()
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The schema's fields. Their names are Swedish because power users type them in queries
/// (`titel:budget`, `forbund:soderasen`, `ar:2024`).
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    pub id: Field,
    pub ord: Field,
    pub title: Field,
    pub body: Field,
    pub decisions: Field,
    pub forbund: Field,
    pub organ: Field,
    pub kind: Field,
    pub date: Field,
    pub year: Field,
    pub decision_ids: Field,
    pub has_decision: Field,
    pub meeting: Field,
}

/// The text fields that free text searches, with their weights (a word in the title or in a
/// decision says more about the § than one in the background text).
pub const TEXT_FIELDS: [(&str, f64); 4] = [
    ("titel", 2.0),
    ("beslut", 1.5),
    ("text", 1.0),
    // Who attended: found by name, but a § that is about the words ranks above the mere list.
    ("mote", 0.5),
];

pub fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let text = TextOptions::default().set_stored().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(TOKENIZER)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    let fields = Fields {
        id: b.add_text_field("id", STRING | STORED),
        ord: b.add_u64_field("ord", FAST | STORED),
        title: b.add_text_field("titel", text.clone()),
        decisions: b.add_text_field("beslut", text.clone()),
        body: b.add_text_field("text", text.clone()),
        meeting: b.add_text_field("mote", text),
        forbund: b.add_text_field("forbund", STRING | STORED | FAST),
        organ: b.add_text_field("organ", STRING | STORED),
        kind: b.add_text_field("typ", STRING | STORED | FAST),
        date: b.add_date_field("datum", INDEXED | STORED | FAST),
        year: b.add_u64_field("ar", INDEXED | STORED | FAST),
        decision_ids: b.add_text_field("beslutsid", STRING | STORED),
        has_decision: b.add_u64_field("harbeslut", INDEXED | FAST),
    };
    (b.build(), fields)
}

/// The analyser as a tantivy tokenizer: with a dictionary at build time, without at search time.
#[derive(Clone)]
pub struct SvTokenizer {
    decompounder: Option<Arc<Decompounder>>,
    cache: WordCache,
}

impl SvTokenizer {
    pub fn for_index(d: Arc<Decompounder>) -> Self {
        SvTokenizer {
            decompounder: Some(d),
            cache: WordCache::new(),
        }
    }
    pub fn for_query() -> Self {
        SvTokenizer {
            decompounder: None,
            cache: WordCache::new(),
        }
    }
}

/// The tokens of one text. At index time they are made one at a time from the word cache, with
/// no allocation per token (indexing calls this for every word of the archive); at query time
/// they are the query analysis, made at once.
pub enum SvTokenStream<'a> {
    Index(IndexStream<'a>),
    Query {
        tokens: std::vec::IntoIter<Token>,
        current: Token,
    },
}

/// The index analysis of [`Decompounder::index_tokens`], as a stream.
pub struct IndexStream<'a> {
    text: &'a str,
    /// Where the search for the next word starts.
    from: usize,
    /// Positions of the words so far (the next word's position).
    position: usize,
    decompounder: &'a Decompounder,
    cache: &'a mut WordCache,
    /// The current word, lower-cased: the cache's key.
    lower: String,
    /// How many of the current word's compound parts are still to come.
    parts_left: usize,
    current: Token,
}

impl IndexStream<'_> {
    fn advance(&mut self) -> bool {
        if self.parts_left > 0 {
            // The parts of a compound, at the word's position and byte range.
            let Some((_, parts)) = self.cache.get(self.lower.as_str()) else {
                self.parts_left = 0;
                return self.advance();
            };
            let part = &parts[parts.len() - self.parts_left];
            self.current.text.clear();
            self.current.text.push_str(part);
            self.parts_left -= 1;
            return true;
        }
        let Some((start, end)) = super::analysis::next_word(self.text, self.from) else {
            return false;
        };
        self.from = end;
        super::analysis::lower_into(&self.text[start..end], &mut self.lower);
        if !self.cache.contains_key(self.lower.as_str()) {
            let analysed = self.decompounder.analyse(&self.lower);
            self.cache.insert(self.lower.clone(), analysed);
        }
        let Some((stem, parts)) = self.cache.get(self.lower.as_str()) else {
            return false;
        };
        self.current.text.clear();
        self.current.text.push_str(stem);
        self.current.offset_from = start;
        self.current.offset_to = end;
        self.current.position = self.position;
        self.current.position_length = 1;
        self.parts_left = parts.len();
        self.position += 1;
        true
    }
}

impl Tokenizer for SvTokenizer {
    type TokenStream<'a> = SvTokenStream<'a>;
    fn token_stream<'a>(&'a mut self, text: &'a str) -> SvTokenStream<'a> {
        match &self.decompounder {
            Some(d) => {
                // The cache only saves work; a huge one is dropped rather than kept forever.
                if self.cache.len() > 200_000 {
                    self.cache.clear();
                }
                SvTokenStream::Index(IndexStream {
                    text,
                    from: 0,
                    position: 0,
                    decompounder: d,
                    cache: &mut self.cache,
                    lower: String::new(),
                    parts_left: 0,
                    current: Token::default(),
                })
            }
            None => SvTokenStream::Query {
                tokens: query_tokens(text)
                    .into_iter()
                    .enumerate()
                    .map(|(i, t)| Token {
                        offset_from: t.start,
                        offset_to: t.end,
                        position: i,
                        text: t.stem,
                        position_length: 1,
                    })
                    .collect::<Vec<_>>()
                    .into_iter(),
                current: Token::default(),
            },
        }
    }
}

impl TokenStream for SvTokenStream<'_> {
    fn advance(&mut self) -> bool {
        match self {
            SvTokenStream::Index(s) => s.advance(),
            SvTokenStream::Query { tokens, current } => match tokens.next() {
                Some(t) => {
                    *current = t;
                    true
                }
                None => false,
            },
        }
    }
    fn token(&self) -> &Token {
        match self {
            SvTokenStream::Index(s) => &s.current,
            SvTokenStream::Query { current, .. } => current,
        }
    }
    fn token_mut(&mut self) -> &mut Token {
        match self {
            SvTokenStream::Index(s) => &mut s.current,
            SvTokenStream::Query { current, .. } => current,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    #[error("sökindexet: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
    #[error("sökindexet: {0}")]
    Io(#[from] std::io::Error),
}

/// Adds the words of one unit to a vocabulary: each lower-cased word once per unit.
fn count_words(acc: &mut HashMap<String, u32>, u: &Unit) {
    let mut seen = std::collections::HashSet::new();
    for text in [&u.title, &u.body, &u.decisions] {
        for w in super::analysis::words(text) {
            if seen.insert(w.lower.clone()) {
                *acc.entry(w.lower).or_default() += 1;
            }
        }
    }
}

fn merge_counts(mut a: HashMap<String, u32>, b: HashMap<String, u32>) -> HashMap<String, u32> {
    for (k, v) in b {
        *a.entry(k).or_default() += v;
    }
    a
}

/// The compound dictionary of an archive: every word and the number of units it appears in.
pub fn decompounder(units: &[Unit]) -> Decompounder {
    let counts: HashMap<String, u32> = units
        .par_iter()
        .fold(HashMap::new, |mut acc, u| {
            count_words(&mut acc, u);
            acc
        })
        .reduce(HashMap::new, merge_counts);
    Decompounder::from_vocabulary(counts.iter().map(|(k, v)| (k.as_str(), *v)))
}

/// Memory for tantivy's indexing, per indexing thread. Smaller budgets mean more segments to
/// merge; this one keeps a national build's peak memory down at the cost of a few merges.
const WRITER_BUDGET_PER_THREAD: usize = 60_000_000;

/// Creates the index in `dir` with the analyser of `dictionary` and a writer for it.
fn create_index(
    dir: &Path,
    dictionary: Decompounder,
) -> Result<(tantivy::IndexWriter<TantivyDocument>, Fields), IndexError> {
    std::fs::create_dir_all(dir)?;
    let (schema, f) = schema();
    let index = Index::create_in_dir(dir, schema)?;
    index
        .tokenizers()
        .register(TOKENIZER, SvTokenizer::for_index(Arc::new(dictionary)));
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .clamp(1, 4);
    let writer = index
        .writer_with_num_threads::<TantivyDocument>(threads, WRITER_BUDGET_PER_THREAD * threads)?;
    Ok((writer, f))
}

fn tantivy_document(f: &Fields, u: &Unit, ord: usize) -> TantivyDocument {
    let mut doc = TantivyDocument::default();
    doc.add_text(f.id, &u.id);
    doc.add_u64(f.ord, ord as u64);
    doc.add_text(f.title, &u.title);
    doc.add_text(f.body, &u.body);
    doc.add_text(f.decisions, &u.decisions);
    doc.add_text(f.meeting, &u.meeting);
    doc.add_text(f.forbund, &u.forbund);
    doc.add_text(f.organ, u.organ.to_lowercase());
    doc.add_text(f.kind, u.kind);
    if let Some(d) = u.date {
        doc.add_date(f.date, date_time(d));
    }
    doc.add_u64(f.year, u64::try_from(u.year).unwrap_or(0));
    for id in &u.decision_ids {
        doc.add_text(f.decision_ids, id);
    }
    doc.add_u64(f.has_decision, u64::from(u.has_decision));
    doc
}

/// Commits the documents, waits for the merges and writes what the engine knows of each unit.
fn finish_index(
    dir: &Path,
    mut writer: tantivy::IndexWriter<TantivyDocument>,
    infos: &[super::engine::UnitInfo],
) -> Result<(), IndexError> {
    writer.commit()?;
    writer.wait_merging_threads()?;
    let json = serde_json::to_vec(infos).map_err(std::io::Error::other)?;
    std::fs::write(dir.join(super::engine::UNITS_FILE), json)?;
    Ok(())
}

/// Writes the index of `units` into `dir` (which must be empty or missing).
pub fn write_index(dir: &Path, units: &[Unit]) -> Result<(), IndexError> {
    let (writer, f) = create_index(dir, decompounder(units))?;
    for (ord, u) in units.iter().enumerate() {
        writer.add_document(tantivy_document(&f, u, ord))?;
    }
    let infos: Vec<super::engine::UnitInfo> =
        units.iter().map(super::engine::UnitInfo::of).collect();
    finish_index(dir, writer, &infos)
}

/// Why the archive's index was not written.
#[derive(Debug)]
pub enum ArchiveIndexError {
    /// What `guard` found in the units' texts, in the archive's order: nothing was indexed.
    Guarded(Vec<crate::diagnostics::Diagnostic>),
    Index(IndexError),
}

impl From<IndexError> for ArchiveIndexError {
    fn from(e: IndexError) -> Self {
        ArchiveIndexError::Index(e)
    }
}

/// Writes the index of the whole archive into `dir`, as [`write_index`] does with its
/// [`units`], without holding every unit's text at once: the units are made document by
/// document, in parallel, twice (once for the compound dictionary and `guard`, once for tantivy),
/// and let go of when indexed. `guard` names what must not reach the index; if it names anything
/// the index is not written. Returns each unit's result-card text ([`card_text`]), in the
/// archive's order.
///
/// [`card_text`]: super::static_index::card_text
pub fn write_archive_index(
    dir: &Path,
    archive: &Archive,
    urls: &Urls,
    guard: &(dyn Fn(&Unit, &Path) -> Vec<crate::diagnostics::Diagnostic> + Sync),
) -> Result<Vec<String>, ArchiveIndexError> {
    let documents = documents(archive);
    let (counts, leaks) = documents
        .par_iter()
        .fold(
            || (HashMap::new(), Vec::new()),
            |(mut acc, mut leaks): (HashMap<String, u32>, Vec<_>), (d, _)| {
                for u in document_units(*d, urls) {
                    count_words(&mut acc, &u);
                    leaks.extend(guard(&u, d.source()));
                }
                (acc, leaks)
            },
        )
        .reduce(
            || (HashMap::new(), Vec::new()),
            |(a, mut la), (b, lb)| {
                la.extend(lb);
                (merge_counts(a, b), la)
            },
        );
    if !leaks.is_empty() {
        return Err(ArchiveIndexError::Guarded(leaks));
    }
    let dictionary = Decompounder::from_vocabulary(counts.iter().map(|(k, v)| (k.as_str(), *v)));
    drop(counts);
    let (writer, f) = create_index(dir, dictionary)?;
    type Indexed = (Vec<super::engine::UnitInfo>, Vec<String>);
    let indexed: Vec<Result<Indexed, IndexError>> = documents
        .par_iter()
        .map(|(d, first)| {
            let units = document_units(*d, urls);
            let mut infos = Vec::with_capacity(units.len());
            let mut cards = Vec::with_capacity(units.len());
            for (i, u) in units.iter().enumerate() {
                writer.add_document(tantivy_document(&f, u, first + i))?;
                infos.push(super::engine::UnitInfo::of(u));
                cards.push(super::static_index::card_text(&u.decisions, &u.body));
            }
            Ok((infos, cards))
        })
        .collect();
    let mut infos = Vec::new();
    let mut cards = Vec::new();
    for r in indexed {
        let (i, c) = r?;
        infos.extend(i);
        cards.extend(c);
    }
    finish_index(dir, writer, &infos)?;
    Ok(cards)
}

pub fn date_time(d: NaiveDate) -> tantivy::DateTime {
    let days = d.num_days_from_ce() - 719_163; // days since 1970-01-01
    tantivy::DateTime::from_timestamp_secs(i64::from(days) * 86_400)
}

/// The fields of an opened index, by name.
pub fn fields_of(schema: &Schema) -> Result<Fields, tantivy::TantivyError> {
    Ok(Fields {
        id: schema.get_field("id")?,
        ord: schema.get_field("ord")?,
        title: schema.get_field("titel")?,
        body: schema.get_field("text")?,
        decisions: schema.get_field("beslut")?,
        forbund: schema.get_field("forbund")?,
        organ: schema.get_field("organ")?,
        kind: schema.get_field("typ")?,
        date: schema.get_field("datum")?,
        year: schema.get_field("ar")?,
        decision_ids: schema.get_field("beslutsid")?,
        has_decision: schema.get_field("harbeslut")?,
        meeting: schema.get_field("mote")?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_index_stream_gives_the_tokens_of_the_index_analysis() {
        let dictionary = Arc::new(Decompounder::from_vocabulary(
            [
                "förbundet",
                "samordning",
                "styrelsen",
                "möte",
                "rapport",
                "utvärdering",
            ]
            .into_iter()
            .map(|w| (w, 5)),
        ));
        let texts = [
            "Samordningsförbundet höll styrelsemöte; utvärderingsrapporten 2025-3 §14:2 godkändes.",
            "",
            "  ÅÄÖ  Östergötland, styrelsemöte styrelsemöte",
        ];
        let mut tokenizer = SvTokenizer::for_index(dictionary.clone());
        let mut cache = WordCache::new();
        for text in texts {
            let expected: Vec<(String, usize, usize, usize)> = dictionary
                .index_tokens(text, &mut cache)
                .into_iter()
                .map(|t| (t.term, t.position, t.start, t.end))
                .collect();
            let mut stream = tokenizer.token_stream(text);
            let mut got = Vec::new();
            while stream.advance() {
                let t = stream.token();
                got.push((t.text.clone(), t.position, t.offset_from, t.offset_to));
            }
            assert_eq!(got, expected, "{text}");
        }
    }
}
