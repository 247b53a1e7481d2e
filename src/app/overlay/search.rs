//! Search (`/`): codes, criterion titles and unit names, accents optional; Enter opens a hit.

use super::{Overlay, edit_text};
use crate::app::AppState;
use crate::app::keymap::{Key, KeyCode};
use crate::app::screens::Screen;
use crate::domain::NodeId;
use crate::domain::text::fold_for_search;

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
    /// ↑ ↓ choose a hit, Enter opens it, typing searches again, Esc closes.
    pub(crate) fn on_key(mut self, state: &mut AppState, key: Key) -> Option<Overlay> {
        match key.code {
            KeyCode::Esc => return None,
            KeyCode::Down => {
                self.selected = (self.selected + 1).min(self.hits.len().saturating_sub(1))
            }
            KeyCode::Up => self.selected = self.selected.saturating_sub(1),
            KeyCode::Enter => {
                if let Some(hit) = self.hits.get(self.selected).copied() {
                    open_hit(state, hit);
                    return None;
                }
            }
            _ => {
                if edit_text(&mut self.query, key) {
                    self.run(state);
                }
            }
        }
        Some(Overlay::Search(self))
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
