"""--format json: the machine-readable contract (schemas/report.schema.json).

Strings keep what the data holds (JSON escapes control characters); lone surrogates,
which UTF-8 JSON cannot carry, become the text `\\udXXX`, and a file name's bytes that
are not UTF-8 the text `\\xff` (reporters/escaping.py)."""

from __future__ import annotations

from typing import Any, TextIO

from ftlint._version import __version__
from ftlint.report import Report
from ftlint.reporters.escaping import dumps, json_file_name, write


def report_dict(report: Report) -> dict[str, Any]:
    """The report as the schema describes it, file names escaped for JSON."""
    data = report.to_dict()
    for file in data["files"]:
        file["path"] = json_file_name(file["path"])
    if "job" in data:
        data["job"]["origin"] = json_file_name(data["job"]["origin"])
        for file in data["job"]["files"]:
            file["path"] = json_file_name(file["path"])
    return data


def render(report: Report, out: TextIO) -> None:
    write(out, dumps(report_dict(report), indent=True) + "\n", "json")


def error_object(message: str) -> dict[str, Any]:
    """What `--format json` prints when the run stops before any report (a usage or
    I/O error, no dataset: exit 2), in the schema's terms: the error, no files, a null
    summary. cli.py should print it with `render_error`."""
    return {"version": __version__, "error": json_file_name(message), "files": [], "summary": None}  # a message may quote a file name


def render_error(message: str, out: TextIO) -> None:
    """The error object as one line of JSON; safe for any message (a file name that is
    not UTF-8 in it, control characters)."""
    write(out, dumps(error_object(message)) + "\n", "json")
