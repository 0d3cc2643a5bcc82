"""LLaMA-Factory datasets as they are: `ftlint convert data/dataset_info.json --dataset
NAME` reads the declared formatting, columns and tags, and the four demo shapes
(Alpaca, ShareGPT tool calling, images, preference) become check-clean uploads. The
source files, read with Python's json, are the oracle for every converted row."""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

import pytest
from conftest import run_cli

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "fixtures"))
import llamafactory_demo  # noqa: E402


@pytest.fixture()
def demo(tmp_path):
    return llamafactory_demo.write(tmp_path, rows=60)


def converted(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def convert(data: Path, name: str, out: Path):
    result = run_cli("convert", data / "dataset_info.json", "--dataset", name, "-o", out)
    assert result.returncode == 0, result.stderr.decode() + result.stdout.decode()
    source = json.loads((data / llamafactory_demo.DATASET_INFO[name]["file_name"]).read_text(encoding="utf-8"))
    assert f"rows: {len(source)} in = {len(source)} out + 0 rejected" in result.stdout.decode()
    return source


def check_clean(path: Path) -> dict:
    result = run_cli("check", path, "--format", "json")
    report = json.loads(result.stdout)
    assert result.returncode == 0 and report["summary"]["errors"] == 0 and report["summary"]["warnings"] == 0, result.stdout.decode()
    return report


def test_alpaca_demo(demo, tmp_path):
    assert run_cli("check", demo / "alpaca_zh_demo.json").returncode == 1  # an array: F110
    source = convert(demo, "alpaca_zh_demo", tmp_path / "alpaca.jsonl")
    rows = converted(tmp_path / "alpaca.jsonl")
    for row, original in zip(rows, source, strict=True):
        # LLaMA-Factory's user turn: instruction and input, each when not empty, joined by one line break
        prompt = "\n".join(part for part in (original["instruction"], original["input"]) if part)
        assert row["messages"] == [{"role": "user", "content": prompt}, {"role": "assistant", "content": original["output"]}]
    check_clean(tmp_path / "alpaca.jsonl")


def test_tool_calling_demo(demo, tmp_path):
    source = convert(demo, "glaive_toolcall_zh_demo", tmp_path / "tools.jsonl")
    for row, original in zip(converted(tmp_path / "tools.jsonl"), source, strict=True):
        assert [t["function"] for t in row["tools"]] == json.loads(original["tools"])
        turns = original["conversations"]
        calls = [json.loads(t["value"]) for t in turns if t["from"] == "function_call"]
        made = [c["function"] for m in row["messages"] for c in m.get("tool_calls", [])]
        assert [(c["name"], json.loads(c["arguments"])) for c in made] == [(c["name"], c["arguments"]) for c in calls]
        results = [t["value"] for t in turns if t["from"] == "observation"]
        assert [m["content"][0]["text"] for m in row["messages"] if m["role"] == "tool"] == results
        answered = {m["tool_call_id"] for m in row["messages"] if m["role"] == "tool"}
        assert answered == {c["id"] for m in row["messages"] for c in m.get("tool_calls", [])}
    check_clean(tmp_path / "tools.jsonl")


def test_image_demo_becomes_a_package_and_leaves_the_originals(demo, tmp_path):
    originals = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in (demo / "mllm_demo_data").iterdir()}
    source = convert(demo, "mllm_demo", tmp_path / "mllm_package")
    package = tmp_path / "mllm_package"
    rows = converted(package / "data.jsonl")
    for row, original in zip(rows, source, strict=True):
        named = [item["image"] for m in row["messages"] for item in m["content"] if "image" in item]
        # the n-th image item is a byte-identical copy of the row's n-th image
        assert [hashlib.sha256((package / n).read_bytes()).hexdigest() for n in named] == [originals[demo / p] for p in original["images"]]
        texts = ["".join(i["text"] for i in m["content"] if "text" in i) for m in row["messages"]]
        assert texts == [m["content"].replace("<image>", "") for m in original["messages"]]
        assert [m["role"] for m in row["messages"]] == [m["role"] for m in original["messages"]]
    assert {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in (demo / "mllm_demo_data").iterdir()} == originals
    assert sorted(p.name for p in package.iterdir()) == ["data.jsonl", "img_000001.jpg", "img_000002.jpg", "img_000003.jpg", "img_000004.jpg"]
    check_clean(package)


def test_preference_demo(demo, tmp_path):
    source = convert(demo, "dpo_zh_demo", tmp_path / "dpo.jsonl")
    for row, original in zip(converted(tmp_path / "dpo.jsonl"), source, strict=True):
        assert row["messages"] == [{"role": "user", "content": original["conversations"][0]["value"]}]
        assert row["chosen"] == {"role": "assistant", "content": original["chosen"]["value"]}
        assert row["rejected"] == {"role": "assistant", "content": original["rejected"]["value"]}
    check_clean(tmp_path / "dpo.jsonl")


