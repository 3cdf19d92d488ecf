//! `protokoll init` and `protokoll new protokoll` (issue 7, Done when 4): a new archive in an
//! empty folder builds at once; a scaffolded protocol takes the förbund's members and the year's
//! numbering, builds, and is never written over.

mod common;

use common::*;
use std::path::Path;

fn protokoll(args: &[&str], dir: &Path) -> Run {
    common::protokoll(dir, args)
}

#[test]
fn init_in_an_empty_folder_then_build_succeeds() {
    let dir = tempfile::tempdir().unwrap();
    let archive = dir.path().join("mitt-arkiv");
    std::fs::create_dir(&archive).unwrap();
    // As README shows it: init in the folder, then build there, with today's date.
    let init = protokoll(&["init"], &archive);
    assert!(init.ok(), "{}\n{}", init.stdout, init.stderr);
    assert!(init.stdout.contains("protokoll build"), "{}", init.stdout);
    let build = protokoll(&["build"], &archive);
    assert!(build.ok(), "{}\n{}", build.stdout, build.stderr);
    let out = archive.join("public");
    let pages = html_pages(&out);
    let protocol = pages
        .keys()
        .find(|p| p.starts_with("exempelbygden/protokoll"))
        .expect("the example protocol has a page");
    assert!(text(&pages[protocol]).contains("Mötets öppnande"));
    // The example is lawful: no findings at all from the legal checks.
    assert!(!build.stdout.contains("Kontroller:"), "{}", build.stdout);
    let check = protokoll(&["check"], &archive);
    assert!(check.ok(), "{}\n{}", check.stdout, check.stderr);
    assert!(
        check.stdout.contains("0 fel, 0 varningar, 0 notiser"),
        "{}",
        check.stdout
    );
    // Its notice is up on the new site's anslagstavla.
    let board = text(&pages[Path::new("anslagstavla/index.html")]);
    assert!(
        board.contains("Exempelbygdens samordningsförbund"),
        "{board}"
    );
    assert!(board.contains("Sista dag att överklaga"), "{board}");
    assert!(board.contains("kvar att överklaga"), "{board}");
    // The links the build checks resolve; the coming meeting is in the calendar.
    assert!(broken_links(&out, "/").is_empty());
    assert!(read(&out.join("exempelbygden/kalender.ics")).contains("BEGIN:VEVENT"));

    // The folder argument works too, for a folder that does not exist yet.
    let other = dir.path().join("nytt/arkiv");
    let init = protokoll(&["init", other.to_str().unwrap()], dir.path());
    assert!(init.ok(), "{}", init.stderr);
    let build = protokoll(&["build", "--rot", other.to_str().unwrap()], dir.path());
    assert!(build.ok(), "{}", build.stderr);

    // A second init refuses and leaves everything as it was.
    let before = read_tree(&archive.join("content"));
    let again = protokoll(&["init"], &archive);
    assert_eq!(again.code, Some(1));
    assert!(again.stderr.contains("finns redan"), "{}", again.stderr);
    assert_eq!(read_tree(&archive.join("content")), before);
}

#[test]
fn new_protokoll_scaffolds_from_the_profile_and_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("arkiv");
    copy_site(&repo(), &site);
    let run = protokoll(
        &[
            "new",
            "protokoll",
            "soderasen",
            "2025-05-13",
            "--rot",
            "arkiv",
        ],
        dir.path(),
    );
    assert!(run.ok(), "{}\n{}", run.stdout, run.stderr);
    let file = site.join("content/soderasen/protokoll/2025-05-13.md");
    assert!(run.stdout.contains("2025-05-13.md"), "{}", run.stdout);
    let text_of_file = read(&file);
    // Every member of the profile is an attendance placeholder.
    for member in [
        "Åstorps kommun",
        "Bjuvs kommun",
        "Region Skåne",
        "Försäkringskassan",
        "Arbetsförmedlingen",
    ] {
        assert!(
            text_of_file.contains(&format!("organisation: {member}\n")),
            "{member}:\n{text_of_file}"
        );
    }
    // The year's numbering goes on: the March protocol is nr 2 with §§ 12–27.
    assert!(text_of_file.contains("\nnummer: 3\n"), "{text_of_file}");
    assert!(
        text_of_file.contains("\n## § 28 Mötets öppnande\n"),
        "{text_of_file}"
    );
    assert!(text_of_file.contains("\ndatum: 2025-05-13\n"));

    // It builds as it is.
    let out = dir.path().join("ut");
    build_ok(&site, &out);
    assert!(
        out.join("soderasen/protokoll/2025-05-13/index.html")
            .is_file()
    );

    // A second time: refused, the file untouched even after an edit.
    std::fs::write(&file, format!("{text_of_file}\nEgen text.\n")).unwrap();
    let again = protokoll(
        &[
            "new",
            "protokoll",
            "soderasen",
            "2025-05-13",
            "--rot",
            "arkiv",
        ],
        dir.path(),
    );
    assert_eq!(again.code, Some(1));
    assert!(again.stderr.contains("finns redan"), "{}", again.stderr);
    assert!(read(&file).ends_with("Egen text.\n"));

    // A second organ the same day, an unknown förbund and a bad date.
    let suffix = protokoll(
        &[
            "new",
            "protokoll",
            "soderasen",
            "2025-05-13-revisorerna",
            "--rot",
            "arkiv",
        ],
        dir.path(),
    );
    assert!(suffix.ok(), "{}", suffix.stderr);
    let unknown = protokoll(
        &["new", "protokoll", "okand", "2025-05-13", "--rot", "arkiv"],
        dir.path(),
    );
    assert_eq!(unknown.code, Some(1));
    assert!(
        unknown.stderr.contains("förbundet `okand` finns inte"),
        "{}",
        unknown.stderr
    );
    let bad = protokoll(
        &["new", "protokoll", "soderasen", "13-maj", "--rot", "arkiv"],
        dir.path(),
    );
    assert_eq!(bad.code, Some(1));
    assert!(bad.stderr.contains("inget mötesdatum"), "{}", bad.stderr);
    assert!(!site.join("content/soderasen/protokoll/13-maj.md").exists());
}

