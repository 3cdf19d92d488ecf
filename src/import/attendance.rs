//! Attendance lists: the lines under "Beslutande", "Ersättare", "Övriga närvarande" … read into
//! people. The rule is to refuse rather than guess: a line becomes people only when every piece
//! of it has the shape of a name, a role or an organisation; anything else is returned as unsure
//! with its line, and never written as a person.
//!
//! Shapes read: "Namn, roll [och uppdrag], Organisation"; "Namn (S)"; "Namn (S) ordförande";
//! several people on one line ("A (S), B (M) och C (C)", "A, ordförande, B, ledamot"); the
//! columns of `pdftotext -layout` ("Namn     roll     Organisation"). Annotations — "(deltog ej i
//! mötet)", "från kansliet", "ej tjänstgörande", "ersätter X (S)", "§ 3-5", "kl 14.00-15.00" —
//! are taken off the person and reported.

use super::header::PersonDraft;
use super::lines::squash;
use regex::Regex;
use std::sync::LazyLock;

/// One person read from a line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub person: PersonDraft,
    pub line: usize,
    /// No role on the line: the label's default role was used.
    pub defaulted: bool,
    /// Annotations taken off the line ("deltog ej i mötet").
    pub notes: Vec<String>,
    /// A presence column of a table: `X` present (`Some(true)`), `-` or "Anmält förhinder"
    /// absent (`Some(false)`).
    pub present: Option<bool>,
}

/// A line that was not read as people, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused {
    pub text: String,
    pub line: usize,
    pub why: String,
}

static PARTY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\(\s*([A-ZÅÄÖa-zåäö]{1,4})\s*\)").expect("static regex"));
static PAREN: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\(([^)]*)\)").expect("static regex"));
/// Annotations that say something about a person's attendance, not who they are.
static ANNOTATION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:(?:närvarande\s+)?§§?\s*\d+(?:\s*[-–]\s*\d+)?(?:\s*(?:,|och)\s*\d+(?:\s*[-–]\s*\d+)?)*|\b(?:från kansliet|ej tjänstgörande|deltog ej[^,;()]*|deltar ej[^,;()]*|via (?:teams|zoom|länk)|på distans|digitalt|(?:ersätter|tjg för|tjänstgör för|i stället för)\s+\p{Lu}[\p{L}-]+(?:\s+\p{Lu}[\p{L}-]+)*(?:\s*\([A-ZÅÄÖa-zåäö]{1,4}\))?|(?:från\s+|till\s+)?kl\.?\s*\d{1,2}(?:[.:]\d{2})?(?:\s*[-–]\s*\d{1,2}(?:[.:]\d{2})?)?))")
        .expect("static regex")
});
/// "Tilda Ek (S) för Ulf Myr (S)": whom a substitute replaces, right after the party.
static FOR_AFTER_PARTY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(\([A-ZÅÄÖa-zåäö]{1,4}\))\s+(för\s+\p{Lu}[\p{L}-]+(?:\s+\p{Lu}[\p{L}-]+)+(?:\s*\([A-ZÅÄÖa-zåäö]{1,4}\))?)")
        .expect("static regex")
});

/// "Ordförande Rebecka Sjö (M), …": the role written before the name.
static ROLE_FIRST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^((?i:vice ordförande|ordförande|ordf\.|sekreterare|ledamot|tjänstgörande ersättare|ersättare))\s+(\p{Lu}[\p{Ll}'’-]+(?:\s+\p{Lu}[\p{Ll}'’-]+){1,3})(\s*\([A-ZÅÄÖa-zåäö]{1,4}\))?(.*)$")
        .expect("static regex")
});

/// "Ordförande Rebecka Sjö (M), Oskar Lindahl (KD)" → "Rebecka Sjö (M), ordförande, Oskar
/// Lindahl (KD)": the usual order, when what follows the role is a name.
fn role_first(line: &str) -> Option<String> {
    let c = ROLE_FIRST.captures(line)?;
    let name = &c[2];
    if !name_like(name) {
        return None;
    }
    let party = c.get(3).map_or("", |m| m.as_str());
    Some(format!("{name}{party}, {}{}", c[1].to_lowercase(), &c[4]))
}

