//! Small drawing helpers shared by the screens: text put into the buffer and fitted to a width,
//! and the styles that carry meaning (Δ, status, index %).

use super::theme::Theme;
use crate::app::AppState;
use crate::domain::Status;
use crate::domain::score::Numbers;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use rust_decimal::Decimal;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

// ----- drawing helpers -----

/// Writes text clipped to both the given width and the area; never writes outside the buffer.
pub(crate) fn put(
    buf: &mut Buffer,
    area: Rect,
    x: u16,
    y: u16,
    text: &str,
    max_width: u16,
    style: Style,
) -> u16 {
    let bounds = area.intersection(buf.area);
    if y < bounds.top() || y >= bounds.bottom() || x < bounds.left() || x >= bounds.right() {
        return x;
    }
    let room = max_width.min(bounds.right() - x);
    buf.set_stringn(x, y, text, room as usize, style).0
}

/// Shortens text to a display width, ending with … when cut; never splits a character.
pub fn fit(text: &str, width: usize) -> String {
    if text.width() <= width {
        return text.to_string();
    }
    if width == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w > width - 1 {
            break;
        }
        used += w;
        out.push(c);
    }
    out.push('…');
    out
}

/// The first line of a text, for one-line excerpts.
pub fn first_line(text: &str) -> &str {
    text.lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("")
        .trim()
}

/// Δ with an arrow: "▲ 0,5", "▼ 1", and nothing for no change.
pub fn delta_text(delta: Decimal, numbers: Numbers) -> String {
    if delta > Decimal::ZERO {
        format!("▲ {}", numbers.points(delta))
    } else if delta < Decimal::ZERO {
        format!("▼ {}", numbers.points(-delta))
    } else {
        String::new()
    }
}

pub fn delta_style(theme: &Theme, delta: Decimal) -> Style {
    if delta > Decimal::ZERO {
        theme.up
    } else if delta < Decimal::ZERO {
        theme.down
    } else {
        theme.base
    }
}

pub fn status_style(theme: &Theme, status: Status) -> Style {
    match status {
        Status::Pending => theme.muted,
        Status::Disputed => theme.disputed,
        // The label says "invalid" too: colour is never the only carrier.
        Status::Invalid => theme.disputed.add_modifier(Modifier::UNDERLINED),
        Status::Agreed => theme.agreed,
        Status::Adjusted => theme.adjusted,
    }
}

/// Colour grade of an index % by the session's bands: top band good, bottom band poor.
pub fn pct_style(state: &AppState, theme: &Theme, pct: Decimal) -> Style {
    let bands = &state.bands.0;
    let position = bands
        .iter()
        .position(|(_, threshold)| pct >= *threshold)
        .unwrap_or(bands.len().saturating_sub(1));
    if position == 0 {
        theme.good
    } else if position + 1 >= bands.len() {
        theme.poor
    } else if position == 1 {
        theme.base
    } else {
        theme.middling
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fitting_counts_display_width_and_keeps_characters_whole() {
        assert_eq!(fit("Thủ tục hành chính", 30), "Thủ tục hành chính");
        assert_eq!(fit("Thủ tục hành chính", 8), "Thủ tục…");
        assert_eq!(fit("Thủ tục", 1), "…");
        assert_eq!(fit("漢字漢字", 5), "漢字…");
        assert_eq!(fit("abc", 0), "");
        let numbers = Numbers::Comma;
        assert_eq!(delta_text(Decimal::new(-5, 1), numbers), "▼ 0,5");
        assert_eq!(delta_text(Decimal::new(25, 1), numbers), "▲ 2,5");
        assert_eq!(delta_text(Decimal::ZERO, numbers), "");
        assert_eq!(delta_text(Decimal::new(25, 1), Numbers::Dot), "▲ 2.5");
    }
}
