#!/usr/bin/env bash
# benches/bench.sh — end-to-end timings of `council` against the sqlite3 CLI on a large session.
#
# Run by hand (not part of CI), after a release build:
#
#     cargo build --release
#     benches/bench.sh                 # 10,000 units, 5 runs each
#     benches/bench.sh --units 2000 --runs 3 --keep
#     benches/bench.sh --busy          # the other core kept busy: everything on one core
#
# What it does:
#   1. generates a session of N units × ~60 leaves with `council-gen` into a temporary folder
#      (600,000 self-scores, ~900,000 evidence rows for N = 10,000);
#   2. (a) import:  `council import DIR --db X.db`  vs  sqlite3's own `.import --csv` of the same
#      six CSV files into bare tables (one table per file, created by .import);
#   3. (b) export:  `council export --db X.db --out OUT --force`  vs  one `sqlite3 -csv` query on
#      the same database that produces the rows of results.csv (unit × leaf with self-score,
#      proposal, decision and the evidence references joined by group_concat);
#      then `council export --format xlsx`, by default and with --unit-sheets all;
#   4. (c) if `council` has a `bench-ui` command, times it too;
#   5. prints a Markdown table of median wall-clock times, with each council command's peak
#      memory (one more run under /usr/bin/time -v, when it is installed).
#
# With --busy, a busy loop (`yes > /dev/null`) runs on the second processor for the whole run
# and every timed command is held to the first one (taskset), so that no tool gains from a
# second core: the figures are what one core does.
#
# Timing uses hyperfine when it is installed (median of --runs runs, the database removed before
# each import run), else `date +%s.%N` deltas over the same number of runs, reporting the median.
#
# Options:   --units N (10000)   --runs R (5)   --seed S (1)   --keep (leave the temp folder)
#            --busy (the other core busy, timed commands on one core)
# Env:       COUNCIL, COUNCIL_GEN (binaries; default: $CARGO_TARGET_DIR or ./target, release),
#            SQLITE3 (default: sqlite3 on PATH), TMPDIR (where the temp folder goes).
# Exit:      0 done; 1 a step failed; 2 bad usage or a missing binary.

set -euo pipefail

units=10000
runs=5
seed=1
keep=0
busy=0
while [[ $# -gt 0 ]]; do
    case "$1" in
        --units) units="${2:?--units needs a number}"; shift 2 ;;
        --runs) runs="${2:?--runs needs a number}"; shift 2 ;;
        --seed) seed="${2:?--seed needs a number}"; shift 2 ;;
        --keep) keep=1; shift ;;
        --busy) busy=1; shift ;;
        -h|--help) sed -n '2,30p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "bench.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
    esac
done
for number in "$units" "$runs" "$seed"; do
    [[ "$number" =~ ^[0-9]+$ && "$number" -gt 0 ]] || { echo "bench.sh: '$number' is not a positive number" >&2; exit 2; }
done

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
release="${CARGO_TARGET_DIR:-$repo/target}/release"
council="${COUNCIL:-$release/council}"
council_gen="${COUNCIL_GEN:-$release/council-gen}"
sqlite="${SQLITE3:-sqlite3}"

have_council=1
[[ -x "$council_gen" ]] || { echo "bench.sh: no council-gen at $council_gen (cargo build --release)" >&2; exit 2; }
command -v "$sqlite" >/dev/null || { echo "bench.sh: no sqlite3 CLI ('$sqlite')" >&2; exit 2; }
if [[ ! -x "$council" ]]; then
    echo "bench.sh: no council binary at $council: timing the sqlite3 baselines only" >&2
    have_council=0
fi
use_hyperfine=0
command -v hyperfine >/dev/null && use_hyperfine=1

