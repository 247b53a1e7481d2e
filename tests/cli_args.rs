//! The command line's parsing and its language: free-text values may start with "-", and
//! every line a run writes is in the language of `--lang` (Vietnamese by default), clap's own
//! help and usage errors included.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests stop at the first failure

mod common;

use common::{council, text, write_session};
use std::path::Path;

fn imported() -> (tempfile::TempDir, String) {
    let tmp = tempfile::tempdir().unwrap();
    let folder = write_session(tmp.path());
    let folder = folder.to_str().unwrap().to_string();
    let import = council(tmp.path(), &["import", &folder]);
    assert!(import.status.success(), "{}", text(&import.stderr));
    (tmp, folder)
}

fn history_csv(dir: &Path) -> String {
    text(&council(dir, &["history", "--format", "csv"]).stdout)
}

#[test]
fn reasons_and_names_may_start_with_a_hyphen() {
    let (tmp, _) = imported();
    let dir = tmp.path();
    for (criterion, reason) in [("1.2", "-1 điểm"), ("1.1", "- Thiếu tài liệu kiểm chứng")]
    {
        // The value first, more options after it: clap still reads the rest.
        let out = council(
            dir,
            &[
                "decide",
                "--unit",
                "SNV",
                "--reason",
                reason,
                "--criterion",
                criterion,
                "--score",
                "3",
                "--by",
                "-",
            ],
        );
        assert!(out.status.success(), "{reason}: {}", text(&out.stderr));
        let login = &council::io::system::account().login;
        assert!(history_csv(dir).contains(&format!(",-,{login},decide,3,{reason}")));
    }
    let out = council(
        dir,
        &[
            "decide",
            "--as",
            "-thư ký",
            "--unit",
            "STC",
            "--criterion",
            "1.1",
            "--accept",
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let login = &council::io::system::account().login;
    assert!(history_csv(dir).contains(&format!("-thư ký,{login},decide,5,")));
    // `--reason=-x` and a reason after a negative score.
    let out = council(
        dir,
        &[
            "decide",
            "--unit",
            "STC",
            "--criterion",
            "2.1",
            "--score",
            "-1",
            "--reason=-0,5: thiếu",
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = council(
        dir,
        &["finalize", "--force", "--reason", "-- hội đồng thống nhất"],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
}

#[test]
fn codes_starting_with_a_hyphen_are_looked_up_not_refused_as_options() {
    let (tmp, _) = imported();
    let dir = tmp.path();
    // Each is read as a value and found unknown (exit 3), not refused by the parser (exit 2).
    for args in [
        vec!["decide", "--unit", "-SNV", "--criterion", "1.1", "--accept"],
        vec!["decide", "--unit", "SNV", "--criterion", "-1.1", "--accept"],
        vec!["diff", "--unit", "-SNV"],
        vec!["history", "--unit", "-SNV"],
    ] {
        let out = council(dir, &args);
        assert_eq!(
            out.status.code(),
            Some(3),
            "{args:?}: {}",
            text(&out.stderr)
        );
        assert!(text(&out.stderr).contains("-SNV") || text(&out.stderr).contains("-1.1"));
    }
    // Our own checks answer these, with exit code 2.
    for args in [
        vec!["summary", "--bands", "-A"],
        vec!["diff", "--unit", "SNV", "--against", "-self"],
    ] {
        let out = council(dir, &args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let stderr = text(&out.stderr);
        assert!(
            !stderr.contains("unexpected argument"),
            "{args:?}: {stderr}"
        );
    }
    // A database and an export folder named with a leading hyphen.
    let out = council(dir, &["summary", "--db", "-council.db"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("-council.db"));
    let out = council(dir, &["export", "--out", "-ket-qua"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(dir.join("-ket-qua/results.csv").exists());
}

/// English words that must not appear in a Vietnamese run (the data of write_session has none).
const ENGLISH: &[&str] = &[
    "error",
    "warning",
    "adjusted",
    "agreed",
    "pending",
    "disputed",
    "exist",
    "Usage",
    "Options",
    "Arguments",
    "Commands",
    "Print",
    "help",
    "appraised",
    "current",
    "submission",
    "decide",
    "undo",
    "unexpected",
    "required",
    "invalid",
    "found",
    "expected",
    "Imported",
    "Valid",
    "Agenda",
    "intact",
    "entries",
    "finalised",
];

/// Vietnamese words that must not appear in an English run.
const VIETNAMESE: &[&str] = &[
    "lỗi",
    "cảnh báo",
    "Cách dùng",
    "Tùy chọn",
    "Tham số",
    "tự chấm",
    "thẩm định",
    "điều chỉnh",
    "giữ nguyên",
    "quyết định",
    "tranh chấp",
    "chương trình",
    "Nhật ký",
    "mục",
    "đã có",
];

/// Command names are the same in either language (`council decide`, the help's list).
const COMMANDS: &[&str] = &[
    "import", "check", "decide", "export", "summary", "diff", "history", "finalize", "verify",
    "agenda", "build", "show", "clear",
];

/// The words of `text`, without option names, paths, column names and command names
/// (`council agenda build` is a command in either language).
fn words(text: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut skip = 0;
    let split = text.split(|c: char| !c.is_alphanumeric() && !"-_/.".contains(c));
    for word in split.filter(|w| !w.starts_with('-') && !w.contains('/') && !w.contains('_')) {
        if COMMANDS.contains(&word) {
            continue;
        }
        if skip > 0 {
            skip -= 1;
            skip += usize::from(word == "agenda");
        } else if word == "council" {
            skip = 1;
        } else {
            words.push(word.to_string());
        }
    }
    words
}

fn assert_language(args: &[&str], out: &std::process::Output, lang: &str) {
    let shown = format!("{}{}", text(&out.stdout), text(&out.stderr));
    if lang == "vi" {
        let words = words(&shown);
        for english in ENGLISH {
            assert!(
                !words.iter().any(|w| w.eq_ignore_ascii_case(english)),
                "{args:?} --lang vi says {english:?}:\n{shown}"
            );
        }
    } else {
        for vietnamese in VIETNAMESE {
            assert!(
                !shown.contains(vietnamese),
                "{args:?} --lang en says {vietnamese:?}:\n{shown}"
            );
        }
    }
}

#[test]
fn every_command_speaks_one_language() {
    for lang in ["vi", "en"] {
        let (tmp, folder) = imported();
        let dir = tmp.path();
        let runs: Vec<Vec<&str>> = vec![
            vec!["check", &folder],
            vec!["import", &folder, "--dry-run"],
            vec!["import", &folder],
            vec![
                "decide",
                "--unit",
                "SNV",
                "--criterion",
                "1.2",
                "--score",
                "2,5",
                "--reason",
                "muộn",
            ],
            vec!["decide", "--unit", "SNV", "--criterion", "1.1", "--accept"],
            vec![
                "decide",
                "--unit",
                "STC",
                "--criterion",
                "1.1",
                "--proposal",
            ],
            vec![
                "decide",
                "--unit",
                "XBH",
                "--criterion",
                "1.1",
                "--proposal",
            ],
            vec![
                "decide",
                "--unit",
                "SNV",
                "--criterion",
                "1.2",
                "--score",
                "9",
            ],
            vec!["decide", "--unit", "NOPE", "--criterion", "1.2", "--accept"],
            vec!["summary"],
            vec!["diff", "--all"],
            vec!["diff", "--unit", "SNV", "--against", "version:1"],
            vec!["diff", "--unit", "SNV", "--against", "nonsense"],
            vec!["history"],
            vec!["agenda", "build"],
            vec!["agenda", "build"],
            vec!["agenda", "show"],
            vec!["verify"],
            vec!["export", "--out", "out"],
            vec!["export", "--out", "out"],
            vec!["finalize"],
            vec!["finalize", "--force", "--reason", "đủ"],
            vec!["decide", "--unit", "SNV", "--criterion", "1.1", "--accept"],
            vec!["agenda", "clear"],
            // clap's own: help, usage errors.
            vec!["--help"],
            vec!["decide", "--help"],
            vec!["help", "agenda", "build"],
            vec!["decide", "--unit", "SNV"],
            vec![
                "decide",
                "--unit",
                "SNV",
                "--criterion",
                "1.1",
                "--scor",
                "1",
            ],
            vec!["diff", "--context", "many", "--unit", "SNV"],
            vec!["agenda"],
            vec!["agenda", "build", "--order", "size"],
            vec!["summary", "--bands", "A=x"],
            vec!["finalize", "--force"],
            vec![
                "decide",
                "--unit",
                "SNV",
                "--criterion",
                "1.1",
                "--accept",
                "--proposal",
            ],
        ];
        for args in runs {
            let mut with_lang = args.clone();
            with_lang.extend(["--lang", lang]);
            let out = council(dir, &with_lang);
            assert_language(&args, &out, lang);
        }
    }
}

#[test]
fn vietnamese_is_the_default_and_usage_errors_exit_2() {
    let tmp = tempfile::tempdir().unwrap();
    let out = council(tmp.path(), &["decide", "--unit", "SNV", "--scor", "1"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(stderr.starts_with("lỗi: "), "{stderr}");
    assert!(
        stderr.contains("'--scor'") && stderr.contains("'--score'"),
        "{stderr}"
    );
    assert!(stderr.contains("Cách dùng: council decide"), "{stderr}");
    let help = council(tmp.path(), &["decide", "--help"]);
    assert!(help.status.success());
    let help = text(&help.stdout);
    assert!(help.contains("Ghi một quyết định"), "{help}");
    assert!(help.contains("--reason <LÝ_DO>"), "{help}");
    assert!(help.contains("Tùy chọn:"), "{help}");
    let english = council(tmp.path(), &["decide", "--help", "--lang", "en"]);
    assert!(text(&english.stdout).contains("Record a council decision"));
    let english = council(tmp.path(), &["--lang=en", "decide", "--scor", "1"]);
    assert_eq!(english.status.code(), Some(2));
    assert!(text(&english.stderr).starts_with("error: "));
}

#[test]
fn decisions_are_confirmed_in_the_language_and_its_numbers() {
    let (tmp, _) = imported();
    let dir = tmp.path();
    let vi = council(
        dir,
        &[
            "decide",
            "--unit",
            "SNV",
            "--criterion",
            "1.2",
            "--score",
            "2.5",
            "--reason",
            "muộn",
        ],
    );
    assert_eq!(text(&vi.stdout), "SNV 1.2 → 2,5 (điều chỉnh)\n");
    let en = council(
        dir,
        &[
            "decide",
            "--unit",
            "SNV",
            "--criterion",
            "1.2",
            "--score",
            "2,5",
            "--reason",
            "muộn",
            "--lang",
            "en",
        ],
    );
    assert_eq!(text(&en.stdout), "SNV 1.2 → 2.5 (adjusted)\n");
    let agreed = council(
        dir,
        &["decide", "--unit", "SNV", "--criterion", "1.1", "--accept"],
    );
    assert_eq!(text(&agreed.stdout), "SNV 1.1 → 6 (đồng ý)\n");
    // Numbers inside messages too: criterion 2.1's maximum is 5,5.
    let above = [
        "decide",
        "--unit",
        "SNV",
        "--criterion",
        "2.1",
        "--score",
        "6",
        "--reason",
        "x",
    ];
    let vi = text(&council(dir, &above).stderr);
    assert!(vi.contains("5,5") && !vi.contains("5.5"), "{vi}");
    let en = text(&council(dir, &[&above[..], &["--lang", "en"]].concat()).stderr);
    assert!(en.contains("5.5") && !en.contains("5,5"), "{en}");
    // Files keep the English codes: they are a contract.
    assert!(council(dir, &["export", "--out", "out"]).status.success());
    let results = std::fs::read_to_string(dir.join("out/results.csv")).unwrap();
    assert!(results.contains(",council,adjusted,"), "{results}");
    let history = history_csv(dir);
    assert!(history.contains(",decide,2.5,"), "{history}");
}
