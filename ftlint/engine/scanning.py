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
import functools
import os
import traceback
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, BinaryIO

import orjson

from ftlint import selection
from ftlint.engine import json_array, parallel
from ftlint.engine.file_facts import ArrayFacts, FileFacts
from ftlint.engine.job_facts import JobFacts, JobLedger
from ftlint.engine.job_facts import summary as job_summary
from ftlint.engine.lines import Line, LineReader, parse_line
from ftlint.engine.row_cache import BATCH, THIS_LINE, Entry, RowCache, disabled_by_environment, namespace
from ftlint.engine.rows import FORMATS, Row, RowSummary, detect_format
from ftlint.engine.sources import Source, UnreadableSource, expand
from ftlint.finding import Finding, Severity
from ftlint.i18n import _
from ftlint.job import TRAINING, Dataset, Job, option_fields
from ftlint.options import CheckOptions
from ftlint.platform.capabilities import NONE, needs
from ftlint.platform.conversations import loss_weights, untrained_turns
from ftlint.platform.packages import Package, image_references, media_paths, row_image_tokens, video_references
from ftlint.platform.prices import Price, price_of
from ftlint.platform.tokenizers import measure
from ftlint.report import JOB, JSON_ARRAY, FileReport, Report
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
    rules_for = RulesFor()
    for source in sources:
        options = options_for(source)
        report.files.append(check_source(source, options, rules_for(options), jobs, progress(source) if progress else None))
    report.notes.extend(plugin_errors())
    return report


def check_job(job: Job, options: CheckOptions, options_for: Callable[[Source, Dataset], CheckOptions], jobs: int = 1,
              progress: Callable[[Source], Any] | None = None, price: Price | None = None) -> Report:
    """Check a job: each of its files (training files first) with its own options, as
    check_sources does, while a ledger collects what the job's rules judge across
    files; then the rules' check_job hooks, reported under the job's name, and the
    job's row account and cost. `options` are the job's settings (selection, model,
    hyperparameters)."""
    report = Report()
    ledger = JobLedger(job, options)
    rules_for = RulesFor()
    for dataset, source in job_sources(job):
        file_options = options_for(source, dataset)
        ledger.start(dataset, source)
        report.files.append(check_source(source, file_options, rules_for(file_options), jobs, progress(source) if progress else None, ledger))
    rules = RuleSet(selected_rules(options), options, hooks=("check_job",))
    job_report = FileReport(job.origin, max_per_rule=options.max_per_rule, format=JOB)
    rules.check_job(ledger.facts, job_report.add)
    report.files.insert(0, job_report)
    if price is None and options.model is not None:
        price = price_of(options.model)
    report.job = job_summary(ledger.facts, price)
    report.notes.extend(plugin_errors())
    return report


def check_job_paths(job: Job, options: CheckOptions, jobs: int = 1, price: Price | None = None) -> Report:
    """Check a job with the same options for every file (no configuration files): the
    job's model, method and hyperparameters over `options`."""
    options = with_job(job, options)
    return check_job(job, options, lambda source, dataset: dataclasses.replace(options, job_role=dataset.role), jobs, price=price)


def with_job(job: Job, options: CheckOptions) -> CheckOptions:
    """Options with the job's model, method and hyperparameters; every row counted in
    full when there is a model (the cost preview needs every row's tokens)."""
    fields = option_fields(job)
    if "split" not in dataclasses.replace(options, **fields).platform_profile.hyperparameters:
        fields.pop("validation_split", None)  # the old API had no split parameter: its own 20% applies
    options = dataclasses.replace(options, **fields)
    return dataclasses.replace(options, exact_tokens=options.model is not None)


def job_sources(job: Job) -> list[tuple[Dataset, Source]]:
    """Each file a job's datasets name, in order, training files first; a file named
    twice for the same role is checked once (J101 reports it)."""
    seen: set[tuple[str, str]] = set()
    out = []
    for dataset in sorted(job.datasets, key=lambda d: d.role != TRAINING):
        for source in expand([str(dataset.path)]):
            key = (dataset.role, os.path.realpath(source.path) if source.path is not None else source.name)
            if key not in seen:
                seen.add(key)
                out.append((dataset, source))
    return out


