//! Keystroke scripts through the real keymap and `update`, asserting on state and effects.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests stop at the first failure

use council::app::keymap::{Key, KeyCode, Keymap};
use council::app::overlay::Overlay;
use council::app::sample::{sample_detail, sample_session};
use council::app::view::OverviewRow;
use council::app::{
    Action, AppState, Effect, MessageKind, RecordFailure, RecordIntent, RecordRequest, Screen,
    update,
};
use council::domain::{DecisionAction, ItemState};
use council::lang::Lang;
use rust_decimal::Decimal;
use std::str::FromStr;

fn d(text: &str) -> Decimal {
    Decimal::from_str(text).unwrap()
}

fn fixed_clock() -> String {
    "2026-11-23T09:00:00+07:00".to_string()
}

fn state() -> AppState {
    let mut state = AppState::new(sample_session(), Keymap::default(), Lang::Vi, "thu.ky");
    state.clock = fixed_clock;
    update(&mut state, Action::Resize(160, 48));
    state
}

/// Types each character as a key; returns every effect.
fn type_keys(state: &mut AppState, keys: &str) -> Vec<Effect> {
    keys.chars()
        .flat_map(|c| update(state, Action::Key(Key::ch(c))))
        .collect()
}

fn key(state: &mut AppState, code: KeyCode) -> Vec<Effect> {
    update(state, Action::Key(Key::plain(code)))
}

fn records(effects: &[Effect]) -> Vec<RecordRequest> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Record(r) => Some(r.clone()),
            _ => None,
        })
        .collect()
}

/// The (unit code, criterion code) the screen is on.
fn at(state: &AppState) -> (String, String) {
    let (unit, leaf) = state.current_item().expect("an item is selected");
    (
        state.session.units[unit].code.clone(),
        state.session.framework.leaf(leaf).code().to_string(),
    )
}

fn pair(unit: &str, code: &str) -> (String, String) {
    (unit.to_string(), code.to_string())
}

/// Acts as the store would: accepts the write and returns the new item state.
fn accept(state: &mut AppState, request: &RecordRequest) {
    let mut item = state.session.item(request.unit, request.leaf).clone();
    item.log_seq += 1;
    match &request.action {
        DecisionAction::Decide { score, .. } => item.council = Some(*score),
        DecisionAction::Undo => item.council = None,
        DecisionAction::Redo => item.council = Some(d("1")),
        DecisionAction::Flag { on } => item.flagged = *on,
    }
    update(
        state,
        Action::Recorded {
            unit: request.unit,
            leaf: request.leaf,
            intent: request.intent,
            result: Ok(item),
        },
    );
}

#[test]
fn n_and_shift_n_walk_disputed_items_across_units() {
    let mut s = state();
    assert_eq!(s.screen(), Screen::Overview);
    type_keys(&mut s, "n");
    assert_eq!(s.screen(), Screen::Scorecard);
    assert_eq!(at(&s), pair("SNV", "1.1.2"));
    type_keys(&mut s, "n");
    assert_eq!(at(&s), pair("SNV", "2.1"));
    // Next unit in the overview's order (group Xã, phường: PCL ranks first).
    type_keys(&mut s, "n");
    assert_eq!(at(&s), pair("PCL", "1.2"));
    type_keys(&mut s, "n");
    assert_eq!(at(&s), pair("XBH", "2.2"));
    // Wraps around.
    type_keys(&mut s, "n");
    assert_eq!(at(&s), pair("SNV", "1.1.2"));
    type_keys(&mut s, "N");
    assert_eq!(at(&s), pair("XBH", "2.2"));
}

#[test]
fn opening_a_leaf_asks_for_its_detail() {
    let mut s = state();
    let effects = type_keys(&mut s, "n");
    assert!(effects.contains(&Effect::LoadDetail { unit: 0, leaf: 1 }));
    update(
        &mut s,
        Action::DetailLoaded {
            unit: 0,
            leaf: 1,
            detail: sample_detail(),
        },
    );
    // Loaded: moving away and back asks again only for the new item.
    let effects = type_keys(&mut s, "j");
    assert!(effects.contains(&Effect::LoadDetail { unit: 0, leaf: 2 }));
}

