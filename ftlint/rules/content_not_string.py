import json
from collections.abc import Iterator
from typing import Any

from ftlint.engine.rows import Row
from ftlint.finding import Finding, Severity
from ftlint.rules._chat import TEXT_CHAT_FORMATS, has_tool_calls, messages, path
from ftlint.rules._fields import json_type
from ftlint.rules.base import Rule, register
from ftlint.rules.examples import CHAT, CHAT_EN, At, Fail, Pass


def _chat(*messages: dict[str, Any]) -> str:
    return json.dumps({"messages": list(messages)}, ensure_ascii=False)


_CALL = [{"id": "call_1", "type": "function", "function": {"name": "track_order", "arguments": "{\"order_id\": \"A123\"}"}}]


def text_items(content: object) -> bool:
    """A non-empty array of {"text": string} items, each with that one key."""
    return isinstance(content, list) and bool(content) and all(isinstance(i, dict) and len(i) == 1 and isinstance(i.get("text"), str) for i in content)


@register
class ContentNotString(Rule):
    """A message's `content` is missing, or neither a string nor an array of text items.

    In a text dataset (.jsonl) a message's content is a string, or an array of
    `{"text": ...}` items: the tool-calling format the docs give uses arrays, and one
    dataset may mix both. Items with images or video belong to image-understanding
    packages (.zip), where rule I102 checks them instead.
    An assistant message that makes tool calls may leave its content empty.

    Bad:   {"role": "assistant", "content": ["好的"]}
    Good:  {"role": "assistant", "content": "好的"}
    """

    code = "M104"
    slug = "content-not-string"
    severity = Severity.ERROR
    formats = TEXT_CHAT_FORMATS
    examples = (
        Fail([CHAT, _chat({"role": "user", "content": "你好"}, {"role": "assistant", "content": ["好的"]})], At(line=2, path="messages[1].content")),
        Fail([_chat({"role": "user", "content": "Where is my order?"}, {"role": "assistant"}),
              _chat({"role": "user", "content": 42}, {"role": "assistant", "content": None}),
              _chat({"role": "user", "content": [{"image": "cat_1.jpg"}, {"text": "What is this?"}]}, {"role": "assistant", "content": "A cat."})],
             At(line=1, path="messages[1]"), At(line=2, path="messages[0].content"), At(line=2, path="messages[1].content"),
             At(line=3, path="messages[0].content"), note="no content, a number, null without tool calls, an image item in a .jsonl"),
        Pass([CHAT, CHAT_EN, _chat({"role": "user", "content": [{"text": "查一下订单 A123"}]}, {"role": "assistant", "content": [{"text": "好的。"}, {"text": "马上查询。"}]})],
             note="strings, and arrays of text items"),
        Pass([_chat({"role": "user", "content": "Where is order A123?"}, {"role": "assistant", "content": None, "tool_calls": _CALL},
                    {"role": "tool", "content": "shipped", "tool_call_id": "call_1"}, {"role": "assistant", "content": "It has shipped."}),
              _chat({"role": "user", "content": "订单 A123 到哪了？"}, {"role": "assistant", "tool_calls": _CALL},
                    {"role": "tool", "content": "已发货", "tool_call_id": "call_1"}, {"role": "assistant", "content": "已经发货了。"})],
             note="an assistant message making tool calls may have null or no content"),
    )

    def check_row(self, row: Row) -> Iterator[Finding]:
        for index, message in messages(row):
            if "content" not in message:
                if not has_tool_calls(message):
                    yield self.finding("message has no content", line=row.line, path=path(index))
                continue
            content = message["content"]
            if isinstance(content, str) or (content is None and has_tool_calls(message)) or text_items(content):
                continue
            hint = None
            if isinstance(content, list):
                hint = "in a .jsonl, an array holds only {\"text\": ...} items; images and video belong in a package (.zip)"
            yield self.finding(f"content is {json_type(content)}, not a string", line=row.line, path=path(index, "content"), hint=hint)
