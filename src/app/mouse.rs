//! The mouse: a click selects a row, a second click on the same cell soon after drills down,
//! the wheel scrolls, a click on the breadcrumb goes back. The runner turns the terminal's
//! mouse events into [`Action::Click`](super::Action::Click) and
//! [`Action::Wheel`](super::Action::Wheel); where things are on the screen comes from the ui,
//! which reports the [`Regions`] of each frame it lays out (as it reports the viewport), so
//! that a click is mapped to a row by the same layout that drew it.

use super::keymap::Command;
use super::overlay::Overlay;
use super::screens::scorecard::Pane;
use super::screens::{self, Screen};
use super::view::scroll_offset;
use super::{AppState, Effect};

/// A rectangle of the screen, in cells (the app's own type: no terminal types here).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Area {
    pub x: u16,
    pub y: u16,
    pub width: u16,
    pub height: u16,
}

impl Area {
    pub fn contains(&self, column: u16, row: u16) -> bool {
        (self.x..self.x.saturating_add(self.width)).contains(&column)
            && (self.y..self.y.saturating_add(self.height)).contains(&row)
    }
}

/// Where the last frame put what a click can hit.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Regions {
    /// The rows of the table (or list) of the screen in front, below its header: the first
    /// of them shows the table's row at its scroll offset.
    pub rows: Option<Area>,
    /// The scorecard's detail pane.
    pub detail: Option<Area>,
    /// The breadcrumb's parts, each with the depth of the screen stack it goes back to.
    pub breadcrumb: Vec<(Area, usize)>,
}

/// Two clicks on one cell at most this far apart are a double click (the usual desktop
/// setting).
pub const DOUBLE_CLICK_MS: i64 = 500;

/// Rows one notch of the wheel scrolls.
pub const WHEEL_ROWS: usize = 3;

/// The mouse's memory between events.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MouseState {
    pub regions: Regions,
    /// The last click that could start a double click: its cell and time (milliseconds).
    last_click: Option<(u16, u16, i64)>,
}

/// Milliseconds of the app's clock (its stamps are RFC 3339 with milliseconds); None when the
/// clock's text is not a time, and then no two clicks make a double click.
fn clock_millis(state: &AppState) -> Option<i64> {
    crate::domain::time::parse_stored(&(state.clock)()).map(|t| t.timestamp_millis())
}

/// Whether the mouse may act now: not under an open overlay or the agenda list (a click must
/// not move the item an editor is open on), and not in presentation mode.
fn may_act(state: &AppState) -> bool {
    state.overlay.is_none() && state.meeting.list.is_none() && !state.presentation
}

/// A click of the left button at a cell.
pub(crate) fn on_click(state: &mut AppState, column: u16, row: u16, effects: &mut Vec<Effect>) {
    if !may_act(state) {
        return;
    }
    let now = clock_millis(state);
    let double = match (state.mouse.last_click, now) {
        (Some((c, r, at)), Some(now)) => {
            (c, r) == (column, row) && (0..=DOUBLE_CLICK_MS).contains(&(now - at))
        }
        _ => false,
    };
    state.mouse.last_click = now.filter(|_| !double).map(|at| (column, row, at));
    let regions = state.mouse.regions.clone();
    if let Some(&(_, depth)) = regions
        .breadcrumb
        .iter()
        .find(|(area, _)| area.contains(column, row))
    {
        back_to(state, depth);
    } else if let Some(rows) = regions.rows.filter(|a| a.contains(column, row)) {
        let line = usize::from(row - rows.y);
        if select_line(state, line, usize::from(rows.height)) && double {
            super::on_command(state, Command::Open, effects);
        }
    } else if regions.detail.is_some_and(|a| a.contains(column, row))
        && state.screen() == Screen::Scorecard
    {
        state.scorecard.pane = Pane::Detail;
    }
}

