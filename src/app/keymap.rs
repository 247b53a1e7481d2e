//! Keys and commands as data: the keymap decides what a key does, and the help overlay and the
//! footer are generated from it, so they can never disagree with the key handler.

use super::labels::Lang;
use crate::domain::text::tr;
use std::collections::HashMap;
use std::fmt;
use std::path::Path;

/// A key as the application sees it (the terminal layer converts its own events into this).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    pub code: KeyCode,
    pub ctrl: bool,
    pub alt: bool,
    /// Only for non-character keys (Shift+Enter, Shift+Tab); a shifted letter is its capital.
    pub shift: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KeyCode {
    Char(char),
    Enter,
    Esc,
    Tab,
    BackTab,
    Backspace,
    Delete,
    Up,
    Down,
    Left,
    Right,
    Home,
    End,
    PageUp,
    PageDown,
    F(u8),
}

impl Key {
    pub const fn plain(code: KeyCode) -> Key {
        Key {
            code,
            ctrl: false,
            alt: false,
            shift: false,
        }
    }
    pub const fn ch(c: char) -> Key {
        Key::plain(KeyCode::Char(c))
    }
    pub const fn ctrl(c: char) -> Key {
        Key {
            code: KeyCode::Char(c),
            ctrl: true,
            alt: false,
            shift: false,
        }
    }

    /// Parses "n", "N", "ctrl+r", "shift+enter", "pgdn", "?", "space", "f1".
    pub fn parse(text: &str) -> Result<Key, String> {
        let text = text.trim();
        if text.is_empty() {
            return Err("empty key".into());
        }
        let mut key = Key::plain(KeyCode::Esc);
        let mut rest = text;
        // A lone "+" or "-" is a key, not a separator.
        loop {
            let lower = rest.to_lowercase();
            let taken = ["ctrl+", "control+", "alt+", "shift+"]
                .iter()
                .find(|prefix| lower.starts_with(**prefix) && rest.len() > prefix.len());
            match taken {
                Some(prefix) => {
                    match *prefix {
                        "ctrl+" | "control+" => key.ctrl = true,
                        "alt+" => key.alt = true,
                        _ => key.shift = true,
                    }
                    rest = &rest[prefix.len()..];
                }
                None => break,
            }
        }
        let mut chars = rest.chars();
        let code = match (chars.next(), chars.next()) {
            (Some(c), None) => KeyCode::Char(c),
            _ => match rest.to_lowercase().as_str() {
                "enter" | "return" => KeyCode::Enter,
                "esc" | "escape" => KeyCode::Esc,
                "tab" => KeyCode::Tab,
                "backtab" => KeyCode::BackTab,
                "backspace" | "bs" => KeyCode::Backspace,
                "delete" | "del" => KeyCode::Delete,
                "up" => KeyCode::Up,
                "down" => KeyCode::Down,
                "left" => KeyCode::Left,
                "right" => KeyCode::Right,
                "home" => KeyCode::Home,
                "end" => KeyCode::End,
                "pageup" | "pgup" => KeyCode::PageUp,
                "pagedown" | "pgdn" => KeyCode::PageDown,
                "space" => KeyCode::Char(' '),
                other => match other.strip_prefix('f').and_then(|n| n.parse::<u8>().ok()) {
                    Some(n) if (1..=24).contains(&n) => KeyCode::F(n),
                    _ => {
                        return Err(tr(
                            format!("unknown key '{text}'"),
                            format!("không có phím '{text}'"),
                        ));
                    }
                },
            },
        };
        key.code = code;
        Ok(key.normalised())
    }

    /// Shift is carried by the character itself (N, ?), so it is dropped for characters.
    pub fn normalised(mut self) -> Key {
        if let KeyCode::Char(c) = self.code {
            self.shift = false;
            if self.ctrl {
                self.code = KeyCode::Char(c.to_ascii_lowercase());
            }
        }
        self
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.ctrl {
            write!(f, "Ctrl+")?;
        }
        if self.alt {
            write!(f, "Alt+")?;
        }
        if self.shift {
            write!(f, "Shift+")?;
        }
        match self.code {
            KeyCode::Char(' ') => write!(f, "Space"),
            KeyCode::Char(c) if self.ctrl => write!(f, "{}", c.to_ascii_uppercase()),
            KeyCode::Char(c) => write!(f, "{c}"),
            KeyCode::Enter => write!(f, "Enter"),
            KeyCode::Esc => write!(f, "Esc"),
            KeyCode::Tab => write!(f, "Tab"),
            KeyCode::BackTab => write!(f, "Shift+Tab"),
            KeyCode::Backspace => write!(f, "Backspace"),
            KeyCode::Delete => write!(f, "Del"),
            KeyCode::Up => write!(f, "↑"),
            KeyCode::Down => write!(f, "↓"),
            KeyCode::Left => write!(f, "←"),
            KeyCode::Right => write!(f, "→"),
            KeyCode::Home => write!(f, "Home"),
            KeyCode::End => write!(f, "End"),
            KeyCode::PageUp => write!(f, "PgUp"),
            KeyCode::PageDown => write!(f, "PgDn"),
            KeyCode::F(n) => write!(f, "F{n}"),
        }
    }
}

