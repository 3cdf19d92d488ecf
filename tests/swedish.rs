//! Issue 21, Done when 4: `protokoll --help`, every subcommand's help and every error these tests
//! provoke are Swedish, with correct singular and plural ("1 plan", never "1 planer"). And
//! Done when 3: a file with two kinds of mistakes gives both messages in one run.

mod common;

use common::*;
use regex::Regex;
use std::path::Path;

/// English words clap, serde and the YAML parser write, and "1 …er/ar/or" plurals.
fn problems(output: &str) -> Vec<String> {
    // Flag names are the program's own words, not English prose.
    let prose = Regex::new(r"--?[a-z][a-z-]*")
        .unwrap()
        .replace_all(output, "");
    let english = Regex::new(
        r"\b(Usage|Options|Arguments|Commands|Print|help|default|possible values|error|tip|For more information|unexpected|invalid|required|found|provided|subcommand|the following|expected|unknown|missing|No such file|os error|not|with|and|the)\b",
    )
    .unwrap();
    let months =
        "januari|februari|mars|april|maj|juni|juli|augusti|september|oktober|november|december";
    let one_plural =
        Regex::new(r"(?i)(?:^|[^\d\s]\s|[^\d\s])\b1 ([a-zåäö]+(?:er|ar|or|na))\b").unwrap();
    let mut out: Vec<String> = english
        .find_iter(&prose)
        .map(|m| {
            format!(
                "engelska: `{}` i …{}…",
                m.as_str(),
                context(&prose, m.start())
            )
        })
        .collect();
    for c in one_plural.captures_iter(output) {
        let noun = &c[1];
        if !Regex::new(&format!("^({months})$")).unwrap().is_match(noun) {
            out.push(format!("fel numerus: `1 {noun}`"));
        }
    }
    out
}

fn context(text: &str, at: usize) -> String {
    let start = text.floor_char_boundary(at.saturating_sub(30));
    let end = text.ceil_char_boundary((at + 30).min(text.len()));
    text[start..end].replace('\n', "⏎")
}

fn all(run: &Run) -> String {
    format!("{}{}", run.stdout, run.stderr)
}

#[test]
fn the_check_itself_finds_english_and_bad_plurals() {
    assert!(!problems("Usage: protokoll [OPTIONS]").is_empty());
    assert!(!problems("error: unexpected argument '--x' found").is_empty());
    assert!(!problems("Byggt 25 sidor av 3 protokoll och 1 planer.").is_empty());
    assert!(!problems("Lagkontroller: 0 fel, 1 varningar, 2 notiser").is_empty());
    let fine = problems("Byggt 25 sidor av 3 protokoll och 1 plan, 1 september 2025.");
    assert!(fine.is_empty(), "{fine:?}");
}

#[test]
fn help_of_every_command_is_swedish() {
    let dir = tempfile::tempdir().unwrap();
    let commands: &[&[&str]] = &[
        &[],
        &["build"],
        &["generate"],
        &["serve"],
        &["init"],
        &["new"],
        &["new", "protokoll"],
        &["check"],
        &["search"],
        &["import"],
    ];
    for cmd in commands {
        for flag in ["--help", "-h"] {
            let mut args: Vec<&str> = cmd.to_vec();
            args.push(flag);
            let run = protokoll(dir.path(), &args);
            assert!(run.ok(), "{args:?}: {}", all(&run));
            let text = all(&run);
            assert!(text.contains("Användning: protokoll"), "{args:?}:\n{text}");
            assert!(text.contains("Visa hjälpen"), "{args:?}:\n{text}");
            let p = problems(&text);
            assert!(p.is_empty(), "{args:?}:\n{}\n{text}", p.join("\n"));
        }
    }
    let version = protokoll(dir.path(), &["--version"]);
    assert!(version.ok() && version.stdout.starts_with("protokoll "));
}

