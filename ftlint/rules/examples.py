"""Each rule's test cases, declared beside it: the failing and the passing examples a
rule author copies, run by one parametrised test (tests/test_rule_examples.py) with
only the rule under test selected, and shown by `ftlint rule CODE` and the docs.

    examples = (
        Fail([ROW, "", ROW], At(line=2, column=1)),
        Pass([ROW, ROW]),
    )

`lines` are the file's lines (joined with "\\n", one line end after the last); `data`
gives exact bytes instead. `job` makes the example a job (--job): the request body,
whose `training_datasets` default to the example's file ("data.jsonl"); `job_files`
are the other files it names (file name -> lines). `files` makes the example an image package folder (file
name -> text or bytes; `lines` become its data.jsonl). `options` are CheckOptions
fields (model, max_length, ...). Each `At` is one finding the rule must report, with
the line, column, JSON path and severity it must carry (None: file-level / absent).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from ftlint.finding import Severity


@dataclass(frozen=True)
class At:
    line: int | None = None
    column: int | None = None
    path: str | None = None
    severity: Severity | None = None  # None: the rule's default severity

    def key(self, default: Severity) -> tuple[int | None, int | None, str | None, str]:
        return self.line, self.column, self.path, (self.severity or default).value


@dataclass(frozen=True)
class Example:
    lines: tuple[str, ...] = ()
    expected: tuple[At, ...] = ()
    data: bytes | None = None
    name: str = "data.jsonl"
    files: dict[str, str | bytes] | None = None
    options: dict[str, Any] = field(default_factory=dict)
    job: dict[str, Any] | None = None
    job_files: dict[str, tuple[str, ...]] | None = None
    note: str = ""

    @property
    def passes(self) -> bool:
        return not self.expected

    def content(self) -> bytes:
        if self.data is not None:
            return self.data
        return ("\n".join(self.lines) + "\n").encode("utf-8", "surrogatepass") if self.lines else b""


def Fail(lines: list[str] | tuple[str, ...] = (), *expected: At, **kwargs: Any) -> Example:  # noqa: N802  (reads as a declaration)
    if not expected:
        raise TypeError("a failing example names the findings it expects")
    return Example(tuple(lines), tuple(expected), **kwargs)


def Pass(lines: list[str] | tuple[str, ...] = (), **kwargs: Any) -> Example:  # noqa: N802
    return Example(tuple(lines), (), **kwargs)


def row(*turns: str, **extra: Any) -> str:
    """A messages row alternating user and assistant turns, as one JSON line."""
    messages = [{"role": "user" if i % 2 == 0 else "assistant", "content": text} for i, text in enumerate(turns)]
    return json.dumps({"messages": messages, **extra}, ensure_ascii=False)


# A few realistic rows the examples share (Chinese and English, multi-turn).
CHAT = row("我的订单什么时候发货？", "您好，订单将在 24 小时内发货。")
CHAT_EN = row("Where is my order?", "It ships within 24 hours.", "Can I change the address?", "Yes, until it ships.")