/// Everything a key can ask for outside the editors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Command {
    Down,
    Up,
    Top,
    Bottom,
    PageDown,
    PageUp,
    Collapse,
    Expand,
    CollapseAll,
    ExpandAll,
    Open,
    Compare,
    Back,
    SwitchPane,
    NextDisputed,
    PrevDisputed,
    ToggleDisputedOnly,
    Sort,
    Search,
    Jump,
    Help,
    EditScore,
    AcceptSelf,
    AcceptProposal,
    ToggleFlag,
    Undo,
    Redo,
    Export,
    Presentation,
    Quit,
    Diff,
    CycleDiffBase,
    Finalise,
    AgendaNext,
    AgendaPrev,
    AgendaList,
    Lead,
    Follow,
}

impl Command {
    /// Every command in help order.
    pub const ALL: [Command; 38] = [
        Command::Down,
        Command::Up,
        Command::Top,
        Command::Bottom,
        Command::PageDown,
        Command::PageUp,
        Command::Collapse,
        Command::Expand,
        Command::CollapseAll,
        Command::ExpandAll,
        Command::Open,
        Command::Compare,
        Command::Back,
        Command::SwitchPane,
        Command::NextDisputed,
        Command::PrevDisputed,
        Command::ToggleDisputedOnly,
        Command::Sort,
        Command::Search,
        Command::Jump,
        Command::Help,
        Command::EditScore,
        Command::AcceptSelf,
        Command::AcceptProposal,
        Command::ToggleFlag,
        Command::Undo,
        Command::Redo,
        Command::Export,
        Command::Presentation,
        Command::Quit,
        Command::Diff,
        Command::CycleDiffBase,
        Command::Finalise,
        Command::AgendaNext,
        Command::AgendaPrev,
        Command::AgendaList,
        Command::Lead,
        Command::Follow,
    ];

