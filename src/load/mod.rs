//! Loading: reads `content/` into the [`crate::model`], collecting every mistake of every file.
//!
//! Layout (see `docs/content-format.md`):
//! `content/<slug>/forbund.yaml`, `content/<slug>/protokoll/<datum>[-suffix].md`,
//! `content/<slug>/planer/<år>[-suffix].md`.

pub mod body;
pub mod files;
pub mod placeholders;
pub mod raw;

use crate::diagnostics::{Diagnostic, Severity};
use crate::model::*;
use chrono::NaiveDate;
use raw::*;
use rayon::prelude::*;
use serde_saphyr::Spanned;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Paths that a förbund slug may not take, because the site uses them itself.
pub const RESERVED_SLUGS: &[&str] = &[
    "ar",
    "anslagstavla",
    "assets",
    "data",
    "forbund",
    "sok",
    "tillganglighet",
    "404",
];

/// The result of reading `content/`: everything that could be read, and every problem found.
#[derive(Debug)]
pub struct Loaded {
    pub archive: Archive,
    pub diagnostics: Vec<Diagnostic>,
}

impl Loaded {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(|d| d.severity == Severity::Fel)
    }
}

/// The text with every line break as `\n`: `\r\n` (Windows) and a lone `\r` (old Mac files, some
/// PDF exports) alike. The YAML parser and editors count a lone `\r` as a line break; the loader,
/// the privacy scan and the reports count lines on this text so that all agree on line numbers
/// (the fuzzer found a file whose YAML error was reported beyond its last line).
pub fn normalize_newlines(text: &str) -> std::borrow::Cow<'_, str> {
    if text.contains('\r') {
        std::borrow::Cow::Owned(text.replace("\r\n", "\n").replace('\r', "\n"))
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

/// 1-based line and column (in characters) of a byte offset.
pub fn position_of(text: &str, offset: usize) -> Pos {
    let offset = offset.min(text.len());
    let before = &text[..text.floor_char_boundary(offset)];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    Pos { line, column }
}

fn located<T>(value: T, span_line: u64, span_column: u64, line_offset: usize) -> Located<T> {
    Located {
        value,
        pos: Pos {
            line: span_line as usize + line_offset,
            column: span_column.max(1) as usize,
        },
    }
}

/// Where a spanned YAML value sits in the file (the YAML starts `line_offset` lines down).
fn pos_of<T>(s: &Spanned<T>, line_offset: usize) -> Pos {
    Pos {
        line: s.referenced.line() as usize + line_offset,
        column: s.referenced.column().max(1) as usize,
    }
}

/// A content file split into YAML front matter and Markdown body.
struct Split<'a> {
    yaml: &'a str,
    /// Number of file lines before the YAML's first line.
    yaml_line_offset: usize,
    body: &'a str,
    /// File line of the body's first line.
    body_first_line: usize,
}

fn split_front_matter<'a>(text: &'a str, file: &Path) -> Result<Split<'a>, Diagnostic> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first_end = text.find('\n').map_or(text.len(), |i| i + 1);
    if text[..first_end].trim_end() != "---" {
        return Err(Diagnostic::error(
            "framsida",
            file,
            Pos { line: 1, column: 1 },
            "filen börjar inte med `---`",
        )
        .with_hint("ett protokoll börjar med YAML-uppgifter mellan två rader `---`"));
    }
    let mut offset = first_end;
    for (line, l) in (2..).zip(text[first_end..].split_inclusive('\n')) {
        if l.trim_end() == "---" {
            return Ok(Split {
                yaml: &text[first_end..offset],
                yaml_line_offset: 1,
                body: &text[offset + l.len()..],
                body_first_line: line + 1,
            });
        }
        offset += l.len();
    }
    Err(Diagnostic::error(
        "framsida",
        file,
        Pos { line: 1, column: 1 },
        "YAML-uppgifterna avslutas aldrig med en rad `---`",
    )
    .with_hint("lägg till en rad `---` efter sista uppgiften, före brödtexten"))
}

/// Splits a content file and reads its front matter as `T`. `None` when there is no front matter;
/// `Some((split, None))` when the YAML is wrong (the error is recorded), so the body can still be
/// checked.
fn front_matter<'a, T: serde::de::DeserializeOwned>(
    text: &'a str,
    file: &Path,
    errors: &mut Vec<Diagnostic>,
) -> Option<(Split<'a>, Option<T>)> {
    let split = match split_front_matter(text, file) {
        Ok(s) => s,
        Err(d) => {
            errors.push(d);
            return None;
        }
    };
    let raw = from_yaml_all(split.yaml, file, split.yaml_line_offset, errors);
    Some((split, raw))
}

/// Reads YAML as `T`, reporting every unknown key and then the next mistake of another kind: an
/// unknown key's lines are blanked (line numbers stay) and the YAML read again, so that a
/// misspelt key does not hide a misspelt value below it until the key is fixed. `None` when a
/// mistake other than an unknown key stops the reading.
fn from_yaml_all<T: serde::de::DeserializeOwned>(
    yaml: &str,
    file: &Path,
    line_offset: usize,
    errors: &mut Vec<Diagnostic>,
) -> Option<T> {
    let mut current = std::borrow::Cow::Borrowed(yaml);
    // A bound: every round blanks at least one line.
    for _ in 0..=yaml.lines().count() {
        match serde_saphyr::from_str::<T>(&current) {
            // What reads once the unknown keys are out goes on to the checks of values, whose
            // mistakes are reported too; the errors above already fail the build.
            Ok(v) => return Some(v),
            Err(e) => {
                let d = yaml_error(&e, file, line_offset);
                let unknown_key = d.message.starts_with("okänd nyckel");
                let line = e.location().map(|l| l.line() as usize);
                errors.push(d);
                match line
                    .filter(|_| unknown_key)
                    .and_then(|l| without_key(&current, l))
                {
                    Some(next) => current = std::borrow::Cow::Owned(next),
                    None => return None,
                }
            }
        }
    }
    None
}

/// `value`, unless the YAML it was read from had a mistake (reported since `start`): the checks
/// of its values ran and reported theirs, but a file with a YAML mistake is not published.
fn unless_yaml_failed<T>(errors: &[Diagnostic], start: usize, value: T) -> Option<T> {
    (!errors[start.min(errors.len())..]
        .iter()
        .any(|d| d.code == "yaml"))
    .then_some(value)
}

