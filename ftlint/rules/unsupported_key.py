from collections.abc import Iterator

from ftlint.engine.rows import Row
from ftlint.finding import Finding, Severity
from ftlint.i18n import _
from ftlint.rules._chat import CHAT_FORMATS, every_message, path
from ftlint.rules.base import Rule, register
from ftlint.rules.examples import CHAT, CHAT_EN, At, Fail, Pass

UNSUPPORTED = ("name", "weight")


@register
class UnsupportedKey(Rule):
    """A message uses OpenAI's `name` or `weight` keys, which the platform does not support.

    The platform's tuning guide says so explicitly: OpenAI's `name` and `weight`
    parameters are not supported, and every assistant message is trained. Data
    exported for OpenAI fine-tuning often carries them.

    Bad:   {"role": "assistant", "content": "好的", "weight": 0}
    Good:  {"role": "assistant", "content": "好的"}

    Fix: remove the keys. A message with weight 0 was meant not to be trained:
    rethink it, since here it will be.
    """

    code = "M108"
    slug = "unsupported-key"
    severity = Severity.ERROR
    formats = CHAT_FORMATS
    examples = (
        Fail([CHAT, '{"messages": [{"role": "user", "content": "你好"}, {"role": "assistant", "content": "好的", "weight": 0}]}'],
             At(line=2, path="messages[1].weight")),
        Fail(['{"messages": [{"role": "user", "content": "Where is my order?", "name": "alice"}, '
              '{"role": "assistant", "content": "It ships within 24 hours.", "name": "agent", "weight": 1}]}'],
             At(line=1, path="messages[0].name"), At(line=1, path="messages[1].name"), At(line=1, path="messages[1].weight"),
             note="an OpenAI fine-tuning export"),
        Fail(['{"messages": [{"role": "user", "content": "订单什么时候发货？"}], "chosen": {"role": "assistant", "content": "24 小时内发货。", "name": "客服"}, '
              '"rejected": {"role": "assistant", "content": "不知道。", "weight": 0}}'],
             At(line=1, path="chosen.name"), At(line=1, path="rejected.weight"), note="DPO answers are checked like messages"),
        Pass([CHAT, CHAT_EN]),
    )

    def check_row(self, row: Row) -> Iterator[Finding]:
        for where, message in every_message(row):
            for key in UNSUPPORTED:
                if key in message:
                    hint = _("remove it (ftlint fix FILE -o OUT.jsonl drops it)")
                    if key == "weight" and message[key] == 0:
                        hint = _("remove it (ftlint fix FILE -o OUT.jsonl drops it); note the platform trains every assistant message, weight 0 or not")
                    yield self.finding(_("`{key}` is not supported by the platform").format(key=key), line=row.line, path=path(where, key), hint=hint)
