"""Every row format as the conversation(s) the platform trains on.

SFT messages are used as they are; a DPO row is two conversations (messages+chosen and
messages+rejected); prompt/completion and legacy Human/Assistant text become the
equivalent user/assistant conversation; CPT text is plain text with no template.
"""

from __future__ import annotations

from typing import Any

from ftlint.engine.rows import CPT_TEXT, DPO, IMAGE_MESSAGES, LEGACY_MARKER, LEGACY_TEXT, MESSAGES, PROMPT_COMPLETION, Row

SFT = frozenset({MESSAGES, IMAGE_MESSAGES})

ROLE_OF_MARKER = {"Human": "user", "Assistant": "assistant"}


def _messages(value: Any) -> list[dict[str, Any]]:
    return [m for m in value if isinstance(m, dict)] if isinstance(value, list) else []


def _text_only(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Messages with their content arrays ([{"text": …}, {"image": …}]) as the text the
    template renders: the text items joined (images are counted separately)."""
    out = []
    for m in messages:
        content = m.get("content")
        if isinstance(content, list):
            m = {**m, "content": content_text(content)}
        out.append(m)
    return out


def legacy_turns(text: str) -> list[dict[str, Any]]:
    """`\\n\\nHuman: …\\n\\nAssistant: …` as messages (surrounding whitespace dropped)."""
    markers = list(LEGACY_MARKER.finditer(text))
    turns = []
    for number, marker in enumerate(markers):
        end = markers[number + 1].start() if number + 1 < len(markers) else len(text)
        turns.append({"role": ROLE_OF_MARKER[marker.group(1)], "content": text[marker.end() : end].strip()})
    return turns


def conversations_of(row: Row) -> list[tuple[str, Any, list[Any] | None]]:
    """(kind, value, tools) pairs: kind "chat" with a message list, or "text"."""
    data = row.data
    fmt = row.format
    if fmt == DPO:
        messages = _messages(data.get("messages"))
        out: list[tuple[str, Any, list[Any] | None]] = [("chat", messages + [data[k]], None) for k in ("chosen", "rejected") if isinstance(data.get(k), dict)]
        return out or [("chat", messages, None)]
    if fmt == PROMPT_COMPLETION:
        return [("chat", [{"role": "user", "content": data.get("prompt")}, {"role": "assistant", "content": data.get("completion")}], None)]
    if fmt == LEGACY_TEXT:
        text = data.get("text")
        return [("chat", legacy_turns(text) if isinstance(text, str) else [], None)]
    if fmt == CPT_TEXT:
        text = data.get("text")
        return [("text", text if isinstance(text, str) else "", None)]
    if fmt == IMAGE_MESSAGES:
        return [("chat", _text_only(_messages(data.get("messages"))), None)]
    tools = data.get("tools") if isinstance(data.get("tools"), list) else None
    return [("chat", _text_only(_messages(data.get("messages"))), tools)]


def texts_of(row: Row) -> list[str] | None:
    """Every string the template renders from the row, or None when the row renders
    text that is not in it (tool definitions and calls, reasoning_content)."""
    if "tools" in row.data:
        return None
    texts: list[str] = []
    for kind, value, _ in conversations_of(row):
        if kind == "text":
            texts.append(value)
            continue
        for message in value:
            if "tool_calls" in message or "reasoning_content" in message:
                return None
            for key in ("role", "content"):
                if isinstance(message.get(key), str):
                    texts.append(message[key])
    return texts


def content_text(content: Any) -> str | None:
    """The text a message's content renders as: a string as it is, an array's text
    items joined (images and video render as placeholders, not text); None for
    anything else."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "".join(item["text"] for item in content if isinstance(item, dict) and isinstance(item.get("text"), str))
    return None


def last_assistant(row: Row) -> tuple[int, dict[str, Any]] | None:
    """(index, message) of the last assistant message of `messages`."""
    for index, message in reversed(row.message_items()):
        if message.get("role") == "assistant":
            return index, message
    return None


def is_thinking_row(row: Row) -> bool:
    """An SFT row whose last assistant turn opens with `<think>`: the platform then
    trains that turn only."""
    if row.format not in SFT or not row.may_hold(b"<think>"):
        return False
    last = last_assistant(row)
    text = content_text(last[1].get("content")) if last else None
    return text is not None and text.startswith("<think>")


def untrained_turns(row: Row) -> int:
    """Assistant turns of a thinking row that are not trained (all but the last)."""
    if not is_thinking_row(row):
        return 0
    return sum(1 for _, m in row.message_items() if m.get("role") == "assistant") - 1


def thinks(row: Row) -> bool:
    """The row carries thinking: a thinking SFT row, or a DPO answer with <think>."""
    if not row.may_hold(b"<think>"):
        return False
    if row.format == DPO:
        return any("<think>" in (content_text(m.get("content")) or "") for where, m in row.every_message() if where in ("chosen", "rejected"))
    return is_thinking_row(row)


def loss_weights(row: Row) -> int:
    """How many messages of the row (DPO answers included) carry loss_weight."""
    if not row.may_hold(b"loss_weight"):
        return 0
    return sum(1 for _, m in row.every_message() if "loss_weight" in m)
