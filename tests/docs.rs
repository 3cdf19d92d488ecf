//! The documentation is a promise: every example in `docs/content-format.md` must be accepted by
//! the code as written, mean what the doc says it means, and build into the URLs of `docs/urls.md`.

mod common;

use common::*;
use protokoll::diagnostics::Diagnostic;
use protokoll::model::{BlockKind, MemberKind, Part, Protocol};
use std::path::{Path, PathBuf};

/// A fenced code block of a Markdown document: its info string, first line number and text.
#[derive(Debug, Clone)]
struct Fence {
    lang: String,
    line: usize,
    text: String,
}

fn fences(doc: &str) -> Vec<Fence> {
    let mut out = Vec::new();
    let mut open: Option<Fence> = None;
    for (i, line) in doc.lines().enumerate() {
        match open.as_mut() {
            None => {
                if let Some(info) = line.strip_prefix("```") {
                    open = Some(Fence {
                        lang: info.trim().to_string(),
                        line: i + 1,
                        text: String::new(),
                    });
                }
            }
            Some(f) => {
                if line.trim_end() == "```" {
                    out.push(open.take().unwrap());
                } else {
                    f.text.push_str(line);
                    f.text.push('\n');
                }
            }
        }
    }
    assert!(open.is_none(), "an unclosed code fence");
    out
}

fn content_format() -> String {
    read(&repo().join("docs/content-format.md"))
}

/// The doc's examples, sorted by what they are examples of.
struct Examples {
    forbund: Fence,
    protocol_front_matter: Fence,
    protocol_body: Fence,
    plan_front_matter: Fence,
    plan_body: Fence,
    site: Fence,
}

fn examples() -> Examples {
    let mut forbund = Vec::new();
    let mut protocol_front_matter = Vec::new();
    let mut protocol_body = Vec::new();
    let mut plan_front_matter = Vec::new();
    let mut plan_body = Vec::new();
    let mut site = Vec::new();
    for f in fences(&content_format()) {
        match f.lang.as_str() {
            // The folder layout: not a file.
            "" => {}
            "yaml" if f.text.starts_with("---\n") && f.text.contains("\norgan:") => {
                protocol_front_matter.push(f)
            }
            "yaml" if f.text.starts_with("---\n") && f.text.contains("\nar:") => {
                plan_front_matter.push(f)
            }
            "yaml" if f.text.contains("medlemmar:") => forbund.push(f),
            // The original and bilagor keys: built with their PDFs by tests/pdf.rs.
            "yaml" if f.text.starts_with("original:") => {}
            "markdown" if f.text.starts_with("## §") => protocol_body.push(f),
            "markdown" => plan_body.push(f),
            "toml" => site.push(f),
            _ => panic!(
                "docs/content-format.md line {}: a ```{} example that no test checks; add it to tests/docs.rs",
                f.line, f.lang
            ),
        }
    }
    let one = |mut v: Vec<Fence>, what: &str| -> Fence {
        assert_eq!(
            v.len(),
            1,
            "docs/content-format.md should have one {what} example: {v:?}"
        );
        v.pop().unwrap()
    };
    Examples {
        forbund: one(forbund, "förbund profile"),
        protocol_front_matter: one(protocol_front_matter, "protocol front matter"),
        protocol_body: one(protocol_body, "protocol body"),
        plan_front_matter: one(plan_front_matter, "plan front matter"),
        plan_body: one(plan_body, "plan body"),
        site: one(site, "site.toml"),
    }
}

fn no_errors(errors: &[Diagnostic], what: &str) {
    assert!(
        errors.is_empty(),
        "the code rejects the {what} example of docs/content-format.md:\n{}",
        errors
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n")
    );
}

fn doc_protocol() -> Protocol {
    let e = examples();
    let text = format!("{}\n{}", e.protocol_front_matter.text, e.protocol_body.text);
    let mut errors = Vec::new();
    let p = protokoll::load::parse_protocol(
        &text,
        Path::new("content/soderasen/protokoll/2025-03-11.md"),
        &mut errors,
    );
    no_errors(&errors, "protocol");
    p.expect("the protocol example parses")
}

