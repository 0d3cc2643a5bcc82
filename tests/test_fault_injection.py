"""Each fault, inserted at a known line of a 1,300-row realistic conversation file, is
reported at exactly that line, with the right severity and platform code."""

import json

import pytest
from conftest import realistic

ROWS = 1300
AT = 1234  # 1-based line where each fault is injected

U = {"role": "user", "content": "我买的空气炸锅不加热了，怎么办？"}
A = {"role": "assistant", "content": "很抱歉给您带来不便。请先确认电源插好、锅体推到位，然后按住电源键5秒重启。若仍不加热，可在订单页申请售后维修。"}
S = {"role": "system", "content": "You are a helpful assistant for an online store."}


def j(row) -> str:
    return json.dumps(row, ensure_ascii=False)


# name: (line text, rule code, severity, platform code)
FAULTS = {
    "blank line": ("", "L101", "error", 13),
    "whitespace-only line": ("  \t  ", "L101", "error", 13),
    "single quotes": (str({"messages": [U, A]}), "L104", "error", 14),
    "NaN": ('{"messages": [{"role": "user", "content": "x"}], "score": NaN}', "L110", "error", 14),
    "truncated line": (j({"messages": [U, A]})[:-30], "L104", "error", 14),
    "not an object": (j([U, A]), "L105", "error", None),
    "messages not a list": (j({"messages": U}), "M101", "error", None),
    "message not an object": (j({"messages": [U, "好的"]}), "M102", "error", None),
    "unknown role": (j({"messages": [{"role": "human", "content": "你好"}, A]}), "M103", "error", None),
    "content not a string": (j({"messages": [U, {"role": "assistant", "content": 42}]}), "M104", "error", None),
    "empty content": (j({"messages": [U, {"role": "assistant", "content": ""}]}), "M105", "warning", None),
    "system not first": (j({"messages": [U, S, A]}), "M106", "error", None),
    "two users in a row": (j({"messages": [S, U, U, A]}), "M107", "error", None),
    "two assistants in a row": (j({"messages": [U, A, A]}), "M107", "error", None),
    "ends with user": (j({"messages": [U, A, U]}), "M107", "error", None),
    "name key": (j({"messages": [{**U, "name": "客户"}, A]}), "M108", "error", None),
    "weight key": (j({"messages": [U, {**A, "weight": 1}]}), "M108", "error", None),
    "unknown key": (j({"messages": [{**U, "lang": "zh"}, A]}), "M109", "warning", None),
    "bad thinking": (j({"messages": [U, {"role": "assistant", "content": "<think>想一想</think>答案"}]}), "M110", "error", None),
    "loss_weight": (j({"messages": [{**U, "loss_weight": 0.3}, A]}), "M111", "error", None),
    "other format row": (j({"prompt": "你好", "completion": "您好"}), "R102", "error", None),
    "no format": (j({"instruction": "翻译", "output": "translate"}), "R101", "error", None),
    "unknown top-level field": (j({"messages": [U, A], "source": "crm-export"}), "R103", "warning", None),
}


@pytest.mark.parametrize("name", list(FAULTS))
def test_fault_is_reported_at_its_line(check, name):
    text, code, severity, platform_code = FAULTS[name]
    lines = realistic(count=ROWS, seed=42)
    lines[AT - 1] = text
    result = check(lines)
    found = [f for f in result.of(code) if f.line is not None]  # a rule may add one note for the file (M111)
    assert [f.line for f in found] == [AT], (name, [(f.code, f.line) for f in result.findings])
    assert found[0].severity.value == severity
    assert found[0].platform_code == platform_code
    # Nothing else in the file is an error: the fault is the only one.
    assert {f.line for f in result.errors()} <= {AT}


def test_utf8_faults_at_a_known_line(check):
    lines = [line.encode() for line in realistic(count=ROWS, seed=42)]
    lines[AT - 1] = j({"messages": [U, A]}).encode("gb18030")
    result = check(b"\n".join(lines) + b"\n")
    assert [(f.line, f.platform_code) for f in result.of("L103")] == [(AT, 14)]


def test_bom_and_duplicate(check):
    lines = realistic(count=ROWS, seed=42)
    lines[AT - 1] = lines[99]
    result = check(b"\xef\xbb\xbf" + ("\n".join(lines) + "\n").encode())
    assert [(f.line, f.platform_code) for f in result.of("L102")] == [(1, 14)]
    assert [(f.line, f.message) for f in result.of("F104")] == [(AT, "duplicate of line 100")]


def test_dpo_faults_at_a_known_line(check):
    base = realistic("dpo", count=ROWS, seed=42)
    row = json.loads(base[AT - 1])
    faults = {
        "D101": {**row, "messages": row["messages"] + [A]},
        "D102": {**row, "chosen": [row["chosen"]]},
        "D103": {**row, "rejected": row["chosen"]},
    }
    for code, bad in faults.items():
        lines = list(base)
        lines[AT - 1] = j(bad)
        assert check(lines).lines(code) == [AT], code


def test_file_level_faults(check):
    lines = realistic(count=49, seed=42)
    result = check(lines, batch_size=2048, name="客服 数据.jsonl")  # above today's 1,024: O101
    assert {(f.code, f.platform_code) for f in result.findings if f.line is None} == {("F102", 15), ("F103", None), ("F106", None), ("O101", 1)}
