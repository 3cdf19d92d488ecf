//! The protocol header: the title line (organ, number, date), the labelled fields ("Plats och
//! tid", "Beslutande", "Övriga närvarande", "Anmält förhinder", "Justering", "Justerande
//! paragrafer", "Underskrifter") and the ANSLAG/BEVIS block. Each value found is recorded in the
//! report with its source line; what is not found stays empty. Labels are matched at the start of
//! a line, because that is where a two-column header puts them after extraction.

use super::attendance;
use super::dates;
use super::lines::{Line, squash};
use super::report::{FileReport, Status};
use chrono::NaiveDate;
use regex::Regex;
use std::sync::LazyLock;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PersonDraft {
    pub name: String,
    pub role: String,
    pub assignment: Option<String>,
    pub organisation: Option<String>,
    pub party: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct JusteringDraft {
    pub date: NaiveDate,
    pub method: Option<String>,
    pub place: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NoticeDraft {
    pub board: Option<String>,
    pub posted: Option<NaiveDate>,
    pub removed: Option<NaiveDate>,
    pub certified_by: Option<String>,
}

/// Everything of the front matter that the text gives.
#[derive(Debug, Clone, Default)]
pub struct Header {
    pub organ: Option<String>,
    pub number: Option<u32>,
    pub date: Option<NaiveDate>,
    pub start: Option<String>,
    pub end: Option<String>,
    pub place: Option<String>,
    pub voting: Vec<PersonDraft>,
    pub serving: Vec<PersonDraft>,
    pub substitutes: Vec<PersonDraft>,
    pub others: Vec<PersonDraft>,
    pub absent: Vec<PersonDraft>,
    pub justering: Option<JusteringDraft>,
    pub ranges: Option<String>,
    pub signatories: Vec<(String, String)>,
    pub storage: Option<String>,
    pub notice: Option<NoticeDraft>,
    pub checksum: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Label {
    PlaceTime,
    Voting,
    Serving,
    Substitutes,
    Others,
    Absent,
    Justering,
    Ranges,
    Signatures,
    Anslag,
    Organ,
    MeetingDate,
    Posted,
    Removed,
    Storage,
    Certifier,
    Place,
    Time,
    /// "Utses att justera", "Justerare": names, read by the signature rules, not attendance.
    Adjusters,
}

/// Labels, longest first so that "Justerande paragrafer" wins over "Justering".
const LABELS: &[(&str, Label)] = &[
    ("närvarande, ej tjänstgörande ersättare", Label::Substitutes),
    ("närvarande ej tjänstgörande ersättare", Label::Substitutes),
    ("beslutande och tjänstgörande ersättare", Label::Voting),
    ("datum när anslaget sätts upp", Label::Posted),
    ("datum när anslaget tas ned", Label::Removed),
    ("datum när anslaget tas ner", Label::Removed),
    ("datum då anslaget sätts upp", Label::Posted),
    ("datum då anslaget tas ned", Label::Removed),
    ("datum då anslaget tas ner", Label::Removed),
    ("datum för anslags uppsättande", Label::Posted),
    ("datum för anslags nedtagande", Label::Removed),
    ("förvaringsplats för protokollet", Label::Storage),
    ("förvaringsplats för protokoll", Label::Storage),
    ("plats och tid för sammanträdet", Label::PlaceTime),
    ("tid och plats för sammanträdet", Label::PlaceTime),
    ("plats och tid för justering", Label::Justering),
    ("tid och plats för justering", Label::Justering),
    ("anslaget sätts upp", Label::Posted),
    ("anslaget uppsatt", Label::Posted),
    ("anslaget tas ned", Label::Removed),
    ("anslaget tas ner", Label::Removed),
    ("anslaget nedtas", Label::Removed),
    ("protokollet förvaras", Label::Storage),
    ("protokollet finns hos", Label::Storage),
    ("sammanträdets datum", Label::MeetingDate),
    ("beslutande ledamöter", Label::Voting),
    ("närvarande ledamöter", Label::Voting),
    ("justerade paragrafer", Label::Ranges),
    ("utses att justera", Label::Adjusters),
    ("justeringens plats och tid", Label::Justering),
    ("justeringens tid och plats", Label::Justering),
    ("ej tjänstgörande ersättare", Label::Substitutes),
    ("ej beslutande", Label::Substitutes),
    ("tjänstgörande ersättare", Label::Serving),
    ("närvarande ersättare", Label::Substitutes),
    ("justerande paragrafer", Label::Ranges),
    ("övriga närvarande", Label::Others),
    ("övriga deltagande", Label::Others),
    ("övriga deltagare", Label::Others),
    ("sammanträdesdatum", Label::MeetingDate),
    ("anmält förhinder", Label::Absent),
    ("anmält hinder", Label::Absent),
    ("förvaringsplats", Label::Storage),
    ("plats och tid", Label::PlaceTime),
    ("tid och plats", Label::PlaceTime),
    ("datum och tid", Label::PlaceTime),
    ("dag och tid", Label::PlaceTime),
    ("justeringsdatum", Label::Justering),
    ("justeringsdag", Label::Justering),
    ("justeringens plats", Label::Justering),
    ("styrelse/nämnd", Label::Organ),
    ("mötesdatum", Label::MeetingDate),
    ("tjänstemän", Label::Others),
    ("närvarande tjänstepersoner", Label::Others),
    ("tjänstepersoner", Label::Others),
    ("adjungerade", Label::Others),
    ("närvarande", Label::Voting),
    ("närvaro", Label::Voting),
    ("ledamöter", Label::Voting),
    ("underskrifter", Label::Signatures),
    ("anslagsbevis", Label::Anslag),
    ("anslag/bevis", Label::Anslag),
    ("underskrift", Label::Certifier),
    ("frånvarande", Label::Absent),
    ("beslutande", Label::Voting),
    ("paragrafer", Label::Ranges),
    ("ersättare", Label::Substitutes),
    ("justering", Label::Justering),
    ("justerare", Label::Adjusters),
    ("organ", Label::Organ),
    ("nämnd", Label::Organ),
    ("övriga", Label::Others),
    ("datum", Label::MeetingDate),
    ("plats", Label::Place),
    ("tid", Label::Time),
];

/// Roles under "Underskrifter", as they are written on the signature lines.
const SIGNER_ROLES: &[&str] = &[
    "mötesordförande",
    "vice ordförande",
    "ordförande",
    "sekreterare",
    "justerare",
    "justerande",
    "protokollförare",
];

fn label_of(line: &str) -> Option<(Label, String)> {
    let t = line.trim();
    let lower = t.to_lowercase();
    // "ANSLAG" alone on its line heads the anslag block ("Anslag till …" is a title, not this).
    if matches!(
        lower.trim_end_matches(':').trim(),
        "anslag" | "anslag / bevis" | "bevis"
    ) {
        return Some((Label::Anslag, String::new()));
    }
    for (name, label) in LABELS {
        if let Some(rest) = lower.strip_prefix(name) {
            // A whole word: "Organisation" is not "Organ", "Justeringen" not "Justering".
            if rest.starts_with(|c: char| c.is_alphanumeric()) {
                continue;
            }
            let value = t[t.len() - rest.len()..]
                .trim_start_matches([':', ' ', '\t'])
                .trim()
                .to_string();
            // A body sentence such as "Justering ska ske 2020-11-27" is not a header label.
            if *label == Label::Justering
                && (value.starts_with("ska ") || value.starts_with("sker "))
            {
                return None;
            }
            return Some((*label, value));
        }
    }
    None
}

fn signer_role(line: &str) -> Option<(String, String)> {
    let t = line.trim();
    let lower = t.to_lowercase();
    SIGNER_ROLES.iter().find_map(|r| {
        let rest = lower.strip_prefix(r)?;
        if rest.starts_with(|c: char| c.is_alphanumeric()) {
            return None;
        }
        let rest = t[t.len() - rest.len()..].trim_matches([':', ' ', '\t']);
        Some((r.to_string(), rest.to_string()))
    })
}

/// Lower-cases a role ("Kommunstyrelsens Ordförande" → "kommunstyrelsens ordförande"); roles are
/// common nouns, only names and organisations keep their capitals.
fn role_case(s: &str) -> String {
    squash(s).to_lowercase()
}

/// A labelled field and the lines of its value.
struct Field<'a> {
    label: Label,
    first: String,
    line: usize,
    more: Vec<&'a Line>,
}

impl Field<'_> {
    fn text(&self) -> String {
        let mut parts = vec![self.first.clone()];
        parts.extend(self.more.iter().map(|l| squash(&l.text)));
        squash(&parts.join(" "))
    }

    /// The value lines, the label's own line first when it holds a value.
    fn value_lines(&self) -> Vec<(String, usize)> {
        let mut v = Vec::new();
        if !self.first.is_empty() {
            v.push((self.first.clone(), self.line));
        }
        v.extend(self.more.iter().map(|l| (squash(&l.text), l.no)));
        v
    }
}

impl Field<'_> {
    /// The förvaringsplats: the last label of a block, so what follows it up to the next label is
    /// often the next page (a table of contents, the first §). The value is the label's line and
    /// at most one more line right below it (a wrapped address), never past a blank line.
    fn storage_text(&self) -> String {
        let mut parts: Vec<String> = Vec::new();
        let mut last = self.line;
        if !self.first.is_empty() {
            parts.push(self.first.clone());
        }
        for l in &self.more {
            let next_page = l.text.to_lowercase().contains("innehållsförteckning")
                || l.text.to_lowercase().contains("ärendelista");
            if !parts.is_empty() && (l.no != last + 1 || parts.len() >= 2 || next_page) {
                break;
            }
            parts.push(squash(&l.text));
            last = l.no;
        }
        let text = squash(&parts.join(" "));
        match NEXT_PAGE.find(&text) {
            Some(m) if m.start() > 0 => text[..m.start()].trim().to_string(),
            _ => text,
        }
    }

    /// The value lines with their inner spacing (the columns of a layout extraction).
    fn raw_value_lines(&self) -> Vec<(String, usize)> {
        let mut v = Vec::new();
        if !self.first.is_empty() {
            v.push((self.first.clone(), self.line));
        }
        v.extend(self.more.iter().map(|l| (l.trimmed().to_string(), l.no)));
        v
    }
}

