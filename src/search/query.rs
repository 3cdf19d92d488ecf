//! The citizens' query language, parsed the same way by the server, the command line and the
//! browser (compiled to wasm with `analysis.rs`): words, "phrases" anywhere in the query and
//! -words to exclude. Every word must match (AND); the last word also matches words that begin
//! with it, so results follow the typing. Filters (förbund, year, kind, decisions, dates) are
//! separate form fields, not part of the text. docs/search.md describes it for readers.

use super::analysis::{lower_into, next_word, query_tokens, stem, words};

/// Shortest typed word that is also matched as a prefix ("utv" finds "utvärdering").
pub const MIN_PREFIX_CHARS: usize = 3;

/// One required word: its stem, and the typed (lower-cased, unstemmed) prefix when it is the word
/// being typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryWord {
    pub stem: String,
    pub prefix: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParsedQuery {
    pub words: Vec<QueryWord>,
    /// Each phrase: the stems of its words, which must follow each other.
    pub phrases: Vec<Vec<String>>,
    /// Stems that must not occur.
    pub excluded: Vec<String>,
}

impl ParsedQuery {
    pub fn is_empty(&self) -> bool {
        self.words.is_empty() && self.phrases.is_empty()
    }

    /// The stems and prefixes to highlight in an excerpt.
    pub fn highlight_terms(&self) -> (Vec<String>, Vec<String>) {
        let mut stems: Vec<String> = self.words.iter().map(|w| w.stem.clone()).collect();
        stems.extend(self.phrases.iter().flatten().cloned());
        let prefixes = self.words.iter().filter_map(|w| w.prefix.clone()).collect();
        (stems, prefixes)
    }
}

/// Parses a query typed by a reader.
pub fn parse(text: &str) -> ParsedQuery {
    let mut q = ParsedQuery::default();
    let mut rest = text;
    let mut bare = String::new();
    // Quoted parts are phrases; an unclosed quote runs to the end of the query.
    while let Some(open) = rest.find('"') {
        bare.push_str(&rest[..open]);
        bare.push(' ');
        let after = &rest[open + 1..];
        let (inside, next) = match after.find('"') {
            Some(close) => (&after[..close], &after[close + 1..]),
            None => (after, ""),
        };
        let stems: Vec<String> = query_tokens(inside).into_iter().map(|t| t.stem).collect();
        match stems.len() {
            0 => {}
            1 => push_word(&mut q, stems[0].clone(), None),
            _ => {
                if !q.phrases.contains(&stems) {
                    q.phrases.push(stems);
                }
            }
        }
        rest = next;
    }
    bare.push_str(rest);
    // The word being typed is the last bare word, when nothing (a space, a closing quote) follows
    // it and it is not inside an unclosed phrase.
    let typing_bare =
        !text.ends_with(|c: char| c.is_whitespace() || c == '"') && !rest.trim().is_empty();
    // Split the bare text on whitespace to see the leading '-' of excluded words.
    let chunks: Vec<&str> = bare.split_whitespace().collect();
    let last_chunk = chunks.len().checked_sub(1);
    for (ci, chunk) in chunks.iter().enumerate() {
        if let Some(excluded) = chunk.strip_prefix('-') {
            for w in words(excluded) {
                let s = stem(&w.lower);
                if !q.excluded.contains(&s) {
                    q.excluded.push(s);
                }
            }
            continue;
        }
        let tokens = query_tokens(chunk);
        let n = tokens.len();
        for (ti, t) in tokens.into_iter().enumerate() {
            let is_last = typing_bare && Some(ci) == last_chunk && ti + 1 == n;
            let prefix =
                (is_last && t.lower.chars().count() >= MIN_PREFIX_CHARS).then(|| t.lower.clone());
            push_word(&mut q, t.stem, prefix);
        }
    }
    q
}

fn push_word(q: &mut ParsedQuery, stem: String, prefix: Option<String>) {
    if let Some(w) = q.words.iter_mut().find(|w| w.stem == stem) {
        if prefix.is_some() {
            w.prefix = prefix;
        }
        return;
    }
    q.words.push(QueryWord { stem, prefix });
}

/// Byte ranges of the words of `text` to mark in an excerpt: a word whose stem is a query stem,
/// that begins with a typed prefix, or a compound that contains a query stem of four letters or
/// more ("samordningsförbundet" for "förbundet").
pub fn highlights(text: &str, stems: &[String], prefixes: &[String]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    // One buffer for every word's lower case: the texts of ten hits are read for each answer.
    let mut lower = String::new();
    let long_stems: Vec<&str> = stems
        .iter()
        .filter(|q| q.chars().count() >= 4)
        .map(String::as_str)
        .collect();
    let mut from = 0;
    while let Some((start, end)) = next_word(text, from) {
        from = end;
        lower_into(&text[start..end], &mut lower);
        let w = lower.as_str();
        // The stemmer only removes endings, so a word can have a query stem only if it begins
        // with one: most words are passed without being stemmed (stemming each word of every
        // hit's text was most of a server answer's time).
        let hit = (stems.iter().any(|q| w.starts_with(q.as_str())) && stems.contains(&stem(w)))
            || prefixes.iter().any(|p| w.starts_with(p.as_str()))
            || long_stems
                .iter()
                .any(|q| w.len() > q.len() && w.contains(q));
        if hit {
            out.push((start, end));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_phrases_exclusions_and_the_typed_prefix() {
        let q = parse("budget \"extern utvärdering\" -revision utv");
        assert_eq!(q.words.len(), 2, "{q:?}");
        assert_eq!(q.words[0].prefix, None);
        assert_eq!(q.words[1].prefix.as_deref(), Some("utv"));
        assert_eq!(q.phrases, vec![vec![stem("extern"), stem("utvärdering")]]);
        assert_eq!(q.excluded, vec![stem("revision")]);
    }

    #[test]
    fn a_finished_word_is_not_a_prefix() {
        assert_eq!(parse("budget ").words[0].prefix, None);
        assert_eq!(parse("\"extern utvärdering\"").words.len(), 0);
        assert_eq!(parse("ab").words[0].prefix, None, "too short to expand");
    }

    #[test]
    fn a_stem_is_the_beginning_of_its_word() {
        // What `highlights` relies on to skip stemming most words.
        let text = "Förbundets styrelser beslutade att protokollet och protokollen justeras; \
            utvärderingarna, utvärderingsrapporten, löst, fullt, kommunerna, regionens, \
            ansökningar, beviljade medel, årsredovisningar, försäkringskassans handläggare, \
            ordföranden, ledamöterna, förstudien, verksamheterna, samordningsförbundet";
        for w in words(text) {
            assert!(w.lower.starts_with(stem(&w.lower).as_str()), "{}", w.lower);
        }
    }

    #[test]
    fn highlights_find_inflections_and_compounds() {
        let text = "Samordningsförbundet och förbundets styrelse";
        let h = highlights(text, &[stem("förbundet")], &[]);
        let marked: Vec<&str> = h.iter().map(|&(a, b)| &text[a..b]).collect();
        assert_eq!(marked, ["Samordningsförbundet", "förbundets"]);
    }
}
