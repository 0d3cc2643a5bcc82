"""An independent oracle for `ftlint fix`, `convert` and `split` (the rewriting contract).

The generators build files from realistic rows (Chinese and English, multi-turn, system
prompts, long sessions, DPO rows, prompt/completion rows) and corrupt them in many ways;
every record they write carries its ground truth: the exact bytes it must come out as,
the value it must come out as, or that it must be rejected. The real command line runs
on those files; the results are checked with Python's own `json` (strict: no NaN or
Infinity, numbers compared by their text) and plain bytes, never with ftlint's readers.

Counts are taken from the files, never from what the command prints about itself (the
printed `rows:` line is checked against the independent counts).
"""

from __future__ import annotations

import ast
import base64
import contextlib
import gzip
import io
import json
import random
import re
import sys
import tempfile
import warnings
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import generate  # noqa: E402  (fixtures/generate.py)
import pytest
from conftest import FIXTURES  # noqa: F401  (puts fixtures/ on sys.path for `generate`)
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import note as hypothesis_note
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from ftlint.cli import main

SETTINGS = dict(deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


# -- the oracle's own JSON reading ------------------------------------------------------


@dataclass(frozen=True)
class Num:
    """A JSON number, kept as its exact text (so 1e999 is never Infinity, 1.10 never 1.1)."""

    text: str


def _no_constant(name: str):  # noqa: ANN202
    raise ValueError(f"non-standard JSON constant {name}")


def strict_loads(text: str | bytes) -> Any:
    """Python's json, strict: NaN/Infinity refused, numbers kept as their text."""
    if isinstance(text, bytes):
        text = text.decode("utf-8")  # strict UTF-8
    return json.loads(text, parse_constant=_no_constant, parse_float=Num, parse_int=Num)


def plain_loads(text: str | bytes) -> Any:
    """Python's json with NaN/Infinity refused (for the rejects file's own lines)."""
    if isinstance(text, bytes):
        text = text.decode("utf-8")
    return json.loads(text, parse_constant=_no_constant)


@contextlib.contextmanager
def deep_recursion(limit: int = 60_000):
    """Parsing and comparing 5,000-deep values needs more than Python's default limit."""
    old = sys.getrecursionlimit()
    sys.setrecursionlimit(max(old, limit))
    try:
        yield
    finally:
        sys.setrecursionlimit(old)


def physical_lines(data: bytes) -> list[bytes]:
    """Lines with their line ends kept; only \\n ends a line."""
    return re.findall(rb"[^\n]*\n|[^\n]+\Z", data)


def note(text: str) -> None:
    """Shown with a failing example (inside hypothesis) or on failure (plain tests)."""
    try:
        hypothesis_note(text)
    except InvalidArgument:
        print(text)


def literal_eval(text: str) -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "invalid escape sequence '\/'" is the point
        return ast.literal_eval(text)


def dumps(row: Any, **kw: Any) -> str:
    return json.dumps(row, ensure_ascii=False, **kw)


# -- running the real command line --------------------------------------------------------


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str


def ftlint(*args: Any) -> Run:
    """`ftlint ARGS` in process: exit code, stdout, stderr."""
    out, err = io.StringIO(), io.StringIO()
    argv = sys.argv[:]
    code: Any = None
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), pytest.raises(SystemExit) as exited:
            main([str(a) for a in args])
        code = exited.value.code
    finally:
        sys.argv = argv
    code = 0 if code is None else code
    return Run(code if isinstance(code, int) else 2, out.getvalue(), err.getvalue())


def no_crash(run: Run, allowed=(0, 1)) -> None:
    assert "internal error" not in run.stderr and "Traceback" not in run.stderr, run.stderr[-2000:]
    assert run.code in allowed, f"exit {run.code}: {run.stderr[-2000:]}"


ROWS_LINE = re.compile(r"rows: ([\d,]+) in = ([\d,]+) out \+ ([\d,]+) rejected")
SPLIT_LINE = re.compile(r"rows: ([\d,]+) in = ([\d,]+) training \+ ([\d,]+) validation")


def printed_counts(pattern: re.Pattern, stdout: str) -> tuple[int, int, int]:
    found = pattern.findall(stdout)
    assert found, f"no '{pattern.pattern}' line on stdout:\n{stdout[-1500:]}"
    return tuple(int(x.replace(",", "")) for x in found[-1])  # type: ignore[return-value]


# -- realistic rows -----------------------------------------------------------------------


@lru_cache(maxsize=256)
def pool(kind: str, seed: int, count: int = 120) -> tuple[str, ...]:
    """Distinct realistic rows as JSON text (ensure_ascii=False)."""
    return tuple(dumps(r) for r in generate.rows(kind, count, seed))


NAMES = ["客服小王", "alice", "Dr. Li", "support_bot"]


def strip_message_keys(row: dict) -> dict:
    out = dict(row)
    out["messages"] = [{k: v for k, v in m.items() if k not in ("name", "weight")} for m in row["messages"]]
    return out


def with_message_keys(row: dict, rng: random.Random) -> dict:
    """The row with `name` / `weight` keys added to some messages (at least one)."""
    messages = []
    for m in row["messages"]:
        m = dict(m)
        if rng.random() < 0.5:
            m["name"] = rng.choice(NAMES)
        if m["role"] == "assistant" and rng.random() < 0.5:
            m["weight"] = rng.choice([0, 1])
        messages.append(m)
    if all(m.keys() == {"role", "content"} for m in messages):
        messages[0]["name"] = rng.choice(NAMES)
    return {**row, "messages": messages}


def add_field(text: str, field_text: str) -> str:
    """A JSON object's text with one more member (written as raw JSON text) at its end."""
    assert text.endswith("}")
    return text[:-1] + ", " + field_text + "}"


def add_to_first_content(text: str, prefix: str) -> str:
    """JSON text with `prefix` (raw JSON string-body text) at the start of the first content."""
    assert '"content": "' in text
    return text.replace('"content": "', '"content": "' + prefix, 1)


def not_json(text: str) -> bool:
    try:
        json.loads(text)
    except (ValueError, RecursionError):
        return True
    return False


def not_python_dict(text: str) -> bool:
    try:
        return not isinstance(literal_eval(text), dict)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return True


# -- the fix oracle: pieces of a file with their ground truth --------------------------------

KEEP, VALUE, REJECT, BLANK = "keep", "value", "reject", "blank"
KEEP_OR_REJECT, VALUE_OR_REJECT = "keep or reject", "value or reject"
MAY_BE_REJECTED = {REJECT, KEEP_OR_REJECT, VALUE_OR_REJECT}


