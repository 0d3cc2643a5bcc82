"""Checking one large file on every core.

The file is cut into byte ranges at line starts. Each worker process checks its range
with the line rules and the row rules that look at one row at a time, and returns its
findings (capped per rule, as the report keeps them), exact counts, and a RowSummary
per row. The main process merges the ranges in file order: line numbers are shifted
by the lines before each range, the rules that need all rows (Rule.needs_all_rows) are
run over the summaries in order, and the file-level rules finish on the merged facts.
The result equals a serial check's: the same findings, counts and order.
"""

from __future__ import annotations

import bisect
import dataclasses
import multiprocessing
import os
from array import array
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field

from ftlint.engine.file_facts import FileFacts
from ftlint.finding import Finding, Severity
from ftlint.options import CheckOptions
from ftlint.report import FileReport
from ftlint.engine.rows import RowSummary
from ftlint.rules.base import Rule, find_rule, instantiate
from ftlint.engine.sources import Source

MIN_PARALLEL_BYTES = 8 << 20  # below this a serial check is faster than starting workers
RANGE_BYTES = 4 << 20  # work unit: small enough to balance cores, large enough to amortise
SCAN_BLOCK = 1 << 16


def worth_it(source: Source) -> bool:
    if source.kind != "jsonl" or source.path is None:
        return False
    try:
        return source.path.stat().st_size >= MIN_PARALLEL_BYTES
    except OSError:
        return False


def cut(path, jobs: int) -> list[tuple[int, int]]:  # type: ignore[no-untyped-def]
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


class _Range:
    """A read-only window [start, end) of a file, as a stream."""

    def __init__(self, path, start: int, end: int) -> None:  # type: ignore[no-untyped-def]
        self._file = open(path, "rb")
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


@dataclass
class RangeResult:
    lines: int
    facts: FileFacts
    report: FileReport  # findings with range-local line numbers
    error_lines: array  # distinct local lines with errors, ascending
    summaries: list[RowSummary] = field(default_factory=list)
    read_error: str | None = None


def _worker_rules(codes: Sequence[str], options: CheckOptions) -> list[Rule]:
    rules = []
    for code in codes:
        cls = find_rule(code)
        if cls is not None and not cls.needs_all_rows and (cls.uses("check_line") or cls.uses("check_row")):
            rules.append(instantiate(cls, options))
    return rules


def check_range(task: tuple) -> RangeResult:
    """A worker: check lines [start, end) of the file with the rules that look at one
    line or row at a time."""
    from ftlint.engine.scanning import _READ_ERRORS, _describe, scan
    from ftlint.platform.tokenizers import measured_length

    source, start, end, options, codes, needs = task
    rules = _worker_rules(codes, options)
    report = FileReport(source.name, max_per_rule=options.max_per_rule)
    error_lines = array("I")

    def add(finding: Finding) -> None:
        report.add(finding)
        if finding.severity is Severity.ERROR and (not error_lines or error_lines[-1] != finding.line):
            error_lines.append(finding.line)

    summaries: list[RowSummary] = []
    with_digest = "digest" in needs
    with_tokens = "tokens" in needs and options.model is not None
    with_tools = "tools" in needs

    def on_row(row) -> None:  # type: ignore[no-untyped-def]
        if with_tokens:
            measured_length(row, options)
        summaries.append(RowSummary.of(row, with_digest, with_tools))

    facts = FileFacts(source, options, format=options.data_format)
    stream = _Range(source.path, start, end)
    read_error = None
    try:
        scan(stream, options, rules, facts, add, at_file_start=start == 0, on_row=on_row if needs else None)
    except _READ_ERRORS as err:
        read_error = _describe(err)
    finally:
        stream.close()
    return RangeResult(facts.lines, facts, report, error_lines, summaries, read_error)


def count_skipped_range(task: tuple) -> int:
    from ftlint.platform.tokenizers import skipped_tokens

    source, start, end, options = task
    stream = _Range(source.path, start, end)
    try:
        return skipped_tokens(stream, options)
    finally:
        stream.close()


def _needs(rule_classes: Sequence[type[Rule]]) -> set[str]:
    """Which parts of a row summary the selected stateful rules read."""
    codes = {cls.code for cls in rule_classes if cls.needs_all_rows}
    needs = set()
    if codes:
        needs.add("format")
    if "F104" in codes or any(cls.plugin and cls.needs_all_rows for cls in rule_classes):
        needs.add("digest")
    if codes & {"T101", "T103"} or any(cls.plugin and cls.needs_all_rows for cls in rule_classes):
        needs.add("tokens")
    if "T104" in codes or any(cls.plugin and cls.needs_all_rows for cls in rule_classes):
        needs.add("tools")
    return needs


def _pool(jobs: int) -> ProcessPoolExecutor:
    # fork: the workers inherit the loaded rules, plugins and tokenizer.
    context = multiprocessing.get_context("fork") if "fork" in multiprocessing.get_all_start_methods() else None
    return ProcessPoolExecutor(max_workers=jobs, mp_context=context)


