"""Platform facts (limits, hyperparameter ranges, size caps) loaded from data/platform.toml."""

from __future__ import annotations

import math
import re
import sys
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from ftlint.i18n import _, ngettext

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


@dataclass(frozen=True)
class Range:
    """What one hyperparameter accepts on one profile: its type and range, whether the
    API requires it, and the methods and modality it takes effect for."""

    name: str
    type: str  # integer, number, boolean, choice, list (comma-separated choices), ratios
    default: Any = None  # None: the docs give no default (the console shows it per model)
    minimum: float | None = None
    maximum: float | None = None
    exclusive_minimum: float | None = None
    exclusive_maximum: float | None = None
    choices: tuple[Any, ...] = ()
    ignore_case: bool = False
    text: bool = False  # a number written as text is what the API takes ("1.6e-5")
    required: bool = False
    methods: tuple[str, ...] = ()  # the training types it takes effect for; () = every one
    modality: str | None = None  # "vl": only image-understanding models
    recommended: Any = None  # what the docs recommend, when they say
    power_of_two: bool = False  # LoRA ranks of the Wan models
    source: str = ""

    @property
    def numeric(self) -> bool:
        return self.type in ("integer", "number")

    def problem(self, value: object) -> str | None:
        """Why `value` is not accepted, or None when it is. A number written as text
        is read as the number (whether the API takes text is the caller's question)."""
        if self.type == "boolean":
            return None if isinstance(value, bool) else _("must be true or false")
        if self.type == "choice":
            return None if self._chosen(value) else "must be one of " + ", ".join(map(str, self.choices))
        if self.type == "list":
            if not isinstance(value, str):
                return _("must be text: names separated by commas")
            wrong = [item for item in split_list(value) if not self._chosen(item)]
            return ngettext("names an unknown type {names}", "names unknown types {names}", len(wrong)).format(names=', '.join(wrong)) if wrong else None
        if self.type == "ratios":
            if not isinstance(value, str):
                return _("must be text: numbers separated by commas")
            for item in split_list(value):
                number = read_number(item)
                problem = self._number_problem(number) if isinstance(number, float) else _("is not a number")
                if problem:
                    return f"{item!r} {problem}"
            return None
        if isinstance(value, str) and NUMBER_TEXT.fullmatch(value):
            value = float(value)
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return _("is not a number")
        return self._number_problem(_float(value))

    def _number_problem(self, value: float) -> str | None:
        if not math.isfinite(value):
            return _("must be a finite number")
        if self.type == "integer" and int(value) != value:
            return _("must be a whole number")
        if self.choices and value not in self.choices:
            return "must be one of " + ", ".join(_fmt(c) for c in self.choices)
        if self.minimum is not None and value < self.minimum:
            return _("must be at least {fmt}").format(fmt=_fmt(self.minimum))
        if self.maximum is not None and value > self.maximum:
            return _("must be at most {fmt}").format(fmt=_fmt(self.maximum))
        if self.exclusive_minimum is not None and value <= self.exclusive_minimum:
            return _("must be greater than {fmt}").format(fmt=_fmt(self.exclusive_minimum))
        if self.exclusive_maximum is not None and value >= self.exclusive_maximum:
            return _("must be below {fmt}").format(fmt=_fmt(self.exclusive_maximum))
        if self.power_of_two and (value < 1 or int(value) & (int(value) - 1)):
            return _("must be a power of 2")
        return None

    def _chosen(self, value: object) -> bool:
        if not isinstance(value, str):
            return False
        return (value.lower() if self.ignore_case else value) in self.choices

    def describe(self) -> str:
        if self.type == "boolean":
            return _("true or false")
        if self.type in ("choice", "list"):
            return ", ".join(map(str, self.choices))
        if self.choices:
            return " or ".join(_fmt(c) for c in self.choices)
        low = _fmt(self.minimum) if self.minimum is not None else None
        high = _fmt(self.maximum) if self.maximum is not None else None
        if self.exclusive_minimum is not None:
            low = f"> {_fmt(self.exclusive_minimum)}"
            return _("{low} and <= {high}").format(low=low, high=high) if high else low
        if low and high:
            return f"{low}-{high}"
        if low and self.exclusive_maximum is not None:
            return _("{low} to below {fmt}").format(low=low, fmt=_fmt(self.exclusive_maximum))
        if low:
            return f">= {low}"
        return "any"


