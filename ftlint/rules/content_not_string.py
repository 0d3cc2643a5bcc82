from ftlint.finding import Severity
from ftlint.rule import Rule, register
from ftlint.rules._chat import TEXT_CHAT_FORMATS, has_tool_calls, messages, path
from ftlint.rules._fields import json_type


@register
class ContentNotString(Rule):
    """A message's `content` is missing or not a string.

    In a text dataset (.jsonl) every message's content is a string. Array content
    ([{"text": ...}, {"image": ...}]) belongs to image-understanding packages (.zip),
    where rule I102 checks it instead.
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
            if isinstance(content, str) or (content is None and has_tool_calls(message)):
                continue
            hint = None
            if isinstance(content, list):
                hint = "array content is only for image packages (.zip); join the text into one string"
            yield self.finding(f"content is {json_type(content)}, not a string", line=row.line, path=path(index, "content"), hint=hint)
