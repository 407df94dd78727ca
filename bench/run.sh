#!/usr/bin/env bash
# bench/run.sh: measure saydo against its yardsticks, side by side, on the same files.
#
# Usage: bench/run.sh [small|large|both] [--runs N] [--warm]   (default: both, 5 runs)
#
# For each dataset (bench/data/{small,large}, generated with bench/gen-synthetic.py
# --seed 1 when missing; bench/data is git-ignored) it runs, alternating, N times each:
#   saydo       target/release/saydo check DIR --format json --output OUT --quiet
#   parse-only  every record parsed into serde_json::Value on all cores: the floor
#               for any tool that reads the files (bench/parse-only)
#   duckdb      python3 bench/duckdb-baseline.py DIR --output OUT --quiet
#               (the same check as DuckDB SQL; skipped when python3 cannot import duckdb)
# then saydo once more with RAYON_NUM_THREADS=1, and cmp's its report with the
# multi-threaded one. Before each run the previous report is removed and `sync`
# flushes what earlier runs left to write, outside the timing, so that no run
# pays for another's writes. Wall time, CPU time (user + system: steadier than wall
# time on a shared machine) and peak RSS come from GNU time (/usr/bin/time).
# Prints Markdown tables (medians and ratios) on stdout, progress on stderr.
# Reports and logs of the last run of each tool: bench/data/reports/.
# --warm touches and frees 2.5 GB (bench/warm.py) before every timed run: on a
# virtual machine that hands freed memory back to its host, memory not touched
# for a few seconds costs about 1.5 ms per MB to touch again, so a tool's time
# depends on what ran before it; warming puts every tool in the same state.
# SAYDO_BIN=/path/to/saydo bench/run.sh measures that binary instead of building
# target/release/saydo (e.g. an older build, for a before/after comparison).
set -euo pipefail

usage() { echo "usage: bench/run.sh [small|large|both] [--runs N] [--warm]"; }

die() {
    echo "bench/run.sh: $*" >&2
    exit 1
}

say() { echo "$*" >&2; }

cd "$(dirname "$0")/.."

which=both
runs=5
warm=
while (($#)); do
    case $1 in
        small | large | both) which=$1 ;;
        --runs) runs=${2:-}; shift ;;
        --runs=*) runs=${1#--runs=} ;;
        --warm) warm=yes ;;
        -h | --help) usage; exit 0 ;;
        *) usage >&2; exit 2 ;;
    esac
    shift
done
[[ $runs =~ ^[1-9][0-9]*$ ]] || { echo "bench/run.sh: --runs needs a positive integer" >&2; exit 2; }
case $which in
    both) datasets=(small large) ;;
    *) datasets=("$which") ;;
esac

# ---------- tools ----------
TIME=/usr/bin/time
if [[ ! -x $TIME ]] || ! "$TIME" -f '%e %M' true >/dev/null 2>&1; then
    die "GNU time is missing (needed for wall time and peak RSS); install it with: apt-get install -y time"
fi

have_duckdb=yes
if ! python3 -c 'import duckdb' 2>/dev/null; then
    have_duckdb=no
    say "NOTE: the duckdb baseline will be skipped: python3 cannot import duckdb (pip install duckdb)"
fi

# ---------- datasets ----------
# Generated into DIR.tmp and renamed when complete, so a present DIR is a whole dataset.
gen_args() {
    case $1 in
        small) echo "--actors 1000 --claims 10000 --actions 100000" ;;
        large) echo "--actors 10000 --claims 100000 --actions 1000000" ;;
    esac
}
for ds in "${datasets[@]}"; do
    dir=bench/data/$ds
    if [[ ! -d $dir ]]; then
        say "== generating the $ds dataset into $dir"
        # shellcheck disable=SC2046  # gen_args is a fixed list of words
        python3 bench/gen-synthetic.py $(gen_args "$ds") --seed 1 --out "$dir.tmp" \
            || die "generating $dir failed"
        mv "$dir.tmp" "$dir"
    fi
done

# ---------- builds ----------
if [[ -n ${SAYDO_BIN:-} ]]; then
    SAYDO=$SAYDO_BIN
    [[ -x $SAYDO ]] || die "SAYDO_BIN=$SAYDO is not an executable file"
    say "== using SAYDO_BIN=$SAYDO (not building saydo)"
