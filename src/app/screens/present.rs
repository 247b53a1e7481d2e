//! Presentation mode: the current item alone, large, for the projector. A mode over the
//! screens (the stack stays as it is), toggled by its key and left with Esc.

use crate::app::AppState;
use crate::app::keymap::Command;

/// Presentation's own commands; false for the ones it leaves to the screens.
pub(crate) fn on_command(state: &mut AppState, command: Command) -> bool {
    match command {
        Command::Presentation => state.presentation = !state.presentation,
        Command::Back if state.presentation => state.presentation = false,
        _ => return false,
    }
    true
}

/// The presenter's quiet footer: the few keys the chair needs.
pub const HINTS: &[Command] = &[
    Command::AgendaNext,
    Command::AgendaPrev,
    Command::AgendaList,
    Command::AcceptSelf,
    Command::AcceptProposal,
    Command::EditScore,
    Command::Help,
];