class RulesFor:
    """The rules each file's options select, worked out once per selection (files of a
    run usually share one)."""

    def __init__(self) -> None:
        self.cache: dict[tuple[Any, ...], list[type[Rule]]] = {}

    def __call__(self, options: CheckOptions) -> list[type[Rule]]:
        key = (options.select, options.ignore, options.extend_select)
        if key not in self.cache:
            self.cache[key] = selected_rules(options)
        return self.cache[key]


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
        # In a job, a rule that judges the job as a whole (check_job) does not also judge
        # each of its files (finish).
        self.in_job = options.job_role is not None
        self.rules = [instantiate(cls, options) for cls in rule_classes if any(cls.uses(h) for h in wanted)]
        self.line_rules = [r for r in self.rules if "check_line" in wanted and r.uses("check_line")]
        self.row_rules = self._by_format("check_row" if "check_row" in wanted else None)
        self.collectors = self._by_format("collect" if "collect" in wanted else None)
        # What the file's collecting rules read, wherever they run (a worker summarises
        # rows for collectors that live in the main process).
        collecting = [cls for cls in rule_classes if cls.uses("collect")]
        # A job's files are also summarised for the job's ledger (ftlint.engine.job_facts).
        ledger = job_fields(options) if self.in_job else frozenset()
        self.fields: frozenset[str] = frozenset().union(ledger, *(cls.summary_fields for cls in collecting))
        self.collects = bool(collecting) or bool(ledger)
        self.failed: set[str] = set()
        self.stage_failed = False  # an engine stage (a summary field) raised

    def _by_format(self, hook: str | None) -> dict[str | None, list[Rule]]:
        return {fmt: [r for r in self.rules if hook and r.uses(hook) and (r.formats is None or fmt in r.formats)] for fmt in (*FORMATS, None)}

    def fail(self, rule: Rule, line: int | None, err: Exception, add: Add) -> None:
        """Report a rule's internal error and switch it off for the rest of the file
        (taken out of every hook's list, so the hot loops never ask again)."""
        self.failed.add(rule.code)
        add(internal_error(rule, line, err))
        self.line_rules = [r for r in self.line_rules if r is not rule]
        for table in (self.row_rules, self.collectors):
            for fmt, rules in table.items():
                table[fmt] = [r for r in rules if r is not rule]

    # The loops below are the hot path: one try per hook call (free when nothing
    # raises), no call in between.
    def check_line(self, line: Line, add: Add) -> None:
        for rule in self.line_rules:
            try:
                for finding in rule.check_line(line):
                    add(finding)
            except Exception as err:  # noqa: BLE001  a bug in one rule must not stop the check
                self.fail(rule, line.number, err, add)

    def check_row(self, row: Row, add: Add) -> None:
        for rule in self.row_rules[row.format]:
            try:
                for finding in rule.check_row(row):
                    add(finding)
            except Exception as err:  # noqa: BLE001
                self.fail(rule, row.line, err, add)

    def collect(self, summary: RowSummary, add: Add) -> None:
        for rule in self.collectors[summary.format]:
            try:
                for finding in rule.collect(summary):
                    add(finding)
            except Exception as err:  # noqa: BLE001
                self.fail(rule, summary.line, err, add)

    def finish(self, facts: FileFacts, add: Add) -> None:
        for rule in self.rules:
            if rule.uses("finish") and rule.code not in self.failed and not (self.in_job and rule.uses("check_job")):
                try:
                    for finding in rule.finish(facts):
                        add(finding)
                except Exception as err:  # noqa: BLE001
                    self.fail(rule, None, err, add)

    def check_job(self, facts: JobFacts, add: Add) -> None:
        for rule in self.rules:
            if rule.uses("check_job") and rule.code not in self.failed:
                try:
                    for finding in rule.check_job(facts):
                        add(finding)
                except Exception as err:  # noqa: BLE001
                    self.fail(rule, None, err, add)

    def summarise(self, row: Row, add: Add) -> RowSummary:
        """The row as the collecting rules declared they read it."""
        summary = RowSummary(row.line, row.format, row.detected)
        for name in self.fields:
            if name == "package":
                summary.package = row.package
                continue
            try:
                setattr(summary, name, STAGES[name](row, self.options))
            except Exception as err:  # noqa: BLE001  a failing stage fails the rules that read its field
                self.stage_failed = True
                for rule in self.rules:
                    if rule.code not in self.failed and name in rule.summary_fields:
                        self.fail(rule, row.line, err, add)
        return summary


