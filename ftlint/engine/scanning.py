"""The engine: one pass over each source, source -> lines -> rows -> findings -> report.

Each file gets fresh rule instances, sorted by hook (`RuleSet`). Lines go through the
line rules, rows through the row rules of their format; when some selected rule
collects across rows, the engine builds each row's RowSummary with the fields those
rules declare (measuring tokens for "tokens") and hands it to them in file order.
A large plain file is checked by worker processes over byte ranges (the workers run
the line and row rules and build the summaries; the main process collects and
finishes), with the same findings, in the same order, as a serial check.
"""

from __future__ import annotations

import dataclasses
import os
import traceback
import zipfile
import zlib
from array import array
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, BinaryIO

from ftlint import selection
from ftlint.engine import parallel
from ftlint.engine.file_facts import FileFacts
from ftlint.engine.lines import Line, LineReader, parse_line
from ftlint.engine.rows import FORMATS, Row, RowSummary, detect_format
from ftlint.engine.sources import Source, UnreadableSource, expand
from ftlint.finding import Finding, Severity
from ftlint.options import CheckOptions
from ftlint.platform.packages import Package, image_references, row_image_tokens, video_references
from ftlint.report import FileReport, Report
from ftlint.rules.base import Rule, all_rules, instantiate, plugin_errors

# What reading a source can raise; anything else is a bug (in a rule: its internal error).
READ_ERRORS = (OSError, EOFError, zlib.error, zipfile.BadZipFile, UnreadableSource, NotImplementedError, RuntimeError)
Add = Callable[[Finding], None]


def check_paths(paths: Sequence[str], options: CheckOptions, jobs: int = 1) -> Report:
    """Check every source the paths name with the same options (no configuration
    files). Raises SourceError for a path that does not exist, SelectionError for a
    selector that names no rule."""
    return check_sources(expand(list(paths)), lambda source: options, jobs)


def check_sources(sources: Sequence[Source], options_for: Callable[[Source], CheckOptions], jobs: int = 1, progress: Callable[[Source], Any] | None = None) -> Report:
    """Check each source with its own options (configuration can differ per file)."""
    report = Report()
    rules_for: dict[tuple[Any, ...], list[type[Rule]]] = {}
    for source in sources:
        options = options_for(source)
        key = (options.select, options.ignore, options.extend_select)
        if key not in rules_for:
            rules_for[key] = selected_rules(options)
        report.files.append(check_source(source, options, rules_for[key], jobs, progress(source) if progress else None))
    report.notes.extend(plugin_errors())
    return report


def selected_rules(options: CheckOptions) -> list[type[Rule]]:
    rules = all_rules()
    for option in ("select", "ignore", "extend_select"):
        selection.validate(getattr(options, option), rules, "--" + option.replace("_", "-"))
    return [r for r in rules if selection.enabled(r, options.select, options.ignore, options.extend_select)]


class RuleSet:
    """One file's rule instances, sorted by hook. Every hook call is guarded: an
    exception becomes the rule's internal error at that line, and the rule is switched
    off for the rest of the file while every other rule goes on."""

    def __init__(self, rule_classes: Sequence[type[Rule]], options: CheckOptions, hooks: Iterable[str] = ("check_line", "check_row", "collect", "finish")) -> None:
        wanted = set(hooks)
        self.options = options
        self.rules = [instantiate(cls, options) for cls in rule_classes if any(cls.uses(h) for h in wanted)]
        self.line_rules = [r for r in self.rules if "check_line" in wanted and r.uses("check_line")]
        self.row_rules = self._by_format("check_row" if "check_row" in wanted else None)
        self.collectors = self._by_format("collect" if "collect" in wanted else None)
        # What the file's collecting rules read, wherever they run (a worker summarises
        # rows for collectors that live in the main process).
        collecting = [cls for cls in rule_classes if cls.uses("collect")]
        self.fields: frozenset[str] = frozenset().union(*(cls.summary_fields for cls in collecting))
        self.collects = bool(collecting)
        self.failed: set[str] = set()

    def _by_format(self, hook: str | None) -> dict[str | None, list[Rule]]:
        return {fmt: [r for r in self.rules if hook and r.uses(hook) and (r.formats is None or fmt in r.formats)] for fmt in (*FORMATS, None)}

    def run(self, rule: Rule, hook: Callable[[Any], Iterable[Finding]], arg: Any, line: int | None, add: Add) -> None:
        if rule.code in self.failed:
            return
        try:
            for finding in hook(arg):
                add(finding)
        except Exception as err:  # noqa: BLE001  a bug in one rule must not stop the check
            self.failed.add(rule.code)
            add(internal_error(rule, line, err))

    def check_line(self, line: Line, add: Add) -> None:
        for rule in self.line_rules:
            self.run(rule, rule.check_line, line, line.number, add)

    def check_row(self, row: Row, add: Add) -> None:
        for rule in self.row_rules[row.format]:
            self.run(rule, rule.check_row, row, row.line, add)

    def collect(self, summary: RowSummary, add: Add) -> None:
        for rule in self.collectors[summary.format]:
            self.run(rule, rule.collect, summary, summary.line, add)

    def finish(self, facts: FileFacts, add: Add) -> None:
        for rule in self.rules:
            if rule.uses("finish"):
                self.run(rule, rule.finish, facts, None, add)

    def summarise(self, row: Row, add: Add) -> RowSummary:
        """The row as the collecting rules declared they read it."""
        summary = RowSummary(row.line, row.format, row.detected)
        fields = self.fields
        try:
            if "digest" in fields:
                summary.digest = row.digest
            if "has_tool_calls" in fields:
                summary.has_tool_calls = row.has_tool_calls
            if "tokens" in fields:
                summary.tokens = measure_tokens(row, self.options)
            if "image_refs" in fields:
                summary.image_refs = tuple(image_references(row))
            if "media_names" in fields:
                summary.media_names = frozenset(name for name, _ in (*image_references(row), *video_references(row)))
        except Exception as err:  # noqa: BLE001  a failing stage fails the rules that need it
            for rule in self.rules:
                if rule.code not in self.failed and rule.summary_fields & fields:
                    self.failed.add(rule.code)
                    add(internal_error(rule, row.line, err))
        return summary


