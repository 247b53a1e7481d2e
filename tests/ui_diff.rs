//! The diff view (`D`), resubmission markers, the item's full history and finalising (`F`):
//! keystroke scripts through the real keymap and `update`, rendered-frame snapshots, and
//! end-to-end runs against a real store.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests stop at the first failure

use council::app::finalise::FinalInfo;
use council::app::keymap::{Key, KeyCode, Keymap};
use council::app::overlay::Overlay;
use council::app::sample::{sample_detail, sample_session};
use council::app::screens::diff::{DiffBase, DiffContent, DiffData};
use council::app::{Action, AppState, Effect, MessageKind, Screen, update};
use council::domain::diff::DiffTag;
use council::domain::session::SubmissionVersion;
use council::domain::{DecisionAction, DecisionRecord, Session};
use council::lang::Lang;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use rust_decimal::Decimal;
use std::str::FromStr;

fn d(text: &str) -> Decimal {
    Decimal::from_str(text).unwrap()
}

fn fixed_clock() -> String {
    "2026-11-23T11:30:00+07:00".to_string()
}

fn state_of(session: Session, width: u16, height: u16) -> AppState {
    let mut state = AppState::new(session, Keymap::default(), Lang::Vi, "thu.ky");
    state.clock = fixed_clock;
    state.zone =
        council::domain::time::Zone::Fixed(chrono::FixedOffset::east_opt(7 * 3600).unwrap());
    update(&mut state, Action::Resize(width, height));
    state
}

fn state() -> AppState {
    state_of(sample_session(), 160, 48)
}

fn press(state: &mut AppState, keys: &str) -> Vec<Effect> {
    keys.chars()
        .flat_map(|c| update(state, Action::Key(Key::ch(c))))
        .collect()
}

fn key(state: &mut AppState, code: KeyCode) -> Vec<Effect> {
    update(state, Action::Key(Key::plain(code)))
}

fn draw(state: &AppState, width: u16, height: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal
        .draw(|frame| frame.render_widget(state, frame.area()))
        .unwrap();
    terminal.backend().to_string()
}

/// Reasons per leaf for SNV as the store would give them (the working group's notes where the
/// proposal counts).
fn snv_reasons() -> Vec<String> {
    let mut reasons = vec![String::new(); 6];
    reasons[1] = "Chỉ hoàn thành 90% nhiệm vụ: 1 điểm".into();
    reasons[3] = "Còn 3 thủ tục chưa công khai trên Cổng dịch vụ công".into();
    reasons
}

fn loaded_self(state: &mut AppState, unit: usize, versions: Vec<u32>) {
    update(
        state,
        Action::DiffLoaded {
            unit,
            base: DiffBase::SelfScores,
            result: Ok(DiffData {
                versions,
                content: DiffContent::Reasons(snv_reasons()),
            }),
        },
    );
}

/// SNV's first submission against its current one: two leaves changed between them.
fn version_one() -> DiffData {
    let scores = ["2", "2", "6", "3", "3.5", "5"];
    let current: Vec<(Option<Decimal>, String)> = scores
        .iter()
        .map(|s| (Some(d(s)), "Đã thực hiện".to_string()))
        .collect();
    let mut old = current.clone();
    old[1] = (Some(d("1.5")), "Hoàn thành 15/20 nhiệm vụ".into());
    old[4] = (Some(d("3")), "Đã thực hiện".into());
    let mut current = current;
    current[1].1 = "Đã hoàn thành 18/20 nhiệm vụ, bổ sung báo cáo 12/BC-SNV".into();
    DiffData {
        versions: vec![1, 2],
        content: DiffContent::Versions { old, current },
    }
}

/// SNV's scorecard (through `:`), then its diff; returns the effects of `D`.
fn diff_of_snv(state: &mut AppState) -> Vec<Effect> {
    press(state, ":SNV");
    key(state, KeyCode::Enter);
    assert_eq!(state.screen(), Screen::Scorecard);
    press(state, "D")
}

fn loads(effects: &[Effect]) -> Vec<(usize, DiffBase)> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::LoadDiff { unit, base } => Some((*unit, *base)),
            _ => None,
        })
        .collect()
}