/// The YAML with the key on `line` (1-based) and its value's lines blanked, or `None` when the
/// key opens a list item (`- key:`), whose other keys would lose their item.
fn without_key(yaml: &str, line: usize) -> Option<String> {
    let mut lines: Vec<&str> = yaml.split('\n').collect();
    let at = line.checked_sub(1).filter(|&i| i < lines.len())?;
    let key_line = lines[at];
    if key_line.trim_start().starts_with('-') || key_line.trim().is_empty() {
        return None;
    }
    let indent = |l: &str| l.len() - l.trim_start().len();
    let key_indent = indent(key_line);
    lines[at] = "";
    for l in lines.iter_mut().skip(at + 1) {
        if l.trim().is_empty()
            || indent(l) > key_indent
            || (indent(l) == key_indent && l.trim_start().starts_with("- "))
        {
            *l = "";
        } else {
            break;
        }
    }
    Some(lines.join("\n"))
}

/// Keys a content file may use, for "did you mean" hints.
fn suggest_key(unknown: &str, expected: &[&str]) -> Option<String> {
    let folded: String = unknown
        .chars()
        .map(|c| match c {
            'å' | 'ä' => 'a',
            'ö' => 'o',
            'Å' | 'Ä' => 'A',
            'Ö' => 'O',
            c => c,
        })
        .collect();
    expected
        .iter()
        .map(|k| (strsim::jaro_winkler(&folded.to_lowercase(), k), *k))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, k)| k.to_string())
}

/// Turns a YAML error into a diagnostic with the file's own line numbers and a hint.
fn yaml_error(err: &serde_saphyr::Error, file: &Path, line_offset: usize) -> Diagnostic {
    let full = err.without_snippet().to_string();
    // The library appends its own (YAML-relative) position; ours is added by the caller.
    let message = match full.rfind(" at line ") {
        Some(i) => full[..i].to_string(),
        None => full,
    };
    let pos = err
        .location()
        .map(|l| Pos {
            line: l.line() as usize + line_offset,
            column: l.column().max(1) as usize,
        })
        .unwrap_or(Pos {
            line: 1 + line_offset,
            column: 1,
        });
    let mut diagnostic = Diagnostic::error("yaml", file, pos, message.clone());
    if let Some(rest) = message.strip_prefix("unknown field `")
        && let Some((unknown, tail)) = rest.split_once('`')
    {
        let expected = expected_names(tail);
        diagnostic.message = format!("okänd nyckel `{unknown}`");
        diagnostic.hint = Some(match suggest_key(unknown, &expected) {
            Some(k) => format!("menade du `{k}`? (nycklar skrivs utan å/ä/ö)"),
            None => format!("tillåtna nycklar här: {}", expected.join(", ")),
        });
    } else if let Some(rest) = message.strip_prefix("missing field `") {
        let field = rest.split('`').next().unwrap_or(rest);
        diagnostic.message = format!("uppgiften `{field}` saknas");
        diagnostic.hint = Some("se docs/content-format.md för obligatoriska uppgifter".into());
    } else if let Some(rest) = message.strip_prefix("unknown variant `") {
        let (value, tail) = rest.split_once('`').unwrap_or((rest, ""));
        let expected = expected_names(tail);
        diagnostic.message = format!("okänt värde `{value}`");
        diagnostic.hint = Some(match suggest_key(value, &expected) {
            Some(k) => format!("menade du `{k}`? tillåtna värden: {}", expected.join(", ")),
            None => format!("tillåtna värden: {}", expected.join(", ")),
        });
    } else {
        diagnostic.message = yaml_in_swedish(&message);
        diagnostic.hint = Some("kontrollera YAML-syntaxen: indrag, kolon och citattecken".into());
    }
    diagnostic
}

/// serde's messages about a configuration or content file in Swedish (the field and value
/// mistakes that YAML and TOML share), or the message after a Swedish lead naming `format`.
pub fn serde_in_swedish(message: &str, format: &str) -> String {
    let message = message.trim();
    if let Some(rest) = message.strip_prefix("unknown field `") {
        let (field, tail) = rest.split_once('`').unwrap_or((rest, ""));
        let allowed = expected_names(tail);
        return format!("okänd nyckel `{field}`; tillåtna: {}", allowed.join(", "));
    }
    if let Some(rest) = message.strip_prefix("missing field `") {
        return format!(
            "uppgiften `{}` saknas",
            rest.split('`').next().unwrap_or(rest)
        );
    }
    let translated = yaml_in_swedish(message);
    match translated.strip_prefix("YAML-uppgifterna går inte att läsa (") {
        Some(_) => format!("{format}-uppgifterna går inte att läsa ({message})"),
        None => translated,
    }
}

