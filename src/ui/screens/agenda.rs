//! The meeting on screen: the agenda bar (Now / Next / Then, items left, clocks), the
//! follow-mode status for the header and the presenter's footer.

use crate::app::AppState;
use crate::app::keymap::Command;
use crate::app::screens::agenda::Role;
use crate::domain::agenda::{AgendaItem, BudgetClock, format_m_ss, format_mm_ss, is_discussed};
use crate::messages::screen::{MeetingLabels, meeting_labels};
use crate::ui::draw::{fit, join_keeping_last, put};
use crate::ui::theme::Theme;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Modifier;
use unicode_width::UnicodeWidthStr;

/// "SNV 1.1.2 Mức độ hoàn thành kế hoạch", or "SNV Sở Nội vụ (cả đơn vị)".
pub(crate) fn item_text(state: &AppState, item: &AgendaItem, labels: &MeetingLabels) -> String {
    let Some(unit) = state.session.units.get(item.unit) else {
        return String::new();
    };
    match item.node {
        Some(node) => {
            let node = state.session.framework.node(node);
            format!("{} {} {}", unit.code, node.code(), node.def.title)
        }
        None => format!("{} {} ({})", unit.code, unit.name, labels.whole_unit),
    }
}

/// The follow-mode status for the header; "" when this process is on its own.
pub(crate) fn header_status(state: &AppState) -> String {
    let labels = meeting_labels(state.lang);
    match state.meeting.role {
        Role::Local => String::new(),
        Role::Leader => labels.leader.to_string(),
        Role::Follower { attached: true } => match &state.meeting.leader {
            Some(leader) => format!("{} {}", labels.following, leader.leader),
            None => labels.waiting_for_leader.to_string(),
        },
        Role::Follower { attached: false } => labels
            .detached
            .replace("{key}", &state.keymap.first_key(Command::Follow)),
    }
}

/// The clocks and the count: "còn 9 · mục này 02:15 · phiên họp 41:07"; with a budget,
/// the item's part is the time left ("mục này còn 1:20") or over ("mục này quá 0:35 ⚠").
/// `short` leaves the clocks' names out ("còn 9 · 02:15 · 41:07"). Each part with whether it
/// is over its budget.
pub(crate) fn clock_parts(
    state: &AppState,
    labels: &MeetingLabels,
    short: bool,
) -> [(String, bool); 3] {
    let meeting = &state.meeting;
    let now = (meeting.now)();
    let left = meeting.agenda.remaining(&state.session);
    let since = |start: Option<i64>| start.map_or("--:--".to_string(), |s| format_mm_ss(now - s));
    let (item, over) = match meeting.budget_clock() {
        Some(BudgetClock::Left(seconds)) => (
            labels.budget_left.replace("{t}", &format_m_ss(seconds)),
            false,
        ),
        Some(BudgetClock::Over(seconds)) => (
            labels.budget_over.replace("{t}", &format_m_ss(seconds)),
            true,
        ),
        None => (since(meeting.item_started), false),
    };
    let whole = since(meeting.meeting_started);
    let named = |name: &str, text: String| {
        if short {
            text
        } else {
            format!("{name} {text}")
        }
    };
    [
        (format!("{} {left}", labels.left), false),
        (named(labels.item_clock, item), over),
        (named(labels.meeting_clock, whole), false),
    ]
}

/// The clocks and the count as one text.
pub(crate) fn clocks(state: &AppState, labels: &MeetingLabels, short: bool) -> String {
    clock_parts(state, labels, short)
        .map(|(text, _)| text)
        .join(" · ")
}

/// Room the item under discussion keeps beside the clocks: below it, the clocks lose their
/// names rather than be cut.
const NOW_TEXT_ROOM: u16 = 24;

/// The cells the clocks take beside the item in a row of `width` (a space at the end): with
/// their names when that leaves the item [`NOW_TEXT_ROOM`], else without.
fn clocks_width(state: &AppState, labels: &MeetingLabels, width: u16) -> u16 {
    let full = clocks(state, labels, false).width() as u16 + 1;
    if full + NOW_TEXT_ROOM <= width {
        return full;
    }
    let short = clocks(state, labels, true).width() as u16 + 1;
    short.min(width.saturating_sub(NOW_TEXT_ROOM))
}

/// Draws the clocks right-aligned in the last `room` cells of the row (a space at the end):
/// with their names if they fit, else without, and only then without the meeting clock;
/// the item's clock over its budget in the error style.
fn put_clocks(state: &AppState, theme: &Theme, row: Rect, buf: &mut Buffer, room: u16) {
    let labels = meeting_labels(state.lang);
    let width = |parts: &[(String, bool)]| {
        let texts: usize = parts.iter().map(|(t, _)| t.width()).sum();
        texts + 3 * parts.len().saturating_sub(1)
    };
    let room = room.saturating_sub(1);
    let full = clock_parts(state, labels, false);
    let short = clock_parts(state, labels, true);
    let shown = if width(&full) <= room as usize {
        &full[..]
    } else if width(&short) <= room as usize {
        &short[..]
    } else {
        &short[..2]
    };
    let total = (width(shown) as u16).min(room);
    let end = row.right().saturating_sub(1);
    let mut x = end.saturating_sub(total);
    for (i, (text, over)) in shown.iter().enumerate() {
        if i > 0 {
            x = put(
                buf,
                row,
                x,
                row.y,
                " · ",
                end.saturating_sub(x),
                theme.header,
            );
        }
        let style = if *over { theme.error } else { theme.header };
        let text = fit(text, end.saturating_sub(x) as usize);
        x = put(buf, row, x, row.y, &text, end.saturating_sub(x), style);
    }
}

