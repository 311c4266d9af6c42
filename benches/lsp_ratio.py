#!/usr/bin/env python3
"""The language server's re-lint after an edit, against parsing the same text.

    python3 benches/lsp_ratio.py [--sample-count 20]

Runs `cargo bench --bench lint -- parse_tree serde_value lsp_relint` (divan)
and divides the median of `lsp_relint` (a `didChange` with the whole text
until the `publishDiagnostics` of that version arrives) by the median of
`parse_tree` (asl-lint's spanned parser on the same text) and of
`serde_value` (serde_json into a `Value`) at 1,000 and 5,000 states. The
targets:

- 5,000 states: the re-lint takes under 10x the parse;
- 1,000 states: "a few times" the parse, taken here as at most 5x.

The server waits for more keystrokes only while its stdio reader is in the
middle of receiving a message (`SETTLE` in src/lsp/mod.rs); over the
benchmark's in-memory connection it never waits, so the figure is the
server's own work: drain, parse, lint, convert, publish. The lint runs on
rayon's threads, so the figure depends on the cores the machine has (print
them with `nproc`). Exits 1 when a target is missed.
"""

import argparse
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# states -> (largest ratio to the parse, how the target is worded)
TARGETS = {1_000: (5.0, "a few times the parse (<= 5x)"), 5_000: (10.0, "under 10x the parse")}
UNITS = {"ns": 1e-6, "µs": 1e-3, "us": 1e-3, "ms": 1.0, "s": 1e3}


def medians(output):
    """{(bench, arg): median in ms} from divan's table."""
    out, bench = {}, None
    for line in output.splitlines():
        # The tree drawn on the left ("│  ├─ ") also uses the column bar.
        cols = line.lstrip(" │├╰─").split("│")
        if len(cols) < 4:
            continue
        head = cols[0]
        m = re.match(r"^([A-Za-z_][A-Za-z0-9_]*)\s*$", head)
        if m:
            bench = m.group(1)
            continue
        m = re.match(r"^(\d+)\s+([\d.]+)\s*(ns|µs|us|ms|s)\s*$", head)
        if m and bench:
            med = re.match(r"^\s*([\d.]+)\s*(ns|µs|us|ms|s)\s*$", cols[2])
            if med:
                out[(bench, int(m.group(1)))] = float(med.group(1)) * UNITS[med.group(2)]
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sample-count", type=int, default=20)
    a = ap.parse_args()
    cmd = ["cargo", "bench", "--bench", "lint", "--", "--sample-count", str(a.sample_count),
           "parse_tree", "serde_value", "lsp_relint"]
    print("$ " + " ".join(cmd), file=sys.stderr)
    p = subprocess.run(cmd, cwd=ROOT, stdout=subprocess.PIPE, text=True)
    sys.stdout.write(p.stdout)
    if p.returncode != 0:
        raise SystemExit(f"cargo bench failed with exit code {p.returncode}")
    m = medians(p.stdout)
    print("\n## The language server's re-lint against the parse (medians)\n")
    print("| states | re-lint | parse_tree | serde_value | re-lint / parse "
          "| re-lint / serde_value | target | |")
    print("|---:|---:|---:|---:|---:|---:|---|---|")
    ok = True
    for states, (limit, wording) in TARGETS.items():
        try:
            relint, parse, serde = (m[(b, states)] for b in ("lsp_relint", "parse_tree", "serde_value"))
        except KeyError as e:
            raise SystemExit(f"no median for {e} in the output of cargo bench")
        ratio = relint / parse
        passed = ratio <= limit if states == 1_000 else ratio < limit
        ok &= passed
        print(f"| {states:,} | {relint:.1f} ms | {parse:.2f} ms | {serde:.2f} ms | {ratio:.1f}x "
              f"| {relint / serde:.1f}x | {wording} "
              f"| {'pass' if passed else 'FAIL'} |")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
