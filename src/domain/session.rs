//! Units, items (unit × leaf) and the council's decisions.

use super::criteria::{CriterionDef, Framework, ScoreRangeError};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// An appraised unit: a department or a commune.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unit {
    pub code: String,
    pub name: String,
    /// Units are ranked within their group too; "" is a group of its own.
    pub group: String,
}

/// A reference to an evidence document (tài liệu kiểm chứng).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Evidence {
    /// Document number such as "376/KH-UBND".
    pub reference: String,
    pub title: String,
    pub location: String,
}

/// The lean, current state of one unit × leaf: everything the roll-ups, statuses and screens
/// need, without texts. Texts and history live in [`ItemDetail`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ItemState {
    /// None: the unit submitted no score for this leaf (counts 0, shown as missing).
    /// The score as the unit claimed it, even when it breaks the leaf's rule.
    pub self_score: Option<Decimal>,
    /// Some when the claimed self-score breaks the leaf's rule (above the maximum, below the
    /// minimum, off the step): the claim brought into range, which counts until the council
    /// decides. Set by [`Session::mark_invalid_claims`] / [`ItemState::check_claim`].
    pub clamped: Option<Decimal>,
    pub proposal: Option<Decimal>,
    /// The council decision currently in force.
    pub council: Option<Decimal>,
    /// A reviewer flagged the item as disputed.
    pub flagged: bool,
    pub evidence_count: u32,
    /// The unit's latest submission changed this item's score, note or evidence.
    pub changed_in_resubmission: bool,
    /// A decision in force was made on a self-score that has since changed.
    pub decision_stale: bool,
    /// Sequence number of the item's latest decision-log entry (0: none), so that a write made
    /// on stale data can be refused.
    pub log_seq: i64,
}

/// Where an item's appraised score comes from, in order of precedence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Source {
    Council,
    Proposal,
    #[serde(rename = "self")]
    SelfScore,
    /// No decision, no proposal and no self-score: counts 0.
    Missing,
    /// No decision and no proposal, and the self-score breaks the rule: the claim brought into
    /// range counts.
    Clamped,
}

impl Source {
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Council => "council",
            Source::Proposal => "proposal",
            Source::SelfScore => "self",
            Source::Missing => "missing",
            Source::Clamped => "clamped",
        }
    }
}

/// Where an item stands in the council's review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Pending,
    Disputed,
    /// The self-score breaks the leaf's rule and nothing is decided yet (không hợp lệ).
    Invalid,
    Agreed,
    Adjusted,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pending => "pending",
            Status::Disputed => "disputed",
            Status::Invalid => "invalid",
            Status::Agreed => "agreed",
            Status::Adjusted => "adjusted",
        }
    }
    pub fn is_decided(self) -> bool {
        matches!(self, Status::Agreed | Status::Adjusted)
    }
    /// Waiting for the council: disputed, or an invalid self-score (which counts as disputed).
    pub fn is_open(self) -> bool {
        matches!(self, Status::Disputed | Status::Invalid)
    }
}

impl ItemState {
    /// The self-score as it counts: a missing one is 0.
    pub fn self_points(&self) -> Decimal {
        self.self_score.unwrap_or(Decimal::ZERO)
    }

    /// The proposal if there is one, else the self-score.
    pub fn proposed_points(&self) -> Decimal {
        self.proposal.unwrap_or_else(|| self.self_points())
    }

    /// Council decision, else proposal, else the self-score (brought into range when it
    /// breaks the rule).
    pub fn appraised(&self) -> (Decimal, Source) {
        if let Some(c) = self.council {
            (c, Source::Council)
        } else if let Some(p) = self.proposal {
            (p, Source::Proposal)
        } else if let Some(c) = self.clamped {
            (c, Source::Clamped)
        } else if let Some(s) = self.self_score {
            (s, Source::SelfScore)
        } else {
            (Decimal::ZERO, Source::Missing)
        }
    }

    pub fn appraised_points(&self) -> Decimal {
        self.appraised().0
    }

    /// Appraised minus self.
    pub fn delta(&self) -> Decimal {
        self.appraised_points() - self.self_points()
    }

    /// Sets [`ItemState::clamped`] from the leaf's rule: Some when the claim breaks it.
    pub fn check_claim(&mut self, def: &CriterionDef) {
        self.clamped = self.self_score.and_then(|claim| def.claim_in_range(claim));
    }

    pub fn status(&self) -> Status {
        match self.council {
            Some(c) if c == self.self_points() => Status::Agreed,
            Some(_) => Status::Adjusted,
            None if self.clamped.is_some() => Status::Invalid,
            None if self.flagged || self.proposal.is_some_and(|p| p != self.self_points()) => {
                Status::Disputed
            }
            None => Status::Pending,
        }
    }
}