def measure_tokens(row: Row, options: CheckOptions) -> Any:
    if options.model_entry is None:
        return None
    from ftlint.platform.tokenizers import measure

    return measure(row, options)


def internal_error(rule: Rule, line: int | None, err: BaseException) -> Finding:
    if os.environ.get("FTLINT_DEBUG"):
        traceback.print_exception(err)
    return Finding(
        code=rule.code,
        rule=rule.slug,
        severity=Severity.ERROR,
        message=f"internal error in this rule: {type(err).__name__}: {err}; it was switched off for the rest of the file",
        line=line,
        hint="this is a bug in ftlint or the plugin, not in the data: please report it (FTLINT_DEBUG=1 prints the traceback)",
        internal=True,
    )


def check_source(source: Source, options: CheckOptions, rule_classes: Sequence[type[Rule]], jobs: int = 1, progress: Callable[[int], None] | None = None) -> FileReport:
    """Check one source. With jobs > 1, a large plain file is checked by worker
    processes, with the same result as a serial check."""
    if jobs > 1 and parallel.worth_it(source):
        report = _check_in_parallel(source, options, rule_classes, jobs, progress)
        if report is not None:
            return report
    rules = RuleSet(rule_classes, options)
    package = Package(source.path) if source.is_package and source.path is not None else None
    report = FileReport(source.name, max_per_rule=options.max_per_rule)
    facts = FileFacts(source, options, format=options.data_format, package=package)

    def collect(summary: RowSummary) -> None:
        if "package" in rules.fields:
            summary.package = package
        rules.collect(summary, report.add)

    try:
        with source.open() as stream:
            scan(stream, options, rules, facts, report.add, progress=progress, package=package, on_summary=collect)
    except READ_ERRORS as err:
        facts.read_error = describe_read_error(err)
    _finish(rules, facts, report)
    return report


def scan(stream: BinaryIO, options: CheckOptions, rules: RuleSet, facts: FileFacts, add: Add, *, at_file_start: bool = True,
         on_summary: Callable[[RowSummary], None] | None = None, progress: Callable[[int], None] | None = None, package: Package | None = None) -> None:
    """Stages 1-3 over one stream: every line through the line rules, every row
    through the row rules of its format, then its summary to `on_summary` when some
    rule collects; facts are counted as it goes."""
    reader = LineReader(stream)
    number = 0
    summarise = rules.collects and on_summary is not None
    model = options.model_entry
    try:
        for number, raw in reader:
            line = parse_line(number, raw, at_file_start and number == 1)
            rules.check_line(line, add)
            if progress is not None and not number & 0x3FF:
                progress(reader.bytes_read)
            if line.blank:
                continue
            facts.rows += 1
            if not isinstance(line.value, dict):
                continue
            detected = detect_format(line.value, package is not None)
            if detected:
                facts.formats[detected] += 1
                if facts.format is None:
                    facts.format, facts.format_line = detected, number
            row = Row(number, line.value, options.data_format or detected, detected, line.raw, package)
            if package is not None and model is not None:
                row.extra_tokens = row_image_tokens(row, package, model)
            rules.check_row(row, add)
            if summarise:
                on_summary(rules.summarise(row, add))  # type: ignore[misc]
    finally:
        facts.lines = number
        facts.bytes = reader.bytes_read


def _finish(rules: RuleSet, facts: FileFacts, report: FileReport) -> None:
    """Stage 4: the file-level hooks, in rule order, and the report's file facts."""
    rules.finish(facts, report.add)
    report.format = facts.format
    report.rows = facts.rows


