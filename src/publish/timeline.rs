//! The förbund page's timeline: meetings (protocols) and decisions per year as a small SVG bar
//! chart, drawn at build time. It is an image file with a text alternative on the page and a
//! visible table beside it, so it needs no script and carries no markup into the page.

use super::xml_escape;
use crate::model::Forbund;
use serde::Serialize;

/// One year of the timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct YearRow {
    pub year: i32,
    pub meetings: usize,
    pub decisions: usize,
}

/// Every year from the förbund's first protocol to its last, gaps included (a year without a
/// protocol is a fact worth seeing).
pub fn rows(f: &Forbund) -> Vec<YearRow> {
    let years: Vec<i32> = f.protocols.iter().map(|p| p.year()).collect();
    let (Some(&first), Some(&last)) = (years.iter().min(), years.iter().max()) else {
        return Vec::new();
    };
    (first..=last)
        .map(|year| {
            let of_year = f.protocols.iter().filter(|p| p.year() == year);
            YearRow {
                year,
                meetings: of_year.clone().count(),
                decisions: of_year.map(|p| p.decision_count()).sum(),
            }
        })
        .collect()
}

/// The text alternative: every year in words.
pub fn summary(rows: &[YearRow]) -> String {
    if rows.is_empty() {
        return "Inga protokoll ännu.".into();
    }
    let years: Vec<String> = rows
        .iter()
        .map(|r| {
            format!(
                "{}: {} {}, {} beslut",
                r.year,
                r.meetings,
                if r.meetings == 1 { "möte" } else { "möten" },
                r.decisions
            )
        })
        .collect();
    format!("Möten och beslut per år. {}.", years.join("; "))
}

const COLUMN: i64 = 56;
const HEIGHT: i64 = 160;
const TOP: i64 = 28;
const BASE: i64 = TOP + HEIGHT;

/// The meetings' scale never goes below a year of monthly meetings: a board meets about six
/// times a year, and a year with one protocol must not look as full as one with twelve.
pub const MEETINGS_SCALE: usize = 12;

/// The chart: for each year a bar of decisions and a narrower bar of meetings, each on a scale
/// that fits its series (decisions to their maximum, meetings to at least [`MEETINGS_SCALE`]),
/// with the numbers written above the bars.
pub fn svg(rows: &[YearRow]) -> String {
    let width = (rows.len().max(1) as i64) * COLUMN + 24;
    let height = BASE + 44;
    let max_d = rows.iter().map(|r| r.decisions).max().unwrap_or(0).max(1) as i64;
    let max_m = rows
        .iter()
        .map(|r| r.meetings)
        .max()
        .unwrap_or(0)
        .max(MEETINGS_SCALE) as i64;
    let text = summary(rows);
    let mut s = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" role=\"img\" aria-labelledby=\"titel beskrivning\" font-family=\"system-ui, sans-serif\" font-size=\"12\">\n<title id=\"titel\">Tidslinje</title>\n<desc id=\"beskrivning\">{}</desc>\n",
        xml_escape(&text)
    );
    s.push_str(&format!(
        "<line x1=\"12\" y1=\"{BASE}\" x2=\"{}\" y2=\"{BASE}\" stroke=\"#4a4a4a\"/>\n",
        width - 12
    ));
    for (i, r) in rows.iter().enumerate() {
        let x = 12 + i as i64 * COLUMN;
        let hd = (r.decisions as i64 * HEIGHT) / max_d;
        let hm = (r.meetings as i64 * HEIGHT) / max_m;
        s.push_str(&format!(
            "<g><rect x=\"{}\" y=\"{}\" width=\"22\" height=\"{hd}\" fill=\"#1d5e2a\"/><text x=\"{}\" y=\"{}\" text-anchor=\"middle\" fill=\"#1b1b1b\">{}</text>",
            x + 8,
            BASE - hd,
            x + 19,
            BASE - hd - 4,
            r.decisions
        ));
        s.push_str(&format!(
            "<rect x=\"{}\" y=\"{}\" width=\"12\" height=\"{hm}\" fill=\"#0b4f8a\"/><text x=\"{}\" y=\"{}\" text-anchor=\"middle\" fill=\"#1b1b1b\">{}</text>",
            x + 32,
            BASE - hm,
            x + 38,
            BASE - hm - 4,
            r.meetings
        ));
        s.push_str(&format!(
            "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" fill=\"#1b1b1b\">{}</text></g>\n",
            x + COLUMN / 2,
            BASE + 16,
            r.year
        ));
    }
    s.push_str(&format!(
        "<rect x=\"12\" y=\"{}\" width=\"10\" height=\"10\" fill=\"#1d5e2a\"/><text x=\"26\" y=\"{}\" fill=\"#1b1b1b\">beslut</text><rect x=\"80\" y=\"{}\" width=\"10\" height=\"10\" fill=\"#0b4f8a\"/><text x=\"94\" y=\"{}\" fill=\"#1b1b1b\">möten</text>\n",
        BASE + 26,
        BASE + 35,
        BASE + 26,
        BASE + 35
    ));
    s.push_str("</svg>\n");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The heights of the decision and meeting bars of the first year.
    fn bars(svg: &str) -> (i64, i64) {
        let heights: Vec<i64> = svg
            .split("<rect ")
            .skip(1)
            .take(2)
            .map(|r| {
                let h = r.split("height=\"").nth(1).unwrap();
                h[..h.find('"').unwrap()].parse().unwrap()
            })
            .collect();
        (heights[0], heights[1])
    }

    #[test]
    fn one_meeting_is_not_drawn_as_tall_as_twelve_decisions() {
        let one = [YearRow {
            year: 2020,
            meetings: 1,
            decisions: 12,
        }];
        let (decisions, meetings) = bars(&svg(&one));
        assert_eq!(decisions, HEIGHT);
        assert_eq!(meetings, HEIGHT / 12);
        // A busy year still fills the chart.
        let busy = [YearRow {
            year: 2020,
            meetings: 14,
            decisions: 80,
        }];
        assert_eq!(bars(&svg(&busy)), (HEIGHT, HEIGHT));
    }

    #[test]
    fn summary_names_every_year() {
        let rows = vec![
            YearRow {
                year: 2020,
                meetings: 1,
                decisions: 9,
            },
            YearRow {
                year: 2021,
                meetings: 0,
                decisions: 0,
            },
            YearRow {
                year: 2022,
                meetings: 2,
                decisions: 3,
            },
        ];
        assert_eq!(
            summary(&rows),
            "Möten och beslut per år. 2020: 1 möte, 9 beslut; 2021: 0 möten, 0 beslut; 2022: 2 möten, 3 beslut."
        );
        let svg = svg(&rows);
        assert!(svg.contains("<desc id=\"beskrivning\">Möten och beslut per år. 2020"));
        assert_eq!(svg.matches("<g>").count(), 3);
    }
}
