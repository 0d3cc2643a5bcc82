from ftlint.finding import Severity
from ftlint.rules._chat import CHAT_FORMATS, has_tool_calls, messages, path
from ftlint.rules.base import Rule, register


@register
class EmptyContent(Rule):
    """A message's content is empty or only whitespace.

    An empty user turn gives the model nothing to answer; an empty assistant turn
    trains the model to say nothing. Usually a sign of a broken export. (An assistant
    message that only makes tool calls may be empty.)

    Bad:   {"role": "assistant", "content": ""}
    Good:  {"role": "assistant", "content": "您好，请问有什么可以帮您？"}
    """

    code = "M105"
    slug = "empty-content"
    severity = Severity.WARNING
    formats = CHAT_FORMATS

    def check_row(self, row):
        for index, message in messages(row):
            content = message.get("content")
            if isinstance(content, str) and not content.strip() and not has_tool_calls(message):
                role = message.get("role", "message")
                yield self.finding(f"{role} content is empty", line=row.line, path=path(index, "content"))
