//! `site.toml`: the archive's name, address and the facts of its tillgänglighetsredogörelse.

use crate::diagnostics::Diagnostic;
use crate::model::Pos;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SiteConfig {
    pub titel: String,
    pub base_url: String,
    #[serde(default)]
    pub beskrivning: Option<String>,
    #[serde(default = "default_theme")]
    pub tema: String,
    #[serde(default = "default_output")]
    pub utdata: PathBuf,
    /// Errors from the legal checks fail the build.
    #[serde(default)]
    pub strikt: bool,
    pub tillganglighet: Accessibility,
    /// What may be published although it looks like personal contact data.
    #[serde(default)]
    pub integritet: PrivacySettings,
    /// Documents removed from `content/` that the machine-readable data lists as deleted
    /// (tombstones), so that harvesters drop their copies.
    #[serde(default)]
    pub borttagna: Vec<RemovedDocument>,
    /// `borttagna`, validated and located (filled in by [`parse`]).
    #[serde(skip)]
    pub tombstones: Vec<Tombstone>,
}

/// One `[[borttagna]]` entry as written.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RemovedDocument {
    /// The document's address relative to base_url, e.g. `/soderasen/protokoll/2019-05-01/`.
    pub url: String,
    /// The day it was removed.
    pub datum: toml::value::Datetime,
    /// Why, in a sentence (optional; shown in the data).
    #[serde(default)]
    pub skal: Option<String>,
}

/// The kind of a removed document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RemovedKind {
    Protokoll,
    Plan,
}

/// A validated tombstone.
#[derive(Debug, Clone, Serialize)]
pub struct Tombstone {
    pub slug: String,
    pub kind: RemovedKind,
    /// The file stem the document had, e.g. `2019-05-01`.
    pub id: String,
    pub date: NaiveDate,
    pub reason: Option<String>,
    /// Where the entry is written in site.toml.
    #[serde(skip)]
    pub pos: Pos,
}

/// Splits `/<slug>/protokoll/<id>/` or `/<slug>/planer/<id>/` into its parts.
fn removed_target(url: &str) -> Option<(String, RemovedKind, String)> {
    let inner = url.strip_prefix('/')?.strip_suffix('/')?;
    let parts: Vec<&str> = inner.split('/').collect();
    let ok = |s: &str| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    };
    match parts.as_slice() {
        [slug, "protokoll", id] if ok(slug) && ok(id) => {
            Some((slug.to_string(), RemovedKind::Protokoll, id.to_string()))
        }
        [slug, "planer", id] if ok(slug) && ok(id) => {
            Some((slug.to_string(), RemovedKind::Plan, id.to_string()))
        }
        _ => None,
    }
}

#[derive(Debug, Clone, Deserialize, Serialize, Default)]
#[serde(deny_unknown_fields)]
pub struct PrivacySettings {
    /// Functional e-mail addresses that may be published (the accessibility contact always may).
    #[serde(default)]
    pub tillatna_epostadresser: Vec<String>,
    /// Domains whose addresses may be published, e.g. the förbund's own.
    #[serde(default)]
    pub tillatna_domaner: Vec<String>,
}

fn default_theme() -> String {
    "default".to_string()
}

fn default_output() -> PathBuf {
    PathBuf::from("public")
}

/// The tillgänglighetsredogörelse required by Lag (2018:1937) 12 § and Digg's regulations.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Accessibility {
    pub aktor: String,
    pub tjanst: String,
    pub forenlighet: Conformance,
    #[serde(default)]
    pub brister: Vec<String>,
    pub bedomning_datum: toml::value::Datetime,
    pub bedomning_metod: String,
    pub senast_uppdaterad: toml::value::Datetime,
    pub kontakt_epost: String,
}

#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Conformance {
    Helt,
    Delvis,
    Inte,
}

impl Conformance {
    pub fn statement(self) -> &'static str {
        match self {
            Conformance::Helt => "helt förenlig",
            Conformance::Delvis => "delvis förenlig",
            Conformance::Inte => "inte förenlig",
        }
    }
}

