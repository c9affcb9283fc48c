#!/usr/bin/env python3
"""Editor-like latency of the language server over stdio.

  bench/lsp_latency.py BINARY PROJECT_DIR [--edits 200] [--spawns 5] [--file PATH] [--at first|last] [--record FILE --job NAME]

Spawns the server (--spawns times, for the first figure), initializes, opens the project's largest .dsl file that declares a titled entity and measures: spawn to
first publishDiagnostics; for each of N one-character edits (type a character at the end of
the first comment-free line's trailing text, then delete it, alternating) the time until the
diagnostics of that version arrive; hover on the first entity name; completion at the start
of the entity's first body line. Prints p50/p99; --record stores the figures in a benchmark
record (see compare.py). --file names the file to open instead of the largest; --at last edits
the last titled entity of the file instead of the first.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path


class Server:
    def __init__(self, binary):
        self.proc = subprocess.Popen([binary], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        self.next_id = 1

    def send(self, message):
        body = json.dumps(message).encode()
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def receive(self):
        length = 0
        while True:
            line = self.proc.stdout.readline()
            if not line:
                raise SystemExit("the server closed its output")
            line = line.strip()
            if not line:
                break
            if line.startswith(b"Content-Length:"):
                length = int(line.split(b":")[1])
        return json.loads(self.proc.stdout.read(length))

    def request(self, method, params):
        rid = self.next_id
        self.next_id += 1
        self.send({"jsonrpc": "2.0", "id": rid, "method": method, "params": params})
        while True:
            message = self.receive()
            if message.get("id") == rid and "method" not in message:
                return message

    def notify(self, method, params):
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def diagnostics_for(self, uri, version):
        while True:
            message = self.receive()
            params = message.get("params") or {}
            if message.get("method") == "textDocument/publishDiagnostics" and params.get("uri") == uri:
                if params.get("version") == version:
                    return params


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("binary")
    ap.add_argument("project")
    ap.add_argument("--edits", type=int, default=200)
    ap.add_argument("--spawns", type=int, default=5)
    ap.add_argument("--file")
    ap.add_argument("--at", choices=["first", "last"], default="first")
    ap.add_argument("--record")
    ap.add_argument("--job")
    args = ap.parse_args()
    files = sorted(Path(args.project).resolve().rglob("*.dsl"), key=lambda p: p.stat().st_size)
    if not files:
        sys.exit("no .dsl file under the project")
    titled = lambda l: l.startswith("entity ") and l.rstrip().endswith('":')
    with_entity = [p for p in files if any(titled(l) for l in p.read_text().split("\n"))]
    if not with_entity:
        sys.exit("no file declares a titled entity to edit and hover")
    path = Path(args.file) if args.file else with_entity[-1]
    text = path.read_text()
    uri = path.as_uri()
    lines = text.split("\n")

    spawns = []
    for n in range(max(1, args.spawns)):
        start = time.perf_counter()
        server = Server(args.binary)
        server.request("initialize", {"processId": os.getpid(), "rootUri": None, "capabilities": {}})
        server.notify("initialized", {})
        server.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "dazzle", "version": 1, "text": text}})
        server.diagnostics_for(uri, 1)
        spawns.append((time.perf_counter() - start) * 1000)
        if n + 1 < max(1, args.spawns):
            server.request("shutdown", None)
            server.notify("exit", None)
            server.proc.wait(timeout=10)
    first = statistics.median(spawns)

    # Edit at the end of the first entity's title line: a place where a typed character is
    # ordinary text (the string's content), so each edit is a realistic keystroke.
    titles = [i for i, l in enumerate(lines) if titled(l)]
    line_no = titles[0] if args.at == "first" else titles[-1]
    col = len(lines[line_no].rstrip()) - 2  # inside the closing quote
    edits = []
    for n in range(args.edits):
        version = n + 2
        if n % 2 == 0:
            change = {"range": {"start": {"line": line_no, "character": col}, "end": {"line": line_no, "character": col}}, "text": "x"}
        else:
            change = {"range": {"start": {"line": line_no, "character": col}, "end": {"line": line_no, "character": col + 1}}, "text": ""}
        t = time.perf_counter()
        server.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version}, "contentChanges": [change]})
        server.diagnostics_for(uri, version)
        edits.append((time.perf_counter() - t) * 1000)

    name_col = len("entity ")
    hovers = []
    for _ in range(50):
        t = time.perf_counter()
        reply = server.request("textDocument/hover", {"textDocument": {"uri": uri}, "position": {"line": line_no, "character": name_col}})
        hovers.append((time.perf_counter() - t) * 1000)
    assert reply.get("result"), "hover on an entity answers"

    completions = []
    for _ in range(50):
        t = time.perf_counter()
        reply = server.request("textDocument/completion", {"textDocument": {"uri": uri}, "position": {"line": line_no + 1, "character": 2}})
        completions.append((time.perf_counter() - t) * 1000)
    assert reply.get("result"), "completion in an entity body answers"

    server.request("shutdown", None)
    server.notify("exit", None)
    server.proc.wait(timeout=10)
    print(f"file: {path} ({len(lines)} lines; project {sum(1 for _ in Path(args.project).rglob('*.dsl'))} files)")
    print(f"spawn -> first diagnostics: {first:.1f} ms (median of {len(spawns)})")
    print(f"edit -> diagnostics over {len(edits)} edits: p50 {statistics.median(edits):.2f} ms, p99 {percentile(edits, 99):.2f} ms")
    print(f"hover over {len(hovers)} requests: p50 {statistics.median(hovers):.2f} ms, p99 {percentile(hovers, 99):.2f} ms")
    print(f"completion over {len(completions)} requests: p50 {statistics.median(completions):.2f} ms, p99 {percentile(completions, 99):.2f} ms")
    if args.record:
        from compare import store, summary  # bench/compare.py, beside this script

        def figures(ms):
            return {**summary([v / 1000 for v in ms]), "p99_ms": round(percentile(ms, 99), 3), "runs": len(ms)}

        store(args.record, args.job or "lsp", args.project, {
            "spawn_first_diagnostics": figures(spawns),
            "edit_diagnostics": figures(edits),
            "hover": figures(hovers),
            "completion": figures(completions),
        })


if __name__ == "__main__":
    main()
