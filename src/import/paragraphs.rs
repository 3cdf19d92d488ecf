//! Paragraphs (§) and what they contain. Headings in the forms protocols use ("§ 12 Titel",
//! "§12 Titel", "§ 67" alone with the title on the next line, "§ 70 **Titel**"), titles wrapped
//! onto the next line, and inside each § the marked parts: proposals ("Förslag till beslut",
//! "Förbundschefens förslag är att …"), decisions ("Beslut", "Beslut.", "Styrelsen beslutar …",
//! "Styrelsen beslutade:", ids "Beslut 2025-3 §09:1"), reservations ("… reserverade sig") and
//! annexes ("Bilaga", "Bifogar: …").
//!
//! Nothing is invented: text becomes a decision only when the protocol marks it as one, or when
//! the whole § is one short sentence in the form of a decision ("Styrelsen godkände dagordningen",
//! "X utses att justera"); those are flagged for review.

use super::lines::{Line, heading_like, join, paragraphs, squash};
use super::tables;
use regex::Regex;
use std::sync::LazyLock;

/// A § heading found in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    pub number: u32,
    pub title: String,
    /// Index of the heading line in the line list.
    pub idx: usize,
    /// Index of the first line after the heading and its title lines.
    pub body_start: usize,
    /// Source line number of the heading.
    pub line: usize,
    /// A bold sub-title written on the heading line ("Förbundschefen informerar.**Besked …**").
    pub subtitle: Option<String>,
    /// How the marker was written.
    pub marker: Marker,
    /// Text in a second column of the heading line (a layout extraction): the § body's start.
    pub tail: Option<String>,
}

/// The forms a paragraph marker takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Marker {
    /// `§ 12`, `§12`, `§ 12.`
    Section,
    /// `12 §`
    NumberSection,
    /// `KF § 12`, `Ks 94`, `Nvsf 3`: an organ's abbreviation before the number.
    Organ,
    /// `12.` or a bare `12` at the start of a line (the § glyph dropped by text extraction).
    Bare,
}

impl Marker {
    /// Forms other than `§ N` are reported, so a reviewer checks that no § was missed.
    pub fn describe(self) -> Option<&'static str> {
        match self {
            Marker::Section => None,
            Marker::NumberSection => Some("\"N §\""),
            Marker::Organ => Some("en organförkortning före numret (\"Ks N\", \"KF § N\")"),
            Marker::Bare => Some("bara ett nummer (\"N.\" eller \"N\"; §-tecknet saknas)"),
        }
    }

    fn strong(self) -> bool {
        matches!(self, Marker::Section | Marker::NumberSection)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Text,
    Forslag,
    Beslut,
    Reservation,
    Bilaga,
}

impl Kind {
    pub fn word(self) -> &'static str {
        match self {
            Kind::Text => "",
            Kind::Forslag => "förslag",
            Kind::Beslut => "beslut",
            Kind::Reservation => "reservation",
            Kind::Bilaga => "bilaga",
        }
    }
}

/// One part of a §: text, or a marked block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    pub kind: Kind,
    pub argument: Option<String>,
    pub lines: Vec<Line>,
    /// Source line where the part starts.
    pub line: usize,
    /// A decision recognised from its wording alone (no "Beslut" in the source): to be reviewed.
    pub implicit: bool,
}

impl Part {
    fn new(kind: Kind, argument: Option<String>, line: usize) -> Self {
        Part {
            kind,
            argument,
            lines: Vec::new(),
            line,
            implicit: false,
        }
    }

    fn has_text(&self) -> bool {
        self.lines.iter().any(|l| !l.is_blank())
    }

