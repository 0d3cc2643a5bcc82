"""The engine: one pass over each source, source -> lines -> rows -> findings -> report."""

from __future__ import annotations

import zipfile
import zlib
from collections.abc import Callable, Sequence

from ftlint import selection
from ftlint.facts import FileFacts
from ftlint.lines import LineReader, parse_line
from ftlint.options import CheckOptions
from ftlint.report import FileReport, Report
from ftlint.rows import FORMATS, Row, detect_format
from ftlint.rule import Rule, all_rules, instantiate, plugin_errors
from ftlint.source import Source, UnreadableSource, expand

_READ_ERRORS = (OSError, EOFError, zlib.error, zipfile.BadZipFile, UnreadableSource, NotImplementedError, RuntimeError)


def check_paths(paths: Sequence[str], options: CheckOptions) -> Report:
    """Check every source the paths name with the same options (no configuration
    files). Raises SourceError for a path that does not exist, SelectionError for a
    selector that names no rule."""
    return check_sources(expand(list(paths)), lambda source: options)


def check_sources(sources: Sequence[Source], options_for: Callable[[Source], CheckOptions]) -> Report:
    """Check each source with its own options (configuration can differ per file)."""
    report = Report()
    rules_for: dict[tuple, list[type[Rule]]] = {}
    for source in sources:
        options = options_for(source)
        key = (options.select, options.ignore, options.extend_select)
        if key not in rules_for:
            rules_for[key] = selected_rules(options)
        report.files.append(check_source(source, options, rules_for[key]))
    report.notes.extend(plugin_errors())
    return report


def selected_rules(options: CheckOptions) -> list[type[Rule]]:
    rules = all_rules()
    for option in ("select", "ignore", "extend_select"):
        selection.validate(getattr(options, option), rules, "--" + option.replace("_", "-"))
    return [r for r in rules if selection.enabled(r, options.select, options.ignore, options.extend_select)]


def check_source(source: Source, options: CheckOptions, rule_classes: Sequence[type[Rule]]) -> FileReport:
    rules = [instantiate(cls, options) for cls in rule_classes]
    line_rules = [r for r in rules if r.uses("check_line")]
    row_rules = {fmt: [r for r in rules if r.uses("check_row") and (r.formats is None or fmt in r.formats)] for fmt in (*FORMATS, None)}
    finish_rules = [r for r in rules if r.uses("finish")]

    report = FileReport(source.name, max_per_rule=options.max_per_rule)
    facts = FileFacts(source, options, format=options.data_format)
    add = report.add
    try:
        with source.open() as stream:
            reader = LineReader(stream)
            number = 0
            try:
                for number, raw in reader:
                    line = parse_line(number, raw)
                    for rule in line_rules:
                        for finding in rule.check_line(line):
                            add(finding)
                    if line.blank:
                        continue
                    facts.rows += 1
                    if not isinstance(line.value, dict):
                        continue
                    detected = detect_format(line.value)
                    if detected:
                        facts.formats[detected] += 1
                        if facts.format is None:
                            facts.format, facts.format_line = detected, number
                    row = Row(number, line.value, options.data_format or detected, detected, line.raw)
                    for rule in row_rules[row.format]:
                        for finding in rule.check_row(row):
                            add(finding)
            finally:
                facts.lines = number
                facts.bytes = reader.bytes_read
    except _READ_ERRORS as err:
        facts.read_error = _describe(err)
    for rule in finish_rules:
        for finding in rule.finish(facts):
            add(finding)
    report.format = facts.format
    report.rows = facts.rows
    return report


def _describe(err: BaseException) -> str:
    if isinstance(err, UnreadableSource):
        return str(err)
    if isinstance(err, EOFError):
        return "the compressed stream ends early (truncated file)"
    if isinstance(err, OSError) and err.strerror:
        return err.strerror.lower()
    return str(err) or type(err).__name__
