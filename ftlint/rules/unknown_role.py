import difflib
import json
from collections.abc import Iterator

from ftlint.engine.rows import Row
from ftlint.finding import Finding, Severity
from ftlint.i18n import _
from ftlint.rules._chat import CHAT_FORMATS, ROLES, messages, path
from ftlint.rules.base import Rule, register
from ftlint.rules.examples import CHAT, CHAT_EN, At, Fail, Pass


def _chat(*messages: dict[str, str]) -> str:
    return json.dumps({"messages": list(messages)}, ensure_ascii=False)


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
    examples = (
        Fail([CHAT, _chat({"role": "human", "content": "你好"}, {"role": "gpt", "content": "你好！有什么可以帮您？"})],
             At(line=2, path="messages[0].role"), At(line=2, path="messages[1].role"), note="ShareGPT's human and gpt"),
        Fail([_chat({"role": "system", "content": "You are a support agent."}, {"content": "Where is my order?"},
                    {"role": "Assistant", "content": "It ships within 24 hours."})],
             At(line=1, path="messages[1]"), At(line=1, path="messages[2].role"), note="no role, and a capitalised one"),
        Pass([CHAT, CHAT_EN, _chat({"role": "system", "content": "你是客服。"}, {"role": "user", "content": "你好"}, {"role": "assistant", "content": "您好！"})]),
    )

    def check_row(self, row: Row) -> Iterator[Finding]:
        for index, message in messages(row):
            role = message.get("role")
            if role in ROLES:
                continue
            if "role" not in message:
                yield self.finding(_("message has no role"), line=row.line, path=path(index))
                continue
            hint = _("use system, user or assistant")
            if isinstance(role, str):
                better = self._ALIASES.get(role.lower()) or next(iter(difflib.get_close_matches(role.lower(), ROLES, 1)), None)
                if better:
                    hint = _("did you mean {better!r}?").format(better=better)
            yield self.finding(_("unknown role {role!r}").format(role=role), line=row.line, path=path(index, "role"), hint=hint)