@dataclass(repr=False)
class Piece:
    kind: str
    lines: list[bytes]  # physical lines, without line ends
    expect: str
    value: Any = None  # the value it must come out as (VALUE, VALUE_OR_REJECT), oracle-parsed
    crlf: bool | None = None  # forces the line ends of this piece
    ends: list[bytes] = field(default_factory=list)
    first_line: int = 0

    @property
    def last_line(self) -> int:
        return self.first_line + len(self.lines) - 1

    def written(self) -> bytes:
        return b"".join(line + end for line, end in zip(self.lines, self.ends, strict=False))

    def record_bytes(self) -> bytes:
        return b"\n".join(self.lines)

    def where(self) -> str:
        return f"{self.kind} (lines {self.first_line}-{self.last_line})"

    def __repr__(self) -> str:  # values may be 5,000 deep: never repr them
        return f"<{self.expect}: {self.where()}>"


class FileBuilder:
    """Builds the pieces of one file for `fix`, from one format's realistic rows."""

    def __init__(self, fmt: str, seed: int) -> None:
        self.fmt = fmt
        self.rng = random.Random(seed)
        base = pool(fmt, seed % 23)
        if fmt == "messages":
            base = base + pool("long-messages", seed % 23, 12)
        self.rows = list(base)
        self.rng.shuffle(self.rows)
        self.pc = list(pool("prompt-completion", seed % 23, 30))
        self.rng.shuffle(self.pc)
        self.clean_lines: list[bytes] = []

    def take(self) -> str:
        return self.rows.pop()

    def take_dict(self) -> dict:
        return json.loads(self.take())

    # Each maker returns a list of pieces.

    def clean(self) -> list[Piece]:
        line = self.take().encode()
        self.clean_lines.append(line)
        return [Piece("clean", [line], KEEP)]

    def whitespace(self) -> list[Piece]:
        pad = ["", " ", "  ", "\t", " \t"]
        left, right = self.rng.choice(pad), self.rng.choice(pad[1:])
        return [Piece("leading/trailing whitespace", [(left + self.take() + right).encode()], KEEP)]

    def blank(self) -> list[Piece]:
        return [Piece("blank line", [self.rng.choice([b"", b" ", b"\t", b"   \t "])], BLANK)]

    def duplicate(self) -> list[Piece]:
        if not self.clean_lines:
            return self.clean()
        return [Piece("exact duplicate", [self.rng.choice(self.clean_lines)], KEEP)]

    def truncated(self) -> list[Piece]:
        text = self.take()
        cut = self.rng.randint(1, len(text) - 2)
        broken = text[:cut]
        assert not_json(broken) and not_python_dict(broken)
        return [Piece("truncated line", [broken.encode()], REJECT)] + self.clean()

    def truncated_mid_character(self) -> list[Piece]:
        for _ in range(20):
            raw = self.take().encode()
            leads = [i for i, b in enumerate(raw) if b >= 0xE0]
            if leads:
                i = self.rng.choice(leads)
                return [Piece("truncated mid-character (invalid UTF-8)", [raw[: i + self.rng.randint(1, 2)]], REJECT)] + self.clean()
        return self.truncated()

    def invalid_utf8(self) -> list[Piece]:
        raw = self.take().encode()
        at = raw.index(b'"content": "') + len(b'"content": "')
        bad = self.rng.choice([b"\xff\xfe", b"\xc3\x28", b"caf\xe9 ", b"\xed\xa0\xbd"])
        return [Piece("invalid UTF-8 bytes", [raw[:at] + bad + raw[at:]], REJECT)]

    def pretty(self, indent: Any, crlf: bool | None = None, commas: bool = False, keys: bool = False) -> list[Piece]:
        row = self.take_dict()
        if commas:  # commas inside strings are data, never "trailing commas"
            row = json.loads(add_to_first_content(dumps(row), "例如 [1, 2,] 和 {\\\"a\\\": 1,} 都不是合法 JSON。"))
        expected = strict_loads(dumps(row))
        if keys:
            row = with_message_keys(row, self.rng)
        lines = dumps(row, indent=indent).split("\n")
        if commas:
            added = 0
            for i in range(1, len(lines)):
                if lines[i].lstrip()[:1] in ("}", "]") and not lines[i - 1].rstrip().endswith((",", "[", "{")):
                    if self.rng.random() < 0.6 or (added == 0 and i == len(lines) - 1):
                        lines[i - 1] += ","
                        added += 1
        label = {0: "indent=0", 2: "indent=2", "\t": "tabs"}[indent]
        kind = f"pretty-printed ({label}{', CRLF' if crlf else ''}{', trailing commas' if commas else ''}{', name/weight keys' if keys else ''})"
        return [Piece(kind, [x.encode() for x in lines], VALUE, expected, crlf=crlf)]

    def pretty_indent0(self) -> list[Piece]:
        return self.pretty(0, keys=self.rng.random() < 0.3)

    def pretty_indent2(self) -> list[Piece]:
        return self.pretty(2, keys=self.rng.random() < 0.3)

    def pretty_tabs(self) -> list[Piece]:
        return self.pretty("\t")

    def pretty_crlf(self) -> list[Piece]:
        return self.pretty(self.rng.choice([0, 2, "\t"]), crlf=True)

    def pretty_trailing_commas(self) -> list[Piece]:
        return self.pretty(self.rng.choice([0, 2, "\t"]), crlf=self.rng.choice([None, True]), commas=True)

    def python_literal(self) -> list[Piece]:
        for _ in range(30):
            row = self.take_dict()
            if self.rng.random() < 0.5:
                row["meta"] = {"reviewed": True, "flagged": False, "note": None, "source": "客服日志"}
            text = str(row)
            if "\\" not in text.replace("\\n", ""):  # every string means the same in Python and JSON
                assert literal_eval(text) == row and not_json(text)
                return [Piece("Python dict literal", [text.encode()], VALUE, strict_loads(dumps(row)))]
        raise AssertionError("no realistic row makes a safe Python literal")

    def python_literal_with_name(self) -> list[Piece]:
        for _ in range(30):
            row = self.take_dict()
            text = str(with_message_keys(row, self.rng))
            if "\\" not in text.replace("\\n", ""):
                return [Piece("Python dict literal with name/weight keys", [text.encode()], VALUE, strict_loads(dumps(row)))]
        raise AssertionError("no realistic row makes a safe Python literal")

    def python_literal_escaped_slash(self) -> list[Piece]:
        url = self.rng.choice(["https:\\/\\/help.example.com\\/退货", "https:\\/\\/bailian.console.aliyun.com\\/", "http:\\/\\/x.cn\\/a"])
        text = (
            "{'messages': [{'role': 'user', 'content': \"退货说明在哪里？\"}, "
            f"{{'role': 'assistant', 'content': \"请打开 {url} 查看，或在订单页申请售后。\"}}], 'meta': None}}"
        )
        assert "\\/" in literal_eval(text)["messages"][1]["content"] and not_json(text)  # Python keeps the backslash
        return [Piece('Python literal with "https:\\/\\/"', [text.encode()], REJECT)]

    def name_weight(self) -> list[Piece]:
        row = self.take_dict()
        return [Piece("name/weight keys in messages", [dumps(with_message_keys(row, self.rng)).encode()], VALUE, strict_loads(dumps(row)))]

    def prompt_completion(self) -> list[Piece]:
        row = json.loads(self.pc.pop())
        expected = {"messages": [{"role": "user", "content": row["prompt"]}, {"role": "assistant", "content": row["completion"]}]}
        return [Piece("prompt/completion row", [dumps(row).encode()], VALUE, strict_loads(dumps(expected)))]

    def legacy_text(self) -> list[Piece]:
        for _ in range(30):
            row = self.take_dict()
            turns = [m for m in row["messages"] if m["role"] != "system"]
            contents = [m["content"] for m in turns]
            if all(c == c.strip() and not re.search(r"(?m)^[ \t]*(Human|Assistant)[:：]", c) for c in contents):
                text = "".join(f"\n\n{'Human' if m['role'] == 'user' else 'Assistant'}: {m['content']}" for m in turns)
                return [Piece("legacy Human/Assistant text", [dumps({"text": text}).encode()], VALUE, strict_loads(dumps({"messages": turns})))]
        return self.clean()

    def bare_list(self) -> list[Piece]:
        row = self.take_dict()
        written = with_message_keys(row, self.rng) if self.rng.random() < 0.3 else row
        return [Piece("bare list of messages", [dumps(written["messages"]).encode()], VALUE, strict_loads(dumps({"messages": row["messages"]})))]

    def surrogate(self) -> list[Piece]:
        text = add_to_first_content(self.take(), "半个表情 \\ud83d ")
        return [Piece("lone surrogate escape, no repair", [text.encode()], KEEP)]

    def surrogate_with_repair(self) -> list[Piece]:
        row = with_message_keys(self.take_dict(), self.rng)
        text = add_to_first_content(dumps(row), "半个表情 \\ud83d ")
        return [Piece("lone surrogate escape in a row that needs a repair", [text.encode()], REJECT)]

    def infinity_number(self) -> list[Piece]:
        return [Piece("1e999, no repair", [add_field(self.take(), '"score": 1e999').encode()], KEEP)]

    def infinity_number_with_repair(self) -> list[Piece]:
        row = self.take_dict()
        expected = strict_loads(add_field(dumps(row), '"score": 1e999'))
        text = add_field(dumps(with_message_keys(row, self.rng)), '"score": 1e999')
        return [Piece("1e999 in a row that needs a repair", [text.encode()], VALUE_OR_REJECT, expected)]

    def numbers_with_repair(self) -> list[Piece]:
        numbers = '"stats": {"temperature": 1.10, "scale": 1E+2, "zero": -0.0, "big": 123456789012345678901234567890, "tiny": 5e-324}'
        row = self.take_dict()
        expected = strict_loads(add_field(dumps(row), numbers))
        return [Piece("exact number text in a repaired row", [add_field(dumps(with_message_keys(row, self.rng)), numbers).encode()], VALUE, expected)]

    def huge_integer(self) -> list[Piece]:
        digits = "9" + "".join(self.rng.choice("0123456789") for _ in range(4999))
        return [Piece("5000-digit integer, no repair", [add_field(self.take(), f'"n": {digits}').encode()], KEEP_OR_REJECT)]

    def huge_integer_with_repair(self) -> list[Piece]:
        digits = "7" * 5000
        row = self.take_dict()
        expected = strict_loads(add_field(dumps(row), f'"n": {digits}'))
        text = add_field(dumps(with_message_keys(row, self.rng)), f'"n": {digits}')
        return [Piece("5000-digit integer in a row that needs a repair", [text.encode()], VALUE_OR_REJECT, expected)]

    def deep_nesting(self) -> list[Piece]:
        depth = 5000
        return [Piece("nesting 5000 deep, no repair", [add_field(self.take(), '"meta": ' + "[" * depth + "]" * depth).encode()], KEEP_OR_REJECT)]

    def deep_nesting_with_repair(self) -> list[Piece]:
        depth = 5000
        deep = '"meta": ' + '{"a": ' * depth + '"底"' + "}" * depth
        row = self.take_dict()
        with deep_recursion():
            expected = strict_loads(add_field(dumps(row), deep))
        text = add_field(dumps(with_message_keys(row, self.rng)), deep)
        return [Piece("nesting 5000 deep in a row that needs a repair", [text.encode()], VALUE_OR_REJECT, expected)]

    def escapes(self) -> list[Piece]:
        text = add_to_first_content(self.take(), "\\u4e2d\\u6587 \\/ caf\\u00e9 \\t \\\\ \\\" \\ud83d\\ude00 ")
        return [Piece("unusual but valid escapes, no repair", [text.encode()], KEEP)]

    def escapes_with_repair(self) -> list[Piece]:
        row = self.take_dict()
        prefix = "\\u4e2d\\u6587 \\/ caf\\u00e9 \\t \\\\ \\\" \\ud83d\\ude00 \\u2028 "
        expected = strict_loads(add_to_first_content(dumps(row), prefix))
        text = add_to_first_content(dumps(with_message_keys(row, self.rng)), prefix)
        return [Piece("escapes in a row that needs a repair", [text.encode()], VALUE, expected)]

    def nan(self) -> list[Piece]:
        constant = self.rng.choice(["NaN", "Infinity", "-Infinity"])
        text = add_field(self.take(), f'"score": {constant}')
        return [Piece(f"non-standard constant {constant}", [text.encode()], REJECT)]

    def invalid_json(self) -> list[Piece]:
        text = self.take()
        choice = self.rng.randrange(5)
        if choice == 0:
            broken = text + "}"
        elif choice == 1:
            quotes = [i for i, c in enumerate(text) if c == '"' and text[i - 1] != "\\"]
            i = self.rng.choice(quotes)
            broken = text[:i] + text[i + 1 :]
        elif choice == 2:
            broken = self.rng.choice(["以下是客服对话记录（2024年导出）", "// exported by chat-export v2", "messages: [user: 你好]"])
        elif choice == 3:
            broken = add_field(text, '"score": ')
        else:
            broken = text.replace('"role": ', '"role" ', 1)
        assert not_json(broken) and not_python_dict(broken), broken
        return [Piece("invalid JSON", [broken.encode()], REJECT)]

    def not_an_object(self) -> list[Piece]:
        text = self.rng.choice(["[1, 2]", '"只是一个字符串"', "42", "null", "true", "3.5", "[]", '[{"role": "user"}, 5]'])
        return [Piece("JSON value that is not an object", [text.encode()], REJECT)]

    # -- assembling a file

    def make(self, kind: str) -> list[Piece]:
        return getattr(self, kind)()


