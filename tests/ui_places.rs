//! Counters and places: where `n` / `N` are, `c` and `Esc` keeping your place, folding the
//! overview's groups, the columns that stay at every width, the hint bar's quit, and the
//! reason kept after a refused save. Keystrokes through the real keymap and `update`,
//! asserted on the rendered frame (ratatui's TestBackend) as the runner draws it.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests stop at the first failure

use council::app::keymap::{Key, KeyCode, Keymap};
use council::app::overlay::Overlay;
use council::app::sample::{sample_detail, sample_session};
use council::app::screens::diff::{DiffBase, DiffContent, DiffData};
use council::app::{Action, AppState, Screen, update};
use council::domain::Session;
use council::lang::Lang;
use council::tui::report_viewport;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use rust_decimal::Decimal;
use std::str::FromStr;

fn d(text: &str) -> Decimal {
    Decimal::from_str(text).unwrap()
}

fn fixed_clock() -> String {
    "2026-11-23T09:00:00+07:00".to_string()
}

fn utc_plus_7() -> council::domain::time::Zone {
    council::domain::time::Zone::Fixed(chrono::FixedOffset::east_opt(7 * 3600).unwrap())
}

fn state_of(session: Session, lang: Lang, (width, height): (u16, u16)) -> AppState {
    let mut state = AppState::new(session, Keymap::default(), lang, "thu.ky");
    state.clock = fixed_clock;
    state.zone = utc_plus_7();
    update(&mut state, Action::Resize(width, height));
    report_viewport(&mut state, width, height);
    state
}

fn state(size: (u16, u16)) -> AppState {
    state_of(sample_session(), Lang::Vi, size)
}

/// One key as the runner handles it: update, the detail it asks for, the viewport of the
/// frame it draws next.
fn press_key(state: &mut AppState, key: Key) {
    update(state, Action::Key(key));
    if let Some((unit, leaf)) = state.current_item()
        && state.detail_of(unit, leaf).is_none()
    {
        let detail = sample_detail();
        update(state, Action::DetailLoaded { unit, leaf, detail });
    }
    report_viewport(state, state.width, state.height);
}

fn press(state: &mut AppState, keys: &str) {
    for c in keys.chars() {
        press_key(state, Key::ch(c));
    }
}

fn key(state: &mut AppState, code: KeyCode) {
    press_key(state, Key::plain(code));
}

fn draw(state: &AppState) -> String {
    let mut terminal = Terminal::new(TestBackend::new(state.width, state.height)).unwrap();
    terminal
        .draw(|frame| frame.render_widget(state, frame.area()))
        .unwrap();
    terminal.backend().to_string()
}

/// The frame's lines, without the quotes TestBackend puts around them.
fn lines(frame: &str) -> Vec<String> {
    frame
        .lines()
        .map(|l| l.trim_matches('"').trim_end().to_string())
        .collect()
}

/// The line with the selection marker ▶ in the gutter.
fn selected_line(frame: &str) -> String {
    lines(frame)
        .into_iter()
        .find(|l| l.starts_with('▶'))
        .unwrap_or_else(|| panic!("no selected row:\n{frame}"))
}

/// The frame without its message line (the second last), which says what the last key did.
fn without_message(frame: &str) -> Vec<String> {
    let mut all = lines(frame);
    let message = all.len() - 2;
    all.remove(message);
    all
}

// ----- n / N -----

#[test]
fn n_and_shift_n_say_where_they_are_among_the_disputed_items() {
    let mut s = state((80, 24));
    // The sample: 4 items need the council (SNV 1.1.2, SNV 2.1, PCL 1.2, XBH 2.2).
    press(&mut s, "n");
    assert!(draw(&s).contains("tranh chấp 1/4"), "{}", draw(&s));
    press(&mut s, "n");
    assert!(draw(&s).contains("tranh chấp 2/4"));
    press(&mut s, "nn");
    assert!(draw(&s).contains("tranh chấp 4/4"));
    // Wraps around, both ways.
    press(&mut s, "n");
    assert!(draw(&s).contains("tranh chấp 1/4"));
    press(&mut s, "N");
    assert!(draw(&s).contains("tranh chấp 4/4"));
    press(&mut s, "N");
    assert!(draw(&s).contains("tranh chấp 3/4"));

    let mut en = state_of(sample_session(), Lang::En, (80, 24));
    press(&mut en, "nn");
    assert!(draw(&en).contains("disputed 2/4"), "{}", draw(&en));
}

