//! `protokoll import`: PDFs and extracted text in, draft protocols and plans in the content format
//! out, with a review report (docs/import.md).
//!
//! The pipeline, one module per step: [`extract`] text from the file; cut e-signature appendices
//! ([`signature`]); split into clean [`lines`]; drop a second copy of the document and page
//! furniture ([`furniture`]); redact personal data (the privacy guard, [`crate::privacy`]); then
//! read a protocol ([`header`], [`paragraphs`], [`columns`] for scrambled two-column pages,
//! [`tables`]) or a plan ([`plan`]), and write the draft ([`draft`]) and the [`report`].
//!
//! Each file is imported on its own: a file that cannot be read, or that trips a bug, is reported
//! and the others go on.

pub mod attendance;
pub mod columns;
pub mod dates;
pub mod draft;
/// Text extraction lives beside the loader, which guards the PDFs published with protocols.
pub use crate::extract;
pub mod flat;
pub mod furniture;
pub mod gutter;
pub mod header;
pub mod html;
pub mod lines;
pub mod md;
pub mod ocr;
pub mod paragraphs;
pub mod plan;
pub mod report;
pub mod signature;
pub mod tables;

use crate::privacy;
use lines::{Line, squash};
use report::FileReport;
use std::path::{Path, PathBuf};

/// Why a file produced no draft.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error(transparent)]
    Extract(#[from] extract::ExtractError),
    #[error("texten är varken ett protokoll (inga §-rubriker) eller en verksamhetsplan")]
    UnknownDocument,
    #[error("vet inte vilket förbund dokumentet hör till: ange --forbund SLUG")]
    UnknownForbund,
    #[error("{0} finns redan: ta bort den eller kör med --skriv-over")]
    Exists(PathBuf),
    #[error("kan inte skriva {0}: {1}")]
    Write(PathBuf, std::io::Error),
    #[error("internt fel i importen av den här filen ({0}); de andra filerna påverkas inte")]
    Internal(String),
}

/// A förbund of the target archive, for recognising which one a document belongs to.
#[derive(Debug, Clone)]
pub struct Profile {
    pub slug: String,
    pub names: Vec<String>,
    pub boards: Vec<String>,
}

/// The förbund profiles under `content_dir` (those that load; the import does not judge them).
pub fn profiles(content_dir: &Path) -> Vec<Profile> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(content_dir) else {
        return out;
    };
    let mut dirs: Vec<PathBuf> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
    dirs.sort();
    for dir in dirs {
        let file = dir.join("forbund.yaml");
        let (Some(slug), Ok(text)) = (dir.file_name(), std::fs::read_to_string(&file)) else {
            continue;
        };
        let slug = slug.to_string_lossy().to_string();
        let mut errors = Vec::new();
        if let Some(f) = crate::load::parse_forbund(&text, &file, &slug, &mut errors) {
            out.push(Profile {
                slug,
                names: vec![f.name, f.short_name],
                boards: f.notice_boards.into_iter().map(|b| b.name).collect(),
            });
        }
    }
    out
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocKind {
    Protocol,
    Plan,
}

/// A converted document, not yet written.
#[derive(Debug, Clone)]
pub struct Conversion {
    pub kind: DocKind,
    /// The förbund's slug, when known.
    pub forbund: Option<String>,
    /// `2025-03-11.md` or `2020.md`.
    pub file_name: String,
    /// The draft file's text.
    pub text: String,
    /// What the header gave (protocols only), for tools that score the import.
    pub header: Option<header::Header>,
}

fn latest_year() -> i32 {
    use chrono::Datelike;
    crate::build::today_in_sweden().year()
}

/// The förbund named most often in the text, among the profiles.
fn detect_forbund(text: &str, profiles: &[Profile]) -> Option<String> {
    let lower = text.to_lowercase();
    let mut best: Option<(usize, &str)> = None;
    for p in profiles {
        let hits: usize = p
            .names
            .iter()
            .filter(|n| n.chars().count() >= 6)
            .map(|n| lower.matches(&n.to_lowercase()).count())
            .max()
            .unwrap_or(0);
        let score = hits;
        if score > 0 && best.is_none_or(|(b, _)| score > b) {
            best = Some((score, &p.slug));
        }
    }
    best.map(|(_, s)| s.to_string())
}

