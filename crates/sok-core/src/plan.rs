//! From a parsed query to the terms of the index each of its words matches: the query's plan.
//!
//! A word matches its stem and the stems of its other forms ([`crate::forms`]) that are terms of
//! the index. The word being typed, while it is not yet a word of the archive, matches the
//! first [`MAX_PREFIX_TERMS`] terms it begins. A word that matches nothing is, in this order:
//! split into known words when it is a compound ("arbetsmarknadsåtgärder" → "arbetsmarknad" +
//! "åtgärd", each then a word of the query), or corrected to the most common term one edit away
//! ("Menade du …"; edits near the beginning only when no later edit is a term), or left as a word nothing has, which the ranking ([`crate::rank`]) lets go.
//!
//! The vocabulary is asked through [`Lexicon`]. The server knows every term at once; the browser
//! knows only the term blocks it has fetched, so [`resolve`] answers [`Need`] with every term
//! and typed beginning it must know first, the browser fetches their blocks and asks again.
//! The same function therefore decides the same plan in both places.

use crate::analysis::{split_compound, stem};
use crate::dates::DayRange;
use crate::forms::{form_stems, one_edit, one_edit_early};
use crate::query::ParsedQuery;
use std::cell::RefCell;

/// How many terms a typed beginning expands to at most (the first in byte order).
pub const MAX_PREFIX_TERMS: usize = 30;

/// The index's vocabulary as far as it is known.
pub trait Lexicon {
    /// The number of units with the term (0: not a term); `None` while it is not known.
    fn units(&self, term: &str) -> Option<u32>;
    /// The first [`MAX_PREFIX_TERMS`] terms beginning with `prefix`, in byte order; `None`
    /// while they are not known.
    fn completions(&self, prefix: &str) -> Option<Vec<String>>;
}

/// What [`resolve`] must know before it can plan.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Need {
    pub terms: Vec<String>,
    pub prefixes: Vec<String>,
}

