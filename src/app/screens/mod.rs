//! The screens, one module each: its state, its commands and what it asks of the store. The
//! app routes a command to the screen in front first; what the screen leaves is global.
//!
//! The meeting (agenda, leader and followers) and presentation mode sit over the screens.

pub mod agenda;
pub mod compare;
pub mod dashboard;
pub mod diff;
pub mod overview;
pub mod present;
pub mod scorecard;

use super::keymap::Command;
use super::{AppState, MessageKind, finalise};
use crate::app::view::{self, OverviewRow};
use crate::messages::screen::position;

/// The screens, stacked: Esc goes back down the stack.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    Overview,
    Scorecard,
    Compare,
    /// One unit's changes (`D`).
    Diff,
    /// The session at a glance (`b`).
    Dashboard,
}

/// A cursor after one movement command in a list of `len` rows, `page` rows to a screenful.
pub(crate) fn step(command: Command, selected: usize, len: usize, page: usize) -> usize {
    let last = len.saturating_sub(1);
    match command {
        Command::Down => (selected + 1).min(last),
        Command::Up => selected.saturating_sub(1),
        Command::Top => 0,
        Command::Bottom => last,
        Command::PageDown => (selected + page).min(last),
        Command::PageUp => selected.saturating_sub(page),
        _ => selected,
    }
}

/// The command as the screen in front understands it; false when it is not the screen's.
pub(crate) fn on_command(state: &mut AppState, command: Command, page: usize) -> bool {
    match state.screen() {
        Screen::Overview => overview::on_command(state, command, page),
        Screen::Scorecard => scorecard::on_command(state, command, page),
        Screen::Compare => compare::on_command(state, command, page),
        Screen::Diff => diff::on_command(state, command, page),
        Screen::Dashboard => dashboard::on_command(state, command),
    }
}

/// The hint bar of the screen in front: its commands, each with its word. With an agenda, the
/// meeting's keys come right after help, so they are never cut off.
pub fn hints(state: &AppState) -> Vec<(Command, &'static str)> {
    let own = match state.screen() {
        Screen::Overview => overview::HINTS,
        Screen::Scorecard => scorecard::HINTS,
        Screen::Compare => compare::HINTS,
        Screen::Diff => diff::HINTS,
        Screen::Dashboard => dashboard::HINTS,
    };
    let meeting: &[Command] = if state.meeting.has_bar() {
        &[Command::AgendaNext, Command::AgendaList]
    } else {
        &[]
    };
    let word = |command: Command| match (state.screen(), command) {
        // On the diff screen n / N move between changes, not disputed items.
        (Screen::Diff, Command::NextDisputed) => state.labels().diff_next_change,
        _ => command.short(state.lang),
    };
    own.iter()
        .take(1)
        .chain(meeting)
        .chain(own.iter().skip(1))
        .map(|&c| (c, word(c)))
        .collect()
}

/// The units in the overview's order (whatever the filter), for walks across units.
fn units_in_order(state: &AppState) -> Vec<usize> {
    view::overview_rows(
        &state.session,
        &state.stats,
        state.overview.sort,
        false,
        &state.search_index.unit_order,
        &[],
    )
    .into_iter()
    .filter_map(|r| match r {
        OverviewRow::Unit(u) => Some(u),
        OverviewRow::Group(_) => None,
    })
    .collect()
}

/// Where a walk across the session starts: (index into `units`, leaf), the leaf None for
/// "before the unit's first leaf".
fn walk_start(state: &AppState, units: &[usize]) -> (usize, Option<usize>) {
    let position = |u: usize| units.iter().position(|&x| x == u).unwrap_or(0);
    if let Some((u, l)) = state.current_item() {
        return (position(u), Some(l));
    }
    let pos = position(
        state
            .current_unit()
            .or_else(|| overview::group_first_unit(state))
            .unwrap_or(units[0]),
    );
    match state.screen() {
        // From a unit's parent row, start at that node's first leaf.
        Screen::Scorecard => {
            let first = state
                .scorecard_node()
                .map(|n| state.session.framework.leaf_range(n).start)
                .unwrap_or(0);
            (pos, first.checked_sub(1))
        }
        _ => (pos, None),
    }
}

/// Moves to the next (or previous) disputed item, in the overview's order of units and the
/// framework's order of leaves, crossing units.
pub(crate) fn next_disputed(state: &mut AppState, forward: bool) {
    let units = units_in_order(state);
    if units.is_empty() || (state.stats.disputed_total == 0 && state.stale_total == 0) {
        let text = state.labels().no_disputed;
        state.say(MessageKind::Info, text);
        return;
    }
    let leaves = state.session.leaf_count();
    let (start_unit, start_leaf) = walk_start(state, &units);
    let total = units.len() * leaves;
    let linear = |pos: usize, leaf: usize| pos * leaves + leaf;
    let start = match start_leaf {
        Some(l) => linear(start_unit, l) as isize,
        None => linear(start_unit, 0) as isize - 1,
    };
    for step in 1..=total as isize {
        let i = if forward { start + step } else { start - step };
        let i = i.rem_euclid(total as isize) as usize;
        let (pos, leaf) = (i / leaves, i % leaves);
        let unit = units[pos];
        if finalise::needs_review(state.session.item(unit, leaf)) {
            state.show_item(unit, leaf);
            state.scorecard.pane = scorecard::Pane::Table;
            let at = review_position(state, &units, pos, leaf);
            let total = review_total(state);
            let text = position(state.labels().open_position, at, total);
            state.say(MessageKind::Info, text);
            return;
        }
    }
    let text = state.labels().no_disputed;
    state.say(MessageKind::Info, text);
}

/// How many items `n` stops at in the whole session (whatever the filter).
fn review_total(state: &AppState) -> usize {
    let items = &state.session.items;
    items.iter().filter(|i| finalise::needs_review(i)).count()
}

/// Where an item is among those needing the council, in the order `n` walks them (1-based):
/// the units before it in the overview's order, then its unit's leaves up to it.
fn review_position(state: &AppState, units: &[usize], pos: usize, leaf: usize) -> usize {
    let needing = |items: &[crate::domain::ItemState]| {
        items.iter().filter(|i| finalise::needs_review(i)).count()
    };
    let before: usize = units[..pos]
        .iter()
        .map(|&u| needing(state.session.unit_items(u)))
        .sum();
    before + needing(&state.session.unit_items(units[pos])[..=leaf])
}
