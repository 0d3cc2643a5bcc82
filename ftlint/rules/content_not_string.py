import dataclasses
import json
from collections.abc import Iterator
from typing import Any

from ftlint.engine.rows import MESSAGES, Row
from ftlint.finding import Finding, Severity
from ftlint.i18n import _
from ftlint.rules._chat import TEXT_CHAT_FORMATS, every_message, has_tool_calls, path
from ftlint.rules._fields import json_type
from ftlint.rules._tools import ORDER
from ftlint.rules.base import Rule, register
from ftlint.rules.examples import CHAT, CHAT_EN, At, Fail, Pass


def _chat(*messages: dict[str, Any], **extra: Any) -> str:
    return json.dumps({"messages": list(messages), **extra}, ensure_ascii=False)


_CALL = [{"id": "call_1", "type": "function", "function": {"name": "track_order", "arguments": "{\"order_id\": \"A123\"}"}}]
_TOOLS = [{"type": "function", "function": {"name": "track_order", "parameters": {"type": "object", "properties": {"order_id": {"type": "string"}}}}}]


def text_items(content: object) -> bool:
    """A non-empty array of {"text": string} items, each with that one key."""
    return isinstance(content, list) and bool(content) and all(isinstance(i, dict) and len(i) == 1 and isinstance(i.get("text"), str) for i in content)


