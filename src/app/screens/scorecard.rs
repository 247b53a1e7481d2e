//! One unit's scorecard: the criteria tree with its roll-ups and the detail pane. Its state,
//! opening it on a unit or an item, folding the tree, and its own commands.

use super::{Screen, step};
use crate::app::AppState;
use crate::app::keymap::Command;
use crate::app::view::{self, scroll_offset};
use crate::domain::NodeId;

/// Which part of the scorecard the movement keys act on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Pane {
    #[default]
    Table,
    Detail,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ScorecardState {
    pub unit: usize,
    /// Per node id.
    pub expanded: Vec<bool>,
    pub rows: Vec<NodeId>,
    pub selected: usize,
    pub offset: usize,
    pub pane: Pane,
    pub detail_scroll: usize,
    /// Roll-ups of every node for this unit.
    pub totals: Vec<crate::domain::Totals>,
    pub disputed: Vec<u32>,
    /// Each counted field's index %, self-assessed and appraised (the field chart).
    pub fields: Vec<crate::app::charts::FieldPcts>,
}

/// How far the detail pane scrolls at most (lines).
pub(crate) const DETAIL_SCROLL_MAX: usize = 500;

impl AppState {
    /// The node under the cursor on the scorecard.
    pub fn scorecard_node(&self) -> Option<NodeId> {
        self.scorecard.rows.get(self.scorecard.selected).copied()
    }

    pub(crate) fn open_scorecard(&mut self, unit: usize) {
        let nodes = self.session.framework.nodes().len();
        if self.scorecard.unit != unit || self.scorecard.expanded.len() != nodes {
            // Fields open, deeper levels closed: one screen shows the whole set's shape.
            self.scorecard = ScorecardState {
                unit,
                expanded: self
                    .session
                    .framework
                    .nodes()
                    .iter()
                    .map(|n| n.parent.is_none())
                    .collect(),
                ..Default::default()
            };
        }
        self.scorecard.unit = unit;
        self.rebuild_scorecard(None);
        if self.screen() != Screen::Scorecard {
            self.stack.retain(|s| *s == Screen::Overview);
            self.stack.push(Screen::Scorecard);
        }
    }

    pub(crate) fn rebuild_scorecard(&mut self, keep_node: Option<NodeId>) {
        let keep = keep_node.or_else(|| self.scorecard_node());
        let unit = self.scorecard.unit;
        if unit >= self.session.units.len() {
            return;
        }
        self.scorecard.totals = view::unit_node_totals(&self.session, unit);
        self.scorecard.fields =
            crate::app::charts::field_pcts(&self.stats.fields, &self.scorecard.totals);
        self.scorecard.disputed = view::disputed_per_node(&self.session, unit);
        self.scorecard.rows = view::tree_rows(
            &self.session,
            &self.scorecard.expanded,
            &self.scorecard.disputed,
            self.disputed_only,
        );
        if let Some(node) = keep {
            // The node itself, or its nearest visible ancestor.
            let mut probe = Some(node);
            while let Some(id) = probe {
                if let Some(p) = self.scorecard.rows.iter().position(|&r| r == id) {
                    self.scorecard.selected = p;
                    return;
                }
                probe = self.session.framework.node(id).parent;
            }
        }
        self.scorecard.selected = self
            .scorecard
            .selected
            .min(self.scorecard.rows.len().saturating_sub(1));
    }

    /// Makes one item the scorecard's selection: opens the unit, expands the branch.
    pub(crate) fn show_item(&mut self, unit: usize, leaf: usize) {
        let node = self.session.framework.leaves()[leaf];
        self.show_node(unit, node);
        self.reveal_unit(unit);
        if let Some(p) = self
            .overview
            .rows
            .iter()
            .position(|r| *r == view::OverviewRow::Unit(unit))
        {
            self.overview.selected = p;
        }
    }

    /// Opens a unit's scorecard on a node, with every branch above it expanded.
    pub(crate) fn show_node(&mut self, unit: usize, node: NodeId) {
        self.open_scorecard(unit);
        let mut parent = self.session.framework.node(node).parent;
        while let Some(p) = parent {
            self.scorecard.expanded[p] = true;
            parent = self.session.framework.node(p).parent;
        }
        self.rebuild_scorecard(Some(node));
    }
}

