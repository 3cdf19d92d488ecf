//! The legal checks (`protokoll check`): findings about anslag, dates and paragraphs.
//!
//! Every rule has a stable id ([`RULES`], documented in `docs/check.md`) and reports a
//! [`Finding`]: a [`Diagnostic`] pointing at the field concerned, with the legal basis and the
//! dates it used. The law is BRIEF §3: Kommunallagen (2017:725) applies to samordningsförbund
//! through Lag (2003:1210) 19 § and 28 §; periods are computed under Lag (1930:173) by
//! [`crate::anslag::calendar`].
//!
//! Findings that rest on a reading rather than the letter of the law (the posting deadline moved
//! past a weekend, the members' notice boards) are notes worded as things to check
//! ("kontrollera: …"), never as breaches.

mod anslag;
mod dates;
mod paragraphs;
mod people;
mod plans;
pub mod report;

use crate::diagnostics::{Diagnostic, Severity};
use crate::model::{Archive, Forbund, Pos, Protocol};
use chrono::NaiveDate;
use std::collections::{BTreeMap, BTreeSet};
use std::ops::Deref;
use std::path::{Path, PathBuf};

/// KL 5 kap. 69 §: the protocol is justerat within 14 days of the meeting.
pub const BASIS_JUSTERING: &str = "KL 5 kap. 69 §";
/// KL 8 kap. 12 §: the justering is posted no later than the second day after justering, states
/// where the protocol is kept and stays up until the appeal period has run out.
pub const BASIS_ANSLAG: &str = "KL 8 kap. 12 §";
/// KL 8 kap. 12 § with the deadline moved under Lag (1930:173) 2 § (a reading).
pub const BASIS_ANSLAG_MOVED: &str = "KL 8 kap. 12 §, lag (1930:173) 2 §";
/// The appeal period: three weeks from posting (2003:1210 28 §, KL 13 kap. 5 §) during which the
/// notice stays up (KL 8 kap. 12 §).
pub const BASIS_NEDTAGET: &str = "KL 8 kap. 12 §, KL 13 kap. 5 §, lag (2003:1210) 28 §";
/// 2003:1210 19 §: the justering is announced on the anslagstavla of every member kommun and
/// region.
pub const BASIS_MEDLEMMAR: &str = "lag (2003:1210) 19 §";
/// 2003:1210 23 §: the budget is set no later than 30 November of the year before.
pub const BASIS_PLAN: &str = "lag (2003:1210) 23 §";

/// One rule of the check: its id, the severities it can report and its legal basis.
#[derive(Debug, Clone, Copy)]
pub struct Rule {
    pub id: &'static str,
    pub severities: &'static [Severity],
    pub basis: Option<&'static str>,
    /// One line in Swedish, as shown in `docs/check.md`.
    pub summary: &'static str,
}