#[test]
fn the_counter_counts_every_item_n_stops_at() {
    // A decision on a self-score that has changed since stops n too: it is counted once.
    let mut session = sample_session();
    let item = session.item_mut(1, 2);
    item.council = Some(item.self_points());
    item.decision_stale = true;
    let mut s = state_of(session, Lang::Vi, (80, 24));
    press(&mut s, "n");
    assert!(draw(&s).contains("tranh chấp 1/5"), "{}", draw(&s));
}

// ----- the diff view -----

/// SNV's diff (its scorecard through `:`, then `D`), loaded against its self-scores.
fn diff_of_snv(s: &mut AppState, reasons: Vec<String>) {
    press(s, ":SNV");
    key(s, KeyCode::Enter);
    press(s, "D");
    update(
        s,
        Action::DiffLoaded {
            unit: 0,
            base: DiffBase::SelfScores,
            result: Ok(DiffData {
                versions: vec![1],
                content: DiffContent::Reasons(reasons),
            }),
        },
    );
}

#[test]
fn the_diff_counter_counts_what_it_shows() {
    let mut s = state((80, 24));
    diff_of_snv(&mut s, vec![String::new(); 6]);
    assert!(draw(&s).contains("2 thay đổi (1/2)"), "{}", draw(&s));
    press(&mut s, "n");
    let frame = draw(&s);
    assert!(frame.contains("2 thay đổi (2/2)"), "{frame}");
    assert!(
        frame.contains("thay đổi 2/2"),
        "the message line too:\n{frame}"
    );
    press(&mut s, "n");
    assert!(draw(&s).contains("thay đổi 1/2"));
}

#[test]
fn the_diff_counter_stays_beside_a_long_unit_name() {
    let mut session = sample_session();
    session.units[0].name = "Sở Nội vụ và các phòng, ban, đơn vị sự nghiệp trực thuộc tỉnh".into();
    let mut s = state_of(session, Lang::Vi, (80, 24));
    diff_of_snv(&mut s, vec![String::new(); 6]);
    let frame = draw(&s);
    let title = &lines(&frame)[1];
    assert!(title.starts_with(" SNV Sở Nội vụ và"), "{frame}");
    assert!(
        title.ends_with("· tự chấm → thẩm định · 2 thay đổi (1/2)"),
        "{frame}"
    );
}

#[test]
fn adjacent_changed_leaves_are_one_change_each() {
    // 1.1.1 and 1.1.2 change side by side: one run of lines, two changes.
    let mut session = sample_session();
    session.item_mut(0, 0).proposal = Some(d("1"));
    let mut s = state_of(session, Lang::Vi, (100, 30));
    diff_of_snv(&mut s, vec![String::new(); 6]);
    let frame = draw(&s);
    assert!(frame.contains("3 thay đổi (1/3)"), "{frame}");
    assert!(selected_line(&frame).contains("− 1.1.1"), "{frame}");
    press(&mut s, "n");
    let frame = draw(&s);
    assert!(frame.contains("(2/3)"), "{frame}");
    assert!(selected_line(&frame).contains("− 1.1.2"), "{frame}");
    press(&mut s, "n");
    assert!(selected_line(&draw(&s)).contains("− 2.1"));
    press(&mut s, "N");
    assert!(selected_line(&draw(&s)).contains("− 1.1.2"));
    // On the new line of a change, the counter still names that change.
    press(&mut s, "j");
    let frame = draw(&s);
    assert!(selected_line(&frame).contains("+ 1.1.2"), "{frame}");
    assert!(frame.contains("(2/3)"), "{frame}");
    press(&mut s, "n");
    assert!(selected_line(&draw(&s)).contains("− 2.1"));
}

// ----- c and Esc -----

#[test]
fn compare_opens_on_the_unit_you_came_from() {
    let mut s = state((120, 40));
    // SNV's 1.1.2, across units; move to another unit there, then leave.
    press(&mut s, "nc");
    assert!(selected_line(&draw(&s)).contains("SNV"));
    press(&mut s, "jj");
    key(&mut s, KeyCode::Esc);
    key(&mut s, KeyCode::Esc);
    // XBH (the last unit of the overview), its 1.1.2, then c: on XBH, not where the
    // comparison was left.
    press(&mut s, ":XBH 1.1.2");
    key(&mut s, KeyCode::Enter);
    assert_eq!(s.current_item(), Some((3, 1)), "XBH 1.1.2");
    press(&mut s, "c");
    assert_eq!(s.screen(), Screen::Compare);
    let frame = draw(&s);
    assert!(selected_line(&frame).contains("XBH Xã Bảo Hà"), "{frame}");
}

