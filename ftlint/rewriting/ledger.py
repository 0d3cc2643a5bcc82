"""The account of a rewrite: every record read is counted once, as written or as
rejected, and every rejected record is kept whole in the rejects file."""

from __future__ import annotations

import base64
import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import orjson

from ftlint.rules.base import find_rule

RejectWriter = Callable[[dict[str, Any]], None]


def encode_reject(item: dict[str, Any]) -> bytes:
    """One rejects line. Text that has no UTF-8 form (a lone surrogate in a key or a
    reason) is written with JSON escapes, so the line always parses and loses nothing."""
    try:
        return orjson.dumps(item) + b"\n"
    except TypeError:
        return json.dumps(item, ensure_ascii=True).encode("ascii") + b"\n"


def printable(text: str) -> str:
    """Text safe to print on any terminal: lone surrogates and other unencodable
    characters as escapes."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


@dataclass
class Ledger:
    records_in: int = 0
    rows_out: int = 0
    rejected: int = 0
    blank_lines: int = 0
    repairs: Counter[str] = field(default_factory=Counter)  # description -> rows
    reject_reasons: Counter[str] = field(default_factory=Counter)
    dropped_fields: Counter[str] = field(default_factory=Counter)  # convert: field -> rows that lost it
    internal_errors: int = 0  # records ftlint failed to process (kept in the rejects file)

    def reject(self, write_reject: RejectWriter, first_line: int, last_line: int, raw: bytes, code: str, reason: str) -> None:
        """Count a rejected record and write it whole to the rejects file: its text, and
        its exact bytes (base64) when they are not UTF-8."""
        item: dict[str, Any] = {"line": first_line, "last_line": last_line, "code": code, "reason": reason}
        body = raw[:-1] if raw.endswith(b"\r") else raw
        try:
            item["text"] = body.decode("utf-8")
        except UnicodeDecodeError:
            item["text"] = body.decode("utf-8", "replace")
            item["base64"] = base64.b64encode(body).decode("ascii")
        write_reject(item)
        self.rejected += 1
        rule = find_rule(code) if code[:1].isupper() else None
        self.reject_reasons[f"{code} {rule.slug}" if rule else f"{code}: {printable(reason.split(':')[0])}"] += 1
