"""JSON array files (`[{...}, {...}]`, LLaMA-Factory's and Alpaca's usual shape): `check`
reports them once (F110) and names the command; `convert` and `fix` read them
streaming, each element with its physical lines. Python's json is the oracle."""

from __future__ import annotations

import io
import json
import random
import tracemalloc

from conftest import run_cli
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ftlint.engine.json_array import ArrayError, elements, is_array_head

QUESTIONS = ["把下面的句子翻译成英文", "Summarise the paragraph in one sentence", "写一首关于西湖的七言绝句", "Explain what a \"token\" is, in {braces} and [brackets]"]


def alpaca_rows(n: int, seed: int = 0) -> list[dict]:
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        row = {"instruction": rng.choice(QUESTIONS) + f" #{i}", "input": rng.choice(["", "今天天气很好。\n明天下雨。", "C:\\path\\to\\file"]),
               "output": " ".join(rng.choice(["答案", "answer", "逗号,", "括号]", "引号\"", "换行\n"]) for _ in range(rng.randint(1, 60)))}
        if i % 5 == 0:
            row["history"] = [["你好", "你好！有什么可以帮你？"], ["Where is my order?", "It ships today."]]
        rows.append(row)
    return rows


@settings(max_examples=60, deadline=None)
@given(st.lists(st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=8),
                             lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3), max_leaves=8),
                max_size=12),
       st.sampled_from([None, 0, 1, 2, 4]), st.sampled_from([1, 3, 7, 1 << 20]))
def test_elements_match_pythons_json_with_their_lines(values, indent, chunk):
    text = json.dumps(values, indent=indent, ensure_ascii=False)
    import ftlint.engine.json_array as module

    old, module.CHUNK = module.CHUNK, chunk  # chunk edges inside strings, escapes and brackets
    try:
        found = list(elements(io.BytesIO(text.encode())))
    finally:
        module.CHUNK = old
    assert [json.loads(e.raw) for e in found] == values
    assert [(e.first_line, e.last_line) for e in found] == element_lines(text)


def test_every_chunk_edge_after_an_escape_keeps_the_string_open():
    # A chunk ending just after an escaped quote (`\\"`) once closed the string there: the
    # rest of the row was read as JSON structure and rows were lost. Every edge is tried.
    values = [{"instruction": 'Say "hi", then [stop]', "output": 'a \\"quoted\\" path, {x}'}, {"q": "引号\"，逗号,", "a": "\\"}, ["]", "\"]\""]]
    for indent in (None, 2):
        text = json.dumps(values, indent=indent, ensure_ascii=False)
        import ftlint.engine.json_array as module

        for chunk in range(1, len(text.encode()) + 1):
            old, module.CHUNK = module.CHUNK, chunk
            try:
                found = list(elements(io.BytesIO(text.encode())))
            finally:
                module.CHUNK = old
            assert [json.loads(e.raw) for e in found] == values, chunk
            assert [(e.first_line, e.last_line) for e in found] == element_lines(text), chunk


def element_lines(text: str) -> list[tuple[int, int]]:
    """Each element's first and last line, found by Python's own decoder (raw_decode
    gives where each value starts and ends)."""
    decoder = json.JSONDecoder()
    at = text.index("[") + 1
    spans = []
    while True:
        while text[at] in " \t\r\n,":
            at += 1
        if text[at] == "]":
            return spans
        _, end = decoder.raw_decode(text, at)
        spans.append((text.count("\n", 0, at) + 1, text.count("\n", 0, end) + 1))
        at = end


def test_a_pretty_printed_array_is_sniffed_and_jsonl_of_lists_is_not():
    rows = alpaca_rows(3)
    assert is_array_head(json.dumps(rows, indent=2, ensure_ascii=False).encode())
    assert is_array_head(json.dumps(rows, ensure_ascii=False).encode())  # one line, rows of a known format
    assert is_array_head(b"\xef\xbb\xbf\n[\n")  # a BOM, then an array
    bare = '[{"role": "user", "content": "你好"}, {"role": "assistant", "content": "你好！"}]'
    assert not is_array_head(f"{bare}\n{bare}\n".encode())  # JSON Lines of bare messages lists (L105)
    assert not is_array_head(b'[null, {"a": 1}]')  # one line of values that are no rows
    assert not is_array_head(b'{"messages": []}\n')


