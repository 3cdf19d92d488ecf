//! Plans (verksamhetsplan och budget): the title and year, the adopting meeting when the text
//! names it, and the numbered sections ("1. Inledning", … "12. Ekonomi") that become `## `
//! sections. A numbered list inside a section ("1. Besluta om mål …") is told apart from the next
//! section by its numbering: a list starts at 1 and counts on; a section number is the one after
//! the last section.

use super::dates;
use super::lines::{Line, squash};
use super::report::FileReport;
use chrono::NaiveDate;
use regex::Regex;
use std::sync::LazyLock;

static TITLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(verksamhetsplan|budget|handlingsplan|verksamhets- och budgetplan)\b")
        .expect("static regex")
});
static YEAR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b(19[89]\d|20\d\d)\b").expect("static regex"));
static SECTION: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(\d{1,2})\.\s+(\p{Lu}.*)$").expect("static regex"));
static ADOPTED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:antagen|antogs|fastställd|fastställdes)\s+(?:av\s+(styrelsen|förbundsstyrelsen|direktionen)\s+)?(?:den\s+)?(.{6,20})").expect("static regex")
});
static ADOPTED_PARAGRAPH: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"§\s*(\d{1,4})").expect("static regex"));

#[derive(Debug, Clone)]
pub struct PlanDraft {
    pub title: String,
    pub year: i32,
    pub adopted: Option<(NaiveDate, Option<String>, Option<u32>)>,
    pub intro: Vec<Line>,
    /// Section title, its source line, its lines.
    pub sections: Vec<(String, usize, Vec<Line>)>,
}

/// Whether the opening lines name a plan rather than a protocol.
pub fn looks_like_plan(lines: &[Line]) -> bool {
    let head: Vec<String> = lines
        .iter()
        .filter(|l| !l.is_blank())
        .take(6)
        .map(|l| l.text.to_lowercase())
        .collect();
    !head.iter().any(|l| l.contains("protokoll"))
        && head.iter().any(|l| TITLE.is_match(l) && YEAR.is_match(l))
}

/// Reads a plan. Returns `None` when no title with a year is found.
pub fn parse(lines: &[Line], latest_year: i32, r: &mut FileReport) -> Option<PlanDraft> {
    let non_blank: Vec<usize> = (0..lines.len()).filter(|&i| !lines[i].is_blank()).collect();
    let title_at = non_blank
        .iter()
        .take(6)
        .copied()
        .find(|&i| TITLE.is_match(&lines[i].text) && YEAR.is_match(&lines[i].text))?;
    let title = squash(&lines[title_at].text)
        .trim_end_matches('.')
        .to_string();
    let year: i32 = YEAR.captures(&title)?[1].parse().ok()?;
    r.found("titel", &title, Some(lines[title_at].no));
    if YEAR.find_iter(&title).count() > 1 {
        r.unsure(
            "ar",
            year.to_string(),
            Some(lines[title_at].no),
            "rubriken nämner flera år; det första togs",
        );
    } else {
        r.found("ar", year.to_string(), Some(lines[title_at].no));
    }
    for &i in non_blank.iter().take_while(|&&i| i < title_at) {
        r.note(format!(
            "rad {}: \"{}\" står före rubriken (förbundets namn?) och är inte med i utkastet",
            lines[i].no,
            squash(&lines[i].text)
        ));
    }

    let mut adopted = None;
    let all = lines.iter().map(|l| squash(&l.text)).collect::<Vec<_>>();
    for (i, t) in all.iter().enumerate() {
        if let Some(c) = ADOPTED.captures(t)
            && let Some(d) = dates::first(t, latest_year)
            && d.start >= c.get(0).map_or(0, |m| m.start())
        {
            let organ = c.get(1).map(|m| {
                let s = m.as_str().to_lowercase();
                let mut cs = s.chars();
                cs.next().map_or(String::new(), |f| {
                    f.to_uppercase().collect::<String>() + cs.as_str()
                })
            });
            let paragraph = ADOPTED_PARAGRAPH
                .captures(t)
                .and_then(|p| p[1].parse().ok());
            r.unsure(
                "antagen.datum",
                d.date.to_string(),
                Some(lines[i].no),
                format!("ur texten \"{t}\""),
            );
            adopted = Some((d.date, organ, paragraph));
            break;
        }
    }
    if adopted.is_none() {
        r.missing(
            "antagen",
            "texten säger inte när eller av vem planen antogs",
        );
    }

    let mut intro = Vec::new();
    let mut sections: Vec<(String, usize, Vec<Line>)> = Vec::new();
    let mut section_no = 0u32;
    let mut list_no: Option<u32> = None;
    for l in &lines[title_at + 1..] {
        let t = squash(&l.text);
        if let Some(c) = SECTION.captures(&t) {
            let n: u32 = c[1].parse().unwrap_or(0);
            let rest = c[2].trim();
            let list_goes_on = list_no.is_some_and(|k| n == k + 1);
            let title_shaped =
                rest.split_whitespace().count() <= 12 && !rest.ends_with(['.', ':', ';', ',']);
            if n == section_no + 1 && !list_goes_on && title_shaped {
                section_no = n;
                list_no = None;
                sections.push((format!("{n}. {rest}"), l.no, Vec::new()));
                continue;
            }
            list_no = Some(n);
        }
        match sections.last_mut() {
            Some(s) => s.2.push(l.clone()),
            None => intro.push(l.clone()),
        }
    }
    if sections.is_empty() {
        r.missing("avsnitt", "inga numrerade avsnitt (\"1. Inledning\") hittades; hela texten står före första avsnittet");
    }
    for (title, line, _) in &sections {
        r.paragraphs.push((0, title.clone(), 0, *line));
    }
    Some(PlanDraft {
        title,
        year,
        adopted,
        intro,
        sections,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::lines::split;

    #[test]
    fn sections_and_lists_are_told_apart() {
        let text = "Sydöstra Skånes Samordningsförbund\n\nVerksamhetsplan och budget 2020\n\n1. Inledning\n\nText.\n\n2. Uppdrag\n\nUppgifter:\n1. Besluta om mål\n2. Stödja samverkan\n3. Finansiera insatser som avser individer\n4. Svara för uppföljning\n\n3. Verksamhetsidé och övergripande mål\n\nMer text.\n10. Tio\n";
        let lines = split(text);
        assert!(looks_like_plan(&lines));
        let mut r = FileReport::default();
        let p = parse(&lines, 2025, &mut r).unwrap();
        assert_eq!(
            (p.title.as_str(), p.year),
            ("Verksamhetsplan och budget 2020", 2020)
        );
        let titles: Vec<&str> = p.sections.iter().map(|s| s.0.as_str()).collect();
        assert_eq!(
            titles,
            [
                "1. Inledning",
                "2. Uppdrag",
                "3. Verksamhetsidé och övergripande mål"
            ]
        );
        assert!(p.adopted.is_none());
    }
}
