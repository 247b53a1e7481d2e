//! The key help: every binding in force, filtered as the user types.

use super::{input_line, popup, put_row};
use crate::app::AppState;
use crate::ui::draw::{fit, put};
use crate::ui::theme::Theme;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use unicode_width::UnicodeWidthStr;

pub(super) fn render(
    state: &AppState,
    theme: &Theme,
    help: &crate::app::overlay::HelpState,
    area: Rect,
    buf: &mut Buffer,
) {
    let labels = state.labels();
    let inner = popup(theme, labels.help_title, 78, area.height, area, buf);
    input_line(theme, &help.filter, inner.width, inner, inner.y, buf);
    put_row(buf, inner, inner.y + 1, labels.help_hint, theme.muted);
    let rows: Vec<(String, &str)> = state
        .keymap
        .bindings()
        .filter(|(_, keys)| !keys.is_empty())
        .filter_map(|(command, keys)| {
            let keys = keys
                .iter()
                .map(|k| k.to_string())
                .collect::<Vec<_>>()
                .join(" ");
            let description = command.description(state.lang);
            help.matches(command, &keys, description)
                .then_some((keys, description))
        })
        .collect();
    let key_width = rows
        .iter()
        .map(|(k, _)| k.width())
        .max()
        .unwrap_or(4)
        .min(inner.width as usize / 3) as u16;
    let list_top = inner.y + 2;
    let visible = inner.height.saturating_sub(3) as usize;
    let scroll = help.scroll.min(rows.len().saturating_sub(visible));
    for (i, (keys, description)) in rows.iter().skip(scroll).take(visible).enumerate() {
        let y = list_top + i as u16;
        put(
            buf,
            inner,
            inner.x,
            y,
            &fit(keys, key_width as usize),
            key_width,
            theme.header,
        );
        let x = inner.x + key_width + 2;
        put(
            buf,
            inner,
            x,
            y,
            &fit(description, inner.right().saturating_sub(x) as usize),
            inner.width,
            theme.base,
        );
    }
    put_row(
        buf,
        inner,
        inner.bottom().saturating_sub(1),
        labels.help_editors,
        theme.muted,
    );
}
