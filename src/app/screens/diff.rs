//! The diff view of one unit: its appraised scorecard against its self-assessment, against the
//! working group's proposals, or a submission version against the current one — one line per
//! leaf, built by `domain::diff`, with word-level emphasis inside changed lines.
//!
//! The runner loads what the store holds ([`DiffData`]); everything else here is pure.

use crate::domain::diff::{self, Against, DiffRow, DiffTag};
use crate::domain::score::Numbers;
use crate::domain::{ItemTexts, Session};
use rust_decimal::Decimal;

/// What the unit's scorecard is compared with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DiffBase {
    /// Self-scores → appraised scores.
    #[default]
    SelfScores,
    /// Working-group proposals → appraised scores.
    Proposals,
    /// An earlier submission version → the current submission.
    Version(u32),
}

impl DiffBase {
    /// The next base in the cycle: self → proposals → each earlier version → self.
    /// `versions` are the unit's submission versions, oldest first (the last is the current).
    pub fn next(self, versions: &[u32]) -> DiffBase {
        let earlier = earlier_versions(versions);
        match self {
            DiffBase::SelfScores => DiffBase::Proposals,
            DiffBase::Proposals => earlier
                .first()
                .map_or(DiffBase::SelfScores, |&v| DiffBase::Version(v)),
            DiffBase::Version(v) => earlier
                .iter()
                .position(|&e| e == v)
                .and_then(|i| earlier.get(i + 1))
                .map_or(DiffBase::SelfScores, |&n| DiffBase::Version(n)),
        }
    }
}

/// The versions a later one can be compared with: all but the current (last) one.
pub fn earlier_versions(versions: &[u32]) -> &[u32] {
    match versions.split_last() {
        Some((_, earlier)) => earlier,
        None => &[],
    }
}

/// What the runner loaded from the store for one diff.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiffData {
    /// The unit's submission versions, oldest first.
    pub versions: Vec<u32>,
    pub content: DiffContent,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DiffContent {
    /// For self/proposal diffs: per leaf, the reason that goes with the appraised score (the
    /// decision's reason, else the working group's note where the proposal counts).
    Reasons(Vec<String>),
    /// For version diffs: (score, note) per leaf of the earlier version and of the current one.
    Versions {
        old: Vec<(Option<Decimal>, String)>,
        current: Vec<(Option<Decimal>, String)>,
    },
}

/// The diff screen's state.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DiffState {
    pub unit: usize,
    pub base: DiffBase,
    /// The unit's submission versions, oldest first (empty until loaded).
    pub versions: Vec<u32>,
    pub rows: Vec<DiffRow>,
    /// The first row of each run of changed rows, in order (for n/N).
    pub changes: Vec<usize>,
    pub selected: usize,
    pub offset: usize,
    /// What `rows` show, once loaded.
    pub loaded: Option<(usize, DiffBase)>,
    /// What was last asked of the runner, so it is asked once.
    pub requested: Option<(usize, DiffBase)>,
    pub error: Option<String>,
}

impl DiffState {
    /// A fresh view of a unit against its self-scores (nothing loaded yet).
    pub fn open(unit: usize) -> DiffState {
        DiffState {
            unit,
            ..Default::default()
        }
    }

    /// Whether the rows on screen are the ones wanted.
    pub fn is_current(&self) -> bool {
        self.loaded == Some((self.unit, self.base))
    }

    /// Takes loaded data; returns false when it is for another unit or base (a late answer).
    pub fn accept(
        &mut self,
        session: &Session,
        unit: usize,
        base: DiffBase,
        result: Result<DiffData, String>,
        numbers: Numbers,
    ) -> bool {
        if unit != self.unit || base != self.base {
            return false;
        }
        self.loaded = Some((unit, base));
        match result {
            Ok(data) => {
                let (old, new) = lines(session, unit, base, &data.content, numbers);
                self.versions = data.versions;
                self.rows = diff::rows(&old, &new);
                self.changes = change_starts(&self.rows);
                self.error = None;
                // Open at the first change: that is what the council wants to see.
                self.selected = self.changes.first().copied().unwrap_or(0);
                self.offset = 0;
            }
            Err(message) => {
                self.rows.clear();
                self.changes.clear();
                self.selected = 0;
                self.offset = 0;
                self.error = Some(message);
            }
        }
        true
    }

    /// Moves to the next (or previous) change, wrapping around; false when there is none.
    pub fn jump_change(&mut self, forward: bool) -> bool {
        let target = if forward {
            self.changes
                .iter()
                .find(|&&c| c > self.selected)
                .or(self.changes.first())
        } else {
            self.changes
                .iter()
                .rev()
                .find(|&&c| c < self.selected)
                .or(self.changes.last())
        };
        match target {
            Some(&row) => {
                self.selected = row;
                true
            }
            None => false,
        }
    }