#[test]
fn esc_from_compare_brings_back_the_same_screen_row_and_scroll() {
    // 80×16: the scorecard's table shows a few rows, so the last ones are scrolled to.
    let mut s = state((80, 16));
    press(&mut s, ":XBH");
    key(&mut s, KeyCode::Enter);
    press(&mut s, "+G");
    assert!(s.scorecard.offset > 0, "scrolled");
    let before = draw(&s);
    press(&mut s, "c");
    assert_eq!(s.screen(), Screen::Compare);
    assert!(selected_line(&draw(&s)).contains("XBH"), "{}", draw(&s));
    // Move about in the comparison, then back.
    press(&mut s, "kks");
    key(&mut s, KeyCode::Esc);
    assert_eq!(s.screen(), Screen::Scorecard);
    assert_eq!(without_message(&draw(&s)), without_message(&before));

    // The same from the middle of the table, and from the overview's scorecard of another
    // unit: a unit's scorecard and place are kept.
    press(&mut s, "kkk");
    let before = draw(&s);
    press(&mut s, "c");
    press(&mut s, "G");
    key(&mut s, KeyCode::Esc);
    assert_eq!(without_message(&draw(&s)), without_message(&before));
}

// ----- the overview's groups -----

#[test]
fn group_rows_select_fold_and_show_their_marker() {
    let mut s = state((80, 24));
    let frame = draw(&s);
    assert!(selected_line(&frame).contains("STC"), "{frame}");
    // Up onto the group's heading: it is selected, marked ▾ (open).
    press(&mut s, "k");
    let frame = draw(&s);
    let heading = selected_line(&frame);
    assert!(heading.contains("▾ Sở, ban, ngành (3 đơn vị"), "{frame}");
    // h folds it: ▸, its units hidden, the other group untouched.
    press(&mut s, "h");
    let frame = draw(&s);
    assert!(
        selected_line(&frame).contains("▸ Sở, ban, ngành"),
        "{frame}"
    );
    assert!(
        !frame.contains("Sở Tài chính") && !frame.contains("Sở Nội vụ"),
        "{frame}"
    );
    assert!(frame.contains("▾ Xã, phường") && frame.contains("Xã Bảo Hà"));
    // l opens it again.
    press(&mut s, "l");
    let frame = draw(&s);
    assert!(
        selected_line(&frame).contains("▾ Sở, ban, ngành"),
        "{frame}"
    );
    assert!(frame.contains("Sở Tài chính"));
    // - folds every group, + opens them all.
    press(&mut s, "-");
    let frame = draw(&s);
    assert!(frame.contains("▸ Sở, ban, ngành") && frame.contains("▸ Xã, phường"));
    assert!(
        !frame.contains("Sở Tài chính") && !frame.contains("Xã Bảo Hà"),
        "{frame}"
    );
    press(&mut s, "+");
    let frame = draw(&s);
    assert!(frame.contains("▾ Sở, ban, ngành") && frame.contains("▾ Xã, phường"));
    assert!(frame.contains("Sở Tài chính") && frame.contains("Xã Bảo Hà"));
}

#[test]
fn h_on_a_unit_folds_its_group_and_enter_on_a_heading_toggles_it() {
    let mut s = state((80, 24));
    press(&mut s, "G");
    assert!(selected_line(&draw(&s)).contains("XBH"));
    press(&mut s, "h");
    let frame = draw(&s);
    assert!(selected_line(&frame).contains("▸ Xã, phường"), "{frame}");
    assert!(!frame.contains("XBH"));
    key(&mut s, KeyCode::Enter);
    assert_eq!(s.screen(), Screen::Overview, "Enter on a heading stays");
    assert!(selected_line(&draw(&s)).contains("▾ Xã, phường"));
    key(&mut s, KeyCode::Enter);
    assert!(selected_line(&draw(&s)).contains("▸ Xã, phường"));
    // n from a folded group's unit opens the group to show where it went.
    press(&mut s, "-");
    press(&mut s, "n");
    assert_eq!(s.screen(), Screen::Scorecard);
    key(&mut s, KeyCode::Esc);
    let frame = draw(&s);
    assert!(selected_line(&frame).contains("PCL"), "{frame}");
}

