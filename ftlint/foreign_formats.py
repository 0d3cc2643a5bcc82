"""Rows written for other tools (ShareGPT, Alpaca, OpenAI chat), which `ftlint convert`
reads: which `--from` a row needs, so that findings can name the exact command."""

from __future__ import annotations

from typing import Any

SOURCE_NAMES = {"sharegpt": "ShareGPT", "alpaca": "Alpaca", "openai": "OpenAI"}


def convert_from(row: Any) -> str | None:
    """The `ftlint convert --from` value that reads this row, or None when no converter
    does (or the row is already in a platform format)."""
    if not isinstance(row, dict):
        return None
    if isinstance(row.get("conversations"), list):
        return "sharegpt"
    if "instruction" in row and ("output" in row or "chosen" in row):
        return "alpaca"
    messages = row.get("messages")
    if isinstance(messages, list) and any(isinstance(m, dict) and ("from" in m or "value" in m) for m in messages):
        return "sharegpt"  # ShareGPT turns under a messages key (LLaMA-Factory's tags)
    return None


def output_name(name: str) -> str:
    """A JSON Lines name beside `name`: alpaca_zh_demo.json -> alpaca_zh_demo.jsonl."""
    for suffix in (".jsonl.gz", ".json.gz", ".jsonl", ".json"):
        if name.lower().endswith(suffix):
            return name[: -len(suffix)] + ("_platform.jsonl" if suffix == ".jsonl" else ".jsonl")
    return name + ".jsonl"