fn fields(lines: &[Line]) -> Vec<Field<'_>> {
    let mut out: Vec<Field> = Vec::new();
    // A blank line after a short field's value: what follows is no longer its value.
    let mut closed = false;
    for l in lines {
        if l.is_blank() {
            closed = out.last().is_some_and(|f| {
                matches!(f.label, Label::Place | Label::Time)
                    && (!f.first.is_empty() || !f.more.is_empty())
            });
            continue;
        }
        // Under "Underskrifter" the roles ("Justerare", "Ordförande") belong to the signatures.
        let in_signatures = out.last().is_some_and(|f| f.label == Label::Signatures)
            && signer_role(&l.text).is_some();
        if label_of(&l.text).is_some() {
            closed = false;
        }
        match label_of(&l.text) {
            Some((label, value)) if !in_signatures => {
                // "Justering / Plats och tid" is one label on two lines: the second adds nothing.
                let continues_label = value.is_empty()
                    && label == Label::PlaceTime
                    && out
                        .last()
                        .is_some_and(|f| f.label == Label::Justering && f.more.is_empty());
                if continues_label {
                    continue;
                }
                // "Tid och plats för  Torsdagen den 16 juni …" / "justering": the label's last
                // word stands alone below, so the line above was the justering's.
                if label == Label::Justering
                    && value.is_empty()
                    && let Some(last) = out.last_mut()
                    && last.label == Label::PlaceTime
                    && last.more.is_empty()
                    && let Some(rest) = last.first.strip_prefix("för ")
                {
                    last.first = rest.trim().to_string();
                    last.label = Label::Justering;
                    continue;
                }
                // "Justering: Lisa Paul och Anna Hed / Plats och tid: … den 18 juni 2020": the
                // place and time under a Justering that has no date are the justering's.
                if label == Label::PlaceTime
                    && let Some(last) = out.last_mut()
                    && last.label == Label::Justering
                    && dates::first(&last.text(), i32::MAX - 1).is_none()
                {
                    last.first = value;
                    last.line = l.no;
                    last.more.clear();
                    continue;
                }
                out.push(Field {
                    label,
                    first: value,
                    line: l.no,
                    more: Vec::new(),
                });
            }
            _ => {
                if let Some(f) = out.last_mut()
                    && !closed
                {
                    f.more.push(l);
                }
            }
        }
    }
    distribute_column(&mut out);
    out
}

/// A header whose labels stand in a row before their values, as a flattened two-column table
/// gives it: "Plats och tid för sammanträdet Beslutande Ej tjänstgörande ersättare Övriga
/// deltagare Tekniska förvaltningen, …, kl 13.00-16.10 Per Holm (S), ordförande …".
struct LabelRow {
    line: usize,
    /// The attendance fields whose values cannot be told apart.
    attendance: Vec<&'static str>,
}

fn attendance_key(label: Label) -> Option<&'static str> {
    match label {
        Label::Voting => Some("narvaro.beslutande"),
        Label::Serving => Some("narvaro.tjanstgorande_ersattare"),
        Label::Substitutes => Some("narvaro.ersattare"),
        Label::Others => Some("narvaro.ovriga_narvarande"),
        Label::Absent => Some("narvaro.anmalt_forhinder"),
        _ => None,
    }
}

