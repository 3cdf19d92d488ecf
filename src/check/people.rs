//! Rules on the people of a protocol: `narvaro-saknas`, `justerare-saknas`.

use super::{Finding, finding};
use crate::diagnostics::Severity;
use crate::model::Protocol;

pub(super) fn check(p: &Protocol, out: &mut Vec<Finding>) {
    let a = &p.attendance;
    if a.voting.is_empty() && a.serving_substitutes.is_empty() {
        let message = if a.is_empty() {
            "protokollet anger inte vilka som var närvarande (`narvaro` saknas)"
        } else {
            "närvaron anger inga beslutande (`beslutande` och `tjanstgorande_ersattare` är tomma)"
        };
        out.push(
            finding(
                Severity::Varning,
                "narvaro-saknas",
                &p.source,
                p.front_matter_pos,
                message.to_string(),
            )
            .with_hint("lägg till `narvaro:` med `beslutande:` så som protokollet anger dem"),
        );
    }
    let has_justerare = p
        .signatories
        .iter()
        .any(|s| s.role.to_lowercase().contains("juster"));
    if !has_justerare {
        out.push(
            finding(
                Severity::Varning,
                "justerare-saknas",
                &p.source,
                p.front_matter_pos,
                "underskrifterna anger ingen justerare".to_string(),
            )
            .with_hint("lägg till en underskrift med `roll: justerare` och justerarens namn"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::super::testutil::*;
    use crate::diagnostics::Severity;

    #[test]
    fn missing_attendance_is_a_warning() {
        let start = CLEAN.find("narvaro:\n").unwrap();
        let end = CLEAN.find("justering:\n").unwrap();
        let text = format!("{}{}", &CLEAN[..start], &CLEAN[end..]);
        let found = run(&text);
        let f = with_code(&found, "narvaro-saknas");
        assert_eq!(f.len(), 1, "{found:#?}");
        assert_eq!(f[0].severity, Severity::Varning);
        assert!(f[0].message.contains("`narvaro` saknas"));

        // Only others present: still no one who took the decisions.
        let others = edit(CLEAN, "  beslutande:", "  ovriga_narvarande:");
        let found = run(&others);
        let f = with_code(&found, "narvaro-saknas");
        assert_eq!(f.len(), 1, "{found:#?}");
        assert!(f[0].message.contains("inga beslutande"));

        let serving = edit(CLEAN, "  beslutande:", "  tjanstgorande_ersattare:");
        assert!(with_code(&run(&serving), "narvaro-saknas").is_empty());
        assert!(with_code(&run(CLEAN), "narvaro-saknas").is_empty());
    }

    #[test]
    fn missing_justerare_is_a_warning() {
        let text = edit(CLEAN, "  - roll: justerare\n    namn: Bo Berg\n", "");
        let found = run(&text);
        let f = with_code(&found, "justerare-saknas");
        assert_eq!(f.len(), 1, "{found:#?}");
        assert_eq!(f[0].severity, Severity::Varning);
        assert_eq!(f[0].line, 2);

        let person = edit(CLEAN, "roll: justerare", "roll: Justeringsperson");
        assert!(with_code(&run(&person), "justerare-saknas").is_empty());
        assert!(with_code(&run(CLEAN), "justerare-saknas").is_empty());
    }
}
