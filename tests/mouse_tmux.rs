//! The mouse end to end: the real binary in tmux takes the mouse (tmux sees the mode turned
//! on, and off again at the end), a double click in the terminal's own encoding opens a
//! unit, and `--no-mouse` or `mouse = false` in the settings file leave the mouse alone.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests stop at the first failure

mod common;

use common::tmux::Tmux;
use common::{council, text, write_session};

/// Whether the program in the pane asked for mouse events (tmux's own record of it).
fn mouse_mode(tmux: &Tmux, session: &str) -> bool {
    tmux.run(&["display", "-p", "-t", session, "#{mouse_any_flag}"])
        .trim()
        == "1"
}

/// A press and release of the left button at a cell (1-based), as xterm's SGR mode sends it.
fn click(tmux: &Tmux, session: &str, column: u16, row: u16) {
    for end in ['M', 'm'] {
        tmux.keys(session, &format!("\x1b[<0;{column};{row}{end}"));
    }
}

/// The 1-based cell where `needle` starts on the screen.
fn cell_of(screen: &str, needle: &str) -> (u16, u16) {
    for (y, line) in screen.lines().enumerate() {
        if let Some(at) = line.find(needle) {
            return (line[..at].chars().count() as u16 + 1, y as u16 + 1);
        }
    }
    panic!("{needle} is not on the screen:\n{screen}");
}

fn header(screen: &str) -> &str {
    screen.lines().next().unwrap_or("")
}

#[test]
fn a_double_click_opens_a_unit_and_the_mouse_can_be_left_to_the_terminal() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let folder = write_session(dir);
    let import = council(
        dir,
        &["import", folder.to_str().unwrap(), "--db", "council.db"],
    );
    assert!(import.status.success(), "{}", text(&import.stderr));
    let config = dir.join("config.toml");
    std::fs::write(&config, "mouse = false\n").unwrap();
    let no_config = format!("COUNCIL_CONFIG='{}'", dir.join("none.toml").display());
    let with_config = format!("COUNCIL_CONFIG='{}'", config.display());

    let tmux = Tmux::start("mouse");
    tmux.open_with("on", dir, "thư ký", &no_config, "", (120, 40));
    tmux.open_with("flag", dir, "thư ký", &no_config, "--no-mouse", (120, 40));
    tmux.open_with("file", dir, "thư ký", &with_config, "", (120, 40));
    for session in ["on", "flag", "file"] {
        tmux.wait_for(session, "the overview", 10, |s| s.contains("Sở Tài chính"));
    }
    assert!(mouse_mode(&tmux, "on"));
    assert!(!mouse_mode(&tmux, "flag"));
    assert!(!mouse_mode(&tmux, "file"));

    let screen = tmux.screen("on");
    let (x, y) = cell_of(&screen, "Sở Tài chính");
    click(&tmux, "on", x, y);
    click(&tmux, "on", x, y);
    tmux.wait_for("on", "STC's scorecard", 5, |s| {
        header(s).contains("STC Sở Tài chính")
    });
    // A click on the breadcrumb's "Tổng hợp" goes back.
    let screen = tmux.screen("on");
    let (x, y) = cell_of(&screen, "Tổng hợp");
    click(&tmux, "on", x + 1, y);
    tmux.wait_for("on", "the overview again", 5, |s| {
        !header(s).contains("STC") && s.contains("Sở Tài chính")
    });
    // The screen gives the mouse back when it quits (the pane is kept to look at it).
    tmux.run(&["set-option", "-t", "on", "remain-on-exit", "on"]);
    tmux.keys("on", "q");
    let dead = || {
        tmux.run(&["display", "-p", "-t", "on", "#{pane_dead}"])
            .trim()
            == "1"
    };
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    while !dead() {
        assert!(
            std::time::Instant::now() < deadline,
            "the screen did not quit"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    assert!(!mouse_mode(&tmux, "on"), "the mouse mode stayed on");
    for session in ["flag", "file"] {
        tmux.keys(session, "q");
    }
}
