"""Helpers shared by the tool-calling rules (A101-A103), and their example rows.

The platform's tool-calling row (SFT only, qwen3.5 and later): a top-level `tools`
list of OpenAI-style function definitions beside `messages`; assistant messages with
`tool_calls`, each `{"id", "type": "function", "function": {"name", "arguments"}}` with
`arguments` a JSON string; and `tool` messages answering one call each by
`tool_call_id`. Every content is an array of `{"text": ...}` items in the docs' example.
"""

from __future__ import annotations

import json
from typing import Any

from ftlint.engine.rows import Row


def declared_names(row: Row) -> set[str] | None:
    """The function names `tools` declares; None when the row has no usable `tools`
    list (then calls cannot be checked against it)."""
    tools = row.data.get("tools")
    if not isinstance(tools, list):
        return None
    names = set()
    for tool in tools:
        function = tool.get("function") if isinstance(tool, dict) else None
        if isinstance(function, dict) and isinstance(function.get("name"), str):
            names.add(function["name"])
    return names


def calls_of(message: dict[str, Any]) -> list[tuple[int, dict[str, Any]]]:
    """(index, call) for every call object in a message's `tool_calls`."""
    calls = message.get("tool_calls")
    return [(i, c) for i, c in enumerate(calls) if isinstance(c, dict)] if isinstance(calls, list) else []


def call_id(call: dict[str, Any]) -> str | None:
    value = call.get("id")
    return value if isinstance(value, str) and value else None


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