#[test]
fn mistakes_on_the_command_line_are_told_in_swedish() {
    let dir = tempfile::tempdir().unwrap();
    let cases: &[(&[&str], &str)] = &[
        (&["build", "--bogus"], "okänt argument '--bogus'"),
        (&["bygg"], "okänt kommando 'bygg'"),
        (&["build", "--rot"], "'--rot <ROT>' behöver ett värde"),
        (
            &["check", "--format", "xml"],
            "ogiltigt värde 'xml' för '--format <FORMAT>'",
        ),
        (&["search"], "de här argumenten saknas"),
        (
            &["build", "--idag", "2025-13-01"],
            "är inget datum; skriv ÅÅÅÅ-MM-DD",
        ),
        (&["serve", "--port", "nittio"], "ogiltig siffra"),
    ];
    for (args, expected) in cases {
        let run = protokoll(dir.path(), args);
        assert_eq!(run.code, Some(2), "{args:?}: {}", all(&run));
        let text = all(&run);
        assert!(
            text.contains(expected),
            "{args:?}: väntade {expected:?} i\n{text}"
        );
        assert!(text.starts_with("fel: "), "{args:?}:\n{text}");
        assert!(
            text.contains("Mer hjälp: skriv '--help'."),
            "{args:?}:\n{text}"
        );
        let p = problems(&text);
        assert!(p.is_empty(), "{args:?}:\n{}\n{text}", p.join("\n"));
    }
    // A command group without its command shows its help, as a mistake.
    let run = protokoll(dir.path(), &["new"]);
    assert_eq!(run.code, Some(2));
    assert!(
        all(&run).contains("Användning: protokoll new <KOMMANDO>"),
        "{}",
        all(&run)
    );
    assert!(problems(&all(&run)).is_empty(), "{}", all(&run));
}

#[test]
fn the_build_counts_in_swedish_and_system_errors_are_swedish() {
    let dir = tempfile::tempdir().unwrap();
    // The example archive has one plan and three protocols.
    let out = dir.path().join("ut");
    let run = build_on(&repo(), &out, "2025-03-20");
    assert!(run.ok(), "{}", all(&run));
    assert!(
        run.stdout.contains("av 3 protokoll och 1 plan till"),
        "{}",
        run.stdout
    );
    let p = problems(&all(&run));
    assert!(p.is_empty(), "{}\n{}", p.join("\n"), all(&run));

    // A missing folder, an archive without content, a file that is not UTF-8.
    let missing = protokoll(dir.path(), &["check", "--rot", "finns-inte"]);
    assert!(all(&missing).contains("finns inte"), "{}", all(&missing));
    let empty = dir.path().join("tom");
    std::fs::create_dir(&empty).unwrap();
    let run = build(&empty, &dir.path().join("ut2"));
    assert_eq!(run.code, Some(1));
    let p = problems(&all(&run));
    assert!(p.is_empty(), "{}\n{}", p.join("\n"), all(&run));
    let site = dir.path().join("arkiv");
    copy_site(&repo(), &site);
    std::fs::write(
        site.join("content/soderasen/protokoll/2025-04-01.md"),
        b"---\norgan: Styrelsen\n\xff\xfe\n",
    )
    .unwrap();
    let run = build(&site, &dir.path().join("ut3"));
    assert_eq!(run.code, Some(1));
    let text = all(&run);
    assert!(
        text.contains("kan inte läsa filen: innehållet går inte att läsa"),
        "{text}"
    );
    let p = problems(&text);
    assert!(p.is_empty(), "{}\n{text}", p.join("\n"));
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// An unknown key no longer hides a wrong value below it, and the YAML parser's own messages are
/// Swedish.
#[test]
fn a_file_with_two_kinds_of_mistakes_gives_both_at_once_in_swedish() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("arkiv");
    std::fs::create_dir_all(&site).unwrap();
    std::fs::copy(repo().join("site.toml"), site.join("site.toml")).unwrap();
    write(
        &site.join("content/x/forbund.yaml"),
        "namn: X samordningsförbund\nkortnamn: X\nsate: Åstorp\nhemsidan: https://x.example.se\nmedlemmar:\n  - namn: Åstorps kommun\n    typ: komun\n  - namn: Region Skåne\n    typ: region\n",
    );
    write(
        &site.join("content/x/protokoll/2025-03-11.md"),
        "---\norgan: Styrelsen\nnummer: tre\ndatum: 2025-03-11\nplats: \"Åstorp\n---\n\n## § 1 Öppnande\n\nText.\n",
    );
    write(
        &site.join("content/x/protokoll/2025-04-11.md"),
        "---\norgan: Styrelsen\ndatum: 2025-04-11\nplats: Åstorp: kommunhuset\n---\n\n## § 2 Öppnande\n\nText.\n",
    );
    let run = build(&site, &dir.path().join("ut"));
    assert_eq!(run.code, Some(1));
    let text = all(&run);
    for expected in [
        "forbund.yaml:4:1: fel [yaml] okänd nyckel `hemsidan`",
        "forbund.yaml:7:10: fel [medlem] okänd medlemstyp `komun`",
        "2025-03-11.md:3:9: fel [yaml] ogiltigt värde, väntade ett heltal",
        "2025-04-11.md:4:",
    ] {
        assert!(text.contains(expected), "{expected} saknas i\n{text}");
    }
    let p = problems(&text);
    assert!(p.is_empty(), "{}\n{text}", p.join("\n"));
}