/// Every rule id the check reports. The ids are stable: tools may match on them.
pub const RULES: &[Rule] = &[
    Rule {
        id: "anslag-saknas",
        severities: &[Severity::Varning, Severity::Notis],
        basis: Some(BASIS_ANSLAG),
        summary: "protokollet har inga uppgifter om anslag (notis om anslagsfristen inte gått ut ännu)",
    },
    Rule {
        id: "anslag-sent",
        severities: &[Severity::Fel],
        basis: Some(BASIS_ANSLAG),
        summary: "anslaget sattes upp senare än andra dagen efter justering",
    },
    Rule {
        id: "anslag-frist-flyttad",
        severities: &[Severity::Notis],
        basis: Some(BASIS_ANSLAG_MOVED),
        summary: "anslaget var i tid endast därför att fristen föll på en helgdag och flyttades",
    },
    Rule {
        id: "nedtaget-fore-sista-dag",
        severities: &[Severity::Fel],
        basis: Some(BASIS_NEDTAGET),
        summary: "anslaget togs ned före sista dag att överklaga",
    },
    Rule {
        id: "nedtaget-sista-dag",
        severities: &[Severity::Notis],
        basis: Some(BASIS_NEDTAGET),
        summary: "anslaget togs ned på sista dag att överklaga; det ska sitta uppe dagen ut",
    },
    Rule {
        id: "datumordning",
        severities: &[Severity::Fel],
        basis: None,
        summary: "datumen står i fel ordning (sammanträde ≤ justering ≤ uppsatt ≤ nedtaget)",
    },
    Rule {
        id: "justering-sen",
        severities: &[Severity::Fel],
        basis: Some(BASIS_JUSTERING),
        summary: "protokollet justerades senare än 14 dagar efter sammanträdet",
    },
    Rule {
        id: "justering-saknas",
        severities: &[Severity::Varning, Severity::Notis],
        basis: Some(BASIS_JUSTERING),
        summary: "protokollet saknar justeringsdatum (notis om justeringsfristen inte gått ut ännu)",
    },
    Rule {
        id: "forvaringsplats-saknas",
        severities: &[Severity::Varning],
        basis: Some(BASIS_ANSLAG),
        summary: "protokollet anger inte var det förvaras",
    },
    Rule {
        id: "paragraf-lucka",
        severities: &[Severity::Varning],
        basis: None,
        summary: "paragrafnumren har en lucka",
    },
    Rule {
        id: "paragraf-dubblett",
        severities: &[Severity::Fel],
        basis: None,
        summary: "ett paragrafnummer förekommer två gånger",
    },
    Rule {
        id: "paragraf-ordning",
        severities: &[Severity::Varning],
        basis: None,
        summary: "paragraferna står inte i nummerordning",
    },
    Rule {
        id: "justerande-paragrafer",
        severities: &[Severity::Varning],
        basis: None,
        summary: "justerande paragrafer stämmer inte med protokollets paragrafer",
    },
    Rule {
        id: "narvaro-saknas",
        severities: &[Severity::Varning],
        basis: None,
        summary: "protokollet anger inga beslutande",
    },
    Rule {
        id: "justerare-saknas",
        severities: &[Severity::Varning],
        basis: None,
        summary: "underskrifterna anger ingen justerare",
    },
    Rule {
        id: "plan-sent-antagen",
        severities: &[Severity::Varning],
        basis: Some(BASIS_PLAN),
        summary: "planen antogs efter 30 november året före planåret",
    },
    Rule {
        id: "medlemsanslag",
        severities: &[Severity::Notis],
        basis: Some(BASIS_MEDLEMMAR),
        summary: "anslag på medlemskommunernas och regionernas anslagstavlor är inte belagt",
    },
];

/// A finding: the diagnostic (severity, rule id, place, message, hint) and what it rests on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub diagnostic: Diagnostic,
    /// The legal basis, e.g. `KL 8 kap. 12 §`; `None` for content rules and loader problems.
    pub basis: Option<&'static str>,
    /// The dates the finding used, by a stable key (`justerad`, `uppsatt`, … see docs/check.md).
    pub dates: BTreeMap<&'static str, NaiveDate>,
}

impl Finding {
    pub fn with_date(mut self, key: &'static str, date: NaiveDate) -> Self {
        self.dates.insert(key, date);
        self
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.diagnostic = self.diagnostic.with_hint(hint);
        self
    }
}

/// A problem without a legal basis or dates, e.g. from the loader.
impl From<Diagnostic> for Finding {
    fn from(diagnostic: Diagnostic) -> Self {
        Finding {
            diagnostic,
            basis: None,
            dates: BTreeMap::new(),
        }
    }
}

impl Deref for Finding {
    type Target = Diagnostic;

    fn deref(&self) -> &Diagnostic {
        &self.diagnostic
    }
}

/// Every finding for the archive as of today in Sweden, as diagnostics sorted by file and line
/// (what `build` reports).
///
/// Only `anslag-saknas` and `justering-saknas` depend on the day, and only between `varning`
/// and `notis`; use [`check_archive_on`] to fix the day.
pub fn check_archive(archive: &Archive) -> Vec<Diagnostic> {
    check_archive_on(archive, crate::build::today_in_sweden())
}

/// Every finding for the archive as of `today`, as diagnostics sorted by file and line.
pub fn check_archive_on(archive: &Archive, today: NaiveDate) -> Vec<Diagnostic> {
    findings(archive, today)
        .into_iter()
        .map(|f| f.diagnostic)
        .collect()
}

/// Every finding for the archive as of `today`, sorted by file and line.
pub fn findings(archive: &Archive, today: NaiveDate) -> Vec<Finding> {
    let mut out = Vec::new();
    for (forbund, protocol) in archive.protocols() {
        out.extend(check_protocol(forbund, protocol, today));
    }
    for (_, plan) in archive.plans() {
        plans::check(plan, &mut out);
    }
    sort(&mut out);
    out
}

