import json
from collections.abc import Iterator
from typing import Any

from ftlint.engine.rows import Row
from ftlint.finding import Finding, Severity
from ftlint.rules._chat import CHAT_FORMATS, messages, path
from ftlint.rules.base import Rule, register
from ftlint.rules.examples import CHAT, CHAT_EN, At, Fail, Pass


def _chat(*messages: dict[str, Any]) -> str:
    return json.dumps({"messages": list(messages)}, ensure_ascii=False)


@register
class LossWeight(Rule):
    """A message carries `loss_weight`, an invitation-only feature.

    The current platform accepts `loss_weight` on assistant messages, in the range
    (0, 1], only for accounts invited to use it; elsewhere it is ignored or rejected.
    Values outside (0, 1] or on non-assistant messages are reported too.

    Bad:   {"role": "assistant", "content": "好的", "loss_weight": 2}
    Good:  {"role": "assistant", "content": "好的"}
    """

    code = "M111"
    slug = "loss-weight"
    severity = Severity.WARNING
    formats = CHAT_FORMATS
    examples = (
        Fail([CHAT, _chat({"role": "user", "content": "你好"}, {"role": "assistant", "content": "好的", "loss_weight": 2})],
             At(line=2, path="messages[1].loss_weight")),
        Fail([_chat({"role": "user", "content": "Where is my order?", "loss_weight": 1}, {"role": "assistant", "content": "It ships today.", "loss_weight": 0.5},
                    {"role": "user", "content": "Thanks!"}, {"role": "assistant", "content": "You're welcome.", "loss_weight": 0})],
             At(line=1, path="messages[0].loss_weight"), At(line=1, path="messages[1].loss_weight"), At(line=1, path="messages[3].loss_weight"),
             note="on a user message; a valid 0.5 (still invitation-only); 0, outside (0, 1]"),
        Pass([CHAT, CHAT_EN]),
    )

    def check_row(self, row: Row) -> Iterator[Finding]:
        for index, message in messages(row):
            if "loss_weight" not in message:
                continue
            value = message["loss_weight"]
            where = path(index, "loss_weight")
            if message.get("role") != "assistant":
                yield self.finding("loss_weight on a non-assistant message", line=row.line, path=where)
            elif isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value <= 1:
                yield self.finding(f"loss_weight {value!r} is outside (0, 1]", line=row.line, path=where)
            else:
                yield self.finding("loss_weight is invitation-only on the platform", line=row.line, path=where)
