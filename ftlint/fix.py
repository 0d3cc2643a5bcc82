"""`ftlint fix`: the repairs that cannot change what a row means, and nothing else.

Input is read as records: a parsed JSON object on one line, an object pretty-printed
over several lines (re-joined), or a line that cannot be used. Every record ends in
exactly one place: the output, or the rejects file with its line numbers and the
reason. Rows that need no repair are written byte for byte as they were.

Repairs (by the rule whose finding they remove):
- L101 blank lines removed; L102 the BOM removed; CRLF line ends made LF
- L104 a pretty-printed object re-joined onto one line; a Python dict literal
  (single quotes, True/False/None) rewritten as JSON
- L105 a bare list of messages wrapped as {"messages": [...]}
- M108 the unsupported `name` / `weight` keys dropped from messages
- R102/F107 prompt/completion and legacy Human/Assistant rows converted to messages
- only when asked: F104 exact duplicates dropped (--dedupe), T101 over-length rows
  dropped (--drop-overlength, needs --model)
A row that still has an error after the repairs is rejected with that error.
"""

from __future__ import annotations

import ast
import hashlib
import json
import math
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, BinaryIO

from ftlint.conversation import legacy_turns
from ftlint.finding import Severity
from ftlint.lines import BOM, LineReader, parse_line
from ftlint.options import CheckOptions
from ftlint.rows import LEGACY_TEXT, PROMPT_COMPLETION, Row, detect_format
from ftlint.rule import Rule, all_rules, find_rule, instantiate
from ftlint.rules.legacy_text import marker_problems
from ftlint.rules.unsupported_key import UNSUPPORTED
from ftlint.tokens import measured_length

MAX_JOINED_LINES = 1000  # a pretty-printed object longer than this is not re-joined
MAX_JOINED_BYTES = 64 << 20


@dataclass
class Record:
    first_line: int
    last_line: int
    raw: bytes  # the record's bytes as in the file (lines joined with \n)
    value: Any = None
    problem: str | None = None  # why it cannot be used, when it cannot
    code: str | None = None  # the rule code of that problem
    repairs: list[str] = field(default_factory=list)  # rule codes of repairs made while reading


@dataclass
class Ledger:
    """What a rewrite did: every input record is counted once, in or out."""

    records_in: int = 0
    rows_out: int = 0
    rejected: int = 0
    blank_lines: int = 0
    repairs: Counter[str] = field(default_factory=Counter)  # description -> count
    reject_reasons: Counter[str] = field(default_factory=Counter)

    @property
    def balanced(self) -> bool:
        return self.records_in == self.rows_out + self.rejected

    def reject(self, write_reject, first_line: int, last_line: int, raw: bytes, code: str, reason: str) -> None:  # type: ignore[no-untyped-def]
        """Count a rejected record (by rule, or by reason) and write it to the rejects file."""
        self.rejected += 1
        rule = find_rule(code)
        self.reject_reasons[f"{code} {rule.slug}" if rule else reason.split(":")[0]] += 1
        write_reject({"line": first_line, "last_line": last_line, "code": code, "reason": reason, "text": raw.decode("utf-8", "replace")})


REPAIRS = {
    "L101": "L101 removed blank lines",
    "L102": "L102 removed the UTF-8 byte order mark",
    "CRLF": "--   made CRLF line ends LF",
    "L104-joined": "L104 re-joined pretty-printed objects onto one line",
    "L104-literal": "L104 rewrote Python dict literals as JSON",
    "L105": "L105 wrapped bare message lists as {\"messages\": [...]}",
    "M108": "M108 dropped unsupported name/weight keys",
    "P101": "R102 converted prompt/completion rows to messages",
    "H101": "F107 converted legacy Human/Assistant rows to messages",
}


def read_records(stream: BinaryIO, ledger: Ledger) -> Iterator[Record]:
    """The records of a stream, re-joining objects pretty-printed over several lines."""
    pending: list[tuple[int, bytes]] = []

    def flush_pending() -> Iterator[Record]:
        # The group never became an object: each of its lines is a record of its own.
        for number, raw in pending:
            yield _unusable(number, raw)
        pending.clear()

    for number, raw in LineReader(stream):
        if raw.endswith(b"\r"):
            raw = raw[:-1]
            ledger.repairs[REPAIRS["CRLF"]] += 1
        if number == 1 and raw.startswith(BOM):
            raw = raw[len(BOM) :]
            ledger.repairs[REPAIRS["L102"]] += 1
        if not raw.strip() or not raw.decode("utf-8", "replace").strip():
            if not pending:
                ledger.blank_lines += 1
                ledger.repairs[REPAIRS["L101"]] += 1
                continue
        if pending:
            starts_row = raw.startswith(b"{")
            if starts_row or len(pending) >= MAX_JOINED_LINES or sum(len(r) for _, r in pending) > MAX_JOINED_BYTES:
                yield from flush_pending()
            else:
                pending.append((number, raw))
                if raw.lstrip()[:1] in (b"}", b"]"):
                    joined = b"\n".join(r for _, r in pending)
                    value = _parse(joined)
                    if isinstance(value, dict):
                        yield Record(pending[0][0], number, joined, value, repairs=["L104-joined"])
                        pending.clear()
                continue
        line = parse_line(number, raw)
        if isinstance(line.value, (dict, list)) or (line.value is not None and not line.json_error):
            yield Record(number, number, raw, line.value)
        elif line.blank:
            continue
        elif line.json_error and raw.strip() in (b"{", b"["):
            pending.append((number, raw))
        elif line.json_error and raw.lstrip().startswith(b"{") and not raw.rstrip().endswith(b"}"):
            pending.append((number, raw))
        else:
            literal = _python_literal(raw) if line.json_error else None
            if literal is not None:
                yield Record(number, number, raw, literal, repairs=["L104-literal"])
            elif line.value is None and not line.json_error and not line.utf8_error:
                yield Record(number, number, raw, None)  # the JSON value null
            else:
                yield _unusable(number, raw, line)
    yield from flush_pending()