/// Runs the privacy guard over the lines: lines with e-signature data go entirely (a value next to
/// the key would stay otherwise); identity numbers, masked birth dates and IP addresses are
/// replaced by a visible marker. Every removal goes into the report. Contact details are flagged.
fn guard(lines: Vec<Line>, r: &mut FileReport) -> Vec<Line> {
    let policy = privacy::Policy::default();
    let mut out = Vec::with_capacity(lines.len());
    for mut l in lines {
        let found = privacy::scan(&l.text, &policy);
        if found.is_empty() {
            out.push(l);
            continue;
        }
        if found.iter().any(|f| f.kind == privacy::Kind::SignatureData) {
            let keys: Vec<String> = found
                .iter()
                .map(|f| format!("{} ({})", f.kind.describe(), f.shown))
                .collect();
            r.removed(
                "rad med e-signaturdata",
                vec![l.no],
                format!("hela raden togs bort: {}", keys.join(", ")),
                true,
            );
            l.text = String::new();
            out.push(l);
            continue;
        }
        let blocking: Vec<privacy::Finding> = found
            .iter()
            .filter(|f| f.kind.blocks_publication())
            .cloned()
            .collect();
        for f in &found {
            if f.kind.blocks_publication() {
                r.removed(
                    f.kind.rule_id(),
                    vec![l.no],
                    format!("{} ersatt med [borttaget: {}]", f.shown, f.kind.rule_id()),
                    true,
                );
            } else {
                r.unsure(
                    "kontaktuppgift",
                    f.shown.clone(),
                    Some(l.no),
                    format!("{}: publicera bara funktionsadresser och tjänstenummer (godkänn under [integritet] i site.toml)", f.kind.describe()),
                );
            }
        }
        if !blocking.is_empty() {
            l.text = privacy::redact(&l.text, &blocking);
        }
        out.push(l);
    }
    out
}

/// The text of a range of lines, for searching.
fn text_of(lines: &[Line]) -> String {
    lines
        .iter()
        .map(|l| l.text.as_str())
        .collect::<Vec<_>>()
        .join("\n")
}

