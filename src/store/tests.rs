use super::*;
use crate::domain::account::{Account, Host};
use crate::domain::criteria::tests::def;
use crate::domain::import::{ImportBatch, ProposalRow, SelfScoreRow};
use crate::domain::{DecisionAction, Evidence, Framework, Source, Status, Unit};
use rust_decimal::Decimal;
use std::str::FromStr;

/// The tests' own account, ids and clock: the store reads none of them from the system.
pub(super) fn host() -> Host {
    fn new_id() -> String {
        static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
        let next = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        format!("{next:032x}")
    }
    Host {
        account: Account {
            login: "thuky".into(),
            uid: Some(4242),
        },
        new_id,
        now: crate::domain::time::now_stamp,
    }
}

fn d(text: &str) -> Decimal {
    Decimal::from_str(text).unwrap()
}

fn row(code: &str, score: &str, note: &str, evidence: &[&str]) -> SelfScoreRow {
    SelfScoreRow {
        criterion_code: code.into(),
        in_self_scores: true,
        score: Some(d(score)),
        note: note.into(),
        evidence: (!evidence.is_empty()).then(|| {
            evidence
                .iter()
                .map(|r| Evidence {
                    reference: (*r).into(),
                    title: "Kế hoạch".into(),
                    location: String::new(),
                })
                .collect()
        }),
    }
}

fn batch() -> ImportBatch {
    let mut half = def("1.2", "4");
    half.step = Some(d("0.5"));
    let framework = Framework::build(vec![
        def("1", "10"),
        def("1.1", "6"),
        half,
        def("2", "5"),
        def("2.1", "5"),
    ])
    .unwrap();
    ImportBatch {
        framework: Some(framework),
        units: vec![
            Unit {
                code: "SNV".into(),
                name: "Sở Nội vụ".into(),
                group: "Sở".into(),
            },
            Unit {
                code: "XBH".into(),
                name: "Xã Bảo Hà".into(),
                group: "Xã".into(),
            },
        ],
        submissions: vec![
            (
                "SNV".into(),
                vec![
                    row("1.1", "6", "đủ", &["376/KH-UBND"]),
                    row("1.2", "4", "", &[]),
                    row("2.1", "5", "", &[]),
                ],
            ),
            (
                "XBH".into(),
                vec![
                    row("1.1", "5", "", &["1/KH", "2/QĐ"]),
                    row("1.2", "3.5", "", &[]),
                ],
            ),
        ],
        proposals: vec![ProposalRow {
            unit_code: "SNV".into(),
            criterion_code: "1.2".into(),
            score: d("3"),
            note: "muộn".into(),
        }],
        survey: vec![],
    }
}

pub(super) fn imported() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("council.db"), host()).unwrap();
    store
        .apply_import(&batch(), "2026-11-23T08:00:00+07:00")
        .unwrap();
    (dir, store)
}

