//! The output of `protokoll check`: the summary line, the JSON report and the exit code.
//!
//! The JSON format is documented in `docs/check.md` and versioned: fields are only ever added
//! within a version; a change that removes or renames one bumps [`JSON_VERSION`].

use super::Finding;
use crate::diagnostics::Severity;
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::BTreeMap;

pub const JSON_VERSION: u32 = 1;

/// Exit status: no fel.
pub const EXIT_OK: i32 = 0;
/// Exit status: at least one fel (from loading or from a rule).
pub const EXIT_FEL: i32 = 1;
/// Exit status: the command line was wrong (clap's own status for usage errors).
pub const EXIT_USAGE: i32 = 2;

/// Counts by severity.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub fel: usize,
    pub varningar: usize,
    pub notiser: usize,
}

impl Summary {
    pub fn of(findings: &[Finding]) -> Summary {
        let count = |s: Severity| findings.iter().filter(|f| f.severity == s).count();
        Summary {
            fel: count(Severity::Fel),
            varningar: count(Severity::Varning),
            notiser: count(Severity::Notis),
        }
    }

    /// "2 fel, 1 varning, 3 notiser".
    pub fn line(&self) -> String {
        let plural = crate::sv::antal;
        format!(
            "{}, {}, {}",
            plural(self.fel, "fel", "fel"),
            plural(self.varningar, "varning", "varningar"),
            plural(self.notiser, "notis", "notiser")
        )
    }

    pub fn exit_code(&self) -> i32 {
        if self.fel > 0 { EXIT_FEL } else { EXIT_OK }
    }
}

#[derive(Debug, Serialize)]
struct JsonReport<'a> {
    version: u32,
    idag: NaiveDate,
    summary: Summary,
    findings: Vec<JsonFinding<'a>>,
}

#[derive(Debug, Serialize)]
struct JsonFinding<'a> {
    severity: Severity,
    code: &'a str,
    file: String,
    line: usize,
    column: usize,
    message: &'a str,
    hint: Option<&'a str>,
    basis: Option<&'a str>,
    dates: &'a BTreeMap<&'static str, NaiveDate>,
}

/// The report as one JSON object (pretty-printed, ending in a newline).
pub fn to_json(findings: &[Finding], today: NaiveDate) -> String {
    let report = JsonReport {
        version: JSON_VERSION,
        idag: today,
        summary: Summary::of(findings),
        findings: findings
            .iter()
            .map(|d| JsonFinding {
                severity: d.severity,
                code: &d.code,
                file: d.file.to_string_lossy().replace('\\', "/"),
                line: d.line,
                column: d.column,
                message: &d.message,
                hint: d.hint.as_deref(),
                basis: d.basis,
                dates: &d.dates,
            })
            .collect(),
    };
    let mut text = serde_json::to_string_pretty(&report).unwrap_or_else(|e| {
        // Serialising plain strings, numbers and dates cannot fail; say so if it ever does.
        format!("{{\"version\": {JSON_VERSION}, \"error\": \"{e}\"}}")
    });
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Diagnostic;
    use crate::model::Pos;
    use std::path::Path;

    #[test]
    fn summary_line_and_exit_code() {
        let file = Path::new("a.md");
        let d =
            |s| Finding::from(Diagnostic::error("x", file, Pos::default(), "m").with_severity(s));
        let list = vec![d(Severity::Varning), d(Severity::Notis), d(Severity::Notis)];
        let s = Summary::of(&list);
        assert_eq!(s.line(), "0 fel, 1 varning, 2 notiser");
        assert_eq!(s.exit_code(), EXIT_OK);
        let list = vec![d(Severity::Fel), d(Severity::Varning), d(Severity::Varning)];
        let s = Summary::of(&list);
        assert_eq!(s.line(), "1 fel, 2 varningar, 0 notiser");
        assert_eq!(s.exit_code(), EXIT_FEL);
    }

    #[test]
    fn json_has_every_documented_field() {
        let day = NaiveDate::from_ymd_opt(2023, 12, 8).unwrap();
        let d = Finding {
            diagnostic: Diagnostic::error(
                "anslag-sent",
                Path::new("c/p.md"),
                Pos {
                    line: 3,
                    column: 14,
                },
                "sent",
            ),
            basis: Some("KL 8 kap. 12 §"),
            dates: BTreeMap::new(),
        }
        .with_date("uppsatt", day);
        let v: serde_json::Value = serde_json::from_str(&to_json(&[d], day)).unwrap();
        assert_eq!(v["version"], 1);
        assert_eq!(v["idag"], "2023-12-08");
        assert_eq!(
            v["summary"],
            serde_json::json!({"fel": 1, "varningar": 0, "notiser": 0})
        );
        let f = &v["findings"][0];
        assert_eq!(f["severity"], "fel");
        assert_eq!(f["code"], "anslag-sent");
        assert_eq!(f["file"], "c/p.md");
        assert_eq!(
            (f["line"].as_u64(), f["column"].as_u64()),
            (Some(3), Some(14))
        );
        assert_eq!(f["message"], "sent");
        assert!(f["hint"].is_null());
        assert_eq!(f["basis"], "KL 8 kap. 12 §");
        assert_eq!(f["dates"], serde_json::json!({"uppsatt": "2023-12-08"}));
    }
}
