//! Pure rendering of the application state with ratatui: `impl Widget for &AppState`.
//! Tables are drawn for the visible window only, so a 10,000-unit session costs what a
//! 20-unit one does.

mod agenda;
mod diffview;
mod overlays;
mod present;
mod screens;
pub mod theme;

use crate::app::keymap::Command;
use crate::app::{AppState, MessageKind, Screen};
use crate::domain::{Status, format_vi};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::widgets::Widget;
use rust_decimal::Decimal;
use theme::Theme;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// Below this size the screen only says that it is too small.
pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 16;

impl Widget for &AppState {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let theme = Theme::new(self.theme, self.no_color);
        buf.set_style(area, theme.base);
        if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
            too_small(self, &theme, area, buf);
            return;
        }
        let bar = crate::app::agenda::bar_rows(self);
        if self.presentation && bar > 0 {
            // The presenter: Now / Next / Then on top, the item below, a quiet footer.
            let below = Rect::new(area.x, area.y + bar + 1, area.width, area.height - bar - 1);
            present::render(self, &theme, below, buf);
            agenda::render_bar(self, &theme, area, buf, true);
            agenda::render_presenter_footer(self, &theme, area, buf);
        } else if self.presentation {
            present::render(self, &theme, area, buf);
        } else {
            let top = Rect::new(area.x, area.y, area.width, 1);
            let body = Rect::new(area.x, area.y + 1 + bar, area.width, area.height - 3 - bar);
            if bar > 0 {
                let bar_area = Rect::new(area.x, area.y + 1, area.width, bar);
                agenda::render_bar(self, &theme, bar_area, buf, false);
            }
            let message = Rect::new(area.x, area.bottom() - 2, area.width, 1);
            let footer_area = Rect::new(area.x, area.bottom() - 1, area.width, 1);
            breadcrumb(self, &theme, top, buf);
            match self.screen() {
                Screen::Overview => screens::overview(self, &theme, body, buf),
                Screen::Scorecard => screens::scorecard(self, &theme, body, buf),
                Screen::Compare => screens::compare(self, &theme, body, buf),
                Screen::Diff => diffview::render(self, &theme, body, buf),
            }
            message_line(self, &theme, message, buf);
            footer(self, &theme, footer_area, buf);
        }
        overlays::render(self, &theme, area, buf);
        agenda::render_list(self, &theme, area, buf);
    }
}

fn too_small(state: &AppState, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let lines = [
        state.labels().too_small.to_string(),
        format!("{}×{} < {MIN_WIDTH}×{MIN_HEIGHT}", area.width, area.height),
    ];
    for (i, line) in lines.iter().enumerate() {
        let y = area.y + (area.height / 2).saturating_sub(1) + i as u16;
        let width = line.width() as u16;
        let x = area.x + area.width.saturating_sub(width) / 2;
        put(buf, area, x, y, line, area.width, theme.title);
    }
}

fn breadcrumb(state: &AppState, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let labels = state.labels();
    buf.set_style(area, theme.header);
    let mut parts: Vec<String> = vec![labels.app_title.to_string(), labels.overview.to_string()];
    for screen in state.stack.iter().skip(1) {
        match screen {
            Screen::Scorecard => {
                if let Some(unit) = state.session.units.get(state.scorecard.unit) {
                    parts.push(format!("{} {}", unit.code, unit.name));
                }
            }
            Screen::Compare => {
                let node = state.session.framework.node(state.compare.node);
                parts.push(format!("{} {}", labels.compare, node.code()));
            }
            Screen::Diff => {
                if let Some(unit) = state.session.units.get(state.diff.unit) {
                    parts.push(format!("{} {}", labels.diff_title, unit.code));
                }
            }
            Screen::Overview => {}
        }
    }
    let mut right = format!(
        "{} {} · {}: {} ",
        state.stats.disputed_total, labels.disputed_count, labels.reviewer, state.reviewer
    );
    if state.stale_total > 0 {
        right = format!("{} {} · {right}", state.stale_total, labels.review_count);
    }
    if state.finalised.is_some() {
        right = format!("{} · {right}", labels.finalised_badge);
    }
    let status = agenda::header_status(state);
    // In a meeting the follow status takes the place of the counts: it matters more.
    let (right, cap) = if status.is_empty() {
        (right, area.width / 2)
    } else {
        (format!(" {status} "), area.width * 2 / 3)
    };
    let right_width = (right.width() as u16).min(cap);
    let left = format!(" {}", parts.join(" › "));
    let left_room = area.width.saturating_sub(right_width + 1);
    put(
        buf,
        area,
        area.x,
        area.y,
        &fit(&left, left_room as usize),
        left_room,
        theme.header,
    );
    put(
        buf,
        area,
        area.right().saturating_sub(right_width),
        area.y,
        &fit(&right, right_width as usize),
        right_width,
        theme.header,
    );
}

