//! Replays the fuzz corpus (fuzz/corpus/TARGET/) and every crash input kept in
//! tests/malformed_extra/fuzz_crashes/TARGET/ through the same checks the fuzz targets run
//! (fuzz/fuzz_targets/checks.rs), so a fixed crash stays fixed without nightly Rust.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests stop at the first failure

#[path = "../fuzz/fuzz_targets/checks.rs"]
mod checks;

use std::path::Path;

/// Every regular file of `dir` (none if it does not exist), README excluded.
fn inputs(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<(String, Vec<u8>)> = entries
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file() && p.file_name().is_some_and(|n| n != "README"))
        .map(|p| (p.display().to_string(), std::fs::read(&p).unwrap()))
        .collect();
    files.sort();
    files
}

/// Replays `target`'s corpus through `corpus_check` and its kept crash inputs through `check`.
fn replay_with(target: &str, corpus_check: fn(&[u8]), check: fn(&[u8])) -> usize {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut count = 0;
    for (dir, check) in [
        (root.join("fuzz/corpus").join(target), corpus_check),
        // `target` may be "../open/TARGET" for the crashes still open; that corpus path is absent.
        (
            root.join("tests/malformed_extra/fuzz_crashes").join(target),
            check,
        ),
    ] {
        for (name, bytes) in inputs(&dir) {
            let outcome = std::panic::catch_unwind(|| check(&bytes));
            assert!(outcome.is_ok(), "{target} fails on {name}");
            count += 1;
        }
    }
    println!("{target}: {count} inputs replayed");
    count
}

fn replay(target: &str, check: fn(&[u8])) -> usize {
    replay_with(target, check, check)
}

#[test]
fn parse_score_inputs() {
    replay("parse_score", |bytes| {
        // libFuzzer skips inputs that are not UTF-8 for a &str target; so do we.
        if let Ok(text) = std::str::from_utf8(bytes) {
            checks::parse_score(text);
        }
    });
    for text in [
        "0,5",
        "-1.5",
        "+2",
        " 6,5 ",
        "1e3",
        "NaN",
        "٣",
        "0,5,5",
        "99999999999999999999999",
    ] {
        checks::parse_score(text);
    }
}

#[test]
fn criteria_tree_inputs() {
    replay("criteria_tree", checks::criteria_tree);
    checks::criteria_tree(&[0, 0, 0, 4, 0, 0, 3, 1, 0, 0, 4, 0, 0, 3]);
}

#[test]
fn csv_import_inputs() {
    // The corpus and every kept crash input are checked in full (the criteria.csv bug the
    // fuzzer found is fixed).
    replay("csv_import", |bytes| {
        checks::csv_import_checked(bytes, false)
    });
    checks::csv_import_checked(
        b"\x01unit_code,criterion_code,self_score\nSNV,1.1,4\n",
        false,
    );
    checks::csv_import_checked(b"\x00code,title,max_points\n1,A,1\n", false);
}

#[test]
fn terminal_safe_inputs() {
    replay("terminal_safe", checks::terminal_safe);
    for text in [
        "\x1b]0;pwned\x07",
        "\\",
        "\\\\x1b",
        "a\\\u{1b}",
        "\u{202e}\u{2066}\u{9b}\u{85}\r\n\t",
        "\\u{41}",
    ] {
        checks::terminal_safe(text.as_bytes());
    }
}

#[test]
fn workbook_import_inputs() {
    assert!(replay("workbook_import", checks::workbook_import) > 0);
    // A truncated zip, an OLE signature alone, nothing at all: each form refused.
    for body in [&b"PK\x03\x04"[..], b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b""] {
        for place in 0..4u8 {
            checks::workbook_import(&[&[place], body].concat());
        }
    }
}
