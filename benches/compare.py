#!/usr/bin/env python3
"""asl-lint against the physical limit (and, with --with-peers, its peers).

    python3 benches/compare.py [--files 2000] [--runs 5] [--work DIR]
                               [--with-peers] [--peer-files 200] [--no-million]

Steps, all in one run (nothing here is part of `cargo test`):

1. builds the release binary and the examples gen_corpus and serde_limit;
2. generates a deterministic corpus (seed 42) of --files definitions of
   2-80 KB (JSONPath and JSONata, nested Parallel and Map, Retry, Catch,
   Choice; about 5 % with typical mistakes) into WORK/corpus;
3. measures, alternating runs and keeping the median: `asl-lint check` over
   the corpus (files/s, MB/s) and the physical limit, examples/serde_limit:
   read every file and parse it with serde_json into a Value, on the same
   rayon threads; peak memory of both with /usr/bin/time -v;
4. peak memory of asl-lint on the largest corpus file alone;
5. unless --no-million: lints a generated chain of 1,000,000 states with the
   release build, with time and peak memory (tests/hostile.rs lints the same
   chain in the debug build for its outcome, not its time);
6. with --with-peers: installs into WORK/peers the npm packages
   asl-validator and amazon-states-language-service (driven by
   benches/peers/asls-driver.js) and the PyPI packages statelint and cfn-lint
   (each definition wrapped in a minimal CloudFormation template), pinned to
   the versions /work/shared/ANCHORS.md examined (PEERS below), runs each on
   the first --peer-files files, and reports files/s and the ratio to
   asl-lint on the same files. Each peer is labelled with the version read
   back from the installation, not the pin.

Prints a Markdown report and writes WORK/results.json. WORK defaults to
$TMPDIR/asl-lint-bench.
"""

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TIME = "/usr/bin/time"


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, **kw)


def timed(cmd, stdout=subprocess.DEVNULL, env=None, ok=(0, 1)):
    """Wall seconds of one run, and peak RSS in KB when /usr/bin/time exists."""
    full = list(cmd)
    rss_file = None
    if os.path.exists(TIME):
        rss_file = tempfile.NamedTemporaryFile(delete=False, suffix=".time")
        rss_file.close()
        full = [TIME, "-v", "-o", rss_file.name] + full
    start = time.perf_counter()
    p = subprocess.run(full, stdout=stdout, stderr=subprocess.PIPE, env=env)
    seconds = time.perf_counter() - start
    rss = None
    if rss_file:
        text = Path(rss_file.name).read_text()
        os.unlink(rss_file.name)
        m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", text)
        rss = int(m.group(1)) if m else None
    if p.returncode not in ok or b"Traceback" in p.stderr:
        sys.stderr.write(p.stderr.decode(errors="replace")[-2000:])
        raise SystemExit(f"{cmd[0]} failed with exit code {p.returncode}")
    return seconds, rss, p


def build():
    print("building release binaries …", file=sys.stderr)
    run(
        ["cargo", "build", "--release", "--bin", "asl-lint",
         "--example", "gen_corpus", "--example", "serde_limit"],
        cwd=ROOT,
    )
    rel = ROOT / "target" / "release"
    return rel / "asl-lint", rel / "examples" / "gen_corpus", rel / "examples" / "serde_limit"


def corpus(gen, work, files):
    out = work / "corpus"
    stamp = out / ".stamp"
    want = f"files={files} seed=42"
    if stamp.exists() and stamp.read_text() == want:
        return out
    if out.exists():
        shutil.rmtree(out)
    print(f"generating {files} definitions …", file=sys.stderr)
    run([str(gen), str(out), "--files", str(files), "--seed", "42"], stdout=subprocess.DEVNULL)
    stamp.write_text(want)
    return out


def warm(paths):
    for p in paths:
        p.read_bytes()


def median_runs(label, cmd, runs):
    times, rss = [], []
    for _ in range(runs):
        s, r, _ = timed(cmd)
        times.append(s)
        if r:
            rss.append(r)
    return {"label": label, "median_s": statistics.median(times), "min_s": min(times),
            "runs": times, "peak_rss_kb": max(rss) if rss else None}


def chain(n):
    parts = ['{"StartAt":"S0","States":{\n']
    for i in range(n):
        if i + 1 < n:
            parts.append(f'"S{i}":{{"Type":"Pass","Next":"S{i + 1}"}},\n')
        else:
            parts.append(f'"S{i}":{{"Type":"Pass","End":true}}\n')
    parts.append("}}\n")
    return "".join(parts)


# ---------------------------------------------------------------- peers

# The versions the comparison in ANCHORS.md was made with.
NPM_PEERS = {"asl-validator": "4.0.0", "amazon-states-language-service": "1.16.1"}
PYPI_PEERS = {"statelint": "3.1.0", "cfn-lint": "1.58.0"}


def npm_version(node, package):
    path = node / "node_modules" / package / "package.json"
    return json.loads(path.read_text())["version"] if path.exists() else None


