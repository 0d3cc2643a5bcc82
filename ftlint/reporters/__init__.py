"""Stage 5: a report -> text in one of the output formats. Reporters never decide.

Each reporter is a module with `render(report, out)`; they are imported only when used,
so machine-readable output does not pay for the terminal library's start-up. Text from
the data (messages, JSON paths, hints, file names) reaches every format through
escaping.py, which says why."""

from __future__ import annotations

import importlib
import os
import sys
from typing import TextIO

from ftlint.report import Report

MODULES = {
    "full": "full",
    "concise": "concise",
    "json": "json",
    "json-lines": "json_lines",
    "github": "github",
    "sarif": "sarif",
    "junit": "junit",
}
REPORTERS = tuple(MODULES)
FORMATS = ("auto", *REPORTERS)


def resolve(name: str) -> str:
    """`auto`: GitHub annotations under GitHub Actions, else the full report."""
    if name != "auto":
        return name
    return "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "full"


def render(name: str, report: Report, out: TextIO | None = None, strict: bool = False) -> None:
    name = resolve(name)
    module = importlib.import_module(f"ftlint.reporters.{MODULES[name]}")
    out = out or sys.stdout
    if name == "junit":
        module.render(report, out, strict=strict)
    else:
        module.render(report, out)
