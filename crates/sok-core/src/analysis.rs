//! Swedish text analysis for search: the single source of truth for what a word becomes in the
//! index and in a query. The build's index, the server, the command line and the browser (this
//! crate compiled to WebAssembly, `crates/sok-wasm`) all call these functions, so a query is
//! analysed the same way everywhere.
//!
//! Steps: split into words (letters and digits), lower-case (no ASCII folding: å, ä and ö are
//! letters of their own, "mål" is not "mal"), Snowball's Swedish stemmer, then two repairs:
//!
//! - The stemmer leaves `-et` after a consonant cluster ("förbundet", "protokollet"), so the
//!   definite form would not meet the bare one; [`stem`] removes it.
//! - Swedish writes compounds as one word. At index time [`Decompounder`] adds the stems of a
//!   compound's parts as extra tokens at the compound's position, using a dictionary of words seen
//!   on their own in the archive itself, so "förbundet" finds "samordningsförbundet" and "möte"
//!   finds "styrelsemöte". A query word is split only when it is not itself a word of the archive
//!   ([`split_compound`] with the index's terms as the known words, `crate::plan`).
//!
//! This file depends on nothing but `std` and `frostem` so that it compiles to wasm unchanged.

use std::collections::{HashMap, HashSet};

/// Words longer than this are not indexed (they are base64 blobs or run-together tables, not
/// words anyone searches for).
pub const MAX_WORD_CHARS: usize = 60;

/// A word of a text: its byte range and its lower-cased form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    pub start: usize,
    pub end: usize,
    pub lower: String,
}

/// Splits a text into words: maximal runs of letters and digits. Everything else separates words,
/// so "2025-3" is two words and "FINSAM:s" is "finsam" and "s".
pub fn words(text: &str) -> Vec<Word> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some((start, end)) = next_word(text, from) {
        from = end;
        out.push(Word {
            start,
            end,
            lower: text[start..end].to_lowercase(),
        });
    }
    out
}

/// The byte range of the first word of `text` at or after byte `from` (a char boundary), as
/// [`words`] finds them: words over [`MAX_WORD_CHARS`] are passed over.
pub fn next_word(text: &str, from: usize) -> Option<(usize, usize)> {
    let rest = text.get(from..)?;
    let bytes = rest.as_bytes();
    let mut start: Option<usize> = None;
    let mut chars = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        // ASCII without decoding: most characters of a protocol are.
        let (alphanumeric, width) = match bytes[i] {
            b if b.is_ascii() => (b.is_ascii_alphanumeric(), 1),
            _ => match rest[i..].chars().next() {
                Some(c) => (c.is_alphanumeric(), c.len_utf8()),
                None => break,
            },
        };
        if alphanumeric {
            if start.is_none() {
                start = Some(i);
                chars = 0;
            }
            chars += 1;
        } else if let Some(s) = start.take()
            && chars <= MAX_WORD_CHARS
        {
            return Some((from + s, from + i));
        }
        i += width;
    }
    match start {
        Some(s) if chars <= MAX_WORD_CHARS => Some((from + s, text.len())),
        _ => None,
    }
}

/// Lower-cases `raw` into `out` (cleared first) exactly as `str::to_lowercase` does, without a new
/// allocation for the common all-ASCII word.
pub fn lower_into(raw: &str, out: &mut String) {
    out.clear();
    if raw.is_ascii() {
        out.push_str(raw);
        out.make_ascii_lowercase();
    } else {
        out.push_str(&raw.to_lowercase());
    }
}

fn is_vowel(c: char) -> bool {
    matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y' | 'å' | 'ä' | 'ö')
}

/// The stem of one lower-cased word. Words with digits are kept as they are (years, amounts,
/// decision ids). After Snowball, a final `-et` after two consonants goes too: Snowball keeps it
/// there ("förbundet", "protokollet"), which would separate the definite form from the bare one.
pub fn stem(lower: &str) -> String {
    if lower.chars().any(|c| !c.is_alphabetic()) {
        return lower.to_string();
    }
    let stemmer = frostem::Stemmer::new(frostem::Algorithm::Swedish);
    let mut s = stemmer.stem(lower).into_owned();
    let chars: Vec<char> = s.chars().collect();
    let n = chars.len();
    if n >= 6
        && chars[n - 2] == 'e'
        && chars[n - 1] == 't'
        && !is_vowel(chars[n - 3])
        && !is_vowel(chars[n - 4])
    {
        s.truncate(s.len() - 2);
    }
    s
}

