//! The command line: `protokoll build`, `protokoll check`, …

use crate::build::{self, BuildOptions};
use crate::diagnostics::{self, Diagnostic, Severity};
use crate::sv::{antal, io_error};
use chrono::NaiveDate;
use clap::{Parser, Subcommand, ValueEnum};
use std::io::IsTerminal;
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "protokoll",
    version,
    about = "Bygger ett arkiv över samordningsförbunds protokoll, planer och anslag."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

/// The help layout of every command, with Swedish headings.
const HELP_TEMPLATE: &str =
    "{before-help}{about-with-newline}\nAnvändning: {usage}\n\n{all-args}{after-help}";

/// The command line with Swedish help: headings, the help and version flags, and no English
/// `help` subcommand. What clap still writes in English (usage placeholders, defaults, error
/// messages) is translated by [`swedish`].
pub fn command() -> clap::Command {
    use clap::CommandFactory;
    swedish_command(Cli::command())
        .disable_version_flag(true)
        .arg(
            clap::Arg::new("version")
                .short('V')
                .long("version")
                .action(clap::ArgAction::Version)
                .help("Visa versionen")
                .help_heading("Flaggor"),
        )
}

fn swedish_command(cmd: clap::Command) -> clap::Command {
    cmd.help_template(HELP_TEMPLATE)
        .subcommand_help_heading("Kommandon")
        .subcommand_value_name("KOMMANDO")
        .disable_help_subcommand(true)
        .disable_help_flag(true)
        .mut_args(|a| {
            let heading = if a.is_positional() {
                "Argument"
            } else {
                "Flaggor"
            };
            a.help_heading(heading)
        })
        .arg(
            clap::Arg::new("hjalp")
                .short('h')
                .long("help")
                .action(clap::ArgAction::Help)
                .help("Visa hjälpen")
                .help_heading("Flaggor"),
        )
        .mut_subcommands(swedish_command)
}

/// clap's remaining English, in Swedish: usage placeholders, defaults and its error messages.
pub fn swedish(text: &str) -> String {
    use regex::Regex;
    use std::sync::OnceLock;
    static RULES: OnceLock<Vec<(Regex, &'static str)>> = OnceLock::new();
    let rules = RULES.get_or_init(|| {
        [
            (r"(?m)^error: ", "fel: "),
            (
                r"unexpected argument '([^']*)' found",
                "okänt argument '$1'",
            ),
            (r"unrecognized subcommand '([^']*)'", "okänt kommando '$1'"),
            (
                r"a value is required for '([^']*)' but none was supplied",
                "'$1' behöver ett värde",
            ),
            (
                r"invalid value '([^']*)' for '([^']*)'",
                "ogiltigt värde '$1' för '$2'",
            ),
            (
                r"the following required arguments were not provided:",
                "de här argumenten saknas:",
            ),
            (
                r"the argument '([^']*)' cannot be used multiple times",
                "argumentet '$1' får bara anges en gång",
            ),
            (
                r"unexpected value '([^']*)' for '([^']*)' found; no more were expected",
                "värdet '$1' för '$2' är ett för mycket",
            ),
            (
                r"'([^']*)' requires a subcommand but one was not provided",
                "'$1' behöver ett kommando",
            ),
            (
                r"tip: a similar argument exists: '([^']*)'",
                "tips: menade du '$1'?",
            ),
            (
                r"tip: a similar subcommand exists: '([^']*)'",
                "tips: menade du '$1'?",
            ),
            (
                r"tip: some similar subcommands exist:",
                "tips: liknande kommandon finns:",
            ),
            (
                r"tip: to pass '([^']*)' as a value, use '([^']*)'",
                "tips: skriv '$2' för att ge '$1' som värde",
            ),
            (r"(?m)^\s*tip: ", "  tips: "),
            (r"\[possible values: ([^\]]*)\]", "[möjliga värden: $1]"),
            (r"possible values: ", "möjliga värden: "),
            (r"\[default: ([^\]]*)\]", "[standard: $1]"),
            (r"invalid digit found in string", "ogiltig siffra"),
            (
                r"number too large to fit in target type",
                "talet är för stort",
            ),
            (r"cannot parse integer from empty string", "tomt tal"),
            (
                r"For more information, try '([^']*)'\.",
                "Mer hjälp: skriv '$1'.",
            ),
            (r"\(see more with '([^']*)'\)", "(mer med '$1')"),
            (
                r"\(see a summary with '([^']*)'\)",
                "(en sammanfattning med '$1')",
            ),
            (r"Usage: ", "Användning: "),
            (r"\[OPTIONS\]", "[FLAGGOR]"),
            (r"<COMMAND>", "<KOMMANDO>"),
            (r"\[COMMAND\]", "[KOMMANDO]"),
        ]
        .into_iter()
        .map(|(re, to)| (Regex::new(re).expect("a valid pattern"), to))
        .collect()
    });
    rules.iter().fold(text.to_string(), |t, (re, to)| {
        re.replace_all(&t, *to).into_owned()
    })
}

/// Parses the process's arguments; help, version and mistakes are printed in Swedish, and the
/// exit code returned (0 for help and version, 2 for a mistake).
pub fn parse<I, T>(args: I) -> Result<Cli, i32>
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    use clap::FromArgMatches;
    let result = command()
        .try_get_matches_from(args)
        .and_then(|m| Cli::from_arg_matches(&m));
    match result {
        Ok(cli) => Ok(cli),
        Err(e) => {
            let text = swedish(&e.render().to_string());
            if e.use_stderr() {
                eprint!("{text}");
                Err(2)
            } else {
                print!("{text}");
                Err(0)
            }
        }
    }
}

