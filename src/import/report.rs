//! The review report: for each imported file, every field found (with its source line), every
//! field not found or uncertain, and every removal by the privacy guard and the clean-up. The
//! draft is only a draft until a person has read this report against the source.
//!
//! The report is a publication risk of its own (it is passed around by e-mail), so removed
//! personal data is only ever shown masked.

use std::fmt::Write as _;
use std::path::PathBuf;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    Found,
    /// Found, but derived or ambiguous: the reason tells what to check.
    Unsure(String),
    /// Not in the source; the field is left out of the draft.
    Missing(String),
    /// The source seems to give it (the candidate lines name it), but no rule could read it: the
    /// field is left out of the draft and a reviewer must look at those lines.
    NotRecognised(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub field: String,
    pub value: Option<String>,
    /// 1-based line of the extracted text.
    pub line: Option<usize>,
    pub status: Status,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Removal {
    pub what: String,
    pub lines: Vec<usize>,
    pub detail: String,
    /// Removed by the privacy guard (personal data), rather than page clean-up.
    pub privacy: bool,
}

/// What happened to one input file.
#[derive(Debug, Clone, Default)]
pub struct FileReport {
    pub source: PathBuf,
    pub draft: Option<PathBuf>,
    /// "protokoll" or "plan".
    pub kind: Option<String>,
    pub method: Option<String>,
    pub entries: Vec<Entry>,
    pub removals: Vec<Removal>,
    pub notes: Vec<String>,
    /// Paragraph overview: (§, title, decisions, source line).
    pub paragraphs: Vec<(u32, String, usize, usize)>,
    /// Why the file could not be imported.
    pub error: Option<String>,
}

impl FileReport {
    pub fn new(source: PathBuf) -> Self {
        FileReport {
            source,
            ..FileReport::default()
        }
    }

    pub fn found(&mut self, field: &str, value: impl Into<String>, line: Option<usize>) {
        self.entries.push(Entry {
            field: field.into(),
            value: Some(value.into()),
            line,
            status: Status::Found,
        });
    }

    pub fn unsure(
        &mut self,
        field: &str,
        value: impl Into<String>,
        line: Option<usize>,
        why: impl Into<String>,
    ) {
        self.entries.push(Entry {
            field: field.into(),
            value: Some(value.into()),
            line,
            status: Status::Unsure(why.into()),
        });
    }

    pub fn missing(&mut self, field: &str, why: impl Into<String>) {
        self.entries.push(Entry {
            field: field.into(),
            value: None,
            line: None,
            status: Status::Missing(why.into()),
        });
    }

    /// A field that the source seems to give on `lines` but that no rule could read.
    pub fn not_recognised(&mut self, field: &str, lines: &[usize], why: impl Into<String>) {
        let shown: Vec<String> = lines.iter().take(5).map(usize::to_string).collect();
        self.entries.push(Entry {
            field: field.into(),
            value: None,
            line: lines.first().copied(),
            status: Status::NotRecognised(format!(
                "{} (kandidatrader: {})",
                why.into(),
                shown.join(", ")
            )),
        });
    }

    /// Whether the report says anything about `field` other than that it was found: a reviewer
    /// is sent to look at it.
    pub fn flagged(&self, field: &str) -> bool {
        self.entries.iter().any(|e| {
            (e.field == field || e.field.starts_with(&format!("{field}.")))
                && !matches!(e.status, Status::Found)
        })
    }

    /// Whether a reviewer is pointed at a line for `field`: an unsure value or a field not
    /// recognised, with its source line ("not in the source" points nowhere).
    pub fn flagged_with_line(&self, field: &str) -> bool {
        self.entries.iter().any(|e| {
            (e.field == field || e.field.starts_with(&format!("{field}.")))
                && matches!(e.status, Status::Unsure(_) | Status::NotRecognised(_))
                && e.line.is_some()
        })
    }

    pub fn removed(
        &mut self,
        what: &str,
        lines: Vec<usize>,
        detail: impl Into<String>,
        privacy: bool,
    ) {
        self.removals.push(Removal {
            what: what.into(),
            lines,
            detail: detail.into(),
            privacy,
        });
    }

    pub fn note(&mut self, note: impl Into<String>) {
        self.notes.push(note.into());
    }

    pub fn count(&self, pick: fn(&Status) -> bool) -> usize {
        self.entries.iter().filter(|e| pick(&e.status)).count()
    }
}

fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

fn line_ref(line: Option<usize>) -> String {
    line.map_or("–".to_string(), |l| format!("rad {l}"))
}

fn ranges(lines: &[usize]) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let start = lines[i];
        let mut end = start;
        while i + 1 < lines.len() && lines[i + 1] == end + 1 {
            i += 1;
            end = lines[i];
        }
        parts.push(if start == end {
            start.to_string()
        } else {
            format!("{start}–{end}")
        });
        i += 1;
    }
    if parts.len() > 12 {
        let n = parts.len();
        parts.truncate(12);
        parts.push(format!("… ({n} ställen)"));
    }
    parts.join(", ")
}

