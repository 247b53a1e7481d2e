//! One criterion across every unit: the spread, then one line per unit with its note.

use crate::app::view::{scroll_offset, table_height};
use crate::app::{AppState, Screen};
use crate::domain::format_vi;
use crate::ui::draw::{delta_style, delta_text, first_line, status_style};
use crate::ui::overlays::put_row;
use crate::ui::table::{
    draw_cells, draw_header, keep, layout_columns, left, opt, right, unit_code_width, w,
};
use crate::ui::theme::Theme;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

// ----- criterion across units -----

pub(crate) fn render(state: &AppState, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let labels = state.labels();
    let session = &state.session;
    let fw = &session.framework;
    let cmp = &state.compare;
    let node = fw.node(cmp.node);
    let title = format!(
        " {} {} · {} {}",
        node.code(),
        node.def.title,
        labels.col_max,
        format_vi(node.def.max_points)
    );
    put_row(buf, area, area.y, &title, theme.title);
    let spread = format!(
        " {}: {} {} · {} {} · {} {} · {} {}",
        labels.spread,
        labels.spread_min,
        format_vi(cmp.spread.min),
        labels.spread_max,
        format_vi(cmp.spread.max),
        labels.spread_mean,
        format_vi(cmp.spread.mean),
        cmp.rows.len(),
        labels.units_count
    );
    put_row(buf, area, area.y + 1, &spread, theme.info);
    let table = Rect::new(
        area.x,
        area.y + 2,
        area.width,
        area.height.saturating_sub(2),
    );
    let code_width = unit_code_width(state);
    let leaf = node.leaf_index;
    let council_label = if leaf.is_some() {
        labels.col_council
    } else {
        labels.col_appraised
    };
    let name_width = (table.width / 4).clamp(14, 36);
    let spec = vec![
        (left(w(labels.col_code, code_width)), false, 0),
        (left(name_width), false, 0),
        (right(w(labels.col_self, 5)), false, 0),
        (right(w(labels.col_proposal, 5)), false, 0),
        (right(w(council_label, 5)), false, 0),
        (right(w(labels.col_delta, 6)), false, 0),
        (left(w(labels.col_status, 10)), false, 2),
        (left(10), true, 1),
    ];
    let (cols, kept) = layout_columns(table.width.saturating_sub(1), &spec, 7, 10);
    let header = vec![
        labels.col_code,
        labels.col_unit,
        labels.col_self,
        labels.col_proposal,
        council_label,
        labels.col_delta,
        labels.col_status,
        labels.col_note,
    ];
    draw_header(buf, table, &cols, header, &kept, theme);
    let height = table_height(Screen::Compare, table.width, area.height + 3)
        .min(table.height.saturating_sub(1) as usize);
    let offset = scroll_offset(cmp.selected, cmp.offset, height, cmp.rows.len());
    let end = (offset + height).min(cmp.rows.len());
    for (i, row) in cmp.rows[offset..end].iter().enumerate() {
        let y = table.y + 1 + i as u16;
        let unit = &session.units[row.unit];
        let (status, status_style_) = match row.status {
            Some(s) => (labels.status(s).to_string(), status_style(theme, s)),
            None if row.disputed > 0 => (
                format!("{} {}", row.disputed, labels.disputed_short),
                theme.disputed,
            ),
            None => (String::new(), theme.base),
        };
        let note = leaf
            .and_then(|l| state.notes.get(&(row.unit, l)))
            .map(|n| first_line(n).to_string())
            .unwrap_or_default();
        let cells = vec![
            (unit.code.clone(), theme.base),
            (unit.name.clone(), theme.base),
            (format_vi(row.self_points), theme.base),
            (opt(row.proposal), theme.base),
            (opt(row.council), theme.title),
            (delta_text(row.delta), delta_style(theme, row.delta)),
            (status, status_style_),
            (note, theme.muted),
        ];
        let cells = keep(cells, &kept);
        let selected = offset + i == cmp.selected;
        draw_cells(
            buf,
            table,
            y,
            &cols,
            &cells,
            selected.then_some(theme.selected),
        );
    }
}