#[test]
fn the_forbund_profile_example_parses_with_the_documented_fields() {
    let e = examples();
    let mut errors = Vec::new();
    let f = protokoll::load::parse_forbund(
        &e.forbund.text,
        Path::new("content/soderasen/forbund.yaml"),
        "soderasen",
        &mut errors,
    );
    no_errors(&errors, "förbund profile");
    let f = f.expect("the profile example parses");
    assert_eq!(f.name, "Söderåsens samordningsförbund");
    assert_eq!(f.short_name, "Söderåsen");
    assert_eq!(f.slug, "soderasen");
    assert_eq!(f.org_number.as_deref(), Some("222000-0000"));
    assert_eq!(f.seat, "Åstorp");
    assert_eq!(f.homepage.as_deref(), Some("https://www.example.se/"));
    assert!(
        f.description
            .as_deref()
            .unwrap_or("")
            .contains("rehabiliteringsinsatser i Bjuv och Åstorp")
    );
    // The four member kinds the comment lists, in the example's order.
    let kinds: Vec<MemberKind> = f.members.iter().map(|m| m.kind).collect();
    assert_eq!(
        kinds,
        [
            MemberKind::Kommun,
            MemberKind::Kommun,
            MemberKind::Region,
            MemberKind::Forsakringskassan,
            MemberKind::Arbetsformedlingen
        ]
    );
    assert_eq!(f.members[0].name, "Åstorps kommun");
    assert_eq!(f.notice_boards.len(), 1);
    assert_eq!(
        f.notice_boards[0].name,
        "Söderåsens samordningsförbunds anslagstavla"
    );
    assert_eq!(
        f.notice_boards[0].url.as_deref(),
        Some("https://www.example.se/anslagstavla")
    );
    // The meetings for the calendar: times optional, organ Styrelsen unless given.
    assert_eq!(f.meetings.len(), 2);
    let may = &f.meetings[0];
    assert_eq!(may.date.value.to_string(), "2025-05-13");
    assert_eq!(may.start_time.as_deref(), Some("13:00"));
    assert_eq!(may.end_time.as_deref(), Some("15:00"));
    assert_eq!(may.place.as_deref(), Some("Skolgatan 5, Åstorp"));
    assert_eq!(may.organ, "Styrelsen");
    assert_eq!(f.meetings[1].organ, "Revisorerna");
    assert_eq!(f.meetings[1].start_time, None);
    assert_eq!(f.noindex_after_years, Some(10));

    // "slug: optional; if given it must equal the folder name".
    let mut errors = Vec::new();
    protokoll::load::parse_forbund(
        &e.forbund.text,
        Path::new("content/annat/forbund.yaml"),
        "annat",
        &mut errors,
    );
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!((errors[0].code.as_str(), errors[0].line), ("slug", 3));
    // Each key marked "required" is required.
    for key in ["namn:", "kortnamn:", "sate:", "medlemmar:"] {
        let without: String = e
            .forbund
            .text
            .lines()
            .filter(|l| !l.starts_with(key))
            .map(|l| format!("{l}\n"))
            .collect();
        let without = if key == "medlemmar:" {
            // Drop the list under it too.
            without
                .lines()
                .filter(|l| !l.starts_with("  - namn:") && !l.starts_with("    typ:"))
                .map(|l| format!("{l}\n"))
                .collect()
        } else {
            without
        };
        let mut errors = Vec::new();
        protokoll::load::parse_forbund(
            &without,
            Path::new("forbund.yaml"),
            "soderasen",
            &mut errors,
        );
        assert!(
            !errors.is_empty(),
            "the profile is accepted without `{key}`"
        );
    }
}

