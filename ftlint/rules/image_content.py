import json
from collections.abc import Iterator
from typing import Any

from ftlint.engine.rows import IMAGE_MESSAGES, Row
from ftlint.finding import Finding, Severity
from ftlint.i18n import _
from ftlint.rules._chat import messages, path
from ftlint.rules.base import Rule, register
from ftlint.rules.examples import At, Fail, Pass
from ftlint.rules.image_file import PNG, image_row


def _chat(*messages: tuple[str, Any]) -> str:
    return json.dumps({"messages": [{"role": role, "content": content} for role, content in messages]}, ensure_ascii=False)


_FILES: dict[str, str | bytes] = {"cat_1.png": PNG, "dog_2.png": PNG}
_CAT = image_row("cat_1.png", "这张图里有什么？", "一只橘猫趴在窗台上。")
_VIDEO = {"clip.mp4": b"\x00\x00\x00\x18ftypmp42", **_FILES}


@register
class ImageContent(Rule):
    """In an image package, a message's content is not an array of text and image items.

    Every message's content in an image package's data.jsonl is an array of items:
    {"text": "..."} or {"image": "<file name>"}, an image optionally with
    `resized_width` / `resized_height` (whole numbers of pixels: a target size the
    platform resizes to). For models that take video (qwen3.5 and later), also
    {"video": "<file>", "fps": f} (optionally `video_start` / `video_end` in seconds)
    or a frame list {"video": ["<image>", ...], "sample_fps": f}, with f between 0.1
    and 10, both optionally with `resized_width` / `resized_height`. A plain string
    content is refused in this format, a system message's too.

    Bad:   {"role": "user", "content": "这张图里有什么？"}
    Good:  {"role": "user", "content": [{"image": "cat_1.jpg"}, {"text": "这张图里有什么？"}]}
    """

    code = "I102"
    slug = "image-content"
    severity = Severity.ERROR
    formats = frozenset({IMAGE_MESSAGES})
    examples = (
        Fail([_CAT, _chat(("user", "这张图里有什么？"), ("assistant", [{"text": "一只橘猫。"}]))], At(line=2, path="messages[0].content"),
             files=_FILES),
        Fail([_chat(("system", "You describe photos."), ("user", [{"image": "dog_2.png"}, {"text": "What breed?"}]), ("assistant", [{"text": "A corgi."}])),
              _chat(("user", [{"image": "cat_1.png", "text": "这是什么？"}, {"image_url": "dog_2.png"}]), ("assistant", [])),
              _chat(("user", [{"image": ["cat_1.png"]}, {"text": "What is this?"}]), ("assistant", [{"text": 42}]))],
             At(line=1, path="messages[0].content"),
             At(line=2, path="messages[0].content[0]"), At(line=2, path="messages[0].content[1]"), At(line=2, path="messages[1].content"),
             At(line=3, path="messages[0].content[0].image"), At(line=3, path="messages[1].content[0].text"),
             files=_FILES, note="a string system content; an item with two keys; an unknown key; an empty array; values that are not strings"),
        Fail([_chat(("user", [{"video": "clip.mp4", "fps": 30}, {"text": "视频里发生了什么？"}]), ("assistant", [{"text": "一只猫跳上了窗台。"}])),
              _chat(("user", [{"video": ["cat_1.png", "dog_2.png"], "fps": 2}, {"text": "What changes?"}]), ("assistant", [{"text": "The cat becomes a dog."}]))],
             At(line=1, path="messages[0].content[0]"), At(line=2, path="messages[0].content[0]"), files=_VIDEO, options={"model": "qwen3.5-27b"},
             note="video: fps outside 0.1-10; a frame list takes sample_fps, not fps"),
        Fail([_chat(("user", [{"video": "clip.mp4", "fps": 2}, {"text": "What happens?"}]), ("assistant", [{"text": "A cat jumps."}]))],
             At(line=1, path="messages[0].content[0]"), files=_VIDEO, options={"model": "qwen3-vl-8b-instruct"}, note="video items for a model without video"),
        Fail([_chat(("user", [{"image": "cat_1.png", "resized_width": "280px"}, {"text": "这是什么？"}]), ("assistant", [{"text": "一只猫。"}])),
              _chat(("user", [{"video": ["cat_1.png", "dog_2.png"], "sample_fps": 1, "video_start": 2}, {"text": "What changes?"}]), ("assistant", [{"text": "The animal."}]))],
             At(line=1, path="messages[0].content[0]"), At(line=2, path="messages[0].content[0]"), files=_VIDEO, options={"model": "qwen3.5-27b"},
             note="a size that is not a number; a frame list takes no video_start"),
        Pass([_CAT, image_row("dog_2.png", "What breed is this dog?", "It looks like a corgi.")], files=_FILES),
        Pass([_chat(("user", [{"image": "cat_1.png", "resized_width": 280, "resized_height": 280}, {"text": "这是什么？"}]), ("assistant", [{"text": "一只猫。"}])),
              _chat(("user", [{"video": "clip.mp4", "fps": 2, "video_start": 1.5, "video_end": 8, "resized_width": 448, "resized_height": 252}, {"text": "What happens?"}]),
                    ("assistant", [{"text": "A cat jumps."}]))],
             files=_VIDEO, options={"model": "qwen3.5-27b"}, note="the documented optional keys: a target size, and a clip of a video"),
        Pass([_chat(("system", [{"text": "你是看图助手。"}]), ("user", [{"video": "clip.mp4", "fps": 2}, {"text": "视频里发生了什么？"}]),
                    ("assistant", [{"text": "一只猫跳上了窗台。"}]), ("user", [{"video": ["cat_1.png", "dog_2.png"], "sample_fps": 0.5}, {"text": "那这两帧呢？"}]),
                    ("assistant", [{"text": "先是猫，后是狗。"}]))],
             files=_VIDEO, options={"model": "qwen3.5-27b"}, note="a system message as items; video files and frame lists for a video model"),
    )

    def check_row(self, row: Row) -> Iterator[Finding]:
        video = bool(self.options.model_entry and self.options.model_entry.can("video"))
        kinds = ("text", "image", "video") if video else ("text", "image")
        for index, message in messages(row):
            content = message.get("content")
            where = path(index, "content")
            if isinstance(content, str):
                yield self.finding(_("{get} content is a string; in an image package it is an array of items").format(get=message.get('role', 'message')), line=row.line, path=where,
                                   hint=_("write [{\"text\": \"...\"}] (and {\"image\": \"name.jpg\"} items)"))
                continue
            if not isinstance(content, list) or not content:
                yield self.finding(_("content is not a non-empty array of items"), line=row.line, path=where)
                continue
            for number, item in enumerate(content):
                at = f"{where}[{number}]"
                if isinstance(item, dict) and "video" in item and video:
                    yield from (self.finding(problem, line=row.line, path=at) for problem in _video_problems(item))
                    continue
                if isinstance(item, dict) and "image" in item and set(item) - {"image"} <= _SIZE_KEYS:
                    yield from (self.finding(problem, line=row.line, path=at) for problem in _size_problems(item))
                    item = {"image": item["image"]}
                if not isinstance(item, dict) or len(item) != 1:
                    yield self.finding(_("an item must be one object with one key, text or image (an image may add resized_width and resized_height)"),
                                       line=row.line, path=at)
                    continue
                key = next(iter(item))
                if key not in kinds:
                    yield self.finding(_("item key {key!r} is not {join}").format(key=key, join=' or '.join(kinds)), line=row.line, path=at)
                elif not isinstance(item[key], str):
                    yield self.finding(_("{key} is not a string").format(key=key), line=row.line, path=f"{at}.{key}")


