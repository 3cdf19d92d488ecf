//! Rules on the anslag (KL 8 kap. 12 §): `anslag-saknas`, `anslag-sent`, `anslag-frist-flyttad`,
//! `nedtaget-fore-sista-dag`, `nedtaget-sista-dag`, `forvaringsplats-saknas`, `medlemsanslag`.

use super::{
    BASIS_ANSLAG, BASIS_ANSLAG_MOVED, BASIS_JUSTERING, BASIS_MEDLEMMAR, BASIS_NEDTAGET, Cx,
    Finding, days, finding, join_sv,
};
use crate::anslag::calendar;
use crate::diagnostics::Severity;
use crate::model::MemberKind;
use std::collections::BTreeSet;

pub(super) fn check(cx: &Cx, out: &mut Vec<Finding>) {
    storage_place(cx, out);
    if cx.protocol.notices.is_empty() {
        missing(cx, out);
        return;
    }
    posting_deadline(cx, out);
    removal(cx, out);
    member_boards(cx, out);
}

/// `forvaringsplats-saknas`: the notice must state where the protocol is kept.
fn storage_place(cx: &Cx, out: &mut Vec<Finding>) {
    let p = cx.protocol;
    if p.storage_place
        .as_deref()
        .is_some_and(|s| !s.trim().is_empty())
    {
        return;
    }
    out.push(
        finding(
            Severity::Varning,
            "forvaringsplats-saknas",
            &p.source,
            p.front_matter_pos,
            format!(
                "protokollet anger inte var det förvaras; anslaget ska tala om var protokollet finns tillgängligt ({BASIS_ANSLAG})"
            ),
        )
        .with_hint("lägg till `forvaringsplats:`, t.ex. förbundets kansli och ort"),
    );
}

/// `anslag-saknas`: no notice at all. A note while the posting deadline has not yet passed.
fn missing(cx: &Cx, out: &mut Vec<Finding>) {
    let p = cx.protocol;
    let meeting = p.date.value;
    let mut d = finding(
        Severity::Varning,
        "anslag-saknas",
        &p.source,
        p.front_matter_pos,
        String::new(),
    )
    .with_date("sammantrade", meeting)
    .with_hint(
        "lägg till `anslag:` med `anslagstavla`, `uppsatt` och `nedtaget` från anslagsbeviset",
    );
    let (deadline, because) = match &p.justering {
        Some(j) => {
            d = d.with_date("justerad", j.date.value);
            (
                calendar::posting_deadline(j.date.value),
                format!("justerad {}; {BASIS_ANSLAG}", j.date.value),
            )
        }
        None => {
            let justering = calendar::justering_deadline(meeting);
            d = d.with_date("justeringsfrist", justering);
            (
                calendar::posting_deadline(justering),
                format!(
                    "inget justeringsdatum: justering senast {justering}, {BASIS_JUSTERING}; anslag senast andra dagen därefter, {BASIS_ANSLAG}"
                ),
            )
        }
    };
    d = d.with_date("anslagsfrist", deadline);
    if cx.today > deadline {
        d.diagnostic.message = format!(
            "protokollet har inga uppgifter om anslag; justeringen skulle ha anslagits senast {deadline} ({because})"
        );
    } else {
        d.diagnostic.severity = Severity::Notis;
        d.diagnostic.message = format!(
            "kontrollera: anslaget är inte infört ännu; justeringen ska anslås senast {deadline} ({because})"
        );
    }
    out.push(d);
}

