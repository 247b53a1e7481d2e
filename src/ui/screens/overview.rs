//! The overview: one line per unit, grouped, with its figures and, as the width allows, the
//! index % of each field.

use crate::app::view::{OverviewRow, scroll_offset, table_height};
use crate::app::{AppState, Screen};
use crate::domain::format_vi;
use crate::domain::score::format_pct_vi;
use crate::ui::draw::{delta_style, delta_text, pct_style, put};
use crate::ui::overlays::put_row;
use crate::ui::table::{
    draw_cells, draw_header, keep, layout_columns, left, right, unit_code_width, w,
};
use crate::ui::theme::Theme;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use unicode_width::UnicodeWidthStr;

// ----- overview -----

pub(crate) fn render(state: &AppState, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let labels = state.labels();
    let session = &state.session;
    if session.units.is_empty() {
        put(
            buf,
            area,
            area.x + 1,
            area.y + 1,
            labels.empty_session,
            area.width,
            theme.muted,
        );
        return;
    }
    let code_width = unit_code_width(state);
    let fields = &state.stats.fields;
    let mut spec = vec![
        (right(w(labels.col_rank, 4)), false, 0),
        (left(w(labels.col_code, code_width)), false, 0),
        (left(20), true, 0),
        (right(w(labels.col_self, 6)), false, 3),
        (right(w(labels.col_appraised, 6)), false, 0),
        (right(w(labels.col_delta, 7)), false, 0),
        (right(w(labels.col_index, 6)), false, 0),
        (left(w(labels.col_band, 4)), false, 1),
        (right(w(labels.col_progress, 9)), false, 2),
    ];
    let name_index = 2;
    for _ in fields {
        spec.push((right(6), false, 4));
    }
    // Fields come and go as a block: at most what fits beside a readable name.
    let base_width: u16 = spec[..9].iter().map(|(c, _, _)| c.width + 1).sum();
    let room_for_fields = area.width.saturating_sub(base_width + 24) / 7;
    let shown_fields = (room_for_fields as usize).min(fields.len());
    spec.truncate(9 + shown_fields);
    // The name column need not be much wider than the longest name: figures stay close to it.
    let longest_name = session
        .units
        .iter()
        .take(2000)
        .map(|u| u.name.width())
        .max()
        .unwrap_or(20) as u16;
    let fixed: u16 = spec
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != name_index)
        .map(|(_, (c, _, _))| c.width + 1)
        .sum();
    let table_width = area.width.min(fixed + longest_name.clamp(14, 60) + 1);
    let (cols, kept) = layout_columns(table_width.saturating_sub(1), &spec, name_index, 14);

    let mut header = vec![
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
    for &f in fields.iter().take(shown_fields) {
        header.push(session.framework.node(f).code().to_string());
    }
    draw_header(buf, area, &cols, header, &kept, theme);

    let height = table_height(Screen::Overview, area.width, area.height + 3);
    let rows = &state.overview.rows;
    let offset = scroll_offset(
        state.overview.selected,
        state.overview.offset,
        height,
        rows.len(),
    );
    let end = (offset + height).min(rows.len());
    for (i, row) in rows[offset..end].iter().enumerate() {
        let y = area.y + 1 + i as u16;
        let selected = offset + i == state.overview.selected;
        match *row {
            OverviewRow::Group(g) => {
                let name = state.stats.groups.get(g).map(String::as_str).unwrap_or("");
                let count = state
                    .stats
                    .group_of_unit
                    .iter()
                    .filter(|&&x| x == g)
                    .count();
                let text = format!("▸ {name} ({count} {})", labels.units_count);
                put_row(buf, area, y, &text, theme.group);
            }
            OverviewRow::Unit(u) => {
                let unit = &session.units[u];
                let s = &state.stats.units[u];
                let delta = s.totals.delta();
                let p = &s.progress;
                let mut cells = vec![
                    (s.rank.to_string(), theme.base),
                    (unit.code.clone(), theme.base),
                    (unit.name.clone(), theme.base),
                    (format_vi(s.totals.self_total), theme.base),
                    (format_vi(s.totals.appraised_total), theme.title),
                    (delta_text(delta), delta_style(theme, delta)),
                    (
                        format_pct_vi(s.index_pct),
                        pct_style(state, theme, s.index_pct),
                    ),
                    (s.band.clone(), pct_style(state, theme, s.index_pct)),
                    (
                        format!("{}/{}/{}", p.decided(), p.disputed, p.pending),
                        if p.disputed > 0 {
                            theme.disputed
                        } else {
                            theme.base
                        },
                    ),
                ];
                for pct in s.field_pcts.iter().take(shown_fields) {
                    cells.push((format_pct_vi(*pct), pct_style(state, theme, *pct)));
                }
                let cells = keep(cells, &kept);
                draw_cells(
                    buf,
                    area,
                    y,
                    &cols,
                    &cells,
                    selected.then_some(theme.selected),
                );
            }
        }
    }
}
