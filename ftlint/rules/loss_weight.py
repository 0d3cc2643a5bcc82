from ftlint.finding import Severity
from ftlint.rules._chat import CHAT_FORMATS, messages, path
from ftlint.rules.base import Rule, register


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

    def check_row(self, row):
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