/// `anslag-sent` and `anslag-frist-flyttad`: posted no later than the second day after justering.
fn posting_deadline(cx: &Cx, out: &mut Vec<Finding>) {
    let p = cx.protocol;
    let Some(j) = &p.justering else { return };
    let justerad = j.date.value;
    let deadline = calendar::next_weekday_explained(calendar::add_days(justerad, 2));
    let several = p.notices.len() > 1;
    for n in &p.notices {
        let posted = n.posted.value;
        let on = if several {
            format!("anslaget på {}", n.board)
        } else {
            "anslaget".to_string()
        };
        if posted < justerad {
            continue; // datumordning
        }
        let dated = |d: Finding| {
            d.with_date("justerad", justerad)
                .with_date("uppsatt", posted)
                .with_date("anslagsfrist", deadline.result)
        };
        if posted > deadline.result {
            let moved = match deadline.explain() {
                Some(e) => format!("fristen {e}; "),
                None => String::new(),
            };
            let basis = if deadline.was_moved() {
                BASIS_ANSLAG_MOVED
            } else {
                BASIS_ANSLAG
            };
            out.push(dated(
                finding(
                    Severity::Fel,
                    "anslag-sent",
                    &p.source,
                    n.posted.pos,
                    format!(
                        "{on} sattes upp {posted}, {} efter sista dag {} ({moved}justerad {justerad}; {basis})",
                        days((posted - deadline.result).num_days()),
                        deadline.result,
                    ),
                )
                .with_hint("justeringen ska anslås senast andra dagen efter justeringen"),
            ));
        } else if posted > deadline.raw {
            let explained = deadline.explain().unwrap_or_default();
            out.push(dated(
                finding(
                    Severity::Notis,
                    "anslag-frist-flyttad",
                    &p.source,
                    n.posted.pos,
                    format!(
                        "kontrollera: {on} var i tid endast därför att fristen {explained} (uppsatt {posted}, justerad {justerad}; {BASIS_ANSLAG_MOVED})"
                    ),
                )
                .with_date("anslagsfrist_utan_flytt", deadline.raw)
                .with_hint(
                    "att fristen i KL 8 kap. 12 § flyttas förbi helgdagar enligt lag (1930:173) 2 § är en tolkning; anslå helst senast andra dagen efter justeringen",
                ),
            ));
        }
    }
}

/// `nedtaget-fore-sista-dag` and `nedtaget-sista-dag`: the notice stays up until the appeal period
/// (three weeks from its posting, moved past non-working days) has run out.
fn removal(cx: &Cx, out: &mut Vec<Finding>) {
    let p = cx.protocol;
    let several = p.notices.len() > 1;
    for n in &p.notices {
        let Some(removed) = &n.removed else { continue };
        let posted = n.posted.value;
        if removed.value < posted {
            continue; // datumordning
        }
        let on = if several {
            format!("anslaget på {}", n.board)
        } else {
            "anslaget".to_string()
        };
        let last = calendar::last_appeal_day(posted);
        let dated = |d: Finding| {
            d.with_date("uppsatt", posted)
                .with_date("nedtaget", removed.value)
                .with_date("sista_dag_overklagande", last)
        };
        if removed.value < last {
            out.push(dated(
                finding(
                    Severity::Fel,
                    "nedtaget-fore-sista-dag",
                    &p.source,
                    removed.pos,
                    format!(
                        "{on} togs ned {}, {} före sista dag att överklaga {last} (uppsatt {posted}; {BASIS_NEDTAGET})",
                        removed.value,
                        days((last - removed.value).num_days()),
                    ),
                )
                .with_hint("anslaget får inte tas ned innan tiden för överklagande har gått ut"),
            ));
        } else if removed.value == last {
            out.push(dated(
                finding(
                    Severity::Notis,
                    "nedtaget-sista-dag",
                    &p.source,
                    removed.pos,
                    format!(
                        "kontrollera: {on} togs ned {last}, samma dag som sista dag att överklaga; det ska sitta uppe hela den dagen (uppsatt {posted}; {BASIS_NEDTAGET})"
                    ),
                )
                .with_hint("ta ned anslaget tidigast dagen efter sista dag att överklaga"),
            ));
        }
    }
}

