#!/usr/bin/env python3
"""How `dazzle-lsp --check` scales (stdlib only).

    bench/scaling.py BINARY OUT_DIR [--sizes 5000,50000,200000,1000000] [--kit KIT] [--record FILE]
                     [--svg bench/scaling.svg]

Generates projects of each size (bench/gen_project.py, one file per ~2,100 lines), times
`--check . --format json` on each as a whole process (median wall time, peak RSS), fits
time = a·lines^k and RSS = b·lines^m by least squares on the logarithms, and prints a
Markdown table with the exponents. With --svg, draws both curves on log-log axes. With --kit
(the conformance kit), also times one `--check` over all of its projects at once against one
process per project. --record stores everything as jobs "scaling" and "many-projects".
"""

import argparse
import math
import os
import statistics
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from compare import run_once, store, summary  # noqa: E402


def generate(out, lines):
    target = Path(out) / f"scale-{lines}"
    if not (target / "dazzle.toml").exists():
        files = max(2, round(lines / 2100))
        subprocess.run([sys.executable, str(Path(__file__).parent / "gen_project.py"), str(target),
                        "--lines", str(lines), "--files", str(files)], check=True, stdout=subprocess.DEVNULL)
    real = sum(p.read_text().count("\n") for p in (target / "dsl").glob("*.dsl"))
    return target, real


def measure(argv, cwd, runs):
    run_once(argv, cwd, False)  # warm the file cache
    walls, rss = [], []
    for _ in range(runs):
        wall, peak, code, _ = run_once(argv, cwd, False)
        if code not in (0, 1):
            sys.exit(f"{' '.join(argv)} exited {code}")
        walls.append(wall)
        rss.append(peak)
    return walls, max(rss)


def fit(xs, ys):
    """Least squares of log y = log a + k log x: returns (a, k)."""
    lx, ly = [math.log(x) for x in xs], [math.log(y) for y in ys]
    mx, my = statistics.mean(lx), statistics.mean(ly)
    k = sum((x - mx) * (y - my) for x, y in zip(lx, ly)) / sum((x - mx) ** 2 for x in lx)
    return math.exp(my - k * mx), k


