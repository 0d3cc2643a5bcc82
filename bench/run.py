"""ftlint's speed against the floor, on realistic data it generates.

    python bench/run.py                 # 20 MB and 200 MB files
    python bench/run.py --sizes 20      # just 20 MB

The data (bench/out/bench-<size>mb.jsonl, seeded) is multi-turn SFT rows in Chinese and
English, about 2 KB each, every row distinct: the sentences come from real prose (the
English of Python's own documentation, `pydoc_data`; the Chinese of ftlint's catalog and
the test generator's dialogues), drawn at random, so no conversation is copied; what
repeats is what repeats in a real dataset, a handful of shared system prompts.

For each size it runs, as whole processes on the same file, each command alternated
with the floor (bench/floor.py: read, parse and exactly tokenize every message on all
cores, nothing else) so that both see the same machine:

- `check --model` with no row over the limit, and with 2% of the rows over it
  (--max-length set at the rows' 98th percentile), both with --no-cache;
- `stats --model`;
- a warm re-check: `check --model` (2% over) after one row of the file was edited,
  with the cache filled by a check of the file before the edit.

It prints wall time, the ratio to the floor runs next to it, and peak RSS.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "fixtures"))
import generate  # noqa: E402

MODEL = "qwen-turbo"


def corpus() -> tuple[list[str], list[str]]:
    """English and Chinese sentences of real prose."""
    from pydoc_data.topics import topics

    english = [s.strip() for text in topics.values() for s in re.split(r"(?<=[.!?])\s+", " ".join(text.split())) if 20 <= len(s.strip()) <= 400 and "think>" not in s]
    chinese: list[str] = []
    po = ROOT / "ftlint" / "locale" / "zh" / "LC_MESSAGES" / "ftlint.po"
    for match in re.finditer(r'^msgstr(?:\[0\])? "(.+)"$', po.read_text(encoding="utf-8"), re.M):
        chinese += [s for s in re.split(r"(?<=[。！？；])", match.group(1).replace("\\n", "")) if len(s) >= 8 and "<" not in s]
    for dialogue in generate.DIALOGUES:
        for user, assistant in dialogue:
            for text in (user, assistant):
                if re.search(r"[\u4e00-\u9fff]", text):
                    chinese += [s for s in re.split(r"(?<=[。！？；])", text) if len(s) >= 6 and "{" not in s]
    return english, chinese


def row(rng: random.Random, english: list[str], chinese: list[str]) -> dict:
    pool = chinese if rng.random() < 0.5 else english
    joiner = "" if pool is chinese else " "
    messages = [{"role": "system", "content": rng.choice(generate.SYSTEMS)}] if rng.random() < 0.7 else []
    for _ in range(rng.randint(1, 4)):
        messages.append({"role": "user", "content": joiner.join(rng.choices(pool, k=rng.randint(1, 3)))})
        messages.append({"role": "assistant", "content": joiner.join(rng.choices(pool, k=rng.randint(2, 9)))})
    return {"messages": messages}


def dataset(size_mb: int) -> Path:
    path = HERE / "out" / f"bench-{size_mb}mb.jsonl"
    if path.exists():
        return path
    path.parent.mkdir(exist_ok=True)
    english, chinese = corpus()
    rng = random.Random(size_mb)
    target, written = size_mb * 1_000_000, 0
    seen: set[int] = set()
    with open(path.with_suffix(".part"), "w", encoding="utf-8") as out:
        while written < target:
            line = json.dumps(row(rng, english, chinese), ensure_ascii=False) + "\n"
            if hash(line) in seen:
                continue
            seen.add(hash(line))
            out.write(line)
            written += len(line.encode())
    path.with_suffix(".part").rename(path)
    return path


def timed(command: list[str], env: dict[str, str] | None = None) -> tuple[float, float, str]:
    """Wall seconds and peak RSS (MiB, of the largest process) of one command."""
    start = time.perf_counter()
    run = subprocess.run(["/usr/bin/time", "-f", "%M", *command], capture_output=True, env=env)
    seconds = time.perf_counter() - start
    lines = run.stderr.decode().strip().splitlines()
    peak = int(lines[-1]) / 1024 if lines and lines[-1].isdigit() else float("nan")
    if run.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(command)} failed: {run.stderr.decode()[-500:]}")
    return seconds, peak, run.stdout.decode()


def percentile_limit(path: Path, share_over: float) -> tuple[int, int]:
    """The max_length that leaves `share_over` of the rows over it, and the rows' count."""
    out = timed([sys.executable, "-m", "ftlint", "stats", str(path), "--model", MODEL, "--format", "json-lines"])[2]
    lengths = sorted(json.loads(line)["tokens"] for line in out.splitlines() if line.strip())
    return lengths[int(len(lengths) * (1 - share_over))], len(lengths)


