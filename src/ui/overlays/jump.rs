//! Go to a code.

use super::put_row;
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
    let inner = super::input_box(
        state,
        theme,
        (labels.jump_title, 70, 6),
        &jump.input,
        area,
        buf,
    );
    if jump.not_found {
        let text = format!("✗ {}: {}", labels.jump_not_found, jump.input.trim());
        put_row(buf, inner, inner.y + 2, &text, theme.error);
    }
}
