//! Swedish legal dates for anslag (notices) and appeal periods.
//!
//! Sources:
//! - Lag (1989:253) om allmänna helgdagar — which days are allmänna helgdagar. Amended by
//!   SFS 2004:1206 from 2005-04-01: nationaldagen (6 June) became a helgdag and annandag pingst
//!   stopped being one.
//! - Lag (1930:173) om beräkning av lagstadgad tid — 1 § (a period of weeks ends on the same
//!   weekday) and 2 § (a last day on a Saturday, Sunday, allmän helgdag, midsommarafton, julafton
//!   or nyårsafton moves to the next weekday). Other aftnar, e.g. trettondedagsafton, do not move
//!   a deadline (RÅ 1999 not 181, RÅ 2004 not 40).
//! - Kommunallagen (2017:725) 5 kap. 69 § (justering within 14 days), 8 kap. 12 § (anslag no
//!   later than the second day after justering) and 13 kap. 5 § (appeal within three weeks of the
//!   posting day), applied to samordningsförbund by Lag (2003:1210) 19 § and 28 §.
//!
//! All dates are local (Europe/Stockholm) calendar dates. The pre-2005 rules are applied to every
//! earlier year as well; the older helgdag statutes are not modelled separately.
//!
//! Edge behaviour: nothing here panics for any date `chrono` can represent. Arithmetic saturates
//! at [`NaiveDate::MAX`]/[`NaiveDate::MIN`], so near the very end of chrono's range (year
//! ±262 143, far outside any real protocol) a computed deadline may be clamped to
//! `NaiveDate::MAX` instead of moved further. For the years 1900–2200 all results are exact.

use chrono::{Datelike, Days, NaiveDate, Weekday};
use std::fmt;

/// The months as Swedish running text writes them ("11 mars 2025"): for dates shown to readers
/// and for dates read from imported protocols.
pub const MONTH_NAMES: [&str; 12] = [
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
];

/// The day on which the rules of SFS 2004:1206 took effect (nationaldagen in, annandag pingst
/// out).
const HELGDAG_REFORM_2005: (i32, u32, u32) = (2005, 4, 1);

fn reform_date() -> NaiveDate {
    let (y, m, d) = HELGDAG_REFORM_2005;
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MIN)
}

/// Adds days, saturating at `NaiveDate::MAX` so callers never see a panic at chrono's edge.
pub fn add_days(d: NaiveDate, n: u64) -> NaiveDate {
    d.checked_add_days(Days::new(n)).unwrap_or(NaiveDate::MAX)
}

/// Påskdagen for `year` if chrono can represent it.
fn easter_opt(year: i32) -> Option<NaiveDate> {
    // Anonymous Gregorian algorithm (Meeus/Jones/Butcher). i64 and Euclidean division keep
    // it overflow-free and correct for negative (proleptic) years as well.
    let y = i64::from(year);
    let a = y.rem_euclid(19);
    let b = y.div_euclid(100);
    let c = y.rem_euclid(100);
    let d = b.div_euclid(4);
    let e = b.rem_euclid(4);
    let f = (b + 8).div_euclid(25);
    let g = (b - f + 1).div_euclid(3);
    let h = (19 * a + b - d - g + 15).rem_euclid(30);
    let i = c.div_euclid(4);
    let k = c.rem_euclid(4);
    let l = (32 + 2 * e + 2 * i - h - k).rem_euclid(7);
    let m = (a + 11 * h + 22 * l).div_euclid(451);
    let n = h + l - 7 * m + 114;
    let month = u32::try_from(n.div_euclid(31)).ok()?;
    let day = u32::try_from(n.rem_euclid(31) + 1).ok()?;
    NaiveDate::from_ymd_opt(year, month, day)
}

/// Påskdagen (Easter Sunday) of the Gregorian calendar, which Lag (1989:253) refers to.
///
/// For a year chrono cannot represent the result is clamped to `NaiveDate::MAX` (positive
/// years) or `NaiveDate::MIN` (negative years).
pub fn easter_sunday(year: i32) -> NaiveDate {
    easter_opt(year).unwrap_or(if year >= 0 {
        NaiveDate::MAX
    } else {
        NaiveDate::MIN
    })
}

