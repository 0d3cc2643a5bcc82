"""Helpers shared by the rules that read ChatML `messages`."""

from __future__ import annotations

from typing import Any

from ftlint.engine.rows import DPO, IMAGE_MESSAGES, MESSAGES, RL_PROMPT, Row
from ftlint.platform.conversations import content_text, is_thinking_row, last_assistant

__all__ = ["content_text", "is_thinking_row", "last_assistant"]  # re-exported for the rules

CHAT_FORMATS = frozenset({MESSAGES, DPO, IMAGE_MESSAGES, RL_PROMPT})
SFT_FORMATS = frozenset({MESSAGES, IMAGE_MESSAGES})
TEXT_CHAT_FORMATS = frozenset({MESSAGES, DPO, RL_PROMPT})  # .jsonl rows (not an image package)
ROLES = ("system", "user", "assistant", "tool")
# Message keys the platform defines. `name` and `weight` (OpenAI's) are rejected by
# their own rule; loss_weight has its own rule too.
MESSAGE_KEYS = frozenset({"role", "content", "tool_calls", "tool_call_id", "loss_weight"})
ANSWERS = ("chosen", "rejected")  # a DPO row's two answers, each one assistant message


def messages(row: Row) -> list[tuple[int, dict[str, Any]]]:
    """(index, message) for every message of the row's `messages` that is an object,
    in order (listed once per row, shared by every rule that reads messages)."""
    return row.message_items()


def every_message(row: Row) -> list[tuple[int | str, dict[str, Any]]]:
    """(where, message) for every message object of the row: `messages` by index, then
    a DPO row's `chosen` and `rejected` by name, so that the answers get the checks
    messages get (listed once per row). `path(where, key)` gives the JSON path."""
    return row.every_message()


def path(where: int | str, key: str | None = None) -> str:
    """The JSON path of a message (by its index in `messages`, or its own path) or of
    one of its keys."""
    base = f"messages[{where}]" if isinstance(where, int) else where
    return base + (f".{key}" if key else "")


def has_tool_calls(message: dict[str, Any]) -> bool:
    return bool(message.get("tool_calls"))