fn message_line(state: &AppState, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let labels = state.labels();
    let (text, style) = match &state.message {
        Some(message) => {
            let style = match message.kind {
                MessageKind::Info => theme.info,
                MessageKind::Success => theme.success,
                MessageKind::Error => theme.error,
            };
            (format!(" {} ", message.text), style)
        }
        None => {
            let sort = match state.screen() {
                Screen::Overview => Some(match state.overview.sort {
                    crate::app::view::UnitSort::Rank => labels.sort_rank,
                    crate::app::view::UnitSort::Name => labels.sort_name,
                    crate::app::view::UnitSort::Delta => labels.sort_delta,
                    crate::app::view::UnitSort::Disputed => labels.sort_disputed,
                }),
                Screen::Compare => Some(match state.compare.sort {
                    crate::app::view::CompareSort::Unit => labels.sort_code,
                    crate::app::view::CompareSort::DeltaAscending => "Δ ▲",
                    crate::app::view::CompareSort::DeltaDescending => "Δ ▼",
                }),
                Screen::Scorecard | Screen::Diff => None,
            };
            let mut parts = Vec::new();
            if let Some(sort) = sort {
                parts.push(format!("{}: {sort}", labels.sort_by));
            }
            if state.disputed_only {
                parts.push(format!("[{}]", labels.filter_disputed_only));
            }
            if state.screen() == Screen::Overview {
                parts.push(labels.progress_note.to_string());
            }
            if state.screen() == Screen::Scorecard
                && state.scorecard.pane == crate::app::Pane::Detail
            {
                parts.push(format!("[{}]", labels.focus_detail));
            }
            (format!(" {}", parts.join(" · ")), theme.muted)
        }
    };
    let text = fit(&text, area.width as usize);
    put(buf, area, area.x, area.y, &text, area.width, style);
}

/// The commands the footer offers on each screen, most useful first. Help comes first so it
/// is never cut off.
fn footer_commands(screen: Screen) -> &'static [Command] {
    match screen {
        Screen::Overview => &[
            Command::Help,
            Command::Open,
            Command::NextDisputed,
            Command::ToggleDisputedOnly,
            Command::Sort,
            Command::Search,
            Command::Jump,
            Command::Diff,
            Command::Presentation,
            Command::Export,
            Command::Quit,
        ],
        Screen::Scorecard => &[
            Command::Help,
            Command::EditScore,
            Command::AcceptSelf,
            Command::AcceptProposal,
            Command::ToggleFlag,
            Command::Undo,
            Command::NextDisputed,
            Command::Compare,
            Command::Diff,
            Command::SwitchPane,
            Command::Back,
            Command::Quit,
        ],
        Screen::Compare => &[
            Command::Help,
            Command::Open,
            Command::Sort,
            Command::EditScore,
            Command::AcceptSelf,
            Command::AcceptProposal,
            Command::NextDisputed,
            Command::Back,
            Command::Quit,
        ],
        Screen::Diff => &[
            Command::Help,
            Command::CycleDiffBase,
            Command::NextDisputed,
            Command::Open,
            Command::Back,
            Command::Quit,
        ],
    }
}

/// The hint bar, generated from the live keymap.
fn footer(state: &AppState, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let mut x = area.x;
    // With an agenda, its keys come right after help so they are never cut off.
    let meeting: &[Command] = if state.meeting.has_bar() {
        &[Command::AgendaNext, Command::AgendaList]
    } else {
        &[]
    };
    let commands = footer_commands(state.screen());
    let ordered = commands
        .iter()
        .take(1)
        .chain(meeting)
        .chain(commands.iter().skip(1));
    for &command in ordered {
        let key = state.keymap.first_key(command);
        if key.is_empty() {
            continue;
        }
        let key = format!(" {key} ");
        // On the diff screen n/N move between changes, not disputed items.
        let short = match (state.screen(), command) {
            (Screen::Diff, Command::NextDisputed) => state.labels().diff_next_change,
            _ => command.short(state.lang),
        };
        let word = format!(" {short} ");
        let need = (key.width() + word.width()) as u16;
        if x + need > area.right() {
            break;
        }
        put(buf, area, x, area.y, &key, area.right() - x, theme.key);
        x += key.width() as u16;
        put(buf, area, x, area.y, &word, area.right() - x, theme.base);
        x += word.width() as u16;
    }
}

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
pub fn delta_text(delta: Decimal) -> String {
    if delta > Decimal::ZERO {
        format!("▲ {}", format_vi(delta))
    } else if delta < Decimal::ZERO {
        format!("▼ {}", format_vi(-delta))
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

/// A table column: width and alignment.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Col {
    pub width: u16,
    pub right: bool,
}

/// Draws one table line: each cell fitted into its column, one space between columns.
pub(crate) fn draw_cells(
    buf: &mut Buffer,
    area: Rect,
    y: u16,
    cols: &[Col],
    cells: &[(String, Style)],
    row_style: Option<Style>,
) {
    if let Some(style) = row_style {
        buf.set_style(
            Rect::new(area.x, y, area.width, 1).intersection(area),
            style,
        );
    }
    // A gutter marks the selected row in text too (monochrome screens, snapshots).
    let marker = if row_style.is_some() { "▶" } else { " " };
    put(
        buf,
        area,
        area.x,
        y,
        marker,
        1,
        row_style.unwrap_or_default(),
    );
    let mut x = area.x + 1;
    for (col, (text, style)) in cols.iter().zip(cells) {
        if x >= area.right() {
            break;
        }
        let text = fit(text, col.width as usize);
        let offset = if col.right {
            col.width.saturating_sub(text.width() as u16)
        } else {
            0
        };
        let style = match row_style {
            Some(row) => style.patch(row),
            None => *style,
        };
        put(buf, area, x + offset, y, &text, col.width, style);
        x = x.saturating_add(col.width + 1);
    }
}

/// Renders the state into a buffer of the given size: for tests and benchmarks.
pub fn render_to_buffer(state: &AppState, width: u16, height: u16) -> Buffer {
    let area = Rect::new(0, 0, width, height);
    let mut buf = Buffer::empty(area);
    state.render(area, &mut buf);
    buf
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
        assert_eq!(delta_text(Decimal::new(-5, 1)), "▼ 0,5");
        assert_eq!(delta_text(Decimal::new(25, 1)), "▲ 2,5");
        assert_eq!(delta_text(Decimal::ZERO), "");
    }
}