    /// The part's words on one line (for comparisons and the report).
    pub fn plain(&self) -> String {
        paragraphs(&self.lines)
            .into_iter()
            .map(join)
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// A § with its parts.
#[derive(Debug, Clone)]
pub struct DraftParagraph {
    pub heading: Heading,
    pub parts: Vec<Part>,
}

impl DraftParagraph {
    pub fn decisions(&self) -> usize {
        self.parts.iter().filter(|p| p.kind == Kind::Beslut).count()
    }
}

static HEADING: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^§\s*(\d{1,4})(?:\s*[.:])?(?:\s+(.*))?$").expect("static regex"));
const ORGANS: &str =
    r"(?:Styrelsen|Förbundsstyrelsen|Direktionen|Nämnden|Revisorerna|Presidiet|Mötet|Sammanträdet)";
static DECISION_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:beslut|beslutet|styrelsens beslut|beslut i ärendet)\s*[.:]?$")
        .expect("static regex")
});
static DECISION_LABEL_INLINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:Beslut|Beslutet|Styrelsens beslut)\s*:\s+(\p{Lu}.*|att\s.*)$")
        .expect("static regex")
});
static DECISION_ID: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^beslut\s+(\d{4})\s*-\s*(\d+)\s*§\s*(\d+)(?:\s*:\s*(\d+))?\s*\.?$")
        .expect("static regex")
});
static DECISION_INTRO: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"^{ORGANS}\s+(?:beslutar|beslutade|beslöt)(?:\s+att)?\s*:$"
    ))
    .expect("static regex")
});
static DECISION_INLINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"^{ORGANS}\s+(?:beslutar|beslutade|beslöt)\b")).expect("static regex")
});
static PROPOSAL_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:förslag till beslut|(?:\p{L}+s) förslag till beslut)\s*[.:]?$")
        .expect("static regex")
});
static PROPOSAL_INLINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:\p{Lu}\p{L}+s förslag (?:till beslut )?är att|\p{Lu}\p{L}+ föreslår (?:att|styrelsen)|Styrelsen föreslås (?:besluta|att))")
        .expect("static regex")
});
static ANNEX_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:bilaga|bilagor|bilaga\s+\d+|bilaga\s+[a-z])\s*[.:]?$")
        .expect("static regex")
});
static ANNEX_LIST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(bifogar|bifogas|bilagor)\s*:\s*(.*)$").expect("static regex")
});
static IMPLICIT_ACTIVE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"^{ORGANS}\s+(?:beslutar|beslutade|beslöt|godkänner|godkände|fastställer|fastställde|antar|antog|väljer|valde|utser|utsåg|lägger|lade|beviljar|beviljade|avslår|avslog|återremitterar|återremitterade|uppdrar|uppdrog)\b"))
        .expect("static regex")
});
static IMPLICIT_PASSIVE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?:utses|utsågs|valdes|väljs|godkändes|godkänns|fastställdes|fastställs|antogs|beslutades|beviljades|lades till handlingarna|läggs till handlingarna|återremitterades)\b")
        .expect("static regex")
});
static RESERVATION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(?:reserverade sig|reserverar sig|anmälde reservation|anmäler reservation)\b",
    )
    .expect("static regex")
});
static NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\p{Lu}[\p{L}-]+(?:\s+\p{Lu}[\p{L}-]+){1,3}$").expect("static regex")
});

fn ends_sentence(s: &str) -> bool {
    s.trim_end().ends_with(['.', ':', '!', '?'])
}

/// Cleans a title: no bold markers, no closing full stop, single spaces.
fn clean_title(s: &str) -> String {
    squash(&s.replace("**", " "))
        .trim_end_matches(['.', ':', ' ', ','])
        .to_string()
}

fn heading_match(text: &str) -> Option<(u32, String)> {
    let t = text.trim().trim_start_matches("**").trim_start();
    let c = HEADING.captures(t)?;
    let n = c[1].parse().ok()?;
    Some((
        n,
        c.get(2)
            .map_or(String::new(), |m| without_dash(m.as_str()).to_string()),
    ))
}

/// "§ 14 – Val av justerare": the dash between number and title is no part of the title.
fn without_dash(title: &str) -> &str {
    match title.strip_prefix(['–', '—', '-']) {
        Some(rest) if rest.starts_with(' ') => rest.trim_start(),
        _ => title,
    }
}

static NUMBER_SECTION: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(\d{1,4})\s*§(?:\s+(.*))?$").expect("static regex"));
static ORGAN_MARKER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(\p{Lu}[\p{L}]{0,5})\s+(§\s*)?(\d{1,4})(?:\s*[.:])?(?:\s+(.*))?$")
        .expect("static regex")
});
static BARE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(\d{1,3})(\.)?(?:\s+(.*))?$").expect("static regex"));
/// Words that may stand before a number at the start of a line without being an organ.
const NOT_ORGANS: &[&str] = &[
    "kl", "nr", "sid", "sida", "dnr", "tel", "bil", "bilaga", "den", "det", "vid", "med", "kap",
    "kr", "ca", "år", "av", "om", "till", "och", "på", "i", "se", "punkt", "ärende", "s", "ca",
];

/// A marker candidate on one line: number, the rest of the line, the form and the organ prefix.
fn marker_of(text: &str) -> Option<(u32, String, Marker, Option<String>)> {
    if let Some((n, rest)) = heading_match(text) {
        return Some((n, rest, Marker::Section, None));
    }
    let t = text.trim().trim_start_matches("**").trim_start();
    if let Some(c) = NUMBER_SECTION.captures(t) {
        let n = c[1].parse().ok()?;
        let rest = c.get(2).map_or(String::new(), |m| m.as_str().to_string());
        return Some((n, rest, Marker::NumberSection, None));
    }
    if let Some(c) = ORGAN_MARKER.captures(t)
        && !NOT_ORGANS.contains(&c[1].to_lowercase().as_str())
    {
        let n = c[3].parse().ok()?;
        let rest = c.get(4).map_or(String::new(), |m| m.as_str().to_string());
        let marker = if c.get(2).is_some() {
            Marker::Section
        } else {
            Marker::Organ
        };
        return Some((n, rest, marker, Some(c[1].to_string())));
    }
    if let Some(c) = BARE.captures(t) {
        let n = c[1].parse().ok()?;
        let rest = c.get(3).map_or(String::new(), |m| m.as_str().to_string());
        // A bare number is a heading only with a title after it that starts with a capital.
        if rest.starts_with(|ch: char| ch.is_uppercase()) && rest.split_whitespace().count() <= 14 {
            return Some((n, rest, Marker::Bare, None));
        }
    }
    None
}