/// Issue 21: a draft from `protokoll new protokoll` goes public with "(namn)" and "(text)" unless
/// the build says so: a warning at each placeholder's file:line:column, an error with `strikt`.
#[test]
fn placeholders_left_in_a_scaffolded_protocol_are_reported_and_stop_a_strict_build() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("arkiv");
    copy_site(&repo(), &site);
    let run = protokoll(
        &[
            "new",
            "protokoll",
            "soderasen",
            "2025-05-13",
            "--rot",
            "arkiv",
        ],
        dir.path(),
    );
    assert!(run.ok(), "{}", run.stderr);
    let file = site.join("content/soderasen/protokoll/2025-05-13.md");
    let text_of_file = read(&file);
    // Where the scaffold left its placeholders, outside its YAML comments.
    let expected: Vec<String> = text_of_file
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim_start().starts_with('#'))
        .flat_map(|(i, l)| {
            ["(namn)", "(text)"]
                .into_iter()
                .filter_map(move |p| l.find(p).map(|at| (i, l, at, p)))
        })
        .map(|(i, l, at, p)| {
            format!(
                "2025-05-13.md:{}:{}: varning [platshallare] platshållaren `{p}` står kvar",
                i + 1,
                l[..at].chars().count() + 1
            )
        })
        .collect();
    assert!(expected.len() >= 7, "{expected:?}"); // five members, the justerare, two texts
    let out = dir.path().join("ut");
    let built = build_on(&site, &out, "2025-05-20");
    assert!(built.ok(), "{}\n{}", built.stdout, built.stderr);
    let all = format!("{}{}", built.stdout, built.stderr);
    for line in &expected {
        assert!(all.contains(line.as_str()), "{line} saknas i:\n{all}");
    }
    // One line per placeholder (the rendered report with its source line comes besides).
    assert_eq!(
        all.matches(": varning [platshallare] platshållaren")
            .count(),
        expected.len(),
        "{all}"
    );

    // strikt = true: the same places, as errors; the build stops and writes nothing.
    let toml = read(&site.join("site.toml"));
    std::fs::write(site.join("site.toml"), format!("strikt = true\n{toml}")).unwrap();
    let out2 = dir.path().join("ut2");
    let strict = build_on(&site, &out2, "2025-05-20");
    assert_eq!(strict.code, Some(1), "{}\n{}", strict.stdout, strict.stderr);
    let all = format!("{}{}", strict.stdout, strict.stderr);
    for line in &expected {
        let line = line.replace("varning [platshallare]", "fel [platshallare]");
        assert!(all.contains(&line), "{line} saknas i:\n{all}");
    }
    assert!(!out2.join("index.html").exists());

    // Filled in, the warnings are gone.
    let filled = text_of_file
        .replace("(namn)", "Anna Andersson")
        .replace("(text)", "Ordföranden öppnar mötet.");
    std::fs::write(&file, filled).unwrap();
    let clean = build_on(&site, &dir.path().join("ut3"), "2025-05-20");
    assert!(clean.ok(), "{}", clean.stderr);
    assert!(!format!("{}{}", clean.stdout, clean.stderr).contains("platshallare"));
}
