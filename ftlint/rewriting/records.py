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
import json
import re
import tokenize
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, BinaryIO

from ftlint.engine import json_array
from ftlint.engine.lines import BOM, CONSTANT, DEPTH, LineReader, OversizedLine, parse_line
from ftlint.engine.rows import detect_format
from ftlint.i18n import _
from ftlint.rewriting import exact

MAX_GROUP_LINES = 2000  # a pretty-printed row longer than this is not re-joined
MAX_GROUP_BYTES = 64 << 20
# Re-reading the lines of abandoned groups is bounded per file, so a file of lines
# that each open a bracket cannot make reading quadratic.
REREAD_ALLOWANCE = 20_000

# Keys that make an object a dataset row (of any format fix or convert reads); a line
# holding such an object on its own is never taken into another line's group.
ROW_KEYS = frozenset({"messages", "prompt", "completion", "chosen", "rejected", "conversations", "instruction", "preferred_output"})


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

    @property
    def must_rewrite(self) -> bool:
        return self.rewrite_from is not None

    def exact_value(self) -> Any:
        """The value with numbers kept as their text (raises exact.Unrepresentable)."""
        return exact.loads(self.rewrite_from if self.rewrite_from is not None else self.raw.strip())


def array_records(stream: BinaryIO) -> Iterator[Record]:
    """The elements of a JSON array file as records, each with its physical lines, to
    be written as JSON Lines (repair F110). Raises json_array.ArrayError when the file
    is not an array after all, or text follows it."""
    for element in json_array.elements(stream):
        line = parse_line(element.first_line, element.raw, file_start=False)
        if element.problem:
            yield Record(element.first_line, element.last_line, element.raw, b"\n", problem=element.problem, code="F110")
        elif line.utf8_error:
            yield Record(element.first_line, element.last_line, element.raw, b"\n", problem=_("not valid UTF-8: {reason}").format(reason=line.utf8_error[1]), code="L103")
        elif line.json_error:
            code = {CONSTANT: "L110", DEPTH: "L108"}.get(line.json_error.kind, "L104")
            yield Record(element.first_line, element.last_line, element.raw, b"\n", problem=_("not valid JSON: {reason}").format(reason=line.json_error.reason), code=code)
        else:
            # On one line, the element's text is the row; over several, it is written
            # again on one line (its values exactly as they were).
            one_line = b"\n" not in element.raw and b"\r" not in element.raw
            yield Record(element.first_line, element.last_line, element.raw, b"\n", line.value, usable=True, repairs=["F110"],
                         rewrite_from=None if one_line else element.raw.decode("utf-8"))


_STRUCTURE = re.compile(r'[\\"\[\]{},]')
MAX_REPAIR_BYTES = 1 << 20  # broken lines longer than this are rejected, never scanned for repairs


@dataclass
class Scan:
    """One linear pass over a line's JSON structure, outside strings."""

    depth: int = 0  # at the end of the line
    low: int = 0  # the lowest depth reached
    open_string: bool = False  # the line ends inside a string
    trailing_commas: list[int] = field(default_factory=list)  # offsets of commas before a closing bracket


def scan_structure(text: str) -> Scan:
    result = Scan()
    in_string = False
    skip = -1  # the offset of a character escaped by a backslash
    comma = -1  # the last comma outside strings not yet followed by anything
    for match in _STRUCTURE.finditer(text):
        at = match.start()
        if at == skip:
            continue
        char = match.group()
        if in_string:
            if char == "\\":
                skip = at + 1
            elif char == '"':
                in_string = False
            continue
        if char == '"':
            in_string, comma = True, -1
        elif char == ",":
            comma = at
        elif char in "[{":
            result.depth += 1
            comma = -1
        elif char in "]}":
            if comma >= 0 and not text[comma + 1 : at].strip():
                result.trailing_commas.append(comma)
            result.depth -= 1
            result.low = min(result.low, result.depth)
            comma = -1
    result.open_string = in_string
    return result


def _brackets(text: str) -> tuple[int, int, bool]:
    """(depth at the end, lowest depth reached, a string left open) for one line."""
    found = scan_structure(text)
    return found.depth, found.low, found.open_string


def without_trailing_commas(text: str) -> str | None:
    """The text with commas before a closing bracket (outside strings) removed, or None
    when it has none."""
    if len(text) > MAX_REPAIR_BYTES:
        return None
    commas = scan_structure(text).trailing_commas
    if not commas:
        return None
    pieces, start = [], 0
    for at in commas:
        pieces.append(text[start:at])
        start = at + 1
    pieces.append(text[start:])
    return "".join(pieces)


def _parses_as(text: str | bytes) -> Any:
    line = parse_line(2, text.encode("utf-8") if isinstance(text, str) else text, file_start=False)
    if line.json_error or line.utf8_error or line.blank or line.oversized:
        return _NOTHING
    return line.value


