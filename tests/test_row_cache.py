"""The row cache (ftlint.engine.row_cache): a cached check is the uncached check,
finding for finding, serial and parallel; a re-check after a one-row edit measures
that row and no other; options, language and rules each make their own namespace;
a corrupt, unwritable or concurrently used cache changes no verdict. The oracle is
always an uncached run (--no-cache) of the same file."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, dumps, generate, run_cli

ON = {"FTLINT_NO_CACHE": ""}


@pytest.fixture()
def cache_dir(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("FTLINT_CACHE_DIR", str(folder))
    return folder


def dataset(path: Path, n: int = 400, seed: int = 3) -> list[str]:
    """Realistic rows with the mistakes a cache must replay: broken JSON, blank lines,
    bad roles, a BOM on the first line, copies (found across rows), long rows."""
    lines = [dumps(r) for r in generate.rows("messages", n, seed=seed)]
    lines[0] = "\ufeff" + lines[0]
    lines[5] = ""
    lines[9] = lines[9].replace('"', "'")
    lines[14] = lines[14].replace('"role": "user"', '"role": "human"', 1)
    lines[20] = lines[3]  # a copy: found by collecting, across rows
    lines[33] = dumps({"messages": [{"role": "user", "content": "长" * 3000}, {"role": "assistant", "content": "好的。" * 400}]})
    lines[40] = lines[40].replace('"content": "', '"content": "，', 1)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return lines


def check(path: Path, *args: str, cached: bool = True) -> dict:
    result = run_cli("check", path, "--format", "json", "--max-per-rule", "0", *args, *([] if cached else ["--no-cache"]), env=ON)
    assert result.returncode in (0, 1), result.stderr.decode()
    return json.loads(result.stdout)


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_cached_check_is_the_uncached_check_finding_for_finding(cache_dir, tmp_path, jobs, monkeypatch):
    import ftlint.engine.parallel as parallel

    monkeypatch.setattr(parallel, "worth_it", lambda source: True)  # the parallel path on a small file
    path = tmp_path / "chat.jsonl"
    dataset(path)
    args = ("--model", "qwen3-8b", "--max-length", "700", "-j", jobs)
    oracle = check(path, *args, cached=False)
    assert not cache_dir.exists()  # --no-cache writes nothing
    cold = check(path, *args)
    warm = check(path, *args)
    assert oracle["files"][0]["findings"] and {f["code"] for f in oracle["files"][0]["findings"]} >= {"L104", "L101", "L102", "M103", "F104", "T101"}
    assert cold == oracle and warm == oracle
    with sqlite3.connect(cache_dir / "rows-v1.sqlite") as db:
        assert db.execute("select count(*) from rows").fetchone()[0] == 398  # every distinct non-blank line (line 21 copies line 4)


def test_a_warm_file_is_replayed_in_one_process_and_a_half_warm_one_by_workers(cache_dir, tmp_path, monkeypatch):
    """Replaying is cheaper than forking workers whose summaries the main process must
    collect: a file whose sampled lines are nearly all cached is checked serially. A
    file with half its rows changed goes to the workers, which mix cached and fresh
    lines; both reports are the uncached ones."""
    import ftlint.engine.parallel as parallel
    import ftlint.engine.scanning as scanning

    monkeypatch.setattr(parallel, "worth_it", lambda source: True)
    went_parallel: list[str] = []
    real = scanning._check_in_parallel

    def recording(source, *args, **kwargs):
        went_parallel.append(source.name)
        return real(source, *args, **kwargs)

    monkeypatch.setattr(scanning, "_check_in_parallel", recording)
    path = tmp_path / "chat.jsonl"
    lines = dataset(path)
    args = ("--model", "qwen3-8b", "--max-length", "700", "-j", "2")
    check(path, *args)
    assert len(went_parallel) == 1  # cold: the workers
    assert check(path, *args) == check(path, *args, cached=False)
    assert len(went_parallel) == 2  # warm: one process (the uncached oracle still forks)
    edited = [line.replace("。", "！", 1) if i % 2 else line for i, line in enumerate(lines)]
    path.write_text("\n".join(edited) + "\n", encoding="utf-8")
    half_warm = check(path, *args)
    assert len(went_parallel) == 3
    assert half_warm == check(path, *args, cached=False)


def test_after_a_one_row_edit_only_that_row_is_measured(cache_dir, tmp_path, monkeypatch):
    from ftlint.platform import tokenizers

    measured: list[int] = []
    real = tokenizers.measure

    def counting(row, options):
        measured.append(row.line)
        return real(row, options)

    monkeypatch.setattr(tokenizers, "measure", counting)
    monkeypatch.setattr("ftlint.engine.scanning.measure", counting)
    path = tmp_path / "chat.jsonl"
    lines = dataset(path)
    args = ("--model", "qwen3-8b", "--max-length", "700", "-j", "1")
    check(path, *args)
    assert len(measured) == 400 - 2  # every row that is an object (not the blank line, not the broken one)
    measured.clear()
    lines[123] = lines[123].replace("。", "！", 1)
    assert lines[123] != dumps(generate.rows("messages", 400, seed=3)[123])
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    warm = check(path, *args)
    assert measured == [124]  # the edited row, and nothing else
    measured.clear()
    assert warm == check(path, *args, cached=False)


def test_each_namespace_gives_its_own_verdicts(cache_dir, tmp_path):
    path = tmp_path / "chat.jsonl"
    dataset(path)
    for args in (("--model", "qwen3-8b", "--max-length", "700"), ("--model", "qwen3-8b", "--max-length", "4000"), ("--ignore", "M103"), ("--severity", "W101=error"), ()):
        assert check(path, *args) == check(path, *args, cached=False), args
    chinese = run_cli("check", path, "--format", "json", "--lang", "zh", env=ON)
    again = run_cli("check", path, "--format", "json", "--lang", "zh", env=ON)
    english = run_cli("check", path, "--format", "json", "--lang", "en", env=ON)
    assert chinese.stdout == again.stdout and chinese.stdout != english.stdout
    assert json.loads(english.stdout) == check(path, cached=False)


def test_a_corrupt_or_unwritable_cache_changes_no_verdict(cache_dir, tmp_path):
    path = tmp_path / "chat.jsonl"
    dataset(path)
    oracle = check(path, cached=False)
    cache_dir.mkdir()
    (cache_dir / "rows-v1.sqlite").write_bytes(b"this is not a database" * 100)
    assert check(path) == oracle
    (cache_dir / "rows-v1.sqlite").unlink()
    check(path)
    with sqlite3.connect(cache_dir / "rows-v1.sqlite") as db:  # entries that do not decode
        db.execute("update rows set value = x'00ff00ff'")
    assert check(path) == oracle
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder", encoding="utf-8")
    os.environ["FTLINT_CACHE_DIR"] = str(blocked / "cache")  # cannot be made
    assert check(path) == oracle


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_cache_folder_that_cannot_be_looked_at_changes_no_verdict(tmp_path, monkeypatch, jobs):
    """A name too long for the file system (or a folder the user may not enter) makes
    even asking whether the cache exists fail: the check runs uncached, serial or
    parallel."""
    import ftlint.engine.parallel as parallel

    monkeypatch.setattr(parallel, "worth_it", lambda source: True)
    path = tmp_path / "chat.jsonl"
    dataset(path)
    args = ("--model", "qwen3-8b", "--max-length", "700", "-j", jobs)
    oracle = check(path, *args, cached=False)
    monkeypatch.setenv("FTLINT_CACHE_DIR", str(tmp_path / ("a" * 300)))
    assert check(path, *args) == oracle


def test_the_cache_stays_within_its_bound(cache_dir, tmp_path, monkeypatch):
    from ftlint.engine import row_cache

    monkeypatch.setattr(row_cache, "MAX_BYTES", 200_000)
    for seed in range(6):
        path = tmp_path / f"part{seed}.jsonl"
        generate.write(path, generate.rows("long-messages", 200, seed=seed))
        oracle = check(path, cached=False)
        assert check(path) == oracle and check(path) == oracle
    size = sum(p.stat().st_size for p in cache_dir.iterdir() if p.suffix == ".sqlite")
    assert size < 3 * 200_000, size  # pruned past the bound (pages are reused, the file stops there)


def test_concurrent_runs_share_the_cache_safely(cache_dir, tmp_path):
    paths = []
    for seed in range(4):
        path = tmp_path / f"f{seed}.jsonl"
        dataset(path, n=300, seed=seed)
        paths.append(path)
    env = {**os.environ, "FTLINT_NO_CACHE": "", "FTLINT_CACHE_DIR": str(cache_dir), "PYTHONPATH": str(ROOT)}
    runs = [subprocess.Popen([sys.executable, "-m", "ftlint", "check", str(p), "--format", "json", "--model", "qwen3-8b", "-j", "1"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env) for p in paths * 2]
    outputs = [run.communicate(timeout=300) for run in runs]
    for path, (out, err) in zip(paths * 2, outputs, strict=True):
        assert json.loads(out) == check(path, "--model", "qwen3-8b", "-j", "1", cached=False), err.decode()


def test_the_cache_command_says_where_and_clears(cache_dir, tmp_path):
    path = tmp_path / "chat.jsonl"
    dataset(path, n=120)
    check(path)
    shown = run_cli("cache", env=ON)
    assert shown.returncode == 0 and str(cache_dir) in shown.stdout.decode() and "118 lines" in shown.stdout.decode(), shown.stdout  # 120 lines: a blank one, a copy
    cleared = run_cli("cache", "--clear", env=ON)
    assert cleared.returncode == 0 and not any(cache_dir.iterdir())
    assert check(path) == check(path, cached=False)  # afresh, and filled again
