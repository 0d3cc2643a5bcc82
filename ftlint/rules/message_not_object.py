from ftlint.finding import Severity
from ftlint.rules._chat import CHAT_FORMATS, path
from ftlint.rules.base import Rule, register


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

    def check_row(self, row):
        for index, message in enumerate(row.messages() or ()):
            if not isinstance(message, dict):
                yield self.finding("message is not an object", line=row.line, path=path(index))
