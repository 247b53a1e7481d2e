//! The overview: one line per unit, grouped by group and sorted within it. Its state, the
//! rebuilding of its rows and its own commands (open a unit, fold a group, sort, move).

use super::step;
use crate::app::AppState;
use crate::app::keymap::Command;
use crate::app::view::{self, OverviewRow, UnitSort};

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OverviewState {
    pub sort: UnitSort,
    pub rows: Vec<OverviewRow>,
    /// Index into `rows`: a unit or a group heading.
    pub selected: usize,
    pub offset: usize,
    /// Groups folded under their heading, by group index (missing: open).
    pub folded: Vec<bool>,
}

impl OverviewState {
    pub fn is_folded(&self, group: usize) -> bool {
        self.folded.get(group).copied().unwrap_or(false)
    }

    fn set_folded(&mut self, group: usize, folded: bool) {
        if self.folded.len() <= group {
            self.folded.resize(group + 1, false);
        }
        self.folded[group] = folded;
    }
}

impl AppState {
    /// The unit under the cursor on the overview.
    pub fn overview_unit(&self) -> Option<usize> {
        match self.overview.rows.get(self.overview.selected) {
            Some(OverviewRow::Unit(u)) => Some(*u),
            _ => None,
        }
    }

    /// The group of the overview's row under the cursor (a unit's or a heading's).
    pub fn overview_group(&self) -> Option<usize> {
        match self.overview.rows.get(self.overview.selected)? {
            OverviewRow::Group(g) => Some(*g),
            OverviewRow::Unit(u) => self.stats.group_of_unit.get(*u).copied(),
        }
    }

    /// Rebuilds the rows, keeping the selection on `keep_unit`, else on the row it was on (a
    /// unit in a group just folded: that group's heading).
    pub(crate) fn rebuild_overview(&mut self, keep_unit: Option<usize>) {
        let first_build = self.overview.rows.is_empty();
        let keep = keep_unit
            .map(OverviewRow::Unit)
            .or_else(|| self.overview.rows.get(self.overview.selected).copied());
        self.overview.rows = view::overview_rows(
            &self.session,
            &self.stats,
            self.overview.sort,
            self.disputed_only,
            &self.search_index.unit_order,
            &self.overview.folded,
        );
        let keep = match keep {
            Some(OverviewRow::Unit(u)) => match self.stats.group_of_unit.get(u) {
                Some(&g) if self.overview.is_folded(g) => Some(OverviewRow::Group(g)),
                _ => Some(OverviewRow::Unit(u)),
            },
            other => other,
        };
        let position = keep.and_then(|k| self.overview.rows.iter().position(|r| *r == k));
        self.overview.selected = match position {
            Some(p) => p,
            // At first the cursor is on the first unit, below its group's heading.
            None if first_build => nearest_unit_row(&self.overview.rows, 0, true),
            None => self
                .overview
                .selected
                .min(self.overview.rows.len().saturating_sub(1)),
        };
    }

    /// Opens a unit's group if it is folded, so that the unit has a row to select.
    pub(crate) fn reveal_unit(&mut self, unit: usize) {
        if let Some(&g) = self.stats.group_of_unit.get(unit)
            && self.overview.is_folded(g)
        {
            self.overview.set_folded(g, false);
            self.rebuild_overview(Some(unit));
        }
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

/// The first unit of the group whose heading is under the cursor (where `n` starts from a
/// heading).
pub(crate) fn group_first_unit(state: &AppState) -> Option<usize> {
    let Some(OverviewRow::Group(g)) = state.overview.rows.get(state.overview.selected) else {
        return None;
    };
    super::units_in_order(state)
        .into_iter()
        .find(|&u| state.stats.group_of_unit.get(u) == Some(g))
}

/// Folds and opens groups as the scorecard's tree folds branches: `h` / `l` one group (`h`
/// on a unit folds its group and goes to the heading), `-` / `+` every group; Enter on a
/// heading toggles it.
fn fold_groups(state: &mut AppState, command: Command) {
    let Some(group) = state.overview_group() else {
        return;
    };
    let groups = state.stats.groups.len();
    let overview = &mut state.overview;
    match command {
        Command::Collapse => overview.set_folded(group, true),
        Command::Expand => overview.set_folded(group, false),
        Command::Open => overview.set_folded(group, !overview.is_folded(group)),
        Command::CollapseAll => (0..groups).for_each(|g| overview.set_folded(g, true)),
        Command::ExpandAll => (0..groups).for_each(|g| overview.set_folded(g, false)),
        _ => return,
    }
    state.rebuild_overview(None);
}

/// The overview's own commands; false for the ones it leaves to the rest.
pub(crate) fn on_command(state: &mut AppState, command: Command, page: usize) -> bool {
    match command {
        command if command.is_movement() => {
            let overview = &mut state.overview;
            overview.selected = step(command, overview.selected, overview.rows.len(), page);
        }
        Command::Open => match state.overview_unit() {
            Some(u) => state.open_scorecard(u),
            None => fold_groups(state, command),
        },
        Command::Collapse | Command::Expand | Command::CollapseAll | Command::ExpandAll => {
            fold_groups(state, command)
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
    Command::Dashboard,
    Command::ToggleDisputedOnly,
    Command::Sort,
    Command::Search,
    Command::Jump,
    Command::Diff,
    Command::Presentation,
    Command::Export,
    Command::Quit,
];
