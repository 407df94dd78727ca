#!/usr/bin/env python3
"""bench/gen-gdelt.py: a synthetic GDELT 1.0 export of any size, for timing
`saydo import gdelt` (BENCHMARKS.md). Rows have the 58 tab-separated
columns of a real export, no header, ids counting up, and random but
plausible values: actor codes from a pool of made-up country codes, some
stacked with a role (GOV, MIL), a quarter of rows without an actor (as in
real exports), quad classes 1-4, Goldstein scores, days of 2015-2020, and
some events repeated (the same day, actors and code) as articles repeat
them.

Usage: bench/gen-gdelt.py ROWS OUT [--seed N]
"""
import argparse
import random
import string


def main():
    p = argparse.ArgumentParser()
    p.add_argument("rows", type=int)
    p.add_argument("out")
    p.add_argument("--seed", type=int, default=1)
    a = p.parse_args()
    rng = random.Random(a.seed)
    countries = ["".join(rng.choice(string.ascii_uppercase) for _ in range(3)) for _ in range(200)]
    roles = ["", "", "GOV", "MIL", "COP", "BUS", "OPP"]
    codes = ["010", "020", "036", "042", "051", "057", "071", "112", "130", "141", "173", "190", "193"]
    quad = {"01": 1, "02": 1, "03": 1, "04": 1, "05": 1, "07": 2, "11": 3, "13": 3, "14": 4, "17": 4, "19": 4}
    last = None
    with open(a.out, "w") as f:
        for i in range(a.rows):
            if last is not None and rng.random() < 0.1:
                row = list(last)
                row[0] = str(300000000 + i)
            else:
                day = f"{rng.randint(2015, 2020)}{rng.randint(1, 12):02}{rng.randint(1, 28):02}"
                row = [""] * 58
                row[0] = str(300000000 + i)
                row[1], row[2], row[3] = day, day[:6], day[:4]
                row[4] = f"{day[:4]}.{rng.randint(1, 9999):04}"
                if rng.random() >= 0.25:
                    c = rng.choice(countries)
                    row[5] = c + rng.choice(roles)
                    row[6] = c + " NAME"
                    row[7] = c
                if rng.random() < 0.7:
                    c = rng.choice(countries)
                    row[15] = c + rng.choice(roles)
                    row[16] = c + " NAME"
                    row[17] = c
                row[25] = rng.choice(["0", "1"])
                code = rng.choice(codes)
                row[26], row[27], row[28] = code, code, code[:2]
                row[29] = str(quad[code[:2]])
                row[30] = f"{rng.uniform(-10, 10):.1f}"
                row[31] = str(rng.randint(1, 20))
                row[32] = str(rng.randint(1, 4))
                row[33] = str(rng.randint(1, 20))
                row[34] = f"{rng.uniform(-10, 10):.6f}"
                row[56] = "20201231"
                row[57] = f"http://example.org/news/{i}.html"
            last = row
            f.write("\t".join(row) + "\n")


if __name__ == "__main__":
    main()