/// Converts extracted text into a draft. `forbund` is the slug given by the user, if any.
pub fn convert(
    text: &str,
    forbund: Option<&str>,
    profiles: &[Profile],
    r: &mut FileReport,
) -> Result<Conversion, ImportError> {
    let (text, signatures) = signature::cut(text);
    for s in &signatures {
        let mut kinds: Vec<String> = Vec::new();
        for kind in [
            privacy::Kind::Personnummer,
            privacy::Kind::Samordningsnummer,
            privacy::Kind::MaskedBirthDate,
            privacy::Kind::IpAddress,
        ] {
            let n = s.personal_data.iter().filter(|(k, _)| *k == kind).count();
            if n > 0 {
                kinds.push(format!("{n} × {}", kind.describe()));
            }
        }
        let mut detail = format!(
            "e-signaturbilagan (rad {}–{}) togs bort i sin helhet; {} underskrift(er)",
            s.lines.0,
            s.lines.1,
            s.signers.len()
        );
        if !kinds.is_empty() {
            detail.push_str(&format!("; den innehöll {}", kinds.join(", ")));
        }
        if !s.keys.is_empty() {
            detail.push_str(&format!("; signaturnycklar: {}", s.keys.join(", ")));
        }
        if s.unreadable {
            detail.push_str("; bilagan gick inte att tolka som JSON och togs bort till slutet");
        } else if s.truncated {
            detail.push_str("; bilagan var avkortad (slutet saknades) men gick att läsa");
        }
        detail.push_str("; behållet: justeringsdag, undertecknarnas roller och kontrollsumma");
        let lines: Vec<usize> = (s.lines.0..=s.lines.1).collect();
        r.removed("e-signaturbilaga", lines, detail, true);
    }
    let (all, two_column) = gutter::split(lines::split(&text));
    if two_column > 0 {
        r.note(format!(
            "{two_column} sida/sidor hade två textspalter bredvid varandra; de lästes spalt för spalt, vänster först"
        ));
    }
    let (all, flattened) = flat::unflatten(all);
    if flattened > 0 {
        r.note(format!(
            "{flattened} rad(er) var hela sidor på en rad; de delades före etiketter och §-markeringar: läs huvudet mot källan"
        ));
    }
    let (all, duplicate) = furniture::dedupe(all);
    if let Some(d) = &duplicate {
        r.removed(
            "dubblett",
            (d.dropped.0..=d.dropped.1).collect(),
            format!(
                "dokumentet fanns två gånger i texten; kopian från rad {} behölls",
                d.kept_from
            ),
            false,
        );
        if !d.only_in_dropped.is_empty() {
            let sample: Vec<String> = d
                .only_in_dropped
                .iter()
                .take(5)
                .map(|s| format!("\"{s}\""))
                .collect();
            r.note(format!(
                "{} rader fanns bara i den borttagna kopian, t.ex. {}: kontrollera att inget saknas",
                d.only_in_dropped.len(),
                sample.join(", ")
            ));
        }
    }
    let (all, furniture) = furniture::strip(all);
    for f in furniture {
        r.removed(
            "sidhuvud/sidfot",
            f.lines,
            format!("\"{}\" upprepas på sidorna", f.text),
            false,
        );
    }
    let mut all = guard(all, r);
    let ocr = ocr::repair(&mut all);
    report_ocr(&ocr, r);
    let year = latest_year();

    let headings = paragraphs::find_headings(&all);
    // A plan's numbered sections ("1 Inledning") are not §§: only `§` markers speak against a plan.
    let section_marks = headings
        .iter()
        .filter(|h| h.marker == paragraphs::Marker::Section)
        .count();
    let is_plan = plan::looks_like_plan(&all) && section_marks < 2;
    if is_plan {
        r.kind = Some("plan".into());
        let p = plan::parse(&all, year, r).ok_or(ImportError::UnknownDocument)?;
        let slug = resolve_forbund(forbund, &text_of(&all), profiles, r)?;
        let out = draft::plan(&p);
        return Ok(finish(
            DocKind::Plan,
            slug,
            format!("{}.md", p.year),
            out,
            r,
        ));
    }
    if headings.is_empty() {
        return Err(ImportError::UnknownDocument);
    }
    r.kind = Some("protokoll".into());
    report_markers(&headings, &all, r);

    let first = headings[0].idx;
    let anslag_at = header::anslag_start(&all);
    let (header_lines, anslag_lines, body_end) = match anslag_at {
        Some(a) if a < first => (&all[..a], &all[a..first], all.len()),
        Some(a) => (&all[..first], &all[a..], a),
        None => (&all[..first], &all[..0], all.len()),
    };
    let headings: Vec<paragraphs::Heading> =
        headings.into_iter().filter(|h| h.idx < body_end).collect();
    let body_lines = &all[first..body_end];

    let bodies: Vec<Vec<Line>> = if columns::is_scrambled(&all[..body_end], &headings) {
        let (bodies, repair) = columns::rebuild(&all[..body_end], &headings);
        r.note(
            "sidan hade två spalter som textutvinningen blandat ihop (rubrikerna för sig, texten för sig): \
             texten har fördelats på paragraferna efter innehåll och beslutsnummer; läs varje § mot källan",
        );
        if !repair.dropped_labels.is_empty() {
            r.removed(
                "spaltetikett",
                repair.dropped_labels.clone(),
                "etiketten \"Beslut\" i vänsterspalten har tappat sin plats; besluten känns igen på sin text",
                false,
            );
        }
        if !repair.dropped_repeats.is_empty() {
            r.removed(
                "upprepning",
                repair.dropped_repeats.clone(),
                "text som upprepar besluten (beslutslista i slutet) togs bort",
                false,
            );
        }
        for no in &repair.unmatched {
            r.unsure(
                "paragraf",
                "stycke",
                Some(*no),
                "stycket liknar ingen rubrik och lades under paragrafen före",
            );
        }
        bodies
    } else {
        headings
            .iter()
            .enumerate()
            .map(|(k, h)| {
                let end = headings.get(k + 1).map_or(body_end, |n| n.idx);
                let mut body = Vec::new();
                if let Some(tail) = &h.tail {
                    body.push(Line {
                        no: h.line,
                        text: tail.clone(),
                        page_start: false,
                    });
                }
                body.extend_from_slice(&all[h.body_start.min(end)..end]);
                body
            })
            .collect()
    };
    let mut draft_paragraphs = Vec::new();
    for (h, body) in headings.iter().zip(bodies) {
        let parts = paragraphs::parts(&body);
        let p = paragraphs::DraftParagraph {
            heading: h.clone(),
            parts,
        };
        if p.heading.title.is_empty() {
            r.missing(
                &format!("§ {} titel", h.number),
                format!("rubriken på rad {} har ingen titel", h.line),
            );
        }
        for part in &p.parts {
            if part.implicit {
                r.unsure(
                    &format!("§ {} beslut", h.number),
                    part.plain(),
                    Some(part.line),
                    "tolkat som beslut utan rubriken \"Beslut\": paragrafens enda mening är formulerad som ett beslut",
                );
            }
        }
        r.paragraphs
            .push((h.number, h.title.clone(), p.decisions(), h.line));
        draft_paragraphs.push(p);
    }

    let mut h = header::parse(header_lines, anslag_lines, body_lines, year, r);
    if ocr.is_ocr() {
        flag_header_values(r);
    }
    apply_signatures(&mut h, &signatures, r);
    if let Some(ranges) = h.ranges.as_ref().and_then(|s| crate::load::parse_ranges(s)) {
        let listed: Vec<u32> = ranges.iter().flat_map(|&(a, b)| a..=b).collect();
        let found: Vec<u32> = headings.iter().map(|h| h.number).collect();
        if listed != found {
            r.note(format!(
                "justerande paragrafer {} stämmer inte med paragraferna i texten ({}); en § kan ha missats",
                h.ranges.as_deref().unwrap_or(""),
                found.iter().map(u32::to_string).collect::<Vec<_>>().join(", ")
            ));
        }
    }
    let file_name = match h.date {
        Some(d) => format!("{d}.md"),
        None => {
            let stem = r
                .source
                .file_stem()
                .map(|s| s.to_string_lossy().to_string())
                .filter(|s| !s.is_empty())
                .unwrap_or_else(|| "kalla".into());
            let name = format!("utan-datum-{}.md", file_safe(&stem));
            r.note(format!(
                "inget mötesdatum hittades: utkastet fick det tillfälliga namnet {name}; fyll i datum och byt namn till ÅÅÅÅ-MM-DD.md"
            ));
            name
        }
    };
    let slug = resolve_forbund(forbund, &text_of(&all), profiles, r)?;
    if let (Some(slug), Some(notice)) = (&slug, h.notice.as_mut())
        && let Some(p) = profiles.iter().find(|p| &p.slug == slug)
        && let Some(board) = &notice.board
        && let Some(known) = p.boards.iter().find(|b| {
            let (a, b) = (b.to_lowercase(), board.to_lowercase());
            a.starts_with(&b) || b.starts_with(&a)
        })
        && known != board
    {
        r.note(format!(
            "anslagstavlan \"{board}\" skrevs som profilens \"{known}\""
        ));
        notice.board = Some(known.clone());
    }
    let out = draft::protocol(&h, &[], &draft_paragraphs);
    let mut c = finish(DocKind::Protocol, slug, file_name, out, r);
    c.header = Some(h);
    Ok(c)
}