#[test]
fn editing_a_score_checks_it_live_and_requires_a_reason() {
    let mut s = state();
    type_keys(&mut s, "n");
    type_keys(&mut s, "e");
    let Some(Overlay::Score(editor)) = &s.overlay else {
        panic!("score editor expected");
    };
    // Prefilled with the proposal.
    assert_eq!(editor.input, "1");
    key(&mut s, KeyCode::Backspace);
    type_keys(&mut s, "0,3");
    let Some(Overlay::Score(editor)) = &s.overlay else {
        panic!("score editor expected");
    };
    let def = &s.session.framework.leaf(1).def;
    assert!(editor.check(def).is_err(), "0,3 is off the 0,25 step");
    // Enter does nothing while the score is invalid.
    assert!(key(&mut s, KeyCode::Enter).is_empty());
    assert!(matches!(s.overlay, Some(Overlay::Score(_))));
    key(&mut s, KeyCode::Backspace);
    type_keys(&mut s, "5");
    key(&mut s, KeyCode::Enter);
    let Some(Overlay::Reason(reason)) = &s.overlay else {
        panic!("reason editor expected");
    };
    assert_eq!(reason.score, d("0.5"));
    assert!(reason.required);
    // An empty reason is refused.
    assert!(records(&key(&mut s, KeyCode::Enter)).is_empty());
    let Some(Overlay::Reason(reason)) = &s.overlay else {
        panic!("reason editor stays open");
    };
    assert!(reason.show_required);
    // q types the letter inside an editor; Shift+Enter and Ctrl+J insert new lines.
    type_keys(&mut s, "quá hạn");
    update(
        &mut s,
        Action::Key(Key {
            code: KeyCode::Enter,
            ctrl: false,
            alt: false,
            shift: true,
        }),
    );
    type_keys(&mut s, "18/20");
    update(&mut s, Action::Key(Key::ctrl('j')));
    type_keys(&mut s, "x");
    assert!(!s.quit);
    let effects = key(&mut s, KeyCode::Enter);
    let requests = records(&effects);
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    assert_eq!(
        (request.unit_code.as_str(), request.criterion_code.as_str()),
        ("SNV", "1.1.2")
    );
    assert_eq!(
        request.action,
        DecisionAction::Decide {
            score: d("0.5"),
            reason: "quá hạn\n18/20\nx".into()
        }
    );
    assert_eq!(request.by, "thu.ky");
    assert_eq!(request.at, fixed_clock());
    assert_eq!(request.expected_seq, Some(0));
    assert!(s.overlay.is_none());
    // Not "saved" until the store says so.
    assert_ne!(s.message.as_ref().map(|m| m.text.as_str()), Some("Đã lưu"));
    accept(&mut s, request);
    let message = s.message.clone().unwrap();
    assert_eq!(message.text, "Đã lưu");
    assert_eq!(message.kind, MessageKind::Success);
    assert_eq!(s.session.item(0, 1).council, Some(d("0.5")));
    // The overview's statistics follow.
    assert_eq!(s.stats.units[0].totals.appraised_total, d("18.5"));
}

#[test]
fn the_screen_writes_numbers_as_its_language_does() {
    for (lang, step) in [
        (Lang::Vi, "Không đúng bước điểm 0,25"),
        (Lang::En, "Not on the step 0.25"),
    ] {
        let mut s = AppState::new(sample_session(), Keymap::default(), lang, "thu.ky");
        update(&mut s, Action::Resize(160, 48));
        type_keys(&mut s, "ne");
        key(&mut s, KeyCode::Backspace);
        type_keys(&mut s, "0,3");
        let Some(Overlay::Score(editor)) = &s.overlay else {
            panic!("score editor expected");
        };
        let def = &s.session.framework.leaf(1).def;
        let problem = editor.check(def).unwrap_err();
        assert_eq!(problem.text(s.labels(), s.numbers()), step);
    }
}

