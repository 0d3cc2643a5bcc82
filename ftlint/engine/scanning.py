"""The engine: one pass over each source, source -> lines -> rows -> findings -> report."""

from __future__ import annotations

import zipfile
import zlib
from collections.abc import Callable, Sequence

from ftlint import selection
from ftlint.engine.file_facts import FileFacts
from ftlint.engine.lines import LineReader, parse_line
from ftlint.options import CheckOptions
from ftlint.platform.packages import Package, row_image_tokens
from ftlint.report import FileReport, Report
from ftlint.engine.rows import FORMATS, Row, detect_format
from ftlint.rules.base import Rule, all_rules, instantiate, plugin_errors
from ftlint.engine.sources import Source, UnreadableSource, expand

_READ_ERRORS = (OSError, EOFError, zlib.error, zipfile.BadZipFile, UnreadableSource, NotImplementedError, RuntimeError)


def check_paths(paths: Sequence[str], options: CheckOptions, jobs: int = 1) -> Report:
    """Check every source the paths name with the same options (no configuration
    files). Raises SourceError for a path that does not exist, SelectionError for a
    selector that names no rule."""
    return check_sources(expand(list(paths)), lambda source: options, jobs)


def check_sources(sources: Sequence[Source], options_for: Callable[[Source], CheckOptions], jobs: int = 1, progress=None) -> Report:  # type: ignore[no-untyped-def]
    """Check each source with its own options (configuration can differ per file)."""
    report = Report()
    rules_for: dict[tuple, list[type[Rule]]] = {}
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


def check_source(source: Source, options: CheckOptions, rule_classes: Sequence[type[Rule]], jobs: int = 1, progress=None) -> FileReport:  # type: ignore[no-untyped-def]
    """Check one source. With jobs > 1, a large plain file is checked by worker
    processes (ftlint.engine.parallel), with the same result as a serial check."""
    from ftlint.engine import parallel

    if jobs > 1 and parallel.worth_it(source):
        return parallel.check_file(source, options, rule_classes, jobs, progress)
    rules = [instantiate(cls, options) for cls in rule_classes]
    package = Package(source.path) if source.is_package and source.path is not None else None
    for rule in rules:
        rule.package = package
    report = FileReport(source.name, max_per_rule=options.max_per_rule)
    facts = FileFacts(source, options, format=options.data_format, count_skipped_tokens=_second_pass(source, options), package=package)
    try:
        with source.open() as stream:
            scan(stream, options, rules, facts, report.add, progress=progress, package=package)
    except _READ_ERRORS as err:
        facts.read_error = _describe(err)
    finish(rules, facts, report)
    return report


def scan(stream, options: CheckOptions, rules: Sequence[Rule], facts: FileFacts, add, at_file_start: bool = True, on_row=None, progress=None, package=None) -> None:  # type: ignore[no-untyped-def]
    """Stage 1-3 over one stream: every line through the line rules, every row
    through the row rules of its format; facts are counted as it goes. `on_row`, when
    given, sees each row after its rules (the parallel workers summarise rows there)."""
    line_rules = [r for r in rules if r.uses("check_line")]
    row_rules = {fmt: [r for r in rules if r.uses("check_row") and (r.formats is None or fmt in r.formats)] for fmt in (*FORMATS, None)}
    reader = LineReader(stream)
    number = 0
    try:
        for number, raw in reader:
            line = parse_line(number, raw, at_file_start and number == 1)
            for rule in line_rules:
                for finding in rule.check_line(line):
                    add(finding)
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
            row = Row(number, line.value, options.data_format or detected, detected, line.raw)
            if package is not None and options.model_entry is not None:
                row.image_tokens = row_image_tokens(row, package, options.model_entry)
            for rule in row_rules[row.format]:
                for finding in rule.check_row(row):
                    add(finding)
            if on_row is not None:
                on_row(row)
    finally:
        facts.lines = number
        facts.bytes = reader.bytes_read


def finish(rules: Sequence[Rule], facts: FileFacts, report: FileReport) -> None:
    """Stage 4: the file-level hooks, in rule order, and the report's file facts."""
    for rule in rules:
        if rule.uses("finish"):
            for finding in rule.finish(facts):
                report.add(finding)
    report.format = facts.format
    report.rows = facts.rows


def _describe(err: BaseException) -> str:
    if isinstance(err, UnreadableSource):
        return str(err)
    if isinstance(err, EOFError):
        return "the compressed stream ends early (truncated file)"
    if isinstance(err, OSError) and err.strerror:
        return err.strerror.lower()
    return str(err) or type(err).__name__


def _second_pass(source: Source, options: CheckOptions):  # type: ignore[no-untyped-def]
    if source.kind == "stdin" or options.model is None or source.is_package:
        return None

    def count() -> int:
        from ftlint.platform.tokenizers import skipped_tokens

        with source.open() as stream:
            return skipped_tokens(stream, options)

    return count