#[test]
fn d_opens_the_units_diff_and_t_cycles_what_it_is_compared_with() {
    let mut s = state();
    // From the overview: the unit under the cursor (STC ranks first).
    assert_eq!(s.overview_unit(), Some(1));
    let effects = press(&mut s, "D");
    assert_eq!(s.screen(), Screen::Diff);
    assert_eq!(loads(&effects), vec![(1, DiffBase::SelfScores)]);
    key(&mut s, KeyCode::Esc);
    assert_eq!(s.screen(), Screen::Overview);
    let effects = diff_of_snv(&mut s);
    assert_eq!(loads(&effects), vec![(0, DiffBase::SelfScores)]);
    // Asked once: another key before the answer asks nothing more.
    assert!(loads(&press(&mut s, "j")).is_empty());
    loaded_self(&mut s, 0, vec![1, 2, 3]);
    assert!(s.diff.is_current());
    assert_eq!(s.diff.changes.len(), 2);
    // Opens at the first change: SNV 1.1.2, self 2 → appraised 1 (the proposal).
    let first = &s.diff.rows[s.diff.selected];
    assert_eq!(first.tag, DiffTag::Removed);
    assert!(first.text().starts_with("1.1.2 "));
    let added = s.diff.rows[s.diff.selected + 1].text();
    assert!(
        added.ends_with(": 1 — Chỉ hoàn thành 90% nhiệm vụ: 1 điểm"),
        "{added}"
    );

    assert_eq!(loads(&press(&mut s, "t")), vec![(0, DiffBase::Proposals)]);
    assert_eq!(loads(&press(&mut s, "t")), vec![(0, DiffBase::Version(1))]);
    assert_eq!(loads(&press(&mut s, "t")), vec![(0, DiffBase::Version(2))]);
    // Version 3 is the current one: back to self-scores, which are still loaded.
    assert!(loads(&press(&mut s, "t")).is_empty());
    assert_eq!(s.diff.base, DiffBase::SelfScores);
    assert!(s.diff.is_current());
    key(&mut s, KeyCode::Esc);
    assert_eq!(s.screen(), Screen::Scorecard);
}

#[test]
fn with_one_submission_t_toggles_between_self_and_proposals() {
    let mut s = state();
    diff_of_snv(&mut s);
    loaded_self(&mut s, 0, vec![1]);
    assert_eq!(loads(&press(&mut s, "t")), vec![(0, DiffBase::Proposals)]);
    update(
        &mut s,
        Action::DiffLoaded {
            unit: 0,
            base: DiffBase::Proposals,
            result: Ok(DiffData {
                versions: vec![1],
                content: DiffContent::Reasons(snv_reasons()),
            }),
        },
    );
    // Against the proposals the council changed nothing yet.
    assert!(s.diff.changes.is_empty());
    assert_eq!(loads(&press(&mut s, "t")), vec![(0, DiffBase::SelfScores)]);
}

#[test]
fn n_and_shift_n_jump_between_changes_and_keys_scroll() {
    let mut s = state();
    diff_of_snv(&mut s);
    loaded_self(&mut s, 0, vec![1]);
    let changes = s.diff.changes.clone();
    assert_eq!(changes.len(), 2);
    assert_eq!(s.diff.selected, changes[0]);
    press(&mut s, "n");
    assert_eq!(s.diff.selected, changes[1]);
    // n does not leave the diff for the next disputed item.
    assert_eq!(s.screen(), Screen::Diff);
    press(&mut s, "n");
    assert_eq!(s.diff.selected, changes[0], "wraps around");
    press(&mut s, "N");
    assert_eq!(s.diff.selected, changes[1]);
    press(&mut s, "g");
    assert_eq!(s.diff.selected, 0);
    press(&mut s, "G");
    assert_eq!(s.diff.selected, s.diff.rows.len() - 1);
    press(&mut s, "k");
    assert_eq!(s.diff.selected, s.diff.rows.len() - 2);
    key(&mut s, KeyCode::PageUp);
    assert_eq!(s.diff.selected, 0);
    key(&mut s, KeyCode::PageDown);
    assert_eq!(s.diff.selected, s.diff.rows.len() - 1);
    // A diff without changes says so on n.
    update(
        &mut s,
        Action::DiffLoaded {
            unit: 0,
            base: DiffBase::SelfScores,
            result: Ok(DiffData {
                versions: vec![1],
                content: DiffContent::Reasons(Vec::new()),
            }),
        },
    );
    let mut calm = state_of(
        {
            let mut session = sample_session();
            for item in session.items.iter_mut() {
                item.proposal = None;
            }
            session
        },
        160,
        48,
    );
    diff_of_snv(&mut calm);
    loaded_self(&mut calm, 0, vec![1]);
    assert!(calm.diff.changes.is_empty());
    press(&mut calm, "n");
    assert_eq!(calm.message.as_ref().unwrap().text, "Không có thay đổi");
}

