//! The overview: one line per unit, grouped by group and sorted within it. Its state, the
//! rebuilding of its rows and its own commands (open a unit, sort, move).

use super::step;
use crate::app::AppState;
use crate::app::keymap::Command;
use crate::app::view::{self, OverviewRow, UnitSort};

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OverviewState {
    pub sort: UnitSort,
    pub rows: Vec<OverviewRow>,
    /// Index into `rows`; always a unit row when there is one.
    pub selected: usize,
    pub offset: usize,
}

impl AppState {
    /// The unit under the cursor on the overview.
    pub fn overview_unit(&self) -> Option<usize> {
        match self.overview.rows.get(self.overview.selected) {
            Some(OverviewRow::Unit(u)) => Some(*u),
            _ => None,
        }
    }

    pub(crate) fn rebuild_overview(&mut self, keep_unit: Option<usize>) {
        let keep = keep_unit.or_else(|| self.overview_unit());
        self.overview.rows = view::overview_rows(
            &self.session,
            &self.stats,
            self.overview.sort,
            self.disputed_only,
            &self.search_index.unit_order,
        );
        let position = keep.and_then(|u| {
            self.overview
                .rows
                .iter()
                .position(|r| *r == OverviewRow::Unit(u))
        });
        self.overview.selected = match position {
            Some(p) => p,
            None => nearest_unit_row(&self.overview.rows, self.overview.selected, true),
        };
    }
}

/// The unit row at or after (or before) `from`, falling back the other way.
pub(crate) fn nearest_unit_row(rows: &[OverviewRow], from: usize, forward: bool) -> usize {
    if rows.is_empty() {
        return 0;
    }
    let from = from.min(rows.len() - 1);
    let is_unit = |i: usize| matches!(rows[i], OverviewRow::Unit(_));
    let after = (from..rows.len()).find(|&i| is_unit(i));
    let before = (0..=from).rev().find(|&i| is_unit(i));
    let found = if forward {
        after.or(before)
    } else {
        before.or(after)
    };
    found.unwrap_or(0)
}

/// Moves the cursor; group headings are stepped over.
fn move_cursor(state: &mut AppState, command: Command, page: usize) {
    let overview = &mut state.overview;
    let target = step(command, overview.selected, overview.rows.len(), page);
    let forward = matches!(
        command,
        Command::Down | Command::PageDown | Command::Bottom | Command::Top
    );
    let mut row = nearest_unit_row(&overview.rows, target, forward);
    // Moving up onto a group heading skips to the unit above it.
    if command == Command::Up && row == overview.selected && target < row {
        row = nearest_unit_row(&overview.rows, target, false);
    }
    overview.selected = row;
}

/// The overview's own commands; false for the ones it leaves to the rest.
pub(crate) fn on_command(state: &mut AppState, command: Command, page: usize) -> bool {
    match command {
        command if command.is_movement() => move_cursor(state, command, page),
        Command::Open => {
            if let Some(u) = state.overview_unit() {
                state.open_scorecard(u);
            }
        }
        Command::Sort => {
            state.overview.sort = state.overview.sort.next();
            state.rebuild_overview(None);
        }
        _ => return false,
    }
    true
}

/// Keeps the window scrolled to the selection (also while another screen is on top, so that
/// Esc comes back to the same window).
pub(crate) fn settle(state: &mut AppState, page: usize) {
    let overview = &mut state.overview;
    overview.offset = view::scroll_offset(
        overview.selected,
        overview.offset,
        page,
        overview.rows.len(),
    );
}

/// The commands this screen's hint bar offers, most useful first (help first, so that it is
/// never cut off).
pub const HINTS: &[Command] = &[
    Command::Help,
    Command::Open,
    Command::NextDisputed,
    Command::ToggleDisputedOnly,
    Command::Sort,
    Command::Search,
    Command::Jump,
    Command::Diff,
    Command::Presentation,
    Command::Export,
    Command::Quit,
];