/// `main`: parses the arguments and runs the command; returns the exit code.
pub fn main() -> i32 {
    match parse(std::env::args_os()) {
        Ok(cli) => run(cli),
        Err(code) => code,
    }
}

fn parse_day(s: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|_| format!("`{s}` är inget datum; skriv ÅÅÅÅ-MM-DD"))
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Bygg webbplatsen till utdatamappen (standard: public/).
    Build {
        /// Arkivets mapp, med site.toml och content/.
        #[arg(long, default_value = ".")]
        rot: PathBuf,
        /// Bygg som om det vore denna dag (ÅÅÅÅ-MM-DD); styr anslagstavlan.
        #[arg(long, value_parser = parse_day)]
        idag: Option<NaiveDate>,
        /// Utdatamapp; ersätter `utdata` i site.toml.
        #[arg(long)]
        utdata: Option<PathBuf>,
        /// Skriv också gzip- och Brotli-komprimerade kopior (.gz, .br) av varje textfil, för
        /// webbservrar som skickar färdigkomprimerade filer (se docs/deploy.md).
        #[arg(long)]
        forkomprimera: bool,
        /// Bygg allt på nytt utan att läsa byggcachen i .protokoll/ (den skrivs om).
        #[arg(long)]
        full: bool,
    },
    /// Generera ett syntetiskt arkiv för prestandamätning (small, national eller stress).
    Generate {
        /// Storlek: small (1 000 protokoll), national (10 000) eller stress (50 000).
        #[arg(long, default_value = "small")]
        storlek: String,
        /// Ett annat antal protokoll än storlekens (förbund och år som för storleken).
        #[arg(long)]
        protokoll: Option<usize>,
        /// Frö: samma frö ger byte för byte samma arkiv.
        #[arg(long, default_value_t = 2025)]
        seed: u64,
        /// Svensk ordlista, en rad per ord (Debians paket wswedish).
        #[arg(long, default_value = crate::generate::words::DEFAULT_WORD_LIST)]
        ordlista: PathBuf,
        /// Mapp att skriva arkivet till (får inte finnas eller måste vara tom).
        #[arg(long)]
        ut: PathBuf,
    },
    /// Förhandsvisa webbplatsen på 127.0.0.1: bygger om vid ändringar och laddar om sidorna.
    Serve {
        /// Arkivets mapp, med site.toml och content/.
        #[arg(long, default_value = ".")]
        rot: PathBuf,
        /// Port på 127.0.0.1 (0 väljer en ledig).
        #[arg(long, default_value_t = 8000)]
        port: u16,
        /// Bygg som om det vore denna dag (ÅÅÅÅ-MM-DD); standard: i dag i Sverige.
        #[arg(long, value_parser = parse_day)]
        idag: Option<NaiveDate>,
        /// Utdatamapp; ersätter `utdata` i site.toml.
        #[arg(long)]
        utdata: Option<PathBuf>,
    },
    /// Skapa ett nytt arkiv (site.toml, ett förbund och ett protokoll) som går att bygga direkt.
    Init {
        /// Mappen för det nya arkivet (standard: den aktuella mappen).
        #[arg(default_value = ".")]
        mapp: PathBuf,
    },
    /// Skapa en ny fil från en mall, t.ex. `protokoll new protokoll soderasen 2025-05-13`.
    New {
        #[command(subcommand)]
        what: NewCommand,
    },
    /// Kontrollera arkivet mot lagen utan att skriva något (se docs/check.md).
    ///
    /// Slutstatus: 0 utan fel, 1 om något fel hittades, 2 vid felaktigt kommando.
    Check {
        /// Arkivets mapp, med site.toml och content/.
        #[arg(long, default_value = ".")]
        rot: PathBuf,
        /// Kontrollera som om det vore denna dag (ÅÅÅÅ-MM-DD); standard: i dag i Sverige.
        #[arg(long, value_parser = parse_day)]
        idag: Option<NaiveDate>,
        /// Utdataformat: text för människor, json för program.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Sök i en byggd webbplats sökindex (se docs/search.md).
    Search {
        /// Sökfrågan: ord, "fraser", -ord att utesluta.
        fraga: String,
        /// Den byggda webbplatsens mapp (utdatamappen).
        #[arg(long, default_value = "public")]
        rot: PathBuf,
        /// Bara detta förbund (mappnamnet, t.ex. soderasen).
        #[arg(long)]
        forbund: Option<String>,
        /// Bara detta år.
        #[arg(long)]
        ar: Option<i32>,
        /// Bara protokoll eller planer (protokoll | plan).
        #[arg(long)]
        typ: Option<String>,
        /// Bara paragrafer med beslut.
        #[arg(long)]
        beslut: bool,
        /// Sammanträden från och med (ÅÅÅÅ-MM-DD).
        #[arg(long)]
        fran: Option<String>,
        /// Sammanträden till och med (ÅÅÅÅ-MM-DD).
        #[arg(long)]
        till: Option<String>,
        /// Antal träffar.
        #[arg(long, default_value_t = 10)]
        antal: usize,
        /// Tantivys frågespråk (AND, OR, fält som titel:budget).
        #[arg(long)]
        avancerad: bool,
        /// Svara med JSON (träffar, utdrag, facetter, antal).
        #[arg(long)]
        json: bool,
    },
    /// Importera protokoll och planer från PDF eller text till utkast (se docs/import.md).
    ///
    /// Varje fil ger ett utkast i innehållsformatet och ett avsnitt i granskningsrapporten.
    /// Slutstatus: 0 när alla filer importerades, 1 om någon fil inte gick, 2 vid felaktigt kommando.
    Import {
        /// PDF- eller textfiler, eller mappar med sådana filer.
        #[arg(required = true, value_name = "FIL eller MAPP")]
        filer: Vec<PathBuf>,
        /// Förbundets slug (mappnamnet under content/); annars känns förbundet igen på namnet.
        #[arg(long)]
        forbund: Option<String>,
        /// Arkivets content-mapp, dit utkasten skrivs.
        #[arg(long, default_value = "content")]
        ut: PathBuf,
        /// Granskningsrapporten (Markdown).
        #[arg(long, default_value = "importrapport.md")]
        rapport: PathBuf,
        /// Skriv över utkast som redan finns.
        #[arg(long)]
        skriv_over: bool,
        /// Största fil som läses, i MB.
        #[arg(long, default_value_t = 32)]
        max_storlek: u64,
        /// Längsta tid för att ta ut texten ur en PDF, i sekunder.
        #[arg(long, default_value_t = 60)]
        tidsgrans: u64,
    },
    /// Intern: tar ut texten ur en PDF med den inbyggda läsaren (körs som egen process av import).
    #[command(hide = true)]
    PdfText { fil: PathBuf },
    /// Intern: sökanalysen av varje rad på stdin, en JSON-lista med stammar per rad (jämförs med
    /// webbläsarens wasm-analys i tests/browser/parity.test.js).
    #[command(hide = true)]
    SokAnalys,
}

