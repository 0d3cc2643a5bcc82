"""The errors `ftlint check` would report on one row, for deciding whether a rewritten
row may be kept."""

from __future__ import annotations

from ftlint.finding import Severity
from ftlint.options import CheckOptions
from ftlint.engine.rows import Row
from ftlint.rules.base import Rule, all_rules, instantiate


class RowValidator:
    SKIP = {"F104", "T101", "T103"}  # decided by --dedupe / --drop-overlength instead

    def __init__(self, options: CheckOptions) -> None:
        self.rules: list[Rule] = [instantiate(cls, options) for cls in all_rules() if cls.uses("check_row") and cls.code not in self.SKIP]

    def first_error(self, row: Row) -> tuple[str, str] | None:
        for rule in self.rules:
            if rule.formats is not None and row.format not in rule.formats:
                continue
            for finding in rule.check_row(row):
                if finding.severity is Severity.ERROR:
                    return finding.code, finding.message
        return None