/// Finds such a row: a place-and-time label and attendance labels without values, the last
/// holding every value. The place and time run up to the first time range and go to the first
/// label; the names are taken from no label (which name belongs to which cannot be known).
fn split_label_row(fields: &mut [Field<'_>], latest_year: i32) -> Option<LabelRow> {
    let empty = |f: &Field<'_>| f.first.is_empty() && f.more.is_empty();
    let i = fields
        .iter()
        .position(|f| f.label == Label::PlaceTime && empty(f))?;
    let mut j = i + 1;
    while j < fields.len() && empty(&fields[j]) && attendance_key(fields[j].label).is_some() {
        j += 1;
    }
    let last = fields.get(j)?;
    if j < i + 2 || attendance_key(last.label).is_none() || empty(last) {
        return None;
    }
    let value = last.text();
    let (_, _, at) = dates::times_in_field(&value, latest_year)?;
    let cut = at + TIME_AT.find(&value[at..])?.end();
    let line = last.line;
    let attendance: Vec<&'static str> = fields[i + 1..=j]
        .iter()
        .filter_map(|f| attendance_key(f.label))
        .collect();
    fields[i].first = value[..cut].trim().to_string();
    fields[i].line = line;
    fields[j].first = String::new();
    fields[j].more.clear();
    Some(LabelRow { line, attendance })
}

/// A table whose labels stand in one column and values in the next comes out as a run of empty
/// labels followed by the values ("Sammanträdesdatum / Anslaget sätts upp / Anslaget tas ned /
/// 2024-03-14 / 2024-03-20 / 2024-04-11"): the values are given back to the labels in order, when
/// their number matches.
fn distribute_column(fields: &mut [Field<'_>]) {
    let mut i = 0;
    while i < fields.len() {
        let mut j = i;
        while j < fields.len() && fields[j].first.is_empty() && fields[j].more.is_empty() {
            j += 1;
        }
        let run = j - i;
        let simple = |f: &Field| {
            matches!(
                f.label,
                Label::MeetingDate
                    | Label::Posted
                    | Label::Removed
                    | Label::Storage
                    | Label::Organ
                    | Label::Justering
                    | Label::Ranges
                    | Label::PlaceTime
                    | Label::Place
                    | Label::Time
            )
        };
        let fits = j < fields.len()
            && fields[j].first.is_empty()
            && fields[j].more.len() == run + 1
            && fields[i..=j].iter().all(simple);
        if run >= 1 && fits {
            let values = std::mem::take(&mut fields[j].more);
            for (k, v) in values.into_iter().enumerate() {
                fields[i + k].more.push(v);
            }
        }
        i = j + 1;
    }
}

/// Labels split over lines ("Sammanträdes-" / "datum", "Justerande" / "paragrafer" is left alone
/// because both halves are words): a line ending in a hyphen after a letter, followed by a line
/// going on in lower case, is one line.
fn join_split_labels(lines: &[Line]) -> Vec<Line> {
    let mut out: Vec<Line> = Vec::with_capacity(lines.len());
    let mut i = 0;
    while i < lines.len() {
        let mut l = lines[i].clone();
        let t = l.text.trim_end();
        let hyphenated = t.ends_with('-')
            && t.chars().rev().nth(1).is_some_and(char::is_alphabetic)
            && t.split_whitespace().count() <= 3;
        if hyphenated
            && let Some(next) = lines.get(i + 1)
            && next.trimmed().starts_with(|c: char| c.is_lowercase())
        {
            l.text = format!("{}{}", t.trim_end_matches('-'), next.trimmed());
            out.push(l);
            i += 2;
            continue;
        }
        // "Ej tjänstgörande      Frida Mård (S)" / "ersättare": a label that goes on, alone,
        // on the next line of the label column; the two halves make a known label.
        if let Some(next) = lines.get(i + 1)
            && let Some((head, value)) = split_column(t)
            && label_of(head).is_none_or(|_| {
                label_of(&format!("{head} {}", next.trimmed())).is_some_and(|(_, v)| v.is_empty())
            })
            && next.text.starts_with(|c: char| !c.is_whitespace())
            && next.trimmed().split_whitespace().count() <= 3
            && next.trimmed().starts_with(|c: char| c.is_lowercase())
            && let Some((_, rest)) = label_of(&format!("{head} {}", next.trimmed()))
            && rest.is_empty()
        {
            let gap = &t[head.len()..t.len() - value.len()];
            l.text = format!("{head} {}{gap}{value}", next.trimmed());
            out.push(l);
            i += 2;
            continue;
        }
        out.push(l);
        i += 1;
    }
    out
}

/// A line of two layout columns: the text before the first gap of three or more spaces, and
/// the rest.
fn split_column(line: &str) -> Option<(&str, &str)> {
    let at = line.find("   ")?;
    let head = line[..at].trim_end();
    let value = line[at..].trim_start();
    (!head.is_empty() && !value.is_empty()).then_some((head, value))
}

/// Where a flattened page break shows inside a value: a page number or the next page's heading.
static NEXT_PAGE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\s(?:sida|page)\s+\d|\s(?:innehållsförteckning|ärendelista)\b")
        .expect("static regex")
});

/// Protocol title line: "Sammanträdesprotokoll nr 2  2025-03-11", "Protokoll Styrelsemöte i …".
static NUMBER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\b(?:nr|nummer)\.?\s*(\d{1,3})\b").expect("static regex"));
static ORGAN_WORD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(styrelse|förbundsstyrelse|direktion|revisor|presidie|beredningsgrupp)(?:n|ns|ens|möte|mötet|sammanträde|protokoll|rna|t|s)?\b")
        .expect("static regex")
});
static DECIDING_ORGAN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(Styrelsen|Förbundsstyrelsen|Direktionen|Revisorerna|Presidiet)\s+(?:beslutar|beslutade|beslöt|godkänner|godkände|tackar|fastställer)\b")
        .expect("static regex")
});
static PLACE_PHRASE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:^|\s)på\s+([^.]+)").expect("static regex"));
static CHAIR_NAMED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b[Oo]rdförande(?:n)?\s+((?:[A-ZÅÄÖ][\p{L}-]+\s){1,2}[A-ZÅÄÖ][\p{L}-]+)\s+(?:förklarade|öppnade|hälsade)")
        .expect("static regex")
});
static ADJUSTER_ELECTED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:valde|utsåg|väljer|utser)\s+((?:[A-ZÅÄÖ][\p{L}-]+\s){1,2}[A-ZÅÄÖ][\p{L}-]+)\s+(?:till|som|att)\s+(?:justerare|justeringsperson|justera)|((?:[A-ZÅÄÖ][\p{L}-]+\s){1,2}[A-ZÅÄÖ][\p{L}-]+)\s+(?:utses|valdes|väljs)\s+(?:till|att|som)\s+(?:justerare|justeringsperson|.*?justera)")
        .expect("static regex")
});

fn organ_from_word(w: &str) -> String {
    let lower = w.to_lowercase();
    let base = if lower.starts_with("förbundsstyrelse") {
        "Förbundsstyrelsen"
    } else if lower.starts_with("styrelse") {
        "Styrelsen"
    } else if lower.starts_with("direktion") {
        "Direktionen"
    } else if lower.starts_with("revisor") {
        "Revisorerna"
    } else if lower.starts_with("presidie") {
        "Presidiet"
    } else {
        "Beredningsgruppen"
    };
    base.to_string()
}