#[derive(Debug, Subcommand)]
pub enum NewCommand {
    /// Ett protokoll: content/<förbund>/protokoll/<datum>.md med förbundets medlemmar som
    /// platshållare för närvaron. Skriver aldrig över en befintlig fil.
    Protokoll {
        /// Förbundets mappnamn under content/, t.ex. soderasen.
        forbund: String,
        /// Mötesdatum ÅÅÅÅ-MM-DD, eventuellt följt av -organ (2025-05-13-revisorerna).
        datum: String,
        /// Arkivets mapp, med site.toml och content/.
        #[arg(long, default_value = ".")]
        rot: PathBuf,
    },
}

/// The output format of `protokoll check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
}

/// `protokoll check`: loads the archive, runs the rules, prints everything; returns the exit code.
fn run_check(root: PathBuf, today: Option<NaiveDate>, format: Format) -> i32 {
    use crate::check::{self, report};
    if !root.is_dir() {
        eprintln!("protokoll check: mappen `{}` finns inte", root.display());
        return report::EXIT_USAGE;
    }
    let today = today.unwrap_or_else(build::today_in_sweden);
    let (_, loaded) = build::load_site(&root);
    let findings = check::findings(&loaded.archive, today);
    let all = check::merge(loaded.diagnostics, findings);
    let summary = report::Summary::of(&all);
    match format {
        Format::Text => {
            let color = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
            let list: Vec<Diagnostic> = all.iter().map(|f| f.diagnostic.clone()).collect();
            print!("{}", diagnostics::render(&list, color));
            println!("{}", summary.line());
        }
        Format::Json => print!("{}", report::to_json(&all, today)),
    }
    summary.exit_code()
}

