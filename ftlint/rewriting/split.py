"""`ftlint split`: a seeded random training/validation split, balanced across formats
and lengths, that never lets identical rows straddle the two parts.

Rows are the records `fix` reads: a line, or an object pretty-printed over several
lines, kept whole. Pass 1 reads the file and gives each row a stratum (its format and byte-length
quartile) and a duplicate group (rows identical after stripping surrounding
whitespace, the comparison F104 makes). Validation rows are then drawn at random,
with the seed, as whole groups inside each stratum, so both parts keep the file's mix
and a duplicated row is wholly in one part: the validation loss measures
generalisation, not memorisation. Pass 2 writes every row, byte for byte and in file
order, to its part. Memory holds a few numbers per row, never the rows.
"""

from __future__ import annotations

import hashlib
import random
from array import array
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, BinaryIO

from ftlint.engine.rows import FORMATS, detect_format
from ftlint.i18n import _
from ftlint.rewriting.records import read_records

STRATA_PER_FORMAT = 4  # length quartiles


@dataclass
class SplitPlan:
    rows: int = 0  # rows (non-blank lines) in the input
    blank_lines: int = 0
    requested: int = 0  # validation rows the ratio asks for
    validation: set[int] = field(default_factory=set)  # 0-based row indexes
    strata: int = 0
    duplicate_rows: int = 0  # rows that have an identical row elsewhere in the file
    duplicate_groups: int = 0
    duplicate_groups_in_validation: int = 0
    bom: bool = False

    @property
    def training_rows(self) -> int:
        return self.rows - len(self.validation)


_FORMAT_NUMBERS = {name: number for number, name in enumerate(FORMATS)}


def _stratum_key(value: Any) -> int:
    fmt = detect_format(value) if isinstance(value, dict) else None
    return _FORMAT_NUMBERS.get(fmt, len(_FORMAT_NUMBERS)) if fmt is not None else len(_FORMAT_NUMBERS)