/// The YAML parser's and serde's English messages in Swedish; a message not known here is kept,
/// after a Swedish lead, so that nothing is lost.
pub fn yaml_in_swedish(message: &str) -> String {
    use regex::Regex;
    use std::sync::OnceLock;
    static RULES: OnceLock<Vec<(Regex, &'static str)>> = OnceLock::new();
    let rules = RULES.get_or_init(|| {
        [
            (r"^invalid type: (.*), expected (.*)$", "fel sorts värde: $1, väntade $2"),
            (r"^invalid value: (.*), expected (.*)$", "ogiltigt värde: $1, väntade $2"),
            (r"^invalid length (\d+), expected (.*)$", "fel antal ($1), väntade $2"),
            (r"^invalid ([a-z0-9 ]+)$", "ogiltigt värde, väntade $1"),
            (r"^invalid (boolean|integer|float|number|datetime|string)(?:, expected .*)?$", "ogiltigt värde (texter skrivs inom citattecken)"),
            (r"^invalid (?:basic|literal) string.*$", "en text saknar sitt avslutande citattecken"),
            (r"^duplicate key.*$", "samma nyckel står två gånger"),
            (r"^duplicate mapping key: (.*), set DuplicateKeyPolicy.*$", "nyckeln $1 står två gånger"),
            (r"^duplicate mapping key, set DuplicateKeyPolicy.*$", "samma nyckel står två gånger"),
            (r"^duplicate field `([^`]*)`$", "nyckeln `$1` står två gånger"),
            (r"^unexpected end of input$", "filen tar slut mitt i ett värde"),
            (r"(?i)^.*mapping values are not allowed in this context.*$", "ett kolon som inte hör hemma här; sätt texten inom citattecken"),
            (r"(?i)^.*did not find expected key.*$", "en rad som inte passar in; kontrollera indraget"),
            (r"(?i)^.*found character that cannot start any token.*$", "ett tecken som inte kan inleda ett värde (t.ex. @ eller `); sätt texten inom citattecken"),
            (r"(?i)^.*found a tab character.*$", "tabbtecken i indraget; använd mellanslag"),
            (r"(?i)^.*did not find expected (.*)$", "hittade inte väntat $1"),
            (r"(?i)^.*found unexpected end of stream.*$", "filen tar slut mitt i ett värde"),
            (r"(?i)^.*found undefined alias.*$|^alias references unknown anchor$", "en hänvisning (*namn) till ett ankare som inte finns"),
            (r"(?i)^.*invalid leading UTF-8 octet.*$|^input is not valid UTF-8$", "filen är inte UTF-8-text"),
            (r"(?i)^.*block sequence entries are not allowed in this context.*$", "ett listtecken (-) som inte hör hemma här; kontrollera indraget"),
            (r"(?i)^.*found unknown escape character.*$", "en okänd \\-kod inom citattecken"),
            (r"(?i)^.*found unexpected ':'.*$", "ett kolon som inte hör hemma här"),
        ]
        .into_iter()
        .map(|(re, to)| (Regex::new(re).expect("a valid pattern"), to))
        .collect()
    });
    let message = message.trim();
    let Some((re, to)) = rules.iter().find(|(re, _)| re.is_match(message)) else {
        return format!("YAML-uppgifterna går inte att läsa ({message})");
    };
    let out = re.replace(message, *to).into_owned();
    // serde's names for what it expected or found.
    [
        ("path string", "en sökväg inom citattecken"),
        ("a string", "en text"),
        ("string ", "texten "),
        ("a sequence", "en lista"),
        ("sequence", "en lista"),
        ("a map", "nycklar och värden"),
        ("map", "nycklar och värden"),
        ("struct ", "uppgifterna "),
        ("unit value", "inget värde"),
        ("a boolean", "ja/nej (true/false)"),
        ("boolean ", "sanningsvärdet "),
        ("integer ", "talet "),
        ("floating point ", "talet "),
        ("u32", "ett heltal"),
        ("u16", "ett heltal"),
        ("u64", "ett heltal"),
        ("i32", "ett heltal"),
        ("i64", "ett heltal"),
        ("usize", "ett heltal"),
        ("a borrowed string", "en text"),
        ("null", "inget värde"),
    ]
    .into_iter()
    // Whole words, and never inside the quoted value the author wrote.
    .fold(out, |t, (en, sv)| {
        let word = Regex::new(&format!(r#"\b{}\b"#, regex::escape(en.trim_end())))
            .expect("a valid pattern");
        let mut quoted = false;
        t.split('"')
            .map(|part| {
                let part = if quoted {
                    part.to_string()
                } else {
                    word.replace_all(part, sv.trim_end()).into_owned()
                };
                quoted = !quoted;
                part
            })
            .collect::<Vec<_>>()
            .join("\"")
    })
}

fn parse_date(
    s: &Spanned<String>,
    line_offset: usize,
    file: &Path,
    errors: &mut Vec<Diagnostic>,
) -> Option<Located<NaiveDate>> {
    let text = s.value.trim();
    let pos = pos_of(s, line_offset);
    let ok_shape = text.len() == 10 && text.as_bytes()[4] == b'-' && text.as_bytes()[7] == b'-';
    match NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        Ok(d) if ok_shape => Some(Located { value: d, pos }),
        _ => {
            errors.push(
                Diagnostic::error("datum", file, pos, format!("ogiltigt datum `{text}`"))
                    .with_hint("skriv datum som ÅÅÅÅ-MM-DD, t.ex. 2025-03-11"),
            );
            None
        }
    }
}

fn parse_time(
    s: &Spanned<String>,
    line_offset: usize,
    file: &Path,
    errors: &mut Vec<Diagnostic>,
) -> Option<String> {
    let text = s.value.trim();
    if chrono::NaiveTime::parse_from_str(text, "%H:%M").is_ok() && text.len() == 5 {
        Some(text.to_string())
    } else {
        errors.push(
            Diagnostic::error(
                "tid",
                file,
                pos_of(s, line_offset),
                format!("ogiltig tid `{text}`"),
            )
            .with_hint("skriv tider som \"TT:MM\" inom citattecken, t.ex. \"13:00\""),
        );
        None
    }
}

/// Parses "12-27", "§§ 12–27" or "1-3, 5".
pub fn parse_ranges(text: &str) -> Option<Vec<(u32, u32)>> {
    let cleaned = text.replace('§', "").replace(['–', '—'], "-");
    let mut ranges = Vec::new();
    for part in cleaned.split([',', ';']) {
        let part = part.trim();
        if part.is_empty() {
            continue;
        }
        let (a, b) = match part.split_once('-') {
            Some((a, b)) => (a.trim().parse().ok()?, b.trim().parse().ok()?),
            None => {
                let n = part.parse().ok()?;
                (n, n)
            }
        };
        if a > b {
            return None;
        }
        ranges.push((a, b));
    }
    (!ranges.is_empty()).then_some(ranges)
}

fn check_url(
    url: &Spanned<String>,
    line_offset: usize,
    file: &Path,
    errors: &mut Vec<Diagnostic>,
) -> Option<String> {
    let u = url.value.trim();
    if u.starts_with("https://") || u.starts_with("http://") {
        Some(u.to_string())
    } else {
        errors.push(
            Diagnostic::error(
                "url",
                file,
                pos_of(url, line_offset),
                format!("`{u}` är ingen webbadress"),
            )
            .with_hint("skriv en fullständig adress som börjar med https://"),
        );
        None
    }
}

fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !s.starts_with('-')
        && !s.ends_with('-')
}

fn person(p: RawPerson) -> Person {
    Person {
        name: p.namn,
        role: p.roll,
        assignment: p.uppdrag,
        organisation: p.organisation,
        party: p.parti,
    }
}

/// Refuses a file whose Markdown nests deeper than the renderer takes
/// ([`crate::markdown::MAX_NESTING`]), at the line where it gets too deep.
fn nesting_error(text: &str, file: &Path) -> Option<Diagnostic> {
    let (at, depth) = crate::markdown::too_deep(text)?;
    Some(
        Diagnostic::error(
            "for-djup",
            file,
            position_of(text, at),
            format!(
                "texten nästlar {depth} nivåer djupt här (citat, listor, betoningar och \
                 HTML-element räknas ihop), högst {} går att visa",
                crate::markdown::MAX_NESTING
            ),
        )
        .with_hint("ta bort överflödiga `>`, listnivåer eller HTML-taggar, eller dela upp texten"),
    )
}

fn read(file: &Path) -> Result<String, Diagnostic> {
    files::read_limited(file)
}

/// Parses one förbund profile.
pub fn parse_forbund(
    text: &str,
    file: &Path,
    slug: &str,
    errors: &mut Vec<Diagnostic>,
) -> Option<Forbund> {
    let start = errors.len();
    let text = normalize_newlines(text);
    if let Some(d) = nesting_error(&text, file) {
        errors.push(d);
        return None;
    }
    let raw: RawForbund = from_yaml_all(&text, file, 0, errors)?;
    if let Some(s) = &raw.slug
        && s.value != slug
    {
        errors.push(
            Diagnostic::error(
                "slug",
                file,
                pos_of(s, 0),
                format!("slug `{}` stämmer inte med mappnamnet `{slug}`", s.value),
            )
            .with_hint("mappens namn är förbundets slug; ta bort raden eller byt namn på mappen"),
        );
    }
    let mut members = Vec::new();
    for m in raw.medlemmar.value {
        let kind = match m.typ.value.to_lowercase().as_str() {
            "kommun" => Some(MemberKind::Kommun),
            "region" => Some(MemberKind::Region),
            "forsakringskassan" | "försäkringskassan" => Some(MemberKind::Forsakringskassan),
            "arbetsformedlingen" | "arbetsförmedlingen" => Some(MemberKind::Arbetsformedlingen),
            _ => None,
        };
        match kind {
            Some(kind) => members.push(Member { name: m.namn, kind }),
            None => errors.push(
                Diagnostic::error(
                    "medlem",
                    file,
                    pos_of(&m.typ, 0),
                    format!("okänd medlemstyp `{}`", m.typ.value),
                )
                .with_hint("medlemstyper: kommun, region, forsakringskassan, arbetsformedlingen"),
            ),
        }
    }
    if members.is_empty() {
        errors.push(
            Diagnostic::error(
                "medlem",
                file,
                pos_of(&raw.namn, 0),
                "förbundet har inga medlemmar",
            )
            .with_hint("lista medlemmarna under `medlemmar:` (2003:1210 4 §)"),
        );
    }
    for (key, value) in [
        ("namn", &raw.namn),
        ("kortnamn", &raw.kortnamn),
        ("sate", &raw.sate),
    ] {
        if value.value.trim().is_empty() {
            errors.push(Diagnostic::error(
                "tomt-falt",
                file,
                pos_of(value, 0),
                format!("`{key}` är tom"),
            ));
        }
    }
    let homepage = raw
        .hemsida
        .as_ref()
        .and_then(|u| check_url(u, 0, file, errors));
    let notice_boards = raw
        .anslagstavlor
        .into_iter()
        .map(|b| NoticeBoard {
            url: b.url.as_ref().and_then(|u| check_url(u, 0, file, errors)),
            name: b.namn,
        })
        .collect();
    if let Some(org) = &raw.organisationsnummer {
        let digits: String = org.value.chars().filter(char::is_ascii_digit).collect();
        if digits.len() != 10 {
            errors.push(
                Diagnostic::error(
                    "organisationsnummer",
                    file,
                    pos_of(org, 0),
                    "organisationsnumret ska ha tio siffror",
                )
                .with_hint("t.ex. \"222000-1234\""),
            );
        }
    }
    let mut meetings = Vec::new();
    for m in &raw.moten {
        let date = parse_date(&m.datum, 0, file, errors);
        let (start_time, end_time) = match &m.tid {
            Some(t) => (
                t.start
                    .as_ref()
                    .and_then(|s| parse_time(s, 0, file, errors)),
                t.slut.as_ref().and_then(|s| parse_time(s, 0, file, errors)),
            ),
            None => (None, None),
        };
        if let Some(date) = date {
            meetings.push(PlannedMeeting {
                date,
                start_time,
                end_time,
                place: m.plats.as_ref().map(|p| p.trim().to_string()),
                organ: m
                    .organ
                    .as_ref()
                    .map(|o| o.trim().to_string())
                    .filter(|o| !o.is_empty())
                    .unwrap_or_else(|| "Styrelsen".to_string()),
            });
        }
    }
    meetings.sort_by(|a, b| {
        (a.date.value, &a.start_time, &a.organ).cmp(&(b.date.value, &b.start_time, &b.organ))
    });
    for pair in meetings.windows(2) {
        if (pair[0].date.value, &pair[0].start_time, &pair[0].organ)
            == (pair[1].date.value, &pair[1].start_time, &pair[1].organ)
        {
            errors.push(
                Diagnostic::error(
                    "mote-dubblett",
                    file,
                    pair[1].date.pos,
                    format!("sammanträdet {} står två gånger", pair[1].date.value),
                )
                .with_hint("ta bort den ena raden under `moten:`"),
            );
        }
    }
    let noindex_after_years = match &raw.noindex_efter_ar {
        Some(n) if n.value == 0 => {
            errors.push(
                Diagnostic::error(
                    "noindex",
                    file,
                    pos_of(n, 0),
                    "noindex_efter_ar måste vara minst 1",
                )
                .with_hint("ange antalet år, t.ex. 10, eller ta bort raden"),
            );
            None
        }
        Some(n) => Some(n.value),
        None => None,
    };
    unless_yaml_failed(
        errors,
        start,
        Forbund {
            meetings,
            noindex_after_years,
            slug: slug.to_string(),
            name: raw.namn.value.trim().to_string(),
            short_name: raw.kortnamn.value.trim().to_string(),
            org_number: raw.organisationsnummer.map(|o| o.value),
            seat: raw.sate.value.trim().to_string(),
            homepage,
            description: raw.beskrivning,
            members,
            notice_boards,
            source: file.to_path_buf(),
            protocols: Vec::new(),
            plans: Vec::new(),
        },
    )
}

/// Checks a protocol file name: `ÅÅÅÅ-MM-DD` with an optional `-suffix`. Returns the date.
fn protocol_stem_date(stem: &str) -> Option<NaiveDate> {
    let date = NaiveDate::parse_from_str(stem.get(..10)?, "%Y-%m-%d").ok()?;
    let rest = &stem[10..];
    (rest.is_empty() || (rest.starts_with('-') && is_slug(&rest[1..]))).then_some(date)
}

/// Parses one protocol file.
pub fn parse_protocol(text: &str, file: &Path, errors: &mut Vec<Diagnostic>) -> Option<Protocol> {
    let start = errors.len();
    let text = normalize_newlines(text);
    let text = text.as_ref();
    if let Some(d) = nesting_error(text, file) {
        errors.push(d);
        return None;
    }
    let id = file.file_stem()?.to_string_lossy().to_string();
    let stem_date = protocol_stem_date(&id);
    if stem_date.is_none() {
        errors.push(
            Diagnostic::error(
                "filnamn",
                file,
                Pos { line: 1, column: 1 },
                format!("filnamnet `{id}.md` är inget mötesdatum"),
            )
            .with_hint(
                "döp protokollet efter mötesdagen: ÅÅÅÅ-MM-DD.md, eller ÅÅÅÅ-MM-DD-organ.md",
            ),
        );
    }
    let (split, raw) = front_matter::<RawProtocol>(text, file, errors)?;
    let Some(raw) = raw else {
        // The body can still be checked, so its mistakes are reported in the same build.
        body::parse_protocol_body(split.body, split.body_first_line, file, errors);
        return None;
    };
    let off = split.yaml_line_offset;
    let date = parse_date(&raw.datum, off, file, errors);
    if let (Some(d), Some(stem)) = (&date, stem_date)
        && d.value != stem
    {
        errors.push(
            Diagnostic::error(
                "datum",
                file,
                d.pos,
                format!(
                    "mötesdatum {} stämmer inte med filnamnet `{id}.md`",
                    d.value
                ),
            )
            .with_hint("filnamnet är protokollets adress och ska börja med mötesdatum"),
        );
    }
    if raw.organ.value.trim().is_empty() {
        errors.push(Diagnostic::error(
            "tomt-falt",
            file,
            pos_of(&raw.organ, off),
            "`organ` är tom",
        ));
    }
    let (start_time, end_time) = match &raw.tid {
        Some(t) => (
            t.start
                .as_ref()
                .and_then(|s| parse_time(s, off, file, errors)),
            t.slut
                .as_ref()
                .and_then(|s| parse_time(s, off, file, errors)),
        ),
        None => (None, None),
    };
    let justering = match &raw.justering {
        Some(j) => parse_date(&j.datum, off, file, errors).map(|date| Justering {
            date,
            method: j.metod.clone(),
            place: j.plats.clone(),
        }),
        None => None,
    };
    let justerande_paragrafer = raw.justerande_paragrafer.as_ref().and_then(|s| {
        let pos = pos_of(s, off);
        match parse_ranges(&s.value) {
            Some(ranges) => Some(ParagraphRanges {
                text: s.value.clone(),
                ranges,
                pos,
            }),
            None => {
                errors.push(
                    Diagnostic::error(
                        "paragrafer",
                        file,
                        pos,
                        format!("kan inte läsa paragraferna `{}`", s.value),
                    )
                    .with_hint("skriv t.ex. \"12-27\" eller \"1-3, 5\""),
                );
                None
            }
        }
    });
    let mut notices = Vec::new();
    for n in raw.anslag {
        let posted = parse_date(&n.uppsatt, off, file, errors);
        let removed = n
            .nedtaget
            .as_ref()
            .and_then(|d| parse_date(d, off, file, errors));
        if let Some(posted) = posted {
            notices.push(Notice {
                board: n.anslagstavla,
                posted,
                removed,
                certified_by: n.anslagsbevis,
            });
        }
    }
    let attachments = attachments(&id, raw.original.as_ref(), &raw.bilagor, off, file, errors);
    let attendance = raw.narvaro.unwrap_or_default();
    let body = body::parse_protocol_body(split.body, split.body_first_line, file, errors);
    for p in raw.bilagor.iter().filter_map(|b| b.paragraf.as_ref()) {
        if !body.paragraphs.iter().any(|para| para.number == p.value) {
            errors.push(
                Diagnostic::error(
                    "bilaga-paragraf",
                    file,
                    pos_of(p, off),
                    format!("bilagan hör till § {}, som protokollet inte har", p.value),
                )
                .with_hint("ange en § som finns i protokollet, eller ta bort `paragraf:`"),
            );
        }
    }
    let date = date?;
    unless_yaml_failed(
        errors,
        start,
        Protocol {
            id,
            organ: raw.organ.value.trim().to_string(),
            number: raw.nummer,
            front_matter_pos: Pos { line: 2, column: 1 },
            date,
            start_time,
            end_time,
            place: raw.plats,
            attendance: Attendance {
                voting: attendance.beslutande.into_iter().map(person).collect(),
                serving_substitutes: attendance
                    .tjanstgorande_ersattare
                    .into_iter()
                    .map(person)
                    .collect(),
                substitutes: attendance.ersattare.into_iter().map(person).collect(),
                others: attendance
                    .ovriga_narvarande
                    .into_iter()
                    .map(person)
                    .collect(),
                absent: attendance
                    .anmalt_forhinder
                    .into_iter()
                    .map(person)
                    .collect(),
            },
            justering,
            justerande_paragrafer,
            signatories: raw
                .underskrifter
                .into_iter()
                .map(|s| Signatory {
                    role: s.roll,
                    name: s.namn,
                })
                .collect(),
            storage_place: raw.forvaringsplats,
            notices,
            signature_checksum: raw.digital_signering.map(|d| d.kontrollsumma),
            introduction: body.introduction,
            paragraphs: body.paragraphs,
            attachments,
            source: file.to_path_buf(),
        },
    )
}

/// The files a protocol publishes beside it: the original it names (or, by convention, the PDF
/// with its own name) and its annexes. A file named but missing, or named with a path, is an
/// error where it is named.
fn attachments(
    id: &str,
    original: Option<&Spanned<String>>,
    bilagor: &[RawBilaga],
    off: usize,
    file: &Path,
    errors: &mut Vec<Diagnostic>,
) -> Vec<Attachment> {
    let dir = file.parent().unwrap_or(Path::new("."));
    let mut found = Vec::new();
    let named = |name: &Spanned<String>,
                 title: String,
                 is_original: bool,
                 paragraph: Option<u32>,
                 errors: &mut Vec<Diagnostic>|
     -> Option<Attachment> {
        let pos = pos_of(name, off);
        let value = name.value.trim();
        let plain = !value.is_empty()
            && !value.contains(['/', '\\'])
            && !value.starts_with('.')
            && value.to_lowercase().ends_with(".pdf");
        if !plain {
            errors.push(
                Diagnostic::error(
                    "bilaga-namn",
                    file,
                    pos,
                    format!("`{value}` är inget filnamn på en PDF-fil bredvid protokollet"),
                )
                .with_hint("lägg PDF-filen i samma mapp som protokollet och skriv bara filnamnet, t.ex. 2025-03-11.pdf"),
            );
            return None;
        }
        let path = dir.join(value);
        match std::fs::metadata(&path) {
            Ok(m) if m.is_file() => Some(Attachment {
                file_name: value.to_string(),
                title,
                original: is_original,
                paragraph,
                bytes: m.len(),
                path,
                pos,
            }),
            _ => {
                errors.push(
                    Diagnostic::error(
                        "bilaga-saknas",
                        file,
                        pos,
                        format!("filen `{value}` finns inte bredvid protokollet"),
                    )
                    .with_hint(format!("lägg filen i {} eller rätta namnet", dir.display())),
                );
                None
            }
        }
    };
    const ORIGINAL: &str = "Originalprotokollet";
    match original {
        Some(o) => found.extend(named(o, ORIGINAL.into(), true, None, errors)),
        None => {
            let path = dir.join(format!("{id}.pdf"));
            if let Ok(m) = std::fs::metadata(&path)
                && m.is_file()
            {
                found.push(Attachment {
                    file_name: format!("{id}.pdf"),
                    title: ORIGINAL.into(),
                    original: true,
                    paragraph: None,
                    bytes: m.len(),
                    path,
                    pos: Pos { line: 1, column: 1 },
                });
            }
        }
    }
    for b in bilagor {
        let title = b
            .titel
            .clone()
            .filter(|t| !t.trim().is_empty())
            .unwrap_or_else(|| b.fil.value.trim().to_string());
        let paragraph = b.paragraf.as_ref().map(|p| p.value);
        found.extend(named(&b.fil, title, false, paragraph, errors));
    }
    found
}

/// Parses one plan file.
pub fn parse_plan(text: &str, file: &Path, errors: &mut Vec<Diagnostic>) -> Option<Plan> {
    let start = errors.len();
    let text = normalize_newlines(text);
    let text = text.as_ref();
    if let Some(d) = nesting_error(text, file) {
        errors.push(d);
        return None;
    }
    let id = file.file_stem()?.to_string_lossy().to_string();
    let stem_year: Option<i32> = id.get(..4).and_then(|y| y.parse().ok()).filter(|_| {
        let rest = &id[4..];
        rest.is_empty() || (rest.starts_with('-') && is_slug(&rest[1..]))
    });
    if stem_year.is_none() {
        errors.push(
            Diagnostic::error(
                "filnamn",
                file,
                Pos { line: 1, column: 1 },
                format!("filnamnet `{id}.md` är inget år"),
            )
            .with_hint("döp planen efter året den gäller: ÅÅÅÅ.md"),
        );
    }
    let (split, Some(raw)) = front_matter::<RawPlan>(text, file, errors)? else {
        return None;
    };
    let off = split.yaml_line_offset;
    let year = located(
        raw.ar.value,
        raw.ar.referenced.line(),
        raw.ar.referenced.column(),
        off,
    );
    if let Some(y) = stem_year
        && y != year.value
    {
        errors.push(
            Diagnostic::error(
                "ar",
                file,
                year.pos,
                format!("året {} stämmer inte med filnamnet `{id}.md`", year.value),
            )
            .with_hint("filnamnet är planens adress och ska börja med året"),
        );
    }
    let adopted = match &raw.antagen {
        Some(a) => parse_date(&a.datum, off, file, errors).map(|date| Adoption {
            date,
            organ: a.organ.clone(),
            paragraph: a.paragraf,
        }),
        None => None,
    };
    let (introduction, sections) =
        body::parse_plan_body(split.body, split.body_first_line, file, errors);
    unless_yaml_failed(
        errors,
        start,
        Plan {
            id,
            title: raw.titel.value.trim().to_string(),
            year,
            adopted,
            introduction,
            sections,
            source: file.to_path_buf(),
        },
    )
}

enum FileKind {
    Profile(String),
    Protocol(String),
    Plan(String),
}

#[derive(serde::Serialize, serde::Deserialize)]
enum Parsed {
    Profile(String, Option<Box<Forbund>>),
    Protocol(String, Option<Box<Protocol>>),
    Plan(String, Option<Box<Plan>>),
}

/// What reading one content file gave: its model (if it could be read) and its findings.
#[derive(serde::Serialize, serde::Deserialize)]
struct FileResult {
    parsed: Parsed,
    errors: Vec<Diagnostic>,
}

/// Where the loader may find a file's earlier result instead of reading it again: the build
/// cache keys each file by its bytes (and what else its result depends on); the loader only
/// stores and fetches the bytes of its own results.
pub trait ParseCache: Sync {
    /// The stored result of `file` as it is now, if there is one.
    fn get(&self, file: &Path) -> Option<Vec<u8>>;
    /// Stores the result of `file` as it is now.
    fn put(&self, file: &Path, result: &[u8]);
}

/// Reads the whole `content/` folder. Files are parsed in parallel; the result does not depend on
/// the order in which they finish.
pub fn load_content(content_dir: &Path, policy: &crate::privacy::Policy) -> Loaded {
    load_content_cached(content_dir, policy, None)
}

/// One content file read, checked and parsed, or its earlier result from `cache`.
fn load_file(
    path: &Path,
    kind: &FileKind,
    policy: &crate::privacy::Policy,
    cache: Option<&dyn ParseCache>,
) -> FileResult {
    if let Some(found) = cache
        .and_then(|c| c.get(path))
        .and_then(|bytes| serde_json::from_slice::<FileResult>(&bytes).ok())
    {
        return found;
    }
    let result = parse_file(path, kind, policy);
    if let Some(c) = cache
        && let Ok(bytes) = serde_json::to_vec(&result)
    {
        c.put(path, &bytes);
    }
    result
}

/// Reads, checks and parses one content file.
fn parse_file(path: &Path, kind: &FileKind, policy: &crate::privacy::Policy) -> FileResult {
    let mut errors = Vec::new();
    let text = match read(path) {
        Ok(t) => normalize_newlines(&t).into_owned(),
        Err(d) => {
            errors.push(d);
            String::new()
        }
    };
    errors.extend(privacy_findings(&text, path, policy));
    let parsed = match kind {
        FileKind::Profile(slug) => Parsed::Profile(
            slug.clone(),
            if text.is_empty() && !errors.is_empty() {
                None
            } else {
                parse_forbund(&text, path, slug, &mut errors).map(Box::new)
            },
        ),
        FileKind::Protocol(slug) => Parsed::Protocol(
            slug.clone(),
            if errors.is_empty() {
                parse_protocol(&text, path, &mut errors).map(Box::new)
            } else {
                None
            },
        ),
        FileKind::Plan(slug) => Parsed::Plan(
            slug.clone(),
            if errors.is_empty() {
                parse_plan(&text, path, &mut errors).map(Box::new)
            } else {
                None
            },
        ),
    };
    // Placeholders are reported beside whatever else the file has, and never stop it
    // from being read.
    if !matches!(kind, FileKind::Profile(_)) {
        errors.extend(placeholders::findings(&text, path));
    }
    FileResult { parsed, errors }
}

/// [`load_content`], taking each file's result from `cache` when the file did not change.
pub fn load_content_cached(
    content_dir: &Path,
    policy: &crate::privacy::Policy,
    cache: Option<&dyn ParseCache>,
) -> Loaded {
    let mut diagnostics = Vec::new();
    let mut files: Vec<(PathBuf, FileKind)> = Vec::new();
    let mut pdfs: Vec<PathBuf> = Vec::new();
    if !content_dir.is_dir() {
        diagnostics.push(
            Diagnostic::error(
                "innehall",
                content_dir,
                Pos::default(),
                "mappen content/ finns inte",
            )
            .with_hint("kör kommandot i arkivets mapp, där site.toml och content/ ligger"),
        );
    }
    for path in files::content_files(content_dir, &mut diagnostics) {
        let path = path.as_path();
        let Ok(rel) = path.strip_prefix(content_dir) else {
            continue;
        };
        let parts: Vec<String> = rel
            .iter()
            .map(|p| p.to_string_lossy().to_string())
            .collect();
        let name = parts.last().cloned().unwrap_or_default();
        if name.starts_with('.') {
            continue;
        }
        // Folder and file names become addresses and titles: guarded like the text.
        for f in crate::privacy::scan_blocking(&rel.to_string_lossy()) {
            diagnostics.push(
                Diagnostic::error(
                    f.kind.rule_id(),
                    path,
                    Pos { line: 1, column: 1 },
                    format!("sökvägen innehåller {} ({})", f.kind.describe(), f.shown),
                )
                .with_hint("byt namn på mappen eller filen: namnen blir webbadresser"),
            );
        }
        match parts.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
            [slug, "forbund.yaml"] => files.push((path.to_path_buf(), FileKind::Profile(slug.to_string()))),
            [slug, "protokoll", f] if f.ends_with(".md") => {
                files.push((path.to_path_buf(), FileKind::Protocol(slug.to_string())))
            }
            // Originals and annexes: published when a protocol names them (or shares the name).
            [_, "protokoll", f] if f.to_lowercase().ends_with(".pdf") => pdfs.push(path.to_path_buf()),
            [slug, "planer", f] if f.ends_with(".md") => files.push((path.to_path_buf(), FileKind::Plan(slug.to_string()))),
            _ => diagnostics.push(
                Diagnostic::error("okand-fil", path, Pos::default(), "filen ligger inte där arkivet väntar sig innehåll")
                    .with_hint("content/<förbund>/forbund.yaml, content/<förbund>/protokoll/ÅÅÅÅ-MM-DD.md eller content/<förbund>/planer/ÅÅÅÅ.md")
                    .with_severity(Severity::Varning),
            ),
        }
    }

    let parsed: Vec<FileResult> = files
        .par_iter()
        .map(|(path, kind)| load_file(path, kind, policy, cache))
        .collect();

    let mut forbund: BTreeMap<String, Forbund> = BTreeMap::new();
    let mut protocols: Vec<(String, Protocol)> = Vec::new();
    let mut plans: Vec<(String, Plan)> = Vec::new();
    let mut profiles_seen: BTreeMap<String, bool> = BTreeMap::new();
    for FileResult { parsed, errors } in parsed {
        diagnostics.extend(errors);
        match parsed {
            Parsed::Profile(slug, f) => {
                profiles_seen.insert(slug.clone(), true);
                if let Some(f) = f {
                    forbund.insert(slug, *f);
                }
            }
            Parsed::Protocol(slug, Some(p)) => protocols.push((slug, *p)),
            Parsed::Plan(slug, Some(p)) => plans.push((slug, *p)),
            _ => {}
        }
    }
    for (slug, f) in &forbund {
        if !is_slug(slug) || RESERVED_SLUGS.contains(&slug.as_str()) {
            diagnostics.push(
                Diagnostic::error(
                    "slug",
                    &f.source,
                    Pos { line: 1, column: 1 },
                    format!("mappnamnet `{slug}` kan inte vara en förbundsadress"),
                )
                .with_hint(format!(
                    "använd små bokstäver a–z, siffror och bindestreck; upptagna namn: {}",
                    RESERVED_SLUGS.join(", ")
                )),
            );
        }
    }
    diagnostics.extend(attachment_findings(&protocols, &pdfs, policy));
    let mut attach_errors = Vec::new();
    for (slug, p) in protocols {
        match forbund.get_mut(&slug) {
            Some(f) => f.protocols.push(p),
            None if !profiles_seen.contains_key(&slug) => {
                attach_errors.push(unknown_forbund(&p.source, &slug))
            }
            None => {}
        }
    }
    for (slug, p) in plans {
        match forbund.get_mut(&slug) {
            Some(f) => f.plans.push(p),
            None if !profiles_seen.contains_key(&slug) => {
                attach_errors.push(unknown_forbund(&p.source, &slug))
            }
            None => {}
        }
    }
    diagnostics.extend(attach_errors);
    for f in forbund.values_mut() {
        f.protocols.sort_by(|a, b| {
            b.date
                .value
                .cmp(&a.date.value)
                .then_with(|| a.id.cmp(&b.id))
        });
        f.plans.sort_by(|a, b| {
            b.year
                .value
                .cmp(&a.year.value)
                .then_with(|| a.id.cmp(&b.id))
        });
    }
    crate::diagnostics::sort(&mut diagnostics);
    Loaded {
        archive: Archive {
            forbund: forbund.into_values().collect(),
        },
        diagnostics,
    }
}