def test_json_lines_with_a_broken_or_long_first_line_is_not_an_array_and_renamed_rows_are():
    good = "\n".join(json.dumps({"messages": [{"role": "user", "content": f"问题 {i}"}, {"role": "assistant", "content": "答"}]}, ensure_ascii=False) for i in range(5))
    assert not is_array_head(('[{"role": "user", "content": "hi"\n' + good + "\n").encode())  # a cut first row, then rows
    long_list = json.dumps([{"role": "user", "content": "长" * 40_000}, {"role": "assistant", "content": "ok"}], ensure_ascii=False)
    from ftlint.engine.json_array import sniff

    array, stream = sniff(io.BytesIO(f"{long_list}\n{long_list}\n".encode()))  # a first line past the 64 KiB sniff
    assert not array and stream.read() == f"{long_list}\n{long_list}\n".encode()
    assert is_array_head(json.dumps([{"q": "你好", "a": "hi"}, {"q": "2", "a": "3"}], ensure_ascii=False).encode())  # LLaMA-Factory renamed columns
    assert not is_array_head(json.dumps([{"role": "user", "content": "你好"}]).encode())  # one bare messages list: a row


def test_a_raw_line_break_in_a_string_costs_one_row_and_a_forgotten_quote_too():
    rows = alpaca_rows(6, seed=3)
    text = json.dumps(rows, indent=2, ensure_ascii=False)
    pasted = text.replace(json.dumps(rows[1]["output"], ensure_ascii=False), '"line one\nline two, with [bracket] and {brace"', 1)
    forgot = text.replace(json.dumps(rows[3]["output"], ensure_ascii=False) + "\n", '"no closing quote\n', 1)
    for broken, bad in ((pasted, 1), (forgot, 3)):
        found = list(elements(io.BytesIO(broken.encode())))
        assert len(found) == len(rows)
        for index, element in enumerate(found):
            if index == bad:
                try:
                    json.loads(element.raw)
                except json.JSONDecodeError:
                    continue
                raise AssertionError(element.raw)
            assert json.loads(element.raw) == rows[index]


def test_text_after_the_array_is_one_line_error_and_nothing_written(tmp_path):
    source = tmp_path / "a.json"
    source.write_text(json.dumps(alpaca_rows(3), indent=2, ensure_ascii=False) + "\n[3]\n", encoding="utf-8")
    for command in (["fix", str(source), "-o", str(tmp_path / "f.jsonl")], ["convert", str(source), "--from", "alpaca", "-o", str(tmp_path / "c.jsonl")]):
        result = run_cli(*command)
        lines = result.stderr.decode().strip().splitlines()
        assert result.returncode == 2 and len(lines) == 1 and "internal error" not in lines[0], result.stderr
        assert f"{source}:" in lines[0] and "Traceback" not in lines[0]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.json"]


def test_broken_arrays_say_where():
    for text, line in ((b'[\n{"a": 1}\n]\nx', 4), (b'[\n{"a": 1},\n,\n{"b": 2}]', 3), (b'{"a": 1}', 1)):
        try:
            list(elements(io.BytesIO(text)))
        except ArrayError as err:
            assert err.line == line, (text, err)
        else:
            raise AssertionError(text)
    cut = list(elements(io.BytesIO(b'[\n  {"a": 1},\n  {"b": 2,\n   "c": 3')))
    assert [json.loads(e.raw) for e in cut[:1]] == [{"a": 1}]
    assert cut[1].problem and (cut[1].first_line, cut[1].last_line) == (3, 4)


