//! Keys and commands as data, one keymap per context (the screens, text inputs,
//! confirmations, the agenda list, the help): the keymap decides what a key does, and the help
//! overlay and the hint bars are generated from it, so they can never disagree with the key
//! handlers. The built-in keys are `default.toml`; a keys file in the same form is read over
//! them ([`Keymap::from_toml`]); where the file is, is the runner's business.

mod commands;
mod config;
mod key;

pub use commands::{
    AgendaListCommand, Bindable, Command, ConfirmCommand, EditorCommand, HelpCommand,
};
pub use key::{Key, KeyCode, KeyParseError};

use crate::lang::Lang;
use crate::messages::{Localised, english_display, keys};
use std::collections::HashMap;

/// The built-in keys of every context.
const DEFAULT_KEYS: &str = include_str!("default.toml");

/// Where keys are read: one context per part of the screen that takes keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Context {
    Screens,
    Editor,
    Confirm,
    AgendaList,
    Help,
}

impl Context {
    pub const ALL: [Context; 5] = [
        Context::Screens,
        Context::Editor,
        Context::Confirm,
        Context::AgendaList,
        Context::Help,
    ];

    /// The table's name in the keys file.
    pub fn name(self) -> &'static str {
        match self {
            Context::Screens => "screens",
            Context::Editor => "editor",
            Context::Confirm => "confirm",
            Context::AgendaList => "agenda_list",
            Context::Help => "help",
        }
    }
}

/// The keys of one context: key → command, and every command's keys in help order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bindings<C: Bindable> {
    by_key: HashMap<Key, C>,
    keys: Vec<(C, Vec<Key>)>,
    /// Descriptions given in the keys file (`desc`), over the built-in ones.
    descriptions: HashMap<C, String>,
}

impl<C: Bindable> Default for Bindings<C> {
    fn default() -> Self {
        Bindings {
            by_key: HashMap::new(),
            keys: C::ALL.iter().map(|&c| (c, Vec::new())).collect(),
            descriptions: HashMap::new(),
        }
    }
}

impl<C: Bindable> Bindings<C> {
    /// The command a key runs here, if any.
    pub fn command(&self, key: Key) -> Option<C> {
        self.by_key.get(&key.normalised()).copied()
    }

    pub fn keys_of(&self, command: C) -> &[Key] {
        self.keys
            .iter()
            .find(|(c, _)| *c == command)
            .map_or(&[], |(_, keys)| keys.as_slice())
    }

    /// The first key of a command, as text ("" when unbound).
    pub fn first_key(&self, command: C) -> String {
        self.keys_of(command)
            .first()
            .map(Key::to_string)
            .unwrap_or_default()
    }

    /// Every command with its keys, in help order.
    pub fn bindings(&self) -> impl Iterator<Item = (C, &[Key])> {
        self.keys.iter().map(|(c, k)| (*c, k.as_slice()))
    }

    /// What a command does: the keys file's `desc`, else the built-in text.
    pub fn description(&self, command: C, lang: Lang) -> &str {
        self.descriptions
            .get(&command)
            .map_or_else(|| command.description(lang), String::as_str)
    }

    /// A hint for a hint bar: the command's keys (the first, and a second one unless it is
    /// only the first in the other case) and a word; None when the command has no key.
    pub fn hint(&self, command: C, word: &'static str) -> Option<Hint> {
        Hint::of(self.keys_of(command), word)
    }

    /// The command's first key, for hints that join the keys of two commands ("j / k").
    pub fn first(&self, command: C) -> Option<Key> {
        self.keys_of(command).first().copied()
    }

    /// Binds `keys` to `command` alone: the command loses its other keys, and other commands
    /// of this context lose these keys.
    fn rebind(&mut self, command: C, keys: Vec<Key>) {
        for (other, other_keys) in &mut self.keys {
            if *other != command {
                other_keys.retain(|k| !keys.contains(k));
            }
        }
        if let Some(entry) = self.keys.iter_mut().find(|(c, _)| *c == command) {
            entry.1 = keys;
        }
        self.by_key = self
            .keys
            .iter()
            .flat_map(|(c, keys)| keys.iter().map(move |k| (*k, *c)))
            .collect();
    }
}

/// One key hint of a hint bar ("Enter: lưu").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hint {
    pub keys: String,
    pub word: &'static str,
}

impl Hint {
    /// The first of `keys`, and the second unless it is only the first in the other case;
    /// None without keys.
    pub fn of(keys: &[Key], word: &'static str) -> Option<Hint> {
        let first = keys.first()?;
        let mut text = first.to_string();
        if let Some(second) = keys.get(1)
            && !second.is_other_case_of(*first)
        {
            text = format!("{text} / {second}");
        }
        Some(Hint { keys: text, word })
    }
}

