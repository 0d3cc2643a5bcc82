"""--format full: the terminal report a person reads. Colour only on a terminal, and
never with NO_COLOR set (rich honours both). Text from the data is escaped
(reporters/escaping.py) and always given to rich as Text, never as markup."""

from __future__ import annotations

from typing import Literal, TextIO

from rich.cells import cell_len
from rich.console import Console
from rich.table import Table
from rich.text import Text

from ftlint.engine.rows import FORMATS
from ftlint.finding import Severity
from ftlint.i18n import _, count
from ftlint.platform.limits import platform
from ftlint.platform.prices import Price
from ftlint.report import JOB, JSON_ARRAY, FileReport, JobSummary, Report, omitted_message
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
            console.print(Text(_("note: {note}").format(note=visible(note)), style="dim"))
        _summary(console, report)


def _file(console: Console, file: FileReport, job: JobSummary | None = None) -> None:
    title = Text(file_name(file.path), style="bold")
    if file.format == JOB:
        title.append(_("  tuning job: {value} · {method}").format(value=job.model or 'no model', method=job.method) if job else _("  tuning job"), style="dim")
    else:
        kind = _("a JSON array, not JSON Lines") if file.format == JSON_ARRAY else _(FORMATS.get(file.format or "", "unknown format"))
        title.append(f"  {kind} · {count(file.rows, 'row')}", style="dim")
    hanging(console, title, 2)
    for f in file.sorted_findings():
        line = Text("  ")
        line.append(location(file.path, f.line, f.column), style="bold")
        line.append("  ")
        line.append(severity_label(f.severity), style=STYLE[f.severity])
        line.append(f" {f.code} ", style="bold")
        line.append(visible(f.message))
        if f.path:
            line.append(_("  at {path}").format(path=visible(f.path)), style="dim")
        if f.platform_code is not None:
            line.append(_("  [platform {platform_code}]").format(platform_code=f.platform_code), style="magenta")
        hanging(console, line, 6)
        if f.hint:
            hanging(console, Text(f"      ↳ {visible(f.hint)}", style="green"), 8)
    for code, n in sorted(file.omitted().items()):
        hanging(console, Text(f"  … {omitted_message(code, n)}", style="dim"), 4)
    verdict = file.fails_with()
    if verdict is not None:
        entry = file.platform_codes[verdict]
        where = _(", first at line {first_line}").format(first_line=entry.first_line) if entry.first_line else ""
        others = [str(c) for c in sorted(file.platform_codes) if c != verdict]
        also = _("; also {join}").format(join=', '.join(others)) if others else ""
        what = _("the job") if file.format == JOB else _("upload")
        hanging(console, Text(_("  ✗ {what} would fail with code {verdict}: {platform_codes}{where}{also}").format(
            what=what, verdict=verdict, platform_codes=platform().platform_codes[verdict], where=where, also=also), style="bold red"), 4)
    if file.lines_with_errors:
        console.print(Text(_("  {count} with errors ({count2} in the file)").format(count=count(file.lines_with_errors, 'line'), count2=count(file.rows, 'row')), style="red"))
    if not file.findings:
        console.print(Text(_("  ✓ no problems found"), style="green"))
    if job is not None:
        for account in job_lines(job):
            hanging(console, Text(f"  {account}"), 4)
    console.print()


def job_lines(job: JobSummary) -> list[str]:
    """The job's row account and cost preview, a few lines a person reads."""
    training = [f for f in job.files if f["role"] == "training"]
    lines = [_("rows: {count} in {count2}").format(count=count(job.rows, 'training row'), count2=count(len(training), 'file'))]
    if job.dropped:
        lines[0] += _(", {dropped:,} dropped as longer than max_length").format(dropped=job.dropped)
    if job.truncated:
        lines[0] += _(", {truncated:,} truncated to max_length").format(truncated=job.truncated)
    if job.validation_files:
        validation = len(job.files) - len(training)
        lines.append(_("→ {train:,} train; {validate:,} validate (from {count})").format(train=job.train, validate=job.validate, count=count(validation, 'validation file')))
    else:
        cap = _(", at most {cap:,}").format(cap=job.cap) if job.cap is not None else ""
        lines.append(_("→ {train:,} train; {held_out:,} held out to validate (split {split:g}, rounded up{cap})").format(train=job.train, held_out=job.held_out, split=job.split, cap=cap))
    if job.media:
        lines.append(_("billing: `ftlint stats PACKAGE --model MODEL` gives a Wan or CosyVoice package's billing base"))
        return lines
    if job.tokens is None:
        lines.append(_("tokens and cost: give the model (`model` in the job, or --model) to count them"))
        return lines
    per_epoch = _("({tokens:,} + ~{mixed_tokens:,} mixed in by data_augmentation, estimated as long as your rows)").format(tokens=job.tokens, mixed_tokens=job.mixed_tokens) if job.mixed_tokens is not None else f"{job.tokens:,}"
    lines.append(_("tokens: {per_epoch} per epoch × {count} = {billed_tokens:,} billed tokens").format(per_epoch=per_epoch, count=count(job.epochs, 'epoch'), billed_tokens=job.billed_tokens)
                 + (_(" (estimated)") if job.estimated else ""))
    if job.dropped_tokens:
        lines.append(_("        not counted: {dropped_tokens:,} tokens of dropped rows (the docs do not say whether they are billed)").format(dropped_tokens=job.dropped_tokens))
    if job.price is not None and job.cost is not None:
        price = Price(job.price["amount"], job.price["currency"], job.price["per_tokens"], job.price["source"], job.price["as_of"])
        dated = f", {job.price['as_of']}" if job.price["as_of"] else ""
        symbol = {"CNY": "¥", "USD": "$"}.get(price.currency, "")
        amount = f"{symbol}{job.cost:,.2f}" if symbol else f"{job.cost:,.2f} {price.currency}"
        lines.append(_("cost: about {amount} (an estimate: {describe}, from {source}{dated})").format(amount=amount, describe=price.describe(), source=price.source, dated=dated))
    else:
        lines.append(_("cost: no documented price for {model}; give --price AMOUNT (per 1,000 tokens) for an estimate").format(model=job.model))
    return lines


