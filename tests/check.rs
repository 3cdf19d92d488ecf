//! `protokoll check`: the real binary on the example archive and on fixtures, the JSON format,
//! exit codes, and the checks that `build` runs.

use protokoll::check::{self, RULES};
use protokoll::diagnostics::Severity;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A day after every deadline of the example archive, so no finding depends on the real date.
const IDAG: &str = "2025-11-20";

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

const FIXTURE: &str = "tests/fixtures/check-sent-anslag";
const FIXTURE_PROTOCOL: &str =
    "tests/fixtures/check-sent-anslag/content/testforbund/protokoll/2025-03-06.md";

/// Runs the binary in the repository folder.
fn protokoll(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_protokoll"))
        .args(args)
        .current_dir(repo())
        .env("NO_COLOR", "1")
        .output()
        .expect("run protokoll")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn json(o: &Output) -> Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("not JSON ({e}):\n{}", stdout(o)))
}

fn findings<'a>(report: &'a Value, code: &str, file_end: &str) -> Vec<&'a Value> {
    report["findings"]
        .as_array()
        .expect("findings array")
        .iter()
        .filter(|f| f["code"] == code && f["file"].as_str().unwrap_or("").ends_with(file_end))
        .collect()
}

/// 1-based line and column of the value after `key` on the first line containing `needle`.
fn value_position(file: &Path, needle: &str, key: &str) -> (u64, u64) {
    let text = std::fs::read_to_string(file).expect("read fixture");
    let (i, line) = text
        .lines()
        .enumerate()
        .find(|(_, l)| l.contains(needle))
        .expect("needle in file");
    let after_key = line.find(key).expect("key on the line") + key.len();
    let value = after_key + line[after_key..].len() - line[after_key..].trim_start().len();
    (i as u64 + 1, line[..value].chars().count() as u64 + 1)
}

#[test]
fn example_archive_reports_the_seed_findings() {
    let out = protokoll(&["check", "--idag", IDAG, "--format", "json"]);
    let report = json(&out);
    assert_eq!(
        out.status.code(),
        Some(0),
        "no fel in the example archive: {report:#}"
    );

    // 2020-11-24: justerad Friday 11-27, deadline Sunday 11-29 moved to Monday 11-30, posted 11-30.
    let moved = findings(
        &report,
        "anslag-frist-flyttad",
        "soderasen/protokoll/2020-11-24.md",
    );
    assert_eq!(moved.len(), 1, "{report:#}");
    assert_eq!(moved[0]["severity"], "notis");
    let message = moved[0]["message"].as_str().unwrap();
    assert!(
        message.starts_with("kontrollera: anslaget var i tid endast därför att fristen föll på söndag 2020-11-29 och flyttades till måndag 2020-11-30"),
        "{message}"
    );
    assert_eq!(moved[0]["dates"]["justerad"], "2020-11-27");
    assert_eq!(moved[0]["dates"]["uppsatt"], "2020-11-30");
    assert_eq!(moved[0]["dates"]["anslagsfrist"], "2020-11-30");
    let (line, column) = value_position(
        &repo().join("content/soderasen/protokoll/2020-11-24.md"),
        "uppsatt: 2020-11-30",
        "uppsatt:",
    );
    assert_eq!(
        (moved[0]["line"].as_u64(), moved[0]["column"].as_u64()),
        (Some(line), Some(column))
    );

    // Both Söderåsen notices came down on the last appeal day.
    for (file, last) in [
        ("2020-11-24.md", "2020-12-21"),
        ("2025-03-11.md", "2025-04-04"),
    ] {
        let f = findings(
            &report,
            "nedtaget-sista-dag",
            &format!("soderasen/protokoll/{file}"),
        );
        assert_eq!(f.len(), 1, "{file}: {report:#}");
        assert_eq!(f[0]["severity"], "notis");
        assert_eq!(f[0]["dates"]["sista_dag_overklagande"], last);
        assert_eq!(f[0]["dates"]["nedtaget"], last);
        assert!(f[0]["message"].as_str().unwrap().contains("hela den dagen"));
    }

    // Blekinge: no anslag data, and § 6 missing between § 5 and § 7.
    let blekinge = "blekinge/protokoll/2025-05-05.md";
    let missing = findings(&report, "anslag-saknas", blekinge);
    assert_eq!(missing.len(), 1, "{report:#}");
    assert_eq!(missing[0]["severity"], "varning");
    assert_eq!(missing[0]["basis"], "KL 8 kap. 12 §");
    let gap = findings(&report, "paragraf-lucka", blekinge);
    assert_eq!(gap.len(), 1, "{report:#}");
    assert_eq!(gap[0]["severity"], "varning");
    assert!(
        gap[0]["message"]
            .as_str()
            .unwrap()
            .starts_with("§ 6 saknas")
    );
    let (line, column) = value_position(&repo().join("content").join(blekinge), "## § 7", "##");
    assert_eq!(
        (gap[0]["line"].as_u64(), gap[0]["column"].as_u64()),
        (Some(line), Some(column))
    );

    // Nothing is reported that the example archive does not deserve.
    assert!(
        findings(&report, "anslag-sent", "").is_empty(),
        "{report:#}"
    );
    assert!(
        findings(&report, "nedtaget-fore-sista-dag", "").is_empty(),
        "{report:#}"
    );
    assert!(
        findings(&report, "justering-sen", "").is_empty(),
        "{report:#}"
    );
    assert!(
        findings(
            &report,
            "paragraf-lucka",
            "soderasen/protokoll/2025-03-11.md"
        )
        .is_empty()
    );
}

