//! Writing a draft in the content format (docs/content-format.md): YAML front matter with the
//! Swedish keys, then the Markdown body with `## § N Titel` and `::: kind` blocks. Fields that were
//! not found are left out, except `organ`, which the format requires: it is written empty with a
//! comment, so the reviewer cannot miss it.

use super::header::{Header, PersonDraft};
use super::lines::Line;
use super::md;
use super::paragraphs::{DraftParagraph, Kind};
use super::plan::PlanDraft;
use std::fmt::Write as _;

/// A YAML scalar: plain when that is unambiguous, otherwise double-quoted.
pub fn yaml_str(s: &str) -> String {
    let plain = !s.is_empty()
        && s == s.trim()
        && !s.starts_with([
            '-', '?', ':', ',', '[', ']', '{', '}', '#', '&', '*', '!', '|', '>', '\'', '"', '%',
            '@', '`', '~',
        ])
        && !s.contains(": ")
        && !s.contains(" #")
        && !s.ends_with(':')
        && !s.chars().any(|c| c.is_control())
        && s.parse::<f64>().is_err()
        && !matches!(
            s.to_lowercase().as_str(),
            "true" | "false" | "yes" | "no" | "on" | "off" | "null" | "y" | "n"
        )
        && !s.chars().next().is_some_and(|c| c.is_ascii_digit());
    if plain {
        s.to_string()
    } else {
        let escaped: String = s
            .chars()
            .flat_map(|c| match c {
                '"' => vec!['\\', '"'],
                '\\' => vec!['\\', '\\'],
                '\n' => vec!['\\', 'n'],
                '\t' => vec!['\\', 't'],
                c if c.is_control() => vec![' '],
                c => vec![c],
            })
            .collect();
        format!("\"{escaped}\"")
    }
}

fn people(out: &mut String, key: &str, list: &[PersonDraft]) {
    if list.is_empty() {
        return;
    }
    let _ = writeln!(out, "  {key}:");
    for p in list {
        let _ = writeln!(out, "    - namn: {}", yaml_str(&p.name));
        let _ = writeln!(out, "      roll: {}", yaml_str(&p.role));
        if let Some(a) = &p.assignment {
            let _ = writeln!(out, "      uppdrag: {}", yaml_str(a));
        }
        if let Some(o) = &p.organisation {
            let _ = writeln!(out, "      organisation: {}", yaml_str(o));
        }
        if let Some(x) = &p.party {
            let _ = writeln!(out, "      parti: {}", yaml_str(x));
        }
    }
}

fn block_markdown(kind: Kind, lines: &[Line]) -> String {
    let headings = matches!(kind, Kind::Text | Kind::Bilaga);
    md::format(lines, headings).join("\n\n")
}

