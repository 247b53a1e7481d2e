//! The yes / no question before overwriting an export.

use super::{popup, put_row};
use crate::app::AppState;
use crate::app::overlay::ConfirmState;
use crate::ui::theme::Theme;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;

pub(super) fn render(
    state: &AppState,
    theme: &Theme,
    confirm: &ConfirmState,
    area: Rect,
    buf: &mut Buffer,
) {
    let labels = state.labels();
    match confirm {
        ConfirmState::OverwriteExport { dir, existing } => {
            let height = (existing.len() as u16 + 6).min(area.height);
            let inner = popup(theme, labels.confirm_title, 76, height, area, buf);
            put_row(
                buf,
                inner,
                inner.y,
                labels.confirm_overwrite,
                theme.disputed,
            );
            put_row(buf, inner, inner.y + 1, dir, theme.title);
            for (i, file) in existing.iter().enumerate() {
                let y = inner.y + 2 + i as u16;
                if y + 1 >= inner.bottom() {
                    break;
                }
                put_row(buf, inner, y, &format!("• {file}"), theme.base);
            }
            put_row(
                buf,
                inner,
                inner.bottom().saturating_sub(1),
                &super::hint_text(state),
                Style::default().patch(theme.key),
            );
        }
    }
}
