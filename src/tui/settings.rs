//! The screen's settings file, `config.toml` beside the keys file (`$COUNCIL_CONFIG`, else
//! `$XDG_CONFIG_HOME/council/config.toml`, else `~/.config/council/config.toml`): how this
//! user's terminal is used, as opposed to the session's settings (`council configure`).
//!
//! ```toml
//! mouse = false   # leave the mouse to the terminal (its own selection and paste)
//! ```

use serde::Deserialize;
use std::path::{Path, PathBuf};

/// What the settings file says; every setting has its default when the file is missing.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ScreenSettings {
    /// Take the mouse's clicks and wheel (default); false leaves them to the terminal.
    pub mouse: bool,
}

impl Default for ScreenSettings {
    fn default() -> Self {
        ScreenSettings { mouse: true }
    }
}

/// Where the settings file is.
pub fn settings_path() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("COUNCIL_CONFIG") {
        return Some(p.into());
    }
    let config = std::env::var_os("XDG_CONFIG_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config")))?;
    Some(config.join("council").join("config.toml"))
}

/// The settings, from the file if it exists. A file that cannot be read or used is reported
/// ("path: what is wrong") and left aside: the defaults hold.
pub fn load(path: Option<&Path>) -> (ScreenSettings, Option<String>) {
    let Some(path) = path else {
        return (ScreenSettings::default(), None);
    };
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return (ScreenSettings::default(), None);
        }
        Err(e) => {
            let problem = format!("{}: {e}", path.display());
            return (ScreenSettings::default(), Some(problem));
        }
    };
    match toml::from_str::<ScreenSettings>(&text) {
        Ok(settings) => (settings, None),
        Err(e) => {
            let message = e.message().trim().to_string();
            let problem = format!("{}: {message}", path.display());
            (ScreenSettings::default(), Some(problem))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_mouse_is_on_unless_the_file_turns_it_off() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        assert_eq!(load(Some(&path)), (ScreenSettings::default(), None));
        assert!(load(None).0.mouse);

        std::fs::write(&path, "mouse = false\n").unwrap();
        assert_eq!(load(Some(&path)), (ScreenSettings { mouse: false }, None));
        std::fs::write(&path, "# nothing set\n").unwrap();
        assert_eq!(load(Some(&path)).0, ScreenSettings { mouse: true });

        // A mistake is named and the defaults hold.
        std::fs::write(&path, "mouse = \"no\"\n").unwrap();
        let (settings, problem) = load(Some(&path));
        assert!(settings.mouse);
        let problem = problem.unwrap();
        assert!(problem.contains("config.toml: "), "{problem}");
        std::fs::write(&path, "mous = false\n").unwrap();
        let problem = load(Some(&path)).1.unwrap();
        assert!(problem.contains("unknown field `mous`"), "{problem}");
    }
}