/// A source file's stem as a file name: letters, digits and dashes.
/// A source file's stem as a plain file name part: lower-case a–z, digits and single dashes
/// (å, ä, ö as a, a, o; anything else a dash), `kalla` when nothing is left.
fn file_safe(stem: &str) -> String {
    let mut s = String::new();
    for c in stem.chars().flat_map(char::to_lowercase) {
        let c = match c {
            'a'..='z' | '0'..='9' => c,
            'å' | 'ä' | 'à' | 'á' => 'a',
            'ö' | 'ø' | 'ó' => 'o',
            'é' | 'è' => 'e',
            _ => '-',
        };
        if !(c == '-' && (s.is_empty() || s.ends_with('-'))) {
            s.push(c);
        }
    }
    let s = s.trim_end_matches('-').to_string();
    if s.is_empty() { "kalla".into() } else { s }
}

/// Says which marker forms other than `§ N` were taken as headings, and that a table of contents
/// was skipped: both are places where a § could be missed or invented.
/// Tells what the OCR repair changed, by line.
fn report_ocr(ocr: &ocr::Repairs, r: &mut FileReport) {
    let list = |v: &[usize]| {
        v.iter()
            .take(8)
            .map(usize::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    };
    if !ocr.labels.is_empty() {
        r.note(format!(
            "etiketter med OCR-fel lästes som de kända etiketterna (rad {})",
            list(&ocr.labels)
        ));
    }
    if !ocr.digits.is_empty() {
        r.note(format!(
            "datum och klockslag där siffror lästs som bokstäver (O för 0, l för 1) rättades (rad {})",
            list(&ocr.digits)
        ));
    }
    if let Some(&first) = ocr.markers.first() {
        r.unsure(
            "paragrafer",
            format!("{} rubriker", ocr.markers.len()),
            Some(first),
            format!(
                "§-tecknet var läst som \"S\" eller \"$\" (eller numret med bokstäver) och rättades (rad {}): kontrollera numren",
                list(&ocr.markers)
            ),
        );
    }
    if ocr.is_ocr() {
        r.note(
            "texten bär spår av textigenkänning (OCR): varje värde i huvudet är markerat som osäkert; jämför namn, datum och platser med originalet",
        );
    }
}

/// In a text recognised from a scan every header value may hold a misread letter that no rule
/// can see ("Anmka" for "Annika"): each value read is turned into an unsure one, with its line.
fn flag_header_values(r: &mut FileReport) {
    const HEADER: &[&str] = &[
        "datum",
        "tid",
        "plats",
        "organ",
        "narvaro",
        "justering",
        "forvaringsplats",
        "anslag",
        "underskrifter",
    ];
    for e in &mut r.entries {
        let header = HEADER
            .iter()
            .any(|f| e.field == *f || e.field.starts_with(&format!("{f}.")));
        if header && e.status == report::Status::Found && e.line.is_some() {
            e.status = report::Status::Unsure(
                "läst ur OCR-text: kontrollera stavning och siffror mot originalet".into(),
            );
        }
    }
}

fn report_markers(headings: &[paragraphs::Heading], all: &[Line], r: &mut FileReport) {
    let mut seen: Vec<paragraphs::Marker> = Vec::new();
    for h in headings {
        if let Some(what) = h.marker.describe()
            && !seen.contains(&h.marker)
        {
            seen.push(h.marker);
            r.unsure(
                "paragrafer",
                format!("§ {} {}", h.number, h.title),
                Some(h.line),
                format!("paragraferna är märkta med {what}: kontrollera att ingen § saknas eller är för mycket"),
            );
        }
    }
    let toc = paragraphs::toc_entries(all);
    if let (Some(first), Some(last)) = (toc.first(), toc.last()) {
        r.removed(
            "innehållsförteckning",
            (first.2..=last.2).collect(),
            format!(
                "{} rader med paragrafnummer och sidnummer; inte tagna som rubriker",
                toc.len()
            ),
            false,
        );
        for h in headings {
            if let Some((_, t, no)) = toc.iter().find(|(n, _, _)| *n == h.number)
                && !t.eq_ignore_ascii_case(&h.title)
                && !h.title.to_lowercase().starts_with(&t.to_lowercase())
            {
                r.unsure(
                    &format!("§ {} titel", h.number),
                    h.title.clone(),
                    Some(h.line),
                    format!("innehållsförteckningen (rad {no}) kallar den \"{t}\""),
                );
            }
        }
    }
}

/// Fills the justering and checksum from an e-signature appendix, and says who signed by role.
fn apply_signatures(
    h: &mut header::Header,
    signatures: &[signature::Signatures],
    r: &mut FileReport,
) {
    for s in signatures {
        if let Some(c) = &s.checksum {
            if h.checksum.is_none() {
                r.found(
                    "digital_signering.kontrollsumma",
                    c.clone(),
                    Some(s.lines.0),
                );
                h.checksum = Some(c.clone());
            }
        } else {
            r.missing(
                "digital_signering.kontrollsumma",
                "e-signaturbilagan har ingen kontrollsumma",
            );
        }
        if let Some(d) = s.last_signed {
            match h.justering.as_mut() {
                None => {
                    r.unsure(
                        "justering.datum",
                        d.to_string(),
                        Some(s.lines.0),
                        "dagen för den sista e-signaturen",
                    );
                    h.justering = Some(header::JusteringDraft {
                        date: d,
                        method: Some("digital signering".into()),
                        place: None,
                    });
                }
                Some(j) => {
                    if j.date == d {
                        r.note(format!(
                            "justeringsdagen {d} bekräftas av den sista e-signaturen"
                        ));
                    } else {
                        r.unsure(
                            "justering.datum",
                            j.date.to_string(),
                            None,
                            format!("e-signaturerna är gjorda {d}: kontrollera justeringsdagen"),
                        );
                    }
                    if j.method.is_none() {
                        j.method = Some("digital signering".into());
                        r.unsure(
                            "justering.metod",
                            "digital signering",
                            Some(s.lines.0),
                            "protokollet har en e-signaturbilaga",
                        );
                    }
                }
            }
        }
        // Match signers to the roles of the header; names are not repeated in the report.
        let mut roles = Vec::new();
        for (name, _) in &s.signers {
            let tokens: Vec<String> = name.split_whitespace().map(str::to_lowercase).collect();
            let role = h.signatories.iter().find(|(_, n)| {
                n.split_whitespace()
                    .all(|w| tokens.contains(&w.to_lowercase()))
            });
            roles.push(role.map_or("okänd roll".to_string(), |(r, _)| r.clone()));
        }
        if !roles.is_empty() {
            r.note(format!(
                "e-signerat av {} ({}){}",
                roles.len(),
                roles.join(", "),
                s.last_signed
                    .map(|d| format!(", sista underskriften {d}"))
                    .unwrap_or_default()
            ));
        }
    }
}

fn resolve_forbund(
    given: Option<&str>,
    text: &str,
    profiles: &[Profile],
    r: &mut FileReport,
) -> Result<Option<String>, ImportError> {
    match given {
        Some(s) => {
            if !profiles.is_empty() && !profiles.iter().any(|p| p.slug == s) {
                r.note(format!(
                    "förbundet `{s}` har ingen forbund.yaml i målmappen ännu"
                ));
            }
            Ok(Some(s.to_string()))
        }
        None => {
            match detect_forbund(text, profiles) {
                Some(s) => {
                    r.unsure("förbund", s.clone(), None, "känt igen på förbundets namn i texten (ange --forbund för att välja själv)");
                    Ok(Some(s))
                }
                None => Err(ImportError::UnknownForbund),
            }
        }
    }
}

/// Last checks on a draft: the privacy guard once more (nothing blocking may remain) and the
/// content loader (the draft must load).
fn finish(
    kind: DocKind,
    forbund: Option<String>,
    file_name: String,
    mut text: String,
    r: &mut FileReport,
) -> Conversion {
    let policy = privacy::Policy::default();
    let left: Vec<privacy::Finding> = privacy::scan(&text, &policy)
        .into_iter()
        .filter(|f| f.kind.blocks_publication())
        .collect();
    if !left.is_empty() {
        for f in &left {
            r.removed(
                f.kind.rule_id(),
                vec![],
                format!("{} i utkastet ersatt", f.shown),
                true,
            );
        }
        text = privacy::redact(&text, &left);
    }
    let path = Path::new(&file_name);
    let mut errors = Vec::new();
    match kind {
        DocKind::Protocol => {
            crate::load::parse_protocol(&text, path, &mut errors);
        }
        DocKind::Plan => {
            crate::load::parse_plan(&text, path, &mut errors);
        }
    }
    for e in errors {
        r.note(format!(
            "utkastet läses inte felfritt: rad {}: {}",
            e.line, e.message
        ));
    }
    Conversion {
        kind,
        forbund,
        file_name,
        text,
        header: None,
    }
}

/// How a run writes its drafts.
#[derive(Debug, Clone)]
pub struct Options {
    pub forbund: Option<String>,
    /// The archive's `content/` folder.
    pub out: PathBuf,
    pub overwrite: bool,
    pub extractor: extract::Extractor,
}

/// Imports one file and writes its draft. Never panics: a bug in the conversion of one file is
/// caught and reported as that file's error.
pub fn import_file(path: &Path, options: &Options, profiles: &[Profile]) -> FileReport {
    let mut r = FileReport::new(path.to_path_buf());
    let result = (|| -> Result<PathBuf, ImportError> {
        let extracted = options.extractor.extract(path)?;
        r.method = Some(extracted.method.clone());
        for n in &extracted.notes {
            r.note(n.clone());
        }
        let mut inner = std::mem::take(&mut r);
        let converted = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let c = convert(
                &extracted.text,
                options.forbund.as_deref(),
                profiles,
                &mut inner,
            );
            (c, inner)
        }));
        let conversion = match converted {
            Ok((c, back)) => {
                r = back;
                c?
            }
            Err(panic) => {
                r = FileReport::new(path.to_path_buf());
                let msg = panic
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| panic.downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "okänt".into());
                return Err(ImportError::Internal(msg));
            }
        };
        let slug = conversion.forbund.ok_or(ImportError::UnknownForbund)?;
        let folder = match conversion.kind {
            DocKind::Protocol => "protokoll",
            DocKind::Plan => "planer",
        };
        let dir = options.out.join(&slug).join(folder);
        let target = dir.join(&conversion.file_name);
        if target.exists() && !options.overwrite {
            return Err(ImportError::Exists(target));
        }
        std::fs::create_dir_all(&dir).map_err(|e| ImportError::Write(dir.clone(), e))?;
        std::fs::write(&target, conversion.text.as_bytes())
            .map_err(|e| ImportError::Write(target.clone(), e))?;
        if !options.out.join(&slug).join("forbund.yaml").exists() {
            r.note(format!(
                "{} saknas: skapa förbundets profil innan arkivet byggs (docs/content-format.md)",
                options.out.join(&slug).join("forbund.yaml").display()
            ));
        }
        Ok(target)
    })();
    match result {
        Ok(target) => r.draft = Some(target),
        Err(e) => r.error = Some(e.to_string()),
    }
    r
}

