//! Every folder under tests/malformed/ holds a session folder with one kind of defect (or a few,
//! for the "several errors" case) and an expected.txt listing, one per line, the start of an
//! error that the import must report: "file:line:column: message…" with the file's bare name.
//! Each case is read with --strict (which refuses everything it always refused). A case whose
//! only defects are self-scores that break their leaf's rule also has claims.txt: without
//! --strict it is imported, with those warnings.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests stop at the first failure

use council::io::import::{ImportOptions, read_session, read_session_dir};
use std::path::{Path, PathBuf};

fn rendered(error: &council::io::InputError) -> String {
    let name = error
        .file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut place = name;
    if let Some(line) = error.line {
        place.push_str(&format!(":{line}"));
        if let Some(column) = error.column {
            place.push_str(&format!(":{column}"));
        }
    }
    format!("{place}: {}", error.message())
}

fn cases() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/malformed");
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&root)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.is_dir())
        .collect();
    cases.sort();
    cases
}

#[test]
fn every_malformed_folder_is_refused_with_its_expected_errors() {
    let cases = cases();
    assert!(cases.len() >= 25, "only {} cases", cases.len());
    let mut failures = Vec::new();
    for case in &cases {
        let expected = std::fs::read_to_string(case.join("expected.txt")).unwrap();
        let expected: Vec<&str> = expected.lines().filter(|l| !l.trim().is_empty()).collect();
        assert!(
            !expected.is_empty(),
            "{} has no expectations",
            case.display()
        );
        if let Some(failure) = check_lenient_read(case) {
            failures.push(failure);
        }
        match read_session(case, None, ImportOptions { strict: true }).map_err(|r| r.errors) {
            Ok(imported) => failures.push(format!(
                "{}: imported without errors ({} warnings)",
                case.display(),
                imported.warnings.len()
            )),
            Err(errors) => {
                let shown: Vec<String> = errors.iter().map(rendered).collect();
                for fragment in expected {
                    if !shown.iter().any(|s| s.starts_with(fragment)) {
                        failures.push(format!(
                            "{}: no error starts with\n    {fragment}\n  errors were:\n    {}",
                            case.file_name().unwrap().to_string_lossy(),
                            shown.join("\n    ")
                        ));
                    }
                }
                // Every error points into the case folder, at a file that exists there.
                for error in &errors {
                    assert!(error.file.starts_with(case), "{}", error.file.display());
                }
            }
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

/// Without --strict: a case with claims.txt imports with those warnings; any other is refused
/// as with --strict.
fn check_lenient_read(case: &Path) -> Option<String> {
    let name = case.file_name().unwrap().to_string_lossy().into_owned();
    let claims = std::fs::read_to_string(case.join("claims.txt")).ok();
    match (read_session_dir(case, None), claims) {
        (Ok(imported), Some(claims)) => {
            let shown: Vec<String> = imported.warnings.iter().map(rendered).collect();
            let missing: Vec<&str> = claims
                .lines()
                .filter(|l| !l.trim().is_empty())
                .filter(|l| !shown.iter().any(|s| s.starts_with(l)))
                .collect();
            (!missing.is_empty()).then(|| {
                format!("{name}: no warning starts with {missing:?}; warnings: {shown:#?}")
            })
        }
        (Ok(_), None) => Some(format!("{name}: imported without --strict")),
        (Err(errors), Some(_)) => Some(format!(
            "{name}: refused without --strict: {:#?}",
            errors.iter().map(rendered).collect::<Vec<_>>()
        )),
        (Err(_), None) => None,
    }
}

#[test]
fn the_displayed_error_carries_the_path_line_and_column() {
    let case = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/malformed/score_nan");
    let errors = read_session_dir(&case, None).unwrap_err();
    let expected = format!(
        "{}:3:3: self_score: 'NaN' is not a number of points",
        case.join("self_scores.csv").display()
    );
    assert!(
        errors.iter().any(|e| e.to_string().starts_with(&expected)),
        "{errors:?}"
    );
}
