"""Stage 2: parsed JSON objects -> rows with a dataset format."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from ftlint.i18n import N_, Messages

MESSAGES = "messages"
IMAGE_MESSAGES = "image-messages"
DPO = "dpo"
PROMPT_COMPLETION = "prompt-completion"
LEGACY_TEXT = "legacy-text"
CPT_TEXT = "cpt-text"
RL_PROMPT = "rl-prompt"
WAN_IMAGE = "wan-image"
WAN_VIDEO = "wan-video"
TTS_AUDIO = "tts-audio"
# The rows of the generation models' media packages (Wan, CosyVoice).
MEDIA_FORMATS = frozenset({WAN_IMAGE, WAN_VIDEO, TTS_AUDIO})

FORMATS: Messages[str] = Messages({
    MESSAGES: N_("SFT messages (ChatML)"),
    IMAGE_MESSAGES: N_("SFT image understanding (messages with images)"),
    DPO: N_("DPO preference pairs"),
    PROMPT_COMPLETION: N_("prompt / completion"),
    LEGACY_TEXT: N_("legacy Human/Assistant text (deprecated)"),
    CPT_TEXT: N_("CPT plain text"),
    RL_PROMPT: N_("RL prompts (messages with rollout_extra)"),
    WAN_IMAGE: N_("Wan image generation (prompt, img_path)"),
    WAN_VIDEO: N_("Wan video generation (prompt, first_frame_path, video_path)"),
    TTS_AUDIO: N_("CosyVoice speech (wav_fn, text)"),
})

# The top-level keys each format defines; anything else is an unknown field.
FIELDS: dict[str, frozenset[str]] = {
    MESSAGES: frozenset({"messages", "tools"}),
    IMAGE_MESSAGES: frozenset({"messages", "tools"}),
    DPO: frozenset({"messages", "chosen", "rejected"}),
    PROMPT_COMPLETION: frozenset({"prompt", "completion"}),
    LEGACY_TEXT: frozenset({"text"}),
    CPT_TEXT: frozenset({"text"}),
    RL_PROMPT: frozenset({"messages", "rollout_extra"}),
    WAN_IMAGE: frozenset({"prompt", "img_path", "input_img"}),
    WAN_VIDEO: frozenset({"prompt", "first_frame_path", "last_frame_path", "video_path"}),
    TTS_AUDIO: frozenset({"wav_fn", "text"}),
}

# A Human:/Assistant: marker at the start of a line (after optional blanks).
LEGACY_MARKER = re.compile(r"(?m)^[ \t]*(Human|Assistant)[:：]")


def detect_format(obj: dict[str, Any], in_package: bool = False) -> str | None:
    """The format a JSON object looks like, from its keys; None when it fits none.
    In an image package, SFT messages are image-understanding rows. The media rows'
    keys (wav_fn, img_path, first_frame_path, ...) decide after `messages` (the common
    case, first on the hot path) and before `prompt` and `text`, which media rows share
    with prompt/completion and CPT rows."""
    if "messages" in obj:
        if "chosen" in obj or "rejected" in obj:
            return DPO
        if "rollout_extra" in obj:
            return RL_PROMPT
        return IMAGE_MESSAGES if in_package else MESSAGES
    if "chosen" in obj or "rejected" in obj:
        # ShareGPT's and Alpaca's preference rows are theirs, not the platform's DPO rows:
        # no format, so one finding names the convert command (R101)
        return None if "conversations" in obj or "instruction" in obj else DPO
    if "wav_fn" in obj:
        return TTS_AUDIO
    if "img_path" in obj or "input_img" in obj:
        return WAN_IMAGE
    if "first_frame_path" in obj or "video_path" in obj or "last_frame_path" in obj:
        return WAN_VIDEO
    if in_package and "prompt" in obj and "completion" not in obj:
        return WAN_IMAGE  # in a package, a lone prompt is a text-to-image validation row
    if "prompt" in obj or "completion" in obj:
        return PROMPT_COMPLETION
    if "text" in obj:
        text = obj["text"]
        return LEGACY_TEXT if isinstance(text, str) and LEGACY_MARKER.search(text) else CPT_TEXT
    return None


@dataclass(slots=True)
class Row:
    """A line that parsed as a JSON object. Rules read it; nothing writes into it.

    `package` is the image package the row belongs to (None in a .jsonl), and
    `extra_tokens` the estimated tokens of the row's images, which the engine adds to
    its length when a model is given."""

    line: int
    data: dict[str, Any]
    format: str | None  # the format the row is checked as: forced, or its own
    detected: str | None  # the format the row looks like
    raw: bytes
    package: Any = None  # ftlint.platform.packages.Package, for rows of an image package
    extra_tokens: int = 0  # estimated image tokens (image packages with --model)
    # Worked out once per row, on first use, and shared by every rule that asks.
    _items: list[tuple[int, dict[str, Any]]] | None = None
    _every: list[tuple[int | str, dict[str, Any]]] | None = None
    _escaped: bool | None = None
    _tools: bool | None = None
    _mentions_tools: bool | None = None

    def messages(self) -> list[Any] | None:
        value = self.data.get("messages")
        return value if isinstance(value, list) else None

    def message_items(self) -> list[tuple[int, dict[str, Any]]]:
        """(index, message) for every message that is an object, worked out once."""
        if self._items is None:
            self._items = [(index, m) for index, m in enumerate(self.messages() or ()) if isinstance(m, dict)]
        return self._items

    @property
    def digest(self) -> bytes:
        """An 8-byte hash of the row's bytes, for exact-duplicate detection."""
        return hashlib.blake2b(self.raw.strip(), digest_size=8).digest()

    @property
    def normal_digest(self) -> bytes:
        """An 8-byte hash of what the row says, with whitespace runs, letter case and
        character width (NFKC: full-width "，" is ",") normalised and key order
        ignored: rows that differ only in those have the same one."""
        return hashlib.blake2b(normalised_text(self.data).encode("utf-8", "surrogatepass"), digest_size=8).digest()

    def every_message(self) -> list[tuple[int | str, dict[str, Any]]]:
        """(where, message) for every message object: `messages` by index, then a DPO
        row's `chosen` and `rejected` by name (ftlint.rules._chat.path makes either a
        JSON path, only when a finding needs one)."""
        if self._every is None:
            every: list[tuple[int | str, dict[str, Any]]] = list(self.message_items())
            if self.format == DPO:
                every += [(key, self.data[key]) for key in ("chosen", "rejected") if isinstance(self.data.get(key), dict)]
            self._every = every
        return self._every

    @property
    def escaped(self) -> bool:
        """The row's text holds JSON \\u escapes, so a byte test of its raw text cannot
        prove that a string is absent from its data."""
        if self._escaped is None:
            self._escaped = b"\\u" in self.raw
        return self._escaped

    def may_hold(self, text: bytes) -> bool:
        """Whether the row's parsed data may hold `text` (ASCII), by a quick test of
        its raw bytes that allows for JSON escapes (`\\u003cthink\\u003e` is `<think>`,
        as Go's and Java's JSON writers put it)."""
        return text in self.raw or self.escaped

    @property
    def mentions_tools(self) -> bool:
        """The row may hold a key or value starting with "tool: `tools`, `tool_calls`,
        `tool_call_id`, the role "tool". False proves it holds none of them."""
        if self._mentions_tools is None:
            self._mentions_tools = self.may_hold(b'"tool')
        return self._mentions_tools

    @property
    def has_tool_calls(self) -> bool:
        """The row defines tools, makes tool calls or answers one."""
        if self._tools is None:
            self._tools = self.mentions_tools and (
                bool(self.data.get("tools")) or any(m.get("tool_calls") or m.get("role") == "tool" for _, m in self.message_items()))
        return self._tools


