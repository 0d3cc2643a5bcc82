"""Stage 5: a report -> text in one of the output formats. Reporters never decide."""

from __future__ import annotations

from collections.abc import Callable
from typing import TextIO

from ftlint.report import Report
from ftlint.reporters import concise, full, json

Reporter = Callable[[Report, TextIO], None]

REPORTERS: dict[str, Reporter] = {
    "full": full.render,
    "concise": concise.render,
    "json": json.render,
}