def _summary(console: Console, report: Report) -> None:
    if len(report.datasets) > 1:
        table = _summary_table(report)
        if console.soft_wrap or console.measure(table, options=console.options.update_width(10_000)).maximum <= console.width:
            console.print(table)
        else:  # too narrow for a table that keeps every name whole: a line per file
            console.print(Text(_("Summary"), style="italic"))
            for f in report.datasets:
                code = f.fails_with()
                line = Text(file_name(f.path), style="bold")
                line.append(_("  {format} · {rows} · {errors} · {warnings}").format(
                    format=f.format or _("unknown"), rows=count(f.rows, "row"), errors=count(f.errors, "error"), warnings=count(f.warnings, "warning")))
                if code is not None:
                    line.append(_(" · fails with {code}").format(code=code), style="red")
                hanging(console, line, 4)
        console.print()
    failing = sum(1 for f in report.datasets if f.errors)
    job_fails = any(f.errors for f in report.files if f.format == JOB)
    counts = _("{count}, {count2}, {infos:,} info").format(count=count(report.errors, 'error'), count2=count(report.warnings, 'warning'), infos=report.infos)
    files = count(len(report.datasets), "file")
    scope = _("{files}, {rows}").format(files=files, rows=count(report.rows, "row"))
    if report.errors:
        verdict = _("{failing} of {files} would be rejected").format(failing=failing, files=files) + (_("; the job would fail") if job_fails else "") if failing else _("the job would fail")
        hanging(console, Text(_("✗ {counts}: {verdict} ({rows:,} rows checked)").format(counts=counts, verdict=verdict, rows=report.rows), style="bold red"), 2)
    elif report.warnings:
        hanging(console, Text(_("✓ {counts} ({scope}): the platform would accept it; the warnings are worth a look").format(counts=counts, scope=scope), style="bold green"), 2)
    else:
        hanging(console, Text(_("✓ {counts} ({scope}): ready to upload").format(counts=counts, scope=scope), style="bold green"), 2)


def _summary_table(report: Report) -> Table:
    """One row per file; the file and format columns never wrap, so names stay whole."""
    table = Table(title=_("Summary"), title_justify="left", show_edge=False)
    columns: tuple[tuple[str, Literal["left", "right"]], ...] = (
        (_("file"), "left"), (_("format"), "left"), (_("rows"), "right"), (_("errors"), "right"), (_("warnings"), "right"), (_("fails with"), "left"))
    for number, (column, justify) in enumerate(columns):
        table.add_column(column, justify=justify, no_wrap=number < 2, overflow="fold")
    for f in report.datasets:
        code = f.fails_with()
        table.add_row(
            Text(file_name(f.path)),
            f.format or _("unknown"),
            f"{f.rows:,}",
            Text(str(f.errors), style="red" if f.errors else ""),
            Text(str(f.warnings), style="yellow" if f.warnings else ""),
            "-" if code is None else str(code),
        )
    return table


def hanging(console: Console, text: Text, indent: int) -> None:
    """Print `text` wrapped to the terminal with its continuation lines indented, so a
    long message stays readable at 80 columns. Words are never cut: a word wider than
    the line (a long path) is folded onto the next. Off a terminal, one line."""
    if console.soft_wrap or console.width <= indent + 20:
        console.print(text)
        return
    first = text.wrap(console, console.width, overflow="fold")[0]  # the first line has the whole width
    cut = len(first.plain)
    console.print(text.divide([cut])[0], soft_wrap=True)
    rest = text.divide([cut])[1] if cut < len(text.plain) else Text()
    spaces = len(rest.plain) - len(rest.plain.lstrip(" "))
    if spaces:
        rest = rest.divide([spaces])[1] if spaces < len(rest.plain) else Text()
    if rest.plain:
        for piece in rest.wrap(console, console.width - indent, overflow="fold"):
            console.print(Text(" " * indent) + piece, soft_wrap=True)


def severity_label(severity: Severity) -> str:
    """The severity as a person reads it, padded to one width in either language."""
    label = {Severity.ERROR: _("error"), Severity.WARNING: _("warning"), Severity.INFO: _("info")}[severity]
    return label + " " * max(0, 7 - cell_len(label))
