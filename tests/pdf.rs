//! The original document beside its text (issue 21): a protocol's signed PDF and its annexes are
//! copied, linked from the protocol page and its §§ with their size, and their text passes the
//! privacy guard before anything is published. The PDFs are made by tests/fixtures/pdf/make_pdfs.sh.

mod common;

use common::*;

const PROTOCOL: &str = "content/soderasen/protokoll/2025-03-11.md";

/// A copy of the example archive with these lines added to the front matter of Söderåsen
/// 2025-03-11 and these fixture PDFs beside it (as file name → fixture).
fn site_with(front_matter: &str, pdfs: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    copy_site(&repo(), &site);
    let md = site.join(PROTOCOL);
    let text = read(&md);
    let text = text.replacen("---\n", &format!("---\n{front_matter}"), 1);
    std::fs::write(&md, text).unwrap();
    for (name, fixture_name) in pdfs {
        std::fs::copy(
            fixture("pdf").join(fixture_name),
            md.parent().unwrap().join(name),
        )
        .unwrap();
    }
    dir
}

#[test]
fn the_example_protocol_links_its_original_pdf_and_the_build_copies_it() {
    let original = repo().join("content/soderasen/protokoll/2025-03-11.pdf");
    assert!(original.is_file(), "the example archive has its PDF");
    let (_dir, out) = build_example();
    let copied = out.join("soderasen/protokoll/2025-03-11/2025-03-11.pdf");
    assert_eq!(
        std::fs::read(&copied).expect("the PDF is published"),
        std::fs::read(&original).unwrap(),
        "copied as it is"
    );
    let page = read(&out.join("soderasen/protokoll/2025-03-11/index.html"));
    let kb = std::fs::metadata(&original).unwrap().len().div_ceil(1000);
    let link = "/soderasen/protokoll/2025-03-11/2025-03-11.pdf\"";
    let original_dd = by_class(&page, "dd", "original");
    assert_eq!(original_dd.len(), 1, "one original on the page");
    assert!(original_dd[0].contains(link), "{}", original_dd[0]);
    assert!(
        original_dd[0].contains(&format!("(PDF, {kb} kB)")),
        "the size in Swedish: {}",
        original_dd[0]
    );
    // Every § links the original too.
    let paragraphs = by_class(&page, "section", "paragraf");
    assert!(!paragraphs.is_empty());
    for p in paragraphs {
        assert!(p.contains(link), "a § without the original: {p}");
    }
    // The protocol without a PDF has no such link.
    let other = read(&out.join("soderasen/protokoll/2020-11-24/index.html"));
    assert!(!other.contains(".pdf\""), "no PDF beside 2020-11-24");
}

#[test]
fn an_annex_is_linked_from_the_page_and_its_paragraph() {
    let dir = site_with(
        "bilagor:\n  - fil: internkontroll.pdf\n    titel: Internkontrollplan 2025\n    paragraf: 16\n",
        &[("internkontroll.pdf", "bilaga.pdf")],
    );
    let out = dir.path().join("public");
    build_ok(&dir.path().join("site"), &out);
    let folder = out.join("soderasen/protokoll/2025-03-11");
    assert!(folder.join("internkontroll.pdf").is_file());
    let page = read(&folder.join("index.html"));
    let p16 = by_id(&page, "p16").expect("§ 16");
    assert!(
        p16.contains("internkontroll.pdf\"") && p16.contains("Internkontrollplan 2025"),
        "{p16}"
    );
    let p15 = by_id(&page, "p15").expect("§ 15");
    assert!(!p15.contains("internkontroll.pdf"), "only in its own §");
    let list = by_class(&page, "ul", "bilagor");
    assert!(
        list.iter().any(|l| l.contains("(PDF, 7 kB, § 16)")),
        "{list:?}"
    );
}

#[test]
fn a_pdf_whose_text_holds_a_personnummer_blocks_the_build_naming_the_file_and_page() {
    let dir = site_with(
        "bilagor:\n  - fil: uppfoljning.pdf\n    titel: Uppföljning\n",
        &[("uppfoljning.pdf", "personnummer.pdf")],
    );
    let out = dir.path().join("public");
    let run = build(&dir.path().join("site"), &out);
    assert_eq!(run.code, Some(1), "{}\n{}", run.stdout, run.stderr);
    let line = run
        .stderr
        .lines()
        .find(|l| l.contains("[personnummer]"))
        .unwrap_or_else(|| panic!("no finding:\n{}", run.stderr));
    assert!(
        line.contains("content/soderasen/protokoll/uppfoljning.pdf")
            && line.contains("sidan 2, rad 3"),
        "{line}"
    );
    assert!(
        !line.contains("2387"),
        "the number itself is not repeated: {line}"
    );
    assert!(!out.exists(), "nothing is published");
}