/// The findings for one protocol of `forbund`, in rule order.
pub fn check_protocol(forbund: &Forbund, protocol: &Protocol, today: NaiveDate) -> Vec<Finding> {
    let cx = Cx {
        forbund,
        protocol,
        today,
    };
    let mut out = Vec::new();
    dates::check(&cx, &mut out);
    anslag::check(&cx, &mut out);
    paragraphs::check(protocol, &mut out);
    people::check(protocol, &mut out);
    out
}

/// Sorts like [`crate::diagnostics::sort`]: by file, line, column, rule id and message.
pub fn sort(findings: &mut [Finding]) {
    findings.sort_by(|a, b| {
        (&a.file, a.line, a.column, &a.code, &a.message)
            .cmp(&(&b.file, b.line, b.column, &b.code, &b.message))
    });
}

/// The loader's diagnostics and the findings, sorted; a finding the loader already reported
/// (same rule id, file and line, e.g. `paragraf-dubblett`) is left out.
pub fn merge(loader: Vec<Diagnostic>, findings: Vec<Finding>) -> Vec<Finding> {
    let seen: BTreeSet<(String, PathBuf, usize)> = loader
        .iter()
        .map(|d| (d.code.clone(), d.file.clone(), d.line))
        .collect();
    let mut all: Vec<Finding> = loader.into_iter().map(Finding::from).collect();
    all.extend(
        findings
            .into_iter()
            .filter(|f| !seen.contains(&(f.code.clone(), f.file.clone(), f.line))),
    );
    sort(&mut all);
    all
}

/// What the rules of one protocol look at.
struct Cx<'a> {
    forbund: &'a Forbund,
    protocol: &'a Protocol,
    today: NaiveDate,
}

/// A finding of rule `code`, with the rule's legal basis.
fn finding(severity: Severity, code: &str, file: &Path, pos: Pos, message: String) -> Finding {
    let rule = RULES.iter().find(|r| r.id == code);
    debug_assert!(rule.is_some(), "unknown rule {code}");
    Finding {
        diagnostic: Diagnostic::error(code, file, pos, message).with_severity(severity),
        basis: rule.and_then(|r| r.basis),
        dates: BTreeMap::new(),
    }
}

/// A number of days in Swedish running text: "en dag", "två dagar", "14 dagar".
fn days(n: i64) -> String {
    const WORDS: [&str; 13] = [
        "noll", "en", "två", "tre", "fyra", "fem", "sex", "sju", "åtta", "nio", "tio", "elva",
        "tolv",
    ];
    let count = usize::try_from(n)
        .ok()
        .and_then(|i| WORDS.get(i).copied())
        .map_or_else(|| n.to_string(), str::to_string);
    if n == 1 {
        format!("{count} dag")
    } else {
        format!("{count} dagar")
    }
}

/// "a", "a och b", "a, b och c".
fn join_sv(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} och {last}", init.join(", ")),
    }
}

#[cfg(test)]
pub(crate) mod testutil {
    //! Protocols for the rule tests, parsed by the real loader so positions are real.

    use super::Finding;
    use crate::model::{Forbund, Protocol};
    use chrono::NaiveDate;
    use std::path::Path;

    pub const FORBUND: &str = "namn: Testförbundet
kortnamn: Test
sate: Åstorp
medlemmar:
  - namn: Åstorps kommun
    typ: kommun
  - namn: Region Skåne
    typ: region
  - namn: Försäkringskassan
    typ: forsakringskassan
  - namn: Arbetsförmedlingen
    typ: arbetsformedlingen
anslagstavlor:
  - namn: Testförbundets anslagstavla
";

