//! The agenda list overlay.

use crate::app::AppState;
use crate::domain::agenda::{format_m_ss, is_discussed};
use crate::messages::screen::meeting_labels;
use crate::ui::draw::{fit, put};
use crate::ui::screens::agenda::item_text;
use crate::ui::theme::Theme;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::Span;
use ratatui::widgets::{Block, Borders, Clear, Widget};
use unicode_width::UnicodeWidthStr;

/// The agenda list overlay: a box of four fifths of the screen, the entries, the hint bar.
pub(crate) fn render_list(state: &AppState, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let Some(list) = &state.meeting.list else {
        return;
    };
    if area.width < crate::ui::MIN_WIDTH || area.height < crate::ui::MIN_HEIGHT {
        return;
    }
    let inner = frame(state, theme, area, buf);
    if inner.height < 3 {
        return;
    }
    let [entries, hint] =
        Layout::vertical([Constraint::Fill(1), Constraint::Length(1)]).areas(inner);
    let hint_text = super::hint_text(state, hint.width as usize);
    put(
        buf,
        hint,
        hint.x,
        hint.y,
        &hint_text,
        hint.width,
        theme.muted,
    );
    if state.meeting.agenda.is_empty() {
        let labels = meeting_labels(state.lang);
        let text = fit(labels.list_empty, entries.width as usize - 1);
        put(
            buf,
            entries,
            entries.x + 1,
            entries.y,
            &text,
            entries.width,
            theme.muted,
        );
        return;
    }
    let agenda = &state.meeting.agenda;
    let rows = entries.height as usize;
    let offset = crate::app::view::scroll_offset(list.selected, 0, rows, agenda.len());
    for (line, position) in (offset..agenda.len()).take(rows).enumerate() {
        let y = entries.y + line as u16;
        entry(
            state,
            theme,
            position,
            list.selected,
            Rect::new(entries.x, y, entries.width, 1),
            buf,
        );
    }
}

/// The box with its title: the agenda's length and what is left; returns its inside.
fn frame(state: &AppState, theme: &Theme, area: Rect, buf: &mut Buffer) -> Rect {
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
    inner
}

/// One entry: ▶ selected, • Now, ✓ discussed.
fn entry(
    state: &AppState,
    theme: &Theme,
    position: usize,
    selected: usize,
    row: Rect,
    buf: &mut Buffer,
) {
    let labels = meeting_labels(state.lang);
    let Some(item) = state.meeting.agenda.get(position) else {
        return;
    };
    let selected = position == selected;
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
        buf.set_style(row, theme.selected);
        style = style.patch(theme.selected);
    }
    // The item's time budget at the right end ("⏱ 3:00").
    let budget = state
        .meeting
        .budgets
        .get(item)
        .map(|&s| format!(" ⏱ {} ", format_m_ss(i64::from(s))))
        .unwrap_or_default();
    let budget_width = (budget.width() as u16).min(row.width / 3);
    let text_width = row.width - budget_width;
    let text = fit(&text, text_width as usize);
    put(buf, row, row.x, row.y, &text, text_width, style);
    if budget_width > 0 {
        let x = row.x + text_width;
        put(buf, row, x, row.y, &budget, budget_width, style);
    }
}