/// One entry of an item's append-only decision log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "lowercase")]
pub enum DecisionAction {
    /// The council sets the appraised score (accepting the self-score is a decision too).
    Decide { score: Decimal, reason: String },
    /// Withdraws the decision in force; the one before it (if any) is in force again.
    Undo,
    /// Restores the decision withdrawn by the latest undo.
    Redo,
    /// A reviewer flags the item as disputed, or clears the flag.
    Flag { on: bool },
}

impl DecisionAction {
    pub fn kind(&self) -> &'static str {
        match self {
            DecisionAction::Decide { .. } => "decide",
            DecisionAction::Undo => "undo",
            DecisionAction::Redo => "redo",
            DecisionAction::Flag { on: true } => "flag",
            DecisionAction::Flag { on: false } => "unflag",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecisionRecord {
    pub action: DecisionAction,
    pub by: String,
    /// The operating-system account that wrote the entry ("" in logs older than schema 3).
    #[serde(default)]
    pub login: String,
    /// RFC 3339 time of the entry.
    pub at: String,
}

/// The log folded: the decision in force (an index into the log) and whether a flag is set.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DecisionFold {
    pub in_force: Option<usize>,
    pub flagged: bool,
    /// Whether a redo has something to restore.
    pub can_redo: bool,
    /// The undo entry whose decision a redo would restore.
    pub redo_of: Option<usize>,
}

/// Replays an item's log in order.
pub fn fold_decisions(log: &[DecisionRecord]) -> DecisionFold {
    let mut in_force: Vec<usize> = Vec::new();
    // (the decision withdrawn, the undo that withdrew it)
    let mut undone: Vec<(usize, usize)> = Vec::new();
    let mut flagged = false;
    for (i, record) in log.iter().enumerate() {
        match &record.action {
            DecisionAction::Decide { .. } => {
                in_force.push(i);
                undone.clear();
            }
            DecisionAction::Undo => {
                if let Some(last) = in_force.pop() {
                    undone.push((last, i));
                }
            }
            DecisionAction::Redo => {
                if let Some((last, _)) = undone.pop() {
                    in_force.push(last);
                }
            }
            DecisionAction::Flag { on } => flagged = *on,
        }
    }
    DecisionFold {
        in_force: in_force.last().copied(),
        flagged,
        can_redo: !undone.is_empty(),
        redo_of: undone.last().map(|&(_, undo)| undo),
    }
}

/// Why an undo or a redo is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UndoRefusal {
    /// No decision to undo, or nothing to redo.
    Nothing,
    /// Another reviewer acted on the item since: their entry.
    Other(DecisionRecord),
}

/// Whether an entry was written by this reviewer: the same name, and the same account where
/// both are known.
fn written_by(record: &DecisionRecord, by: &str, login: &str) -> bool {
    record.by == by && (record.login.is_empty() || login.is_empty() || record.login == login)
}

/// An undo (or, with `redo`, a redo) by `by`/`login` is allowed only on their own decision,
/// while it is still the one in force (for a redo: while their undo is still the latest word
/// on the item). Otherwise the entry of whoever acted since.
pub fn check_own_undo(
    log: &[DecisionRecord],
    by: &str,
    login: &str,
    redo: bool,
) -> Result<(), UndoRefusal> {
    let fold = fold_decisions(log);
    let blocking = if redo {
        match fold.redo_of {
            Some(undo) => &log[undo],
            // Someone else's decision since this reviewer's last undo ended what it could redo.
            None => {
                let mine = log
                    .iter()
                    .rposition(|r| r.action == DecisionAction::Undo && written_by(r, by, login));
                let since = mine.and_then(|m| {
                    log[m..].iter().rev().find(|r| {
                        matches!(r.action, DecisionAction::Decide { .. })
                            && !written_by(r, by, login)
                    })
                });
                return Err(since.map_or(UndoRefusal::Nothing, |r| UndoRefusal::Other(r.clone())));
            }
        }
    } else {
        match fold.in_force {
            Some(i) => &log[i],
            None => return Err(UndoRefusal::Nothing),
        }
    };
    if written_by(blocking, by, login) {
        Ok(())
    } else {
        Err(UndoRefusal::Other(blocking.clone()))
    }
}

/// The score and reason of the decision in force, if any.
pub fn decision_in_force(log: &[DecisionRecord]) -> Option<(&Decimal, &str, &DecisionRecord)> {
    let i = fold_decisions(log).in_force?;
    match &log[i].action {
        DecisionAction::Decide { score, reason } => Some((score, reason.as_str(), &log[i])),
        _ => None,
    }
}

/// Why a decision cannot be recorded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecisionError {
    OutOfRange(#[from] ScoreRangeError),
    ReasonRequired { score: Decimal, self_score: Decimal },
    NotALeaf(String),
    SurveyItem(String),
}