def test_reading_an_array_holds_one_element_at_a_time(tmp_path):
    small = json.dumps(alpaca_rows(2_000), indent=2, ensure_ascii=False).encode()
    large = json.dumps(alpaca_rows(40_000), indent=2, ensure_ascii=False).encode()
    peaks = []
    for data in (small, large):
        path = tmp_path / "a.json"
        path.write_bytes(data)
        tracemalloc.start()
        with path.open("rb") as f:
            n = sum(1 for _ in elements(f))
        peaks.append(tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
        assert n == len(json.loads(data))
    assert len(large) > 15 * len(small)
    assert peaks[1] < 2 * peaks[0] + (1 << 20), peaks  # flat: the chunk and one element, not the file


def test_check_reports_an_array_once_and_names_the_command(tmp_path):
    path = tmp_path / "alpaca_zh_demo.json"
    rows = alpaca_rows(500)
    path.write_text(json.dumps(rows, indent=2, ensure_ascii=False), encoding="utf-8")
    result = run_cli("check", path, "--format", "json")
    assert result.returncode == 1
    report = json.loads(result.stdout)
    findings = report["files"][0]["findings"]
    assert [f["code"] for f in findings] == ["F110"]
    assert "500 rows" in findings[0]["message"]
    assert f"ftlint convert {path} --from alpaca -o {tmp_path / 'alpaca_zh_demo.jsonl'}" in findings[0]["hint"]
    assert report["files"][0]["rows"] == 500


def test_convert_reads_an_array_and_rejects_the_broken_element_with_its_lines(tmp_path):
    rows = alpaca_rows(120, seed=3)
    text = json.dumps(rows, indent=2, ensure_ascii=False)
    # break element 60: a trailing comma inside it, on one of its lines
    lines = text.split("\n")
    start = next(i for i, line in enumerate(lines) if '"instruction"' in line and "#60\"" in line)
    lines[start] = lines[start].replace('"instruction": ', '"instruction": ,', 1)
    (tmp_path / "in.json").write_text("\n".join(lines), encoding="utf-8")
    result = run_cli("convert", tmp_path / "in.json", "--from", "alpaca", "-o", tmp_path / "out.jsonl")
    assert "rows: 120 in = 119 out + 1 rejected" in result.stdout.decode(), result.stdout.decode() + result.stderr.decode()
    out = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(out) == 119
    assert out[0]["messages"][-1]["content"] == rows[0]["output"]
    assert out[60]["messages"][-1]["content"] == rows[61]["output"]  # order kept around the reject
    rejects = [json.loads(line) for line in (tmp_path / "out.rejects.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(rejects) == 1
    # the reject's lines are the element's own: the line before it ends element 59
    assert lines[rejects[0]["line"] - 2].strip() == "},"
    assert lines[rejects[0]["last_line"] - 1].strip() in ("},", "}")
    assert "#60" in rejects[0]["text"]


def test_fix_writes_platform_rows_of_an_array_as_json_lines(tmp_path):
    rows = [{"messages": [{"role": "user", "content": f"问题 {i}：1.50 元还是 1.5 元？"}, {"role": "assistant", "content": "一样多。"}], "score": 1.50} for i in range(60)]
    text = json.dumps(rows, indent=2, ensure_ascii=False).replace('"score": 1.5', '"score": 1.50')
    (tmp_path / "train.json").write_text(text, encoding="utf-8")
    result = run_cli("fix", tmp_path / "train.json", "-o", tmp_path / "train.jsonl")
    assert "F110 wrote the JSON array's elements as JSON Lines rows: 60" in result.stdout.decode(), result.stdout.decode() + result.stderr.decode()
    written = (tmp_path / "train.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line) for line in written] == json.loads(text)
    assert all('"score": 1.50' in line or '"score":1.50' in line for line in written)  # numbers kept as written
    refused = run_cli("fix", tmp_path / "train.json", "--in-place")
    assert refused.returncode == 2 and "JSON array" in refused.stderr.decode()
    assert (tmp_path / "train.json").read_text(encoding="utf-8") == text


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=200))
def test_any_bytes_after_an_opening_bracket_give_elements_or_one_error(data):
    try:
        for element in elements(io.BytesIO(b"[" + data)):
            assert element.first_line <= element.last_line
    except ArrayError as err:
        assert err.line >= 1


def test_a_folder_of_json_arrays_checks_nothing_and_says_why(tmp_path):
    (tmp_path / "alpaca_zh_demo.json").write_text(json.dumps(alpaca_rows(60), indent=2, ensure_ascii=False), encoding="utf-8")
    (tmp_path / "dataset_info.json").write_text('{"alpaca_zh_demo": {"file_name": "alpaca_zh_demo.json"}}', encoding="utf-8")
    result = run_cli("check", tmp_path)
    assert result.returncode == 2 and result.stdout == b""
    message = result.stderr.decode()
    assert "no dataset to check" in message and "1 .json file (" in message and "alpaca_zh_demo.json" in message
    assert len(message.strip().splitlines()) == 1


def test_split_refuses_an_array_and_names_the_command(tmp_path):
    (tmp_path / "train.json").write_text(json.dumps(alpaca_rows(80), indent=2, ensure_ascii=False), encoding="utf-8")
    result = run_cli("split", tmp_path / "train.json", "--train", tmp_path / "a.jsonl", "--validation", tmp_path / "b.jsonl")
    assert result.returncode == 2 and "ftlint fix" in result.stderr.decode()
    assert not (tmp_path / "a.jsonl").exists() and not (tmp_path / "b.jsonl").exists()
