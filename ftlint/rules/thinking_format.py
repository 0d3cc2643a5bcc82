from ftlint.finding import Severity
from ftlint.rules._chat import CHAT_FORMATS, messages, path
from ftlint.rules.base import Rule, register

OPEN, CLOSE = "<think>", "</think>"


@register
class ThinkingFormat(Rule):
    """Thinking data (`<think>` blocks) is not in the platform's exact form.

    Only the last assistant message may carry thinking, at the very start of its
    content, with these newlines exactly:

        <think>\\n{reasoning}\\n</think>\\n\\n{answer}

    `<think>\\n\\n</think>\\n\\n{answer}` means "no thinking". Earlier assistant turns carry
    no think tags (the chat templates strip them from history). CRLF newlines, a
    missing blank line after `</think>`, or text before `<think>` make the tags plain text.

    Bad:   {"role": "assistant", "content": "<think>用户在问物流</think>好的"}
    Good:  {"role": "assistant", "content": "<think>\\n用户在问物流\\n</think>\\n\\n好的"}
    """

    code = "M110"
    slug = "thinking-format"
    severity = Severity.ERROR
    formats = CHAT_FORMATS

    def check_row(self, row):
        assistants = [(i, m) for i, m in messages(row) if m.get("role") == "assistant" and isinstance(m.get("content"), str)]
        if not assistants:
            return
        last_index = assistants[-1][0]
        for index, message in assistants:
            content = message["content"]
            if OPEN not in content and CLOSE not in content:
                continue
            where = path(index, "content")
            if index != last_index or row.format == "dpo":
                yield self.finding(
                    "think tags in an assistant turn that is not the last one",
                    line=row.line,
                    path=where,
                    hint="keep <think> only in the final assistant message",
                )
                continue
            problem = _problem(content)
            if problem:
                yield self.finding(problem, line=row.line, path=where, hint="write <think>\\n…\\n</think>\\n\\n then the answer")


def _problem(content: str) -> str | None:
    if not content.startswith(OPEN):
        return "<think> must open the content" if OPEN in content else "</think> without an opening <think>"
    if content.count(OPEN) > 1 or content.count(CLOSE) > 1:
        return "more than one think block"
    if CLOSE not in content:
        return "<think> is never closed with </think>"
    if not content.startswith(OPEN + "\n") or content.startswith(OPEN + "\r"):
        return "<think> must be followed by exactly one newline"
    end = content.index(CLOSE)
    if content[end - 1] != "\n" or (end >= 2 and content[end - 2] == "\r"):
        return "</think> must stand on its own line (a newline before it)"
    after = content[end + len(CLOSE) :]
    if not after.startswith("\n\n") or after.startswith("\n\n\n"):
        return "</think> must be followed by exactly two newlines, then the answer"
    return None