/// The rule of a PDF whose text could not be read for the guard: a warning, an error with
/// `strikt`.
pub const PDF_UNREAD: &str = "pdf-olast";

/// The privacy guard over the published PDFs, and a note for a PDF no protocol publishes.
fn attachment_findings(
    protocols: &[(String, Protocol)],
    pdfs: &[PathBuf],
    policy: &crate::privacy::Policy,
) -> Vec<Diagnostic> {
    let named: Vec<&Attachment> = protocols.iter().flat_map(|(_, p)| &p.attachments).collect();
    let mut out: Vec<Diagnostic> = pdfs
        .iter()
        .filter(|f| !named.iter().any(|a| &a.path == *f))
        .map(|f| {
            Diagnostic::error(
                "okand-fil",
                f,
                Pos::default(),
                "PDF-filen hör inte till något protokoll och publiceras inte",
            )
            .with_hint("döp den som protokollet (ÅÅÅÅ-MM-DD.pdf) eller ange den under `original:` eller `bilagor:`")
            .with_severity(Severity::Varning)
        })
        .collect();
    let mut seen = std::collections::BTreeSet::new();
    let unique: Vec<&Attachment> = named
        .into_iter()
        .filter(|a| seen.insert(a.path.clone()))
        .collect();
    out.par_extend(
        unique
            .par_iter()
            .flat_map_iter(|a| pdf_findings(&a.path, policy)),
    );
    out
}

