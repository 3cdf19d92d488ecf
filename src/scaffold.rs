//! Scaffolding: `protokoll init` creates a new archive that builds at once, and
//! `protokoll new protokoll <förbund> <datum>` starts a protocol file from the förbund profile.
//! Neither ever overwrites a file.

use crate::diagnostics::Diagnostic;
use chrono::{Datelike, Days, NaiveDate};
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum ScaffoldError {
    #[error("{0} finns redan; init skriver aldrig över ett arkiv")]
    ArchiveExists(PathBuf),
    #[error("{0} finns redan; skriver inte över den")]
    FileExists(PathBuf),
    #[error("förbundet `{slug}` finns inte: {profile} saknas")]
    UnknownForbund { slug: String, profile: PathBuf },
    #[error("förbundsprofilen {0} har fel (kör `protokoll check`)")]
    BadProfile(PathBuf, Vec<Diagnostic>),
    #[error(
        "`{0}` är inget mötesdatum; skriv ÅÅÅÅ-MM-DD, eventuellt följt av -organ (t.ex. 2025-05-13-revisorerna)"
    )]
    BadDate(String),
    #[error("kan inte skriva {path}: {}", crate::sv::io_error(source))]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> ScaffoldError + '_ {
    move |source| ScaffoldError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Writes a new file; fails if it exists (checked by the file system, not before).
fn create_new(path: &Path, text: &str) -> Result<(), ScaffoldError> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(io(parent))?;
    }
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| {
            if e.kind() == std::io::ErrorKind::AlreadyExists {
                ScaffoldError::FileExists(path.to_path_buf())
            } else {
                ScaffoldError::Io {
                    path: path.to_path_buf(),
                    source: e,
                }
            }
        })?;
    file.write_all(text.as_bytes()).map_err(io(path))
}

