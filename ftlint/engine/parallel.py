"""A generic executor for one large file on every core: the file cut into byte
ranges at line starts, a worker function mapped over them in worker processes, the
results returned in file order. It knows nothing of checking or statistics; the
modules that own a worker (engine.scanning, stats) merge what it returns.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import TypeVar

from ftlint.engine.sources import Source

MIN_PARALLEL_BYTES = 8 << 20  # below this a serial pass is faster than starting workers
RANGE_BYTES = 4 << 20  # work unit: small enough to balance cores, large enough to amortise
SCAN_BLOCK = 1 << 16

Task = TypeVar("Task")
Result = TypeVar("Result")


def worth_it(source: Source) -> bool:
    if source.kind != "jsonl" or source.path is None:
        return False
    try:
        return source.path.stat().st_size >= MIN_PARALLEL_BYTES
    except OSError:
        return False


def cut(path: Path, jobs: int) -> list[tuple[int, int]]:
    """Byte ranges that start at line starts and cover the file."""
    size = os.path.getsize(path)
    # At least four ranges per worker, so no core idles while another finishes the tail.
    parts = max(jobs * 4, -(-size // RANGE_BYTES))
    cuts = [0]
    with open(path, "rb") as f:
        for i in range(1, parts):
            position = max(size * i // parts, cuts[-1])
            f.seek(position)
            while True:  # to just after the next line end, without reading a long line whole
                block = f.read(SCAN_BLOCK)
                if not block:
                    position = size
                    break
                at = block.find(b"\n")
                if at >= 0:
                    position += at + 1
                    break
                position += len(block)
            if position >= size:
                break
            cuts.append(position)
    cuts.append(size)
    return [(a, b) for a, b in zip(cuts, cuts[1:], strict=False) if b > a]


def first_lines(path: Path, ranges: Sequence[tuple[int, int]]) -> list[int]:
    """The file line number of each range's first line (ranges start at line starts):
    workers number lines as the file does, so a rule sees the same numbers in a worker."""
    starts = []
    newlines = 0
    position = 0
    with open(path, "rb") as f:
        for start, _ in ranges:
            while position < start:
                block = f.read(min(1 << 22, start - position))
                if not block:
                    break
                newlines += block.count(b"\n")
                position += len(block)
            starts.append(newlines + 1)
    return starts


def sample_lines(path: Path, spots: int = 16, per_spot: int = 32) -> list[tuple[bytes, bool]]:
    """(line, is the file's first line) for a few lines at each of `spots` places spread
    over the file, each line cut at its end as the line reader gives it."""
    size = os.path.getsize(path)
    found: list[tuple[bytes, bool]] = []
    with open(path, "rb") as f:
        for spot in range(spots):
            position = size * spot // spots
            f.seek(position)
            if position:
                f.readline(SCAN_BLOCK)  # to the next line start (a long line: the sample skips it)
            for n in range(per_spot):
                line = f.readline(SCAN_BLOCK)
                if not line.endswith(b"\n"):
                    break
                found.append((line[:-1], position == 0 and n == 0))  # split at "\n" only, as the line reader splits
    return found


class Window:
    """A read-only window [start, end) of a file, as a binary stream."""

    def __init__(self, path: Path, start: int, end: int) -> None:
        self._file = open(path, "rb")  # noqa: SIM115  closed by close()
        self._file.seek(start)
        self._left = end - start

    def read(self, size: int = -1) -> bytes:
        if self._left <= 0:
            return b""
        data = self._file.read(self._left if size < 0 else min(size, self._left))
        self._left -= len(data)
        return data

    def close(self) -> None:
        self._file.close()


def run(worker: Callable[[Task], Result], tasks: Sequence[Task], jobs: int) -> Iterator[Result]:
    """worker(task) for every task, in worker processes, results in task order."""
    # fork: the workers inherit the loaded rules, plugins and tokenizer.
    context = multiprocessing.get_context("fork") if "fork" in multiprocessing.get_all_start_methods() else None
    # What the workers inherit (the vocabulary's 150,000 entries among it) is frozen out
    # of the garbage collector: its passes would touch every page and copy them all.
    gc.freeze()
    try:
        with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
            yield from pool.map(worker, tasks)
    finally:
        gc.unfreeze()
