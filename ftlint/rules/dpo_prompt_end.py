from ftlint.engine.rows import DPO
from ftlint.finding import Severity
from ftlint.rules._chat import messages, path
from ftlint.rules.base import Rule, register


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

    def check_row(self, row):
        listed = list(messages(row))
        if listed and listed[-1][1].get("role") != "user":
            index, last = listed[-1]
            yield self.finding(
                f"DPO messages end with {last.get('role')}, not the user turn being answered",
                line=row.line,
                path=path(index, "role"),
            )
