//! The adversarial corpus of the privacy guard (issue 17): every way of writing a personnummer,
//! samordningsnummer, masked birth date, IP address or e-signature datum that real documents and
//! careless or hostile contributors use, planted in every place a webmaster can write. Each case
//! must be blocked with its file and line; each false-positive probe (amounts, organisation
//! numbers, dates, times, decision ids, diarienummer, giro and phone numbers, outline numbers)
//! must build. The cases are generated from invented birth dates with real check digits.

mod common;

use protokoll::privacy::luhn_valid;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// `YYYYMMDD` and `NNN` with the check digit that makes a valid number.
fn with_check(date8: &str, serial3: &str) -> String {
    let ten: Vec<u8> = date8[2..]
        .bytes()
        .chain(serial3.bytes())
        .map(|b| b - b'0')
        .collect();
    let check = (0..10u8)
        .find(|&c| {
            let mut v = ten.clone();
            v.push(c);
            luhn_valid(&v)
        })
        .expect("one check digit fits");
    format!("{serial3}{check}")
}

/// One written form: the text, the rule that must block it, and whether it spans lines.
struct Form {
    name: String,
    text: String,
    rule: &'static str,
    multiline: bool,
}

fn form(name: &str, text: String, rule: &'static str) -> Form {
    Form {
        name: name.to_string(),
        text,
        rule,
        multiline: text_has_newline(name),
    }
}

fn text_has_newline(name: &str) -> bool {
    name.starts_with("radbrytning")
}

fn map_digits(s: &str, zero: char) -> String {
    s.chars()
        .map(|c| match c.to_digit(10) {
            Some(d) => char::from_u32(zero as u32 + d).unwrap(),
            None => c,
        })
        .collect()
}

