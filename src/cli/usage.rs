//! The command line parsed in the user's language. clap's own texts (help headings, usage
//! errors) are English only, so with `--lang vi` (the default) the command's help is rebuilt
//! here in Vietnamese and clap's errors are rendered here from their kind and context. Usage
//! errors exit with code 2, as clap's do.

use super::{Cli, output};
use crate::lang::Lang;
use crate::messages::usage::{self as texts, UsageProblem, vi_about, vi_arg};
use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Arg, ArgAction, Command, CommandFactory, FromArgMatches};
use std::ffi::OsString;

pub const EXIT_USAGE: i32 = 2;

/// The language asked for with `--lang vi|en` (`--lang=en` too), read before parsing so that
/// clap's help and errors can speak it; Vietnamese when absent or not understood.
pub fn lang_from_args(args: &[OsString]) -> Lang {
    let mut lang = Lang::Vi;
    let mut args = args.iter().skip(1).map(|a| a.to_string_lossy());
    while let Some(arg) = args.next() {
        if arg == "--" {
            break;
        }
        let value = match arg.strip_prefix("--lang") {
            Some("") => args.next().map(|v| v.into_owned()),
            Some(rest) => rest.strip_prefix('=').map(str::to_string),
            None => None,
        };
        if let Some(asked) = value.as_deref().and_then(Lang::from_code) {
            lang = asked;
        }
    }
    lang
}

/// Where the first word that is not an option (nor an option's value) is.
fn first_word(args: &[OsString]) -> Option<usize> {
    let takes_value = ["--db", "--lang", "--as", "--theme"];
    let mut at = 1;
    while let Some(arg) = args.get(at) {
        let text = arg.to_string_lossy();
        if !text.starts_with('-') {
            return Some(at);
        }
        at += if takes_value.contains(&text.as_ref()) {
            2
        } else {
            1
        };
    }
    None
}

/// Parses the command line; help, the version and usage errors are printed here, and their
/// exit code returned as the error.
pub fn parse(mut args: Vec<OsString>, lang: Lang) -> Result<Cli, i32> {
    // `council help decide` is `council decide --help` (clap's help subcommand speaks English).
    if let Some(at) = first_word(&args).filter(|&at| args[at] == "help") {
        args.remove(at);
        args.push("--help".into());
    }
    let matches = command(lang).try_get_matches_from(args);
    let result = matches.and_then(|m| Cli::from_arg_matches(&m));
    result.map_err(|error| report(&error, lang))
}

/// Prints what clap has to say and returns the exit code.
fn report(error: &clap::Error, lang: Lang) -> i32 {
    match error.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            let mut text = error.render().to_string();
            if lang == Lang::Vi {
                text = text.replace("[OPTIONS]", texts::VI_OPTIONS_PLACEHOLDER);
            }
            if !text.ends_with('\n') {
                text.push('\n');
            }
            let shown = output::print(&text);
            shown.err().map_or(super::EXIT_OK, |failure| failure.code)
        }
        _ => {
            let text = match lang {
                Lang::En => error.render().to_string(),
                Lang::Vi => vietnamese_error(error),
            };
            for line in text.trim_end().lines() {
                output::eprint_line(line);
            }
            EXIT_USAGE
        }
    }
}

fn context(error: &clap::Error, kind: ContextKind) -> String {
    match error.get(kind) {
        Some(ContextValue::Strings(values)) => values.join(", "),
        Some(value) => value.to_string(),
        None => String::new(),
    }
}

