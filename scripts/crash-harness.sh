#!/usr/bin/env bash
# Long-form crash harness: kills `council decide` and `council import` with SIGKILL at random
# moments, then checks that the database is intact and every acknowledged decision is there once.
#
#   scripts/crash-harness.sh [DECIDE_ROUNDS] [IMPORT_ROUNDS]      (defaults: 2000 and 100)
#
# Runs the debug build: the time goes to process start-up and fsync, not to our code.
# Replay a run: COUNCIL_CRASH_SEED=… COUNCIL_CRASH_IMPORT_SEED=… scripts/crash-harness.sh
# The figures are printed on stdout ("crash harness (decide): …").
set -euo pipefail
cd "$(dirname "$0")/.."
export COUNCIL_CRASH_ROUNDS="${1:-2000}"
export COUNCIL_CRASH_IMPORT_ROUNDS="${2:-100}"
exec cargo test --test crash_kill -- --nocapture --test-threads 1
