//! One keymap per context: the editor, the questions, the agenda list and the help take their
//! keys from the keymap (and so from the keys file), the reason editor is a real text area,
//! and a paste goes into the open input in one piece.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests stop at the first failure

use council::app::keymap::{Key, KeyCode, Keymap};
use council::app::overlay::Overlay;
use council::app::sample::{sample_detail, sample_session};
use council::app::{Action, AppState, Effect, update};
use council::domain::DecisionAction;
use council::domain::agenda::{AgendaOrder, build};
use council::lang::Lang;

fn fixed_clock() -> String {
    "2026-11-23T09:00:00+07:00".to_string()
}

fn state_with(keymap: Keymap) -> AppState {
    let mut state = AppState::new(sample_session(), keymap, Lang::Vi, "thu.ky");
    state.clock = fixed_clock;
    update(&mut state, Action::Resize(160, 48));
    state
}

fn press(state: &mut AppState, keys: &str) -> Vec<Effect> {
    keys.chars()
        .flat_map(|c| update(state, Action::Key(Key::ch(c))))
        .collect()
}

fn key(state: &mut AppState, key: Key) -> Vec<Effect> {
    update(state, Action::Key(key))
}

fn code(code: KeyCode) -> Key {
    Key::plain(code)
}

fn ctrl_code(code: KeyCode) -> Key {
    Key {
        code,
        ctrl: true,
        alt: false,
        shift: false,
    }
}

fn reason_text(state: &AppState) -> String {
    match &state.overlay {
        Some(Overlay::Reason(editor)) => editor.text(),
        other => panic!("reason editor expected, found {other:?}"),
    }
}

fn decided_reason(effects: &[Effect]) -> Option<String> {
    effects.iter().find_map(|e| match e {
        Effect::Record(r) => match &r.action {
            DecisionAction::Decide { reason, .. } => Some(reason.clone()),
            _ => None,
        },
        _ => None,
    })
}

/// SNV 1.1.2, the reason editor open on 0,5 (a reason is required).
fn reason_editor() -> AppState {
    let mut s = state_with(Keymap::default());
    press(&mut s, "n");
    update(
        &mut s,
        Action::DetailLoaded {
            unit: 0,
            leaf: 1,
            detail: sample_detail(),
        },
    );
    press(&mut s, "e");
    key(&mut s, code(KeyCode::Backspace));
    press(&mut s, "0,5");
    key(&mut s, code(KeyCode::Enter));
    assert_eq!(reason_text(&s), "");
    s
}

#[test]
fn the_reason_editor_moves_by_characters_words_and_lines() {
    let mut s = reason_editor();
    press(&mut s, "quá hạn");
    // Ctrl+← goes to the start of "hạn": the word goes in before it.
    key(&mut s, ctrl_code(KeyCode::Left));
    press(&mut s, "rất ");
    assert_eq!(reason_text(&s), "quá rất hạn");
    // Home, then a word at the start; End, then a new line and more.
    key(&mut s, code(KeyCode::Home));
    press(&mut s, "Nộp ");
    key(&mut s, code(KeyCode::End));
    key(&mut s, Key::ctrl('j'));
    press(&mut s, "18/20");
    // ← twice, then Delete removes the character after the cursor (the 2 of 20).
    key(&mut s, code(KeyCode::Left));
    key(&mut s, code(KeyCode::Left));
    key(&mut s, code(KeyCode::Delete));
    assert_eq!(reason_text(&s), "Nộp quá rất hạn\n18/0");
    // ↑ goes to the line above; Ctrl+W deletes the word before the cursor there.
    key(&mut s, code(KeyCode::Up));
    key(&mut s, code(KeyCode::End));
    key(&mut s, Key::ctrl('w'));
    assert_eq!(reason_text(&s), "Nộp quá rất \n18/0");
    // Ctrl+Z undoes it.
    key(&mut s, Key::ctrl('z'));
    assert_eq!(reason_text(&s), "Nộp quá rất hạn\n18/0");
    let effects = key(&mut s, code(KeyCode::Enter));
    assert_eq!(
        decided_reason(&effects).as_deref(),
        Some("Nộp quá rất hạn\n18/0")
    );
    assert!(s.overlay.is_none());
}