#[test]
fn a_filtered_group_says_how_many_of_its_units_it_shows() {
    let mut s = state((80, 24));
    press(&mut s, "f");
    let frame = draw(&s);
    // Sở, ban, ngành: only SNV has something open.
    assert!(
        frame.contains("▾ Sở, ban, ngành (1/3 đơn vị · 2 tranh chấp)"),
        "{frame}"
    );
}

// ----- widths -----

const WIDTHS: std::ops::RangeInclusive<u16> = 80..=200;

/// The header line of the scorecard's table.
fn scorecard_header(frame: &str) -> String {
    lines(frame)
        .into_iter()
        .find(|l| l.contains("Tiêu chí") || l.contains("Criterion"))
        .unwrap_or_default()
}

#[test]
fn the_maximum_stays_at_every_width_from_80_to_200() {
    for width in WIDTHS {
        for height in [24, 40] {
            let mut s = state((width, height));
            press(&mut s, "n");
            let frame = draw(&s);
            let header = scorecard_header(&frame);
            for column in ["Tối đa", "Tự chấm", "Đề xuất", "Hội đồng", "Δ"] {
                assert!(
                    header.contains(column),
                    "{column} at {width}×{height}:\n{frame}"
                );
            }
            // The values too: 1.1.2's maximum 2 beside its self-score 2 and proposal 1.
            let row = selected_line(&frame);
            let figures: Vec<&str> = row.split_whitespace().collect();
            assert!(figures.windows(3).any(|w| w == ["2", "2", "1"]), "{row}");
            // The comparison's title keeps it whatever the criterion's title.
            press(&mut s, "c");
            let frame = draw(&s);
            assert!(
                frame.contains("· Tối đa 2"),
                "compare at {width}×{height}:\n{frame}"
            );
            // And the presenter.
            press(&mut s, "P");
            assert!(
                draw(&s).contains("Tối đa 2"),
                "presenter at {width}×{height}"
            );
        }
    }
    let mut en = state_of(sample_session(), Lang::En, (80, 24));
    press(&mut en, "n");
    assert!(
        scorecard_header(&draw(&en)).contains("Max"),
        "{}",
        draw(&en)
    );
}

#[test]
fn columns_give_way_in_order_and_never_the_maximum() {
    let header = |width: u16| {
        let mut s = state((width, 24));
        press(&mut s, "n");
        scorecard_header(&draw(&s))
    };
    // Wide enough for all: the evidence count is there.
    assert!(header(100).ends_with("Trạng thái TL"), "{}", header(100));
    // 80 columns (and 120, where the detail pane takes the right): the evidence count went
    // first, everything else stays.
    for width in [80, 120] {
        let h = header(width);
        assert!(!h.contains(" TL"), "{width}: {h}");
        assert!(
            h.contains("Tối đa") && h.contains("Trạng thái"),
            "{width}: {h}"
        );
    }
}

#[test]
fn the_invalid_status_has_a_short_word_in_a_narrow_column() {
    // XBH claims more than 1.2's maximum: its claim is invalid until the council decides.
    let mut session = sample_session();
    let item = session.item_mut(3, 2);
    item.clamped = Some(item.self_points());
    for width in [80, 120, 160] {
        let mut s = state_of(session.clone(), Lang::Vi, (width, 24));
        press(&mut s, ":XBH 1.2");
        key(&mut s, KeyCode::Enter);
        let row = selected_line(&draw(&s));
        assert!(row.contains("k.hợp lệ"), "{width}: {row}");
        assert!(!row.contains("không hợ"), "never cut: {row}");
        // Across units too.
        press(&mut s, "c");
        let row = selected_line(&draw(&s));
        assert!(
            row.contains("XBH") && row.contains("k.hợp lệ"),
            "{width}: {row}"
        );
    }
}

#[test]
fn compare_keeps_the_status_before_the_note_with_long_unit_codes() {
    // Codes as long as data/sample's (VPUBND, SVHTTDL): at 80 columns the note goes first.
    let mut session = sample_session();
    session.units[0].code = "SVHTTDL".into();
    let mut s = state_of(session, Lang::Vi, (80, 24));
    press(&mut s, "nc");
    let frame = draw(&s);
    let header = lines(&frame)
        .into_iter()
        .find(|l| l.contains("Đơn vị"))
        .unwrap_or_default();
    assert!(header.contains("Trạng thái"), "{frame}");
    assert!(selected_line(&frame).contains("tranh chấp"), "{frame}");
    // With room, the note is there too.
    let mut s = state_of(sample_session(), Lang::Vi, (120, 24));
    press(&mut s, "nc");
    assert!(draw(&s).contains("Ghi chú"));
}

