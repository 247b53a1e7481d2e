//! Where everything goes: the frame's regions and each screen's parts, laid out with ratatui's
//! `Layout`. The drawing uses these, and so does [`viewport`], which tells the app how many
//! rows each table shows: the page height is computed here and only here.

use crate::app::mouse::{Area, Regions};
use crate::app::view::Viewport;
use crate::app::{AppState, Screen};
use ratatui::layout::{Constraint, Layout, Rect};

/// Rows the agenda bar takes above the screen's body (none without a meeting).
pub(crate) fn bar_rows(state: &AppState) -> u16 {
    if state.meeting.has_bar() { 2 } else { 0 }
}

/// The frame of the screens, top to bottom.
pub(crate) struct Frame {
    pub breadcrumb: Rect,
    pub bar: Rect,
    pub body: Rect,
    pub message: Rect,
    pub footer: Rect,
}

pub(crate) fn frame(area: Rect, bar_rows: u16) -> Frame {
    let [breadcrumb, bar, body, message, footer] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(bar_rows),
        Constraint::Fill(1),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(area);
    Frame {
        breadcrumb,
        bar,
        body,
        message,
        footer,
    }
}

/// The presenter (presentation mode in a meeting): the agenda bar, a blank row, the item.
pub(crate) fn presenter(area: Rect, bar_rows: u16) -> (Rect, Rect) {
    let [bar, _, item] = Layout::vertical([
        Constraint::Length(bar_rows),
        Constraint::Length(1),
        Constraint::Fill(1),
    ])
    .areas(area);
    (bar, item)
}

/// Wide screens show the scorecard's detail pane beside the table, narrow ones below it.
pub(crate) fn wide(width: u16) -> bool {
    width >= 120
}

/// The scorecard's table and detail pane.
pub(crate) fn scorecard(body: Rect) -> (Rect, Rect) {
    if wide(body.width) {
        let [table, _, detail] = Layout::horizontal([
            Constraint::Length(body.width * 3 / 5),
            Constraint::Length(1),
            Constraint::Fill(1),
        ])
        .areas(body);
        (table, detail)
    } else {
        let detail = (body.height * 2 / 5)
            .max(6)
            .min(body.height.saturating_sub(4))
            .min(body.height);
        let [table, detail] =
            Layout::vertical([Constraint::Fill(1), Constraint::Length(detail)]).areas(body);
        (table, detail)
    }
}

/// The comparison's title, spread line and table.
pub(crate) fn compare(body: Rect) -> [Rect; 3] {
    Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Fill(1),
    ])
    .areas(body)
}

/// The diff screen's title, list and the selected line in full (three rows).
pub(crate) fn diff(body: Rect) -> [Rect; 3] {
    Layout::vertical([
        Constraint::Length(1),
        Constraint::Fill(1),
        Constraint::Length(3),
    ])
    .areas(body)
}

/// Rows below a table's header row.
fn below_header(table: Rect) -> usize {
    table.height.saturating_sub(1) as usize
}

/// How many rows each screen's table shows in a frame of this size: what the runner reports
/// to the app (`Action::Viewport`) so that paging moves exactly one screenful.
pub fn viewport(state: &AppState, width: u16, height: u16) -> Viewport {
    let body = frame(Rect::new(0, 0, width, height), bar_rows(state)).body;
    let [_, _, compare_table] = compare(body);
    let [_, diff_list, _] = diff(body);
    Viewport {
        overview: below_header(body),
        scorecard: below_header(scorecard(body).0),
        compare: below_header(compare_table),
        diff: diff_list.height as usize,
    }
}

/// The app's area of a ratatui rectangle.
fn area_of(rect: Rect) -> Area {
    Area {
        x: rect.x,
        y: rect.y,
        width: rect.width,
        height: rect.height,
    }
}

/// A table's rows: its area below the header row.
fn rows_below_header(table: Rect) -> Area {
    area_of(Rect {
        y: table.y.saturating_add(1),
        height: table.height.saturating_sub(1),
        ..table
    })
}

/// Where a frame of this size puts what the mouse can hit: the rows of the table in front,
/// the scorecard's detail pane, the breadcrumb's parts. What the runner reports to the app
/// (`Action::Regions`) so that a click is mapped by the layout that drew the frame.
pub fn regions(state: &AppState, width: u16, height: u16) -> Regions {
    let area = Rect::new(0, 0, width, height);
    if state.presentation || width < super::MIN_WIDTH || height < super::MIN_HEIGHT {
        return Regions::default();
    }
    let frame = frame(area, bar_rows(state));
    let body = frame.body;
    let (rows, detail) = match state.screen() {
        Screen::Overview => (Some(rows_below_header(body)), None),
        Screen::Scorecard => {
            let (table, detail) = scorecard(body);
            (Some(rows_below_header(table)), Some(area_of(detail)))
        }
        Screen::Compare => (Some(rows_below_header(compare(body)[2])), None),
        Screen::Diff => {
            let list = super::screens::diff::lines_area(state, diff(body)[1]);
            (list.map(area_of), None)
        }
    };
    Regions {
        rows,
        detail,
        breadcrumb: super::trail_regions(state, frame.breadcrumb),
    }
}
