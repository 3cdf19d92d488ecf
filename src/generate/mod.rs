//! The corpus generator: a national archive in the real content format, deterministic from a seed,
//! for benchmarks and scale tests (`protokoll generate`).
//!
//! Dates follow the law (justering within days of the meeting, posting within the deadline on every
//! member's notice board, removal after the last appeal day), except for a small, known share of
//! protocols with one deliberate rule break each, listed in `planterade-fel.json` so a test can
//! check that `protokoll check` finds exactly those.

pub mod rng;
pub mod text;
pub mod words;

use crate::anslag::calendar::{
    last_appeal_day, next_weekday, non_working_reason, posting_deadline,
};
use chrono::{Datelike, Days, NaiveDate, Weekday};
use rayon::prelude::*;
use rng::Rng;
use serde::Serialize;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use text::Writer;
use words::*;

/// The named sizes of issue 4.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Size {
    pub forbund: usize,
    pub years: usize,
    pub protocols: usize,
}

impl Size {
    pub fn named(name: &str) -> Option<Size> {
        match name {
            "small" => Some(Size {
                forbund: 10,
                years: 20,
                protocols: 1_000,
            }),
            "national" => Some(Size {
                forbund: 80,
                years: 20,
                protocols: 10_000,
            }),
            "stress" => Some(Size {
                forbund: 400,
                years: 20,
                protocols: 50_000,
            }),
            _ => None,
        }
    }
}

/// The last year of every generated archive, so a seed gives the same corpus on any day.
pub const LAST_YEAR: i32 = 2025;

/// One planted rule break.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct Planted {
    /// Path relative to the archive root.
    pub fil: String,
    pub regel: String,
}

#[derive(Debug, Serialize)]
pub struct Manifest {
    pub seed: u64,
    pub forbund: usize,
    pub protokoll: usize,
    pub planer: usize,
    pub planterade_fel: Vec<Planted>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Break {
    LatePosting,
    RemovedEarly,
    LateJustering,
    NoNotice,
    ParagraphGap,
}

impl Break {
    const ALL: [Break; 5] = [
        Break::LatePosting,
        Break::RemovedEarly,
        Break::LateJustering,
        Break::NoNotice,
        Break::ParagraphGap,
    ];

    fn rule(self) -> &'static str {
        match self {
            Break::LatePosting => "anslag-sent",
            Break::RemovedEarly => "nedtaget-fore-sista-dag",
            Break::LateJustering => "justering-sen",
            Break::NoNotice => "anslag-saknas",
            Break::ParagraphGap => "paragraf-lucka",
        }
    }
}

/// Share of protocols with one planted break.
const BREAK_SHARE: f64 = 0.03;

struct ForbundPlan {
    slug: String,
    name: String,
    kommuner: Vec<String>,
    region: String,
}

fn slug_of(name: &str) -> String {
    crate::load::body::slugify(name)
}

fn forbund_plans(size: Size, seed: u64) -> Vec<ForbundPlan> {
    let mut rng = Rng::derive(seed, 0xF0);
    (0..size.forbund)
        .map(|i| {
            let first = KOMMUNER[i % KOMMUNER.len()];
            let round = i / KOMMUNER.len();
            let name = if round == 0 {
                format!("Samordningsförbundet {first}")
            } else {
                format!("Samordningsförbundet {first} {}", round + 1)
            };
            let mut kommuner = vec![format!("{first} kommun")];
            for _ in 0..rng.range(0, 3) {
                let k = format!("{} kommun", rng.pick(KOMMUNER));
                if !kommuner.contains(&k) {
                    kommuner.push(k);
                }
            }
            ForbundPlan {
                slug: slug_of(&name),
                name,
                kommuner,
                region: rng.pick(REGIONER).to_string(),
            }
        })
        .collect()
}

fn is_working_day(d: NaiveDate) -> bool {
    non_working_reason(d).is_none()
}

/// The meeting dates of one year: `count` weekdays spread over the year, Tuesday to Thursday.
fn meeting_dates(rng: &mut Rng, year: i32, count: usize) -> Vec<NaiveDate> {
    let mut out: Vec<NaiveDate> = Vec::with_capacity(count);
    for k in 0..count {
        let start = 1 + (k * 330 / count.max(1)) as u64;
        let span = (330 / count.max(1)).max(2) as u64;
        let mut d = NaiveDate::from_ymd_opt(year, 1, 10).unwrap_or_default()
            + Days::new(start + rng.below(span as usize / 2 + 1) as u64);
        while !matches!(d.weekday(), Weekday::Tue | Weekday::Wed | Weekday::Thu)
            || !is_working_day(d)
            || out.last().is_some_and(|&l| d <= l)
        {
            d = d + Days::new(1);
        }
        if d.year() == year {
            out.push(d);
        }
    }
    out
}

