"""`ftlint split`: a seeded random training/validation split, balanced across formats
and lengths, in two streaming passes.

Pass 1 reads the file and puts each row in a stratum (its format and its byte-length
quartile). The validation rows are then drawn at random, with the seed, inside each
stratum, so both parts keep the file's mix. Pass 2 writes every row, in file order,
to its part. Memory holds one small number per row (its stratum) and the chosen
validation row indexes, never the rows.
"""

from __future__ import annotations

import random
from array import array
from collections import Counter
from dataclasses import dataclass, field
from typing import BinaryIO

from ftlint.lines import LineReader, parse_line
from ftlint.rows import FORMATS, detect_format

STRATA_PER_FORMAT = 4  # length quartiles


@dataclass
class SplitPlan:
    rows: int = 0  # rows (non-blank lines) in the input
    blank_lines: int = 0
    validation: set[int] = field(default_factory=set)  # 0-based row indexes
    strata: Counter[str] = field(default_factory=Counter)

    @property
    def training_rows(self) -> int:
        return self.rows - len(self.validation)


def plan(stream: BinaryIO, ratio: float, seed: int) -> SplitPlan:
    """Pass 1: which rows go to validation. `ratio` is the training share."""
    result = SplitPlan()
    formats = list(FORMATS) + ["unknown"]
    kinds = array("B")
    sizes = array("I")
    for number, raw in LineReader(stream):
        if not raw.strip():
            result.blank_lines += 1
            continue
        line = parse_line(number, raw)
        fmt = detect_format(line.value) if isinstance(line.value, dict) else None
        kinds.append(formats.index(fmt or "unknown"))
        sizes.append(min(len(raw), 2**32 - 1))
    result.rows = len(kinds)
    # Length quartiles per format, from the sizes seen.
    by_format: dict[int, list[int]] = {}
    for index, kind in enumerate(kinds):
        by_format.setdefault(kind, []).append(index)
    rng = random.Random(seed)
    for kind, members in sorted(by_format.items()):
        ordered = sorted(members, key=lambda i: (sizes[i], i))
        for q in range(STRATA_PER_FORMAT):
            stratum = ordered[q * len(ordered) // STRATA_PER_FORMAT : (q + 1) * len(ordered) // STRATA_PER_FORMAT]
            if not stratum:
                continue
            take = round(len(stratum) * (1 - ratio))
            chosen = rng.sample(stratum, take)
            result.validation.update(chosen)
            result.strata[f"{formats[kind]} q{q + 1}"] = len(stratum)
    # Rounding inside strata can leave the total one or two off the exact share: even it out.
    target = round(result.rows * (1 - ratio))
    if len(result.validation) < target:
        rest = sorted(set(range(result.rows)) - result.validation)
        while len(result.validation) < target and rest:
            result.validation.add(rest.pop(rng.randrange(len(rest))))
    elif len(result.validation) > target:
        extra = sorted(result.validation)
        while len(result.validation) > target:
            result.validation.discard(extra.pop(rng.randrange(len(extra))))
    return result


def write(stream: BinaryIO, split: SplitPlan, write_train, write_validation) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    """Pass 2: every row, byte for byte, to its part, in file order."""
    index = 0
    counts = [0, 0]
    for _, raw in LineReader(stream):
        if not raw.strip():
            continue
        if raw.endswith(b"\r"):
            raw = raw[:-1]
        if index in split.validation:
            write_validation(raw + b"\n")
            counts[1] += 1
        else:
            write_train(raw + b"\n")
            counts[0] += 1
        index += 1
    return counts[0], counts[1]