def test_declared_columns_and_tags_are_followed(tmp_path):
    rows = [{"question": f"第{i}个问题：1+{i}等于几？", "answer": f"{1 + i}", "sys": "你是数学老师。"} for i in range(60)]
    chats = [{"dialog": [{"speaker": "客户", "text": f"订单 A{i} 到哪了？"}, {"speaker": "客服", "text": "已经发货。"}]} for i in range(60)]
    (tmp_path / "qa.json").write_text(json.dumps(rows, ensure_ascii=False, indent=2), encoding="utf-8")
    (tmp_path / "chat.json").write_text(json.dumps(chats, ensure_ascii=False, indent=2), encoding="utf-8")
    info = {"qa": {"file_name": "qa.json", "columns": {"prompt": "question", "response": "answer", "system": "sys"}},
            "chat": {"file_name": "chat.json", "formatting": "sharegpt", "columns": {"messages": "dialog"},
                     "tags": {"role_tag": "speaker", "content_tag": "text", "user_tag": "客户", "assistant_tag": "客服"}}}
    (tmp_path / "dataset_info.json").write_text(json.dumps(info, ensure_ascii=False), encoding="utf-8")
    assert run_cli("convert", tmp_path, "--dataset", "qa", "-o", tmp_path / "qa.jsonl").returncode == 0  # the folder names its dataset_info.json
    for row, original in zip(converted(tmp_path / "qa.jsonl"), rows, strict=True):
        assert row["messages"] == [{"role": "system", "content": original["sys"]}, {"role": "user", "content": original["question"]},
                                   {"role": "assistant", "content": original["answer"]}]
    assert run_cli("convert", tmp_path / "dataset_info.json", "--dataset", "chat", "-o", tmp_path / "chat.jsonl").returncode == 0
    for row, original in zip(converted(tmp_path / "chat.jsonl"), chats, strict=True):
        assert row["messages"] == [{"role": "user", "content": original["dialog"][0]["text"]}, {"role": "assistant", "content": "已经发货。"}]


def test_unusable_descriptions_are_one_line_errors(demo, tmp_path):
    for args, words in ((["--dataset", "remote_example"], "remote dataset"), (["--dataset", "alpaca_demo"], "did you mean alpaca_zh_demo"),
                        (["--dataset", "alpaca_zh_demo", "--from", "alpaca"], "leave out --from")):
        result = run_cli("convert", demo / "dataset_info.json", *args, "-o", tmp_path / "x.jsonl")
        assert result.returncode == 2 and words in result.stderr.decode(), result.stderr
        assert len(result.stderr.decode().strip().splitlines()) == 1
    assert not (tmp_path / "x.jsonl").exists()


def test_a_package_folder_must_be_new_and_a_failed_run_leaves_none(demo, tmp_path):
    taken = tmp_path / "taken"
    taken.mkdir()
    (taken / "notes.txt").write_text("mine", encoding="utf-8")
    result = run_cli("convert", demo / "dataset_info.json", "--dataset", "mllm_demo", "-o", taken)
    assert result.returncode == 2 and "new or empty" in result.stderr.decode()
    assert sorted(p.name for p in taken.iterdir()) == ["notes.txt"]
    # a package whose rows all name missing images: nothing but the rejects is written
    (demo / "mllm_demo_data" / "1.jpg").unlink()
    result = run_cli("convert", demo / "dataset_info.json", "--dataset", "mllm_demo", "-o", tmp_path / "pkg")
    rejects = [json.loads(line) for line in (tmp_path / "pkg.rejects.jsonl").read_text(encoding="utf-8").splitlines()]
    source = json.loads((demo / "mllm_demo.json").read_text(encoding="utf-8"))
    missing = [r for r in source if "mllm_demo_data/1.jpg" in r["images"]]
    assert len(rejects) == len(missing) and all("no such image file" in r["reason"] for r in rejects)
    written = converted(tmp_path / "pkg" / "data.jsonl")
    assert len(written) + len(rejects) == len(source)
    named = {item["image"] for row in written for m in row["messages"] for item in m["content"] if "image" in item}
    assert named == {p.name for p in (tmp_path / "pkg").iterdir()} - {"data.jsonl"}  # no image of a rejected row was copied


def write_dataset(tmp_path: Path, rows: list[dict], entry: dict) -> Path:
    (tmp_path / "rows.json").write_text(json.dumps(rows, ensure_ascii=False, indent=2), encoding="utf-8")
    (tmp_path / "dataset_info.json").write_text(json.dumps({"d": {"file_name": "rows.json", **entry}}, ensure_ascii=False), encoding="utf-8")
    return tmp_path / "dataset_info.json"


