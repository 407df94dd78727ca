#!/usr/bin/env python3
"""Fills fuzz/corpus/<target>/ (git-ignored) with small seeds taken from the
repository: the fixtures' and the bundled claims, actions and actors files,
their records one per line for JSON Lines, the dates they hold, and the
committed seeds under fuzz/seeds/<target>/. Files already there are kept.

Run from anywhere: python3 fuzz/seed_corpus.py
"""
import glob
import hashlib
import json
import os
import re
import shutil

FUZZ = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(FUZZ)
CORPUS = os.path.join(FUZZ, "corpus")
MAX_SEED = 4096  # bytes; keep seeds small


def put(target, data):
    if isinstance(data, str):
        data = data.encode()
    if len(data) > MAX_SEED:
        return
    folder = os.path.join(CORPUS, target)
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, hashlib.sha1(data).hexdigest())
    if not os.path.exists(path):
        with open(path, "wb") as f:
            f.write(data)


def files(*patterns):
    out = []
    for p in patterns:
        out += glob.glob(os.path.join(ROOT, p))
    return sorted(out)


json_files = files(
    "tests/fixtures/*/claims/*.json",
    "tests/fixtures/*/actions/*.json",
    "tests/fixtures/*/actors/*.json",
    "claims/*.json",
    "actions/*.json",
    "actors/*.json",
)
jsonl_files = files("tests/fixtures/*/*/*.jsonl")

for p in json_files:
    data = open(p, "rb").read()
    put("load_json", data)
    put("json_reader", data)
    try:
        records = json.loads(data.decode("utf-8-sig"))
    except (ValueError, UnicodeDecodeError):
        continue
    if not isinstance(records, list):
        continue
    # Bundled files are larger than a seed: three records at a time.
    for i in range(0, len(records), 3):
        put("load_json", json.dumps(records[i : i + 3], ensure_ascii=False, indent=1) + "\n")
    lines = [json.dumps(r, ensure_ascii=False) for r in records if isinstance(r, dict)]
    for i in range(0, len(lines), 3):
        put("load_jsonl", "\n".join(lines[i : i + 3]) + "\n")
    for r in records[:5]:
        put("json_reader", json.dumps(r, ensure_ascii=False))

for p in jsonl_files:
    put("load_jsonl", open(p, "rb").read())

dates = {"2021", "2021-08", "2021-08-15", "2024-02-29", "0001-01-01", "9999-12-31"}
for p in files("tests/fixtures/**/*.json*", "claims/*", "actions/*", "actors/*"):
    text = open(p, encoding="utf-8", errors="replace").read()
    dates.update(re.findall(r'"(?:date|from|to)"\s*:\s*"([^"]*)"', text))
for d in sorted(dates):
    put("date", d)

for name in ["Land", "The Land", "Chief Person", "Tehran", "the Supreme Leader", "Iran"]:
    put("names", name)

for target in os.listdir(os.path.join(FUZZ, "seeds")):
    seeds = os.path.join(FUZZ, "seeds", target)
    for name in os.listdir(seeds):
        os.makedirs(os.path.join(CORPUS, target), exist_ok=True)
        dest = os.path.join(CORPUS, target, name)
        if not os.path.exists(dest):
            shutil.copyfile(os.path.join(seeds, name), dest)

for target in sorted(os.listdir(CORPUS)):
    folder = os.path.join(CORPUS, target)
    names = os.listdir(folder)
    size = sum(os.path.getsize(os.path.join(folder, n)) for n in names)
    print(f"{target}: {len(names)} files, {size} bytes")