    /// The name used in the keys config file.
    pub fn name(self) -> &'static str {
        match self {
            Command::Down => "down",
            Command::Up => "up",
            Command::Top => "top",
            Command::Bottom => "bottom",
            Command::PageDown => "page_down",
            Command::PageUp => "page_up",
            Command::Collapse => "collapse",
            Command::Expand => "expand",
            Command::CollapseAll => "collapse_all",
            Command::ExpandAll => "expand_all",
            Command::Open => "open",
            Command::Compare => "compare",
            Command::Back => "back",
            Command::SwitchPane => "switch_pane",
            Command::NextDisputed => "next_disputed",
            Command::PrevDisputed => "prev_disputed",
            Command::ToggleDisputedOnly => "disputed_only",
            Command::Sort => "sort",
            Command::Search => "search",
            Command::Jump => "jump",
            Command::Help => "help",
            Command::EditScore => "edit_score",
            Command::AcceptSelf => "accept_self",
            Command::AcceptProposal => "accept_proposal",
            Command::ToggleFlag => "flag",
            Command::Undo => "undo",
            Command::Redo => "redo",
            Command::Export => "export",
            Command::Presentation => "presentation",
            Command::Quit => "quit",
            Command::Diff => "diff",
            Command::CycleDiffBase => "diff_base",
            Command::Finalise => "finalise",
            Command::AgendaNext => "agenda_next",
            Command::AgendaPrev => "agenda_prev",
            Command::AgendaList => "agenda_list",
            Command::Lead => "lead",
            Command::Follow => "follow",
        }
    }

    pub fn from_name(name: &str) -> Option<Command> {
        Command::ALL.into_iter().find(|c| c.name() == name.trim())
    }

    /// What the command does, for the help overlay.
    pub fn description(self, lang: Lang) -> &'static str {
        super::labels::command_description(self, lang)
    }

    /// A short word for the footer hint bar.
    pub fn short(self, lang: Lang) -> &'static str {
        super::labels::command_short(self, lang)
    }

    fn default_keys(self) -> &'static [&'static str] {
        match self {
            Command::Down => &["j", "down"],
            Command::Up => &["k", "up"],
            Command::Top => &["g", "home"],
            Command::Bottom => &["G", "end"],
            Command::PageDown => &["pgdn", "ctrl+d"],
            Command::PageUp => &["pgup", "ctrl+u"],
            Command::Collapse => &["h", "left"],
            Command::Expand => &["l", "right"],
            Command::CollapseAll => &["-"],
            Command::ExpandAll => &["+", "="],
            Command::Open => &["enter"],
            Command::Compare => &["c"],
            Command::Back => &["esc", "backspace"],
            Command::SwitchPane => &["tab", "backtab"],
            Command::NextDisputed => &["n"],
            Command::PrevDisputed => &["N"],
            Command::ToggleDisputedOnly => &["f"],
            Command::Sort => &["s"],
            Command::Search => &["/"],
            Command::Jump => &[":"],
            Command::Help => &["?", "f1"],
            Command::EditScore => &["e"],
            Command::AcceptSelf => &["a"],
            Command::AcceptProposal => &["p"],
            Command::ToggleFlag => &["d"],
            Command::Undo => &["u"],
            Command::Redo => &["U", "ctrl+r"],
            Command::Export => &["x"],
            Command::Presentation => &["P"],
            Command::Quit => &["q", "ctrl+c"],
            Command::Diff => &["D"],
            Command::CycleDiffBase => &["t"],
            Command::Finalise => &["F"],
            Command::AgendaNext => &["]"],
            Command::AgendaPrev => &["["],
            Command::AgendaList => &["A"],
            Command::Lead => &["L"],
            Command::Follow => &["."],
        }
    }
}

/// Key → command, with every command's keys in order for help and footer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keymap {
    by_key: HashMap<Key, Command>,
    keys: Vec<(Command, Vec<Key>)>,
}

/// A problem in the keys config file; the defaults stay in force for that entry.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeymapError {
    #[error("{path}: {message}")]
    File { path: String, message: String },
}

impl Default for Keymap {
    fn default() -> Self {
        let keys = Command::ALL
            .iter()
            .map(|&c| {
                let keys = c
                    .default_keys()
                    .iter()
                    .filter_map(|k| Key::parse(k).ok())
                    .collect();
                (c, keys)
            })
            .collect();
        Keymap::from_keys(keys)
    }
}

impl Keymap {
    fn from_keys(keys: Vec<(Command, Vec<Key>)>) -> Keymap {
        let mut by_key = HashMap::new();
        for (command, list) in &keys {
            for key in list {
                by_key.insert(*key, *command);
            }
        }
        Keymap { by_key, keys }
    }

    pub fn command(&self, key: Key) -> Option<Command> {
        self.by_key.get(&key.normalised()).copied()
    }

    pub fn keys_of(&self, command: Command) -> &[Key] {
        self.keys
            .iter()
            .find(|(c, _)| *c == command)
            .map_or(&[], |(_, keys)| keys.as_slice())
    }

    /// The first key of a command, as text ("" when unbound).
    pub fn first_key(&self, command: Command) -> String {
        self.keys_of(command)
            .first()
            .map(Key::to_string)
            .unwrap_or_default()
    }

    /// Every command with its keys, in help order.
    pub fn bindings(&self) -> impl Iterator<Item = (Command, &[Key])> {
        self.keys.iter().map(|(c, k)| (*c, k.as_slice()))
    }