else
    say "== building saydo (cargo build --release)"
    cargo build --release \
        || die "cannot benchmark: saydo does not build (cargo build --release failed; errors above)"
    SAYDO=target/release/saydo
    [[ -x $SAYDO ]] || die "cargo build --release succeeded but $SAYDO is missing"
fi

# parse-only is its own cargo project; its build goes under the main (git-ignored) target/.
say "== building parse-only (cargo build --release --manifest-path bench/parse-only/Cargo.toml)"
cargo build --release --manifest-path bench/parse-only/Cargo.toml --target-dir target/parse-only \
    || die "building bench/parse-only failed (errors above)"
PARSE_ONLY=target/parse-only/release/parse-only

# Measure a copy, so that a rebuild during the benchmark (cargo build in another
# shell) cannot swap the binary between runs.
rev=$(git rev-parse --short HEAD 2>/dev/null || echo '?')
git diff --quiet HEAD -- src Cargo.toml Cargo.lock 2>/dev/null || rev+=" with uncommitted changes"
saydo_name=$SAYDO
mkdir -p bench/data
cp "$SAYDO" bench/data/saydo-under-test
SAYDO=bench/data/saydo-under-test

# --quiet is used when `saydo check --help` lists it.
quiet=(--quiet)
help=$("$SAYDO" check --help 2>&1 || true)
if [[ $help != *--quiet* ]]; then
    quiet=()
    say "NOTE: saydo check does not list --quiet; running it without"
fi

# ---------- measuring ----------
OUT=bench/data/reports
mkdir -p "$OUT"
declare -A WALL CPU RSS   # "dataset|tool" -> space-separated samples (seconds, seconds, KiB)

# measure DATASET TOOL OK_CODES OUTFILE -- CMD...: runs CMD under GNU time, its output
# in $OUT/DATASET-TOOL.log; fails unless it exits with one of OK_CODES and (when
# OUTFILE is not "-") has written OUTFILE.
measure() {
    local ds=$1 tool=$2 ok=$3 outfile=$4
    shift 5
    local log=$OUT/$ds-$tool.log tf rc=0
    tf=$(mktemp)
    [[ $outfile == - ]] || rm -f "$outfile"
    # Every tool starts with nothing waiting to go to disk: otherwise the
    # system writes back the reports of the runs before (a gigabyte for
    # saydo's large report) during this one, on the same two cores.
    sync
    [[ -z $warm ]] || python3 bench/warm.py
    "$TIME" -f '%e %U %S %M' -o "$tf" "$@" >"$log" 2>&1 || rc=$?
    if [[ " $ok " != *" $rc "* ]]; then
        tail -n 20 "$log" >&2
        rm -f "$tf"
        die "$tool on $ds exited with status $rc: $* (output above, all of it in $log)"
    fi
    if [[ $outfile != - && ! -s $outfile ]]; then
        tail -n 20 "$log" >&2
        rm -f "$tf"
        die "$tool on $ds exited $rc but wrote no report to $outfile: $*"
    fi
    local wall user sys rss
    read -r wall user sys rss < <(tail -n 1 "$tf")
    rm -f "$tf"
    WALL[$ds|$tool]+="$wall "
    CPU[$ds|$tool]+="$(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }') "
    RSS[$ds|$tool]+="$rss "
    LAST="$tool ${wall}s $((rss / 1024))MiB"
}

median() {
    printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 }
        END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

