"""The report, `stats` and `models` through a real terminal (a pseudo-terminal of 80
columns, as a user's narrowest): no line is wider, and no name a user must copy (a
file, a model, a format) is cut, in English and in Chinese."""

from __future__ import annotations

import fcntl
import os
import pty
import re
import struct
import subprocess
import sys
import termios

import pytest
from conftest import realistic
from rich.cells import cell_len

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07")

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")


def on_terminal(*args, columns: int = 80, lang: str = "C.UTF-8", cwd=None) -> list[str]:
    """ftlint's output as a terminal of `columns` shows it (escape codes removed)."""
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 50, columns, 0, 0))
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES", "LC_ALL", "LC_MESSAGES", "LANGUAGE", "NO_COLOR")}
    env.update(LANG=lang, TERM="xterm-256color")
    child = subprocess.Popen([sys.executable, "-m", "ftlint", *map(str, args)], stdin=follower, stdout=follower, stderr=follower, env=env, cwd=cwd, close_fds=True)
    os.close(follower)
    chunks = []
    while True:
        try:
            data = os.read(leader, 65536)
        except OSError:  # the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    child.wait(timeout=120)
    os.close(leader)
    text = ANSI.sub("", b"".join(chunks).decode("utf-8", "replace")).replace("\r\n", "\n")
    return [line for line in text.split("\n")]


def assert_fits(lines: list[str], columns: int = 80) -> None:
    wide = [(cell_len(line), line) for line in lines if cell_len(line) > columns]
    assert not wide, wide[:3]


@pytest.fixture()
def datasets(tmp_path):
    folder = tmp_path / "customer_service_2026_11"
    folder.mkdir()
    good = folder / "multi_turn_support_dialogues_train_v2.jsonl"
    good.write_text("\n".join(realistic()) + "\n", encoding="utf-8")
    bad = folder / "hand_edited_rows_with_mistakes.jsonl"
    rows = realistic(count=55)
    rows.insert(2, "")
    rows.append('{"messages": [{"role"："user", "content": "这是一段很长的中文内容，用来看终端换行时续行是否缩进对齐"}, {"role": "assistant", "content": "好的"}]}')
    rows.append('{"conversations": [{"from": "human", "value": "Where is my order? I placed it on Monday and have heard nothing since."}]}')
    bad.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return good, bad


@pytest.mark.parametrize("lang", ["C.UTF-8", "zh_CN.UTF-8"])
def test_the_check_report_fits_80_columns(datasets, lang):
    good, bad = datasets
    # named from their folder's parent, as a user in the project folder would
    root = good.parent.parent
    good, bad = good.relative_to(root), bad.relative_to(root)
    lines = on_terminal("check", good, bad, lang=lang, cwd=root)
    assert_fits(lines)
    text = "\n".join(lines)
    for path in (good, bad):
        assert str(path) in text or path.name in text  # whole, never cut
    assert "image-messages" not in text and ("messages" in text)
    assert "L104" in text and "R101" in text and "U+FF1A" in text
    # a wrapped finding, hint or verdict continues indented: at column 0 stand only a
    # file's title, the summary's heading and the final verdict
    for line in lines:
        if line and not line[0].isspace():
            assert line.startswith(("✗", "✓", str(good.parent), good.name, bad.name)) or len(line.split()) == 1, line


@pytest.mark.parametrize("lang", ["C.UTF-8", "zh_CN.UTF-8"])
def test_stats_fits_80_columns(datasets, lang):
    good, _bad = datasets
    lines = on_terminal("stats", good.name, "--model", "qwen3-8b", "--max-length", "600", lang=lang, cwd=good.parent)
    assert_fits(lines)
    assert any("600" in line and "─" in line for line in lines)  # the limit's line in the histogram


@pytest.mark.parametrize("lang", ["C.UTF-8", "zh_CN.UTF-8"])
def test_models_fits_80_columns_and_names_every_model_whole(lang):
    from ftlint.platform.catalog import catalog, media_catalog

    lines = on_terminal("models", lang=lang)
    assert_fits(lines)
    firsts = {line.split()[0] for line in lines if line.strip()}
    for name in [*catalog(), *media_catalog()]:
        assert name in firsts, name
