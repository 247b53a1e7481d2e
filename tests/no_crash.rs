//! No crash reaches the user: a closed pipe ends a command quietly, the screen without a
//! terminal says so in one line.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests stop at the first failure

mod common;

use common::{council, text, write_session};
use std::path::Path;
use std::process::{Command, Stdio};

/// Runs the binary with its stdout a pipe whose reading end is closed before it writes
/// (as `council history | head -0` would); returns the exit code and stderr.
fn with_closed_stdout(dir: &Path, args: &[&str]) -> (Option<i32>, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_council"))
        .args(args)
        .current_dir(dir)
        // Witness files stay in the test's folder, never in the user's state folder.
        .env("XDG_STATE_HOME", dir.join(".state"))
        .env("USER", "thư ký")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    (out.status.code(), text(&out.stderr))
}

fn imported() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let folder = write_session(tmp.path());
    assert!(
        council(tmp.path(), &["import", folder.to_str().unwrap()])
            .status
            .success()
    );
    tmp
}

#[test]
fn every_command_ends_quietly_on_a_closed_pipe() {
    let tmp = imported();
    let dir = tmp.path();
    let folder = dir.join("session");
    let folder = folder.to_str().unwrap();
    for args in [
        vec!["history"],
        vec!["history", "--format", "csv"],
        vec!["summary"],
        vec!["diff", "--all"],
        vec!["diff", "--all", "--colour", "always"],
        vec!["agenda", "build"],
        vec!["agenda", "show"],
        vec!["verify"],
        vec!["check", folder],
        vec!["import", folder, "--dry-run"],
        vec!["export", "--out", "out", "--force"],
        vec!["decide", "--unit", "SNV", "--criterion", "1.1", "--accept"],
        vec!["--help"],
        vec!["--version"],
        vec!["history", "--lang", "en"],
    ] {
        let (code, stderr) = with_closed_stdout(dir, &args);
        assert!(
            matches!(code, Some(0) | Some(141)),
            "{args:?} exited {code:?}: {stderr}"
        );
        assert!(stderr.is_empty(), "{args:?} printed: {stderr}");
    }
    // The decision was still recorded before its confirmation met the closed pipe.
    let history = text(&council(dir, &["history", "--format", "csv"]).stdout);
    assert!(history.contains("SNV,1.1,"), "{history}");
}

#[test]
fn a_closed_stderr_does_not_crash_an_error_either() {
    let tmp = imported();
    let mut child = Command::new(env!("CARGO_BIN_EXE_council"))
        .args(["decide", "--unit", "NOPE", "--criterion", "1.1", "--accept"])
        .current_dir(tmp.path())
        // Witness files stay in the test's folder, never in the user's state folder.
        .env("XDG_STATE_HOME", tmp.path().join(".state"))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stderr.take());
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(3));
}

#[test]
fn the_screen_without_a_terminal_says_so_in_one_line() {
    let tmp = tempfile::tempdir().unwrap();
    let folder = write_session(tmp.path());
    for lang in ["vi", "en"] {
        let out = Command::new(env!("CARGO_BIN_EXE_council"))
            .args([folder.to_str().unwrap(), "--lang", lang])
            .current_dir(tmp.path())
            // Witness files stay in the test's folder, never in the user's state folder.
            .env("XDG_STATE_HOME", tmp.path().join(".state"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1));
        let stderr = text(&out.stderr);
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert!(stderr.contains("terminal"), "{stderr}");
        assert!(!stderr.contains("panicked") && !stderr.contains("backtrace"));
    }
    // Nothing was imported for a screen that could not start.
    assert!(!folder.join("council.db").exists());
}
