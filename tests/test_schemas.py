"""The published JSON Schemas (schemas/) agree with the linter on real rows: every row
the linter passes is schema-valid, and every structural fault it reports as an error
the schema rejects. Order rules (turn order, system position, thinking) are
linter-only and documented as such in the schemas."""

import json

import jsonschema
import pytest
from conftest import SCHEMAS, realistic, with_row

SCHEMA_FILE = {
    "messages": "messages.schema.json",
    "dpo": "dpo.schema.json",
    "prompt-completion": "prompt_completion.schema.json",
    "legacy-text": "legacy_text.schema.json",
    "cpt-text": "cpt_text.schema.json",
    "image-messages": "image_messages.schema.json",
    "rl-prompt": "rl_prompt.schema.json",
}
VALID = {**SCHEMA_FILE, "tools": "messages.schema.json"}  # tool-calling rows are SFT messages rows
# Rules about structure, which a JSON Schema can express.
STRUCTURAL = {"M101", "M102", "M103", "M104", "M108", "D102", "P101", "C101", "A101", "G101"}


def validator(kind):
    schema = json.loads((SCHEMAS / VALID[kind]).read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


@pytest.mark.parametrize("kind", [k for k in VALID if k != "image-messages"])
def test_valid_fixture_rows_are_schema_valid(kind):
    v = validator(kind)
    for line in realistic(kind, count=200, seed=11):
        assert not list(v.iter_errors(json.loads(line))), line


def test_image_package_rows_are_schema_valid_and_faults_are_not():
    from conftest import FIXTURES

    v = validator("image-messages")
    rows = [json.loads(x) for x in (FIXTURES / "image_package" / "data.jsonl").read_text(encoding="utf-8").splitlines()]
    assert rows and all(not list(v.iter_errors(r)) for r in rows)
    bad = [
        {"messages": [{"role": "user", "content": "这张图里有什么？"}]},  # string content (I102)
        {"messages": [{"role": "user", "content": [{"image": "imgs/a.jpg"}]}]},  # a path (I103)
        {"messages": [{"role": "user", "content": [{"audio": "a.mp3"}]}]},  # an unknown item (I102)
    ]
    assert all(list(v.iter_errors(r)) for r in bad)


U = {"role": "user", "content": "我想退货"}
A = {"role": "assistant", "content": "好的，请在订单页申请售后。"}
MUTATIONS = [
    ("messages", {"messages": U}),
    ("messages", {"messages": []}),
    ("messages", {}),
    ("messages", {"messages": [U, "好的"]}),
    ("messages", {"messages": [{"role": "bot", "content": "hi"}, A]}),
    ("messages", {"messages": [{"content": "hi"}, A]}),
    ("messages", {"messages": [U, {"role": "assistant", "content": ["好的"]}]}),
    ("messages", {"messages": [U, {"role": "assistant"}]}),
    ("messages", {"messages": [{**U, "name": "张三"}, A]}),
    ("messages", {"messages": [U, {**A, "weight": 0}]}),
    ("messages", {"messages": [U, A]}),
    ("messages", {"messages": [U, {**A, "content": ""}]}),  # empty content: a warning, schema-valid
    ("dpo", {"messages": [U], "chosen": A, "rejected": {"role": "assistant", "content": "不行"}}),
    ("dpo", {"messages": [U], "chosen": [A], "rejected": A}),
    ("dpo", {"messages": [U], "chosen": {"role": "user", "content": "x"}, "rejected": A}),
    ("dpo", {"messages": [U], "chosen": A}),
    ("dpo", {"messages": [U], "chosen": A, "rejected": {"role": "assistant", "content": " "}}),
    ("prompt-completion", {"prompt": "你好", "completion": "您好"}),
    ("prompt-completion", {"prompt": "你好"}),
    ("prompt-completion", {"prompt": "", "completion": "您好"}),
    ("prompt-completion", {"prompt": 1, "completion": "您好"}),
    ("cpt-text", {"text": "杭州是浙江省省会。"}),
    ("cpt-text", {"text": ""}),
    ("cpt-text", {"text": None}),
    ("messages", {"messages": [{**U, "content": [{"text": "我想退货"}]}, {**A, "content": [{"text": "好的，"}, {"text": "请在订单页申请售后。"}]}]}),
    ("messages", {"messages": [U, {**A, "content": []}]}),
    ("messages", {"messages": [U, {**A, "content": [{"type": "text", "text": "好的"}]}]}),
    ("messages", {"messages": [U, {**A, "content": [{"text": 1}]}]}),
    ("messages", {"tools": [{"name": "track_order"}], "messages": [U, A]}),
    ("messages", {"tools": [{"type": "function", "function": {"name": "track_order", "parameters": {"type": "string"}}}], "messages": [U, A]}),
    ("messages", {"tools": [{"type": "function", "function": {"name": "track_order", "parameters": {"type": "object"}}}], "messages": [U, A]}),
    ("dpo", {"messages": [U], "chosen": {**A, "name": "客服"}, "rejected": {"role": "assistant", "content": "不行"}}),
    ("dpo", {"messages": [U], "chosen": {**A, "content": [{"text": "好的"}]}, "rejected": {"role": "assistant", "content": "不行"}}),
    ("rl-prompt", {"messages": [U], "rollout_extra": {"solution": "42"}}),
    ("rl-prompt", {"messages": [U, A], "rollout_extra": {"solution": "42"}}),
    ("rl-prompt", {"messages": [U], "rollout_extra": "42"}),
    ("rl-prompt", {"messages": [{"role": "system", "content": "你是数学助手。"}], "rollout_extra": {}}),
]


@pytest.mark.parametrize("kind, row", MUTATIONS)
def test_schema_and_linter_agree_on_structure(check, kind, row):
    result = check(with_row(realistic(kind), 0, row), data_format=kind)
    linter_rejects = any(f.code in STRUCTURAL and f.line == 1 for f in result.errors())
    schema_rejects = bool(list(validator(kind).iter_errors(row)))
    assert linter_rejects == schema_rejects, [(f.code, f.message) for f in result.findings if f.line == 1]
