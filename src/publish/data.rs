//! Machine-readable JSON: one file per protocol (an OParl *Meeting* with its *AgendaItems*), one
//! per förbund (an OParl *Body* with its document list and tombstones), a small one per förbund
//! for embedding, and a list of every förbund. The schemas are in `docs/schemas/`, explained in
//! `docs/data.md`; field names follow OParl 1.1 where a field means the same thing.
//!
//! Absent values are left out rather than written as `null`, so a schema can say what type each
//! field has.

use super::{
    Context, day_start, epoch, forbund_modified, is_posted, local_time, protocol_modified,
};
use crate::anslag::{LegalDates, NoticeStatus};
use crate::config::RemovedKind;
use crate::model::{Archive, Forbund, Part, Person, Protocol};
use crate::render::views::protocol_title;
use serde_json::{Value, json};
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
fn write(mut v: Value) -> String {
    prune(&mut v);
    let mut s = serde_json::to_string(&v).unwrap_or_else(|_| "{}".into());
    s.push('\n');
    s
}

fn person(p: &Person, attendance: &str) -> Value {
    json!({
        "type": oparl("Person"),
        "name": p.name,
        "role": p.role,
        "attendance": attendance,
        "post": p.assignment,
        "affiliation": p.organisation,
        "party": p.party,
    })
}

fn part_kind(part: &Part) -> &'static str {
    match part {
        Part::Text { .. } => "text",
        Part::Block(b) => b.kind.css_class(),
    }
}

/// The JSON of one protocol.
pub fn protocol_value(ctx: &Context, f: &Forbund, p: &Protocol) -> Value {
    let u = ctx.urls;
    let id = ctx.absolute(&u.protocol_data(&f.slug, &p.id));
    let web = ctx.absolute(&u.protocol(&f.slug, &p.id));
    let body = ctx.absolute(&u.forbund_data(&f.slug));
    let legal = LegalDates::of(p);
    let a = &p.attendance;
    let participants: Vec<Value> = [
        ("beslutande", &a.voting),
        ("tjanstgorande_ersattare", &a.serving_substitutes),
        ("ersattare", &a.substitutes),
        ("ovriga_narvarande", &a.others),
        ("anmalt_forhinder", &a.absent),
    ]
    .into_iter()
    .flat_map(|(key, people)| people.iter().map(move |x| person(x, key)))
    .collect();
    let agenda: Vec<Value> =
        p.paragraphs
            .iter()
            .enumerate()
            .map(|(order, par)| {
                let mut text = Vec::new();
                let mut decisions = Vec::new();
                let mut proposals = Vec::new();
                let mut reservations = Vec::new();
                let mut annexes = Vec::new();
                for part in &par.parts {
                    match part {
                        Part::Text { markdown } => text.push(markdown.clone()),
                        Part::Block(b) => match part_kind(part) {
                            "beslut" => decisions
                                .push(json!({"identifier": b.argument, "text": b.markdown})),
                            "forslag" => proposals.push(Value::String(b.markdown.clone())),
                            "reservation" => {
                                reservations.push(json!({"names": b.argument, "text": b.markdown}))
                            }
                            _ => annexes.push(json!({
                                "type": oparl("File"),
                                "name": b.argument.clone().unwrap_or_else(|| "Bilaga".into()),
                                "text": b.markdown,
                            })),
                        },
                    }
                }
                let resolution: Vec<String> = par
                    .decisions()
                    .map(|d| d.markdown.trim().to_string())
                    .collect();
                json!({
                    "id": format!("{id}#{}", par.anchor()),
                    "type": oparl("AgendaItem"),
                    "meeting": id,
                    "number": par.number.to_string(),
                    "order": order + 1,
                    "name": par.title,
                    "public": true,
                    "web": format!("{web}#{}", par.anchor()),
                    "text": (!text.is_empty()).then(|| text.join("\n\n")),
                    "resolutionText": (!resolution.is_empty()).then(|| resolution.join("\n\n")),
                    "decisions": decisions,
                    "proposals": proposals,
                    "reservations": reservations,
                    "auxiliaryFile": annexes,
                })
            })
            .collect();
    let start = p
        .start_time
        .as_deref()
        .and_then(|t| local_time(p.date.value, t))
        .map(|t| t.to_rfc3339());
    let end = p
        .end_time
        .as_deref()
        .and_then(|t| local_time(p.date.value, t))
        .map(|t| t.to_rfc3339());
    json!({
        "id": id,
        "type": oparl("Meeting"),
        "name": protocol_title(p),
        "web": web,
        "body": body,
        "organization": [{
            "type": oparl("Organization"),
            "name": p.organ,
            "body": body,
        }],
        "meetingNumber": p.number,
        "date": iso(p.date.value),
        "start": start,
        "end": end,
        "location": p.place.as_ref().map(|place| json!({
            "type": oparl("Location"),
            "description": place,
        })),
        "participant": participants,
        "justering": p.justering.as_ref().map(|j| json!({
            "date": iso(j.date.value),
            "method": j.method,
            "place": j.place,
        })),
        "justerandeParagrafer": p.justerande_paragrafer.as_ref().map(|r| json!({
            "text": r.text,
            "numbers": r.numbers(),
        })),
        "signatories": p.signatories.iter().map(|s| json!({"role": s.role, "name": s.name})).collect::<Vec<_>>(),
        "storagePlace": p.storage_place,
        "notices": p.notices.iter().map(|n| json!({
            "board": n.board,
            "posted": iso(n.posted.value),
            "removed": n.removed.as_ref().map(|r| iso(r.value)),
            "certifiedBy": n.certified_by,
        })).collect::<Vec<_>>(),
        "legalDates": {
            "justeringDeadline": iso(legal.justering_deadline),
            "postingDeadline": legal.posting_deadline.as_ref().map(|m| iso(m.result)),
            "postingDeadlineMoved": legal.posting_deadline.as_ref().and_then(|m| m.explain()),
            "latestPosting": legal.latest_posting.map(iso),
            "lastAppealDay": legal.last_appeal_day().map(iso),
            "lastAppealDayMoved": legal.last_appeal.as_ref().and_then(|m| m.explain()),
            "severalBoards": legal.several_boards,
        },
        "signatureChecksum": p.signature_checksum,
        "resultsProtocol": {
            "type": oparl("File"),
            "name": protocol_title(p),
            "mimeType": "text/html",
            "accessUrl": web,
        },
        "introduction": p.introduction,
        "agendaItem": agenda,
        "created": day_start(p.date.value),
        "modified": day_start(protocol_modified(p)),
        "deleted": false,
    })
}