/// Whether a line is a § heading (any number).
pub fn is_heading(text: &str) -> bool {
    heading_match(text).is_some()
}

static PAGE_REF: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:\s*[.…_·]{2,}\s*|\s+)(\d{1,3})\s*$").expect("static regex"));
static GAP: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\s{3,}|\t").expect("static regex"));
static DNR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^(?:dnr|diarienummer|dnr\.)\b").expect("static regex"));

/// One marker line, before the choice of which ones are headings.
struct Candidate {
    i: usize,
    number: u32,
    rest: String,
    marker: Marker,
    prefix: Option<String>,
}

/// A table-of-contents entry: a marker line ending in a page number (or leader dots), followed
/// by another marker line with no text between.
fn is_toc_entry(lines: &[Line], c: &Candidate, next: Option<&Candidate>) -> bool {
    let ends_in_page = PAGE_REF.is_match(c.rest.trim_end()) && !c.rest.trim().is_empty();
    let next_follows = next.is_some_and(|n| {
        lines[c.i + 1..n.i].iter().all(Line::is_blank)
            || lines[c.i + 1..n.i]
                .iter()
                .all(|l| l.is_blank() || PAGE_REF.is_match(l.trimmed()))
    });
    ends_in_page && next_follows
}

/// The entries of a table of contents at the start of the text, as (number, title, line).
pub fn toc_entries(lines: &[Line]) -> Vec<(u32, String, usize)> {
    let cands = candidates(lines);
    cands
        .iter()
        .enumerate()
        .filter(|(k, c)| is_toc_entry(lines, c, cands.get(k + 1)))
        .map(|(_, c)| (c.number, toc_title(&c.rest), lines[c.i].no))
        .collect()
}

fn toc_title(rest: &str) -> String {
    let t = PAGE_REF.replace(rest.trim_end(), "");
    clean_title(&squash(&t))
}

fn candidates(lines: &[Line]) -> Vec<Candidate> {
    lines
        .iter()
        .enumerate()
        .filter_map(|(i, l)| {
            let (number, rest, marker, prefix) = marker_of(&l.text)?;
            Some(Candidate {
                i,
                number,
                rest,
                marker,
                prefix,
            })
        })
        .collect()
}

/// Chooses the headings among the candidates. The `§` forms are taken when the text has at
/// least two of them (numbers rising: a "§ 4" after "§ 12" is a reference); otherwise the weaker
/// forms — an organ prefix, `N.` or a bare number — must form a chain, each number a little
/// above the last and the same organ prefix throughout, so that lists and amounts are not taken.
fn choose(cands: Vec<Candidate>) -> Vec<Candidate> {
    let strong = cands.iter().filter(|c| c.marker.strong()).count();
    let mut out: Vec<Candidate> = Vec::new();
    if strong >= 2 {
        // The longest rising run: a "§ 14" in an attendance note before "§ 12, § 13, § 14" is
        // not the first heading, and a reference back ("§ 4" after "§ 12") is none.
        let strong: Vec<Candidate> = cands.into_iter().filter(|c| c.marker.strong()).collect();
        for k in longest_rising(&strong.iter().map(|c| c.number).collect::<Vec<_>>()) {
            out.push(Candidate {
                i: strong[k].i,
                number: strong[k].number,
                rest: strong[k].rest.clone(),
                marker: strong[k].marker,
                prefix: strong[k].prefix.clone(),
            });
        }
        return out;
    }
    // The weak form that makes the longest chain wins.
    let mut best: Vec<Candidate> = Vec::new();
    let kinds: Vec<(Marker, Option<String>)> = {
        let mut k: Vec<(Marker, Option<String>)> = Vec::new();
        for c in &cands {
            let key = (c.marker, c.prefix.clone());
            if !k.contains(&key) {
                k.push(key);
            }
        }
        k
    };
    for (marker, prefix) in kinds {
        let same: Vec<&Candidate> = cands
            .iter()
            .filter(|c| c.marker == marker && c.prefix == prefix)
            .collect();
        // The longest chain from any start: a page number "1" before "99, 100, 101" is no start.
        let mut chain: Vec<&Candidate> = Vec::new();
        for start in 0..same.len() {
            let mut this: Vec<&Candidate> = vec![same[start]];
            for c in &same[start + 1..] {
                let fits = this
                    .last()
                    .is_some_and(|h| c.number > h.number && c.number <= h.number + 3);
                if fits {
                    this.push(c);
                }
            }
            if this.len() > chain.len() {
                chain = this;
            }
        }
        let usable = chain.len() >= 2 || (chain.len() == 1 && marker != Marker::Bare);
        if usable && chain.len() > best.len() {
            best = chain
                .into_iter()
                .map(|c| Candidate {
                    i: c.i,
                    number: c.number,
                    rest: c.rest.clone(),
                    marker: c.marker,
                    prefix: c.prefix.clone(),
                })
                .collect();
        }
    }
    best
}