/// Hints as one line: "Enter: lưu · Esc: huỷ".
pub fn hint_line(hints: &[Hint]) -> String {
    hints
        .iter()
        .map(|h| format!("{}: {}", h.keys, h.word))
        .collect::<Vec<_>>()
        .join(" · ")
}

/// Every context's bindings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keymap {
    pub screens: Bindings<Command>,
    pub editor: Bindings<EditorCommand>,
    pub confirm: Bindings<ConfirmCommand>,
    pub agenda_list: Bindings<AgendaListCommand>,
    pub help: Bindings<HelpCommand>,
}

/// What is wrong in a keys file. The file is then left aside as a whole and the built-in keys
/// stay in force (the screen says why).
/// Why a keys file cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeymapError {
    /// Not TOML at all (the parser's message, with line and column).
    NotToml(String),
    /// TOML, but not in the shape of a keys file (serde's message, with line and column).
    Shape(String),
    Problems(Vec<KeymapProblem>),
}

/// One entry that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeymapProblem {
    UnknownCommand {
        context: Context,
        name: String,
    },
    BadKey {
        command: String,
        problem: KeyParseError,
    },
    /// The value given for a command is not a key or a list of keys.
    NotKeys {
        command: String,
    },
}

impl Localised for KeymapError {
    fn text(&self, lang: Lang) -> String {
        match self {
            KeymapError::NotToml(message) => keys::not_toml(lang, message),
            KeymapError::Shape(message) => message.clone(),
            KeymapError::Problems(problems) => problems
                .iter()
                .map(|problem| problem.text(lang))
                .collect::<Vec<_>>()
                .join("; "),
        }
    }
}

impl Localised for KeymapProblem {
    fn text(&self, lang: Lang) -> String {
        match self {
            KeymapProblem::UnknownCommand {
                context: Context::Screens,
                name,
            } => keys::unknown_command(lang, name, None),
            KeymapProblem::UnknownCommand { context, name } => {
                keys::unknown_command(lang, name, Some(context.name()))
            }
            KeymapProblem::BadKey { command, problem } => {
                format!("{command}: {}", problem.text(lang))
            }
            KeymapProblem::NotKeys { command } => keys::not_keys(lang, command),
        }
    }
}

english_display!(KeymapError, KeymapProblem);

impl Default for Keymap {
    /// The built-in keys (`default.toml`; a test makes sure it reads without a problem).
    fn default() -> Self {
        Keymap::empty()
            .apply_config(DEFAULT_KEYS)
            .unwrap_or_else(|_| Keymap::empty())
    }
}

impl Keymap {
    /// No key bound anywhere.
    fn empty() -> Keymap {
        Keymap {
            screens: Bindings::default(),
            editor: Bindings::default(),
            confirm: Bindings::default(),
            agenda_list: Bindings::default(),
            help: Bindings::default(),
        }
    }

    /// The built-in keys with a keys file read over them.
    pub fn from_toml(text: &str) -> Result<Keymap, KeymapError> {
        Keymap::default().apply_config(text)
    }

    /// Applies a keys file over these bindings.
    pub fn with_config(self, toml_text: &str) -> Result<Keymap, KeymapError> {
        self.apply_config(toml_text)
    }

    /// The command a key runs on the screens.
    pub fn command(&self, key: Key) -> Option<Command> {
        self.screens.command(key)
    }

    pub fn keys_of(&self, command: Command) -> &[Key] {
        self.screens.keys_of(command)
    }

    /// The first key of a screens command, as text ("" when unbound).
    pub fn first_key(&self, command: Command) -> String {
        self.screens.first_key(command)
    }

    /// Every screens command with its keys, in help order.
    pub fn bindings(&self) -> impl Iterator<Item = (Command, &[Key])> {
        self.screens.bindings()
    }

