//! Rules on plans: `plan-sent-antagen`.

use super::{BASIS_PLAN, Finding, finding};
use crate::diagnostics::Severity;
use crate::model::Plan;
use chrono::NaiveDate;

/// `plan-sent-antagen`: the budget is set no later than 30 November of the year before the plan
/// year (2003:1210 23 §). Only when the plan says when it was adopted.
pub(super) fn check(plan: &Plan, out: &mut Vec<Finding>) {
    let Some(adopted) = &plan.adopted else { return };
    let year = plan.year.value;
    let Some(deadline) = year
        .checked_sub(1)
        .and_then(|y| NaiveDate::from_ymd_opt(y, 11, 30))
    else {
        return;
    };
    if adopted.date.value <= deadline {
        return;
    }
    out.push(
        finding(
            Severity::Varning,
            "plan-sent-antagen",
            &plan.source,
            adopted.date.pos,
            format!(
                "planen för {year} antogs {}, efter {deadline}; budgeten ska fastställas senast 30 november året före ({BASIS_PLAN})",
                adopted.date.value
            ),
        )
        .with_date("antagen", adopted.date.value)
        .with_date("senast_antagen", deadline)
        .with_hint("kontrollera antagningsdatum och planens år"),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn plan(text: &str) -> Plan {
        let mut errors = Vec::new();
        let p =
            crate::load::parse_plan(text, Path::new("content/test/planer/2021.md"), &mut errors);
        assert!(errors.is_empty(), "{errors:?}");
        p.expect("plan")
    }

    fn run(text: &str) -> Vec<Finding> {
        let mut out = Vec::new();
        check(&plan(text), &mut out);
        out
    }

    const PLAN: &str = "---\ntitel: Verksamhetsplan 2021\nar: 2021\nantagen:\n  datum: 2020-11-30\n  organ: Styrelsen\n---\n\n## Budget\n";

    #[test]
    fn adopted_by_30_november_is_fine() {
        assert!(run(PLAN).is_empty());
        assert!(
            run("---\ntitel: Plan\nar: 2021\n---\n").is_empty(),
            "no adoption date: no finding"
        );
    }

    #[test]
    fn adopted_after_30_november_is_a_warning() {
        let text = PLAN.replace("2020-11-30", "2020-12-01");
        let found = run(&text);
        assert_eq!(found.len(), 1, "{found:#?}");
        let f = &found[0];
        assert_eq!(f.code, "plan-sent-antagen");
        assert_eq!(f.severity, Severity::Varning);
        assert_eq!((f.line, f.column), (5, 10));
        assert_eq!(
            f.message,
            "planen för 2021 antogs 2020-12-01, efter 2020-11-30; budgeten ska fastställas senast 30 november året före (lag (2003:1210) 23 §)"
        );
        assert_eq!(f.basis, Some("lag (2003:1210) 23 §"));
    }
}