/// The guard over the text of one PDF: a finding names the page and the line of the text.
pub fn pdf_findings(pdf: &Path, policy: &crate::privacy::Policy) -> Vec<Diagnostic> {
    let extracted = match crate::extract::Extractor::default().extract(pdf) {
        Ok(e) => e,
        Err(e) => {
            return vec![
                Diagnostic::error(
                    PDF_UNREAD,
                    pdf,
                    Pos::default(),
                    format!("integritetskontrollen kunde inte läsa texten i PDF-filen: {e}"),
                )
                .with_hint("kontrollera filen själv innan den publiceras; med `strikt = true` stoppar detta bygget")
                .with_severity(Severity::Varning),
            ];
        }
    };
    let text = normalize_newlines(&extracted.text).into_owned();
    privacy_diagnostics(crate::privacy::scan(&text, policy), pdf)
        .into_iter()
        .map(|mut d| {
            // pdftotext separates pages with form feeds: the page and its line are what a
            // webmaster can find in the PDF.
            let (mut page, mut line_on_page) = (1, 0);
            for l in text.lines().take(d.line) {
                let feeds = l.matches('\u{c}').count();
                if feeds > 0 {
                    page += feeds;
                    line_on_page = 1;
                } else {
                    line_on_page += 1;
                }
            }
            d.message = format!(
                "sidan {page}, rad {line_on_page}: {}",
                d.message.replacen("filen", "PDF-texten", 1)
            );
            d.line = 0;
            d.column = 0;
            d
        })
        .collect()
}

