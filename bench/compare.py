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
CHUNK = 1 << 24  # characters read at a time


def die(msg):
    print(f"compare.py: {msg}", file=sys.stderr)
    sys.exit(2)


class Reader:
    """Reads a JSON document piece by piece, so that arrays of millions of entries can be
    walked one entry at a time (saydo's report on the large dataset is ~2 GB; json.load
    of it takes over 10 GB of memory)."""

    def __init__(self, f):
        self.f, self.buf, self.pos, self.eof = f, "", 0, False
        self.dropped = 0  # characters of the file before self.buf
        self.dec = json.JSONDecoder()

    def _more(self, at_least=CHUNK):
        """Appends at least `at_least` more characters; False at end of file."""
        if self.eof:
            return False
        if self.pos > len(self.buf) // 2:
            self.dropped += self.pos
            self.buf, self.pos = self.buf[self.pos:], 0
        text = self.f.read(at_least)
        self.eof = not text
        self.buf += text
        return not self.eof

    def peek(self):
        """The next non-blank character (not consumed), or "" at end of file."""
        while True:
            while self.pos < len(self.buf) and self.buf[self.pos] in " \t\r\n":
                self.pos += 1
            if self.pos < len(self.buf) or not self._more():
                return self.buf[self.pos:self.pos + 1]

    def error(self, msg, pos=None):
        at = self.dropped + (self.pos if pos is None else pos)
        return ValueError(f"{msg} (character {at} of the file)")

    def expect(self, ch):
        if self.peek() != ch:
            raise self.error(f"expected {ch!r}, found {self.peek() or 'end of file'!r}")
        self.pos += 1

    def value(self):
        """Decodes the next JSON value. A value that ends right at the end of the buffer
        (a number may be cut) or is cut short is decoded again with more text."""
        self.peek()
        while True:
            try:
                v, end = self.dec.raw_decode(self.buf, self.pos)
                if end < len(self.buf) or self.eof:
                    self.pos = end
                    return v
            except json.JSONDecodeError as e:
                if self.eof:
                    raise self.error(e.msg, e.pos) from None
            self._more(max(CHUNK, len(self.buf) - self.pos))

    def items(self):
        """The entries of the array that comes next, one at a time."""
        self.expect("[")
        if self.peek() == "]":
            self.pos += 1
            return
        while True:
            yield self.value()
            c = self.peek()
            self.pos += 1
            if c == "]":
                return
            if c != ",":
                raise self.error(f"expected ',' or ']' in an array, found {c or 'end of file'!r}")


def walk(path, handlers):
    """Calls handlers[key](entry) for every entry of each top-level array named in
    `handlers`; other top-level values are read and dropped (arrays entry by entry)."""
    seen = set()
    try:
        with open(path, encoding="utf-8") as f:
            r = Reader(f)
            r.expect("{")
            while r.peek() != "}":
                if not r.peek():
                    raise r.error("unexpected end of file")
                key = r.value()
                if not isinstance(key, str):
                    raise r.error("expected a key (a string)")
                r.expect(":")
                if r.peek() == "[":
                    handle = handlers.get(key)
                    for entry in r.items():
                        if handle:
                            handle(entry)
                    seen.add(key)
                else:
                    r.value()
                if r.peek() == ",":
                    r.pos += 1
            r.expect("}")
    except (OSError, ValueError) as e:  # JSONDecodeError is a ValueError
        die(f"cannot read {path}: {e}")
    missing = [k for k in handlers if k not in seen]
    if missing:
        die(f"{path}: expected a JSON object with " + " and ".join(f'"{k}"' for k in handlers) + " arrays")


# The same few verdict and kind strings would otherwise be held once per pair.
_interned = {}


def intern(v):
    return _interned.setdefault(v, v) if isinstance(v, str) else v


def load(path, with_severity):
    """Returns (pairs, pair keys listed twice, claims, claim ids listed twice) where
    pairs maps "claim_id\0action_id" to (verdict, kind, severity or None) and claims
    maps claim_id to verdict."""
    pairs, claims, pdups, cdups = {}, {}, [], []

    def pair(p):
        try:
            key = p["claim_id"] + "\0" + p["action_id"]
        except (KeyError, TypeError):
            die(f"{path}: a pair without claim_id/action_id: {p!r:.200}")
        if key in pairs:
            pdups.append(key)
        pairs[key] = (intern(p.get("verdict")), intern(p.get("kind")),
                      p.get("severity") if with_severity else None)

    def claim(c):
        try:
            key = c["claim_id"]
        except (KeyError, TypeError):
            die(f"{path}: a claim without claim_id: {c!r:.200}")
        if key in claims:
            cdups.append(key)
        claims[key] = intern(c.get("verdict"))

    walk(path, {"pairs": pair, "claims": claim})
    return pairs, pdups, claims, cdups


