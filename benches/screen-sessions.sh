#!/usr/bin/env bash
# benches/screen-sessions.sh — the session databases of the council screen's benchmark
# (benches/screen.rs; figures in the README's Benchmarks section).
#
#     cargo build --release
#     benches/screen-sessions.sh OUT            # writes OUT/*.db, prints their paths
#     cargo bench --bench screen -- $(benches/screen-sessions.sh OUT)
#
# Sessions (an existing OUT/NAME.db is kept, so a second run only prints the paths):
#   sample.db         data/sample (20 units × 65 leaves)
#   units-10000.db    council-gen --units 10000 (650,000 items)
#   units-100000.db   council-gen --units 100000 (6.5 million items; the import needs about
#                     3 GiB of memory and a few minutes)
#   leaves-10000.db   100 units × a framework of 10,000 leaves (10 fields × 10 criteria × 100
#                     sub-criteria; 1 million items)
#   note-120mb.db     20 units, the first unit's first item with a 120 MB note (the importer
#                     reads a record of at most 128 MiB, so this is about the longest note a
#                     session can import)
#   note-200mb.db     the same with the note made 200 MB long afterwards with sqlite3, behind
#                     the importer's back (`council verify` then names the change; the screen
#                     does not care)
#
# Env: COUNCIL, COUNCIL_GEN (binaries; default $CARGO_TARGET_DIR or ./target, release);
#      SESSIONS (names to make, default all of the above without .db).
# Exit: 0 done; 1 a step failed; 2 bad usage or a missing binary.

set -euo pipefail

out="${1:?usage: benches/screen-sessions.sh OUT}"
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
release="${CARGO_TARGET_DIR:-$repo/target}/release"
council="${COUNCIL:-$release/council}"
council_gen="${COUNCIL_GEN:-$release/council-gen}"
sessions="${SESSIONS:-sample units-10000 units-100000 leaves-10000 note-120mb note-200mb}"
for binary in "$council" "$council_gen"; do
    [[ -x "$binary" ]] || { echo "screen-sessions.sh: no $binary (cargo build --release)" >&2; exit 2; }
done
mkdir -p "$out"
work="$(mktemp -d "$out/work.XXXXXX")"
trap 'rm -rf "$work"' EXIT

# import FOLDER NAME: the folder imported into OUT/NAME.db.
import() {
    "$council" import "$1" --db "$out/$2.db.part" >/dev/null
    mv "$out/$2.db.part" "$out/$2.db"
}

# criteria_10000: a criteria.csv of 10 fields × 10 criteria × 100 sub-criteria (1 point each).
criteria_10000() {
    echo "code,title,max_points,min_points,step,kind,rule"
    for field in $(seq 1 10); do
        echo "$field,Lĩnh vực $field,1000,0,,score,"
        for criterion in $(seq 1 10); do
            echo "$field.$criterion,Tiêu chí $field.$criterion,100,0,,score,"
        done
    done
    for field in $(seq 1 10); do
        for criterion in $(seq 1 10); do
            seq 1 100 | awk -v c="$field.$criterion" '{
                printf "%s.%d,Tiêu chí thành phần %s.%d,1,0,0.5,score,\"Đủ: 1; thiếu: 0,5; không có: 0\"\n", c, $1, c, $1 }'
        done
    done
}

# long_note MEGABYTES FOLDER: the folder's first self-score gets a note of that many MB
# (Vietnamese text, a line break every sentence).
long_note() {
    local bytes=$(($1 * 1000 * 1000)) file="$2/self_scores.csv"
    {
        head -n 1 "$file"
        head -n 2 "$file" | tail -n 1 | cut -d, -f1-3 | tr -d '\n'
        printf ',"'
        # (From a process substitution: yes ends on SIGPIPE, which pipefail would count.)
        head -c "$bytes" < <(yes "Giải trình: đơn vị đã ban hành kế hoạch cải cách hành chính đúng thời hạn, có tài liệu kiểm chứng kèm theo.")
        printf '"\n'
        tail -n +3 "$file"
    } >"$work/self_scores.csv"
    mv "$work/self_scores.csv" "$file"
}

make_session() {
    local name="$1" folder="$work/$1"
    case "$name" in
        sample) import "$repo/data/sample" sample ;;
        units-10000) "$council_gen" --out "$folder" --units 10000 >/dev/null; import "$folder" "$name" ;;
        units-100000) "$council_gen" --out "$folder" --units 100000 >/dev/null; import "$folder" "$name" ;;
        leaves-10000)
            criteria_10000 >"$work/criteria-10000.csv"
            "$council_gen" --out "$folder" --units 100 --criteria "$work/criteria-10000.csv" >/dev/null
            import "$folder" "$name" ;;
        note-120mb)
            "$council_gen" --out "$folder" --units 20 >/dev/null
            long_note 120 "$folder"
            import "$folder" "$name" ;;
        note-200mb)
            [[ -f "$out/note-120mb.db" ]] || make_session note-120mb
            cp "$out/note-120mb.db" "$out/$name.db.part"
            # Two thirds more of the same text: 200 MB.
            sqlite3 "$out/$name.db.part" "UPDATE self_scores SET note = note || substr(note, 1, 69000000)
                WHERE length(note) > 1000000"
            mv "$out/$name.db.part" "$out/$name.db" ;;
        *) echo "screen-sessions.sh: no session '$name'" >&2; exit 2 ;;
    esac
    rm -rf "$folder"
}

for name in $sessions; do
    [[ -f "$out/$name.db" ]] || make_session "$name"
    echo "$out/$name.db"
done
