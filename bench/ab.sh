#!/usr/bin/env bash
# bench/ab.sh: compare saydo binaries on one dataset by alternating runs.
#
# Usage: bench/ab.sh [--runs N] [--warm] [--data DIR] BINARY...
#
# Runs `BINARY check DIR --format json --output FILE --quiet --timings` for
# each binary in turn, N rounds (default 5), on DIR (default
# bench/data/large), removing the last report and calling `sync` first.
# Prints each run, then per binary the medians of wall time, user and
# system CPU time, peak RSS and page faults (GNU time), and of each stage's
# wall and CPU time (saydo's --timings).
#
# --warm touches and frees 2.5 GB (in huge pages) before each run. On a
# virtual machine that hands freed memory back to its host (free page
# reporting), memory not touched for a few seconds costs about 1.5 ms per
# MB to touch again (BENCHMARKS.md); warming measures the code's own cost
# without that tax, which otherwise depends on what ran just before.
#
# Example: build the old commit into another target directory, then
#   bench/ab.sh --warm /tmp/old/release/saydo target/release/saydo
set -euo pipefail

usage() { echo "usage: bench/ab.sh [--runs N] [--warm] [--data DIR] BINARY..."; }

runs=5
warm=
data=
bins=()
while (($#)); do
    case $1 in
        --runs) runs=${2:-}; shift ;;
        --warm) warm=yes ;;
        --data) data=${2:-}; shift ;;
        -h | --help) usage; exit 0 ;;
        -*) usage >&2; exit 2 ;;
        */*) bins+=("$(realpath -m "$1")") ;;   # relative to where it was run
        *) bins+=("$1") ;;
    esac
    shift
done
[[ $runs =~ ^[1-9][0-9]*$ ]] || { echo "bench/ab.sh: --runs needs a positive integer" >&2; exit 2; }
((${#bins[@]})) || { usage >&2; exit 2; }
cd "$(dirname "$0")/.."
data=${data:-bench/data/large}
[[ -d $data ]] || { echo "bench/ab.sh: no dataset at $data (bench/run.sh large makes it)" >&2; exit 1; }
TIME=/usr/bin/time
"$TIME" -f '%e' true >/dev/null 2>&1 || { echo "bench/ab.sh: GNU time is missing: apt-get install -y time" >&2; exit 1; }

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
log=$out/runs

for ((round = 1; round <= runs; round++)); do
    for i in "${!bins[@]}"; do
        rm -f "$out/report.json"
        sync
        [[ -n $warm ]] && python3 bench/warm.py
        "$TIME" -f 'T %e %U %S %M %R' -o "$out/time" "${bins[$i]}" check "$data" \
            --format json --output "$out/report.json" --quiet --timings 2>"$out/err" \
            || { cat "$out/err" >&2; exit 1; }
        stages=$(sed -nE 's/^timings: reading ([0-9.]+) s ([0-9.]+) CPU-s.*validating ([0-9.]+) s ([0-9.]+) CPU-s.*pairing ([0-9.]+) s ([0-9.]+) CPU-s.*writing ([0-9.]+) s ([0-9.]+) CPU-s.*/\1 \2 \3 \4 \5 \6 \7 \8/p' "$out/err")
        line="$i $(grep '^T ' "$out/time" | cut -d' ' -f2-) $stages"
        echo "$line" >>"$log"
        echo "round $round, ${bins[$i]}: $(cut -d' ' -f2 <<<"$line") s" >&2
    done
done

python3 - "$log" "${bins[@]}" <<'EOF'
import statistics, sys
log, bins = sys.argv[1], sys.argv[2:]
rows = {}
for line in open(log):
    f = line.split()
    rows.setdefault(int(f[0]), []).append([float(x) for x in f[1:]])
names = ["wall s", "user s", "sys s", "peak MB", "faults", "reading s", "CPU-s",
         "validating s", "CPU-s", "pairing s", "CPU-s", "writing s", "CPU-s"]
print("| binary | runs | " + " | ".join(names) + " |")
print("|---|---:|" + "---:|" * len(names))
for i, runs in sorted(rows.items()):
    med = [statistics.median(c) for c in zip(*runs)]
    med[3] /= 1000  # GNU time gives KB
    cells = [f"{x:.0f}" if k in (3, 4) else f"{x:.2f}" for k, x in enumerate(med)]
    print(f"| {bins[i]} | {len(runs)} | " + " | ".join(cells) + " |")
EOF