    /// Applies a keys file over these bindings. In each context, a command the file names
    /// loses its keys to the ones listed, and those keys are taken from the other commands.
    fn apply_config(mut self, toml_text: &str) -> Result<Keymap, KeymapError> {
        let file = config::parse(toml_text)?;
        let mut problems = Vec::new();
        let first_form: Vec<Entry> = file
            .keys
            .iter()
            .map(|(name, on)| Entry {
                run: name,
                on: on.texts(),
                desc: None,
            })
            .collect();
        apply(
            &mut self.screens,
            Context::Screens,
            &first_form,
            &mut problems,
        );
        let sections = [
            (Context::Screens, &file.screens),
            (Context::Editor, &file.editor),
            (Context::Confirm, &file.confirm),
            (Context::AgendaList, &file.agenda_list),
            (Context::Help, &file.help),
        ];
        for (context, section) in sections {
            let Some(section) = section else {
                continue;
            };
            let entries: Vec<Entry> = section
                .keymap
                .iter()
                .map(|e| Entry {
                    run: &e.run,
                    on: e.on.texts(),
                    desc: e.desc.as_deref(),
                })
                .collect();
            match context {
                Context::Screens => apply(&mut self.screens, context, &entries, &mut problems),
                Context::Editor => apply(&mut self.editor, context, &entries, &mut problems),
                Context::Confirm => apply(&mut self.confirm, context, &entries, &mut problems),
                Context::AgendaList => {
                    apply(&mut self.agenda_list, context, &entries, &mut problems)
                }
                Context::Help => apply(&mut self.help, context, &entries, &mut problems),
            }
        }
        if problems.is_empty() {
            Ok(self)
        } else {
            Err(KeymapError::Problems(problems))
        }
    }
}

/// One entry of a context, as read (`on` is None when it was not keys).
struct Entry<'a> {
    run: &'a str,
    on: Option<Vec<&'a str>>,
    desc: Option<&'a str>,
}

/// Applies a context's entries; several entries for one command add up.
fn apply<C: Bindable>(
    bindings: &mut Bindings<C>,
    context: Context,
    entries: &[Entry],
    problems: &mut Vec<KeymapProblem>,
) {
    let mut wanted: Vec<(C, Vec<Key>)> = Vec::new();
    for entry in entries {
        let Some(command) = C::from_name(entry.run) else {
            problems.push(KeymapProblem::UnknownCommand {
                context,
                name: entry.run.to_string(),
            });
            continue;
        };
        let Some(on) = &entry.on else {
            problems.push(KeymapProblem::NotKeys {
                command: entry.run.to_string(),
            });
            continue;
        };
        let mut keys = Vec::new();
        for text in on {
            match Key::parse(text) {
                Ok(key) => keys.push(key),
                Err(problem) => problems.push(KeymapProblem::BadKey {
                    command: entry.run.to_string(),
                    problem,
                }),
            }
        }
        if let Some(desc) = entry.desc {
            bindings.descriptions.insert(command, desc.to_string());
        }
        match wanted.iter_mut().find(|(c, _)| *c == command) {
            Some((_, list)) => list.extend(keys),
            None => wanted.push((command, keys)),
        }
    }
    for (command, keys) in wanted {
        bindings.rebind(command, keys);
    }
}

/// What a key does in a text input: a command of the editor context, or a character to type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EditorInput {
    Command(EditorCommand),
    Char(char),
    Nothing,
}

