from ftlint.finding import Severity
from ftlint.rows import IMAGE_MESSAGES
from ftlint.rule import Rule, register
from ftlint.rules._chat import messages, path


@register
class ImageContent(Rule):
    """In an image package, a message's content is not an array of text and image items.

    Every message's content in an image package's data.jsonl is an array of items,
    each one object with exactly one key: {"text": "..."} or {"image": "<file name>"}
    ({"video": ...} too, for models that take video). A plain string content is
    refused in this format, a system message's too.

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
                if not isinstance(item, dict) or len(item) != 1 and not ("video" in item and set(item) <= {"video", "fps", "sample_fps"}):
                    yield self.finding("an item must be one object with one key, text or image", line=row.line, path=at)
                    continue
                key = next(iter(item)) if "video" not in item else "video"
                if key not in kinds:
                    yield self.finding(f"item key {key!r} is not {' or '.join(kinds)}", line=row.line, path=at)
                elif key in ("text", "image") and not isinstance(item[key], str):
                    yield self.finding(f"{key} is not a string", line=row.line, path=f"{at}.{key}")