#[test]
fn d_from_the_scorecard_and_enter_on_a_line_opens_that_item() {
    let mut s = state();
    // n: the first disputed item, SNV 1.1.2 on SNV's scorecard.
    press(&mut s, "n");
    assert_eq!(s.screen(), Screen::Scorecard);
    assert_eq!(s.current_item(), Some((0, 1)));
    let effects = press(&mut s, "D");
    assert_eq!(loads(&effects), vec![(0, DiffBase::SelfScores)]);
    loaded_self(&mut s, 0, vec![1]);
    press(&mut s, "n");
    let effects = key(&mut s, KeyCode::Enter);
    assert_eq!(s.screen(), Screen::Scorecard);
    // Leaf 3 is 2.1, the second change.
    assert_eq!(s.current_item(), Some((0, 3)));
    assert!(effects.contains(&Effect::LoadDetail { unit: 0, leaf: 3 }));
}

#[test]
fn a_late_or_failed_load_is_handled() {
    let mut s = state();
    diff_of_snv(&mut s);
    press(&mut s, "t");
    // The answer for self-scores arrives after t asked for proposals: ignored.
    loaded_self(&mut s, 0, vec![1]);
    assert!(!s.diff.is_current());
    update(
        &mut s,
        Action::DiffLoaded {
            unit: 0,
            base: DiffBase::Proposals,
            result: Err("database is locked".into()),
        },
    );
    assert_eq!(s.diff.error.as_deref(), Some("database is locked"));
    assert!(draw(&s, 80, 24).contains("database is locked"));
}

#[test]
fn stale_decisions_are_marked_counted_and_stopped_at_by_n() {
    let mut session = sample_session();
    // STC 1.1.1 was decided, then STC resubmitted a different self-score.
    session.item_mut(1, 0).council = Some(d("2"));
    session.item_mut(1, 0).self_score = Some(d("1.5"));
    session.item_mut(1, 0).decision_stale = true;
    session.item_mut(1, 0).changed_in_resubmission = true;
    let mut s = state_of(session, 160, 48);
    assert_eq!(s.stale_total, 1);
    assert!(draw(&s, 160, 48).contains("1 cần xem lại"));
    // From the overview, STC ranks first: n stops at its stale decision.
    press(&mut s, "n");
    assert_eq!(s.current_item(), Some((1, 0)));
    let frame = draw(&s, 160, 48);
    assert!(frame.contains("↻ xem lại"), "{frame}");
    assert!(frame.contains("✎ Ban hành kế hoạch"), "{frame}");
    assert!(frame.contains("↻ cần xem lại"), "{frame}");
    // Deciding again clears it (the store says so).
    let mut fresh = s.session.item(1, 0).clone();
    fresh.decision_stale = false;
    fresh.council = Some(d("1.5"));
    update(
        &mut s,
        Action::Recorded {
            unit: 1,
            leaf: 0,
            intent: council::app::RecordIntent::Decide,
            result: Ok(fresh),
        },
    );
    assert_eq!(s.stale_total, 0);
}

#[test]
fn f_with_open_disputes_needs_a_typed_reason() {
    let mut s = state();
    assert!(press(&mut s, "F").is_empty());
    let Some(Overlay::Finalise(confirm)) = &s.overlay else {
        panic!("finalise confirmation expected");
    };
    assert_eq!(confirm.decided, 2);
    assert_eq!(confirm.open.len(), 4);
    // y types into the reason here; Enter without a reason is refused.
    assert!(press(&mut s, "y").is_empty());
    key(&mut s, KeyCode::Backspace);
    assert!(key(&mut s, KeyCode::Enter).is_empty());
    let Some(Overlay::Finalise(confirm)) = &s.overlay else {
        panic!("the confirmation stays open");
    };
    assert!(confirm.show_required);
    press(&mut s, "Hết giờ họp; 4 mục chuyển phiên sau");
    let effects = key(&mut s, KeyCode::Enter);
    assert_eq!(
        effects,
        vec![Effect::Finalise {
            by: "thu.ky".into(),
            at: fixed_clock(),
            reason: Some("Hết giờ họp; 4 mục chuyển phiên sau".into()),
        }]
    );
    assert!(s.overlay.is_none());
    // Esc cancels without effects.
    press(&mut s, "F");
    assert!(key(&mut s, KeyCode::Esc).is_empty());
    assert!(s.overlay.is_none());
}

