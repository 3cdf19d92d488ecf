//! The content model: what a förbund, a protocol and a plan are, independent of files and pages.
//!
//! Everything here is already validated: the loader (`crate::load`) turns files into these types or
//! reports why it cannot. Source positions are kept where a later check must point at a field.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::path::PathBuf;

/// A position in a content file, for diagnostics (1-based line and column).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Pos {
    pub line: usize,
    pub column: usize,
}

/// A value together with where it was written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Located<T> {
    pub value: T,
    pub pos: Pos,
}

/// The whole archive: every förbund with its documents, sorted by slug.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Archive {
    pub forbund: Vec<Forbund>,
}

impl Archive {
    pub fn find(&self, slug: &str) -> Option<&Forbund> {
        self.forbund.iter().find(|f| f.slug == slug)
    }

    pub fn protocols(&self) -> impl Iterator<Item = (&Forbund, &Protocol)> {
        self.forbund
            .iter()
            .flat_map(|f| f.protocols.iter().map(move |p| (f, p)))
    }

    pub fn plans(&self) -> impl Iterator<Item = (&Forbund, &Plan)> {
        self.forbund
            .iter()
            .flat_map(|f| f.plans.iter().map(move |p| (f, p)))
    }
}

/// The kind of a member organisation (2003:1210 4 §: Försäkringskassan, Arbetsförmedlingen,
/// regions and kommuner).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MemberKind {
    Kommun,
    Region,
    Forsakringskassan,
    Arbetsformedlingen,
}

impl MemberKind {
    pub fn label(self) -> &'static str {
        match self {
            MemberKind::Kommun => "kommun",
            MemberKind::Region => "region",
            MemberKind::Forsakringskassan => "Försäkringskassan",
            MemberKind::Arbetsformedlingen => "Arbetsförmedlingen",
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Member {
    pub name: String,
    pub kind: MemberKind,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NoticeBoard {
    pub name: String,
    pub url: Option<String>,
}

/// A samordningsförbund and its documents.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Forbund {
    pub slug: String,
    pub name: String,
    pub short_name: String,
    pub org_number: Option<String>,
    pub seat: String,
    pub homepage: Option<String>,
    /// Markdown, as written.
    pub description: Option<String>,
    pub members: Vec<Member>,
    pub notice_boards: Vec<NoticeBoard>,
    /// Planned board meetings (`moten:`), in date order: the calendar of coming meetings.
    pub meetings: Vec<PlannedMeeting>,
    /// Protocols whose meeting is more than this many years before the build day ask search
    /// engines not to index them (`noindex_efter_ar:`), a privacy setting.
    pub noindex_after_years: Option<u32>,
    pub source: PathBuf,
    /// Newest first.
    pub protocols: Vec<Protocol>,
    /// Newest first.
    pub plans: Vec<Plan>,
}

/// A board meeting announced in the förbund profile (`moten:`), held or to be held.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PlannedMeeting {
    pub date: Located<NaiveDate>,
    /// `TT:MM`, Swedish local time.
    pub start_time: Option<String>,
    pub end_time: Option<String>,
    pub place: Option<String>,
    /// The body that meets; `Styrelsen` unless the profile says otherwise.
    pub organ: String,
}

/// One person in a protocol, in the role they had at the meeting.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Person {
    pub name: String,
    pub role: String,
    /// A position held, e.g. "ordförande".
    pub assignment: Option<String>,
    pub organisation: Option<String>,
    pub party: Option<String>,
}

/// Attendance by role, as the protocol header lists it.
#[derive(Debug, Clone, Serialize, Deserialize, Default)]
pub struct Attendance {
    pub voting: Vec<Person>,
    pub serving_substitutes: Vec<Person>,
    pub substitutes: Vec<Person>,
    pub others: Vec<Person>,
    pub absent: Vec<Person>,
}