#[test]
fn escape_cancels_editors_without_effects() {
    let mut s = state();
    type_keys(&mut s, "n");
    type_keys(&mut s, "e");
    assert!(key(&mut s, KeyCode::Esc).is_empty());
    assert!(s.overlay.is_none());
    assert_eq!(s.screen(), Screen::Scorecard);
    key(&mut s, KeyCode::Esc);
    assert_eq!(s.screen(), Screen::Overview);
}

#[test]
fn accept_self_accept_proposal_and_flag() {
    let mut s = state();
    type_keys(&mut s, "n");
    let requests = records(&type_keys(&mut s, "a"));
    assert_eq!(
        requests[0].action,
        DecisionAction::Decide {
            score: d("2"),
            reason: String::new()
        }
    );
    assert_eq!(requests[0].intent, RecordIntent::Decide);

    update(
        &mut s,
        Action::DetailLoaded {
            unit: 0,
            leaf: 1,
            detail: sample_detail(),
        },
    );
    assert!(records(&type_keys(&mut s, "p")).is_empty());
    let Some(Overlay::Reason(reason)) = &s.overlay else {
        panic!("reason editor expected");
    };
    assert_eq!(reason.score, d("1"));
    assert_eq!(reason.text(), "Chỉ hoàn thành 90% nhiệm vụ: 1 điểm");
    let requests = records(&key(&mut s, KeyCode::Enter));
    assert_eq!(
        requests[0].action,
        DecisionAction::Decide {
            score: d("1"),
            reason: "Chỉ hoàn thành 90% nhiệm vụ: 1 điểm".into()
        }
    );

    let requests = records(&type_keys(&mut s, "d"));
    assert_eq!(requests[0].action, DecisionAction::Flag { on: true });
    assert_eq!(requests[0].intent, RecordIntent::Flag(true));
    // An item without a proposal: p says so.
    type_keys(&mut s, "k");
    assert!(records(&type_keys(&mut s, "p")).is_empty());
    assert_eq!(s.message.as_ref().unwrap().kind, MessageKind::Error);
}

#[test]
fn undo_and_redo_act_on_this_sessions_decisions() {
    let mut s = state();
    assert!(records(&type_keys(&mut s, "u")).is_empty());
    type_keys(&mut s, "n");
    let decide = records(&type_keys(&mut s, "a")).remove(0);
    accept(&mut s, &decide);
    // Move elsewhere; undo comes back to the item.
    type_keys(&mut s, "nn");
    assert_ne!(at(&s), pair("SNV", "1.1.2"));
    let undo = records(&type_keys(&mut s, "u")).remove(0);
    assert_eq!(undo.action, DecisionAction::Undo);
    assert_eq!(undo.criterion_code, "1.1.2");
    assert_eq!(at(&s), pair("SNV", "1.1.2"));
    accept(&mut s, &undo);
    assert_eq!(s.session.item(0, 1).council, None);
    let redo = records(&update(&mut s, Action::Key(Key::ctrl('r')))).remove(0);
    assert_eq!(redo.action, DecisionAction::Redo);
    accept(&mut s, &redo);
    let undo_again = records(&type_keys(&mut s, "u")).remove(0);
    assert_eq!(undo_again.action, DecisionAction::Undo);
    // U is the other redo key; nothing left to redo until the undo is stored.
    assert!(records(&type_keys(&mut s, "U")).is_empty());
}