    /// A protocol that breaks no rule: justerad the day after the meeting, posted two days
    /// later on the förbund's and every member kommun's and region's board, taken down after
    /// the last appeal day 2025-04-04.
    pub const CLEAN: &str = "---
organ: Styrelsen
datum: 2025-03-11
narvaro:
  beslutande:
    - namn: Anna Andersson
      roll: ledamot
justering:
  datum: 2025-03-12
justerande_paragrafer: \"1-3\"
underskrifter:
  - roll: ordförande
    namn: Anna Andersson
  - roll: justerare
    namn: Bo Berg
forvaringsplats: Testförbundet, Åstorp
anslag:
  - anslagstavla: Testförbundets anslagstavla
    uppsatt: 2025-03-14
    nedtaget: 2025-04-07
  - anslagstavla: Åstorps kommuns anslagstavla
    uppsatt: 2025-03-14
    nedtaget: 2025-04-07
  - anslagstavla: Region Skånes anslagstavla
    uppsatt: 2025-03-14
    nedtaget: 2025-04-07
---

## § 1 Mötets öppnande

## § 2 Val av justerare

## § 3 Avslutning
";

    pub fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("test date")
    }

    pub fn forbund() -> Forbund {
        let mut errors = Vec::new();
        let f = crate::load::parse_forbund(FORBUND, Path::new("forbund.yaml"), "test", &mut errors);
        assert!(errors.is_empty(), "{errors:?}");
        f.expect("test förbund")
    }

    /// Parses `text` as `2025-03-11.md` (or the file named after its `datum`).
    pub fn protocol(text: &str) -> Protocol {
        let datum = text
            .lines()
            .find_map(|l| l.strip_prefix("datum: "))
            .expect("datum line");
        let name = format!("content/test/protokoll/{datum}.md");
        let mut errors = Vec::new();
        let p = crate::load::parse_protocol(text, Path::new(&name), &mut errors);
        assert!(errors.is_empty(), "{errors:?}");
        p.expect("test protocol")
    }

    /// `CLEAN` with `from` replaced by `to` (which must occur).
    pub fn edit(text: &str, from: &str, to: &str) -> String {
        assert!(text.contains(from), "`{from}` not in the protocol");
        text.replacen(from, to, 1)
    }

    /// The findings for `text` as of 2025-11-20.
    pub fn run(text: &str) -> Vec<Finding> {
        super::check_protocol(&forbund(), &protocol(text), day("2025-11-20"))
    }

    pub fn with_code<'a>(found: &'a [Finding], code: &str) -> Vec<&'a Finding> {
        found.iter().filter(|d| d.code == code).collect()
    }

    /// 1-based line of the first line of `text` containing `needle`.
    pub fn line_of(text: &str, needle: &str) -> usize {
        text.lines()
            .position(|l| l.contains(needle))
            .expect("needle")
            + 1
    }
}

#[cfg(test)]
mod tests {
    use super::testutil::*;
    use super::*;

    #[test]
    fn clean_protocol_has_no_findings() {
        let found = run(CLEAN);
        assert!(found.is_empty(), "{found:#?}");
    }

    #[test]
    fn every_finding_uses_a_listed_rule_with_a_listed_severity() {
        let text = edit(CLEAN, "  datum: 2025-03-12", "  datum: 2025-03-30");
        let text = edit(&text, "forvaringsplats: Testförbundet, Åstorp\n", "");
        for d in run(&text) {
            let rule = RULES.iter().find(|r| r.id == d.code).expect("listed rule");
            assert!(rule.severities.contains(&d.severity), "{d:?}");
        }
    }

    #[test]
    fn rule_ids_are_unique() {
        let ids: BTreeSet<&str> = RULES.iter().map(|r| r.id).collect();
        assert_eq!(ids.len(), RULES.len());
    }

    #[test]
    fn swedish_day_counts() {
        assert_eq!(days(1), "en dag");
        assert_eq!(days(3), "tre dagar");
        assert_eq!(days(19), "19 dagar");
        assert_eq!(join_sv(&["a".into(), "b".into(), "c".into()]), "a, b och c");
    }

    #[test]
    fn merge_drops_a_finding_the_loader_already_reported() {
        let file = Path::new("a.md");
        let pos = Pos { line: 4, column: 4 };
        let loader = vec![Diagnostic::error(
            "paragraf-dubblett",
            file,
            pos,
            "från inläsningen",
        )];
        let findings = vec![
            Finding::from(Diagnostic::error(
                "paragraf-dubblett",
                file,
                pos,
                "från kontrollen",
            )),
            Finding::from(Diagnostic::error("paragraf-lucka", file, pos, "lucka")),
        ];
        let all = merge(loader, findings);
        let messages: Vec<&str> = all.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(messages, vec!["från inläsningen", "lucka"]);
    }
}
