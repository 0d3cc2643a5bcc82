from ftlint.finding import Severity
from ftlint.rules._chat import CHAT_FORMATS
from ftlint.rules._fields import json_type
from ftlint.rules.base import Rule, register


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

    def check_row(self, row):
        if "messages" not in row.data:
            yield self.finding("the row has no `messages`", line=row.line, path="messages")
            return
        value = row.data["messages"]
        if not isinstance(value, list):
            yield self.finding(f"`messages` is {json_type(value)}, not a list", line=row.line, path="messages")
        elif not value:
            yield self.finding("`messages` is empty", line=row.line, path="messages", hint="add the conversation, or drop the row")