/// The indices of the longest strictly rising subsequence of `numbers` (the earliest such run
/// when there are several of one length).
fn longest_rising(numbers: &[u32]) -> Vec<usize> {
    let n = numbers.len();
    let mut len = vec![1usize; n];
    let mut prev: Vec<Option<usize>> = vec![None; n];
    for i in 0..n {
        for j in 0..i {
            if numbers[j] < numbers[i] && len[j] + 1 > len[i] {
                len[i] = len[j] + 1;
                prev[i] = Some(j);
            }
        }
    }
    let Some(mut at) = (0..n).max_by_key(|&i| (len[i], std::cmp::Reverse(i))) else {
        return Vec::new();
    };
    let mut out = vec![at];
    while let Some(p) = prev[at] {
        out.push(p);
        at = p;
    }
    out.reverse();
    out
}

/// Finds the § headings in every marker form; a table of contents is skipped (its entries are
/// never headings) and its titles fill a heading that has none.
pub fn find_headings(lines: &[Line]) -> Vec<Heading> {
    let all = candidates(lines);
    let toc: Vec<usize> = all
        .iter()
        .enumerate()
        .filter(|(k, c)| is_toc_entry(lines, c, all.get(k + 1)))
        .map(|(_, c)| c.i)
        .collect();
    let toc_titles: Vec<(u32, String)> = all
        .iter()
        .filter(|c| toc.contains(&c.i))
        .map(|c| (c.number, toc_title(&c.rest)))
        .collect();
    let body: Vec<Candidate> = all.into_iter().filter(|c| !toc.contains(&c.i)).collect();
    let chosen = choose(body);
    let mut out: Vec<Heading> = Vec::new();
    for (k, c) in chosen.iter().enumerate() {
        let i = c.i;
        let limit = chosen.get(k + 1).map_or(lines.len(), |n| n.i);
        let mut idx = i + 1;
        // A second column on the heading line is the start of the body, not the title.
        let (mut raw, mut tail) = match GAP.splitn(c.rest.trim(), 2).collect::<Vec<_>>()[..] {
            [a, b] if !a.trim().is_empty() => (a.trim().to_string(), Some(squash(b))),
            _ => (c.rest.trim().to_string(), None),
        };
        // "§ 31        Dnr 2023/14": the diary number of the second column is no title.
        if DNR.is_match(&raw) {
            tail = None;
            raw.clear();
        }
        if raw.is_empty() {
            // "§ 67" alone: the title is the next non-blank line that reads as a title (a "Dnr"
            // line of the second column is skipped), if it is not a heading itself.
            let mut j = i + 1;
            while j < limit.min(i + 6) {
                let t = lines[j].trimmed();
                if lines[j].is_blank() || DNR.is_match(t) {
                    j += 1;
                    continue;
                }
                let short = t.split_whitespace().count() <= 16;
                if !DECISION_LABEL.is_match(t) && short && t.starts_with(char::is_uppercase) {
                    raw = t.to_string();
                    idx = j + 1;
                }
                break;
            }
        }
        // A title wrapped onto the next line goes on in lower case, or is a short tail ("5.").
        while tail.is_none() && !ends_sentence(&raw) && !raw.contains("**") && idx < limit {
            let next = &lines[idx];
            let t = next.trimmed();
            let words = t.split_whitespace().count();
            let goes_on = t.starts_with(|c: char| c.is_lowercase())
                || (words <= 2 && t.starts_with(|c: char| c.is_ascii_digit()) && t.ends_with('.'));
            if next.is_blank() || !goes_on || is_heading(t) {
                break;
            }
            raw.push(' ');
            raw.push_str(t);
            idx += 1;
        }
        let (mut title, subtitle) = if raw.contains("**") {
            let pieces: Vec<String> = raw
                .split("**")
                .map(clean_title)
                .filter(|p| !p.is_empty())
                .collect();
            let mut it = pieces.into_iter();
            let title = it.next().unwrap_or_default();
            let rest: Vec<String> = it.collect();
            (title, (!rest.is_empty()).then(|| rest.join(" ")))
        } else {
            (clean_title(&raw), None)
        };
        if title.is_empty()
            && let Some((_, t)) = toc_titles.iter().find(|(n, _)| *n == c.number)
        {
            title = t.clone();
        }
        out.push(Heading {
            number: c.number,
            title,
            idx: i,
            body_start: idx,
            line: lines[i].no,
            subtitle,
            marker: c.marker,
            tail,
        });
    }
    out
}