/// Checks a proposed council decision against the leaf and the self-score.
pub fn check_decision(
    def: &CriterionDef,
    self_score: Option<Decimal>,
    score: Decimal,
    reason: &str,
) -> Result<(), DecisionError> {
    def.check_score(score)?;
    let self_points = self_score.unwrap_or(Decimal::ZERO);
    if score != self_points && reason.trim().is_empty() {
        return Err(DecisionError::ReasonRequired {
            score,
            self_score: self_points,
        });
    }
    Ok(())
}

/// Texts and history of one item, loaded on demand.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ItemDetail {
    pub note: String,
    pub evidence: Vec<Evidence>,
    pub proposal_note: String,
    /// Self-score versions, oldest first: (version, score, note).
    pub submissions: Vec<SubmissionVersion>,
    pub log: Vec<DecisionRecord>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubmissionVersion {
    pub version: u32,
    pub score: Option<Decimal>,
    pub note: String,
    pub evidence: Vec<Evidence>,
    pub imported_at: String,
}

/// The whole session in memory: framework, units and the lean state of every item,
/// laid out unit-major (`unit_index * leaf_count + leaf_index`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub framework: Framework,
    pub units: Vec<Unit>,
    pub items: Vec<ItemState>,
}

impl Session {
    pub fn new(framework: Framework, units: Vec<Unit>) -> Session {
        let items = vec![ItemState::default(); units.len() * framework.leaves().len()];
        Session {
            framework,
            units,
            items,
        }
    }
    pub fn leaf_count(&self) -> usize {
        self.framework.leaves().len()
    }
    pub fn item_index(&self, unit: usize, leaf: usize) -> usize {
        unit * self.leaf_count() + leaf
    }
    pub fn item(&self, unit: usize, leaf: usize) -> &ItemState {
        &self.items[self.item_index(unit, leaf)]
    }
    pub fn item_mut(&mut self, unit: usize, leaf: usize) -> &mut ItemState {
        let i = self.item_index(unit, leaf);
        &mut self.items[i]
    }
    /// All items of one unit, in leaf order.
    pub fn unit_items(&self, unit: usize) -> &[ItemState] {
        let n = self.leaf_count();
        &self.items[unit * n..(unit + 1) * n]
    }
    /// Marks every item whose claimed self-score breaks its leaf's rule (see
    /// [`ItemState::clamped`]); called once the self-scores are in place.
    pub fn mark_invalid_claims(&mut self) {
        let leaves = self.leaf_count();
        if leaves == 0 {
            return;
        }
        let framework = &self.framework;
        for (i, item) in self.items.iter_mut().enumerate() {
            item.check_claim(&framework.leaf(i % leaves).def);
        }
    }
    pub fn unit_index(&self, code: &str) -> Option<usize> {
        let code = code.trim();
        self.units.iter().position(|u| u.code == code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(text: &str) -> Decimal {
        Decimal::from_str(text).unwrap()
    }

    fn record(action: DecisionAction) -> DecisionRecord {
        DecisionRecord {
            login: String::new(),
            action,
            by: "tester".into(),
            at: "2026-11-23T09:00:00+07:00".into(),
        }
    }

    #[test]
    fn status_and_source_follow_the_rules() {
        let mut item = ItemState {
            self_score: Some(d("1")),
            ..Default::default()
        };
        assert_eq!(item.status(), Status::Pending);
        assert_eq!(item.appraised(), (d("1"), Source::SelfScore));
        item.proposal = Some(d("0.5"));
        assert_eq!(item.status(), Status::Disputed);
        assert_eq!(item.appraised(), (d("0.5"), Source::Proposal));
        assert_eq!(item.delta(), d("-0.5"));
        item.council = Some(d("1"));
        assert_eq!(item.status(), Status::Agreed);
        item.council = Some(d("0.75"));
        assert_eq!(item.status(), Status::Adjusted);
        assert_eq!(item.appraised().1, Source::Council);

        let missing = ItemState::default();
        assert_eq!(missing.appraised(), (Decimal::ZERO, Source::Missing));
        let flagged = ItemState {
            self_score: Some(d("1")),
            flagged: true,
            ..Default::default()
        };
        assert_eq!(flagged.status(), Status::Disputed);
        let same = ItemState {
            self_score: Some(d("1")),
            proposal: Some(d("1")),
            ..Default::default()
        };
        assert_eq!(same.status(), Status::Pending);
    }

    #[test]
    fn undo_and_redo_are_yours_alone() {
        let by = |who: &str, action: DecisionAction| DecisionRecord {
            by: who.into(),
            login: "root".into(),
            ..record(action)
        };
        let decide = |who: &str| {
            by(
                who,
                DecisionAction::Decide {
                    score: d("1"),
                    reason: String::new(),
                },
            )
        };
        // An decided, then Bình: An's undo would restore An's decision over Bình's.
        let log = vec![decide("An"), decide("Bình")];
        assert_eq!(check_own_undo(&log, "Bình", "root", false), Ok(()));
        match check_own_undo(&log, "An", "root", false) {
            Err(UndoRefusal::Other(r)) => assert_eq!(r.by, "Bình"),
            other => panic!("{other:?}"),
        }
        // Bình undoes: An's decision is in force again, and An may undo it.
        let mut log = log;
        log.push(by("Bình", DecisionAction::Undo));
        assert_eq!(check_own_undo(&log, "An", "root", false), Ok(()));
        // Only Bình may redo Bình's undo.
        assert_eq!(check_own_undo(&log, "Bình", "root", true), Ok(()));
        assert!(matches!(
            check_own_undo(&log, "An", "root", true),
            Err(UndoRefusal::Other(r)) if r.by == "Bình"
        ));
        // An decides after Bình's undo: Bình's redo is refused naming An.
        log.push(decide("An"));
        assert!(matches!(
            check_own_undo(&log, "Bình", "root", true),
            Err(UndoRefusal::Other(r)) if r.by == "An"
        ));
        assert_eq!(
            check_own_undo(&[], "An", "root", false),
            Err(UndoRefusal::Nothing)
        );
        assert_eq!(
            check_own_undo(&log, "An", "root", true),
            Err(UndoRefusal::Nothing)
        );
        // The same name under another account is someone else.
        assert!(check_own_undo(&log, "An", "nva", false).is_err());
    }

    #[test]
    fn an_invalid_claim_counts_as_disputed_until_decided() {
        let def = super::super::criteria::tests::def("1.1", "4");
        let mut item = ItemState {
            self_score: Some(d("5")),
            ..Default::default()
        };
        item.check_claim(&def);
        assert_eq!(item.clamped, Some(d("4")));
        assert_eq!(item.status(), Status::Invalid);
        assert!(item.status().is_open());
        assert_eq!(item.appraised(), (d("4"), Source::Clamped));
        // The self total keeps the claim.
        assert_eq!(item.self_points(), d("5"));
        assert_eq!(item.delta(), d("-1"));
        // A proposal counts before the clamped claim; the item is still invalid.
        item.proposal = Some(d("3"));
        assert_eq!(item.appraised(), (d("3"), Source::Proposal));
        assert_eq!(item.status(), Status::Invalid);
        item.council = Some(d("3.5"));
        assert_eq!(item.status(), Status::Adjusted);
        assert_eq!(item.appraised(), (d("3.5"), Source::Council));
    }

    #[test]
    fn undo_and_redo_fold_over_the_log() {
        let decide = |s: &str| {
            record(DecisionAction::Decide {
                score: d(s),
                reason: "lý do".into(),
            })
        };
        let log = vec![decide("1"), decide("0.5"), record(DecisionAction::Undo)];
        assert_eq!(decision_in_force(&log).map(|(s, ..)| *s), Some(d("1")));
        let mut log2 = log.clone();
        log2.push(record(DecisionAction::Redo));
        assert_eq!(decision_in_force(&log2).map(|(s, ..)| *s), Some(d("0.5")));
        let mut log3 = log.clone();
        log3.push(record(DecisionAction::Undo));
        assert_eq!(decision_in_force(&log3), None);
        assert!(fold_decisions(&log3).can_redo);
        log3.push(decide("0.25"));
        assert!(!fold_decisions(&log3).can_redo);
        log3.push(record(DecisionAction::Flag { on: true }));
        assert!(fold_decisions(&log3).flagged);
    }

    #[test]
    fn a_changed_score_needs_a_reason() {
        let def = super::super::criteria::tests::def("1", "2");
        assert!(check_decision(&def, Some(d("2")), d("2"), "").is_ok());
        assert!(matches!(
            check_decision(&def, Some(d("2")), d("1"), " "),
            Err(DecisionError::ReasonRequired { .. })
        ));
        assert!(check_decision(&def, Some(d("2")), d("1"), "thiếu tài liệu").is_ok());
        assert!(matches!(
            check_decision(&def, None, d("3"), "x"),
            Err(DecisionError::OutOfRange(_))
        ));
        assert!(matches!(
            check_decision(&def, None, d("1"), ""),
            Err(DecisionError::ReasonRequired { .. })
        ));
    }
}

/// The texts that go with an item's current state in the results export.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemTexts {
    /// Reason of the decision in force; else the working group's note when the proposal is what
    /// counts; else "".
    pub reason: String,
    pub decided_by: String,
    /// The operating-system account that recorded the decision ("" before schema 3).
    #[serde(default)]
    pub decided_login: String,
    pub decided_at: String,
    /// Evidence references of the current submission, in file order.
    pub evidence_refs: Vec<String>,
}