/// How a word of the plan came from what was typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// As typed (its forms, or the completions of the word being typed).
    Typed,
    /// A part of the typed compound (lower-cased).
    Part(String),
    /// A correction of the typed word (lower-cased): the correction's stem.
    Corrected(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WordPlan {
    /// The stem the word is shown and marked by.
    pub stem: String,
    /// The terms the word matches (any one of them): none when nothing has it.
    pub forms: Vec<String>,
    /// The typed beginning, when `forms` are its completions.
    pub prefix: Option<String>,
    pub source: Source,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Plan {
    pub words: Vec<WordPlan>,
    /// Each phrase's stems, which must follow each other.
    pub phrases: Vec<Vec<String>>,
    pub excluded: Vec<String>,
    /// The meeting day(s) written in the query.
    pub date: Option<DayRange>,
    /// A date written in the query that does not exist.
    pub invalid_date: Option<String>,
    /// (typed, corrected) words, lower-cased: what "Menade du …" offers, and applied.
    pub corrections: Vec<(String, String)>,
}

impl Plan {
    /// Every term whose full list the ranking needs: the words' forms, the phrases' and the
    /// excluded stems.
    pub fn terms(&self) -> Vec<String> {
        let mut out: Vec<String> = self
            .words
            .iter()
            .flat_map(|w| w.forms.iter().cloned())
            .chain(self.phrases.iter().flatten().cloned())
            .chain(self.excluded.iter().cloned())
            .collect();
        out.sort();
        out.dedup();
        out
    }

    /// Whether the query asks for words at all (else it is a browse by filters and dates).
    pub fn has_words(&self) -> bool {
        !self.words.is_empty() || !self.phrases.is_empty()
    }

    /// The stems and typed beginnings to mark in titles and excerpts.
    pub fn highlight_terms(&self) -> (Vec<String>, Vec<String>) {
        let mut stems: Vec<String> = Vec::new();
        for w in &self.words {
            for s in std::iter::once(&w.stem).chain(w.forms.iter().take(8)) {
                if !stems.contains(s) {
                    stems.push(s.clone());
                }
            }
        }
        stems.extend(self.phrases.iter().flatten().cloned());
        let prefixes = self.words.iter().filter_map(|w| w.prefix.clone()).collect();
        (stems, prefixes)
    }

    /// The typed beginning, when the plan is that one word matched by its completions alone, as
    /// a beginning's stored answer is.
    pub fn single_prefix(&self) -> Option<&str> {
        match (
            self.words.as_slice(),
            self.phrases.is_empty(),
            self.excluded.is_empty(),
        ) {
            ([w], true, true) if w.source == Source::Typed => w.prefix.as_deref(),
            _ => None,
        }
    }

    /// The term, when the plan is one word matched by that term and its other forms
    /// ([`forms_of`]), as the term's stored answer is.
    pub fn single_term(&self) -> Option<&str> {
        match (
            self.words.as_slice(),
            self.phrases.is_empty(),
            self.excluded.is_empty(),
        ) {
            ([w], true, true)
                if w.prefix.is_none()
                    && w.source == Source::Typed
                    && w.forms.first() == Some(&w.stem) =>
            {
                Some(&w.stem)
            }
            _ => None,
        }
    }
}

/// The other forms of a term that are terms too ([`form_stems`] that `is_term`), sorted: what a
/// one-word query of the term matches besides it. The build stores the term's answer for them.
pub fn forms_of(term: &str, is_term: &dyn Fn(&str) -> bool) -> Vec<String> {
    form_stems(term)
        .into_iter()
        .filter(|s| is_term(s))
        .collect()
}

/// Records what is asked of a lexicon and not yet known.
struct Asker<'a> {
    lex: &'a dyn Lexicon,
    need: RefCell<Need>,
}

impl Asker<'_> {
    /// The term's units, 0 when not known yet (and then it is needed).
    fn units(&self, term: &str) -> u32 {
        self.lex.units(term).unwrap_or_else(|| {
            let mut n = self.need.borrow_mut();
            if !n.terms.iter().any(|t| t == term) {
                n.terms.push(term.to_string());
            }
            0
        })
    }

    fn pending(&self) -> usize {
        let n = self.need.borrow();
        n.terms.len() + n.prefixes.len()
    }
}

/// The plan of a query, or what must be known first.
pub fn resolve(q: &ParsedQuery, lex: &dyn Lexicon) -> Result<Plan, Need> {
    let ask = Asker {
        lex,
        need: RefCell::new(Need::default()),
    };
    let mut plan = Plan {
        phrases: q.phrases.clone(),
        excluded: q.excluded.clone(),
        date: q.date.range,
        invalid_date: q.date.invalid.clone(),
        ..Plan::default()
    };
    for w in &q.words {
        let before = ask.pending();
        let own = ask.units(&w.stem);
        let others: Vec<String> = form_stems(&w.stem)
            .into_iter()
            .filter(|s| ask.units(s) > 0)
            .collect();
        if ask.pending() > before {
            continue;
        }
        let mut forms: Vec<String> = Vec::new();
        let mut prefix = None;
        if own > 0 {
            forms.push(w.stem.clone());
        } else if let Some(p) = &w.prefix {
            match lex.completions(p) {
                None => {
                    ask.need.borrow_mut().prefixes.push(p.clone());
                    continue;
                }
                Some(c) => {
                    forms.extend(c.into_iter().take(MAX_PREFIX_TERMS));
                    prefix = (!forms.is_empty()).then(|| p.clone());
                }
            }
        }
        // Other forms are those of a finished word (not of a beginning's completions).
        if prefix.is_none() {
            for o in others {
                if !forms.contains(&o) {
                    forms.push(o);
                }
            }
        }
        if !forms.is_empty() {
            plan.words.push(WordPlan {
                stem: w.stem.clone(),
                forms,
                prefix,
                source: Source::Typed,
            });
            continue;
        }
        // Nothing has the word: a compound of known words?
        let parts = split_compound(&w.lower, 0, false, &|s: &str| ask.units(s) > 0);
        if ask.pending() > before {
            continue;
        }
        if let Some(parts) = parts {
            for p in parts {
                if !plan.words.iter().any(|x| x.stem == p) {
                    plan.words.push(WordPlan {
                        stem: p.clone(),
                        forms: vec![p],
                        prefix: None,
                        source: Source::Part(w.lower.clone()),
                    });
                }
            }
            continue;
        }
        // A misspelling? The most common term one edit away: first with the word's beginning
        // kept, then (none of those a term) with only its first letter kept.
        let most_common = |candidates: Vec<String>| {
            let mut best: Option<(u32, String, String)> = None;
            for candidate in candidates {
                let s = stem(&candidate);
                let n = ask.units(&s);
                if n > 0 && best.as_ref().is_none_or(|b| n > b.0) {
                    best = Some((n, s, candidate));
                }
            }
            best
        };
        let mut best = most_common(one_edit(&w.lower));
        if ask.pending() > before {
            continue;
        }
        if best.is_none() {
            best = most_common(one_edit_early(&w.lower));
            if ask.pending() > before {
                continue;
            }
        }
        match best {
            Some((_, s, word)) => {
                plan.corrections.push((w.lower.clone(), word));
                plan.words.push(WordPlan {
                    stem: s.clone(),
                    forms: vec![s],
                    prefix: None,
                    source: Source::Corrected(w.lower.clone()),
                });
            }
            None => plan.words.push(WordPlan {
                stem: w.stem.clone(),
                forms: Vec::new(),
                prefix: None,
                source: Source::Typed,
            }),
        }
    }
    let need = ask.need.into_inner();
    if need.terms.is_empty() && need.prefixes.is_empty() {
        Ok(plan)
    } else {
        Err(need)
    }
}

