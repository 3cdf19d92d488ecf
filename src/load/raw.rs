//! The files as written: serde structures with Swedish keys, before validation.
//!
//! Dates and times are read as spanned strings and parsed by the loader, so that a bad date is
//! reported with its exact position and does not hide the other mistakes in the same file.

use serde::Deserialize;
use serde_saphyr::Spanned;

pub type S<T> = Spanned<T>;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawForbund {
    pub namn: S<String>,
    pub kortnamn: S<String>,
    #[serde(default)]
    pub slug: Option<S<String>>,
    #[serde(default)]
    pub organisationsnummer: Option<S<String>>,
    pub sate: S<String>,
    #[serde(default)]
    pub hemsida: Option<S<String>>,
    #[serde(default)]
    pub beskrivning: Option<String>,
    pub medlemmar: S<Vec<RawMember>>,
    #[serde(default)]
    pub anslagstavlor: Vec<RawNoticeBoard>,
    #[serde(default)]
    pub moten: Vec<RawMeeting>,
    #[serde(default)]
    pub noindex_efter_ar: Option<S<u32>>,
}

/// A planned meeting in the förbund profile.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawMeeting {
    pub datum: S<String>,
    #[serde(default)]
    pub tid: Option<RawTime>,
    #[serde(default)]
    pub plats: Option<String>,
    #[serde(default)]
    pub organ: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawMember {
    pub namn: String,
    pub typ: S<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawNoticeBoard {
    pub namn: String,
    #[serde(default)]
    pub url: Option<S<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawProtocol {
    pub organ: S<String>,
    #[serde(default)]
    pub nummer: Option<u32>,
    pub datum: S<String>,
    #[serde(default)]
    pub tid: Option<RawTime>,
    #[serde(default)]
    pub plats: Option<String>,
    #[serde(default)]
    pub narvaro: Option<RawAttendance>,
    #[serde(default)]
    pub justering: Option<RawJustering>,
    #[serde(default)]
    pub justerande_paragrafer: Option<S<String>>,
    #[serde(default)]
    pub underskrifter: Vec<RawSignatory>,
    #[serde(default)]
    pub forvaringsplats: Option<String>,
    #[serde(default)]
    pub anslag: Vec<RawNotice>,
    #[serde(default)]
    pub digital_signering: Option<RawDigitalSignature>,
    /// The signed original, a PDF beside the protocol file.
    #[serde(default)]
    pub original: Option<S<String>>,
    #[serde(default)]
    pub bilagor: Vec<RawBilaga>,
}

/// An annex published as a file beside the protocol.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawBilaga {
    pub fil: S<String>,
    #[serde(default)]
    pub titel: Option<String>,
    /// The § the annex belongs to.
    #[serde(default)]
    pub paragraf: Option<S<u32>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTime {
    #[serde(default)]
    pub start: Option<S<String>>,
    #[serde(default)]
    pub slut: Option<S<String>>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct RawAttendance {
    #[serde(default)]
    pub beslutande: Vec<RawPerson>,
    #[serde(default)]
    pub tjanstgorande_ersattare: Vec<RawPerson>,
    #[serde(default)]
    pub ersattare: Vec<RawPerson>,
    #[serde(default)]
    pub ovriga_narvarande: Vec<RawPerson>,
    #[serde(default)]
    pub anmalt_forhinder: Vec<RawPerson>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPerson {
    pub namn: String,
    pub roll: String,
    #[serde(default)]
    pub uppdrag: Option<String>,
    #[serde(default)]
    pub organisation: Option<String>,
    #[serde(default)]
    pub parti: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawJustering {
    pub datum: S<String>,
    #[serde(default)]
    pub metod: Option<String>,
    #[serde(default)]
    pub plats: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSignatory {
    pub roll: String,
    pub namn: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawNotice {
    pub anslagstavla: String,
    pub uppsatt: S<String>,
    #[serde(default)]
    pub nedtaget: Option<S<String>>,
    #[serde(default)]
    pub anslagsbevis: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDigitalSignature {
    pub kontrollsumma: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPlan {
    pub titel: S<String>,
    pub ar: S<i32>,
    #[serde(default)]
    pub antagen: Option<RawAdoption>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAdoption {
    pub datum: S<String>,
    #[serde(default)]
    pub organ: Option<String>,
    #[serde(default)]
    pub paragraf: Option<u32>,
}