pub fn protocol_json(ctx: &Context, f: &Forbund, p: &Protocol) -> String {
    write(protocol_value(ctx, f, p))
}

/// The JSON of a förbund: profile, documents (and tombstones of removed ones), coming meetings.
pub fn forbund_value(ctx: &Context, f: &Forbund) -> Value {
    let u = ctx.urls;
    let id = ctx.absolute(&u.forbund_data(&f.slug));
    let organs: BTreeSet<&str> = f
        .protocols
        .iter()
        .map(|p| p.organ.as_str())
        .chain(f.meetings.iter().map(|m| m.organ.as_str()))
        .collect();
    let mut meetings: Vec<Value> = f
        .protocols
        .iter()
        .map(|p| {
            json!({
                "id": ctx.absolute(&u.protocol_data(&f.slug, &p.id)),
                "type": oparl("Meeting"),
                "name": protocol_title(p),
                "web": ctx.absolute(&u.protocol(&f.slug, &p.id)),
                "date": iso(p.date.value),
                "organization": p.organ,
                "paragraphs": p.paragraphs.len(),
                "decisions": p.decision_count(),
                "lastAppealDay": LegalDates::of(p).last_appeal_day().map(iso),
                "modified": day_start(protocol_modified(p)),
                "deleted": false,
            })
        })
        .collect();
    let mut plans: Vec<Value> = f
        .plans
        .iter()
        .map(|p| {
            let web = ctx.absolute(&u.plan(&f.slug, &p.id));
            json!({
                "id": web,
                "type": oparl("File"),
                "name": p.title,
                "web": web,
                "accessUrl": web,
                "mimeType": "text/html",
                "year": p.year.value,
                "adopted": p.adopted.as_ref().map(|a| json!({
                    "date": iso(a.date.value),
                    "organization": a.organ,
                    "paragraph": a.paragraph,
                })),
                "deleted": false,
            })
        })
        .collect();
    for t in ctx.config.tombstones.iter().filter(|t| t.slug == f.slug) {
        match t.kind {
            RemovedKind::Protokoll => meetings.push(json!({
                "id": ctx.absolute(&u.protocol_data(&f.slug, &t.id)),
                "type": oparl("Meeting"),
                "web": ctx.absolute(&u.protocol(&f.slug, &t.id)),
                "modified": day_start(t.date),
                "deleted": true,
                "deletedReason": t.reason,
            })),
            RemovedKind::Plan => {
                let web = ctx.absolute(&u.plan(&f.slug, &t.id));
                plans.push(json!({
                    "id": web,
                    "type": oparl("File"),
                    "web": web,
                    "modified": day_start(t.date),
                    "deleted": true,
                    "deletedReason": t.reason,
                }))
            }
        }
    }
    let upcoming: Vec<Value> = f
        .meetings
        .iter()
        .filter(|m| m.date.value >= ctx.today)
        .map(|m| {
            json!({
                "date": iso(m.date.value),
                "start": m.start_time.as_deref().and_then(|t| local_time(m.date.value, t)).map(|t| t.to_rfc3339()),
                "end": m.end_time.as_deref().and_then(|t| local_time(m.date.value, t)).map(|t| t.to_rfc3339()),
                "organization": m.organ,
                "location": m.place.as_ref().map(|place| json!({
                    "type": oparl("Location"),
                    "description": place,
                })),
            })
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
    json!({
        "id": id,
        "type": oparl("Body"),
        "name": f.name,
        "shortName": f.short_name,
        "slug": f.slug,
        "web": ctx.absolute(&u.forbund(&f.slug)),
        "website": f.homepage,
        "organizationNumber": f.org_number,
        "seat": f.seat,
        "description": f.description,
        "members": f.members.iter().map(|m| json!({
            "name": m.name,
            "kind": serde_json::to_value(m.kind).unwrap_or(Value::Null),
        })).collect::<Vec<_>>(),
        "noticeBoards": f.notice_boards.iter().map(|b| json!({"name": b.name, "url": b.url})).collect::<Vec<_>>(),
        "organization": organs.iter().map(|o| json!({
            "type": oparl("Organization"),
            "name": o,
            "body": id,
        })).collect::<Vec<_>>(),
        "meeting": meetings,
        "plans": plans,
        "upcomingMeetings": upcoming,
        "links": {
            "protocolFeed": ctx.absolute(&u.forbund_feed(&f.slug)),
            "noticeFeed": ctx.absolute(&u.notices_feed(&f.slug)),
            "meetingCalendar": ctx.absolute(&u.meetings_calendar(&f.slug)),
            "noticeCalendar": ctx.absolute(&u.notices_calendar(&f.slug)),
            "anslagstavla": ctx.absolute(&u.forbund_anslagstavla(&f.slug)),
            "embed": ctx.absolute(&u.embed(&f.slug)),
            "embedData": ctx.absolute(&u.embed_data(&f.slug)),
        },
        "modified": day_start(newest),
        "deleted": false,
    })
}

pub fn forbund_json(ctx: &Context, f: &Forbund) -> String {
    write(forbund_value(ctx, f))
}

/// How many of the newest protocols the embed shows.
pub const EMBED_LATEST: usize = 5;

/// The small JSON for förbund that style their own list: what the embed page shows.
pub fn embed_value(ctx: &Context, f: &Forbund) -> Value {
    let u = ctx.urls;
    let mut notices: Vec<(String, Value)> = Vec::new();
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
            json!({
                "title": protocol_title(p),
                "web": ctx.absolute(&u.protocol(&f.slug, &p.id)),
                "meetingDate": iso(p.date.value),
                "posted": iso(posted),
                "lastAppealDay": iso(last),
                "daysLeft": days_left,
                "storagePlace": p.storage_place,
            }),
        ));
    }
    notices.sort_by(|a, b| a.0.cmp(&b.0));
    let latest: Vec<Value> = f
        .protocols
        .iter()
        .take(EMBED_LATEST)
        .map(|p| {
            json!({
                "title": protocol_title(p),
                "web": ctx.absolute(&u.protocol(&f.slug, &p.id)),
                "date": iso(p.date.value),
                "paragraphs": p.paragraphs.len(),
                "decisions": p.decision_count(),
                "lastAppealDay": LegalDates::of(p).last_appeal_day().map(iso),
            })
        })
        .collect();
    json!({
        "forbund": {
            "name": f.name,
            "shortName": f.short_name,
            "web": ctx.absolute(&u.forbund(&f.slug)),
            "data": ctx.absolute(&u.forbund_data(&f.slug)),
        },
        "statusDate": iso(ctx.today),
        "notices": notices.into_iter().map(|(_, v)| v).collect::<Vec<_>>(),
        "latestProtocols": latest,
        "anslagstavla": ctx.absolute(&u.forbund_anslagstavla(&f.slug)),
        "appeal": ctx.absolute(&format!("{}#overklaga", u.anslagstavla())),
    })
}

