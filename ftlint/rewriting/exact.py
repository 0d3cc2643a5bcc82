"""JSON values that keep their exact text where Python's types would not.

A repaired row must be written again, and re-serialising what ``json.loads`` returned
changes things the user never asked to change: ``1e999`` becomes ``Infinity`` (which
no strict parser takes), ``1.10`` becomes ``1.1``, a 5,000-digit integer trips Python's
int-to-str limit. Here numbers are kept as their source text (``Number``), so a
repaired row carries every number exactly as it was written.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from ftlint.i18n import _


class Number(str):
    """A JSON number, as the text it was written with."""

    __slots__ = ()


class Unrepresentable(ValueError):
    """A value that cannot be written as strict JSON in UTF-8 without changing it."""


def _no_constant(name: str) -> Any:
    raise Unrepresentable(_("{name} is not JSON (the platform's parser rejects it)").format(name=name))


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    value = dict(pairs)
    if len(value) != len(pairs):
        seen: set[str] = set()
        twice = next(key for key, _ in pairs if key in seen or seen.add(key))  # type: ignore[func-returns-value]
        raise Unrepresentable(_("the key {twice!r} appears twice in one object: written again, the first value would be lost").format(twice=twice))
    return value


def loads(text: str | bytes) -> Any:
    """Parse like Python's json, numbers kept as their text; NaN/Infinity refused, and
    duplicate keys too (a rewrite would silently keep only the last value)."""
    try:
        return json.loads(text, parse_int=Number, parse_float=Number, parse_constant=_no_constant, object_pairs_hook=_unique_keys)
    except RecursionError:
        raise Unrepresentable(_("nested too deeply for Python's json")) from None


def dumps(value: Any) -> bytes:
    """Strict JSON in UTF-8 on one line (separators as Python's json writes them)."""
    parts: list[str] = []
    try:
        _write(value, parts.append)
        return "".join(parts).encode("utf-8")
    except UnicodeEncodeError as err:
        bad = err.object[err.start : err.end]
        escaped = "".join(f"\\u{ord(c):04x}" for c in bad)
        raise Unrepresentable(_("the text holds a lone surrogate ({escaped}), which has no UTF-8 form").format(escaped=escaped)) from None
    except RecursionError:
        raise Unrepresentable(_("nested too deeply to write")) from None


def _write(value: Any, out) -> None:  # type: ignore[no-untyped-def]
    if isinstance(value, Number):
        out(str.__str__(value))
    elif isinstance(value, str):
        out(json.dumps(value, ensure_ascii=False))
    elif value is True:
        out("true")
    elif value is False:
        out("false")
    elif value is None:
        out("null")
    elif isinstance(value, dict):
        out("{")
        for index, (key, item) in enumerate(value.items()):
            if index:
                out(", ")
            out(json.dumps(key, ensure_ascii=False))
            out(": ")
            _write(item, out)
        out("}")
    elif isinstance(value, list):
        out("[")
        for index, item in enumerate(value):
            if index:
                out(", ")
            _write(item, out)
        out("]")
    else:
        raise Unrepresentable(_("a {name__} has no JSON form").format(name__=type(value).__name__))


def leaves(value: Any) -> Counter[tuple[str, str]]:
    """Every key, string, number and constant in a value, as a multiset: what a repair
    may not change beyond the few leaves it exists to add or remove."""
    found: Counter[tuple[str, str]] = Counter()
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            for key, inner in item.items():
                found["key", key] += 1
                stack.append(inner)
        elif isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, Number):
            found["number", str.__str__(item)] += 1
        elif isinstance(item, str):
            found["string", item] += 1
        else:
            found["constant", json.dumps(item)] += 1
    return found
