"""Bad input never crashes ftlint: any bytes, any JSON, give a report."""

import json

from conftest import realistic
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ftlint.checker import check_source
from ftlint.options import CheckOptions
from ftlint.rule import all_rules
from ftlint.source import source_for_file

RULES = all_rules()
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.sampled_from(["role", "content", "messages", "chosen", "rejected", "prompt", "completion", "text", "name", "tool_calls"]) | st.text(max_size=5), inner, max_size=5),
    max_leaves=20,
)


def run(tmp_path, content: bytes, name="data.jsonl"):
    path = tmp_path / name
    path.write_bytes(content)
    report = check_source(source_for_file(path), CheckOptions(), RULES)
    lines = content.count(b"\n") + 1
    for finding in report.findings:
        assert finding.line is None or 1 <= finding.line <= lines
        assert finding.column is None or finding.column >= 1
    return report


@settings(max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(st.binary(max_size=2000))
def test_any_bytes_give_a_report(tmp_path, content):
    run(tmp_path, content)


@settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(st.lists(json_values, min_size=1, max_size=8))
def test_any_json_values_give_a_report(tmp_path, values):
    content = "\n".join(json.dumps(v, ensure_ascii=False) for v in values).encode()
    report = run(tmp_path, content)
    assert report.rows == len(values)


@settings(max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(st.data())
def test_mutated_realistic_files_give_a_report(tmp_path, data):
    content = bytearray(("\n".join(realistic(count=8)) + "\n").encode())
    for _ in range(data.draw(st.integers(1, 6))):
        at = data.draw(st.integers(0, len(content) - 1))
        action = data.draw(st.sampled_from(["flip", "delete", "insert"]))
        if action == "flip":
            content[at] = data.draw(st.integers(0, 255))
        elif action == "delete":
            del content[at : at + data.draw(st.integers(1, 40))]
        else:
            content[at:at] = data.draw(st.sampled_from([b"\n", b"\r", b"'", b"\xef\xbb\xbf", b"\x00", b'"', b"{", b"NaN"]))
        if not content:
            content = bytearray(b"\n")
    run(tmp_path, bytes(content))