/// The breadcrumb: back down the stack to `depth` screens.
fn back_to(state: &mut AppState, depth: usize) {
    if depth >= 1 && depth < state.stack.len() {
        state.stack.truncate(depth);
        state.scorecard.pane = Pane::Table;
    }
}

/// Selects the row shown on the `line`-th line of the table (`height` lines); false when that
/// line shows no row that can be selected.
fn select_line(state: &mut AppState, line: usize, height: usize) -> bool {
    let index = |selected: usize, offset: usize, len: usize| {
        let first = scroll_offset(selected, offset, height, len);
        Some(first + line).filter(|&i| i < len)
    };
    match state.screen() {
        Screen::Overview => {
            let o = &state.overview;
            match index(o.selected, o.offset, o.rows.len()) {
                // Group headings are rows too: a click selects one, a double click folds it.
                Some(i) => {
                    state.overview.selected = i;
                    true
                }
                _ => false,
            }
        }
        Screen::Scorecard => {
            let c = &state.scorecard;
            let Some(i) = index(c.selected, c.offset, c.rows.len()) else {
                return false;
            };
            if i != c.selected {
                state.scorecard.detail_scroll = 0;
            }
            state.scorecard.selected = i;
            state.scorecard.pane = Pane::Table;
            true
        }
        Screen::Compare => {
            let c = &state.compare;
            let Some(i) = index(c.selected, c.offset, c.rows.len()) else {
                return false;
            };
            state.compare.selected = i;
            true
        }
        Screen::Diff => {
            let d = &state.diff;
            let Some(i) = index(d.selected, d.offset, d.rows.len()) else {
                return false;
            };
            state.diff.selected = i;
            true
        }
        Screen::Dashboard => false,
    }
}

/// One notch of the wheel at a cell: the help scrolls, the detail pane under the pointer
/// scrolls, else the table of the screen in front moves by [`WHEEL_ROWS`], the selection with
/// it.
pub(crate) fn on_wheel(state: &mut AppState, column: u16, row: u16, down: bool) {
    if let Some(Overlay::Help(help)) = &mut state.overlay {
        help.scroll = shifted(help.scroll, down, usize::MAX);
        return;
    }
    if !may_act(state) {
        return;
    }
    let over_detail = state
        .mouse
        .regions
        .detail
        .is_some_and(|a| a.contains(column, row));
    if state.screen() == Screen::Scorecard && over_detail {
        let card = &mut state.scorecard;
        card.detail_scroll = shifted(
            card.detail_scroll,
            down,
            screens::scorecard::DETAIL_SCROLL_MAX,
        );
        return;
    }
    let page = state.page();
    let scroll = |selected: &mut usize, offset: &mut usize, len: usize| {
        let last = len.saturating_sub(1);
        *offset = shifted(*offset, down, len.saturating_sub(page));
        *selected = shifted(*selected, down, last);
    };
    match state.screen() {
        Screen::Overview => {
            let o = &mut state.overview;
            scroll(&mut o.selected, &mut o.offset, o.rows.len());
            o.selected = screens::overview::nearest_unit_row(&o.rows, o.selected, down);
        }
        Screen::Scorecard => {
            let c = &mut state.scorecard;
            scroll(&mut c.selected, &mut c.offset, c.rows.len());
            c.detail_scroll = 0;
        }
        Screen::Compare => {
            let c = &mut state.compare;
            scroll(&mut c.selected, &mut c.offset, c.rows.len());
        }
        Screen::Diff => {
            let d = &mut state.diff;
            scroll(&mut d.selected, &mut d.offset, d.rows.len());
        }
        // The dashboard has no rows.
        Screen::Dashboard => {}
    }
}

/// `value` moved by one notch, within 0..=max.
fn shifted(value: usize, down: bool, max: usize) -> usize {
    if down {
        value.saturating_add(WHEEL_ROWS).min(max)
    } else {
        value.saturating_sub(WHEEL_ROWS)
    }
}
