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

/// The field chart's rows (under the scorecard's table), and the height from which the table's
/// column has room for it: 30 rows beside the detail pane, 40 above it (where the chart would
/// take the detail's room: a projector's 100×35); below that it folds away, into the detail
/// pane of a field row.
pub(crate) const FIELD_CHART_ROWS: u16 = 9;
pub(crate) const FIELD_CHART_FROM: u16 = 30;
pub(crate) const FIELD_CHART_FROM_NARROW: u16 = 40;

/// The scorecard's parts: the table, the field chart under it (None when folded away) and
/// the detail pane (beside them on wide screens, below on narrow ones).
pub(crate) struct ScorecardParts {
    pub table: Rect,
    // Drawn by the field chart (branch `glance`); unread on this branch until it merges.
    #[allow(dead_code)]
    pub chart: Option<Rect>,
    pub detail: Rect,
}

/// The table with the field chart under it, when the room is tall enough.
fn with_field_chart(column: Rect) -> (Rect, Option<Rect>) {
    if column.height < FIELD_CHART_FROM {
        return (column, None);
    }
    let [table, chart] =
        Layout::vertical([Constraint::Fill(1), Constraint::Length(FIELD_CHART_ROWS)]).areas(column);
    (table, Some(chart))
}

pub(crate) fn scorecard_parts(body: Rect) -> ScorecardParts {
    if wide(body.width) {
        // The table takes what its columns need (up to 96 cells, leaving the detail pane 40),
        // and at least three fifths.
        let table_width = (body.width * 3 / 5).max(body.width.saturating_sub(40).min(96));
        let [left, _, detail] = Layout::horizontal([
            Constraint::Length(table_width),
            Constraint::Length(1),
            Constraint::Fill(1),
        ])
        .areas(body);
        let (table, chart) = with_field_chart(left);
        ScorecardParts {
            table,
            chart,
            detail,
        }
    } else {
        let chart_rows = if body.height >= FIELD_CHART_FROM_NARROW {
            FIELD_CHART_ROWS
        } else {
            0
        };
        let rest = body.height - chart_rows;
        let detail = (rest * 2 / 5).max(6).min(rest.saturating_sub(4)).min(rest);
        let [table, chart, detail] = Layout::vertical([
            Constraint::Fill(1),
            Constraint::Length(chart_rows),
            Constraint::Length(detail),
        ])
        .areas(body);
        ScorecardParts {
            table,
            chart: (chart_rows > 0).then_some(chart),
            detail,
        }
    }
}

/// The scorecard's table and detail pane.
pub(crate) fn scorecard(body: Rect) -> (Rect, Rect) {
    let parts = scorecard_parts(body);
    (parts.table, parts.detail)
}

/// The comparison's chart rows by the body's height: 9 from 30 rows, 7 from 20, none below.
fn compare_chart_rows(body: Rect) -> u16 {
    match body.height {
        30.. => 9,
        20.. => 7,
        _ => 0,
    }
}

/// The comparison's title, spread line, chart (no rows when folded away) and table.
pub(crate) fn compare_parts(body: Rect) -> [Rect; 4] {
    Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Length(compare_chart_rows(body)),
        Constraint::Fill(1),
    ])
    .areas(body)
}

/// The comparison's title, spread line and table.
pub(crate) fn compare(body: Rect) -> [Rect; 3] {
    let [title, spread, _, table] = compare_parts(body);
    [title, spread, table]
}

/// The dashboard's parts.
pub(crate) struct DashboardParts {
    pub title: Rect,
    pub gauge: Rect,
    pub counts: Rect,
    pub distribution: Rect,
    pub bands: Rect,
}

/// The distribution's rows at most (its caption, the bars, their labels, the markers): taller
/// bars say nothing more.
const DISTRIBUTION_ROWS: u16 = 18;

/// The dashboard: title, progress bar and its counts on top; the distribution below (at most
/// `DISTRIBUTION_ROWS`), the band counts beside it on wide screens (under it on narrow ones),
/// `bands` rows and their caption.
pub(crate) fn dashboard(body: Rect, bands: u16) -> DashboardParts {
    let [title, gauge, counts, _, rest] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Fill(1),
    ])
    .areas(body);
    let (distribution, bands) = if wide(body.width) {
        let [distribution, _, side] = Layout::horizontal([
            Constraint::Fill(1),
            Constraint::Length(1),
            Constraint::Length((body.width / 3).min(48)),
        ])
        .areas(rest);
        let height = (bands + 1).min(side.height);
        let distribution = Rect {
            height: distribution.height.min(DISTRIBUTION_ROWS),
            ..distribution
        };
        (distribution, Rect { height, ..side })
    } else {
        let [distribution, _, under, _] = Layout::vertical([
            Constraint::Max(DISTRIBUTION_ROWS),
            Constraint::Length(1),
            Constraint::Length(bands + 1),
            Constraint::Fill(1),
        ])
        .areas(rest);
        (distribution, under)
    };
    DashboardParts {
        title,
        gauge,
        counts,
        distribution,
        bands,
    }
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
        Screen::Dashboard => (None, None),
    };
    Regions {
        rows,
        detail,
        breadcrumb: super::trail_regions(state, frame.breadcrumb),
    }
}