/// The last line: the hint bar.
fn hint_bar(frame: &str) -> String {
    lines(frame).pop().unwrap_or_default()
}

#[test]
fn the_hint_bar_keeps_quit_on_every_screen_at_every_width() {
    for width in WIDTHS {
        let mut s = state((width, 24));
        assert!(
            hint_bar(&draw(&s)).ends_with("q  thoát"),
            "overview at {width}"
        );
        press(&mut s, "n");
        assert!(
            hint_bar(&draw(&s)).ends_with("q  thoát"),
            "scorecard at {width}"
        );
        press(&mut s, "c");
        assert!(
            hint_bar(&draw(&s)).ends_with("q  thoát"),
            "compare at {width}"
        );
        key(&mut s, KeyCode::Esc);
        press(&mut s, "D");
        let frame = draw(&s);
        assert!(
            hint_bar(&frame).ends_with("q  thoát"),
            "diff at {width}:\n{frame}"
        );
        // Help comes first, always.
        assert!(hint_bar(&frame).starts_with(" ?  trợ giúp"), "{frame}");
    }
}

#[test]
fn overlays_keep_their_close_key_at_80_columns() {
    for width in [80, 100] {
        let mut s = state((width, 24));
        press(&mut s, "/");
        assert!(
            draw(&s).contains("Esc: đóng"),
            "search at {width}:\n{}",
            draw(&s)
        );
        key(&mut s, KeyCode::Esc);
        press(&mut s, ":");
        assert!(
            draw(&s).contains("Esc: đóng"),
            "go to at {width}:\n{}",
            draw(&s)
        );
        key(&mut s, KeyCode::Esc);
        press(&mut s, "ne");
        key(&mut s, KeyCode::Enter);
        assert!(
            draw(&s).contains("Esc: huỷ"),
            "reason at {width}:\n{}",
            draw(&s)
        );
        let mut s = meeting((width, 30));
        press(&mut s, "A");
        assert!(
            draw(&s).contains("Esc / q: đóng"),
            "agenda list at {width}:\n{}",
            draw(&s)
        );
    }
}

// ----- the meeting -----

const NOW: i64 = 1_800_000_000;

fn fixed_now() -> i64 {
    NOW
}

/// The sample's agenda, on its first item, 2:15 into it and 41:07 into the meeting.
fn meeting(size: (u16, u16)) -> AppState {
    use council::app::screens::agenda::MeetingEvent;
    use council::domain::agenda::{AgendaOrder, build};
    let mut s = state(size);
    s.meeting.now = fixed_now;
    let items = build(&s.session, AgendaOrder::Unit);
    update(&mut s, Action::Meeting(MeetingEvent::AgendaLoaded(items)));
    press(&mut s, "]");
    s.meeting.item_started = Some(NOW - 135);
    s.meeting.meeting_started = Some(NOW - 2467);
    s
}

#[test]
fn the_meeting_clocks_are_never_cut() {
    for width in WIDTHS {
        let s = meeting((width, 30));
        let frame = draw(&s);
        let bar = &lines(&frame)[1];
        assert!(
            bar.ends_with("còn 4 · mục này 02:15 · phiên họp 41:07"),
            "{width}: {bar}"
        );
        assert!(bar.contains("Đang bàn 1/4"), "{width}: {bar}");
        assert!(hint_bar(&frame).ends_with("q  thoát"), "{width}");
        assert!(
            scorecard_header(&frame).contains("Tối đa"),
            "{width}:\n{frame}"
        );
    }
    // Below 80 columns they lose their names before they are cut.
    let s = meeting((60, 30));
    let bar = lines(&draw(&s))[1].clone();
    assert!(bar.ends_with("còn 4 · 02:15 · 41:07"), "{bar}");
}

#[test]
fn the_presenter_keeps_its_clocks_and_maximum() {
    for width in [80, 100, 120, 140, 160, 200] {
        let mut s = meeting((width, 30));
        s.presentation = true;
        let frame = draw(&s);
        assert!(frame.contains("phiên họp 41:07"), "{width}:\n{frame}");
        assert!(frame.contains("Tối đa 2"), "{width}:\n{frame}");
    }
}

