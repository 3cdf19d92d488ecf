//! Rules on the § numbers: `paragraf-lucka`, `paragraf-dubblett`, `paragraf-ordning`,
//! `justerande-paragrafer`.

use super::{Finding, finding};
use crate::diagnostics::Severity;
use crate::model::{Pos, Protocol};
use std::collections::BTreeMap;

pub(super) fn check(p: &Protocol, out: &mut Vec<Finding>) {
    let file = p.source.as_path();
    // First occurrence of every number, in number order.
    let mut first: BTreeMap<u32, Pos> = BTreeMap::new();
    for q in &p.paragraphs {
        match first.get(&q.number) {
            Some(earlier) => out.push(
                finding(
                    Severity::Fel,
                    "paragraf-dubblett",
                    file,
                    q.pos,
                    format!("§ {} finns redan på rad {}", q.number, earlier.line),
                )
                .with_hint("varje paragrafnummer får bara förekomma en gång i ett protokoll"),
            ),
            None => {
                first.insert(q.number, q.pos);
            }
        }
    }
    for pair in p.paragraphs.windows(2) {
        let (a, b) = (&pair[0], &pair[1]);
        if b.number < a.number {
            out.push(
                finding(
                    Severity::Varning,
                    "paragraf-ordning",
                    file,
                    b.pos,
                    format!("§ {} står efter § {}", b.number, a.number),
                )
                .with_hint("paragraferna ska stå i nummerordning"),
            );
        }
    }
    let numbers: Vec<(u32, Pos)> = first.iter().map(|(&n, &pos)| (n, pos)).collect();
    for pair in numbers.windows(2) {
        let ((a, _), (b, pos)) = (pair[0], pair[1]);
        if b > a + 1 {
            out.push(
                finding(
                    Severity::Varning,
                    "paragraf-lucka",
                    file,
                    pos,
                    format!(
                        "{} saknas: numreringen hoppar från § {a} till § {b}",
                        section_list(&[(a + 1, b - 1)])
                    ),
                )
                .with_hint("kontrollera om paragrafen fallit bort, t.ex. vid inläsning från PDF"),
            );
        }
    }
    justerande(p, &first, out);
}

/// `justerande-paragrafer`: the §§ the justering covers must be the §§ of the protocol.
fn justerande(p: &Protocol, present: &BTreeMap<u32, Pos>, out: &mut Vec<Finding>) {
    let Some(declared) = &p.justerande_paragrafer else {
        return;
    };
    // Declared numbers absent from the body, as ranges: the declared ranges can be large.
    let mut absent: Vec<(u32, u32)> = Vec::new();
    for &(start, end) in &declared.ranges {
        // u64 so that `n + 1` cannot overflow at u32::MAX; every pushed value is ≤ `end`.
        let mut from = u64::from(start);
        for &n in present.range(start..=end).map(|(n, _)| n) {
            if u64::from(n) > from {
                absent.push((narrow(from), n - 1));
            }
            from = u64::from(n) + 1;
        }
        if from <= u64::from(end) {
            absent.push((narrow(from), end));
        }
    }
    absent.sort_unstable();
    let undeclared: Vec<(u32, u32)> = present
        .keys()
        .filter(|&&n| !declared.ranges.iter().any(|&(a, b)| a <= n && n <= b))
        .map(|&n| (n, n))
        .collect();
    if absent.is_empty() && undeclared.is_empty() {
        return;
    }
    let mut parts = Vec::new();
    if !absent.is_empty() {
        parts.push(format!(
            "{} finns inte i protokollet",
            section_list(&absent)
        ));
    }
    if !undeclared.is_empty() {
        parts.push(format!(
            "{} saknas bland justerande paragrafer",
            section_list(&merge_ranges(&undeclared))
        ));
    }
    out.push(
        finding(
            Severity::Varning,
            "justerande-paragrafer",
            &p.source,
            declared.pos,
            format!(
                "justerande paragrafer \"{}\" stämmer inte med protokollets paragrafer: {}",
                declared.text,
                parts.join("; ")
            ),
        )
        .with_hint("ange de paragrafer som justeringen omfattar, t.ex. \"12-27\""),
    );
}

fn narrow(n: u64) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Joins adjacent single numbers into ranges: (5,5),(6,6),(8,8) → (5,6),(8,8).
fn merge_ranges(ranges: &[(u32, u32)]) -> Vec<(u32, u32)> {
    let mut out: Vec<(u32, u32)> = Vec::new();
    for &(a, b) in ranges {
        match out.last_mut() {
            Some(last) if last.1.checked_add(1) == Some(a) => last.1 = b,
            _ => out.push((a, b)),
        }
    }
    out
}

/// "§ 6", "§§ 6–8", "§§ 6, 9–10".
fn section_list(ranges: &[(u32, u32)]) -> String {
    let single = matches!(ranges, [(a, b)] if a == b);
    let items: Vec<String> = ranges
        .iter()
        .map(|&(a, b)| {
            if a == b {
                a.to_string()
            } else {
                format!("{a}–{b}")
            }
        })
        .collect();
    format!("{} {}", if single { "§" } else { "§§" }, items.join(", "))
}

