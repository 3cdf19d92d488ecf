//! Filters and facet counts over ranked units: förbund, year, kind, decisions only, and a range
//! of meeting days. Each facet is counted with every filter but its own, so a reader sees what
//! choosing another value would give. Values are small numbers (a förbund's place in the sorted
//! list of förbund, and so on), the same in the server's columns and the static directory.

/// Each unit's facet values, by ordinal.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Columns {
    pub forbund: Vec<u32>,
    pub year: Vec<u32>,
    pub kind: Vec<u32>,
    pub decision: Vec<bool>,
    /// Meeting day numbers (-1: none); may be empty while no date range is asked for.
    pub day: Vec<i32>,
    /// How many distinct values each facet has.
    pub forbund_values: usize,
    pub year_values: usize,
    pub kind_values: usize,
}

/// The chosen filters as value numbers (`u32::MAX`: a value no unit has, which keeps nothing).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Want {
    pub forbund: Option<u32>,
    pub year: Option<u32>,
    pub kind: Option<u32>,
    pub decisions_only: bool,
    /// Meeting days, inclusive.
    pub from: Option<i32>,
    pub to: Option<i32>,
}

impl Want {
    pub fn is_empty(&self) -> bool {
        *self == Want::default()
    }
}

/// The units that pass, with the counts of each facet value.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counted {
    /// (ordinal, key) of the units that pass every filter, in the order given.
    pub matched: Vec<(u32, u64)>,
    pub forbund: Vec<usize>,
    pub year: Vec<usize>,
    pub kind: Vec<usize>,
    /// Units with a decision that pass the other filters.
    pub decisions: usize,
}

/// Applies the filters to `ranked` and counts the facets.
pub fn filter_and_count(cols: &Columns, ranked: &[(u32, u64)], want: &Want) -> Counted {
    let mut c = Counted {
        forbund: vec![0; cols.forbund_values],
        year: vec![0; cols.year_values],
        kind: vec![0; cols.kind_values],
        ..Counted::default()
    };
    let dated = want.from.is_some() || want.to.is_some();
    for &(o, key) in ranked {
        let i = o as usize;
        let (Some(&f), Some(&y), Some(&k), Some(&d)) = (
            cols.forbund.get(i),
            cols.year.get(i),
            cols.kind.get(i),
            cols.decision.get(i),
        ) else {
            continue;
        };
        if dated {
            let day = cols.day.get(i).copied().unwrap_or(-1);
            if day < 0
                || want.from.is_some_and(|from| day < from)
                || want.to.is_some_and(|to| day > to)
            {
                continue;
            }
        }
        let ok_f = want.forbund.is_none_or(|w| w == f);
        let ok_y = want.year.is_none_or(|w| w == y);
        let ok_k = want.kind.is_none_or(|w| w == k);
        let ok_d = !want.decisions_only || d;
        let add = |counts: &mut Vec<usize>, v: u32| {
            if let Some(n) = counts.get_mut(v as usize) {
                *n += 1;
            }
        };
        if ok_y && ok_k && ok_d {
            add(&mut c.forbund, f);
        }
        if ok_f && ok_k && ok_d {
            add(&mut c.year, y);
        }
        if ok_f && ok_y && ok_d {
            add(&mut c.kind, k);
        }
        if ok_f && ok_y && ok_k && d {
            c.decisions += 1;
        }
        if ok_f && ok_y && ok_k && ok_d {
            c.matched.push((o, key));
        }
    }
    c
}

/// The first `n` of `matched` in [`crate::rank::order`], the rest left out: only the page asked
/// for is sorted.
pub fn page(matched: &mut Vec<(u32, u64)>, n: usize) {
    if n < matched.len() {
        matched.select_nth_unstable_by(n, crate::rank::order);
        matched.truncate(n);
    }
    matched.sort_unstable_by(crate::rank::order);
}

/// Every unit as a candidate of a search by filters alone: newest meeting first
/// ([`crate::rank::browse_key`]).
pub fn browse_all(days: &[i32]) -> Vec<(u32, u64)> {
    days.iter()
        .enumerate()
        .map(|(o, &d)| (o as u32, crate::rank::browse_key((d >= 0).then_some(d))))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cols() -> Columns {
        // ale 2024 protokoll beslut; ale 2025 plan; blekinge 2025 protokoll beslut; blekinge 2025
        // protokoll.
        Columns {
            forbund: vec![0, 0, 1, 1],
            year: vec![0, 1, 1, 1],
            kind: vec![1, 0, 1, 1],
            decision: vec![true, false, true, false],
            day: vec![19783, -1, 20213, 20240],
            forbund_values: 2,
            year_values: 2,
            kind_values: 2,
        }
    }

    #[test]
    fn each_facet_is_counted_with_every_filter_but_its_own() {
        let ranked: Vec<(u32, u64)> = (0..4).map(|o| (o, 1)).collect();
        let c = filter_and_count(
            &cols(),
            &ranked,
            &Want {
                forbund: Some(1),
                year: Some(1),
                ..Want::default()
            },
        );
        assert_eq!(c.matched.iter().map(|m| m.0).collect::<Vec<_>>(), [2, 3]);
        assert_eq!(c.forbund, [1, 2], "Ale has one unit in 2025 too");
        assert_eq!(c.year, [0, 2]);
        assert_eq!(c.decisions, 1);
        let dated = Want {
            from: Some(19000),
            to: Some(20230),
            ..Want::default()
        };
        let c = filter_and_count(&cols(), &ranked, &dated);
        assert_eq!(c.matched.iter().map(|m| m.0).collect::<Vec<_>>(), [0, 2]);
        let nowhere = Want {
            forbund: Some(u32::MAX),
            ..Want::default()
        };
        let c = filter_and_count(&cols(), &ranked, &nowhere);
        assert!(c.matched.is_empty());
        assert_eq!(c.forbund, [2, 2], "the other förbund are still offered");
    }

    #[test]
    fn a_browse_lists_newest_first_then_in_the_archives_order() {
        let mut all = browse_all(&cols().day);
        page(&mut all, 10);
        assert_eq!(all.iter().map(|m| m.0).collect::<Vec<_>>(), [3, 2, 0, 1]);
    }
}