/// "tjänstgörande ersättare för Lars Vik (S)": the role stays, whom they replace is an annotation.
static SERVING_FOR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"((?i:tjänstgörande ersättare|tjg\.?\s*ers\.?|ersättare))\s+(för\s+\p{Lu}[\p{L}-]+(?:\s+\p{Lu}[\p{L}-]+)*(?:\s*\([A-ZÅÄÖa-zåäö]{1,4}\))?)")
        .expect("static regex")
});
static NAME_WORD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:\p{Lu}[\p{Ll}'’]+(?:-\p{Lu}?[\p{Ll}'’]+)*|von|af|de|van|der|da|el|bin|al)$")
        .expect("static regex")
});

/// Words that name a role or a label, never a person: a line starting with one is a label.
const ROLE_WORDS: &[&str] = &[
    "ordförande",
    "ordf",
    "vice",
    "sekreterare",
    "ledamot",
    "ledamöter",
    "ersättare",
    "tjänstgörande",
    "närvarande",
    "beslutande",
    "övriga",
    "tjänstemän",
    "förbundschef",
    "justerare",
    "justerande",
    "adjungerad",
    "adjungerade",
    "frånvarande",
    "protokollförare",
    "kansliet",
    "revisor",
    "revisorer",
    "kommunrepresentanter",
    "se",
];

/// Words that mark an organisation rather than a person.
fn organisation_like(s: &str) -> bool {
    let lower = s.to_lowercase();
    let first = s.split_whitespace().next().unwrap_or("");
    lower.ends_with("kommun")
        || lower.ends_with("kommuns")
        || lower.ends_with("stad")
        || lower.ends_with("kassan")
        || lower.ends_with("förmedlingen")
        || lower.ends_with("förbundet")
        || lower.ends_with("förbund")
        || lower.contains("landsting")
        || lower.contains(" ab")
        || ["Region", "Regionen", "Landstinget", "Kommunen"].contains(&first)
}

/// A person's name: two to five capitalised words (particles like "von" allowed), no role word.
pub fn name_like(s: &str) -> bool {
    let words: Vec<&str> = s.split_whitespace().collect();
    (2..=5).contains(&words.len())
        && words.iter().all(|w| NAME_WORD.is_match(w))
        && words
            .first()
            .is_some_and(|w| w.starts_with(|c: char| c.is_uppercase()))
        && !words
            .iter()
            .any(|w| ROLE_WORDS.contains(&w.to_lowercase().as_str()))
        && !organisation_like(s)
}

/// Whether a line is a label (a heading inside the list), not people: it ends with a colon, or
/// it starts with a role word and holds no name.
pub fn is_label_line(s: &str) -> bool {
    let t = squash(s);
    let t = t.trim();
    if t.ends_with(':') {
        return true;
    }
    let first = t.split([' ', ',', ':']).next().unwrap_or("").to_lowercase();
    ROLE_WORDS.contains(&first.as_str())
}

/// Takes the annotations off a piece of text.
fn take_annotations(text: &str, notes: &mut Vec<String>) -> String {
    let text = &SERVING_FOR
        .replace_all(text, |c: &regex::Captures<'_>| {
            notes.push(squash(&c[2]));
            c[1].to_string()
        })
        .into_owned();
    let text = &FOR_AFTER_PARTY
        .replace_all(text, |c: &regex::Captures<'_>| {
            notes.push(squash(&c[2]));
            c[1].to_string()
        })
        .into_owned();
    let mut out = String::new();
    let mut last = 0;
    for m in ANNOTATION.find_iter(text) {
        out.push_str(&text[last..m.start()]);
        notes.push(squash(m.as_str()));
        last = m.end();
    }
    out.push_str(&text[last..]);
    // A parenthesis that is no party ("(deltog ej i mötet)" is already gone) is an annotation.
    let mut cleaned = String::new();
    let mut last = 0;
    for c in PAREN.captures_iter(&out) {
        let Some(m) = c.get(0) else { continue };
        let inner = c[1].trim();
        let party = PARTY.is_match(m.as_str());
        cleaned.push_str(&out[last..m.start()]);
        if party {
            cleaned.push_str(m.as_str());
        } else if !inner.is_empty() {
            notes.push(inner.to_string());
        }
        last = m.end();
    }
    cleaned.push_str(&out[last..]);
    cleaned
        .replace("()", "")
        .split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join(", ")
}

