//! The search overlay: the query and its hits.

use super::{input_line, popup, put_row};
use crate::app::AppState;
use crate::app::overlay::SearchHit;
use crate::ui::draw::put;
use crate::ui::theme::Theme;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

pub(super) fn render(
    state: &AppState,
    theme: &Theme,
    search: &crate::app::overlay::SearchState,
    area: Rect,
    buf: &mut Buffer,
) {
    let labels = state.labels();
    let inner = popup(
        theme,
        labels.search_title,
        90,
        area.height.saturating_sub(4),
        area,
        buf,
    );
    input_line(theme, &search.query, inner.width, inner, inner.y, buf);
    put_row(
        buf,
        inner,
        inner.y + 1,
        &super::hint_text(state),
        theme.muted,
    );
    let visible = inner.height.saturating_sub(2) as usize;
    if search.hits.is_empty() && !search.query.trim().is_empty() {
        put(
            buf,
            inner,
            inner.x,
            inner.y + 2,
            labels.search_none,
            inner.width,
            theme.disputed,
        );
        return;
    }
    let offset = crate::app::view::scroll_offset(search.selected, 0, visible, search.hits.len());
    for (i, hit) in search.hits.iter().enumerate().skip(offset).take(visible) {
        let y = inner.y + 2 + (i - offset) as u16;
        let (kind, text) = match *hit {
            SearchHit::Unit(u) => {
                let unit = &state.session.units[u];
                (
                    labels.search_unit,
                    format!("{}  {} · {}", unit.code, unit.name, unit.group),
                )
            }
            SearchHit::Node(n) => {
                let node = state.session.framework.node(n);
                (
                    labels.search_criterion,
                    format!("{}  {}", node.code(), node.def.title),
                )
            }
        };
        let style = if i == search.selected {
            Some(theme.selected)
        } else {
            None
        };
        let line = format!("{kind:<10} {text}");
        if let Some(s) = style {
            buf.set_style(Rect::new(inner.x, y, inner.width, 1).intersection(inner), s);
        }
        put_row(buf, inner, y, &line, style.unwrap_or(theme.base));
    }
}
