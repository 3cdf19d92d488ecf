//! Forms of a word that the stemmer does not bring together, and spelling corrections.
//!
//! - **Irregular forms**: Swedish has strong verbs ("föreslå" / "föreslog" / "föreslagit"),
//!   umlaut plurals ("stad" / "städer") and suppletive comparatives ("god" / "bättre"). A small
//!   table lists each family once; a word that *ends* in one of its forms gets the others with
//!   the same beginning, so "föreslog" finds "föreslå" and "antogs" is not needed in the table
//!   for "anta" / "antog" / "antagit" to meet.
//! - **Definite and plural endings** the stemmer leaves ("kapitalet" stays apart from
//!   "kapital"): the word with such an ending added or removed.
//! - **Corrections**: every word one edit away (a letter left out, added, changed, or two
//!   swapped), the first three letters kept; when none of those is a term, the edits among the
//!   kept letters after the first ([`one_edit_early`]).
//!
//! All of these are candidates: [`crate::plan`] keeps those that are terms of the index.

use crate::analysis::stem;

/// Families of irregular forms. A word ending in a form (at least three letters of it, or the
/// whole word) is given the other forms with its own beginning.
const IRREGULAR: &[&[&str]] = &[
    // Strong and irregular verbs, common in protocols (and in their compounds: före-, an-, till-).
    &[
        "slå", "slog", "slagit", "slagen", "slaget", "slagna", "slår",
    ],
    &["ta", "tog", "tagit", "tagen", "taget", "tagna", "tar"],
    &["gå", "gick", "gått", "går", "gången"],
    &["få", "fick", "fått", "får"],
    &[
        "ge", "gav", "gett", "givit", "given", "givet", "givna", "ger",
    ],
    &["göra", "gjorde", "gjort", "gjord", "gjorda", "gör"],
    &["säga", "sade", "sa", "sagt", "sagd", "säger"],
    &["vara", "var", "varit", "är"],
    &["ha", "hade", "haft", "har"],
    &["bli", "blev", "blivit", "bliva", "blir"],
    &["se", "såg", "sett", "sedd", "ser"],
    &["sätta", "satte", "satt", "satta", "sätter"],
    &["lägga", "lade", "la", "lagt", "lagd", "lagda", "lägger"],
    &["välja", "valde", "valt", "vald", "valda", "väljer"],
    &["bära", "bar", "burit", "buren", "burna", "bär"],
    &[
        "skriva", "skrev", "skrivit", "skriven", "skrivna", "skriver",
    ],
    &["finnas", "fanns", "funnits", "finns"],
    &["stå", "stod", "stått", "står"],
    &["dra", "drog", "dragit", "dragen", "drar"],
    &["ligga", "låg", "legat", "ligger"],
    &["sitta", "satt", "suttit", "sitter"],
    &["komma", "kom", "kommit", "kommer"],
    &["veta", "visste", "vetat", "vet"],
    &["besluta", "beslöt", "beslutade", "beslutat", "beslutar"],
    &["hålla", "höll", "hållit", "hållen", "hållna", "håller"],
    &["vinna", "vann", "vunnit", "vinner"],
    &["bjuda", "bjöd", "bjudit", "bjuden", "bjuder"],
    &["skjuta", "sköt", "skjutit", "skjuten", "skjuter"],
    &["gälla", "gällde", "gällt", "gäller"],
    &["träda", "trädde", "trätt", "träder"],
    // Nouns whose vowel changes in the plural.
    &["stad", "städer", "staden", "städerna"],
    &["land", "länder", "landet", "länderna"],
    &["hand", "händer", "handen", "händerna"],
    &["man", "män", "mannen", "männen"],
    &["bok", "böcker", "boken", "böckerna"],
    &["fot", "fötter", "foten", "fötterna"],
    &["rot", "rötter", "roten", "rötterna"],
    &["son", "söner", "sonen", "sönerna"],
    &["dotter", "döttrar", "dottern", "döttrarna"],
    &["bror", "broder", "bröder", "brodern", "bröderna"],
    &["far", "fader", "fäder", "fadern", "fäderna"],
    &["mor", "moder", "mödrar", "modern", "mödrarna"],
    &["natt", "nätter", "natten", "nätterna"],
    &["tand", "tänder", "tanden", "tänderna"],
    &["brand", "bränder", "branden", "bränderna"],
    &["ort", "orter", "orten", "orterna"],
    // Adjectives and pronouns with forms apart.
    &["egen", "eget", "egna", "egne"],
    &["annan", "annat", "andra", "andre"],
    &[
        "liten", "litet", "lilla", "lille", "små", "mindre", "minst", "minsta",
    ],
    &["god", "gott", "goda", "bättre", "bäst", "bästa"],
    &["bra", "bättre", "bäst", "bästa"],
    &[
        "dålig", "dåligt", "dåliga", "sämre", "sämst", "sämsta", "värre", "värst",
    ],
    &["stor", "stort", "stora", "större", "störst", "största"],
    &["gammal", "gammalt", "gamla", "äldre", "äldst", "äldsta"],
    &["ung", "ungt", "unga", "yngre", "yngst", "yngsta"],
    &["hög", "högt", "höga", "högre", "högst", "högsta"],
    &["låg", "lågt", "låga", "lägre", "lägst", "lägsta"],
    &["lång", "långt", "långa", "längre", "längst", "längsta"],
    &["många", "fler", "flera", "flest", "flesta"],
    &["mycket", "mer", "mera", "mest", "mesta"],
    &["någon", "något", "några", "nån", "nåt"],
    &["ingen", "inget", "inga", "intet"],
    &["vilken", "vilket", "vilka"],
];