def _image_refs(row: Row, options: CheckOptions) -> tuple[tuple[str, str], ...]:
    # Media names refer to a package's files: a row of a plain .jsonl has none to check.
    return tuple(image_references(row)) if row.package is not None else ()


def _media_names(row: Row, options: CheckOptions) -> frozenset[str]:
    if row.package is None:
        return frozenset()
    return frozenset(name for name, _ in (*image_references(row), *video_references(row)))


def measure_tokens(row: Row, options: CheckOptions) -> Any:
    return measure(row, options) if options.model_entry is not None else None


# How the engine computes each summary field a rule may declare ("package" is the row's).
STAGES: dict[str, Callable[[Row, CheckOptions], Any]] = {
    "digest": lambda row, options: row.digest,
    "normal_digest": lambda row, options: row.normal_digest,
    "has_tool_calls": lambda row, options: row.has_tool_calls,
    "needs": lambda row, options: needs(row) if options.model_entry is not None else NONE,  # capabilities matter only for a model
    "untrained_turns": lambda row, options: untrained_turns(row),
    "loss_weights": lambda row, options: loss_weights(row),
    "tokens": measure_tokens,
    "image_refs": _image_refs,
    "media_names": _media_names,
    "media_paths": lambda row, options: media_paths(row) if row.package is not None else (),
}


def job_fields(options: CheckOptions) -> frozenset[str]:
    """What the job's ledger reads of each row of a job's file."""
    from ftlint.engine.job_facts import LEDGER_FIELDS

    return LEDGER_FIELDS | ({"tokens"} if options.model_entry is not None else set())


def internal_error(rule: Rule, line: int | None, err: BaseException) -> Finding:
    if os.environ.get("FTLINT_DEBUG"):
        traceback.print_exception(err)
    return Finding(
        code=rule.code,
        rule=rule.slug,
        severity=Severity.ERROR,
        message=_("internal error in this rule: {name__}: {err}; it was switched off for the rest of the file").format(name__=type(err).__name__, err=err),
        line=line,
        hint=_("this is a bug in ftlint or the plugin, not in the data: please report it (FTLINT_DEBUG=1 prints the traceback)"),
        internal=True,
    )


def check_source(source: Source, options: CheckOptions, rule_classes: Sequence[type[Rule]], jobs: int = 1, progress: Callable[[int], None] | None = None,
                 ledger: JobLedger | None = None) -> FileReport:
    """Check one source. With jobs > 1, a large plain file is checked by worker
    processes, with the same result as a serial check. A job's file also gives each
    row's summary to the job's ledger."""
    if _is_array_file(source):
        return _check_array_file(source, options, rule_classes, ledger)
    if jobs > 1 and parallel.worth_it(source) and not _warm(source, options, rule_classes):
        report = _check_in_parallel(source, options, rule_classes, jobs, progress, ledger)
        if report is not None:
            return report
        if ledger is not None:
            ledger.restart()  # the serial check sends the file's rows again
    rules = RuleSet(rule_classes, options)
    package = Package(source.path) if source.is_package and source.path is not None else None
    report = FileReport(source.name, max_per_rule=options.max_per_rule)
    facts = FileFacts(source, options, format=options.data_format, package=package)

    def collect(summary: RowSummary) -> None:
        rules.collect(summary, report.add)
        if ledger is not None:
            ledger.add(summary)

    cache = cache_for(options, rules, rule_classes) if package is None else None
    try:
        with source.open() as stream:
            scan(stream, options, rules, facts, report.add, progress=progress, package=package, on_summary=collect, cache=cache)
    except READ_ERRORS as err:
        facts.read_error = describe_read_error(err)
    finally:
        if cache is not None:
            cache.close()
    _finish(rules, facts, report, ledger)
    return report


def _is_array_file(source: Source) -> bool:
    if source.kind not in ("jsonl", "gzip"):  # standard input cannot be read twice
        return False
    try:
        with source.open() as stream:
            return json_array.sniff(stream)[0]
    except READ_ERRORS:
        return False  # the check proper reports why it cannot be read


