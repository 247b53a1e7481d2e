//! Search (`/`): codes, criterion titles and unit names, accents optional; submit opens a hit.

use super::{Overlay, edit_line};
use crate::app::AppState;
use crate::app::keymap::{EditorCommand, EditorInput, Hint, Key, Keymap};
use crate::app::screens::Screen;
use crate::domain::NodeId;
use crate::domain::text::fold_for_search;
use crate::messages::screen::KeyTexts;

/// What a search hit points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SearchHit {
    Unit(usize),
    Node(NodeId),
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchState {
    pub query: String,
    pub hits: Vec<SearchHit>,
    pub selected: usize,
}

/// The most hits a search lists; more only slow the typing down.
pub const MAX_HITS: usize = 200;

impl SearchState {
    /// Up / down choose a hit, submit opens it, typing searches again, cancel closes.
    pub(crate) fn on_key(mut self, state: &mut AppState, key: Key) -> Option<Overlay> {
        match state.keymap.editor_input(key) {
            EditorInput::Command(EditorCommand::Cancel) => return None,
            EditorInput::Command(EditorCommand::Down) => {
                self.selected = (self.selected + 1).min(self.hits.len().saturating_sub(1))
            }
            EditorInput::Command(EditorCommand::Up) => {
                self.selected = self.selected.saturating_sub(1)
            }
            EditorInput::Command(EditorCommand::Submit) => {
                if let Some(hit) = self.hits.get(self.selected).copied() {
                    open_hit(state, hit);
                    return None;
                }
            }
            input => {
                if edit_line(&mut self.query, input) {
                    self.run(state);
                }
            }
        }
        Some(Overlay::Search(self))
    }

    pub(crate) fn paste(&mut self, state: &AppState, text: &str) {
        self.query.push_str(&super::one_line(text));
        self.run(state);
    }

    fn run(&mut self, state: &AppState) {
        self.hits.clear();
        self.selected = 0;
        let needle = fold_for_search(self.query.trim());
        if needle.is_empty() {
            return;
        }
        let index = &state.search_index;
        let nodes = index
            .nodes
            .iter()
            .enumerate()
            .filter(|(_, hay)| hay.contains(&needle))
            .map(|(id, _)| SearchHit::Node(id));
        let units = index
            .units
            .iter()
            .enumerate()
            .filter(|(_, hay)| hay.contains(&needle))
            .map(|(u, _)| SearchHit::Unit(u));
        self.hits = units.chain(nodes).take(MAX_HITS).collect();
    }
}

fn open_hit(state: &mut AppState, hit: SearchHit) {
    match hit {
        SearchHit::Unit(u) => state.open_scorecard(u),
        SearchHit::Node(node) => match state.screen() {
            Screen::Scorecard => {
                let unit = state.scorecard.unit;
                state.show_node(unit, node);
            }
            Screen::Overview | Screen::Compare | Screen::Diff => match state.overview_unit() {
                // From the overview, a criterion opens within the selected unit.
                Some(u) if state.screen() == Screen::Overview => state.show_node(u, node),
                _ => state.open_compare(node),
            },
        },
    }
}

/// The search's hint bar.
pub fn hints(keymap: &Keymap, words: &KeyTexts) -> Vec<Hint> {
    let editor = &keymap.editor;
    let select: Vec<Key> = [
        editor.first(EditorCommand::Up),
        editor.first(EditorCommand::Down),
    ]
    .into_iter()
    .flatten()
    .collect();
    [
        Hint::of(&select, words.select),
        editor.hint(EditorCommand::Submit, words.open),
        editor.hint(EditorCommand::Cancel, words.close),
    ]
    .into_iter()
    .flatten()
    .collect()
}