pub fn embed_json(ctx: &Context, f: &Forbund) -> String {
    write(embed_value(ctx, f))
}

/// Every förbund, with a link to its data: where a harvester starts.
pub fn index_value(ctx: &Context, archive: &Archive) -> Value {
    let u = ctx.urls;
    json!({
        "id": ctx.absolute(&u.data_index()),
        "name": ctx.config.titel,
        "web": ctx.absolute(&u.home()),
        "protocolFeed": ctx.absolute(&u.feed()),
        "body": archive.forbund.iter().map(|f| json!({
            "id": ctx.absolute(&u.forbund_data(&f.slug)),
            "type": oparl("Body"),
            "name": f.name,
            "shortName": f.short_name,
            "web": ctx.absolute(&u.forbund(&f.slug)),
            "protocols": f.protocols.len(),
            "modified": day_start(forbund_modified(f).unwrap_or_else(epoch)),
        })).collect::<Vec<_>>(),
    })
}

pub fn index_json(ctx: &Context, archive: &Archive) -> String {
    write(index_value(ctx, archive))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prune_drops_nulls_at_every_depth() {
        let mut v = json!({"a": null, "b": [{"c": null, "d": 1}], "e": {"f": null}});
        prune(&mut v);
        assert_eq!(v, json!({"b": [{"d": 1}], "e": {}}));
    }
}