_NOTHING = object()

# Escapes that mean the same in a Python string literal and in JSON. Anything else
# (\/ keeps its backslash in Python, \x41, \N{…}, octal, \a, \v, surrogate halves)
# means something else in one of them, so such a literal is not rewritten.
_SAME_ESCAPE = re.compile(r"""\\(?:[\\"'ntrbf]|u(?![dD][89a-fA-F])[0-9a-fA-F]{4})""")
_JSON_NUMBER = re.compile(r"(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?")
_LITERAL_WORDS = {"True": "true", "False": "false", "None": "null"}
_QUOTES = ("'", '"')
MAX_LITERAL_BYTES = 256 << 10


def python_literal(text: str) -> str | None:
    """A Python dict literal (str() of a dict) as JSON text saying the same, or None.

    The literal is translated token by token into JSON text, which must parse as one
    object (duplicate keys refused): every number keeps its text (so `1.10` stays `1.10`), and anything JSON cannot say the same
    way is refused rather than guessed at: a string whose escapes read differently in
    JSON (a backslash before /), prefixes (r'', b''), adjacent strings, comments, tuples,
    Python-only number forms (0x10, 1_000, 1.), and duplicate keys."""
    if len(text) > MAX_LITERAL_BYTES or not text.lstrip().startswith("{"):
        return None
    out: list[str] = []
    try:
        previous = None
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            kind, string = token.type, token.string
            if kind in (tokenize.NEWLINE, tokenize.NL, tokenize.ENDMARKER, tokenize.INDENT, tokenize.DEDENT):
                continue
            if kind == tokenize.STRING:
                if string[0] not in _QUOTES or string[:3] in ("'''", '"""') or previous == tokenize.STRING:
                    return None
                if "\\" in _SAME_ESCAPE.sub("", string):
                    return None
                out.append(json.dumps(ast.literal_eval(string), ensure_ascii=False))
            elif kind == tokenize.NAME and string in _LITERAL_WORDS:
                out.append(_LITERAL_WORDS[string])
            elif kind == tokenize.NUMBER and _JSON_NUMBER.fullmatch(string):
                out.append(string)
            elif kind == tokenize.OP and string in ("{", "}", "[", "]", ",", ":", "-"):
                out.append(string)
            else:
                return None
            previous = kind
        translated = "".join(out)
        translated = without_trailing_commas(translated) or translated
        value = exact.loads(translated)
    except (ValueError, SyntaxError, MemoryError, RecursionError, TypeError, tokenize.TokenError, IndentationError):
        return None
    return translated if isinstance(value, dict) else None


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
    """Every record of a stream, in order: its lines, or the elements of a JSON array
    file. `on_blank(number)` hears of each blank line (they are not records). Raises
    LineTooLong for a line that was not kept."""
    array, stream = json_array.sniff(stream)
    if array:
        yield from array_records(stream)
        return
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
            raise LineTooLong(_("line {number} is {length:,} bytes, longer than any upload; it cannot be rewritten without holding it whole").format(number=number, length=raw.length))
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
            yield Record(number, number, raw, ending, problem=_("not valid UTF-8: {utf8_error}").format(utf8_error=line.utf8_error[1]), code="L103", repairs=repairs)
            continue
        if not line.json_error:
            yield Record(number, number, raw, ending, line.value, usable=True, repairs=repairs)
            continue
        text = line.json_error.text
        depth, low, open_string = _brackets(text)
        if depth > 0 and low >= 0 and not open_string and text.lstrip()[:1] in ("{", "[") and allowance > 0:
            group = [(number, raw, ending)]
            size = len(raw)
            inner_row = False  # a line inside the group is a complete row of some format on its own
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
                alone = _parses_as(piece)
                if _looks_like_row(alone):
                    break
                inner_row |= isinstance(alone, dict) and detect_format(alone) is not None
                change, piece_low, piece_open = _brackets(piece_text)
                if piece_open or depth + piece_low < 0:
                    break
                depth += change
            joined = _joined_value([r for _, r, _ in group]) if depth == 0 else None
            if joined is not None and inner_row and not (isinstance(joined[0], dict) and detect_format(joined[0]) is not None):
                joined = None  # a row of no format around a complete row: a broken line, not one object
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
        translated = python_literal(text)
        if translated is not None and (value := _parses_as(translated)) is not _NOTHING:
            yield Record(number, number, raw, ending, value, usable=True, repairs=repairs + ["L104-literal"], rewrite_from=translated)
            continue
        code = {CONSTANT: "L110", DEPTH: "L108"}.get(line.json_error.kind, "L104")  # the rule `check` reports it under
        yield Record(number, number, raw, ending, problem=_("not valid JSON: {reason}").format(reason=line.json_error.reason), code=code, repairs=repairs)
