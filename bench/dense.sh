#!/usr/bin/env bash
# bench/dense.sh: saydo on dense data against the parse-only floor, side by side.
#
# Usage: bench/dense.sh [--runs N]   (default 3 runs of each, alternating)
#
# The dense set is the one the dense-data issue names: 200 actors, 160,000
# claims and 1,000,000 actions (`bench/gen-synthetic.py --actors 200 --claims
# 160000 --actions 1000000 --seed 1`, made in bench/data/dense when missing;
# about 196 million pairs). Each round runs, in this order:
#   floor        bench/parse-only: every record parsed on all cores, nothing else
#   load         saydo validate DIR --format json (loading and validating only)
#   trend        saydo trend DIR (the table, by month)
#   top-100      saydo check DIR --top 100 --format json
#   jsonl        saydo check DIR --format jsonl, into a pipe to `wc -c` (40 GB)
#   table        saydo check DIR (the default table: twenty of each)
#   markdown     saydo check DIR --format markdown
# (`--format github` writes 33 GB of annotations, most severe first, in
# about three minutes; it is left out of the rounds and measured by hand.)
# Wall time, user CPU and peak RSS come from GNU time (/usr/bin/time). Prints a
# Markdown table of medians, each run's ratio to the floor's median wall time,
# and its peak memory against the data's size on disk.
set -euo pipefail
cd "$(dirname "$0")/.."

runs=3
while [ $# -gt 0 ]; do
    case "$1" in
        --runs) runs=$2; shift 2 ;;
        *) echo "usage: bench/dense.sh [--runs N]" >&2; exit 2 ;;
    esac
done

data=bench/data/dense
if [ ! -d "$data" ]; then
    python3 bench/gen-synthetic.py --actors 200 --claims 160000 --actions 1000000 \
        --out "$data" --seed 1 >&2
fi
cargo build --release --quiet
(cd bench/parse-only && cargo build --release --quiet)
saydo=target/release/saydo
floor=bench/parse-only/target/release/parse-only
log=$(mktemp -d)
trap 'rm -rf "$log"' EXIT

declare -A cmd=(
    [floor]="$floor $data"
    [load]="$saydo validate $data --format json"
    [trend]="$saydo trend $data --quiet"
    [top-100]="$saydo check $data --top 100 --format json --quiet"
    [jsonl]="$saydo check $data --format jsonl --quiet"
    [table]="$saydo check $data --quiet"
    [markdown]="$saydo check $data --format markdown --quiet"
)
order=(floor load trend top-100 jsonl table markdown)

for round in $(seq "$runs"); do
    for name in "${order[@]}"; do
        echo "round $round: $name" >&2
        # shellcheck disable=SC2086
        /usr/bin/time -o "$log/$name.$round" -f "%e %U %M" ${cmd[$name]} 2>/dev/null | wc -c >/dev/null
    done
done

median() { sort -n | awk '{v[NR]=$1} END {print (NR%2 ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2)}'; }
column() { for r in $(seq "$runs"); do awk -v c="$2" '{print $c}' "$log/$1.$r"; done | median; }

disk_mb=$(du -sm "$data" | cut -f1)
floor_wall=$(column floor 1)
echo "| run | wall (s) | × floor | user (s) | peak RSS (MB) | × data on disk ($disk_mb MB) |"
echo "|---|---:|---:|---:|---:|---:|"
for name in "${order[@]}"; do
    wall=$(column "$name" 1)
    user=$(column "$name" 2)
    rss=$(column "$name" 3)
    awk -v n="$name" -v w="$wall" -v f="$floor_wall" -v u="$user" -v r="$rss" -v d="$disk_mb" \
        'BEGIN {printf "| %s | %.2f | %.1f | %.2f | %d | %.2f |\n", n, w, w / f, u, r / 1024, r / 1024 / d}'
done