impl Attendance {
    pub fn is_empty(&self) -> bool {
        self.voting.is_empty()
            && self.serving_substitutes.is_empty()
            && self.substitutes.is_empty()
            && self.others.is_empty()
            && self.absent.is_empty()
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Justering {
    pub date: Located<NaiveDate>,
    pub method: Option<String>,
    pub place: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Signatory {
    pub role: String,
    pub name: String,
}

/// One posting of the justering on one notice board (KL 8:12).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Notice {
    pub board: String,
    pub posted: Located<NaiveDate>,
    pub removed: Option<Located<NaiveDate>>,
    pub certified_by: Option<String>,
}

/// A range list of § numbers such as "12-27" or "1-3, 5".
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ParagraphRanges {
    pub text: String,
    pub ranges: Vec<(u32, u32)>,
    pub pos: Pos,
}

impl ParagraphRanges {
    pub fn numbers(&self) -> Vec<u32> {
        self.ranges.iter().flat_map(|&(a, b)| a..=b).collect()
    }
}

/// A meeting's minutes.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Protocol {
    /// The file stem: `2025-03-11` or `2025-03-11-revisorerna`; the URL segment.
    pub id: String,
    pub organ: String,
    pub number: Option<u32>,
    pub date: Located<NaiveDate>,
    pub start_time: Option<String>,
    pub end_time: Option<String>,
    pub place: Option<String>,
    pub attendance: Attendance,
    pub justering: Option<Justering>,
    pub justerande_paragrafer: Option<ParagraphRanges>,
    pub signatories: Vec<Signatory>,
    pub storage_place: Option<String>,
    pub notices: Vec<Notice>,
    pub signature_checksum: Option<String>,
    /// Markdown before the first §.
    pub introduction: Option<String>,
    pub paragraphs: Vec<Paragraph>,
    /// The signed original and the annexes: files beside the protocol, published with it.
    pub attachments: Vec<Attachment>,
    pub source: PathBuf,
    /// Position of the front matter's first key, for findings about missing fields.
    pub front_matter_pos: Pos,
}

impl Protocol {
    pub fn year(&self) -> i32 {
        use chrono::Datelike;
        self.date.value.year()
    }

    pub fn decision_count(&self) -> usize {
        self.paragraphs.iter().map(|p| p.decisions().count()).sum()
    }
}

/// A file published beside a protocol: its signed original (a PDF with the protocol's name, or
/// the one `original:` names) or an annex listed under `bilagor:`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Attachment {
    /// The file's name, also the last segment of its address.
    pub file_name: String,
    /// "Originalprotokollet" or the annex's title.
    pub title: String,
    /// The signed original rather than an annex.
    pub original: bool,
    /// The § an annex belongs to.
    pub paragraph: Option<u32>,
    pub bytes: u64,
    pub path: PathBuf,
    /// Where the file is named in the front matter (line 1 for the original by convention).
    pub pos: Pos,
}

impl Attachment {
    /// The size as a reader sees it beside the link: "PDF, 182 kB".
    pub fn size_text(&self) -> String {
        let kind = std::path::Path::new(&self.file_name)
            .extension()
            .map(|e| e.to_string_lossy().to_uppercase())
            .unwrap_or_else(|| "fil".into());
        format!("{kind}, {}", crate::sv::file_size(self.bytes))
    }
}

/// An agenda item: `## § N Titel`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Paragraph {
    pub number: u32,
    pub title: String,
    pub parts: Vec<Part>,
    pub pos: Pos,
}

impl Paragraph {
    pub fn anchor(&self) -> String {
        format!("p{}", self.number)
    }

    pub fn decisions(&self) -> impl Iterator<Item = &Block> {
        self.parts.iter().filter_map(|p| match p {
            Part::Block(b) if b.kind == BlockKind::Beslut => Some(b),
            _ => None,
        })
    }
}

/// A piece of a paragraph: free text or one of the marked blocks.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "typ", rename_all = "lowercase")]
pub enum Part {
    Text { markdown: String },
    Block(Block),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BlockKind {
    Forslag,
    Beslut,
    Reservation,
    Bilaga,
}

impl BlockKind {
    pub fn parse(word: &str) -> Option<BlockKind> {
        match word.to_lowercase().as_str() {
            "förslag" | "forslag" => Some(BlockKind::Forslag),
            "beslut" => Some(BlockKind::Beslut),
            "reservation" => Some(BlockKind::Reservation),
            "bilaga" => Some(BlockKind::Bilaga),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            BlockKind::Forslag => "Förslag till beslut",
            BlockKind::Beslut => "Beslut",
            BlockKind::Reservation => "Reservation",
            BlockKind::Bilaga => "Bilaga",
        }
    }

    pub fn css_class(self) -> &'static str {
        match self {
            BlockKind::Forslag => "forslag",
            BlockKind::Beslut => "beslut",
            BlockKind::Reservation => "reservation",
            BlockKind::Bilaga => "bilaga",
        }
    }
}

/// A marked block (`::: beslut 2025-3 §14:2`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Block {
    pub kind: BlockKind,
    /// Decision id, reserving names or annex title, depending on the kind.
    pub argument: Option<String>,
    pub markdown: String,
    pub pos: Pos,
}

/// The meeting that adopted a plan.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Adoption {
    pub date: Located<NaiveDate>,
    pub organ: Option<String>,
    pub paragraph: Option<u32>,
}

/// A verksamhetsplan och budget.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Plan {
    /// The file stem, e.g. `2020`; the URL segment.
    pub id: String,
    pub title: String,
    pub year: Located<i32>,
    pub adopted: Option<Adoption>,
    /// Markdown before the first section.
    pub introduction: Option<String>,
    pub sections: Vec<Section>,
    pub source: PathBuf,
}

/// A `## ` section of a plan.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Section {
    pub anchor: String,
    pub title: String,
    pub markdown: String,
    pub pos: Pos,
}
