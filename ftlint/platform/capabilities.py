"""What a row needs the model to be tuned with, in the catalog's capability names
(data/models.toml): dpo, cpt, rl, tools, thinking, images, video."""

from __future__ import annotations

from ftlint.engine.rows import CPT_TEXT, DPO, RL_PROMPT, Row
from ftlint.platform.conversations import thinks
from ftlint.platform.packages import media_items

BY_FORMAT = {DPO: "dpo", CPT_TEXT: "cpt", RL_PROMPT: "rl"}
NONE: frozenset[str] = frozenset()


def needs(row: Row) -> frozenset[str]:
    """The capabilities the row needs beyond plain SFT (an image package needs
    "images" as a whole: FileFacts.package says so)."""
    out = set()
    if row.format in BY_FORMAT:
        out.add(BY_FORMAT[row.format])
    if row.has_tool_calls:
        out.add("tools")
    if thinks(row):
        out.add("thinking")
    if row.package is not None and any(kind == "video" for *_, kind in media_items(row)):
        out.add("video")
    return frozenset(out) if out else NONE
