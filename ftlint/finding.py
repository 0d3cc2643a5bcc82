"""A finding: one problem at one place. Plain data; rules make them, reporters show them."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 0, "warning": 1, "info": 2}[self.value]


@dataclass(frozen=True, slots=True)
class Finding:
    code: str  # stable rule code, e.g. "L101"
    rule: str  # the rule's slug, e.g. "blank-line"
    severity: Severity
    message: str
    line: int | None = None  # physical 1-based line; None for file-level findings
    column: int | None = None  # 1-based character column, where one is known
    path: str | None = None  # JSON path inside the row, e.g. "messages[2].role"
    platform_code: int | None = None  # the platform's job error code this predicts
    hint: str | None = None  # how to fix it
    internal: bool = False  # the rule itself failed here (a bug, not a problem in the data)

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "code": self.code,
            "severity": self.severity.value,
            "line": self.line,
            "column": self.column,
            "path": self.path,
            "message": self.message,
            "platform_code": self.platform_code,
            "hint": self.hint,
            **({"internal": True} if self.internal else {}),
        }
