//! Ranking that degrades gracefully. Each requirement of a query (a word, with any of its forms,
//! or a phrase) gives its units with what they add to the score. A unit is ranked first by how
//! many requirements it meets, then by its score (the sum of its impacts), then by its place in
//! the archive. Units that meet every requirement come first; after them come the best partial
//! matches, down to units that meet half the requirements (or, when none meets that many, as
//! many as any unit meets). So one word phrased otherwise in the text, or spelt otherwise, costs
//! rank, not the whole answer, and a query of words the archive knows never comes back empty.
//!
//! The rank is one integer ([`key`]), so the server, the command line and the browser sort the
//! same numbers.

/// (ordinal, impact) by ordinal: a term's full list as the index stores it.
pub type List = [(u32, u32)];

/// Bits of a [`key`] below the count of requirements met: room for any sum of impacts.
const SCORE_BITS: u32 = 40;

/// The sort key of a unit that meets `met` requirements with this score: higher ranks first.
/// At most 2^53 for up to 8191 requirements, so exact in JavaScript numbers too.
pub fn key(met: u32, score: u64) -> u64 {
    (u64::from(met) << SCORE_BITS) | score.min((1 << SCORE_BITS) - 1)
}

/// The score part of a [`key`].
pub fn score_of(key: u64) -> u64 {
    key & ((1 << SCORE_BITS) - 1)
}

/// The requirements met, from a [`key`].
pub fn met_of(key: u64) -> u32 {
    (key >> SCORE_BITS) as u32
}

/// The units of a word matched by any of its forms, each with its best form's impact.
pub fn best_of(lists: &[&List]) -> Vec<(u32, u64)> {
    if let [only] = lists {
        return only.iter().map(|&(o, i)| (o, u64::from(i))).collect();
    }
    // Each list is sorted by ordinal already: the stable sort merges those runs (n log k)
    // instead of sorting everything again. Equal pairs are equal, so the order is the same.
    let mut all: Vec<(u32, u32)> = lists.iter().flat_map(|l| l.iter().copied()).collect();
    all.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
    all.dedup_by_key(|p| p.0);
    all.into_iter().map(|(o, i)| (o, u64::from(i))).collect()
}

/// The units that have every one of the lists, each with the sum of its impacts: a phrase on a
/// static host, which has no word positions to check the order with.
pub fn all_of(lists: &[&List]) -> Vec<(u32, u64)> {
    let Some((first, rest)) = lists.split_first() else {
        return Vec::new();
    };
    first
        .iter()
        .filter_map(|&(o, i)| {
            let mut sum = u64::from(i);
            for l in rest {
                let at = l.binary_search_by_key(&o, |p| p.0).ok()?;
                sum += u64::from(l[at].1);
            }
            Some((o, sum))
        })
        .collect()
}

/// The fewest requirements a result must meet: half of them (rounded up), or fewer when no unit
/// meets that many.
pub fn least_met(requirements: usize, most_met: u32) -> u32 {
    let half = requirements.div_ceil(2) as u32;
    half.min(most_met).max(1)
}

/// The ranked candidates of a query: (ordinal, [`key`]) by ordinal, for every unit that meets
/// [`least_met`] requirements and has none of the excluded terms. `requirements`: each word's
/// and phrase's units by ordinal with what they add (a word nothing has is an empty list).
pub fn rank(requirements: &[Vec<(u32, u64)>], excluded: &[&List]) -> Vec<(u32, u64)> {
    let mut all: Vec<(u32, u64)> = requirements.iter().flatten().copied().collect();
    // Runs sorted by ordinal, merged (see best_of); units met twice are summed, in any order.
    all.sort_by_key(|p| p.0);
    let mut merged: Vec<(u32, u32, u64)> = Vec::new();
    for (o, s) in all {
        match merged.last_mut() {
            Some(last) if last.0 == o => {
                last.1 += 1;
                last.2 += s;
            }
            _ => merged.push((o, 1, s)),
        }
    }
    for out in excluded {
        merged.retain(|m| out.binary_search_by_key(&m.0, |p| p.0).is_err());
    }
    let most = merged.iter().map(|m| m.1).max().unwrap_or(0);
    let least = least_met(requirements.len(), most);
    merged
        .into_iter()
        .filter(|m| m.1 >= least)
        .map(|(o, met, s)| (o, key(met, s)))
        .collect()
}

/// How many of the ranked units meet every requirement.
pub fn complete(ranked: &[(u32, u64)], requirements: usize) -> usize {
    ranked
        .iter()
        .filter(|r| met_of(r.1) as usize >= requirements)
        .count()
}

/// The order of results: key (higher first), then the archive's order.
pub fn order(a: &(u32, u64), b: &(u32, u64)) -> std::cmp::Ordering {
    b.1.cmp(&a.1).then(a.0.cmp(&b.0))
}

/// The key of a unit listed without words (filters only): its meeting day, newest first, units
/// without a day last.
pub fn browse_key(day: Option<i32>) -> u64 {
    day.map_or(0, |d| (i64::from(d) + 1 + (1 << 20)) as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ranked(reqs: &[Vec<(u32, u64)>]) -> Vec<u32> {
        let mut r = rank(reqs, &[]);
        r.sort_by(order);
        r.into_iter().map(|p| p.0).collect()
    }

    #[test]
    fn all_word_matches_come_before_partial_ones_whatever_their_scores() {
        let a = vec![(1, 5), (2, 900), (3, 5)];
        let b = vec![(1, 5), (3, 1), (4, 800)];
        assert_eq!(ranked(&[a, b]), [1, 3, 2, 4]);
    }

    #[test]
    fn a_word_nothing_has_costs_rank_not_the_answer() {
        let a = vec![(1, 5), (2, 9)];
        let b = vec![(2, 3)];
        let nothing = vec![];
        assert_eq!(
            ranked(&[a, b, nothing]),
            [2],
            "two of three is at least half"
        );
        let only = vec![(7, 1)];
        assert_eq!(
            ranked(&[only, vec![], vec![]]),
            [7],
            "fewer when nothing meets half"
        );
    }

    #[test]
    fn long_queries_keep_only_units_that_meet_half() {
        let w = |ords: &[u32]| ords.iter().map(|&o| (o, 1)).collect::<Vec<_>>();
        let r = ranked(&[w(&[1, 2, 3]), w(&[1, 2]), w(&[1]), w(&[4])]);
        assert_eq!(r, [1, 2]);
    }

    #[test]
    fn excluded_terms_remove_units() {
        let a = vec![(1, 5), (2, 9)];
        let out: &[(u32, u32)] = &[(2, 1)];
        assert_eq!(rank(&[a], &[out]).len(), 1);
    }

    #[test]
    fn a_word_counts_its_best_form() {
        let a: &[(u32, u32)] = &[(1, 5), (2, 9)];
        let b: &[(u32, u32)] = &[(1, 7)];
        assert_eq!(best_of(&[a, b]), vec![(1, 7), (2, 9)]);
    }

    #[test]
    fn keys_sort_by_requirements_then_score_and_fit_javascript_numbers() {
        assert!(key(2, 0) > key(1, 1_000_000));
        assert_eq!(score_of(key(3, 1234)), 1234);
        assert_eq!(met_of(key(3, 1234)), 3);
        assert!(key(8191, u64::MAX) < 1 << 53);
        assert!(browse_key(Some(20158)) > browse_key(Some(20000)));
        assert!(browse_key(Some(-5)) > browse_key(None));
    }
}