class _Mark(str):
    """A structural mark in normalised_text (a key, the end of an object or a list),
    told apart from the row's strings by its type."""


def _normal(text: str) -> str:
    """Whitespace runs as one space, no surrounding space, NFKC width, case folded."""
    return " ".join(unicodedata.normalize("NFKC", text).split()).casefold()


def normalised_text(value: Any) -> str:
    """Every key and value of a parsed row, in key order, each string normalised (see
    Row.normal_digest), with marks for keys and nesting in characters no normalised
    text holds. Iterative: a row nested as deep as the parser allows cannot exhaust
    the stack."""
    parts: list[str] = []
    stack: list[Any] = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, _Mark):
            parts.append(item)
        elif isinstance(item, str):
            parts.append(_normal(item))
        elif isinstance(item, dict):
            parts.append("\x01{")
            stack.append(_Mark("\x01}"))
            for key in sorted(item, reverse=True):
                stack += (item[key], _Mark("\x02" + _normal(key)))
        elif isinstance(item, list):
            parts.append("\x01[")
            stack.append(_Mark("\x01]"))
            stack += reversed(item)
        else:
            parts.append(f"\x01{item!r}")
    return "\x00".join(parts)


@dataclass(frozen=True, slots=True)
class TokenCount:
    """A row's length in tokens, as the engine measured it for the job's limit.

    `tokens` is the exact count, or a lower bound when `exact` is False (a row far over
    the limit); None when the row was proved within the limit without counting it in
    full, and then `at_most` bounds it from above (None when no cheap bound holds)."""

    tokens: int | None
    exact: bool = True
    at_most: int | None = None


