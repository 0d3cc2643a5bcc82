"""Helpers shared by the rules that read ChatML `messages`."""

from __future__ import annotations

from typing import Any

from ftlint.engine.rows import DPO, IMAGE_MESSAGES, MESSAGES, Row

CHAT_FORMATS = frozenset({MESSAGES, DPO, IMAGE_MESSAGES})
TEXT_CHAT_FORMATS = frozenset({MESSAGES, DPO})  # content is a string (not an image package)
ROLES = ("system", "user", "assistant", "tool")
# Message keys the platform defines. `name` and `weight` (OpenAI's) are rejected by
# their own rule; loss_weight is invitation-only and has its own rule too.
MESSAGE_KEYS = frozenset({"role", "content", "tool_calls", "tool_call_id", "loss_weight"})


def messages(row: Row) -> list[tuple[int, dict[str, Any]]]:
    """(index, message) for every message of the row that is an object (listed once
    per row, shared by every rule that reads messages)."""
    return row.message_items()


def path(index: int, key: str | None = None) -> str:
    return f"messages[{index}]" + (f".{key}" if key else "")


def has_tool_calls(message: dict[str, Any]) -> bool:
    return bool(message.get("tool_calls"))
