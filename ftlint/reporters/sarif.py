"""--format sarif: a SARIF 2.1.0 log (GitHub code scanning, Azure DevOps, IDEs)."""

from __future__ import annotations

from pathlib import PurePath
from typing import Any, TextIO
from urllib.parse import quote

import orjson

from ftlint._version import __version__
from ftlint.report import Report
from ftlint.reporters.github import file_path
from ftlint.rules.base import all_rules

LEVEL = {"error": "error", "warning": "warning", "info": "note"}
SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def artifact_uri(path: str) -> str:
    if path == "-":
        return "stdin"
    return quote(PurePath(file_path(path)).as_posix(), safe="/:")


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
            }
        ],
    }
    out.write(orjson.dumps(log, option=orjson.OPT_INDENT_2).decode() + "\n")