/// clap's error in Vietnamese: what is wrong, a suggestion where clap has one, the usage.
fn vietnamese_error(error: &clap::Error) -> String {
    let arg = context(error, ContextKind::InvalidArg);
    let value = context(error, ContextKind::InvalidValue);
    let prior = context(error, ContextKind::PriorArg);
    let name = context(error, ContextKind::InvalidSubcommand);
    let problem = usage_problem(error.kind(), &arg, &value, &prior, &name);
    let mut lines = vec![texts::vi_problem(&problem)];
    let valid = context(error, ContextKind::ValidValue);
    if !valid.is_empty() {
        lines.push(texts::vi_valid_values(&valid));
    }
    for kind in [
        ContextKind::SuggestedArg,
        ContextKind::SuggestedSubcommand,
        ContextKind::SuggestedValue,
    ] {
        let suggested = context(error, kind);
        if !suggested.is_empty() {
            lines.push(texts::vi_did_you_mean(&suggested));
        }
    }
    let suggested_any = error.get(ContextKind::SuggestedArg).is_some();
    if error.get(ContextKind::Suggested).is_some() && !suggested_any && arg.starts_with('-') {
        lines.push(texts::vi_hyphen_tip(&arg));
    }
    let usage = context(error, ContextKind::Usage);
    if let Some(usage) = usage.strip_prefix("Usage: ") {
        lines.push(String::new());
        lines.push(texts::vi_usage(usage));
    }
    lines.push(String::new());
    lines.push(texts::VI_SEE_HELP.to_string());
    lines.join("\n")
}

/// What clap found, in the catalogue's terms.
fn usage_problem<'a>(
    kind: ErrorKind,
    arg: &'a str,
    value: &'a str,
    prior: &'a str,
    name: &'a str,
) -> UsageProblem<'a> {
    match kind {
        ErrorKind::InvalidValue if value.is_empty() => UsageProblem::MissingValue { arg },
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => {
            UsageProblem::InvalidValue { arg, value }
        }
        ErrorKind::UnknownArgument => UsageProblem::UnknownArgument { arg },
        ErrorKind::InvalidSubcommand => UsageProblem::UnknownCommand { name },
        ErrorKind::NoEquals => UsageProblem::NoEquals { arg },
        ErrorKind::TooManyValues => UsageProblem::TooManyValues { arg, value },
        ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues => {
            UsageProblem::TooFewValues { arg }
        }
        ErrorKind::ArgumentConflict if prior.is_empty() => UsageProblem::Repeated { arg },
        ErrorKind::ArgumentConflict => UsageProblem::Conflict { arg, prior },
        ErrorKind::MissingRequiredArgument => UsageProblem::MissingArgument { arg },
        ErrorKind::MissingSubcommand | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            UsageProblem::MissingCommand
        }
        ErrorKind::InvalidUtf8 => UsageProblem::NotUtf8,
        _ => UsageProblem::Other,
    }
}

/// The command with its help in the given language.
pub fn command(lang: Lang) -> Command {
    let command = Cli::command().disable_help_subcommand(true);
    match lang {
        Lang::En => command.about(texts::EN_ABOUT),
        Lang::Vi => vietnamese(command, ""),
    }
}

/// Rewrites one command (and its subcommands) in Vietnamese: about, headings, help texts,
/// value names, defaults and possible values, and the help and version flags.
fn vietnamese(command: Command, path: &str) -> Command {
    let name = command.get_name().to_string();
    let path = if path.is_empty() {
        String::new()
    } else if path == "council" {
        name.clone()
    } else {
        format!("{path} {name}")
    };
    let about = vi_about(&path);
    let subcommands: Vec<String> = command
        .get_subcommands()
        .map(|c| c.get_name().to_string())
        .collect();
    let mut command = command
        .help_template(texts::VI_TEMPLATE)
        .subcommand_help_heading(texts::VI_COMMANDS)
        .subcommand_value_name(texts::VI_COMMAND)
        .disable_help_flag(true)
        .arg(
            Arg::new("help")
                .short('h')
                .long("help")
                .action(ArgAction::Help)
                .help_heading(texts::VI_OPTIONS)
                .help(texts::VI_HELP_FLAG),
        )
        .mut_args(|arg| vietnamese_arg(arg, &path));
    if let Some(about) = about {
        command = command.about(about);
    }
    if path.is_empty() {
        command = command.disable_version_flag(true).arg(
            Arg::new("version")
                .short('V')
                .long("version")
                .action(ArgAction::Version)
                .help_heading(texts::VI_OPTIONS)
                .help(texts::VI_VERSION_FLAG),
        );
    }
    let parent = if path.is_empty() {
        "council".to_string()
    } else {
        path
    };
    for sub in subcommands {
        command = command.mut_subcommand(&sub, |c| vietnamese(c, &parent));
    }
    command
}

