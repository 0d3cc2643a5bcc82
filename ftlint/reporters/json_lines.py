"""--format json-lines: one JSON object per finding, with the file's path, for streaming
into other tools (jq, log pipelines). Strings are escaped as in --format json
(reporters/escaping.py): every line is valid UTF-8 JSON."""

from __future__ import annotations

from typing import TextIO

from ftlint.report import Report
from ftlint.reporters.escaping import dumps, json_file_name, writer


def render(report: Report, out: TextIO) -> None:
    write = writer(out, "json")
    for file in report.files:
        path = json_file_name(file.path)
        for f in file.sorted_findings():
            write(dumps({"file": path, **f.to_dict()}) + "\n")
