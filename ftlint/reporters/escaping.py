"""What the data contains, made safe for every output format. Every reporter shows text
from the data only through these functions.

Findings quote datasets and name files: a key, a role, a parser's message, a file
name. Any of them can hold characters that break an output format, or attack whoever
reads it:

* Terminals act on control characters. ESC starts sequences that recolour, move the
  cursor, clear the screen, set the window title or make links; BEL, backspace and CR
  overwrite what was shown. NEL (U+0085) and U+2028/U+2029 break lines in some
  viewers, and the bidirectional embeddings, overrides and isolates (U+202A-U+202E,
  U+2066-U+2069) reorder what is shown ("Trojan Source").
* GitHub Actions reads every line of a job's output that starts with `::` as a
  workflow command: a line break in a message would let the data issue its own
  (`::error`, `::add-mask::`, `::stop-commands::`), and the log viewer renders ESC
  sequences. github.py escapes %, CR and LF in a command's data and also ':' and ','
  in its properties, as the runner expects (a line break is then %0A, a line of the
  annotation), after `visible()` took out every other control character.
* XML 1.0 allows only tab, LF, CR, U+0020-U+D7FF, U+E000-U+FFFD and U+10000-U+10FFFF,
  and the others not even as character references (`&#27;` is not well-formed): a
  JUnit reader would refuse the whole report.
* UTF-8 cannot encode a lone surrogate. JSON text can hold one (`"\\ud800"`), and a
  file name that is not UTF-8 reaches Python as surrogates (os.fsdecode's
  surrogateescape: byte 0xff is U+DCFF). Writing either crashes orjson and a UTF-8
  stream, or, through surrogateescape, writes bytes that are not UTF-8.

So:

* `visible(text)`, for what people read (full, concise, github, junit, stats): each
  such character becomes a Python-style escape: `\\x1b`, `\\n`, `\\x85`, `\\u2028`,
  `\\ud800`. Tabs and every ordinary character (Chinese, emoji, accents) are kept.
  Backslashes are kept too, so paths stay readable; the rules quote data with repr(),
  which does escape them, where the difference matters.
* `file_name(path)`: `visible()` for a file name, a byte that is not UTF-8 shown as
  that byte, `\\xff` (not as the surrogate U+DCFF that stands for it).
* `dumps(value)`, for JSON (json, json-lines, sarif, stats --format json): strings
  keep every character exactly, and those `visible()` escapes are written as JSON
  escapes (`\\u001b`, `\\u2028`), so the document is inert on a terminal and one line
  stays one line for readers that also split at U+2028 or NEL. Lone surrogates,
  which valid UTF-8 JSON cannot carry (RFC 8259 8.2 leaves the `\\ud800` escape's
  meaning open, I-JSON forbids it, and parsers such as serde_json reject the whole
  document), are *escaped as text* (`json_ready()`): the six characters `\\ud800` (in
  the JSON text, `"\\\\ud800"`). `json_file_name(path)` gives a file name's bytes
  that are not UTF-8 as `\\xff`, as `file_name()` does; SARIF percent-encodes the
  name's bytes instead (`uri_bytes()`).
* `write(out, text, kind)` and, for rich, `text_stream(out)`: on a stream whose encoding is not UTF-8 (a Windows code
  page, `PYTHONIOENCODING=ascii`), a character the stream cannot encode becomes a
  backslash escape in text, and JSON or XML is written as ASCII (`\\u4e2d`,
  `&#x4e2d;`), still the same document and valid in any ASCII-compatible encoding.
"""

from __future__ import annotations

import codecs
import io
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import Any, Literal, TextIO

import orjson

