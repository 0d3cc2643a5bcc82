"""`ftlint convert`: bring the formats users already have into the platform's.

- openai: chat fine-tuning rows ({"messages": [...], "tools": [...]}), and preference
  rows ({"input": {"messages": [...]}, "preferred_output": [...],
  "non_preferred_output": [...]}) -> messages / DPO
- sharegpt: {"conversations": [{"from": "human", "value": ...}, ...], "system": ...,
  "tools": ...}, with `function_call` / `observation` turns -> the platform's
  tool-calling rows; its preference form with "chosen" / "rejected"
- alpaca: {"instruction", "input", "output", "system"?, "history"?: [[q, a], ...]},
  and its preference form with "chosen" / "rejected" strings

Nothing is dropped silently: a field the platform's format has no place for is
counted per field in the summary, and with --strict its row is rejected instead.
Rows with images become an image-understanding package (`-o` a folder: data.jsonl and
the images, copied and renamed); rows with video are rejected with that reason. Each converted row is checked with the same row rules as
`ftlint check`; a row that cannot be mapped, or maps to a row with an error, goes to
the rejects file with its line.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, BinaryIO

from ftlint.engine.rows import Row, detect_format
from ftlint.i18n import _
from ftlint.options import CheckOptions
from ftlint.platform.packages import IMAGE_EXTENSIONS
from ftlint.rewriting import exact
from ftlint.rewriting.fix import REPAIRS
from ftlint.rewriting.ledger import Ledger, RejectWriter
from ftlint.rewriting.paths import PathCollision
from ftlint.rewriting.records import Record, read_records
from ftlint.rewriting.validator import RowValidator

SOURCES = ("openai", "sharegpt", "alpaca")


class Unmappable(ValueError):
    pass


class Conversion:
    """What converting one row left behind: the fields with no place in the output."""

    def __init__(self, media: Media | None = None) -> None:
        self.dropped: list[tuple[str, bool]] = []  # (field, it held a value)
        self.media = media

    def drop(self, name: str, value: Any) -> None:
        self.dropped.append((name, value not in (None, "", [], {})))

    def rest(self, row: dict[str, Any], known: set[str], prefix: str = "") -> None:
        for key, value in row.items():
            if key not in known:
                self.drop(prefix + key, value)

    @property
    def lost(self) -> list[str]:
        return sorted({name for name, held in self.dropped if held})


SHAREGPT_ROLES = {"human": "user", "user": "user", "gpt": "assistant", "assistant": "assistant", "bot": "assistant", "chatgpt": "assistant", "system": "system"}
SHAREGPT_CALL = ("function_call", "function", "tool_call")
SHAREGPT_RESULT = ("observation", "tool", "tool_response")
OPENAI_MESSAGE_KEYS = {"role", "content", "tool_calls", "tool_call_id"}


def _text(value: Any, what: str) -> str:
    if not isinstance(value, str) or isinstance(value, exact.Number):
        raise Unmappable(_("{what} is not a string").format(what=what))
    return value


class Media:
    """The images of a package being written: each file named by a row is copied (never
    moved) into the package under a new name the platform accepts (img_000001.jpg:
    ASCII, unique ignoring the extension), once however many rows name it."""

    def __init__(self, base: Path, copy: Callable[[str, Path], None], uncopy: Callable[[str], None] | None = None, written: tuple[Path, ...] = ()) -> None:
        self.base = base  # the folder the rows' paths are relative to
        self._copy = copy  # copy(new name, source file): into the package, at commit
        self._uncopy = uncopy  # take back a copy made for a row that is rejected after all
        self._written: set[Any] = set().union(*(_identity(path) for path in written))  # what the run writes: no image may be one of them
        self._names: dict[str, str] = {}  # source's real path -> its name in the package
        self._pending: list[tuple[str, str, Path]] = []  # (real path, name, file) of the row being converted
        self.copied = 0

    def add(self, reference: Any, where: str) -> str:
        if not isinstance(reference, str) or not reference.strip():
            raise Unmappable(_("{where} is not an image path").format(where=where))
        path = Path(reference) if Path(reference).is_absolute() else self.base / reference
        extension = path.suffix.lower().lstrip(".")
        if extension not in IMAGE_EXTENSIONS:
            raise Unmappable(_("{where}: {name} is not an image the platform takes ({formats})").format(where=where, name=reference, formats=", ".join(sorted(IMAGE_EXTENSIONS))))
        key = os.path.realpath(path)
        if key in self._names:
            return self._names[key]
        if not path.is_file():
            raise Unmappable(_("{where}: {name}: no such image file").format(where=where, name=reference))
        if _identity(path) & self._written:
            raise PathCollision(_("{name}: an image of the dataset is also a file this run writes (--rejects?): nothing was written").format(name=path))
        try:
            with path.open("rb"):
                pass
        except OSError as err:
            raise Unmappable(_("{where}: {name}: cannot read it: {err}").format(where=where, name=reference, err=err.strerror or err)) from None
        name = f"img_{len(self._names) + 1:06d}.{'jpg' if extension == 'jpeg' else extension}"
        self._names[key] = name
        self._pending.append((key, name, path))
        return name

    def accept(self) -> None:
        """The row is written: its new images are copied. A copy that fails takes the
        row's other copies back and rejects the row (Unmappable)."""
        done: list[str] = []
        for _key, name, path in self._pending:
            try:
                self._copy(name, path)
            except OSError as err:
                for copied in done:
                    if self._uncopy is not None:
                        self._uncopy(copied)
                raise Unmappable(_("{name}: cannot copy it: {err}").format(name=path, err=err.strerror or err)) from None
            done.append(name)
        self.copied += len(done)
        self._pending.clear()

    def discard(self) -> None:
        """The row is rejected: its new images are not copied, their names freed."""
        for key, _name, _path in self._pending:
            del self._names[key]
        self._pending.clear()


