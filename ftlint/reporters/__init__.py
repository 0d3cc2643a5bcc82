"""Stage 5: a report -> text in one of the output formats. Reporters never decide."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import TextIO

from ftlint.report import Report
from ftlint.reporters import concise, full, github, json, json_lines, junit, sarif

Reporter = Callable[..., None]

REPORTERS: dict[str, Reporter] = {
    "full": full.render,
    "concise": concise.render,
    "json": json.render,
    "json-lines": json_lines.render,
    "github": github.render,
    "sarif": sarif.render,
    "junit": junit.render,
}
FORMATS = ("auto", *REPORTERS)


def resolve(name: str) -> str:
    """`auto`: GitHub annotations under GitHub Actions, else the full report."""
    if name != "auto":
        return name
    return "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "full"


def render(name: str, report: Report, out: TextIO | None = None, strict: bool = False) -> None:
    name = resolve(name)
    out = out or sys.stdout
    if name == "junit":
        junit.render(report, out, strict=strict)
    else:
        REPORTERS[name](report, out)
