"""--format json-lines: one JSON object per finding, with the file's path, for streaming
into other tools (jq, log pipelines). Strings are escaped as in --format json
(reporters/escaping.py): every line is valid UTF-8 JSON."""

from __future__ import annotations

from typing import TextIO

from ftlint.report import Report
from ftlint.reporters.escaping import dumps, json_file_name, writer


def render(report: Report, out: TextIO) -> None:
    """One object per finding; after a file's findings, `{"file", "omitted": {code: n}}`
    when --max-per-rule left some out; last, `{"summary": …}` (the json report's summary
    plus `omitted`, the findings not listed), so a reader knows the stream is whole."""
    write = writer(out, "json")
    omitted = 0
    for file in report.files:
        path = json_file_name(file.path)
        for f in file.sorted_findings():
            write(dumps({"file": path, **f.to_dict()}) + "\n")
        left_out = file.omitted()
        if left_out:
            omitted += sum(left_out.values())
            write(dumps({"file": path, "omitted": dict(sorted(left_out.items()))}) + "\n")
    write(dumps({"summary": {**report.to_dict()["summary"], "omitted": omitted}}) + "\n")
