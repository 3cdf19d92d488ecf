//! Rules on the order of the dates and the justering: `datumordning`, `justering-sen`,
//! `justering-saknas`.

use super::{BASIS_ANSLAG, BASIS_JUSTERING, Cx, Finding, days, finding};
use crate::anslag::calendar;
use crate::diagnostics::Severity;

pub(super) fn check(cx: &Cx, out: &mut Vec<Finding>) {
    let p = cx.protocol;
    let file = p.source.as_path();
    let meeting = p.date.value;
    let deadline = calendar::justering_deadline(meeting);
    match &p.justering {
        Some(j) if j.date.value < meeting => out.push(
            finding(
                Severity::Fel,
                "datumordning",
                file,
                j.date.pos,
                format!(
                    "protokollet justerades {}, före sammanträdet {meeting}",
                    j.date.value
                ),
            )
            .with_date("sammantrade", meeting)
            .with_date("justerad", j.date.value)
            .with_hint("kontrollera justeringsdatum och mötesdatum"),
        ),
        Some(j) if j.date.value > deadline => out.push(
            finding(
                Severity::Fel,
                "justering-sen",
                file,
                j.date.pos,
                format!(
                    "protokollet justerades {}, {} efter sammanträdet {meeting}; sista dag var {deadline} ({BASIS_JUSTERING})",
                    j.date.value,
                    days((j.date.value - meeting).num_days()),
                ),
            )
            .with_date("sammantrade", meeting)
            .with_date("justerad", j.date.value)
            .with_date("justeringsfrist", deadline)
            .with_hint("protokollet ska justeras inom 14 dagar efter sammanträdet"),
        ),
        Some(_) => {}
        None => {
            let (severity, message) = if cx.today > deadline {
                (
                    Severity::Varning,
                    format!(
                        "protokollet saknar justeringsdatum; det skulle ha justerats senast {deadline}, 14 dagar efter sammanträdet {meeting} ({BASIS_JUSTERING})"
                    ),
                )
            } else {
                (
                    Severity::Notis,
                    format!(
                        "kontrollera: protokollet är inte justerat ännu; det ska justeras senast {deadline}, 14 dagar efter sammanträdet {meeting} ({BASIS_JUSTERING})"
                    ),
                )
            };
            out.push(
                finding(severity, "justering-saknas", file, p.front_matter_pos, message)
                    .with_date("sammantrade", meeting)
                    .with_date("justeringsfrist", deadline)
                    .with_hint("lägg till `justering:` med `datum:` när protokollet är justerat"),
            );
        }
    }

    let several = p.notices.len() > 1;
    for n in &p.notices {
        let on = if several {
            format!("anslaget på {}", n.board)
        } else {
            "anslaget".to_string()
        };
        let posted = n.posted.value;
        match &p.justering {
            Some(j) if posted < j.date.value => out.push(
                finding(
                    Severity::Fel,
                    "datumordning",
                    file,
                    n.posted.pos,
                    format!(
                        "{on} sattes upp {posted}, före justeringen {}; det är justeringen som anslås ({BASIS_ANSLAG})",
                        j.date.value
                    ),
                )
                .with_date("justerad", j.date.value)
                .with_date("uppsatt", posted)
                .with_hint("kontrollera `uppsatt` mot justeringsdatum"),
            ),
            None if posted < meeting => out.push(
                finding(
                    Severity::Fel,
                    "datumordning",
                    file,
                    n.posted.pos,
                    format!("{on} sattes upp {posted}, före sammanträdet {meeting}"),
                )
                .with_date("sammantrade", meeting)
                .with_date("uppsatt", posted)
                .with_hint("kontrollera `uppsatt` mot mötesdatum"),
            ),
            _ => {}
        }
        if let Some(removed) = &n.removed
            && removed.value < posted
        {
            out.push(
                finding(
                    Severity::Fel,
                    "datumordning",
                    file,
                    removed.pos,
                    format!(
                        "{on} togs ned {}, före dagen det sattes upp {posted}",
                        removed.value
                    ),
                )
                .with_date("uppsatt", posted)
                .with_date("nedtaget", removed.value)
                .with_hint("kontrollera `uppsatt` och `nedtaget`"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testutil::*;

    #[test]
    fn justering_before_the_meeting_is_out_of_order() {
        let text = edit(CLEAN, "  datum: 2025-03-12", "  datum: 2025-03-10");
        let found = run(&text);
        let f = with_code(&found, "datumordning");
        assert_eq!(f.len(), 1, "{found:#?}");
        assert_eq!(f[0].line, line_of(&text, "  datum: 2025-03-10"));
        assert!(f[0].message.contains("2025-03-10") && f[0].message.contains("2025-03-11"));
        assert!(with_code(&run(CLEAN), "datumordning").is_empty());
    }

    #[test]
    fn posting_before_justering_is_out_of_order() {
        let text = edit(CLEAN, "uppsatt: 2025-03-14", "uppsatt: 2025-03-11");
        let found = run(&text);
        let f = with_code(&found, "datumordning");
        assert_eq!(f.len(), 1, "{found:#?}");
        assert_eq!(f[0].line, line_of(&text, "uppsatt: 2025-03-11"));
        assert!(
            f[0].message.contains("Testförbundets anslagstavla"),
            "{}",
            f[0].message
        );
        assert_eq!(f[0].dates["justerad"].to_string(), "2025-03-12");
    }

    #[test]
    fn removal_before_posting_is_out_of_order() {
        let text = edit(CLEAN, "nedtaget: 2025-04-07", "nedtaget: 2025-03-13");
        let found = run(&text);
        let f = with_code(&found, "datumordning");
        assert_eq!(f.len(), 1, "{found:#?}");
        assert_eq!(f[0].line, line_of(&text, "nedtaget: 2025-03-13"));
        // Not also reported as taken down before the last appeal day.
        assert!(with_code(&found, "nedtaget-fore-sista-dag").is_empty());
    }

    #[test]
    fn justering_later_than_fourteen_days() {
        // 2025-03-11 + 14 = 2025-03-25 is still in time.
        let on_time = edit(CLEAN, "  datum: 2025-03-12", "  datum: 2025-03-25");
        let on_time = on_time.replace("2025-03-14", "2025-03-26");
        assert!(with_code(&run(&on_time), "justering-sen").is_empty());

        let late = edit(CLEAN, "  datum: 2025-03-12", "  datum: 2025-03-26");
        let late = late.replace("2025-03-14", "2025-03-27");
        let found = run(&late);
        let f = with_code(&found, "justering-sen");
        assert_eq!(f.len(), 1, "{found:#?}");
        assert_eq!(f[0].severity, crate::diagnostics::Severity::Fel);
        assert_eq!(f[0].line, line_of(&late, "  datum: 2025-03-26"));
        assert_eq!(
            f[0].message,
            "protokollet justerades 2025-03-26, 15 dagar efter sammanträdet 2025-03-11; sista dag var 2025-03-25 (KL 5 kap. 69 §)"
        );
        assert_eq!(f[0].basis, Some("KL 5 kap. 69 §"));
    }

    #[test]
    fn missing_justering_is_a_warning_once_overdue_and_a_note_before() {
        let text = edit(CLEAN, "justering:\n  datum: 2025-03-12\n", "");
        let found = run(&text);
        let f = with_code(&found, "justering-saknas");
        assert_eq!(f.len(), 1, "{found:#?}");
        assert_eq!(f[0].severity, crate::diagnostics::Severity::Varning);
        assert_eq!(f[0].line, 2);
        assert!(f[0].message.contains("2025-03-25"), "{}", f[0].message);

        let p = protocol(&text);
        let early = super::super::check_protocol(&forbund(), &p, day("2025-03-20"));
        let f = with_code(&early, "justering-saknas");
        assert_eq!(f[0].severity, crate::diagnostics::Severity::Notis);
        assert!(f[0].message.starts_with("kontrollera:"), "{}", f[0].message);

        assert!(with_code(&run(CLEAN), "justering-saknas").is_empty());
    }
}