/// `medlemsanslag`: 2003:1210 19 § has the justering announced on the anslagstavla of every
/// member kommun and region. A note when the protocol does not show that: fewer boards than such
/// members, or a member no board's name mentions.
fn member_boards(cx: &Cx, out: &mut Vec<Finding>) {
    let p = cx.protocol;
    let members: Vec<&str> = cx
        .forbund
        .members
        .iter()
        .filter(|m| matches!(m.kind, MemberKind::Kommun | MemberKind::Region))
        .map(|m| m.name.as_str())
        .collect();
    if members.is_empty() {
        return;
    }
    let boards: BTreeSet<String> = p
        .notices
        .iter()
        .map(|n| n.board.trim().to_lowercase())
        .collect();
    let unmentioned: Vec<String> = members
        .iter()
        .filter(|m| {
            let m = m.to_lowercase();
            !boards.iter().any(|b| b.contains(&m))
        })
        .map(|m| m.to_string())
        .collect();
    if unmentioned.is_empty() && boards.len() >= members.len() {
        return;
    }
    let boards_text = match boards.len() {
        1 => "1 anslagstavla".to_string(),
        n => format!("{n} anslagstavlor"),
    };
    let members_text = match members.len() {
        1 => "1 medlem som är kommun eller region".to_string(),
        n => format!("{n} medlemmar som är kommun eller region"),
    };
    let missing = if unmentioned.is_empty() {
        String::new()
    } else {
        format!("; inget anslag anges för {}", join_sv(&unmentioned))
    };
    let first = &p.notices[0];
    let mut d = finding(
        Severity::Notis,
        "medlemsanslag",
        &p.source,
        first.posted.pos,
        format!(
            "kontrollera: protokollet anger {boards_text}, men förbundet har {members_text}{missing} (justeringen anslås på varje medlemskommuns och regions anslagstavla, {BASIS_MEDLEMMAR})"
        ),
    )
    .with_hint("lägg till en post under `anslag:` för varje medlems anslagstavla där justeringen anslogs");
    if let Some(latest) = p.notices.iter().map(|n| n.posted.value).max() {
        d = d.with_date("uppsatt", latest);
    }
    out.push(d);
}

#[cfg(test)]
mod tests {
    use super::super::testutil::*;
    use crate::diagnostics::Severity;

    #[test]
    fn one_day_late_is_an_error_and_the_second_day_is_on_time() {
        // Justerad Tuesday 2023-12-05: the second day after is Thursday 2023-12-07.
        let base = CLEAN
            .replace("datum: 2025-03-11", "datum: 2023-12-04")
            .replace("  datum: 2025-03-12", "  datum: 2023-12-05")
            .replace("nedtaget: 2025-04-07", "nedtaget: 2024-01-15");
        let on_time = base.replace("uppsatt: 2025-03-14", "uppsatt: 2023-12-07");
        let found = run(&on_time);
        assert!(with_code(&found, "anslag-sent").is_empty(), "{found:#?}");
        assert!(
            with_code(&found, "anslag-frist-flyttad").is_empty(),
            "{found:#?}"
        );

        let late = edit(&on_time, "uppsatt: 2023-12-07", "uppsatt: 2023-12-08");
        let found = run(&late);
        let f = with_code(&found, "anslag-sent");
        assert_eq!(f.len(), 1, "{found:#?}");
        assert_eq!(f[0].severity, Severity::Fel);
        assert_eq!(f[0].line, line_of(&late, "uppsatt: 2023-12-08"));
        assert_eq!(f[0].column, 14, "column of the date value");
        assert_eq!(
            f[0].message,
            "anslaget på Testförbundets anslagstavla sattes upp 2023-12-08, en dag efter sista dag 2023-12-07 (justerad 2023-12-05; KL 8 kap. 12 §)"
        );
        assert_eq!(f[0].dates["anslagsfrist"], day("2023-12-07"));
        assert_eq!(f[0].dates["uppsatt"], day("2023-12-08"));
        assert_eq!(f[0].dates["justerad"], day("2023-12-05"));
    }

    #[test]
    fn late_after_a_moved_deadline_says_so() {
        // Justerad Friday 2020-11-27: the deadline Sunday 2020-11-29 moves to Monday 11-30.
        let text = CLEAN
            .replace("datum: 2025-03-11", "datum: 2020-11-24")
            .replace("  datum: 2025-03-12", "  datum: 2020-11-27")
            .replace("uppsatt: 2025-03-14", "uppsatt: 2020-12-02")
            .replace("nedtaget: 2025-04-07", "nedtaget: 2021-01-15");
        let found = run(&text);
        let f = with_code(&found, "anslag-sent");
        assert_eq!(f.len(), 3, "{found:#?}");
        assert!(
            f[0].message.contains("två dagar efter sista dag 2020-11-30 (fristen föll på söndag 2020-11-29 och flyttades till måndag 2020-11-30; justerad 2020-11-27"),
            "{}",
            f[0].message
        );
        assert!(with_code(&found, "anslag-frist-flyttad").is_empty());
    }