def _check_array_file(source: Source, options: CheckOptions, rule_classes: Sequence[type[Rule]], ledger: JobLedger | None) -> FileReport:
    """A JSON array file gets one verdict (F110), with its elements counted: its rows
    are checked once it is JSON Lines. Only the rules that judge a file's container
    (`Rule.on_array_files`) finish it; the others have seen no rows."""
    rules = RuleSet([rule for rule in rule_classes if rule.on_array_files], options)
    report = FileReport(source.name, max_per_rule=options.max_per_rule)
    facts = FileFacts(source, options, array=ArrayFacts())
    array = facts.array
    assert array is not None
    try:
        with source.open() as stream:
            _, stream = json_array.sniff(stream)
            for element in json_array.elements(stream):
                array.elements += 1
                facts.lines = element.last_line
                if element.problem:
                    array.error, array.error_line = element.problem, element.first_line
                if array.elements == 1:
                    try:
                        array.first = orjson.loads(element.raw)
                    except orjson.JSONDecodeError:
                        array.first = None
    except json_array.ArrayError as err:
        array.error, array.error_line = str(err), err.line
    except READ_ERRORS as err:
        facts.read_error = describe_read_error(err)
    facts.rows = array.elements
    _finish(rules, facts, report, ledger)
    report.format = JSON_ARRAY
    return report


def scan(stream: BinaryIO, options: CheckOptions, rules: RuleSet, facts: FileFacts, add: Add, *, first_line: int = 1,
         on_summary: Callable[[RowSummary], None] | None = None, progress: Callable[[int], None] | None = None, package: Package | None = None,
         cache: RowCache | None = None) -> None:
    """Stages 1-3 over one stream: every line through the line rules, every row
    through the row rules of its format, then its summary to `on_summary` when some
    rule collects; facts are counted as it goes. With a `cache`, a line checked before
    (same bytes, same namespace) is replayed from it instead."""
    reader = LineReader(stream)
    number = first_line - 1
    summarise = rules.collects and on_summary is not None
    model = options.model_entry
    shift = first_line - 1  # a worker's range starts mid-file: lines keep the file's numbers
    if package is not None:
        cache = None  # a package's rows are checked against its files: never from the cache

    def one_line(number: int, raw: bytes, add: Add) -> Entry:
        line = parse_line(number, raw, number == 1)
        rules.check_line(line, add)
        if line.blank:
            return Entry(True, False, None, [])
        facts.rows += 1
        if not isinstance(line.value, dict):
            return Entry(False, False, None, [])
        detected = detect_format(line.value, package is not None)
        if detected:
            facts.formats[detected] += 1
            if facts.format is None:
                facts.format, facts.format_line = detected, number
        row = Row(number, line.value, options.data_format or detected, detected, line.raw, package)
        if package is not None and model is not None:  # the images' estimated tokens, fixed at construction
            row = dataclasses.replace(row, extra_tokens=row_image_tokens(row, package, model))
        rules.check_row(row, add)
        summary = None
        if summarise:
            summary = rules.summarise(row, add)
            on_summary(summary)  # type: ignore[misc]
        return Entry(False, True, detected, [], summary)

    found: list[Finding] = []  # what the line being checked for the cache added

    def adding(finding: Finding) -> None:
        found.append(finding)
        add(finding)

    def cached_lines() -> Iterator[tuple[int, bytes, bytes | None, bytes | None]]:
        # (number, raw, key, stored entry): the reader's lines in batches, each batch's
        # keys looked up in one query.
        assert cache is not None
        batch: list[tuple[int, bytes, bytes | None]] = []
        size = 0
        for local, raw in reader:
            usable = bool(raw) and isinstance(raw, bytes)
            batch.append((local + shift, raw, cache.key(raw, local + shift == 1) if usable else None))
            size += len(raw)
            if len(batch) >= BATCH or size >= 8 << 20:
                yield from _looked_up(cache, batch)
                batch, size = [], 0
        yield from _looked_up(cache, batch)

    try:
        if cache is None:
            for local, raw in reader:
                number = local + shift
                if progress is not None and not number & 0x3FF:
                    progress(reader.bytes_read)
                one_line(number, raw, add)
            return
        for number, raw, key, stored in cached_lines():
            if progress is not None and not number & 0x3FF:
                progress(reader.bytes_read)
            if key is None or rules.failed or rules.stage_failed:
                one_line(number, raw, add)
                continue
            entry = cache.decode(stored) if stored is not None else None
            if entry is not None:
                _replay(entry, number, facts, add, on_summary if summarise else None)
                continue
            found.clear()
            entry = one_line(number, raw, adding)
            if not rules.failed and not rules.stage_failed and all(f.line in (number, None) for f in found):
                entry.findings = [dataclasses.replace(f, line=THIS_LINE) if f.line == number else f for f in found]
                cache.put(key, entry)
    finally:
        facts.lines = number
        facts.bytes = reader.bytes_read


