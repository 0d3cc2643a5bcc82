"""Which rules run, and at what severity: --select / --ignore / --extend-select by code,
code prefix or slug (as in ruff), and per-rule severity overrides."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from ftlint.finding import Severity
from ftlint.i18n import _
from ftlint.rules.base import Rule


class SelectionError(ValueError):
    """A selector or severity that names no rule (a usage error)."""


def matches(rule: type[Rule], selector: str) -> bool:
    s = selector.strip()
    return s.upper() == "ALL" or rule.code.startswith(s.upper()) or s.lower() == rule.slug


def validate(selectors: Iterable[str], rules: Sequence[type[Rule]], option: str) -> None:
    for selector in selectors:
        if not any(matches(rule, selector) for rule in rules):
            raise SelectionError(_("{option} {selector!r} matches no rule (ftlint rules lists them)").format(option=option, selector=selector))


def enabled(rule: type[Rule], select: Sequence[str], ignore: Sequence[str], extend_select: Sequence[str]) -> bool:
    """Selected (all rules when --select is empty, plus --extend-select) and not ignored.
    As in ruff, the more specific selector wins: --ignore M1 --select M107 keeps M107."""
    chosen = [s for s in (*select, *extend_select) if matches(rule, s)] if select else ["ALL", *[s for s in extend_select if matches(rule, s)]]
    dropped = [s for s in ignore if matches(rule, s)]
    if not chosen:
        return False
    if not dropped:
        return True
    return _specificity(rule, chosen) > _specificity(rule, dropped)


def _specificity(rule: type[Rule], selectors: Sequence[str]) -> int:
    def score(s: str) -> int:
        s = s.strip()
        if s.upper() == "ALL":
            return 0
        if s.lower() == rule.slug:
            return len(rule.code)
        return len(s)

    return max(score(s) for s in selectors)


def parse_severities(pairs: Iterable[str], rules: Sequence[type[Rule]]) -> dict[str, Severity]:
    """"CODE=severity" pairs (code, prefix or slug) -> {rule code: severity}."""
    overrides: dict[str, Severity] = {}
    for pair in pairs:
        selector, _equals, level = pair.partition("=")
        try:
            severity = Severity(level.strip().lower())
        except ValueError:
            raise SelectionError(_("severity {pair!r}: write CODE=error|warning|info").format(pair=pair)) from None
        validate([selector], rules, "--severity")
        for rule in rules:
            if matches(rule, selector):
                overrides[rule.code] = severity
    return overrides