def _unusable(number: int, raw: bytes, line=None) -> Record:  # type: ignore[no-untyped-def]
    line = line or parse_line(number, raw)
    if line.utf8_error:
        return Record(number, number, raw, problem=f"not valid UTF-8: {line.utf8_error[1]}", code="L103")
    if line.json_error:
        return Record(number, number, raw, problem=f"not valid JSON: {line.json_error.reason}", code="L104")
    return Record(number, number, raw, problem="not valid JSON", code="L104")


def _parse(raw: bytes) -> Any:
    line = parse_line(1, raw)
    return line.value if not (line.json_error or line.utf8_error) else None


def _python_literal(raw: bytes) -> dict | None:
    """A Python dict literal (str() of a dict) as the same data, or None."""
    try:
        text = raw.decode("utf-8")
        if len(text) > MAX_JOINED_BYTES or not text.lstrip().startswith("{"):
            return None
        value = ast.literal_eval(text)
    except (ValueError, SyntaxError, MemoryError, RecursionError, UnicodeDecodeError, TypeError):
        return None
    return value if isinstance(value, dict) and _json_compatible(value) else None


def _json_compatible(value: Any, depth: int = 0) -> bool:
    if depth > 200:
        return False
    if value is None or isinstance(value, (bool, int, str)):
        return True
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, list):
        return all(_json_compatible(v, depth + 1) for v in value)
    if isinstance(value, dict):
        return all(isinstance(k, str) and _json_compatible(v, depth + 1) for k, v in value.items())
    return False


def repair(value: Any, repairs: list[str]) -> Any:
    """The row with the meaning-preserving repairs applied (a new object if changed)."""
    if isinstance(value, list) and value and all(isinstance(m, dict) and "role" in m for m in value):
        value = {"messages": value}
        repairs.append("L105")
    if not isinstance(value, dict):
        return value
    fmt = detect_format(value)
    if fmt == PROMPT_COMPLETION and set(value) == {"prompt", "completion"} and all(isinstance(value[k], str) and value[k].strip() for k in value):
        value = {"messages": [{"role": "user", "content": value["prompt"]}, {"role": "assistant", "content": value["completion"]}]}
        repairs.append("P101")
    elif fmt == LEGACY_TEXT and set(value) == {"text"} and not list(marker_problems(value["text"])):
        value = {"messages": legacy_turns(value["text"])}
        repairs.append("H101")
    messages = value.get("messages")
    if isinstance(messages, list) and any(isinstance(m, dict) and any(k in m for k in UNSUPPORTED) for m in messages):
        value = {**value, "messages": [{k: v for k, v in m.items() if k not in UNSUPPORTED} if isinstance(m, dict) else m for m in messages]}
        repairs.append("M108")
    return value


@dataclass
class FixOptions:
    dedupe: bool = False
    drop_overlength: bool = False
    check: CheckOptions = field(default_factory=CheckOptions)


class RowValidator:
    """The errors `ftlint check` would report on one row (row rules only)."""

    SKIP = {"F104", "T101", "T103"}  # decided by --dedupe / --drop-overlength instead

    def __init__(self, options: CheckOptions) -> None:
        self.rules: list[Rule] = [instantiate(cls, options) for cls in all_rules() if cls.uses("check_row") and cls.code not in self.SKIP]

    def first_error(self, row: Row) -> tuple[str, str] | None:
        for rule in self.rules:
            if rule.formats is not None and row.format not in rule.formats:
                continue
            for finding in rule.check_row(row):
                if finding.severity is Severity.ERROR:
                    return finding.code, finding.message
        return None


def fix_stream(stream: BinaryIO, options: FixOptions, write_row, write_reject) -> Ledger:  # type: ignore[no-untyped-def]
    """Read, repair and sort every record: rows to write_row(bytes), the rest to
    write_reject(dict). Returns the ledger."""
    ledger = Ledger()
    validator = RowValidator(options.check)
    seen: dict[bytes, int] = {}

    def reject(record: Record, code: str, reason: str) -> None:
        ledger.reject(write_reject, record.first_line, record.last_line, record.raw, code, reason)

    for record in read_records(stream, ledger):
        ledger.records_in += 1
        if record.problem:
            reject(record, record.code or "L104", record.problem)
            continue
        repairs = list(record.repairs)
        value = repair(record.value, repairs)
        if not isinstance(value, dict):
            reject(record, "L105", "the line is JSON but not an object")
            continue
        changed = bool(repairs)
        raw = json.dumps(value, ensure_ascii=False).encode("utf-8") if changed else record.raw.strip()
        fmt = options.check.data_format or detect_format(value)
        row = Row(record.first_line, value, fmt, detect_format(value), raw)
        error = validator.first_error(row)
        if error:
            reject(record, *error)
            continue
        if options.dedupe:
            digest = hashlib.blake2b(raw, digest_size=16).digest()
            first = seen.setdefault(digest, record.first_line)
            if first != record.first_line:
                reject(record, "F104", f"duplicate of line {first}")
                continue
        if options.drop_overlength and options.check.model:
            tokens = measured_length(row, options.check)
            if tokens is not None and tokens > options.check.token_limit:
                reject(record, "T101", f"{tokens} tokens > limit {options.check.token_limit}")
                continue
        for code in repairs:
            ledger.repairs[REPAIRS[code]] += 1
        ledger.rows_out += 1
        write_row(raw + b"\n")
    return ledger