def describe_read_error(err: BaseException) -> str:
    if isinstance(err, UnreadableSource):
        return str(err)
    if isinstance(err, EOFError):
        return "the compressed stream ends early (truncated file)"
    if isinstance(err, OSError) and err.strerror:
        return err.strerror.lower()
    return str(err) or type(err).__name__


# -- the parallel path: workers check byte ranges, the main process collects --------


@dataclass
class RangeResult:
    lines: int
    facts: FileFacts
    report: FileReport  # findings with range-local line numbers
    error_lines: array[int]  # distinct local lines with errors, ascending
    summaries: list[RowSummary] = field(default_factory=list)
    read_error: str | None = None
    failed: bool = False  # a rule raised: the main process checks the file serially instead


def check_range(task: tuple[Source, int, int, CheckOptions, Sequence[type[Rule]]]) -> RangeResult:
    """A worker: check lines [start, end) of the file with the line and row rules, and
    summarise each row for the collecting rules (which run in the main process)."""
    source, start, end, options, classes = task
    rules = RuleSet(classes, options, hooks=("check_line", "check_row"))
    report = FileReport(source.name, max_per_rule=options.max_per_rule)
    error_lines = array("I")

    def add(finding: Finding) -> None:
        report.add(finding)
        if finding.severity is Severity.ERROR and finding.line is not None and (not error_lines or error_lines[-1] != finding.line):
            error_lines.append(finding.line)

    summaries: list[RowSummary] = []
    facts = FileFacts(source, options, format=options.data_format)
    assert source.path is not None
    stream = parallel.Window(source.path, start, end)
    read_error = None
    try:
        scan(stream, options, rules, facts, add, at_file_start=start == 0, on_summary=summaries.append)  # type: ignore[arg-type]
    except READ_ERRORS as err:
        read_error = describe_read_error(err)
    finally:
        stream.close()
    return RangeResult(facts.lines, facts, report, error_lines, summaries, read_error, failed=bool(rules.failed))


def _check_in_parallel(source: Source, options: CheckOptions, rule_classes: Sequence[type[Rule]], jobs: int, progress: Callable[[int], None] | None) -> FileReport | None:
    """The same report as a serial check, from worker processes; None when a rule
    failed in a worker (the caller then checks serially, so the failure is reported
    exactly as a serial check reports it)."""
    if options.model_entry is not None:
        from ftlint.platform.tokenizers import meter_for

        meter_for(options.model_entry)  # load the tokenizer once, before the workers fork
    assert source.path is not None
    ranges = parallel.cut(source.path, jobs)
    main = RuleSet(rule_classes, options, hooks=("collect", "finish"))
    report = FileReport(source.name, max_per_rule=options.max_per_rule)
    facts = FileFacts(source, options, format=options.data_format)
    worker_error_lines: list[tuple[int, array[int]]] = []
    collected_error_lines: list[int] = []

    def add(finding: Finding) -> None:
        report.add(finding)
        if finding.severity is Severity.ERROR and finding.line is not None:
            collected_error_lines.append(finding.line)

    offset = 0
    done = 0
    tasks = [(source, a, b, options, list(rule_classes)) for a, b in ranges]
    for (start, end), result in zip(ranges, parallel.run(check_range, tasks, jobs), strict=True):
        if result.failed:
            return None
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
            main.collect(summary, add)
        offset += result.lines
        done += end - start
        if progress is not None:
            progress(done)
        if result.read_error:
            facts.read_error = result.read_error
            break
    facts.lines = offset
    _finish(main, facts, report)
    if main.failed:
        return None
    report.lines_with_errors = _distinct_error_lines(worker_error_lines, collected_error_lines)
    return report


def _merge(report: FileReport, part: FileReport, offset: int) -> None:
    """Add a range's findings (shifted to file lines) and exact counts to the report."""
    for finding in part.findings:
        if report.max_per_rule and report.listed(finding.code) >= report.max_per_rule:
            continue
        report.findings.append(dataclasses.replace(finding, line=finding.line + offset) if finding.line is not None else finding)
        report.count_listed(finding.code)
    report.counts.update(part.counts)
    report.severities.update(part.severities)
    for code, tally in part.platform_codes.items():
        entry = report.platform_codes.setdefault(code, dataclasses.replace(tally, findings=0, first_line=None))
        entry.findings += tally.findings
        if tally.first_line is not None:
            line = tally.first_line + offset
            entry.first_line = line if entry.first_line is None else min(entry.first_line, line)


def _distinct_error_lines(worker: list[tuple[int, array[int]]], collected: list[int]) -> int:
    import bisect

    total = sum(len(lines) for _, lines in worker)
    extra = set()
    for line in collected:
        for offset, lines in worker:
            local = line - offset
            at = bisect.bisect_left(lines, local)
            if 0 <= local and at < len(lines) and lines[at] == local:
                break
        else:
            extra.add(line)
    return total + len(extra)
