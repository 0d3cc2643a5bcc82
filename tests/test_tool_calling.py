"""Tool-calling data as users bring it (SFT, qwen3.5 and later): a realistic file of
Chinese and English rows (single, parallel and multi-step calls, rows that declare
tools but call none, thinking + tools) mixed with plain rows, checked whole; then one
fault at a time injected at a known physical line, which must be reported there, with
its JSON path, and nowhere else."""

from __future__ import annotations

import copy
import json

import pytest
from conftest import realistic

AT = 57  # the physical line every fault is injected at


def tool_file() -> list[str]:
    tools = realistic("tools", count=90, seed=5)
    plain = realistic("messages", count=30, seed=5)
    return [tools[i // 4 * 3 + i % 4] if i % 4 != 3 else plain[i // 4] for i in range(120)]


def _row(lines: list[str], kind: str) -> dict:
    """A copy of the first row at or after line AT of a kind ("parallel": a turn with two
    calls; "single": one call)."""
    for text in lines[AT - 1 :] + lines:
        data = json.loads(text)
        turns = [m for m in data.get("messages", ()) if m.get("tool_calls")]
        if kind == "parallel" and any(len(m["tool_calls"]) == 2 for m in turns):
            return copy.deepcopy(data)
        if kind == "single" and len(turns) == 1 and len(turns[0]["tool_calls"]) == 1:
            return copy.deepcopy(data)
    raise AssertionError(kind)


def _first_call(data: dict) -> tuple[int, dict]:
    return next((i, m) for i, m in enumerate(data["messages"]) if m.get("tool_calls"))


def _answer_of(data: dict, call_id: str) -> int:
    return next(i for i, m in enumerate(data["messages"]) if m.get("tool_call_id") == call_id)


def unanswered(data):
    i, turn = _first_call(data)
    j = _answer_of(data, turn["tool_calls"][1]["id"])
    del data["messages"][j]
    return f"messages[{i}].tool_calls[1].id"


def unknown_id(data):
    i, turn = _first_call(data)
    j = _answer_of(data, turn["tool_calls"][0]["id"])
    data["messages"].insert(j + 1, {"role": "tool", "tool_call_id": "call_nobody_made_this", "content": [{"text": "{}"}]})
    return f"messages[{j + 1}].tool_call_id"


def arguments_object(data):
    i, turn = _first_call(data)
    turn["tool_calls"][0]["function"]["arguments"] = json.loads(turn["tool_calls"][0]["function"]["arguments"])
    return f"messages[{i}].tool_calls[0].function.arguments"


def arguments_broken(data):
    i, turn = _first_call(data)
    turn["tool_calls"][0]["function"]["arguments"] = turn["tool_calls"][0]["function"]["arguments"][:-1]
    return f"messages[{i}].tool_calls[0].function.arguments"


def undeclared(data):
    i, turn = _first_call(data)
    turn["tool_calls"][0]["function"]["name"] = "refund_order"
    return f"messages[{i}].tool_calls[0].function.name"


def duplicate_tool(data):
    data["tools"].append(copy.deepcopy(data["tools"][0]))
    return f"tools[{len(data['tools']) - 1}].function.name"


def schema_not_object(data):
    data["tools"][0]["function"]["parameters"] = json.dumps(data["tools"][0]["function"]["parameters"])
    return "tools[0].function.parameters"


def no_tool_call_id(data):
    i, turn = _first_call(data)
    j = _answer_of(data, turn["tool_calls"][0]["id"])
    del data["messages"][j]["tool_call_id"]
    return f"messages[{j}]", f"messages[{i}].tool_calls[0].id"  # and so the call goes unanswered


def duplicate_id(data):
    i, turn = _first_call(data)
    turn["tool_calls"][1]["id"] = turn["tool_calls"][0]["id"]
    return f"messages[{i}].tool_calls[1].id"


def openai_items(data):
    data["messages"][-1]["content"] = [{"type": "text", "text": data["messages"][-1]["content"][0]["text"]}]
    return f"messages[{len(data['messages']) - 1}].content[0]"


def think_in_call_turn(data):
    i, turn = _first_call(data)
    turn["content"] = [{"text": "<think>\n先查询再回答。\n</think>\n\n"}]
    return f"messages[{i}].content"


def loss_weight_on_tool(data):
    i, turn = _first_call(data)
    j = _answer_of(data, turn["tool_calls"][0]["id"])
    data["messages"][j]["loss_weight"] = 1.0
    return f"messages[{j}].loss_weight"


FAULTS = {
    # name: (row kind, mutation, code)
    "a call nobody answers": ("parallel", unanswered, "A103"),
    "a tool message answering an unknown id": ("single", unknown_id, "A103"),
    "a tool message without tool_call_id": ("single", no_tool_call_id, "A103"),
    "arguments as an object": ("single", arguments_object, "A102"),
    "arguments as broken JSON": ("single", arguments_broken, "A102"),
    "a call to an undeclared tool": ("single", undeclared, "A102"),
    "a call id used twice": ("parallel", duplicate_id, "A102"),
    "a tool declared twice": ("single", duplicate_tool, "A101"),
    "parameters as a JSON string": ("single", schema_not_object, "A101"),
    "OpenAI {type, text} content items": ("single", openai_items, "M104"),
    "thinking in a call turn": ("single", think_in_call_turn, "M110"),
    "loss_weight on a tool message": ("single", loss_weight_on_tool, "M111"),
}


def test_the_realistic_tool_file_is_clean_for_a_tools_model_and_t104_for_a_text_model(check):
    lines = tool_file()
    kinds = [json.loads(line) for line in lines]
    assert sum("tools" in d for d in kinds) == 90 and any("<think>" in line for line in lines)
    good = check(lines, model="qwen3.6-27b")
    assert good.errors() == [] and {f.code for f in good.findings} <= {"M112"}
    text_only = check(lines, model="qwen3-8b")
    assert [(f.code, f.line) for f in text_only.errors()] == [("T104", None)]
    assert "90 rows need tool calling (first at line 1)" in text_only.of("T104")[0].message


@pytest.mark.parametrize("name", list(FAULTS))
def test_each_fault_is_reported_at_its_line_and_path(check, name):
    kind, mutate, code = FAULTS[name]
    lines = tool_file()
    data = _row(lines, kind)
    paths = mutate(data)
    paths = paths if isinstance(paths, tuple) else (paths,)
    lines[AT - 1] = json.dumps(data, ensure_ascii=False)
    json.loads(lines[AT - 1])  # still valid JSON: the fault is one the platform would not see as a parse error
    result = check(lines, model="qwen3.6-27b")
    assert [(f.line, f.path) for f in result.of(code) if f.line is not None] == [(AT, p) for p in paths], [(f.code, f.line, f.path, f.message) for f in result.findings]
    assert {f.line for f in result.errors()} == {AT}


def test_openai_tool_rows_convert_to_the_documented_form_and_pass(tmp_path, check):
    from conftest import run_cli

    openai = []
    for text in realistic("tools", count=60, seed=9):  # OpenAI's form: string content, null on the call turn
        data = json.loads(text)
        for message in data["messages"]:
            message["content"] = message["content"][0]["text"] or (None if message.get("tool_calls") else "")
        openai.append(json.dumps(data, ensure_ascii=False))
    (tmp_path / "openai.jsonl").write_text("\n".join(openai) + "\n", encoding="utf-8")
    run = run_cli("convert", str(tmp_path / "openai.jsonl"), "--from", "openai", "-o", str(tmp_path / "out.jsonl"))
    assert run.returncode == 0, run.stderr
    out = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()]
    originals = [json.loads(text) for text in openai]
    for got, want in zip(out, originals, strict=True):
        assert [m["content"] for m in got["messages"]] == [[{"text": m["content"] or ""}] for m in want["messages"]]
    result = check((tmp_path / "out.jsonl").read_bytes(), model="qwen3.6-27b")
    assert result.errors() == [] and {f.code for f in result.findings} <= {"M112"}


# Found by red-teaming: each once passed silently or switched a rule off.
ESCAPED_THINK = '{"messages": [{"role": "user", "content": "q"}, {"role": "assistant", "content": "\\u003cthink\\u003ereason\\u003c/think\\u003eanswer"}]}'


def _padded(row: str) -> list[str]:
    return realistic(count=60, seed=3) + [row]


def test_think_tags_and_keys_written_as_json_escapes_are_checked_like_plain_ones(check):
    escaped, plain = check(_padded(ESCAPED_THINK)), check(_padded(json.dumps(json.loads(ESCAPED_THINK), ensure_ascii=False)))
    assert [(f.code, f.line, f.message) for f in escaped.findings] == [(f.code, f.line, f.message) for f in plain.findings]
    assert [f.line for f in escaped.of("M110")] == [61]
    weight = '{"messages": [{"role": "user", "content": "q", "loss\\u005fweight": 0.5}, {"role": "assistant", "content": "a"}]}'
    assert [f.line for f in check(_padded(weight)).of("M111") if f.line] == [61]


@pytest.mark.parametrize("model", ["qwen2.5-7b-instruct", "qwen3-8b", "qwen3.6-27b", "qwen2-7b-instruct"])
def test_odd_tool_shapes_are_findings_never_a_rule_switched_off(check, model):
    deep = "[" * 1000 + "1" + "]" * 1000
    rows = [
        '{"messages": [{"role": "user", "content": "q"}, {"role": "assistant", "content": "a", "tool_calls": 1}]}',
        json.dumps({"tools": [{"type": "function", "function": {"name": "f"}}], "messages": [
            {"role": "user", "content": "q"},
            {"role": "assistant", "content": "", "tool_calls": [{"id": "c1", "type": "function", "function": {"name": "f", "arguments": '{"a": ' + deep + "}"}}]},
            {"role": "tool", "tool_call_id": "c1", "content": "ok"}, {"role": "assistant", "content": "done"}]}),
        '{"tools": [{"type": "function", "function": {"name": "f", "parameters": {"type": "object", "x": ' + "[" * 975 + "]" * 975 + '}}}], '
        '"messages": [{"role": "user", "content": "q"}, {"role": "assistant", "content": "a"}]}',
    ]
    result = check(realistic(count=60, seed=3) + rows, model=model)
    assert result.report.internal_errors == 0, [f.message for f in result.findings if f.internal]
    assert [(f.line, f.path) for f in result.of("A102") if f.severity.value == "error"] == [
        (61, "messages[1].tool_calls"), (62, "messages[1].tool_calls[0].function.arguments")]
