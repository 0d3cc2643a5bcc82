"""Bad input never crashes ftlint: any bytes, any JSON, give a report."""

import json

from conftest import realistic
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ftlint.engine.scanning import check_source
from ftlint.engine.sources import source_for_file
from ftlint.options import CheckOptions
from ftlint.rules.base import all_rules

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


@settings(max_examples=100, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(st.binary(max_size=2000))
def test_any_bytes_give_a_report(tmp_path, content):
    run(tmp_path, content)


def near_valid(kind: str):
    """A realistic row of a format with one slot changed: a key dropped, or a value
    replaced by any JSON value."""
    import random

    def mutate(seed, value, path_choice):
        row = json.loads(realistic(kind, count=1, seed=seed)[0])
        slots = [(row, key) for key in row]
        for inner in list(row.values()):
            if isinstance(inner, list):
                slots += [(inner, i) for i in range(len(inner))]
                slots += [(m, k) for m in inner if isinstance(m, dict) for k in m]
            elif isinstance(inner, dict):
                slots += [(inner, k) for k in inner]
        container, key = random.Random(path_choice).choice(slots)
        if value == "DROP" and isinstance(container, dict):
            del container[key]
        else:
            container[key] = value
        return row

    return st.builds(mutate, st.integers(0, 50), st.one_of(st.just("DROP"), json_values), st.integers(0, 10**6))


@settings(max_examples=100, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(st.sampled_from(["messages", "dpo", "prompt-completion", "legacy-text", "cpt-text"]).flatmap(lambda kind: st.lists(near_valid(kind), min_size=1, max_size=6)))
def test_near_valid_rows_of_every_format_give_a_report(tmp_path, rows):
    content = "\n".join(json.dumps(r, ensure_ascii=False) for r in rows).encode("utf-8", "surrogatepass")
    report = run(tmp_path, content)
    assert report.rows == len(rows)


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(st.lists(json_values, min_size=1, max_size=8))
def test_any_json_values_give_a_report(tmp_path, values):
    content = "\n".join(json.dumps(v, ensure_ascii=False) for v in values).encode()
    report = run(tmp_path, content)
    if any(f.code == "F110" for f in report.findings):  # one line holding an array of rows: its elements are counted
        assert len(values) == 1 and isinstance(values[0], list)
        assert report.rows == len(values[0])
    else:
        assert report.rows == len(values)


@settings(max_examples=100, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(st.data())
def test_mutated_realistic_files_give_a_report(tmp_path, data):
    kind = data.draw(st.sampled_from(["messages", "dpo", "prompt-completion", "legacy-text", "cpt-text"]))
    content = bytearray(("\n".join(realistic(kind, count=8)) + "\n").encode())
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


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(st.data())
def test_a_file_the_checker_passes_round_trips_through_fix_unchanged(tmp_path, data):
    import io

    from ftlint.rewriting.fix import FixOptions, fix_stream

    kind = data.draw(st.sampled_from(["messages", "dpo", "cpt-text"]))
    count = data.draw(st.integers(50, 70))
    content = ("\n".join(realistic(kind, count=count, seed=data.draw(st.integers(0, 1000)))) + "\n").encode()
    report = run(tmp_path, content)
    if report.errors == 0:
        out = []
        fix_stream(io.BytesIO(content), FixOptions(), out.append, lambda r: None)
        assert b"".join(out) == content
