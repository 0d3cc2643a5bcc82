"""A file that is one JSON array of rows (`[{...}, {...}]`, the usual shape of
LLaMA-Factory and Alpaca datasets), read element by element with each element's
physical lines.

The platform reads JSON Lines, so `check` reports such a file once (F110) and
`convert`/`fix` read it here. The reader is streaming: it holds one element at a time,
whatever the file's size. It splits the array on its structure (brackets and commas
outside strings) and hands each element's exact bytes on, to be parsed by the same
exact-number parser as a JSONL row. ijson (measured, with its C backend) parses an
array faster but gives no byte or line positions, and those are what the rejects
file and every message need.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO, cast

import orjson

from ftlint.engine.lines import BOM
from ftlint.engine.rows import detect_format
from ftlint.foreign_formats import convert_from
from ftlint.i18n import _

SNIFF_BYTES = 1 << 16
FIRST_LINE_BYTES = 16 << 20  # a longer first line without a break is an array written on one line
_SPACE = b" \t\r\n,"
CHUNK = 1 << 20
MAX_ELEMENT_BYTES = 256 << 20  # one row larger than any upload: stop, never hold more
# A string (whole, or up to the end of the chunk or a raw line break, which
# `_string_state` decides on), or a bracket or comma.
_TOKEN = re.compile(rb'"[^"\\\n]*(?:\\.[^"\\\n]*)*(")?|[\[\]{},]')  # group 1: the closing quote
# The line after a raw line break inside a string, when it is JSON structure: a bracket,
# a comma, or a key.
_STRUCTURE_NEXT = re.compile(rb'[ \t\r]*(?:[\[\]{},]|"(?:[^"\\\n]|\\.)*"[ \t]*:)')
_STRING_REST = re.compile(rb'[^"\\\n]*(?:\\.[^"\\\n]*)*')


class ArrayError(Exception):
    """The array is not well formed: where, and why."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line


@dataclass(frozen=True)
class Element:
    first_line: int
    last_line: int
    raw: bytes  # the element's bytes exactly, without the commas and blank space around it
    problem: str | None = None  # why it is not a whole element (the array is cut short)


def sniff(stream: BinaryIO) -> tuple[bool, BinaryIO]:
    """Whether the stream is one JSON array rather than JSON Lines, and the stream to
    read from now on (the sniffed bytes put back in front)."""
    head = stream.read(SNIFF_BYTES)
    # A first line longer than the sniff is read to its end (up to a bound), so that
    # JSON Lines whose first row is one long list is not taken for an array.
    while b"\n" not in head.lstrip(b" \t\r\n") and len(head) < FIRST_LINE_BYTES and head.lstrip(BOM + b" \t\r\n").startswith(b"["):
        more = stream.read(SNIFF_BYTES)
        if not more:
            break
        head += more
    return is_array_head(head), cast(BinaryIO, Prefixed(head, stream))


def is_array_head(head: bytes) -> bool:
    """Whether a file starting with `head` is one JSON array spread over the file. JSON
    Lines whose rows are lists (a bare messages list on each line) is not: an array
    file's first line is not a complete JSON value on its own, or it is the file's
    only line and holds rows (objects that are not chat messages). JSON Lines whose
    first line is broken is not either: most of the lines after it are whole values."""
    if head.startswith(BOM):
        head = head[len(BOM):]
    body = head.lstrip(b" \t\r\n")
    if not body.startswith(b"["):
        return False
    first, newline, rest = body.partition(b"\n")
    try:
        value = orjson.loads(first)
    except orjson.JSONDecodeError:
        # Open at the end of its first line: pretty-printed over several lines, or one
        # line longer than the sniff (an array written without line breaks).
        if not newline:
            return True
        return scan_depth(first) > 0 and not _mostly_whole_values(rest)
    if rest.strip():
        return False  # more lines after a complete one: JSON Lines of list rows
    if not isinstance(value, list) or not value or not all(isinstance(item, dict) for item in value):
        return False
    if any(detect_format(item) is not None or convert_from(item) is not None for item in value):
        return True
    # Objects of no known shape (renamed columns): rows, unless they are chat messages
    # (a bare messages list, one row of JSON Lines).
    return not all("role" in item or "from" in item for item in value)


def _mostly_whole_values(lines: bytes) -> bool:
    """Whether most of the complete lines in `lines` are each a whole non-empty object or
    list on its own (JSON Lines rows), which an array's inner lines almost never are."""
    complete = [line for line in lines.split(b"\n")[:-1] if line.strip()][:64]
    if not complete:
        return False
    whole = 0
    for line in complete:
        try:
            value = orjson.loads(line)
        except orjson.JSONDecodeError:
            continue
        whole += isinstance(value, (dict, list)) and bool(value)
    return whole * 2 > len(complete)


def scan_depth(text: bytes) -> int:
    """The bracket depth at the end of `text`, outside strings."""
    depth = 0
    for token in _TOKEN.finditer(text):
        char = text[token.start()]
        if char in (0x5B, 0x7B):
            depth += 1
        elif char in (0x5D, 0x7D):
            depth -= 1
    return depth


class Prefixed:
    """A binary stream whose first bytes were read to sniff it, put back in front."""

    def __init__(self, head: bytes, stream: BinaryIO) -> None:
        self._head = head
        self._stream = stream

    def read(self, size: int = -1) -> bytes:
        if self._head:
            if size < 0:
                out, self._head = self._head + self._stream.read(), b""
                return out
            out, self._head = self._head[:size], self._head[size:]
            return out
        return self._stream.read(size)


