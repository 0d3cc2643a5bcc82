import json
from collections import Counter
from collections.abc import Iterable, Iterator
from typing import Any

import orjson

from ftlint.engine.lines import Line
from ftlint.finding import Finding, Severity
from ftlint.i18n import _, ngettext
from ftlint.rules.base import Rule, register
from ftlint.rules.examples import CHAT, CHAT_EN, At, Fail, Pass

_dumps = orjson.dumps

_TOOL_ROW = (
    '{"messages": [{"role": "user", "content": "北京和上海明天的天气？"}, {"role": "assistant", "content": "", "tool_calls": ['
    '{"id": "call_1", "type": "function", "function": {"name": "get_weather", "arguments": "{\\"city\\": \\"北京\\", \\"unit\\": \\"c\\"}"}}, '
    '{"id": "call_2", "type": "function", "function": {"name": "get_weather", "arguments": "{\\"city\\": \\"上海\\", \\"unit\\": \\"c\\"}"}}]}, '
    '{"role": "tool", "tool_call_id": "call_1", "content": "{\\"temp\\": 3}"}, {"role": "tool", "tool_call_id": "call_2", "content": "{\\"temp\\": 9}"}, '
    '{"role": "assistant", "content": "北京 3°C，上海 9°C。"}]}'
)


@register
class DuplicateKey(Rule):
    """An object has the same key more than once.

    Python's `json` (the platform's parser), like orjson and most parsers, keeps the
    last value of a repeated key and silently drops the earlier ones: in
    `{"role": "user", "content": "问题", "content": "答案"}` only "答案" is trained on,
    and nothing says so. A repeated key is almost always a bug in the script that built
    the row (two fields mapped to one name, a row merged with another). ftlint names
    the key and the JSON path of the object that repeats it.

    Bad:   {"role": "assistant", "content": "草稿", "content": "终稿"}
    Good:  {"role": "assistant", "content": "终稿"}

    Fix: keep the value that is meant, or rename the other key.
    """

    code = "L109"
    slug = "duplicate-key"
    severity = Severity.WARNING
    examples = (
        Fail([CHAT, '{"messages": [{"role": "user", "content": "问题"}, {"role": "assistant", "content": "草稿", "content": "终稿"}]}'],
             At(line=2, path="messages[1]"), note="the draft answer is silently dropped"),
        Fail(['{"prompt": "Capital of France?", "completion": "Paris", "prompt": "Capital of Italy?"}', CHAT_EN], At(line=1),
             note="at the top level of the row"),
        Pass([CHAT, CHAT_EN, _TOOL_ROW], note="tool-call arguments repeat keys, each in its own JSON string"),
        Pass(['{"prompt": "What does \\"a\\": 1 mean in JSON?", "completion": "The key \\"a\\" has the value 1."}'], note='a string holding \\": is not a key'),
    )

    def check_line(self, line: Line) -> Iterable[Finding]:
        value = line.value
        if value.__class__ is not dict and value.__class__ is not list:
            return ()
        if _no_duplicates(line.raw, value):  # every normal row ends here, cheaply
            return ()
        return list(self._repeated_keys(line))

    def _repeated_keys(self, line: Line) -> Iterator[Finding]:
        try:
            parsed = json.loads(line.body.decode("utf-8"), object_pairs_hook=_pairs)
        except (ValueError, RecursionError):  # cannot happen for a line that parsed; never guess
            return
        for path, obj in _repeating(parsed):
            for key, count in obj.twice:
                yield self.finding(
                    (_("key {shown} appears {count} times in this object: Python's json keeps the last value and silently drops the {earlier}") if path
                     else _("key {shown} appears {count} times in the row: Python's json keeps the last value and silently drops the {earlier}")).format(
                        shown=_shown(key), count=count, earlier=ngettext("{n} earlier value", "{n} earlier values", count - 1).format(n=count - 1)),
                    line=line.number,
                    path=path or None,
                    hint=_("keep the value that is meant, or rename the other key"),
                )


def _no_duplicates(raw: bytes, value: Any) -> bool:
    """True when the line certainly has no repeated key; False when it may have one.

    Every key is followed by its own colon outside strings, and every other colon in
    the line is a character of some string. orjson writes the parsed value back with
    every colon of every string as it is. So, when the line writes no colon as an
    escape (no "\\u003a"), the line has at least as many colons as the value written
    back, more by one for each key that a later one replaced (and by the colons of the
    strings it dropped); equal counts prove that no key was repeated. Strings that hold
    JSON (tool-call arguments) count the same on both sides. Three C-speed passes over
    the line and one orjson.dumps, no Python loop: this runs on every row."""
    try:
        written = _dumps(value)
    except orjson.JSONEncodeError:  # a lone surrogate, an integer beyond 64 bits: the slow path decides
        return False
    return raw.count(b":") == written.count(b":") and b"\\u003" not in raw


class _Repeats(dict[str, Any]):
    """An object that had repeated keys: `twice` holds (key, how many times)."""

    __slots__ = ("twice",)
    twice: list[tuple[str, int]]


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    value = dict(pairs)
    if len(value) == len(pairs):
        return value
    repeats = _Repeats(value)
    repeats.twice = [(key, count) for key, count in Counter(key for key, _ in pairs).items() if count > 1]
    return repeats


def _repeating(value: Any) -> Iterator[tuple[str, _Repeats]]:
    """(JSON path, object) of every object with repeated keys, in document order."""
    stack: list[tuple[str, Any]] = [("", value)]
    while stack:
        path, item = stack.pop()
        if isinstance(item, dict):
            if isinstance(item, _Repeats):
                yield path, item
            stack.extend(reversed([(f"{path}.{_shown(key, quoted=False)}" if path else _shown(key, quoted=False), child) for key, child in item.items()]))
        elif isinstance(item, list):
            stack.extend(reversed([(f"{path}[{index}]", child) for index, child in enumerate(item)]))


def _shown(key: str, quoted: bool = True) -> str:
    """A key safe to print (surrogates as \\uXXXX), cut to 60 characters."""
    text = key.encode("utf-8", "backslashreplace").decode("utf-8")
    text = text if len(text) <= 60 else text[:59] + "…"
    return f'"{text}"' if quoted else text