def warm_setup(path: Path, edited: Path, command: list[str], cache: Path, env: dict[str, str]) -> None:
    """A fresh cache filled by checking a copy of the file, then one row of the copy edited."""
    shutil.rmtree(cache, ignore_errors=True)
    shutil.copyfile(path, edited)
    subprocess.run(command, capture_output=True, env=env)
    lines = edited.read_bytes().split(b"\n")
    middle = len(lines) // 2
    lines[middle] = lines[middle].replace(b'"content": "', b'"content": "(edited) ', 1)
    edited.write_bytes(b"\n".join(lines))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="20,200")
    parser.add_argument("--repeat", type=int, default=2, help="runs of each command (each next to a floor run); the median is reported")
    args = parser.parse_args()
    python = sys.executable
    cache = Path(tempfile.mkdtemp(prefix="ftlint-bench-cache-"))
    env = {**os.environ, "FTLINT_CACHE_DIR": str(cache)}
    print(f"machine: {os.cpu_count()} cores; model {MODEL}; median of {args.repeat}, each run next to a floor run")
    print("| file | rows | command | wall | floor next to it | ratio to floor | peak RSS |")
    print("|---|---|---|---|---|---|---|")
    try:
        for size in (int(s) for s in args.sizes.split(",")):
            path = dataset(size)
            limit, rows = percentile_limit(path, 0.02)
            edited = HERE / "out" / f"bench-{size}mb-edited.jsonl"
            floor = [python, str(HERE / "floor.py"), str(path), MODEL]
            check = [python, "-m", "ftlint", "check", "--model", MODEL, "--format", "concise"]

            # An ftlint from before the cache (PYTHONPATH=an older checkout) has no --no-cache
            # and no warm re-check to measure.
            has_cache = "--no-cache" in subprocess.run([*check[:4], "--help"], capture_output=True, env=env).stdout.decode()
            uncached = ["--no-cache"] if has_cache else []
            commands = [
                ("check --model, no row over", [*check, str(path), "--max-length", "32768", *uncached], None),
                (f"check --model, 2% over (--max-length {limit})", [*check, str(path), "--max-length", str(limit), *uncached], None),
                ("stats --model", [python, "-m", "ftlint", "stats", str(path), "--model", MODEL, "--format", "json"], None),
            ]
            if has_cache:
                setup = functools.partial(warm_setup, path, edited, [*check, str(edited), "--max-length", str(limit)], cache, env)
                commands.append(("warm re-check after a one-row edit", [*check, str(edited), "--max-length", str(limit)], setup))
            floor_runs = []
            for name, command, setup in commands:
                walls, floors, peaks = [], [], []
                for _ in range(args.repeat):
                    floors.append(timed(floor)[0])
                    if setup is not None:
                        setup()
                    wall, peak, _ = timed(command, env)
                    walls.append(wall)
                    peaks.append(peak)
                floor_runs += floors
                wall, floor_wall = statistics.median(walls), statistics.median(floors)
                print(f"| {size} MB | {rows:,} | {name} | {wall:.2f} s | {floor_wall:.2f} s | {wall / floor_wall:.2f}× | {max(peaks):.0f} MiB |", flush=True)
            print(f"| {size} MB | {rows:,} | floor (parse + tokenize all) | {statistics.median(floor_runs):.2f} s | | 1.00× | {timed(floor)[1]:.0f} MiB |", flush=True)
            edited.unlink(missing_ok=True)
    finally:
        shutil.rmtree(cache, ignore_errors=True)


if __name__ == "__main__":
    main()
