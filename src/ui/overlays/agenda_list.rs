//! The agenda list overlay.

use crate::app::AppState;
use crate::app::labels::meeting_labels;
use crate::domain::agenda::is_discussed;
use crate::ui::draw::{fit, put};
use crate::ui::screens::agenda::item_text;
use crate::ui::theme::Theme;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::Span;
use ratatui::widgets::{Block, Borders, Clear, Widget};

/// The agenda list overlay.
pub(crate) fn render_list(state: &AppState, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let Some(list) = &state.meeting.list else {
        return;
    };
    if area.width < crate::ui::MIN_WIDTH || area.height < crate::ui::MIN_HEIGHT {
        return;
    }
    let labels = meeting_labels(state.lang);
    let width = (area.width * 4 / 5)
        .max(50)
        .min(area.width.saturating_sub(2));
    let height = (area.height * 4 / 5)
        .max(10)
        .min(area.height.saturating_sub(2));
    let rect = Rect::new(
        area.x + (area.width - width) / 2,
        area.y + (area.height - height) / 2,
        width,
        height,
    );
    Clear.render(rect, buf);
    buf.set_style(rect, theme.base);
    let title = format!(
        " {} ({}, {} {}) ",
        labels.list_title,
        state.meeting.agenda.len(),
        labels.left,
        state.meeting.agenda.remaining(&state.session)
    );
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.focus_border)
        .title(Span::styled(title, theme.title));
    let inner = block.inner(rect);
    block.render(rect, buf);
    if inner.height < 3 {
        return;
    }
    let hint_y = inner.bottom() - 1;
    put(
        buf,
        inner,
        inner.x,
        hint_y,
        &fit(&super::hint_text(state), inner.width as usize),
        inner.width,
        theme.muted,
    );
    let rows = (inner.height - 1) as usize;
    let agenda = &state.meeting.agenda;
    if agenda.is_empty() {
        put(
            buf,
            inner,
            inner.x + 1,
            inner.y,
            &fit(labels.list_empty, inner.width as usize - 1),
            inner.width,
            theme.muted,
        );
        return;
    }
    let offset = crate::app::view::scroll_offset(list.selected, 0, rows, agenda.len());
    for (line, position) in (offset..agenda.len()).take(rows).enumerate() {
        let Some(item) = agenda.get(position) else {
            continue;
        };
        let y = inner.y + line as u16;
        let selected = position == list.selected;
        let is_now = state.meeting.position == Some(position);
        let discussed = is_discussed(&state.session, item);
        let marker = match (selected, is_now) {
            (true, _) => "▶",
            (false, true) => "•",
            _ => " ",
        };
        let text = format!(
            "{marker}{:>3}. {} {}",
            position + 1,
            if discussed { labels.discussed } else { " " },
            item_text(state, item, labels)
        );
        let mut style: Style = if discussed { theme.muted } else { theme.base };
        if is_now {
            style = style.add_modifier(Modifier::BOLD);
        }
        if selected {
            buf.set_style(Rect::new(inner.x, y, inner.width, 1), theme.selected);
            style = style.patch(theme.selected);
        }
        put(
            buf,
            inner,
            inner.x,
            y,
            &fit(&text, inner.width as usize),
            inner.width,
            style,
        );
    }
}