struct Builder {
    parts: Vec<Part>,
    cur: Part,
}

impl Builder {
    fn close(&mut self, next: Part) {
        let done = std::mem::replace(&mut self.cur, next);
        let keep = done.has_text()
            || done.kind == Kind::Bilaga
            || (done.kind == Kind::Beslut && done.argument.is_some());
        if keep {
            self.parts.push(done);
        }
    }

    fn push(&mut self, l: &Line) {
        if l.is_blank() && !self.cur.has_text() {
            return;
        }
        self.cur.lines.push(l.clone());
    }

    /// Removes the part's last paragraph if it is a single title-like line, for an annex whose
    /// title stands before the word "Bilaga". A decision keeps at least one paragraph.
    fn take_title_before(&mut self) -> Option<String> {
        let min_paragraphs = if self.cur.kind == Kind::Beslut { 2 } else { 1 };
        let paras = paragraphs(&self.cur.lines);
        let last = paras.last()?;
        if paras.len() < min_paragraphs
            || last.len() != 1
            || ends_sentence(&last[0].text)
            || last[0].text.split_whitespace().count() > 12
            || !matches!(self.cur.kind, Kind::Text | Kind::Beslut)
        {
            return None;
        }
        let title = squash(&last[0].text);
        let no = last[0].no;
        let pos = self.cur.lines.iter().rposition(|l| l.no == no)?;
        self.cur.lines.truncate(pos);
        while self.cur.lines.last().is_some_and(Line::is_blank) {
            self.cur.lines.pop();
        }
        Some(title)
    }
}

/// Splits text into sentences at ". " before a capital letter.
fn sentences(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let chars: Vec<char> = text.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        cur.push(c);
        let end = matches!(c, '.' | '!' | '?')
            && chars.get(i + 1).is_some_and(|n| *n == ' ')
            && chars.get(i + 2).is_some_and(|n| n.is_uppercase());
        if end {
            out.push(cur.trim().to_string());
            cur.clear();
        }
    }
    if !cur.trim().is_empty() {
        out.push(cur.trim().to_string());
    }
    out
}

fn line_like(no: usize, text: String) -> Line {
    Line {
        no,
        text,
        page_start: false,
    }
}

