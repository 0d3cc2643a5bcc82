from ftlint.engine.rows import DPO
from ftlint.finding import Severity
from ftlint.rules._chat import CHAT_FORMATS, ROLES, has_tool_calls, messages, path
from ftlint.rules.base import Rule, register

# Which role may follow which. A tool result answers an assistant's tool call and is
# followed by more tool results or the assistant's next message.
_NEXT = {
    "user": {"assistant"},
    "assistant": {"user"},
    "assistant+tools": {"tool"},
    "tool": {"tool", "assistant"},
}


@register
class TurnOrder(Rule):
    """User and assistant turns are not in strict alternation.

    After the optional system message, the conversation starts with a user turn and
    then alternates user, assistant, user, assistant. In SFT data it ends with an
    assistant turn (that is what the model learns to say); in DPO data `messages` ends
    with the user turn that `chosen` and `rejected` answer (rule D101). Two user or two
    assistant turns in a row are the platform documentation's own "wrong examples".
    With tool calling, an assistant turn with `tool_calls` is followed by `tool` turns.

    Bad:   user, user, assistant
    Good:  user, assistant, user, assistant

    Fix: merge consecutive turns of the same role, or drop the unanswered turn.
    """

    code = "M107"
    slug = "turn-order"
    severity = Severity.ERROR
    formats = CHAT_FORMATS

    def check_row(self, row):
        if any(m.get("role") not in ROLES for _, m in messages(row)):
            return  # an unknown role makes the order meaningless; M103 reports it
        turns = [(i, m) for i, m in messages(row) if m.get("role") in ("user", "assistant", "tool")]
        if not turns:
            if row.messages():
                yield self.finding("the conversation has no user turn", line=row.line, path="messages")
            return
        first_index, first = turns[0]
        if first.get("role") != "user":
            yield self.finding(
                f"the conversation starts with {first.get('role')}, not user",
                line=row.line,
                path=path(first_index, "role"),
                hint="start with the user's turn",
            )
        for (_, before), (index, after) in zip(turns, turns[1:], strict=False):
            state = "assistant+tools" if before.get("role") == "assistant" and has_tool_calls(before) else before.get("role")
            if after.get("role") not in _NEXT[state]:
                yield self.finding(
                    f"{before.get('role')} followed by {after.get('role')}: turns must alternate",
                    line=row.line,
                    path=path(index, "role"),
                    hint=f"merge consecutive {after.get('role')} turns, or insert the missing turn",
                )
        last_index, last = turns[-1]
        if row.format != DPO and last.get("role") != "assistant":
            yield self.finding(
                f"the conversation ends with {last.get('role')}, not assistant",
                line=row.line,
                path=path(last_index, "role"),
                hint="end with the assistant's answer, or drop the unanswered turn",
            )
