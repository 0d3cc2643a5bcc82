"""The command line: ftlint check | stats | models | rules | rule. Exit codes: 0 clean
(warnings allowed), 1 errors found, 2 usage or I/O error (one line on stderr, never a
traceback)."""

from __future__ import annotations

import contextlib
import dataclasses
import math
import os
import sys
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

import click

from ftlint import config
from ftlint._version import __version__
from ftlint.engine.rows import FORMATS
from ftlint.engine.scanning import check_job, check_sources, job_sources, with_job
from ftlint.engine.sources import Source, SourceError, UnreadableSource, expand
from ftlint.i18n import LANGUAGES, _, language_from_environment, ngettext, set_language, translate_help
from ftlint.job import Job, JobError
from ftlint.job import from_body as job_from_body
from ftlint.job import load as load_job
from ftlint.options import CheckOptions
from ftlint.platform.catalog import GENERATION, METHODS, MODALITIES, UnknownModel, catalog, find_model, media_catalog
from ftlint.platform.limits import platform, read_number, renamed_profile
from ftlint.platform.prices import Price, parse_price
from ftlint.reporters import FORMATS as OUTPUT_FORMATS
from ftlint.reporters import render
from ftlint.reporters.models_view import METHOD_FILTERS, media_table, models_table
from ftlint.rewriting.atomic import WriteError, atomic_write
from ftlint.rewriting.paths import PathCollision, Role, guard, standard_input, written_path
from ftlint.rewriting.records import LineTooLong
from ftlint.rewriting.transaction import Terminated, WriteFailed
from ftlint.rules.base import all_rules, find_rule
from ftlint.selection import SelectionError, parse_severities

if TYPE_CHECKING:
    from rich.console import Console

Command = Callable[..., Any]

DEFAULTS: dict[str, Any] = {"platform": "current", "via": "api", "max-per-rule": 20, "format": "auto", "strict": False, "exit-zero": False, "cache": True}


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="ftlint")
@click.option("--lang", type=click.Choice(LANGUAGES), expose_value=False, is_eager=True,
              help="The language of every message, hint and heading: en or zh (also [tool.ftlint] lang, then LC_ALL, LC_MESSAGES, LANG). "
                   "Codes and machine-readable keys do not change. May be given after the command too: ftlint check --lang zh.")
def cli() -> None:
    """Check fine-tuning datasets before uploading them to Alibaba Cloud Model Studio
    (Bailian) / DashScope: every problem the platform would reject, with its line and
    the platform's error code."""


