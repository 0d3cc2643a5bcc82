"""Stage 1: bytes -> physical lines -> parsed lines.

Files are read in binary in large chunks; lines are split on b"\\n" only, so line
numbers are the physical, 1-based lines an editor shows. A line end after the last
line ends that line; it does not start an empty one.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, BinaryIO

import orjson

from ftlint.i18n import _

CHUNK_SIZE = 1 << 20
BOM = b"\xef\xbb\xbf"
# No line longer than the largest .jsonl the platform takes (300 MB) can be uploaded, so
# a longer one is not kept in memory: it is measured, reported (L106) and skipped.
MAX_LINE = 300 << 20
# Python's json, the platform's parser, gives up (RecursionError) a little under 1,000
# levels of nesting with the default recursion limit; orjson goes to 1,024. A row nested
# deeper than this cannot be read by the platform: error 14 (L108).
MAX_DEPTH = 990

# What a JsonError is, and so which rule reports it.
SYNTAX = "syntax"  # not JSON at all: L104
CONSTANT = "constant"  # JSON but for NaN, Infinity or -Infinity, which Python's json reads: L110
DEPTH = "depth"  # nested deeper than Python's json can parse: L108


class OversizedLine(bytes):
    """Stands for a line that was too long to keep: its content is not read."""

    length: int


def oversized(length: int) -> OversizedLine:
    line = OversizedLine()
    line.length = length
    return line


class LineReader:
    """Iterates (line number, bytes without the line end) over a binary stream."""

    def __init__(self, stream: BinaryIO, chunk_size: int = CHUNK_SIZE, max_line: int = MAX_LINE) -> None:
        self._stream = stream
        self._chunk_size = chunk_size
        self._max_line = max_line
        self.bytes_read = 0
        # False once the last line has been yielded without a line end after it (a file
        # that does not end in a newline); rewriting keeps that as it was.
        self.last_terminated = True

    def __iter__(self) -> Iterator[tuple[int, bytes]]:
        number = 0
        pending: list[bytes] = []  # pieces of a line longer than one chunk
        pending_size = 0
        skipped = 0  # length of an oversized line being skipped, or 0
        read = self._stream.read
        while chunk := read(self._chunk_size):
            self.bytes_read += len(chunk)
            parts = chunk.split(b"\n")
            if len(parts) == 1:
                if skipped:
                    skipped += len(chunk)
                    continue
                pending.append(chunk)
                pending_size += len(chunk)
                if pending_size > self._max_line:
                    skipped, pending, pending_size = pending_size, [], 0
                continue
            if skipped:
                number += 1
                yield number, oversized(skipped + len(parts[0]))
                skipped = 0
                parts[0] = None  # type: ignore[call-overload]
            elif pending:
                pending.append(parts[0])
                parts[0] = b"".join(pending)
                pending, pending_size = [], 0
            last = parts.pop()
            for part in parts:
                if part is None:
                    continue
                number += 1
                yield number, part
            if last:
                pending.append(last)
                pending_size = len(last)
        if skipped:
            self.last_terminated = False
            yield number + 1, oversized(skipped)
        elif pending:
            self.last_terminated = False
            yield number + 1, b"".join(pending)


@dataclass(slots=True)
class JsonError:
    reason: str  # the parser's own words
    column: int  # 1-based character column
    text: str  # the decoded line, for rules that explain the error
    kind: str = SYNTAX  # SYNTAX, CONSTANT or DEPTH: which rule reports it


@dataclass(slots=True)
class Line:
    """One physical line and what parsing it gave. Exactly one of blank, utf8_error,
    json_error and value describes the content."""

    number: int
    raw: bytes  # without the line end (and without the CR of a CRLF end)
    oversized: int = 0  # the length of a line too long to read (its raw is empty)
    bom: bool = False
    blank: bool = False
    utf8_error: tuple[int, str] | None = None  # (column, reason)
    json_error: JsonError | None = None
    value: Any = None
    # orjson refused the line and Python's json read it: it holds a lone surrogate
    # escape (L107), or a number too large for a double (read as inf; valid JSON). Rare:
    # a rule that looks for those tests this first, so normal lines cost it nothing.
    lenient: bool = False

    @property
    def body(self) -> bytes:
        return self.raw[3:] if self.bom else self.raw


def parse_line(number: int, raw: bytes, file_start: bool | None = None) -> Line:
    """Classify and parse one line. orjson first; on failure Python's json decides,
    because the platform's parser is Python's and accepts a few things orjson does not
    (lone surrogate escapes, numbers too large for a double: the line is `lenient`).
    What Python's json reads but is still not usable JSON is a JsonError of its own
    kind: NaN/Infinity (CONSTANT, L110) and nesting deeper than MAX_DEPTH (DEPTH, L108);
    either way the line has no value, as for invalid JSON (SYNTAX, L104)."""
    if isinstance(raw, OversizedLine):
        return Line(number, b"", oversized=raw.length)
    if raw.endswith(b"\r"):
        raw = raw[:-1]
    first = number == 1 if file_start is None else file_start  # a worker's line 1 may be mid-file
    line = Line(number, raw, bom=first and raw.startswith(BOM))
    body = line.body
    if not body or (body[:1].isspace() and not body.strip()):
        line.blank = True
        return line
    try:
        line.value = orjson.loads(body)
    except orjson.JSONDecodeError:
        pass
    else:
        # Nesting d levels deep takes 2d bytes at least: most lines are too short to count.
        if len(body) > 2 * MAX_DEPTH and (deep := _too_deep(body)) is not None:
            line.value, line.json_error = None, deep
        return line
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as err:
        column = len(body[: err.start].decode("utf-8", "replace")) + 1
        if not body[: err.start].strip() and not body[err.end :].strip():
            column = 1
        line.utf8_error = (column, _("byte 0x{body:02x} is not valid UTF-8").format(body=body[err.start]))
        return line
    if not text.strip():
        line.blank = True
        return line
    # Too deep is decided by the depth, not by where RecursionError strikes (that depends
    # on how deep the caller's stack is); Python's json, reading left to right, meets
    # whichever comes first: a syntax error, or the level it cannot go past.
    deep = _too_deep(body, text)
    constants = _Constants()
    try:
        value = json.loads(text, parse_constant=constants)
    except json.JSONDecodeError as err:
        line.json_error = deep if deep and err.pos >= deep.column - 1 else JsonError(err.msg, err.colno, text)
    except RecursionError:
        line.json_error = deep or JsonError(_("nested {nesting_depth:,} levels deep, too deep for Python's json").format(nesting_depth=nesting_depth(body)), 1, text, DEPTH)
    except ValueError as err:  # an integer longer than Python converts (4,300 digits)
        column = _token_column(text, _LONG_INTEGER)
        line.json_error = deep if deep and column >= deep.column else JsonError(str(err), column, text)
    else:
        if deep:
            line.json_error = deep
        elif constants.seen:
            line.json_error = JsonError(_("{seen} is not a JSON number").format(seen=constants.seen[0]), _token_column(text, _CONSTANT), text, CONSTANT)
        else:
            line.value = value
            line.lenient = True
    return line


class _Constants:
    """parse_constant for Python's json: notes each NaN/Infinity/-Infinity it reads.
    (Not a list: json takes `parse_constant or default`, and an empty list is false.)"""

    def __init__(self) -> None:
        self.seen: list[str] = []

    def __call__(self, name: str) -> float:
        self.seen.append(name)
        return float(name)


def _too_deep(body: bytes, text: str | None = None) -> JsonError | None:
    """The error for a line nested deeper than MAX_DEPTH (at the bracket that goes past
    it), or None."""
    if body.count(b"[") + body.count(b"{") <= MAX_DEPTH:
        return None
    depth, at = _depth_scan(body)
    if depth <= MAX_DEPTH:
        return None
    if text is None:
        text = body.decode("utf-8", "replace")
    column = len(body[:at].decode("utf-8", "replace")) + 1
    return JsonError(_("nested {depth:,} levels deep; Python's json fails beyond about {MAX_DEPTH}").format(depth=depth, MAX_DEPTH=MAX_DEPTH), column, text, DEPTH)


def nesting_depth(body: bytes) -> int:
    """The deepest nesting of arrays and objects in a JSON text, outside strings."""
    return _depth_scan(body)[0]


def _depth_scan(body: bytes) -> tuple[int, int]:
    """(deepest nesting, byte offset of the bracket that first goes deeper than
    MAX_DEPTH, or -1), outside strings."""
    depth = deepest = 0
    at = -1
    in_string = escaped = False
    for offset, byte in enumerate(body):
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:  # backslash
                escaped = True
            elif byte == 0x22:
                in_string = False
        elif byte == 0x22:
            in_string = True
        elif byte in (0x5B, 0x7B):
            depth += 1
            if depth > deepest:
                deepest = depth
                if depth == MAX_DEPTH + 1:
                    at = offset
        elif byte in (0x5D, 0x7D):
            depth -= 1
    return deepest, at


# JSON tokens a scan of a line cares about: strings (skipped whole), numbers, and the
# three constants Python's json reads.
_TOKENS = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|(-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?)|(NaN|-?Infinity)')
_CONSTANT = 2
_LONG_INTEGER = 1


def _token_column(text: str, group: int) -> int:
    """The 1-based column of the first constant (group 2) or of the first integer too
    long for Python to convert (group 1), outside strings; 1 when there is none."""
    limit = getattr(sys, "get_int_max_str_digits", lambda: 4300)() or sys.maxsize
    for match in _TOKENS.finditer(text):
        found = match.group(group)
        if found and (group == _CONSTANT or (len(digits := found.lstrip("-")) > limit and digits.isdigit())):
            return match.start() + 1
    return 1
