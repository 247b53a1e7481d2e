//! The dashboard (`b`): the session at a glance — the units' index % distribution with the
//! band thresholds, how many units per band, the meeting's progress. A screen of its own over
//! the one it was opened from; `b` again or Esc goes back there as it was.

use super::Screen;
use crate::app::AppState;
use crate::app::charts::Dashboard;
use crate::app::keymap::Command;

impl AppState {
    /// `b`: opens the dashboard over the screen in front, or closes it.
    pub(crate) fn toggle_dashboard(&mut self) {
        if self.screen() == Screen::Dashboard {
            self.stack.pop();
            return;
        }
        self.stack.retain(|s| *s != Screen::Dashboard);
        self.rebuild_dashboard();
        self.stack.push(Screen::Dashboard);
    }

    /// The dashboard's figures, again (after a decision, a reload, new bands).
    pub(crate) fn rebuild_dashboard(&mut self) {
        self.dashboard =
            Dashboard::compute(&self.session, &self.stats, &self.bands, self.stale_total);
    }

    /// Keeps the dashboard's figures current when it is open.
    pub(crate) fn refresh_dashboard(&mut self) {
        if self.stack.contains(&Screen::Dashboard) {
            self.rebuild_dashboard();
        }
    }
}

/// The dashboard's own commands: it has nothing to move, so movement keys do nothing.
pub(crate) fn on_command(_state: &mut AppState, command: Command) -> bool {
    command.is_movement()
}

/// The commands this screen's hint bar offers, most useful first (help first and quit last,
/// so that they are never cut off).
pub const HINTS: &[Command] = &[
    Command::Help,
    Command::Dashboard,
    Command::NextDisputed,
    Command::Search,
    Command::Jump,
    Command::Back,
    Command::Quit,
];
