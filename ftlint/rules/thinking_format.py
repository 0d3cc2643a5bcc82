import json
from collections.abc import Iterator
from typing import Any

from ftlint.engine.rows import DPO, Row
from ftlint.finding import Finding, Severity
from ftlint.i18n import _
from ftlint.rules._chat import CHAT_FORMATS, content_text, every_message, last_assistant, path
from ftlint.rules.base import Rule, register
from ftlint.rules.examples import CHAT, CHAT_EN, At, Fail, Pass

OPEN, CLOSE = "<think>", "</think>"


def _dpo(chosen: str, rejected: str = "不知道。") -> str:
    return json.dumps({"messages": [{"role": "user", "content": "我的快递到哪了？"}], "chosen": {"role": "assistant", "content": chosen},
                       "rejected": {"role": "assistant", "content": rejected}}, ensure_ascii=False)


def _chat(*turns: tuple[str, str], **extra: Any) -> str:
    """A row of (role, content) turns."""
    return json.dumps({"messages": [{"role": role, "content": text} for role, text in turns], **extra}, ensure_ascii=False)


_Q = ("user", "我的快递到哪了？")


@register
class ThinkingFormat(Rule):
    """Thinking data (`<think>` blocks) is not in the platform's exact form.

    Only the last assistant message may carry thinking, at the very start of its
    content (for an array of text items, of its text), with these newlines exactly:

        <think>\\n{reasoning}\\n</think>\\n\\n{answer}

    `<think>\\n\\n</think>\\n\\n{answer}` means "no thinking". Earlier assistant turns carry
    no think tags (the chat templates strip them from history, and the platform trains
    only the last turn of a thinking row). CRLF newlines, a missing blank line after
    `</think>`, or text before `<think>` make the tags plain text.

    DPO: `chosen` and `rejected` may carry thinking; `messages` may not. The docs
    disagree on the DPO form: the data-format page gives the newline form above, the
    overview, API guide, console guide and dataset pages give `<think>…</think>answer`
    without newlines. Both render to the same training text under the Qwen3 and
    qwen3.5 chat templates (they split at `</think>` and write the newlines
    themselves), so both pass by default; `--dpo-think-format newlines` (configuration
    `dpo-think-format`) accepts only the newline form.

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
        Fail([json.dumps({"messages": [{"role": "user", "content": [{"text": "订单 A123 到哪了？"}]}, {"role": "assistant", "content": [{"text": "<think>\n查物流\n</think>\n好的"}]}]},
                         ensure_ascii=False)],
             At(line=1, path="messages[1].content"), note="a content array: its text is checked"),
        Fail([_dpo("<think>\n用户在问物流\n</think>\n好的"), _dpo("预计明天送达。", "<think>用户在问物流</think>\n\n不知道。"),
              json.dumps({"messages": [{"role": "user", "content": "你好"}, {"role": "assistant", "content": "<think>\n打招呼\n</think>\n\n你好！"},
                                       {"role": "user", "content": "我的快递到哪了？"}],
                          "chosen": {"role": "assistant", "content": "在路上。"}, "rejected": {"role": "assistant", "content": "不知道。"}}, ensure_ascii=False)],
             At(line=1, path="chosen.content"), At(line=2, path="rejected.content"), At(line=3, path="messages[1].content"),
             note="DPO: one newline after </think>; a mix of both forms; thinking in messages"),
        Fail([_dpo("<think>用户在问物流</think>预计明天送达。")], At(line=1, path="chosen.content"), options={"dpo_think_format": "newlines"},
             note="the compact DPO form with --dpo-think-format newlines"),
        Pass([CHAT, CHAT_EN, _chat(_Q, ("assistant", "<think>\n用户在问物流\n</think>\n\n好的，我来查一下。"))]),
        Pass([_chat(("user", "Where is my order?"), ("assistant", "It ships within 24 hours."), ("user", "Can I change the address?"),
                    ("assistant", "<think>\n\n</think>\n\nYes, until it ships."))],
             note="an empty think block means no thinking; earlier turns carry no tags"),
        Pass([_dpo("<think>用户在问物流</think>预计明天送达。", "<think>\n随便答\n</think>\n\n不知道。")], note="DPO: both documented forms pass by default"),
    )

    def check_row(self, row: Row) -> Iterator[Finding]:
        if not row.may_hold(b"think>"):
            return
        last = last_assistant(row)
        last_where = last[0] if last else None
        for where, message in every_message(row):
            if message.get("role") != "assistant":
                continue
            text = content_text(message.get("content"))
            if text is None or (OPEN not in text and CLOSE not in text):
                continue
            answer = where in ("chosen", "rejected")
            if answer != (row.format == DPO) or (not answer and where != last_where):
                yield self.finding(
                    _("think tags in `messages` of a DPO row: only chosen and rejected may carry thinking") if row.format == DPO
                    else _("think tags in an assistant turn that is not the last one"),
                    line=row.line,
                    path=path(where, "content"),
                    hint="keep <think> only in the final answer" + (_(" (chosen / rejected)") if row.format == DPO else ""),
                )
                continue
            compact = answer and self.options.dpo_think_format == "either"
            if compact and _compact(text):
                continue
            problem = _problem(text)
            if problem:
                hint = "write <think>\\n…\\n</think>\\n\\n then the answer" + (_(", or <think>…</think> then the answer with no newlines") if compact else "")
                yield self.finding(problem, line=row.line, path=path(where, "content"), hint=hint)


def _compact(content: str) -> bool:
    """`<think>{reasoning}</think>{answer}` with no newline at the tags (the DPO form of
    the overview, API guide, console guide and dataset pages)."""
    if not content.startswith(OPEN) or content.count(OPEN) != 1 or content.count(CLOSE) != 1:
        return False
    end = content.index(CLOSE)
    inside, after = content[len(OPEN) : end], content[end + len(CLOSE) :]
    return not inside[:1].isspace() and not inside[-1:].isspace() and not after[:1].isspace()


def _problem(content: str) -> str | None:
    if not content.startswith(OPEN):
        return "<think> must open the content" if OPEN in content else "</think> without an opening <think>"
    if content.count(OPEN) > 1 or content.count(CLOSE) > 1:
        return _("more than one think block")
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