/// The shortest ending that stands for its family inside a longer word ("slog" in "föreslog",
/// "tog" in "antog"); shorter forms count only as the whole word.
const MIN_IRREGULAR_TAIL: usize = 3;

/// The other forms of `lower` by the table: for each family with a form that is the word or
/// (three letters or more) its ending, the family's forms with the word's beginning.
pub fn irregular(lower: &str) -> Vec<String> {
    let mut out = Vec::new();
    for family in IRREGULAR {
        for form in family.iter() {
            let Some(head) = lower.strip_suffix(form) else {
                continue;
            };
            if !head.is_empty() && form.chars().count() < MIN_IRREGULAR_TAIL {
                continue;
            }
            // A beginning must leave a word before it (at least two letters: "an", "be").
            if !head.is_empty() && head.chars().count() < 2 {
                continue;
            }
            for other in family.iter() {
                let w = format!("{head}{other}");
                if w != lower && !out.contains(&w) {
                    out.push(w);
                }
            }
        }
    }
    out
}

/// Endings of the definite and plural forms that Snowball can leave on ("kapitalet",
/// "beloppet"): added to a word, or taken from it.
const ENDINGS: [&str; 5] = ["et", "en", "na", "er", "ar"];

/// Words of the same family by a definite or plural ending: `lower` with each ending added, and
/// without one it has.
pub fn with_endings(lower: &str) -> Vec<String> {
    if lower.chars().count() < 4 || !lower.chars().all(char::is_alphabetic) {
        return Vec::new();
    }
    let mut out: Vec<String> = ENDINGS.iter().map(|e| format!("{lower}{e}")).collect();
    for e in ENDINGS {
        if let Some(base) = lower.strip_suffix(e)
            && base.chars().count() >= 4
        {
            out.push(base.to_string());
        }
    }
    out
}