/// The files a run imports: each file given, and the PDF and text files in each folder given
/// (recursively, in name order). Other files in a folder are listed as skipped.
pub fn collect_inputs(inputs: &[PathBuf]) -> (Vec<PathBuf>, Vec<PathBuf>) {
    let mut files = Vec::new();
    let mut skipped = Vec::new();
    for input in inputs {
        if input.is_dir() {
            for e in walkdir::WalkDir::new(input)
                .sort_by_file_name()
                .into_iter()
                .filter_map(Result::ok)
            {
                if !e.file_type().is_file() {
                    continue;
                }
                let name = e.file_name().to_string_lossy().to_lowercase();
                if name.starts_with('.') {
                    continue;
                }
                if [".pdf", ".txt", ".html", ".htm"]
                    .iter()
                    .any(|x| name.ends_with(x))
                {
                    files.push(e.path().to_path_buf());
                } else {
                    skipped.push(e.path().to_path_buf());
                }
            }
        } else {
            files.push(input.clone());
        }
    }
    (files, skipped)
}

/// A whole run: every file imported independently, with a progress bar when `progress` is on.
pub fn run(
    inputs: &[PathBuf],
    options: &Options,
    progress: bool,
) -> (Vec<FileReport>, Vec<PathBuf>) {
    let (files, skipped) = collect_inputs(inputs);
    let profiles = profiles(&options.out);
    let bar = if progress {
        indicatif::ProgressBar::new(files.len() as u64)
    } else {
        indicatif::ProgressBar::hidden()
    };
    if let Ok(style) = indicatif::ProgressStyle::with_template("{bar:30} {pos}/{len} {wide_msg}") {
        bar.set_style(style);
    }
    let mut reports = Vec::new();
    for f in &files {
        bar.set_message(
            f.file_name()
                .map(|n| n.to_string_lossy().to_string())
                .unwrap_or_default(),
        );
        reports.push(import_file(f, options, &profiles));
        bar.inc(1);
    }
    bar.finish_and_clear();
    (reports, skipped)
}

