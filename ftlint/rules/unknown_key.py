from collections.abc import Iterator

from ftlint.engine.rows import Row
from ftlint.finding import Finding, Severity
from ftlint.i18n import _
from ftlint.rules._chat import CHAT_FORMATS, MESSAGE_KEYS, every_message, path
from ftlint.rules.base import Rule, register
from ftlint.rules.examples import CHAT, CHAT_EN, At, Fail, Pass
from ftlint.rules.unsupported_key import UNSUPPORTED


@register
class UnknownKey(Rule):
    """A message has a key the platform does not define.

    A message holds `role` and `content` (plus `tool_calls` / `tool_call_id` for tool
    calling). Other keys are not trained on. A common one is `reasoning_content`: this
    platform has no such field; thinking goes inside the last assistant content as
    `<think>\\n…\\n</think>\\n\\n` (rule M110).

    Bad:   {"role": "assistant", "content": "好的", "reasoning_content": "用户在问物流"}
    Good:  {"role": "assistant", "content": "<think>\\n用户在问物流\\n</think>\\n\\n好的"}
    """

    code = "M109"
    slug = "unknown-key"
    severity = Severity.WARNING
    formats = CHAT_FORMATS
    examples = (
        Fail([CHAT, '{"messages": [{"role": "user", "content": "我的快递到哪了？"}, {"role": "assistant", "content": "好的", "reasoning_content": "用户在问物流"}]}'],
             At(line=2, path="messages[1].reasoning_content")),
        Fail(['{"messages": [{"role": "user", "content": "Where is my order?", "timestamp": 1718000000}, {"role": "assistant", "content": "It ships today.", "lossweight": 0.5}]}'],
             At(line=1, path="messages[0].timestamp"), At(line=1, path="messages[1].lossweight"), note="an extra field, and a misspelt one"),
        Fail(['{"messages": [{"role": "user", "content": "Where is my order?"}], "chosen": {"role": "assistant", "content": "It ships today.", "reasoning_content": "Check the order."}, '
              '"rejected": {"role": "assistant", "content": "No idea."}}'],
             At(line=1, path="chosen.reasoning_content"), note="DPO answers are checked like messages"),
        Pass([CHAT, CHAT_EN, '{"messages": [{"role": "user", "content": "你好"}, {"role": "assistant", "content": "<think>\\n用户在打招呼\\n</think>\\n\\n您好！"}]}']),
        Pass(['{"messages": [{"role": "user", "content": "Where is my order?", "name": "alice"}, {"role": "assistant", "content": "", "tool_calls": '
              '[{"id": "call_1", "type": "function", "function": {"name": "track_order", "arguments": "{}"}}]}, '
              '{"role": "tool", "content": "shipped", "tool_call_id": "call_1"}, {"role": "assistant", "content": "It has shipped.", "loss_weight": 1}]}'],
             note="tool-calling keys and loss_weight are defined; name and weight are M108's"),
    )

    def check_row(self, row: Row) -> Iterator[Finding]:
        for where, message in every_message(row):
            for key in message:
                if key in MESSAGE_KEYS or key in UNSUPPORTED:
                    continue
                hint = _("remove it, or check the spelling")
                if key == "reasoning_content":
                    hint = _("move the reasoning into the content as <think>\\n…\\n</think>\\n\\n")
                yield self.finding(_("unknown message key {key!r}").format(key=key), line=row.line, path=path(where, key), hint=hint)