/// "Anna Berg (S) ordförande" → ("Anna Berg", Some("S"), "ordförande").
fn name_party_rest(piece: &str) -> (String, Option<String>, String) {
    match PARTY.captures(piece) {
        Some(c) => {
            let Some(m) = c.get(0) else {
                return (piece.trim().to_string(), None, String::new());
            };
            (
                squash(&piece[..m.start()]),
                Some(c[1].to_uppercase()),
                squash(&piece[m.end()..]),
            )
        }
        None => (squash(piece), None, String::new()),
    }
}

/// The columns of a `pdftotext -layout` line, separated by three or more spaces or a tab, joined
/// as the comma list the rest of the reader knows.
fn columns_as_commas(line: &str) -> String {
    static GAP: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"\s{3,}|\t+").expect("static regex"));
    let mut cols: Vec<&str> = GAP
        .split(line.trim())
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .collect();
    // A table whose first column is the member's kommun or organisation ("Östby      Håkan
    // Norén (C)"): one capitalised word, then a name; it goes last, where an organisation stands.
    if cols.len() >= 2
        && !cols[0].contains(' ')
        && cols[0].starts_with(|c: char| c.is_uppercase())
        && !ROLE_WORDS.contains(&cols[0].to_lowercase().as_str())
        && name_like(&name_party_rest(cols[1].split(',').next().unwrap_or("")).0)
    {
        let first = cols.remove(0);
        cols.push(first);
    }
    cols.join(", ")
}

