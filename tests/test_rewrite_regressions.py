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


# -- what the red-team review of the first version found -----------------------------


def test_an_output_that_is_not_a_regular_file_is_refused(tmp_path):
    write(tmp_path / "a.jsonl", lines())
    os.mkfifo(tmp_path / "pipe")
    assert run("fix", tmp_path / "a.jsonl", "-o", tmp_path / "pipe") == 2
    assert (tmp_path / "pipe").is_fifo()


def test_a_long_broken_line_is_read_in_linear_time(tmp_path):
    import time

    broken = '{"messages": [{"role": "user", "content": "' + 'print(\\"hi\\")' * 20000  # 260 KB, cut inside a string
    write(tmp_path / "h.jsonl", lines(60) + [broken])
    started = time.monotonic()
    run("fix", tmp_path / "h.jsonl", "-o", tmp_path / "h_out.jsonl")
    assert time.monotonic() - started < 10  # the quadratic version took minutes
    assert [json.loads(x)["line"] for x in (tmp_path / "h_out.rejects.jsonl").read_text().splitlines()] == [61]


def test_standard_input_that_is_the_output_file_is_refused(tmp_path, monkeypatch):
    import subprocess
    import sys

    data = write(tmp_path / "rep.jsonl", lines())
    with open(tmp_path / "rep.jsonl", "rb") as stdin:
        done = subprocess.run([sys.executable, "-m", "ftlint", "fix", "-", "-o", str(tmp_path / "rep.jsonl")], stdin=stdin, capture_output=True, timeout=120)
    assert done.returncode == 2 and b"same file" in done.stderr
    assert (tmp_path / "rep.jsonl").read_bytes() == data


def test_a_prompt_completion_file_check_passes_comes_out_identical(tmp_path):
    rows = realistic("prompt-completion", count=60, seed=4)
    data = write(tmp_path / "pc.jsonl", rows)
    assert run("fix", tmp_path / "pc.jsonl", "-o", tmp_path / "pc_out.jsonl") == 0
    assert (tmp_path / "pc_out.jsonl").read_bytes() == data
    assert run("fix", tmp_path / "pc.jsonl", "-o", tmp_path / "pc_msgs.jsonl", "--to-messages") == 0
    assert all("messages" in json.loads(x) for x in (tmp_path / "pc_msgs.jsonl").read_text().splitlines())


def test_literal_numbers_keep_their_text_and_python_only_forms_are_refused(tmp_path):
    ok = "{'messages': [{'role': 'user', 'content': '你好'}, {'role': 'assistant', 'content': 'hi', 'loss_weight': 0.10}], 'meta': 1e-400}"
    python_only = ["{'messages': [], 'a': 0x10}", "{'messages': [], 'a': 1_000}", "{'messages': [], 'a': 'x' 'y'}", "{'messages': [], 'a': 1, 'a': 2}"]
    write(tmp_path / "l.jsonl", lines(58) + [ok] + python_only)
    run("fix", tmp_path / "l.jsonl", "-o", tmp_path / "l_out.jsonl")
    out = (tmp_path / "l_out.jsonl").read_text().splitlines()
    assert any('"loss_weight": 0.10' in row and '"meta": 1e-400' in row for row in out)
    rejected = [json.loads(x)["line"] for x in (tmp_path / "l_out.rejects.jsonl").read_text().splitlines()]
    assert set(rejected) >= {60, 61, 62, 63}


def test_duplicate_keys_are_never_silently_dropped_by_a_rewrite(tmp_path):
    pretty = ['{', '"messages": [{"role": "user", "content": "SECRET"}, {"role": "assistant", "content": "x"}],', '"messages": [{"role": "user", "content": "a"}, {"role": "assistant", "content": "b"}]', '}']
    write(tmp_path / "d.jsonl", lines(60) + pretty)
    run("fix", tmp_path / "d.jsonl", "-o", tmp_path / "d_out.jsonl")
    assert "SECRET" not in (tmp_path / "d_out.jsonl").read_text()
    [reject] = [json.loads(x) for x in (tmp_path / "d_out.rejects.jsonl").read_text().splitlines()]
    assert "SECRET" in reject["text"] and "twice" in reject["reason"]


def test_a_lone_surrogate_key_is_counted_once_and_its_reject_parses(tmp_path, capsys):
    write(tmp_path / "s.jsonl", lines(60) + ['{"\\ud800": [{"role": "user", "content": "hi"}]}'])
    run("fix", tmp_path / "s.jsonl", "-o", tmp_path / "s_out.jsonl")
    assert "rows: 61 in = 60 out + 1 rejected" in capsys.readouterr().out
    [reject] = [json.loads(x) for x in (tmp_path / "s_out.rejects.jsonl").read_text().splitlines()]
    assert reject["line"] == 61