@register
class ContentNotString(Rule):
    """A message's `content` is missing, or neither a string nor an array of text items.

    In an SFT text dataset (.jsonl) a message's content is a string, or an array of
    `{"text": ...}` items (the form the docs give for tool calling; one dataset may mix
    both). Each item has exactly one key, `text`, holding a string, and the array is
    not empty. Items with images or video belong to image-understanding packages
    (.zip), where rule I102 checks them. DPO and RL rows take strings only.
    An assistant message that makes tool calls with null or no content is a warning:
    the docs' example gives that turn content too, and what the platform does without
    it is not documented. So is a tool-calling row whose contents are strings (once per
    row): the docs give tool rows in the VL format, every content an array.

    Bad:   {"role": "assistant", "content": ["好的"]}
    Good:  {"role": "assistant", "content": "好的"} or [{"text": "好的"}]
    """

    code = "M104"
    slug = "content-not-string"
    severity = Severity.ERROR
    formats = TEXT_CHAT_FORMATS
    examples = (
        Fail([CHAT, _chat({"role": "user", "content": "你好"}, {"role": "assistant", "content": ["好的"]})], At(line=2, path="messages[1].content[0]")),
        Fail([_chat({"role": "user", "content": "Where is my order?"}, {"role": "assistant"}),
              _chat({"role": "user", "content": 42}, {"role": "assistant", "content": None}),
              _chat({"role": "user", "content": [{"image": "cat_1.jpg"}, {"text": "What is this?"}]}, {"role": "assistant", "content": "A cat."})],
             At(line=1, path="messages[1]"), At(line=2, path="messages[0].content"), At(line=2, path="messages[1].content"),
             At(line=3, path="messages[0].content[0]"), note="no content, a number, null without tool calls, an image item in a .jsonl"),
        Fail([_chat({"role": "user", "content": []}, {"role": "assistant", "content": [{"type": "text", "text": "好的"}]}),
              _chat({"role": "user", "content": [{"text": "Where is order A123?"}, {"text": None}]}, {"role": "assistant", "content": [{"text": "Shipped."}, "Thanks!"]})],
             At(line=1, path="messages[0].content"), At(line=1, path="messages[1].content[0]"),
             At(line=2, path="messages[0].content[1].text"), At(line=2, path="messages[1].content[1]"),
             note="an empty array; OpenAI's {type, text} items; a null text; a bare string item"),
        Fail([json.dumps({"messages": [{"role": "user", "content": [{"text": "订单 A123 到哪了？"}]}],
                          "chosen": {"role": "assistant", "content": [{"text": "正在运输中。"}]}, "rejected": {"role": "assistant", "content": 3}}, ensure_ascii=False)],
             At(line=1, path="messages[0].content"), At(line=1, path="chosen.content"), At(line=1, path="rejected.content"),
             note="a DPO row: content arrays are for SFT rows; chosen and rejected are checked like messages"),
        Fail([_chat({"role": "user", "content": "Where is order A123?"}, {"role": "assistant", "content": None, "tool_calls": _CALL},
                    {"role": "tool", "content": "shipped", "tool_call_id": "call_1"}, {"role": "assistant", "content": "It has shipped."}, tools=_TOOLS)],
             At(line=1, path="messages[0].content", severity=Severity.WARNING), At(line=1, path="messages[1].content", severity=Severity.WARNING),
             note="warnings: a tool row with string content (once per row); null content on a tool-call turn (undocumented)"),
        Pass([CHAT, CHAT_EN, ORDER, _chat({"role": "user", "content": [{"text": "查一下订单 A123"}]}, {"role": "assistant", "content": [{"text": "好的。"}, {"text": "马上查询。"}]})],
             note="strings, and arrays of text items (the documented tool-calling row)"),
    )

    def check_row(self, row: Row) -> Iterator[Finding]:
        if row.format == MESSAGES and row.has_tool_calls:
            yield from self._tool_row_strings(row)
        for where, message in every_message(row):
            if "content" not in message or message["content"] is None:
                if has_tool_calls(message):
                    yield dataclasses.replace(
                        self.finding(_("a tool-call turn without content: undocumented"), line=row.line, path=path(where, "content" if "content" in message else None),
                                     hint=_("the docs' example gives that turn content: write \"content\": [{\"text\": \"\"}] (or your text before the call)")),
                        severity=Severity.WARNING,
                    )
                elif "content" not in message:
                    yield self.finding(_("message has no content"), line=row.line, path=path(where))
                else:
                    yield self.finding(_("content is null, not a string"), line=row.line, path=path(where, "content"))
                continue
            content = message["content"]
            if isinstance(content, str):
                continue
            where_content = path(where, "content")
            if not isinstance(content, list):
                yield self.finding(_("content is {json_type}, not a string").format(json_type=json_type(content)), line=row.line, path=where_content)
            elif row.format != MESSAGES:
                yield self.finding(_("a content array in a {format} row: arrays are allowed in SFT rows only (tool calling, image packages)").format(format=row.format),
                                   line=row.line, path=where_content, hint=_("write the content as one string"))
            elif not content:
                yield self.finding(_("content is an empty array"), line=row.line, path=where_content, hint=_("write \"\" or [{\"text\": \"...\"}]"))
            else:
                yield from self._items(row.line, where_content, content)

    def _tool_row_strings(self, row: Row) -> Iterator[Finding]:
        """One warning per tool-calling row whose contents are strings: the docs give
        tool rows in the VL format, every content an array of text items."""
        for where, message in every_message(row):
            if isinstance(message.get("content"), str):
                yield dataclasses.replace(
                    self.finding(_("a tool-calling row with string content: the docs give every content of a tool row as an array of text items"),
                                 line=row.line, path=path(where, "content"),
                                 hint=_("write [{\"text\": \"...\"}] (ftlint convert --from openai writes tool rows so)")),
                    severity=Severity.WARNING,
                )
                return

    def _items(self, line: int, where: str, content: list[Any]) -> Iterator[Finding]:
        for number, item in enumerate(content):
            at = f"{where}[{number}]"
            if not isinstance(item, dict):
                yield self.finding(_("an item is {json_type}, not an object").format(json_type=json_type(item)), line=line, path=at, hint=_("write {\"text\": \"...\"}"))
            elif "image" in item or "video" in item:
                yield self.finding(_("an image or video item in a .jsonl"), line=line, path=at,
                                   hint=_("images and video belong in an image-understanding package (.zip with data.jsonl and the files)"))
            elif list(item) != ["text"]:
                keys = ", ".join(repr(k) for k in item)
                yield self.finding(_("an item has the keys {keys}; a text item has exactly one key, 'text'").format(keys=keys), line=line, path=at,
                                   hint=_("write {\"text\": \"...\"} (the platform's items carry no \"type\")"))
            elif not isinstance(item["text"], str):
                yield self.finding(_("`text` is {json_type}, not a string").format(json_type=json_type(item['text'])), line=line, path=f"{at}.text")
