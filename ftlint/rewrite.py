"""Running a rewrite (fix, convert) safely: the output goes to a temporary file, is
checked, and only then renamed into place; rejects go beside it; the input is never
touched unless --in-place, which keeps a backup first."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import orjson

from ftlint.atomic import atomic_write
from ftlint.checker import check_source, selected_rules
from ftlint.fix import Ledger
from ftlint.options import CheckOptions
from ftlint.report import FileReport
from ftlint.source import Source, source_for_file


@dataclass
class Outcome:
    ledger: Ledger
    before: FileReport | None
    after: FileReport
    output: Path | None  # None on a dry run
    rejects: Path | None  # None when nothing was rejected (or a dry run)
    backup: Path | None


def rejects_path_for(output: Path) -> Path:
    name = output.name[: -len(".jsonl")] if output.name.endswith(".jsonl") else output.name
    return output.with_name(f"{name}.rejects.jsonl")


def run(
    source: Source,
    output: Path | None,
    transform: Callable[[BinaryIO, Callable, Callable], Ledger],
    options: CheckOptions,
    *,
    rejects: Path | None = None,
    dry_run: bool = False,
    in_place: bool = False,
    check_before: bool = True,
) -> Outcome:
    if in_place:
        assert source.path is not None
        output = source.path
    assert output is not None
    rejects = rejects or rejects_path_for(output)
    rules = selected_rules(options)
    before = check_source(source, options, rules) if check_before else None
    folder = tempfile.mkdtemp(prefix="ftlint-")
    try:
        temp_out = Path(folder, output.name)
        temp_rejects = Path(folder, "rejects.jsonl")
        with open(temp_out, "wb") as out, open(temp_rejects, "wb") as rej, source.open() as stream:
            ledger = transform(stream, out.write, lambda item: rej.write(orjson.dumps(item) + b"\n"))
        after = check_source(Source(str(output), "jsonl", temp_out, output.name), options, rules)
        if dry_run:
            return Outcome(ledger, before, after, None, None, None)
        backup = None
        if in_place:
            backup = output.with_name(output.name + ".bak")
            shutil.copy2(output, backup)
        with atomic_write(output, "wb") as final, open(temp_out, "rb") as done:
            shutil.copyfileobj(done, final, 1 << 20)
        written_rejects = None
        if ledger.rejected:
            with atomic_write(rejects, "wb") as final, open(temp_rejects, "rb") as done:
                shutil.copyfileobj(done, final, 1 << 20)
            written_rejects = rejects
        return Outcome(ledger, before, after, output, written_rejects, backup)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


def describe(outcome: Outcome, source_name: str, verb: str = "fixed") -> list[str]:
    """The summary printed after a rewrite: changes by rule, rejects, the row account,
    and the findings before and after."""
    ledger = outcome.ledger
    target = str(outcome.output) if outcome.output else "(dry run: nothing written)"
    lines = [f"{verb}: {source_name} → {target}"]
    for what, n in sorted(ledger.repairs.items()):
        lines.append(f"  {what}: {n:,}")
    if not ledger.repairs:
        lines.append("  no repairs needed")
    if ledger.rejected:
        where = f" → {outcome.rejects}" if outcome.rejects else ""
        lines.append(f"rejected {ledger.rejected:,} rows{where}")
        for reason, n in ledger.reject_reasons.most_common():
            lines.append(f"  {reason}: {n:,}")
    lines.append(f"rows: {ledger.records_in:,} in = {ledger.rows_out:,} out + {ledger.rejected:,} rejected" + (f" ({ledger.blank_lines:,} blank lines dropped)" if ledger.blank_lines else ""))
    if outcome.before is not None:
        b, a = outcome.before, outcome.after
        lines.append(f"findings: before {b.errors:,} errors, {b.warnings:,} warnings → after {a.errors:,} errors, {a.warnings:,} warnings")
    if outcome.backup:
        lines.append(f"backup of the input: {outcome.backup}")
    return lines


def source_of(path: str) -> Source:
    return source_for_file(Path(path))