COMMON_KINDS = [
    "clean", "whitespace", "blank", "duplicate", "truncated", "truncated_mid_character", "invalid_utf8",
    "pretty_indent0", "pretty_indent2", "pretty_tabs", "pretty_crlf", "pretty_trailing_commas",
    "python_literal", "python_literal_with_name", "python_literal_escaped_slash", "name_weight",
    "surrogate", "surrogate_with_repair", "infinity_number", "infinity_number_with_repair", "numbers_with_repair",
    "huge_integer", "huge_integer_with_repair", "deep_nesting", "deep_nesting_with_repair", "escapes", "escapes_with_repair",
    "nan", "invalid_json", "not_an_object",
]
MESSAGES_ONLY = ["prompt_completion", "legacy_text", "bare_list"]
KINDS = {"messages": COMMON_KINDS + MESSAGES_ONLY, "dpo": COMMON_KINDS}


class FixCase:
    def __init__(self, fmt: str, pieces: list[Piece], content: bytes, bom: bool) -> None:
        self.fmt, self.pieces, self.content, self.bom = fmt, pieces, content, bom

    def __repr__(self) -> str:
        return f"FixCase({self.fmt}, bom={self.bom}, {len(self.content)} bytes):\n{describe_case(self)}"


def build_fix_case(fmt: str, kinds: list[str], clean_rows: int, seed: int, line_ends: str, bom: bool, final_newline: bool) -> FixCase:
    builder = FileBuilder(fmt, seed)
    rng = random.Random(seed + 1)
    order = ["clean"] * clean_rows + list(kinds)
    rng.shuffle(order)
    pieces = builder.clean()  # the first record sets the file's format; it is a plain row
    for kind in order:
        pieces += builder.make(kind)
    if not final_newline and pieces[-1].expect == BLANK and pieces[-1].lines == [b""]:
        pieces[-1].lines = [b"  "]  # an empty last line without a line end would be no line at all
    number = 1
    for piece in pieces:
        piece.first_line = number
        piece.ends = []
        for _ in piece.lines:
            crlf = piece.crlf if piece.crlf is not None else {"lf": False, "crlf": True, "mixed": rng.random() < 0.5}[line_ends]
            piece.ends.append(b"\r\n" if crlf else b"\n")
        number += len(piece.lines)
    if not final_newline:
        pieces[-1].ends[-1] = b""
    if bom:  # the BOM goes; the first row may then be rewritten or copied, but must keep its value
        pieces[0].expect, pieces[0].value = VALUE, strict_loads(pieces[0].lines[0])
        pieces[0].kind = "row after a BOM"
    content = (b"\xef\xbb\xbf" if bom else b"") + b"".join(p.written() for p in pieces)
    return FixCase(fmt, pieces, content, bom)


