import difflib

from ftlint.finding import Severity
from ftlint.rules._chat import CHAT_FORMATS, ROLES, messages, path
from ftlint.rules.base import Rule, register


@register
class UnknownRole(Rule):
    """A message has no role, or a role the platform does not know.

    Roles are `system`, `user` and `assistant` (and `tool`, for tool-calling data on
    models that support it). Other tools' roles such as `human`, `gpt`, `bot` or
    `function` are not understood.

    Bad:   {"role": "human", "content": "你好"}
    Good:  {"role": "user", "content": "你好"}
    """

    code = "M103"
    slug = "unknown-role"
    severity = Severity.ERROR
    formats = CHAT_FORMATS

    _ALIASES = {"human": "user", "gpt": "assistant", "bot": "assistant", "model": "assistant", "function": "tool"}

    def check_row(self, row):
        for index, message in messages(row):
            role = message.get("role")
            if role in ROLES:
                continue
            if "role" not in message:
                yield self.finding("message has no role", line=row.line, path=path(index))
                continue
            hint = "use system, user or assistant"
            if isinstance(role, str):
                better = self._ALIASES.get(role.lower()) or next(iter(difflib.get_close_matches(role.lower(), ROLES, 1)), None)
                if better:
                    hint = f"did you mean {better!r}?"
            yield self.finding(f"unknown role {role!r}", line=row.line, path=path(index, "role"), hint=hint)