/// Reads one (joined) line into people, or refuses it.
fn read_line(raw: &str, line: usize, default_role: &str) -> Result<Vec<Entry>, Refused> {
    let refuse = |why: &str| Refused {
        text: squash(raw),
        line,
        why: why.to_string(),
    };
    let mut notes = Vec::new();
    let text = take_annotations(&columns_as_commas(raw), &mut notes);
    let text = text.trim_end_matches(['.', ';']).to_string();
    // "A (S), B (M) och C (C)": "och" between people is a comma; "ledamot och Ordförande" stays.
    let text = and_between_people(&text);
    let pieces: Vec<&str> = text
        .split([',', ';'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    if pieces.is_empty() {
        return Err(refuse("raden har inget namn"));
    }
    let mut out: Vec<Entry> = Vec::new();
    for piece in pieces {
        let (name, party, rest) = name_party_rest(piece);
        let lower_start = piece.starts_with(|c: char| c.is_lowercase());
        if name_like(&name) && (party.is_some() || !lower_start) {
            // "Sigrid Ahl (M) ledamot Olle Brink (S)": two people without a separator.
            if PARTY.is_match(&rest) || has_name_inside(&format!("- {rest}")) {
                return Err(refuse(
                    "flera personer utan skiljetecken på samma rad: ingen gissning",
                ));
            }
            let (role, assignment) = split_role(&rest);
            out.push(Entry {
                person: PersonDraft {
                    name,
                    role: role.unwrap_or_default(),
                    assignment,
                    organisation: None,
                    party,
                },
                line,
                defaulted: false,
                notes: Vec::new(),
                present: None,
            });
            continue;
        }
        let Some(cur) = out.last_mut() else {
            return Err(refuse(
                "raden börjar inte med ett namn (förnamn efternamn): ingen person lades in",
            ));
        };
        // The piece after the name is the role, in whatever case it was written, unless it is
        // plainly an organisation ("Anna Ek, Försäkringskassan").
        if PARTY
            .find(piece)
            .is_some_and(|m| m.as_str().len() == piece.len())
        {
            // "Anders Gran, (S), Kustby": the party as a piece of its own.
            if cur.person.party.is_none() {
                cur.person.party = name_party_rest(piece).1;
                continue;
            }
            return Err(refuse("två partibeteckningar för en person"));
        }
        // "Hedby kommun Mona Fjäll" (a flattened list): the last person's organisation, then the
        // next person — only when the piece splits so in exactly one way.
        if let Some((org, name)) = organisation_then_name(piece)
            && cur.person.organisation.is_none()
        {
            cur.person.organisation = Some(org);
            let (name, party, _) = name_party_rest(&name);
            out.push(Entry {
                person: PersonDraft {
                    name,
                    role: String::new(),
                    assignment: None,
                    organisation: None,
                    party,
                },
                line,
                defaulted: false,
                notes: Vec::new(),
                present: None,
            });
            continue;
        }
        let role_slot = cur.person.role.is_empty()
            && cur.person.organisation.is_none()
            && !organisation_like(piece)
            && role_stem(piece);
        if lower_start || role_slot {
            // "ordförande Bo Ek (M)": a role followed by another name is a merged line.
            if PARTY.is_match(piece) || has_name_inside(piece) {
                return Err(refuse(
                    "flera personer utan skiljetecken på samma rad: ingen gissning",
                ));
            }
            let (role, assignment) = split_role(piece);
            if cur.person.role.is_empty() {
                cur.person.role = role.unwrap_or_default();
                cur.person.assignment = assignment;
            } else if cur.person.assignment.is_none() {
                cur.person.assignment = role;
            } else {
                return Err(refuse("för många roller för en person"));
            }
        } else if piece.starts_with(|c: char| c.is_uppercase())
            && !name_like(&name)
            && !has_name_inside(piece)
        {
            // "Socialnämnden, Ystads kommun": an organisation may have commas of its own.
            cur.person.organisation = Some(match cur.person.organisation.take() {
                Some(o) => format!("{o}, {}", squash(piece)),
                None => squash(piece),
            });
        } else {
            return Err(refuse(
                "en del av raden är varken namn, roll eller organisation",
            ));
        }
    }
    for e in &mut out {
        if e.person.role.is_empty() {
            e.person.role = default_role.to_string();
            e.defaulted = true;
        }
    }
    if let Some(first) = out.first_mut() {
        first.notes = notes;
    }
    Ok(out)
}

/// Roles are common nouns; a capitalised piece is a role only when it names one
/// ("Ordförande", "Kommunstyrelsens Ordförande", "Oppositionsråd"), otherwise it is a place or
/// an organisation ("Kustby").
fn role_stem(piece: &str) -> bool {
    const STEMS: &[&str] = &[
        "ordförande",
        "ledamot",
        "ersättare",
        "råd",
        "sekreterare",
        "chef",
        "direktör",
        "samordnare",
        "handläggare",
        "ekonom",
        "controller",
        "strateg",
        "representant",
        "revisor",
        "tjänsteman",
        "ordf",
        "adjungerad",
        "suppleant",
        "justerare",
    ];
    let lower = piece.to_lowercase();
    piece.starts_with(|c: char| c.is_lowercase()) || STEMS.iter().any(|s| lower.contains(s))
}

/// Two capitalised words in a row after the first word ("ledamot Bo Ek").
/// "Hedby kommun Mona Fjäll" → ("Hedby kommun", "Mona Fjäll"): an organisation followed by a
/// name, when exactly one split gives both ("Region Västra Götaland Anna Berg" could also be
/// "Region Västra" + "Götaland Anna Berg": no split).
fn organisation_then_name(piece: &str) -> Option<(String, String)> {
    let (bare, party, rest) = name_party_rest(piece);
    if !rest.trim().is_empty() {
        return None;
    }
    let words: Vec<&str> = bare.split_whitespace().collect();
    let splits: Vec<usize> = (1..words.len())
        .filter(|&k| {
            // "Region" alone is the start of a name ("Region Västerbyn"), not an organisation.
            let generic = k == 1 && ["Region", "Regionen", "Landstinget"].contains(&words[0]);
            !generic && organisation_like(&words[..k].join(" ")) && name_like(&words[k..].join(" "))
        })
        .collect();
    let [k] = splits[..] else {
        return None;
    };
    let name = match party {
        Some(p) => format!("{} ({p})", words[k..].join(" ")),
        None => words[k..].join(" "),
    };
    Some((words[..k].join(" "), name))
}

fn has_name_inside(piece: &str) -> bool {
    let words: Vec<&str> = piece.split_whitespace().skip(1).collect();
    words
        .windows(2)
        .any(|w| name_like(&format!("{} {}", w[0], w[1])))
}

fn and_between_people(text: &str) -> String {
    static AND: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"\s+(?:och|samt)\s+").expect("static regex"));
    let mut out = String::new();
    let mut last = 0;
    for m in AND.find_iter(text) {
        let next = text[m.end()..].split([',', ';']).next().unwrap_or("");
        let (name, _, _) = name_party_rest(next);
        out.push_str(&text[last..m.start()]);
        out.push_str(if name_like(&name) { ", " } else { m.as_str() });
        last = m.end();
    }
    out.push_str(&text[last..]);
    out
}

