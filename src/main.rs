use clap::Parser;

fn main() {
    let cli = protokoll::cli::Cli::parse();
    std::process::exit(protokoll::cli::run(cli));
}