/// One token of a query: the stem of a word, with its byte range in the query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryToken {
    pub start: usize,
    pub end: usize,
    pub lower: String,
    pub stem: String,
}

/// The query analysis: words, lower-cased and stemmed, no compound splitting.
pub fn query_tokens(text: &str) -> Vec<QueryToken> {
    words(text)
        .into_iter()
        .map(|w| QueryToken {
            stem: stem(&w.lower),
            start: w.start,
            end: w.end,
            lower: w.lower,
        })
        .collect()
}

/// An index token: a term at a word position, with the word's byte range for highlighting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexToken {
    pub term: String,
    pub position: usize,
    pub start: usize,
    pub end: usize,
}

/// Minimum length in characters of a compound part found by [`Decompounder`].
const MIN_PART: usize = 3;
/// A part whose neighbour is not a known word must be at least this long to count: a long
/// known tail ("förbundet" in "samordningsförbundet") is good evidence, a short one is not.
const MIN_LONE_TAIL: usize = 5;
/// A word must appear on its own in this many units to be a known word.
const MIN_KNOWN_UNITS: u32 = 2;

/// Splits compounds into parts known from the archive's own vocabulary. Built once per build
/// from every word of every unit ([`Decompounder::from_vocabulary`]); deterministic because it
/// depends only on the set of known stems.
#[derive(Debug, Clone, Default)]
pub struct Decompounder {
    known: HashSet<String>,
}

impl Decompounder {
    /// `vocabulary`: each lower-cased word and the number of units it appears in.
    pub fn from_vocabulary<'a>(vocabulary: impl IntoIterator<Item = (&'a str, u32)>) -> Self {
        let mut known = HashSet::new();
        for (word, units) in vocabulary {
            if units >= MIN_KNOWN_UNITS
                && word.chars().count() >= MIN_PART
                && word.chars().all(char::is_alphabetic)
            {
                known.insert(stem(word));
            }
        }
        // Two-letter stems ("sk") come from short words and would match almost anywhere.
        known.retain(|s| s.chars().count() >= MIN_PART);
        Decompounder { known }
    }

    pub fn known_count(&self) -> usize {
        self.known.len()
    }

    fn is_known(&self, stem: &str) -> bool {
        self.known.contains(stem)
    }

    /// The stems of the parts of a compound word (head parts first), or nothing when the word
    /// is not a compound of known words. Tried from the longest tail, so "samordningsförbundet"
    /// is "samordning" + s + "förbundet" rather than something ending in a short word.
    pub fn parts(&self, lower: &str) -> Vec<String> {
        self.split(lower, 0).unwrap_or_default()
    }

    fn split(&self, word: &str, depth: u8) -> Option<Vec<String>> {
        split_compound(word, depth, true, &|s: &str| self.is_known(s))
    }

    /// The index analysis of one lower-cased word: its stem and the stems of its compound parts
    /// (other than the stem itself).
    pub fn analyse(&self, lower: &str) -> (String, Vec<String>) {
        let stem = stem(lower);
        let mut parts = self.parts(lower);
        parts.retain(|p| *p != stem);
        parts.dedup();
        (stem, parts)
    }

    /// The index analysis of a text: each word's stem, plus the stems of its compound parts at
    /// the same position (so phrases across a compound still line up).
    pub fn index_tokens(&self, text: &str, cache: &mut WordCache) -> Vec<IndexToken> {
        let mut out = Vec::new();
        for (position, w) in words(text).into_iter().enumerate() {
            let analysed = cache
                .entry(w.lower)
                .or_insert_with_key(|lower| self.analyse(lower));
            out.push(IndexToken {
                term: analysed.0.clone(),
                position,
                start: w.start,
                end: w.end,
            });
            for p in &analysed.1 {
                out.push(IndexToken {
                    term: p.clone(),
                    position,
                    start: w.start,
                    end: w.end,
                });
            }
        }
        out
    }
}