/// "ledamot och vice ordförande" → role and assignment; roles are lower case.
fn split_role(s: &str) -> (Option<String>, Option<String>) {
    let r = squash(s).to_lowercase();
    if r.is_empty() {
        return (None, None);
    }
    // "kultur- och fritidschef" is one role: the "och" joins the halves of a compound.
    match r.split_once(" och ") {
        Some((a, b)) if !a.ends_with('-') => {
            (Some(a.trim().to_string()), Some(b.trim().to_string()))
        }
        _ => (Some(r), None),
    }
}

/// The last layout column of a table row as a presence mark: `X` (maybe with a note after a
/// comma: "X, tjänstgör för David Hök") or `-`/"Anmält förhinder". Returns the row without it.
fn presence_column(line: &str) -> Option<(String, bool)> {
    static GAP: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"\s{3,}|\t+").expect("static regex"));
    let cols: Vec<&str> = GAP
        .split(line.trim())
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .collect();
    let (last, rest) = cols.split_last()?;
    if rest.is_empty() {
        return None;
    }
    let lower = last.to_lowercase();
    // "X, tjänstgör för …" or "X (tjänstgör för …)": the mark, then a note.
    let split = lower.find([',', '(']);
    let (mark, note) = match split {
        Some(at) => (
            lower[..at].trim().to_string(),
            Some(last[at..].trim_matches([',', '(', ')', ' '])),
        ),
        None => (lower.trim().to_string(), None),
    };
    let present = match mark.as_str() {
        "x" | "✓" | "✔" | "ja" => true,
        "-" | "–" | "nej" | "anmält förhinder" | "frånvarande" | "ej närvarande" => false,
        _ => return None,
    };
    let mut row = rest.join("     ");
    if let Some(n) = note.filter(|n| !n.is_empty()) {
        row.push_str(", ");
        row.push_str(n);
    }
    Some((row, present))
}

/// A column heading in the list ("Närvarande" above the marks): no person.
fn presence_heading(line: &str) -> bool {
    matches!(
        line.trim().trim_end_matches(':').to_lowercase().as_str(),
        "närvarande" | "närvaro" | "närv." | "närvarande (x)"
    )
}