impl SiteConfig {
    /// The path part of `base_url`, always starting and ending with `/`.
    pub fn base_path(&self) -> String {
        let after_scheme = self
            .base_url
            .split_once("://")
            .map(|(_, rest)| rest)
            .unwrap_or(&self.base_url);
        let path = after_scheme
            .find('/')
            .map(|i| &after_scheme[i..])
            .unwrap_or("/");
        let trimmed = path.trim_matches('/');
        if trimmed.is_empty() {
            "/".to_string()
        } else {
            format!("/{trimmed}/")
        }
    }

    /// The privacy guard's allow-list.
    pub fn privacy_policy(&self) -> crate::privacy::Policy {
        let mut allowed_emails = self.integritet.tillatna_epostadresser.clone();
        allowed_emails.push(self.tillganglighet.kontakt_epost.clone());
        crate::privacy::Policy {
            allowed_emails,
            allowed_domains: self.integritet.tillatna_domaner.clone(),
        }
    }

    /// The valid `[[borttagna]]` entries (invalid ones are reported by [`parse`]).
    fn read_tombstones(&self, text: &str) -> Vec<Tombstone> {
        self.borttagna
            .iter()
            .filter_map(|r| {
                let (slug, kind, id) = removed_target(&r.url)?;
                Some(Tombstone {
                    slug,
                    kind,
                    id,
                    date: toml_date(&r.datum).filter(|_| r.datum.time.is_none())?,
                    reason: r.skal.clone().filter(|s| !s.trim().is_empty()),
                    pos: value_pos(text, &r.url),
                })
            })
            .collect()
    }

    /// `base_url` without a trailing slash, for absolute links in feeds and canonical URLs.
    pub fn origin_and_base(&self) -> String {
        self.base_url.trim_end_matches('/').to_string()
    }
}

/// Where a quoted string value is written in site.toml (for findings about one entry).
fn value_pos(text: &str, value: &str) -> Pos {
    let quoted = format!("\"{value}\"");
    text.find(&quoted)
        .or_else(|| text.find(value))
        .map(|i| crate::load::position_of(text, i))
        .unwrap_or_default()
}

/// Turns a TOML date into a calendar date; only plain dates (`2025-03-01`) are meaningful here.
pub fn toml_date(value: &toml::value::Datetime) -> Option<NaiveDate> {
    let d = value.date?;
    NaiveDate::from_ymd_opt(i32::from(d.year), u32::from(d.month), u32::from(d.day))
}

/// Reads and validates `site.toml`.
pub fn load(path: &Path) -> Result<SiteConfig, Vec<Diagnostic>> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        vec![Diagnostic::error(
            "las-fil",
            path,
            Pos::default(),
            format!(
                "kan inte läsa {}: {}",
                path.display(),
                crate::sv::io_error(&e)
            ),
        )]
    })?;
    // site.toml is published in part (names, addresses, descriptions): guarded like content.
    let leaks = crate::load::privacy_diagnostics(crate::privacy::scan_blocking(&text), path);
    if !leaks.is_empty() {
        return Err(leaks);
    }
    parse(&text, path)
}

