//! Where the keys file is and reading it: the runner's part of the keymap (the app only
//! decodes text, [`Keymap::from_toml`]).

use crate::app::keymap::Keymap;
use crate::lang::Lang;
use crate::messages::Localised;
use std::path::{Path, PathBuf};

/// `$COUNCIL_KEYS`, else `$XDG_CONFIG_HOME/council/keys.toml`, else
/// `~/.config/council/keys.toml`.
pub fn keys_path() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("COUNCIL_KEYS") {
        return Some(p.into());
    }
    let config = std::env::var_os("XDG_CONFIG_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config")))?;
    Some(config.join("council").join("keys.toml"))
}

/// The built-in keys, with the keys file read over them if it exists. A file that cannot be
/// read or used is reported ("path: what is wrong", in `lang`) and left aside, rather than
/// stopping the session.
pub fn load_keymap(path: Option<&Path>, lang: Lang) -> (Keymap, Option<String>) {
    let Some(path) = path else {
        return (Keymap::default(), None);
    };
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return (Keymap::default(), None),
        Err(e) => return (Keymap::default(), Some(format!("{}: {e}", path.display()))),
    };
    match Keymap::from_toml(&text) {
        Ok(keymap) => (keymap, None),
        Err(e) => {
            let problem = format!("{}: {}", path.display(), e.text(lang));
            (Keymap::default(), Some(problem))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::keymap::{Command, Key};

    #[test]
    fn a_missing_file_is_no_problem_and_a_broken_one_is_reported() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("keys.toml");
        let (keymap, problem) = load_keymap(Some(&missing), Lang::En);
        assert_eq!(keymap, Keymap::default());
        assert_eq!(problem, None);

        std::fs::write(&missing, "[keys]\nfly = [\"x\"]\n").unwrap();
        let (keymap, problem) = load_keymap(Some(&missing), Lang::En);
        assert_eq!(keymap, Keymap::default());
        let problem = problem.unwrap();
        assert!(
            problem.contains("keys.toml: unknown command 'fly'"),
            "{problem}"
        );

        std::fs::write(
            &missing,
            "[screens]\nkeymap = [{ on = \"ctrl+n\", run = \"next_disputed\" }]\n",
        )
        .unwrap();
        let (keymap, problem) = load_keymap(Some(&missing), Lang::En);
        assert_eq!(problem, None);
        assert_eq!(keymap.command(Key::ctrl('n')), Some(Command::NextDisputed));
    }
}