fn print_diagnostics(list: &[Diagnostic]) {
    if list.is_empty() {
        return;
    }
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    eprint!("{}", diagnostics::render(list, color));
}

fn count(list: &[Diagnostic], severity: Severity) -> usize {
    list.iter().filter(|d| d.severity == severity).count()
}

/// `protokoll import`: every file on its own; a report for all; returns the exit code.
#[allow(clippy::too_many_arguments)]
fn run_import(
    filer: Vec<PathBuf>,
    forbund: Option<String>,
    ut: PathBuf,
    rapport: PathBuf,
    skriv_over: bool,
    max_storlek: u64,
    tidsgrans: u64,
) -> i32 {
    use crate::import::{self, extract::Extractor};
    for f in &filer {
        if !f.exists() {
            eprintln!("protokoll import: `{}` finns inte", f.display());
            return 2;
        }
    }
    let options_forbund = forbund.clone();
    let options = import::Options {
        forbund,
        out: ut.clone(),
        overwrite: skriv_over,
        extractor: Extractor {
            max_bytes: max_storlek.saturating_mul(1024 * 1024),
            pdf_timeout: std::time::Duration::from_secs(tidsgrans.max(1)),
            // The pure Rust PDF reader runs in a child process of this same program, so that a
            // malformed file that makes it panic or loop cannot take the import down.
            helper: std::env::current_exe().ok(),
            ..Extractor::default()
        },
    };
    let extractor = options.extractor.clone();
    let progress = std::io::stderr().is_terminal()
        && std::env::var("CI").map_or(true, |v| v != "true" && v != "1");
    let (reports, skipped) = import::run(&filer, &options, progress);
    if reports.is_empty() {
        eprintln!("protokoll import: inga PDF- eller textfiler hittades");
        return 2;
    }
    let mut text = import::report::render(&reports);
    if !skipped.is_empty() {
        text.push_str("## Överhoppade filer\n\n");
        for s in &skipped {
            text.push_str(&format!("- {} (varken PDF eller text)\n", s.display()));
        }
    }
    if let Some(dir) = rapport.parent().filter(|d| !d.as_os_str().is_empty())
        && let Err(e) = std::fs::create_dir_all(dir)
    {
        eprintln!("kan inte skapa mappen {}: {}", dir.display(), io_error(&e));
        return 1;
    }
    if let Err(e) = std::fs::write(&rapport, text) {
        eprintln!(
            "kan inte skriva rapporten {}: {}",
            rapport.display(),
            io_error(&e)
        );
        return 1;
    }
    let mut failed = 0;
    let profiles = forbund_profiles(&ut);
    for r in &reports {
        match (&r.draft, &r.error) {
            (Some(d), _) => {
                // The source's own text: the draft no longer has the header that names the
                // förbund.
                if let Some(slug) = &options_forbund
                    && let Some(warning) = extractor
                        .extract(&r.source)
                        .ok()
                        .and_then(|x| forbund_contradiction(&x.text, slug, &profiles))
                {
                    eprintln!("varning: {}: {warning}", r.source.display());
                }
                let unsure = r.count(|s| matches!(s, import::report::Status::Unsure(_)));
                let missing = r.count(|s| matches!(s, import::report::Status::Missing(_)));
                let unread = r.count(|s| matches!(s, import::report::Status::NotRecognised(_)));
                println!(
                    "{} → {} ({}, {}, {missing} saknas, {})",
                    r.source.display(),
                    d.display(),
                    antal(unsure, "osäker", "osäkra"),
                    antal(unread, "inte igenkänd", "inte igenkända"),
                    antal(r.removals.len(), "borttagen", "borttagna")
                );
            }
            (None, Some(e)) => {
                failed += 1;
                eprintln!("fel: {}: {e}", r.source.display());
            }
            (None, None) => {}
        }
    }
    println!(
        "Importerade {} av {} till {}. Granska rapporten {} innan du kör `protokoll check`.",
        reports.len() - failed,
        antal(reports.len(), "fil", "filer"),
        ut.display(),
        rapport.display()
    );
    if failed > 0 { 1 } else { 0 }
}