class RowSummary:
    """What a stateful rule (one with ``collect``) reads of a row: the same object
    whether the file is checked serially or by worker processes, which build it from
    the row and send it to the main process. It always has `line`, `format` and
    `detected`; each other field exists only when some selected rule declares it in
    ``summary_fields`` (reading an undeclared one raises AttributeError, in serial and
    in parallel alike)."""

    __slots__ = ("line", "format", "detected", "digest", "normal_digest", "has_tool_calls", "needs", "untrained_turns", "loss_weights", "tokens", "image_refs", "media_names", "media_paths", "package")

    line: int
    format: str | None
    detected: str | None
    digest: bytes  # "digest": Row.digest, for exact duplicates
    normal_digest: bytes  # "normal_digest": Row.normal_digest, for duplicates up to whitespace, case and width
    has_tool_calls: bool  # "has_tool_calls": the row defines tools or makes tool calls
    needs: frozenset[str]  # "needs": what the row needs the model to be tuned with (ftlint.platform.capabilities; empty without --model)
    untrained_turns: int  # "untrained_turns": assistant turns of a thinking row that are not trained
    loss_weights: int  # "loss_weights": messages (and DPO answers) that carry loss_weight
    tokens: TokenCount | None  # "tokens": the row's measured length (None without --model)
    image_refs: tuple[tuple[str, str], ...]  # "image_refs": (file name, JSON path) of each image (packages only)
    media_names: frozenset[str]  # "media_names": every image, frame and video file named (packages only)
    media_paths: tuple[tuple[str, str], ...]  # "media_paths": (field, name) of each file a Wan or CosyVoice row names (packages only)
    package: Any  # "package": the image package the file is (filled in by the main process)

    def __init__(self, line: int, format: str | None, detected: str | None) -> None:
        self.line, self.format, self.detected = line, format, detected

    def __getstate__(self) -> dict[str, Any]:
        # The package stays in the main process: it is set there, not sent.
        return {name: getattr(self, name) for name in self.__slots__ if name != "package" and hasattr(self, name)}

    def __setstate__(self, state: dict[str, Any]) -> None:
        for name, value in state.items():
            setattr(self, name, value)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, RowSummary) and self.__getstate__() == other.__getstate__()

    def __repr__(self) -> str:
        return f"RowSummary({self.__getstate__()})"


# The fields a rule may declare in Rule.summary_fields (line, format and detected are
# always there).
SUMMARY_FIELDS = frozenset(RowSummary.__slots__) - {"line", "format", "detected"}


def iter_rows(stream, data_format: str | None = None, at_file_start: bool = True, package: Any = None, lines: list[int] | None = None):  # type: ignore[no-untyped-def]
    """Every row (parsed JSON object) of a binary stream, for passes that need rows
    only. `lines`, when given, receives the number of physical lines read."""
    from ftlint.engine.lines import LineReader, parse_line

    number = 0
    for number, raw in LineReader(stream):
        line = parse_line(number, raw, at_file_start and number == 1)
        if isinstance(line.value, dict):
            detected = detect_format(line.value, package is not None)
            yield Row(number, line.value, data_format or detected, detected, line.raw, package)
    if lines is not None:
        lines.append(number)
