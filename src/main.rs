#![forbid(unsafe_code)]

use clap::Parser;

fn main() {
    let cli = council::cli::Cli::parse();
    std::process::exit(council::cli::run(cli));
}