#[test]
fn f_without_disputes_confirms_with_y_and_the_screen_then_refuses_edits() {
    let mut session = sample_session();
    for item in session.items.iter_mut() {
        item.proposal = None;
        item.flagged = false;
    }
    let mut s = state_of(session, 80, 24);
    press(&mut s, "F");
    assert!(press(&mut s, "n").is_empty());
    assert!(s.overlay.is_none(), "n cancels");
    press(&mut s, "F");
    let effects = press(&mut s, "y");
    assert_eq!(
        effects,
        vec![Effect::Finalise {
            by: "thu.ky".into(),
            at: fixed_clock(),
            reason: None,
        }]
    );
    update(
        &mut s,
        Action::Finalised(Ok(FinalInfo {
            at: fixed_clock(),
            by: "thu.ky".into(),
            reason: String::new(),
            head_hash: "ab".repeat(32),
            entries: 2,
        })),
    );
    let message = s.message.clone().unwrap();
    assert_eq!(message.kind, MessageKind::Success);
    assert!(message.text.starts_with("Đã chốt phiên họp lúc"));
    assert!(draw(&s, 80, 24).contains("ĐÃ CHỐT"));
    // Edit keys are refused with a clear message, before any editor opens.
    key(&mut s, KeyCode::Enter);
    assert_eq!(s.screen(), Screen::Scorecard);
    press(&mut s, "j");
    for k in ["e", "a", "p", "d", "u", "U", "F"] {
        let effects = press(&mut s, k);
        assert!(
            effects.iter().all(|e| !matches!(e, Effect::Record(_))),
            "{k}"
        );
        assert!(s.overlay.is_none(), "{k}");
        let message = s.message.clone().unwrap();
        assert_eq!(message.kind, MessageKind::Error);
        assert_eq!(message.text, "Phiên họp đã chốt: không thể thay đổi");
    }
    // Looking still works.
    press(&mut s, "D");
    assert_eq!(s.screen(), Screen::Diff);
}

#[test]
fn a_failed_finalise_is_reported() {
    let mut s = state();
    update(
        &mut s,
        Action::Finalised(Err(
            "1 item(s) are still disputed and undecided: SNV 1.2".into()
        )),
    );
    let message = s.message.clone().unwrap();
    assert_eq!(message.kind, MessageKind::Error);
    assert!(message.text.starts_with("Không chốt được: 1 item(s)"));
    assert!(s.finalised.is_none());
}

// ----- snapshots -----

const SIZES: [(u16, u16); 2] = [(80, 24), (160, 48)];

#[test]
fn snapshot_diff_against_self() {
    for (w, h) in SIZES {
        let mut s = state_of(sample_session(), w, h);
        diff_of_snv(&mut s);
        loaded_self(&mut s, 0, vec![1, 2]);
        insta::assert_snapshot!(format!("diff_self_{w}x{h}"), draw(&s, w, h));
    }
}

#[test]
fn snapshot_diff_against_a_version() {
    for (w, h) in SIZES {
        let mut s = state_of(sample_session(), w, h);
        diff_of_snv(&mut s);
        loaded_self(&mut s, 0, vec![1, 2]);
        press(&mut s, "tt");
        assert_eq!(s.diff.base, DiffBase::Version(1));
        update(
            &mut s,
            Action::DiffLoaded {
                unit: 0,
                base: DiffBase::Version(1),
                result: Ok(version_one()),
            },
        );
        insta::assert_snapshot!(format!("diff_version_{w}x{h}"), draw(&s, w, h));
    }
}

#[test]
fn snapshot_finalise_confirmation() {
    for (w, h) in SIZES {
        let mut s = state_of(sample_session(), w, h);
        press(&mut s, "F");
        press(&mut s, "Hết giờ họp");
        insta::assert_snapshot!(format!("finalise_{w}x{h}"), draw(&s, w, h));
    }
}

