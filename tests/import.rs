//! `protokoll import` on the real seeds: every draft is accepted by `protokoll check` and is
//! compared, field by field, with the hand conversions in the example archive (loaded with the
//! library's own parse_protocol/parse_plan); the seed with a BankID appendix leaves no personal
//! data; and broken, empty, binary and huge inputs fail cleanly within a time bound.
//!
//! The seeds live outside the repository, in `../shared/seeds` (CI keeps a copy of `shared/`
//! beside the clone).

mod common;

use protokoll::load::{parse_plan, parse_protocol};
use protokoll::model::{Person, Plan, Protocol};
use protokoll::privacy;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;
use wait_timeout::ChildExt;

/// No import in these tests may take longer than this (a hang is a failure, not a slow test).
const TIME_BOUND: Duration = Duration::from_secs(180);

fn seeds() -> PathBuf {
    let dir = common::repo().join("../shared/seeds");
    assert!(
        dir.is_dir(),
        "the seeds are missing: expected {} (shared/ beside the repository, as CI lays it out)",
        dir.display()
    );
    dir
}

fn seed(prefix: &str) -> PathBuf {
    let dir = seeds();
    let mut found: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with(prefix))
        })
        .collect();
    found.sort();
    found
        .into_iter()
        .next()
        .unwrap_or_else(|| panic!("no seed {prefix}* in {}", dir.display()))
}

struct Output {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

/// Runs the binary with a time limit; a run that overruns is killed and fails the test.
fn run_bounded(mut cmd: Command) -> Output {
    let mut child = cmd
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the protokoll binary runs");
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let t_out = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = out.read_to_string(&mut s);
        s
    });
    let t_err = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = err.read_to_string(&mut s);
        s
    });
    match child.wait_timeout(TIME_BOUND).unwrap() {
        Some(status) => Output {
            code: status.code(),
            stdout: t_out.join().unwrap(),
            stderr: t_err.join().unwrap(),
        },
        None => {
            let _ = child.kill();
            let _ = child.wait();
            panic!("protokoll did not finish within {TIME_BOUND:?}: {cmd:?}");
        }
    }
}

fn protokoll() -> Command {
    Command::new(env!("CARGO_BIN_EXE_protokoll"))
}

/// An archive with the example's site.toml and förbund profiles, and no documents yet.
fn empty_archive(dir: &Path) {
    std::fs::copy(common::repo().join("site.toml"), dir.join("site.toml")).unwrap();
    for slug in ["soderasen", "blekinge", "sydostraskane"] {
        let d = dir.join("content").join(slug);
        std::fs::create_dir_all(&d).unwrap();
        std::fs::copy(
            common::repo()
                .join("content")
                .join(slug)
                .join("forbund.yaml"),
            d.join("forbund.yaml"),
        )
        .unwrap();
    }
}

fn import(
    files: &[PathBuf],
    forbund: Option<&str>,
    archive: &Path,
    extra_env: Option<(&str, &str)>,
) -> Output {
    let mut cmd = protokoll();
    cmd.arg("import").args(files);
    if let Some(f) = forbund {
        cmd.args(["--forbund", f]);
    }
    cmd.arg("--ut")
        .arg(archive.join("content"))
        .arg("--rapport")
        .arg(archive.join("importrapport.md"));
    if let Some((k, v)) = extra_env {
        cmd.env(k, v);
    }
    run_bounded(cmd)
}

fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A field-by-field comparison.
#[derive(Default)]
struct Score {
    header: Vec<(String, bool)>,
    items: Vec<(String, bool)>,
}

impl Score {
    fn field<T: std::fmt::Debug + PartialEq>(&mut self, name: &str, hand: T, draft: T) {
        let same = hand == draft;
        let label = if same {
            name.to_string()
        } else {
            format!("{name}: förväntat {hand:?}, fick {draft:?}")
        };
        self.header.push((label, same));
    }

    fn item(&mut self, name: String, hand: &str, draft: &str) {
        let same = hand == draft;
        let label = if same {
            name
        } else {
            format!("{name}: förväntat {hand:?}, fick {draft:?}")
        };
        self.items.push((label, same));
    }

    fn header_ok(&self) -> usize {
        self.header.iter().filter(|(_, ok)| *ok).count()
    }

    fn items_ok(&self) -> usize {
        self.items.iter().filter(|(_, ok)| *ok).count()
    }

    fn items_share(&self) -> f64 {
        self.items_ok() as f64 / self.items.len().max(1) as f64
    }

    fn misses(&self) -> Vec<&str> {
        self.header
            .iter()
            .chain(&self.items)
            .filter(|(_, ok)| !ok)
            .map(|(l, _)| l.as_str())
            .collect()
    }
}

/// A person as compared: name, role, assignment, organisation, party.
type PersonFields = (
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
);

fn people(list: &[Person]) -> Vec<PersonFields> {
    list.iter()
        .map(|p| {
            (
                p.name.clone(),
                p.role.clone(),
                p.assignment.clone(),
                p.organisation.clone(),
                p.party.clone(),
            )
        })
        .collect()
}

