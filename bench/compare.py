#!/usr/bin/env python3
"""Compare a saydo JSON report with the DuckDB baseline's report on the same dataset.

Usage:
  compare.py SAYDO_REPORT.json DUCKDB_REPORT.json [--severity-tolerance X]

Both reports have top-level "pairs": [{claim_id, action_id, verdict, kind, severity, ...}]
and "claims": [{claim_id, verdict, ...}]. Extra fields per entry and extra top-level
keys (saydo has more) are ignored. Compared:
  - the set of (claim_id, action_id) pairs: pairs only in one report;
  - for pairs in both: verdict, and kind (a missing kind counts as null);
  - with --severity-tolerance X: also severity, which differs when |a - b| > X
    (off by default: each tool has its own severity formula);
  - claim verdicts by claim_id (and claim ids only in one report);
  - a claim_id or (claim_id, action_id) listed twice in one report.
Prints the counts, the number of differences of each kind and up to 20 examples of
each. Exits 0 when the reports agree on all of the above, 1 when not, 2 on bad input.
Standard library only.
"""
import argparse
import json
import sys
from collections import Counter

MAX_EXAMPLES = 20


def die(msg):
    print(f"compare.py: {msg}", file=sys.stderr)
    sys.exit(2)


def load(path):
    try:
        with open(path, "rb") as f:
            doc = json.load(f)
    except (OSError, ValueError) as e:
        die(f"cannot read {path}: {e}")
    if not isinstance(doc, dict) or not isinstance(doc.get("pairs"), list) \
            or not isinstance(doc.get("claims"), list):
        die(f"{path}: expected a JSON object with \"pairs\" and \"claims\" arrays")
    return doc


def index_pairs(doc, path):
    """(claim_id, action_id) -> (verdict, kind, severity); and the keys listed twice."""
    out, dups = {}, []
    for p in doc["pairs"]:
        try:
            key = (p["claim_id"], p["action_id"])
        except (KeyError, TypeError):
            die(f"{path}: a pair without claim_id/action_id: {p!r:.200}")
        if key in out:
            dups.append(key)
        out[key] = (p.get("verdict"), p.get("kind"), p.get("severity"))
    return out, dups


def index_claims(doc, path):
    """claim_id -> verdict; and the ids listed twice."""
    out, dups = {}, []
    for c in doc["claims"]:
        try:
            key = c["claim_id"]
        except (KeyError, TypeError):
            die(f"{path}: a claim without claim_id: {c!r:.200}")
        if key in out:
            dups.append(key)
        out[key] = c.get("verdict")
    return out, dups


def severity_differs(a, b, tol):
    if not isinstance(a, (int, float)) or not isinstance(b, (int, float)):
        return a != b
    return abs(a - b) > tol


def js(v):
    """A value as it reads in JSON (null, not None)."""
    return "null" if v is None else str(v)


def show_counts(title, ca, cb):
    print(f"  {title}:")
    for k in sorted(set(ca) | set(cb), key=lambda x: (x is None, str(x))):
        print(f"    {js(k):<14} saydo {ca.get(k, 0):>10}   duckdb {cb.get(k, 0):>10}")


