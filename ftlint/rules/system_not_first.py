import json
from collections.abc import Iterator

from ftlint.engine.rows import Row
from ftlint.finding import Finding, Severity
from ftlint.i18n import _
from ftlint.rules._chat import CHAT_FORMATS, messages, path
from ftlint.rules.base import Rule, register
from ftlint.rules.examples import CHAT, CHAT_EN, At, Fail, Pass


def _chat(*turns: tuple[str, str]) -> str:
    return json.dumps({"messages": [{"role": role, "content": text} for role, text in turns]}, ensure_ascii=False)


_SYSTEM = ("system", "你是一家网店的客服。")


@register
class SystemNotFirst(Rule):
    """A system message stands anywhere but first.

    The system message is optional and, when present, must be the first message. To
    change instructions mid-conversation, put them in a user turn.

    Bad:   [{"role": "user", ...}, {"role": "system", ...}, {"role": "assistant", ...}]
    Good:  [{"role": "system", ...}, {"role": "user", ...}, {"role": "assistant", ...}]
    """

    code = "M106"
    slug = "system-not-first"
    severity = Severity.ERROR
    formats = CHAT_FORMATS
    examples = (
        Fail([CHAT, _chat(("user", "我的订单什么时候发货？"), _SYSTEM, ("assistant", "您好，订单将在 24 小时内发货。"))], At(line=2, path="messages[1].role")),
        Fail([_chat(("system", "You are a support agent."), ("user", "Where is my order?"), ("assistant", "It ships within 24 hours."),
                    ("system", "From now on, answer in French."), ("user", "Can I change the address?"), ("assistant", "Oui, avant l'expédition."))],
             At(line=1, path="messages[3].role"), note="an instruction change mid-conversation"),
        Pass([CHAT, CHAT_EN, _chat(_SYSTEM, ("user", "我的订单什么时候发货？"), ("assistant", "您好，订单将在 24 小时内发货。"))]),
    )

    def check_row(self, row: Row) -> Iterator[Finding]:
        for index, message in messages(row):
            if index > 0 and message.get("role") == "system":
                yield self.finding(
                    _("system message at position {value}; only the first message may be system").format(value=index + 1),
                    line=row.line,
                    path=path(index, "role"),
                    hint=_("move it to the front, or merge it into the first system message"),
                )
