"""Each behaviour issue 11 found broken, as a user met it, checked with plain bytes and
Python's json (never ftlint's reader)."""

import gzip
import json
import os

import pytest
from conftest import dumps, realistic

from ftlint.cli import main


def run(*args) -> int:
    with pytest.raises(SystemExit) as exited:
        main([str(a) for a in args])
    return exited.value.code


def lines(count=60, seed=11) -> list[str]:
    return realistic(count=count, seed=seed)


def write(path, rows, end="\n"):
    path.write_bytes((end.join(rows) + end).encode("utf-8", "surrogatepass"))
    return path.read_bytes()


NAMED = dumps({"messages": [{"role": "user", "content": "退货", "name": "小王"}, {"role": "assistant", "content": "好的"}]})


def test_a_rejects_file_named_like_the_input_is_refused(tmp_path):
    data = write(tmp_path / "a.jsonl", lines() + ["not json"])
    assert run("fix", tmp_path / "a.jsonl", "-o", tmp_path / "b.jsonl", "--rejects", tmp_path / "a.jsonl") == 2
    assert (tmp_path / "a.jsonl").read_bytes() == data and sorted(os.listdir(tmp_path)) == ["a.jsonl"]


def test_split_parts_with_one_name_are_refused(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "p.jsonl", lines(100))
    assert run("split", "p.jsonl", "--train", "t.jsonl", "--validation", "./t.jsonl") == 2
    assert sorted(os.listdir(tmp_path)) == ["p.jsonl"]


def test_in_place_on_gzip_stays_gzip_and_every_backup_survives(tmp_path):
    path = tmp_path / "g.jsonl.gz"
    original = gzip.compress(("\n".join(lines(59) + [NAMED]) + "\n").encode())
    path.write_bytes(original)
    assert run("fix", path, "--in-place") == 0
    assert path.read_bytes()[:2] == b"\x1f\x8b"
    last = json.loads(gzip.decompress(path.read_bytes()).decode().splitlines()[-1])
    assert last == {"messages": [{"role": "user", "content": "退货"}, {"role": "assistant", "content": "好的"}]}
    path.write_bytes(gzip.compress(gzip.decompress(path.read_bytes()) + (NAMED + "\n").encode()))
    assert run("fix", path, "--in-place") == 0
    assert (tmp_path / "g.jsonl.gz.bak").read_bytes() == original  # the first original is still there
    assert (tmp_path / "g.jsonl.gz.bak.2").exists()


def test_a_failing_run_leaves_the_input_as_it_was(tmp_path):
    data = write(tmp_path / "f.jsonl", lines(59) + [NAMED, "broken"])
    assert run("fix", tmp_path / "f.jsonl", "--in-place", "--rejects", tmp_path / "missing" / "r.jsonl") == 2
    assert (tmp_path / "f.jsonl").read_bytes() == data and sorted(os.listdir(tmp_path)) == ["f.jsonl"]


def test_a_lone_surrogate_never_crashes(tmp_path, capsys):
    plain = dumps({"messages": [{"role": "user", "content": "\ud83d 你好"}, {"role": "assistant", "content": "hi"}]}).replace("\ud83d", "\\ud83d")
    named = plain.replace('"content": "hi"', '"content": "hi", "name": "n"')
    write(tmp_path / "s.jsonl", lines(58) + [plain, named])
    assert run("fix", tmp_path / "s.jsonl", "-o", tmp_path / "out.jsonl") in (0, 1)
    assert "internal error" not in capsys.readouterr().err
    out = (tmp_path / "out.jsonl").read_bytes().splitlines()
    assert plain.encode() in out  # needs nothing: copied byte for byte
    [reject] = [json.loads(x) for x in (tmp_path / "out.rejects.jsonl").read_text().splitlines()]
    assert reject["line"] == 60 and "lone surrogate" in reject["reason"]