/// The stems of the parts of `word` (lower-cased) as a compound of words for which `is_known`
/// holds, tried from the longest tail, with the linking *-s-*, at most three parts. With
/// `lone_tail`, a long known tail after an unknown head is a split too (the index's rule: good
/// evidence that the word is about the tail); without it (the query's rule) every part must be
/// known.
pub fn split_compound(
    word: &str,
    depth: u8,
    lone_tail: bool,
    is_known: &dyn Fn(&str) -> bool,
) -> Option<Vec<String>> {
    if !word.chars().all(char::is_alphabetic) {
        return None;
    }
    let bounds: Vec<usize> = word.char_indices().map(|(i, _)| i).collect();
    let n = bounds.len();
    if n < 2 * MIN_PART + 1 {
        return None;
    }
    let mut lone: Option<String> = None;
    for &cut in &bounds[MIN_PART..=n - MIN_PART] {
        let tail = &word[cut..];
        let tail_stem = stem(tail);
        if tail_stem.chars().count() < MIN_PART || !is_known(&tail_stem) {
            continue;
        }
        let head = &word[..cut];
        let mut heads = vec![head];
        // The linking -s- of Swedish compounds: "utvärderings|rapport".
        if let Some(h) = head.strip_suffix('s')
            && h.chars().count() >= MIN_PART
        {
            heads.push(h);
        }
        for h in heads {
            let head_stem = stem(h);
            if head_stem.chars().count() >= MIN_PART && is_known(&head_stem) {
                return Some(vec![head_stem, tail_stem]);
            }
            if depth == 0
                && let Some(mut parts) = split_compound(h, 1, lone_tail, is_known)
            {
                parts.push(tail_stem);
                return Some(parts);
            }
        }
        if lone_tail
            && lone.is_none()
            && tail.chars().count() >= MIN_LONE_TAIL
            && head.chars().count() > MIN_PART
        {
            lone = Some(tail_stem);
        }
    }
    lone.map(|t| vec![t])
}

/// Memo of analysed words (stem and compound parts): an archive repeats the same words millions
/// of times, so each is analysed once per indexing thread.
pub type WordCache = HashMap<String, (String, Vec<String>)>;

#[cfg(test)]
mod tests {
    use super::*;

    fn dict(words: &[&str]) -> Decompounder {
        Decompounder::from_vocabulary(words.iter().map(|w| (*w, 5)))
    }

    #[test]
    fn lower_case_without_folding() {
        assert_eq!(stem("mål"), stem("målet"));
        assert_ne!(stem("mål"), stem("mal"));
        assert_ne!(stem("får"), stem("far"));
        let t: Vec<String> = query_tokens("MÅL Mal")
            .into_iter()
            .map(|t| t.stem)
            .collect();
        assert_ne!(t[0], t[1]);
    }

    #[test]
    fn snowball_gaps_are_closed() {
        assert_eq!(stem("förbundet"), stem("förbund"));
        assert_eq!(stem("förbundets"), stem("förbund"));
        assert_eq!(stem("protokollet"), stem("protokoll"));
        assert_eq!(stem("beslutet"), stem("beslut"));
        assert_eq!(stem("mötet"), stem("möte"));
    }

    #[test]
    fn words_split_on_everything_but_letters_and_digits() {
        let w: Vec<String> = words("Beslut 2025-3 §14:2, FINSAM:s")
            .into_iter()
            .map(|w| w.lower)
            .collect();
        assert_eq!(w, ["beslut", "2025", "3", "14", "2", "finsam", "s"]);
        assert_eq!(stem("2024"), "2024");
    }