/// Reads the header from the lines before the first paragraph and the ANSLAG/BEVIS block
/// (wherever it stands); `body` is the rest of the document, used only to derive the organ and
/// signatories when the header does not name them.
pub fn parse(
    header: &[Line],
    anslag: &[Line],
    body: &[Line],
    latest_year: i32,
    r: &mut FileReport,
) -> Header {
    let mut h = Header::default();
    let (header, anslag) = (join_split_labels(header), join_split_labels(anslag));
    let (header, anslag) = (&header[..], &anslag[..]);
    let non_blank: Vec<&Line> = header.iter().filter(|l| !l.is_blank()).collect();

    // Title: the first lines before any label.
    let title_lines: Vec<&Line> = non_blank
        .iter()
        .take_while(|l| label_of(&l.text).is_none())
        .take(4)
        .copied()
        .collect();
    for l in &title_lines {
        let t = squash(&l.text);
        if h.number.is_none()
            && let Some(c) = NUMBER.captures(&t)
            && let Ok(n) = c[1].parse()
        {
            h.number = Some(n);
            r.found("nummer", n.to_string(), Some(l.no));
        }
        if h.date.is_none()
            && let Some(d) = dates::first(&t, latest_year)
        {
            h.date = Some(d.date);
            if d.inferred {
                r.unsure(
                    "datum",
                    d.date.to_string(),
                    Some(l.no),
                    "datumet är skrivet utan sekel eller som ett intervall",
                );
            } else {
                r.found("datum", d.date.to_string(), Some(l.no));
            }
        }
        if h.organ.is_none()
            && let Some(m) = ORGAN_WORD.find(&t)
        {
            let organ = organ_from_word(m.as_str());
            r.unsure(
                "organ",
                &organ,
                Some(l.no),
                format!("härlett ur rubrikens ord \"{}\"", m.as_str()),
            );
            h.organ = Some(organ);
        }
        if h.organ.is_none()
            && let Some(m) = ORGAN_NAME.find(&t)
        {
            // "Gemensamma överförmyndarnämnden i Åsbygd": when the line is nothing but the
            // organ's name, the whole line names it, not the organ word alone.
            let organ = match organ_phrase(&[*l]) {
                Some((whole, _)) if whole.len() > m.as_str().len() => whole,
                _ => capitalise(m.as_str()),
            };
            // A bare "nämnden" or "utskottet" inside a longer title names no particular organ.
            let bare =
                ["nämnden", "utskottet", "beredningen"].contains(&organ.to_lowercase().as_str());
            if bare {
                r.unsure(
                    "organ",
                    &organ,
                    Some(l.no),
                    "rubriken nämner bara ordet, inte organets hela namn",
                );
            } else {
                r.found("organ", &organ, Some(l.no));
            }
            h.organ = Some(organ);
        }
        if h.start.is_none()
            && let Some((start, end, at)) = dates::times(&t)
        {
            h.start = Some(start.clone());
            r.found("tid.start", start, Some(l.no));
            if let Some(e) = &end {
                r.found("tid.slut", e.clone(), Some(l.no));
            }
            h.end = end;
            // "… kl. 09.00 - 12.00 på Rådhusgatan 10 i Karlshamn": the place may follow.
            let _ = at;
        }
    }
    if h.organ.is_none()
        && let Some((organ, no)) = organ_phrase(&title_lines)
    {
        r.found("organ", &organ, Some(no));
        h.organ = Some(organ);
    }
    // A place written as running text ("Mötet hölls … på Rådhusgatan 10 i Karlshamn i Årydsalen.").
    // Running text may wrap over more lines than the title takes ("… kl. 13–15" / "på …").
    let intro_lines: Vec<&Line> = non_blank
        .iter()
        .take_while(|l| label_of(&l.text).is_none())
        .take(8)
        .copied()
        .collect();
    let title_text = squash(
        &intro_lines
            .iter()
            .map(|l| l.text.as_str())
            .collect::<Vec<_>>()
            .join(" "),
    );

    let mut header_fields = fields(header);
    let label_row = split_label_row(&mut header_fields, latest_year);
    for f in header_fields {
        let text = f.text();
        match f.label {
            Label::PlaceTime | Label::Place | Label::Time => {
                place_and_time(&mut h, f.label, &text, f.line, latest_year, r);
            }
            Label::MeetingDate => {
                if let Some(d) = dates::first(&text, latest_year) {
                    set_date(&mut h, d, f.line, "sammanträdesdatum", r);
                }
            }
            Label::Organ if h.organ.is_none() && !text.is_empty() => {
                r.found("organ", &text, Some(f.line));
                h.organ = Some(text.clone());
            }
            Label::Voting | Label::Serving | Label::Substitutes | Label::Others | Label::Absent => {
                let (key, default_role) = match f.label {
                    Label::Voting => ("narvaro.beslutande", "ledamot"),
                    Label::Serving => {
                        ("narvaro.tjanstgorande_ersattare", "tjänstgörande ersättare")
                    }
                    Label::Substitutes => ("narvaro.ersattare", "ersättare"),
                    Label::Others => ("narvaro.ovriga_narvarande", "övrig närvarande"),
                    _ => ("narvaro.anmalt_forhinder", "ledamot"),
                };
                let (people, refused) = attendance::read(&f.raw_value_lines(), default_role);
                for x in refused {
                    r.unsure(
                        key,
                        &x.text,
                        Some(x.line),
                        format!("inte inlagd som person: {}", x.why),
                    );
                }
                for e in people {
                    let p = e.person;
                    let shown = format!("{}, {}", p.name, p.role);
                    if e.defaulted {
                        r.unsure(key, &shown, Some(e.line), format!("rollen står inte i källan; satt till \"{default_role}\" efter rubriken"));
                    } else {
                        r.found(key, &shown, Some(e.line));
                    }
                    for n in &e.notes {
                        r.unsure(
                            key,
                            &p.name,
                            Some(e.line),
                            format!(
                                "anteckningen \"{n}\" står inte i namnet: kontrollera närvaron"
                            ),
                        );
                    }
                    let serving = f.label == Label::Voting && p.role.contains("ersättare");
                    // A presence column: a member marked absent did not take part; a substitute
                    // marked present who serves for someone ("X, tjänstgör för …") votes.
                    let absent_mark = e.present == Some(false)
                        && matches!(f.label, Label::Voting | Label::Serving | Label::Substitutes);
                    let serves_for = f.label == Label::Substitutes
                        && e.present == Some(true)
                        && e.notes.iter().any(|n| {
                            let n = n.to_lowercase();
                            ["tjänstgör för", "tjg för", "ersätter"]
                                .iter()
                                .any(|w| n.starts_with(w))
                        });
                    if absent_mark {
                        r.unsure(
                            "narvaro.anmalt_forhinder",
                            &p.name,
                            Some(e.line),
                            "markerad som frånvarande i närvarokolumnen",
                        );
                        h.absent.push(p);
                        continue;
                    }
                    if serves_for {
                        r.unsure(
                            "narvaro.tjanstgorande_ersattare",
                            &p.name,
                            Some(e.line),
                            "ersättare markerad som närvarande och tjänstgörande",
                        );
                        h.serving.push(p);
                        continue;
                    }
                    match f.label {
                        Label::Voting if serving => h.serving.push(p),
                        Label::Voting => h.voting.push(p),
                        Label::Serving => h.serving.push(p),
                        Label::Substitutes => h.substitutes.push(p),
                        Label::Others => h.others.push(p),
                        _ => h.absent.push(p),
                    }
                }
            }
            Label::Justering => {
                let Some(d) = dates::first(&text, latest_year) else {
                    // The label is there, so the source says something: send the reviewer to it.
                    r.not_recognised("justering.datum", &[f.line], "inget datum under Justering");
                    continue;
                };
                let lower = text.to_lowercase();
                let method = (lower.contains("digital")
                    || lower.contains("bankid")
                    || lower.contains("e-signer"))
                .then(|| "digital signering".to_string());
                let before = strip_day_words(&text[..d.start]);
                let place = (!before.is_empty()
                    && !["justeras", "signeras", "sker", "ska ", "protokollet"]
                        .iter()
                        .any(|w| before.to_lowercase().contains(w)))
                .then_some(before);
                if d.inferred {
                    r.unsure(
                        "justering.datum",
                        d.date.to_string(),
                        Some(f.line),
                        "datumet är skrivet utan sekel (ÅÅMMDD)",
                    );
                } else {
                    r.found("justering.datum", d.date.to_string(), Some(f.line));
                }
                if let Some(m) = &method {
                    r.found("justering.metod", m.clone(), Some(f.line));
                }
                if let Some(p) = &place {
                    r.found("justering.plats", p.clone(), Some(f.line));
                }
                h.justering = Some(JusteringDraft {
                    date: d.date,
                    method,
                    place,
                });
            }
            Label::Ranges => {
                // The value may be followed by lines of another, unlabelled field: the first
                // value line alone is tried too.
                let first_line = f.value_lines().first().map(|v| v.0.clone());
                let parsed = crate::load::parse_ranges(&text)
                    .or_else(|| first_line.as_deref().and_then(crate::load::parse_ranges));
                match parsed {
                    Some(ranges) => {
                        let s = ranges
                            .iter()
                            .map(|(a, b)| {
                                if a == b {
                                    a.to_string()
                                } else {
                                    format!("{a}-{b}")
                                }
                            })
                            .collect::<Vec<_>>()
                            .join(", ");
                        r.found("justerande_paragrafer", &s, Some(f.line));
                        h.ranges = Some(s);
                    }
                    None => r.not_recognised(
                        "justerande_paragrafer",
                        &[f.line],
                        format!("kan inte läsa \"{text}\""),
                    ),
                }
            }
            Label::Signatures => {
                let mut role: Option<(String, usize)> = None;
                for (t, no) in f.value_lines() {
                    if let Some((rl, rest)) = signer_role(&t) {
                        // "Sekreterare ……   Paragrafer 8–12": another label in the next column;
                        // the name stands below.
                        if let Some((label, value)) = label_of(&rest) {
                            if label == Label::Ranges && h.ranges.is_none() && !value.is_empty() {
                                r.found("justerande_paragrafer", &value, Some(no));
                                h.ranges = Some(value);
                            }
                            role = Some((rl, no));
                        } else if rest.chars().any(char::is_alphabetic) {
                            r.found("underskrifter", format!("{rl}: {rest}"), Some(no));
                            h.signatories.push((rl, rest));
                            role = None;
                        } else {
                            role = Some((rl, no));
                        }
                    } else if let Some((rl, _)) = role.take() {
                        r.found("underskrifter", format!("{rl}: {t}"), Some(no));
                        h.signatories.push((rl, t));
                    }
                }
                if let Some((rl, no)) = role {
                    r.missing(
                        "underskrifter",
                        format!("inget namn under \"{rl}\" (rad {no})"),
                    );
                }
            }
            _ => {}
        }
    }

    if let Some(row) = &label_row {
        for e in &mut r.entries {
            let place_time = ["plats", "tid.start", "tid.slut"].contains(&e.field.as_str());
            if place_time && e.status == Status::Found {
                e.status = Status::Unsure(
                    "etiketterna stod i en rad före sina värden: platsen och tiden är lästa ur början av värdena".into(),
                );
            }
        }
        for key in &row.attendance {
            r.not_recognised(
                key,
                &[row.line],
                "etiketterna stod i en rad före sina värden; vilka namn som hör till vilken etikett går inte att avgöra",
            );
        }
    }

    // Fields written after the last § ("Förvaringsplats för protokollet: …", "Justeringens plats
    // och tid: …" at the foot of the protocol).
    // The same sentence in the header ("Justering sker på förbundskansliet den 3 maj 2021.").
    if h.justering.is_none()
        && let Some((d, no)) = header
            .iter()
            .find_map(|l| justering_sentence(l.trimmed(), latest_year).map(|d| (d, l.no)))
    {
        r.unsure(
            "justering.datum",
            d.date.to_string(),
            Some(no),
            "justeringsdatumet är läst ur en mening, inte ur en etikett",
        );
        h.justering = Some(JusteringDraft {
            date: d.date,
            method: None,
            place: None,
        });
    }
    trailing_fields(&mut h, body, latest_year, r);

    // The ANSLAG/BEVIS block.
    let mut notice = NoticeDraft::default();
    let mut seen_anslag = false;
    let mut anslag_organ: Option<(String, usize)> = None;
    let anslag_fields = fields(anslag);
    for f in &anslag_fields {
        let text = f.text();
        let first_value = f
            .value_lines()
            .into_iter()
            .find(|(t, _)| !t.trim().is_empty());
        match f.label {
            Label::Anslag => seen_anslag = true,
            Label::Organ => {
                if let Some((v, no)) = first_value {
                    r.unsure("anslag.anslagstavla", &v, Some(no), "taget från ANSLAG/BEVIS-raden Organ: kontrollera att det är anslagstavlans namn");
                    anslag_organ = Some((v.clone(), no));
                    notice.board = Some(v);
                }
            }
            Label::MeetingDate => {
                if let Some(d) = dates::first(&text, latest_year) {
                    set_date(&mut h, d, f.line, "anslagets sammanträdesdatum", r);
                }
            }
            Label::Posted | Label::Removed => {
                let key = if f.label == Label::Posted {
                    "anslag.uppsatt"
                } else {
                    "anslag.nedtaget"
                };
                match dates::first(&text, latest_year) {
                    Some(d) => {
                        r.found(key, d.date.to_string(), Some(f.line));
                        if f.label == Label::Posted {
                            notice.posted = Some(d.date);
                        } else {
                            notice.removed = Some(d.date);
                        }
                    }
                    None => r.missing(key, format!("inget datum på raden (rad {})", f.line)),
                }
            }
            Label::Storage if !text.is_empty() && h.storage.is_none() => {
                let text = f.storage_text();
                h.storage = Some(storage_value(r, &text, f.line));
            }
            Label::Certifier => {
                if let Some((v, no)) = first_value {
                    let v = match v.split_once(',') {
                        Some((name, role)) => format!("{}, {}", name.trim(), role_case(role)),
                        None => v,
                    };
                    r.found("anslag.anslagsbevis", &v, Some(no));
                    notice.certified_by = Some(v);
                }
            }
            _ => {}
        }
    }
    if seen_anslag || notice.posted.is_some() {
        if notice.board.is_none() {
            r.missing(
                "anslag.anslagstavla",
                "anslaget säger inte på vilken anslagstavla det sattes upp",
            );
        }
        if notice.posted.is_none() {
            r.missing(
                "anslag.uppsatt",
                "anslaget saknar datum då det sattes upp; anslaget lämnas bort ur utkastet",
            );
        }
        h.notice = Some(notice);
    } else {
        r.missing("anslag", "inget ANSLAG/BEVIS-block i källan");
    }

    // What the header did not say.
    let looked_at: Vec<&Line> = header
        .iter()
        .chain(anslag.iter())
        .filter(|l| !l.is_blank())
        .collect();
    if h.date.is_none() {
        date_without_label(&mut h, &looked_at, body, latest_year, r);
    }
    // Fields such as the förvaringsplats also stand after the last §.
    let with_body: Vec<&Line> = looked_at
        .iter()
        .copied()
        .chain(body.iter().filter(|l| label_of(&l.text).is_some()))
        .collect();

    if h.place.is_none() {
        if let Some(c) = PLACE_PHRASE.captures(&title_text) {
            let raw = squash(&c[1]);
            // "Rådhusgatan 10 i Karlshamn i Årydsalen": address, town and room, as a list.
            let place = raw
                .split(" i ")
                .map(str::trim)
                .collect::<Vec<_>>()
                .join(", ");
            let line = intro_lines
                .iter()
                .find(|l| l.text.contains(raw.split_whitespace().next().unwrap_or("")))
                .map(|l| l.no);
            r.unsure(
                "plats",
                &place,
                line,
                format!("omskrivet från löptexten \"på {raw}\""),
            );
            h.place = Some(place);
        } else {
            // The meeting's time read from a line without a label: its place usually stands
            // beside it ("Kansliet, Hedby kl 13.15-15.45"), so that line is the candidate.
            let time_line = r
                .entries
                .iter()
                .find(|e| e.field == "tid.start" && e.line.is_some())
                .and_then(|e| e.line);
            let mut c = candidates(&looked_at, &["plats", "lokal"]);
            if let Some(no) = time_line
                && !c.contains(&no)
            {
                c.insert(0, no);
            }
            if c.is_empty() {
                r.missing("plats", "ingen rad Plats och tid i källan");
            } else {
                r.not_recognised(
                    "plats",
                    &c,
                    "källan verkar ange platsen (raden med mötets klockslag eller ordet plats) men ingen regel kunde läsa den",
                );
            }
        }
    }
    if h.start.is_none() && !r.flagged("tid") {
        absent(
            r,
            "tid",
            &looked_at,
            &["kl ", "kl.", "klockan", "tid"],
            "inget klockslag för mötet i källan",
        );
    }
    if h.date.is_none() {
        r.missing(
            "datum",
            "inget datum alls i protokollets huvud, anslag eller första rader",
        );
    }
    if h.organ.is_none() {
        let body_text = body
            .iter()
            .map(|l| l.text.as_str())
            .collect::<Vec<_>>()
            .join("\n");
        let mut counts: Vec<(String, usize, usize)> = Vec::new();
        for c in DECIDING_ORGAN.captures_iter(&body_text) {
            let organ = c[1].to_string();
            let at = c.get(0).map_or(0, |m| m.start());
            let line_idx = body_text[..at].matches('\n').count();
            let no = body.get(line_idx).map_or(0, |l| l.no);
            match counts.iter_mut().find(|(o, _, _)| *o == organ) {
                Some(e) => e.1 += 1,
                None => counts.push((organ, 1, no)),
            }
        }
        counts.sort_by_key(|c| std::cmp::Reverse(c.1));
        if let Some((organ, n, no)) = counts.into_iter().next() {
            r.unsure("organ", &organ, Some(no), format!("rubriken nämner inget organ; härlett ur besluten (\"{organ} beslutar …\", {n} gånger)"));
            h.organ = Some(organ);
        } else if let Some((organ, no)) = anslag_organ {
            r.unsure(
                "organ",
                &organ,
                Some(no),
                "taget från ANSLAG/BEVIS-raden Organ",
            );
            h.organ = Some(organ);
        } else {
            absent(
                r,
                "organ",
                &looked_at,
                &[
                    "styrelse",
                    "nämnd",
                    "direktion",
                    "utskott",
                    "fullmäktige",
                    "organ",
                ],
                "varken rubriken eller besluten nämner vilket organ som sammanträdde",
            );
        }
    }
    if h.voting.is_empty() && h.serving.is_empty() && !r.flagged("narvaro.beslutande") {
        absent(
            r,
            "narvaro.beslutande",
            &looked_at,
            &["beslutande", "närvarande", "ledamöter"],
            "ingen rad Beslutande i källan",
        );
    }
    if h.justering.is_none() && !r.flagged("justering") {
        absent(
            r,
            "justering",
            &looked_at,
            &["juster"],
            "ingen rad Justering med datum i källan",
        );
    }
    if h.ranges.is_none() && !r.flagged("justerande_paragrafer") {
        absent(
            r,
            "justerande_paragrafer",
            &looked_at,
            &["paragrafer"],
            "ingen rad Justerande paragrafer i källan",
        );
    }
    if h.storage.is_none() {
        absent(
            r,
            "forvaringsplats",
            &with_body,
            &["förvar", "protokollet finns"],
            "ingen förvaringsplats i källan",
        );
    }
    if h.signatories.is_empty() {
        let body_text = body
            .iter()
            .map(|l| squash(&l.text))
            .collect::<Vec<_>>()
            .join(" ");
        if let Some(c) = CHAIR_NAMED.captures(&body_text) {
            let name = c[1].to_string();
            r.unsure("underskrifter", format!("ordförande: {name}"), None, "ingen rad Underskrifter; ordföranden härledd ur texten (\"Ordförande … förklarade mötet öppnat\")");
            h.signatories.push(("ordförande".into(), name));
        }
        if let Some(c) = ADJUSTER_ELECTED.captures(&body_text) {
            let name = c
                .get(1)
                .or_else(|| c.get(2))
                .map(|m| m.as_str().to_string())
                .unwrap_or_default();
            r.unsure(
                "underskrifter",
                format!("justerare: {name}"),
                None,
                "ingen rad Underskrifter; justeraren härledd ur valet av justerare",
            );
            h.signatories.push(("justerare".into(), name));
        }
        if h.signatories.is_empty() {
            r.missing("underskrifter", "ingen rad Underskrifter i källan");
        }
    }
    h
}