/// The förbund profiles under the import's content folder: `(slug, name, short name)`.
fn forbund_profiles(content: &std::path::Path) -> Vec<(String, String, String)> {
    let Ok(entries) = std::fs::read_dir(content) else {
        return Vec::new();
    };
    let mut out: Vec<(String, String, String)> = entries
        .flatten()
        .filter_map(|e| {
            let slug = e.file_name().to_string_lossy().to_string();
            let path = e.path().join("forbund.yaml");
            let text = std::fs::read_to_string(&path).ok()?;
            let mut ignored = Vec::new();
            let f = crate::load::parse_forbund(&text, &path, &slug, &mut ignored)?;
            Some((slug, f.name, f.short_name))
        })
        .collect();
    out.sort();
    out
}

/// When `--forbund` names one förbund and the imported text names another (and not it): the
/// warning, with the name found. The importer files the draft where it was told; this says that
/// the text seems to belong elsewhere.
fn forbund_contradiction(
    text: &str,
    slug: &str,
    profiles: &[(String, String, String)],
) -> Option<String> {
    let lower = text.to_lowercase();
    let mentions = |name: &str| !name.trim().is_empty() && lower.contains(&name.to_lowercase());
    let given = profiles.iter().find(|(s, _, _)| s == slug);
    if let Some((_, name, short)) = given
        && (mentions(name) || mentions(short))
    {
        return None;
    }
    let given_name = given.map_or(slug, |(_, name, _)| name.as_str());
    let other = profiles
        .iter()
        .filter(|(s, _, _)| s != slug)
        .find(|(_, name, _)| mentions(name))
        .map(|(_, name, _)| name.clone())
        .or_else(|| {
            // A förbund the archive does not know yet, by the way they are named.
            let re = regex::Regex::new(
                r"\b([Ss]amordningsförbundet (?:i |för )?\p{Lu}[\p{L}-]+(?: \p{Lu}[\p{L}-]+)?|\p{Lu}[\p{L}-]+ [Ss]amordningsförbund)\b",
            )
            .ok()?;
            let found = re.find(text)?.as_str().to_string();
            // Only when the given förbund is known, so that its name's absence means something.
            given.is_some().then_some(found)
        })?;
    Some(format!(
        "texten nämner {other} men inte {given_name}; utkastet lades ändå under --forbund {slug}: kontrollera att det är rätt förbund"
    ))
}

