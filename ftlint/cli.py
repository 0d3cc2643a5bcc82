"""The command line: ftlint check | rules | rule. Exit codes: 0 clean (warnings allowed),
1 errors found, 2 usage or I/O error (one line on stderr, never a traceback)."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from typing import TextIO

import click

from ftlint import __version__
from ftlint.checker import check_paths
from ftlint.models import CAPABILITIES, UnknownModel, catalog, get_model
from ftlint.options import CheckOptions
from ftlint.platform import platform
from ftlint.reporters import REPORTERS
from ftlint.rows import FORMATS
from ftlint.rule import all_rules, find_rule
from ftlint.source import SourceError, expand


def _model_option(required: bool = False):  # type: ignore[no-untyped-def]
    def validate(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
        if value is None:
            return None
        try:
            return get_model(value).name
        except UnknownModel as err:
            raise click.BadParameter(str(err)) from None

    return click.option(
        "--model",
        callback=validate,
        required=required,
        help="The model you will tune (DashScope name, see `ftlint models`): enables exact token-length checks.",
    )


def _job_options(f):  # type: ignore[no-untyped-def]
    """Options that describe the tuning job, shared by check and stats."""
    for decorator in reversed(
        [
            click.option("--data-format", type=click.Choice(list(FORMATS)), help="Check every row as this dataset format (default: detect per file and row)."),
            click.option("--platform", "profile", type=click.Choice(sorted(platform().profiles)), default="seeds", show_default=True, help="Platform rules: the seed documents', or today's docs'."),
            click.option("--via", type=click.Choice(["api", "console"]), default="api", show_default=True, help="Upload path: decides size caps and what happens to over-length rows."),
            click.option("--n-epochs", type=int, help="Training epochs the job will use (checked against the profile's range)."),
            click.option("--max-length", type=int, help="Sequence length the job will use [default: 2048]; checked, and the token limit."),
        ]
    ):
        f = decorator(f)
    return f


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="ftlint")
def cli() -> None:
    """Check fine-tuning datasets before uploading them to Alibaba Cloud Model Studio
    (Bailian) / DashScope: every problem the platform would reject, with its line and
    the platform's error code."""


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@_model_option()
@_job_options
@click.option("--batch-size", type=int, help="Batch size the job will use (checked; the training rows must exceed it).")
@click.option("--learning-rate", type=float, help="Learning rate the job will use (checked).")
@click.option("--validation-split", type=click.FloatRange(0, 1, max_open=True), help="Share of rows held out for validation [default: the profile's; 0 for a file you split yourself].")
@click.option("--max-per-rule", type=click.IntRange(min=0), default=20, show_default=True, help="Findings listed per rule and file (0: all). Counts stay exact.")
@click.option("--format", "output_format", type=click.Choice(list(REPORTERS)), default="full", show_default=True, help="Output format.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), help="Write the report to this file instead of stdout.")
def check(paths: tuple[str, ...], output_format: str, output: str | None, **options: object) -> int:
    """Check datasets: .jsonl, .jsonl.gz, .zip packages, directories, or - for stdin."""
    report = check_paths(paths, CheckOptions(**options))  # type: ignore[arg-type]
    with _open_output(output) as out:
        REPORTERS[output_format](report, out)
    return report.exit_code


@cli.command("stats")
@click.argument("paths", nargs=-1, required=True)
@_model_option(required=True)
@_job_options
@click.option("--format", "output_format", type=click.Choice(["full", "json", "json-lines"]), default="full", show_default=True, help="full: a report with a histogram; json: the summary; json-lines: one object per row.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), help="Write to this file instead of stdout.")
def stats_command(paths: tuple[str, ...], output_format: str, output: str | None, **options: object) -> int:
    """Token lengths for a model: distribution, histogram, training tokens, and the
    max_length that keeps 99% / 100% of rows."""
    import orjson

    from ftlint.reporters.stats_view import render_full, render_json
    from ftlint.stats import collect

    check_options = CheckOptions(**options)  # type: ignore[arg-type]
    sources = expand(list(paths))
    with _open_output(output) as out:
        if output_format == "json-lines":

            def emit(line: int, tokens: int, fmt: str | None, turns: int, path: str = "") -> None:
                out.write(orjson.dumps({"path": path, "line": line, "tokens": tokens, "format": fmt, "turns": turns}).decode() + "\n")

            for source in sources:
                collect(source, check_options, lambda *a, _p=source.name: emit(*a, path=_p))
            return 0
        results = [collect(source, check_options) for source in sources]
        (render_json if output_format == "json" else render_full)(results, out)
    return 0


@cli.command("models")
@click.option("--format", "output_format", type=click.Choice(["table", "json"]), default="table", show_default=True)
def list_models(output_format: str) -> int:
    """The model catalog: maximum tokens, tokenizer, template family, capabilities.
    Values marked * are assumptions (see the README)."""
    models = catalog().values()
    if output_format == "json":
        import orjson

        data = [
            {"name": m.name, "title": m.title, "max_tokens": m.max_tokens, "family": m.family.name, "vocabulary": m.family.vocabulary.name,
             "capabilities": sorted(m.capabilities), "assumed": list(m.assumed)}
            for m in models
        ]
        click.echo(orjson.dumps(data, option=orjson.OPT_INDENT_2).decode())
        return 0
    from rich.table import Table

    table = Table(show_edge=False, box=None, padding=(0, 2))
    for column in ("model", "max tokens", "template", "vocab", "tuning", "notes"):
        table.add_column(column, justify="right" if column == "max tokens" else "left", no_wrap=column != "tuning")
    notes: list[str] = []
    for m in models:
        refs = []
        for text in m.assumed:
            if text not in notes:
                notes.append(text)
            refs.append(str(notes.index(text) + 1))
        table.add_row(m.name, f"{m.max_tokens:,}", m.family.name, m.family.vocabulary.name, ", ".join(c for c in CAPABILITIES if m.can(c)), ",".join(f"*{r}" for r in refs))
    console = _table_console()
    console.print(table)
    console.print()
    for number, text in enumerate(notes, 1):
        console.print(f"*{number} assumed: {text}")
    return 0


@cli.command("rules")
@click.option("--format", "output_format", type=click.Choice(["table", "markdown"]), default="table", show_default=True)
def list_rules(output_format: str) -> int:
    """List every rule: code, slug, severity, platform code and summary."""
    rows = [(r.code, r.slug, r.severity.value, "" if r.platform_code is None else str(r.platform_code), r.summary()) for r in all_rules()]
    if output_format == "markdown":
        click.echo(rules_markdown())
        return 0
    from rich.table import Table

    table = Table(show_edge=False)
    for column in ("code", "slug", "severity", "platform", "what it checks"):
        table.add_column(column, no_wrap=column != "what it checks")
    for row in rows:
        table.add_row(*row)
    _table_console().print(table)
    return 0


def rules_markdown() -> str:
    """The README's rule table."""
    lines = ["| code | slug | severity | platform code | what it checks |", "|---|---|---|---|---|"]
    for r in all_rules():
        code = "" if r.platform_code is None else str(r.platform_code)
        lines.append(f"| {r.code} | `{r.slug}` | {r.severity.value} | {code} | {r.summary()} |")
    return "\n".join(lines)


@cli.command("rule")
@click.argument("code")
def show_rule(code: str) -> int:
    """Explain one rule (by code or slug)."""
    rule = find_rule(code)
    if rule is None:
        raise click.UsageError(f"no rule {code!r} (ftlint rules lists them)")
    platform_code = f", platform error {rule.platform_code}" if rule.platform_code is not None else ""
    click.echo(f"{rule.code} {rule.slug} ({rule.severity.value}{platform_code})\n")
    click.echo(rule.documentation())
    return 0


def _table_console():  # type: ignore[no-untyped-def]
    """A console for wide tables: the terminal's width, or 150 columns when piped."""
    from rich.console import Console

    return Console(highlight=False, width=None if sys.stdout.isatty() else 150)


@contextlib.contextmanager
def _open_output(path: str | None) -> Iterator[TextIO]:
    if path is None:
        yield sys.stdout
        return
    try:
        with open(path, "w", encoding="utf-8") as out:
            yield out
    except OSError as err:
        raise SourceError(f"{path}: cannot write the report: {err.strerror}") from None


def main(argv: list[str] | None = None) -> None:
    """Run the CLI; turn every failure into exit code 2 and one line on stderr."""
    try:
        code = cli.main(args=argv, prog_name="ftlint", standalone_mode=False)
    except click.UsageError as err:
        hint = f" (see '{err.ctx.command_path} --help')" if err.ctx else ""
        _fail(f"{err.format_message()}{hint}")
    except click.ClickException as err:
        _fail(err.format_message())
    except click.Abort:
        _fail("aborted")
    except SourceError as err:
        _fail(str(err))
    except KeyboardInterrupt:
        sys.exit(130)
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(1)
    except Exception as err:  # noqa: BLE001 - the promise is: never a traceback
        if os.environ.get("FTLINT_DEBUG"):
            raise
        _fail(f"internal error: {type(err).__name__}: {err} (set FTLINT_DEBUG=1 for a traceback)")
    sys.exit(code if isinstance(code, int) else 0)


def _fail(message: str) -> None:
    click.echo(f"ftlint: error: {message}", err=True)
    sys.exit(2)
