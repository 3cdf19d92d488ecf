//! The command line: `protokoll build`, `protokoll check`, …

use crate::build::{self, BuildOptions};
use crate::diagnostics::{self, Diagnostic, Severity};
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

/// Runs the command; returns the process exit code.
pub fn run(cli: Cli) -> i32 {
    match cli.command {
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
                        "kan inte läsa ordlistan {}: {e}\n  tips: apt-get install wswedish",
                        ordlista.display()
                    );
                    return 2;
                }
            };
            match generate::generate(size, seed, &words, &ut) {
                Ok(m) => {
                    println!(
                        "Genererat {} protokoll och {} planer för {} förbund i {} ({} planterade regelbrott, se planterade-fel.json).",
                        m.protokoll,
                        m.planer,
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
        Command::Build {
            rot,
            idag,
            utdata,
            forkomprimera,
        } => {
            let options = BuildOptions {
                root: rot,
                today: idag.unwrap_or_else(build::today_in_sweden),
                output: utdata,
                progress: true,
                precompress: forkomprimera,
            };
            match build::build(&options) {
                Ok(report) => {
                    print_diagnostics(&report.diagnostics);
                    println!(
                        "Byggt {} sidor ({} filer, {} kB) av {} protokoll och {} planer till {}.",
                        report.pages,
                        report.files,
                        report.bytes / 1024,
                        report.protocols,
                        report.plans,
                        report.output.display()
                    );
                    let warnings = count(&report.diagnostics, Severity::Varning);
                    let notes = count(&report.diagnostics, Severity::Notis);
                    if warnings + notes > 0 {
                        println!(
                            "Kontroller: {warnings} varningar, {notes} notiser (se `protokoll check`)."
                        );
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
                        "Bygget misslyckades: {} fel, {} varningar. Den tidigare webbplatsen är orörd.",
                        count(&failure.diagnostics, Severity::Fel),
                        count(&failure.diagnostics, Severity::Varning)
                    );
                    1
                }
            }
        }
    }
}