    /// Applies a TOML config (`[keys]` table: command = ["key", …]) over these bindings. A listed
    /// command loses its default keys; a key taken by a listed command is removed from others.
    pub fn with_config(mut self, toml_text: &str) -> Result<Keymap, String> {
        let value: toml::Table = toml_text.parse().map_err(|e: toml::de::Error| {
            let e = crate::domain::text::one_line(&e.to_string());
            tr(
                format!("not valid TOML: {e}"),
                format!("không phải TOML hợp lệ: {e}"),
            )
        })?;
        let Some(keys) = value.get("keys") else {
            return Ok(self);
        };
        let table = keys
            .as_table()
            .ok_or_else(|| tr("[keys] must be a table", "[keys] phải là một bảng"))?;
        let mut problems = Vec::new();
        for (name, list) in table {
            let Some(command) = Command::from_name(name) else {
                problems.push(tr(
                    format!("unknown command '{name}'"),
                    format!("không có lệnh '{name}'"),
                ));
                continue;
            };
            let texts: Vec<&str> = match list {
                toml::Value::String(s) => vec![s.as_str()],
                toml::Value::Array(items) => items.iter().filter_map(|v| v.as_str()).collect(),
                _ => {
                    problems.push(tr(
                        format!("{name}: expected a list of keys"),
                        format!("{name}: cần một danh sách phím"),
                    ));
                    continue;
                }
            };
            let mut parsed = Vec::new();
            for text in texts {
                match Key::parse(text) {
                    Ok(key) => parsed.push(key),
                    Err(e) => problems.push(format!("{name}: {e}")),
                }
            }
            for (other, other_keys) in &mut self.keys {
                if *other != command {
                    other_keys.retain(|k| !parsed.contains(k));
                }
            }
            if let Some(entry) = self.keys.iter_mut().find(|(c, _)| *c == command) {
                entry.1 = parsed;
            }
        }
        let map = Keymap::from_keys(self.keys);
        if problems.is_empty() {
            Ok(map)
        } else {
            Err(problems.join("; "))
        }
    }

    /// Defaults, overlaid with the config file if it exists. A broken file is reported (and
    /// ignored) rather than stopping the session.
    pub fn load(path: Option<&Path>) -> (Keymap, Option<KeymapError>) {
        let defaults = Keymap::default();
        let Some(path) = path else {
            return (defaults, None);
        };
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return (defaults, None),
            Err(e) => {
                return (
                    defaults,
                    Some(KeymapError::File {
                        path: path.display().to_string(),
                        message: e.to_string(),
                    }),
                );
            }
        };
        match defaults.clone().with_config(&text) {
            Ok(map) => (map, None),
            Err(message) => (
                defaults,
                Some(KeymapError::File {
                    path: path.display().to_string(),
                    message,
                }),
            ),
        }
    }

    /// `$COUNCIL_KEYS`, else `~/.config/council/keys.toml`.
    pub fn default_path() -> Option<std::path::PathBuf> {
        if let Some(p) = std::env::var_os("COUNCIL_KEYS") {
            return Some(p.into());
        }
        let config = std::env::var_os("XDG_CONFIG_HOME")
            .map(std::path::PathBuf::from)
            .or_else(|| {
                std::env::var_os("HOME").map(|h| std::path::PathBuf::from(h).join(".config"))
            })?;
        Some(config.join("council").join("keys.toml"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_keys() {
        assert_eq!(Key::parse("n").unwrap(), Key::ch('n'));
        assert_eq!(Key::parse("N").unwrap(), Key::ch('N'));
        assert_eq!(Key::parse("ctrl+r").unwrap(), Key::ctrl('r'));
        assert_eq!(Key::parse("Ctrl+R").unwrap(), Key::ctrl('r'));
        assert_eq!(Key::parse("+").unwrap(), Key::ch('+'));
        assert_eq!(Key::parse("pgdn").unwrap(), Key::plain(KeyCode::PageDown));
        assert!(Key::parse("shift+enter").unwrap().shift);
        assert!(Key::parse("nonsense").is_err());
        assert_eq!(Key::ctrl('r').to_string(), "Ctrl+R");
    }

    #[test]
    fn every_command_has_a_default_key_and_no_key_is_shared() {
        let map = Keymap::default();
        let mut seen = std::collections::HashSet::new();
        for (command, keys) in map.bindings() {
            assert!(!keys.is_empty(), "{command:?}");
            for key in keys {
                assert!(seen.insert(*key), "{key} bound twice");
                assert_eq!(map.command(*key), Some(command));
            }
        }
    }

    #[test]
    fn config_overrides_defaults() {
        let map = Keymap::default()
            .with_config("[keys]\nnext_disputed = [\"ctrl+n\", \"j\"]\n")
            .unwrap();
        assert_eq!(map.command(Key::ctrl('n')), Some(Command::NextDisputed));
        assert_eq!(map.command(Key::ch('j')), Some(Command::NextDisputed));
        assert_eq!(map.command(Key::ch('n')), None);
        // j was taken from Down, which keeps its arrow.
        assert_eq!(map.keys_of(Command::Down), &[Key::plain(KeyCode::Down)]);
        assert!(
            Keymap::default()
                .with_config("[keys]\nfly = [\"x\"]")
                .is_err()
        );
    }
}
