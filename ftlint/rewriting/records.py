"""Bytes -> records: what `fix` and `convert` read, each accounted for once.

A record is one physical line, or an object pretty-printed over several lines when,
and only when, the joined lines parse as one object. Grouping follows the brackets
(outside strings): a line that leaves a ``{`` or ``[`` open starts a group, and the
group ends where the brackets close. A group is given up, and its lines are read
again one by one, when a line inside it breaks the count (a string left open, a
stray closing bracket), is a complete row on its own, or the group grows past a
bound. So a truncated line never swallows the row after it: at worst it is a
record of its own that cannot be used.

Each record keeps its bytes exactly (``raw``, its line end in ``ending``), so a
record that needs nothing is written back byte for byte.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, BinaryIO

from ftlint.engine.lines import BOM, LineReader, OversizedLine, parse_line
from ftlint.rewriting import exact

MAX_GROUP_LINES = 2000  # a pretty-printed row longer than this is not re-joined
MAX_GROUP_BYTES = 64 << 20
# Re-reading the lines of abandoned groups is bounded per file, so a file of lines
# that each open a bracket cannot make reading quadratic.
REREAD_ALLOWANCE = 20_000

# Keys that make an object a dataset row (of any format fix or convert reads); a line
# holding such an object on its own is never taken into another line's group.
ROW_KEYS = frozenset({"messages", "prompt", "completion", "chosen", "rejected", "conversations", "instruction"})


class LineTooLong(Exception):
    """A line too long to keep in memory (and so to rewrite without losing it)."""


@dataclass
class Record:
    first_line: int
    last_line: int
    raw: bytes  # the record's bytes, lines joined with b"\n" (a BOM removed)
    ending: bytes  # the line end after the last line: b"\n", or b"" at the end of a file
    value: Any = None  # the parsed value, for a usable record (json.loads semantics)
    usable: bool = False
    problem: str | None = None  # why it cannot be used, when it cannot
    code: str | None = None  # the rule code of that problem
    repairs: list[str] = field(default_factory=list)  # repairs made while reading
    rewrite_from: str | None = None  # JSON text to re-serialise from, when the bytes cannot stay
    literal: Any = None  # the exact value of a Python literal, when that is how it was read

    @property
    def must_rewrite(self) -> bool:
        return self.rewrite_from is not None or self.literal is not None

    def exact_value(self) -> Any:
        """The value with numbers kept as their text (raises exact.Unrepresentable)."""
        if self.literal is not None:
            return self.literal
        return exact.loads(self.rewrite_from if self.rewrite_from is not None else self.raw.strip())

    def reject_fields(self) -> dict[str, Any]:
        return {"first_line": self.first_line, "last_line": self.last_line, "raw": self.raw}


_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|"|[\[\]{}]')


def _brackets(text: str) -> tuple[int, int, bool]:
    """(depth at the end, lowest depth reached, a string left open) for one line."""
    depth = low = 0
    for match in _TOKENS.finditer(text):
        token = match.group()
        if token == '"':
            return depth, low, True
        if token in "{[":
            depth += 1
        elif token in "}]":
            depth -= 1
            low = min(low, depth)
    return depth, low, False


_TRAILING_COMMA = re.compile(r'"(?:[^"\\]|\\.)*"|,(\s*[}\]])')


def without_trailing_commas(text: str) -> str | None:
    """The text with commas before a closing bracket (outside strings) removed, or None
    when it has none."""
    found = False

    def drop(match: re.Match[str]) -> str:
        nonlocal found
        if match.group(1) is None:
            return match.group()
        found = True
        return match.group(1)

    cleaned = _TRAILING_COMMA.sub(drop, text)
    return cleaned if found else None


def _parses_as(text: str | bytes) -> Any:
    line = parse_line(2, text.encode("utf-8") if isinstance(text, str) else text, file_start=False)
    if line.json_error or line.utf8_error or line.blank or line.oversized:
        return _NOTHING
    return line.value


_NOTHING = object()

# Escapes that mean the same in a Python string literal and in JSON. Anything else
# (\/ keeps its backslash in Python, \x41, \N{…}, octal, \a, \v, surrogate halves)
# means something else in one of them, so such a literal is not rewritten.
_SAME_ESCAPE = re.compile(r'\\(?:[\\"\'ntrbf]|u(?![dD][89a-fA-F])[0-9a-fA-F]{4})')


def python_literal(text: str) -> Any:
    """A Python dict literal (str() of a dict) as the same data in exact form, or None
    when it is not one, or when a string in it would read differently as JSON."""
    if len(text) > MAX_GROUP_BYTES or not text.lstrip().startswith("{"):
        return None
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type == tokenize.STRING:
                body = token.string
                if body[0] not in "'\"":  # a prefix: r'', b'', f'' ...
                    return None
                if "\\" in _SAME_ESCAPE.sub("", body):
                    return None
        value = ast.literal_eval(text)
        return exact.from_python(value) if isinstance(value, dict) else None
    except (ValueError, SyntaxError, MemoryError, RecursionError, TypeError, tokenize.TokenError, IndentationError):
        return None


def _looks_like_row(value: Any) -> bool:
    return isinstance(value, dict) and not ROW_KEYS.isdisjoint(value)


def _joined_value(raws: list[bytes]) -> tuple[Any, str, list[str]] | None:
    """The object a group of lines forms: (value, text to re-serialise from, repairs)."""
    joined = b"\n".join(raws)
    value = _parses_as(joined)
    text = joined.decode("utf-8", "surrogatepass") if value is not _NOTHING else None
    repairs = ["L104-joined"]
    if value is _NOTHING:
        try:
            cleaned = without_trailing_commas(joined.decode("utf-8"))
        except UnicodeDecodeError:
            return None
        if cleaned is None:
            return None
        value = _parses_as(cleaned)
        text = cleaned
        repairs.append("L104-comma")
    if isinstance(value, dict) or (isinstance(value, list) and value and all(isinstance(m, dict) for m in value)):
        assert text is not None
        return value, text, repairs
    return None


def read_records(stream: BinaryIO, on_blank=None) -> Iterator[Record]:  # type: ignore[no-untyped-def]
    """Every record of a stream, in order. `on_blank(number)` hears of each blank line
    (they are not records). Raises LineTooLong for a line that was not kept."""
    reader = LineReader(stream)
    source = iter(reader)
    queue: deque[tuple[int, bytes, bytes]] = deque()
    lookahead: list[tuple[int, bytes]] = []
    allowance = REREAD_ALLOWANCE

    def next_line() -> tuple[int, bytes, bytes] | None:
        # Physical lines with their line end: one line of lookahead tells whether a line
        # was the last one and had no line end.
        if queue:
            return queue.popleft()
        if not lookahead:
            first = next(source, None)
            if first is None:
                return None
            lookahead.append(first)
        current = lookahead.pop()
        following = next(source, None)
        if following is not None:
            lookahead.append(following)
            return current[0], current[1], b"\n"
        return current[0], current[1], b"\n" if reader.last_terminated else b""

    while (item := next_line()) is not None:
        number, raw, ending = item
        if isinstance(raw, OversizedLine):
            raise LineTooLong(f"line {number} is {raw.length:,} bytes, longer than any upload; it cannot be rewritten without holding it whole")
        repairs = []
        if number == 1 and raw.startswith(BOM):
            raw = raw[len(BOM) :]
            repairs.append("L102")
        line = parse_line(number, raw, file_start=False)
        if line.blank:
            if on_blank:
                on_blank(number)
            continue
        if line.utf8_error:
            yield Record(number, number, raw, ending, problem=f"not valid UTF-8: {line.utf8_error[1]}", code="L103", repairs=repairs)
            continue
        if not line.json_error:
            yield Record(number, number, raw, ending, line.value, usable=True, repairs=repairs)
            continue
        text = line.json_error.text
        depth, low, open_string = _brackets(text)
        if depth > 0 and low >= 0 and not open_string and text.lstrip()[:1] in ("{", "[") and allowance > 0:
            group = [(number, raw, ending)]
            size = len(raw)
            while depth > 0 and len(group) < MAX_GROUP_LINES and size < MAX_GROUP_BYTES:
                following = next_line()
                if following is None:
                    break
                group.append(following)
                piece = following[1]
                if isinstance(piece, OversizedLine):
                    break
                size += len(piece)
                try:
                    piece_text = piece.decode("utf-8")
                except UnicodeDecodeError:
                    break
                if _looks_like_row(_parses_as(piece)):
                    break
                change, piece_low, piece_open = _brackets(piece_text)
                if piece_open or depth + piece_low < 0:
                    break
                depth += change
            joined = _joined_value([r for _, r, _ in group]) if depth == 0 else None
            if joined is not None:
                value, rewrite_from, group_repairs = joined
                yield Record(number, group[-1][0], b"\n".join(r for _, r, _ in group), group[-1][2], value, usable=True,
                             repairs=repairs + group_repairs, rewrite_from=rewrite_from)
                continue
            allowance -= len(group) - 1
            queue.extendleft(reversed(group[1:]))
        cleaned = without_trailing_commas(text)
        if cleaned is not None and (value := _parses_as(cleaned)) is not _NOTHING:
            yield Record(number, number, raw, ending, value, usable=True, repairs=repairs + ["L104-comma"], rewrite_from=cleaned)
            continue
        literal = python_literal(text)
        if literal is not None:
            yield Record(number, number, raw, ending, _plain(literal), usable=True, repairs=repairs + ["L104-literal"], literal=literal)
            continue
        yield Record(number, number, raw, ending, problem=f"not valid JSON: {line.json_error.reason}", code="L104", repairs=repairs)


def _plain(value: Any) -> Any:
    """An exact value as json.loads would give it (numbers as int/float), for the rules."""
    if isinstance(value, exact.Number):
        return _parses_as(str.__str__(value).encode())
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value
