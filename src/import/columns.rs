//! Two-column layouts scrambled by extraction: the § headings (left column) come out in runs,
//! separated from their text (right column), which follows in reading order. Detected when many
//! headings have no text of their own; repaired by assigning the text chunks, in order, to the
//! headings, in order, so that each chunk lands under the heading its words match best. A decision
//! id ("Beslut 2025-3 §14:1") pins its chunk to that §. Labels of the left column ("Beslut") have
//! lost their place and are dropped; the report says the layout was rebuilt and should be read.

use super::lines::{Line, squash};
use super::paragraphs::Heading;
use regex::Regex;
use std::sync::LazyLock;

static PINNED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\bbeslut\s+\d{4}\s*-\s*\d+\s*§\s*0*(\d+)").expect("static regex")
});
static LONE_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:beslut|förslag till beslut|bilaga)\s*[.:]?$").expect("static regex")
});

const STOP: &[&str] = &[
    "och", "för", "till", "med", "att", "den", "det", "som", "från", "inom", "mot", "vid", "samt",
    "av", "på", "om", "en", "ett", "de", "är", "var", "har", "kring", "efter", "under", "över",
];

/// Whether the headings stand in runs without text of their own.
pub fn is_scrambled(lines: &[Line], headings: &[Heading]) -> bool {
    let empty = headings
        .iter()
        .enumerate()
        .filter(|(k, h)| {
            let end = headings.get(k + 1).map_or(lines.len(), |n| n.idx);
            lines[h.body_start.min(end)..end]
                .iter()
                .all(|l| l.is_blank() || LONE_LABEL.is_match(l.trimmed()))
        })
        .count();
    empty >= 3 && empty * 10 >= headings.len() * 3
}

fn words(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 3)
        .map(|w| w.to_lowercase())
        .filter(|w| !STOP.contains(&w.as_str()))
        .collect()
}

fn common_prefix(a: &str, b: &str) -> usize {
    a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count()
}

/// Word match that tolerates Swedish inflection and compounds: "öppnande"/"öppnat",
/// "mötesprotokoll"/"mötes", "deltagaruppföljning"/"uppföljning".
fn matches(a: &str, b: &str) -> bool {
    if a == b {
        return true;
    }
    let (la, lb) = (a.chars().count(), b.chars().count());
    let p = common_prefix(a, b);
    if p >= 5 && p + 3 >= la.min(lb) {
        return true;
    }
    let (long, short) = if la >= lb { (a, b) } else { (b, a) };
    short.chars().count() >= 6 && long.ends_with(short)
}

/// A run of text between blank lines, and where it came from.
#[derive(Debug, Clone)]
pub struct Chunk {
    pub lines: Vec<Line>,
}

impl Chunk {
    fn text(&self) -> String {
        squash(
            &self
                .lines
                .iter()
                .map(|l| l.text.as_str())
                .collect::<Vec<_>>()
                .join(" "),
        )
    }
}

/// What the repair did, for the report.
#[derive(Debug, Default)]
pub struct Repair {
    /// Label lines dropped (source line numbers).
    pub dropped_labels: Vec<usize>,
    /// Chunks dropped as repetitions of earlier text (a decision list at the end), by line.
    pub dropped_repeats: Vec<usize>,
    /// Chunks that matched no heading and were placed after the one before.
    pub unmatched: Vec<usize>,
}

