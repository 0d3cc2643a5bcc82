import json
from collections.abc import Iterator
from typing import Any

from ftlint.engine.rows import DPO, Row
from ftlint.finding import Finding, Severity
from ftlint.i18n import _
from ftlint.rules._chat import messages, path
from ftlint.rules.base import Rule, register
from ftlint.rules.examples import At, Fail, Pass


def dpo(*turns: tuple[str, str], chosen: str, rejected: str) -> str:
    """A DPO row: `messages` from (role, content) turns, and the two answers."""
    row: dict[str, Any] = {
        "messages": [{"role": role, "content": content} for role, content in turns],
        "chosen": {"role": "assistant", "content": chosen},
        "rejected": {"role": "assistant", "content": rejected},
    }
    return json.dumps(row, ensure_ascii=False)


GOOD = dpo(("user", "我的快递三天没更新了，能帮我催一下吗？"), chosen="好的，已为您联系快递公司加急处理。", rejected="不行。")
GOOD_MULTI = dpo(
    ("system", "You are a polite support agent."),
    ("user", "Where is my order?"),
    ("assistant", "It left the warehouse yesterday."),
    ("user", "Can it arrive by Friday?"),
    chosen="Yes, the courier expects to deliver it on Thursday.",
    rejected="No idea.",
)


@register
class DpoPromptEnd(Rule):
    """DPO `messages` does not end with a user turn.

    In a DPO row everything in `messages` is input; the last message is the user turn
    that `chosen` and `rejected` answer. An assistant message at the end means the
    answer was left in `messages` instead of moved to `chosen`.

    Bad:   {"messages": [user, assistant], "chosen": {...}, "rejected": {...}}
    Good:  {"messages": [user], "chosen": {...}, "rejected": {...}}
    """

    code = "D101"
    slug = "dpo-prompt-end"
    severity = Severity.ERROR
    formats = frozenset({DPO})
    examples = (
        Fail(
            [GOOD, dpo(("user", "帮我催一下快递"), ("assistant", "好的，已为您加急。"), chosen="好的，已为您加急。", rejected="不行。")],
            At(line=2, path="messages[1].role"),
            note="the chosen answer was left in messages",
        ),
        Fail([dpo(("system", "You are a support agent."), chosen="Hello! How can I help?", rejected="What?")], At(line=1, path="messages[0].role"), note="only a system prompt"),
        Pass([GOOD, GOOD_MULTI]),
    )

    def check_row(self, row: Row) -> Iterator[Finding]:
        listed = list(messages(row))
        if listed and listed[-1][1].get("role") != "user":
            index, last = listed[-1]
            yield self.finding(
                _("DPO messages end with {get}, not the user turn being answered").format(get=last.get('role')),
                line=row.line,
                path=path(index, "role"),
            )