/// The hidden `pdf-text` command: prints a PDF's text, or a one-line error, never a panic trace.
/// `protokoll sok-analys`: the query analysis of each line of stdin, one JSON list of stems a line.
fn run_sok_analys() -> i32 {
    use std::io::{BufRead, Write};
    let stdin = std::io::stdin();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for line in stdin.lock().lines() {
        let Ok(line) = line else {
            eprintln!("stdin är inte UTF-8");
            return 1;
        };
        let stems: Vec<String> = crate::search::analysis::query_tokens(&line)
            .into_iter()
            .map(|t| t.stem)
            .collect();
        let json = serde_json::to_string(&stems).unwrap_or_default();
        if writeln!(out, "{json}").is_err() {
            return 1;
        }
    }
    i32::from(out.flush().is_err())
}

fn run_pdf_text(file: PathBuf) -> i32 {
    std::panic::set_hook(Box::new(|_| {}));
    let bytes = match std::fs::read(&file) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("kan inte läsa filen: {}", io_error(&e));
            return 1;
        }
    };
    match crate::import::extract::pdf_text_in_process(&bytes) {
        Ok(text) => {
            use std::io::Write;
            let mut out = std::io::stdout().lock();
            if out.write_all(text.as_bytes()).is_err() {
                return 1;
            }
            0
        }
        Err(e) => {
            eprintln!("{e}");
            1
        }
    }
}