/// The privacy guard over one content file: personal data is reported where it is written.
pub fn privacy_findings(
    text: &str,
    file: &Path,
    policy: &crate::privacy::Policy,
) -> Vec<Diagnostic> {
    privacy_diagnostics(crate::privacy::scan(text, policy), file)
}

/// The guard's findings in a file a webmaster writes, as diagnostics at their line and column.
pub fn privacy_diagnostics(found: Vec<crate::privacy::Finding>, file: &Path) -> Vec<Diagnostic> {
    found
        .into_iter()
        .map(|f| {
            let d = Diagnostic::error(
                f.kind.rule_id(),
                file,
                Pos { line: f.line, column: f.column },
                format!("filen innehåller {} ({})", f.kind.describe(), f.shown),
            );
            if f.kind.blocks_publication() {
                d.with_hint("ta bort uppgiften: personnummer, samordningsnummer, signaturdata och IP-adresser får aldrig publiceras")
            } else {
                d.with_severity(Severity::Varning).with_hint(
                    "publicera bara funktionsadresser och tjänstenummer; godkänn en adress under [integritet] i site.toml",
                )
            }
        })
        .collect()
}

fn unknown_forbund(file: &Path, slug: &str) -> Diagnostic {
    Diagnostic::error(
        "okant-forbund",
        file,
        Pos { line: 1, column: 1 },
        format!("okänt förbund `{slug}`: content/{slug}/forbund.yaml saknas"),
    )
    .with_hint("varje förbund behöver en profil forbund.yaml i sin mapp")
}

