#!/usr/bin/env bash
# bench/differential.sh: check saydo's verdicts against the DuckDB baseline.
#
# Usage: bench/differential.sh [compare.py options, e.g. --severity-tolerance 0.05]
#
# Generates the small synthetic dataset into bench/data/small if missing (git-ignored),
# builds saydo, runs
#   target/release/saydo check bench/data/small --format json --output /tmp/saydo-small.json
#   python3 bench/duckdb-baseline.py bench/data/small --output /tmp/duckdb-small.json
# (installing duckdb with pip when python3 cannot import it) and compares the two
# reports with bench/compare.py: pair sets, pair verdicts and kinds, claim verdicts.
# Exits with compare.py's status: 0 when they agree, 1 when not; 1 also when a step fails.
# SAYDO_BIN=/path/to/saydo bench/differential.sh checks that binary instead of building
# target/release/saydo.
set -euo pipefail

die() {
    echo "bench/differential.sh: $*" >&2
    exit 1
}

cd "$(dirname "$0")/.."
dir=bench/data/small
saydo_report=/tmp/saydo-small.json
duckdb_report=/tmp/duckdb-small.json

if [[ ! -d $dir ]]; then
    echo "== generating the small dataset into $dir" >&2
    python3 bench/gen-synthetic.py --actors 1000 --claims 10000 --actions 100000 --seed 1 \
        --out "$dir.tmp" || die "generating $dir failed"
    mv "$dir.tmp" "$dir"   # renamed only when complete: a present $dir is a whole dataset
fi

saydo=${SAYDO_BIN:-target/release/saydo}
if [[ -z ${SAYDO_BIN:-} ]]; then
    echo "== building saydo (cargo build --release)" >&2
    cargo build --release || die "saydo does not build (cargo build --release failed; errors above)"
fi
[[ -x $saydo ]] || die "$saydo is not an executable file"

echo "== $saydo check $dir" >&2
rm -f "$saydo_report"
rc=0
"$saydo" check "$dir" --format json --output "$saydo_report" || rc=$?
# 0: clean; 1: findings over --fail-on (not set here); anything else is a failure
[[ $rc == 0 || $rc == 1 ]] || die "saydo check exited with status $rc"
[[ -s $saydo_report ]] || die "saydo check exited $rc but wrote no report to $saydo_report"

if ! python3 -c 'import duckdb' 2>/dev/null; then
    echo "== installing duckdb (pip install duckdb)" >&2
    pip install duckdb || die "pip install duckdb failed"
fi
echo "== duckdb baseline on $dir" >&2
rm -f "$duckdb_report"
python3 bench/duckdb-baseline.py "$dir" --output "$duckdb_report" || die "the duckdb baseline failed"

echo "== comparing" >&2
exec python3 bench/compare.py "$saydo_report" "$duckdb_report" "$@"
