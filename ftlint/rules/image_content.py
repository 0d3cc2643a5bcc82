from ftlint.engine.rows import IMAGE_MESSAGES
from ftlint.finding import Severity
from ftlint.rules._chat import messages, path
from ftlint.rules.base import Rule, register


@register
class ImageContent(Rule):
    """In an image package, a message's content is not an array of text and image items.

    Every message's content in an image package's data.jsonl is an array of items,
    each one object with exactly one key: {"text": "..."} or {"image": "<file name>"}.
    For models that take video (qwen3.5 and later), also {"video": "<file>", "fps": f}
    or a frame list {"video": ["<image>", ...], "sample_fps": f}, with f between 0.1
    and 10. A plain string content is refused in this format, a system message's too.

    Bad:   {"role": "user", "content": "这张图里有什么？"}
    Good:  {"role": "user", "content": [{"image": "cat_1.jpg"}, {"text": "这张图里有什么？"}]}
    """

    code = "I102"
    slug = "image-content"
    severity = Severity.ERROR
    formats = frozenset({IMAGE_MESSAGES})

    def check_row(self, row):
        video = bool(self.options.model_entry and self.options.model_entry.can("video"))
        kinds = ("text", "image", "video") if video else ("text", "image")
        for index, message in messages(row):
            content = message.get("content")
            where = path(index, "content")
            if isinstance(content, str):
                yield self.finding(f"{message.get('role', 'message')} content is a string; in an image package it is an array of items", line=row.line, path=where,
                                   hint='write [{"text": "..."}] (and {"image": "name.jpg"} items)')
                continue
            if not isinstance(content, list) or not content:
                yield self.finding("content is not a non-empty array of items", line=row.line, path=where)
                continue
            for number, item in enumerate(content):
                at = f"{where}[{number}]"
                if isinstance(item, dict) and "video" in item and video:
                    yield from (self.finding(problem, line=row.line, path=at) for problem in _video_problems(item))
                    continue
                if not isinstance(item, dict) or len(item) != 1:
                    yield self.finding("an item must be one object with one key, text or image", line=row.line, path=at)
                    continue
                key = next(iter(item))
                if key not in kinds:
                    yield self.finding(f"item key {key!r} is not {' or '.join(kinds)}", line=row.line, path=at)
                elif not isinstance(item[key], str):
                    yield self.finding(f"{key} is not a string", line=row.line, path=f"{at}.{key}")


def _video_problems(item: dict):
    """What is wrong with a video item: a file with `fps`, or a frame list with `sample_fps`."""
    value = item["video"]
    if isinstance(value, str):
        rate_key = "fps"
    elif isinstance(value, list) and value and all(isinstance(frame, str) for frame in value):
        rate_key = "sample_fps"
    else:
        yield "video is neither a file name nor a non-empty list of frame image names"
        return
    extra = set(item) - {"video", rate_key}
    if extra:
        yield f"a {'video file' if rate_key == 'fps' else 'frame list'} item takes {rate_key}, not {', '.join(sorted(extra))}"
    rate = item.get(rate_key)
    if rate is not None and (isinstance(rate, bool) or not isinstance(rate, (int, float)) or not 0.1 <= rate <= 10):
        yield f"{rate_key} {rate!r} is outside 0.1-10"