/// The named allmänna helgdagar of Lag (1989:253). Sundays are helgdagar too but unnamed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Holiday {
    Nyarsdagen,
    TrettondedagJul,
    Langfredagen,
    Paskdagen,
    AnnandagPask,
    KristiHimmelsfardsdag,
    Pingstdagen,
    /// A helgdag only before 2005-04-01 (SFS 2004:1206).
    AnnandagPingst,
    ForstaMaj,
    /// A helgdag only from 2005-04-01 (SFS 2004:1206).
    Nationaldagen,
    Midsommardagen,
    AllaHelgonsDag,
    Juldagen,
    AnnandagJul,
}

impl Holiday {
    /// The Swedish name, in the form used in running text.
    pub fn name(self) -> &'static str {
        match self {
            Holiday::Nyarsdagen => "nyårsdagen",
            Holiday::TrettondedagJul => "trettondedag jul",
            Holiday::Langfredagen => "långfredagen",
            Holiday::Paskdagen => "påskdagen",
            Holiday::AnnandagPask => "annandag påsk",
            Holiday::KristiHimmelsfardsdag => "Kristi himmelsfärdsdag",
            Holiday::Pingstdagen => "pingstdagen",
            Holiday::AnnandagPingst => "annandag pingst",
            Holiday::ForstaMaj => "första maj",
            Holiday::Nationaldagen => "Sveriges nationaldag",
            Holiday::Midsommardagen => "midsommardagen",
            Holiday::AllaHelgonsDag => "alla helgons dag",
            Holiday::Juldagen => "juldagen",
            Holiday::AnnandagJul => "annandag jul",
        }
    }
}

impl fmt::Display for Holiday {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The Swedish lower-case name of a weekday ("måndag" … "söndag").
pub fn weekday_name(w: Weekday) -> &'static str {
    match w {
        Weekday::Mon => "måndag",
        Weekday::Tue => "tisdag",
        Weekday::Wed => "onsdag",
        Weekday::Thu => "torsdag",
        Weekday::Fri => "fredag",
        Weekday::Sat => "lördag",
        Weekday::Sun => "söndag",
    }
}

/// The first Saturday on or after `year-month-day`.
fn saturday_from(year: i32, month: u32, day: u32) -> Option<NaiveDate> {
    let start = NaiveDate::from_ymd_opt(year, month, day)?;
    let ahead =
        (Weekday::Sat.num_days_from_monday() + 7 - start.weekday().num_days_from_monday()) % 7;
    start.checked_add_days(Days::new(u64::from(ahead)))
}

fn easter_offset(easter: Option<NaiveDate>, days: i64) -> Option<NaiveDate> {
    let e = easter?;
    if days >= 0 {
        e.checked_add_days(Days::new(days.unsigned_abs()))
    } else {
        e.checked_sub_days(Days::new(days.unsigned_abs()))
    }
}

/// The named allmänna helgdagar of `year` under Lag (1989:253), sorted by date.
///
/// Before 2005-04-01 annandag pingst is included and nationaldagen is not; from that day the
/// reverse (SFS 2004:1206). The rule is date-based, so 2005 has nationaldagen and no annandag
/// pingst. Two holidays can fall on the same date (Kristi himmelsfärdsdag on 1 May, e.g. 2008;
/// pingstdagen on 6 June); both are then listed, in the order of [`Holiday`]'s variants.
/// Sundays are not listed. Days chrono cannot represent are left out.
pub fn holidays(year: i32) -> Vec<(NaiveDate, Holiday)> {
    let fixed = |m: u32, d: u32| NaiveDate::from_ymd_opt(year, m, d);
    let easter = easter_opt(year);
    let reform = reform_date();
    let candidates = [
        (fixed(1, 1), Holiday::Nyarsdagen),
        (fixed(1, 6), Holiday::TrettondedagJul),
        (easter_offset(easter, -2), Holiday::Langfredagen),
        (easter, Holiday::Paskdagen),
        (easter_offset(easter, 1), Holiday::AnnandagPask),
        (easter_offset(easter, 39), Holiday::KristiHimmelsfardsdag),
        (easter_offset(easter, 49), Holiday::Pingstdagen),
        (
            easter_offset(easter, 50).filter(|d| *d < reform),
            Holiday::AnnandagPingst,
        ),
        (fixed(5, 1), Holiday::ForstaMaj),
        (fixed(6, 6).filter(|d| *d >= reform), Holiday::Nationaldagen),
        (saturday_from(year, 6, 20), Holiday::Midsommardagen),
        (saturday_from(year, 10, 31), Holiday::AllaHelgonsDag),
        (fixed(12, 25), Holiday::Juldagen),
        (fixed(12, 26), Holiday::AnnandagJul),
    ];
    let mut list: Vec<(NaiveDate, Holiday)> = candidates
        .into_iter()
        .filter_map(|(d, h)| d.map(|d| (d, h)))
        .collect();
    // Stable, so same-date holidays keep variant order.
    list.sort_by_key(|(d, _)| *d);
    list
}