/// Every form, for several invented people (a birth in each century, one with a leading zero).
fn forms() -> Vec<Form> {
    let mut out = Vec::new();
    let people = [
        ("19820629", "123"),
        ("19750314", "482"),
        ("20010203", "554"),
    ];
    for (i, (d8, s3)) in people.iter().enumerate() {
        let s = with_check(d8, s3);
        let d6 = &d8[2..];
        let (yy, mm, dd) = (&d6[..2], &d6[2..4], &d6[4..]);
        let p = "personnummer";
        let mut add = |name: &str, text: String, rule: &'static str| {
            out.push(form(&format!("{name}-{i}"), text, rule));
        };
        add("tio-bindestreck", format!("{d6}-{s}"), p);
        add("tolv-bindestreck", format!("{d8}-{s}"), p);
        add("tio-utan", format!("{d6}{s}"), p);
        add("tolv-utan", format!("{d8}{s}"), p);
        add("plustecken", format!("{d6}+{s}"), p);
        add("mellanslag", format!("{d6} {s}"), p);
        add("tolv-mellanslag", format!("{d8} {s}"), p);
        add("hart-mellanslag", format!("{d6}\u{a0}{s}"), p);
        add("smalt-hart-mellanslag", format!("{d8}\u{202f}{s}"), p);
        add("siffermellanslag", format!("{d6}\u{2007}{s}"), p);
        for (j, dash) in [
            '\u{2010}', '\u{2011}', '\u{2012}', '\u{2013}', '\u{2014}', '\u{2212}', '\u{fe63}',
            '\u{ff0d}',
        ]
        .iter()
        .enumerate()
        {
            add(&format!("streck{j}"), format!("{d6}{dash}{s}"), p);
        }
        add("helbredd", map_digits(&format!("{d8}-{s}"), '\u{ff10}'), p);
        add(
            "arabiska-siffror",
            map_digits(&format!("{d6}-{s}"), '\u{660}'),
            p,
        );
        add(
            "feta-matematiska",
            map_digits(&format!("{d6}-{s}"), '\u{1d7ce}'),
            p,
        );
        add(
            "nollbredd",
            format!("{}\u{200b}{}-{s}", &d6[..3], &d6[3..]),
            p,
        );
        add(
            "mjukt-bindestreck",
            format!("{}\u{ad}{}-{s}", &d6[..4], &d6[4..]),
            p,
        );
        add("nollbredd-foge", format!("{d6}-\u{200d}{s}"), p);
        add("ordfoge", format!("{d6}\u{2060}-{s}"), p);
        add("bom", format!("{d6}-{}\u{feff}{}", &s[..2], &s[2..]), p);
        add("riktningsmarke", format!("\u{200e}{d8}\u{200f}-{s}"), p);
        add("bokstav-fore", format!("pnr{d6}-{s}"), p);
        add("bokstav-efter", format!("{d6}-{s}a"), p);
        add("punkt", format!("{d6}.{s}"), p);
        add("snedstreck", format!("{d6}/{s}"), p);
        add("fetstil-delad", format!("{d6}**{s}**"), p);
        add("tagg-delad", format!("<b>{d6}</b>-{s}"), p);
        add("kursiv-delad", format!("*{d6}*-{s}"), p);
        add("kod-delad", format!("`{d6}`-{s}"), p);
        add("span-streck", format!("{d6}<span>-</span>{s}"), p);
        add("kommentar-delad", format!("{d6}<!-- x -->-{s}"), p);
        add("entitet-streck", format!("{d6}&#8209;{s}"), p);
        add("entitet-ndash", format!("{d6}&ndash;{s}"), p);
        add("entitet-nbsp", format!("{d8}&nbsp;{s}"), p);
        add(
            "entitet-siffror",
            format!("{d6}-{s}")
                .chars()
                .map(|c| format!("&#{};", c as u32))
                .collect(),
            p,
        );
        add("json-escape", format!("{d6}\\u2011{s}"), p);
        add("markdown-escape", format!("{d6}\\-{s}"), p);
        add("datum-streck", format!("{yy}-{mm}-{dd}-{s}"), p);
        add("iso-datum", format!("{}-{mm}-{dd}-{s}", &d8[..4]), p);
        add("sekel-isar", format!("{} {d6}-{s}", &d8[..2]), p);
        add("delat-nummer", format!("{d6}-{} {}", &s[..2], &s[2..]), p);
        add(
            "spärrad",
            format!("{d6} - {s}")
                .chars()
                .filter(|c| *c != ' ')
                .map(String::from)
                .collect::<Vec<_>>()
                .join(" "),
            p,
        );
        add("streck-med-luft", format!("{d6} - {s}"), p);
        add("radbrytning-efter-streck", format!("{d6}-\n{s}"), p);
        add("radbrytning", format!("{d8}\n{s}"), p);
        // Samordningsnummer: day + 60.
        let day = dd.parse::<u32>().unwrap() + 60;
        let c8 = format!("{}{day}", &d8[..6]);
        let cs = with_check(&c8, s3);
        add(
            "samordningsnummer",
            format!("{c8}-{cs}"),
            "samordningsnummer",
        );
        add(
            "samordningsnummer-tio",
            format!("{}{cs}", &c8[2..]),
            "samordningsnummer",
        );
        let m = "maskerat-fodelsedatum";
        add("maskerat-x", format!("{d8}-XXXX"), m);
        add("maskerat-utan", format!("{d8}XXXX"), m);
        add("maskerat-stjarnor", format!("{d6}-****"), m);
        add("maskerat-delvis", format!("{d6}-{}XX", &s[..2]), m);
    }
    let ip = "ip-adress";
    let sig = "signaturdata";
    for (name, text, rule) in [
        ("ipv4", "81.227.14.203".to_string(), ip),
        ("ipv4-nollor", "081.227.014.203".to_string(), ip),
        ("ipv4-privat-namngiven", "IP 10.0.0.23".to_string(), ip),
        ("ipv4-helbredd", map_digits("81.227.14.203", '\u{ff10}'), ip),
        ("ipv6", "2001:db8:85a3::8a2e:370:7334".to_string(), ip),
        ("ipv6-hakparentes", "[2001:db8::17]".to_string(), ip),
        (
            "bankid-uhi",
            r#""uhi": "OZvYM9VvyiAmG7NA5jU5zRGcdh1B""#.to_string(),
            sig,
        ),
        ("bankid-ocsp", r#""ocspResponse": "abc""#.to_string(), sig),
        (
            "bankid-givenname",
            r#""givenName": "Karl""#.to_string(),
            sig,
        ),
        ("bankid-signature", r#""signature": "abc""#.to_string(), sig),
        (
            "bankid-personalnumber",
            r#""personalNumber": "x""#.to_string(),
            sig,
        ),
        (
            "bankid-completion",
            r#""completionData": {"#.to_string(),
            sig,
        ),
        (
            "bankid-issue-date",
            r#""bankIdIssueDate": "2024-01-01""#.to_string(),
            sig,
        ),
        ("bankid-ipaddress", r#""ipAddress": "x""#.to_string(), sig),
        (
            "bankid-orderref-yaml",
            "orderRef: 131daac9-16c6".to_string(),
            sig,
        ),
        ("bankid-v5-ssn", "ssn=x".to_string(), sig),
        (
            "signicat-nin",
            r#""nationalIdentityNumber": "x""#.to_string(),
            sig,
        ),
        (
            "nollbredd-nyckel",
            "\"personal\u{200b}Number\": \"x\"".to_string(),
            sig,
        ),
        (
            "jwt",
            "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4eHh4eHh4In0.c2lnbmF0dXJlX2RhdGE".to_string(),
            sig,
        ),
        (
            "certifikat",
            format!("MIIHfgoBAKCCB3cw{}", "A1b2C3d4".repeat(10)),
            sig,
        ),
        (
            "signerad-xml",
            format!("PD94bWwgdmVyc2lvbj0i{}", "Zm9vYmFy".repeat(10)),
            sig,
        ),
    ] {
        out.push(form(name, text, rule));
    }
    out
}

/// A place a webmaster writes: which file it is in and how the text stands there.
#[derive(Clone, Copy)]
enum Place {
    /// A field of a protocol's front matter, single-quoted YAML.
    ProtocolField(&'static str),
    /// An attendee's name.
    Attendee,
    /// A line of a protocol's body: the template holds `{X}`.
    ProtocolBody(&'static str),
    /// A field of the förbund profile.
    ProfileField(&'static str),
    /// The profile's description as a literal (`|`) or folded (`>`) block.
    ProfileBlock(char),
    /// A plan's preamble or section.
    PlanBody(&'static str),
}

const PLACES: &[(&str, Place)] = &[
    ("protokoll-plats", Place::ProtocolField("plats")),
    ("protokoll-organ", Place::ProtocolField("organ")),
    (
        "protokoll-forvaringsplats",
        Place::ProtocolField("forvaringsplats"),
    ),
    ("protokoll-narvaro", Place::Attendee),
    (
        "inledning",
        Place::ProtocolBody("Inledning {X} före första paragrafen.\n\n## § 1 Öppnande\n\nText."),
    ),
    (
        "paragrafrubrik",
        Place::ProtocolBody("## § 1 Öppnande {X}\n\nText."),
    ),
    (
        "paragraftext",
        Place::ProtocolBody("## § 1 Öppnande\n\nText {X} slut."),
    ),
    (
        "tabell",
        Place::ProtocolBody("## § 1 Budget\n\n| Post | Belopp |\n|---|---|\n| Kansli | {X} |"),
    ),
    (
        "lanktext",
        Place::ProtocolBody("## § 1 Länk\n\nSe [{X}](#p1)."),
    ),
    (
        "lanktitel",
        Place::ProtocolBody("## § 1 Länk\n\nSe [här](#p1 \"{X}\")."),
    ),
    (
        "bild-alt",
        Place::ProtocolBody("## § 1 Bild\n\n![{X}](#p1)"),
    ),
    (
        "fotnot",
        Place::ProtocolBody("## § 1 Not\n\nText[^1].\n\n[^1]: {X}"),
    ),
    ("kod", Place::ProtocolBody("## § 1 Kod\n\nKod `{X}` här.")),
    (
        "kodblock",
        Place::ProtocolBody("## § 1 Kod\n\n```\n{X}\n```"),
    ),
    (
        "html-kommentar",
        Place::ProtocolBody("## § 1 Dold\n\n<!-- {X} -->\n\nText."),
    ),
    (
        "html-attribut",
        Place::ProtocolBody("## § 1 Attribut\n\n<span title=\"{X}\">text</span>"),
    ),
    (
        "beslut",
        Place::ProtocolBody("## § 1 Beslut\n\n::: beslut\nStyrelsen beslutar {X}.\n:::"),
    ),
    (
        "reservation",
        Place::ProtocolBody("## § 1 Beslut\n\n::: reservation {X}\n:::"),
    ),
    (
        "bilaga",
        Place::ProtocolBody("## § 1 Bilagor\n\n::: bilaga Bilaga {X}\n:::"),
    ),
    (
        "citat",
        Place::ProtocolBody("## § 1 Citat\n\n> Citerat {X} här."),
    ),
    (
        "lista",
        Place::ProtocolBody("## § 1 Lista\n\n- punkt\n- {X}"),
    ),
    ("profil-namn", Place::ProfileField("sate")),
    ("profil-beskrivning", Place::ProfileBlock('|')),
    ("profil-vikt", Place::ProfileBlock('>')),
    (
        "plan-ingress",
        Place::PlanBody("Ingress {X}.\n\n## 1. Inledning\n\nText."),
    ),
    (
        "plan-avsnitt",
        Place::PlanBody("## 1. Inledning\n\nText {X}."),
    ),
];

fn yaml_single(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

const SITE: &str = r#"titel = "Testarkiv"
base_url = "https://example.se/finsam/"

[tillganglighet]
aktor = "Testaktör"
tjanst = "Testarkiv"
forenlighet = "delvis"
brister = []
bedomning_datum = 2025-03-01
bedomning_metod = "Självskattning"
senast_uppdaterad = 2025-03-01
kontakt_epost = "webb@example.se"
"#;

fn profile(extra: &str) -> String {
    format!(
        "namn: Alfa samordningsförbund\nkortnamn: Alfa\n{extra}medlemmar:\n  - namn: Alby kommun\n    typ: kommun\n  - namn: Region Alfa\n    typ: region\n  - namn: Försäkringskassan\n    typ: forsakringskassan\n  - namn: Arbetsförmedlingen\n    typ: arbetsformedlingen\n"
    )
}

const PROTOCOL_HEAD: &str = "---\norgan: Styrelsen\ndatum: {DATUM}\nplats: Stadshuset, Alby\n";

fn date_of(i: usize) -> String {
    let d = chrono::NaiveDate::from_ymd_opt(2024, 1, 1).unwrap() + chrono::Days::new(i as u64);
    d.format("%Y-%m-%d").to_string()
}

/// The line (1-based) of the first occurrence of `marker` in `text`.
fn line_of(text: &str, marker: &str) -> usize {
    text[..text.find(marker).expect("marker")]
        .matches('\n')
        .count()
        + 1
}

/// Writes one archive with each form in its own file at `place`; returns the expected
/// `(file, line, rule)` of every case.
fn plant(root: &Path, place: Place, forms: &[&Form]) -> Vec<(PathBuf, usize, String)> {
    std::fs::create_dir_all(root).unwrap();
    std::fs::write(root.join("site.toml"), SITE).unwrap();
    let mut expected = Vec::new();
    const MARK: &str = "\u{e000}";
    for (i, f) in forms.iter().enumerate() {
        let head = PROTOCOL_HEAD.replace("{DATUM}", &date_of(i));
        let (file, text) = match place {
            Place::ProtocolField(field) => {
                let head = head.replace("plats: Stadshuset, Alby\n", "");
                let head = if field == "organ" {
                    head.replace("organ: Styrelsen\n", "")
                } else {
                    head
                };
                let text = format!(
                    "{head}{field}: {}\n---\n\n## § 1 Öppnande\n\nText.\n",
                    yaml_single(&format!("{MARK}{}", f.text))
                );
                (protocol_path(root, i), text)
            }
            Place::Attendee => {
                let text = format!(
                    "{head}narvaro:\n  beslutande:\n    - namn: {}\n      roll: ledamot\n---\n\n## § 1 Öppnande\n\nText.\n",
                    yaml_single(&format!("{MARK}{}", f.text))
                );
                (protocol_path(root, i), text)
            }
            Place::ProtocolBody(body) => {
                let text = format!(
                    "{head}---\n\n{}\n",
                    body.replace("{X}", &format!("{MARK}{}", f.text))
                );
                (protocol_path(root, i), text)
            }
            Place::ProfileField(field) => {
                let slug = format!("f{i}");
                let text = profile(&format!(
                    "{field}: {}\n",
                    yaml_single(&format!("{MARK}{}", f.text))
                ));
                (root.join("content").join(slug).join("forbund.yaml"), text)
            }
            Place::ProfileBlock(style) => {
                let slug = format!("f{i}");
                let indented = format!("{MARK}{}", f.text).replace('\n', "\n  ");
                let text = profile(&format!(
                    "beskrivning: {style}\n  Förbundet arbetar med\n  {indented}\n  och mer.\n"
                ));
                (root.join("content").join(slug).join("forbund.yaml"), text)
            }
            Place::PlanBody(body) => {
                let slug = format!("f{i}");
                let text = format!(
                    "---\ntitel: Verksamhetsplan 2025\nar: 2025\n---\n\n{}\n",
                    body.replace("{X}", &format!("{MARK}{}", f.text))
                );
                std::fs::create_dir_all(root.join("content").join(&slug)).unwrap();
                std::fs::write(
                    root.join("content").join(&slug).join("forbund.yaml"),
                    profile(""),
                )
                .unwrap();
                (
                    root.join("content")
                        .join(slug)
                        .join("planer")
                        .join("2025.md"),
                    text,
                )
            }
        };
        let line = line_of(&text, MARK);
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(&file, text.replace(MARK, "")).unwrap();
        expected.push((file, line, f.rule.to_string()));
    }
    if !root.join("content/alfa/forbund.yaml").exists() {
        std::fs::create_dir_all(root.join("content/alfa")).unwrap();
        std::fs::write(root.join("content/alfa/forbund.yaml"), profile("")).unwrap();
    }
    expected
}

fn protocol_path(root: &Path, i: usize) -> PathBuf {
    root.join("content/alfa/protokoll")
        .join(format!("{}.md", date_of(i)))
}

/// The guard's errors of a failed build, as `(file, line, rule)`.
fn guard_errors(run: &common::Run) -> BTreeSet<(PathBuf, usize, String)> {
    common::error_locations(&run.stderr)
        .into_iter()
        .filter(|(_, code)| protokoll::privacy::Kind::is_rule_id(code))
        .map(|(loc, code)| {
            let mut parts = loc.rsplitn(3, ':');
            let _column = parts.next();
            let line: usize = parts.next().unwrap().parse().unwrap();
            (PathBuf::from(parts.next().unwrap()), line, code)
        })
        .collect()
}

#[test]
fn every_form_in_every_place_is_blocked_at_its_line() {
    let forms = forms();
    let dir = tempfile::tempdir().unwrap();
    let mut cases = 0;
    let mut missed = Vec::new();
    for (name, place) in PLACES {
        let single_line = matches!(
            place,
            Place::ProtocolField(_) | Place::Attendee | Place::ProfileField(_)
        ) || name.starts_with("paragrafrubrik")
            || name.starts_with("tabell")
            || name.starts_with("lank")
            || name.starts_with("bild")
            || name.starts_with("kod")
            || name.starts_with("reservation")
            || name.starts_with("bilaga")
            || name.starts_with("html-attribut")
            || name.starts_with("lista");
        // A comment split by a comment inside a comment is not HTML anyone writes, and no
        // page shows a comment.
        let here: Vec<&Form> = forms
            .iter()
            .filter(|f| !(single_line && f.multiline))
            .filter(|f| !(*name == "html-kommentar" && f.name.starts_with("kommentar-delad")))
            .collect();
        let root = dir.path().join(name);
        let expected = plant(&root, *place, &here);
        let run = common::build(&root, &dir.path().join(format!("{name}-ut")));
        assert!(!run.ok(), "{name}: the build must fail");
        let found = guard_errors(&run);
        for ((file, line, rule), f) in expected.iter().zip(&here) {
            cases += 1;
            if !found.contains(&(file.clone(), *line, rule.clone())) {
                missed.push(format!(
                    "{name}/{}: {rule} väntades på {}:{line}; hittat i filen: {:?}",
                    f.name,
                    file.display(),
                    found
                        .iter()
                        .filter(|(ff, _, _)| ff == file)
                        .map(|(_, l, r)| (l, r))
                        .collect::<Vec<_>>()
                ));
            }
        }
        for number in ["820629", "750314", "010203", "81.227.14.203"] {
            assert!(
                !run.stderr.contains(number),
                "{name}: the report repeats {number}"
            );
        }
    }
    assert!(cases >= 300, "only {cases} cases");
    assert!(
        missed.is_empty(),
        "{} of {cases} cases not blocked at their line:\n{}",
        missed.len(),
        missed.join("\n")
    );
}

/// Texts that look like numbers of people but are not; they must build, in every place.
const PROBES: &[&str] = &[
    "Budgeten är 3 084 000 kr och utfallet 1 542 000 kr, totalt 10 674 888 kr.",
    "Belopp 12 345 678,50 kr och 123456 kr samt 250 312 kr.",
    "Organisationsnummer 222000-1347, 16222000-1347 och 802012-3456.",
    "Sammanträdet 2025-03-11, 11 mars 2025, 20250311 och 250311.",
    "Perioden 2025-03-11 – 2025-03-20 och 2025-03-11-2025-03-20.",
    "Tid kl. 13.00–14.30, 13:00-15:00, kl 09.00 - 12.00 och 9–12.",
    "Beslut 2025-3 §14:2 och § 14:2, paragraferna 1-4 och 56 §.",
    "Dnr 2024-00123, SAMF 2024/15, KS 2024.0123 och Dnr 2025/0312-1.",
    "Bankgiro 5050-1055 och 123-4567, plusgiro 12 34 56-7 och 4 12 34 56-7.",
    "Telefon 08-123 456 78, växel 0771-524 524.",
    "Se bilaga 2.1.1.1, avsnitt 3.2.10.1 och punkt 1.1.1.1.2, version 1.0.0.12.",
    "ISBN 978-91-7389-123-4, postnummer 123 45 Alby, konto 1930.",
    "Under 2024–2025 deltog 1232 personer; 12,5 % nådde arbete.",
    "IBAN SE45 5000 0000 0583 9825 7466 och OCR 1234567890123.",
    "Mötet 2027-01-03 kl 13:00, nästa 2027-02-14 kl. 09.30.",
    "Se nedan :: och cafe:: dead::beef, kl 13:00:15.",
    "Signatur: Anna Andersson. Risk: låg. Namn: Bo.",
];

#[test]
fn the_false_positive_probes_build() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("prober");
    std::fs::create_dir_all(root.join("content/alfa/protokoll")).unwrap();
    std::fs::create_dir_all(root.join("content/alfa/planer")).unwrap();
    std::fs::write(root.join("site.toml"), SITE).unwrap();
    let lines = PROBES.join("\n");
    let block = PROBES.join("\n  ");
    std::fs::write(
        root.join("content/alfa/forbund.yaml"),
        profile(&format!(
            "sate: {}\nbeskrivning: >\n  {block}\n",
            yaml_single(PROBES[2])
        )),
    )
    .unwrap();
    let table: String = PROBES.iter().map(|p| format!("| {p} | {p} |\n")).collect();
    let body = format!(
        "{}plats: {}\n---\n\nInledning: {lines}\n\n## § 1 Ärenden {}\n\n{lines}\n\n| A | B |\n|---|---|\n{table}\n::: beslut 2025-3 §14:2\n{lines}\n:::\n\n::: bilaga Bilaga 2.1.1.1\n:::\n",
        PROTOCOL_HEAD
            .replace("{DATUM}", "2025-03-11")
            .replace("plats: Stadshuset, Alby\n", ""),
        yaml_single(PROBES[0]),
        PROBES[6],
    );
    std::fs::write(root.join("content/alfa/protokoll/2025-03-11.md"), body).unwrap();
    std::fs::write(
        root.join("content/alfa/planer/2025.md"),
        format!("---\ntitel: Verksamhetsplan 2025\nar: 2025\n---\n\n{lines}\n\n## 1. Inledning\n\n{lines}\n"),
    )
    .unwrap();
    let out = dir.path().join("ut");
    let run = common::build_ok(&root, &out);
    let blocked: Vec<_> = common::error_locations(&run.stderr);
    assert!(blocked.is_empty(), "{}", run.stderr);
    // And the pages hold the probes.
    let page = common::read(&out.join("alfa/protokoll/2025-03-11/index.html"));
    assert!(page.contains("222000-1347"), "the probes are published");
}

/// site.toml, a template of the site's own, a theme's static file and a folder name: each
/// holds every form, one a line (folder names: the forms a folder name can hold).
#[test]
fn site_settings_theme_files_and_names_are_guarded_too() {
    let forms = forms();
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("arkiv");
    plant(&root, Place::ProtocolBody("## § 1 Öppnande\n\nText."), &[]);
    let mut expected = Vec::new();
    let mut site = format!("{SITE}\n# Fritext\n");
    // A TOML comment is not published, but what a webmaster writes in site.toml is guarded whole.
    let mut template = String::from("{# hjälp #}\n<p>\n");
    let mut css = String::from("/* extra */\n");
    for f in &forms {
        let text = f.text.replace('\n', " ");
        let line = site.matches('\n').count() + 1;
        site.push_str(&format!("# {text}\n"));
        expected.push((
            root.join("site.toml"),
            line,
            f.rule.to_string(),
            f.name.clone(),
        ));
        let line = template.matches('\n').count() + 1;
        template.push_str(&format!("{text}<br>\n"));
        expected.push((
            root.join("templates/hjalp.html"),
            line,
            f.rule.to_string(),
            f.name.clone(),
        ));
        let line = css.matches('\n').count() + 1;
        css.push_str(&format!(
            ".x::after {{ content: \"{}\"; }}\n",
            text.replace('"', "'")
        ));
        expected.push((
            root.join("themes/default/static/extra.css"),
            line,
            f.rule.to_string(),
            f.name.clone(),
        ));
    }
    template.push_str("</p>\n");
    std::fs::write(root.join("site.toml"), &site).unwrap();
    std::fs::create_dir_all(root.join("templates")).unwrap();
    std::fs::write(root.join("templates/hjalp.html"), &template).unwrap();
    std::fs::create_dir_all(root.join("themes/default/static")).unwrap();
    std::fs::write(root.join("themes/default/static/extra.css"), &css).unwrap();
    let run = common::build(&root, &dir.path().join("ut"));
    assert!(!run.ok());
    // site.toml is refused first (the build reads nothing else without it): its cases are
    // checked in this build, the theme's in a second one with a clean site.toml.
    let found = guard_errors(&run);
    let mut missed: Vec<String> = expected
        .iter()
        .filter(|(file, ..)| file.ends_with("site.toml"))
        .filter(|(file, line, rule, _)| !found.contains(&(file.clone(), *line, rule.clone())))
        .map(|(file, line, rule, name)| format!("{name}: {rule} på {}:{line}", file.display()))
        .collect();
    std::fs::write(root.join("site.toml"), SITE).unwrap();
    let run = common::build(&root, &dir.path().join("ut"));
    assert!(!run.ok());
    let found = guard_errors(&run);
    missed.extend(
        expected
            .iter()
            .filter(|(file, ..)| !file.ends_with("site.toml"))
            .filter(|(file, line, rule, _)| !found.contains(&(file.clone(), *line, rule.clone())))
            .map(|(file, line, rule, name)| format!("{name}: {rule} på {}:{line}", file.display())),
    );
    // Folder names: a förbund whose folder holds a number.
    std::fs::remove_dir_all(root.join("templates")).unwrap();
    std::fs::remove_dir_all(root.join("themes")).unwrap();
    let slugs = ["a820629-1232", "pnr198206291232", "x19820629xxxx"];
    for slug in slugs {
        std::fs::create_dir_all(root.join("content").join(slug)).unwrap();
        std::fs::write(
            root.join("content").join(slug).join("forbund.yaml"),
            profile(""),
        )
        .unwrap();
    }
    let run = common::build(&root, &dir.path().join("ut"));
    let found = guard_errors(&run);
    for slug in slugs {
        let file = root.join("content").join(slug).join("forbund.yaml");
        if !found.iter().any(|(f, line, _)| *f == file && *line == 1) {
            missed.push(format!("mappnamnet {slug}"));
        }
    }
    assert!(
        missed.is_empty(),
        "{} missed:\n{}",
        missed.len(),
        missed.join("\n")
    );
}

/// `protokoll init`, then the new förbund's calendar gets a meeting on every day of two years at
/// every half hour (35,040 meetings): the build succeeds, so no id the build makes of a date and
/// a time (calendar UIDs, anchors, file names) reads as a personnummer.
#[test]
fn a_new_archive_builds_with_meetings_on_every_day_and_half_hour_of_two_years() {
    let dir = tempfile::tempdir().unwrap();
    let archive = dir.path().join("nytt");
    let init = std::process::Command::new(env!("CARGO_BIN_EXE_protokoll"))
        .arg("init")
        .arg(&archive)
        .output()
        .unwrap();
    assert!(
        init.status.success(),
        "{}",
        String::from_utf8_lossy(&init.stderr)
    );
    let profile_path = archive.join("content/exempelbygden/forbund.yaml");
    let profile = std::fs::read_to_string(&profile_path).unwrap();
    let (before, _) = profile.split_once("moten:").expect("init plans a meeting");
    let first = chrono::Utc::now().date_naive() + chrono::Days::new(1);
    let mut meetings = String::from("moten:\n");
    let mut count = 0;
    for day in 0..730 {
        let date = first + chrono::Days::new(day);
        for half_hour in 0..48 {
            let (h, m) = (half_hour / 2, (half_hour % 2) * 30);
            meetings.push_str(&format!(
                "  - datum: {date}\n    tid:\n      start: \"{h:02}:{m:02}\"\n"
            ));
            count += 1;
        }
    }
    std::fs::write(&profile_path, format!("{before}{meetings}")).unwrap();
    let out = dir.path().join("ut");
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_protokoll"))
        .arg("build")
        .arg("--rot")
        .arg(&archive)
        .arg("--utdata")
        .arg(&out)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
            .lines()
            .take(20)
            .collect::<Vec<_>>()
            .join("\n")
    );
    let calendars: Vec<String> = walkdir::WalkDir::new(&out)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "ics"))
        .map(|e| std::fs::read_to_string(e.path()).unwrap())
        .collect();
    let planned = calendars
        .iter()
        .map(|c| c.matches("UID:mote-").count())
        .max()
        .unwrap_or(0);
    assert_eq!(planned, count, "every planned meeting is in the calendar");
}
