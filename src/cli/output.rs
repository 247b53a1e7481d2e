//! Everything the command line writes goes through here, so nothing can bypass the
//! terminal-safe printer: text formats show control characters as visible escapes
//! ([`terminal_safe`]), and a closed pipe (`council history | head`) ends the command quietly
//! instead of panicking.

use super::{EXIT_OK, EXIT_RUNTIME, Failure};
use crate::domain::text::{Breaks, terminal_safe};
use std::io::{self, IsTerminal, Write};

/// Writes text (one or more lines) to stdout, terminal-safe.
pub fn print(text: &str) -> Result<(), Failure> {
    write_safe(&mut io::stdout().lock(), text).map_err(io_failure)
}

/// Writes one line to stdout, terminal-safe.
pub fn print_line(text: &str) -> Result<(), Failure> {
    let mut out = io::stdout().lock();
    write_safe(&mut out, text)
        .and_then(|()| out.write_all(b"\n"))
        .map_err(io_failure)
}

/// Writes one line to stdout in a colour of ours (an SGR code such as "31"); the text itself is
/// made terminal-safe like any other.
pub fn print_painted_line(sgr: &str, text: &str) -> Result<(), Failure> {
    let mut out = io::stdout().lock();
    write!(out, "\x1b[{sgr}m")
        .and_then(|()| write_safe(&mut out, text))
        .and_then(|()| out.write_all(b"\x1b[0m\n"))
        .map_err(io_failure)
}

/// Writes one line to stderr, terminal-safe. A closed stderr is ignored: there is nobody left
/// to tell.
pub fn eprint_line(text: &str) {
    let mut err = io::stderr().lock();
    let _ = write_safe(&mut err, text).and_then(|()| err.write_all(b"\n"));
}

/// Writes `text` with every control character escaped but the newlines.
pub fn write_safe(out: &mut impl Write, text: &str) -> io::Result<()> {
    out.write_all(terminal_safe(text, Breaks::KeepNewlines).as_bytes())
}

/// Whether stdout is a terminal: a file format sent there (`history --format csv`) is shown
/// terminal-safe; piped or redirected it keeps the exact text.
pub fn stdout_is_terminal() -> bool {
    io::stdout().is_terminal()
}

/// Flushes stdout at the end of a command.
pub fn finish() -> Result<(), Failure> {
    io::stdout().flush().map_err(io_failure)
}

/// A failed write: a closed pipe ends the command quietly with exit code 0 (the reader has
/// what it wanted); anything else is a runtime error.
pub fn io_failure(error: io::Error) -> Failure {
    if error.kind() == io::ErrorKind::BrokenPipe {
        Failure {
            code: EXIT_OK,
            lines: Vec::new(),
        }
    } else {
        Failure {
            code: EXIT_RUNTIME,
            lines: vec![error.to_string().into()],
        }
    }
}

/// Replaces Rust's panic message and backtrace with one line, in the user's language, so that
/// no crash shows a user a backtrace. Installed before the screen starts: the screen's own
/// hook restores the terminal first, then calls this one.
pub fn install_panic_hook(lang: crate::lang::Lang) {
    std::panic::set_hook(Box::new(move |info| {
        let payload = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_default();
        let payload = crate::domain::text::one_line(&payload);
        // A print that reached a closed pipe outside this module: end quietly all the same.
        if payload.contains("Broken pipe") {
            std::process::exit(EXIT_OK);
        }
        let place = info
            .location()
            .map(|l| format!(" ({}:{})", l.file(), l.line()))
            .unwrap_or_default();
        eprint_line(&crate::messages::cli::internal_error(
            lang, &payload, &place,
        ));
    }));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn written_text_keeps_its_lines_and_shows_its_escapes() {
        let mut out = Vec::new();
        write_safe(&mut out, "SNV\x1b]0;x\x07\nSTC\t\u{202e}\n").unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "SNV\\x1b]0;x\\x07\nSTC\\x09\\u{202e}\n"
        );
    }

    #[test]
    fn a_closed_pipe_is_a_quiet_success() {
        let failure = io_failure(io::Error::from(io::ErrorKind::BrokenPipe));
        assert_eq!(failure.code, EXIT_OK);
        assert!(failure.lines.is_empty());
        assert_eq!(io_failure(io::Error::other("disk")).code, EXIT_RUNTIME);
    }
}
