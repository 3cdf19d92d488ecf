//! The development corpus (`tests/fixtures/import/`): protocols written for these tests in the
//! layouts of real Swedish protocols, and their extraction manglings, each with a hand-written
//! truth file of its header fields and §§. The scoring test imports every text and checks the
//! figures docs/import.md gives.

use protokoll::import::header::{Header, PersonDraft};
use protokoll::import::report::FileReport;
use protokoll::import::{attendance, convert};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// A truth file: `fält: värde` lines and `§ N: Titel` lines.
#[derive(Debug, Default)]
pub struct Truth {
    pub fields: BTreeMap<String, String>,
    pub paragraphs: Vec<(u32, String)>,
}

pub fn read_truth(path: &Path) -> Truth {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut t = Truth::default();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let (key, value) = line
            .split_once(": ")
            .unwrap_or_else(|| panic!("{}: bad line {line:?}", path.display()));
        if let Some(n) = key.strip_prefix("§ ") {
            let n = n.parse().unwrap_or_else(|_| panic!("bad § in {line:?}"));
            t.paragraphs.push((n, value.trim().to_string()));
        } else {
            t.fields.insert(key.to_string(), value.trim().to_string());
        }
    }
    t
}

/// The header fields scored, and the report fields that flag each.
const FIELDS: &[(&str, &str)] = &[
    ("datum", "datum"),
    ("start", "tid"),
    ("slut", "tid"),
    ("plats", "plats"),
    ("organ", "organ"),
    ("beslutande", "narvaro.beslutande"),
    ("justering", "justering"),
    ("forvaringsplats", "forvaringsplats"),
];

fn value_of(h: &Header, field: &str) -> Option<String> {
    match field {
        "datum" => h.date.map(|d| d.to_string()),
        "start" => h.start.clone(),
        "slut" => h.end.clone(),
        "plats" => h.place.clone(),
        "organ" => h.organ.clone(),
        "beslutande" => {
            let names: Vec<&str> = h
                .voting
                .iter()
                .chain(&h.serving)
                .map(|p| p.name.as_str())
                .collect();
            (!names.is_empty()).then(|| names.join("; "))
        }
        "justering" => h.justering.as_ref().map(|j| j.date.to_string()),
        "forvaringsplats" => h.storage.clone(),
        _ => None,
    }
}

/// A person entry that is really a label or several people: what must never be written.
fn bad_person(p: &PersonDraft) -> bool {
    !attendance::name_like(&p.name) || p.name.contains([':', ',']) || p.role.contains('(')
}

#[derive(Debug, Default)]
pub struct Score {
    pub drafts: usize,
    pub right: usize,
    pub flagged: usize,
    /// The fields flagged instead of read right, for the printout.
    pub flagged_fields: Vec<String>,
    pub wrong_silent: Vec<String>,
    pub bad_people: Vec<String>,
    pub paragraphs_expected: usize,
    pub paragraphs_right: usize,
    pub paragraphs_found: usize,
    pub decisions: usize,
}