def _identity(path: Path) -> set[Any]:
    """A file's resolved name and, when it exists, its device and inode."""
    found: set[Any] = {os.path.realpath(path)}
    with contextlib.suppress(OSError):
        stat = os.stat(path)
        found.add((stat.st_dev, stat.st_ino))
    return found


def _images(row: dict[str, Any], conv: Conversion) -> list[str]:
    """The package names of the row's images (copied into the package), or [] for a
    row without images; videos and audio have no converter yet."""
    for key in ("videos", "video", "audios"):
        media = row.get(key)
        if media not in (None, "", [], {}):
            count = len(media) if isinstance(media, list) else 1
            raise Unmappable(_("the row has {count} {kind} reference(s): ftlint converts images only; write the video rows by hand").format(count=count, kind=key.rstrip("s")))
    images = row.get("images", row.get("image"))
    if images in (None, "", []):
        return []
    if conv.media is None:
        count = len(images) if isinstance(images, list) else 1
        raise Unmappable(_("the row has {count} image reference(s): an image dataset is a package (data.jsonl and the images): give -o a folder, e.g. -o package/").format(count=count))
    items = images if isinstance(images, list) else [images]
    return [conv.media.add(item, f"images[{index}]") for index, item in enumerate(items)]


IMAGE_TAG = "<image>"


def _with_images(messages: list[dict[str, Any]], images: list[str], conv: Conversion) -> None:
    """Every content as the image-understanding format's array of items: each <image>
    placeholder becomes the next image, in order (LLaMA-Factory's convention); with no
    placeholder, the images open the first user message."""
    placeholders = sum(m["content"].count(IMAGE_TAG) for m in messages if isinstance(m.get("content"), str))
    if placeholders and placeholders != len(images):
        raise Unmappable(_("{tags} <image> placeholders for {images} images").format(tags=placeholders, images=len(images)))
    queue = list(images)
    for message in messages:
        text = message.get("content")
        if not isinstance(text, str):
            continue
        items: list[dict[str, Any]] = []
        if not placeholders and queue and message.get("role") == "user":
            items += [{"image": name} for name in queue]
            queue.clear()
        for index, piece in enumerate(text.split(IMAGE_TAG)):
            if index:
                items.append({"image": queue.pop(0)})
            if piece.strip():
                items.append({"text": piece})  # as written, line breaks beside <image> too
            elif piece:
                conv.drop(_("blank text beside <image>"), piece)
        message["content"] = items or [{"text": text}]


def _no_media(row: dict[str, Any]) -> None:
    for key in ("images", "videos", "image", "video", "audios"):
        media = row.get(key)
        if media not in (None, "", [], {}):
            count = len(media) if isinstance(media, list) else 1
            raise Unmappable(_("the row has {count} {rstrip} reference(s): an image or video dataset is a package (.zip with data.jsonl and the files), not a .jsonl row").format(count=count, rstrip=key.rstrip('s')))


def _clean(message: Any, conv: Conversion, prefix: str) -> dict[str, Any]:
    """An OpenAI message with only the keys the platform defines (name, weight, … counted as dropped)."""
    if not isinstance(message, dict):
        raise Unmappable(_("{prefix} is not an object").format(prefix=prefix))
    conv.rest(message, OPENAI_MESSAGE_KEYS, prefix + ".")
    return {k: v for k, v in message.items() if k in OPENAI_MESSAGE_KEYS}