def check_file(source: Source, options: CheckOptions, rule_classes: Sequence[type[Rule]], jobs: int, progress: Callable[[int], None] | None = None) -> FileReport:
    from ftlint.engine.scanning import finish
    from ftlint.platform.tokenizers import meter_for

    if options.model_entry is not None:
        meter_for(options.model_entry)  # load the tokenizer once, before the workers fork
    ranges = cut(source.path, jobs)
    codes = [cls.code for cls in rule_classes]
    needs = _needs(rule_classes)
    stateful = [instantiate(cls, options) for cls in rule_classes if cls.needs_all_rows]
    stateful_by_format: dict[str | None, list[Rule]] = {}
    report = FileReport(source.name, max_per_rule=options.max_per_rule)
    facts = FileFacts(source, options, format=options.data_format)
    worker_error_lines: list[tuple[int, array]] = []  # (offset, local error lines) per range
    stateful_error_lines: list[int] = []
    offset = 0
    done = 0
    with _pool(jobs) as pool:
        facts.count_skipped_tokens = lambda: sum(pool.map(count_skipped_range, [(source, a, b, options) for a, b in ranges]))
        results: Iterator[RangeResult] = pool.map(check_range, [(source, a, b, options, codes, needs) for a, b in ranges])
        for (start, end), result in zip(ranges, results, strict=True):
            _merge(report, result.report, offset)
            worker_error_lines.append((offset, result.error_lines))
            part = result.facts
            facts.rows += part.rows
            facts.bytes += part.bytes
            facts.formats.update(part.formats)
            if facts.format is None and part.format is not None:
                facts.format, facts.format_line = part.format, (part.format_line or 0) + offset
            for summary in result.summaries:
                summary.line += offset
                rules = stateful_by_format.get(summary.format)
                if rules is None:
                    rules = stateful_by_format[summary.format] = [r for r in stateful if r.uses("check_row") and (r.formats is None or summary.format in r.formats)]
                for rule in rules:
                    for finding in rule.check_row(summary):
                        report.add(finding)
                        if finding.severity is Severity.ERROR and finding.line is not None:
                            stateful_error_lines.append(finding.line)
            offset += result.lines
            done += end - start
            if progress is not None:
                progress(done)
            if result.read_error:
                facts.read_error = result.read_error
                break
        facts.lines = offset
        others = [instantiate(cls, options) for cls in rule_classes if not cls.needs_all_rows and cls.uses("finish")]
        by_code = {rule.code: rule for rule in (*stateful, *others)}
        finish([by_code[cls.code] for cls in rule_classes if cls.code in by_code], facts, report)
    report.lines_with_errors = _distinct_error_lines(worker_error_lines, stateful_error_lines)
    return report


def _merge(report: FileReport, part: FileReport, offset: int) -> None:
    """Add a range's findings (shifted to file lines) and exact counts to the report."""
    for finding in part.findings:
        if report.max_per_rule and report.listed(finding.code) >= report.max_per_rule:
            continue
        report.findings.append(dataclasses.replace(finding, line=finding.line + offset) if finding.line is not None else finding)
        report._listed[finding.code] += 1
    report.counts.update(part.counts)
    report.severities.update(part.severities)
    for code, tally in part.platform_codes.items():
        entry = report.platform_codes.setdefault(code, dataclasses.replace(tally, findings=0, first_line=None))
        entry.findings += tally.findings
        if tally.first_line is not None:
            line = tally.first_line + offset
            entry.first_line = line if entry.first_line is None else min(entry.first_line, line)


def _distinct_error_lines(worker: list[tuple[int, array]], stateful: list[int]) -> int:
    total = sum(len(lines) for _, lines in worker)
    extra = set()
    for line in stateful:
        for offset, lines in worker:
            local = line - offset
            at = bisect.bisect_left(lines, local)
            if 0 <= local and at < len(lines) and lines[at] == local:
                break
        else:
            extra.add(line)
    return total + len(extra)


def stats_range(task: tuple):  # type: ignore[no-untyped-def]
    """A worker: exact counts of the rows in [start, end), with range-local lines."""
    from ftlint.stats import count_rows, empty_stats

    source, start, end, options, per_row = task
    stats = empty_stats(source, options)
    rows: list[tuple[int, int, str | None, int]] = []
    stream = _Range(source.path, start, end)
    try:
        lines = count_rows(stream, options, stats, (lambda *r: rows.append(r)) if per_row else None, at_file_start=start == 0)
    finally:
        stream.close()
    return lines, stats, rows


def collect_stats(source: Source, options: CheckOptions, jobs: int, on_row=None):  # type: ignore[no-untyped-def]
    from ftlint.stats import empty_stats
    from ftlint.platform.tokenizers import meter_for

    meter_for(options.model_entry)  # load the tokenizer once, before the workers fork
    total = empty_stats(source, options)
    offset = 0
    with _pool(jobs) as pool:
        for lines, part, rows in pool.map(stats_range, [(source, a, b, options, on_row is not None) for a, b in cut(source.path, jobs)]):
            total.tokens.extend(part.tokens)
            total.turns.extend(part.turns)
            total.formats.update(part.formats)
            for line, tokens, fmt, turns in rows:
                on_row(line + offset, tokens, fmt, turns)
            offset += lines
    return total