work="$(mktemp -d "${TMPDIR:-/tmp}/council-bench.XXXXXX")"
busy_pid=""
cleanup() {
    [[ -n "$busy_pid" ]] && kill "$busy_pid" 2>/dev/null
    if [[ $keep -eq 1 ]]; then echo "kept $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT

# on_one_core: the prefix that holds a timed command to the first processor (--busy only).
on_one_core=""
if [[ $busy -eq 1 ]]; then
    command -v taskset >/dev/null || { echo "bench.sh: --busy needs taskset (util-linux)" >&2; exit 2; }
    [[ "$(nproc)" -ge 2 ]] || { echo "bench.sh: --busy needs two processors" >&2; exit 2; }
    taskset -c 1 yes >/dev/null &
    busy_pid=$!
    on_one_core="taskset -c 0 "
fi
have_time_v=0
/usr/bin/time -v true >/dev/null 2>&1 && have_time_v=1

# peak_of COMMAND: the peak resident memory of one run of COMMAND (a shell snippet), in MiB.
peak_of() {
    [[ $have_time_v -eq 1 ]] || { echo "–"; return; }
    /usr/bin/time -v bash -c "$1" 2>&1 >/dev/null \
        | awk -F: '/Maximum resident set size/ { printf "%.0f\n", $2 / 1024 }'
}

session="$work/session"
results=()   # Markdown rows

# median_of FILE: the median of the numbers in FILE, one a line.
median_of() {
    sort -g "$1" | awk '{ v[NR] = $1 } END {
        if (NR == 0) { print "nan"; exit }
        if (NR % 2) printf "%.3f\n", v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# measure LABEL PREPARE COMMAND: runs PREPARE (untimed) then COMMAND, $runs times; prints the
# median wall-clock seconds. Both are shell snippets; output of COMMAND goes to $work/last.log.
measure() {
    local label="$1" prepare="$2" command="$3"
    if [[ $use_hyperfine -eq 1 ]]; then
        hyperfine --style none --runs "$runs" --prepare "$prepare" \
            --export-json "$work/hyperfine.json" "$command" >"$work/last.log" 2>&1 \
            || { echo "bench.sh: '$label' failed:" >&2; cat "$work/last.log" >&2; return 1; }
        # JSON, not CSV: a command with a comma would shift the CSV columns.
        grep -o '"median": *[0-9.eE+-]*' "$work/hyperfine.json" | head -n 1 \
            | awk -F: '{ printf "%.3f\n", $2 }'
        return
    fi
    local times="$work/times.txt" start end
    : >"$times"
    for ((run = 0; run < runs; run++)); do
        bash -c "$prepare" >/dev/null 2>&1
        start=$(date +%s.%N)
        if ! bash -c "$command" >"$work/last.log" 2>&1; then
            echo "bench.sh: '$label' failed:" >&2
            cat "$work/last.log" >&2
            return 1
        fi
        end=$(date +%s.%N)
        awk -v a="$start" -v b="$end" 'BEGIN { printf "%.6f\n", b - a }' >>"$times"
    done
    median_of "$times"
}

rows_of() { # data rows of a CSV file (records, not lines: notes may span lines)
    "$sqlite" :memory: ".import --csv '$1' t" "SELECT count(*) FROM t;"
}

add_row() { # task, tool, seconds, rows[, peak MiB]
    local per_second="–"
    if [[ "$3" != "–" && "$4" != "–" ]]; then
        per_second=$(awk -v r="$4" -v s="$3" 'BEGIN { if (s > 0) printf "%\047d", r / s; else print "–" }')
    fi
    results+=("| $1 | $2 | $3 | $4 | $per_second | ${5:-–} |")
}

q() { printf '%q' "$1"; }

echo "== generating $units units (seed $seed) into $session" >&2
start=$(date +%s.%N)
"$council_gen" --out "$session" --units "$units" --seed "$seed" >&2
generation=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.3f\n", b - a }')
declare -A file_rows
input_rows=0
for file in criteria units self_scores evidence proposals survey; do
    file_rows[$file]=$(rows_of "$session/$file.csv")
    input_rows=$((input_rows + file_rows[$file]))
done
item_rows=${file_rows[self_scores]}
evidence_rows=${file_rows[evidence]}
add_row "generate session (council-gen)" "council-gen" "$generation" "$input_rows"

# (a) import -----------------------------------------------------------------------------------
raw_db="$work/raw.db"
import_script="$work/import.sql"
{
    for file in criteria units self_scores evidence proposals survey; do
        # Dot-commands take double-quoted arguments, not shell quoting.
        echo ".import --csv \"$session/$file.csv\" $file"
    done
} >"$import_script"
echo "== (a) import: sqlite3 .import baseline" >&2
seconds=$(measure "sqlite3 .import" "rm -f $(q "$raw_db")" "$on_one_core$(q "$sqlite") $(q "$raw_db") < $(q "$import_script")")
add_row "import CSV folder" "sqlite3 \`.import --csv\` (bare tables)" "$seconds" "$input_rows"

db="$work/council.db"
if [[ $have_council -eq 1 ]]; then
    echo "== (a) import: council import" >&2
    import_command="$on_one_core$(q "$council") import $(q "$session") --db $(q "$db")"
    seconds=$(measure "council import" "rm -f $(q "$db") $(q "$db")-wal $(q "$db")-shm" "$import_command")
    # The database the export timings read, imported once more to see its peak memory.
    rm -f "$db" "$db-wal" "$db-shm"
    peak=$(peak_of "$import_command")
    add_row "import CSV folder" "\`council import\`" "$seconds" "$input_rows" "$peak"
fi

# (b) export -----------------------------------------------------------------------------------
# results.csv-like rows from the council schema: every unit × leaf, current submission.
export_query="
WITH leaves AS MATERIALIZED (
    SELECT c.id, c.code, c.title, c.max_points FROM criteria c
    WHERE NOT EXISTS (SELECT 1 FROM criteria k WHERE k.code LIKE c.code || '.%')
)
SELECT u.code AS unit_code, u.name AS unit_name, u.grp AS \"group\",
       l.code AS criterion_code, l.title AS criterion_title, l.max_points,
       coalesce(s.score, sv.score) AS self_score, p.score AS proposed_score,
       coalesce(d.council, p.score, s.score, sv.score, '0') AS council_score,
       d.reason, d.decided_by, d.decided_at,
       (SELECT group_concat(e.value ->> 0, '; ') FROM json_each(s.evidence) e) AS evidence
FROM units u CROSS JOIN leaves l
LEFT JOIN self_scores s ON s.submission_id = u.current_submission AND s.criterion_id = l.id
LEFT JOIN proposals p ON p.unit_id = u.id AND p.criterion_id = l.id
LEFT JOIN survey sv ON sv.unit_id = u.id AND sv.criterion_id = l.id
LEFT JOIN decision_state d ON d.unit_id = u.id AND d.criterion_id = l.id
ORDER BY u.id, l.id;"

if [[ $have_council -eq 1 ]]; then
    out="$work/export"
    echo "== (b) export: council export" >&2
    export_command="$on_one_core$(q "$council") export --db $(q "$db") --out $(q "$out") --force"
    seconds=$(measure "council export" "true" "$export_command")
    results_file=$(ls "$out"/results.csv 2>/dev/null || true)
    export_rows="–"
    [[ -n "$results_file" ]] && export_rows=$(rows_of "$results_file")
    peak=$(peak_of "$export_command")
    add_row "export results (+ summary, ranking)" "\`council export\`" "$seconds" "$export_rows" "$peak"

    # The workbook against the CSV files: by default (no unit sheets past 1,000 units) and
    # with a sheet for every unit.
    for sheets in auto all; do
        echo "== (b) export: council export --format xlsx --unit-sheets $sheets" >&2
        xlsx_command="$on_one_core$(q "$council") export --db $(q "$db") --format xlsx \
            --unit-sheets $sheets --out $(q "$out-xlsx-$sheets") --force"
        seconds=$(measure "council export xlsx $sheets" "true" "$xlsx_command")
        peak=$(peak_of "$xlsx_command")
        add_row "export the workbook, unit sheets $sheets" \
            "\`council export --format xlsx --unit-sheets $sheets\`" "$seconds" "$units" "$peak"
    done

    echo "== (b) export: sqlite3 -csv baseline" >&2
    printf '%s\n' "$export_query" >"$work/export.sql"
    seconds=$(measure "sqlite3 -csv" "true" \
        "$on_one_core$(q "$sqlite") -csv -header $(q "$db") < $(q "$work/export.sql") > $(q "$work/baseline.csv")")
    add_row "export results rows" "sqlite3 \`-csv\` join query" "$seconds" "$(rows_of "$work/baseline.csv")"

    # (c) TUI start-up, if the lead added a benchmark command.
    if "$council" --help 2>&1 | grep -q 'bench-ui'; then
        echo "== (c) council bench-ui" >&2
        if seconds=$(measure "council bench-ui" "true" "$(q "$council") bench-ui --db $(q "$db")"); then
            add_row "TUI start-up (bench-ui)" "\`council bench-ui\`" "$seconds" "$item_rows"
        fi
    fi
else
    # No council database: the baseline dumps the bare .import tables joined the same way.
    echo "== (b) export: sqlite3 -csv baseline on the bare .import tables" >&2
    "$sqlite" "$raw_db" "CREATE INDEX e_item ON evidence (unit_code, criterion_code);
        CREATE INDEX p_item ON proposals (unit_code, criterion_code);
        CREATE INDEX v_item ON survey (unit_code, criterion_code);
        CREATE INDEX s_item ON self_scores (unit_code, criterion_code);"
    cat >"$work/export_raw.sql" <<'SQL'
WITH leaves AS MATERIALIZED (
    SELECT c.rowid AS id, c.code, c.title, c.max_points FROM criteria c
    WHERE NOT EXISTS (SELECT 1 FROM criteria k WHERE k.code LIKE c.code || '.%')
)
SELECT u.unit_code, u.unit_name, u."group", l.code, l.title, l.max_points,
       coalesce(s.self_score, v.score) AS self_score, p.proposed_score,
       coalesce(p.proposed_score, s.self_score, v.score, '0') AS council_score,
       (SELECT group_concat(ref, '; ') FROM evidence e
        WHERE e.unit_code = u.unit_code AND e.criterion_code = l.code) AS evidence
FROM units u CROSS JOIN leaves l
LEFT JOIN self_scores s ON s.unit_code = u.unit_code AND s.criterion_code = l.code
LEFT JOIN proposals p ON p.unit_code = u.unit_code AND p.criterion_code = l.code
LEFT JOIN survey v ON v.unit_code = u.unit_code AND v.criterion_code = l.code
ORDER BY u.rowid, l.id;
SQL
    seconds=$(measure "sqlite3 -csv (bare tables)" "true" \
        "$(q "$sqlite") -csv -header $(q "$raw_db") < $(q "$work/export_raw.sql") > $(q "$work/baseline.csv")")
    add_row "export results rows" "sqlite3 \`-csv\` join (bare tables, indexed)" "$seconds" "$(rows_of "$work/baseline.csv")"
fi

# Report ---------------------------------------------------------------------------------------
timer="date +%s.%N, median of $runs"
[[ $use_hyperfine -eq 1 ]] && timer="hyperfine, median of $runs"
echo
echo "### council benchmarks: $units units, $item_rows self-scores, $evidence_rows evidence rows"
echo
cores="$(nproc 2>/dev/null || echo '?') CPUs"
[[ $busy -eq 1 ]] && cores="$cores, the second one kept busy, timed commands on the first"
echo "$cores; $("$sqlite" --version | cut -d' ' -f1-2 | sed 's/^/sqlite3 /'); timer: $timer."
echo
echo "| task | tool | median s | rows | rows/s | peak MiB |"
echo "|---|---|---:|---:|---:|---:|"
printf '%s\n' "${results[@]}"