def svg(points, time_fit, rss_fit, path):
    """Two log-log panels: wall time and peak RSS against lines, measured points and the fit."""
    w, h, pad = 640, 300, 56
    xs = [p[0] for p in points]
    x0, x1 = math.log10(min(xs) / 1.5), math.log10(max(xs) * 1.5)

    def panel(ox, values, fitted, unit, colour, title):
        lo, hi = math.log10(min(values) / 1.6), math.log10(max(values) * 1.6)
        pw = w / 2 - pad - 12

        def px(x):
            return ox + pad + (math.log10(x) - x0) / (x1 - x0) * pw

        def py(y):
            return h - pad + 16 - (math.log10(y) - lo) / (hi - lo) * (h - pad - 36)

        out = [f'<text x="{ox + pad + pw / 2:.0f}" y="18" text-anchor="middle" font-weight="600">{title}</text>',
               f'<rect x="{ox + pad}" y="20" width="{pw:.0f}" height="{h - pad - 4}" fill="none" stroke="#888"/>']
        for exp in range(math.ceil(x0), math.floor(x1) + 1):
            x = px(10 ** exp)
            label = f"{10 ** exp // 1000}k" if exp >= 3 else str(10 ** exp)
            out.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="20" y2="{h - pad + 16}" stroke="#ddd"/>'
                       f'<text x="{x:.1f}" y="{h - pad + 32}" text-anchor="middle">{label}</text>')
        for exp in range(math.ceil(lo), math.floor(hi) + 1):
            y = py(10 ** exp)
            out.append(f'<line x1="{ox + pad}" x2="{ox + pad + pw:.0f}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ddd"/>'
                       f'<text x="{ox + pad - 6}" y="{y + 4:.1f}" text-anchor="end">{10 ** exp:g}</text>')
        a, k = fitted
        line = " ".join(f"{px(x):.1f},{py(a * x ** k):.1f}" for x in (min(xs), max(xs)))
        out.append(f'<polyline points="{line}" fill="none" stroke="{colour}" stroke-dasharray="4 3"/>')
        for x, y in zip(xs, values):
            out.append(f'<circle cx="{px(x):.1f}" cy="{py(y):.1f}" r="4" fill="{colour}"/>')
        out.append(f'<text x="{ox + pad + 8}" y="38" fill="{colour}">fit: ∝ lines^{k:.2f} ({unit})</text>')
        out.append(f'<text x="{ox + pad + pw / 2:.0f}" y="{h - 4}" text-anchor="middle">lines of DSL</text>')
        return out

    body = panel(0, [p[1] for p in points], time_fit, "ms", "#0969da", "--check wall time (ms)")
    body += panel(w / 2, [p[2] for p in points], rss_fit, "MB", "#bf3989", "peak RSS (MB)")
    Path(path).write_text(
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" '
        f'font-family="sans-serif" font-size="11">\n<rect width="100%" height="100%" fill="#fff"/>\n'
        + "\n".join(body) + "\n</svg>\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("binary")
    ap.add_argument("out")
    ap.add_argument("--sizes", default="5000,50000,200000,1000000")
    ap.add_argument("--kit")
    ap.add_argument("--record")
    ap.add_argument("--svg")
    a = ap.parse_args()
    binary = os.path.abspath(a.binary)
    points, commands = [], {}
    for lines in (int(s) for s in a.sizes.split(",")):
        project, real = generate(a.out, lines)
        runs = 20 if real <= 60000 else 10 if real <= 250000 else 5
        walls, rss = measure([binary, "--check", ".", "--format", "json"], project, runs)
        median = statistics.median(walls) * 1000
        points.append((real, median, rss))
        commands[f"check-{lines}"] = {**summary(walls), "runs": runs, "peak_rss_mb": round(rss, 1), "lines": real}
        print(f"  {real:>9,} lines: {median:8.1f} ms, {rss:6.1f} MB", file=sys.stderr)
    time_fit, rss_fit = fit([p[0] for p in points], [p[1] for p in points]), fit([p[0] for p in points], [p[2] for p in points])
    print("| lines | files | `--check` median | per 1k lines | peak RSS |")
    print("|---:|---:|---:|---:|---:|")
    for (real, median, rss), lines in zip(points, a.sizes.split(",")):
        files = len(list((Path(a.out) / f"scale-{lines}" / "dsl").glob("*.dsl")))
        print(f"| {real:,} | {files} | {median:.1f} ms | {median / real * 1000:.3f} ms | {rss:.1f} MB |")
    print(f"\nFitted: time ∝ lines^{time_fit[1]:.2f}, RSS ∝ lines^{rss_fit[1]:.2f}.")
    if a.svg:
        svg(points, time_fit, rss_fit, a.svg)
    if a.record:
        commands["fit"] = {"time_exponent": round(time_fit[1], 3), "rss_exponent": round(rss_fit[1], 3)}
        store(a.record, "scaling", a.out, commands)
    if a.kit:
        roots = sorted(str(p.parent) for base in ("corpus/projects/examples", "corpus/projects/fixtures")
                       for p in (Path(a.kit) / base).glob("*/dazzle.toml"))
        together, _ = measure([binary, "--check", *roots, "--format", "json"], ".", 10)
        separate = []
        for _ in range(5):
            total = 0.0
            for root in roots:
                wall, _, _, _ = run_once([binary, "--check", root, "--format", "json"], ".", False)
                total += wall
            separate.append(total)
        t, s = statistics.median(together) * 1000, statistics.median(separate) * 1000
        print(f"\n{len(roots)} kit projects: one `--check` over all {t:.1f} ms, one process each {s:.1f} ms in total ({s / t:.1f}×)")
        if a.record:
            store(a.record, "many-projects", ".", {
                "one-process": {**summary(together), "runs": len(together), "projects": len(roots)},
                "process-per-project": {**summary(separate), "runs": len(separate), "projects": len(roots)},
            })
    return 0


if __name__ == "__main__":
    sys.exit(main())
