"""Stage 1: bytes -> physical lines -> parsed lines.

Files are read in binary in large chunks; lines are split on b"\\n" only, so line
numbers are the physical, 1-based lines an editor shows. A line end after the last
line ends that line; it does not start an empty one.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, BinaryIO

import orjson

CHUNK_SIZE = 1 << 20
BOM = b"\xef\xbb\xbf"
# No line longer than the largest .jsonl the platform takes (300 MB) can be uploaded, so
# a longer one is not kept in memory: it is measured, reported (L106) and skipped.
MAX_LINE = 300 << 20
# Python's json, the platform's parser, gives up (RecursionError) a little under 1,000
# levels of nesting with the default recursion limit; orjson goes to 1,024. A row nested
# deeper than this cannot be read by the platform: error 14.
MAX_DEPTH = 990


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

    @property
    def body(self) -> bytes:
        return self.raw[3:] if self.bom else self.raw


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def parse_line(number: int, raw: bytes, file_start: bool | None = None) -> Line:
    """Classify and parse one line. orjson first; on failure Python's json decides,
    because the platform's parser is Python's and accepts a few things orjson does not
    (lone surrogate escapes, numbers too large for a double). NaN and Infinity are
    rejected, as the platform documents."""
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
        if body.count(b"[") + body.count(b"{") > MAX_DEPTH:
            depth = nesting_depth(body)
            if depth > MAX_DEPTH:
                line.value = None
                text = body.decode("utf-8", "replace")
                line.json_error = JsonError(f"nested {depth:,} levels deep; Python's json (the platform's parser) fails beyond about {MAX_DEPTH}", 1, text)
        return line
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as err:
        column = len(body[: err.start].decode("utf-8", "replace")) + 1
        if not body[: err.start].strip() and not body[err.end :].strip():
            column = 1
        line.utf8_error = (column, f"byte 0x{body[err.start]:02x} is not valid UTF-8")
        return line
    if not text.strip():
        line.blank = True
        return line
    try:
        line.value = json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as err:
        line.json_error = JsonError(err.msg, err.colno, text)
    except ValueError as err:  # NaN / Infinity
        column = _constant_column(text)
        line.json_error = JsonError(str(err), column, text)
    except RecursionError:
        line.json_error = JsonError("nested too deeply", 1, text)
    return line


def nesting_depth(body: bytes) -> int:
    """The deepest nesting of arrays and objects in a JSON text, outside strings."""
    depth = deepest = 0
    in_string = escaped = False
    for byte in body:
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
            deepest = max(deepest, depth)
        elif byte in (0x5D, 0x7D):
            depth -= 1
    return deepest


def _constant_column(text: str) -> int:
    for word in ("-Infinity", "Infinity", "NaN"):
        at = text.find(word)
        if at >= 0:
            return at + 1
    return 1