    #[test]
    fn next_word_is_a_run_of_letters_and_digits_in_any_script() {
        // Decoded character by character, as next_word did before its ASCII shortcut.
        let by_chars = |text: &str| {
            let mut out = Vec::new();
            let mut start = None;
            for (i, c) in text.char_indices().chain([(text.len(), ' ')]) {
                match (c.is_alphanumeric() && i < text.len(), start) {
                    (true, None) => start = Some(i),
                    (false, Some(s)) => {
                        if text[s..i].chars().count() <= MAX_WORD_CHARS {
                            out.push((s, i));
                        }
                        start = None;
                    }
                    _ => {}
                }
            }
            out
        };
        let text = format!(
            "Ärende 12: ÅÖÄ-frågan, Σίσυφος\u{a0}½ ²x ١٢٣ 日本語 a\u{301}b {} fin.",
            "ö".repeat(MAX_WORD_CHARS + 1)
        );
        let mut found = Vec::new();
        let mut from = 0;
        while let Some((a, b)) = next_word(&text, from) {
            found.push((a, b));
            from = b;
        }
        assert_eq!(found, by_chars(&text));
    }

    #[test]
    fn next_word_finds_the_words_that_words_finds() {
        let long = "x".repeat(MAX_WORD_CHARS + 1);
        let exact = "y".repeat(MAX_WORD_CHARS);
        for text in [
            "",
            "   ",
            "Beslut 2025-3 §14:2, FINSAM:s",
            "Ärendet ÅÖÄ Σίσυφος ΣΑΣ",
            &format!("a {long} b {exact}"),
            &long,
            &exact,
            "slut",
        ] {
            let mut found = Vec::new();
            let mut from = 0;
            let mut lower = String::new();
            while let Some((a, b)) = next_word(text, from) {
                lower_into(&text[a..b], &mut lower);
                found.push((a, b, lower.clone()));
                from = b;
            }
            // The plain definition: maximal runs of letters and digits, long ones left out.
            let mut expected = Vec::new();
            let mut start: Option<usize> = None;
            let ends = text.char_indices().map(|(i, c)| (i, c.is_alphanumeric()));
            for (i, word_char) in ends.chain([(text.len(), false)]) {
                match (word_char, start) {
                    (true, None) => start = Some(i),
                    (false, Some(a)) => {
                        start = None;
                        if text[a..i].chars().count() <= MAX_WORD_CHARS {
                            expected.push((a, i, text[a..i].to_lowercase()));
                        }
                    }
                    _ => {}
                }
            }
            assert_eq!(found, expected, "{text}");
            let via_words: Vec<(usize, usize, String)> = words(text)
                .into_iter()
                .map(|w| (w.start, w.end, w.lower))
                .collect();
            assert_eq!(via_words, expected, "{text}");
        }
    }

    #[test]
    fn compounds_are_found_by_their_parts() {
        let d = dict(&[
            "förbundet",
            "samordning",
            "styrelsen",
            "möte",
            "utvärdering",
            "rapport",
        ]);
        assert!(d.parts("samordningsförbundet").contains(&stem("förbundet")));
        assert!(d.parts("styrelsemöte").contains(&stem("möte")));
        let p = d.parts("utvärderingsrapport");
        assert!(
            p.contains(&stem("utvärdering")) && p.contains(&stem("rapport")),
            "{p:?}"
        );
        assert!(d.parts("förbundet").is_empty());
        assert!(d.parts("2025").is_empty());
    }

    #[test]
    fn an_unknown_head_needs_a_long_tail() {
        let d = dict(&["förbundet", "mål"]);
        assert_eq!(d.parts("samordningsförbundet"), vec![stem("förbundet")]);
        assert!(
            d.parts("verksamhetsmål").is_empty(),
            "a short tail alone is too weak"
        );
    }

    #[test]
    fn compound_parts_share_the_position_of_the_word() {
        let d = dict(&["möte", "styrelsen"]);
        let mut cache = WordCache::new();
        let t = d.index_tokens("Nästa styrelsemöte", &mut cache);
        let terms: Vec<(&str, usize)> = t.iter().map(|t| (t.term.as_str(), t.position)).collect();
        assert_eq!(terms[0].1, 0);
        assert!(terms.contains(&(stem("möte").as_str(), 1)), "{terms:?}");
        assert!(
            terms.contains(&(stem("styrelsemöte").as_str(), 1)),
            "{terms:?}"
        );
    }
}
