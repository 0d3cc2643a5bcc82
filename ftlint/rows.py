"""Stage 2: parsed JSON objects -> rows with a dataset format."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

MESSAGES = "messages"
DPO = "dpo"
PROMPT_COMPLETION = "prompt-completion"
LEGACY_TEXT = "legacy-text"
CPT_TEXT = "cpt-text"

FORMATS: dict[str, str] = {
    MESSAGES: "SFT messages (ChatML)",
    DPO: "DPO preference pairs",
    PROMPT_COMPLETION: "prompt / completion",
    LEGACY_TEXT: "legacy Human/Assistant text (deprecated)",
    CPT_TEXT: "CPT plain text",
}

# The top-level keys each format defines; anything else is an unknown field.
FIELDS: dict[str, frozenset[str]] = {
    MESSAGES: frozenset({"messages", "tools"}),
    DPO: frozenset({"messages", "chosen", "rejected"}),
    PROMPT_COMPLETION: frozenset({"prompt", "completion"}),
    LEGACY_TEXT: frozenset({"text"}),
    CPT_TEXT: frozenset({"text"}),
}

# A Human:/Assistant: marker at the start of a line (after optional blanks).
LEGACY_MARKER = re.compile(r"(?m)^[ \t]*(Human|Assistant)[:：]")


def detect_format(obj: dict[str, Any]) -> str | None:
    """The format a JSON object looks like, from its keys; None when it fits none."""
    if "messages" in obj:
        return DPO if ("chosen" in obj or "rejected" in obj) else MESSAGES
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
    tokens: int | None = None  # token count, once a length rule needed it
    tokens_exact: bool = True  # False: `tokens` is a lower bound (a row far over the limit)
    within_bound: bool | None = None  # True: the byte bound proved it within the limit

    def messages(self) -> list[Any] | None:
        value = self.data.get("messages")
        return value if isinstance(value, list) else None


def iter_rows(stream, data_format: str | None = None):
    """Every row (parsed JSON object) of a binary stream, for passes that need rows only."""
    from ftlint.lines import LineReader, parse_line

    for number, raw in LineReader(stream):
        line = parse_line(number, raw)
        if isinstance(line.value, dict):
            detected = detect_format(line.value)
            yield Row(number, line.value, data_format or detected, detected, line.raw)
