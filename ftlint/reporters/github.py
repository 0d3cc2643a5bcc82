"""--format github: GitHub Actions workflow commands, one annotation per finding.

    ::error file=data/train.jsonl,line=80,col=1,title=M107 turn-order::user followed by user …

Text from the data is escaped first (reporters/escaping.py: no control character, so no
terminal sequence in the job's log); then property values escape %, CR, LF, ':' and ','
and the message escapes %, CR and LF, as the Actions runner expects: a line break in a
message is a line of the annotation, never a line of the log that could be a command."""

from __future__ import annotations

from typing import TextIO

from ftlint.i18n import _
from ftlint.report import Report, omitted_message
from ftlint.reporters.escaping import file_name, visible, writer

COMMAND = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def file_path(report_path: str) -> str:
    """The repository file an annotation points at (a zip package, not its member)."""
    return report_path.split(".zip:", 1)[0] + ".zip" if ".zip:" in report_path else report_path


def render(report: Report, out: TextIO) -> None:
    write = writer(out)
    for file in report.files:
        annotated = f"file={escape_property(file_name(file_path(file.path)))}"
        for f in file.sorted_findings():
            props = [annotated]
            if f.line is not None:
                props.append(f"line={f.line}")
            if f.column is not None:
                props.append(f"col={f.column}")
            props.append(f"title={escape_property(visible(f'{f.code} {f.rule}'))}")
            message = visible(f.message, line_breaks=True) + (_(" (at {visible})").format(visible=visible(f.path)) if f.path else "") + (_(" [platform error {platform_code}]").format(platform_code=f.platform_code) if f.platform_code else "")
            if f.hint:
                message += f"\n{visible(f.hint, line_breaks=True)}"
            write(f"::{COMMAND[f.severity.value]} {','.join(props)}::{escape_data(message)}\n")
        for code, n in sorted(file.omitted().items()):  # the cap never hides that more exist
            write(f"::notice {annotated},title={escape_property('ftlint')}::{escape_data(omitted_message(code, n))}\n")
