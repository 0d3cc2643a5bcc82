"""Running a rewrite (fix, convert) safely: paths guarded, every output written inside
one transaction, the result checked before anything is renamed into place, and the
input replaced only by --in-place, which keeps a backup first."""

from __future__ import annotations

import contextlib
import glob
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from ftlint.engine import json_array
from ftlint.engine.scanning import READ_ERRORS, check_source, describe_read_error, selected_rules
from ftlint.engine.sources import Source, SourceError
from ftlint.i18n import _
from ftlint.options import CheckOptions
from ftlint.report import FileReport
from ftlint.rewriting.ledger import Ledger, RejectWriter, encode_reject, printable
from ftlint.rewriting.paths import Role, guard, standard_input, written_path
from ftlint.rewriting.records import LineTooLong
from ftlint.rewriting.transaction import backup_name, transaction

Transform = Callable[[BinaryIO, Callable[[bytes], Any], RejectWriter], Ledger]

REJECTS_SUFFIX = ".rejects.jsonl"


def rejects_path_for(output: Path) -> Path:
    """OUT.rejects.jsonl beside OUT (its .jsonl / .jsonl.gz / .gz suffix replaced)."""
    name = output.name
    for suffix in (".jsonl.gz", ".jsonl", ".gz"):
        if name.endswith(suffix):
            name = name[: -len(suffix)]
            break
    return output.with_name(name + REJECTS_SUFFIX)


@dataclass
class Outcome:
    ledger: Ledger
    before: FileReport | None
    after: FileReport
    output: Path | None  # None on a dry run
    rejects: Path | None  # None when nothing was rejected (or a dry run)
    backup: Path | None
    unchanged: bool = False  # --in-place found nothing to change and wrote nothing


def plan_paths(source: Source, output: Path | None, rejects: Path | None, *, in_place: bool, inputs: tuple[Role, ...] = ()) -> tuple[Path, Path]:
    """The output and rejects paths a rewrite will use, guarded against every collision
    with the source, `inputs` (other files the run reads) and each other (PathCollision,
    before anything is read or written)."""
    if in_place:
        assert source.path is not None
        output = written_path(source.path)
    assert output is not None
    output = written_path(output)
    rejects = written_path(rejects or rejects_path_for(output))
    roles = input_roles(source) + list(inputs)
    if not in_place:
        roles.append(Role("output", output, writes=True))
    roles.append(Role("rejects file", rejects, writes=True))
    if in_place:
        # The original bytes live on in the backups: none may be written over.
        earlier = sorted(output.parent.glob(glob.escape(output.name) + ".bak*"))
        roles += [Role("earlier backup", path, writes=False) for path in earlier]
        roles.append(Role("backup", backup_name(output), writes=True))
    guard(roles)
    return output, rejects


def input_roles(source: Source) -> list[Role]:
    if source.path is not None:
        return [Role("input", source.path, writes=False)]
    stdin = standard_input() if source.kind == "stdin" else None
    return [stdin] if stdin is not None else []


class _Guarded:
    """A source stream whose read errors say they are read errors (a write error in
    the same block must not pass for one)."""

    def __init__(self, source: Source, stream: BinaryIO) -> None:
        self._source, self._stream = source, stream

    def read(self, size: int = -1) -> bytes:
        try:
            return self._stream.read(size)
        except READ_ERRORS as err:
            raise _unreadable(self._source, err) from None


def _unreadable(source: Source, err: BaseException) -> SourceError:
    return SourceError(_("{name}: cannot read it: {describe_read_error}; nothing was written").format(name=source.name, describe_read_error=describe_read_error(err)))


@contextlib.contextmanager
def reading(source: Source) -> Iterator[BinaryIO]:
    """The source's stream; a failure to read it (a corrupt or truncated .gz, an I/O
    error) becomes a SourceError naming it, so nothing is written and the exit is 2."""
    try:
        opened = source.open()
        stream = opened.__enter__()
    except READ_ERRORS as err:
        raise _unreadable(source, err) from None
    try:
        yield _Guarded(source, stream)  # type: ignore[misc]
    except json_array.ArrayError as err:
        raise SourceError(_("{name}:{line}: not a well-formed JSON array: {err}; nothing was written").format(name=source.name, line=err.line, err=err)) from None
    except LineTooLong as err:
        raise SourceError(_("{name}: {err}; nothing was written").format(name=source.name, err=err)) from None
    finally:
        opened.__exit__(None, None, None)


