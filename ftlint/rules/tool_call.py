import dataclasses
import json
from collections.abc import Iterator
from typing import Any

from ftlint.engine.rows import DPO, Row
from ftlint.finding import Finding, Severity
from ftlint.i18n import _
from ftlint.rules._chat import CHAT_FORMATS, every_message, path
from ftlint.rules._fields import json_type
from ftlint.rules._tools import ORDER, PARALLEL, argument_problems, call, declared_tools, function_of, m, name_problem, tool_row
from ftlint.rules.base import Rule, register
from ftlint.rules.examples import CHAT, At, Fail, Pass

_Q = m("user", "帮我查一下订单 A123 到哪了")
_ANSWER = m("tool", '{"status": "运输中"}', tool_call_id="call_1")
_DONE = m("assistant", "您的订单正在运输中。")


def _calling(*calls: dict[str, Any], tools: Any = ...) -> str:
    turn = m("assistant", "", tool_calls=list(calls))
    if tools is ...:
        return tool_row(_Q, turn, _ANSWER, _DONE)
    return tool_row(_Q, turn, _ANSWER, _DONE, tools=tools)


@register
class ToolCall(Rule):
    """An assistant's tool call is not in the form the platform trains on.

    Each entry of an assistant message's `tool_calls` is `{"id": ..., "type":
    "function", "function": {"name": ..., "arguments": ...}}`: the `id` present and
    unique in the row (tool messages answer it), the name one that the row's `tools`
    declares, and `arguments` a **string** holding a JSON object, as OpenAI's API
    returns it (the chat template writes the string into the training text as it is,
    so an object or broken JSON trains the model on the wrong text; NaN and Infinity
    are not JSON). Names and argument keys hold no whitespace and none of `< > =`,
    which break the qwen3.5 template's `<function=…>` / `<parameter=…>` markup. Only
    assistant messages make calls, and only in SFT rows. A call whose arguments miss a
    required parameter, or give one of another type than its schema declares, is a
    warning: the platform trains it, and the model learns to call that way.

    Bad:   "arguments": {"order_id": "A123"}
    Good:  "arguments": "{\\"order_id\\": \\"A123\\"}"
    """

    code = "A102"
    slug = "tool-call"
    severity = Severity.ERROR
    formats = CHAT_FORMATS
    examples = (
        Fail([ORDER, _calling({"id": "call_1", "type": "function", "function": {"name": "track_order", "arguments": {"order_id": "A123"}}})],
             At(line=2, path="messages[1].tool_calls[0].function.arguments"), note="arguments as an object, not a JSON string"),
        Fail([_calling(call("call_1", "track_order", '{"order_id": "A123"')),
              _calling(call("call_1", "track_order", '["A123"]')),
              _calling(call("call_1", "cancel_order", {"order_id": "A123"})),
              _calling(call("call_1", "track_order", {"order_id": "A123"}), tools=None)],
             At(line=1, path="messages[1].tool_calls[0].function.arguments"), At(line=2, path="messages[1].tool_calls[0].function.arguments"),
             At(line=3, path="messages[1].tool_calls[0].function.name"), At(line=4, path="messages[1].tool_calls[0].function.name"),
             note="broken JSON; JSON that is not an object; a function tools does not declare; a row with no tools at all"),
        Fail([_calling(call("call_1", "track_order", {"order_id": "A123"}), call("call_1", "track_order", {"order_id": "B456"})),
              _calling({"type": "function", "function": {"name": "track_order", "arguments": '{"order_id": "A123"}'}}),
              _calling({"id": "call_1", "type": "tool", "name": "track_order", "arguments": "{}"}),
              tool_row(_Q, m("assistant", "好的。"), m("user", "谢谢", tool_calls=[call("call_9", "track_order", {})]), m("assistant", "不客气。"))],
             At(line=1, path="messages[1].tool_calls[1].id"), At(line=2, path="messages[1].tool_calls[0].id"),
             At(line=3, path="messages[1].tool_calls[0].type"), At(line=3, path="messages[1].tool_calls[0].function"),
             At(line=4, path="messages[2].tool_calls"),
             note="an id used twice; no id; the OpenAI legacy flat shape; a call made by the user"),
        Fail([_calling(call("call_1", "track order", {"order_id": "A123"}), tools=[{"type": "function", "function": {"name": "track order"}}]),
              _calling(call("call_1", "track_order", '{"order_id": NaN}')),
              _calling(call("call_1", "track_order", {"order>id": "A123"})),
              _calling(call(" ", "track_order", {"order_id": "A123"}))],
             At(line=1, path="messages[1].tool_calls[0].function.name"), At(line=2, path="messages[1].tool_calls[0].function.arguments"),
             At(line=3, path="messages[1].tool_calls[0].function.arguments"), At(line=3, path="messages[1].tool_calls[0].function.arguments", severity=Severity.WARNING),
             At(line=4, path="messages[1].tool_calls[0].id"),
             note="a name with a space; NaN in the arguments; a key with '>' (and so the required order_id is missing); a blank id"),
        Fail([_calling(call("call_1", "track_order", {})), _calling(call("call_1", "track_order", {"order_id": 123}))],
             At(line=1, path="messages[1].tool_calls[0].function.arguments", severity=Severity.WARNING),
             At(line=2, path="messages[1].tool_calls[0].function.arguments", severity=Severity.WARNING),
             note="warnings: a required argument missing; a number where the schema declares a string"),
        Pass([ORDER, PARALLEL, CHAT]),
    )

    def check_row(self, row: Row) -> Iterator[Finding]:
        if not row.mentions_tools:
            return
        declared = declared_tools(row)
        ids: set[str] = set()
        for where, message in every_message(row):
            if "tool_calls" not in message:
                continue
            if row.format == DPO:
                yield self.finding(_("tool calls in a DPO row: tool calling is tuned with SFT only"), line=row.line, path=path(where, "tool_calls"))
                continue
            calls = message["tool_calls"]
            if message.get("role") != "assistant":
                yield self.finding(_("a {get} message makes tool calls; only assistant messages do").format(get=message.get('role')), line=row.line, path=path(where, "tool_calls"))
                continue
            if not isinstance(calls, list) or not calls:
                if calls is not None and calls != []:
                    yield self.finding(_("`tool_calls` is {json_type}, not a list of calls").format(json_type=json_type(calls)), line=row.line, path=path(where, "tool_calls"))
                continue
            for index, entry in enumerate(calls):
                at = path(where, f"tool_calls[{index}]")
                if not isinstance(entry, dict):
                    yield self.finding(_("a tool call is {json_type}, not an object").format(json_type=json_type(entry)), line=row.line, path=at)
                    continue
                yield from self._call(row.line, at, entry, declared, ids)

    def _call(self, line: int, at: str, entry: dict[str, Any], declared: dict[str, dict[str, Any]] | None, ids: set[str]) -> Iterator[Finding]:
        identifier = entry.get("id")
        if not isinstance(identifier, str) or not identifier.strip():
            yield self.finding(_("the call has no `id`, so no tool message can answer it"), line=line, path=f"{at}.id", hint=_("give every call an id, e.g. \"call_0001\""))
        elif identifier in ids:
            yield self.finding(_("call id {identifier!r} is used twice in the row").format(identifier=identifier), line=line, path=f"{at}.id", hint=_("ids must be unique within a row"))
        else:
            ids.add(identifier)
        problems, function, name = function_of(entry, at, '{"id", "type": "function", "function": {"name", "arguments"}}')
        for where, message, hint in problems:
            yield self.finding(message, line=line, path=where, hint=hint)
        if function is None:
            return
        if name is None:
            pass  # reported above
        elif declared is None:
            yield self.finding(_("the row calls {name!r} but declares no `tools`").format(name=name), line=line, path=f"{at}.function.name",
                               hint=_("add the function's definition to the row's top-level tools list"))
        elif name not in declared:
            yield self.finding(_("{name!r} is not declared in the row's `tools`").format(name=name), line=line, path=f"{at}.function.name",
                               hint="declared: " + (", ".join(sorted(declared)) or "none"))
        arguments = function.get("arguments")
        where = f"{at}.function.arguments"
        if not isinstance(arguments, str):
            hint = _("write json.dumps(arguments, ensure_ascii=False)") if isinstance(arguments, dict) else None
            yield self.finding(_("`arguments` is {json_type}, not a string holding a JSON object").format(json_type=json_type(arguments)), line=line, path=where, hint=hint)
            return
        try:
            parsed = json.loads(arguments, parse_constant=_no_constant)
        except ValueError as err:
            yield self.finding(_("`arguments` is not valid JSON: {err}").format(err=err), line=line, path=where, hint=_("the string must hold a complete JSON object"))
            return
        except RecursionError:
            yield self.finding(_("`arguments` is nested too deeply for Python's json to read"), line=line, path=where)
            return
        if not isinstance(parsed, dict):
            yield self.finding(_("`arguments` holds a JSON {json_type}, not an object").format(json_type=json_type(parsed)), line=line, path=where,
                               hint=_("arguments are named: write \"{\\\"name\\\": value}\""))
            return
        for key in parsed:
            problem = name_problem(key, _("argument name"))
            if problem:
                yield self.finding(problem, line=line, path=where)
        if declared is not None and name in declared:
            # The data teaches the model to call this way: a call its schema refuses is
            # trained as much as a right one. Reported, not refused by the platform.
            for _where, problem in argument_problems(parsed, declared[name]):
                yield dataclasses.replace(self.finding(problem, line=line, path=where, hint=_("make the call match the function's parameters")),
                                          severity=Severity.WARNING)


def _no_constant(name: str) -> None:
    raise ValueError(_("{name} is not valid JSON").format(name=name))
