import json
from collections.abc import Iterator
from typing import Any

from ftlint.engine.rows import Row
from ftlint.finding import Finding, Severity
from ftlint.rules._chat import CHAT_FORMATS, messages, path
from ftlint.rules.base import Rule, register
from ftlint.rules.examples import CHAT, CHAT_EN, At, Fail, Pass

OPEN, CLOSE = "<think>", "</think>"


def _chat(*turns: tuple[str, str], **extra: Any) -> str:
    """A row of (role, content) turns."""
    return json.dumps({"messages": [{"role": role, "content": text} for role, text in turns], **extra}, ensure_ascii=False)


_Q = ("user", "我的快递到哪了？")


@register
class ThinkingFormat(Rule):
    """Thinking data (`<think>` blocks) is not in the platform's exact form.

    Only the last assistant message may carry thinking, at the very start of its
    content, with these newlines exactly:

        <think>\\n{reasoning}\\n</think>\\n\\n{answer}

    `<think>\\n\\n</think>\\n\\n{answer}` means "no thinking". Earlier assistant turns carry
    no think tags (the chat templates strip them from history). CRLF newlines, a
    missing blank line after `</think>`, or text before `<think>` make the tags plain text.

    Bad:   {"role": "assistant", "content": "<think>用户在问物流</think>好的"}
    Good:  {"role": "assistant", "content": "<think>\\n用户在问物流\\n</think>\\n\\n好的"}
    """

    code = "M110"
    slug = "thinking-format"
    severity = Severity.ERROR
    formats = CHAT_FORMATS
    examples = (
        Fail([CHAT, _chat(_Q, ("assistant", "<think>用户在问物流</think>好的"))], At(line=2, path="messages[1].content")),
        Fail([_chat(_Q, ("assistant", "<think>\r\n用户在问物流\r\n</think>\r\n\r\n好的")),
              _chat(_Q, ("assistant", "<think>\n用户在问物流\n</think>\n好的")),
              _chat(_Q, ("assistant", "好的<think>\n用户在问物流\n</think>\n\n")),
              _chat(_Q, ("assistant", "<think>\n用户在问物流\n\n好的"))],
             At(line=1, path="messages[1].content"), At(line=2, path="messages[1].content"), At(line=3, path="messages[1].content"),
             At(line=4, path="messages[1].content"), note="CRLF, one newline after </think>, text before <think>, never closed"),
        Fail([_chat(("user", "Where is my order?"), ("assistant", "<think>\nThe user asks about shipping.\n</think>\n\nIt ships today."),
                    ("user", "Can I change the address?"), ("assistant", "<think>\nAddress change.\n</think>\n\nYes, until it ships."))],
             At(line=1, path="messages[1].content"), note="think tags in an earlier assistant turn"),
        Pass([CHAT, CHAT_EN, _chat(_Q, ("assistant", "<think>\n用户在问物流\n</think>\n\n好的，我来查一下。"))]),
        Pass([_chat(("user", "Where is my order?"), ("assistant", "It ships within 24 hours."), ("user", "Can I change the address?"),
                    ("assistant", "<think>\n\n</think>\n\nYes, until it ships."))],
             note="an empty think block means no thinking; earlier turns carry no tags"),
    )

    def check_row(self, row: Row) -> Iterator[Finding]:
        assistants = [(i, m) for i, m in messages(row) if m.get("role") == "assistant" and isinstance(m.get("content"), str)]
        if not assistants:
            return
        last_index = assistants[-1][0]
        for index, message in assistants:
            content = message["content"]
            if OPEN not in content and CLOSE not in content:
                continue
            where = path(index, "content")
            if index != last_index or row.format == "dpo":
                yield self.finding(
                    "think tags in an assistant turn that is not the last one",
                    line=row.line,
                    path=where,
                    hint="keep <think> only in the final assistant message",
                )
                continue
            problem = _problem(content)
            if problem:
                yield self.finding(problem, line=row.line, path=where, hint="write <think>\\n…\\n</think>\\n\\n then the answer")


def _problem(content: str) -> str | None:
    if not content.startswith(OPEN):
        return "<think> must open the content" if OPEN in content else "</think> without an opening <think>"
    if content.count(OPEN) > 1 or content.count(CLOSE) > 1:
        return "more than one think block"
    if CLOSE not in content:
        return "<think> is never closed with </think>"
    if not content.startswith(OPEN + "\n") or content.startswith(OPEN + "\r"):
        return "<think> must be followed by exactly one newline"
    end = content.index(CLOSE)
    if content[end - 1] != "\n" or (end >= 2 and content[end - 2] == "\r"):
        return "</think> must stand on its own line (a newline before it)"
    after = content[end + len(CLOSE) :]
    if not after.startswith("\n\n") or after.startswith("\n\n\n"):
        return "</think> must be followed by exactly two newlines, then the answer"
    return None
