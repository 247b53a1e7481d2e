//! The bundled sample session (data/sample) and the `council-gen` generator: every file parses,
//! every score fits its leaf, parents add up, and the generator is deterministic.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests stop at the first failure

use council::domain::{Code, CriterionDef, CriterionKind, Framework, parse_score};
use rust_decimal::Decimal;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::Command;

const FILES: [&str; 6] = [
    "criteria.csv",
    "units.csv",
    "self_scores.csv",
    "evidence.csv",
    "proposals.csv",
    "survey.csv",
];

fn sample_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data/sample")
}

/// Header and records of a CSV file; a UTF-8 BOM is allowed and stripped.
fn read_csv(path: &Path) -> (Vec<String>, Vec<csv::StringRecord>) {
    let bytes = std::fs::read(path).unwrap();
    let body = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(&bytes);
    let mut reader = csv::ReaderBuilder::new().flexible(false).from_reader(body);
    let headers = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_string)
        .collect();
    let records = reader
        .records()
        .map(|r| r.unwrap_or_else(|e| panic!("{}: {e}", path.display())))
        .collect();
    (headers, records)
}

fn load_framework(dir: &Path) -> Framework {
    let (headers, records) = read_csv(&dir.join("criteria.csv"));
    assert_eq!(
        headers,
        [
            "code",
            "title",
            "max_points",
            "min_points",
            "step",
            "kind",
            "rule"
        ]
    );
    let defs = records
        .iter()
        .map(|r| CriterionDef {
            code: Code::parse(&r[0]).unwrap(),
            title: r[1].to_string(),
            max_points: parse_score(&r[2]).unwrap(),
            min_points: parse_score(&r[3]).unwrap(),
            step: (!r[4].trim().is_empty()).then(|| parse_score(&r[4]).unwrap()),
            kind: CriterionKind::parse(&r[5]).unwrap(),
            rule: r[6].to_string(),
        })
        .collect();
    Framework::build(defs).unwrap_or_else(|errors| panic!("{errors:?}"))
}

/// What a session folder holds, after checking every row against the framework.
struct Checked {
    framework: Framework,
    units: Vec<(String, String, String)>,
    self_scores: HashMap<(String, String), Decimal>,
    self_notes: HashMap<(String, String), String>,
    evidence_per_item: HashMap<(String, String), usize>,
    evidence_rows: usize,
    proposals: HashMap<(String, String), Decimal>,
    survey: HashMap<(String, String), Decimal>,
}

impl Checked {
    fn scored_leaves(&self) -> Vec<&CriterionDef> {
        self.framework
            .leaves()
            .iter()
            .map(|&id| &self.framework.node(id).def)
            .filter(|d| d.kind != CriterionKind::Survey)
            .collect()
    }

    /// Proposals that differ from an existing self-score, over proposals with a self-score.
    fn differing_share(&self) -> (usize, usize) {
        let mut compared = 0;
        let mut differing = 0;
        for (key, proposed) in &self.proposals {
            if let Some(own) = self.self_scores.get(key) {
                compared += 1;
                differing += usize::from(own != proposed);
            }
        }
        (differing, compared)
    }

    /// Index % per unit: proposal, else self-score, plus survey, over the maximum.
    fn appraised_pct(&self, unit: &str) -> Decimal {
        let mut total = Decimal::ZERO;
        for &id in self.framework.leaves() {
            let def = &self.framework.node(id).def;
            let key = (unit.to_string(), def.code.to_string());
            total += match def.kind {
                CriterionKind::Survey => self.survey.get(&key).copied().unwrap_or_default(),
                _ => self
                    .proposals
                    .get(&key)
                    .or(self.self_scores.get(&key))
                    .copied()
                    .unwrap_or_default(),
            };
        }
        total * Decimal::from(100) / self.framework.maximum()
    }
}

fn leaf_def<'a>(framework: &'a Framework, code: &str) -> &'a CriterionDef {
    let index = framework
        .leaf_index_of(code.trim())
        .unwrap_or_else(|| panic!("{code} is not a leaf"));
    &framework.leaf(index).def
}

fn check_score(framework: &Framework, file: &str, code: &str, text: &str) -> Decimal {
    let score = parse_score(text).unwrap_or_else(|e| panic!("{file} {code}: {e}"));
    leaf_def(framework, code)
        .check_score(score)
        .unwrap_or_else(|e| panic!("{file}: {e}"));
    score
}