/// SNV resubmitted 1.1.1 (a new self-score after the council decided it) and 1.2 (a note).
fn resubmitted() -> Session {
    let mut session = sample_session();
    let item = session.item_mut(0, 0);
    item.self_score = Some(d("1.5"));
    item.council = Some(d("2"));
    item.log_seq = 1;
    item.changed_in_resubmission = true;
    item.decision_stale = true;
    session.item_mut(0, 2).changed_in_resubmission = true;
    session
}

fn resubmitted_detail() -> council::domain::ItemDetail {
    let mut detail = sample_detail();
    detail.note = "Bổ sung: kế hoạch ban hành ngày 15/01".into();
    detail.proposal_note = String::new();
    detail.submissions = vec![
        SubmissionVersion {
            version: 1,
            score: Some(d("2")),
            note: "Ban hành đúng hạn".into(),
            evidence: Vec::new(),
            imported_at: "2026-11-20T08:00:00+07:00".into(),
        },
        SubmissionVersion {
            version: 2,
            score: Some(d("1.5")),
            note: "Bổ sung: kế hoạch ban hành ngày 15/01".into(),
            evidence: detail.evidence.clone(),
            imported_at: "2026-11-23T10:15:00+07:00".into(),
        },
    ];
    detail.log = vec![DecisionRecord {
        login: String::new(),
        action: DecisionAction::Decide {
            score: d("2"),
            reason: String::new(),
        },
        by: "lan".into(),
        at: "2026-11-23T09:10:00+07:00".into(),
    }];
    detail
}

#[test]
fn snapshot_scorecard_with_resubmission_markers() {
    for (w, h) in SIZES {
        let mut s = state_of(resubmitted(), w, h);
        // n stops first at the stale decision on SNV 1.1.1.
        let effects = press(&mut s, "n");
        assert_eq!(s.current_item(), Some((0, 0)));
        assert!(effects.contains(&Effect::LoadDetail { unit: 0, leaf: 0 }));
        update(
            &mut s,
            Action::DetailLoaded {
                unit: 0,
                leaf: 0,
                detail: resubmitted_detail(),
            },
        );
        insta::assert_snapshot!(format!("scorecard_resubmitted_{w}x{h}"), draw(&s, w, h));
    }
}

#[test]
fn never_panics_at_any_size() {
    for w in [0u16, 1, 10, 59, 60, 61, 79, 80, 119, 120, 200] {
        for h in [0u16, 1, 5, 15, 16, 17, 24, 50] {
            let mut s = state_of(resubmitted(), w, h);
            press(&mut s, ":SNV");
            key(&mut s, KeyCode::Enter);
            press(&mut s, "D");
            council::ui::render_to_buffer(&s, w, h);
            loaded_self(&mut s, 0, vec![1, 2]);
            council::ui::render_to_buffer(&s, w, h);
            press(&mut s, "tt");
            update(
                &mut s,
                Action::DiffLoaded {
                    unit: 0,
                    base: DiffBase::Version(1),
                    result: Ok(version_one()),
                },
            );
            council::ui::render_to_buffer(&s, w, h);
            key(&mut s, KeyCode::Esc);
            press(&mut s, "F");
            council::ui::render_to_buffer(&s, w, h);
        }
    }
}

// ----- against a real store -----

mod with_a_real_store {
    use super::*;
    use council::domain::{Code, CriterionDef, CriterionKind, Evidence, Framework, Unit};
    use council::io::{ImportBatch, ProposalRow, SelfScoreRow};
    use council::store::Store;
    use council::tui::{finalisation_action, run_effects};
    use std::path::Path;

    fn def(code: &str, max: &str) -> CriterionDef {
        CriterionDef {
            code: Code::parse(code).unwrap(),
            title: format!("Tiêu chí {code}"),
            max_points: d(max),
            min_points: Decimal::ZERO,
            step: Some(d("0.5")),
            kind: CriterionKind::Score,
            rule: "Đúng hạn: tối đa".into(),
        }
    }

    fn row(code: &str, score: &str, note: &str) -> SelfScoreRow {
        SelfScoreRow {
            criterion_code: code.into(),
            in_self_scores: true,
            score: Some(d(score)),
            note: note.into(),
            evidence: Some(vec![Evidence {
                reference: "376/KH-UBND".into(),
                title: "Kế hoạch".into(),
                location: String::new(),
            }]),
        }
    }

