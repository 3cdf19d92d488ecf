//! Views: what the templates see. Built from the model with Swedish labels and dates already
//! formatted, so that templates stay simple and a site's own templates cannot get a date wrong.

use super::tables::tables;
use super::urls::Urls;
use crate::anslag::calendar::MONTH_NAMES as MONTHS;
use crate::anslag::{LegalDates, NoticeStatus};
use crate::markdown;
use crate::model::*;
use chrono::{Datelike, NaiveDate};
use serde::Serialize;

/// "11 mars 2025".
pub fn date_text(d: NaiveDate) -> String {
    format!("{} {} {}", d.day(), MONTHS[d.month0() as usize], d.year())
}

#[derive(Debug, Clone, Serialize)]
pub struct DateView {
    /// ISO 8601, for `<time datetime>` and scripts.
    pub iso: String,
    pub text: String,
    /// "tisdag 11 mars 2025".
    pub long: String,
}

impl From<NaiveDate> for DateView {
    fn from(d: NaiveDate) -> Self {
        DateView {
            iso: d.format("%Y-%m-%d").to_string(),
            text: date_text(d),
            long: format!(
                "{} {}",
                crate::anslag::calendar::weekday_name(d.weekday()),
                date_text(d)
            ),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Link {
    pub name: String,
    pub url: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ForbundRef {
    pub slug: String,
    pub name: String,
    pub short_name: String,
    pub url: String,
    pub anslagstavla_url: String,
    pub seat: String,
}

impl ForbundRef {
    pub fn of(f: &Forbund, urls: &Urls) -> Self {
        ForbundRef {
            slug: f.slug.clone(),
            name: f.name.clone(),
            short_name: f.short_name.clone(),
            url: urls.forbund(&f.slug),
            anslagstavla_url: urls.forbund_anslagstavla(&f.slug),
            seat: f.seat.clone(),
        }
    }
}

/// A protocol or plan in a list.
#[derive(Debug, Clone, Serialize)]
pub struct DocumentItem {
    pub kind: &'static str,
    pub title: String,
    pub url: String,
    pub date: Option<DateView>,
    pub year: i32,
    pub forbund: ForbundRef,
    pub paragraphs: usize,
    pub decisions: usize,
    pub last_appeal: Option<DateView>,
}

pub fn protocol_title(p: &Protocol) -> String {
    match p.number {
        Some(n) => format!("{} {}, protokoll nr {n}", p.organ, date_text(p.date.value)),
        None => format!("{} {}, protokoll", p.organ, date_text(p.date.value)),
    }
}

pub fn protocol_item(f: &Forbund, p: &Protocol, urls: &Urls) -> DocumentItem {
    let legal = LegalDates::of(p);
    DocumentItem {
        kind: "protokoll",
        title: protocol_title(p),
        url: urls.protocol(&f.slug, &p.id),
        date: Some(p.date.value.into()),
        year: p.year(),
        forbund: ForbundRef::of(f, urls),
        paragraphs: p.paragraphs.len(),
        decisions: p.decision_count(),
        last_appeal: legal.last_appeal_day().map(Into::into),
    }
}

pub fn plan_item(f: &Forbund, p: &Plan, urls: &Urls) -> DocumentItem {
    DocumentItem {
        kind: "plan",
        title: p.title.clone(),
        url: urls.plan(&f.slug, &p.id),
        date: p.adopted.as_ref().map(|a| a.date.value.into()),
        year: p.year.value,
        forbund: ForbundRef::of(f, urls),
        paragraphs: p.sections.len(),
        decisions: 0,
        last_appeal: None,
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct YearGroup {
    pub year: i32,
    pub url: String,
    pub items: Vec<DocumentItem>,
}

/// Groups documents by year, newest year first, keeping the given order within a year.
pub fn by_year(items: Vec<DocumentItem>, url: impl Fn(i32) -> String) -> Vec<YearGroup> {
    let mut groups: Vec<YearGroup> = Vec::new();
    let mut sorted = items;
    sorted.sort_by_key(|i| std::cmp::Reverse(i.year));
    for item in sorted {
        match groups.last_mut() {
            Some(g) if g.year == item.year => g.items.push(item),
            _ => groups.push(YearGroup {
                year: item.year,
                url: url(item.year),
                items: vec![item],
            }),
        }
    }
    groups
}

#[derive(Debug, Clone, Serialize)]
pub struct PersonView {
    pub name: String,
    /// "ledamot, ordförande, Försäkringskassan (S)".
    pub details: String,
}

fn person_view(p: &Person) -> PersonView {
    let mut details = p.role.clone();
    if let Some(a) = &p.assignment {
        details.push_str(&format!(", {a}"));
    }
    if let Some(o) = &p.organisation {
        details.push_str(&format!(", {o}"));
    }
    if let Some(party) = &p.party {
        details.push_str(&format!(" ({party})"));
    }
    PersonView {
        name: p.name.clone(),
        details,
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct AttendanceGroup {
    pub label: &'static str,
    pub people: Vec<PersonView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct NoticeView {
    pub board: String,
    pub posted: DateView,
    pub removed: Option<DateView>,
    pub certified_by: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct LegalView {
    pub justering_deadline: DateView,
    pub posting_deadline: Option<DateView>,
    /// "fristen föll på söndag 2020-11-29 och flyttades till måndag 2020-11-30".
    pub posting_deadline_moved: Option<String>,
    pub latest_posting: Option<DateView>,
    pub last_appeal: Option<DateView>,
    pub last_appeal_moved: Option<String>,
    pub several_boards: bool,
    /// "pågår", "löpt ut", "ej uppsatt", "saknas".
    pub status: &'static str,
    pub status_text: String,
}

pub fn status_words(status: NoticeStatus) -> (&'static str, String) {
    match status {
        NoticeStatus::NoNotice => ("saknas", "Uppgift om anslag saknas.".into()),
        NoticeStatus::NotYetPosted => ("kommande", "Anslaget har ännu inte satts upp.".into()),
        NoticeStatus::Up { days_left: 0 } => {
            ("pagar", "Sista dagen att överklaga är i dag.".into())
        }
        NoticeStatus::Up { days_left: 1 } => ("pagar", "1 dag kvar att överklaga.".into()),
        NoticeStatus::Up { days_left } => {
            ("pagar", format!("{days_left} dagar kvar att överklaga."))
        }
        NoticeStatus::Expired { .. } => ("utgangen", "Tiden för överklagande har löpt ut.".into()),
    }
}

pub fn legal_view(legal: &LegalDates, today: NaiveDate) -> LegalView {
    let (status, status_text) = status_words(legal.status_on(today));
    LegalView {
        justering_deadline: legal.justering_deadline.into(),
        posting_deadline: legal.posting_deadline.as_ref().map(|m| m.result.into()),
        posting_deadline_moved: legal.posting_deadline.as_ref().and_then(|m| m.explain()),
        latest_posting: legal.latest_posting.map(Into::into),
        last_appeal: legal.last_appeal_day().map(Into::into),
        last_appeal_moved: legal.last_appeal.as_ref().and_then(|m| m.explain()),
        several_boards: legal.several_boards,
        status,
        status_text,
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct PartView {
    /// "text", "forslag", "beslut", "reservation" or "bilaga".
    pub kind: &'static str,
    pub label: &'static str,
    pub argument: Option<String>,
    pub html: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ParagraphView {
    pub number: u32,
    pub anchor: String,
    pub title: String,
    pub parts: Vec<PartView>,
    pub decisions: usize,
    /// The annexes that name this §.
    pub attachments: Vec<AttachmentView>,
}

/// A file published beside a protocol, as linked from its page.
#[derive(Debug, Clone, Serialize)]
pub struct AttachmentView {
    pub url: String,
    pub title: String,
    pub file_name: String,
    /// "PDF, 182 kB".
    pub size: String,
    pub paragraph: Option<u32>,
}

pub fn attachment_view(f: &Forbund, p: &Protocol, a: &Attachment, urls: &Urls) -> AttachmentView {
    AttachmentView {
        url: format!("{}{}", urls.protocol(&f.slug, &p.id), a.file_name),
        title: a.title.clone(),
        file_name: a.file_name.clone(),
        size: a.size_text(),
        paragraph: a.paragraph,
    }
}

fn paragraph_view(p: &Paragraph) -> ParagraphView {
    let anchor = p.anchor();
    let scope = format!("§ {}", p.number);
    ParagraphView {
        number: p.number,
        anchor: p.anchor(),
        title: p.title.clone(),
        decisions: p.decisions().count(),
        attachments: Vec::new(),
        parts: p
            .parts
            .iter()
            .enumerate()
            .map(|(i, part)| match part {
                Part::Text { markdown } => PartView {
                    kind: "text",
                    label: "",
                    argument: None,
                    html: tables(
                        &markdown::to_html_scoped(markdown, 3, &format!("{anchor}-{i}")),
                        &scope,
                    ),
                },
                Part::Block(b) => PartView {
                    kind: b.kind.css_class(),
                    label: b.kind.label(),
                    argument: b.argument.clone(),
                    html: tables(
                        &markdown::to_html_scoped(&b.markdown, 4, &format!("{anchor}-{i}")),
                        &scope,
                    ),
                },
            })
            .collect(),
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct ProtocolView {
    pub title: String,
    pub forbund: ForbundRef,
    pub url: String,
    pub organ: String,
    pub number: Option<u32>,
    pub date: DateView,
    pub time: Option<String>,
    pub place: Option<String>,
    pub attendance: Vec<AttendanceGroup>,
    pub justering: Option<JusteringView>,
    pub justerande_paragrafer: Option<String>,
    pub signatories: Vec<SignatoryView>,
    pub storage_place: Option<String>,
    pub notices: Vec<NoticeView>,
    pub signature_checksum: Option<String>,
    pub legal: LegalView,
    pub introduction: Option<String>,
    pub paragraphs: Vec<ParagraphView>,
    pub decisions: usize,
    /// The court that hears an appeal, from the förbund's säte (none when the säte names no kommun).
    pub court: Option<CourtView>,
    /// The signed original published beside the protocol.
    pub original: Option<AttachmentView>,
    /// Its annexes published as files.
    pub annexes: Vec<AttachmentView>,
    /// "Beslut i korthet": each § with a decision, with the decision shortened.
    pub briefs: Vec<DecisionBrief>,
}

/// The förvaltningsrätt an appeal goes to.
#[derive(Debug, Clone, Serialize)]
pub struct CourtView {
    pub name: String,
    pub postal_address: Option<String>,
    pub email: String,
    pub web: String,
    /// The förbund's säte it was derived from.
    pub seat: String,
}

pub fn court_view(f: &Forbund) -> Option<CourtView> {
    crate::anslag::court::court_for_seat(&f.seat).map(|c| CourtView {
        name: c.name.clone(),
        postal_address: c.postal_address.clone(),
        email: c.email.clone(),
        web: c.web.clone(),
        seat: f.seat.clone(),
    })
}

/// One line of "Beslut i korthet".
#[derive(Debug, Clone, Serialize)]
pub struct DecisionBrief {
    pub number: u32,
    pub anchor: String,
    pub title: String,
    /// The decisions' text as plain text, shortened to about [`BRIEF_CHARS`] characters.
    pub text: String,
}

pub const BRIEF_CHARS: usize = 160;

/// `text` cut at a word boundary to at most `max` characters, with "…" when cut.
pub fn shorten(text: &str, max: usize) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() <= max {
        return text;
    }
    let cut: String = text.chars().take(max).collect();
    let cut = match cut.rfind(' ') {
        Some(at) if at > max / 2 => &cut[..at],
        _ => cut.as_str(),
    };
    format!("{}…", cut.trim_end_matches([',', ';', ':', '.', ' ']))
}

fn decision_briefs(p: &Protocol) -> Vec<DecisionBrief> {
    p.paragraphs
        .iter()
        .filter(|para| para.decisions().next().is_some())
        .map(|para| DecisionBrief {
            number: para.number,
            anchor: para.anchor(),
            title: para.title.clone(),
            text: shorten(
                &para
                    .decisions()
                    .map(|b| markdown::to_plain_text(&b.markdown))
                    .collect::<Vec<_>>()
                    .join(" "),
                BRIEF_CHARS,
            ),
        })
        .collect()
}

#[derive(Debug, Clone, Serialize)]
pub struct SignatoryView {
    pub role: String,
    pub name: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct JusteringView {
    pub date: DateView,
    pub method: Option<String>,
    pub place: Option<String>,
}

pub fn protocol_view(f: &Forbund, p: &Protocol, urls: &Urls, today: NaiveDate) -> ProtocolView {
    let a = &p.attendance;
    let attendance = [
        ("Beslutande", &a.voting),
        ("Tjänstgörande ersättare", &a.serving_substitutes),
        ("Ersättare", &a.substitutes),
        ("Övriga närvarande", &a.others),
        ("Anmält förhinder", &a.absent),
    ]
    .into_iter()
    .filter(|(_, people)| !people.is_empty())
    .map(|(label, people)| AttendanceGroup {
        label,
        people: people.iter().map(person_view).collect(),
    })
    .collect();
    let time = match (&p.start_time, &p.end_time) {
        (Some(s), Some(e)) => Some(format!("{s}–{e}")),
        (Some(s), None) => Some(s.clone()),
        (None, Some(e)) => Some(format!("till {e}")),
        (None, None) => None,
    };
    ProtocolView {
        title: protocol_title(p),
        forbund: ForbundRef::of(f, urls),
        url: urls.protocol(&f.slug, &p.id),
        organ: p.organ.clone(),
        number: p.number,
        date: p.date.value.into(),
        time,
        place: p.place.clone(),
        attendance,
        justering: p.justering.as_ref().map(|j| JusteringView {
            date: j.date.value.into(),
            method: j.method.clone(),
            place: j.place.clone(),
        }),
        justerande_paragrafer: p.justerande_paragrafer.as_ref().map(|r| r.text.clone()),
        signatories: p
            .signatories
            .iter()
            .map(|s| SignatoryView {
                role: s.role.clone(),
                name: s.name.clone(),
            })
            .collect(),
        storage_place: p.storage_place.clone(),
        notices: p
            .notices
            .iter()
            .map(|n| NoticeView {
                board: n.board.clone(),
                posted: n.posted.value.into(),
                removed: n.removed.as_ref().map(|r| r.value.into()),
                certified_by: n.certified_by.clone(),
            })
            .collect(),
        signature_checksum: p.signature_checksum.clone(),
        legal: legal_view(&LegalDates::of(p), today),
        introduction: p
            .introduction
            .as_deref()
            .map(|m| tables(&markdown::to_html_nested(m, 3), "inledningen")),
        paragraphs: p
            .paragraphs
            .iter()
            .map(|para| {
                let mut view = paragraph_view(para);
                view.attachments = p
                    .attachments
                    .iter()
                    .filter(|a| a.paragraph == Some(para.number))
                    .map(|a| attachment_view(f, p, a, urls))
                    .collect();
                view
            })
            .collect(),
        original: p
            .attachments
            .iter()
            .find(|a| a.original)
            .map(|a| attachment_view(f, p, a, urls)),
        annexes: p
            .attachments
            .iter()
            .filter(|a| !a.original)
            .map(|a| attachment_view(f, p, a, urls))
            .collect(),
        decisions: p.decision_count(),
        court: court_view(f),
        briefs: decision_briefs(p),
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct SectionView {
    pub anchor: String,
    pub title: String,
    pub html: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct PlanView {
    pub title: String,
    pub forbund: ForbundRef,
    pub url: String,
    pub year: i32,
    pub adopted: Option<AdoptionView>,
    pub introduction: Option<String>,
    pub sections: Vec<SectionView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct AdoptionView {
    pub date: DateView,
    pub organ: Option<String>,
    pub paragraph: Option<u32>,
}

pub fn plan_view(f: &Forbund, p: &Plan, urls: &Urls) -> PlanView {
    PlanView {
        title: p.title.clone(),
        forbund: ForbundRef::of(f, urls),
        url: urls.plan(&f.slug, &p.id),
        year: p.year.value,
        adopted: p.adopted.as_ref().map(|a| AdoptionView {
            date: a.date.value.into(),
            organ: a.organ.clone(),
            paragraph: a.paragraph,
        }),
        introduction: p
            .introduction
            .as_deref()
            .map(|m| tables(&markdown::to_html_nested(m, 3), "inledningen")),
        sections: p
            .sections
            .iter()
            .map(|s| SectionView {
                anchor: s.anchor.clone(),
                title: s.title.clone(),
                html: tables(
                    &markdown::to_html_scoped(&s.markdown, 3, &s.anchor),
                    &format!("avsnittet {}", s.title),
                ),
            })
            .collect(),
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct MemberView {
    pub name: String,
    pub kind: &'static str,
}

#[derive(Debug, Clone, Serialize)]
pub struct ForbundView {
    #[serde(flatten)]
    pub reference: ForbundRef,
    pub org_number: Option<String>,
    pub seat: String,
    pub homepage: Option<String>,
    pub description: Option<String>,
    pub members: Vec<MemberView>,
    pub notice_boards: Vec<Link>,
    pub protocol_count: usize,
    pub plan_count: usize,
    pub decision_count: usize,
}

pub fn forbund_view(f: &Forbund, urls: &Urls) -> ForbundView {
    ForbundView {
        reference: ForbundRef::of(f, urls),
        org_number: f.org_number.clone(),
        seat: f.seat.clone(),
        homepage: f.homepage.clone(),
        description: f
            .description
            .as_deref()
            .map(|m| tables(&markdown::to_html_nested(m, 3), "beskrivningen")),
        members: f
            .members
            .iter()
            .map(|m| MemberView {
                name: m.name.clone(),
                kind: m.kind.label(),
            })
            .collect(),
        notice_boards: f
            .notice_boards
            .iter()
            .map(|b| Link {
                name: b.name.clone(),
                url: b.url.clone().unwrap_or_default(),
            })
            .collect(),
        protocol_count: f.protocols.len(),
        plan_count: f.plans.len(),
        decision_count: f.protocols.iter().map(Protocol::decision_count).sum(),
    }
}

/// One notice on an anslagstavla page.
#[derive(Debug, Clone, Serialize)]
pub struct BoardNotice {
    pub forbund: ForbundRef,
    pub organ: String,
    pub title: String,
    pub url: String,
    pub meeting: DateView,
    pub posted: DateView,
    pub last_appeal: DateView,
    pub storage_place: Option<String>,
    pub days_left: i64,
    pub status: &'static str,
    pub status_text: String,
    pub several_boards: bool,
    pub court: Option<CourtView>,
}

pub fn board_notice(
    f: &Forbund,
    p: &Protocol,
    urls: &Urls,
    today: NaiveDate,
) -> Option<BoardNotice> {
    let legal = LegalDates::of(p);
    let posted = legal.latest_posting?;
    let last = legal.last_appeal_day()?;
    let status = legal.status_on(today);
    let (status_key, status_text) = status_words(status);
    Some(BoardNotice {
        forbund: ForbundRef::of(f, urls),
        organ: p.organ.clone(),
        title: protocol_title(p),
        url: urls.protocol(&f.slug, &p.id),
        meeting: p.date.value.into(),
        posted: posted.into(),
        last_appeal: last.into(),
        storage_place: p.storage_place.clone(),
        days_left: match status {
            NoticeStatus::Up { days_left } => days_left,
            _ => 0,
        },
        status: status_key,
        status_text,
        several_boards: legal.several_boards,
        court: court_view(f),
    })
}

/// A coming meeting from the förbund profile.
#[derive(Debug, Clone, Serialize)]
pub struct MeetingView {
    pub date: DateView,
    /// "13:00–15:00", "13:00" or none.
    pub time: Option<String>,
    pub place: Option<String>,
    pub organ: String,
}

pub fn meeting_view(m: &PlannedMeeting) -> MeetingView {
    MeetingView {
        date: m.date.value.into(),
        time: match (&m.start_time, &m.end_time) {
            (Some(s), Some(e)) => Some(format!("{s}–{e}")),
            (Some(s), None) => Some(s.clone()),
            (None, Some(e)) => Some(format!("till {e}")),
            (None, None) => None,
        },
        place: m.place.clone(),
        organ: m.organ.clone(),
    }
}

/// Where a förbund's feeds, calendars, data and embed live.
#[derive(Debug, Clone, Serialize)]
pub struct FollowLinks {
    pub protocol_feed: String,
    pub notice_feed: String,
    pub meeting_calendar: String,
    pub notice_calendar: String,
    pub data: String,
    pub embed: String,
    pub embed_data: String,
}

pub fn follow_links(f: &Forbund, urls: &Urls) -> FollowLinks {
    FollowLinks {
        protocol_feed: urls.forbund_feed(&f.slug),
        notice_feed: urls.notices_feed(&f.slug),
        meeting_calendar: urls.meetings_calendar(&f.slug),
        notice_calendar: urls.notices_calendar(&f.slug),
        data: urls.forbund_data(&f.slug),
        embed: urls.embed(&f.slug),
        embed_data: urls.embed_data(&f.slug),
    }
}
