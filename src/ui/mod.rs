//! Pure rendering of the application state with ratatui: `impl Widget for &AppState`.
//! Tables are drawn for the visible window only, so a 10,000-unit session costs what a
//! 20-unit one does.
//!
//! One module per screen (`screens/`) and per overlay (`overlays/`), as in the app; the frame
//! around them (breadcrumb, message line, hint bar) is drawn here.

mod charts;
mod draw;
mod layout;
mod overlays;
mod screens;
mod table;
pub mod theme;

pub use draw::{delta_text, first_line, fit};
pub use layout::viewport;

use crate::app::{AppState, MessageKind, Screen};
use draw::put;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::widgets::Widget;
use theme::Theme;
use unicode_width::UnicodeWidthStr;

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
        let bar = layout::bar_rows(self);
        if self.presentation && bar > 0 {
            // The presenter: Now / Next / Then on top, the item below, a quiet footer.
            let (bar_area, item) = layout::presenter(area, bar);
            screens::present::render(self, &theme, item, buf);
            screens::agenda::render_bar(self, &theme, bar_area, buf, true);
            screens::agenda::render_presenter_footer(self, &theme, area, buf);
        } else if self.presentation {
            screens::present::render(self, &theme, area, buf);
        } else {
            let frame = layout::frame(area, bar);
            if bar > 0 {
                screens::agenda::render_bar(self, &theme, frame.bar, buf, false);
            }
            breadcrumb(self, &theme, frame.breadcrumb, buf);
            let body = frame.body;
            match self.screen() {
                Screen::Overview => screens::overview::render(self, &theme, body, buf),
                Screen::Scorecard => screens::scorecard::render(self, &theme, body, buf),
                Screen::Compare => screens::compare::render(self, &theme, body, buf),
                Screen::Diff => screens::diff::render(self, &theme, body, buf),
                Screen::Dashboard => screens::dashboard::render(self, &theme, body, buf),
            }
            message_line(self, &theme, frame.message, buf);
            footer(self, &theme, frame.footer, buf);
        }
        overlays::render(self, &theme, area, buf);
        overlays::render_list(self, &theme, area, buf);
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

/// "Hội đồng thẩm định › Tổng hợp › SNV Sở Nội vụ › So sánh 1.1.2": the screens stacked.
fn trail(state: &AppState) -> String {
    let labels = state.labels();
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
            Screen::Dashboard => parts.push(labels.dashboard.to_string()),
            Screen::Overview => {}
        }
    }
    format!(" {}", parts.join(" › "))
}

/// The right end of the breadcrumb: finalised, to review, disputed, the reviewer.
fn counts(state: &AppState) -> String {
    let labels = state.labels();
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
    right
}

fn breadcrumb(state: &AppState, theme: &Theme, area: Rect, buf: &mut Buffer) {
    buf.set_style(area, theme.header);
    let status = screens::agenda::header_status(state);
    // In a meeting the follow status takes the place of the counts: it matters more.
    let (right, cap) = if status.is_empty() {
        (counts(state), area.width / 2)
    } else {
        (format!(" {status} "), area.width * 2 / 3)
    };
    let right_width = (right.width() as u16).min(cap);
    let left_room = area.width.saturating_sub(right_width + 1);
    let left = fit(&trail(state), left_room as usize);
    put(buf, area, area.x, area.y, &left, left_room, theme.header);
    let x = area.right().saturating_sub(right_width);
    let right = fit(&right, right_width as usize);
    put(buf, area, x, area.y, &right, right_width, theme.header);
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
                Screen::Scorecard | Screen::Diff | Screen::Dashboard => None,
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

/// The hint bar, generated from the live keymap.
fn footer(state: &AppState, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let mut x = area.x;
    for (command, short) in crate::app::screens::hints(state) {
        let key = state.keymap.first_key(command);
        if key.is_empty() {
            continue;
        }
        let key = format!(" {key} ");
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

/// Renders the state into a buffer of the given size: for tests and benchmarks.
pub fn render_to_buffer(state: &AppState, width: u16, height: u16) -> Buffer {
    let area = Rect::new(0, 0, width, height);
    let mut buf = Buffer::empty(area);
    state.render(area, &mut buf);
    buf
}