struct ProtocolFacts {
    meeting: NaiveDate,
    justerad: NaiveDate,
    posted: Option<NaiveDate>,
    removed: Option<NaiveDate>,
}

/// Lawful dates, then the planted break (if any) applied.
fn protocol_dates(rng: &mut Rng, meeting: NaiveDate, planted: Option<Break>) -> ProtocolFacts {
    let mut justerad = next_weekday(meeting + Days::new(rng.range(1, 6) as u64));
    if planted == Some(Break::LateJustering) {
        justerad = next_weekday(meeting + Days::new(rng.range(16, 22) as u64));
    }
    // Posted within the raw deadline (justerad + 2) on a working day, so no deadline needs moving.
    let mut posted = [1u64, 2, 0]
        .into_iter()
        .map(|k| justerad + Days::new(k))
        .find(|&d| is_working_day(d))
        .unwrap_or(justerad);
    if planted == Some(Break::LatePosting) {
        // Past the deadline even after it is moved over weekends and holidays.
        posted = next_weekday(posting_deadline(justerad) + Days::new(rng.range(1, 4) as u64));
    }
    let last = last_appeal_day(posted);
    let mut removed = last + Days::new(rng.range(1, 3) as u64);
    if planted == Some(Break::RemovedEarly) {
        removed = last - Days::new(rng.range(2, 5) as u64);
    }
    let none = planted == Some(Break::NoNotice);
    ProtocolFacts {
        meeting,
        justerad,
        posted: (!none).then_some(posted),
        removed: (!none).then_some(removed),
    }
}

const STANDARD_OPENING: &[(&str, &str)] = &[
    (
        "Mötets öppnande",
        "Ordförande öppnar mötet och hälsar alla välkomna.",
    ),
    (
        "Val av justerare",
        "{justerare} utses att tillsammans med ordförande justera dagens protokoll.",
    ),
    (
        "Godkännande av dagordning",
        "Förslag till dagordning föreligger.",
    ),
    (
        "Föregående mötesprotokoll",
        "Föregående mötes protokoll gås igenom.",
    ),
];

const SUBSTANTIVE: &[&str] = &[
    "Ekonomisk uppföljning",
    "Ansökan om medel för individinsats",
    "Uppföljning av internkontrollplan",
    "Förslag till verksamhetsplan och budget",
    "Årsredovisning",
    "Extern utvärdering av insatser",
    "Medlemssamråd",
    "Deltagaruppföljning",
    "Förbundschefen informerar",
    "Revisorernas granskning",
    "Kompetensutveckling för parternas personal",
    "Arbetsmiljö och säkerhet i lokalerna",
    "Dokumenthanteringsplan",
    "Samverkan med utvecklingsgruppen",
];

struct Person {
    name: String,
    role: &'static str,
    assignment: Option<&'static str>,
    organisation: String,
    party: Option<&'static str>,
}

fn board(rng: &mut Rng, w: &mut Writer, f: &ForbundPlan) -> Vec<Person> {
    let mut orgs: Vec<String> = f.kommuner.clone();
    orgs.push(f.region.clone());
    orgs.push("Försäkringskassan".into());
    orgs.push("Arbetsförmedlingen".into());
    orgs.iter()
        .enumerate()
        .map(|(i, org)| Person {
            name: w.person(),
            role: "ledamot",
            assignment: match i {
                0 => Some("ordförande"),
                1 => Some("vice ordförande"),
                _ => None,
            },
            organisation: org.clone(),
            party: (org.contains("kommun") || org.starts_with("Region"))
                .then(|| *rng.pick(PARTIER)),
        })
        .collect()
}

fn yaml_person(out: &mut String, p: &Person) {
    let _ = writeln!(out, "    - namn: {}", p.name);
    let _ = writeln!(out, "      roll: {}", p.role);
    if let Some(a) = p.assignment {
        let _ = writeln!(out, "      uppdrag: {a}");
    }
    let _ = writeln!(out, "      organisation: {}", p.organisation);
    if let Some(party) = p.party {
        let _ = writeln!(out, "      parti: {party}");
    }
}