pub fn parse(text: &str, path: &Path) -> Result<SiteConfig, Vec<Diagnostic>> {
    let mut config: SiteConfig = toml::from_str(text).map_err(|e| {
        let pos = e
            .span()
            .map(|s| crate::load::position_of(text, s.start))
            .unwrap_or_default();
        vec![
            Diagnostic::error(
                "site-toml",
                path,
                pos,
                crate::load::serde_in_swedish(e.message(), "TOML"),
            )
            .with_hint("se docs/content-format.md, avsnittet site.toml"),
        ]
    })?;
    let mut errors = Vec::new();
    let at = |key: &str| {
        text.lines()
            .position(|l| l.trim_start().starts_with(key))
            .map(|i| Pos {
                line: i + 1,
                column: 1,
            })
            .unwrap_or_default()
    };
    if !(config.base_url.starts_with("https://") || config.base_url.starts_with("http://")) {
        errors.push(
            Diagnostic::error(
                "site-toml",
                path,
                at("base_url"),
                format!(
                    "base_url måste vara en absolut adress, inte {:?}",
                    config.base_url
                ),
            )
            .with_hint("t.ex. base_url = \"https://arkiv.example.se/finsam/\""),
        );
    }
    for (key, value) in [
        ("bedomning_datum", &config.tillganglighet.bedomning_datum),
        (
            "senast_uppdaterad",
            &config.tillganglighet.senast_uppdaterad,
        ),
    ] {
        if toml_date(value).is_none() || value.time.is_some() {
            errors.push(
                Diagnostic::error(
                    "site-toml",
                    path,
                    at(key),
                    format!("{key} ska vara ett datum (ÅÅÅÅ-MM-DD)"),
                )
                .with_hint("t.ex. 2025-03-01 utan citattecken"),
            );
        }
    }
    for r in &config.borttagna {
        let pos = value_pos(text, &r.url);
        if removed_target(&r.url).is_none() {
            errors.push(
                Diagnostic::error(
                    "borttagen",
                    path,
                    pos,
                    format!("`{}` är ingen adress till ett protokoll eller en plan", r.url),
                )
                .with_hint("skriv adressen utan base_url, t.ex. url = \"/soderasen/protokoll/2019-05-01/\""),
            );
        }
        if toml_date(&r.datum).is_none() || r.datum.time.is_some() {
            errors.push(
                Diagnostic::error(
                    "borttagen",
                    path,
                    pos,
                    format!("datum för {} ska vara ett datum (ÅÅÅÅ-MM-DD)", r.url),
                )
                .with_hint("dagen dokumentet togs bort, t.ex. datum = 2025-01-10"),
            );
        }
    }
    config.tombstones = config.read_tombstones(text);
    if errors.is_empty() {
        Ok(config)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = r#"
titel = "Arkiv"
base_url = "https://example.se/finsam/"
[tillganglighet]
aktor = "A"
tjanst = "T"
forenlighet = "delvis"
bedomning_datum = 2025-03-01
bedomning_metod = "Självskattning"
senast_uppdaterad = 2025-03-01
kontakt_epost = "webb@example.se"
"#;

    #[test]
    fn base_path_keeps_the_sub_path() {
        let c = parse(MINIMAL, Path::new("site.toml")).unwrap();
        assert_eq!(c.base_path(), "/finsam/");
        let root = SiteConfig {
            base_url: "https://example.se".into(),
            ..c
        };
        assert_eq!(root.base_path(), "/");
    }

    #[test]
    fn tombstones_are_read_and_bad_ones_located() {
        let text = format!(
            "{MINIMAL}\n[[borttagna]]\nurl = \"/alfa/protokoll/2019-05-01/\"\ndatum = 2025-01-10\nskal = \"Fel förbund\"\n\n[[borttagna]]\nurl = \"/alfa/planer/2018/\"\ndatum = 2025-01-11\n"
        );
        let c = parse(&text, Path::new("site.toml")).unwrap();
        let t = &c.tombstones;
        assert_eq!(t.len(), 2);
        assert_eq!(
            (t[0].slug.as_str(), t[0].kind, t[0].id.as_str()),
            ("alfa", RemovedKind::Protokoll, "2019-05-01")
        );
        assert_eq!(t[0].reason.as_deref(), Some("Fel förbund"));
        assert_eq!(t[0].pos.line, 14);
        assert_eq!(
            (t[1].kind, t[1].reason.as_deref()),
            (RemovedKind::Plan, None)
        );

        let bad =
            format!("{MINIMAL}\n[[borttagna]]\nurl = \"https://x.se/alfa/\"\ndatum = 2025-01-10\n");
        let errors = parse(&bad, Path::new("site.toml")).unwrap_err();
        assert_eq!(
            (errors[0].code.as_str(), errors[0].line),
            ("borttagen", 14),
            "{errors:?}"
        );
    }

    #[test]
    fn misspelt_key_is_reported_with_its_line() {
        let text = MINIMAL.replace("titel", "title");
        let errors = parse(&text, Path::new("site.toml")).unwrap_err();
        assert_eq!(errors[0].line, 2, "{:?}", errors);
        assert!(errors[0].message.contains("title"), "{:?}", errors);
    }
}
