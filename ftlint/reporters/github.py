"""--format github: GitHub Actions workflow commands, one annotation per finding.

    ::error file=data/train.jsonl,line=80,col=1,title=M107 turn-order::user followed by user …

Property values escape %, CR, LF, ':' and ','; the message escapes %, CR and LF, as the
Actions runner expects."""

from __future__ import annotations

from typing import TextIO

from ftlint.report import Report

COMMAND = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def file_path(report_path: str) -> str:
    """The repository file an annotation points at (a zip package, not its member)."""
    return report_path.split(".zip:", 1)[0] + ".zip" if ".zip:" in report_path else report_path


def render(report: Report, out: TextIO) -> None:
    for file in report.files:
        for f in file.sorted_findings():
            props = [f"file={escape_property(file_path(file.path))}"]
            if f.line is not None:
                props.append(f"line={f.line}")
            if f.column is not None:
                props.append(f"col={f.column}")
            props.append(f"title={escape_property(f'{f.code} {f.rule}')}")
            message = f.message + (f" (at {f.path})" if f.path else "") + (f" [platform error {f.platform_code}]" if f.platform_code else "")
            if f.hint:
                message += f"\n{f.hint}"
            out.write(f"::{COMMAND[f.severity.value]} {','.join(props)}::{escape_data(message)}\n")
