"""Configuration files: `[tool.ftlint]` in pyproject.toml, or ftlint.toml (top-level
keys), found by searching upward from each checked file. Keys are kebab-case, as on
the command line; command-line options override the file.

    [tool.ftlint]
    model = "qwen3-8b"
    max-length = 4096
    platform = "current"
    ignore = ["R103"]
    severity = { T101 = "error" }

    [tool.ftlint.per-file."data/dpo/*.jsonl"]
    data-format = "dpo"
    model = "qwen2.5-7b-instruct"

    [tool.ftlint.job]                  # `ftlint check` without paths checks this job
    model = "qwen3-8b"
    training_type = "sft"
    hyper_parameters = { n_epochs = 3, batch_size = 16, max_length = 8192 }
    training_datasets = ["data/train.jsonl"]
    validation_datasets = ["data/val.jsonl"]

Every key and value is validated; a mistake is a usage error (exit 2), never ignored.
"""

from __future__ import annotations

import difflib
import fnmatch
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

from ftlint.engine.rows import FORMATS
from ftlint.finding import Severity
from ftlint.i18n import _
from ftlint.platform.catalog import METHODS, UnknownModel, find_model
from ftlint.platform.limits import platform, read_number, renamed_profile


class ConfigError(ValueError):
    """A configuration file that cannot be used (exit 2)."""


def _choice(*values: str) -> Callable[[Any], Any]:
    def check(value: Any) -> Any:
        if value not in values:
            raise ValueError(_("must be one of {join}").format(join=', '.join(values)))
        return value

    return check


def _platform(value: Any) -> Any:
    if renamed := renamed_profile(value):
        raise ValueError(renamed)
    return _choice(*sorted(platform().profiles))(value)


def _int(minimum: int | None = None) -> Callable[[Any], Any]:
    def check(value: Any) -> Any:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(_("must be a whole number"))
        if minimum is not None and value < minimum:
            raise ValueError(_("must be at least {minimum}").format(minimum=minimum))
        return value

    return check


def _number(value: Any) -> Any:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(_("must be a number"))
    return float(value)


def _hyperparameter(value: Any) -> Any:
    # A number, or a string holding one ("1.6e-5", as the API takes learning_rate);
    # anything else is kept for rule O101 to report, as it is from the command line.
    if not isinstance(value, (str, int, float)):
        raise ValueError(_("must be a number"))
    return read_number(value)


def _split(value: Any) -> Any:
    value = _number(value)
    if not 0 <= value < 1:
        raise ValueError(_("must be at least 0 and below 1"))
    return value


def _bool(value: Any) -> Any:
    if not isinstance(value, bool):
        raise ValueError(_("must be true or false"))
    return value


def _table(value: Any) -> Any:
    if not isinstance(value, dict):
        raise ValueError(_("must be a table: the fine-tunes API request body (model, training_type, hyper_parameters, training_datasets, ...)"))
    return value


def _selectors(value: Any) -> Any:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError(_("must be a list of rule codes, prefixes or slugs"))
    return tuple(value)


def _severities(value: Any) -> Any:
    if not isinstance(value, dict):
        raise ValueError(_("must be a table such as { T101 = \"error\" }"))
    out = {}
    for rule, level in value.items():
        try:
            out[str(rule)] = Severity(str(level).lower()).value
        except ValueError:
            raise ValueError(_("{rule} = {level!r}: must be error, warning or info").format(rule=rule, level=level)) from None
    return out


def _model(value: Any) -> Any:
    if not isinstance(value, str):
        raise ValueError(_("must be a model name"))
    try:
        return find_model(value).name
    except UnknownModel as err:
        raise ValueError(str(err)) from None


