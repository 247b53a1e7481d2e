//! The overview: one line per unit, grouped, with its figures and, as the width allows, the
//! index % of each field. A ratatui `Table` over the visible rows; group headings span the
//! columns, so they are written over their (empty) rows.

use crate::app::AppState;
use crate::app::view::OverviewRow;
use crate::ui::draw::{delta_style, delta_text, pct_style, put};
use crate::ui::overlays::put_row;
use crate::ui::table::{
    Cell, Col, VisibleTable, header_cells, keep, layout_columns, left, right, unit_code_width, w,
    window,
};
use crate::ui::theme::Theme;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use unicode_width::UnicodeWidthStr;

const NAME_COLUMN: usize = 2;

/// The band column fits the session's band names (and "không xếp loại" where units can fall
/// below the last band), at least 4 cells.
fn band_width(state: &AppState) -> usize {
    let bands = &state.bands.0;
    let mut widest = bands
        .iter()
        .map(|(name, _)| name.width())
        .max()
        .unwrap_or(0);
    if bands
        .last()
        .is_some_and(|(_, threshold)| *threshold > rust_decimal::Decimal::ZERO)
    {
        widest = widest.max(crate::domain::rollup::UNCLASSIFIED.width());
    }
    widest.clamp(4, 14)
}

/// The columns at this width: which are kept, and how many fields fit beside a readable name.
struct Columns {
    cols: Vec<Col>,
    kept: Vec<bool>,
    fields: usize,
}

fn columns(state: &AppState, width: u16) -> Columns {
    let labels = state.labels();
    let fields = state.stats.fields.len();
    let mut spec = vec![
        (right(w(labels.col_rank, 4)), false, 0),
        (left(w(labels.col_code, unit_code_width(state))), false, 0),
        (left(20), true, 0),
        (right(w(labels.col_self, 6)), false, 3),
        (right(w(labels.col_appraised, 6)), false, 0),
        (right(w(labels.col_delta, 7)), false, 0),
        (right(w(labels.col_index, 6)), false, 0),
        (left(w(labels.col_band, band_width(state))), false, 1),
        (right(w(labels.col_progress, 9)), false, 2),
    ];
    // Fields come and go as a block: at most what fits beside a readable name.
    let base_width: u16 = spec.iter().map(|(c, _, _)| c.width + 1).sum();
    let room_for_fields = width.saturating_sub(base_width + 24) / 7;
    let shown = (room_for_fields as usize).min(fields);
    spec.extend((0..shown).map(|_| (right(6), false, 4)));
    // The name column need not be much wider than the longest name: figures stay close to it.
    let longest_name = state.unit_widths.name.min(60) as u16;
    let fixed: u16 = spec
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != NAME_COLUMN)
        .map(|(_, (c, _, _))| c.width + 1)
        .sum();
    let table_width = width.min(fixed + longest_name.clamp(14, 60) + 1);
    let (cols, kept) = layout_columns(table_width.saturating_sub(1), &spec, NAME_COLUMN, 14);
    Columns {
        cols,
        kept,
        fields: shown,
    }
}

fn header(state: &AppState, columns: &Columns, theme: &Theme) -> Vec<Cell> {
    let labels = state.labels();
    let mut names = vec![
        labels.col_rank.to_string(),
        labels.col_code.to_string(),
        labels.col_unit.to_string(),
        labels.col_self.to_string(),
        labels.col_appraised.to_string(),
        labels.col_delta.to_string(),
        labels.col_index.to_string(),
        labels.col_band.to_string(),
        labels.col_progress.to_string(),
    ];
    let fw = &state.session.framework;
    let fields = state.stats.fields.iter().take(columns.fields);
    names.extend(fields.map(|&f| fw.node(f).code().to_string()));
    header_cells(names, &columns.kept, theme)
}

/// One unit's line: its figures, Δ with an arrow, index % and band graded, progress.
fn unit_cells(state: &AppState, theme: &Theme, u: usize, columns: &Columns) -> Vec<Cell> {
    let numbers = state.numbers();
    let unit = &state.session.units[u];
    let s = &state.stats.units[u];
    let delta = s.totals.delta();
    let p = &s.progress;
    let graded = pct_style(state, theme, s.index_pct);
    let progress_style = if p.disputed > 0 {
        theme.disputed
    } else {
        theme.base
    };
    let mut cells = vec![
        (s.rank.to_string(), theme.base),
        (unit.code.clone(), theme.base),
        (unit.name.clone(), theme.base),
        (numbers.points(s.totals.self_total), theme.base),
        (numbers.points(s.totals.appraised_total), theme.title),
        (delta_text(delta, numbers), delta_style(theme, delta)),
        (numbers.pct(s.index_pct), graded),
        (s.band.clone(), graded),
        (
            format!("{}/{}/{}", p.decided(), p.disputed, p.pending),
            progress_style,
        ),
    ];
    for pct in s.field_pcts.iter().take(columns.fields) {
        cells.push((numbers.pct(*pct), pct_style(state, theme, *pct)));
    }
    keep(cells, &columns.kept)
}

/// "▸ Xã, phường (8 đơn vị)".
fn group_heading(state: &AppState, g: usize) -> String {
    let name = state.stats.groups.get(g).map(String::as_str).unwrap_or("");
    let count = state
        .stats
        .group_of_unit
        .iter()
        .filter(|&&x| x == g)
        .count();
    format!("▸ {name} ({count} {})", state.labels().units_count)
}

pub(crate) fn render(state: &AppState, theme: &Theme, area: Rect, buf: &mut Buffer) {
    if state.session.units.is_empty() {
        let text = state.labels().empty_session;
        put(
            buf,
            area,
            area.x + 1,
            area.y + 1,
            text,
            area.width,
            theme.muted,
        );
        return;
    }
    let columns = columns(state, area.width);
    let overview = &state.overview;
    let height = area.height.saturating_sub(1) as usize;
    let (offset, end) = window(
        overview.selected,
        overview.offset,
        height,
        overview.rows.len(),
    );
    let visible = &overview.rows[offset..end];
    let rows = visible
        .iter()
        .map(|row| match *row {
            OverviewRow::Group(_) => Vec::new(),
            OverviewRow::Unit(u) => unit_cells(state, theme, u, &columns),
        })
        .collect();
    VisibleTable {
        cols: &columns.cols,
        header: header(state, &columns, theme),
        rows,
        selected: overview.selected.checked_sub(offset),
        selected_style: theme.selected,
    }
    .render(area, buf);
    for (i, row) in visible.iter().enumerate() {
        if let OverviewRow::Group(g) = *row {
            let y = area.y + 1 + i as u16;
            put_row(buf, area, y, &group_heading(state, g), theme.group);
        }
    }
}