def pypi_version(py, package):
    p = subprocess.run([str(py / "bin" / "python"), "-c",
                        f"import importlib.metadata as m; print(m.version({package!r}))"],
                       stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    return p.stdout.strip() if p.returncode == 0 else None


def install_peers(work):
    """Installs the pinned peers (again when another version is installed)
    and returns the folders and the installed versions."""
    peers = work / "peers"
    node = peers / "node"
    py = peers / "py"
    if any(npm_version(node, k) != v for k, v in NPM_PEERS.items()):
        print("installing npm peers …", file=sys.stderr)
        node.mkdir(parents=True, exist_ok=True)
        run(["npm", "install", "--prefix", str(node), "--no-audit", "--no-fund", "--silent",
             "--save-exact"] + [f"{k}@{v}" for k, v in NPM_PEERS.items()], stdout=subprocess.DEVNULL)
    if not (py / "bin" / "python").exists() \
            or any(pypi_version(py, k) != v for k, v in PYPI_PEERS.items()):
        print("installing PyPI peers …", file=sys.stderr)
        run([sys.executable, "-m", "venv", str(py)])
        run([str(py / "bin" / "pip"), "install", "-q"] + [f"{k}=={v}" for k, v in PYPI_PEERS.items()],
            stdout=subprocess.DEVNULL)
    versions = {k: npm_version(node, k) for k in NPM_PEERS}
    versions.update({k: pypi_version(py, k) for k in PYPI_PEERS})
    for k, v in versions.items():
        if v is None:
            raise SystemExit(f"peer {k} is not installed in {peers}")
    return node, py, versions


def cfn_templates(files, out):
    """Each definition inside a minimal CloudFormation template."""
    out.mkdir(parents=True, exist_ok=True)
    made = []
    for f in files:
        definition = json.loads(f.read_text())
        template = {
            "AWSTemplateFormatVersion": "2010-09-09",
            "Resources": {
                "Machine": {
                    "Type": "AWS::StepFunctions::StateMachine",
                    "Properties": {
                        "RoleArn": "arn:aws:iam::123456789012:role/machine",
                        "Definition": definition,
                    },
                }
            },
        }
        t = out / (f.stem + ".template.json")
        t.write_text(json.dumps(template))
        made.append(t)
    return made


def peer_runs(work, files, asl_lint, runs):
    node, py, versions = install_peers(work)
    listing = work / "peer-files.txt"
    listing.write_text("".join(f"{f}\n" for f in files))
    subset = work / "peer-subset"
    if subset.exists():
        shutil.rmtree(subset)
    subset.mkdir()
    for f in files:
        os.symlink(f, subset / f.name)
    templates = cfn_templates(files, work / "peer-templates")
    n = len(files)
    results = {}

    def measure(name, cmd, env=None, note=""):
        times = []
        for _ in range(runs):
            # Linters exit non-zero when they find problems (cfn-lint: a
            # bit mask of levels); a crash is caught by its traceback.
            s, _, _ = timed(cmd, env=env, ok=range(0, 32))
            times.append(s)
        med = statistics.median(times)
        results[name] = {"files": n, "median_s": med, "files_per_s": n / med, "note": note}
        print(f"  {name}: {n / med:.1f} files/s", file=sys.stderr)

    print(f"peers on {n} files …", file=sys.stderr)
    measure("asl-lint", [str(asl_lint), "check", "-q", "--format", "concise", str(subset)])
    args = []
    for f in files:
        args += ["--json-path", str(f)]
    measure(f"asl-validator {versions['asl-validator']} (npm)",
            ["node", str(node / "node_modules" / "asl-validator" / "dist" / "bin" / "asl-validator.js"),
             "--silent"] + args, note="one process for all files")
    env = dict(os.environ, NODE_PATH=str(node / "node_modules"))
    measure(f"amazon-states-language-service {versions['amazon-states-language-service']} (npm)",
            ["node", str(ROOT / "benches" / "peers" / "asls-driver.js"), str(listing)], env=env,
            note="library, one process, via benches/peers/asls-driver.js")
    measure(f"statelint {versions['statelint']} (PyPI)", [str(py / "bin" / "statelint")] + [str(f) for f in files],
            note="one process for all files")
    measure(f"cfn-lint {versions['cfn-lint']} (PyPI)", [str(py / "bin" / "cfn-lint"), "--format", "parseable", "--"]
            + [str(t) for t in templates],
            note="each definition wrapped in a minimal template")
    base = results["asl-lint"]["files_per_s"]
    for r in results.values():
        r["ratio_to_asl_lint"] = r["files_per_s"] / base
    return results, versions


# ---------------------------------------------------------------- main

def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--files", type=int, default=2000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "asl-lint-bench")
    ap.add_argument("--with-peers", action="store_true")
    ap.add_argument("--peer-files", type=int, default=200)
    ap.add_argument("--peer-runs", type=int, default=1)
    ap.add_argument("--no-million", action="store_true")
    a = ap.parse_args()
    a.work.mkdir(parents=True, exist_ok=True)

    asl_lint, gen, limit = build()
    corp = corpus(gen, a.work, a.files)
    files = sorted(corp.glob("*.json"))
    total = sum(f.stat().st_size for f in files)
    largest = max(files, key=lambda f: f.stat().st_size)
    warm(files)
    threads = os.cpu_count()
    print(f"corpus: {len(files)} files, {total / 1e6:.1f} MB, largest {largest.stat().st_size / 1024:.1f} KB; "
          f"{threads} threads", file=sys.stderr)

    # Alternate the two so both see the same machine load.
    lint_cmd = [str(asl_lint), "check", "-q", "--format", "concise", str(corp)]
    limit_cmd = [str(limit), str(corp)]
    timed(lint_cmd)
    timed(limit_cmd)
    lint_t, limit_t, lint_rss, limit_rss = [], [], [], []
    for _ in range(a.runs):
        s, r, _ = timed(limit_cmd)
        limit_t.append(s)
        limit_rss.append(r or 0)
        s, r, _ = timed(lint_cmd)
        lint_t.append(s)
        lint_rss.append(r or 0)
    lint_med, limit_med = statistics.median(lint_t), statistics.median(limit_t)
    ratios = sorted(l / m for l, m in zip(lint_t, limit_t))
    largest_run = median_runs("largest file", [str(asl_lint), "check", "-q", str(largest)], 3)

    results = {
        "corpus": {"files": len(files), "bytes": total, "largest_bytes": largest.stat().st_size,
                   "threads": threads},
        "asl_lint": {"median_s": lint_med, "runs": lint_t, "files_per_s": len(files) / lint_med,
                     "mb_per_s": total / 1e6 / lint_med, "peak_rss_kb": max(lint_rss)},
        "serde_limit": {"median_s": limit_med, "runs": limit_t, "files_per_s": len(files) / limit_med,
                        "mb_per_s": total / 1e6 / limit_med, "peak_rss_kb": max(limit_rss)},
        "ratio_to_limit": {"of_medians": lint_med / limit_med, "paired_median": statistics.median(ratios),
                           "paired_best": ratios[0]},
        "largest_file": {"peak_rss_kb": largest_run["peak_rss_kb"], "median_s": largest_run["median_s"]},
    }

    if not a.no_million:
        big = a.work / "million.asl.json"
        if not big.exists():
            big.write_text(chain(1_000_000))
        s, r, p = timed([str(asl_lint), "check", "--format", "concise", "--max-file-size", "1GiB", str(big)],
                        stdout=subprocess.PIPE)
        results["million_states"] = {"bytes": big.stat().st_size, "seconds": s, "peak_rss_kb": r,
                                     # seconds per million states = µs per state
                                     "us_per_state": s,
                                     "output": p.stdout.decode(errors="replace").strip().splitlines()[:3]}

    if a.with_peers:
        results["peers"], results["peer_versions"] = peer_runs(
            a.work, files[: a.peer_files], asl_lint, a.peer_runs)

    (a.work / "results.json").write_text(json.dumps(results, indent=2))
    report(results)


def report(r):
    c = r["corpus"]
    print(f"\n## asl-lint against the physical limit\n")
    print(f"Corpus: {c['files']} generated definitions, {c['bytes'] / 1e6:.1f} MB "
          f"(largest {c['largest_bytes'] / 1024:.1f} KB), {c['threads']} threads, warm page cache, "
          f"medians of {len(r['asl_lint']['runs'])} alternating runs.\n")
    print("| | files/s | MB/s | wall (s) | peak RSS (MB) |")
    print("|---|---:|---:|---:|---:|")
    for name, key in [("`asl-lint check`", "asl_lint"), ("serde_json into a `Value` (limit)", "serde_limit")]:
        x = r[key]
        print(f"| {name} | {x['files_per_s']:,.0f} | {x['mb_per_s']:.1f} | {x['median_s']:.3f} | "
              f"{x['peak_rss_kb'] / 1024:.1f} |")
    q = r["ratio_to_limit"]
    print(f"\nasl-lint / limit: {q['of_medians']:.2f}× (ratio of medians), {q['paired_median']:.2f}× "
          f"(median of paired runs), best pair {q['paired_best']:.2f}×. Target: within 3×.")
    lf = r["largest_file"]
    print(f"\nLargest file alone: peak RSS {lf['peak_rss_kb'] / 1024:.1f} MB "
          f"for {c['largest_bytes'] / 1024:.1f} KB.")
    if "million_states" in r:
        m = r["million_states"]
        print(f"\n1,000,000 states ({m['bytes'] / 1e6:.0f} MB): {m['seconds']:.2f} s "
              f"({m['us_per_state']:.2f} µs per state), peak RSS {m['peak_rss_kb'] / 1024:.0f} MB.")
    if "peers" in r:
        print("\n## Peers on the same files\n")
        print("| tool | files/s | relative to asl-lint | note |")
        print("|---|---:|---:|---|")
        for name, x in r["peers"].items():
            print(f"| {name} | {x['files_per_s']:,.1f} | {x['ratio_to_asl_lint']:.4f}× | {x['note']} |")
        print("\nInstalled versions (read back): " + ", ".join(
            f"{k} {v}" for k, v in r["peer_versions"].items()) + ".")


if __name__ == "__main__":
    main()
