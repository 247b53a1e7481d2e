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
pub use layout::{regions, viewport};

use crate::app::mouse::Area;
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

/// The breadcrumb's parts, each with the depth of the screen stack a click on it goes back to:
/// the title and the overview go back to the overview, each screen above to itself.
fn trail_parts(state: &AppState) -> Vec<(String, usize)> {
    let labels = state.labels();
    let mut parts = vec![
        (labels.app_title.to_string(), 1),
        (labels.overview.to_string(), 1),
    ];
    for (depth, screen) in state.stack.iter().enumerate().skip(1) {
        let part = match screen {
            Screen::Scorecard => state
                .session
                .units
                .get(state.scorecard.unit)
                .map(|unit| format!("{} {}", unit.code, unit.name)),
            Screen::Compare => {
                let node = state.session.framework.node(state.compare.node);
                Some(format!("{} {}", labels.compare, node.code()))
            }
            Screen::Diff => state
                .session
                .units
                .get(state.diff.unit)
                .map(|unit| format!("{} {}", labels.diff_title, unit.code)),
            Screen::Dashboard => Some(labels.dashboard.to_string()),
            Screen::Overview => None,
        };
        parts.extend(part.map(|p| (p, depth + 1)));
    }
    parts
}

/// The separator between the breadcrumb's parts.
const TRAIL_SEPARATOR: &str = " › ";

/// "Hội đồng thẩm định › Tổng hợp › SNV Sở Nội vụ › So sánh 1.1.2": the screens stacked.
fn trail(state: &AppState) -> String {
    let parts: Vec<String> = trail_parts(state).into_iter().map(|(p, _)| p).collect();
    format!(" {}", parts.join(TRAIL_SEPARATOR))
}

/// Where each part of the breadcrumb is drawn on its row (as far as it is shown), with the
/// depth a click on it goes back to.
pub(crate) fn trail_regions(state: &AppState, area: Rect) -> Vec<(Area, usize)> {
    let (_, left_room) = breadcrumb_split(state, area);
    let end = area.x + left_room;
    let mut x = area.x + 1;
    let mut regions = Vec::new();
    for (part, depth) in trail_parts(state) {
        let width = part.width() as u16;
        if x >= end {
            break;
        }
        let shown = width.min(end - x);
        regions.push((
            Area {
                x,
                y: area.y,
                width: shown,
                height: 1,
            },
            depth,
        ));
        x = x.saturating_add(width + TRAIL_SEPARATOR.width() as u16);
    }
    regions
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

/// The breadcrumb's right end (the counts, or the follow status) and the room left of it.
fn breadcrumb_split(state: &AppState, area: Rect) -> (String, u16) {
    let status = screens::agenda::header_status(state);
    // In a meeting the follow status takes the place of the counts: it matters more.
    let (right, cap) = if status.is_empty() {
        (counts(state), area.width / 2)
    } else {
        (format!(" {status} "), area.width * 2 / 3)
    };
    let right_width = (right.width() as u16).min(cap);
    (right, area.width.saturating_sub(right_width + 1))
}

fn breadcrumb(state: &AppState, theme: &Theme, area: Rect, buf: &mut Buffer) {
    buf.set_style(area, theme.header);
    let (right, left_room) = breadcrumb_split(state, area);
    let right_width = area.width.saturating_sub(left_room + 1);
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

/// The hint bar, generated from the live keymap. Hints that do not fit give way from the
/// end, except quit: it is always kept, last (at 80 columns `q thoát` still shows).
fn footer(state: &AppState, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let hints: Vec<(String, String, bool)> = crate::app::screens::hints(state)
        .into_iter()
        .filter_map(|(command, short)| {
            let key = state.keymap.first_key(command);
            let quit = command == crate::app::keymap::Command::Quit;
            (!key.is_empty()).then(|| (format!(" {key} "), format!(" {short} "), quit))
        })
        .collect();
    let need = |(key, word, _): &(String, String, bool)| (key.width() + word.width()) as u16;
    let kept_for_quit: u16 = hints.iter().filter(|h| h.2).map(need).sum();
    let mut room = area.width.saturating_sub(kept_for_quit);
    let mut x = area.x;
    let (quit, others): (Vec<_>, Vec<_>) = hints.iter().partition(|h| h.2);
    for hint in others.into_iter().chain(quit) {
        if !hint.2 {
            if need(hint) > room {
                // The rest give way; only quit follows.
                room = 0;
                continue;
            }
            room -= need(hint);
        }
        let (key, word, _) = hint;
        put(
            buf,
            area,
            x,
            area.y,
            key,
            area.right().saturating_sub(x),
            theme.key,
        );
        x += key.width() as u16;
        put(
            buf,
            area,
            x,
            area.y,
            word,
            area.right().saturating_sub(x),
            theme.base,
        );
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