def run(
    source: Source,
    output: Path,
    rejects: Path,
    transform: Transform,
    options: CheckOptions,
    *,
    dry_run: bool = False,
    in_place: bool = False,
    check_before: bool = True,
    package: Path | None = None,
) -> Outcome:
    """Run `transform` over the source inside one transaction. With `package` (a folder
    that holds no file yet), the rows become package/data.jsonl and the transform gets
    a `copy(name, file)` that puts a file into the package; the package is checked
    whole once it is in place."""
    rules = selected_rules(options)
    before = check_source(source, options, rules) if check_before else None
    compress = source.kind == "gzip" if in_place else None
    with transaction() as tx:
        out = tx.open(output, compress=compress, mode_from=source.path if in_place else None)
        rejected = tx.open(rejects)
        with reading(source) as stream:
            def write_reject(item: dict[str, Any]) -> None:
                rejected.write(encode_reject(item))

            if package is not None:
                def copy(name: str, file: Path) -> None:
                    tx.copy(package / name, file)

                def uncopy(name: str) -> None:
                    tx.discard(package / name)

                ledger = transform(stream, out.write, write_reject, copy=copy, uncopy=uncopy)  # type: ignore[call-arg]
            else:
                ledger = transform(stream, out.write, write_reject)
        out.flush()
        if package is not None:
            if not ledger.rejected:
                tx.discard(rejects)
            tx.commit()
            after = check_source(Source(f"{package}/data.jsonl", "folder", package, package.name), options, rules)
            return Outcome(ledger, before, after, package, rejects if ledger.rejected else None, None)
        temporary = tx.temporary_of(output)
        compressed = tx.compressed(output)
        upload_name = output.name.removesuffix(".gz") if compressed else output.name
        after = check_source(Source(str(output), "gzip" if compressed else "jsonl", temporary, upload_name), options, rules)
        if dry_run:
            tx.abort()
            return Outcome(ledger, before, after, None, None, None)
        if in_place and not ledger.repairs and not ledger.rejected:
            tx.abort()  # nothing to change: the file stays as it was, and needs no backup
            return Outcome(ledger, before, after, output, None, None, unchanged=True)
        if not ledger.rejected:
            tx.discard(rejects)
        if in_place:
            tx.keep_backup_of(output)
    return Outcome(ledger, before, after, output, rejects if ledger.rejected else None, tx.backup)


def describe(outcome: Outcome, source_name: str, verb: str = "fixed") -> list[str]:
    """The summary printed after a rewrite: changes by rule, rejects, the row account,
    and the findings before and after."""
    ledger = outcome.ledger
    target = str(outcome.output) if outcome.output else _("(dry run: nothing written)")
    if outcome.unchanged:
        target += _(" (nothing to change: the file was left as it was)")
    lines = [f"{verb}: {printable(source_name)} → {printable(target)}"]
    for what, n in sorted(ledger.repairs.items()):
        lines.append(f"  {what}: {n:,}")
    if not ledger.repairs:
        lines.append(_("  no repairs needed"))
    for name, n in sorted(ledger.dropped_fields.items()):
        lines.append(_("  dropped field {printable}: {n:,} rows").format(printable=printable(name), n=n))
    if ledger.rejected:
        where = f" → {outcome.rejects}" if outcome.rejects else ""
        lines.append(_("rejected {rejected:,} rows{where}").format(rejected=ledger.rejected, where=where))
        for reason, n in ledger.reject_reasons.most_common():
            lines.append(f"  {printable(reason)}: {n:,}")
    if ledger.internal_errors:
        lines.append(_("warning: ftlint failed on {internal_errors:,} rows (kept in the rejects file): please report it").format(internal_errors=ledger.internal_errors))
    blank = _(" ({blank_lines:,} blank lines dropped)").format(blank_lines=ledger.blank_lines) if ledger.blank_lines else ""
    lines.append(_("rows: {records_in:,} in = {rows_out:,} out + {rejected:,} rejected{blank}").format(records_in=ledger.records_in, rows_out=ledger.rows_out, rejected=ledger.rejected, blank=blank))
    if outcome.before is not None:
        b, a = outcome.before, outcome.after
        lines.append(_("findings: before {errors:,} errors, {warnings:,} warnings → after {errors2:,} errors, {warnings2:,} warnings").format(errors=b.errors, warnings=b.warnings, errors2=a.errors, warnings2=a.warnings))
    if outcome.backup:
        lines.append(_("backup of the input: {backup}").format(backup=outcome.backup))
    return lines