/// Writes one protocol; returns its text and the § number after its last.
#[allow(clippy::too_many_arguments)]
fn protocol_text(
    rng: &mut Rng,
    w: &mut Writer,
    f: &ForbundPlan,
    number: usize,
    first_paragraph: u32,
    facts: &ProtocolFacts,
    planted: Option<Break>,
    decision_ids: bool,
) -> (String, u32) {
    let members = board(rng, w, f);
    let chair = members[0].name.clone();
    let justerare = members[2.min(members.len() - 1)].name.clone();
    let secretary = w.person();
    let mut out = String::with_capacity(16_384);
    out.push_str("---\norgan: Styrelsen\n");
    let _ = writeln!(out, "nummer: {number}");
    let _ = writeln!(out, "datum: {}", facts.meeting);
    out.push_str("tid:\n  start: \"13:00\"\n  slut: \"15:30\"\n");
    let _ = writeln!(
        out,
        "plats: Förbundets kansli, {}",
        f.kommuner[0].trim_end_matches(" kommun")
    );
    out.push_str("narvaro:\n  beslutande:\n");
    let absent = if members.len() > 4 && rng.chance(0.4) {
        Some(members.len() - 1)
    } else {
        None
    };
    for (i, p) in members.iter().enumerate() {
        if Some(i) != absent {
            yaml_person(&mut out, p);
        }
    }
    out.push_str("  ovriga_narvarande:\n");
    let _ = writeln!(
        out,
        "    - namn: {secretary}\n      roll: förbundschef\n      organisation: {}",
        f.name
    );
    if let Some(i) = absent {
        out.push_str("  anmalt_forhinder:\n");
        yaml_person(&mut out, &members[i]);
    }
    let _ = writeln!(
        out,
        "justering:\n  datum: {}\n  metod: digital signering",
        facts.justerad
    );
    let count = rng.range(12, 17) as u32;
    let gap_at =
        (planted == Some(Break::ParagraphGap)).then(|| first_paragraph + rng.range(5, 9) as u32);
    let numbers: Vec<u32> = {
        let mut v = Vec::new();
        let mut n = first_paragraph;
        while v.len() < count as usize {
            if Some(n) != gap_at {
                v.push(n);
            }
            n += 1;
        }
        v
    };
    let last_number = *numbers.last().unwrap_or(&first_paragraph);
    let ranges = match gap_at {
        Some(g) => format!("{}-{}, {}-{}", first_paragraph, g - 1, g + 1, last_number),
        None => format!("{first_paragraph}-{last_number}"),
    };
    let _ = writeln!(out, "justerande_paragrafer: \"{ranges}\"");
    let _ = writeln!(
        out,
        "underskrifter:\n  - roll: sekreterare\n    namn: {secretary}\n  - roll: ordförande\n    namn: {chair}\n  - roll: justerare\n    namn: {justerare}"
    );
    let _ = writeln!(out, "forvaringsplats: {}, förbundets kansli", f.name);
    if let (Some(posted), Some(removed)) = (facts.posted, facts.removed) {
        out.push_str("anslag:\n");
        // 2003:1210 19 §: every member kommun and region posts the justering.
        let boards = std::iter::once(f.name.clone())
            .chain(f.kommuner.iter().cloned())
            .chain(std::iter::once(f.region.clone()));
        for b in boards {
            let _ = writeln!(
                out,
                "  - anslagstavla: {b}\n    uppsatt: {posted}\n    nedtaget: {removed}"
            );
        }
    }
    out.push_str("---\n\n");

    let meeting_no = number;
    for (i, &n) in numbers.iter().enumerate() {
        let last = i + 1 == numbers.len();
        if i < STANDARD_OPENING.len() {
            let (title, text) = STANDARD_OPENING[i];
            let _ = writeln!(
                out,
                "## § {n} {title}\n\n{}\n",
                text.replace("{justerare}", &justerare)
            );
            if i >= 2 {
                let _ = writeln!(
                    out,
                    "::: beslut\nStyrelsen beslutar att godkänna {}.\n:::\n",
                    if i == 2 {
                        "dagordningen"
                    } else {
                        "protokollet och lägga det till handlingarna"
                    }
                );
            }
            continue;
        }
        if last {
            let _ = writeln!(
                out,
                "## § {n} Mötets avslutande\n\nOrdförande tackar för visat intresse och avslutar mötet.\n"
            );
            continue;
        }
        let subject = *rng.pick(SUBSTANTIVE);
        // The annual report and the plan carry their year, as in real protocols ("§8
        // Årsredovisning 2024", "Verksamhetsplan och budget 2020" in the seeds).
        let year = facts.meeting.year();
        let title = match subject {
            "Årsredovisning" => format!("{subject} {}", year - 1),
            "Förslag till verksamhetsplan och budget" => format!("{subject} {}", year + 1),
            _ => subject.to_string(),
        };
        let _ = writeln!(out, "## § {n} {title}\n");
        for _ in 0..rng.range(2, 4) {
            let s = rng.range(3, 6);
            out.push_str(&w.paragraph_text(s));
            out.push_str("\n\n");
        }
        if title.starts_with("Förslag till verksamhetsplan")
            || (title.starts_with("Ekonomisk") && rng.chance(0.5))
        {
            out.push_str(&w.budget_table());
            out.push('\n');
        }
        if rng.chance(0.3) {
            let _ = writeln!(
                out,
                "::: förslag\nFörbundschefen föreslår att styrelsen beslutar i enlighet med underlaget.\n:::\n"
            );
        }
        if rng.chance(0.05) {
            let (a, b) = (w.person(), w.person());
            let _ = writeln!(
                out,
                "::: reservation {a}, {b}\n{a} och {b} reserverade sig mot beslutet.\n:::\n"
            );
        }
        let decisions = if rng.chance(0.2) { 2 } else { 1 };
        let topic = title.to_lowercase();
        for d in 1..=decisions {
            let id = if decision_ids {
                format!(" {}-{meeting_no} §{n:02}:{d}", facts.meeting.year())
            } else {
                String::new()
            };
            let _ = writeln!(out, "::: beslut{id}\n{}\n:::\n", w.decision(&topic));
        }
        if rng.chance(0.15) {
            let _ = writeln!(out, "::: bilaga Underlag till § {n}\n:::\n");
        }
    }
    (out, last_number + 1)
}