/// The names serde lists after a mistake ("`, expected one of `a`, `b`"), without the lead.
fn expected_names(tail: &str) -> Vec<&str> {
    tail.trim_start_matches(',')
        .trim()
        .trim_start_matches("expected one of")
        .trim_start_matches("expected")
        .split(',')
        .map(|k| k.trim().trim_matches('`'))
        .filter(|k| !k.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_one_based_in_characters() {
        assert_eq!(position_of("ab\nåäö x", 10), Pos { line: 2, column: 5 });
    }

    #[test]
    fn a_lone_carriage_return_is_a_line_break_like_everywhere_else() {
        // Found by the fuzzer: the YAML parser counts a lone `\r` as a line break and the loader
        // did not, so a YAML error in such a file was reported below its last line, and a file
        // with old Mac line endings did not even start with `---`.
        let lf =
            "---\norgan: Styrelsen\ndatum: 2025-03-11\n---\n## § 1 Öppnande\nText.\n## § 2 Slut\n";
        let path = Path::new("content/x/protokoll/2025-03-11.md");
        for text in [lf.replace('\n', "\r"), lf.replace('\n', "\r\n")] {
            let mut errors = Vec::new();
            let p = parse_protocol(&text, path, &mut errors).expect("parses");
            assert!(errors.is_empty(), "{errors:?}");
            let found: Vec<(u32, usize)> = p
                .paragraphs
                .iter()
                .map(|p| (p.number, p.pos.line))
                .collect();
            assert_eq!(found, vec![(1, 5), (2, 7)], "{text:?}");
        }
        // A YAML error after a run of carriage returns is on a line of the file.
        let text = format!(
            "---\norgan: S\ndatum: {}2025-03-11\n---\n## § 1 A\n",
            "\r".repeat(20)
        );
        let mut errors = Vec::new();
        parse_protocol(&text, path, &mut errors);
        let lines = normalize_newlines(&text).lines().count();
        assert!(!errors.is_empty());
        for e in &errors {
            assert!(e.line <= lines, "line {} of {lines}: {e:?}", e.line);
        }
        assert_eq!(errors[0].line, 23, "{errors:?}");
    }

    #[test]
    fn ranges() {
        assert_eq!(parse_ranges("§§ 12–27"), Some(vec![(12, 27)]));
        assert_eq!(parse_ranges("1-3, 5"), Some(vec![(1, 3), (5, 5)]));
        assert_eq!(parse_ranges("27-12"), None);
        assert_eq!(parse_ranges("tolv"), None);
    }

    #[test]
    fn protocol_file_names() {
        assert!(protocol_stem_date("2025-03-11").is_some());
        assert!(protocol_stem_date("2025-03-11-revisorerna").is_some());
        assert!(protocol_stem_date("2025-02-30").is_none());
        assert!(protocol_stem_date("2025-03-11-Revisorerna").is_none());
        assert!(protocol_stem_date("protokoll").is_none());
    }

    #[test]
    fn misspelt_key_gets_a_suggestion_and_the_right_line() {
        let mut errors = Vec::new();
        let text =
            "---\norgan: Styrelsen\ndatum: 2025-03-11\nförvaringsplats: Åstorp\n---\n## § 1 A\n";
        let p = parse_protocol(
            text,
            Path::new("content/x/protokoll/2025-03-11.md"),
            &mut errors,
        );
        assert!(p.is_none());
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(errors[0].line, 4, "{errors:?}");
        assert!(
            errors[0]
                .hint
                .as_deref()
                .unwrap_or("")
                .contains("forvaringsplats"),
            "{errors:?}"
        );
    }

    #[test]
    fn several_mistakes_in_one_file_are_all_reported() {
        let mut errors = Vec::new();
        let text = "---\norgan: Styrelsen\ndatum: 2025-03-12\ntid:\n  start: \"25:00\"\njustering:\n  datum: 2025-13-01\n---\n## § 1 A\n## § 1 B\n";
        parse_protocol(text, Path::new("2025-03-11.md"), &mut errors);
        let lines: Vec<(usize, &str)> = errors.iter().map(|e| (e.line, e.code.as_str())).collect();
        assert_eq!(
            lines,
            vec![
                (3, "datum"),
                (5, "tid"),
                (7, "datum"),
                (10, "paragraf-dubblett")
            ],
            "{errors:?}"
        );
    }
}
