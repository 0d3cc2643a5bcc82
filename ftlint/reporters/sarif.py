"""--format sarif: a SARIF 2.1.0 log (GitHub code scanning, Azure DevOps, IDEs).

Strings are escaped as in --format json (reporters/escaping.py); a file's URI
percent-encodes the bytes of its name, so a name that is not UTF-8 keeps them."""

from __future__ import annotations

from pathlib import PurePath
from typing import Any, TextIO
from urllib.parse import quote

from ftlint._version import __version__
from ftlint.report import Report, omitted_message
from ftlint.reporters.escaping import dumps, uri_bytes, write
from ftlint.reporters.github import file_path
from ftlint.rules.base import all_rules

LEVEL = {"error": "error", "warning": "warning", "info": "note"}
SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def artifact_uri(path: str) -> str:
    """A URI reference for the file: its name's bytes percent-encoded (a byte that is
    not UTF-8, a control character, '%', '#', '?'), '/' kept. ':' is encoded too, so
    `a:b.jsonl` is a relative path, not a URI with scheme `a`; a Windows drive keeps
    its colon."""
    if path == "-":
        return "stdin"
    pure = PurePath(file_path(path))
    posix = pure.as_posix()
    drive = pure.drive if pure.drive and posix.startswith(pure.drive) else ""
    return drive + quote(uri_bytes(posix[len(drive):]), safe="/")


def render(report: Report, out: TextIO) -> None:
    rules = all_rules()
    index = {rule.code: i for i, rule in enumerate(rules)}
    descriptors = [
        {
            "id": rule.code,
            "name": rule.slug,
            "shortDescription": {"text": rule.summary()},
            "fullDescription": {"text": rule.documentation()},
            "help": {"text": rule.documentation()},
            "defaultConfiguration": {"level": LEVEL[rule.severity.value]},
            "properties": {"platform_code": rule.platform_code} if rule.platform_code is not None else {},
        }
        for rule in rules
    ]
    results = []
    for file in report.files:
        for f in file.sorted_findings():
            location: dict[str, Any] = {"artifactLocation": {"uri": artifact_uri(file.path)}}
            if f.line is not None:
                location["region"] = {"startLine": f.line, **({"startColumn": f.column} if f.column else {})}
            result: dict[str, Any] = {
                "ruleId": f.code,
                "level": LEVEL[f.severity.value],
                "message": {"text": f.message + (f" ({f.hint})" if f.hint else "")},
                "locations": [{"physicalLocation": location, **({"logicalLocations": [{"fullyQualifiedName": f.path}]} if f.path else {})}],
                "properties": {"platform_code": f.platform_code, "json_path": f.path},
            }
            if f.code in index:
                result["ruleIndex"] = index[f.code]
            results.append(result)
    log = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": {"name": "ftlint", "version": __version__, "semanticVersion": __version__, "rules": descriptors}},
                "results": results,
                "columnKind": "unicodeCodePoints",
                # the cap never hides that more exist: one note per file and rule left out
                "invocations": [{"executionSuccessful": True, "toolExecutionNotifications": [
                    {"level": "note", "message": {"text": omitted_message(code, n)}, "locations": [{"physicalLocation": {"artifactLocation": {"uri": artifact_uri(file.path)}}}]}
                    for file in report.files for code, n in sorted(file.omitted().items())]}],
            }
        ],
    }
    write(out, dumps(log, indent=True) + "\n", "json")
