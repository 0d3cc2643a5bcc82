import json
from collections.abc import Iterator

from ftlint.engine.rows import Row
from ftlint.finding import Finding, Severity
from ftlint.i18n import _
from ftlint.rules._chat import CHAT_FORMATS
from ftlint.rules._fields import json_type
from ftlint.rules.base import Rule, register
from ftlint.rules.examples import CHAT, CHAT_EN, At, Fail, Pass

_ANSWERS = {"chosen": {"role": "assistant", "content": "好的，马上为您查询。"}, "rejected": {"role": "assistant", "content": "不知道。"}}


@register
class MessagesNotList(Rule):
    """`messages` is missing, not a list, or empty.

    An SFT or DPO row carries its conversation in `messages`, a non-empty list of
    message objects.

    Bad:   {"messages": {"role": "user", "content": "你好"}}
    Good:  {"messages": [{"role": "user", "content": "你好"}, {"role": "assistant", "content": "你好！"}]}
    """

    code = "M101"
    slug = "messages-not-list"
    severity = Severity.ERROR
    formats = CHAT_FORMATS
    examples = (
        Fail([CHAT, json.dumps({"messages": {"role": "user", "content": "你好"}}, ensure_ascii=False)], At(line=2, path="messages")),
        Fail(['{"messages": []}', CHAT_EN], At(line=1, path="messages"), note="an empty list"),
        Fail([json.dumps({"messages": None, **_ANSWERS}, ensure_ascii=False), json.dumps(_ANSWERS, ensure_ascii=False)],
             At(line=1, path="messages"), At(line=2, path="messages"), note="DPO rows: null messages, and none at all"),
        Pass([CHAT, CHAT_EN]),
    )

    def check_row(self, row: Row) -> Iterator[Finding]:
        if "messages" not in row.data:
            yield self.finding(_("the row has no `messages`"), line=row.line, path="messages")
            return
        value = row.data["messages"]
        if not isinstance(value, list):
            yield self.finding(_("`messages` is {json_type}, not a list").format(json_type=json_type(value)), line=row.line, path="messages")
        elif not value:
            yield self.finding(_("`messages` is empty"), line=row.line, path="messages", hint=_("add the conversation, or drop the row"))