def _model(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    try:
        return find_model(value).name
    except UnknownModel as err:
        raise click.BadParameter(str(err)) from None


def _selectors(ctx: click.Context, param: click.Parameter, value: tuple[str, ...]) -> tuple[str, ...] | None:
    items = tuple(s.strip() for v in value for s in v.split(",") if s.strip())
    return items or None


def _number(ctx: click.Context, param: click.Parameter, value: str | None) -> float | str | None:
    # What is not a finite number is kept as given, for rule O101 to report as the
    # platform would (error 1), the same way from the command line and configuration.
    return None if value is None else read_number(value)


def _finite(ctx: click.Context, param: click.Parameter, value: float | None) -> float | None:
    if value is not None and not math.isfinite(value):  # click's FloatRange lets nan through
        raise click.BadParameter(_("{value} is not a number").format(value=value))
    return value


def _profile(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if renamed := renamed_profile(value):
        raise click.BadParameter(renamed)
    return value


def _platform_option() -> Callable[[Command], Command]:
    # "seeds", the old name, is taken only to say what it is called now.
    return click.option("--platform", type=click.Choice([*sorted(platform().profiles), "seeds"]), callback=_profile, metavar="[current|legacy-api]",
                        help="Platform rules: today's docs (current), or the old DashScope fine-tunes API's (legacy-api) [default: current].")


def job_options(f: Command) -> Command:
    """Options that describe the tuning job, shared by check and stats. Defaults are
    applied after the configuration file, so None means "not given"."""
    decorators: list[Callable[[Command], Command]] = [
        click.option("--data-format", type=click.Choice(list(FORMATS)), help="Check every row as this dataset format [default: detect per file and row]."),
        _platform_option(),
        click.option("--via", type=click.Choice(["api", "console"]), help="Upload path: size caps, and what happens to over-length rows [default: api]."),
        click.option("--n-epochs", callback=_number, help="Training epochs the job will use (checked against the profile's range)."),
        click.option("--max-length", callback=_number, help="Sequence length the job will use [default: 8192 today, 2048 with --platform legacy-api]; checked, and the token limit."),
    ]
    for decorator in reversed(decorators):
        f = decorator(f)
    return f


def _model_option(required: bool = False) -> Callable[[Command], Command]:
    return click.option("--model", callback=_model, required=required, help="The model you will tune (see `ftlint models`): enables exact token-length checks.")


def config_options(f: Command) -> Command:
    f = click.option("--isolated", is_flag=True, help="Ignore configuration files.")(f)
    f = click.option("--config", "config_file", type=click.Path(exists=True, dir_okay=False), help="Use this configuration file instead of searching for one.")(f)
    return f


@cli.command()
@click.argument("paths", nargs=-1)
@click.option("--job", "job_file", type=click.Path(dir_okay=False), metavar="JOB.json",
              help="Check a whole tuning job: the fine-tunes API request body (model, training_type, hyper_parameters, training/validation_datasets "
                   "naming local files). Without PATHS or --job, the `[tool.ftlint.job]` of the configuration is checked.")
@click.option("--price", "price_text", metavar="AMOUNT", help='Training price per 1,000 tokens for the job\'s cost preview, e.g. 0.006 (yuan) or "0.0008 USD" '
              "[default: the documented price of the model].")
@_model_option()
@job_options
@click.option("--batch-size", callback=_number, help="Batch size the job will use (checked; the training rows must exceed it).")
@click.option("--learning-rate", callback=_number, help="Learning rate the job will use, e.g. 1.6e-5 (checked).")
@click.option("--training-type", type=click.Choice(list(METHODS)), help="The job's training method (checked against the model and the data).")
@click.option("--dpo-think-format", type=click.Choice(["either", "newlines"]),
              help="Think blocks in DPO answers: either documented form, or only <think>\\n…\\n</think>\\n\\n [default: either].")
@click.option("--validation-split", type=click.FloatRange(0, 1, max_open=True), callback=_finite, help="Share of rows held out for validation [default: the profile's; 0 for a file you split yourself].")
@click.option("--select", multiple=True, callback=_selectors, help="Only these rules: codes, prefixes or slugs, comma-separated (e.g. L,M107,over-length).")
@click.option("--ignore", multiple=True, callback=_selectors, help="Skip these rules (codes, prefixes or slugs).")
@click.option("--extend-select", multiple=True, callback=_selectors, help="Rules to add to the selection.")
@click.option("--severity", "severities", multiple=True, metavar="RULE=LEVEL", help="Override a rule's severity, e.g. T101=error (repeatable).")
@click.option("--strict", is_flag=True, default=None, help="Warnings fail the check too (exit 1).")
@click.option("--exit-zero", is_flag=True, default=None, help="Exit 0 even when there are errors (2 still means a usage or I/O error, or a rule that failed).")
@click.option("--statistics", is_flag=True, help="Print the number of findings per rule instead of the findings.")
@click.option("--max-per-rule", type=click.IntRange(min=0), help="Findings listed per rule and file (0: all) [default: 20]. Counts stay exact.")
@click.option("--format", "output_format", type=click.Choice(OUTPUT_FORMATS), help="Output format [default: auto: github under GitHub Actions, else full].")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write the report to this file instead of stdout.")
@click.option("--jobs", "-j", type=click.IntRange(min=0), default=0, help="Worker processes for large files (8 MB and up); 1: serial [default: 0, every core].")
@click.option("--no-cache", is_flag=True, help="Check every line afresh: neither read nor write the row cache (also [tool.ftlint] cache = false, FTLINT_NO_CACHE=1).")
@config_options
def check(paths: tuple[str, ...], job_file: str | None, price_text: str | None, severities: tuple[str, ...], statistics: bool, output: str | None,
          config_file: str | None, isolated: bool, jobs: int, no_cache: bool, **given: Any) -> int:
    """Check datasets: .jsonl, .jsonl.gz, .zip packages, directories, or - for stdin;
    or a whole tuning job (--job, or the configuration's [tool.ftlint.job])."""
    given = {key.replace("_", "-"): value for key, value in given.items() if value is not None}
    given["format"] = given.pop("output-format", None)
    if severities:
        given["severity"] = {code: level.value for code, level in parse_severities(severities, all_rules()).items()}
    given = {k: v for k, v in given.items() if v is not None}
    lookup = _config_lookup(config_file, isolated)
    run = {**DEFAULTS, **lookup(None).run_settings(), **{k: v for k, v in given.items() if k in config.RUN_KEYS}}
    if no_cache:
        run["cache"] = False
    human = run["format"] in ("full", "concise") or (run["format"] == "auto" and not os.environ.get("GITHUB_ACTIONS"))
    job = _job(paths, job_file, lookup, given)
    if job is None:
        if price_text is not None:
            raise click.UsageError(_("--price is for a job's cost preview: give --job"))
        sources = _some_sources(paths)
        _guard_report(output, sources)
        with _progress(human and output is None) as progress:
            report = check_sources(sources, lambda source: _options_for(source, lookup, given, run), _jobs(jobs), progress)
    else:
        price = _price(price_text)
        job_file_source = [Source(job.origin, "jsonl", job.path)] if job.path is not None else []
        _guard_report(output, [source for _, source in job_sources(job)] + job_file_source)
        base = with_job(job, _options_for(None, lookup, given, run))
        with _progress(human and output is None) as progress:
            report = check_job(job, base, lambda source, dataset: dataclasses.replace(
                with_job(job, _options_for(source, lookup, given, run)), job_role=dataset.role), _jobs(jobs), progress, price)
    with _open_output(output) as out:
        if statistics:
            from ftlint.reporters.statistics import render as render_statistics

            render_statistics(report, out, as_json=run["format"] in ("json", "json-lines"))
        else:
            render(run["format"], report, out, strict=run["strict"])
    if run["exit-zero"]:
        return 2 if report.internal_errors else 0  # a rule that failed left its verdict out
    return report.exit_code(strict=run["strict"])


def _job(paths: tuple[str, ...], job_file: str | None, lookup, given: dict[str, Any]) -> Job | None:  # type: ignore[no-untyped-def]
    """The job to check: --job's file, or, with no paths, the configuration's
    [tool.ftlint.job]; None for a check of paths. The command line's model, method and
    hyperparameters go over the job's."""
    overrides: dict[str, Any] = {key: given[flag] for flag, key in (("model", "model"), ("training-type", "training_type")) if flag in given}
    hyper = {name.replace("-", "_"): given[name] for name in ("n-epochs", "batch-size", "learning-rate", "max-length") if name in given}
    if hyper:
        overrides["hyper_parameters"] = hyper
    try:
        if job_file is not None:
            if paths:
                raise click.UsageError(_("a job names its own files: give --job or PATHS, not both"))
            return load_job(Path(job_file), overrides)
        if paths:
            return None
        found = lookup(None)
        table = found.settings.get("job")
        if table is None:
            raise click.UsageError(_("give the datasets to check (PATHS), or a job: --job job.json, or [tool.ftlint.job] in pyproject.toml or ftlint.toml"))
        job = job_from_body(table, f"{found.path.name} [tool.ftlint.job]" if found.path.name == "pyproject.toml" else f"{found.path.name} [job]",
                            found.path.parent, overrides)
        return dataclasses.replace(job, path=found.path)
    except JobError as err:
        raise SourceError(str(err)) from None


def _price(text: str | None) -> Price | None:
    if text is None:
        return None
    try:
        return parse_price(text)
    except ValueError as err:
        raise click.BadParameter(str(err), param_hint="--price") from None


def _config_lookup(config_file: str | None, isolated: bool):  # type: ignore[no-untyped-def]
    if isolated:
        return lambda source_path: config.Config(None)
    if config_file:
        fixed = config.load(Path(config_file))
        return lambda source_path: fixed
    return config.for_path


def _source_path(source: Source | None) -> Path | None:
    return None if source is None or source.path is None else source.path


def _options_for(source: Source | None, lookup, given: dict[str, Any], run: dict[str, Any]) -> CheckOptions:  # type: ignore[no-untyped-def]
    path = _source_path(source)
    from_config = lookup(path).for_file(path)
    if "select" in given:  # a --select on the command line starts the selection afresh, as in ruff
        for key in ("select", "ignore", "extend-select"):
            from_config.pop(key, None)
    settings = {**DEFAULTS, **from_config, **{k: v for k, v in given.items() if k in config.FILE_KEYS}}
    return to_options(settings, max_per_rule=run["max-per-rule"], use_cache=run["cache"])


def to_options(settings: dict[str, Any], **extra: Any) -> CheckOptions:
    """Kebab-case settings (config file + command line) -> CheckOptions."""
    fields = {
        "model": "model", "data-format": "data_format", "platform": "profile", "via": "via", "n-epochs": "n_epochs",
        "batch-size": "batch_size", "learning-rate": "learning_rate", "max-length": "max_length", "validation-split": "validation_split",
        "select": "select", "ignore": "ignore", "extend-select": "extend_select", "dpo-think-format": "dpo_think_format", "training-type": "training_type",
    }
    values = {field: settings[key] for key, field in fields.items() if key in settings}
    if "severity" in settings:
        values["severity"] = parse_severities([f"{code}={level}" for code, level in settings["severity"].items()], all_rules())
    return CheckOptions(**values, **extra)


def _given_options(given: dict[str, Any]) -> CheckOptions:
    """Options from the flags given on the command line (defaults for the rest)."""
    return to_options({**DEFAULTS, **{key.replace("_", "-"): v for key, v in given.items() if v is not None}})


@cli.command("stats")
@click.argument("paths", nargs=-1, required=True)
@_model_option(required=True)
@job_options
@click.option("--format", "output_format", type=click.Choice(["full", "json", "json-lines"]), default="full", show_default=True, help="full: a report with a histogram; json: the summary; json-lines: one object per row.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write to this file instead of stdout.")
@click.option("--jobs", "-j", type=click.IntRange(min=0), default=0, help="Worker processes for large files; 1: serial [default: 0, every core].")
def stats_command(paths: tuple[str, ...], output_format: str, output: str | None, jobs: int, **given: Any) -> int:
    """Token lengths for a model: distribution, histogram, training tokens, and the
    max_length that keeps 99% / 100% of rows."""
    from ftlint.reporters.escaping import dumps, json_file_name, write
    from ftlint.reporters.stats_view import render_full, render_json
    from ftlint.stats import collect

    options = _given_options(given)
    if options.media_model is not None:
        return _media_stats(paths, options, output_format, output)
    for name in ("n_epochs", "max_length"):  # stats has no O101 to report them: refuse what it cannot use
        value = getattr(options, name)
        problem = options.platform_profile.hyperparameters[name].problem(value) if value is not None else None
        if problem and ("number" in problem or "whole" in problem):
            raise click.BadParameter(f"{value!r} {problem}", param_hint=f"--{name.replace('_', '-')}")
    sources = _some_sources(paths)
    _guard_report(output, sources)
    with _open_output(output) as out:
        if output_format == "json-lines":
            for source in sources:

                def emit(line: int, tokens: int, fmt: str | None, turns: int, path: str = json_file_name(source.name)) -> None:
                    write(out, dumps({"path": path, "line": line, "tokens": tokens, "format": fmt, "turns": turns}) + "\n", "json")

                collect(source, options, emit, jobs=_jobs(jobs))
            return 0
        with _progress(output_format == "full" and output is None) as progress:
            results = [collect(source, options, jobs=_jobs(jobs), progress=progress(source) if progress else None) for source in sources]
        (render_json if output_format == "json" else render_full)(results, out)
    return 0


def _media_stats(paths: tuple[str, ...], options: CheckOptions, output_format: str, output: str | None) -> int:
    """`stats` of Wan and CosyVoice packages: images, video seconds, audio hours."""
    from ftlint.media_stats import collect_media
    from ftlint.reporters.stats_view import render_media_full, render_media_json

    sources = _some_sources(paths)
    not_packages = [s.name for s in sources if s.kind not in ("zip", "folder")]
    if not_packages:
        raise click.UsageError(_("{not_packages}: {model} is tuned from a package (.zip or its folder), not a .jsonl").format(not_packages=not_packages[0], model=options.model))
    _guard_report(output, sources)
    try:
        results = [collect_media(source, options) for source in sources]
    except (UnreadableSource, OSError, zipfile.BadZipFile) as err:
        raise SourceError(_("cannot read the package: {err}").format(err=err)) from None
    with _open_output(output) as out:
        (render_media_full if output_format == "full" else render_media_json)(results, out)
    return 0


def _is_json_array(source: Source) -> bool:
    from ftlint.engine.json_array import sniff
    from ftlint.engine.scanning import READ_ERRORS

    try:
        with source.open() as stream:
            return sniff(stream)[0]
    except READ_ERRORS:
        return False  # the rewrite reports why it cannot read it


def _single_input(path: str) -> Source:
    if path != "-" and Path(path).is_dir():
        raise click.UsageError(_("{path} is a folder: give one .jsonl or .jsonl.gz file (or - for standard input)").format(path=path))
    sources = expand([path]) if path != "-" else [Source("-", "stdin")]
    if len(sources) != 1 or sources[0].kind not in ("jsonl", "gzip", "stdin"):
        raise click.UsageError(_("{path}: give one .jsonl or .jsonl.gz file (or - for standard input)").format(path=path))
    return sources[0]


@cli.command("fix")
@click.argument("input_path", metavar="IN")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="The repaired file (never the input, unless --in-place); a name ending in .gz is written compressed.")
@click.option("--in-place", is_flag=True, help="Replace the input (kept compressed if it was), keeping its original bytes as IN.bak (IN.bak.2, ... when that exists).")
@click.option("--rejects", type=click.Path(dir_okay=False), help="Where rows that cannot be repaired go [default: OUT.rejects.jsonl].")
@click.option("--dedupe", is_flag=True, help="Also drop exact duplicate rows (to the rejects file).")
@click.option("--drop-overlength", is_flag=True, help="Also drop rows longer than the limit for --model (to the rejects file).")
@click.option("--to-messages", is_flag=True, help="Convert every prompt/completion and legacy Human/Assistant row to messages (by default only in a messages file).")
@click.option("--dry-run", is_flag=True, help="Report what would change; write nothing.")
@_model_option()
@job_options
def fix_command(input_path: str, output: str | None, in_place: bool, rejects: str | None, dedupe: bool, drop_overlength: bool, to_messages: bool, dry_run: bool, **given: Any) -> int:
    """Repair a dataset without changing what any row means; every input row is
    accounted for (rows out + rows rejected = rows in)."""
    from ftlint.rewriting.fix import FixOptions, fix_stream
    from ftlint.rewriting.runner import describe, plan_paths, run

    source = _single_input(input_path)
    if in_place and output:
        raise click.UsageError(_("give -o OUT or --in-place, not both"))
    if not in_place and not output and not dry_run:
        raise click.UsageError(_("give -o OUT, or --in-place"))
    if in_place and source.kind == "stdin":
        raise click.UsageError(_("--in-place needs a file, not -"))
    if in_place and _is_json_array(source):
        raise click.UsageError(_("{name} is one JSON array: fix writes it as JSON Lines, which its name would not say; give -o OUT.jsonl").format(name=source.name))
    if drop_overlength and not given.get("model"):
        raise click.UsageError(_("--drop-overlength needs --model"))
    options = _given_options(given)
    fix_options = FixOptions(dedupe=dedupe, drop_overlength=drop_overlength, to_messages=to_messages, check=options)
    scratch = None
    if dry_run and not output and not in_place:
        # A dry run still writes its output somewhere to check it: a private folder.
        scratch = tempfile.TemporaryDirectory(prefix="ftlint-dry-run-")
        output = str(Path(scratch.name, source.path.name if source.path else "stdin.jsonl"))
    target = source.path if in_place else Path(output or "")
    out_path, rejects_path = plan_paths(source, target, Path(rejects) if rejects else None, in_place=in_place)
    with scratch or contextlib.nullcontext():
        outcome = run(
            source,
            out_path,
            rejects_path,
            lambda stream, write_row, write_reject: fix_stream(stream, fix_options, write_row, write_reject),
            options,
            dry_run=dry_run,
            in_place=in_place,
            check_before=source.kind != "stdin",
        )
    click.echo("\n".join(describe(outcome, source.name, _("would fix") if dry_run else _("fixed"))))
    return 1 if outcome.after.errors or outcome.ledger.internal_errors else 0


@cli.command("convert")
@click.argument("input_path", metavar="IN")
@click.option("-o", "--output", type=click.Path(), required=True,
              help="The converted file (a name ending in .gz is written compressed); for rows with images, a new folder (-o package/): the image package, data.jsonl and the images.")
@click.option("--from", "source_format", type=click.Choice(["openai", "sharegpt", "alpaca"]), help="The format the rows are in (not with --dataset, which says it).")
@click.option("--dataset", "dataset_name", metavar="NAME",
              help="IN is a LLaMA-Factory dataset_info.json (or its folder): convert its dataset NAME as it declares (formatting, ranking, columns, tags).")
@click.option("--rejects", type=click.Path(dir_okay=False), help="Where rows that cannot be mapped go [default: OUT.rejects.jsonl].")
@click.option("--strict", is_flag=True, help="Reject a row rather than drop any of its fields that the platform's format has no place for.")
@_model_option()
@job_options
def convert_command(input_path: str, output: str, source_format: str | None, dataset_name: str | None, rejects: str | None, strict: bool, **given: Any) -> int:
    """Convert OpenAI, ShareGPT or Alpaca rows (chat, tool calls, images or preference),
    or a LLaMA-Factory dataset as its dataset_info.json declares it, into the
    platform's format; unmappable rows go to the rejects file, and every dropped field
    is counted."""
    from ftlint.rewriting.convert import Media, convert_stream
    from ftlint.rewriting.llamafactory import DatasetInfoError
    from ftlint.rewriting.llamafactory import load as load_dataset
    from ftlint.rewriting.runner import describe, plan_paths, run

    adapt = None
    declares_images = False
    if dataset_name is not None:
        if source_format is not None:
            raise click.UsageError(_("--dataset reads the format from dataset_info.json: leave out --from"))
        info = Path(input_path)
        if info.is_dir():
            info = info / "dataset_info.json"
        try:
            dataset = load_dataset(info, dataset_name)
        except DatasetInfoError as err:
            raise SourceError(str(err)) from None
        source_format, adapt = dataset.formatting, dataset.adapter()
        declares_images = bool(dataset.columns.get("images"))
        input_path = str(dataset.file)
    elif source_format is None:
        raise click.UsageError(_("give --from openai|sharegpt|alpaca, or --dataset NAME with a dataset_info.json"))
    source = _single_input(input_path)
    options = _given_options(given)
    target = Path(output)
    as_package = output.endswith(("/", os.sep)) or target.is_dir() or (declares_images and not target.suffix)
    package = None
    if as_package:
        if target.exists() and (not target.is_dir() or any(target.iterdir())):
            raise click.UsageError(_("{path}: the package folder must be new or empty: ftlint writes the whole package").format(path=target))
        package = target
        target = target / "data.jsonl"
    created = False
    if package is not None and not package.exists():
        try:
            package.mkdir()
        except OSError as err:
            raise SourceError(_("{path}: cannot make the package folder: {err}").format(path=package, err=err.strerror or err)) from None
        created = True
    base = source.path.parent if source.path is not None else Path.cwd()

    written: list[Path] = []

    def transform(stream: Any, write_row: Any, write_reject: Any, copy: Any = None, uncopy: Any = None) -> Any:
        media = Media(base, copy, uncopy, written=tuple(written)) if copy is not None else None
        return convert_stream(stream, source_format, options, write_row, write_reject, strict=strict, adapt=adapt, media=media)

    try:
        default_rejects = package.parent / f"{package.name}.rejects.jsonl" if package is not None else None
        if package is not None and rejects and os.path.realpath(rejects).startswith(os.path.realpath(package) + os.sep):
            raise click.UsageError(_("{path}: the rejects file cannot go inside the package (the package holds only what is uploaded)").format(path=rejects))
        also_read = (Role("dataset_info.json", info, writes=False),) if dataset_name is not None else ()
        out_path, rejects_path = plan_paths(source, target, Path(rejects) if rejects else default_rejects, in_place=False, inputs=also_read)
        written += [out_path, rejects_path]
        outcome = run(source, out_path, rejects_path, transform, options, check_before=False, package=package)
    except BaseException:
        if created:
            with contextlib.suppress(OSError):
                package.rmdir()  # type: ignore[union-attr]  # only when nothing was left in it
        raise
    click.echo("\n".join(describe(outcome, source.name, _("converted"))))
    return 1 if outcome.after.errors or outcome.ledger.internal_errors else 0


@cli.command("split")
@click.argument("input_path", metavar="IN")
@click.option("--train", "train_path", type=click.Path(dir_okay=False), required=True, help="The training file to write.")
@click.option("--validation", "validation_path", type=click.Path(dir_okay=False), required=True, help="The validation file to write.")
@click.option("--ratio", type=click.FloatRange(0, 1, min_open=True, max_open=True), default=0.8, show_default=True, help="The training share (the fine-tunes API's split; 0.8 is the documented default).")
@click.option("--seed", type=int, default=0, show_default=True, help="The random seed: the same seed gives the same split.")
@click.option("--batch-size", type=int, help="The job's batch size: the training part must exceed it [default: the profile's].")
@_platform_option()
@click.option("--force", is_flag=True, help="Write the split even when a part would break a platform rule.")
def split_command(input_path: str, train_path: str, validation_path: str, ratio: float, seed: int, batch_size: int | None, platform: str | None, force: bool) -> int:
    """Split a dataset into training and validation files: seeded, random, balanced
    across formats and lengths; every row goes to exactly one part, and identical rows
    stay together."""
    from ftlint.platform.limits import platform as platform_facts
    from ftlint.rewriting import split
    from ftlint.rewriting.paths import Role, guard, written_path
    from ftlint.rewriting.runner import reading
    from ftlint.rewriting.transaction import transaction

    source = _single_input(input_path)
    if _is_json_array(source):
        raise click.UsageError(_("{name} is one JSON array: split keeps rows' bytes, so write it as JSON Lines first (ftlint fix {name} -o OUT.jsonl, or ftlint convert)").format(name=source.name))
    if source.kind == "stdin":
        raise click.UsageError(_("split reads its input twice: give a file, not -"))
    assert source.path is not None
    train_file, validation_file = written_path(Path(train_path)), written_path(Path(validation_path))
    guard([Role("input", source.path, writes=False), Role("training file", train_file, writes=True), Role("validation file", validation_file, writes=True)])
    with reading(source) as stream:
        plan = split.plan(stream, ratio, seed)
    options = to_options({**DEFAULTS, **({"platform": platform} if platform else {}), **({"batch-size": batch_size} if batch_size else {})})
    refused, warnings = split.problems(plan, options.hyperparameter("batch_size"), platform_facts().min_rows)
    for text in warnings:
        click.echo(f"warning: {text}", err=True)
    if refused and not force:
        for text in refused:
            click.echo(f"refused: {text}", err=True)
        click.echo(_("nothing written (--force writes it anyway)"), err=True)
        return 1
    with transaction() as tx:
        train = tx.open(train_file)
        validation = tx.open(validation_file)
        with reading(source) as stream:
            written = split.write(stream, plan, train.write, validation.write)
    click.echo("\n".join(split.describe(plan, source.name, ratio, seed, written, train_path, validation_path)))
    return 1 if refused else 0


@cli.command("models")
@click.option("--method", type=click.Choice(list(METHOD_FILTERS)), help="Only models tuned with this training method (dpo: dpo_full or dpo_lora).")
@click.option("--modality", type=click.Choice([*MODALITIES, *dict.fromkeys(GENERATION.values())]),
              help="Only text models, vision-language (vl) ones, or the generation models: image-gen (Wan image), video-gen (Wan video), speech (CosyVoice).")
@click.option("--format", "output_format", type=click.Choice(["table", "json"]), default="table", show_default=True)
def list_models(method: str | None, modality: str | None, output_format: str) -> int:
    """The model catalog: maximum tokens, training methods and modality (--format
    json adds the template, regions and where each fact comes from). Numbers in the
    notes column point to the notes under the table: assumptions (no platform
    document states them) and remarks."""
    models = [m for m in catalog().values() if (method is None or set(m.methods) & METHOD_FILTERS[method]) and (modality is None or m.modality == modality)]
    media = [m for m in media_catalog().values() if (method is None or set(m.methods) & METHOD_FILTERS[method])
             and (modality is None or modality in {GENERATION[k] for k in m.kinds})]
    if output_format == "json":
        from ftlint.platform.catalog import media_sources, regions, sources
        from ftlint.reporters.escaping import dumps

        data = [
            {"name": m.name, "title": m.title, "max_tokens": m.max_tokens, "methods": list(m.methods), "modality": m.modality, "features": sorted(m.features),
             "capabilities": sorted(m.capabilities), "family": m.family.name, "vocabulary": m.family.vocabulary.name,
             "regions": {method: regions()[method] for method in m.methods}, "sources": [sources()[tag] for tag in m.sources],
             "note": m.note, "assumed": list(m.assumed)}
            for m in models
        ] + [
            {"name": m.name, "title": m.title, "methods": list(m.methods), "modality": sorted({GENERATION[k] for k in m.kinds}), "packages": list(m.kinds),
             "clip_seconds": m.clip_seconds, "price_per_1k_tokens": m.price, "hyperparameters": sorted(m.hyperparameters),
             "sources": [media_sources()[tag] for tag in m.sources], "note": m.note, "assumed": list(m.assumed)}
            for m in media
        ]
        click.echo(dumps(data, indent=True))
        return 0
    if not models and not media:
        click.echo(_("no model in the catalog matches"))
        return 0
    tables = ([models_table(models)] if models else []) + ([media_table(media)] if media else [])
    click.echo("\n\n".join(tables))
    return 0


@cli.command("rules")
@click.option("--format", "output_format", type=click.Choice(["table", "markdown", "json"]), default="table", show_default=True)
def list_rules(output_format: str) -> int:
    """List every rule: code, slug, severity, platform code and summary."""
    rules = all_rules()
    if output_format == "markdown":
        click.echo(rules_markdown())
        return 0
    if output_format == "json":
        import orjson

        data = [{"code": r.code, "slug": r.slug, "severity": r.severity.value, "platform_code": r.platform_code, "summary": r.summary()} for r in rules]
        click.echo(orjson.dumps(data, option=orjson.OPT_INDENT_2).decode())
        return 0
    from rich.table import Table

    table = Table(show_edge=False)
    for column in (_("code"), _("slug"), _("severity"), _("platform")):
        table.add_column(column, no_wrap=True)
    table.add_column(_("what it checks"))
    for r in rules:
        table.add_row(r.code, r.slug, r.severity.value, "" if r.platform_code is None else str(r.platform_code), r.summary())
    _table_console().print(table)
    return 0


def rules_markdown() -> str:
    """The README's rule table."""
    lines = [_("| code | slug | severity | platform code | what it checks |"), "|---|---|---|---|---|"]
    for r in all_rules():
        if r.__module__.startswith("ftlint.rules."):
            code = "" if r.platform_code is None else str(r.platform_code)
            lines.append(f"| {r.code} | `{r.slug}` | {r.severity.value} | {code} | {r.summary()} |")
    return "\n".join(lines)


@cli.command("cache")
@click.option("--clear", is_flag=True, help="Delete the cache file (checks then start afresh).")
def cache_command(clear: bool) -> int:
    """Where the row cache is, how large, and how many lines it holds (FTLINT_CACHE_DIR
    moves it; --no-cache or [tool.ftlint] cache = false skips it)."""
    from ftlint.engine.row_cache import FILE_NAME, MAX_BYTES, folder

    path = folder() / FILE_NAME
    files = [path.with_name(path.name + suffix) for suffix in ("", "-wal", "-shm")]
    if clear:
        removed = 0
        for file in files:
            with contextlib.suppress(FileNotFoundError):
                file.unlink()
                removed += 1
        click.echo(_("{path}: cleared").format(path=path) if removed else _("{path}: no cache to clear").format(path=path))
        return 0
    size = sum(file.stat().st_size for file in files if file.exists())
    entries = 0
    if path.exists():
        import sqlite3

        try:
            with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as db:
                entries = db.execute("SELECT count(*) FROM rows").fetchone()[0]
        except sqlite3.Error as err:
            raise SourceError(_("{path}: not a readable cache ({err}); ftlint cache --clear deletes it").format(path=path, err=err)) from None
    click.echo(_("{path}: {entries} lines in {size:.1f} MB (at most {limit} MB)").format(path=path, entries=f"{entries:,}", size=size / 1e6, limit=MAX_BYTES >> 20))
    return 0


@cli.command("rule")
@click.argument("code")
def show_rule(code: str) -> int:
    """Explain one rule (by code or slug), with a failing and a fixed example."""
    rule = find_rule(code)
    if rule is None:
        raise click.UsageError(_("no rule {code!r} (ftlint rules lists them)").format(code=code))
    platform_code = _(", platform error {platform_code}").format(platform_code=rule.platform_code) if rule.platform_code is not None else ""
    click.echo(f"{rule.code} {rule.slug} ({rule.severity.value}{platform_code})\n")
    click.echo(rule.documentation())
    shown = [e for e in rule.examples if not e.passes][:1] + [e for e in rule.examples if e.passes][:1]
    for example in shown:
        # The rule's own test cases: what it reports, and what it lets pass.
        text = example.content().decode("utf-8", "replace").rstrip("\n")
        if len(text) > 600 or "\x00" in text:
            text = text[:600] + " …" if "\x00" not in text else _("({len:,} bytes of test data)").format(len=len(example.content()))
        where = ", ".join(_("line {line}").format(line=at.line) if at.line is not None else _("the file") for at in example.expected)
        options = " ".join(f"--{k.replace('_', '-')} {v}" for k, v in example.options.items())
        given = _(" with {options}").format(options=options) if options else ""
        heading = _("Example that passes{given}:").format(given=given) if example.passes else _("Example reported at {where}{given}:").format(where=where, given=given)
        click.echo(f"\n{heading}\n" + "\n".join("  " + line for line in text.splitlines()))
    return 0


def _jobs(jobs: int) -> int:
    return jobs or os.cpu_count() or 1


@contextlib.contextmanager
def _progress(wanted: bool):  # type: ignore[no-untyped-def]
    """A progress bar on the terminal (stderr) for files that take more than a moment;
    nothing when stderr is not a terminal or the output is for machines."""
    if not wanted or not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn, TransferSpeedColumn

    console = Console(file=sys.stderr)
    bar = Progress(TextColumn("{task.description}"), BarColumn(), DownloadColumn(), TransferSpeedColumn(), TimeRemainingColumn(), transient=True, console=console)

    def for_source(source: Source):  # type: ignore[no-untyped-def]
        size = source.path.stat().st_size if source.path is not None and source.kind == "jsonl" else None
        if not size or size < (16 << 20):
            return None
        task = bar.add_task(source.name, total=size)
        return lambda done: bar.update(task, completed=done)

    with bar:
        yield for_source


def _table_console() -> Console:
    """A console for wide tables: the terminal's width, or 150 columns when piped."""
    from rich.console import Console

    return Console(highlight=False, width=None if sys.stdout.isatty() else 150)


def _some_sources(paths: tuple[str, ...]) -> list[Source]:
    """The sources the paths name; a run that would check nothing is an error, never a
    pass (an empty folder, a mistyped glob in CI)."""
    sources = expand(list(paths))
    if not sources:
        json_files = _json_files(paths)
        also = ngettext("; it holds {n} .json file ({name}): the platform takes JSON Lines; ftlint check FILE.json says what it is, ftlint convert writes it as JSON Lines",
                        "; it holds {n} .json files (e.g. {name}): the platform takes JSON Lines; ftlint check FILE.json says what each is, ftlint convert writes it as JSON Lines",
                        len(json_files)).format(n=len(json_files), name=json_files[0]) if json_files else ""
        raise SourceError(_("{join}: no dataset to check (.jsonl, .jsonl.gz, .zip, or a package folder){also}").format(join=', '.join(paths), also=also))
    return sources


def _json_files(paths: tuple[str, ...], limit: int = 10_000) -> list[str]:
    """The .json files under the folders named (a bounded look, for a message)."""
    found: list[str] = []
    seen = 0
    for root in paths:
        for folder, _dirs, files in os.walk(root):
            for name in sorted(files):
                seen += 1
                if name.lower().endswith(".json") and name != "dataset_info.json":
                    found.append(os.path.join(folder, name))
            if seen > limit:
                return found
    return found


def _guard_report(output: str | None, sources: list[Source]) -> None:
    """A report written with -o must never replace a file being checked."""
    if output is None:
        return
    roles = [Role("input", source.path / "data.jsonl" if source.kind == "folder" else source.path, writes=False)
             for source in sources if source.path is not None]
    stdin = standard_input() if any(source.kind == "stdin" for source in sources) else None
    report = written_path(Path(output))
    for source in sources:  # a new file in a package folder would become part of the package
        if source.kind == "folder" and source.path is not None and report.resolve().is_relative_to(source.path.resolve()):
            raise click.UsageError(_("-o {output}: the report would be written into the package folder {path}; write it elsewhere").format(output=output, path=source.path))
    guard([*roles, *([stdin] if stdin else []), Role("report", report, writes=True)])


@contextlib.contextmanager
def _open_output(path: str | None) -> Iterator[TextIO]:
    """stdout, or a file written atomically (a temporary file renamed into place)."""
    if path is None:
        yield sys.stdout
        return
    with atomic_write(written_path(Path(path))) as out:
        yield out  # type: ignore[misc]


def main(argv: list[str] | None = None) -> None:
    """Run the CLI; turn every failure into exit code 2 and one line on stderr."""
    if argv is not None:
        sys.argv = ["ftlint", *argv]
    try:
        argv = _speak(list(sys.argv[1:] if argv is None else argv))
        code = cli.main(args=argv, prog_name="ftlint", standalone_mode=False)
    except click.UsageError as err:
        hint = _(" (see '{command_path} --help')").format(command_path=err.ctx.command_path) if err.ctx else ""
        _fail(f"{err.format_message()}{hint}")
    except click.ClickException as err:
        _fail(err.format_message())
    except click.Abort:
        _fail("aborted")
    except (SourceError, config.ConfigError, SelectionError, UnknownModel, WriteError, WriteFailed, PathCollision, LineTooLong) as err:
        _fail(str(err))
    except KeyboardInterrupt:
        click.echo(_("ftlint: interrupted; nothing was written"), err=True)
        sys.exit(130)
    except Terminated:
        click.echo(_("ftlint: terminated; nothing was written"), err=True)
        sys.exit(143)
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(1)
    except Exception as err:  # the promise is: never a traceback
        if os.environ.get("FTLINT_DEBUG"):
            raise
        _fail(_("internal error: {name__}: {err} (set FTLINT_DEBUG=1 for a traceback)").format(name__=type(err).__name__, err=err))
    sys.exit(code if isinstance(code, int) else 0)


def _speak(argv: list[str]) -> list[str]:
    """Set the run's language before anything is said, and take `--lang` out of the
    arguments wherever it stands (before `--`), so every command accepts it."""
    lang = None
    rest: list[str] = []
    args = iter(argv)
    for arg in args:
        if arg == "--":
            rest += [arg, *args]
            break
        if arg == "--lang":
            lang = next(args, "")
        elif arg.startswith("--lang="):
            lang = arg.partition("=")[2]
        else:
            rest.append(arg)
    if lang is not None and lang not in LANGUAGES:
        raise click.UsageError(f"--lang {lang!r}: use one of {', '.join(LANGUAGES)}")
    if lang is None:
        try:
            lang = config.find(Path.cwd()).run_settings().get("lang")
        except config.ConfigError:
            lang = None  # the command reports the broken configuration itself
    set_language(lang or language_from_environment())
    translate_help(cli)
    return rest


def _fail(message: str) -> None:
    from ftlint.reporters.escaping import file_name

    click.echo(_("ftlint: error: {file_name}").format(file_name=file_name(message)), err=True)  # a message may quote a name that is not UTF-8
    if _json_requested(sys.argv[1:]):  # machine readers get valid JSON on stdout, always
        from ftlint.reporters.json import render_error

        render_error(message, sys.stdout)
    sys.exit(2)


def _json_requested(argv: list[str]) -> bool:
    for index, arg in enumerate(argv):
        if arg in ("--format", "-f") and index + 1 < len(argv) and argv[index + 1] in ("json", "sarif"):
            return argv[index + 1] == "json"
        if arg == "--format=json":
            return True
    return False