def _looked_up(cache: RowCache, batch: list[tuple[int, bytes, bytes | None]]) -> Iterator[tuple[int, bytes, bytes | None, bytes | None]]:
    stored = cache.get_many([key for _, _, key in batch if key is not None])
    for number, raw, key in batch:
        yield number, raw, key, stored.get(key) if key is not None else None


def _replay(entry: Entry, number: int, facts: FileFacts, add: Add, on_summary: Callable[[RowSummary], None] | None) -> None:
    """A cached line's result, as checking it would give it at line `number`."""
    for finding in entry.findings:
        add(dataclasses.replace(finding, line=number) if finding.line == THIS_LINE else finding)
    if entry.blank:
        return
    facts.rows += 1
    if not entry.is_object:
        return
    if entry.detected:
        facts.formats[entry.detected] += 1
        if facts.format is None:
            facts.format, facts.format_line = entry.detected, number
    if on_summary is not None and entry.summary is not None:
        entry.summary.line = number
        on_summary(entry.summary)


def cache_for(options: CheckOptions, rules: RuleSet, rule_classes: Sequence[type[Rule]]) -> RowCache | None:
    """The row cache a check of this file uses, or None (--no-cache, or none wanted)."""
    if not options.use_cache or disabled_by_environment():
        return None
    return RowCache(namespace(options, rule_classes, rules.fields, rules.collects))


def _warm(source: Source, options: CheckOptions, rule_classes: Sequence[type[Rule]]) -> bool:
    """Whether the row cache holds nearly every line of the file, judged on a sample of
    lines spread over it: replaying is then faster in one process than in workers whose
    summaries the main process would unpickle and collect."""
    rules = RuleSet(rule_classes, options, hooks=("collect", "finish"))
    cache = cache_for(options, rules, rule_classes)
    if cache is None or not cache.exists() or source.path is None:
        return False
    try:
        # Distinct lines (the places may overlap in a small file); blank lines are never kept.
        keys = list(dict.fromkeys(cache.key(raw, first) for raw, first in parallel.sample_lines(source.path) if raw))
        return bool(keys) and len(cache.get_many(keys)) >= 0.9 * len(keys)
    except OSError:
        return False
    finally:
        cache.close()


def _finish(rules: RuleSet, facts: FileFacts, report: FileReport, ledger: JobLedger | None = None) -> None:
    """Stage 4: the file-level hooks, in rule order, and the report's file facts."""
    rules.finish(facts, report.add)
    report.format = facts.format
    report.rows = facts.rows
    if ledger is not None and ledger.file is not None:
        ledger.file.rows = facts.rows
        ledger.file.failed = facts.read_error is not None or bool(rules.failed) or rules.stage_failed


def describe_read_error(err: BaseException) -> str:
    if isinstance(err, UnreadableSource):
        return str(err)
    if isinstance(err, EOFError):
        return _("the compressed stream ends early (truncated file)")
    if isinstance(err, OSError) and err.strerror:
        return err.strerror.lower()
    return str(err) or type(err).__name__


# -- the parallel path: workers check byte ranges, the main process collects --------


@dataclass
class RangeResult:
    facts: FileFacts  # lines: the file line number of the range's last line
    report: FileReport  # the range's findings, with file line numbers
    summaries: list[RowSummary] = field(default_factory=list)
    read_error: str | None = None
    failed: bool = False  # a rule or stage raised: the main process checks serially instead


def check_range(task: tuple[Source, int, int, int, CheckOptions, Sequence[type[Rule]], bytes | None]) -> RangeResult:
    """A worker: check lines [start, end) of the file with the line and row rules, and
    summarise each row for the collecting rules (which run in the main process)."""
    from ftlint.rules.base import plugin_failures

    source, start, end, first_line, options, classes, space = task
    notes = plugin_failures()
    rules = RuleSet(classes, options, hooks=("check_line", "check_row"))
    cache = RowCache(space) if space is not None else None
    report = FileReport(source.name, max_per_rule=options.max_per_rule)
    summaries: list[RowSummary] = []
    facts = FileFacts(source, options, format=options.data_format)
    assert source.path is not None
    stream = parallel.Window(source.path, start, end)
    read_error = None
    try:
        scan(stream, options, rules, facts, report.add, first_line=first_line, on_summary=summaries.append, cache=cache)  # type: ignore[arg-type]
    except READ_ERRORS as err:
        read_error = describe_read_error(err)
    finally:
        stream.close()
        if cache is not None:
            cache.close()
    # A failure (a rule's, a plugin's or a stage's) is reported the way a serial check
    # reports it: the main process checks the file serially.
    failed = bool(rules.failed) or rules.stage_failed or plugin_failures() > notes
    return RangeResult(facts, report, summaries, read_error, failed)


