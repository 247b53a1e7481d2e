//! Text from other people never reaches a terminal as control: an imported folder whose note,
//! unit name and criterion title carry a window-title sequence, a clipboard write and a
//! right-to-left override, and decisions with such a reason and name, go through every
//! text-printing command; none of the raw bytes comes out, and the escapes are visible.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests stop at the first failure

mod common;

use common::{council, text, write_session};
use std::fs;
use std::path::Path;
use std::process::Output;

const TITLE: &str = "\x1b]0;pwned\x07";
const CLIPBOARD: &str = "\x1b]52;c;cm0gLXJmIH4=\x07";
const REVERSED: &str = "\u{202e}gnp.exe";
const CSI: &str = "\u{9b}2J";

/// The sample session with hostile text in a unit name, a criterion title and notes.
fn hostile_session(dir: &Path) -> String {
    let folder = write_session(dir);
    fs::write(
        folder.join("units.csv"),
        format!("unit_code,unit_name,group\nSNV,Sở Nội vụ{TITLE},Sở\nSTC,Sở Tài chính{REVERSED},Sở\nXBH,Xã Bảo Hà,Xã{CSI}\n"),
    )
    .unwrap();
    let criteria = fs::read_to_string(folder.join("criteria.csv")).unwrap();
    fs::write(
        folder.join("criteria.csv"),
        criteria.replace("Báo cáo định kỳ", &format!("Báo cáo định kỳ{CLIPBOARD}")),
    )
    .unwrap();
    fs::write(
        folder.join("self_scores.csv"),
        format!(
            "unit_code,criterion_code,self_score,note\n\
             SNV,1.1,6,Ghi chú{TITLE}\nSNV,1.2,\"3,5\",{CLIPBOARD}\nSNV,2.1,\"5,5\",{REVERSED}\n\
             STC,1.1,5,\nSTC,1.2,4,\nSTC,2.1,\"-1,5\",\nXBH,1.1,6,\nXBH,1.2,\"3,5\",\nXBH,2.1,\"5,5\",\n"
        ),
    )
    .unwrap();
    fs::write(
        folder.join("proposals.csv"),
        format!(
            "unit_code,criterion_code,proposed_score,note\nSNV,1.2,3,Muộn{TITLE}\nSTC,1.1,4,{CSI}\n"
        ),
    )
    .unwrap();
    folder.to_str().unwrap().to_string()
}

/// C0 and C1 controls, DEL and the bidirectional overrides and isolates (written out here so
/// that the test does not trust the function it tests).
fn acts_on_a_terminal(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Asserts that neither stream carries a raw control byte or a bidirectional override.
fn assert_safe(what: &str, out: &Output) {
    for (stream, bytes) in [("stdout", &out.stdout), ("stderr", &out.stderr)] {
        let shown = text(bytes);
        for c in shown.chars() {
            assert!(
                c == '\n' || !acts_on_a_terminal(c),
                "{what}: {stream} carries {c:?}:\n{shown}"
            );
        }
    }
}

#[test]
fn no_command_echoes_control_sequences_from_data() {
    let tmp = tempfile::tempdir().unwrap();
    let folder = hostile_session(tmp.path());
    let dir = tmp.path();

    let check = council(dir, &["check", &folder]);
    assert!(check.status.success(), "{}", text(&check.stderr));
    assert_safe("check", &check);
    let import = council(dir, &["import", &folder]);
    assert!(import.status.success(), "{}", text(&import.stderr));
    assert_safe("import", &import);

    let hostile_reason = format!("Lý do{TITLE}{REVERSED}");
    let hostile_name = format!("Thư ký{CLIPBOARD}");
    let decide = council(
        dir,
        &[
            "decide",
            "--unit",
            "SNV",
            "--criterion",
            "1.2",
            "--score",
            "2",
            "--reason",
            &hostile_reason,
            "--by",
            &hostile_name,
        ],
    );
    assert!(decide.status.success(), "{}", text(&decide.stderr));
    assert_safe("decide", &decide);

    // Errors that echo what was typed.
    let hostile_unit = format!("SNV{TITLE}");
    for args in [
        vec![
            "decide",
            "--unit",
            &hostile_unit,
            "--criterion",
            "1.1",
            "--accept",
        ],
        vec!["diff", "--unit", &hostile_unit],
        vec!["history", "--unit", &hostile_unit],
        vec![
            "decide",
            "--unit",
            "SNV",
            "--criterion",
            &hostile_unit,
            "--accept",
        ],
        vec![
            "decide",
            "--unit",
            "SNV",
            "--criterion",
            "1.2",
            "--score",
            &hostile_unit,
        ],
        vec!["summary", "--bands", &hostile_unit],
        vec!["diff", "--unit", "SNV", "--against", &hostile_unit],
    ] {
        let out = council(dir, &args);
        assert!(!out.status.success(), "{args:?}");
        assert_safe(&format!("{args:?}"), &out);
    }
    for lang in ["vi", "en"] {
        for args in [
            vec!["history"],
            vec!["history", "--unit", "SNV"],
            vec!["summary"],
            vec!["diff", "--all"],
            vec!["diff", "--all", "--against", "proposal"],
            vec!["diff", "--unit", "SNV", "--against", "version:1"],
            vec!["agenda", "build", "--force"],
            vec!["agenda", "show"],
            vec!["verify"],
            vec!["finalize"],
        ] {
            let mut args = args.clone();
            args.extend(["--lang", lang]);
            let out = council(dir, &args);
            assert_safe(&format!("{args:?}"), &out);
        }
    }

    // The escapes are shown, not dropped: a reader can still see what the file holds.
    let history = council(dir, &["history"]);
    let shown = text(&history.stdout);
    assert!(shown.contains("\\x1b]0;pwned\\x07"), "{shown}");
    assert!(shown.contains("\\u{202e}"), "{shown}");
    assert!(shown.contains("Thư ký\\x1b]52;c;"), "{shown}");
    let summary = text(&council(dir, &["summary"]).stdout);
    assert!(summary.contains("Sở Nội vụ\\x1b]0;pwned\\x07"), "{summary}");
}

#[test]
fn files_keep_the_exact_text() {
    let tmp = tempfile::tempdir().unwrap();
    let folder = hostile_session(tmp.path());
    let dir = tmp.path();
    assert!(council(dir, &["import", &folder]).status.success());
    // Piped, history CSV is a file format: the note comes out byte for byte.
    let csv = council(dir, &["history", "--format", "csv"]);
    assert!(text(&csv.stdout).contains(&format!("Ghi chú{TITLE}")));
    let export = council(dir, &["export", "--out", "out"]);
    assert!(export.status.success(), "{}", text(&export.stderr));
    assert_safe("export", &export);
    let results = fs::read_to_string(dir.join("out/results.csv")).unwrap();
    assert!(results.contains(&format!("Sở Nội vụ{TITLE}")));
}
