//! Overlays drawn over the screen, one module each, and the pieces they share: a centred box,
//! a row of text, an input line.

mod agenda_list;
mod confirm;
mod finalise;
mod help;
mod jump;
mod reason;
mod score;
mod search;

pub(crate) use agenda_list::render_list;

use super::draw::{fit, put};
use super::theme::Theme;
use crate::app::AppState;
use crate::app::overlay::Overlay;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Span;
use ratatui::widgets::{Block, Borders, Clear, Widget};
use unicode_width::UnicodeWidthStr;

pub(crate) fn render(state: &AppState, theme: &Theme, area: Rect, buf: &mut Buffer) {
    if area.width < crate::ui::MIN_WIDTH || area.height < crate::ui::MIN_HEIGHT {
        return;
    }
    match &state.overlay {
        None => {}
        Some(Overlay::Help(help)) => help::render(state, theme, help, area, buf),
        Some(Overlay::Score(editor)) => score::render(state, theme, editor, area, buf),
        Some(Overlay::Reason(editor)) => reason::render(state, theme, editor, area, buf),
        Some(Overlay::Search(search)) => search::render(state, theme, search, area, buf),
        Some(Overlay::Jump(jump)) => jump::render(state, theme, jump, area, buf),
        Some(Overlay::Confirm(confirm)) => confirm::render(state, theme, confirm, area, buf),
        Some(Overlay::Finalise(confirm)) => finalise::render(state, theme, confirm, area, buf),
    }
}

/// The open overlay's hint bar, generated from its context of the keymap: "tip · keys: word".
pub(crate) fn hint_text(state: &AppState) -> String {
    let Some((hints, tip)) = crate::app::overlay::hints(state) else {
        return String::new();
    };
    let keys = crate::app::keymap::hint_line(&hints);
    match tip {
        Some(tip) => format!("{tip} · {keys}"),
        None => keys,
    }
}

/// A box with an input line on top and the overlay's hint bar under it; returns its inside.
pub(crate) fn input_box(
    state: &AppState,
    theme: &Theme,
    (title, width, height): (&str, u16, u16),
    text: &str,
    area: Rect,
    buf: &mut Buffer,
) -> Rect {
    let inner = popup(theme, title, width, height, area, buf);
    input_line(theme, text, inner.width, inner, inner.y, buf);
    put_row(buf, inner, inner.y + 1, &hint_text(state), theme.muted);
    inner
}

/// A centred box of at most the given size, cleared, with a titled border; returns its inside.
pub(crate) fn popup(
    theme: &Theme,
    title: &str,
    width: u16,
    height: u16,
    area: Rect,
    buf: &mut Buffer,
) -> Rect {
    let width = width.min(area.width.saturating_sub(2)).max(10);
    let height = height.min(area.height.saturating_sub(2)).max(3);
    let x = area.x + (area.width - width) / 2;
    let y = area.y + (area.height - height) / 2;
    let rect = Rect::new(x, y, width, height);
    Clear.render(rect, buf);
    buf.set_style(rect, theme.base);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.focus_border)
        .title(Span::styled(format!(" {title} "), theme.title));
    let inner = block.inner(rect);
    block.render(rect, buf);
    inner
}

/// Text on row `y` of `area`, from its left edge, shortened with … to the area's width.
pub(crate) fn put_row(buf: &mut Buffer, area: Rect, y: u16, text: &str, style: Style) {
    put(
        buf,
        area,
        area.x,
        y,
        &fit(text, area.width as usize),
        area.width,
        style,
    );
}

/// An input line with a visible cursor block at the end.
pub(crate) fn input_line(
    theme: &Theme,
    text: &str,
    width: u16,
    area: Rect,
    y: u16,
    buf: &mut Buffer,
) {
    let room = width.saturating_sub(3) as usize;
    // Keep the end (where typing happens) visible.
    let shown: String = if text.width() > room {
        let mut tail: Vec<char> = Vec::new();
        let mut used = 0;
        for c in text.chars().rev() {
            let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
            if used + w + 1 > room {
                break;
            }
            used += w;
            tail.push(c);
        }
        std::iter::once('…').chain(tail.into_iter().rev()).collect()
    } else {
        text.to_string()
    };
    buf.set_style(
        Rect::new(area.x, y, width, 1).intersection(area),
        theme.input,
    );
    let x = put(buf, area, area.x, y, "› ", width, theme.input);
    let x = put(buf, area, x, y, &shown, width, theme.input);
    put(buf, area, x, y, "▏", 1, theme.input);
}

/// An editor's first row: unit code, criterion code and title.
pub(crate) fn put_item_heading(
    state: &AppState,
    theme: &Theme,
    unit: usize,
    leaf: usize,
    inner: Rect,
    buf: &mut Buffer,
) {
    let node = state.session.framework.leaf(leaf);
    let heading = format!(
        "{} · {} {}",
        state.session.units[unit].code,
        node.code(),
        node.def.title
    );
    put_row(buf, inner, inner.y, &heading, theme.title);
}

/// The item's self-score, or the "none" label when the unit gave none.
pub(crate) fn self_score_text(state: &AppState, unit: usize, leaf: usize) -> String {
    let numbers = state.numbers();
    state
        .session
        .item(unit, leaf)
        .self_score
        .map(|p| numbers.points(p))
        .unwrap_or_else(|| state.labels().none.into())
}