    #[test]
    fn on_time_only_because_the_deadline_moved_is_a_soft_note() {
        let text = CLEAN
            .replace("datum: 2025-03-11", "datum: 2020-11-24")
            .replace("  datum: 2025-03-12", "  datum: 2020-11-27")
            .replacen("uppsatt: 2025-03-14", "uppsatt: 2020-11-30", 1)
            .replace("uppsatt: 2025-03-14", "uppsatt: 2020-11-29")
            .replace("nedtaget: 2025-04-07", "nedtaget: 2021-01-15");
        let found = run(&text);
        let f = with_code(&found, "anslag-frist-flyttad");
        // Only the notice posted on the Monday; the two posted on the Sunday were in time anyway.
        assert_eq!(f.len(), 1, "{found:#?}");
        assert_eq!(f[0].severity, Severity::Notis);
        assert_eq!(f[0].line, line_of(&text, "uppsatt: 2020-11-30"));
        assert!(
            f[0].message.starts_with(
                "kontrollera: anslaget på Testförbundets anslagstavla var i tid endast därför att fristen föll på söndag 2020-11-29 och flyttades till måndag 2020-11-30"
            ),
            "{}",
            f[0].message
        );
        assert_eq!(f[0].dates["anslagsfrist_utan_flytt"], day("2020-11-29"));
        assert!(with_code(&found, "anslag-sent").is_empty());
    }

    #[test]
    fn removed_before_the_last_appeal_day_is_an_error() {
        // Posted 2025-03-14: last appeal day 2025-04-04.
        let text = edit(CLEAN, "nedtaget: 2025-04-07", "nedtaget: 2025-04-03");
        let found = run(&text);
        let f = with_code(&found, "nedtaget-fore-sista-dag");
        assert_eq!(f.len(), 1, "{found:#?}");
        assert_eq!(f[0].severity, Severity::Fel);
        assert_eq!(f[0].line, line_of(&text, "nedtaget: 2025-04-03"));
        assert!(
            f[0].message.contains("togs ned 2025-04-03, en dag före sista dag att överklaga 2025-04-04 (uppsatt 2025-03-14;"),
            "{}",
            f[0].message
        );
        assert!(with_code(&found, "nedtaget-sista-dag").is_empty());
    }

    #[test]
    fn removed_on_the_last_appeal_day_is_a_note() {
        let text = edit(CLEAN, "nedtaget: 2025-04-07", "nedtaget: 2025-04-04");
        let found = run(&text);
        let f = with_code(&found, "nedtaget-sista-dag");
        assert_eq!(f.len(), 1, "{found:#?}");
        assert_eq!(f[0].severity, Severity::Notis);
        assert!(f[0].message.contains("hela den dagen"), "{}", f[0].message);
        assert_eq!(f[0].dates["sista_dag_overklagande"], day("2025-04-04"));
        assert!(with_code(&found, "nedtaget-fore-sista-dag").is_empty());
        // Taken down the next day: nothing.
        assert!(with_code(&run(CLEAN), "nedtaget-sista-dag").is_empty());
    }

    #[test]
    fn missing_anslag_is_a_warning_after_the_deadline_and_a_note_before() {
        let start = CLEAN.find("anslag:\n").unwrap();
        let end = CLEAN.find("---\n\n##").unwrap();
        let text = format!("{}{}", &CLEAN[..start], &CLEAN[end..]);
        let found = run(&text);
        let f = with_code(&found, "anslag-saknas");
        assert_eq!(f.len(), 1, "{found:#?}");
        assert_eq!(f[0].severity, Severity::Varning);
        assert_eq!(f[0].line, 2);
        assert!(
            f[0].message.contains("senast 2025-03-14"),
            "{}",
            f[0].message
        );

        let p = protocol(&text);
        let early = super::super::check_protocol(&forbund(), &p, day("2025-03-13"));
        let f = with_code(&early, "anslag-saknas");
        assert_eq!(f[0].severity, Severity::Notis);
        assert!(f[0].message.starts_with("kontrollera:"));
        // No note about members' boards when there is no anslag at all.
        assert!(with_code(&found, "medlemsanslag").is_empty());
    }

