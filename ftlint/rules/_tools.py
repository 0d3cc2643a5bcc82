"""Helpers shared by the tool-calling rules (A101-A103), and their example rows.

The platform's tool-calling row (SFT only, qwen3.5 and later): a top-level `tools`
list of OpenAI-style function definitions beside `messages`; assistant messages with
`tool_calls`, each `{"id", "type": "function", "function": {"name", "arguments"}}` with
`arguments` a JSON string; and `tool` messages answering one call each by
`tool_call_id`. Every content is an array of `{"text": ...}` items in the docs' example.
"""

from __future__ import annotations

import json
import re
from typing import Any

from ftlint.engine.rows import Row
from ftlint.i18n import _


def declared_tools(row: Row) -> dict[str, dict[str, Any]] | None:
    """The functions `tools` declares, by name, with their parameter schemas ({} when
    none is usable); None when the row has no usable `tools` list (then calls cannot
    be checked against it)."""
    tools = row.data.get("tools")
    if not isinstance(tools, list):
        return None
    out: dict[str, dict[str, Any]] = {}
    for tool in tools:
        function = tool.get("function") if isinstance(tool, dict) else None
        if isinstance(function, dict) and isinstance(function.get("name"), str):
            parameters = function.get("parameters")
            out.setdefault(function["name"], parameters if isinstance(parameters, dict) else {})
    return out


def function_of(entry: dict[str, Any], where: str, shape: str) -> tuple[list[tuple[str, str, str | None]], dict[str, Any] | None, str | None]:
    """The `{"type": "function", "function": {"name": ...}}` wrapper that a tool
    definition and a tool call share: its problems as (JSON path, message, hint), the
    function object (None when there is none to read further) and its name (None when
    it is not one the template can write)."""
    problems: list[tuple[str, str, str | None]] = []
    if entry.get("type") != "function":
        problems.append((f"{where}.type", _("`type` is {get!r}, not \"function\"").format(get=entry.get('type')), _("write \"type\": \"function\"")))
    function = entry.get("function")
    if not isinstance(function, dict):
        problems.append((f"{where}.function", _("`function` is missing or not an object"), f"write {shape}"))
        return problems, None, None
    name = function.get("name")
    problem = name_problem(name, _("function name"))
    if problem:
        problems.append((f"{where}.function.name", problem, None))
    return problems, function, None if problem else name


# JSON Schema's types of a value, for checking a call's arguments against the schema.
_TYPES = {"string": (str,), "number": (int, float), "integer": (int,), "boolean": (bool,), "object": (dict,), "array": (list,), "null": (type(None),)}


def argument_problems(arguments: dict[str, Any], schema: dict[str, Any]) -> list[tuple[str, str]]:
    """(key, problem) for a call's arguments that its function's schema does not allow:
    a required argument missing, or a top-level argument of another type than the one
    declared. (Deeper schema rules are not checked.)"""
    problems: list[tuple[str, str]] = []
    required = schema.get("required")
    for key in required if isinstance(required, list) else ():
        if isinstance(key, str) and key not in arguments:
            problems.append((key, _("the required argument {key!r} is missing").format(key=key)))
    properties = schema.get("properties")
    for key, value in arguments.items():
        declared = properties.get(key) if isinstance(properties, dict) else None
        kinds = declared.get("type") if isinstance(declared, dict) else None
        kinds = [kinds] if isinstance(kinds, str) else kinds
        if not isinstance(kinds, list) or not all(k in _TYPES for k in kinds):
            continue
        ok = any(isinstance(value, _TYPES[k]) and not (isinstance(value, bool) and k in ("number", "integer")) for k in kinds)
        if not ok:
            problems.append((key, _("argument {key!r} is {name__}, but the schema declares {join}").format(key=key, name__=type(value).__name__, join=' or '.join(kinds))))
    return problems


def calls_of(message: dict[str, Any]) -> list[tuple[int, dict[str, Any]]]:
    """(index, call) for every call object in a message's `tool_calls`."""
    calls = message.get("tool_calls")
    return [(i, c) for i, c in enumerate(calls) if isinstance(c, dict)] if isinstance(calls, list) else []


def call_id(call: dict[str, Any]) -> str | None:
    value = call.get("id")
    return value if isinstance(value, str) and value.strip() else None


# The qwen3.5 template writes a call as <function=NAME> and each argument as
# <parameter=KEY>: whitespace or any of < > = in a name or key breaks that markup, and
# the model learns calls that no parser reads back.
_MARKUP = re.compile(r"[\s<>=]")


def name_problem(name: object, what: str) -> str | None:
    """Why a function name or argument key cannot be used, or None."""
    if not isinstance(name, str) or not name.strip():
        return _("the {what} is empty").format(what=what) if isinstance(name, str) else _("the {what} is not a string").format(what=what)
    found = _MARKUP.search(name)
    if found:
        return _("the {what} {name!r} holds {group!r}, which breaks the chat template's <function=…> / <parameter=…> markup").format(what=what, name=name, group=found.group())
    return None


# Example rows (Chinese and English) for the rules' test cases.
def tool(name: str, description: str, **properties: str) -> dict[str, Any]:
    return {
        "type": "function",
        "function": {
            "name": name,
            "description": description,
            "parameters": {"type": "object", "properties": {k: {"type": v} for k, v in properties.items()}, "required": list(properties)},
        },
    }


def text(value: str) -> list[dict[str, str]]:
    return [{"text": value}]


def call(id: str, name: str, arguments: Any) -> dict[str, Any]:
    return {"id": id, "type": "function", "function": {"name": name, "arguments": arguments if isinstance(arguments, str) else json.dumps(arguments, ensure_ascii=False)}}


TRACK = tool("track_order", "查询订单物流状态", order_id="string")
WEATHER = tool("get_weather", "Get the current weather for a city", city="string")


def tool_row(*messages: dict[str, Any], tools: Any = (TRACK, WEATHER)) -> str:
    data: dict[str, Any] = {"messages": list(messages)}
    if tools is not None:
        data = {"tools": list(tools) if isinstance(tools, tuple) else tools, **data}
    return json.dumps(data, ensure_ascii=False)


def m(role: str, content: str | None = "", **extra: Any) -> dict[str, Any]:
    return {"role": role, "content": text(content) if isinstance(content, str) else content, **extra}


# A single call answered, in Chinese; two parallel calls answered, in English.
ORDER = tool_row(
    m("user", "帮我查一下订单 A123 到哪了"),
    m("assistant", "", tool_calls=[call("call_8f2a", "track_order", {"order_id": "A123"})]),
    m("tool", '{"status": "运输中", "city": "杭州"}', tool_call_id="call_8f2a"),
    m("assistant", "您的订单 A123 正在运输中，目前在杭州。"),
)
PARALLEL = tool_row(
    m("system", "You are a travel assistant."),
    m("user", "What's the weather in Beijing and Shanghai?"),
    m("assistant", "Let me check both cities.", tool_calls=[call("call_1", "get_weather", {"city": "Beijing"}), call("call_2", "get_weather", {"city": "Shanghai"})]),
    m("tool", '{"temp_c": 3, "sky": "clear"}', tool_call_id="call_1"),
    m("tool", '{"temp_c": 9, "sky": "rain"}', tool_call_id="call_2"),
    m("assistant", "Beijing is clear at 3°C; Shanghai has rain at 9°C."),
)