fn iso(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// The files `init` writes, relative to the new archive's folder. The example protocol is
/// dated two weeks before `today`, justerad and posted on time on the förbund's and every
/// member kommun's and region's board (2003:1210 19 §), so the new site shows a notice on its
/// anslagstavla and `protokoll check` finds nothing.
pub fn init_files(today: NaiveDate) -> Vec<(PathBuf, String)> {
    let meeting = today - Days::new(14);
    let justerad = meeting + Days::new(2);
    // Posted the day it was justerad: on time whatever the weekday, no deadline to move.
    let posted = justerad;
    let site = format!(
        r#"# Arkivets inställningar; se docs/content-format.md i protokoll.
titel = "Protokollarkiv"
base_url = "https://arkiv.example.se/"
beskrivning = "Protokoll och planer från Exempelbygdens samordningsförbund"

[tillganglighet]
aktor = "Exempelbygdens samordningsförbund"
tjanst = "Protokollarkiv"
forenlighet = "delvis"
brister = ["Webbplatsen är ny och har inte granskats av någon utomstående."]
bedomning_datum = {today}
bedomning_metod = "Självskattning."
senast_uppdaterad = {today}
kontakt_epost = "webb@example.se"
"#,
        today = iso(today)
    );
    let profile = format!(
        r#"namn: Exempelbygdens samordningsförbund
kortnamn: Exempelbygden
sate: Exempelstad
beskrivning: |
  Ett påhittat förbund att börja med. Byt ut uppgifterna mot ert eget förbunds.
medlemmar:
  - namn: Exempelstads kommun
    typ: kommun
  - namn: Region Exempel
    typ: region
  - namn: Försäkringskassan
    typ: forsakringskassan
  - namn: Arbetsförmedlingen
    typ: arbetsformedlingen
anslagstavlor:
  - namn: Exempelbygdens samordningsförbunds anslagstavla
moten:
  - datum: {next}
    tid:
      start: "13:00"
      slut: "15:00"
    plats: Förbundets kansli, Exempelstad
"#,
        next = iso(today + Days::new(30))
    );
    let protocol = format!(
        r#"---
organ: Styrelsen
nummer: 1
datum: {meeting}
tid:
  start: "13:00"
  slut: "14:30"
plats: Förbundets kansli, Exempelstad
narvaro:
  beslutande:
    - namn: Anna Exempelsson
      roll: ledamot
      uppdrag: ordförande
      organisation: Exempelstads kommun
    - namn: Bo Provsson
      roll: ledamot
      uppdrag: vice ordförande
      organisation: Region Exempel
    - namn: Cecilia Testsson
      roll: ledamot
      organisation: Försäkringskassan
    - namn: David Mallsson
      roll: ledamot
      organisation: Arbetsförmedlingen
  ovriga_narvarande:
    - namn: Eva Utkastsson
      roll: förbundschef
justering:
  datum: {justerad}
  metod: på papper
justerande_paragrafer: "1-4"
underskrifter:
  - roll: sekreterare
    namn: Eva Utkastsson
  - roll: ordförande
    namn: Anna Exempelsson
  - roll: justerare
    namn: Bo Provsson
forvaringsplats: Exempelbygdens samordningsförbund, Exempelstad
anslag:
  - anslagstavla: Exempelbygdens samordningsförbunds anslagstavla
    uppsatt: {posted}
    anslagsbevis: Eva Utkastsson, förbundschef
  - anslagstavla: Exempelstads kommun
    uppsatt: {posted}
  - anslagstavla: Region Exempel
    uppsatt: {posted}
---

## § 1 Mötets öppnande

Ordföranden öppnar mötet.

## § 2 Val av justerare

::: beslut
Styrelsen beslutar att utse Bo Provsson att jämte ordföranden justera protokollet.
:::

## § 3 Godkännande av dagordning

::: beslut
Styrelsen beslutar att godkänna dagordningen.
:::

## § 4 Mötets avslutande

Ordföranden avslutar mötet.
"#,
        meeting = iso(meeting),
        justerad = iso(justerad),
        posted = iso(posted)
    );
    vec![
        (PathBuf::from("site.toml"), site),
        (PathBuf::from("content/exempelbygden/forbund.yaml"), profile),
        (
            PathBuf::from(format!(
                "content/exempelbygden/protokoll/{}.md",
                iso(meeting)
            )),
            protocol,
        ),
    ]
}

/// `protokoll init DIR`: a new archive. Refuses when `DIR` already has a site.toml or content/.
pub fn init(dir: &Path, today: NaiveDate) -> Result<Vec<PathBuf>, ScaffoldError> {
    for existing in ["site.toml", "content"] {
        let p = dir.join(existing);
        if p.exists() {
            return Err(ScaffoldError::ArchiveExists(p));
        }
    }
    std::fs::create_dir_all(dir).map_err(io(dir))?;
    let mut written = Vec::new();
    for (rel, text) in init_files(today) {
        let path = dir.join(rel);
        create_new(&path, &text)?;
        written.push(path);
    }
    // The built site and the build's own folder (search index, cache) do not belong in version
    // control; keep an existing .gitignore as it is.
    let ignore = dir.join(".gitignore");
    if !ignore.exists() {
        create_new(&ignore, "/public\n/.protokoll\n")?;
        written.push(ignore);
    }
    Ok(written)
}

/// Splits `2025-05-13` or `2025-05-13-revisorerna` into its date; `None` if it is neither.
pub fn stem_date(stem: &str) -> Option<NaiveDate> {
    let date = NaiveDate::parse_from_str(stem.get(..10)?, "%Y-%m-%d").ok()?;
    let rest = &stem[10..];
    let suffix_ok = |s: &str| {
        !s.is_empty()
            && !s.starts_with('-')
            && !s.ends_with('-')
            && s.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    };
    (stem.as_bytes().get(4) == Some(&b'-')
        && (rest.is_empty() || rest.strip_prefix('-').is_some_and(suffix_ok)))
    .then_some(date)
}

/// `protokoll new protokoll <förbund> <datum>`: a protocol skeleton in
/// `content/<förbund>/protokoll/<datum>.md`, with the förbund's members as attendance
/// placeholders and § numbers that continue the year's numbering. Returns the file written.
pub fn new_protocol(root: &Path, slug: &str, stem: &str) -> Result<PathBuf, ScaffoldError> {
    let date = stem_date(stem).ok_or_else(|| ScaffoldError::BadDate(stem.to_string()))?;
    let dir = root.join("content").join(slug);
    let profile_path = dir.join("forbund.yaml");
    let Ok(profile_text) = std::fs::read_to_string(&profile_path) else {
        return Err(ScaffoldError::UnknownForbund {
            slug: slug.to_string(),
            profile: profile_path,
        });
    };
    let mut errors = Vec::new();
    let forbund = crate::load::parse_forbund(&profile_text, &profile_path, slug, &mut errors);
    let forbund = match forbund {
        Some(f) if errors.is_empty() => f,
        _ => return Err(ScaffoldError::BadProfile(profile_path, errors)),
    };
    // Numbering runs on through the year: the next § after the year's earlier protocols, and
    // the next protocol number. Unreadable files are skipped; `check` reports them.
    let mut last_paragraph = 0;
    let mut earlier: u32 = 0;
    let mut highest_number: u32 = 0;
    if let Ok(entries) = std::fs::read_dir(dir.join("protokoll")) {
        for entry in entries.flatten() {
            let path = entry.path();
            if path.extension().is_none_or(|e| e != "md") {
                continue;
            }
            let Ok(text) = std::fs::read_to_string(&path) else {
                continue;
            };
            let mut ignored = Vec::new();
            if let Some(p) = crate::load::parse_protocol(&text, &path, &mut ignored)
                && p.year() == date.year()
                && p.date.value < date
            {
                earlier += 1;
                highest_number = highest_number.max(p.number.unwrap_or(0));
                last_paragraph = p
                    .paragraphs
                    .iter()
                    .map(|x| x.number)
                    .max()
                    .unwrap_or(0)
                    .max(last_paragraph);
            }
        }
    }
    let first = last_paragraph + 1;
    let mut members = String::new();
    for m in &forbund.members {
        members.push_str(&format!(
            "    - namn: \"(namn)\"              # fyll i ledamotens namn\n      roll: ledamot\n      organisation: {}\n",
            yaml_string(&m.name)
        ));
    }
    let titles = [
        "Mötets öppnande",
        "Val av justerare",
        "Godkännande av dagordning",
        "Mötets avslutande",
    ];
    let mut body = String::new();
    for (i, title) in titles.iter().enumerate() {
        body.push_str(&format!("\n## § {} {title}\n\n", first + i as u32));
        if *title == "Val av justerare" {
            body.push_str(
                "::: beslut\nStyrelsen beslutar att utse (namn) att jämte ordföranden justera protokollet.\n:::\n",
            );
        } else if *title == "Godkännande av dagordning" {
            body.push_str("::: beslut\nStyrelsen beslutar att godkänna dagordningen.\n:::\n");
        } else {
            body.push_str("(text)\n");
        }
    }
    let text = format!(
        r#"---
organ: Styrelsen
nummer: {number}
datum: {date}
tid:
  start: "13:00"
  slut: "15:00"
plats: {seat}
narvaro:
  beslutande:
{members}  ovriga_narvarande: []
  anmalt_forhinder: []
forvaringsplats: {storage}
# När protokollet har justerats och anslagits (docs/content-format.md):
# justering:
#   datum: ÅÅÅÅ-MM-DD
# justerande_paragrafer: "{first}-{last}"
# underskrifter:
#   - roll: ordförande
#     namn: …
# anslag:
#   - anslagstavla: {board}
#     uppsatt: ÅÅÅÅ-MM-DD
---
{body}"#,
        // The protocols' own numbers win over counting files: earlier files may be missing.
        number = earlier.max(highest_number) + 1,
        date = iso(date),
        seat = yaml_string(&forbund.seat),
        storage = yaml_string(&format!("{}, {}", forbund.name, forbund.seat)),
        last = first + titles.len() as u32 - 1,
        board = forbund
            .notice_boards
            .first()
            .map_or_else(|| forbund.name.clone(), |b| b.name.clone()),
    );
    let path = dir.join("protokoll").join(format!("{stem}.md"));
    create_new(&path, &text)?;
    Ok(path)
}

/// A YAML scalar: quoted when plain style could be misread.
fn yaml_string(s: &str) -> String {
    let plain = !s.is_empty()
        && !s.starts_with([
            ' ', '-', '?', ':', ',', '[', ']', '{', '}', '#', '&', '*', '!', '|', '>', '\'', '"',
            '%', '@', '`',
        ])
        && !s.contains(": ")
        && !s.contains(" #")
        && !s.ends_with(' ');
    if plain {
        s.to_string()
    } else {
        format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn stems() {
        assert_eq!(stem_date("2025-05-13"), Some(d("2025-05-13")));
        assert_eq!(stem_date("2025-05-13-revisorerna"), Some(d("2025-05-13")));
        assert_eq!(stem_date("2025-05-13-"), None);
        assert_eq!(stem_date("2025-05-13-Revisorerna"), None);
        assert_eq!(stem_date("2025-5-13"), None);
        assert_eq!(stem_date("13 maj"), None);
    }

    #[test]
    fn init_refuses_an_existing_archive() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("site.toml"), "x").unwrap();
        assert!(matches!(
            init(dir.path(), d("2025-03-20")),
            Err(ScaffoldError::ArchiveExists(_))
        ));
        assert_eq!(
            std::fs::read_to_string(dir.path().join("site.toml")).unwrap(),
            "x"
        );
    }

    #[test]
    fn the_init_protocol_is_posted_on_time_before_today() {
        for today in ["2025-03-20", "2025-12-30", "2026-04-10"] {
            let files = init_files(d(today));
            let protocol = &files[2].1;
            let posted = protocol
                .lines()
                .find_map(|l| l.trim().strip_prefix("uppsatt: "))
                .unwrap();
            assert!(d(posted) <= d(today), "{today}: posted {posted}");
        }
    }

    #[test]
    fn yaml_strings_are_quoted_when_needed() {
        assert_eq!(yaml_string("Åstorps kommun"), "Åstorps kommun");
        assert_eq!(yaml_string("a: b"), "\"a: b\"");
        assert_eq!(yaml_string("#x"), "\"#x\"");
    }
}