    #[test]
    fn missing_anslag_without_justering_counts_from_the_justering_deadline() {
        let start = CLEAN.find("justering:\n").unwrap();
        let end = CLEAN.find("justerande_paragrafer").unwrap();
        let text = format!("{}{}", &CLEAN[..start], &CLEAN[end..]);
        let start = text.find("anslag:\n").unwrap();
        let end = text.find("---\n\n##").unwrap();
        let text = format!("{}{}", &text[..start], &text[end..]);
        let found = run(&text);
        let f = with_code(&found, "anslag-saknas");
        // 2025-03-11 + 14 = 2025-03-25 (Tuesday); + 2 = Thursday 2025-03-27.
        assert!(
            f[0].message.contains("senast 2025-03-27"),
            "{}",
            f[0].message
        );
        assert!(f[0].message.contains("2025-03-25"), "{}", f[0].message);
    }

    #[test]
    fn missing_storage_place_is_a_warning() {
        let text = edit(CLEAN, "forvaringsplats: Testförbundet, Åstorp\n", "");
        let found = run(&text);
        let f = with_code(&found, "forvaringsplats-saknas");
        assert_eq!(f.len(), 1, "{found:#?}");
        assert_eq!(f[0].severity, Severity::Varning);
        assert_eq!((f[0].line, f[0].column), (2, 1));
        let blank = edit(
            CLEAN,
            "forvaringsplats: Testförbundet, Åstorp",
            "forvaringsplats: \" \"",
        );
        assert_eq!(with_code(&run(&blank), "forvaringsplats-saknas").len(), 1);
        assert!(with_code(&run(CLEAN), "forvaringsplats-saknas").is_empty());
    }

    #[test]
    fn member_boards_not_evidenced_is_a_soft_note() {
        // Only the förbund's own board and Åstorp's: Region Skåne is not mentioned.
        let region = "  - anslagstavla: Region Skånes anslagstavla\n    uppsatt: 2025-03-14\n    nedtaget: 2025-04-07\n";
        let text = edit(CLEAN, region, "");
        let found = run(&text);
        let f = with_code(&found, "medlemsanslag");
        assert_eq!(f.len(), 1, "{found:#?}");
        assert_eq!(f[0].severity, Severity::Notis);
        assert_eq!(
            f[0].message,
            "kontrollera: protokollet anger 2 anslagstavlor, men förbundet har 2 medlemmar som är kommun eller region; inget anslag anges för Region Skåne (justeringen anslås på varje medlemskommuns och regions anslagstavla, lag (2003:1210) 19 §)"
        );
        assert_eq!(f[0].line, line_of(&text, "uppsatt: 2025-03-14"));

        // Fewer boards than members even when one board names both.
        let both = "  - anslagstavla: Åstorps kommun och Region Skåne\n    uppsatt: 2025-03-14\n    nedtaget: 2025-04-07\n";
        let text = edit(CLEAN, region, "");
        let text = edit(
            &text,
            "  - anslagstavla: Åstorps kommuns anslagstavla\n    uppsatt: 2025-03-14\n    nedtaget: 2025-04-07\n",
            "",
        );
        let text = edit(
            &text,
            "  - anslagstavla: Testförbundets anslagstavla\n    uppsatt: 2025-03-14\n    nedtaget: 2025-04-07\n",
            both,
        );
        let f = run(&text);
        let f = with_code(&f, "medlemsanslag");
        assert_eq!(f.len(), 1);
        assert!(
            f[0].message.contains("anger 1 anslagstavla,"),
            "{}",
            f[0].message
        );
        assert!(
            !f[0].message.contains("inget anslag anges"),
            "{}",
            f[0].message
        );

        assert!(with_code(&run(CLEAN), "medlemsanslag").is_empty());
    }
}