def pair_name(key):
    return key.replace("\0", " ")


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

    sev = a.severity_tolerance is not None
    s_pairs, s_pdup, s_claims, s_cdup = load(a.saydo_report, sev)
    d_pairs, d_pdup, d_claims, d_cdup = load(a.duckdb_report, sev)

    common = s_pairs.keys() & d_pairs.keys()
    common_claims = s_claims.keys() & d_claims.keys()

    # Each kind of difference: its count and the first MAX_EXAMPLES examples, in id order.
    diffs = {}

    def note(kind, example):
        d = diffs[kind]
        d[0] += 1
        if len(d[1]) < MAX_EXAMPLES:
            d[1].append(example)

    kinds = ["pairs only in saydo", "pairs only in duckdb", "pair verdict differs", "pair kind differs"]
    sev_kind = f"pair severity differs by > {a.severity_tolerance:g}" if sev else None
    kinds += [sev_kind] if sev else []
    kinds += ["claims only in saydo", "claims only in duckdb", "claim verdict differs",
              "pairs listed twice in saydo", "pairs listed twice in duckdb",
              "claims listed twice in saydo", "claims listed twice in duckdb"]
    for kind in kinds:
        diffs[kind] = [0, []]

    for key in sorted(s_pairs.keys() - common):
        note("pairs only in saydo", f"{pair_name(key)} ({js(s_pairs[key][0])})")
    for key in sorted(d_pairs.keys() - common):
        note("pairs only in duckdb", f"{pair_name(key)} ({js(d_pairs[key][0])})")
    verdict_moves = Counter()
    for key in sorted(common):
        (sv, sk, ss), (dv, dk, ds) = s_pairs[key], d_pairs[key]
        if sv != dv:
            verdict_moves[(sv, dv)] += 1
            note("pair verdict differs", f"{pair_name(key)}: saydo {js(sv)}, duckdb {js(dv)}")
        if sk != dk:
            note("pair kind differs",
                 f"{pair_name(key)}: saydo {js(sk)}, duckdb {js(dk)} (verdicts {js(sv)}/{js(dv)})")
        if sev and severity_differs(ss, ds, a.severity_tolerance):
            note(sev_kind, f"{pair_name(key)}: saydo {js(ss)}, duckdb {js(ds)}")
    for c in sorted(s_claims.keys() - common_claims):
        note("claims only in saydo", c)
    for c in sorted(d_claims.keys() - common_claims):
        note("claims only in duckdb", c)
    for c in sorted(common_claims):
        if s_claims[c] != d_claims[c]:
            note("claim verdict differs", f"{c}: saydo {js(s_claims[c])}, duckdb {js(d_claims[c])}")
    for who, dups in (("saydo", s_pdup), ("duckdb", d_pdup)):
        for key in sorted(dups):
            note(f"pairs listed twice in {who}", pair_name(key))
    for who, dups in (("saydo", s_cdup), ("duckdb", d_cdup)):
        for c in sorted(dups):
            note(f"claims listed twice in {who}", c)

    print(f"saydo:  {a.saydo_report}")
    print(f"duckdb: {a.duckdb_report}")
    print(f"pairs:  saydo {len(s_pairs)}, duckdb {len(d_pairs)}, in both {len(common)}")
    print(f"claims: saydo {len(s_claims)}, duckdb {len(d_claims)}, in both {len(common_claims)}")
    show_counts("pair verdicts", Counter(v[0] for v in s_pairs.values()), Counter(v[0] for v in d_pairs.values()))
    show_counts("pair kinds", Counter(v[1] for v in s_pairs.values()), Counter(v[1] for v in d_pairs.values()))
    show_counts("claim verdicts", Counter(s_claims.values()), Counter(d_claims.values()))

    print("\ndifferences:")
    width = max(len(k) for k in diffs)
    for kind, (n, _) in diffs.items():
        print(f"  {kind:<{width}}  {n}")
    if verdict_moves:
        print("\npair verdict changes (saydo -> duckdb):")
        for (sv, dv), n in verdict_moves.most_common():
            print(f"  {js(sv)} -> {js(dv)}: {n}")
    for kind, (n, examples) in diffs.items():
        if n:
            more = f", first {MAX_EXAMPLES}" if n > MAX_EXAMPLES else ""
            print(f"\n{kind} ({n}{more}):")
            for line in examples:
                print(f"  {line}")

    total = sum(n for n, _ in diffs.values())
    print(f"\n{'IDENTICAL' if total == 0 else 'DIFFERENT'}: {total} differences")
    return 0 if total == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