#[test]
fn a_paste_goes_into_the_input_in_one_piece_without_control_characters() {
    let mut s = reason_editor();
    press(&mut s, "Lý do: ");
    let pasted = "dòng một\r\ndòng hai\u{1b}[31m đỏ\u{7}";
    assert!(update(&mut s, Action::Paste(pasted.into())).is_empty());
    // The line end of the paste is a new line, not Enter: nothing was saved.
    assert_eq!(reason_text(&s), "Lý do: dòng một\ndòng hai[31m đỏ");
    let effects = key(&mut s, code(KeyCode::Enter));
    assert_eq!(
        decided_reason(&effects).as_deref(),
        Some("Lý do: dòng một\ndòng hai[31m đỏ")
    );

    // A terminal that sends the paste's line ends as CR (tmux, many others): still lines.
    let mut s = reason_editor();
    update(&mut s, Action::Paste("một\rhai".into()));
    assert_eq!(reason_text(&s), "một\nhai");

    // Into the search: one line, and it searches.
    let mut s = state_with(Keymap::default());
    press(&mut s, "/");
    update(&mut s, Action::Paste("thu\ntuc".into()));
    let Some(Overlay::Search(search)) = &s.overlay else {
        panic!("search expected");
    };
    assert_eq!(search.query, "thu tuc");
    assert_eq!(search.hits.len(), 2);
    // On a screen without an input a paste does nothing.
    key(&mut s, code(KeyCode::Esc));
    assert!(update(&mut s, Action::Paste("q".into())).is_empty());
    assert!(!s.quit);
}

#[test]
fn every_context_follows_the_keys_file() {
    let keymap = Keymap::from_toml(
        r#"
        [editor]
        keymap = [{ on = "ctrl+s", run = "submit" }]
        [confirm]
        keymap = [{ on = "o", run = "yes" }]
        [agenda_list]
        keymap = [{ on = "d", run = "remove" }]
        [help]
        keymap = [{ on = "ctrl+q", run = "close" }]
        "#,
    )
    .unwrap();
    let mut s = state_with(keymap);
    // The editor: Enter no longer goes on, Ctrl+S does.
    press(&mut s, "ne");
    key(&mut s, code(KeyCode::Enter));
    assert!(matches!(s.overlay, Some(Overlay::Score(_))));
    key(&mut s, Key::ctrl('s'));
    assert!(matches!(s.overlay, Some(Overlay::Reason(_))));
    // The hint bar says so.
    let frame = council::ui::render_to_buffer(&s, 160, 48);
    let text: String = frame.content().iter().map(|c| c.symbol()).collect();
    assert!(text.contains("Ctrl+S: lưu"), "{text}");
    key(&mut s, code(KeyCode::Esc));

    // The question: o answers yes, y no longer does.
    update(
        &mut s,
        Action::ExportNeedsConfirm {
            dir: "export".into(),
            existing: vec!["export/results.csv".into()],
        },
    );
    assert!(press(&mut s, "y").is_empty());
    assert!(matches!(s.overlay, Some(Overlay::Confirm(_))));
    assert_eq!(press(&mut s, "o"), vec![Effect::Export { overwrite: true }]);

    // The agenda list: d removes, x no longer does.
    let items = build(&s.session, AgendaOrder::Unit);
    let count = items.len();
    update(
        &mut s,
        Action::Meeting(council::app::screens::agenda::MeetingEvent::AgendaLoaded(
            items,
        )),
    );
    press(&mut s, "A");
    press(&mut s, "x");
    assert_eq!(s.meeting.agenda.len(), count);
    press(&mut s, "d");
    assert_eq!(s.meeting.agenda.len(), count - 1);
    key(&mut s, code(KeyCode::Esc));
    assert!(s.meeting.list.is_none());

    // The help: Esc is typed into nothing and no longer closes; Ctrl+Q does.
    press(&mut s, "?");
    key(&mut s, code(KeyCode::Esc));
    assert!(matches!(s.overlay, Some(Overlay::Help(_))));
    key(&mut s, Key::ctrl('q'));
    assert!(s.overlay.is_none());
}

#[test]
fn the_finalise_question_takes_the_confirm_keys() {
    let mut session = sample_session();
    for item in session.items.iter_mut() {
        item.proposal = None;
        item.flagged = false;
    }
    let mut s = AppState::new(session, Keymap::default(), Lang::Vi, "thu.ky");
    s.clock = fixed_clock;
    // k (không) answers no, as it does for the export question; c (có) answers yes.
    press(&mut s, "F");
    assert!(press(&mut s, "k").is_empty());
    assert!(s.overlay.is_none());
    press(&mut s, "F");
    let effects = press(&mut s, "c");
    assert!(matches!(effects.as_slice(), [Effect::Finalise { .. }]));
}