static ORGAN_NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:\p{Lu}[\p{L}]*-\s+och\s+)?(?:\b\p{Lu}\p{Ll}+[ae]\s+)?\b\p{L}*(?:styrelsen|nämnden|utskottet|fullmäktige|direktionen|beredningen)\b|\b\p{Lu}\p{Ll}+(?:styrelsens|nämndens|fullmäktiges)\s+\p{Ll}*(?:utskott|beredning)\b")
        .expect("static regex")
});
static DAY_WORDS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)(?:[,\s]+|^)(?:(?:mån|tis|ons|tors|fre|lör|sön)dag(?:en)?|den|kl\.?|klockan)\s*$",
    )
    .expect("static regex")
});

/// A title line that is nothing but an organ's name ("Barn- och utbildningsnämndens
/// arbetsutskott", "Kommunstyrelsen"): short, no digits, an organ word, not the förbund's name.
fn organ_phrase(title_lines: &[&Line]) -> Option<(String, usize)> {
    const STEMS: &[&str] = &[
        "styrelse",
        "nämnd",
        "utskott",
        "fullmäktige",
        "direktion",
        "beredning",
    ];
    const NOT: &[&str] = &[
        "protokoll",
        "förbund",
        "möte",
        "sammanträde",
        "kommun ",
        "region ",
    ];
    title_lines.iter().find_map(|l| {
        let t = squash(&l.text);
        let lower = format!("{} ", t.to_lowercase());
        let fits = t.split_whitespace().count() <= 6
            && !t.chars().any(|c| c.is_ascii_digit())
            && STEMS.iter().any(|s| lower.contains(s))
            && !NOT.iter().any(|s| lower.contains(s))
            && t.chars().any(char::is_lowercase);
        fits.then(|| (t.clone(), l.no))
    })
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// "Kommunhuset, måndagen den" → "Kommunhuset": the weekday and "den" that stood before a date.
fn strip_day_words(s: &str) -> String {
    let mut t = s.trim().trim_end_matches([',', ' ']).to_string();
    while let Some(m) = DAY_WORDS.find(&t) {
        t.truncate(m.start());
        t = t.trim().trim_end_matches([',', ' ']).to_string();
    }
    t
}

/// Records the meeting date read under a label, or notes a disagreement with the one in hand.
fn set_date(h: &mut Header, d: dates::FoundDate, line: usize, source: &str, r: &mut FileReport) {
    match h.date {
        None => {
            h.date = Some(d.date);
            if d.inferred {
                r.unsure(
                    "datum",
                    d.date.to_string(),
                    Some(line),
                    "datumet är skrivet utan sekel eller som ett intervall",
                );
            } else {
                r.found("datum", d.date.to_string(), Some(line));
            }
        }
        Some(own) if own != d.date => r.unsure(
            "datum",
            own.to_string(),
            Some(line),
            format!("{source} anger {}", d.date),
        ),
        _ => {}
    }
}

static TIME_AT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:kl(?:ockan)?\.?\s*)?(?:starttid\s*:?\s*)?\d{1,2}(?:[.:]\d{2})?(?:\s*[-–]\s*\d{1,2}(?:[.:]\d{2})?)?")
        .expect("static regex")
});

