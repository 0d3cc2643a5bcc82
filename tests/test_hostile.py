"""Hostile and broken inputs end in a report (exit 0/1) or a one-line error (exit 2),
with valid JSON on stdout under --format json, no traceback, within seconds.
(bench/hostile.py runs the full-size versions and prints time and memory.)"""

import gzip
import json
import os
import zipfile

import pytest
from conftest import dumps, realistic, run_cli

from ftlint.engine.lines import LineReader


def check_json(*args):
    run = run_cli("check", "--format", "json", *args)
    assert b"Traceback" not in run.stderr
    data = json.loads(run.stdout)  # always valid JSON
    codes = {c for f in data.get("files", []) for c in f.get("counts", {})}
    return run.returncode, codes, data


def body(count=60) -> bytes:
    return ("\n".join(realistic(count=count)) + "\n").encode()


CASES = {
    "random bytes": (lambda: os.urandom(200_000), {"L103"}),
    "CR-only line ends": (lambda: body().replace(b"\n", b"\r"), {"L104"}),
    "UTF-16": (lambda: body().decode().encode("utf-16"), {"L103"}),
    "deep nesting": (lambda: b'{"a":' * 100_000 + b"1" + b"}" * 100_000 + b"\n", {"L108"}),
    "huge numbers": (lambda: b'{"prompt": "a", "completion": "b", "n": ' + b"9" * 5000 + b'}\n{"prompt": "a", "completion": "b", "x": 1e400}\n', {"L104"}),
    "NUL bytes": (lambda: b'{"prompt": "a\x00b", "completion": "c"}\n\x00\x00\n', {"L104"}),
    "wrong types everywhere": (lambda: b"\n".join(json.dumps(w).encode() for w in [{"messages": None}, {"messages": [None, 1, {"role": 5, "content": {}}]}, {"chosen": 1, "messages": {}}, {"text": ["a"]}]) + b"\n", {"M101", "M102", "M103", "M104", "D102", "C101"}),
}


@pytest.mark.parametrize("name", list(CASES))
def test_hostile_file_gives_a_report(tmp_path, name):
    make, expected = CASES[name]
    path = tmp_path / "data.jsonl"
    path.write_bytes(make())
    code, codes, _ = check_json(path)
    assert code == 1 and expected <= codes, codes


def test_cr_only_line_ends_are_named_in_the_hint(tmp_path):
    path = tmp_path / "mac.jsonl"
    path.write_bytes(body().replace(b"\n", b"\r"))
    _, _, data = check_json(path)
    [finding] = [f for f in data["files"][0]["findings"] if f["code"] == "L104"]
    assert "CR-only" in finding["hint"]


def test_a_line_longer_than_any_upload_is_measured_not_kept():
    import io

    data = b'{"a":1}\n' + b"x" * (5 << 20) + b"\n{\"b\":2}\n"
    lines = list(LineReader(io.BytesIO(data), chunk_size=1 << 16, max_line=1 << 20))
    assert [n for n, _ in lines] == [1, 2, 3]
    assert lines[1][1] == b"" and lines[1][1].length == 5 << 20
    assert lines[2][1] == b'{"b":2}'


def test_zip_bomb_is_refused_without_inflating(tmp_path):
    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z, z.open("data.jsonl", "w", force_zip64=True) as w:
        for _ in range(64):
            w.write(b"\n" * (1 << 20))
    code, codes, data = check_json(bomb)
    assert code == 1 and codes == {"F108"}
    assert "decompression bomb" in data["files"][0]["findings"][0]["message"]


def test_gzip_is_never_inflated_past_the_cap(tmp_path, monkeypatch):
    from ftlint.engine import sources as source_module
    from ftlint.engine.scanning import check_paths
    from ftlint.options import CheckOptions

    monkeypatch.setattr(source_module, "MAX_INFLATED", 1 << 20)
    path = tmp_path / "big.jsonl.gz"
    path.write_bytes(gzip.compress(body(2000)))
    [file] = check_paths([str(path)], CheckOptions()).files
    assert "F108" in file.counts and "decompression bomb" in next(f.message for f in file.findings if f.code == "F108")


def test_special_paths_are_usage_errors(tmp_path):
    os.mkfifo(tmp_path / "pipe.jsonl")
    os.symlink(tmp_path / "nowhere", tmp_path / "dangling.jsonl")
    for name in ("pipe.jsonl", "dangling.jsonl", "missing.jsonl"):
        code, _, data = check_json(tmp_path / name)
        assert code == 2 and data["error"] and data["files"] == []


def test_a_directory_with_a_fifo_and_a_loop_is_walked(tmp_path):
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "train.jsonl").write_bytes(body())
    os.mkfifo(tmp_path / "d" / "pipe.jsonl")  # never opened: it would block
    os.symlink(tmp_path, tmp_path / "d" / "up")
    code, codes, data = check_json(tmp_path)
    assert code == 0 and [f["path"] for f in data["files"]] == [str(tmp_path / "d" / "train.jsonl")]


def test_tokenizer_survives_a_million_spaces():
    from ftlint.platform.catalog import get_model
    from ftlint.platform.tokenizers import tokenizer_for

    tokenizer = tokenizer_for(get_model("qwen3-8b").family)
    assert tokenizer.count(" " * 1_000_000) == 7813  # the same count the slower exact path gives
    assert tokenizer.count(" " * 1_000) == tokenizer._count_by_pieces(" " * 1_000)


def test_a_row_far_over_the_limit_is_bounded_not_counted(tmp_path):
    rows = realistic("prompt-completion", count=60)
    rows[0] = dumps({"prompt": "长" * 400_000, "completion": "ok"})
    path = tmp_path / "long.jsonl"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    _, _, data = check_json(path, "--model", "qwen-turbo")
    messages = [f["message"] for f in data["files"][0]["findings"] if f["code"] == "T101"]
    bounds = [int(m.split()[2].replace(",", "")) for m in messages if m.startswith("at least ") and "(a bound" in m]
    # The rendered conversation's bytes over 128: the prompt's 1.2 MB and the template's few dozen bytes.
    assert len(bounds) == 1 and 400_000 * 3 / 128 < bounds[0] <= (400_000 * 3 + 200) / 128 + 1, messages


def test_path_traversal_and_encrypted_entries_are_reported(tmp_path):
    package = tmp_path / "package.zip"
    with zipfile.ZipFile(package, "w") as z:
        z.writestr("data.jsonl", body())
        z.writestr("../../evil.jpg", b"x")
        z.writestr("/abs.png", b"x")
    code, codes, data = check_json(package)
    messages = [f["message"] for f in data["files"][0]["findings"] if f["code"] == "F109"]
    assert code == 1 and messages == ["entry '../../evil.jpg' points outside the archive", "entry '/abs.png' points outside the archive"]
    assert not (tmp_path.parent / "evil.jpg").exists()