#[test]
fn the_original_by_its_name_is_guarded_too() {
    // A PDF with the protocol's name is its original without being named.
    let dir = site_with("", &[("2025-03-11.pdf", "personnummer.pdf")]);
    let run = build(&dir.path().join("site"), &dir.path().join("public"));
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("content/soderasen/protokoll/2025-03-11.pdf:0:0: fel [personnummer] sidan 2"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_named_file_that_is_missing_is_an_error_where_it_is_named() {
    let dir = site_with(
        "original: undertecknat.pdf\nbilagor:\n  - fil: saknas.pdf\n  - fil: ../forbund.yaml\n  - fil: 2025-03-11.pdf\n    paragraf: 99\n",
        &[("2025-03-11.pdf", "bilaga.pdf")],
    );
    let run = build(&dir.path().join("site"), &dir.path().join("public"));
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    for expected in [
        format!("{PROTOCOL}:2:11: fel [bilaga-saknas] filen `undertecknat.pdf` finns inte"),
        format!("{PROTOCOL}:4:10: fel [bilaga-saknas] filen `saknas.pdf` finns inte"),
        format!("{PROTOCOL}:5:10: fel [bilaga-namn]"),
        format!("{PROTOCOL}:7:15: fel [bilaga-paragraf] bilagan hör till § 99"),
    ] {
        assert!(
            run.stderr.contains(&expected),
            "expected {expected}:\n{}",
            run.stderr
        );
    }
}

#[test]
fn an_unreadable_pdf_is_a_warning_and_with_strikt_an_error() {
    let dir = site_with("", &[]);
    let site = dir.path().join("site");
    std::fs::write(
        site.join("content/soderasen/protokoll/2025-03-11.pdf"),
        "%PDF-1.4\ntrasig\n",
    )
    .unwrap();
    let out = dir.path().join("public");
    let run = build(&site, &out);
    assert!(run.ok(), "{}", run.stderr);
    assert!(run.stderr.contains("varning [pdf-olast]"), "{}", run.stderr);
    let toml = site.join("site.toml");
    let text = read(&toml);
    std::fs::write(&toml, format!("strikt = true\n{text}")).unwrap();
    let run = build(&site, &dir.path().join("public2"));
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(run.stderr.contains("fel [pdf-olast]"), "{}", run.stderr);
}

#[test]
fn a_changed_pdf_is_copied_again_by_the_next_build() {
    let dir = site_with("", &[("2025-03-11.pdf", "bilaga.pdf")]);
    let site = dir.path().join("site");
    let out = dir.path().join("public");
    build_ok(&site, &out);
    let published = out.join("soderasen/protokoll/2025-03-11/2025-03-11.pdf");
    assert_eq!(
        std::fs::read(&published).unwrap(),
        std::fs::read(fixture("pdf").join("bilaga.pdf")).unwrap()
    );
    std::fs::copy(
        repo().join("content/soderasen/protokoll/2025-03-11.pdf"),
        site.join("content/soderasen/protokoll/2025-03-11.pdf"),
    )
    .unwrap();
    let run = build_ok(&site, &out);
    assert_eq!(
        std::fs::read(&published).unwrap(),
        std::fs::read(repo().join("content/soderasen/protokoll/2025-03-11.pdf")).unwrap(),
        "the new PDF is published: {}",
        run.stdout
    );
}

#[test]
fn the_documented_original_and_bilagor_keys_build() {
    let doc = read(&repo().join("docs/content-format.md"));
    let start = doc
        .find("```yaml\noriginal:")
        .expect("the example in docs/content-format.md")
        + 8;
    let example = &doc[start..start + doc[start..].find("```").unwrap()];
    let dir = site_with(
        example,
        &[
            ("2025-03-11.pdf", "bilaga.pdf"),
            ("internkontroll-2025.pdf", "bilaga.pdf"),
        ],
    );
    let out = dir.path().join("public");
    build_ok(&dir.path().join("site"), &out);
    let page = read(&out.join("soderasen/protokoll/2025-03-11/index.html"));
    let p16 = by_id(&page, "p16").expect("§ 16");
    assert!(p16.contains("Internkontrollplan 2025"), "{p16}");
}