#[test]
fn the_presenter_says_where_n_went() {
    let mut s = state((80, 24));
    press(&mut s, "nP");
    press(&mut s, "n");
    assert!(
        lines(&draw(&s)).pop().unwrap().contains("tranh chấp 2/4"),
        "{}",
        draw(&s)
    );
    // In a meeting too, beside the presenter's keys.
    let mut s = meeting((100, 35));
    s.presentation = true;
    press(&mut s, "n");
    let footer = lines(&draw(&s)).pop().unwrap();
    assert!(footer.starts_with(" ] mục tiếp"), "{footer}");
    assert!(footer.contains("? trợ giúp"), "{footer}");
    assert!(footer.ends_with(" tranh chấp 2/4"), "{footer}");
    // At 80 columns the presenter's keys still end with help.
    let mut s = meeting((80, 24));
    s.presentation = true;
    let footer = lines(&draw(&s)).pop().unwrap();
    assert!(footer.ends_with("? trợ giúp"), "{footer}");
}

// ----- snapshots of the counters -----

const SNAPSHOT_SIZES: [(u16, u16); 3] = [(80, 24), (120, 40), (160, 48)];

#[test]
fn snapshot_the_counters() {
    for (w, h) in SNAPSHOT_SIZES {
        let mut s = state((w, h));
        press(&mut s, "nn");
        insta::assert_snapshot!(format!("counter_scorecard_{w}x{h}"), draw(&s));
        let mut s = state((w, h));
        diff_of_snv(&mut s, vec![String::new(); 6]);
        press(&mut s, "n");
        insta::assert_snapshot!(format!("counter_diff_{w}x{h}"), draw(&s));
        let mut s = state((w, h));
        press(&mut s, "k-");
        insta::assert_snapshot!(format!("counter_groups_folded_{w}x{h}"), draw(&s));
    }
}

#[test]
fn snapshot_the_counters_without_colour() {
    let mut s = state((80, 24));
    s.no_color = true;
    press(&mut s, "nn");
    let buf = council::ui::render_to_buffer(&s, 80, 24);
    // NO_COLOR: not one cell is coloured; what colour would say is in the text.
    let coloured = buf
        .content()
        .iter()
        .find(|c| c.fg != ratatui::style::Color::Reset || c.bg != ratatui::style::Color::Reset);
    assert!(coloured.is_none(), "{coloured:?}");
    insta::assert_snapshot!("counter_scorecard_no_color_80x24", draw(&s));
    press(&mut s, "D");
    update(
        &mut s,
        Action::DiffLoaded {
            unit: 0,
            base: DiffBase::SelfScores,
            result: Ok(DiffData {
                versions: vec![1],
                content: DiffContent::Reasons(vec![String::new(); 6]),
            }),
        },
    );
    press(&mut s, "n");
    insta::assert_snapshot!("counter_diff_no_color_80x24", draw(&s));
}

// ----- the kept reason -----

mod with_a_real_store {
    use super::*;
    use council::domain::{Code, CriterionDef, CriterionKind, DecisionAction, Framework, Unit};
    use council::io::{ImportBatch, ProposalRow, SelfScoreRow};
    use council::store::Store;
    use council::tui::run_effects;
    use std::path::Path;

    fn def(code: &str, max: &str) -> CriterionDef {
        CriterionDef {
            code: Code::parse(code).unwrap(),
            title: format!("Tiêu chí {code}"),
            max_points: d(max),
            min_points: Decimal::ZERO,
            step: Some(d("0.5")),
            kind: CriterionKind::Score,
            rule: String::new(),
        }
    }

    fn row(code: &str, score: &str) -> SelfScoreRow {
        SelfScoreRow {
            criterion_code: code.into(),
            in_self_scores: true,
            score: Some(d(score)),
            note: String::new(),
            evidence: None,
        }
    }

