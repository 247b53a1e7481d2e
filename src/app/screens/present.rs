//! Presentation mode: the current item alone, large, for the projector. A mode over the
//! screens (the stack stays as it is), toggled by its key and left with Esc.

use crate::app::AppState;
use crate::app::keymap::Command;

/// Presentation's own commands; false for the ones it leaves to the screens.
pub(crate) fn on_command(state: &mut AppState, command: Command) -> bool {
    match command {
        // The dashboard is a screen of its own: `b` leaves presentation to show it, and `P`
        // on it presents the item of the screen below.
        Command::Dashboard if state.presentation => {
            state.presentation = false;
            return false;
        }
        Command::Presentation if state.screen() == super::Screen::Dashboard => {
            state.stack.pop();
            state.presentation = true;
        }
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