#[test]
fn import_round_trips_into_the_session() {
    let (_dir, store) = imported();
    let session = store.load_session().unwrap().unwrap();
    assert_eq!(session.units.len(), 2);
    assert_eq!(session.framework.maximum(), d("15"));
    let snv_12 = session.item(0, 1);
    assert_eq!(snv_12.self_score, Some(d("4")));
    assert_eq!(snv_12.proposal, Some(d("3")));
    assert_eq!(snv_12.status(), Status::Disputed);
    assert_eq!(session.item(1, 0).evidence_count, 2);
    // XBH has no 2.1 row: missing.
    assert_eq!(session.item(1, 2).appraised().1, Source::Missing);
    let detail = store.item_detail("SNV", "1.1").unwrap();
    assert_eq!(detail.note, "đủ");
    assert_eq!(detail.evidence[0].reference, "376/KH-UBND");
    assert_eq!(
        store.item_detail("SNV", "1.2").unwrap().proposal_note,
        "muộn"
    );
    let texts = store.load_item_texts(&session).unwrap();
    assert_eq!(texts[1].reason, "muộn");
    assert_eq!(texts[3].evidence_refs, vec!["1/KH", "2/QĐ"]);
    let user_version: i64 = store
        .connection()
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(user_version, SCHEMA_VERSION);
    // Points are stored as exact text.
    let stored: String = store
        .connection()
        .query_row(
            "SELECT max_points FROM criteria WHERE code = '1.2'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(stored, "4");
}

#[test]
fn importing_the_same_batch_again_changes_nothing() {
    let (_dir, mut store) = imported();
    let plan = store.plan_import(&batch()).unwrap();
    assert_eq!(
        plan.submissions,
        Counts {
            new: 0,
            changed: 0,
            unchanged: 2
        }
    );
    assert_eq!(plan.proposals.unchanged, 1);
    store
        .apply_import(&batch(), "2026-11-23T09:00:00+07:00")
        .unwrap();
    let versions: i64 = store
        .connection()
        .query_row("SELECT count(*) FROM submissions", [], |r| r.get(0))
        .unwrap();
    assert_eq!(versions, 2);
}

#[test]
fn a_resubmission_is_a_new_version_and_keeps_the_old() {
    let (_dir, mut store) = imported();
    let mut again = batch();
    again.framework = None;
    again.units.clear();
    again.proposals.clear();
    again.submissions = vec![(
        "SNV".into(),
        vec![row("1.2", "3.5", "bổ sung tài liệu", &["9/BC"])],
    )];
    let plan = store.plan_import(&again).unwrap();
    assert_eq!(plan.submissions.changed, 1);
    store
        .apply_import(&again, "2026-11-24T08:00:00+07:00")
        .unwrap();
    let session = store.load_session().unwrap().unwrap();
    assert_eq!(session.item(0, 1).self_score, Some(d("3.5")));
    assert!(session.item(0, 1).changed_in_resubmission);
    // Items not in the file carry forward, unchanged.
    assert_eq!(session.item(0, 0).self_score, Some(d("6")));
    assert!(!session.item(0, 0).changed_in_resubmission);
    assert_eq!(session.item(0, 0).evidence_count, 1);
    let detail = store.item_detail("SNV", "1.2").unwrap();
    assert_eq!(detail.submissions.len(), 2);
    assert_eq!(detail.submissions[0].score, Some(d("4")));
    assert_eq!(detail.submissions[1].note, "bổ sung tài liệu");
}

#[test]
fn decisions_append_undo_and_redo() {
    let (_dir, mut store) = imported();
    let at = "2026-11-23T10:00:00+07:00";
    let decide = |score: &str, reason: &str| DecisionAction::Decide {
        score: d(score),
        reason: reason.into(),
    };
    let state = store
        .record(
            "SNV",
            "1.2",
            &decide("3.5", "thiếu kế hoạch"),
            "an",
            at,
            Some(0),
        )
        .unwrap();
    assert_eq!(state.council, Some(d("3.5")));
    assert_eq!(state.status(), Status::Adjusted);
    let state = store
        .record(
            "SNV",
            "1.2",
            &decide("4", ""),
            "bình",
            at,
            Some(state.log_seq),
        )
        .unwrap();
    assert_eq!(state.status(), Status::Agreed);
    // An's undo would put An's decision back over Bình's: refused, naming Bình.
    match store.record("SNV", "1.2", &DecisionAction::Undo, "an", at, None) {
        Err(StoreError::NotYours {
            by, redo: false, ..
        }) => assert_eq!(by, "bình"),
        other => panic!("expected a refusal naming bình, got {other:?}"),
    }
    let state = store
        .record("SNV", "1.2", &DecisionAction::Undo, "bình", at, None)
        .unwrap();
    assert_eq!(state.council, Some(d("3.5")));
    // Only Bình redoes Bình's undo.
    assert!(matches!(
        store.record("SNV", "1.2", &DecisionAction::Redo, "an", at, None),
        Err(StoreError::NotYours { redo: true, .. })
    ));
    let state = store
        .record("SNV", "1.2", &DecisionAction::Redo, "bình", at, None)
        .unwrap();
    assert_eq!(state.council, Some(d("4")));
    store
        .record("SNV", "1.2", &DecisionAction::Undo, "bình", at, None)
        .unwrap();
    let state = store
        .record("SNV", "1.2", &DecisionAction::Undo, "an", at, None)
        .unwrap();
    assert_eq!(state.council, None);
    assert!(matches!(
        store.record("SNV", "1.2", &DecisionAction::Undo, "an", at, None),
        Err(StoreError::Rejected(_))
    ));
    let detail = store.item_detail("SNV", "1.2").unwrap();
    assert_eq!(detail.log.len(), 6, "refusals write nothing");
    assert!(store.verify().unwrap().is_intact());
    // Nothing is ever deleted, and the log refuses edits from outside.
    let update = store
        .connection()
        .execute("UPDATE decision_log SET score = '0'", []);
    assert!(update.is_err());
    assert!(
        store
            .connection()
            .execute("DELETE FROM decision_log", [])
            .is_err()
    );
}

#[test]
fn invalid_and_stale_decisions_are_refused() {
    let (_dir, mut store) = imported();
    let at = "2026-11-23T10:00:00+07:00";
    let off_step = DecisionAction::Decide {
        score: d("3.25"),
        reason: "x".into(),
    };
    assert!(
        matches!(store.record("SNV", "1.2", &off_step, "an", at, None), Err(StoreError::Rejected(m)) if m.to_string().contains("step"))
    );
    let no_reason = DecisionAction::Decide {
        score: d("3"),
        reason: " ".into(),
    };
    assert!(
        matches!(store.record("SNV", "1.2", &no_reason, "an", at, None), Err(StoreError::Rejected(m)) if m.to_string().contains("reason"))
    );
    assert!(matches!(
        store.record("SNV", "1", &no_reason, "an", at, None),
        Err(StoreError::UnknownCriterion(_))
    ));
    assert!(matches!(
        store.record("ZZZ", "1.2", &no_reason, "an", at, None),
        Err(StoreError::UnknownUnit(_))
    ));
    let ok = DecisionAction::Decide {
        score: d("3"),
        reason: "muộn".into(),
    };
    store.record("SNV", "1.2", &ok, "an", at, Some(0)).unwrap();
    // A second reviewer who still saw no decision is refused, with who decided.
    match store.record("SNV", "1.2", &ok, "bình", at, Some(0)) {
        Err(StoreError::Stale { by, latest_seq, .. }) => {
            assert_eq!(by, "an");
            // Entry 1 of the session's log is the import.
            assert_eq!(latest_seq, 2);
        }
        other => panic!("expected a stale refusal, got {other:?}"),
    }
}

#[test]
fn a_decision_on_a_moved_self_score_is_flagged_stale() {
    let (_dir, mut store) = imported();
    let at = "2026-11-23T10:00:00+07:00";
    store
        .record(
            "SNV",
            "1.1",
            &DecisionAction::Decide {
                score: d("6"),
                reason: String::new(),
            },
            "an",
            at,
            None,
        )
        .unwrap();
    let mut again = batch();
    again.framework = None;
    again.submissions = vec![("SNV".into(), vec![row("1.1", "5", "", &["376/KH-UBND"])])];
    store.apply_import(&again, at).unwrap();
    let session = store.load_session().unwrap().unwrap();
    assert!(session.item(0, 0).decision_stale);
    assert_eq!(session.item(0, 0).status(), Status::Adjusted);
    assert!(!session.item(0, 1).decision_stale);
}

#[test]
fn a_different_framework_is_refused_and_nothing_written() {
    let (dir, mut store) = imported();
    let mut other = batch();
    other.framework = Some(Framework::build(vec![def("1", "10"), def("1.1", "10")]).unwrap());
    assert!(matches!(
        store.apply_import(&other, "x"),
        Err(StoreError::Rejected(_))
    ));
    drop(store);
    let store = Store::open_existing(&dir.path().join("council.db"), host()).unwrap();
    let session = store.load_session().unwrap().unwrap();
    assert_eq!(session.leaf_count(), 3);
}

#[test]
fn foreign_files_are_not_sessions() {
    let dir = tempfile::tempdir().unwrap();
    let text = dir.path().join("notes.db");
    std::fs::write(
        &text,
        b"this is not a database at all, just some text that is long enough",
    )
    .unwrap();
    assert!(matches!(
        Store::open(&text, host()),
        Err(StoreError::NotASession { .. })
    ));
    let other = dir.path().join("other.db");
    rusqlite::Connection::open(&other)
        .unwrap()
        .execute_batch("CREATE TABLE t (x)")
        .unwrap();
    assert!(matches!(
        Store::open(&other, host()),
        Err(StoreError::NotASession { .. })
    ));
    assert!(matches!(
        Store::open_existing(&dir.path().join("none.db"), host()),
        Err(StoreError::Missing { .. })
    ));
    let empty = Store::open(&dir.path().join("new.db"), host()).unwrap();
    assert!(empty.load_session().unwrap().is_none());
}

#[test]
fn a_units_reasons_are_the_export_texts_of_its_items() {
    let (_dir, mut store) = imported();
    let decide = DecisionAction::Decide {
        score: d("4"),
        reason: "thiếu một tài liệu".into(),
    };
    store
        .record(
            "XBH",
            "1.1",
            &decide,
            "Hội đồng",
            "2026-11-23T09:00:00+07:00",
            None,
        )
        .unwrap();
    let session = store.load_session().unwrap().unwrap();
    let texts = store.load_item_texts(&session).unwrap();
    for unit in 0..session.units.len() {
        let reasons = store.unit_reasons(&session, unit).unwrap();
        let expected: Vec<String> = (0..session.leaf_count())
            .map(|leaf| texts[session.item_index(unit, leaf)].reason.clone())
            .collect();
        assert_eq!(reasons, expected);
    }
    assert_eq!(store.unit_reasons(&session, 0).unwrap()[1], "muộn");
    assert_eq!(
        store.unit_reasons(&session, 1).unwrap()[0],
        "thiếu một tài liệu"
    );
}

#[test]
fn the_screen_reads_long_texts_cut_and_commands_read_them_whole() {
    let english_cut_note = |total| crate::messages::screen::cut_note(crate::lang::Lang::En, total);
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("council.db"), host()).unwrap();
    let mut long = batch();
    let note = "Giải trình dài ".repeat(100_000);
    long.submissions[0].1[0].note = note.clone();
    long.proposals[0].note = "ý kiến ".repeat(100_000);
    store
        .apply_import(&long, "2026-11-23T08:00:00+07:00")
        .unwrap();
    let shown = store
        .item_detail_for_screen("SNV", "1.1", &english_cut_note)
        .unwrap();
    assert!(shown.note.chars().count() < load::DISPLAY_TEXT_CHARS + 100);
    assert!(shown.note.starts_with("Giải trình dài Giải"));
    assert!(
        shown.note.contains(&note.len().to_string()),
        "says how long the whole is"
    );
    assert!(shown.submissions[0].note.chars().count() < load::DISPLAY_TEXT_CHARS + 100);
    let proposal = store
        .item_detail_for_screen("SNV", "1.2", &english_cut_note)
        .unwrap();
    assert!(proposal.proposal_note.chars().count() < load::DISPLAY_TEXT_CHARS + 100);
    // Commands (decide --proposal, history) read the whole text.
    assert_eq!(store.item_detail("SNV", "1.1").unwrap().note, note);
    // A short text is shown as it is.
    assert_eq!(
        store
            .item_detail_for_screen("XBH", "1.1", &english_cut_note)
            .unwrap()
            .note,
        ""
    );
}

