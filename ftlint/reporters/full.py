"""--format full: the terminal report a person reads. Colour only on a terminal, and
never with NO_COLOR set (rich honours both). Text from the data is escaped
(reporters/escaping.py) and always given to rich as Text, never as markup."""

from __future__ import annotations

from typing import TextIO

from rich.console import Console
from rich.table import Table
from rich.text import Text

from ftlint.engine.rows import FORMATS
from ftlint.finding import Severity
from ftlint.platform.limits import platform
from ftlint.platform.prices import Price
from ftlint.report import JOB, FileReport, JobSummary, Report
from ftlint.reporters.concise import location
from ftlint.reporters.escaping import file_name, text_stream, visible

STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


def render(report: Report, out: TextIO) -> None:
    with text_stream(out) as stream:
        terminal = stream.isatty()
        # Not a terminal: no wrapping, and room for whole paths in the summary table.
        console = Console(file=stream, highlight=False, soft_wrap=not terminal, width=None if terminal else 200)
        for file in report.datasets:
            _file(console, file)
        for file in report.files:
            if file.format == JOB:  # the job's verdict comes after its files
                _file(console, file, report.job)
        for note in report.notes:
            console.print(Text(f"note: {visible(note)}", style="dim"))
        _summary(console, report)


def _file(console: Console, file: FileReport, job: JobSummary | None = None) -> None:
    title = Text(file_name(file.path), style="bold")
    if file.format == JOB:
        title.append(f"  tuning job: {job.model or 'no model'} · {job.method}" if job else "  tuning job", style="dim")
    else:
        title.append(f"  {FORMATS.get(file.format or '', 'unknown format')} · {_count(file.rows, 'row')}", style="dim")
    console.print(title)
    for f in file.sorted_findings():
        line = Text("  ")
        line.append(location(file.path, f.line, f.column), style="bold")
        line.append("  ")
        line.append(f"{f.severity.value:<7}", style=STYLE[f.severity])
        line.append(f" {f.code} ", style="bold")
        line.append(visible(f.message))
        if f.path:
            line.append(f"  at {visible(f.path)}", style="dim")
        if f.platform_code is not None:
            line.append(f"  [platform {f.platform_code}]", style="magenta")
        console.print(line)
        if f.hint:
            console.print(Text(f"      ↳ {visible(f.hint)}", style="green"))
    for code, n in sorted(file.omitted().items()):
        console.print(Text(f"  … {n:,} more {code} findings not listed (--max-per-rule 0 lists all)", style="dim"))
    verdict = file.fails_with()
    if verdict is not None:
        entry = file.platform_codes[verdict]
        where = f", first at line {entry.first_line}" if entry.first_line else ""
        others = [str(c) for c in sorted(file.platform_codes) if c != verdict]
        also = f"; also {', '.join(others)}" if others else ""
        what = "the job" if file.format == JOB else "upload"
        console.print(
            Text(f"  ✗ {what} would fail with code {verdict}: {platform().platform_codes[verdict]}{where}{also}", style="bold red")
        )
    if file.lines_with_errors:
        console.print(Text(f"  {_count(file.lines_with_errors, 'line')} with errors ({_count(file.rows, 'row')} in the file)", style="red"))
    if not file.findings:
        console.print(Text("  ✓ no problems found", style="green"))
    if job is not None:
        for account in job_lines(job):
            console.print(Text(f"  {account}"))
    console.print()


def job_lines(job: JobSummary) -> list[str]:
    """The job's row account and cost preview, a few lines a person reads."""
    training = [f for f in job.files if f["role"] == "training"]
    lines = [f"rows: {_count(job.rows, 'training row')} in {_count(len(training), 'file')}"]
    if job.dropped:
        lines[0] += f", {job.dropped:,} dropped as longer than max_length"
    if job.truncated:
        lines[0] += f", {job.truncated:,} truncated to max_length"
    if job.validation_files:
        validation = len(job.files) - len(training)
        lines.append(f"→ {job.train:,} train; {job.validate:,} validate (from {_count(validation, 'validation file')})")
    else:
        cap = f", at most {job.cap:,}" if job.cap is not None else ""
        lines.append(f"→ {job.train:,} train; {job.held_out:,} held out to validate (split {job.split:g}, rounded up{cap})")
    if job.media:
        lines.append("billing: `ftlint stats PACKAGE --model MODEL` gives a Wan or CosyVoice package's billing base")
        return lines
    if job.tokens is None:
        lines.append("tokens and cost: give the model (`model` in the job, or --model) to count them")
        return lines
    per_epoch = f"({job.tokens:,} + ~{job.mixed_tokens:,} mixed in by data_augmentation, estimated as long as your rows)" if job.mixed_tokens is not None else f"{job.tokens:,}"
    lines.append(f"tokens: {per_epoch} per epoch × {_count(job.epochs, 'epoch')} = {job.billed_tokens:,} billed tokens"
                 + (" (estimated)" if job.estimated else ""))
    if job.dropped_tokens:
        lines.append(f"        not counted: {job.dropped_tokens:,} tokens of dropped rows (the docs do not say whether they are billed)")
    if job.price is not None and job.cost is not None:
        price = Price(job.price["amount"], job.price["currency"], job.price["per_tokens"], job.price["source"], job.price["as_of"])
        dated = f", {job.price['as_of']}" if job.price["as_of"] else ""
        symbol = {"CNY": "¥", "USD": "$"}.get(price.currency, "")
        amount = f"{symbol}{job.cost:,.2f}" if symbol else f"{job.cost:,.2f} {price.currency}"
        lines.append(f"cost: about {amount} (an estimate: {price.describe()}, from {price.source}{dated})")
    else:
        lines.append(f"cost: no documented price for {job.model}; give --price AMOUNT (per 1,000 tokens) for an estimate")
    return lines


def _summary(console: Console, report: Report) -> None:
    if len(report.datasets) > 1:
        table = Table(title="Summary", title_justify="left", show_edge=False)
        for column in ("file", "format", "rows", "errors", "warnings", "fails with"):
            table.add_column(column, justify="right" if column in ("rows", "errors", "warnings") else "left", overflow="fold")
        for f in report.datasets:
            code = f.fails_with()
            table.add_row(
                Text(file_name(f.path)),
                f.format or "unknown",
                f"{f.rows:,}",
                Text(str(f.errors), style="red" if f.errors else ""),
                Text(str(f.warnings), style="yellow" if f.warnings else ""),
                "-" if code is None else str(code),
            )
        console.print(table)
        console.print()
    failing = sum(1 for f in report.datasets if f.errors)
    job_fails = any(f.errors for f in report.files if f.format == JOB)
    counts = f"{_count(report.errors, 'error')}, {_count(report.warnings, 'warning')}, {report.infos:,} info"
    files = _count(len(report.datasets), "file")
    scope = f"{files}, {_count(report.rows, 'row')}"
    if report.errors:
        verdict = f"{failing} of {files} would be rejected" + ("; the job would fail" if job_fails else "") if failing else "the job would fail"
        console.print(Text(f"✗ {counts}: {verdict} ({report.rows:,} rows checked)", style="bold red"))
    elif report.warnings:
        console.print(Text(f"✓ {counts} ({scope}): the platform would accept it; the warnings are worth a look", style="bold green"))
    else:
        console.print(Text(f"✓ {counts} ({scope}): ready to upload", style="bold green"))


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}{'' if n == 1 else 's'}"