fn plan_text(w: &mut Writer, f: &ForbundPlan, year: i32, rng: &mut Rng) -> String {
    let adopted = next_weekday(
        NaiveDate::from_ymd_opt(year - 1, 11, 10).unwrap_or_default()
            + Days::new(rng.range(0, 10) as u64),
    );
    let mut out = format!(
        "---\ntitel: Verksamhetsplan och budget {year}\nar: {year}\nantagen:\n  datum: {adopted}\n  organ: Styrelsen\n---\n\n"
    );
    let _ = writeln!(
        out,
        "## 1. Inledning\n\n{} bildades för att stödja samverkan mellan {} och parterna. {}\n",
        f.name,
        f.kommuner.join(", "),
        w.paragraph_text(3)
    );
    let _ = writeln!(out, "## 2. Uppdrag\n\n{}\n", w.paragraph_text(4));
    let _ = writeln!(
        out,
        "## 3. Mål för {year}\n\n- {}\n- {}\n- {}\n",
        w.sentence(),
        w.sentence(),
        w.sentence()
    );
    let _ = writeln!(
        out,
        "## 4. Insatser\n\n{}\n\n{}\n",
        w.paragraph_text(4),
        w.paragraph_text(3)
    );
    let _ = writeln!(
        out,
        "## 5. Budget\n\n{}\n{}\n",
        w.budget_table(),
        w.paragraph_text(2)
    );
    out
}

fn profile_text(f: &ForbundPlan) -> String {
    let mut out = format!(
        "namn: {}\nkortnamn: {}\nsate: {}\nmedlemmar:\n",
        f.name,
        f.name.trim_start_matches("Samordningsförbundet "),
        f.kommuner[0].trim_end_matches(" kommun")
    );
    for k in &f.kommuner {
        let _ = writeln!(out, "  - namn: {k}\n    typ: kommun");
    }
    let _ = writeln!(out, "  - namn: {}\n    typ: region", f.region);
    out.push_str("  - namn: Försäkringskassan\n    typ: forsakringskassan\n  - namn: Arbetsförmedlingen\n    typ: arbetsformedlingen\n");
    let _ = writeln!(out, "anslagstavlor:\n  - namn: {}", f.name);
    out
}

const SITE_TOML: &str = r#"titel = "Genererat arkiv"
base_url = "https://arkiv.example.se/"
beskrivning = "Syntetiska protokoll för prestandamätning"

[tillganglighet]
aktor = "Genererat arkiv"
tjanst = "Genererat arkiv för prestandamätning"
forenlighet = "delvis"
brister = []
bedomning_datum = 2025-11-01
bedomning_metod = "Automatiska tester"
senast_uppdaterad = 2025-11-01
kontakt_epost = "webb@example.se"
"#;