/// "Plats och tid", "Plats", "Tid", "Dag och tid": the date, the times and the place, each where
/// it stands in the value ("Kommunhuset, torsdagen den 14 mars 2024 kl. 09.00-11.30" or
/// "14 mars 2024 kl. 13–15, Kommunhuset").
static BREAK_CLAUSE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)(?:^|[\s,;(])(?:ajournering|ajournerades|ajourneras|ajournerat|paus|uppehåll)\b",
    )
    .expect("static regex")
});

fn place_and_time(
    h: &mut Header,
    label: Label,
    text: &str,
    line: usize,
    latest_year: i32,
    r: &mut FileReport,
) {
    let found_dates = dates::find_all(text, latest_year);
    if let Some(d) = found_dates.first() {
        set_date(h, *d, line, "Plats och tid", r);
    }
    let mut place = text.to_string();
    if label != Label::Place && h.start.is_none() {
        match dates::times_in_field(text, latest_year) {
            Some((start, end, at)) => {
                let before = strip_day_words(&remove_dates(&text[..at], latest_year));
                let time_len = TIME_AT.find(&text[at..]).map_or(0, |m| m.end());
                let after = remove_dates(&text[at + time_len..], latest_year);
                place = if before.chars().any(char::is_alphabetic) {
                    before
                } else {
                    after
                };
                r.found("tid.start", start.clone(), Some(line));
                h.start = Some(start);
                match &end {
                    Some(e) => r.found("tid.slut", e.clone(), Some(line)),
                    None => r.missing("tid.slut", format!("ingen sluttid på raden (rad {line})")),
                }
                h.end = end;
            }
            None => r.not_recognised(
                "tid",
                &[line],
                "fältet för tid har inget klockslag som kunde läsas",
            ),
        }
    } else {
        place = remove_dates(&place, latest_year);
    }
    if label == Label::Time || h.place.is_some() {
        return;
    }
    let place = strip_day_words(&squash(&remove_dates(&place, latest_year)));
    // "…, ajournering 10:30–10:45": a break in the meeting, not where it was held.
    let place = match BREAK_CLAUSE.find(&place) {
        Some(m) => place[..m.start()].to_string(),
        None => place,
    };
    let place = place.trim_matches([',', ' ', '.', ';', ':']).to_string();
    if place.chars().any(char::is_alphabetic) {
        r.found("plats", &place, Some(line));
        h.place = Some(place);
    }
}

