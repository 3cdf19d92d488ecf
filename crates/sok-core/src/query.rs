//! The citizens' query language, parsed the same way by the server, the command line and the
//! browser (this crate compiled to wasm): words, "phrases" anywhere in the query, -words to
//! exclude and a meeting date ([`crate::dates`]). The last word also matches words that begin
//! with it, so results follow the typing. Which terms each word matches is
//! [`crate::plan`]'s work; how results are ordered, [`crate::rank`]'s. Filters (förbund, year,
//! kind, decisions, dates) are also form fields. docs/search.md describes it for readers.

use crate::analysis::{MAX_WORD_CHARS, lower_into, next_word, query_tokens, stem, words};
use crate::dates::QueryDate;

/// Shortest typed word that is also matched as a prefix ("utv" finds "utvärdering").
pub const MIN_PREFIX_CHARS: usize = 3;

/// One required word: its stem, and the typed (lower-cased, unstemmed) prefix when it is the word
/// being typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryWord {
    pub stem: String,
    /// The word as typed, lower-cased (its other forms and corrections are found from it).
    pub lower: String,
    pub prefix: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParsedQuery {
    pub words: Vec<QueryWord>,
    /// Each phrase: the stems of its words, which must follow each other.
    pub phrases: Vec<Vec<String>>,
    /// Stems that must not occur.
    pub excluded: Vec<String>,
    /// A meeting date written in the query: a filter, its words not searched for.
    pub date: QueryDate,
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
    let mut q = ParsedQuery {
        date: crate::dates::find(text),
        ..ParsedQuery::default()
    };
    // The dates' words are blanked out (same length, so the rest keeps its places).
    let mut blanked = text.to_string();
    for &(a, b) in &q.date.spans {
        blanked.replace_range(a..b, &" ".repeat(b - a));
    }
    let text = blanked.as_str();
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
            1 => {
                let lower = inside.trim().to_lowercase();
                push_word(&mut q, stems[0].clone(), lower, None)
            }
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
            push_word(&mut q, t.stem, t.lower, prefix);
        }
    }
    q
}

fn push_word(q: &mut ParsedQuery, stem: String, lower: String, prefix: Option<String>) {
    if let Some(w) = q.words.iter_mut().find(|w| w.stem == stem) {
        if prefix.is_some() {
            w.prefix = prefix;
        }
        return;
    }
    q.words.push(QueryWord {
        stem,
        lower,
        prefix,
    });
}

/// Byte ranges of the words of `text` to mark in an excerpt: a word whose stem is a query stem,
/// that begins with a typed prefix, or a compound that contains a query stem of four letters or
/// more ("samordningsförbundet" for "förbundet").
///
/// Every word to mark contains a query stem or prefix, so only the words around their occurrences
/// in the lower-cased text are looked at: the texts of ten hits are read for each answer, and
/// lower-casing and testing every word of them was most of a server answer's time.
pub fn highlights(text: &str, stems: &[String], prefixes: &[String]) -> Vec<(usize, usize)> {
    // The browser marks the few hits it shows; the search code it downloads stays small.
    if cfg!(target_arch = "wasm32") {
        return highlights_word_by_word(text, stems, prefixes);
    }
    let needles: Vec<&str> = stems.iter().chain(prefixes).map(String::as_str).collect();
    if needles.is_empty() {
        return Vec::new();
    }
    let Some(lowered) = lower_in_place(text).filter(|_| needles.iter().all(|n| !n.is_empty()))
    else {
        return highlights_word_by_word(text, stems, prefixes);
    };
    let mut candidates = Vec::new();
    for needle in needles {
        let mut from = 0;
        while let Some(found) = lowered.get(from..).and_then(|rest| rest.find(needle)) {
            let at = from + found;
            let (start, end) = word_around(text, at);
            if end > start {
                if text[start..end].chars().count() <= MAX_WORD_CHARS {
                    candidates.push((start, end));
                }
                from = end;
            } else {
                // Not in a word (a needle is letters and digits, so this is only a lower case that
                // is a letter where the text's character is not): go on after that character.
                from = at + text[at..].chars().next().map_or(1, char::len_utf8);
            }
        }
    }
    candidates.sort_unstable();
    candidates.dedup();
    let long_stems = long_stems(stems);
    let mut lower = String::new();
    // The same word comes back often ("och" in every paragraph): it is judged once.
    let mut judged: Vec<(String, bool)> = Vec::new();
    candidates.retain(|&(start, end)| {
        lower_into(&text[start..end], &mut lower);
        if let Some((_, marked)) = judged.iter().find(|(w, _)| *w == lower) {
            return *marked;
        }
        let marked = is_marked(&lower, stems, prefixes, &long_stems);
        if judged.len() < 64 {
            judged.push((lower.clone(), marked));
        }
        marked
    });
    candidates
}

/// [`highlights`] by testing every word: for texts whose lower case does not keep each
/// character's place (see [`lower_in_place`]).
fn highlights_word_by_word(
    text: &str,
    stems: &[String],
    prefixes: &[String],
) -> Vec<(usize, usize)> {
    let long_stems = long_stems(stems);
    let mut out = Vec::new();
    let mut lower = String::new();
    let mut from = 0;
    while let Some((start, end)) = next_word(text, from) {
        from = end;
        lower_into(&text[start..end], &mut lower);
        if is_marked(&lower, stems, prefixes, &long_stems) {
            out.push((start, end));
        }
    }
    out
}