def from_openai(row: dict[str, Any], conv: Conversion) -> dict[str, Any]:
    _no_media(row)
    if "preferred_output" in row or "non_preferred_output" in row:
        source = row.get("input")
        if not isinstance(source, dict) or not isinstance(source.get("messages"), list):
            raise Unmappable(_("input.messages is missing"))
        conv.rest(row, {"input", "preferred_output", "non_preferred_output"})
        conv.rest(source, {"messages"}, "input.")

        def single(key: str) -> dict[str, Any]:
            out = row.get(key)
            if not (isinstance(out, list) and len(out) == 1 and isinstance(out[0], dict)):
                raise Unmappable(_("{key} is not a list of one assistant message").format(key=key))
            conv.rest(out[0], {"role", "content"}, f"{key}[0].")
            if out[0].get("role", "assistant") != "assistant":
                raise Unmappable(_("{key}[0] is a {get!r} message, not the assistant's answer").format(key=key, get=out[0].get('role')))
            return {"role": "assistant", "content": _text(out[0].get("content"), f"{key}[0].content")}

        prompt = [_clean(m, conv, "input.messages[]") for m in source["messages"]]
        return {"messages": prompt, "chosen": single("preferred_output"), "rejected": single("non_preferred_output")}
    messages = row.get("messages")
    if not isinstance(messages, list):
        raise Unmappable(_("messages is missing"))
    conv.rest(row, {"messages", "tools"})
    out: dict[str, Any] = {"messages": [_clean(m, conv, "messages[]") for m in messages]}
    if "tools" in row:
        out["tools"] = _tools(row["tools"])
    if out.get("tools") or any(m.get("tool_calls") for m in out["messages"]):
        _as_documented_tool_row(out["messages"])
    return out


def _as_documented_tool_row(messages: list[dict[str, Any]]) -> None:
    """The documented tool-calling row gives every content as an array of text items,
    the tool-call turn included: OpenAI's null content there becomes an empty text
    (both render as nothing), each string one text item (rendered the same)."""
    for message in messages:
        if message.get("content") is None and message.get("tool_calls"):
            message["content"] = ""
        if isinstance(message.get("content"), str):
            message["content"] = [{"text": message["content"]}]


def _tools(value: Any) -> list[dict[str, Any]]:
    """Tool definitions (a list, or a JSON string of one, as LLaMA-Factory stores them)
    in the platform's form: [{"type": "function", "function": {...}}]."""
    if isinstance(value, str) and not isinstance(value, exact.Number):
        try:
            value = exact.loads(value) if value.strip() else []
        except ValueError:
            raise Unmappable(_("tools is a string that is not JSON")) from None
    if not isinstance(value, list):
        raise Unmappable(_("tools is not a list of tool definitions"))
    out = []
    for index, item in enumerate(value):
        if isinstance(item, dict) and item.get("type") == "function" and isinstance(item.get("function"), dict):
            out.append(item)
        elif isinstance(item, dict) and isinstance(item.get("name"), str):
            out.append({"type": "function", "function": item})
        else:
            raise Unmappable(_("tools[{index}] is not a function definition").format(index=index))
    return out


def _call_id(seed: str, turn: int, number: int) -> str:
    return "call_" + hashlib.blake2b(f"{seed}\0{turn}\0{number}".encode("utf-8", "surrogatepass"), digest_size=11).hexdigest()


def _calls(value: Any, what: str, seed: str, turn: int, conv: Conversion) -> list[dict[str, Any]]:
    """A ShareGPT function_call turn's calls as platform tool_calls: `arguments` a JSON
    string of an object (numbers kept as written), the call's own id kept, else one
    made from the row."""
    text = _text(value, what)
    try:
        parsed = exact.loads(text)
    except ValueError:
        raise Unmappable(_("{what} is not JSON").format(what=what)) from None
    items = parsed if isinstance(parsed, list) else [parsed]
    calls = []
    for number, item in enumerate(items):
        if not (isinstance(item, dict) and _is_text(item.get("name"))):
            raise Unmappable(_("{what} is not a call ({{\"name\", \"arguments\"}})").format(what=what))
        conv.rest(item, {"name", "arguments", "id"}, "conversations[].value.")
        arguments = item.get("arguments", {})
        if _is_text(arguments):
            try:
                parsed_arguments = exact.loads(arguments)
            except ValueError:
                raise Unmappable(_("{what}: arguments is not JSON").format(what=what)) from None
            if not isinstance(parsed_arguments, dict):
                raise Unmappable(_("{what}: arguments is not a JSON object").format(what=what))
        elif isinstance(arguments, dict):
            arguments = exact.dumps(arguments).decode("utf-8")
        else:
            raise Unmappable(_("{what}: arguments is not a JSON object").format(what=what))
        call_id = item["id"] if _is_text(item.get("id")) and item["id"] else _call_id(seed, turn, number)
        calls.append({"id": call_id, "type": "function", "function": {"name": item["name"], "arguments": arguments}})
    return calls


