"""Platform facts (limits, hyperparameter ranges, size caps) loaded from data/platform.toml."""

from __future__ import annotations

import math
import re
import sys
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


@dataclass(frozen=True)
class Range:
    """The values a hyperparameter accepts on one profile."""

    name: str
    type: str  # "integer" or "number"
    default: float
    minimum: float | None = None
    maximum: float | None = None
    exclusive_minimum: float | None = None
    choices: tuple[float, ...] = ()

    def problem(self, value: float | str) -> str | None:
        """Why `value` is not accepted, or None when it is."""
        if isinstance(value, (str, bool)):
            return "is not a number"
        if not math.isfinite(value):
            return "must be a finite number"
        if self.type == "integer" and (isinstance(value, bool) or int(value) != value):
            return "must be a whole number"
        if self.choices and value not in self.choices:
            return "must be one of " + ", ".join(_fmt(c) for c in self.choices)
        if self.minimum is not None and value < self.minimum:
            return f"must be at least {_fmt(self.minimum)}"
        if self.maximum is not None and value > self.maximum:
            return f"must be at most {_fmt(self.maximum)}"
        if self.exclusive_minimum is not None and value <= self.exclusive_minimum:
            return f"must be greater than {_fmt(self.exclusive_minimum)}"
        return None

    def describe(self) -> str:
        if self.choices:
            return " or ".join(_fmt(c) for c in self.choices)
        low = _fmt(self.minimum) if self.minimum is not None else None
        high = _fmt(self.maximum) if self.maximum is not None else None
        if low and high:
            return f"{low}-{high}"
        if low:
            return f">= {low}"
        if self.exclusive_minimum is not None:
            return f"> {_fmt(self.exclusive_minimum)}"
        return "any"


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
        return float(value)
    text = str(value)
    return float(text) if NUMBER_TEXT.fullmatch(text) else text


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
        return "'seeds' is now called 'legacy-api' (the old DashScope fine-tunes API); today's platform is 'current', the default"
    return None


@dataclass(frozen=True)
class Platform:
    min_rows: int
    file_name_pattern: re.Pattern[str]
    file_name_max_length: int
    size_caps: dict[str, dict[str, int]]  # via -> kind -> bytes
    platform_codes: dict[int, str]
    profiles: dict[str, Profile]


def _fmt(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() and abs(value) >= 1 else f"{value:g}"


def _range(name: str, raw: dict[str, Any]) -> Range:
    return Range(
        name=name,
        type=raw["type"],
        default=raw["default"],
        minimum=raw.get("minimum"),
        maximum=raw.get("maximum"),
        exclusive_minimum=raw.get("exclusive_minimum"),
        choices=tuple(raw.get("choices", ())),
    )


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
    )