    fn batch(submission: Vec<SelfScoreRow>) -> ImportBatch {
        ImportBatch {
            framework: Some(
                Framework::build(vec![def("1", "10"), def("1.1", "6"), def("1.2", "4")]).unwrap(),
            ),
            units: vec![Unit {
                code: "SNV".into(),
                name: "Sở Nội vụ".into(),
                group: "Sở".into(),
            }],
            submissions: vec![("SNV".into(), submission)],
            proposals: vec![ProposalRow {
                unit_code: "SNV".into(),
                criterion_code: "1.2".into(),
                score: d("3"),
                note: "nộp muộn".into(),
            }],
            survey: vec![],
        }
    }

    fn drive(store: &mut Store, state: &mut AppState, dir: &Path, action: Action) {
        let mut effects = update(state, action);
        run_effects(store, state, &dir.join("export"), &mut effects);
    }

    fn keys(store: &mut Store, state: &mut AppState, dir: &Path, text: &str) {
        for c in text.chars() {
            let action = match c {
                '\n' => Action::Key(Key::plain(KeyCode::Enter)),
                '\u{1b}' => Action::Key(Key::plain(KeyCode::Esc)),
                c => Action::Key(Key::ch(c)),
            };
            drive(store, state, dir, action);
        }
    }

    /// SNV submitted twice: 1.1 went from 6 to 5 after the council accepted 6.
    fn resubmitted_store(dir: &Path) -> Store {
        let mut store =
            Store::open(&dir.join("phien.sqlite"), council::io::system::host()).unwrap();
        store
            .apply_import(
                &batch(vec![row("1.1", "6", "đủ"), row("1.2", "4", "")]),
                "2026-11-20T08:00:00+07:00",
            )
            .unwrap();
        store
            .record(
                "SNV",
                "1.1",
                &DecisionAction::Decide {
                    score: d("6"),
                    reason: String::new(),
                },
                "lan",
                "2026-11-23T09:00:00+07:00",
                None,
            )
            .unwrap();
        store
            .apply_import(
                &batch(vec![
                    row("1.1", "5", "thiếu một báo cáo"),
                    row("1.2", "4", ""),
                ]),
                "2026-11-23T10:00:00+07:00",
            )
            .unwrap();
        store
    }

    fn open(store: &mut Store, dir: &Path) -> AppState {
        let session = store.load_session().unwrap().unwrap();
        let mut s = AppState::new(session, Keymap::default(), Lang::Vi, "thu.ky");
        s.clock = fixed_clock;
        drive(store, &mut s, dir, Action::Resize(120, 40));
        let action = finalisation_action(store);
        drive(store, &mut s, dir, action);
        s
    }

