"""--format concise: one `path:line:col: CODE [severity] message` line per finding."""

from __future__ import annotations

from typing import TextIO

from ftlint.report import Report


def location(path: str, line: int | None, column: int | None) -> str:
    return path + "".join(f":{n}" for n in (line, column) if n is not None)


def render(report: Report, out: TextIO) -> None:
    for file in report.files:
        for f in file.sorted_findings():
            where = f" ({f.path})" if f.path else ""
            out.write(f"{location(file.path, f.line, f.column)}: {f.code} [{f.severity.value}] {f.message}{where}\n")
