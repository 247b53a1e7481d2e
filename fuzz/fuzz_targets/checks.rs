//! The properties the fuzz targets check, shared with tests/fuzz_regressions.rs (which replays
//! the corpus and every crash input found) so that both run the very same code.
#![allow(dead_code)]

use council::domain::score::{format_dot, format_vi, parse_score as parse};
use council::domain::{Code, CriterionDef, CriterionKind, Framework};
use council::io::import::read_session_dir;
use rust_decimal::Decimal;
use std::sync::OnceLock;

/// parse_score never panics; what it accepts round-trips through both formatters and is made of
/// digits, one optional sign and one optional separator.
pub fn parse_score(text: &str) {
    if let Ok(points) = parse(text) {
        let dot = format_dot(points);
        assert_eq!(parse(&dot), Ok(points), "{text:?} → {dot:?}");
        assert_eq!(parse(&format_vi(points)), Ok(points));
        assert!(
            text.trim()
                .chars()
                .all(|c| c.is_ascii_digit() || matches!(c, ',' | '.' | '-' | '+')),
            "accepted {text:?}"
        );
    }
}

/// Seven bytes make one criterion row: depth, code shape (2 bytes), max, min, step, kind.
fn def_from(bytes: &[u8]) -> Option<CriterionDef> {
    let depth = u32::from(bytes[0] % 4) + 1;
    // Few distinct codes, so that parents, duplicates and siblings meet often.
    let shape = u32::from(bytes[1]) | (u32::from(bytes[2]) << 8);
    let segments: Vec<String> = (0..depth)
        .map(|i| ((shape >> (3 * i)) % 3 + 1).to_string())
        .collect();
    let code = Code::parse(&segments.join(".")).ok()?;
    let points = |b: u8| Decimal::new(i64::from(b as i8), u32::from(b % 3));
    let step = (!bytes[5].is_multiple_of(4)).then(|| Decimal::new(i64::from(bytes[5] % 8), 1));
    let kind = match bytes[6] % 8 {
        0 => CriterionKind::Bonus,
        1 => CriterionKind::Penalty,
        2 => CriterionKind::Survey,
        _ => CriterionKind::Score,
    };
    Some(CriterionDef {
        code,
        title: String::new(),
        max_points: points(bytes[3]),
        min_points: points(bytes[4]),
        step,
        kind,
        rule: String::new(),
    })
}

/// Framework::build never panics, and a framework it accepts is consistent: every code can be
/// found, the roots' leaf ranges tile the leaves, leaf indexes agree with lookups.
pub fn criteria_tree(data: &[u8]) {
    let defs: Vec<CriterionDef> = data.chunks_exact(7).take(64).filter_map(def_from).collect();
    let codes: Vec<String> = defs.iter().map(|d| d.code.to_string()).collect();
    let Ok(framework) = Framework::build(defs) else {
        return;
    };
    for code in &codes {
        assert!(framework.find(code).is_some(), "{code} lost");
    }
    let leaves = framework.leaves().len();
    assert!(leaves > 0);
    let mut covered = 0;
    for &root in framework.roots() {
        let range = framework.leaf_range(root);
        assert_eq!(
            range.start, covered,
            "leaf ranges of roots must tile the leaves"
        );
        covered = range.end;
    }
    assert_eq!(covered, leaves);
    for (id, node) in framework.nodes().iter().enumerate() {
        assert!(framework.leaf_range(id).end <= leaves);
        if let Some(index) = node.leaf_index {
            assert_eq!(
                framework.leaf_index_of(&node.code().to_string()),
                Some(index)
            );
        }
    }
}

const CRITERIA: &str = "code,title,max_points,min_points,step,kind\n\
    1,Chỉ đạo,6,,,\n1.1,Kế hoạch,4,0,\"0,5\",\n1.2,Báo cáo,2,,1,\n\
    2,Điều tra,3,,,\n2.1,Hài lòng,3,,,survey\n3,Thưởng,1,,,bonus\n3.1,Sáng kiến,1,,,bonus\n";
const UNITS: &str = "unit_code,unit_name,group\nSNV,Sở Nội vụ,Sở\nSTC,Sở Tài chính,Sở\n";
const SELF_SCORES: &str =
    "unit_code,criterion_code,self_score,note\nSNV,1.1,\"3,5\",x\nSNV,1.2,2,\nSTC,1.1,4,\n";

fn skip_open_bugs() -> bool {
    static SKIP: OnceLock<bool> = OnceLock::new();
    *SKIP.get_or_init(|| std::env::var_os("COUNCIL_FUZZ_SKIP_OPEN").is_some())
}

fn folder() -> &'static tempfile::TempDir {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = tempfile::tempdir().expect("a temporary folder");
        std::fs::write(dir.path().join("units.csv"), UNITS).expect("write units.csv");
        dir
    })
}

/// read_session_dir on a folder whose criteria.csv or self_scores.csv is the input (its first
/// byte picks which), the other files fixed and valid: never panics, every error names one of
/// the folder's files, and an accepted folder has a framework.
pub fn csv_import(data: &[u8]) {
    csv_import_checked(data, skip_open_bugs());
}