/// The stems of the other forms of the words whose stem is `own`, sorted: the stem's own stem
/// (Snowball is not idempotent: "insatser" → "insats" → "insat"), the stems of the irregular
/// family a stem ends in, and of the stem with a definite or plural ending added or taken away.
///
/// A function of the stem alone, so that the build can store a word's answer with all its
/// forms in the term's own entry, and a one-word query still reads one block.
pub fn form_stems(own: &str) -> Vec<String> {
    let mut words: Vec<String> = vec![own.to_string()];
    for family in IRREGULAR {
        for form in family.iter() {
            let form_stem = stem(form);
            let Some(head) = own.strip_suffix(form_stem.as_str()) else {
                continue;
            };
            if !head.is_empty()
                && (form_stem.chars().count() < MIN_IRREGULAR_TAIL || head.chars().count() < 2)
            {
                continue;
            }
            words.extend(family.iter().map(|other| format!("{head}{other}")));
        }
    }
    words.extend(with_endings(own));
    let mut out: Vec<String> = words.iter().map(|w| stem(w)).filter(|s| s != own).collect();
    out.sort();
    out.dedup();
    out
}

const ALPHABET: &str = "abcdefghijklmnopqrstuvwxyzåäöé";
/// Shortest word that is corrected: shorter words have too many neighbours.
pub const MIN_CORRECTED_CHARS: usize = 4;

/// Letters at the beginning of a word that a correction keeps: three (two in a word of five
/// letters or fewer). Typing slips are rarer there, and the candidates then share the word's
/// beginning, so the browser finds them in the few term blocks where that beginning sorts
/// instead of in blocks all over the index.
fn kept_letters(chars: usize) -> usize {
    if chars > 5 { 3 } else { 2 }
}

/// Every word one edit from `lower` after its first letters ([`kept_letters`]): a letter left
/// out, one added, one changed, two neighbours swapped. Sorted, without `lower` itself.
pub fn one_edit(lower: &str) -> Vec<String> {
    let chars: Vec<char> = lower.chars().collect();
    if chars.len() < MIN_CORRECTED_CHARS || !chars.iter().all(|c| c.is_alphabetic()) {
        return Vec::new();
    }
    let mut out = edits_at(&chars, kept_letters(chars.len())..chars.len() + 1);
    out.retain(|w| w != lower);
    out
}

/// The edits [`one_edit`] leaves out to keep a word's beginning, but for its first letter: a
/// letter left out, added or changed at the second and third place, the second and third
/// swapped. The fallback when no word of [`one_edit`] is a term ("saordnade" → "samordnade",
/// "kponor" → "kronor"); the first letter stays, so the candidates still share it. Sorted,
/// without `lower` and without the words of [`one_edit`].
pub fn one_edit_early(lower: &str) -> Vec<String> {
    let chars: Vec<char> = lower.chars().collect();
    if chars.len() < MIN_CORRECTED_CHARS || !chars.iter().all(|c| c.is_alphabetic()) {
        return Vec::new();
    }
    let mut out = edits_at(&chars, 1..kept_letters(chars.len()));
    let later = one_edit(lower);
    out.retain(|w| w != lower && later.binary_search(w).is_err());
    out
}