/// The parts of one § body.
pub fn parts(body: &[Line]) -> Vec<Part> {
    let first_no = body.iter().find(|l| !l.is_blank()).map_or(0, |l| l.no);
    let mut b = Builder {
        parts: Vec::new(),
        cur: Part::new(Kind::Text, None, first_no),
    };
    let mut pending_decision = false;
    let mut at_paragraph_start = true;
    let mut i = 0;
    while i < body.len() {
        let l = &body[i];
        let t = squash(&l.text);
        if l.is_blank() {
            b.push(l);
            at_paragraph_start = true;
            i += 1;
            continue;
        }
        if let Some(c) = DECISION_ID.captures(&t) {
            let id = match c.get(4) {
                Some(k) => format!("{}-{} §{}:{}", &c[1], &c[2], &c[3], k.as_str()),
                None => format!("{}-{} §{}", &c[1], &c[2], &c[3]),
            };
            b.close(Part::new(Kind::Beslut, Some(id), l.no));
            pending_decision = false;
            at_paragraph_start = true;
            i += 1;
            continue;
        }
        if DECISION_LABEL.is_match(&t) {
            b.close(Part::new(Kind::Beslut, None, l.no));
            pending_decision = false;
            at_paragraph_start = true;
            i += 1;
            continue;
        }
        // "Beslut: Direktionen godkänner …": the label and the decision on one line.
        if let Some(c) = DECISION_LABEL_INLINE.captures(&t) {
            b.close(Part::new(Kind::Beslut, None, l.no));
            b.push(&line_like(l.no, c[1].to_string()));
            pending_decision = false;
            at_paragraph_start = false;
            i += 1;
            continue;
        }
        if DECISION_INTRO.is_match(&t) {
            // "Styrelsen beslutade:" stays as text; what follows is the decision.
            if b.cur.kind != Kind::Text {
                b.close(Part::new(Kind::Text, None, l.no));
            }
            b.push(l);
            b.push(&line_like(l.no, String::new()));
            pending_decision = true;
            at_paragraph_start = true;
            i += 1;
            continue;
        }
        if tables::is_tab_row(&l.text) && b.cur.kind == Kind::Beslut {
            b.close(Part::new(Kind::Text, None, l.no));
        }
        if ANNEX_LABEL.is_match(&t) {
            let title = b.take_title_before().or_else(|| {
                let j = (i + 1..body.len()).find(|&j| !body[j].is_blank())?;
                let next = squash(&body[j].text);
                if tables::is_tab_row(&body[j].text)
                    || next.split_whitespace().count() > 20
                    || is_heading(&next)
                {
                    return None;
                }
                i = j;
                Some(next.trim_end_matches('.').to_string())
            });
            b.close(Part::new(
                Kind::Bilaga,
                Some(title.unwrap_or_else(|| "Bilaga".into())),
                l.no,
            ));
            pending_decision = false;
            at_paragraph_start = true;
            i += 1;
            continue;
        }
        if let Some(c) = ANNEX_LIST.captures(&t) {
            b.close(Part::new(Kind::Text, None, l.no));
            b.push(&line_like(l.no, format!("{}:", &c[1])));
            let mut listed = c[2].to_string();
            let mut j = i + 1;
            while j < body.len() && !body[j].is_blank() && !is_heading(&body[j].text) {
                listed.push(' ');
                listed.push_str(&squash(&body[j].text));
                j += 1;
            }
            b.close(Part::new(Kind::Text, None, l.no));
            for s in sentences(&squash(&listed)) {
                let title = s.trim_end_matches('.').trim().to_string();
                if !title.is_empty() {
                    b.parts.push(Part::new(Kind::Bilaga, Some(title), l.no));
                }
            }
            i = j;
            at_paragraph_start = true;
            continue;
        }
        if pending_decision {
            b.close(Part::new(Kind::Beslut, None, l.no));
            pending_decision = false;
        } else if at_paragraph_start && matches!(b.cur.kind, Kind::Text | Kind::Forslag) {
            if DECISION_INLINE.is_match(&t) {
                b.close(Part::new(Kind::Beslut, None, l.no));
            } else if b.cur.kind == Kind::Text && PROPOSAL_LABEL.is_match(&t) {
                b.close(Part::new(Kind::Forslag, None, l.no));
                at_paragraph_start = true;
                i += 1;
                continue;
            } else if b.cur.kind == Kind::Text && PROPOSAL_INLINE.is_match(&t) {
                b.close(Part::new(Kind::Forslag, None, l.no));
            }
        }
        b.push(l);
        at_paragraph_start = false;
        i += 1;
    }
    b.close(Part::new(Kind::Text, None, 0));
    let mut parts = b.parts;
    for p in &mut parts {
        while p.lines.last().is_some_and(Line::is_blank) {
            p.lines.pop();
        }
    }
    let parts = split_reservations(parts);
    mark_implicit_decision(parts)
}

/// Moves each sentence saying that someone "reserverade sig" into a reservation block, with the
/// names before it as the block's argument.
fn split_reservations(parts: Vec<Part>) -> Vec<Part> {
    let mut out = Vec::new();
    for p in parts {
        if p.kind != Kind::Text || !RESERVATION.is_match(&p.plain()) {
            out.push(p);
            continue;
        }
        let mut text = Part::new(Kind::Text, None, p.line);
        for para in paragraphs(&p.lines) {
            let joined = join(para);
            if !RESERVATION.is_match(&joined) {
                text.lines.extend(para.iter().cloned());
                text.lines.push(line_like(para[0].no, String::new()));
                continue;
            }
            let no = para[0].no;
            let mut before = Vec::new();
            for s in sentences(&joined) {
                if let Some(m) = RESERVATION.find(&s) {
                    if !before.is_empty() {
                        text.lines.push(line_like(no, before.join(" ")));
                        text.lines.push(line_like(no, String::new()));
                        before.clear();
                    }
                    let names: Vec<String> = s[..m.start()]
                        .split([','])
                        .flat_map(|x| x.split(" och "))
                        .map(|x| x.trim().to_string())
                        .filter(|x| NAME.is_match(x))
                        .collect();
                    if text.has_text() {
                        out.push(std::mem::replace(
                            &mut text,
                            Part::new(Kind::Text, None, no),
                        ));
                    }
                    let mut r = Part::new(
                        Kind::Reservation,
                        (!names.is_empty()).then(|| names.join(", ")),
                        no,
                    );
                    r.lines.push(line_like(no, s.clone()));
                    out.push(r);
                } else {
                    before.push(s);
                }
            }
            if !before.is_empty() {
                text.lines.push(line_like(no, before.join(" ")));
                text.lines.push(line_like(no, String::new()));
            }
        }
        while text.lines.last().is_some_and(Line::is_blank) {
            text.lines.pop();
        }
        if text.has_text() {
            out.push(text);
        }
    }
    out
}