#[test]
fn a_stale_write_is_reported_and_the_item_refreshed() {
    let mut s = state();
    type_keys(&mut s, "n");
    let request = records(&type_keys(&mut s, "a")).remove(0);
    let fresh = ItemState {
        council: Some(d("1.5")),
        log_seq: 3,
        ..s.session.item(0, 1).clone()
    };
    update(
        &mut s,
        Action::Recorded {
            unit: request.unit,
            leaf: request.leaf,
            intent: request.intent,
            result: Err(RecordFailure {
                message: "SNV 1.1.2 was changed by lan at 09:01".into(),
                stale: true,
                fresh: Some(fresh),
            }),
        },
    );
    let message = s.message.clone().unwrap();
    assert_eq!(message.kind, MessageKind::Error);
    assert!(message.text.contains("Người khác vừa quyết định"));
    assert_eq!(s.session.item(0, 1).council, Some(d("1.5")));
    // Deciding again now uses the fresh log position.
    let again = records(&type_keys(&mut s, "a")).remove(0);
    assert_eq!(again.expected_seq, Some(3));
    assert!(s.undo_stack.is_empty());
}

#[test]
fn disputed_only_filter_and_sorting() {
    let mut s = state();
    type_keys(&mut s, "f");
    let units: Vec<usize> = s
        .overview
        .rows
        .iter()
        .filter_map(|r| match r {
            OverviewRow::Unit(u) => Some(*u),
            OverviewRow::Group(_) => None,
        })
        .collect();
    // STC and STP have nothing disputed.
    assert_eq!(units.len(), 3);
    assert!(!units.contains(&1) && !units.contains(&2));
    type_keys(&mut s, "f");
    // s cycles: rank → name → Δ; by Δ the biggest cut comes first in its group.
    type_keys(&mut s, "ss");
    let first_unit = s.overview.rows.iter().find_map(|r| match r {
        OverviewRow::Unit(u) => Some(*u),
        OverviewRow::Group(_) => None,
    });
    assert_eq!(first_unit, Some(0));
    // The scorecard with the filter shows only disputed branches.
    type_keys(&mut s, "nf");
    let fw = &s.session.framework;
    let codes: Vec<String> = s
        .scorecard
        .rows
        .iter()
        .map(|&n| fw.node(n).code().to_string())
        .collect();
    assert_eq!(codes, ["1", "1.1", "1.1.2", "2", "2.1"]);
}

#[test]
fn tree_folds_and_moves() {
    let mut s = state();
    key(&mut s, KeyCode::Enter);
    assert_eq!(s.screen(), Screen::Scorecard);
    let fields_open = s.scorecard.rows.len();
    type_keys(&mut s, "+");
    assert!(s.scorecard.rows.len() > fields_open);
    type_keys(&mut s, "-");
    assert_eq!(s.scorecard.rows.len(), 3, "only the fields remain");
    type_keys(&mut s, "l");
    assert_eq!(s.scorecard.rows.len(), 5);
    type_keys(&mut s, "jh");
    // h on a closed node goes to its parent.
    assert_eq!(s.scorecard.selected, 0);
    type_keys(&mut s, "G");
    assert_eq!(s.scorecard.selected, s.scorecard.rows.len() - 1);
    type_keys(&mut s, "g");
    assert_eq!(s.scorecard.selected, 0);
    // c on a row opens the criterion across units; Esc comes back.
    type_keys(&mut s, "c");
    assert_eq!(s.screen(), Screen::Compare);
    assert_eq!(s.compare.rows.len(), 5);
    key(&mut s, KeyCode::Esc);
    assert_eq!(s.screen(), Screen::Scorecard);
}

#[test]
fn compare_sorts_by_delta_and_drills_into_a_unit() {
    let mut s = state();
    type_keys(&mut s, ":2.2");
    key(&mut s, KeyCode::Enter);
    type_keys(&mut s, "c");
    assert_eq!(s.screen(), Screen::Compare);
    type_keys(&mut s, "s");
    assert_eq!(s.compare.rows[0].unit, 3, "XBH has the largest cut on 2.2");
    assert_eq!(s.compare.spread.min, d("0"));
    assert_eq!(s.compare.spread.max, d("3.5"));
    type_keys(&mut s, "g");
    key(&mut s, KeyCode::Enter);
    assert_eq!(s.screen(), Screen::Scorecard);
    assert_eq!(at(&s), pair("XBH", "2.2"));
}

