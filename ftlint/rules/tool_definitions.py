from collections.abc import Iterator
from typing import Any

from ftlint.engine.rows import FORMATS, Row
from ftlint.finding import Finding, Severity
from ftlint.i18n import _
from ftlint.rules._chat import SFT_FORMATS
from ftlint.rules._fields import json_type
from ftlint.rules._tools import ORDER, PARALLEL, TRACK, WEATHER, function_of, m, tool_row
from ftlint.rules.base import Rule, register
from ftlint.rules.examples import CHAT, At, Fail, Pass

_Q = m("user", "帮我查一下订单 A123 到哪了")
_A = m("assistant", "好的，请稍等。")


@register
class ToolDefinitions(Rule):
    """The row's `tools` list is not the function definitions the platform takes.

    A tool-calling row (SFT only) declares its functions in a top-level `tools` list:
    `[{"type": "function", "function": {"name": ..., "description": ..., "parameters":
    {JSON Schema of an object}}}]`. Each name must be unique in the row, and `parameters`,
    when given, an object schema (`"type": "object"`; `{}` and no parameters at all
    declare a function without arguments). DPO, CPT and RL rows take no tools: tool
    calling is tuned with SFT only.

    Bad:   "tools": [{"name": "track_order", "parameters": {}}]
    Good:  "tools": [{"type": "function", "function": {"name": "track_order",
            "description": "查询订单物流", "parameters": {"type": "object", "properties": {}}}}]
    """

    code = "A101"
    slug = "tool-definitions"
    severity = Severity.ERROR
    formats = None  # tools in a row of any other format are reported too
    examples = (
        Fail([ORDER, tool_row(_Q, _A, tools=[{"name": "track_order", "parameters": {}}])], At(line=2, path="tools[0].type"), At(line=2, path="tools[0].function"),
             note="a bare function, not wrapped in {type, function}"),
        Fail([tool_row(_Q, _A, tools=[TRACK, TRACK]),
              tool_row(_Q, _A, tools={"type": "function"}),
              tool_row(_Q, _A, tools=[{"type": "function", "function": {"name": "", "parameters": {"type": "string"}}}]),
              tool_row(_Q, _A, tools=[{"type": "function", "function": {"name": "get_weather", "description": 3, "parameters": "{}"}}])],
             At(line=1, path="tools[1].function.name"), At(line=2, path="tools"), At(line=3, path="tools[0].function.name"),
             At(line=3, path="tools[0].function.parameters"), At(line=4, path="tools[0].function.description"), At(line=4, path="tools[0].function.parameters"),
             note="a name declared twice; an object, not a list; an empty name and a non-object schema; a numeric description and a schema as a string"),
        Fail(['{"tools": [' + ORDER[len('{"tools": ['):].split('], "messages"')[0] + '], "messages": [{"role": "user", "content": "订单 A123 到哪了？"}], '
              '"chosen": {"role": "assistant", "content": "正在运输中。"}, "rejected": {"role": "assistant", "content": "不知道。"}}'],
             At(line=1, path="tools"), note="tools in a DPO row"),
        Fail(['{"text": "通义千问可以调用外部工具。", "tools": [{"type": "function", "function": {"name": "search"}}]}'], At(line=1, path="tools"),
             note="tools in a CPT row"),
        Pass([ORDER, PARALLEL, CHAT], note="rows with and without tools may share a file"),
        Pass([tool_row(_Q, _A, tools=[WEATHER, {"type": "function", "function": {"name": "cancel_order", "parameters": {"type": "object", "properties": {}}}},
                                      {"type": "function", "function": {"name": "list_orders", "parameters": {}}}, {"type": "function", "function": {"name": "ping"}}])],
             note="description is optional; a function without arguments: an empty object schema, {} or no parameters"),
    )

    def check_row(self, row: Row) -> Iterator[Finding]:
        if "tools" not in row.data:
            return
        tools = row.data["tools"]
        if row.format is None:
            return  # a row of no known format is R101's
        if row.format not in SFT_FORMATS:
            yield self.finding(_("tools in a row of {FORMATS}: tool calling is tuned with SFT only").format(FORMATS=FORMATS[row.format]), line=row.line, path="tools",
                               hint=_("move tool-calling conversations to an SFT file"))
            return
        if not isinstance(tools, list):
            yield self.finding(_("`tools` is {json_type}, not a list of function definitions").format(json_type=json_type(tools)), line=row.line, path="tools")
            return
        seen: set[str] = set()
        for index, tool in enumerate(tools):
            yield from self._definition(row.line, f"tools[{index}]", tool, seen)

    def _definition(self, line: int, where: str, tool: Any, seen: set[str]) -> Iterator[Finding]:
        if not isinstance(tool, dict):
            yield self.finding(_("a tool is {json_type}, not an object").format(json_type=json_type(tool)), line=line, path=where)
            return
        problems, function, name = function_of(tool, where, '{"type": "function", "function": {"name", "description", "parameters"}}')
        for at, message, hint in problems:
            yield self.finding(message, line=line, path=at, hint=hint)
        if function is None:
            return
        if name is None:
            pass  # reported above
        elif name in seen:
            yield self.finding(_("function {name!r} is declared twice").format(name=name), line=line, path=f"{where}.function.name", hint=_("declare each function once"))
        else:
            seen.add(name)
        if "description" in function and not isinstance(function["description"], str):
            yield self.finding(_("`description` is {json_type}, not a string").format(json_type=json_type(function['description'])), line=line, path=f"{where}.function.description")
        if "parameters" not in function:
            return  # a function without parameters, as OpenAI's format allows
        parameters = function["parameters"]
        kind = parameters.get("type", "object") if isinstance(parameters, dict) else None
        if kind != "object" and not (isinstance(kind, list) and "object" in kind):
            got = json_type(parameters) if not isinstance(parameters, dict) else _("a schema of type {get!r}").format(get=parameters.get('type'))
            yield self.finding(_("`parameters` is {got}, not a JSON Schema of an object").format(got=got), line=line, path=f"{where}.function.parameters",
                               hint=_("write {\"type\": \"object\", \"properties\": {...}, \"required\": [...]}"))