impl Keymap {
    /// A key in a text input: bound in the editor context, else a character (without Ctrl or
    /// Alt) to type.
    pub fn editor_input(&self, key: Key) -> EditorInput {
        if let Some(command) = self.editor.command(key) {
            return EditorInput::Command(command);
        }
        match key.code {
            KeyCode::Char(c) if !key.ctrl && !key.alt => EditorInput::Char(c),
            _ => EditorInput::Nothing,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

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

    /// Every command of a context has a key, and no key does two things in one context.
    fn assert_complete<C: Bindable>(bindings: &Bindings<C>) {
        let mut seen = HashSet::new();
        for (command, keys) in bindings.bindings() {
            assert!(!keys.is_empty(), "{command:?}");
            for key in keys {
                assert!(seen.insert(*key), "{key} bound twice");
                assert_eq!(bindings.command(*key), Some(command));
            }
        }
    }

    #[test]
    fn the_built_in_keys_read_cleanly_and_cover_every_context() {
        let map = Keymap::empty().apply_config(DEFAULT_KEYS).unwrap();
        assert_eq!(map, Keymap::default());
        assert_complete(&map.screens);
        assert_complete(&map.editor);
        assert_complete(&map.confirm);
        assert_complete(&map.agenda_list);
        assert_complete(&map.help);
        // The keys of the first release, unchanged.
        assert_eq!(map.command(Key::ch('n')), Some(Command::NextDisputed));
        assert_eq!(map.command(Key::ctrl('r')), Some(Command::Redo));
        assert_eq!(map.command(Key::ch('=')), Some(Command::ExpandAll));
        assert_eq!(
            map.editor.command(Key::ctrl('j')),
            Some(EditorCommand::Newline)
        );
        assert_eq!(map.confirm.command(Key::ch('k')), Some(ConfirmCommand::No));
        assert_eq!(
            map.agenda_list.command(Key::ch('J')),
            Some(AgendaListCommand::MoveDown)
        );
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

    #[test]
    fn contexts_are_remapped_in_the_yazi_form() {
        let text = r#"
            [screens]
            keymap = [
                { on = "ctrl+n", run = "next_disputed", desc = "Tiếp theo" },
                { on = ["N", "ctrl+p"], run = "prev_disputed" },
            ]
            [editor]
            keymap = [{ on = "ctrl+s", run = "submit" }]
            [confirm]
            keymap = [{ on = "o", run = "yes" }]
            [agenda_list]
            keymap = [{ on = "d", run = "remove" }]
            [help]
            keymap = [{ on = "q", run = "close" }]
        "#;
        let map = Keymap::from_toml(text).unwrap();
        assert_eq!(map.command(Key::ctrl('n')), Some(Command::NextDisputed));
        assert_eq!(map.command(Key::ch('n')), None);
        assert_eq!(map.command(Key::ctrl('p')), Some(Command::PrevDisputed));
        assert_eq!(
            map.screens.description(Command::NextDisputed, Lang::Vi),
            "Tiếp theo"
        );
        assert_eq!(
            map.editor.command(Key::ctrl('s')),
            Some(EditorCommand::Submit)
        );
        assert_eq!(map.editor.command(Key::plain(KeyCode::Enter)), None);
        assert_eq!(map.confirm.command(Key::ch('o')), Some(ConfirmCommand::Yes));
        assert_eq!(map.confirm.command(Key::ch('y')), None);
        assert_eq!(
            map.agenda_list.command(Key::ch('d')),
            Some(AgendaListCommand::Remove)
        );
        assert_eq!(map.help.command(Key::ch('q')), Some(HelpCommand::Close));
        // Each context keeps its own keys: "q" still quits on the screens.
        assert_eq!(map.command(Key::ch('q')), Some(Command::Quit));
    }

    #[test]
    fn bad_files_say_where_and_what() {
        let problems = Keymap::from_toml("[editor]\nkeymap = [{ on = \"x\", run = \"fly\" }]")
            .unwrap_err()
            .to_string();
        assert_eq!(problems, "unknown command 'fly' in [editor]");
        let bad_key = Keymap::from_toml("[keys]\nquit = [\"hyper+q\"]")
            .unwrap_err()
            .to_string();
        assert!(bad_key.starts_with("quit: unknown key"), "{bad_key}");
        let not_keys = Keymap::from_toml("[keys]\nquit = 5")
            .unwrap_err()
            .to_string();
        assert_eq!(not_keys, "quit: expected a list of keys");
        let shape = Keymap::from_toml("[screens]\nkeymap = [{ on = \"q\" }]")
            .unwrap_err()
            .to_string();
        assert!(shape.contains("line 2"), "{shape}");
        assert!(shape.contains("missing field `run`"), "{shape}");
        let syntax = Keymap::from_toml("[keys\n").unwrap_err().to_string();
        assert!(syntax.starts_with("not valid TOML: "), "{syntax}");
        let context = Keymap::from_toml("[menu]\nkeymap = []")
            .unwrap_err()
            .to_string();
        assert!(context.contains("unknown field `menu`"), "{context}");
    }

    #[test]
    fn the_catalogue_describes_every_command_in_both_languages() {
        fn described<C: Bindable>(missing: &mut Vec<String>) {
            for &command in C::ALL {
                for lang in Lang::ALL {
                    if command.description(lang).is_empty() {
                        missing.push(format!("{} ({})", command.name(), lang.code()));
                    }
                }
            }
        }
        let mut missing = Vec::new();
        described::<Command>(&mut missing);
        described::<EditorCommand>(&mut missing);
        described::<ConfirmCommand>(&mut missing);
        described::<AgendaListCommand>(&mut missing);
        described::<HelpCommand>(&mut missing);
        assert!(missing.is_empty(), "no description for {missing:?}");
    }

    #[test]
    fn the_documented_name_of_the_diff_base_key_is_accepted() {
        let map = Keymap::from_toml("[keys]\ncycle_diff_base = [\"b\"]").unwrap();
        assert_eq!(map.command(Key::ch('b')), Some(Command::CycleDiffBase));
        let map = Keymap::from_toml("[keys]\ndiff_base = [\"b\"]").unwrap();
        assert_eq!(map.command(Key::ch('b')), Some(Command::CycleDiffBase));
    }

    #[test]
    fn hints_show_a_second_key_unless_it_is_the_other_case() {
        let map = Keymap::default();
        let yes = map.confirm.hint(ConfirmCommand::Yes, "ghi đè").unwrap();
        assert_eq!(yes.keys, "y");
        let no = map.confirm.hint(ConfirmCommand::No, "huỷ").unwrap();
        assert_eq!(hint_line(&[yes, no]), "y: ghi đè · n / Esc: huỷ");
    }
}