/// A § without any marked decision whose whole text is one short sentence worded as a decision
/// ("Styrelsen godkände dagordningen.", "Reino Persson utses att … justera"): that sentence is the
/// decision. Flagged as implicit so the report asks for a review.
fn mark_implicit_decision(mut parts: Vec<Part>) -> Vec<Part> {
    if parts
        .iter()
        .any(|p| matches!(p.kind, Kind::Beslut | Kind::Forslag))
    {
        return parts;
    }
    let texts: Vec<usize> = (0..parts.len())
        .filter(|&i| parts[i].kind == Kind::Text)
        .collect();
    if texts.len() != 1 {
        return parts;
    }
    let p = &parts[texts[0]];
    let paras = paragraphs(&p.lines);
    if paras.len() != 1 {
        return parts;
    }
    let text = join(paras[0]);
    let s = sentences(&text);
    if s.len() > 2 {
        return parts;
    }
    let first = &s[0];
    let passive = IMPLICIT_PASSIVE.find(first).is_some_and(|m| {
        !first[..m.start()].contains(" som ") && !first[..m.start()].contains(',')
    });
    if IMPLICIT_ACTIVE.is_match(first) || passive {
        let p = &mut parts[texts[0]];
        p.kind = Kind::Beslut;
        p.implicit = true;
    }
    parts
}

