"""`ftlint stats`: exact token lengths of every row, their distribution, and the
max_length that keeps 99% / 100% of rows."""

from __future__ import annotations

import bisect
import dataclasses
import math
from array import array
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ftlint.engine import parallel
from ftlint.engine.rows import Row, iter_rows
from ftlint.engine.sources import Source
from ftlint.options import CheckOptions
from ftlint.platform.conversations import conversations_of
from ftlint.platform.packages import Package, row_image_tokens
from ftlint.platform.tokenizers import meter_for

PERCENTILES = (50, 90, 95, 99)


@dataclass
class FileStats:
    path: str
    model: str
    limit: int
    n_epochs: int
    min_max_length: int  # the smallest max_length the profile allows
    model_max: int
    images_estimated: bool = False  # image tokens (an estimate by image size) are included
    formats: Counter[str] = field(default_factory=Counter)
    turns: array[int] = field(default_factory=lambda: array("I"))
    tokens: array[int] = field(default_factory=lambda: array("I"))
    _ordered: list[int] = field(default_factory=list, repr=False, compare=False)

    @property
    def rows(self) -> int:
        return len(self.tokens)

    @property
    def total(self) -> int:
        return sum(self.tokens)

    def percentile(self, p: float) -> int:
        """Nearest rank: the smallest count that p% of rows do not exceed."""
        ordered = self._sorted()
        return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)] if ordered else 0

    def _sorted(self) -> list[int]:
        if len(self._ordered) != len(self.tokens):
            self._ordered = sorted(self.tokens)
        return self._ordered

    def over_limit(self) -> int:
        return sum(1 for n in self.tokens if n > self.limit)

    def max_length_keeping(self, p: float) -> int | None:
        """The smallest allowed max_length that keeps p% of rows; None if even the
        model's maximum does not."""
        needed = max(self.percentile(p), self.min_max_length)
        return needed if needed <= self.model_max else None

    def histogram(self, max_bins: int = 24) -> list[tuple[int, int, int]]:
        """(low, high, rows) from the shortest row to the longest, in bins of a round width
        chosen from the data: numpy's "auto" rule (the narrower of Freedman-Diaconis,
        2·IQR/n^(1/3), and Sturges, range/(log2 n + 1)), widened to at most `max_bins`
        bins. The bin holding the limit is split at it, so every bin is wholly kept or
        wholly over the limit."""
        ordered = self._sorted()
        if not ordered:
            return []
        low, high, n = ordered[0], ordered[-1], len(ordered)
        spread = high - low
        iqr = self.percentile(75) - self.percentile(25)
        sturges = spread / (math.log2(n) + 1)
        raw = min(2 * iqr / n ** (1 / 3), sturges) if iqr else sturges
        width = _round_width(max(raw, spread / max_bins, 1))
        start = low // width * width
        edges = list(range(start, high + 1, width))
        bins: list[tuple[int, int]] = []
        for edge in edges:
            top = edge + width - 1
            if edge <= self.limit < top:
                bins += [(edge, self.limit), (self.limit + 1, top)]
            else:
                bins.append((edge, top))
        return [(a, b, bisect.bisect_right(ordered, b) - bisect.bisect_left(ordered, a)) for a, b in bins]

    def to_dict(self) -> dict[str, Any]:
        turns = list(self.turns)
        return {
            "path": self.path,
            "model": self.model,
            "rows": self.rows,
            "formats": dict(self.formats),
            "turns": {"min": min(turns, default=0), "mean": round(sum(turns) / len(turns), 2) if turns else 0, "max": max(turns, default=0)},
            "tokens": {
                "min": min(self.tokens, default=0),
                "mean": round(self.total / self.rows, 1) if self.rows else 0,
                **{f"p{p}": self.percentile(p) for p in PERCENTILES},
                "max": max(self.tokens, default=0),
                "total": self.total,
                "total_x_epochs": self.total * self.n_epochs,
            },
            "n_epochs": self.n_epochs,
            "image_tokens_estimated": self.images_estimated,
            "limit": self.limit,
            "rows_over_limit": self.over_limit(),
            "max_length_for_99_percent": self.max_length_keeping(99),
            "max_length_for_all": self.max_length_keeping(100),
            "histogram": [{"from": lo, "to": hi, "rows": n} for lo, hi, n in self.histogram()],
        }


def _round_width(raw: float) -> int:
    """The smallest of 1, 2, 5, 10, 20, 50, ... that is at least `raw`."""
    for power in range(0, 9):
        for step in (1, 2, 5):
            width: int = step * 10**power
            if width >= raw:
                return width
    return int(raw) + 1


