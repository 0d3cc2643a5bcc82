"""JSON that parses but cannot train (L107 lone surrogate, L108 nesting too deep, L109
duplicate key, L110 NaN/Infinity), checked against an independent oracle: Python's own
`json` (object_pairs_hook for repeated keys, parse_constant for NaN, a fresh thread's
stack for nesting) and `str.encode("utf-8")` for surrogates, never ftlint's readers."""

from __future__ import annotations

import json
import threading
from collections import Counter
from typing import Any

import orjson
import pytest
from conftest import dumps, generate, realistic
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ftlint.engine import parallel
from ftlint.engine.lines import parse_line
from ftlint.engine.scanning import check_source, selected_rules
from ftlint.engine.sources import source_for_file
from ftlint.options import CheckOptions
from ftlint.rules.duplicate_key import DuplicateKey, _no_duplicates
from ftlint.rules.lone_surrogate import LoneSurrogate

NEW = ("L104", "L107", "L108", "L109", "L110")
SETTINGS = dict(deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


# -- the oracle: Python's json and str.encode, nothing of ftlint ---------------------------


def repeated_keys(text: str) -> list[str]:
    """Every key Python's json sees more than once in one object."""
    found: list[str] = []

    def hook(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        found.extend(key for key, count in Counter(key for key, _ in pairs).items() if count > 1)
        return dict(pairs)

    json.loads(text, object_pairs_hook=hook)
    return found


def has_lone_surrogate(text: str) -> bool:
    """Python's json reads the line, and some string or key of it has no UTF-8 form."""
    try:
        json.dumps(json.loads(text), ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def non_finite_only(text: str) -> bool:
    """Python's json reads the line, and would not without NaN/Infinity."""
    json.loads(text)  # accepted as it is

    def refuse(name: str) -> Any:
        raise ValueError(name)

    try:
        json.loads(text, parse_constant=refuse)
    except ValueError:
        return True
    return False


def oracle(line: str) -> set[str]:
    """The codes the oracle says a line deserves, of L107-L110. Python's json runs on a
    fresh thread, so that it parses from a shallow stack with the default recursion
    limit, as a program reading the file would, not from deep inside pytest."""
    result: list[Any] = []
    thread = threading.Thread(target=lambda: result.append(_oracle(line)))
    thread.start()
    thread.join()
    return result[0]


def _oracle(line: str) -> set[str]:
    try:
        json.loads(line)
    except RecursionError:
        return {"L108"}
    except ValueError:
        return set()
    codes = set()
    if non_finite_only(line):
        codes.add("L110")
    if has_lone_surrogate(line):
        codes.add("L107")
    if repeated_keys(line):
        codes.add("L109")
    return codes


def chat(*turns: str, **extra: Any) -> dict[str, Any]:
    roles = ["user", "assistant"]
    return {"messages": [{"role": roles[i % 2], "content": text} for i, text in enumerate(turns)], **extra}


# -- the cases, in realistic files ----------------------------------------------------------

HALF_EMOJI = dumps(chat("给我讲个笑话", "好的！程序员为什么分不清万圣节和圣诞节？因为 Oct 31 == Dec 25 \ud83d")).replace("\ud83d", "\\ud83d")
LONE_KEY = dumps(chat("What's the refund window?", "30 days from delivery.")).replace('"content": "30', '"\\udc00content": "30')
REPEATED = dumps(chat("退货怎么操作？", "在订单页点击“申请退货”。", "运费谁出？")).replace(
    '"content": "运费谁出？"', '"content": "Who pays the shipping?", "content": "运费谁出？"')
NAN = dumps(chat("How confident are you?", "Not sure.", score=0.5)).replace("0.5", "NaN")
INFINITY = dumps(chat("最大值是多少？", "没有上限。", upper=1, lower=2)).replace('"upper": 1', '"upper": Infinity').replace('"lower": 2', '"lower": -Infinity')
DEEP = dumps(chat("把这个结构展开", "好的", meta=1)).replace('"meta": 1', '"meta": ' + "[" * 995 + "]" * 995)

CASES = {"L107": [HALF_EMOJI, LONE_KEY], "L108": [DEEP], "L109": [REPEATED], "L110": [NAN, INFINITY]}


def test_the_cases_are_what_the_oracle_says():
    for code, lines in CASES.items():
        for line in lines:
            assert oracle(line) == {code}, line[:80]


def test_each_rule_finds_its_case_at_its_physical_line(check):
    lines = realistic(count=80, seed=7)
    at: dict[str, list[int]] = {}
    for n, (code, line) in enumerate((code, line) for code, group in CASES.items() for line in group):
        index = 9 + 11 * n
        lines[index] = line
        at.setdefault(code, []).append(index + 1)
    cases = {number for numbers in at.values() for number in numbers}
    assert all(oracle(line) == set() for n, line in enumerate(lines, 1) if n not in cases)
    result = check(lines)
    for code in ("L107", "L108", "L109", "L110"):
        assert result.lines(code) == at[code], code
    assert result.of("L104") == []
    # Each of these lines gives one finding of these rules: its own. (Rows Python's json
    # reads are still checked: the key "\\udc00content" is also M104's and M109's.)
    for code, numbers in at.items():
        for number in numbers:
            assert [f.code for f in result.findings if f.line == number and f.code in NEW] == [code]
    assert [f.code for f in result.findings if f.line in at["L108"] + at["L110"]] == ["L108", "L110", "L110"]


def test_what_each_finding_says(check):
    lines = realistic(count=60, seed=3)
    lines[4], lines[9], lines[14], lines[19], lines[24] = HALF_EMOJI, LONE_KEY, REPEATED, NAN, DEEP
    result = check(lines)
    half, key = result.of("L107")
    assert (half.line, half.path, half.column) == (5, "messages[1].content", HALF_EMOJI.index("\\ud83d") + 1)
    assert "\\ud83d" in half.message and half.severity.value == "error"
    assert (key.line, key.path, key.column) == (10, "messages[1].\\udc00content", LONE_KEY.index("\\udc00") + 1)
    [repeated] = result.of("L109")
    assert (repeated.line, repeated.path, repeated.severity.value) == (15, "messages[2]", "warning")
    assert '"content"' in repeated.message and repeated_keys(REPEATED) == ["content"]
    [nan] = result.of("L110")
    assert (nan.line, nan.column, nan.platform_code) == (20, NAN.index("NaN") + 1, 14) and "NaN" in nan.message
    [deep] = result.of("L108")
    assert (deep.line, deep.platform_code) == (25, 14)
    assert deep.column == DEEP.index("[" * 995) + 990  # the bracket that goes past 990 levels
    assert result.report.fails_with() == 14


def test_non_finite_rows_are_not_checked_further(check):
    # The NaN row also has an unknown role: as for invalid JSON, its row rules do not run.
    row = dumps({"messages": [{"role": "human", "content": "你好"}, {"role": "assistant", "content": "您好"}], "score": 1}).replace('"score": 1', '"score": NaN')
    assert oracle(row) == {"L110"}
    result = check(realistic(count=60)[:30] + [row] + realistic(count=60)[30:])
    assert [f.code for f in result.findings if f.line == 31] == ["L110"]


def test_nan_with_a_syntax_error_is_one_l104():
    line = NAN[:-1] + ",}"
    with pytest.raises(json.JSONDecodeError):
        json.loads(line)
    parsed = parse_line(1, line.encode())
    assert parsed.json_error is not None and parsed.json_error.kind == "syntax"


def test_nan_can_be_ignored_or_selected_by_code(tmp_path):
    path = tmp_path / "data.jsonl"
    lines = realistic(count=60)
    lines[5] = NAN
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    def codes(**given: Any) -> list[tuple[str, int | None]]:
        options = CheckOptions(**given)
        return [(f.code, f.line) for f in check_source(source_for_file(path), options, selected_rules(options)).findings]

    assert ("L110", 6) in codes()
    assert [c for c in codes(ignore=("L110",)) if c[0] in NEW] == []
    assert codes(select=("L110",)) == [("L110", 6)]
    assert codes(select=("non-finite-number",)) == [("L110", 6)]


VALID = {
    "a surrogate pair (json.dumps' default ensure_ascii=True writes emoji so)": json.dumps(chat("发个表情", "好的 😀🎉")),
    "a key-like \\\": inside a string": dumps(chat('JSON 里 {"role": "user"} 是什么意思？', 'It means the key "role": has the value "user".')),
    "keys that differ only in a backslash": '{"messages": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "yo"}], "a\\\\": 1, "a": 2}',
    "NaN and Infinity inside strings": dumps(chat("What is NaN?", "NaN means Not a Number; Infinity is larger than every number.")),
    "spaces before colons": '{"messages" : [{"role" :"user", "content"  :  "几点了？"}, {"role": "assistant", "content": "下午 3:30。"}]}',
    "colons written as \\u003a": '{"messages": [{"role": "user", "content": "time\\u003a 3\\u003a30"}, {"role": "assistant", "content": "ok"}]}',
    "nested 900 levels": dumps(chat("深层结构", "好的", meta=1)).replace('"meta": 1', '"meta": ' + "[" * 900 + "]" * 900),
    "1e999, valid JSON": dumps(chat("How big?", "Very.", size=1)).replace('"size": 1', '"size": 1e999'),
}


@pytest.mark.parametrize("name", list(VALID))
def test_valid_rows_give_no_finding(check, name):
    row = VALID[name]
    assert oracle(row) == set()
    lines = realistic(count=60, seed=11)
    lines[17] = row
    result = check(lines)
    assert [f for f in result.findings if f.code in NEW] == []


def test_tool_call_rows_repeat_keys_only_in_different_objects(check):
    lines = [dumps(row) for row in generate.rows("tools", 60, seed=2)]
    arguments = [call["function"]["arguments"] for line in lines for m in json.loads(line)["messages"] for call in m.get("tool_calls", [])]
    assert len(arguments) > 20 and any('"city"' in a for a in arguments)  # JSON in strings: every colon counts twice
    assert not any(oracle(line) for line in lines)
    assert [f for f in check(lines).findings if f.code in NEW] == []
    # The cheap test decides every one of these rows: none needs Python's json.
    assert all(_no_duplicates(line.encode(), orjson.loads(line)) for line in lines)


# -- the cheap duplicate test is exact: never a miss, and no slow path on ordinary rows ---

keys = st.sampled_from(["role", "content", "a", "a:b", 'q"', "\\", "名字", ":", ""])
leaves = st.one_of(st.none(), st.booleans(), st.integers(-5, 5), st.text(st.sampled_from('ab:"\\ 中😀'), max_size=6))
trees = st.recursive(leaves, lambda inner: st.lists(inner, max_size=3) | st.lists(st.tuples(keys, inner), max_size=4), max_leaves=12)


def write(value: Any, draw: Any) -> str:
    """JSON text of a tree whose objects are lists of (key, value) pairs, so keys can
    repeat; spelled the ways writers spell it (spaces around colons, escaped colons and
    quotes, ASCII-only)."""
    if isinstance(value, list) and value and all(isinstance(p, tuple) for p in value):
        return "{" + ", ".join(write(k, draw) + draw(st.sampled_from(["", " ", "\t"])) + ":" + draw(st.sampled_from(["", " "])) + write(v, draw) for k, v in value) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(write(v, draw) for v in value) + "]"
    if isinstance(value, str):
        text = json.dumps(value, ensure_ascii=draw(st.booleans()))
        if draw(st.booleans()):
            text = text[0] + text[1:-1].replace(":", "\\u003a") + text[-1]
        return text
    return json.dumps(value)


@settings(max_examples=200, **SETTINGS)
@given(trees, st.data())
def test_the_cheap_duplicate_test_never_misses(tree, data):
    line = write(tree if isinstance(tree, list) else [("k", tree)], data.draw)
    if not line.startswith("{"):
        line = '{"k": ' + line + "}"
    repeats = repeated_keys(line)
    parsed = parse_line(1, line.encode())
    assert parsed.json_error is None
    if _no_duplicates(parsed.raw, parsed.value):
        assert repeats == [], line
    # One finding per object and key; an object inside a value a repeat dropped is gone
    # from the row, so it may go unnamed, but never the repeat that dropped it.
    findings = list(DuplicateKey(CheckOptions()).check_line(parsed))
    assert bool(findings) == bool(repeats) and len(findings) <= len(repeats), line


@settings(max_examples=200, **SETTINGS)
@given(st.lists(st.sampled_from(["\\ud83d", "\\ude00", "\\ud83d\\ude00", "\\\\ud800", "\\\\", "好", "a", "\\n", "\\u4e2d"]), max_size=8), st.booleans())
def test_lone_surrogates_are_found_exactly(pieces, in_key):
    text = "".join(pieces)
    line = '{"' + text + '": 1}' if in_key else '{"messages": [{"role": "user", "content": "' + text + '"}]}'
    parsed = parse_line(1, line.encode())
    findings = list(LoneSurrogate(CheckOptions()).check_line(parsed))
    assert bool(findings) == has_lone_surrogate(line), line
    if findings:
        key = next(iter(json.loads(line)))
        assert findings[0].path == (key.encode("utf-8", "backslashreplace").decode() if in_key else "messages[0].content")
        escape = findings[0].column - 1
        assert line[escape : escape + 2] == "\\u" and 0xD800 <= int(line[escape + 2 : escape + 6], 16) <= 0xDFFF


# -- serial and parallel checks agree -------------------------------------------------------


def test_parallel_check_equals_serial(tmp_path, monkeypatch):
    monkeypatch.setattr(parallel, "MIN_PARALLEL_BYTES", 1)
    monkeypatch.setattr(parallel, "RANGE_BYTES", 16 << 10)
    lines = realistic("long-messages", count=240, seed=21)
    cases = [line for group in CASES.values() for line in group] + list(VALID.values())
    for n, line in enumerate(cases):
        lines[7 + 17 * n] = line
    path = tmp_path / "train.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    source = source_for_file(path)
    options = CheckOptions(max_per_rule=0)
    rules = selected_rules(options)
    serial = check_source(source, options, rules, jobs=1)
    assert len(parallel.cut(path, 2)) > 10  # really split
    fanned = check_source(source, options, rules, jobs=2)
    assert fanned.to_dict() == serial.to_dict()
    assert {"L107", "L108", "L109", "L110"} <= set(serial.counts) and "L104" not in serial.counts