/// Draws the two-row agenda bar into `area`: Now with the clocks, then Next and Then (and the
/// follow status at the right end, when asked).
pub(crate) fn render_bar(
    state: &AppState,
    theme: &Theme,
    area: Rect,
    buf: &mut Buffer,
    with_status: bool,
) {
    if area.height < 2 {
        return;
    }
    let [now_row, next_row] =
        Layout::vertical([Constraint::Length(1), Constraint::Length(1)]).areas(area);
    now_line(state, theme, now_row, buf);
    next_line(state, theme, next_row, buf, with_status);
}

/// " ▶ Đang bàn 3/12: SNV 1.1.2 …" at the left, the count and clocks at the right.
fn now_line(state: &AppState, theme: &Theme, row: Rect, buf: &mut Buffer) {
    let labels = meeting_labels(state.lang);
    let meeting = &state.meeting;
    buf.set_style(row, theme.header);
    let right_width = clocks_width(state, labels, row.width);
    let total = meeting.agenda.len();
    let now_text = match meeting
        .position
        .and_then(|p| meeting.agenda.get(p).map(|i| (p, i)))
    {
        Some((p, item)) => {
            let mark = if is_discussed(&state.session, item) {
                format!(" {}", labels.discussed)
            } else {
                String::new()
            };
            let what = item_text(state, item, labels);
            format!(" ▶ {} {}/{total}: {what}{mark}", labels.now, p + 1)
        }
        None if total == 0 => format!(" ▶ {}: —", labels.now),
        None => format!(
            " ▶ {}: — ({}, {} {})",
            labels.now,
            labels.not_started,
            state.keymap.first_key(Command::AgendaNext),
            Command::AgendaNext.short(state.lang)
        ),
    };
    let left_room = row.width.saturating_sub(right_width + 1);
    let bold = theme.header.add_modifier(Modifier::BOLD);
    let now_text = fit(&now_text, left_room as usize);
    put(buf, row, row.x, row.y, &now_text, left_room, bold);
    put_clocks(state, theme, row, buf, right_width);
}

/// Next and Then share the row; the follow status takes the right end if asked.
fn next_line(state: &AppState, theme: &Theme, row: Rect, buf: &mut Buffer, with_status: bool) {
    let labels = meeting_labels(state.lang);
    let meeting = &state.meeting;
    buf.set_style(row, theme.base);
    let status = if with_status {
        header_status(state)
    } else {
        String::new()
    };
    let status_width = if status.is_empty() {
        0
    } else {
        (status.width() as u16 + 2).min(row.width / 3)
    };
    let half = row.width.saturating_sub(status_width) / 2;
    let upcoming = meeting.agenda.following(meeting.position, 2);
    for (slot, (&position, name)) in upcoming.iter().zip([labels.next, labels.then]).enumerate() {
        let Some(item) = meeting.agenda.get(position) else {
            continue;
        };
        let mark = if is_discussed(&state.session, item) {
            format!("{} ", labels.discussed)
        } else {
            String::new()
        };
        let x = row.x + half * slot as u16;
        let label = format!("   {name}: ");
        let after_label = put(buf, row, x, row.y, &label, half, theme.muted);
        let width = half.saturating_sub(after_label - x + 1);
        let text = format!("{mark}{}", item_text(state, item, labels));
        let text = fit(&text, width as usize);
        put(buf, row, after_label, row.y, &text, width, theme.base);
    }
    if !status.is_empty() {
        let style = match state.meeting.role {
            Role::Follower { attached: false } => theme.disputed,
            _ => theme.success,
        };
        let text = fit(&status, status_width.saturating_sub(1) as usize);
        let x = row.right().saturating_sub(text.width() as u16 + 1);
        put(buf, row, x, row.y, &text, status_width, style);
    }
}

/// The presenter's quiet footer: the few keys the chair needs.
pub(crate) fn render_presenter_footer(
    state: &AppState,
    theme: &Theme,
    area: Rect,
    buf: &mut Buffer,
) {
    let row = Rect::new(area.x, area.bottom().saturating_sub(1), area.width, 1);
    buf.set_style(row, theme.base);
    let parts: Vec<String> = crate::app::screens::present::HINTS
        .iter()
        .filter_map(|&c| {
            let key = state.keymap.first_key(c);
            (!key.is_empty()).then(|| format!("{key} {}", c.short(state.lang)))
        })
        .collect();
    // The last message ("tranh chấp 3/101" after n) at the right end, the keys cut before it.
    let message = state
        .message
        .as_ref()
        .map(|m| format!(" {} ", m.text))
        .unwrap_or_default();
    let message_width = (message.width() as u16).min(row.width / 2);
    let keys_room = row.width.saturating_sub(message_width);
    // The keys before the last give way, help stays (after a space).
    let keys = join_keeping_last(&parts, "  ", keys_room.saturating_sub(1) as usize);
    let text = format!(" {keys}");
    put(buf, row, row.x, row.y, &text, keys_room, theme.muted);
    let message = fit(&message, message_width as usize);
    let x = row.right().saturating_sub(message_width);
    put(buf, row, x, row.y, &message, message_width, theme.info);
}