def _is_text(value: Any) -> bool:
    return isinstance(value, str) and not isinstance(value, exact.Number)


def from_sharegpt(row: dict[str, Any], conv: Conversion) -> dict[str, Any]:
    images = _images(row, conv)
    turns = row.get("conversations")
    if not isinstance(turns, list):
        raise Unmappable(_("conversations is missing"))
    conv.rest(row, {"conversations", "system", "tools", "chosen", "rejected", "images", "videos"})
    messages: list[dict[str, Any]] = []
    system = row.get("system")
    if isinstance(system, str) and system.strip():
        messages.append({"role": "system", "content": system})
    elif system not in (None, ""):
        raise Unmappable(_("system is not a string"))
    seed = json.dumps(turns, ensure_ascii=False, sort_keys=True, default=str)
    pending: list[str] = []  # ids of calls not yet answered
    uses_tools = False
    for index, turn in enumerate(turns):
        where = f"conversations[{index}]"
        if not isinstance(turn, dict):
            raise Unmappable(_("{where} is not an object").format(where=where))
        conv.rest(turn, {"from", "value"}, "conversations[].")
        source = str(turn.get("from", "")).lower()
        if source in SHAREGPT_CALL:
            if pending:
                raise Unmappable(_("{where} calls a tool before the earlier call was answered").format(where=where))
            calls = _calls(turn.get("value"), f"{where}.value", seed, index, conv)
            messages.append({"role": "assistant", "content": "", "tool_calls": calls})
            pending = [c["id"] for c in calls]
            uses_tools = True
            continue
        if source in SHAREGPT_RESULT:
            if not pending:
                raise Unmappable(_("{where} is a tool result with no call before it").format(where=where))
            value = _text(turn.get("value"), f"{where}.value")
            results = [value]
            if len(pending) > 1:
                try:
                    parsed = json.loads(value)
                except ValueError:
                    parsed = None
                if isinstance(parsed, list) and len(parsed) == len(pending):
                    results = [item if isinstance(item, str) else json.dumps(item, ensure_ascii=False) for item in parsed]
            for result in results:
                messages.append({"role": "tool", "tool_call_id": pending.pop(0), "content": result})
            continue
        if pending:
            raise Unmappable(_("{where}: a tool call before it has no observation").format(where=where))
        role = SHAREGPT_ROLES.get(source)
        if role is None:
            raise Unmappable(_("{where} is from {get!r}, which has no platform role").format(where=where, get=turn.get('from')))
        messages.append({"role": role, "content": _text(turn.get("value"), f"{where}.value")})
    if pending:
        raise Unmappable(_("the last tool call has no observation"))
    out: dict[str, Any] = {"messages": messages}
    if "chosen" in row or "rejected" in row:

        def answer(key: str) -> dict[str, Any]:
            value = row.get(key)
            if isinstance(value, dict):
                conv.rest(value, {"from", "value"}, f"{key}.")
                value = value.get("value")
            return {"role": "assistant", "content": _text(value, key)}

        if uses_tools or row.get("tools"):
            raise Unmappable(_("a preference (DPO) row with tool calls: the platform tunes tool calling with SFT only"))
        if images:
            raise Unmappable(_("a preference (DPO) row with images: the platform tunes DPO on text"))
        out = {"messages": messages, "chosen": answer("chosen"), "rejected": answer("rejected")}
        return out
    tools = _tools(row["tools"]) if row.get("tools") not in (None, "", []) else None
    if images:
        if tools is not None or uses_tools:
            raise Unmappable(_("a row with both images and tool calls: the platform documents neither together"))
        _with_images(messages, images, conv)
        return out
    if tools is not None or uses_tools:
        # The documented tool-calling row gives every content as an array of text items.
        for message in messages:
            message["content"] = [{"text": message["content"]}]
        if tools is not None:
            out = {"tools": tools, "messages": messages}
    return out