fn check_session(dir: &Path) -> Checked {
    let framework = load_framework(dir);

    let (headers, records) = read_csv(&dir.join("units.csv"));
    assert_eq!(headers, ["unit_code", "unit_name", "group"]);
    let units: Vec<(String, String, String)> = records
        .iter()
        .map(|r| (r[0].to_string(), r[1].to_string(), r[2].to_string()))
        .collect();
    let unit_codes: HashSet<&str> = units.iter().map(|u| u.0.as_str()).collect();
    assert_eq!(unit_codes.len(), units.len(), "unit codes are unique");
    let known_unit = |code: &str| assert!(unit_codes.contains(code), "unknown unit {code}");

    let (headers, records) = read_csv(&dir.join("self_scores.csv"));
    assert_eq!(
        headers,
        ["unit_code", "criterion_code", "self_score", "note"]
    );
    let mut self_scores = HashMap::new();
    let mut self_notes = HashMap::new();
    for r in &records {
        known_unit(&r[0]);
        let code = r[1].trim().to_string();
        assert_ne!(leaf_def(&framework, &code).kind, CriterionKind::Survey);
        let score = check_score(&framework, "self_scores.csv", &code, &r[2]);
        let key = (r[0].to_string(), code);
        assert!(self_scores.insert(key.clone(), score).is_none(), "{key:?}");
        self_notes.insert(key, r[3].to_string());
    }

    let (headers, records) = read_csv(&dir.join("evidence.csv"));
    assert_eq!(
        headers,
        ["unit_code", "criterion_code", "ref", "title", "location"]
    );
    let mut evidence_per_item: HashMap<(String, String), usize> = HashMap::new();
    let mut refs = HashSet::new();
    for r in &records {
        let listed = (r[0].to_string(), r[1].trim().to_string(), r[2].to_string());
        assert!(
            refs.insert(listed.clone()),
            "evidence listed twice: {listed:?}"
        );
        known_unit(&r[0]);
        leaf_def(&framework, &r[1]);
        assert!(r[2].contains('/') && r[2].contains('-'), "ref {:?}", &r[2]);
        assert!(!r[3].is_empty() && !r[4].is_empty());
        *evidence_per_item
            .entry((r[0].to_string(), r[1].trim().to_string()))
            .or_default() += 1;
    }
    let evidence_rows = records.len();

    let (headers, records) = read_csv(&dir.join("proposals.csv"));
    assert_eq!(
        headers,
        ["unit_code", "criterion_code", "proposed_score", "note"]
    );
    let mut proposals = HashMap::new();
    for r in &records {
        known_unit(&r[0]);
        let score = check_score(&framework, "proposals.csv", &r[1], &r[2]);
        let key = (r[0].to_string(), r[1].trim().to_string());
        if self_scores.get(&key).is_some_and(|own| *own != score) {
            assert!(!r[3].is_empty(), "a differing proposal has a reason");
        }
        assert!(proposals.insert(key, score).is_none());
    }

    let (headers, records) = read_csv(&dir.join("survey.csv"));
    assert_eq!(headers, ["unit_code", "criterion_code", "score"]);
    let mut survey = HashMap::new();
    for r in &records {
        known_unit(&r[0]);
        assert_eq!(leaf_def(&framework, &r[1]).kind, CriterionKind::Survey);
        let score = check_score(&framework, "survey.csv", &r[1], &r[2]);
        survey.insert((r[0].to_string(), r[1].trim().to_string()), score);
    }

    Checked {
        framework,
        units,
        self_scores,
        self_notes,
        evidence_per_item,
        evidence_rows,
        proposals,
        survey,
    }
}

fn run_gen(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_council-gen"))
        .args(args)
        .output()
        .unwrap()
}