    /// SNV with two leaves; the working group proposes 3 for 1.2 (self 4).
    fn store(dir: &Path) -> Store {
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

    fn drive(store: &mut Store, state: &mut AppState, dir: &Path, action: Action) {
        let mut effects = update(state, action);
        run_effects(store, state, &dir.join("export"), &mut effects);
    }

    fn keys(store: &mut Store, state: &mut AppState, dir: &Path, text: &str) {
        for c in text.chars() {
            let action = match c {
                '\n' => Action::Key(Key::plain(KeyCode::Enter)),
                c => Action::Key(Key::ch(c)),
            };
            drive(store, state, dir, action);
        }
    }

    /// Lan decides SNV 1.2 through a connection of her own.
    fn lan_decides(dir: &Path, score: &str, reason: &str) {
        let mut other =
            Store::open_existing(&dir.join("phien.sqlite"), council::io::system::host()).unwrap();
        let action = DecisionAction::Decide {
            score: d(score),
            reason: reason.into(),
        };
        other
            .record(
                "SNV",
                "1.2",
                &action,
                "lan",
                "2026-11-23T09:01:00+07:00",
                None,
            )
            .unwrap();
    }

    #[test]
    fn a_save_refused_because_another_decided_first_keeps_the_reason() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = store(dir.path());
        let session = store.load_session().unwrap().unwrap();
        let mut s = AppState::new(session, Keymap::default(), Lang::Vi, "thu.ky");
        s.clock = fixed_clock;
        s.zone = utc_plus_7();
        drive(&mut store, &mut s, dir.path(), Action::Resize(100, 30));
        // The proposal 3 in the score editor, then a reason, while Lan decides 4.
        keys(&mut store, &mut s, dir.path(), "ne\n");
        keys(&mut store, &mut s, dir.path(), "thiếu tài liệu");
        lan_decides(dir.path(), "4", "Đủ hồ sơ");
        keys(&mut store, &mut s, dir.path(), "\n");
        // Refused; the editor is open again with what was typed, beside Lan's decision.
        let Some(Overlay::Reason(editor)) = &s.overlay else {
            panic!("the reason editor again: {:?}", s.overlay);
        };
        assert_eq!(editor.text(), "thiếu tài liệu");
        assert_eq!(editor.score, d("3"));
        let frame = draw(&s);
        assert!(
            frame.contains("Người khác đã quyết định mục này trước bạn"),
            "{frame}"
        );
        // Their name (and login), the local time, their score and reason.
        assert!(frame.contains("│lan ("), "{frame}");
        assert!(
            frame.contains(" · 2026-11-23 09:01 · quyết định 4 — Đủ hồ sơ"),
            "{frame}"
        );
        assert!(frame.contains("thiếu tài liệu"), "{frame}");
        assert!(frame.contains("Hội đồng 3"), "your score:\n{frame}");
        // Their decision stands until you save again, which now goes through.
        assert_eq!(
            store.item_state("SNV", "1.2").unwrap().council,
            Some(d("4"))
        );
        keys(&mut store, &mut s, dir.path(), "\n");
        assert!(s.overlay.is_none());
        assert_eq!(s.message.as_ref().unwrap().text, "Đã lưu");
        assert_eq!(
            store.item_state("SNV", "1.2").unwrap().council,
            Some(d("3"))
        );
        let detail = store.item_detail("SNV", "1.2").unwrap();
        let last = detail.log.last().unwrap();
        assert_eq!(
            last.action,
            DecisionAction::Decide {
                score: d("3"),
                reason: "thiếu tài liệu".into()
            }
        );
    }

    #[test]
    fn esc_in_the_reopened_editor_leaves_their_decision() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = store(dir.path());
        let session = store.load_session().unwrap().unwrap();
        let mut s = AppState::new(session, Keymap::default(), Lang::En, "clerk");
        s.clock = fixed_clock;
        s.zone = utc_plus_7();
        drive(&mut store, &mut s, dir.path(), Action::Resize(80, 24));
        keys(&mut store, &mut s, dir.path(), "ne\nlate");
        lan_decides(dir.path(), "2", "hồ sơ nộp muộn");
        keys(&mut store, &mut s, dir.path(), "\n");
        let frame = draw(&s);
        assert!(
            frame.contains("Someone else decided this item before you"),
            "{frame}"
        );
        assert!(
            frame.contains(" · 2026-11-23 09:01 · decided 2 — hồ sơ nộp muộn"),
            "{frame}"
        );
        drive(
            &mut store,
            &mut s,
            dir.path(),
            Action::Key(Key::plain(KeyCode::Esc)),
        );
        assert!(s.overlay.is_none());
        assert_eq!(
            store.item_state("SNV", "1.2").unwrap().council,
            Some(d("2"))
        );
    }
}