#[test]
fn search_ignores_diacritics_and_opens_hits() {
    let mut s = state();
    type_keys(&mut s, "/bao ha");
    let Some(Overlay::Search(search)) = &s.overlay else {
        panic!("search expected");
    };
    assert_eq!(search.hits.len(), 1);
    key(&mut s, KeyCode::Enter);
    assert_eq!(s.screen(), Screen::Scorecard);
    assert_eq!(s.scorecard.unit, 3);
    type_keys(&mut s, "/thu tuc");
    let Some(Overlay::Search(search)) = &s.overlay else {
        panic!("search expected");
    };
    assert_eq!(search.hits.len(), 2);
}

#[test]
fn jump_accepts_unit_criterion_or_both() {
    let mut s = state();
    type_keys(&mut s, ":xbh 2.2");
    key(&mut s, KeyCode::Enter);
    assert_eq!(at(&s), pair("XBH", "2.2"));
    type_keys(&mut s, ":nowhere");
    key(&mut s, KeyCode::Enter);
    let Some(Overlay::Jump(jump)) = &s.overlay else {
        panic!("jump stays open on a miss");
    };
    assert!(jump.not_found);
}

#[test]
fn export_asks_csv_or_xlsx() {
    let mut s = state();
    // x asks first; other keys leave the question open; Esc cancels.
    assert!(type_keys(&mut s, "x").is_empty());
    assert!(type_keys(&mut s, "j").is_empty());
    assert!(matches!(s.overlay, Some(Overlay::Confirm(_))));
    let frame = council::ui::render_to_buffer(&s, 100, 30);
    let text: String = frame.content().iter().map(|c| c.symbol()).collect();
    assert!(text.contains("XLSX: ket-qua.xlsx"), "{text}");
    assert!(
        text.contains("1: CSV") && text.contains("2 / x: XLSX"),
        "{text}"
    );
    key(&mut s, KeyCode::Esc);
    assert!(s.overlay.is_none());
    assert_eq!(
        type_keys(&mut s, "x2"),
        vec![Effect::ExportWorkbook { overwrite: false }]
    );
    update(
        &mut s,
        Action::WorkbookNeedsConfirm {
            dir: "export".into(),
            existing: vec!["export/ket-qua.xlsx".into()],
        },
    );
    assert_eq!(
        type_keys(&mut s, "y"),
        vec![Effect::ExportWorkbook { overwrite: true }]
    );
}

#[test]
fn export_asks_before_overwriting() {
    let mut s = state();
    assert_eq!(
        type_keys(&mut s, "x1"),
        vec![Effect::Export { overwrite: false }]
    );
    update(
        &mut s,
        Action::ExportNeedsConfirm {
            dir: "export".into(),
            existing: vec!["export/results.csv".into()],
        },
    );
    // Other keys leave the question open; n cancels; y confirms.
    assert!(type_keys(&mut s, "j").is_empty());
    assert!(matches!(s.overlay, Some(Overlay::Confirm(_))));
    assert_eq!(
        type_keys(&mut s, "y"),
        vec![Effect::Export { overwrite: true }]
    );
    update(&mut s, Action::Exported(Ok("export".into())));
    assert!(s.message.as_ref().unwrap().text.contains("export"));
}

#[test]
fn help_filters_and_quit_quits() {
    let mut s = state();
    type_keys(&mut s, "?");
    type_keys(&mut s, "thoat");
    let Some(Overlay::Help(help)) = &s.overlay else {
        panic!("help expected");
    };
    assert_eq!(help.filter, "thoat");
    assert!(!s.quit, "typing in help does not quit");
    key(&mut s, KeyCode::Esc);
    type_keys(&mut s, "q");
    assert!(s.quit);
}

