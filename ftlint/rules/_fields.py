"""Helpers for rules that check one field of a row."""

from __future__ import annotations

from typing import Any

from ftlint.i18n import _


def json_type(value: Any) -> str:
    """The JSON name of a parsed value's type."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


def string_problem(data: dict[str, Any], key: str) -> str | None:
    """Why `data[key]` is not a non-empty string ("is missing", "is null, not a
    string", "is empty"), or None when it is one."""
    if key not in data:
        return _("is missing")
    value = data[key]
    if not isinstance(value, str):
        return _("is {json_type}, not a string").format(json_type=json_type(value))
    if not value.strip():
        return _("is empty")
    return None