fn norm(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Imports one text and scores it against its truth.
pub fn score_file(txt: &Path, truth: &Truth) -> (Score, String) {
    let text = read_source(txt);
    score_text(txt, &text, truth)
}

/// A corpus file's text as the importer reads it: a web copy (`.html`, `.htm`, in UTF-8 or
/// Windows-1252) through the HTML reader, anything else as it is.
pub fn read_source(path: &Path) -> String {
    if is_html(path) {
        let x = protokoll::import::extract::Extractor::default()
            .extract(path)
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        return x.text;
    }
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn is_html(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("html") || e.eq_ignore_ascii_case("htm"))
}

/// Scores an already extracted text (the PDF path).
pub fn score_text(txt: &Path, text: &str, truth: &Truth) -> (Score, String) {
    let mut r = FileReport::new(txt.to_path_buf());
    let mut s = Score::default();
    let name = txt
        .file_name()
        .map_or(String::new(), |n| n.to_string_lossy().to_string());
    let c = match convert(text, Some("korpus"), &[], &mut r) {
        Ok(c) => c,
        Err(e) => {
            s.wrong_silent.push(format!("{name}: inget utkast: {e}"));
            return (s, format!("{name:44} INGET UTKAST: {e}"));
        }
    };
    s.drafts = 1;
    let h = c.header.unwrap_or_default();
    for (field, flag) in FIELDS {
        let want = truth.fields.get(*field).map(|v| norm(v));
        let got = value_of(&h, field).map(|v| norm(&v));
        if want.is_none() && got.is_none() {
            continue;
        }
        if want == got {
            s.right += 1;
        } else if r.flagged_with_line(flag) {
            s.flagged += 1;
            s.flagged_fields.push(field.to_string());
        } else {
            s.wrong_silent.push(format!(
                "{name}: {field}: väntat {want:?}, fick {got:?} utan flagga"
            ));
        }
    }
    for p in h
        .voting
        .iter()
        .chain(&h.serving)
        .chain(&h.substitutes)
        .chain(&h.others)
        .chain(&h.absent)
    {
        if bad_person(p) {
            s.bad_people
                .push(format!("{name}: {:?} ({})", p.name, p.role));
        }
    }
    s.paragraphs_expected = truth.paragraphs.len();
    s.paragraphs_found = r.paragraphs.len();
    s.decisions = r.paragraphs.iter().map(|p| p.2).sum();
    let mut missed = Vec::new();
    for (n, title) in &truth.paragraphs {
        if r.paragraphs
            .iter()
            .any(|(m, t, _, _)| m == n && norm(t) == norm(title))
        {
            s.paragraphs_right += 1;
        } else {
            let got = r.paragraphs.iter().find(|(m, _, _, _)| m == n);
            missed.push(format!(
                "§ {n} {:?}",
                got.map_or("saknas".to_string(), |g| g.1.clone())
            ));
        }
    }
    let fields = s.right + s.flagged + s.wrong_silent.len();
    let flagged = if s.flagged_fields.is_empty() {
        String::new()
    } else {
        format!(" ({})", s.flagged_fields.join(", "))
    };
    let line = format!(
        "{name:44} utkast {}  fält {}/{} rätt, {} flaggade{flagged}, {} fel utan flagga  §§ {}/{} rätt ({} hittade)  beslut {}",
        c.file_name,
        s.right,
        fields,
        s.flagged,
        s.wrong_silent.len(),
        s.paragraphs_right,
        s.paragraphs_expected,
        s.paragraphs_found,
        s.decisions
    );
    let line = if missed.is_empty() {
        line
    } else {
        format!("{line}  fel §: {}", missed.join("; "))
    };
    (s, line)
}

/// Every text of the corpus with its truth file, in name order.
pub fn corpus(dir: &Path) -> Vec<(PathBuf, PathBuf)> {
    let mut out = Vec::new();
    for sub in ["base", "variants", "html"] {
        let Ok(entries) = std::fs::read_dir(dir.join(sub)) else {
            continue;
        };
        let mut files: Vec<PathBuf> = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "txt") || is_html(p))
            .collect();
        files.sort();
        for f in files {
            let truth = f.with_extension("truth");
            out.push((f, truth));
        }
    }
    out
}

/// Scores every text of a corpus: the total, the share of header fields right, the share of §§
/// right, and the printed figures per file and in total with every wrong value listed.
pub fn score_all(files: &[(PathBuf, PathBuf)]) -> (Score, f64, f64, String) {
    let mut total = Score::default();
    let mut out = String::new();
    for (txt, truth) in files {
        let (s, line) = score_file(txt, &read_truth(truth));
        out.push_str(&line);
        out.push('\n');
        total.drafts += s.drafts;
        total.right += s.right;
        total.flagged += s.flagged;
        total.wrong_silent.extend(s.wrong_silent);
        total.bad_people.extend(s.bad_people);
        total.paragraphs_expected += s.paragraphs_expected;
        total.paragraphs_right += s.paragraphs_right;
        total.paragraphs_found += s.paragraphs_found;
        total.decisions += s.decisions;
    }
    let fields = total.right + total.flagged + total.wrong_silent.len();
    let right_share = total.right as f64 / fields.max(1) as f64;
    let para_share = total.paragraphs_right as f64 / total.paragraphs_expected.max(1) as f64;
    out.push_str(&format!(
        "TOTALT {} filer: {} utkast; huvudfält {}/{} rätt ({:.1} %), {} flaggade, {} fel utan flagga; \
         personer som är etiketter eller hopslagna rader: {}; §§ {}/{} rätt ({:.1} %), {} hittade; beslut {}\n",
        files.len(),
        total.drafts,
        total.right,
        fields,
        100.0 * right_share,
        total.flagged,
        total.wrong_silent.len(),
        total.bad_people.len(),
        total.paragraphs_right,
        total.paragraphs_expected,
        100.0 * para_share,
        total.paragraphs_found,
        total.decisions
    ));
    for w in total.wrong_silent.iter().chain(&total.bad_people) {
        out.push_str(&format!("  {w}\n"));
    }
    (total, right_share, para_share, out)
}