def describe_case(case: FixCase) -> str:
    return "\n".join(f"  {p.first_line:>4}-{p.last_line:<4} {p.expect:<16} {p.kind}" for p in case.pieces)


def run_fix_case(case: FixCase, gz_input: bool = False) -> None:
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        source = folder / ("in.jsonl.gz" if gz_input else "in.jsonl")
        source.write_bytes(gzip.compress(case.content) if gz_input else case.content)
        before = source.read_bytes()
        out, rejects = folder / "out.jsonl", folder / "out.rejects.jsonl"
        run = ftlint("fix", source, "-o", out)
        note(f"stdout:\n{run.stdout}\nstderr:\n{run.stderr}\npieces:\n{describe_case(case)}")
        no_crash(run)
        assert source.read_bytes() == before, "fix changed its input"
        leftovers = sorted(p.name for p in folder.iterdir())
        assert set(leftovers) <= {source.name, out.name, rejects.name}, f"unexpected files: {leftovers}"
        assert out.exists(), "fix wrote no output"
        verify_fix(case, out.read_bytes(), rejects.read_bytes() if rejects.exists() else None, run)


def verify_fix(case: FixCase, out_bytes: bytes, rejects_bytes: bytes | None, run: Run) -> None:
    records = [p for p in case.pieces if p.expect != BLANK]
    by_span = {(p.first_line, p.last_line): p for p in records}

    # The rejects file: each line names one input record, with its exact original text.
    rejected: set[int] = set()
    reject_entries = []
    if rejects_bytes is not None:
        assert rejects_bytes, "an empty rejects file was written (it is written only when a record is rejected)"
        for raw in physical_lines(rejects_bytes):
            entry = plain_loads(raw)
            reject_entries.append(entry)
            assert isinstance(entry, dict), raw[:200]
            span = (entry.get("line"), entry.get("last_line"))
            piece = by_span.get(span)  # type: ignore[arg-type]
            assert piece is not None, f"reject names lines {span}, which are not one input record: {str(entry)[:300]}"
            assert id(piece) not in rejected, f"{piece.where()} rejected twice"
            rejected.add(id(piece))
            assert piece.expect in MAY_BE_REJECTED, f"{piece.where()} must not be rejected, but was: {entry.get('code')} {entry.get('reason')}"
            assert isinstance(entry.get("code"), str) and entry["code"], entry
            assert isinstance(entry.get("reason"), str) and entry["reason"].strip(), entry
            original = piece.record_bytes()
            try:
                text = original.decode("utf-8")
            except UnicodeDecodeError:
                assert base64.b64decode(entry.get("base64", "")) == original, f"{piece.where()}: base64 is not the exact bytes"
                assert isinstance(entry.get("text"), str)
            else:
                assert "base64" not in entry, f"{piece.where()}: base64 given for valid UTF-8"
                assert entry.get("text") == text, f"{piece.where()}: rejects text differs from the input:\n{entry.get('text', '')[:300]!r}\n{text[:300]!r}"
    for piece in records:
        if piece.expect == REJECT:
            assert id(piece) in rejected, f"{piece.where()} must be rejected, but is not in the rejects file"

    # The output: every line strict JSON, an object; byte copies first, then values.
    out_lines = physical_lines(out_bytes)
    with deep_recursion():
        for number, raw in enumerate(out_lines, 1):
            try:
                value = strict_loads(raw)
            except (ValueError, UnicodeDecodeError) as err:
                raise AssertionError(f"output line {number} is not strict JSON ({err}): {raw[:200]!r}") from None
            assert isinstance(value, dict), f"output line {number} is not an object: {raw[:200]!r}"
        remaining = Counter(out_lines)
        for piece in records:
            if piece.expect in (KEEP, KEEP_OR_REJECT) and id(piece) not in rejected:
                written = piece.written()
                assert remaining[written] > 0, f"{piece.where()} is not in the output byte for byte (line end included): {written[:160]!r}"
                remaining[written] -= 1
        rest = list(remaining.elements())
        values = [strict_loads(raw) for raw in rest]
        for piece in records:
            if piece.expect in (VALUE, VALUE_OR_REJECT) and id(piece) not in rejected:
                for i, value in enumerate(values):
                    if value == piece.value:
                        del values[i], rest[i]
                        break
                else:
                    raise AssertionError(
                        f"{piece.where()}: no output row has the expected value\n  expected: {dumps(piece.value, default=lambda n: n.text)[:400]}\n"
                        f"  unmatched output lines: {[r[:200] for r in rest]}"
                    )
        assert not rest, f"output rows that no input record accounts for: {[r[:200] for r in rest]}"

    # The printed account agrees with the files.
    assert printed_counts(ROWS_LINE, run.stdout) == (len(records), len(out_lines), len(reject_entries))


