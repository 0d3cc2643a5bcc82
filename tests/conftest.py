"""Helpers for the tests: build realistic files, check them, read the findings."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

# The tests expect English unless they ask for Chinese (LANG per call): a Chinese
# locale on the machine running them must not change what they read.
for _name in ("LC_ALL", "LC_MESSAGES", "LANGUAGE"):
    os.environ.pop(_name, None)
os.environ["LANG"] = "C.UTF-8"
# The row cache is off in tests (a test that injects a fault into a rule must see the
# rule run), and would live in a throwaway folder; tests/test_row_cache.py turns it on.
os.environ["FTLINT_NO_CACHE"] = "1"
os.environ["FTLINT_CACHE_DIR"] = os.path.join(os.environ.get("TMPDIR", "/tmp"), f"ftlint-test-cache-{os.getpid()}")

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
SCHEMAS = ROOT / "schemas"
sys.path.insert(0, str(FIXTURES))

import generate  # noqa: E402  (fixtures/generate.py)

from ftlint.engine.scanning import check_source  # noqa: E402
from ftlint.engine.sources import source_for_file  # noqa: E402
from ftlint.options import CheckOptions  # noqa: E402
from ftlint.rules.base import all_rules  # noqa: E402


def dumps(row) -> str:
    return json.dumps(row, ensure_ascii=False)


def realistic(kind: str = "messages", count: int = 60, seed: int = 1) -> list[str]:
    """`count` distinct realistic rows of a format, as JSON lines (no line ends)."""
    return [dumps(r) for r in generate.rows(kind, count, seed)]


class Checked:
    """The result of checking one file, with ways to ask about findings."""

    def __init__(self, report):
        self.report = report
        self.findings = report.sorted_findings()

    def of(self, code: str) -> list:
        return [f for f in self.findings if f.code == code]

    def lines(self, code: str) -> list[int | None]:
        return [f.line for f in self.of(code)]

    def codes(self) -> set[str]:
        return {f.code for f in self.findings}

    def errors(self) -> list:
        return [f for f in self.findings if f.severity.value == "error"]


@pytest.fixture
def check(tmp_path):
    """check(lines_or_bytes, name="data.jsonl", **options) -> Checked.

    A list of strings is joined with "\\n" and ends with one line end, like a normal
    JSONL file; bytes are written as they are."""
    counter = iter(range(10**6))

    def run(content, name: str | None = None, **options) -> Checked:
        if isinstance(content, list):
            content = ("\n".join(content) + "\n").encode("utf-8")
        elif isinstance(content, str):
            content = content.encode("utf-8")
        folder = tmp_path / f"case{next(counter)}"
        folder.mkdir()
        path = folder / (name or "data.jsonl")
        path.write_bytes(content)
        options.setdefault("max_per_rule", 0)
        return Checked(check_source(source_for_file(path), CheckOptions(**options), all_rules()))

    return run


def with_row(lines: list[str], index: int, row) -> list[str]:
    """A copy of `lines` with line `index` (0-based) replaced by `row` (dict or raw text)."""
    out = list(lines)
    out[index] = row if isinstance(row, str) else dumps(row)
    return out


def run_cli(*args, env: dict | None = None, cwd=None, stdin: bytes | None = None):
    """The command line, run in this process as a child process would see it: exit
    code, stdout and stderr as bytes. Environment and working directory are set for the
    call and restored. (Tests of start-up, terminals, signals and plugins discovered
    through entry points use a real child process instead.)"""
    import contextlib
    import io
    import os
    import types

    from ftlint.cli import main

    out, err = io.StringIO(), io.StringIO()
    saved_env, saved_cwd, saved_stdin = dict(os.environ), os.getcwd(), sys.stdin
    code = 0
    try:
        os.environ.update(env or {})
        if cwd is not None:
            os.chdir(cwd)
        if stdin is not None:
            sys.stdin = io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8")
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                main([str(a) for a in args])
            except SystemExit as exited:
                code = exited.code if isinstance(exited.code, int) else 1
    finally:
        os.environ.clear()
        os.environ.update(saved_env)
        os.chdir(saved_cwd)
        sys.stdin = saved_stdin
        from ftlint.i18n import language_from_environment, set_language

        set_language(language_from_environment())  # a call in Chinese leaves the next test in English
        os.environ.clear()
        os.environ.update(saved_env)
    return types.SimpleNamespace(returncode=code, stdout=out.getvalue().encode(), stderr=err.getvalue().encode())


def pytest_collection_modifyitems(config, items):
    """Slow end-to-end tests (marked `early`) first: much of their time is spent waiting
    on child processes and the package index, which then overlaps the other workers'."""
    items.sort(key=lambda item: item.get_closest_marker("early") is None)


def pytest_configure(config):
    config.addinivalue_line("markers", "early: a slow end-to-end test, scheduled first")