/// site.toml's mistakes (the TOML parser's and serde's messages) are Swedish too.
#[test]
fn site_toml_mistakes_are_swedish() {
    let good = read(&repo().join("site.toml"));
    let cases = [
        (
            good.replace("titel = \"Finsamarkivet\"", "titel = Finsamarkivet"),
            "site.toml:1:9: fel [site-toml] ogiltigt värde (texter skrivs inom citattecken)",
        ),
        (
            good.replace(
                "titel = \"Finsamarkivet\"",
                "titel = \"Finsamarkivet\"\nokand = 1",
            ),
            "site.toml:2:1: fel [site-toml] okänd nyckel `okand`; tillåtna: titel,",
        ),
        (
            good.replace("utdata = \"public\"", "utdata = 5"),
            "fel sorts värde: talet `5`, väntade en sökväg inom citattecken",
        ),
        (
            good.replace("titel = \"Finsamarkivet\"", "titel = \"Finsamarkivet"),
            "en text saknar sitt avslutande citattecken",
        ),
    ];
    for (text, expected) in cases {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("arkiv");
        copy_site(&repo(), &site);
        std::fs::write(site.join("site.toml"), text).unwrap();
        let run = build(&site, &dir.path().join("ut"));
        assert_eq!(run.code, Some(1));
        let out = all(&run);
        assert!(out.contains(expected), "{expected} saknas i\n{out}");
        let p = problems(&out);
        assert!(p.is_empty(), "{}\n{out}", p.join("\n"));
    }
}

#[test]
fn mistakes_in_an_advanced_query_are_told_in_swedish() {
    // tantivy's query parser writes English ("Syntax Error", "Field does not exist"); the search
    // says what is wrong in Swedish, on the command line as from the server.
    let (_dir, out) = build_example();
    let cases = [
        ("titel:(budget", "fel i frågans syntax"),
        ("okant:budget", "fältet `okant` finns inte"),
        ("datum:[x TO y]", "datumet har fel form"),
        ("ar:tjugo", "ett heltal väntades"),
    ];
    for (query, expected) in cases {
        let args: [&std::ffi::OsStr; 5] = [
            "search".as_ref(),
            "--rot".as_ref(),
            out.as_os_str(),
            "--avancerad".as_ref(),
            query.as_ref(),
        ];
        let run = protokoll(&repo(), &args);
        assert!(!run.ok(), "{query}: {}", all(&run));
        let text = all(&run);
        assert!(
            text.contains(expected),
            "{query}: väntade {expected:?} i\n{text}"
        );
        let p = problems(&text.replace(query, ""));
        assert!(p.is_empty(), "{query}:\n{}\n{text}", p.join("\n"));
    }
}
