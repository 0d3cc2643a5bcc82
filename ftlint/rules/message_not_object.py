from collections.abc import Iterator

from ftlint.engine.rows import Row
from ftlint.finding import Finding, Severity
from ftlint.i18n import _
from ftlint.rules._chat import CHAT_FORMATS, path
from ftlint.rules.base import Rule, register
from ftlint.rules.examples import CHAT, CHAT_EN, At, Fail, Pass


@register
class MessageNotObject(Rule):
    """A message is not a JSON object.

    Each item of `messages` must be an object with `role` and `content`; a string, a
    list or null there is a broken conversation.

    Bad:   {"messages": ["你好", "你好！"]}
    Good:  {"messages": [{"role": "user", "content": "你好"}, {"role": "assistant", "content": "你好！"}]}
    """

    code = "M102"
    slug = "message-not-object"
    severity = Severity.ERROR
    formats = CHAT_FORMATS
    examples = (
        Fail([CHAT, '{"messages": ["你好", "你好！"]}'], At(line=2, path="messages[0]"), At(line=2, path="messages[1]")),
        Fail(['{"messages": [{"role": "user", "content": "Where is my order?"}, null, [{"role": "assistant", "content": "It ships today."}]]}'],
             At(line=1, path="messages[1]"), At(line=1, path="messages[2]"), note="null and a nested list"),
        Pass([CHAT, CHAT_EN]),
    )

    def check_row(self, row: Row) -> Iterator[Finding]:
        for index, message in enumerate(row.messages() or ()):
            if not isinstance(message, dict):
                yield self.finding(_("message is not an object"), line=row.line, path=path(index))