/// Runs the command; returns the process exit code.
pub fn run(cli: Cli) -> i32 {
    match cli.command {
        Command::Import {
            filer,
            forbund,
            ut,
            rapport,
            skriv_over,
            max_storlek,
            tidsgrans,
        } => run_import(
            filer,
            forbund,
            ut,
            rapport,
            skriv_over,
            max_storlek,
            tidsgrans,
        ),
        Command::PdfText { fil } => run_pdf_text(fil),
        Command::SokAnalys => run_sok_analys(),
        Command::Generate {
            storlek,
            protokoll,
            seed,
            ordlista,
            ut,
        } => {
            use crate::generate::{self, Size, words::WordList};
            let Some(mut size) = Size::named(&storlek) else {
                eprintln!("okänd storlek `{storlek}`: välj small, national eller stress");
                return 2;
            };
            if let Some(n) = protokoll {
                size.protocols = n;
            }
            let words = match WordList::read(&ordlista) {
                Ok(w) => w,
                Err(e) => {
                    eprintln!(
                        "kan inte läsa ordlistan {}: {}\n  tips: apt-get install wswedish",
                        ordlista.display(),
                        io_error(&e)
                    );
                    return 2;
                }
            };
            match generate::generate(size, seed, &words, &ut) {
                Ok(m) => {
                    println!(
                        "Genererat {} protokoll och {} för {} förbund i {} ({} planterade regelbrott, se planterade-fel.json).",
                        m.protokoll,
                        antal(m.planer, "plan", "planer"),
                        m.forbund,
                        ut.display(),
                        m.planterade_fel.len()
                    );
                    0
                }
                Err(e) => {
                    eprintln!("kan inte generera arkivet i {}: {e}", ut.display());
                    2
                }
            }
        }
        Command::Check { rot, idag, format } => run_check(rot, idag, format),
        Command::Search {
            fraga,
            rot,
            forbund,
            ar,
            typ,
            beslut,
            fran,
            till,
            antal,
            avancerad,
            json,
        } => {
            use crate::search::engine::{Engine, Filters, Request};
            let engine = match Engine::open(&rot) {
                Ok(e) => e,
                Err(e) => {
                    eprintln!("protokoll search: {e}");
                    return 2;
                }
            };
            let request = Request {
                text: fraga,
                advanced: avancerad,
                filters: Filters {
                    forbund,
                    year: ar,
                    kind: typ,
                    decisions_only: beslut,
                    from: fran,
                    to: till,
                },
                offset: 0,
                limit: antal,
            };
            match engine.search(&request) {
                Ok(r) if json => {
                    use std::io::Write;
                    // A closed pipe (`| head`) is not an error worth a panic.
                    let _ = writeln!(
                        std::io::stdout().lock(),
                        "{}",
                        serde_json::to_string_pretty(&r).unwrap_or_default()
                    );
                    0
                }
                Ok(r) => {
                    use std::io::Write;
                    let mut out = std::io::stdout().lock();
                    let _ = writeln!(out, "{}", r.status);
                    for (i, h) in r.hits.iter().enumerate() {
                        let _ = writeln!(
                            out,
                            "{:>2}. {} {} {} {} [{}]",
                            i + 1,
                            h.forbund_name,
                            h.date.as_deref().unwrap_or(""),
                            h.label,
                            if h.label == h.title { "" } else { &h.title },
                            h.id
                        );
                        let plain = h.excerpt.replace("<mark>", "*").replace("</mark>", "*");
                        let _ =
                            writeln!(out, "    {}", crate::search::engine::html_unescape(&plain));
                    }
                    0
                }
                Err(e) => {
                    eprintln!("protokoll search: {e}");
                    2
                }
            }
        }
        Command::Serve {
            rot,
            port,
            idag,
            utdata,
        } => {
            let options = crate::serve::ServeOptions {
                root: rot,
                port,
                today: idag,
                output: utdata,
            };
            match crate::serve::run(options) {
                Ok(()) => 0,
                Err(e) => {
                    eprintln!("protokoll serve: {e}");
                    2
                }
            }
        }
        Command::Init { mapp } => match crate::scaffold::init(&mapp, build::today_in_sweden()) {
            Ok(files) => {
                for f in &files {
                    println!("skapade {}", f.display());
                }
                let rot = if mapp == std::path::Path::new(".") {
                    String::new()
                } else {
                    format!(" --rot {}", mapp.display())
                };
                println!(
                    "Ett nytt arkiv finns i {}. Bygg det med `protokoll build{rot}` eller förhandsvisa med `protokoll serve{rot}`.",
                    mapp.display()
                );
                0
            }
            Err(e) => {
                eprintln!("protokoll init: {e}");
                1
            }
        },
        Command::New {
            what:
                NewCommand::Protokoll {
                    forbund,
                    datum,
                    rot,
                },
        } => match crate::scaffold::new_protocol(&rot, &forbund, &datum) {
            Ok(path) => {
                println!("skapade {}", path.display());
                0
            }
            Err(e) => {
                if let crate::scaffold::ScaffoldError::BadProfile(_, list) = &e {
                    print_diagnostics(list);
                }
                eprintln!("protokoll new: {e}");
                1
            }
        },
        Command::Build {
            rot,
            idag,
            utdata,
            forkomprimera,
            full,
        } => {
            let options = BuildOptions {
                root: rot,
                today: idag.unwrap_or_else(build::today_in_sweden),
                output: utdata,
                progress: true,
                precompress: forkomprimera,
                full,
            };
            match build::build(&options) {
                Ok(report) => {
                    print_diagnostics(&report.diagnostics);
                    println!(
                        "Byggt {} ({}, {} kB) av {} protokoll och {} till {}.",
                        antal(report.pages, "sida", "sidor"),
                        antal(report.files, "fil", "filer"),
                        report.bytes / 1024,
                        report.protocols,
                        antal(report.plans, "plan", "planer"),
                        report.output.display()
                    );
                    // What a deploy by rsync or object-store sync will send.
                    println!(
                        "I utdatamappen: {} filer skrivna, {} borttagna, {} orörda.",
                        report.synced.written, report.synced.removed, report.synced.kept
                    );
                    let errors = count(&report.checks, Severity::Fel);
                    let warnings = count(&report.checks, Severity::Varning);
                    let notes = count(&report.checks, Severity::Notis);
                    if errors + warnings + notes > 0 {
                        println!(
                            "Lagkontroller: {errors} fel, {}, {} (se `protokoll check`).",
                            antal(warnings, "varning", "varningar"),
                            antal(notes, "notis", "notiser")
                        );
                    } else {
                        println!("Lagkontroller: inga anmärkningar.");
                    }
                    match report.next_status_change {
                        Some(d) => println!("Anslagstavlan ändras {d}: bygg om senast {d}."),
                        None => println!("Inga kommande ändringar på anslagstavlan."),
                    }
                    0
                }
                Err(failure) => {
                    print_diagnostics(&failure.diagnostics);
                    eprintln!(
                        "Bygget misslyckades: {} fel, {}. Den tidigare webbplatsen är orörd.",
                        count(&failure.diagnostics, Severity::Fel),
                        antal(
                            count(&failure.diagnostics, Severity::Varning),
                            "varning",
                            "varningar"
                        )
                    );
                    1
                }
            }
        }
    }
}
