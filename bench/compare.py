#!/usr/bin/env python3
"""Time whole processes side by side (stdlib only): median wall time and peak RSS per command.

    bench/compare.py --cwd DIR --runs 10 --ref-runs 3 --out FILE \\
        --cmd 'dazzle-lsp=target/release/dazzle-lsp matrix . --format json' \\
        --cmd 'reference=.venv-ref/bin/dazzle rbac matrix --format json'

The first --cmd is "ours"; every other is compared with it (ratio = their median / ours).
Each command runs once untimed first (warm file cache), then --runs times (the others
--ref-runs times). With --out, the first command's stdout is checked to equal every other's.
"""
import argparse
import os
import shlex
import statistics
import subprocess
import sys
import time


def run_once(argv, cwd, capture):
    start = time.perf_counter()
    proc = subprocess.Popen(argv, cwd=cwd, stdout=subprocess.PIPE if capture else subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    out = proc.stdout.read() if capture else b""
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    return wall, usage.ru_maxrss / 1024.0, code, out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cwd", default=".")
    ap.add_argument("--cmd", action="append", required=True, help="NAME=COMMAND")
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--ref-runs", type=int, default=3)
    ap.add_argument("--same-output", action="store_true", help="require identical stdout")
    a = ap.parse_args()
    rows = []
    outputs = {}
    for i, spec in enumerate(a.cmd):
        name, _, command = spec.partition("=")
        argv = shlex.split(command)
        if not os.path.exists(argv[0]) and not shutil_which(argv[0]):
            print(f"{name}: {argv[0]} not found, skipped", file=sys.stderr)
            continue
        _, _, code, out = run_once(argv, a.cwd, True)
        outputs[name] = out
        runs = a.runs if i == 0 else a.ref_runs
        walls, rss = [], []
        for _ in range(runs):
            wall, peak, _, _ = run_once(argv, a.cwd, False)
            walls.append(wall)
            rss.append(peak)
        rows.append((name, statistics.median(walls), min(walls), max(rss), code, runs))
    if not rows:
        return 1
    ours = rows[0][1]
    print(f"{'command':14s} {'runs':>4s} {'median':>10s} {'min':>10s} {'peak RSS':>10s} {'exit':>4s} {'ratio':>8s}")
    for name, median, fastest, rss, code, runs in rows:
        ratio = median / ours if ours > 0 else float("inf")
        print(f"{name:14s} {runs:4d} {median * 1000:8.1f}ms {fastest * 1000:8.1f}ms {rss:8.1f}MB {code:4d} {ratio:7.1f}x")
    if a.same_output and len(outputs) > 1:
        first = next(iter(outputs.values()))
        for name, out in outputs.items():
            print(f"stdout of {name}: {'identical' if out == first else 'DIFFERENT'}")
    return 0


def shutil_which(cmd):
    import shutil
    return shutil.which(cmd)


if __name__ == "__main__":
    sys.exit(main())
