//! One criterion across every unit, with the spread of the appraised scores. Its state,
//! opening it, the unit notes it loads for the visible rows, and its own commands.

use super::{Screen, step};
use crate::app::keymap::Command;
use crate::app::view::{self, CompareRow, CompareSort, Spread, scroll_offset};
use crate::app::{AppState, Effect};
use crate::domain::NodeId;
use crate::domain::distribution::Bucket;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CompareState {
    pub node: NodeId,
    pub sort: CompareSort,
    pub rows: Vec<CompareRow>,
    pub spread: Spread,
    /// How many units have each appraised score (the chart above the table).
    pub buckets: Vec<Bucket>,
    pub selected: usize,
    pub offset: usize,
}

impl AppState {
    /// Opens a criterion across units with the selection on the unit the screen was on (so
    /// that Esc, which pops back, leaves everything below as it was).
    pub(crate) fn open_compare(&mut self, node: NodeId) {
        let from = self.current_unit();
        if self.compare.node != node {
            self.compare.selected = 0;
            self.compare.offset = 0;
        }
        self.compare.node = node;
        self.rebuild_compare(from);
        if self.screen() != Screen::Compare {
            self.stack.push(Screen::Compare);
        }
    }

    pub(crate) fn rebuild_compare(&mut self, keep_unit: Option<usize>) {
        let keep =
            keep_unit.or_else(|| self.compare.rows.get(self.compare.selected).map(|r| r.unit));
        let (rows, spread, buckets) = view::compare_rows(
            &self.session,
            self.compare.node,
            self.compare.sort,
            self.disputed_only,
        );
        self.compare.rows = rows;
        self.compare.spread = spread;
        self.compare.buckets = buckets;
        if let Some(u) = keep
            && let Some(p) = self.compare.rows.iter().position(|r| r.unit == u)
        {
            self.compare.selected = p;
        }
        self.compare.selected = self
            .compare
            .selected
            .min(self.compare.rows.len().saturating_sub(1));
    }
}

/// The comparison's own commands; false for the ones it leaves to the rest.
pub(crate) fn on_command(state: &mut AppState, command: Command, page: usize) -> bool {
    match command {
        command if command.is_movement() => {
            let cmp = &mut state.compare;
            cmp.selected = step(command, cmp.selected, cmp.rows.len(), page);
        }
        // Enter on a unit: the criterion on that unit's scorecard.
        Command::Open => {
            if let Some(row) = state.compare.rows.get(state.compare.selected) {
                let (unit, node) = (row.unit, state.compare.node);
                state.show_node(unit, node);
            }
        }
        Command::Sort => {
            state.compare.sort = state.compare.sort.next();
            state.rebuild_compare(None);
        }
        _ => return false,
    }
    true
}

/// Keeps the window on the selection and asks for the unit notes of the visible rows.
pub(crate) fn settle(state: &mut AppState, page: usize, effects: &mut Vec<Effect>) {
    let cmp = &mut state.compare;
    cmp.offset = scroll_offset(cmp.selected, cmp.offset, page, cmp.rows.len());
    let Some(leaf) = state.session.framework.node(cmp.node).leaf_index else {
        return;
    };
    let end = (cmp.offset + page).min(cmp.rows.len());
    let missing: Vec<usize> = cmp.rows[cmp.offset..end]
        .iter()
        .map(|r| r.unit)
        .filter(|&u| !state.notes.contains_key(&(u, leaf)))
        .collect();
    if missing.is_empty() {
        return;
    }
    for &u in &missing {
        state.notes.insert((u, leaf), String::new());
    }
    effects.push(Effect::LoadNotes {
        leaf,
        units: missing,
    });
}

/// The commands this screen's hint bar offers, most useful first (help first, so that it is
/// never cut off).
pub const HINTS: &[Command] = &[
    Command::Help,
    Command::Open,
    Command::Sort,
    Command::EditScore,
    Command::AcceptSelf,
    Command::AcceptProposal,
    Command::NextDisputed,
    Command::Back,
    Command::Quit,
];