def _check_in_parallel(source: Source, options: CheckOptions, rule_classes: Sequence[type[Rule]], jobs: int, progress: Callable[[int], None] | None,
                       ledger: JobLedger | None = None) -> FileReport | None:
    """The same report as a serial check, from worker processes; None when anything
    failed in a worker or in collecting (the caller then checks serially, so the
    failure is reported exactly as a serial check reports it)."""
    main = RuleSet(rule_classes, options, hooks=("collect", "finish"))
    cache = cache_for(options, main, rule_classes)  # its namespace, worked out once, before the workers fork
    if options.model_entry is not None and (cache is None or not cache.exists()):
        from ftlint.platform.tokenizers import meter_for

        meter_for(options.model_entry)  # load the tokenizer once, before the workers fork (a warm cache may not need it)
    assert source.path is not None
    ranges = parallel.cut(source.path, jobs)
    first_lines = parallel.first_lines(source.path, ranges)
    report = FileReport(source.name, max_per_rule=options.max_per_rule)
    facts = FileFacts(source, options, format=options.data_format)
    done = 0
    space = cache.space if cache is not None else None
    tasks = [(source, a, b, first, options, list(rule_classes), space) for (a, b), first in zip(ranges, first_lines, strict=True)]
    for (start, end), result in zip(ranges, parallel.run(check_range, tasks, jobs), strict=True):
        if result.failed:
            return None
        collected: list[tuple[int, Finding]] = []  # (the line of the row that produced it, finding)
        for summary in result.summaries:
            if "package" in main.fields:
                summary.package = None  # a parallel check is never of a package
            main.collect(summary, functools.partial(_collected, collected, summary.line))
            if ledger is not None:
                ledger.add(summary)
        _merge(report, result.report, collected)
        part = result.facts
        facts.rows += part.rows
        facts.bytes += part.bytes
        facts.formats.update(part.formats)
        facts.lines = max(facts.lines, part.lines)
        if facts.format is None and part.format is not None:
            facts.format, facts.format_line = part.format, part.format_line
        done += end - start
        if progress is not None:
            progress(done)
        if result.read_error:
            facts.read_error = result.read_error
            break
    _finish(main, facts, report, ledger)
    if main.failed:
        return None
    return report


def _collected(into: list[tuple[int, Finding]], at: int, finding: Finding) -> None:
    into.append((at, finding))


def _merge(report: FileReport, part: FileReport, collected: list[tuple[int, Finding]]) -> None:
    """A range's findings into the report, in the order a serial check adds them: row
    by row, a row's line and row findings before what collecting found for it. The
    worker's findings were counted in full by the worker (its list is capped); the
    collected ones are counted here."""
    worker = []
    at = 0
    for n, finding in enumerate(part.findings):
        at = finding.line if finding.line is not None else at  # a file-level finding from a row: that row's place
        worker.append((at, 0, n, finding))
    found = [(line, 1, n, finding) for n, (line, finding) in enumerate(collected)]
    for _order, source, _line, finding in sorted(worker + found, key=lambda item: item[:3]):
        if source == 1:
            report.add(finding)
        elif not report.max_per_rule or finding.line is None or report.listed(finding.code) < report.max_per_rule:
            report.findings.append(finding)
            report.count_listed(finding.code)
    report.counts.update(part.counts)
    report.severities.update(part.severities)
    report.error_lines |= part.error_lines
    for code, tally in part.platform_codes.items():
        entry = report.platform_codes.setdefault(code, dataclasses.replace(tally, findings=0, first_line=None))
        entry.findings += tally.findings
        if tally.first_line is not None:
            entry.first_line = tally.first_line if entry.first_line is None else min(entry.first_line, tally.first_line)