/// The named holiday on `d`, if any (the first in variant order when two coincide).
pub fn holiday_on(d: NaiveDate) -> Option<Holiday> {
    holidays(d.year())
        .into_iter()
        .find(|(date, _)| *date == d)
        .map(|(_, h)| h)
}

/// Whether `d` is an allmän helgdag under Lag (1989:253): a named holiday or any Sunday.
pub fn is_allman_helgdag(d: NaiveDate) -> bool {
    d.weekday() == Weekday::Sun || holiday_on(d).is_some()
}

/// Why a day cannot be the last day of a statutory period (Lag 1930:173 2 §).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NonWorkingReason {
    Saturday,
    Sunday,
    Holiday(Holiday),
    Midsommarafton,
    Julafton,
    Nyarsafton,
}

impl NonWorkingReason {
    /// Swedish description for messages, e.g. "lördag", "midsommarafton", "juldagen".
    pub fn describe(self) -> String {
        match self {
            NonWorkingReason::Saturday => "lördag".to_owned(),
            NonWorkingReason::Sunday => "söndag".to_owned(),
            NonWorkingReason::Holiday(h) => h.name().to_owned(),
            NonWorkingReason::Midsommarafton => "midsommarafton".to_owned(),
            NonWorkingReason::Julafton => "julafton".to_owned(),
            NonWorkingReason::Nyarsafton => "nyårsafton".to_owned(),
        }
    }
}

impl fmt::Display for NonWorkingReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.describe())
    }
}

/// Why `d` would be moved as a last day under Lag (1930:173) 2 §, or `None` if it is a weekday
/// on which a period may end.
///
/// The most specific reason wins: a named holiday before an afton, an afton before the bare
/// weekday (so juldagen on a Saturday reports juldagen, julafton on a Saturday reports
/// julafton). Trettondedagsafton and other aftnar are working days (RÅ 1999 not 181,
/// RÅ 2004 not 40).
pub fn non_working_reason(d: NaiveDate) -> Option<NonWorkingReason> {
    if let Some(h) = holiday_on(d) {
        return Some(NonWorkingReason::Holiday(h));
    }
    match (d.month(), d.day()) {
        (12, 24) => return Some(NonWorkingReason::Julafton),
        (12, 31) => return Some(NonWorkingReason::Nyarsafton),
        // The day before midsommardagen, i.e. the Friday in 19–25 June.
        (6, 19..=25) if d.weekday() == Weekday::Fri => {
            return Some(NonWorkingReason::Midsommarafton);
        }
        _ => {}
    }
    match d.weekday() {
        Weekday::Sat => Some(NonWorkingReason::Saturday),
        Weekday::Sun => Some(NonWorkingReason::Sunday),
        _ => None,
    }
}

/// A date run through Lag (1930:173) 2 §, with the days that were skipped and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Moved {
    /// The date the period would end on before 2 §.
    pub raw: NaiveDate,
    /// The first day on or after `raw` on which the period may end.
    pub result: NaiveDate,
    /// Every skipped day, from `raw` up to the day before `result`; empty if not moved.
    pub reasons: Vec<(NaiveDate, NonWorkingReason)>,
}

impl Moved {
    /// Whether 2 § moved the date at all.
    pub fn was_moved(&self) -> bool {
        self.result != self.raw
    }