# Characters `visible()` escapes: C0 controls but tab, DEL and C1, the line and
# paragraph separators, the bidirectional controls, surrogates, and the two
# non-characters XML 1.0 forbids; and the same without LF and CR.
UNSAFE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff]")
UNSAFE_BUT_LINE_BREAKS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff]")
SURROGATE = re.compile("[\ud800-\udfff]")
ESCAPED_BYTE = re.compile("[\udc80-\udcff]")  # a byte surrogateescape could not decode
NAMED = {"\n": "\\n", "\r": "\\r"}


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    if char in NAMED:
        return NAMED[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def _byte(match: re.Match[str]) -> str:
    return f"\\x{ord(match.group()) - 0xDC00:02x}"


def visible(text: str, line_breaks: bool = False) -> str:
    """Text for people: every character that could act on a terminal, a GitHub
    workflow command or an XML reader, escaped; the rest unchanged. `line_breaks`
    keeps LF and CR, for a format that encodes them itself (GitHub's %0A)."""
    if text.isprintable():  # the common case: no Cc, Cf, Cs, Cn, Zl or Zp character at all
        return text
    return (UNSAFE_BUT_LINE_BREAKS if line_breaks else UNSAFE).sub(_escape, text)


def file_name(path: str) -> str:
    """A file name for people: bytes that are not UTF-8 as `\\xff`, then `visible()`."""
    return path if path.isprintable() else visible(ESCAPED_BYTE.sub(_byte, path))


def json_text(text: str) -> str:
    """A string every JSON reader takes: lone surrogates as the text `\\udXXX`."""
    return text if text.isascii() else SURROGATE.sub(_escape, text)


def json_file_name(path: str) -> str:
    """A file name for JSON: bytes that are not UTF-8 as `\\xff`, other lone
    surrogates as `\\udXXX`; control characters are left to JSON's own escapes."""
    return path if path.isascii() else json_text(ESCAPED_BYTE.sub(_byte, path))


def json_ready(value: Any) -> Any:
    """`value` (dicts, lists, strings, numbers) with `json_text()` applied to every
    string, keys included."""
    if isinstance(value, str):
        return json_text(value)
    if isinstance(value, dict):
        return {json_ready(k): json_ready(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_ready(v) for v in value]
    return value


# What `visible()` escapes and orjson writes as it is (orjson escapes C0 controls).
JSON_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufffe\uffff]")


def _json_escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def dumps(value: Any, indent: bool = False) -> str:
    """JSON text for `value`: lone surrogates escaped as text (see `json_ready`), the
    other characters `visible()` escapes as JSON escapes. Outside its strings JSON is
    ASCII, so the substitution only ever meets characters inside strings."""
    option = orjson.OPT_INDENT_2 if indent else 0
    try:
        text = orjson.dumps(value, option=option).decode()
    except TypeError:  # orjson refuses lone surrogates: the rare case pays for the walk
        text = orjson.dumps(json_ready(value), option=option).decode()
    return text if text.isascii() else JSON_UNSAFE.sub(_json_escape, text)


def uri_bytes(path: str) -> bytes:
    """The bytes of a file name, as the file system has them, to percent-encode."""
    try:
        return path.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # a surrogate no byte stands for: keep it visible
        return visible(path).encode("utf-8")


def takes_everything(out: object) -> bool:
    """Whether the stream encodes every character (UTF-8, or in-memory text)."""
    encoding = getattr(out, "encoding", None)
    return not isinstance(encoding, str) or _unicode(encoding)


@lru_cache(maxsize=16)
def _unicode(encoding: str) -> bool:
    try:
        return codecs.lookup(encoding).name.startswith("utf")
    except LookupError:
        return False


def _ascii_json(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x10000:
        return f"\\u{code:04x}"
    code -= 0x10000
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"


NON_ASCII = re.compile("[^\x00-\x7f]")


def encodable(text: str, out: object, kind: Literal["text", "json", "xml"] = "text") -> str:
    """`text` as the stream `out` can encode it (unchanged on UTF-8). Outside strings,
    JSON and XML here are ASCII, so escaping every other character keeps the document."""
    if takes_everything(out):
        return text
    if kind == "json":
        return NON_ASCII.sub(_ascii_json, text)
    if kind == "xml":
        return NON_ASCII.sub(lambda m: f"&#x{ord(m.group()):x};", text)
    encoding = str(getattr(out, "encoding", "ascii"))
    try:
        return text.encode(encoding, "backslashreplace").decode(encoding)
    except LookupError:
        return text.encode("ascii", "backslashreplace").decode("ascii")


def write(out: TextIO, text: str, kind: Literal["text", "json", "xml"] = "text") -> None:
    out.write(encodable(text, out, kind))


def writer(out: TextIO, kind: Literal["text", "json", "xml"] = "text") -> Callable[[str], object]:
    """`write` for many pieces: the stream's own write when it encodes everything."""
    if takes_everything(out):
        return out.write
    return lambda text: out.write(encodable(text, out, kind))


class _Buffer(io.StringIO):
    """Text held for a stream, reporting that stream's encoding and terminal (rich
    draws ASCII boxes for an encoding that is not UTF-8)."""

    def __init__(self, like: TextIO) -> None:
        super().__init__()
        self._like = like

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return str(getattr(self._like, "encoding", None) or "utf-8")

    def isatty(self) -> bool:
        return self._like.isatty()


@contextmanager
def text_stream(out: TextIO) -> Iterator[TextIO]:
    """`out` itself when it encodes every character; else a buffer written to `out` at
    the end, each character it cannot encode as a backslash escape."""
    if takes_everything(out):
        yield out
        return
    buffer = _Buffer(out)
    yield buffer
    write(out, buffer.getvalue())
