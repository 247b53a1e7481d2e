//! An item's complete history as one timeline: the unit's submission versions (what changed
//! between them), the working group's proposal, flags, decisions, undos and redos — each with
//! who, when and why. Newest first: the latest is what the council needs.

use crate::domain::session::{SubmissionVersion, fold_decisions};
use crate::domain::{DecisionAction, ItemDetail, ItemState};
use crate::messages::screen::Labels;
use rust_decimal::Decimal;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventKind {
    Submission,
    Proposal,
    Decide,
    Undo,
    Redo,
    Flag,
    Unflag,
}

/// One line of the timeline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimelineEntry {
    /// RFC 3339, or "" where the store keeps no time (the proposal in an item's detail).
    pub at: String,
    pub who: String,
    pub kind: EventKind,
    /// What happened, in words ("v2 tự chấm 1,5 ← 2 · sửa: điểm, ghi chú").
    pub what: String,
    /// The note or reason, on one line.
    pub why: String,
    /// The decision currently in force.
    pub in_force: bool,
}

impl TimelineEntry {
    /// "2026-11-23 09:00" in local time, or "" without a time.
    pub fn when(&self) -> String {
        self.when_in(crate::domain::time::Zone::Local)
    }

    /// [`when`](Self::when) in a given zone.
    pub fn when_in(&self, zone: crate::domain::time::Zone) -> String {
        zone.date_time(&self.at)
    }
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn score_text(score: Option<Decimal>, labels: &Labels) -> String {
    score
        .map(|points| labels.numbers().points(points))
        .unwrap_or_else(|| labels.none.to_string())
}

/// The whole history of one item, newest first.
pub fn timeline(
    detail: &ItemDetail,
    item: &ItemState,
    unit_code: &str,
    labels: &Labels,
) -> Vec<TimelineEntry> {
    let mut entries = submission_entries(detail, unit_code, labels);
    entries.extend(proposal_entry(detail, item, labels));
    entries.extend(log_entries(detail, labels));
    // Stable: at equal times, submissions come before the proposal and decisions.
    entries.sort_by(|a, b| crate::domain::time::order(&a.at, &b.at));
    entries.reverse();
    entries
}

/// "v2 tự chấm 1,5 ← 2 · đã sửa: điểm, ghi chú": a submission version and what changed
/// since the one before.
fn submission_what(
    version: &SubmissionVersion,
    before: Option<&SubmissionVersion>,
    labels: &Labels,
) -> String {
    let mut what = format!(
        "v{} {} {}",
        version.version,
        labels.col_self.to_lowercase(),
        score_text(version.score, labels)
    );
    let Some(before) = before else {
        return what;
    };
    if before.score != version.score {
        what.push_str(&format!(" ← {}", score_text(before.score, labels)));
    }
    let mut changed = Vec::new();
    if before.score != version.score {
        changed.push(labels.history_score);
    }
    if before.note.trim() != version.note.trim() {
        changed.push(labels.history_note);
    }
    if before.evidence != version.evidence {
        changed.push(labels.history_evidence);
    }
    if changed.is_empty() {
        what.push_str(&format!(" · {}", labels.history_unchanged));
    } else {
        what.push_str(&format!(
            " · {}: {}",
            labels.history_changed,
            changed.join(", ")
        ));
    }
    what
}

/// The unit's submission versions, oldest first.
fn submission_entries(detail: &ItemDetail, unit_code: &str, labels: &Labels) -> Vec<TimelineEntry> {
    let mut previous: Option<&SubmissionVersion> = None;
    let mut entries = Vec::new();
    for version in &detail.submissions {
        entries.push(TimelineEntry {
            at: version.imported_at.clone(),
            who: unit_code.to_string(),
            kind: EventKind::Submission,
            what: submission_what(version, previous, labels),
            why: one_line(&version.note),
            in_force: false,
        });
        previous = Some(version);
    }
    entries
}

/// The working group's proposal, if there is one.
fn proposal_entry(detail: &ItemDetail, item: &ItemState, labels: &Labels) -> Option<TimelineEntry> {
    if item.proposal.is_none() && detail.proposal_note.trim().is_empty() {
        return None;
    }
    Some(TimelineEntry {
        // The item's detail keeps no proposal time; it came with the first submission's
        // import or after it, so it sorts right after that one.
        at: detail
            .submissions
            .first()
            .map(|s| s.imported_at.clone())
            .unwrap_or_default(),
        who: labels.history_working_group.to_string(),
        kind: EventKind::Proposal,
        what: format!(
            "{} {}",
            labels.history_proposed,
            score_text(item.proposal, labels)
        ),
        why: one_line(&detail.proposal_note),
        in_force: false,
    })
}

/// The decision log: decisions, undos, redos, flags; ✓ on the decision in force.
fn log_entries(detail: &ItemDetail, labels: &Labels) -> Vec<TimelineEntry> {
    let in_force = fold_decisions(&detail.log).in_force;
    let entries = detail.log.iter().enumerate().map(|(i, record)| {
        let (kind, what, why) = match &record.action {
            DecisionAction::Decide { score, reason } => (
                EventKind::Decide,
                format!(
                    "{} {}",
                    labels.history_decided,
                    labels.numbers().points(*score)
                ),
                one_line(reason),
            ),
            DecisionAction::Undo => (
                EventKind::Undo,
                labels.history_undo.to_string(),
                String::new(),
            ),
            DecisionAction::Redo => (
                EventKind::Redo,
                labels.history_redo.to_string(),
                String::new(),
            ),
            DecisionAction::Flag { on: true } => (
                EventKind::Flag,
                labels.history_flag.to_string(),
                String::new(),
            ),
            DecisionAction::Flag { on: false } => (
                EventKind::Unflag,
                labels.history_unflag.to_string(),
                String::new(),
            ),
        };
        // The account beside the name, where it says something the name does not.
        let who = if record.login.is_empty() || record.login == record.by {
            record.by.clone()
        } else {
            format!("{} ({})", record.by, record.login)
        };
        TimelineEntry {
            at: record.at.clone(),
            who,
            kind,
            what,
            why,
            in_force: in_force == Some(i),
        }
    });
    entries.collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::session::SubmissionVersion;
    use crate::domain::{DecisionRecord, Evidence};
    use crate::messages::screen::VI;

    fn d(n: i64, scale: u32) -> Decimal {
        Decimal::new(n, scale)
    }

    #[test]
    fn the_timeline_tells_the_whole_story_newest_first() {
        let evidence = Evidence {
            reference: "376/KH-UBND".into(),
            title: String::new(),
            location: String::new(),
        };
        let detail = ItemDetail {
            note: "bổ sung".into(),
            evidence: vec![evidence.clone()],
            proposal_note: "Thiếu\nbáo cáo".into(),
            submissions: vec![
                SubmissionVersion {
                    version: 1,
                    score: Some(d(2, 0)),
                    note: "đủ".into(),
                    evidence: Vec::new(),
                    imported_at: "2026-11-20T08:00:00+07:00".into(),
                },
                SubmissionVersion {
                    version: 2,
                    score: Some(d(15, 1)),
                    note: "bổ sung".into(),
                    evidence: vec![evidence],
                    imported_at: "2026-11-23T10:00:00+07:00".into(),
                },
            ],
            log: vec![
                DecisionRecord {
                    login: String::new(),
                    action: DecisionAction::Decide {
                        score: d(1, 0),
                        reason: "thiếu".into(),
                    },
                    by: "lan".into(),
                    at: "2026-11-23T09:00:00+07:00".into(),
                },
                DecisionRecord {
                    login: String::new(),
                    action: DecisionAction::Undo,
                    by: "lan".into(),
                    at: "2026-11-23T09:01:00+07:00".into(),
                },
                DecisionRecord {
                    login: String::new(),
                    action: DecisionAction::Redo,
                    by: "minh".into(),
                    at: "2026-11-23T09:02:00+07:00".into(),
                },
            ],
        };
        let item = ItemState {
            self_score: Some(d(15, 1)),
            proposal: Some(d(1, 0)),
            council: Some(d(1, 0)),
            decision_stale: true,
            ..Default::default()
        };
        let entries = timeline(&detail, &item, "SNV", &VI);
        let kinds: Vec<EventKind> = entries.iter().map(|e| e.kind).collect();
        assert_eq!(
            kinds,
            vec![
                EventKind::Submission,
                EventKind::Redo,
                EventKind::Undo,
                EventKind::Decide,
                EventKind::Proposal,
                EventKind::Submission,
            ]
        );
        let v2 = &entries[0];
        assert_eq!(v2.who, "SNV");
        assert_eq!(
            v2.what,
            "v2 tự chấm 1,5 ← 2 · đã sửa: điểm, ghi chú, tài liệu"
        );
        let hanoi = chrono::FixedOffset::east_opt(7 * 3600).unwrap();
        assert_eq!(
            v2.when_in(crate::domain::time::Zone::Fixed(hanoi)),
            "2026-11-23 10:00"
        );
        // Stored in UTC (03:00Z), shown in the zone of the screen.
        assert_eq!(
            v2.when_in(crate::domain::time::Zone::Fixed(
                chrono::FixedOffset::east_opt(0).unwrap()
            )),
            "2026-11-23 03:00"
        );
        let decide = &entries[3];
        assert!(decide.in_force, "the redo restored it");
        assert_eq!(decide.who, "lan");
        assert_eq!(decide.why, "thiếu");
        assert_eq!(entries[4].why, "Thiếu báo cáo");
        assert_eq!(entries[4].what, "đề xuất 1");
        assert!(!entries.iter().skip(4).any(|e| e.in_force));
        // In English the numbers are written with the dot, as everything else the run says.
        let english = timeline(&detail, &item, "SNV", &crate::messages::screen::EN);
        assert_eq!(
            english[0].what,
            "v2 self 1.5 ← 2 · changed: score, note, evidence"
        );
    }
}