/// The query with its corrections applied, as "Menade du …" shows it.
pub fn corrected_text(text: &str, corrections: &[(String, String)]) -> String {
    let mut out = String::new();
    let mut at = 0;
    for w in crate::analysis::words(text) {
        if let Some((_, to)) = corrections.iter().find(|(from, _)| *from == w.lower) {
            out.push_str(&text[at..w.start]);
            out.push_str(to);
            at = w.end;
        }
    }
    out.push_str(&text[at..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::parse;
    use std::collections::BTreeMap;

    /// A vocabulary of whole terms with their unit counts, known all at once.
    struct Words(BTreeMap<String, u32>);

    impl Words {
        fn of(words: &[(&str, u32)]) -> Words {
            Words(words.iter().map(|(w, n)| (stem(w), *n)).collect())
        }
    }

    impl Lexicon for Words {
        fn units(&self, term: &str) -> Option<u32> {
            Some(self.0.get(term).copied().unwrap_or(0))
        }
        fn completions(&self, prefix: &str) -> Option<Vec<String>> {
            Some(
                self.0
                    .keys()
                    .filter(|t| t.starts_with(prefix))
                    .take(MAX_PREFIX_TERMS)
                    .cloned()
                    .collect(),
            )
        }
    }

    fn plan(q: &str, lex: &Words) -> Plan {
        resolve(&parse(q), lex).expect("everything is known")
    }

    #[test]
    fn a_misspelt_word_is_corrected_to_the_most_common_neighbour() {
        let lex = Words::of(&[("revision", 40), ("revisor", 9), ("bidrag", 9)]);
        let p = plan("revison bidrag", &lex);
        assert_eq!(p.words[0].forms, vec![stem("revision")]);
        assert_eq!(p.corrections, vec![("revison".into(), "revision".into())]);
        assert_eq!(
            corrected_text("Revison bidrag", &p.corrections),
            "revision bidrag"
        );
        // A known word is never corrected.
        assert!(plan("bidrag", &lex).corrections.is_empty());
    }

    #[test]
    fn a_slip_near_the_beginning_is_corrected_when_no_later_edit_is_a_term() {
        let lex = Words::of(&[("samordnade", 12), ("kronor", 30), ("kronan", 2)]);
        let p = plan("saordnade insatser", &lex);
        assert_eq!(
            p.corrections,
            vec![("saordnade".into(), "samordnade".into())]
        );
        assert_eq!(p.words[0].forms, vec![stem("samordnade")]);
        assert_eq!(
            plan("kponor", &lex).corrections,
            vec![("kponor".into(), "kronor".into())]
        );
        // A later edit that is a term wins over a more common early one.
        let lex = Words::of(&[("tagit", 2), ("togiz", 50)]);
        assert_eq!(
            plan("tagiz", &lex).corrections,
            vec![("tagiz".into(), "tagit".into())]
        );
        assert_eq!(
            plan("tgait", &lex).corrections,
            vec![("tgait".into(), "tagit".into())]
        );
        // The browser is asked for the early candidates only once the later ones are known.
        let partial = Partial(BTreeMap::new(), Words::of(&[]));
        let need = resolve(&parse("saordnade"), &partial).expect_err("the later edits first");
        assert!(!need.terms.contains(&stem("samordnade")), "{need:?}");
    }

    #[test]
    fn an_unknown_compound_is_searched_by_its_parts() {
        let lex = Words::of(&[("arbetsmarknad", 5), ("åtgärder", 7)]);
        let p = plan("arbetsmarknadsåtgärder", &lex);
        let stems: Vec<&str> = p.words.iter().map(|w| w.stem.as_str()).collect();
        assert_eq!(stems, [stem("arbetsmarknad"), stem("åtgärder")]);
        assert!(p.corrections.is_empty());
    }

    #[test]
    fn other_forms_that_are_terms_join_the_word() {
        let lex = Words::of(&[("kapitalet", 3), ("kapital", 4)]);
        let p = plan("kapital", &lex);
        assert!(p.words[0].forms.contains(&stem("kapitalet")), "{p:?}");
        let lex = Words::of(&[("egen", 3), ("egna", 4)]);
        assert_eq!(plan("egna", &lex).words[0].forms.len(), 2);
    }

    #[test]
    fn a_known_word_with_other_forms_is_answered_by_its_term() {
        // The build stores the term's answer with its other forms, so the plan names it.
        let lex = Words::of(&[("insatser", 3), ("insats", 4)]);
        let p = plan("insatser", &lex);
        assert!(p.words[0].forms.len() > 1, "{p:?}");
        assert_eq!(p.single_term(), Some(stem("insatser").as_str()));
        assert_eq!(plan("insatser budget", &lex).single_term(), None);
    }

    #[test]
    fn a_word_nothing_has_and_nothing_is_near_is_kept_without_forms() {
        let lex = Words::of(&[("budget", 1)]);
        let p = plan("zxqvwy budget", &lex);
        assert!(p.words[0].forms.is_empty());
        assert_eq!(p.words[1].forms, vec![stem("budget")]);
    }

    /// Knows only the terms it has been told, as the browser does.
    struct Partial(BTreeMap<String, u32>, Words);

    impl Lexicon for Partial {
        fn units(&self, term: &str) -> Option<u32> {
            self.0.get(term).copied()
        }
        fn completions(&self, prefix: &str) -> Option<Vec<String>> {
            self.1.completions(prefix)
        }
    }

    #[test]
    fn asking_until_everything_is_known_gives_the_plan_of_knowing_everything() {
        let full = Words::of(&[
            ("arbetsmarknad", 5),
            ("åtgärder", 7),
            ("budget", 9),
            ("samordnade", 4),
        ]);
        for q in [
            "arbetsmarknadsåtgärder budgte",
            "budget",
            "arbetsmark",
            "bduget",
            "saordnade budget",
        ] {
            let mut partial = Partial(BTreeMap::new(), Words(full.0.clone()));
            let mut rounds = 0;
            let got = loop {
                match resolve(&parse(q), &partial) {
                    Ok(p) => break p,
                    Err(need) => {
                        rounds += 1;
                        assert!(rounds < 6, "{q}: {need:?}");
                        for t in need.terms {
                            let n = full.units(&t).unwrap_or(0);
                            partial.0.insert(t, n);
                        }
                    }
                }
            };
            assert_eq!(got, plan(q, &full), "{q}");
        }
    }
}
