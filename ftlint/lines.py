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


class LineReader:
    """Iterates (line number, bytes without the line end) over a binary stream."""

    def __init__(self, stream: BinaryIO, chunk_size: int = CHUNK_SIZE) -> None:
        self._stream = stream
        self._chunk_size = chunk_size
        self.bytes_read = 0
        self.ends_with_newline = False

    def __iter__(self) -> Iterator[tuple[int, bytes]]:
        number = 0
        pending: list[bytes] = []  # pieces of a line longer than one chunk
        read = self._stream.read
        while chunk := read(self._chunk_size):
            self.bytes_read += len(chunk)
            parts = chunk.split(b"\n")
            if len(parts) == 1:
                pending.append(chunk)
                continue
            if pending:
                pending.append(parts[0])
                parts[0] = b"".join(pending)
                pending = []
            last = parts.pop()
            for part in parts:
                number += 1
                yield number, part
            if last:
                pending.append(last)
            self.ends_with_newline = not last
        if pending:
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


def parse_line(number: int, raw: bytes) -> Line:
    """Classify and parse one line. orjson first; on failure Python's json decides,
    because the platform's parser is Python's and accepts a few things orjson does not
    (lone surrogate escapes, numbers too large for a double). NaN and Infinity are
    rejected, as the platform documents."""
    if raw.endswith(b"\r"):
        raw = raw[:-1]
    line = Line(number, raw, bom=number == 1 and raw.startswith(BOM))
    body = line.body
    if not body or (body[:1].isspace() and not body.strip()):
        line.blank = True
        return line
    try:
        line.value = orjson.loads(body)
        return line
    except orjson.JSONDecodeError:
        pass
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


def _constant_column(text: str) -> int:
    for word in ("-Infinity", "Infinity", "NaN"):
        at = text.find(word)
        if at >= 0:
            return at + 1
    return 1
