//! The reason editor: a real text area (ratatui-textarea) with cursor movement, word motions,
//! undo and paste, every key from the editor context of the keymap. The reason is required
//! when the score differs from the self-score; submit saves (the decision goes to the store),
//! cancel closes.
//!
//! The text area is an editing model, not a terminal type: keys reach it as the app's own
//! [`EditorInput`], never as terminal events.

use super::{ItemRef, Overlay};
use crate::app::keymap::{EditorCommand, EditorInput, Hint, Key, Keymap};
use crate::app::{AppState, Effect, RecordIntent};
use crate::domain::DecisionAction;
use crate::messages::screen::KeyTexts;
use ratatui::style::Style;
use ratatui_textarea::{CursorMove, TextArea, WrapMode};
use rust_decimal::Decimal;

/// The reason editor, multi-line; the reason is required when the score differs from the
/// self-score.
#[derive(Debug, Clone)]
pub struct ReasonEditor {
    pub item: ItemRef,
    pub score: Decimal,
    pub required: bool,
    /// Set when saving was refused (empty reason where one is required).
    pub show_required: bool,
    /// Boxed: the text area is large beside the other overlays.
    area: Box<TextArea<'static>>,
}

impl PartialEq for ReasonEditor {
    fn eq(&self, other: &Self) -> bool {
        self.item == other.item
            && self.score == other.score
            && self.required == other.required
            && self.show_required == other.show_required
            && self.area.lines() == other.area.lines()
            && self.area.cursor() == other.area.cursor()
    }
}

impl Eq for ReasonEditor {}

impl ReasonEditor {
    /// A reason editor for a score, opened with `text` and the cursor at its end.
    pub(crate) fn new(state: &AppState, item: ItemRef, score: Decimal, text: String) -> Self {
        let own = state.session.item(item.unit, item.leaf);
        let mut area = TextArea::new(text.split('\n').map(str::to_string).collect());
        // The look of the text comes from the ui's theme; only the cursor line stays plain.
        area.set_cursor_line_style(Style::default());
        area.set_wrap_mode(WrapMode::WordOrGlyph);
        area.move_cursor(CursorMove::Bottom);
        area.move_cursor(CursorMove::End);
        ReasonEditor {
            item,
            score,
            required: score != own.self_points(),
            show_required: false,
            area: Box::new(area),
        }
    }

    /// After the score editor: prefilled with the reason in force if it was for this score.
    pub(crate) fn after_score(state: &AppState, item: ItemRef, score: Decimal) -> Self {
        let previous = state
            .detail_of(item.unit, item.leaf)
            .and_then(|d| crate::domain::session::decision_in_force(&d.log))
            .filter(|(s, ..)| **s == score)
            .map(|(_, reason, _)| reason.to_string())
            .unwrap_or_default();
        ReasonEditor::new(state, item, score, previous)
    }

    /// The reason as typed, lines joined by "\n".
    pub fn text(&self) -> String {
        self.area.lines().join("\n")
    }

    /// The text area, for drawing.
    pub fn text_area(&self) -> &TextArea<'static> {
        &self.area
    }

    pub fn is_acceptable(&self) -> bool {
        !self.required || !self.text().trim().is_empty()
    }

    /// Pasted text goes in at the cursor, lines and all (terminals send a line end as CR, LF
    /// or both); other control characters are dropped.
    pub(crate) fn paste(&mut self, text: &str) {
        let clean: String = text
            .replace("\r\n", "\n")
            .replace('\r', "\n")
            .chars()
            .map(|c| if c == '\t' { ' ' } else { c })
            .filter(|c| *c == '\n' || !c.is_control())
            .collect();
        if self.area.insert_str(clean) {
            self.show_required = false;
        }
    }

    /// Keys of the editor context; submit saves once the reason is acceptable.
    pub(crate) fn on_key(
        mut self,
        state: &mut AppState,
        key: Key,
        effects: &mut Vec<Effect>,
    ) -> Option<Overlay> {
        match state.keymap.editor_input(key) {
            EditorInput::Command(EditorCommand::Cancel) => return None,
            EditorInput::Command(EditorCommand::Submit) => {
                if self.is_acceptable() {
                    effects.push(self.save(state));
                    return None;
                }
                self.show_required = true;
            }
            input => {
                if self.edit(input) {
                    self.show_required = false;
                }
            }
        }
        Some(Overlay::Reason(self))
    }

    /// The decision to record.
    fn save(&self, state: &mut AppState) -> Effect {
        let action = DecisionAction::Decide {
            score: self.score,
            reason: self.text().trim().to_string(),
        };
        let item = self.item;
        state.record(
            item.unit,
            item.leaf,
            action,
            RecordIntent::Decide,
            item.expected_seq,
        )
    }

    /// Applies one editing input; returns whether the text changed (a new line does not
    /// count: it is not yet a reason).
    fn edit(&mut self, input: EditorInput) -> bool {
        let area = &mut *self.area;
        let command = match input {
            EditorInput::Char(c) => {
                area.insert_char(c);
                return true;
            }
            EditorInput::Nothing => return false,
            EditorInput::Command(command) => command,
        };
        let cursor = |area: &mut TextArea, m: CursorMove| {
            area.move_cursor(m);
            false
        };
        match command {
            EditorCommand::Newline => {
                area.insert_newline();
                false
            }
            EditorCommand::Up => cursor(area, CursorMove::Up),
            EditorCommand::Down => cursor(area, CursorMove::Down),
            EditorCommand::Left => cursor(area, CursorMove::Back),
            EditorCommand::Right => cursor(area, CursorMove::Forward),
            EditorCommand::WordLeft => cursor(area, CursorMove::WordBack),
            EditorCommand::WordRight => cursor(area, CursorMove::WordForward),
            EditorCommand::LineStart => cursor(area, CursorMove::Head),
            EditorCommand::LineEnd => cursor(area, CursorMove::End),
            // As in the single-line inputs, a delete counts as editing even at the start.
            EditorCommand::DeleteBack => {
                area.delete_char();
                true
            }
            EditorCommand::DeleteForward => area.delete_next_char(),
            EditorCommand::DeleteWord => {
                area.delete_word();
                true
            }
            EditorCommand::Clear => {
                area.clear();
                true
            }
            EditorCommand::Undo => area.undo(),
            EditorCommand::Redo => area.redo(),
            EditorCommand::Submit | EditorCommand::Cancel => false,
        }
    }
}

/// The reason editor's hint bar.
pub fn hints(keymap: &Keymap, words: &KeyTexts) -> Vec<Hint> {
    let editor = &keymap.editor;
    [
        editor.hint(EditorCommand::Submit, words.save),
        editor.hint(EditorCommand::Newline, words.newline),
        editor.hint(EditorCommand::Cancel, words.cancel),
    ]
    .into_iter()
    .flatten()
    .collect()
}