def test_undeclared_columns_are_dropped_and_counted_and_a_missing_declared_one_rejects(tmp_path):
    # LLaMA-Factory reads only declared columns: a stray `system` or `history` must not enter the row
    rows = [{"q": f"第{i}个问题：{i}+1等于几？", "a": f"{i + 1}", "system": "你是数学老师。", "history": [["你好", "你好！"]]} for i in range(60)]
    rows[7] = {"instruction": "no q column here", "a": "8"}
    info = write_dataset(tmp_path, rows, {"columns": {"prompt": "q", "response": "a"}})
    result = run_cli("convert", info, "--dataset", "d", "-o", tmp_path / "out.jsonl")
    out = result.stdout.decode()
    assert "rows: 60 in = 59 out + 1 rejected" in out, out
    written = converted(tmp_path / "out.jsonl")
    expected = [r for k, r in enumerate(rows) if k != 7]
    for row, original in zip(written, expected, strict=True):
        assert row["messages"] == [{"role": "user", "content": original["q"]}, {"role": "assistant", "content": original["a"]}]
    assert "system: 59" in out and "history: 59" in out, out  # counted as dropped fields
    reject = json.loads((tmp_path / "out.rejects.jsonl").read_text(encoding="utf-8"))
    lines = (tmp_path / "rows.json").read_text(encoding="utf-8").splitlines()
    assert reject["line"] == lines.index('    "instruction": "no q column here",')  # the line of its "{", 1-based
    assert "'q'" in reject["reason"] and "prompt" in reject["reason"], reject


def test_ranking_must_be_a_boolean(tmp_path):
    info = write_dataset(tmp_path, [{"instruction": "a", "output": "b"}], {"ranking": "false"})
    result = run_cli("convert", info, "--dataset", "d", "-o", tmp_path / "out.jsonl")
    assert result.returncode == 2 and "ranking" in result.stderr.decode() and len(result.stderr.decode().strip().splitlines()) == 1
    assert not (tmp_path / "out.jsonl").exists()


def test_no_output_may_be_dataset_info_or_an_image_or_inside_the_package(demo, tmp_path):
    info_bytes = (demo / "dataset_info.json").read_bytes()
    image = demo / "mllm_demo_data" / "2.jpg"
    image_bytes = image.read_bytes()
    cases = ((["-o", demo / "dataset_info.json"], "alpaca_zh_demo"), (["-o", tmp_path / "p1", "--rejects", image], "mllm_demo"),
             (["-o", tmp_path / "p2", "--rejects", tmp_path / "p2" / "r.jsonl"], "mllm_demo"))
    for args, name in cases:
        result = run_cli("convert", demo / "dataset_info.json", "--dataset", name, *args)
        err = result.stderr.decode()
        assert result.returncode == 2 and len(err.strip().splitlines()) == 1 and "internal error" not in err, err
    assert (demo / "dataset_info.json").read_bytes() == info_bytes and image.read_bytes() == image_bytes
    assert not any((tmp_path / p).exists() and any((tmp_path / p).iterdir()) for p in ("p1", "p2"))


def test_an_image_that_cannot_be_read_or_copied_rejects_its_rows_and_leaves_no_file(demo, tmp_path, monkeypatch):
    import pathlib
    import shutil

    source = json.loads((demo / "mllm_demo.json").read_text(encoding="utf-8"))
    real_open, real_copy = pathlib.Path.open, shutil.copyfileobj
    for broken, words in (("3.jpg", "cannot read"), ("4.jpg", "cannot copy")):
        target = demo / "mllm_demo_data" / broken

        def failing_open(self, *args, words=words, target=target, **kwargs):
            if words == "cannot read" and self == target:
                raise PermissionError(13, "Permission denied")
            return real_open(self, *args, **kwargs)

        def failing_copy(f, out, *args, words=words, target=target):
            if words == "cannot copy" and getattr(f, "name", "") == str(target):
                out.write(b"half an image")
                raise OSError(5, "Input/output error")
            return real_copy(f, out, *args)

        monkeypatch.setattr(pathlib.Path, "open", failing_open)
        monkeypatch.setattr(shutil, "copyfileobj", failing_copy)
        package = tmp_path / f"pkg_{broken[0]}"
        result = run_cli("convert", demo / "dataset_info.json", "--dataset", "mllm_demo", "-o", package)
        monkeypatch.undo()
        rejects = [json.loads(line) for line in (tmp_path / f"pkg_{broken[0]}.rejects.jsonl").read_text(encoding="utf-8").splitlines()]
        hit = [r for r in source if f"mllm_demo_data/{broken}" in r["images"]]
        assert len(rejects) == len(hit) and all(words in r["reason"] for r in rejects), (result.stdout, rejects[:1])
        written = converted(package / "data.jsonl")
        assert len(written) + len(rejects) == len(source)
        named = {item["image"] for row in written for m in row["messages"] for item in m["content"] if "image" in item}
        assert named == {p.name for p in package.iterdir()} - {"data.jsonl"}  # no partial or orphan copy
        for name in named:
            assert (package / name).read_bytes() in {(demo / "mllm_demo_data" / f"{k}.jpg").read_bytes() for k in range(1, 5)}