/// Generates an archive into `out` (which must not exist or be empty).
pub fn generate(
    size: Size,
    seed: u64,
    word_list: &WordList,
    out: &Path,
) -> std::io::Result<Manifest> {
    if out.exists() && std::fs::read_dir(out)?.next().is_some() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::AlreadyExists,
            format!("{} är inte tom", out.display()),
        ));
    }
    // Rank the word list once by a fixed shuffle, so Zipf frequency does not follow the alphabet.
    let mut tail = word_list.words.clone();
    let mut shuffle = Rng::new(0x5EED);
    for i in (1..tail.len()).rev() {
        let j = shuffle.below(i + 1);
        tail.swap(i, j);
    }
    let plans = forbund_plans(size, seed);
    let slots = size.forbund * size.years;
    let base = size.protocols / slots.max(1);
    let extra = size.protocols % slots.max(1);
    let first_year = LAST_YEAR - size.years as i32 + 1;
    std::fs::create_dir_all(out.join("content"))?;
    std::fs::write(out.join("site.toml"), SITE_TOML)?;

    let results: Vec<std::io::Result<(usize, usize, Vec<Planted>)>> = plans
        .par_iter()
        .enumerate()
        .map(|(fi, f)| {
            let mut rng = Rng::derive(seed, fi as u64 + 1);
            let mut writer = Writer {
                rng: Rng::derive(seed, 0x1000 + fi as u64),
                tail: &tail,
                forbund: f.name.clone(),
                kommuner: f.kommuner.clone(),
                year: first_year,
            };
            let dir = out.join("content").join(&f.slug);
            std::fs::create_dir_all(dir.join("protokoll"))?;
            std::fs::create_dir_all(dir.join("planer"))?;
            std::fs::write(dir.join("forbund.yaml"), profile_text(f))?;
            let decision_ids = rng.chance(0.3);
            let (mut protocols, mut planned) = (0, 0);
            let mut planted = Vec::new();
            for yi in 0..size.years {
                let year = first_year + yi as i32;
                writer.year = year;
                let slot = fi * size.years + yi;
                let count = base + usize::from(slot < extra);
                let mut next_paragraph = 1;
                for (k, meeting) in meeting_dates(&mut rng, year, count).into_iter().enumerate() {
                    let brk = rng.chance(BREAK_SHARE).then(|| *rng.pick(&Break::ALL));
                    let facts = protocol_dates(&mut rng, meeting, brk);
                    let (text, next) = protocol_text(
                        &mut rng,
                        &mut writer,
                        f,
                        k + 1,
                        next_paragraph,
                        &facts,
                        brk,
                        decision_ids,
                    );
                    next_paragraph = next;
                    let rel = PathBuf::from("content")
                        .join(&f.slug)
                        .join("protokoll")
                        .join(format!("{meeting}.md"));
                    std::fs::write(out.join(&rel), text)?;
                    if let Some(b) = brk {
                        planted.push(Planted {
                            fil: rel.to_string_lossy().replace('\\', "/"),
                            regel: b.rule().into(),
                        });
                    }
                    protocols += 1;
                }
                let plan = plan_text(&mut writer, f, year, &mut rng);
                std::fs::write(dir.join("planer").join(format!("{year}.md")), plan)?;
                planned += 1;
            }
            Ok((protocols, planned, planted))
        })
        .collect();
    let mut manifest = Manifest {
        seed,
        forbund: plans.len(),
        protokoll: 0,
        planer: 0,
        planterade_fel: Vec::new(),
    };
    for r in results {
        let (p, pl, planted) = r?;
        manifest.protokoll += p;
        manifest.planer += pl;
        manifest.planterade_fel.extend(planted);
    }
    manifest.planterade_fel.sort();
    let json = serde_json::to_string_pretty(&manifest).map_err(std::io::Error::other)?;
    std::fs::write(out.join("planterade-fel.json"), json + "\n")?;
    Ok(manifest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn meetings_are_weekdays_in_order() {
        let mut rng = Rng::new(3);
        let dates = meeting_dates(&mut rng, 2024, 7);
        assert_eq!(dates.len(), 7);
        assert!(dates.windows(2).all(|w| w[0] < w[1]));
        assert!(dates.iter().all(|d| is_working_day(*d) && d.year() == 2024));
    }

    #[test]
    fn lawful_dates_need_no_moved_deadline() {
        let mut rng = Rng::new(9);
        for day in 0..400u64 {
            let meeting = NaiveDate::from_ymd_opt(2024, 1, 2).unwrap() + Days::new(day);
            let f = protocol_dates(&mut rng, meeting, None);
            let posted = f.posted.unwrap();
            assert!(f.justerad <= meeting + Days::new(14));
            assert!(
                posted >= f.justerad && posted <= f.justerad + Days::new(2),
                "{meeting}"
            );
            assert!(f.removed.unwrap() > last_appeal_day(posted));
        }
    }
}
