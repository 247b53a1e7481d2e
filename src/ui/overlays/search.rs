//! The search overlay: the query and its hits.

use super::put_row;
use crate::app::AppState;
use crate::app::overlay::{SearchHit, SearchState};
use crate::ui::draw::put;
use crate::ui::theme::Theme;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

pub(super) fn render(
    state: &AppState,
    theme: &Theme,
    search: &SearchState,
    area: Rect,
    buf: &mut Buffer,
) {
    let labels = state.labels();
    let height = area.height.saturating_sub(4);
    let inner = super::input_box(
        state,
        theme,
        (labels.search_title, 90, height),
        &search.query,
        area,
        buf,
    );
    if search.hits.is_empty() && !search.query.trim().is_empty() {
        let none = labels.search_none;
        put(
            buf,
            inner,
            inner.x,
            inner.y + 2,
            none,
            inner.width,
            theme.disputed,
        );
        return;
    }
    let visible = inner.height.saturating_sub(2) as usize;
    let offset = crate::app::view::scroll_offset(search.selected, 0, visible, search.hits.len());
    for (i, hit) in search.hits.iter().enumerate().skip(offset).take(visible) {
        let y = inner.y + 2 + (i - offset) as u16;
        let line = hit_text(state, *hit);
        if i == search.selected {
            let row = Rect::new(inner.x, y, inner.width, 1).intersection(inner);
            buf.set_style(row, theme.selected);
            put_row(buf, inner, y, &line, theme.selected);
        } else {
            put_row(buf, inner, y, &line, theme.base);
        }
    }
}

/// "đơn vị     SNV  Sở Nội vụ · Sở, ban, ngành", "tiêu chí   2.1  Công khai thủ tục".
fn hit_text(state: &AppState, hit: SearchHit) -> String {
    let labels = state.labels();
    let (kind, text) = match hit {
        SearchHit::Unit(u) => {
            let unit = &state.session.units[u];
            let text = format!("{}  {} · {}", unit.code, unit.name, unit.group);
            (labels.search_unit, text)
        }
        SearchHit::Node(n) => {
            let node = state.session.framework.node(n);
            let text = format!("{}  {}", node.code(), node.def.title);
            (labels.search_criterion, text)
        }
    };
    format!("{kind:<10} {text}")
}
