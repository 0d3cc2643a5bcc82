from ftlint.finding import Severity
from ftlint.rules._chat import CHAT_FORMATS, messages, path
from ftlint.rules.base import Rule, register


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

    def check_row(self, row):
        for index, message in messages(row):
            if index > 0 and message.get("role") == "system":
                yield self.finding(
                    f"system message at position {index + 1}; only the first message may be system",
                    line=row.line,
                    path=path(index, "role"),
                    hint="move it to the front, or merge it into the first system message",
                )