/// The digest of the import entry, as recorded.
fn recorded_digests(store: &Store) -> super::chain::Digests {
    let content: String = store
        .connection()
        .query_row(
            "SELECT content FROM decision_log WHERE action = 'import' ORDER BY seq DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let json: serde_json::Value = serde_json::from_str(&content).unwrap();
    serde_json::from_value(json["digests"].clone()).unwrap()
}

#[test]
fn a_first_import_hashes_its_rows_as_the_digest_reads_them_back() {
    // Proposals out of key order, an item with evidence only, an empty self-score, evidence
    // that needs JSON escaping, a survey leaf: every shape the first import hashes itself.
    let mut batch = batch();
    let mut framework: Vec<_> = batch.framework.unwrap().defs().cloned().collect();
    let mut survey = def("2.2", "0");
    survey.kind = crate::domain::CriterionKind::Survey;
    framework[3].max_points = d("5");
    framework.push(survey);
    framework[4].max_points = d("5");
    batch.framework = Some(Framework::build(framework).unwrap());
    batch.submissions[1].1.push(SelfScoreRow {
        criterion_code: "2.1".into(),
        in_self_scores: false,
        score: None,
        note: String::new(),
        evidence: Some(vec![Evidence {
            reference: "7/\"BC\"\n\\x".into(),
            title: "tab\tand \u{1}".into(),
            location: "ổ đĩa".into(),
        }]),
    });
    batch.submissions[0].1[1].score = None;
    batch.proposals.push(ProposalRow {
        unit_code: "SNV".into(),
        criterion_code: "1.1".into(),
        score: d("6"),
        note: String::new(),
    });
    batch.proposals.insert(
        0,
        ProposalRow {
            unit_code: "XBH".into(),
            criterion_code: "1.1".into(),
            score: d("4"),
            note: "thiếu".into(),
        },
    );
    batch.survey.push(crate::domain::import::SurveyRow {
        unit_code: "XBH".into(),
        criterion_code: "2.2".into(),
        score: d("0"),
    });
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("council.db");
    let (store, _) = Store::import_new(&path, &batch, "2026-11-23T08:00:00+07:00", host()).unwrap();
    let recorded = recorded_digests(&store);
    assert_eq!(
        recorded,
        super::chain::Digests::compute(store.connection()).unwrap()
    );
    assert!(store.verify().unwrap().is_intact());
}

/// A version-4 session (no loading index) is upgraded when opened: the index is made, the
/// scores are loaded through it, and what loads is what loaded before.
#[test]
fn a_version_4_session_gets_its_loading_index() {
    let (dir, store) = imported();
    let before = store.load_session().unwrap().unwrap();
    store
        .connection()
        .execute_batch("DROP INDEX self_scores_loading; PRAGMA user_version = 4;")
        .unwrap();
    drop(store);
    let store = Store::open_existing(&dir.path().join("council.db"), host()).unwrap();
    let version: i64 = store
        .connection()
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, 5);
    let mut stmt = store
        .connection()
        .prepare(
            "EXPLAIN QUERY PLAN SELECT u.id, s.criterion_id, s.score, s.evidence_count, s.changed
             FROM units u JOIN self_scores s ON s.submission_id = u.current_submission",
        )
        .unwrap();
    let plan: Vec<String> = stmt
        .query_map([], |r| r.get(3))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let plan = plan.join("; ");
    drop(stmt);
    assert!(
        plan.contains("COVERING INDEX self_scores_loading"),
        "{plan}"
    );
    let after = store.load_session().unwrap().unwrap();
    for (a, b) in before.items.iter().zip(&after.items) {
        assert_eq!(
            (a.self_score, a.evidence_count, a.changed_in_resubmission),
            (b.self_score, b.evidence_count, b.changed_in_resubmission)
        );
    }
    assert!(store.verify().unwrap().problems.is_empty());
}
