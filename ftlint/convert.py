"""`ftlint convert`: bring the formats users already have into the platform's.

- openai: chat fine-tuning rows ({"messages": [...]}, with `name` / `weight`), and
  preference rows ({"input": {"messages": [...]}, "preferred_output": [...],
  "non_preferred_output": [...]}) -> messages / DPO
- sharegpt: {"conversations": [{"from": "human", "value": ...}, ...], "system": ...},
  and its preference form with "chosen" / "rejected" {"from": "gpt", "value": ...}
- alpaca: {"instruction", "input", "output", "system"?, "history"?: [[q, a], ...]},
  and its preference form with "chosen" / "rejected" strings

Each converted row is checked with the same row rules as `ftlint check`; a row that
cannot be mapped, or maps to a row with an error, goes to the rejects file.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, BinaryIO

from ftlint.fix import Ledger, RowValidator
from ftlint.lines import LineReader, parse_line
from ftlint.options import CheckOptions
from ftlint.rows import Row, detect_format

SOURCES = ("openai", "sharegpt", "alpaca")


class Unmappable(ValueError):
    pass


SHAREGPT_ROLES = {"human": "user", "user": "user", "gpt": "assistant", "assistant": "assistant", "bot": "assistant", "chatgpt": "assistant", "system": "system"}


def _text(value: Any, what: str) -> str:
    if not isinstance(value, str):
        raise Unmappable(f"{what} is not a string")
    return value


def from_openai(row: dict) -> dict:
    if "preferred_output" in row or "non_preferred_output" in row:
        messages = (row.get("input") or {}).get("messages") if isinstance(row.get("input"), dict) else None
        if not isinstance(messages, list):
            raise Unmappable("input.messages is missing")

        def single(key: str) -> dict:
            out = row.get(key)
            if not (isinstance(out, list) and len(out) == 1 and isinstance(out[0], dict)):
                raise Unmappable(f"{key} is not a list of one assistant message")
            return {"role": "assistant", "content": _text(out[0].get("content"), f"{key}[0].content")}

        return {"messages": [_clean(m) for m in messages], "chosen": single("preferred_output"), "rejected": single("non_preferred_output")}
    messages = row.get("messages")
    if not isinstance(messages, list):
        raise Unmappable("messages is missing")
    out: dict[str, Any] = {"messages": [_clean(m) for m in messages]}
    if isinstance(row.get("tools"), list):
        out["tools"] = row["tools"]
    return out


def _clean(message: Any) -> Any:
    """An OpenAI message without the keys the platform rejects (name, weight)."""
    if not isinstance(message, dict):
        raise Unmappable("a message is not an object")
    return {k: v for k, v in message.items() if k not in ("name", "weight")}


def from_sharegpt(row: dict) -> dict:
    turns = row.get("conversations")
    if not isinstance(turns, list):
        raise Unmappable("conversations is missing")
    messages = []
    if isinstance(row.get("system"), str) and row["system"].strip():
        messages.append({"role": "system", "content": row["system"]})
    for index, turn in enumerate(turns):
        if not isinstance(turn, dict):
            raise Unmappable(f"conversations[{index}] is not an object")
        role = SHAREGPT_ROLES.get(str(turn.get("from", "")).lower())
        if role is None:
            raise Unmappable(f"conversations[{index}] is from {turn.get('from')!r}, which has no platform role")
        messages.append({"role": role, "content": _text(turn.get("value"), f"conversations[{index}].value")})
    if "chosen" in row or "rejected" in row:

        def answer(key: str) -> dict:
            value = row.get(key)
            if isinstance(value, dict):
                value = value.get("value")
            return {"role": "assistant", "content": _text(value, key)}

        return {"messages": messages, "chosen": answer("chosen"), "rejected": answer("rejected")}
    return {"messages": messages}


def from_alpaca(row: dict) -> dict:
    instruction = _text(row.get("instruction"), "instruction")
    extra = row.get("input", "")
    prompt = instruction if not extra else f"{instruction}\n\n{_text(extra, 'input')}"
    messages = []
    if isinstance(row.get("system"), str) and row["system"].strip():
        messages.append({"role": "system", "content": row["system"]})
    history = row.get("history") or []
    if not isinstance(history, list):
        raise Unmappable("history is not a list of [question, answer] pairs")
    for index, pair in enumerate(history):
        if not (isinstance(pair, list) and len(pair) == 2):
            raise Unmappable(f"history[{index}] is not a [question, answer] pair")
        messages.append({"role": "user", "content": _text(pair[0], f"history[{index}][0]")})
        messages.append({"role": "assistant", "content": _text(pair[1], f"history[{index}][1]")})
    messages.append({"role": "user", "content": prompt})
    if "chosen" in row or "rejected" in row:
        return {"messages": messages, "chosen": {"role": "assistant", "content": _text(row.get("chosen"), "chosen")}, "rejected": {"role": "assistant", "content": _text(row.get("rejected"), "rejected")}}
    messages.append({"role": "assistant", "content": _text(row.get("output"), "output")})
    return {"messages": messages}


CONVERTERS: dict[str, Callable[[dict], dict]] = {"openai": from_openai, "sharegpt": from_sharegpt, "alpaca": from_alpaca}


def convert_stream(stream: BinaryIO, source_format: str, options: CheckOptions, write_row, write_reject) -> Ledger:  # type: ignore[no-untyped-def]
    ledger = Ledger()
    converter = CONVERTERS[source_format]
    validator = RowValidator(options)

    def reject(number: int, raw: bytes, code: str, reason: str) -> None:
        ledger.reject(write_reject, number, number, raw, code, reason)

    for number, raw in LineReader(stream):
        line = parse_line(number, raw)
        if line.blank:
            ledger.blank_lines += 1
            continue
        ledger.records_in += 1
        if not isinstance(line.value, dict):
            reason = line.json_error.reason if line.json_error else (line.utf8_error[1] if line.utf8_error else "not a JSON object")
            reject(number, raw, "L103" if line.utf8_error else "L104" if line.json_error else "L105", reason)
            continue
        try:
            value = converter(line.value)
        except Unmappable as err:
            reject(number, raw, "convert", f"cannot map the row: {err}")
            continue
        fmt = detect_format(value)
        encoded = json.dumps(value, ensure_ascii=False).encode("utf-8")
        error = validator.first_error(Row(number, value, fmt, fmt, encoded))
        if error:
            reject(number, raw, *error)
            continue
        ledger.rows_out += 1
        ledger.repairs[f"converted {source_format} rows to {fmt}"] += 1
        write_row(encoded + b"\n")
    return ledger
