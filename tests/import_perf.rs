//! The benchmark size: 10,000 units × 60 leaves = 600,000 self-score rows and 900,000 evidence
//! rows. Ignored by default (it writes ~70 MB); run it in release mode:
//! `cargo test --release --test import_perf -- --ignored --nocapture`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests stop at the first failure

use council::io::import::read_session_dir;
use std::fmt::Write as _;
use std::time::Instant;

const UNITS: usize = 10_000;
const FIELDS: usize = 6;
const LEAVES_PER_FIELD: usize = 10;

fn write_benchmark_folder(dir: &std::path::Path) {
    let mut criteria = String::from("code,title,max_points,min_points,step,kind,rule\n");
    let mut leaves = Vec::new();
    for field in 1..=FIELDS {
        writeln!(criteria, "{field},Lĩnh vực {field},{LEAVES_PER_FIELD},,,,").unwrap();
        for leaf in 1..=LEAVES_PER_FIELD {
            writeln!(
                criteria,
                "{field}.{leaf},Tiêu chí thành phần {field}.{leaf},1,,0.25,,Đúng hạn: 1; chậm: 0"
            )
            .unwrap();
            leaves.push(format!("{field}.{leaf}"));
        }
    }
    let mut units = String::from("unit_code,unit_name,group\n");
    let mut self_scores = String::from("unit_code,criterion_code,self_score,note\n");
    let mut evidence = String::from("unit_code,criterion_code,ref,title,location\n");
    for unit in 0..UNITS {
        writeln!(units, "U{unit:05},Xã số {unit},Xã").unwrap();
        for (i, leaf) in leaves.iter().enumerate() {
            let score = ["1", "0,75", "0.5", "0"][(unit + i) % 4];
            writeln!(
                self_scores,
                "U{unit:05},{leaf},\"{score}\",Đã thực hiện đầy đủ"
            )
            .unwrap();
            for copy in 0..(1 + (unit + i) % 2) {
                writeln!(
                    evidence,
                    "U{unit:05},{leaf},{copy}{i}/KH-UBND,Kế hoạch cải cách hành chính,kh/{unit}-{i}.pdf"
                )
                .unwrap();
            }
        }
    }
    std::fs::write(dir.join("criteria.csv"), criteria).unwrap();
    std::fs::write(dir.join("units.csv"), units).unwrap();
    std::fs::write(dir.join("self_scores.csv"), self_scores).unwrap();
    std::fs::write(dir.join("evidence.csv"), evidence).unwrap();
}

/// CPU time of the current thread (Linux), in seconds.
fn thread_cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let nanos: f64 = stat.split_whitespace().next()?.parse().ok()?;
    Some(nanos / 1e9)
}

#[test]
#[ignore = "benchmark: run in release mode with --ignored"]
fn imports_the_benchmark_folder_quickly() {
    let dir = tempfile::tempdir().unwrap();
    write_benchmark_folder(dir.path());
    let started = Instant::now();
    let cpu_before = thread_cpu_seconds();
    let imported = read_session_dir(dir.path(), None).unwrap();
    let elapsed = started.elapsed();
    // On a busy machine wall time says little: the thread's CPU time is what the code costs.
    let cpu = thread_cpu_seconds()
        .zip(cpu_before)
        .map(|(after, before)| after - before);
    println!("imported {UNITS} units × 60 leaves in {elapsed:?} (CPU {cpu:?} s)");
    let batch = &imported.batch;
    assert_eq!(batch.submissions.len(), UNITS);
    let rows: usize = batch.submissions.iter().map(|(_, rows)| rows.len()).sum();
    assert_eq!(rows, UNITS * FIELDS * LEAVES_PER_FIELD);
    let evidence: usize = batch
        .submissions
        .iter()
        .flat_map(|(_, rows)| rows.iter())
        .map(|row| row.evidence.as_ref().map_or(0, Vec::len))
        .sum();
    assert_eq!(evidence, 900_000);
    assert!(imported.warnings.is_empty());
    if !cfg!(debug_assertions) {
        let spent = cpu.unwrap_or(elapsed.as_secs_f64());
        assert!(spent < 2.0, "took {spent} s of CPU ({elapsed:?} wall)");
    }
}
