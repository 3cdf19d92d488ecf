//! Machine-readable JSON: one file per protocol (an OParl *Meeting* with its *AgendaItems*), one
//! per förbund (an OParl *Body* with its document list and tombstones), a small one per förbund
//! for embedding, and a list of every förbund. The schemas are in `docs/schemas/`, explained in
//! `docs/data.md`; field names follow OParl 1.1 where a field means the same thing.
//!
//! Each file is a typed struct (`ProtocolJson`, `ForbundJson`, `EmbedJson`, `IndexJson`), so its
//! shape is written down once, here. Absent values are left out rather than written as `null`,
//! so a schema can say what type each field has.

use super::{
    Context, day_start, epoch, forbund_modified, is_posted, local_time, protocol_modified,
};
use crate::anslag::{LegalDates, NoticeStatus};
use crate::config::RemovedKind;
use crate::model::{Archive, BlockKind, Forbund, Part, Person, Protocol};
use crate::render::views::protocol_title;
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeSet;

pub const OPARL: &str = "https://schema.oparl.org/1.1/";

fn oparl(kind: &str) -> String {
    format!("{OPARL}{kind}")
}

fn iso(d: chrono::NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// Drops `null` members (recursively, in place), so that absent means absent.
pub fn prune(v: &mut Value) {
    match v {
        Value::Object(m) => {
            m.retain(|_, v| !v.is_null());
            m.values_mut().for_each(prune);
        }
        Value::Array(a) => a.iter_mut().for_each(prune),
        _ => {}
    }
}

/// Compact JSON with a final newline: the files are for programs (and `jq` for people), and
/// indentation made them a third larger, which showed as write time in national-scale builds.
fn write(v: &impl Serialize) -> String {
    let mut s = serde_json::to_string(v).unwrap_or_else(|_| "{}".into());
    s.push('\n');
    s
}

/// The JSON value of a typed file (for tests and tools that want a `Value`).
fn value(v: &impl Serialize) -> Value {
    let mut v = serde_json::to_value(v).unwrap_or(Value::Null);
    prune(&mut v);
    v
}

// ------------------------------------------------------------------------------------------
// The files' shapes. Absent values are left out (`skip_serializing_if`), never written as null.

#[derive(Debug, Serialize)]
pub struct PersonJson {
    #[serde(rename = "type")]
    pub kind: String,
    pub name: String,
    pub role: String,
    pub attendance: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub post: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub affiliation: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub party: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct DecisionJson {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub identifier: Option<String>,
    pub text: String,
}

#[derive(Debug, Serialize)]
pub struct ReservationJson {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub names: Option<String>,
    pub text: String,
}

#[derive(Debug, Serialize)]
pub struct AnnexJson {
    #[serde(rename = "type")]
    pub kind: String,
    pub name: String,
    pub text: String,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AgendaItemJson {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub meeting: String,
    pub number: String,
    pub order: usize,
    pub name: String,
    pub public: bool,
    pub web: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resolution_text: Option<String>,
    pub decisions: Vec<DecisionJson>,
    pub proposals: Vec<String>,
    pub reservations: Vec<ReservationJson>,
    pub auxiliary_file: Vec<AnnexJson>,
}

#[derive(Debug, Serialize)]
pub struct OrganizationJson {
    #[serde(rename = "type")]
    pub kind: String,
    pub name: String,
    pub body: String,
}

#[derive(Debug, Serialize)]
pub struct LocationJson {
    #[serde(rename = "type")]
    pub kind: String,
    pub description: String,
}

fn location(place: &Option<String>) -> Option<LocationJson> {
    place.as_ref().map(|p| LocationJson {
        kind: oparl("Location"),
        description: p.clone(),
    })
}

#[derive(Debug, Serialize)]
pub struct JusteringJson {
    pub date: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub place: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct ParagraphRangesJson {
    pub text: String,
    pub numbers: Vec<u32>,
}

#[derive(Debug, Serialize)]
pub struct SignatoryJson {
    pub role: String,
    pub name: String,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NoticeJson {
    pub board: String,
    pub posted: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub removed: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub certified_by: Option<String>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LegalDatesJson {
    pub justering_deadline: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub posting_deadline: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub posting_deadline_moved: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub latest_posting: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_appeal_day: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_appeal_day_moved: Option<String>,
    pub several_boards: bool,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FileJson {
    #[serde(rename = "type")]
    pub kind: String,
    pub name: String,
    pub mime_type: &'static str,
    pub access_url: String,
}

/// `protokoll.json`: an OParl Meeting with its agenda items.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ProtocolJson {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub name: String,
    pub web: String,
    pub body: String,
    pub organization: Vec<OrganizationJson>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub meeting_number: Option<u32>,
    pub date: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<LocationJson>,
    pub participant: Vec<PersonJson>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub justering: Option<JusteringJson>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub justerande_paragrafer: Option<ParagraphRangesJson>,
    pub signatories: Vec<SignatoryJson>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub storage_place: Option<String>,
    pub notices: Vec<NoticeJson>,
    pub legal_dates: LegalDatesJson,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub signature_checksum: Option<String>,
    pub results_protocol: FileJson,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub introduction: Option<String>,
    pub agenda_item: Vec<AgendaItemJson>,
    pub created: String,
    pub modified: String,
    pub deleted: bool,
}

fn person(p: &Person, attendance: &'static str) -> PersonJson {
    PersonJson {
        kind: oparl("Person"),
        name: p.name.clone(),
        role: p.role.clone(),
        attendance,
        post: p.assignment.clone(),
        affiliation: p.organisation.clone(),
        party: p.party.clone(),
    }
}

fn agenda_item(id: &str, web: &str, order: usize, par: &crate::model::Paragraph) -> AgendaItemJson {
    let mut text = Vec::new();
    let mut decisions = Vec::new();
    let mut proposals = Vec::new();
    let mut reservations = Vec::new();
    let mut annexes = Vec::new();
    for part in &par.parts {
        match part {
            Part::Text { markdown } => text.push(markdown.clone()),
            Part::Block(b) => match b.kind {
                BlockKind::Beslut => decisions.push(DecisionJson {
                    identifier: b.argument.clone(),
                    text: b.markdown.clone(),
                }),
                BlockKind::Forslag => proposals.push(b.markdown.clone()),
                BlockKind::Reservation => reservations.push(ReservationJson {
                    names: b.argument.clone(),
                    text: b.markdown.clone(),
                }),
                BlockKind::Bilaga => annexes.push(AnnexJson {
                    kind: oparl("File"),
                    name: b.argument.clone().unwrap_or_else(|| "Bilaga".into()),
                    text: b.markdown.clone(),
                }),
            },
        }
    }
    let resolution: Vec<String> = par
        .decisions()
        .map(|d| d.markdown.trim().to_string())
        .collect();
    AgendaItemJson {
        id: format!("{id}#{}", par.anchor()),
        kind: oparl("AgendaItem"),
        meeting: id.to_string(),
        number: par.number.to_string(),
        order: order + 1,
        name: par.title.clone(),
        public: true,
        web: format!("{web}#{}", par.anchor()),
        text: (!text.is_empty()).then(|| text.join("\n\n")),
        resolution_text: (!resolution.is_empty()).then(|| resolution.join("\n\n")),
        decisions,
        proposals,
        reservations,
        auxiliary_file: annexes,
    }
}

fn rfc3339(date: chrono::NaiveDate, time: Option<&str>) -> Option<String> {
    time.and_then(|t| local_time(date, t))
        .map(|t| t.to_rfc3339())
}

/// The typed JSON of one protocol.
pub fn protocol_data(ctx: &Context, f: &Forbund, p: &Protocol) -> ProtocolJson {
    let u = ctx.urls;
    let id = ctx.absolute(&u.protocol_data(&f.slug, &p.id));
    let web = ctx.absolute(&u.protocol(&f.slug, &p.id));
    let body = ctx.absolute(&u.forbund_data(&f.slug));
    let legal = LegalDates::of(p);
    let a = &p.attendance;
    let participant: Vec<PersonJson> = [
        ("beslutande", &a.voting),
        ("tjanstgorande_ersattare", &a.serving_substitutes),
        ("ersattare", &a.substitutes),
        ("ovriga_narvarande", &a.others),
        ("anmalt_forhinder", &a.absent),
    ]
    .into_iter()
    .flat_map(|(key, people)| people.iter().map(move |x| person(x, key)))
    .collect();
    ProtocolJson {
        kind: oparl("Meeting"),
        name: protocol_title(p),
        organization: vec![OrganizationJson {
            kind: oparl("Organization"),
            name: p.organ.clone(),
            body: body.clone(),
        }],
        meeting_number: p.number,
        date: iso(p.date.value),
        start: rfc3339(p.date.value, p.start_time.as_deref()),
        end: rfc3339(p.date.value, p.end_time.as_deref()),
        location: location(&p.place),
        participant,
        justering: p.justering.as_ref().map(|j| JusteringJson {
            date: iso(j.date.value),
            method: j.method.clone(),
            place: j.place.clone(),
        }),
        justerande_paragrafer: p
            .justerande_paragrafer
            .as_ref()
            .map(|r| ParagraphRangesJson {
                text: r.text.clone(),
                numbers: r.numbers(),
            }),
        signatories: p
            .signatories
            .iter()
            .map(|s| SignatoryJson {
                role: s.role.clone(),
                name: s.name.clone(),
            })
            .collect(),
        storage_place: p.storage_place.clone(),
        notices: p
            .notices
            .iter()
            .map(|n| NoticeJson {
                board: n.board.clone(),
                posted: iso(n.posted.value),
                removed: n.removed.as_ref().map(|r| iso(r.value)),
                certified_by: n.certified_by.clone(),
            })
            .collect(),
        legal_dates: LegalDatesJson {
            justering_deadline: iso(legal.justering_deadline),
            posting_deadline: legal.posting_deadline.as_ref().map(|m| iso(m.result)),
            posting_deadline_moved: legal.posting_deadline.as_ref().and_then(|m| m.explain()),
            latest_posting: legal.latest_posting.map(iso),
            last_appeal_day: legal.last_appeal_day().map(iso),
            last_appeal_day_moved: legal.last_appeal.as_ref().and_then(|m| m.explain()),
            several_boards: legal.several_boards,
        },
        signature_checksum: p.signature_checksum.clone(),
        results_protocol: FileJson {
            kind: oparl("File"),
            name: protocol_title(p),
            mime_type: "text/html",
            access_url: web.clone(),
        },
        introduction: p.introduction.clone(),
        agenda_item: p
            .paragraphs
            .iter()
            .enumerate()
            .map(|(order, par)| agenda_item(&id, &web, order, par))
            .collect(),
        created: day_start(p.date.value),
        modified: day_start(protocol_modified(p)),
        deleted: false,
        id,
        web,
        body,
    }
}

/// The JSON of one protocol, as a value.
pub fn protocol_value(ctx: &Context, f: &Forbund, p: &Protocol) -> Value {
    value(&protocol_data(ctx, f, p))
}

pub fn protocol_json(ctx: &Context, f: &Forbund, p: &Protocol) -> String {
    write(&protocol_data(ctx, f, p))
}

/// A protocol in a förbund's list, or the tombstone of a removed one.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MeetingRefJson {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub web: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub organization: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub paragraphs: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decisions: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_appeal_day: Option<String>,
    pub modified: String,
    pub deleted: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deleted_reason: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct AdoptionJson {
    pub date: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub organization: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub paragraph: Option<u32>,
}

/// A plan in a förbund's list, or the tombstone of a removed one.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PlanRefJson {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub web: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub access_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mime_type: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub year: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub adopted: Option<AdoptionJson>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub modified: Option<String>,
    pub deleted: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deleted_reason: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct UpcomingJson {
    pub date: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end: Option<String>,
    pub organization: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<LocationJson>,
}

#[derive(Debug, Serialize)]
pub struct MemberJson {
    pub name: String,
    pub kind: crate::model::MemberKind,
}

#[derive(Debug, Serialize)]
pub struct NoticeBoardJson {
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LinksJson {
    pub protocol_feed: String,
    pub notice_feed: String,
    pub meeting_calendar: String,
    pub notice_calendar: String,
    pub anslagstavla: String,
    pub embed: String,
    pub embed_data: String,
}

/// `forbund.json`: an OParl Body with its documents, tombstones and coming meetings.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ForbundJson {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub name: String,
    pub short_name: String,
    pub slug: String,
    pub web: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub website: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub organization_number: Option<String>,
    pub seat: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub members: Vec<MemberJson>,
    pub notice_boards: Vec<NoticeBoardJson>,
    pub organization: Vec<OrganizationJson>,
    pub meeting: Vec<MeetingRefJson>,
    pub plans: Vec<PlanRefJson>,
    pub upcoming_meetings: Vec<UpcomingJson>,
    pub links: LinksJson,
    pub modified: String,
    pub deleted: bool,
}

/// The typed JSON of a förbund: profile, documents (and tombstones of removed ones), coming
/// meetings.
pub fn forbund_data(ctx: &Context, f: &Forbund) -> ForbundJson {
    let u = ctx.urls;
    let id = ctx.absolute(&u.forbund_data(&f.slug));
    let organs: BTreeSet<&str> = f
        .protocols
        .iter()
        .map(|p| p.organ.as_str())
        .chain(f.meetings.iter().map(|m| m.organ.as_str()))
        .collect();
    let mut meetings: Vec<MeetingRefJson> = f
        .protocols
        .iter()
        .map(|p| MeetingRefJson {
            id: ctx.absolute(&u.protocol_data(&f.slug, &p.id)),
            kind: oparl("Meeting"),
            name: Some(protocol_title(p)),
            web: ctx.absolute(&u.protocol(&f.slug, &p.id)),
            date: Some(iso(p.date.value)),
            organization: Some(p.organ.clone()),
            paragraphs: Some(p.paragraphs.len()),
            decisions: Some(p.decision_count()),
            last_appeal_day: LegalDates::of(p).last_appeal_day().map(iso),
            modified: day_start(protocol_modified(p)),
            deleted: false,
            deleted_reason: None,
        })
        .collect();
    let mut plans: Vec<PlanRefJson> = f
        .plans
        .iter()
        .map(|p| {
            let web = ctx.absolute(&u.plan(&f.slug, &p.id));
            PlanRefJson {
                id: web.clone(),
                kind: oparl("File"),
                name: Some(p.title.clone()),
                access_url: Some(web.clone()),
                web,
                mime_type: Some("text/html"),
                year: Some(p.year.value),
                adopted: p.adopted.as_ref().map(|a| AdoptionJson {
                    date: iso(a.date.value),
                    organization: a.organ.clone(),
                    paragraph: a.paragraph,
                }),
                modified: None,
                deleted: false,
                deleted_reason: None,
            }
        })
        .collect();
    for t in ctx.config.tombstones.iter().filter(|t| t.slug == f.slug) {
        match t.kind {
            RemovedKind::Protokoll => meetings.push(MeetingRefJson {
                id: ctx.absolute(&u.protocol_data(&f.slug, &t.id)),
                kind: oparl("Meeting"),
                name: None,
                web: ctx.absolute(&u.protocol(&f.slug, &t.id)),
                date: None,
                organization: None,
                paragraphs: None,
                decisions: None,
                last_appeal_day: None,
                modified: day_start(t.date),
                deleted: true,
                deleted_reason: t.reason.clone(),
            }),
            RemovedKind::Plan => {
                let web = ctx.absolute(&u.plan(&f.slug, &t.id));
                plans.push(PlanRefJson {
                    id: web.clone(),
                    kind: oparl("File"),
                    name: None,
                    web,
                    access_url: None,
                    mime_type: None,
                    year: None,
                    adopted: None,
                    modified: Some(day_start(t.date)),
                    deleted: true,
                    deleted_reason: t.reason.clone(),
                })
            }
        }
    }
    let upcoming_meetings: Vec<UpcomingJson> = f
        .meetings
        .iter()
        .filter(|m| m.date.value >= ctx.today)
        .map(|m| UpcomingJson {
            date: iso(m.date.value),
            start: rfc3339(m.date.value, m.start_time.as_deref()),
            end: rfc3339(m.date.value, m.end_time.as_deref()),
            organization: m.organ.clone(),
            location: location(&m.place),
        })
        .collect();
    let newest = forbund_modified(f)
        .into_iter()
        .chain(
            ctx.config
                .tombstones
                .iter()
                .filter(|t| t.slug == f.slug)
                .map(|t| t.date),
        )
        .max()
        .unwrap_or_else(epoch);
    ForbundJson {
        kind: oparl("Body"),
        name: f.name.clone(),
        short_name: f.short_name.clone(),
        slug: f.slug.clone(),
        web: ctx.absolute(&u.forbund(&f.slug)),
        website: f.homepage.clone(),
        organization_number: f.org_number.clone(),
        seat: f.seat.clone(),
        description: f.description.clone(),
        members: f
            .members
            .iter()
            .map(|m| MemberJson {
                name: m.name.clone(),
                kind: m.kind,
            })
            .collect(),
        notice_boards: f
            .notice_boards
            .iter()
            .map(|b| NoticeBoardJson {
                name: b.name.clone(),
                url: b.url.clone(),
            })
            .collect(),
        organization: organs
            .iter()
            .map(|o| OrganizationJson {
                kind: oparl("Organization"),
                name: o.to_string(),
                body: id.clone(),
            })
            .collect(),
        meeting: meetings,
        plans,
        upcoming_meetings,
        links: LinksJson {
            protocol_feed: ctx.absolute(&u.forbund_feed(&f.slug)),
            notice_feed: ctx.absolute(&u.notices_feed(&f.slug)),
            meeting_calendar: ctx.absolute(&u.meetings_calendar(&f.slug)),
            notice_calendar: ctx.absolute(&u.notices_calendar(&f.slug)),
            anslagstavla: ctx.absolute(&u.forbund_anslagstavla(&f.slug)),
            embed: ctx.absolute(&u.embed(&f.slug)),
            embed_data: ctx.absolute(&u.embed_data(&f.slug)),
        },
        modified: day_start(newest),
        deleted: false,
        id,
    }
}

/// The JSON of a förbund, as a value.
pub fn forbund_value(ctx: &Context, f: &Forbund) -> Value {
    value(&forbund_data(ctx, f))
}

pub fn forbund_json(ctx: &Context, f: &Forbund) -> String {
    write(&forbund_data(ctx, f))
}

/// How many of the newest protocols the embed shows.
pub const EMBED_LATEST: usize = 5;

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EmbedNoticeJson {
    pub title: String,
    pub web: String,
    pub meeting_date: String,
    pub posted: String,
    pub last_appeal_day: String,
    pub days_left: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub storage_place: Option<String>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EmbedProtocolJson {
    pub title: String,
    pub web: String,
    pub date: String,
    pub paragraphs: usize,
    pub decisions: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_appeal_day: Option<String>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EmbedForbundJson {
    pub name: String,
    pub short_name: String,
    pub web: String,
    pub data: String,
}

/// `inbaddning.json`: what the embed page shows, for förbund that style their own list.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EmbedJson {
    pub forbund: EmbedForbundJson,
    pub status_date: String,
    pub notices: Vec<EmbedNoticeJson>,
    pub latest_protocols: Vec<EmbedProtocolJson>,
    pub anslagstavla: String,
    pub appeal: String,
}

/// The typed JSON of the embed.
pub fn embed_data(ctx: &Context, f: &Forbund) -> EmbedJson {
    let u = ctx.urls;
    let mut notices: Vec<(String, EmbedNoticeJson)> = Vec::new();
    for p in f.protocols.iter().filter(|p| is_posted(p, ctx.today)) {
        let legal = LegalDates::of(p);
        let NoticeStatus::Up { days_left } = legal.status_on(ctx.today) else {
            continue;
        };
        let (Some(posted), Some(last)) = (legal.latest_posting, legal.last_appeal_day()) else {
            continue;
        };
        notices.push((
            format!("{}{}", iso(last), p.id),
            EmbedNoticeJson {
                title: protocol_title(p),
                web: ctx.absolute(&u.protocol(&f.slug, &p.id)),
                meeting_date: iso(p.date.value),
                posted: iso(posted),
                last_appeal_day: iso(last),
                days_left,
                storage_place: p.storage_place.clone(),
            },
        ));
    }
    notices.sort_by(|a, b| a.0.cmp(&b.0));
    EmbedJson {
        forbund: EmbedForbundJson {
            name: f.name.clone(),
            short_name: f.short_name.clone(),
            web: ctx.absolute(&u.forbund(&f.slug)),
            data: ctx.absolute(&u.forbund_data(&f.slug)),
        },
        status_date: iso(ctx.today),
        notices: notices.into_iter().map(|(_, v)| v).collect(),
        latest_protocols: f
            .protocols
            .iter()
            .take(EMBED_LATEST)
            .map(|p| EmbedProtocolJson {
                title: protocol_title(p),
                web: ctx.absolute(&u.protocol(&f.slug, &p.id)),
                date: iso(p.date.value),
                paragraphs: p.paragraphs.len(),
                decisions: p.decision_count(),
                last_appeal_day: LegalDates::of(p).last_appeal_day().map(iso),
            })
            .collect(),
        anslagstavla: ctx.absolute(&u.forbund_anslagstavla(&f.slug)),
        appeal: ctx.absolute(&format!("{}#overklaga", u.anslagstavla())),
    }
}

/// The small JSON for förbund that style their own list, as a value.
pub fn embed_value(ctx: &Context, f: &Forbund) -> Value {
    value(&embed_data(ctx, f))
}

pub fn embed_json(ctx: &Context, f: &Forbund) -> String {
    write(&embed_data(ctx, f))
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BodyRefJson {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub name: String,
    pub short_name: String,
    pub web: String,
    pub protocols: usize,
    pub modified: String,
}

/// `/data/forbund.json`: every förbund, with a link to its data: where a harvester starts.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct IndexJson {
    pub id: String,
    pub name: String,
    pub web: String,
    pub protocol_feed: String,
    pub body: Vec<BodyRefJson>,
}

pub fn index_data(ctx: &Context, archive: &Archive) -> IndexJson {
    let u = ctx.urls;
    IndexJson {
        id: ctx.absolute(&u.data_index()),
        name: ctx.config.titel.clone(),
        web: ctx.absolute(&u.home()),
        protocol_feed: ctx.absolute(&u.feed()),
        body: archive
            .forbund
            .iter()
            .map(|f| BodyRefJson {
                id: ctx.absolute(&u.forbund_data(&f.slug)),
                kind: oparl("Body"),
                name: f.name.clone(),
                short_name: f.short_name.clone(),
                web: ctx.absolute(&u.forbund(&f.slug)),
                protocols: f.protocols.len(),
                modified: day_start(forbund_modified(f).unwrap_or_else(epoch)),
            })
            .collect(),
    }
}

pub fn index_value(ctx: &Context, archive: &Archive) -> Value {
    value(&index_data(ctx, archive))
}

pub fn index_json(ctx: &Context, archive: &Archive) -> String {
    write(&index_data(ctx, archive))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn prune_drops_nulls_at_every_depth() {
        let mut v = json!({"a": null, "b": [{"c": null, "d": 1}], "e": {"f": null}});
        prune(&mut v);
        assert_eq!(v, json!({"b": [{"d": 1}], "e": {}}));
    }
}