def main():
    ap = argparse.ArgumentParser(description="Compare a saydo report with the DuckDB baseline's.")
    ap.add_argument("saydo_report")
    ap.add_argument("duckdb_report")
    ap.add_argument("--severity-tolerance", type=float, default=None, metavar="X",
                    help="also compare severity; a pair differs when |saydo - duckdb| > X")
    a = ap.parse_args()

    s_doc, d_doc = load(a.saydo_report), load(a.duckdb_report)
    s_pairs, s_pdup = index_pairs(s_doc, a.saydo_report)
    d_pairs, d_pdup = index_pairs(d_doc, a.duckdb_report)
    s_claims, s_cdup = index_claims(s_doc, a.saydo_report)
    d_claims, d_cdup = index_claims(d_doc, a.duckdb_report)
    del s_doc, d_doc

    common = s_pairs.keys() & d_pairs.keys()
    common_claims = s_claims.keys() & d_claims.keys()

    # Each kind of difference: a list of example lines (all of them; only a few are printed).
    diffs = {}
    diffs["pairs only in saydo"] = [f"{c} {x} ({s_pairs[(c, x)][0]})" for c, x in sorted(s_pairs.keys() - common)]
    diffs["pairs only in duckdb"] = [f"{c} {x} ({d_pairs[(c, x)][0]})" for c, x in sorted(d_pairs.keys() - common)]
    verdict_moves = Counter()
    diffs["pair verdict differs"], diffs["pair kind differs"] = [], []
    if a.severity_tolerance is not None:
        diffs[f"pair severity differs by > {a.severity_tolerance:g}"] = []
    for key in sorted(common):
        (sv, sk, ss), (dv, dk, ds) = s_pairs[key], d_pairs[key]
        if sv != dv:
            verdict_moves[(sv, dv)] += 1
            diffs["pair verdict differs"].append(f"{key[0]} {key[1]}: saydo {js(sv)}, duckdb {js(dv)}")
        if sk != dk:
            diffs["pair kind differs"].append(f"{key[0]} {key[1]}: saydo {js(sk)}, duckdb {js(dk)} (verdicts {js(sv)}/{js(dv)})")
        if a.severity_tolerance is not None and severity_differs(ss, ds, a.severity_tolerance):
            diffs[f"pair severity differs by > {a.severity_tolerance:g}"].append(
                f"{key[0]} {key[1]}: saydo {js(ss)}, duckdb {js(ds)}")
    diffs["claims only in saydo"] = sorted(s_claims.keys() - common_claims)
    diffs["claims only in duckdb"] = sorted(d_claims.keys() - common_claims)
    diffs["claim verdict differs"] = [f"{c}: saydo {js(s_claims[c])}, duckdb {js(d_claims[c])}"
                                      for c in sorted(common_claims) if s_claims[c] != d_claims[c]]
    diffs["pairs listed twice in saydo"] = [f"{c} {x}" for c, x in sorted(s_pdup)]
    diffs["pairs listed twice in duckdb"] = [f"{c} {x}" for c, x in sorted(d_pdup)]
    diffs["claims listed twice in saydo"] = sorted(s_cdup)
    diffs["claims listed twice in duckdb"] = sorted(d_cdup)

    print(f"saydo:  {a.saydo_report}")
    print(f"duckdb: {a.duckdb_report}")
    print(f"pairs:  saydo {len(s_pairs)}, duckdb {len(d_pairs)}, in both {len(common)}")
    print(f"claims: saydo {len(s_claims)}, duckdb {len(d_claims)}, in both {len(common_claims)}")
    show_counts("pair verdicts", Counter(v[0] for v in s_pairs.values()), Counter(v[0] for v in d_pairs.values()))
    show_counts("pair kinds", Counter(v[1] for v in s_pairs.values()), Counter(v[1] for v in d_pairs.values()))
    show_counts("claim verdicts", Counter(s_claims.values()), Counter(d_claims.values()))

    print("\ndifferences:")
    width = max(len(k) for k in diffs)
    for kind, items in diffs.items():
        print(f"  {kind:<{width}}  {len(items)}")
    if verdict_moves:
        print("\npair verdict changes (saydo -> duckdb):")
        for (sv, dv), n in verdict_moves.most_common():
            print(f"  {js(sv)} -> {js(dv)}: {n}")
    for kind, items in diffs.items():
        if items:
            more = f", first {MAX_EXAMPLES}" if len(items) > MAX_EXAMPLES else ""
            print(f"\n{kind} ({len(items)}{more}):")
            for line in items[:MAX_EXAMPLES]:
                print(f"  {line}")

    total = sum(len(v) for v in diffs.values())
    print(f"\n{'IDENTICAL' if total == 0 else 'DIFFERENT'}: {total} differences")
    return 0 if total == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
