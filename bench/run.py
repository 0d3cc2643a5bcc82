"""ftlint's speed against the floor, on realistic data it generates.

    python bench/run.py                 # 20 MB and 200 MB files
    python bench/run.py --sizes 20      # just 20 MB

For each size it writes bench/out/bench-<size>mb.jsonl (seeded: Chinese and English
multi-turn rows from fixtures/generate.py, about 2 KB each), then times, as whole
processes on the same file: (a) the floor (bench/floor.py: read, parse and tokenize
every message on all cores, nothing else), (b) `ftlint check --model qwen-turbo`,
(c) `ftlint stats --model qwen-turbo`. It prints wall time, peak RSS and each time as
a ratio to the floor. Best of --repeat runs.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "fixtures"))
import generate  # noqa: E402

MODEL = "qwen-turbo"


def dataset(size_mb: int) -> Path:
    path = HERE / "out" / f"bench-{size_mb}mb.jsonl"
    if path.exists():
        return path
    path.parent.mkdir(exist_ok=True)
    target = size_mb * 1_000_000
    written = 0
    seed = 0
    seen: set[int] = set()  # no duplicate rows: the benchmark measures a clean file
    with open(path, "w", encoding="utf-8") as out:
        while written < target:
            for row in generate.rows("long-messages", 5000, seed=seed):
                line = generate.dumps(row) + "\n"
                if hash(line) in seen:
                    continue
                seen.add(hash(line))
                out.write(line)
                written += len(line.encode())
                if written >= target:
                    break
            seed += 1
    return path


def timed(command: list[str]) -> tuple[float, float, str]:
    """Wall seconds and peak RSS (MiB, of the largest process) of one command."""
    start = time.perf_counter()
    run = subprocess.run(["/usr/bin/time", "-f", "%M", *command], capture_output=True)
    seconds = time.perf_counter() - start
    lines = run.stderr.decode().strip().splitlines()
    peak = int(lines[-1]) / 1024 if lines and lines[-1].isdigit() else float("nan")
    if run.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(command)} failed: {run.stderr.decode()[-500:]}")
    return seconds, peak, run.stdout.decode()


def best(command: list[str], repeat: int) -> tuple[float, float, str]:
    runs = [timed(command) for _ in range(repeat)]
    return min(runs, key=lambda r: r[0])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="20,200")
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    python = sys.executable
    print(f"machine: {os.cpu_count()} cores; model {MODEL}; best of {args.repeat}")
    print("| file | rows | command | wall | ratio to floor | peak RSS |")
    print("|---|---|---|---|---|---|")
    for size in (int(s) for s in args.sizes.split(",")):
        path = dataset(size)
        floor_s, floor_mem, out = best([python, str(HERE / "floor.py"), str(path), MODEL], args.repeat)
        rows = int(out.split()[0])
        results = [("floor (parse + tokenize all)", floor_s, floor_mem)]
        for name, cmd in (
            ("ftlint check --model", [python, "-m", "ftlint", "check", str(path), "--model", MODEL, "--format", "concise"]),
            ("ftlint stats --model", [python, "-m", "ftlint", "stats", str(path), "--model", MODEL, "--format", "json"]),
        ):
            seconds, peak, _ = best(cmd, args.repeat)
            results.append((name, seconds, peak))
        for name, seconds, peak in results:
            print(f"| {size} MB | {rows:,} | {name} | {seconds:.2f} s | {seconds / floor_s:.2f}× | {peak:.0f} MiB |")


if __name__ == "__main__":
    main()