/// Query stems long enough to be marked inside a compound.
fn long_stems(stems: &[String]) -> Vec<&str> {
    stems
        .iter()
        .filter(|q| q.chars().count() >= 4)
        .map(String::as_str)
        .collect()
}

/// Whether a lower-cased word is marked for these query terms.
fn is_marked(w: &str, stems: &[String], prefixes: &[String], long_stems: &[&str]) -> bool {
    // The stemmer only removes endings, so a word can have a query stem only if it begins with
    // one: most words are passed without being stemmed.
    (stems.iter().any(|q| w.starts_with(q.as_str())) && stems.contains(&stem(w)))
        || prefixes.iter().any(|p| w.starts_with(p.as_str()))
        || long_stems
            .iter()
            .any(|q| w.len() > q.len() && w.contains(q))
}

/// The lower case of `text` with every character at its own byte offset, so that a word's lower
/// case (as [`lower_into`] makes it) is the same range of it. `None` when some character's lower
/// case is longer or shorter, or the text has a capital sigma (whose lower case depends on where
/// in a word it stands).
fn lower_in_place(text: &str) -> Option<String> {
    let mut out = text.to_string();
    out.make_ascii_lowercase();
    let mut from = 0;
    while let Some(offset) = text.as_bytes()[from..].iter().position(|b| !b.is_ascii()) {
        let at = from + offset;
        let c = text[at..].chars().next()?;
        let width = c.len_utf8();
        from = at + width;
        // ß to ÿ (å, ä, ö among them) are their own lower case.
        if ('\u{df}'..='\u{ff}').contains(&c) {
            continue;
        }
        let mut lower = c.to_lowercase();
        let (Some(l), None) = (lower.next(), lower.next()) else {
            return None;
        };
        if c == 'Σ' || l.len_utf8() != width {
            return None;
        }
        if l != c {
            out.replace_range(at..at + width, l.encode_utf8(&mut [0; 4]));
        }
    }
    Some(out)
}

/// The run of letters and digits around byte `at` of `text` (a char boundary): empty when the
/// character at `at` is neither.
fn word_around(text: &str, at: usize) -> (usize, usize) {
    let mut end = at;
    for c in text[at..].chars() {
        if !c.is_alphanumeric() {
            break;
        }
        end += c.len_utf8();
    }
    if end == at {
        return (at, at);
    }
    let start = text[..at]
        .char_indices()
        .rev()
        .take_while(|&(_, c)| c.is_alphanumeric())
        .last()
        .map_or(at, |(i, _)| i);
    (start, end)
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

    /// Texts made of pieces that try the marking's corners: capitals, compounds, digits, words
    /// over the length limit, letters whose lower case is longer (İ) or depends on the place (Σ),
    /// and separators of every kind.
    fn tricky_texts() -> Vec<String> {
        let pieces = [
            "Samordningsförbundet",
            "FÖRBUNDET",
            "förbundets",
            "förbund",
            "och",
            "OCH",
            "Och",
            "ÅRSREDOVISNING",
            "årsredovisningen",
            "2024",
            "2024-års",
            "utvärderingsrapporten",
            "Utv",
            "mål",
            "mal",
            "Σίσυφος",
            "ΣΑΣ",
            "İstanbul",
            "ﬁnsam",
            "ÆØÅ",
            "ßtraße",
            " ",
            " ",
            " ",
            ", ",
            "-",
            "§",
            "\n",
            ":s",
            "«",
            "»",
            "\u{a0}",
        ];
        let long = "förbundet".repeat(7);
        let mut seed: u64 = 2025;
        let mut next = move |n: usize| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) as usize % n
        };
        (0..3000)
            .map(|i| {
                let mut t = String::new();
                for _ in 0..next(24) {
                    match next(40) {
                        0 => t.push_str(&long),
                        k => t.push_str(pieces[k % pieces.len()]),
                    }
                }
                // Most texts without Σ and İ, so that the quick way is taken.
                if i % 3 != 0 {
                    t = t.replace(['Σ', 'İ'], "e");
                }
                t
            })
            .collect()
    }

    #[test]
    fn marking_by_occurrence_marks_what_marking_every_word_marks() {
        let queries = [
            "förbundet",
            "och",
            "årsredovisning 2024",
            "mål",
            "utv",
            "sam",
            "σίσυφος",
            "istanbul finsam",
            "σας",
            "stanbul",
            "straße",
            "2024 för",
        ];
        let texts = tricky_texts();
        let mut marked = 0;
        for q in queries {
            let (stems, prefixes) = parse(q).highlight_terms();
            for t in &texts {
                let quick = highlights(t, &stems, &prefixes);
                assert_eq!(
                    quick,
                    highlights_word_by_word(t, &stems, &prefixes),
                    "{q:?} in {t:?}"
                );
                marked += quick.len();
            }
        }
        assert!(marked > 10_000, "the texts mark something: {marked}");
    }

    #[test]
    fn lower_case_in_place_only_when_every_letter_keeps_its_width() {
        let t = "Ärendet ÅÖÄ ÆØ Straße ﬁnsam FÖRBUNDET";
        assert_eq!(
            lower_in_place(t).as_deref(),
            Some(t.to_lowercase().as_str())
        );
        assert_eq!(
            lower_in_place("İstanbul"),
            None,
            "İ is longer in lower case"
        );
        assert_eq!(lower_in_place("ΣΑΣ"), None, "final sigma");
    }
}
