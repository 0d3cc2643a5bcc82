"""`ftlint fix`: the repairs that cannot change what a row means, and nothing else.

Every record ends in exactly one place: the output, or the rejects file with its line
numbers and the reason. A record that needs no repair is written byte for byte, line
end included, so a file `ftlint check` passes comes out identical.

Repairs (by the rule whose finding they remove):
- L101 blank lines removed; L102 the BOM removed
- L104 a pretty-printed object re-joined onto one line; trailing commas removed; a
  Python dict literal (single quotes, True/False/None) rewritten as JSON, when every
  string in it reads the same in Python and in JSON
- L105 a bare list of messages wrapped as {"messages": [...]}
- M108 the unsupported `name` / `weight` keys dropped from messages
- R102/F107 prompt/completion and legacy Human/Assistant rows converted to messages
- only when asked: F104 exact duplicates dropped (--dedupe), T101 over-length rows
  dropped (--drop-overlength, needs --model)

A repaired row is written again with its numbers' exact text, then parsed back with
Python's json and compared with its source: every key, string and number must be the
same but for what the repair exists to change, or the row is rejected. A row that
still has an error after the repairs is rejected with that error.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, BinaryIO

from ftlint.engine.rows import LEGACY_TEXT, MESSAGES, PROMPT_COMPLETION, Row, detect_format
from ftlint.i18n import N_, Messages, _
from ftlint.options import CheckOptions
from ftlint.platform.conversations import legacy_turns
from ftlint.platform.tokenizers import measure
from ftlint.rewriting import exact
from ftlint.rewriting.ledger import Ledger, RejectWriter
from ftlint.rewriting.records import Record, read_records
from ftlint.rewriting.validator import RowValidator
from ftlint.rules.legacy_text import marker_problems
from ftlint.rules.unsupported_key import UNSUPPORTED

REPAIRS = Messages({
    "L101": N_("L101 removed blank lines"),
    "F110": N_("F110 wrote the JSON array's elements as JSON Lines rows"),
    "L102": N_("L102 removed the UTF-8 byte order mark"),
    "L104-joined": N_("L104 re-joined pretty-printed objects onto one line"),
    "L104-comma": N_("L104 removed trailing commas"),
    "L104-literal": N_("L104 rewrote Python dict literals as JSON"),
    "L105": N_("L105 wrapped bare message lists as {\"messages\": [...]}"),
    "M108": N_("M108 dropped unsupported name/weight keys"),
    "P101": N_("R102 converted prompt/completion rows to messages"),
    "H101": N_("F107 converted legacy Human/Assistant rows to messages"),
})


class ChangedMeaning(ValueError):
    """A rewritten row differs from its source beyond what its repairs change."""


@dataclass
class Change:
    """What one repair took out of a row and put in, leaf by leaf (see exact.leaves)."""

    removed: Counter[tuple[str, str]] = field(default_factory=Counter)
    added: Counter[tuple[str, str]] = field(default_factory=Counter)
    # strings the repair made by cutting a source string (legacy text into turns): each
    # must be found, in order, in the string it was cut from
    cut_from: dict[str, list[str]] = field(default_factory=dict)


def _text(value: Any) -> bool:
    return isinstance(value, str) and not isinstance(value, exact.Number)


def _message(role: str, content: str) -> dict[str, Any]:
    return {"role": role, "content": content}


def repair(value: Any, codes: list[str], change: Change | None = None, to_messages: bool = True) -> Any:
    """The row with the structural repairs applied (a new object if changed). `codes`
    receives the repairs made; `change` what they removed and added. `to_messages`:
    convert prompt/completion and legacy rows (when the file is a messages file)."""
    change = change if change is not None else Change()
    if isinstance(value, list) and value and all(isinstance(m, dict) and "role" in m for m in value):
        value = {"messages": value}
        codes.append("L105")
        change.added["key", "messages"] += 1
    if not isinstance(value, dict):
        return value
    fmt = detect_format(value)
    if not to_messages:
        pass
    elif fmt == PROMPT_COMPLETION and set(value) == {"prompt", "completion"} and all(_text(value[k]) and value[k].strip() for k in value):
        value = {"messages": [_message("user", value["prompt"]), _message("assistant", value["completion"])]}
        codes.append("P101")
        change.removed.update({("key", "prompt"): 1, ("key", "completion"): 1})
        change.added.update({("key", "messages"): 1, ("key", "role"): 2, ("key", "content"): 2, ("string", "user"): 1, ("string", "assistant"): 1})
    elif fmt == LEGACY_TEXT and set(value) == {"text"} and _text(value["text"]) and not list(marker_problems(value["text"])):
        turns = legacy_turns(value["text"])
        change.removed.update({("key", "text"): 1, ("string", value["text"]): 1})
        change.added.update({("key", "messages"): 1, ("key", "role"): len(turns), ("key", "content"): len(turns)})
        change.added.update(("string", turn["role"]) for turn in turns)
        change.cut_from[value["text"]] = [turn["content"] for turn in turns]
        value = {"messages": turns}
        codes.append("H101")
    messages = value.get("messages")
    if isinstance(messages, list) and any(isinstance(m, dict) and any(k in m for k in UNSUPPORTED) for m in messages):
        kept = []
        for message in messages:
            if isinstance(message, dict):
                for key in UNSUPPORTED:
                    if key in message:
                        change.removed += exact.leaves({key: message[key]})
                message = {k: v for k, v in message.items() if k not in UNSUPPORTED}
            kept.append(message)
        value = {**value, "messages": kept}
        codes.append("M108")
    return value


def _reject_constant(name: str) -> Any:
    raise ValueError(_("{name} is not valid JSON").format(name=name))


def verify(source: Any, written: bytes, change: Change) -> Any:
    """Parse a rewritten row back with Python's json and compare it with its source;
    returns the row as json.loads gives it. Raises ChangedMeaning when any key, string
    or number differs beyond the declared change, or the line is not strict JSON."""
    try:
        plain = json.loads(written, parse_constant=_reject_constant)
        back = exact.loads(written)
    except (ValueError, exact.Unrepresentable) as err:
        raise ChangedMeaning(_("the rewritten row is not strict JSON ({err})").format(err=err)) from None
    expected = exact.leaves(source) - change.removed
    expected.update(change.added)
    found = exact.leaves(back)
    if change.cut_from:
        for whole, pieces in change.cut_from.items():
            at = 0
            for piece in pieces:
                found_at = whole.find(piece, at)
                if found_at < 0:
                    raise ChangedMeaning(_("a converted turn is not part of the original text"))
                at = found_at + len(piece)
                found["string", piece] -= 1
        found = +found
        expected = +Counter({k: v for k, v in expected.items() if not (k[0] == "string" and k[1] in change.cut_from)})
    if found != expected:
        lost = sorted(text for kind, text in (expected - found) if kind != "constant")[:1]
        raise ChangedMeaning("rewriting would change the row" + (_(" ({lost!r} would not survive)").format(lost=lost[0][:60]) if lost else ""))
    return plain


@dataclass
class FixOptions:
    dedupe: bool = False
    drop_overlength: bool = False
    to_messages: bool = False  # convert every prompt/completion and legacy row, whatever the file's format
    check: CheckOptions = field(default_factory=CheckOptions)


class Fixer:
    """Decides each record's fate; see fix_stream."""

    def __init__(self, options: FixOptions, ledger: Ledger, write_row: Callable[[bytes], Any], write_reject: RejectWriter) -> None:
        self.options = options
        self.ledger = ledger
        self.write_row = write_row
        self.write_reject = write_reject
        self.validator = RowValidator(options.check)
        self.seen: dict[bytes, int] = {}
        # The file's format, as check decides it (forced, or its first row's): rows of
        # another format that can become messages are converted when the file is a
        # messages file; a file check passes as it is stays as it is.
        self.file_format: str | None = options.check.data_format

    def reject(self, record: Record, code: str, reason: str) -> None:
        self.ledger.reject(self.write_reject, record.first_line, record.last_line, record.raw, code, reason)

    def take(self, record: Record) -> None:
        if not record.usable:
            self.reject(record, record.code or "L104", record.problem or _("cannot be used"))
            return
        codes = list(record.repairs)
        if self.file_format is None:
            probe = repair(record.value, [], to_messages=False)
            if isinstance(probe, dict):
                self.file_format = detect_format(probe)
        to_messages = self.options.to_messages or self.file_format == MESSAGES
        value = repair(record.value, codes, to_messages=to_messages)
        if not isinstance(value, dict):
            self.reject(record, "L105", _("the line is JSON but not an object"))
            return
        if record.must_rewrite or len(codes) > len(record.repairs):
            try:
                source = record.exact_value()
                change = Change()
                rewritten = repair(source, [], change, to_messages=to_messages)
                raw = exact.dumps(rewritten)
                value = verify(source, raw, change)
            except (exact.Unrepresentable, ChangedMeaning) as err:
                code = REPAIRS.english(codes[-1]).split()[0] if len(codes) > len(record.repairs) else "L104"
                self.reject(record, code, _("cannot be repaired without changing it: {err}").format(err=err))
                return
            ending = (b"\r" if record.raw.endswith(b"\r") and record.ending else b"") + record.ending
        else:
            raw = record.raw
            ending = record.ending
        fmt = self.options.check.data_format or detect_format(value)
        row = Row(record.first_line, value, fmt, detect_format(value), raw)
        error = self.validator.first_error(row)
        if error:
            self.reject(record, *error)
            return
        if self.options.dedupe:
            digest = hashlib.blake2b(raw.strip(), digest_size=16).digest()
            first = self.seen.setdefault(digest, record.first_line)
            if first != record.first_line:
                self.reject(record, "F104", _("duplicate of line {first}").format(first=first))
                return
        check = self.options.check
        if self.options.drop_overlength and check.model:
            count = measure(row, check)
            if count.tokens is not None and check.token_limit is not None and count.tokens > check.token_limit:
                self.reject(record, "T101", (_("{tokens:,} tokens > limit {limit:,}") if count.exact else _("at least {tokens:,} tokens > limit {limit:,}")).format(tokens=count.tokens, limit=check.token_limit))
                return
        for code in codes:
            self.ledger.repairs[REPAIRS[code]] += 1
        self.ledger.rows_out += 1
        self.write_row(raw + ending)


def fix_stream(stream: BinaryIO, options: FixOptions, write_row: Callable[[bytes], Any], write_reject: RejectWriter) -> Ledger:
    """Read, repair and sort every record: rows to write_row(bytes), the rest to
    write_reject(dict). Returns the ledger."""
    ledger = Ledger()
    fixer = Fixer(options, ledger, write_row, write_reject)

    def blank(number: int) -> None:
        ledger.blank_lines += 1
        ledger.repairs[REPAIRS["L101"]] += 1

    for record in read_records(stream, on_blank=blank):
        ledger.records_in += 1
        try:
            fixer.take(record)
        except Exception as err:  # noqa: BLE001  a bug must not lose the row: keep it in the rejects
            ledger.internal_errors += 1
            fixer.reject(record, "internal-error", _("ftlint failed on this row ({name__}: {err}); please report it").format(name__=type(err).__name__, err=err))
    return ledger
