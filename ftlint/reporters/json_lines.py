"""--format json-lines: one JSON object per finding, with the file's path, for streaming
into other tools (jq, log pipelines)."""

from __future__ import annotations

from typing import TextIO

import orjson

from ftlint.report import Report


def render(report: Report, out: TextIO) -> None:
    for file in report.files:
        for f in file.sorted_findings():
            out.write(orjson.dumps({"file": file.path, **f.to_dict()}).decode() + "\n")
