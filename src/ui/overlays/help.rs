//! The key help: every binding in force, one section per keymap context (the screens first),
//! filtered as the user types.

use super::put_row;
use crate::app::AppState;
use crate::app::keymap::{Bindable, Bindings};
use crate::app::overlay::HelpState;
use crate::messages::screen::key_texts;
use crate::ui::draw::{fit, put};
use crate::ui::theme::Theme;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use unicode_width::UnicodeWidthStr;

/// A line of the help: a context's heading, or a binding (its keys, what it does, and the
/// width of its section's key column).
enum Row<'a> {
    Section(&'static str),
    Binding(String, &'a str, usize),
}

/// A context's matching bindings, under its heading (nothing when none matches).
fn section<'a, C: Bindable>(
    rows: &mut Vec<Row<'a>>,
    title: &'static str,
    bindings: &'a Bindings<C>,
    state: &AppState,
    help: &HelpState,
) {
    let entries: Vec<(String, &str)> = bindings
        .bindings()
        .filter(|(_, keys)| !keys.is_empty())
        .filter_map(|(command, keys)| {
            let keys = keys
                .iter()
                .map(|k| k.to_string())
                .collect::<Vec<_>>()
                .join(" ");
            let description = bindings.description(command, state.lang);
            help.matches(command, &keys, description)
                .then_some((keys, description))
        })
        .collect();
    let width = entries.iter().map(|(k, _)| k.width()).max().unwrap_or(4);
    if !entries.is_empty() {
        rows.push(Row::Section(title));
        rows.extend(entries.into_iter().map(|(k, d)| Row::Binding(k, d, width)));
    }
}

fn rows<'a>(state: &'a AppState, help: &HelpState) -> Vec<Row<'a>> {
    let (keymap, words) = (&state.keymap, key_texts(state.lang));
    let mut rows = Vec::new();
    section(
        &mut rows,
        words.section_screens,
        &keymap.screens,
        state,
        help,
    );
    section(&mut rows, words.section_editor, &keymap.editor, state, help);
    section(
        &mut rows,
        words.section_confirm,
        &keymap.confirm,
        state,
        help,
    );
    section(
        &mut rows,
        words.section_agenda_list,
        &keymap.agenda_list,
        state,
        help,
    );
    section(&mut rows, words.section_help, &keymap.help, state, help);
    rows
}

pub(super) fn render(
    state: &AppState,
    theme: &Theme,
    help: &HelpState,
    area: Rect,
    buf: &mut Buffer,
) {
    let labels = state.labels();
    let inner = super::input_box(
        state,
        theme,
        (labels.help_title, 78, area.height),
        &help.filter,
        area,
        buf,
    );
    let rows = rows(state, help);
    let list_top = inner.y + 2;
    let visible = inner.height.saturating_sub(2) as usize;
    let scroll = help.scroll.min(rows.len().saturating_sub(visible));
    for (i, row) in rows.iter().skip(scroll).take(visible).enumerate() {
        let y = list_top + i as u16;
        let (keys, description, width) = match row {
            Row::Section(title) => {
                put_row(buf, inner, y, title, theme.title);
                continue;
            }
            Row::Binding(keys, description, width) => (keys, description, *width),
        };
        let key_width = width.min(inner.width as usize / 3) as u16;
        put(
            buf,
            inner,
            inner.x,
            y,
            &fit(keys, key_width as usize),
            key_width,
            theme.header,
        );
        let x = inner.x + key_width + 2;
        put(
            buf,
            inner,
            x,
            y,
            &fit(description, inner.right().saturating_sub(x) as usize),
            inner.width,
            theme.base,
        );
    }
}
