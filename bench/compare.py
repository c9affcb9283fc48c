#!/usr/bin/env python3
"""Time whole processes side by side (stdlib only): median wall time and peak RSS per command,
and compare benchmark records.

    bench/compare.py --cwd DIR --runs 10 --ref-runs 3 [--same-output] [--record FILE --job NAME] \\
        --cmd 'dazzle-lsp=target/release/dazzle-lsp matrix . --format json' \\
        --cmd 'reference=.venv-ref/bin/dazzle rbac matrix --format json'

    bench/compare.py --records OLD.json NEW.json
    bench/compare.py --gate RECORD.json NEW.json

The first --cmd is "ours"; every other is compared with it (ratio = their median / ours).
Each command runs once untimed first (warm file cache), then --runs times (the others
--ref-runs times). With --same-output, the first command's stdout is checked to equal every
other's. With --record, the figures (every run's wall time, median, quartiles, peak RSS) are
stored as job NAME in the JSON record FILE (bench/results/DATE.json), created if missing.

--records prints, for every figure present in both records, the old and new medians and
whether it moved by more than the noise: more than 10% and more than twice the larger
interquartile spread of the two.

--gate is CI's safety net on a noisy machine: for every job of NEW that timed the reference
beside dazzle-lsp, the speed-up (reference median / ours) must be at least half of the one in
the committed RECORD; exit 1 otherwise.
"""
import argparse
import json
import os
import platform
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
    ap.add_argument("--cmd", action="append", help="NAME=COMMAND")
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--ref-runs", type=int, default=3)
    ap.add_argument("--same-output", action="store_true", help="require identical stdout")
    ap.add_argument("--record", help="store the figures in this JSON record")
    ap.add_argument("--job", help="the job's name in the record")
    if len(sys.argv) > 1 and sys.argv[1] in ("--records", "--gate"):
        if len(sys.argv) != 4:
            ap.error(f"{sys.argv[1]} OLD.json NEW.json")
        return (compare_records if sys.argv[1] == "--records" else gate)(sys.argv[2], sys.argv[3])
    a = ap.parse_args()
    if not a.cmd:
        ap.error("at least one --cmd NAME=COMMAND")
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
        rows.append((name, statistics.median(walls), min(walls), max(rss), code, runs, walls))
    if not rows:
        return 1
    ours = rows[0][1]
    print(f"{'command':14s} {'runs':>4s} {'median':>10s} {'min':>10s} {'peak RSS':>10s} {'exit':>4s} {'ratio':>8s}")
    for name, median, fastest, rss, code, runs, _ in rows:
        ratio = median / ours if ours > 0 else float("inf")
        print(f"{name:14s} {runs:4d} {median * 1000:8.1f}ms {fastest * 1000:8.1f}ms {rss:8.1f}MB {code:4d} {ratio:7.1f}x")
    if a.record:
        commands = {
            name: {**summary(walls), "runs": runs, "peak_rss_mb": round(rss, 1), "exit": code,
                   "ratio": round(median / ours, 3) if ours > 0 else None}
            for name, median, _, rss, code, runs, walls in rows
        }
        store(a.record, a.job or "job", a.cwd, commands)
    if a.same_output and len(outputs) > 1:
        first = next(iter(outputs.values()))
        for name, out in outputs.items():
            print(f"stdout of {name}: {'identical' if out == first else 'DIFFERENT'}")
    return 0


def quartiles(values):
    """The 25th and 75th percentiles (inclusive method; the value itself for one run)."""
    if len(values) < 2:
        return values[0], values[0]
    q = statistics.quantiles(values, n=4, method="inclusive")
    return q[0], q[2]


def git(*args):
    try:
        return subprocess.run(["git", *args], capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None


def summary(seconds):
    """Median, minimum, quartiles and every value of a list of durations in seconds, in ms."""
    q1, q3 = quartiles(seconds)
    ms = lambda v: round(v * 1000, 3)  # noqa: E731
    return {"median_ms": ms(statistics.median(seconds)), "min_ms": ms(min(seconds)), "q1_ms": ms(q1),
            "q3_ms": ms(q3), "walls_ms": [ms(v) for v in seconds]}


def store(path, job, cwd, commands):
    """Adds (or replaces) `job` — `commands`: name -> figures with `median_ms`, `q1_ms`, `q3_ms` —
    in the JSON record at `path`."""
    try:
        with open(path) as f:
            record = json.load(f)
    except FileNotFoundError:
        record = {
            "schema": "dazzle-lsp-bench/1",
            "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "commit": git("rev-parse", "HEAD"),
            "machine": {"cpus": os.cpu_count(), "system": platform.system(), "release": platform.release(),
                        "python": platform.python_version()},
            "jobs": {},
        }
    record["jobs"][job] = {"cwd": os.path.relpath(os.path.abspath(cwd)), "commands": commands}
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(path, "w") as f:
        json.dump(record, f, indent=2)
        f.write("\n")


def figures(record):
    """`(job, command) -> (median, spread)`, spread = interquartile range / median."""
    out = {}
    for job, entry in record.get("jobs", {}).items():
        for name, c in entry.get("commands", {}).items():
            if "median_ms" not in c:  # derived figures (the scaling fit), not timings
                continue
            median = c["median_ms"]
            spread = (c["q3_ms"] - c["q1_ms"]) / median if median else 0.0
            out[(job, name)] = (median, spread)
    return out


def compare_records(old_path, new_path):
    with open(old_path) as f:
        old = figures(json.load(f))
    with open(new_path) as f:
        new = figures(json.load(f))
    common = sorted(set(old) & set(new))
    if not common:
        print("no figure in common")
        return 1
    print(f"{'job':10s} {'command':16s} {'old':>10s} {'new':>10s} {'change':>8s}  verdict")
    moved = 0
    for key in common:
        (a, sa), (b, sb) = old[key], new[key]
        change = (b - a) / a if a else 0.0
        noise = max(0.10, 2 * max(sa, sb))
        verdict = "noise" if abs(change) <= noise else ("slower" if change > 0 else "faster")
        moved += verdict != "noise"
        print(f"{key[0]:10s} {key[1]:16s} {a:8.1f}ms {b:8.1f}ms {change * 100:+7.1f}%  {verdict}"
              + ("" if verdict == "noise" else f" (noise bound {noise * 100:.0f}%)"))
    for side, keys in (("old", set(old) - set(new)), ("new", set(new) - set(old))):
        if keys:
            jobs = sorted({job for job, _ in keys})
            print(f"{len(keys)} figures only in the {side} record (jobs {', '.join(jobs)})")
    print(f"{moved} of {len(common)} figures moved beyond the noise")
    return 0


def gate(record_path, new_path):
    with open(record_path) as f:
        record = json.load(f)["jobs"]
    with open(new_path) as f:
        new = json.load(f)["jobs"]
    failed, checked = 0, 0
    for job, entry in sorted(new.items()):
        ref = entry["commands"].get("reference")
        old = record.get(job, {}).get("commands", {}).get("reference")
        if not ref or not old or not ref.get("ratio") or not old.get("ratio"):
            continue
        checked += 1
        ok = ref["ratio"] >= old["ratio"] / 2
        failed += not ok
        print(f"{job:10s} speed-up {ref['ratio']:7.1f}x (record {old['ratio']:.1f}x, floor {old['ratio'] / 2:.1f}x): "
              + ("ok" if ok else "BELOW HALF THE RECORD"))
    if not checked:
        print("no job timed the reference: nothing to gate")
    return 1 if failed else 0


def shutil_which(cmd):
    import shutil
    return shutil.which(cmd)


if __name__ == "__main__":
    sys.exit(main())
