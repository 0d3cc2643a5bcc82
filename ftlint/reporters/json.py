"""--format json: the machine-readable contract (schemas/report.schema.json)."""

from __future__ import annotations

from typing import TextIO

import orjson

from ftlint.report import Report


def render(report: Report, out: TextIO) -> None:
    out.write(orjson.dumps(report.to_dict(), option=orjson.OPT_INDENT_2).decode("utf-8"))
    out.write("\n")