#[test]
fn the_protocol_example_parses_with_the_documented_fields() {
    let p = doc_protocol();
    assert_eq!(p.id, "2025-03-11");
    assert_eq!(p.organ, "Styrelsen");
    assert_eq!(p.number, Some(2));
    assert_eq!(p.date.value.to_string(), "2025-03-11");
    assert_eq!(p.start_time.as_deref(), Some("13:00"));
    assert_eq!(p.end_time.as_deref(), Some("15:00"));
    assert_eq!(p.place.as_deref(), Some("Skolgatan 5, 26534 Åstorp"));

    let chair = &p.attendance.voting[0];
    assert_eq!(p.attendance.voting.len(), 1);
    assert_eq!(chair.name, "Maria Brantmark Lennartsson");
    assert_eq!(chair.role, "ledamot");
    assert_eq!(chair.assignment.as_deref(), Some("ordförande"));
    assert_eq!(chair.organisation.as_deref(), Some("Försäkringskassan"));
    assert_eq!(chair.party.as_deref(), Some("S"));
    assert!(p.attendance.serving_substitutes.is_empty());
    assert!(p.attendance.substitutes.is_empty());
    assert!(p.attendance.absent.is_empty());
    assert_eq!(p.attendance.others.len(), 1);
    assert_eq!(
        (
            p.attendance.others[0].name.as_str(),
            p.attendance.others[0].role.as_str()
        ),
        ("Magnus Lind", "förbundschef")
    );

    let j = p.justering.as_ref().expect("justering");
    assert_eq!(j.date.value.to_string(), "2025-03-12");
    assert_eq!(j.method.as_deref(), Some("digital signering"));
    assert_eq!(j.place.as_deref(), Some("Åstorp"));
    assert_eq!(
        p.justerande_paragrafer.as_ref().unwrap().numbers(),
        (12..=27).collect::<Vec<_>>()
    );
    let signatories: Vec<(&str, &str)> = p
        .signatories
        .iter()
        .map(|s| (s.role.as_str(), s.name.as_str()))
        .collect();
    assert_eq!(
        signatories,
        [
            ("sekreterare", "Magnus Lind"),
            ("ordförande", "Maria Brantmark Lennartsson"),
            ("justerare", "Bengt Nilsson")
        ]
    );
    assert_eq!(
        p.storage_place.as_deref(),
        Some("Söderåsens samordningsförbund, Åstorp")
    );
    assert_eq!(p.notices.len(), 1);
    let n = &p.notices[0];
    assert_eq!(n.board, "Söderåsens samordningsförbund");
    assert_eq!(n.posted.value.to_string(), "2025-03-14");
    assert_eq!(
        n.removed.as_ref().map(|d| d.value.to_string()).as_deref(),
        Some("2025-04-04")
    );
    assert_eq!(n.certified_by.as_deref(), Some("Magnus Lind, förbundschef"));
    assert_eq!(p.signature_checksum.as_deref(), Some("3f9a…"));

    // The body: one paragraph, § 16, with a proposal and a decision set apart from the text.
    assert_eq!(p.introduction, None);
    assert_eq!(p.paragraphs.len(), 1);
    let par = &p.paragraphs[0];
    assert_eq!(par.number, 16);
    assert_eq!(par.anchor(), "p16");
    assert_eq!(
        par.title,
        "Förslag till årsredovisning 2024 avseende Söderåsens samordningsförbund"
    );
    let kinds: Vec<Option<BlockKind>> = par
        .parts
        .iter()
        .map(|part| match part {
            Part::Text { .. } => None,
            Part::Block(b) => Some(b.kind),
        })
        .collect();
    assert_eq!(
        kinds,
        [None, Some(BlockKind::Forslag), Some(BlockKind::Beslut)]
    );
    let decision = par.decisions().next().unwrap();
    assert!(
        decision
            .markdown
            .starts_with("Styrelsen beslutar att fastställa förslag till årsredovisning 2024")
    );
}