/// The decisions of a §: each decision's id and text, whitespace-normalised, joined. Joined, so
/// that one decision of two paragraphs and two decisions of one paragraph each compare equal;
/// the words and their order must be the same.
fn decisions(p: &protokoll::model::Paragraph) -> String {
    p.decisions()
        .map(|d| {
            let id = d
                .argument
                .as_deref()
                .map(|a| format!("[{a}] "))
                .unwrap_or_default();
            squash(&format!("{id}{}", d.markdown))
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn compare_protocols(hand: &Protocol, draft: &Protocol) -> Score {
    let mut s = Score::default();
    s.field("organ", &hand.organ, &draft.organ);
    s.field("nummer", hand.number, draft.number);
    s.field("datum", hand.date.value, draft.date.value);
    s.field("tid.start", &hand.start_time, &draft.start_time);
    s.field("tid.slut", &hand.end_time, &draft.end_time);
    s.field("plats", &hand.place, &draft.place);
    let (h, d) = (&hand.attendance, &draft.attendance);
    s.field("narvaro.beslutande", people(&h.voting), people(&d.voting));
    s.field(
        "narvaro.tjanstgorande_ersattare",
        people(&h.serving_substitutes),
        people(&d.serving_substitutes),
    );
    s.field(
        "narvaro.ersattare",
        people(&h.substitutes),
        people(&d.substitutes),
    );
    s.field(
        "narvaro.ovriga_narvarande",
        people(&h.others),
        people(&d.others),
    );
    s.field(
        "narvaro.anmalt_forhinder",
        people(&h.absent),
        people(&d.absent),
    );
    let j = |p: &Protocol| {
        p.justering
            .as_ref()
            .map(|j| (j.date.value, j.method.clone(), j.place.clone()))
    };
    s.field("justering", j(hand), j(draft));
    s.field(
        "justerande_paragrafer",
        hand.justerande_paragrafer
            .as_ref()
            .map(|r| r.ranges.clone()),
        draft
            .justerande_paragrafer
            .as_ref()
            .map(|r| r.ranges.clone()),
    );
    let signers = |p: &Protocol| {
        p.signatories
            .iter()
            .map(|x| (x.role.clone(), x.name.clone()))
            .collect::<Vec<_>>()
    };
    s.field("underskrifter", signers(hand), signers(draft));
    s.field("forvaringsplats", &hand.storage_place, &draft.storage_place);
    let notices = |p: &Protocol| {
        p.notices
            .iter()
            .map(|n| {
                (
                    n.board.clone(),
                    n.posted.value,
                    n.removed.as_ref().map(|r| r.value),
                    n.certified_by.clone(),
                )
            })
            .collect::<Vec<_>>()
    };
    s.field("anslag", notices(hand), notices(draft));
    s.field(
        "digital_signering",
        &hand.signature_checksum,
        &draft.signature_checksum,
    );
    let numbers = |p: &Protocol| p.paragraphs.iter().map(|x| x.number).collect::<Vec<_>>();
    s.field("§-nummer", numbers(hand), numbers(draft));
    for hp in &hand.paragraphs {
        let dp = draft.paragraphs.iter().find(|p| p.number == hp.number);
        let title = dp.map_or(String::new(), |p| p.title.clone());
        s.item(format!("§ {} titel", hp.number), &hp.title, &title);
        let (hd, dd) = (decisions(hp), dp.map_or(String::new(), decisions));
        if !hd.is_empty() || !dd.is_empty() {
            s.item(format!("§ {} beslut", hp.number), &hd, &dd);
        }
    }
    s
}

fn compare_plans(hand: &Plan, draft: &Plan) -> Score {
    let mut s = Score::default();
    s.field("titel", &hand.title, &draft.title);
    s.field("ar", hand.year.value, draft.year.value);
    let adopted = |p: &Plan| {
        p.adopted
            .as_ref()
            .map(|a| (a.date.value, a.organ.clone(), a.paragraph))
    };
    s.field("antagen", adopted(hand), adopted(draft));
    let n = hand.sections.len().max(draft.sections.len());
    for i in 0..n {
        let h = hand.sections.get(i).map_or("", |x| x.title.as_str());
        let d = draft.sections.get(i).map_or("", |x| x.title.as_str());
        s.item(format!("avsnitt {}", i + 1), h, d);
    }
    s
}

fn load_protocol(path: &Path) -> Protocol {
    let mut errors = Vec::new();
    let text = common::read(path);
    let p = parse_protocol(&text, path, &mut errors);
    assert!(
        errors.is_empty(),
        "{} does not load: {errors:#?}\n{text}",
        path.display()
    );
    p.unwrap()
}

fn load_plan(path: &Path) -> Plan {
    let mut errors = Vec::new();
    let text = common::read(path);
    let p = parse_plan(&text, path, &mut errors);
    assert!(
        errors.is_empty(),
        "{} does not load: {errors:#?}\n{text}",
        path.display()
    );
    p.unwrap()
}

struct Case {
    seed: &'static str,
    slug: &'static str,
    /// The hand conversion, under content/.
    hand: &'static str,
    plan: bool,
    /// The share of titles and decisions that must be exact. The target is 0.95; see the
    /// per-seed notes for where a seed honestly cannot reach it.
    min_items: f64,
}

const CASES: &[Case] = &[
    // § 13 "X utses att … justera" is marked as a decision here, not in the hand conversion.
    Case {
        seed: "000_",
        slug: "soderasen",
        hand: "soderasen/protokoll/2025-03-11.md",
        plan: false,
        min_items: 0.95,
    },
    // Two-column layout scrambled by extraction; rebuilt by matching text to headings.
    Case {
        seed: "001_",
        slug: "blekinge",
        hand: "blekinge/protokoll/2025-05-05.md",
        plan: false,
        min_items: 0.95,
    },
    Case {
        seed: "002_",
        slug: "sydostraskane",
        hand: "sydostraskane/planer/2020.md",
        plan: true,
        min_items: 0.95,
    },
    // § 69 "Justering ska ske …" is a decision in the hand conversion without any decision
    // wording in the source: the importer does not guess it.
    Case {
        seed: "004_",
        slug: "soderasen",
        hand: "soderasen/protokoll/2020-11-24.md",
        plan: false,
        min_items: 0.95,
    },
];

#[test]
fn seeds_import_to_drafts_that_match_the_hand_conversions_and_pass_check() {
    let dir = tempfile::tempdir().unwrap();
    let archive = dir.path();
    empty_archive(archive);
    let mut summary = String::from("\nseed   huvud        titlar och beslut\n");
    let mut failures = Vec::new();
    for case in CASES {
        let run = import(&[seed(case.seed)], Some(case.slug), archive, None);
        assert_eq!(
            run.code,
            Some(0),
            "import of {} failed:\n{}\n{}",
            case.seed,
            run.stdout,
            run.stderr
        );
        let draft = archive.join("content").join(case.hand);
        assert!(
            draft.exists(),
            "{} was not written:\n{}",
            draft.display(),
            run.stdout
        );
        let hand = common::repo().join("content").join(case.hand);
        let score = if case.plan {
            compare_plans(&load_plan(&hand), &load_plan(&draft))
        } else {
            compare_protocols(&load_protocol(&hand), &load_protocol(&draft))
        };
        summary.push_str(&format!(
            "{}  {:>2}/{:<2} fält   {:>2}/{:<2} = {:.1} %\n",
            case.seed.trim_end_matches('_'),
            score.header_ok(),
            score.header.len(),
            score.items_ok(),
            score.items.len(),
            100.0 * score.items_share()
        ));
        for m in score.misses() {
            summary.push_str(&format!("       skiljer: {m}\n"));
        }
        if score.header_ok() != score.header.len() {
            failures.push(format!("{}: header fields differ", case.seed));
        }
        if score.items_share() < case.min_items {
            failures.push(format!(
                "{}: {:.1} % < {:.0} %",
                case.seed,
                100.0 * score.items_share(),
                100.0 * case.min_items
            ));
        }
    }
    println!("{summary}");
    assert!(failures.is_empty(), "{failures:?}\n{summary}");

    // All four drafts together: `protokoll check` finds no fel (loading problems count as fel).
    let mut cmd = protokoll();
    cmd.args(["check", "--idag", "2025-06-01", "--rot"])
        .arg(archive);
    let check = run_bounded(cmd);
    assert_eq!(
        check.code,
        Some(0),
        "check found fel:\n{}\n{}",
        check.stdout,
        check.stderr
    );
    assert!(check.stdout.contains("0 fel"), "{}", check.stdout);
}

#[test]
fn the_bankid_seed_leaves_no_personal_data_and_keeps_the_justering_and_checksum() {
    let source = common::read(&seed("000_"));
    let dir = tempfile::tempdir().unwrap();
    empty_archive(dir.path());
    // Without --forbund: the förbund is recognised by its name.
    let run = import(&[seed("000_")], None, dir.path(), None);
    assert_eq!(run.code, Some(0), "{}\n{}", run.stdout, run.stderr);
    let draft_path = dir.path().join("content/soderasen/protokoll/2025-03-11.md");
    let draft = common::read(&draft_path);
    let report = common::read(&dir.path().join("importrapport.md"));

    let blocking: Vec<_> = privacy::scan(&draft, &privacy::Policy::default())
        .into_iter()
        .filter(|f| f.kind.blocks_publication())
        .collect();
    assert!(blocking.is_empty(), "{blocking:#?}");
    // Every value of the appendix's personal and secret keys, read from the seed itself.
    let values = regex::Regex::new(
        r#""(ssn|client_ip|order_ref|qr_secret|qr_token|agreement_key)":\s*"([^"]+)""#,
    )
    .unwrap();
    let mut n = 0;
    for c in values.captures_iter(&source) {
        n += 1;
        for (name, text) in [("utkastet", &draft), ("rapporten", &report)] {
            assert!(
                !text.contains(&c[2]),
                "{name} innehåller {} = {}",
                &c[1],
                &c[2]
            );
        }
    }
    assert!(n >= 12, "the seed's appendix was not found ({n} values)");
    for key in ["ssn", "client_ip", "qr_secret", "order_ref", "bankid"] {
        assert!(
            !draft.to_lowercase().contains(key),
            "the draft mentions {key}"
        );
    }

    let p = load_protocol(&draft_path);
    let j = p.justering.expect("justering");
    assert_eq!(j.date.value.to_string(), "2025-03-12");
    assert_eq!(j.method.as_deref(), Some("digital signering"));
    let checksum = regex::Regex::new(r#""original_checksum":\s*"([0-9a-f]+)""#)
        .unwrap()
        .captures(&source)
        .unwrap()[1]
        .to_string();
    assert_eq!(p.signature_checksum.as_deref(), Some(checksum.as_str()));
    assert!(
        draft.contains(&format!(
            "digital_signering:\n  kontrollsumma: \"{checksum}\""
        )),
        "{draft}"
    );

    // The report names the removal and what it held.
    assert!(report.contains("e-signaturbilaga"), "{report}");
    // Each removal counted as the seed holds it: every ssn and client_ip value of the appendix
    // and every masked birth date (19820629XXXX).
    let count = |pattern: &str| {
        regex::Regex::new(pattern)
            .unwrap()
            .find_iter(&source)
            .count()
    };
    let (ssn, ips, masked) = (
        count(r#""ssn":\s*"\d{12}""#),
        count(r#""client_ip":\s*""#),
        count(r"\b\d{8}XXXX\b"),
    );
    assert!(ssn > 0 && ips > 0 && masked > 0, "{ssn} {ips} {masked}");
    assert!(
        report.contains(&format!("{ssn} × ett personnummer")),
        "{report}"
    );
    assert!(
        report.contains(&format!("{ips} × en IP-adress")),
        "{report}"
    );
    assert!(
        report.contains(&format!("{masked} × ett maskerat personnummer")),
        "{report}"
    );
    assert!(
        report.contains("dubblett"),
        "the second copy of the document is reported:\n{report}"
    );
    assert!(
        report.contains("e-signerat av 3 (sekreterare, ordförande, justerare)"),
        "{report}"
    );
}

/// A one-page PDF with the given lines of text (Helvetica, WinAnsi), written the way PDF writers do.
fn minimal_pdf(lines: &[&str]) -> Vec<u8> {
    let mut content: Vec<u8> = b"BT /F1 11 Tf 50 800 Td 14 TL\n".to_vec();
    for l in lines {
        content.push(b'(');
        for c in l.chars() {
            match c {
                '(' | ')' | '\\' => {
                    content.push(b'\\');
                    content.push(c as u8);
                }
                // Latin-1 and WinAnsi agree on the Swedish letters and §.
                c if (c as u32) < 256 => content.push(c as u32 as u8),
                _ => content.push(b'?'),
            }
        }
        content.extend_from_slice(b") Tj T*\n");
    }
    content.extend_from_slice(b"ET");
    let objects: Vec<Vec<u8>> = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>".to_vec(),
        [format!("<< /Length {} >>\nstream\n", content.len()).into_bytes(), content, b"\nendstream".to_vec()].concat(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>".to_vec(),
    ];
    let mut pdf = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, o) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
        pdf.extend_from_slice(o);
        pdf.extend_from_slice(b"\nendobj\n");
    }
    let xref = pdf.len();
    pdf.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for o in offsets {
        pdf.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
    }
    pdf.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    pdf
}

const PDF_PROTOCOL: &[&str] = &[
    "Sammanträdesprotokoll nr 4  2025-06-10",
    "Plats och tid  Stadshuset, Alby kl 13-15",
    "Beslutande  Anna Ek, ledamot och ordförande, Alby kommun",
    "Justering  2025-06-12",
    "Justerande paragrafer  §§ 30-31",
    "§ 30 Mötets öppnande",
    "Ordförande öppnar mötet.",
    "§ 31 Budget 2026",
    "Beslut",
    "Styrelsen beslutar att fastställa budgeten för 2026.",
];

/// A deterministic stream of bytes that are not text.
fn noise(len: usize, seed: u64) -> Vec<u8> {
    let mut x = seed | 1;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect()
}

#[test]
fn a_pdf_imports_with_pdftotext_and_with_the_built_in_reader() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("protokoll.pdf");
    std::fs::write(&pdf, minimal_pdf(PDF_PROTOCOL)).unwrap();
    for (name, env) in [
        ("pdftotext", None),
        ("inbyggd", Some(("PROTOKOLL_UTAN_PDFTOTEXT", "1"))),
    ] {
        let archive = dir.path().join(name);
        std::fs::create_dir_all(&archive).unwrap();
        let run = import(std::slice::from_ref(&pdf), Some("alfa"), &archive, env);
        assert_eq!(run.code, Some(0), "{name}:\n{}\n{}", run.stdout, run.stderr);
        let p = load_protocol(&archive.join("content/alfa/protokoll/2025-06-10.md"));
        let got: Vec<(u32, String, String)> = p
            .paragraphs
            .iter()
            .map(|x| (x.number, x.title.clone(), decisions(x)))
            .collect();
        assert_eq!(
            got,
            vec![
                (30, "Mötets öppnande".to_string(), String::new()),
                (
                    31,
                    "Budget 2026".to_string(),
                    "Styrelsen beslutar att fastställa budgeten för 2026.".to_string()
                ),
            ],
            "{name}"
        );
        assert_eq!(p.place.as_deref(), Some("Stadshuset, Alby"), "{name}");
    }
}

#[test]
fn broken_inputs_get_a_clear_error_without_panic_or_hang() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = dir.path().join("in");
    std::fs::create_dir_all(&inputs).unwrap();
    let good_pdf = minimal_pdf(PDF_PROTOCOL);
    let content_at = good_pdf.windows(7).position(|w| w == b"4 0 obj").unwrap();
    let huge_text: Vec<u8> = "Sammanträdesprotokoll 2025-03-11. Styrelsen beslutar att godkänna.\n"
        .repeat(50 * 1024 * 1024 / 68 + 1)
        .into_bytes();
    let mut huge_pdf = b"%PDF-1.4\n".to_vec();
    huge_pdf.extend(noise(50 * 1024 * 1024, 7));
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("tom.txt", Vec::new(), "filen är tom"),
        ("blank.txt", b"  \n\n \t\n".to_vec(), "filen är tom"),
        ("binar.txt", noise(100_000, 3), "binärt innehåll"),
        (
            "brev.txt",
            "Hej! Detta är ett vanligt brev utan paragrafer och utan plan.\n"
                .repeat(3)
                .into_bytes(),
            "varken ett protokoll",
        ),
        (
            "trasig.pdf",
            [b"%PDF-1.7\n".to_vec(), noise(200_000, 5)].concat(),
            "PDF",
        ),
        // Cut inside the page's content stream, before any of its text.
        ("avkortad.pdf", good_pdf[..content_at + 20].to_vec(), "PDF"),
        (
            "inte-pdf.pdf",
            b"<html>detta ar ingen pdf</html>".to_vec(),
            "saknar PDF-huvud",
        ),
        ("stor.txt", huge_text, "för stor"),
        ("stor.pdf", huge_pdf, "för stor"),
        (
            "dokument.docx",
            [b"PK\x03\x04".to_vec(), noise(5_000, 9)].concat(),
            "kan inte importeras",
        ),
    ];
    let mut files = Vec::new();
    for (name, bytes, _) in &cases {
        let p = inputs.join(name);
        std::fs::write(&p, bytes).unwrap();
        files.push(p);
    }
    // One good file among the broken ones: its draft is written all the same.
    let good = inputs.join("bra.txt");
    std::fs::copy(seed("004_"), &good).unwrap();
    files.push(good);
    for env in [None, Some(("PROTOKOLL_UTAN_PDFTOTEXT", "1"))] {
        let archive = tempfile::tempdir().unwrap();
        empty_archive(archive.path());
        let started = std::time::Instant::now();
        let run = import(&files, Some("soderasen"), archive.path(), env);
        let all = format!("{}\n{}", run.stdout, run.stderr);
        assert_eq!(
            run.code,
            Some(1),
            "some files failed, so the status is 1:\n{all}"
        );
        assert!(
            !all.contains("panicked") && !all.contains("RUST_BACKTRACE"),
            "{all}"
        );
        for (name, _, message) in &cases {
            let line = run
                .stderr
                .lines()
                .find(|l| l.starts_with("fel: ") && l.contains(name))
                .unwrap_or_else(|| panic!("no error line for {name} ({env:?}):\n{all}"));
            assert!(
                line.contains(message),
                "{name}: expected \"{message}\" in \"{line}\""
            );
        }
        assert!(
            archive
                .path()
                .join("content/soderasen/protokoll/2020-11-24.md")
                .exists(),
            "the good file is imported despite the others:\n{all}"
        );
        let report = common::read(&archive.path().join("importrapport.md"));
        assert!(report.contains("Kunde inte importeras"), "{report}");
        assert!(started.elapsed() < TIME_BOUND);
    }
}

#[test]
fn an_existing_draft_is_not_overwritten_unless_asked() {
    let dir = tempfile::tempdir().unwrap();
    empty_archive(dir.path());
    let first = import(&[seed("004_")], Some("soderasen"), dir.path(), None);
    assert_eq!(first.code, Some(0), "{}", first.stderr);
    let again = import(&[seed("004_")], Some("soderasen"), dir.path(), None);
    assert_eq!(again.code, Some(1));
    assert!(again.stderr.contains("finns redan"), "{}", again.stderr);
    let mut cmd = protokoll();
    cmd.arg("import")
        .arg(seed("004_"))
        .args(["--forbund", "soderasen", "--skriv-over", "--ut"]);
    cmd.arg(dir.path().join("content"))
        .arg("--rapport")
        .arg(dir.path().join("r.md"));
    assert_eq!(run_bounded(cmd).code, Some(0));
}

/// A folder of web copies (`.html` and a Windows-1252 `.htm` saved from Word) imports like text:
/// a draft per page with the meeting's date, the page's menus and scripts not in the draft, and
/// the report saying the text came from HTML.
#[test]
fn web_copies_in_a_folder_import_through_the_html_reader() {
    let dir = tempfile::tempdir().unwrap();
    empty_archive(dir.path());
    let pages = dir.path().join("sidor");
    std::fs::create_dir_all(&pages).unwrap();
    let html = common::repo().join("tests/fixtures/import/html");
    for name in ["sf-lovsjo-webb-tabell.html", "rf-stenvik-word.htm"] {
        std::fs::copy(html.join(name), pages.join(name)).unwrap();
    }
    let out = import(&[pages], Some("soderasen"), dir.path(), None);
    assert_eq!(out.code, Some(0), "{}\n{}", out.stdout, out.stderr);
    let protocols = dir.path().join("content/soderasen/protokoll");
    let lovsjo = std::fs::read_to_string(protocols.join("2024-09-17.md")).unwrap();
    let stenvik = std::fs::read_to_string(protocols.join("2024-03-06.md")).unwrap();
    assert!(
        lovsjo.contains("## § 33 Delårsrapport januari–augusti 2024"),
        "{lovsjo}"
    );
    assert!(
        stenvik.contains("## § 19 Regional transportplan 2024–2030"),
        "{stenvik}"
    );
    assert!(stenvik.contains("Bengtsdotter"), "{stenvik}");
    for text in [&lovsjo, &stenvik] {
        for furniture in ["Om oss", "dataLayer", "Senast uppdaterad", "MsoNormal"] {
            assert!(!text.contains(furniture), "{furniture} in {text}");
        }
    }
    let report = std::fs::read_to_string(dir.path().join("importrapport.md")).unwrap();
    assert!(report.contains("textkälla: HTML"), "{report}");
}

#[path = "import/corpus.rs"]
mod corpus;

/// Done-when 1 of issue 18: over the development corpus, a draft for every file, at least 90 %
/// of header fields right and the rest flagged, no wrong value without a flag, no label or merged
/// line as a person, at least 95 % of § numbers and titles right. Prints the figures per file.
#[test]
fn the_development_corpus_meets_the_import_thresholds() {
    let dir = common::repo().join("tests/fixtures/import");
    let files = corpus::corpus(&dir);
    assert!(files.len() >= 30, "only {} corpus texts", files.len());
    let (total, right_share, para_share, out) = corpus::score_all(&files);
    println!("{out}");
    assert_eq!(total.drafts, files.len(), "{out}");
    assert!(right_share >= 0.90, "{out}");
    assert!(total.wrong_silent.is_empty(), "{out}");
    assert!(total.bad_people.is_empty(), "{out}");
    assert!(para_share >= 0.95, "{out}");
}

/// The held-out set (`tests/fixtures/import/heldout/`): texts written after the rules, in layouts
/// the rules were not built on. Their figures are printed to measure how the rules generalise;
/// asserted is the hard line, which holds on every set: a draft for every readable text, no
/// wrong value without a flag, no label or merged line as a person.
#[test]
fn the_held_out_corpus_gets_a_draft_for_every_text() {
    let dir = common::repo().join("tests/fixtures/import/heldout");
    let files = corpus::corpus(&dir);
    assert!(files.len() >= 25, "only {} texts", files.len());
    let (total, _, _, out) = corpus::score_all(&files);
    println!("{out}");
    assert_eq!(total.drafts, files.len(), "{out}");
    assert!(total.wrong_silent.is_empty(), "{out}");
    assert!(total.bad_people.is_empty(), "{out}");
}

/// The second held-out set (`tests/fixtures/import/heldout2/`): ten protocols of other bodies and
/// layouts, written after the rules of the first held-out round, their truth files before the
/// importer ran on them (two web copies, two scans). Prints the figures and asserts the hard
/// line, as for the first held-out set.
#[test]
fn the_second_held_out_corpus_gets_a_draft_for_every_text() {
    let dir = common::repo().join("tests/fixtures/import/heldout2");
    let files = corpus::corpus(&dir);
    assert!(files.len() >= 10, "only {} texts", files.len());
    let (total, _, _, out) = corpus::score_all(&files);
    println!("{out}");
    assert_eq!(total.drafts, files.len(), "{out}");
    assert!(total.wrong_silent.is_empty(), "{out}");
    assert!(total.bad_people.is_empty(), "{out}");
}

/// The third held-out set (`tests/fixtures/import/heldout3/`): five protocols written after every
/// rule of the second round, truth files committed before the importer ran on them. Prints the
/// figures (the estimate for layouts not seen) and asserts the hard line.
#[test]
fn the_third_held_out_corpus_gets_a_draft_for_every_text() {
    let dir = common::repo().join("tests/fixtures/import/heldout3");
    let files = corpus::corpus(&dir);
    assert!(files.len() >= 5, "only {} texts", files.len());
    let (total, _, _, out) = corpus::score_all(&files);
    println!("{out}");
    assert_eq!(total.drafts, files.len(), "{out}");
    assert!(total.wrong_silent.is_empty(), "{out}");
    assert!(total.bad_people.is_empty(), "{out}");
}

/// Issue 18's failure kinds, each from a text written for it: what a reviewer would check in the
/// draft and the report. The texts are small; the corpus test covers the layouts at large.
mod regressions {
    use protokoll::import::report::{FileReport, Status};
    use protokoll::import::{Conversion, convert};
    use std::path::PathBuf;

    fn run(name: &str, text: &str) -> (Conversion, FileReport) {
        let mut r = FileReport::new(PathBuf::from(format!("in/{name}.txt")));
        let c = convert(text, Some("prov"), &[], &mut r)
            .unwrap_or_else(|e| panic!("{name}: no draft: {e}"));
        (c, r)
    }

    fn date(text: &str) -> String {
        let (c, _) = run("datum", text);
        c.header
            .and_then(|h| h.date)
            .map(|d| d.to_string())
            .unwrap_or_default()
    }

    const BODY: &str =
        "\n§ 4 Mötets öppnande\nOrdföranden öppnade mötet.\n\n§ 5 Avslut\nMötet avslutades.\n";

    #[test]
    fn the_date_is_found_wherever_it_stands() {
        assert_eq!(
            date(&format!("Sammanträdesdatum: 2024-03-14\n{BODY}")),
            "2024-03-14"
        );
        assert_eq!(
            date(&format!(
                "Styrelsen\nPlats och tid: Kansliet, Hedby, 2024-03-14 kl 10-12\n{BODY}"
            )),
            "2024-03-14"
        );
        assert_eq!(
            date(&format!(
                "Styrelsen\nPlats och tid\nKansliet, Hedby\n14 mars 2024 kl. 09.00-11.30\n{BODY}"
            )),
            "2024-03-14"
        );
        let anslag = format!(
            "Styrelsen\n{BODY}\nANSLAGSBEVIS\nProtokollet är justerat.\nSammanträdes-\ndatum\n\n\n2024-03-14\nDatum då anslaget sätts upp\n2024-03-20\n"
        );
        assert_eq!(date(&anslag), "2024-03-14");
        assert_eq!(
            date(&format!(
                "Protokoll fört vid styrelsens möte den 1 november 2021\n{BODY}"
            )),
            "2021-11-01"
        );
    }

    #[test]
    fn a_protocol_without_any_date_gets_a_draft_with_a_placeholder_name() {
        let (c, r) = run("Möte i mars", &format!("Styrelsen\n{BODY}"));
        assert_eq!(c.file_name, "utan-datum-mote-i-mars.md");
        assert!(
            r.entries
                .iter()
                .any(|e| e.field == "datum" && e.status != Status::Found)
        );
        assert!(c.text.contains("datum: # SAKNAS"));
    }

    fn numbers(text: &str) -> Vec<u32> {
        let (_, r) = run("markorer", text);
        r.paragraphs.iter().map(|p| p.0).collect()
    }

    #[test]
    fn every_marker_form_gives_paragraphs_and_unusual_ones_are_flagged() {
        let forms = [
            "56 § Val av justerare\nText.\n\n57 § Ekonomi\nText.\n",
            "36. Val av justerare\nText.\n\n37. Ekonomi\nText.\n",
            "Ks 94 Val av justerare\nText.\n\nKs 95 Ekonomi\nText.\n",
            "12 Val av justerare\nText.\n\n13 Ekonomi\nText.\n",
        ];
        for f in forms {
            let text = format!("Styrelsen 2024-03-14\n\n{f}");
            let got = numbers(&text);
            assert_eq!(got.len(), 2, "{f}: {got:?}");
            let (_, r) = run("form", &text);
            assert!(
                r.flagged("paragrafer"),
                "{f}: the unusual form is not flagged"
            );
        }
        let (_, r) = run("paragraf", &format!("Styrelsen 2024-03-14\n{BODY}"));
        assert!(!r.flagged("paragrafer"));
    }

    #[test]
    fn attendance_never_makes_a_label_or_a_merged_line_a_person() {
        let text = format!(
            "Styrelsen 2024-03-14\nBeslutande:\nFrån medlemmarna:\nOrdförande\nKalle Ragnarsson, ordförande, Hedby kommun, Mona Fjäll, ledamot, Region Västerbyn\nSigrid Ahl (M) ledamot Olle Brink (S)\nNärvarande ersättare:\nPer Ås (C) (deltog ej i mötet)\nÖvriga närvarande: Tove Lind, förbundschef, från kansliet\n{BODY}"
        );
        let (c, r) = run("narvaro", &text);
        let h = c.header.unwrap_or_default();
        let names: Vec<&str> = h.voting.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["Kalle Ragnarsson", "Mona Fjäll"]);
        assert_eq!(
            h.voting[1].organisation.as_deref(),
            Some("Region Västerbyn")
        );
        assert_eq!(h.substitutes[0].name, "Per Ås");
        assert_eq!(h.substitutes[0].party.as_deref(), Some("C"));
        assert_eq!(h.others[0].name, "Tove Lind");
        let refused: Vec<&str> = r
            .entries
            .iter()
            .filter(|e| matches!(&e.status, Status::Unsure(w) if w.starts_with("inte inlagd")))
            .filter_map(|e| e.value.as_deref())
            .collect();
        assert!(refused.contains(&"Från medlemmarna:"), "{refused:?}");
        assert!(refused.contains(&"Ordförande"), "{refused:?}");
        assert!(
            refused.iter().any(|v| v.starts_with("Sigrid Ahl")),
            "{refused:?}"
        );
        // The annotation is reported with its line, not kept in the name.
        assert!(
            r.entries
                .iter()
                .any(|e| e.value.as_deref() == Some("Per Ås")
                    && matches!(&e.status, Status::Unsure(w) if w.contains("deltog ej i mötet"))
                    && e.line == Some(8))
        );
    }

    #[test]
    fn titles_come_from_their_own_heading_not_from_the_toc_or_the_next_column() {
        let text = "Styrelsen 2024-03-14\n\nInnehåll\n§ 4 Upprop ........ 2\n§ 5 Ekonomi ....... 3\n\n§ 4                                          Dnr 2024/3\nUpprop\nNärvaron antecknades.\n\n§ 5 Ekonomi        Förbundschefen redovisade utfallet.\n";
        let (_, r) = run("toc", text);
        let titles: Vec<(u32, &str)> = r.paragraphs.iter().map(|p| (p.0, p.1.as_str())).collect();
        assert_eq!(titles, [(4, "Upprop"), (5, "Ekonomi")]);
    }

    #[test]
    fn the_justering_place_has_no_weekday_fragment() {
        let text = format!(
            "Styrelsen 2024-03-14\nJustering: Kansliet, Hedby, måndagen den 18 mars 2024\n{BODY}"
        );
        let (c, _) = run("justering", &text);
        let j = c.header.and_then(|h| h.justering).expect("justering");
        assert_eq!(j.place.as_deref(), Some("Kansliet, Hedby"));
    }

    #[test]
    fn a_scanned_header_is_read_through_its_ocr_damage_and_every_value_is_flagged() {
        let text = "Myrby samordningsförbund\nStyrelsen\n\nSammantradesdatum   2O23-O5-l6\nPlats och tid       Kansliet, Myrby, kl. O9.OO-l2.15\nBesiutande          Gunilla Borg, ordförande\n                    Tina Ek, ledamot\nNar- varande ersattare  Eva Lindh\n\nS 21 Val av justerare\nTina Ek utses att justera protokollet.\n\nS 22 Budget 2O24\nBeslut\nStyrelsen godkänner budgeten.\n";
        let (c, r) = run("ocr", text);
        assert_eq!(c.file_name, "2023-05-16.md");
        let h = c.header.unwrap();
        assert_eq!(h.start.as_deref(), Some("09:00"));
        assert_eq!(h.end.as_deref(), Some("12:15"));
        let voting: Vec<&str> = h.voting.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(voting, ["Gunilla Borg", "Tina Ek"]);
        assert_eq!(h.substitutes.len(), 1);
        let titles: Vec<(u32, &str)> = r.paragraphs.iter().map(|p| (p.0, p.1.as_str())).collect();
        assert_eq!(titles, [(21, "Val av justerare"), (22, "Budget 2024")]);
        // A misread letter in a name cannot be seen: every header value is for review.
        for field in ["datum", "narvaro.beslutande", "plats"] {
            assert!(r.flagged_with_line(field), "{field} not flagged");
        }
        assert!(r.flagged_with_line("paragrafer"));
    }

    #[test]
    fn the_report_tells_not_recognised_from_not_in_the_source() {
        // The labels are there but their values are not readable: "inte igenkänt", with the line.
        let text = format!(
            "Styrelsen 2024-03-14\nPlats och tid: se kallelsen\nBeslutande: se bilaga 1\n{BODY}\nProtokollet förvaras hos\n"
        );
        let (_, r) = run("rapport", &text);
        let status = |f: &str| {
            r.entries
                .iter()
                .filter(|e| e.field == f)
                .map(|e| e.status.clone())
                .collect::<Vec<_>>()
        };
        assert!(
            status("tid")
                .iter()
                .any(|s| matches!(s, Status::NotRecognised(_))),
            "{:?}",
            status("tid")
        );
        assert!(r.flagged("narvaro.beslutande"));
        // Nothing about a förvaringsplats or an anslag in the text: "saknas i källan".
        let (_, r) = run("rapport2", &format!("Styrelsen 2024-03-14\n{BODY}"));
        assert!(
            r.entries
                .iter()
                .any(|e| e.field == "forvaringsplats" && matches!(e.status, Status::Missing(_)))
        );
        let md = protokoll::import::report::render(&[r]);
        assert!(md.contains("Sammanfattning:"), "{md}");
    }
}

