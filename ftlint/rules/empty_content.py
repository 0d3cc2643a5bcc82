import json
from collections.abc import Iterator
from typing import Any

from ftlint.engine.rows import Row
from ftlint.finding import Finding, Severity
from ftlint.i18n import _
from ftlint.rules._chat import ANSWERS, CHAT_FORMATS, content_text, every_message, has_tool_calls, path
from ftlint.rules.base import Rule, register
from ftlint.rules.examples import CHAT, CHAT_EN, At, Fail, Pass, row


def _chat(*messages: dict[str, Any]) -> str:
    return json.dumps({"messages": list(messages)}, ensure_ascii=False)


_CALL = [{"id": "call_1", "type": "function", "function": {"name": "track_order", "arguments": "{\"order_id\": \"A123\"}"}}]


@register
class EmptyContent(Rule):
    """A message's content is empty or only whitespace.

    An empty user turn gives the model nothing to answer; an empty assistant turn
    trains the model to say nothing. Usually a sign of a broken export. (An assistant
    message that only makes tool calls may be empty.)

    Bad:   {"role": "assistant", "content": ""}
    Good:  {"role": "assistant", "content": "您好，请问有什么可以帮您？"}
    """

    code = "M105"
    slug = "empty-content"
    severity = Severity.WARNING
    formats = CHAT_FORMATS
    examples = (
        Fail([CHAT, row("你好", "")], At(line=2, path="messages[1].content")),
        Fail([row("Where is my order?", "It ships within 24 hours.", " \n\t", "Yes, until it ships.")], At(line=1, path="messages[2].content"),
             note="a whitespace-only user turn in a multi-turn conversation"),
        Fail([_chat({"role": "user", "content": [{"text": "订单 A123 到哪了？"}]}, {"role": "assistant", "content": [{"text": " "}, {"text": ""}]})],
             At(line=1, path="messages[1].content"), note="an array whose text items are all blank"),
        Fail([row("我的快递到哪了？", "<think>\n用户在问物流\n</think>\n\n"),
              '{"messages": [{"role": "user", "content": "Where is my order?"}], "chosen": {"role": "assistant", "content": "<think>The user asks.</think>"}, '
              '"rejected": {"role": "assistant", "content": "No idea."}}'],
             At(line=1, path="messages[1].content"), At(line=2, path="chosen.content"), note="only a think block, no answer after it"),
        Pass([CHAT, CHAT_EN]),
        Pass([_chat({"role": "user", "content": "Where is order A123?"}, {"role": "assistant", "content": "", "tool_calls": _CALL},
                    {"role": "tool", "content": "shipped", "tool_call_id": "call_1"}, {"role": "assistant", "content": "It has shipped."})],
             note="an assistant message that only makes tool calls"),
    )

    def check_row(self, row: Row) -> Iterator[Finding]:
        for where, message in every_message(row):
            content = message.get("content")
            if isinstance(content, list):
                if not content or not all(isinstance(i, dict) and "text" in i for i in content):
                    continue  # an empty array is M104's; an image or video item is content
                content = content_text(content)
            if not isinstance(content, str) or (content and not content.isspace() and not content.startswith("<think>")):
                continue  # not text (M104's), or text with something in it: the common case
            if has_tool_calls(message):
                continue
            role = message.get("role", "message")
            if content.startswith("<think>"):
                answer = content.split("</think>", 1)[1] if "</think>" in content else "…"
                if not answer.strip():
                    yield self.finding(_("{role} content is only a think block: the answer after it is empty").format(role=role), line=row.line, path=path(where, "content"),
                                       hint=_("write the answer after </think>\\n\\n"))
            elif where not in ANSWERS:  # an empty DPO answer is D102's error
                yield self.finding(_("{role} content is empty").format(role=role), line=row.line, path=path(where, "content"))
