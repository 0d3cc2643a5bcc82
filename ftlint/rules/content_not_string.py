from ftlint.finding import Severity
from ftlint.rules._chat import TEXT_CHAT_FORMATS, has_tool_calls, messages, path
from ftlint.rules._fields import json_type
from ftlint.rules.base import Rule, register


def text_items(content: object) -> bool:
    """A non-empty array of {"text": string} items, each with that one key."""
    return isinstance(content, list) and bool(content) and all(isinstance(i, dict) and len(i) == 1 and isinstance(i.get("text"), str) for i in content)


@register
class ContentNotString(Rule):
    """A message's `content` is missing, or neither a string nor an array of text items.

    In a text dataset (.jsonl) a message's content is a string, or an array of
    `{"text": ...}` items: the tool-calling format the docs give uses arrays, and one
    dataset may mix both. Items with images or video belong to image-understanding
    packages (.zip), where rule I102 checks them instead.
    An assistant message that makes tool calls may leave its content empty.

    Bad:   {"role": "assistant", "content": ["好的"]}
    Good:  {"role": "assistant", "content": "好的"}
    """

    code = "M104"
    slug = "content-not-string"
    severity = Severity.ERROR
    formats = TEXT_CHAT_FORMATS

    def check_row(self, row):
        for index, message in messages(row):
            if "content" not in message:
                if not has_tool_calls(message):
                    yield self.finding("message has no content", line=row.line, path=path(index))
                continue
            content = message["content"]
            if isinstance(content, str) or (content is None and has_tool_calls(message)) or text_items(content):
                continue
            hint = None
            if isinstance(content, list):
                hint = "in a .jsonl, an array holds only {\"text\": ...} items; images and video belong in a package (.zip)"
            yield self.finding(f"content is {json_type(content)}, not a string", line=row.line, path=path(index, "content"), hint=hint)