fn generate(dir: &Path, units: u32, seed: u64, messy: bool) {
    let units = units.to_string();
    let seed = seed.to_string();
    let mut args = vec![
        "--out",
        dir.to_str().unwrap(),
        "--units",
        &units,
        "--seed",
        &seed,
    ];
    if messy {
        args.push("--messy");
    }
    let output = run_gen(&args);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

fn read_all(dir: &Path) -> Vec<Vec<u8>> {
    FILES
        .iter()
        .map(|f| std::fs::read(dir.join(f)).unwrap())
        .collect()
}

#[test]
fn sample_criteria_are_a_department_level_index() {
    let framework = load_framework(&sample_dir());
    assert_eq!(framework.maximum(), Decimal::from(100));
    let fields: Vec<String> = framework
        .roots()
        .iter()
        .map(|&id| council::domain::format_dot(framework.node(id).def.max_points))
        .collect();
    assert_eq!(fields, ["10", "6.5", "25.5", "9", "10", "8.5", "7.5", "23"]);
    let leaves = framework.leaves();
    assert!((55..=65).contains(&leaves.len()), "{} leaves", leaves.len());
    let mut survey = 0;
    for &id in leaves {
        let def = &framework.node(id).def;
        assert!((2..=3).contains(&def.code.depth()), "{}", def.code);
        assert!(def.step.is_some(), "{} has a step", def.code);
        assert!(!def.rule.is_empty(), "{} has a rule", def.code);
        assert!(!def.kind.is_extra(), "no bonus/penalty in the sample");
        if def.kind == CriterionKind::Survey {
            survey += 1;
            assert_eq!(def.code.field().to_string(), "8");
        }
    }
    assert!(survey >= 2, "field 8 has survey leaves");
    // Numbers are written with a dot, never a comma.
    let (_, records) = read_csv(&sample_dir().join("criteria.csv"));
    assert!(records.iter().all(|r| !r[2].contains(',')));
}

#[test]
fn sample_session_is_complete_and_plausible() {
    let checked = check_session(&sample_dir());
    let groups: Vec<&str> = checked.units.iter().map(|u| u.2.as_str()).collect();
    assert_eq!(checked.units.len(), 20);
    assert_eq!(
        groups.iter().filter(|g| **g == "Sở, ban, ngành").count(),
        12
    );
    assert_eq!(groups.iter().filter(|g| **g == "Xã, phường").count(), 8);

    // Every unit × scored leaf has a self-score, except 1–2 items of a single unit.
    let scored = checked.scored_leaves();
    let mut missing: HashMap<&str, usize> = HashMap::new();
    for unit in &checked.units {
        for def in &scored {
            if !checked
                .self_scores
                .contains_key(&(unit.0.clone(), def.code.to_string()))
            {
                *missing.entry(unit.0.as_str()).or_default() += 1;
            }
        }
    }
    assert_eq!(missing.len(), 1, "{missing:?}");
    assert!(missing.values().all(|&n| (1..=2).contains(&n)));

    // Survey points for every unit × survey leaf.
    let survey_leaves = checked.framework.leaves().len() - scored.len();
    assert_eq!(checked.survey.len(), checked.units.len() * survey_leaves);

    // About one proposal in ten differs.
    let (differing, compared) = checked.differing_share();
    assert!(
        differing * 100 >= compared * 6 && differing * 100 <= compared * 14,
        "{differing} of {compared}"
    );

    // Evidence: about 1.5 rows per item; items without any carry an explanation.
    let items = checked.self_scores.len();
    assert!(
        checked.evidence_rows * 10 >= items * 12 && checked.evidence_rows * 10 <= items * 18,
        "{} evidence rows for {items} items",
        checked.evidence_rows
    );
    for (key, note) in &checked.self_notes {
        if !checked.evidence_per_item.contains_key(key) {
            assert!(note.starts_with("Báo cáo giải trình: "), "{key:?}: {note}");
        }
    }
    assert!(checked.self_notes.values().any(|n| n.contains('\n')));

    // Self-scores mostly high; ranked index % roughly 75–97.
    for unit in &checked.units {
        let pct = checked.appraised_pct(&unit.0);
        assert!(
            pct >= Decimal::from(72) && pct <= Decimal::from(98),
            "{}: {pct}",
            unit.0
        );
    }
}

#[test]
fn sample_is_what_the_generator_writes() {
    let out = tempfile::tempdir().unwrap();
    generate(out.path(), 20, 2025, false);
    for file in FILES {
        assert!(
            std::fs::read(out.path().join(file)).unwrap()
                == std::fs::read(sample_dir().join(file)).unwrap(),
            "data/sample/{file} differs from `council-gen --units 20 --seed 2025`"
        );
    }
}

#[test]
fn generated_sessions_are_valid_and_deterministic() {
    for messy in [false, true] {
        let first = tempfile::tempdir().unwrap();
        let second = tempfile::tempdir().unwrap();
        let other_seed = tempfile::tempdir().unwrap();
        generate(first.path(), 30, 7, messy);
        generate(second.path(), 30, 7, messy);
        generate(other_seed.path(), 30, 8, messy);
        assert!(
            read_all(first.path()) == read_all(second.path()),
            "same seed, same bytes"
        );
        assert!(read_all(first.path())[2] != read_all(other_seed.path())[2]);

        let checked = check_session(first.path());
        assert_eq!(checked.units.len(), 30);
        let departments = checked
            .units
            .iter()
            .filter(|u| u.2 == "Sở, ban, ngành")
            .count();
        assert_eq!(departments, 18);
        let (differing, compared) = checked.differing_share();
        assert!(
            differing * 100 >= compared * 6 && differing * 100 <= compared * 14,
            "{differing} of {compared}"
        );
        let expected = 30 * checked.scored_leaves().len();
        let gap = expected - checked.self_scores.len();
        assert!((1..=2).contains(&gap), "{gap} self-scores missing");
    }
}

#[test]
fn messy_files_exercise_the_importer() {
    let dir = tempfile::tempdir().unwrap();
    generate(dir.path(), 30, 11, true);
    for file in FILES {
        let bytes = std::fs::read(dir.path().join(file)).unwrap();
        assert!(bytes.starts_with("\u{feff}".as_bytes()), "{file} has a BOM");
        assert!(bytes.windows(2).any(|w| w == b"\r\n"), "{file} uses CRLF");
    }
    let self_scores = std::fs::read_to_string(dir.path().join("self_scores.csv")).unwrap();
    assert!(self_scores.contains(",\"0,5\","), "decimal commas, quoted");
    assert!(self_scores.contains("\"=1+1\"") || self_scores.contains(",=1+1"));

    let checked = check_session(dir.path());
    // An extra penalty field outside the maximum, with some negative self-scores.
    assert_eq!(checked.framework.maximum(), Decimal::from(100));
    let penalty: Vec<&CriterionDef> = checked
        .framework
        .leaves()
        .iter()
        .map(|&id| &checked.framework.node(id).def)
        .filter(|d| d.kind == CriterionKind::Penalty)
        .collect();
    assert_eq!(penalty.len(), 1);
    assert!(
        checked.self_scores.iter().any(
            |((_, code), score)| *code == penalty[0].code.to_string() && *score < Decimal::ZERO
        )
    );
    // Criteria rows are not in code order.
    let (_, records) = read_csv(&dir.path().join("criteria.csv"));
    let codes: Vec<Code> = records
        .iter()
        .map(|r| Code::parse(&r[0]).unwrap())
        .collect();
    assert!(codes.windows(2).any(|w| w[0] > w[1]));
}

#[test]
fn evidence_rate_is_adjustable() {
    let dir = tempfile::tempdir().unwrap();
    let output = run_gen(&[
        "--out",
        dir.path().to_str().unwrap(),
        "--units",
        "10",
        "--evidence-per-item",
        "0",
    ]);
    assert!(output.status.success());
    let checked = check_session(dir.path());
    assert_eq!(checked.evidence_rows, 0);
    assert!(
        checked
            .self_notes
            .values()
            .all(|n| n.starts_with("Báo cáo giải trình"))
    );
}

#[test]
fn bad_usage_exits_2_and_io_errors_exit_1() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().to_str().unwrap();
    for args in [
        vec!["--units", "5"],
        vec!["--out", out, "--units", "0"],
        vec!["--out", out, "--units", "many"],
        vec!["--out", out, "--evidence-per-item", "x"],
        vec!["--out", out, "--bogus"],
    ] {
        let output = run_gen(&args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(!output.stderr.is_empty());
    }
    let missing = dir.path().join("nope.csv");
    let output = run_gen(&["--out", out, "--criteria", missing.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("nope.csv"));

    // A file where a folder should be.
    let blocker = dir.path().join("file");
    std::fs::write(&blocker, "x").unwrap();
    let output = run_gen(&["--out", blocker.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));

    // A criteria file whose parents do not add up.
    let bad = dir.path().join("bad.csv");
    std::fs::write(
        &bad,
        "code,title,max_points,min_points,step,kind,rule\n1,A,10,0,,score,\n1.1,B,6,0,1,score,\n",
    )
    .unwrap();
    let output = run_gen(&["--out", out, "--criteria", bad.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("children"));
}

#[test]
fn an_item_never_lists_the_same_document_twice() {
    // Drawn numbers collide now and then; 2,000 units gave about 15 duplicates before the fix.
    let dir = tempfile::tempdir().unwrap();
    generate(dir.path(), 2000, 1, false);
    let (_, records) = read_csv(&dir.path().join("evidence.csv"));
    assert!(records.len() > 150_000);
    let mut seen = HashSet::new();
    for r in &records {
        assert!(
            seen.insert((r[0].to_string(), r[1].to_string(), r[2].to_string())),
            "{:?}",
            r
        );
    }
}