# Settings that can differ per file (also under per-file globs), by option name.
FILE_KEYS: dict[str, Callable[[Any], Any]] = {
    "model": _model,
    "data-format": _choice(*FORMATS),
    "platform": _platform,
    "via": _choice("api", "console"),
    "n-epochs": _hyperparameter,
    "batch-size": _hyperparameter,
    "learning-rate": _hyperparameter,
    "max-length": _hyperparameter,
    "validation-split": _split,
    "training-type": _choice(*METHODS),
    "select": _selectors,
    "ignore": _selectors,
    "extend-select": _selectors,
    "severity": _severities,
    "dpo-think-format": _choice("either", "newlines"),
}
# Settings for the whole run: read from the configuration of the current directory.
RUN_KEYS: dict[str, Callable[[Any], Any]] = {
    "format": _choice("auto", "full", "concise", "json", "json-lines", "github", "sarif", "junit"),
    "max-per-rule": _int(0),
    "strict": _bool,
    "exit-zero": _bool,
    "lang": _choice("en", "zh"),
    "cache": _bool,  # false: never read or write the row cache (ftlint.engine.row_cache)
    "job": _table,  # the fine-tunes API request body of the job `ftlint check` checks without paths
}
ALL_KEYS = {**FILE_KEYS, **RUN_KEYS, "per-file": None}


@dataclass(frozen=True)
class Config:
    path: Path | None  # the file it came from; None = no configuration found
    settings: dict[str, Any] = field(default_factory=dict)
    per_file: tuple[tuple[str, dict[str, Any]], ...] = ()

    def for_file(self, file: Path | None) -> dict[str, Any]:
        """The settings for one file: the base settings, then every matching per-file
        glob in the order written (globs are relative to the configuration's folder)."""
        merged = {k: v for k, v in self.settings.items() if k in FILE_KEYS}
        if file is not None and self.path is not None:
            try:
                relative = file.resolve().relative_to(self.path.parent.resolve()).as_posix()
            except ValueError:
                relative = file.as_posix()
            for pattern, values in self.per_file:
                if fnmatch.fnmatch(relative, pattern) or fnmatch.fnmatch(file.name, pattern):
                    merged.update(values)
        return merged

    def run_settings(self) -> dict[str, Any]:
        return {k: v for k, v in self.settings.items() if k in RUN_KEYS}


def _validate(raw: Any, where: str, allowed: dict[str, Any]) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise ConfigError(_("{where}: must be a table").format(where=where))
    out = {}
    for key, value in raw.items():
        name = str(key).replace("_", "-")
        if name not in allowed:
            close = difflib.get_close_matches(name, list(allowed), n=1)
            hint = _(" (did you mean {close!r}?)").format(close=close[0]) if close else ""
            raise ConfigError(_("{where}: unknown key {key!r}{hint}").format(where=where, key=key, hint=hint))
        if name == "per-file":
            continue
        try:
            out[name] = allowed[name](value)
        except ValueError as err:
            raise ConfigError(f"{where}: {key} {err}") from None
    return out


def load(path: Path) -> Config:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as err:
        raise ConfigError(_("{path}: cannot read the configuration: {err}").format(path=path, err=err)) from None
    where = str(path)
    if path.name == "pyproject.toml":
        data = data.get("tool", {}).get("ftlint", {})
        where = _("{path}: [tool.ftlint]").format(path=path)
    settings = _validate(data, where, ALL_KEYS)
    per_file_raw = data.get("per-file", data.get("per_file", {}))
    if not isinstance(per_file_raw, dict):
        raise ConfigError(_("{where}: per-file must be a table of glob = {{ settings }}").format(where=where))
    per_file = tuple((str(glob), _validate(values, _("{where}: per-file {glob!r}").format(where=where, glob=glob), FILE_KEYS)) for glob, values in per_file_raw.items())
    return Config(path, settings, per_file)


def _declares(path: Path) -> bool:
    if path.name == "ftlint.toml":
        return path.is_file()
    if not path.is_file():
        return False
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    try:
        return "ftlint" in tomllib.loads(text).get("tool", {})
    except tomllib.TOMLDecodeError:
        return "[tool.ftlint" in text  # ours, but broken: load() reports it


def find(folder: Path) -> Config:
    """The nearest configuration at or above a folder (ftlint.toml before pyproject.toml)."""
    # Resolved before the cache: a relative folder ("" for "data.jsonl") means another
    # folder once the working directory changes (the library API in a long-lived process).
    return _find(folder.resolve())


@cache
def _find(folder: Path) -> Config:
    for candidate in (folder, *folder.parents):
        for name in ("ftlint.toml", "pyproject.toml"):
            path = candidate / name
            if _declares(path):
                return load(path)
    return Config(None)


def for_path(path: Path | None) -> Config:
    if path is None:
        return find(Path.cwd())
    return find(path.parent if not path.is_dir() else path)
