//! One criterion across every unit: its title and the spread, then a ratatui `Table` over the
//! visible units with each unit's note.

use crate::app::AppState;
use crate::app::view::CompareRow;
use crate::ui::draw::{delta_style, delta_text, first_line, status_style};
use crate::ui::layout;
use crate::ui::overlays::put_row;
use crate::ui::table::{
    Cell, Col, VisibleTable, header_cells, keep, layout_columns, left, opt, right, unit_code_width,
    w, window,
};
use crate::ui::theme::Theme;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

pub(crate) fn render(state: &AppState, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let [title, spread, table_area] = layout::compare(area);
    put_row(buf, title, title.y, &title_text(state), theme.title);
    put_row(buf, spread, spread.y, &spread_text(state), theme.info);
    table(state, theme, table_area, buf);
}

/// " 1.1.2 Mức độ hoàn thành kế hoạch · Tối đa 2".
fn title_text(state: &AppState) -> String {
    let numbers = state.numbers();
    let node = state.session.framework.node(state.compare.node);
    format!(
        " {} {} · {} {}",
        node.code(),
        node.def.title,
        state.labels().col_max,
        numbers.points(node.def.max_points)
    )
}

/// The spread of the appraised scores and how many units are listed.
fn spread_text(state: &AppState) -> String {
    let numbers = state.numbers();
    let labels = state.labels();
    let cmp = &state.compare;
    format!(
        " {}: {} {} · {} {} · {} {} · {} {}",
        labels.spread,
        labels.spread_min,
        numbers.points(cmp.spread.min),
        labels.spread_max,
        numbers.points(cmp.spread.max),
        labels.spread_mean,
        numbers.points(cmp.spread.mean),
        cmp.rows.len(),
        labels.units_count
    )
}

/// The council column: a leaf's decision, or a branch's appraised total.
fn council_label(state: &AppState) -> &'static str {
    let labels = state.labels();
    let node = state.session.framework.node(state.compare.node);
    if node.leaf_index.is_some() {
        labels.col_council
    } else {
        labels.col_appraised
    }
}

/// Code, unit, self, proposal, council, Δ, status, note; the note takes what is left.
fn columns(state: &AppState, width: u16) -> (Vec<Col>, Vec<bool>) {
    let labels = state.labels();
    let name_width = (width / 4).clamp(14, 36);
    let spec = [
        (left(w(labels.col_code, unit_code_width(state))), false, 0),
        (left(name_width), false, 0),
        (right(w(labels.col_self, 5)), false, 0),
        (right(w(labels.col_proposal, 5)), false, 0),
        (right(w(council_label(state), 5)), false, 0),
        (right(w(labels.col_delta, 6)), false, 0),
        (left(w(labels.col_status, 10)), false, 2),
        (left(10), true, 1),
    ];
    layout_columns(width.saturating_sub(1), &spec, 7, 10)
}

fn table(state: &AppState, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let labels = state.labels();
    let cmp = &state.compare;
    let (cols, kept) = columns(state, area.width);
    let names = vec![
        labels.col_code,
        labels.col_unit,
        labels.col_self,
        labels.col_proposal,
        council_label(state),
        labels.col_delta,
        labels.col_status,
        labels.col_note,
    ];
    let height = area.height.saturating_sub(1) as usize;
    let (offset, end) = window(cmp.selected, cmp.offset, height, cmp.rows.len());
    let rows = cmp.rows[offset..end]
        .iter()
        .map(|row| keep(row_cells(state, theme, row), &kept))
        .collect();
    VisibleTable {
        cols: &cols,
        header: header_cells(names, &kept, theme),
        rows,
        selected: cmp.selected.checked_sub(offset),
        selected_style: theme.selected,
    }
    .render(area, buf);
}

/// One unit's figures for the criterion, its status (or disputed count) and its note.
fn row_cells(state: &AppState, theme: &Theme, row: &CompareRow) -> Vec<Cell> {
    let numbers = state.numbers();
    let labels = state.labels();
    let unit = &state.session.units[row.unit];
    let (status, status_look) = match row.status {
        Some(s) => (labels.status(s).to_string(), status_style(theme, s)),
        None if row.disputed > 0 => (
            format!("{} {}", row.disputed, labels.disputed_short),
            theme.disputed,
        ),
        None => (String::new(), theme.base),
    };
    let leaf = state.session.framework.node(state.compare.node).leaf_index;
    let note = leaf
        .and_then(|l| state.notes.get(&(row.unit, l)))
        .map(|n| first_line(n).to_string())
        .unwrap_or_default();
    vec![
        (unit.code.clone(), theme.base),
        (unit.name.clone(), theme.base),
        (numbers.points(row.self_points), theme.base),
        (opt(row.proposal, numbers), theme.base),
        (opt(row.council, numbers), theme.title),
        (
            delta_text(row.delta, numbers),
            delta_style(theme, row.delta),
        ),
        (status, status_look),
        (note, theme.muted),
    ]
}