/// Whether a line reads like a title (for plans and annex titles).
pub fn title_like(s: &str) -> bool {
    heading_like(s)
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_longest_rising_run_of_markers_wins() {
        // A "§ 14" in an attendance note before the real §§ 12-15.
        assert_eq!(
            super::longest_rising(&[14, 12, 13, 14, 15]),
            vec![1, 2, 3, 4]
        );
        // A reference back is no heading.
        assert_eq!(super::longest_rising(&[12, 13, 4, 14]), vec![0, 1, 3]);
        assert!(super::longest_rising(&[]).is_empty());
    }

    use super::*;
    use crate::import::lines::split;

    fn kinds(parts: &[Part]) -> Vec<(Kind, Option<String>, String)> {
        parts
            .iter()
            .map(|p| (p.kind, p.argument.clone(), p.plain()))
            .collect()
    }

    fn numbers_titles(text: &str) -> Vec<(u32, String)> {
        find_headings(&split(text))
            .into_iter()
            .map(|h| (h.number, h.title))
            .collect()
    }

    #[test]
    fn marker_forms_beyond_the_section_sign() {
        let want = |a: &str, b: &str| vec![(41, a.to_string()), (42, b.to_string())];
        assert_eq!(
            numbers_titles("41 § Val av justerare\n\nText.\n\n42 § Ekonomi\n\nText.\n"),
            want("Val av justerare", "Ekonomi")
        );
        assert_eq!(
            numbers_titles("Ks 41 Val av justerare\n\nText.\n\nKs 42 Ekonomi\n\nText.\n"),
            want("Val av justerare", "Ekonomi")
        );
        assert_eq!(
            numbers_titles("KF § 41 Val av justerare\n\nText.\n\nKF § 42 Ekonomi\n"),
            want("Val av justerare", "Ekonomi")
        );
        // The § glyph dropped: bare rising numbers, but not a list or an amount inside a body.
        assert_eq!(
            numbers_titles(
                "41. Val av justerare\n\n1. Ett\n2. Två\n\n42. Ekonomi\n\n2024 Budgeten ökar.\n"
            ),
            want("Val av justerare", "Ekonomi")
        );
        assert_eq!(
            numbers_titles("41 Val av justerare\n\nText här.\n\n42 Ekonomi\n\nText.\n"),
            want("Val av justerare", "Ekonomi")
        );
    }

    #[test]
    fn a_table_of_contents_is_not_copied_as_titles() {
        let text = "Innehållsförteckning\n§ 41 Val av justerare ........ 3\n§ 42 Ekonomi ...... 4\n\n§ 41\n\nVal av justerare\n\nText.\n\n§ 42 Ekonomi\n\nText.\n";
        assert_eq!(
            numbers_titles(text),
            vec![(41, "Val av justerare".into()), (42, "Ekonomi".into())]
        );
        assert_eq!(toc_entries(&split(text)).len(), 2);
    }

    #[test]
    fn a_second_column_on_the_heading_line_is_body_text() {
        let h = find_headings(&split(
            "§ 7 Ekonomisk rapport        Förbundschefen redovisar utfallet.\n\n§ 8 Avslut\n",
        ));
        assert_eq!(h[0].title, "Ekonomisk rapport");
        assert_eq!(
            h[0].tail.as_deref(),
            Some("Förbundschefen redovisar utfallet.")
        );
    }

    #[test]
    fn headings_in_every_form() {
        let lines = split(
            "§ 12 Mötets öppnande.\n\ntext\n\n§ 21 Förslag till dialog mellan styrelse och utvecklingsgrupp\ngällande verksamhetsplan 2026.\n\n§ 67\n\nMötets öppnande.\n\n§ 70 **Godkännande av dagordning.**\n§ 77 Förbundschefen informerar.**Besked angående inställt medlemssamråd.**\n§ 78 Förslag om lokaler på Skolgatan\n5.\n§ 4 hänvisning\n",
        );
        let h = find_headings(&lines);
        let got: Vec<(u32, &str)> = h.iter().map(|h| (h.number, h.title.as_str())).collect();
        assert_eq!(
            got,
            vec![
                (12, "Mötets öppnande"),
                (
                    21,
                    "Förslag till dialog mellan styrelse och utvecklingsgrupp gällande verksamhetsplan 2026"
                ),
                (67, "Mötets öppnande"),
                (70, "Godkännande av dagordning"),
                (77, "Förbundschefen informerar"),
                (78, "Förslag om lokaler på Skolgatan 5"),
            ]
        );
        assert_eq!(
            h[4].subtitle.as_deref(),
            Some("Besked angående inställt medlemssamråd")
        );
    }

    #[test]
    fn a_decision_label_with_its_text_on_one_line() {
        let p = parts(&split(
            "Utfallet redovisades.\nBeslut: Direktionen godkänner uppföljningen.\n",
        ));
        assert_eq!(
            kinds(&p),
            vec![
                (Kind::Text, None, "Utfallet redovisades.".into()),
                (
                    Kind::Beslut,
                    None,
                    "Direktionen godkänner uppföljningen.".into()
                )
            ]
        );
    }

    #[test]
    fn decisions_proposals_and_annexes() {
        let body = split(
            "Förslag till dagordning föreligger.\n\nBeslut.\nStyrelsen beslutar att godkänna\ndagordningen.\n\nFörbundschefen får i uppdrag att skicka ut en inbjudan.\n\n\n\nBudget 2021\n\nBilaga\n\n\tBudget 2021\nIntäkter\t3 084 000 kr\n",
        );
        let p = parts(&body);
        assert_eq!(
            kinds(&p),
            vec![
                (Kind::Text, None, "Förslag till dagordning föreligger.".into()),
                (Kind::Beslut, None, "Styrelsen beslutar att godkänna dagordningen. Förbundschefen får i uppdrag att skicka ut en inbjudan.".into()),
                (Kind::Bilaga, Some("Budget 2021".into()), "Budget 2021 Intäkter 3 084 000 kr".into()),
            ]
        );
    }

    #[test]
    fn decision_ids_and_reservations() {
        let body = split(
            "Några ledamöter invände mot förstudien. Eva Johnsson, Therese Seefried och Karin Blomdahl\nreserverade sig mot besluten nedan.\nStyrelsen beslutade:\nBeslut 2025-3 §14:1\nAtt bevilja 450 000 kronor.\n\nBeslut 2025-3 §14:2\nAtt rapportera.\n",
        );
        let p = parts(&body);
        let k = kinds(&p);
        assert_eq!(
            k[0],
            (
                Kind::Text,
                None,
                "Några ledamöter invände mot förstudien.".into()
            )
        );
        assert_eq!(k[1].0, Kind::Reservation);
        assert_eq!(
            k[1].1.as_deref(),
            Some("Eva Johnsson, Therese Seefried, Karin Blomdahl")
        );
        assert_eq!(k[2], (Kind::Text, None, "Styrelsen beslutade:".into()));
        assert_eq!(
            k[3],
            (
                Kind::Beslut,
                Some("2025-3 §14:1".into()),
                "Att bevilja 450 000 kronor.".into()
            )
        );
        assert_eq!(
            k[4],
            (
                Kind::Beslut,
                Some("2025-3 §14:2".into()),
                "Att rapportera.".into()
            )
        );
    }

    #[test]
    fn implicit_decisions_only_for_a_lone_decision_sentence() {
        let p = parts(&split("Styrelsen godkände dagordningen.\n"));
        assert!(p[0].kind == Kind::Beslut && p[0].implicit);
        let p = parts(&split(
            "Föregående mötes protokoll lades till handlingarna.\n",
        ));
        assert_eq!(p[0].kind, Kind::Beslut);
        let p = parts(&split(
            "Ordförande Ingrid Hermansson förklarade mötet öppnat.\n",
        ));
        assert_eq!(p[0].kind, Kind::Text);
        let p = parts(&split(
            "Förbundschefen slutredovisade intern kontrollplan 2024, som lades till handlingarna.\n",
        ));
        assert_eq!(p[0].kind, Kind::Text);
    }

    #[test]
    fn a_proposal_runs_until_the_decision() {
        let p = parts(&split(
            "Bakgrund.\n\nFörbundschefens förslag är att styrelsen träffas.\n\nDenna halvdag blir underlag.\n\nBeslut.\nStyrelsen beslutar att godkänna förslaget.\n",
        ));
        let k: Vec<Kind> = p.iter().map(|p| p.kind).collect();
        assert_eq!(k, vec![Kind::Text, Kind::Forslag, Kind::Beslut]);
    }
}
