"""--format concise: one `path:line:col: CODE [severity] message` line per finding.
Text from the data is escaped (reporters/escaping.py): one finding is one line."""

from __future__ import annotations

from typing import TextIO

from ftlint.report import Report, omitted_message
from ftlint.reporters.escaping import file_name, visible, writer


def location(path: str, line: int | None, column: int | None) -> str:
    """`path:line:col` for people, the path escaped (`escaping.file_name`)."""
    return file_name(path) + "".join(f":{n}" for n in (line, column) if n is not None)


def render(report: Report, out: TextIO) -> None:
    write = writer(out)
    for file in report.files:
        for f in file.sorted_findings():
            where = f" ({visible(f.path)})" if f.path else ""
            write(f"{location(file.path, f.line, f.column)}: {f.code} [{f.severity.value}] {visible(f.message)}{where}\n")
        for code, n in sorted(file.omitted().items()):  # the cap never hides that more exist
            write(f"{file_name(file.path)}: {omitted_message(code, n)}\n")
