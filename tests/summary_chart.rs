//! `council summary --chart` on the bundled sample: the index % distribution and the band
//! counts as text bars, unicode blocks in a UTF-8 locale and plain ASCII in the C locale.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests stop at the first failure

mod common;

use common::{council, text};
use std::path::Path;
use std::process::{Command, Output};

/// data/sample imported into a fresh folder.
fn sample_session(dir: &Path) {
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/sample");
    let folder = dir.join("sample");
    std::fs::create_dir_all(&folder).unwrap();
    for entry in std::fs::read_dir(&sample).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "csv") {
            std::fs::copy(&path, folder.join(path.file_name().unwrap())).unwrap();
        }
    }
    let import = council(dir, &["import", folder.to_str().unwrap()]);
    assert!(import.status.success(), "{}", text(&import.stderr));
}

/// `council summary --chart …` with only the locale variables given (the others removed).
fn chart(dir: &Path, locale: &[(&str, &str)], args: &[&str]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_council"));
    command
        .args(["summary", "--chart"])
        .args(args)
        .current_dir(dir)
        .env("XDG_STATE_HOME", dir.join(".state"))
        .env_remove("LC_ALL")
        .env_remove("LC_CTYPE")
        .env_remove("LANG");
    for (name, value) in locale {
        command.env(name, value);
    }
    command.output().unwrap()
}

fn line_with<'a>(out: &'a str, start: &str) -> &'a str {
    out.lines()
        .find(|l| l.starts_with(start))
        .unwrap_or_else(|| panic!("no line starting {start:?} in\n{out}"))
}

#[test]
fn utf8_locale_draws_unicode_blocks_with_counts_and_thresholds() {
    let tmp = tempfile::tempdir().unwrap();
    sample_session(tmp.path());
    let out = chart(tmp.path(), &[("LANG", "vi_VN.UTF-8")], &[]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = text(&out.stdout);
    assert!(out.starts_with("Chỉ số % của các đơn vị"), "{out}");
    // Highest range first; the largest count takes the whole 40 cells, the others in step.
    let bar = |n: usize| "█".repeat(n);
    assert_eq!(
        line_with(&out, "     95–100"),
        format!("     95–100  1 {}", bar(4))
    );
    assert_eq!(
        line_with(&out, " A ▸  90–95"),
        format!(" A ▸  90–95  3 {}", bar(12))
    );
    assert_eq!(
        line_with(&out, "      85–90"),
        format!("      85–90 10 {}", bar(40))
    );
    assert_eq!(
        line_with(&out, " B ▸  80–85"),
        format!(" B ▸  80–85  4 {}", bar(16))
    );
    // The lowest band above 0 is shown even with no unit in it; zero has no bar.
    assert_eq!(line_with(&out, " C ▸  70–75"), " C ▸  70–75  0");
    assert!(out.contains("Xếp loại (số đơn vị)\n"), "{out}");
    assert_eq!(line_with(&out, " B ≥80"), format!(" B ≥80 14 {}", bar(40)));
    assert_eq!(line_with(&out, " D ≥0"), " D ≥0   0");
    assert!(!out.contains('#'), "{out}");
}

#[test]
fn c_locale_draws_plain_ascii() {
    let tmp = tempfile::tempdir().unwrap();
    sample_session(tmp.path());
    for locale in [
        &[("LANG", "C")][..],
        &[][..],
        // LC_ALL wins over LANG, LC_CTYPE too.
        &[("LC_ALL", "C"), ("LANG", "en_US.UTF-8")][..],
        &[("LC_CTYPE", "POSIX"), ("LANG", "en_US.UTF-8")][..],
    ] {
        let out = chart(tmp.path(), locale, &["--lang", "en"]);
        assert!(out.status.success(), "{}", text(&out.stderr));
        let out = text(&out.stdout);
        assert!(out.is_ascii(), "{locale:?}: not ASCII:\n{out}");
        assert!(out.starts_with("Index % of the units"), "{out}");
        assert_eq!(
            line_with(&out, " A >  90-95"),
            format!(" A >  90-95  3 {}", "#".repeat(12))
        );
        assert_eq!(
            line_with(&out, " B >=80"),
            format!(" B >=80 14 {}", "#".repeat(40))
        );
        assert_eq!(line_with(&out, " D >=0"), " D >=0   0");
    }
    // And LC_ALL=C.UTF-8 over LANG=C is UTF-8 again.
    let out = chart(
        tmp.path(),
        &[("LC_ALL", "C.UTF-8"), ("LANG", "C")],
        &["--lang", "en"],
    );
    assert!(text(&out.stdout).contains("█"));
}

#[test]
fn the_chart_follows_the_sessions_bands_and_a_bands_option() {
    let tmp = tempfile::tempdir().unwrap();
    sample_session(tmp.path());
    let configure = council(tmp.path(), &["configure", "--bands", "Đạt=85"]);
    assert!(configure.status.success(), "{}", text(&configure.stderr));
    let out = text(&chart(tmp.path(), &[("LANG", "C.UTF-8")], &[]).stdout);
    assert!(line_with(&out, " Đạt ▸  85–90 10").ends_with('█'), "{out}");
    // Below the last band, whose threshold is above 0: không xếp loại.
    assert!(
        line_with(&out, " không xếp loại  6").ends_with('█'),
        "{out}"
    );
    let once = text(&chart(tmp.path(), &[("LANG", "C.UTF-8")], &["--bands", "A=90,B=0"]).stdout);
    assert!(once.contains(" B ≥0  16 "), "{once}");
    assert!(!once.contains("không xếp loại"), "{once}");
}
