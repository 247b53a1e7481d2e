//! Go to a code.

use super::{input_line, popup, put_row};
use crate::app::AppState;
use crate::ui::theme::Theme;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

pub(super) fn render(
    state: &AppState,
    theme: &Theme,
    jump: &crate::app::overlay::JumpState,
    area: Rect,
    buf: &mut Buffer,
) {
    let labels = state.labels();
    let inner = popup(theme, labels.jump_title, 70, 6, area, buf);
    input_line(theme, &jump.input, inner.width, inner, inner.y, buf);
    put_row(
        buf,
        inner,
        inner.y + 1,
        &super::hint_text(state),
        theme.muted,
    );
    if jump.not_found {
        let text = format!("✗ {}: {}", labels.jump_not_found, jump.input.trim());
        put_row(buf, inner, inner.y + 2, &text, theme.error);
    }
}