def from_alpaca(row: dict[str, Any], conv: Conversion) -> dict[str, Any]:
    images = _images(row, conv)
    conv.rest(row, {"instruction", "input", "output", "system", "history", "chosen", "rejected", "images", "videos"})
    instruction = _text(row.get("instruction"), "instruction")
    extra = row.get("input")
    extra = "" if extra is None else _text(extra, "input")
    prompt = instruction if not extra else f"{instruction}\n\n{extra}"
    messages = []
    system = row.get("system")
    if system is not None and _text(system, "system").strip():
        messages.append({"role": "system", "content": system})
    history = row.get("history")
    history = [] if history is None else history
    if not isinstance(history, list):
        raise Unmappable(_("history is not a list of [question, answer] pairs"))
    for index, pair in enumerate(history):
        if not (isinstance(pair, list) and len(pair) == 2):
            raise Unmappable(_("history[{index}] is not a [question, answer] pair").format(index=index))
        messages.append({"role": "user", "content": _text(pair[0], f"history[{index}][0]")})
        messages.append({"role": "assistant", "content": _text(pair[1], f"history[{index}][1]")})
    messages.append({"role": "user", "content": prompt})
    if "chosen" in row or "rejected" in row:
        if "output" in row:
            conv.drop("output", row["output"])
        if images:
            raise Unmappable(_("a preference (DPO) row with images: the platform tunes DPO on text"))
        return {"messages": messages, "chosen": {"role": "assistant", "content": _text(row.get("chosen"), "chosen")}, "rejected": {"role": "assistant", "content": _text(row.get("rejected"), "rejected")}}
    messages.append({"role": "assistant", "content": _text(row.get("output"), "output")})
    if images:
        _with_images(messages, images, conv)
    return {"messages": messages}


CONVERTERS: dict[str, Callable[[dict[str, Any], Conversion], dict[str, Any]]] = {"openai": from_openai, "sharegpt": from_sharegpt, "alpaca": from_alpaca}


def convert_stream(stream: BinaryIO, source_format: str, options: CheckOptions, write_row: Callable[[bytes], Any], write_reject: RejectWriter, *, strict: bool = False,
                   adapt: Callable[[dict[str, Any], Conversion], dict[str, Any]] | None = None, media: Media | None = None) -> Ledger:
    """Convert every record: rows to write_row, the rest to write_reject. `adapt` first
    reshapes a row declared by a LLaMA-Factory dataset_info.json; `media` copies the
    images of a package."""
    ledger = Ledger()
    converter = CONVERTERS[source_format]
    validator = RowValidator(options)

    def reject(record: Record, code: str, reason: str) -> None:
        if media is not None:
            media.discard()
        ledger.reject(write_reject, record.first_line, record.last_line, record.raw, code, reason)

    def blank(number: int) -> None:
        ledger.blank_lines += 1

    for record in read_records(stream, on_blank=blank):
        ledger.records_in += 1
        try:
            if not record.usable:
                reject(record, record.code or "L104", record.problem or _("cannot be used"))
                continue
            if not isinstance(record.value, dict):
                reject(record, "L105", _("the line is JSON but not an object"))
                continue
            conv = Conversion(media)
            try:
                source = record.exact_value()
                value = converter(adapt(source, conv) if adapt is not None else source, conv)
                encoded = exact.dumps(value)
            except Unmappable as err:
                reject(record, "convert", _("cannot map the row: {err}").format(err=err))
                continue
            except exact.Unrepresentable as err:
                reject(record, "convert", _("cannot be written without changing it: {err}").format(err=err))
                continue
            if strict and conv.lost:
                reject(record, "convert", _("--strict: the row would lose {join}").format(join=', '.join(conv.lost)))
                continue
            plain = json.loads(encoded)
            fmt = detect_format(plain, media is not None)  # image rows are a package's rows
            error = validator.first_error(Row(record.first_line, plain, fmt, fmt, encoded))
            if error:
                reject(record, *error)
                continue
            if media is not None:
                try:
                    media.accept()
                except Unmappable as err:
                    reject(record, "convert", _("cannot map the row: {err}").format(err=err))
                    continue
            for name, held in dict.fromkeys(conv.dropped):
                ledger.dropped_fields[name if held else f"{name} (empty)"] += 1
            ledger.rows_out += 1
            ledger.repairs[_("converted {source} rows to {format}").format(source=source_format, format=fmt)] += 1
            if "F110" in record.repairs:
                ledger.repairs[REPAIRS["F110"]] += 1
            write_row(encoded + b"\n")
        except PathCollision:
            raise  # the run would write over an input: nothing at all is written
        except Exception as err:  # noqa: BLE001  a bug must not lose the row: keep it in the rejects
            ledger.internal_errors += 1
            reject(record, "internal-error", _("ftlint failed on this row ({name__}: {err}); please report it").format(name__=type(err).__name__, err=err))
    return ledger