/// The squashed text of a part of a draft, for comparisons in tests and tools.
pub fn normalise(s: &str) -> String {
    squash(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    const PROTOCOL: &str = "Sammanträdesprotokoll nr 3  2025-04-08\n\nPlats och tid Stadshuset, Ystad kl 13-15\n\nBeslutande Anna Ek, ledamot och ordförande, Ystads kommun\n\nJustering 2025-04-10\n\nJusterande paragrafer §§ 1-2\n\n§ 1 Mötets öppnande\n\nOrdförande öppnar mötet. Personnummer 198001012387 nämndes av misstag.\n\n§ 2 Budget\n\nBeslut\nStyrelsen beslutar att fastställa budgeten.\n";

    #[test]
    fn a_small_protocol_end_to_end() {
        let mut r = FileReport::default();
        let c = convert(PROTOCOL, Some("ystad"), &[], &mut r).unwrap();
        assert_eq!(c.file_name, "2025-04-08.md");
        assert!(c.text.contains("organ: Styrelsen"), "{}", c.text);
        assert!(
            c.text
                .contains("::: beslut\nStyrelsen beslutar att fastställa budgeten.\n:::"),
            "{}",
            c.text
        );
        assert!(c.text.contains("[borttaget: personnummer]"), "{}", c.text);
        assert!(privacy::scan(&c.text, &privacy::Policy::default()).is_empty());
        assert!(
            r.removals
                .iter()
                .any(|x| x.what == "personnummer" && x.lines == vec![13]),
            "{:?}",
            r.removals
        );
        let mut errors = Vec::new();
        let p =
            crate::load::parse_protocol(&c.text, Path::new("2025-04-08.md"), &mut errors).unwrap();
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(p.paragraphs.len(), 2);
        assert!(r.entries.iter().any(
            |e| e.field == "forvaringsplats" && matches!(e.status, report::Status::Missing(_))
        ));
    }

    #[test]
    fn text_that_is_no_document() {
        let mut r = FileReport::default();
        let e = convert(
            "Hej, detta är ett vanligt brev utan paragrafer.\n",
            Some("x"),
            &[],
            &mut r,
        )
        .unwrap_err();
        assert!(matches!(e, ImportError::UnknownDocument));
    }

    #[test]
    fn the_forbund_is_recognised_by_name() {
        let profiles = vec![
            Profile {
                slug: "ystad".into(),
                names: vec!["Ystads samordningsförbund".into()],
                boards: vec![],
            },
            Profile {
                slug: "lund".into(),
                names: vec!["Lunds samordningsförbund".into()],
                boards: vec![],
            },
        ];
        let mut r = FileReport::default();
        let c = convert(
            &PROTOCOL.replace("Stadshuset, Ystad", "Ystads samordningsförbund, Ystad"),
            None,
            &profiles,
            &mut r,
        )
        .unwrap();
        assert_eq!(c.forbund.as_deref(), Some("ystad"));
        let mut r = FileReport::default();
        assert!(matches!(
            convert(PROTOCOL, None, &profiles[1..], &mut r),
            Err(ImportError::UnknownForbund)
        ));
    }
}
