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

    /// `base_url` without a trailing slash, for absolute links in feeds and canonical URLs.
    pub fn origin_and_base(&self) -> String {
        self.base_url.trim_end_matches('/').to_string()
    }
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
            format!("kan inte läsa {}: {e}", path.display()),
        )]
    })?;
    parse(&text, path)
}

pub fn parse(text: &str, path: &Path) -> Result<SiteConfig, Vec<Diagnostic>> {
    let config: SiteConfig = toml::from_str(text).map_err(|e| {
        let pos = e
            .span()
            .map(|s| crate::load::position_of(text, s.start))
            .unwrap_or_default();
        vec![
            Diagnostic::error("site-toml", path, pos, e.message().to_string())
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
    fn misspelt_key_is_reported_with_its_line() {
        let text = MINIMAL.replace("titel", "title");
        let errors = parse(&text, Path::new("site.toml")).unwrap_err();
        assert_eq!(errors[0].line, 2, "{:?}", errors);
        assert!(errors[0].message.contains("title"), "{:?}", errors);
    }
}