def turns_of(row: Row) -> int:
    """Conversation rounds: user turns (1 for prompt/completion, 0 for CPT text)."""
    kind, value, _ = conversations_of(row)[0]
    return 0 if kind == "text" else sum(1 for m in value if m.get("role") == "user")


def collect(source: Source, options: CheckOptions, on_row: Callable[[int, int, str | None, int], None] | None = None, jobs: int = 1,
            progress: Callable[[int], None] | None = None) -> FileStats:
    """Exact token counts of every row. With jobs > 1 a large plain file is counted by
    worker processes over byte ranges, merged in file order (the same result).
    `progress(bytes)` hears how far the count has got, as `check`'s does."""
    if jobs > 1 and parallel.worth_it(source):
        return _collect_in_parallel(source, options, jobs, on_row, progress)
    stats = empty_stats(source, options)
    package = Package(source.path) if source.is_package and source.path is not None else None
    stats.images_estimated = package is not None
    with source.open() as stream:
        count_rows(_Counted(stream, progress) if progress is not None else stream, options, stats, on_row, package=package)
    return stats


class _Counted:
    """A stream that reports the bytes read so far, every few megabytes."""

    def __init__(self, stream: Any, progress: Callable[[int], None]) -> None:
        self._stream, self._progress = stream, progress
        self._read = self._told = 0

    def read(self, size: int = -1) -> bytes:
        data: bytes = self._stream.read(size)
        self._read += len(data)
        if self._read - self._told >= 4 << 20 or not data:
            self._told = self._read
            self._progress(self._read)
        return data


def empty_stats(source: Source, options: CheckOptions) -> FileStats:
    model = options.model_entry
    assert model is not None
    return FileStats(
        path=source.name,
        model=model.name,
        limit=options.token_limit or model.max_tokens,
        n_epochs=int(options.hyperparameter("n_epochs")),
        min_max_length=int(options.platform_profile.hyperparameters["max_length"].minimum or 1),
        model_max=model.max_tokens,
    )


def count_rows(stream, options: CheckOptions, stats: FileStats, on_row=None, at_file_start: bool = True, package=None) -> int:  # type: ignore[no-untyped-def]
    """Count every row of a stream into `stats` (image tokens estimated for the rows of
    an image package); returns the stream's physical lines."""
    model = options.model_entry
    assert model is not None
    meter = meter_for(model)
    lines: list[int] = []
    for row in iter_rows(stream, options.data_format, at_file_start, package, lines):
        if package is not None:
            row = dataclasses.replace(row, extra_tokens=row_image_tokens(row, package, model))
        tokens = meter.count(row)
        turns = turns_of(row)
        stats.tokens.append(tokens)
        stats.turns.append(turns)
        stats.formats[row.format or "unknown"] += 1
        if on_row:
            on_row(row.line, tokens, row.format, turns)
    return lines[0]


def _stats_range(task: tuple[Source, int, int, CheckOptions, bool]) -> tuple[int, FileStats, list[tuple[int, int, str | None, int]]]:
    """A worker: exact counts of the rows in [start, end), with range-local lines."""
    source, start, end, options, per_row = task
    stats = empty_stats(source, options)
    rows: list[tuple[int, int, str | None, int]] = []
    assert source.path is not None
    stream = parallel.Window(source.path, start, end)
    try:
        lines = count_rows(stream, options, stats, (lambda *r: rows.append(r)) if per_row else None, at_file_start=start == 0)
    finally:
        stream.close()
    return lines, stats, rows


def _collect_in_parallel(source: Source, options: CheckOptions, jobs: int, on_row: Callable[[int, int, str | None, int], None] | None,
                         progress: Callable[[int], None] | None = None) -> FileStats:
    assert options.model_entry is not None and source.path is not None
    meter_for(options.model_entry)  # load the tokenizer once, before the workers fork
    total = empty_stats(source, options)
    offset = 0
    tasks = [(source, a, b, options, on_row is not None) for a, b in parallel.cut(source.path, jobs)]
    done = 0
    for (_source, start, end, _options, _per_row), (lines, part, rows) in zip(tasks, parallel.run(_stats_range, tasks, jobs), strict=True):
        done += end - start
        if progress is not None:
            progress(done)
        total.tokens.extend(part.tokens)
        total.turns.extend(part.turns)
        total.formats.update(part.formats)
        if on_row is not None:
            for line, tokens, fmt, turns in rows:
                on_row(line + offset, tokens, fmt, turns)
        offset += lines
    return total