#[test]
fn the_block_table_examples_parse_as_documented() {
    let doc = content_format();
    // Rows of the block table: | `::: kind` | argument (with its example) | meaning |
    let rows: Vec<&str> = doc.lines().filter(|l| l.starts_with("| `::: ")).collect();
    assert_eq!(rows.len(), 4, "four block kinds in the table");
    let mut checked = 0;
    for row in rows {
        // The example in the argument column, e.g. `::: beslut 2025-3 §14:2`.
        let Some(example) = row.split("e.g. `").nth(1).and_then(|r| r.split('`').next()) else {
            continue;
        };
        let body = format!("## § 14 Ärende\n\n{example}\nText.\n:::\n");
        let mut errors = Vec::new();
        let parsed =
            protokoll::load::body::parse_protocol_body(&body, 1, Path::new("p.md"), &mut errors);
        no_errors(&errors, example);
        let Part::Block(block) = &parsed.paragraphs[0].parts[0] else {
            panic!("{example} is not a block");
        };
        let mut words = example.trim_start_matches("::: ").splitn(2, ' ');
        let kind = words.next().unwrap();
        assert_eq!(Some(block.kind), BlockKind::parse(kind), "{example}");
        assert_eq!(block.argument.as_deref(), words.next(), "{example}");
        checked += 1;
    }
    assert_eq!(checked, 3, "beslut, reservation and bilaga have examples");

    // "The kind is written with or without å/ä/ö and in any case".
    for kind in ["förslag", "forslag", "FÖRSLAG", "Forslag"] {
        assert_eq!(BlockKind::parse(kind), Some(BlockKind::Forslag), "{kind}");
    }
    // "An unknown kind, a block that is not closed, or a block before the first `## §` heading
    // is an error."
    for (body, line) in [
        ("## § 1 A\n::: beslutet\n:::\n", 2),
        ("## § 1 A\n::: beslut\nText.\n", 2),
        ("::: beslut\nText.\n:::\n## § 1 A\n", 1),
    ] {
        let mut errors = Vec::new();
        protokoll::load::body::parse_protocol_body(body, 1, Path::new("p.md"), &mut errors);
        assert!(
            errors.iter().any(|e| e.line == line && e.code == "block"),
            "{body:?}: {errors:?}"
        );
    }
    // "Numbers must be unique within a protocol."
    let mut errors = Vec::new();
    protokoll::load::body::parse_protocol_body(
        "## § 1 A\n## § 1 B\n",
        1,
        Path::new("p.md"),
        &mut errors,
    );
    assert!(
        errors
            .iter()
            .any(|e| e.code == "paragraf-dubblett" && e.line == 2),
        "{errors:?}"
    );
}

#[test]
fn the_documented_rules_for_files_and_keys_hold() {
    let e = examples();
    let text = format!("{}\n{}", e.protocol_front_matter.text, e.protocol_body.text);
    let parse = |text: &str, file: &str| {
        let mut errors = Vec::new();
        let p = protokoll::load::parse_protocol(text, Path::new(file), &mut errors);
        (p, errors)
    };
    // A suffix for a second organ the same day, as in the layout (`2025-03-11-revisorerna.md`).
    let (p, errors) = parse(
        &text,
        "content/soderasen/protokoll/2025-03-11-revisorerna.md",
    );
    no_errors(&errors, "protocol (as 2025-03-11-revisorerna.md)");
    assert_eq!(p.unwrap().id, "2025-03-11-revisorerna");
    // "The date in the name must equal `datum` in the front matter."
    let (_, errors) = parse(&text, "content/soderasen/protokoll/2025-03-10.md");
    assert!(errors.iter().any(|e| e.code == "datum"), "{errors:?}");
    // "Keys … without å/ä/ö (`forvaringsplats`, not `förvaringsplats`)"; "Unknown keys are errors".
    let misspelt = text.replace("forvaringsplats:", "förvaringsplats:");
    let (_, errors) = parse(&misspelt, "content/soderasen/protokoll/2025-03-11.md");
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0]
            .hint
            .as_deref()
            .unwrap_or("")
            .contains("forvaringsplats"),
        "{errors:?}"
    );
    // "organ" and "datum" are required.
    for key in ["organ:", "datum:"] {
        let without: String = text
            .lines()
            .filter(|l| !l.starts_with(key))
            .map(|l| format!("{l}\n"))
            .collect();
        let (p, errors) = parse(&without, "content/soderasen/protokoll/2025-03-11.md");
        assert!(p.is_none() && !errors.is_empty(), "accepted without {key}");
    }
    // "Dates are written ÅÅÅÅ-MM-DD, times TT:MM."
    let (_, errors) = parse(
        &text.replace("\"13:00\"", "\"13.00\""),
        "content/soderasen/protokoll/2025-03-11.md",
    );
    assert!(errors.iter().any(|e| e.code == "tid"), "{errors:?}");
    let (_, errors) = parse(
        &text.replace("datum: 2025-03-12", "datum: 12/3 2025"),
        "content/soderasen/protokoll/2025-03-11.md",
    );
    assert!(errors.iter().any(|e| e.code == "datum"), "{errors:?}");
}