    /// A Swedish clause for messages, without a subject, e.g. "föll på söndag 2020-11-29 och
    /// flyttades till måndag 2020-11-30" (prefix it with "fristen" or similar). A named day is
    /// added in parentheses: "föll på fredag 2026-04-03 (långfredagen) och flyttades till …".
    /// `None` if the date was not moved.
    pub fn explain(&self) -> Option<String> {
        let (_, first) = self.reasons.first()?;
        let raw_day = weekday_name(self.raw.weekday());
        let named = match first {
            NonWorkingReason::Saturday | NonWorkingReason::Sunday => String::new(),
            other => format!(" ({})", other.describe()),
        };
        Some(format!(
            "föll på {raw_day} {}{named} och flyttades till {} {}",
            self.raw,
            weekday_name(self.result.weekday()),
            self.result
        ))
    }
}

/// Like [`next_weekday`], but also reports the skipped days.
///
/// At `NaiveDate::MAX` the walk stops and that date is returned even though it is a nyårsafton.
pub fn next_weekday_explained(d: NaiveDate) -> Moved {
    let mut reasons = Vec::new();
    let mut cur = d;
    while let Some(reason) = non_working_reason(cur) {
        match cur.succ_opt() {
            Some(next) => {
                reasons.push((cur, reason));
                cur = next;
            }
            None => break,
        }
    }
    Moved {
        raw: d,
        result: cur,
        reasons,
    }
}

/// The first day `>= d` that is not a Saturday, Sunday, allmän helgdag, midsommarafton, julafton
/// or nyårsafton (Lag 1930:173 2 §). Returns `d` itself if it is such a day.
pub fn next_weekday(d: NaiveDate) -> NaiveDate {
    next_weekday_explained(d).result
}

/// The last day an appeal can reach the förvaltningsrätt: three weeks from the posting day
/// (KL 13:5; Lag 2003:1210 28 §), ending on the same weekday (Lag 1930:173 1 §) and moved past
/// non-working days (2 §).
pub fn last_appeal_day(posted: NaiveDate) -> NaiveDate {
    next_weekday(add_days(posted, 21))
}

/// The last day to post the anslag: the second day after justering (KL 8:12). Moving it past
/// non-working days under Lag (1930:173) 2 § is a reading, not settled law; callers may want to
/// flag a posting that is on time only thanks to the move.
pub fn posting_deadline(justerad: NaiveDate) -> NaiveDate {
    next_weekday(add_days(justerad, 2))
}

