#!/usr/bin/env bash
# Runs saydo's fuzz targets one after another, one process each
# (-jobs=1 -workers=1), and logs each run to fuzz/logs/<target>.log.
#
#   fuzz/run.sh                 every target, 600 s or 5 million runs each
#   fuzz/run.sh date names      only these targets
#   SECONDS_PER_TARGET=60 fuzz/run.sh printers
#   EXTRA_ARGS="-len_control=0" fuzz/run.sh printers   (more libFuzzer flags)
#
# Needs cargo-fuzz (cargo install cargo-fuzz). On a stable toolchain
# RUSTC_BOOTSTRAP=1 lets cargo-fuzz use the nightly-only flags it needs;
# -O builds with optimisations and without debug assertions, and
# -s none leaves out AddressSanitizer, for speed (fuzz/README.md says when
# to run with -s address instead).
set -uo pipefail
cd "$(dirname "$0")"
export RUSTC_BOOTSTRAP=1
seconds=${SECONDS_PER_TARGET:-600}
runs=${RUNS_PER_TARGET:-5000000}
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(date names json_reader load_json load_jsonl printers)

max_len() {
    case $1 in
        date) echo 64 ;;
        names | printers) echo 512 ;;
        *) echo 4096 ;;
    esac
}

mkdir -p logs
cargo fuzz build -O -s none || exit 1
# Seeds from the repository's fixtures and fuzz/seeds/ join the corpus.
python3 seed_corpus.py || echo "run.sh: python3 seed_corpus.py failed; fuzzing without new seeds"
for t in "${targets[@]}"; do
    mkdir -p "corpus/$t"
    echo "== $t: up to ${seconds}s or $runs runs ${EXTRA_ARGS:-}, started $(date -u +%FT%TZ)" | tee "logs/$t.log"
    cargo fuzz run -O -s none "$t" -- \
        -jobs=1 -workers=1 \
        -max_total_time="$seconds" -runs="$runs" \
        -max_len="$(max_len "$t")" -timeout=10 \
        -print_final_stats=1 ${EXTRA_ARGS:-} >>"logs/$t.log" 2>&1
    status=$?
    echo "== $t: exit $status, ended $(date -u +%FT%TZ)" | tee -a "logs/$t.log"
    grep -E "DONE|Done [0-9]+ runs|stat::number_of_executed_units|stat::average_exec_per_sec|panicked" "logs/$t.log" | tail -6
done