#[test]
fn the_plan_example_parses_with_its_sections_and_table() {
    let e = examples();
    let text = format!("{}\n{}", e.plan_front_matter.text, e.plan_body.text);
    let mut errors = Vec::new();
    let plan = protokoll::load::parse_plan(
        &text,
        Path::new("content/sydostraskane/planer/2020.md"),
        &mut errors,
    );
    no_errors(&errors, "plan");
    let plan = plan.expect("the plan example parses");
    assert_eq!(plan.title, "Verksamhetsplan och budget 2020");
    assert_eq!(plan.year.value, 2020);
    let adopted = plan.adopted.as_ref().expect("antagen");
    assert_eq!(adopted.date.value.to_string(), "2019-11-20");
    assert_eq!(adopted.organ.as_deref(), Some("Styrelsen"));
    assert_eq!(adopted.paragraph, Some(54));
    assert_eq!(plan.sections.len(), 1);
    // "`## Budget 2020` → `#budget-2020`"
    assert_eq!(plan.sections[0].title, "Budget 2020");
    assert_eq!(plan.sections[0].anchor, "budget-2020");
    let html = protokoll::markdown::to_html(&plan.sections[0].markdown);
    assert_eq!(by_tag(&html, "table").len(), 1, "{html}");
    assert!(
        common::text(&html).contains("Försäkringskassan 1 500 1 500"),
        "{html}"
    );

    // "an explicit `## Budget {#budget}` sets it"
    let explicit = text.replace("## Budget 2020", "## Budget 2020 {#budget}");
    let mut errors = Vec::new();
    let plan = protokoll::load::parse_plan(
        &explicit,
        Path::new("content/sydostraskane/planer/2020.md"),
        &mut errors,
    )
    .unwrap();
    assert_eq!(
        (
            plan.sections[0].anchor.as_str(),
            plan.sections[0].title.as_str()
        ),
        ("budget", "Budget 2020")
    );
}

#[test]
fn the_site_toml_example_parses() {
    let e = examples();
    let config =
        protokoll::config::parse(&e.site.text, Path::new("site.toml")).unwrap_or_else(|errors| {
            panic!(
                "the code rejects the site.toml example:\n{}",
                errors
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("\n")
            )
        });
    assert_eq!(config.titel, "Finsamarkivet");
    assert_eq!(config.base_url, "https://arkiv.example.se/finsam/");
    assert_eq!(config.base_path(), "/finsam/");
    assert_eq!(config.tema, "default");
    assert_eq!(config.utdata, PathBuf::from("public"));
    assert!(!config.strikt);
    assert_eq!(
        config.tillganglighet.forenlighet,
        protokoll::config::Conformance::Delvis
    );
    assert_eq!(config.tillganglighet.kontakt_epost, "webb@example.se");
    // The tombstone example: a protocol of a förbund, removed on a day, for a reason.
    assert_eq!(config.tombstones.len(), 1);
    let t = &config.tombstones[0];
    assert_eq!(
        (t.slug.as_str(), t.id.as_str(), t.date.to_string()),
        ("soderasen", "2019-05-01", "2025-01-10".to_string())
    );
    assert_eq!(t.reason.as_deref(), Some("Publicerades under fel förbund."));
    // "(required)": the tillgänglighetsredogörelse cannot be left out.
    let without = e.site.text.split("[tillganglighet]").next().unwrap();
    assert!(protokoll::config::parse(without, Path::new("site.toml")).is_err());
}