/// Assigns the text after the first heading to the headings. Returns, per heading, its lines.
pub fn rebuild(lines: &[Line], headings: &[Heading]) -> (Vec<Vec<Line>>, Repair) {
    let mut repair = Repair::default();
    let Some(first) = headings.first() else {
        return (Vec::new(), repair);
    };
    let heading_lines: std::collections::HashSet<usize> =
        headings.iter().flat_map(|h| h.idx..h.body_start).collect();
    let mut chunks: Vec<Chunk> = Vec::new();
    let mut cur: Vec<Line> = Vec::new();
    let mut stop = false;
    for (i, l) in lines.iter().enumerate().skip(first.idx) {
        if stop {
            if !l.is_blank() {
                repair.dropped_repeats.push(l.no);
            }
            continue;
        }
        let t = l.trimmed();
        if heading_lines.contains(&i) || l.is_blank() {
            if !cur.is_empty() {
                chunks.push(Chunk {
                    lines: std::mem::take(&mut cur),
                });
            }
            continue;
        }
        if LONE_LABEL.is_match(t) {
            repair.dropped_labels.push(l.no);
            continue;
        }
        // A list of decisions closing the document repeats what the §§ say.
        if t.eq_ignore_ascii_case("beslutslista") {
            stop = true;
            repair.dropped_repeats.push(l.no);
            continue;
        }
        if !t.chars().any(char::is_alphanumeric) {
            repair.dropped_repeats.push(l.no);
            continue;
        }
        cur.push(l.clone());
    }
    if !cur.is_empty() {
        chunks.push(Chunk { lines: cur });
    }
    // Text that repeats an earlier chunk (the decisions once more, as a summary) is dropped.
    let mut kept: Vec<Chunk> = Vec::new();
    for c in chunks {
        let t = c.text();
        if t.chars().count() >= 20 && kept.iter().any(|k| k.text().contains(&t)) {
            repair.dropped_repeats.extend(c.lines.iter().map(|l| l.no));
        } else {
            kept.push(c);
        }
    }
    let chunks = kept;

    // Heading words weigh less the more headings share them ("ansökan" in three headings).
    let heading_words: Vec<Vec<String>> = headings.iter().map(|h| words(&h.title)).collect();
    let weight = |w: &str| {
        let n = heading_words
            .iter()
            .filter(|hw| hw.iter().any(|x| matches(x, w)))
            .count()
            .max(1);
        let base = if w.chars().all(|c| c.is_ascii_digit()) {
            0.5
        } else {
            1.0
        };
        base / n as f64
    };
    let score = |c: &Chunk, h: usize| -> f64 {
        let cw = words(&c.text());
        heading_words[h]
            .iter()
            .filter(|w| cw.iter().any(|x| matches(x, w)))
            .map(|w| weight(w))
            .sum()
    };
    let pin = |c: &Chunk| -> Option<usize> {
        let t = c.text();
        let n: u32 = PINNED.captures(&t)?[1].parse().ok()?;
        headings.iter().position(|h| h.number == n)
    };

    // Monotone assignment maximising the total score (dynamic programming over chunks × headings).
    let (m, n) = (chunks.len(), headings.len());
    let mut best = vec![vec![f64::NEG_INFINITY; n]; m];
    let mut from = vec![vec![0usize; n]; m];
    for i in 0..m {
        let pinned = pin(&chunks[i]);
        for h in 0..n {
            if pinned.is_some_and(|p| p != h) {
                continue;
            }
            let s = score(&chunks[i], h);
            if i == 0 {
                best[i][h] = s;
                continue;
            }
            // Ties go to the heading of the chunk before: text without evidence continues.
            let mut arg = h;
            let mut val = best[i - 1][h];
            for prev in (0..h).rev() {
                if best[i - 1][prev] > val + 1e-9 {
                    val = best[i - 1][prev];
                    arg = prev;
                }
            }
            best[i][h] = val + s;
            from[i][h] = arg;
        }
    }
    let mut assign = vec![0usize; m];
    if m > 0 {
        let mut h = (0..n)
            .rev()
            .fold(None::<usize>, |acc, h| match acc {
                Some(a) if best[m - 1][a] >= best[m - 1][h] => Some(a),
                _ => Some(h),
            })
            .unwrap_or(0);
        for i in (0..m).rev() {
            assign[i] = h;
            if i > 0 {
                h = from[i][h];
            }
        }
    }
    let mut bodies: Vec<Vec<Line>> = vec![Vec::new(); n];
    for (i, c) in chunks.iter().enumerate() {
        if score(c, assign[i]) == 0.0 && pin(c).is_none() {
            repair.unmatched.push(c.lines[0].no);
        }
        let body = &mut bodies[assign[i]];
        if !body.is_empty() {
            body.push(Line {
                no: c.lines[0].no,
                text: String::new(),
                page_start: false,
            });
        }
        body.extend(c.lines.iter().cloned());
    }
    (bodies, repair)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::lines::split;
    use crate::import::paragraphs::find_headings;

    #[test]
    fn word_matching() {
        assert!(matches("öppnande", "öppnat"));
        assert!(matches("mötets", "mötet"));
        assert!(matches("deltagaruppföljning", "uppföljning"));
        assert!(matches("kontroll", "kontrollplan"));
        assert!(!matches("ansökan", "budget"));
    }

    #[test]
    fn headings_and_text_are_put_back_together() {
        let text = "§1 Mötets öppnande\n\n§2 Val av justerare\n\n§3 Ansökan från Olofström\n\n§4 Övriga frågor\n\nOrdförande Anna Ek förklarade mötet öppnat.\n\nStyrelsen valde Eva Lund till justerare.\n\nOlofströms ansökan föredrogs.\nStyrelsen beslutade:\nBeslut 2025-3 §03:1\nAtt bevilja ansökan.\n\nInga övriga frågor.\n\nBeslut\n\nBESLUTSLISTA\nBeslut 2025-3 §03:1\n";
        let lines = split(text);
        let headings = find_headings(&lines);
        assert!(is_scrambled(&lines, &headings));
        let (bodies, repair) = rebuild(&lines, &headings);
        let firsts: Vec<String> = bodies.iter().map(|b| b[0].text.clone()).collect();
        assert_eq!(
            firsts,
            [
                "Ordförande Anna Ek förklarade mötet öppnat.",
                "Styrelsen valde Eva Lund till justerare.",
                "Olofströms ansökan föredrogs.",
                "Inga övriga frågor."
            ]
        );
        assert_eq!(repair.dropped_labels.len(), 1);
        assert_eq!(repair.dropped_repeats.len(), 2);
    }
}
