import dataclasses
from collections.abc import Iterator

from ftlint.engine.rows import Row
from ftlint.finding import Finding, Severity
from ftlint.i18n import _
from ftlint.rules._chat import SFT_FORMATS, messages, path
from ftlint.rules._tools import ORDER, PARALLEL, call, call_id, calls_of, m, tool_row
from ftlint.rules.base import Rule, register
from ftlint.rules.examples import CHAT, At, Fail, Pass

_Q = m("user", "What's the weather in Beijing and Shanghai?")
_TWO = m("assistant", "", tool_calls=[call("call_1", "get_weather", {"city": "Beijing"}), call("call_2", "get_weather", {"city": "Shanghai"})])
_R1 = m("tool", '{"temp_c": 3}', tool_call_id="call_1")
_R2 = m("tool", '{"temp_c": 9}', tool_call_id="call_2")
_DONE = m("assistant", "Beijing 3°C, Shanghai 9°C.")


@register
class ToolResponse(Rule):
    """Tool calls and tool messages do not answer each other one to one.

    Every tool call an assistant makes is answered by exactly one `tool` message whose
    `tool_call_id` is the call's `id`, after the call and before the assistant's next
    turn (or the user's). A tool message must answer a call: one with no
    `tool_call_id`, an id no call has, or a second answer to the same call is an error,
    as is a call nobody answers (the model would learn to act on a result it never got),
    and a `tool_call_id` on any other message. A row that ends with the call itself is
    a warning: the docs say the last message is "usually" the final answer.

    Bad:   assistant calls call_1 and call_2; only call_1 is answered
    Good:  assistant calls call_1 and call_2; two tool messages answer call_1 and call_2
    """

    code = "A103"
    slug = "tool-response"
    severity = Severity.ERROR
    formats = SFT_FORMATS
    examples = (
        Fail([PARALLEL, tool_row(_Q, _TWO, _R1, _DONE)], At(line=2, path="messages[1].tool_calls[1].id"), note="call_2 is never answered"),
        Fail([tool_row(_Q, _TWO, _R1, _R2, m("tool", '{"temp_c": 9}', tool_call_id="call_2"), _DONE),
              tool_row(_Q, _TWO, _R1, _R2, m("tool", '{"temp_c": 5}', tool_call_id="call_3"), _DONE),
              tool_row(_Q, _TWO, _R1, m("tool", '{"temp_c": 9}'), _DONE),
              tool_row(_Q, m("tool", '{"temp_c": 3}', tool_call_id="call_1"), _DONE)],
             At(line=1, path="messages[4].tool_call_id"), At(line=2, path="messages[4].tool_call_id"),
             At(line=3, path="messages[3]"), At(line=3, path="messages[1].tool_calls[1].id"), At(line=4, path="messages[1].tool_call_id"),
             note="a second answer; an unknown id; a tool message without tool_call_id; a tool message with no call before it"),
        Fail([tool_row(_Q, _TWO, _R1, m("user", "Hurry up"), _R2, _DONE)],
             At(line=1, path="messages[1].tool_calls[1].id"), At(line=1, path="messages[4].tool_call_id"),
             note="the user speaks before call_2 is answered; the late answer then answers nothing pending"),
        Fail([tool_row(_Q, _TWO), tool_row(_Q, m("assistant", "Let me check.", tool_call_id="call_1"))],
             At(line=1, path="messages[1].tool_calls[0].id", severity=Severity.WARNING), At(line=1, path="messages[1].tool_calls[1].id", severity=Severity.WARNING),
             At(line=2, path="messages[1].tool_call_id"), note="a row that ends with its calls (a warning); a tool_call_id on an assistant message"),
        Pass([ORDER, PARALLEL, CHAT]),
        Pass([tool_row(m("user", "北京和上海哪个更冷？"), m("assistant", "", tool_calls=[call("c1", "get_weather", {"city": "北京"})]),
                       m("tool", '{"temp_c": 3}', tool_call_id="c1"), m("assistant", "", tool_calls=[call("c2", "get_weather", {"city": "上海"})]),
                       m("tool", '{"temp_c": 9}', tool_call_id="c2"), m("assistant", "北京更冷：3°C，上海 9°C。"))],
             note="multi-step calls, each answered before the next step"),
    )

    def check_row(self, row: Row) -> Iterator[Finding]:
        if not row.mentions_tools:
            return
        pending: dict[str, str] = {}  # call id -> JSON path of the call, not yet answered
        answered: set[str] = set()
        made_calls = False
        for index, message in messages(row):
            role = message.get("role")
            if role != "tool" and "tool_call_id" in message:
                yield self.finding(_("a {role} message has a tool_call_id; only tool messages answer calls").format(role=role), line=row.line, path=path(index, "tool_call_id"),
                                   hint=_("remove it, or make the message a tool message"))
            if role == "tool":
                yield from self._answer(row, index, message, pending, answered, made_calls)
                continue
            if role in ("assistant", "user"):
                yield from self._unanswered(row, pending)
                pending = {}
            if role == "assistant":
                for number, entry in calls_of(message):
                    identifier = call_id(entry)
                    if identifier is not None and identifier not in pending:
                        pending[identifier] = path(index, f"tool_calls[{number}].id")
                        made_calls = True
        last = messages(row)[-1][1] if messages(row) else None
        if pending and last is not None and last.get("tool_calls"):
            # The row ends with the call: the docs say the last message is "usually" the
            # final answer, so this trains the model to make the call. A warning.
            for identifier, where in pending.items():
                yield dataclasses.replace(
                    self.finding(_("the row ends with call {identifier!r}, unanswered").format(identifier=identifier), line=row.line, path=where,
                                 hint=_("fine if the row teaches only the call; otherwise add its tool message and the final answer")),
                    severity=Severity.WARNING,
                )
            return
        yield from self._unanswered(row, pending)

    def _answer(self, row: Row, index: int, message: dict, pending: dict[str, str], answered: set[str], made_calls: bool) -> Iterator[Finding]:  # type: ignore[type-arg]
        identifier = message.get("tool_call_id")
        if not made_calls:
            yield self.finding(_("a tool message, but no call before it"), line=row.line, path=path(index, "tool_call_id" if "tool_call_id" in message else None),
                               hint=_("a tool message answers an assistant's tool call: add the call, or drop the message"))
        elif not isinstance(identifier, str) or not identifier:
            yield self.finding(_("the tool message has no `tool_call_id`"), line=row.line, path=path(index),
                               hint=_("set tool_call_id to the id of the call it answers"))
        elif identifier in pending:
            del pending[identifier]
            answered.add(identifier)
        elif identifier in answered:
            yield self.finding(_("call {identifier!r} is answered a second time").format(identifier=identifier), line=row.line, path=path(index, "tool_call_id"),
                               hint=_("each call is answered by exactly one tool message"))
        else:
            yield self.finding(_("tool_call_id {identifier!r} answers no pending call").format(identifier=identifier), line=row.line, path=path(index, "tool_call_id"),
                               hint="answer a call of the assistant turn just before: " + (", ".join(sorted(pending)) or _("none is pending")))

    def _unanswered(self, row: Row, pending: dict[str, str]) -> Iterator[Finding]:
        for identifier, where in pending.items():
            yield self.finding(_("call {identifier!r} is never answered by a tool message").format(identifier=identifier), line=row.line, path=where,
                               hint=_("add a tool message with this tool_call_id right after the call"))