#[test]
fn example_archive_text_output_has_locations_and_a_summary() {
    let out = protokoll(&["check", "--idag", IDAG]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{text}");
    let (line, column) = value_position(
        &repo().join("content/soderasen/protokoll/2025-03-11.md"),
        "nedtaget: 2025-04-04",
        "nedtaget:",
    );
    assert!(
        text.contains(&format!(
            "content/soderasen/protokoll/2025-03-11.md:{line}:{column}: notis [nedtaget-sista-dag] kontrollera: anslaget togs ned 2025-04-04"
        )),
        "{text}"
    );
    let report = json(&protokoll(&["check", "--idag", IDAG, "--format", "json"]));
    let s = &report["summary"];
    let plural = |n: &Value, one: &str, many: &str| {
        let n = n.as_u64().unwrap();
        format!("{n} {}", if n == 1 { one } else { many })
    };
    let summary = format!(
        "{}, {}, {}",
        plural(&s["fel"], "fel", "fel"),
        plural(&s["varningar"], "varning", "varningar"),
        plural(&s["notiser"], "notis", "notiser")
    );
    assert_eq!(text.lines().last(), Some(summary.as_str()), "{text}");
}

#[test]
fn notice_posted_three_days_after_justering_is_an_error_at_the_posted_date() {
    let out = protokoll(&["check", "--rot", FIXTURE, "--idag", IDAG]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    let (line, column) = value_position(
        &repo().join(FIXTURE_PROTOCOL),
        "uppsatt: 2025-03-13",
        "uppsatt:",
    );
    let headline = format!(
        "{FIXTURE_PROTOCOL}:{line}:{column}: fel [anslag-sent] anslaget på Testförbundets anslagstavla sattes upp 2025-03-13, en dag efter sista dag 2025-03-12 (justerad 2025-03-10; KL 8 kap. 12 §)"
    );
    assert!(text.contains(&headline), "expected {headline}\nin\n{text}");
    assert_eq!(
        text.lines().last(),
        Some("1 fel, 0 varningar, 0 notiser"),
        "{text}"
    );
}

#[test]
fn json_report_of_the_fixture() {
    let out = protokoll(&[
        "check", "--rot", FIXTURE, "--idag", IDAG, "--format", "json",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let report = json(&out);
    assert_eq!(report["version"], 1);
    assert_eq!(report["idag"], IDAG);
    assert_eq!(
        report["summary"],
        serde_json::json!({"fel": 1, "varningar": 0, "notiser": 0})
    );
    let all = report["findings"].as_array().unwrap();
    assert_eq!(all.len(), 1, "{report:#}");
    let f = &all[0];
    let keys: Vec<&str> = f.as_object().unwrap().keys().map(String::as_str).collect();
    let mut expected = vec![
        "basis", "code", "column", "dates", "file", "hint", "line", "message", "severity",
    ];
    expected.sort_unstable();
    let mut keys_sorted = keys.clone();
    keys_sorted.sort_unstable();
    assert_eq!(keys_sorted, expected);
    assert_eq!(f["severity"], "fel");
    assert_eq!(f["code"], "anslag-sent");
    assert_eq!(f["file"], FIXTURE_PROTOCOL);
    let (line, column) = value_position(
        &repo().join(FIXTURE_PROTOCOL),
        "uppsatt: 2025-03-13",
        "uppsatt:",
    );
    assert_eq!(
        (f["line"].as_u64(), f["column"].as_u64()),
        (Some(line), Some(column))
    );
    assert_eq!(column, 14);
    assert_eq!(f["basis"], "KL 8 kap. 12 §");
    assert_eq!(
        f["dates"],
        serde_json::json!({"justerad": "2025-03-10", "uppsatt": "2025-03-13", "anslagsfrist": "2025-03-12"})
    );
    assert!(f["hint"].is_string());
    let message = f["message"].as_str().unwrap();
    assert!(
        message.contains("2025-03-13") && message.contains("2025-03-12"),
        "{message}"
    );
}

fn forbund() -> protokoll::model::Forbund {
    let text = std::fs::read_to_string(
        repo()
            .join(FIXTURE)
            .join("content/testforbund/forbund.yaml"),
    )
    .unwrap();
    let mut errors = Vec::new();
    let f = protokoll::load::parse_forbund(
        &text,
        Path::new("forbund.yaml"),
        "testforbund",
        &mut errors,
    );
    assert!(errors.is_empty(), "{errors:?}");
    f.unwrap()
}

/// The fixture's protocol moved to a meeting on 2023-12-01, justerad 2023-12-05 and posted on
/// the förbund's board on `posted`.
fn brief_protocol(posted: &str) -> Vec<check::Finding> {
    let text = std::fs::read_to_string(repo().join(FIXTURE_PROTOCOL))
        .unwrap()
        .replace("datum: 2025-03-06", "datum: 2023-12-01")
        .replace("datum: 2025-03-10", "datum: 2023-12-05")
        .replace("uppsatt: 2025-03-12", "uppsatt: 2023-12-07")
        .replace("uppsatt: 2025-03-13", &format!("uppsatt: {posted}"))
        .replace("nedtaget: 2025-04-04", "nedtaget: 2024-01-10");
    let mut errors = Vec::new();
    let p = protokoll::load::parse_protocol(
        &text,
        Path::new("content/testforbund/protokoll/2023-12-01.md"),
        &mut errors,
    )
    .expect("protocol");
    assert!(errors.is_empty(), "{errors:?}");
    let today = chrono::NaiveDate::from_ymd_opt(2024, 6, 1).unwrap();
    check::check_protocol(&forbund(), &p, today)
}

#[test]
fn justerad_2023_12_05_posted_12_08_is_one_day_late_and_12_07_on_time() {
    let late = brief_protocol("2023-12-08");
    let sent: Vec<_> = late.iter().filter(|d| d.code == "anslag-sent").collect();
    assert_eq!(sent.len(), 1, "{late:#?}");
    assert_eq!(sent[0].severity, Severity::Fel);
    assert!(
        sent[0]
            .message
            .contains("sattes upp 2023-12-08, en dag efter sista dag 2023-12-07 (justerad 2023-12-05; KL 8 kap. 12 §)"),
        "{}",
        sent[0].message
    );
    let on_time = brief_protocol("2023-12-07");
    assert!(on_time.is_empty(), "{on_time:#?}");
}

#[test]
fn usage_errors_exit_2() {
    for args in [
        vec!["check", "--format", "xml"],
        vec!["check", "--idag", "2025-13-01"],
        vec!["check", "--okand"],
        vec!["check", "--rot", "tests/fixtures/finns-inte"],
    ] {
        let out = protokoll(&args);
        assert_eq!(
            out.status.code(),
            Some(2),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(out.stdout.is_empty(), "{args:?}");
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(files_under(&path));
        } else {
            out.push(path);
        }
    }
    out.sort();
    out
}

#[test]
fn check_writes_nothing_and_loader_errors_count_as_fel() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    copy_dir(&repo().join(FIXTURE), &site);
    let before = files_under(&site);
    let rot = site.to_str().unwrap();
    let out = protokoll(&["check", "--rot", rot, "--idag", IDAG]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(files_under(&site), before, "check must not write");

    // Fix the late posting: no fel, exit 0.
    let protocol = site.join("content/testforbund/protokoll/2025-03-06.md");
    let text = std::fs::read_to_string(&protocol).unwrap();
    std::fs::write(
        &protocol,
        text.replace("uppsatt: 2025-03-13", "uppsatt: 2025-03-12"),
    )
    .unwrap();
    let out = protokoll(&["check", "--rot", rot, "--idag", IDAG]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert_eq!(stdout(&out).trim(), "0 fel, 0 varningar, 0 notiser");

    // A loader error (misspelt key) is reported with the findings and fails the check.
    let text = std::fs::read_to_string(&protocol).unwrap();
    std::fs::write(
        &protocol,
        text.replace("forvaringsplats:", "förvaringsplats:"),
    )
    .unwrap();
    let out = protokoll(&["check", "--rot", rot, "--idag", IDAG, "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let report = json(&out);
    assert!(
        report["summary"]["fel"].as_u64().unwrap() >= 1,
        "{report:#}"
    );
    assert!(
        findings(&report, "yaml", "2025-03-06.md").len() == 1,
        "{report:#}"
    );
}

#[test]
fn build_reports_check_errors_as_warnings_unless_strikt() {
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().join("public");
    let utdata = out_dir.to_str().unwrap();
    let out = protokoll(&[
        "build",
        "--rot",
        FIXTURE,
        "--utdata",
        utdata,
        "--idag",
        "2025-03-20",
    ]);
    let text = stdout(&out);
    let errors = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(0), "{text}{errors}");
    // Without strikt the build sums the findings up in one line and does not list them.
    assert!(
        text.contains("Lagkontroller: 1 fel, 0 varningar, 0 notiser"),
        "{text}"
    );
    assert!(!errors.contains("[anslag-sent]"), "{errors}");
    assert!(out_dir.join("index.html").is_file());

    let site = dir.path().join("strikt");
    copy_dir(&repo().join(FIXTURE), &site);
    let toml = std::fs::read_to_string(site.join("site.toml")).unwrap();
    let toml = toml.replacen(
        "utdata = \"public\"",
        "utdata = \"public\"\nstrikt = true",
        1,
    );
    assert!(toml.contains("strikt = true"));
    std::fs::write(site.join("site.toml"), toml).unwrap();
    let strict_out = site.join("public");
    let out = protokoll(&[
        "build",
        "--rot",
        site.to_str().unwrap(),
        "--utdata",
        strict_out.to_str().unwrap(),
        "--idag",
        "2025-03-20",
    ]);
    let errors = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(1), "{errors}");
    assert!(errors.contains("fel [anslag-sent]"), "{errors}");
    assert!(!strict_out.join("index.html").exists());
}

#[test]
fn docs_list_every_rule_the_json_fields_and_the_exit_codes() {
    let docs = std::fs::read_to_string(repo().join("docs/check.md")).expect("docs/check.md");
    for rule in RULES {
        assert!(
            docs.contains(&format!("`{}`", rule.id)),
            "docs/check.md lacks rule {}",
            rule.id
        );
    }
    for field in [
        "version", "summary", "findings", "severity", "code", "file", "line", "column", "message",
        "hint", "basis", "dates", "idag",
    ] {
        assert!(
            docs.contains(&format!("`{field}`")),
            "docs/check.md lacks field {field}"
        );
    }
    for code in ["| 0 |", "| 1 |", "| 2 |"] {
        assert!(docs.contains(code), "docs/check.md lacks exit code {code}");
    }
}
