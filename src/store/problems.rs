//! What the store reports as structured values: what `verify` finds wrong, the log entries it
//! names, and the session's own entries in the history. The catalogue (messages/store.rs)
//! says them in words.

use crate::domain::members::Role;

/// A log entry as a problem names it: "entry 3 (import by Thư ký at …)".
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EntryRef {
    pub seq: i64,
    /// "" for a session-wide entry.
    pub unit: String,
    pub criterion: String,
    /// The entry's kind as stored: decide, undo, import, configure, member, finalise, …
    pub action: String,
    pub by: String,
    /// As stored (UTC); shown in local time.
    pub at: String,
}

/// One thing `verify` found that does not hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VerifyProblem {
    /// Entries `from` to `to` are missing: deleted.
    Missing {
        from: i64,
        to: i64,
    },
    OutOfOrder(i64),
    /// The entry does not link to the one before it.
    Unlinked {
        seq: i64,
        unit: String,
        criterion: String,
    },
    Altered(EntryRef),
    /// More altered entries than are listed.
    MoreAltered(usize),
    UnknownKind {
        seq: i64,
        kind: String,
    },
    Unreadable(EntryRef),
    /// The session no longer records its last entry (the log has `last`).
    HeadForgotten {
        last: usize,
    },
    /// The session recorded `recorded` entries, the log ends at `last`.
    HeadCount {
        last: usize,
        recorded: String,
    },
    /// The last entry is not the one the session recorded.
    HeadReplaced {
        last: usize,
    },
    DecisionDiffers {
        unit: String,
        criterion: String,
        difference: DecisionDifference,
    },
    /// More lines of the kind just listed than are listed.
    MoreLikeIt(usize),
    /// Criteria, units and scores that no import entry recorded.
    ContentOutsideLog,
    ContentDiffers {
        difference: ContentDifference,
        entry: EntryRef,
    },
    SettingDiffers {
        key: String,
        here: Option<String>,
        logged: Option<String>,
    },
    MemberDiffers(String),
    FinalisedOutside,
    Unfinalised(EntryRef),
    FinalisationDiffers(EntryRef),
    LockRemoved {
        tables: Vec<String>,
        entry: EntryRef,
    },
    AddedAfterFinalise {
        first: i64,
        entry: EntryRef,
    },
}

/// How an item's current decision disagrees with its log entries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecisionDifference {
    Fields(Vec<StateField>),
    /// The item's row is gone; the log's score (None: no decision in force).
    RowMissing {
        logged: Option<String>,
    },
    NotInLog,
}

/// A field of a current-decision row that disagrees with the log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StateField {
    /// The scores as stored (a tampered value may not be a number).
    Score {
        here: Option<String>,
        logged: Option<String>,
    },
    Reason,
    Who,
    Time,
    Basis,
    Flag,
    LatestEntry,
}

/// What of the session's content differs from what an import (or the finalisation) recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ContentDifference {
    CriterionChanged(String),
    CriterionRemoved(String),
    CriterionAdded(String),
    UnitRemoved(String),
    UnitAdded(String),
    /// A part of a unit's rows changed.
    Unit {
        unit: String,
        part: UnitPart,
    },
    /// Something the per-code digests do not show.
    Total,
}

/// The parts of a unit's rows, each with a digest of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnitPart {
    /// Its name, group or current submission version.
    Identity,
    /// Its submission versions, self-scores, notes or evidence.
    Submissions,
    Proposals,
    Survey,
}

/// A session-wide entry of the history: what the import, setting, member change or
/// finalisation did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SessionEntry {
    /// The content found when an older session was upgraded to schema 3.
    Migration,
    /// An import's counts, (new, changed) for criteria, units, submissions, proposals, survey.
    Import([(u64, u64); 5]),
    /// Settings set (Some) or removed (None).
    Configure(Vec<(String, Option<String>)>),
    MemberAdded {
        login: String,
        name: String,
        role: Option<Role>,
    },
    MemberRemoved(String),
    /// The entry's reason, and how many items were still disputed (the finalisation).
    Reason {
        reason: String,
        open: u64,
    },
}