/// Reads the value lines of one attendance field. A line starting in lower case goes on from the
/// line before; a label line is refused, never a person.
pub fn read(lines: &[(String, usize)], default_role: &str) -> (Vec<Entry>, Vec<Refused>) {
    let mut joined: Vec<(String, usize)> = Vec::new();
    for (t, no) in lines {
        // A list's bullet ("• ", "- ", "– ") is no part of the name.
        let t = t.trim();
        let t = t
            .strip_prefix(['•', '-', '–', '*', '·'])
            .filter(|rest| rest.starts_with([' ', '\t']))
            .unwrap_or(t)
            .trim();
        if t.is_empty() {
            continue;
        }
        match joined.last_mut() {
            Some(last) if t.starts_with(|c: char| c.is_lowercase()) && !is_label_line(t) => {
                last.0.push_str(", ");
                last.0.push_str(t);
            }
            _ => joined.push((t.to_string(), *no)),
        }
    }
    let mut people = Vec::new();
    let mut refused = Vec::new();
    let marked = joined.iter().any(|(t, _)| presence_column(t).is_some());
    for (t, no) in joined {
        if marked && presence_heading(&t) {
            continue;
        }
        let (t, present) = match presence_column(&t) {
            Some((row, p)) => (row, Some(p)),
            None => (t, None),
        };
        let t = role_first(&t).unwrap_or(t);
        if is_label_line(&t) {
            refused.push(Refused {
                text: squash(&t),
                line: no,
                why: "en rubrik eller roll, inte en person".into(),
            });
            continue;
        }
        match read_line(&t, no, default_role) {
            Ok(p) => people.extend(p.into_iter().map(|mut e| {
                e.present = present;
                e
            })),
            Err(r) => refused.push(r),
        }
    }
    (people, refused)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(lines: &[&str]) -> (Vec<String>, usize) {
        let input: Vec<(String, usize)> = lines
            .iter()
            .enumerate()
            .map(|(i, l)| (l.to_string(), i + 1))
            .collect();
        let (p, r) = read(&input, "ledamot");
        (p.into_iter().map(|e| e.person.name).collect(), r.len())
    }

    #[test]
    fn labels_and_roles_are_never_people() {
        assert_eq!(
            names(&["Närvarande ersättare:", "Ordförande", "Tove Lindqvist (V)"]),
            (vec!["Tove Lindqvist".to_string()], 2)
        );
    }

    #[test]
    fn several_people_on_a_line_are_split() {
        let (n, r) = names(&[
            "Kalle Ragnarsson, ordförande, Hedby kommun, Mona Fjäll, ledamot, Region Västerbyn",
        ]);
        assert_eq!(n, ["Kalle Ragnarsson", "Mona Fjäll"]);
        assert_eq!(r, 0);
        let (n, _) = names(&["Per Ås (S), Lena Bok (M) och Sven Dal (C)."]);
        assert_eq!(n, ["Per Ås", "Lena Bok", "Sven Dal"]);
    }

    #[test]
    fn a_serving_substitute_keeps_the_role_and_whom_they_replace_is_an_annotation() {
        let (people, refused) = read(
            &[(
                "Gunnel Frid (S), tjänstgörande ersättare för Lars Vik (S)".to_string(),
                4,
            )],
            "ledamot",
        );
        assert!(refused.is_empty(), "{refused:?}");
        assert_eq!(people.len(), 1);
        assert_eq!(people[0].person.name, "Gunnel Frid");
        assert_eq!(people[0].person.role, "tjänstgörande ersättare");
        assert_eq!(people[0].notes, vec!["för Lars Vik (S)".to_string()]);
    }

    #[test]
    fn a_kommun_column_before_the_name_and_whom_a_substitute_replaces() {
        let (people, refused) = read(
            &[
                ("Norrstrand      Bengt Alm (S), ordförande".to_string(), 4),
                (
                    "Östby           Irma Lönn (S) för Jan Sved (S)".to_string(),
                    5,
                ),
            ],
            "ledamot",
        );
        assert!(refused.is_empty(), "{refused:?}");
        assert_eq!(people.len(), 2);
        assert_eq!(people[0].person.name, "Bengt Alm");
        assert_eq!(people[0].person.organisation.as_deref(), Some("Norrstrand"));
        assert_eq!(people[1].person.name, "Irma Lönn");
        assert!(people[1].notes.contains(&"för Jan Sved (S)".to_string()));
    }

    #[test]
    fn a_flattened_list_of_name_role_organisation_is_split_where_it_is_unambiguous() {
        let line = "Kalle Ragnarsson, ledamot och ordförande, Hedby kommun Mona Fjäll, ledamot, Region Västerbyn Sigrid Ahl, ledamot, Försäkringskassan";
        let (people, refused) = read(&[(line.to_string(), 1)], "ledamot");
        assert!(refused.is_empty(), "{refused:?}");
        let got: Vec<(&str, Option<&str>)> = people
            .iter()
            .map(|p| (p.person.name.as_str(), p.person.organisation.as_deref()))
            .collect();
        assert_eq!(
            got,
            [
                ("Kalle Ragnarsson", Some("Hedby kommun")),
                ("Mona Fjäll", Some("Region Västerbyn")),
                ("Sigrid Ahl", Some("Försäkringskassan"))
            ]
        );
        // Two ways to split: refused, not guessed.
        let (people, refused) = read(
            &[(
                "Bo Ek, ledamot, Region Västra Götaland Anna Berg, ledamot".to_string(),
                2,
            )],
            "ledamot",
        );
        assert!(people.is_empty() && refused.len() == 1, "{people:?}");
    }

    #[test]
    fn a_presence_column_marks_who_attended() {
        let lines: Vec<(String, usize)> = [
            "Närvarande",
            "Anna Rimfrost, ordförande            X",
            "David Hök                            Anmält förhinder",
            "Eva Myr                              X, tjänstgör för David Hök",
            "Carl Berg        Region Åsen         -",
        ]
        .iter()
        .enumerate()
        .map(|(k, t)| (t.to_string(), k + 1))
        .collect();
        let (people, refused) = read(&lines, "ledamot");
        assert!(refused.is_empty(), "{refused:?}");
        let got: Vec<(&str, Option<bool>)> = people
            .iter()
            .map(|e| (e.person.name.as_str(), e.present))
            .collect();
        assert_eq!(
            got,
            [
                ("Anna Rimfrost", Some(true)),
                ("David Hök", Some(false)),
                ("Eva Myr", Some(true)),
                ("Carl Berg", Some(false))
            ]
        );
        assert_eq!(people[1].person.role, "ledamot");
        assert_eq!(
            people[3].person.organisation.as_deref(),
            Some("Region Åsen")
        );
    }

    #[test]
    fn a_compound_role_with_och_is_one_role() {
        let (people, _) = read(
            &[("Eva Dahlberg, kultur- och fritidschef".to_string(), 1)],
            "ledamot",
        );
        assert_eq!(people[0].person.role, "kultur- och fritidschef");
        assert_eq!(people[0].person.assignment, None);
    }

    #[test]
    fn a_role_before_the_name_is_read_as_the_role() {
        let (people, refused) = read(
            &[(
                "Ordförande Rebecka Sjö (M), Oskar Lindahl (KD), Tuula Niemi (S)".to_string(),
                2,
            )],
            "ledamot",
        );
        assert!(refused.is_empty(), "{refused:?}");
        let names: Vec<(&str, &str)> = people
            .iter()
            .map(|p| (p.person.name.as_str(), p.person.role.as_str()))
            .collect();
        assert_eq!(names[0], ("Rebecka Sjö", "ordförande"));
        assert_eq!(names.len(), 3, "{names:?}");
        // A role followed by no name stays a label.
        let (people, refused) = read(&[("Ordförande".to_string(), 3)], "ledamot");
        assert!(people.is_empty() && refused.len() == 1);
    }

    #[test]
    fn parties_and_annotations() {
        let input = vec![(
            "Elin Norrgård (M) ordförande (deltog ej i mötet)".to_string(),
            4,
        )];
        let (p, r) = read(&input, "ledamot");
        assert!(r.is_empty());
        assert_eq!(p[0].person.name, "Elin Norrgård");
        assert_eq!(p[0].person.party.as_deref(), Some("M"));
        assert_eq!(p[0].person.role, "ordförande");
        assert_eq!(p[0].notes, ["deltog ej i mötet"]);
        let input = vec![("Ove Rapp, ekonom, §§ 21-23".to_string(), 2)];
        let (p, r) = read(&input, "övrig");
        assert!(r.is_empty(), "{r:?}");
        assert_eq!(
            (p[0].person.role.as_str(), p[0].notes[0].as_str()),
            ("ekonom", "§§ 21-23")
        );
        let input = vec![("Olle Brink, förbundschef, från kansliet".to_string(), 1)];
        let (p, _) = read(&input, "övrig");
        assert_eq!(p[0].person.role, "förbundschef");
        assert_eq!(p[0].notes, ["från kansliet"]);
    }

    #[test]
    fn layout_columns_are_name_role_organisation() {
        let input = vec![(
            "Greta Solberg        ordförande        Försäkringskassan".to_string(),
            1,
        )];
        let (p, r) = read(&input, "ledamot");
        assert!(r.is_empty(), "{r:?}");
        assert_eq!(p[0].person.role, "ordförande");
        assert_eq!(
            p[0].person.organisation.as_deref(),
            Some("Försäkringskassan")
        );
    }

    #[test]
    fn an_unusual_line_is_refused_with_its_line() {
        let input = vec![("Se bifogad närvarolista".to_string(), 7)];
        let (p, r) = read(&input, "ledamot");
        assert!(p.is_empty());
        assert_eq!(r[0].line, 7);
    }
}