fn remove_dates(text: &str, latest_year: i32) -> String {
    let mut s = text.to_string();
    for d in dates::find_all(text, latest_year).iter().rev() {
        s.replace_range(d.start..d.end, "");
    }
    strip_day_words(&squash(&s))
}

/// The lines of `lines` whose lower-cased text contains one of `words`: where a reviewer should
/// look for a field no rule could read.
fn candidates(lines: &[&Line], words: &[&str]) -> Vec<usize> {
    lines
        .iter()
        .filter(|l| {
            let t = l.text.to_lowercase();
            words.iter().any(|w| t.contains(w))
        })
        .map(|l| l.no)
        .collect()
}

/// Says a field was not read: "not recognised" with the candidate lines when the source seems to
/// have it, "not in the source" otherwise.
fn absent(r: &mut FileReport, field: &str, lines: &[&Line], words: &[&str], missing: &str) {
    let c = candidates(lines, words);
    if c.is_empty() {
        r.missing(field, missing);
    } else {
        r.not_recognised(
            field,
            &c,
            "källan verkar ange det men ingen regel kunde läsa värdet",
        );
    }
}

/// A justering written as a sentence ("Justeras den 12 december 2024", "Justering sker på
/// kansliet den 3 maj 2021", "Protokollet justeras 2023-04-25"): its date.
fn justering_sentence(line: &str, latest_year: i32) -> Option<dates::FoundDate> {
    let lower = line.to_lowercase();
    let opens = [
        "justeras",
        "justerat",
        "justerad",
        "justering sker",
        "justering ska ske",
        "justeringen sker",
        "justeringen ska ske",
        "protokollet justeras",
    ]
    .iter()
    .any(|w| lower.starts_with(w));
    if opens {
        dates::first(line, latest_year)
    } else {
        None
    }
}

fn trailing_fields(h: &mut Header, body: &[Line], latest_year: i32, r: &mut FileReport) {
    for (k, l) in body.iter().enumerate() {
        // "Justeras den 12 december 2024" / "Justerat 2023-04-25" at the foot: the date of the
        // justering written as a sentence, not a label, so it is kept but flagged.
        if h.justering.is_none()
            && let Some(d) = justering_sentence(l.trimmed(), latest_year)
        {
            r.unsure(
                "justering.datum",
                d.date.to_string(),
                Some(l.no),
                "justeringsdatumet är läst ur en mening i protokollets slut",
            );
            h.justering = Some(JusteringDraft {
                date: d.date,
                method: None,
                place: None,
            });
            continue;
        }
        let Some((label, mut value)) = label_of(&l.text) else {
            continue;
        };
        // The value on the next line, as plain extraction puts a table's second column.
        if value.is_empty()
            && let Some(next) = body[k + 1..].iter().find(|n| !n.is_blank())
            && label_of(&next.text).is_none()
        {
            value = squash(&next.text);
        }
        match label {
            Label::Storage if h.storage.is_none() && !value.is_empty() => {
                h.storage = Some(storage_value(r, &value, l.no));
            }
            Label::Justering if h.justering.is_none() => {
                if let Some(d) = dates::first(&value, latest_year) {
                    r.found("justering.datum", d.date.to_string(), Some(l.no));
                    let place = strip_day_words(&value[..d.start]);
                    let place = (!place.is_empty()).then_some(place);
                    h.justering = Some(JusteringDraft {
                        date: d.date,
                        method: None,
                        place,
                    });
                }
            }
            _ => {}
        }
    }
}

/// The förvaringsplats as a field: written as a sentence ("Protokollet förvaras på
/// kommunkansliet, Medborgarhuset.") it loses the preposition and the full stop and gets a
/// capital, and the report says it was rewritten; otherwise it is kept as written.
fn storage_value(r: &mut FileReport, value: &str, line: usize) -> String {
    let sentence = ["på ", "hos ", "vid ", "i "]
        .iter()
        .find_map(|p| value.strip_prefix(p))
        .filter(|rest| !rest.trim().is_empty());
    let Some(rest) = sentence else {
        flag_lowercase_start(r, "forvaringsplats", value, line);
        return value.to_string();
    };
    let rest = rest.trim().trim_end_matches('.');
    let place = capitalise(rest);
    r.unsure(
        "forvaringsplats",
        &place,
        Some(line),
        format!("omskrivet ur löptexten \"{}\"", value.trim()),
    );
    place
}

/// A value starting in lower case is often the rest of a label the extraction garbled
/// ("Förvaringsplats för protoko1let Kansliet"): kept, but flagged.
fn flag_lowercase_start(r: &mut FileReport, field: &str, value: &str, line: usize) {
    if value.starts_with(|c: char| c.is_lowercase()) {
        r.unsure(
            field,
            value,
            Some(line),
            "värdet börjar med liten bokstav: det kan vara en del av etiketten",
        );
    } else {
        r.found(field, value, Some(line));
    }
}