#[test]
fn keys_from_the_config_file_drive_update() {
    let keymap = Keymap::default()
        .with_config("[keys]\nnext_disputed = [\"ctrl+n\"]\n")
        .unwrap();
    let mut s = AppState::new(sample_session(), keymap, Lang::En, "clerk");
    type_keys(&mut s, "n");
    assert_eq!(s.screen(), Screen::Overview);
    update(&mut s, Action::Key(Key::ctrl('n')));
    assert_eq!(at(&s), pair("SNV", "1.1.2"));
}

#[test]
fn presentation_mode_toggles_and_escape_leaves_it() {
    let mut s = state();
    type_keys(&mut s, "nP");
    assert!(s.presentation);
    type_keys(&mut s, "n");
    assert_eq!(at(&s), pair("SNV", "2.1"));
    key(&mut s, KeyCode::Esc);
    assert!(!s.presentation);
    assert_eq!(s.screen(), Screen::Scorecard);
}

mod with_a_real_store {
    use super::*;
    use council::domain::{Code, CriterionDef, CriterionKind, Evidence, Framework, Unit};
    use council::io::{ImportBatch, ProposalRow, SelfScoreRow};
    use council::store::Store;
    use council::tui::run_effects;

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

    fn row(code: &str, score: &str) -> SelfScoreRow {
        SelfScoreRow {
            criterion_code: code.into(),
            in_self_scores: true,
            score: Some(d(score)),
            note: format!("ghi chú {code}"),
            evidence: Some(vec![Evidence {
                reference: "376/KH-UBND".into(),
                title: "Kế hoạch".into(),
                location: String::new(),
            }]),
        }
    }

    fn store(dir: &std::path::Path) -> Store {
        let mut store =
            Store::open(&dir.join("phien.sqlite"), council::io::system::host()).unwrap();
        let batch = ImportBatch {
            framework: Some(
                Framework::build(vec![def("1", "10"), def("1.1", "6"), def("1.2", "4")]).unwrap(),
            ),
            units: vec![Unit {
                code: "SNV".into(),
                name: "Sở Nội vụ".into(),
                group: "Sở".into(),
            }],
            submissions: vec![("SNV".into(), vec![row("1.1", "6"), row("1.2", "4")])],
            proposals: vec![ProposalRow {
                unit_code: "SNV".into(),
                criterion_code: "1.2".into(),
                score: d("3"),
                note: "nộp muộn".into(),
            }],
            survey: vec![],
        };
        store
            .apply_import(&batch, "2026-11-20T08:00:00+07:00")
            .unwrap();
        store
    }

    fn drive(store: &mut Store, state: &mut AppState, dir: &std::path::Path, action: Action) {
        let mut effects = update(state, action);
        run_effects(store, state, &dir.join("export"), &mut effects);
    }

    fn keys(store: &mut Store, state: &mut AppState, dir: &std::path::Path, text: &str) {
        for c in text.chars() {
            drive(store, state, dir, Action::Key(Key::ch(c)));
        }
    }