declare -A SIZE SAME
for ds in "${datasets[@]}"; do
    dir=bench/data/$ds
    SIZE[$ds]=$(du -sbc "$dir/actors" "$dir/claims" "$dir/actions" | tail -n 1 | cut -f 1)
    cat "$dir"/{actors,claims,actions}/* >/dev/null   # the same warm page cache for every tool
    say "== $ds: $runs runs each ($((SIZE[$ds] / 1000000)) MB)"
    for ((i = 1; i <= runs; i++)); do
        line="$ds run $i/$runs:"
        # saydo: 0 = clean, 1 = findings over --fail-on (not set here, but not a failure)
        measure "$ds" saydo "0 1" "$OUT/$ds-saydo.json" -- \
            "$SAYDO" check "$dir" --format json --output "$OUT/$ds-saydo.json" ${quiet[@]+"${quiet[@]}"}
        line+="  $LAST"
        measure "$ds" parse-only "0" - -- "$PARSE_ONLY" "$dir"
        line+="  $LAST"
        if [[ $have_duckdb == yes ]]; then
            measure "$ds" duckdb "0" "$OUT/$ds-duckdb.json" -- \
                python3 bench/duckdb-baseline.py "$dir" --output "$OUT/$ds-duckdb.json" --quiet
            line+="  $LAST"
        fi
        say "$line"
    done
    measure "$ds" "saydo-1thread" "0 1" "$OUT/$ds-saydo-1thread.json" -- \
        env RAYON_NUM_THREADS=1 "$SAYDO" check "$dir" --format json \
        --output "$OUT/$ds-saydo-1thread.json" ${quiet[@]+"${quiet[@]}"}
    say "$ds single thread: $LAST"
    if cmp -s "$OUT/$ds-saydo.json" "$OUT/$ds-saydo-1thread.json"; then
        SAME[$ds]=yes
    else
        SAME[$ds]="NO ($(cmp "$OUT/$ds-saydo.json" "$OUT/$ds-saydo-1thread.json" 2>&1 | head -n 1))"
    fi
done

# ---------- report ----------
# MB = 10^6 bytes for both the dataset size and peak RSS (GNU time's %M is in KiB).
mb() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1e6 }'; }
kib_mb() { awk -v k="$1" 'BEGIN { printf "%.1f", k * 1024 / 1e6 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }

declare -A MWALL MCPU MRSS
for key in "${!WALL[@]}"; do
    # shellcheck disable=SC2086  # the samples are space-separated numbers
    MWALL[$key]=$(median ${WALL[$key]})
    # shellcheck disable=SC2086
    MCPU[$key]=$(median ${CPU[$key]})
    # shellcheck disable=SC2086
    MRSS[$key]=$(median ${RSS[$key]})
done

echo
echo "saydo: $saydo_name (repository at $rev); $(nproc) cores; $runs runs each${warm:+; memory warmed before each run (--warm)}; $(date -u '+%Y-%m-%d %H:%M UTC')"
[[ $have_duckdb == yes ]] && echo "duckdb $(python3 -c 'import duckdb; print(duckdb.__version__)')"
echo
echo "| dataset | size on disk (MB) | tool | runs | median wall (s) | median CPU, user + system (s) | median peak RSS (MB) |"
echo "|---|---:|---|---:|---:|---:|---:|"
for ds in "${datasets[@]}"; do
    for tool in saydo saydo-1thread parse-only duckdb; do
        key="$ds|$tool"
        if [[ -z ${WALL[$key]:-} ]]; then
            echo "| $ds | $(mb "${SIZE[$ds]}") | $tool | 0 | skipped (no duckdb) | | |"
            continue
        fi
        n=$(wc -w <<<"${WALL[$key]}")
        label=$tool
        [[ $tool == saydo-1thread ]] && label="saydo, RAYON_NUM_THREADS=1"
        echo "| $ds | $(mb "${SIZE[$ds]}") | $label | $n | ${MWALL[$key]} | ${MCPU[$key]} | $(kib_mb "${MRSS[$key]}") |"
    done
done
echo
echo "| dataset | saydo / parse-only (wall) | duckdb / saydo (wall) | saydo peak RSS / dataset size | 1-thread report byte-identical |"
echo "|---|---:|---:|---:|---|"
for ds in "${datasets[@]}"; do
    s=${MWALL[$ds|saydo]}
    duck="skipped"
    [[ -n ${MWALL[$ds|duckdb]:-} ]] && duck=$(ratio "${MWALL[$ds|duckdb]}" "$s")
    echo "| $ds | $(ratio "$s" "${MWALL[$ds|parse-only]}") | $duck" \
        "| $(ratio "$(awk -v k="${MRSS[$ds|saydo]}" 'BEGIN { print k * 1024 }')" "${SIZE[$ds]}") | ${SAME[$ds]} |"
done
echo
for ds in "${datasets[@]}"; do
    echo "Single-thread and multi-thread saydo reports on $ds byte-identical: ${SAME[$ds]}"
done
[[ $have_duckdb == yes ]] || echo "duckdb baseline skipped: python3 cannot import duckdb (pip install duckdb)"
echo "Reports and logs of the last runs: $OUT/ (e.g. python3 bench/compare.py $OUT/${datasets[0]}-saydo.json $OUT/${datasets[0]}-duckdb.json)"