    /// Number of changed leaves (a changed leaf is a removed line and an added line).
    pub fn changed_rows(&self) -> usize {
        self.rows.iter().filter(|r| r.tag == DiffTag::Added).count()
    }

    /// The 1-based index of the change the cursor is in or after (0 before the first).
    pub fn change_position(&self) -> usize {
        self.changes.iter().filter(|&&c| c <= self.selected).count()
    }
}

/// The first row of each run of changed rows.
pub fn change_starts(rows: &[DiffRow]) -> Vec<usize> {
    rows.iter()
        .enumerate()
        .filter(|(i, row)| {
            row.tag != DiffTag::Same && (*i == 0 || rows[i - 1].tag == DiffTag::Same)
        })
        .map(|(i, _)| i)
        .collect()
}

/// A unit's diff data, loaded: its lines in the screen's numbers.
pub(crate) fn loaded(
    state: &mut AppState,
    unit: usize,
    base: DiffBase,
    result: Result<DiffData, String>,
) {
    let numbers = state.numbers();
    state
        .diff
        .accept(&state.session, unit, base, result, numbers);
}

/// The two line lists to compare, one line per leaf.
pub fn lines(
    session: &Session,
    unit: usize,
    base: DiffBase,
    content: &DiffContent,
    numbers: Numbers,
) -> (Vec<String>, Vec<String>) {
    match (base, content) {
        (DiffBase::Version(_), DiffContent::Versions { old, current }) => (
            diff::submission_lines(session, old, numbers),
            diff::submission_lines(session, current, numbers),
        ),
        (DiffBase::SelfScores | DiffBase::Proposals, DiffContent::Reasons(reasons)) => {
            let against = match base {
                DiffBase::Proposals => Against::Proposals,
                _ => Against::SelfScores,
            };
            // The domain's line builders index texts session-wide; a one-unit session keeps
            // that to this unit's leaves instead of allocating texts for every unit.
            let one = one_unit(session, unit);
            let texts: Vec<ItemTexts> = (0..one.leaf_count())
                .map(|leaf| ItemTexts {
                    reason: reasons.get(leaf).cloned().unwrap_or_default(),
                    ..Default::default()
                })
                .collect();
            (
                diff::baseline_lines(&one, 0, against, numbers),
                diff::appraised_lines(&one, &texts, 0, against, numbers),
            )
        }
        // Data of the other kind (cannot happen with the runner): nothing to compare.
        _ => (Vec::new(), Vec::new()),
    }
}

fn one_unit(session: &Session, unit: usize) -> Session {
    let mut one = Session::new(session.framework.clone(), Vec::new());
    if let Some(u) = session.units.get(unit) {
        one.units.push(u.clone());
        one.items = session.unit_items(unit).to_vec();
    }
    one
}

// ----- wiring into the application (keys, loading) -----

use super::Screen;
use crate::app::keymap::Command;
use crate::app::view::scroll_offset;
use crate::app::{AppState, Effect, MessageKind};

/// `D`: opens the diff of the unit the screen is about.
pub(crate) fn open(state: &mut AppState) {
    if state.screen() == Screen::Diff {
        return;
    }
    match state.current_unit() {
        Some(unit) => {
            state.diff = DiffState::open(unit);
            state.stack.push(Screen::Diff);
        }
        None => {
            let text = state.labels().diff_no_unit;
            state.say(MessageKind::Info, text);
        }
    }
}

/// Keeps the cursor in view and asks for the data once.
pub(crate) fn settle(state: &mut AppState, page: usize, effects: &mut Vec<Effect>) {
    let diff = &mut state.diff;
    diff.selected = diff.selected.min(diff.rows.len().saturating_sub(1));
    diff.offset = scroll_offset(diff.selected, diff.offset, page, diff.rows.len());
    let wanted = (diff.unit, diff.base);
    if !diff.is_current() && diff.requested != Some(wanted) {
        diff.requested = Some(wanted);
        effects.push(Effect::LoadDiff {
            unit: diff.unit,
            base: diff.base,
        });
    }
}

/// After another process changed the session: the same unit, loaded again.
pub(crate) fn on_reloaded(state: &mut AppState, unit: usize, same_shape: bool) {
    state.diff.unit = unit;
    if !same_shape {
        state.diff.base = DiffBase::SelfScores;
        state.stack = vec![Screen::Overview, Screen::Diff];
        return;
    }
    if state.stack.contains(&Screen::Scorecard) {
        state.rebuild_scorecard(None);
    }
    if state.stack.contains(&Screen::Compare) {
        state.rebuild_compare(None);
    }
}