#[cfg(test)]
mod tests {
    use super::super::testutil::*;
    use super::*;

    #[test]
    fn section_lists() {
        assert_eq!(section_list(&[(6, 6)]), "§ 6");
        assert_eq!(section_list(&[(6, 8)]), "§§ 6–8");
        assert_eq!(section_list(&[(6, 6), (9, 10)]), "§§ 6, 9–10");
        assert_eq!(
            merge_ranges(&[(5, 5), (6, 6), (8, 8)]),
            vec![(5, 6), (8, 8)]
        );
    }

    #[test]
    fn a_gap_is_a_warning_at_the_paragraph_after_it() {
        let text = edit(CLEAN, "## § 2 Val av justerare", "## § 4 Val av justerare");
        let text = edit(&text, "## § 3 Avslutning", "## § 5 Avslutning");
        let found = run(&text);
        let f = with_code(&found, "paragraf-lucka");
        assert_eq!(f.len(), 1, "{found:#?}");
        assert_eq!(f[0].severity, Severity::Varning);
        assert_eq!(
            f[0].message,
            "§§ 2–3 saknas: numreringen hoppar från § 1 till § 4"
        );
        assert_eq!((f[0].line, f[0].column), (line_of(&text, "## § 4"), 4));
        let one = edit(CLEAN, "## § 3 Avslutning", "## § 4 Avslutning");
        let found = run(&one);
        let f = with_code(&found, "paragraf-lucka");
        assert_eq!(f.len(), 1, "{found:#?}");
        assert_eq!(
            f[0].message,
            "§ 3 saknas: numreringen hoppar från § 2 till § 4"
        );
        assert!(with_code(&run(CLEAN), "paragraf-lucka").is_empty());
    }

    #[test]
    fn a_duplicate_is_an_error() {
        let text = edit(CLEAN, "## § 2 Val av justerare", "## § 1 Val av justerare");
        let p = protocol_unchecked(&text);
        let mut out = Vec::new();
        check(&p, &mut out);
        let f = with_code(&out, "paragraf-dubblett");
        assert_eq!(f.len(), 1, "{out:#?}");
        assert_eq!(f[0].severity, Severity::Fel);
        assert_eq!(f[0].line, line_of(&text, "## § 1 Val"));
        assert!(
            f[0].message
                .contains(&format!("rad {}", line_of(&text, "## § 1 Mötets")))
        );
        // A duplicate is not also an ordering problem, and § 2 is then a gap.
        assert!(with_code(&out, "paragraf-ordning").is_empty());
        assert_eq!(with_code(&out, "paragraf-lucka").len(), 1);
        assert!(with_code(&run(CLEAN), "paragraf-dubblett").is_empty());
    }

    #[test]
    fn out_of_order_is_a_warning() {
        let text = edit(CLEAN, "## § 2 Val av justerare", "## § 9 Val av justerare");
        let text = edit(&text, "## § 3 Avslutning", "## § 2 Avslutning");
        let found = run(&text);
        let f = with_code(&found, "paragraf-ordning");
        assert_eq!(f.len(), 1, "{found:#?}");
        assert_eq!(f[0].message, "§ 2 står efter § 9");
        assert!(with_code(&run(CLEAN), "paragraf-ordning").is_empty());
    }

    #[test]
    fn justerande_paragrafer_must_match_the_body() {
        let text = edit(
            CLEAN,
            "justerande_paragrafer: \"1-3\"",
            "justerande_paragrafer: \"1-2, 4-6\"",
        );
        let found = run(&text);
        let f = with_code(&found, "justerande-paragrafer");
        assert_eq!(f.len(), 1, "{found:#?}");
        assert_eq!(f[0].severity, Severity::Varning);
        assert_eq!(f[0].line, line_of(&text, "justerande_paragrafer"));
        assert_eq!(
            f[0].message,
            "justerande paragrafer \"1-2, 4-6\" stämmer inte med protokollets paragrafer: §§ 4–6 finns inte i protokollet; § 3 saknas bland justerande paragrafer"
        );
        // A huge declared range is reported as a range, not number by number.
        let huge = edit(
            CLEAN,
            "justerande_paragrafer: \"1-3\"",
            "justerande_paragrafer: \"1-4000000000\"",
        );
        let f = run(&huge);
        let f = with_code(&f, "justerande-paragrafer");
        assert!(
            f[0].message.contains("§§ 4–4000000000 finns inte"),
            "{}",
            f[0].message
        );
        assert!(with_code(&run(CLEAN), "justerande-paragrafer").is_empty());
    }

    /// Parses a protocol the loader would reject (duplicate §), to test the rule on its own.
    fn protocol_unchecked(text: &str) -> crate::model::Protocol {
        let mut errors = Vec::new();
        let p = crate::load::parse_protocol(
            text,
            std::path::Path::new("content/test/protokoll/2025-03-11.md"),
            &mut errors,
        );
        assert_eq!(errors.len(), 1, "{errors:?}");
        p.expect("protocol")
    }
}