# -- the oracle checks itself: a model rewrite passes, wrong rewrites fail -------------------


def render(value: Any) -> str:
    """JSON text for an oracle value, numbers written as their original text."""
    if isinstance(value, Num):
        return value.text
    if isinstance(value, dict):
        return "{" + ", ".join(json.dumps(k) + ": " + render(v) for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(render(v) for v in value) + "]"
    text = json.dumps(value, ensure_ascii=False)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate: only an ASCII escape can write it
        text = json.dumps(value)
    return text


def model_fix(case: FixCase, reject_maybes: bool = False) -> tuple[bytes, bytes, Run]:
    """What the contract allows `fix` to write for a case, built from the ground truth alone."""
    out, rejects = [], []
    records = [p for p in case.pieces if p.expect != BLANK]
    with deep_recursion():
        for p in records:
            if p.expect == REJECT or (reject_maybes and p.expect in MAY_BE_REJECTED):
                entry: dict[str, Any] = {"line": p.first_line, "last_line": p.last_line, "code": "X", "reason": "model"}
                try:
                    entry["text"] = p.record_bytes().decode("utf-8")
                except UnicodeDecodeError:
                    entry["text"] = p.record_bytes().decode("utf-8", "replace")
                    entry["base64"] = base64.b64encode(p.record_bytes()).decode()
                rejects.append(json.dumps(entry).encode() + b"\n")
            elif p.expect in (KEEP, KEEP_OR_REJECT):
                out.append(p.written())
            else:
                out.append(render(p.value).encode() + b"\n")
    stdout = f"rows: {len(records)} in = {len(out)} out + {len(rejects)} rejected\n"
    return b"".join(out), b"".join(rejects), Run(0, stdout, "")


def with_counts(out: bytes, rejects: bytes, records: int) -> Run:
    return Run(0, f"rows: {records} in = {len(physical_lines(out))} out + {len(physical_lines(rejects))} rejected\n", "")


def test_the_oracle_accepts_a_model_rewrite_and_catches_wrong_ones():
    """Not a test of ftlint: it shows the checks above are not true by construction."""
    case = build_fix_case("messages", KINDS["messages"] + ["whitespace"], clean_rows=6, seed=5, line_ends="crlf", bom=True, final_newline=True)
    records = sum(p.expect != BLANK for p in case.pieces)
    for reject_maybes in (False, True):
        out, rejects, run = model_fix(case, reject_maybes)
        verify_fix(case, out, rejects, run)
    out, rejects, run = model_fix(case)
    keep = next(p for p in case.pieces if p.expect == KEEP and p.kind == "leading/trailing whitespace")
    infinity = next(p for p in case.pieces if p.kind.startswith("1e999 in a row"))
    slash = next(p for p in case.pieces if p.kind.startswith("Python literal with"))
    truncated = next(p for p in case.pieces if p.kind == "truncated line")
    pretty = next(p for p in case.pieces if "trailing commas" in p.kind)
    rendered_infinity = render(infinity.value).encode() + b"\n"
    wrong = {
        "CRLF made LF": (out.replace(keep.written(), keep.written().replace(b"\r\n", b"\n")), rejects),
        "whitespace stripped": (out.replace(keep.written(), keep.written().strip() + b"\r\n"), rejects),
        "1e999 as Infinity": (out.replace(rendered_infinity, rendered_infinity.replace(b"1e999", b"Infinity")), rejects),
        "1e999 as 1e+999": (out.replace(rendered_infinity, rendered_infinity.replace(b"1e999", b"1.0e999")), rejects),
        "a row lost": (out.replace(keep.written(), b""), rejects),
        "a row doubled": (out + keep.written(), rejects),
        "a string changed": (out.replace(render(pretty.value).encode(), render(pretty.value).replace("都不是", "都是").encode()), rejects),
        "a backslash kept": (out + render(literal_eval(slash.lines[0].decode())).encode() + b"\n", b"".join(x for x in physical_lines(rejects) if b'"line": %d,' % slash.first_line not in x)),
        "the row after a truncated line swallowed": (
            out.replace(case.pieces[case.pieces.index(truncated) + 1].written(), b""),
            rejects.replace(b'"last_line": %d' % truncated.last_line, b'"last_line": %d' % (truncated.last_line + 1)),
        ),
        "rejects text with CRLF": (out, rejects.replace(b'"text": "', b'"text": "\\r', 1)),
        "a clean row rejected": (out.replace(keep.written(), b""), rejects + json.dumps({"line": keep.first_line, "last_line": keep.first_line, "code": "X", "reason": "r", "text": keep.lines[0].decode()}).encode() + b"\n"),
        "BOM kept": (b"\xef\xbb\xbf" + out, rejects),
    }
    for name, (bad_out, bad_rejects) in wrong.items():
        assert (bad_out, bad_rejects) != (out, rejects), name
        with pytest.raises(AssertionError):
            verify_fix(case, bad_out, bad_rejects, with_counts(bad_out, bad_rejects, records))
            raise RuntimeError(f"the oracle did not notice: {name}")
    with pytest.raises(AssertionError):  # the printed account must agree with the files
        verify_fix(case, out, rejects, Run(0, f"rows: {records} in = {records} out + 0 rejected", ""))


# -- fix: properties --------------------------------------------------------------------


@st.composite
def fix_cases(draw):  # noqa: ANN201
    fmt = draw(st.sampled_from(["messages", "messages", "dpo"]))
    kinds = draw(st.lists(st.sampled_from(KINDS[fmt]), min_size=4, max_size=22))
    return build_fix_case(
        fmt,
        kinds,
        clean_rows=draw(st.integers(3, 25)),
        seed=draw(st.integers(0, 10**6)),
        line_ends=draw(st.sampled_from(["lf", "crlf", "mixed"])),
        bom=draw(st.booleans()),
        final_newline=draw(st.booleans()),
    )


@settings(max_examples=25, **SETTINGS)
@given(fix_cases(), st.booleans())
def test_fix_output_plus_rejects_is_the_input_with_only_documented_repairs(case, gz_input):
    run_fix_case(case, gz_input)


@pytest.mark.parametrize("fmt", ["messages", "dpo"])
@pytest.mark.parametrize("line_ends,bom,final_newline", [("lf", False, True), ("mixed", True, False), ("crlf", True, True)])
def test_fix_every_corruption_kind_in_one_file(fmt, line_ends, bom, final_newline):
    case = build_fix_case(fmt, KINDS[fmt] + ["blank", "duplicate", "whitespace"], clean_rows=8, seed=11, line_ends=line_ends, bom=bom, final_newline=final_newline)
    run_fix_case(case)


def test_fix_keeps_a_valid_row_after_a_truncated_line():
    """The truncated line is rejected alone; the complete row after it is copied as it was."""
    rows = list(pool("messages", 5))
    body = [rows[i].encode() for i in range(55)]
    body[20] = rows[60][: len(rows[60]) // 2].encode()
    body[30] = '{"messages": [{"role": "user", "content": "退货'.encode()
    body[40] = b"{"
    content = b"\n".join(body) + b"\n"
    with tempfile.TemporaryDirectory() as folder:
        source, out = Path(folder, "in.jsonl"), Path(folder, "out.jsonl")
        source.write_bytes(content)
        run = ftlint("fix", source, "-o", out)
        no_crash(run)
        kept = physical_lines(out.read_bytes())
        assert Counter(kept) == Counter(line + b"\n" for i, line in enumerate(body) if i not in (20, 30, 40))
        rejects = [plain_loads(x) for x in physical_lines(Path(folder, "out.rejects.jsonl").read_bytes())]
        assert [(r["line"], r["last_line"]) for r in rejects] == [(21, 21), (31, 31), (41, 41)]
        assert [r["text"] for r in rejects] == [body[20].decode(), body[30].decode(), "{"]


# -- fix: a file `check` passes comes out byte-identical ---------------------------------------


def valid_file(kind: str, seed: int, count: int, line_ends: str, whitespace: bool, final_newline: bool, duplicates: int, extras: bool) -> bytes:
    rng = random.Random(seed)
    rows = list(pool(kind, seed % 23, count))
    lines = [r.encode() for r in rows]
    for _ in range(duplicates):
        lines.insert(rng.randrange(len(lines) + 1), rng.choice(lines))
    if whitespace:
        lines = [(rng.choice(["", " ", "\t"]) + x.decode() + rng.choice(["", " ", "\t "])).encode() if rng.random() < 0.3 else x for x in lines]
    if extras:  # valid JSON Python reads, no repair needed: lone surrogate, 1e999, escapes
        i = rng.randrange(len(lines))
        lines[i] = add_to_first_content(lines[i].decode(), "\\ud83d \\/ \\u00e9 ").encode()
        j = rng.randrange(len(lines))
        lines[j] = add_field(lines[j].decode().rstrip(" \t"), '"score": 1e999').encode()
    ends = [b"\r\n" if (line_ends == "crlf" or (line_ends == "mixed" and rng.random() < 0.5)) else b"\n" for _ in lines]
    if not final_newline:
        ends[-1] = b""
    return b"".join(line + end for line, end in zip(lines, ends, strict=False))


def fix_round_trip(content: bytes) -> tuple[bool, bytes | None, bool]:
    """(check passed, fix output, a rejects file was written)."""
    with tempfile.TemporaryDirectory() as folder:
        source, out = Path(folder, "in.jsonl"), Path(folder, "out.jsonl")
        source.write_bytes(content)
        checked = ftlint("check", "--isolated", "--format", "concise", source)
        no_crash(checked)
        if checked.code != 0:
            note(f"check did not pass:\n{checked.stdout[-1500:]}")
            return False, None, False
        run = ftlint("fix", source, "-o", out)
        no_crash(run)
        return True, out.read_bytes(), Path(folder, "out.rejects.jsonl").exists()


@settings(max_examples=20, **SETTINGS)
@given(
    st.sampled_from(["messages", "dpo", "long-messages"]),
    st.integers(0, 10**6),
    st.integers(50, 60),
    st.sampled_from(["lf", "crlf", "mixed"]),
    st.booleans(),
    st.booleans(),
    st.integers(0, 3),
    st.booleans(),
)
@example("messages", 1, 55, "lf", False, True, 0, False)
def test_fix_copies_a_file_check_passes_byte_for_byte(kind, seed, count, line_ends, whitespace, final_newline, duplicates, extras):
    content = valid_file(kind, seed, count, line_ends, whitespace, final_newline, duplicates, extras)
    passed, out, rejected = fix_round_trip(content)
    if passed:
        assert out == content, "fix changed a file that check passes"
        assert not rejected, "fix rejected a row of a file that check passes"


@pytest.mark.parametrize("kind", ["messages", "dpo", "long-messages"])
def test_plain_realistic_files_pass_check_and_come_out_of_fix_unchanged(kind):
    for line_ends, final_newline in (("lf", True), ("crlf", True), ("lf", False)):
        content = valid_file(kind, 3, 55, line_ends, True, final_newline, 1, False)
        passed, out, rejected = fix_round_trip(content)
        assert passed, f"precondition: check passes a plain realistic {kind} file ({line_ends})"
        assert out == content and not rejected, f"{kind} {line_ends} final newline {final_newline}"


# -- split ---------------------------------------------------------------------------------


@dataclass
class SplitRecord:
    lines: list[bytes]
    ends: list[bytes] = field(default_factory=list)

    def written(self) -> bytes:
        return b"".join(line + end for line, end in zip(self.lines, self.ends, strict=False))

    def key(self) -> bytes:  # the F104 comparison: identical after stripping surrounding whitespace
        return b"\n".join(self.lines).strip(b" \t\r\n")


class SplitCase:
    def __init__(self, records: list[SplitRecord], content: bytes, ratio: float, seed: int) -> None:
        self.records, self.content, self.ratio, self.seed = records, content, ratio, seed

    def __repr__(self) -> str:
        kinds = Counter("pretty" if len(r.lines) > 1 else "row" if r.lines[0].lstrip().startswith(b"{") else "other" for r in self.records)
        return f"SplitCase({len(self.records)} records {dict(kinds)}, {len(self.content)} bytes, ratio {self.ratio}, seed {self.seed})"


@st.composite
def split_cases(draw, pretty: bool = False):  # noqa: ANN201
    seed = draw(st.integers(0, 10**6))
    rng = random.Random(seed)
    count = draw(st.integers(15, 50))
    mix = draw(st.sampled_from([("messages",), ("messages", "dpo"), ("messages", "dpo", "cpt-text"), ("long-messages", "dpo")]))
    rows = [r for kind in mix for r in pool(kind, seed % 23, 60)]
    rng.shuffle(rows)
    items: list[Any] = [SplitRecord([r.encode()]) for r in rows[:count]]
    kinds = ["exact duplicate", "whitespace duplicate", "blank", "broken", "not an object"] + (["pretty"] * 3 if pretty else [])
    extra = draw(st.lists(st.sampled_from(kinds), min_size=3 if pretty else 0, max_size=15))
    if pretty and "pretty" not in extra:
        extra.append("pretty")
    for kind in extra:
        at = rng.randrange(len(items) + 1)
        records = [x for x in items if isinstance(x, SplitRecord) and len(x.lines) == 1 and x.lines[0].lstrip().startswith(b"{")]
        unique = len(items)
        if kind == "exact duplicate":
            items.insert(at, SplitRecord(list(rng.choice(records).lines)))
        elif kind == "whitespace duplicate":
            items.insert(at, SplitRecord([rng.choice([b" ", b"\t", b""]) + rng.choice(records).lines[0].strip() + rng.choice([b" ", b"\t "])]))
        elif kind == "blank":
            items.insert(at, rng.choice([b"", b"  ", b"\t"]))
        elif kind == "pretty":
            items.insert(at, SplitRecord([x.encode() for x in dumps(json.loads(rows[-1 - rng.randrange(10)]), indent=rng.choice([0, 2, "\t"])).split("\n")]))
        elif kind == "broken":
            items.insert(at, SplitRecord([rng.choice(["以下是导出的对话 {n}", "// comment {n}", "messages: [{n}]"]).format(n=unique).encode()]))
        else:
            items.insert(at, SplitRecord([rng.choice(["[1, 2, {n}]", "{n}", '"text {n}"']).format(n=unique).encode()]))
    # A pretty-printed row taken from rows[-10:] must not also be a one-line record (count <= 50 < 60).
    line_ends = draw(st.sampled_from(["lf", "crlf", "mixed"]))
    final_newline = draw(st.booleans())
    while isinstance(items[-1], bytes):  # the file ends with a record
        items.pop()
    for item in items:
        if isinstance(item, SplitRecord):
            item.ends = [b"\r\n" if (line_ends == "crlf" or (line_ends == "mixed" and rng.random() < 0.5)) else b"\n" for _ in item.lines]
    if not final_newline:
        items[-1].ends[-1] = b""
    content = b"".join(x.written() if isinstance(x, SplitRecord) else x + b"\n" for x in items)
    ratio = draw(st.sampled_from([0.5, 0.7, 0.8, 0.9]))
    return SplitCase([x for x in items if isinstance(x, SplitRecord)], content, ratio, draw(st.integers(0, 5)))


def assign_parts(records: list[SplitRecord], train: bytes, validation: bytes) -> list[str]:
    """Which part each record is in, reading both parts in file order, byte for byte."""
    parts = {"training": [train, 0], "validation": [validation, 0]}
    placed = []
    for number, record in enumerate(records):
        written = record.written()
        last = number == len(records) - 1
        fits = []
        for name, (data, pos) in parts.items():
            if (data[pos:] == written) if last or not written.endswith(b"\n") else data.startswith(written, pos):
                fits.append(name)
        assert fits, f"record {number + 1} ({written[:120]!r}) is in neither part byte for byte, in file order"
        assert len(fits) == 1, f"record {number + 1} ({written[:120]!r}) is identical to the next row of the other part: duplicates straddle the split"
        parts[fits[0]][1] += len(written)  # type: ignore[operator]
        placed.append(fits[0])
    for name, (data, pos) in parts.items():
        assert pos == len(data), f"the {name} part has bytes no input record accounts for: {data[pos:pos + 200]!r}"
    return placed


@settings(max_examples=20, **SETTINGS)
@given(split_cases())
def test_split_puts_every_record_in_one_part_byte_for_byte_and_keeps_duplicates_together(case):
    check_split(case)


@settings(max_examples=10, phases=[Phase.explicit, Phase.generate], **SETTINGS)  # no shrinking: keep a failure fast
@given(split_cases(pretty=True))
def test_split_keeps_a_pretty_printed_object_whole_as_one_record(case):
    """A pretty-printed object is one record: all its lines go to one part, together, in order."""
    check_split(case)


def check_split(case: SplitCase) -> None:
    records, content, ratio, seed = case.records, case.content, case.ratio, case.seed
    with tempfile.TemporaryDirectory() as folder:
        source, train, validation = Path(folder, "all.jsonl"), Path(folder, "train.jsonl"), Path(folder, "valid.jsonl")
        source.write_bytes(content)
        run = ftlint("split", source, "--train", train, "--validation", validation, "--ratio", ratio, "--seed", seed, "--force")
        note(f"stdout:\n{run.stdout}\nstderr:\n{run.stderr}")
        no_crash(run)
        assert source.read_bytes() == content
        assert sorted(p.name for p in Path(folder).iterdir()) == ["all.jsonl", "train.jsonl", "valid.jsonl"]
        placed = assign_parts(records, train.read_bytes(), validation.read_bytes())
    groups: dict[bytes, set[str]] = {}
    sizes: Counter[bytes] = Counter()
    for record, part in zip(records, placed, strict=False):
        groups.setdefault(record.key(), set()).add(part)
        sizes[record.key()] += 1
    straddling = [k[:80] for k, parts in groups.items() if len(parts) > 1]
    assert not straddling, f"identical rows in both parts: {straddling}"
    assert printed_counts(SPLIT_LINE, run.stdout) == (len(records), placed.count("training"), placed.count("validation"))
    extra = sum(n - 1 for n in sizes.values() if n > 1)
    if extra:
        in_groups = sum(n for n in sizes.values() if n > 1)
        said = [line for line in run.stdout.splitlines() if "duplicate" in line.lower()]
        assert said, "split did not say how many duplicate rows there were"
        numbers = {int(n.replace(",", "")) for line in said for n in re.findall(r"\d[\d,]*", line)}
        assert numbers & {extra, in_groups}, f"duplicates: {extra} extra copies ({in_groups} rows in groups); stdout says {said}"


# -- convert -------------------------------------------------------------------------------

EXTRA_FIELDS = {"id": lambda rng, i: rng.choice([i, f"conv-{i:05d}"]), "source": lambda rng, i: rng.choice(["客服日志2024", "forum", "synthetic"])}


def to_sharegpt(row: dict) -> tuple[dict, list[str]]:
    out: dict[str, Any] = {}
    texts = []
    turns = []
    for m in row["messages"]:
        if m["role"] == "system":
            out["system"] = m["content"]
        else:
            turns.append({"from": "human" if m["role"] == "user" else "gpt", "value": m["content"]})
        texts.append(m["content"])
    out["conversations"] = turns
    return out, texts


def to_alpaca(row: dict, rng: random.Random) -> tuple[dict, list[str]]:
    turns = [m["content"] for m in row["messages"] if m["role"] != "system"]
    pairs = [turns[i : i + 2] for i in range(0, len(turns), 2)]
    *history, (instruction, output) = pairs
    given = rng.choice(["", "", f"订单号：{rng.randint(10**9, 10**10)}", "Please answer in two sentences."])
    out: dict[str, Any] = {"instruction": instruction, "input": given, "output": output}
    if history:
        out["history"] = [list(p) for p in history]
    return out, [t for t in turns + [given] if t]


@st.composite
def convert_cases(draw):  # noqa: ANN201
    source_format = draw(st.sampled_from(["sharegpt", "alpaca"]))
    seed = draw(st.integers(0, 10**6))
    rng = random.Random(seed)
    share = draw(st.sampled_from([0.0, 0.3, 0.7, 1.0]))
    rows = list(pool("messages", seed % 23, 40))[: draw(st.integers(5, 30))]
    built = []
    for i, text in enumerate(rows):
        row = json.loads(text)
        converted, texts = to_sharegpt(row) if source_format == "sharegpt" else to_alpaca(row, rng)
        extras = [name for name in EXTRA_FIELDS if rng.random() < share]
        for name in extras:
            converted[name] = EXTRA_FIELDS[name](rng, i)
        if rng.random() < 0.5:  # extra fields first or last: the order of keys does not matter
            converted = dict(reversed(list(converted.items())))
        built.append((converted, texts, extras))
    return source_format, built


def strings_in(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in strings_in(v)]
    if isinstance(value, list):
        return [s for v in value for s in strings_in(v)]
    return []


def match_rows(inputs: list[list[str]], outputs: list[list[str]]) -> list[int] | None:
    """A one-to-one match: input i -> an output row holding every text of input i (Kuhn)."""
    fits = [[j for j, strings in enumerate(outputs) if all(any(t in s for s in strings) for t in texts)] for texts in inputs]
    owner: dict[int, int] = {}

    def place(i: int, seen: set[int]) -> bool:
        for j in fits[i]:
            if j not in seen:
                seen.add(j)
                if j not in owner or place(owner[j], seen):
                    owner[j] = i
                    return True
        return False

    if not all(place(i, set()) for i in range(len(inputs))):
        return None
    return [next(j for j, i2 in owner.items() if i2 == i) for i in range(len(inputs))]


@settings(max_examples=20, **SETTINGS)
@given(convert_cases(), st.booleans())
def test_convert_keeps_every_turn_and_reports_or_rejects_dropped_fields(case, strict):
    source_format, built = case
    content = "".join(dumps(row) + "\n" for row, _, _ in built).encode()
    with tempfile.TemporaryDirectory() as folder:
        source, out, rejects = Path(folder, "in.jsonl"), Path(folder, "out.jsonl"), Path(folder, "out.rejects.jsonl")
        source.write_bytes(content)
        run = ftlint("convert", source, "-o", out, "--from", source_format, *(["--strict"] if strict else []))
        note(f"stdout:\n{run.stdout}\nstderr:\n{run.stderr}")
        no_crash(run)
        out_rows = [strict_loads(x) for x in physical_lines(out.read_bytes())]
        reject_rows = [plain_loads(x) for x in physical_lines(rejects.read_bytes())] if rejects.exists() else []
    assert all(isinstance(r, dict) and isinstance(r.get("messages"), list) for r in out_rows)
    dirty = [i for i, (_, _, extras) in enumerate(built) if extras]
    if strict:
        assert sorted(r["line"] for r in reject_rows) == [i + 1 for i in dirty], "--strict: exactly the rows with a field that has no place are rejected"
        for r in reject_rows:
            assert r["code"] == "convert" and r["last_line"] == r["line"] and r["reason"].strip()
            assert r["text"] == dumps(built[r["line"] - 1][0])
        kept = [i for i in range(len(built)) if i not in dirty]
    else:
        assert reject_rows == [], f"mappable rows were rejected: {reject_rows[:3]}"
        kept = list(range(len(built)))
        for name in EXTRA_FIELDS:
            count = sum(name in extras for _, _, extras in built)
            said = re.findall(rf"dropped field {re.escape(name)}: ([\d,]+) rows?", run.stdout)
            if count:
                assert [int(n.replace(",", "")) for n in said] == [count], f"field {name} is in {count} rows; stdout: {run.stdout[-800:]}"
            else:
                assert not said, f"field {name} is in no row, but stdout reports it dropped"
    assert len(out_rows) == len(kept), f"{len(out_rows)} rows written, {len(kept)} expected"
    match = match_rows([built[i][1] for i in kept], [strings_in(r) for r in out_rows])
    assert match is not None, "some input turn's text is missing from every output row"
    assert printed_counts(ROWS_LINE, run.stdout) == (len(built), len(out_rows), len(reject_rows))