def _float(value: float) -> float:
    """A number as a float; an integer too large for one is infinite (and so refused)."""
    try:
        return float(value)
    except OverflowError:
        return math.inf


def split_list(value: str) -> list[str]:
    """The items of a comma-separated hyperparameter ("dialogue_cn, nlp")."""
    return [item.strip() for item in value.split(",")]


# A number written as text, as the fine-tunes API takes learning_rate ("1.6e-5"): digits
# with an optional fraction and exponent. Python's float() also reads " 1e-4", "1_000",
# "nan" and "inf"; those are not numbers the API documents, so they are not read as such.
NUMBER_TEXT = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?")  # ASCII digits only (not ４ or ٤)


def read_number(value: object) -> float | str:
    """A hyperparameter as given (command line text, or a configuration value) -> the
    number it means, or the text itself when it means none (rule O101 reports it)."""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, (int, float)):
        return _float(value)
    text = str(value)
    return _float(float(text)) if NUMBER_TEXT.fullmatch(text) else text


@dataclass(frozen=True)
class Profile:
    name: str
    description: str
    label: str  # how a finding names it: "today's platform", "the old DashScope fine-tunes API"
    validation_split: float
    validation_cap: int  # 0 = uncapped
    hyperparameters: dict[str, Range]

    def training_rows(self, rows: int, split: float | None = None) -> int:
        """Rows left for training after the platform's automatic validation split."""
        share = self.validation_split if split is None else split
        validation = int(rows * share + 0.999999)  # the platform rounds the held-out part up
        if self.validation_cap:
            validation = min(validation, self.validation_cap)
        return rows - validation


def renamed_profile(name: object) -> str | None:
    """What to tell a user who names a profile by its old name, or None."""
    if name == "seeds":
        return _("'seeds' is now called 'legacy-api' (the old DashScope fine-tunes API); today's platform is 'current', the default")
    return None


@dataclass(frozen=True)
class Platform:
    min_rows: int
    file_name_pattern: re.Pattern[str]
    file_name_max_length: int
    size_caps: dict[str, dict[str, int]]  # via -> kind -> bytes
    platform_codes: dict[int, str]
    profiles: dict[str, Profile]
    augmentation_series: dict[str, tuple[str, ...]]  # model-name prefix -> augmentation_types
    job_fields: tuple[str, ...]  # the request body's top-level fields
    renamed_fields: dict[str, str]  # a field people write -> the API's name for it
    priorities: tuple[str, ...]
    max_files: dict[str, int]  # dataset kind (text, cpt, package) -> files per dataset
    sources: dict[str, str]

    def augmentation_types(self, model: str) -> tuple[str, ...]:
        """The augmentation_types documented for a model's series (its longest
        matching name prefix); () when the docs name none for it."""
        series = max((prefix for prefix in self.augmentation_series if model.startswith(prefix)), key=len, default=None)
        return self.augmentation_series[series] if series else ()


def _fmt(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() and abs(value) >= 1 else f"{value:g}"


def _range(name: str, raw: dict[str, Any]) -> Range:
    lists = ("choices", "methods")
    fields: dict[str, Any] = {key: tuple(value) if key in lists else value for key, value in raw.items()}
    return Range(name=name, **fields)


@cache
def platform() -> Platform:
    """The platform facts shipped with ftlint (read once)."""
    raw = tomllib.loads(resources.files("ftlint.platform").joinpath("data/platform.toml").read_text("utf-8"))
    profiles = {
        name: Profile(
            name=name,
            description=p["description"],
            label=p["label"],
            validation_split=p["validation_split"],
            validation_cap=p["validation_cap"],
            hyperparameters={k: _range(k, v) for k, v in p["hyperparameters"].items()},
        )
        for name, p in raw["profiles"].items()
    }
    return Platform(
        min_rows=raw["rows"]["minimum"],
        file_name_pattern=re.compile(raw["file_name"]["pattern"]),
        file_name_max_length=raw["file_name"]["max_length"],
        size_caps=raw["size_caps"],
        platform_codes={int(k): v for k, v in raw["platform_codes"].items()},
        profiles=profiles,
        augmentation_series={k: tuple(v) for k, v in raw["augmentation_series"].items()},
        job_fields=tuple(raw["job"]["fields"]),
        renamed_fields=dict(raw["job"]["renamed"]),
        priorities=tuple(raw["job"]["priorities"]),
        max_files=dict(raw["job"]["max_files"]),
        sources=dict(raw["sources"]),
    )