/// The whole protocol file.
pub fn protocol(h: &Header, intro: &[Line], paragraphs: &[DraftParagraph]) -> String {
    let mut out = String::from("---\n");
    match &h.organ {
        Some(o) => {
            let _ = writeln!(out, "organ: {}", yaml_str(o));
        }
        None => out.push_str("organ: \"\" # SAKNAS i källan: fyll i (Styrelsen, Revisorerna, …)\n"),
    }
    if let Some(n) = h.number {
        let _ = writeln!(out, "nummer: {n}");
    }
    match h.date {
        Some(d) => {
            let _ = writeln!(out, "datum: {d}");
        }
        None => out.push_str("datum: # SAKNAS: fyll i ÅÅÅÅ-MM-DD och byt filnamn\n"),
    }
    if h.start.is_some() || h.end.is_some() {
        out.push_str("tid:\n");
        if let Some(s) = &h.start {
            let _ = writeln!(out, "  start: \"{s}\"");
        }
        if let Some(e) = &h.end {
            let _ = writeln!(out, "  slut: \"{e}\"");
        }
    }
    if let Some(p) = &h.place {
        let _ = writeln!(out, "plats: {}", yaml_str(p));
    }
    let any_people = !(h.voting.is_empty()
        && h.serving.is_empty()
        && h.substitutes.is_empty()
        && h.others.is_empty()
        && h.absent.is_empty());
    if any_people {
        out.push_str("narvaro:\n");
        people(&mut out, "beslutande", &h.voting);
        people(&mut out, "tjanstgorande_ersattare", &h.serving);
        people(&mut out, "ersattare", &h.substitutes);
        people(&mut out, "ovriga_narvarande", &h.others);
        people(&mut out, "anmalt_forhinder", &h.absent);
    }
    if let Some(j) = &h.justering {
        let _ = writeln!(out, "justering:\n  datum: {}", j.date);
        if let Some(m) = &j.method {
            let _ = writeln!(out, "  metod: {}", yaml_str(m));
        }
        if let Some(p) = &j.place {
            let _ = writeln!(out, "  plats: {}", yaml_str(p));
        }
    }
    if let Some(r) = &h.ranges {
        let _ = writeln!(out, "justerande_paragrafer: \"{r}\"");
    }
    if !h.signatories.is_empty() {
        out.push_str("underskrifter:\n");
        for (role, name) in &h.signatories {
            let _ = writeln!(
                out,
                "  - roll: {}\n    namn: {}",
                yaml_str(role),
                yaml_str(name)
            );
        }
    }
    if let Some(s) = &h.storage {
        let _ = writeln!(out, "forvaringsplats: {}", yaml_str(s));
    }
    if let Some(n) = &h.notice
        && let (Some(board), Some(posted)) = (&n.board, n.posted)
    {
        let _ = writeln!(
            out,
            "anslag:\n  - anslagstavla: {}\n    uppsatt: {posted}",
            yaml_str(board)
        );
        if let Some(d) = n.removed {
            let _ = writeln!(out, "    nedtaget: {d}");
        }
        if let Some(c) = &n.certified_by {
            let _ = writeln!(out, "    anslagsbevis: {}", yaml_str(c));
        }
    }
    if let Some(c) = &h.checksum {
        let _ = writeln!(out, "digital_signering:\n  kontrollsumma: \"{c}\"");
    }
    out.push_str("---\n");
    let intro_md = md::format(intro, true);
    if !intro_md.is_empty() {
        out.push('\n');
        out.push_str(&intro_md.join("\n\n"));
        out.push('\n');
    }
    for p in paragraphs {
        let _ = write!(out, "\n## § {} {}\n", p.heading.number, p.heading.title);
        if let Some(s) = &p.heading.subtitle {
            let _ = write!(out, "\n### {s}\n");
        }
        for part in &p.parts {
            let body = block_markdown(part.kind, &part.lines);
            match part.kind {
                Kind::Text => {
                    if !body.is_empty() {
                        let _ = write!(out, "\n{body}\n");
                    }
                }
                kind => {
                    let arg = part
                        .argument
                        .as_ref()
                        .map(|a| format!(" {}", a.replace('\n', " ")))
                        .unwrap_or_default();
                    let _ = write!(out, "\n::: {}{arg}\n", kind.word());
                    if !body.is_empty() {
                        let _ = writeln!(out, "{body}");
                    }
                    out.push_str(":::\n");
                }
            }
        }
    }
    out
}

/// The whole plan file.
pub fn plan(p: &PlanDraft) -> String {
    let mut out = String::from("---\n");
    let _ = writeln!(out, "titel: {}", yaml_str(&p.title));
    let _ = writeln!(out, "ar: {}", p.year);
    if let Some((date, organ, paragraph)) = &p.adopted {
        let _ = writeln!(out, "antagen:\n  datum: {date}");
        if let Some(o) = organ {
            let _ = writeln!(out, "  organ: {}", yaml_str(o));
        }
        if let Some(n) = paragraph {
            let _ = writeln!(out, "  paragraf: {n}");
        }
    }
    out.push_str("---\n");
    let intro = md::format(&p.intro, true);
    if !intro.is_empty() {
        let _ = write!(out, "\n{}\n", intro.join("\n\n"));
    }
    for (title, _, lines) in &p.sections {
        let _ = write!(out, "\n## {title}\n");
        let body = md::format(lines, true);
        if !body.is_empty() {
            let _ = write!(out, "\n{}\n", body.join("\n\n"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_scalars() {
        assert_eq!(
            yaml_str("Skolgatan 5, 26534 Åstorp"),
            "Skolgatan 5, 26534 Åstorp"
        );
        assert_eq!(yaml_str("13:00"), "\"13:00\"");
        assert_eq!(yaml_str("2025"), "\"2025\"");
        assert_eq!(yaml_str("Nej"), "Nej");
        assert_eq!(yaml_str("no"), "\"no\"");
        assert_eq!(yaml_str("a: b"), "\"a: b\"");
        assert_eq!(yaml_str("\"citat\""), "\"\\\"citat\\\"\"");
    }
}
