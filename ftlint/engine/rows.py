"""Stage 2: parsed JSON objects -> rows with a dataset format."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Any

MESSAGES = "messages"
IMAGE_MESSAGES = "image-messages"
DPO = "dpo"
PROMPT_COMPLETION = "prompt-completion"
LEGACY_TEXT = "legacy-text"
CPT_TEXT = "cpt-text"

FORMATS: dict[str, str] = {
    MESSAGES: "SFT messages (ChatML)",
    IMAGE_MESSAGES: "SFT image understanding (messages with images)",
    DPO: "DPO preference pairs",
    PROMPT_COMPLETION: "prompt / completion",
    LEGACY_TEXT: "legacy Human/Assistant text (deprecated)",
    CPT_TEXT: "CPT plain text",
}

# The top-level keys each format defines; anything else is an unknown field.
FIELDS: dict[str, frozenset[str]] = {
    MESSAGES: frozenset({"messages", "tools"}),
    IMAGE_MESSAGES: frozenset({"messages"}),
    DPO: frozenset({"messages", "chosen", "rejected"}),
    PROMPT_COMPLETION: frozenset({"prompt", "completion"}),
    LEGACY_TEXT: frozenset({"text"}),
    CPT_TEXT: frozenset({"text"}),
}

# A Human:/Assistant: marker at the start of a line (after optional blanks).
LEGACY_MARKER = re.compile(r"(?m)^[ \t]*(Human|Assistant)[:：]")


def detect_format(obj: dict[str, Any], in_package: bool = False) -> str | None:
    """The format a JSON object looks like, from its keys; None when it fits none.
    In an image package, SFT messages are image-understanding rows."""
    if "messages" in obj:
        if "chosen" in obj or "rejected" in obj:
            return DPO
        return IMAGE_MESSAGES if in_package else MESSAGES
    if "chosen" in obj or "rejected" in obj:
        return DPO
    if "prompt" in obj or "completion" in obj:
        return PROMPT_COMPLETION
    if "text" in obj:
        text = obj["text"]
        return LEGACY_TEXT if isinstance(text, str) and LEGACY_MARKER.search(text) else CPT_TEXT
    return None


@dataclass(slots=True)
class Row:
    """A line that parsed as a JSON object."""

    line: int
    data: dict[str, Any]
    format: str | None  # the format the row is checked as: forced, or its own
    detected: str | None  # the format the row looks like
    raw: bytes
    items: list | None = None  # (index, message) for the messages that are objects, built once
    tokens: int | None = None  # token count, once a length rule needed it
    tokens_exact: bool = True  # False: `tokens` is a lower bound (a row far over the limit)
    image_tokens: int = 0  # estimated tokens of the row's images (image packages with --model)
    within_bound: bool | None = None  # True: the byte bound proved it within the limit

    def messages(self) -> list[Any] | None:
        value = self.data.get("messages")
        return value if isinstance(value, list) else None

    @property
    def digest(self) -> bytes:
        """An 8-byte hash of the row's bytes, for exact-duplicate detection."""
        return hashlib.blake2b(self.raw.strip(), digest_size=8).digest()

    @property
    def has_tool_calls(self) -> bool:
        return "tools" in self.data or any(isinstance(m, dict) and m.get("tool_calls") for m in self.messages() or ())


@dataclass(slots=True)
class RowSummary:
    """What the rules that need all rows (Rule.needs_all_rows) may read of a row: a
    parallel check sends these from its workers instead of whole rows."""

    line: int
    format: str | None
    detected: str | None
    digest: bytes
    has_tool_calls: bool
    tokens: int | None
    within_bound: bool | None
    tokens_exact: bool

    @classmethod
    def of(cls, row: Row, with_digest: bool = True, with_tools: bool = True) -> RowSummary:
        return cls(
            row.line, row.format, row.detected, row.digest if with_digest else b"",
            row.has_tool_calls if with_tools else False, row.tokens, row.within_bound, row.tokens_exact,
        )


def iter_rows(stream, data_format: str | None = None, at_file_start: bool = True, in_package: bool = False, lines: list[int] | None = None):  # type: ignore[no-untyped-def]
    """Every row (parsed JSON object) of a binary stream, for passes that need rows
    only. `lines`, when given, receives the number of physical lines read."""
    from ftlint.engine.lines import LineReader, parse_line

    number = 0
    for number, raw in LineReader(stream):
        line = parse_line(number, raw, at_file_start and number == 1)
        if isinstance(line.value, dict):
            detected = detect_format(line.value, in_package)
            yield Row(number, line.value, data_format or detected, detected, line.raw)
    if lines is not None:
        lines.append(number)
