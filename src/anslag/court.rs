//! Which förvaltningsrätt hears an appeal of a förbund's decision: the court whose domkrets holds
//! the förbund's säte. The domkretsar are data (`data/forvaltningsratter.toml`, with its source),
//! read once; a säte that names no kommun gives no court, never a guess.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::OnceLock;

const DATA: &str = include_str!("../../data/forvaltningsratter.toml");

/// One förvaltningsrätt, as the pages show it.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
pub struct Court {
    #[serde(rename(deserialize = "namn"))]
    pub name: String,
    #[serde(rename(deserialize = "postadress"), default)]
    pub postal_address: Option<String>,
    #[serde(rename(deserialize = "epost"))]
    pub email: String,
    #[serde(rename(deserialize = "webb"))]
    pub web: String,
    #[serde(rename(deserialize = "lan"), skip_serializing)]
    counties: Vec<String>,
    #[serde(rename(deserialize = "kommuner"), skip_serializing)]
    municipalities: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct Table {
    #[serde(rename = "forvaltningsratt")]
    courts: Vec<Court>,
    /// County → its municipalities.
    lan: BTreeMap<String, Vec<String>>,
}

fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(|| {
        toml::from_str(DATA).expect("data/forvaltningsratter.toml is checked by the unit tests")
    })
}

/// "Åstorps kommun", "Åstorp", " åstorp " → "åstorp"; "Region Gotland" → "gotland".
fn key(name: &str) -> String {
    let lower = name.trim().to_lowercase();
    let lower = lower.strip_prefix("region ").unwrap_or(&lower);
    let lower = lower
        .strip_suffix(" kommun")
        .or_else(|| lower.strip_suffix(" stad"))
        .unwrap_or(lower);
    lower.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The county of a municipality named like "Åstorp", "Åstorps kommun" or "Malmö stad".
pub fn county_of(municipality: &str) -> Option<&'static str> {
    let wanted = key(municipality);
    let matches = |m: &String| {
        let k = key(m);
        // "Åstorps kommun": the genitive s of the kommun's name.
        k == wanted || wanted.strip_suffix('s') == Some(k.as_str())
    };
    table()
        .lan
        .iter()
        .find(|(_, ms)| ms.iter().any(matches))
        .map(|(county, _)| county.as_str())
}

/// The court for a förbund whose säte is `seat`, or none when the säte names no kommun.
pub fn court_for_seat(seat: &str) -> Option<&'static Court> {
    let t = table();
    let county = county_of(seat)?;
    let name = t
        .lan
        .get(county)?
        .iter()
        .find(|m| {
            let (k, w) = (key(m), key(seat));
            k == w || w.strip_suffix('s') == Some(k.as_str())
        })?
        .clone();
    t.courts
        .iter()
        .find(|c| c.municipalities.contains(&name))
        .or_else(|| {
            t.courts
                .iter()
                .find(|c| c.counties.iter().any(|l| l == county))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn court(seat: &str) -> Option<&'static str> {
        court_for_seat(seat).map(|c| c.name.as_str())
    }

    #[test]
    fn the_table_lists_290_municipalities_each_once_and_twelve_courts() {
        let t = table();
        let all: Vec<&String> = t.lan.values().flatten().collect();
        assert_eq!(all.len(), 290);
        let mut keys: Vec<String> = all.iter().map(|m| key(m)).collect();
        keys.sort();
        keys.dedup();
        assert_eq!(keys.len(), 290, "a kommun is listed twice");
        assert_eq!(t.lan.len(), 21, "21 län");
        assert_eq!(t.courts.len(), 12);
        // Every county has exactly one court, and every moved kommun exists.
        for county in t.lan.keys() {
            let n = t
                .courts
                .iter()
                .filter(|c| c.counties.contains(county))
                .count();
            assert_eq!(n, 1, "{county}");
        }
        for c in &t.courts {
            for m in &c.municipalities {
                assert!(county_of(m).is_some(), "{m}");
            }
            assert!(c.web.starts_with("https://www.domstol.se/"));
            assert!(c.email.ends_with("@dom.se"));
        }
    }

    #[test]
    fn the_brief_examples_and_the_moved_kommuner() {
        assert_eq!(court("Åstorp"), Some("Förvaltningsrätten i Malmö"));
        assert_eq!(court("Tomelilla"), Some("Förvaltningsrätten i Malmö"));
        assert_eq!(court("Karlshamn"), Some("Förvaltningsrätten i Växjö"));
        assert_eq!(court("Kalmar"), Some("Förvaltningsrätten i Växjö"));
        assert_eq!(court("Växjö"), Some("Förvaltningsrätten i Växjö"));
        assert_eq!(court("Västervik"), Some("Förvaltningsrätten i Linköping"));
        assert_eq!(court("Norrtälje"), Some("Förvaltningsrätten i Uppsala"));
        assert_eq!(court("Sigtuna"), Some("Förvaltningsrätten i Uppsala"));
        assert_eq!(
            court("Upplands Väsby"),
            Some("Förvaltningsrätten i Uppsala")
        );
        assert_eq!(court("Solna"), Some("Förvaltningsrätten i Stockholm"));
        assert_eq!(court("Gotland"), Some("Förvaltningsrätten i Stockholm"));
        assert_eq!(court("Borås"), Some("Förvaltningsrätten i Jönköping"));
        assert_eq!(court("Vara"), Some("Förvaltningsrätten i Göteborg"));
        assert_eq!(court("Halmstad"), Some("Förvaltningsrätten i Göteborg"));
        assert_eq!(court("Örebro"), Some("Förvaltningsrätten i Karlstad"));
        assert_eq!(court("Gävle"), Some("Förvaltningsrätten i Falun"));
        assert_eq!(court("Östersund"), Some("Förvaltningsrätten i Härnösand"));
        assert_eq!(court("Skellefteå"), Some("Förvaltningsrätten i Umeå"));
        assert_eq!(court("Kiruna"), Some("Förvaltningsrätten i Luleå"));
        assert_eq!(court("Eskilstuna"), Some("Förvaltningsrätten i Linköping"));
    }

    #[test]
    fn the_seat_may_be_written_as_the_kommun() {
        assert_eq!(court("Åstorps kommun"), Some("Förvaltningsrätten i Malmö"));
        assert_eq!(court(" åstorp "), Some("Förvaltningsrätten i Malmö"));
        assert_eq!(court("Malmö stad"), Some("Förvaltningsrätten i Malmö"));
        assert_eq!(
            court("Region Gotland"),
            Some("Förvaltningsrätten i Stockholm")
        );
        assert_eq!(
            court("Upplands-Bro kommun"),
            Some("Förvaltningsrätten i Stockholm")
        );
    }

    #[test]
    fn a_seat_that_names_no_kommun_has_no_court() {
        assert_eq!(court("Visby"), None);
        assert_eq!(court(""), None);
        assert_eq!(court("Atlantis"), None);
    }
}