    #[test]
    fn decisions_reach_the_store_and_undo_appends() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = store(dir.path());
        let session = store.load_session().unwrap().unwrap();
        let mut s = AppState::new(session, Keymap::default(), Lang::Vi, "thu.ky");
        s.clock = fixed_clock;
        drive(&mut store, &mut s, dir.path(), Action::Resize(120, 40));
        keys(&mut store, &mut s, dir.path(), "n");
        assert_eq!(at(&s), pair("SNV", "1.2"));
        // The detail came from the store.
        assert_eq!(s.detail_of(0, 1).unwrap().proposal_note, "nộp muộn");
        // p: the proposal with its note as the reason.
        keys(&mut store, &mut s, dir.path(), "p");
        drive(
            &mut store,
            &mut s,
            dir.path(),
            Action::Key(Key::plain(KeyCode::Enter)),
        );
        assert_eq!(s.message.as_ref().unwrap().text, "Đã lưu");
        // The detail pane shows the new history at once.
        assert_eq!(s.detail_of(0, 1).map(|d| d.log.len()), Some(1));
        let stored = store.item_state("SNV", "1.2").unwrap();
        assert_eq!(stored.council, Some(d("3")));
        assert_eq!(s.session.item(0, 1), &stored);
        let detail = store.item_detail("SNV", "1.2").unwrap();
        assert_eq!(detail.log.len(), 1);
        assert_eq!(detail.log[0].by, "thu.ky");
        // u appends an undo; nothing is deleted.
        keys(&mut store, &mut s, dir.path(), "u");
        assert_eq!(store.item_state("SNV", "1.2").unwrap().council, None);
        assert_eq!(store.item_detail("SNV", "1.2").unwrap().log.len(), 2);
        keys(&mut store, &mut s, dir.path(), "U");
        assert_eq!(
            store.item_state("SNV", "1.2").unwrap().council,
            Some(d("3"))
        );
    }

    #[test]
    fn a_write_by_someone_else_meanwhile_is_refused_as_stale() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = store(dir.path());
        let session = store.load_session().unwrap().unwrap();
        let mut s = AppState::new(session, Keymap::default(), Lang::Vi, "thu.ky");
        s.clock = fixed_clock;
        keys(&mut store, &mut s, dir.path(), "n");
        // Another reviewer decides through their own connection.
        let mut other = Store::open_existing(
            &dir.path().join("phien.sqlite"),
            council::io::system::host(),
        )
        .unwrap();
        other
            .record(
                "SNV",
                "1.2",
                &DecisionAction::Decide {
                    score: d("4"),
                    reason: String::new(),
                },
                "lan",
                "2026-11-23T09:01:00+07:00",
                None,
            )
            .unwrap();
        keys(&mut store, &mut s, dir.path(), "e");
        drive(
            &mut store,
            &mut s,
            dir.path(),
            Action::Key(Key::plain(KeyCode::Enter)),
        );
        keys(&mut store, &mut s, dir.path(), "thiếu tài liệu");
        drive(
            &mut store,
            &mut s,
            dir.path(),
            Action::Key(Key::plain(KeyCode::Enter)),
        );
        let message = s.message.clone().unwrap();
        assert_eq!(message.kind, MessageKind::Error, "{}", message.text);
        // The other decision stands and is now on screen.
        assert_eq!(
            store.item_state("SNV", "1.2").unwrap().council,
            Some(d("4"))
        );
        assert_eq!(s.session.item(0, 1).council, Some(d("4")));
    }

    #[test]
    fn x_exports_and_asks_before_overwriting() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = store(dir.path());
        let session = store.load_session().unwrap().unwrap();
        let mut s = AppState::new(session, Keymap::default(), Lang::Vi, "thu.ky");
        keys(&mut store, &mut s, dir.path(), "x1");
        let results = dir.path().join("export").join("results.csv");
        assert!(results.exists());
        assert!(s.message.as_ref().unwrap().text.starts_with("Đã xuất"));
        std::fs::write(&results, "old").unwrap();
        keys(&mut store, &mut s, dir.path(), "x1");
        assert!(matches!(s.overlay, Some(Overlay::Confirm(_))));
        assert_eq!(std::fs::read_to_string(&results).unwrap(), "old");
        keys(&mut store, &mut s, dir.path(), "n");
        assert_eq!(std::fs::read_to_string(&results).unwrap(), "old");
        keys(&mut store, &mut s, dir.path(), "x1y");
        assert_ne!(std::fs::read_to_string(&results).unwrap(), "old");
        // x then 2: the workbook, beside the CSV files.
        keys(&mut store, &mut s, dir.path(), "x2");
        assert!(dir.path().join("export").join("ket-qua.xlsx").exists());
        assert!(s.message.as_ref().unwrap().text.starts_with("Đã xuất"));
    }
}
