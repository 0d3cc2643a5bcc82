import re
from collections.abc import Iterable, Iterator
from typing import Any

from ftlint.engine.lines import Line
from ftlint.finding import Finding, Severity
from ftlint.i18n import _
from ftlint.rules.base import Rule, register
from ftlint.rules.examples import CHAT, CHAT_EN, At, Fail, Pass

# One escape sequence of a JSON string, in order (a valid line has backslashes only
# inside strings, so scanning escapes left to right never starts mid-escape).
_ESCAPE = re.compile(r"\\(?:u([0-9a-fA-F]{4})|.)")
_SURROGATE = re.compile("[\ud800-\udfff]")


@register
class LoneSurrogate(Rule):
    """A string or key holds a lone surrogate escape such as "\\ud800".

    A character outside the Basic Multilingual Plane (most emoji, rare CJK characters) is
    written in a JSON escape as a pair of UTF-16 surrogates: 😀 is "\\ud83d\\ude00".
    Half a pair alone, usually left by a tool that cut a string in the middle of an
    emoji, is accepted by Python's `json` (the platform's parser): `json.loads` gives a
    str holding the bare surrogate, which has no UTF-8 form, so
    `str.encode("utf-8")` raises and no tokenizer can read the text. The training job
    cannot use the row. (orjson refuses such a line outright.)
    ftlint names the JSON path of the first such string or key in the row, and the
    column of its escape.

    Bad:   {"role": "assistant", "content": "好的\\ud83d"}
    Good:  {"role": "assistant", "content": "好的\\ud83d\\ude00"}   (the whole pair: 😀)

    Fix: remove the half character, or write the whole pair; then find what cut it.
    """

    code = "L107"
    slug = "lone-surrogate"
    severity = Severity.ERROR
    examples = (
        Fail([CHAT, '{"messages": [{"role": "user", "content": "给我一个笑脸"}, {"role": "assistant", "content": "好的\\ud83d"}]}'],
             At(line=2, column=90, path="messages[1].content"), note="half an emoji at the end of a string"),
        Fail(['{"prompt": "Translate: hello", "completion": "你好", "\\udc00note": "x"}', CHAT_EN], At(line=1, column=53, path="\\udc00note"),
             note="a low surrogate alone, in a key"),
        Fail(['{"messages": [{"role": "user", "content": "\\ud83d\\ude00\\ud83d"}, {"role": "assistant", "content": "🙂"}]}'],
             At(line=1, column=56, path="messages[0].content"), note="a pair, then half of another"),
        Pass([CHAT, '{"messages": [{"role": "user", "content": "给我一个笑脸"}, {"role": "assistant", "content": "好的\\ud83d\\ude00"}]}'],
             note="a whole pair is one emoji"),
        Pass(['{"messages": [{"role": "user", "content": "the text \\\\ud800 is an escape"}, {"role": "assistant", "content": "yes"}]}'],
             note="an escaped backslash: the text \\ud800, not a surrogate"),
    )

    def check_line(self, line: Line) -> Iterable[Finding]:
        if not line.lenient:  # orjson read the line: it holds no lone surrogate
            return ()
        return list(self._lone_surrogate(line))

    def _lone_surrogate(self, line: Line) -> Iterator[Finding]:
        found = first_unencodable(line.value)
        if found is None:
            return
        path, text, is_key = found
        text_at = line.body.decode("utf-8")
        column = next(lone_surrogates(text_at), None)
        escape = "".join(f"\\u{ord(c):04x}" for c in _SURROGATE.findall(text)[:1])
        where = _("a key") if is_key else _("a string")
        yield self.finding(
            _("{where} holds a lone surrogate escape {escape}: it has no UTF-8 form, so no tokenizer can read the text").format(where=where, escape=escape),
            line=line.number,
            column=None if column is None else column + 1,
            path=path or None,
            hint=_("remove it, or write the whole pair (😀 is \"\\ud83d\\ude00\"); the tool that wrote the file likely cut an emoji in half"),
        )


def lone_surrogates(text: str) -> Iterator[int]:
    """The 0-based offset in a JSON text of each \\uXXXX escape that is half a surrogate
    pair with no other half next to it (Python's json pairs a high surrogate escape with
    a low one written right after it, as here)."""
    high = -1  # offset of a high surrogate escape waiting for its pair
    high_end = -1
    for match in _ESCAPE.finditer(text):
        digits = match.group(1)
        code = int(digits, 16) if digits else -1
        if high >= 0:
            if 0xDC00 <= code <= 0xDFFF and match.start() == high_end:
                high = -1
                continue
            yield high
            high = -1
        if 0xD800 <= code <= 0xDBFF:
            high, high_end = match.start(), match.end()
        elif 0xDC00 <= code <= 0xDFFF:
            yield match.start()
    if high >= 0:
        yield high


def first_unencodable(value: Any) -> tuple[str, str, bool] | None:
    """(JSON path, the string, whether it is a key) of the first string or key, in
    document order, that holds a surrogate; None when every one is encodable."""
    stack: list[tuple[str, Any, bool]] = [("", value, False)]
    while stack:
        path, item, is_key = stack.pop()
        if isinstance(item, str):
            if _SURROGATE.search(item):
                return path, item, is_key
        elif isinstance(item, dict):
            inner: list[tuple[str, Any, bool]] = []
            for key, child in item.items():
                child_path = f"{path}.{shown(key)}" if path else shown(key)
                inner += ((child_path, key, True), (child_path, child, False))
            stack.extend(reversed(inner))
        elif isinstance(item, list):
            stack.extend(reversed([(f"{path}[{index}]", child, False) for index, child in enumerate(item)]))
    return None


def shown(text: str) -> str:
    """Text safe to print: surrogates written as \\uXXXX escapes."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")