def test_function_call_arguments_must_be_a_json_object_and_keep_their_numbers(tmp_path):
    def row(arguments):
        call = json.dumps({"name": "f", "arguments": arguments, "id": "call_given"}) if not isinstance(arguments, str) else '{"name": "f", "arguments": ' + arguments + '}'
        return dumps({"conversations": [{"from": "human", "value": "q"}, {"from": "function_call", "value": call}, {"from": "observation", "value": "r"}, {"from": "gpt", "value": "a"}],
                      "tools": json.dumps([{"name": "f", "parameters": {"type": "object", "properties": {"x": {"type": "number", "minimum": 0}}}}])})
    good = [row({"x": 1}) for _ in range(59)] + [row('{"x": 1.10, "y": 1e999}')]
    bad = [row("hello"), row([1, 2]), row(None), row(5)]
    write(tmp_path / "sg.jsonl", good + bad)
    run("convert", tmp_path / "sg.jsonl", "--from", "sharegpt", "-o", tmp_path / "sg_out.jsonl")
    out = [json.loads(x, parse_float=str) for x in (tmp_path / "sg_out.jsonl").read_text().splitlines()]
    assert len(out) == 60 and out[0]["messages"][1]["tool_calls"][0]["id"] == "call_given"
    assert out[-1]["messages"][1]["tool_calls"][0]["function"]["arguments"] == '{"x": 1.10, "y": 1e999}'
    assert [json.loads(x)["line"] for x in (tmp_path / "sg_out.rejects.jsonl").read_text().splitlines()] == [61, 62, 63, 64]


def test_convert_never_drops_a_value_that_is_not_a_string(tmp_path):
    rows = [dumps({"instruction": f"写一句问候 {i}", "input": "", "output": "你好"}) for i in range(60)]
    odd = [dumps({"instruction": "a", "output": "b", "system": ["be nice"]}), dumps({"instruction": "a", "output": "b", "input": 0}),
           dumps({"instruction": "a", "output": "b", "history": False})]
    write(tmp_path / "al.jsonl", rows + odd)
    run("convert", tmp_path / "al.jsonl", "--from", "alpaca", "-o", tmp_path / "al_out.jsonl")
    assert [json.loads(x)["line"] for x in (tmp_path / "al_out.rejects.jsonl").read_text().splitlines()] == [61, 62, 63]


@pytest.mark.parametrize("damage", ["corrupt", "truncated", "not gzip"])
def test_a_bad_gzip_input_is_a_read_error_with_nothing_written(tmp_path, capsys, damage):
    packed = gzip.compress(("\n".join(lines()) + "\n").encode())
    packed = {"corrupt": packed[:40] + bytes([packed[40] ^ 0xFF]) + packed[41:], "truncated": packed[: len(packed) // 2], "not gzip": b"plain text\n"}[damage]
    (tmp_path / "g.jsonl.gz").write_bytes(packed)
    for command in (["fix", tmp_path / "g.jsonl.gz", "-o", tmp_path / "o.jsonl"], ["split", tmp_path / "g.jsonl.gz", "--train", tmp_path / "t.jsonl", "--validation", tmp_path / "v.jsonl"]):
        assert run(*command) == 2
        err = capsys.readouterr().err
        assert "cannot read" in err and "internal error" not in err
    assert sorted(os.listdir(tmp_path)) == ["g.jsonl.gz"]


def test_a_folder_as_input_is_a_usage_error(tmp_path, capsys):
    (tmp_path / "d").mkdir()
    write(tmp_path / "d" / "a.jsonl", lines())
    assert run("fix", tmp_path / "d", "-o", tmp_path / "o.jsonl") == 2
    assert "internal error" not in capsys.readouterr().err


def test_rows_nested_deeper_than_python_json_parses_are_rejected(tmp_path):
    deep = '{"messages": [{"role": "user", "content": "x"}, {"role": "assistant", "content": "y"}], "x": ' + "[" * 995 + "]" * 995 + "}"
    write(tmp_path / "n.jsonl", lines(60) + [deep])
    run("fix", tmp_path / "n.jsonl", "-o", tmp_path / "n_out.jsonl")
    for row in (tmp_path / "n_out.jsonl").read_text().splitlines():
        json.loads(row)  # raises RecursionError if the deep row got through


def test_a_broken_line_never_swallows_a_complete_row_of_any_format(tmp_path):
    legacy = dumps({"text": "\n\nHuman: hi\n\nAssistant: yo"})
    write(tmp_path / "b.jsonl", lines(60) + ['{"meta": ', legacy, "}"])
    run("fix", tmp_path / "b.jsonl", "-o", tmp_path / "b_out.jsonl")
    rejects = [json.loads(x) for x in (tmp_path / "b_out.rejects.jsonl").read_text().splitlines()]
    assert all(r["line"] == r["last_line"] for r in rejects)


def test_a_rejects_file_named_gz_is_compressed(tmp_path):
    write(tmp_path / "a.jsonl", lines() + ["broken"])
    run("fix", tmp_path / "a.jsonl", "-o", tmp_path / "o.jsonl", "--rejects", tmp_path / "r.jsonl.gz")
    assert json.loads(gzip.decompress((tmp_path / "r.jsonl.gz").read_bytes()))["line"] == 61


def test_in_place_through_a_symlink_replaces_the_target_and_keeps_the_link(tmp_path):
    real = tmp_path / "real.jsonl"
    original = write(real, lines(59) + [NAMED])
    (tmp_path / "link.jsonl").symlink_to(real)
    assert run("fix", tmp_path / "link.jsonl", "--in-place") == 0
    assert (tmp_path / "link.jsonl").is_symlink() and b'"name"' not in real.read_bytes()
    assert (tmp_path / "real.jsonl.bak").read_bytes() == original and not (tmp_path / "real.jsonl.bak").is_symlink()