/// The diff screen's own meaning of some commands; false for the ones it leaves to the rest.
pub(crate) fn on_command(state: &mut AppState, command: Command, page: usize) -> bool {
    match command {
        command if command.is_movement() => {
            let diff = &mut state.diff;
            diff.selected = super::step(command, diff.selected, diff.rows.len(), page);
        }
        Command::NextDisputed | Command::PrevDisputed => {
            if !state.diff.jump_change(command == Command::NextDisputed) {
                let text = state.labels().diff_no_changes;
                state.say(MessageKind::Info, text);
            }
        }
        Command::CycleDiffBase => {
            state.diff.base = state.diff.base.next(&state.diff.versions);
            state.diff.error = None;
        }
        // Enter on a line: that item on the unit's scorecard.
        Command::Open => {
            let unit = state.diff.unit;
            let leaf = state
                .diff
                .rows
                .get(state.diff.selected)
                .and_then(row_code)
                .and_then(|code| state.session.framework.find(&code))
                .and_then(|node| state.session.framework.node(node).leaf_index);
            if let Some(leaf) = leaf
                && unit < state.session.units.len()
            {
                state.show_item(unit, leaf);
            }
        }
        _ => return false,
    }
    true
}

/// The criterion code a diff line starts with ("1.1.2 Title: 2 — note").
pub fn row_code(row: &DiffRow) -> Option<String> {
    let text = row.text();
    text.split_whitespace().next().map(str::to_string)
}

/// The commands this screen's hint bar offers, most useful first (help first, so that it is
/// never cut off).
pub const HINTS: &[Command] = &[
    Command::Help,
    Command::CycleDiffBase,
    Command::NextDisputed,
    Command::Open,
    Command::Back,
    Command::Quit,
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::sample::sample_session;

    #[test]
    fn the_base_cycles_through_earlier_versions_only() {
        let one = [1];
        assert_eq!(DiffBase::SelfScores.next(&one), DiffBase::Proposals);
        assert_eq!(DiffBase::Proposals.next(&one), DiffBase::SelfScores);
        let three = [1, 2, 3];
        assert_eq!(DiffBase::Proposals.next(&three), DiffBase::Version(1));
        assert_eq!(DiffBase::Version(1).next(&three), DiffBase::Version(2));
        assert_eq!(DiffBase::Version(2).next(&three), DiffBase::SelfScores);
        assert_eq!(DiffBase::Proposals.next(&[]), DiffBase::SelfScores);
    }

    #[test]
    fn appraised_against_self_marks_the_changed_leaves() {
        let session = sample_session();
        let mut state = DiffState::open(0);
        let reasons = vec![String::new(), "Chỉ hoàn thành 90%".into()];
        let data = DiffData {
            versions: vec![1],
            content: DiffContent::Reasons(reasons),
        };
        assert!(state.accept(&session, 0, DiffBase::SelfScores, Ok(data), Numbers::Comma));
        // SNV: proposals cut 1.1.2 (2 → 1) and 2.1 (3 → 1,5).
        assert_eq!(state.changes.len(), 2);
        assert_eq!(state.changed_rows(), 2);
        let first = &state.rows[state.changes[0]];
        assert_eq!(first.tag, DiffTag::Removed);
        assert!(first.text().starts_with("1.1.2 "), "{}", first.text());
        let added = &state.rows[state.changes[0] + 1];
        assert_eq!(added.tag, DiffTag::Added);
        assert!(added.text().ends_with(": 1 — Chỉ hoàn thành 90%"));
        assert_eq!(state.selected, state.changes[0]);
        assert!(state.jump_change(true));
        assert_eq!(state.selected, state.changes[1]);
        assert!(state.jump_change(true));
        assert_eq!(state.selected, state.changes[0], "wraps around");
        assert!(state.jump_change(false));
        assert_eq!(state.selected, state.changes[1]);
        // A late answer for another base is ignored.
        let late = DiffData {
            versions: vec![1],
            content: DiffContent::Reasons(Vec::new()),
        };
        assert!(!state.accept(&session, 0, DiffBase::Proposals, Ok(late), Numbers::Comma));
    }

    #[test]
    fn versions_compare_scores_and_notes() {
        let session = sample_session();
        let mut state = DiffState::open(1);
        state.base = DiffBase::Version(1);
        let leaves = session.leaf_count();
        let old: Vec<(Option<Decimal>, String)> = (0..leaves)
            .map(|_| (Some(Decimal::ONE), "cũ".to_string()))
            .collect();
        let mut current = old.clone();
        current[2] = (Some(Decimal::TWO), "đã bổ sung".to_string());
        let data = DiffData {
            versions: vec![1, 2],
            content: DiffContent::Versions { old, current },
        };
        assert!(state.accept(&session, 1, DiffBase::Version(1), Ok(data), Numbers::Comma));
        assert_eq!(state.changes.len(), 1);
        assert_eq!(state.versions, vec![1, 2]);
        let added = &state.rows[state.changes[0] + 1];
        assert!(added.text().starts_with("1.2 "));
        assert!(
            added
                .segments
                .iter()
                .any(|(emphasised, text)| *emphasised && text.contains("bổ sung"))
        );
        assert_eq!(row_code(added).as_deref(), Some("1.2"));
    }
}
