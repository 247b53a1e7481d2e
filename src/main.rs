#![forbid(unsafe_code)]

use council::cli::{EXIT_RUNTIME, output, usage};

fn main() {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let lang = usage::lang_from_args(&args);
    output::install_panic_hook(lang);
    let code = match usage::parse(args, lang) {
        // The hook has said what went wrong; a panic is a runtime error like any other.
        Ok(cli) => std::panic::catch_unwind(|| council::cli::run(cli)).unwrap_or(EXIT_RUNTIME),
        Err(code) => code,
    };
    std::process::exit(code);
}