/// The meeting date when no label or title gives it: the first date in the header, else in the
/// anslag, else in the first lines of the body — always flagged, with its line.
fn date_without_label(
    h: &mut Header,
    looked_at: &[&Line],
    body: &[Line],
    latest_year: i32,
    r: &mut FileReport,
) {
    let early_body = body.iter().filter(|l| !l.is_blank()).take(15);
    for l in looked_at.iter().copied().chain(early_body) {
        if let Some(d) = dates::first(&l.text, latest_year) {
            h.date = Some(d.date);
            r.unsure(
                "datum",
                d.date.to_string(),
                Some(l.no),
                "inget sammanträdesdatum under en etikett; det första datumet i texten valdes",
            );
            return;
        }
    }
}

/// Where the ANSLAG/BEVIS block starts, if anywhere.
pub fn anslag_start(lines: &[Line]) -> Option<usize> {
    lines
        .iter()
        .position(|l| matches!(label_of(&l.text), Some((Label::Anslag, _))))
}

/// Where labels start inside a running text, written with a capital as labels are ("Plats och
/// tid", "Beslutande"): for re-breaking flattened pages.
pub fn label_starts(text: &str) -> Vec<usize> {
    let lower = text.to_lowercase();
    let mut out = Vec::new();
    for (name, _) in LABELS {
        for (at, _) in lower.match_indices(name) {
            // Lower-casing can change byte lengths; only take offsets that agree.
            let (Some(orig), Some(before)) = (text.get(at..), text.get(..at)) else {
                continue;
            };
            let capital = orig.starts_with(|c: char| c.is_uppercase());
            let word_start = before
                .chars()
                .next_back()
                .is_none_or(|c| !c.is_alphanumeric());
            let word_end = lower[at + name.len()..]
                .chars()
                .next()
                .is_none_or(|c| !c.is_alphanumeric());
            let inside_longer = out.iter().any(|&(s, e): &(usize, usize)| s <= at && at < e);
            if capital && word_start && word_end && !inside_longer {
                out.push((at, at + name.len()));
            }
        }
    }
    out.into_iter().map(|(s, _)| s).collect()
}

/// Every label the header knows, lower case (for repairing OCR-damaged labels).
pub fn label_names() -> impl Iterator<Item = &'static str> {
    LABELS.iter().map(|(name, _)| *name)
}

/// Whether a line opens a header field (used to end a body before a trailing header block).
pub fn is_label(line: &str) -> bool {
    label_of(line).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::lines::split;

    #[test]
    fn a_labelled_header() {
        let text = "Sammanträdesprotokoll nr 6\n\n2020-11-24\n\nPlats och tid Söderåsens samordningsförbund, Skolgatan 5, Åstorp, kl 13.00–14.30\n\nBeslutande Christer Landin, ledamot och ordförande, Bjuvs kommun\nRichard Ridvall, tjänstgörande ersättare, Region Skåne\n\nJustering Söderåsens samordningsförbund, Åstorp, 2020-11-27 kl 13.00\nPlats och tid\n\nJusterande paragrafer §§ 67-79\n\nUnderskrifter\nSekreterare\n\n.....\nRoger Törnqvist\n\nOrdförande\n\n.....\nChrister Landin\n";
        let lines = split(text);
        let mut r = FileReport::default();
        let h = parse(&lines, &[], &[], 2025, &mut r);
        assert_eq!(h.number, Some(6));
        assert_eq!(h.date, NaiveDate::from_ymd_opt(2020, 11, 24));
        assert_eq!(
            h.place.as_deref(),
            Some("Söderåsens samordningsförbund, Skolgatan 5, Åstorp")
        );
        assert_eq!(
            (h.start.as_deref(), h.end.as_deref()),
            (Some("13:00"), Some("14:30"))
        );
        assert_eq!(h.voting.len(), 1);
        assert_eq!(h.serving[0].role, "tjänstgörande ersättare");
        let j = h.justering.unwrap();
        assert_eq!(j.date, NaiveDate::from_ymd_opt(2020, 11, 27).unwrap());
        assert_eq!(
            j.place.as_deref(),
            Some("Söderåsens samordningsförbund, Åstorp")
        );
        assert_eq!(h.ranges.as_deref(), Some("67-79"));
        assert_eq!(
            h.signatories,
            vec![
                ("sekreterare".into(), "Roger Törnqvist".into()),
                ("ordförande".into(), "Christer Landin".into())
            ]
        );
    }

    #[test]
    fn labels_in_a_row_before_their_values_give_place_and_time_and_no_people() {
        let text = "Kommunstyrelsen 2019-03-05\nPlats och tid för sammanträdet\nBeslutande\nEj beslutande\nÖvriga deltagare Kommunkontoret, rum Ugglan, tisdag den 5 mars 2019, kl 09.00-12.30 Lisa Berg (S), ordförande Olof Stam (M) Nina Ek (V) Sven Ros, kommunchef\n";
        let lines = split(text);
        let mut r = FileReport::new("x".into());
        let h = parse(&lines, &[], &[], 2026, &mut r);
        assert_eq!(h.place.as_deref(), Some("Kommunkontoret, rum Ugglan"));
        assert_eq!(h.start.as_deref(), Some("09:00"));
        assert_eq!(h.end.as_deref(), Some("12:30"));
        assert!(h.voting.is_empty() && h.others.is_empty() && h.substitutes.is_empty());
        assert!(r.flagged_with_line("plats"));
        assert!(r.flagged_with_line("narvaro.beslutande"));
    }

    #[test]
    fn a_place_ends_at_a_blank_line() {
        let text = "Styrelsen 2024-10-22\nTid:    kl. 13:15–15:30\nPlats:  Vårdcentralen, rum Linnéan\n\nNärvarolista\nLedamot      Organisation\n";
        let mut r = FileReport::new("x".into());
        let h = parse(&split(text), &[], &[], 2026, &mut r);
        assert_eq!(h.place.as_deref(), Some("Vårdcentralen, rum Linnéan"));
    }

    #[test]
    fn an_organs_committee_in_a_title_is_the_organ() {
        let text = "Protokoll Kommunstyrelsens personalutskott Alby kommun\nDatum: 2025-01-21\n";
        let mut r = FileReport::new("x".into());
        let h = parse(&split(text), &[], &[], 2026, &mut r);
        assert_eq!(h.organ.as_deref(), Some("Kommunstyrelsens personalutskott"));
    }

    #[test]
    fn a_header_in_running_text() {
        let lines = split(
            " Protokoll Styrelsemöte i Samordningsförbundet i Blekinge\n\nStyrelsemötet hölls Måndag 2025-05-05 kl. 09.00 - 12.00\npå Rådhusgatan 10 i Karlshamn i Årydsalen.\n",
        );
        let body = split(
            "Ordförande Ingrid Hermansson förklarade mötet öppnat.\nStyrelsen valde Johanna Månsson till justerare.\n",
        );
        let mut r = FileReport::default();
        let h = parse(&lines, &[], &body, 2025, &mut r);
        assert_eq!(h.organ.as_deref(), Some("Styrelsen"));
        assert_eq!(h.date, NaiveDate::from_ymd_opt(2025, 5, 5));
        assert_eq!(
            h.place.as_deref(),
            Some("Rådhusgatan 10, Karlshamn, Årydsalen")
        );
        assert_eq!(h.start.as_deref(), Some("09:00"));
        assert_eq!(
            h.signatories,
            vec![
                ("ordförande".into(), "Ingrid Hermansson".into()),
                ("justerare".into(), "Johanna Månsson".into())
            ]
        );
        assert!(h.justering.is_none());
    }
}