def test_literal_repair_never_changes_a_string_and_numbers_keep_their_text(tmp_path):
    literal = "{'messages': [{'role': 'user', 'content': \"see https:\\/\\/example.com\"}, {'role': 'assistant', 'content': 'ok'}]}"
    big = NAMED[:-1] + ', "score": 1e999}'
    write(tmp_path / "u.jsonl", lines(58) + [literal, big])
    run("fix", tmp_path / "u.jsonl", "-o", tmp_path / "out.jsonl")
    out = (tmp_path / "out.jsonl").read_text().splitlines()
    assert not any("\\\\/" in row for row in out)  # never a literal backslash
    rejects = [json.loads(x) for x in (tmp_path / "out.rejects.jsonl").read_text().splitlines()]
    assert [r["line"] for r in rejects] == [59, 60] or 60 not in [r["line"] for r in rejects]
    assert "Infinity" not in "".join(out)
    for row in out:
        json.loads(row, parse_constant=lambda name: pytest.fail(f"{name} written"))


def test_a_truncated_line_keeps_the_next_row_and_indent_0_is_rejoined(tmp_path):
    rows = lines(60)
    truncated = rows[:30] + ['{"messages": [{"role": "user", "content": "trunc"},', " " + rows[30]] + rows[31:]
    write(tmp_path / "t.jsonl", truncated)
    run("fix", tmp_path / "t.jsonl", "-o", tmp_path / "t_out.jsonl")
    assert (tmp_path / "t_out.jsonl").read_bytes().splitlines()[30] == (" " + rows[30]).encode()
    pretty = rows[:59] + json.dumps(json.loads(rows[59]), ensure_ascii=False, indent=0).split("\n")
    write(tmp_path / "i.jsonl", pretty)
    assert run("fix", tmp_path / "i.jsonl", "-o", tmp_path / "i_out.jsonl") == 0
    out = (tmp_path / "i_out.jsonl").read_text().splitlines()
    assert len(out) == 60 and json.loads(out[-1]) == json.loads(rows[59]) and not (tmp_path / "i.rejects.jsonl").exists()


def test_harmless_whitespace_is_kept_byte_for_byte(tmp_path):
    rows = lines(60)
    rows[10] = "   " + rows[10] + "\t"
    data = write(tmp_path / "w.jsonl", rows)
    assert run("fix", tmp_path / "w.jsonl", "-o", tmp_path / "w_out.jsonl") == 0
    assert (tmp_path / "w_out.jsonl").read_bytes() == data


def test_split_never_puts_a_row_in_both_parts(tmp_path):
    rows = lines(100)
    write(tmp_path / "d.jsonl", rows + rows[:20])
    assert run("split", tmp_path / "d.jsonl", "--train", tmp_path / "t.jsonl", "--validation", tmp_path / "v.jsonl") == 0
    train = set((tmp_path / "t.jsonl").read_text().splitlines())
    validation = set((tmp_path / "v.jsonl").read_text().splitlines())
    assert not train & validation and train | validation == set(rows)


def test_convert_maps_tools_and_counts_what_it_drops(tmp_path, capsys):
    call = json.dumps({"name": "get_weather", "arguments": {"city": "北京"}}, ensure_ascii=False)
    tools = json.dumps([{"name": "get_weather", "description": "天气", "parameters": {"type": "object", "properties": {"city": {"type": "string"}}}}], ensure_ascii=False)
    rows = [dumps({"id": i, "conversations": [{"from": "human", "value": f"查天气 {i}"}, {"from": "function_call", "value": call},
                                             {"from": "observation", "value": '{"temp": 20}'}, {"from": "gpt", "value": "北京 20 度"}], "tools": tools}) for i in range(60)]
    write(tmp_path / "sg.jsonl", rows)
    assert run("convert", tmp_path / "sg.jsonl", "--from", "sharegpt", "-o", tmp_path / "out.jsonl") == 0
    assert "dropped field id: 60 rows" in capsys.readouterr().out
    first = json.loads((tmp_path / "out.jsonl").read_text().splitlines()[0])
    assert first["tools"][0] == {"type": "function", "function": json.loads(tools)[0]}
    call_message, tool_message = first["messages"][1], first["messages"][2]
    assert json.loads(call_message["tool_calls"][0]["function"]["arguments"]) == {"city": "北京"}
    assert tool_message["tool_call_id"] == call_message["tool_calls"][0]["id"] and tool_message["content"] == [{"text": '{"temp": 20}'}]
    assert run("convert", tmp_path / "sg.jsonl", "--from", "sharegpt", "-o", tmp_path / "strict.jsonl", "--strict") == 1  # an empty output
    assert len((tmp_path / "strict.rejects.jsonl").read_text().splitlines()) == 60
