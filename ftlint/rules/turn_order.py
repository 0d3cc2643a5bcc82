import json
from collections.abc import Iterator
from typing import Any

from ftlint.engine.rows import DPO, RL_PROMPT, Row
from ftlint.finding import Finding, Severity
from ftlint.i18n import _
from ftlint.rules._chat import CHAT_FORMATS, ROLES, has_tool_calls, messages, path
from ftlint.rules.base import Rule, register
from ftlint.rules.examples import CHAT, CHAT_EN, At, Fail, Pass, row

# Which role may follow which. A tool result answers an assistant's tool call and is
# followed by more tool results or the assistant's next message.
_NEXT = {
    "user": {"assistant"},
    "assistant": {"user"},
    "assistant+tools": {"tool"},
    "tool": {"tool", "assistant"},
}


def _chat(*messages: dict[str, Any], **extra: Any) -> str:
    return json.dumps({"messages": list(messages), **extra}, ensure_ascii=False)


def _m(role: str, content: str, **extra: Any) -> dict[str, Any]:
    return {"role": role, "content": content, **extra}


_CALL = [{"id": "call_1", "type": "function", "function": {"name": "track_order", "arguments": "{\"order_id\": \"A123\"}"}}]


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
    formats = CHAT_FORMATS - {RL_PROMPT}  # an RL prompt has no assistant turn: G101 checks it
    examples = (
        Fail([CHAT, _chat(_m("user", "你好"), _m("user", "我的订单什么时候发货？"), _m("assistant", "您好，订单将在 24 小时内发货。"))],
             At(line=2, path="messages[1].role"), note="user, user, assistant"),
        Fail([row("Where is my order?", "It ships within 24 hours.", "Can I change the address?")], At(line=1, path="messages[2].role"),
             note="an SFT conversation that ends with the user"),
        Fail([_chat(_m("system", "你是客服。"), _m("assistant", "您好，有什么可以帮您？"), _m("user", "查一下订单"), _m("assistant", "好的。")),
              _chat(_m("system", "You are a support agent."))],
             At(line=1, path="messages[1].role"), At(line=2, path="messages"), note="starts with assistant after the system message; no user turn at all"),
        Fail([_chat(_m("user", "Where is order A123?"), _m("assistant", "", tool_calls=_CALL), _m("assistant", "It has shipped."))],
             At(line=1, path="messages[2].role"), note="a tool call with no tool result after it"),
        Pass([CHAT, CHAT_EN, _chat(_m("system", "你是客服。"), _m("user", "你好"), _m("assistant", "您好！"))]),
        Pass([_chat(_m("user", "Where is order A123?"), _m("assistant", "", tool_calls=_CALL), _m("tool", "shipped", tool_call_id="call_1"),
                    _m("assistant", "It has shipped."))], note="tool calling: assistant with tool_calls, tool, assistant"),
        Pass([_chat(_m("user", "订单什么时候发货？"), _m("assistant", "24 小时内。"), _m("user", "能改地址吗？"),
                    chosen=_m("assistant", "可以，发货前都能改。"), rejected=_m("assistant", "不行。"))],
             note="DPO messages end with the user turn that chosen and rejected answer"),
    )

    def check_row(self, row: Row) -> Iterator[Finding]:
        if any(m.get("role") not in ROLES for _, m in messages(row)):
            return  # an unknown role makes the order meaningless; M103 reports it
        turns = [(i, m) for i, m in messages(row) if m.get("role") in ("user", "assistant", "tool")]
        if not turns:
            if row.messages():
                yield self.finding(_("the conversation has no user turn"), line=row.line, path="messages")
            return
        first_index, first = turns[0]
        if first.get("role") != "user":
            yield self.finding(
                _("the conversation starts with {get}, not user").format(get=first.get('role')),
                line=row.line,
                path=path(first_index, "role"),
                hint=_("start with the user's turn"),
            )
        for (_before_index, before), (index, after) in zip(turns, turns[1:], strict=False):
            state = "assistant+tools" if before.get("role") == "assistant" and has_tool_calls(before) else str(before.get("role"))
            if after.get("role") not in _NEXT[state]:
                yield self.finding(
                    _("{get} followed by {get2}: turns must alternate").format(get=before.get('role'), get2=after.get('role')),
                    line=row.line,
                    path=path(index, "role"),
                    hint=_("merge consecutive {get} turns, or insert the missing turn").format(get=after.get('role')),
                )
        last_index, last = turns[-1]
        if row.format != DPO and last.get("role") != "assistant":
            yield self.finding(
                _("the conversation ends with {get}, not assistant").format(get=last.get('role')),
                line=row.line,
                path=path(last_index, "role"),
                hint=_("end with the assistant's answer, or drop the unanswered turn"),
            )