/// The corpus PDFs (made by tests/fixtures/import/pdf/make_pdfs.sh with groff and ps2pdf: one
/// column, two columns, a header table) go through the PDF path: pdftotext -layout, as the
/// importer runs it. Every one gives a draft, no value is wrong without a flag and no label or
/// merged line is a person.
#[test]
fn the_corpus_pdfs_import_through_the_pdf_path() {
    let dir = common::repo().join("tests/fixtures/import/pdf");
    let mut pdfs: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("pdf folder")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "pdf"))
        .collect();
    pdfs.sort();
    assert!(pdfs.len() >= 5, "only {} PDFs", pdfs.len());
    let extractor = protokoll::import::extract::Extractor::default();
    let mut out = String::new();
    let mut problems = Vec::new();
    for pdf in &pdfs {
        let x = extractor
            .extract(pdf)
            .unwrap_or_else(|e| panic!("{}: {e}", pdf.display()));
        let truth = corpus::read_truth(&pdf.with_extension("truth"));
        let (s, line) = corpus::score_text(pdf, &x.text, &truth);
        out.push_str(&format!("{line} [{}]\n", x.method));
        if s.drafts != 1 {
            problems.push(format!("{}: no draft", pdf.display()));
        }
        problems.extend(s.wrong_silent);
        problems.extend(s.bad_people);
    }
    println!("{out}");
    assert!(problems.is_empty(), "{problems:#?}\n{out}");
}
