from ftlint.finding import Severity
from ftlint.rules._chat import CHAT_FORMATS, MESSAGE_KEYS, messages, path
from ftlint.rules.base import Rule, register
from ftlint.rules.unsupported_key import UNSUPPORTED


@register
class UnknownKey(Rule):
    """A message has a key the platform does not define.

    A message holds `role` and `content` (plus `tool_calls` / `tool_call_id` for tool
    calling). Other keys are not trained on. A common one is `reasoning_content`: this
    platform has no such field; thinking goes inside the last assistant content as
    `<think>\\n…\\n</think>\\n\\n` (rule M110).

    Bad:   {"role": "assistant", "content": "好的", "reasoning_content": "用户在问物流"}
    Good:  {"role": "assistant", "content": "<think>\\n用户在问物流\\n</think>\\n\\n好的"}
    """

    code = "M109"
    slug = "unknown-key"
    severity = Severity.WARNING
    formats = CHAT_FORMATS

    def check_row(self, row):
        for index, message in messages(row):
            for key in message:
                if key in MESSAGE_KEYS or key in UNSUPPORTED:
                    continue
                hint = "remove it, or check the spelling"
                if key == "reasoning_content":
                    hint = "move the reasoning into the content as <think>\\n…\\n</think>\\n\\n"
                yield self.finding(f"unknown message key {key!r}", line=row.line, path=path(index, key), hint=hint)