/// Renders the reports of one import run as Markdown.
pub fn render(reports: &[FileReport]) -> String {
    let mut out = String::from("# Importrapport\n\n");
    let ok = reports.iter().filter(|r| r.error.is_none()).count();
    let _ = writeln!(
        out,
        "{} lästes: {} utkast skrevs, {} kunde inte importeras.\n",
        crate::sv::antal(reports.len(), "fil", "filer"),
        ok,
        reports.len() - ok
    );
    let all = |pick: fn(&Status) -> bool| reports.iter().map(|r| r.count(pick)).sum::<usize>();
    let _ = writeln!(
        out,
        "Sammanfattning: {} uppgifter lästa enligt regel, {} osäkra, {} inte igenkända (källan \
         verkar ha dem), {} finns inte i källan.\n",
        all(|s| matches!(s, Status::Found)),
        all(|s| matches!(s, Status::Unsure(_))),
        all(|s| matches!(s, Status::NotRecognised(_))),
        all(|s| matches!(s, Status::Missing(_))),
    );
    out.push_str(
        "Ett utkast är inte färdigt innehåll. Gå igenom varje fil nedan mot källan: rätta det som \
         står under *Osäkert*, fyll i det som *saknas* om källan har det, och kör sedan \
         `protokoll check` och `protokoll build`.\n\n",
    );
    for r in reports {
        let _ = writeln!(out, "## {}\n", r.source.display());
        if let Some(e) = &r.error {
            let _ = writeln!(out, "**Kunde inte importeras:** {e}\n");
            continue;
        }
        if let Some(d) = &r.draft {
            let _ = writeln!(
                out,
                "Utkast ({}): `{}`{}\n",
                r.kind.as_deref().unwrap_or("?"),
                d.display(),
                r.method
                    .as_ref()
                    .map(|m| format!(", textkälla: {m}"))
                    .unwrap_or_default()
            );
        }
        let unsure: Vec<&Entry> = r
            .entries
            .iter()
            .filter(|e| matches!(e.status, Status::Unsure(_)))
            .collect();
        let missing: Vec<&Entry> = r
            .entries
            .iter()
            .filter(|e| matches!(e.status, Status::Missing(_)))
            .collect();
        let unrecognised: Vec<&Entry> = r
            .entries
            .iter()
            .filter(|e| matches!(e.status, Status::NotRecognised(_)))
            .collect();
        let _ = writeln!(
            out,
            "{} uppgifter hittade, {} osäkra, {} inte igenkända, {} saknas, {} borttagningar.\n",
            r.entries.len() - missing.len() - unrecognised.len(),
            unsure.len(),
            unrecognised.len(),
            missing.len(),
            r.removals.len()
        );
        if !unrecognised.is_empty() {
            out.push_str("### Inte igenkänt – källan verkar ha det, läs raderna\n\n");
            for e in unrecognised {
                if let Status::NotRecognised(why) = &e.status {
                    let _ = writeln!(out, "- `{}`: {}", e.field, why);
                }
            }
            out.push('\n');
        }
        if !unsure.is_empty() {
            out.push_str("### Osäkert – granska\n\n");
            for e in unsure {
                if let Status::Unsure(why) = &e.status {
                    let _ = writeln!(
                        out,
                        "- `{}` = {} ({}): {}",
                        e.field,
                        e.value.as_deref().unwrap_or(""),
                        line_ref(e.line),
                        why
                    );
                }
            }
            out.push('\n');
        }
        if !missing.is_empty() {
            out.push_str("### Saknas i källan – lämnat tomt i utkastet\n\n");
            for e in missing {
                if let Status::Missing(why) = &e.status {
                    let _ = writeln!(out, "- `{}`: {}", e.field, why);
                }
            }
            out.push('\n');
        }
        let privacy: Vec<&Removal> = r.removals.iter().filter(|x| x.privacy).collect();
        let cleanup: Vec<&Removal> = r.removals.iter().filter(|x| !x.privacy).collect();
        out.push_str("### Borttaget av integritetsskyddet\n\n");
        if privacy.is_empty() {
            out.push_str("Inga personuppgifter att ta bort hittades.\n\n");
        } else {
            for x in privacy {
                let _ = writeln!(out, "- {} (rad {}): {}", x.what, ranges(&x.lines), x.detail);
            }
            out.push('\n');
        }
        if !cleanup.is_empty() {
            out.push_str("### Borttaget vid uppstädning\n\n");
            for x in cleanup {
                let _ = writeln!(out, "- {} (rad {}): {}", x.what, ranges(&x.lines), x.detail);
            }
            out.push('\n');
        }
        out.push_str("### Hittade uppgifter\n\n| fält | värde | källa |\n|---|---|---|\n");
        for e in r
            .entries
            .iter()
            .filter(|e| !matches!(e.status, Status::Missing(_) | Status::NotRecognised(_)))
        {
            let _ = writeln!(
                out,
                "| `{}` | {} | {} |",
                e.field,
                cell(e.value.as_deref().unwrap_or("")),
                line_ref(e.line)
            );
        }
        out.push('\n');
        if !r.paragraphs.is_empty() {
            out.push_str(
                "### Paragrafer och avsnitt\n\n| § | titel | beslut | källa |\n|---|---|---|---|\n",
            );
            for (n, title, decisions, line) in &r.paragraphs {
                let number = if *n == 0 {
                    String::new()
                } else {
                    n.to_string()
                };
                let _ = writeln!(
                    out,
                    "| {number} | {} | {decisions} | rad {line} |",
                    cell(title)
                );
            }
            out.push('\n');
        }
        if !r.notes.is_empty() {
            out.push_str("### Att veta\n\n");
            for n in &r.notes {
                let _ = writeln!(out, "- {n}");
            }
            out.push('\n');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_report_lists_each_kind_of_entry() {
        let mut r = FileReport::new(PathBuf::from("in/a.txt"));
        r.draft = Some(PathBuf::from("content/x/protokoll/2025-03-11.md"));
        r.kind = Some("protokoll".into());
        r.found("datum", "2025-03-11", Some(1));
        r.unsure("organ", "Styrelsen", Some(80), "härlett ur besluten");
        r.missing("forvaringsplats", "ingen rad Förvaringsplats i källan");
        r.removed("personnummer", vec![10, 11, 12, 40], "1980…-****", true);
        let md = render(&[r]);
        assert!(
            md.contains("`organ` = Styrelsen (rad 80): härlett ur besluten"),
            "{md}"
        );
        assert!(md.contains("`forvaringsplats`: ingen rad"), "{md}");
        assert!(
            md.contains("personnummer (rad 10–12, 40): 1980…-****"),
            "{md}"
        );
        assert!(md.contains("| `datum` | 2025-03-11 | rad 1 |"), "{md}");
    }
}
