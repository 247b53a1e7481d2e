#!/usr/bin/env bash
# Runs every fuzz target one after another (the machine has 2 cores), SECONDS each (default 600).
# Needs `cargo install cargo-fuzz`; stable Rust works with RUSTC_BOOTSTRAP=1 (libFuzzer needs
# nightly-only sanitizer flags). New crash inputs land in fuzz/artifacts/TARGET/; copy them to
# tests/malformed_extra/fuzz_crashes/TARGET/ so tests/fuzz_regressions.rs keeps them fixed.
# Shrink a grown corpus with: RUSTC_BOOTSTRAP=1 cargo fuzz cmin TARGET
#
#   scripts/fuzz-all.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/../fuzz"
seconds="${1:-600}"
for target in parse_score criteria_tree csv_import terminal_safe workbook_import; do
    mkdir -p "corpus/$target"
    # Workbooks are zip or OLE containers: the seeds (LibreOffice's) are 5-18 KB.
    max_len=4096
    [ "$target" = workbook_import ] && max_len=32768
    RUSTC_BOOTSTRAP=1 cargo fuzz run -O "$target" "corpus/$target" -- \
        -max_total_time="$seconds" -max_len="$max_len" -print_final_stats=1
done
