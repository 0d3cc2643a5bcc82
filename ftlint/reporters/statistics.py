"""--statistics: how many findings each rule produced, over all files."""

from __future__ import annotations

from collections import Counter
from typing import TextIO

import orjson

from ftlint.report import Report
from ftlint.rules.base import find_rule


def render(report: Report, out: TextIO, as_json: bool = False) -> None:
    counts: Counter[str] = Counter()
    severities: dict[str, set[str]] = {}  # the severities the run reported (a configured one, or a rule's milder case)
    for file in report.files:
        counts.update(file.counts)
        for f in file.findings:
            severities.setdefault(f.code, set()).add(f.severity.value)
    rows = []
    for code, n in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        rule = find_rule(code)
        used = "/".join(sorted(severities.get(code, set()), key=["error", "warning", "info"].index)) or (rule.severity.value if rule else "")
        rows.append({"code": code, "slug": rule.slug if rule else "", "severity": used, "count": n})
    if as_json:
        out.write(orjson.dumps(rows, option=orjson.OPT_INDENT_2).decode() + "\n")
        return
    for row in rows:
        out.write(f"{row['count']:>8,}  {row['code']:<5} {row['slug']:<24} {row['severity']}\n")