fn fold_tree(state: &mut AppState, command: Command) {
    let Some(node) = state.scorecard_node() else {
        return;
    };
    let fw = &state.session.framework;
    let has_children = !fw.node(node).children.is_empty();
    match command {
        Command::Expand if has_children => state.scorecard.expanded[node] = true,
        Command::Collapse => {
            if has_children && state.scorecard.expanded[node] {
                state.scorecard.expanded[node] = false;
            } else if let Some(parent) = fw.node(node).parent {
                // Already closed (or a leaf): go up to the parent, as file trees do.
                state.rebuild_scorecard(Some(parent));
                return;
            }
        }
        Command::ExpandAll => state.scorecard.expanded.iter_mut().for_each(|e| *e = true),
        Command::CollapseAll => {
            state.scorecard.expanded.iter_mut().for_each(|e| *e = false);
            let field = fw.field_of(node);
            state.rebuild_scorecard(Some(field));
            return;
        }
        _ => {}
    }
    state.rebuild_scorecard(Some(node));
}

/// Movement keys move the table's cursor, or scroll the detail pane when it has the focus.
fn move_cursor(state: &mut AppState, command: Command, page: usize) {
    let card = &mut state.scorecard;
    match card.pane {
        Pane::Table => {
            card.selected = step(command, card.selected, card.rows.len(), page);
            card.detail_scroll = 0;
        }
        Pane::Detail => {
            card.detail_scroll = match command {
                Command::Down => card.detail_scroll + 1,
                Command::Up => card.detail_scroll.saturating_sub(1),
                Command::Top => 0,
                Command::PageDown => card.detail_scroll + page / 2,
                Command::PageUp => card.detail_scroll.saturating_sub(page / 2),
                _ => card.detail_scroll,
            }
            .min(DETAIL_SCROLL_MAX);
        }
    }
}

/// Enter: a leaf opens across units, a branch opens or closes.
fn open(state: &mut AppState) {
    let Some(node) = state.scorecard_node() else {
        return;
    };
    if state.session.framework.node(node).is_leaf() {
        state.open_compare(node);
    } else {
        let open = state.scorecard.expanded[node];
        state.scorecard.expanded[node] = !open;
        state.rebuild_scorecard(Some(node));
    }
}

/// The scorecard's own commands; false for the ones it leaves to the rest.
pub(crate) fn on_command(state: &mut AppState, command: Command, page: usize) -> bool {
    match command {
        command if command.is_movement() => move_cursor(state, command, page),
        Command::Collapse | Command::Expand | Command::CollapseAll | Command::ExpandAll => {
            fold_tree(state, command)
        }
        Command::Open => open(state),
        Command::Compare => {
            if let Some(node) = state.scorecard_node() {
                state.open_compare(node);
            }
        }
        Command::SwitchPane => {
            state.scorecard.pane = match state.scorecard.pane {
                Pane::Table => Pane::Detail,
                Pane::Detail => Pane::Table,
            };
        }
        // Esc first leaves the detail pane, then the screen.
        Command::Back if state.scorecard.pane == Pane::Detail => {
            state.scorecard.pane = Pane::Table;
        }
        _ => return false,
    }
    true
}

/// Keeps the window scrolled to the selection.
pub(crate) fn settle(state: &mut AppState, page: usize) {
    let card = &mut state.scorecard;
    card.offset = scroll_offset(card.selected, card.offset, page, card.rows.len());
}

/// The commands this screen's hint bar offers, most useful first (help first, so that it is
/// never cut off).
pub const HINTS: &[Command] = &[
    Command::Help,
    Command::EditScore,
    Command::AcceptSelf,
    Command::AcceptProposal,
    Command::ToggleFlag,
    Command::Undo,
    Command::NextDisputed,
    Command::Compare,
    Command::Diff,
    Command::SwitchPane,
    Command::Back,
    Command::Quit,
];