/// The last day to justera the protocol: 14 days after the meeting (KL 5:69). The statute sets
/// no "last day" to move, so this is not adjusted for weekends or holidays.
pub fn justering_deadline(meeting: NaiveDate) -> NaiveDate {
    add_days(meeting, 14)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("valid test date")
    }

    #[test]
    fn brief_last_appeal_day_vectors() {
        let cases = [
            (d(2024, 12, 3), d(2024, 12, 27)),
            (d(2025, 12, 10), d(2026, 1, 2)),
            (d(2025, 5, 30), d(2025, 6, 23)),
            (d(2025, 5, 8), d(2025, 5, 30)),
            (d(2026, 3, 13), d(2026, 4, 7)),
            (d(2025, 10, 11), d(2025, 11, 3)),
            (d(2025, 3, 14), d(2025, 4, 4)),
        ];
        for (posted, expected) in cases {
            assert_eq!(last_appeal_day(posted), expected, "posted {posted}");
        }
    }

    #[test]
    fn brief_last_appeal_day_reasons() {
        // 2024-12-24 julafton, 25 juldagen, 26 annandag jul.
        let m = next_weekday_explained(d(2024, 12, 24));
        assert_eq!(
            m.reasons,
            vec![
                (d(2024, 12, 24), NonWorkingReason::Julafton),
                (
                    d(2024, 12, 25),
                    NonWorkingReason::Holiday(Holiday::Juldagen)
                ),
                (
                    d(2024, 12, 26),
                    NonWorkingReason::Holiday(Holiday::AnnandagJul)
                ),
            ]
        );
        // 2026-04-03 långfredagen … 2026-04-06 annandag påsk.
        let m = next_weekday_explained(d(2026, 4, 3));
        assert_eq!(m.result, d(2026, 4, 7));
        assert_eq!(
            m.reasons,
            vec![
                (
                    d(2026, 4, 3),
                    NonWorkingReason::Holiday(Holiday::Langfredagen)
                ),
                (d(2026, 4, 4), NonWorkingReason::Saturday),
                (d(2026, 4, 5), NonWorkingReason::Holiday(Holiday::Paskdagen)),
                (
                    d(2026, 4, 6),
                    NonWorkingReason::Holiday(Holiday::AnnandagPask)
                ),
            ]
        );
        // 2025-11-01 alla helgons dag (a Saturday).
        let m = next_weekday_explained(d(2025, 11, 1));
        assert_eq!(
            m.reasons[0],
            (
                d(2025, 11, 1),
                NonWorkingReason::Holiday(Holiday::AllaHelgonsDag)
            )
        );
        // 2025-05-29 Kristi himmelsfärdsdag.
        assert_eq!(
            non_working_reason(d(2025, 5, 29)),
            Some(NonWorkingReason::Holiday(Holiday::KristiHimmelsfardsdag))
        );
        // 2025-12-31 nyårsafton.
        assert_eq!(
            non_working_reason(d(2025, 12, 31)),
            Some(NonWorkingReason::Nyarsafton)
        );
    }

    #[test]
    fn brief_easter_vectors() {
        assert_eq!(easter_sunday(2020), d(2020, 4, 12));
        assert_eq!(easter_sunday(2023), d(2023, 4, 9));
        assert_eq!(easter_sunday(2024), d(2024, 3, 31));
        assert_eq!(easter_sunday(2025), d(2025, 4, 20));
        assert_eq!(easter_sunday(2026), d(2026, 4, 5));
    }

    #[test]
    fn easter_known_extremes_and_centuries() {
        assert_eq!(easter_sunday(1900), d(1900, 4, 15));
        assert_eq!(easter_sunday(1913), d(1913, 3, 23));
        assert_eq!(easter_sunday(1943), d(1943, 4, 25));
        assert_eq!(easter_sunday(2000), d(2000, 4, 23));
        assert_eq!(easter_sunday(2004), d(2004, 4, 11));
        assert_eq!(easter_sunday(2005), d(2005, 3, 27));
        assert_eq!(easter_sunday(2008), d(2008, 3, 23));
        assert_eq!(easter_sunday(2038), d(2038, 4, 25));
        assert_eq!(easter_sunday(2100), d(2100, 3, 28));
        assert_eq!(easter_sunday(2200), d(2200, 4, 6));
    }

    #[test]
    fn easter_is_a_sunday_between_22_march_and_25_april() {
        for year in 1900..=2200 {
            let e = easter_sunday(year);
            assert_eq!(e.weekday(), Weekday::Sun, "{year}");
            assert!(e >= d(year, 3, 22) && e <= d(year, 4, 25), "{year}: {e}");
        }
    }

    #[test]
    fn brief_posting_deadline_vectors() {
        let m = next_weekday_explained(d(2020, 11, 27) + Days::new(2));
        assert_eq!(posting_deadline(d(2020, 11, 27)), d(2020, 11, 30));
        assert_eq!(m.raw, d(2020, 11, 29));
        assert_eq!(m.result, d(2020, 11, 30));
        assert!(m.was_moved());
        assert_eq!(m.reasons, vec![(d(2020, 11, 29), NonWorkingReason::Sunday)]);
        assert_eq!(
            m.explain().as_deref(),
            Some("föll på söndag 2020-11-29 och flyttades till måndag 2020-11-30")
        );

        let deadline = posting_deadline(d(2023, 12, 5));
        assert_eq!(deadline, d(2023, 12, 7));
        let posted = d(2023, 12, 8);
        assert_eq!((posted - deadline).num_days(), 1, "one day late");
    }

    #[test]
    fn explain_names_the_holiday() {
        let m = next_weekday_explained(d(2026, 4, 3));
        assert_eq!(
            m.explain().as_deref(),
            Some("föll på fredag 2026-04-03 (långfredagen) och flyttades till tisdag 2026-04-07")
        );
        let unmoved = next_weekday_explained(d(2026, 4, 7));
        assert!(!unmoved.was_moved());
        assert!(unmoved.reasons.is_empty());
        assert_eq!(unmoved.explain(), None);
    }

    #[test]
    fn justering_deadline_is_not_moved() {
        assert_eq!(justering_deadline(d(2025, 3, 1)), d(2025, 3, 15)); // a Saturday
        assert_eq!(justering_deadline(d(2024, 12, 11)), d(2024, 12, 25)); // juldagen
    }

    /// Literal holiday list with the weekday written out, to check both the rule and the date.
    fn check_year(year: i32, expected: &[(NaiveDate, Weekday, Holiday)]) {
        for (date, wd, h) in expected {
            assert_eq!(date.weekday(), *wd, "{year}: {h:?} on {date}");
        }
        let want: Vec<(NaiveDate, Holiday)> = expected.iter().map(|(d, _, h)| (*d, *h)).collect();
        assert_eq!(holidays(year), want, "{year}");
    }

    #[test]
    fn holidays_2004() {
        use Holiday::*;
        use Weekday::*;
        check_year(
            2004,
            &[
                (d(2004, 1, 1), Thu, Nyarsdagen),
                (d(2004, 1, 6), Tue, TrettondedagJul),
                (d(2004, 4, 9), Fri, Langfredagen),
                (d(2004, 4, 11), Sun, Paskdagen),
                (d(2004, 4, 12), Mon, AnnandagPask),
                (d(2004, 5, 1), Sat, ForstaMaj),
                (d(2004, 5, 20), Thu, KristiHimmelsfardsdag),
                (d(2004, 5, 30), Sun, Pingstdagen),
                (d(2004, 5, 31), Mon, AnnandagPingst),
                (d(2004, 6, 26), Sat, Midsommardagen),
                (d(2004, 11, 6), Sat, AllaHelgonsDag),
                (d(2004, 12, 25), Sat, Juldagen),
                (d(2004, 12, 26), Sun, AnnandagJul),
            ],
        );
    }

    #[test]
    fn holidays_2005() {
        use Holiday::*;
        use Weekday::*;
        check_year(
            2005,
            &[
                (d(2005, 1, 1), Sat, Nyarsdagen),
                (d(2005, 1, 6), Thu, TrettondedagJul),
                (d(2005, 3, 25), Fri, Langfredagen),
                (d(2005, 3, 27), Sun, Paskdagen),
                (d(2005, 3, 28), Mon, AnnandagPask),
                (d(2005, 5, 1), Sun, ForstaMaj),
                (d(2005, 5, 5), Thu, KristiHimmelsfardsdag),
                (d(2005, 5, 15), Sun, Pingstdagen),
                (d(2005, 6, 6), Mon, Nationaldagen),
                (d(2005, 6, 25), Sat, Midsommardagen),
                (d(2005, 11, 5), Sat, AllaHelgonsDag),
                (d(2005, 12, 25), Sun, Juldagen),
                (d(2005, 12, 26), Mon, AnnandagJul),
            ],
        );
        // 2005-05-16 would have been annandag pingst; after the reform it is a working Monday.
        assert_eq!(non_working_reason(d(2005, 5, 16)), None);
        assert!(!is_allman_helgdag(d(2005, 5, 16)));
        // And 2004-06-06 (a Sunday) was a helgdag only as a Sunday, not as nationaldagen.
        assert_eq!(holiday_on(d(2004, 6, 6)), None);
        assert!(is_allman_helgdag(d(2004, 6, 6)));
    }

    #[test]
    fn holidays_2020() {
        use Holiday::*;
        use Weekday::*;
        check_year(
            2020,
            &[
                (d(2020, 1, 1), Wed, Nyarsdagen),
                (d(2020, 1, 6), Mon, TrettondedagJul),
                (d(2020, 4, 10), Fri, Langfredagen),
                (d(2020, 4, 12), Sun, Paskdagen),
                (d(2020, 4, 13), Mon, AnnandagPask),
                (d(2020, 5, 1), Fri, ForstaMaj),
                (d(2020, 5, 21), Thu, KristiHimmelsfardsdag),
                (d(2020, 5, 31), Sun, Pingstdagen),
                (d(2020, 6, 6), Sat, Nationaldagen),
                (d(2020, 6, 20), Sat, Midsommardagen),
                (d(2020, 10, 31), Sat, AllaHelgonsDag),
                (d(2020, 12, 25), Fri, Juldagen),
                (d(2020, 12, 26), Sat, AnnandagJul),
            ],
        );
    }

    #[test]
    fn holidays_2025() {
        use Holiday::*;
        use Weekday::*;
        check_year(
            2025,
            &[
                (d(2025, 1, 1), Wed, Nyarsdagen),
                (d(2025, 1, 6), Mon, TrettondedagJul),
                (d(2025, 4, 18), Fri, Langfredagen),
                (d(2025, 4, 20), Sun, Paskdagen),
                (d(2025, 4, 21), Mon, AnnandagPask),
                (d(2025, 5, 1), Thu, ForstaMaj),
                (d(2025, 5, 29), Thu, KristiHimmelsfardsdag),
                (d(2025, 6, 6), Fri, Nationaldagen),
                (d(2025, 6, 8), Sun, Pingstdagen),
                (d(2025, 6, 21), Sat, Midsommardagen),
                (d(2025, 11, 1), Sat, AllaHelgonsDag),
                (d(2025, 12, 25), Thu, Juldagen),
                (d(2025, 12, 26), Fri, AnnandagJul),
            ],
        );
    }

    #[test]
    fn coinciding_holidays_are_both_listed() {
        // 2008: påskdagen 23 March, so Kristi himmelsfärdsdag is 1 May.
        let h = holidays(2008);
        let may_first: Vec<Holiday> = h
            .iter()
            .filter(|(date, _)| *date == d(2008, 5, 1))
            .map(|(_, h)| *h)
            .collect();
        assert_eq!(
            may_first,
            vec![Holiday::KristiHimmelsfardsdag, Holiday::ForstaMaj]
        );
        assert_eq!(h.len(), 13);
    }

    #[test]
    fn every_year_has_thirteen_sorted_named_days() {
        for year in 1900..=2200 {
            let h = holidays(year);
            assert_eq!(h.len(), 13, "{year}");
            assert!(h.windows(2).all(|w| w[0].0 <= w[1].0), "{year} sorted");
            assert!(h.iter().all(|(date, _)| date.year() == year), "{year}");
            let (mids, _) = h[h
                .iter()
                .position(|(_, x)| *x == Holiday::Midsommardagen)
                .unwrap()];
            assert_eq!(mids.weekday(), Weekday::Sat);
            let (ahd, _) = h[h
                .iter()
                .position(|(_, x)| *x == Holiday::AllaHelgonsDag)
                .unwrap()];
            assert_eq!(ahd.weekday(), Weekday::Sat);
            assert!(ahd >= d(year, 10, 31) && ahd <= d(year, 11, 6));
        }
    }

    #[test]
    fn trettondedagsafton_is_a_working_day() {
        // 2024-01-05 is a Friday: an afton that does not move a deadline (RÅ 2004 not 40).
        let afton = d(2024, 1, 5);
        assert_eq!(afton.weekday(), Weekday::Fri);
        assert_eq!(non_working_reason(afton), None);
        assert!(!is_allman_helgdag(afton));
        assert_eq!(next_weekday(afton), afton);
        // Posted 2023-12-15: three weeks end on trettondedagsafton, which stands.
        assert_eq!(last_appeal_day(d(2023, 12, 15)), afton);
        // Other aftnar on weekdays stand too: valborgsmässoafton, allhelgonaafton.
        assert_eq!(non_working_reason(d(2025, 4, 30)), None);
        assert_eq!(non_working_reason(d(2025, 10, 31)), None);
    }

    #[test]
    fn midsommarafton_is_not_a_working_day() {
        let afton = d(2024, 6, 21);
        assert_eq!(afton.weekday(), Weekday::Fri);
        assert_eq!(
            non_working_reason(afton),
            Some(NonWorkingReason::Midsommarafton)
        );
        assert!(!is_allman_helgdag(afton), "an afton is not a helgdag");
        assert_eq!(next_weekday(afton), d(2024, 6, 24));
        assert_eq!(
            non_working_reason(d(2025, 6, 20)),
            Some(NonWorkingReason::Midsommarafton)
        );
        // A Friday in 19–25 June that is not the afton does not exist; the one a week earlier
        // is an ordinary day.
        assert_eq!(non_working_reason(d(2024, 6, 14)), None);
    }

    #[test]
    fn describe_in_swedish() {
        assert_eq!(NonWorkingReason::Saturday.describe(), "lördag");
        assert_eq!(NonWorkingReason::Sunday.describe(), "söndag");
        assert_eq!(
            NonWorkingReason::Midsommarafton.describe(),
            "midsommarafton"
        );
        assert_eq!(NonWorkingReason::Julafton.describe(), "julafton");
        assert_eq!(NonWorkingReason::Nyarsafton.describe(), "nyårsafton");
        assert_eq!(
            NonWorkingReason::Holiday(Holiday::Nationaldagen).describe(),
            "Sveriges nationaldag"
        );
        assert_eq!(
            Holiday::KristiHimmelsfardsdag.to_string(),
            "Kristi himmelsfärdsdag"
        );
    }

    #[test]
    fn no_panic_at_chrono_edges() {
        assert_eq!(next_weekday(NaiveDate::MAX), NaiveDate::MAX);
        assert_eq!(last_appeal_day(NaiveDate::MAX), NaiveDate::MAX);
        assert_eq!(posting_deadline(NaiveDate::MAX), NaiveDate::MAX);
        assert_eq!(justering_deadline(NaiveDate::MAX), NaiveDate::MAX);
        let _ = last_appeal_day(NaiveDate::MIN);
        let _ = holidays(i32::MAX);
        let _ = holidays(i32::MIN);
        let _ = holidays(NaiveDate::MAX.year());
        let _ = holidays(NaiveDate::MIN.year());
        assert_eq!(easter_sunday(i32::MAX), NaiveDate::MAX);
        assert_eq!(easter_sunday(i32::MIN), NaiveDate::MIN);
    }

    #[test]
    fn every_day_1900_to_2200_is_handled() {
        let mut day = d(1900, 1, 1);
        let end = d(2200, 12, 31);
        while day <= end {
            let last = last_appeal_day(day);
            assert!(non_working_reason(last).is_none(), "{day}");
            let _ = posting_deadline(day);
            let _ = justering_deadline(day);
            day = day.succ_opt().unwrap();
        }
    }

    fn date_1990_2100() -> impl Strategy<Value = NaiveDate> {
        let start = d(1990, 1, 1);
        let span = (d(2100, 12, 31) - start).num_days() as u64;
        (0..=span).prop_map(move |n| start + Days::new(n))
    }

    proptest! {
        #[test]
        fn last_appeal_day_is_a_working_day_within_bounds(p in date_1990_2100()) {
            let last = last_appeal_day(p);
            prop_assert!(!matches!(last.weekday(), Weekday::Sat | Weekday::Sun));
            prop_assert!(!is_allman_helgdag(last));
            prop_assert!(holiday_on(last).is_none());
            prop_assert!(non_working_reason(last).is_none());
            prop_assert!(!(last.month() == 12 && matches!(last.day(), 24 | 31)));
            prop_assert!(last.succ_opt().and_then(holiday_on) != Some(Holiday::Midsommardagen));
            prop_assert!(last >= p + Days::new(21));
            prop_assert!(last <= p + Days::new(21 + 5));
        }

        #[test]
        fn next_weekday_is_idempotent(p in date_1990_2100()) {
            let once = next_weekday(p);
            prop_assert_eq!(next_weekday(once), once);
            prop_assert!(once >= p);
        }

        #[test]
        fn explained_covers_every_skipped_day(p in date_1990_2100()) {
            let m = next_weekday_explained(p);
            prop_assert_eq!(m.raw, p);
            prop_assert_eq!(m.reasons.len() as i64, (m.result - p).num_days());
            for (i, (day, reason)) in m.reasons.iter().enumerate() {
                prop_assert_eq!(*day, p + Days::new(i as u64));
                prop_assert_eq!(non_working_reason(*day), Some(*reason));
            }
        }
    }
}