/// One argument in Vietnamese: its heading, help, value name, and defaults and possible values
/// in words (clap would write "[default: vi] [possible values: vi, en]").
fn vietnamese_arg(arg: Arg, path: &str) -> Arg {
    let id = arg.get_id().as_str().to_string();
    if id == "help" || id == "version" {
        return arg;
    }
    let heading = if arg.is_positional() {
        texts::VI_ARGUMENTS
    } else {
        texts::VI_OPTIONS
    };
    let (help, value_name) = vi_arg(path, &id);
    let mut notes = Vec::new();
    let values: Vec<String> = arg
        .get_possible_values()
        .iter()
        .filter(|v| !v.is_hide_set())
        .map(|v| v.get_name().to_string())
        .collect();
    let defaults: Vec<String> = arg
        .get_default_values()
        .iter()
        .map(|v| v.to_string_lossy().into_owned())
        .collect();
    let is_flag = !arg.get_action().takes_values();
    if !defaults.is_empty() && !is_flag {
        notes.push(texts::vi_default(&defaults.join(", ")));
    }
    if !values.is_empty() && !is_flag {
        notes.push(texts::vi_values(&values.join(", ")));
    }
    let help = match (help, notes.is_empty()) {
        (help, true) => help.to_string(),
        ("", false) => notes.join(" "),
        (help, false) => format!("{help} {}", notes.join(" ")),
    };
    let mut arg = arg.help_heading(heading).help(help);
    if !is_flag {
        arg = arg.hide_default_value(true).hide_possible_values(true);
    }
    if let Some(value_name) = value_name {
        arg = arg.value_name(value_name);
    }
    arg
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<OsString> {
        list.iter().map(OsString::from).collect()
    }

    #[test]
    fn the_language_is_read_before_parsing() {
        assert_eq!(lang_from_args(&args(&["council", "summary"])), Lang::Vi);
        assert_eq!(
            lang_from_args(&args(&["council", "--lang", "en"])),
            Lang::En
        );
        assert_eq!(
            lang_from_args(&args(&["council", "x", "--lang=en"])),
            Lang::En
        );
        assert_eq!(
            lang_from_args(&args(&["council", "--lang", "xx"])),
            Lang::Vi
        );
        // After "--" it is a value, not an option.
        assert_eq!(
            lang_from_args(&args(&["council", "--", "--lang=en"])),
            Lang::Vi
        );
    }

    #[test]
    fn every_argument_and_command_has_vietnamese_help() {
        fn walk(command: &Command, path: &str, missing: &mut Vec<String>) {
            for arg in command.get_arguments() {
                let id = arg.get_id().as_str();
                if !["help", "version"].contains(&id) && vi_arg(path, id).0.is_empty() {
                    missing.push(format!("{path} --{id}"));
                }
            }
            for sub in command.get_subcommands() {
                let sub_path = if path.is_empty() {
                    sub.get_name().to_string()
                } else {
                    format!("{path} {}", sub.get_name())
                };
                if vi_about(&sub_path).is_none() {
                    missing.push(sub_path.clone());
                }
                walk(sub, &sub_path, missing);
            }
        }
        let mut missing = Vec::new();
        walk(&Cli::command(), "", &mut missing);
        assert!(missing.is_empty(), "no Vietnamese help for {missing:?}");
    }

    #[test]
    fn the_vietnamese_command_is_valid() {
        command(Lang::Vi).debug_assert();
        command(Lang::En).debug_assert();
    }
}