def elements(stream: BinaryIO) -> Iterator[Element]:
    """The array's elements in order, with their physical lines. Raises ArrayError
    where the array is cut short or something follows its closing bracket."""
    line = 1
    depth = 0  # 0 before the array, 1 inside it, more inside an element
    in_string = False  # inside a string that runs on past the end of a chunk
    escape = False  # ... and the chunk ended on its backslash
    ended = False
    piece: list[bytes] = []  # the current element's bytes so far
    size = 0
    first_line = 0
    chunk = stream.read(CHUNK)
    if chunk.startswith(BOM):
        chunk = chunk[len(BOM):]
    while chunk:
        at = 0  # the start of the part of this chunk not yet given to `piece`
        counted = 0  # newlines are counted up to here
        position = 0
        n = len(chunk)
        if in_string:
            position = 1 if escape else 0
            end = _STRING_REST.match(chunk, position).end()  # type: ignore[union-attr]
            in_string, escape, position = _string_state(chunk, end)
        while position < n:
            found = _TOKEN.search(chunk, position)
            if found is None:
                rest = chunk[position:]
                if ended and rest.strip():
                    raise ArrayError(line + chunk.count(b"\n", counted, position + len(rest) - len(rest.lstrip())), _("text after the array's closing bracket"))
                if depth >= 1 and not first_line and rest.strip(_SPACE):
                    first_line = line + chunk.count(b"\n", counted, position + len(rest) - len(rest.lstrip(_SPACE)))
                break
            start, position = found.span()
            line += chunk.count(b"\n", counted, start)
            counted = start
            if ended:
                raise ArrayError(line, _("text after the array's closing bracket"))
            if depth >= 1 and not first_line:
                gap = chunk[at:start]
                if gap.strip(_SPACE):  # a bare value (a number, true, null) starts the element
                    first_line = line - gap[len(gap) - len(gap.lstrip(_SPACE)):].count(b"\n")
            char = chunk[start]
            if char == 0x22:  # "
                if depth == 0:
                    raise ArrayError(line, _("the file does not start with a JSON array"))
                if not first_line:
                    first_line = line
                if found.group(1) is None:  # not closed in this chunk (an escaped quote may end it)
                    in_string, escape, position = _string_state(chunk, position)
                continue
            if char in (0x5B, 0x7B):  # [ {
                if depth == 0:
                    if char != 0x5B or chunk[at:start].strip():
                        raise ArrayError(line, _("the file does not start with a JSON array"))
                    at = position
                elif depth == 1 and not first_line:
                    first_line = line
                depth += 1
                continue
            if depth == 0:  # a comma or closing bracket before any array
                raise ArrayError(line, _("the file does not start with a JSON array"))
            if char in (0x5D, 0x7D):  # ] }
                depth -= 1
                if depth >= 1:
                    continue
                piece.append(chunk[at:start])  # the array's own closing bracket
                element = _element(piece, first_line, line)
                if element is not None:
                    yield element
                piece, size, first_line, ended = [], 0, 0, True
                at = position
            elif depth == 1:  # a comma between elements
                piece.append(chunk[at:start])
                element = _element(piece, first_line, line)
                if element is None:
                    raise ArrayError(line, _("an empty element (two commas in a row, or a comma first)"))
                yield element
                piece, size, first_line = [], 0, 0
                at = position
        line += chunk.count(b"\n", counted)
        if depth >= 1 and not ended:
            piece.append(chunk[at:])
            size += n - at
            if size > MAX_ELEMENT_BYTES:
                raise ArrayError(first_line or line, _("an element of over {size} MB: no row is that long").format(size=MAX_ELEMENT_BYTES >> 20))
        chunk = stream.read(CHUNK)
    if depth == 0 and not ended:
        raise ArrayError(line, _("the file does not start with a JSON array"))
    if not ended:
        # Cut short: what was read of the last element is still accounted for.
        element = _element(piece, first_line, line)
        if element is not None:
            yield Element(element.first_line, element.last_line, element.raw, _("the array is cut short here: no closing bracket (a truncated file?)"))
        else:
            raise ArrayError(line, _("the array is cut short: no closing bracket (a truncated file?)"))


def _string_state(chunk: bytes, end: int) -> tuple[bool, bool, int]:
    """After an unclosed string's text up to `end`: (still in the string at the chunk's
    end, ended on a backslash, where scanning goes on). A raw line break inside a string
    is not JSON, but text pasted into an editor has them: the string goes on over it
    when the next line reads as text, and ends there when the next line is JSON
    structure (a closing quote forgotten), so one broken row never swallows the rest."""
    while True:
        if end >= len(chunk):
            return True, False, end
        if chunk[end] == 0x22:
            return False, False, end + 1
        if chunk[end] == 0x5C:
            if end == len(chunk) - 1:
                return True, True, end + 1
            end += 1  # a backslash before a raw line break
        if _STRUCTURE_NEXT.match(chunk, end + 1):
            return False, False, end  # scanning goes on at the line break
        end = _STRING_REST.match(chunk, end + 1).end()  # type: ignore[union-attr]


def _element(piece: list[bytes], first_line: int, line: int) -> Element | None:
    joined = b"".join(piece)
    raw = joined.strip(b" \t\r\n")
    if not raw:
        return None
    # the lines after the element, before its comma or the closing bracket, are not its own
    last_line = line - joined[len(joined.rstrip(b" \t\r\n")):].count(b"\n")
    return Element(first_line or last_line, last_line, raw)