def plan(stream: BinaryIO, ratio: float, seed: int) -> SplitPlan:
    """Pass 1: which rows go to validation. `ratio` is the training share."""
    result = SplitPlan()
    kinds = array("B")
    sizes = array("I")
    group_of = array("I")  # row index -> index of the first identical row
    first_of: dict[bytes, int] = {}

    def blank(number: int) -> None:
        result.blank_lines += 1

    for record in read_records(stream, on_blank=blank):
        if "L102" in record.repairs:
            result.bom = True
        # The F104 comparison (surrounding whitespace stripped); a pretty-printed row's
        # own line ends count as the same whether CRLF or LF.
        body = b"\n".join(piece.rstrip(b"\r") for piece in record.raw.split(b"\n")) if record.last_line > record.first_line else record.raw.rstrip(b"\r")
        index = len(kinds)
        digest = hashlib.blake2b(body.strip(), digest_size=16).digest()
        group_of.append(first_of.setdefault(digest, index))
        kinds.append(_stratum_key(record.value if record.usable else None))
        sizes.append(min(len(body), 2**32 - 1))
    result.rows = len(kinds)
    members: dict[int, list[int]] = {}
    for index, group in enumerate(group_of):
        members.setdefault(group, []).append(index)
    del first_of
    duplicated = [g for g, rows in members.items() if len(rows) > 1]
    result.duplicate_groups = len(duplicated)
    result.duplicate_rows = sum(len(members[g]) for g in duplicated)

    rng = random.Random(seed)
    result.requested = round(result.rows * (1 - ratio))
    # Strata of groups: a group's format and length are its first row's.
    by_kind: dict[int, list[int]] = {}
    for group in members:
        by_kind.setdefault(kinds[group], []).append(group)
    chosen: set[int] = set()  # chosen groups
    taken = 0
    for _kind, groups in sorted(by_kind.items()):
        ordered = sorted(groups, key=lambda g: (sizes[g], g))
        for q in range(STRATA_PER_FORMAT):
            stratum = ordered[q * len(ordered) // STRATA_PER_FORMAT : (q + 1) * len(ordered) // STRATA_PER_FORMAT]
            if not stratum:
                continue
            result.strata += 1
            rows_here = sum(len(members[g]) for g in stratum)
            quota = round(rows_here * (1 - ratio))
            rng.shuffle(stratum)
            here = 0
            for group in stratum:
                size = len(members[group])
                if here + size <= quota:
                    chosen.add(group)
                    here += size
            taken += here
    # Rounding inside strata, and whole groups, leave the total off the requested
    # share: add or remove whole groups at random to come as close as groups allow.
    rest = sorted(set(members) - chosen)
    rng.shuffle(rest)
    for group in rest:
        size = len(members[group])
        if taken + size <= result.requested:
            chosen.add(group)
            taken += size
    picked = sorted(chosen)
    rng.shuffle(picked)
    for group in picked:
        size = len(members[group])
        if taken - size >= result.requested:
            chosen.discard(group)
            taken -= size
    for group in chosen:
        result.validation.update(members[group])
    result.duplicate_groups_in_validation = sum(1 for g in duplicated if g in chosen)
    return result


def write(stream: BinaryIO, split: SplitPlan, write_train: Callable[[bytes], Any], write_validation: Callable[[bytes], Any]) -> tuple[int, int]:
    """Pass 2: every row (a pretty-printed object whole), byte for byte with its line
    end, to its part, in file order."""
    counts = [0, 0]
    for index, record in enumerate(read_records(stream)):
        if index in split.validation:
            write_validation(record.raw + record.ending)
            counts[1] += 1
        else:
            write_train(record.raw + record.ending)
            counts[0] += 1
    return counts[0], counts[1]


def problems(split: SplitPlan, batch_size: float, min_rows: int) -> tuple[list[str], list[str]]:
    """What would make the job fail (refused unless --force), and what is only unwise."""
    refused = []
    if split.training_rows < min_rows:
        refused.append(_("the training part would have {training_rows:,} rows; the platform needs {min_rows}").format(training_rows=split.training_rows, min_rows=min_rows))
    if split.training_rows <= batch_size:
        refused.append(_("the training part's {training_rows:,} rows would not exceed batch_size {batch_size:g}").format(training_rows=split.training_rows, batch_size=batch_size))
    warnings = []
    if len(split.validation) < min_rows:
        warnings.append(_("the validation part would have {len:,} rows (fewer than {min_rows})").format(len=len(split.validation), min_rows=min_rows))
    return refused, warnings


def describe(split: SplitPlan, name: str, ratio: float, seed: int, written: tuple[int, int], train_path: str, validation_path: str) -> list[str]:
    lines = [_("split {name} (seed {seed}, {ratio:.0%} training), balanced over {strata} strata (format × length quartile)").format(name=name, seed=seed, ratio=ratio, strata=split.strata)]
    lines.append(_("  training:   {written:,} rows → {train_path}").format(written=written[0], train_path=train_path))
    lines.append(_("  validation: {written:,} rows → {validation_path}").format(written=written[1], validation_path=validation_path))
    if split.duplicate_groups:
        lines.append(
            _("  duplicates: {duplicate_rows:,} rows in {duplicate_groups:,} groups of identical rows, each group kept in one part ({value:,} in training, {duplicate_groups_in_validation:,} in validation)").format(duplicate_rows=split.duplicate_rows, duplicate_groups=split.duplicate_groups, value=split.duplicate_groups - split.duplicate_groups_in_validation, duplicate_groups_in_validation=split.duplicate_groups_in_validation)
        )
    if len(split.validation) != split.requested:
        lines.append(_("  validation has {len:,} rows where {ratio:.0%} training asks for {requested:,}: the closest whole duplicate groups allow").format(len=len(split.validation), ratio=ratio, requested=split.requested))
    if split.bom:
        lines.append(_("  the byte order mark at the start of the file was not copied (L102)"))
    blank = _(" ({blank_lines:,} blank lines dropped)").format(blank_lines=split.blank_lines) if split.blank_lines else ""
    lines.append(_("rows: {rows:,} in = {written:,} training + {written2:,} validation{blank}").format(rows=split.rows, written=written[0], written2=written[1], blank=blank))
    return lines