/// The words one edit from `chars` at the places `at` (an insertion may be at the end): the
/// letter there left out or changed, a letter added before it, it and the next swapped. Sorted,
/// each once.
fn edits_at(chars: &[char], at: std::ops::Range<usize>) -> Vec<String> {
    let word = |v: Vec<char>| v.into_iter().collect::<String>();
    let mut out = Vec::new();
    for i in at {
        if i < chars.len() {
            let mut v = chars.to_vec();
            v.remove(i);
            out.push(word(v));
            if i + 1 < chars.len() {
                let mut v = chars.to_vec();
                v.swap(i, i + 1);
                out.push(word(v));
            }
        }
        for c in ALPHABET.chars() {
            if i < chars.len() && chars[i] != c {
                let mut v = chars.to_vec();
                v[i] = c;
                out.push(word(v));
            }
            let mut v = chars.to_vec();
            v.insert(i, c);
            out.push(word(v));
        }
    }
    out.sort();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strong_verbs_meet_in_their_compounds() {
        let f = irregular("föreslog");
        assert!(f.contains(&"föreslå".to_string()), "{f:?}");
        assert!(f.contains(&"föreslagit".to_string()), "{f:?}");
        let f = irregular("antagen");
        assert!(f.contains(&"anta".to_string()) && f.contains(&"antog".to_string()));
        assert!(irregular("beslöt").contains(&"beslutade".to_string()));
    }

    #[test]
    fn short_forms_count_only_as_the_whole_word() {
        // "la" and "sa" end many words; they stand for their family only alone.
        assert!(irregular("skola").is_empty(), "{:?}", irregular("skola"));
        assert!(irregular("kassa").is_empty());
        assert!(irregular("la").contains(&"lägga".to_string()));
    }

    #[test]
    fn other_forms_are_found_from_the_stem() {
        let of = |w: &str| form_stems(&stem(w));
        let f = of("egna");
        assert!(
            f.contains(&stem("egen")) || f.contains(&stem("eget")),
            "{f:?}"
        );
        assert!(of("större").contains(&stem("stor")), "{:?}", of("större"));
        assert!(
            of("föreslog").contains(&stem("föreslå")),
            "{:?}",
            of("föreslog")
        );
        assert!(
            of("insatser").contains(&stem("insats")),
            "{:?}",
            of("insatser")
        );
        assert!(!of("budget").contains(&stem("budget")), "not its own stem");
    }

    #[test]
    fn definite_endings_are_added_and_removed() {
        assert!(with_endings("kapital").contains(&"kapitalet".to_string()));
        assert!(with_endings("kapitalet").contains(&"kapital".to_string()));
        assert!(with_endings("mål").is_empty(), "too short to guess at");
    }

    #[test]
    fn one_edit_keeps_the_first_letters() {
        let e = one_edit("budet");
        for w in ["budget", "bude", "budte", "buder"] {
            assert!(e.contains(&w.to_string()), "{w}");
        }
        assert!(!e.contains(&"udet".to_string()));
        assert!(!e.contains(&"bdet".to_string()));
        let e = one_edit("revison");
        assert!(e.contains(&"revision".to_string()));
        assert!(e.iter().all(|w| w.starts_with("rev")), "{e:?}");
        assert!(!e.contains(&"budet".to_string()));
        assert!(one_edit("mål").is_empty());
        assert!(one_edit("2025").is_empty());
    }

    #[test]
    fn early_edits_keep_the_first_letter_and_add_only_what_one_edit_lacks() {
        let e = one_edit_early("saordnade");
        assert!(e.contains(&"samordnade".to_string()), "{e:?}");
        assert!(one_edit_early("kponor").contains(&"kronor".to_string()));
        assert!(one_edit_early("tgait").contains(&"tagit".to_string()));
        assert!(e.iter().all(|w| w.starts_with('s')), "{e:?}");
        let later = one_edit("saordnade");
        assert!(e.iter().all(|w| !later.contains(w)));
        assert!(one_edit_early("mål").is_empty());
        assert!(one_edit_early("2025").is_empty());
    }

    /// Slips written after the rule, not taken from the sample that led to it: one of each kind
    /// of edit at the second and third letter, and one each from `one_edit`'s side.
    #[test]
    fn every_kind_of_slip_near_the_beginning_or_later_has_its_word_among_the_candidates() {
        let near = [
            ("bduget", "budget"),                // second and third swapped
            ("pesonal", "personal"),             // third letter left out
            ("föorbund", "förbund"),             // a letter added at the second place
            ("rwvision", "revision"),            // the second letter changed
            ("årredovisning", "årsredovisning"), // left out at the third place
        ];
        for (typed, meant) in near {
            let e = one_edit_early(typed);
            assert!(e.contains(&meant.to_string()), "{typed} → {meant}: {e:?}");
            assert!(!one_edit(typed).contains(&meant.to_string()), "{typed}");
        }
        for (typed, meant) in [
            ("verksamhetspaln", "verksamhetsplan"),
            ("styrelsn", "styrelsen"),
        ] {
            assert!(one_edit(typed).contains(&meant.to_string()), "{typed}");
        }
    }
}
