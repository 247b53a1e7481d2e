//! The commands of each keymap context, by the names the keys file uses.

use crate::lang::Lang;
use crate::messages::commands as texts;

/// A command of one context: named in the keys file, described in the help.
pub trait Bindable: Copy + Eq + std::hash::Hash + std::fmt::Debug + 'static {
    /// Every command of the context, in help order.
    const ALL: &'static [Self];
    /// The name used in the keys file.
    fn name(self) -> &'static str;
    /// What the command does, for the help overlay.
    fn description(self, lang: Lang) -> &'static str;
    /// Other names accepted in the keys file (a name once documented stays valid).
    fn aliases(self) -> &'static [&'static str] {
        &[]
    }
    fn from_name(name: &str) -> Option<Self> {
        let name = name.trim();
        Self::ALL
            .iter()
            .copied()
            .find(|c| c.name() == name || c.aliases().contains(&name))
    }
}

/// Declares a context's command enum with the names of its commands.
macro_rules! commands {
    ($(#[$meta:meta])* $enum:ident, $describe:path { $($(#[$vmeta:meta])* $variant:ident = $name:literal,)* }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $enum {
            $($(#[$vmeta])* $variant,)*
        }

        impl $enum {
            /// Every command in help order.
            pub const ALL: &'static [$enum] = &[$($enum::$variant,)*];

            /// The name used in the keys file.
            pub fn name(self) -> &'static str {
                match self {
                    $($enum::$variant => $name,)*
                }
            }

            pub fn from_name(name: &str) -> Option<$enum> {
                <$enum as Bindable>::from_name(name)
            }

            /// What the command does, for the help overlay.
            pub fn description(self, lang: Lang) -> &'static str {
                $describe(self.name(), lang)
            }
        }
    };
}

commands! {
    /// Everything a key can ask for on the screens.
    Command, texts::screens {
        Down = "down",
        Up = "up",
        Top = "top",
        Bottom = "bottom",
        PageDown = "page_down",
        PageUp = "page_up",
        Collapse = "collapse",
        Expand = "expand",
        CollapseAll = "collapse_all",
        ExpandAll = "expand_all",
        Open = "open",
        Compare = "compare",
        Back = "back",
        SwitchPane = "switch_pane",
        NextDisputed = "next_disputed",
        PrevDisputed = "prev_disputed",
        ToggleDisputedOnly = "disputed_only",
        Sort = "sort",
        Search = "search",
        Jump = "jump",
        Help = "help",
        EditScore = "edit_score",
        AcceptSelf = "accept_self",
        AcceptProposal = "accept_proposal",
        ToggleFlag = "flag",
        Undo = "undo",
        Redo = "redo",
        Export = "export",
        Presentation = "presentation",
        Quit = "quit",
        Diff = "diff",
        CycleDiffBase = "diff_base",
        Finalise = "finalise",
        AgendaNext = "agenda_next",
        AgendaPrev = "agenda_prev",
        AgendaList = "agenda_list",
        Lead = "lead",
        Follow = "follow",
    }
}

impl Command {
    /// The commands that move a cursor (each screen moves its own).
    pub fn is_movement(self) -> bool {
        matches!(
            self,
            Command::Down
                | Command::Up
                | Command::Top
                | Command::Bottom
                | Command::PageDown
                | Command::PageUp
        )
    }

    /// A short word for the footer hint bar.
    pub fn short(self, lang: Lang) -> &'static str {
        texts::screens_short(self.name(), lang)
    }
}

commands! {
    /// Keys in a text input (score, reason, search, go to, help filter, finalise reason).
    /// Characters that are not bound are typed.
    EditorCommand, texts::editor {
        /// Enter: save, go on, open, go (what the input is for).
        Submit = "submit",
        Cancel = "cancel",
        /// A new line (the reason editor).
        Newline = "newline",
        Up = "up",
        Down = "down",
        Left = "left",
        Right = "right",
        WordLeft = "word_left",
        WordRight = "word_right",
        LineStart = "line_start",
        LineEnd = "line_end",
        DeleteBack = "delete_back",
        DeleteForward = "delete_forward",
        DeleteWord = "delete_word",
        /// Empties the input.
        Clear = "clear",
        Undo = "undo",
        Redo = "redo",
    }
}

commands! {
    /// Answers to a question (overwrite the export? finalise?).
    ConfirmCommand, texts::confirm {
        Yes = "yes",
        No = "no",
        /// Which export `x` writes: the CSV files, or the workbook.
        Csv = "csv",
        Xlsx = "xlsx",
    }
}

commands! {
    /// Keys in the agenda list.
    AgendaListCommand, texts::agenda_list {
        Close = "close",
        Down = "down",
        Up = "up",
        Top = "top",
        Bottom = "bottom",
        MoveDown = "move_down",
        MoveUp = "move_up",
        Remove = "remove",
        /// The item on screen, after the selected entry.
        Add = "add",
        /// Goes to the selected entry.
        Open = "open",
    }
}

commands! {
    /// Keys in the help overlay (typing filters it).
    HelpCommand, texts::help {
        Close = "close",
        Down = "down",
        Up = "up",
        PageDown = "page_down",
        PageUp = "page_up",
    }
}

macro_rules! bindable {
    ($($enum:ident),*) => {$(
        impl Bindable for $enum {
            const ALL: &'static [$enum] = $enum::ALL;
            fn name(self) -> &'static str {
                $enum::name(self)
            }
            fn description(self, lang: Lang) -> &'static str {
                $enum::description(self, lang)
            }
        }
    )*};
}

bindable!(
    EditorCommand,
    ConfirmCommand,
    AgendaListCommand,
    HelpCommand
);

impl Bindable for Command {
    const ALL: &'static [Command] = Command::ALL;
    fn name(self) -> &'static str {
        Command::name(self)
    }
    fn description(self, lang: Lang) -> &'static str {
        Command::description(self, lang)
    }
    fn aliases(self) -> &'static [&'static str] {
        match self {
            // The README has named it so since it was added.
            Command::CycleDiffBase => &["cycle_diff_base"],
            _ => &[],
        }
    }
}