_SIZE_KEYS = frozenset({"resized_width", "resized_height"})


def _size_problems(item: dict[str, Any]) -> Iterator[str]:
    for key in sorted(_SIZE_KEYS & set(item)):
        value = item[key]
        if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
            yield _("{key} {value!r} is not a whole number of pixels").format(key=key, value=value)


def _video_problems(item: dict[str, Any]) -> Iterator[str]:
    """What is wrong with a video item: a file with `fps`, or a frame list with `sample_fps`."""
    value = item["video"]
    if isinstance(value, str):
        rate_key = "fps"
    elif isinstance(value, list) and value and all(isinstance(frame, str) for frame in value):
        rate_key = "sample_fps"
    else:
        yield _("video is neither a file name nor a non-empty list of frame image names")
        return
    yield from _size_problems(item)
    allowed = {"video", rate_key, *_SIZE_KEYS} | ({"video_start", "video_end"} if rate_key == "fps" else set())
    for key in ("video_start", "video_end"):
        value = item.get(key)
        if key in item and (isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0):
            yield _("{key} {value!r} is not a time in seconds").format(key=key, value=value)
    extra = set(item) - allowed
    if extra:
        yield _("a {value} item takes {rate_key}, not {join}").format(value=_('video file') if rate_key == 'fps' else _('frame list'), rate_key=rate_key, join=', '.join(sorted(extra)))
    rate = item.get(rate_key)
    if rate is not None and (isinstance(rate, bool) or not isinstance(rate, (int, float)) or not 0.1 <= rate <= 10):
        yield _("{rate_key} {rate!r} is outside 0.1-10").format(rate_key=rate_key, rate=rate)
