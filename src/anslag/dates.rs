//! The dates the law attaches to one protocol, and where a notice stands on a given day.

use super::calendar::{self, Moved};
use crate::model::Protocol;
use chrono::NaiveDate;
use serde::Serialize;

/// Computed legal dates of a protocol (BRIEF §3).
#[derive(Debug, Clone)]
pub struct LegalDates {
    /// KL 5:69: justering within 14 days of the meeting.
    pub justering_deadline: NaiveDate,
    /// KL 8:12: posted no later than the second day after justering (moved past non-working
    /// days under Lag 1930:173 2 §, a reading).
    pub posting_deadline: Option<Moved>,
    /// The latest posting date over all notice boards: the appeal period runs from it.
    pub latest_posting: Option<NaiveDate>,
    /// 2003:1210 28 § with KL 13:5: three weeks from posting, moved past non-working days.
    pub last_appeal: Option<Moved>,
    /// More than one notice board with different posting dates.
    pub several_boards: bool,
}

impl LegalDates {
    pub fn of(protocol: &Protocol) -> LegalDates {
        let postings: Vec<NaiveDate> = protocol.notices.iter().map(|n| n.posted.value).collect();
        let latest_posting = postings.iter().max().copied();
        let distinct = {
            let mut p = postings.clone();
            p.sort();
            p.dedup();
            p.len()
        };
        LegalDates {
            justering_deadline: calendar::justering_deadline(protocol.date.value),
            posting_deadline: protocol
                .justering
                .as_ref()
                .map(|j| calendar::next_weekday_explained(calendar::add_days(j.date.value, 2))),
            latest_posting,
            last_appeal: latest_posting
                .map(|p| calendar::next_weekday_explained(calendar::add_days(p, 21))),
            several_boards: distinct > 1,
        }
    }

    pub fn last_appeal_day(&self) -> Option<NaiveDate> {
        self.last_appeal.as_ref().map(|m| m.result)
    }

    /// Where the notice stands on `today`.
    pub fn status_on(&self, today: NaiveDate) -> NoticeStatus {
        match (self.latest_posting, self.last_appeal_day()) {
            (Some(posted), Some(last)) => {
                if today < posted {
                    NoticeStatus::NotYetPosted
                } else if today <= last {
                    NoticeStatus::Up {
                        days_left: (last - today).num_days(),
                    }
                } else {
                    NoticeStatus::Expired {
                        days_since: (today - last).num_days(),
                    }
                }
            }
            _ => NoticeStatus::NoNotice,
        }
    }

    /// The first day after `today` on which [`Self::status_on`] changes, if any.
    pub fn next_change_after(&self, today: NaiveDate) -> Option<NaiveDate> {
        let posted = self.latest_posting?;
        let last = self.last_appeal_day()?;
        if today < posted {
            Some(posted)
        } else if today <= last {
            last.succ_opt()
        } else {
            None
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum NoticeStatus {
    NoNotice,
    NotYetPosted,
    Up { days_left: i64 },
    Expired { days_since: i64 },
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Located, Notice, Pos};

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn notice(posted: &str) -> Notice {
        Notice {
            board: "x".into(),
            posted: Located {
                value: d(posted),
                pos: Pos::default(),
            },
            removed: None,
            certified_by: None,
        }
    }

    #[test]
    fn dates_at_the_end_of_the_calendar_do_not_panic() {
        // Found by the fuzzer (fuzz/ target dates): a justering or posting on one of the last
        // days chrono can represent overflowed `date + Days`. The deadlines saturate instead.
        let mut p = crate::check::testutil::protocol(crate::check::testutil::CLEAN);
        let last = NaiveDate::MAX;
        p.justering.as_mut().expect("justering").date.value = last;
        p.notices = vec![notice("2025-03-14")];
        p.notices[0].posted.value = last;
        let legal = LegalDates::of(&p);
        assert_eq!(
            legal.posting_deadline.as_ref().map(|m| m.result),
            Some(last)
        );
        assert_eq!(legal.last_appeal_day(), Some(last));
        assert_eq!(legal.next_change_after(last), None);
        let forbund = crate::check::testutil::forbund();
        let _ = crate::check::check_protocol(&forbund, &p, last);
    }

    fn dates(postings: &[&str]) -> LegalDates {
        let latest = postings.iter().map(|p| d(p)).max();
        LegalDates {
            justering_deadline: d("2025-03-25"),
            posting_deadline: None,
            latest_posting: latest,
            last_appeal: latest
                .map(|p| calendar::next_weekday_explained(p + chrono::Days::new(21))),
            several_boards: postings.len() > 1,
        }
    }

    #[test]
    fn soderasen_2025_status_through_its_period() {
        let l = dates(&["2025-03-14"]);
        assert_eq!(l.last_appeal_day(), Some(d("2025-04-04")));
        assert_eq!(l.status_on(d("2025-03-13")), NoticeStatus::NotYetPosted);
        assert_eq!(
            l.status_on(d("2025-03-20")),
            NoticeStatus::Up { days_left: 15 }
        );
        assert_eq!(
            l.status_on(d("2025-04-04")),
            NoticeStatus::Up { days_left: 0 }
        );
        assert_eq!(
            l.status_on(d("2025-04-10")),
            NoticeStatus::Expired { days_since: 6 }
        );
        assert_eq!(l.next_change_after(d("2025-03-20")), Some(d("2025-04-05")));
        assert_eq!(l.next_change_after(d("2025-03-01")), Some(d("2025-03-14")));
        assert_eq!(l.next_change_after(d("2025-04-05")), None);
    }

    #[test]
    fn period_runs_from_the_latest_posting() {
        let l = dates(&["2025-03-14", "2025-03-17"]);
        assert!(l.several_boards);
        assert_eq!(l.latest_posting, Some(d("2025-03-17")));
        assert_eq!(l.last_appeal_day(), Some(d("2025-04-07")));
        let _ = notice("2025-03-14");
    }
}