    #[test]
    fn the_diff_loads_reasons_and_versions_from_the_store() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = resubmitted_store(dir.path());
        let mut s = open(&mut store, dir.path());
        assert_eq!(s.stale_total, 1);
        keys(&mut store, &mut s, dir.path(), "D");
        assert!(s.diff.is_current(), "loaded through the runner");
        assert_eq!(s.diff.versions, vec![1, 2]);
        let texts: Vec<String> = s.diff.rows.iter().map(|r| r.text()).collect();
        // Self 5 (current) against the council's 6, and the proposal's 3 with its note.
        assert!(
            texts.contains(&"1.1 Tiêu chí 1.1: 5".to_string()),
            "{texts:?}"
        );
        assert!(
            texts.contains(&"1.1 Tiêu chí 1.1: 6".to_string()),
            "{texts:?}"
        );
        assert!(
            texts.contains(&"1.2 Tiêu chí 1.2: 3 — nộp muộn".to_string()),
            "{texts:?}"
        );
        keys(&mut store, &mut s, dir.path(), "tt");
        assert_eq!(s.diff.base, DiffBase::Version(1));
        assert!(s.diff.is_current());
        let texts: Vec<String> = s.diff.rows.iter().map(|r| r.text()).collect();
        assert_eq!(
            texts,
            vec![
                "1.1 Tiêu chí 1.1: 6 — đủ",
                "1.1 Tiêu chí 1.1: 5 — thiếu một báo cáo",
                "1.2 Tiêu chí 1.2: 4",
            ]
        );
        assert_eq!(s.diff.rows[0].tag, DiffTag::Removed);
        // The item's detail holds its whole history: two versions, the proposal, the decision.
        keys(&mut store, &mut s, dir.path(), "\u{1b}n");
        assert_eq!(s.current_item(), Some((0, 0)));
        let detail = s.detail_of(0, 0).expect("loaded").clone();
        let item = s.session.item(0, 0).clone();
        let timeline = council::app::history::timeline(&detail, &item, "SNV", s.labels());
        let whats: Vec<&str> = timeline.iter().map(|e| e.what.as_str()).collect();
        assert_eq!(
            whats,
            vec![
                "v2 tự chấm 5 ← 6 · đã sửa: điểm, ghi chú",
                "quyết định 6",
                "v1 tự chấm 6",
            ]
        );
    }

    #[test]
    fn f_finalises_the_store_and_x_then_writes_the_manifest() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = resubmitted_store(dir.path());
        let mut s = open(&mut store, dir.path());
        assert!(s.finalised.is_none());
        // SNV 1.2 is disputed (proposal 3 against self 4): a reason is required.
        keys(&mut store, &mut s, dir.path(), "F");
        keys(&mut store, &mut s, dir.path(), "chuyển phiên sau\n");
        let message = s.message.clone().unwrap();
        assert_eq!(message.kind, MessageKind::Success, "{}", message.text);
        let done = store.finalisation().unwrap().expect("finalised");
        assert_eq!(done.by, "thu.ky");
        assert_eq!(done.reason, "chuyển phiên sau");
        assert_eq!(
            s.finalised.as_ref().map(|f| f.head_hash.clone()),
            Some(done.head_hash)
        );
        // The store refuses writes anyway; the screen refuses them first.
        keys(&mut store, &mut s, dir.path(), "na");
        assert_eq!(
            s.message.as_ref().unwrap().text,
            "Phiên họp đã chốt: không thể thay đổi"
        );
        keys(&mut store, &mut s, dir.path(), "x1");
        let manifest = dir.path().join("export").join("manifest.json");
        assert!(manifest.exists(), "{:?}", s.message);
        let text = std::fs::read_to_string(&manifest).unwrap();
        assert!(text.contains("\"finalised_by\": \"thu.ky\""), "{text}");
        assert!(text.contains("results.csv"), "{text}");
        // Exporting again asks first, the manifest among the files that exist.
        keys(&mut store, &mut s, dir.path(), "x1");
        let Some(Overlay::Confirm(council::app::overlay::ConfirmState::OverwriteExport {
            existing,
            ..
        })) = &s.overlay
        else {
            panic!("confirmation expected");
        };
        assert!(existing.iter().any(|f| f.ends_with("manifest.json")));
        keys(&mut store, &mut s, dir.path(), "y");
        assert!(s.message.as_ref().unwrap().text.starts_with("Đã xuất"));
        // A second screen opened on the finalised session knows at once.
        let other = open(&mut store, dir.path());
        assert!(other.finalised.is_some());
    }
}

#[test]
fn changed_lines_are_coloured_and_changed_words_reversed() {
    use ratatui::style::{Color, Modifier};
    for no_color in [false, true] {
        let mut s = state_of(sample_session(), 80, 24);
        s.no_color = no_color;
        diff_of_snv(&mut s);
        loaded_self(&mut s, 0, vec![1]);
        let buf = council::ui::render_to_buffer(&s, 80, 24);
        let line = |y: u16| -> String { (0..80).map(|x| buf[(x, y)].symbol()).collect() };
        let reversed = |y: u16| {
            (2..80)
                .filter(|&x| buf[(x, y)].modifier.contains(Modifier::REVERSED))
                .map(|x| buf[(x, y)].symbol())
                .collect::<String>()
        };
        // Rows: title, 1.1.1 (same), − 1.1.2, + 1.1.2, …
        assert!(line(2).starts_with("   1.1.1"), "{}", line(2));
        assert!(line(3).starts_with("▶− 1.1.2"), "{}", line(3));
        assert!(line(4).starts_with(" + 1.1.2"), "{}", line(4));
        assert_eq!(reversed(2), "", "unchanged lines have no emphasis");
        assert!(reversed(3).contains('2'), "{:?}", reversed(3));
        assert_eq!(reversed(4), "1 — Chỉ hoàn thành 90% nhiệm vụ: 1 điểm");
        assert!(!reversed(4).contains("1.1.2"), "the code did not change");
        let (removed, added) = (buf[(1, 3)].fg, buf[(1, 4)].fg);
        if no_color {
            assert_eq!((removed, added), (Color::Reset, Color::Reset));
        } else {
            assert_eq!((removed, added), (Color::LightRed, Color::LightGreen));
        }
    }
}
