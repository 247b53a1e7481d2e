//! `council agenda build | show | import | clear` on a real database, through the binary.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests stop at the first failure

mod common;

use common::{council, text, write_session};
use std::fs;

fn imported() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let folder = write_session(tmp.path());
    let import = council(tmp.path(), &["import", folder.to_str().unwrap()]);
    assert!(import.status.success(), "{}", text(&import.stderr));
    tmp
}

#[test]
fn build_show_replace_and_clear() {
    let tmp = imported();
    let dir = tmp.path();
    let show = council(dir, &["agenda", "show", "--lang", "en"]);
    assert!(show.status.success(), "{}", text(&show.stderr));
    assert!(text(&show.stdout).contains("No agenda yet"));

    // Disputed: SNV 1.2 (3,5 → 3) and STC 1.1 (5 → 4). Unit order first.
    let build = council(dir, &["agenda", "build", "--lang", "en"]);
    assert!(build.status.success(), "{}", text(&build.stderr));
    let out = text(&build.stdout);
    let snv = out.find("SNV 1.2").expect("SNV 1.2 listed");
    let stc = out.find("STC 1.1").expect("STC 1.1 listed");
    assert!(snv < stc, "{out}");
    assert!(out.contains("Agenda saved: 2"), "{out}");

    // A saved agenda is not replaced silently.
    let again = council(
        dir,
        &["agenda", "build", "--order", "delta", "--lang", "en"],
    );
    assert_eq!(again.status.code(), Some(1));
    assert!(
        text(&again.stderr).contains("--force"),
        "{}",
        text(&again.stderr)
    );
    let forced = council(dir, &["agenda", "build", "--order", "delta", "--force"]);
    assert!(forced.status.success(), "{}", text(&forced.stderr));
    let show = text(&council(dir, &["agenda", "show", "--lang", "en"]).stdout);
    let stc = show.find("STC 1.1").unwrap();
    let snv = show.find("SNV 1.2").unwrap();
    assert!(stc < snv, "largest |Δ| first: {show}");
    assert!(show.contains("(2 items, left 2)"), "{show}");

    // A decision made elsewhere marks the item discussed.
    let decide = council(
        dir,
        &["decide", "--unit", "STC", "--criterion", "1.1", "--accept"],
    );
    assert!(decide.status.success(), "{}", text(&decide.stderr));
    let show = text(&council(dir, &["agenda", "show", "--lang", "en"]).stdout);
    assert!(show.contains("✓ STC 1.1"), "{show}");
    assert!(show.contains("left 1"), "{show}");

    let clear = council(dir, &["agenda", "clear", "--lang", "en"]);
    assert!(clear.status.success());
    assert!(text(&clear.stdout).contains("Agenda cleared: 2"));
    let show = text(&council(dir, &["agenda", "show", "--lang", "en"]).stdout);
    assert!(show.contains("No agenda yet"), "{show}");
}

#[test]
fn import_from_csv_with_errors_pointing_at_the_cell() {
    let tmp = imported();
    let dir = tmp.path();
    fs::write(
        dir.join("bad.csv"),
        "\u{feff}unit_code,criterion_code\r\nXBH,1.2\r\nABC,1.1\r\nSNV,7.7\r\n",
    )
    .unwrap();
    // In the run's language: Vietnamese by default, English with --lang en.
    let bad = council(dir, &["agenda", "import", "bad.csv"]);
    assert_eq!(bad.status.code(), Some(3));
    let errors = text(&bad.stderr);
    assert!(
        errors.contains("bad.csv:3:1: không có đơn vị mã 'ABC'"),
        "{errors}"
    );
    assert!(
        errors.contains("bad.csv:4:2: không có tiêu chí mã '7.7'"),
        "{errors}"
    );
    let bad = council(dir, &["agenda", "import", "bad.csv", "--lang", "en"]);
    assert_eq!(bad.status.code(), Some(3));
    let errors = text(&bad.stderr);
    assert!(
        errors.contains("bad.csv:3:1: unknown unit 'ABC'"),
        "{errors}"
    );
    assert!(
        errors.contains("bad.csv:4:2: unknown criterion '7.7'"),
        "{errors}"
    );
    let show = text(&council(dir, &["agenda", "show", "--lang", "en"]).stdout);
    assert!(show.contains("No agenda yet"), "nothing saved: {show}");

    fs::write(
        dir.join("agenda.csv"),
        "\u{feff}unit_code,criterion_code\r\nXBH,1.2\r\nSTC,\r\nSNV,2\r\n",
    )
    .unwrap();
    let good = council(dir, &["agenda", "import", "agenda.csv", "--lang", "en"]);
    assert!(good.status.success(), "{}", text(&good.stderr));
    let out = text(&good.stdout);
    let lines: Vec<&str> = out.lines().filter(|l| l.contains(". ")).collect();
    assert_eq!(lines.len(), 3, "{out}");
    assert!(lines[0].contains("XBH 1.2"), "{out}");
    assert!(
        lines[1].contains("STC —") && lines[1].contains("whole unit"),
        "{out}"
    );
    assert!(lines[2].contains("SNV 2"), "{out}");

    // Importing over it needs --force too.
    let again = council(dir, &["agenda", "import", "agenda.csv"]);
    assert_eq!(again.status.code(), Some(1));
    let missing = council(dir, &["agenda", "import", "nowhere.csv", "--force"]);
    assert_eq!(missing.status.code(), Some(3));
}
