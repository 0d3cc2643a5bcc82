"""The errors `ftlint check` would report on one row, for deciding whether a rewritten
row may be kept: the row rules, and the collecting rules fed in file order."""

from __future__ import annotations

from ftlint.engine.rows import Row
from ftlint.engine.scanning import RuleSet
from ftlint.finding import Finding, Severity
from ftlint.i18n import _
from ftlint.options import CheckOptions
from ftlint.rules.base import all_rules


class RuleFailed(RuntimeError):
    """A rule raised on a row: a bug, reported as such (the row is kept in the rejects)."""


class RowValidator:
    SKIP = {"F104", "T101", "T103"}  # decided by --dedupe / --drop-overlength instead

    def __init__(self, options: CheckOptions) -> None:
        classes = [cls for cls in all_rules() if (cls.uses("check_row") or cls.uses("collect")) and cls.code not in self.SKIP]
        self.rules = RuleSet(classes, options, hooks=("check_row", "collect"))

    def first_error(self, row: Row) -> tuple[str, str] | None:
        found: list[Finding] = []
        self.rules.check_row(row, found.append)
        if self.rules.collects:
            self.rules.collect(self.rules.summarise(row, found.append), found.append)
        for finding in found:
            if finding.internal:
                raise RuleFailed(_("rule {code}: {message}").format(code=finding.code, message=finding.message))
            if finding.severity is Severity.ERROR:
                return finding.code, finding.message
        return None