/// [`csv_import`], with `skip_open` saying whether to skip the check of the bug still open.
pub fn csv_import_checked(data: &[u8], skip_open: bool) {
    let Some((&selector, body)) = data.split_first() else {
        return;
    };
    let dir = folder().path();
    let (fuzzed, fixed, fixed_text) = if selector % 2 == 0 {
        ("criteria.csv", "self_scores.csv", SELF_SCORES)
    } else {
        ("self_scores.csv", "criteria.csv", CRITERIA)
    };
    std::fs::write(dir.join(fuzzed), body).expect("write the fuzzed file");
    std::fs::write(dir.join(fixed), fixed_text).expect("write the fixed file");
    match read_session_dir(dir, None) {
        // COUNCIL_FUZZ_SKIP_OPEN=1 skips the check of the bug still open (see
        // tests/malformed_extra/fuzz_crashes/open/), so that fuzzing can look for others.
        Ok(imported) => assert!(
            imported.batch.framework.is_some() || skip_open,
            "a folder was accepted without a framework"
        ),
        Err(errors) => {
            assert!(!errors.is_empty());
            // Past 200 errors the last line counts the rest, about the folder as a whole.
            let listed = match errors.split_last() {
                Some((last, listed)) if errors.len() > 200 => {
                    assert!(last.file == dir && last.line.is_none(), "{last}");
                    listed
                }
                _ => &errors[..],
            };
            for error in listed {
                let name = error
                    .file
                    .file_name()
                    .and_then(|n| n.to_str())
                    .unwrap_or("");
                assert!(
                    [fuzzed, fixed, "units.csv"].contains(&name),
                    "error about {name}: {error}"
                );
            }
        }
    }
}

/// Whether a character acts on a terminal: C0 and C1 controls, DEL, the bidirectional marks,
/// embeddings, overrides and isolates (written out, not taken from the code under test).
fn acts_on_a_terminal(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}' | '\u{61c}' | '\u{200e}' | '\u{200f}')
        || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Reads back what terminal_safe wrote: `\\` is a backslash, `\xHH` and `\u{H…}` the character
/// they name, any other backslash itself. None if an escape is malformed.
fn unescape_terminal(text: &str) -> Option<String> {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find('\\') {
        out.push_str(&rest[..at]);
        let tail = &rest[at + 1..];
        let (decoded, used) = if tail.starts_with('\\') {
            ('\\', 1)
        } else if let Some(hex) = tail.strip_prefix('x') {
            let code = u8::from_str_radix(hex.get(..2)?, 16).ok()?;
            (char::from(code), 3)
        } else if let Some(body) = tail.strip_prefix("u{") {
            let close = body.find('}')?;
            let code = u32::from_str_radix(&body[..close], 16).ok()?;
            (char::from_u32(code)?, close + 3)
        } else {
            ('\\', 0)
        };
        out.push(decoded);
        rest = &tail[used..];
    }
    out.push_str(rest);
    Some(out)
}

/// terminal_safe never panics; its output holds no character that acts on a terminal (but the
/// newlines where they are kept), reads back to the input, leaves plain text alone, and is what
/// the command line's writer sends.
pub fn terminal_safe(data: &[u8]) {
    use council::domain::text::{Breaks, terminal_safe as safe};
    let text = String::from_utf8_lossy(data);
    for breaks in [Breaks::Escape, Breaks::KeepNewlines] {
        let shown = safe(&text, breaks);
        for c in shown.chars() {
            let kept = breaks == Breaks::KeepNewlines && c == '\n';
            assert!(kept || !acts_on_a_terminal(c), "{c:?} in {shown:?}");
        }
        assert_eq!(unescape_terminal(&shown).as_deref(), Some(text.as_ref()));
        if !text.chars().any(|c| acts_on_a_terminal(c) || c == '\\') {
            assert_eq!(shown, text);
        }
    }
    let mut written = Vec::new();
    council::cli::output::write_safe(&mut written, &text).expect("writing to memory");
    assert_eq!(written, safe(&text, Breaks::KeepNewlines).as_bytes());
}

/// Where a fuzzed workbook goes: a session file in each form, or a unit's phụ biểu.
const WORKBOOK_PLACES: [&str; 4] = [
    "self_scores.xlsx",
    "self_scores.ods",
    "self_scores.xls",
    "phu-bieu/SNV.xlsx",
];

/// One folder per place, criteria.csv and units.csv fixed beside it.
fn workbook_folder(place: usize) -> &'static tempfile::TempDir {
    static DIRS: [OnceLock<tempfile::TempDir>; 4] = [
        OnceLock::new(),
        OnceLock::new(),
        OnceLock::new(),
        OnceLock::new(),
    ];
    DIRS[place].get_or_init(|| {
        let dir = tempfile::tempdir().expect("a temporary folder");
        std::fs::create_dir(dir.path().join("phu-bieu")).expect("make phu-bieu/");
        std::fs::write(dir.path().join("units.csv"), UNITS).expect("write units.csv");
        std::fs::write(dir.path().join("criteria.csv"), CRITERIA).expect("write criteria.csv");
        dir
    })
}

/// read_session_dir on a folder whose self-scores are the input as a workbook (its first byte
/// picks .xlsx, .ods, .xls or a phụ biểu): never panics, and every error names a file of the
/// folder. Workbooks are zip or OLE containers parsed by calamine: damaged ones must be
/// refused, not unwound.
pub fn workbook_import(data: &[u8]) {
    let Some((&selector, body)) = data.split_first() else {
        return;
    };
    quiet_contained_panics();
    let place = usize::from(selector) % WORKBOOK_PLACES.len();
    let dir = workbook_folder(place).path();
    std::fs::write(dir.join(WORKBOOK_PLACES[place]), body).expect("write the fuzzed workbook");
    if let Err(errors) = read_session_dir(dir, None) {
        assert!(!errors.is_empty());
        for error in &errors {
            assert!(
                error.file.starts_with(dir),
                "error outside the folder: {error}"
            );
        }
    }
}

/// libFuzzer's panic hook aborts on every panic, also one the importer catches and reports as
/// a damaged file: let those pass, so that fuzzing goes on to what is not contained.
fn quiet_contained_panics() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let fuzzer_hook = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !council::io::contained::is_containing() {
                fuzzer_hook(info);
            }
        }));
    });
}