/// The doc's examples as one archive laid out as the doc's folder tree, built by the binary.
fn build_the_doc_examples() -> (tempfile::TempDir, PathBuf) {
    let e = examples();
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("arkiv");
    let content = site.join("content/soderasen");
    std::fs::create_dir_all(content.join("protokoll")).unwrap();
    std::fs::create_dir_all(content.join("planer")).unwrap();
    std::fs::write(site.join("site.toml"), &e.site.text).unwrap();
    std::fs::write(content.join("forbund.yaml"), &e.forbund.text).unwrap();
    let protocol = format!("{}\n{}", e.protocol_front_matter.text, e.protocol_body.text);
    std::fs::write(content.join("protokoll/2025-03-11.md"), &protocol).unwrap();
    let revisorerna = protocol.replace("organ: Styrelsen", "organ: Revisorerna");
    std::fs::write(
        content.join("protokoll/2025-03-11-revisorerna.md"),
        revisorerna,
    )
    .unwrap();
    let plan = format!("{}\n{}", e.plan_front_matter.text, e.plan_body.text);
    std::fs::write(content.join("planer/2020.md"), plan).unwrap();
    let out = dir.path().join("public");
    build_ok(&site, &out);
    (dir, out)
}

#[test]
fn the_doc_examples_build_into_every_url_that_docs_urls_md_promises() {
    let (_dir, out) = build_the_doc_examples();
    let base = "/finsam/";
    let urls_md = read(&repo().join("docs/urls.md"));
    let mut promised = 0;
    for row in urls_md.lines().filter(|l| l.starts_with("| `/")) {
        let pattern = row.split('`').nth(1).unwrap();
        let description = row.splitn(3, '|').nth(2).unwrap_or("");
        if pattern == "/assets/…" {
            let assets = read_tree(&out.join("assets"));
            assert!(assets.contains_key(Path::new("style.css")), "{assets:?}");
            promised += 1;
            continue;
        }
        let year = if pattern.contains("/planer/") {
            "2020"
        } else {
            "2025"
        };
        let url = pattern
            .replace("<förbund>", "soderasen")
            .replace("<datum>", "2025-03-11")
            .replace("<suffix>", "revisorerna")
            .replace("<N>", "16")
            .replace("<år>", year);
        assert!(
            !url.contains('<'),
            "a placeholder this test does not know: {pattern}"
        );
        let path = url.trim_start_matches('/');
        let (path, fragment) = match path.split_once('#') {
            Some((p, f)) => (p, Some(f)),
            None => (path, None),
        };
        let file = file_for(base, &format!("{base}{path}")).unwrap();
        assert!(
            out.join(&file).is_file(),
            "{pattern}: no {} in the built site",
            file.display()
        );
        if let Some(fragment) = fragment {
            assert!(
                ids(&read(&out.join(&file))).contains(fragment),
                "{pattern}: no #{fragment}"
            );
        }
        // Anchors promised in the description, e.g. "`#overklaga` explains how to appeal".
        for anchor in description
            .split('`')
            .filter(|s| s.starts_with('#') && !s.contains('<'))
        {
            assert!(
                ids(&read(&out.join(&file))).contains(&anchor[1..]),
                "{pattern}: no {anchor}"
            );
        }
        promised += 1;
    }
    assert!(promised >= 14, "only {promised} URL rows in docs/urls.md");
    // The plan's sections are anchored as content-format.md says.
    assert!(ids(&read(&out.join("soderasen/planer/2020/index.html"))).contains("budget-2020"));
}

#[test]
fn the_reserved_names_in_docs_urls_md_are_the_ones_the_code_reserves() {
    let urls_md = read(&repo().join("docs/urls.md"));
    let sentence = urls_md
        .split("cannot be förbund:")
        .nth(1)
        .expect("docs/urls.md lists the reserved names")
        .split('.')
        .next()
        .unwrap();
    let mut documented: Vec<&str> = sentence.split('`').skip(1).step_by(2).collect();
    documented.sort_unstable();
    let mut reserved = protokoll::load::RESERVED_SLUGS.to_vec();
    reserved.sort_unstable();
    assert_eq!(documented, reserved);
}
